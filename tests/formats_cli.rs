//! End-to-end tests of structured inputs through the `mask` binary: a
//! Shift_JIS EC order CSV, an ISO-2022-JP e-mail with encoded words and a
//! base64 body, a Slack-style JSONL, a Gmail API message, a multipart HTML
//! mail with an attachment, an mbox, and -r batches. Each checks that the
//! output parses in the same format with the same shape, that fields the
//! policy leaves alone are identical, and that no personal value survives
//! in any encoding.

mod common;

use common::mask;
use std::fs;
use std::path::Path;

use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine;
use encoding_rs::{ISO_2022_JP, SHIFT_JIS};

fn sjis(s: &str) -> Vec<u8> {
    let (b, _, bad) = SHIFT_JIS.encode(s);
    assert!(!bad);
    b.into_owned()
}

const ORDER_CSV: &str = "注文番号,注文日時,注文者名字,注文者名前,注文者名字フリガナ,注文者名前フリガナ,メールアドレス,注文者郵便番号1,注文者郵便番号2,注文者住所：都道府県,注文者住所：都市区,注文者住所：町以降,注文者電話番号1,送付先名字,送付先名前,送付先住所：都道府県,送付先住所：町以降,商品名,備考\r\n\
\"123456-20240101-0001\",\"2024-01-01 10:00:00\",\"山田\",\"太郎\",\"ヤマダ\",\"タロウ\",\"taro.yamada@example.co.jp\",\"150\",\"0001\",\"東京都\",\"渋谷区\",\"神宮前1-2-3\",\"090-1234-5678\",\"鈴木\",\"花子\",\"大阪府\",\"北区梅田1-1\",\"りんご 5kg, 青森産\",\"不在時は 03-1111-2222 へ\r\n（要連絡）\"\r\n\
\"123456-20240101-0002\",\"2024-01-01 11:00:00\",\"佐藤\",\"次郎\",\"サトウ\",\"ジロウ\",\"jiro@example.jp\",\"060\",\"0001\",\"北海道\",\"札幌市\",\"中央区1-1\",\"011-222-3333\",\"佐藤\",\"次郎\",\"北海道\",\"中央区1-1\",\"みかん\",\"\"\r\n";

#[test]
fn shift_jis_rakuten_order_csv_end_to_end() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("orders.csv");
    fs::write(&input, sjis(ORDER_CSV)).unwrap();
    let o = mask(&["-q", input.to_str().unwrap()], b"");
    common::assert_success(&o);
    let (text, _, bad) = SHIFT_JIS.decode(&o.stdout);
    assert!(!bad, "output is Shift_JIS");
    assert!(text.contains("\r\n"));
    for leak in [
        "山田",
        "太郎",
        "ヤマダ",
        "taro.yamada",
        "1234-5678",
        "神宮前",
        "鈴木",
        "梅田",
        "1111-2222",
    ] {
        assert!(!text.contains(leak), "{leak} leaked: {text}");
    }
    let rows = |t: &str| -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(t.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    };
    let (a, b) = (rows(ORDER_CSV), rows(&text));
    assert_eq!(a.len(), b.len());
    assert_eq!(a[0], b[0], "header row unchanged");
    for (ra, rb) in a.iter().zip(&b).skip(1) {
        assert_eq!(ra.len(), rb.len());
        for c in [0, 1, 9, 15, 17] {
            assert_eq!(ra[c], rb[c], "column {c} is left alone");
        }
    }
    assert_eq!(b[1][2], "Y.");
    assert_eq!(b[1][3], "T.");
    assert_eq!(b[1][10], "", "address with a prefecture column: removed");
    assert_eq!(b[1][12], "***-****-5678");
    assert_eq!(b[2][4], "S.");
    assert_eq!(b[2][5], "J.");
    // Untouched cells keep their quotes: the order number field is byte-identical.
    assert!(text.contains("\"123456-20240101-0001\",\"2024-01-01 10:00:00\",\"Y.\""));
}

#[test]
fn strict_roster_guard_blocks_long_customer_lists() {
    let mut csv = String::from("氏名,電話番号\n");
    for i in 0..25 {
        csv.push_str(&format!("顧客{i} 様,03-0000-{i:04}\n"));
    }
    let o = mask(&["-p", "strict", "--format", "csv"], csv.as_bytes());
    assert_eq!(o.status.code(), Some(3));
    assert!(o.stdout.is_empty());
    let o = mask(&["--format", "csv"], csv.as_bytes());
    assert_eq!(o.status.code(), Some(0));
    let o2 = mask(&["--format", "csv"], csv.repeat(5).as_bytes());
    assert_eq!(o2.status.code(), Some(0));
}

#[test]
fn shift_jis_plain_text_stays_shift_jis() {
    let input = sjis("山田様、電話は090-1234-5678です。\n");
    let o = mask(&["-q"], &input);
    assert_eq!(o.status.code(), Some(0));
    // Names are detected too (issue 3): 山田 becomes its initial.
    assert_eq!(o.stdout, sjis("Y.様、電話は***-****-5678です。\n"));
    let o = mask(&["-q", "--output-encoding", "utf-8"], &input);
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "Y.様、電話は***-****-5678です。\n"
    );
}

#[test]
fn unmappable_output_character_is_an_error() {
    let o = mask(
        &["-q", "--output-encoding", "shift_jis"],
        "絵文字😀 090-1234-5678\n".as_bytes(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("U+1F600"));
}

#[test]
fn undecidable_bytes_exit_2_and_write_nothing() {
    let o = mask(&["-q"], b"abc\xff\xfe\x80\x80\xff");
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
}

fn jis_word(s: &str) -> String {
    let (b, _, _) = ISO_2022_JP.encode(s);
    format!("=?ISO-2022-JP?B?{}?=", STANDARD.encode(&b))
}

fn decode_words(v: &str) -> String {
    // Minimal B-word decoder for the checks.
    let mut out = String::new();
    let mut rest = v;
    while let Some(p) = rest.find("=?") {
        out.push_str(&rest[..p]);
        let w = &rest[p + 2..];
        let parts: Vec<&str> = w.splitn(3, '?').collect();
        let end = parts[2].find("?=").unwrap();
        let bytes = STANDARD.decode(&parts[2][..end]).unwrap();
        let enc = encoding_rs::Encoding::for_label(parts[0].as_bytes()).unwrap();
        out.push_str(&enc.decode(&bytes).0);
        rest = &parts[2][end + 2..];
    }
    out.push_str(rest);
    out
}

#[test]
fn iso_2022_jp_mail_with_encoded_words_and_base64_body() {
    let body = "山田様\r\nお電話 090-1234-5678 またはメール taro.yamada@example.co.jp まで。\r\n";
    let (jb, _, _) = ISO_2022_JP.encode(body);
    let b64 = STANDARD.encode(&jb);
    let msg = format!(
        "From: {} <taro.yamada@example.co.jp>\r\nTo: hanako@example.jp\r\nSubject: {}\r\nMessage-ID: <abc@example.co.jp>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        jis_word("山田 太郎"),
        jis_word("携帯 090-1234-5678 の件"),
        b64
    );
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("m.eml");
    fs::write(&p, &msg).unwrap();
    let o = mask(&["-q", p.to_str().unwrap()], b"");
    common::assert_success(&o);
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.is_ascii(), "still a 7-bit message");
    assert!(!out.contains(&b64), "the base64 body was re-encoded");
    assert!(out.contains("Message-ID: <abc@example.co.jp>\r\n"));
    let (head, body_b64) = out.split_once("\r\n\r\n").unwrap();
    let unfolded = head.replace("\r\n ", " ");
    let decoded_head = decode_words(&unfolded);
    assert!(!decoded_head.contains("山田"), "{decoded_head}");
    assert!(!decoded_head.contains("taro.yamada"), "{decoded_head}");
    assert!(decoded_head.contains("***-****-5678"), "{decoded_head}");
    assert!(
        unfolded.contains("=?ISO-2022-JP?B?"),
        "header charset kept: {unfolded}"
    );
    let raw = STANDARD
        .decode(body_b64.split_whitespace().collect::<String>())
        .unwrap();
    let (text, _, bad) = ISO_2022_JP.decode(&raw);
    assert!(!bad);
    assert_eq!(
        text,
        "Y.様\r\nお電話 ***-****-5678 またはメール *******mada@example.co.jp まで。\r\n"
    );
}

const MULTIPART: &str = "From: Taro Yamada <taro.yamada@example.co.jp>\r\n\
To: shop@example.jp\r\n\
Subject: order\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"OUTER\"\r\n\
\r\n\
preamble\r\n\
--OUTER\r\n\
Content-Type: multipart/alternative; boundary=\"INNER\"\r\n\
\r\n\
--INNER\r\n\
Content-Type: text/plain; charset=UTF-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
=E9=9B=BB=E8=A9=B1 090-1234-5678\r\n\
--INNER\r\n\
Content-Type: text/html; charset=UTF-8\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
HTMLB64\r\n\
--INNER--\r\n\
--OUTER\r\n\
Content-Type: application/pdf; name=\"invoice.pdf\"\r\n\
Content-Disposition: attachment; filename=\"invoice.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQKJcfsj6IKdGFyby55YW1hZGFAZXhhbXBsZS5jby5qcA==\r\n\
--OUTER--\r\n\
epilogue\r\n";

#[test]
fn multipart_html_mail_masks_both_alternatives_and_drops_attachments() {
    let html = STANDARD.encode(
        "<p>メール: <a href=\"mailto:taro.yamada@example.co.jp\">taro.yamada@example.co.jp</a></p>",
    );
    let msg = MULTIPART.replace("HTMLB64", &html);
    let o = mask(&["-q", "--format", "eml"], msg.as_bytes());
    common::assert_success(&o);
    let out = String::from_utf8(o.stdout).unwrap();
    for kept in [
        "--OUTER\r\n",
        "--INNER\r\n",
        "--INNER--\r\n",
        "--OUTER--\r\nepilogue\r\n",
        "preamble\r\n",
        "filename=\"invoice.pdf\"",
    ] {
        assert!(out.contains(kept), "{kept} kept: {out}");
    }
    assert!(!out.contains("taro.yamada"), "{out}");
    assert!(!out.contains("Taro Yamada"), "{out}");
    assert!(!out.contains("JVBERi0x"), "attachment gone: {out}");
    assert!(out.contains("attachment removed"));
    assert!(!out.contains("090-1234-5678"));
    assert!(out.contains("=E9=9B=BB=E8=A9=B1 ***-****-5678"), "{out}");
    // The HTML part is still base64 and decodes to masked HTML.
    let start = out.find("Content-Type: text/html").unwrap();
    let body = &out[start..];
    let b = body
        .split("\r\n\r\n")
        .nth(1)
        .unwrap()
        .split("--INNER")
        .next()
        .unwrap();
    let html = String::from_utf8(
        STANDARD
            .decode(b.split_whitespace().collect::<String>())
            .unwrap(),
    )
    .unwrap();
    assert!(html.contains("*******mada@example.co.jp"), "{html}");
}

#[test]
fn mbox_masks_every_message_and_keeps_separators() {
    let mbox = "From taro@example.jp Mon Jan  1 00:00:00 2024\n\
From: taro@example.jp\nSubject: a\n\n電話 090-1234-5678\n\n\
From hanako@example.jp Mon Jan  1 00:00:01 2024\n\
From: hanako@example.jp\nSubject: b\n\nメール hanako@example.jp\n";
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("box.mbox");
    fs::write(&p, mbox).unwrap();
    let o = mask(&["-q", p.to_str().unwrap()], b"");
    common::assert_success(&o);
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        out.matches("\nFrom ").count() + usize::from(out.starts_with("From ")),
        2,
        "{out}"
    );
    assert!(out.contains("Mon Jan  1 00:00:01 2024\n"));
    assert!(!out.contains("1234-5678") || out.contains("***-****-5678"));
    assert!(!out.contains("hanako@"), "{out}");
    assert!(!out.contains("taro@"), "{out}");
}

#[test]
fn slack_jsonl_keeps_shape_and_masks_profiles_and_text() {
    let lines = [
        r#"{"type":"message","user":"U012AB3CD","text":"明日 090-1234-5678 に電話します","ts":"1700000000.000100","user_profile":{"real_name":"Taro Yamada","display_name":"taro","avatar_hash":"g123"}}"#,
        r#"{"type":"message","user":"U045","text":"了解です\/ok","ts":"1700000001.000200","reactions":[{"name":"+1","count":2}]}"#,
    ];
    let input = lines.join("\n") + "\n";
    let o = mask(&["-q", "--format", "jsonl"], input.as_bytes());
    common::assert_success(&o);
    let out = String::from_utf8(o.stdout).unwrap();
    let outs: Vec<&str> = out.lines().collect();
    assert_eq!(outs.len(), 2);
    assert_eq!(
        outs[1], lines[1],
        "a line with nothing personal is byte-identical"
    );
    let a: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let b: serde_json::Value = serde_json::from_str(outs[0]).unwrap();
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&a), keys(&b));
    assert_eq!(b["text"], "明日 ***-****-5678 に電話します");
    assert_eq!(b["user_profile"]["real_name"], "T.Y.");
    assert_eq!(b["ts"], a["ts"]);
    assert_eq!(b["user"], a["user"]);
}

#[test]
fn gmail_api_message_bodies_and_headers() {
    let part = URL_SAFE.encode("お電話 090-1234-5678 まで".as_bytes());
    let json = format!(
        r#"{{"id":"18c","payload":{{"mimeType":"multipart/alternative","headers":[{{"name":"From","value":"山田 太郎 <taro.yamada@example.co.jp>"}},{{"name":"Subject","value":"TEL 03-1234-5678"}}],"body":{{"size":0}},"parts":[{{"mimeType":"text/plain","body":{{"size":30,"data":"{part}"}}}}]}}}}"#
    );
    let o = mask(&["-q", "--format", "json"], json.as_bytes());
    common::assert_success(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let h = &v["payload"]["headers"];
    assert_eq!(h[0]["name"], "From");
    let from = h[0]["value"].as_str().unwrap();
    assert!(
        !from.contains("山田") && !from.contains("taro.yamada"),
        "{from}"
    );
    assert_eq!(h[1]["value"], "TEL **-****-5678");
    let data = v["payload"]["parts"][0]["body"]["data"].as_str().unwrap();
    let text = String::from_utf8(URL_SAFE.decode(data).unwrap()).unwrap();
    assert_eq!(text, "お電話 ***-****-5678 まで");
    assert_eq!(v["id"], "18c");
}

fn write(p: &Path, b: &[u8]) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, b).unwrap();
}

#[test]
fn recursive_batches_choose_formats_report_and_skip_up_to_date() {
    let d = tempfile::tempdir().unwrap();
    let inp = d.path().join("in");
    let out = d.path().join("out");
    write(&inp.join("orders.csv"), &sjis(ORDER_CSV));
    write(
        &inp.join("notes/memo.txt"),
        "電話 090-1234-5678\n".as_bytes(),
    );
    write(
        &inp.join("mail/m1"),
        b"From: a@example.jp\nSubject: x\n\nbody 090-1234-5678\n",
    );
    write(&inp.join("broken.json"), b"{\"a\": tru}");
    write(&inp.join("bin.dat"), b"\x00\x01\x02");
    let report = d.path().join("r.json");
    let args = |extra: &[&str]| {
        let mut v = vec![
            "-r",
            inp.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ];
        v.extend_from_slice(extra);
        v.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let a1 = args(&[]);
    let o = mask(&a1.iter().map(String::as_str).collect::<Vec<_>>(), b"");
    assert_eq!(
        o.status.code(),
        Some(2),
        "a broken file makes exit 2 but the run goes on"
    );
    assert!(out.join("orders.csv").exists());
    assert!(out.join("notes/memo.txt").exists());
    let m1 = fs::read_to_string(out.join("mail/m1")).unwrap();
    assert!(
        !m1.contains("a@example.jp") && m1.contains("***-****-5678"),
        "sniffed as mail: {m1}"
    );
    assert!(!out.join("broken.json").exists());
    assert!(!out.join("bin.dat").exists());
    let r: serde_json::Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(r["inputs"].as_array().unwrap().len(), 5);
    assert!(r["totals"]["phone"].as_u64().unwrap() >= 3);
    // A second run skips what is up to date, unless --force.
    let o = mask(&a1.iter().map(String::as_str).collect::<Vec<_>>(), b"");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("newer than the input"), "{err}");
    let a2 = args(&["--force"]);
    let o = mask(&a2.iter().map(String::as_str).collect::<Vec<_>>(), b"");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("newer than the input"), "{err}");
    // OUT inside IN is refused.
    let o = mask(
        &[
            "-r",
            inp.to_str().unwrap(),
            "-o",
            inp.join("o").to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn user_column_mapping_adds_roles() {
    let d = tempfile::tempdir().unwrap();
    let cols = d.path().join("cols.tsv");
    fs::write(&cols, "担当者\tname\n会員番号\tkeep\n").unwrap();
    let csv = "担当者,会員番号,メモ\nヤマダ タロウ,1234567890123,なし\n";
    let o = mask(
        &["-q", "--format", "csv", "--columns", cols.to_str().unwrap()],
        csv.as_bytes(),
    );
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "担当者,会員番号,メモ\nY.T.,1234567890123,なし\n"
    );
}

#[test]
fn policy_roles_mark_json_keys_as_personal() {
    let d = tempfile::tempdir().unwrap();
    let pol = d.path().join("p.toml");
    fs::write(
        &pol,
        "extends = \"default\"\n[roles]\ncustomer_tel = \"phone\"\nmemo = \"keep\"\n",
    )
    .unwrap();
    let json = r#"{"customer_tel":"0312345678","memo":"090-1234-5678","note":"090-1234-5678"}"#;
    let o = mask(
        &["-q", "-p", pol.to_str().unwrap(), "--format", "json"],
        json.as_bytes(),
    );
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        r#"{"customer_tel":"******5678","memo":"090-1234-5678","note":"***-****-5678"}"#
    );
}

#[test]
fn slack_export_tree_channel_days_and_users() {
    let d = tempfile::tempdir().unwrap();
    let inp = d.path().join("export");
    let out = d.path().join("masked");
    let day = r#"[
    {
        "type": "message",
        "user": "U012AB3CD",
        "text": "\u660e\u65e5 03-1234-5678 \u306b\u9023\u7d61\u3057\u307e\u3059 <mailto:taro.yamada@example.co.jp|taro.yamada@example.co.jp>",
        "ts": "1700000000.000100",
        "user_profile": {
            "avatar_hash": "g123",
            "real_name": "山田 太郎",
            "display_name": "taro",
            "first_name": "太郎",
            "name": "taro.yamada"
        },
        "reactions": [{"name": "+1", "users": ["U045"], "count": 1}]
    }
]
"#;
    let users = r#"[{"id":"U012AB3CD","name":"taro.yamada","real_name":"Taro Yamada","profile":{"title":"営業","phone":"090-1234-5678","email":"taro.yamada@example.co.jp","real_name":"Taro Yamada","display_name":"taro"}}]"#;
    write(&inp.join("general/2024-01-01.json"), day.as_bytes());
    write(&inp.join("users.json"), users.as_bytes());
    write(
        &inp.join("channels.json"),
        br#"[{"id":"C01","name":"general","created":1700000000}]"#,
    );
    let o = mask(
        &[
            "-q",
            "-r",
            inp.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        b"",
    );
    common::assert_success(&o);
    let day_out = fs::read_to_string(out.join("general/2024-01-01.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&day_out).unwrap();
    let m = &v[0];
    assert_eq!(m["ts"], "1700000000.000100");
    assert_eq!(m["reactions"][0]["name"], "+1");
    let text = m["text"].as_str().unwrap();
    assert!(
        text.contains("**-****-5678") && !text.contains("taro.yamada"),
        "{text}"
    );
    assert!(
        day_out.contains("\\u660e\\u65e5"),
        "escape style kept: {day_out}"
    );
    // Names follow the policy: initials (the name detector's reading).
    assert_eq!(m["user_profile"]["real_name"], "Y.T.");
    assert!(m["user_profile"]["first_name"] != "太郎");
    let u: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("users.json")).unwrap()).unwrap();
    assert_eq!(u[0]["real_name"], "T.Y.");
    assert_eq!(u[0]["profile"]["phone"], "***-****-5678");
    assert_eq!(u[0]["profile"]["title"], "営業");
    assert!(!u[0]["profile"]["email"]
        .as_str()
        .unwrap()
        .contains("taro.yamada"));
    let c = fs::read_to_string(out.join("channels.json")).unwrap();
    assert_eq!(c, r#"[{"id":"C01","name":"general","created":1700000000}]"#);
}

#[test]
fn recursive_sniffs_tables_mail_and_json_and_falls_back_to_text() {
    let d = tempfile::tempdir().unwrap();
    let inp = d.path().join("in");
    let out = d.path().join("out");
    let csv = "氏名,電話番号,メモ\r\n山田 太郎,090-1234-5678,\"a, b\"\r\n";
    write(&inp.join("orders"), &sjis(csv));
    write(&inp.join("export.txt"), csv.as_bytes());
    write(
        &inp.join("box.dat"),
        b"From a@example.jp Mon Jan  1 00:00:00 2024\nFrom: a@example.jp\nSubject: x\n\nbody 090-1234-5678\n",
    );
    write(
        &inp.join("slack"),
        "[{\"user_profile\":{\"real_name\":\"ヤマダ タロウ\"},\"text\":\"hi\"}]".as_bytes(),
    );
    // Starts like JSON, is not: masked as text, nothing lost.
    let notes = "{ draft }\n山田太郎様 090-1234-5678\n";
    write(&inp.join("notes"), notes.as_bytes());
    let report = d.path().join("r.json");
    let o = mask(
        &[
            "-r",
            inp.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ],
        b"",
    );
    common::assert_success(&o);
    // Tables: masked by column role (the name by its role, not by luck).
    let orders = fs::read(out.join("orders")).unwrap();
    let (orders, _, _) = SHIFT_JIS.decode(&orders);
    assert_eq!(
        orders,
        "氏名,電話番号,メモ\r\nY.T.,***-****-5678,\"a, b\"\r\n"
    );
    let txt = fs::read_to_string(out.join("export.txt")).unwrap();
    assert_eq!(txt, "氏名,電話番号,メモ\r\nY.T.,***-****-5678,\"a, b\"\r\n");
    let mbox = fs::read_to_string(out.join("box.dat")).unwrap();
    assert!(
        mbox.starts_with("From ") && !mbox.contains("a@example.jp"),
        "{mbox}"
    );
    let slack = fs::read_to_string(out.join("slack")).unwrap();
    assert!(slack.contains("\"real_name\":\"Y.T.\""), "{slack}");
    let n = fs::read_to_string(out.join("notes")).unwrap();
    assert!(
        n.starts_with("{ draft }\n") && n.contains("***-****-5678"),
        "{n}"
    );
    assert!(!n.contains("山田"), "{n}");
    let r = fs::read_to_string(&report).unwrap();
    assert!(r.contains("masked as text"), "{r}");
}
