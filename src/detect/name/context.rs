//! Context words around names: honorifics and titles after a name, labels
//! before one, and the words that show a noun is a place or a company.

/// Honorifics and titles that follow a name (longest first where one is a
/// prefix of another).
pub const AFTER: &[&str] = &[
    "さん",
    "さま",
    "様",
    "殿",
    "氏",
    "君",
    "くん",
    "ちゃん",
    "先生",
    "先輩",
    "部長",
    "課長",
    "社長",
    "係長",
    "次長",
    "室長",
    "所長",
    "店長",
    "支店長",
    "主任",
    "専務",
    "常務",
    "会長",
    "副社長",
    "取締役",
    "担当",
    "教授",
    "准教授",
    "博士",
    "弁護士",
    "税理士",
    "医師",
    "マネージャー",
    "リーダー",
    "代表",
    "部員",
    "様方",
    "でございます",
    "と申します",
];

/// Self-introductions: unknown words and proper nouns before them are names
/// too (`ネクストリンクの與那覇でございます`).
pub const INTRO_AFTER: &[&str] = &["でございます", "と申します"];

/// Honorifics strong enough that any noun before them (not a stop word) is
/// taken as a name: `薬師寺様`.
pub const STRONG_AFTER: &[&str] = &[
    "さん",
    "さま",
    "様",
    "殿",
    "氏",
    "くん",
    "ちゃん",
    "君",
    "先生",
];

/// Nouns that take an honorific but are not names.
pub const NOT_NAMES: &[&str] = &[
    "客",
    "お客",
    "皆",
    "皆々",
    "各位",
    "貴社",
    "御社",
    "弊社",
    "当社",
    "先方",
    "担当",
    "担当者",
    "会員",
    "利用者",
    "顧客",
    "患者",
    "奥",
    "神",
    "王",
    "業者",
    "会社",
    "取引先",
    "ユーザー",
    "お客さん",
    "家族",
    "ご家族",
    "相手",
    "先生",
    "皆さん",
    "方",
    "殿",
    "様",
    "ゲスト",
    "メンバー",
    "オーナー",
    "店",
    "お店",
    "学生",
    "社員",
    "部長",
    "課長",
    "社長",
    "営業",
    "事務局",
    "受付",
    "窓口",
    "本人",
    "関係者",
    "各社",
    "同社",
    "他社",
    "御中",
    "仏",
    "親",
    "子",
    "母",
    "父",
    "兄",
    "姉",
    "弟",
    "妹",
    "娘",
    "息子",
    "旦那",
    "奥さん",
    "おじ",
    "おば",
    "みな",
    "みんな",
    "あなた",
    "そちら",
    "こちら",
    "誰",
    "どなた",
    "向こう",
    "新人",
    "上司",
    "部下",
    "同僚",
    "友達",
    "講師",
    "医者",
    "大家",
    "店長",
    "運転手",
    "ドライバー",
    "スタッフ",
    "パートナー",
    "カスタマー",
    "サポート",
    "チーム",
    "プロ",
];

/// Labels after which a name follows (`氏名：山田太郎`, `担当 佐藤`).
/// `(label, list)`: a list label takes several names separated by `、`.
pub const LABELS: &[(&str, bool)] = &[
    ("お届け先氏名", false),
    ("お客様氏名", false),
    ("お客様名", false),
    ("顧客名", false),
    ("担当者名", false),
    ("ご契約者", false),
    ("申込者", false),
    ("ご注文者様", false),
    ("ご注文者", false),
    ("注文者", false),
    ("お名前", false),
    ("氏名", false),
    ("名前", false),
    ("宛名", false),
    ("担当者", true),
    ("担当", true),
    ("差出人", false),
    ("送信者", false),
    ("作成者", false),
    ("承認者", true),
    ("申請者", false),
    ("依頼者", false),
    ("報告者", false),
    ("記録者", false),
    ("記録", false),
    ("書記", false),
    ("司会", false),
    ("出席者", true),
    ("参加者", true),
    ("欠席者", true),
    ("出席", true),
    ("宛先", true),
    ("受取人", false),
    ("契約者", false),
    ("名義人", false),
    ("代表者", false),
    ("連絡先", false),
    ("From", false),
    ("To", true),
    ("Cc", true),
    ("CC", true),
    // A person's other names, as biographies introduce them (`諱は尊成。`,
    // `幼名は正袈裟`, `本名は森　林太郎。`, `旧姓はロバーツ。`); appended, so
    // the label feature's numbers of the labels above stay as trained.
    // Not 通称 / 愛称 / 初名 / 旧名: things have them too (`通称はエアコン`,
    // `愛称はコーク`, `初名は帝國地方行政學會`).
    ("諱", true),
    ("幼名", true),
    ("字", true),
    ("雅号", true),
    ("筆名", true),
    ("本名", false),
    ("旧姓", false),
    ("芸名", false),
    ("俗名", false),
    ("法名", false),
    ("戒名", false),
    ("出生名", false),
    ("姓名", false),
];

/// Labels of a reading (`フリガナ：ヤマダ タロウ`).
pub const READING_LABELS: &[&str] = &["フリガナ", "ふりがな", "カナ", "よみがな", "ヨミガナ"];

/// Words right after a noun that make it a place or an organisation.
pub const PLACE_OR_ORG_AFTER: &[&str] = &[
    "県",
    "府",
    "都",
    "道",
    "市",
    "区",
    "町",
    "村",
    "郡",
    "駅",
    "線",
    "通り",
    "支社",
    "支店",
    "本社",
    "営業所",
    "工場",
    "事業所",
    "大学",
    "高校",
    "病院",
    "銀行",
    "株式会社",
    "有限会社",
    "商事",
    "商店",
    "工業",
    "建設",
    "電機",
    "製作所",
    "ホールディングス",
    "グループ",
    "産業",
    "不動産",
    "物産",
    "興業",
    "証券",
    "生命",
    "保険",
    "鉄道",
    "空港",
    "港",
    "川",
    "山",
    "城",
    "寺",
    "神社",
    "公園",
    "ビル",
    "ホテル",
    "センター",
    "町内",
    "地区",
    "店",
    "屋",
    "邸",
    "家",
];

/// Words glued right after a name that make the whole a thing named after
/// a person or a people (`カルヴァン派`, `キリスト教`, `ユリウス暦`, `トニー賞`,
/// `アングロ・サクソン人`, `ケッペン式`): the name is no mention of a person
/// there. With [`PLACE_OR_ORG_AFTER`] (but its `家`), what the model's
/// names may not be glued to. Not here: `家`, `朝`, `主義` (`島津家`,
/// `ウマイヤ朝`, `マルクス主義`: the annotators of real prose mark those
/// names as persons).
pub const EPONYM_AFTER: &[&str] = &[
    "教",
    "派",
    "暦",
    "賞",
    "式",
    "語",
    "族",
    "人",
    "山脈",
    "流域",
    "教会",
    "効果",
    "定理",
    "方程式",
    "時代",
    "条約",
    "学派",
    "帝国",
    "語族",
    "民族",
    "様式",
    "体",
];

/// Words right before a noun that make it an organisation.
pub const ORG_BEFORE: &[&str] = &[
    "株式会社",
    "有限会社",
    "合同会社",
    "(株)",
    "(有)",
    "㈱",
    "㈲",
];

/// True when `s` starts with one of `words`; returns the longest.
pub fn starts_with_any(s: &str, words: &[&str]) -> Option<usize> {
    // The first byte first: most words differ there, and it saves a
    // `memcmp` call per word (the lists are searched for every token).
    let first = *s.as_bytes().first()?;
    words
        .iter()
        .filter(|w| w.as_bytes().first() == Some(&first) && s.starts_with(**w))
        .map(|w| w.len())
        .max()
}

/// True when `s` ends with one of `words`.
pub fn ends_with_any(s: &str, words: &[&str]) -> bool {
    let Some(&last) = s.as_bytes().last() else {
        return words.iter().any(|w| w.is_empty());
    };
    words
        .iter()
        .any(|w| w.as_bytes().last().is_none_or(|&b| b == last) && s.ends_with(*w))
}

/// The first characters of [`AFTER`], for a cheap check before the list.
pub const HONORIFIC_FIRST: &str =
    "さ様殿氏君くち先部課社係次室所店支主専常会副取担教准博弁税医マリ代でと";

/// The first characters of [`LABELS`] and [`READING_LABELS`].
pub const LABEL_FIRST: &str =
    "おご注氏名宛担差送作承申依報記書司出参欠受契代連顧FTCフふカよヨ諱幼字雅筆本旧芸俗法戒姓";

/// True for a character in [`HONORIFIC_FIRST`] (a `match`, not a search).
pub fn honorific_first(c: char) -> bool {
    matches!(
        c,
        'さ' | '様'
            | '殿'
            | '氏'
            | '君'
            | 'く'
            | 'ち'
            | '先'
            | '部'
            | '課'
            | '社'
            | '係'
            | '次'
            | '室'
            | '所'
            | '店'
            | '支'
            | '主'
            | '専'
            | '常'
            | '会'
            | '副'
            | '取'
            | '担'
            | '教'
            | '准'
            | '博'
            | '弁'
            | '税'
            | '医'
            | 'マ'
            | 'リ'
            | '代'
            | 'で'
            | 'と'
    )
}

/// True for a character in [`LABEL_FIRST`].
pub fn label_first(c: char) -> bool {
    matches!(
        c,
        'お' | 'ご'
            | '注'
            | '氏'
            | '名'
            | '宛'
            | '担'
            | '差'
            | '送'
            | '作'
            | '承'
            | '申'
            | '依'
            | '報'
            | '記'
            | '書'
            | '司'
            | '出'
            | '参'
            | '欠'
            | '受'
            | '契'
            | '代'
            | '連'
            | '顧'
            | 'F'
            | 'T'
            | 'C'
            | 'フ'
            | 'ふ'
            | 'カ'
            | 'よ'
            | 'ヨ'
            | '諱'
            | '幼'
            | '字'
            | '雅'
            | '筆'
            | '本'
            | '旧'
            | '芸'
            | '俗'
            | '法'
            | '戒'
            | '姓'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_character_sets_cover_the_lists() {
        for w in AFTER {
            assert!(honorific_first(w.chars().next().unwrap()), "{w}");
        }
        for (w, _) in LABELS {
            assert!(label_first(w.chars().next().unwrap()), "{w}");
        }
        for w in READING_LABELS {
            assert!(label_first(w.chars().next().unwrap()), "{w}");
        }
    }
}
