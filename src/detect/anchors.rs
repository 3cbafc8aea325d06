//! Japanese anchor words, found for every detector in one pass.
//!
//! Several detectors start from a Japanese word: a classification marking
//! holds 秘, 密, 限 or 扱; a Japanese password label is `パスワード`,
//! `パスコード` or `暗証番号`; an address has `丁目` or `番地`, or follows a
//! label holding 所 (`住所`, `場所`, `所在地`) or 先 (`送付先`, `お届け先`).
//! Each searching its own words costs one memmem pass per word, and over
//! Japanese text every memmem prefilter keeps firing. One [Teddy]-backed
//! automaton over all of them costs about a quarter of that (callgrind, 5 MB
//! of `examples/bench_text`: 6.6 M instructions against 23.8 M for the
//! separate passes).
//!
//! The words never overlap one another in any text (no suffix of one is a
//! prefix of another, and none contains another; a unit test checks it), so
//! the non-overlapping search reports every occurrence of every word.
//!
//! The hits are computed lazily by [`super::Haystack::ja_anchors`], once per
//! window, the first time a detector asks.
//!
//! [Teddy]: aho_corasick::packed

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

/// One anchor word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JaWord {
    /// 秘 (classification).
    Hi,
    /// 密 (classification).
    Mitsu,
    /// 限 (classification).
    Gen,
    /// 扱 (classification).
    Atsukai,
    /// パスワード (secret label).
    Password,
    /// パスコード (secret label).
    Passcode,
    /// 暗証番号 (secret label).
    Pin,
    /// 丁目 (address block).
    Choume,
    /// 番地 (address block).
    Banchi,
    /// 所 (address labels 住所, 場所, 所在地).
    Sho,
    /// 先 (address labels 送付先, 届け先, 配送先 …).
    Saki,
}

/// Every word with its text.
pub const WORDS: [(JaWord, &str); 11] = [
    (JaWord::Hi, "秘"),
    (JaWord::Mitsu, "密"),
    (JaWord::Gen, "限"),
    (JaWord::Atsukai, "扱"),
    (JaWord::Password, "パスワード"),
    (JaWord::Passcode, "パスコード"),
    (JaWord::Pin, "暗証番号"),
    (JaWord::Choume, "丁目"),
    (JaWord::Banchi, "番地"),
    (JaWord::Sho, "所"),
    (JaWord::Saki, "先"),
];

/// One occurrence of an anchor word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JaHit {
    /// Which word.
    pub word: JaWord,
    /// Its first byte.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

/// The automaton over [`WORDS`]: immutable once built, shared by every
/// thread (compiling it takes well under a millisecond).
static SEARCHER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(WORDS.iter().map(|(_, w)| w))
        .expect("the static anchor words compile")
});

/// Pushes every occurrence of every anchor word in `text`, in order.
pub fn find(text: &str, out: &mut Vec<JaHit>) {
    out.extend(SEARCHER.find_iter(text).map(|m| JaHit {
        word: WORDS[m.pattern().as_usize()].0,
        start: m.start(),
        end: m.end(),
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_never_overlap_so_every_occurrence_is_found() {
        for (_, a) in WORDS {
            for (_, b) in WORDS {
                if a == b {
                    continue;
                }
                assert!(!a.contains(b), "{a} contains {b}");
                for (i, _) in a.char_indices().skip(1) {
                    assert!(!b.starts_with(&a[i..]), "{a} overlaps {b}");
                }
            }
        }
    }

    #[test]
    fn finds_all_words_in_order() {
        let text = "住所：東京都渋谷区二丁目三番地（社外秘）パスワード、暗証番号、お届け先、取扱注意、機密、社内限り";
        let mut hits = Vec::new();
        find(text, &mut hits);
        let words: Vec<JaWord> = hits.iter().map(|h| h.word).collect();
        use JaWord::*;
        assert_eq!(
            words,
            vec![Sho, Choume, Banchi, Hi, Password, Pin, Saki, Atsukai, Mitsu, Gen]
        );
        for h in &hits {
            let w = WORDS.iter().find(|(k, _)| *k == h.word).map(|(_, w)| *w);
            assert_eq!(Some(&text[h.start..h.end]), w);
        }
    }
}
