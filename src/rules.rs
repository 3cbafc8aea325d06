//! Rules: turn a resolved finding into its replacement text, as the policy's
//! action for its category says.
//!
//! Rules work on the ORIGINAL text of the span, so widths are kept: a
//! full-width digit is masked with `＊`, an ASCII digit with `*`, and
//! separators (`-`, `(`, spaces, `／`) stay where they were.

use crate::policy::Action;
use crate::span::Category;

/// The default label of each category (used when a `label` action names none,
/// and as the fallback of `initials`/`prefecture` when no hint is known).
pub fn default_label(cat: Category) -> &'static str {
    match cat {
        Category::Name => "[氏名]",
        Category::Address => "[住所]",
        Category::Phone => "[電話番号]",
        Category::Email => "[メールアドレス]",
        Category::PostalCode => "[郵便番号]",
        Category::MyNumber => "[マイナンバー]",
        Category::Card => "[カード番号]",
        Category::CardDetail => "[カード情報]",
        Category::Secret => "[SECRET]",
        Category::DenyTerm => "[禁止語]",
        Category::Classification => "[機密区分]",
    }
}

/// Appends the replacement for `original` (the finding's original text) to
/// `out`. `Keep` and `Block` append the original unchanged.
pub fn render(
    cat: Category,
    action: &Action,
    original: &str,
    hint: Option<&str>,
    out: &mut String,
) {
    match action {
        Action::Keep | Action::Block => out.push_str(original),
        Action::Remove => {}
        Action::Label { label } => out.push_str(label.as_deref().unwrap_or(default_label(cat))),
        Action::Initials | Action::Prefecture => out.push_str(hint.unwrap_or(default_label(cat))),
        Action::MaskAll => mask_units(cat, original, Keep::None, out),
        Action::KeepLast { n, mask_domain } if cat == Category::Email => {
            render_email(original, *n, *mask_domain, out)
        }
        Action::KeepLast { n, .. } => mask_units(cat, original, Keep::Last(*n), out),
        Action::MaskLast { n } => mask_units(cat, original, Keep::AllButLast(*n), out),
    }
}

#[derive(Clone, Copy)]
enum Keep {
    None,
    Last(usize),
    AllButLast(usize),
}

/// What counts as a maskable unit: digits (ASCII, full-width, and kanji
/// digits, which the normalized view reads as digits in a telephone-length
/// run) for number-shaped categories,
/// every non-space character otherwise.
fn is_unit(cat: Category, c: char) -> bool {
    match cat {
        Category::Phone
        | Category::Card
        | Category::CardDetail
        | Category::PostalCode
        | Category::MyNumber => {
            c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || matches!(
                    c,
                    '〇' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九'
                )
        }
        _ => !c.is_whitespace() && !is_invisible(c),
    }
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// The mask character matching the width of `c`.
fn star_for(c: char) -> char {
    if c as u32 <= 0xFF || ('\u{FF61}'..='\u{FF9F}').contains(&c) {
        '*'
    } else {
        '＊'
    }
}

fn mask_units(cat: Category, original: &str, keep: Keep, out: &mut String) {
    let total = original.chars().filter(|&c| is_unit(cat, c)).count();
    let mut seen = 0;
    for c in original.chars() {
        if !is_unit(cat, c) {
            out.push(c);
            continue;
        }
        let visible = match keep {
            Keep::None => false,
            Keep::Last(n) => seen + n >= total,
            Keep::AllButLast(n) => seen + n < total,
        };
        seen += 1;
        out.push(if visible { c } else { star_for(c) });
    }
}

/// E-mail: mask the local part but at most its last `n` characters, and never
/// keep more than half of it; keep the domain unless `mask_domain`.
fn render_email(original: &str, n: usize, mask_domain: bool, out: &mut String) {
    let at = original.rfind(['@', '＠']);
    let Some(at) = at else {
        return mask_units(
            Category::Email,
            original,
            Keep::Last(n.min(original.chars().count() / 2)),
            out,
        );
    };
    let (local, domain) = original.split_at(at);
    // A `mailto:` prefix inside the span stays readable.
    let (prefix, local) = match local.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("mailto:") => local.split_at(7),
        _ => ("", local),
    };
    out.push_str(prefix);
    let len = local
        .chars()
        .filter(|&c| is_unit(Category::Email, c))
        .count();
    let keep = n.min(len / 2);
    mask_units(Category::Email, local, Keep::Last(keep), out);
    if mask_domain {
        let mut chars = domain.chars();
        if let Some(at_sign) = chars.next() {
            out.push(at_sign);
        }
        for c in chars {
            out.push(if matches!(c, '.' | '．') {
                c
            } else {
                star_for(c)
            });
        }
    } else {
        out.push_str(domain);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(cat: Category, action: Action, s: &str) -> String {
        let mut out = String::new();
        render(cat, &action, s, None, &mut out);
        out
    }

    fn keep4() -> Action {
        Action::KeepLast {
            n: 4,
            mask_domain: false,
        }
    }

    #[test]
    fn phone_keeps_last_four_and_separators() {
        assert_eq!(
            r(Category::Phone, keep4(), "090-1234-5678"),
            "***-****-5678"
        );
        assert_eq!(r(Category::Phone, keep4(), "03(1234)5678"), "**(****)5678");
        assert_eq!(
            r(Category::Phone, keep4(), "+81-90-1234-5678"),
            "+**-**-****-5678"
        );
        assert_eq!(
            r(Category::Phone, keep4(), "０９０－１２３４－５６７８"),
            "＊＊＊－＊＊＊＊－５６７８"
        );
    }

    #[test]
    fn phone_in_kanji_digits_keeps_its_last_four_kanji() {
        assert_eq!(
            r(Category::Phone, keep4(), "〇九〇－一二三四－五六七八"),
            "＊＊＊－＊＊＊＊－五六七八"
        );
    }

    #[test]
    fn phone_mask_last_alternative() {
        assert_eq!(
            r(Category::Phone, Action::MaskLast { n: 4 }, "090-1234-5678"),
            "090-1234-****"
        );
    }

    #[test]
    fn email_keeps_at_most_four_and_at_most_half() {
        assert_eq!(
            r(Category::Email, keep4(), "taro.yamada@example.co.jp"),
            "*******mada@example.co.jp"
        );
        assert_eq!(
            r(Category::Email, keep4(), "abc@example.com"),
            "**c@example.com"
        );
        assert_eq!(
            r(Category::Email, keep4(), "a@example.com"),
            "*@example.com"
        );
        assert_eq!(
            r(Category::Email, keep4(), "mailto:taro@x.jp"),
            "mailto:**ro@x.jp"
        );
        assert_eq!(
            r(
                Category::Email,
                Action::KeepLast {
                    n: 4,
                    mask_domain: true
                },
                "taro@ex.co.jp"
            ),
            "**ro@**.**.**"
        );
        assert_eq!(
            r(Category::Email, keep4(), "ｔａｒｏ＠ｘ．ｊｐ"),
            "＊＊ｒｏ＠ｘ．ｊｐ"
        );
    }

    #[test]
    fn card_and_postal() {
        assert_eq!(
            r(Category::Card, keep4(), "4111 1111 1111 1111"),
            "**** **** **** 1111"
        );
        assert_eq!(
            r(Category::PostalCode, Action::MaskAll, "〒150-0002"),
            "〒***-****"
        );
        assert_eq!(r(Category::CardDetail, Action::MaskAll, "07/29"), "**/**");
    }

    #[test]
    fn labels_remove_and_keep() {
        assert_eq!(
            r(
                Category::MyNumber,
                Action::Label { label: None },
                "123456789018"
            ),
            "[マイナンバー]"
        );
        assert_eq!(
            r(
                Category::Secret,
                Action::Label {
                    label: Some("<x>".into())
                },
                "sk-abc"
            ),
            "<x>"
        );
        assert_eq!(r(Category::Secret, Action::Remove, "sk-abc"), "");
        assert_eq!(
            r(Category::Classification, Action::Keep, "社外秘"),
            "社外秘"
        );
        assert_eq!(r(Category::Name, Action::Initials, "山田"), "[氏名]");
    }

    #[test]
    fn masking_masked_output_is_stable() {
        for s in [
            "090-1234-5678",
            "4111 1111 1111 1111",
            "taro.yamada@example.co.jp",
            "ab@x.jp",
        ] {
            let cat = if s.contains('@') {
                Category::Email
            } else {
                Category::Phone
            };
            let once = r(cat, keep4(), s);
            assert_eq!(r(cat, keep4(), &once), once, "{s}");
        }
    }
}
