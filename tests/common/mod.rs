//! Helpers shared by the CLI integration tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs the `mask` binary with `args`, feeding `stdin`, and waits for it.
#[allow(dead_code)] // not every test binary uses it
pub fn mask(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mask"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mask runs");
    // mask may exit before reading (a usage error): ignore a broken pipe here.
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    child.wait_with_output().expect("mask finishes")
}

/// Asserts that `mask` exited with 0, showing its stderr otherwise.
#[allow(dead_code)] // not every test binary uses it
pub fn assert_success(o: &Output) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The default policy with classification markings reported instead of
/// blocking the input. For tests of what masking does to text (a blocked
/// input has none); blocking itself is tested in `tests/cli.rs` and
/// `tests/invariants.rs`.
#[allow(dead_code)] // not every test binary uses it
pub fn reporting_default() -> mask::Policy {
    let mut p = mask::Policy::preset("default").expect("the default preset exists");
    p.rules
        .insert(mask::Category::Classification, mask::Action::Keep);
    p
}
