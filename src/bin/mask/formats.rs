//! Structured inputs and encodings on the command line: choose a format per
//! input (`--format`, the file's extension, or with -r the first bytes),
//! run non-streaming inputs through [`mask::format::process`], write the
//! result atomically, and report. Also the -r progress line.

use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;

use anyhow::{anyhow, Context, Result};

use crate::args::MaskArgs;
use mask::format::encoding::{self, Charset, DecodeReader, EncodeWriter};
use mask::format::roles::RoleMap;
use mask::format::{self, Format, Options};
use mask::pipeline::spool::Spool;
use mask::pipeline::{self, Mode, StreamOptions};
use mask::report::{InputReport, Outcome};
use mask::{Error, Masker};

/// How many leading bytes decide between streaming and decoding.
pub const HEAD: usize = 64 * 1024;

/// Format choices for a run.
pub struct Setup {
    forced: Option<Format>,
    output: Option<Charset>,
    roles: RoleMap,
    /// Sniff files with no telling extension.
    sniff: bool,
    /// Sniff standard input too.
    sniff_stdin: bool,
}

/// `--format NAME`, when given.
fn parse_format(name: Option<&str>) -> Result<Option<Format>> {
    name.map(|f| Format::from_name(f).ok_or_else(|| anyhow!("unknown format {f:?}")))
        .transpose()
}

/// The column roles of `--columns FILE` (header → role), if given.
fn load_roles(columns: Option<&Path>) -> Result<RoleMap> {
    let mut roles = RoleMap::default();
    if let Some(p) = columns {
        let text = std::fs::read_to_string(p)
            .with_context(|| format!("reading column roles {}", p.display()))?;
        roles.add_tsv(&text, &p.display().to_string())?;
    }
    Ok(roles)
}

impl Setup {
    /// From the command line: `--format`, `--output-encoding`, `--columns`.
    pub fn from_args(a: &MaskArgs) -> Result<Setup> {
        let forced = parse_format(a.format.as_deref())?;
        let output = a
            .output_encoding
            .as_deref()
            .map(|e| {
                Charset::from_label(e).ok_or_else(|| {
                    anyhow!("unknown output encoding {e:?} (utf-8, shift_jis, euc-jp, iso-2022-jp)")
                })
            })
            .transpose()?;
        let roles = load_roles(a.columns.as_deref())?;
        Ok(Setup {
            forced,
            output,
            roles,
            sniff: a.recursive,
            sniff_stdin: false,
        })
    }

    /// For `scan`: `--format`, `--columns`; formats sniffed for every
    /// input, standard input included.
    pub fn for_scan(a: &crate::args::ScanArgs) -> Result<Setup> {
        let forced = parse_format(a.format.as_deref())?;
        let roles = load_roles(a.columns.as_deref())?;
        Ok(Setup {
            forced,
            output: None,
            roles,
            sniff: true,
            sniff_stdin: true,
        })
    }

    /// Whether the format of this input is sniffed (neither forced nor
    /// given by the extension): a sniffed format that does not parse falls
    /// back to text.
    pub fn sniffed(&self, path: Option<&Path>) -> bool {
        self.forced.is_none()
            && self.sniff
            && (path.is_some() || self.sniff_stdin)
            && path.is_none_or(|p| Format::from_path(p).is_none() || says_text(p))
    }

    /// Options for [`format::process`] and [`format::scan`].
    pub fn options(&self, format: Format, hashes: bool) -> Options {
        Options {
            format,
            output_charset: self.output,
            roles: self.roles.clone(),
            hashes,
        }
    }

    /// The format of one input.
    pub fn choose(&self, path: Option<&Path>, head: &[u8]) -> Format {
        if let Some(f) = self.forced {
            return f;
        }
        if !self.sniffed(path) {
            return path.and_then(Format::from_path).unwrap_or(Format::Text);
        }
        if path.is_some_and(says_text) {
            // `.txt` often holds an export: a table, if anything.
            return format::sniff_table(head).unwrap_or(Format::Text);
        }
        Format::sniff(head)
    }

    /// True when the streaming text pipeline can take the input as it is:
    /// plain text, UTF-8 (as far as `head` shows), no re-encoding asked.
    pub fn streams(&self, format: Format, head: &[u8]) -> bool {
        format == Format::Text
            && self.output.is_none_or(|c| c == Charset::Utf8)
            && head_is_utf8(head)
    }
}

impl Setup {
    /// The charset of plain text that can be decoded as a stream: not
    /// UTF-8, detected on the head (cut at its last line), and no hashes
    /// asked for (a report hashes the original bytes: decoded whole).
    pub fn stream_charset(&self, format: Format, head: &[u8], hashes: bool) -> Option<Charset> {
        if format != Format::Text || hashes {
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
}

/// Masks plain text in `charset` as a stream, in bounded memory: decoded on
/// the fly, masked, encoded again (into the output encoding) into a spool
/// that reaches `dest` only when the whole input was good and not blocked.
pub fn stream_text(
    masker: &Masker,
    setup: &Setup,
    charset: Charset,
    name: &str,
    reader: Box<dyn Read + Send>,
    dest: Option<&Path>,
) -> Result<InputReport> {
    let mut dec = DecodeReader::new(reader, charset);
    let mut spool = Spool::new();
    let mut enc = EncodeWriter::new(&mut spool, setup.output.unwrap_or(charset));
    let opts = StreamOptions {
        mode: Mode::Mask,
        hashes: false,
        buffered: false,
    };
    let res = pipeline::run(masker, &mut dec, &mut enc, &opts, |_| {}).and_then(|s| {
        enc.finish()
            .map(|_| s)
            .map_err(|e| Error::Encoding(format!("{e}; nothing written")))
    });
    let mut s = match res {
        Ok(s) => s,
        Err(e) => return Ok(InputReport::failed(name, Outcome::Error, e.to_string())),
    };
    s.bytes_in = dec.bytes_read();
    if !s.blocked.is_empty() {
        let mut r = InputReport::from_summary(name, None, Outcome::Blocked, &s);
        r.reason = Some(
            Error::Blocked {
                categories: s.blocked.clone(),
            }
            .to_string(),
        );
        return Ok(r);
    }
    s.bytes_out = enc.bytes_written();
    drop(enc);
    let written = write_dest(dest, |w| spool.release(w))?;
    Ok(InputReport::from_summary(
        name,
        Some(&written),
        Outcome::Masked,
        &s,
    ))
}

/// Writes to standard output (`None`) or atomically to a file; returns the
/// name written.
fn write_dest(
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
            let mut tmp = crate::atomic::temp_beside(path)?;
            fill(tmp.as_file_mut())
                .and_then(|_| tmp.flush())
                .with_context(|| format!("writing {}", path.display()))?;
            tmp.persist(path)
                .with_context(|| format!("writing {}", path.display()))?;
            Ok(path.display().to_string())
        }
    }
}

/// A `.txt` or `.text` file: text by name, but often an export.
fn says_text(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("text"))
}

pub fn head_is_utf8(head: &[u8]) -> bool {
    if head.is_ascii() {
        // 7-bit JIS (ISO-2022-JP) is valid UTF-8 but must be decoded.
        return memchr::memmem::find(head, b"\x1b$").is_none();
    }
    match simdutf8::compat::from_utf8(head) {
        Ok(_) => true,
        // Cut in the middle of a character at the end of the head.
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
}

/// Reads up to [`HEAD`] bytes.
pub fn read_head(r: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD);
    r.take(HEAD as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Masks a whole input held in memory and writes it to `dest` (standard
/// output when `None`; a file atomically). Input errors become a failed
/// report entry; errors writing standard output are returned.
#[allow(clippy::too_many_arguments)]
pub fn mask_bytes(
    masker: &Masker,
    setup: &Setup,
    format: Format,
    name: &str,
    input: &[u8],
    dest: Option<&Path>,
    hashes: bool,
    sniffed: bool,
) -> Result<InputReport> {
    let opts = setup.options(format, hashes);
    let mut fallback = None;
    let out = match format::process(masker, input, &opts) {
        Ok(o) => o,
        // A wrong guess: text is always safe.
        Err(e @ Error::Format { .. }) if sniffed && format != Format::Text => {
            match format::process(masker, input, &setup.options(Format::Text, hashes)) {
                Ok(o) => {
                    fallback = Some(format!(
                        "looked like {format} but is not ({e}); masked as text"
                    ));
                    o
                }
                Err(e) => return Ok(InputReport::failed(name, Outcome::Error, e.to_string())),
            }
        }
        Err(e) => {
            return Ok(InputReport::failed(
                name,
                Outcome::Error,
                format!("{format}: {e}"),
            ))
        }
    };
    if !out.summary.blocked.is_empty() {
        let mut r = InputReport::from_summary(name, None, Outcome::Blocked, &out.summary);
        r.reason = Some(
            Error::Blocked {
                categories: out.summary.blocked.clone(),
            }
            .to_string(),
        );
        return Ok(r);
    }
    let written = write_dest(dest, |w| w.write_all(&out.bytes))?;
    let mut r = InputReport::from_summary(name, Some(&written), Outcome::Masked, &out.summary);
    let notes: Vec<String> = fallback.into_iter().chain(out.notes).collect();
    if !notes.is_empty() {
        r.reason = Some(notes.join("; "));
    }
    Ok(r)
}

/// A progress bar on standard error (indicatif), only when it is a
/// terminal and the run is not quiet.
pub struct Progress {
    bar: indicatif::ProgressBar,
}

impl Progress {
    /// Progress over `total` files.
    pub fn new(total: usize, quiet: bool) -> Progress {
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
    pub fn tick(&self) {
        self.bar.inc(1);
        if self.bar.position() >= self.bar.length().unwrap_or(0) {
            self.bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_utf8_check_allows_a_cut_character() {
        let s = "あいう".as_bytes();
        assert!(head_is_utf8(&s[..7]));
        assert!(!head_is_utf8(b"abc\x82\xa0def"));
        assert!(!head_is_utf8(b"\x1b$B$3$s\x1b(B"));
    }
}
