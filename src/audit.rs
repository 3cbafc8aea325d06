//! The audit log: an append-only JSON Lines file with one [`AuditRecord`]
//! per run and input, chained by SHA-256.
//!
//! Every record carries `prev`, the SHA-256 (hex) of the previous record's
//! line as written (without its newline); the first record's `prev` is 64
//! zeros. Changing, inserting or deleting any record breaks the chain at the
//! next one, which [`verify`] reports. Records hold counts, hashes and names
//! (user, host, policy, input path), never a masked value.
//!
//! Appending is safe between threads and processes: [`append`] takes an
//! exclusive lock on the log file (`flock` / `LockFileEx`), reads the last
//! record's hash under the lock, writes the new lines with one `write`, and
//! unlocks.
//!
//! What the chain cannot show: that records were cut off the END of the log
//! (the last record has no successor to vouch for it). Keep the head hash
//! [`verify`] reports somewhere else (a ticket, a second log) if that matters.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::report::{rfc3339, InputReport, Outcome};
use crate::span::Category;

/// The `prev` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit record: one input of one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// SHA-256 (hex) of the previous record's line; [`GENESIS`] for the first.
    pub prev: String,
    /// When the record was written (RFC 3339, UTC).
    pub time: String,
    /// Who ran mask (`USER`/`USERNAME`).
    pub user: String,
    /// Where (host name).
    pub host: String,
    /// `mask`.
    pub tool: String,
    /// The tool's version.
    pub version: String,
    /// The command (`mask`, `scan`, `hook claude-code PostToolUse`, ...).
    pub command: String,
    /// The policy's name.
    pub policy: String,
    /// SHA-256 of the effective policy.
    pub policy_sha256: String,
    /// The input's path (`-` for standard input, the tool name for a hook).
    pub input: String,
    /// SHA-256 of the input, when computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256_in: Option<String>,
    /// SHA-256 of the output, when something was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256_out: Option<String>,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Findings per category.
    pub counts: BTreeMap<Category, usize>,
    /// `masked`, `scanned`, `blocked`, `skipped` or `error`.
    pub action: String,
    /// Why it was blocked, skipped or failed (categories, never values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The fixed facts of one run, shared by its records.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// The command.
    pub command: String,
    /// Policy name.
    pub policy: String,
    /// Policy hash.
    pub policy_sha256: String,
}

/// The action word for an outcome.
pub fn action_of(o: Outcome) -> &'static str {
    match o {
        Outcome::Masked => "masked",
        Outcome::Scanned => "scanned",
        Outcome::Blocked => "blocked",
        Outcome::Skipped => "skipped",
        Outcome::Error => "error",
    }
}

impl AuditRecord {
    /// A record for one input's report entry (`prev` is filled by [`append`]).
    pub fn from_report(run: &RunInfo, r: &InputReport) -> AuditRecord {
        AuditRecord {
            prev: String::new(),
            time: rfc3339(SystemTime::now()),
            user: current_user(),
            host: host_name(),
            tool: "mask".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            command: run.command.clone(),
            policy: run.policy.clone(),
            policy_sha256: run.policy_sha256.clone(),
            input: r.input.clone(),
            sha256_in: r.sha256_in.clone(),
            sha256_out: r.sha256_out.clone(),
            bytes_in: r.bytes_in,
            bytes_out: r.bytes_out,
            counts: r.by_category.clone(),
            action: action_of(r.outcome).into(),
            reason: r.reason.clone(),
        }
    }
}

/// The user running mask, from the environment (`?` when unknown).
pub fn current_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "?".into())
}

/// The host name (`?` when unknown).
pub fn host_name() -> String {
    if let Ok(h) = std::fs::read_to_string("/proc/sys/kernel/hostname") {
        let h = h.trim();
        if !h.is_empty() {
            return h.to_string();
        }
    }
    ["HOSTNAME", "COMPUTERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "?".into())
}

/// SHA-256 (hex) of one record line (without its newline).
pub fn line_hash(line: &[u8]) -> String {
    hex::encode(Sha256::digest(line))
}

/// Appends `records` to the log at `path` (created if missing), chaining
/// each to the one before, under an exclusive file lock.
///
/// # Errors
///
/// I/O errors; a log whose last line is cut off (no newline at the end) is
/// refused rather than extended.
pub fn append(path: &Path, records: &[AuditRecord]) -> std::io::Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let mut f = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)?;
    // fs4 (flock on Unix, LockFileEx on Windows); std's `File::lock` needs
    // Rust 1.89, above this crate's minimum.
    fs4::FileExt::lock(&f)?;
    let res = append_locked(&mut f, records);
    let unlock = fs4::FileExt::unlock(&f);
    res.and(unlock)
}

fn append_locked(f: &mut File, records: &[AuditRecord]) -> std::io::Result<()> {
    let mut prev = match last_line(f)? {
        None => GENESIS.to_string(),
        Some(line) => line_hash(&line),
    };
    let mut buf = Vec::new();
    for r in records {
        let mut r = r.clone();
        r.prev = prev;
        let line = serde_json::to_vec(&r).map_err(std::io::Error::other)?;
        prev = line_hash(&line);
        buf.extend_from_slice(&line);
        buf.push(b'\n');
    }
    f.write_all(&buf)?;
    f.flush()
}

/// The last line of the file (without newline), reading backwards from the
/// end in growing steps; `None` for an empty file.
fn last_line(f: &mut File) -> std::io::Result<Option<Vec<u8>>> {
    let len = f.seek(SeekFrom::End(0))?;
    if len == 0 {
        return Ok(None);
    }
    let mut window = 4096u64;
    loop {
        let start = len.saturating_sub(window);
        f.seek(SeekFrom::Start(start))?;
        let mut tail = Vec::with_capacity((len - start) as usize);
        Read::by_ref(f).take(len - start).read_to_end(&mut tail)?;
        if tail.last() != Some(&b'\n') {
            return Err(std::io::Error::other(
                "audit log does not end with a newline (a cut-off record); refusing to append",
            ));
        }
        let body = &tail[..tail.len() - 1];
        match memchr::memrchr(b'\n', body) {
            Some(i) => return Ok(Some(body[i + 1..].to_vec())),
            None if start == 0 => return Ok(Some(body.to_vec())),
            None => window *= 4,
        }
    }
}

/// What [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every record chains to the one before.
    Intact {
        /// How many records.
        records: u64,
        /// The hash of the last line (the chain's head), to keep elsewhere.
        head: String,
    },
    /// The first broken record.
    Broken {
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        why: String,
    },
}

/// Checks the whole chain of the log read from `reader`.
///
/// # Errors
///
/// I/O errors reading the log.
pub fn verify<R: Read>(reader: R) -> std::io::Result<Verdict> {
    let mut r = BufReader::new(reader);
    let mut prev = GENESIS.to_string();
    let mut n = 0u64;
    let mut line = Vec::new();
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        n += 1;
        if line.last() != Some(&b'\n') {
            return Ok(Verdict::Broken {
                line: n,
                why: "cut off (no newline)".into(),
            });
        }
        line.pop();
        #[derive(Deserialize)]
        struct Prev {
            prev: String,
        }
        let rec: Prev = match serde_json::from_slice(&line) {
            Ok(p) => p,
            Err(e) => {
                return Ok(Verdict::Broken {
                    line: n,
                    why: format!("not a record ({e})"),
                })
            }
        };
        if rec.prev != prev {
            return Ok(Verdict::Broken {
                line: n,
                why: "prev does not match the hash of the record before (that record was changed, inserted or removed)".into(),
            });
        }
        prev = line_hash(&line);
    }
    Ok(Verdict::Intact {
        records: n,
        head: prev,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(input: &str) -> AuditRecord {
        let run = RunInfo {
            command: "mask".into(),
            policy: "default".into(),
            policy_sha256: "x".into(),
        };
        AuditRecord::from_report(
            &run,
            &InputReport::failed(input, Outcome::Skipped, "binary".into()),
        )
    }

    #[test]
    fn chain_appends_and_verifies() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("audit.jsonl");
        append(&p, &[rec("a"), rec("b")]).unwrap();
        append(&p, &[rec("c")]).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.starts_with(&format!("{{\"prev\":\"{GENESIS}\"")));
        match verify(File::open(&p).unwrap()).unwrap() {
            Verdict::Intact { records, .. } => assert_eq!(records, 3),
            v => panic!("{v:?}"),
        }
        let tampered = text.replacen("\"input\":\"b\"", "\"input\":\"B\"", 1);
        assert_eq!(
            verify(tampered.as_bytes()).unwrap(),
            Verdict::Broken {
                line: 3,
                why: "prev does not match the hash of the record before (that record was changed, inserted or removed)".into()
            }
        );
    }

    #[test]
    fn last_line_found_across_window_growth() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("audit.jsonl");
        let mut r = rec("a");
        r.reason = Some("x".repeat(10_000));
        append(&p, &[r.clone(), r]).unwrap();
        append(&p, &[rec("c")]).unwrap();
        assert!(matches!(
            verify(File::open(&p).unwrap()).unwrap(),
            Verdict::Intact { records: 3, .. }
        ));
    }
}
