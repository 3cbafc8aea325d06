//! Output: standard output, or a file written atomically — to a temporary
//! file beside the destination, then renamed over it, so a reader never
//! sees half an output.

use std::io::{self, Write};
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

/// Writes to standard output (`None`) or atomically to a file; returns the
/// name written (`-` for standard output).
pub fn write_dest(
    dest: Option<&Path>,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<String> {
    match dest {
        None => {
            let mut so = io::stdout().lock();
            fill(&mut so)
                .and_then(|_| so.flush())
                .context("writing output")?;
            Ok("-".to_string())
        }
        Some(path) => {
            let mut tmp = temp_beside(path)?;
            fill(tmp.as_file_mut())
                .and_then(|_| tmp.flush())
                .with_context(|| format!("writing {}", path.display()))?;
            tmp.persist(path)
                .with_context(|| format!("writing {}", path.display()))?;
            Ok(path.display().to_string())
        }
    }
}

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
