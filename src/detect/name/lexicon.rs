//! The morphological dictionary (lindera, IPADIC by default), the person-name
//! table derived from it, and a tokenizer that reuses one lattice per thread.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use mask_ipadic::lindera_dictionary::dictionary::Dictionary;
use mask_ipadic::lindera_dictionary::mode::Mode;
use mask_ipadic::lindera_dictionary::viterbi::{Lattice, WordId};

use crate::error::Error;

/// What a person-name surface can be (bit set).
pub const SURNAME: u8 = 1;
/// A given name.
pub const GIVEN: u8 = 2;
/// Another person name (a full name or a foreign name).
pub const PERSON: u8 = 4;

/// One person-name surface: what it can be and its reading.
#[derive(Clone, Copy, Debug)]
pub struct NameInfo {
    /// [`SURNAME`] | [`GIVEN`] | [`PERSON`].
    pub kinds: u8,
    /// Katakana reading.
    pub reading: &'static str,
}

/// The part of speech classes the name rules care about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pos {
    /// 名詞,固有名詞,人名 (姓 / 名 / 一般: see [`Tok::name`]).
    Person,
    /// 名詞,固有名詞,地域 (places).
    Place,
    /// 名詞,固有名詞,組織 (organisations).
    Org,
    /// 名詞,固有名詞,一般.
    Proper,
    /// 名詞,接尾 (suffixes: 様, さん, 県, 部...).
    Suffix,
    /// 接頭詞 (お, ご, 御).
    Prefix,
    /// Another noun.
    Noun,
    /// An unknown word (no dictionary entry, no reading).
    Unknown,
    /// 記号 and whitespace.
    Symbol,
    /// Anything else (particles, verbs, ...).
    Other,
}

/// One token of a tokenized segment, in haystack coordinates.
#[derive(Clone, Copy, Debug)]
pub struct Tok {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Part of speech class.
    pub pos: Pos,
    /// The person-name entry of the surface, whatever the tokenizer chose.
    pub name: Option<NameInfo>,
    /// The dictionary word (for its reading when it is not a name).
    pub word: WordId,
}

/// The dictionary and the name table, shared read-only by all threads.
pub struct Lexicon {
    dict: Dictionary,
    names: HashMap<&'static str, NameInfo, FastHash>,
    /// First two characters of every person-name surface of two or more
    /// characters that starts with a kanji: the prefilter.
    bigrams: HashSet<u64, FastHash>,
}

/// FNV-1a with a final mix: the name table and the bigram prefilter are
/// looked up once per character / token, where SipHash would dominate.
/// (The keys are dictionary data, not attacker-chosen table sizes.)
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type FastHash = BuildHasherDefault<Fnv>;

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("names", &self.names.len())
            .finish_non_exhaustive()
    }
}

thread_local! {
    /// Per-thread tokenizer scratch: the lattice and the offsets buffer are
    /// reused across segments and windows, so tokenizing allocates nothing
    /// once they have grown. This is the only mutable state of the name
    /// detector; it holds no data between calls (every call overwrites it).
    static SCRATCH: RefCell<(Lattice, Vec<(usize, WordId)>)> = RefCell::new((Lattice::default(), Vec::new()));
}

/// The common form of a variant kanji used in names.
fn variant(c: char) -> Option<char> {
    Some(match c {
        '髙' => '高',
        '﨑' | '嵜' => '崎',
        '邉' | '邊' => '辺',
        '濵' => '浜',
        '德' => '徳',
        '槗' => '橋',
        '齋' | '齊' => '斎',
        '澤' => '沢',
        '櫻' => '桜',
        '廣' => '広',
        '眞' => '真',
        _ => return None,
    })
}

fn bigram(a: char, b: char) -> u64 {
    ((a as u64) << 32) | b as u64
}

impl Lexicon {
    /// The embedded IPADIC, loaded once per process and shared: every
    /// masker built afterwards reuses it (it is immutable).
    pub fn embedded() -> Result<Arc<Lexicon>, Error> {
        static EMBEDDED: OnceLock<Arc<Lexicon>> = OnceLock::new();
        if let Some(l) = EMBEDDED.get() {
            return Ok(Arc::clone(l));
        }
        let l = Arc::new(Lexicon::load(None)?);
        Ok(Arc::clone(EMBEDDED.get_or_init(|| l)))
    }

    /// The embedded IPADIC, or a compiled lindera dictionary directory.
    pub fn load(dir: Option<&Path>) -> Result<Lexicon, Error> {
        let dict = match dir {
            None => mask_ipadic::load(),
            Some(d) => Dictionary::load_from_path(d),
        }
        .map_err(|e| Error::Build {
            detector: "name",
            message: format!("loading the dictionary: {e}"),
        })?;
        let mut names = HashMap::with_capacity_and_hasher(32_000, FastHash::default());
        let mut bigrams = HashSet::with_capacity_and_hasher(32_000, FastHash::default());
        for line in mask_ipadic::PERSON_NAMES.lines() {
            let mut f = line.split('\t');
            let (Some(surface), Some(kinds), Some(reading)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let mut k = 0;
            for c in kinds.chars() {
                k |= match c {
                    's' => SURNAME,
                    'g' => GIVEN,
                    _ => PERSON,
                };
            }
            names.insert(surface, NameInfo { kinds: k, reading });
            let mut cs = surface.chars();
            if let (Some(a), Some(b)) = (cs.next(), cs.next()) {
                if super::romaji::is_kanji(a) {
                    bigrams.insert(bigram(a, b));
                }
            }
        }
        Ok(Lexicon {
            dict,
            names,
            bigrams,
        })
    }

    /// The person-name entry of a surface; variant kanji (髙, 﨑, ...)
    /// are looked up by their common form.
    pub fn name(&self, surface: &str) -> Option<NameInfo> {
        if let Some(n) = self.names.get(surface) {
            return Some(*n);
        }
        if !surface.chars().any(|c| variant(c).is_some()) {
            return None;
        }
        let folded: String = surface.chars().map(|c| variant(c).unwrap_or(c)).collect();
        self.names.get(folded.as_str()).copied()
    }

    /// True when a dictionary word that is not a person name starts `s` and
    /// is longer than its first `len` bytes (`誠に` for `誠`): then a name
    /// of `len` bytes there is part of that word.
    pub fn word_extends(&self, s: &str, len: usize) -> bool {
        let mut end = s.len().min(len + 12);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        self.dict
            .prefix_dictionary
            .prefix(&s[..end])
            .any(|(e, w)| e > len && !matches!(self.pos(w.word_id()), Pos::Person))
    }

    /// True when the two characters start a known person name.
    pub fn starts_name(&self, a: char, b: char) -> bool {
        self.bigrams.contains(&bigram(a, b))
    }

    /// The katakana reading of a dictionary word ("" for unknown words).
    pub fn reading(&self, w: WordId) -> &str {
        if w.is_unknown() || !w.is_system() {
            return "";
        }
        self.dict
            .word_details_iter(w.id() as usize)
            .nth(7)
            .filter(|r| *r != "*")
            .unwrap_or("")
    }

    /// Tokenizes `text[seg]` and appends its tokens to `out` (haystack
    /// coordinates). Whitespace becomes [`Pos::Symbol`] tokens.
    pub fn tokenize(&self, text: &str, seg: std::ops::Range<usize>, out: &mut Vec<Tok>) {
        let s = &text[seg.clone()];
        if s.is_empty() {
            return;
        }
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let (lattice, offsets) = &mut *guard;
            lattice.set_text(
                &self.dict.prefix_dictionary,
                &None,
                &self.dict.character_definition,
                &self.dict.unknown_dictionary,
                &self.dict.connection_cost_matrix,
                s,
                &Mode::Normal,
                None,
                false,
            );
            lattice.tokens_offset_into(offsets);
            for i in 0..offsets.len() {
                let (b, w) = offsets[i];
                let e = offsets.get(i + 1).map_or(s.len(), |o| o.0);
                if e <= b {
                    continue;
                }
                let surface = &s[b..e];
                let pos = if surface.trim().is_empty() {
                    Pos::Symbol
                } else if w.is_unknown() {
                    Pos::Unknown
                } else {
                    self.pos(w)
                };
                let name = if pos == Pos::Symbol || surface.is_ascii() {
                    None
                } else {
                    self.name(surface)
                };
                // Two glued tokens that together are a person name (三 + 浦,
                // 髙 + 橋): one name token.
                if let Some(last) = out.last_mut() {
                    if last.end == seg.start + b
                        && last.pos != Pos::Person
                        && pos != Pos::Person
                        && last.start >= seg.start
                    {
                        let both = &text[last.start..seg.start + e];
                        if both.chars().count() <= 4 && both.chars().all(super::romaji::is_kanji) {
                            if let Some(n) = self.name(both) {
                                last.end = seg.start + e;
                                last.pos = Pos::Person;
                                last.name = Some(n);
                                continue;
                            }
                        }
                    }
                }
                out.push(Tok {
                    start: seg.start + b,
                    end: seg.start + e,
                    pos,
                    name,
                    word: w,
                });
            }
        });
    }

    fn pos(&self, w: WordId) -> Pos {
        let mut f = self.dict.word_details_iter(w.id() as usize);
        let (p0, p1, p2) = (
            f.next().unwrap_or(""),
            f.next().unwrap_or(""),
            f.next().unwrap_or(""),
        );
        match (p0, p1, p2) {
            ("名詞", "固有名詞", "人名") => Pos::Person,
            ("名詞", "固有名詞", "地域") => Pos::Place,
            ("名詞", "固有名詞", "組織") => Pos::Org,
            ("名詞", "固有名詞", _) => Pos::Proper,
            ("名詞", "接尾", _) => Pos::Suffix,
            ("名詞", _, _) => Pos::Noun,
            ("接頭詞", _, _) => Pos::Prefix,
            ("記号", _, _) => Pos::Symbol,
            _ => Pos::Other,
        }
    }
}
