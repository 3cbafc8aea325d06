//! The morphological dictionary (lindera, IPADIC by default), the person-name
//! table derived from it, and a tokenizer that reuses one lattice per thread.
//!
//! A dictionary loaded with `--dict DIR` may lay its detail columns out
//! differently: [`Schema`] finds the part of speech and the reading by the
//! column names in the dictionary's `metadata.json` (IPADIC and NAIST-JDIC:
//! `reading`; UniDic: `kana`, or `phonological_surface_form` in lindera's
//! own UniDic build), and [`pos_class`] understands both IPADIC's and
//! UniDic's part-of-speech names. The person-name table stays the embedded
//! IPADIC's.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
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
#[repr(u8)]
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

/// Every [`Pos`], in declaration order (`POS_CLASSES[p as usize] == p`).
const POS_CLASSES: [Pos; 10] = [
    Pos::Person,
    Pos::Place,
    Pos::Org,
    Pos::Proper,
    Pos::Suffix,
    Pos::Prefix,
    Pos::Noun,
    Pos::Unknown,
    Pos::Symbol,
    Pos::Other,
];

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
    /// A hash of the full part of speech (its first three levels; 0 for
    /// unknown words and whitespace): a feature of the name model.
    pub pos_key: u32,
}

/// Where the part of speech and the reading are in a dictionary's detail
/// rows (the CSV columns after surface, context ids and cost).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schema {
    /// Detail indices of the first three part-of-speech levels.
    pos: [usize; 3],
    /// Detail index of the katakana reading.
    reading: usize,
}

/// Column names of the first three part-of-speech levels: lindera's
/// IPADIC / UniDic metadata, then lindera's default schema.
const POS_COLUMNS: [&[&str]; 3] = [
    &["part_of_speech", "major_pos"],
    &["part_of_speech_subcategory_1", "pos_detail_1"],
    &["part_of_speech_subcategory_2", "pos_detail_2"],
];

/// Column names of a katakana reading of the surface, best first: UniDic's
/// `kana` (the reading as written), UniDic's pronunciation of the surface
/// (lindera-unidic's name for it), IPADIC's `reading`. (UniDic's `reading`
/// column is the lemma's, so it comes last.)
const READING_COLUMNS: &[&str] = &["kana", "phonological_surface_form", "reading"];

/// The columns before the details in every lindera schema.
const LEADING_COLUMNS: usize = 4;

impl Schema {
    /// The schema of a dictionary whose CSV columns are `fields` (surface,
    /// left and right context ids, cost, then the details); `name` and
    /// `dir` name the dictionary in the error.
    ///
    /// # Errors
    ///
    /// [`Error::Build`] when a part-of-speech or reading column is missing:
    /// the name rules would find no names with it.
    pub fn from_fields(name: &str, dir: &str, fields: &[String]) -> Result<Schema, Error> {
        let detail = |names: &[&str]| {
            names.iter().find_map(|n| {
                fields
                    .iter()
                    .position(|f| f == n)
                    .filter(|&i| i >= LEADING_COLUMNS)
                    .map(|i| i - LEADING_COLUMNS)
            })
        };
        let missing = |what: &str, names: &[&str]| Error::Build {
            detector: "name",
            message: format!(
                "dictionary \"{name}\" ({dir}): unknown schema, no {what} column ({}) among \
                 its fields [{}]; mask reads IPADIC-style and UniDic-style metadata.json",
                names.join(" / "),
                fields.join(", ")
            ),
        };
        let mut pos = [0; 3];
        for (level, names) in POS_COLUMNS.iter().enumerate() {
            pos[level] = detail(names).ok_or_else(|| missing("part-of-speech", names))?;
        }
        let reading = detail(READING_COLUMNS).ok_or_else(|| missing("reading", READING_COLUMNS))?;
        Ok(Schema { pos, reading })
    }

    /// The three part-of-speech levels of a detail row ("" when missing).
    fn pos_levels<'a>(&self, details: impl Iterator<Item = &'a str>) -> [&'a str; 3] {
        let mut out = [""; 3];
        let last = self
            .pos
            .iter()
            .max()
            .copied()
            .unwrap_or(0)
            .max(self.reading);
        for (i, f) in details.take(last + 1).enumerate() {
            for (level, &at) in self.pos.iter().enumerate() {
                if at == i {
                    out[level] = f;
                }
            }
        }
        out
    }

    /// The reading of a detail row ("" when missing or `*`).
    fn reading_of<'a>(&self, mut details: impl Iterator<Item = &'a str>) -> &'a str {
        details
            .nth(self.reading)
            .filter(|r| *r != "*")
            .unwrap_or("")
    }
}

/// The class of a part of speech given as its first three levels, in
/// IPADIC's names (名詞,固有名詞,地域; 名詞,接尾; 接頭詞; 記号) or UniDic's
/// (名詞,固有名詞,地名; 接尾辞; 接頭辞; 補助記号, 空白; 代名詞).
pub fn pos_class(p0: &str, p1: &str, p2: &str) -> Pos {
    match (p0, p1, p2) {
        ("名詞", "固有名詞", "人名") => Pos::Person,
        ("名詞", "固有名詞", "地域" | "地名") => Pos::Place,
        ("名詞", "固有名詞", "組織") => Pos::Org,
        ("名詞", "固有名詞", _) => Pos::Proper,
        ("名詞", "接尾", _) | ("接尾辞", _, _) => Pos::Suffix,
        ("名詞" | "代名詞", _, _) => Pos::Noun,
        ("接頭詞" | "接頭辞", _, _) => Pos::Prefix,
        ("記号" | "補助記号" | "空白", _, _) => Pos::Symbol,
        _ => Pos::Other,
    }
}

/// The dictionary and the name table, shared read-only by all threads.
pub struct Lexicon {
    dict: Dictionary,
    schema: Schema,
    names: HashMap<&'static str, NameInfo, FastHash>,
    /// First two characters of every person-name surface of two or more
    /// characters that starts with a kanji: the prefilter.
    bigrams: HashSet<u64, FastHash>,
    /// [`Lexicon::pos_and_key`] of every system word, filled on first use
    /// (0: not yet; a filled entry is never 0, its key has bit 0 set).
    /// Parsing a word's detail record on every token was 8% of a run.
    pos_memo: Box<[AtomicU64]>,
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

pub(super) type FastHash = BuildHasherDefault<Fnv>;

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
        let schema = Schema::from_fields(
            &dict.metadata.name,
            &dir.map_or_else(|| "embedded".to_string(), |d| d.display().to_string()),
            &dict.metadata.dictionary_schema.fields,
        )?;
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
        let words = dict.prefix_dictionary.words_idx_data.len() / 4;
        Ok(Lexicon {
            dict,
            schema,
            names,
            bigrams,
            pos_memo: (0..words).map(|_| AtomicU64::new(0)).collect(),
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
        self.schema
            .reading_of(self.dict.word_details_iter(w.id() as usize))
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
                let (pos, pos_key) = if surface.trim().is_empty() {
                    (Pos::Symbol, 0)
                } else if w.is_unknown() {
                    (Pos::Unknown, 0)
                } else {
                    self.pos_and_key(w)
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
                                last.pos_key = 0;
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
                    pos_key,
                });
            }
        });
    }

    fn pos(&self, w: WordId) -> Pos {
        self.pos_and_key(w).0
    }

    /// The class of a word's part of speech and a hash of its first three
    /// levels (never 0).
    fn pos_and_key(&self, w: WordId) -> (Pos, u32) {
        let slot = (w.is_system() && !w.is_unknown())
            .then(|| self.pos_memo.get(w.id() as usize))
            .flatten();
        if let Some(v) = slot.map(|s| s.load(Ordering::Relaxed)).filter(|&v| v != 0) {
            return (POS_CLASSES[(v >> 32) as usize], v as u32);
        }
        let [p0, p1, p2] = self
            .schema
            .pos_levels(self.dict.word_details_iter(w.id() as usize));
        let mut h = Fnv::default();
        for p in [p0, p1, p2] {
            h.write(p.as_bytes());
            h.write(b",");
        }
        let (pos, key) = (pos_class(p0, p1, p2), (h.finish() as u32) | 1);
        if let Some(s) = slot {
            s.store((pos as u64) << 32 | u64::from(key), Ordering::Relaxed);
        }
        (pos, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    const HEAD: [&str; 4] = ["surface", "left_context_id", "right_context_id", "cost"];

    fn ipadic_fields() -> Vec<String> {
        let mut f = HEAD.to_vec();
        f.extend([
            "part_of_speech",
            "part_of_speech_subcategory_1",
            "part_of_speech_subcategory_2",
            "part_of_speech_subcategory_3",
            "conjugation_form",
            "conjugation_type",
            "base_form",
            "reading",
            "pronunciation",
        ]);
        fields(&f)
    }

    /// dictionaries/alt/unidic.metadata.json (UniDic 3.1 CSV columns).
    fn unidic31_fields() -> Vec<String> {
        let text = include_str!("../../../dictionaries/alt/unidic.metadata.json");
        let v: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
        v["dictionary_schema"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| f.as_str().expect("string").to_string())
            .collect()
    }

    #[test]
    fn ipadic_and_naist_jdic_read_pos_and_reading_where_ipadic_has_them() {
        let s = Schema::from_fields("ipadic", "embedded", &ipadic_fields()).expect("known");
        assert_eq!(
            s,
            Schema {
                pos: [0, 1, 2],
                reading: 7
            }
        );
        // NAIST-JDIC: IPADIC's columns plus two more.
        let text = include_str!("../../../dictionaries/alt/naist-jdic.metadata.json");
        let v: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
        let f: Vec<String> = v["dictionary_schema"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| f.as_str().expect("string").to_string())
            .collect();
        assert_eq!(
            Schema::from_fields("naist-jdic", "d", &f).expect("known"),
            s
        );
        // A NAIST-JDIC detail row: 山田,1290,1290,3000,名詞,固有名詞,人名,姓,*,*,山田,ヤマダ,ヤマダ,,
        let row = [
            "名詞",
            "固有名詞",
            "人名",
            "姓",
            "*",
            "*",
            "山田",
            "ヤマダ",
            "ヤマダ",
            "",
            "",
        ];
        assert_eq!(s.pos_levels(row.into_iter()), ["名詞", "固有名詞", "人名"]);
        assert_eq!(s.reading_of(row.into_iter()), "ヤマダ");
    }

    #[test]
    fn unidic_reads_the_kana_column_not_the_lemma_reading() {
        let s = Schema::from_fields("unidic", "d", &unidic31_fields()).expect("known");
        // A UniDic 3.1 row of lex_3_1.csv (after surface, ids and cost).
        let row = "名詞,固有名詞,人名,姓,*,*,アイウチ,アイウチ,愛内,アイウチ,愛内,アイウチ,固,*,*,*,*,*,*,姓,アイウチ,アイウチ,アイウチ,アイウチ,1,*,*,19700783125766656,71671";
        assert_eq!(s.pos_levels(row.split(',')), ["名詞", "固有名詞", "人名"]);
        assert_eq!(s.reading_of(row.split(',')), "アイウチ");
        // 行っ: the kana of the surface (イッ), not the lemma's reading (イク).
        let row = "動詞,非自立可能,*,*,五段-カ行,連用形-促音便,イク,行く,行っ,イッ,行く,イク,和,*,*,*,*,*,*,用,イッ,イク,イッ,イク,0,C2,*,1,2";
        assert_eq!(s.reading_of(row.split(',')), "イッ");
        // lindera-unidic's own (UniDic 2.1) column names: the pronunciation.
        let mut f = HEAD.to_vec();
        f.extend([
            "part_of_speech",
            "part_of_speech_subcategory_1",
            "part_of_speech_subcategory_2",
            "part_of_speech_subcategory_3",
            "conjugation_type",
            "conjugation_form",
            "reading",
            "lexeme",
            "orthographic_surface_form",
            "phonological_surface_form",
        ]);
        let s = Schema::from_fields("unidic", "d", &fields(&f)).expect("known");
        assert_eq!(s.reading, 9);
    }

    #[test]
    fn an_unknown_schema_is_an_error_naming_the_dictionary() {
        let mut f = HEAD.to_vec();
        f.extend(["pos", "pinyin", "definition"]);
        let e = Schema::from_fields("cc-cedict", "/dicts/cedict", &fields(&f))
            .expect_err("no POS columns");
        let msg = e.to_string();
        assert!(
            msg.contains("cc-cedict") && msg.contains("/dicts/cedict"),
            "{msg}"
        );
        assert!(msg.contains("part-of-speech"), "{msg}");
        // POS columns but no reading.
        let mut f = HEAD.to_vec();
        f.extend([
            "part_of_speech",
            "part_of_speech_subcategory_1",
            "part_of_speech_subcategory_2",
        ]);
        let msg = Schema::from_fields("x", "d", &fields(&f))
            .expect_err("no reading")
            .to_string();
        assert!(msg.contains("reading"), "{msg}");
    }

    #[test]
    fn pos_classes_cover_ipadic_and_unidic_names() {
        let cases = [
            (("名詞", "固有名詞", "人名"), Pos::Person),
            (("名詞", "固有名詞", "地域"), Pos::Place),
            (("名詞", "固有名詞", "地名"), Pos::Place),
            (("名詞", "固有名詞", "組織"), Pos::Org),
            (("名詞", "固有名詞", "一般"), Pos::Proper),
            (("名詞", "接尾", "人名"), Pos::Suffix),
            (("接尾辞", "名詞的", "一般"), Pos::Suffix),
            (("名詞", "普通名詞", "一般"), Pos::Noun),
            (("代名詞", "*", "*"), Pos::Noun),
            (("接頭詞", "名詞接続", "*"), Pos::Prefix),
            (("接頭辞", "*", "*"), Pos::Prefix),
            (("記号", "一般", "*"), Pos::Symbol),
            (("補助記号", "句点", "*"), Pos::Symbol),
            (("空白", "*", "*"), Pos::Symbol),
            (("助詞", "格助詞", "*"), Pos::Other),
        ];
        for ((a, b, c), want) in cases {
            assert_eq!(pos_class(a, b, c), want, "{a},{b},{c}");
        }
    }

    #[test]
    fn the_embedded_dictionary_has_the_ipadic_schema() {
        let l = Lexicon::embedded().expect("embedded IPADIC loads");
        assert_eq!(
            l.schema,
            Schema {
                pos: [0, 1, 2],
                reading: 7
            }
        );
    }

    #[test]
    fn the_part_of_speech_memo_gives_what_the_detail_record_says() {
        let l = Lexicon::embedded().expect("embedded IPADIC loads");
        let mut toks = Vec::new();
        let text = "山田太郎様は東京の大学で報告を書いた。";
        l.tokenize(text, 0..text.len(), &mut toks);
        for (i, p) in POS_CLASSES.iter().enumerate() {
            assert_eq!(*p as usize, i, "{p:?}");
        }
        for t in toks.iter().filter(|t| !t.word.is_unknown()) {
            let fresh = {
                let [p0, p1, p2] = l
                    .schema
                    .pos_levels(l.dict.word_details_iter(t.word.id() as usize));
                pos_class(p0, p1, p2)
            };
            // Twice: the second answer comes from the memo.
            assert_eq!(l.pos_and_key(t.word).0, fresh, "{}", &text[t.start..t.end]);
            assert_eq!(l.pos_and_key(t.word), l.pos_and_key(t.word));
        }
    }
}
