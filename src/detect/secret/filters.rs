//! False-positive filters shared by every secret family: placeholder and
//! already-masked values, and the entropy / character-class test applied to
//! values of generic (non-password) keys.

/// Shannon entropy of `v`'s bytes, in bits per byte.
pub(super) fn entropy(v: &[u8]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in v {
        counts[usize::from(b)] += 1;
    }
    let n = v.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// How many of the classes lower case, upper case, digit and other ASCII
/// graphic character occur in `v`.
pub(super) fn char_classes(v: &[u8]) -> u32 {
    let (mut lo, mut up, mut dig, mut sym) = (false, false, false, false);
    for &b in v {
        match b {
            b'a'..=b'z' => lo = true,
            b'A'..=b'Z' => up = true,
            b'0'..=b'9' => dig = true,
            _ => sym = true,
        }
    }
    u32::from(lo) + u32::from(up) + u32::from(dig) + u32::from(sym)
}

/// The test for a value of a generic key (`token`, `secret`, `api_key` ...):
/// at least 8 bytes, at least 3.0 bits of entropy per byte and at least two
/// character classes, so `token: required` or `secret: confidential` pass
/// through while `token: 9f8e7d6c5b4a` is masked.
pub(super) fn generic_ok(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() >= 8 && char_classes(b) >= 2 && entropy(b) >= 3.0
}

/// Exact values (lower-cased) that are never a secret: empty markers,
/// booleans, redaction words and type names (`password: string` in a
/// TypeScript interface).
const NOT_A_VALUE: &[&str] = &[
    "null",
    "none",
    "nil",
    "undefined",
    "true",
    "false",
    "n/a",
    "tbd",
    "redacted",
    "masked",
    "hidden",
    "removed",
    "omitted",
    "string",
    "str",
    "&str",
    "text",
    "bool",
    "boolean",
    "int",
    "number",
    "any",
    "object",
    "bytes",
    "varchar",
    "secretstr",
    "option<string>",
];

/// True when `v` is a placeholder, a template reference or already masked,
/// and must not be reported.
///
/// See the module documentation of [`super`] for the list.
pub(super) fn is_placeholder(v: &str) -> bool {
    is_template_or_masked(v) || v.to_ascii_lowercase().contains("example")
}

/// [`is_placeholder`] without its `example` test: what gitleaks' rules'
/// findings must also pass (gitleaks' own allowlists decide on documentation
/// keys such as `…EXAMPLE`, and its tests count some of them as secrets).
pub(super) fn is_template_or_masked(v: &str) -> bool {
    let b = v.as_bytes();
    if b.is_empty() {
        return true;
    }
    // Mask labels such as `[SECRET]`, `[電話番号]`: masked output stays as is.
    if b.len() > 2
        && b[0] == b'['
        && b[b.len() - 1] == b']'
        && b[1..b.len() - 1]
            .iter()
            .all(|&c| !(c.is_ascii_lowercase() || c.is_ascii_whitespace() || c == b'['))
    {
        return true;
    }
    // Only masking characters: `***`, `xxxxxxxx`, `...`, `---`.
    if b.iter()
        .all(|&c| matches!(c, b'*' | b'x' | b'X' | b'.' | b'-' | b'_' | b'#' | b'?'))
    {
        return true;
    }
    // Angle-bracket placeholders `<your token>`, templates `${VAR}`,
    // `{{ secrets.X }}`, `%(pw)s`, `#{pw}`, `%VAR%`.
    if (b[0] == b'<' && b[b.len() - 1] == b'>')
        || v.starts_with("${")
        || v.starts_with("$(")
        || v.starts_with("{{")
        || v.ends_with("}}")
        || v.starts_with("%(")
        || v.starts_with("#{")
        || (b.len() > 2 && b[0] == b'%' && b[b.len() - 1] == b'%')
    {
        return true;
    }
    // `$NAME`: a shell / env reference by convention in upper case.
    if b.len() >= 2
        && b[0] == b'$'
        && b[1..]
            .iter()
            .all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
    {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if NOT_A_VALUE.contains(&lower.as_str()) {
        return true;
    }
    if lower.contains("xxxx")
        || lower.contains("***")
        || lower.contains("...")
        || v.contains('…')
        || lower.contains("placeholder")
        || lower.contains("_here")
        || lower.contains("-here")
    {
        return true;
    }
    // `xoxb-your-token`, `sk-your_key`: a "your-" part anywhere.
    if lower.contains("your-") || lower.contains("your_") {
        return true;
    }
    // Punctuation only, and short: `(`, `-`, `（別途…` cut to its bracket.
    if b.len() < 4 && !b.iter().any(u8::is_ascii_alphanumeric) {
        return true;
    }
    // `your-api-key`, `YOUR_TOKEN`, `yourpassword`.
    if let Some(rest) = lower.strip_prefix("your") {
        if rest.starts_with(['-', '_', '.', ' '])
            || ["key", "token", "pass", "secret", "api"]
                .iter()
                .any(|w| rest.contains(w))
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_values() {
        assert!(entropy(b"") == 0.0);
        assert!(entropy(b"aaaa") == 0.0);
        assert!((entropy(b"abcd") - 2.0).abs() < 1e-9);
        assert!(entropy(b"9f8e7d6c5b4a3f2e") > 3.0);
    }

    #[test]
    fn generic_values() {
        assert!(generic_ok("9f8e7d6c5b4a3f2e"));
        assert!(!generic_ok("required"));
        assert!(!generic_ok("confidential"));
        assert!(!generic_ok("abc123"));
        assert!(!generic_ok("aaaaaaaa11"));
    }

    #[test]
    fn placeholders() {
        for v in [
            "",
            "[SECRET]",
            "[PHONE]",
            "[電話番号]",
            "***",
            "********",
            "***ab12",
            "xxxxxxxx",
            "XXXX",
            "sk-xxxxxxxxxxxxxxxx",
            "AKIAIOSFODNN7EXAMPLE",
            "your-key-here",
            "YOUR_API_KEY",
            "yourpassword",
            "<password>",
            "${DB_PASSWORD}",
            "$DB_PASSWORD",
            "{{ secrets.TOKEN }}",
            "%DB_PW%",
            "null",
            "None",
            "true",
            "string",
            "sk-...abcd",
            "insert_token_here",
        ] {
            assert!(is_placeholder(v), "{v:?} should be a placeholder");
        }
        for v in ["changeme", "hunter2", "1234", "$ecret1", "P@ssw0rd!", "abc"] {
            assert!(!is_placeholder(v), "{v:?} should not be a placeholder");
        }
    }
}
