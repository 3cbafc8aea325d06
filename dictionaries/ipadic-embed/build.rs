//! Compiles the vendored mecab-ipadic sources into lindera's binary format in
//! `OUT_DIR`, and tells `src/lib.rs` where they are (`LINDERA_WORKDIR`).
//! Nothing is downloaded: the sources are in `data/`.

use std::error::Error;
use std::fs::{self, File};
use std::path::PathBuf;

use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::dictionary::metadata::Metadata;

const ARCHIVE: &str = "data/mecab-ipadic-2.7.0-20070801-utf8.tar.gz";
/// The directory the archive unpacks to.
const SOURCE_DIR: &str = "mecab-ipadic";
/// The directory `embedded_dictionary!` reads, under `LINDERA_WORKDIR`.
const OUTPUT_DIR: &str = "ipadic";

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=metadata.json");
    println!("cargo::rerun-if-changed={ARCHIVE}");

    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    println!("cargo::rustc-env=LINDERA_WORKDIR={}", out.display());

    let src = out.join(SOURCE_DIR);
    if src.exists() {
        fs::remove_dir_all(&src)?;
    }
    let gz = flate2::read::GzDecoder::new(File::open(ARCHIVE)?);
    tar::Archive::new(gz).unpack(&out)?;

    let metadata: Metadata = serde_json::from_str(&fs::read_to_string("metadata.json")?)?;
    let dst = out.join(OUTPUT_DIR);
    fs::create_dir_all(&dst)?;
    DictionaryBuilder::new(metadata).build_dictionary(&src, &dst)?;
    // The sources are not needed once compiled.
    fs::remove_dir_all(&src)?;
    Ok(())
}
