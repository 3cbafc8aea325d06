//! Features of each token for the name model ([`super::model`]).
//!
//! A token is described by a fixed number ([`PER_TOKEN`]) of hashed
//! features: its surface, part of speech and character class and those of
//! its neighbours (±2), its length, its first and last characters and the
//! ends of its reading, what the person-name tables know of it (surname /
//! given name / other), the honorific or title right after it (`様`,
//! `さん`, `部長`, …) or after the next tokens, the label before it
//! (`作成者:`, `From:`), a `:` after it, the shape of its line (salutation,
//! mail header, chat speaker, attendee list, `label: value`, furigana,
//! short line, bullet) and the evidence of the context rules
//! ([`Evidence`]) that cover it. ENAMDICT ([`super::gazetteer`]) adds what
//! it knows of the token, of the token glued to its neighbour and of a
//! kana or Latin spelling (surname / given / unclassified / place,
//! and whether its reading agrees with IPADIC's), and the text around adds
//! a bracket after the name (`（1840年 - 1900年）`, a reading), the
//! `・`-joined katakana run the token is in, and words ±3 away. ENAMDICT's
//! full names of particular persons (`足利尊氏`, `ジャン＝ジャック・ルソー`,
//! `George Soros`) mark the tokens of a span that spells one, with the
//! token's place in it ([`full_names`]).
//! The token's distributional word classes ([`clusters`]: which words it
//! is used like, from word vectors) generalise from the names seen in
//! training to names never seen (`班固` is used like `項羽`). What the
//! sentence says of its topic (the last noun after the first `は`:
//! `ソポクレスは、…悲劇詩人。`) is a feature of the tokens before the `は`,
//! and a katakana `・` run tells whether a part of it is a common noun
//! (`ワーナー・ブラザース`) and which word is glued after it (`ユリウス暦`).
//!
//! Each feature is a template number and a value mixed into one of
//! 2^[`BUCKET_BITS`](super::model::BUCKET_BITS) buckets (feature hashing):
//! no feature table to store, and changing one template changes one line
//! here. Retrain after any change (`cargo run --release --example
//! train_names`).

use super::clusters;
use super::context::{ends_with_any, starts_with_any, AFTER, INTRO_AFTER, LABELS, STRONG_AFTER};
use super::gazetteer::{full_name_key, FullName, Gazetteer, Kinds};
use super::lexicon::{FastHash, Lexicon, Pos, Tok};
use super::model::BUCKET_BITS;
use super::romaji::{is_kana, is_kanji};

/// How many features every token has.
pub const PER_TOKEN: usize = 92;

/// ENAMDICT facts already looked up in this input (by a hash of the
/// surface and its dictionary word): an input repeats its words, and a
/// lookup is a binary search over the table. Owned by the caller's scratch
/// space, so nothing outlives one detection.
#[derive(Default)]
pub struct GazCache(std::collections::HashMap<u64, u64, FastHash>);

impl GazCache {
    /// Entries kept at most (then the cache starts over).
    const MAX: usize = 1 << 16;

    fn get_or(&mut self, key: u64, f: impl FnOnce() -> u64) -> u64 {
        if let Some(&v) = self.0.get(&key) {
            return v;
        }
        if self.0.len() >= Self::MAX {
            self.0.clear();
        }
        let v = f();
        self.0.insert(key, v);
        v
    }
}

/// What a context rule found a token inside (the rules' hits, as
/// features; see [`super::NameDetector`]'s rule pass).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Evidence {
    /// No rule covers the token.
    None = 0,
    /// A label's value (`氏名：`, `担当：`, `From:`).
    Label,
    /// A reading after a reading label (`フリガナ：`).
    Reading,
    /// Before a strong honorific (`様`, `さん`, `氏`).
    HonorStrong,
    /// Before a self-introduction (`と申します`).
    HonorIntro,
    /// Before a title (`部長`, `先生`).
    HonorTitle,
    /// Two name words, one known (`髙橋 悠真`).
    FullName,
    /// A dictionary surname + given name (`山田太郎`).
    DictFull,
    /// Katakana words joined by `・` with a person name among them.
    Foreign,
    /// An `@mention`.
    At,
    /// A chat or log speaker (`[10:11] 山田:`).
    Speaker,
    /// A signature line the dictionary half knows (`藤井紬`).
    Signature,
    /// A line that is only a name.
    Line,
}

impl Evidence {
    /// Rules whose hits stand on context, not on the dictionary alone: the
    /// detector keeps them unless the model rejects them outright.
    pub fn is_context(self) -> bool {
        matches!(
            self,
            Evidence::Label
                | Evidence::Reading
                | Evidence::HonorStrong
                | Evidence::HonorIntro
                | Evidence::At
                | Evidence::Speaker
        )
    }
}

/// The shape of a line, a feature of every token on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum LineShape {
    /// Ordinary prose.
    Prose = 0,
    /// A salutation (`山田様`, `営業部 各位`): short, ends with an honorific.
    Salutation,
    /// A mail header (`From:`, `To:`, `差出人：`).
    Header,
    /// A chat line with a time stamp (`[10:11] 山田: …`, `13:15 山田：`).
    Chat,
    /// An attendee list (`出席者：…`).
    Attendees,
    /// `label: value`.
    LabelValue,
    /// A line of kana only (a furigana line).
    Furigana,
    /// A short line (≤ 10 characters: a signature line, a heading).
    Short,
    /// A bullet (`- `, `・`, `●`).
    Bullet,
}

/// The shape of `line` (no line break).
pub fn line_shape(line: &str) -> LineShape {
    let t = line.trim();
    let chars = t.chars().count();
    let starts = |ps: &[&str]| ps.iter().any(|p| t.starts_with(p));
    if starts(&[
        "From:",
        "To:",
        "Cc:",
        "CC:",
        "差出人",
        "宛先",
        "送信者",
        "件名",
        "Subject:",
    ]) {
        return LineShape::Header;
    }
    if starts(&["出席者", "参加者", "欠席者", "出席"]) {
        return LineShape::Attendees;
    }
    let head: String = t.chars().take(12).collect();
    if t.starts_with('[') && head.contains(':') || is_clock_start(t) {
        return LineShape::Chat;
    }
    if chars > 0 && t.chars().all(|c| is_kana(c) || c == ' ' || c == '・') {
        return LineShape::Furigana;
    }
    if chars <= 30 && ends_with_any(t, &["様", "さん", "殿", "各位", "先生", "御中", "様へ"])
    {
        return LineShape::Salutation;
    }
    // An ASCII bullet is `- ` or `* ` (a space after it): a line opening
    // with a masked number (`***-****-5678`) is no list item, or masking
    // twice would read the line differently the second time.
    let ascii_bullet = ["- ", "* ", "-\t", "*\t"].iter().any(|b| t.starts_with(b));
    if ascii_bullet || starts(&["・", "●", "■", "◆", "○", "•"]) {
        return LineShape::Bullet;
    }
    if head.contains(':') {
        return LineShape::LabelValue;
    }
    if chars <= 10 {
        return LineShape::Short;
    }
    LineShape::Prose
}

/// `13:15 …` or `9:05 …` at the start of a line.
fn is_clock_start(t: &str) -> bool {
    let b = t.as_bytes();
    let h = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=2).contains(&h)
        && b.get(h) == Some(&b':')
        && b.get(h + 1).is_some_and(u8::is_ascii_digit)
        && b.get(h + 2).is_some_and(u8::is_ascii_digit)
}

/// Character class of a token: 0 kanji, 1 hiragana, 2 katakana, 3 latin,
/// 4 digits, 5 space, 6 symbol, 7 mixed.
fn char_class(s: &str) -> u8 {
    let class = |c: char| -> u8 {
        if is_kanji(c) {
            0
        } else if ('ぁ'..='ゖ').contains(&c) {
            1
        } else if ('ァ'..='ヺ').contains(&c) || c == 'ー' {
            2
        } else if c.is_ascii_alphabetic() {
            3
        } else if c.is_ascii_digit() {
            4
        } else if c.is_whitespace() {
            5
        } else {
            6
        }
    };
    let mut it = s.chars().map(class);
    let Some(first) = it.next() else { return 6 };
    if it.all(|c| c == first) {
        first
    } else {
        7
    }
}

/// What the features need of one token, computed once.
#[derive(Clone, Copy, Debug, Default)]
struct Facts {
    surface: u64,
    pos: u64,
    class: u64,
    len: u64,
    kinds: u64,
    first: u64,
    last: u64,
    reading_ends: u64,
    hon: u64,
    hon_word: u64,
    ev: u64,
    colon: u64,
    /// ENAMDICT: see [`gaz_of`].
    gz: u64,
    /// ENAMDICT kinds of this token glued to the next (person bits and
    /// place), 0 when not a name.
    gz_next: u64,
    /// A katakana token IPADIC kept whole across `・` / `＝`
    /// (`トマス・ホッブズ`): see [`dotted_parts`].
    dotted: u64,
    /// ENAMDICT kinds of the 3–4 glued same-script tokens the token is in.
    run: u64,
    /// Katakana `・` run: parts (≤ 4) * 4 + place (0 alone, 1 first, 2
    /// middle, 3 last).
    kata_run: u64,
    /// Common nouns in the token's katakana run: bit 0 some part is one
    /// (`ブラザース`, `スタジアム`), bit 1 the last part is.
    run_nouns: u64,
    /// The surface glued right after the token's katakana run (`暦` in
    /// `ユリウス暦`, `人` in `アングロ・サクソン人`), [`EDGE`] when none.
    run_after: u64,
    /// What a bracket right after the token (or after the next tokens)
    /// holds: see [`bracket_after`].
    paren: u64,
    /// The ENAMDICT full name (kind `h`) the token is in: see
    /// [`full_names`]; 0 when none.
    full: u64,
    /// The token's word classes ([`clusters::Classes::packed`]), 0 when
    /// the table does not have it.
    cl: u64,
}

/// Template numbers: one a feature kind (and neighbour offset).
mod t {
    pub const BIAS: u64 = 1;
    pub const SURF: u64 = 10; // +0..4 for offsets -2..=2
    pub const POS: u64 = 20;
    pub const CLASS: u64 = 30;
    pub const KINDS: u64 = 40;
    pub const EV: u64 = 50;
    pub const HON: u64 = 60;
    pub const CLASS_BI_L: u64 = 70;
    pub const CLASS_BI_R: u64 = 71;
    pub const POS_BI_L: u64 = 72;
    pub const POS_BI_R: u64 = 73;
    pub const KINDS_POS: u64 = 74;
    pub const FIRST: u64 = 75;
    pub const LAST: u64 = 76;
    pub const READING: u64 = 77;
    pub const HON_WORD: u64 = 78;
    pub const LABEL: u64 = 79;
    pub const LINE: u64 = 80;
    pub const LINE_FIRST: u64 = 81;
    pub const LINE_POS: u64 = 82;
    pub const COLON: u64 = 83;
    pub const SURF_KINDS_NEXT: u64 = 84;
    pub const LEN_CLASS_KINDS: u64 = 85;
    pub const HON_KINDS: u64 = 86;
    pub const LINE_EV: u64 = 87;
    pub const SHAPE5: u64 = 88;
    pub const POS3: u64 = 89;
    pub const SURF_BI_L: u64 = 90;
    pub const SURF_BI_R: u64 = 91;
    pub const GZ: u64 = 100; // +0..2 for offsets -1..=1
    pub const GZ_POS: u64 = 103;
    pub const GZ_PAIR: u64 = 104; // +0, +1: with the previous / next token
    pub const GZ_FULL: u64 = 106; // +0, +1: previous / next name-ish token's kinds
    pub const GZ_CLASS_LEN: u64 = 108;
    pub const KATA_RUN: u64 = 109;
    pub const KATA_RUN_GZ: u64 = 110;
    pub const PAREN: u64 = 111;
    pub const PAREN_GZ: u64 = 112;
    pub const SURF_FAR: u64 = 113; // +0, +1: offsets -3, +3
    pub const GZ_LINE: u64 = 115;
    pub const GZ_HON: u64 = 116;
    pub const GZ_RUN: u64 = 117;
    pub const CHARS: u64 = 118; // +0 first two, +1 last two, +2 last three
    pub const DOTTED: u64 = 124; // +0 alone, +1 with the next surface, +2 with the previous
    pub const LIFE: u64 = 121;
    pub const FULL: u64 = 130; // +0 alone, +1 with the class, +2 with ENAMDICT
    pub const CL_ROW: u64 = 140;
    pub const CL_FINE: u64 = 141; // +0..2 for offsets -1..=1
    pub const CL_COARSE_CLASS: u64 = 144;
    pub const CL_COARSE_GZ: u64 = 145;
    pub const CL_COARSE_BI: u64 = 146; // +0, +1: with the previous / next token
    pub const CL_FINE_HON: u64 = 148;
    pub const TOPIC: u64 = 150; // +0 the predicate's surface, +1 its word class
    pub const KATA_RUN_NOUNS: u64 = 152;
    pub const KATA_RUN_AFTER: u64 = 153;
    pub const TOP: u64 = 127; // +0 with class and ENAMDICT, +1 with the next surface // +0 with the class, +1 with ENAMDICT, +2 with the next surface
}

/// The surface hash of `・`.
const DOT: u64 = {
    // FNV-1a of "・" (E3 83 BB), computed at compile time.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let b = [0xE3u8, 0x83, 0xBB];
    let mut i = 0;
    while i < 3 {
        h ^= b[i] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
};

/// Value for a position outside the segment.
const EDGE: u64 = 0xED6E;

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The bucket of feature (template, value).
fn bucket(template: u64, value: u64) -> u32 {
    let mut z = value
        .wrapping_add(template.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x632B_E59B_D9B4_E019);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> (64 - BUCKET_BITS)) as u32
}

/// `(len, level)` of the honorific starting `s`: level 3 strong, 2
/// self-introduction, 1 title.
pub fn honorific(s: &str) -> Option<(usize, u8)> {
    let len = starts_with_any(s, AFTER)?;
    let w = &s[..len];
    let level = if STRONG_AFTER.contains(&w) {
        3
    } else if INTRO_AFTER.contains(&w) {
        2
    } else {
        1
    };
    Some((len, level))
}

/// Computes the features of every token of a segment.
///
/// `toks` are the segment's tokens (haystack coordinates in `text`), `ev`
/// the rule evidence of each token (with whether it begins the rule's
/// span), `line` the segment's line shape and `line_start` where its line
/// starts; `cache` keeps ENAMDICT lookups across the segments of an input. Appends [`PER_TOKEN`] bucket numbers per token to `out`.
#[allow(clippy::too_many_arguments)]
pub fn features(
    lex: &Lexicon,
    text: &str,
    toks: &[Tok],
    ev: &[(Evidence, bool)],
    line: LineShape,
    line_start: usize,
    cache: &mut GazCache,
    out: &mut Vec<u32>,
) {
    let n = toks.len();
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |p| line_start + p);
    let life = u64::from(is_lifespan(&text[line_start..line_end]));
    let mut facts: Vec<Facts> = Vec::with_capacity(n);
    for (i, tk) in toks.iter().enumerate() {
        let s = &text[tk.start..tk.end];
        let class = char_class(s);
        let nchars = s.chars().count();
        let first = s.chars().next().map_or(0, |c| c as u64);
        let last = s.chars().next_back().map_or(0, |c| c as u64);
        let reading_ends = if matches!(tk.pos, Pos::Symbol | Pos::Other) {
            0
        } else {
            let r = match tk.name {
                Some(n) => n.reading,
                None => lex.reading(tk.word),
            };
            let a = r.chars().next().map_or(0, |c| c as u64);
            let b = r.chars().next_back().map_or(0, |c| c as u64);
            (a << 32) | b | 1 << 63
        };
        let (hon, hon_word) = match honorific(&text[tk.end..]) {
            Some((l, level)) => (level as u64, fnv(&text[tk.end..tk.end + l])),
            None => (0, 0),
        };
        let colon =
            toks.get(i + 1)
                .is_some_and(|t| matches!(&text[t.start..t.end], ":" | "：")) as u64;
        let (e, begin) = ev.get(i).copied().unwrap_or((Evidence::None, false));
        let looked_up = may_be_name(tk, class, line);
        let surface = fnv(s);
        let gz = if looked_up {
            let key =
                surface.wrapping_mul(31) ^ (tk.word.id() as u64) << 1 ^ tk.word.is_unknown() as u64;
            cache.get_or(key, || gaz_of(lex, s, tk))
        } else {
            0
        };
        let gz_next = match toks.get(i + 1) {
            Some(nx)
                if nx.start == tk.end
                    && looked_up
                    && class < 3
                    && char_class(&text[nx.start..nx.end]) == class
                    && may_be_name(nx, class, line) =>
            {
                let pair = &text[tk.start..nx.end];
                cache.get_or(fnv(pair) ^ 0x5041_4952, || pair_kinds(pair))
            }
            _ => 0,
        };
        facts.push(Facts {
            surface,
            pos: ((tk.pos as u64) << 32) | tk.pos_key as u64,
            class: class as u64,
            len: nchars.min(6) as u64,
            kinds: tk.name.map_or(0, |n| n.kinds as u64 + 1),
            first,
            last,
            reading_ends,
            hon,
            hon_word,
            ev: (e as u64) * 2 + begin as u64,
            colon,
            gz,
            gz_next,
            kata_run: 0,
            run_nouns: 0,
            run_after: EDGE,
            run: 0,
            dotted: if class == 7 {
                cache.get_or(surface ^ 0x444F_5454, || dotted_parts(s))
            } else {
                0
            },
            paren: bracket_after(text, toks, i),
            full: 0,
            cl: if looked_up {
                cache.get_or(surface ^ 0x434C_5553, || {
                    clusters::classes(s).map_or(0, clusters::Classes::packed)
                })
            } else {
                0
            },
        });
    }
    full_names(text, toks, line, cache, &mut facts);
    katakana_runs(text, toks, &mut facts);
    glued_runs(text, toks, &mut facts);
    let topic = topic_predicate(text, toks, &facts);
    let at = |i: usize, d: isize| -> Option<&Facts> {
        let j = i as isize + d;
        (j >= 0 && (j as usize) < n).then(|| &facts[j as usize])
    };
    for (i, tk) in toks.iter().enumerate() {
        let f = &facts[i];
        let start = out.len();
        let mut push = |tpl: u64, v: u64| out.push(bucket(tpl, v));
        push(t::BIAS, 0);
        for d in -2..=2isize {
            let o = (d + 2) as u64;
            let g = at(i, d);
            push(t::SURF + o, g.map_or(EDGE, |g| g.surface));
            push(t::POS + o, g.map_or(EDGE, |g| g.pos));
            push(t::CLASS + o, g.map_or(EDGE, |g| g.class * 8 + g.len));
        }
        for d in -1..=1isize {
            let o = (d + 1) as u64;
            let g = at(i, d);
            push(t::KINDS + o, g.map_or(EDGE, |g| g.kinds));
            push(t::EV + o, g.map_or(EDGE, |g| g.ev));
        }
        for d in 0..=2isize {
            push(t::HON + d as u64, at(i, d).map_or(EDGE, |g| g.hon));
        }
        let prev = at(i, -1);
        let next = at(i, 1);
        push(t::CLASS_BI_L, prev.map_or(EDGE, |g| g.class) * 16 + f.class);
        push(t::CLASS_BI_R, f.class * 16 + next.map_or(EDGE, |g| g.class));
        push(
            t::POS_BI_L,
            prev.map_or(EDGE, |g| g.pos).wrapping_mul(31) ^ f.pos,
        );
        push(
            t::POS_BI_R,
            f.pos.wrapping_mul(31) ^ next.map_or(EDGE, |g| g.pos),
        );
        push(t::KINDS_POS, f.kinds << 40 ^ f.pos);
        push(t::FIRST, f.first);
        push(t::LAST, f.last);
        push(t::READING, f.reading_ends);
        push(t::HON_WORD, f.hon_word);
        push(t::LABEL, label_before(text, toks, i));
        push(t::LINE, line as u64);
        let first_on_line = text[line_start..tk.start].trim().is_empty();
        push(t::LINE_FIRST, (line as u64) * 2 + first_on_line as u64);
        push(t::LINE_POS, (line as u64) << 40 ^ f.pos);
        push(t::COLON, f.colon * 16 + line as u64);
        push(
            t::SURF_KINDS_NEXT,
            f.kinds * 64 + next.map_or(EDGE, |g| g.kinds) * 8 + f.hon,
        );
        push(t::LEN_CLASS_KINDS, (f.len * 8 + f.class) * 8 + f.kinds);
        push(t::HON_KINDS, next.map_or(EDGE, |g| g.hon) * 16 + f.kinds);
        push(t::LINE_EV, (line as u64) * 32 + f.ev);
        let mut shape = 0u64;
        let mut pos3 = 0u64;
        for d in -2..=2isize {
            let c = match at(i, d) {
                None => 15,
                Some(g) if g.surface == DOT => 8,
                Some(g) => g.class,
            };
            shape = shape * 16 + c;
            if (-1..=1).contains(&d) {
                pos3 = pos3 * 16 + at(i, d).map_or(15, |g| g.pos >> 32);
            }
        }
        push(t::SHAPE5, shape);
        push(t::POS3, pos3);
        push(
            t::SURF_BI_L,
            prev.map_or(EDGE, |g| g.surface).wrapping_mul(31) ^ f.surface,
        );
        push(
            t::SURF_BI_R,
            f.surface.wrapping_mul(31) ^ next.map_or(EDGE, |g| g.surface),
        );
        let gzc = |g: Option<&Facts>| g.map_or(EDGE, |g| coarse(g.gz));
        for d in -1..=1isize {
            push(t::GZ + (d + 1) as u64, gzc(at(i, d)));
        }
        push(t::GZ_POS, coarse(f.gz) << 40 ^ f.pos);
        push(t::GZ_PAIR, prev.map_or(EDGE, |g| g.gz_next));
        push(t::GZ_PAIR + 1, f.gz_next);
        // The nearest token on each side that is not a space: a surname
        // before a given name, a given name after a surname.
        let nonspace = |d: isize| -> Option<&Facts> {
            let mut j = i as isize + d;
            while j >= 0 && (j as usize) < n {
                let g = &facts[j as usize];
                if g.class != 5 {
                    return Some(g);
                }
                j += d;
            }
            None
        };
        push(
            t::GZ_FULL,
            gzc(nonspace(-1)) * 64 + coarse(f.gz) * 2 + f.kinds.min(1),
        );
        push(
            t::GZ_FULL + 1,
            coarse(f.gz) * 64 + gzc(nonspace(1)) * 2 + f.kinds.min(1),
        );
        push(t::GZ_CLASS_LEN, (coarse(f.gz) * 8 + f.class) * 8 + f.len);
        push(t::KATA_RUN, f.kata_run * 16 + next.map_or(EDGE, |g| g.hon));
        push(t::KATA_RUN_GZ, f.kata_run * 64 + coarse(f.gz));
        push(t::PAREN, f.paren);
        push(t::PAREN_GZ, f.paren * 64 + coarse(f.gz));
        push(t::SURF_FAR, at(i, -3).map_or(EDGE, |g| g.surface));
        push(t::SURF_FAR + 1, at(i, 3).map_or(EDGE, |g| g.surface));
        push(t::GZ_LINE, (line as u64) * 64 + coarse(f.gz));
        push(
            t::GZ_HON,
            coarse(f.gz) * 64 + next.map_or(EDGE, |g| g.hon_word & 0xFFFF),
        );
        push(t::GZ_RUN, f.run * 16 + line as u64);
        let s = &text[tk.start..tk.end];
        let (c2, l2, l3) = if f.class < 3 || f.class == 7 {
            char_ends(s)
        } else {
            (EDGE, EDGE, EDGE)
        };
        push(t::CHARS, c2);
        push(t::CHARS + 1, l2);
        push(t::CHARS + 2, l3);
        push(t::DOTTED, f.dotted);
        push(
            t::DOTTED + 1,
            f.dotted.wrapping_mul(0x1F) ^ next.map_or(EDGE, |g| g.surface),
        );
        push(
            t::DOTTED + 2,
            f.dotted.wrapping_mul(0x1F) ^ prev.map_or(EDGE, |g| g.surface),
        );
        let top = u64::from(line_start == 0);
        push(
            t::TOP,
            top * 4096 + f.class * 256 + coarse(f.gz) * 4 + f.kinds.min(1),
        );
        push(
            t::TOP + 1,
            (top * 0x3F + f.class).wrapping_add(next.map_or(EDGE, |g| g.surface)),
        );
        push(t::LIFE, life * 256 + f.class * 8 + f.len);
        push(t::LIFE + 1, life * 256 + coarse(f.gz) * 2 + f.kinds.min(1));
        push(
            t::LIFE + 2,
            (life * 0x1F).wrapping_add(next.map_or(EDGE, |g| g.surface)),
        );
        push(t::FULL, f.full);
        push(t::FULL + 1, f.full * 16 + f.class);
        push(t::FULL + 2, (f.full & 7) * 64 + coarse(f.gz));
        let fine = |g: Option<&Facts>| g.map_or(EDGE, |g| g.cl >> 8 & 0xFFFF);
        let cc = |g: Option<&Facts>| {
            g.map_or(EDGE & 0xFF, |g| (g.cl & 0xFF) | ((g.cl == 0) as u64 * 0x80))
        };
        push(t::CL_ROW, f.cl >> 24);
        for d in -1..=1isize {
            push(t::CL_FINE + (d + 1) as u64, fine(at(i, d)));
        }
        push(t::CL_COARSE_CLASS, (cc(Some(f)) * 8 + f.class) * 8 + f.len);
        push(t::CL_COARSE_GZ, cc(Some(f)) * 64 + coarse(f.gz));
        push(t::CL_COARSE_BI, cc(prev) * 256 + cc(Some(f)));
        push(t::CL_COARSE_BI + 1, cc(Some(f)) * 256 + cc(next));
        push(
            t::CL_FINE_HON,
            fine(Some(f)) * 16 + next.map_or(EDGE, |g| g.hon),
        );
        let (pred_surface, pred_class) = match topic {
            Some((p, h)) if i < p && p - i <= TOPIC_REACH => {
                (facts[h].surface, facts[h].cl >> 8 & 0xFFFF)
            }
            _ => (EDGE, EDGE),
        };
        push(t::TOPIC, pred_surface);
        push(t::TOPIC + 1, pred_class * 8 + f.class);
        push(
            t::KATA_RUN_NOUNS,
            (f.run_nouns * 64 + f.kata_run) * 64 + coarse(f.gz),
        );
        push(
            t::KATA_RUN_AFTER,
            f.run_after.wrapping_mul(0x3F) ^ f.kata_run & 3,
        );
        debug_assert_eq!(out.len() - start, PER_TOKEN);
    }
}

/// Tokens before a topic's `は` that are read as its subject.
const TOPIC_REACH: usize = 8;

/// The sentence's topic and what is said of it: `(index of the first は
/// particle, index of the last noun after it)` (`ソポクレスは、…の悲劇詩人。`
/// → `は`, `詩人`). A subject described as a 政治家, 作家 or 僧 is a person;
/// one described as a 法則 or 山脈 is not — the model learns which.
fn topic_predicate(text: &str, toks: &[Tok], facts: &[Facts]) -> Option<(usize, usize)> {
    let p = toks
        .iter()
        .position(|t| t.pos == Pos::Other && &text[t.start..t.end] == "は")?;
    let h = toks[p + 1..].iter().rposition(|t| {
        matches!(
            t.pos,
            Pos::Noun
                | Pos::Suffix
                | Pos::Proper
                | Pos::Person
                | Pos::Place
                | Pos::Org
                | Pos::Unknown
        )
    })?;
    let h = p + 1 + h;
    facts.get(h)?;
    Some((p, h))
}

/// 1 + the index of the label (in [`LABELS`]) that ends right before token
/// `i` (a `:` or space between), 0 when there is none.
fn label_before(text: &str, toks: &[Tok], i: usize) -> u64 {
    let mut j = i;
    let mut sep = false;
    while j > 0 {
        let s = &text[toks[j - 1].start..toks[j - 1].end];
        if matches!(s, ":" | "：" | " " | "】" | "]" | "=") {
            sep = true;
            j -= 1;
        } else {
            break;
        }
    }
    if !sep || j == 0 {
        return 0;
    }
    let before = &text[..toks[j - 1].end];
    LABELS
        .iter()
        .position(|(l, _)| before.ends_with(l))
        .map_or(0, |p| p as u64 + 1)
}

/// True for a token worth looking up in ENAMDICT: a noun, a proper noun,
/// an unknown word, a suffix or prefix written in letters (a particle or a
/// verb is not a name, except on a furigana line, where IPADIC cuts a
/// reading into any words).
fn may_be_name(tk: &Tok, class: u8, line: LineShape) -> bool {
    let letters = matches!(class, 0..=3 | 7);
    match tk.pos {
        Pos::Symbol => false,
        Pos::Other => letters && line == LineShape::Furigana,
        _ => letters,
    }
}

/// What ENAMDICT knows of a token: bits 0..=6 the kinds of its surface
/// (s g m f u p c), bit 7 a kana or Latin spelling that is a person's
/// reading, bit 8 the surface's ENAMDICT reading equals IPADIC's reading
/// of the token.
fn gaz_of(lex: &Lexicon, s: &str, tk: &Tok) -> u64 {
    let g = Gazetteer::embedded();
    let mut v = 0u64;
    let all_kana = s.chars().all(|c| is_kana(c) || c == 'ー');
    if let Some(e) = g.lookup(s) {
        v |= e.kinds().bits() as u64;
        if !all_kana {
            let r = match tk.name {
                Some(n) => n.reading,
                None => lex.reading(tk.word),
            };
            if !r.is_empty()
                && e.readings()
                    .any(|x| x.kinds.contains(Kinds::PERSON) && x.katakana == r)
            {
                v |= 1 << 8;
            }
        }
    }
    if all_kana && s.chars().count() >= 2 && g.reading_kinds(s).contains(Kinds::PERSON) {
        v |= 1 << 7;
    }
    let b = s.as_bytes();
    if b.len() >= 3
        && b[0].is_ascii_uppercase()
        && b.iter().all(u8::is_ascii_alphabetic)
        && g.romaji(s).contains(Kinds::PERSON)
    {
        v |= 1 << 7;
    }
    v
}

/// [`gaz_of`]'s value folded to what the templates combine (surname,
/// given, unclassified, place or company, a spelling, agreement): 6 bits.
fn coarse(gz: u64) -> u64 {
    let has = |k: Kinds| gz & k.bits() as u64 != 0;
    u64::from(has(Kinds::SURNAME))
        | u64::from(has(Kinds::GIVEN)) << 1
        | u64::from(has(Kinds::UNCLASSIFIED)) << 2
        | u64::from(has(Kinds::PLACE | Kinds::COMPANY)) << 3
        | (gz >> 7 & 1) << 4
        | (gz >> 8 & 1) << 5
}

/// ENAMDICT kinds of two or more glued tokens of one script (`颯` + `太`,
/// `あしかが` read as a surname), as [`coarse`] bits and bit 6 (found).
fn pair_kinds(s: &str) -> u64 {
    let g = Gazetteer::embedded();
    let mut v = g
        .lookup(s)
        .map_or(0, |e| coarse(e.kinds().bits() as u64) | 1 << 6);
    if s.chars().all(is_kana) && g.reading_kinds(s).contains(Kinds::PERSON) {
        v |= 1 << 4 | 1 << 6;
    }
    v
}

/// Marks the tokens of every run of 3 to 4 glued tokens of one script
/// (kanji or kana, at most 8 characters) that ENAMDICT knows as a whole.
fn glued_runs(text: &str, toks: &[Tok], facts: &mut [Facts]) {
    let mut i = 0;
    while i < toks.len() {
        let c = facts[i].class;
        let mut j = i + 1;
        while j < toks.len() && facts[j].class == c && toks[j].start == toks[j - 1].end {
            j += 1;
        }
        if c < 3 && (3..=4).contains(&(j - i)) {
            let s = &text[toks[i].start..toks[j - 1].end];
            if s.chars().count() <= 8 {
                let v = pair_kinds(s);
                for f in &mut facts[i..j] {
                    f.run = v;
                }
            }
        }
        i = j;
    }
}

/// Content tokens a full-name span holds at most: kanji and kana names
/// (`愛新覚羅`+`溥儀`), and `・`-joined katakana or Latin names, whose
/// parts IPADIC may cut further.
const FULL_TOKENS: usize = 4;
const FULL_TOKENS_DOTTED: usize = 6;

/// Marks the tokens of every span that is an ENAMDICT full name of a
/// particular person (kind `h`; [`Gazetteer::full_name`]): 1 to 4 glued
/// letter tokens (`足利`+`尊氏`), a space or `・` / `＝` / `=` allowed
/// between two of them (`足利　尊氏`, `ジャン＝ジャック・ルソー`, up to 6
/// tokens when joined so), or Latin words one space apart (`George
/// Soros`). Left to right, the longest span from a name-like token wins.
/// A token's value: its place (1 the whole span, 2 first, 3 inside, 4
/// last) + 8 × the span's tokens (≤ 4), + 32 when the token lies in the
/// surname part, + 64 in the given-name part (neither: it crosses the
/// split, or ENAMDICT does not tell).
fn full_names(
    text: &str,
    toks: &[Tok],
    line: LineShape,
    cache: &mut GazCache,
    facts: &mut [Facts],
) {
    let g = Gazetteer::embedded();
    let sep = |s: &str| matches!(s, " " | "\u{3000}" | "・" | "＝" | "=");
    let mut key = String::new();
    let mut i = 0;
    while i < toks.len() {
        let c0 = facts[i].class;
        if !may_be_name(&toks[i], c0 as u8, line) {
            i += 1;
            continue;
        }
        let latin = c0 == 3;
        key.clear();
        // (last content token, content tokens, surname characters).
        let mut best: Option<(usize, usize, u8)> = None;
        let mut content = 0usize;
        let mut dotted = false;
        let mut j = i;
        let mut prev_end = toks[i].start;
        while j < toks.len() {
            let tk = &toks[j];
            let s = &text[tk.start..tk.end];
            let c = facts[j].class;
            if j > i && sep(s) && tk.start == prev_end {
                // One joiner between two content tokens.
                let next_ok = toks
                    .get(j + 1)
                    .is_some_and(|nx| nx.start == tk.end && !sep(&text[nx.start..nx.end]));
                if !next_ok || (latin && s != " ") {
                    break;
                }
                dotted |= !s.trim().is_empty() || c0 == 2;
                prev_end = tk.end;
                j += 1;
                continue;
            }
            let fits = if latin {
                c == 3
            } else {
                matches!(c, 0..=2 | 7)
            };
            if !fits || tk.start != prev_end || tk.pos == Pos::Symbol {
                break;
            }
            let limit = if dotted || latin || c == 7 {
                FULL_TOKENS_DOTTED
            } else {
                FULL_TOKENS
            };
            if content == limit {
                break;
            }
            full_name_key(&mut key, s);
            content += 1;
            let v = cache.get_or(fnv(&key) ^ 0x4655_4C4C, || match g.full_name(&key) {
                FullName::None => 0,
                FullName::Prefix => 1,
                FullName::Name { surname_chars } => 2 | u64::from(surname_chars) << 8,
            });
            if v == 0 {
                break;
            }
            if v & 2 != 0 {
                best = Some((j, content, (v >> 8) as u8));
            }
            prev_end = tk.end;
            j += 1;
        }
        let Some((last, n, surname)) = best else {
            i += 1;
            continue;
        };
        let mut chars = 0usize;
        let mut first = true;
        for k in i..=last {
            let s = &text[toks[k].start..toks[k].end];
            if sep(s) {
                continue;
            }
            let len = s
                .chars()
                .filter(|&c| !matches!(c, '・' | '＝' | '='))
                .count();
            let place = if n == 1 {
                1
            } else if first {
                2
            } else if k == last {
                4
            } else {
                3
            };
            let part = if surname == 0 {
                0
            } else if chars + len <= surname as usize {
                32
            } else if chars >= surname as usize {
                64
            } else {
                0
            };
            facts[k].full = place + 8 * (n as u64).min(4) + part;
            chars += len;
            first = false;
        }
        i = last + 1;
    }
}

/// Marks every katakana token of a `・`-joined katakana run with its run's
/// length and its place in it.
fn katakana_runs(text: &str, toks: &[Tok], facts: &mut [Facts]) {
    let mut i = 0;
    while i < toks.len() {
        if facts[i].class != 2 {
            i += 1;
            continue;
        }
        // parts: katakana tokens glued directly or through one `・` / `=`.
        let mut parts = vec![i];
        let mut j = i + 1;
        while j < toks.len() {
            let s = &text[toks[j].start..toks[j].end];
            if facts[j].class == 2 && toks[j].start == toks[j - 1].end {
                parts.push(j);
                j += 1;
            } else if matches!(s, "・" | "=" | "＝")
                && toks.get(j + 1).is_some_and(|_| facts[j + 1].class == 2)
            {
                parts.push(j + 1);
                j += 2;
            } else {
                break;
            }
        }
        let dots = toks[i..j]
            .iter()
            .filter(|t| matches!(&text[t.start..t.end], "・" | "=" | "＝"))
            .count() as u64;
        let n = parts.len();
        let common = |p: usize| toks[p].pos == Pos::Noun && !toks[p].word.is_unknown();
        let nouns = u64::from(parts.iter().any(|&p| common(p)))
            | u64::from(parts.last().is_some_and(|&p| common(p))) << 1;
        let after = toks
            .get(j)
            .filter(|t| t.start == toks[j - 1].end)
            .map_or(EDGE, |t| fnv(&text[t.start..t.end]));
        for (k, &p) in parts.iter().enumerate() {
            facts[p].run_nouns = nouns;
            facts[p].run_after = after;
            let place = if n == 1 {
                0
            } else if k == 0 {
                1
            } else if k + 1 == n {
                3
            } else {
                2
            };
            facts[p].kata_run = ((dots.min(3) * 4 + (n as u64).min(4)) * 4) + place;
        }
        i = j;
    }
}

/// What a bracket after token `i` holds, when one opens right after it or
/// after at most three more letter or space tokens: 16 * distance + kind (1 a year or
/// date, `（1840年 - 1900年）`; 2 kana, a reading; 3 Latin letters; 4
/// another); 0 when there is none.
fn bracket_after(text: &str, toks: &[Tok], i: usize) -> u64 {
    for d in 1..=4usize {
        let Some(t) = toks.get(i + d) else { return 0 };
        let s = &text[t.start..t.end];
        if s.trim().is_empty() {
            continue;
        }
        if matches!(s, "（" | "(") {
            let inside = text[t.end..].trim_start();
            let kind = match inside.chars().next() {
                Some(c) if c.is_ascii_digit() || c == '?' || c == '？' => 1,
                Some(c) if is_kana(c) => 2,
                Some(c) if c.is_ascii_alphabetic() => 3,
                Some(_) => 4,
                None => 0,
            };
            return d as u64 * 16 + kind;
        }
        if t.pos == Pos::Symbol || !matches!(char_class(s), 0..=3 | 7) {
            return 0;
        }
    }
    0
}

/// Hashes of the first two, last two and last three characters of `s`
/// (name-forming characters: `…郎`, `…衛門`, `…ッヒ`, `…スキー`).
fn char_ends(s: &str) -> (u64, u64, u64) {
    let h = |a: u64, c: char| a.wrapping_mul(0x1_0000_01B3) ^ c as u64;
    let seed = 0xC4A5u64;
    let mut head = s.chars();
    let first2 = match (head.next(), head.next()) {
        (Some(a), Some(b)) => h(h(seed, a), b),
        (Some(a), None) => h(seed, a),
        _ => EDGE,
    };
    let mut tail = s.chars().rev();
    let (z, y, x) = (tail.next(), tail.next(), tail.next());
    let last2 = match (y, z) {
        (Some(y), Some(z)) => h(h(seed, y), z),
        _ => EDGE,
    };
    let last3 = match (x, y, z) {
        (Some(x), Some(y), Some(z)) => h(h(h(seed, x), y), z),
        _ => EDGE,
    };
    (first2, last2, last3)
}

/// True for a line that gives a life span or dates as Wikipedia writes
/// after a person (`1840年　-　1900年`, `紀元前497/6年　-　406/5年`): a year, a
/// dash, a year.
fn is_lifespan(line: &str) -> bool {
    let Some(dash) = line.find(['-', '–', '～', '〜']) else {
        return false;
    };
    let year = |s: &str| {
        s.char_indices()
            .any(|(i, c)| c == '年' && s[..i].ends_with(|d: char| d.is_ascii_digit()))
    };
    year(&line[..dash]) && year(&line[dash..])
}

/// For a katakana token with `・` / `＝` / `=` inside (IPADIC keeps
/// `トマス・ホッブズ` as one unknown word): 1 + 8 × parts (≤ 4) + 2 × the
/// parts ENAMDICT knows as a person (≤ 3), + 64 when the first part is a
/// given name, + 128 when the last is a surname or unclassified name; 0
/// for other tokens.
fn dotted_parts(s: &str) -> u64 {
    if !s.contains(['・', '＝', '=']) || !s.chars().any(|c| ('ァ'..='ヺ').contains(&c)) {
        return 0;
    }
    let g = Gazetteer::embedded();
    let parts: Vec<&str> = s
        .split(['・', '＝', '='])
        .filter(|p| !p.is_empty())
        .collect();
    let kinds = |p: &str| {
        g.lookup(p)
            .map_or(Kinds::NONE, |e| e.kinds())
            .union(g.reading_kinds(p))
    };
    let known = parts
        .iter()
        .filter(|p| kinds(p).contains(Kinds::PERSON))
        .count() as u64;
    let first = parts
        .first()
        .is_some_and(|p| kinds(p).contains(Kinds::GIVEN)) as u64;
    let last = parts
        .last()
        .is_some_and(|p| kinds(p).contains(Kinds::SURNAME | Kinds::UNCLASSIFIED))
        as u64;
    1 + 8 * (parts.len() as u64).min(4) + 2 * known.min(3) + 64 * first + 128 * last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_life_span_needs_a_year_on_both_sides_of_a_dash() {
        assert!(is_lifespan("1840年　-　1900年"));
        assert!(is_lifespan("Thomas Hobbes, 1588年4月5日 - 1679年12月4日"));
        assert!(is_lifespan("紀元前497/6年 – 406/5年ごろ"));
        assert!(!is_lifespan("2024年の売上 - 前年比"));
        assert!(!is_lifespan("会議は10時 - 11時です"));
        assert!(!is_lifespan("年 - 年"));
    }

    #[test]
    fn dotted_katakana_counts_its_parts_and_the_names_among_them() {
        let v = dotted_parts("ルドルフ・ディーゼル");
        assert_eq!(v & 1, 1, "a dotted katakana token");
        assert_eq!(v >> 3 & 7, 2, "two parts");
        assert!(v >> 1 & 3 >= 1, "a part ENAMDICT knows as a person");
        assert_eq!(dotted_parts("ルドルフ"), 0, "no dot");
        assert_eq!(dotted_parts("営業・企画"), 0, "no katakana");
    }

    #[test]
    fn char_ends_depend_only_on_the_ends() {
        let (a2, a_l2, a_l3) = char_ends("山田太郎");
        let (b2, b_l2, b_l3) = char_ends("川上太郎");
        assert_ne!(a2, b2);
        assert_eq!(a_l2, b_l2, "…太郎 shares its last two characters");
        assert_ne!(a_l3, b_l3);
        assert_eq!(char_ends("山").1, EDGE);
    }

    #[test]
    fn enamdict_facts_tell_a_surname_from_a_common_word() {
        let lex = Lexicon::embedded().expect("dictionary");
        let gz = |s: &str| {
            let mut toks = Vec::new();
            lex.tokenize(s, 0..s.len(), &mut toks);
            assert_eq!(toks.len(), 1, "{s} is one token");
            coarse(gaz_of(&lex, s, &toks[0]))
        };
        assert_eq!(gz("佐藤") & 1, 1, "a surname");
        assert_ne!(gz("佐藤") & 32, 0, "read サトウ by both dictionaries");
        assert_eq!(gz("報告") & 7, 0, "not a person name");
        assert_ne!(gz("Yamada") & 16, 0, "a romaji spelling");
        assert_eq!(gz("Meeting") & 16, 0, "an English word");
    }
}
