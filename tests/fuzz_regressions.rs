//! Inputs that made a fuzz target fail (fuzz/regressions/<target>/), replayed
//! with the same checks on every test run.

use std::fs;
use std::io::Read;
use std::path::Path;

mod common;

use mask::pipeline::chunker::Chunker;
use mask::Masker;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut v: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .map(|p| {
            (
                p.display().to_string(),
                fs::read(&p).expect("regression input"),
            )
        })
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no regression inputs for {target}");
    v
}

/// Replays the UTF-8 inputs of `target`: masking twice changes nothing, and
/// `small` (tiny chunks) gives what `m` does.
fn replay_idempotent_and_chunk_invariant(target: &str, m: &Masker, small: &Masker) {
    for (name, bytes) in inputs(target) {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let once = m.mask_str(text).unwrap().text;
        assert_eq!(
            m.mask_str(&once).unwrap().text,
            once,
            "{name}: not idempotent"
        );
        assert_eq!(
            small.mask_str(text).unwrap().text,
            once,
            "{name}: chunk size changed the output"
        );
    }
}

#[test]
fn masker_regressions_are_idempotent_and_chunk_invariant() {
    let m = Masker::builder()
        .policy(common::reporting_default())
        .threads(1)
        .build()
        .unwrap();
    let small = Masker::builder()
        .policy(common::reporting_default())
        .threads(1)
        .chunk_size(7)
        .build()
        .unwrap();
    replay_idempotent_and_chunk_invariant("masker", &m, &small);
}

#[test]
fn names_regressions_are_idempotent_and_chunk_invariant() {
    // Same masker as fuzz/fuzz_targets/names.rs: names only.
    let policy = mask::Policy {
        disabled: mask::Category::ALL
            .iter()
            .copied()
            .filter(|&c| c != mask::Category::Name)
            .collect(),
        ..mask::Policy::default()
    };
    let build = |chunk: usize| {
        Masker::builder()
            .policy(policy.clone())
            .threads(1)
            .chunk_size(chunk)
            .build()
            .unwrap()
    };
    let (m, small) = (build(1 << 20), build(5));
    replay_idempotent_and_chunk_invariant("names", &m, &small);
}

/// Returns at most `step` bytes per read.
struct Trickle<'a>(&'a [u8], usize);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.1).min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn chunker_regressions_cut_only_between_characters() {
    for (name, data) in inputs("chunker") {
        // Same layout as fuzz/fuzz_targets/chunker.rs.
        let (chunk, context, step) = (data[0] as usize + 1, data[1] as usize, data[2] as usize + 1);
        let input = &data[3..];
        let clean = std::str::from_utf8(input).is_ok() && !input.contains(&0);
        let mut ch = Chunker::with_context(Trickle(input, step), chunk, context);
        let mut bodies = Vec::new();
        let mut failed = false;
        while let Some(job) = ch.next_job().expect("reading from memory") {
            match job.text() {
                Ok(t) => bodies.extend_from_slice(&t.as_bytes()[job.body.clone()]),
                Err(_) => {
                    failed = true;
                    break;
                }
            }
        }
        if clean {
            assert!(!failed, "{name}: clean input rejected");
            assert_eq!(bodies, input, "{name}: bodies do not rebuild the input");
        } else {
            assert!(failed, "{name}: bad input accepted");
        }
    }
}
