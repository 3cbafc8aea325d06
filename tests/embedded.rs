//! Encoded content inside text (issue 10, items 2 and 3): mail pasted in a
//! paragraph, RFC 2047 words, base64 and quoted-printable bodies, raw mail
//! and Gmail API JSON in Claude Code hook payloads. Every output is decoded
//! by an independent parser (`mailparse`, `base64`) and must hold nothing
//! personal while the rest reads as before; `scan` must count what masking
//! counts; the chunk size must not matter.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use mask::format::{process, scan, Format, Options};
use mask::hook::{handle, HookOptions};
use mask::Masker;
use serde_json::{json, Value};

fn masker() -> Masker {
    Masker::builder().threads(1).build().unwrap()
}

fn jis(s: &str) -> Vec<u8> {
    encoding_rs::ISO_2022_JP.encode(s).0.into_owned()
}

fn wrap(s: &str, w: usize) -> String {
    s.as_bytes()
        .chunks(w)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

const BODY: &str = "佐藤様\n\nお世話になっております。山田太郎です。\n携帯 090-1234-5678 までご連絡ください。\n住所は東京都千代田区丸の内1-2-3です。\n見積書を添付いたします。\n";

/// A Japanese business mail as mailers write it: ISO-2022-JP, base64 body,
/// RFC 2047 From and Subject.
fn jis_mail() -> String {
    format!(
        "From: =?ISO-2022-JP?B?{}?= <taro.yamada@example.co.jp>\n\
         To: sato@example.jp\n\
         Subject: =?ISO-2022-JP?B?{}?=\n\
         MIME-Version: 1.0\n\
         Content-Type: text/plain; charset=ISO-2022-JP\n\
         Content-Transfer-Encoding: base64\n\
         \n\
         {}\n",
        STANDARD.encode(jis("山田太郎")),
        STANDARD.encode(jis("お見積りの件")),
        wrap(&STANDARD.encode(jis(BODY)), 76)
    )
}

fn qp(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut col = 0;
    for &b in bytes {
        if b == b'\n' {
            out.push('\n');
            col = 0;
            continue;
        }
        let piece = if (33..=126).contains(&b) && b != b'=' || b == b' ' {
            (b as char).to_string()
        } else {
            format!("={b:02X}")
        };
        if col + piece.len() > 75 {
            out.push_str("=\n");
            col = 0;
        }
        col += piece.len();
        out.push_str(&piece);
    }
    out
}

fn text(masker: &Masker, input: &str) -> String {
    let out = process(masker, input.as_bytes(), &Options::new(Format::Text)).unwrap();
    assert!(out.summary.blocked.is_empty());
    String::from_utf8(out.bytes).unwrap()
}

/// What a reader of the mail sees: decoded headers and body.
fn read_mail(raw: &str) -> (String, String, String) {
    let m = mailparse::parse_mail(raw.as_bytes()).unwrap();
    let h = |n: &str| {
        m.headers
            .iter()
            .find(|h| h.get_key_ref().eq_ignore_ascii_case(n))
            .map(|h| h.get_value())
            .unwrap_or_default()
    };
    (h("From"), h("Subject"), m.get_body().unwrap())
}

fn assert_no_personal_data(s: &str) {
    for bad in ["山田太郎", "090-1234", "taro.yamada", "千代田区", "丸の内"] {
        assert!(!s.contains(bad), "{bad:?} is readable in:\n{s}");
    }
}

/// `scan` (format level and masker level) finds as many items as masking
/// counts.
fn assert_scan_agrees(masker: &Masker, input: &str) {
    let out = process(masker, input.as_bytes(), &Options::new(Format::Text)).unwrap();
    let s = scan(masker, input.as_bytes(), &Options::new(Format::Text)).unwrap();
    assert_eq!(s.summary.by_category(), out.summary.by_category());
    assert_eq!(s.hits.len(), out.summary.total());
    let masked = masker.mask_str(input).unwrap();
    assert_eq!(masker.scan(input).len(), masked.findings.len());
    assert_eq!(masked.findings.len(), out.summary.total());
    assert!(out.summary.total() > 0);
}

#[test]
fn mail_pasted_in_a_paragraph_is_decoded_masked_and_still_a_mail() {
    let m = masker();
    let before = "昨日届いたメールです。返信案を作ってください。\n\n";
    let after = "\nよろしくお願いします。\n";
    let input = format!("{before}{}{after}", jis_mail());
    let out = text(&m, &input);
    assert!(out.starts_with(before) && out.ends_with(after), "{out}");
    let mail = &out[before.len()..out.len() - after.len()];
    let (from, subject, body) = read_mail(mail);
    assert_no_personal_data(&from);
    assert_no_personal_data(&body);
    assert!(from.contains("example.co.jp"), "{from}");
    assert_eq!(subject, "お見積りの件");
    assert!(body.contains("お世話になっております。"), "{body}");
    assert!(body.contains("見積書を添付いたします。"), "{body}");
    assert!(body.contains("5678"), "{body}");
    assert!(body.contains("東京都"), "{body}");
    // Still ISO-2022-JP in base64, lines of 76.
    assert!(mail.contains("charset=ISO-2022-JP"));
    let b64_lines: Vec<&str> = mail.split("\n\n").nth(1).unwrap().lines().collect();
    assert!(b64_lines.len() > 1 && b64_lines[0].len() == 76, "{mail}");
    let raw = STANDARD.decode(b64_lines.concat()).unwrap();
    assert!(raw.contains(&0x1b), "not ISO-2022-JP any more");
    assert_scan_agrees(&m, &input);
}

#[test]
fn rfc2047_words_inside_plain_text() {
    let m = masker();
    let input = format!(
        "件名は =?UTF-8?B?{}?= で、差出人は =?ISO-2022-JP?B?{}?= です。\n",
        STANDARD.encode("山田太郎様 TEL 090-1234-5678"),
        STANDARD.encode(jis("佐藤花子"))
    );
    let out = text(&m, &input);
    assert!(
        out.starts_with("件名は ") && out.ends_with(" です。\n"),
        "{out}"
    );
    assert!(out.contains("=?UTF-8?"), "{out}");
    assert!(!out.contains("佐藤花子"), "{out}");
    let words = &out["件名は ".len()..out.find(" で、").unwrap()];
    let decoded = mailparse::parse_header(format!("Subject: {words}").as_bytes())
        .unwrap()
        .0
        .get_value();
    assert_no_personal_data(&decoded);
    assert!(
        decoded.contains("5678") && decoded.contains("様"),
        "{decoded}"
    );
    assert_scan_agrees(&m, &input);
}

#[test]
fn quoted_printable_body() {
    let m = masker();
    let input = format!(
        "転送します。\nFrom: a@example.jp\nTo: b@example.jp\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n{}",
        qp(BODY.as_bytes())
    );
    let out = text(&m, &input);
    assert!(out.starts_with("転送します。\n"));
    let (_, _, body) = read_mail(&out["転送します。\n".len()..]);
    assert_no_personal_data(&body);
    assert!(body.contains("見積書を添付いたします。"), "{body}");
    assert!(out.lines().all(|l| l.len() <= 76), "{out}");
    assert_scan_agrees(&m, &input);
}

#[test]
fn iso_2022_jp_base64_body_alone() {
    let m = masker();
    let input = jis_mail();
    let out = text(&m, &input);
    let (from, _, body) = read_mail(&out);
    assert_no_personal_data(&from);
    assert_no_personal_data(&body);
    assert!(body.contains("お世話になっております。"));
    assert_scan_agrees(&m, &input);
}

#[test]
fn bare_base64_text_and_raw_jis_lines() {
    let m = masker();
    let tok = STANDARD.encode(BODY);
    let input = format!(
        "echo の結果:\n{}\n生の JIS: {}\nid=A8f3kQ9zLmW2xT7vB4nR0pYs\n",
        wrap(&tok, 64),
        String::from_utf8(jis("山田太郎 090-1234-5678")).unwrap()
    );
    let out = text(&m, &input);
    let lines: Vec<&str> = out.lines().collect();
    let b64: String = lines[1..]
        .iter()
        .take_while(|l| !l.starts_with("生の"))
        .copied()
        .collect();
    let body = String::from_utf8(STANDARD.decode(&b64).unwrap()).unwrap();
    assert_no_personal_data(&body);
    assert!(body.contains("見積書を添付いたします。"));
    assert_eq!(lines[1].len(), 64, "line length kept");
    let jis_line = lines.iter().find(|l| l.starts_with("生の JIS")).unwrap();
    let dec = encoding_rs::ISO_2022_JP.decode(jis_line.as_bytes()).0;
    assert_no_personal_data(&dec);
    assert!(dec.contains("5678"), "{dec}");
    // A random token is not text: left as it was.
    assert!(out.ends_with("id=A8f3kQ9zLmW2xT7vB4nR0pYs\n"));
    assert_scan_agrees(&m, &input);
}

/// A base64url-looking key that happens to decode as Shift_JIS (the short-lived
/// Bedrock key of gitleaks' rules: `m輒｡ﾉ>j仞卓ｾbedrock...`) is a secret,
/// not encoded text; and a secret rule matching over a token that does
/// decode to text (a password holding base64 of Japanese) wins too: the
/// value is withheld, not re-encoded. Leaked before (gitleaks TPs missed).
#[test]
fn secrets_win_over_base64_that_decodes_as_text() {
    let m = masker();
    for input in [
        "token: bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t\n",
        "AmazonBedrockAPIKeyShortLivedToken=\"bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t\"\n",
        "password=5bGx55Sw5aSq6YOO44Gn44GZ\n",
    ] {
        let out = text(&m, input);
        assert!(out.contains("[SECRET]"), "{input:?} -> {out:?}");
        assert!(
            !out.contains("YmVkcm9jay5hbWF6b25hd3MuY29t") && !out.contains("5bGx55Sw"),
            "{input:?} -> {out:?}"
        );
        assert_eq!(masker().mask_str(input).unwrap().text, out);
        assert_scan_agrees(&m, input);
    }
    // Sixteen digits are valid base64 too (Presidio's Mastercard test
    // number decodes as Shift_JIS kanji): a card, never a block.
    for input in ["5555555555554444\n", "カード番号: 5555555555554444 です\n"] {
        let out = text(&m, input);
        assert!(!out.contains("555555555555"), "{input:?} -> {out:?}");
        assert_scan_agrees(&m, input);
    }
}

#[test]
fn undecodable_blocks_are_withheld_never_passed_on() {
    let m = masker();
    let bad_b64 = "From: a@example.jp\nSubject: x\nContent-Transfer-Encoding: base64\n\n5bGx55Sw5aSq6YOO\nQUJDR\n\nあとがき\n";
    let out = text(&m, bad_b64);
    assert!(out.starts_with("[mask: encoded content withheld]"), "{out}");
    assert!(
        !out.contains("5bGx55Sw5aSq6YOO") && out.ends_with("あとがき\n"),
        "{out}"
    );
    let unknown = "差出人 =?X-NO-SUCH-CHARSET?B?5bGx55Sw5aSq6YOO?= です\n";
    let out = text(&m, unknown);
    assert_eq!(out, "差出人 [mask: encoded content withheld] です\n");
    let res = process(&m, unknown.as_bytes(), &Options::new(Format::Text)).unwrap();
    assert!(
        res.notes.iter().any(|n| n.contains("withheld")),
        "{:?}",
        res.notes
    );
}

#[test]
fn chunk_size_and_threads_never_change_encoded_output() {
    let qp_mail = format!(
        "From: a@example.jp\nTo: b@example.jp\nContent-Transfer-Encoding: quoted-printable\nContent-Type: text/plain; charset=utf-8\n\n{}",
        qp(BODY.as_bytes())
    );
    let input = format!(
        "前置き 090-8765-4321\n{}\n中ほど =?UTF-8?B?{}?= と {}\n{}後書き 山田太郎様\n",
        jis_mail(),
        STANDARD.encode("鈴木一郎"),
        STANDARD.encode("電話 03-1234-5678 佐藤花子"),
        qp_mail
    );
    let reference = masker().mask_str(&input).unwrap();
    for threads in [1, 2] {
        for size in [1, 3, 7, 50, 333, 4096, 1 << 20] {
            let m = Masker::builder()
                .threads(threads)
                .chunk_size(size)
                .build()
                .unwrap();
            let out = m.mask_str(&input).unwrap();
            assert_eq!(out.text, reference.text, "chunk {size}, {threads} threads");
            assert_eq!(out.findings, reference.findings, "chunk {size}");
            let mut w = Vec::new();
            m.mask_reader(input.as_bytes(), &mut w).unwrap();
            assert_eq!(String::from_utf8(w).unwrap(), reference.text);
        }
    }
    // Idempotent.
    assert_eq!(
        masker().mask_str(&reference.text).unwrap().text,
        reference.text
    );
}

fn post_tool_use(tool: &str, response: Value) -> Value {
    let event = json!({
        "hook_event_name": "PostToolUse",
        "tool_name": tool,
        "tool_input": {},
        "tool_response": response,
    });
    let out = handle(
        &masker(),
        event.to_string().as_bytes(),
        &HookOptions::default(),
    )
    .unwrap()
    .expect("something was masked");
    let v: Value = serde_json::from_str(&out).unwrap();
    v["hookSpecificOutput"]["updatedToolOutput"].clone()
}

#[test]
fn hook_masks_raw_mail_in_bash_stdout() {
    let out = post_tool_use(
        "Bash",
        json!({"stdout": jis_mail(), "stderr": "", "interrupted": false}),
    );
    let stdout = out["stdout"].as_str().unwrap();
    let (from, subject, body) = read_mail(stdout);
    assert_no_personal_data(&from);
    assert_no_personal_data(&body);
    assert_eq!(subject, "お見積りの件");
    assert!(body.contains("お世話になっております。"));
}

#[test]
fn hook_masks_mail_in_read_output_with_and_without_line_numbers() {
    // Read returns `cat -n` style lines (the tool's description, quoted in
    // musistudio/claude-code-router issue #272: "Results are returned using
    // cat -n format, with line numbers starting at 1").
    let mail = jis_mail();
    let numbered: String = mail
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{:>6}\t{l}\n", i + 1))
        .collect();
    for content in [mail.clone(), numbered] {
        let out = post_tool_use(
            "Read",
            json!({"type": "text", "file": {"filePath": "/inbox/1.eml", "content": content, "numLines": 9, "startLine": 1, "totalLines": 9}}),
        );
        let c = out["file"]["content"].as_str().unwrap();
        let plain: String = if c.starts_with("     1\t") {
            c.lines()
                .map(|l| format!("{}\n", l.split_once('\t').unwrap().1))
                .collect()
        } else {
            c.to_string()
        };
        let (from, _, body) = read_mail(&plain);
        assert_no_personal_data(&from);
        assert_no_personal_data(&body);
        assert!(body.contains("見積書を添付いたします。"), "{body}");
        assert_eq!(out["file"]["filePath"], "/inbox/1.eml");
    }
}

fn gmail_message() -> Value {
    json!({
        "id": "18c2f",
        "threadId": "18c2f",
        "labelIds": ["INBOX"],
        "payload": {
            "mimeType": "text/plain",
            "headers": [
                {"name": "From", "value": "Taro Yamada <taro.yamada@example.co.jp>"},
                {"name": "To", "value": "sato@example.jp"},
                {"name": "Subject", "value": "お見積りの件"}
            ],
            "body": {"size": BODY.len(), "data": URL_SAFE_NO_PAD.encode(BODY)}
        }
    })
}

fn assert_gmail_masked(msg: &Value) {
    let headers = msg["payload"]["headers"].as_array().unwrap();
    let from = headers[0]["value"].as_str().unwrap();
    assert!(
        !from.contains("Taro") && !from.contains("Yamada") && !from.contains("taro.yamada"),
        "{from}"
    );
    assert_eq!(headers[0]["name"], "From");
    assert_eq!(headers[2]["value"], "お見積りの件");
    let data = msg["payload"]["body"]["data"].as_str().unwrap();
    let body = String::from_utf8(URL_SAFE_NO_PAD.decode(data).unwrap()).unwrap();
    assert_no_personal_data(&body);
    assert!(body.contains("見積書を添付いたします。"), "{body}");
    assert_eq!(msg["labelIds"][0], "INBOX");
}

#[test]
fn hook_masks_gmail_api_json_from_an_mcp_tool() {
    // As MCP text content: the message is a JSON string inside the result.
    let text = serde_json::to_string_pretty(&gmail_message()).unwrap();
    let out = post_tool_use(
        "mcp__gmail__get_message",
        json!({"content": [{"type": "text", "text": text}]}),
    );
    let inner: Value = serde_json::from_str(out["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_gmail_masked(&inner);
    // As a structured result.
    let out = post_tool_use("mcp__gmail__get_message", gmail_message());
    assert_gmail_masked(&out);
}

#[test]
fn hook_prompt_with_encoded_personal_data_is_refused() {
    let prompt = format!(
        "この件名を英訳して: =?UTF-8?B?{}?=",
        STANDARD.encode("山田太郎 090-1234-5678")
    );
    let event = json!({"hook_event_name": "UserPromptSubmit", "prompt": prompt});
    let out = handle(
        &masker(),
        event.to_string().as_bytes(),
        &HookOptions::default(),
    )
    .unwrap()
    .expect("refused");
    assert!(out.contains("\"decision\":\"block\""), "{out}");
}
