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
