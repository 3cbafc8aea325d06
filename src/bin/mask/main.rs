//! The `mask` command: a thin layer over the library. Parses arguments,
//! runs the command, maps outcomes to exit codes.
//!
//! Each subcommand is a module of [`cmd`] with its arguments and its
//! [`cmd::Run`] implementation; what they share (options, policy and
//! masker, inputs and formats, output, reports) is [`setup`].
//!
//! Exit codes: 0 done; 1 `scan` found forbidden content; 2 usage or input
//! error; 3 blocked by policy. A broken pipe on standard output exits 0.

mod cmd;
mod setup;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use cmd::Run;

/// mask — masks personal data and secrets in Japanese business text.
///
/// With no command, mask is a filter: standard input (or each FILE) is
/// masked to standard output, or with -r, a directory tree is mirrored.
///
/// Exit codes: 0 done; 1 `scan` found something the policy forbids;
/// 2 usage or input error; 3 blocked by policy (nothing written).
#[derive(Debug, Parser)]
#[command(name = "mask", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    mask: cmd::mask::MaskArgs,
}

/// Declares the subcommands, one line each (`Name(arguments type)`, the
/// help text above it), and runs the one given.
macro_rules! subcommands {
    ($( $(#[$attr:meta])* $name:ident($args:ty), )*) => {
        #[derive(Debug, Subcommand)]
        enum Command {
            $( $(#[$attr])* $name($args), )*
        }

        impl Command {
            fn run(&self) -> Result<u8> {
                match self {
                    $( Command::$name(a) => a.run(), )*
                }
            }
        }
    };
}

subcommands! {
    /// List findings (file, line, column, category, detector; never values).
    /// Exits 1 when the policy forbids something found.
    ///
    /// Lines read `FILE:LINE:COLUMN: CATEGORY (DETECTOR)`. Inputs are read as
    /// masking reads them: CSV/TSV, JSON/JSONL and e-mail field by field (by
    /// --format, the extension, or the first bytes), Shift_JIS, EUC-JP and
    /// ISO-2022-JP decoded. Lines and columns (in characters) are those of
    /// the decoded text; in e-mail, of the raw message. A finding inside
    /// decoded content (a base64 or quoted-printable body, an RFC 2047 or
    /// folded header, a CSV or JSON value with escapes) is reported at the
    /// start of the part, header or field that holds it, with `[decoded]`
    /// after the detector (`"exact": false` with --json).
    Scan(cmd::scan::ScanArgs),
    /// Policy commands.
    #[command(subcommand)]
    Policy(cmd::policy::PolicyCommand),
    /// Agent hooks (`mask hook claude-code`): mask what tools return and
    /// send, block prompts with forbidden data. Any error exits 2.
    #[command(subcommand)]
    Hook(cmd::hook::HookCommand),
    /// An MCP server on standard input/output with the tools mask_text,
    /// scan_text and restore_text (README: "MCP server").
    Mcp(cmd::mcp::McpArgs),
    /// Audit log commands.
    #[command(subcommand)]
    Audit(cmd::audit::AuditCommand),
    /// Put the originals back into a text masked with `--vault`.
    Restore(cmd::restore::RestoreArgs),
    /// Write an HTML page with original and masked text side by side (shows
    /// ORIGINAL data: local review only).
    Review(cmd::review::ReviewArgs),
    /// Show what would be masked, inline: `[-original-]{+masked+}` (colours
    /// on a terminal). Shows ORIGINAL data.
    Diff(cmd::diff::DiffArgs),
}

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
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let res = match &cli.command {
        None => cli.mask.run(),
        Some(c) => c.run(),
    };
    match res {
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

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<mask::Error>()
                .is_some_and(mask::pipeline::is_broken_pipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_and_policy_show_parse() {
        let c = Cli::try_parse_from(["mask", "scan", "--json", "x"]).unwrap();
        assert!(matches!(
            c.command,
            Some(Command::Scan(cmd::scan::ScanArgs { json: true, .. }))
        ));
        let c = Cli::try_parse_from(["mask", "policy", "show", "-p", "strict"]).unwrap();
        assert!(matches!(
            c.command,
            Some(Command::Policy(cmd::policy::PolicyCommand::Show { .. }))
        ));
    }
}
