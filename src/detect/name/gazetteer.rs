//! ENAMDICT person-name gazetteer: which surfaces are surnames, given names
//! or unclassified person names (and which are also places or companies),
//! with their kana readings; which readings a word written in Latin
//! letters can spell; and which texts are the full name of a particular
//! person (ENAMDICT's kind `h`: `青山圭秀`, `ジョージ・ソロス`, `George Soros`).
//!
//! The tables are `dictionaries/enamdict_names.bin`,
//! `dictionaries/enamdict_readings.bin` and
//! `dictionaries/enamdict_persons.bin`, built from the Debian package
//! `enamdict` by `dictionaries/gen_names_table.py` (EDRDG licence, CC BY-SA;
//! see `dictionaries/README.md`) and embedded with `include_bytes!`. Nothing
//! is parsed at start-up: both are sorted records searched by binary search
//! ([`super::table::SortedTable`]; its index of record starts is built on
//! a table's first lookup).
//!
//! ```
//! use mask::detect::name::gazetteer::{Gazetteer, Kinds};
//!
//! let g = Gazetteer::embedded();
//! let e = g.lookup("小鳥遊").unwrap();
//! assert!(e.kinds().contains(Kinds::SURNAME));
//! assert_eq!(e.first_reading(Kinds::SURNAME).as_deref(), Some("タカナシ"));
//! assert!(g.romaji("Mituru").contains(Kinds::GIVEN));
//! ```
//!
//! Record layouts (one record a line, sorted byte-wise by key):
//!
//! - names: `SURFACE \t FLAGS (KINDS KANA*)* \n`: FLAGS is `0x80 |` the kinds
//!   of every ENAMDICT entry of the surface, each reading one KINDS byte
//!   (`0x80 |` its entry's kinds) and its kana, one byte a kana
//!   ([`decode_kana`]); an empty reading is the surface itself (a kana
//!   name). Readings come best first (see the script).
//! - readings: `KANA* \t KINDS \n`, the union of the kinds of a reading's
//!   person entries.
//! - persons: `KEY \t SPLIT \n`: a full name (kind `h`) with `・`, `＝`, `=`
//!   and spaces removed (`バーソロミューロバーツ`), or a katakana name's
//!   romaji lower-cased without spaces (`georgesoros`); SPLIT is `0x80 |`
//!   the characters of its surname part when known (`青山|圭秀`: 2), else
//!   `0x80` ([`FullName`]).

use super::romaji;
use super::table::SortedTable;

static NAMES: SortedTable =
    SortedTable::new(include_bytes!("../../../dictionaries/enamdict_names.bin"));
static READINGS: SortedTable = SortedTable::new(include_bytes!(
    "../../../dictionaries/enamdict_readings.bin"
));
static PERSONS: SortedTable =
    SortedTable::new(include_bytes!("../../../dictionaries/enamdict_persons.bin"));

/// What the full-name table says of a key (see [`Gazetteer::full_name`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FullName {
    /// No full name is or begins with the key.
    None,
    /// The key begins a longer full name only (`青山` of `青山圭秀`).
    Prefix,
    /// The key is a full name; `surname_chars` is how many of its first
    /// characters are the surname (0 when ENAMDICT does not tell).
    Name {
        /// Characters of the surname part (`青山圭秀`: 2).
        surname_chars: u8,
    },
}

/// What ENAMDICT says a name is: a set of kinds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Kinds(u8);

impl Kinds {
    /// No kind.
    pub const NONE: Kinds = Kinds(0);
    /// A surname (`s`).
    pub const SURNAME: Kinds = Kinds(1);
    /// A given name of either sex (`g`).
    pub const GIVEN_ANY: Kinds = Kinds(2);
    /// A male given name (`m`).
    pub const MALE: Kinds = Kinds(4);
    /// A female given name (`f`).
    pub const FEMALE: Kinds = Kinds(8);
    /// A given name of any kind (`g`, `m` or `f`).
    pub const GIVEN: Kinds = Kinds(2 | 4 | 8);
    /// A person's name not classified as surname or given name (`u`).
    pub const UNCLASSIFIED: Kinds = Kinds(16);
    /// Any person kind.
    pub const PERSON: Kinds = Kinds(1 | 2 | 4 | 8 | 16);
    /// A place name (`p`).
    pub const PLACE: Kinds = Kinds(32);
    /// A company name (`c`).
    pub const COMPANY: Kinds = Kinds(64);

    /// The raw bits (s=1 g=2 m=4 f=8 u=16 p=32 c=64).
    pub fn bits(self) -> u8 {
        self.0
    }

    /// True when `self` and `other` share a kind.
    pub fn contains(self, other: Kinds) -> bool {
        self.0 & other.0 != 0
    }

    /// True when no kind is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Both sets.
    pub fn union(self, other: Kinds) -> Kinds {
        Kinds(self.0 | other.0)
    }

    fn from_byte(b: u8) -> Kinds {
        Kinds(b & 0x7F)
    }
}

impl std::ops::BitOr for Kinds {
    type Output = Kinds;

    fn bitor(self, o: Kinds) -> Kinds {
        self.union(o)
    }
}

/// One reading of a surface and the kinds of its entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    /// What the surface is with this reading (`白石` シライシ: surname and
    /// place).
    pub kinds: Kinds,
    /// The reading in katakana.
    pub katakana: String,
}

/// A surface found in the gazetteer.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    surface: &'a str,
    kinds: Kinds,
    readings: &'a [u8],
}

impl<'a> Entry<'a> {
    /// The entry of a names-table record: its key and what follows the tab.
    fn of_record(key: &'a [u8], rest: &'a [u8]) -> Option<Entry<'a>> {
        let (&flags, readings) = rest.split_first()?;
        Some(Entry {
            surface: std::str::from_utf8(key).ok()?,
            kinds: Kinds::from_byte(flags),
            readings,
        })
    }

    /// The surface as the table writes it.
    pub fn surface(&self) -> &'a str {
        self.surface
    }

    /// Every kind of the surface, place and company included.
    pub fn kinds(&self) -> Kinds {
        self.kinds
    }

    /// True for a surname of ENAMDICT.
    pub fn is_surname(&self) -> bool {
        self.kinds.contains(Kinds::SURNAME)
    }

    /// True for a given name of ENAMDICT.
    pub fn is_given(&self) -> bool {
        self.kinds.contains(Kinds::GIVEN)
    }

    /// The person readings, best first.
    pub fn readings(&self) -> Readings<'a> {
        Readings {
            rest: self.readings,
            surface: self.surface,
        }
    }

    /// The best reading whose entry has a kind of `role` (a surname reading
    /// for a surname position, a given-name reading for a given name).
    pub fn first_reading(&self, role: Kinds) -> Option<String> {
        self.readings()
            .find(|r| r.kinds.contains(role))
            .map(|r| r.katakana)
    }
}

/// The readings of an [`Entry`], best first.
#[derive(Clone, Debug)]
pub struct Readings<'a> {
    rest: &'a [u8],
    surface: &'a str,
}

impl Iterator for Readings<'_> {
    type Item = Reading;

    fn next(&mut self) -> Option<Reading> {
        let (&k, tail) = self.rest.split_first()?;
        let n = tail.iter().position(|&b| b >= 0x80).unwrap_or(tail.len());
        let kana = &tail[..n];
        self.rest = &tail[n..];
        Some(Reading {
            kinds: Kinds::from_byte(k),
            katakana: if kana.is_empty() {
                self.surface.chars().map(romaji::to_katakana).collect()
            } else {
                decode_kana(kana)
            },
        })
    }
}

/// The embedded ENAMDICT tables.
#[derive(Debug)]
pub struct Gazetteer {
    names: &'static SortedTable,
    readings: &'static SortedTable,
    persons: &'static SortedTable,
}

static EMBEDDED: Gazetteer = Gazetteer {
    names: &NAMES,
    readings: &READINGS,
    persons: &PERSONS,
};

impl Gazetteer {
    /// The gazetteer embedded in the binary (nothing is loaded or parsed).
    pub fn embedded() -> &'static Gazetteer {
        &EMBEDDED
    }

    /// The entry of a surface (as normalized text writes it: `與那覇`,
    /// `颯太`), if ENAMDICT has it as a person name.
    pub fn lookup(&self, surface: &str) -> Option<Entry<'static>> {
        let (key, rest) = self.names.find(surface.as_bytes())?;
        Entry::of_record(key, rest)
    }

    /// Every surface of the names table with its entry, in byte order of
    /// the surfaces (for tools that need the list: the corpus generator
    /// draws held-out person names from it).
    pub fn entries(&self) -> impl Iterator<Item = Entry<'static>> {
        let names: &'static [u8] = self.names.bytes();
        names.split(|&b| b == b'\n').filter_map(|rec| {
            let tab = memchr::memchr(b'\t', rec)?;
            Entry::of_record(&rec[..tab], &rec[tab + 1..])
        })
    }

    /// Whether `key` is the full name of a particular person (ENAMDICT's
    /// kind `h`), or begins one. The key is text with `・`, `＝`, `=` and
    /// spaces removed (`ジョージソロス`, `足利尊氏`), or Latin letters
    /// lower-cased without spaces (`georgesoros`); see [`full_name_key`].
    pub fn full_name(&self, key: &str) -> FullName {
        let key = key.as_bytes();
        if key.is_empty() {
            return FullName::None;
        }
        let t = self.persons.bytes();
        let lo = self.persons.lower_bound(key);
        let Some(rest) = t.get(lo..) else {
            return FullName::None;
        };
        let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        let rec = &rest[..end];
        let Some(tab) = memchr::memchr(b'\t', rec) else {
            return FullName::None;
        };
        if &rec[..tab] == key {
            FullName::Name {
                surname_chars: rec.get(tab + 1).map_or(0, |b| b & 0x7F),
            }
        } else if rec.starts_with(key) {
            FullName::Prefix
        } else {
            FullName::None
        }
    }

    /// Where a kanji full name written as one word splits into an ENAMDICT
    /// surname and an ENAMDICT given name (`義栄奈々` → `義栄` + `奈々`): the
    /// byte offset of the given name. `None` when the surface is one known
    /// name itself, is shorter than three characters, or has no such split.
    /// Two-character surnames are tried first (the commonest length), then
    /// three, one and four; a one-character given name only after a surname
    /// of two or more.
    ///
    /// ```
    /// use mask::detect::name::gazetteer::Gazetteer;
    ///
    /// let g = Gazetteer::embedded();
    /// assert_eq!(g.split_full_name("岩亀喜壱郎"), Some("岩亀".len()));
    /// assert_eq!(g.split_full_name("佐藤"), None);
    /// ```
    pub fn split_full_name(&self, surface: &str) -> Option<usize> {
        let cuts: Vec<usize> = surface.char_indices().map(|(i, _)| i).skip(1).collect();
        let n = cuts.len() + 1;
        if n < 3
            || self
                .lookup(surface)
                .is_some_and(|e| e.kinds().contains(Kinds::PERSON))
        {
            return None;
        }
        [2usize, 3, 1, 4].into_iter().find_map(|sur| {
            let at = *cuts.get(sur.checked_sub(1)?)?;
            let given_chars = n - sur;
            let ok = (given_chars >= 2 || sur >= 2)
                && self.lookup(&surface[..at]).is_some_and(|e| e.is_surname())
                && self.lookup(&surface[at..]).is_some_and(|e| e.is_given());
            ok.then_some(at)
        })
    }

    /// The kinds of the person names read `reading` (kana, either script).
    pub fn reading_kinds(&self, reading: &str) -> Kinds {
        let mut key = Vec::with_capacity(reading.len() / 3);
        for c in reading.chars() {
            match encode_kana(romaji::to_katakana(c)) {
                Some(b) => key.push(b),
                None => return Kinds::NONE,
            }
        }
        self.readings
            .find(&key)
            .and_then(|(_, v)| v.first().copied())
            .map_or(Kinds::NONE, Kinds::from_byte)
    }

    /// The kinds of the person names a word in Latin letters can spell:
    /// Hepburn, Kunrei and Nihon-shiki spellings, long vowels written or not
    /// (`Sota`, `Souta`, `Sōta` → ソウタ; `Mituru` → ミツル), see
    /// [`romaji::kana_spellings`].
    pub fn romaji(&self, word: &str) -> Kinds {
        let mut spellings = Vec::new();
        romaji::kana_spellings(word, &mut spellings);
        spellings
            .iter()
            .fold(Kinds::NONE, |k, s| k.union(self.reading_kinds(s)))
    }
}

/// The entry of `surface` in another table of the names-table layout
/// (UniDic's common readings, `readings.rs`): its roles and readings.
pub fn lookup_in(table: &'static SortedTable, surface: &str) -> Option<Entry<'static>> {
    let (key, rest) = table.find(surface.as_bytes())?;
    Entry::of_record(key, rest)
}

/// Appends `part` (a token of a name) to a [`Gazetteer::full_name`] key:
/// `・`, `＝`, `=` and whitespace left out, Latin letters lower-cased.
pub fn full_name_key(key: &mut String, part: &str) {
    for c in part.chars() {
        if matches!(c, '・' | '＝' | '=') || c.is_whitespace() {
            continue;
        }
        key.push(c.to_ascii_lowercase());
    }
}

/// First kana code: `ァ` (U+30A1) .. `ヺ` (U+30FA) are `0x20` .. `0x79`.
const KANA_BASE: u8 = 0x20;

fn encode_kana(c: char) -> Option<u8> {
    match c {
        'ァ'..='ヺ' => Some(KANA_BASE + (c as u32 - 0x30A1) as u8),
        'ー' => Some(0x7A),
        'ヽ' => Some(0x7B),
        'ヾ' => Some(0x7C),
        _ => None,
    }
}

/// Decodes the one-byte kana of the tables to katakana.
pub fn decode_kana(bytes: &[u8]) -> String {
    bytes
        .iter()
        .filter_map(|&b| match b {
            0x20..=0x79 => char::from_u32(0x30A1 + u32::from(b - KANA_BASE)),
            0x7A => Some('ー'),
            0x7B => Some('ヽ'),
            0x7C => Some('ヾ'),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings(s: &str) -> Vec<(String, Kinds)> {
        Gazetteer::embedded()
            .lookup(s)
            .map(|e| e.readings().map(|r| (r.katakana, r.kinds)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn surnames_given_names_and_places_are_told_apart() {
        let g = Gazetteer::embedded();
        let e = g.lookup("四月一日").unwrap();
        assert!(e.is_surname() && !e.is_given());
        assert_eq!(e.first_reading(Kinds::SURNAME).as_deref(), Some("ワタヌキ"));
        let e = g.lookup("翔太").unwrap();
        assert!(e.is_given() && !e.is_surname());
        assert!(e.kinds().contains(Kinds::MALE));
        // 千葉: a surname, a given name and a place (ENAMDICT: (p,s,f) ちば).
        let e = g.lookup("千葉").unwrap();
        assert!(e.is_surname() && e.kinds().contains(Kinds::PLACE));
        assert_eq!(e.first_reading(Kinds::SURNAME).as_deref(), Some("チバ"));
        // 颯太 is only an unclassified person name.
        let e = g.lookup("颯太").unwrap();
        assert_eq!(e.kinds(), Kinds::UNCLASSIFIED);
        assert_eq!(e.first_reading(Kinds::PERSON).as_deref(), Some("ソウタ"));
        // A word that is no name at all, and a place with no person entry.
        assert!(g.lookup("報告書").is_none());
        assert!(g.lookup("").is_none());
        assert!(g
            .lookup("与那覇岳")
            .is_some_and(|e| !e.is_surname() && !e.is_given()));
    }

    #[test]
    fn entries_list_every_surface_once_in_order_and_each_looks_up_itself() {
        let g = Gazetteer::embedded();
        let all: Vec<Entry<'static>> = g.entries().collect();
        assert!(all.len() > 300_000, "{} surfaces", all.len());
        assert!(all.windows(2).all(|w| w[0].surface() < w[1].surface()));
        for e in all.iter().step_by(997) {
            let l = g.lookup(e.surface()).expect("a listed surface looks up");
            assert_eq!(l.kinds(), e.kinds());
            assert_eq!(l.readings().count(), e.readings().count());
        }
        assert!(all
            .iter()
            .any(|e| e.surface() == "小鳥遊" && e.is_surname()));
    }

    #[test]
    fn the_common_reading_comes_first() {
        // ENAMDICT lists 充 あつし (u), あつる (g), … みつる (m,f): the reading
        // it tags with more kinds wins.
        let g = Gazetteer::embedded();
        assert_eq!(
            g.lookup("充")
                .unwrap()
                .first_reading(Kinds::GIVEN)
                .as_deref(),
            Some("ミツル")
        );
        // 山田: ENAMDICT tags both やまた and やまだ (p,s); either reads Y.
        let yamada = g
            .lookup("山田")
            .unwrap()
            .first_reading(Kinds::SURNAME)
            .unwrap();
        assert!(yamada.starts_with("ヤマ"), "{yamada}");
        assert!(readings("山田").iter().any(|(k, kinds)| k == "ヤマダ"
            && kinds.contains(Kinds::SURNAME)
            && kinds.contains(Kinds::PLACE)));
        assert_eq!(
            g.lookup("與那覇")
                .unwrap()
                .first_reading(Kinds::SURNAME)
                .as_deref(),
            Some("ヨナハ")
        );
        // Every reading of 佐藤 is there, kinds attached.
        let r = readings("佐藤");
        assert!(r.len() >= 5, "{r:?}");
        assert!(r
            .iter()
            .any(|(k, kinds)| k == "サトウ" && kinds.contains(Kinds::PLACE)));
    }

    #[test]
    fn full_names_of_particular_persons_are_keyed_without_joiners() {
        let g = Gazetteer::embedded();
        let key = |parts: &[&str]| {
            let mut k = String::new();
            for p in parts {
                full_name_key(&mut k, p);
            }
            g.full_name(&k)
        };
        assert_eq!(key(&["青山", "圭秀"]), FullName::Name { surname_chars: 2 });
        assert_eq!(
            key(&["足利", "　", "尊氏"]),
            FullName::Name { surname_chars: 2 }
        );
        assert_eq!(key(&["青山"]), FullName::Prefix);
        // ENAMDICT writes ジョージソロス; text writes it with `・`.
        assert!(matches!(
            key(&["ジョージ", "・", "ソロス"]),
            FullName::Name { .. }
        ));
        assert!(matches!(
            key(&["バーソロミュー・ロバーツ"]),
            FullName::Name { .. }
        ));
        assert!(matches!(
            key(&["George", " ", "Soros"]),
            FullName::Name { .. }
        ));
        for w in ["報告", "丁寧", "毎月", "大学", "一人", "天神", ""] {
            assert!(!matches!(key(&[w]), FullName::Name { .. }), "{w}");
        }
        assert_eq!(key(&["報告書"]), FullName::None);
    }

    #[test]
    fn kana_names_read_as_written() {
        let r = readings("さくら");
        assert!(
            r.iter()
                .any(|(k, kinds)| k == "サクラ" && kinds.contains(Kinds::FEMALE)),
            "{r:?}"
        );
    }

    #[test]
    fn latin_names_in_hepburn_kunrei_and_with_long_vowels() {
        let g = Gazetteer::embedded();
        for w in ["Sota", "Souta", "Sōta", "Mitsuru", "Mituru", "Hina"] {
            assert!(g.romaji(w).contains(Kinds::GIVEN), "{w}");
        }
        for w in [
            "Fujita",
            "Huzita",
            "Shiraishi",
            "Siraisi",
            "Yonaha",
            "Takanashi",
            "SATOH",
            "Ohno",
        ] {
            assert!(g.romaji(w).contains(Kinds::SURNAME), "{w}");
        }
        for w in ["Xq", "the", "mask", "1234"] {
            assert!(!g.romaji(w).contains(Kinds::SURNAME | Kinds::GIVEN), "{w}");
        }
        assert_eq!(g.reading_kinds("みつる"), g.reading_kinds("ミツル"));
    }

    #[test]
    fn tables_are_sorted_so_binary_search_finds_every_record() {
        for table in [&NAMES, &READINGS, &PERSONS] {
            let keys: Vec<&[u8]> = table
                .bytes()
                .split(|&b| b == b'\n')
                .filter(|r| !r.is_empty())
                .map(|r| &r[..memchr::memchr(b'\t', r).unwrap()])
                .collect();
            assert!(keys.windows(2).all(|w| w[0] < w[1]));
            for k in keys.iter().step_by(997) {
                assert!(table.find(k).is_some());
            }
        }
    }
}
