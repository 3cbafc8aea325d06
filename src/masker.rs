//! [`Masker`]: the compiled policy and detectors, built once by
//! [`MaskerBuilder`] and shared read-only by every thread.
//!
//! The masker works window by window: it normalizes the window, runs every
//! detector over the normalized view, maps candidates back to the original
//! bytes, drops what the allow list covers, resolves overlaps and renders the
//! winners with the policy's rules. The pipeline ([`crate::pipeline`]) cuts
//! inputs into such windows and runs them in parallel.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::detect::{self, digits, Candidate, Detector, DocTerm, DocTerms, Haystack};
use crate::error::Error;
use crate::normalize::{normalize, NormText};
use crate::pipeline::{self, Mode, StreamOptions, Summary};
use crate::policy::{Action, Policy};
use crate::resolve::resolve;
use crate::rules;
use crate::span::{Category, Finding, Span};

/// Default size of the chunks an input is cut into.
pub const DEFAULT_CHUNK_SIZE: usize = 1 << 20;

/// Builds a [`Masker`].
///
/// ```
/// use mask::{Masker, Policy};
///
/// let masker = Masker::builder().policy(Policy::preset("default").unwrap()).build()?;
/// let out = masker.mask_str("携帯 090-1234-5678 まで")?;
/// assert_eq!(out.text, "携帯 ***-****-5678 まで");
/// # Ok::<(), mask::Error>(())
/// ```
#[derive(Debug)]
pub struct MaskerBuilder {
    policy: Policy,
    chunk_size: usize,
    threads: usize,
    extra: Vec<Box<dyn Detector>>,
    name_dictionary: Option<std::path::PathBuf>,
}

impl Default for MaskerBuilder {
    fn default() -> Self {
        MaskerBuilder {
            policy: Policy::default(),
            chunk_size: DEFAULT_CHUNK_SIZE,
            threads: 0,
            extra: Vec::new(),
            name_dictionary: None,
        }
    }
}

impl MaskerBuilder {
    /// The policy to apply (default: the `default` preset).
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// Target chunk size in bytes for streaming (default 1 MiB; at least 1).
    /// The output never depends on it.
    pub fn chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = bytes.max(1);
        self
    }

    /// Worker threads for streaming; 0 (the default) uses every core, 1 runs
    /// everything on the calling thread.
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = n;
        self
    }

    /// A compiled lindera dictionary directory for name detection, instead
    /// of the embedded IPADIC.
    pub fn name_dictionary(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.name_dictionary = Some(dir.into());
        self
    }

    /// Adds a detector of your own (it runs after the built-in ones).
    pub fn detector(mut self, d: Box<dyn Detector>) -> Self {
        self.extra.push(d);
        self
    }

    /// Compiles the policy's detectors.
    ///
    /// # Errors
    ///
    /// A term list that cannot be read, or a detector that cannot be built.
    pub fn build(self) -> Result<Masker, Error> {
        self.policy.validate()?;
        let deny = self.policy.deny_list.load()?;
        let allow_terms = self.policy.allow_list.load()?;
        let opts = detect::BuildOptions {
            name_dictionary: self.name_dictionary.clone(),
            allow_terms: allow_terms.clone(),
        };
        let mut detectors = detect::build_all_with(&self.policy, &deny, &opts)?;
        detectors.extend(self.extra);
        let allow = if allow_terms.is_empty() {
            None
        } else {
            let pats: Vec<String> = allow_terms.iter().map(|t| normalize(t)).collect();
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&pats)
                    .or_else(|_| {
                        AhoCorasick::builder()
                            .ascii_case_insensitive(true)
                            .match_kind(MatchKind::LeftmostLongest)
                            .build(&pats)
                    })
                    .map_err(|e| Error::Build {
                        detector: "allow-list",
                        message: e.to_string(),
                    })?,
            )
        };
        let threads = if self.threads == 0 {
            rayon::current_num_threads().max(1)
        } else {
            self.threads
        };
        let pool = if threads > 1 {
            Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .thread_name(|i| format!("mask-worker-{i}"))
                    .build()
                    .map_err(|e| Error::Build {
                        detector: "thread-pool",
                        message: e.to_string(),
                    })?,
            )
        } else {
            None
        };
        Ok(Masker {
            policy: self.policy,
            detectors,
            allow,
            chunk_size: self.chunk_size,
            pool,
        })
    }
}

/// A compiled masking policy. Immutable; share it (`&Masker` or `Arc`) across
/// threads.
#[derive(Debug)]
pub struct Masker {
    policy: Policy,
    detectors: Vec<Box<dyn Detector>>,
    allow: Option<AhoCorasick>,
    chunk_size: usize,
    pool: Option<rayon::ThreadPool>,
}

/// The result of masking a string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Masked {
    /// The masked text.
    pub text: String,
    /// What was found, in order, with spans over the ORIGINAL input.
    pub findings: Vec<Finding>,
}

/// Reusable per-worker scratch space.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    norm: NormText,
    runs: Vec<Span>,
    islands: Vec<Span>,
    cands: Vec<Candidate>,
    found: Vec<Finding>,
    allowed: Vec<Span>,
    /// Document terms the last window shared (seeds in window bytes).
    pub(crate) terms: Vec<DocTerm>,
}

impl Masker {
    /// A builder with the default policy.
    pub fn builder() -> MaskerBuilder {
        MaskerBuilder::default()
    }

    /// The policy this masker applies.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub(crate) fn chunk_size(&self) -> usize {
        self.chunk_size
    }

    pub(crate) fn pool(&self) -> Option<&rayon::ThreadPool> {
        self.pool.as_ref()
    }

    /// Masks a string.
    ///
    /// # Errors
    ///
    /// [`Error::Blocked`] when the policy blocks something in `text`.
    pub fn mask_str(&self, text: &str) -> Result<Masked, Error> {
        let mut out = Vec::with_capacity(text.len());
        let mut findings = Vec::new();
        let opts = StreamOptions {
            mode: Mode::Mask,
            hashes: false,
            buffered: false,
        };
        let summary = pipeline::run(self, text.as_bytes(), &mut out, &opts, |f| {
            findings.push(f.finding.clone())
        })?;
        if !summary.blocked.is_empty() {
            return Err(Error::Blocked {
                categories: summary.blocked,
            });
        }
        let text = String::from_utf8(out).map_err(|_| Error::InvalidUtf8 { offset: 0 })?;
        Ok(Masked { text, findings })
    }

    /// Finds everything in `text` without masking: resolved findings in order.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        let mut findings = Vec::new();
        let opts = StreamOptions {
            mode: Mode::Scan,
            hashes: false,
            buffered: false,
        };
        // A `&str` is valid UTF-8 and the sink never fails, so only a NUL can
        // stop the scan; findings up to it are still reported.
        let _ = pipeline::run(self, text.as_bytes(), std::io::sink(), &opts, |f| {
            findings.push(f.finding.clone())
        });
        findings
    }

    /// Streams `reader` into `writer`, masking as it goes, in bounded memory.
    ///
    /// Nothing is written to `writer` unless the whole input was read, was
    /// valid UTF-8 and was not blocked (the output is spooled, in memory up to
    /// 8 MiB, then in a temporary file).
    ///
    /// # Errors
    ///
    /// I/O errors, [`Error::InvalidUtf8`], [`Error::Binary`], and
    /// [`Error::Blocked`] when the policy blocks.
    pub fn mask_reader<R: Read + Send, W: Write>(
        &self,
        reader: R,
        writer: W,
    ) -> Result<Summary, Error> {
        let opts = StreamOptions {
            mode: Mode::Mask,
            hashes: true,
            buffered: true,
        };
        let summary = pipeline::run(self, reader, writer, &opts, |_| {})?;
        if !summary.blocked.is_empty() {
            return Err(Error::Blocked {
                categories: summary.blocked,
            });
        }
        Ok(summary)
    }

    /// Finds and resolves everything in one window; spans are relative to
    /// `window` (original bytes), sorted, non-overlapping.
    pub(crate) fn find_in_window(&self, window: &str, s: &mut Scratch) -> Vec<Finding> {
        s.norm.build(window);
        s.runs.clear();
        s.cands.clear();
        s.found.clear();
        let text = s.norm.as_str();
        s.islands.clear();
        digits::runs_and_islands(text.as_bytes(), &mut s.runs, &mut s.islands);
        let hay = Haystack::new(text, &s.runs).with_islands(&s.islands);
        for d in &self.detectors {
            d.detect(&hay, &mut s.cands);
        }
        s.terms = hay.take_terms();
        for t in &mut s.terms {
            t.seed = s.norm.start_to_original(t.seed);
        }
        self.finish_candidates(s)
    }

    /// Finds the document terms `terms` (absolute seeds) in one window that
    /// starts at absolute offset `window_abs`: matches after each term's
    /// first sighting only, and not starting inside `known` findings (sorted,
    /// window-relative). Spans are relative to `window` (original bytes),
    /// sorted, non-overlapping.
    pub(crate) fn sweep_window(
        &self,
        window: &str,
        window_abs: usize,
        terms: &[DocTerm],
        known: &[Finding],
        s: &mut Scratch,
    ) -> Vec<Finding> {
        self.sweep_terms(window, Some(window_abs), terms, known, s)
    }

    /// Finds the document terms `terms` anywhere in `window`, as if they had
    /// been seen before it (a record's names, known from its name fields,
    /// in its free-text fields); not starting inside `known` findings
    /// (sorted, window-relative). Spans are relative to `window`, sorted,
    /// non-overlapping.
    pub(crate) fn sweep_seeded(
        &self,
        window: &str,
        terms: &[DocTerm],
        known: &[Finding],
        s: &mut Scratch,
    ) -> Vec<Finding> {
        self.sweep_terms(window, None, terms, known, s)
    }

    /// [`Masker::sweep_window`] (`window_abs` given) or
    /// [`Masker::sweep_seeded`] (`None`: every term is seen before).
    fn sweep_terms(
        &self,
        window: &str,
        window_abs: Option<usize>,
        terms: &[DocTerm],
        known: &[Finding],
        s: &mut Scratch,
    ) -> Vec<Finding> {
        s.norm.build(window);
        s.cands.clear();
        s.found.clear();
        let norm = &s.norm;
        let wanted = |at: usize, seed: usize| {
            let at = norm.start_to_original(at);
            // `known` is sorted by start and non-overlapping.
            let i = known.partition_point(|f| f.span.start <= at);
            window_abs.is_none_or(|abs| abs + at > seed) && (i == 0 || known[i - 1].span.end <= at)
        };
        let view = DocTerms {
            terms,
            wanted: &wanted,
        };
        let hay = Haystack::new(norm.as_str(), &[]);
        for d in &self.detectors {
            d.sweep(&hay, &view, &mut s.cands);
        }
        self.finish_candidates(s)
    }

    /// Candidates → resolved findings in original coordinates: the allow
    /// list and the policy applied, overlaps resolved.
    fn finish_candidates(&self, s: &mut Scratch) -> Vec<Finding> {
        if s.cands.is_empty() {
            return Vec::new();
        }
        let text = s.norm.as_str();
        if let Some(allow) = &self.allow {
            s.allowed.clear();
            s.allowed
                .extend(allow.find_iter(text).map(|m| Span::new(m.start(), m.end())));
            let allowed = &s.allowed;
            s.cands
                .retain(|c| !allowed.iter().any(|a| a.contains(c.span)));
        }
        for c in s.cands.drain(..) {
            if !self.policy.enabled(c.category) {
                continue;
            }
            let span = s.norm.to_original(c.span);
            if span.is_empty() {
                continue;
            }
            s.found.push(Finding {
                category: c.category,
                detector: c.detector,
                span,
                hint: c.hint,
            });
        }
        resolve(&mut s.found)
    }

    /// The replacement for one finding whose original text is `original`.
    pub(crate) fn render(&self, f: &Finding, original: &str, out: &mut String) {
        rules::render(
            f.category,
            self.policy.action(f.category),
            original,
            f.hint.as_deref(),
            out,
        )
    }

    /// True when the policy blocks this category.
    pub(crate) fn blocks(&self, cat: Category) -> bool {
        *self.policy.action(cat) == Action::Block
    }
}

/// Counts findings per category (for summaries and the `Blocked` error).
pub(crate) fn count_by_category(
    findings: &BTreeMap<(Category, &'static str), usize>,
) -> Vec<(Category, usize)> {
    let mut m: BTreeMap<Category, usize> = BTreeMap::new();
    for ((c, _), n) in findings {
        *m.entry(*c).or_default() += n;
    }
    m.into_iter().collect()
}

/// Masks `text` with the default policy. A convenience for one-off calls;
/// build a [`Masker`] once to mask many inputs.
///
/// ```
/// assert_eq!(mask::mask_str("mail: taro.yamada@example.co.jp")?, "mail: *******mada@example.co.jp");
/// # Ok::<(), mask::Error>(())
/// ```
///
/// # Errors
///
/// As [`Masker::mask_str`].
pub fn mask_str(text: &str) -> Result<String, Error> {
    Ok(Masker::builder().threads(1).build()?.mask_str(text)?.text)
}

/// Finds everything in `text` with the default policy, without masking. A
/// convenience for one-off calls; build a [`Masker`] once to scan many inputs.
///
/// ```
/// let found = mask::scan("TEL 03-1234-5678")?;
/// assert_eq!(found[0].category, mask::Category::Phone);
/// # Ok::<(), mask::Error>(())
/// ```
///
/// # Errors
///
/// As [`MaskerBuilder::build`].
pub fn scan(text: &str) -> Result<Vec<Finding>, Error> {
    Ok(Masker::builder().threads(1).build()?.scan(text))
}
