//! The end of a run: per-input report entries, the JSON report, the audit
//! log, the summary line on standard error, and the exit code.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};

use super::Common;
use mask::audit::{self, AuditRecord, RunInfo};
use mask::pipeline::{Mode, Summary};
use mask::report::{InputReport, Outcome, RunReport};
use mask::Error;

/// The report entry of a masked input: masked, or blocked (nothing written).
pub fn summary_report(name: &str, output: Option<&str>, s: &Summary) -> InputReport {
    if s.blocked.is_empty() {
        InputReport::from_summary(name, output, Outcome::Masked, s)
    } else {
        let mut r = InputReport::from_summary(name, None, Outcome::Blocked, s);
        r.reason = Some(
            Error::Blocked {
                categories: s.blocked.clone(),
            }
            .to_string(),
        );
        r
    }
}

/// The report entry of an input that failed.
pub fn report_error(name: &str, msg: &str) -> InputReport {
    InputReport::failed(name, Outcome::Error, msg.to_string())
}

/// Appends one audit record per input of a finished run.
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

/// Writes the report, the audit records and the summary line; returns the
/// exit code (2 when an input failed, else 3 when one was blocked, else 0).
pub fn finish(c: &Common, mut report: RunReport, t0: Instant, mode: Mode) -> Result<u8> {
    let secs = t0.elapsed().as_secs_f64();
    report.seconds = secs;
    if let Some(path) = &c.report {
        std::fs::write(path, report.to_json())
            .with_context(|| format!("writing report {}", path.display()))?;
    }
    if let Some(path) = &c.audit {
        let command = if mode == Mode::Scan { "scan" } else { "mask" };
        append_run(path, command, &report)?;
    }
    let count = |o: Outcome| report.inputs.iter().filter(|r| r.outcome == o).count();
    let (errors, blocked, skipped) = (
        count(Outcome::Error),
        count(Outcome::Blocked),
        count(Outcome::Skipped),
    );
    for r in &report.inputs {
        if let Some(reason) = &r.reason {
            eprintln!("mask: {}: {:?}: {reason}", r.input, r.outcome);
        }
    }
    if !c.quiet {
        let bytes: u64 = report.inputs.iter().map(|r| r.bytes_in).sum();
        let total: usize = report.totals.values().sum();
        let per: Vec<String> = report
            .totals
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        let verb = if mode == Mode::Scan {
            "scanned"
        } else {
            "masked"
        };
        eprintln!(
            "mask: {verb} {} input(s), {} bytes in {:.3} s ({:.1} MB/s); {} finding(s){}; {} blocked, {} skipped, {} error(s)",
            report.inputs.len(),
            bytes,
            secs,
            bytes as f64 / 1e6 / secs.max(1e-9),
            total,
            if per.is_empty() { String::new() } else { format!(" ({})", per.join(", ")) },
            blocked,
            skipped,
            errors
        );
    }
    Ok(if errors > 0 {
        2
    } else if blocked > 0 {
        3
    } else {
        0
    })
}
