//! Distributional word classes: which words a word is used like.
//!
//! A name the model never saw in training has no surface weight to go on;
//! what carries over from the names it did see is that they are used alike.
//! GiNZA's word vectors (chiVe, word2vec over a web corpus) map each of
//! about 480,000 words to one of 20,000 rows, and words sharing a row are
//! used alike (`項羽` shares one with `ソンケン` and `シュウユ`, `ピタゴラス`
//! with `Euler`). [`classes`] gives a word's row and two coarser classes
//! (k-means over the rows, 1,024 and 128 classes), features of the name
//! model ([`super::features`]). The table is
//! `dictionaries/word_clusters.bin`, built by
//! `dictionaries/gen_word_clusters.py` (provenance in dictionaries/README.md)
//! and embedded; a lookup is a binary search over it ([`super::table`]).
//!
//! ```
//! use mask::detect::name::clusters::classes;
//!
//! let a = classes("項羽").unwrap();
//! let b = classes("班固").unwrap();
//! assert_eq!(a.row, b.row); // used alike: one row
//! assert!(classes("xyz").is_none()); // lower-case Latin is not kept
//! ```

use super::table::SortedTable;

static TABLE: SortedTable =
    SortedTable::new(include_bytes!("../../../dictionaries/word_clusters.bin"));

/// The classes of one word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classes {
    /// The word's vector row (0..20,000): the finest class.
    pub row: u16,
    /// One of 1,024 classes of rows.
    pub fine: u16,
    /// One of 128 classes of rows.
    pub coarse: u8,
}

impl Classes {
    /// The classes packed into one feature value (never 0).
    pub fn packed(self) -> u64 {
        1 << 48 | u64::from(self.row) << 24 | u64::from(self.fine) << 8 | u64::from(self.coarse)
    }
}

/// The classes of `word`, or `None` when the table does not have it (lower
/// case Latin, digits, words longer than 12 characters, rare words).
pub fn classes(word: &str) -> Option<Classes> {
    let (_, v) = TABLE.find(word.as_bytes())?;
    let b = |i: usize| v.get(i).map(|&x| u16::from(x & 0x7F));
    Some(Classes {
        row: b(0)? << 7 | b(1)?,
        fine: b(2)? << 7 | b(3)?,
        coarse: b(4)? as u8,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_is_found_and_well_formed() {
        let mut n = 0;
        for rec in TABLE
            .bytes()
            .split(|&b| b == b'\n')
            .filter(|r| !r.is_empty())
        {
            let tab = memchr::memchr(b'\t', rec).expect("a tab in every record");
            let word = std::str::from_utf8(&rec[..tab]).expect("utf-8 keys");
            assert_eq!(rec.len() - tab - 1, 5, "{word}");
            let c = classes(word).expect("binary search finds every record");
            assert!(c.row < 20_000 && c.fine < 1024 && c.coarse < 128, "{word}");
            n += 1;
        }
        assert!(n > 400_000, "{n} records");
    }

    #[test]
    fn names_of_one_kind_share_classes_and_common_words_do_not_join_them() {
        let y = classes("山田").unwrap();
        let d = classes("報告").unwrap();
        assert_ne!(y.fine, d.fine);
        assert_eq!(
            classes("項羽").map(|c| c.row),
            classes("班固").map(|c| c.row)
        );
    }
}
