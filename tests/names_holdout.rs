//! Person names the detector never saw, in business shapes: the generated
//! genres (`corpora/gen.rs`) with every person drawn from the held-out half
//! of ENAMDICT's names (`corpora/gen_pool.rs`), which neither the committed
//! dev set's tables nor the name model's business training text hold.
//!
//! A name *leaks* when any of its letters lies outside every name finding
//! (the issue's definition: a piece that survives is readable). The test
//! prints the leak per form and position and fails when it rises above
//! [`MAX_LEAK`] (a regression guard; the goal is 1%). Measured when the
//! set was introduced (session 8): 14.6% (163 of 1,119; romaji display
//! names 123 of 128, chat speakers 130 of 441) with the model trained on
//! the dev tables' names only, 0.7% (8) once its business training text
//! drew half its people from the training half of the pool; no name
//! finding outside a gold name either time.
//!
//! It also measures **right initials**: for each gold name whose initials
//! are determinate (`Gold::initials`: every ENAMDICT reading of each part
//! for its role begins alike, or the document writes the romaji), the
//! letters of the hints of the name findings over it, in order, must equal
//! them (`S.M.` for `白石 充`). It fails below [`MIN_RIGHT_INITIALS`].
//! Measured when introduced (session 9): 750 of 792 right (94.7%; romaji
//! 128 of 128, surname 334 of 348, unknown 229 of 248, kanji-full 59 of
//! 68); 327 name items without determinate initials (119 of them foreign).
//! Session 10 (a name written alone read as a surname, full names written
//! together split at ENAMDICT's surname/given boundary, a romaji spelling
//! beside the name used as its reading, a cut-short given name completed):
//! 774 of 792 (97.7%), leak 5 of 1,119 (0.4%).
//!
//! ```text
//! cargo test --release --test names_holdout -- --nocapture
//! ```

mod common;
#[allow(dead_code)]
#[path = "../corpora/gen.rs"]
mod corpus_gen;

use std::collections::BTreeMap;

use corpus_gen::{Doc, Gold};
use mask::{Category, Finding, Masker};

/// Seed of the hold-out documents (neither the dev set's nor training's).
const SEED: u64 = 0x686F_6C64_6F75_7421;
/// Documents per genre.
const DOCS: usize = 40;
/// The genres without people (or with their own name tables) left out.
const NOT_BUSINESS: [&str; 3] = ["no-pii", "address", "names"];
/// Highest share of leaked hold-out names this test accepts.
const MAX_LEAK: f64 = 0.01;
/// Lowest share of right initials among the names with determinate ones.
const MIN_RIGHT_INITIALS: f64 = 0.97;

/// Does a letter of gold `g` lie outside every name finding?
fn leaks(doc: &Doc, g: &Gold, names: &[&Finding]) -> bool {
    doc.text[g.start..g.end].char_indices().any(|(i, c)| {
        let at = g.start + i;
        !c.is_whitespace()
            && !matches!(c, '・' | '=' | '＝' | '.' | '-')
            && !names.iter().any(|f| f.span.start <= at && at < f.span.end)
    })
}

/// The letters of the name findings' hints over gold `g`, in text order
/// (`S.M.` → `SM`; an unread part stays `＊`, a finding with no hint is
/// `?`); empty when no name finding covers it.
fn hinted_initials(g: &Gold, names: &[&Finding]) -> String {
    let span = mask::Span::new(g.start, g.end);
    let mut over: Vec<&&Finding> = names.iter().filter(|f| f.span.overlaps(span)).collect();
    over.sort_by_key(|f| f.span.start);
    over.iter()
        .map(|f| f.hint.as_deref().unwrap_or("?"))
        .flat_map(str::chars)
        .filter(|&c| c != '.')
        .collect()
}

/// Gold names with determinate initials and those the hints spell right.
#[derive(Default)]
struct Initials {
    gold: usize,
    right: usize,
    /// Name items with no determinate initials (`Gold::initials` absent).
    undetermined: usize,
}

impl Initials {
    fn share(&self) -> f64 {
        self.right as f64 / self.gold.max(1) as f64
    }
}

#[derive(Default)]
struct Tally {
    gold: usize,
    leaked: usize,
}

impl Tally {
    fn share(&self) -> f64 {
        self.leaked as f64 / self.gold.max(1) as f64
    }
}

#[test]
fn held_out_names_in_business_shapes() {
    // Classification markings reported, not blocking: a marked document
    // would hide its names from the count.
    let masker = Masker::builder()
        .policy(common::reporting_default())
        .threads(1)
        .build()
        .expect("the default policy builds");
    let mut by_form: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_position: BTreeMap<String, Tally> = BTreeMap::new();
    let mut all = Tally::default();
    let mut false_names = 0usize;
    let mut examples = Vec::new();
    let mut initials: BTreeMap<String, Initials> = BTreeMap::new();
    let mut all_initials = Initials::default();
    let mut wrong_initials = Vec::new();
    for genre in corpus_gen::GENRES
        .into_iter()
        .filter(|g| !NOT_BUSINESS.contains(g))
    {
        for doc in corpus_gen::generate_holdout(genre, SEED, DOCS).docs {
            let masked = masker.mask_str(&doc.text).expect("masks");
            let names: Vec<&Finding> = masked
                .findings
                .iter()
                .filter(|f| f.category == Category::Name)
                .collect();
            for g in doc.gold.iter().filter(|g| g.category == "name") {
                let leaked = leaks(&doc, g, &names);
                for t in [
                    &mut all,
                    by_form
                        .entry(g.form.clone().unwrap_or_default())
                        .or_default(),
                    by_position
                        .entry(g.position.clone().unwrap_or_default())
                        .or_default(),
                ] {
                    t.gold += 1;
                    t.leaked += usize::from(leaked);
                }
                let line_start = doc.text[..g.start].rfind('\n').map_or(0, |i| i + 1);
                let line_end = doc.text[g.end..]
                    .find('\n')
                    .map_or(doc.text.len(), |i| g.end + i);
                let line = &doc.text[line_start..line_end];
                let form = g.form.as_deref().unwrap_or("");
                if leaked && examples.len() < 40 {
                    examples.push(format!("{} [{form}]: {line}", &doc.text[g.start..g.end]));
                }
                let by = initials.entry(form.to_string()).or_default();
                let Some(want) = &g.initials else {
                    by.undetermined += 1;
                    all_initials.undetermined += 1;
                    continue;
                };
                let got = hinted_initials(g, &names);
                let right = got == *want;
                for t in [&mut all_initials, by] {
                    t.gold += 1;
                    t.right += usize::from(right);
                }
                if !right && wrong_initials.len() < 30 {
                    wrong_initials.push(format!(
                        "{} [{form}] expected {want}, got {}: {line}",
                        &doc.text[g.start..g.end],
                        if got.is_empty() { "nothing" } else { &got }
                    ));
                }
            }
            false_names += names
                .iter()
                .filter(|f| {
                    !doc.gold.iter().any(|g| {
                        g.category == "name" && f.span.overlaps(mask::Span::new(g.start, g.end))
                    })
                })
                .count();
        }
    }
    println!(
        "held-out names: {} of {} leaked ({:.1}%); name findings outside gold names: {false_names}",
        all.leaked,
        all.gold,
        all.share() * 100.0
    );
    for (title, m) in [("form", &by_form), ("position", &by_position)] {
        for (k, t) in m {
            println!(
                "  {title:<8} {k:<12} {:>4} of {:>4} leaked ({:.1}%)",
                t.leaked,
                t.gold,
                t.share() * 100.0
            );
        }
    }
    for e in &examples {
        println!("  leaked: {e}");
    }
    println!(
        "right initials: {} of {} ({:.1}%); name items without determinate initials: {}",
        all_initials.right,
        all_initials.gold,
        all_initials.share() * 100.0,
        all_initials.undetermined
    );
    for (form, t) in &initials {
        println!(
            "  form     {form:<12} right initials: {} of {} ({:.1}%); without determinate initials: {}",
            t.right,
            t.gold,
            t.share() * 100.0,
            t.undetermined
        );
    }
    for w in &wrong_initials {
        println!("  wrong initials: {w}");
    }
    assert!(
        all.gold > 500,
        "the hold-out set holds names ({})",
        all.gold
    );
    assert!(
        all.share() <= MAX_LEAK,
        "held-out names leaked {:.1}% > {:.1}%",
        all.share() * 100.0,
        MAX_LEAK * 100.0
    );
    assert!(
        all_initials.gold > 300,
        "the hold-out set holds names with determinate initials ({})",
        all_initials.gold
    );
    assert!(
        all_initials.share() >= MIN_RIGHT_INITIALS,
        "right initials {:.1}% < {:.1}%",
        all_initials.share() * 100.0,
        MIN_RIGHT_INITIALS * 100.0
    );
}
