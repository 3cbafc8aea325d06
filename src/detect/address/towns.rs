//! Binary search in a sorted `key<TAB>value` table kept as the embedded text
//! itself: no index, nothing to build at start-up.
//!
//! The town table (`dictionaries/towns.tsv`, 80,000 lines) is only ever
//! looked up around an address candidate, so a search over the bytes (about
//! 17 steps, each finding one line) costs less than building any index.

/// The value of the line whose key is exactly `key`, in `table`: lines
/// `key<TAB>value`, each ending in `\n`, sorted by the bytes of the key.
pub fn lookup<'t>(table: &'t str, key: &str) -> Option<&'t str> {
    let b = table.as_bytes();
    let key = key.as_bytes();
    // `lo` and `hi` are always line starts (or the end).
    let (mut lo, mut hi) = (0, b.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = memchr::memrchr(b'\n', &b[lo..mid]).map_or(lo, |i| lo + i + 1);
        let end = memchr::memchr(b'\n', &b[start..hi]).map_or(hi, |i| start + i);
        let line = &b[start..end];
        let tab = memchr::memchr(b'\t', line)?;
        match line[..tab].cmp(key) {
            std::cmp::Ordering::Equal => return table.get(start + tab + 1..end),
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::lookup;

    #[test]
    fn finds_every_key_and_nothing_else() {
        let table = "a\t1\nab\t2\nb\t3\nいろ\t4\n";
        assert_eq!(lookup(table, "a"), Some("1"));
        assert_eq!(lookup(table, "ab"), Some("2"));
        assert_eq!(lookup(table, "b"), Some("3"));
        assert_eq!(lookup(table, "いろ"), Some("4"));
        for k in ["", "aa", "abc", "c", "い", "0"] {
            assert_eq!(lookup(table, k), None, "{k:?}");
        }
        assert_eq!(lookup("", "a"), None);
    }

    #[test]
    fn the_town_table_is_sorted_and_searchable() {
        let table = super::super::TOWNS;
        let keys: Vec<&str> = table
            .lines()
            .map(|l| l.split_once('\t').expect("a tab").0)
            .collect();
        assert!(keys.windows(2).all(|w| w[0].as_bytes() < w[1].as_bytes()));
        for k in keys.iter().step_by(97) {
            assert!(lookup(table, k).is_some(), "{k}");
        }
        assert!(lookup(table, "美しが丘").is_some());
        assert!(lookup(table, "美しが丘2丁目").is_none());
    }
}
