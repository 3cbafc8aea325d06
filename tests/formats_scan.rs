//! `mask scan` over structured inputs and Japanese encodings: a finding
//! that masking would mask must be reported, wherever decoding hides it
//! (Shift_JIS text, CSV cells, JSON escapes, base64 mail bodies, RFC 2047
//! subjects, Gmail base64url bodies), with its line and column.

mod common;

use common::mask;
use std::fs;

use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine;
use encoding_rs::{EUC_JP, SHIFT_JIS};

/// Runs `mask scan -q ARGS` on a file named `name` holding `bytes`; returns
/// the exit code and the finding lines with the directory removed.
fn scan(name: &str, bytes: &[u8], args: &[&str]) -> (Option<i32>, Vec<String>) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join(name);
    fs::write(&p, bytes).unwrap();
    let mut all = vec!["scan", "-q"];
    all.extend_from_slice(args);
    all.push(p.to_str().unwrap());
    let o = mask(&all, b"");
    let prefix = format!("{}/", d.path().display());
    let lines = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| l.replace(&prefix, ""))
        .collect();
    (o.status.code(), lines)
}

#[test]
fn shift_jis_and_euc_jp_text_are_decoded_with_lines_and_columns() {
    let text = "ご連絡先\n電話 090-1234-5678 まで\n";
    let (sj, _, _) = SHIFT_JIS.encode(text);
    let (code, lines) = scan("memo.txt", &sj, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(lines, ["memo.txt:2:4: phone (phone)"]);
    let (euc, _, _) = EUC_JP.encode(text);
    let (_, lines) = scan("memo.txt", &euc, &[]);
    assert_eq!(lines, ["memo.txt:2:4: phone (phone)"]);
}

#[test]
fn csv_cells_by_role_and_by_text_with_escapes_marked_decoded() {
    let csv = "氏名,電話番号,メモ\r\n\
               山田 太郎,090-1234-5678,\"連絡は \"\"taro@example.jp\"\" へ\"\r\n\
               佐藤 花子,03-1111-2222,mail hanako@example.co.jp\r\n";
    let (code, lines) = scan("orders.csv", csv.as_bytes(), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        lines,
        [
            "orders.csv:2:1: name (field/name)",
            "orders.csv:2:7: phone (field/phone)",
            "orders.csv:2:21: email (email) [decoded]",
            "orders.csv:3:1: name (field/name)",
            "orders.csv:3:7: phone (field/phone)",
            "orders.csv:3:25: email (email)",
        ]
    );
    // The same CSV in Shift_JIS: the same positions (in characters).
    let (sj, _, _) = SHIFT_JIS.encode(csv);
    let (_, sj_lines) = scan("orders.csv", &sj, &[]);
    assert_eq!(sj_lines, lines);
}

#[test]
fn mail_base64_body_and_encoded_subject_are_not_a_false_clean() {
    let body = STANDARD.encode("山田太郎様\n電話 090-1234-5678\n");
    let subject = STANDARD.encode("090-9999-8888の件");
    let eml = format!(
        "From: info@example.com\r\nSubject: =?UTF-8?B?{subject}?=\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n"
    );
    // Nothing readable in the raw bytes…
    assert!(!eml.contains("090-"));
    for name in ["message.eml", "message.dat", "message"] {
        let (code, lines) = scan(name, eml.as_bytes(), &[]);
        assert_eq!(code, Some(1), "{name}");
        assert!(
            lines.contains(&format!("{name}:2:1: phone (phone) [decoded]")),
            "{name}: {lines:?}"
        );
        assert!(
            lines.contains(&format!("{name}:7:1: phone (phone) [decoded]")),
            "{name}: {lines:?}"
        );
        assert!(lines.iter().any(|l| l.contains("name (name)")), "{lines:?}");
    }
}

#[test]
fn json_escapes_and_gmail_base64url_bodies() {
    let data = URL_SAFE.encode("折り返し 090-1234-5678 まで".as_bytes());
    let jsonl = format!(
        "{{\"id\":1,\"text\":\"TEL \\u0030\\u0039\\u0030-1234-5678\"}}\n\
         {{\"payload\":{{\"body\":{{\"data\":\"{data}\"}}}}}}\n\
         {{\"id\":3,\"text\":\"mail taro@example.jp\"}}\n"
    );
    let (code, lines) = scan("export.jsonl", jsonl.as_bytes(), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        lines,
        [
            "export.jsonl:1:16: phone (phone) [decoded]",
            "export.jsonl:2:28: phone (phone) [decoded]",
            "export.jsonl:3:22: email (email)",
        ]
    );
}

#[test]
fn json_lines_report_exact_offsets() {
    let (_, lines) = scan(
        "x.json",
        "[\"ok\", \"電話 090-1234-5678\"]".as_bytes(),
        &["--json"],
    );
    assert_eq!(lines.len(), 1);
    let v: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(v["exact"], true);
    assert_eq!(v["line"], 1);
    assert_eq!(v["column"], 12);
    assert_eq!(v["start"], 15);
}

#[test]
fn a_wrong_sniff_falls_back_to_text() {
    // Starts like JSON, is not: scanned as text, nothing missed.
    let (code, lines) = scan("notes", b"{ draft\ncall 090-1234-5678\n", &[]);
    assert_eq!(code, Some(1));
    assert_eq!(lines, ["notes:2:6: phone (phone)"]);
    // A forced format that does not parse is an error (exit 2), not clean.
    let (code, _) = scan(
        "notes",
        b"{ draft\ncall 090-1234-5678\n",
        &["--format", "json"],
    );
    assert_eq!(code, Some(2));
}

#[test]
fn standard_input_is_sniffed_too() {
    let body = STANDARD.encode("電話 090-1234-5678\n");
    let eml =
        format!("From: a@example.com\nSubject: x\nContent-Transfer-Encoding: base64\n\n{body}\n");
    let o = mask(&["scan", "-q"], eml.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("-:5:1: phone (phone) [decoded]"), "{out}");
}

#[test]
fn clean_structured_input_exits_0() {
    let (code, lines) = scan("items.csv", "商品,数量\n\"りんご\",3\n".as_bytes(), &[]);
    assert_eq!((code, lines.len()), (Some(0), 0));
}
