//! `mask -r IN... -o OUT`: mirrors directory trees, files in parallel, each
//! written atomically; binary and up-to-date files are skipped, every
//! failure is reported and the run goes on. A progress bar on a terminal.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use super::one::One;
use crate::setup::input::{is_binary_file, Formats};
use crate::setup::walk;
use mask::report::{InputReport, Outcome};
use mask::Masker;

/// One `-r` run.
pub struct Job<'a> {
    pub masker: &'a Masker,
    pub formats: &'a Formats,
    pub hashes: bool,
    /// Mask again even when an output is newer than its input.
    pub force: bool,
    pub quiet: bool,
}

impl Job<'_> {
    /// Masks every file under `roots` into `out_root` (one root: its
    /// contents; several: one directory each). Returns one report entry per
    /// file, in path order.
    pub fn run(&self, roots: &[PathBuf], out_root: &Path) -> Result<Vec<InputReport>> {
        let mut jobs = Vec::new();
        for root in roots {
            walk::check_layout(root, out_root)?;
            let base = if roots.len() > 1 {
                out_root.join(root.file_name().unwrap_or(root.as_os_str()))
            } else {
                out_root.to_path_buf()
            };
            for file in walk::files_under(root)? {
                let dest = walk::mirror_path(root, &file, &base)?;
                jobs.push((file, dest));
            }
        }
        // Files in parallel; each file's own work uses the masker's pool.
        let progress = Progress::new(jobs.len(), self.quiet);
        Ok(jobs
            .par_iter()
            .map(|(file, dest)| {
                let r = self.mask_file_into(file, dest);
                progress.tick();
                r
            })
            .collect())
    }

    /// Masks one file into `dest` atomically (temporary file, then rename).
    /// Binary inputs are skipped; every failure is reported, never fatal.
    fn mask_file_into(&self, file: &Path, dest: &Path) -> InputReport {
        let name = file.display().to_string();
        if !self.force && up_to_date(file, dest) {
            return InputReport::failed(
                &name,
                Outcome::Skipped,
                "output is newer than the input (--force to redo)".into(),
            );
        }
        match is_binary_file(file) {
            Ok(true) => {
                return InputReport::failed(
                    &name,
                    Outcome::Skipped,
                    "binary file (NUL bytes); not copied".into(),
                )
            }
            Ok(false) => {}
            Err(e) => return InputReport::failed(&name, Outcome::Error, format!("{e:#}")),
        }
        if let Some(dir) = dest.parent() {
            if let Err(e) = std::fs::create_dir_all(dir) {
                return InputReport::failed(
                    &name,
                    Outcome::Error,
                    format!("creating {}: {e}", dir.display()),
                );
            }
        }
        let one = One {
            masker: self.masker,
            formats: self.formats,
            hashes: self.hashes,
            buffered: false,
        };
        match one.mask(Some(file), Some(dest)) {
            Ok(r) => r,
            Err(e) => InputReport::failed(&name, Outcome::Error, format!("{e:#}")),
        }
    }
}

/// True when `dest` exists and was modified after `file`.
fn up_to_date(file: &Path, dest: &Path) -> bool {
    let m = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((m(file), m(dest)), (Some(i), Some(o)) if o > i)
}

/// A progress bar on standard error (indicatif), only when it is a
/// terminal and the run is not quiet.
struct Progress {
    bar: indicatif::ProgressBar,
}

impl Progress {
    /// Progress over `total` files.
    fn new(total: usize, quiet: bool) -> Progress {
        let bar = if !quiet && io::stderr().is_terminal() {
            let b = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "mask: [{bar:30}] {pos}/{len} files, {elapsed} (eta {eta})",
            ) {
                b.set_style(style.progress_chars("#>-"));
            }
            b
        } else {
            indicatif::ProgressBar::hidden()
        };
        Progress { bar }
    }

    /// One more file done.
    fn tick(&self) {
        self.bar.inc(1);
        if self.bar.position() >= self.bar.length().unwrap_or(0) {
            self.bar.finish_and_clear();
        }
    }
}
