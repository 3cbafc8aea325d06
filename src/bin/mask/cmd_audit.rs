//! `mask audit verify FILE` and the `--audit FILE` log of every run.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Subcommand;

use mask::audit::{self, AuditRecord, RunInfo, Verdict};
use mask::report::RunReport;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain. Exits 0 when intact, 1 at the first
    /// broken record (reported), 2 when the log cannot be read.
    Verify {
        /// The audit log (JSON Lines).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// Runs `mask audit ...`.
pub fn run(cmd: &AuditCommand) -> Result<u8> {
    let AuditCommand::Verify { file } = cmd;
    let f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    match audit::verify(f).with_context(|| format!("reading {}", file.display()))? {
        Verdict::Intact { records, head } => {
            println!(
                "{}: intact, {records} record(s); head {head}",
                file.display()
            );
            Ok(0)
        }
        Verdict::Broken { line, why } => {
            println!("{}: BROKEN at record {line}: {why}", file.display());
            Ok(1)
        }
    }
}

/// Appends one record per input of a finished run.
pub fn append_run(path: &Path, command: &str, report: &RunReport) -> Result<()> {
    let run = RunInfo {
        command: command.to_string(),
        policy: report.policy.clone(),
        policy_sha256: report.policy_sha256.clone(),
    };
    let recs: Vec<AuditRecord> = report
        .inputs
        .iter()
        .map(|r| AuditRecord::from_report(&run, r))
        .collect();
    audit::append(path, &recs).with_context(|| format!("appending to audit log {}", path.display()))
}
