//! The default command: `mask [FILE]...` masks standard input or each file
//! to standard output (or `-o FILE`), `mask -r IN... -o OUT` mirrors
//! directory trees, `mask --vault FILE` masks with reversible tokens.
//!
//! One input is masked by [`one`] (streamed when it is plain text, whole
//! when it is structured or must be decoded), a tree by [`tree`], vault
//! runs by [`vault`].

mod one;
mod tree;
mod vault;

use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use anyhow::{bail, Result};
use clap::Args;

use super::Run;
use crate::setup::input::{file_arg, Formats};
use crate::setup::report::finish;
use crate::setup::Common;
use mask::pipeline::Mode;
use mask::report::RunReport;

pub use vault::VaultArgs;

#[derive(Debug, Args)]
pub struct MaskArgs {
    /// Input files (standard input when none, or `-`).
    #[arg(value_name = "FILE")]
    pub inputs: Vec<PathBuf>,

    /// Mirror the directory tree(s) given as inputs into --output.
    #[arg(short, long)]
    pub recursive: bool,

    /// Output file (one input) or, with -r, output directory.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Write output as it is masked instead of holding it back until the
    /// whole input is done. A later error or block then leaves a partial
    /// (always masked) output behind.
    #[arg(long)]
    pub stream: bool,

    /// Input structure: text, csv, tsv, json, jsonl, eml, mbox. Default: by
    /// file extension, else (standard input too) by sniffing the first
    /// bytes; a sniffed format that does not parse is masked as text.
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "csv", "tsv", "json", "jsonl", "ndjson", "eml", "mbox"])]
    pub format: Option<String>,

    /// Output encoding: utf-8, shift_jis, euc-jp, iso-2022-jp. Default: the
    /// input's (detected: UTF-8, Shift_JIS/CP932, EUC-JP, ISO-2022-JP).
    #[arg(long, value_name = "ENCODING")]
    pub output_encoding: Option<String>,

    /// Column/key roles for CSV and JSON: one `header<TAB>role` a line
    /// (roles: name, reading, postal-code, prefecture, address, phone,
    /// email, card, birthdate, text, keep).
    #[arg(long, value_name = "FILE")]
    pub columns: Option<PathBuf>,

    /// With -r: mask again even when an output is newer than its input.
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub vault: VaultArgs,

    #[command(flatten)]
    pub common: Common,
}

impl Run for MaskArgs {
    fn run(&self) -> Result<u8> {
        let a = self;
        if a.vault.vault.is_some() {
            return vault::run(a);
        }
        let masker = a.common.build_masker()?;
        let formats = Formats::new(
            a.format.as_deref(),
            a.output_encoding.as_deref(),
            a.columns.as_deref(),
        )?;
        let started = (SystemTime::now(), Instant::now());
        let mut report = RunReport::new(masker.policy(), started.0);
        let hashes = a.common.hashes();
        if a.recursive {
            let Some(out_root) = &a.output else {
                bail!("-r needs -o DIR (the output directory)")
            };
            if a.inputs.is_empty() {
                bail!("-r needs at least one input directory");
            }
            let job = tree::Job {
                masker: &masker,
                formats: &formats,
                hashes,
                force: a.force,
                quiet: a.common.quiet,
            };
            for r in job.run(&a.inputs, out_root)? {
                report.push(r);
            }
        } else {
            let inputs: Vec<Option<&std::path::Path>> = if a.inputs.is_empty() {
                vec![None]
            } else {
                a.inputs.iter().map(|p| file_arg(p)).collect()
            };
            if a.output.is_some() && inputs.len() > 1 {
                bail!("-o FILE takes one input; use -r -o DIR for many");
            }
            let one = one::One {
                masker: &masker,
                formats: &formats,
                hashes,
                buffered: !a.stream,
            };
            for input in inputs {
                report.push(one.mask(input, a.output.as_deref())?);
            }
        }
        finish(&a.common, report, started.1, Mode::Mask)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Cli, Command};
    use clap::{CommandFactory, Parser};

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn filter_mode_takes_files_and_flags() {
        let c = Cli::try_parse_from(["mask", "-p", "strict", "a.txt", "b.txt"]).unwrap();
        assert!(c.command.is_none());
        assert_eq!(c.mask.inputs.len(), 2);
        assert_eq!(c.mask.common.policy, "strict");
    }

    #[test]
    fn format_flags_parse() {
        let c = Cli::try_parse_from([
            "mask",
            "--format",
            "csv",
            "--output-encoding",
            "shift_jis",
            "--columns",
            "c.tsv",
            "--force",
            "x.csv",
        ])
        .unwrap();
        assert_eq!(c.mask.format.as_deref(), Some("csv"));
        assert_eq!(c.mask.output_encoding.as_deref(), Some("shift_jis"));
        assert!(c.mask.force);
        assert!(Cli::try_parse_from(["mask", "--format", "xml"]).is_err());
    }

    #[test]
    fn recursive_parses_output_dir() {
        let c = Cli::try_parse_from(["mask", "-r", "in/", "-o", "out/"]).unwrap();
        assert!(c.mask.recursive);
        assert_eq!(c.mask.output.as_deref(), Some(std::path::Path::new("out/")));
    }

    #[test]
    fn a_subcommand_is_not_a_file_name() {
        let c = Cli::try_parse_from(["mask", "scan", "x"]).unwrap();
        assert!(matches!(c.command, Some(Command::Scan(_))));
    }
}
