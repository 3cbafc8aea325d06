//! Person names (氏名) → romaji initials.
//!
//! # How names are found
//!
//! 1. The window is cut into *segments*: lines, split again after `。！？`
//!    and at most [`MAX_SEGMENT`] bytes long. Only segments that can hold a
//!    name are tokenized: they must contain kanji or kana and either the
//!    first two characters of a person name of the dictionary or a context
//!    word (an honorific, a title, a label). Text without such a hit — ASCII,
//!    digits, ordinary prose — is never tokenized, which is what makes the
//!    detector faster than tokenizing everything.
//! 2. Tokens (lindera, IPADIC) are read by rules: a surname followed by a
//!    given name is a name anywhere; a single name, an unknown word or a
//!    proper noun is one only in context — before an honorific or title
//!    (`様`, `さん`, `部長`), after a label (`氏名：`, `担当：`, `From:`), in a
//!    chat speaker (`[10:11] 山田:`) or an `@mention`, or alone on a line.
//!    A name right before a place or company word (`千葉県`, `山田商事`) is
//!    not one.
//! 3. Readings (`（ヤマダ タロウ）`, `フリガナ：…`) next to a name are names
//!    too, and give the initials of names the dictionary cannot read.
//! 4. Every name found seeds its other forms — surname alone, given name
//!    alone, katakana, hiragana and romaji spellings (and katakana words
//!    spelling a romaji name) — which are masked wherever they occur within
//!    [`PROPAGATION`] bytes of the seed, and shared with the pipeline as
//!    document terms ([`DocTerm`]): the pipeline sweeps every later chunk
//!    for them ([`Detector::sweep`]), so a form is masked anywhere after the
//!    name's first sighting in the document, however far.
//! 5. A given name right after a surname found alone is taken with it
//!    (`栗花落 智子` in a signature).
//!
//! The initials are the Hepburn initials of each part's reading
//! ([`romaji::initial`]); a part with no known reading is `＊.`.
//!
//! # Locality
//!
//! Tokenizing a segment depends on the segment only, and a propagated
//! mention on seeds within [`PROPAGATION`] bytes (≤ [`super::MAX_CONTEXT`] minus two
//! segments), so the output does not depend on chunk boundaries. The
//! document sweep keeps that: a term applies after the absolute offset of
//! its first sighting, which is the same however the input is chunked. The
//! price: a form written *before* the name's first sighting and more than
//! 8 KiB away from it is masked only if it is found on its own (the output
//! cannot wait for the end of a stream); and a line of more than 16 KiB
//! without `。` or a newline may be segmented differently near a window
//! edge. Structured inputs (CSV, JSON, mail) are masked field batch by field
//! batch and get the 8 KiB propagation only.
//!
//! # Threads
//!
//! The detector is immutable and shared; the tokenizer's lattice is per
//! thread (a `thread_local` in [`lexicon`]), reused across calls.

pub mod clusters;
pub mod context;
#[doc(hidden)]
pub mod crf;
mod decide;
#[doc(hidden)]
pub mod eval;
pub mod features;
pub mod gazetteer;
pub mod lexicon;
pub mod model;
mod parts;
pub mod readings;
pub mod romaji;
pub mod table;
#[doc(hidden)]
pub mod train;

use std::collections::HashMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};

use self::context::*;
use self::features::Evidence;
use self::lexicon::{Lexicon, Pos, Tok, GIVEN, PERSON, SURNAME};
use self::romaji::{is_kana, is_kanji, to_katakana};
use super::{Candidate, Detector, DocTerm, DocTerms, Haystack};
use crate::error::Error;
use crate::span::Category;

/// How far (bytes) from a name a reading of it is looked for.
const FURIGANA_REACH: usize = 300;
/// Longest segment tokenized at once, in bytes.
pub const MAX_SEGMENT: usize = 2048;
/// How far (bytes) a name's other forms are searched from where it was found.
pub const PROPAGATION: usize = super::TERM_LOCAL_REACH;
/// Context levels of [`NameDetector::nameish`].
const WEAK: u8 = 0;
const MEDIUM: u8 = 1;
const STRONG: u8 = 2;

/// The longest text taken as a name after a label.
const MAX_NAME_CHARS: usize = 16;

/// One entry of a customer list: a surface and its reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Customer {
    /// The name as written (`山田 太郎`); spaces separate parts.
    pub surface: String,
    /// Its reading (`ヤマダ タロウ`), or empty.
    pub reading: String,
}

/// Parses a customer list: CSV lines `surface,reading` (the reading may be
/// missing; `#` comment lines, blank lines and a header `surface,reading`
/// are skipped).
pub fn parse_customers(text: &str) -> Vec<Customer> {
    text.trim_start_matches('\u{FEFF}')
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.splitn(2, ',');
            let surface = f.next()?.trim().trim_matches('"').to_string();
            let reading = f.next().unwrap_or("").trim().trim_matches('"').to_string();
            (surface != "surface" && !surface.is_empty()).then_some(Customer { surface, reading })
        })
        .collect()
}

/// The name detector.
#[derive(Debug)]
pub struct NameDetector {
    lex: std::sync::Arc<Lexicon>,
    model: std::sync::Arc<model::Model>,
    customers: Option<(AhoCorasick, Vec<Vec<Part>>)>,
    allow: Vec<String>,
}

/// One part of a name (surname, given name, or one word of a foreign name).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Part {
    start: usize,
    end: usize,
    initial: Option<char>,
    /// Katakana reading, when known.
    reading: String,
}

#[derive(Clone, Debug)]
struct Mention {
    start: usize,
    end: usize,
    parts: Vec<Part>,
    /// A reading (furigana) rather than the name as written.
    furigana: bool,
    /// The rule that found it ([`Evidence::None`]: the model, or a form).
    evidence: Evidence,
    /// Found with evidence strong enough for its other forms to be masked
    /// elsewhere in the document.
    strong: bool,
}

impl NameDetector {
    /// The detector with the embedded IPADIC, or with the compiled lindera
    /// dictionary in `dict_dir`.
    ///
    /// # Errors
    ///
    /// A dictionary that cannot be loaded.
    pub fn new(dict_dir: Option<&Path>) -> Result<NameDetector, Error> {
        Ok(NameDetector {
            lex: match dict_dir {
                None => Lexicon::embedded()?,
                Some(d) => std::sync::Arc::new(Lexicon::load(Some(d))?),
            },
            model: model::Model::embedded()?,
            customers: None,
            allow: Vec::new(),
        })
    }

    /// The detector with another model than the embedded one (training
    /// and cross-validation).
    pub fn with_model(mut self, model: std::sync::Arc<model::Model>) -> NameDetector {
        self.model = model;
        self
    }

    /// Names that are always masked, wherever they are.
    ///
    /// # Errors
    ///
    /// An automaton that cannot be built.
    pub fn with_customers(mut self, list: &[Customer]) -> Result<NameDetector, Error> {
        let list: Vec<&Customer> = list
            .iter()
            .filter(|c| !c.surface.trim().is_empty())
            .collect();
        if list.is_empty() {
            return Ok(self);
        }
        let mut pats = Vec::new();
        let mut parts = Vec::new();
        for c in list {
            let norm = crate::normalize::normalize(&c.surface);
            let words: Vec<&str> = norm.split(' ').filter(|w| !w.is_empty()).collect();
            let readings: Vec<String> = crate::normalize::normalize(&c.reading)
                .split([' ', '・'])
                .filter(|w| !w.is_empty())
                .map(|w| w.chars().map(to_katakana).collect())
                .collect();
            let mut ps = Vec::new();
            if readings.len() > 1 && words.len() <= 1 {
                for r in &readings {
                    ps.push(Part {
                        start: 0,
                        end: 0,
                        initial: romaji::initial(r),
                        reading: r.clone(),
                    });
                }
            } else {
                for (i, w) in words.iter().enumerate() {
                    let r = readings.get(i).cloned().or_else(|| {
                        w.chars()
                            .all(is_kana)
                            .then(|| w.chars().map(to_katakana).collect())
                    });
                    let initial = match &r {
                        Some(r) => romaji::initial(r),
                        None => romaji::latin_initial(w)
                            .or_else(|| self.lex.name(w).and_then(|n| romaji::initial(n.reading))),
                    };
                    ps.push(Part {
                        start: 0,
                        end: 0,
                        initial,
                        reading: r.unwrap_or_default(),
                    });
                }
            }
            // Match with and without the space between the parts.
            pats.push(norm.clone());
            parts.push(ps.clone());
            if words.len() > 1 {
                pats.push(words.concat());
                parts.push(ps);
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&pats)
            .map_err(|e| Error::Build {
                detector: "name",
                message: e.to_string(),
            })?;
        self.customers = Some((ac, parts));
        Ok(self)
    }

    /// Names never masked, and never used to find other mentions (the
    /// masker drops allowed spans anyway; this keeps them from seeding).
    pub fn with_allowed(mut self, terms: &[String]) -> NameDetector {
        self.allow = terms
            .iter()
            .map(|t| crate::normalize::normalize(t))
            .collect();
        self
    }

    /// True when a segment can hold a name: the prefilter.
    fn worth_tokenizing(&self, seg: &str) -> bool {
        let mut prev = '\0';
        let mut before_prev = '\0';
        for c in seg.chars() {
            match c {
                '様' | '殿' | '氏' | '君' | '長' | '担' | '名' | '者' | '生' | '宛' | '司' => {
                    return true
                }
                // 記録 (not 登録), an @mention of a Japanese name (not e-mail).
                '録' if prev == '記' => return true,
                _ if prev == '@' && !c.is_ascii() => return true,
                'ん' if prev == 'さ' || prev == 'く' => return true,
                'ま' if prev == 'さ' => return true,
                'ゃ' if prev == 'ち' => return true,
                'ナ' if prev == 'ガ' || prev == 'カ' => return true,
                // ふりがな / よみがな (reading labels).
                'な' if prev == 'が' => return true,
                // でございます / と申します (not ございました, 申し上げます).
                'ざ' if prev == 'ご' && before_prev == 'で' => return true,
                '申' if prev == 'と' => return true,
                // Name + colon after a time stamp or a bullet (a chat
                // speaker, a ticket log, an action item).
                ':' if !prev.is_ascii()
                    && seg.trim_start().starts_with(|c: char| {
                        matches!(c, '[' | '-' | '*' | '・' | '●' | '■' | '•' | '>')
                            || c.is_ascii_digit()
                    }) =>
                {
                    return true
                }
                // Katakana words joined by ・ or = (a foreign name).
                '・' | '=' if ('ァ'..='ヺ').contains(&prev) => return true,
                // Two words split by a space (林 蓮).
                _ if prev == ' ' && is_kanji(c) && is_kanji(before_prev) => return true,
                _ => {}
            }
            if is_kanji(prev) && self.lex.starts_name(prev, c) {
                return true;
            }
            before_prev = prev;
            prev = c;
        }
        false
    }

    fn reading_of(&self, text: &str, t: &Tok) -> Option<String> {
        let s = &text[t.start..t.end];
        if let Some(n) = t.name {
            return Some(n.reading.to_string());
        }
        if s.chars().all(|c| is_kana(c) || c == '・') {
            return Some(s.chars().filter(|&c| c != '・').map(to_katakana).collect());
        }
        let r = self.lex.reading(t.word);
        (!r.is_empty()).then(|| r.to_string())
    }

    /// A part made of tokens `ts` (contiguous, no spaces); a single token
    /// holding `・` (an unknown foreign name) is one part per word.
    fn push_part(&self, text: &str, ts: &[Tok], out: &mut Vec<Part>) {
        let s = &text[ts[0].start..ts[ts.len() - 1].end];
        if ts.len() == 1 && s.contains(['・', '=']) {
            let mut off = ts[0].start;
            for w in s.split(['・', '=']) {
                if !w.is_empty() {
                    let r: String = w.chars().map(to_katakana).collect();
                    let initial = romaji::initial(&r).or_else(|| romaji::latin_initial(w));
                    out.push(Part {
                        start: off,
                        end: off + w.len(),
                        initial,
                        reading: if w.chars().all(is_kana) {
                            r
                        } else {
                            String::new()
                        },
                    });
                }
                off += w.len()
                    + '・'
                        .len_utf8()
                        .min(if text[off + w.len()..].starts_with('=') {
                            1
                        } else {
                            3
                        });
            }
            return;
        }
        out.push(self.part(text, ts));
    }

    /// A part made of tokens `ts` (contiguous, no spaces).
    fn part(&self, text: &str, ts: &[Tok]) -> Part {
        let start = ts[0].start;
        let end = ts[ts.len() - 1].end;
        let s = &text[start..end];
        if s.is_ascii() {
            return Part {
                start,
                end,
                initial: romaji::latin_initial(s),
                reading: String::new(),
            };
        }
        // UniDic's common reading of the part as a name (充 ミツル, where
        // IPADIC's cheapest person entry is タカシ).
        if let Some(r) = readings::common_reading(s, readings::Role::Any) {
            return Part {
                start,
                end,
                initial: romaji::initial(&r),
                reading: r,
            };
        }
        // The whole part may be a name the tokenizer split.
        if let Some(n) = self.lex.name(s) {
            return Part {
                start,
                end,
                initial: romaji::initial(n.reading),
                reading: n.reading.to_string(),
            };
        }
        // A name IPADIC does not have as one: ENAMDICT's reading.
        if let Some(r) = readings::enamdict_reading(s, readings::Role::Any) {
            return Part {
                start,
                end,
                initial: romaji::initial(&r),
                reading: r,
            };
        }
        let mut reading = String::new();
        let mut complete = true;
        for t in ts {
            match self.reading_of(text, t) {
                Some(r) => reading.push_str(&r),
                None => complete = false,
            }
        }
        let first = self.reading_of(text, &ts[0]);
        let initial = first.as_deref().and_then(romaji::initial);
        Part {
            start,
            end,
            initial,
            reading: if complete { reading } else { String::new() },
        }
    }

    /// Splits a run of tokens (which may hold spaces) into parts: at spaces
    /// and `・`, and between a surname and a given name written together.
    /// The end of a name word starting at token `from`: name-like tokens (at
    /// `level`) up to a space or `・`/`=`, one to four characters in all.
    fn name_word(&self, text: &str, toks: &[Tok], from: usize, level: u8) -> Option<usize> {
        let tx = |t: &Tok| &text[t.start..t.end];
        let mut end = from;
        let mut chars = 0;
        while end < toks.len()
            && tx(&toks[end]) != " "
            && self.nameish(text, &toks[end], level)
            && !matches!(tx(&toks[end]), "・" | "=")
        {
            chars += tx(&toks[end]).chars().count();
            end += 1;
        }
        (end > from && chars <= 4).then_some(end)
    }

    /// The mention covering the tokens of `run`, split into its parts.
    fn mention_of(&self, text: &str, run: &[Tok], evidence: Evidence) -> Mention {
        let mut parts = Vec::new();
        self.parts(text, run, &mut parts);
        Mention {
            start: run.first().map_or(0, |t| t.start),
            end: run.last().map_or(0, |t| t.end),
            parts,
            furigana: false,
            evidence,
            strong: false,
        }
    }

    /// A short kanji group IPADIC does not know as a name but ENAMDICT
    /// does (`與那覇`, `颯太`): one part, not split at its tokens.
    fn enamdict_word(&self, text: &str, group: &[Tok]) -> bool {
        let (Some(a), Some(b)) = (group.first(), group.last()) else {
            return false;
        };
        let s = &text[a.start..b.end];
        group.len() > 1
            && s.chars().count() <= 3
            && s.chars().all(is_kanji)
            && self.lex.name(s).is_none()
            && gazetteer::Gazetteer::embedded()
                .lookup(s)
                .is_some_and(|e| e.kinds().contains(gazetteer::Kinds::PERSON))
    }

    fn parts(&self, text: &str, run: &[Tok], out: &mut Vec<Part>) {
        let first = out.len();
        self.split_parts(text, run, out);
        self.read_by_role(text, &mut out[first..]);
    }

    /// Splits a run into its parts (see [`NameDetector::parts`]).
    fn split_parts(&self, text: &str, run: &[Tok], out: &mut Vec<Part>) {
        let mut i = 0;
        while i < run.len() {
            if is_sep_tok(text, &run[i]) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < run.len() && !is_sep_tok(text, &run[j]) {
                j += 1;
            }
            // Split a group at a surname → given-name boundary.
            let group = &run[i..j];
            if self.enamdict_word(text, group) {
                self.push_part(text, group, out);
                i = j;
                continue;
            }
            let mut k = 0;
            let mut from = 0;
            while k + 1 < group.len() {
                let a = group[k].name.map_or(0, |n| n.kinds);
                let b = group[k + 1].name.map_or(0, |n| n.kinds);
                let a_person = group[k].pos == Pos::Person || a & SURNAME != 0;
                if a_person
                    && a & SURNAME != 0
                    && b & GIVEN != 0
                    && (group[k + 1].pos == Pos::Person || k + 2 == group.len())
                {
                    self.push_part(text, &group[from..=k], out);
                    from = k + 1;
                }
                k += 1;
            }
            let kanji_group = group
                .iter()
                .all(|t| text[t.start..t.end].chars().all(is_kanji));
            let is_sur =
                |t: &Tok| t.pos == Pos::Person && t.name.is_some_and(|n| n.kinds & SURNAME != 0);
            let is_given =
                |t: &Tok| t.pos == Pos::Person && t.name.is_some_and(|n| n.kinds & GIVEN != 0);
            if from == 0
                && group.len() >= 2
                && kanji_group
                && self
                    .lex
                    .name(&text[group[0].start..group[group.len() - 1].end])
                    .is_none_or(|n| n.kinds & PERSON == 0)
            {
                // A known surname and an unknown given name (鈴木結愛), or an
                // unknown surname and a known given name (百目鬼翔太).
                if is_sur(&group[0]) && !group[1..].iter().any(is_sur) {
                    from = 1;
                    self.push_part(text, &group[..1], out);
                } else if is_given(&group[group.len() - 1])
                    && !group[..group.len() - 1]
                        .iter()
                        .any(|t| t.pos == Pos::Person)
                {
                    self.push_part(text, &group[..group.len() - 1], out);
                    from = group.len() - 1;
                }
            }
            let rest = &group[from..];
            if from == 0 && kanji_group && self.split_written_together(text, rest, out) {
                i = j;
                continue;
            }
            self.push_part(text, rest, out);
            i = j;
        }
    }

    /// Finds names in one tokenized segment.
    fn rules(&self, text: &str, toks: &[Tok], out: &mut Vec<Mention>) {
        let n = toks.len();
        let tx = |t: &Tok| &text[t.start..t.end];
        // 1. Labels: 氏名：X, 担当 X, From: X, 出席者：X、Y（部）、Z
        let mut i = 0;
        while i < n {
            let s = &text[toks[i].start..];
            if !s.starts_with(label_first) {
                i += 1;
                continue;
            }
            let label = LABELS
                .iter()
                .filter(|(l, _)| s.starts_with(*l))
                .max_by_key(|(l, _)| l.len())
                .copied();
            let reading_label = READING_LABELS.iter().find(|l| s.starts_with(**l));
            if label.is_none() && reading_label.is_none() {
                i += 1;
                continue;
            }
            // The label must start the line or follow a space / bracket.
            let before = text[..toks[i].start].chars().next_back();
            let ok_before = matches!(
                before,
                None | Some(
                    '\n' | ' '
                        | '\t'
                        | '['
                        | '【'
                        | '■'
                        | '・'
                        | '('
                        | '>'
                        | '|'
                        | '*'
                        | '-'
                        | '「'
                        | '◆'
                        | '●'
                        | '□'
                        | 'の'
                        | '、'
                        | '。'
                        | '！'
                        | '？'
                )
            );
            let label_end = toks[i].start
                + label
                    .map_or(0, |l| l.0.len())
                    .max(reading_label.map_or(0, |l| l.len()));
            // Skip the rest of the label's tokens, then separators.
            let mut k = i;
            while k < n && toks[k].end <= label_end {
                k += 1;
            }
            if !ok_before || k == n || toks[k].start != label_end {
                i += 1;
                continue;
            }
            // A bracketed note after the label: お名前（ひらがな）：
            if tx(&toks[k]).starts_with('(') {
                if let Some(close) = text[label_end..].find(')').filter(|&c| c < 40) {
                    let after = label_end + close + 1;
                    while k < n && toks[k].end <= after {
                        k += 1;
                    }
                    let straddles_ok = k < n
                        && toks[k].start < after
                        && text[after..toks[k].end].chars().all(is_label_sep);
                    if k == n || (toks[k].start != after && !straddles_ok) {
                        i += 1;
                        continue;
                    }
                }
            }
            let mut had_sep = false;
            while k < n && (tx(&toks[k]) == "は" || tx(&toks[k]).chars().all(is_label_sep)) {
                had_sep = true;
                k += 1;
            }
            if !had_sep || k == n {
                i += 1;
                continue;
            }
            // A value written in kana only is a reading.
            let kana_value = {
                let rest = &text[toks[k].start..toks[n - 1].end];
                let rest = rest.trim_end();
                !rest.is_empty()
                    && rest.chars().count() <= 20
                    && rest.chars().all(|c| is_kana(c) || c == ' ' || c == '・')
                    && rest.chars().any(|c| ('ぁ'..='ゖ').contains(&c))
            };
            if reading_label.is_some() || kana_value {
                // A reading: kana and spaces up to the end of the segment.
                let from = toks[k].start;
                let mut e = k;
                while e < n
                    && tx(&toks[e])
                        .chars()
                        .all(|c| is_kana(c) || c == ' ' || c == '・')
                {
                    e += 1;
                }
                if e > k {
                    let mut parts = Vec::new();
                    self.parts(text, &toks[k..e], &mut parts);
                    let end = toks[e - 1].end;
                    let end = from + text[from..end].trim_end().len();
                    out.push(Mention {
                        start: from,
                        end,
                        parts,
                        furigana: true,
                        evidence: Evidence::Reading,
                        strong: false,
                    });
                }
                i = e.max(i + 1);
                continue;
            }
            let (_, list) = label.unwrap_or(("", false));
            loop {
                let e = self.label_run(text, toks, k);
                if e > k {
                    let run = trim_seps(text, &toks[k..e]);
                    if !run.is_empty() && self.acceptable_label_value(text, run) {
                        let mut parts = Vec::new();
                        self.parts(text, run, &mut parts);
                        out.push(Mention {
                            start: run[0].start,
                            end: run[run.len() - 1].end,
                            parts,
                            furigana: false,
                            evidence: Evidence::Label,
                            strong: false,
                        });
                    }
                }
                if !list {
                    break;
                }
                // Skip honorifics, a parenthesised group and the list
                // separator, on the text (tokens may straddle brackets).
                let mut at = if e < n { toks[e].start } else { break };
                let seg_end = toks[n - 1].end;
                let mut depth = 0usize;
                let mut sep = false;
                while at < seg_end {
                    let c = text[at..].chars().next().unwrap_or(' ');
                    if depth == 0 {
                        if let Some((l, _)) = self.honorific_at(text, at) {
                            at += l;
                            continue;
                        }
                    }
                    match c {
                        '(' => depth += 1,
                        ')' if depth > 0 => depth -= 1,
                        ' ' => {}
                        '、' | ',' | '，' | '/' if depth == 0 => {
                            sep = true;
                            at += c.len_utf8();
                            break;
                        }
                        _ if depth > 0 => {}
                        _ => break,
                    }
                    at += c.len_utf8();
                }
                if !sep {
                    break;
                }
                match toks
                    .iter()
                    .position(|t| t.start >= at && !tx(t).trim().is_empty())
                {
                    Some(p) if toks[p].start == at || text[at..toks[p].start].trim().is_empty() => {
                        k = p
                    }
                    _ => break,
                }
            }
            i = k.max(i + 1);
        }
        // 2. Honorifics and titles after a name; chat speakers; @mentions;
        //    full names; lines that are only a name.
        let mut i = 0;
        while i < n {
            let t = &toks[i];
            let at_after = self.honorific_at(text, t.start);
            if let Some((_, level)) = at_after {
                // One space may stand before the honorific (山田 太郎 様).
                let i = if i > 1 && tx(&toks[i - 1]) == " " {
                    i - 1
                } else {
                    i
                };
                // So may a bracketed reading (山田（ヤマダ）様).
                let i = bracketed_reading_before(text, toks, i);
                // Walk back over name-like tokens.
                let mut j = i;
                while j > 0 && self.nameish(text, &toks[j - 1], level) && i - j < 6 {
                    j -= 1;
                }
                while j < i && matches!(tx(&toks[j]), "・" | "=") {
                    j += 1;
                }
                // A second part before a space (石川 由美子 様, 渡邊　ユウキ 様).
                if j > 1
                    && j < i
                    && tx(&toks[j - 1]) == " "
                    && self.nameish(text, &toks[j - 2], level.min(MEDIUM))
                {
                    let mut k = j - 1;
                    while k > 0 && self.nameish(text, &toks[k - 1], level.min(MEDIUM)) && j - k < 4
                    {
                        k -= 1;
                    }
                    if toks[k..j - 1]
                        .iter()
                        .any(|t| t.pos == Pos::Person || t.name.is_some() || t.pos == Pos::Unknown)
                    {
                        j = k;
                    }
                }

                if j < i && self.run_ok(text, toks, j, i, level) {
                    out.push(self.mention_of(
                        text,
                        &toks[j..i],
                        match level {
                            STRONG => Evidence::HonorStrong,
                            MEDIUM => Evidence::HonorIntro,
                            _ => Evidence::HonorTitle,
                        },
                    ));
                }
            }
            // Two name-like words, one a known surname or given name, split by
            // a space (髙橋 悠真, 林 蓮) or glued to a given name (﨑山翔太).
            if let Some(e) = self.full_name_at(text, toks, i) {
                out.push(self.mention_of(text, &toks[i..e], Evidence::FullName));
                i = e;
                continue;
            }
            // Surname (+ space) + given name: a full name anywhere.
            if t.pos == Pos::Person && t.name.is_some_and(|n| n.kinds & SURNAME != 0) {
                let mut j = i + 1;
                if j < n && tx(&toks[j]) == " " {
                    j += 1;
                }
                if j < n
                    && toks[j].pos == Pos::Person
                    && toks[j].name.is_some_and(|n| n.kinds & GIVEN != 0)
                    && !self.place_after(text, toks[j].end)
                    && !self.org_before(text, t.start)
                {
                    out.push(self.mention_of(text, &toks[i..=j], Evidence::DictFull));
                    i = j + 1;
                    continue;
                }
            }
            // Katakana words joined by ・ or = with a person name among them
            // (アンナ・シュミット, オリバー=ウィリアムズ).
            if is_katakana_word(tx(t))
                && i + 2 < n
                && matches!(tx(&toks[i + 1]), "・" | "=")
                && is_katakana_word(tx(&toks[i + 2]))
                && (i == 0 || !is_katakana_word(tx(&toks[i - 1])))
            {
                let mut e = i + 1;
                while e + 1 < n
                    && matches!(tx(&toks[e]), "・" | "=")
                    && is_katakana_word(tx(&toks[e + 1]))
                {
                    e += 2;
                }
                let glued_after = e < n && is_katakana_word(tx(&toks[e]));
                if !glued_after
                    && toks[i..e].iter().any(|t| t.pos == Pos::Person)
                    && self.run_ok(text, toks, i, e, WEAK)
                {
                    out.push(self.mention_of(text, &toks[i..e], Evidence::Foreign));
                    i = e;
                    continue;
                }
            }
            // @mention — not the `@` of an e-mail-like word (`CVV@宮崎`):
            // its initials would make an address (`CVV@M.tC`) that the
            // next pass masks (fuzz/masker: idempotence).
            if tx(t) == "@" && i + 1 < n && !decide::after_mail_at(text, t.end) {
                let mut e = i + 1;
                while e < n && self.nameish(text, &toks[e], MEDIUM) && e - i <= 3 {
                    e += 1;
                }
                if e > i + 1 && self.run_ok(text, toks, i + 1, e, MEDIUM) {
                    out.push(self.mention_of(text, &toks[i + 1..e], Evidence::At));
                }
            }
            i += 1;
        }
        // A speaker after a time (`9/15（月） 13:15 山田：`) and a name before
        // an address (`> 2024/11/24 百目鬼 <domeki@...> wrote:`).
        for c in 1..n {
            let tc = tx(&toks[c]);
            let colon = matches!(tc, ":");
            let addr = tc == "<"
                && text[toks[c].end..]
                    .split('>')
                    .next()
                    .is_some_and(|a| a.contains('@') && a.len() < 100);
            if !colon && !addr {
                continue;
            }
            let mut e = c;
            if addr && tx(&toks[e - 1]) == " " {
                e -= 1;
            }
            let mut j = e;
            while j > 0 && self.nameish(text, &toks[j - 1], STRONG) && e - j < 6 {
                j -= 1;
            }
            while j < e && matches!(tx(&toks[j]), "・" | "=") {
                j += 1;
            }
            if j == e || j == 0 {
                continue;
            }
            // What stands before: a space after a time or a date.
            let before = text[..toks[j].start].trim_end_matches(' ');
            let timed = before.len() < toks[j].start
                && (before
                    .ends_with(|c: char| c.is_ascii_digit() || c == ')' || c == ']' || c == '日'))
                && (addr || before.rsplit(' ').next().is_some_and(is_clock));
            if timed && self.run_ok(text, toks, j, e, STRONG) {
                out.push(self.mention_of(text, &toks[j..e], Evidence::Speaker));
            }
        }
        // Chat speaker: `[10:11] 山田太郎: ...`, a bullet `- 山田：...`, or a
        // line that is only a name.
        let mut first = toks.iter().position(|t| !tx(t).trim().is_empty());
        let mut bullet = false;
        if let Some(f) = first {
            if matches!(tx(&toks[f]), "-" | "*" | "・" | "●" | "■" | "◆" | "○" | "•") {
                bullet = true;
                first = toks[f + 1..]
                    .iter()
                    .position(|t| !tx(t).trim().is_empty())
                    .map(|p| f + 1 + p);
            }
        }
        // Skip a `[10:11]` time stamp.
        if let Some(f) = first {
            if tx(&toks[f]) == "[" {
                if let Some(c) = toks[f..].iter().position(|t| tx(t) == "]") {
                    first = toks[f + c + 1..]
                        .iter()
                        .position(|t| !tx(t).trim().is_empty())
                        .map(|p| f + c + 1 + p);
                }
            }
        }
        if let Some(f) = first {
            let line_start = text[..toks[f].start].rfind('\n').map_or(0, |p| p + 1);
            let lead = &text[line_start..toks[f].start];
            let stamp = lead.trim_end().ends_with(']') && lead.trim_start().starts_with('[');
            let level = if stamp {
                STRONG
            } else if bullet {
                MEDIUM
            } else {
                WEAK
            };
            let mut e = f;
            while e < n && self.nameish(text, &toks[e], level) && e - f < 6 {
                e += 1;
            }
            let colon = e < n && matches!(tx(&toks[e]), ":" | "：");
            // A signature line that is only a name the dictionary half knows:
            // a surname + an unknown given name (藤井紬), or an unknown
            // surname + a given name (百目鬼翔太).
            let rest: Vec<&Tok> = toks[f..]
                .iter()
                .filter(|t| !tx(t).trim().is_empty())
                .collect();
            let line_chars: usize = rest.iter().map(|t| tx(t).chars().count()).sum();
            if !colon_line(text, toks, f)
                && rest.len() >= 2
                && line_chars <= 6
                && rest.iter().all(|t| tx(t).chars().all(is_kanji))
            {
                let (head, last) = (rest[0], rest[rest.len() - 1]);
                let sur_first = self.honorific_at(text, rest[1].start).is_none()
                    && head.pos == Pos::Person
                    && head.name.is_some_and(|n| n.kinds & SURNAME != 0)
                    && rest[1..].iter().all(|t| {
                        t.pos != Pos::Person
                            && matches!(t.pos, Pos::Unknown | Pos::Noun | Pos::Proper)
                    })
                    && tx(last).chars().count() <= 2;
                let given_last = last.pos == Pos::Person
                    && last.name.is_some_and(|n| n.kinds & GIVEN != 0)
                    && rest[..rest.len() - 1].iter().any(|t| {
                        matches!(t.pos, Pos::Unknown | Pos::Place | Pos::Proper) || t.name.is_some()
                    });
                let end = last.end;
                if (sur_first || given_last)
                    && !self.place_after(text, end)
                    && self.run_ok(text, toks, f, toks.len(), STRONG)
                {
                    let e2 = toks
                        .iter()
                        .rposition(|t| t.end == end)
                        .map_or(toks.len(), |p| p + 1);
                    let mut parts = Vec::new();
                    self.parts(text, &toks[f..e2], &mut parts);
                    out.push(Mention {
                        start: toks[f].start,
                        end,
                        parts,
                        furigana: false,
                        evidence: Evidence::Signature,
                        strong: false,
                    });
                    return;
                }
            }
            let only = e > f
                && toks[e..].iter().all(|t| tx(t).trim().is_empty())
                && toks[f..e]
                    .iter()
                    .all(|t| t.pos == Pos::Person || tx(t) == " ");
            if e > f
                && ((colon && (stamp || bullet || toks[f..e].iter().all(|t| t.pos == Pos::Person)))
                    || only)
                && self.run_ok(text, toks, f, e, level)
            {
                let run = trim_seps(text, &toks[f..e]);
                if !run.is_empty() {
                    let mut parts = Vec::new();
                    self.parts(text, run, &mut parts);
                    out.push(Mention {
                        start: run[0].start,
                        end: run[run.len() - 1].end,
                        parts,
                        furigana: false,
                        evidence: if colon {
                            Evidence::Speaker
                        } else {
                            Evidence::Line
                        },
                        strong: false,
                    });
                }
            }
        }
    }

    /// A full name starting at token `i` whose parts are not both known:
    /// the end token index.
    fn full_name_at(&self, text: &str, toks: &[Tok], i: usize) -> Option<usize> {
        let n = toks.len();
        let tx = |t: &Tok| &text[t.start..t.end];
        let glued_before = i > 0
            && toks[i - 1].end == toks[i].start
            && tx(&toks[i - 1])
                .chars()
                .all(|c| is_kanji(c) || ('ァ'..='ヺ').contains(&c));
        if glued_before || self.org_before(text, toks[i].start) {
            return None;
        }
        // First word: up to 4 characters of name-like tokens.
        let a = self.name_word(text, toks, i, STRONG)?;
        let known_sur = |ts: &[Tok]| {
            ts.len() == 1
                && ts[0].name.is_some_and(|n| n.kinds & lexicon::SURNAME != 0)
                && ts[0].pos == Pos::Person
        };
        let known_given =
            |ts: &[Tok]| ts.len() == 1 && ts[0].name.is_some_and(|n| n.kinds & GIVEN != 0);
        let unknownish = |ts: &[Tok]| ts.iter().any(|t| t.pos == Pos::Unknown || t.name.is_none());
        if a < n && tx(&toks[a]) == " " {
            // Second word after the space.
            let b = self.name_word(text, toks, a + 1, MEDIUM)?;
            let (w1, w2) = (&toks[i..a], &toks[a + 1..b]);
            let glued_after = b < n
                && toks[b].start == toks[b - 1].end
                && tx(&toks[b]).chars().all(is_kanji)
                && self.honorific_at(text, toks[b].start).is_none();
            if glued_after || self.place_after(text, toks[b - 1].end) {
                return None;
            }
            let both_known = known_sur(w1) && w2.iter().all(|t| t.pos == Pos::Person);
            let ok = !both_known
                && ((known_sur(w1) && (known_given(w2) || unknownish(w2)))
                    || (known_given(w2)
                        && w2[0].pos == Pos::Person
                        && w1.iter().any(|t| t.pos == Pos::Unknown || t.name.is_some())));
            return ok.then_some(b);
        }
        // Glued: unknown kanji + a given name (﨑山翔太).
        if a - i >= 2 {
            let last = &toks[a - 1];
            let head = &toks[i..a - 1];
            if last.pos == Pos::Person
                && last.name.is_some_and(|n| n.kinds & GIVEN != 0)
                && head.iter().any(|t| t.pos == Pos::Unknown)
                && !self.place_after(text, last.end)
            {
                return Some(a);
            }
        }
        None
    }

    /// The end (token index) of a name after a label, starting at `k`.
    fn label_run(&self, text: &str, toks: &[Tok], k: usize) -> usize {
        let mut e = k;
        let mut chars = 0;
        while e < toks.len() {
            let t = &toks[e];
            let s = &text[t.start..t.end];
            if self.honorific_at(text, t.start).is_some() && e > k {
                break;
            }
            let name_chars = s.chars().all(|c| {
                is_kanji(c)
                    || is_kana(c)
                    || c == '・'
                    || c == '='
                    || c.is_ascii_alphabetic()
                    || c == ' '
            });
            if !name_chars || s == "  " {
                break;
            }
            if s == " "
                && (e + 1 >= toks.len()
                    || text[toks[e + 1].start..toks[e + 1].end].trim().is_empty())
            {
                break;
            }
            if matches!(t.pos, Pos::Other) && !s.chars().all(is_kanji) && t.name.is_none() {
                break;
            }
            chars += s.chars().count();
            if chars > MAX_NAME_CHARS {
                return k;
            }
            e += 1;
        }
        e
    }

    /// A label's value is a name unless it is plainly something else.
    fn acceptable_label_value(&self, text: &str, run: &[Tok]) -> bool {
        let s = &text[run[0].start..run[run.len() - 1].end];
        if NOT_NAMES.contains(&s) || s.chars().count() < 2 && !run.iter().any(|t| t.name.is_some())
        {
            return false;
        }
        if run
            .iter()
            .all(|t| matches!(t.pos, Pos::Org | Pos::Place) && t.name.is_none())
        {
            return false;
        }
        if ORG_BEFORE.iter().any(|w| s.contains(w))
            || self.place_after(text, run[run.len() - 1].end)
        {
            return false;
        }
        // Departments and roles (営業部, 総務課) are not names.
        let last = &text[run[run.len() - 1].start..run[run.len() - 1].end];
        if run.len() > 1
            && matches!(
                last,
                "部" | "課" | "室" | "係" | "チーム" | "グループ" | "センター"
            )
        {
            return false;
        }
        // At least one token looks like a name.
        run.iter().any(|t| self.nameish(text, t, STRONG))
    }

    /// `(len, level)` when an honorific or title starts at `at`: the
    /// [`nameish`](Self::nameish) level of the words it vouches for.
    fn honorific_at(&self, text: &str, at: usize) -> Option<(usize, u8)> {
        let s = &text[at..];
        // Cheap first-character check before the word lists.
        if !s.starts_with(honorific_first) {
            return None;
        }
        let len = starts_with_any(s, AFTER)?;
        let level = if STRONG_AFTER.contains(&&s[..len]) {
            STRONG
        } else if INTRO_AFTER.contains(&&s[..len]) {
            MEDIUM
        } else {
            WEAK
        };
        Some((len, level))
    }

    /// A token that can be (part of) a name at a context `level`: [`WEAK`]
    /// takes person names and nouns that are also names (森), [`MEDIUM`]
    /// also unknown words, proper nouns and katakana words, [`STRONG`] also
    /// short kanji nouns.
    fn nameish(&self, text: &str, t: &Tok, level: u8) -> bool {
        let s = &text[t.start..t.end];
        if level >= MEDIUM && matches!(s, "・" | "=") {
            return true;
        }
        // Cheap rejections first: this runs for most tokens.
        if matches!(t.pos, Pos::Other | Pos::Symbol | Pos::Prefix)
            || (t.pos == Pos::Suffix && (level < MEDIUM || t.name.is_none()))
            || (t.pos == Pos::Noun && level < STRONG && t.name.is_none() && s.as_bytes()[0] >= 0xE4)
        {
            return false;
        }
        if !s.chars().all(|c| is_kanji(c) || is_kana(c) || c == '・') {
            return false;
        }
        if NOT_NAMES.contains(&s)
            || self
                .honorific_at(text, t.start)
                .is_some_and(|(l, _)| l >= s.len())
        {
            return false;
        }
        let katakana = s
            .chars()
            .all(|c| ('ァ'..='ヺ').contains(&c) || c == 'ー' || c == '・');
        match t.pos {
            Pos::Person => true,
            Pos::Place if level >= STRONG && t.name.is_none() => s.chars().count() <= 4,
            Pos::Unknown | Pos::Proper => level >= MEDIUM,
            Pos::Noun | Pos::Place => {
                t.name.is_some()
                    || (level >= MEDIUM && katakana && s.chars().count() >= 2)
                    || (level >= STRONG
                        && s.chars().all(is_kanji)
                        && s.chars().count() <= 2
                        && t.pos == Pos::Noun)
            }
            Pos::Suffix => level >= MEDIUM && t.name.is_some(),
            Pos::Org => t.name.is_some(),
            _ => false,
        }
    }

    /// Checks a run of tokens `j..i` taken as a name: not after a prefix
    /// (お客様), not a stop word, not a company or place.
    fn run_ok(&self, text: &str, toks: &[Tok], j: usize, i: usize, level: u8) -> bool {
        let s = &text[toks[j].start..toks[i - 1].end];
        if NOT_NAMES.contains(&s) || s.trim().is_empty() {
            return false;
        }
        if j > 0 {
            let p = &toks[j - 1];
            let ps = &text[p.start..p.end];
            if p.pos == Pos::Prefix || matches!(ps, "お" | "ご" | "御") {
                return false;
            }
            // Glued to a preceding noun (営業部長): not a name.
            if p.end == toks[j].start
                && matches!(p.pos, Pos::Noun | Pos::Suffix | Pos::Place | Pos::Org)
                && ps.chars().all(is_kanji)
                && toks[j].pos != Pos::Person
            {
                return false;
            }
        }
        if level < STRONG
            && toks[j..i]
                .iter()
                .all(|t| matches!(t.pos, Pos::Place | Pos::Org) && t.name.is_none())
        {
            return false;
        }
        !self.org_before(text, toks[j].start) && !self.place_after(text, toks[i - 1].end)
    }

    fn place_after(&self, text: &str, at: usize) -> bool {
        let s = &text[at..];
        if self.honorific_at(text, at).is_some() {
            return false;
        }
        starts_with_any(s, PLACE_OR_ORG_AFTER).is_some()
    }

    fn org_before(&self, text: &str, at: usize) -> bool {
        let s = text[..at].trim_end_matches(' ');
        ends_with_any(s, ORG_BEFORE)
    }

    /// Furigana right after a mention: `山田太郎（ヤマダ タロウ）`.
    fn furigana_after(&self, text: &str, m: &Mention) -> Option<Mention> {
        let s = &text[m.end..];
        let t = s.trim_start_matches(' ');
        let t = t.strip_prefix('(')?;
        let open = m.end + (s.len() - t.len());
        let close = t.find(')')?;
        let inner = &t[..close];
        if inner.is_empty()
            || inner.len() > 90
            || !inner.chars().all(|c| is_kana(c) || c == ' ' || c == '・')
            || !inner.chars().any(is_kana)
        {
            return None;
        }
        let lead = inner.len() - inner.trim_start().len();
        Some(reading_mention(open + lead, inner.trim()))
    }

    /// A reading on the line right after a name that opens its line, when
    /// its first word is the reading of the name's first part (`森　鷗外は、…`
    /// then `もり　おうがい、文久2年…`; `山田 太郎` then `やまだ たろう`): the
    /// kana words up to the line's first punctuation are the name's reading,
    /// even where the dictionary cannot read the rest (鷗外).
    fn reading_line_after(&self, text: &str, m: &Mention) -> Option<Mention> {
        let first = m.parts.first()?;
        if m.parts.len() < 2 || first.reading.chars().count() < 2 {
            return None;
        }
        let line_start = text[..m.start].rfind('\n').map_or(0, |p| p + 1);
        if !text[line_start..m.start].trim().is_empty() {
            return None;
        }
        let from = m.end + text[m.end..].find('\n')? + 1;
        let line = &text[from..text[from..].find('\n').map_or(text.len(), |p| from + p)];
        let len = line
            .find(|c: char| !(is_kana(c) || c == ' '))
            .unwrap_or(line.len());
        let run = line[..len].trim_end();
        let rest = &line[len..];
        let words: Vec<&str> = run.split(' ').filter(|w| !w.is_empty()).collect();
        if words.len() != m.parts.len()
            || run.chars().count() > 24
            || !(rest.is_empty() || rest.starts_with(['、', ',', '(', '/', '。']))
            || !run.chars().any(|c| ('ぁ'..='ゖ').contains(&c))
        {
            return None;
        }
        let kata: String = words[0].chars().map(to_katakana).collect();
        if kata != first.reading {
            return None;
        }
        Some(reading_mention(from, run))
    }

    fn allowed(&self, s: &str) -> bool {
        self.allow.iter().any(|a| a == s)
    }
}

/// A reading written at `at` as `run` (kana words between spaces or `・`),
/// one part a word.
fn reading_mention(at: usize, run: &str) -> Mention {
    let parts = run
        .split([' ', '・'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let start = at + (w.as_ptr() as usize - run.as_ptr() as usize);
            let r: String = w.chars().map(to_katakana).collect();
            Part {
                start,
                end: start + w.len(),
                initial: romaji::initial(&r),
                reading: r,
            }
        })
        .collect();
    Mention {
        start: at,
        end: at + run.len(),
        parts,
        furigana: true,
        evidence: Evidence::Reading,
        strong: false,
    }
}

fn is_sep_tok(text: &str, t: &Tok) -> bool {
    matches!(&text[t.start..t.end], " " | "・" | "=")
}

/// Characters between a label and its value.
fn is_label_sep(c: char) -> bool {
    matches!(c, ':' | ']' | '】' | '=' | ')' | ' ' | '\t')
}

/// True when the segment has a `:` after token `f`.
fn colon_line(text: &str, toks: &[Tok], f: usize) -> bool {
    toks[f..].iter().any(|t| &text[t.start..t.end] == ":")
}

fn is_katakana_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| ('ァ'..='ヺ').contains(&c) || c == 'ー')
}

fn trim_seps<'t>(text: &str, mut run: &'t [Tok]) -> &'t [Tok] {
    while let Some(t) = run.first() {
        if text[t.start..t.end].trim().is_empty() || is_sep_tok(text, t) {
            run = &run[1..];
        } else {
            break;
        }
    }
    while let Some(t) = run.last() {
        if text[t.start..t.end].trim().is_empty() || is_sep_tok(text, t) {
            run = &run[..run.len() - 1];
        } else {
            break;
        }
    }
    run
}

/// The index of the `(` of a bracketed kana reading that ends right before
/// `toks[i]` (`山田(ヤマダ)様`: the index of `(`), or `i` when there is none.
fn bracketed_reading_before(text: &str, toks: &[Tok], i: usize) -> usize {
    let tx = |t: &Tok| &text[t.start..t.end];
    if i < 4 || tx(&toks[i - 1]) != ")" {
        return i;
    }
    let mut k = i - 2;
    while k > 1
        && i - k < 8
        && tx(&toks[k])
            .chars()
            .all(|c| is_kana(c) || c == ' ' || c == '・')
    {
        k -= 1;
    }
    if k + 2 < i && tx(&toks[k]) == "(" && toks[k].start == toks[k - 1].end {
        k
    } else {
        i
    }
}

/// Cuts `line` (a range of `text`) into segments and calls `f` on each.
fn segments(text: &str, line: std::ops::Range<usize>, f: &mut dyn FnMut(std::ops::Range<usize>)) {
    let mut start = line.start;
    let s = &text[line.clone()];
    for (i, c) in s.char_indices() {
        let at = line.start + i;
        if matches!(c, '。' | '！' | '？' | '\t') {
            push_capped(text, start..at + c.len_utf8(), f);
            start = at + c.len_utf8();
        }
    }
    push_capped(text, start..line.end, f);
}

fn push_capped(
    text: &str,
    mut r: std::ops::Range<usize>,
    f: &mut dyn FnMut(std::ops::Range<usize>),
) {
    while r.end - r.start > MAX_SEGMENT {
        let mut cut = r.start + MAX_SEGMENT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        f(r.start..cut);
        r.start = cut;
    }
    if r.end > r.start {
        f(r);
    }
}

/// Calls `f(segment, line shape, line start)` for every segment of the
/// non-ASCII lines of `text` that holds a non-ASCII character.
fn for_each_segment(
    text: &str,
    mut f: impl FnMut(std::ops::Range<usize>, features::LineShape, usize),
) {
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let range = line_start..line_start + line.trim_end_matches(['\n', '\r']).len();
        line_start += line.len();
        let ls = &text[range.clone()];
        if ls.is_ascii() {
            continue;
        }
        let shape = features::line_shape(ls);
        segments(text, range.clone(), &mut |seg| {
            if !text[seg.clone()].is_ascii() {
                f(seg, shape, range.start);
            }
        });
    }
}

/// From:/To:/Cc: lines written in Latin letters: `From: Taro Yamada <...>`.
fn latin_header(text: &str, line: std::ops::Range<usize>, out: &mut Vec<Mention>) {
    let s = &text[line.clone()];
    let lower_ok = ["from:", "to:", "cc:", "name:", "差出人:", "宛先:"];
    let Some(l) = lower_ok.iter().find(|p| {
        s.len() >= p.len() && s.is_char_boundary(p.len()) && s[..p.len()].eq_ignore_ascii_case(p)
    }) else {
        return;
    };
    let rest = &s[l.len()..];
    let value_end = rest.find(['<', ',', '(', '"']).unwrap_or(rest.len());
    let value = &rest[..value_end];
    let words: Vec<&str> = value.split(' ').filter(|w| !w.is_empty()).collect();
    if !(2..=3).contains(&words.len())
        || !words.iter().all(|w| {
            w.len() >= 2
                && w.bytes().all(|b| b.is_ascii_alphabetic())
                && w.as_bytes()[0].is_ascii_uppercase()
        })
    {
        return;
    }
    let base = line.start + l.len();
    let mut parts = Vec::new();
    let mut off = 0;
    for w in value.split(' ') {
        if !w.is_empty() {
            parts.push(Part {
                start: base + off,
                end: base + off + w.len(),
                initial: romaji::latin_initial(w),
                reading: String::new(),
            });
        }
        off += w.len() + 1;
    }
    let start = parts[0].start;
    let end = parts[parts.len() - 1].end;
    out.push(Mention {
        start,
        end,
        parts,
        furigana: false,
        evidence: Evidence::Label,
        strong: true,
    });
}

/// What a propagated form renders as, and where its seeds are.
struct Form {
    initials: Vec<Option<char>>,
    kind: FormKind,
    seeds: Vec<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FormKind {
    Kanji,
    Katakana,
    Hiragana,
    Latin,
}

impl FormKind {
    /// The kind a [`DocTerm::kind`] code stands for.
    fn from_code(code: u8) -> Option<FormKind> {
        [
            FormKind::Kanji,
            FormKind::Katakana,
            FormKind::Hiragana,
            FormKind::Latin,
        ]
        .into_iter()
        .find(|k| *k as u8 == code)
    }
}

/// The initials of a rendered hint (`Y.T.` → `Y`, `T`; `＊.` → unread).
fn initials_of(hint: &str) -> Vec<Option<char>> {
    hint.split('.')
        .filter(|p| !p.is_empty())
        .map(|p| p.chars().next().filter(|&c| c != '＊'))
        .collect()
}

/// A clock time ending a word: `13:15`, `[10:11]`, `9:05:30`, `(13:15)` —
/// not a quantity after a label (`数量:1`).
fn is_clock(word: &str) -> bool {
    let w = word.trim_end_matches([')', ']']);
    let Some((h, m)) = w.rsplit_once(':') else {
        return false;
    };
    let hour_digits = h.bytes().rev().take_while(u8::is_ascii_digit).count();
    m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()) && (1..=2).contains(&hour_digits)
}

fn hint(parts: &[Option<char>]) -> String {
    let mut s = String::with_capacity(parts.len() * 3);
    for p in parts {
        match p {
            Some(c) => s.push(*c),
            None => s.push('＊'),
        }
        s.push('.');
    }
    s
}

/// Is a reading starting at `r` written right next to the name at `s..e`:
/// in brackets after it (`山田太郎（ヤマダ タロウ）`), or on the line just
/// before or just after the name's line?
fn adjacent_reading(text: &str, s: usize, e: usize, r: usize) -> bool {
    if r >= e {
        let gap = &text[e..r];
        if gap.chars().count() <= 2 && gap.chars().all(|c| matches!(c, '(' | '（' | ' ')) {
            return true;
        }
        return r - e < 200 && gap.matches('\n').count() == 1;
    }
    r < s && s - r < 200 && text[r..s].matches('\n').count() == 1
}

/// Does a katakana character of a name (`ァ`..`ヺ`, `ー`; not `・`, which
/// separates names) start at `b[p]`? In UTF-8 they are `E3 82 A1`..`E3 82 BF`,
/// `E3 83 80`..`E3 83 BA` and `E3 83 BC`.
fn is_katakana_at(b: &[u8], p: usize) -> bool {
    match b.get(p..p + 3) {
        Some([0xE3, 0x82, x]) => (0xA1..=0xBF).contains(x),
        Some([0xE3, 0x83, x]) => (0x80..=0xBA).contains(x) || *x == 0xBC,
        _ => false,
    }
}

/// Characters that end an organisation or place word: a run after a name
/// that ends with one is not a given name (`千葉 支店`, `山田 営業部`).
const NOT_GIVEN_LAST: [char; 16] = [
    '部', '課', '店', '社', '所', '室', '係', '県', '都', '府', '市', '区', '町', '村', '様', '殿',
];

impl NameDetector {
    /// Given names written after a name that was found alone: `千葉　樹` and
    /// `栗花落 智子` in a signature (where the surname was found from context
    /// or as another mention), `鈴木 健一さん`. The run after one space is
    /// taken when it is a given name of the dictionary and ends at a word
    /// boundary, or when it ends the line and the line holds nothing else
    /// (a signature line) — up to four kanji or kana. Its initial comes from
    /// the dictionary, else `＊.`.
    fn given_after(&self, text: &str, mentions: &[Mention], out: &mut Vec<Mention>) {
        let b = text.as_bytes();
        for m in mentions {
            if m.furigana || m.parts.len() != 1 {
                continue;
            }
            let start = if b.get(m.end) == Some(&b' ') {
                m.end + 1
            } else {
                m.end
            };
            let run_len: usize = text[start..]
                .chars()
                .take_while(|&c| is_kanji(c) || is_kana(c))
                .take(5)
                .map(char::len_utf8)
                .sum();
            let end = start + run_len;
            let run = &text[start..end];
            let n = run.chars().count();
            if n == 0 || n > 4 || run.ends_with(NOT_GIVEN_LAST) {
                continue;
            }
            let after = text[end..].chars().next();
            if after.is_some_and(|c| is_kanji(c) || is_kana(c)) {
                continue;
            }
            let info = self.lex.name(run).filter(|i| i.kinds & GIVEN != 0);
            let line_start = text[..m.start].rfind('\n').map_or(0, |i| i + 1);
            let signature = text[line_start..m.start].trim().is_empty()
                && matches!(after, None | Some('\n' | '\r'));
            if info.is_none() && !(signature && start > m.end) {
                continue;
            }
            out.push(Mention {
                start,
                end,
                parts: vec![Part {
                    start,
                    end,
                    initial: info.and_then(|i| romaji::initial(i.reading)),
                    reading: info.map(|i| i.reading.to_string()).unwrap_or_default(),
                }],
                furigana: false,
                evidence: Evidence::None,
                strong: false,
            });
        }
    }

    /// Masks the other forms of every name in `mentions` within
    /// [`PROPAGATION`] bytes of where it was found, and shares the forms with
    /// the pipeline for the document-wide sweep ([`Detector::sweep`]).
    fn propagate(&self, hay: &Haystack<'_>, mentions: &[Mention], out: &mut Vec<Mention>) {
        let text = hay.text();
        let forms = self.forms(text, mentions);
        for (key, f) in &forms {
            if let Some(&seed) = f.seeds.iter().min() {
                hay.share_term(DocTerm {
                    detector: "name",
                    key: key.clone(),
                    kind: f.kind as u8,
                    hint: hint(&f.initials),
                    seed,
                });
            }
        }
        self.match_forms(text, &forms, &|f: &Form, at: usize| near(&f.seeds, at), out);
    }

    /// The other forms of every name in `mentions`: surname and given name
    /// alone, joined, katakana, hiragana and romaji spellings.
    fn forms(&self, text: &str, mentions: &[Mention]) -> HashMap<String, Form> {
        let mut forms: HashMap<String, Form> = HashMap::new();
        let mut add = |key: String, kind: FormKind, initials: Vec<Option<char>>, at: usize| {
            let f = forms.entry(key).or_insert_with(|| Form {
                initials,
                kind,
                seeds: Vec::new(),
            });
            f.seeds.push(at);
        };
        for m in mentions.iter().filter(|m| m.strong) {
            let whole = &text[m.start..m.end];
            if m.parts.len() > 1 && !m.furigana {
                add(
                    whole.to_string(),
                    FormKind::Kanji,
                    m.parts.iter().map(|p| p.initial).collect(),
                    m.start,
                );
                let joined: String = whole.split(' ').collect();
                if joined != whole {
                    add(
                        joined,
                        FormKind::Kanji,
                        m.parts.iter().map(|p| p.initial).collect(),
                        m.start,
                    );
                }
                // The whole reading glued, in katakana and hiragana
                // (渋沢栄一 → シブサワエイイチ, しぶさわえいいち): a reading
                // line writes it so, and the parts alone would not match
                // inside it.
                if m.parts.iter().all(|p| !p.reading.is_empty()) {
                    let kata: String = m.parts.iter().map(|p| p.reading.as_str()).collect();
                    let initials: Vec<Option<char>> = m.parts.iter().map(|p| p.initial).collect();
                    if kata.chars().count() >= 4 {
                        add(
                            hiragana_of(&kata),
                            FormKind::Hiragana,
                            initials.clone(),
                            m.start,
                        );
                        add(kata, FormKind::Katakana, initials, m.start);
                    }
                }
            }
            for p in &m.parts {
                let s = &text[p.start..p.end];
                // One-kanji surnames (辻, 森) only when the dictionary knows
                // them as surnames; boundaries are checked at each match.
                let one_kanji_surname = s.chars().count() == 1
                    && (m.parts.len() > 1
                        || self.lex.name(s).is_some_and(|n| n.kinds & SURNAME != 0))
                    && s.chars().all(is_kanji);
                if !s.is_ascii()
                    && (s.chars().count() >= 2 || one_kanji_surname)
                    && !m.furigana
                    && !self.allowed(s)
                {
                    let kind = if s.chars().all(|c| ('ァ'..='ヺ').contains(&c) || c == 'ー') {
                        FormKind::Katakana
                    } else if s.chars().all(|c| ('ぁ'..='ゖ').contains(&c) || c == 'ー') {
                        FormKind::Hiragana
                    } else {
                        FormKind::Kanji
                    };
                    if kind != FormKind::Hiragana || s.chars().count() >= 3 {
                        add(s.to_string(), kind, vec![p.initial], m.start);
                    }
                }
                if p.reading.chars().count() >= 2 {
                    add(
                        p.reading.clone(),
                        FormKind::Katakana,
                        vec![p.initial],
                        m.start,
                    );
                    if p.reading.chars().count() >= 3 {
                        add(
                            hiragana_of(&p.reading),
                            FormKind::Hiragana,
                            vec![p.initial],
                            m.start,
                        );
                    }
                    let mut r = String::new();
                    romaji::romanize(&p.reading, &mut r);
                    if r.len() >= 3 {
                        add(r, FormKind::Latin, vec![p.initial], m.start);
                    }
                } else if s.is_ascii() && s.len() >= 3 {
                    let mut r = String::new();
                    romaji::fold_latin(s, &mut r);
                    add(r, FormKind::Latin, vec![p.initial], m.start);
                }
            }
        }
        for f in forms.values_mut() {
            f.seeds.sort_unstable();
        }
        forms
    }

    /// Finds the forms in `text`; `accept(form, at)` says whether a match at
    /// `at` may be taken (near a seed, or after the first one).
    fn match_forms(
        &self,
        text: &str,
        forms: &HashMap<String, Form>,
        accept: &dyn Fn(&Form, usize) -> bool,
        out: &mut Vec<Mention>,
    ) {
        if forms.is_empty() {
            return;
        }
        // Japanese forms: looked up by first character, then by each key
        // length that character starts, longest first (leftmost-longest,
        // non-overlapping). Building this is a hash insert per form, so the
        // document sweep's per-chunk cost stays proportional to the chunk
        // and the roster, not their product. Latin names are matched on
        // their folded form (below).
        type Fast = std::hash::BuildHasherDefault<lexicon::Fnv>;
        let mut firsts: HashMap<char, u32, Fast> = HashMap::default();
        let mut by_key: HashMap<&str, &Form, Fast> = HashMap::default();
        for (k, f) in forms.iter().filter(|(_, f)| f.kind != FormKind::Latin) {
            let n = k.chars().count();
            let Some(c) = k.chars().next().filter(|c| !c.is_ascii()) else {
                continue;
            };
            if n > 32 {
                continue;
            }
            *firsts.entry(c).or_default() |= 1 << (n - 1);
            by_key.insert(k.as_str(), f);
        }
        let mut ends = [0usize; 33];
        let mut i = 0;
        let bytes = text.as_bytes();
        while i < text.len() {
            if bytes[i] < 0x80 {
                i += 1;
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            let Some(&mask) = firsts.get(&c) else {
                i += c.len_utf8();
                continue;
            };
            let most = (32 - mask.leading_zeros()) as usize;
            let mut k = 0;
            let mut e = i;
            for ch in text[i..].chars().take(most) {
                e += ch.len_utf8();
                k += 1;
                ends[k] = e;
            }
            let hit = (1..=k)
                .rev()
                .filter(|n| mask & (1 << (n - 1)) != 0)
                .find_map(|n| by_key.get(&text[i..ends[n]]).map(|f| (*f, ends[n])));
            let Some((f, e)) = hit else {
                i += c.len_utf8();
                continue;
            };
            let s = i;
            i = e;
            if !accept(f, s)
                || !self.boundary_ok(text, s, e, f.kind)
                || decide::after_mail_at(text, s)
            {
                continue;
            }
            // A one-character name inside a word (誠 in 誠に).
            if text[s..e].chars().count() == 1 && self.lex.word_extends(&text[s..], e - s) {
                continue;
            }
            let parts = f
                .initials
                .iter()
                .map(|&i| Part {
                    start: s,
                    end: e,
                    initial: i,
                    reading: String::new(),
                })
                .collect();
            out.push(Mention {
                start: s,
                end: e,
                parts,
                furigana: false,
                evidence: Evidence::None,
                strong: false,
            });
        }
        // Latin words: fold each and look it up.
        let latin: HashMap<&str, &Form> = forms
            .iter()
            .filter(|(_, f)| f.kind == FormKind::Latin)
            .map(|(k, f)| (k.as_str(), f))
            .collect();
        if latin.is_empty() {
            return;
        }
        let b = text.as_bytes();
        let mut i = 0;
        let mut folded = String::new();
        while i < b.len() {
            if !b[i].is_ascii_alphabetic() {
                i += 1;
                continue;
            }
            let s = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            let prev = if s > 0 { b[s - 1] } else { b' ' };
            let next = b.get(i).copied().unwrap_or(b' ');
            if i - s < 3
                || matches!(prev, b'.' | b'@' | b'_' | b'-' | b'/' | b'\'')
                || prev.is_ascii_digit()
                || matches!(next, b'.' | b'@' | b'_' | b'-' | b'/')
                    && b.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric())
                || next.is_ascii_digit()
            {
                continue;
            }
            // Names are capitalised or all caps.
            if !b[s].is_ascii_uppercase() {
                continue;
            }
            folded.clear();
            romaji::fold_latin(&text[s..i], &mut folded);
            if let Some(f) = latin.get(folded.as_str()) {
                if accept(f, s) {
                    out.push(Mention {
                        start: s,
                        end: i,
                        parts: vec![Part {
                            start: s,
                            end: i,
                            initial: romaji::latin_initial(&text[s..i]),
                            reading: String::new(),
                        }],
                        furigana: false,
                        evidence: Evidence::None,
                        strong: false,
                    });
                }
            }
        }
        // Katakana words spelling a Latin-written name (`ヨナハ` after
        // `YONAHA Rin`): romanize each and look it up. The initial is the
        // Latin name's.
        let mut romanized = String::new();
        let b = text.as_bytes();
        let mut next_free = 0;
        for p in memchr::memchr_iter(0xE3, b) {
            if p < next_free || !is_katakana_at(b, p) {
                continue;
            }
            let s = p;
            let mut e = p;
            while is_katakana_at(b, e) {
                e += 3;
            }
            next_free = e;
            let run = &text[s..e];
            if e - s < 6 || run.starts_with('ー') {
                continue;
            }
            romanized.clear();
            romaji::romanize(run, &mut romanized);
            let Some(f) = latin.get(romanized.as_str()) else {
                continue;
            };
            if accept(f, s) && self.boundary_ok(text, s, e, FormKind::Katakana) {
                out.push(Mention {
                    start: s,
                    end: e,
                    parts: vec![Part {
                        start: s,
                        end: e,
                        initial: romaji::initial(run),
                        reading: run.to_string(),
                    }],
                    furigana: false,
                    evidence: Evidence::None,
                    strong: false,
                });
            }
        }
    }

    fn boundary_ok(&self, text: &str, s: usize, e: usize, kind: FormKind) -> bool {
        let prev = text[..s].chars().next_back();
        let next = text[e..].chars().next();
        let same = |c: Option<char>| match (kind, c) {
            (_, None) => false,
            (FormKind::Kanji, Some(c)) => is_kanji(c),
            (FormKind::Katakana, Some(c)) => ('ァ'..='ヺ').contains(&c) || c == 'ー',
            (FormKind::Hiragana, Some(c)) => ('ぁ'..='ゖ').contains(&c),
            (FormKind::Latin, Some(c)) => c.is_ascii_alphanumeric(),
        };
        if same(prev) || self.org_before(text, s) {
            return false;
        }
        if self.honorific_at(text, e).is_some() {
            return true;
        }
        // A clan's reading: the name's kana then 氏's (`ほそかわし`,
        // `とくがわうじ`), the word ending there.
        if kind == FormKind::Hiragana {
            let rest = &text[e..];
            let after = ["うじ", "し"]
                .iter()
                .find_map(|suffix| rest.strip_prefix(suffix));
            if after.is_some_and(|a| !same(a.chars().next())) {
                return true;
            }
        }
        if same(next) || self.place_after(text, e) {
            return false;
        }
        true
    }
}

/// A katakana reading in hiragana (`ヤマダ` → `やまだ`; `ー` and other
/// characters kept).
fn hiragana_of(kata: &str) -> String {
    kata.chars()
        .map(|c| {
            if ('ァ'..='ヶ').contains(&c) {
                char::from_u32(c as u32 - 0x60).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// True when a seed lies within [`PROPAGATION`] of `at` (`seeds` sorted).
fn near(seeds: &[usize], at: usize) -> bool {
    let i = seeds.partition_point(|&p| p + PROPAGATION < at);
    seeds.get(i).is_some_and(|&p| p <= at + PROPAGATION)
}

impl Detector for NameDetector {
    fn name(&self) -> &'static str {
        "name"
    }

    /// Other forms of names seen earlier in the document, further away than
    /// [`PROPAGATION`]: the same matching and boundary rules as nearby ones.
    fn sweep(&self, hay: &Haystack<'_>, terms: &DocTerms<'_>, out: &mut Vec<Candidate>) {
        let mut forms: HashMap<String, Form> = HashMap::new();
        for t in terms.terms.iter().filter(|t| t.detector == "name") {
            let Some(kind) = FormKind::from_code(t.kind) else {
                continue;
            };
            forms.entry(t.key.clone()).or_insert_with(|| Form {
                initials: initials_of(&t.hint),
                kind,
                seeds: vec![t.seed],
            });
        }
        let mut found = Vec::new();
        let after = |f: &Form, at: usize| f.seeds.iter().any(|&seed| (terms.wanted)(at, seed));
        self.match_forms(hay.text(), &forms, &after, &mut found);
        for m in found {
            let initials: Vec<Option<char>> = m.parts.iter().map(|p| p.initial).collect();
            out.push(Candidate {
                category: Category::Name,
                detector: "name/document",
                span: crate::span::Span::new(m.start, m.end),
                hint: Some(hint(&initials).into()),
            });
        }
    }

    fn detect(&self, hay: &Haystack<'_>, out: &mut Vec<Candidate>) {
        let text = hay.text();
        let mut mentions: Vec<Mention> = Vec::new();
        let mut toks: Vec<Tok> = Vec::new();
        let mut hits: Vec<Mention> = Vec::new();
        let mut sc = decide::Scratch::default();
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let range = line_start..line_start + line.trim_end_matches(['\n', '\r']).len();
            line_start += line.len();
            let ls = &text[range.clone()];
            if ls.contains(':') {
                latin_header(text, range.clone(), &mut mentions);
            }
            if ls.is_ascii() {
                continue;
            }
            let shape = features::line_shape(ls);
            segments(text, range.clone(), &mut |seg| {
                let s = &text[seg.clone()];
                // The model reads every segment a name can be written in:
                // the rule prefilter alone lost most names of real prose.
                if s.is_ascii()
                    || !(self.worth_tokenizing(s) || s.chars().any(|c| is_kanji(c) || is_kana(c)))
                {
                    return;
                }
                toks.clear();
                self.lex.tokenize(text, seg, &mut toks);
                hits.clear();
                self.rules(text, &toks, &mut hits);
                self.decide(
                    text,
                    &toks,
                    &mut hits,
                    shape,
                    range.start,
                    &mut sc,
                    &mut mentions,
                );
            });
        }
        if let Some((ac, parts)) = &self.customers {
            for m in ac.find_iter(text) {
                let ps = parts[m.pattern().as_usize()]
                    .iter()
                    .map(|p| Part {
                        start: m.start(),
                        end: m.end(),
                        initial: p.initial,
                        reading: p.reading.clone(),
                    })
                    .collect();
                mentions.push(Mention {
                    start: m.start(),
                    end: m.end(),
                    parts: ps,
                    furigana: false,
                    evidence: Evidence::None,
                    strong: true,
                });
            }
            // The customer list's reading wins over the dictionary's for the
            // same surface, so one person gets one set of initials.
            let mut by_surface: HashMap<&str, Vec<Part>> = HashMap::new();
            for m in ac.find_iter(text) {
                by_surface
                    .entry(&text[m.start()..m.end()])
                    .or_insert_with(|| parts[m.pattern().as_usize()].clone());
            }
            for m in &mut mentions {
                if let Some(ps) = by_surface.get(&text[m.start..m.end]) {
                    m.parts = ps
                        .iter()
                        .map(|p| Part {
                            start: m.start,
                            end: m.end,
                            initial: p.initial,
                            reading: p.reading.clone(),
                        })
                        .collect();
                }
            }
        }
        // A name holds a letter: not only marks (`ー` between masked digit
        // groups, `****ー2222`, read as an attendee: fuzz/masker).
        mentions.retain(|m| {
            let s = &text[m.start..m.end];
            !self.allowed(s)
                && s.chars().any(|c| {
                    c.is_alphabetic() && !matches!(c, 'ー' | 'ヽ' | 'ヾ' | 'ゝ' | 'ゞ' | '々')
                })
        });
        if mentions.is_empty() {
            return;
        }
        // Readings next to names; they also read names the dictionary cannot.
        let mut extra = Vec::new();
        for m in &mut mentions {
            if m.furigana {
                continue;
            }
            let f = self
                .furigana_after(text, m)
                .or_else(|| m.strong.then(|| self.reading_line_after(text, m)).flatten());
            if let Some(mut f) = f {
                f.strong = m.strong;
                if m.parts.iter().any(|p| p.initial.is_none()) {
                    m.parts = f.parts.clone();
                }
                extra.push(f);
            }
        }
        mentions.extend(extra);
        for m in &mut mentions {
            if !m.furigana {
                self.extend_last_part(text, m);
                self.romaji_beside(text, m);
            }
        }
        // Names with no reading: a furigana line within two lines.
        let mut furi: Vec<(usize, Vec<Part>)> = mentions
            .iter()
            .filter(|m| m.furigana)
            .map(|m| (m.start, m.parts.clone()))
            .collect();
        // By position: each name looks only at the readings near it (a
        // scan of every reading per name grew with the square of the text).
        furi.sort_by_key(|f| f.0);
        for m in &mut mentions {
            if m.furigana || furi.is_empty() {
                continue;
            }
            let lo = furi.partition_point(|f| f.0 + FURIGANA_REACH < m.start);
            let hi = furi.partition_point(|f| f.0 < m.end + FURIGANA_REACH);
            let near = &furi[lo..hi.max(lo)];
            // The person's own reading written right next to the name — in
            // brackets after it, or on the line just before or after it —
            // wins over the dictionary's guess (四月一日 with ふりがな：わたぬき
            // is W., not the date's S.), part for part.
            if let Some((_, fp)) = near.iter().find(|(s, fp)| {
                fp.len() == m.parts.len() && adjacent_reading(text, m.start, m.end, *s)
            }) {
                for (p, f) in m.parts.iter_mut().zip(fp) {
                    if f.initial.is_some() {
                        p.initial = f.initial;
                        p.reading.clone_from(&f.reading);
                    }
                }
            }
            if !m.parts.iter().any(|p| p.initial.is_none()) {
                continue;
            }
            if let Some((_, fp)) = near
                .iter()
                .filter(|(s, _)| s.abs_diff(m.start) < 300)
                .min_by_key(|(s, _)| s.abs_diff(m.start))
            {
                if fp.len() == m.parts.len() || m.parts.len() == 1 {
                    m.parts = fp.clone();
                }
            }
        }
        let mut more = Vec::new();
        self.propagate(hay, &mentions, &mut more);
        mentions.extend(more);
        let mut given = Vec::new();
        self.given_after(text, &mentions, &mut given);
        mentions.extend(given);
        // Longest first at each start; drop mentions inside an earlier one.
        mentions.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut kept: Vec<Mention> = Vec::with_capacity(mentions.len());
        for m in mentions {
            if m.end <= m.start {
                continue;
            }
            if let Some(last) = kept.last_mut() {
                if m.start < last.end {
                    continue;
                }
                // Parts written next to each other are one name (山田 + 太郎).
                let gap = &text[last.end..m.start];
                if (gap.is_empty() || gap == " ")
                    && last.parts.len() + m.parts.len() <= 4
                    && !last.furigana
                    && !m.furigana
                {
                    last.end = m.end;
                    last.parts.extend(m.parts);
                    continue;
                }
            }
            kept.push(m);
        }
        for m in kept {
            let initials: Vec<Option<char>> = m.parts.iter().map(|p| p.initial).collect();
            out.push(Candidate {
                category: Category::Name,
                detector: "name",
                span: crate::span::Span::new(m.start, m.end),
                hint: Some(hint(&initials).into()),
            });
        }
    }
}

#[cfg(test)]
mod tests;
