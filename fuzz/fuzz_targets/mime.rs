//! Masks arbitrary bytes as an e-mail message (byte 0 even) or an mbox (odd)
//! with the default policy. Never panics; an output is never longer than a
//! generous bound of the input, and masking it again never panics either.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mask::format::{process, Format, Options};
use mask::Masker;

fn masker() -> &'static Masker {
    static M: OnceLock<Masker> = OnceLock::new();
    M.get_or_init(|| Masker::builder().threads(1).build().expect("default masker builds"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let format = if sel % 2 == 1 { Format::Mbox } else { Format::Eml };
    let opts = Options::new(format);
    let Ok(out) = process(masker(), rest, &opts) else { return };
    assert!(
        out.bytes.len() <= rest.len() * 8 + 4096,
        "output grew from {} to {} bytes",
        rest.len(),
        out.bytes.len()
    );
    let _ = process(masker(), &out.bytes, &opts);
});
