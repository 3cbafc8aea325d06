//! Large structured inputs: masked in batches (CSV rows and JSON strings,
//! about 1 MiB a batch, masked in parallel and written in order), the output
//! must not depend on the number of threads, and must equal masking each row
//! on its own.

use mask::format::{process, Format, Options};
use mask::Masker;

fn masker(threads: usize) -> Masker {
    Masker::builder().threads(threads).build().unwrap()
}

fn big_csv() -> String {
    let mut s = String::from("id,氏名,電話番号,メモ\r\n");
    for i in 0..60_000 {
        let memo = match i % 7 {
            0 => format!(
                "\"折り返し 090-{:04}-{:04} まで\"",
                i % 10_000,
                (i * 7) % 10_000
            ),
            1 => "\"改行\nあり, カンマも\"".to_string(),
            2 => format!("mail u{i}@example.jp"),
            _ => "特記事項なし".to_string(),
        };
        s.push_str(&format!(
            "{i},顧客{} 様,03-{:04}-{:04},{memo}\r\n",
            i % 50,
            i % 10_000,
            i % 9_999
        ));
    }
    s
}

#[test]
fn csv_batches_do_not_depend_on_threads() {
    let csv = big_csv();
    assert!(csv.len() > 3 << 20);
    let one = process(&masker(1), csv.as_bytes(), &Options::new(Format::Csv)).unwrap();
    let two = process(&masker(2), csv.as_bytes(), &Options::new(Format::Csv)).unwrap();
    assert_eq!(one.bytes, two.bytes);
    assert_eq!(one.summary.counts, two.summary.counts);
    let out = String::from_utf8(one.bytes).unwrap();
    assert_eq!(out.matches("\r\n").count(), csv.matches("\r\n").count());
    assert!(!out.contains("090-"));
    assert!(out.contains("\"改行\nあり, カンマも\""));
    // Row by row gives the same result.
    let header = "id,氏名,電話番号,メモ\r\n";
    let m = masker(1);
    let mut rebuilt = String::from(header);
    let body = &csv[header.len()..];
    let mut rows = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in body.chars() {
        cur.push(ch);
        if ch == '"' {
            quoted = !quoted;
        }
        if ch == '\n' && !quoted {
            rows.push(std::mem::take(&mut cur));
        }
    }
    for r in rows.iter().take(300) {
        let one = process(
            &m,
            format!("{header}{r}").as_bytes(),
            &Options::new(Format::Csv),
        )
        .unwrap();
        rebuilt.push_str(&String::from_utf8(one.bytes).unwrap()[header.len()..]);
    }
    assert!(out.starts_with(&rebuilt));
    // The roster guard counted every distinct name once.
    assert!(
        one.notes.iter().all(|n| !n.contains("roster")),
        "50 people: under the limit"
    );
}

#[test]
fn jsonl_flushes_do_not_depend_on_threads() {
    let mut s = String::new();
    for i in 0..100_000 {
        s.push_str(&format!(
            "{{\"id\":{i},\"user_profile\":{{\"real_name\":\"ヤマダ タロウ\"}},\"text\":\"TEL 090-{:04}-5678 \\u3088\\u308d\\u3057\\u304f\"}}\n",
            i % 10_000
        ));
    }
    assert!(s.len() > 10 << 20);
    let one = process(&masker(1), s.as_bytes(), &Options::new(Format::Jsonl)).unwrap();
    let two = process(&masker(2), s.as_bytes(), &Options::new(Format::Jsonl)).unwrap();
    assert_eq!(one.bytes, two.bytes);
    let out = String::from_utf8(one.bytes).unwrap();
    assert_eq!(out.lines().count(), 100_000);
    assert!(!out.contains("090-"));
    assert!(!out.contains("ヤマダ"));
    assert!(out.contains("TEL ***-****-5678 \\u3088\\u308d\\u3057\\u304f"));
    for line in out.lines().step_by(997) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["user_profile"]["real_name"], "Y.T.");
    }
}

#[test]
fn scan_positions_do_not_depend_on_threads() {
    let csv = big_csv();
    let key = |threads| {
        let s = mask::format::scan(&masker(threads), csv.as_bytes(), &Options::new(Format::Csv))
            .unwrap();
        s.hits
            .iter()
            .map(|h| (h.line, h.column, h.finding.category, h.exact))
            .collect::<Vec<_>>()
    };
    let one = key(1);
    assert_eq!(one, key(2));
    // Every masked phone is located on its row (one row a line but for the
    // rows with an embedded newline).
    assert!(one.len() > 60_000);
    assert!(one.windows(2).all(|w| (w[0].0, w[0].1) <= (w[1].0, w[1].1)));
}

#[test]
fn mbox_messages_in_parallel_match_one_thread() {
    let mut s = String::from("preamble 090-0000-1111\n");
    for i in 0..3_000 {
        s.push_str(&format!(
            "From u{i}@example.jp Mon Jan  1 00:00:00 2024\nFrom: 顧客{} <u{i}@example.jp>\nSubject: 注文 {i}\n\n\
             お世話になっております。折り返し 090-{:04}-5678 までご連絡ください。\n{}\n",
            i % 50,
            i % 10_000,
            "本文の続きです。".repeat(40)
        ));
    }
    assert!(s.len() > 2 << 20);
    let one = process(&masker(1), s.as_bytes(), &Options::new(Format::Mbox)).unwrap();
    let two = process(&masker(2), s.as_bytes(), &Options::new(Format::Mbox)).unwrap();
    assert_eq!(one.bytes, two.bytes);
    assert_eq!(one.summary.counts, two.summary.counts);
    let out = String::from_utf8(one.bytes).unwrap();
    assert!(!out.contains("090-") && !out.contains("u7@example.jp"));
    assert_eq!(out.matches("\nFrom ").count(), 3_000);
}
