//! Classification markings: documents marked 極秘, 社外秘, 部外秘, 厳秘,
//! 関係者外秘, 社内限り, 取扱注意, CONFIDENTIAL, STRICTLY CONFIDENTIAL,
//! TOP SECRET, INTERNAL USE ONLY, and a bracketed 【秘】【機密】.
//!
//! A *marking* says what this document is; a *mention* talks about such
//! documents (a rule document: `極秘・社外秘の文書は送信しない`). Only
//! markings are findings — the default policy blocks them, as the company's
//! rules say such documents are never sent — so a Japanese marker (社外秘,
//! 極秘, …) counts where a document is marked:
//!
//! - in brackets other than quotes: `【社外秘】`, `［極秘］`, `(社外秘)`;
//! - on a line of its own (`社外秘`, `※極秘扱い`), as a label's value
//!   (`機密区分：社外秘`), opening a line before a separator (`社外秘 2026年度
//!   計画`, `社外秘：…`) or closing one after a space (`事業計画書　社外秘`);
//! - in a sentence about this document (`本資料は社外秘です`, `このメールは
//!   極秘扱いとします`) or one that says so of itself (`極秘資料です`,
//!   `社外秘につき転送禁止`).
//!
//! Elsewhere — `社外秘の文書は`, `「極秘」と表示された文書`, `極秘/社外秘/
//! CONFIDENTIAL` listed together — it is a mention and passes. 機密
//! (機密保持契約 is an NDA) counts only in brackets (【機密】, ［機密］,
//! (機密)) or as `機密区分`. English markers count in capitals
//! (`CONFIDENTIAL`) or capitalized at the start of a line or in brackets
//! (`Confidential:`), at word boundaries, unless listed with other markers;
//! "confidential information" in a sentence is not a marking.

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

/// Bracketed by anything but quotes (`「社外秘」と表示された文書` quotes
/// the word).
fn marked_bracket(t: &str, s: usize, e: usize) -> bool {
    bracketed(t, s, e) && !t[..s].ends_with('「')
}

/// Words that refer to the document itself (`本資料は社外秘です`).
const SELF_REFERENCES: [&str; 20] = [
    "本資料",
    "本書",
    "本文書",
    "本メール",
    "本紙",
    "本ファイル",
    "本データ",
    "本議事録",
    "本報告書",
    "本件",
    "当資料",
    "当文書",
    "この資料",
    "このメール",
    "この文書",
    "このファイル",
    "添付資料",
    "添付ファイル",
    "以下の内容",
    "本内容",
];

/// What follows a marker that says so of the text itself (`極秘資料です`,
/// `社外秘につき`, `社外秘扱いとします`).
const SELF_MARKING_AFTER: [&str; 12] = [
    "です",
    "につき",
    "のため",
    "扱いです",
    "扱いとし",
    "扱いで",
    "扱いにて",
    "資料です",
    "文書です",
    "情報です",
    "事項です",
    "資料につき",
];

/// Characters that decorate a marking line (`※社外秘`, `■極秘■`).
fn is_decoration(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '※' | '■'
                | '□'
                | '●'
                | '○'
                | '◆'
                | '◇'
                | '★'
                | '☆'
                | '*'
                | '-'
                | '#'
                | '・'
                | '。'
                | '!'
                | '！'
        )
}

/// Is another marker written next to this one, joined by a list separator
/// (`極秘/社外秘/CONFIDENTIAL`, `極秘・社外秘`)? Then the text lists the
/// markers: it talks about marked documents.
fn listed(t: &str, s: usize, e: usize) -> bool {
    let sep = |c: char| matches!(c, '/' | '／' | '・' | '、' | ',' | '，' | 'や' | 'と');
    let near_mark = |w: &str| {
        JA_ANYWHERE.iter().any(|m| w.contains(m))
            || ASCII_MARKS
                .iter()
                .any(|m| w.to_ascii_lowercase().contains(m))
    };
    // 24 characters on each side.
    let from = t[..s].char_indices().rev().nth(23).map_or(0, |(i, _)| i);
    let to = t[e..]
        .char_indices()
        .nth(24)
        .map_or(t.len(), |(i, _)| e + i);
    let b = t[from..s].trim_end();
    let a = t[e..to].trim_start();
    (b.ends_with(sep) && near_mark(b)) || (a.starts_with(sep) && near_mark(a))
}

/// Does a Japanese marker at `s..e` mark the document (see the module
/// docs), rather than mention marked documents?
fn marks_document(t: &str, s: usize, e: usize) -> bool {
    if marked_bracket(t, s, e) {
        return true;
    }
    if listed(t, s, e) {
        return false;
    }
    let line_start = t[..s].rfind('\n').map_or(0, |p| p + 1);
    let line_end = t[e..].find('\n').map_or(t.len(), |p| e + p);
    let head = &t[line_start..s];
    let rest = &t[e..line_end];
    let rest_core = rest.strip_prefix("扱い").unwrap_or(rest);
    let head_bare = head.chars().all(is_decoration);
    // Alone on its line.
    if head_bare && rest_core.chars().all(is_decoration) {
        return true;
    }
    // A label's value: `機密区分：社外秘`, `区分: 極秘`.
    let h = head.trim_end();
    if h.ends_with(['：', ':']) {
        return true;
    }
    // Opening the line before a separator, closing it after a space.
    if head_bare
        && rest.chars().next().is_some_and(|c| {
            c.is_whitespace() || matches!(c, '：' | ':' | '／' | '/' | '–' | '-' | 'ー')
        })
    {
        return true;
    }
    if rest_core.chars().all(is_decoration) && head.ends_with(char::is_whitespace) {
        return true;
    }
    // Said of the text itself.
    if SELF_MARKING_AFTER.iter().any(|w| rest.starts_with(w)) {
        return true;
    }
    let sentence = head
        .rfind(['。', '！', '？'])
        .map_or(head, |p| &head[p + '。'.len_utf8()..]);
    SELF_REFERENCES.iter().any(|w| sentence.contains(w))
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
    if let Some((s, e)) = anywhere {
        return marks_document(t, s, e).then_some((s, e));
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
                if upper_or_heading(t, s, e) && !listed(t, s, e) {
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
    fn a_marked_document_is_found_however_it_is_marked() {
        for (text, mark) in [
            ("社外秘\n2026年度 事業計画", "社外秘"),
            ("※極秘扱い\n来期の計画", "極秘"),
            ("機密区分：社外秘\n", "社外秘"),
            ("区分: 部外秘", "部外秘"),
            ("社外秘 2026年度計画", "社外秘"),
            ("社外秘：取締役会資料", "社外秘"),
            ("2026年度 事業計画書　社外秘\n", "社外秘"),
            (
                "各位\n本資料は社外秘です。取扱いにご注意ください。",
                "社外秘",
            ),
            ("このメールは極秘扱いとします。", "極秘"),
            ("社外秘につき転送禁止", "社外秘"),
            ("(社外秘) 会議メモ", "社外秘"),
        ] {
            assert!(
                found(text).contains(&mark.to_string()),
                "{text}: {:?}",
                found(text)
            );
        }
    }

    #[test]
    fn a_rule_about_marked_documents_is_no_marking() {
        // The company's own rules talk about such documents; they are
        // sent (their names and addresses masked) like any other text.
        for text in [
            "社外秘の文書は丁寧に取り扱うこと。",
            "極秘/社外秘/CONFIDENTIALと表示された文書は送信しない。",
            "「社外秘」と表示された文書は、外部に送信してはならない。",
            "極秘・社外秘の情報を含む場合は上長に相談する。",
            "社外秘情報の取り扱いについて",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
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
