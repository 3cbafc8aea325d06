//! Property tests for the invariants users rely on:
//! - chunk size and thread count never change the output;
//! - masking is idempotent;
//! - outside findings, the output is the input byte for byte, and each
//!   finding is replaced exactly as the rules say;
//! - no planted value survives.

mod common;

use mask::{rules, Masker, Policy};
use proptest::prelude::*;

/// A planted item: its text, and whether it must disappear from the output.
#[derive(Clone, Debug)]
struct Piece {
    text: String,
    secret: bool,
}

fn digits(n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, n)
        .prop_map(|v| v.into_iter().map(|d| char::from(b'0' + d)).collect())
}

fn my_number() -> impl Strategy<Value = String> {
    digits(11).prop_map(|d| {
        let b: Vec<u32> = d.bytes().map(|c| u32::from(c - b'0')).collect();
        let sum: u32 = (1..=11)
            .map(|n| b[11 - n] * if n <= 6 { n as u32 + 1 } else { n as u32 - 5 })
            .sum();
        let r = sum % 11;
        let check = if r <= 1 { 0 } else { 11 - r };
        format!("{}{}", d, check)
    })
}

fn card() -> impl Strategy<Value = String> {
    digits(14).prop_map(|d| {
        let body = format!("4{d}");
        let ds: Vec<u32> = body.bytes().map(|c| u32::from(c - b'0')).collect();
        let mut sum = 0;
        for (i, &x) in ds.iter().rev().enumerate() {
            let mut v = if i % 2 == 0 { x * 2 } else { x };
            if v > 9 {
                v -= 9;
            }
            sum += v;
        }
        let check = (10 - sum % 10) % 10;
        let s = format!("{body}{check}");
        format!("{} {} {} {}", &s[0..4], &s[4..8], &s[8..12], &s[12..16])
    })
}

fn to_full_width(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_graphic() {
                char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// A mobile number written in kanji digits, as formal letters do
/// (`〇九〇－一二三四－五六七八`).
fn kanji_mobile() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("〇七〇"), Just("〇八〇"), Just("〇九〇")],
        digits(8),
        prop_oneof![Just("－"), Just("ー"), Just("")],
    )
        .prop_map(|(head, d, sep)| {
            let kanji: String = d
                .chars()
                .map(|c| {
                    ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九']
                        [usize::from(c as u8 - b'0')]
                })
                .collect();
            format!("{head}{sep}{}{sep}{}", &kanji[..12], &kanji[12..])
        })
}

fn piece() -> impl Strategy<Value = Piece> {
    let plain = |s: &'static str| {
        Just(Piece {
            text: s.to_string(),
            secret: false,
        })
    };
    prop_oneof![
        3 => plain("お世話になっております。"),
        2 => plain("\n"),
        2 => plain(" "),
        1 => plain("　"),
        1 => plain("注文番号 2024-0115-778 の件、2024/01/15 10:30 に出荷しました。"),
        1 => plain("金額 ¥12,345（税込）"),
        1 => plain("version 1.2.3 released"),
        1 => plain("【社外秘】"),
        1 => plain("機密保持契約"),
        1 => "[a-zA-Z]{1,12}".prop_map(|t| Piece { text: t, secret: false }),
        1 => "[ぁ-んァ-ヶ一-龥]{1,8}".prop_map(|t| Piece { text: t, secret: false }),
        2 => "[a-z]{2,10}\\.[a-z]{2,8}".prop_map(|l| Piece { text: format!("{l}@example.co.jp"), secret: true }),
        2 => my_number().prop_map(|t| Piece { text: t, secret: true }),
        2 => card().prop_map(|t| Piece { text: t, secret: true }),
        1 => my_number().prop_map(|t| Piece { text: to_full_width(&t), secret: true }),
        1 => kanji_mobile().prop_map(|t| Piece { text: t, secret: true }),
        1 => "[a-z]{3,8}".prop_map(|l| Piece { text: format!("mailto:{l}@corp.example.com"), secret: true }),
        1 => prop_oneof![
            Just("〒150-0002 東京都渋谷区渋谷2-21-1 渋谷ヒカリエ34F"),
            Just("〒183-0023\n府中市宮町1-50"),
            Just("大垣市赤坂東町１１４１番地の６ ハイツ山田 101号室"),
            Just("北区王子本町二丁目十五番二十二号"),
        ].prop_map(|t| Piece { text: t.to_string(), secret: true }),
    ]
}

fn document() -> impl Strategy<Value = (String, Vec<Piece>)> {
    proptest::collection::vec(piece(), 0..40).prop_map(|ps| {
        // Separate pieces so that two numbers never merge into one.
        let text = ps
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("、");
        (text, ps)
    })
}

fn masker(chunk: usize, threads: usize) -> Masker {
    Masker::builder()
        .policy(common::reporting_default())
        .chunk_size(chunk)
        .threads(threads)
        .build()
        .expect("default masker builds")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn chunk_size_and_threads_never_change_the_output((text, _) in document()) {
        let reference = masker(1 << 20, 1).mask_str(&text).unwrap();
        for (chunk, threads) in [(1, 1), (2, 2), (3, 1), (7, 2), (64, 1), (1000, 2)] {
            let got = masker(chunk, threads).mask_str(&text).unwrap();
            prop_assert_eq!(&got.text, &reference.text, "chunk {} threads {}", chunk, threads);
            prop_assert_eq!(&got.findings, &reference.findings);
        }
    }

    #[test]
    fn masking_is_idempotent((text, _) in document()) {
        let m = masker(1 << 20, 1);
        let once = m.mask_str(&text).unwrap().text;
        let twice = m.mask_str(&once).unwrap().text;
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn output_is_input_outside_findings_and_rules_inside((text, _) in document()) {
        let m = masker(1 << 20, 1);
        let policy = common::reporting_default();
        let out = m.mask_str(&text).unwrap();
        let mut expect = String::new();
        let mut pos = 0;
        for f in &out.findings {
            prop_assert!(f.span.start >= pos, "findings overlap or are unsorted");
            expect.push_str(&text[pos..f.span.start]);
            rules::render(f.category, policy.action(f.category), &text[f.span.range()], f.hint.as_deref(), &mut expect);
            pos = f.span.end;
        }
        expect.push_str(&text[pos..]);
        prop_assert_eq!(out.text, expect);
    }

    #[test]
    fn planted_values_never_survive((text, pieces) in document()) {
        let out = masker(1 << 20, 1).mask_str(&text).unwrap().text;
        for p in pieces.iter().filter(|p| p.secret) {
            prop_assert!(!out.contains(&p.text), "{:?} survived in {:?}", p.text, out);
        }
    }
}

/// A name in one of the forms the name detector must mask, and its planted
/// text (which must not survive).
fn name_piece() -> impl Strategy<Value = Piece> {
    let sur = prop::sample::select(vec!["山田", "佐藤", "鈴木", "小林", "千葉", "辻", "髙橋"]);
    let given = prop::sample::select(vec!["太郎", "花子", "翔太", "千尋"]);
    (sur, given, 0..7usize).prop_map(|(s, g, form)| {
        let text = match form {
            0 => format!("{s}{g}様"),
            1 => format!("{s} {g}"),
            2 => format!("{s}さん"),
            3 => format!("出席者：{s}、佐藤（営業部）"),
            4 => format!("[10:11] {s}: 了解です"),
            5 => format!("氏名：{s}　{g}（ヤマダ タロウ）"),
            _ => format!("@{s}さん"),
        };
        Piece {
            text,
            secret: false,
        }
    })
}

fn names_document() -> impl Strategy<Value = (String, Vec<(String, String)>)> {
    let filler = prop::sample::select(vec![
        "お世話になっております。",
        "\n",
        "本日出荷しました。",
        "千葉県の倉庫から発送します。",
        "株式会社山田製作所",
        " ",
    ]);
    proptest::collection::vec((name_piece(), filler), 0..20).prop_map(|ps| {
        let mut text = String::new();
        let mut names = Vec::new();
        for (p, f) in ps {
            // Pieces end at a separator, as names in real text do.
            text.push_str(&p.text);
            text.push('、');
            text.push_str(f);
            text.push('\n');
            names.push((p.text, f.to_string()));
        }
        (text, names)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Names cut by a chunk edge are masked exactly as in one piece.
    #[test]
    fn names_across_chunk_boundaries_are_masked_identically((text, _) in names_document()) {
        let reference = masker(1 << 20, 1).mask_str(&text).unwrap();
        for (chunk, threads) in [(3, 1), (64, 2), (333, 1)] {
            let got = masker(chunk, threads).mask_str(&text).unwrap();
            prop_assert_eq!(&got.text, &reference.text, "chunk {} threads {}", chunk, threads);
        }
        // Masked names are initials, which are never names again.
        let twice = masker(1 << 20, 1).mask_str(&reference.text).unwrap();
        prop_assert_eq!(twice.text, reference.text.clone());
        for s in ["山田太郎", "小林", "髙橋"] {
            prop_assert!(!reference.text.contains(s), "{} survived in {}", s, reference.text);
        }
    }
}

#[test]
fn text_without_personal_data_is_returned_unchanged() {
    let text = "本日の会議は 2024/01/15 10:30 から。注文番号 2024-0115-778、金額 ¥12,345。\nversion 1.2.3\n";
    assert_eq!(masker(1 << 20, 1).mask_str(text).unwrap().text, text);
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert<T: Send + Sync>() {}
    assert::<Masker>();
    assert::<Policy>();
    assert::<mask::Finding>();
    assert::<mask::Error>();
}

/// An encoded block around a planted phone number: an RFC 2047 word, a
/// bare base64 token, or a mail with a base64 body (the encoded-content
/// scanner, `mask::format::embedded`).
fn encoded_piece() -> impl Strategy<Value = String> {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    (0usize..3, digits(4), digits(4)).prop_map(|(kind, a, b)| {
        let body = format!("携帯 090-{a}-{b} までご連絡ください。");
        match kind {
            0 => format!("=?UTF-8?B?{}?=", STANDARD.encode(&body)),
            1 => format!("\n{}\n", STANDARD.encode(&body)),
            _ => format!(
                "\nFrom: a@example.jp\nSubject: x\nContent-Transfer-Encoding: base64\n\n{}\n",
                STANDARD.encode(&body)
            ),
        }
    })
}

fn encoded_document() -> impl Strategy<Value = String> {
    (document(), proptest::collection::vec(encoded_piece(), 1..4)).prop_map(
        |((text, _), blocks)| {
            let mut out = String::new();
            let parts: Vec<&str> = text.split('、').collect();
            for (i, p) in parts.iter().enumerate() {
                out.push_str(p);
                out.push('、');
                if let Some(b) = blocks.get(i % (parts.len().max(1) + 1)) {
                    if i < blocks.len() {
                        out.push_str(b);
                    }
                }
            }
            for b in blocks.iter().skip(parts.len()) {
                out.push_str(b);
            }
            out
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn chunk_size_and_threads_never_change_encoded_output(text in encoded_document()) {
        let reference = masker(1 << 20, 1).mask_str(&text).unwrap();
        for (chunk, threads) in [(1, 1), (3, 2), (7, 1), (64, 2), (1000, 1)] {
            let got = masker(chunk, threads).mask_str(&text).unwrap();
            prop_assert_eq!(&got.text, &reference.text, "chunk {} threads {}", chunk, threads);
            prop_assert_eq!(&got.findings, &reference.findings);
        }
        let twice = masker(1 << 20, 1).mask_str(&reference.text).unwrap().text;
        prop_assert_eq!(twice, reference.text);
    }
}
