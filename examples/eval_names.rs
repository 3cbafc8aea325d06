//! Scores the name detector alone on annotated real text (WAC):
//!
//! ```text
//! cargo run --release --example eval_names -- corpora/wac/dev.jsonl [MORE.jsonl ...]
//! ```
//!
//! Prints, per file, leak per script of the PERSON mention and person-free
//! documents changed, with each document as its own input and with all of
//! them in one stream, then initials on names whose reading is known (see
//! `mask::detect::name::eval`). `MASK_EVAL_WRONG=1` also lists the wrong
//! initials. `MASK_EVAL_DICT=DIR` uses another compiled lindera dictionary.

use anyhow::{Context, Result};
use mask::detect::name::eval;
use mask::Masker;

fn main() -> Result<()> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        anyhow::bail!("usage: eval_names FILE.jsonl...");
    }
    let mut b = Masker::builder()
        .policy(eval::names_only_policy())
        .threads(1);
    if let Ok(dir) = std::env::var("MASK_EVAL_DICT") {
        b = b.name_dictionary(dir);
    }
    let masker = b.build()?;
    for f in files {
        let text = std::fs::read_to_string(&f).with_context(|| format!("reading {f}"))?;
        let docs = eval::parse_jsonl(&text)?;
        let t = std::time::Instant::now();
        let report = eval::evaluate(&masker, &docs)?;
        println!("## {f} ({:.1} s)\n\n{report}", t.elapsed().as_secs_f64());
        if std::env::var_os("MASK_EVAL_WRONG").is_some() {
            for (name, exp, got) in &report.initials.wrong {
                println!("wrong initials: {name} expected {exp} got {got:?}");
            }
        }
    }
    Ok(())
}
