//! Compiles MeCab dictionary sources (CSV lexicon, `matrix.def`, `char.def`,
//! `unk.def`) into a lindera dictionary directory for `mask --dict DIR`.
//!
//! ```text
//! cargo run --release --example build_dict -- METADATA.json SOURCE_DIR OUT_DIR
//! ```
//!
//! `METADATA.json` names the dictionary, its encoding and the columns of its
//! CSV rows (`dictionaries/alt/*.metadata.json`); the name detector reads the
//! column names to find the part of speech and the reading, so they must be
//! one of the schemas `mask` knows (IPADIC-like or UniDic-like). Usually run
//! by `dictionaries/build_dict.sh`, which downloads and unpacks the sources.

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use mask_ipadic::lindera_dictionary::builder::DictionaryBuilder;
use mask_ipadic::lindera_dictionary::dictionary::metadata::Metadata;

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [metadata, src, out] = args.as_slice() else {
        return Err("usage: build_dict METADATA.json SOURCE_DIR OUT_DIR".into());
    };
    let text = std::fs::read_to_string(metadata).map_err(|e| format!("reading {metadata}: {e}"))?;
    let metadata: Metadata =
        serde_json::from_str(&text).map_err(|e| format!("parsing {metadata}: {e}"))?;
    let (src, out) = (PathBuf::from(src), PathBuf::from(out));
    let started = Instant::now();
    DictionaryBuilder::new(metadata)
        .build_dictionary(&src, &out)
        .map_err(|e| format!("building {} from {}: {e}", out.display(), src.display()))?;
    eprintln!(
        "built {} in {:.1} s",
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
