//! Writes N MB of the benchmark text to stdout: `cargo run --release
//! --example bench_text -- 1024 > big.txt` (used by benches/throughput.sh).

use std::io::Write;

#[path = "../benches/common/text.rs"]
mod text;

fn main() -> std::io::Result<()> {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100);
    let block = text::business_text(1 << 20);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for _ in 0..mb {
        out.write_all(block.as_bytes())?;
    }
    out.flush()
}
