//! The `names` genre: person names in every form the name detector must
//! mask — rare surnames, names IPADIC does not know, variant kanji, katakana
//! foreign names, furigana, hiragana and katakana readings, romaji
//! signatures, From: lines, chat speakers, @mentions, attendee lists,
//! surname-only and given-name-only later mentions — and, in one document of
//! four, no personal data at all but many place and company names that
//! contain surnames (`株式会社山田製作所`, `千葉県`, `松本市`).
//!
//! Gold `name` spans hold the name without honorific or title; a reading in
//! brackets is a span of its own; e-mail addresses are labelled `email`.

use super::{Builder, Rng, UNKNOWN_TO_IPADIC};

/// `(kanji, katakana reading, romaji)`: rare, unknown-to-IPADIC and common.
const SURNAMES: &[(&str, &str, &str)] = &[
    ("小鳥遊", "タカナシ", "Takanashi"),
    ("勅使河原", "テシガワラ", "Teshigawara"),
    ("百目鬼", "ドウメキ", "Domeki"),
    ("月見里", "ヤマナシ", "Yamanashi"),
    ("九十九", "ツクモ", "Tsukumo"),
    ("東海林", "ショウジ", "Shoji"),
    ("御手洗", "ミタライ", "Mitarai"),
    ("與那覇", "ヨナハ", "Yonaha"),
    ("鬼頭", "キトウ", "Kito"),
    ("薬師寺", "ヤクシジ", "Yakushiji"),
    ("一ノ瀬", "イチノセ", "Ichinose"),
    ("我妻", "アガツマ", "Agatsuma"),
    ("猪狩", "イガリ", "Igari"),
    ("髙橋", "タカハシ", "Takahashi"),
    ("﨑山", "サキヤマ", "Sakiyama"),
    ("五百旗頭", "イオキベ", "Iokibe"),
    ("山田", "ヤマダ", "Yamada"),
    ("佐藤", "サトウ", "Sato"),
    ("鈴木", "スズキ", "Suzuki"),
    ("千葉", "チバ", "Chiba"),
    ("福田", "フクダ", "Fukuda"),
    ("辻", "ツジ", "Tsuji"),
    ("藤井", "フジイ", "Fujii"),
    ("城島", "ジョウジマ", "Jojima"),
    ("四月一日", "ワタヌキ", "Watanuki"),
    ("栗花落", "ツユリ", "Tsuyuri"),
    ("薬袋", "ミナイ", "Minai"),
    ("鰐淵", "ワニブチ", "Wanibuchi"),
];

const GIVEN: &[(&str, &str, &str)] = &[
    ("太郎", "タロウ", "Taro"),
    ("陽翔", "ハルト", "Haruto"),
    ("結愛", "ユア", "Yua"),
    ("湊", "ミナト", "Minato"),
    ("千尋", "チヒロ", "Chihiro"),
    ("翔太", "ショウタ", "Shota"),
    ("悠真", "ユウマ", "Yuma"),
    ("心春", "コハル", "Koharu"),
    ("颯", "ハヤテ", "Hayate"),
    ("凛", "リン", "Rin"),
    ("紬", "ツムギ", "Tsumugi"),
    ("樹", "イツキ", "Itsuki"),
    ("智子", "トモコ", "Tomoko"),
    ("健一", "ケンイチ", "Kenichi"),
    ("由美子", "ユミコ", "Yumiko"),
    ("譲二", "ジョウジ", "Joji"),
    ("陽葵", "ヒマリ", "Himari"),
    ("碧", "アオイ", "Aoi"),
    ("湊斗", "ミナト", "Minato"),
];

/// `form` for a kanji name made of `parts`: `unknown` when IPADIC lacks a
/// part, else `kind`.
fn kanji_form(parts: &[&str], kind: &'static str) -> &'static str {
    if parts.iter().any(|p| UNKNOWN_TO_IPADIC.contains(p)) {
        "unknown"
    } else {
        kind
    }
}

const FOREIGN: &[&str] = &[
    "ジョン・スミス",
    "アンナ・シュミット",
    "グエン・ヴァン・アン",
    "ソフィー・マルタン",
    "マイケル・ブラウン",
    "マリア・ガルシア",
];

const CORPS: &[(&str, &str)] = &[
    ("株式会社みらいテック", "mirai-tech.jp"),
    ("北斗物流株式会社", "hokuto-logi.co.jp"),
    ("瀬戸内フーズ株式会社", "setouchi-foods.co.jp"),
    ("株式会社ネクストリンク", "nextlink.co.jp"),
];

/// Sentences with no personal data but surnames inside places and companies.
const PLACES_AND_COMPANIES: &[&str] = &[
    "千葉県船橋市の物流センターは来月から稼働します。",
    "株式会社山田製作所との取引条件を見直しました。",
    "佐藤食品株式会社の新工場が松本市に完成しました。",
    "大阪支社と名古屋営業所の統合は来期の予定です。",
    "東京本社の会議室は改装中のため、横浜オフィスをご利用ください。",
    "鈴木町の倉庫から福田駅前の店舗へ商品を移します。",
    "豊田市と岡崎市の販売店向けに説明会を開きます。",
    "森ビルの3階に新しい窓口を開設しました。",
    "藤井寺の研修施設は12月に閉鎖されます。",
    "中村区の営業所で在庫の棚卸しを実施しました。",
    "本日出荷分は渋谷の配送センターから発送します。",
    "北海道と沖縄県への配送は2日ほど遅れる見込みです。",
    "山口県庁の入札に参加しました。",
    "石川県金沢市の展示会に出展します。",
    "長野県の工場見学は雨天決行です。",
    "富士見建設株式会社が施工を担当します。",
];

fn full(
    rng: &mut Rng,
) -> (
    (&'static str, &'static str, &'static str),
    (&'static str, &'static str, &'static str),
) {
    (*rng.pick(SURNAMES), *rng.pick(GIVEN))
}

fn hira(k: &str) -> String {
    k.chars()
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// One document of the `names` genre.
pub fn names(rng: &mut Rng, b: &mut Builder) {
    if rng.chance(25) {
        for _ in 0..rng.range(6, 12) {
            b.s(*rng.pick(PLACES_AND_COMPANIES));
            b.s("\n");
        }
        return;
    }
    let (s1, g1) = full(rng);
    let (s2, g2) = full(rng);
    let (corp, domain) = *rng.pick(CORPS);
    let sp = *rng.pick(&[" ", "", "\u{3000}"]);
    let full1 = kanji_form(&[s1.0, g1.0], "kanji-full");
    let full2 = kanji_form(&[s2.0, g2.0], "kanji-full");
    let sur1 = kanji_form(&[s1.0], "surname");
    let sur2 = kanji_form(&[s2.0], "surname");
    // Letter head and introduction.
    b.s(corp).s("\n");
    b.name(sur2, "addressee", s2.0).s("様\n\n");
    b.s("いつもお世話になっております。")
        .s(corp)
        .s("の")
        .name(sur1, "prose", s1.0)
        .s("でございます。\n");
    match rng.below(4) {
        0 => {
            b.s("先日は")
                .name(sur2, "prose", s2.0)
                .s("さんにご対応いただきました。\n");
        }
        1 => {
            b.s("弊社の担当は")
                .name(full1, "prose", format!("{}{sp}{}", s1.0, g1.0))
                .s("となります。\n");
        }
        2 => {
            b.s("@")
                .name(sur2, "mention", s2.0)
                .s("さん 資料を共有しました。\n");
        }
        _ => {
            b.s("本件は")
                .name(sur2, "prose", s2.0)
                .s("部長にもご確認いただいております。\n");
        }
    }
    // A form with furigana.
    match rng.below(4) {
        0 => {
            b.s("氏名：")
                .name(full2, "label", format!("{}{sp}{}", s2.0, g2.0))
                .s("（");
            b.name("furigana", "label", format!("{} {}", s2.1, g2.1))
                .s("）\n");
        }
        1 => {
            let ksp = *rng.pick(&[" ", "\u{3000}"]);
            b.s("フリガナ：")
                .name("furigana", "label", format!("{}{ksp}{}", s2.1, g2.1))
                .s("\n");
            b.s("氏名：")
                .name(full2, "label", format!("{} {}", s2.0, g2.0))
                .s("\n");
        }
        2 => {
            b.s("ふりがな：")
                .name(
                    "hiragana",
                    "label",
                    format!("{} {}", hira(s2.1), hira(g2.1)),
                )
                .s("\n");
            b.s("お名前：")
                .name(full2, "label", format!("{}{sp}{}", s2.0, g2.0))
                .s("\n");
        }
        _ => {
            b.s("お名前（ひらがな）：")
                .name(
                    "hiragana",
                    "label",
                    format!("{} {}", hira(s2.1), hira(g2.1)),
                )
                .s("\n");
        }
    }
    // Foreign names and lists.
    if rng.chance(50) {
        b.s("担当：")
            .name("foreign", "label", *rng.pick(FOREIGN))
            .s("\n");
    }
    let (s3, _) = full(rng);
    b.s("出席者：")
        .name(sur1, "attendees", s1.0)
        .s("、")
        .name(kanji_form(&[s3.0], "surname"), "attendees", s3.0)
        .s("（営業部）、");
    b.name("foreign", "attendees", *rng.pick(FOREIGN)).s("\n");
    // Later mentions: surname alone, given name alone, katakana, hiragana.
    b.s("詳細は")
        .name(sur1, "prose", s1.0)
        .s("からご連絡します。\n");
    if rng.chance(60) {
        b.s("なお、")
            .name(kanji_form(&[g1.0], "given"), "prose", g1.0)
            .s("が不在の場合は代理の者が対応します。\n");
    }
    if rng.chance(40) {
        b.s("ご不明点は")
            .name(kanji_form(&[g2.0], "given"), "prose", g2.0)
            .s("さんまでお尋ねください。\n");
    }
    if rng.chance(40) {
        b.name(sur2, "prose", s2.0)
            .s("（")
            .name("furigana", "prose", s2.1)
            .s("）様からも伺っております。\n");
    }
    if rng.chance(70) {
        b.s("（")
            .name("katakana", "prose", s1.1)
            .s("宛にお電話ください）\n");
    }
    if rng.chance(30) {
        b.name(
            "katakana",
            "addressee",
            format!("{}{}{}", s2.1, *rng.pick(&[" ", "\u{3000}"]), g2.1),
        )
        .s("様へのお届け物は受付で預かっています。\n");
    }
    if rng.chance(25) {
        b.s("受付で")
            .name(
                "hiragana",
                "prose",
                format!("{} {}", hira(s2.1), hira(g2.1)),
            )
            .s("さまとお呼びします。\n");
    }
    // Chat log.
    if rng.chance(40) {
        b.s("[10:")
            .s(format!("{:02}", rng.range(0, 59)))
            .s("] ")
            .name(sur1, "speaker", s1.0)
            .s(": 了解です\n");
    }
    if rng.chance(30) {
        b.s("To: ")
            .name(full2, "from-to", format!("{} {}", s2.0, g2.0))
            .s(" 様\n");
    }
    // Signature with romaji.
    b.s("--\n").s(corp).s(" 営業部\n");
    b.name(full1, "signature", format!("{}{sp}{}", s1.0, g1.0))
        .s("\n");
    match rng.below(3) {
        0 => b.name("romaji", "signature", format!("{} {}", g1.2, s1.2)),
        1 => b.name(
            "romaji",
            "signature",
            format!("{} {}", s1.2.to_uppercase(), g1.2),
        ),
        _ => b.name(
            "romaji",
            "signature",
            format!("{} {}", g1.2.to_uppercase(), s1.2.to_uppercase()),
        ),
    }
    .s("\n");
    b.s("From: ")
        .name("romaji", "from-to", format!("{} {}", g1.2, s1.2))
        .s(" <");
    b.g(
        "email",
        format!("{}.{}@{domain}", g1.2.to_lowercase(), s1.2.to_lowercase()),
    )
    .s(">\n");
}
