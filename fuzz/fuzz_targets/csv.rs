//! Masks arbitrary UTF-8 as CSV (and as TSV when byte 0 is odd) with the
//! default policy. Never panics; on success the output parses as CSV with
//! the same number of records and fields per record, and an input with no
//! finding comes back byte for byte.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mask::format::{process, Format, Options};
use mask::Masker;

fn masker() -> &'static Masker {
    static M: OnceLock<Masker> = OnceLock::new();
    M.get_or_init(|| Masker::builder().threads(1).build().expect("default masker builds"))
}

fn shape(text: &[u8], delim: u8) -> Option<Vec<usize>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    r.byte_records().map(|x| x.ok().map(|x| x.len())).collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let (format, delim) = if sel % 2 == 1 { (Format::Tsv, b'\t') } else { (Format::Csv, b',') };
    let Ok(out) = process(masker(), text.as_bytes(), &Options::new(format)) else { return };
    // A blocked input (a `機密区分` marking: the default policy blocks
    // classified documents) is written as nothing at all.
    if !out.summary.blocked.is_empty() {
        assert!(out.bytes.is_empty(), "a blocked input's output is not empty");
        return;
    }
    // Withheld content (an encoded block that does not decode) is
    // noted, not counted.
    if out.summary.counts.is_empty() && out.notes.is_empty() {
        assert_eq!(out.bytes, text.as_bytes(), "no finding, yet the output changed");
    }
    let a = shape(text.as_bytes(), delim);
    let b = shape(&out.bytes, delim);
    assert_eq!(a, b, "the output's shape differs");
});
