//! Key/value assignments: `password=…`, `"api_key": "…"`, `token: …`,
//! `<password>…</password>`, `--password …`, `Password=…;` in ADO strings,
//! `パスワード：…`, `パスワードは…です`, `Authorization: Bearer …`.
//!
//! Only the VALUE is reported; the key and the quotes stay.

use super::filters::{generic_ok, is_placeholder};
use crate::detect::{is_word_byte, MAX_CONTEXT};

/// How strict the value test is for a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum KeyClass {
    /// `password`, `passwd`, `passphrase`, `passcode`: any word before is fine
    /// (`db_password`, `dbPassword`), nothing may follow.
    PassLoose,
    /// `pass`, `pw`: must start a word component (`pass`, `db_pass`, `DbPass`,
    /// `SSHPASS`, not `bypass` or `compass`).
    PassStrict,
    /// `secret`, `token`, `api_key`, `access_key`, `private_key`,
    /// `credential`: the value must also pass the entropy test.
    Generic,
    /// `Authorization`: an optional scheme word (`Bearer`, `Basic` ...) then
    /// the credential, which must pass the entropy test.
    Authorization,
    /// `パスワード`, `パスコード`, `暗証番号`: a password, written in Japanese.
    Japanese,
}

/// One assignment found: the value span and whether the key sits in an ADO
/// connection string (`…;Password=…;`).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Found {
    /// Where the key starts.
    pub key: usize,
    pub start: usize,
    pub end: usize,
    pub ado: bool,
    pub aws: bool,
}

/// How far the key identifier is followed around the keyword.
const MAX_KEY: usize = 64;

/// Suffixes allowed after a generic keyword, separators removed
/// (`secret_key`, `aws_secret_access_key`, `credentials`, `token_value`).
const GENERIC_SUFFIXES: &[&str] = &[
    "",
    "s",
    "key",
    "keys",
    "keybase",
    "accesskey",
    "value",
    "str",
    "string",
];

/// Parses the assignment whose keyword (of class `class`) was hit at
/// `s..e`. Returns the value's span, or `None` when this is not an
/// assignment, the key does not qualify, or the value is filtered out.
pub(super) fn parse(text: &str, s: usize, e: usize, class: KeyClass) -> Option<Found> {
    let b = text.as_bytes();
    let (ks, ke) = if class == KeyClass::Japanese {
        (s, e)
    } else {
        key_bounds(b, s, e)
    };
    if class != KeyClass::Japanese && !key_qualifies(b, s, e, ke, class) {
        return None;
    }
    let key = &text[ks..ke];
    let prev = if ks > 0 { b[ks - 1] } else { b'\n' };
    let ctx = Ctx {
        ado: prev_non_space(b, ks) == Some(b';'),
        query: prev == b'?' || prev == b'&',
        // `<password>…</password>`: only with a closing tag in sight
        // (`postgres://<user>:<password>@<host>` is a template, not XML).
        xml: prev == b'<'
            && b.get(ke) == Some(&b'>')
            && memchr::memmem::find(&b[ke..(ke + 512).min(b.len())], b"</").is_some(),
        cli: key.starts_with("--"),
        ja: class == KeyClass::Japanese,
    };
    let (mut vs, wa) = if ctx.xml {
        (ke + 1, false)
    } else {
        operator(text, ke, &ctx)?
    };
    // `password: str = "…"` (a type annotation): look past the type.
    let mut tries = 0;
    let (start, end, quoted) = loop {
        let (start, end, quoted) = value(text, vs, &ctx)?;
        let v = &text[start..end];
        tries += 1;
        if !quoted && tries < 2 && is_type_word(v) {
            let mut i = end;
            while i < b.len() && matches!(b[i], b' ' | b'\t') {
                i += 1;
            }
            if b.get(i) == Some(&b'=') && b.get(i + 1) != Some(&b'=') {
                i += 1;
                while i < b.len() && matches!(b[i], b' ' | b'\t') {
                    i += 1;
                }
                vs = i;
                continue;
            }
        }
        break (start, end, quoted);
    };
    let mut start = start;
    let mut end = end;
    if class == KeyClass::Authorization && !quoted {
        // `Authorization: Bearer abc…`: the credential is the next word.
        let v = &text[start..end];
        if ["bearer", "basic", "token", "digest", "apikey"]
            .iter()
            .any(|w| v.eq_ignore_ascii_case(w))
        {
            let mut i = end;
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            (start, end, _) = value(text, i, &ctx)?;
        }
    } else if class == KeyClass::Authorization && quoted {
        // `"Authorization": "Bearer abc…"`.
        let v = &text[start..end];
        if let Some(sp) = v.find(' ') {
            start += sp + 1;
            while start < end && b[start] == b' ' {
                start += 1;
            }
        }
    }
    let v = &text[start..end];
    if is_placeholder(v) {
        return None;
    }
    if !quoted && (looks_like_code(v) || v.eq_ignore_ascii_case(key.trim_matches('-'))) {
        return None;
    }
    // `パスワードは12文字以上`: a length rule, not a password.
    if wa && (text[end..].starts_with("文字") || text[end..].starts_with("桁")) {
        return None;
    }
    let aws = is_aws_key(key) && is_aws_secret(v.as_bytes());
    let ok = match class {
        KeyClass::PassLoose | KeyClass::PassStrict | KeyClass::Japanese => true,
        KeyClass::Generic | KeyClass::Authorization => aws || generic_ok(v),
    };
    ok.then_some(Found {
        key: ks,
        start,
        end,
        ado: ctx.ado,
        aws,
    })
}

/// Context of one key.
struct Ctx {
    /// Preceded by `;`: an ADO connection string, `;` ends the value.
    ado: bool,
    /// Preceded by `?` or `&`: a URL query, `&` ends the value.
    query: bool,
    /// `<password>…</password>`.
    xml: bool,
    /// `--password …` (a command-line flag: a space may be the operator).
    cli: bool,
    /// A Japanese keyword (`は` may be the operator, the value is ASCII).
    ja: bool,
}

/// Grows the keyword `s..e` to the whole key identifier (word bytes, `-`,
/// `.`), at most [`MAX_KEY`] bytes each way.
fn key_bounds(b: &[u8], s: usize, e: usize) -> (usize, usize) {
    let is_key = |c: u8| is_word_byte(c) || c == b'-' || c == b'.';
    let mut ks = s;
    while ks > 0 && s - ks < MAX_KEY && is_key(b[ks - 1]) {
        ks -= 1;
    }
    let mut ke = e;
    while ke < b.len() && ke - e < MAX_KEY && is_key(b[ke]) {
        ke += 1;
    }
    // A trailing `.` or `-` ends a sentence, not a key.
    while ke > e && matches!(b[ke - 1], b'.' | b'-') {
        ke -= 1;
    }
    (ks, ke)
}

/// Whether the identifier around the keyword `s..e` (ending at `ke`) names a
/// secret.
fn key_qualifies(b: &[u8], s: usize, e: usize, ke: usize, class: KeyClass) -> bool {
    let mut rest = [0u8; MAX_KEY];
    let mut n = 0;
    for &c in &b[e..ke] {
        if c.is_ascii_alphanumeric() {
            if n == rest.len() {
                return false;
            }
            rest[n] = c.to_ascii_lowercase();
            n += 1;
        }
    }
    let rest = &rest[..n];
    match class {
        KeyClass::PassLoose | KeyClass::Authorization => rest.is_empty(),
        KeyClass::PassStrict => {
            component_start(b, s)
                && (rest.is_empty()
                    || [&b"word"[..], b"wd", b"phrase", b"code", b"d"].contains(&rest))
        }
        KeyClass::Generic => GENERIC_SUFFIXES.iter().any(|x| x.as_bytes() == rest),
        KeyClass::Japanese => true,
    }
}

/// True when `s` starts a word component: after a non-letter, at a
/// lower→upper case change (`dbPass`), or inside an all-caps run (`SSHPASS`).
fn component_start(b: &[u8], s: usize) -> bool {
    if s == 0 || !b[s - 1].is_ascii_alphanumeric() {
        return true;
    }
    let (p, c) = (b[s - 1], b[s]);
    c.is_ascii_uppercase()
        && (p.is_ascii_lowercase()
            || p.is_ascii_digit()
            || (p.is_ascii_uppercase() && b.get(s + 1).is_some_and(u8::is_ascii_uppercase)))
}

fn prev_non_space(b: &[u8], mut i: usize) -> Option<u8> {
    while i > 0 && b[i - 1] == b' ' {
        i -= 1;
    }
    (i > 0).then(|| b[i - 1])
}

/// Parses the operator after a key ending at `i`: closing quotes, then `:`,
/// `=`, `:=`, `=>`, `==`, (`は`, `】` for Japanese keys, a space for CLI
/// flags, ` value=` for `<add key="Password" value="…"/>`). Returns where
/// the value starts and whether the operator was `は`.
fn operator(text: &str, mut i: usize, ctx: &Ctx) -> Option<(usize, bool)> {
    let b = text.as_bytes();
    let n = b.len();
    let mut quotes = 0;
    while quotes < 2 && i < n && matches!(b[i], b'"' | b'\'' | b'`' | b']') {
        i += 1;
        quotes += 1;
    }
    let sp0 = i;
    while i < n && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    let mut wa = false;
    let rest = &text[i..];
    match b.get(i) {
        Some(b':') => {
            if rest.starts_with("://") || rest.starts_with("::") {
                return None;
            }
            i += 1;
            if b.get(i) == Some(&b'=') {
                i += 1;
            }
        }
        Some(b'=') => {
            i += 1;
            if matches!(b.get(i), Some(b'=' | b'>')) {
                i += 1;
            }
        }
        _ if ctx.ja && rest.starts_with('は') => {
            i += 'は'.len_utf8();
            wa = true;
        }
        _ if ctx.ja && (rest.starts_with('】') || rest.starts_with(')')) => {
            i += rest.chars().next().map_or(1, char::len_utf8);
            while i < n && matches!(b[i], b' ' | b'\t') {
                i += 1;
            }
            if b.get(i) == Some(&b':') {
                i += 1;
            }
        }
        _ if quotes > 0 && i > sp0 && rest.starts_with("value=") => i += "value=".len(),
        _ if ctx.cli && i > sp0 && i < n && b[i] != b'-' => return Some((i, false)),
        _ => return None,
    }
    while i < n && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    Some((i, wa))
}

/// Parses the value starting at `i`: quoted (`"…"`, `'…'`, `` `…` ``,
/// `「…」`, `『…』`) up to the closing quote on the same line, else a run of
/// ASCII graphic characters. Returns `(start, end, quoted)`.
fn value(text: &str, i: usize, ctx: &Ctx) -> Option<(usize, usize, bool)> {
    let b = text.as_bytes();
    let n = (i + MAX_CONTEXT).min(b.len());
    let &q = b.get(i)?;
    if matches!(q, b'"' | b'\'' | b'`') {
        let mut j = i + 1;
        while j < n && b[j] != q && b[j] != b'\n' {
            j += if b[j] == b'\\' { 2 } else { 1 };
        }
        if j < n && b[j] == q {
            return (j > i + 1).then_some((i + 1, j, true));
        }
        return unquoted(b, i + 1, ctx).map(|(s, e)| (s, e, false));
    }
    if q == b'<' {
        // `<your password>`: a placeholder, possibly with spaces.
        let line_end = memchr::memchr(b'\n', &b[i..]).map_or(n, |p| i + p);
        if let Some(p) = memchr::memchr(b'>', &b[i..line_end]) {
            return Some((i, i + p + 1, false));
        }
    }
    for (open, close) in [("「", '」'), ("『", '』')] {
        if let Some(rest) = text[i..].strip_prefix(open) {
            let line = rest.split('\n').next().unwrap_or("");
            let line = line.get(..line.len().min(MAX_CONTEXT)).unwrap_or(line);
            let inner = line.split(close).next().unwrap_or("");
            if inner.len() < line.len()
                && !inner.is_empty()
                && inner.bytes().all(|c| c.is_ascii_graphic())
            {
                let s = i + open.len();
                return Some((s, s + inner.len(), true));
            }
            return None;
        }
    }
    unquoted(b, i, ctx).map(|(s, e)| (s, e, false))
}

fn unquoted(b: &[u8], i: usize, ctx: &Ctx) -> Option<(usize, usize)> {
    let n = (i + MAX_CONTEXT).min(b.len());
    if b.get(i) == Some(&b'[') {
        // A mask label (`[SECRET]`, `[電話番号]`) standing alone: take it
        // whole so the placeholder test sees it (idempotence).
        let lim = (i + 64).min(n);
        if let Some(p) = memchr::memchr(b']', &b[i..lim]) {
            let close = i + p + 1;
            if !b[i..close].iter().any(u8::is_ascii_whitespace)
                && !b.get(close).is_some_and(u8::is_ascii_graphic)
            {
                return Some((i, close));
            }
        }
    }
    let mut j = i;
    while j < n {
        let c = b[j];
        if !c.is_ascii_graphic() || matches!(c, b'"' | b'\'' | b'`') || (ctx.xml && c == b'<') {
            break;
        }
        if matches!(c, b';' | b',' | b'&')
            && ((c == b';' && ctx.ado) || (c == b'&' && ctx.query) || next_is_key(b, j + 1))
        {
            break;
        }
        j += 1;
    }
    let mut e = j;
    // Trailing separators and unbalanced closing brackets.
    loop {
        if e <= i {
            return None;
        }
        let v = &b[i..e];
        let last = v[v.len() - 1];
        let strip = match last {
            b',' | b';' => true,
            b')' => !v.contains(&b'('),
            b']' => !v.contains(&b'['),
            b'}' => !v.contains(&b'{'),
            b'>' => !v.contains(&b'<'),
            _ => false,
        };
        if !strip {
            break;
        }
        e -= 1;
    }
    Some((i, e))
}

/// True when `b[i..]` starts (after spaces) another `key=` or `key:`.
fn next_is_key(b: &[u8], mut i: usize) -> bool {
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    if !b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return false;
    }
    let start = i;
    while i < b.len() && i - start < 40 {
        match b[i] {
            b'=' | b':' => return true,
            c if is_word_byte(c) || matches!(c, b' ' | b'.' | b'-') => i += 1,
            _ => return false,
        }
    }
    false
}

fn is_type_word(v: &str) -> bool {
    ["str", "string", "secretstr", "&str", "text", "bytes"]
        .iter()
        .any(|w| v.eq_ignore_ascii_case(w))
}

/// An unquoted value that reads a variable or calls a function instead of
/// holding a literal: `getpass()`, `os.environ["PW"]`, `self.password`.
fn looks_like_code(v: &str) -> bool {
    let b = v.as_bytes();
    if !b
        .first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return false;
    }
    let ident_end = b
        .iter()
        .position(|&c| !(is_word_byte(c) || c == b'.'))
        .unwrap_or(b.len());
    if matches!(b.get(ident_end), Some(b'(' | b'[')) {
        return true;
    }
    const OBJECTS: &[&str] = &[
        "self.",
        "this.",
        "process.env",
        "os.environ",
        "os.getenv",
        "env.",
        "config.",
        "settings.",
        "params.",
        "request.",
        "req.",
        "args.",
        "options.",
        "opts.",
        "secrets.",
    ];
    OBJECTS.iter().any(|o| v.starts_with(o))
}

/// The key names an AWS credential (`aws_secret_access_key`,
/// `SecretAccessKey`).
fn is_aws_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("aws") || k.replace(['_', '-', '.'], "").contains("secretaccesskey")
}

/// 40 characters of `[A-Za-z0-9/+]` with upper, lower and digit: the shape
/// of an AWS secret access key.
pub(super) fn is_aws_secret(v: &[u8]) -> bool {
    v.len() == 40
        && v.iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'/' || c == b'+')
        && v.iter().any(u8::is_ascii_uppercase)
        && v.iter().any(u8::is_ascii_lowercase)
        && v.iter().any(u8::is_ascii_digit)
}
