//! Secrets: API keys and tokens, private keys, passwords and credentialed
//! connection strings. These must never leave the company, so the rules lean
//! towards masking; the false-positive cuts below are the ones that keep
//! prose, placeholders and already-masked text untouched.
//!
//! # How it searches
//!
//! One ASCII-case-insensitive Aho-Corasick automaton over short keyword
//! anchors (`sk-`, `akia`, `ghp_`, `-----begin`, `eyj`, `://`, `password`,
//! `token`, `パスワード` ...) is built once in [`SecretDetector::default`].
//! Each hit is validated where it stands, with an anchored regex or by hand,
//! looking at most [`MAX_CONTEXT`] bytes around it; there is no full-text
//! regex scan. Hits inside a span already reported are skipped.
//!
//! # Families (detector names)
//!
//! | name | what | span |
//! |---|---|---|
//! | `secret/anthropic` | `sk-ant-…` (20+ of `[A-Za-z0-9_-]`) | token |
//! | `secret/openai` | `sk-…`, `sk-proj-…`, `sk-svcacct-…`, `sk-admin-…` (20+ chars with upper, lower, ≥2 digits and ≥3.5 bits/char), or any 40+ char token around the `T3BlbkFJ` marker | token |
//! | `secret/aws` | key ids `AKIA`/`ASIA`/`AGPA`/`AIDA`/`AROA`/`ANPA`/`ANVA`/`AIPA`/`ABIA`/`ACCA` + 16 `[A-Z0-9]`; secret access keys (40 of `[A-Za-z0-9/+]`) as the value of an AWS key (`aws_secret_access_key = …`, `"SecretAccessKey": …`) or within the next line after a key id (credentials CSV) | token |
//! | `secret/github` | `ghp_ gho_ ghu_ ghs_ ghr_` + 36+ alnum, `github_pat_` + 82+ of `[A-Za-z0-9_]` | token |
//! | `secret/slack` | `xoxb- xoxp- xoxa- xoxr- xoxs- xoxe-` (with a digit), `xapp-`, webhooks `https://hooks.slack.com/services/…` | token / whole URL |
//! | `secret/google` | `AIza` + 35 of `[0-9A-Za-z_-]` | token |
//! | `secret/stripe` | `sk_live_ sk_test_ rk_live_ rk_test_` + 10+ alnum, `whsec_` webhook secrets | token |
//! | `secret/pem` | `-----BEGIN … PRIVATE KEY-----` (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … BLOCK) through the matching `-----END …-----` within [`MAX_CONTEXT`]; with no END, through the base64 (and `Proc-Type:`-style header) lines that follow | whole block |
//! | `secret/jwt` | `eyJ….eyJ…[.sig]` | token |
//! | `secret/bearer` | `Bearer <token>` (16+ chars passing the entropy test) | token |
//! | `secret/connection-string` | `scheme://user:password@host` for any scheme (postgres, mysql, mongodb+srv, redis, amqp, mssql …); `…;Password=…;` in ADO strings | the whole URL, scheme to end (connection strings are never sent); the value only |
//! | `secret/assignment` | `key=value`, `key: value`, `"key": "value"`, `key := value`, `key => value`, `<key>value</key>`, `--key value`, `<add key="Password" value="…"/>`, `パスワード：…`, `パスワードは…`, `【パスワード】…` | the value only, without quotes |
//!
//! Stripe **publishable** keys (`pk_live_`, `pk_test_`) are not masked: they
//! are designed to be embedded in public web pages and grant nothing.
//!
//! # Assignment keys
//!
//! A keyword is always required. Password keys (`password`, `passwd`,
//! `passphrase`, `passcode`, `pass`, `pw`, `pwd` as a word component,
//! `パスワード`, `パスコード`, `暗証番号`): ANY value that is not a placeholder is
//! masked, since passwords are often short and low-entropy. Generic keys
//! (`secret`, `token`, `api_key`/`apikey`/`api-key`, `access_key`,
//! `private_key`, `credential(s)`, `Authorization`), optionally followed by
//! `key`/`value`/`s` (`secret_key`, `aws_secret_access_key`): the value must
//! be at least 8 bytes, have at least two character classes and at least 3.0
//! bits/char of Shannon entropy. A key ending in anything else
//! (`password_policy`, `token_type`, `max_tokens`) does not qualify. Prose
//! never matches because an operator must follow the key (`:`, `=`, `:=`,
//! `=>`, `は` ...); the value is ASCII, so `パスワードは変更してください`
//! is left alone, and `パスワードは12文字以上` (a length rule) too.
//!
//! # Placeholders (never masked)
//!
//! Empty values; mask labels such as `[SECRET]` (so masking is idempotent:
//! `password=[SECRET]` yields no candidate); values made only of `*`, `x`,
//! `X`, `.`, `-`, `_`, `#`, `?`; values containing `xxxx`, `****`, `...`,
//! `…`, `example` (any case — this also skips the AWS documentation keys
//! `AKIAIOSFODNN7EXAMPLE` / `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`, which
//! are public and never valid), `placeholder`, `_here`/`-here`; values
//! starting `your-`/`your_` or `your…key/token/pass/secret/api`;
//! `<…>`, `${…}`, `$(…)`, `{{…}}`, `%(…)`, `#{…}`, `%VAR%`, `$UPPER_NAME`;
//! `null`, `none`, `nil`, `undefined`, `true`, `false`, `n/a`, `redacted`,
//! type names (`password: string`, and `password: str = "…"` looks past the
//! type); unquoted code (`getpass()`, `os.environ[…]`, `self.password`, the
//! key's own name). `changeme` IS masked: it is a real default password that
//! is often left live in configurations.
//!
//! [`MAX_CONTEXT`]: crate::detect::MAX_CONTEXT

mod assign;
mod filters;
mod gitleaks;
mod gitleaks_rules;
mod scan;
#[cfg(test)]
mod tests;

use regex_automata::{meta::Regex, Anchored, Input};

use self::assign::KeyClass;
use self::filters::{entropy, is_placeholder};
use super::anchors::JaWord;
use super::{is_word_byte, Candidate, Detector, Haystack, MAX_CONTEXT};
use crate::span::Category;

/// What an anchor hit means.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Anthropic,
    OpenAi,
    OpenAiMarker,
    AwsId,
    Github,
    GithubPat,
    Slack,
    SlackApp,
    SlackHook,
    Google,
    Stripe,
    Pem,
    Jwt,
    Url,
    Bearer,
    Key(KeyClass),
}

/// The ASCII anchors, lower case (the automaton ignores ASCII case).
const ASCII_ANCHORS: &[(&str, Kind)] = &[
    ("sk-ant-", Kind::Anthropic),
    ("sk-", Kind::OpenAi),
    ("t3blbkfj", Kind::OpenAiMarker),
    ("akia", Kind::AwsId),
    ("asia", Kind::AwsId),
    ("agpa", Kind::AwsId),
    ("aida", Kind::AwsId),
    ("aroa", Kind::AwsId),
    ("anpa", Kind::AwsId),
    ("anva", Kind::AwsId),
    ("aipa", Kind::AwsId),
    ("abia", Kind::AwsId),
    ("acca", Kind::AwsId),
    ("ghp_", Kind::Github),
    ("gho_", Kind::Github),
    ("ghu_", Kind::Github),
    ("ghs_", Kind::Github),
    ("ghr_", Kind::Github),
    ("github_pat_", Kind::GithubPat),
    ("xox", Kind::Slack),
    ("xapp-", Kind::SlackApp),
    ("hooks.slack.com", Kind::SlackHook),
    ("aiza", Kind::Google),
    ("sk_live_", Kind::Stripe),
    ("sk_test_", Kind::Stripe),
    ("rk_live_", Kind::Stripe),
    ("rk_test_", Kind::Stripe),
    ("whsec_", Kind::Stripe),
    ("-----begin ", Kind::Pem),
    ("eyj", Kind::Jwt),
    ("://", Kind::Url),
    ("bearer", Kind::Bearer),
    ("password", Kind::Key(KeyClass::PassLoose)),
    ("passwd", Kind::Key(KeyClass::PassLoose)),
    ("passphrase", Kind::Key(KeyClass::PassLoose)),
    ("passcode", Kind::Key(KeyClass::PassLoose)),
    ("pass", Kind::Key(KeyClass::PassStrict)),
    ("pw", Kind::Key(KeyClass::PassStrict)),
    ("secret", Kind::Key(KeyClass::Generic)),
    ("token", Kind::Key(KeyClass::Generic)),
    ("api_key", Kind::Key(KeyClass::Generic)),
    ("apikey", Kind::Key(KeyClass::Generic)),
    ("api-key", Kind::Key(KeyClass::Generic)),
    ("access_key", Kind::Key(KeyClass::Generic)),
    ("accesskey", Kind::Key(KeyClass::Generic)),
    ("access-key", Kind::Key(KeyClass::Generic)),
    ("private_key", Kind::Key(KeyClass::Generic)),
    ("privatekey", Kind::Key(KeyClass::Generic)),
    ("credential", Kind::Key(KeyClass::Generic)),
    ("authorization", Kind::Key(KeyClass::Authorization)),
];

/// The Japanese labels, found by the shared [`super::anchors`] pass.
fn ja_kind(word: JaWord) -> Option<Kind> {
    match word {
        JaWord::Password | JaWord::Passcode | JaWord::Pin => Some(Kind::Key(KeyClass::Japanese)),
        _ => None,
    }
}

/// Finds secrets; see the module documentation for the rules.
#[derive(Debug)]
pub struct SecretDetector {
    /// The ASCII anchors (pattern ids `0..ASCII_ANCHORS.len()`), then
    /// gitleaks' keywords.
    keywords: scan::Keywords,
    anthropic: Regex,
    openai: Regex,
    aws_id: Regex,
    github: Regex,
    github_pat: Regex,
    slack: Regex,
    slack_app: Regex,
    slack_hook: Regex,
    google: Regex,
    stripe: Regex,
    pem_begin: Regex,
    jwt: Regex,
    bearer: Regex,
    gitleaks: gitleaks::Gitleaks,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static secret regex compiles")
}

impl Default for SecretDetector {
    fn default() -> Self {
        let gitleaks = gitleaks::Gitleaks::default();
        let words: Vec<&str> = ASCII_ANCHORS
            .iter()
            .map(|(a, _)| *a)
            .chain(gitleaks.words().iter().copied())
            .collect();
        SecretDetector {
            keywords: scan::Keywords::new(&words),
            anthropic: re(r"sk-ant-[A-Za-z0-9_-]{20,}"),
            openai: re(r"sk-[A-Za-z0-9_-]{20,}"),
            aws_id: re(r"(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}"),
            github: re(r"gh[pousr]_[A-Za-z0-9]{36,}"),
            github_pat: re(r"github_pat_[A-Za-z0-9_]{82,}"),
            slack: re(r"xox(?:e\.xox)?[baprse]-[A-Za-z0-9-]{10,}"),
            slack_app: re(r"xapp-[0-9]-[A-Za-z0-9]+-[0-9]+-[A-Za-z0-9]+"),
            slack_hook: re(
                r"hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{20,}",
            ),
            google: re(r"AIza[0-9A-Za-z_-]{35}"),
            stripe: re(r"(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,}|whsec_[0-9A-Za-z]{20,}"),
            pem_begin: re(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
            jwt: re(r"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}(?:\.[A-Za-z0-9_-]+){0,3}"),
            bearer: re(r"[A-Za-z0-9._~+/=-]{16,}"),
            gitleaks,
        }
    }
}

/// Anchored match of `re` at `at`: its end.
fn at(re: &Regex, text: &str, at: usize) -> Option<usize> {
    // Bounded by the locality limit: the patterns themselves are unbounded
    // (`{20,}`), which keeps them small to compile.
    let end = (at + MAX_CONTEXT).min(text.len());
    re.search(&Input::new(text).range(at..end).anchored(Anchored::Yes))
        .map(|m| m.end())
}

/// `b[s]` does not continue a word (or a `-`-joined token) to its left.
fn left_ok(b: &[u8], s: usize) -> bool {
    s == 0 || !(is_word_byte(b[s - 1]) || b[s - 1] == b'-')
}

/// `b[e]` (if any) does not continue the token to the right.
fn right_ok(b: &[u8], e: usize) -> bool {
    b.get(e).is_none_or(|&c| !(is_word_byte(c) || c == b'-'))
}

fn token_byte(c: u8) -> bool {
    is_word_byte(c) || c == b'-'
}

impl Detector for SecretDetector {
    fn name(&self) -> &'static str {
        "secret"
    }

    fn detect(&self, hay: &Haystack<'_>, out: &mut Vec<Candidate>) {
        let text = hay.text();
        let first = out.len();
        // Hits inside a token already reported are skipped. Values of
        // assignments and `Bearer` are not skipped: a token inside them is
        // still identified, and renames the generic candidate of the same span.
        let mut skip_until = 0;
        let mut generic: Vec<usize> = Vec::new();
        // Every keyword occurrence, island by island (absolute offsets).
        let islands = hay.ascii_islands();
        let mut found: Vec<(usize, scan::Hit)> = Vec::new();
        let mut one = Vec::new();
        for (k, isl) in islands.iter().enumerate() {
            one.clear();
            self.keywords.all(&text.as_bytes()[isl.range()], &mut one);
            found.extend(one.iter().map(|h| {
                let hit = scan::Hit {
                    start: isl.start + h.start,
                    end: isl.start + h.end,
                    pattern: h.pattern,
                };
                (k, hit)
            }));
        }
        let (anchors, keywords): (Vec<_>, Vec<_>) = found
            .into_iter()
            .partition(|(_, h)| h.pattern < ASCII_ANCHORS.len());
        let mut anchors: Vec<scan::Hit> = anchors.into_iter().map(|(_, h)| h).collect();
        for (s, e, kind) in self.hits(hay, &mut anchors) {
            if s < skip_until {
                continue;
            }
            let before = out.len();
            self.check(text, s, e, kind, out);
            if matches!(kind, Kind::Key(_) | Kind::Bearer) {
                generic.retain(|&i| out[i].span.end > s);
                generic.extend(before..out.len());
            } else if let Some(c) = out.get(before) {
                let (span, name) = (c.span, c.detector);
                skip_until = skip_until.max(span.end);
                for &i in &generic {
                    if out[i].span == span {
                        out[i].detector = name;
                    }
                }
            }
        }
        // gitleaks' rules: what they find beyond the families above.
        let own = out.len();
        let mut windows = Vec::new();
        let keywords: Vec<(usize, scan::Hit)> = keywords
            .into_iter()
            .map(|(k, h)| {
                let pattern = h.pattern - ASCII_ANCHORS.len();
                (k, scan::Hit { pattern, ..h })
            })
            .collect();
        self.gitleaks
            .detect(text, &islands, &keywords, &mut windows, out);
        let found = out.split_off(own);
        for c in found {
            if filters::is_template_or_masked(&text[c.span.start..c.span.end]) {
                continue;
            }
            let covered = out[first..own]
                .iter()
                .chain(&out[own..])
                .any(|o| o.span.start <= c.span.start && c.span.end <= o.span.end);
            if !covered {
                out.push(c);
            }
        }
    }
}

impl SecretDetector {
    /// Every anchor hit, in order: the ASCII anchors found only inside
    /// ASCII islands (Japanese text is skipped; `anchors` holds every
    /// occurrence, taken leftmost-longest as one search of each island would
    /// find them — islands do not overlap), the Japanese ones from the
    /// shared anchor pass.
    fn hits(&self, hay: &Haystack<'_>, anchors: &mut [scan::Hit]) -> Vec<(usize, usize, Kind)> {
        let mut hits = Vec::new();
        for h in scan::leftmost_longest(anchors) {
            hits.push((h.start, h.end, ASCII_ANCHORS[h.pattern].1));
        }
        let before = hits.len();
        for hit in hay.ja_anchors() {
            if let Some(kind) = ja_kind(hit.word) {
                hits.push((hit.start, hit.end, kind));
            }
        }
        if hits.len() > before {
            hits.sort_by_key(|h| (h.0, std::cmp::Reverse(h.1)));
        }
        hits
    }

    /// Validates one anchor hit at `s..e`, pushing what it finds. The first
    /// candidate pushed is the one at the hit (later ones lie further right).
    fn check(&self, text: &str, s: usize, e: usize, kind: Kind, out: &mut Vec<Candidate>) {
        let b = text.as_bytes();
        let mut push = |name: &'static str, start: usize, end: usize| {
            if start < end && !is_placeholder(&text[start..end]) {
                out.push(Candidate::new(Category::Secret, name, start, end));
                true
            } else {
                false
            }
        };
        match kind {
            Kind::Anthropic => {
                if left_ok(b, s) {
                    if let Some(end) = at(&self.anthropic, text, s) {
                        push("secret/anthropic", s, end);
                        return;
                    }
                }
                // `sk-ant-` too short for Anthropic: maybe a plain `sk-`.
                self.check(text, s, s + 3, Kind::OpenAi, out);
            }
            Kind::OpenAi => {
                if !left_ok(b, s) {
                    return;
                }
                if let Some(end) = at(&self.openai, text, s) {
                    let mut body = &text[s + 3..end];
                    for p in ["proj-", "svcacct-", "admin-", "None-"] {
                        if let Some(r) = body.strip_prefix(p) {
                            body = r;
                            break;
                        }
                    }
                    let bb = body.as_bytes();
                    let looks_random = bb.iter().filter(|c| c.is_ascii_digit()).count() >= 2
                        && bb.iter().any(u8::is_ascii_uppercase)
                        && bb.iter().any(u8::is_ascii_lowercase)
                        && entropy(bb) >= 3.5;
                    if looks_random || body.contains("T3BlbkFJ") {
                        push("secret/openai", s, end);
                    }
                }
            }
            Kind::OpenAiMarker => {
                if &text[s..e] != "T3BlbkFJ" {
                    return;
                }
                let mut start = s;
                while start > 0 && s - start < 1024 && token_byte(b[start - 1]) {
                    start -= 1;
                }
                let mut end = e;
                while end < b.len() && end - e < 1024 && token_byte(b[end]) {
                    end += 1;
                }
                if end - start >= 40 {
                    push("secret/openai", start, end);
                }
            }
            Kind::AwsId => {
                if !left_ok(b, s) {
                    return;
                }
                if let Some(end) = at(&self.aws_id, text, s) {
                    if b.get(end).is_none_or(|c| !c.is_ascii_alphanumeric())
                        && push("secret/aws", s, end)
                    {
                        self.aws_secret_after(text, end, out);
                    }
                }
            }
            Kind::Github | Kind::GithubPat => {
                let re = if matches!(kind, Kind::Github) {
                    &self.github
                } else {
                    &self.github_pat
                };
                if left_ok(b, s) {
                    if let Some(end) = at(re, text, s).filter(|&end| right_ok(b, end)) {
                        push("secret/github", s, end);
                    }
                }
            }
            Kind::Slack | Kind::SlackApp => {
                let re = if matches!(kind, Kind::Slack) {
                    &self.slack
                } else {
                    &self.slack_app
                };
                if left_ok(b, s) {
                    if let Some(end) = at(re, text, s) {
                        if b[s..end].iter().any(u8::is_ascii_digit) {
                            push("secret/slack", s, end);
                        }
                    }
                }
            }
            Kind::SlackHook => {
                if let Some(end) = at(&self.slack_hook, text, s) {
                    let start = ["https://", "http://"]
                        .iter()
                        .find(|p| text[..s].ends_with(*p))
                        .map_or(s, |p| s - p.len());
                    push("secret/slack", start, end);
                }
            }
            Kind::Google => {
                if left_ok(b, s) {
                    if let Some(end) = at(&self.google, text, s).filter(|&end| right_ok(b, end)) {
                        push("secret/google", s, end);
                    }
                }
            }
            Kind::Stripe => {
                if left_ok(b, s) {
                    if let Some(end) = at(&self.stripe, text, s) {
                        push("secret/stripe", s, end);
                    }
                }
            }
            Kind::Pem => {
                if let Some(end) = at(&self.pem_begin, text, s) {
                    let block_end = pem_end(text, s, end);
                    push("secret/pem", s, block_end);
                }
            }
            Kind::Jwt => {
                if left_ok(b, s) {
                    if let Some(end) = at(&self.jwt, text, s) {
                        push("secret/jwt", s, end);
                    }
                }
            }
            Kind::Url => {
                // The password itself passed the placeholder test; the rest
                // of the URL (an `example.com` host) must not veto it.
                if let Some((start, end)) = url_userinfo(b, s) {
                    out.push(Candidate::new(
                        Category::Secret,
                        "secret/connection-string",
                        start,
                        end,
                    ));
                }
            }
            Kind::Bearer => {
                if !left_ok(b, s) || b.get(e) != Some(&b' ') {
                    return;
                }
                let mut v = e;
                while v < b.len() && b[v] == b' ' {
                    v += 1;
                }
                if let Some(end) = at(&self.bearer, text, v) {
                    let tok = &text[v..end];
                    let tb = tok.as_bytes();
                    if filters::generic_ok(tok)
                        && tb.iter().any(u8::is_ascii_digit)
                        && tb.iter().any(u8::is_ascii_alphabetic)
                    {
                        push("secret/bearer", v, end);
                    }
                }
            }
            Kind::Key(class) => {
                if let Some(f) = assign::parse(text, s, e, class) {
                    // `Authorization` keys stay: gitleaks allows any key
                    // holding `author`, and leaves credentials in headers to
                    // its `curl` rules.
                    if class == KeyClass::Generic && !f.aws && self.generic_allowed(text, &f) {
                        return;
                    }
                    let name = if f.aws {
                        "secret/aws"
                    } else if f.ado {
                        "secret/connection-string"
                    } else {
                        "secret/assignment"
                    };
                    out.push(Candidate::new(Category::Secret, name, f.start, f.end));
                }
            }
        }
    }

    /// Whether gitleaks' `generic-api-key` allowlists allow the generic
    /// assignment `f` (see [`gitleaks::Gitleaks::generic_allows`]).
    fn generic_allowed(&self, text: &str, f: &assign::Found) -> bool {
        let b = text.as_bytes();
        let ls = memchr::memrchr(b'\n', &b[..f.key]).map_or(0, |p| p + 1);
        let le = memchr::memchr(b'\n', &b[f.end..]).map_or(b.len(), |p| f.end + p);
        // The match as gitleaks' regex takes it: the key through the value
        // and one closing quote.
        let me = (f.end + 1).min(le);
        self.gitleaks
            .generic_allows(&b[f.start..f.end], &b[f.key..me], &b[ls..le])
    }

    /// After an AWS key id ending at `from`: a 40-character secret access key
    /// standing alone on the rest of this line or the next (credentials CSV,
    /// `aws configure` transcripts).
    fn aws_secret_after(&self, text: &str, from: usize, out: &mut Vec<Candidate>) {
        let b = text.as_bytes();
        let limit = (from + 256).min(b.len());
        let is_b64 = |c: u8| c.is_ascii_alphanumeric() || c == b'/' || c == b'+';
        let mut newlines = 0;
        let mut i = from;
        while i < limit {
            let c = b[i];
            if c == b'\n' {
                newlines += 1;
                if newlines == 2 {
                    return;
                }
            }
            if !is_b64(c) {
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len() && is_b64(b[i]) {
                i += 1;
            }
            let alone = (start == 0 || b[start - 1] != b'=') && b.get(i).is_none_or(|&c| c != b'=');
            if alone && assign::is_aws_secret(&b[start..i]) && !is_placeholder(&text[start..i]) {
                out.push(Candidate::new(Category::Secret, "secret/aws", start, i));
                return;
            }
        }
    }
}

/// The end of a PEM private-key block whose BEGIN line is `s..begin_end`:
/// through the matching END line if it comes within [`MAX_CONTEXT`],
/// otherwise through the base64 lines that follow.
fn pem_end(text: &str, s: usize, begin_end: usize) -> usize {
    let label = &text[s + "-----BEGIN ".len()..begin_end - "-----".len()];
    let window_end = {
        let mut w = (begin_end + MAX_CONTEXT).min(text.len());
        while !text.is_char_boundary(w) {
            w -= 1;
        }
        w
    };
    let window = &text.as_bytes()[begin_end..window_end];
    let end_marker = format!("-----END {label}-----");
    if let Some(p) = memchr::memmem::find(window, end_marker.as_bytes()) {
        return begin_end + p + end_marker.len();
    }
    // No END: take the following base64 lines (also `\n`-escaped ones, as in
    // JSON), header lines (`Proc-Type: …`), and one short final line.
    let b = text.as_bytes();
    let mut end = begin_end;
    let mut i = begin_end;
    let mut prev_len = 0;
    while i < window_end {
        // Line separators: real newlines or a literal `\n`.
        while i < window_end {
            if matches!(b[i], b'\r' | b'\n' | b' ' | b'\t') {
                i += 1;
            } else if b[i] == b'\\' && b.get(i + 1) == Some(&b'n') {
                i += 2;
            } else {
                break;
            }
        }
        let ls = i;
        while i < window_end && !matches!(b[i], b'\r' | b'\n' | b'\\') {
            i += 1;
        }
        let line = &b[ls..i];
        if line.is_empty() {
            break;
        }
        let b64 = line
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='));
        let header = [&b"Proc-Type:"[..], b"DEK-Info:", b"Version:", b"Comment:"]
            .iter()
            .any(|h| line.starts_with(h));
        let last_short = b64
            && prev_len >= 60
            && line
                .iter()
                .any(|&c| c.is_ascii_digit() || matches!(c, b'+' | b'/' | b'='));
        if header || (b64 && line.len() >= 20) || last_short {
            end = i;
            prev_len = if header { 0 } else { line.len() };
            if last_short && line.len() < 20 {
                break;
            }
        } else {
            break;
        }
    }
    end
}

/// For a `://` at `p`: the `user:password` part of `scheme://user:password@host`
/// when the password is present and not a placeholder.
fn url_userinfo(b: &[u8], p: usize) -> Option<(usize, usize)> {
    let mut ss = p;
    while ss > 0
        && p - ss < 32
        && (b[ss - 1].is_ascii_alphanumeric() || matches!(b[ss - 1], b'+' | b'-' | b'.'))
    {
        ss -= 1;
    }
    if ss == p || !b[ss].is_ascii_alphabetic() {
        return None;
    }
    let a = p + 3;
    let mut i = a;
    let mut at_sign = None;
    while i < b.len() && i - a < 512 {
        match b[i] {
            b'@' => at_sign = Some(i),
            b'/' | b'?' | b'#' | b'"' | b'\'' | b'`' | b'<' | b'>' => break,
            c if !c.is_ascii_graphic() => break,
            _ => {}
        }
        i += 1;
    }
    let at_sign = at_sign?;
    let userinfo = &b[a..at_sign];
    let colon = userinfo.iter().position(|&c| c == b':')?;
    let password = std::str::from_utf8(&userinfo[colon + 1..]).ok()?;
    if is_placeholder(password) {
        return None;
    }
    // The whole URL goes: a credentialed connection string is a secret as a
    // whole (host, port and database name included).
    let mut end = at_sign + 1;
    while end < b.len()
        && end - a < MAX_CONTEXT
        && b[end].is_ascii_graphic()
        && !matches!(b[end], b'"' | b'\'' | b'`' | b'<' | b'>')
    {
        end += 1;
    }
    while end > at_sign + 1 && matches!(b[end - 1], b'.' | b',' | b';' | b')' | b']' | b'}') {
        end -= 1;
    }
    Some((ss, end))
}
