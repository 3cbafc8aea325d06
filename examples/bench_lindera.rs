//! Raw lindera (IPADIC) tokenization speed on standard input, the baseline
//! the name detector is measured against:
//!
//! ```text
//! cargo run --release --example bench_text -- 20 > /tmp/t.txt
//! cargo run --release --example bench_lindera < /tmp/t.txt
//! ```
//!
//! Splits sentences like lindera's segmenter (`\n`, `\t`, `。`, `、`), reuses
//! one lattice, and touches every token's details (as a detector reading
//! parts of speech would), allocating nothing per token.

use std::io::Read;
use std::time::Instant;

use mask_ipadic::lindera_dictionary::mode::Mode;
use mask_ipadic::lindera_dictionary::viterbi::Lattice;

fn main() -> std::io::Result<()> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let t0 = Instant::now();
    let dict = mask_ipadic::load().expect("embedded dictionary loads");
    let load = t0.elapsed();
    let mut lattice = Lattice::default();
    let mut offsets = Vec::new();
    let mut tokens = 0usize;
    let mut nouns = 0usize;
    let t1 = Instant::now();
    for sentence in text.split(['\n', '\t', '。', '、']) {
        if sentence.is_empty() {
            continue;
        }
        lattice.set_text(
            &dict.prefix_dictionary,
            &None,
            &dict.character_definition,
            &dict.unknown_dictionary,
            &dict.connection_cost_matrix,
            sentence,
            &Mode::Normal,
            None,
            false,
        );
        lattice.tokens_offset_into(&mut offsets);
        for &(_, w) in &offsets {
            tokens += 1;
            if w.is_system() && dict.word_details_iter(w.id() as usize).next() == Some("名詞") {
                nouns += 1;
            }
        }
    }
    let dt = t1.elapsed();
    let mb = text.len() as f64 / 1e6;
    eprintln!(
        "lindera ipadic: load {:.1} ms; {mb:.1} MB, {tokens} tokens ({nouns} nouns) in {:.2} s = {:.1} MB/s",
        load.as_secs_f64() * 1e3,
        dt.as_secs_f64(),
        mb / dt.as_secs_f64()
    );
    Ok(())
}
