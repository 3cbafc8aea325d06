//! Binary search in a sorted `key<TAB>value` table kept as the embedded text
//! itself: no index, nothing to build at start-up.
//!
//! The town table (`dictionaries/towns.tsv`, 92,000 lines) is only ever
//! looked up around an address candidate, so a search over the bytes (about
//! 17 steps, each finding one line) costs less than building any index.
//! [`prefixes`] finds every town starting a word in one walk.

/// The value of the line whose key is exactly `key`, in `table`: lines
/// `key<TAB>value`, each ending in `\n`, sorted by the bytes of the key
/// (the reference [`prefixes`] is tested against).
#[cfg(test)]
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

/// The first line start in `lo..hi` (line starts of `b`) whose key makes
/// `pred` true, `pred` being false then true over the sorted keys; `hi` if
/// none.
fn partition(b: &[u8], mut lo: usize, mut hi: usize, pred: impl Fn(&[u8]) -> bool) -> usize {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = memchr::memrchr(b'\n', &b[lo..mid]).map_or(lo, |i| lo + i + 1);
        let end = memchr::memchr(b'\n', &b[start..hi]).map_or(hi, |i| start + i);
        let line = &b[start..end];
        let key = memchr::memchr(b'\t', line).map_or(line, |t| &line[..t]);
        if pred(key) {
            hi = start;
        } else {
            lo = (end + 1).min(hi);
        }
    }
    lo
}

/// Every prefix of `key` ending at one of `ends` (byte lengths, ascending)
/// that is a key of `table`, with its value, shortest first.
///
/// One walk down the sorted table: each longer prefix is searched only
/// among the lines starting with the shorter one, and the walk stops as soon
/// as no line does (most words start no town: two or three short searches).
pub fn prefixes<'t>(table: &'t str, key: &str, ends: &[usize]) -> Vec<(usize, &'t str)> {
    let b = table.as_bytes();
    let (mut lo, mut hi) = (0, b.len());
    let mut out = Vec::new();
    for &n in ends {
        let p = &key.as_bytes()[..n];
        lo = partition(b, lo, hi, |k| k >= p);
        hi = partition(b, lo, hi, |k| k > p && !k.starts_with(p));
        if lo >= hi {
            break;
        }
        let end = memchr::memchr(b'\n', &b[lo..hi]).map_or(hi, |i| lo + i);
        let line = &b[lo..end];
        if let Some(t) = memchr::memchr(b'\t', line) {
            if &line[..t] == p {
                if let Some(v) = table.get(lo + t + 1..end) {
                    out.push((n, v));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{lookup, prefixes};

    #[test]
    fn prefixes_are_the_keys_that_start_the_word() {
        let table = "a\t1\nab\t2\nabd\t5\nb\t3\nいろ\t4\n";
        assert_eq!(prefixes(table, "abc", &[1, 2, 3]), vec![(1, "1"), (2, "2")]);
        assert_eq!(
            prefixes(table, "abd", &[1, 2, 3]),
            vec![(1, "1"), (2, "2"), (3, "5")]
        );
        assert_eq!(prefixes(table, "いろは", &[3, 6, 9]), vec![(6, "4")]);
        assert_eq!(prefixes(table, "c", &[1]), vec![]);
        assert_eq!(prefixes(table, "ab", &[2]), vec![(2, "2")]);
        let towns = super::super::TOWNS;
        for k in towns
            .lines()
            .step_by(89)
            .map(|l| l.split_once('\t').expect("a tab").0)
        {
            let ends: Vec<usize> = k.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
            let found = prefixes(towns, k, &ends);
            assert_eq!(found.last().map(|f| f.0), Some(k.len()), "{k}");
            for (n, v) in found {
                assert_eq!(lookup(towns, &k[..n]), Some(v), "{k}");
            }
        }
    }

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
