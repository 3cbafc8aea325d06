//! Payment cards: the number (PAN), and its expiry date and security code
//! when written next to it.
//!
//! A PAN is Luhn-valid and starts with the issuer prefix (IIN) of a major
//! scheme, with a length that scheme issues ([`SCHEMES`]: Visa, Mastercard,
//! American Express, JCB, Diners Club, Discover, UnionPay, Maestro, Mir,
//! RuPay, Troy, UATP). It is written as one run or in groups joined by
//! single `-`, space or `.` (4-4-4-4, 4-6-5, 4-6-4, ...). Digits glued to
//! letters or continuing into more digits are not a card — unless the whole
//! run of groups splits into several cards, each a valid PAN written in one
//! way (`4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881` is three).
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

/// One scheme's issuer prefixes: the first `width` digits lie in
/// `lo..=hi`, and the number has one of `lengths` digits.
struct Iin {
    lo: u32,
    hi: u32,
    width: u8,
    lengths: std::ops::RangeInclusive<u8>,
    /// Lengths inside `lengths` the scheme does not issue (Visa: 14, 15, 17, 18).
    except: &'static [u8],
}

const fn iin(lo: u32, hi: u32, width: u8, lengths: std::ops::RangeInclusive<u8>) -> Iin {
    Iin {
        lo,
        hi,
        width,
        lengths,
        except: &[],
    }
}

/// Issuer prefixes and lengths of the major schemes (the schemes' published
/// IIN ranges, as listed by ISO/IEC 7812 registries and the schemes).
const SCHEMES: &[Iin] = &[
    iin(1, 1, 1, 15..=15),       // UATP
    iin(2200, 2204, 4, 16..=19), // Mir
    iin(2221, 2720, 4, 16..=16), // Mastercard (2-series)
    iin(300, 305, 3, 14..=19),   // Diners Club International
    iin(3095, 3095, 4, 14..=19), // Diners Club International
    iin(34, 34, 2, 15..=15),     // American Express
    iin(36, 36, 2, 14..=19),     // Diners Club International
    iin(37, 37, 2, 15..=15),     // American Express
    iin(3528, 3589, 4, 16..=19), // JCB
    iin(38, 39, 2, 14..=19),     // Diners Club International
    Iin {
        lo: 4,
        hi: 4,
        width: 1,
        lengths: 13..=19,
        except: &[14, 15, 17, 18],
    }, // Visa
    iin(50, 50, 2, 13..=19),     // Maestro, Dankort (5019), RuPay (508)
    iin(51, 55, 2, 16..=16),     // Mastercard
    iin(56, 58, 2, 13..=19),     // Maestro
    iin(60, 69, 2, 13..=19),     // Discover, RuPay, UnionPay, Maestro, Troy, Verve, InterPayment
    iin(81, 82, 2, 16..=16),     // RuPay
    iin(9792, 9792, 4, 16..=16), // Troy
];

/// Does a scheme issue the card number `d` (digits as values 0–9)?
fn iin_ok(d: &[u8]) -> bool {
    SCHEMES.iter().any(|s| {
        let w = usize::from(s.width);
        let n = d.len() as u8;
        d.len() >= w
            && s.lengths.contains(&n)
            && !s.except.contains(&n)
            && (s.lo..=s.hi).contains(&d[..w].iter().fold(0u32, |a, &b| a * 10 + u32::from(b)))
    })
}

/// Is the run of digit groups `group` one valid card number?
fn is_card(t: &[u8], group: &[Span]) -> bool {
    let mut d = [0u8; 19];
    let mut n = 0;
    for r in group {
        for &b in &t[r.range()] {
            if n == d.len() {
                return false;
            }
            d[n] = b - b'0';
            n += 1;
        }
    }
    let d = &d[..n];
    n >= 13 && iin_ok(d) && luhn_ok(d.iter().copied())
}

/// Most groups in a line of several cards worth splitting.
const MAX_SPLIT_GROUPS: usize = 40;

/// Splits a run of groups into several cards, each written in one way (one
/// run, or groups of 3+ digits with one separator byte) and separated from
/// the next by a space. Every group must belong to a card: otherwise the
/// run is some other long number and nothing is returned.
fn split_cards(t: &[u8], group: &[Span]) -> Vec<Span> {
    let n = group.len();
    if !(2..=MAX_SPLIT_GROUPS).contains(&n) {
        return Vec::new();
    }
    let sep = |k: usize| &t[group[k - 1].end..group[k].start];
    let piece_ok = |a: usize, b: usize| {
        let runs = &group[a..b];
        let total: usize = runs.iter().map(|r| r.len()).sum();
        (13..=19).contains(&total)
            && (b - a == 1 || runs.iter().all(|r| r.len() >= 3))
            && (a + 1..b).all(|k| sep(k) == sep(a + 1))
            && (b == n || sep(b) == b" ")
            && is_card(t, runs)
    };
    // from[b]: where the last card of a partition of group[..b] starts.
    let mut from = vec![usize::MAX; n + 1];
    from[0] = 0;
    for a in 0..n {
        if from[a] == usize::MAX || (a > 0 && sep(a) != b" ") {
            continue;
        }
        let hi = n.min(a + 7);
        for (b, slot) in from.iter_mut().enumerate().take(hi + 1).skip(a + 1) {
            if *slot == usize::MAX && piece_ok(a, b) {
                *slot = a;
            }
        }
    }
    if from[n] == usize::MAX {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut b = n;
    while b > 0 {
        let a = from[b];
        out.push(Span::new(group[a].start, group[b - 1].end));
        b = a;
    }
    out.reverse();
    out
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
            if total < 13 {
                continue;
            }
            let (start, end) = (group[0].start, group[group.len() - 1].end);
            if continues_before(t, start) || continues_after(t, end) {
                continue;
            }
            let whole = total <= 19
                && (group.len() == 1 || group.iter().all(|r| r.len() >= 3))
                && is_card(t, group);
            let found = if whole {
                vec![Span::new(start, end)]
            } else if total > 19 {
                split_cards(t, group)
            } else {
                Vec::new()
            };
            for s in found {
                cards.push(s);
                out.push(Candidate::new(Category::Card, "card", s.start, s.end));
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
            // Most runs have no keyword before them: a byte test first.
            let keyed = may_end_keyword(t, r.start);
            let before = hay.before(r.start, 64);
            // Security code: 3–4 digits standing alone right after a keyword.
            if keyed
                && (3..=4).contains(&r.len())
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
            if !keyed || !keyword_right_before(before, &EXPIRY_WORDS) {
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

/// A byte test that [`keyword_right_before`] can only hold for the number
/// at `start` if it returns true: past the ASCII separators of the gap, the
/// byte before must end a keyword (`cvv2`, `exp`, コード, 有効期限, 有効期間)
/// or a non-ASCII separator (`は`, `：`, brackets), or the gap holds a `)`
/// or is longer than the keyword test looks.
fn may_end_keyword(t: &[u8], start: usize) -> bool {
    let mut p = start;
    while p > 0 && start - p <= 16 {
        let b = t[p - 1];
        if b == b')' {
            // A bracket after the keyword: the full test looks.
            return true;
        }
        if !matches!(
            b,
            b' ' | b'\t' | b':' | b'=' | b'(' | b')' | b'[' | b']' | b'-' | b'#' | b'.'
        ) {
            return match b {
                b'2' => true,
                _ if b.is_ascii() => matches!(
                    b.to_ascii_lowercase(),
                    b'v' | b'c' | b'd' | b'e' | b'y' | b'p' | b'u' | b'n'
                ),
                // The last bytes of ド 限 間 は ： 【 】 「 」.
                _ => matches!(b, 0x89 | 0x90 | 0x93 | 0xAF | 0x9A | 0x91 | 0x8C | 0x8D),
            };
        }
        p -= 1;
    }
    true
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
    if !before[gap_start..].contains(')') && !words.iter().any(|w| w.ends_with(last)) {
        return false;
    }
    words.iter().any(|w| {
        ends_with_ci(head, w) && {
            // ASCII keywords stand as words: `cid` is not in `incident`.
            // A digit may touch one (`07/29CVV 123`: the expiry glued to
            // it), as the `*` that masks the digit does on the next pass.
            let at = head.len() - w.len();
            !w.is_ascii() || at == 0 || !b[at - 1].is_ascii_alphabetic()
        }
    }) || {
        // `セキュリティコード(3桁)` and the like: a short bracket between the
        // keyword and the value (the gap ends at the bracket's last word).
        before[gap_start..].rfind(')').is_some_and(|c| {
            let close = gap_start + c;
            before[..close].rfind('(').is_some_and(|open| {
                close - open <= 24 && keyword_right_before(&before[..open], words)
            })
        })
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
    let gap = &t[r.end..next.start];
    // Every separator below holds `/`, `-`, 年 (E5 B9 B4) or 月 (E6 9C 88).
    if gap.len() > 8 || !gap.iter().any(|b| matches!(b, b'/' | b'-' | 0xE5 | 0xE6)) {
        return None;
    }
    let gap = std::str::from_utf8(gap).ok()?.trim();
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
    fn issuer_prefixes_and_lengths() {
        // UATP: 15 digits starting with 1 (Presidio's AirPlus test card).
        assert_eq!(cards("122000000000003"), vec!["122000000000003"]);
        assert_eq!(
            cards("30569309025904"),
            vec!["30569309025904"],
            "Diners, 14"
        );
        assert_eq!(
            cards("6759649826438453"),
            vec!["6759649826438453"],
            "Maestro"
        );
        assert_eq!(
            cards("2221000000000009"),
            vec!["2221000000000009"],
            "Mastercard 2-series"
        );
        // Luhn-valid, but no scheme issues these prefixes or lengths.
        assert!(cards("2000000000000006").is_empty(), "2000 is no IIN");
        assert!(cards("7000000000000005").is_empty(), "7 is no IIN");
        assert!(
            cards("41111111111114").is_empty(),
            "Visa has no 14-digit cards"
        );
        assert!(cards("1220000000000002").is_empty(), "UATP has 15 digits");
    }

    #[test]
    fn several_cards_in_one_run_of_groups() {
        // Presidio test_valid_credit_cards.
        assert_eq!(
            cards("4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881"),
            vec![
                "4012888888881881",
                "4012-8888-8888-1881",
                "4012 8888 8888 1881"
            ]
        );
        assert_eq!(
            cards("4111111111111111 5555555555554444"),
            vec!["4111111111111111", "5555555555554444"]
        );
        // Every group must belong to a card.
        assert!(cards("4111111111111111 5555555555554445").is_empty());
        assert!(cards("4111111111111111 1234").is_empty());
        // A card is written one way: no mixed separators inside one.
        assert!(cards("4012-8888 8888-1881 4111111111111111").is_empty());
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
    fn a_security_code_after_a_glued_expiry_is_found() {
        // fuzz/masker: `29CVV 123` passed, `**CVV 123` (the expiry masked)
        // did not.
        let text = "4111 1111 1111 1111 有効期限 07/ 29CVV 123";
        assert!(
            found(text).contains(&(Category::CardDetail, "123".to_string())),
            "{text}"
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

    #[test]
    fn every_keyword_and_separator_reaches_the_value() {
        let gaps = [
            " ",
            "：",
            ": ",
            "は",
            "=",
            "(3桁) ",
            "（裏面）：",
            "】",
            "」",
            "#",
            " - ",
        ];
        for w in CVC_WORDS {
            for g in gaps {
                let text = format!("カード 4111111111111111 {w}{g}123");
                let f = found(&text);
                assert!(
                    f.contains(&(Category::CardDetail, "123".into())),
                    "{text}: {f:?}"
                );
                let upper = format!("card {}{g}4321", w.to_uppercase());
                let f = found(&upper);
                assert!(
                    f.contains(&(Category::CardDetail, "4321".into())),
                    "{upper}: {f:?}"
                );
            }
        }
        for w in EXPIRY_WORDS {
            for g in gaps {
                let text = format!("クレジットカード {w}{g}07/29");
                let f = found(&text);
                assert!(
                    f.contains(&(Category::CardDetail, "07/29".into())),
                    "{text}: {f:?}"
                );
            }
        }
    }

    #[test]
    fn the_byte_test_never_rejects_what_the_keyword_test_takes() {
        // Every text of up to four pieces from keywords, separators and
        // other words: wherever the keyword test holds, so does the byte test.
        let pieces = [
            "cvv2",
            "CVC",
            "cid",
            "exp",
            "Valid Thru",
            "有効期限",
            "有効期間",
            "コード",
            "セキュリティーコード",
            "(CVV)",
            "(3桁)",
            "(",
            ")",
            "は",
            "：",
            "【",
            "」",
            " ",
            "-",
            "=",
            ".",
            "カード",
            "番号",
            "incident",
            "x",
            "日",
            "ー",
            "                ",
        ];
        let n = pieces.len();
        for a in 0..n {
            for b in 0..n {
                for c in 0..n {
                    for d in [0, 4, 10, 13, 16, 24] {
                        let text = [pieces[a], pieces[b], pieces[c], pieces[d]].concat();
                        for words in [&CVC_WORDS[..], &EXPIRY_WORDS[..]] {
                            if keyword_right_before(&text, words) {
                                assert!(may_end_keyword(text.as_bytes(), text.len()), "{text:?}");
                            }
                        }
                    }
                }
            }
        }
    }
}
