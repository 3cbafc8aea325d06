//! Fuzzes the address detector: on arbitrary UTF-8 its candidates are
//! non-empty, in bounds, on char boundaries and hint one of the 47
//! prefectures (or none); through a masker that masks addresses only, the
//! chunk size never changes the output, masking is idempotent, and a known
//! address appended after the input on its own line is always masked to its
//! prefecture, whatever came before it.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mask::detect::address::AddressDetector;
use mask::detect::digits::digit_runs;
use mask::detect::{Detector, Haystack};
use mask::normalize::normalize;
use mask::{Masker, Policy};

const PREFECTURES: [&str; 47] = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
];

/// Appended after the input on its own line; must always become `東京都`.
const KNOWN: &str = "\n〒150-0002 東京都渋谷区渋谷2-21-1 渋谷ヒカリエ34F\n";

struct Ctx {
    detector: AddressDetector,
    /// Addresses only, one chunk.
    whole: Masker,
    /// Addresses only, 7-byte chunks.
    small: Masker,
}

fn ctx() -> &'static Ctx {
    static CTX: OnceLock<Ctx> = OnceLock::new();
    CTX.get_or_init(|| {
        let policy = Policy::from_toml(
            "disabled = [\"name\", \"phone\", \"email\", \"postal-code\", \"my-number\", \
             \"card\", \"card-detail\", \"secret\", \"deny-term\", \"classification\"]",
            None,
        )
        .expect("address-only policy parses");
        let build = |chunk: usize| {
            Masker::builder()
                .policy(policy.clone())
                .threads(1)
                .chunk_size(chunk)
                .build()
                .expect("address-only masker builds")
        };
        Ctx {
            detector: AddressDetector::default(),
            whole: build(1 << 20),
            small: build(7),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.contains('\0') {
        return;
    }
    let c = ctx();

    // The detector alone, on the normalized view.
    let norm = normalize(text);
    let mut runs = Vec::new();
    digit_runs(norm.as_bytes(), &mut runs);
    let hay = Haystack::new(&norm, &runs);
    let mut cands = Vec::new();
    c.detector.detect(&hay, &mut cands);
    for cand in &cands {
        let s = cand.span;
        assert!(s.start < s.end && s.end <= norm.len(), "bad span {cand:?}");
        assert!(
            norm.is_char_boundary(s.start) && norm.is_char_boundary(s.end),
            "span not on char boundaries {cand:?}"
        );
        if let Some(h) = &cand.hint {
            assert!(PREFECTURES.contains(&h.as_ref()), "hint {h:?} is no prefecture");
        }
    }

    // Through the masker: chunking and idempotence.
    let out = c.whole.mask_str(text).expect("address-only masker never errs on text");
    let small = c.small.mask_str(text).expect("chunk 7 masker errs where 1 MiB did not");
    assert_eq!(small.text, out.text, "chunk size 7 changes the output");
    assert_eq!(small.findings, out.findings, "chunk size 7 changes the findings");
    let twice = c.whole.mask_str(&out.text).expect("masking masked output errs");
    assert_eq!(twice.text, out.text, "masking is not idempotent");

    // A known address after the input is always masked.
    let with = format!("{text}{KNOWN}");
    let got = c.whole.mask_str(&with).expect("masks").text;
    assert!(got.ends_with("\n東京都\n"), "known address not masked: {got:?}");
});
