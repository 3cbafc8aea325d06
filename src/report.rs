//! Reports: what a run masked, per input — counts per category and detector,
//! sizes, SHA-256 of input and output, the policy's name and hash, the tool
//! version and the time. Never a masked value.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::Serialize;

use crate::pipeline::Summary;
use crate::policy::Policy;
use crate::span::Category;

/// What happened to one input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Masked and written.
    Masked,
    /// Scanned only.
    Scanned,
    /// Refused by the policy; nothing written.
    Blocked,
    /// Not processed (binary file, output up to date).
    Skipped,
    /// Failed (I/O, encoding); nothing written.
    Error,
}

/// One count in a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The category.
    pub category: Category,
    /// The detector.
    pub detector: &'static str,
    /// How many findings.
    pub count: usize,
}

/// The report entry for one input.
#[derive(Clone, Debug, Serialize)]
pub struct InputReport {
    /// The input's path, or `-` for standard input.
    pub input: String,
    /// Where the output went (`-` for standard output), if anywhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// What happened.
    pub outcome: Outcome,
    /// Why it was skipped, blocked or failed (categories, never values).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// SHA-256 of the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256_in: Option<String>,
    /// SHA-256 of the output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256_out: Option<String>,
    /// Findings per category.
    pub by_category: BTreeMap<Category, usize>,
    /// Findings per category and detector.
    pub counts: Vec<Count>,
}

impl InputReport {
    /// An entry from a pipeline summary.
    pub fn from_summary(
        input: &str,
        output: Option<&str>,
        outcome: Outcome,
        s: &Summary,
    ) -> InputReport {
        InputReport {
            input: input.to_string(),
            output: output.map(str::to_string),
            outcome,
            reason: None,
            bytes_in: s.bytes_in,
            bytes_out: s.bytes_out,
            sha256_in: s.sha256_in.clone(),
            sha256_out: s.sha256_out.clone(),
            by_category: s.by_category().into_iter().collect(),
            counts: s
                .counts
                .iter()
                .map(|(&(category, detector), &count)| Count {
                    category,
                    detector,
                    count,
                })
                .collect(),
        }
    }

    /// An entry for an input that was skipped or failed before any summary.
    pub fn failed(input: &str, outcome: Outcome, reason: String) -> InputReport {
        InputReport {
            input: input.to_string(),
            output: None,
            outcome,
            reason: Some(reason),
            bytes_in: 0,
            bytes_out: 0,
            sha256_in: None,
            sha256_out: None,
            by_category: BTreeMap::new(),
            counts: Vec::new(),
        }
    }
}

/// The report of one run.
#[derive(Clone, Debug, Serialize)]
pub struct RunReport {
    /// `mask`.
    pub tool: &'static str,
    /// The tool's version.
    pub version: &'static str,
    /// The policy's name.
    pub policy: String,
    /// SHA-256 of the effective policy.
    pub policy_sha256: String,
    /// When the run started (RFC 3339, UTC).
    pub started: String,
    /// Wall time in seconds.
    pub seconds: f64,
    /// One entry per input.
    pub inputs: Vec<InputReport>,
    /// Findings per category over all inputs.
    pub totals: BTreeMap<Category, usize>,
}

impl RunReport {
    /// An empty report for a run under `policy`.
    pub fn new(policy: &Policy, started: SystemTime) -> RunReport {
        RunReport {
            tool: "mask",
            version: env!("CARGO_PKG_VERSION"),
            policy: policy.name.clone(),
            policy_sha256: policy.hash(),
            started: rfc3339(started),
            seconds: 0.0,
            inputs: Vec::new(),
            totals: BTreeMap::new(),
        }
    }

    /// Adds an input's entry and its counts to the totals.
    pub fn push(&mut self, r: InputReport) {
        for (c, n) in &r.by_category {
            *self.totals.entry(*c).or_default() += n;
        }
        self.inputs.push(r);
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// Formats a time as RFC 3339 in UTC, to the second.
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn rfc3339_known_instants() {
        assert_eq!(rfc3339(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_398_245);
        assert_eq!(rfc3339(t), "2026-11-23T01:44:05Z");
        let leap = SystemTime::UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(rfc3339(leap), "2000-02-29T00:00:00Z");
    }
}
