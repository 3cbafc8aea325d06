//! The keys a town is looked up with: the text as written, with old and
//! variant kanji folded, and the same without the markers and infixes that
//! Japan Post leaves out or writes in.
//!
//! `dictionaries/towns.tsv` is written with the variants of
//! `dictionaries/kanji_variants.tsv` folded (澤 → 沢, 應 → 応, 檜 → 桧), so a
//! town is found however either side spells it (`海澤`/`海沢`,
//! `円應寺`/`円応寺`). The second key drops `大字` and `字` inside the town
//! (`沼隈町大字草深` → `沼隈町草深`, `平字小太郎町` → `平小太郎町`) and the
//! first `区` or `町` after a name unless a `字` follows it (`水沢区佐倉河` →
//! `水沢佐倉河`, old wards of a merged city; `菱刈町川北` → `菱刈川北`): the table, for its part, has
//! every `X町Y` also as `XY` (`秋保町湯元` as `秋保湯元`).

/// `variant<TAB>form`, one kanji each side (hand-written; read by
/// `dictionaries/gen_address_tables.py` too, which folds the town table).
const VARIANTS: &str = include_str!("../../../dictionaries/kanji_variants.tsv");

/// The variant-to-form map, sorted by variant.
#[derive(Debug)]
pub struct Folder {
    pairs: Vec<(char, char)>,
}

impl Folder {
    /// Parses the embedded table (a few hundred lines: microseconds).
    ///
    /// # Panics
    ///
    /// Only if the embedded table is malformed, which the unit tests rule
    /// out.
    pub fn new() -> Folder {
        let mut pairs: Vec<(char, char)> = VARIANTS
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| {
                let mut cs = l.chars();
                match (cs.next(), cs.next(), cs.next(), cs.next()) {
                    (Some(v), Some('\t'), Some(f), None) => (v, f),
                    _ => panic!("embedded table: bad variant line {l:?}"),
                }
            })
            .collect();
        pairs.sort_unstable();
        Folder { pairs }
    }

    /// `c` in the form the town table writes it.
    pub fn fold(&self, c: char) -> char {
        if (c as u32) < 0x3400 {
            return c;
        }
        match self.pairs.binary_search_by_key(&c, |&(v, _)| v) {
            Ok(i) => self.pairs[i].1,
            Err(_) => c,
        }
    }
}

/// The two lookup keys of the characters from a start, with where each
/// prefix ends in the original text.
#[derive(Debug, Default)]
pub struct Keys {
    /// Folded, as written.
    pub literal: String,
    /// Folded, without `大字`/`字` inside and the first `区`/`町` after a
    /// name.
    pub short: String,
    /// Per character taken: (end in the text, end in `literal`, end in
    /// `short`).
    pub ends: Vec<(usize, usize, usize)>,
}

impl Keys {
    /// The keys of `chars` (offsets into the text, as `char_indices` gives
    /// them after `base`), at most `max` characters.
    pub fn build(
        folder: &Folder,
        text: &str,
        base: usize,
        max: usize,
        is_town_char: impl Fn(char) -> bool,
    ) -> Keys {
        let mut k = Keys::default();
        let mut dropped_infix = false;
        let mut skip_next_ji = false;
        let mut chars = text[base..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !is_town_char(c) || k.ends.len() >= max {
                break;
            }
            let n = k.ends.len();
            let next = chars.peek().map(|&(_, d)| d);
            let f = folder.fold(c);
            k.literal.push(f);
            let drop = if skip_next_ji {
                skip_next_ji = false;
                true
            } else if n >= 1 && c == '大' && next == Some('字') {
                skip_next_ji = true;
                true
            } else if n >= 1 && c == '字' {
                true
            } else if n >= 2 && !dropped_infix && matches!(f, '区' | '町') {
                // Only before more of a name (`菱刈町川北`), not before the
                // number (`小太郎町1`), nor before `大字`/`字`, which mark
                // where the old town ends and the table has the town with
                // it (`神指町大字南四合` → `神指町南四合`).
                let rest = &text[base + i + c.len_utf8()..];
                dropped_infix = next.is_some_and(|d| is_town_char(d) && !d.is_ascii_digit())
                    && !rest.starts_with('字')
                    && !rest.starts_with("大字");
                dropped_infix
            } else {
                false
            };
            if !drop {
                k.short.push(f);
            }
            k.ends
                .push((base + i + c.len_utf8(), k.literal.len(), k.short.len()));
        }
        k
    }
}

#[cfg(test)]
mod tests {
    use super::{Folder, Keys};

    #[test]
    fn every_variant_line_is_one_kanji_to_another_that_is_no_variant() {
        let f = Folder::new();
        assert!(f.pairs.len() > 200);
        for &(v, form) in &f.pairs {
            assert_ne!(v, form);
            assert_eq!(f.fold(form), form, "{form} is itself a variant");
        }
        assert_eq!(f.fold('澤'), '沢');
        assert_eq!(f.fold('沢'), '沢');
        assert_eq!(f.fold('a'), 'a');
    }

    #[test]
    fn keys_fold_variants_and_drop_markers_and_one_infix() {
        let f = Folder::new();
        let k = Keys::build(&f, "X沼隈町大字草深1889", 1, 12, |c| c != '1');
        assert_eq!(k.literal, "沼隈町大字草深");
        assert_eq!(k.short, "沼隈町草深");
        assert_eq!(k.ends.len(), 7);
        assert_eq!(k.ends[6].0, "X沼隈町大字草深".len());
        let k = Keys::build(&f, "水沢區佐倉河", 0, 12, |_| true);
        assert_eq!(k.literal, "水沢区佐倉河");
        assert_eq!(k.short, "水沢佐倉河");
        // Before 大字 the old town's 町 stays: the table has the town so
        // (`神指町南四合`; `神指南四合` is not written).
        let k = Keys::build(&f, "神指町大字南四合", 0, 12, |_| true);
        assert_eq!(k.short, "神指町南四合");
        let k = Keys::build(&f, "菱刈町川北", 0, 12, |_| true);
        assert_eq!(k.short, "菱刈川北");
        // A 字 that starts the name, and a last 町, stay.
        let k = Keys::build(&f, "字上町", 0, 12, |_| true);
        assert_eq!(k.short, "字上町");
    }
}
