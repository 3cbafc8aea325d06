//! `mask audit verify FILE`: checks the hash chain of an audit log (the
//! `--audit FILE` records are written by [`crate::setup::report`]).

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;

use super::Run;
use mask::audit::{self, Verdict};

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

impl Run for AuditCommand {
    fn run(&self) -> Result<u8> {
        let AuditCommand::Verify { file } = self;
        verify(file)
    }
}

/// `mask audit verify FILE`.
fn verify(file: &std::path::Path) -> Result<u8> {
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
