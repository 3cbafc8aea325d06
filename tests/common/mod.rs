//! Helpers shared by the CLI integration tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs the `mask` binary with `args`, feeding `stdin`, and waits for it.
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
