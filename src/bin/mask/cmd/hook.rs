//! `mask hook claude-code`: answers one Claude Code hook event read from
//! standard input (see [`mask::hook`]).
//!
//! Fails closed: Claude Code lets data through when a hook exits 1, crashes
//! or times out, so every error — malformed input, a policy that cannot be
//! loaded, an audit log that cannot be written, even a panic — ends with
//! exit status 2 and a message on standard error (never a value).

use std::io::{Read, Write};

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use sha2::{Digest, Sha256};

use super::Run;
use crate::setup::Common;
use mask::audit::{self, AuditRecord, RunInfo};
use mask::hook::{handle_with_outcome, HookOptions, Permission};
use mask::report::InputReport;
use mask::Masker;

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// A Claude Code hook (PostToolUse, PreToolUse, UserPromptSubmit): reads
    /// the event's JSON on stdin, answers on stdout. Any error exits 2.
    ClaudeCode(HookArgs),
}

#[derive(Debug, Args)]
pub struct HookArgs {
    /// When PreToolUse masks a tool's input, ask the user to confirm the
    /// masked call instead of allowing it.
    #[arg(long)]
    pub ask: bool,

    #[command(flatten)]
    pub common: Common,
}

impl Run for HookCommand {
    /// Never an error: the hook answers every failure with exit 2 itself.
    fn run(&self) -> Result<u8> {
        let HookCommand::ClaudeCode(a) = self;
        Ok(run(a))
    }
}

/// Runs the hook; returns the exit status (0 answered, 2 failed closed).
fn run(a: &HookArgs) -> u8 {
    // A panic anywhere (any thread) exits 2, never 101: the payload is not
    // printed, as it could quote input.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "mask hook: internal error (panic{at}); failing closed"
        );
        std::process::exit(2);
    }));
    match std::panic::catch_unwind(|| answer(a)) {
        Ok(Ok(())) => 0,
        Ok(Err(e)) => {
            eprintln!("mask hook: {e:#}; failing closed (exit 2)");
            2
        }
        Err(_) => 2,
    }
}

fn answer(a: &HookArgs) -> Result<()> {
    // Debug builds only: lets the tests prove that a panic fails closed.
    #[cfg(debug_assertions)]
    if std::env::var_os("MASK_HOOK_TEST_PANIC").is_some() {
        panic!("test panic");
    }
    let mut input = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut input)
        .context("reading the hook event from standard input")?;
    let policy = a.common.load_policy()?;
    // One thread: no pool to spawn, which is most of the start-up cost.
    let masker = Masker::builder()
        .policy(policy)
        .threads(1)
        .build()
        .context("building the masker")?;
    let opts = HookOptions {
        permission: if a.ask {
            Permission::Ask
        } else {
            Permission::Allow
        },
    };
    let (out, outcome) = handle_with_outcome(&masker, &input, &opts)?;
    if let Some(path) = &a.common.audit {
        let mut r = InputReport::failed(
            if outcome.tool.is_empty() {
                "prompt"
            } else {
                &outcome.tool
            },
            mask::report::Outcome::Masked,
            String::new(),
        );
        r.reason = (!outcome.blocked.is_empty())
            .then(|| format!("blocked: {}", mask::hook::describe(&outcome.blocked)));
        r.bytes_in = input.len() as u64;
        r.bytes_out = out.as_ref().map_or(0, |s| s.len() as u64);
        r.sha256_in = Some(hex::encode(Sha256::digest(&input)));
        r.sha256_out = out.as_ref().map(|s| hex::encode(Sha256::digest(s)));
        r.by_category = outcome.counts.clone();
        let run = RunInfo {
            command: format!("hook claude-code {}", outcome.event),
            policy: masker.policy().name.clone(),
            policy_sha256: masker.policy().hash(),
        };
        let mut rec = AuditRecord::from_report(&run, &r);
        rec.action = outcome.action.to_string();
        audit::append(path, &[rec])
            .with_context(|| format!("appending to audit log {}", path.display()))?;
    }
    if let Some(s) = out {
        let mut o = std::io::stdout().lock();
        o.write_all(s.as_bytes())
            .and_then(|()| o.write_all(b"\n"))
            .and_then(|()| o.flush())
            .context("writing the answer")?;
    }
    Ok(())
}
