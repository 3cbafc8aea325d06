//! `mask review [FILE] -o review.html`: an HTML page with the original and
//! the masked text side by side. It SHOWS THE ORIGINALS: local use only.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::Run;
use crate::setup::input::{file_arg, name_of, Formats};
use crate::setup::{review, Common};
use mask::review::review_html;

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The text to review (standard input when none, or `-`).
    #[arg(value_name = "FILE")]
    pub input: Option<PathBuf>,

    /// Where to write the HTML page (standard output when none).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Input structure, as for masking: text, csv, tsv, json, jsonl, eml,
    /// mbox. Default: by file extension, else by sniffing the first bytes.
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "csv", "tsv", "json", "jsonl", "ndjson", "eml", "mbox"])]
    pub format: Option<String>,

    /// Column/key roles for CSV and JSON, as for masking.
    #[arg(long, value_name = "FILE")]
    pub columns: Option<PathBuf>,

    #[command(flatten)]
    pub common: Common,
}

impl Run for ReviewArgs {
    fn run(&self) -> Result<u8> {
        let path = self.input.as_deref().and_then(file_arg);
        let name = name_of(path);
        let formats = Formats::new(self.format.as_deref(), None, self.columns.as_deref())?;
        let r = review::load(path, &formats, &self.common)?;
        let html = review_html(&r.review, &name);
        match &self.output {
            Some(p) => {
                std::fs::write(p, html).with_context(|| format!("writing {}", p.display()))?
            }
            None => {
                let mut o = io::stdout().lock();
                o.write_all(html.as_bytes())?;
                o.flush()?;
            }
        }
        if let Some(note) = &r.note {
            eprintln!("mask: {name}: {note}");
        }
        if !self.common.quiet {
            eprintln!(
                "mask: review of {name}: {} finding(s); the page shows ORIGINAL data — keep it local",
                r.review.findings()
            );
        }
        Ok(0)
    }
}
