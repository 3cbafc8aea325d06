//! Sorted text tables embedded in the binary: one `KEY\tVALUE` record a
//! line, in byte order of the keys (the ENAMDICT tables, UniDic's readings,
//! the word classes).
//!
//! A lookup is a binary search over the bytes themselves: each probe finds
//! its record's start and end with `memrchr`/`memchr`. Nothing is built or
//! parsed at start-up, and a lookup touches a few pages of the binary. (An
//! index of record starts built on first use was tried: on WAC prose it was
//! slower, its probes missing the cache twice, once in the index and once
//! in the bytes, and it cost 30 ms and 28 MB on a one-line input.)
//!
//! ```
//! use mask::detect::name::table::SortedTable;
//!
//! static T: SortedTable = SortedTable::new(b"alpha\t1\nbeta\t2\ngamma\t3\n");
//! assert_eq!(T.find(b"beta"), Some((&b"beta"[..], &b"2"[..])));
//! assert_eq!(T.find(b"delta"), None);
//! assert_eq!(T.lower_bound(b"c"), 15); // the first record not below "c": gamma
//! ```

/// A sorted table of `KEY\tVALUE` lines; see the module docs.
#[derive(Debug)]
pub struct SortedTable {
    bytes: &'static [u8],
}

impl SortedTable {
    /// A table over `bytes` (sorted by key, keys free of `\t` and `\n`).
    pub const fn new(bytes: &'static [u8]) -> SortedTable {
        SortedTable { bytes }
    }

    /// The table's bytes.
    pub fn bytes(&self) -> &'static [u8] {
        self.bytes
    }

    /// The record around byte `mid` of `lo..`: its start, its end (the
    /// newline or the table's end) and its key.
    fn record_at(&self, lo: usize, mid: usize) -> (usize, usize, &'static [u8]) {
        let t = self.bytes;
        let start = memchr::memrchr(b'\n', &t[lo..mid]).map_or(lo, |p| lo + p + 1);
        let end = memchr::memchr(b'\n', &t[start..]).map_or(t.len(), |p| start + p);
        let rec = &t[start..end];
        (
            start,
            end,
            memchr::memchr(b'\t', rec).map_or(rec, |p| &rec[..p]),
        )
    }

    /// The byte offset of the first record whose key is not below `key`
    /// (the table's length when there is none).
    pub fn lower_bound(&self, key: &[u8]) -> usize {
        let (mut lo, mut hi) = (0, self.bytes.len());
        while lo < hi {
            let (start, end, k) = self.record_at(lo, lo + (hi - lo) / 2);
            if k < key {
                lo = end + 1;
            } else {
                hi = start;
            }
        }
        lo.min(self.bytes.len())
    }

    /// The record of `key`: its key and what follows the tab.
    pub fn find(&self, key: &[u8]) -> Option<(&'static [u8], &'static [u8])> {
        if key.is_empty() {
            return None;
        }
        let (mut lo, mut hi) = (0, self.bytes.len());
        while lo < hi {
            let (start, end, k) = self.record_at(lo, lo + (hi - lo) / 2);
            match k.cmp(key) {
                std::cmp::Ordering::Equal => {
                    let value = &self.bytes[(start + k.len() + 1).min(end)..end];
                    return Some((k, value));
                }
                std::cmp::Ordering::Less => lo = end + 1,
                std::cmp::Ordering::Greater => hi = start,
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_is_found_and_nothing_else() {
        static T: SortedTable = SortedTable::new(b"a\tx\nab\ty\nb\t\nc\tz");
        assert_eq!(T.find(b"a"), Some((&b"a"[..], &b"x"[..])));
        assert_eq!(T.find(b"ab"), Some((&b"ab"[..], &b"y"[..])));
        assert_eq!(T.find(b"b"), Some((&b"b"[..], &b""[..])));
        assert_eq!(T.find(b"c"), Some((&b"c"[..], &b"z"[..])));
        for missing in [&b""[..], b"0", b"aa", b"abc", b"bb", b"d"] {
            assert_eq!(T.find(missing), None, "{missing:?}");
        }
        assert_eq!(T.lower_bound(b"aa"), 4);
        assert_eq!(T.lower_bound(b"a"), 0);
        assert_eq!(T.lower_bound(b"zz"), T.bytes().len());
    }

    #[test]
    fn an_empty_table_finds_nothing() {
        static T: SortedTable = SortedTable::new(b"");
        assert_eq!(T.find(b"a"), None);
        assert_eq!(T.lower_bound(b"a"), 0);
    }
}
