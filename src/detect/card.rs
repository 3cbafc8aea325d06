//! Payment cards: the number (PAN), and its expiry date and security code
//! when written next to it.
//!
//! A PAN is 13–19 digits, Luhn-valid, starting 2–6 (Visa, Mastercard, Amex,
//! JCB, Diners, Discover, UnionPay), written as one run or in groups joined by
//! single `-`, space or `.` (4-4-4-4, 4-6-5, 4-6-4, ...). Digits glued to
//! letters or continuing into more digits are not a card.
//!
//! Card details ([`Category::CardDetail`]): a security code (3–4 digits) after
//! セキュリティコード / CVV / CVC / CVV2 / CID, anywhere; an expiry (`07/29`,
//! `07/2029`, `2029/07`, `07月/29年`) after 有効期限 / Exp / Expiry / Valid
//! thru, when a card number or the word カード/card is within 300 bytes.

use super::digits::{continues_after, continues_before, is_group_sep, number_groups};
use super::{contains_ci, ends_with_ci, Candidate, Detector, Haystack};
use crate::span::{Category, Span};

/// Finds card numbers and card details.
#[derive(Debug, Default)]
pub struct CardDetector;

/// Luhn checksum over ASCII digits.
pub fn luhn_ok(digits: impl DoubleEndedIterator<Item = u8>) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.rev().enumerate() {
        let mut v = u32::from(d);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

const CVC_WORDS: [&str; 7] = [
    "セキュリティコード",
    "セキュリティーコード",
    "cvv2",
    "cvv",
    "cvc",
    "cid",
    "security code",
];
const EXPIRY_WORDS: [&str; 6] = [
    "有効期限",
    "有効期間",
    "expiry",
    "exp",
    "valid thru",
    "expiration",
];
const CARD_WORDS: [&str; 3] = ["カード", "card", "クレジット"];

fn contains_any(hay: &str, words: &[&str]) -> bool {
    words.iter().any(|w| contains_ci(hay, w))
}

impl Detector for CardDetector {
    fn name(&self) -> &'static str {
        "card"
    }

    fn detect(&self, hay: &Haystack<'_>, out: &mut Vec<Candidate>) {
        let t = hay.bytes();
        let runs = hay.digit_runs();
        let mut cards: Vec<Span> = Vec::new();
        for (group, total) in number_groups(t, runs) {
            if !(13..=19).contains(&total) || group.iter().any(|r| r.len() < 3) {
                continue;
            }
            let (start, end) = (group[0].start, group[group.len() - 1].end);
            if !(b'2'..=b'6').contains(&t[start])
                || continues_before(t, start)
                || continues_after(t, end)
            {
                continue;
            }
            let digits = group
                .iter()
                .flat_map(|r| t[r.range()].iter().map(|b| b - b'0'));
            let ds: Vec<u8> = digits.collect();
            if luhn_ok(ds.into_iter()) {
                cards.push(Span::new(start, end));
                out.push(Candidate::new(Category::Card, "card", start, end));
            }
        }
        self.details(hay, &cards, out);
    }
}

impl CardDetector {
    fn details(&self, hay: &Haystack<'_>, cards: &[Span], out: &mut Vec<Candidate>) {
        let t = hay.bytes();
        let runs = hay.digit_runs();
        let mut k = 0;
        while k < runs.len() {
            let r = runs[k];
            k += 1;
            if continues_before_detail(t, r.start) {
                continue;
            }
            let before = hay.before(r.start, 64);
            // Security code: 3–4 digits standing alone right after a keyword.
            if (3..=4).contains(&r.len())
                && !continues_after(t, r.end)
                && !masked_digits_after(t, r.end)
                && t.get(r.end) != Some(&b'/')
                && keyword_right_before(before, &CVC_WORDS)
            {
                out.push(Candidate::new(
                    Category::CardDetail,
                    "card/cvc",
                    r.start,
                    r.end,
                ));
                continue;
            }
            let Some((end, used)) = expiry_end(t, &runs[k - 1..]) else {
                continue;
            };
            if !keyword_right_before(before, &EXPIRY_WORDS) {
                continue;
            }
            let near_card = cards.iter().any(|c| c.start.abs_diff(r.start) <= 300)
                || contains_any(hay.before(r.start, 300), &CARD_WORDS)
                || contains_any(hay.after(end, 300), &CARD_WORDS);
            if near_card {
                out.push(Candidate::new(
                    Category::CardDetail,
                    "card/expiry",
                    r.start,
                    end,
                ));
                k += used - 1;
            }
        }
    }
}

/// True when one of `words` stands right before the end of `before`, on the
/// same line, with only a short gap of separators between (`：`, ` `, `=`,
/// `(CVV)`, `は`) and no digit.
fn keyword_right_before(before: &str, words: &[&str]) -> bool {
    let mut gap_start = before.len();
    for (i, c) in before.char_indices().rev() {
        if before.len() - i > 16
            || !matches!(
                c,
                ' ' | '\t'
                    | ':'
                    | '='
                    | '('
                    | ')'
                    | '['
                    | ']'
                    | '【'
                    | '】'
                    | '「'
                    | '」'
                    | '-'
                    | '#'
                    | '.'
                    | 'は'
                    | '：'
            )
        {
            break;
        }
        gap_start = i;
    }
    let head = &before[..gap_start];
    let b = head.as_bytes();
    // Cheap first test: the last character must end some keyword.
    let Some(last) = head.chars().next_back().map(|c| c.to_ascii_lowercase()) else {
        return false;
    };
    if last != ')' && !words.iter().any(|w| w.ends_with(last)) {
        return false;
    }
    words.iter().any(|w| {
        ends_with_ci(head, w) && {
            // ASCII keywords stand as words: `cid` is not in `incident`.
            let at = head.len() - w.len();
            !w.is_ascii() || at == 0 || !b[at - 1].is_ascii_alphanumeric()
        }
    }) || {
        // `CVV(CVC)` and the like: one bracketed word after the keyword.
        head.ends_with(')')
            && head
                .rfind('(')
                .is_some_and(|open| keyword_right_before(&head[..open], words))
    }
}

/// Digits a rule masked (`*`) continue the number at `end`, as the digits
/// they replaced did: `0330 0955` is no CVC, so neither is `0330 ****` when
/// the output is masked again (idempotence; fuzz/masker).
fn masked_digits_after(t: &[u8], end: usize) -> bool {
    match t.get(end) {
        Some(b'*') => true,
        Some(&b) if is_group_sep(b) => t.get(end + 1) == Some(&b'*'),
        _ => false,
    }
}

fn continues_before_detail(t: &[u8], start: usize) -> bool {
    start > 0 && (t[start - 1].is_ascii_alphanumeric() || t[start - 1] == b'/')
}

/// An expiry starting at `runs[0]`: `07/29`, `7/2029`, `2029/07`, `07-29`,
/// `2029年7月`, `29年7月`, `07月/29年`. Returns its end and how many runs it
/// used.
fn expiry_end(t: &[u8], runs: &[Span]) -> Option<(usize, usize)> {
    let (r, next) = (runs[0], *runs.get(1)?);
    if next.start - r.end > 8 {
        return None;
    }
    let gap = std::str::from_utf8(&t[r.end..next.start]).ok()?.trim();
    let (a, b) = (r.len(), next.len());
    let mut end = next.end;
    let ok = match gap {
        "/" | "-" => matches!((a, b), (1 | 2, 2) | (1 | 2, 4) | (4, 1 | 2)),
        "年" => {
            let ok = matches!((a, b), (2 | 4, 1 | 2)) && t[end..].starts_with("月".as_bytes());
            end += 3;
            ok
        }
        "月/" | "月 /" | "月" => {
            if t[end..].starts_with("年".as_bytes()) {
                end += 3;
            }
            matches!((a, b), (1 | 2, 2 | 4))
        }
        _ => false,
    };
    if !ok || t.get(end).is_some_and(|b| b.is_ascii_digit() || *b == b'/') {
        return None;
    }
    Some((end, 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::testutil::detect;

    fn found(s: &str) -> Vec<(Category, String)> {
        let (n, out) = detect(&CardDetector, s);
        out.iter()
            .map(|c| (c.category, n[c.span.range()].to_string()))
            .collect()
    }

    fn cards(s: &str) -> Vec<String> {
        found(s)
            .into_iter()
            .filter(|(c, _)| *c == Category::Card)
            .map(|(_, s)| s)
            .collect()
    }

    #[test]
    fn luhn_reference_values() {
        assert!(luhn_ok("4111111111111111".bytes().map(|b| b - b'0')));
        assert!(luhn_ok("378282246310005".bytes().map(|b| b - b'0')));
        assert!(!luhn_ok("4111111111111112".bytes().map(|b| b - b'0')));
    }

    #[test]
    fn finds_cards_in_common_layouts() {
        assert_eq!(
            cards("カード番号: 4111 1111 1111 1111"),
            vec!["4111 1111 1111 1111"]
        );
        assert_eq!(cards("4111-1111-1111-1111"), vec!["4111-1111-1111-1111"]);
        assert_eq!(
            cards("５５５５５５５５５５５５４４４４"),
            vec!["5555555555554444"]
        );
        assert_eq!(cards("Amex 3782 822463 10005"), vec!["3782 822463 10005"]);
        assert_eq!(cards("JCB 3530111333300000 で"), vec!["3530111333300000"]);
    }

    #[test]
    fn rejects_non_cards() {
        assert!(cards("4111 1111 1111 1112").is_empty(), "Luhn");
        assert!(
            cards("注文番号 1111111111111111").is_empty(),
            "starts with 1"
        );
        assert!(cards("ID4111111111111111").is_empty(), "glued");
        assert!(cards("4111 1111 1111 1111 2").is_empty(), "continues");
        assert!(cards("************1111").is_empty(), "already masked");
    }

    #[test]
    fn finds_expiry_and_security_code_next_to_a_card() {
        let f = found("カード番号 4111111111111111 有効期限 07/29 セキュリティコード 123");
        assert!(f.contains(&(Category::CardDetail, "07/29".into())), "{f:?}");
        assert!(f.contains(&(Category::CardDetail, "123".into())), "{f:?}");
        let f = found("クレジットカード 有効期限：2029/07");
        assert!(
            f.contains(&(Category::CardDetail, "2029/07".into())),
            "{f:?}"
        );
        let f = found("Exp: 07/2029 card ending 1111");
        assert!(
            f.contains(&(Category::CardDetail, "07/2029".into())),
            "{f:?}"
        );
    }

    #[test]
    fn expiry_in_japanese_year_month_form() {
        let f = found("card: 4111111111111111\n有効期限：2031年3月 セキュリティコード：502");
        assert!(
            f.contains(&(Category::CardDetail, "2031年3月".into())),
            "{f:?}"
        );
        assert!(f.contains(&(Category::CardDetail, "502".into())), "{f:?}");
        let f = found("カード 4111111111111111 exp 31年5月");
        assert!(
            f.contains(&(Category::CardDetail, "31年5月".into())),
            "{f:?}"
        );
    }

    #[test]
    fn masked_card_is_not_a_security_code() {
        // Regression (fuzz/masker): the second pass took `1111` as a CVC.
        assert!(found("CVV *** card **** **** **** 1111").is_empty());
        assert!(found("incident card **** **** **** 1111").is_empty());
        assert!(found("incident 123").is_empty());
    }

    #[test]
    fn keywords_reach_only_the_value_right_after_them() {
        let f = found("セキュリティコード 502\n伝票番号 9758-7128-2523");
        assert_eq!(f, vec![(Category::CardDetail, "502".into())]);
        let f = found("カード 有効期限 07/29\n【対応履歴】\n2025年5月27日 17:15");
        assert_eq!(f, vec![(Category::CardDetail, "07/29".into())]);
    }

    #[test]
    fn dates_without_card_context_are_not_expiry() {
        assert!(found("有効期限 07/29 の食品").is_empty());
        assert!(found("会議は 07/29 です").is_empty());
        assert!(found("セキュリティ研修 2024/07/29").is_empty());
    }
}
