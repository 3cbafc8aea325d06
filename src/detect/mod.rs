//! Detectors: each finds one kind of personal data or secret in the
//! normalized view of a window of text and reports candidate spans.
//!
//! A detector is compiled once (from the policy) and then shared read-only by
//! every worker thread. It sees a [`Haystack`] — the normalized text plus
//! facts computed once per window that several detectors need (the runs of
//! ASCII digits, the ASCII islands, the [`anchors`] words) — and pushes [`Candidate`]s in *normalized* coordinates.
//! The masker maps them back to the original bytes, the resolver picks among
//! overlapping candidates, and the rules turn the winners into replacements.
//!
//! Detectors must be *local*: whether a span is a candidate may depend only on
//! text within [`MAX_CONTEXT`] bytes around it. The pipeline gives every
//! window that much context on both sides, which is what makes the output
//! independent of chunk boundaries.

use std::borrow::Cow;
use std::fmt;

use crate::span::{Category, Span};

pub mod address;
pub mod anchors;
pub mod card;
pub mod classification;
pub mod denylist;
pub mod digits;
pub mod email;
pub mod mynumber;
pub mod name;
pub mod phone;
pub mod postal;
pub mod secret;

/// How far (in bytes) a detector may look around a candidate, and the longest
/// candidate that is guaranteed to be found identically across chunk
/// boundaries. Longer items (a PEM block of more than this) are still masked
/// whole, but where they are cut by a chunk edge may differ.
pub const MAX_CONTEXT: usize = 16 * 1024;

/// One candidate span found by a detector, in normalized coordinates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// What was found.
    pub category: Category,
    /// The detector's name, for reports (`"phone"`, `"secret/github"`).
    pub detector: &'static str,
    /// Where, in bytes of the normalized text.
    pub span: Span,
    /// Optional rendering hint (initials, prefecture).
    pub hint: Option<Cow<'static, str>>,
}

impl Candidate {
    /// A candidate with no hint.
    pub fn new(category: Category, detector: &'static str, start: usize, end: usize) -> Candidate {
        Candidate {
            category,
            detector,
            span: Span::new(start, end),
            hint: None,
        }
    }
}

/// How far around a [`DocTerm`]'s every sighting the detector that shared
/// it finds the term itself: a chunk with no term first seen further back
/// than this needs no sweep.
pub const TERM_LOCAL_REACH: usize = MAX_CONTEXT / 2;

/// A term a detector found that holds for the whole document, not only
/// near where it was found: a name's other forms (`山田` once `山田太郎` was
/// seen). The pipeline collects them in order and asks each detector to
/// [`Detector::sweep`] later text for them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocTerm {
    /// The detector that shared it (its [`Detector::name`]).
    pub detector: &'static str,
    /// The text to look for (normalized).
    pub key: String,
    /// What kind of form it is (the detector's own code).
    pub kind: u8,
    /// The rendering hint of a match (initials).
    pub hint: String,
    /// Where it was first seen: while detecting, a position in the haystack;
    /// in [`DocTerms`], an absolute byte offset of the input.
    pub seed: usize,
}

/// The document terms seen so far, as a detector's sweep gets them.
pub struct DocTerms<'a> {
    /// The terms, each with the absolute offset of its first sighting.
    pub terms: &'a [DocTerm],
    /// Whether a match at a haystack position is wanted given a term's
    /// absolute seed: it must come after the seed (a term applies only after
    /// it was first seen, which keeps the output independent of how the
    /// input is chunked) and not lie inside something already found (those
    /// need no boundary checks).
    pub wanted: &'a dyn Fn(usize, usize) -> bool,
}

impl fmt::Debug for DocTerms<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DocTerms")
            .field("terms", &self.terms)
            .finish()
    }
}

/// The text a detector searches, with shared per-window facts.
#[derive(Debug)]
pub struct Haystack<'a> {
    text: &'a str,
    digit_runs: &'a [Span],
    islands: Option<&'a [Span]>,
    ja: std::cell::OnceCell<Vec<anchors::JaHit>>,
    terms: std::cell::RefCell<Vec<DocTerm>>,
}

impl<'a> Haystack<'a> {
    /// Wraps a normalized text and its digit runs (see [`digits::digit_runs`]).
    pub fn new(text: &'a str, digit_runs: &'a [Span]) -> Haystack<'a> {
        Haystack {
            text,
            digit_runs,
            islands: None,
            ja: std::cell::OnceCell::new(),
            terms: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// Adds the precomputed ASCII islands (see [`digits::ascii_islands`]).
    pub fn with_islands(mut self, islands: &'a [Span]) -> Haystack<'a> {
        self.islands = Some(islands);
        self
    }

    /// Maximal runs of ASCII bytes that hold at least one ASCII letter: the
    /// only places an ASCII keyword can be. Searching these instead of the
    /// whole text skips Japanese text at SIMD speed.
    pub fn ascii_islands(&self) -> std::borrow::Cow<'a, [Span]> {
        match self.islands {
            Some(i) => std::borrow::Cow::Borrowed(i),
            None => {
                let mut v = Vec::new();
                digits::ascii_islands(self.text.as_bytes(), &mut v);
                std::borrow::Cow::Owned(v)
            }
        }
    }

    /// Every occurrence of the Japanese [`anchors`] words, in order:
    /// searched once per window, the first time a detector asks.
    pub fn ja_anchors(&self) -> &[anchors::JaHit] {
        self.ja.get_or_init(|| {
            let mut v = Vec::new();
            anchors::find(self.text, &mut v);
            v
        })
    }

    /// Shares a term that holds for the whole document (see [`DocTerm`];
    /// `seed` in haystack coordinates).
    pub fn share_term(&self, term: DocTerm) {
        self.terms.borrow_mut().push(term);
    }

    /// The terms shared by the detectors so far.
    pub fn take_terms(&self) -> Vec<DocTerm> {
        std::mem::take(&mut self.terms.borrow_mut())
    }

    /// The normalized text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The normalized text as bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// Maximal runs of ASCII digits, in order.
    pub fn digit_runs(&self) -> &'a [Span] {
        self.digit_runs
    }

    /// Up to `max` bytes of text ending at `at`, cut at a char boundary.
    pub fn before(&self, at: usize, max: usize) -> &'a str {
        let mut s = at.saturating_sub(max);
        while !self.text.is_char_boundary(s) {
            s += 1;
        }
        &self.text[s..at]
    }

    /// Up to `max` bytes of text starting at `at`, cut at a char boundary.
    pub fn after(&self, at: usize, max: usize) -> &'a str {
        let mut e = (at + max).min(self.text.len());
        while !self.text.is_char_boundary(e) {
            e -= 1;
        }
        &self.text[at..e]
    }
}

/// A compiled detector, shared by all workers.
pub trait Detector: Send + Sync + fmt::Debug {
    /// Short name, used in reports.
    fn name(&self) -> &'static str;

    /// Pushes every candidate in `hay` onto `out`.
    fn detect(&self, hay: &Haystack<'_>, out: &mut Vec<Candidate>);

    /// Pushes the matches in `hay` of the document terms this detector
    /// shared earlier (through [`Haystack::share_term`]) that `terms.wanted`
    /// allows. Detectors that share nothing keep the default, which finds
    /// nothing.
    fn sweep(&self, _hay: &Haystack<'_>, _terms: &DocTerms<'_>, _out: &mut Vec<Candidate>) {}
}

/// True when `hay` contains `needle`, ignoring ASCII case; allocation-free,
/// for the short context windows detectors look at.
pub(crate) fn contains_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    !n.is_empty() && h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// True when `hay` ends with `needle`, ignoring ASCII case.
pub(crate) fn ends_with_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    h.len() >= n.len() && h[h.len() - n.len()..].eq_ignore_ascii_case(n)
}

/// True for bytes that can continue an ASCII word (letters, digits, `_`).
pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Builds every built-in detector the policy enables.
///
/// # Errors
///
/// A detector that cannot be compiled (a deny-list term the automaton
/// rejects, for example).
pub fn build_all(
    policy: &crate::policy::Policy,
    deny_terms: &[String],
) -> Result<Vec<Box<dyn Detector>>, crate::error::Error> {
    build_all_with(policy, deny_terms, &BuildOptions::default())
}

/// What [`build_all_with`] needs beyond the policy.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// A compiled lindera dictionary directory to use instead of the
    /// embedded IPADIC.
    pub name_dictionary: Option<std::path::PathBuf>,
    /// The allow list (allowed names do not seed other mentions).
    pub allow_terms: Vec<String>,
}

/// [`build_all`] with options.
///
/// # Errors
///
/// As [`build_all`]; also a dictionary or customer list that cannot be read.
pub fn build_all_with(
    policy: &crate::policy::Policy,
    deny_terms: &[String],
    opts: &BuildOptions,
) -> Result<Vec<Box<dyn Detector>>, crate::error::Error> {
    use crate::span::Category as C;
    let mut v: Vec<Box<dyn Detector>> = Vec::new();
    if policy.enabled(C::Secret) {
        v.push(Box::new(secret::SecretDetector::default()));
    }
    if policy.enabled(C::Phone) {
        v.push(Box::new(phone::PhoneDetector::default()));
    }
    if policy.enabled(C::Address) {
        v.push(Box::new(address::AddressDetector::default()));
    }
    if policy.enabled(C::PostalCode) {
        v.push(Box::new(postal::PostalDetector::default()));
    }
    if policy.enabled(C::Email) {
        v.push(Box::new(email::EmailDetector));
    }
    if policy.enabled(C::MyNumber) {
        v.push(Box::new(mynumber::MyNumberDetector));
    }
    if policy.enabled(C::Card) || policy.enabled(C::CardDetail) {
        v.push(Box::new(card::CardDetector));
    }
    if policy.enabled(C::DenyTerm) && !deny_terms.is_empty() {
        v.push(Box::new(denylist::DenyListDetector::new(deny_terms)?));
    }
    if policy.enabled(C::Classification) {
        v.push(Box::new(classification::ClassificationDetector::default()));
    }
    if policy.enabled(C::Name) {
        let customers = policy.names.load_customers()?;
        v.push(Box::new(
            name::NameDetector::new(opts.name_dictionary.as_deref())?
                .with_customers(&customers)?
                .with_allowed(&opts.allow_terms),
        ));
    }
    Ok(v)
}

/// Test support shared by the detectors' unit tests.
#[cfg(test)]
pub(crate) mod testutil {
    use super::{digits, Candidate, Detector, Haystack};

    /// Runs `d` over the normalized view of `s`, as the masker would: returns
    /// the normalized text and the candidates (in its coordinates).
    pub(crate) fn detect(d: &dyn Detector, s: &str) -> (String, Vec<Candidate>) {
        let text = crate::normalize::normalize(s);
        let mut runs = Vec::new();
        digits::digit_runs(text.as_bytes(), &mut runs);
        let mut out = Vec::new();
        d.detect(&Haystack::new(&text, &runs), &mut out);
        (text, out)
    }
}
