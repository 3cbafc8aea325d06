//! gitleaks' own rule tests, run through mask.
//!
//! `tests/data/gitleaks_cases.tsv` holds the true and false positives of
//! gitleaks' rule generators (gitleaks/gitleaks `cmd/generate/config/rules/*.go`,
//! each row naming its file and function), plus samples synthesized from
//! every rule of `dictionaries/gitleaks/gitleaks.toml` the way the
//! generators make theirs; `dictionaries/gen_gitleaks.py` writes it, with
//! the secret gitleaks reports for each true positive.
//!
//! ```text
//! cargo test --release --test gitleaks_cases -- --nocapture
//! ```
//!
//! - every true positive must be masked: none of its secrets may survive in
//!   the output (whichever detector masks it);
//! - the share of false positives given a secret finding is printed and must
//!   stay at or below 5%.

use mask::{Category, Masker};

struct Case {
    rule: String,
    tp: bool,
    source: String,
    text: String,
    secrets: Vec<String>,
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn cases() -> Vec<Case> {
    let data = include_str!("data/gitleaks_cases.tsv");
    data.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(f.len() >= 4, "bad row {l:?}");
            Case {
                rule: f[0].to_string(),
                tp: f[1] == "tp",
                source: f[2].to_string(),
                text: unescape(f[3]),
                secrets: f[4..].iter().map(|s| unescape(s)).collect(),
            }
        })
        .collect()
}

#[test]
fn gitleaks_true_positives_masked_and_false_positives_kept() {
    let masker = Masker::builder()
        .threads(1)
        .build()
        .expect("default masker");
    let cases = cases();
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut missed: Vec<String> = Vec::new();
    let mut flagged: Vec<String> = Vec::new();
    let mut changed_any = 0usize;
    for c in &cases {
        if c.tp {
            tp += 1;
            assert!(
                !c.secrets.is_empty(),
                "{}: a true positive has its secret",
                c.rule
            );
            let out = masker.mask_str(&c.text).expect("mask").text;
            if let Some(s) = c.secrets.iter().find(|s| out.contains(s.as_str())) {
                missed.push(format!(
                    "{} ({}): {:?} survives in {:?}",
                    c.rule, c.source, s, out
                ));
            }
        } else {
            fp += 1;
            let findings = masker.scan(&c.text);
            if findings.iter().any(|f| f.category == Category::Secret) {
                let names: Vec<&str> = findings.iter().map(|f| f.detector).collect();
                flagged.push(format!("{}: {:?} by {:?}", c.rule, c.text, names));
            }
            if masker.mask_str(&c.text).expect("mask").text != c.text {
                changed_any += 1;
            }
        }
    }
    let recall = 100.0 * (tp - missed.len()) as f64 / tp as f64;
    let fp_share = 100.0 * flagged.len() as f64 / fp as f64;
    println!(
        "gitleaks cases: {tp} true positives, {} missed (recall {recall:.1}%); \
         {fp} false positives, {} given a secret finding ({fp_share:.1}%), {} changed by any detector",
        missed.len(),
        flagged.len(),
        changed_any
    );
    for m in &missed {
        println!("  missed: {m}");
    }
    for f in &flagged {
        println!("  flagged: {f}");
    }
    assert!(missed.is_empty(), "{} true positives missed", missed.len());
    assert!(
        fp_share <= 5.0,
        "{fp_share:.1}% of gitleaks' false positives flagged"
    );
}
