//! A record's people: the names in its structured name fields (CSV 氏名/姓/名
//! columns, JSON `user_name`/`name`, a mail's From display name) are read
//! once by the masker's own detectors, which gives
//!
//! 1. the initials of name fields that have no reading field (the name
//!    detector's reading; `＊.` per part when it has none), and
//! 2. the name's other forms as document terms ([`DocTerm`]): the surname
//!    alone, the given name alone, kana and romaji spellings, which are then
//!    masked in the same record's free text ([`sweep_record`]) — and only
//!    there: the next record starts with nothing.
//!
//! A name field is read as the detectors read a labelled name, `氏名：山田
//! 太郎`, with its reading in brackets after it when the record has one
//! (`氏名：山田 太郎（ヤマダ タロウ）`), so the detector treats it as a name
//! and takes the record's reading for its initials. A sender (From display
//! name, a chat's `from`) is read as it stands: it names a shop as often as
//! a person. Nothing here knows how the detector works inside: it sees
//! findings and shared terms only.

use crate::detect::DocTerm;
use crate::masker::{Masker, Scratch};
use crate::resolve::resolve;
use crate::span::{Category, Finding, Span};

/// What the detectors made of one person's name fields.
#[derive(Clone, Debug, Default)]
pub struct PersonRead {
    /// Initials per part (`N.`, `A.`; `＊.` where no reading is known).
    pub hints: Vec<String>,
    /// The name's forms, to sweep the record's free text for.
    pub terms: Vec<DocTerm>,
}

/// Reads one person: `parts` are the values of its name fields in order
/// (family name, given name; or one full name), `readings` their readings
/// when every part has one.
pub(crate) fn read_person(
    masker: &Masker,
    parts: &[&str],
    readings: Option<&[&str]>,
    s: &mut Scratch,
) -> PersonRead {
    read_as(masker, "氏名：", parts, readings, s)
}

/// Reads a value that is often a person but not always — a mail's From
/// display name, a chat's `from` (`楽天市場`, `Amazon.co.jp`): as it stands,
/// with no label, so only what the detector itself takes for a name seeds
/// the record.
pub(crate) fn read_sender(masker: &Masker, name: &str, s: &mut Scratch) -> PersonRead {
    read_as(masker, "", &[name], None, s)
}

fn read_as(
    masker: &Masker,
    label: &str,
    parts: &[&str],
    readings: Option<&[&str]>,
    s: &mut Scratch,
) -> PersonRead {
    let mut text = String::from(label);
    let mut ranges = Vec::with_capacity(parts.len());
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(p.trim());
        ranges.push(start..text.len());
    }
    if let Some(rs) = readings.filter(|rs| rs.len() == parts.len()) {
        text.push('（');
        for (i, r) in rs.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(r.trim());
        }
        text.push('）');
    }
    let found: Vec<Finding> = masker
        .find_in_window(&text, s)
        .into_iter()
        .filter(|f| f.category == Category::Name)
        .collect();
    let terms = std::mem::take(&mut s.terms);
    let hints = ranges
        .iter()
        .enumerate()
        .map(|(i, r)| part_hint(&found, &ranges, i).unwrap_or_else(|| unread(&text[r.clone()])))
        .collect();
    PersonRead { hints, terms }
}

/// The initials of part `i` from the findings over all parts: a finding
/// over this part alone gives its hint; one over several parts gives its
/// initial for this part when it has one per part.
fn part_hint(found: &[Finding], ranges: &[std::ops::Range<usize>], i: usize) -> Option<String> {
    let r = &ranges[i];
    let mut out = String::new();
    for f in found
        .iter()
        .filter(|f| f.span.start < r.end && f.span.end > r.start)
    {
        let hint = f.hint.as_deref()?;
        let over: Vec<usize> = (0..ranges.len())
            .filter(|&j| f.span.start < ranges[j].end && f.span.end > ranges[j].start)
            .collect();
        if over.len() == 1 {
            out.push_str(hint);
            continue;
        }
        let initials: Vec<&str> = hint.split_inclusive('.').collect();
        let k = over.iter().position(|&j| j == i)?;
        if initials.len() != over.len() {
            return None;
        }
        out.push_str(initials[k]);
    }
    (!out.is_empty()).then_some(out)
}

/// The initials of a name field with no reading field: `None` when the
/// value is itself a reading (its own initials are used), else the name
/// detector's reading, else `＊.` per part.
pub(crate) fn name_hint(masker: &Masker, name: &str) -> Option<String> {
    if super::kana::is_reading(name) || name.trim().is_empty() {
        return None;
    }
    let mut s = Scratch::default();
    read_person(masker, &[name], None, &mut s).hints.pop()
}

/// `＊.` for each word of a name no reading is known for.
pub fn unread(name: &str) -> String {
    let n = name.split_whitespace().count().max(1);
    "＊.".repeat(n)
}

/// Adds to `found` (each field's findings, sorted, non-overlapping) the
/// matches of `terms` in `fields`, and resolves overlaps again. The fields
/// are swept together, one after the other with blank lines between (as
/// [`super::find_in_fields`] scans them); a match that would run from one
/// field into the next is not taken.
pub(crate) fn sweep_record(
    masker: &Masker,
    fields: &[&str],
    found: &mut [Vec<Finding>],
    terms: &[DocTerm],
    s: &mut Scratch,
) {
    if terms.is_empty() || fields.iter().all(|f| f.trim().is_empty()) {
        return;
    }
    let mut joined = String::with_capacity(fields.iter().map(|f| f.len() + SEP.len()).sum());
    let mut starts = Vec::with_capacity(fields.len());
    let mut known = Vec::new();
    for (f, fs) in fields.iter().zip(found.iter()) {
        let base = joined.len();
        starts.push(base);
        joined.push_str(f);
        joined.push_str(SEP);
        known.extend(fs.iter().map(|x| Finding {
            span: Span::new(x.span.start + base, x.span.end + base),
            ..x.clone()
        }));
    }
    for m in masker.sweep_seeded(&joined, terms, &known, s) {
        let k = starts.partition_point(|&st| st <= m.span.start) - 1;
        let base = starts[k];
        if m.span.end > base + fields[k].len() {
            continue;
        }
        let fs = &mut found[k];
        fs.push(Finding {
            span: Span::new(m.span.start - base, m.span.end - base),
            ..m
        });
        let mut all = std::mem::take(fs);
        *fs = resolve(&mut all);
    }
}

/// What separates swept fields: blank lines end every line-based context.
const SEP: &str = "\n\n\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unread_names_get_one_star_per_part() {
        assert_eq!(unread("ZZ QQ"), "＊.＊.");
        assert_eq!(unread("山田"), "＊.");
    }

    #[test]
    fn a_person_is_read_with_its_reading_and_shares_its_forms() {
        let m = Masker::builder().threads(1).build().unwrap();
        let mut s = Scratch::default();
        let p = read_person(&m, &["中川", "晃"], Some(&["ナカガワ", "アキラ"]), &mut s);
        assert_eq!(p.hints, ["N.", "A."]);
        assert!(p.terms.iter().any(|t| t.key == "中川"), "{:?}", p.terms);
        let p = read_person(&m, &["中川晃"], None, &mut s);
        assert_eq!(p.hints, ["N.A."]);
    }
}
