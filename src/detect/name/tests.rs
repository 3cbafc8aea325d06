use super::*;
use crate::detect::Haystack;

fn detector() -> &'static NameDetector {
    static D: std::sync::OnceLock<NameDetector> = std::sync::OnceLock::new();
    D.get_or_init(|| NameDetector::new(None).expect("dictionary loads"))
}

/// `(text, hint)` of every name found in `s` (normalized first).
pub(super) fn names_with(d: &NameDetector, s: &str) -> Vec<(String, String)> {
    let t = crate::normalize::normalize(s);
    let mut out = Vec::new();
    d.detect(&Haystack::new(&t, &[]), &mut out);
    out.sort_by_key(|c| c.span.start);
    out.iter()
        .map(|c| {
            (
                t[c.span.start..c.span.end].to_string(),
                c.hint.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn names(s: &str) -> Vec<(String, String)> {
    names_with(detector(), s)
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn dump() {
    for s in [
        "山田太郎です",
        "山田 太郎",
        "山田様",
        "佐藤部長",
        "鈴木さん",
        "千葉県",
        "東京",
        "大阪支社",
    ] {
        eprintln!("{s} => {:?}", names(s));
    }
}

#[test]
fn dump2() {
    let d = detector();
    for s in [
        "記録：金子",
        "記録：金子\n",
        "出席者：松本, 遠藤, 和田，三浦（敬称略）",
        "本件の担当は髙橋　優斗（直通：070-4456-1981）となります。",
        "[8:34] 與那覇: チケット",
        "百目鬼様",
        "アンナ・シュミット",
        "林 蓮",
        "株式会社ネクストリンクの森でございます。",
    ] {
        let t = crate::normalize::normalize(s);
        let mut toks = Vec::new();
        d.lex.tokenize(&t, 0..t.len(), &mut toks);
        let tk: Vec<String> = toks
            .iter()
            .map(|x| {
                format!(
                    "{}/{:?}{}",
                    &t[x.start..x.end],
                    x.pos,
                    if x.name.is_some() { "*" } else { "" }
                )
            })
            .collect();
        eprintln!(
            "{s} => {:?} worth={} {:?}",
            names(s),
            d.worth_tokenizing(&t),
            tk
        );
    }
}

#[test]
fn dump3() {
    let d = detector();
    for s in [
        "  - 髙橋：仕様書の更新（〆切 8/17）",
        "[14:01] 百目鬼: デプロイ",
        "出席者：井上 美咲、ラジェシュ・クマール, 百目鬼, 猪狩ユウキ（敬称略）",
        "與那覇　凛",
        "一ノ瀬 えみり 様",
        "出席者：オリバー＝ウィリアムズ, 原, 原（敬称略）",
    ] {
        let t = crate::normalize::normalize(s);
        let mut toks = Vec::new();
        d.lex.tokenize(&t, 0..t.len(), &mut toks);
        let tk: Vec<String> = toks
            .iter()
            .map(|x| {
                format!(
                    "{}/{:?}{}",
                    &t[x.start..x.end],
                    x.pos,
                    if x.name.is_some() { "*" } else { "" }
                )
            })
            .collect();
        eprintln!(
            "{s} => {:?} worth={} {:?}",
            names(s),
            d.worth_tokenizing(&t),
            tk
        );
    }
}
