//! Masking one input into standard output or a file. Plain UTF-8 text
//! streams in bounded memory; plain text in another encoding streams
//! through a decoder and an encoder; structured inputs (and text that must
//! be read whole) go through [`mask::format::process`].

use std::io::{self, BufWriter, Read};
use std::path::Path;

use anyhow::{Context, Result};

use crate::setup::input::{self, fallback_note, read_head, with_fallback, Choice, Formats, HEAD};
use crate::setup::output::{same_file, temp_beside, write_dest};
use crate::setup::report::{report_error, summary_report};
use mask::format::encoding::{self, Charset, DecodeReader, EncodeWriter};
use mask::format::{self, Format};
use mask::pipeline::spool::Spool;
use mask::pipeline::{self, Mode, StreamOptions};
use mask::report::{InputReport, Outcome};
use mask::{Error, Masker};

/// How inputs are masked in this run.
pub struct One<'a> {
    pub masker: &'a Masker,
    pub formats: &'a Formats,
    /// SHA-256 of inputs and outputs (for reports).
    pub hashes: bool,
    /// Hold standard output back until the input is done (not `--stream`).
    pub buffered: bool,
}

impl One<'_> {
    /// Masks one input (`None`: standard input) into `dest` (`None`:
    /// standard output). Errors on the input (opening, reading, decoding,
    /// parsing) become a failed report entry; errors writing standard
    /// output are returned (a broken pipe ends the run quietly).
    pub fn mask(&self, input: Option<&Path>, dest: Option<&Path>) -> Result<InputReport> {
        let name = input::name_of(input);
        let mut reader = match input::open(input) {
            Ok(r) => r,
            Err(e) => return Ok(report_error(&name, &format!("opening {name}: {e}"))),
        };
        if let (Some(inp), Some(out)) = (input, dest) {
            if same_file(inp, out) {
                return Ok(report_error(
                    &name,
                    "output would overwrite the input; refusing",
                ));
            }
        }
        let head = match read_head(&mut reader) {
            Ok(h) => h,
            Err(e) => return Ok(report_error(&name, &format!("reading {name}: {e}"))),
        };
        let choice = self.formats.choose(input, &head);
        if !self.streams(choice.format, &head) {
            // Structured formats, and text that must be decoded, are masked
            // whole (non-UTF-8 plain text streams through a decoder).
            let all = if let Some(cs) = self.stream_charset(choice.format, &head) {
                let reader: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(reader));
                let r = self.stream_text(cs, &name, reader, dest)?;
                // The head guessed wrong (say EUC-JP past a Shift_JIS-looking
                // start): a file is decoded whole instead.
                let (Outcome::Error, Some(p)) = (r.outcome, input) else {
                    return Ok(r);
                };
                std::fs::read(p).with_context(|| format!("reading {name}"))?
            } else {
                match input::read_rest(head, &mut reader, input) {
                    Ok(all) => all,
                    Err(e) => return Ok(report_error(&name, &format!("reading {name}: {e}"))),
                }
            };
            return self.mask_bytes(choice, &name, &all, dest);
        }
        let reader: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(reader));
        let report = self.mask_stream(&name, reader, dest)?;
        // Not UTF-8 after all (past the head): a file is read again and
        // decoded (nothing was written: the output is held back, or in a
        // temporary file).
        if let (Some(p), true) = (input, self.buffered || dest.is_some()) {
            if report.outcome == Outcome::Error
                && report
                    .reason
                    .as_deref()
                    .is_some_and(|r| r.contains("not valid UTF-8"))
            {
                let all = std::fs::read(p).with_context(|| format!("reading {name}"))?;
                return self.mask_bytes(choice, &name, &all, dest);
            }
        }
        Ok(report)
    }

    /// True when the streaming text pipeline can take the input as it is:
    /// plain text, UTF-8 (as far as `head` shows), no re-encoding asked.
    fn streams(&self, format: Format, head: &[u8]) -> bool {
        format == Format::Text
            && self.formats.output.is_none_or(|c| c == Charset::Utf8)
            && input::head_is_utf8(head)
    }

    /// The charset of plain text that can be decoded as a stream: not
    /// UTF-8, detected on the head (cut at its last line), and no hashes
    /// asked for (a report hashes the original bytes: decoded whole).
    fn stream_charset(&self, format: Format, head: &[u8]) -> Option<Charset> {
        if format != Format::Text || self.hashes {
            return None;
        }
        let probe = if head.len() >= HEAD {
            let cut = memchr::memrchr(b'\n', head)?;
            &head[..=cut]
        } else {
            head
        };
        encoding::detect(probe).ok().filter(|c| *c != Charset::Utf8)
    }

    /// Masks UTF-8 text with the streaming pipeline.
    fn mask_stream(
        &self,
        name: &str,
        reader: Box<dyn Read + Send>,
        dest: Option<&Path>,
    ) -> Result<InputReport> {
        let opts = StreamOptions {
            mode: Mode::Mask,
            hashes: self.hashes,
            buffered: self.buffered,
        };
        match dest {
            None => {
                let out = BufWriter::with_capacity(1 << 16, io::stdout());
                match pipeline::run(self.masker, reader, out, &opts, |_| {}) {
                    Ok(s) => Ok(summary_report(name, Some("-"), &s)),
                    Err(e @ Error::Io { .. }) if e.to_string().starts_with("writing output") => {
                        Err(e.into())
                    }
                    Err(e) => Ok(report_error(name, &e.to_string())),
                }
            }
            Some(path) => {
                let mut tmp = temp_beside(path)?;
                let res = {
                    let w = BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
                    pipeline::run(self.masker, reader, w, &opts, |_| {})
                };
                match res {
                    Ok(s) if s.blocked.is_empty() => {
                        tmp.persist(path)
                            .with_context(|| format!("writing {}", path.display()))?;
                        Ok(summary_report(name, Some(&path.display().to_string()), &s))
                    }
                    Ok(s) => Ok(summary_report(name, None, &s)),
                    Err(e) => Ok(report_error(name, &e.to_string())),
                }
            }
        }
    }

    /// Masks plain text in `charset` as a stream, in bounded memory:
    /// decoded on the fly, masked, encoded again (into the output encoding)
    /// into a spool that reaches `dest` only when the whole input was good
    /// and not blocked.
    fn stream_text(
        &self,
        charset: Charset,
        name: &str,
        reader: Box<dyn Read + Send>,
        dest: Option<&Path>,
    ) -> Result<InputReport> {
        let mut dec = DecodeReader::new(reader, charset);
        let mut spool = Spool::new();
        let mut enc = EncodeWriter::new(&mut spool, self.formats.output.unwrap_or(charset));
        let opts = StreamOptions {
            mode: Mode::Mask,
            hashes: false,
            buffered: false,
        };
        let res = pipeline::run(self.masker, &mut dec, &mut enc, &opts, |_| {}).and_then(|s| {
            enc.finish()
                .map(|_| s)
                .map_err(|e| Error::Encoding(format!("{e}; nothing written")))
        });
        let mut s = match res {
            Ok(s) => s,
            Err(e) => return Ok(report_error(name, &e.to_string())),
        };
        s.bytes_in = dec.bytes_read();
        if !s.blocked.is_empty() {
            return Ok(summary_report(name, None, &s));
        }
        s.bytes_out = enc.bytes_written();
        drop(enc);
        let written = write_dest(dest, |w| spool.release(w))?;
        Ok(summary_report(name, Some(&written), &s))
    }

    /// Masks a whole input held in memory and writes it to `dest`. A
    /// sniffed format that does not parse is masked as text (noted).
    fn mask_bytes(
        &self,
        choice: Choice,
        name: &str,
        input: &[u8],
        dest: Option<&Path>,
    ) -> Result<InputReport> {
        let run =
            |f: Format| format::process(self.masker, input, &self.formats.options(f, self.hashes));
        let (out, fallback) = match with_fallback(choice, run) {
            Ok(r) => r,
            Err((failed, e)) => return Ok(report_error(name, &format!("{failed}: {e}"))),
        };
        if !out.summary.blocked.is_empty() {
            return Ok(summary_report(name, None, &out.summary));
        }
        let written = write_dest(dest, |w| w.write_all(&out.bytes))?;
        let mut r = summary_report(name, Some(&written), &out.summary);
        let notes: Vec<String> = fallback
            .map(|(guess, why)| fallback_note(guess, &why, "masked"))
            .into_iter()
            .chain(out.notes)
            .collect();
        if !notes.is_empty() {
            r.reason = Some(notes.join("; "));
        }
        Ok(r)
    }
}
