//! The audit log: records per run and input, the hash chain, `mask audit
//! verify`, tampering, and concurrent appends from threads and processes.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use mask::audit::{self, AuditRecord, RunInfo, Verdict, GENESIS};
use mask::report::{InputReport, Outcome};
use serde_json::Value;

fn mask(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mask"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn records(log: &Path) -> Vec<Value> {
    std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn runs_append_chained_records_without_values() {
    let d = tempfile::tempdir().unwrap();
    let log = d.path().join("audit.jsonl");
    let ls = log.to_str().unwrap();
    let a = d.path().join("a.txt");
    std::fs::write(&a, "TEL 090-1234-5678\n").unwrap();
    let o = mask(&["-q", "--audit", ls, a.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(0));
    let o = mask(
        &["-q", "-p", "strict", "--audit", ls],
        "個人番号 123456789018\n",
    );
    assert_eq!(o.status.code(), Some(3));
    let o = mask(&["scan", "-q", "--audit", ls], "mail a@example.com\n");
    assert_eq!(o.status.code(), Some(1));
    let recs = records(&log);
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[0]["prev"], GENESIS);
    assert_eq!(recs[0]["action"], "masked");
    assert_eq!(recs[0]["counts"]["phone"], 1);
    assert_eq!(recs[0]["policy"], "default");
    assert_eq!(recs[0]["sha256_in"].as_str().unwrap().len(), 64);
    assert_eq!(recs[0]["sha256_out"].as_str().unwrap().len(), 64);
    for k in ["time", "user", "host", "version", "policy_sha256"] {
        assert!(recs[0][k].as_str().is_some_and(|s| !s.is_empty()), "{k}");
    }
    assert_eq!(recs[1]["action"], "blocked");
    assert_eq!(recs[1]["counts"]["my-number"], 1);
    assert_eq!(recs[2]["action"], "scanned");
    assert_eq!(recs[2]["command"], "scan");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        !text.contains("1234-5678")
            && !text.contains("123456789018")
            && !text.contains("a@example")
    );

    let o = mask(&["audit", "verify", ls], "");
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("intact, 3 record(s)"));
}

#[test]
fn tampering_is_found_at_the_next_record() {
    let d = tempfile::tempdir().unwrap();
    let log = d.path().join("audit.jsonl");
    let ls = log.to_str().unwrap();
    for _ in 0..4 {
        assert_eq!(
            mask(&["-q", "--audit", ls], "TEL 090-1234-5678")
                .status
                .code(),
            Some(0)
        );
    }
    let text = std::fs::read_to_string(&log).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Change a count in record 2: record 3 no longer chains.
    lines[1] = lines[1].replace("\"phone\":1", "\"phone\":0");
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();
    let o = mask(&["audit", "verify", ls], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("BROKEN at record 3"));
    // Deleting a record breaks the chain too.
    let mut lines: Vec<&str> = text.lines().collect();
    lines.remove(0);
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();
    let o = mask(&["audit", "verify", ls], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("BROKEN at record 1"));
    // A missing log is an error, not "intact".
    let o = mask(&["audit", "verify", "/nonexistent/audit.jsonl"], "");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn concurrent_threads_never_corrupt_the_chain() {
    let d = tempfile::tempdir().unwrap();
    let log = d.path().join("audit.jsonl");
    let run = RunInfo {
        command: "test".into(),
        policy: "default".into(),
        policy_sha256: "0".into(),
    };
    std::thread::scope(|s| {
        for t in 0..8 {
            let (log, run) = (&log, &run);
            s.spawn(move || {
                for i in 0..25 {
                    let r = InputReport::failed(&format!("t{t}-{i}"), Outcome::Skipped, "x".into());
                    audit::append(log, &[AuditRecord::from_report(run, &r)]).unwrap();
                }
            });
        }
    });
    let v = audit::verify(std::fs::File::open(&log).unwrap()).unwrap();
    assert!(matches!(v, Verdict::Intact { records: 200, .. }), "{v:?}");
}

#[test]
fn concurrent_processes_never_corrupt_the_chain() {
    let d = tempfile::tempdir().unwrap();
    let log = d.path().join("audit.jsonl");
    let ls = log.to_str().unwrap().to_string();
    let children: Vec<_> = (0..12)
        .map(|_| {
            let mut c = Command::new(env!("CARGO_BIN_EXE_mask"))
                .args(["-q", "-j", "1", "--audit", &ls])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let _ = c.stdin.take().unwrap().write_all(b"TEL 090-1234-5678\n");
            c
        })
        .collect();
    for c in children {
        assert!(c.wait_with_output().unwrap().status.success());
    }
    assert_eq!(records(&log).len(), 12);
    let o = mask(&["audit", "verify", &ls], "");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}
