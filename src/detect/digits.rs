//! Runs of ASCII digits in the normalized text, computed once per window and
//! shared by the number-shaped detectors (phone, postal code, My Number, card).

use crate::span::Span;

/// Appends every maximal run of ASCII digits in `text` to `out`, in order.
///
/// This is the one full scan the number detectors share; text without digits
/// costs a single pass over its bytes.
pub fn digit_runs(text: &[u8], out: &mut Vec<Span>) {
    let mut i = 0;
    let n = text.len();
    while i < n {
        // Skip 8 bytes at a time while none of them is a digit.
        while i + 8 <= n {
            let w = u64::from_le_bytes(text[i..i + 8].try_into().expect("8 bytes"));
            if !has_digit(w) {
                i += 8;
            } else {
                break;
            }
        }
        while i < n && !text[i].is_ascii_digit() {
            i += 1;
        }
        if i >= n {
            break;
        }
        let start = i;
        while i < n && text[i].is_ascii_digit() {
            i += 1;
        }
        out.push(Span::new(start, i));
    }
}

/// Appends every maximal run of ASCII bytes that contains an ASCII letter.
///
/// Non-ASCII text is skipped 8 bytes at a time.
pub fn ascii_islands(text: &[u8], out: &mut Vec<Span>) {
    const HI: u64 = 0x8080_8080_8080_8080;
    let n = text.len();
    let mut i = 0;
    while i < n {
        while i + 8 <= n
            && u64::from_le_bytes(text[i..i + 8].try_into().expect("8 bytes")) & HI == HI
        {
            i += 8;
        }
        while i < n && text[i] >= 0x80 {
            i += 1;
        }
        let start = i;
        let mut letter = false;
        while i < n && text[i] < 0x80 {
            letter |= text[i].is_ascii_alphabetic();
            i += 1;
        }
        if letter {
            out.push(Span::new(start, i));
        }
    }
}

/// [`digit_runs`] and [`ascii_islands`] in one pass: the digit runs into
/// `runs`, the islands into `islands`, exactly as the two scans find them
/// (digits are ASCII, so every run lies in some ASCII run). Non-ASCII text
/// is skipped 32 or eight bytes at a time, and so are eight ASCII bytes
/// holding no digit.
pub fn runs_and_islands(text: &[u8], runs: &mut Vec<Span>, islands: &mut Vec<Span>) {
    const HI: u64 = 0x8080_8080_8080_8080;
    let n = text.len();
    let word = |i: usize| u64::from_le_bytes(text[i..i + 8].try_into().expect("8 bytes"));
    let mut i = 0;
    while i < n {
        while i + 32 <= n && word(i) & word(i + 8) & word(i + 16) & word(i + 24) & HI == HI {
            i += 32;
        }
        while i + 8 <= n && word(i) & HI == HI {
            i += 8;
        }
        while i < n && text[i] >= 0x80 {
            i += 1;
        }
        let start = i;
        let mut letter = false;
        while i < n {
            if i + 8 <= n {
                let w = word(i);
                if w & HI == 0 && !has_digit(w) {
                    letter = letter || has_alpha(w);
                    i += 8;
                    continue;
                }
            }
            let b = text[i];
            if b >= 0x80 {
                break;
            }
            if b.is_ascii_digit() {
                let d = i;
                while i < n && text[i].is_ascii_digit() {
                    i += 1;
                }
                runs.push(Span::new(d, i));
                continue;
            }
            letter |= b.is_ascii_alphabetic();
            i += 1;
        }
        if letter {
            islands.push(Span::new(start, i));
        }
    }
}

/// SWAR test for a word of ASCII bytes: is any of them a letter?
#[inline]
fn has_alpha(w: u64) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // Setting bit 5 folds upper case onto lower case; no other ASCII byte
    // lands in `a..=z` that way.
    let x = (w | (LO * 0x20)) & !HI;
    let ge_a = x.wrapping_add(LO * (0x80 - u64::from(b'a'))) & HI;
    let gt_z = x.wrapping_add(LO * (0x80 - u64::from(b'z') - 1)) & HI;
    ge_a & !gt_z != 0
}

/// SWAR test: does any byte of `w` lie in `b'0'..=b'9'`?
#[inline]
fn has_digit(w: u64) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // Bytes >= 0x80 can never be digits; mask them out of the comparison.
    let ascii = !w & HI;
    let x = w & !HI;
    // x + (0x80 - 0x30) sets the high bit when x >= 0x30.
    let ge0 = x.wrapping_add(LO * (0x80 - 0x30)) & HI;
    // x + (0x80 - 0x3A) sets the high bit when x >= 0x3A.
    let ge_colon = x.wrapping_add(LO * (0x80 - 0x3A)) & HI;
    ge0 & !ge_colon & ascii != 0
}

/// Separators allowed between digit groups of a number.
pub(crate) fn is_group_sep(b: u8) -> bool {
    matches!(b, b'-' | b' ' | b'.')
}

/// Groups digit runs joined by exactly one separator: returns, for the run at
/// `i`, the index one past the last run of the group.
fn group_end(t: &[u8], runs: &[Span], i: usize) -> usize {
    let mut j = i + 1;
    while j < runs.len() {
        let gap = &t[runs[j - 1].end..runs[j].start];
        if gap.len() == 1 && is_group_sep(gap[0]) {
            j += 1;
        } else {
            break;
        }
    }
    j
}

/// True when the number ending at `end` is followed by more number (a
/// separator and a digit) or by a letter/digit glued to it.
pub(crate) fn continues_after(t: &[u8], end: usize) -> bool {
    match t.get(end) {
        Some(b) if b.is_ascii_alphanumeric() || *b == b'_' => true,
        Some(b) if is_group_sep(*b) || *b == b'/' => t.get(end + 1).is_some_and(u8::is_ascii_digit),
        _ => false,
    }
}

/// True when the number starting at `start` continues to the left.
pub(crate) fn continues_before(t: &[u8], start: usize) -> bool {
    if start == 0 {
        return false;
    }
    let b = t[start - 1];
    if b.is_ascii_alphanumeric() || b == b'_' || b == b'+' {
        return true;
    }
    (is_group_sep(b) || b == b'/') && start >= 2 && t[start - 2].is_ascii_digit()
}

/// The numbers in the text: digit runs joined by single separators (see
/// [`is_group_sep`]), each with its total digit count, in order.
pub(crate) fn number_groups<'a>(
    t: &'a [u8],
    runs: &'a [Span],
) -> impl Iterator<Item = (&'a [Span], usize)> + 'a {
    let mut i = 0;
    std::iter::from_fn(move || {
        if i >= runs.len() {
            return None;
        }
        let j = group_end(t, runs, i);
        let group = &runs[i..j];
        i = j;
        Some((group, group.iter().map(|r| r.len()).sum()))
    })
}

/// The digits of `s` (ASCII only), as values 0–9, skipping everything else.
pub fn digits_of(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(s: &str) -> Vec<&str> {
        let mut v = Vec::new();
        digit_runs(s.as_bytes(), &mut v);
        v.into_iter().map(|sp| &s[sp.range()]).collect()
    }

    #[test]
    fn finds_runs_across_word_boundaries() {
        assert_eq!(runs("tel 090-1234-5678!"), vec!["090", "1234", "5678"]);
        assert_eq!(runs("abcdefghijklmnop1"), vec!["1"]);
        assert_eq!(runs("電話番号は0312345678です"), vec!["0312345678"]);
        assert!(runs("no digits here at all, none").is_empty());
    }

    #[test]
    fn islands_are_ascii_runs_with_letters() {
        let s = "お問い合わせは info@example.com まで、2024年、TEL 03-1234";
        let mut v = Vec::new();
        ascii_islands(s.as_bytes(), &mut v);
        let got: Vec<&str> = v.iter().map(|sp| &s[sp.range()]).collect();
        assert_eq!(got, vec![" info@example.com ", "TEL 03-1234"]);
    }

    #[test]
    fn one_pass_equals_the_two_scans() {
        let texts = [
            "お問い合わせは info@example.com まで、2024年、TEL 03-1234",
            "金額：¥128,000（税込）、納期：2024/12/20、注文番号：ORD-2024-000123。\n",
            "Please find attached the revised proposal for the Q3 campaign; version 2.4.1 fixes\n",
            "12345678901234567890abcdefghABCDEFGH@@@@@@@@[[[[````{{{{日本語1a2b3c4d5e6f",
            "いつもお世話になっております。先日のお打ち合わせでは貴重なお時間をいただき、誠にx1ありがとうございました。ご依頼いただいておりました見積書を添付いたします42",
            "",
            "x",
            "7",
            "日本",
        ];
        for t in texts {
            let b = t.as_bytes();
            for from in 0..b.len().min(9) {
                let b = &b[from..];
                let (mut r1, mut i1, mut r2, mut i2) = (vec![], vec![], vec![], vec![]);
                digit_runs(b, &mut r1);
                ascii_islands(b, &mut i1);
                runs_and_islands(b, &mut r2, &mut i2);
                assert_eq!(r1, r2, "{t} from {from}");
                assert_eq!(i1, i2, "{t} from {from}");
            }
        }
    }

    #[test]
    fn swar_alpha_matches_naive_for_every_ascii_byte() {
        for b in 0u8..0x80 {
            let w = u64::from_le_bytes([b, b' ', b'1', b'@', b'[', b'`', b'{', 0x7f]);
            assert_eq!(has_alpha(w), b.is_ascii_alphabetic(), "byte {b:#x}");
        }
    }

    #[test]
    fn swar_matches_naive_for_every_byte() {
        for b in 0u8..=255 {
            let w = u64::from_le_bytes([b, b'a', b'a', b'a', b'a', b'a', b'a', b'a']);
            assert_eq!(has_digit(w), b.is_ascii_digit(), "byte {b:#x}");
        }
    }
}
