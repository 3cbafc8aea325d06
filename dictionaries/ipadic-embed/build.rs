//! Compiles the vendored mecab-ipadic sources into lindera's binary format in
//! `OUT_DIR`, and tells `src/lib.rs` where they are (`LINDERA_WORKDIR`).
//! Nothing is downloaded: the sources are in `data/`.

use std::collections::BTreeMap;
use std::error::Error;
use std::fs::{self, File};
use std::path::Path;
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
    write_person_names(&src.join("Noun.name.csv"), &out.join("person-names.tsv"))?;
    // The sources are not needed once compiled.
    fs::remove_dir_all(&src)?;
    Ok(())
}

/// Writes the person-name table: one line per surface of a `名詞,固有名詞,人名`
/// entry, `surface TAB kinds TAB reading`, where kinds has `s` (姓), `g` (名)
/// and/or `p` (一般) and the reading is the one of the surface's cheapest
/// entry (lowest cost, then first in the file), so a surface with several
/// readings (角田: カクダ/ツノダ) always gets the same one.
fn write_person_names(csv: &Path, out: &Path) -> Result<(), Box<dyn Error>> {
    let text = fs::read_to_string(csv)?;
    // surface -> (kinds, cost, reading)
    let mut map: BTreeMap<&str, (String, i64, &str)> = BTreeMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 12 || f[4] != "名詞" || f[5] != "固有名詞" || f[6] != "人名" {
            continue;
        }
        let kind = match f[7] {
            "姓" => 's',
            "名" => 'g',
            _ => 'p',
        };
        let cost: i64 = f[3].parse()?;
        let e = map.entry(f[0]).or_insert((String::new(), i64::MAX, f[11]));
        if !e.0.contains(kind) {
            e.0.push(kind);
        }
        if cost < e.1 {
            e.1 = cost;
            e.2 = f[11];
        }
    }
    let mut s = String::with_capacity(map.len() * 24);
    for (surface, (kinds, _, reading)) in map {
        s.push_str(surface);
        s.push('\t');
        s.push_str(&kinds);
        s.push('\t');
        s.push_str(reading);
        s.push('\n');
    }
    fs::write(out, s)?;
    Ok(())
}
