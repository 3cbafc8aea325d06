//! Command-line arguments (clap derive). Values are validated here with no
//! I/O; `main` turns them into a masker and runs a command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// mask — masks personal data and secrets in Japanese business text.
///
/// With no command, mask is a filter: standard input (or each FILE) is
/// masked to standard output, or with -r, a directory tree is mirrored.
///
/// Exit codes: 0 done; 1 `scan` found something the policy forbids;
/// 2 usage or input error; 3 blocked by policy (nothing written).
#[derive(Debug, Parser)]
#[command(name = "mask", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub mask: MaskArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
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
    Scan(ScanArgs),
    /// Policy commands.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Agent hooks (`mask hook claude-code`): mask what tools return and
    /// send, block prompts with forbidden data. Any error exits 2.
    #[command(subcommand)]
    Hook(crate::cmd_hook::HookCommand),
    /// Audit log commands.
    #[command(subcommand)]
    Audit(crate::cmd_audit::AuditCommand),
    /// Put the originals back into a text masked with `--vault`.
    Restore(crate::cmd_restore::RestoreArgs),
    /// Write an HTML page with original and masked text side by side (shows
    /// ORIGINAL data: local review only).
    Review(crate::cmd_review::ReviewArgs),
    /// Show what would be masked, inline: `[-original-]{+masked+}` (colours
    /// on a terminal). Shows ORIGINAL data.
    Diff(crate::cmd_review::DiffArgs),
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Print the effective policy as TOML.
    Show {
        #[command(flatten)]
        common: Common,
    },
}

/// Options every command shares.
#[derive(Debug, Args, Clone)]
pub struct Common {
    /// A preset (default, strict) or a policy TOML file.
    #[arg(
        short = 'p',
        long,
        default_value = "default",
        value_name = "FILE|PRESET"
    )]
    pub policy: String,

    /// Add the terms of FILE (one a line) to the deny list.
    #[arg(long = "deny", value_name = "FILE")]
    pub deny: Vec<PathBuf>,

    /// Add the terms of FILE (one a line) to the allow list.
    #[arg(long = "allow", value_name = "FILE")]
    pub allow: Vec<PathBuf>,

    /// Add the names of FILE (CSV `surface,reading`) to the customer list:
    /// always masked as names.
    #[arg(long = "customers", value_name = "FILE")]
    pub customers: Vec<PathBuf>,

    /// Use the compiled lindera dictionary in DIR for names instead of the
    /// embedded IPADIC.
    #[arg(long = "dict", value_name = "DIR")]
    pub dict: Option<PathBuf>,

    /// Worker threads (0: every core).
    #[arg(short = 'j', long, default_value_t = 0, value_name = "N")]
    pub threads: usize,

    /// Chunk size in bytes (tuning; the output never depends on it).
    #[arg(long, default_value_t = mask::masker::DEFAULT_CHUNK_SIZE, value_name = "BYTES", hide = true)]
    pub chunk_size: usize,

    /// Write a JSON report (counts, sizes, hashes; never values) to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Append one hash-chained record per input to the JSONL audit log FILE
    /// (counts, hashes, policy, user, host; never values).
    #[arg(long, value_name = "FILE")]
    pub audit: Option<PathBuf>,

    /// No summary line on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct MaskArgs {
    /// Input files (standard input when none, or `-`).
    #[arg(value_name = "FILE")]
    pub inputs: Vec<PathBuf>,

    /// Mirror the directory tree(s) given as inputs into --output.
    #[arg(short, long)]
    pub recursive: bool,

    /// Output file (one input) or, with -r, output directory.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Write output as it is masked instead of holding it back until the
    /// whole input is done. A later error or block then leaves a partial
    /// (always masked) output behind.
    #[arg(long)]
    pub stream: bool,

    /// Input structure: text, csv, tsv, json, jsonl, eml, mbox. Default: by
    /// file extension (and, with -r, by sniffing the first bytes); standard
    /// input is text.
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "csv", "tsv", "json", "jsonl", "ndjson", "eml", "mbox"])]
    pub format: Option<String>,

    /// Output encoding: utf-8, shift_jis, euc-jp, iso-2022-jp. Default: the
    /// input's (detected: UTF-8, Shift_JIS/CP932, EUC-JP, ISO-2022-JP).
    #[arg(long, value_name = "ENCODING")]
    pub output_encoding: Option<String>,

    /// Column/key roles for CSV and JSON: one `header<TAB>role` a line
    /// (roles: name, reading, postal-code, prefecture, address, phone,
    /// email, card, birthdate, text, keep).
    #[arg(long, value_name = "FILE")]
    pub columns: Option<PathBuf>,

    /// With -r: mask again even when an output is newer than its input.
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub vault: crate::cmd_restore::VaultArgs,

    #[command(flatten)]
    pub common: Common,
}

/// Arguments of `mask scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan (standard input when none).
    #[arg(value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// One JSON object per finding instead of text lines.
    #[arg(long)]
    pub json: bool,

    /// Input structure: text, csv, tsv, json, jsonl, eml, mbox. Default: by
    /// file extension, else by sniffing the first bytes (a sniffed format
    /// that does not parse is scanned as text).
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "csv", "tsv", "json", "jsonl", "ndjson", "eml", "mbox"])]
    pub format: Option<String>,

    /// Column/key roles for CSV and JSON, as for masking.
    #[arg(long, value_name = "FILE")]
    pub columns: Option<PathBuf>,

    #[command(flatten)]
    pub common: Common,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn filter_mode_takes_files_and_flags() {
        let c = Cli::try_parse_from(["mask", "-p", "strict", "a.txt", "b.txt"]).unwrap();
        assert!(c.command.is_none());
        assert_eq!(c.mask.inputs.len(), 2);
        assert_eq!(c.mask.common.policy, "strict");
    }

    #[test]
    fn scan_and_policy_show_parse() {
        let c = Cli::try_parse_from(["mask", "scan", "--json", "x"]).unwrap();
        assert!(matches!(
            c.command,
            Some(Command::Scan(ScanArgs { json: true, .. }))
        ));
        let c = Cli::try_parse_from(["mask", "policy", "show", "-p", "strict"]).unwrap();
        assert!(matches!(
            c.command,
            Some(Command::Policy(PolicyCommand::Show { .. }))
        ));
    }

    #[test]
    fn format_flags_parse() {
        let c = Cli::try_parse_from([
            "mask",
            "--format",
            "csv",
            "--output-encoding",
            "shift_jis",
            "--columns",
            "c.tsv",
            "--force",
            "x.csv",
        ])
        .unwrap();
        assert_eq!(c.mask.format.as_deref(), Some("csv"));
        assert_eq!(c.mask.output_encoding.as_deref(), Some("shift_jis"));
        assert!(c.mask.force);
        assert!(Cli::try_parse_from(["mask", "--format", "xml"]).is_err());
    }

    #[test]
    fn recursive_parses_output_dir() {
        let c = Cli::try_parse_from(["mask", "-r", "in/", "-o", "out/"]).unwrap();
        assert!(c.mask.recursive);
        assert_eq!(c.mask.output.as_deref(), Some(std::path::Path::new("out/")));
    }
}
