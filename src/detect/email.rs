//! E-mail addresses.
//!
//! Anchored on `@` (full-width `＠` is folded by normalization), found with
//! memchr: the local part is grown to the left over RFC 5322 atom characters
//! and dots, the domain to the right over LDH labels. A match needs a
//! non-empty local part of at most 64 characters and a domain with at least
//! two labels whose last (the TLD) is 2+ letters. `mailto:` stays outside the
//! span (`:` is not a local-part character).
//!
//! Masked output (`*******mada@example.co.jp`) is still an address and is
//! found again; the rule maps it to itself, so masking stays idempotent.

use super::{Candidate, Detector, Haystack};
use crate::span::Category;

/// Finds e-mail addresses.
#[derive(Debug, Default)]
pub struct EmailDetector;

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-.".contains(&b)
}

fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'.'
}

impl Detector for EmailDetector {
    fn name(&self) -> &'static str {
        "email"
    }

    fn detect(&self, hay: &Haystack<'_>, out: &mut Vec<Candidate>) {
        let t = hay.bytes();
        let mut last_end = 0;
        for at in memchr::memchr_iter(b'@', t) {
            if at < last_end {
                continue;
            }
            let mut s = at;
            while s > last_end && at - s < 64 && is_local_byte(t[s - 1]) {
                s -= 1;
            }
            while s < at && t[s] == b'.' {
                s += 1;
            }
            if s == at || t[at - 1] == b'.' {
                continue;
            }
            let mut e = at + 1;
            while e < t.len() && e - at <= 255 && is_domain_byte(t[e]) {
                e += 1;
            }
            // Trim trailing dots and hyphens (end of sentence).
            while e > at + 1 && matches!(t[e - 1], b'.' | b'-') {
                e -= 1;
            }
            let domain = &t[at + 1..e];
            if !valid_domain(domain) {
                continue;
            }
            out.push(Candidate::new(Category::Email, "email", s, e));
            last_end = e;
        }
    }
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
    labels >= 2 && last.len() >= 2 && last.iter().all(u8::is_ascii_alphabetic)
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
    fn masked_address_is_found_again_whole() {
        assert_eq!(
            found("*******mada@example.co.jp"),
            vec!["*******mada@example.co.jp"]
        );
    }
}
