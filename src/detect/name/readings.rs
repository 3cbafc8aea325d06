//! The reading of a name part, chosen by source, and its initial.
//!
//! Sources, most trusted first:
//!
//! 1. a reading written next to the name (furigana: `山田（やまだ）`, a
//!    reading line, `フリガナ：`), which the detector passes in;
//! 2. the customer list's reading;
//! 3. UniDic's common reading of the surface for the part's role (its
//!    cheapest, confirmed by ENAMDICT or IPADIC: 充 ミツル, 達郎 タツロウ;
//!    `dictionaries/unidic_name_readings.bin`, built by
//!    `dictionaries/gen_name_readings.py`);
//! 4. IPADIC's person-name entry of the surface (its cheapest one), when
//!    IPADIC has the surface as a name of the part's role;
//! 5. ENAMDICT's best reading for the part's role ([`Gazetteer`]): a surname
//!    reading in the surname position, a given-name reading in the given
//!    position (`小鳥遊` タカナシ, `四月一日` ワタヌキ, `與那覇` ヨナハ,
//!    `颯太` ソウタ);
//! 6. IPADIC's person-name entry of another role, then ENAMDICT's reading
//!    of any person kind;
//! 7. IPADIC's reading of the word as the tokenizer read it (not a name
//!    reading: the last resort).
//!
//! A part no source can read has no initial: its initials are `＊.`.
//!
//! ```
//! use mask::detect::name::readings::{reading, Role, Sources, Source};
//!
//! let r = reading("小鳥遊", Role::Surname, &Sources::default()).unwrap();
//! assert_eq!((r.katakana.as_str(), r.source), ("タカナシ", Source::Common));
//! assert_eq!(r.initial(), Some('T'));
//! ```

use super::gazetteer::{lookup_in, Gazetteer, Kinds};
use super::table::SortedTable;

/// UniDic's common reading of a surname or given name (see the module docs).
static COMMON: SortedTable = SortedTable::new(include_bytes!(
    "../../../dictionaries/unidic_name_readings.bin"
));
use super::lexicon::{NameInfo, GIVEN, SURNAME};
use super::romaji;

/// Where a part stands in its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The surname (first part of a Japanese name).
    Surname,
    /// The given name.
    Given,
    /// Not known (a name written alone).
    Any,
}

impl Role {
    fn kinds(self) -> Kinds {
        match self {
            Role::Surname => Kinds::SURNAME,
            Role::Given => Kinds::GIVEN,
            Role::Any => Kinds::PERSON,
        }
    }

    fn ipadic_bits(self) -> u8 {
        match self {
            Role::Surname => SURNAME,
            Role::Given => GIVEN,
            Role::Any => u8::MAX,
        }
    }
}

/// Which source a reading came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Written next to the name.
    Furigana,
    /// The customer list.
    Customer,
    /// UniDic's common reading.
    Common,
    /// IPADIC's person-name entry.
    IpadicName,
    /// ENAMDICT.
    Enamdict,
    /// IPADIC's reading of an ordinary word.
    IpadicWord,
}

/// The readings the caller knows for a part.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sources<'a> {
    /// A reading written next to the name (kana).
    pub furigana: Option<&'a str>,
    /// The customer list's reading (kana).
    pub customer: Option<&'a str>,
    /// IPADIC's person-name entry of the surface.
    pub ipadic_name: Option<NameInfo>,
    /// IPADIC's reading of the surface's tokens as an ordinary word (kana).
    pub ipadic_word: Option<&'a str>,
}

/// A chosen reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    /// In katakana.
    pub katakana: String,
    /// Where it came from.
    pub source: Source,
}

impl Reading {
    /// The Hepburn initial of the reading (`ワタヌキ` → `W`).
    pub fn initial(&self) -> Option<char> {
        romaji::initial(&self.katakana)
    }
}

fn kana(s: &str) -> Option<String> {
    let k: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(romaji::to_katakana)
        .collect();
    (!k.is_empty() && k.chars().all(romaji::is_kana)).then_some(k)
}

/// The reading of the part `surface` in position `role`, from the first
/// source that has one (see the module docs), with the embedded ENAMDICT.
pub fn reading(surface: &str, role: Role, known: &Sources<'_>) -> Option<Reading> {
    reading_with(Gazetteer::embedded(), surface, role, known)
}

/// [`reading`] with a given gazetteer.
pub fn reading_with(
    gaz: &Gazetteer,
    surface: &str,
    role: Role,
    known: &Sources<'_>,
) -> Option<Reading> {
    let found = |k: Option<String>, source| k.map(|katakana| Reading { katakana, source });
    if let Some(r) = found(known.furigana.and_then(kana), Source::Furigana) {
        return Some(r);
    }
    if let Some(r) = found(known.customer.and_then(kana), Source::Customer) {
        return Some(r);
    }
    if let Some(r) = found(common_reading(surface, role), Source::Common) {
        return Some(r);
    }
    let ipadic = known
        .ipadic_name
        .filter(|n| !n.reading.is_empty())
        .map(|n| (n.kinds & role.ipadic_bits() != 0, n.reading));
    if let Some((true, r)) = ipadic {
        return found(kana(r), Source::IpadicName);
    }
    let entry = gaz.lookup(surface);
    if let Some(r) = entry.and_then(|e| e.first_reading(role.kinds())) {
        return found(Some(r), Source::Enamdict);
    }
    if let Some((false, r)) = ipadic {
        return found(kana(r), Source::IpadicName);
    }
    if let Some(r) = entry.and_then(|e| e.first_reading(Kinds::PERSON)) {
        return found(Some(r), Source::Enamdict);
    }
    // A kana surface reads as written.
    if let Some(r) = found(kana(surface), Source::IpadicWord) {
        return Some(r);
    }
    found(known.ipadic_word.and_then(kana), Source::IpadicWord)
}

/// UniDic's common reading of `surface` for `role` (for `Role::Any`, its
/// cheapest of either role), when ENAMDICT or IPADIC confirms it.
pub fn common_reading(surface: &str, role: Role) -> Option<String> {
    lookup_in(&COMMON, surface)?.first_reading(match role {
        Role::Surname => Kinds::SURNAME,
        Role::Given => Kinds::GIVEN,
        Role::Any => Kinds::PERSON,
    })
}

/// ENAMDICT's best reading of `surface` for `role`, else of any person
/// kind (`Role::Any`: the best reading whatever its kind).
pub fn enamdict_reading(surface: &str, role: Role) -> Option<String> {
    let e = Gazetteer::embedded().lookup(surface)?;
    e.first_reading(role.kinds())
        .or_else(|| e.first_reading(Kinds::PERSON))
}

/// The reading of `surface` in position `role` when `current` (a reading
/// chosen without knowing the position) is not one ENAMDICT gives the
/// surface in that position: UniDic's common reading for the role, else
/// ENAMDICT's best. `None` keeps `current` (it fits, the role is
/// [`Role::Any`], or no source has the surface in that role). A name written
/// alone is most often a surname (`信明:` シンミョウ as a chat speaker,
/// `鷹山さん` タカヤマ, not the given names ノブアキ and ヨウザン).
pub fn reading_for_role(surface: &str, role: Role, current: &str) -> Option<String> {
    if role == Role::Any {
        return None;
    }
    let entry = Gazetteer::embedded().lookup(surface);
    let fits = entry.as_ref().is_some_and(|e| {
        e.readings()
            .any(|r| r.kinds.contains(role.kinds()) && r.katakana == current)
    });
    if fits {
        return None;
    }
    common_reading(surface, role).or_else(|| entry.and_then(|e| e.first_reading(role.kinds())))
}

/// The Hepburn initial of the part (`None`: no source reads it, `＊.`).
pub fn initial(surface: &str, role: Role, known: &Sources<'_>) -> Option<char> {
    reading(surface, role, known).and_then(|r| r.initial())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::name::lexicon::Lexicon;

    fn ipadic(s: &str) -> Option<NameInfo> {
        Lexicon::embedded().unwrap().name(s)
    }

    #[test]
    fn initials_of_names_only_enamdict_reads() {
        // The targets of issue 11.
        for (s, role, i) in [
            ("小鳥遊", Role::Surname, 'T'),
            ("四月一日", Role::Surname, 'W'),
            ("與那覇", Role::Surname, 'Y'),
            ("颯太", Role::Given, 'S'),
            ("颯太", Role::Any, 'S'),
        ] {
            let known = Sources {
                ipadic_name: ipadic(s),
                ..Sources::default()
            };
            assert_eq!(initial(s, role, &known), Some(i), "{s}");
        }
        // 充: IPADIC's cheapest person entry is タカシ, but UniDic's common
        // reading ミツル (confirmed by ENAMDICT) comes first: M. (issue 11's
        // `白石 充`).
        assert_eq!(initial("充", Role::Given, &Sources::default()), Some('M'));
        let ipa = Sources {
            ipadic_name: ipadic("充"),
            ..Sources::default()
        };
        assert_eq!(initial("充", Role::Given, &ipa), Some('M'));
        assert_eq!(
            reading("充", Role::Given, &ipa).unwrap().source,
            Source::Common
        );
        let furi = Sources {
            furigana: Some("ミツル"),
            ..ipa
        };
        assert_eq!(initial("充", Role::Given, &furi), Some('M'));
    }

    #[test]
    fn sources_in_order_furigana_customer_ipadic_enamdict_word() {
        let s = "四月一日";
        let word = Sources {
            ipadic_word: Some("シガツツイタチ"),
            ..Sources::default()
        };
        // ENAMDICT beats the ordinary-word reading.
        let r = reading(s, Role::Surname, &word).unwrap();
        assert_eq!(
            (r.katakana.as_str(), r.source),
            ("ワタヌキ", Source::Enamdict)
        );
        let cust = Sources {
            customer: Some("つぼみ"),
            ..word
        };
        assert_eq!(
            reading(s, Role::Surname, &cust).unwrap().source,
            Source::Customer
        );
        let furi = Sources {
            furigana: Some("ワ タ ヌ キ"),
            ..cust
        };
        let r = reading(s, Role::Surname, &furi).unwrap();
        assert_eq!(
            (r.katakana.as_str(), r.source),
            ("ワタヌキ", Source::Furigana)
        );
        // UniDic's common reading comes before IPADIC's person entry.
        let n = ipadic("山田").unwrap();
        let known = Sources {
            ipadic_name: Some(n),
            ..Sources::default()
        };
        assert_eq!(
            reading("山田", Role::Surname, &known).unwrap(),
            Reading {
                katakana: "ヤマダ".to_string(),
                source: Source::Common
            }
        );
        // No source: no reading (the initials say ＊.).
        assert_eq!(reading("鬮鬮鬮", Role::Any, &Sources::default()), None);
        assert_eq!(
            reading(
                "鬮鬮鬮",
                Role::Any,
                &Sources {
                    furigana: Some("山"),
                    ..Sources::default()
                }
            ),
            None,
            "furigana that is not kana is no reading"
        );
    }

    #[test]
    fn the_position_picks_the_reading_kind() {
        // 千葉: surname チバ, and a female given name (ENAMDICT: ちよう (f)).
        let none = Sources::default();
        assert_eq!(
            reading("千葉", Role::Surname, &none).unwrap().katakana,
            "チバ"
        );
        let given = reading("千葉", Role::Given, &none).unwrap().katakana;
        assert_ne!(given, "", "a given-name reading");
        assert!(Gazetteer::embedded()
            .lookup("千葉")
            .unwrap()
            .readings()
            .any(|r| r.katakana == given && r.kinds.contains(Kinds::GIVEN)));
    }

    #[test]
    fn names_only_enamdict_reads_get_their_initials_in_masked_text() {
        // Before ENAMDICT: 小鳥遊 was K. (IPADIC read 小鳥 as コトリ), 與那覇
        // A.N. (split at its tokens), 颯太 ＊.F.
        let m = crate::Masker::builder().build().unwrap();
        let out = m.mask_str("小鳥遊様、與那覇様、中村颯太様").unwrap();
        assert_eq!(out.text, "T.様、Y.様、N.S.様");
    }
}
