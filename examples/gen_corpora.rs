//! Writes the evaluation corpora `corpora/dev/<genre>.jsonl`.
//!
//! ```text
//! cargo run --example gen_corpora
//! ```
//!
//! The generator is deterministic (fixed seeds, own PRNG); the committed files
//! must equal its output, which `tests/corpus_eval.rs` checks. Re-run this
//! after changing `corpora/gen.rs` and commit the result.

// The check-digit validators in the shared module are used only by the tests.
#[allow(dead_code)]
#[path = "../corpora/gen.rs"]
mod corpus_gen;

use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpora")
        .join("dev");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    let mut total = 0;
    for corpus in corpus_gen::generate() {
        let path = dir.join(format!("{}.jsonl", corpus.genre));
        let text = corpus_gen::to_jsonl(&corpus.docs);
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        let gold: usize = corpus.docs.iter().map(|d| d.gold.len()).sum();
        println!(
            "{:<16} {:>3} documents {:>5} gold items {:>8} bytes  {}",
            corpus.genre,
            corpus.docs.len(),
            gold,
            text.len(),
            path.display()
        );
        total += text.len();
    }
    println!("total {total} bytes");
}
