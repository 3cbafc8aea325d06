//! Classification markings: documents marked 極秘, 社外秘, 部外秘, 厳秘,
//! 関係者外秘, 社内限り, 取扱注意, CONFIDENTIAL, STRICTLY CONFIDENTIAL,
//! TOP SECRET, INTERNAL USE ONLY, and a bracketed 【秘】【機密】.
//!
//! The Japanese markers are words that do not occur in ordinary prose, except
//! 機密 (機密保持契約 is an NDA), which counts only in brackets (【機密】,
//! ［機密］, (機密)) or as `機密区分`. English markers count in capitals
//! (`CONFIDENTIAL`) or capitalized at the start of a line or in brackets
//! (`Confidential:`), at word boundaries; "confidential information" in a
//! sentence is not a marking.

use aho_corasick::{AhoCorasick, MatchKind};

use super::{is_word_byte, Candidate, Detector, Haystack};
use crate::span::Category;

/// Finds classification markings.
#[derive(Debug)]
pub struct ClassificationDetector {
    ac: AhoCorasick,
}

/// How a pattern must stand to count.
#[derive(Clone, Copy)]
enum Rule {
    Anywhere,
    Bracketed,
    UpperOrHeading,
}

const PATTERNS: [(&str, Rule); 15] = [
    ("極秘", Rule::Anywhere),
    ("社外秘", Rule::Anywhere),
    ("部外秘", Rule::Anywhere),
    ("厳秘", Rule::Anywhere),
    ("関係者外秘", Rule::Anywhere),
    ("社内限り", Rule::Anywhere),
    ("取扱注意", Rule::Anywhere),
    ("機密区分", Rule::Anywhere),
    ("機密", Rule::Bracketed),
    ("秘", Rule::Bracketed),
    ("strictly confidential", Rule::UpperOrHeading),
    ("confidential", Rule::UpperOrHeading),
    ("top secret", Rule::UpperOrHeading),
    ("internal use only", Rule::UpperOrHeading),
    ("取扱厳重注意", Rule::Anywhere),
];

impl Default for ClassificationDetector {
    fn default() -> Self {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(PATTERNS.iter().map(|p| p.0))
            .expect("static patterns compile");
        ClassificationDetector { ac }
    }
}

fn bracketed(t: &str, s: usize, e: usize) -> bool {
    let before = t[..s].chars().next_back();
    let after = t[e..].chars().next();
    matches!(
        before,
        Some('【' | '[' | '［' | '(' | '〔' | '<' | '《' | '「')
    ) && matches!(
        after,
        Some('】' | ']' | '］' | ')' | '〕' | '>' | '》' | '」')
    )
}

fn upper_or_heading(t: &str, s: usize, e: usize) -> bool {
    let b = t.as_bytes();
    if (s > 0 && is_word_byte(b[s - 1])) || b.get(e).copied().is_some_and(is_word_byte) {
        return false;
    }
    let word = &t[s..e];
    if !word.bytes().any(|c| c.is_ascii_uppercase()) {
        return false;
    }
    if word.bytes().all(|c| !c.is_ascii_lowercase()) {
        return true;
    }
    // Capitalized: only as a heading (line start) or in brackets.
    let line_start =
        t[..s].trim_end_matches([' ', '\t']).ends_with('\n') || t[..s].trim().is_empty();
    line_start || bracketed(t, s, e)
}

impl Detector for ClassificationDetector {
    fn name(&self) -> &'static str {
        "classification"
    }

    fn detect(&self, hay: &Haystack<'_>, out: &mut Vec<Candidate>) {
        let t = hay.text();
        for m in self.ac.find_iter(t) {
            let (s, e) = (m.start(), m.end());
            let ok = match PATTERNS[m.pattern().as_usize()].1 {
                Rule::Anywhere => true,
                Rule::Bracketed => bracketed(t, s, e),
                Rule::UpperOrHeading => upper_or_heading(t, s, e),
            };
            if ok {
                out.push(Candidate::new(
                    Category::Classification,
                    "classification",
                    s,
                    e,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn found(s: &str) -> Vec<String> {
        let n = normalize(s);
        let mut out = Vec::new();
        ClassificationDetector::default().detect(&Haystack::new(&n, &[]), &mut out);
        out.iter().map(|c| n[c.span.range()].to_string()).collect()
    }

    #[test]
    fn finds_markings() {
        assert_eq!(found("【社外秘】2025年度 予算案"), vec!["社外秘"]);
        assert_eq!(found("極秘資料です"), vec!["極秘"]);
        assert_eq!(found("CONFIDENTIAL - do not forward"), vec!["CONFIDENTIAL"]);
        assert_eq!(found("Confidential\nQ3 plan"), vec!["Confidential"]);
        assert_eq!(found("［機密］取締役会資料"), vec!["機密"]);
        assert_eq!(found("【秘】"), vec!["秘"]);
        assert_eq!(
            found("ＳＴＲＩＣＴＬＹ　ＣＯＮＦＩＤＥＮＴＩＡＬ"),
            vec!["STRICTLY CONFIDENTIAL"]
        );
    }

    #[test]
    fn ordinary_prose_is_not_a_marking() {
        assert!(found("機密保持契約を締結しました").is_empty());
        assert!(found("秘書に連絡してください").is_empty());
        assert!(found("please keep this confidential, thanks").is_empty());
        assert!(found("the Confidentiality clause").is_empty());
        assert!(found("便秘薬").is_empty());
    }
}
