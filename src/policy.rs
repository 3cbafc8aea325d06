//! Policies: what to do with each category, which terms to deny or allow.
//!
//! A policy is written in TOML and read with serde (unknown keys are
//! rejected). Two presets are built in:
//!
//! - `default` — the company's rules: phones, cards and e-mail keep their last
//!   four, postal codes lose their digits, My Numbers, secrets and deny-listed
//!   terms become labels, and a document marked 極秘/社外秘/CONFIDENTIAL is
//!   blocked (never sent; a rule that only mentions such documents is no
//!   marking, see [`crate::detect::classification`]).
//! - `strict` — every personal item becomes a label; My Numbers, secrets,
//!   deny-listed terms and classification marks block the whole input.
//!
//! A policy file may start from a preset with `extends = "default"` and then
//! override single categories:
//!
//! ```toml
//! name = "sales"
//! extends = "default"
//!
//! [rules]
//! phone = { action = "mask-last", n = 4 }
//! email = { action = "keep-last", n = 4, mask_domain = true }
//!
//! [deny_list]
//! terms = ["Project Falcon", "ファルコン計画"]
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::span::Category;

/// What to do with one category of finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Action {
    /// Leave the text as it is; the finding is still counted and reported.
    Keep,
    /// Mask every unit (digit, or character of an e-mail's local part) but the
    /// last `n`.
    KeepLast {
        /// How many units stay visible.
        n: usize,
        /// E-mail only: mask the domain as well.
        #[serde(default, skip_serializing_if = "is_false")]
        mask_domain: bool,
    },
    /// Mask the last `n` units, keep the rest.
    MaskLast {
        /// How many units are masked.
        n: usize,
    },
    /// Mask every unit, keep separators.
    MaskAll,
    /// Replace the whole item by a label.
    Label {
        /// The label; each category has a default (`[マイナンバー]`, `[SECRET]`, ...).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
    /// Delete the item.
    Remove,
    /// Refuse the whole input: nothing is written, the run exits 3.
    Block,
    /// Names: romaji initials (`山田太郎` → `Y.T.`); a label when no reading is known.
    Initials,
    /// Addresses: the prefecture only; a label when it cannot be determined.
    Prefecture,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Action {
    /// True for actions that change the text.
    pub fn rewrites(&self) -> bool {
        !matches!(self, Action::Keep | Action::Block)
    }
}

/// A list of terms given inline and/or in files (one term a line, `#` starts
/// a comment line, blank lines ignored).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermList {
    /// Terms written in the policy itself.
    #[serde(default)]
    pub terms: Vec<String>,
    /// Files to read terms from; relative paths are resolved against the
    /// policy file's directory.
    #[serde(default)]
    pub files: Vec<PathBuf>,
}

impl TermList {
    /// All terms: the inline ones, then each file's, trimmed, de-duplicated.
    pub fn load(&self) -> Result<Vec<String>, Error> {
        let mut out: Vec<String> = self.terms.iter().map(|t| t.trim().to_string()).collect();
        for f in &self.files {
            let text = std::fs::read_to_string(f).map_err(|e| Error::Io {
                context: format!("reading term list {}", f.display()),
                source: e,
            })?;
            out.extend(parse_terms(&text));
        }
        out.retain(|t| !t.is_empty());
        out.sort();
        out.dedup();
        Ok(out)
    }
}

/// Parses a term file: one term a line, `#` comments and blank lines skipped,
/// a leading BOM ignored.
pub fn parse_terms(text: &str) -> Vec<String> {
    text.trim_start_matches('\u{FEFF}')
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// What the roster guard does past its limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RosterAction {
    /// Write the masked output and report the count (a warning).
    #[default]
    Report,
    /// Refuse the whole input (exit 3, nothing written).
    Block,
}

/// The roster guard: how many distinct people one structured input (CSV,
/// JSON, e-mail) may name, counted over its name columns and keys. A file of
/// many customers is a roster even when every cell is masked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    /// The most distinct people allowed; no limit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_people: Option<usize>,
    /// What happens past the limit.
    #[serde(default)]
    pub action: RosterAction,
}

/// The effective policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// A name for reports.
    pub name: String,
    /// One action per category.
    pub rules: BTreeMap<Category, Action>,
    /// Categories whose detectors do not run at all.
    #[serde(default)]
    pub disabled: Vec<Category>,
    /// The deny list (禁止リスト).
    #[serde(default)]
    pub deny_list: TermList,
    /// Terms never masked, whatever detector finds them.
    #[serde(default)]
    pub allow_list: TermList,
    /// Name detection settings.
    #[serde(default, skip_serializing_if = "NameSettings::is_empty")]
    pub names: NameSettings,
    /// The roster guard (structured inputs).
    #[serde(default)]
    pub roster: Roster,
    /// Field roles for structured inputs: CSV header or JSON key → role
    /// (`name`, `reading`, `postal-code`, `prefecture`, `address`, `phone`,
    /// `email`, `card`, `birthdate`, `text`, `keep`), on top of the built-in
    /// header table; `--columns` files override them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub roles: BTreeMap<String, String>,
}

/// `[names]`: lists that steer name detection.
///
/// ```toml
/// [names]
/// customers = ["customers.csv"]   # `surface,reading` lines: always masked
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameSettings {
    /// Customer-name lists (CSV `surface,reading`, one name a line): these
    /// names are masked wherever they occur, with the reading's initials.
    /// Relative paths are resolved against the policy file's directory.
    #[serde(default)]
    pub customers: Vec<PathBuf>,
}

impl NameSettings {
    fn is_empty(&self) -> bool {
        self.customers.is_empty()
    }

    /// Reads every customer list.
    pub fn load_customers(&self) -> Result<Vec<crate::detect::name::Customer>, Error> {
        let mut out = Vec::new();
        for f in &self.customers {
            let text = std::fs::read_to_string(f).map_err(|e| Error::Io {
                context: format!("reading customer list {}", f.display()),
                source: e,
            })?;
            out.extend(crate::detect::name::parse_customers(&text));
        }
        Ok(out)
    }
}

/// A policy file as written: everything optional, merged onto a preset.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    name: Option<String>,
    extends: Option<String>,
    #[serde(default)]
    rules: BTreeMap<Category, Action>,
    disabled: Option<Vec<Category>>,
    deny_list: Option<TermList>,
    allow_list: Option<TermList>,
    names: Option<NameSettings>,
    roster: Option<Roster>,
    roles: Option<BTreeMap<String, String>>,
}

/// Names of the built-in presets.
pub const PRESETS: [&str; 2] = ["default", "strict"];

impl Default for Policy {
    fn default() -> Policy {
        Policy::preset("default").expect("default preset exists")
    }
}

impl Policy {
    /// A built-in preset by name (`default` or `strict`).
    pub fn preset(name: &str) -> Option<Policy> {
        let label = |s: &str| Action::Label {
            label: Some(s.to_string()),
        };
        let keep4 = Action::KeepLast {
            n: 4,
            mask_domain: false,
        };
        let mut rules = BTreeMap::new();
        match name {
            "default" => {
                rules.insert(Category::Name, Action::Initials);
                rules.insert(Category::Address, Action::Prefecture);
                rules.insert(Category::Phone, keep4.clone());
                rules.insert(Category::Email, keep4.clone());
                rules.insert(Category::PostalCode, Action::MaskAll);
                rules.insert(Category::MyNumber, label("[マイナンバー]"));
                rules.insert(Category::Card, keep4);
                rules.insert(Category::CardDetail, Action::MaskAll);
                rules.insert(Category::Secret, label("[SECRET]"));
                rules.insert(Category::DenyTerm, label("[禁止語]"));
                rules.insert(Category::Classification, Action::Block);
            }
            "strict" => {
                rules.insert(Category::Name, label("[氏名]"));
                rules.insert(Category::Address, label("[住所]"));
                rules.insert(Category::Phone, label("[電話番号]"));
                rules.insert(Category::Email, label("[メールアドレス]"));
                rules.insert(Category::PostalCode, label("[郵便番号]"));
                rules.insert(Category::MyNumber, Action::Block);
                rules.insert(Category::Card, label("[カード番号]"));
                rules.insert(Category::CardDetail, label("[カード情報]"));
                rules.insert(Category::Secret, Action::Block);
                rules.insert(Category::DenyTerm, Action::Block);
                rules.insert(Category::Classification, Action::Block);
            }
            _ => return None,
        }
        let roster = if name == "strict" {
            Roster {
                max_people: Some(20),
                action: RosterAction::Block,
            }
        } else {
            Roster {
                max_people: Some(100),
                action: RosterAction::Report,
            }
        };
        Some(Policy {
            name: name.to_string(),
            rules,
            disabled: Vec::new(),
            deny_list: TermList::default(),
            allow_list: TermList::default(),
            names: NameSettings::default(),
            roster,
            roles: BTreeMap::new(),
        })
    }

    /// Parses a policy from TOML text. Relative term-list paths are resolved
    /// against `base_dir`.
    pub fn from_toml(text: &str, base_dir: Option<&Path>) -> Result<Policy, Error> {
        let file: PolicyFile =
            toml::from_str(text).map_err(|e| Error::Policy(format!("invalid policy: {e}")))?;
        let base = file.extends.as_deref().unwrap_or("default");
        let mut p = Policy::preset(base).ok_or_else(|| {
            Error::Policy(format!(
                "unknown preset {base:?} in extends (known: default, strict)"
            ))
        })?;
        p.name = file.name.unwrap_or_else(|| format!("{base}+custom"));
        p.rules.extend(file.rules);
        if let Some(d) = file.disabled {
            p.disabled = d;
        }
        let resolve = |mut l: TermList| {
            if let Some(dir) = base_dir {
                for f in &mut l.files {
                    if f.is_relative() {
                        *f = dir.join(&*f);
                    }
                }
            }
            l
        };
        if let Some(l) = file.deny_list {
            p.deny_list = resolve(l);
        }
        if let Some(l) = file.allow_list {
            p.allow_list = resolve(l);
        }
        if let Some(mut n) = file.names {
            if let Some(dir) = base_dir {
                for f in &mut n.customers {
                    if f.is_relative() {
                        *f = dir.join(&*f);
                    }
                }
            }
            p.names = n;
        }
        if let Some(r) = file.roster {
            p.roster = r;
        }
        if let Some(r) = file.roles {
            p.roles.extend(r);
        }
        p.validate()?;
        Ok(p)
    }

    /// Loads a preset name or a TOML file path.
    pub fn load(spec: &str) -> Result<Policy, Error> {
        if let Some(p) = Policy::preset(spec) {
            return Ok(p);
        }
        let path = Path::new(spec);
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            context: format!("reading policy {spec:?} (not a preset: default, strict)"),
            source: e,
        })?;
        Policy::from_toml(&text, path.parent())
    }

    /// Checks actions fit their categories.
    pub fn validate(&self) -> Result<(), Error> {
        for (field, role) in &self.roles {
            if crate::format::roles::Role::from_name(role).is_none() {
                return Err(Error::Policy(format!(
                    "roles: unknown role {role:?} for {field:?} (name, reading, postal-code, prefecture, address, phone, email, card, birthdate, text, keep)"
                )));
            }
        }
        for (cat, action) in &self.rules {
            match action {
                Action::Initials if *cat != Category::Name => {
                    return Err(Error::Policy(format!(
                        "action \"initials\" applies to name only, not {cat}"
                    )))
                }
                Action::Prefecture if *cat != Category::Address => {
                    return Err(Error::Policy(format!(
                        "action \"prefecture\" applies to address only, not {cat}"
                    )))
                }
                Action::KeepLast {
                    mask_domain: true, ..
                } if *cat != Category::Email => {
                    return Err(Error::Policy(format!(
                        "mask_domain applies to email only, not {cat}"
                    )))
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The action for a category (`keep` when the policy names none).
    pub fn action(&self, cat: Category) -> &Action {
        const KEEP: Action = Action::Keep;
        self.rules.get(&cat).unwrap_or(&KEEP)
    }

    /// True when the category's detector runs.
    pub fn enabled(&self, cat: Category) -> bool {
        !self.disabled.contains(&cat)
    }

    /// True when some category blocks.
    pub fn can_block(&self) -> bool {
        self.rules.values().any(|a| *a == Action::Block)
    }

    /// The policy as TOML (what `mask policy show` prints).
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# cannot render policy: {e}\n"))
    }

    /// SHA-256 (hex) of the policy's canonical JSON form, for reports.
    pub fn hash(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(&json))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_section_resolves_customer_lists_and_rejects_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("c.csv"),
            "surface,reading\n鶍 薰,イスカ カオル\n",
        )
        .unwrap();
        let p = Policy::from_toml("[names]\ncustomers = [\"c.csv\"]", Some(dir.path())).unwrap();
        assert_eq!(p.names.customers, vec![dir.path().join("c.csv")]);
        let c = p.names.load_customers().unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].surface, "鶍 薰");
        assert_eq!(c[0].reading, "イスカ カオル");
        assert!(Policy::from_toml("[names]\nallow = []", None).is_err());
        // Presets have no [names] section, and serialize without one.
        assert!(!Policy::default().to_toml().contains("[names]"));
        let back = Policy::from_toml(&p.to_toml(), None).unwrap();
        assert_eq!(back.names, p.names);
    }

    #[test]
    fn presets_cover_every_category() {
        for name in PRESETS {
            let p = Policy::preset(name).unwrap();
            for c in Category::ALL {
                assert!(p.rules.contains_key(&c), "{name} lacks {c}");
            }
        }
    }

    #[test]
    fn file_overrides_preset() {
        let p = Policy::from_toml(
            "name = \"x\"\nextends = \"strict\"\n[rules]\nphone = { action = \"mask-last\", n = 4 }\n",
            None,
        )
        .unwrap();
        assert_eq!(p.name, "x");
        assert_eq!(*p.action(Category::Phone), Action::MaskLast { n: 4 });
        assert_eq!(*p.action(Category::Secret), Action::Block);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(Policy::from_toml("nmae = \"x\"", None).is_err());
        assert!(Policy::from_toml(
            "[rules]\nphone = { action = \"keep-last\", n = 4, nn = 1 }",
            None
        )
        .is_err());
        assert!(Policy::from_toml("[rules]\ntelephone = { action = \"keep\" }", None).is_err());
        assert!(Policy::from_toml("[rules]\nphone = { action = \"explode\" }", None).is_err());
    }

    #[test]
    fn actions_must_fit_categories() {
        assert!(Policy::from_toml("[rules]\nphone = { action = \"initials\" }", None).is_err());
        assert!(Policy::from_toml(
            "[rules]\nphone = { action = \"keep-last\", n = 4, mask_domain = true }",
            None
        )
        .is_err());
    }

    #[test]
    fn round_trips_through_toml() {
        let p = Policy::preset("strict").unwrap();
        let back = Policy::from_toml(&p.to_toml(), None).unwrap();
        assert_eq!(p, back);
        assert_eq!(p.hash(), back.hash());
        assert_ne!(p.hash(), Policy::default().hash());
    }

    #[test]
    fn roster_guard_presets_and_overrides() {
        assert_eq!(Policy::default().roster.action, RosterAction::Report);
        let strict = Policy::preset("strict").unwrap();
        assert_eq!(strict.roster.action, RosterAction::Block);
        let p = Policy::from_toml("[roster]\nmax_people = 3\naction = \"block\"\n", None).unwrap();
        assert_eq!(p.roster.max_people, Some(3));
        assert!(Policy::from_toml("[roster]\nmax = 3\n", None).is_err());
        let p = Policy::from_toml("[roles]\ncustomer_tel = \"phone\"\n", None).unwrap();
        assert_eq!(p.roles["customer_tel"], "phone");
        assert!(Policy::from_toml("[roles]\nx = \"telephone\"\n", None).is_err());
    }

    #[test]
    fn term_files_skip_comments_and_bom() {
        assert_eq!(
            parse_terms("\u{FEFF}# c\nFalcon\n\n  極秘PJ  \n"),
            vec!["Falcon", "極秘PJ"]
        );
    }
}
