//! The normalized view that detectors search, and the offset map back to the
//! original bytes.
//!
//! Detection runs on a copy of the text in which
//! - full-width and other compatibility forms are folded by NFKC
//!   (`０９０` → `090`, `＠` → `@`, `（` → `(`, `ｶﾞ` → `ガ`, `　` → ` `),
//! - hyphen and dash variants become `-` (`‐ ‑ ‒ – — ― − ﹣ －`, and `ー`/`ｰ`
//!   right after a digit, where it is a dash and not a vowel mark),
//! - no-break and other wide spaces become ` `,
//! - zero-width characters and soft hyphens are dropped,
//! - a telephone number written in kanji digits (`〇九〇－一二三四－五六七八`,
//!   as in vertical or formal letters) becomes ASCII digits: a run that
//!   starts with `〇`, not right after another kanji digit, and holds 10 or 11
//!   of `〇一二三四五六七八九` joined by nothing, dashes, spaces or
//!   parentheses ([`kanji_number_end`]). Shorter runs (`二〇二六年`,
//!   `三〇二号`) and kanji numerals with `十百千` stay as they are.
//!
//! Every position in that copy maps back to the original with
//! [`NormText::to_original`], so findings are always reported, and rewritten,
//! over the original bytes: text outside findings is written back untouched.
//!
//! The fast path copies ASCII runs and the common CJK/kana blocks (which NFKC
//! leaves alone) with no per-character work beyond a range check; the offset
//! map holds one entry per *changed* character only.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::span::Span;

/// One changed character: where its replacement sits in the normalized text
/// and where the character sat in the original.
#[derive(Clone, Copy, Debug)]
struct Edit {
    norm_start: u32,
    norm_len: u32,
    orig_start: u32,
    orig_len: u32,
}

/// A normalized copy of a piece of text plus the map back to it.
///
/// Built with [`NormText::build`], reused across calls to avoid allocation.
/// Offsets are `u32`: one window of text must stay under 4 GiB, which the
/// pipeline's chunking guarantees.
#[derive(Clone, Debug, Default)]
pub struct NormText {
    text: String,
    edits: Vec<Edit>,
    /// Where the kanji-digit number last folded by `fold_kanji_number` ends.
    kanji_end: usize,
}

/// The value of a kanji digit (`〇` 0 … `九` 9).
pub(crate) fn kanji_digit(c: char) -> Option<u8> {
    Some(match c {
        '〇' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Most digits of a telephone number written in kanji digits.
const KANJI_NUMBER_MAX_DIGITS: usize = 11;
/// Fewest digits of one (a Japanese national number has 10 or 11).
const KANJI_NUMBER_MIN_DIGITS: usize = 10;

/// The byte length of a telephone-length number in kanji digits at the start
/// of `s` (which starts with a kanji digit), ending after its last digit:
/// 10 or 11 digits, one separator at most between two of them (a dash
/// `－ ‐ - ー ｰ − ―`, a space, or a parenthesis with an optional space), and
/// no digit right after. `None` when the run is shorter or longer.
fn kanji_number_end(s: &str) -> Option<usize> {
    let mut digits = 0;
    let mut end = 0;
    let mut gap = 0;
    for (at, c) in s.char_indices() {
        if kanji_digit(c).is_some() || c.is_ascii_digit() || ('０'..='９').contains(&c) {
            if kanji_digit(c).is_none() || digits == KANJI_NUMBER_MAX_DIGITS {
                return None;
            }
            digits += 1;
            end = at + c.len_utf8();
            gap = 0;
            continue;
        }
        let separator = matches!(
            c,
            '－' | '‐' | '-' | 'ー' | 'ｰ' | '−' | '―' | ' ' | '\u{3000}' | '(' | ')' | '（' | '）'
        );
        gap += 1;
        if !separator || gap > 2 {
            break;
        }
    }
    (digits >= KANJI_NUMBER_MIN_DIGITS).then_some(end)
}

/// The first position from `i` (a character boundary of the valid UTF-8
/// `bytes`) holding a character that normalizing may change, or the end:
/// ASCII (eight bytes at a time), the 3-byte CJK ideographs and the kana
/// and CJK punctuation that NFKC leaves alone ([`E3_STABLE`]) are skipped.
#[inline]
fn skip_stable(bytes: &[u8], mut i: usize) -> usize {
    const HI: u64 = 0x8080_8080_8080_8080;
    let n = bytes.len();
    while i < n {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            while i + 8 <= n
                && u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes")) & HI == 0
            {
                i += 8;
            }
        } else if (0xE4..=0xE9).contains(&b)
            || (b == 0xE3 && i + 2 < n && e3_stable(bytes[i + 1], bytes[i + 2]))
        {
            i += 3;
        } else {
            break;
        }
    }
    i
}

/// Whether U+3000..=U+30FF encoded `E3 b1 b2` is left as it is.
#[inline]
fn e3_stable(b1: u8, b2: u8) -> bool {
    let row = usize::from(b1.wrapping_sub(0x80));
    row < 4 && (E3_STABLE[row] >> (b2 & 0x3F)) & 1 == 1
}

/// Characters `E3 80..=83 xx` (U+3000..=U+30FF) that normalizing leaves
/// alone, one bit per last byte: CJK punctuation U+3001..=U+303F other than
/// U+3036, and the kana U+3040..=U+30FF other than U+309B/U+309C (spacing
/// voicing marks) and U+30FC (ー, a dash after a digit).
const E3_STABLE: [u64; 4] = [
    !(1 | (1 << 0x07) | (1 << 0x36)),
    u64::MAX,
    !((1 << 0x1B) | (1 << 0x1C)),
    !(1 << 0x3C),
];

impl NormText {
    /// Creates an empty view.
    pub fn new() -> NormText {
        NormText::default()
    }

    /// Builds the normalized view of `orig`, replacing the previous contents.
    ///
    /// # Panics
    ///
    /// Panics when `orig` is 4 GiB or longer.
    pub fn build(&mut self, orig: &str) {
        assert!(
            orig.len() < u32::MAX as usize,
            "window too large to normalize"
        );
        self.text.clear();
        self.edits.clear();
        self.text.reserve(orig.len());
        let bytes = orig.as_bytes();
        let mut i = 0;
        // Start of a pending run of unchanged bytes, copied in bulk.
        let mut run = 0;
        while i < bytes.len() {
            i = skip_stable(bytes, i);
            if i >= bytes.len() {
                break;
            }
            // Slow path: decode one character and decide.
            let c = orig[i..].chars().next().expect("i is a char boundary");
            let clen = c.len_utf8();
            let next = orig[i + clen..].chars().next();
            let prev_digit = self.prev_is_digit(&bytes[run..i]);
            let mut consumed = clen;
            let mut scratch = [0u8; 8];
            let replacement: Option<&str> = match c {
                '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => Some(""),
                '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
                    Some(" ")
                }
                '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{2043}' | '\u{FE63}' | '\u{FF0D}' => {
                    Some("-")
                }
                '〇' if self.fold_kanji_number(orig, run, i) => {
                    i = self.kanji_end;
                    run = i;
                    continue;
                }
                '\u{30FC}' | '\u{FF70}' if prev_digit => Some("-"),
                '\u{30FC}' => None,
                '\u{FF01}'..='\u{FF5E}' => {
                    let ascii = (c as u32 - 0xFEE0) as u8;
                    scratch[0] = ascii;
                    Some(std::str::from_utf8(&scratch[..1]).expect("ascii"))
                }
                _ => {
                    if let Some(n @ ('\u{FF9E}' | '\u{FF9F}')) = next {
                        if ('\u{FF61}'..='\u{FF9D}').contains(&c) {
                            consumed += n.len_utf8();
                        }
                    }
                    let src = &orig[i..i + consumed];
                    if consumed == clen && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes {
                        None
                    } else {
                        self.flush(orig, run, i);
                        let norm_start = self.text.len();
                        // NFKC can produce dashes, spaces and zero-width
                        // characters (⁻ → −): fold those too, so that
                        // normalizing is idempotent.
                        for n in src.nfkc() {
                            match n {
                                '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
                                '\u{00A0}'
                                | '\u{2000}'..='\u{200A}'
                                | '\u{202F}'
                                | '\u{205F}'
                                | '\u{3000}' => self.text.push(' '),
                                '\u{2010}'..='\u{2015}'
                                | '\u{2212}'
                                | '\u{2043}'
                                | '\u{FE63}'
                                | '\u{FF0D}' => self.text.push('-'),
                                _ => self.text.push(n),
                            }
                        }
                        self.push_edit(norm_start, i, consumed);
                        i += consumed;
                        run = i;
                        continue;
                    }
                }
            };
            match replacement {
                None => i += clen,
                Some(rep) => {
                    self.flush(orig, run, i);
                    let norm_start = self.text.len();
                    self.text.push_str(rep);
                    self.push_edit(norm_start, i, consumed);
                    i += consumed;
                    run = i;
                }
            }
        }
        self.flush(orig, run, bytes.len());
    }

    /// At a `〇` at byte `i`: when a telephone-length run of kanji digits
    /// starts here ([`kanji_number_end`]), writes it with ASCII digits and
    /// ASCII separators, records the end in `kanji_end` and returns true.
    fn fold_kanji_number(&mut self, orig: &str, run: usize, i: usize) -> bool {
        let before = orig[..i].chars().next_back();
        if before.is_some_and(|c| kanji_digit(c).is_some()) {
            return false;
        }
        let Some(end) = kanji_number_end(&orig[i..]) else {
            return false;
        };
        self.flush(orig, run, i);
        let mut at = i;
        for c in orig[i..i + end].chars() {
            let folded = match (kanji_digit(c), c) {
                (Some(d), _) => Some(char::from(b'0' + d)),
                (None, '(' | ')' | '-' | ' ') => None,
                (None, '（') => Some('('),
                (None, '）') => Some(')'),
                (None, '\u{3000}') => Some(' '),
                (None, _) => Some('-'),
            };
            match folded {
                Some(f) => {
                    let norm_start = self.text.len();
                    self.text.push(f);
                    self.push_edit(norm_start, at, c.len_utf8());
                }
                None => self.text.push(c),
            }
            at += c.len_utf8();
        }
        self.kanji_end = i + end;
        true
    }

    fn prev_is_digit(&self, pending: &[u8]) -> bool {
        match pending.last() {
            Some(b) => b.is_ascii_digit(),
            None => self.text.as_bytes().last().is_some_and(u8::is_ascii_digit),
        }
    }

    fn flush(&mut self, orig: &str, from: usize, to: usize) {
        if from < to {
            self.text.push_str(&orig[from..to]);
        }
    }

    fn push_edit(&mut self, norm_start: usize, orig_start: usize, orig_len: usize) {
        self.edits.push(Edit {
            norm_start: norm_start as u32,
            norm_len: (self.text.len() - norm_start) as u32,
            orig_start: orig_start as u32,
            orig_len: orig_len as u32,
        });
    }

    /// The normalized text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when normalization changed nothing (the view equals the original).
    pub fn is_identity(&self) -> bool {
        self.edits.is_empty()
    }

    /// Maps a normalized start offset to the original start offset.
    pub fn start_to_original(&self, n: usize) -> usize {
        let idx = self.edits.partition_point(|e| e.norm_start as usize <= n);
        if idx == 0 {
            return n;
        }
        let e = self.edits[idx - 1];
        let (ns, nl) = (e.norm_start as usize, e.norm_len as usize);
        if n < ns + nl {
            e.orig_start as usize
        } else {
            e.orig_start as usize + e.orig_len as usize + (n - ns - nl)
        }
    }

    /// Maps a normalized end offset (exclusive) to the original end offset.
    pub fn end_to_original(&self, n: usize) -> usize {
        let idx = self.edits.partition_point(|e| (e.norm_start as usize) < n);
        if idx == 0 {
            return n;
        }
        let e = self.edits[idx - 1];
        let (ns, nl) = (e.norm_start as usize, e.norm_len as usize);
        if n <= ns + nl {
            e.orig_start as usize + e.orig_len as usize
        } else {
            e.orig_start as usize + e.orig_len as usize + (n - ns - nl)
        }
    }

    /// Maps a span of the normalized text to the span of original bytes it
    /// came from. The result always covers whole original characters.
    pub fn to_original(&self, span: Span) -> Span {
        if span.is_empty() {
            let s = self.start_to_original(span.start);
            return Span::new(s, s);
        }
        Span::new(
            self.start_to_original(span.start),
            self.end_to_original(span.end),
        )
    }
}

/// Normalizes `s` into a new string (convenience for tests and callers that
/// need the view once).
pub fn normalize(s: &str) -> String {
    let mut n = NormText::new();
    n.build(s);
    n.text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(s: &str) -> NormText {
        let mut n = NormText::new();
        n.build(s);
        n
    }

    #[test]
    fn e3_table_keeps_exactly_the_stable_kana_and_punctuation() {
        for b1 in 0x80u8..=0xBF {
            for b2 in 0x80u8..=0xBF {
                let c = std::str::from_utf8(&[0xE3, b1, b2])
                    .expect("valid")
                    .chars()
                    .next()
                    .expect("one char");
                let kana = ('\u{3040}'..='\u{30FF}').contains(&c)
                    && !matches!(c, '\u{309B}' | '\u{309C}' | '\u{30FC}');
                let punct =
                    ('\u{3001}'..='\u{303F}').contains(&c) && !matches!(c, '\u{3007}' | '\u{3036}');
                assert_eq!(e3_stable(b1, b2), kana || punct, "{c:?}");
                if e3_stable(b1, b2) {
                    assert_eq!(normalize(&c.to_string()), c.to_string(), "{c:?}");
                }
            }
        }
    }

    #[test]
    fn skipping_stops_at_the_first_character_that_may_change() {
        let t = "abcdefghijklmnop日本語ですか、カタカナ。0123456789 ";
        let b = t.as_bytes();
        assert_eq!(skip_stable(b, 0), b.len());
        for (k, c) in ["\u{3000}", "ー", "１", "\u{00A0}", "—", "ｶ", "㈱"]
            .iter()
            .enumerate()
        {
            let text = format!("{}{c}x", &t[..t.len() - 3 * (k % 3) - 1]);
            let stop = text.len() - c.len() - 1;
            assert_eq!(skip_stable(text.as_bytes(), 0), stop, "{text}");
        }
    }

    #[test]
    fn folds_full_width_digits_and_at() {
        assert_eq!(normalize("０９０－１２３４－５６７８"), "090-1234-5678");
        assert_eq!(
            normalize("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
            "taro@example.com"
        );
    }

    #[test]
    fn telephone_numbers_in_kanji_digits_become_ascii_digits() {
        assert_eq!(normalize("〇九〇－一二三四－五六七八"), "090-1234-5678");
        assert_eq!(
            normalize("電話 〇三（三二一二）一二三四まで"),
            "電話 03(3212)1234まで"
        );
        assert_eq!(normalize("〇九〇ー一二三四ー五六七八"), "090-1234-5678");
        assert_eq!(normalize("〇三　三二一二　一二三四"), "03 3212 1234");
        assert_eq!(normalize("〇九〇一二三四五六七八"), "09012345678");
        // Offsets still map back to whole original characters.
        let v = view("TEL〇三－三二一二－一二三四");
        assert_eq!(
            &"TEL〇三－三二一二－一二三四"[v.to_original(Span::new(3, 15)).range()],
            "〇三－三二一二－一二三四"
        );
    }

    #[test]
    fn kanji_numerals_that_are_no_telephone_number_stay() {
        for s in [
            "二〇二六年一二月四日",
            "三〇二号室",
            "一〇〇〇〇〇〇〇〇〇〇円",
            "〇九〇一二三四五六七八九",
            "〇三---三二一二-一二三四",
            "千二百三十四",
        ] {
            assert_eq!(normalize(s), s, "{s}");
        }
        // A digit of another kind inside breaks the run: only the width and
        // the dashes fold.
        assert_eq!(
            normalize("〇九〇－一二三四－五六七８九"),
            "〇九〇-一二三四-五六七8九"
        );
    }

    #[test]
    fn hyphen_variants_become_ascii_hyphen() {
        for h in ["‐", "‑", "‒", "–", "—", "―", "−", "﹣", "－"] {
            assert_eq!(normalize(&format!("03{h}1234")), "03-1234", "variant {h:?}");
        }
    }

    #[test]
    fn long_vowel_mark_is_a_dash_only_after_digits() {
        assert_eq!(normalize("090ー1234ー5678"), "090-1234-5678");
        assert_eq!(normalize("コーヒー"), "コーヒー");
        assert_eq!(normalize("ｺｰﾋｰ"), "コーヒー");
    }

    #[test]
    fn zero_width_and_soft_hyphen_are_dropped() {
        assert_eq!(normalize("09\u{200B}0-12\u{00AD}34"), "090-1234");
        assert_eq!(normalize("\u{FEFF}abc"), "abc");
    }

    #[test]
    fn half_width_kana_compose_with_voicing_marks() {
        assert_eq!(normalize("ﾔﾏﾀﾞ ﾀﾛｳ"), "ヤマダ タロウ");
    }

    #[test]
    fn kanji_kana_and_punctuation_untouched() {
        let s = "山田太郎様、お世話になっております。〒150-0002";
        let n = view(s);
        assert!(n.is_identity());
        assert_eq!(n.as_str(), s);
    }

    #[test]
    fn dashes_made_by_nfkc_fold_too() {
        // Regression (fuzz/normalize): these NFKC to a dash that used to stay.
        for c in ['\u{207B}', '\u{208B}', '\u{FE31}', '\u{FE32}', '\u{FE58}'] {
            let once = normalize(&format!("090{c}1234"));
            assert_eq!(normalize(&once), once, "{c:?}");
        }
        assert_eq!(normalize("090﹘1234﹘5678"), "090-1234-5678");
    }

    #[test]
    fn compatibility_forms_fold() {
        assert_eq!(normalize("㈱"), "(株)");
        assert_eq!(normalize("①"), "1");
        assert_eq!(normalize("　"), " ");
    }

    #[test]
    fn offsets_map_back_to_original_characters() {
        let s = "電話：０９０\u{200B}－１２３４";
        let n = view(s);
        let norm = n.as_str();
        let start = norm.find("090").unwrap();
        let end = norm.len();
        let span = n.to_original(Span::new(start, end));
        assert_eq!(&s[span.range()], "０９０\u{200B}－１２３４");
    }

    #[test]
    fn identity_offsets_after_edits() {
        let s = "（株）abc";
        let n = view(s);
        let at = n.as_str().find("abc").unwrap();
        let span = n.to_original(Span::new(at, at + 3));
        assert_eq!(&s[span.range()], "abc");
    }

    #[test]
    fn removed_char_at_span_edges_is_excluded() {
        let s = "a\u{200B}bc\u{200B}d";
        let n = view(s);
        assert_eq!(n.as_str(), "abcd");
        let span = n.to_original(Span::new(1, 3));
        assert_eq!(&s[span.range()], "bc");
    }
}
