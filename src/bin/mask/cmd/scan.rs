//! `mask scan [PATH]...`: lists findings (`FILE:LINE:COLUMN: CATEGORY
//! (DETECTOR)`, or JSON lines), never values; exits 1 when the policy
//! forbids something found. Inputs are read as masking reads them: the same
//! format choice, decoding and fallback to text.

use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result};
use clap::Args;

use super::Run;
use crate::setup::input::{self, fallback_note, with_fallback, Formats};
use crate::setup::report::{finish, report_error};
use crate::setup::{walk, Common};
use mask::format::{self, Format};
use mask::pipeline::{self, Mode, StreamOptions, Summary};
use mask::report::{InputReport, Outcome};
use mask::{Action, Error, Finding, Masker};

/// Arguments of `mask scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan (standard input when none).
    #[arg(value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// One JSON object per finding instead of text lines.
    #[arg(long)]
    pub json: bool,

    /// Input structure: text, csv, tsv, json, jsonl, eml, mbox. Default: by
    /// file extension, else by sniffing the first bytes (a sniffed format
    /// that does not parse is scanned as text).
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "csv", "tsv", "json", "jsonl", "ndjson", "eml", "mbox"])]
    pub format: Option<String>,

    /// Column/key roles for CSV and JSON, as for masking.
    #[arg(long, value_name = "FILE")]
    pub columns: Option<PathBuf>,

    #[command(flatten)]
    pub common: Common,
}

impl Run for ScanArgs {
    fn run(&self) -> Result<u8> {
        let a = self;
        let masker = a.common.build_masker()?;
        let formats = Formats::new(a.format.as_deref(), None, a.columns.as_deref())?;
        let started = (SystemTime::now(), Instant::now());
        let mut report = mask::report::RunReport::new(masker.policy(), started.0);
        let mut files: Vec<Option<PathBuf>> = Vec::new();
        if a.inputs.is_empty() {
            files.push(None);
        }
        for p in &a.inputs {
            if p.as_os_str() == "-" {
                files.push(None);
            } else if p.is_dir() {
                files.extend(walk::files_under(p)?.into_iter().map(Some));
            } else {
                files.push(Some(p.clone()));
            }
        }
        let mut out = BufWriter::new(io::stdout().lock());
        let mut scan = Scan {
            masker: &masker,
            formats: &formats,
            hashes: a.common.hashes(),
            json: a.json,
            forbidden: 0,
        };
        for f in files {
            report.push(scan.input(f.as_deref(), &mut out)?);
        }
        out.flush().context("writing findings")?;
        let code = finish(&a.common, report, started.1, Mode::Scan)?;
        Ok(if code == 0 && scan.forbidden > 0 {
            1
        } else {
            code
        })
    }
}

/// One scan run over its inputs.
struct Scan<'a> {
    masker: &'a Masker,
    formats: &'a Formats,
    hashes: bool,
    json: bool,
    /// Findings the policy does not keep.
    forbidden: usize,
}

impl Scan<'_> {
    /// Scans one input (`None`: standard input), writing its findings to
    /// `out`. Errors on the input become its report entry; errors writing
    /// findings are returned.
    fn input(&mut self, path: Option<&Path>, out: &mut dyn Write) -> Result<InputReport> {
        let name = input::name_of(path);
        if let Some(p) = path {
            if input::is_binary_file(p).unwrap_or(false) {
                return Ok(InputReport::failed(
                    &name,
                    Outcome::Skipped,
                    "binary file (NUL bytes)".into(),
                ));
            }
        }
        let mut reader = match input::open(path) {
            Ok(r) => r,
            Err(e) => return Ok(report_error(&name, &format!("opening {name}: {e}"))),
        };
        let head = match input::read_head(&mut reader) {
            Ok(h) => h,
            Err(e) => return Ok(report_error(&name, &format!("reading {name}: {e}"))),
        };
        let choice = self.formats.choose(path, &head);
        let (masker, json) = (self.masker, self.json);
        let mut forbidden = 0;
        let mut write_err: Option<io::Error> = None;
        let mut emit = |line: u64, column: u64, finding: &Finding, exact: bool| {
            if *masker.policy().action(finding.category) != Action::Keep {
                forbidden += 1;
            }
            let line = if json {
                serde_json::json!({
                    "file": name, "line": line, "column": column,
                    "category": finding.category, "detector": finding.detector,
                    "start": finding.span.start, "end": finding.span.end,
                    "exact": exact,
                })
                .to_string()
            } else {
                format!(
                    "{name}:{line}:{column}: {} ({}){}",
                    finding.category,
                    finding.detector,
                    if exact { "" } else { " [decoded]" }
                )
            };
            if write_err.is_none() {
                if let Err(e) = writeln!(out, "{line}") {
                    write_err = Some(e);
                }
            }
        };
        let mut note = None;
        let res: Result<Summary, Error> = if choice.format == Format::Text
            && input::head_is_utf8(&head)
        {
            // Plain UTF-8 text: streamed, in bounded memory.
            let opts = StreamOptions {
                mode: Mode::Scan,
                hashes: self.hashes,
                buffered: false,
            };
            let reader = io::Cursor::new(head).chain(reader);
            pipeline::run(masker, reader, io::sink(), &opts, |l| {
                emit(l.line, l.column, &l.finding, true)
            })
        } else {
            // Structured or not UTF-8: read whole, decoded field by field.
            match input::read_rest(head, &mut reader, path) {
                Err(e) => Err(Error::Io {
                    context: format!("reading {name}"),
                    source: e,
                }),
                Ok(bytes) => {
                    let run = |f: Format| {
                        format::scan(masker, &bytes, &self.formats.options(f, self.hashes))
                    };
                    match with_fallback(choice, run) {
                        Ok((o, fell)) => {
                            note = fell.map(|(guess, why)| fallback_note(guess, &why, "scanned"));
                            for h in &o.hits {
                                emit(h.line, h.column, &h.finding, h.exact);
                            }
                            Ok(o.summary)
                        }
                        Err((_, e)) => Err(e),
                    }
                }
            }
        };
        if let Some(e) = write_err {
            return Err(e).context("writing findings");
        }
        self.forbidden += forbidden;
        Ok(match res {
            Ok(s) => {
                let mut r = InputReport::from_summary(&name, None, Outcome::Scanned, &s);
                r.reason = note;
                r
            }
            Err(e) => report_error(&name, &e.to_string()),
        })
    }
}
