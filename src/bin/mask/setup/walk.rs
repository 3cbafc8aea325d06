//! Directory trees: list the files under an input directory (for `-r` and
//! `scan`) and map each to its place under the output directory, refusing
//! layouts that could overwrite an input.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// Every regular file under `root` (symbolic links are not followed), sorted.
pub fn files_under(root: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = fs::read_dir(&dir).with_context(|| format!("listing {}", dir.display()))?;
        for e in entries {
            let e = e.with_context(|| format!("listing {}", dir.display()))?;
            let ft = e
                .file_type()
                .with_context(|| format!("reading {}", e.path().display()))?;
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() {
                out.push(e.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Checks that writing the mirror of `input` into `output` cannot touch an
/// input: the two must differ and neither may lie inside the other.
pub fn check_layout(input: &Path, output: &Path) -> Result<()> {
    let inp = input
        .canonicalize()
        .with_context(|| format!("input directory {}", input.display()))?;
    fs::create_dir_all(output)
        .with_context(|| format!("creating output directory {}", output.display()))?;
    let out = output
        .canonicalize()
        .with_context(|| format!("output directory {}", output.display()))?;
    if out.starts_with(&inp) {
        bail!(
            "output directory {} is inside the input {}; refusing",
            output.display(),
            input.display()
        );
    }
    if inp.starts_with(&out) {
        bail!(
            "input directory {} is inside the output {}; refusing",
            input.display(),
            output.display()
        );
    }
    Ok(())
}

/// Where the masked copy of `file` (under `root`) goes under `out_root`.
pub fn mirror_path(root: &Path, file: &Path, out_root: &Path) -> Result<PathBuf> {
    let rel = file
        .strip_prefix(root)
        .with_context(|| format!("{} is not under {}", file.display(), root.display()))?;
    Ok(out_root.join(rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_output_inside_input_and_the_reverse() {
        let d = tempfile::tempdir().unwrap();
        let inp = d.path().join("in");
        fs::create_dir_all(&inp).unwrap();
        assert!(check_layout(&inp, &inp.join("out")).is_err());
        assert!(check_layout(&inp, &inp).is_err());
        assert!(check_layout(&inp, d.path()).is_err());
        assert!(check_layout(&inp, &d.path().join("out")).is_ok());
    }

    #[test]
    fn lists_nested_files_and_mirrors_them() {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir_all(d.path().join("a/b")).unwrap();
        fs::write(d.path().join("a/b/x.txt"), "x").unwrap();
        fs::write(d.path().join("y.txt"), "y").unwrap();
        let files = files_under(d.path()).unwrap();
        assert_eq!(files.len(), 2);
        let m = mirror_path(d.path(), &d.path().join("a/b/x.txt"), Path::new("/o")).unwrap();
        assert_eq!(m, Path::new("/o/a/b/x.txt"));
    }
}
