//! Measuring the name detector on annotated real text (WAC, `corpora/wac/`).
//!
//! Not part of the masking API (hidden from the docs): the evaluation
//! harness behind `examples/eval_names.rs`, shared as a library function so
//! a training run can score any [`Masker`] on any fold.
//!
//! For a set of [`Document`]s (one JSON object a line: `id`, `text`,
//! `entities` with **code-point** offsets, the format of `corpora/wac/`) and
//! a masker, [`evaluate`] masks the documents twice:
//!
//! - **record mode**: each document is its own input (as JSONL records are);
//! - **stream mode**: all documents in one input, separated by a blank line,
//!   so a mistaken name can propagate into later, unrelated documents.
//!
//! and counts, per [`Script`] of the mention:
//!
//! - PERSON mentions, and **leaked** mentions: a mention is leaked unless
//!   every one of its characters (spaces and name separators `・` `=` aside)
//!   lies inside a name finding ([`leaked`]);
//! - **person-free documents changed**: documents with no PERSON entity in
//!   which some name finding lies (the masked output differs from the input);
//! - name findings overlapping no PERSON entity.
//!
//! **Initials** are measured on pairs of a name and its reading written on
//! the next line, as Wikipedia does (`足利　尊氏は、…` then `あしかが　たかうじ`),
//! and on entities that carry a `reading` field: the expected initials are
//! the Hepburn initials of the reading's words ([`reading_initials`]); a
//! masked name is right when its findings' hints spell them.

use std::fmt;

use rayon::prelude::*;
use serde::Deserialize;

use super::romaji::{self, is_kana, is_kanji};
use crate::error::Error;
use crate::policy::Policy;
use crate::span::{Category, Finding, Span};
use crate::Masker;

/// What separates documents in stream mode.
pub const STREAM_SEPARATOR: &str = "\n\n";

/// One annotated document.
#[derive(Clone, Debug, Deserialize)]
pub struct Document {
    /// The document's id.
    #[serde(default)]
    pub id: String,
    /// Its text.
    pub text: String,
    /// Its entities.
    #[serde(default)]
    pub entities: Vec<Entity>,
}

/// One annotated entity; `start`/`end` are code-point offsets into the text.
#[derive(Clone, Debug, Deserialize)]
pub struct Entity {
    /// IREX category (`PERSON`, `LOCATION`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The entity's surface.
    #[serde(default)]
    pub value: String,
    /// Its reading (kana, words separated by spaces), when the annotation
    /// gives one.
    #[serde(default)]
    pub reading: Option<String>,
}

/// Parses JSONL documents (blank lines skipped).
///
/// # Errors
///
/// [`Error::Format`] naming the line of a record that does not parse.
pub fn parse_jsonl(text: &str) -> Result<Vec<Document>, Error> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| Error::Format {
                format: "eval-jsonl",
                message: format!("line {}: {e}", i + 1),
            })
        })
        .collect()
}

/// The default policy with every detector but names switched off.
pub fn names_only_policy() -> Policy {
    Policy {
        name: "names-only".into(),
        disabled: Category::ALL
            .into_iter()
            .filter(|&c| c != Category::Name)
            .collect(),
        ..Policy::default()
    }
}

/// How a mention is written: the first of these its text contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// Any kanji.
    Kanji,
    /// Katakana (no kanji).
    Katakana,
    /// Hiragana (no kanji, no katakana): mostly readings.
    Hiragana,
    /// Anything else: Latin letters, digits.
    Other,
}

impl Script {
    /// Every script, in table order.
    pub const ALL: [Script; 4] = [
        Script::Kanji,
        Script::Katakana,
        Script::Hiragana,
        Script::Other,
    ];

    /// The script of `s`.
    pub fn of(s: &str) -> Script {
        if s.chars().any(is_kanji) {
            Script::Kanji
        } else if s.chars().any(|c| matches!(c, 'ァ'..='ヺ')) {
            Script::Katakana
        } else if s.chars().any(|c| matches!(c, 'ぁ'..='ゖ')) {
            Script::Hiragana
        } else {
            Script::Other
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn label(self) -> &'static str {
        match self {
            Script::Kanji => "kanji",
            Script::Katakana => "katakana",
            Script::Hiragana => "hiragana",
            Script::Other => "latin/other",
        }
    }
}

/// Counts for one script.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// PERSON mentions.
    pub mentions: usize,
    /// Mentions some character of which survives.
    pub leaked: usize,
}

/// The scores of one mode (record or stream).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModeScores {
    /// Per [`Script`] (indexed in [`Script::ALL`] order).
    pub by_script: [Counts; 4],
    /// Documents with no PERSON entity.
    pub person_free: usize,
    /// Of those, documents with some name finding.
    pub person_free_changed: usize,
    /// Name findings overlapping no PERSON entity.
    pub false_findings: usize,
    /// All name findings.
    pub findings: usize,
}

impl ModeScores {
    /// Counts over every script.
    pub fn total(&self) -> Counts {
        self.by_script
            .iter()
            .fold(Counts::default(), |a, c| Counts {
                mentions: a.mentions + c.mentions,
                leaked: a.leaked + c.leaked,
            })
    }

    fn add(&mut self, o: &ModeScores) {
        for (a, b) in self.by_script.iter_mut().zip(&o.by_script) {
            a.mentions += b.mentions;
            a.leaked += b.leaked;
        }
        self.person_free += o.person_free;
        self.person_free_changed += o.person_free_changed;
        self.false_findings += o.false_findings;
        self.findings += o.findings;
    }
}

/// Initials on names whose reading is known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InitialsScores {
    /// Names with a known reading.
    pub names: usize,
    /// Of those, names covered by name findings (not leaked).
    pub masked: usize,
    /// Of the masked, names whose initials are right.
    pub right: usize,
    /// Of the masked, names given `＊.` for some part.
    pub unknown: usize,
    /// Wrong initials, as `(name, expected, got)`, for inspection.
    pub wrong: Vec<(String, String, String)>,
}

/// Everything [`evaluate`] measures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Documents.
    pub documents: usize,
    /// Each document as its own input.
    pub record: ModeScores,
    /// All documents in one input.
    pub stream: ModeScores,
    /// Initials (record mode).
    pub initials: InitialsScores,
}

/// A PERSON mention in byte offsets, with its expected initials if known.
#[derive(Clone, Debug)]
struct Mention {
    span: Span,
    script: Script,
    expected: Option<String>,
}

/// Byte offset of each code point (and of the end) in `text`.
fn byte_offsets(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect()
}

/// The PERSON mentions of a document in bytes, with the readings paired.
fn mentions(doc: &Document) -> Result<Vec<Mention>, Error> {
    let offs = byte_offsets(&doc.text);
    let bad = || Error::Format {
        format: "eval-jsonl",
        message: format!("document {}: entity offsets out of range", doc.id),
    };
    let mut out = Vec::new();
    for e in doc.entities.iter().filter(|e| e.kind == "PERSON") {
        if e.start > e.end {
            return Err(bad());
        }
        let (&s, &t) = offs.get(e.start).zip(offs.get(e.end)).ok_or_else(bad)?;
        let surface = &doc.text[s..t];
        out.push(Mention {
            span: Span::new(s, t),
            script: Script::of(surface),
            expected: e.reading.as_deref().and_then(reading_initials),
        });
    }
    pair_reading_lines(&doc.text, &mut out);
    Ok(out)
}

/// Gives the first kanji mention of a line the initials of a PERSON mention
/// in kana that starts the next line (its reading, as Wikipedia writes it),
/// when the word counts agree (a spaced name has as many reading words).
fn pair_reading_lines(text: &str, ms: &mut [Mention]) {
    for r in 0..ms.len() {
        let rs = ms[r].span;
        let reading = &text[rs.range()];
        if rs.start == 0
            || !text[..rs.start].ends_with('\n')
            || !reading.chars().all(|c| is_kana(c) || is_word_gap(c))
        {
            continue;
        }
        let line_start = text[..rs.start - 1].rfind('\n').map_or(0, |p| p + 1);
        let Some(m) = ms.iter().position(|m| {
            m.span.start >= line_start
                && m.span.end < rs.start
                && m.script == Script::Kanji
                && m.expected.is_none()
        }) else {
            continue;
        };
        let Some(exp) = reading_initials(reading) else {
            continue;
        };
        let name_words = text[ms[m].span.range()]
            .split(is_word_gap)
            .filter(|w| !w.is_empty())
            .count();
        if name_words == 1 || name_words == exp.chars().filter(|&c| c == '.').count() {
            ms[m].expected = Some(exp);
        }
    }
}

/// Spaces and the separators written between the words of a name.
fn is_word_gap(c: char) -> bool {
    c.is_whitespace() || matches!(c, '・' | '=' | '＝' | '·')
}

/// The Hepburn initials of a reading's words (`あしかが　たかうじ` →
/// `A.T.`); the particle `の` of old names is not a word
/// (`みなもと の よりとも` → `M.Y.`). `None` when a word has no kana.
pub fn reading_initials(reading: &str) -> Option<String> {
    let mut out = String::new();
    for w in reading.split(is_word_gap).filter(|w| !w.is_empty()) {
        let k: String = w.chars().map(romaji::to_katakana).collect();
        if k == "ノ" {
            continue;
        }
        out.push(romaji::initial(&k)?);
        out.push('.');
    }
    (!out.is_empty()).then_some(out)
}

/// Is the mention at `span` leaked: does any character of it, spaces and
/// name separators aside, lie outside every span of `covered` (sorted by
/// start)?
pub fn leaked(text: &str, span: Span, covered: &[Span]) -> bool {
    text[span.range()].char_indices().any(|(i, c)| {
        let at = span.start + i;
        !is_word_gap(c) && !covered.iter().any(|f| f.start <= at && at < f.end)
    })
}

/// The name findings of one document, sorted by start (spans relative to
/// the document).
fn name_findings(findings: &[Finding]) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.category == Category::Name)
        .collect();
    v.sort_by_key(|f| f.span.start);
    v
}

/// Adds one document's leak and change counts to `mode`.
fn score_mode(text: &str, ms: &[Mention], names: &[&Finding], mode: &mut ModeScores) {
    let spans: Vec<Span> = names.iter().map(|f| f.span).collect();
    mode.findings += spans.len();
    mode.false_findings += spans
        .iter()
        .filter(|f| !ms.iter().any(|m| m.span.overlaps(**f)))
        .count();
    if ms.is_empty() {
        mode.person_free += 1;
        mode.person_free_changed += usize::from(!spans.is_empty());
    }
    for m in ms {
        let c = &mut mode.by_script[m.script.index()];
        c.mentions += 1;
        c.leaked += usize::from(leaked(text, m.span, &spans));
    }
}

/// Adds one document's initials to `ini`: the hints of the name findings
/// over each mention with a known reading, against the reading's initials.
fn score_initials(text: &str, ms: &[Mention], names: &[&Finding], ini: &mut InitialsScores) {
    let spans: Vec<Span> = names.iter().map(|f| f.span).collect();
    for m in ms {
        let Some(exp) = &m.expected else { continue };
        ini.names += 1;
        if leaked(text, m.span, &spans) {
            continue;
        }
        ini.masked += 1;
        let got: String = names
            .iter()
            .filter(|f| f.span.overlaps(m.span))
            .filter_map(|f| f.hint.as_deref())
            .collect();
        if initials_match(exp, &got) {
            ini.right += 1;
        } else {
            if got.contains('＊') {
                ini.unknown += 1;
            }
            ini.wrong
                .push((text[m.span.range()].to_string(), exp.clone(), got));
        }
    }
}

/// Are `got` initials right for `expected`? Equal letters; a reading
/// written as one word (`しぶさわえいいち`) only tells the first initial, so
/// then only the first letters are compared.
pub fn initials_match(expected: &str, got: &str) -> bool {
    let letters = |s: &str| s.chars().filter(|c| *c != '.').collect::<Vec<char>>();
    let (e, g) = (letters(expected), letters(got));
    if e.len() == 1 {
        g.first() == e.first()
    } else {
        e == g
    }
}

/// Masks every document with `masker` (record mode, in parallel over
/// documents; then stream mode, all in one input) and scores the findings.
///
/// Use a masker with only the name detector on ([`names_only_policy`]) to
/// measure names alone.
///
/// # Errors
///
/// Entity offsets out of range, or a masking error.
pub fn evaluate(masker: &Masker, docs: &[Document]) -> Result<Report, Error> {
    evaluate_with(docs, |text| masker.mask_str(text).map(|m| m.findings))
}

/// [`evaluate`] with any function from a text to its findings (spans over
/// that text).
///
/// # Errors
///
/// Entity offsets out of range, or an error of `find`.
pub fn evaluate_with<F>(docs: &[Document], find: F) -> Result<Report, Error>
where
    F: Fn(&str) -> Result<Vec<Finding>, Error> + Sync,
{
    let ms: Vec<Vec<Mention>> = docs.iter().map(mentions).collect::<Result<_, _>>()?;
    let per_doc: Vec<(ModeScores, InitialsScores)> = docs
        .par_iter()
        .zip(&ms)
        .map(|(d, m)| {
            let found = find(&d.text)?;
            let names = name_findings(&found);
            let mut mode = ModeScores::default();
            let mut ini = InitialsScores::default();
            score_mode(&d.text, m, &names, &mut mode);
            score_initials(&d.text, m, &names, &mut ini);
            Ok((mode, ini))
        })
        .collect::<Result<_, Error>>()?;
    let mut report = Report {
        documents: docs.len(),
        ..Report::default()
    };
    for (mode, ini) in per_doc {
        report.record.add(&mode);
        report.initials.names += ini.names;
        report.initials.masked += ini.masked;
        report.initials.right += ini.right;
        report.initials.unknown += ini.unknown;
        report.initials.wrong.extend(ini.wrong);
    }
    let (stream, starts) = concatenate(docs);
    let found = find(&stream)?;
    let all = name_findings(&found);
    for ((d, m), &start) in docs.iter().zip(&ms).zip(&starts) {
        let end = start + d.text.len();
        let local: Vec<Finding> = all
            .iter()
            .filter(|f| f.span.start < end && f.span.end > start)
            .map(|f| {
                let mut f = (*f).clone();
                f.span = Span::new(f.span.start.max(start) - start, f.span.end.min(end) - start);
                f
            })
            .collect();
        let names = name_findings(&local);
        score_mode(&d.text, m, &names, &mut report.stream);
    }
    Ok(report)
}

/// The documents in one text, separated by [`STREAM_SEPARATOR`], and the
/// byte offset where each starts.
pub fn concatenate(docs: &[Document]) -> (String, Vec<usize>) {
    let mut s = String::new();
    let mut starts = Vec::with_capacity(docs.len());
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            s.push_str(STREAM_SEPARATOR);
        }
        starts.push(s.len());
        s.push_str(&d.text);
    }
    (s, starts)
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "-".into()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / d as f64)
    }
}

impl fmt::Display for Report {
    /// A Markdown table per mode, then the initials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "documents: {}", self.documents)?;
        writeln!(
            f,
            "| mode | script | PERSON mentions | leaked | leak | person-free docs changed | name findings | outside PERSON |"
        )?;
        writeln!(f, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")?;
        for (label, m) in [("records", &self.record), ("one stream", &self.stream)] {
            for s in Script::ALL {
                let c = m.by_script[s.index()];
                writeln!(
                    f,
                    "| {label} | {} | {} | {} | {} | | | |",
                    s.label(),
                    c.mentions,
                    c.leaked,
                    pct(c.leaked, c.mentions)
                )?;
            }
            let t = m.total();
            writeln!(
                f,
                "| {label} | **all** | {} | {} | {} | {} / {} = {} | {} | {} |",
                t.mentions,
                t.leaked,
                pct(t.leaked, t.mentions),
                m.person_free_changed,
                m.person_free,
                pct(m.person_free_changed, m.person_free),
                m.findings,
                m.false_findings
            )?;
        }
        let i = &self.initials;
        writeln!(
            f,
            "initials (names with a known reading): {} names, {} masked, {} right ({} of masked), {} with `＊.`",
            i.names,
            i.masked,
            i.right,
            pct(i.right, i.masked),
            i.unknown
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Flags fixed words as names, so the arithmetic can be checked by hand
    /// whatever the real detector does.
    fn fixed(text: &str) -> Result<Vec<Finding>, Error> {
        let mut out = Vec::new();
        for (w, hint) in [("足利", "A."), ("尊氏", "T."), ("報告", "H."), ("ダ", "D.")] {
            for (i, _) in text.match_indices(w) {
                out.push(Finding {
                    category: Category::Name,
                    detector: "test-fixed",
                    span: Span::new(i, i + w.len()),
                    hint: Some(hint.into()),
                });
            }
        }
        out.sort_by_key(|f| f.span.start);
        Ok(out)
    }

    #[test]
    fn a_mention_is_leaked_unless_every_character_but_spaces_is_covered() {
        let text = "足利　尊氏は";
        let mention = Span::new(0, "足利　尊氏".len());
        let a = Span::new(0, 6);
        let t = Span::new(9, 15);
        assert!(!leaked(text, mention, &[a, t]), "the gap is a space");
        assert!(leaked(text, mention, &[a]));
        assert!(leaked(text, mention, &[Span::new(0, 12)]), "氏 survives");
        assert!(leaked(text, mention, &[]));
    }

    #[test]
    fn counts_leaks_per_script_changed_documents_and_initials_by_hand() {
        // Code-point offsets, as in WAC.
        let jsonl = [
            // kanji 足利　尊氏 (0..5) fully covered, its reading on the next
            // line (hiragana, 7..16) not; katakana ダーウィン (17..22) only
            // partly (ダ).
            r#"{"id":"a","text":"足利　尊氏は\nあしかが　たかうじ\nダーウィン","entities":[{"type":"PERSON","start":0,"end":5},{"type":"PERSON","start":7,"end":16},{"type":"PERSON","start":17,"end":22}]}"#,
            // Person-free, changed (報告).
            r#"{"id":"b","text":"報告です。","entities":[{"type":"ORGANIZATION","start":0,"end":2}]}"#,
            // Person-free, unchanged.
            r#"{"id":"c","text":"晴れです。","entities":[]}"#,
        ]
        .join("\n");
        let docs = parse_jsonl(&jsonl).unwrap();
        let r = evaluate_with(&docs, fixed).unwrap();
        for m in [&r.record, &r.stream] {
            let kanji = m.by_script[Script::Kanji.index()];
            let kata = m.by_script[Script::Katakana.index()];
            let hira = m.by_script[Script::Hiragana.index()];
            assert_eq!((kanji.mentions, kanji.leaked), (1, 0));
            assert_eq!((kata.mentions, kata.leaked), (1, 1));
            assert_eq!((hira.mentions, hira.leaked), (1, 1));
            assert_eq!((m.person_free, m.person_free_changed), (2, 1));
            // 足利, 尊氏, ダ, 報告; only 報告 lies outside every PERSON.
            assert_eq!((m.findings, m.false_findings), (4, 1));
            assert_eq!(m.total().leaked, 2);
        }
        // 足利　尊氏 read あしかが　たかうじ: A.T., which the hints spell.
        assert_eq!(
            (r.initials.names, r.initials.masked, r.initials.right),
            (1, 1, 1)
        );
    }

    #[test]
    fn reading_initials_skip_the_particle_no() {
        assert_eq!(
            reading_initials("みなもと　の　よりとも").as_deref(),
            Some("M.Y.")
        );
        assert_eq!(reading_initials("パク・チョンヒ").as_deref(), Some("P.C."));
        assert_eq!(reading_initials("源"), None);
        assert!(
            initials_match("S.", "S.E."),
            "one-word reading: first initial"
        );
        assert!(!initials_match("K.M.", "K.S."));
    }

    #[test]
    fn offsets_past_the_text_are_an_error() {
        let docs =
            parse_jsonl(r#"{"text":"山田","entities":[{"type":"PERSON","start":0,"end":9}]}"#)
                .unwrap();
        assert!(evaluate_with(&docs, fixed).is_err());
    }
}
