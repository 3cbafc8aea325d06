//! One text in, one answer out: the calls that agents and language bindings
//! make (the `mask mcp` server, the Python package), on top of [`format`].
//!
//! Each call takes a whole text held in memory, in any structure mask
//! understands ([`Format`]; `None` sniffs it as the command line does, and a
//! sniffed format that does not parse is masked as text), and answers with
//! the masked text and counts per category ([`mask_text`]) or with located
//! findings that never carry a value ([`scan_text`]). [`mask_batch`] masks
//! many texts on the masker's thread pool, in order.
//!
//! A call that fails returns an [`Error`] and no text: a blocked input
//! ([`Error::Blocked`]) or one that cannot be read never comes back
//! unmasked.
//!
//! ```
//! use mask::service::{mask_text, scan_text};
//! use mask::{Category, Masker};
//!
//! let masker = Masker::builder().threads(1).build()?;
//! let out = mask_text(&masker, "TEL 090-1234-5678", None)?;
//! assert_eq!(out.text, "TEL ***-****-5678");
//! assert_eq!(out.counts[&Category::Phone], 1);
//!
//! let found = scan_text(&masker, "line one\nmail: taro@example.co.jp", None)?;
//! assert_eq!((found.findings[0].line, found.findings[0].column), (2, 7));
//! # Ok::<(), mask::Error>(())
//! ```

use std::collections::BTreeMap;

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::Error;
use crate::format::{self, Format, Options};
use crate::masker::Masker;
use crate::span::Category;

/// The answer of [`mask_text`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaskedText {
    /// The masked text, in the structure it came in.
    pub text: String,
    /// The structure it was read as.
    pub format: Format,
    /// Findings per category.
    pub counts: BTreeMap<Category, usize>,
    /// Warnings (a guessed format that did not parse, attachments removed,
    /// the roster guard).
    pub notes: Vec<String>,
}

/// One finding of [`scan_text`]: what and where, never the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// What was found.
    pub category: Category,
    /// The detector that found it (`"phone"`, `"secret/github"`).
    pub detector: &'static str,
    /// 1-based line of its start.
    pub line: u64,
    /// 1-based column (in characters) of its start.
    pub column: u64,
    /// False when the finding is inside decoded content (a base64 body, an
    /// encoded word, a JSON escape): the position is then that of the field
    /// or part holding it.
    pub exact: bool,
}

/// The answer of [`scan_text`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScannedText {
    /// Findings in input order.
    pub findings: Vec<Located>,
    /// The structure it was read as.
    pub format: Format,
    /// Findings per category.
    pub counts: BTreeMap<Category, usize>,
    /// Categories found that the policy blocks (a masking call would fail).
    pub blocked: BTreeMap<Category, usize>,
}

/// The format a call reads `text` as: `format` when given, else sniffed.
fn chosen(text: &str, format: Option<Format>) -> (Format, bool) {
    match format {
        Some(f) => (f, false),
        None => (Format::sniff(text.as_bytes()), true),
    }
}

/// Runs `f` with the format chosen for `text`; a sniffed format that does not
/// parse falls back to text (with a note), as the command line does.
fn with_format<T>(
    text: &str,
    format: Option<Format>,
    f: impl Fn(Format) -> Result<T, Error>,
) -> Result<(T, Format, Option<String>), Error> {
    let (fmt, sniffed) = chosen(text, format);
    match f(fmt) {
        Err(e @ Error::Format { .. }) if sniffed && fmt != Format::Text => {
            let t = f(Format::Text)?;
            let note = format!("looked like {fmt} but is not ({e}); masked as text");
            Ok((t, Format::Text, Some(note)))
        }
        r => r.map(|t| (t, fmt, None)),
    }
}

/// Masks one text.
///
/// # Errors
///
/// [`Error::Blocked`] when the policy blocks something in it (no text is
/// returned), [`Error::Format`] when `format` was given and the text is not
/// of it, other errors of [`format::process`].
pub fn mask_text(masker: &Masker, text: &str, format: Option<Format>) -> Result<MaskedText, Error> {
    let (out, fmt, note) = with_format(text, format, |f| {
        format::process(masker, text.as_bytes(), &Options::new(f))
    })?;
    if !out.summary.blocked.is_empty() {
        return Err(Error::Blocked {
            categories: out.summary.blocked,
        });
    }
    let masked = String::from_utf8(out.bytes).map_err(|e| Error::InvalidUtf8 {
        offset: e.utf8_error().valid_up_to() as u64,
    })?;
    Ok(MaskedText {
        text: masked,
        format: fmt,
        counts: out.summary.by_category().into_iter().collect(),
        notes: note.into_iter().chain(out.notes).collect(),
    })
}

/// Finds what [`mask_text`] would mask, with lines and columns.
///
/// # Errors
///
/// [`Error::Format`] when `format` was given and the text is not of it.
pub fn scan_text(
    masker: &Masker,
    text: &str,
    format: Option<Format>,
) -> Result<ScannedText, Error> {
    let (out, fmt, _) = with_format(text, format, |f| {
        format::scan(masker, text.as_bytes(), &Options::new(f))
    })?;
    Ok(ScannedText {
        findings: out
            .hits
            .iter()
            .map(|h| Located {
                category: h.finding.category,
                detector: h.finding.detector,
                line: h.line,
                column: h.column,
                exact: h.exact,
            })
            .collect(),
        format: fmt,
        counts: out.summary.by_category().into_iter().collect(),
        blocked: out.summary.blocked.into_iter().collect(),
    })
}

/// Masks many texts in parallel, as many at a time as the masker has
/// threads (one when it has none); answers are in the order of `texts`, one
/// per text, each as [`mask_text`] would give it.
///
/// The texts run on plain scoped threads, not on the masker's pool: each
/// call's pipeline hands its chunks to the pool and waits for them, which a
/// pool thread must never do (it would wait for itself).
pub fn mask_batch<S: AsRef<str> + Sync>(
    masker: &Masker,
    texts: &[S],
    format: Option<Format>,
) -> Vec<Result<MaskedText, Error>> {
    let workers = masker
        .pool()
        .map_or(1, |p| p.current_num_threads())
        .clamp(1, texts.len().max(1));
    if workers == 1 {
        return texts
            .iter()
            .map(|t| mask_text(masker, t.as_ref(), format))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<MaskedText, Error>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(t) = texts.get(i) else { break };
                        mine.push((i, mask_text(masker, t.as_ref(), format)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                Err(p) => std::panic::resume_unwind(p),
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masker() -> Masker {
        Masker::builder().threads(2).build().unwrap()
    }

    #[test]
    fn masks_text_and_counts_categories() {
        let m = masker();
        let out = mask_text(&m, "山田太郎様 TEL 090-1234-5678", Some(Format::Text)).unwrap();
        assert_eq!(out.text, "Y.T.様 TEL ***-****-5678");
        assert_eq!(out.counts.get(&Category::Phone), Some(&1));
        assert_eq!(out.counts.get(&Category::Name), Some(&1));
    }

    #[test]
    fn a_blocked_text_is_an_error_with_no_text() {
        let m = Masker::builder()
            .policy(crate::Policy::preset("strict").unwrap())
            .threads(1)
            .build()
            .unwrap();
        let err = mask_text(&m, "個人番号 123456789018", None).unwrap_err();
        assert!(matches!(err, Error::Blocked { .. }));
        assert!(!err.to_string().contains("123456789018"));
    }

    #[test]
    fn sniffs_json_and_masks_it_as_json() {
        let m = masker();
        let out = mask_text(&m, r#"{"tel":"090-1234-5678","memo":"ok"}"#, None).unwrap();
        assert_eq!(out.format, Format::Json);
        assert!(out.text.contains(r#""memo":"ok""#));
        assert!(!out.text.contains("1234"));
    }

    #[test]
    fn a_sniffed_format_that_does_not_parse_is_text() {
        let m = masker();
        let out = mask_text(&m, "{ not json, TEL 090-1234-5678", None).unwrap();
        assert_eq!(out.format, Format::Text);
        assert_eq!(out.text, "{ not json, TEL ***-****-5678");
        assert_eq!(out.notes.len(), 1);
    }

    #[test]
    fn a_forced_format_that_does_not_parse_is_an_error() {
        let m = masker();
        assert!(mask_text(&m, "{ not json", Some(Format::Json)).is_err());
    }

    #[test]
    fn scan_locates_without_values() {
        let m = masker();
        let s = scan_text(&m, "a\nTEL 090-1234-5678\n", None).unwrap();
        assert_eq!(s.findings.len(), 1);
        assert_eq!(s.findings[0].category, Category::Phone);
        assert_eq!((s.findings[0].line, s.findings[0].column), (2, 5));
        assert_eq!(s.counts.get(&Category::Phone), Some(&1));
    }

    #[test]
    fn batch_answers_in_order_like_single_calls() {
        let m = masker();
        let texts: Vec<String> = (0..6)
            .map(|i| format!("{i}: 担当 佐藤花子 090-0000-{i:04}"))
            .collect();
        let batch = mask_batch(&m, &texts, Some(Format::Text));
        assert_eq!(batch.len(), texts.len());
        for (t, b) in texts.iter().zip(&batch) {
            let one = mask_text(&m, t, Some(Format::Text)).unwrap();
            assert_eq!(b.as_ref().unwrap(), &one);
        }
    }
}
