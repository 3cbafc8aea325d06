//! Masks arbitrary UTF-8 as JSON/JSONL with the default policy. Never
//! panics; when serde_json accepts the input as one value, it accepts the
//! output too, with the same keys in the same order at every level; an
//! input with no finding comes back byte for byte.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mask::format::{process, Format, Options};
use mask::Masker;
use serde_json::Value;

fn masker() -> &'static Masker {
    static M: OnceLock<Masker> = OnceLock::new();
    M.get_or_init(|| Masker::builder().threads(1).build().expect("default masker builds"))
}

fn same_shape(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().zip(y.iter()).all(|((ka, va), (kb, vb))| ka == kb && same_shape(va, vb))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_shape(p, q))
        }
        (Value::String(_), Value::String(_)) => true,
        (p, q) => p == q,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(out) = process(masker(), text.as_bytes(), &Options::new(Format::Json)) else {
        return;
    };
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
    if let Ok(a) = serde_json::from_str::<Value>(text) {
        let b: Value = serde_json::from_slice(&out.bytes).expect("output of valid JSON is JSON");
        assert!(same_shape(&a, &b), "keys or structure changed");
    }
});
