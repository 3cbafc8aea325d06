//! Encodings end to end: EUC-JP CSV, Shift_JIS past the first 64 KiB, an
//! 8-bit Shift_JIS mail part, a Gmail `raw` message, and the BOM.

mod common;

use common::mask;
use std::fs;

use base64::engine::general_purpose::URL_SAFE;
use base64::Engine;
use encoding_rs::{EUC_JP, SHIFT_JIS};

#[test]
fn euc_jp_csv_stays_euc_jp() {
    let csv = "お名前,フリガナ,電話番号\n山田 太郎,やまだ たろう,090-1234-5678\n";
    let (b, _, _) = EUC_JP.encode(csv);
    let o = mask(&["-q", "--format", "csv"], &b);
    common::assert_success(&o);
    let (t, _, bad) = EUC_JP.decode(&o.stdout);
    assert!(!bad);
    assert_eq!(t, "お名前,フリガナ,電話番号\nY.T.,Y.T.,***-****-5678\n");
}

#[test]
fn utf8_bom_csv_keeps_its_bom() {
    let csv = "\u{FEFF}氏名,メール\n山田,taro.yamada@example.co.jp\n";
    let o = mask(&["-q", "--format", "csv"], csv.as_bytes());
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "\u{FEFF}氏名,メール\nY.,*******mada@example.co.jp\n"
    );
}

#[test]
fn shift_jis_after_the_first_64_kib_of_a_file() {
    let mut text = "ascii line\n".repeat(7000);
    text.push_str("最後に 090-1234-5678 へ電話\n");
    let (b, _, _) = SHIFT_JIS.encode(&text);
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("late.txt");
    fs::write(&p, &b).unwrap();
    let out = d.path().join("out.txt");
    let o = mask(
        &["-q", p.to_str().unwrap(), "-o", out.to_str().unwrap()],
        b"",
    );
    common::assert_success(&o);
    let written = fs::read(&out).unwrap();
    let (t, _, bad) = SHIFT_JIS.decode(&written);
    assert!(!bad);
    assert!(t.ends_with("最後に ***-****-5678 へ電話\n"));
}

#[test]
fn eight_bit_shift_jis_mail_part() {
    let mut msg = b"From: a@example.jp\nSubject: x\nContent-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: 8bit\n\n".to_vec();
    let (b, _, _) = SHIFT_JIS.encode("山田です。携帯 090-1234-5678\n");
    msg.extend_from_slice(&b);
    let o = mask(&["-q", "--format", "eml"], &msg);
    common::assert_success(&o);
    let body = &o.stdout[o.stdout.windows(2).position(|w| w == b"\n\n").unwrap() + 2..];
    let (t, _, bad) = SHIFT_JIS.decode(body);
    assert!(!bad);
    // `山田です。` introduces someone: the surname is masked too.
    assert_eq!(t, "Y.です。携帯 ***-****-5678\n");
}

#[test]
fn gmail_raw_message_is_masked_as_mail() {
    let raw = URL_SAFE.encode(
        b"From: Taro <taro.yamada@example.co.jp>\r\nSubject: hi\r\n\r\nTEL 090-1234-5678\r\n",
    );
    let json = format!(r#"{{"id":"1","raw":"{raw}"}}"#);
    let o = mask(&["-q", "--format", "json"], json.as_bytes());
    common::assert_success(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let m = String::from_utf8(URL_SAFE.decode(v["raw"].as_str().unwrap()).unwrap()).unwrap();
    assert!(
        !m.contains("taro.yamada") && m.contains("TEL ***-****-5678"),
        "{m}"
    );
}

#[test]
fn large_shift_jis_stdin_streams_and_stays_shift_jis() {
    let line = "あいうえお、ご連絡は携帯 090-1234-5678 まで。\n";
    let text = line.repeat(5000);
    let (b, _, _) = SHIFT_JIS.encode(&text);
    let o = mask(&["-q"], &b);
    common::assert_success(&o);
    let masked = "あいうえお、ご連絡は携帯 ***-****-5678 まで。\n".repeat(5000);
    let (want, _, _) = SHIFT_JIS.encode(&masked);
    assert_eq!(o.stdout, want.into_owned());
    // A bad byte far into the stream: exit 2 and nothing written.
    let mut bad = b.into_owned();
    bad.extend_from_slice(b"\x81");
    let o = mask(&["-q"], &bad);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
}
