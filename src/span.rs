//! Byte spans over the original input, the categories of personal data and
//! secrets that mask knows, and [`Finding`], one detected item.
//!
//! A [`Span`] always indexes the ORIGINAL bytes of an input, never a
//! normalized copy: masking rewrites exactly those bytes and nothing else.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into the original input.
///
/// Spans are `Copy` and can index a byte slice directly with [`Span::range`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// Creates a span. `start` must not exceed `end`.
    ///
    /// # Panics
    ///
    /// Panics when `start > end`.
    pub fn new(start: usize, end: usize) -> Span {
        assert!(start <= end, "invalid span {start}..{end}");
        Span { start, end }
    }

    /// The span as a range, for slicing.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies inside `self`.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The same span moved `by` bytes to the right.
    pub fn offset(self, by: usize) -> Span {
        Span {
            start: self.start + by,
            end: self.end + by,
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// What kind of personal data or secret a finding is.
///
/// The policy chooses one action per category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Category {
    /// A person's name (氏名).
    Name,
    /// A postal address (住所).
    Address,
    /// A telephone or fax number.
    Phone,
    /// An e-mail address.
    Email,
    /// A Japanese postal code (郵便番号).
    PostalCode,
    /// An Individual Number (マイナンバー / 個人番号).
    MyNumber,
    /// A payment card number (PAN).
    Card,
    /// A card's expiry date or security code written next to it.
    CardDetail,
    /// A password, API key, token, private key or credentialed connection string.
    Secret,
    /// A term from the company's deny list (禁止リスト).
    DenyTerm,
    /// A classification marking such as 極秘, 社外秘 or CONFIDENTIAL.
    Classification,
}

impl Category {
    /// Every category, in report order.
    pub const ALL: [Category; 11] = [
        Category::Name,
        Category::Address,
        Category::Phone,
        Category::Email,
        Category::PostalCode,
        Category::MyNumber,
        Category::Card,
        Category::CardDetail,
        Category::Secret,
        Category::DenyTerm,
        Category::Classification,
    ];

    /// The kebab-case name used in policies, reports and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Name => "name",
            Category::Address => "address",
            Category::Phone => "phone",
            Category::Email => "email",
            Category::PostalCode => "postal-code",
            Category::MyNumber => "my-number",
            Category::Card => "card",
            Category::CardDetail => "card-detail",
            Category::Secret => "secret",
            Category::DenyTerm => "deny-term",
            Category::Classification => "classification",
        }
    }

    /// Parses a kebab-case category name.
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// Overlap priority: when two candidates overlap, the higher one wins.
    ///
    /// Secrets outrank everything (a token that happens to hold 12 digits is a
    /// token, not a My Number); identifiers outrank free-text categories.
    pub fn priority(self) -> u8 {
        match self {
            Category::Secret => 100,
            Category::MyNumber => 90,
            Category::Card => 85,
            Category::DenyTerm => 80,
            Category::Email => 70,
            Category::Address => 60,
            Category::Phone => 50,
            Category::PostalCode => 45,
            Category::CardDetail => 40,
            Category::Name => 30,
            Category::Classification => 10,
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One detected item: where it is, what it is, and which detector saw it.
///
/// A finding never carries the detected value itself; reports built from
/// findings therefore never leak what was masked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What the item is.
    pub category: Category,
    /// Name of the detector that found it (`"phone"`, `"secret/aws"`, ...).
    pub detector: &'static str,
    /// Where it is, in bytes of the original input.
    pub span: Span,
    /// A rendering the detector derived from the value, used by rules that
    /// need it: romaji initials for a name, the prefecture of an address.
    pub hint: Option<std::borrow::Cow<'static, str>>,
}
