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

use super::anchors::JaWord;
use super::{is_word_byte, Candidate, Detector, Haystack};
use crate::span::Category;

/// English markings, searched inside ASCII islands (ASCII case ignored).
const ASCII_MARKS: [&str; 4] = [
    "strictly confidential",
    "confidential",
    "top secret",
    "internal use only",
];

/// Japanese markings that count wherever they stand.
const JA_ANYWHERE: [&str; 9] = [
    "関係者外秘",
    "取扱厳重注意",
    "社外秘",
    "部外秘",
    "極秘",
    "厳秘",
    "社内限り",
    "取扱注意",
    "機密区分",
];

/// Japanese markings that count only in brackets (`【秘】`, `［機密］`).
const JA_BRACKETED: [&str; 2] = ["機密", "秘"];

/// Finds classification markings.
#[derive(Debug)]
pub struct ClassificationDetector {
    ascii: AhoCorasick,
}

impl Default for ClassificationDetector {
    fn default() -> Self {
        let ascii = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(ASCII_MARKS)
            .expect("static patterns compile");
        ClassificationDetector { ascii }
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

/// The longest Japanese marking that contains the anchor at `at..at + 3`.
fn japanese_mark(t: &str, at: usize) -> Option<(usize, usize)> {
    let window = |m: &'static str| {
        // Every placement of `m` that covers the anchor character.
        let lo = at.saturating_sub(m.len() - 3);
        (lo..=at)
            .filter(move |&s| t.is_char_boundary(s) && t[s..].starts_with(m))
            .map(move |s| (s, s + m.len()))
    };
    let anywhere = JA_ANYWHERE
        .iter()
        .flat_map(|m| window(m))
        .max_by_key(|&(s, e)| (e - s, std::cmp::Reverse(s)));
    if anywhere.is_some() {
        return anywhere;
    }
    JA_BRACKETED
        .iter()
        .flat_map(|m| window(m))
        .find(|&(s, e)| bracketed(t, s, e))
}

impl Detector for ClassificationDetector {
    fn name(&self) -> &'static str {
        "classification"
    }

    fn detect(&self, hay: &Haystack<'_>, out: &mut Vec<Candidate>) {
        let t = hay.text();
        let first = out.len();
        for isl in hay.ascii_islands().iter() {
            for m in self.ascii.find_iter(&t[isl.range()]) {
                let (s, e) = (isl.start + m.start(), isl.start + m.end());
                if upper_or_heading(t, s, e) {
                    out.push(Candidate::new(
                        Category::Classification,
                        "classification",
                        s,
                        e,
                    ));
                }
            }
        }
        let mut ja: Vec<(usize, usize)> = Vec::new();
        // Every Japanese marking holds 秘, 密, 限 or 扱.
        for hit in hay.ja_anchors() {
            if matches!(
                hit.word,
                JaWord::Hi | JaWord::Mitsu | JaWord::Gen | JaWord::Atsukai
            ) {
                if let Some(m) = japanese_mark(t, hit.start) {
                    ja.push(m);
                }
            }
        }
        ja.sort_unstable();
        ja.dedup();
        let mut last_end = 0;
        for (s, e) in ja {
            if s >= last_end {
                out.push(Candidate::new(
                    Category::Classification,
                    "classification",
                    s,
                    e,
                ));
                last_end = e;
            }
        }
        out[first..].sort_by_key(|c| c.span.start);
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
