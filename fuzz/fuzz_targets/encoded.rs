//! The encoded-content scanner (`mask::format::embedded`): the fuzz input
//! is split into a planted phone number and name (from its first bytes) and
//! free text; encoded blocks are built around the planted values — a mail
//! with RFC 2047 headers and a base64 (ISO-2022-JP or UTF-8) or
//! quoted-printable body, bare encoded words, a bare base64 token — and
//! placed in the free text. Checks, with the default policy:
//!
//! - no panic, for the built text and for the raw input;
//! - nothing decodable survives: the output, with every base64 token, QP
//!   body and encoded word decoded (by an independent decoder here), holds
//!   neither the planted phone's first digits nor the planted name;
//! - masking the output again changes nothing (idempotent);
//! - chunk size 7 gives the same output as 1 MiB;
//! - `scan` counts what `mask_str` counts.
#![no_main]

use std::sync::OnceLock;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use mask::{Masker, Policy};

struct Ctx {
    whole: Masker,
    small: Masker,
}

/// The default policy with classification markings reported, not blocking:
/// a marked document (`【社外秘】`) is otherwise refused whole, and the
/// checks here are about what masking does to text.
fn reporting_default() -> Policy {
    let mut p = Policy::preset("default").expect("the default preset exists");
    p.rules.insert(mask::Category::Classification, mask::Action::Keep);
    p
}

fn ctx() -> &'static Ctx {
    static CTX: OnceLock<Ctx> = OnceLock::new();
    CTX.get_or_init(|| Ctx {
        whole: Masker::builder()
            .policy(reporting_default())
            .threads(1)
            .build()
            .expect("default masker builds"),
        small: Masker::builder()
            .policy(reporting_default())
            .threads(1)
            .chunk_size(7)
            .build()
            .expect("default masker builds"),
    })
}

const SURNAMES: [&str; 8] = ["山田", "佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "中村"];
const GIVEN: [&str; 8] = ["太郎", "花子", "一郎", "美咲", "健太", "陽子", "翔太", "由美"];

fn jis(s: &str) -> Vec<u8> {
    encoding_rs::ISO_2022_JP.encode(s).0.into_owned()
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

fn wrap(s: &str, w: usize) -> String {
    s.as_bytes()
        .chunks(w)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every decodable thing in `out`, decoded: base64 tokens and line runs,
/// QP soft breaks and escapes, encoded words — appended to the text.
fn decode_everything(out: &str) -> String {
    let any = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let mut all = out.to_string();
    let mut push = |b: &[u8]| {
        for enc in [encoding_rs::UTF_8, encoding_rs::ISO_2022_JP] {
            all.push('\n');
            all.push_str(&enc.decode_without_bom_handling(b).0);
        }
    };
    // Base64 runs over lines.
    let joined: String = out
        .split(|c: char| !(c.is_ascii_alphanumeric() || "+/=\n".contains(c)))
        .filter(|t| t.len() >= 8)
        .map(|t| t.replace('\n', ""))
        .collect::<Vec<_>>()
        .join(" ");
    for tok in joined.split(' ') {
        for start in 0..4.min(tok.len()) {
            let t = &tok[start..];
            let t = &t[..t.len() - t.len() % 4];
            if let Ok(b) = any.decode(t.trim_end_matches('=')) {
                push(&b);
            }
        }
    }
    // Encoded words (B and Q).
    for part in out.split("=?").skip(1) {
        let mut it = part.splitn(3, '?');
        let (Some(_cs), Some(mode), Some(rest)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        let payload = rest.split("?=").next().unwrap_or("");
        if mode.eq_ignore_ascii_case("b") {
            if let Ok(b) = any.decode(payload.trim_end_matches('=')) {
                push(&b);
            }
        } else {
            push(&qp_decode(&payload.replace('_', " ")));
        }
    }
    // Quoted-printable everywhere.
    let q = qp_decode(out);
    push(&q);
    all
}

fn qp_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            if b.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            if let (Some(h), Some(l)) = (b.get(i + 1), b.get(i + 2)) {
                if let Ok(v) = u8::from_str_radix(&format!("{}{}", *h as char, *l as char), 16) {
                    out.push(v);
                    i += 3;
                    continue;
                }
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let c = ctx();
    // The raw input as text: no panic.
    if let Ok(t) = std::str::from_utf8(data) {
        if !t.contains('\0') {
            let _ = c.whole.mask_str(t);
        }
    }
    if data.len() < 6 {
        return;
    }
    let (seed, rest) = data.split_at(6);
    let free: String = String::from_utf8_lossy(rest)
        .chars()
        .filter(|c| *c != '\0' && *c != '\u{FFFD}' && !c.is_control() || *c == '\n')
        .collect();
    let name = format!("{}{}", SURNAMES[seed[0] as usize % 8], GIVEN[seed[1] as usize % 8]);
    let phone = format!(
        "090-{:04}-{:04}",
        u16::from_le_bytes([seed[2], seed[3]]) % 10000,
        u16::from_le_bytes([seed[4], seed[5]]) % 10000
    );
    let secret_part = &phone[..8]; // "090-1234": must never survive
    // The free text may hold the planted values itself, in forms that are
    // rightly left alone (`090-1234-o` is no phone): the oracle only holds
    // when it does not.
    let free_decoded = decode_everything(&free);
    if free_decoded.contains(secret_part) || free_decoded.contains(&name) {
        return;
    }
    let body = format!("{name}様\nお世話になっております。\n携帯 {phone} までご連絡ください。\n");
    let from_word = format!("=?ISO-2022-JP?B?{}?=", STANDARD.encode(jis(&name)));
    let kind = seed[0] / 8 % 4;
    let block = match kind {
        0 => format!(
            "From: {from_word} <a@example.jp>\nSubject: =?UTF-8?B?{}?=\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: base64\n\n{}\n",
            STANDARD.encode(format!("{name}の件")),
            wrap(&STANDARD.encode(jis(&body)), 76)
        ),
        1 => format!(
            "From: {from_word} <a@example.jp>\nTo: b@example.jp\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n{}\n",
            qp(body.as_bytes())
        ),
        2 => format!("件名: {from_word} 連絡先 =?UTF-8?B?{}?=", STANDARD.encode(&phone)),
        _ => format!("token {} end", STANDARD.encode(body.as_bytes())),
    };
    // The block in the middle of the free text, on its own lines.
    let cut = free.char_indices().map(|(i, _)| i).nth(free.chars().count() / 2).unwrap_or(free.len());
    let text = format!("{}\n{block}\n{}", &free[..cut], &free[cut..]);

    let Ok(out) = c.whole.mask_str(&text) else { return };
    let decoded = decode_everything(&out.text);
    assert!(
        !decoded.contains(secret_part) && !decoded.contains(&name),
        "planted value survives (kind {kind}):\n{}",
        out.text
    );
    let small = c.small.mask_str(&text).expect("same input, same result");
    assert_eq!(small.text, out.text, "chunk size changed the output");
    let again = c.whole.mask_str(&out.text).expect("output masks again");
    assert_eq!(again.text, out.text, "not idempotent");
    let scanned = c.whole.scan(&text);
    assert_eq!(scanned.len(), out.findings.len(), "scan and mask disagree");
});
