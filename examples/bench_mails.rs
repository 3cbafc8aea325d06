//! Writes N generated business mails (corpora/gen.rs, a benchmark seed, not
//! the dev set's) to stdout as one stream, blank-line separated:
//! `cargo run --release --example bench_mails -- 1000 > mails.txt`
//! (used by benches/names_throughput.sh).

#[allow(dead_code)]
#[path = "../corpora/gen.rs"]
mod corpus_gen;

use std::io::Write;

/// The benchmark stream's seed.
const SEED: u64 = 0x6265_6E63_685F_6D6C;

fn main() -> std::io::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let genres = ["business-mail", "ec-order-mail", "support-ticket"];
    let per = n.div_ceil(genres.len());
    let corpora: Vec<_> = genres
        .iter()
        .map(|g| corpus_gen::generate_training(g, SEED, per))
        .collect();
    let mut written = 0;
    'outer: for i in 0..per {
        for c in &corpora {
            if written == n {
                break 'outer;
            }
            out.write_all(c.docs[i].text.as_bytes())?;
            out.write_all(b"\n\n")?;
            written += 1;
        }
    }
    out.flush()
}
