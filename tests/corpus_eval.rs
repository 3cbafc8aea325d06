//! Evaluation of the detectors against the labelled corpora in `corpora/dev/`.
//!
//! ```text
//! cargo test --test corpus_eval -- --nocapture
//! ```
//!
//! - `corpus_eval` scans every document with the default policy and prints
//!   recall and precision per category and per genre, plus the false findings
//!   in the `no-pii` genre; it also writes the table to
//!   `$CARGO_TARGET_DIR/corpus-eval.txt` (default `target/corpus-eval.txt`).
//!   The minimums in `corpora/thresholds.toml` are asserted, names and
//!   addresses included. For addresses it also prints
//!   span accuracy (exact spans, a postal code the address span starts with
//!   allowed) and prefecture accuracy (the finding's hint against the gold
//!   `prefecture` of the `address` genre), both asserted too.
//!   A postal code inside an address finding counts as found: the address
//!   detector swallows the postal code before it on purpose.
//! - Names are also broken down by **form** (`Gold::form`: kanji full name,
//!   surname, given name, unknown to IPADIC, katakana, furigana, hiragana,
//!   romaji, foreign) and by **position** (`Gold::position`: prose,
//!   addressee, signature, From/To, speaker, @mention, attendees, label).
//!   Per form: recall = gold names of that form overlapped by a name finding
//!   / gold names of that form. Precision per form: a name finding
//!   overlapping gold names counts as a true finding of the form of the first
//!   of them; a name finding overlapping no gold name has no form, so it is
//!   attributed to the *script* of its text (kanji, katakana, hiragana,
//!   latin, other: the first of these the text contains) and counts against
//!   every form written in that script (kanji-full, surname, given and
//!   unknown are kanji; katakana, furigana and foreign are katakana).
//!   precision(form) = true(form) / (true(form) + false(script of form)):
//!   a lower bound, since one false kanji finding lowers four forms. The
//!   minimums per form (`[name-form.*]` in `corpora/thresholds.toml`) are
//!   asserted. Per position only recall is printed: a false finding has no
//!   position.
//! - `MASK_EVAL_MISSES=1` also lists every missed gold name and false name
//!   finding with its line (the corpora are synthetic: no real data).
//! - `MASK_EVAL_DICT=DIR` evaluates with the compiled lindera dictionary in
//!   `DIR` (`mask --dict DIR`) instead of the embedded IPADIC. The tables are
//!   printed and written as usual, but the thresholds (measured with IPADIC)
//!   are reported, not asserted.
//! - `corpus_leaks` prints how much gold text survives verbatim in the masked
//!   output.
//! - The other tests are invariants that hold whatever the detectors do: gold
//!   spans are valid, the committed files are exactly what the generator
//!   produces, and masking never touches bytes outside findings.

#[allow(dead_code)]
#[path = "../corpora/gen.rs"]
mod corpus_gen;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod common;

use corpus_gen::{Doc, Gold};
use mask::{Category, Finding, Masker, Span};
use serde::Deserialize;

/// Categories whose detectors come later: reported, never asserted.
const LATER: [&str; 0] = [];

/// Categories that `corpora/thresholds.toml` must list.
const ASSERTED: [&str; 9] = [
    "name",
    "phone",
    "email",
    "postal-code",
    "my-number",
    "card",
    "card-detail",
    "secret",
    "address",
];

/// Minimum share of gold addresses found with exactly the gold span (a
/// leading postal code allowed).
const MIN_ADDRESS_SPAN_ACCURACY: f64 = 0.95;
/// Minimum share of gold prefectures (address genre) given as the hint.
const MIN_ADDRESS_PREFECTURE_ACCURACY: f64 = 0.95;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn corpus_dir() -> PathBuf {
    manifest_dir().join("corpora").join("dev")
}

fn jsonl_files() -> Vec<PathBuf> {
    let dir = corpus_dir();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
                .path()
        })
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no *.jsonl in {}", dir.display());
    paths
}

/// Every document of every `corpora/dev/*.jsonl`, checking that each sits in
/// the file of its genre.
fn load_corpora() -> Vec<Doc> {
    let mut docs = Vec::new();
    for path in jsonl_files() {
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_else(|| panic!("file name of {}", path.display()))
            .to_string();
        for (i, line) in text.lines().enumerate() {
            let doc: Doc = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1));
            assert_eq!(doc.genre, stem, "{}:{}: genre", path.display(), i + 1);
            docs.push(doc);
        }
    }
    docs
}

/// The dictionary directory of `MASK_EVAL_DICT`, if set.
fn eval_dict() -> Option<PathBuf> {
    std::env::var_os("MASK_EVAL_DICT")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

/// The default policy, classification markings reported (the corpora
/// score every finding; a blocked document would have none).
fn masker() -> Masker {
    let mut b = Masker::builder()
        .policy(common::reporting_default())
        .threads(1);
    if let Some(d) = eval_dict() {
        b = b.name_dictionary(d);
    }
    b.build().expect("the default policy builds")
}

fn span_of(g: &Gold) -> Span {
    Span::new(g.start, g.end)
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if Path::new(&d).is_absolute() => PathBuf::from(d),
        Some(d) => manifest_dir().join(d),
        None => manifest_dir().join("target"),
    }
}

/// Category names in report order: asserted, other known, then later ones.
fn report_order() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = ASSERTED.to_vec();
    for c in Category::ALL {
        let n = c.as_str();
        if !v.contains(&n) && !LATER.contains(&n) {
            v.push(n);
        }
    }
    v.extend(LATER);
    v
}

// ---------------------------------------------------------------------------
// Invariants.

#[test]
fn check_digit_helpers_agree_with_known_values() {
    // 123456789018 is the commonly cited valid My Number.
    assert!(corpus_gen::my_number_valid(&corpus_gen::digits_of(
        "123456789018"
    )));
    assert!(!corpus_gen::my_number_valid(&corpus_gen::digits_of(
        "123456789012"
    )));
    assert!(corpus_gen::luhn_valid(&corpus_gen::digits_of(
        "4111 1111 1111 1111"
    )));
    assert!(!corpus_gen::luhn_valid(&corpus_gen::digits_of(
        "4111 1111 1111 1112"
    )));
}

#[test]
fn gold_spans_are_valid() {
    let docs = load_corpora();
    let mut ids = BTreeSet::new();
    for doc in &docs {
        assert!(ids.insert(doc.id.clone()), "duplicate id {}", doc.id);
        assert!(
            corpus_gen::GENRES.contains(&doc.genre.as_str()),
            "{}: unknown genre {}",
            doc.id,
            doc.genre
        );
        if doc.genre == "no-pii" {
            assert!(doc.gold.is_empty(), "{}: no-pii has gold", doc.id);
            for run in digit_runs(&doc.text) {
                let d = corpus_gen::digits_of(run);
                assert!(
                    !(d.len() == 12 && corpus_gen::my_number_valid(&d)),
                    "{}: {run:?} is a valid My Number in no-pii",
                    doc.id
                );
            }
        }
        let text = &doc.text;
        let mut prev_end = 0;
        for g in &doc.gold {
            let what = format!("{} gold {}..{} ({})", doc.id, g.start, g.end, g.category);
            assert!(g.start < g.end, "{what}: empty");
            assert!(g.end <= text.len(), "{what}: past the end ({})", text.len());
            assert!(
                text.is_char_boundary(g.start) && text.is_char_boundary(g.end),
                "{what}: not on char boundaries"
            );
            assert!(
                g.start >= prev_end,
                "{what}: overlaps or precedes the previous item"
            );
            prev_end = g.end;
            let cat = Category::from_name(&g.category)
                .unwrap_or_else(|| panic!("{what}: unknown category"));
            let value = &text[g.start..g.end];
            assert_eq!(value.trim(), value, "{what}: surrounding whitespace");
            let digits = corpus_gen::digits_of(value);
            match cat {
                Category::MyNumber => assert!(
                    corpus_gen::my_number_valid(&digits),
                    "{what}: {value:?} is not a valid My Number"
                ),
                Category::Card => assert!(
                    (13..=19).contains(&digits.len()) && corpus_gen::luhn_valid(&digits),
                    "{what}: {value:?} is not a Luhn-valid card number"
                ),
                _ => {}
            }
        }
    }
}

/// Maximal runs of ASCII digits and hyphens.
fn digit_runs(text: &str) -> Vec<&str> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let inside = c.is_ascii_digit() || c == '-';
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    runs
}

#[test]
fn generator_is_deterministic_and_matches_committed_files() {
    let corpora = corpus_gen::generate();
    let again = corpus_gen::generate();
    let dir = corpus_dir();
    let expected: BTreeSet<String> = corpora
        .iter()
        .map(|c| format!("{}.jsonl", c.genre))
        .collect();
    let present: BTreeSet<String> = jsonl_files()
        .iter()
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_string))
        .collect();
    assert_eq!(present, expected, "files in {}", dir.display());
    for (c, c2) in corpora.iter().zip(&again) {
        let fresh = corpus_gen::to_jsonl(&c.docs);
        assert_eq!(
            fresh,
            corpus_gen::to_jsonl(&c2.docs),
            "{}: two runs differ",
            c.genre
        );
        let path = dir.join(format!("{}.jsonl", c.genre));
        let committed = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        if committed != fresh {
            let line = committed
                .lines()
                .zip(fresh.lines())
                .position(|(a, b)| a != b)
                .map_or_else(|| "line count".to_string(), |i| format!("line {}", i + 1));
            panic!(
                "{} differs from the generator's output at {line}; \
                 run `cargo run --example gen_corpora` and commit the result",
                path.display()
            );
        }
    }
}

#[test]
fn masking_leaves_bytes_outside_findings_untouched() {
    let masker = masker();
    for doc in load_corpora() {
        let out = masker
            .mask_str(&doc.text)
            .unwrap_or_else(|e| panic!("{}: mask_str failed: {e}", doc.id));
        let mut prev = 0;
        let mut stretches = Vec::new();
        for f in &out.findings {
            assert!(
                f.span.start >= prev && f.span.end <= doc.text.len(),
                "{}: finding {} out of order or bounds",
                doc.id,
                f.span
            );
            stretches.push(&doc.text[prev..f.span.start]);
            prev = f.span.end;
        }
        let last = &doc.text[prev..];
        let first = stretches.first().copied().unwrap_or(last);
        assert!(out.text.starts_with(first), "{}: prefix changed", doc.id);
        assert!(out.text.ends_with(last), "{}: suffix changed", doc.id);
        let mut cursor = 0;
        for s in stretches.iter().chain(std::iter::once(&last)) {
            let at = out.text[cursor..].find(s).unwrap_or_else(|| {
                panic!(
                    "{}: unmasked text {s:?} missing from the output (in order)",
                    doc.id
                )
            });
            cursor += at + s.len();
        }
    }
}

// ---------------------------------------------------------------------------
// Evaluation.

#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    /// Gold items.
    gold: usize,
    /// Findings.
    found: usize,
    /// Gold items overlapped by a finding of the same category.
    gold_hit: usize,
    /// Gold items with a finding of the same category and exactly the same span.
    gold_exact: usize,
    /// Findings overlapping a gold item of the same category.
    found_hit: usize,
    /// Gold addresses with a gold prefecture.
    pref_gold: usize,
    /// ... whose overlapping finding's hint is that prefecture.
    pref_right: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.gold += o.gold;
        self.found += o.found;
        self.gold_hit += o.gold_hit;
        self.gold_exact += o.gold_exact;
        self.found_hit += o.found_hit;
        self.pref_gold += o.pref_gold;
        self.pref_right += o.pref_right;
    }

    fn span_accuracy(&self) -> Option<f64> {
        (self.gold > 0).then(|| self.gold_exact as f64 / self.gold as f64)
    }

    fn prefecture_accuracy(&self) -> Option<f64> {
        (self.pref_gold > 0).then(|| self.pref_right as f64 / self.pref_gold as f64)
    }

    fn recall(&self) -> Option<f64> {
        (self.gold > 0).then(|| self.gold_hit as f64 / self.gold as f64)
    }

    fn precision(&self) -> Option<f64> {
        (self.found > 0).then(|| self.found_hit as f64 / self.found as f64)
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{:.1}%", v * 100.0))
}

/// Does finding `f` match gold `g`'s category? A postal code inside an
/// address finding is found: the address swallows the postal code before it.
fn same_category(f: &Finding, g: &Gold) -> bool {
    f.category.as_str() == g.category
        || (g.category == "postal-code"
            && f.category == Category::Address
            && f.span.start <= g.start
            && g.end <= f.span.end)
}

/// Is `f` exactly `g`? For addresses the finding may start at the postal
/// code (and its `〒`) right before the gold span.
fn exact(text: &str, f: &Finding, g: &Gold) -> bool {
    if f.span == span_of(g) {
        return true;
    }
    g.category == "address"
        && f.span.end == g.end
        && f.span.start < g.start
        && text[f.span.start..g.start].chars().all(|c| {
            c.is_ascii_digit() || ('０'..='９').contains(&c) || "〒-－ー \n\r　".contains(c)
        })
}

fn eval_doc(doc: &Doc, findings: &[Finding]) -> BTreeMap<String, Counts> {
    let mut m: BTreeMap<String, Counts> = BTreeMap::new();
    for g in &doc.gold {
        let gs = span_of(g);
        let c = m.entry(g.category.clone()).or_default();
        c.gold += 1;
        let same = |f: &&Finding| same_category(f, g);
        if findings.iter().filter(same).any(|f| f.span.overlaps(gs)) {
            c.gold_hit += 1;
        }
        if findings.iter().filter(same).any(|f| exact(&doc.text, f, g)) {
            c.gold_exact += 1;
        }
        if let Some(want) = &g.prefecture {
            c.pref_gold += 1;
            let got = findings
                .iter()
                .find(|f| f.category == Category::Address && f.span.overlaps(gs))
                .map(|f| f.hint.clone().unwrap_or_default());
            if got.as_deref() == Some(want.as_str()) {
                c.pref_right += 1;
            }
        }
    }
    for f in findings {
        let c = m.entry(f.category.as_str().to_string()).or_default();
        c.found += 1;
        if doc
            .gold
            .iter()
            .any(|g| same_category(f, g) && f.span.overlaps(span_of(g)))
        {
            c.found_hit += 1;
        }
    }
    m
}

/// Per-form name counts (see the module docs for the definitions).
#[derive(Clone, Copy, Debug, Default)]
struct FormCounts {
    /// Gold names of the form.
    gold: usize,
    /// ... overlapped by a name finding.
    gold_hit: usize,
    /// Name findings whose first overlapping gold name has the form.
    found_hit: usize,
}

/// The script a name form is written in.
fn form_script(form: &str) -> &'static str {
    match form {
        "kanji-full" | "surname" | "given" | "unknown" => "kanji",
        "katakana" | "furigana" | "foreign" => "katakana",
        "hiragana" => "hiragana",
        "romaji" => "latin",
        _ => "other",
    }
}

/// The script of a false finding's text: the first of kanji, katakana,
/// hiragana, latin that it contains, else `other`.
fn text_script(t: &str) -> &'static str {
    let has = |f: fn(char) -> bool| t.chars().any(f);
    if has(
        |c| matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '々'),
    ) {
        "kanji"
    } else if has(|c| matches!(c, 'ァ'..='ヺ' | 'ｦ'..='ﾝ')) {
        "katakana"
    } else if has(|c| matches!(c, 'ぁ'..='ゖ')) {
        "hiragana"
    } else if has(|c| c.is_ascii_alphabetic() || matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ')) {
        "latin"
    } else {
        "other"
    }
}

/// Name counts of one document: per form, per position, and false name
/// findings per script of their text.
#[derive(Debug, Default)]
struct NameBreakdown {
    forms: BTreeMap<String, FormCounts>,
    positions: BTreeMap<String, FormCounts>,
    false_by_script: BTreeMap<&'static str, usize>,
    /// Missed gold names and false findings, `id form: «line»`.
    misses: Vec<String>,
}

/// The line of `text` around `start..end`, the span in «».
fn in_line(text: &str, start: usize, end: usize) -> String {
    let ls = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let le = text[end..].find('\n').map_or(text.len(), |i| end + i);
    format!(
        "{}«{}»{}",
        &text[ls..start],
        &text[start..end],
        &text[end..le]
    )
}

impl NameBreakdown {
    fn add_doc(&mut self, doc: &Doc, findings: &[Finding]) {
        let names: Vec<&Gold> = doc.gold.iter().filter(|g| g.category == "name").collect();
        let found: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.category == Category::Name)
            .collect();
        for g in &names {
            let hit = found.iter().any(|f| f.span.overlaps(span_of(g)));
            for (map, key) in [
                (&mut self.forms, &g.form),
                (&mut self.positions, &g.position),
            ] {
                let c = map
                    .entry(key.clone().unwrap_or_else(|| "?".to_string()))
                    .or_default();
                c.gold += 1;
                c.gold_hit += usize::from(hit);
            }
            if !hit {
                self.misses.push(format!(
                    "missed {} {}/{}: {}",
                    doc.id,
                    g.form.as_deref().unwrap_or("?"),
                    g.position.as_deref().unwrap_or("?"),
                    in_line(&doc.text, g.start, g.end)
                ));
            }
        }
        for f in found {
            match names.iter().find(|g| f.span.overlaps(span_of(g))) {
                Some(g) => {
                    let form = g.form.clone().unwrap_or_else(|| "?".to_string());
                    self.forms.entry(form).or_default().found_hit += 1;
                }
                None => {
                    let script = doc
                        .text
                        .get(f.span.start..f.span.end)
                        .map_or("other", text_script);
                    *self.false_by_script.entry(script).or_default() += 1;
                    self.misses.push(format!(
                        "false {} {script}: {}",
                        doc.id,
                        in_line(&doc.text, f.span.start, f.span.end)
                    ));
                }
            }
        }
    }

    fn recall(&self, form: &str) -> Option<f64> {
        let c = self.forms.get(form).copied().unwrap_or_default();
        (c.gold > 0).then(|| c.gold_hit as f64 / c.gold as f64)
    }

    fn false_of(&self, form: &str) -> usize {
        self.false_by_script
            .get(form_script(form))
            .copied()
            .unwrap_or(0)
    }

    fn precision(&self, form: &str) -> Option<f64> {
        let c = self.forms.get(form).copied().unwrap_or_default();
        let denominator = c.found_hit + self.false_of(form);
        (denominator > 0).then(|| c.found_hit as f64 / denominator as f64)
    }

    fn write(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "\n{:<12} {:>6} {:>8} {:>8} {:>9} {:>10} {:>10}",
            "name form", "gold", "tp-gold", "recall", "tp-found", "false*", "precision"
        );
        for form in corpus_gen::NAME_FORMS {
            let c = self.forms.get(form).copied().unwrap_or_default();
            let _ = writeln!(
                out,
                "{:<12} {:>6} {:>8} {:>8} {:>9} {:>10} {:>10}",
                form,
                c.gold,
                c.gold_hit,
                pct(self.recall(form)),
                c.found_hit,
                format!("{} {}", self.false_of(form), form_script(form)),
                pct(self.precision(form))
            );
        }
        let detail: Vec<String> = self
            .false_by_script
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        let _ = writeln!(
            out,
            "* false name findings by script of their text, each counted against every form \
             of that script: {}",
            if detail.is_empty() {
                "none".to_string()
            } else {
                detail.join(", ")
            }
        );
        if std::env::var_os("MASK_EVAL_MISSES").is_some() {
            for m in &self.misses {
                let _ = writeln!(out, "  {m}");
            }
        }
        let _ = writeln!(
            out,
            "\n{:<12} {:>6} {:>8} {:>8}",
            "name at", "gold", "tp-gold", "recall"
        );
        for pos in corpus_gen::NAME_POSITIONS {
            let c = self.positions.get(pos).copied().unwrap_or_default();
            let _ = writeln!(
                out,
                "{:<12} {:>6} {:>8} {:>8}",
                pos,
                c.gold,
                c.gold_hit,
                pct((c.gold > 0).then(|| c.gold_hit as f64 / c.gold as f64))
            );
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Threshold {
    min_recall: f64,
    min_precision: f64,
}

/// The table of per-form name minimums in `corpora/thresholds.toml`.
const FORM_TABLE: &str = "name-form";

/// Per-category minimums and per-name-form minimums.
fn thresholds() -> (BTreeMap<String, Threshold>, BTreeMap<String, Threshold>) {
    let path = manifest_dir().join("corpora").join("thresholds.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut table: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
    let forms: BTreeMap<String, Threshold> = match table.remove(FORM_TABLE) {
        Some(v) => v
            .try_into()
            .unwrap_or_else(|e| panic!("{}: [{FORM_TABLE}]: {e}", path.display())),
        None => BTreeMap::new(),
    };
    let t: BTreeMap<String, Threshold> = toml::Value::Table(table)
        .try_into()
        .unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
    for name in t.keys() {
        assert!(
            Category::from_name(name).is_some(),
            "{}: unknown category {name}",
            path.display()
        );
    }
    for name in ASSERTED {
        assert!(t.contains_key(name), "{}: missing [{name}]", path.display());
    }
    for form in forms.keys() {
        assert!(
            corpus_gen::NAME_FORMS.contains(&form.as_str()),
            "{}: unknown name form {form}",
            path.display()
        );
    }
    for form in corpus_gen::NAME_FORMS {
        assert!(
            forms.contains_key(form),
            "{}: missing [{FORM_TABLE}.{form}]",
            path.display()
        );
    }
    (t, forms)
}

fn category_row(out: &mut String, name: &str, c: &Counts) {
    let _ = writeln!(
        out,
        "{:<16} {:>6} {:>6} {:>8} {:>6} {:>9} {:>8} {:>10}",
        name,
        c.gold,
        c.found,
        c.gold_hit,
        c.gold_exact,
        c.found_hit,
        pct(c.recall()),
        pct(c.precision())
    );
}

#[test]
fn corpus_eval() {
    let docs = load_corpora();
    let masker = masker();
    let mut by_cat: BTreeMap<String, Counts> = BTreeMap::new();
    // genre -> (docs, core counts, later counts)
    let mut by_genre: BTreeMap<String, (usize, Counts, Counts)> = BTreeMap::new();
    let mut nopii_false: BTreeMap<String, usize> = BTreeMap::new();
    let mut nopii_docs_hit = 0;
    let mut names = NameBreakdown::default();
    for doc in &docs {
        let findings = masker.scan(&doc.text);
        names.add_doc(doc, &findings);
        let per = eval_doc(doc, &findings);
        let g = by_genre.entry(doc.genre.clone()).or_default();
        g.0 += 1;
        for (cat, c) in &per {
            by_cat.entry(cat.clone()).or_default().add(c);
            if LATER.contains(&cat.as_str()) {
                g.2.add(c);
            } else {
                g.1.add(c);
            }
        }
        if doc.genre == "no-pii" {
            if !findings.is_empty() {
                nopii_docs_hit += 1;
            }
            for f in &findings {
                *nopii_false
                    .entry(f.category.as_str().to_string())
                    .or_default() += 1;
            }
        }
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "corpus eval: {} documents in {} genres (corpora/dev), default policy; \
         match = same category and overlapping span; names: {}",
        docs.len(),
        by_genre.len(),
        eval_dict().map_or_else(
            || "embedded IPADIC".to_string(),
            |d| format!("dictionary {} (MASK_EVAL_DICT)", d.display())
        )
    );
    let header = format!(
        "{:<16} {:>6} {:>6} {:>8} {:>6} {:>9} {:>8} {:>10}",
        "category", "gold", "found", "tp-gold", "exact", "tp-found", "recall", "precision"
    );
    let _ = writeln!(out, "\n{header}");
    let mut core = Counts::default();
    for name in report_order() {
        if LATER.contains(&name) {
            continue;
        }
        let c = by_cat.get(name).copied().unwrap_or_default();
        core.add(&c);
        category_row(&mut out, name, &c);
    }
    category_row(&mut out, "TOTAL (core)", &core);
    let _ = writeln!(out, "-- later detectors (reported, not asserted) --");
    for name in LATER {
        let c = by_cat.get(name).copied().unwrap_or_default();
        category_row(&mut out, name, &c);
    }
    for (name, c) in &by_cat {
        if Category::from_name(name).is_none() {
            category_row(&mut out, &format!("?{name}"), c);
        }
    }

    let _ = writeln!(
        out,
        "\n{:<16} {:>5} | {:>6} {:>6} {:>8} {:>10} | {:>10} {:>6} {:>8}",
        "genre", "docs", "gold", "found", "recall", "precision", "later gold", "found", "recall"
    );
    for genre in corpus_gen::GENRES {
        let (n, c, l) = by_genre.get(genre).copied().unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<16} {:>5} | {:>6} {:>6} {:>8} {:>10} | {:>10} {:>6} {:>8}",
            genre,
            n,
            c.gold,
            c.found,
            pct(c.recall()),
            pct(c.precision()),
            l.gold,
            l.found,
            pct(l.recall())
        );
    }
    let addr = by_cat.get("address").copied().unwrap_or_default();
    let _ = writeln!(
        out,
        "\naddress: span accuracy {} ({} of {} gold spans exact, a leading postal code allowed); \
         prefecture accuracy {} ({} of {} gold prefectures in the address genre, \"\" = no hint)",
        pct(addr.span_accuracy()),
        addr.gold_exact,
        addr.gold,
        pct(addr.prefecture_accuracy()),
        addr.pref_right,
        addr.pref_gold
    );
    names.write(&mut out);
    let total_false: usize = nopii_false.values().sum();
    let detail: Vec<String> = nopii_false
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    let _ = writeln!(
        out,
        "\nfalse findings in no-pii: {total_false} in {nopii_docs_hit} of {} documents{}",
        by_genre.get("no-pii").map_or(0, |g| g.0),
        if detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", detail.join(", "))
        }
    );

    // Thresholds.
    let mut failures = Vec::new();
    let (category_minimums, form_minimums) = thresholds();
    for (form, t) in &form_minimums {
        match names.recall(form) {
            Some(r) if r < t.min_recall => failures.push(format!(
                "name form {form}: recall {} < {:.1}%",
                pct(Some(r)),
                t.min_recall * 100.0
            )),
            None if t.min_recall > 0.0 => failures.push(format!(
                "name form {form}: no gold items but min_recall > 0"
            )),
            _ => {}
        }
        if let Some(p) = names.precision(form) {
            if p < t.min_precision {
                failures.push(format!(
                    "name form {form}: precision {} < {:.1}%",
                    pct(Some(p)),
                    t.min_precision * 100.0
                ));
            }
        }
    }
    for (name, t) in category_minimums {
        let c = by_cat.get(&name).copied().unwrap_or_default();
        match c.recall() {
            Some(r) if r < t.min_recall => failures.push(format!(
                "{name}: recall {} < {:.1}%",
                pct(Some(r)),
                t.min_recall * 100.0
            )),
            None if t.min_recall > 0.0 => {
                failures.push(format!("{name}: no gold items but min_recall > 0"))
            }
            _ => {}
        }
        if let Some(p) = c.precision() {
            if p < t.min_precision {
                failures.push(format!(
                    "{name}: precision {} < {:.1}%",
                    pct(Some(p)),
                    t.min_precision * 100.0
                ));
            }
        }
    }
    for (what, got, min) in [
        (
            "span accuracy",
            addr.span_accuracy(),
            MIN_ADDRESS_SPAN_ACCURACY,
        ),
        (
            "prefecture accuracy",
            addr.prefecture_accuracy(),
            MIN_ADDRESS_PREFECTURE_ACCURACY,
        ),
    ] {
        if got.is_none_or(|v| v < min) {
            failures.push(format!(
                "address: {what} {} < {:.1}%",
                pct(got),
                min * 100.0
            ));
        }
    }
    let _ = writeln!(
        out,
        "thresholds (corpora/thresholds.toml): {}",
        if failures.is_empty() {
            "all met".to_string()
        } else {
            failures.join("; ")
        }
    );

    println!("{out}");
    let dir = target_dir();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    let path = dir.join("corpus-eval.txt");
    std::fs::write(&path, &out).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    println!("(written to {})", path.display());

    // The minimums were measured with the embedded IPADIC: another
    // dictionary's run is a report.
    if eval_dict().is_none() {
        assert!(
            failures.is_empty(),
            "below corpora/thresholds.toml: {}",
            failures.join("; ")
        );
    }
}

#[test]
fn corpus_leaks() {
    #[derive(Default)]
    struct Leak {
        items: usize,
        bytes: usize,
        verbatim_items: usize,
        uncovered_bytes: usize,
    }
    let masker = masker();
    let mut by_cat: BTreeMap<String, Leak> = BTreeMap::new();
    for doc in load_corpora() {
        let out = masker
            .mask_str(&doc.text)
            .unwrap_or_else(|e| panic!("{}: mask_str failed: {e}", doc.id));
        for g in &doc.gold {
            let value = &doc.text[g.start..g.end];
            let l = by_cat.entry(g.category.clone()).or_default();
            l.items += 1;
            l.bytes += value.len();
            if out.text.contains(value) {
                l.verbatim_items += 1;
            }
            // Bytes of the item that no finding covers: these pass through
            // unchanged (see `masking_leaves_bytes_outside_findings_untouched`).
            let gs = span_of(g);
            let covered: usize = out
                .findings
                .iter()
                .filter(|f| f.span.overlaps(gs))
                .map(|f| f.span.end.min(gs.end) - f.span.start.max(gs.start))
                .sum();
            l.uncovered_bytes += gs.len() - covered.min(gs.len());
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "gold text surviving in the masked output (default policy)\n\
         verbatim = the item's whole text still occurs in the output (short values \
         such as CVCs can also match elsewhere); uncovered = bytes of the item no finding covers\n"
    );
    let _ = writeln!(
        out,
        "{:<16} {:>6} {:>9} {:>9} {:>9} {:>11} {:>9}",
        "category", "items", "verbatim", "leak%", "bytes", "uncovered", "leak%"
    );
    for name in report_order() {
        let Some(l) = by_cat.get(name) else { continue };
        let _ = writeln!(
            out,
            "{:<16} {:>6} {:>9} {:>9} {:>9} {:>11} {:>9}",
            name,
            l.items,
            l.verbatim_items,
            pct(Some(l.verbatim_items as f64 / l.items as f64)),
            l.bytes,
            l.uncovered_bytes,
            pct(Some(l.uncovered_bytes as f64 / l.bytes as f64))
        );
    }
    println!("{out}");
}

#[test]
fn eval_counts_overlap_and_exact_matches() {
    let gold = |category: &str, start, end| Gold {
        category: category.to_string(),
        start,
        end,
        prefecture: None,
        form: None,
        position: None,
        initials: None,
    };
    let doc = Doc {
        id: "t-1".into(),
        genre: "hard".into(),
        text: "x".repeat(100),
        gold: vec![
            gold("phone", 0, 10),
            gold("email", 20, 30),
            gold("card", 40, 50),
        ],
    };
    let finding = |category, start, end| Finding {
        category,
        detector: "test",
        span: Span::new(start, end),
        hint: None,
    };
    let findings = [
        finding(Category::Phone, 0, 10),   // exact
        finding(Category::Email, 25, 35),  // overlap
        finding(Category::Phone, 40, 50),  // wrong category
        finding(Category::Secret, 60, 70), // nothing there
    ];
    let m = eval_doc(&doc, &findings);
    let phone = m["phone"];
    assert_eq!(
        (
            phone.gold,
            phone.found,
            phone.gold_hit,
            phone.gold_exact,
            phone.found_hit
        ),
        (1, 2, 1, 1, 1)
    );
    let email = m["email"];
    assert_eq!(
        (
            email.gold,
            email.found,
            email.gold_hit,
            email.gold_exact,
            email.found_hit
        ),
        (1, 1, 1, 0, 1)
    );
    let card = m["card"];
    assert_eq!((card.gold, card.found, card.gold_hit), (1, 0, 0));
    assert_eq!(card.recall(), Some(0.0));
    assert_eq!(card.precision(), None);
    let secret = m["secret"];
    assert_eq!((secret.gold, secret.found, secret.found_hit), (0, 1, 0));
}
