//! Atomic output files: written to a temporary file beside the destination,
//! then renamed over it, so a reader never sees half an output.

use std::path::Path;

use anyhow::{Context, Result};
use tempfile::NamedTempFile;

/// A temporary file in the directory of `path`, to be persisted over it.
pub fn temp_beside(path: &Path) -> Result<NamedTempFile> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    tempfile::Builder::new()
        .prefix(".mask-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))
}
