//! Builds the normalized view of arbitrary text and checks the offset map:
//! every normalized char boundary maps to an original char boundary in
//! bounds, both maps are monotone, `to_original` of any normalized
//! char-boundary span is a valid span (end >= start), what lies outside the
//! image of the whole view is only dropped characters, and at positions with
//! no edit around them the normalized prefix is the normalization of the
//! original prefix.
//!
//! Idempotence (normalize(normalize(x)) == normalize(x)) holds except for
//! five characters whose NFKC image is a dash variant that the hyphen rule
//! only folds on a second pass: U+207B ⁻, U+208B ₋ (→ U+2212 −),
//! U+FE31 ︱, U+FE58 ﹘ (→ U+2014 —), U+FE32 ︲ (→ U+2013 –).
//! So it is asserted unconditionally when the normalized text is ASCII, and
//! for any text without those five characters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mask::normalize::{normalize, NormText};
use mask::Span;

/// Characters known to break idempotence (see the module comment).
const UNSTABLE: [char; 5] = ['\u{207B}', '\u{208B}', '\u{FE31}', '\u{FE32}', '\u{FE58}'];

fuzz_target!(|orig: &str| {
    let mut nt = NormText::new();
    nt.build(orig);
    let norm = nt.as_str();
    assert_eq!(normalize(orig), norm, "normalize() and NormText disagree");
    if nt.is_identity() {
        assert_eq!(norm, orig, "is_identity() but the text changed");
    }

    // Normalized char boundaries, 0 and len included.
    let bounds: Vec<usize> = norm
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(norm.len()))
        .collect();

    let mut prev_s = 0;
    let mut prev_e = 0;
    for (k, &n) in bounds.iter().enumerate() {
        let s = nt.start_to_original(n);
        let e = nt.end_to_original(n);
        for (what, o) in [("start", s), ("end", e)] {
            assert!(o <= orig.len(), "{what}_to_original({n}) = {o} > len {}", orig.len());
            assert!(orig.is_char_boundary(o), "{what}_to_original({n}) = {o} not a char boundary");
        }
        assert!(s >= prev_s, "start_to_original not monotone at {n}: {s} < {prev_s}");
        assert!(e >= prev_e, "end_to_original not monotone at {n}: {e} < {prev_e}");
        prev_s = s;
        prev_e = e;

        // The one-char span starting here (monotonicity then covers every
        // longer span starting here).
        if let Some(&next) = bounds.get(k + 1) {
            let sp = nt.to_original(Span::new(n, next));
            assert!(sp.start <= sp.end && sp.end <= orig.len(), "bad span {sp:?} for {n}..{next}");
            assert!(orig.is_char_boundary(sp.start) && orig.is_char_boundary(sp.end));
            assert!(!sp.is_empty(), "a normalized char {n}..{next} maps to no original bytes");
        }
        let empty = nt.to_original(Span::new(n, n));
        assert!(empty.is_empty() && empty.start == s);

        // Where no edit touches n, the normalized prefix is the
        // normalization of the original prefix.
        if s == e {
            assert_eq!(
                normalize(&orig[..s]),
                &norm[..n],
                "prefix mismatch at normalized {n} / original {s}"
            );
        }
    }

    // The whole view covers the original but for dropped characters.
    let all = nt.to_original(Span::new(0, norm.len()));
    assert!(normalize(&orig[..all.start]).is_empty(), "unmapped head is not all dropped chars");
    assert!(normalize(&orig[all.end..]).is_empty(), "unmapped tail is not all dropped chars");

    // Idempotence, where it holds.
    let again = normalize(norm);
    if norm.is_ascii() || !orig.contains(UNSTABLE) {
        assert_eq!(again, norm, "normalize is not idempotent");
    }
});
