//! E-mail addresses.
//!
//! Anchored on `@` (full-width `＠` is folded by normalization), found with
//! memchr: the local part is grown to the left over RFC 5322 atom characters
//! and dots (or is one quoted string, `"foo bar"@…`), the domain to the right
//! over LDH labels. A match needs a non-empty local part of at most 64
//! characters and a domain with at least two labels whose last (the TLD) is
//! 2+ letters or punycode (`a@xn--d1acufc.xn--p1ai`). `mailto:` stays outside
//! the span (`:` is not a local-part character).
//!
//! Internationalised addresses (`user@пример.рф`, `tüst@müller.de`,
//! `hans@m端ller.com`): letters outside ASCII belong to the address, but
//! Japanese, Chinese and Korean script is also the sentence around it in
//! Japanese text (`メールはtaro@example.co.jpまで`). So such a run counts in
//! the local part only right after an ASCII letter or digit of it (`m端ller`,
//! not `メールは`), and the domain's last label is cut where such a run
//! starts (`example.co.jpまで` is `example.co.jp`).
//!
//! Masked output (`*******mada@example.co.jp`) is still an address and is
//! found again; the rule maps it to itself, so masking stays idempotent.

use super::{Candidate, Detector, Haystack};
use crate::span::Category;

/// Finds e-mail addresses.
#[derive(Debug, Default)]
pub struct EmailDetector;

/// Longest local part taken (RFC 5321 allows 64; a longer one in text is
/// still somebody's address and is masked whole).
const MAX_LOCAL: usize = 256;
/// Longest domain.
const MAX_DOMAIN: usize = 255;

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-.".contains(&b)
}

/// Letters, digits, `-`, `.` and `_` (not in host names, but in other DNS
/// names, and accepted by mail software).
fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')
}

/// An address literal (`[192.0.2.1]`, `[IPv6:2001:db8::1]`) after `at`:
/// where it ends.
fn literal_end(t: &[u8], at: usize) -> Option<usize> {
    if t.get(at + 1) != Some(&b'[') {
        return None;
    }
    let body = t.get(at + 2..)?;
    let close = body.iter().take(46).position(|&b| b == b']')?;
    let inner = &body[..close];
    (inner.iter().any(u8::is_ascii_digit)
        && inner
            .iter()
            .all(|&b| b.is_ascii_hexdigit() || matches!(b, b'.' | b':' | b'I' | b'P' | b'v')))
    .then_some(at + 3 + close)
}

/// A non-ASCII character of `t` ending at byte `end`, if `t[..end]` ends
/// with one.
fn char_before(t: &[u8], end: usize) -> Option<(char, usize)> {
    let mut s = end.checked_sub(1)?;
    while s > 0 && end - s < 4 && t[s] & 0xC0 == 0x80 {
        s -= 1;
    }
    let c = std::str::from_utf8(&t[s..end]).ok()?.chars().next()?;
    Some((c, end - s))
}

/// The non-ASCII character starting `t`, with its length.
fn char_at(t: &[u8]) -> Option<(char, usize)> {
    let len = match *t.first()? {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return None,
    };
    let c = std::str::from_utf8(t.get(..len)?).ok()?.chars().next()?;
    Some((c, len))
}

/// Where the local part ending at `at` starts (`at` itself: none).
fn local_start(t: &[u8], floor: usize, at: usize) -> usize {
    if t[at - 1] == b'"' {
        return quoted_start(t, floor, at).unwrap_or(at);
    }
    let mut s = at;
    // Start of a run of Japanese/Chinese/Korean letters taken so far that
    // still needs an ASCII letter or digit before it.
    let mut pending: Option<usize> = None;
    while s > floor && at - s < MAX_LOCAL {
        let b = t[s - 1];
        if b < 0x80 {
            if !is_local_byte(b) {
                break;
            }
            if pending.is_some() && !b.is_ascii_alphanumeric() {
                break;
            }
            pending = None;
            s -= 1;
            continue;
        }
        let Some((c, len)) = char_before(t, s) else {
            break;
        };
        if !c.is_alphabetic() || s - len < floor {
            break;
        }
        if is_cjk(c) {
            pending.get_or_insert(s);
        } else if pending.is_some() {
            break;
        }
        s -= len;
    }
    let s = pending.unwrap_or(s);
    let mut s = s;
    while s < at && t[s] == b'.' {
        s += 1;
    }
    s
}

/// A quoted local part (`"foo bar"@`) ending at `at`: where its opening
/// quote is.
fn quoted_start(t: &[u8], floor: usize, at: usize) -> Option<usize> {
    let close = at - 1;
    let mut k = close;
    while k > floor && close - k < MAX_LOCAL {
        k -= 1;
        match t[k] {
            b'\n' | b'\r' => return None,
            b'"' if k == floor || t[k - 1] != b'\\' => return (k + 2 < at).then_some(k),
            _ => {}
        }
    }
    None
}

/// Where the domain starting after `at` ends.
fn domain_end(t: &[u8], at: usize) -> usize {
    let mut e = at + 1;
    while e < t.len() && e - at <= MAX_DOMAIN {
        if t[e] < 0x80 {
            if !is_domain_byte(t[e]) {
                break;
            }
            e += 1;
            continue;
        }
        match char_at(&t[e..]) {
            Some((c, len)) if c.is_alphabetic() => e += len,
            _ => break,
        }
    }
    loop {
        // Trim trailing dots and hyphens (end of sentence).
        while e > at + 1 && matches!(t[e - 1], b'.' | b'-') {
            e -= 1;
        }
        // The last label ends where Japanese text glued to it begins.
        let label = t[at + 1..e]
            .iter()
            .rposition(|&b| b == b'.')
            .map_or(at + 1, |p| at + 2 + p);
        let mut k = label;
        let mut cut = None;
        while k < e {
            match char_at(&t[k..]) {
                Some((c, len)) => {
                    if is_cjk(c) {
                        cut = Some(k);
                        break;
                    }
                    k += len;
                }
                None => k += 1,
            }
        }
        match cut {
            Some(c) if c < e => e = c,
            _ => return e,
        }
    }
}

impl Detector for EmailDetector {
    fn name(&self) -> &'static str {
        "email"
    }

    fn detect(&self, hay: &Haystack<'_>, out: &mut Vec<Candidate>) {
        let t = hay.bytes();
        let mut last_end = 0;
        for at in memchr::memchr_iter(b'@', t) {
            if at < last_end || at == 0 {
                continue;
            }
            let s = local_start(t, last_end, at);
            if s == at || t[at - 1] == b'.' {
                continue;
            }
            let e = match literal_end(t, at) {
                Some(e) => e,
                None => {
                    let e = domain_end(t, at);
                    if !valid_domain(&t[at + 1..e]) {
                        continue;
                    }
                    e
                }
            };
            out.push(Candidate::new(Category::Email, "email", s, e));
            last_end = e;
        }
    }
}

/// Japanese, Chinese and Korean script, and full-width forms.
fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF | 0x2E80..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Is `label` a top-level domain: 2+ letters (any script), or punycode
/// (`xn--` and LDH characters)?
fn is_tld(label: &[u8]) -> bool {
    if label.len() > 4 && label[..4].eq_ignore_ascii_case(b"xn--") {
        return label[4..]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-');
    }
    std::str::from_utf8(label)
        .is_ok_and(|s| s.chars().count() >= 2 && s.chars().all(char::is_alphabetic))
}

fn valid_domain(d: &[u8]) -> bool {
    let mut labels = 0;
    let mut last: &[u8] = &[];
    for label in d.split(|&b| b == b'.') {
        if label.is_empty()
            || label.len() > 63
            || label[0] == b'-'
            || label[label.len() - 1] == b'-'
        {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2 && is_tld(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn found(s: &str) -> Vec<String> {
        let n = normalize(s);
        let mut out = Vec::new();
        EmailDetector.detect(&Haystack::new(&n, &[]), &mut out);
        out.iter().map(|c| n[c.span.range()].to_string()).collect()
    }

    #[test]
    fn finds_addresses_in_text() {
        assert_eq!(
            found("連絡先: taro.yamada@example.co.jp まで"),
            vec!["taro.yamada@example.co.jp"]
        );
        assert_eq!(
            found("<mailto:info+ec@shop.example.com>"),
            vec!["info+ec@shop.example.com"]
        );
        assert_eq!(
            found("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍです"),
            vec!["taro@example.com"]
        );
        assert_eq!(
            found("a@b.jp、c_d@e-f.co.jp。"),
            vec!["a@b.jp", "c_d@e-f.co.jp"]
        );
        assert_eq!(
            found("Sent to: Taro.Yamada@Example.COM."),
            vec!["Taro.Yamada@Example.COM"]
        );
    }

    #[test]
    fn internationalised_domains() {
        assert_eq!(
            found("a@xn--d1acufc.xn--p1ai"),
            vec!["a@xn--d1acufc.xn--p1ai"]
        );
        assert_eq!(
            found("mail: test@xn--mller-kva.de です"),
            vec!["test@xn--mller-kva.de"]
        );
        assert_eq!(found("user@пример.рф"), vec!["user@пример.рф"]);
        assert_eq!(
            found("kontakt@müller.de、よろしく"),
            vec!["kontakt@müller.de"]
        );
        assert_eq!(
            found("taro@example.co.jpまでご連絡ください"),
            vec!["taro@example.co.jp"]
        );
        assert!(found("user@xn--.com").is_empty(), "empty punycode label");
        assert!(found("a@example.日本語").is_empty(), "CJK ends the domain");
        assert_eq!(found("hans@m端ller.com"), vec!["hans@m端ller.com"]);
        assert_eq!(
            found("hans.m端ller@test.com"),
            vec!["hans.m端ller@test.com"]
        );
        assert_eq!(found("tüst@invalid.com"), vec!["tüst@invalid.com"]);
        assert_eq!(
            found("メールはtaro@example.co.jp担当まで"),
            vec!["taro@example.co.jp"]
        );
        assert_eq!(found("山田taro@example.com様"), vec!["taro@example.com"]);
    }

    #[test]
    fn rejects_non_addresses() {
        assert!(found("@mention in chat").is_empty());
        assert!(found("user@localhost").is_empty());
        assert!(found("price @ 100 yen").is_empty());
        assert!(found("a@b.c1").is_empty());
        assert!(found("foo@-bar.com").is_empty());
        assert!(found("@山田さん").is_empty());
        assert!(found("****@**.**.**").is_empty());
    }

    #[test]
    fn literals_underscores_and_long_local_parts() {
        assert_eq!(
            found("email@[123.123.123.123]"),
            vec!["email@[123.123.123.123]"]
        );
        assert_eq!(
            found("foobar@my_sarisari_store.typepad.com"),
            vec!["foobar@my_sarisari_store.typepad.com"]
        );
        let long = format!("{}@example.com", "x".repeat(80));
        assert_eq!(found(&long), vec![long.as_str()]);
        assert!(found("a@[]").is_empty());
        assert!(found("a@[abc]").is_empty());
    }

    #[test]
    fn quoted_local_parts() {
        assert_eq!(
            found(r#"to "foo bar"@example.com now"#),
            vec![r#""foo bar"@example.com"#]
        );
        assert_eq!(
            found(r#""foo\@bar"@example.com"#),
            vec![r#""foo\@bar"@example.com"#]
        );
        assert!(found(r#"""@example.com"#).is_empty(), "empty quotes");
    }

    #[test]
    fn masked_address_is_found_again_whole() {
        assert_eq!(
            found("*******mada@example.co.jp"),
            vec!["*******mada@example.co.jp"]
        );
    }
}
