//! The library's error type.

use std::io;

use crate::span::Category;

/// Everything that can go wrong while building a masker or masking input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An I/O operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The input is not valid UTF-8 (nothing of it is passed through).
    #[error("input is not valid UTF-8 at byte {offset} (convert it to UTF-8 first; nothing was written)")]
    InvalidUtf8 {
        /// Offset of the first invalid byte.
        offset: u64,
    },
    /// The input looks binary (contains NUL bytes).
    #[error("input looks binary (NUL byte at {offset}); skipped, nothing written")]
    Binary {
        /// Offset of the first NUL byte.
        offset: u64,
    },
    /// The policy blocked the input: nothing was written.
    #[error("blocked by policy: input contains {}", describe_counts(.categories))]
    Blocked {
        /// The blocking categories with their counts. Never values.
        categories: Vec<(Category, usize)>,
    },
    /// A policy could not be read or is inconsistent.
    #[error("{0}")]
    Policy(String),
    /// The input's character encoding is unknown or invalid, or the output
    /// cannot be written in the chosen encoding (nothing was written).
    #[error("{0}")]
    Encoding(String),
    /// A structured input (CSV, JSON, e-mail) could not be parsed or written.
    #[error("{format}: {message}")]
    Format {
        /// Which format.
        format: &'static str,
        /// What went wrong (positions, never values).
        message: String,
    },
    /// A detector could not be built (a bad deny-list term, for example).
    #[error("building detector {detector}: {message}")]
    Build {
        /// Which detector.
        detector: &'static str,
        /// What went wrong.
        message: String,
    },
}

fn describe_counts(cats: &[(Category, usize)]) -> String {
    cats.iter()
        .map(|(c, n)| format!("{c} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Error {
    pub(crate) fn io(context: impl Into<String>, source: io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}
