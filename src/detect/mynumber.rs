//! Individual Numbers (マイナンバー / 個人番号).
//!
//! Twelve digits whose last is the check digit of the first eleven (weights
//! 2–7 from the right, sum mod 11; remainder 0 or 1 gives 0, else 11 minus
//! it). Written as one run (`123456789018`) or in up to four groups joined
//! by one kind of separator — `-`, space, `.` or `_`, once or twice between
//! two groups (`1234 5678 9018`, `6141_0652_6000`, `6141-0652-600-0`,
//! `116428--722815`; full width folded by normalization). Other writings
//! (mixed separators, more groups) count only with a context word
//! (マイナンバー, 個人番号, 通知カード, My Number) in the 40 bytes before.
//! A context word never makes an invalid number valid, and a label naming
//! another kind of number (注文番号, 追跡番号, Order …) vetoes one without it.
//!
//! Not a My Number: twelve digits that are part of a longer number (a card,
//! a `+81` phone, a 13-digit run) or glued to letters (`ID123456789012`:
//! a token, left to the secret detector).

use super::digits::{continues_after, continues_before};
use super::{contains_ci, Candidate, Detector, Haystack};
use crate::span::{Category, Span};

/// Finds My Numbers.
#[derive(Debug, Default)]
pub struct MyNumberDetector;

const CONTEXT: [&str; 5] = [
    "マイナンバー",
    "個人番号",
    "通知カード",
    "my number",
    "mynumber",
];

/// True when the 12 digits carry a valid check digit.
pub fn check_digit_ok(d: &[u8; 12]) -> bool {
    let mut sum = 0u32;
    for n in 1..=11usize {
        let p = u32::from(d[11 - n]);
        let q = if n <= 6 { n as u32 + 1 } else { n as u32 - 5 };
        sum += p * q;
    }
    let r = sum % 11;
    let check = if r <= 1 { 0 } else { 11 - r };
    u32::from(d[11]) == check
}

impl Detector for MyNumberDetector {
    fn name(&self) -> &'static str {
        "my-number"
    }

    fn detect(&self, hay: &Haystack<'_>, out: &mut Vec<Candidate>) {
        let t = hay.bytes();
        let runs = hay.digit_runs();
        let mut i = 0;
        while i < runs.len() {
            let (j, total, uniform) = joined(t, runs, i);
            let group = &runs[i..j];
            i = j;
            if total != 12 {
                continue;
            }
            let (start, end) = (group[0].start, group[group.len() - 1].end);
            if continues_before(t, start) || continues_after(t, end) {
                continue;
            }
            let shape_ok = uniform && group.len() <= 4;
            let before = hay.before(start, 40);
            let context = has_context(before);
            if !shape_ok && !context {
                continue;
            }
            // A label that names another kind of number (配送伝票番号：…) wins
            // over the check digit, which 1 in 11 random numbers pass.
            if !context && labelled_other(before) {
                continue;
            }
            let mut d = [0u8; 12];
            let mut k = 0;
            for r in group {
                for &b in &t[r.range()] {
                    d[k] = b - b'0';
                    k += 1;
                }
            }
            if check_digit_ok(&d) {
                out.push(Candidate::new(Category::MyNumber, "my-number", start, end));
            }
        }
    }
}

/// Separators that may join the groups of a My Number.
fn is_sep(b: u8) -> bool {
    matches!(b, b'-' | b' ' | b'.' | b'_')
}

/// Joins the runs from `i` while one or two separator bytes lie between
/// two runs and at most 12 digits are gathered: returns the end index, the
/// digit count, and whether every separator is the same byte, as often.
fn joined(t: &[u8], runs: &[Span], i: usize) -> (usize, usize, bool) {
    let mut total = runs[i].len();
    let mut j = i + 1;
    let mut first: Option<&[u8]> = None;
    let mut uniform = true;
    while j < runs.len() && total <= 12 {
        let gap = &t[runs[j - 1].end..runs[j].start];
        let ok = match gap {
            [a] => is_sep(*a),
            [a, b] => a == b && is_sep(*a),
            _ => false,
        };
        if !ok {
            break;
        }
        uniform &= first.is_none_or(|f| f == gap);
        first.get_or_insert(gap);
        total += runs[j].len();
        j += 1;
    }
    (j, total, uniform)
}

fn has_context(before: &str) -> bool {
    CONTEXT.iter().any(|w| {
        let (h, n) = (before.as_bytes(), w.as_bytes());
        h.len() >= n.len()
            && (0..=h.len() - n.len()).any(|p| {
                h[p..p + n.len()].eq_ignore_ascii_case(n)
                    // `[マイナンバー]` is this tool's own label, not context:
                    // counting it would make masking masked text change it.
                    && !(p > 0 && h[p - 1] == b'[' && h.get(p + n.len()) == Some(&b']'))
            })
    })
}

/// Labels of numbers that are not My Numbers.
const OTHER_LABELS: [&str; 16] = [
    "伝票番号",
    "追跡番号",
    "配送番号",
    "問い合わせ番号",
    "問合せ番号",
    "お問合番号",
    "注文番号",
    "受付番号",
    "管理番号",
    "会員番号",
    "口座番号",
    "請求番号",
    "tracking",
    "order",
    "invoice",
    "口座",
];

/// True when the text right before the number (same line) ends with a label
/// of another kind of number, followed by at most a separator.
fn labelled_other(before: &str) -> bool {
    let line = before.rsplit('\n').next().unwrap_or(before);
    let head = line.trim_end_matches([' ', ':', '#', '.', '：', '　', '-', '=']);
    let head = head.trim_end_matches(['】', ']', ')', '）']);
    OTHER_LABELS.iter().any(|l| {
        // Allow a short qualifier after the label (`注文番号(12桁)`, `Order No.`).
        let mut from = head.len().saturating_sub(l.len() + 12);
        while !head.is_char_boundary(from) {
            from += 1;
        }
        contains_ci(&head[from..], l)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::testutil::detect;

    fn found(s: &str) -> Vec<String> {
        let (n, out) = detect(&MyNumberDetector, s);
        out.iter().map(|c| n[c.span.range()].to_string()).collect()
    }

    /// Appends the check digit to 11 digits.
    fn with_check(first11: &str) -> String {
        (0..10)
            .map(|c| format!("{first11}{c}"))
            .find(|s| {
                let d: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
                check_digit_ok(&d.try_into().unwrap())
            })
            .unwrap()
    }

    #[test]
    fn check_digit_matches_the_published_algorithm() {
        // Worked example: 12345678901 → remainder 2 → check digit 9... computed by hand:
        // P1..P11 = 1,0,9,8,7,6,5,4,3,2,1; Q = 2,3,4,5,6,7,2,3,4,5,6
        // sum = 2+0+36+40+42+42+10+12+12+10+6 = 212; 212 mod 11 = 3; check = 8.
        assert_eq!(with_check("12345678901"), "123456789018");
        assert!(check_digit_ok(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 8]));
        assert!(!check_digit_ok(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 9]));
    }

    #[test]
    fn finds_valid_numbers_in_any_width_and_grouping() {
        assert_eq!(found("個人番号：123456789018"), vec!["123456789018"]);
        assert_eq!(found("番号 1234 5678 9018 です"), vec!["1234 5678 9018"]);
        assert_eq!(
            found("１２３４－５６７８－９０１８"),
            vec!["1234-5678-9018"]
        );
        assert_eq!(
            found("マイナンバー 123-456 789-018"),
            vec!["123-456 789-018"]
        );
        assert_eq!(found("123-456-789-018"), vec!["123-456-789-018"]);
    }

    #[test]
    fn unusual_groupings_with_one_kind_of_separator() {
        for s in [
            "6141_0652_6000",
            "6141-0652-600-0",
            "116428--722815",
            "6141  0652  6000",
            "614106 526000",
        ] {
            assert_eq!(found(s), vec![s], "{s}");
        }
        assert!(found("6141_0652_6001").is_empty(), "check digit");
        assert!(
            found("6141-0652_6000").is_empty(),
            "mixed separators need context"
        );
        assert_eq!(found("個人番号 6141-0652_6000"), vec!["6141-0652_6000"]);
        assert!(
            found("注文番号 6141_0652_6000").is_empty(),
            "another number's label"
        );
        assert!(
            found("61-41-06-52-60-00").is_empty(),
            "six groups need context"
        );
        assert!(found("6141---0652---6000").is_empty(), "three separators");
    }

    #[test]
    fn rejects_invalid_or_embedded_numbers() {
        assert!(
            found("追跡番号 123456789019").is_empty(),
            "wrong check digit"
        );
        assert!(
            found("マイナンバー 123456789019").is_empty(),
            "context never validates"
        );
        assert!(
            found("123-456 789-018").is_empty(),
            "mixed separators need context"
        );
        assert!(found("1234567890181").is_empty(), "13 digits");
        assert!(found("4123 4567 8901 8123").is_empty(), "16-digit card");
        assert!(found("ID123456789018").is_empty(), "glued to letters");
        assert!(
            found("+81 1234 5678 9018").is_empty(),
            "part of a longer number"
        );
        assert!(found("tok_123456789018abc").is_empty());
        assert!(
            found("配送伝票番号：1234-5678-9018").is_empty(),
            "labelled as a tracking number"
        );
        assert!(found("Order No. 123456789018").is_empty());
        assert_eq!(
            found("注文番号 ABC、マイナンバー：123456789018"),
            vec!["123456789018"]
        );
    }
}
