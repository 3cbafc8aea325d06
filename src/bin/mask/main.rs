//! The `mask` command: a thin layer over the library. Parses arguments,
//! builds one [`Masker`], runs the command, maps outcomes to exit codes.
//!
//! Exit codes: 0 done; 1 `scan` found forbidden content; 2 usage or input
//! error; 3 blocked by policy. A broken pipe on standard output exits 0.

mod args;
mod atomic;
mod cmd_audit;
mod cmd_hook;
mod cmd_restore;
mod cmd_review;
mod formats;
mod run;
mod walk;

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use args::{Cli, Command, Common, PolicyCommand};
use mask::{Masker, Policy};

fn main() -> ExitCode {
    // An internal error (a panic in any thread) is an error like any other:
    // exit 2, nothing written for the input (its output was held back). The
    // hook command installs its own, stricter handler.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("mask: internal error (panic{at}); nothing more is written");
        std::process::exit(2);
    }));
    let cli = match Cli::try_parse() {
        // The hook answers every error with 2 (fail closed), even its own.
        Ok(Cli {
            command: Some(Command::Hook(h)),
            ..
        }) => return ExitCode::from(cmd_hook::run(&h)),
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("mask: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli) -> Result<u8> {
    match cli.command {
        None => run::mask(&cli.mask),
        Some(Command::Scan(a)) => run::scan(&a),
        Some(Command::Policy(PolicyCommand::Show { common })) => {
            let policy = load_policy(&common)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "# effective policy; sha256 {}", policy.hash())?;
            out.write_all(policy.to_toml().as_bytes())?;
            Ok(0)
        }
        Some(Command::Hook(h)) => Ok(cmd_hook::run(&h)),
        Some(Command::Audit(a)) => cmd_audit::run(&a),
        Some(Command::Restore(a)) => cmd_restore::restore(&a),
        Some(Command::Review(a)) => cmd_review::review(&a),
        Some(Command::Diff(a)) => cmd_review::diff_cmd(&a),
    }
}

/// The policy named by `--policy`, with `--deny`/`--allow` files added.
pub fn load_policy(c: &Common) -> Result<Policy> {
    let mut p =
        Policy::load(&c.policy).with_context(|| format!("loading policy {:?}", c.policy))?;
    p.deny_list.files.extend(c.deny.iter().cloned());
    p.allow_list.files.extend(c.allow.iter().cloned());
    p.names.customers.extend(c.customers.iter().cloned());
    Ok(p)
}

/// Builds the masker for a command.
pub fn build_masker(c: &Common) -> Result<Masker> {
    let policy = load_policy(c)?;
    let mut b = Masker::builder()
        .policy(policy)
        .threads(c.threads)
        .chunk_size(c.chunk_size);
    if let Some(d) = &c.dict {
        b = b.name_dictionary(d);
    }
    b.build().context("building the masker")
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<mask::Error>()
                .is_some_and(mask::pipeline::is_broken_pipe)
    })
}
