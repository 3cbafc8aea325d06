//! Python bindings of mask (PyO3, abi3): the `mask._mask` extension module
//! behind the `mask` Python package.
//!
//! A `Masker` is built once from a policy (a preset name or a TOML file) and
//! reused; `mask_batch` releases the GIL and masks on the masker's rayon
//! pool. Library errors become Python exceptions: `PolicyError` (the policy
//! or a list it names cannot be loaded), `BlockedError` (the policy blocks
//! something in the text; no text is returned), `FormatError` (the text is
//! not of the format asked for), and `MaskError`, the base of all three.

use std::collections::BTreeMap;
use std::path::PathBuf;

use mask::format::Format;
use mask::service::{self, MaskedText};
use mask::{Error, Policy};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;

create_exception!(_mask, MaskError, PyException, "A masking call failed.");
create_exception!(
    _mask,
    PolicyError,
    MaskError,
    "The policy (or a list it names) cannot be loaded."
);
create_exception!(
    _mask,
    BlockedError,
    MaskError,
    "The policy blocks something in the text; nothing is returned."
);
create_exception!(
    _mask,
    FormatError,
    MaskError,
    "The text is not of the format asked for."
);

/// The Python exception for a library error (messages never hold values).
fn py_error(e: Error) -> PyErr {
    let msg = e.to_string();
    match e {
        Error::Blocked { .. } => BlockedError::new_err(msg),
        Error::Format { .. } | Error::InvalidUtf8 { .. } => FormatError::new_err(msg),
        Error::Policy(_) => PolicyError::new_err(msg),
        _ => MaskError::new_err(msg),
    }
}

fn parse_format(name: Option<&str>) -> PyResult<Option<Format>> {
    name.map(|f| {
        Format::from_name(f).ok_or_else(|| {
            PyValueError::new_err(format!(
                "unknown format {f:?} (text, csv, tsv, json, jsonl, eml, mbox)"
            ))
        })
    })
    .transpose()
}

fn counts(out: &MaskedText) -> BTreeMap<String, usize> {
    out.counts
        .iter()
        .map(|(c, n)| (c.to_string(), *n))
        .collect()
}

/// One finding of `Masker.scan`: what and where, never the value.
#[pyclass(module = "mask._mask", frozen, get_all)]
#[derive(Clone)]
struct Finding {
    /// The category (`"phone"`, `"name"`, `"my-number"`, ...).
    category: String,
    /// The detector that found it.
    detector: String,
    /// 1-based line.
    line: u64,
    /// 1-based column, in characters.
    column: u64,
    /// False when the finding is inside decoded content (the position is the
    /// field's or the part's).
    exact: bool,
}

#[pymethods]
impl Finding {
    fn __repr__(&self) -> String {
        format!(
            "Finding(category={:?}, detector={:?}, line={}, column={}, exact={})",
            self.category,
            self.detector,
            self.line,
            self.column,
            if self.exact { "True" } else { "False" }
        )
    }
}

/// A compiled masking policy: build it once, call it many times, from any
/// number of threads.
#[pyclass(module = "mask._mask", frozen)]
struct Masker {
    inner: mask::Masker,
}

#[pymethods]
impl Masker {
    /// `Masker(policy=None, *, deny=None, allow=None, customers=None,
    /// threads=0)`: `policy` is a preset (`"default"`, `"strict"`) or a
    /// policy TOML file; `deny`/`allow`/`customers` add list files;
    /// `threads` sizes the pool of `mask_batch` (0: every core).
    #[new]
    #[pyo3(signature = (policy=None, *, deny=None, allow=None, customers=None, threads=0))]
    fn new(
        py: Python<'_>,
        policy: Option<&str>,
        deny: Option<Vec<PathBuf>>,
        allow: Option<Vec<PathBuf>>,
        customers: Option<Vec<PathBuf>>,
        threads: usize,
    ) -> PyResult<Masker> {
        let spec = policy.unwrap_or("default").to_string();
        py.detach(move || {
            let mut p = Policy::load(&spec).map_err(|e| PolicyError::new_err(e.to_string()))?;
            p.deny_list.files.extend(deny.unwrap_or_default());
            p.allow_list.files.extend(allow.unwrap_or_default());
            p.names.customers.extend(customers.unwrap_or_default());
            let inner = mask::Masker::builder()
                .policy(p)
                .threads(threads)
                .build()
                .map_err(|e| PolicyError::new_err(e.to_string()))?;
            Ok(Masker { inner })
        })
    }

    /// The policy's name.
    #[getter]
    fn policy(&self) -> String {
        self.inner.policy().name.clone()
    }

    /// Masks one text; `format` is text, csv, tsv, json, jsonl, eml or mbox
    /// (default: sniffed). Raises `BlockedError` when the policy blocks.
    #[pyo3(signature = (text, format=None))]
    fn mask(&self, py: Python<'_>, text: &str, format: Option<&str>) -> PyResult<String> {
        let format = parse_format(format)?;
        py.detach(|| service::mask_text(&self.inner, text, format))
            .map(|o| o.text)
            .map_err(py_error)
    }

    /// Like `mask`, with the counts per category: `(text, {category: n})`.
    #[pyo3(signature = (text, format=None))]
    fn mask_with_counts(
        &self,
        py: Python<'_>,
        text: &str,
        format: Option<&str>,
    ) -> PyResult<(String, BTreeMap<String, usize>)> {
        let format = parse_format(format)?;
        let out = py
            .detach(|| service::mask_text(&self.inner, text, format))
            .map_err(py_error)?;
        let c = counts(&out);
        Ok((out.text, c))
    }

    /// Lists what `mask` would mask (never the values).
    #[pyo3(signature = (text, format=None))]
    fn scan(&self, py: Python<'_>, text: &str, format: Option<&str>) -> PyResult<Vec<Finding>> {
        let format = parse_format(format)?;
        let out = py
            .detach(|| service::scan_text(&self.inner, text, format))
            .map_err(py_error)?;
        Ok(out
            .findings
            .into_iter()
            .map(|f| Finding {
                category: f.category.to_string(),
                detector: f.detector.to_string(),
                line: f.line,
                column: f.column,
                exact: f.exact,
            })
            .collect())
    }

    /// Masks many texts in parallel with the GIL released; answers in order.
    /// `errors="raise"` (default) raises the first failure; `"withhold"`
    /// puts `[mask: withheld: <reason>]` in place of a text that cannot be
    /// masked (blocked, unreadable) — never the text itself.
    #[pyo3(signature = (texts, format=None, errors="raise"))]
    fn mask_batch(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        format: Option<&str>,
        errors: &str,
    ) -> PyResult<Vec<String>> {
        let format = parse_format(format)?;
        let withhold = match errors {
            "raise" => false,
            "withhold" => true,
            e => {
                return Err(PyValueError::new_err(format!(
                    "errors must be \"raise\" or \"withhold\", not {e:?}"
                )))
            }
        };
        let answers = py.detach(|| service::mask_batch(&self.inner, &texts, format));
        answers
            .into_iter()
            .map(|r| match r {
                Ok(o) => Ok(o.text),
                Err(e) if withhold => Ok(format!("[mask: withheld: {e}]")),
                Err(e) => Err(py_error(e)),
            })
            .collect()
    }

    fn __repr__(&self) -> String {
        format!("Masker(policy={:?})", self.inner.policy().name)
    }
}

/// mask: masks personal data and secrets in Japanese business text.
#[pymodule]
fn _mask(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Masker>()?;
    m.add_class::<Finding>()?;
    let py = m.py();
    m.add("MaskError", py.get_type::<MaskError>())?;
    m.add("PolicyError", py.get_type::<PolicyError>())?;
    m.add("BlockedError", py.get_type::<BlockedError>())?;
    m.add("FormatError", py.get_type::<FormatError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
