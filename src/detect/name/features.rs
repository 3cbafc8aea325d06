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
//! ([`Evidence`]) that cover it.
//!
//! Each feature is a template number and a value mixed into one of
//! 2^[`BUCKET_BITS`](super::model::BUCKET_BITS) buckets (feature hashing):
//! no feature table to store, and changing one template changes one line
//! here. Retrain after any change (`cargo run --release --example
//! train_names`).

use super::context::{ends_with_any, starts_with_any, AFTER, INTRO_AFTER, LABELS, STRONG_AFTER};
use super::lexicon::{Lexicon, Pos, Tok};
use super::model::BUCKET_BITS;
use super::romaji::{is_kana, is_kanji};

/// How many features every token has.
pub const PER_TOKEN: usize = 47;

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
    if starts(&["-", "*", "・", "●", "■", "◆", "○", "•"]) {
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
/// starts. Appends [`PER_TOKEN`] bucket numbers per token to `out`.
pub fn features(
    lex: &Lexicon,
    text: &str,
    toks: &[Tok],
    ev: &[(Evidence, bool)],
    line: LineShape,
    line_start: usize,
    out: &mut Vec<u32>,
) {
    let n = toks.len();
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
        facts.push(Facts {
            surface: fnv(s),
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
        });
    }
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
        debug_assert_eq!(out.len() - start, PER_TOKEN);
    }
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
