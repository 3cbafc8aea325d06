//! Japanese postal codes (郵便番号): `123-4567` or `1234567`.
//!
//! # Rules
//!
//! Like the other number detectors this one only looks at the shared digit
//! runs. A candidate is either a 3-digit run, a single `-` and a 4-digit run
//! (`150-0002`), or one 7-digit run (`1500002`). Full-width digits, hyphen
//! variants and the long vowel mark after a digit are already folded by the
//! normalized view, so `〒１５０ー０００２` is `〒150-0002` here.
//!
//! Seven digits alone are far too common to be a postal code, so a candidate
//! needs address context on at least one side:
//! - **before**: after trimming spaces and `:` `.` `)` `]` `】` `=` `#` `-`
//!   (so `〒 150-0002`, `郵便番号：150-0002` and `Zip: 150-0002` work), the text
//!   ends with `〒`, `郵便番号`, `郵便`, `〠`, or the ASCII words `zip`,
//!   `zip code`, `zipcode`, `postal`, `postal code`, `postcode`, `post code`
//!   (case-insensitive, whole words);
//! - **after**: after optional spaces, the text starts with one of the 47
//!   prefecture names (東京都, 北海道, 大阪府, 京都府, 青森県, … 沖縄県), or a
//!   municipality: a name of one to five kanji/kana ending in 市, 区, 町,
//!   村 or 郡 (`渋谷区`, `横浜市`, `札幌市中央区`, `さいたま市`, `ニセコ町`);
//!   hiragana particles (の, で, は, に, …) end the name, so `までの区間`
//!   is no municipality.
//!
//! The span covers the digits and the hyphen only; a `〒` (and any spaces
//! after it) stays outside. The postal rule masks digits either way, and the
//! mark itself is not personal data.
//!
//! # Not postal codes
//!
//! The candidate must stand alone: the byte before it may not be a letter,
//! digit or `_`, nor `-`/`.`/`/`/`:` after a letter or digit; the byte after
//! it may not be a letter, digit or `_`, nor `-`/`.`/`/`/`:` before a digit.
//! So phone numbers (`03-1234-5678`, `090-1234-5678`), dates, `123-4567`
//! inside `12-123-4567` or `123-4567-89`, and longer runs are never postal
//! codes, even after `〒`.

use super::{is_word_byte, Candidate, Detector, Haystack};
use crate::span::{Category, Span};

/// Finds Japanese postal codes written with address context.
///
/// Build it with `PostalDetector::default()`; it has no options yet, and the
/// private field keeps room for some without breaking callers.
#[derive(Debug, Default)]
pub struct PostalDetector {
    _private: (),
}

impl Detector for PostalDetector {
    fn name(&self) -> &'static str {
        "postal"
    }

    fn detect(&self, hay: &Haystack<'_>, out: &mut Vec<Candidate>) {
        let runs = hay.digit_runs();
        let bytes = hay.bytes();
        let mut i = 0;
        while i < runs.len() {
            let Some((span, used)) = shape_at(bytes, runs, i) else {
                i += 1;
                continue;
            };
            if edges_ok(bytes, span)
                && (context_before(hay, span.start) || context_after(hay, span.end))
            {
                out.push(Candidate::new(
                    Category::PostalCode,
                    "postal",
                    span.start,
                    span.end,
                ));
                i += used;
            } else {
                i += 1;
            }
        }
    }
}

/// A `123-4567` or `1234567` opening at run `i`, with the runs it uses.
fn shape_at(bytes: &[u8], runs: &[Span], i: usize) -> Option<(Span, usize)> {
    let r = runs[i];
    match r.len() {
        7 => Some((r, 1)),
        3 => {
            let next = runs.get(i + 1)?;
            (next.len() == 4 && next.start == r.end + 1 && bytes[r.end] == b'-')
                .then(|| (Span::new(r.start, next.end), 2))
        }
        _ => None,
    }
}

/// Does the candidate stand alone (not part of a longer number or word)?
fn edges_ok(bytes: &[u8], span: Span) -> bool {
    let joins = |b: u8| matches!(b, b'-' | b'.' | b'/' | b':');
    if span.start > 0 {
        let b = bytes[span.start - 1];
        if is_word_byte(b) {
            return false;
        }
        if joins(b) && span.start >= 2 && is_word_byte(bytes[span.start - 2]) {
            return false;
        }
    }
    if let Some(&b) = bytes.get(span.end) {
        if is_word_byte(b) {
            return false;
        }
        if joins(b) && bytes.get(span.end + 1).is_some_and(u8::is_ascii_digit) {
            return false;
        }
    }
    true
}

/// Labels that announce a postal code.
const LABELS: &[&str] = &[
    "〒",
    "〠",
    "郵便番号",
    "郵便",
    "zip",
    "zip code",
    "zipcode",
    "postal",
    "postal code",
    "postcode",
    "post code",
];

/// Does the text before `start` end with a postal label?
fn context_before(hay: &Haystack<'_>, start: usize) -> bool {
    let before = hay.before(start, 32);
    let t = before.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ':' | '.' | ')' | ']' | '】' | '=' | '#' | '-' | '：' | '」'
            )
    });
    LABELS.iter().any(|kw| ends_with_word(t, kw))
}

/// Does `t` end with `kw` (ASCII: case-insensitive, as a whole word)?
fn ends_with_word(t: &str, kw: &str) -> bool {
    if !kw.is_ascii() {
        return t.ends_with(kw);
    }
    let (tb, kb) = (t.as_bytes(), kw.as_bytes());
    if tb.len() < kb.len() {
        return false;
    }
    let at = tb.len() - kb.len();
    tb[at..].eq_ignore_ascii_case(kb) && (at == 0 || !tb[at - 1].is_ascii_alphabetic())
}

/// The 47 prefectures, in JIS order (01 北海道 … 47 沖縄県).
pub const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// Most characters of a municipality name before its suffix.
const MAX_MUNICIPALITY_NAME: usize = 5;

/// Does an address (prefecture or municipality) follow `end`?
fn context_after(hay: &Haystack<'_>, end: usize) -> bool {
    let after = hay.after(end, 64);
    let t = after.trim_start_matches([' ', '\t']);
    if PREFECTURES.iter().any(|p| t.starts_with(p)) {
        return true;
    }
    // A short run of CJK characters ending in a municipality suffix.
    for (n, c) in t.chars().enumerate() {
        if n > MAX_MUNICIPALITY_NAME || !is_place_char(c) {
            return false;
        }
        if n > 0 && matches!(c, '市' | '区' | '町' | '村' | '郡') {
            return true;
        }
    }
    false
}

/// Characters of a place name: kanji, katakana, and hiragana other than the
/// particles that would let a sentence pass for a name (`までの区間`).
fn is_place_char(c: char) -> bool {
    match c {
        'の' | 'で' | 'は' | 'を' | 'に' | 'が' | 'と' | 'も' | 'へ' | 'や' | 'か' => {
            false
        }
        '\u{3041}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '々' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::digits::digit_runs;
    use crate::detect::testutil::detect;
    use crate::normalize::normalize;

    fn found(s: &str) -> Vec<String> {
        let (text, out) = detect(&PostalDetector::default(), s);
        out.iter()
            .map(|c| {
                assert_eq!(c.category, Category::PostalCode);
                assert_eq!(c.detector, "postal");
                text[c.span.range()].to_string()
            })
            .collect()
    }

    const POSITIVES: &[(&str, &str)] = &[
        ("〒123-4567", "123-4567"),
        ("〒1234567", "1234567"),
        ("〒 123-4567", "123-4567"),
        ("〒　123-4567", "123-4567"),
        ("〒  150-0002 東京都渋谷区", "150-0002"),
        ("〒１５０－０００２", "150-0002"),
        ("〒１５０ー０００２", "150-0002"),
        ("〒１５００００２", "1500002"),
        ("郵便番号：123-4567", "123-4567"),
        ("郵便番号 123-4567", "123-4567"),
        ("郵便番号:1234567", "1234567"),
        ("Zip: 150-0002", "150-0002"),
        ("ZIP 150-0002", "150-0002"),
        ("zip code 1500002", "1500002"),
        ("Postal code: 150-0002", "150-0002"),
        ("150-0002 東京都渋谷区渋谷2-21-1", "150-0002"),
        ("150-0002東京都渋谷区", "150-0002"),
        ("060-0001 北海道札幌市", "060-0001"),
        ("530-0001 大阪府大阪市北区", "530-0001"),
        ("600-8216 京都府京都市", "600-8216"),
        ("220-0012 神奈川県横浜市", "220-0012"),
        ("900-0006 沖縄県那覇市", "900-0006"),
        ("1500002 東京都渋谷区", "1500002"),
        ("150-0002 渋谷区渋谷2-21-1", "150-0002"),
        ("220-0012 横浜市西区", "220-0012"),
        ("100-0013 千代田区霞が関", "100-0013"),
        ("住所：〒100-0001 東京都千代田区千代田1-1", "100-0001"),
        ("(〒150-0002)", "150-0002"),
        ("330-0063 さいたま市浦和区", "330-0063"),
        ("048-1500 ニセコ町", "048-1500"),
    ];

    #[test]
    fn positives() {
        let wrong: Vec<(&str, Vec<String>)> = POSITIVES
            .iter()
            .map(|(s, want)| (*s, *want, found(s)))
            .filter(|(_, want, f)| f != &[*want])
            .map(|(s, _, f)| (s, f))
            .collect();
        assert!(wrong.is_empty(), "wrong matches in {wrong:?}");
    }

    const NEGATIVES: &[&str] = &[
        // No context.
        "123-4567",
        "1234567",
        "150-0002",
        "番号 123-4567",
        "123-4567 区分",
        "123-4567 です",
        "123-4567 abc市",
        "123-4567 までの区間",
        "1234567 は町内会の番号",
        // Phone numbers, dates, longer sequences.
        "03-1234-5678",
        "090-1234-5678",
        "〒090-1234-5678",
        "〒03-1234-5678",
        "2024-01-15",
        "〒2024-0115",
        "〒12-123-4567",
        "〒123-4567-89",
        "〒123-45678",
        "〒1234-567",
        "〒12345678",
        "〒123456",
        "〒123 4567",
        "〒123--4567",
        "〒123-4567x",
        "〒a123-4567",
        "〒123-4567.5",
        "1234567890 東京都",
        "注文番号 0123-4567 東京都",
        "zipper 123-4567",
        "",
    ];

    #[test]
    fn negatives() {
        let wrong: Vec<(&str, Vec<String>)> = NEGATIVES
            .iter()
            .map(|s| (*s, found(s)))
            .filter(|(_, f)| !f.is_empty())
            .collect();
        assert!(wrong.is_empty(), "found postal codes in {wrong:?}");
    }

    #[test]
    fn span_excludes_the_mark() {
        let text = "〒150-0002 東京都";
        let mut runs = Vec::new();
        digit_runs(text.as_bytes(), &mut runs);
        let hay = Haystack::new(text, &runs);
        let mut out = Vec::new();
        PostalDetector::default().detect(&hay, &mut out);
        let at = "〒".len();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].span, Span::new(at, at + "150-0002".len()));
    }

    #[test]
    fn several_codes() {
        assert_eq!(
            found("本社 〒150-0002 東京都渋谷区、支社 〒530-0001 大阪府大阪市"),
            vec!["150-0002", "530-0001"]
        );
    }

    #[test]
    fn all_prefectures_are_context() {
        assert_eq!(PREFECTURES.len(), 47);
        for p in PREFECTURES {
            assert_eq!(found(&format!("123-4567 {p}")), vec!["123-4567"], "{p}");
        }
    }

    proptest::proptest! {
        #[test]
        fn spans_are_in_bounds(s in "[0-9\\- 〒東京都区市abc]{0,30}") {
            let text = normalize(&s);
            let mut runs = Vec::new();
            digit_runs(text.as_bytes(), &mut runs);
            let hay = Haystack::new(&text, &runs);
            let mut out = Vec::new();
            PostalDetector::default().detect(&hay, &mut out);
            for c in &out {
                let got = &text[c.span.range()];
                proptest::prop_assert!(got.len() == 7 || got.len() == 8, "{got:?}");
            }
        }
    }

    #[test]
    fn masked_output_is_not_detected_again() {
        assert!(found("〒***-****").is_empty());
        assert!(found("〒＊＊＊－＊＊＊＊").is_empty());
    }
}
