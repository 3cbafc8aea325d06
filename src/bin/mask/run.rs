//! Running the mask and scan commands over standard input, files and
//! directory trees, with per-input reports.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use anyhow::{bail, Context, Result};

use rayon::prelude::*;

use crate::args::{Common, MaskArgs, ScanArgs};
use crate::formats::{self, Progress, Setup};
use crate::{build_masker, walk};
use mask::format::{self, Format};
use mask::pipeline::{self, Mode, StreamOptions, Summary};
use mask::report::{InputReport, Outcome, RunReport};
use mask::{Action, Error, Finding, Masker};

/// Where one input's output goes.
enum Dest<'a> {
    Stdout,
    File(&'a Path),
}

/// Runs the default command: mask inputs to stdout, a file, or a tree.
pub fn mask(a: &MaskArgs) -> Result<u8> {
    if a.vault.vault.is_some() {
        return crate::cmd_restore::mask_with_vault_cmd(a);
    }
    let masker = build_masker(&a.common)?;
    let setup = Setup::from_args(a)?;
    let started = (SystemTime::now(), Instant::now());
    let mut report = RunReport::new(masker.policy(), started.0);
    // SHA-256 of inputs and outputs costs a pass each: only for reports.
    let hashes = a.common.report.is_some() || a.common.audit.is_some();
    let inputs: Vec<PathBuf> = a.inputs.clone();
    if a.recursive {
        let Some(out_root) = &a.output else {
            bail!("-r needs -o DIR (the output directory)")
        };
        if inputs.is_empty() {
            bail!("-r needs at least one input directory");
        }
        let mut jobs = Vec::new();
        for root in &inputs {
            walk::check_layout(root, out_root)?;
            let base = if inputs.len() > 1 {
                out_root.join(root.file_name().unwrap_or(root.as_os_str()))
            } else {
                out_root.clone()
            };
            for file in walk::files_under(root)? {
                let dest = walk::mirror_path(root, &file, &base)?;
                jobs.push((file, dest));
            }
        }
        // Files in parallel; each file's own work uses the masker's pool.
        let progress = Progress::new(jobs.len(), a.common.quiet);
        let reports: Vec<InputReport> = jobs
            .par_iter()
            .map(|(file, dest)| {
                let r = mask_file_into(&masker, &setup, file, dest, hashes, a.force);
                progress.tick();
                r
            })
            .collect();
        for r in reports {
            report.push(r);
        }
    } else if inputs.is_empty() || inputs.iter().all(|p| p.as_os_str() == "-") && inputs.len() == 1
    {
        let dest = match &a.output {
            Some(p) => Dest::File(p),
            None => Dest::Stdout,
        };
        report.push(mask_one(&masker, &setup, None, dest, !a.stream, hashes)?);
    } else {
        if a.output.is_some() && inputs.len() > 1 {
            bail!("-o FILE takes one input; use -r -o DIR for many");
        }
        for input in &inputs {
            let dest = match &a.output {
                Some(p) => Dest::File(p),
                None => Dest::Stdout,
            };
            let path = (input.as_os_str() != "-").then_some(input.as_path());
            report.push(mask_one(&masker, &setup, path, dest, !a.stream, hashes)?);
        }
    }
    finish(&a.common, report, started.1, Mode::Mask)
}

/// Masks one file into `dest` atomically (temporary file, then rename).
/// Binary inputs are skipped; every failure is reported, never fatal.
fn mask_file_into(
    masker: &Masker,
    setup: &Setup,
    file: &Path,
    dest: &Path,
    hashes: bool,
    force: bool,
) -> InputReport {
    let name = file.display().to_string();
    if !force && up_to_date(file, dest) {
        return InputReport::failed(
            &name,
            Outcome::Skipped,
            "output is newer than the input (--force to redo)".into(),
        );
    }
    match sniff_binary(file) {
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
    match mask_one(masker, setup, Some(file), Dest::File(dest), false, hashes) {
        Ok(r) => r,
        Err(e) => InputReport::failed(&name, Outcome::Error, format!("{e:#}")),
    }
}

/// True when `dest` exists and was modified after `file`.
fn up_to_date(file: &Path, dest: &Path) -> bool {
    let m = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((m(file), m(dest)), (Some(i), Some(o)) if o > i)
}

fn sniff_binary(file: &Path) -> Result<bool> {
    let mut head = Vec::with_capacity(8192);
    File::open(file)
        .with_context(|| format!("opening {}", file.display()))?
        .take(8192)
        .read_to_end(&mut head)
        .with_context(|| format!("reading {}", file.display()))?;
    Ok(pipeline::looks_binary(&head))
}

/// Masks one input. Library errors on the input (encoding, binary, I/O
/// reading it) become a failed report entry; errors writing standard output
/// are returned (a broken pipe ends the run quietly).
fn mask_one(
    masker: &Masker,
    setup: &Setup,
    input: Option<&Path>,
    dest: Dest<'_>,
    buffered: bool,
    hashes: bool,
) -> Result<InputReport> {
    let name = input.map_or("-".to_string(), |p| p.display().to_string());
    let mut reader: Box<dyn Read + Send> = match input {
        None => Box::new(io::stdin()),
        Some(p) => match File::open(p) {
            Ok(f) => Box::new(f),
            Err(e) => return Ok(report_error(&name, &format!("opening {name}: {e}"))),
        },
    };
    let dest_path = match &dest {
        Dest::Stdout => None,
        Dest::File(p) => Some(*p),
    };
    if let (Some(inp), Some(out)) = (input, dest_path) {
        if same_file(inp, out) {
            return Ok(report_error(
                &name,
                "output would overwrite the input; refusing",
            ));
        }
    }
    // Structured formats and non-UTF-8 text are decoded whole; UTF-8 text
    // streams.
    let head = match formats::read_head(&mut reader) {
        Ok(h) => h,
        Err(e) => return Ok(report_error(&name, &format!("reading {name}: {e}"))),
    };
    let format = setup.choose(input, &head);
    // Structured formats, and text that must be decoded, are masked whole.
    let mask_whole = |all: &[u8]| {
        formats::mask_bytes(
            masker,
            setup,
            format,
            &name,
            all,
            dest_path,
            hashes,
            setup.sniffed(input),
        )
    };
    if !setup.streams(format, &head) {
        let all = if let Some(cs) = setup.stream_charset(format, &head, hashes) {
            let reader: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(reader));
            let r = formats::stream_text(masker, setup, cs, &name, reader, dest_path)?;
            // The head guessed wrong (say EUC-JP past a Shift_JIS-looking
            // start): a file is decoded whole instead.
            let (Outcome::Error, Some(p)) = (r.outcome, input) else {
                return Ok(r);
            };
            std::fs::read(p).with_context(|| format!("reading {name}"))?
        } else {
            let mut all = head;
            // Sized once: no copies while growing, no pages touched twice.
            if let Some(len) = input
                .and_then(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
            {
                all.reserve_exact((len as usize).saturating_sub(all.len()));
            }
            if let Err(e) = reader.read_to_end(&mut all) {
                return Ok(report_error(&name, &format!("reading {name}: {e}")));
            }
            all
        };
        return mask_whole(&all);
    }
    let reader: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(reader));
    let report = mask_stream(masker, &name, input, reader, dest, buffered, hashes)?;
    // Not UTF-8 after all (past the head): a file is read again and decoded
    // (nothing was written: the output is held back, or in a temporary file).
    if let (Some(p), true) = (input, buffered || dest_path.is_some()) {
        if report.outcome == Outcome::Error
            && report
                .reason
                .as_deref()
                .is_some_and(|r| r.contains("not valid UTF-8"))
        {
            let all = std::fs::read(p).with_context(|| format!("reading {name}"))?;
            return mask_whole(&all);
        }
    }
    Ok(report)
}

/// Masks UTF-8 text with the streaming pipeline.
fn mask_stream(
    masker: &Masker,
    name: &str,
    input: Option<&Path>,
    reader: Box<dyn Read + Send>,
    dest: Dest<'_>,
    buffered: bool,
    hashes: bool,
) -> Result<InputReport> {
    let name = name.to_string();
    let opts = StreamOptions {
        mode: Mode::Mask,
        hashes,
        buffered,
    };
    match dest {
        Dest::Stdout => {
            let out = BufWriter::with_capacity(1 << 16, io::stdout());
            match pipeline::run(masker, reader, out, &opts, |_| {}) {
                Ok(s) => Ok(summary_report(&name, Some("-"), &s)),
                Err(e @ Error::Io { .. }) if e.to_string().starts_with("writing output") => {
                    Err(e.into())
                }
                Err(e) => Ok(report_error(&name, &e.to_string())),
            }
        }
        Dest::File(path) => {
            if let Some(inp) = input {
                if same_file(inp, path) {
                    return Ok(report_error(
                        &name,
                        "output would overwrite the input; refusing",
                    ));
                }
            }
            let mut tmp = crate::atomic::temp_beside(path)?;
            let res = {
                let w = BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
                pipeline::run(masker, reader, w, &opts, |_| {})
            };
            match res {
                Ok(s) if s.blocked.is_empty() => {
                    tmp.persist(path)
                        .with_context(|| format!("writing {}", path.display()))?;
                    Ok(summary_report(&name, Some(&path.display().to_string()), &s))
                }
                Ok(s) => Ok(summary_report(&name, None, &s)),
                Err(e) => Ok(report_error(&name, &e.to_string())),
            }
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn summary_report(name: &str, output: Option<&str>, s: &Summary) -> InputReport {
    if s.blocked.is_empty() {
        InputReport::from_summary(name, output, Outcome::Masked, s)
    } else {
        let mut r = InputReport::from_summary(name, None, Outcome::Blocked, s);
        r.reason = Some(
            Error::Blocked {
                categories: s.blocked.clone(),
            }
            .to_string(),
        );
        r
    }
}

fn report_error(name: &str, msg: &str) -> InputReport {
    InputReport::failed(name, Outcome::Error, msg.to_string())
}

/// Runs `scan`: findings to stdout, exit 1 when something forbidden is found.
pub fn scan(a: &ScanArgs) -> Result<u8> {
    let masker = build_masker(&a.common)?;
    let setup = Setup::for_scan(a)?;
    let started = (SystemTime::now(), Instant::now());
    let mut report = RunReport::new(masker.policy(), started.0);
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
    let mut forbidden = 0usize;
    for f in files {
        let name = f
            .as_ref()
            .map_or("-".to_string(), |p| p.display().to_string());
        if let Some(p) = &f {
            if sniff_binary(p).unwrap_or(false) {
                report.push(InputReport::failed(
                    &name,
                    Outcome::Skipped,
                    "binary file (NUL bytes)".into(),
                ));
                continue;
            }
        }
        let mut reader: Box<dyn Read + Send> = match &f {
            None => Box::new(io::stdin()),
            Some(p) => match File::open(p) {
                Ok(file) => Box::new(file),
                Err(e) => {
                    report.push(report_error(&name, &format!("opening {name}: {e}")));
                    continue;
                }
            },
        };
        let head = match formats::read_head(&mut reader) {
            Ok(h) => h,
            Err(e) => {
                report.push(report_error(&name, &format!("reading {name}: {e}")));
                continue;
            }
        };
        let hashes = a.common.report.is_some() || a.common.audit.is_some();
        let fmt = setup.choose(f.as_deref(), &head);
        let mut write_err: Option<io::Error> = None;
        let mut emit = |line: u64, column: u64, finding: &Finding, exact: bool| {
            if *masker.policy().action(finding.category) != Action::Keep {
                forbidden += 1;
            }
            let line = if a.json {
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
        let res = if fmt == Format::Text && formats::head_is_utf8(&head) {
            // Plain UTF-8 text: streamed, in bounded memory.
            let opts = StreamOptions {
                mode: Mode::Scan,
                hashes,
                buffered: false,
            };
            let reader = io::Cursor::new(head).chain(reader);
            pipeline::run(&masker, reader, io::sink(), &opts, |l| {
                emit(l.line, l.column, &l.finding, true)
            })
        } else {
            // Structured or not UTF-8: read whole, decoded field by field.
            let mut bytes = head;
            if let Some(len) = f.as_deref().and_then(|p| std::fs::metadata(p).ok()) {
                bytes.reserve_exact((len.len() as usize).saturating_sub(bytes.len()));
            }
            match reader.read_to_end(&mut bytes) {
                Err(e) => Err(Error::Io {
                    context: format!("reading {name}"),
                    source: e,
                }),
                Ok(_) => {
                    let mut r = format::scan(&masker, &bytes, &setup.options(fmt, hashes));
                    if fmt != Format::Text
                        && setup.sniffed(f.as_deref())
                        && matches!(r, Err(Error::Format { .. }))
                    {
                        // A wrong guess: scan it as text instead.
                        r = format::scan(&masker, &bytes, &setup.options(Format::Text, hashes));
                    }
                    r.map(|o| {
                        for h in &o.hits {
                            emit(h.line, h.column, &h.finding, h.exact);
                        }
                        o.summary
                    })
                }
            }
        };
        if let Some(e) = write_err {
            return Err(e).context("writing findings");
        }
        match res {
            Ok(s) => report.push(InputReport::from_summary(&name, None, Outcome::Scanned, &s)),
            Err(e) => report.push(report_error(&name, &e.to_string())),
        }
    }
    out.flush().context("writing findings")?;
    let code = finish(&a.common, report, started.1, Mode::Scan)?;
    Ok(if code == 0 && forbidden > 0 { 1 } else { code })
}

/// Writes the report and the summary line; returns the exit code.
pub(crate) fn finish(c: &Common, mut report: RunReport, t0: Instant, mode: Mode) -> Result<u8> {
    let secs = t0.elapsed().as_secs_f64();
    report.seconds = secs;
    if let Some(path) = &c.report {
        std::fs::write(path, report.to_json())
            .with_context(|| format!("writing report {}", path.display()))?;
    }
    if let Some(path) = &c.audit {
        let command = if mode == Mode::Scan { "scan" } else { "mask" };
        crate::cmd_audit::append_run(path, command, &report)?;
    }
    let count = |o: Outcome| report.inputs.iter().filter(|r| r.outcome == o).count();
    let (errors, blocked, skipped) = (
        count(Outcome::Error),
        count(Outcome::Blocked),
        count(Outcome::Skipped),
    );
    for r in &report.inputs {
        if let Some(reason) = &r.reason {
            eprintln!("mask: {}: {:?}: {reason}", r.input, r.outcome);
        }
    }
    if !c.quiet {
        let bytes: u64 = report.inputs.iter().map(|r| r.bytes_in).sum();
        let total: usize = report.totals.values().sum();
        let per: Vec<String> = report
            .totals
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        let verb = if mode == Mode::Scan {
            "scanned"
        } else {
            "masked"
        };
        eprintln!(
            "mask: {verb} {} input(s), {} bytes in {:.3} s ({:.1} MB/s); {} finding(s){}; {} blocked, {} skipped, {} error(s)",
            report.inputs.len(),
            bytes,
            secs,
            bytes as f64 / 1e6 / secs.max(1e-9),
            total,
            if per.is_empty() { String::new() } else { format!(" ({})", per.join(", ")) },
            blocked,
            skipped,
            errors
        );
    }
    Ok(if errors > 0 {
        2
    } else if blocked > 0 {
        3
    } else {
        0
    })
}
