//! Values split over several fields of one record: a phone number in
//! `注文者電話番号1`/`2`/`3` or `市外局番`/`市内局番`/`加入者番号`, a postal code
//! in `郵便番号1`/`2`, a name in `注文者姓`/`注文者名` with its readings in
//! `注文者姓カナ`/`注文者名カナ` (`BillLastName`/`BillFirstNameKana`,
//! `last_name`/`first_name_kana`, `name01`/`kana01`).
//!
//! [`parse_header`] reads a header (CSV column or JSON key) as a *stem* and
//! a *part*: trailing digits, a local-number word (`市外局番` = 1, `市内局番`
//! = 2, `加入者番号` = 3), or a name-part word (姓 名字 苗字 氏 / 名 名前,
//! `last name` `family name` `surname` / `first name` `given name`), with a
//! reading marker (`カナ`, `フリガナ`, `kana`, `yomi`, `phonetic`) noted
//! apart. Fields with the same stem and role are one value:
//!
//! - number-shaped values (phones, postal codes) are masked as the whole
//!   number would be ([`render_group`]): with `keep-last 4`, only the last
//!   four digits of the concatenated number remain, so `03`,`7664`,`1234`
//!   become `**`,`****`,`1234`;
//! - name parts pair with the reading field of the same stem and part, and
//!   together form the record's person (see `Person` in the CSV adapter).
//!
//! Nothing here depends on one export layout: the same rules read 楽天 RMS,
//! Yahoo!ショッピング, EC-CUBE and Google Contacts headers.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::policy::Action;
use crate::rules;
use crate::span::{Category, Finding};

/// Which part of a split value a header names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// The whole value (no part suffix).
    Whole,
    /// The n-th piece (`電話番号1`, `tel_2`, `市内局番` = 2).
    Index(u8),
    /// A family name (姓, 名字, `last name`).
    Family,
    /// A given name (名, 名前, `first name`).
    Given,
}

/// A header read as a stem and a part.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HeaderParts {
    /// The header without its part and reading marker (folded: NFKC, lower
    /// case, no spaces or punctuation).
    pub stem: String,
    /// The part it names.
    pub part: Part,
    /// Whether it holds a reading (カナ, フリガナ, `kana`, `yomi`).
    pub reading: bool,
}

impl HeaderParts {
    /// The name part this header stands for: `Family`/`Given`, and for
    /// numbered name fields (`name01`, `name02`) the first piece is the
    /// family name, the second the given name (Japanese order).
    pub fn name_part(&self) -> Part {
        match self.part {
            Part::Index(1) => Part::Family,
            Part::Index(2) => Part::Given,
            p => p,
        }
    }
}

const READING_SUFFIXES: [&str; 8] = [
    "フリガナ",
    "ふりがな",
    "カナ",
    "かな",
    "furigana",
    "kana",
    "yomi",
    "reading",
];
const LOCAL_NUMBER: [(&str, u8); 3] = [("市外局番", 1), ("市内局番", 2), ("加入者番号", 3)];
/// Whole-name words that end like a part word (氏名 ends with 名).
const WHOLE_NAMES: [&str; 5] = ["氏名", "姓名", "お名前", "おなまえ", "fullname"];
const FAMILY: [&str; 7] = [
    "lastname",
    "familyname",
    "surname",
    "名字",
    "苗字",
    "姓",
    "氏",
];
const GIVEN: [&str; 4] = ["firstname", "givenname", "名前", "名"];

/// NFKC, lower case, white space and punctuation dropped, bracket contents
/// kept (`電話番号（市外局番）` → `電話番号市外局番`).
fn fold(h: &str) -> String {
    h.trim_start_matches('\u{FEFF}')
        .nfkc()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '-' | '_'
                        | '.'
                        | ':'
                        | '・'
                        | '/'
                        | '"'
                        | '\''
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '【'
                        | '】'
                        | '「'
                        | '」'
                        | '〔'
                        | '〕'
                        | '<'
                        | '>'
                )
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Reads a header as stem, part and reading marker (see the module docs).
pub fn parse_header(header: &str) -> HeaderParts {
    let mut s = fold(header);
    let mut part = Part::Whole;
    let mut reading = false;
    let strip_digits = |s: &mut String| -> Option<u8> {
        let n = s.bytes().rev().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 2 || n == s.len() {
            return None;
        }
        let v: u8 = s[s.len() - n..].parse().ok()?;
        s.truncate(s.len() - n);
        Some(v)
    };
    if let Some(n) = strip_digits(&mut s) {
        part = Part::Index(n);
    }
    if let Some(p) = s.strip_prefix("phonetic") {
        s = p.to_string();
        reading = true;
    }
    for r in READING_SUFFIXES {
        if s.len() > r.len() && s.ends_with(r) {
            s.truncate(s.len() - r.len());
            reading = true;
            break;
        }
    }
    if part == Part::Whole {
        if let Some(n) = strip_digits(&mut s) {
            part = Part::Index(n);
        }
    }
    if part == Part::Whole {
        for (w, n) in LOCAL_NUMBER {
            if let Some(stem) = s.strip_suffix(w) {
                s = stem.to_string();
                part = Part::Index(n);
                break;
            }
        }
    }
    if part == Part::Whole && !WHOLE_NAMES.iter().any(|w| s.ends_with(w)) {
        let word = |words: &[&str], s: &str| {
            words
                .iter()
                .find(|w| s.ends_with(*w))
                .map(|w| s.len() - w.len())
        };
        if let Some(cut) = word(&FAMILY, &s) {
            s.truncate(cut);
            part = Part::Family;
        } else if let Some(cut) = word(&GIVEN, &s) {
            s.truncate(cut);
            part = Part::Given;
        }
    }
    // `user_name` / `user_name_kana`, `order_name01` / `order_kana01`.
    if matches!(part, Part::Whole | Part::Index(_)) {
        if let Some(stem) = s.strip_suffix("name").filter(|st| !st.is_empty()) {
            s = stem.to_string();
        }
    }
    HeaderParts {
        stem: s,
        part,
        reading,
    }
}

/// Groups of fields that hold one number-shaped value: indices into
/// `headers` whose `roles` are the same phone or postal-code role, with the
/// same stem and numbered parts, ordered by part. Only groups of two or
/// more.
pub fn number_groups<R: Copy + PartialEq>(
    headers: &[HeaderParts],
    roles: &[Option<R>],
    number_roles: &[R],
) -> Vec<Vec<usize>> {
    // (stem, role, (part, field) pairs).
    type Group<R> = (String, R, Vec<(u8, usize)>);
    let mut groups: Vec<Group<R>> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let (Part::Index(n), Some(r)) = (h.part, roles.get(i).copied().flatten()) else {
            continue;
        };
        if !number_roles.contains(&r) || h.reading {
            continue;
        }
        match groups
            .iter_mut()
            .find(|(s, gr, _)| *s == h.stem && *gr == r)
        {
            Some((_, _, v)) => v.push((n, i)),
            None => groups.push((h.stem.clone(), r, vec![(n, i)])),
        }
    }
    groups
        .into_iter()
        .filter(|(_, _, v)| v.len() > 1)
        .map(|(_, _, mut v)| {
            v.sort_unstable();
            v.into_iter().map(|(_, i)| i).collect()
        })
        .collect()
}

/// Whether the non-empty values of a number group are pieces of one
/// number, not whole numbers each (`090-1234-5678` in both `電話番号1` and
/// `電話番号2`): pieces unless every non-empty value has ten digits or more.
pub fn are_pieces(values: &[&str]) -> bool {
    let digits = |v: &str| v.chars().filter(|c| c.is_ascii_digit()).count();
    let filled: Vec<&&str> = values.iter().filter(|v| !v.trim().is_empty()).collect();
    filled.len() > 1 && !filled.iter().all(|v| digits(v) >= 10)
}

/// Renders the findings of one number group (one whole-field finding per
/// field, or `None` for an empty field) as the concatenated value would be
/// rendered: `keep-last 4` keeps the last four digits of the whole number.
/// `None` when the action does not keep widths (a label): render each field
/// on its own then.
pub fn render_group(
    cat: Category,
    action: &Action,
    values: &[&str],
    findings: &[Option<Finding>],
) -> Option<Vec<Option<String>>> {
    if !matches!(
        action,
        Action::MaskAll | Action::KeepLast { .. } | Action::MaskLast { .. }
    ) {
        return None;
    }
    let mut joined = String::new();
    let mut lens = Vec::with_capacity(values.len());
    for (v, f) in values.iter().zip(findings) {
        match f.as_ref().and_then(|f| v.get(f.span.range())) {
            Some(piece) => {
                joined.push_str(piece);
                lens.push(piece.chars().count());
            }
            None => lens.push(0),
        }
    }
    let mut rendered = String::with_capacity(joined.len());
    rules::render(cat, action, &joined, None, &mut rendered);
    if rendered.chars().count() != joined.chars().count() {
        return None;
    }
    let mut chars = rendered.chars();
    let mut out = Vec::with_capacity(values.len());
    for ((v, f), n) in values.iter().zip(findings).zip(lens) {
        let Some(f) = f else {
            out.push(None);
            continue;
        };
        let piece: String = chars.by_ref().take(n).collect();
        if piece == v[f.span.range()] {
            out.push(None);
            continue;
        }
        let mut s = String::with_capacity(v.len());
        s.push_str(&v[..f.span.start]);
        s.push_str(&piece);
        s.push_str(&v[f.span.end..]);
        out.push(Some(s));
    }
    Some(out)
}

/// Reading fields paired with name fields of the same stem and part
/// (`注文者姓` ↔ `注文者姓カナ`, `BillLastName` ↔ `BillLastNameKana`).
pub fn pair_by_part(
    parts: &[HeaderParts],
    names: &[usize],
    readings: &[usize],
) -> HashMap<usize, Vec<usize>> {
    let mut m = HashMap::new();
    if parts.is_empty() {
        return m;
    }
    for &n in names {
        let p = &parts[n];
        let same: Vec<usize> = readings
            .iter()
            .copied()
            .filter(|&r| {
                let q = &parts[r];
                q.reading && q.stem == p.stem && q.name_part() == p.name_part()
            })
            .collect();
        if same.len() == 1 {
            m.insert(n, same);
        }
    }
    m
}

/// Name fields (indices into `parts`) grouped by stem into people, family
/// name first; whole names are people of their own.
pub fn persons(parts: &[HeaderParts], names: &[usize]) -> Vec<Vec<usize>> {
    let mut out: Vec<(&str, Vec<usize>)> = Vec::new();
    for &n in names {
        let Some(p) = parts.get(n) else {
            out.push(("", vec![n]));
            continue;
        };
        // Whole names are people of their own.
        let split = matches!(p.name_part(), Part::Family | Part::Given);
        match out.iter_mut().find(|(s, v)| {
            split && *s == p.stem && v.iter().all(|&c| parts[c].name_part() != p.name_part())
        }) {
            Some((_, v)) => v.push(n),
            None => out.push((&p.stem, vec![n])),
        }
    }
    let rank = |c: &usize| match parts.get(*c).map(HeaderParts::name_part) {
        Some(Part::Family) => 0,
        Some(Part::Given) => 1,
        _ => 2,
    };
    out.into_iter()
        .map(|(_, mut v)| {
            v.sort_by_key(rank);
            v
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(h: &str) -> (String, Part, bool) {
        let x = parse_header(h);
        (x.stem, x.part, x.reading)
    }

    #[test]
    fn headers_of_real_exports() {
        let s = |x: &str| x.to_string();
        // 楽天 RMS (受注 CSV and the order API's field names).
        assert_eq!(
            p("注文者電話番号1"),
            (s("注文者電話番号"), Part::Index(1), false)
        );
        assert_eq!(
            p("送付先郵便番号2"),
            (s("送付先郵便番号"), Part::Index(2), false)
        );
        assert_eq!(p("注文者姓"), (s("注文者"), Part::Family, false));
        assert_eq!(p("注文者名"), (s("注文者"), Part::Given, false));
        assert_eq!(p("注文者姓カナ"), (s("注文者"), Part::Family, true));
        assert_eq!(p("注文者名字フリガナ"), (s("注文者"), Part::Family, true));
        assert_eq!(p("注文者名前"), (s("注文者"), Part::Given, false));
        // Local-number words, in brackets or alone.
        assert_eq!(
            p("電話番号（市外局番）"),
            (s("電話番号"), Part::Index(1), false)
        );
        assert_eq!(p("加入者番号"), (s(""), Part::Index(3), false));
        // Yahoo!ショッピング, Google Contacts, EC-CUBE, JSON keys.
        assert_eq!(p("BillFirstNameKana"), (s("bill"), Part::Given, true));
        assert_eq!(p("ShipLastName"), (s("ship"), Part::Family, false));
        assert_eq!(p("Phonetic First Name"), (s(""), Part::Given, true));
        assert_eq!(p("Given Name Yomi"), (s(""), Part::Given, true));
        assert_eq!(p("order_name01"), (s("order"), Part::Index(1), false));
        assert_eq!(p("order_kana02"), (s("order"), Part::Index(2), true));
        assert_eq!(p("tel_2"), (s("tel"), Part::Index(2), false));
        assert_eq!(p("user_name"), (s("user"), Part::Whole, false));
        assert_eq!(p("user_name_kana"), (s("user"), Part::Whole, true));
        assert_eq!(p("last_name"), (s(""), Part::Family, false));
        // Whole names and other columns.
        assert_eq!(p("氏名"), (s("氏名"), Part::Whole, false));
        assert_eq!(p("お届け先氏名"), (s("お届け先氏名"), Part::Whole, false));
        assert_eq!(p("商品名").1, Part::Given, "a part word; grouping decides");
    }

    #[test]
    fn groups_keep_the_last_four_of_the_whole_number() {
        let keep4 = Action::KeepLast {
            n: 4,
            mask_domain: false,
        };
        let vals = ["03", "7664", "1234"];
        let fs: Vec<Option<Finding>> = vals
            .iter()
            .map(|v| super::super::role_finding(super::super::Role::Phone, v, None))
            .collect();
        let out = render_group(Category::Phone, &keep4, &vals, &fs).unwrap();
        assert_eq!(
            out,
            [Some("**".to_string()), Some("****".to_string()), None]
        );
        // A last piece shorter than four: the rule applies to the whole.
        let vals = ["090", "12345", "67"];
        let fs: Vec<Option<Finding>> = vals
            .iter()
            .map(|v| super::super::role_finding(super::super::Role::Phone, v, None))
            .collect();
        let out = render_group(Category::Phone, &keep4, &vals, &fs).unwrap();
        assert_eq!(
            out,
            [Some("***".to_string()), Some("***45".to_string()), None]
        );
        assert!(
            render_group(Category::Phone, &Action::Label { label: None }, &vals, &fs).is_none()
        );
        assert!(are_pieces(&["03", "7664", "1234"]));
        assert!(!are_pieces(&["090-1234-5678", "03-1234-5678"]));
        assert!(!are_pieces(&["090-1234-5678", ""]));
    }
}
