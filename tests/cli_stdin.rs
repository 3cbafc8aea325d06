//! Standard input is read as files are: its format is sniffed (mail
//! headers → eml, a `From ` line → mbox, JSON, JSONL, CSV/TSV) unless
//! `--format` says otherwise, and masking, `scan`, `review` and `diff`
//! choose the same format for the same bytes.
//!
//! Masked mail is decoded here with an independent parser (the `mailparse`
//! crate): nothing personal may be readable in the decoded headers and
//! bodies, and the business sentences must come back intact.

mod common;

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::{assert_success, mask};
use encoding_rs::ISO_2022_JP;
use mailparse::MailHeaderMap;

/// An RFC 2047 B-encoded word in ISO-2022-JP.
fn jis_word(s: &str) -> String {
    let (b, _, bad) = ISO_2022_JP.encode(s);
    assert!(!bad);
    format!("=?ISO-2022-JP?B?{}?=", STANDARD.encode(&b))
}

/// Base64 in lines of 76, as mailers write it.
fn base64_lines(bytes: &[u8]) -> String {
    let b64 = STANDARD.encode(bytes);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    lines.join("\r\n")
}

const SENTENCES: [&str; 3] = [
    "いつもお世話になっております。",
    "先日ご依頼いただいたお見積りの件、添付の通りご確認ください。",
    "ご不明な点がございましたら、下記までご連絡ください。",
];

/// Personal values of the mail: none may survive, decoded or not.
const PERSONAL: [&str; 8] = [
    "山田",
    "太郎",
    "yamada",
    "090-1234",
    "1234-5678",
    "渋谷区",
    "神宮前",
    "150-0001",
];

fn business_body() -> String {
    format!(
        "株式会社サンプル\r\n佐藤様\r\n\r\n{}\r\n{}\r\n{}\r\n\r\n\
         --\r\n山田 太郎\r\n携帯: 090-1234-5678\r\n住所: 〒150-0001 東京都渋谷区神宮前1-2-3\r\n",
        SENTENCES[0], SENTENCES[1], SENTENCES[2]
    )
}

/// An ordinary Japanese business mail: ISO-2022-JP, base64 body, RFC 2047
/// `From:` and `Subject:` with the sender's name.
fn jis_mail() -> Vec<u8> {
    let text = business_body();
    let (body, _, bad) = ISO_2022_JP.encode(&text);
    assert!(!bad);
    format!(
        "Return-Path: <t.yamada@example.co.jp>\r\n\
         From: {} <t.yamada@example.co.jp>\r\n\
         To: sato@example.jp\r\n\
         Subject: {}\r\n\
         Date: Mon, 1 Jul 2024 10:00:00 +0900\r\n\
         Message-ID: <20240701100000.1234@example.co.jp>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=ISO-2022-JP\r\n\
         Content-Transfer-Encoding: base64\r\n\
         \r\n\
         {}\r\n",
        jis_word("山田 太郎"),
        jis_word("お見積りの件（山田太郎）"),
        base64_lines(&body)
    )
    .into_bytes()
}

/// Everything readable in a parsed message: decoded headers and bodies.
fn readable(m: &mailparse::ParsedMail) -> String {
    let mut s = String::new();
    for h in &m.headers {
        s.push_str(&h.get_key());
        s.push_str(": ");
        s.push_str(&h.get_value());
        s.push('\n');
    }
    if m.subparts.is_empty() {
        s.push_str(&m.get_body().expect("a decodable body"));
    }
    for p in &m.subparts {
        s.push_str(&readable(p));
    }
    s
}

fn assert_masked_mail(raw: &[u8]) {
    let m = mailparse::parse_mail(raw).expect("the output still parses as a mail");
    let text = readable(&m);
    for p in PERSONAL {
        assert!(
            !text.contains(p),
            "{p:?} readable in the masked mail:\n{text}"
        );
    }
    for s in SENTENCES {
        assert!(text.contains(s), "{s:?} lost:\n{text}");
    }
    let subject = m.headers.get_first_value("Subject").unwrap();
    assert!(subject.contains("お見積りの件"), "{subject}");
    assert!(text.contains("東京都"), "the prefecture is kept: {text}");
    assert!(text.contains("5678"), "the last 4 digits are kept: {text}");
}

#[test]
fn stdin_mail_is_masked_as_mail() {
    let mail = jis_mail();
    let o = mask(&["-q"], &mail);
    assert_success(&o);
    assert_masked_mail(&o.stdout);
}

#[test]
fn stdin_mbox_masks_every_message() {
    let utf8_body = format!("{}\r\n山田 太郎\r\n携帯 090-1234-5678\r\n", SENTENCES[0]);
    let mbox = format!(
        "From t.yamada@example.co.jp Mon Jul  1 10:00:00 2024\n{}\
         From sato@example.jp Mon Jul  1 11:00:00 2024\n\
         From: =?UTF-8?B?{}?= <t.yamada@example.co.jp>\n\
         Subject: =?UTF-8?B?{}?=\n\
         MIME-Version: 1.0\n\
         Content-Type: text/plain; charset=UTF-8\n\
         Content-Transfer-Encoding: base64\n\
         \n{}\n",
        String::from_utf8(jis_mail()).unwrap().replace("\r\n", "\n"),
        STANDARD.encode("山田 太郎"),
        STANDARD.encode("Re: お見積りの件（山田太郎）"),
        STANDARD.encode(utf8_body),
    );
    let o = mask(&["-q"], mbox.as_bytes());
    assert_success(&o);
    let out = String::from_utf8(o.stdout).unwrap();
    let messages: Vec<&str> = out
        .split("\nFrom ")
        .map(|m| m.split_once('\n').unwrap().1)
        .collect();
    assert_eq!(messages.len(), 2, "{out}");
    assert_masked_mail(messages[0].as_bytes());
    let second = readable(&mailparse::parse_mail(messages[1].as_bytes()).unwrap());
    for p in PERSONAL {
        assert!(!second.contains(p), "{p:?} readable:\n{second}");
    }
    assert!(second.contains(SENTENCES[0]), "{second}");
    assert!(second.contains("お見積りの件"), "{second}");
}

/// A name written with JSON escapes: only a JSON reader sees it.
const JSON: &str = r#"{"order":"A-1001","customer":{"real_name":"\u5c71\u7530 \u592a\u90ce","tel":"090\u002d1234\u002d5678"},"note":"\u914d\u9001\u306f\u5348\u524d\u4e2d\u5e0c\u671b"}"#;

#[test]
fn stdin_json_and_jsonl_are_masked_as_json() {
    for input in [format!("{JSON}\n"), format!("{JSON}\n{JSON}\n")] {
        let o = mask(&["-q"], input.as_bytes());
        assert_success(&o);
        let out = String::from_utf8(o.stdout).unwrap();
        let docs: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).expect("still JSON"))
            .collect();
        assert_eq!(docs.len(), input.lines().count());
        for d in docs {
            let name = d["customer"]["real_name"].as_str().unwrap();
            assert!(!name.contains('山') && !name.contains('太'), "{name}");
            let tel = d["customer"]["tel"].as_str().unwrap();
            assert!(!tel.contains("090-1234"), "{tel}");
            assert_eq!(d["note"], "配送は午前中希望");
            assert_eq!(d["order"], "A-1001");
        }
    }
}

const CSV: &str = "氏名,フリガナ,生年月日,電話番号,住所,備考\r\n\
山田 太郎,ヤマダ タロウ,1985/04/12,090-1234-5678,東京都渋谷区神宮前1-2-3,午前中配達\r\n\
鈴木 花子,スズキ ハナコ,1990/11/03,080-2222-3333,大阪府大阪市北区梅田1-1,置き配可\r\n";

#[test]
fn stdin_csv_is_masked_by_column() {
    let o = mask(&["-q"], CSV.as_bytes());
    assert_success(&o);
    let mut r = csv::Reader::from_reader(&o.stdout[..]);
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    // Only a CSV reader knows that a date is a date of birth.
    for row in &rows {
        assert!(!row[2].chars().any(|c| c.is_ascii_digit()), "{row:?}");
        assert!(row[3].starts_with("***-****-"), "{:?}", &row[3]);
        assert!(
            !row[4].contains("渋谷") && !row[4].contains("梅田"),
            "{row:?}"
        );
    }
    assert_eq!(&rows[0][0], "Y.T.");
    assert_eq!(&rows[1][0], "S.H.");
    assert_eq!(&rows[0][5], "午前中配達");
    assert_eq!(&rows[1][5], "置き配可");
}

#[test]
fn format_text_forces_text() {
    let mail = jis_mail();
    let forced = mask(&["-q", "--format", "text"], &mail);
    assert_success(&forced);
    // The same bytes in a `.log` file, which is text by its name.
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("mail.log");
    std::fs::write(&p, &mail).unwrap();
    let as_file = mask(&["-q", p.to_str().unwrap()], b"");
    assert_success(&as_file);
    assert_eq!(forced.stdout, as_file.stdout);
    // Text mode still decodes the mail it holds (encoded content is text):
    // forcing text never lets the encoded body through.
    let parsed = mailparse::parse_mail(&forced.stdout).expect("still a mail");
    let seen = readable(&parsed);
    assert!(!seen.contains("山田") && !seen.contains("太郎"), "{seen}");
}

/// Text that starts like a mail: masked either way (as a mail when it
/// parses as one, else as text with a note), never an error, nothing
/// personal left, the rest intact.
#[test]
fn text_that_only_looks_like_a_mail_is_still_masked() {
    let logs = [
        // Parses as a mail with 8-bit headers.
        "From: 山田太郎\nSubject: 明日の打ち合わせ\n\n山田太郎です。携帯 090-1234-5678 にお電話ください。\n",
        // Says base64 and is not: does not parse, masked as text.
        "Subject: 明日の打ち合わせ\nContent-Transfer-Encoding: base64\n\n山田太郎です。携帯 090-1234-5678 にお電話ください。\n",
    ];
    for log in logs {
        let o = mask(&["-q"], log.as_bytes());
        assert_success(&o);
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(!out.contains("1234-5678") && !out.contains("山田"), "{out}");
        assert!(
            out.contains("明日の打ち合わせ") && out.contains("にお電話ください。"),
            "{out}"
        );
    }
    let o = mask(&[], logs[1].as_bytes());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("looked like eml") && err.contains("masked as text"),
        "{err}"
    );
}

/// Categories and counts of `mask scan --json` on standard input.
fn scan_counts(args: &[&str], input: &[u8]) -> BTreeMap<String, usize> {
    let mut a = vec!["scan", "-q", "--json"];
    a.extend_from_slice(args);
    let o = mask(&a, input);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut m = BTreeMap::new();
    for l in String::from_utf8(o.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        *m.entry(v["category"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    m
}

/// Categories and counts of the masking report for standard input.
fn mask_counts(args: &[&str], input: &[u8]) -> BTreeMap<String, usize> {
    let d = tempfile::tempdir().unwrap();
    let r = d.path().join("r.json");
    let mut a = vec!["-q", "--report", r.to_str().unwrap()];
    a.extend_from_slice(args);
    assert_success(&mask(&a, input));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&r).unwrap()).unwrap();
    v["inputs"][0]["by_category"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, n)| (k.clone(), n.as_u64().unwrap() as usize))
        .collect()
}

fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("eml", jis_mail()),
        ("json", format!("{JSON}\n").into_bytes()),
        ("jsonl", format!("{JSON}\n{JSON}\n").into_bytes()),
        ("csv", CSV.as_bytes().to_vec()),
        (
            "text",
            "山田太郎様\n携帯 090-1234-5678 までご連絡ください。\n"
                .as_bytes()
                .to_vec(),
        ),
    ]
}

#[test]
fn scan_on_stdin_agrees_with_masking() {
    for (what, input) in inputs() {
        let scanned = scan_counts(&[], &input);
        assert!(!scanned.is_empty(), "{what}: nothing found");
        assert_eq!(scanned, mask_counts(&[], &input), "{what}");
        let forced = ["--format", "text"];
        assert_eq!(
            scan_counts(&forced, &input),
            mask_counts(&forced, &input),
            "{what} as text"
        );
    }
    // Sniffed as a mail, the encoded name and phone are found.
    let mail = scan_counts(&[], &jis_mail());
    assert!(
        mail.contains_key("name") && mail.contains_key("phone"),
        "{mail:?}"
    );
}

/// The masked text a `diff` shows: every `[-old-]{+new+}` replaced by new.
fn masked_side(diff: &str) -> String {
    let mut out = String::new();
    let mut rest = diff;
    while let Some(i) = rest.find("[-") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let j = after.find("-]{+").expect("a replacement");
        let new = &after[j + 4..];
        let k = new.find("+}").expect("its end");
        out.push_str(&new[..k]);
        rest = &new[k + 2..];
    }
    out.push_str(rest);
    out
}

#[test]
fn review_and_diff_on_stdin_show_what_masking_writes() {
    for (what, input) in inputs() {
        let masked = mask(&["-q"], &input);
        assert_success(&masked);
        let masked = String::from_utf8(masked.stdout).unwrap();
        let d = mask(&["diff", "-q", "--color", "never"], &input);
        assert_success(&d);
        let diff = String::from_utf8(d.stdout).unwrap();
        assert_eq!(masked_side(&diff), masked, "{what}: {diff}");
        let r = mask(&["review", "-q"], &input);
        assert_success(&r);
        let html = String::from_utf8(r.stdout).unwrap();
        let n: usize = scan_counts(&[], &input).values().sum();
        assert!(
            html.contains(&format!("; {n} finding(s)</p>")),
            "{what}: {n} findings"
        );
    }
    // Forced to text, diff shows text masking.
    let mail = jis_mail();
    let forced = mask(&["-q", "--format", "text"], &mail);
    let d = mask(
        &["diff", "-q", "--color", "never", "--format", "text"],
        &mail,
    );
    assert_success(&d);
    assert_eq!(
        masked_side(&String::from_utf8(d.stdout).unwrap()),
        String::from_utf8(forced.stdout).unwrap()
    );
}

/// `--vault` masks plain text only: a mail on standard input is refused
/// (exit 2, nothing written), not masked as text with its base64 body
/// passing through; `--format text` says to mask it as text anyway.
#[test]
fn vault_refuses_a_mail_instead_of_masking_it_as_text() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let d = tempfile::tempdir().unwrap();
    let vault = d.path().join("v.vault");
    let run = |extra: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mask"))
            .args(["-q", "--vault", vault.to_str().unwrap()])
            .args(extra)
            .env("MASK_VAULT_KEY", "00".repeat(32))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let _ = child.stdin.take().unwrap().write_all(&jis_mail());
        child.wait_with_output().unwrap()
    };
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("plain text only") && err.contains("eml"),
        "{err}"
    );
    assert_success(&run(&["--format", "text"]));
}

/// The sender's surname alone, where no detector sees a name by itself:
/// in the Subject and in an HTML part (both read it as the From name's
/// form). Left readable before (`お見積りの件（山田）`).
#[test]
fn sender_surname_alone_in_subject_and_html_part_is_masked() {
    let html = "<html><body><p>佐藤様</p><p>詳細は山田から改めてご連絡します。</p>\
                <p>&#x5C71;田より</p></body></html>";
    let mail = format!(
        "From: {} <taro.yamada@example.co.jp>\r\n\
         To: sato@example.jp\r\n\
         Subject: {}\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/alternative; boundary=\"b1\"\r\n\
         \r\n\
         --b1\r\n\
         Content-Type: text/html; charset=UTF-8\r\n\
         Content-Transfer-Encoding: base64\r\n\
         \r\n\
         {}\r\n\
         --b1--\r\n",
        jis_word("山田 太郎"),
        jis_word("お見積りの件（山田）"),
        base64_lines(html.as_bytes())
    );
    let o = mask(&["-q"], mail.as_bytes());
    assert_success(&o);
    let parsed = mailparse::parse_mail(&o.stdout).expect("still a mail");
    let seen = readable(&parsed);
    assert!(!seen.contains("山田") && !seen.contains("太郎"), "{seen}");
    assert!(!seen.contains("&#x5C71;田"), "{seen}");
    assert!(seen.contains("お見積りの件（Y.）"), "{seen}");
    assert!(seen.contains("詳細はY.から改めてご連絡します。"), "{seen}");
    assert!(
        seen.contains("<p>佐藤様</p>") || seen.contains("<p>S.様</p>"),
        "{seen}"
    );
}
