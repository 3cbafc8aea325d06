//! Japanese postal addresses (住所), with the prefecture they lie in.
//!
//! # What is an address
//!
//! An address is a *chain* of administrative names — a prefecture (東京都),
//! then one or more municipalities (渋谷区, 札幌市中央区, 虻田郡倶知安町), a
//! single space allowed between them — followed by the *rest*: the town
//! (渋谷, 大字大原, 丸の内), the block numbers in any common spelling (`2-21-1`,
//! `2丁目21番1号`, `二丁目二十一番一号`, `１１４１番地の６`; full-width digits and
//! hyphens are already folded by the normalized view) and the building and
//! room (`渋谷ヒカリエ34F`, `ハイツ山田 101号室`, `KDXビル 905`).
//!
//! Prefecture, municipality and town names come from tables generated from
//! Japan Post data (see `dictionaries/README.md`) and embedded at compile
//! time: `municipalities.tsv` (every municipality, district, Tokyo ward and
//! designated-city ward, whole and in parts, with the prefectures and the
//! cities that have it), `postal_prefix.tsv` (postal-code prefix →
//! prefectures), `cities.tsv` (Japan Post's municipalities, one id each) and
//! `towns.tsv` (every town with the cities having it, searched in place by
//! [`towns::prefixes`]). A prefecture may be written without its suffix
//! (`東京港区…`, `岩手花巻市…`).
//!
//! A chain alone is not an address (東京で会議, 大阪支社, 福岡出張, 渋谷区の
//! 会議室, 横浜市). A candidate needs a municipality and *evidence*: block
//! numbers in the rest (a number followed by `丁目`/`番`/`号`/`条`,
//! digits-hyphen-digits, a chome in kanji before a hyphen `四-2-27`, `3の5`,
//! `2の甲1994`), a Kyoto street direction (`錦小路通大宮東入`), a number
//! right after a town of that municipality from the table (`芋沢66`,
//! `串本 833`; not before a unit: `3人`), a number ending a town written with
//! `大字`/`字` (`大字永水4962`, `字新得基線1`), a postal code just before it,
//! or a label (`住所`, `ご住所`, `送付先`, `お届け先`, `場所`, `所在地`). The
//! town from the table is taken whole (`美しが丘`: its し is no particle).
//!
//! A number may follow a koaza or lot letter after the town (`千代東原39`,
//! `伊香保甲8`, `山岸町は1番`). Without any number, a chain and a town of
//! its last municipality (maybe a koaza, a lot number in kanji
//! `串本千二百三十四`, or `字` and a name) that end the line or cell are a
//! town-level address (`鹿児島市山下町`); so is an unknown town and its
//! number alone after the chain (`長野東之門町2462`). Towns are looked up
//! with old and variant kanji folded and `大字`/`字`/an old ward's `区`
//! dropped inside them (see [`fold`]); a municipality name that no city of
//! the chain so far has ends the chain (`新宿区信濃町`: a town).
//!
//! Without any chain, a line or cell (after a line break, tab, comma, quote,
//! `|` or label colon) that starts with a town from the table and holds
//! nothing but the town, at most a short koaza, block numbers and a building
//! is an address too (`汲沢町1154`, `脇町猪尻西上野61-1`, `中根533`); a town
//! in prose is not (`中根533にて`, `渋谷駅 2番線`). A one-character town
//! needs strong block numbers (`芝2丁目7-15`) or a lot number of three
//! digits or more alone (`森2571`); a merged town's old name may precede the
//! town (`灘崎町片岡207`); a building and its floor may stand for the block
//! after a town (`北魚屋東町奈良女子大学…センター3F`). A prefecture without a
//! municipality is never a candidate: the `prefecture` rule would keep it
//! anyway, and what the rule leaves of an address (`東京都`) must not be
//! found again (masking is idempotent).
//!
//! # Span and hint
//!
//! The span runs from the first name of the chain through the building and
//! room, and starts at the postal code (with its `〒`) when one stands right
//! before the address — on the same line, or alone on the line above as in a
//! signature block. The resolver then prefers the address (it covers the
//! postal code's candidate) and the whole `〒150-0002 東京都渋谷区…34F`
//! becomes `東京都`.
//!
//! The hint is the prefecture: the one written (with or without suffix),
//! else the only prefecture having the first municipality (渋谷区 → 東京都,
//! 大垣市 → 岐阜県). A name several prefectures have (府中市, 北区, 伊達市)
//! is narrowed by the postal code's first three digits, then by the town
//! (府中市宮西町 is only Tokyo's), and a designated city before the ward
//! (大阪市北区) is matched as one name; a town alone gives the prefectures of
//! the cities having it. When still ambiguous the hint is `None` and the
//! rule writes the label `[住所]`.
//!
//! # Performance
//!
//! The automaton is never run over the whole text (over Japanese text it has
//! no fast prefilter). Candidates are searched only around *anchors*: digit
//! runs followed by a block unit or `-digit` (from the shared digit runs),
//! `丁目`/`番地` and the labels (from the shared [`super::anchors`] pass), and
//! postal-code-shaped digit runs.
//! Numbers ending a word after Japanese text (`芋沢66`, `基線1`) are block
//! anchors too. From a block anchor the detector looks back at most [`MAX_BACK`]
//! characters on the same line for the chain; from a label or postal code it
//! tries an anchored match. Everything it looks at lies within a few hundred
//! bytes of the anchor, far inside [`super::MAX_CONTEXT`].
//!
//! A block anchor whose region holds no municipality suffix (市, 区, 町, 村,
//! 郡 — every municipality name ends with one) skips the automaton: card
//! and phone numbers after Japanese text are anchors too, and most anchors
//! are such. It is then only looked at as a town starting its line or cell
//! (at most [`MAX_CELL`] characters back, a few binary searches).
//!
//! The ends of lines and cells after Japanese text (memchr) are anchors
//! too, for town-level addresses; they pass the same suffix check.
//!
//! Measured with callgrind on 5 MB of `examples/bench_text` (`mask -j1`,
//! names off, 2026-12-02): the detector costs 19.3 instructions per byte
//! (most of it town lookups from numbers starting a cell), building it about
//! 73M instructions (~15 ms, mostly the name automaton).

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use super::anchors::JaWord;
use super::postal::PREFECTURES;
use super::{Candidate, Detector, Haystack};
use crate::span::{Category, Span};

/// `name<TAB>prefecture[,prefecture...]`, generated from Japan Post data.
const MUNICIPALITIES: &str = include_str!("../../dictionaries/municipalities.tsv");
/// `NNN<TAB>prefecture[,prefecture...]`, generated from Japan Post data.
const POSTAL_PREFIX: &str = include_str!("../../dictionaries/postal_prefix.tsv");
/// `city<TAB>prefecture`, one Japan Post municipality a line: its id is the
/// line number.
const CITIES: &str = include_str!("../../dictionaries/cities.tsv");
/// `town<TAB>id[,id...]`, sorted by bytes: searched in place (see [`towns`]).
const TOWNS: &str = include_str!("../../dictionaries/towns.tsv");

/// Most characters looked at backwards from a block anchor for the chain.
pub const MAX_BACK: usize = 64;
/// Most characters of the rest (town, block, building) after the chain.
const MAX_REST: usize = 48;
/// Most characters of one space-separated building or room word.
const MAX_WORD: usize = 24;
/// Most space-separated words after the rest.
const MAX_WORDS: usize = 3;
/// Most names in a chain.
const MAX_CHAIN: usize = 4;
/// Most characters of a town name looked up (the longest in the table have
/// 22; all but 60 of 80,000 have at most 12).
const MAX_TOWN: usize = 12;
/// Most characters between a town starting a line and its block numbers
/// (a koaza: `脇町猪尻西上野61-1`).
const MAX_KOAZA: usize = 6;
/// Most characters looked at backwards from an anchor for the start of its
/// line or cell.
const MAX_CELL: usize = 40;

/// Labels that announce an address.
const LABELS: [&str; 8] = [
    "住所",
    "送付先",
    "届け先",
    "届先",
    "送り先",
    "配送先",
    "場所",
    "所在地",
];

/// Words that end an address when they follow it on the same line: ASCII
/// ones match a whole word (any case), Japanese ones its start.
const STOP_WORDS_ASCII: [&str; 8] = [
    "tel", "fax", "phone", "mail", "e-mail", "email", "url", "mobile",
];
const STOP_WORDS_JA: [&str; 6] = ["電話", "携帯", "担当", "連絡先", "電話番号", "宛"];

/// A set of prefectures: bit `i` is `PREFECTURES[i]`.
type Prefs = u64;

/// What a pattern of the automaton names.
#[derive(Clone, Copy, Debug)]
struct Entry {
    prefs: Prefs,
    is_prefecture: bool,
    /// The cities (ids into `CITIES`) the name may stand for: a range of
    /// [`AddressDetector::city_ids`].
    cities: (u32, u32),
}

/// Finds Japanese addresses and the prefecture they lie in.
///
/// Build it once with `AddressDetector::default()` (it parses the embedded
/// tables and compiles the automaton) and share it.
#[derive(Debug)]
pub struct AddressDetector {
    /// Prefectures and municipalities, leftmost-longest, anchored or not.
    names: AhoCorasick,
    /// Per pattern of `names`.
    entries: Vec<Entry>,
    /// Postal-code prefix (0..1000) → prefectures (0 when unknown).
    postal: Vec<Prefs>,
    /// The cities of every entry, one range each.
    city_ids: Vec<u16>,
    /// City id → its prefecture.
    city_prefs: Vec<Prefs>,
    /// Old and variant kanji folded before a town is looked up.
    folder: fold::Folder,
}

impl Default for AddressDetector {
    fn default() -> Self {
        AddressDetector::new()
    }
}

/// The bit of a prefecture name.
fn pref_bit(name: &str) -> Option<Prefs> {
    PREFECTURES
        .iter()
        .position(|p| *p == name)
        .map(|i| 1u64 << i)
}

/// Parses `key<TAB>pref,pref[<TAB>rest]` lines.
fn parse_table(table: &'static str) -> impl Iterator<Item = (&'static str, Prefs)> {
    parse_table_rest(table).map(|(key, bits, _)| (key, bits))
}

/// Parses `key<TAB>pref,pref[<TAB>rest]` lines, with the rest (`""` if none).
fn parse_table_rest(
    table: &'static str,
) -> impl Iterator<Item = (&'static str, Prefs, &'static str)> {
    table.lines().filter(|l| !l.is_empty()).map(|line| {
        let (key, prefs) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("embedded table: no tab in {line:?}"));
        let (prefs, rest) = prefs.split_once('\t').unwrap_or((prefs, ""));
        let bits = prefs.split(',').fold(0, |acc, p| {
            acc | pref_bit(p).unwrap_or_else(|| panic!("embedded table: unknown prefecture {p:?}"))
        });
        (key, bits, rest)
    })
}

/// A comma-separated list of city ids.
fn ids(list: &str) -> impl Iterator<Item = u16> + '_ {
    list.split(',').filter_map(|n| n.parse().ok())
}

/// A prefecture's name without its suffix, as addresses also write it
/// (`東京`, `大阪`, `神奈川`; `北海道` has none).
fn short_name(pref: &str) -> Option<&str> {
    pref.strip_suffix(['都', '府', '県'])
}

impl AddressDetector {
    /// Parses the embedded tables and compiles the automaton.
    ///
    /// # Panics
    ///
    /// Only if the embedded tables are malformed, which the unit tests rule
    /// out; nothing here depends on input.
    pub fn new() -> AddressDetector {
        let mut patterns: Vec<std::borrow::Cow<'static, str>> = Vec::new();
        let mut entries = Vec::new();
        let prefecture = |i: usize| Entry {
            prefs: 1 << i,
            is_prefecture: true,
            cities: (0, 0),
        };
        for (i, p) in PREFECTURES.iter().enumerate() {
            patterns.push((*p).into());
            entries.push(prefecture(i));
            if let Some(short) = short_name(p) {
                patterns.push(short.into());
                entries.push(prefecture(i));
            }
        }
        let mut city_ids = Vec::new();
        for (name, prefs, list) in parse_table_rest(MUNICIPALITIES) {
            let start = city_ids.len() as u32;
            city_ids.extend(ids(list));
            let entry = Entry {
                prefs,
                is_prefecture: false,
                cities: (start, city_ids.len() as u32),
            };
            // 巿 (U+5DFF) looks like 市 and is typed for it (`巿川巿`): the
            // name is also found written with it. Towns fold it (see
            // `fold`), so the rest of the address is read as well.
            if name.contains('市') {
                patterns.push(name.replace('市', "巿").into());
                entries.push(entry);
            }
            patterns.push(name.into());
            entries.push(entry);
        }
        let city_prefs = parse_table(CITIES).map(|(_, p)| p).collect();
        let names = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            // Only ever run over a few hundred bytes around an anchor: a
            // contiguous NFA is small and quick to build (a DFA of 3,300
            // names took ~15 ms).
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(patterns.iter().map(|p| p.as_bytes()))
            .expect("the embedded name tables compile");
        let mut postal = vec![0; 1000];
        for (prefix, prefs) in parse_table(POSTAL_PREFIX) {
            let n: usize = prefix
                .parse()
                .unwrap_or_else(|_| panic!("embedded table: bad prefix {prefix:?}"));
            postal[n % 1000] = prefs;
        }
        AddressDetector {
            names,
            entries,
            postal,
            city_ids,
            city_prefs,
            folder: fold::Folder::new(),
        }
    }

    /// The cities a municipality entry may stand for, within `prefs`.
    fn cities_of(&self, e: &Entry, prefs: Prefs) -> impl Iterator<Item = u16> + '_ {
        self.city_ids[e.cities.0 as usize..e.cities.1 as usize]
            .iter()
            .copied()
            .filter(move |&c| self.city_prefs[usize::from(c)] & prefs != 0)
    }

    /// The longest town at `p` (after an optional `大字`/`字`) of a city
    /// `allowed` accepts, at least `min_chars` long: its end and the
    /// prefectures of the accepted cities having it.
    fn town_at(
        &self,
        text: &str,
        p: usize,
        min_chars: usize,
        allowed: impl Fn(u16) -> bool,
    ) -> Option<(usize, Prefs)> {
        let mut q = p;
        for aza in ["大字", "字"] {
            if text[q..].starts_with(aza) {
                q += aza.len();
                break;
            }
        }
        let keys = fold::Keys::build(&self.folder, text, q, MAX_TOWN + 3, is_town_char);
        // (characters taken, end in the text, cities) of every prefix that
        // is a town: the literal key's, then the short key's. No town ends
        // with a digit but 22 odd ones (`大沓3`): the digits are the block,
        // and their lookups are saved.
        let digit_end = |k: &str| k.ends_with(|c: char| c.is_ascii_digit());
        let lit_ends: Vec<usize> = keys
            .ends
            .iter()
            .map(|e| e.1)
            .filter(|&l| !digit_end(&keys.literal[..l]))
            .collect();
        let mut found: Vec<(usize, usize, &str)> = Vec::new();
        for (len, list) in towns::prefixes(TOWNS, &keys.literal, &lit_ends) {
            if let Some(n) = keys.ends.iter().position(|e| e.1 == len) {
                found.push((n, keys.ends[n].0, list));
            }
        }
        if keys.short != keys.literal {
            // A short prefix at the first character that ends it (a
            // dropped `字` ends two prefixes alike: the town is the shorter,
            // `胆沢南都田` before `字加賀谷地`).
            let mut short_ends: Vec<usize> = keys.ends.iter().map(|e| e.2).collect();
            short_ends.dedup();
            short_ends.retain(|&l| l > 0 && !digit_end(&keys.short[..l]));
            for (len, list) in towns::prefixes(TOWNS, &keys.short, &short_ends) {
                if let Some(n) = keys.ends.iter().position(|e| e.2 == len) {
                    if keys.short[..len] != keys.literal[..keys.ends[n].1] {
                        found.push((n, keys.ends[n].0, list));
                    }
                }
            }
        }
        // Longest first; the literal key before the short one.
        found.sort_by_key(|&(n, _, _)| std::cmp::Reverse(n));
        for (n, end, list) in found {
            if n + 1 < min_chars {
                break;
            }
            let prefs = ids(list)
                .filter(|&c| allowed(c))
                .fold(0, |acc, c| acc | self.city_prefs[usize::from(c)]);
            if prefs != 0 {
                return Some((end, prefs));
            }
        }
        None
    }

    /// The town right after a chain (one space allowed), of the cities its
    /// last municipality may stand for.
    fn town_after_chain(&self, text: &str, chain: &Chain) -> Option<(usize, Prefs)> {
        let mut p = chain.end;
        if text.as_bytes().get(p) == Some(&b' ') {
            p += 1;
        }
        let mut cities: Vec<u16> = self.cities_of(&chain.last, chain.prefs).collect();
        cities.sort_unstable();
        if cities.is_empty() {
            return None;
        }
        let allowed = |c| cities.binary_search(&c).is_ok();
        self.town_at(text, p, 1, allowed).or_else(|| {
            // Kyoto: the town after the streets (`下立売通新町西入薮ノ内町`).
            self.town_at(text, after_streets(text, p)?, 2, allowed)
        })
    }

    /// Can municipality `e` follow the chain `c` (a ward after its city, a
    /// town after its district, any municipality after its prefecture)?
    fn continues(&self, c: &Chain, e: &Entry) -> bool {
        if !c.has_municipality {
            return e.prefs & c.prefs != 0;
        }
        let last = &self.city_ids[c.last.cities.0 as usize..c.last.cities.1 as usize];
        self.cities_of(e, c.prefs).any(|id| last.contains(&id))
    }

    /// Is `name` exactly a municipality name (`横浜市`, `中央区`)?
    fn is_municipality(&self, name: &str) -> bool {
        self.names
            .find(Input::new(name).anchored(Anchored::Yes))
            .is_some_and(|m| m.end() == name.len())
    }

    /// The prefecture of a known municipality name, when only one has it
    /// (for tests and tools).
    pub fn prefecture_of(&self, municipality: &str) -> Option<&'static str> {
        let m = self
            .names
            .find(Input::new(municipality).anchored(Anchored::Yes))?;
        let e = self.entries[m.pattern().as_usize()];
        (m.end() == municipality.len() && e.prefs.count_ones() == 1)
            .then(|| PREFECTURES[e.prefs.trailing_zeros() as usize])
    }

    /// The candidate whose chain starts exactly at `s`, if it is an address.
    fn candidate_at(&self, text: &str, s: usize) -> Option<Candidate> {
        let chain = self.chain(text, s)?;
        // A prefecture alone is never enough: what the rule leaves of an
        // address (`東京都`) must not be an address again.
        if !chain.has_municipality {
            return None;
        }
        let town = self.town_after_chain(text, &chain);
        let body = body(text, chain.end, town.map(|(end, _)| end));
        let postal = self.postal_before(text, s);
        let lead = postal.is_some() || label_before(text, s);
        let end = if body.is_address() || lead {
            body.end
        } else {
            // Town level: a known town (maybe a koaza), or 字/大字 and a
            // name, ending the line or cell (`鹿児島市山下町`,
            // `秋保湯元字寺田`, `湯前町字上長尾`, `串本千二百三十四`).
            let after = chain.end + usize::from(text.as_bytes().get(chain.end) == Some(&b' '));
            let aza = text[after..].starts_with('字') || text[after..].starts_with("大字");
            let level = town
                .map(|(t, _)| t)
                .or(aza.then_some(after))
                .and_then(|t| town_level_end(text, t))
                .filter(|&e| e > after);
            level
                .or_else(|| floor_building_end(text, town?.0))
                .or_else(|| unknown_town_number_end(text, after))
                .or_else(|| unknown_town_end(text, after))?
        };
        let mut prefs = chain.first.prefs;
        if !chain.first.is_prefecture {
            // Narrowed by the postal code, then by the town.
            for p in [postal.map(|(_, p)| p), town.map(|(_, p)| p)]
                .into_iter()
                .flatten()
            {
                if prefs & p != 0 {
                    prefs &= p;
                }
            }
        }
        Some(self.candidate(postal.map_or(s, |(ps, _)| ps), end, prefs))
    }

    /// An address candidate over `start..end` in `prefs`.
    fn candidate(&self, start: usize, end: usize, prefs: Prefs) -> Candidate {
        let hint =
            (prefs.count_ones() == 1).then(|| PREFECTURES[prefs.trailing_zeros() as usize].into());
        Candidate {
            category: Category::Address,
            detector: "address",
            span: Span::new(start, end),
            hint,
        }
    }

    /// An address without prefecture or municipality starting exactly at
    /// `s`: a known town (`汲沢町`, `脇町猪尻`, `豊洲`), at most a few more
    /// characters (a 字 or koaza: `西上野`, `字田尻`), then block numbers
    /// (`汲沢町1154`, `脇町猪尻西上野61-1`) and maybe a building. The
    /// hint is the town's prefecture when only one has it, narrowed by a
    /// postal code before it.
    fn town_first_at(&self, text: &str, s: usize) -> Option<Candidate> {
        // What the rule leaves of an address is no address again.
        if starts_with_prefecture(&text[s..]) {
            return None;
        }
        let marker = ["大字", "字"]
            .iter()
            .find(|m| text[s..].starts_with(*m))
            .map_or(0, |m| m.len());
        // The town, else the town after Kyoto streets
        // (`四条通室町東入函谷鉾町91`), else after `字` a name the table
        // lacks (`字ウラウスナイ183の15`).
        let town = self.town_at(text, s, 1, |_| true);
        let kyoto = || self.town_at(text, after_streets(text, s)?, 2, |_| true);
        town.and_then(|(t, prefs)| self.town_first_with(text, s, marker, t, prefs))
            .or_else(|| {
                let (t, prefs) = kyoto()?;
                self.town_first_with(text, s, marker, t, prefs)
            })
            .or_else(|| {
                (town.is_none() && marker > 0)
                    .then(|| self.town_first_with(text, s, marker, s + marker, 0))
                    .flatten()
            })
            .or_else(|| {
                // A merged town's old name, which Japan Post leaves out,
                // before a town of two characters or more (`灘崎町片岡207`).
                let after = old_town_end(text, s + marker)?;
                let (t, prefs) = self.town_at(text, after, 2, |_| true)?;
                self.town_first_with(text, s, marker, t, prefs)
            })
    }

    /// [`Self::town_first_at`] with the town ending at `t` in `prefs`.
    fn town_first_with(
        &self,
        text: &str,
        s: usize,
        marker: usize,
        t: usize,
        prefs: Prefs,
    ) -> Option<Candidate> {
        let one_char = text[s + marker..t].chars().count() == 1;
        // A one-character town takes its number right after it (or a 字):
        // tell before scanning the rest.
        if one_char && !text[t..].starts_with(|c: char| is_numeral(c) || c == '字' || c == '大') {
            return None;
        }
        let body = body(text, s, Some(t));
        // What stands between the town and its numbers: a koaza
        // (`西上野`), or nothing when the block is a later word (`豊洲
        // 四-2-27`, not `渋谷駅 2番線`).
        let rest = &text[t..];
        let koaza_text: String = rest
            .chars()
            .take_while(|&c| !is_numeral(c) && c != ' ')
            .collect();
        // A municipality's suffix is no koaza (`横浜市大学2`), but a koaza
        // may start with its character when the town and it make no
        // municipality (`吉良町小山田市場32`). A place that is no address
        // (`梅田店2`) is no koaza either, unless `字` says it is one
        // (`増田町増田字土肥館173`).
        let suffix = koaza_text
            .chars()
            .next()
            .filter(|c| matches!(c, '市' | '巿' | '区' | '郡'));
        if suffix.is_some_and(|c| self.is_municipality(&text[s..t + c.len_utf8()]))
            || (!koaza_text.starts_with('字')
                && !koaza_text.starts_with("大字")
                && NOT_KOAZA_ENDS.iter().any(|w| koaza_text.ends_with(w)))
        {
            return None;
        }
        let koaza = koaza_text
            .replace("大字", "")
            .replace('字', "")
            .chars()
            .count();
        let koaza = if koaza > 0 && rest[koaza_text.len()..].starts_with(' ') {
            usize::MAX
        } else {
            koaza
        };
        let aza = marker > 0 || rest.starts_with('字') || rest.starts_with("大字");
        // A one-character town (`芝`, `栄`, `港`) needs strong block numbers
        // right after it (`芝2丁目7-15`, `寿2-1-13`), not `港15`, unless a
        // `字` follows (`平字小太郎町1-1`).
        // A lot number alone of three digits or more may follow one too,
        // the cell holding nothing else (`森2571`, `原926-1`), unless the
        // character is rather a unit, a date or a size before a number
        // (`月300`, `大300`).
        let ok = if one_char && !aza {
            let lot = || {
                let c = text[s + marker..t].chars().next()?;
                let e = lot_number_end(text, t)?;
                (!NOT_LOT_TOWNS.contains(c) && ends_cell_strictly(text.as_bytes(), e)).then_some(e)
            };
            koaza == 0 && (body.strong || lot().is_some())
        } else {
            (body.town_number && koaza <= 3)
                || (body.evidence && koaza <= MAX_KOAZA)
                || (aza && body.bare)
        };
        // A building and its floor right after a town of three characters
        // or more stand for the block (`北魚屋東町奈良女子大学…センター3F`).
        let building = || {
            (text[s + marker..t].chars().count() >= 3)
                .then(|| floor_building_end(text, t))
                .flatten()
        };
        // The town and its number may end their cell at a space even when
        // the words after them do not end it (`大字怒9602 伊達市梁川町…番、`:
        // a second address follows): what follows is then no part of this
        // one. Its masked form (`大字怒9602 [住所]、`) reads the same way.
        let core = || {
            let short = koaza <= 3 || (aza && body.bare);
            (!one_char && body.core_ok && short && ends_cell(text.as_bytes(), body.core_end))
                .then_some(body.core_end)
        };
        let end = if ok && ends_cell(text.as_bytes(), body.end) {
            body.end
        } else {
            building().or_else(core)?
        };
        let postal = self.postal_before(text, s);
        let mut prefs = prefs;
        if let Some((_, p)) = postal {
            if prefs & p != 0 {
                prefs &= p;
            }
        }
        Some(self.candidate(postal.map_or(s, |(ps, _)| ps), end, prefs))
    }

    /// The chain of prefecture/municipality names starting exactly at `s`.
    fn chain(&self, text: &str, s: usize) -> Option<Chain> {
        let mut pos = s;
        let mut chain: Option<Chain> = None;
        for _ in 0..MAX_CHAIN {
            let at = match &chain {
                // One space may separate two names.
                Some(_) if text.as_bytes().get(pos) == Some(&b' ') => pos + 1,
                _ => pos,
            };
            let lim = (at + 64).min(text.len());
            let input = Input::new(text).span(at..lim).anchored(Anchored::Yes);
            let Some(m) = self.names.find(input) else {
                break;
            };
            let e = self.entries[m.pattern().as_usize()];
            match &mut chain {
                None => {
                    chain = Some(Chain {
                        first: e,
                        last: e,
                        prefs: if e.is_prefecture { e.prefs } else { Prefs::MAX },
                        has_municipality: !e.is_prefecture,
                        end: m.end(),
                    })
                }
                Some(_) if e.is_prefecture => break,
                // A name no city of the chain so far has is a town
                // (`新宿区信濃町`, `瀬戸市栄町`), not the next name.
                Some(c) if !self.continues(c, &e) => break,
                Some(c) => {
                    c.has_municipality = true;
                    c.last = e;
                    c.end = m.end();
                }
            }
            pos = m.end();
        }
        chain
    }

    /// A postal code standing right before `s`: on the same line after
    /// optional spaces, or alone (after an optional label) on the line above.
    /// Returns where the candidate should start (the `〒`, else the digits)
    /// and the prefectures of its prefix.
    fn postal_before(&self, text: &str, s: usize) -> Option<(usize, Prefs)> {
        let b = text.as_bytes();
        let mut p = trim_back(b, s);
        let mut above = false;
        if p > 0 && b[p - 1] == b'\n' {
            p -= 1;
            if p > 0 && b[p - 1] == b'\r' {
                p -= 1;
            }
            p = trim_back(b, p);
            above = true;
        }
        let cs = code_ending_at(b, p)?;
        let mut start = cs;
        let mut q = trim_back(b, cs);
        if text[..q].ends_with('〒') {
            q -= '〒'.len_utf8();
            start = q;
            q = trim_back(b, q);
        }
        if above {
            // The code's line holds nothing else but a label.
            let line_start = text[..q].rfind('\n').map_or(0, |i| i + 1);
            let pre = text[line_start..q].trim();
            if !(pre.is_empty() || pre.ends_with(':') || pre.ends_with("郵便番号")) {
                return None;
            }
        }
        let prefix = usize::from(b[cs] - b'0') * 100
            + usize::from(b[cs + 1] - b'0') * 10
            + usize::from(b[cs + 2] - b'0');
        Some((start, self.postal[prefix]))
    }

    /// Looks back from a block anchor at `a` for the chain of the address
    /// around it, else for a town starting its line or cell.
    /// `at_end`: the anchor is the end of a line or cell, which the address
    /// may end at (a town-level address has no number to start from).
    fn around_anchor(&self, text: &str, a: usize, at_end: bool) -> Option<Candidate> {
        let reaches = |c: &Candidate| c.span.end > a || (at_end && c.span.end == a);
        if let Some(r0) = region_before(text, a) {
            let input = Input::new(text).span(r0..a);
            let found = self
                .names
                .find_iter(input)
                .filter_map(|m| self.candidate_at(text, m.start()))
                .find(reaches);
            if let Some(c) = found {
                // A name inside a word (`神田錦町3丁目`, `四谷坂町12番`:
                // 錦町 and 坂町 are municipalities elsewhere) starts no
                // chain when the word is a known town.
                let inside = text[..c.span.start]
                    .chars()
                    .next_back()
                    .is_some_and(|p| is_kanji(p) || is_katakana(p));
                if inside {
                    let town = cell_start(text, a)
                        .filter(|&s| s < c.span.start)
                        .and_then(|s| self.town_first_at(text, s))
                        .filter(|t| t.span.end >= c.span.end);
                    if town.is_some() {
                        return town;
                    }
                }
                return Some(c);
            }
        }
        if at_end {
            return None;
        }
        let s = cell_start(text, a)?;
        self.town_first_at(text, s).filter(reaches)
    }
}

/// The names an address starts with.
#[derive(Clone, Copy, Debug)]
struct Chain {
    /// The first name: its prefecture decides the hint.
    first: Entry,
    /// The last name: its cities have the town.
    last: Entry,
    /// The prefecture written (all when none is).
    prefs: Prefs,
    has_municipality: bool,
    /// End of the last name.
    end: usize,
}

/// The rest of an address after the chain.
struct Body {
    /// End of the address.
    end: usize,
    /// Block numbers seen (`2丁目`, `21-1`, `3の5`, `四-2-27`) or a Kyoto
    /// street direction (`寺町通御池上る`).
    evidence: bool,
    /// A number right after a known town (`芋沢66`, `串本 833`,
    /// `小石川1ビル名`), not followed by a unit (`芋沢3人`).
    town_number: bool,
    /// `大字` or `字` in the town (`大字永水`, `字新得基線`).
    aza: bool,
    /// The town word ends with a number (`字新得基線1`, `塚田97乙`).
    bare: bool,
    /// Strong block numbers (see [`Word::strong`]).
    strong: bool,
    /// End of the first word of the rest (the town and its number), before
    /// any later word, building or room.
    core_end: usize,
    /// The first word alone is enough (block numbers, a number right after
    /// the town, or `大字`/`字` and a number ending it).
    core_ok: bool,
}

impl Body {
    /// Is the rest enough to make the chain before it an address?
    fn is_address(&self) -> bool {
        self.evidence || self.town_number || (self.aza && self.bare)
    }
}

/// `p` moved back over spaces and tabs.
fn trim_back(b: &[u8], mut p: usize) -> usize {
    while p > 0 && matches!(b[p - 1], b' ' | b'\t') {
        p -= 1;
    }
    p
}

/// The start of a postal code (`123-4567` or `1234567`) ending at `p` that
/// is not part of a longer number or word.
fn code_ending_at(b: &[u8], p: usize) -> Option<usize> {
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let start = if p >= 8 && b[p - 5] == b'-' && digits(p - 8..p - 5) && digits(p - 4..p) {
        p - 8
    } else if p >= 7 && digits(p - 7..p) {
        p - 7
    } else {
        return None;
    };
    // As the postal-code detector has it (`postal::edges_ok`): a joiner
    // (`-`, `.`) makes the code part of a longer number only after a word
    // (`03-1234567`), not after a space (` -0550330`): otherwise the code
    // was found once the address after it was masked (fuzz/masker:
    // idempotence).
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    match start.checked_sub(1).map(|i| b[i]) {
        Some(c) if word(c) => None,
        Some(b'-' | b'.') if start >= 2 && word(b[start - 2]) => None,
        _ => Some(start),
    }
}

/// Does a label (`住所：`, `お届け先 `) end right before `s`?
fn label_before(text: &str, s: usize) -> bool {
    let t = text[..s].trim_end_matches([' ', '\t', ':']);
    LABELS.iter().any(|l| t.ends_with(l))
}

fn is_kanji(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '々' | '〆' | 'ヶ')
}

fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | '・' | 'ー')
}

fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}')
}

/// Hiragana that, after a non-hiragana character, starts a particle
/// (`で`, `に`, `まで`, `より` …) rather than continuing a name.
fn is_particle(c: char) -> bool {
    matches!(
        c,
        'で' | 'は'
            | 'を'
            | 'に'
            | 'と'
            | 'も'
            | 'へ'
            | 'や'
            | 'か'
            | 'よ'
            | 'ま'
            | 'な'
            | 'だ'
            | 'し'
            | 'ご'
            | 'お'
    )
}

fn is_kanji_numeral(c: char) -> bool {
    matches!(
        c,
        '〇' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '千'
    )
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || is_kanji_numeral(c)
}

/// Characters of a town, block or building.
fn is_word_char(c: char) -> bool {
    is_kanji(c)
        || is_katakana(c)
        || is_hiragana(c)
        || c.is_ascii_alphanumeric()
        || matches!(c, '-' | '━' | '─' | '#' | '&')
}

/// Where the region looked at backwards from `a` starts: word characters
/// and single spaces on the same line, at most [`MAX_BACK`] characters.
/// `None` when the region holds no municipality suffix (every municipality
/// name ends with 市, 区, 町, 村 or 郡), so no address can end past `a`.
fn region_before(text: &str, a: usize) -> Option<usize> {
    let mut r0 = a;
    let mut space = false;
    let mut suffix = false;
    for (n, (i, c)) in text[..a].char_indices().rev().enumerate() {
        if n >= MAX_BACK {
            break;
        }
        if c == ' ' {
            if space {
                break;
            }
            space = true;
            continue;
        }
        if !is_word_char(c) {
            break;
        }
        suffix |= matches!(c, '市' | '巿' | '区' | '町' | '村' | '郡');
        space = false;
        r0 = i;
    }
    suffix.then_some(r0)
}

/// One word of an address.
struct Word {
    end: usize,
    /// Holds block numbers.
    evidence: bool,
    /// Ends with a number after something else (`基線1`, `塚田97乙`).
    bare: bool,
    /// Stopped by the length limit, not by the text.
    truncated: bool,
    /// Holds a number followed by `丁` or `番`, or two `-digit`s
    /// (`2丁目`, `2-1-13`): enough even after a one-character town.
    strong: bool,
}

/// A lot number's head after `の` (`2の甲1994`, `14のイ22`).
fn is_chiban_head(c: char) -> bool {
    matches!(
        c,
        '甲' | '乙' | '丙' | '丁' | 'イ' | 'ロ' | 'ハ' | 'ニ' | 'ホ' | 'ヘ' | 'ト'
    )
}

/// The two characters ending a Kyoto street direction (`上る`, `下ル`,
/// `西入`, `東入`) after a street (`寺町通御池上る`).
fn is_direction(p: char, c: char) -> bool {
    matches!((p, c), ('上' | '下', 'る' | 'ル') | ('西' | '東', '入'))
}

/// Scans one word from `i`: characters of a town, block or building, with
/// particles ending it. Characters before `known` (a town from the table)
/// are taken as they are.
fn scan_word(text: &str, i: usize, max: usize, known: usize) -> Word {
    let mut end = i;
    let mut evidence = false;
    let mut prev: Option<char> = None;
    let mut prev2: Option<char> = None;
    let mut street = false;
    let mut truncated = false;
    let mut strong = false;
    let mut hyphens = 0;
    for (n, (off, c)) in text[i..].char_indices().enumerate() {
        if !is_word_char(c) {
            break;
        }
        if n >= max {
            truncated = true;
            break;
        }
        // The character after `c`, looked at only for `の` and `-`.
        let next = || text[i + off + c.len_utf8()..].chars().next();
        // A lot letter in hiragana right after a known town (`山岸町は1`,
        // `向田町ろ部1`).
        let lot = i + off == known
            && is_lot_kana(c)
            && next().is_some_and(|d| d.is_ascii_digit() || is_kanji(d));
        if is_hiragana(c) && i + off >= known && !lot {
            let after_hiragana = prev.is_some_and(is_hiragana);
            let ok = match (prev, c) {
                // A word never starts with の or が, nor with a particle.
                (None, 'の' | 'が') => false,
                (None, _) => !is_particle(c),
                // の between numbers (1141番地の6, 3の5, 2の甲1994), after a
                // number before a name (1の町), after a name (丸の内).
                (Some(p), 'の') if is_numeral(p) || p == '地' => {
                    next().is_some_and(|d| is_numeral(d) || is_kanji(d) || is_katakana(d))
                }
                (Some(p), 'の' | 'が') => !is_numeral(p) && !matches!(p, '目' | '番' | '号'),
                _ => after_hiragana || !is_particle(c),
            };
            if !ok {
                break;
            }
        }
        street |= c == '通';
        if let Some(p) = prev {
            if is_numeral(p) {
                if matches!(c, '丁' | '番' | '号' | '条') {
                    evidence = true;
                    strong |= matches!(c, '丁' | '番');
                }
                // `一町目111` (a chome written 町目).
                if c == '町' && next() == Some('目') {
                    evidence = true;
                }
                if matches!(c, '-' | '━' | '─')
                    && next().is_some_and(|d| d.is_ascii_digit() || (c != '-' && is_numeral(d)))
                {
                    evidence = true;
                    hyphens += 1;
                    strong |= hyphens >= 2;
                }
                if matches!(c, 'の' | 'ノ')
                    && next().is_some_and(|d| is_numeral(d) || is_chiban_head(d))
                {
                    evidence = true;
                }
            }
            // A letter block after a town: 上町a-6.
            if p.is_ascii_alphabetic()
                && c == '-'
                && prev2.is_some_and(|q| !q.is_ascii())
                && next().is_some_and(|d| d.is_ascii_digit())
            {
                evidence = true;
            }
            if street && is_direction(p, c) {
                evidence = true;
            }
        }
        prev2 = prev;
        prev = Some(c);
        end = i + off + c.len_utf8();
    }
    // A cut word is taken whole, unread: an address that ended inside it
    // would leave its tail after the rendered prefecture (`東京都8888渋谷…`),
    // which reads as an address on the next pass (fuzz/address).
    if truncated {
        end += text[end..]
            .chars()
            .take_while(|&c| is_word_char(c))
            .map(char::len_utf8)
            .sum::<usize>();
    }
    // No trailing joiners.
    let trimmed = text[i..end].trim_end_matches(['-', '━', '─', '&', '#', 'の', 'が']);
    let head = trimmed
        .strip_suffix(['甲', '乙', '丙'])
        .unwrap_or(trimmed)
        .trim_end_matches(|c: char| c.is_ascii_digit());
    let bare = head.len() < trimmed.len()
        && head
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_ascii() && !is_numeral(c));
    Word {
        end: i + trimmed.len(),
        evidence,
        bare,
        truncated,
        strong,
    }
}

/// Characters of a town name in the table.
fn is_town_char(c: char) -> bool {
    is_kanji(c) || is_katakana(c) || is_hiragana(c) || c.is_ascii_digit()
}

/// Kanji that, right after a number, make it a count, not a block number
/// (`芋沢3人`).
fn is_unit(c: char) -> bool {
    matches!(
        c,
        '年' | '月'
            | '日'
            | '時'
            | '分'
            | '秒'
            | '円'
            | '人'
            | '名'
            | '件'
            | '個'
            | '回'
            | '台'
            | '本'
            | '枚'
            | '歳'
            | '才'
            | '倍'
            | '割'
            | '万'
            | '億'
            | '代'
            | '期'
            | '位'
            | '社'
            | '店'
            | '点'
            | '度'
            | '階'
    )
}

/// Does a number (ASCII digits) start at `t`, not followed by a unit or
/// a floor's `F` (`本館2F`, `芋沢3人`)?
fn number_at(text: &str, t: usize) -> bool {
    let rest = &text[t..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after = &rest[digits..];
    let floor =
        after.starts_with('F') && !after[1..].starts_with(|c: char| c.is_ascii_alphanumeric());
    digits > 0 && !floor && !after.chars().next().is_some_and(is_unit)
}

/// Does an address ending at `end` end its line or cell?
fn ends_cell(b: &[u8], end: usize) -> bool {
    matches!(
        b.get(end),
        None | Some(b'\n' | b'\r' | b'\t' | b',' | b'"' | b'|' | b' ')
    )
}

/// The start of the line or cell holding the anchor at `a`: looking back
/// over word characters and single spaces, at most [`MAX_CELL`]
/// characters, to the start of the text, a line break, a tab, a comma, a
/// quote, a `|` or a label's `:`. `None` when something else comes first.
fn cell_start(text: &str, a: usize) -> Option<usize> {
    let mut s = a;
    let mut space = false;
    for (n, (i, c)) in text[..a].char_indices().rev().enumerate() {
        if n >= MAX_CELL {
            return None;
        }
        match c {
            '\n' | '\r' | '\t' | ',' | '"' | '|' | ':' => break,
            ' ' if space => return None,
            ' ' => space = true,
            _ if is_word_char(c) => {
                space = false;
                s = i;
            }
            _ => return None,
        }
    }
    Some(s)
}

/// Is `w` a stop word (a label that follows an address on its line)?
fn is_stop_word(w: &str) -> bool {
    if w.as_bytes().first().is_some_and(u8::is_ascii) {
        STOP_WORDS_ASCII.iter().any(|s| w.eq_ignore_ascii_case(s))
    } else {
        STOP_WORDS_JA.iter().any(|s| w.starts_with(s))
    }
}

/// A room or floor: `101`, `101号室`, `34F`, `B1F`, `5階`, `#302`, `三〇二号`.
fn is_room(w: &str) -> bool {
    let w = w.strip_prefix(['#', 'B']).unwrap_or(w);
    let digits = w
        .char_indices()
        .find(|&(_, c)| !is_numeral(c))
        .map_or(w.len(), |(i, _)| i);
    if digits == 0 || w[..digits].chars().count() > 5 {
        return false;
    }
    matches!(
        &w[digits..],
        "" | "号室" | "号" | "階" | "F" | "f" | "室" | "棟" | "号棟"
    )
}

/// The rest of an address from `p` (the end of its chain): town, block,
/// building and room. `town` is the end of the town found in the table
/// right after the chain, if one was.
fn body(text: &str, p: usize, town: Option<usize>) -> Body {
    let b = text.as_bytes();
    let none = Body {
        end: p,
        evidence: false,
        town_number: false,
        aza: false,
        bare: false,
        strong: false,
        core_end: p,
        core_ok: false,
    };
    let known = town.unwrap_or(p);
    // One space may separate the chain from the town.
    let mut start = p;
    if b.get(p) == Some(&b' ') {
        let w = scan_word(text, p + 1, MAX_REST, known);
        let t = &text[p + 1..w.end];
        if t.is_empty() || is_stop_word(t) || b.get(w.end) == Some(&b':') {
            return none;
        }
        start = p + 1;
    }
    // A run longer than MAX_REST is cut there, not rejected: whether an
    // address is one must not depend on how long the text after it is, which
    // masking a later address changes (fuzz: idempotence).
    let first = scan_word(text, start, MAX_REST, known);
    let (mut end, mut evidence, mut strong) = (first.end, first.evidence, first.strong);
    if end == start {
        end = p;
    }
    let word = &text[start..end.max(start)];
    // 字 starting the town or inside it (`字新得基線1`, `礒部字下河原1137`).
    let aza = word.starts_with('字') || word.chars().skip(1).any(|c| c == '字');
    // A number right after the town or after its koaza (`芋沢66`,
    // `千代東原39`, `伊香保甲8`, `ニの2132`).
    let mut town_number = town.is_some_and(|t| {
        t < end
            && koaza_at(text, t, MAX_KOAZA_NUMBER).is_some_and(|k| k < end && number_at(text, k))
    });
    let core_end = end;
    let core_ok = evidence || town_number || (aza && first.bare);
    // A later word after a space may still be the block (`渋谷 2-21-1`,
    // `串本 833`, `藤橋町 亥 45-1`): at most one short word between.
    if !(evidence || town_number) && end > p {
        let mut at = end;
        for k in 0..2 {
            if b.get(at) != Some(&b' ') {
                break;
            }
            let w = scan_word(text, at + 1, MAX_REST, at + 1);
            if w.truncated || w.end == at + 1 {
                break;
            }
            let t = &text[at + 1..w.end];
            if starts_with_prefecture(t) {
                break;
            }
            let number = town.is_some() && t.bytes().all(|c| c.is_ascii_digit());
            if w.evidence || number {
                end = w.end;
                evidence |= w.evidence;
                strong |= w.strong;
                town_number |= number;
                break;
            }
            if k > 0 || t.chars().count() > 2 {
                break;
            }
            at = w.end;
        }
    }
    // Building and room words, only after block numbers.
    if evidence || town_number || (aza && first.bare) {
        if let Some(e) = glued_building(text, end) {
            end = e;
        }
        for k in 0..MAX_WORDS {
            if b.get(end) != Some(&b' ') || b.get(end + 1) == Some(&b' ') {
                break;
            }
            let w = scan_word(text, end + 1, MAX_WORD, end + 1);
            if w.end == end + 1 || w.truncated {
                break;
            }
            let t = &text[end + 1..w.end];
            let follows_label = b.get(w.end) == Some(&b':');
            let building =
                k == 0 && !t.is_ascii() && !is_stop_word(t) && !starts_with_prefecture(t);
            if follows_label || !(building || is_room(t)) {
                break;
            }
            end = w.end;
        }
    }
    Body {
        end,
        evidence,
        town_number,
        aza,
        bare: first.bare,
        strong,
        core_end,
        core_ok,
    }
}

/// True when `w` begins with a prefecture's name: a word after a space
/// that does is the next address, never a building or block of this one
/// (`梁字0 東京都0`: fuzz/address, idempotence once the second address
/// was masked to its prefecture).
fn starts_with_prefecture(w: &str) -> bool {
    PREFECTURES.iter().any(|p| w.starts_with(p))
}

/// Words that end a building's name (`おはようビル`, `パークタワー`).
const BUILDING_WORDS: [&str; 12] = [
    "ビル",
    "ビルディング",
    "マンション",
    "ハイツ",
    "コーポ",
    "タワー",
    "レジデンス",
    "ハウス",
    "アパート",
    "館",
    "荘",
    "棟",
];

/// A building glued to the block numbers ending at `end` whose name starts
/// with hiragana or holds a range (`1号おはようビル301号室`,
/// `10-1かしきち人形町ビル5F`, `パークタワー15~19階`), which the scan of
/// the block stopped at: its end, when it ends the line or cell (or a word)
/// and names a building or a floor.
fn glued_building(text: &str, end: usize) -> Option<usize> {
    let first = text[end..].chars().next()?;
    if !(is_hiragana(first) || matches!(first, '~' | '〜')) {
        return None;
    }
    // Back to the start of the glued word (the block's scan took the
    // building's katakana or kanji start already).
    let mut e = end;
    for (n, (i, c)) in text[end..].char_indices().enumerate() {
        if n >= 2 * MAX_WORD {
            return None;
        }
        if !(is_word_char(c) || matches!(c, '~' | '〜')) {
            break;
        }
        e = end + i + c.len_utf8();
    }
    if !ends_cell(text.as_bytes(), e) {
        return None;
    }
    let word = &text[end..e];
    let room = word
        .char_indices()
        .filter(|&(_, c)| is_numeral(c))
        .map(|(i, _)| i)
        .next()
        .is_some_and(|i| {
            // The floor or room that ends it (`301号室`, `5F`, `15~19階`).
            let tail = &word[i..];
            let tail = tail.rsplit(['~', '〜']).next().unwrap_or(tail);
            is_room(tail)
        });
    let building = BUILDING_WORDS.iter().any(|w| word.contains(w));
    (room || building).then_some(e)
}

/// Most characters of a koaza between a known town and its number
/// (`千代東原39`, `一色町中外沢下長割8`), `大字`/`字` not counted.
const MAX_KOAZA_NUMBER: usize = 6;

/// Hiragana lot letters (`山岸町は1番`, `向田町ろ部1`).
fn is_lot_kana(c: char) -> bool {
    matches!(c, 'い' | 'ろ' | 'は' | 'に' | 'ほ' | 'へ' | 'と')
}

/// The end of the koaza right after a known town ending at `t`: kanji
/// (numerals too: `平割一22`, `三五十`) and katakana, `の`/`ノ` between
/// (`ニの2132`), a hiragana lot letter first; at most
/// [`MAX_KOAZA_NUMBER`] characters besides `大字`/`字`. `t` itself when
/// there is none; `None` when it is longer.
fn koaza_at(text: &str, t: usize, max: usize) -> Option<usize> {
    let mut end = t;
    let mut n = 0;
    let mut rest = &text[t..];
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest
            .strip_prefix("大字")
            .or_else(|| rest.strip_prefix('字'))
        {
            if r.chars()
                .next()
                .is_some_and(|d| is_kanji(d) || is_katakana(d))
            {
                end += rest.len() - r.len();
                rest = r;
                continue;
            }
        }
        let ok = (is_kanji(c) && c != '字')
            || (is_katakana(c) && c != '・')
            || (matches!(c, 'の' | 'ノ') && n > 0 || end == t && c == 'の')
            || (end == t && is_lot_kana(c));
        if !ok {
            break;
        }
        n += 1;
        if n > max {
            return None;
        }
        end += c.len_utf8();
        rest = &rest[c.len_utf8()..];
    }
    Some(end)
}

/// Words a koaza never ends with: a place that is no address (`芝浦駅`,
/// `梅田店`, `本町周辺`, `丸の内勤務`).
const NOT_KOAZA_ENDS: [&str; 32] = [
    "駅",
    "店",
    "線",
    "口",
    "方面",
    "周辺",
    "付近",
    "近辺",
    "界隈",
    "地区",
    "地域",
    "在住",
    "出身",
    "支社",
    "本社",
    "工場",
    "営業所",
    "事務所",
    "出張所",
    "会場",
    "病院",
    "学校",
    "大学",
    "高校",
    "役所",
    "役場",
    "署",
    "局",
    "館",
    "校",
    "勤務",
    "一帯",
];

/// The end of a town-level address (no block numbers) whose town ends at
/// `t`: the town, maybe a koaza (`秋保湯元字寺田`, `波野小地野`, numbers in
/// kanji `串本千二百三十四`), ending the line or cell.
fn town_level_end(text: &str, t: usize) -> Option<usize> {
    let e = koaza_at(text, t, MAX_KOAZA_NUMBER)?;
    let koaza = &text[t..e];
    (ends_cell_strictly(text.as_bytes(), e) && !NOT_KOAZA_ENDS.iter().any(|w| koaza.ends_with(w)))
        .then_some(e)
}

/// Does `e` end a line or cell (no space: a word may follow one)?
fn ends_cell_strictly(b: &[u8], e: usize) -> bool {
    matches!(
        b.get(e),
        None | Some(b'\n' | b'\r' | b'\t' | b',' | b'"' | b'|')
    )
}

/// The end of a building and its floor at `p`, ending the line or cell:
/// a name of kanji, katakana and latin letters (2 to [`MAX_WORD`]
/// characters), then a floor of one or two digits and `F` or `階`
/// (`奈良女子大学コラボレーションセンター3F`, `…ホテル和歌山2階`). No kana
/// of prose (`…の3階`), no space.
fn floor_building_end(text: &str, p: usize) -> Option<usize> {
    let mut n = 0;
    let mut q = p;
    for c in text[p..].chars() {
        if !(is_kanji(c) || is_katakana(c) || c.is_ascii_alphabetic()) || c == '・' {
            break;
        }
        n += 1;
        if n > MAX_WORD {
            return None;
        }
        q += c.len_utf8();
    }
    if n < 2 {
        return None;
    }
    let b = text.as_bytes();
    let d = b[q..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&d) || b[q] == b'0' {
        return None;
    }
    let rest = &text[q + d..];
    let unit = ["F", "階"].into_iter().find(|u| rest.starts_with(u))?;
    let e = q + d + unit.len();
    ends_cell_strictly(b, e).then_some(e)
}

/// The end of an old town's or village's name at `p`: two or three kanji
/// and `町` or `村` (`灘崎町`), before more of a name.
fn old_town_end(text: &str, p: usize) -> Option<usize> {
    for (n, (i, c)) in text[p..].char_indices().enumerate() {
        if matches!(c, '町' | '村') && n >= 2 {
            let e = p + i + c.len_utf8();
            return text[e..].starts_with(is_kanji).then_some(e);
        }
        if !is_kanji(c) || n == 3 {
            return None;
        }
    }
    None
}

/// One-character towns that before a bare number rather are a unit, a
/// date, a size or a count (`月300`, `大300`, `号100`, `第` is no town).
const NOT_LOT_TOWNS: &str = "上下中大小前後円日月代号市町県都道郡条名間組段本表所手台番";

/// The end of a lot number at `t`: three ASCII digits or more, not starting
/// with `0`, maybe one `-` and more digits (`2571`, `926-1`).
fn lot_number_end(text: &str, t: usize) -> Option<usize> {
    let b = text.as_bytes();
    let digits = |p: usize| b[p..].iter().take_while(|c| c.is_ascii_digit()).count();
    let n = digits(t);
    if n < 3 || b[t] == b'0' {
        return None;
    }
    let mut e = t + n;
    if b.get(e) == Some(&b'-') {
        let m = digits(e + 1);
        if m == 0 {
            return None;
        }
        e += 1 + m;
    }
    Some(e)
}

/// The end of a town the table lacks, written with `町` (`弥富町`, a town
/// Japan Post lists only with its parts), alone in the rest of the line or
/// cell after a municipality.
fn unknown_town_end(text: &str, p: usize) -> Option<usize> {
    let e = koaza_at(text, p, MAX_UNKNOWN_TOWN)?;
    let name = &text[p..e];
    (name.chars().count() >= 2
        && name.ends_with('町')
        && !name.starts_with(['市', '区', '郡', '町', '村'])
        && ends_cell_strictly(text.as_bytes(), e))
    .then_some(e)
}

/// Most characters of a town the table lacks before its number.
const MAX_UNKNOWN_TOWN: usize = 10;

/// The end of a town the table lacks and its number, from `p` right after
/// a municipality, when they alone fill the rest of the line or cell
/// (`長野東之門町2462`, `灘崎町片岡207`, `古枝乙1855`): kanji and katakana,
/// then digits (maybe a lot letter after them).
fn unknown_town_number_end(text: &str, p: usize) -> Option<usize> {
    let e = koaza_at(text, p, MAX_UNKNOWN_TOWN)?;
    let name = &text[p..e];
    if e == p || NOT_KOAZA_ENDS.iter().any(|w| name.ends_with(w)) || !number_at(text, e) {
        return None;
    }
    let digits = text[e..].bytes().take_while(u8::is_ascii_digit).count();
    let mut end = e + digits;
    if text[end..].starts_with(['甲', '乙', '丙']) {
        end += '甲'.len_utf8();
    }
    ends_cell_strictly(text.as_bytes(), end).then_some(end)
}

/// Where the town starts after Kyoto street directions from `p`
/// (`下立売通新町西入薮ノ内町`, `大和大路通三条下る東入若松町`): after the
/// last `上る`/`下る`/`上ル`/`下ル`/`東入`/`西入` (maybe `入る`) within
/// [`MAX_TOWN`] × 2 characters, not at `p`.
fn after_streets(text: &str, p: usize) -> Option<usize> {
    let mut last = None;
    let mut prev: Option<char> = None;
    for (n, (i, c)) in text[p..].char_indices().enumerate() {
        if n >= 2 * MAX_TOWN || !(is_kanji(c) || is_katakana(c) || is_hiragana(c)) {
            break;
        }
        if n >= 3 && prev.is_some_and(|q| is_direction(q, c)) {
            let mut e = p + i + c.len_utf8();
            if c == '入' && text[e..].starts_with(['る', 'ル']) {
                e += 'る'.len_utf8();
            }
            last = Some(e);
        }
        prev = Some(c);
    }
    last.filter(|&e| e < text.len())
}

/// Where an address may start after a postal code ending at `end`: after
/// spaces, or at the start of the next line (a signature block).
fn start_after_code(b: &[u8], end: usize) -> usize {
    let mut p = end;
    while p < b.len() && matches!(b[p], b' ' | b'\t') {
        p += 1;
    }
    if b.get(p) == Some(&b'\r') {
        p += 1;
    }
    if b.get(p) == Some(&b'\n') {
        p += 1;
        while p < b.len() && matches!(b[p], b' ' | b'\t') {
            p += 1;
        }
    }
    p
}

/// Does a digit run ending at `end` end a word: the end of the text, ASCII
/// punctuation or space (not `-`, `.`, `%`, `:`, `/`, `_`: dates, times,
/// amounts), kana (`1ビル`), `、`/`。`, or a lot letter (`97乙`)?
fn ends_number(b: &[u8], end: usize) -> bool {
    match b.get(end) {
        None => true,
        Some(&c) if c < 0x80 => {
            !c.is_ascii_alphanumeric() && !matches!(c, b'-' | b'.' | b'%' | b':' | b'/' | b'_')
        }
        // Kana and CJK punctuation: E3 80..83.
        Some(0xE3) => matches!(b.get(end + 1), Some(0x80..=0x83)),
        // 甲 E7 94 B2, 乙 E4 B9 99, 丙 E4 B8 99.
        Some(_) => {
            b[end..].starts_with("甲".as_bytes())
                || b[end..].starts_with("乙".as_bytes())
                || b[end..].starts_with("丙".as_bytes())
        }
    }
}

/// Does the text after a digit run start with a block unit (`丁目`, `番`,
/// `号`, `条`)?
fn is_block_unit(after: &[u8]) -> bool {
    match after {
        // 丁 E4 B8 81, 番 E7 95 AA, 号 E5 8F B7, 条 E6 9D A1.
        [0xE4, 0xB8, 0x81, ..]
        | [0xE7, 0x95, 0xAA, ..]
        | [0xE5, 0x8F, 0xB7, ..]
        | [0xE6, 0x9D, 0xA1, ..] => true,
        _ => false,
    }
}

/// Where the shared [`anchors`](super::anchors) pass says an address may be:
/// `丁目`/`番地` (block numbers in kanji may precede them) and the ends of the
/// [`LABELS`] (every label holds 所 or 先).
fn marks(hay: &Haystack<'_>, blocks: &mut Vec<usize>, labels: &mut Vec<usize>) {
    let b = hay.bytes();
    for hit in hay.ja_anchors() {
        let before = &b[..hit.start];
        match hit.word {
            JaWord::Choume | JaWord::Banchi => blocks.push(hit.start),
            JaWord::Sho => {
                if b[hit.end..].starts_with("在地".as_bytes()) {
                    labels.push(hit.end + "在地".len());
                } else if before.ends_with("住".as_bytes()) || before.ends_with("場".as_bytes()) {
                    labels.push(hit.end);
                }
            }
            JaWord::Saki
                if ["送付", "届け", "届", "送り", "配送"]
                    .iter()
                    .any(|p| before.ends_with(p.as_bytes())) =>
            {
                labels.push(hit.end)
            }
            _ => {}
        }
    }
}

impl Detector for AddressDetector {
    fn name(&self) -> &'static str {
        "address"
    }

    fn detect(&self, hay: &Haystack<'_>, out: &mut Vec<Candidate>) {
        let text = hay.text();
        let b = hay.bytes();
        let mut found: Vec<Candidate> = Vec::new();

        // Starts right after a label or a postal code.
        let mut direct: Vec<usize> = Vec::new();
        let mut anchors: Vec<usize> = Vec::new();
        let mut labels: Vec<usize> = Vec::new();
        marks(hay, &mut anchors, &mut labels);
        for end in labels {
            let mut p = end;
            while p < b.len() && matches!(b[p], b' ' | b'\t' | b':') && p < end + 8 {
                p += 1;
            }
            direct.push(p);
        }
        // One pass over the digit runs: postal codes (an address may start
        // after them) and block numbers (one may end around them).
        let runs = hay.digit_runs();
        for (i, r) in runs.iter().enumerate() {
            let (start, end) = (r.start, r.end);
            let next = b.get(end).copied();
            if end - start == 7 {
                direct.push(start_after_code(b, end));
            } else if end - start == 3 && next == Some(b'-') {
                if let Some(n) = runs.get(i + 1) {
                    if n.start == end + 1 && n.end - n.start == 4 {
                        direct.push(start_after_code(b, n.end));
                    }
                }
            }
            // Block numbers follow a town name (`渋谷2-21-1`), maybe after a
            // space: a run after ASCII (`TEL: 03-…`, `2024-01-15`) or inside
            // a number (`03-1234`) starts no address. A number ending a word
            // after a town (`芋沢66`, `基線1`) may be a block too.
            let block = match next {
                Some(b'-') => b.get(end + 1).is_some_and(u8::is_ascii_digit),
                Some(0xE4..=0xE7) => is_block_unit(&b[end..]),
                _ => false,
            };
            let after_cjk = match &b[..start] {
                [.., x, b' '] | [.., x] => *x >= 0x80,
                [] => false,
            };
            // `豊洲 四-2-27`, `与一四-1`, `軽海町ノ-14-1`, `上町a-6`: a
            // block after a dash after Japanese text (a chome in kanji, a
            // lot letter).
            let after_dash = start > 1
                && b[start - 1] == b'-'
                && (b[start - 2] >= 0x80
                    || (b[start - 2].is_ascii_alphabetic() && start > 2 && b[start - 3] >= 0x80));
            // `167NBF`, `2F`, `2階`: a number and letters or a floor after
            // Japanese text.
            let letters = next.is_some_and(|c| c.is_ascii_alphabetic())
                || b[end..].starts_with("階".as_bytes());
            if ((block || ends_number(b, end)) && (after_cjk || after_dash))
                || (after_cjk && letters)
            {
                anchors.push(start);
            }
        }
        // Ends of lines and cells after Japanese text: an address without
        // any number (`鹿児島市山下町`) may end there.
        let mut ends = Vec::new();
        for e in memchr::memchr3_iter(b'\n', b'\t', b',', b).chain(std::iter::once(b.len())) {
            let mut p = e;
            if p > 0 && matches!(b[p - 1], b'\r' | b'"') {
                p -= 1;
            }
            if p > 0 && b[p - 1] >= 0x80 && text.is_char_boundary(p) {
                let last = text[..p].chars().next_back();
                if last.is_some_and(|c| is_kanji(c) || is_katakana(c) || is_hiragana(c)) {
                    ends.push(p);
                }
            }
        }
        for p in direct {
            if p < b.len() && b[p] >= 0x80 && text.is_char_boundary(p) {
                found.extend(
                    self.candidate_at(text, p)
                        .or_else(|| self.town_first_at(text, p)),
                );
            }
        }

        let mut anchors: Vec<(usize, bool)> = anchors
            .into_iter()
            .map(|a| (a, false))
            .chain(ends.into_iter().map(|e| (e, true)))
            .collect();
        anchors.sort_unstable();
        // An anchor inside an address already found (after its postal code
        // or label, or from an earlier anchor) starts nothing new.
        found.sort_by_key(|c| c.span.start);
        let direct_spans: Vec<Span> = found.iter().map(|c| c.span).collect();
        let mut next_direct = 0;
        let mut covered = 0;
        for (a, at_end) in anchors {
            while next_direct < direct_spans.len() && direct_spans[next_direct].start <= a {
                covered = covered.max(direct_spans[next_direct].end);
                next_direct += 1;
            }
            if a < covered || (at_end && a == covered) {
                continue;
            }
            if let Some(c) = self.around_anchor(text, a, at_end) {
                covered = c.span.end;
                found.push(c);
            }
        }

        found.sort_by_key(|c| (c.span.start, c.span.end));
        found.dedup_by(|x, y| x.span == y.span);
        out.extend(found);
    }
}

mod fold;
mod towns;

#[cfg(test)]
mod tests;
