//! Roles of structured fields: what a CSV column or a JSON key holds when its
//! header says so (氏名, フリガナ, 電話番号, `email`, ...), so a cell is masked
//! by its role even when the cell alone gives no clue.
//!
//! The built-in table is `dictionaries/csv_headers.tsv` (header, TAB, role);
//! a user mapping file in the same format adds to it (`--columns FILE`).
//! Headers are compared after [`normalize_header`]. Headers in no table fall
//! back to a few safe substring rules (電話, メール, 郵便番号, フリガナ, ...),
//! and otherwise to scanning the cell as text.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use unicode_normalization::UnicodeNormalization;

use crate::error::Error;
use crate::span::Category;

/// What a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// A person's name (or part of it): masked as [`Category::Name`].
    Name,
    /// A name's reading (フリガナ): masked as [`Category::Name`] with its
    /// initials as the hint.
    Reading,
    /// A postal code.
    PostalCode,
    /// A prefecture: kept (the `prefecture` rule keeps it anyway).
    Prefecture,
    /// Any other part of an address: masked as [`Category::Address`].
    Address,
    /// A telephone or fax number.
    Phone,
    /// An e-mail address.
    Email,
    /// A payment card number.
    Card,
    /// A date of birth: every digit masked.
    Birthdate,
    /// Free text: scanned like any text.
    Text,
    /// Never masked (user mappings only).
    Keep,
}

impl Role {
    /// Parses a role name as written in mapping files.
    pub fn from_name(s: &str) -> Option<Role> {
        Some(match s.trim() {
            "name" => Role::Name,
            "reading" | "kana" => Role::Reading,
            "postal-code" | "postal" | "zip" => Role::PostalCode,
            "prefecture" => Role::Prefecture,
            "address" => Role::Address,
            "phone" | "tel" => Role::Phone,
            "email" => Role::Email,
            "card" => Role::Card,
            "birthdate" => Role::Birthdate,
            "text" => Role::Text,
            "keep" => Role::Keep,
            _ => return None,
        })
    }

    /// The category a whole-field finding of this role has, if any.
    pub fn category(self) -> Option<Category> {
        match self {
            Role::Name | Role::Reading | Role::Birthdate => Some(Category::Name),
            Role::PostalCode => Some(Category::PostalCode),
            Role::Address => Some(Category::Address),
            Role::Phone => Some(Category::Phone),
            Role::Email => Some(Category::Email),
            Role::Card => Some(Category::Card),
            Role::Prefecture | Role::Text | Role::Keep => None,
        }
    }
}

/// Normalizes a header for lookup: NFKC, lower case, bracketed parts
/// (`(請求先)`, `【配送先】`) removed, and spaces, digits and `- _ . : ・ /`
/// dropped.
pub fn normalize_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut depth = 0usize;
    for c in h.trim_start_matches('\u{FEFF}').nfkc() {
        match c {
            '(' | '[' | '【' | '「' | '〔' | '<' => depth += 1,
            ')' | ']' | '】' | '」' | '〕' | '>' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() || c.is_ascii_digit() => {}
            '-' | '_' | '.' | ':' | '・' | '/' | '"' | '\'' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Header → role lookups: user mappings first, then the built-in table.
#[derive(Clone, Debug)]
pub struct RoleMap {
    map: Arc<HashMap<String, Role>>,
    user: HashMap<String, Role>,
}

const BUILTIN: &str = include_str!("../../dictionaries/csv_headers.tsv");

/// The built-in table, parsed once per process and shared (read-only) by
/// every [`RoleMap`]: parsing it costs ~0.9 M instructions, which a short
/// text masked through the library must not pay on every call.
static BUILTIN_ROLES: LazyLock<Arc<HashMap<String, Role>>> = LazyLock::new(|| {
    let mut m = RoleMap {
        map: Arc::default(),
        user: HashMap::new(),
    };
    // The built-in table is checked by a test; bad lines cannot occur.
    let _ = m.add_tsv(BUILTIN, "built-in header table");
    Arc::new(m.user)
});

impl Default for RoleMap {
    fn default() -> Self {
        RoleMap {
            map: Arc::clone(&BUILTIN_ROLES),
            user: HashMap::new(),
        }
    }
}

impl RoleMap {
    /// Adds `header<TAB>role` lines (`#` comments and blank lines skipped);
    /// later entries override earlier ones.
    ///
    /// # Errors
    ///
    /// [`Error::Policy`] naming the line of a malformed entry or unknown role.
    pub fn add_tsv(&mut self, text: &str, source: &str) -> Result<(), Error> {
        for (i, line) in text.trim_start_matches('\u{FEFF}').lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (h, r) = line.split_once('\t').ok_or_else(|| {
                Error::Policy(format!("{source}:{}: expected header<TAB>role", i + 1))
            })?;
            let role = Role::from_name(r).ok_or_else(|| {
                Error::Policy(format!(
                    "{source}:{}: unknown role {r:?} (name, reading, postal-code, prefecture, address, phone, email, card, birthdate, text, keep)",
                    i + 1
                ))
            })?;
            self.user.insert(normalize_header(h), role);
        }
        Ok(())
    }

    /// Adds a policy's `[roles]` under the user mappings already present
    /// (a `--columns` file wins over the policy).
    pub fn add_policy_roles<'a>(
        &mut self,
        roles: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) {
        for (h, r) in roles {
            if let Some(role) = Role::from_name(r) {
                self.user.entry(normalize_header(h)).or_insert(role);
            }
        }
    }

    /// The role of a header: a table entry, else a substring rule, else `None`
    /// (scan the field as text).
    pub fn role(&self, header: &str) -> Option<Role> {
        let h = normalize_header(header);
        if h.is_empty() {
            return None;
        }
        if let Some(r) = self.user.get(&h).or_else(|| self.map.get(&h)) {
            return Some(*r);
        }
        fallback(&h)
    }
}

fn fallback(h: &str) -> Option<Role> {
    let has = |subs: &[&str]| subs.iter().any(|s| h.contains(s));
    if has(&[
        "フリガナ",
        "ふりがな",
        "カナ",
        "kana",
        "yomi",
        "phonetic",
        "furigana",
    ]) {
        return Some(Role::Reading);
    }
    if has(&["メール", "email", "mail"]) {
        return Some(Role::Email);
    }
    if has(&["電話", "携帯", "tel", "phone", "fax", "mobile"]) {
        return Some(Role::Phone);
    }
    if has(&["郵便番号", "〒", "zip", "postal", "postcode"]) {
        return Some(Role::PostalCode);
    }
    if has(&["カード番号", "cardnumber"]) {
        return Some(Role::Card);
    }
    if has(&["生年月日", "誕生日", "birth"]) {
        return Some(Role::Birthdate);
    }
    if has(&["都道府県", "prefecture", "province"]) {
        return Some(Role::Prefecture);
    }
    if has(&[
        "住所",
        "番地",
        "建物",
        "マンション",
        "市区町村",
        "以降",
        "address",
        "street",
    ]) {
        return Some(Role::Address);
    }
    if h.ends_with("氏名") || h.ends_with("お名前") || h.ends_with("名前") || h.ends_with("名字")
    {
        return Some(Role::Name);
    }
    const PERSON: [&str; 9] = [
        "buyer",
        "recipient",
        "customer",
        "billing",
        "shipping",
        "first",
        "last",
        "full",
        "real",
    ];
    if h.ends_with("name") && PERSON.iter().any(|p| h.starts_with(p)) {
        return Some(Role::Name);
    }
    None
}

/// The 47 prefectures, for the `prefecture` rule on address fields (the
/// postal detector's list).
pub use crate::detect::postal::PREFECTURES;

/// The prefecture an address starts with, if any.
pub fn prefecture_of(address: &str) -> Option<&'static str> {
    let a = address.trim_start();
    PREFECTURES.iter().copied().find(|p| a.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses() {
        let mut m = RoleMap {
            map: Arc::default(),
            user: HashMap::new(),
        };
        m.add_tsv(BUILTIN, "built-in").unwrap();
        assert!(m.user.len() > 100);
    }

    #[test]
    fn real_export_headers() {
        let m = RoleMap::default();
        for (h, r) in [
            ("送付先住所：都道府県", Role::Prefecture),
            ("送付先住所：町以降", Role::Address),
            ("注文者名字フリガナ", Role::Reading),
            ("注文者電話番号1", Role::Phone),
            ("氏(請求先)", Role::Name),
            ("buyer-phone-number", Role::Phone),
            ("recipient-name", Role::Name),
            ("ship-address-1", Role::Address),
            ("ship-state", Role::Prefecture),
            ("E-mail 1 - Value", Role::Email),
            ("Given Name Yomi", Role::Reading),
            ("Billing Name", Role::Name),
            ("ShipZipCode", Role::PostalCode),
            ("お届け先氏名", Role::Name),
            ("マンション名以降", Role::Address),
            ("ＴＥＬ", Role::Phone),
        ] {
            assert_eq!(m.role(h), Some(r), "{h}");
        }
        for h in ["商品名", "注文番号", "Product Name", "金額", "sku"] {
            assert_eq!(m.role(h), None, "{h}");
        }
    }

    #[test]
    fn user_mappings_add_and_override() {
        let mut m = RoleMap::default();
        m.add_tsv("会員ID\tkeep\n担当\tname\n", "cols.tsv").unwrap();
        assert_eq!(m.role("担当"), Some(Role::Name));
        assert_eq!(m.role("会員ID"), Some(Role::Keep));
        assert!(m.add_tsv("x\tnope\n", "cols.tsv").is_err());
        assert!(m.add_tsv("x name\n", "cols.tsv").is_err());
        let policy = [
            ("担当".to_string(), "phone".to_string()),
            ("顧客コード".to_string(), "keep".to_string()),
        ];
        m.add_policy_roles(policy.iter().map(|(a, b)| (a, b)));
        assert_eq!(m.role("担当"), Some(Role::Name), "--columns wins");
        assert_eq!(m.role("顧客コード"), Some(Role::Keep));
    }

    #[test]
    fn prefectures() {
        assert_eq!(prefecture_of("東京都千代田区1-1"), Some("東京都"));
        assert_eq!(prefecture_of("千代田区"), None);
    }
}
