//! `mask hook claude-code` driven with recorded hook payloads
//! (tests/fixtures/hook/), every event and the fail-closed paths.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn fixture(name: &str) -> Vec<u8> {
    let p = format!("{}/tests/fixtures/hook/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn hook_with(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mask"));
    cmd.args(["hook", "claude-code"]).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mask runs");
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    child.wait_with_output().expect("mask finishes")
}

fn hook(args: &[&str], name: &str) -> Output {
    hook_with(args, &fixture(name), &[])
}

/// Exit 0 and a JSON answer.
fn answer(o: &Output) -> Value {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("the answer is JSON")
}

/// Exit 0 and no output: no opinion.
fn silent(o: &Output) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

fn failed_closed(o: &Output) {
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(!o.stderr.is_empty());
}

#[test]
fn post_tool_use_read_masks_file_content_in_its_shape() {
    let v = answer(&hook(&[], "post_read.json"));
    let h = &v["hookSpecificOutput"];
    assert_eq!(h["hookEventName"], "PostToolUse");
    let out = &h["updatedToolOutput"];
    assert_eq!(out["type"], "text");
    assert_eq!(out["file"]["filePath"], "/home/dev/crm/customers.md");
    assert_eq!(out["file"]["numLines"], 4);
    let content = out["file"]["content"].as_str().unwrap();
    assert!(
        content.contains("連絡先 ***-****-5678 / *******mada@example.co.jp"),
        "{content}"
    );
    assert!(content.contains("〒***-****"), "{content}");
    assert!(!content.contains("1234"), "{content}");
    assert!(h.get("updatedMCPToolOutput").is_none(), "built-in tool");
}

#[test]
fn post_tool_use_mcp_masks_text_blocks_for_old_and_new_versions() {
    let v = answer(&hook(&[], "post_mcp.json"));
    let h = &v["hookSpecificOutput"];
    let blocks = h["updatedToolOutput"].as_array().expect("still an array");
    assert_eq!(blocks[0]["type"], "text");
    let text = blocks[0]["text"].as_str().unwrap();
    assert!(text.contains("**-****-5678"), "{text}");
    assert!(text.contains("\"plan\":\"gold\""), "{text}");
    assert!(!text.contains("03-1234"), "{text}");
    assert_eq!(h["updatedMCPToolOutput"], h["updatedToolOutput"]);
}

#[test]
fn post_tool_use_grep_and_webfetch_are_masked() {
    let v = answer(&hook(&[], "post_grep.json"));
    let out = &v["hookSpecificOutput"]["updatedToolOutput"];
    assert_eq!(out["content"], "notes.txt:3:TEL ***-****-5678");
    assert_eq!(out["numFiles"], 1);
    let v = answer(&hook(&[], "post_webfetch.json"));
    let out = &v["hookSpecificOutput"]["updatedToolOutput"];
    let r = out["result"].as_str().unwrap();
    assert!(!r.contains("info-desk@"), "{r}");
    assert!(!r.contains("0120-123"), "{r}");
    assert_eq!(out["code"], 200);
}

#[test]
fn post_tool_use_without_findings_says_nothing() {
    silent(&hook(&[], "post_bash_clean.json"));
}

#[test]
fn post_tool_use_default_policy_labels_my_number() {
    let v = answer(&hook(&[], "post_bash_mynumber.json"));
    let stdout = v["hookSpecificOutput"]["updatedToolOutput"]["stdout"]
        .as_str()
        .unwrap();
    assert!(stdout.contains("マイナンバー [マイナンバー]"), "{stdout}");
    assert!(!stdout.contains("9018"), "{stdout}");
}

#[test]
fn post_tool_use_blocked_output_becomes_a_notice_with_counts_only() {
    let v = answer(&hook(&["-p", "strict"], "post_bash_mynumber.json"));
    let out = &v["hookSpecificOutput"]["updatedToolOutput"];
    let stdout = out["stdout"].as_str().unwrap();
    assert!(
        stdout.starts_with("[mask: this tool output was withheld"),
        "{stdout}"
    );
    assert!(stdout.contains("my-number ×1"), "{stdout}");
    assert!(
        !stdout.contains("9018") && !stdout.contains("1234"),
        "{stdout}"
    );
    assert_eq!(out["stderr"], "");
    assert_eq!(out["interrupted"], false);
}

#[test]
fn pre_tool_use_masks_what_a_sending_mcp_tool_sends() {
    let v = answer(&hook(&[], "pre_mcp_send.json"));
    let h = &v["hookSpecificOutput"];
    assert_eq!(h["hookEventName"], "PreToolUse");
    assert_eq!(h["permissionDecision"], "allow");
    assert_eq!(h["updatedInput"]["channel"], "#sales");
    let text = h["updatedInput"]["text"].as_str().unwrap();
    assert!(text.contains("***-****-5678"), "{text}");
    assert!(!text.contains("taro.yamada"), "{text}");
    let reason = h["permissionDecisionReason"].as_str().unwrap();
    assert!(
        reason.contains("phone ×1") && !reason.contains("5678"),
        "{reason}"
    );

    let v = answer(&hook(&["--ask"], "pre_mcp_send.json"));
    assert_eq!(v["hookSpecificOutput"]["permissionDecision"], "ask");
}

#[test]
fn pre_tool_use_denies_a_blocked_upload() {
    let v = answer(&hook(&["-p", "strict"], "pre_bash_curl_mynumber.json"));
    let h = &v["hookSpecificOutput"];
    assert_eq!(h["permissionDecision"], "deny");
    let reason = h["permissionDecisionReason"].as_str().unwrap();
    assert!(reason.contains("my-number ×1"), "{reason}");
    assert!(!reason.contains("9018"), "{reason}");
    assert!(h.get("updatedInput").is_none());
}

#[test]
fn pre_tool_use_default_policy_masks_the_curl_command() {
    let v = answer(&hook(&[], "pre_bash_curl_mynumber.json"));
    let cmd = v["hookSpecificOutput"]["updatedInput"]["command"]
        .as_str()
        .unwrap();
    assert!(
        cmd.starts_with("curl -X POST https://api.example.com/v1/notes"),
        "{cmd}"
    );
    assert!(
        cmd.contains("[マイナンバー]") && !cmd.contains("9018"),
        "{cmd}"
    );
}

#[test]
fn pre_tool_use_has_no_opinion_on_tools_that_do_not_send() {
    silent(&hook(&[], "pre_read.json"));
    silent(&hook(&[], "pre_mcp_read.json"));
}

#[test]
fn user_prompt_with_personal_data_is_blocked_naming_counts_only() {
    let v = answer(&hook(&[], "prompt_pii.json"));
    assert_eq!(v["decision"], "block");
    let reason = v["reason"].as_str().unwrap();
    assert!(
        reason.contains("phone ×1") && reason.contains("email ×1"),
        "{reason}"
    );
    assert!(
        !reason.contains("5678") && !reason.contains("taro"),
        "{reason}"
    );
}

#[test]
fn clean_prompt_and_other_events_pass_silently() {
    silent(&hook(&[], "prompt_clean.json"));
    silent(&hook(&[], "session_start.json"));
}

#[test]
fn malformed_json_fails_closed() {
    let o = hook(&[], "malformed.json");
    failed_closed(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not valid JSON"), "{err}");
    assert!(!err.contains("090"), "no input quoted: {err}");
}

#[test]
fn missing_fields_empty_input_and_bad_policy_fail_closed() {
    failed_closed(&hook(&[], "post_missing_response.json"));
    failed_closed(&hook_with(&[], b"", &[]));
    failed_closed(&hook_with(&[], b"[1,2]", &[]));
    failed_closed(&hook(&["-p", "/nonexistent/policy.toml"], "post_read.json"));
    failed_closed(&hook(&["--no-such-flag"], "post_read.json"));
}

#[test]
fn a_panic_fails_closed_with_exit_2() {
    let o = hook_with(
        &[],
        &fixture("post_read.json"),
        &[("MASK_HOOK_TEST_PANIC", "1")],
    );
    failed_closed(&o);
    assert!(String::from_utf8_lossy(&o.stderr).contains("failing closed"));
}

#[test]
fn hook_events_are_audited_without_values() {
    let d = tempfile::tempdir().unwrap();
    let log = d.path().join("audit.jsonl");
    let log_s = log.to_str().unwrap();
    answer(&hook(&["--audit", log_s], "post_read.json"));
    answer(&hook(&["--audit", log_s], "prompt_pii.json"));
    silent(&hook(&["--audit", log_s], "prompt_clean.json"));
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["command"], "hook claude-code PostToolUse");
    assert_eq!(lines[0]["input"], "Read");
    assert_eq!(lines[0]["action"], "masked");
    assert_eq!(lines[0]["counts"]["phone"], 1);
    assert_eq!(lines[1]["action"], "blocked");
    assert_eq!(lines[2]["action"], "skipped");
    assert!(!text.contains("5678") && !text.contains("taro"));
}
