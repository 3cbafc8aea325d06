//! Claude Code hooks: decide what to answer to one hook event.
//!
//! [`handle`] takes the event's JSON (as Claude Code writes it on the hook's
//! standard input) and returns what the hook command should print on
//! standard output (exit status 0). Every error is returned, never
//! swallowed: the `mask hook claude-code` command turns errors (and panics)
//! into exit status 2, which is the only status Claude Code treats as
//! "stop".
//!
//! | event | what mask answers |
//! | --- | --- |
//! | `PostToolUse` | `updatedToolOutput`: the tool's response with every string value masked (keys and shape kept); values holding something the policy blocks become a notice naming categories and counts |
//! | `PreToolUse` | for tools that send data out: `updatedInput` (masked) with `permissionDecision`, or `deny` when the policy blocks; other tools: nothing |
//! | `UserPromptSubmit` | `decision: block` when the prompt holds anything the policy masks or blocks; otherwise nothing |
//! | anything else | nothing |
//!
//! Nothing mask answers ever contains a detected value: notices and reasons
//! name categories and counts only.
//!
//! ```
//! use mask::hook::{handle, HookOptions};
//! use mask::Masker;
//!
//! let masker = Masker::builder().threads(1).build()?;
//! let event = r#"{"hook_event_name":"PostToolUse","tool_name":"Bash",
//!   "tool_input":{"command":"cat crm.txt"},
//!   "tool_response":{"stdout":"TEL 090-1234-5678","stderr":"","interrupted":false}}"#;
//! let out = handle(&masker, event.as_bytes(), &HookOptions::default()).unwrap().unwrap();
//! assert!(out.contains(r#""updatedToolOutput":{"interrupted":false,"stderr":"","stdout":"TEL ***-****-5678"}"#));
//! # Ok::<(), mask::Error>(())
//! ```

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::error::Error;
use crate::masker::Masker;
use crate::span::Category;
use crate::vault::render_findings;

/// Why a hook event could not be answered (the command exits 2).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HookError {
    /// The input is not JSON (the parser's message names a position only).
    #[error("hook input is not valid JSON: {0}")]
    Json(String),
    /// A required field is missing or has the wrong type.
    #[error("hook input: {0}")]
    Field(String),
    /// Masking failed.
    #[error("masking failed: {0}")]
    Mask(#[from] Error),
}

/// What `PreToolUse` answers when it rewrote a tool's input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Permission {
    /// `"allow"`: the masked call runs without a permission prompt (the
    /// behaviour `updatedInput` needs on every Claude Code version).
    #[default]
    Allow,
    /// `"ask"`: the user still confirms the masked call.
    Ask,
}

/// Options of [`handle`].
#[derive(Clone, Debug, Default)]
pub struct HookOptions {
    /// The decision sent with a rewritten `PreToolUse` input.
    pub permission: Permission,
}

/// What happened to one event, for the audit log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HookOutcome {
    /// The event name.
    pub event: String,
    /// The tool name (empty for prompts).
    pub tool: String,
    /// Findings per category.
    pub counts: BTreeMap<Category, usize>,
    /// Categories the policy blocks, with counts.
    pub blocked: BTreeMap<Category, usize>,
    /// `masked`, `blocked`, `skipped` (no opinion, nothing changed).
    pub action: &'static str,
}

/// Answers one event: `Ok(Some(json))` to print, `Ok(None)` for no output.
///
/// # Errors
///
/// Malformed input, or a masking failure.
pub fn handle(
    masker: &Masker,
    input: &[u8],
    opts: &HookOptions,
) -> Result<Option<String>, HookError> {
    handle_with_outcome(masker, input, opts).map(|(s, _)| s)
}

/// As [`handle`], also returning what happened (for the audit log).
///
/// # Errors
///
/// As [`handle`].
pub fn handle_with_outcome(
    masker: &Masker,
    input: &[u8],
    opts: &HookOptions,
) -> Result<(Option<String>, HookOutcome), HookError> {
    let event: Value = serde_json::from_slice(input).map_err(|e| HookError::Json(e.to_string()))?;
    let obj = event
        .as_object()
        .ok_or_else(|| HookError::Field("the event is not a JSON object".into()))?;
    let name = str_field(obj, "hook_event_name")?;
    let mut outcome = HookOutcome {
        event: name.to_string(),
        action: "skipped",
        ..HookOutcome::default()
    };
    let answer = match name {
        "PostToolUse" => post_tool_use(masker, obj, &mut outcome)?,
        "PreToolUse" => pre_tool_use(masker, obj, opts, &mut outcome)?,
        "UserPromptSubmit" => user_prompt_submit(masker, obj, &mut outcome)?,
        _ => None,
    };
    Ok((answer.map(|v| v.to_string()), outcome))
}

fn str_field<'a>(obj: &'a Map<String, Value>, key: &str) -> Result<&'a str, HookError> {
    obj.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| HookError::Field(format!("missing string field `{key}`")))
}

fn field<'a>(obj: &'a Map<String, Value>, key: &str) -> Result<&'a Value, HookError> {
    obj.get(key)
        .ok_or_else(|| HookError::Field(format!("missing field `{key}`")))
}

/// The result of masking every string in a JSON value.
#[derive(Debug, Default)]
struct Walk {
    counts: BTreeMap<Category, usize>,
    blocked: BTreeMap<Category, usize>,
    changed: bool,
}

/// What became of one string value.
enum Leaf {
    Unchanged,
    Masked(String),
    Blocked,
}

/// Masks one string: each NUL-free segment on its own (the scanner stops at
/// a NUL byte, so nothing after one may go unscanned).
fn mask_leaf(masker: &Masker, s: &str, w: &mut Walk) -> Leaf {
    let mut out = String::new();
    let mut blocked = false;
    for (i, seg) in s.split('\0').enumerate() {
        if i > 0 {
            out.push('\0');
        }
        let findings = masker.scan(seg);
        for f in &findings {
            *w.counts.entry(f.category).or_default() += 1;
            if masker.blocks(f.category) {
                *w.blocked.entry(f.category).or_default() += 1;
                blocked = true;
            }
        }
        if !blocked {
            out.push_str(&render_findings(masker, seg, &findings, None).0);
        }
    }
    if blocked {
        Leaf::Blocked
    } else if out != s {
        Leaf::Masked(out)
    } else {
        Leaf::Unchanged
    }
}

/// Image blocks (`{"type": "image", ...}`) carry base64 data, not text:
/// they are left alone (mask does no OCR).
fn is_image(o: &Map<String, Value>) -> bool {
    o.get("type").and_then(Value::as_str) == Some("image")
}

fn collect(masker: &Masker, v: &Value, w: &mut Walk, leaves: &mut Vec<Leaf>) {
    match v {
        Value::Object(o) if is_image(o) => {}
        Value::String(s) => leaves.push(mask_leaf(masker, s, w)),
        Value::Array(a) => a.iter().for_each(|x| collect(masker, x, w, leaves)),
        Value::Object(o) => o.values().for_each(|x| collect(masker, x, w, leaves)),
        _ => {}
    }
}

fn apply(v: &mut Value, leaves: &mut std::vec::IntoIter<Leaf>, notice: &str) {
    match v {
        Value::Object(o) if is_image(o) => {}
        Value::String(s) => match leaves.next() {
            Some(Leaf::Masked(m)) => *s = m,
            Some(Leaf::Blocked) => *s = notice.to_string(),
            _ => {}
        },
        Value::Array(a) => a.iter_mut().for_each(|x| apply(x, leaves, notice)),
        Value::Object(o) => o.values_mut().for_each(|x| apply(x, leaves, notice)),
        _ => {}
    }
}

/// Masks every string value of `v` (object keys and the shape are kept);
/// strings that hold something the policy blocks become `notice(totals)`.
fn mask_json(masker: &Masker, mut v: Value, notice: impl Fn(&Walk) -> String) -> (Value, Walk) {
    let mut w = Walk::default();
    let mut leaves = Vec::new();
    collect(masker, &v, &mut w, &mut leaves);
    w.changed = leaves.iter().any(|l| !matches!(l, Leaf::Unchanged));
    if w.changed {
        let text = if w.blocked.is_empty() {
            String::new()
        } else {
            notice(&w)
        };
        apply(&mut v, &mut leaves.into_iter(), &text);
    }
    (v, w)
}

/// `phone ×2, my-number ×1` — categories and counts, never values.
pub fn describe(counts: &BTreeMap<Category, usize>) -> String {
    counts
        .iter()
        .map(|(c, n)| format!("{c} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn post_tool_use(
    masker: &Masker,
    obj: &Map<String, Value>,
    out: &mut HookOutcome,
) -> Result<Option<Value>, HookError> {
    let tool = str_field(obj, "tool_name")?;
    out.tool = tool.to_string();
    let response = field(obj, "tool_response")?.clone();
    let (masked, w) = mask_json(masker, response, |w| {
        format!(
            "[mask: this tool output was withheld by policy \"{}\": it contains {}]",
            masker.policy().name,
            describe(&w.blocked)
        )
    });
    out.counts = w.counts.clone();
    out.blocked = w.blocked.clone();
    if !w.changed {
        return Ok(None);
    }
    out.action = if w.blocked.is_empty() {
        "masked"
    } else {
        "blocked"
    };
    let mut hso = json!({
        "hookEventName": "PostToolUse",
        "updatedToolOutput": masked,
    });
    if tool.starts_with("mcp__") {
        // Versions before `updatedToolOutput` existed read this one (MCP only).
        hso["updatedMCPToolOutput"] = hso["updatedToolOutput"].clone();
    }
    Ok(Some(json!({ "hookSpecificOutput": hso })))
}

/// Words in an MCP tool's name that suggest it sends data somewhere.
const SENDING_WORDS: &[&str] = &[
    "send", "post", "create", "reply", "update", "write", "upload", "put", "publish", "comment",
    "share", "submit", "insert", "push", "forward", "notify", "edit", "append", "patch", "add",
    "set", "save", "invite", "draft", "message", "email", "mail", "chat", "upsert", "import",
];

/// Programs whose use in a Bash command sends data over the network.
const NETWORK_PROGRAMS: &[&str] = &[
    "curl",
    "wget",
    "nc",
    "ncat",
    "netcat",
    "socat",
    "scp",
    "sftp",
    "ssh",
    "rsync",
    "ftp",
    "telnet",
    "http",
    "https",
    "xh",
    "httpie",
    "aria2c",
    "lftp",
    "smbclient",
    "mail",
    "sendmail",
    "mutt",
    "Invoke-WebRequest",
    "Invoke-RestMethod",
    "iwr",
    "irm",
];

/// Splits an identifier into lower-case words (`_`, `-`, `.`, camelCase).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// True for tools that send their input out of the machine: MCP tools whose
/// name has a sending word, WebFetch and WebSearch, and Bash commands that
/// run a network client.
pub fn sends_data(tool: &str, input: &Value) -> bool {
    if let Some(rest) = tool.strip_prefix("mcp__") {
        let op = rest.rsplit("__").next().unwrap_or(rest);
        return words(op)
            .iter()
            .any(|w| SENDING_WORDS.iter().any(|s| w.starts_with(s)));
    }
    match tool {
        "WebFetch" | "WebSearch" => true,
        "Bash" => input
            .get("command")
            .and_then(Value::as_str)
            .is_some_and(command_uses_network),
        _ => false,
    }
}

/// True when a shell command runs a network client (or opens /dev/tcp).
pub fn command_uses_network(cmd: &str) -> bool {
    if cmd.contains("/dev/tcp/") || cmd.contains("/dev/udp/") {
        return true;
    }
    cmd.split(|c: char| c.is_whitespace() || "|;&()`$<>{}'\"".contains(c))
        .filter(|t| !t.is_empty())
        .any(|t| {
            let base = t.rsplit(['/', '\\']).next().unwrap_or(t);
            let base = base.strip_suffix(".exe").unwrap_or(base);
            NETWORK_PROGRAMS
                .iter()
                .any(|p| base.eq_ignore_ascii_case(p))
        })
}

fn pre_tool_use(
    masker: &Masker,
    obj: &Map<String, Value>,
    opts: &HookOptions,
    out: &mut HookOutcome,
) -> Result<Option<Value>, HookError> {
    let tool = str_field(obj, "tool_name")?;
    out.tool = tool.to_string();
    let input = field(obj, "tool_input")?.clone();
    if !sends_data(tool, &input) {
        return Ok(None);
    }
    let (masked, w) = mask_json(masker, input, |_| String::new());
    out.counts = w.counts.clone();
    out.blocked = w.blocked.clone();
    if !w.blocked.is_empty() {
        out.action = "blocked";
        return Ok(Some(json!({
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": "deny",
                "permissionDecisionReason": format!(
                    "mask: policy \"{}\" forbids sending this with {tool}: the input contains {}. Remove that data and try again.",
                    masker.policy().name, describe(&w.blocked)
                ),
            }
        })));
    }
    if !w.changed {
        return Ok(None);
    }
    out.action = "masked";
    let decision = match opts.permission {
        Permission::Allow => "allow",
        Permission::Ask => "ask",
    };
    Ok(Some(json!({
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": decision,
            "permissionDecisionReason": format!("mask: personal data masked in the input ({})", describe(&w.counts)),
            "updatedInput": masked,
        }
    })))
}

fn user_prompt_submit(
    masker: &Masker,
    obj: &Map<String, Value>,
    out: &mut HookOutcome,
) -> Result<Option<Value>, HookError> {
    let prompt = str_field(obj, "prompt")?;
    let mut forbidden: BTreeMap<Category, usize> = BTreeMap::new();
    for f in prompt.split('\0').flat_map(|seg| masker.scan(seg)) {
        *out.counts.entry(f.category).or_default() += 1;
        let a = masker.policy().action(f.category);
        if a.rewrites() || masker.blocks(f.category) {
            *forbidden.entry(f.category).or_default() += 1;
        }
        if masker.blocks(f.category) {
            *out.blocked.entry(f.category).or_default() += 1;
        }
    }
    if forbidden.is_empty() {
        return Ok(None);
    }
    out.action = "blocked";
    Ok(Some(json!({
        "decision": "block",
        "reason": format!(
            "mask: this prompt was not sent: it contains {} (policy \"{}\"). Remove or mask that data (for example with `mask`) and send it again.",
            describe(&forbidden), masker.policy().name
        ),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_blocks_are_left_alone_text_blocks_masked() {
        let masker = Masker::builder().threads(1).build().unwrap();
        let v = json!([
            {"type": "image", "source": {"type": "base64", "data": "TEL 090-1234-5678"}},
            {"type": "text", "text": "TEL 090-1234-5678"}
        ]);
        let (out, w) = mask_json(&masker, v, |_| String::new());
        assert_eq!(out[0]["source"]["data"], "TEL 090-1234-5678");
        assert_eq!(out[1]["text"], "TEL ***-****-5678");
        assert_eq!(w.counts.get(&Category::Phone), Some(&1));
    }

    #[test]
    fn nul_bytes_do_not_hide_what_follows() {
        let masker = Masker::builder().threads(1).build().unwrap();
        let (out, _) = mask_json(&masker, json!("a\u{0}TEL 090-1234-5678"), |_| String::new());
        assert_eq!(out, "a\u{0}TEL ***-****-5678");
    }

    #[test]
    fn words_split_identifiers() {
        assert_eq!(words("sendMessage"), ["send", "message"]);
        assert_eq!(words("create_issue"), ["create", "issue"]);
        assert_eq!(words("get-file.contents"), ["get", "file", "contents"]);
    }

    #[test]
    fn sending_tools_are_recognized() {
        let none = Value::Null;
        assert!(sends_data("mcp__slack__send_message", &none));
        assert!(sends_data("mcp__github__createIssue", &none));
        assert!(sends_data("mcp__gmail__reply", &none));
        assert!(!sends_data("mcp__github__get_issue", &none));
        assert!(!sends_data("mcp__fs__read_file", &none));
        assert!(!sends_data("Read", &none));
        assert!(sends_data("WebFetch", &none));
        let bash = |c: &str| json!({ "command": c });
        assert!(sends_data("Bash", &bash("curl -d @- https://x.example")));
        assert!(sends_data("Bash", &bash("cat a | /usr/bin/nc host 80")));
        assert!(sends_data("Bash", &bash("echo hi > /dev/tcp/h/80")));
        assert!(!sends_data("Bash", &bash("cargo test && ls")));
        assert!(!sends_data("Bash", &bash("grep curling notes.txt")));
    }
}
