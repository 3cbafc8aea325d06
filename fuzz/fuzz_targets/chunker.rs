//! Cuts arbitrary bytes into jobs. Byte 0 sets the chunk size (1..=256),
//! byte 1 the context (0..=255), byte 2 how many bytes each `read` returns
//! (1..=256, to exercise short reads); the rest is the input.
//!
//! Valid UTF-8 without NUL: the bodies concatenate to exactly the input, every
//! window is the input slice at `abs`, the body sits inside it with at most
//! `context` bytes on either side, `seq` counts from 0.
//! Anything else: `next_job` returns an error (never panics), and the bodies
//! handed out before it are exactly a clean prefix of the input: no body holds
//! the bad byte. The error names the first NUL (`Binary`) or the first
//! invalid UTF-8 byte (`InvalidUtf8`).
//!
//! `MASK_FUZZ_SKIP=short-context` raises the context to at least 3 bytes
//! (a bug with shorter contexts and short reads, fixed; kept to compare).
#![no_main]

use std::io::Read;

use libfuzzer_sys::fuzz_target;
use mask::pipeline::chunker::Chunker;
use mask::Error;

/// A reader that returns at most `step` bytes per call.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.step).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// Checks named in the comma-separated `MASK_FUZZ_SKIP` environment variable
/// are skipped (for known, reported bugs; see fuzz/README.md). Strict when unset.
fn skip(check: &str) -> bool {
    static SKIP: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SKIP.get_or_init(|| {
        std::env::var("MASK_FUZZ_SKIP")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    })
    .iter()
    .any(|s| s == check)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let chunk_size = data[0] as usize + 1;
    let mut context = data[1] as usize;
    // MASK_FUZZ_SKIP=short-context: known bug, a context under 3 bytes with
    // short reads cuts a body inside a character (regressions/chunker/).
    if skip("short-context") {
        context = context.max(3);
    }
    let step = data[2] as usize + 1;
    let input = &data[3..];

    let clean = std::str::from_utf8(input).is_ok() && !input.contains(&0);
    let mut ch = Chunker::with_context(Trickle { data: input, step }, chunk_size, context);
    let mut bodies: Vec<u8> = Vec::with_capacity(input.len());
    let mut seq = 0u64;
    let mut error = None;
    loop {
        // Every job carries at least one byte, so more jobs than bytes is a hang.
        assert!(seq <= input.len() as u64 + 1, "chunker does not terminate");
        match ch.next_job() {
            Ok(None) => break,
            Ok(Some(job)) => {
                assert_eq!(job.seq, seq, "seq out of order");
                seq += 1;
                let abs = job.abs as usize;
                // Validation happens per job, in the workers.
                let w = match job.text() {
                    Ok(t) => t.as_bytes(),
                    Err(e) => {
                        error = Some(e);
                        break;
                    }
                };
                assert!(abs + w.len() <= input.len(), "window past the input");
                assert_eq!(w, &input[abs..abs + w.len()], "window is not the input at abs");
                let b = job.body.clone();
                assert!(b.start < b.end && b.end <= w.len(), "bad body {b:?} in window of {}", w.len());
                assert!(b.start <= context, "leading context {} > {context}", b.start);
                assert!(w.len() - b.end <= context, "trailing context {} > {context}", w.len() - b.end);
                assert_eq!(abs + b.start, bodies.len(), "body does not start where the last ended");
                bodies.extend_from_slice(&w[b]);
            }
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }

    if clean {
        assert!(error.is_none(), "clean input gave an error: {error:?}");
        assert_eq!(bodies, input, "bodies do not concatenate to the input");
        return;
    }

    let valid_up_to = match std::str::from_utf8(input) {
        Ok(_) => input.len(),
        Err(e) => e.valid_up_to(),
    };
    let first_nul = input.iter().position(|&b| b == 0).unwrap_or(input.len());
    let bad = valid_up_to.min(first_nul);
    assert!(bodies.len() <= bad, "a body ran past the first bad byte {bad}: {} bytes handed out", bodies.len());
    assert_eq!(bodies, &input[..bodies.len()]);
    match error {
        Some(Error::Binary { offset }) => {
            assert_eq!(offset as usize, first_nul, "Binary offset is not the first NUL")
        }
        Some(Error::InvalidUtf8 { offset }) => {
            assert_eq!(offset as usize, valid_up_to, "InvalidUtf8 offset is not the first bad byte");
            assert!(first_nul >= valid_up_to, "NUL before the invalid byte reported as InvalidUtf8");
        }
        other => panic!("bad input gave {other:?}, not Binary/InvalidUtf8"),
    }
});
