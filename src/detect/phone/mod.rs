//! Telephone and fax numbers: Japanese national numbers, `+CC` international
//! numbers and North American (NANP) national numbers.
//!
//! # How it searches
//!
//! The detector never scans the text itself. It walks the shared digit runs
//! ([`Haystack::digit_runs`]) and, at each run that could open a number,
//! joins the following runs into *groups* as long as the bytes between two
//! runs form a separator:
//!
//! - `-`, `.`, one or two spaces, or `" - "` (hyphen with spaces);
//! - `(` / `)` with optional spaces, as in `03(1234)5678`, `(03)1234-5678`,
//!   `(415) 555-0132` and the trunk prefix of `+81 (0)3 1234 5678`.
//!   A parenthesis encloses exactly one group and must be closed where the
//!   number ends; a `(` right before the first group belongs to the number
//!   only when the first separator is its `)`.
//!   Dots never mix with other separators. `:` and `,` never join groups
//!   (times, prices); `/` joins only the three groups of a Japanese national
//!   number in its usual grouping (`070/1234/5678`, `03/1234/5678`: no
//!   date has ten digits opening with `0`), never mixed with others.
//!
//! Then the longest prefix of groups that has a valid shape and a clean right
//! edge wins; the runs it used are skipped. The span covers the whole number
//! including a leading `(` or `+`, and nothing of the surrounding text.
//!
//! # What counts as a phone number
//!
//! Which numbers exist comes from libphonenumber's numbering plans, one per
//! country calling code ([`plan`], generated from its metadata into
//! `dictionaries/phone_plans.tsv`).
//!
//! **Japanese national numbers** (detector `phone`), 10 or 11 digits: the
//! trunk `0`, then a number Japan's plan assigns — fixed lines (2–5 digit
//! area codes), mobiles `060`/`070`/`080`/`090` and `020` (11 digits), `060`
//! personal numbers (10 digits), IP phones `050`, toll-free `0120` and
//! `0800`, navi-dial `0570`, premium `0990` — or a number in the shape of
//! those blocks that the plan does not list (`070-0423-0900`,
//! `011-911-7735`): any other 10-digit `0A…` (`A` ≠ 0), and 11 digits after
//! `020`/`050`/`070`/`080`/`090`. A 10-digit `020`…`090` number is not one
//! (`090-123-4567`), nor a `060` number the plan does not assign.
//!
//! Accepted shapes without context:
//! - one unbroken run of exactly 10/11 digits (`09012345678`, `0312345678`);
//! - three groups: mobile-like 11 digits as 3-4-4 (`090-1234-5678`), `0800`
//!   as 4-3-4, fixed 10 digits as area(2–5)-local(1–4)-4
//!   (`03-1234-5678`, `0466-12-3456`, `01267-2-3456`, `03(1234)5678`,
//!   `(03)1234-5678`), and `0120`/`0570`/`0990` as 4-3-3 (`0120-123-456`).
//!
//! **International numbers** written with `+` (detector `phone` for `+81`,
//! `phone/intl` otherwise). The `+` must not follow a letter or digit.
//! - `+81`: the national part (with a `0` put in front unless it already has
//!   one, so `+81 (0)3 …` and `+81-03-…` work) must be a valid Japanese
//!   number as above, in any grouping (`+81-90-1234-5678`, `+819012345678`,
//!   `+81600013013`).
//! - `+1`: exactly 10 more digits forming a valid NANP number.
//! - any other code: the national part (a trunk prefix such as the `(0)` of
//!   `+44 (0)20 …` dropped) must be assigned by the code's plan; written in
//!   two or more groups, libphonenumber's "possible number" shape for the
//!   code is enough (`+44 20 7946 0958`, `+33 1 23 45 67 89`). An unassigned
//!   code is no phone number (`+999 1234 5678`).
//! - a calling code written without `+` but followed by hyphens only
//!   (`91-415-555-0132`) counts when the rest has 8+ digits in two or more
//!   groups that its plan assigns.
//!
//! **Numbers of a country named before them** (detector `phone/intl`): a
//! country's name, demonym or upper-case ISO code on the same line shortly
//! before a number ([`country`]: `My Israeli number is 09-7625400`, `My CN
//! number is 13812345678`, `中国の携帯 13812345678`) makes its national
//! format count, when that country's plan assigns it (with or without the
//! trunk prefix) and nothing but spaces and words lies between.
//!
//! **NANP national numbers** (detector `phone/intl`): 3-3-4 digits, area code
//! and exchange starting with 2–9, area code not `N9X` or `N11`, exchange not
//! `N11`, written `(415) 555-0132`, `(415)555-0132`, `415-555-0132` or
//! `415.555.0132`, optionally after a `1-`/`1 ` country prefix
//! (`1-800-555-0199`).
//!
//! # Context
//!
//! The text right before the number (after trimming spaces, `:`, `.`, `)`,
//! `】`, `は`, … ) decides the context:
//! - *phone context* — it ends with 電話, 携帯, TEL, FAX, Phone, Mobile, Cell,
//!   ☎, 📞, ℡, 連絡先, 代表, 直通, お問い合わせ(先), ファックス/ファクス, or one of
//!   電話/携帯/TEL/FAX/ファックス followed by 番号. ASCII words match case-insensitively and
//!   only as whole words (`Hotel` is not `tel`). With phone context, looser
//!   shapes are accepted: a valid Japanese 10/11-digit number in any 1–4
//!   groups whose first group has at least two digits (`TEL 03-12345678`),
//!   NANP numbers separated by spaces (`Tel: 415 555 0132`), and a letter
//!   may touch the number (`TEL03-1234-5678`, `Tel.090-…`).
//! - *other-number context* — any other `…番号` (注文番号, 会員番号,
//!   お問い合わせ番号, …), `No`, `ID`, `Order`, `Invoice`, `Tracking`, 注文,
//!   伝票, 品番, 型番, 口座, ISBN, JAN, SKU, ASIN: only a Japanese number
//!   written in a valid grouped phone shape is reported there
//!   (`注文番号：090-1234-5678` is masked, `注文番号 0312345678` is not), no
//!   NANP number is, and `+` forms still are.
//!
//! # Edges
//!
//! A number is rejected when
//! - it is glued to a word: the byte before it is a letter, digit or `_`
//!   (letters allowed after phone context, and a word of two or more
//!   lower-case letters before a grouped number in its usual shape:
//!   `one is415-555-0132`, `call090-1234-5678`), or `#`; or the byte before it is
//!   `-`, `.`, `/`, `:` preceded by a letter or digit (`ABC-0312345678`,
//!   `10.0.19045`, the second half of `2024-03-…`);
//! - the byte after it is a letter, digit or `_`, or `-`, `.`, `/`, `:`
//!   followed by a digit (the number continues: `1234-5678-9012`,
//!   `03-1234-5678-9`); for space-separated numbers a space followed by a
//!   digit also continues it;
//! - it is followed by `%`, `円`, `万` or `億` (an amount).
//!
//! Deliberately **not** detected: dates, times, prices, version strings, IP
//! addresses, postal codes (7 digits never fit), ISBNs, 12-digit tracking
//! numbers, runs longer than 11 digits (without `+`), `00`-prefixed
//! international dialling, and a masked number (`***-****-5678` has only a
//! 4-digit run left, which opens nothing).

use super::{is_word_byte, Candidate, Detector, Haystack};
use crate::span::{Category, Span};

mod country;
mod plan;

use country::CountryNames;
use plan::Plans;

/// Finds telephone and fax numbers.
///
/// Build it with `PhoneDetector::default()` (it parses the embedded
/// numbering-plan tables); it has no options yet.
#[derive(Debug, Default)]
pub struct PhoneDetector {
    plans: Plans,
    countries: CountryNames,
}

impl Detector for PhoneDetector {
    fn name(&self) -> &'static str {
        "phone"
    }

    fn detect(&self, hay: &Haystack<'_>, out: &mut Vec<Candidate>) {
        let runs = hay.digit_runs();
        let mut i = 0;
        while i < runs.len() {
            match try_at(self, hay, runs, i) {
                Some(m) => {
                    // A number whose last group opens another number
                    // (`0955-30-0955-10-0955`) is one span with it: the mask
                    // keeps the last group, and the next pass would find
                    // the second number there (fuzz/masker: idempotence).
                    let mut end = m.end;
                    // (A one-group number has no other last group to try.)
                    let mut last = i + m.groups.max(1) - 1;
                    if m.groups >= 2 {
                        while let Some(n) =
                            try_at(self, hay, runs, last).filter(|n| n.groups >= 2 && n.end > end)
                        {
                            end = n.end;
                            last += n.groups - 1;
                        }
                    }
                    out.push(Candidate::new(Category::Phone, m.name, m.start, end));
                    i = last + 1;
                }
                None => i += 1,
            }
        }
    }
}

/// Detector name for Japanese numbers (national or `+81`).
const NAME_JP: &str = "phone";
/// Detector name for other international and NANP numbers.
const NAME_INTL: &str = "phone/intl";

/// Most groups one number may have (`+33 1 23 45 67 89` has six).
const MAX_GROUPS: usize = 8;
/// Most digits in an E.164 number.
const MAX_INTL_DIGITS: usize = 15;
/// Most digits in a Japanese or NANP national number (with the `1` prefix).
const MAX_NATIONAL_DIGITS: usize = 11;

/// One accepted number.
struct Match {
    start: usize,
    end: usize,
    /// Digit runs it used.
    groups: usize,
    name: &'static str,
}

/// What joins two digit groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
enum Sep {
    #[default]
    Hyphen,
    Space,
    Dot,
    Slash,
    Open,
    Close,
}

/// Classifies the bytes between two digit runs; the flag tells whether
/// there was a space in them.
fn classify(s: &[u8]) -> Option<(Sep, bool)> {
    if s.is_empty() || s.len() > 3 {
        return None;
    }
    let mut core = None;
    let mut spaces = 0;
    for &b in s {
        match b {
            b' ' => spaces += 1,
            b'-' | b'.' | b'/' | b'(' | b')' if core.is_none() => core = Some(b),
            _ => return None,
        }
    }
    let sep = match core {
        None if spaces <= 2 => Sep::Space,
        None => return None,
        Some(b'-') => Sep::Hyphen,
        Some(b'.') if spaces == 0 => Sep::Dot,
        Some(b'/') if spaces == 0 => Sep::Slash,
        Some(b'(') => Sep::Open,
        Some(b')') => Sep::Close,
        Some(_) => return None,
    };
    Some((sep, spaces > 0))
}

/// Digit groups joined from consecutive runs, with facts about every prefix.
#[derive(Default)]
struct Groups {
    /// Number of groups.
    n: usize,
    /// Byte end of group `k`.
    ends: [usize; MAX_GROUPS],
    /// Digits in group `k`.
    lens: [u8; MAX_GROUPS],
    /// Separator before group `k` (`k >= 1`).
    seps: [Sep; MAX_GROUPS],
    /// Parentheses balanced after group `k`.
    closed: [bool; MAX_GROUPS],
    /// Some separator up to group `k` held a space.
    spaced: [bool; MAX_GROUPS],
    /// Every digit, in order.
    digits: [u8; MAX_INTL_DIGITS],
    /// Digits in groups `0..k`, indexed by `k` (so `cum[m]` is the count in
    /// the first `m` groups).
    cum: [usize; MAX_GROUPS + 1],
}

impl Groups {
    /// The digits of the first `m` groups.
    fn digits(&self, m: usize) -> &[u8] {
        &self.digits[..self.cum[m]]
    }

    fn lens(&self, m: usize) -> &[u8] {
        &self.lens[..m]
    }

    fn push(&mut self, bytes: &[u8], run: Span, sep: Sep, closed: bool, spaced: bool) {
        let k = self.n;
        let at = self.cum[k];
        self.digits[at..at + run.len()].copy_from_slice(&bytes[run.range()]);
        self.ends[k] = run.end;
        self.lens[k] = run.len() as u8;
        self.seps[k] = sep;
        self.closed[k] = closed;
        self.spaced[k] = spaced;
        self.cum[k + 1] = at + run.len();
        self.n = k + 1;
    }
}

/// Joins runs `i..` into groups: at most `max_groups` of them and at most
/// `max_digits` digits. `lead` says a `(` opens before the first group.
fn collect(
    bytes: &[u8],
    runs: &[Span],
    i: usize,
    lead: bool,
    max_groups: usize,
    max_digits: usize,
) -> Groups {
    let mut g = Groups::default();
    let first = runs[i];
    if first.len() > max_digits {
        return g;
    }
    let mut depth = u8::from(lead);
    g.push(bytes, first, Sep::Hyphen, depth == 0, false);
    let mut uniform: Option<Sep> = None;
    let mut others = false;
    let mut spaced = false;
    while g.n < max_groups.min(MAX_GROUPS) && i + g.n < runs.len() {
        let prev = runs[i + g.n - 1];
        let next = runs[i + g.n];
        let Some((sep, sp)) = classify(&bytes[prev.end..next.start]) else {
            break;
        };
        let new_depth = match (sep, depth) {
            (Sep::Open, 0) => 1,
            (Sep::Close, 1) => 0,
            (Sep::Hyphen | Sep::Space | Sep::Dot | Sep::Slash, 0) => 0,
            _ => break,
        };
        // Dots and slashes join only their own kind.
        if matches!(sep, Sep::Dot | Sep::Slash) {
            if others || uniform.is_some_and(|u| u != sep) {
                break;
            }
            uniform = Some(sep);
        } else {
            if uniform.is_some() {
                break;
            }
            others = true;
        }
        if g.cum[g.n] + next.len() > max_digits {
            break;
        }
        depth = new_depth;
        spaced |= sp;
        g.push(bytes, next, sep, depth == 0, spaced);
    }
    g
}

/// Whether [`collect`] may join `need` digits or more from run `i` into at
/// most `max_groups` groups: the digits of the runs joined by separators
/// [`classify`] accepts, whatever their order, are an upper bound (a cheap
/// gate before building the groups).
fn can_join(bytes: &[u8], runs: &[Span], i: usize, max_groups: usize, need: usize) -> bool {
    let mut n = runs[i].len();
    let mut k = i;
    while n < need && k + 1 < runs.len() && k + 1 - i < max_groups.min(MAX_GROUPS) {
        if classify(&bytes[runs[k].end..runs[k + 1].start]).is_none() {
            break;
        }
        k += 1;
        n += runs[k].len();
    }
    n >= need
}

/// Does a `(` right before run `i` belong to the number (its `)` is the
/// first separator)?
fn lead_paren(bytes: &[u8], runs: &[Span], i: usize) -> bool {
    let r = runs[i];
    r.start > 0
        && bytes[r.start - 1] == b'('
        && runs
            .get(i + 1)
            .and_then(|n| classify(&bytes[r.end..n.start]))
            .is_some_and(|(s, _)| s == Sep::Close)
}

/// What the text before a number says about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    /// 電話, TEL, … — a phone number.
    Phone,
    /// 注文番号, No., … — some other number.
    Other,
    /// Nothing telling.
    None,
}

/// Words that mark a phone number even without 番号.
const PHONE_WORDS: &[&str] = &[
    "電話",
    "携帯",
    "tel",
    "fax",
    "phone",
    "mobile",
    "cell",
    "ファックス",
    "ファクス",
    "☎",
    "📞",
    "℡",
    "連絡先",
    "代表",
    "直通",
    "お問い合わせ",
    "お問合せ",
    "お問い合わせ先",
    "お問合せ先",
    "問い合わせ先",
    "問合せ先",
];

/// Words that, followed by 番号, still mark a phone number.
const PHONE_NUMBER_WORDS: &[&str] = &[
    "電話",
    "携帯",
    "tel",
    "fax",
    "phone",
    "ファックス",
    "ファクス",
    "連絡先",
];

/// Words that mark some other kind of number.
const OTHER_WORDS: &[&str] = &[
    "no", "id", "order", "invoice", "tracking", "ref", "isbn", "jan", "sku", "asin", "注文",
    "伝票", "品番", "型番", "口座",
];

/// Trailing punctuation between a label and its number.
fn is_label_punct(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ':' | '.'
                | '='
                | ')'
                | ']'
                | '>'
                | '-'
                | '|'
                | '/'
                | '】'
                | '」'
                | '〕'
                | '、'
                | 'は'
                | 'の'
                | '：'
        )
}

/// Does `t` end with the keyword `kw` (ASCII keywords: case-insensitive and
/// not preceded by a letter)?
fn ends_with_word(t: &str, kw: &str) -> bool {
    if kw.is_ascii() {
        let (tb, kb) = (t.as_bytes(), kw.as_bytes());
        if tb.len() < kb.len() {
            return false;
        }
        let at = tb.len() - kb.len();
        tb[at..].eq_ignore_ascii_case(kb) && (at == 0 || !tb[at - 1].is_ascii_alphabetic())
    } else {
        t.ends_with(kw)
    }
}

/// Reads the label before a number starting at `start`.
fn context(hay: &Haystack<'_>, start: usize) -> Ctx {
    let before = hay.before(start, 48);
    let t = before.trim_end_matches(is_label_punct);
    if let Some(head) = t.strip_suffix("番号") {
        let head = head.trim_end_matches(is_label_punct);
        return if PHONE_NUMBER_WORDS.iter().any(|w| ends_with_word(head, w)) {
            Ctx::Phone
        } else {
            Ctx::Other
        };
    }
    if PHONE_WORDS.iter().any(|w| ends_with_word(t, w)) {
        Ctx::Phone
    } else if OTHER_WORDS.iter().any(|w| ends_with_word(t, w)) {
        Ctx::Other
    } else {
        Ctx::None
    }
}

/// Is the number starting at `start` free of the word before it? Letters may
/// touch it only after phone context (`letters_ok`).
fn left_ok(bytes: &[u8], start: usize, letters_ok: bool) -> bool {
    let Some(&b) = start.checked_sub(1).and_then(|p| bytes.get(p)) else {
        return true;
    };
    if b.is_ascii_digit() || b == b'_' || b == b'#' || b == b'+' {
        return false;
    }
    if b.is_ascii_alphabetic() {
        return letters_ok;
    }
    if matches!(b, b'-' | b'.' | b'/' | b':') && start >= 2 {
        let p = bytes[start - 2];
        if p.is_ascii_digit() || p == b'_' {
            return false;
        }
        if p.is_ascii_alphabetic() {
            return letters_ok;
        }
    }
    true
}

/// Does the number end cleanly at `end`? `spaced` numbers also continue
/// through a space followed by a digit.
fn right_ok(text: &str, end: usize, spaced: bool) -> bool {
    let bytes = text.as_bytes();
    let Some(&b) = bytes.get(end) else {
        return true;
    };
    if is_word_byte(b) {
        return false;
    }
    let next_digit = bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
    if next_digit && (matches!(b, b'-' | b'.' | b'/' | b':') || (spaced && b == b' ')) {
        return false;
    }
    !text
        .get(end..)
        .is_some_and(|rest| rest.starts_with(['%', '円', '万', '億']))
}

/// Japan's calling code.
const JP_CC: u16 = 81;

/// Is `d` a valid Japanese national number: 10 or 11 digits, the trunk `0`
/// (never `00`), then a number Japan's numbering plan assigns (fixed lines,
/// mobiles including `060`, `060` personal numbers, IP phones, `020`,
/// toll-free, navi-dial, premium) — or one in the shape of the plan's
/// blocks that the plan does not list yet or any more (`070-0xxx-…`,
/// `011-9xx-…`: a 10-digit `0A…`, or 11 digits after `020`/`050`/`070`/
/// `080`/`090`): someone's number all the same, as far as masking goes.
fn jp_valid(det: &PhoneDetector, d: &[u8]) -> bool {
    let n = d.len();
    if !(n == 10 || n == 11) || d[0] != b'0' || d[1] == b'0' {
        return false;
    }
    if det.plans.get(JP_CC).is_some_and(|p| p.is_valid(&d[1..])) {
        return true;
    }
    let p3 = &d[..3];
    let eleven = matches!(p3, b"020" | b"050" | b"070" | b"080" | b"090");
    p3 != b"060" && eleven == (n == 11)
}

/// Is the grouping of a valid Japanese number `d` a usual one?
fn jp_strict_shape(d: &[u8], lens: &[u8]) -> bool {
    match *lens {
        [_] => true,
        [a, b, c] => {
            if d.len() == 11 {
                (a, b, c) == (3, 4, 4) || (d.starts_with(b"0800") && (a, b, c) == (4, 3, 4))
            } else {
                let shared_cost = [&b"0120"[..], b"0570", b"0990"]
                    .iter()
                    .any(|p| d.starts_with(p));
                ((2..=5).contains(&a) && (1..=4).contains(&b) && c == 4)
                    || (shared_cost && (a, b, c) == (4, 3, 3))
            }
        }
        _ => false,
    }
}

/// Is `d` (10 digits) a valid NANP number?
fn nanp_valid(d: &[u8]) -> bool {
    d.len() == 10
        && (b'2'..=b'9').contains(&d[0])
        && d[1] != b'9'
        && !(d[1] == b'1' && d[2] == b'1')
        && (b'2'..=b'9').contains(&d[3])
        && !(d[4] == b'1' && d[5] == b'1')
}

/// Tries every number that may open at run `i`.
fn try_at(det: &PhoneDetector, hay: &Haystack<'_>, runs: &[Span], i: usize) -> Option<Match> {
    let bytes = hay.bytes();
    let r = runs[i];
    let first = bytes[r.start];
    if r.start > 0 && bytes[r.start - 1] == b'+' {
        return international(det, hay, runs, i);
    }
    let national = if first == b'0' {
        if (2..=5).contains(&r.len()) || (10..=11).contains(&r.len()) {
            japanese(det, hay, runs, i)
        } else {
            None
        }
    } else if (r.len() == 3 && first >= b'2') || (r.len() == 1 && first == b'1') {
        nanp(hay, runs, i)
    } else {
        None
    };
    national
        .or_else(|| country_prefixed(det, hay, runs, i))
        .or_else(|| named_country(det, hay, runs, i))
}

/// Left edge and context of a national number starting at `start`: `None`
/// when it cannot start there.
fn national_start(hay: &Haystack<'_>, start: usize) -> Option<Ctx> {
    let bytes = hay.bytes();
    if left_ok(bytes, start, false) {
        return Some(context(hay, start));
    }
    // Glued to a letter: only a phone label may do that (`TEL03-…`).
    (left_ok(bytes, start, true) && context(hay, start) == Ctx::Phone).then_some(Ctx::Phone)
}

/// Is the number starting at `start` glued to a word of prose (two or more
/// lower-case letters after a non-alphanumeric byte: `one is415-555-0132`,
/// `call090-1234-5678`)? Such a number counts only in a usual grouped shape;
/// codes and IDs (`ID415…`, `v2-…`) are upper case, short or joined by `-`.
fn glued_to_prose(bytes: &[u8], start: usize) -> bool {
    let word = bytes[..start]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    word >= 2
        && bytes[start - word..start]
            .iter()
            .all(u8::is_ascii_lowercase)
        && (start == word || !bytes[start - word - 1].is_ascii_alphanumeric())
}

/// Context of a national number at `start`, and whether it is glued to a
/// word of prose (see [`glued_to_prose`]); `None` when it cannot start there.
fn national_edge(hay: &Haystack<'_>, start: usize) -> Option<(Ctx, bool)> {
    match national_start(hay, start) {
        Some(ctx) => Some((ctx, false)),
        None if glued_to_prose(hay.bytes(), start) => Some((Ctx::None, true)),
        None => None,
    }
}

/// A Japanese national number opening at run `i` (which starts with `0`).
fn japanese(det: &PhoneDetector, hay: &Haystack<'_>, runs: &[Span], i: usize) -> Option<Match> {
    let bytes = hay.bytes();
    // Cheaper still: not even the groups' upper bound reaches 10 digits.
    if !can_join(bytes, runs, i, 4, 10) {
        return None;
    }
    let lead = lead_paren(bytes, runs, i);
    let start = runs[i].start - usize::from(lead);
    let g = collect(bytes, runs, i, lead, 4, MAX_NATIONAL_DIGITS);
    // Cheap test before reading any context: some prefix has 10/11 digits.
    if !(1..=g.n).any(|m| matches!(g.cum[m], 10 | 11) && g.closed[m - 1]) {
        return None;
    }
    let (ctx, glued) = national_edge(hay, start)?;
    for m in (1..=g.n).rev() {
        let d = g.digits(m);
        if !g.closed[m - 1] || !jp_valid(det, d) {
            continue;
        }
        let lens = g.lens(m);
        let strict = jp_strict_shape(d, lens);
        let shape = strict || (ctx == Ctx::Phone && lens[0] >= 2);
        // After another number's label (注文番号, No.), only a number written
        // the way phones are written (grouped, valid shape) is a phone: an
        // unbroken run there is that other number. So is one glued to a word.
        let grouped = m >= 2 && strict;
        let shape = shape && (ctx != Ctx::Other || grouped) && (!glued || grouped);
        // Slashes: only the usual three groups.
        let shape = shape && (!g.seps[1..m].contains(&Sep::Slash) || (strict && m == 3));
        if shape && right_ok(hay.text(), g.ends[m - 1], g.spaced[m - 1]) {
            return Some(Match {
                start,
                end: g.ends[m - 1],
                groups: m,
                name: NAME_JP,
            });
        }
    }
    None
}

/// Are these separators a usual NANP 3-3-4 writing? `lead` says the area
/// code is in parentheses (`s1` is then its `)`).
fn nanp_seps(lead: bool, s1: Sep, s2: Sep, phone_ctx: bool) -> bool {
    use Sep::{Close, Dot, Hyphen, Space};
    if lead {
        s1 == Close && matches!(s2, Hyphen | Space | Dot)
    } else {
        matches!((s1, s2), (Hyphen, Hyphen) | (Dot, Dot))
            || (phone_ctx && matches!((s1, s2), (Space | Hyphen, Space | Hyphen)))
    }
}

/// A NANP national number opening at run `i` (three digits, or the `1`
/// country prefix).
fn nanp(hay: &Haystack<'_>, runs: &[Span], i: usize) -> Option<Match> {
    let bytes = hay.bytes();
    // Both shapes have 10 digits or more.
    if !can_join(bytes, runs, i, 4, 10) {
        return None;
    }
    let lead = lead_paren(bytes, runs, i);
    let start = runs[i].start - usize::from(lead);
    let g = collect(bytes, runs, i, lead, 4, MAX_NATIONAL_DIGITS);
    let (m, lead, s1, s2) = if g.n >= 4 && g.lens(4) == [1, 3, 3, 4] {
        if lead || !matches!(g.seps[1], Sep::Hyphen | Sep::Space | Sep::Dot | Sep::Open) {
            return None;
        }
        (4, g.seps[1] == Sep::Open, g.seps[2], g.seps[3])
    } else if g.n >= 3 && g.lens(3) == [3, 3, 4] {
        (3, lead, g.seps[1], g.seps[2])
    } else {
        return None;
    };
    let d = g.digits(m);
    if !g.closed[m - 1] || !nanp_valid(&d[d.len() - 10..]) {
        return None;
    }
    let (ctx, glued) = national_edge(hay, start)?;
    if ctx == Ctx::Other || (glued && lead) || !nanp_seps(lead, s1, s2, ctx == Ctx::Phone) {
        return None;
    }
    let end = g.ends[m - 1];
    right_ok(hay.text(), end, g.spaced[m - 1]).then_some(Match {
        start,
        end,
        groups: m,
        name: NAME_INTL,
    })
}

/// Does the plan assign the national number `n`, written with or without
/// its trunk prefix? `possible` also accepts libphonenumber's "possible"
/// shapes.
fn plan_accepts(plan: &plan::Plan, n: &[u8], possible: bool) -> bool {
    let t = plan.without_trunk(n);
    plan.is_valid(n)
        || t.is_some_and(|t| plan.is_valid(t))
        || (possible && (plan.is_possible(n) || t.is_some_and(|t| plan.is_possible(t))))
}

/// A number after its calling code written without `+`
/// (`91-415-555-0132`): a code of one to three digits standing alone, then
/// only hyphens, at least two more groups and at least eight more digits
/// that the code's plan assigns. `1-…` is left to [`nanp`].
fn country_prefixed(
    det: &PhoneDetector,
    hay: &Haystack<'_>,
    runs: &[Span],
    i: usize,
) -> Option<Match> {
    let bytes = hay.bytes();
    let r = runs[i];
    if !(1..=3).contains(&r.len()) || bytes[r.start] == b'0' {
        return None;
    }
    let next = runs.get(i + 1)?;
    if next.start != r.end + 1 || bytes[r.end] != b'-' {
        return None;
    }
    let plan = det.plans.of_digits(&bytes[r.range()])?;
    if plan.cc == 1 || !left_ok(bytes, r.start, false) {
        return None;
    }
    let g = collect(bytes, runs, i, false, MAX_GROUPS, MAX_INTL_DIGITS);
    for m in (3..=g.n).rev() {
        let end = g.ends[m - 1];
        let nat = &g.digits(m)[r.len()..];
        if g.seps[1..m].iter().any(|s| *s != Sep::Hyphen)
            || nat.len() < 8
            || !right_ok(hay.text(), end, false)
            || !plan_accepts(plan, nat, false)
        {
            continue;
        }
        if context(hay, r.start) == Ctx::Other {
            return None;
        }
        let name = if plan.cc == JP_CC { NAME_JP } else { NAME_INTL };
        return Some(Match {
            start: r.start,
            end,
            groups: m,
            name,
        });
    }
    None
}

/// Fewest digits of a national number found through a country's name.
const MIN_NAMED_DIGITS: usize = 7;

/// A national number of a country the text names right before it (`My
/// Israeli number is 09-7625400`, `My CN number is 13812345678`), assigned
/// by that country's plan.
fn named_country(
    det: &PhoneDetector,
    hay: &Haystack<'_>,
    runs: &[Span],
    i: usize,
) -> Option<Match> {
    let bytes = hay.bytes();
    let r = runs[i];
    // Cheap gate before any context: enough digits here, or more groups.
    // (A gap [`classify`] may accept starts with one of its bytes.)
    let joined = runs.get(i + 1).is_some_and(|n| {
        n.start - r.end <= 3 && matches!(bytes[r.end], b' ' | b'-' | b'.' | b'(' | b')')
    });
    if (r.len() < MIN_NAMED_DIGITS && !joined) || r.len() > MAX_INTL_DIGITS {
        return None;
    }
    if !can_join(bytes, runs, i, 6, MIN_NAMED_DIGITS) {
        return None;
    }
    let lead = lead_paren(bytes, runs, i);
    let start = r.start - usize::from(lead);
    // The country first: it is rarely named, and cheap to look for.
    let cc = det.countries.named_before(hay.before(start, 64))?;
    let g = collect(bytes, runs, i, lead, 6, MAX_INTL_DIGITS);
    if g.cum[g.n] < MIN_NAMED_DIGITS {
        return None;
    }
    let plan = det.plans.get(cc)?;
    if national_start(hay, start)? == Ctx::Other {
        return None;
    }
    (1..=g.n).rev().find_map(|m| {
        let end = g.ends[m - 1];
        let d = g.digits(m);
        (d.len() >= MIN_NAMED_DIGITS
            && !g.seps[1..m].contains(&Sep::Slash)
            && g.closed[m - 1]
            && right_ok(hay.text(), end, g.spaced[m - 1])
            && plan.is_valid_national(d))
        .then_some(Match {
            start,
            end,
            groups: m,
            name: NAME_INTL,
        })
    })
}

/// A `+CC` number whose first digits are run `i`.
fn international(
    det: &PhoneDetector,
    hay: &Haystack<'_>,
    runs: &[Span],
    i: usize,
) -> Option<Match> {
    let bytes = hay.bytes();
    let plus = runs[i].start - 1;
    if !left_ok(bytes, plus, false) && context(hay, plus) != Ctx::Phone {
        return None;
    }
    if !left_ok(bytes, plus, true) {
        return None;
    }
    let g = collect(bytes, runs, i, false, MAX_GROUPS, MAX_INTL_DIGITS);
    if g.n == 0 {
        return None;
    }
    let all = g.digits(g.n);
    let mut national = [0u8; MAX_INTL_DIGITS + 1];
    for m in (1..=g.n).rev() {
        let end = g.ends[m - 1];
        if !g.closed[m - 1]
            || g.seps[1..m].contains(&Sep::Slash)
            || !right_ok(hay.text(), end, g.spaced[m - 1])
        {
            continue;
        }
        let d = g.digits(m);
        let (ok, name) = if all.starts_with(b"81") {
            // The first `m` groups may hold fewer digits than the country
            // code (`+8(1…`): no national part yet.
            let Some(rest) = d.get(2..) else { continue };
            let nat = if rest.first() == Some(&b'0') {
                rest
            } else {
                national[0] = b'0';
                national[1..=rest.len()].copy_from_slice(rest);
                &national[..=rest.len()]
            };
            (jp_valid(det, nat), NAME_JP)
        } else if all.starts_with(b"1") {
            (d.len() == 11 && nanp_valid(&d[1..]), NAME_INTL)
        } else {
            // Written in groups, libphonenumber's "possible" shape is
            // enough; one unbroken run must be an assigned number.
            let ok = det
                .plans
                .split(d)
                .is_some_and(|(plan, nat)| plan_accepts(plan, nat, m >= 2));
            (ok, NAME_INTL)
        };
        if ok {
            return Some(Match {
                start: plus,
                end,
                groups: m,
                name,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::digits::digit_runs;
    use crate::detect::testutil::detect;
    use crate::normalize::normalize;

    /// Every phone found in `s` (after normalization), as substrings of the
    /// normalized text.
    /// One detector for every test (it compiles plans on first use).
    fn det() -> &'static PhoneDetector {
        static DET: std::sync::OnceLock<PhoneDetector> = std::sync::OnceLock::new();
        DET.get_or_init(PhoneDetector::default)
    }

    fn found(s: &str) -> Vec<String> {
        let (text, out) = detect(det(), s);
        out.iter()
            .map(|c| {
                assert_eq!(c.category, Category::Phone);
                text[c.span.range()].to_string()
            })
            .collect()
    }

    fn names(s: &str) -> Vec<&'static str> {
        let (_, out) = detect(det(), s);
        out.iter().map(|c| c.detector).collect()
    }

    #[test]
    fn numbers_grouped_by_slashes_are_phones_only_in_the_usual_three_groups() {
        // Issue 12's slash form; a fixed line and a toll-free one too.
        assert_eq!(found("携帯 070/1234/5678 まで"), ["070/1234/5678"]);
        assert_eq!(found("TEL 03/1234/5678"), ["03/1234/5678"]);
        assert_eq!(found("0120/123/456"), ["0120/123/456"]);
        // Dates, fractions, paths, and slashes mixed with hyphens are not.
        for s in [
            "2024/01/15",
            "01/15/2024",
            "070/12345678",
            "0701/234/5678",
            "070/1234-5678",
            "070/1234/5678/9",
            "+81/70/1234/5678",
            "v070/1234/5678",
        ] {
            assert!(found(s).is_empty(), "{s}: {:?}", found(s));
        }
    }

    #[test]
    fn numbers_in_kanji_digits_are_phones() {
        // The normalized view reads a telephone-length run of kanji digits
        // as digits; the plan and the shapes decide as for any number.
        assert_eq!(found("電話 〇三（三二一二）一二三四"), ["03(3212)1234"]);
        assert_eq!(
            found("携帯〇九〇－一二三四－五六七八まで"),
            ["090-1234-5678"]
        );
        assert_eq!(found("〇九〇 一二三四 五六七八"), ["090 1234 5678"]);
        assert!(found("〇〇〇〇〇〇〇〇〇〇").is_empty());
        assert!(found("二〇二六年一二月四日").is_empty());
    }

    #[test]
    fn can_join_bounds_what_collect_joins() {
        let texts = [
            "(03) 1234-5678 and 2024/12/20, 2:00〜6:00, ¥128,000",
            "ORD-2024-000123 4111-1111-1111-1111 1234 5678 9018",
            "+1 (415) 555-0132.  09-7625400 (1)(2)-3  4.5.6-7 8 . 9",
            "12 34  56   78 9-(0)1 2)3(4 5--6 7 - 8",
        ];
        for t in texts {
            let b = t.as_bytes();
            let mut runs = Vec::new();
            digit_runs(b, &mut runs);
            for i in 0..runs.len() {
                for lead in [false, true] {
                    for groups in 1..=MAX_GROUPS {
                        let g = collect(b, &runs, i, lead, groups, MAX_INTL_DIGITS);
                        let got = g.cum[g.n];
                        assert!(
                            can_join(b, &runs, i, groups, got),
                            "{t} run {i} groups {groups}"
                        );
                    }
                }
            }
        }
    }

    /// (input, the one expected match).
    const POSITIVES: &[(&str, &str)] = &[
        // Japanese fixed lines, 2–5 digit area codes.
        ("03-1234-5678", "03-1234-5678"),
        ("06-1234-5678", "06-1234-5678"),
        ("045-123-4567", "045-123-4567"),
        ("0466-12-3456", "0466-12-3456"),
        ("01267-2-3456", "01267-2-3456"),
        ("0312345678", "0312345678"),
        ("03 1234 5678", "03 1234 5678"),
        ("03(1234)5678", "03(1234)5678"),
        ("(03)1234-5678", "(03)1234-5678"),
        ("(03) 1234-5678", "(03) 1234-5678"),
        ("(0466)12-3456", "(0466)12-3456"),
        ("03.1234.5678", "03.1234.5678"),
        ("03 - 1234 - 5678", "03 - 1234 - 5678"),
        // Mobiles, IP phones, toll-free, navi-dial.
        ("090-1234-5678", "090-1234-5678"),
        ("080-1234-5678", "080-1234-5678"),
        ("070-1234-5678", "070-1234-5678"),
        ("09012345678", "09012345678"),
        ("090 1234 5678", "090 1234 5678"),
        ("050-1234-5678", "050-1234-5678"),
        ("0120-123-456", "0120-123-456"),
        ("0120123456", "0120123456"),
        ("0800-123-4567", "0800-123-4567"),
        ("0570-123-456", "0570-123-456"),
        ("0570-00-1234", "0570-00-1234"),
        ("0312-34-5678", "0312-34-5678"),
        // In running Japanese text.
        ("電話番号は0312345678です", "0312345678"),
        ("お電話は03-1234-5678まで", "03-1234-5678"),
        ("山田(090-1234-5678)まで", "090-1234-5678"),
        ("山田（090-1234-5678）まで", "090-1234-5678"),
        ("TEL:03-1234-5678", "03-1234-5678"),
        ("TEL：０３－１２３４－５６７８", "03-1234-5678"),
        ("Tel.090-1234-5678", "090-1234-5678"),
        ("TEL03-1234-5678", "03-1234-5678"),
        ("FAX 03-1234-5679", "03-1234-5679"),
        ("☎ 03-1234-5678", "03-1234-5678"),
        ("📞090-1234-5678", "090-1234-5678"),
        ("携帯：090-1234-5678", "090-1234-5678"),
        ("03-1234-5678。", "03-1234-5678"),
        ("03-1234-5678.", "03-1234-5678"),
        ("連絡先 03-1234-5678 (平日)", "03-1234-5678"),
        // Looser shapes after a phone label.
        ("TEL 03-12345678", "03-12345678"),
        ("電話 0312-34-5678", "0312-34-5678"),
        ("携帯番号: 090 12345678", "090 12345678"),
        ("FAX番号 0120-12-3456", "0120-12-3456"),
        // +81.
        ("+81-90-1234-5678", "+81-90-1234-5678"),
        ("+81 90 1234 5678", "+81 90 1234 5678"),
        ("+81 (0)3 1234 5678", "+81 (0)3 1234 5678"),
        ("+81-3-1234-5678", "+81-3-1234-5678"),
        ("+819012345678", "+819012345678"),
        ("+81312345678", "+81312345678"),
        ("+81-03-1234-5678", "+81-03-1234-5678"),
        ("+81-120-123-456", "+81-120-123-456"),
        ("TEL:+81-3-1234-5678", "+81-3-1234-5678"),
        // Other countries.
        ("+1 415 555 0132", "+1 415 555 0132"),
        ("+1-415-555-0132", "+1-415-555-0132"),
        ("+1 (415) 555-0132", "+1 (415) 555-0132"),
        ("+14155550132", "+14155550132"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("+44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
        ("+86 138 0013 8000", "+86 138 0013 8000"),
        ("+33 1 23 45 67 89", "+33 1 23 45 67 89"),
        ("+49 30 1234567", "+49 30 1234567"),
        ("+442079460958", "+442079460958"),
        ("Call +1 415 555 0132.", "+1 415 555 0132"),
        // NANP national.
        ("(415) 555-0132", "(415) 555-0132"),
        ("(415)555-0132", "(415)555-0132"),
        ("415-555-0132", "415-555-0132"),
        ("415.555.0132", "415.555.0132"),
        ("1-800-555-0199", "1-800-555-0199"),
        ("Tel: 415 555 0132", "415 555 0132"),
        ("call 212-555-0100 now", "212-555-0100"),
        // Assorted business-mail lines.
        ("TEL/FAX 03-1234-5678", "03-1234-5678"),
        // Regression (fuzz/csv): a country code split across groups.
        ("+81 3 1234 5678", "+81 3 1234 5678"),
        // Grouped phone shapes win over another number's label.
        ("注文番号：090-1234-5678", "090-1234-5678"),
        ("お問い合わせ番号 0120-444-555", "0120-444-555"),
        ("03-1234-5678(内線123)", "03-1234-5678"),
        ("受付時間 10:00-18:00 0120-123-456", "0120-123-456"),
        ("代表：０１２０－１２３－４５６", "0120-123-456"),
        ("お問い合わせ先：03-1234-5678", "03-1234-5678"),
        // `060`: 11-digit mobiles and 10-digit personal numbers, however
        // grouped (issue 12).
        ("060-1234-5678", "060-1234-5678"),
        ("06012345678", "06012345678"),
        ("060-123-4567", "060-123-4567"),
        ("0601234567", "0601234567"),
        ("06-0419-8064", "06-0419-8064"),
        ("+81 60-1234-5678", "+81 60-1234-5678"),
        ("+81600013013", "+81600013013"),
        // 020 (M2M / pager) numbers have 11 digits.
        ("020-1234-5678", "020-1234-5678"),
        // Calling codes from the numbering-plan table.
        ("+972 9-762-5400", "+972 9-762-5400"),
        ("+55 11 98456 5666", "+55 11 98456 5666"),
        ("+91 4155550132", "+91 4155550132"),
        ("+30 21 0 1234567", "+30 21 0 1234567"),
        // National numbers after a country's name.
        ("My Israeli number is 09-7625400", "09-7625400"),
        ("My CN number is 13812345678", "13812345678"),
        ("中国の携帯：13812345678", "13812345678"),
        ("Germany office: 030 1234567", "030 1234567"),
        // A country code without `+`, a number glued to a word.
        ("one is 91-415-555-0132", "91-415-555-0132"),
        ("international one is415-555-0132", "415-555-0132"),
        ("call090-1234-5678", "090-1234-5678"),
    ];

    #[test]
    fn country_code_split_across_groups_does_not_panic() {
        // Regression (fuzz/csv): `+8(1…` left fewer digits than `81` in the
        // first group and sliced past them.
        for s in ["+83.!+8(183.!+8+", "+8(1", "+8 1", "+8-1-2"] {
            let _ = found(s);
        }
    }

    #[test]
    fn positives() {
        let wrong: Vec<(&str, Vec<String>)> = POSITIVES
            .iter()
            .map(|(s, want)| (*s, *want, found(s)))
            .filter(|(_, want, f)| f != &[*want])
            .map(|(s, _, f)| (s, f))
            .collect();
        assert!(wrong.is_empty(), "wrong matches in {wrong:?}");
    }

    /// Inputs in which no phone number may be found.
    const NEGATIVES: &[&str] = &[
        // Dates and times.
        "2024-01-15",
        "2024/01/15",
        "2024.01.15",
        "令和6年1月15日",
        "10:30",
        "10:30-12:00",
        "2024-01-15 10:30-12:00",
        "20240115",
        // Prices.
        "¥12,345",
        "1,234,567円",
        "$1,234.56",
        "1,080,000円",
        "0312345678円",
        "+12.5%",
        "+1234567円",
        "+1,234",
        // Order and tracking numbers.
        "注文番号 250112-0001234",
        "注文番号 0312345678",
        "会員番号 09012345678",
        "お問い合わせ番号 0312345678",
        "Order No. 0312345678",
        "ID: 09012345678",
        "1234-5678-9012",
        "0123-4567-8901",
        "0312-3456-7890",
        "ABC-12345678",
        "ABC-0312345678",
        "#12345678",
        "#0312345678",
        // Versions, IPs, ISBNs.
        "v1.2.3",
        "10.0.19045",
        "192.168.1.100",
        "10.0.0.1",
        "2001:db8::1",
        "978-4-16-790619-9",
        "0-306-40615-2",
        "ISBN 4-06-123456-7",
        // Postal codes.
        "〒150-0002",
        "150-0002",
        "〒1500002",
        // Embedded in longer tokens or runs.
        "id0312345678x",
        "id0312345678",
        "0312345678x",
        "_0312345678",
        "03123456789",
        "090123456789",
        "0901234567890123",
        "12309012345678",
        "03-1234-5678-9",
        "1-03-1234-5678",
        "03-1234-56789",
        "090-1234-5678-12",
        "Hotel0312345678",
        // Invalid Japanese prefixes and lengths.
        "0012345678",
        "001-234-5678",
        "0901234567",
        "0601234",
        "090-123-4567",
        "0312345",
        "03-123-456",
        "0120-1234-5678",
        // Unusual groupings need a phone label.
        "03-12345678",
        "0312-345678",
        "03 1234 5678 9012",
        // Invalid NANP.
        "123-555-0132",
        "415-155-0132",
        "911-555-0132",
        "415-511-0132",
        "495-555-0132",
        "415 555 0132",
        "415-555.0132",
        // Glued to a code or ID, not to prose.
        "ID415-555-0132",
        "ABC-090-1234-5678",
        "v415-555-0132",
        "is4155550132",
        // A calling code must be followed by a number its plan assigns.
        "12-415-555-0132",
        "44-1234-5678",
        "20-12-2024",
        // A country named before some other number.
        "Israeli order no. 097625400",
        "China 注文番号 13812345678",
        "My CN number is 12345678901",
        // Not an international number.
        "3+81-90-1234-5678",
        "a+819012345678",
        "+0312345678",
        "+1 415 555 013",
        "+81-90-1234-567",
        "+12345678",
        "+1234567890123456",
        "+999 1234 5678",
        "+44 1",
        // Masked forms.
        "***-****-5678",
        "+**-**-****-5678",
        "**(****)5678",
        "090-1234-****",
        "＊＊＊－＊＊＊＊－５６７８",
        "",
        "no digits at all",
    ];

    #[test]
    fn negatives() {
        let wrong: Vec<(&str, Vec<String>)> = NEGATIVES
            .iter()
            .map(|s| (*s, found(s)))
            .filter(|(_, f)| !f.is_empty())
            .collect();
        assert!(wrong.is_empty(), "found phones in {wrong:?}");
    }

    #[test]
    fn full_width_input_after_normalization() {
        assert_eq!(found("０９０－１２３４－５６７８"), vec!["090-1234-5678"]);
        assert_eq!(found("０９０ー１２３４ー５６７８"), vec!["090-1234-5678"]);
        assert_eq!(found("０３（１２３４）５６７８"), vec!["03(1234)5678"]);
        assert_eq!(found("（０３）１２３４－５６７８"), vec!["(03)1234-5678"]);
        assert_eq!(
            found("＋８１　９０　１２３４　５６７８"),
            vec!["+81 90 1234 5678"]
        );
        assert_eq!(found("電話：０３１２３４５６７８"), vec!["0312345678"]);
        assert_eq!(
            found("０９\u{200B}０-１２３４-５６７８"),
            vec!["090-1234-5678"]
        );
        assert!(found("２０２４－０１－１５").is_empty());
        assert!(found("〒１５０－０００２").is_empty());
    }

    #[test]
    fn span_is_exact_within_text() {
        let text = "担当：山田 TEL 03-1234-5678 / FAX 03-1234-5679（平日9:00-18:00）";
        let got = found(text);
        assert_eq!(got, vec!["03-1234-5678", "03-1234-5679"]);
        let norm = normalize(text);
        let mut runs = Vec::new();
        digit_runs(norm.as_bytes(), &mut runs);
        let hay = Haystack::new(&norm, &runs);
        let mut out = Vec::new();
        det().detect(&hay, &mut out);
        let at = norm.find("03-1234-5678").unwrap();
        assert_eq!(out[0].span, Span::new(at, at + "03-1234-5678".len()));
    }

    #[test]
    fn several_numbers_in_one_text() {
        assert_eq!(
            found("03-1234-5678,090-1234-5678 / +1 415 555 0132"),
            vec!["03-1234-5678", "090-1234-5678", "+1 415 555 0132"]
        );
        assert_eq!(
            found("TEL 03-1234-5678 FAX 03-1234-5679"),
            vec!["03-1234-5678", "03-1234-5679"]
        );
        assert_eq!(found("2024-01-15 10:30 03-1234-5678"), vec!["03-1234-5678"]);
    }

    #[test]
    fn a_number_whose_last_group_opens_another_is_one_span() {
        // fuzz/regressions/masker: the mask keeps the shared `0955`, where
        // the next pass found `0955 -10 0955`.
        assert_eq!(
            found("CVV=() .0330 0955 -30 0955 -10 0955 -11dc4"),
            vec!["0955 -30 0955 -10 0955"]
        );
        assert_eq!(
            found("03-1234-5678 090-1234-5678"),
            vec!["03-1234-5678", "090-1234-5678"]
        );
    }

    #[test]
    fn detector_names() {
        assert_eq!(names("03-1234-5678"), vec!["phone"]);
        assert_eq!(names("+81-3-1234-5678"), vec!["phone"]);
        assert_eq!(names("+44 20 7946 0958"), vec!["phone/intl"]);
        assert_eq!(names("(415) 555-0132"), vec!["phone/intl"]);
    }

    #[test]
    fn masked_output_is_not_detected_again() {
        let rules = [
            ("090-1234-5678", "***-****-5678"),
            ("03(1234)5678", "**(****)5678"),
            ("+81-90-1234-5678", "+**-**-****-5678"),
            ("(415) 555-0132", "(***) ***-0132"),
            ("09012345678", "*******5678"),
        ];
        for (orig, masked) in rules {
            assert_eq!(found(orig), vec![orig]);
            assert!(found(masked).is_empty(), "masked {masked:?}");
            assert!(
                found(&format!("TEL {masked}")).is_empty(),
                "masked {masked:?}"
            );
        }
    }

    #[test]
    fn context_classification() {
        let ctx = |s: &str| {
            let runs = Vec::new();
            let hay = Haystack::new(s, &runs);
            context(&hay, s.len())
        };
        assert_eq!(ctx("TEL: "), Ctx::Phone);
        assert_eq!(ctx("電話番号は"), Ctx::Phone);
        assert_eq!(ctx("携帯電話番号："), Ctx::Phone);
        assert_eq!(ctx("TEL(代表) "), Ctx::Phone);
        assert_eq!(ctx("Hotel "), Ctx::None);
        assert_eq!(ctx("注文番号 "), Ctx::Other);
        assert_eq!(ctx("お問い合わせ番号："), Ctx::Other);
        assert_eq!(ctx("お問い合わせ先："), Ctx::Phone);
        assert_eq!(ctx("Order No. "), Ctx::Other);
        assert_eq!(ctx("piano "), Ctx::None);
        assert_eq!(ctx(""), Ctx::None);
    }

    #[test]
    fn separator_classes() {
        assert_eq!(classify(b"-"), Some((Sep::Hyphen, false)));
        assert_eq!(classify(b" - "), Some((Sep::Hyphen, true)));
        assert_eq!(classify(b") "), Some((Sep::Close, true)));
        assert_eq!(classify(b"  "), Some((Sep::Space, true)));
        assert_eq!(classify(b". "), None);
        assert_eq!(classify(b"/"), Some((Sep::Slash, false)));
        assert_eq!(classify(b"/ "), None);
        assert_eq!(classify(b"--"), None);
        assert_eq!(classify(b"   "), None);
        assert_eq!(classify(b""), None);
    }

    proptest::proptest! {
        #[test]
        fn spans_are_in_bounds_and_ordered(s in "[0-9+()\\-. 〒電話TELa番号０－]{0,40}") {
            let text = normalize(&s);
            let mut runs = Vec::new();
            digit_runs(text.as_bytes(), &mut runs);
            let hay = Haystack::new(&text, &runs);
            let mut out = Vec::new();
            det().detect(&hay, &mut out);
            let mut last = 0;
            for c in &out {
                proptest::prop_assert!(c.span.start >= last && c.span.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(c.span.start));
                proptest::prop_assert!(text.is_char_boundary(c.span.end));
                last = c.span.end;
            }
        }
    }

    #[test]
    fn never_panics_on_odd_edges() {
        for s in [
            "+", "(", "(0", "0", "+8", "+81", "(03)", "(03)1234", "03(1234", "+81 (0)", "1-",
            "1-800", "(415)", "電話", "TEL", "📞0",
        ] {
            let _ = found(s);
        }
    }
}
