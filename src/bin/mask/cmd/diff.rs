//! `mask diff [FILE]`: what would be masked, inline:
//! `[-original-]{+masked+}` (colours on a terminal). It SHOWS THE
//! ORIGINALS: local use only.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::Run;
use crate::setup::input::{file_arg, name_of, Formats};
use crate::setup::{review, Common};
use mask::review::diff;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The text to show (standard input when none, or `-`).
    #[arg(value_name = "FILE")]
    pub input: Option<PathBuf>,

    /// Colours: auto (when standard output is a terminal), always, never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub color: String,

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

impl Run for DiffArgs {
    fn run(&self) -> Result<u8> {
        let path = self.input.as_deref().and_then(file_arg);
        let formats = Formats::new(self.format.as_deref(), None, self.columns.as_deref())?;
        let r = review::load(path, &formats, &self.common)?;
        if let Some(note) = &r.note {
            eprintln!("mask: {}: {note}", name_of(path));
        }
        let color = match self.color.as_str() {
            "always" => true,
            "never" => false,
            _ => io::stdout().is_terminal(),
        };
        let mut o = io::stdout().lock();
        o.write_all(diff(&r.review, color).as_bytes())?;
        o.flush()?;
        Ok(0)
    }
}
