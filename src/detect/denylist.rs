//! The company's deny list (禁止リスト): insider project names and other
//! terms that must never leave the company.
//!
//! Terms are normalized like the text (so `ＦＡＬＣＯＮ` in the list or the
//! text matches `Falcon`), matched with one Aho–Corasick automaton, ASCII
//! case-insensitively, leftmost-longest. Matching is by substring: a term is
//! found inside longer words too, because missing a deny-listed term is a
//! leak and over-masking is not.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::{Candidate, Detector, Haystack};
use crate::error::Error;
use crate::normalize::normalize;
use crate::span::Category;

/// Finds deny-listed terms.
#[derive(Debug)]
pub struct DenyListDetector {
    ac: AhoCorasick,
}

impl DenyListDetector {
    /// Compiles the terms (empty terms are ignored).
    ///
    /// # Errors
    ///
    /// When the automaton cannot be built (far too many terms).
    pub fn new(terms: &[String]) -> Result<DenyListDetector, Error> {
        let pats: Vec<String> = terms
            .iter()
            .map(|t| normalize(t.trim()))
            .filter(|t| !t.is_empty())
            .collect();
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(if pats.len() <= 2000 {
                Some(AhoCorasickKind::DFA)
            } else {
                None
            })
            .build(&pats)
            .map_err(|e| Error::Build {
                detector: "deny-list",
                message: e.to_string(),
            })?;
        Ok(DenyListDetector { ac })
    }
}

impl Detector for DenyListDetector {
    fn name(&self) -> &'static str {
        "deny-list"
    }

    fn detect(&self, hay: &Haystack<'_>, out: &mut Vec<Candidate>) {
        for m in self.ac.find_iter(hay.text()) {
            out.push(Candidate::new(
                Category::DenyTerm,
                "deny-list",
                m.start(),
                m.end(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(terms: &[&str], s: &str) -> Vec<String> {
        let d = DenyListDetector::new(&terms.iter().map(|t| t.to_string()).collect::<Vec<_>>())
            .unwrap();
        let n = normalize(s);
        let mut out = Vec::new();
        d.detect(&Haystack::new(&n, &[]), &mut out);
        out.iter().map(|c| n[c.span.range()].to_string()).collect()
    }

    #[test]
    fn case_and_width_insensitive() {
        assert_eq!(
            found(&["Project Falcon"], "re: PROJECT FALCON の件"),
            vec!["PROJECT FALCON"]
        );
        assert_eq!(found(&["falcon"], "ＦＡＬＣＯＮ計画"), vec!["FALCON"]);
        assert_eq!(found(&["ＦＡＬＣＯＮ"], "falcon"), vec!["falcon"]);
        assert_eq!(
            found(&["極秘プロジェクトＸ"], "極秘プロジェクトXについて"),
            vec!["極秘プロジェクトX"]
        );
    }

    #[test]
    fn longest_term_wins_and_no_terms_finds_nothing() {
        assert_eq!(
            found(&["Falcon", "Falcon 9"], "Falcon 9 launch"),
            vec!["Falcon 9"]
        );
        assert!(found(&[], "anything at all").is_empty());
        assert!(found(&["  "], "anything").is_empty());
    }
}
