//! gitleaks' rule set as a secret family: the rules of gitleaks' default
//! configuration (`dictionaries/gitleaks/gitleaks.toml`, turned into
//! [`super::gitleaks_rules`] by `dictionaries/gen_gitleaks.py`), applied the
//! way gitleaks applies them (`detect/detect.go`, `detectRule`):
//!
//! 1. a rule runs only where one of its keywords occurs (ASCII case
//!    ignored) — here found by the secret detector's one keyword pass
//!    ([`super::scan`]) inside ASCII islands, with its own anchors;
//! 2. its regex is searched around each keyword hit: from [`BEFORE`] bytes
//!    before the hit to [`AFTER`] bytes after it, inside the hit's island
//!    (look-around sees the whole island), overlapping windows merged;
//! 3. the secret is the rule's `secretGroup`, else the first non-empty
//!    capture group, else the whole match;
//! 4. a secret whose Shannon entropy is not above the rule's threshold is
//!    dropped, as is one the global or the rule's allowlists allow (regexes
//!    on the secret, the match or the line; stopwords in the secret; an
//!    allowlist that also needs a path never applies to a text stream).
//!
//! Only the secret is reported, so the key and quotes around it stay.
//!
//! # Start-up
//!
//! The 221 regexes are compiled lazily: a rule's regex (and its allowlist
//! regexes) the first time one of its keywords is seen, once per detector,
//! in a [`OnceLock`] of the detector itself (no global state). Building the
//! detector costs its share of the secret keyword automaton only.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use regex_automata::meta::Regex;
use regex_automata::util::syntax;
use regex_automata::Input;

use super::filters::entropy;
use super::gitleaks_rules::{GLOBAL, RULES};
use super::scan::Hit;
use crate::detect::Candidate;
use crate::span::{Category, Span};

/// How far before a keyword hit a rule's match may start (gitleaks' generic
/// rules allow 50 identifier bytes before the keyword; Kubernetes secrets put
/// `kind: Secret` up to 300 bytes after `data:`).
pub(super) const BEFORE: usize = 512;
/// How far after a keyword hit a rule's match may end.
pub(super) const AFTER: usize = 2048;

/// What an allowlist's regexes are matched against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// The secret (gitleaks' default).
    Secret,
    /// The whole match of the rule's regex.
    Match,
    /// The line(s) holding the match.
    Line,
}

/// One allowlist of the table.
#[derive(Debug)]
pub(super) struct Allowlist {
    /// What the regexes see.
    pub target: Target,
    /// `condition = "AND"`: every kind of check given must allow.
    pub all: bool,
    /// An `AND` allowlist that also needs a path: never applies here.
    pub needs_path: bool,
    /// Regexes (Rust syntax).
    pub regexes: &'static [&'static str],
    /// Words (lower case) whose presence in the secret allows it.
    pub stopwords: &'static [&'static str],
}

/// One gitleaks rule.
#[derive(Debug)]
pub(super) struct Rule {
    /// The detector name reported: `secret/gitleaks/` and gitleaks' rule id.
    pub name: &'static str,
    /// The regex (Rust syntax).
    pub regex: &'static str,
    /// Which capture group is the secret (0: the first non-empty one).
    pub secret_group: usize,
    /// Mask the whole match, not the secret group: the rule's groups are all
    /// named markers (`jwt-base64` reports the header name's group as the
    /// secret, leaving the token itself).
    pub whole_match: bool,
    /// Minimum Shannon entropy (exclusive; 0: none).
    pub entropy: f64,
    /// Lower-case keywords, one of which must occur.
    pub keywords: &'static [&'static str],
    /// The rule's own allowlists.
    pub allowlists: &'static [Allowlist],
}

/// An allowlist, compiled.
#[derive(Debug)]
struct AllowCheck {
    target: Target,
    all: bool,
    needs_path: bool,
    regexes: Vec<Regex>,
    stopwords: Option<AhoCorasick>,
}

/// A rule, compiled.
#[derive(Debug)]
struct Compiled {
    regex: Regex,
    allow: Vec<AllowCheck>,
}

/// The gitleaks family: keyword automaton, lazily compiled rules.
#[derive(Debug)]
pub(super) struct Gitleaks {
    /// Every keyword once (the secret detector's scan finds them).
    words: Vec<&'static str>,
    /// For each keyword pattern, the rules that have it.
    keyword_rules: Vec<Vec<u16>>,
    rules: Vec<OnceLock<Option<Compiled>>>,
    global: OnceLock<Option<AllowCheck>>,
    /// The index of `generic-api-key`, whose allowlists also vet mask's own
    /// generic assignments.
    generic: Option<usize>,
}

/// Compiles a gitleaks regex: ASCII semantics for `\w`, `\b`, `\s`, `\d` and
/// `(?i)`, as in Go's RE2 (the haystack is ASCII anyway).
pub(super) fn compile(pattern: &str) -> Result<Regex, Box<regex_automata::meta::BuildError>> {
    Regex::builder()
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .build(pattern)
        .map_err(Box::new)
}

fn compile_allow(a: &Allowlist) -> Option<AllowCheck> {
    let regexes = a
        .regexes
        .iter()
        .map(|r| compile(r).ok())
        .collect::<Option<Vec<_>>>()?;
    let stopwords = if a.stopwords.is_empty() {
        None
    } else {
        Some(
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .build(a.stopwords)
                .ok()?,
        )
    };
    Some(AllowCheck {
        target: a.target,
        all: a.all,
        needs_path: a.needs_path,
        regexes,
        stopwords,
    })
}

impl AllowCheck {
    /// Whether this allowlist allows the finding (`gitleaks`
    /// `checkFindingAllowed`, paths and commits aside).
    fn allows(&self, secret: &[u8], matched: &[u8], line: &[u8]) -> bool {
        if self.needs_path {
            return false;
        }
        let target = match self.target {
            Target::Secret => secret,
            Target::Match => matched,
            Target::Line => line,
        };
        let regex = !self.regexes.is_empty() && self.regexes.iter().any(|r| r.is_match(target));
        let stop = self
            .stopwords
            .as_ref()
            .is_some_and(|ac| ac.is_match(secret));
        if self.all {
            let mut checks = Vec::with_capacity(2);
            if !self.regexes.is_empty() {
                checks.push(regex);
            }
            if self.stopwords.is_some() {
                checks.push(stop);
            }
            !checks.is_empty() && checks.iter().all(|&c| c)
        } else {
            regex || stop
        }
    }
}

impl Default for Gitleaks {
    fn default() -> Self {
        let mut words: Vec<&'static str> = Vec::new();
        let mut keyword_rules: Vec<Vec<u16>> = Vec::new();
        for (i, rule) in RULES.iter().enumerate() {
            let idx = u16::try_from(i).expect("fewer than 65536 rules");
            for &k in rule.keywords {
                match words.iter().position(|w| w.eq_ignore_ascii_case(k)) {
                    Some(p) => keyword_rules[p].push(idx),
                    None => {
                        words.push(k);
                        keyword_rules.push(vec![idx]);
                    }
                }
            }
        }
        Gitleaks {
            words,
            keyword_rules,
            rules: RULES.iter().map(|_| OnceLock::new()).collect(),
            global: OnceLock::new(),
            generic: RULES
                .iter()
                .position(|r| r.name == "secret/gitleaks/generic-api-key"),
        }
    }
}

impl Gitleaks {
    fn rule(&self, i: usize) -> Option<&Compiled> {
        self.rules[i]
            .get_or_init(|| {
                let rule = &RULES[i];
                let regex = compile(rule.regex).ok()?;
                let allow = rule
                    .allowlists
                    .iter()
                    .map(compile_allow)
                    .collect::<Option<Vec<_>>>()?;
                Some(Compiled { regex, allow })
            })
            .as_ref()
    }

    /// Whether the allowlists of gitleaks' `generic-api-key` rule allow a
    /// value found by mask's own assignment parser: `secret` the value,
    /// `matched` the key through the value, `line` the line holding it.
    /// This drops what gitleaks deliberately keeps: public keys and tokens,
    /// CSRF tokens, key names (`keyVaultToStoreSecrets`), library
    /// coordinates (`io.jsonwebtoken:jjwt`), known non-secret values.
    pub(super) fn generic_allows(&self, secret: &[u8], matched: &[u8], line: &[u8]) -> bool {
        self.generic
            .and_then(|g| self.rule(g))
            .is_some_and(|rule| rule.allow.iter().any(|a| a.allows(secret, matched, line)))
    }

    fn global(&self) -> Option<&AllowCheck> {
        self.global.get_or_init(|| compile_allow(&GLOBAL)).as_ref()
    }

    /// The keywords, each once, in the order of the pattern ids
    /// [`Gitleaks::detect`] takes.
    pub(super) fn words(&self) -> &[&'static str] {
        &self.words
    }

    /// Pushes the findings of every rule in the ASCII `islands` of `text`.
    /// `hits` are every occurrence of every keyword ([`Gitleaks::words`]
    /// ids), each with the index of its island, in island order; offsets
    /// absolute. `windows` is scratch space.
    pub(super) fn detect(
        &self,
        text: &str,
        islands: &[Span],
        hits: &[(usize, Hit)],
        windows: &mut Vec<(u16, usize, usize)>,
        out: &mut Vec<Candidate>,
    ) {
        let b = text.as_bytes();
        for group in hits.chunk_by(|a, b| a.0 == b.0) {
            let isl = islands[group[0].0];
            let island = &b[isl.range()];
            windows.clear();
            for (_, m) in group {
                let (start, end) = (m.start - isl.start, m.end - isl.start);
                let ws = start.saturating_sub(BEFORE);
                let we = (end + AFTER).min(island.len());
                for &r in &self.keyword_rules[m.pattern] {
                    windows.push((r, ws, we));
                }
            }
            windows.sort_unstable();
            let mut k = 0;
            while k < windows.len() {
                let (r, ws, mut we) = windows[k];
                k += 1;
                while k < windows.len() && windows[k].0 == r && windows[k].1 <= we {
                    we = we.max(windows[k].2);
                    k += 1;
                }
                self.search(usize::from(r), island, ws..we, isl.start, out);
            }
        }
    }

    /// Runs rule `r` over `island[range]`, pushing its findings (offset by
    /// `base`, the island's start in the text).
    fn search(
        &self,
        r: usize,
        island: &[u8],
        range: Range<usize>,
        base: usize,
        out: &mut Vec<Candidate>,
    ) {
        let Some(rule) = self.rule(r) else {
            return;
        };
        let meta = &RULES[r];
        let input = Input::new(island).range(range);
        for caps in rule.regex.captures_iter(input) {
            let Some(m) = caps.get_match() else {
                continue;
            };
            let secret = if meta.secret_group > 0 {
                caps.get_group(meta.secret_group)
            } else {
                (1..caps.group_len())
                    .filter_map(|g| caps.get_group(g))
                    .find(|s| !s.is_empty())
                    .or(Some(m.span()))
            };
            let Some(secret) = secret.filter(|s| !s.is_empty()) else {
                continue;
            };
            let sb = &island[secret.range()];
            if meta.entropy != 0.0 && entropy(sb) <= meta.entropy {
                continue;
            }
            let matched = &island[m.range()];
            let ls = memchr::memrchr(b'\n', &island[..m.start()]).map_or(0, |p| p + 1);
            let le =
                memchr::memchr(b'\n', &island[m.end()..]).map_or(island.len(), |p| m.end() + p);
            let line = &island[ls..le];
            if self.global().is_some_and(|g| g.allows(sb, matched, line))
                || rule.allow.iter().any(|a| a.allows(sb, matched, line))
            {
                continue;
            }
            let span = if meta.whole_match { m.span() } else { secret };
            out.push(Candidate::new(
                Category::Secret,
                meta.name,
                base + span.start,
                base + span.end,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_and_allowlist_compiles() {
        for rule in RULES {
            let err = compile(rule.regex).err();
            assert!(err.is_none(), "{}: {err:?}", rule.name);
            for a in rule.allowlists {
                assert!(compile_allow(a).is_some(), "{}: allowlist", rule.name);
            }
            assert!(!rule.keywords.is_empty(), "{} has no keyword", rule.name);
        }
        assert_eq!(RULES.len(), 221);
        assert!(compile_allow(&GLOBAL).is_some());
    }

    #[test]
    fn building_compiles_no_rule() {
        let g = Gitleaks::default();
        assert!(g.rules.iter().all(|r| r.get().is_none()));
        let mut out = Vec::new();
        let text = "CLOJARS_34bf0e88955ff5a1c328d6a7491acc4f48e865a7b8dd4d70a70749037443";
        let keywords = super::super::scan::Keywords::new(g.words());
        let mut hits = Vec::new();
        keywords.all(text.as_bytes(), &mut hits);
        let hits: Vec<(usize, Hit)> = hits.into_iter().map(|h| (0, h)).collect();
        let islands = [Span::new(0, text.len())];
        g.detect(text, &islands, &hits, &mut Vec::new(), &mut out);
        let compiled: Vec<&str> = g
            .rules
            .iter()
            .zip(RULES)
            .filter(|(c, _)| c.get().is_some())
            .map(|(_, r)| r.name)
            .collect();
        assert!(
            compiled.contains(&"secret/gitleaks/clojars-api-token"),
            "{compiled:?}"
        );
        assert!(compiled.len() < 5, "{compiled:?}");
        assert!(out
            .iter()
            .any(|c| c.detector == "secret/gitleaks/clojars-api-token"));
    }
}
