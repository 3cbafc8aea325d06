//! End-to-end tests of the `mask` binary: filter mode, files, -r mirroring,
//! scan, reports, exit codes, and the fail-closed paths.

mod common;

use common::mask;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const SAMPLE: &str = "山田様\nメール taro.yamada@example.co.jp\nマイナンバー 1234 5678 9018\n";

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 output")
}

#[test]
fn filter_masks_stdin_to_stdout() {
    let o = mask(&["-q"], SAMPLE.as_bytes());
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("*******mada@example.co.jp"), "{out}");
    assert!(out.contains("[マイナンバー]"), "{out}");
    assert!(!out.contains("1234 5678 9018"));
    assert!(o.stderr.is_empty(), "-q keeps stderr quiet");
}

#[test]
fn summary_line_names_counts_not_values() {
    let o = mask(&[], SAMPLE.as_bytes());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("email 1") && err.contains("my-number 1"),
        "{err}"
    );
    assert!(!err.contains("taro"), "{err}");
}

#[test]
fn files_are_masked_to_stdout_in_order() {
    let d = tempfile::tempdir().unwrap();
    let a = d.path().join("a.txt");
    let b = d.path().join("b.txt");
    fs::write(&a, "A a@example.com\n").unwrap();
    fs::write(&b, "B b@example.com\n").unwrap();
    let o = mask(&["-q", a.to_str().unwrap(), b.to_str().unwrap()], b"");
    assert_eq!(stdout(&o), "A *@example.com\nB *@example.com\n");
}

#[test]
fn invalid_utf8_exits_2_and_writes_nothing() {
    let mut input = SAMPLE.as_bytes().to_vec();
    input.extend_from_slice(b"\xff\xfe tail");
    let o = mask(&["-q"], &input);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty(), "nothing written for a bad input");
    assert!(String::from_utf8_lossy(&o.stderr).contains("not valid UTF-8"));
}

#[test]
fn strict_policy_blocks_with_exit_3_and_no_output() {
    let o = mask(&["-p", "strict"], SAMPLE.as_bytes());
    assert_eq!(o.status.code(), Some(3));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("my-number"), "{err}");
    assert!(!err.contains("1234"), "{err}");
}

#[test]
fn scan_lists_findings_and_gates() {
    let o = mask(&["scan"], SAMPLE.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("-:2:5: email (email)"), "{out}");
    assert!(out.contains("-:3:8: my-number"), "{out}");
    assert!(!out.contains("taro"));
    let clean = mask(&["scan", "-q"], "何もない文章です。\n".as_bytes());
    assert_eq!(clean.status.code(), Some(0));
    assert!(clean.stdout.is_empty());
}

#[test]
fn scan_json_is_one_object_per_line() {
    let o = mask(&["scan", "--json", "-q"], SAMPLE.as_bytes());
    for line in stdout(&o).lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("valid JSON line");
        assert!(v["category"].is_string() && v["line"].is_u64());
    }
}

#[test]
fn recursive_mirrors_tree_skips_binaries_and_reports() {
    let d = tempfile::tempdir().unwrap();
    let inp = d.path().join("in");
    fs::create_dir_all(inp.join("sub")).unwrap();
    fs::write(inp.join("a.txt"), SAMPLE).unwrap();
    fs::write(inp.join("sub/b.txt"), "b@example.com\n").unwrap();
    fs::write(inp.join("img.bin"), b"\x89PNG\0\0\0data").unwrap();
    fs::write(inp.join("bad.txt"), b"ok\n\xff\n").unwrap();
    let out = d.path().join("out");
    let report = d.path().join("report.json");
    let o = mask(
        &[
            "-q",
            "-r",
            inp.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "one bad file makes the run exit 2"
    );
    assert_eq!(
        fs::read_to_string(out.join("sub/b.txt")).unwrap(),
        "*@example.com\n"
    );
    assert!(fs::read_to_string(out.join("a.txt"))
        .unwrap()
        .contains("[マイナンバー]"));
    assert!(!out.join("img.bin").exists(), "binary never copied");
    assert!(!out.join("bad.txt").exists(), "bad input never written");
    let leftovers: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
    let r: serde_json::Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    let inputs = r["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 4);
    let outcome = |name: &str| {
        inputs
            .iter()
            .find(|i| i["input"].as_str().unwrap().ends_with(name))
            .unwrap()["outcome"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(outcome("img.bin"), "skipped");
    assert_eq!(outcome("bad.txt"), "error");
    assert_eq!(outcome("a.txt"), "masked");
    let text = fs::read_to_string(&report).unwrap();
    assert!(
        !text.contains("taro") && !text.contains("5678"),
        "report never holds values"
    );
    assert_eq!(r["totals"]["my-number"], 1);
    assert!(inputs
        .iter()
        .any(|i| i["sha256_in"].as_str().is_some_and(|h| h.len() == 64)));
}

#[test]
fn recursive_refuses_output_inside_input() {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("a.txt"), "x").unwrap();
    let o = mask(
        &[
            "-q",
            "-r",
            d.path().to_str().unwrap(),
            "-o",
            d.path().join("out").to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("inside the input"));
}

#[test]
fn output_file_never_overwrites_its_input() {
    let d = tempfile::tempdir().unwrap();
    let a = d.path().join("a.txt");
    fs::write(&a, SAMPLE).unwrap();
    let o = mask(&["-q", a.to_str().unwrap(), "-o", a.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(fs::read_to_string(&a).unwrap(), SAMPLE);
}

#[test]
fn output_file_is_written_atomically_and_blocked_input_leaves_none() {
    let d = tempfile::tempdir().unwrap();
    let a = d.path().join("a.txt");
    let out = d.path().join("out.txt");
    fs::write(&a, SAMPLE).unwrap();
    let o = mask(
        &[
            "-q",
            "-p",
            "strict",
            a.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(!out.exists());
    let o = mask(
        &["-q", a.to_str().unwrap(), "-o", out.to_str().unwrap()],
        b"",
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(fs::read_to_string(&out).unwrap().contains("[マイナンバー]"));
}

#[test]
fn deny_and_allow_lists_from_files() {
    let d = tempfile::tempdir().unwrap();
    let deny = d.path().join("deny.txt");
    let allow = d.path().join("allow.txt");
    fs::write(&deny, "# insider names\nProject Falcon\n").unwrap();
    fs::write(&allow, "info@example.com\n").unwrap();
    let o = mask(
        &[
            "-q",
            "--deny",
            deny.to_str().unwrap(),
            "--allow",
            allow.to_str().unwrap(),
        ],
        "ＰＲＯＪＥＣＴ　ＦＡＬＣＯＮ の件は info@example.com と taro@example.com へ".as_bytes(),
    );
    assert_eq!(
        stdout(&o),
        "[禁止語] の件は info@example.com と **ro@example.com へ"
    );
}

#[test]
fn policy_show_prints_a_policy_that_loads_back() {
    let o = mask(&["policy", "show", "-p", "strict"], b"");
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.contains("my-number") && text.contains("block"),
        "{text}"
    );
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("p.toml");
    fs::write(&p, &text).unwrap();
    let o2 = mask(&["policy", "show", "-p", p.to_str().unwrap()], b"");
    assert_eq!(stdout(&o2), text);
}

#[test]
fn bad_policy_is_a_usage_error() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("p.toml");
    fs::write(&p, "[rules]\nphone = { action = \"explode\" }\n").unwrap();
    let o = mask(&["-p", p.to_str().unwrap()], b"x");
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let o = mask(&["--no-such-flag"], b"x");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn broken_pipe_exits_zero_quietly() {
    let big = SAMPLE.repeat(200_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_mask"))
        .args(["-q", "--stream"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(big.as_bytes());
    });
    drop(child.stdout.take()); // the reader goes away
    let o = child.wait_with_output().unwrap();
    let _ = writer.join();
    common::assert_success(&o);
}

#[test]
fn a_document_marked_confidential_is_blocked_by_default() {
    // The company's rules: documents marked 極秘/社外秘/CONFIDENTIAL are
    // never sent. Nothing reaches stdout, exit 3, however the mark is written.
    for text in [
        "件名：【社外秘】来期の販売計画\n山田様\n",
        "社外秘\n2026年度 事業計画\n",
        "機密区分：極秘\n取締役会資料\n",
        "各位\n本資料は社外秘です。\n",
        "CONFIDENTIAL - do not forward\nQ3 plan\n",
    ] {
        let o = mask(&["-q"], text.as_bytes());
        assert_eq!(o.status.code(), Some(3), "{text}");
        assert!(o.stdout.is_empty(), "{text}: {:?}", o.stdout);
    }
}

#[test]
fn a_rule_that_mentions_marked_documents_passes_unchanged() {
    // The company's own rule documents talk about marked documents: they
    // are text, sent with only their personal data masked.
    let text = "情報セキュリティ規程\n作成者: 情報セキュリティ委員会\n\
                第4条 極秘/社外秘/CONFIDENTIALと表示された文書は送信しない。\n\
                社外秘の文書は丁寧に取り扱い、報告は毎月行うこと。\n";
    let o = mask(&["-q"], text.as_bytes());
    common::assert_success(&o);
    assert_eq!(String::from_utf8_lossy(&o.stdout), text);
}

#[test]
fn sample_in_corpora_runs() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/sample/business-mail.txt");
    if let Ok(text) = fs::read(&sample) {
        let o = mask(&["-q"], &text);
        assert_eq!(o.status.code(), Some(0));
        assert!(!o.stdout.is_empty());
    }
}

#[test]
fn customer_list_reading_wins_for_every_mention() {
    let d = tempfile::tempdir().unwrap();
    let list = d.path().join("customers.csv");
    fs::write(&list, "小鳥遊,タカナシ\n").unwrap();
    let o = mask(
        &["-q", "--customers", list.to_str().unwrap()],
        "担当は小鳥遊です。小鳥遊が伺います\n".as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "担当はT.です。T.が伺います\n");
}

#[test]
fn missing_name_dictionary_is_a_clear_error() {
    let o = mask(&["-q", "--dict", "/nonexistent/mask-dict"], b"x\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("dictionary"));
}
