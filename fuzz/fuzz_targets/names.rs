//! Fuzzes the name detector alone (every other category disabled): findings
//! are sorted, non-overlapping, on char boundaries; every hint is romaji
//! initials (`Y.T.`, `＊.`); the chunk size never changes the output; and
//! masking is idempotent (initials are never names again).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mask::{Category, Masker, Policy};

struct Ctx {
    whole: Masker,
    small: Masker,
}

fn ctx() -> &'static Ctx {
    static CTX: OnceLock<Ctx> = OnceLock::new();
    CTX.get_or_init(|| {
        let mut policy = Policy::default();
        policy.disabled = Category::ALL
            .iter()
            .copied()
            .filter(|&c| c != Category::Name)
            .collect();
        let build = |chunk: usize| {
            Masker::builder()
                .policy(policy.clone())
                .threads(1)
                .chunk_size(chunk)
                .build()
                .expect("names-only masker builds")
        };
        Ctx {
            whole: build(1 << 20),
            small: build(5),
        }
    })
}

fn is_initials(h: &str) -> bool {
    let mut chars = h.chars().peekable();
    let mut n = 0;
    while let Some(c) = chars.next() {
        if !(c.is_ascii_uppercase() || c == '＊') || chars.next() != Some('.') {
            return false;
        }
        n += 1;
    }
    n > 0
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.contains('\0') {
        return;
    }
    let c = ctx();
    let out = c.whole.mask_str(text).expect("names never error on text");
    let mut pos = 0;
    for f in &out.findings {
        assert_eq!(f.category, Category::Name);
        assert!(f.span.start >= pos && f.span.start < f.span.end && f.span.end <= text.len());
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        let h = f.hint.as_deref().unwrap_or("");
        assert!(is_initials(h), "hint {h:?} is not initials");
        pos = f.span.end;
    }
    let small = c.small.mask_str(text).expect("chunk 5 errs");
    assert_eq!(small.text, out.text, "chunk size 5 changes the output");
    let twice = c.whole.mask_str(&out.text).expect("masking masked output errs");
    assert_eq!(twice.text, out.text, "masking names is not idempotent");
});
