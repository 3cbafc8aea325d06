//! The address detector through the whole masker: the examples, the
//! postal code swallowed by the address after it, ambiguous municipalities,
//! place names that stay, and chunk boundaries that never change the output.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use mask::{Category, Masker};
use proptest::prelude::*;

/// A default masker with this chunk size, built once per size (building
/// compiles every detector).
fn masker(chunk: usize) -> Arc<Masker> {
    static CACHE: OnceLock<Mutex<HashMap<usize, Arc<Masker>>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    Arc::clone(cache.entry(chunk).or_insert_with(|| {
        Arc::new(
            Masker::builder()
                .chunk_size(chunk)
                .threads(1)
                .build()
                .expect("default masker builds"),
        )
    }))
}

fn mask(text: &str) -> String {
    masker(1 << 20).mask_str(text).expect("masks").text
}

/// (input, masked output) with the default policy.
const CASES: &[(&str, &str)] = &[
    // The example: the postal code goes with the address.
    (
        "〒150-0002 東京都渋谷区渋谷2-21-1 渋谷ヒカリエ34F",
        "東京都",
    ),
    (
        "〒１５０－０００２　東京都渋谷区渋谷２－２１－１　渋谷ヒカリエ３４Ｆ",
        "東京都",
    ),
    ("東京都渋谷区渋谷2丁目21番1号", "東京都"),
    ("東京都渋谷区渋谷二丁目二十一番一号", "東京都"),
    ("岐阜県大垣市赤坂東町1141番地の6", "岐阜県"),
    ("大阪府大阪市北区梅田1-2-3 ハイツ山田 101号室", "大阪府"),
    ("神奈川県横浜市西区みなとみらい2-2-1 ３０２号", "神奈川県"),
    (
        "福岡県福岡市博多区博多駅前1-1-1 ベルコーポ 908号室",
        "福岡県",
    ),
    // No prefecture written.
    ("渋谷区渋谷2-21-1", "東京都"),
    ("大垣市赤坂東町245-21", "岐阜県"),
    // Ambiguous: the postal code decides, else the town, else the label.
    ("府中市宮町1-50", "東京都"),
    ("〒183-0023 府中市宮町1-50", "東京都"),
    ("〒726-0005 府中市府中町1-2", "広島県"),
    ("北区王子本町1-15-22", "東京都"),
    ("大阪市北区梅田1-2-3", "大阪府"),
    ("伊達市梁川町1-2", "[住所]"),
    ("〒960-0502 伊達市梁川町1-2", "福島県"),
    // Signature block: the postal code on the line above goes too.
    (
        "山田商事株式会社\n〒150-0002\n東京都渋谷区渋谷2-21-1\nTEL: 03-1234-5678\n",
        "山田商事株式会社\n東京都\nTEL: **-****-5678\n",
    ),
    // Labels.
    ("ご住所：東京都渋谷区渋谷2-21-1", "ご住所：東京都"),
    ("お届け先：〒150-0002 東京都渋谷区", "お届け先：東京都"),
    ("送付先：大阪市北区梅田1-2-3", "送付先：大阪府"),
    // Not addresses: untouched.
    ("東京で会議", "東京で会議"),
    ("大阪支社", "大阪支社"),
    ("福岡出張", "福岡出張"),
    ("渋谷駅で待ち合わせ", "渋谷駅で待ち合わせ"),
    ("東日本営業部", "東日本営業部"),
    ("場所：東京都", "場所：東京都"),
    // A postal code alone stays the postal detector's.
    ("〒150-0002", "〒***-****"),
];

#[test]
fn masks_addresses_to_their_prefecture() {
    let mut wrong = Vec::new();
    for &(input, want) in CASES {
        let got = mask(input);
        if got != want {
            wrong.push(format!("{input:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn the_address_finding_covers_the_postal_code() {
    let text = "〒150-0002 東京都渋谷区渋谷2-21-1";
    let found = masker(1 << 20).scan(text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].category, Category::Address);
    assert_eq!(found[0].span.range(), 0..text.len());
    assert_eq!(found[0].hint.as_deref(), Some("東京都"));
}

#[test]
fn address_disabled_leaves_postal_codes_to_the_postal_detector() {
    let policy = mask::Policy::from_toml("disabled = [\"address\"]", None).expect("policy parses");
    let m = Masker::builder()
        .policy(policy)
        .threads(1)
        .build()
        .expect("builds");
    let out = m
        .mask_str("〒150-0002 東京都渋谷区渋谷2-21-1")
        .expect("masks");
    assert_eq!(out.text, "〒***-**** 東京都渋谷区渋谷2-21-1");
}

/// Pieces of text around addresses: signature blocks split over lines,
/// labels, prose with place names.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("〒150-0002\n東京都渋谷区渋谷2-21-1 渋谷ヒカリエ34F\n".to_string()),
        Just("  〒183-0023\n  府中市宮町1-50\n".to_string()),
        Just("〒１５０－０００２　渋谷区渋谷二丁目二十一番一号\n".to_string()),
        Just("ご住所：大垣市赤坂東町1141番地の6 ハイツ山田 101号室".to_string()),
        Just("北区王子本町1-15-22".to_string()),
        Just("東京で会議、大阪支社、福岡出張".to_string()),
        Just("TEL: 03-1234-5678\n".to_string()),
        Just("\n".to_string()),
        Just(" ".to_string()),
        "[ぁ-んァ-ヶ一-龥]{1,6}",
        "[0-9]{1,4}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn chunk_edges_never_change_the_output(pieces in proptest::collection::vec(piece(), 1..8)) {
        let text: String = pieces.concat();
        let reference = masker(1 << 20).mask_str(&text).expect("masks");
        for chunk in [1, 2, 3, 5, 8, 13, 21, 34, 55, 89] {
            let got = masker(chunk).mask_str(&text).expect("masks");
            prop_assert_eq!(&got.text, &reference.text, "chunk {}", chunk);
            prop_assert_eq!(&got.findings, &reference.findings, "chunk {}", chunk);
        }
    }
}

#[test]
fn an_address_cut_anywhere_by_a_chunk_edge_masks_the_same() {
    let text = "お世話になっております。\n株式会社サンプル\n〒150-0002\n東京都渋谷区渋谷2-21-1 渋谷ヒカリエ34F\nTEL: 03-1234-5678\n";
    let want = "お世話になっております。\n株式会社サンプル\n東京都\nTEL: **-****-5678\n";
    for chunk in (1..=text.len()).step_by(3) {
        let got = masker(chunk).mask_str(text).expect("masks");
        assert_eq!(got.text, want, "chunk {chunk}");
    }
}

#[test]
fn masking_masked_addresses_changes_nothing() {
    // Found by fuzz/fuzz_targets/address.rs (fuzz/regressions/address/).
    for text in [
        "㐒150-0002 届け先渋谷区渋谷1kkk-21-場所1 渋谷ヒカリエ34F\n",
        "住所：渋谷区渋谷 ビル 1-2",
        "大阪市北区梅田1-2-3 渋谷区1-2-3:",
        "捱京都渋谷区渋谷2-21-1.....................京都渋谷区渋谷2-21-1",
        "渋谷区渋谷2-21-1亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜亜渋谷区渋谷2-21-1",
    ] {
        let once = mask(text);
        assert_eq!(mask(&once), once, "{text:?}");
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/address");
    for entry in std::fs::read_dir(&dir).expect("fuzz/regressions/address") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("regression input");
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let once = mask(text);
        assert_eq!(mask(&once), once, "{text:?}");
    }
}
