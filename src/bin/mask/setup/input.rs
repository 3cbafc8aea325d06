//! Reading inputs and choosing the format of each one. Every command that
//! reads data (masking, `scan`, `review`, `diff`) decides an input's format
//! with [`choose_format`], and falls back to text with [`with_fallback`]
//! when a guessed format does not parse, so they never disagree about the
//! same bytes.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use anyhow::{anyhow, Context, Result};

use mask::format::encoding::Charset;
use mask::format::roles::RoleMap;
use mask::format::{self, Format, Options};
use mask::Error;

/// How many leading bytes decide the format, and between streaming and
/// decoding.
pub const HEAD: usize = 64 * 1024;

/// How the format of one input was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The format to read the input as.
    pub format: Format,
    /// Guessed from the first bytes: when it does not parse, the input is
    /// read as text instead (which is always safe).
    pub sniffed: bool,
}

/// The format of one input (`path`: `None` for standard input), the same
/// for every command: `--format` (`forced`) when given; else the file's
/// extension when it names a format; else (standard input, no extension,
/// one that says nothing like `.dat`) the first bytes decide
/// ([`Format::sniff`]: `From ` → mbox, mail headers → eml, JSON, JSONL,
/// CSV/TSV, else text). A `.txt` or `.text` file is text by name but often
/// an export: it is sniffed for tables only.
pub fn choose_format(forced: Option<Format>, path: Option<&Path>, head: &[u8]) -> Choice {
    if let Some(format) = forced {
        return Choice {
            format,
            sniffed: false,
        };
    }
    let (format, sniffed) = match path {
        Some(p) if says_text(p) => (format::sniff_table(head).unwrap_or(Format::Text), true),
        Some(p) => match Format::from_path(p) {
            Some(f) => (f, false),
            None => (Format::sniff(head), true),
        },
        None => (Format::sniff(head), true),
    };
    Choice {
        // Sniffing text finds nothing to fall back from.
        sniffed: sniffed && format != Format::Text,
        format,
    }
}

/// Runs `f` with the chosen format; when a sniffed format does not parse
/// ([`Error::Format`]), runs it again as text. Returns the result and, after
/// a fallback, the format guessed and why it failed (for the report); an
/// error comes with the format that failed.
pub fn with_fallback<T>(
    choice: Choice,
    mut f: impl FnMut(Format) -> Result<T, Error>,
) -> Result<(T, Option<(Format, Error)>), (Format, Error)> {
    match f(choice.format) {
        Ok(t) => Ok((t, None)),
        Err(e @ Error::Format { .. }) if choice.sniffed => match f(Format::Text) {
            Ok(t) => Ok((t, Some((choice.format, e)))),
            Err(e) => Err((Format::Text, e)),
        },
        Err(e) => Err((choice.format, e)),
    }
}

/// The report note for a fallback of [`with_fallback`]: `verb` says what
/// was done with the text (`masked`, `scanned`).
pub fn fallback_note(guess: Format, why: &Error, verb: &str) -> String {
    format!("looked like {guess} but is not ({why}); {verb} as text")
}

/// A `.txt` or `.text` file: text by name, but often an export.
fn says_text(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("text"))
}

/// The format options of a run: `--format`, `--output-encoding`,
/// `--columns`, checked once.
#[derive(Clone, Debug, Default)]
pub struct Formats {
    /// `--format`, when given.
    pub forced: Option<Format>,
    /// `--output-encoding`, when given.
    pub output: Option<Charset>,
    roles: RoleMap,
}

impl Formats {
    /// Checks the option values and reads the `--columns` file.
    pub fn new(
        format: Option<&str>,
        output_encoding: Option<&str>,
        columns: Option<&Path>,
    ) -> Result<Formats> {
        let forced = format
            .map(|f| Format::from_name(f).ok_or_else(|| anyhow!("unknown format {f:?}")))
            .transpose()?;
        let output = output_encoding
            .map(|e| {
                Charset::from_label(e).ok_or_else(|| {
                    anyhow!("unknown output encoding {e:?} (utf-8, shift_jis, euc-jp, iso-2022-jp)")
                })
            })
            .transpose()?;
        let mut roles = RoleMap::default();
        if let Some(p) = columns {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("reading column roles {}", p.display()))?;
            roles.add_tsv(&text, &p.display().to_string())?;
        }
        Ok(Formats {
            forced,
            output,
            roles,
        })
    }

    /// The format of one input ([`choose_format`] with `--format`).
    pub fn choose(&self, path: Option<&Path>, head: &[u8]) -> Choice {
        choose_format(self.forced, path, head)
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
}

/// The name of an input in reports and messages (`-` for standard input).
pub fn name_of(path: Option<&Path>) -> String {
    path.map_or("-".to_string(), |p| p.display().to_string())
}

/// `None` for standard input (no path, or `-`).
pub fn file_arg(path: &Path) -> Option<&Path> {
    (path.as_os_str() != "-").then_some(path)
}

/// Opens an input: the file, or standard input for `None`.
pub fn open(path: Option<&Path>) -> io::Result<Box<dyn Read + Send>> {
    Ok(match path {
        None => Box::new(io::stdin()),
        Some(p) => Box::new(File::open(p)?),
    })
}

/// Reads up to [`HEAD`] bytes.
pub fn read_head(r: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD);
    r.take(HEAD as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Reads the rest of `reader` after `head`, sized once from the file's
/// length when there is one (no copies while growing).
pub fn read_rest(head: Vec<u8>, reader: &mut dyn Read, path: Option<&Path>) -> io::Result<Vec<u8>> {
    let mut all = head;
    if let Some(len) = path
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
    {
        all.reserve_exact((len as usize).saturating_sub(all.len()));
    }
    reader.read_to_end(&mut all)?;
    Ok(all)
}

/// Reads a whole input (standard input for `None`).
pub fn read_all(path: Option<&Path>) -> Result<Vec<u8>> {
    let context = || match path {
        Some(p) => format!("reading {}", p.display()),
        None => "reading standard input".into(),
    };
    let mut r = open(path).with_context(context)?;
    read_rest(Vec::new(), &mut r, path).with_context(context)
}

/// Whether a file's first 8 KiB look binary (NUL bytes).
pub fn is_binary_file(file: &Path) -> Result<bool> {
    let mut head = Vec::with_capacity(8192);
    File::open(file)
        .with_context(|| format!("opening {}", file.display()))?
        .take(8192)
        .read_to_end(&mut head)
        .with_context(|| format!("reading {}", file.display()))?;
    Ok(mask::pipeline::looks_binary(&head))
}

/// Whether `head` is UTF-8 text the streaming pipeline can take as it is.
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

    const MAIL: &[u8] = b"From: a@example.jp\r\nSubject: x\r\n\r\nbody\r\n";

    #[test]
    fn standard_input_and_files_without_a_telling_extension_are_sniffed() {
        let sniffed = |format| Choice {
            format,
            sniffed: true,
        };
        assert_eq!(choose_format(None, None, MAIL), sniffed(Format::Eml));
        assert_eq!(
            choose_format(None, Some(Path::new("in/mail")), MAIL),
            sniffed(Format::Eml)
        );
        assert_eq!(
            choose_format(None, None, b"From a@example.jp Mon Jan  1 00:00:00 2024\n"),
            sniffed(Format::Mbox)
        );
        assert_eq!(
            choose_format(None, None, b"{\"a\":1}\n{\"a\":2}\n"),
            sniffed(Format::Jsonl)
        );
        assert_eq!(
            choose_format(None, None, "氏名,電話番号\n山田,090\n".as_bytes()),
            sniffed(Format::Csv)
        );
        // Text is text: nothing to fall back from.
        let text = Choice {
            format: Format::Text,
            sniffed: false,
        };
        assert_eq!(choose_format(None, None, "山田です".as_bytes()), text);
    }

    #[test]
    fn format_flag_and_extensions_win_over_the_bytes() {
        let fixed = |format| Choice {
            format,
            sniffed: false,
        };
        assert_eq!(
            choose_format(Some(Format::Text), None, MAIL),
            fixed(Format::Text)
        );
        assert_eq!(
            choose_format(None, Some(Path::new("a.json")), MAIL),
            fixed(Format::Json)
        );
        assert_eq!(
            choose_format(None, Some(Path::new("a.log")), MAIL),
            fixed(Format::Text)
        );
        // `.txt`: tables only.
        assert_eq!(
            choose_format(None, Some(Path::new("a.txt")), MAIL),
            fixed(Format::Text)
        );
    }

    #[test]
    fn a_sniffed_format_that_does_not_parse_falls_back_to_text() {
        let bad = || Error::Format {
            format: "json",
            message: "x".into(),
        };
        let sniffed = Choice {
            format: Format::Json,
            sniffed: true,
        };
        let (got, fell) =
            with_fallback(
                sniffed,
                |f| {
                    if f == Format::Json {
                        Err(bad())
                    } else {
                        Ok(f)
                    }
                },
            )
            .unwrap();
        assert_eq!(got, Format::Text);
        assert!(matches!(fell, Some((Format::Json, Error::Format { .. }))));
        // Forced or by extension: the error stands.
        let forced = Choice {
            sniffed: false,
            ..sniffed
        };
        assert!(matches!(
            with_fallback(forced, |_| Err::<(), _>(bad())),
            Err((Format::Json, Error::Format { .. }))
        ));
    }
}
