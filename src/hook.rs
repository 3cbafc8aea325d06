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
/// a NUL byte, so nothing after one may go unscanned), each as
/// [`mask_payload`] says.
fn mask_leaf(masker: &Masker, s: &str, w: &mut Walk) -> Leaf {
    let mut out = String::new();
    let mut blocked = false;
    for (i, seg) in s.split('\0').enumerate() {
        if i > 0 {
            out.push('\0');
        }
        match mask_payload(masker, seg) {
            Ok(p) => {
                for (c, n) in &p.counts {
                    *w.counts.entry(*c).or_default() += n;
                }
                for (c, n) in &p.blocked {
                    *w.blocked.entry(*c).or_default() += n;
                    blocked = true;
                }
                out.push_str(&p.text);
            }
            // Fail closed: what cannot be masked is not passed on.
            Err(_) => {
                blocked = true;
                *w.blocked.entry(Category::Secret).or_default() += 1;
            }
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

/// One payload masked: text, counts, blocked categories.
struct Payload {
    text: String,
    counts: BTreeMap<Category, usize>,
    blocked: BTreeMap<Category, usize>,
}

/// Masks one string of a hook payload by what it is: JSON (an MCP text
/// block holding JSON, a JSON API fetched) as JSON; a mail message as
/// e-mail; output of Claude Code's Read tool (`     1\t` line numbers) with
/// its numbers set aside; anything else — or what does not parse — as text,
/// where encoded content (mail, encoded words, base64 text) is decoded and
/// masked too ([`crate::format::embedded`]).
fn mask_payload(masker: &Masker, s: &str) -> Result<Payload, Error> {
    use crate::format::{email, process, Format, Options};
    if let Some(p) = mask_numbered(masker, s)? {
        return Ok(p);
    }
    let t = s.trim_start();
    let mut tries = Vec::new();
    if t.starts_with('{') || t.starts_with('[') {
        tries.push(Format::Json);
    }
    if email::looks_like_message(s.as_bytes()) {
        tries.push(Format::Eml);
    }
    tries.push(Format::Text);
    let mut last = None;
    for f in tries {
        match process(masker, s.as_bytes(), &Options::new(f)) {
            Ok(out) => {
                let counts: BTreeMap<Category, usize> =
                    out.summary.by_category().into_iter().collect();
                let blocked: BTreeMap<Category, usize> =
                    out.summary.blocked.iter().copied().collect();
                let text = if blocked.is_empty() {
                    String::from_utf8(out.bytes).map_err(|_| Error::InvalidUtf8 { offset: 0 })?
                } else {
                    String::new()
                };
                return Ok(Payload {
                    text,
                    counts,
                    blocked,
                });
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or(Error::InvalidUtf8 { offset: 0 }))
}

/// Read tool output (`cat -n` style: spaces, a line number, a tab, on every
/// line): the numbers are set aside, the content masked as
/// [`mask_payload`] says, the numbers put back (lines the masking added
/// are numbered on). `None` for other strings.
fn mask_numbered(masker: &Masker, s: &str) -> Result<Option<Payload>, Error> {
    let lines: Vec<&str> = s.split_inclusive('\n').collect();
    let mut first = None;
    let mut content = String::with_capacity(s.len());
    for l in &lines {
        let t = l.trim_start_matches(' ');
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || t.as_bytes().get(digits) != Some(&b'\t') {
            return Ok(None);
        }
        if first.is_none() {
            first = t[..digits].parse::<u64>().ok();
        }
        content.push_str(&t[digits + 1..]);
    }
    let (Some(first), true) = (first, lines.len() >= 2) else {
        return Ok(None);
    };
    let mut p = mask_payload(masker, &content)?;
    if p.text == content {
        p.text = s.to_string();
        return Ok(Some(p));
    }
    let mut out = String::with_capacity(p.text.len() + lines.len() * 8);
    for (i, l) in p.text.split_inclusive('\n').enumerate() {
        out.push_str(&format!("{:>6}\t{l}", first + i as u64));
    }
    p.text = out;
    Ok(Some(p))
}

/// Image blocks (`{"type": "image", ...}`) carry base64 data, not text:
/// they are left alone (mask does no OCR).
fn is_image(o: &Map<String, Value>) -> bool {
    o.get("type").and_then(Value::as_str) == Some("image")
}

/// A Gmail API header object (`{"name": "From", "value": "..."}`): masked
/// as a whole, as JSON, so its value is masked as that mail header.
fn is_header_object(o: &Map<String, Value>) -> bool {
    o.len() == 2
        && o.get("value").is_some_and(Value::is_string)
        && o.get("name")
            .and_then(Value::as_str)
            .is_some_and(crate::format::email::is_header_name)
}

fn collect(masker: &Masker, v: &Value, w: &mut Walk, leaves: &mut Vec<Leaf>) {
    match v {
        Value::Object(o) if is_image(o) => {}
        Value::Object(o) if is_header_object(o) => {
            let json = Value::Object(o.clone()).to_string();
            leaves.push(match mask_leaf(masker, &json, w) {
                Leaf::Masked(m) if serde_json::from_str::<Value>(&m).is_ok() => Leaf::Masked(m),
                Leaf::Unchanged => Leaf::Unchanged,
                _ => Leaf::Blocked,
            });
        }
        Value::String(s) => leaves.push(mask_leaf(masker, s, w)),
        Value::Array(a) => a.iter().for_each(|x| collect(masker, x, w, leaves)),
        Value::Object(o) => o.values().for_each(|x| collect(masker, x, w, leaves)),
        _ => {}
    }
}

fn apply(v: &mut Value, leaves: &mut std::vec::IntoIter<Leaf>, notice: &str) {
    match v {
        Value::Object(o) if is_image(o) => {}
        Value::Object(o) if is_header_object(o) => match leaves.next() {
            Some(Leaf::Masked(m)) => {
                if let Ok(new) = serde_json::from_str::<Value>(&m) {
                    *v = new;
                }
            }
            Some(Leaf::Blocked) => *v = Value::String(notice.to_string()),
            _ => {}
        },
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
