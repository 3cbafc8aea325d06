//! Structured inputs: CSV/TSV, JSON/JSONL and e-mail (EML/mbox) in any of
//! the supported Japanese encodings, masked field by field and written back
//! in the same structure and encoding.
//!
//! # Main entry points
//!
//! - [`process`] masks one whole input given its [`Format`] and [`Options`]
//!   and returns the output bytes with a [`Summary`].
//! - [`Format::from_path`] and [`Format::sniff`] choose a format from a file
//!   name or the first bytes.
//!
//! # How fields are masked
//!
//! An adapter parses its input, collects the text fields, and asks
//! [`find_in_fields`] for their findings: fields are concatenated into
//! batches of about 1 MiB (separated by blank lines) and each batch is run
//! through the masker's detectors once, in parallel over batches; a finding
//! that would cross from one field into the next makes those fields be
//! scanned alone. A field whose header or key names a [`roles::Role`] is not
//! scanned: the whole field becomes one finding of the role's category.
//! Fields with no finding that rewrites are written back byte for byte.
//!
//! # Limits
//!
//! [`process`] holds an input in memory whole (input, decoded text and
//! output: about three times its size). Plain text in any encoding can
//! stream instead: [`encoding::DecodeReader`] and [`encoding::EncodeWriter`]
//! around [`crate::pipeline::run`], as the `mask` binary does.
//!
//! # Example
//!
//! ```
//! use mask::format::{process, Format, Options};
//! use mask::Masker;
//!
//! let masker = Masker::builder().threads(1).build()?;
//! let csv = "氏名,フリガナ,電話番号,メモ\r\n山田 太郎,ヤマダ タロウ,090-1234-5678,特になし\r\n";
//! let out = process(&masker, csv.as_bytes(), &Options::new(Format::Csv))?;
//! assert_eq!(
//!     String::from_utf8(out.bytes).unwrap(),
//!     "氏名,フリガナ,電話番号,メモ\r\nY.T.,Y.T.,***-****-5678,特になし\r\n"
//! );
//! # Ok::<(), mask::Error>(())
//! ```

pub mod csv;
pub mod email;
pub mod embedded;
pub mod encoding;
pub mod json;
pub mod kana;
pub mod roles;
pub mod seed;
pub mod split;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::masker::{Masker, Scratch};
use crate::pipeline::{self, Mode, StreamOptions, Summary};
use crate::policy::{Action, RosterAction};
use crate::rules;
use crate::span::{Category, Finding, Span};
use encoding::Charset;
use roles::{Role, RoleMap};

/// The structure of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text.
    Text,
    /// Comma-separated values.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// One JSON document (or several, separated by white space).
    Json,
    /// One JSON value per line.
    Jsonl,
    /// One e-mail message (RFC 5322 / MIME).
    Eml,
    /// A mailbox of messages separated by `From ` lines.
    Mbox,
}

impl Format {
    /// Parses a format name (`text`, `csv`, `tsv`, `json`, `jsonl`/`ndjson`,
    /// `eml`, `mbox`).
    pub fn from_name(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "text" | "txt" | "plain" => Format::Text,
            "csv" => Format::Csv,
            "tsv" | "tab" => Format::Tsv,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::Jsonl,
            "eml" | "email" | "mail" => Format::Eml,
            "mbox" => Format::Mbox,
            _ => return None,
        })
    }

    /// The format's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Eml => "eml",
            Format::Mbox => "mbox",
        }
    }

    /// The format a file name's extension implies, if any.
    pub fn from_path(p: &Path) -> Option<Format> {
        let ext = p.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" | "log" | "md" => Some(Format::Text),
            "mbx" => Some(Format::Mbox),
            e => Format::from_name(e).filter(|f| *f != Format::Text),
        }
    }

    /// Guesses the format from the first bytes: an mbox starts with `From `,
    /// a message with mail headers, JSON with `{` or `[`; CSV or TSV by
    /// [`sniff_table`]; otherwise text.
    ///
    /// A guess is only a guess: callers fall back to text when the guessed
    /// format does not parse (the `mask` binary does), which is always safe.
    pub fn sniff(head: &[u8]) -> Format {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        if head.starts_with(b"From ") {
            return Format::Mbox;
        }
        if email::looks_like_message(head) {
            return Format::Eml;
        }
        let trimmed = head.trim_ascii_start();
        match trimmed.first() {
            Some(b'{') => {
                let lines = trimmed
                    .split(|&b| b == b'\n')
                    .filter(|l| !l.trim_ascii().is_empty())
                    .take(3)
                    .collect::<Vec<_>>();
                if lines.len() > 1 && lines.iter().all(|l| l.trim_ascii().starts_with(b"{")) {
                    Format::Jsonl
                } else {
                    Format::Json
                }
            }
            Some(b'[') => Format::Json,
            _ => sniff_table(head).unwrap_or(Format::Text),
        }
    }
}

/// CSV or TSV from the first bytes (any supported encoding), conservatively:
/// the first row names at least two columns of the header table (`氏名`,
/// `電話番号`, `Email`, ... in [`roles`]), or at least four rows all have
/// the same number (three or more) of fields. A tab wins over a comma when
/// both fit.
pub fn sniff_table(head: &[u8]) -> Option<Format> {
    // Whole lines only: a head can end inside a row or a character.
    let cut = memchr::memrchr(b'\n', head)?;
    let decoded = encoding::decode(&head[..=cut]).ok()?;
    let text = decoded.text.as_str();
    let roles = RoleMap::default();
    for (delim, format) in [(b'\t', Format::Tsv), (b',', Format::Csv)] {
        if memchr::memchr(delim, text.as_bytes()).is_none() {
            continue;
        }
        let mut r = csv::Reader::new(text, delim);
        let mut cells = Vec::new();
        if r.read(&mut cells).is_none() {
            continue;
        }
        let known = cells
            .iter()
            .filter(|c| roles.role(&c.value).is_some())
            .count();
        if known >= 2 {
            return Some(format);
        }
        let width = cells.len();
        let mut rows = 1;
        cells.clear();
        while r.read(&mut cells).is_some() {
            if cells.len() != width {
                rows = 0;
                break;
            }
            rows += 1;
            cells.clear();
        }
        if width >= 3 && rows >= 4 {
            return Some(format);
        }
    }
    None
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How to process one input.
#[derive(Clone, Debug)]
pub struct Options {
    /// The input's structure.
    pub format: Format,
    /// The output encoding (default: the input's).
    pub output_charset: Option<Charset>,
    /// Header/key → role mappings.
    pub roles: RoleMap,
    /// Compute SHA-256 of input and output.
    pub hashes: bool,
}

impl Options {
    /// Options for `format` with the built-in roles, the input's encoding and
    /// no hashes.
    pub fn new(format: Format) -> Options {
        Options {
            format,
            output_charset: None,
            roles: RoleMap::default(),
            hashes: false,
        }
    }
}

/// The result of [`process`].
#[derive(Clone, Debug)]
pub struct Output {
    /// The masked input, in its structure and output encoding. Empty when
    /// blocked: never write it then.
    pub bytes: Vec<u8>,
    /// Counts, sizes, blocked categories and hashes.
    pub summary: Summary,
    /// The input's encoding (UTF-8 for e-mail, whose parts carry their own).
    pub charset: Charset,
    /// Warnings for the report (roster guard, attachments removed).
    pub notes: Vec<String>,
}

/// What an adapter counted while masking.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    counts: BTreeMap<(Category, &'static str), usize>,
    blocked: BTreeMap<Category, usize>,
    people: HashSet<String>,
    notes: Vec<String>,
    /// Where findings are, for [`scan`].
    loc: Option<Box<Locator>>,
    /// Encoded blocks being rendered, one inside the other.
    depth: u8,
}

/// Findings located in a text (the decoded input, or the raw bytes of a
/// message): adapters say where the field they render is with
/// [`Tally::at`], every finding counted is recorded there.
#[derive(Clone, Debug, Default)]
struct Locator {
    /// Address and length of the located text.
    root: usize,
    len: usize,
    /// Offset of the field being rendered.
    at: usize,
    /// Whether spans are offsets from `at` (the field is the text's own
    /// bytes), or the field holds decoded content and `at` is all we know.
    exact: bool,
    found: Vec<(Finding, bool)>,
}

impl Tally {
    fn count(&mut self, masker: &Masker, f: &Finding) {
        *self.counts.entry((f.category, f.detector)).or_default() += 1;
        if let Some(l) = &mut self.loc {
            let span = if l.exact {
                Span::new(l.at + f.span.start, l.at + f.span.end)
            } else {
                Span::new(l.at, l.at)
            };
            l.found.push((Finding { span, ..f.clone() }, l.exact));
        }
        if *masker.policy().action(f.category) == Action::Block {
            *self.blocked.entry(f.category).or_default() += 1;
        }
    }

    /// Records one person (the values of a record's name fields) for the
    /// roster guard.
    pub fn person(&mut self, key: &str) {
        let k: String = key.split_whitespace().collect::<Vec<_>>().join(" ");
        if !k.is_empty() {
            self.people.insert(k);
        }
    }

    /// Adds a note for the report.
    pub fn note(&mut self, n: String) {
        if !self.notes.contains(&n) {
            self.notes.push(n);
        }
    }

    /// A tally that locates findings in `root` (see [`scan`]).
    fn locating(root: &[u8]) -> Tally {
        Tally {
            loc: Some(Box::new(Locator {
                root: root.as_ptr() as usize,
                len: root.len(),
                ..Locator::default()
            })),
            ..Tally::default()
        }
    }

    /// An empty tally for a batch masked on its own, locating in the same
    /// text as this one.
    pub(crate) fn child(&self) -> Tally {
        Tally {
            loc: self.loc.as_ref().map(|l| {
                Box::new(Locator {
                    found: Vec::new(),
                    ..(**l).clone()
                })
            }),
            depth: self.depth,
            ..Tally::default()
        }
    }

    /// Whether findings are being located (a scan).
    pub(crate) fn locating_now(&self) -> bool {
        self.loc.is_some()
    }

    /// Says where the field rendered next is: `field` is a slice of the
    /// located text; with `exact` the spans of its findings are offsets in
    /// it. A slice from elsewhere (decoded content) keeps the position of
    /// the enclosing field and makes it inexact.
    pub(crate) fn at(&mut self, field: &[u8], exact: bool) {
        if let Some(l) = &mut self.loc {
            let p = field.as_ptr() as usize;
            if p >= l.root && p + field.len() <= l.root + l.len {
                l.at = p - l.root;
                l.exact = exact;
            } else {
                l.exact = false;
            }
        }
    }

    /// Adds what another tally counted (batches masked in parallel).
    pub fn merge(&mut self, other: Tally) {
        if let (Some(l), Some(o)) = (&mut self.loc, other.loc) {
            l.found.extend(o.found);
        }
        for (k, v) in other.counts {
            *self.counts.entry(k).or_default() += v;
        }
        for (k, v) in other.blocked {
            *self.blocked.entry(k).or_default() += v;
        }
        self.people.extend(other.people);
        for n in other.notes {
            self.note(n);
        }
    }

    /// How many distinct people were seen.
    pub fn people(&self) -> usize {
        self.people.len()
    }

    fn merge_summary(&mut self, s: &Summary) {
        for n in &s.notes {
            self.note(n.clone());
        }
        for (k, v) in &s.counts {
            *self.counts.entry(*k).or_default() += v;
        }
        for (c, n) in &s.blocked {
            *self.blocked.entry(*c).or_default() += n;
        }
    }
}

/// Masks one whole input.
///
/// # Errors
///
/// [`Error::Binary`] for NUL bytes, [`Error::Encoding`] for an undecidable
/// input or an output character the output encoding cannot hold,
/// [`Error::Format`] for input that does not parse. A policy block is not an
/// error here: it is in `summary.blocked`, and `bytes` is empty.
pub fn process(masker: &Masker, input: &[u8], opts: &Options) -> Result<Output, Error> {
    run(masker, input, opts, false).map(|(o, _)| o)
}

/// A finding of [`scan`], located in the input.
#[derive(Clone, Debug)]
pub struct Hit {
    /// The finding. With `exact`, its span is in bytes of the located text
    /// (the decoded input; for e-mail the raw message); otherwise an empty
    /// span where the field or part holding it starts.
    pub finding: Finding,
    /// 1-based line of the span's start in the located text.
    pub line: u64,
    /// 1-based column (in characters) of the span's start.
    pub column: u64,
    /// False when the finding is in decoded content (base64 or
    /// quoted-printable bodies, RFC 2047 words, folded headers, CSV or JSON
    /// escapes): the position is then that of the field, header or MIME
    /// part that holds it.
    pub exact: bool,
}

/// What [`scan`] found.
#[derive(Clone, Debug)]
pub struct ScanOutput {
    /// Findings in input order.
    pub hits: Vec<Hit>,
    /// Counts and blocked categories, as [`process`] would report them.
    pub summary: Summary,
    /// The input's encoding.
    pub charset: Charset,
    /// Warnings for the report.
    pub notes: Vec<String>,
}

/// Finds what [`process`] would mask, field by field, decoding what it
/// decodes (encodings, CSV/JSON escapes, base64 and quoted-printable mail
/// bodies, encoded words), and says where each finding is (see [`Hit`]).
///
/// # Errors
///
/// As [`process`].
pub fn scan(masker: &Masker, input: &[u8], opts: &Options) -> Result<ScanOutput, Error> {
    let (out, hits) = run(masker, input, opts, true)?;
    Ok(ScanOutput {
        hits,
        summary: out.summary,
        charset: out.charset,
        notes: out.notes,
    })
}

fn run(
    masker: &Masker,
    input: &[u8],
    opts: &Options,
    locate: bool,
) -> Result<(Output, Vec<Hit>), Error> {
    let mut tally = Tally::default();
    let mut hits = Vec::new();
    let merged;
    let roles = if masker.policy().roles.is_empty() {
        &opts.roles
    } else {
        let mut m = opts.roles.clone();
        m.add_policy_roles(&masker.policy().roles);
        merged = m;
        &merged
    };
    let (bytes, charset) = match opts.format {
        Format::Eml | Format::Mbox => {
            if let Some(off) = memchr::memchr(0, input) {
                return Err(Error::Binary { offset: off as u64 });
            }
            if locate {
                tally = Tally::locating(input);
            }
            let out = if opts.format == Format::Eml {
                email::mask_message(masker, input, roles, &mut tally)?
            } else {
                email::mask_mbox(masker, input, roles, &mut tally)?
            };
            hits = locate_hits(input, &mut tally);
            (out, Charset::Utf8)
        }
        _ => {
            // UTF-8 is used in place; other encodings are decoded.
            let charset = encoding::detect(input)?;
            let (decoded, bom): (std::borrow::Cow<'_, str>, bool) = if charset == Charset::Utf8 {
                let (body, bom) = match input.strip_prefix(b"\xEF\xBB\xBF") {
                    Some(rest) => (rest, true),
                    None => (input, false),
                };
                let text = simdutf8::compat::from_utf8(body).map_err(|e| Error::InvalidUtf8 {
                    offset: (e.valid_up_to() + usize::from(bom) * 3) as u64,
                })?;
                (std::borrow::Cow::Borrowed(text), bom)
            } else {
                let d = encoding::decode_as(input, charset)?;
                (std::borrow::Cow::Owned(d.text), d.bom)
            };
            if let Some(off) = memchr::memchr(0, decoded.as_bytes()) {
                return Err(Error::Binary { offset: off as u64 });
            }
            if locate {
                tally = Tally::locating(decoded.as_bytes());
            }
            let text = match opts.format {
                Format::Csv => csv::mask(masker, &decoded, b',', roles, &mut tally)?,
                Format::Tsv => csv::mask(masker, &decoded, b'\t', roles, &mut tally)?,
                Format::Json | Format::Jsonl => json::mask(masker, &decoded, roles, &mut tally)?,
                _ if locate => {
                    hits = scan_text(masker, &decoded, &mut tally)?;
                    String::new()
                }
                _ => mask_text(masker, &decoded, &mut tally)?,
            };
            if locate && hits.is_empty() {
                hits = locate_hits(decoded.as_bytes(), &mut tally);
            }
            let cs = opts.output_charset.unwrap_or(charset);
            // Nothing changed: the input itself, byte for byte. Encoding the
            // text again could differ from it where the input's encoding
            // has more than one spelling of the same text (an ISO-2022-JP
            // escape with no character after it, a redundant one).
            let unchanged = !locate && cs == charset && text.as_str() == decoded.as_ref();
            drop(decoded);
            let bytes = if unchanged {
                input.to_vec()
            } else if locate || cs == Charset::Utf8 && !bom {
                text.into_bytes()
            } else {
                encoding::encode(&text, cs, bom && cs == Charset::Utf8)?
            };
            (bytes, charset)
        }
    };
    roster_guard(masker, &mut tally);
    let mut summary = Summary {
        bytes_in: input.len() as u64,
        counts: tally.counts,
        blocked: tally.blocked.into_iter().collect(),
        ..Summary::default()
    };
    if opts.hashes {
        summary.sha256_in = Some(hex::encode(Sha256::digest(input)));
    }
    let bytes = if summary.blocked.is_empty() && !locate {
        summary.bytes_out = bytes.len() as u64;
        if opts.hashes {
            summary.sha256_out = Some(hex::encode(Sha256::digest(&bytes)));
        }
        bytes
    } else {
        Vec::new()
    };
    let out = Output {
        bytes,
        summary,
        charset,
        notes: tally.notes,
    };
    Ok((out, hits))
}

/// Plain text for [`scan`]: the pipeline in scan mode.
fn scan_text(masker: &Masker, text: &str, tally: &mut Tally) -> Result<Vec<Hit>, Error> {
    let opts = StreamOptions {
        mode: Mode::Scan,
        hashes: false,
        buffered: false,
    };
    let mut hits = Vec::new();
    let s = pipeline::run(masker, text.as_bytes(), std::io::sink(), &opts, |l| {
        hits.push(Hit {
            finding: l.finding.clone(),
            line: l.line,
            column: l.column,
            exact: true,
        });
    })?;
    tally.merge_summary(&s);
    Ok(hits)
}

/// The located findings of `tally`, in order, with lines and columns in
/// `text`.
fn locate_hits(text: &[u8], tally: &mut Tally) -> Vec<Hit> {
    let Some(l) = tally.loc.take() else {
        return Vec::new();
    };
    let mut found = l.found;
    found.sort_by_key(|(f, _)| f.span.start);
    let mut hits = Vec::with_capacity(found.len());
    let (mut line, mut line_start, mut pos) = (1u64, 0usize, 0usize);
    for (finding, exact) in found {
        let at = finding.span.start.min(text.len());
        for i in memchr::memchr_iter(b'\n', &text[pos..at]) {
            line += 1;
            line_start = pos + i + 1;
        }
        pos = at;
        // Characters: bytes that do not continue a UTF-8 sequence.
        let column = 1 + text[line_start..at]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count() as u64;
        hits.push(Hit {
            finding,
            line,
            column,
            exact,
        });
    }
    hits
}

fn roster_guard(masker: &Masker, tally: &mut Tally) {
    let roster = &masker.policy().roster;
    let Some(max) = roster.max_people else {
        return;
    };
    let n = tally.people();
    if n <= max {
        return;
    }
    match roster.action {
        RosterAction::Block => {
            *tally.blocked.entry(Category::Name).or_default() += n;
        }
        RosterAction::Report => tally.note(format!(
            "roster guard: {n} distinct people in name fields (policy limit {max})"
        )),
    }
}

/// Masks plain text (already decoded) with the streaming pipeline.
pub fn mask_text(masker: &Masker, text: &str, tally: &mut Tally) -> Result<String, Error> {
    let mut out = Vec::with_capacity(text.len());
    let opts = StreamOptions {
        mode: Mode::Mask,
        hashes: false,
        buffered: false,
    };
    let s = pipeline::run(masker, text.as_bytes(), &mut out, &opts, |_| {})?;
    tally.merge_summary(&s);
    String::from_utf8(out).map_err(|e| Error::InvalidUtf8 {
        offset: e.utf8_error().valid_up_to() as u64,
    })
}

/// Masks one free-text field on its own; `None` when nothing changes.
pub fn mask_field(masker: &Masker, text: &str, tally: &mut Tally) -> Option<String> {
    let found = find_in_fields(masker, &[text]);
    render_field(masker, text, &found[0], tally)
}

const BATCH: usize = 1 << 20;
const SEP: &str = "\n\n\n";

/// Finds what the masker finds in each field; spans are relative to each
/// field. Fields are scanned in batches (see the module docs).
pub fn find_in_fields(masker: &Masker, fields: &[&str]) -> Vec<Vec<Finding>> {
    find_in_fields_with(masker, fields, true)
}

/// As [`find_in_fields`]; with `parallel` false, on the calling thread only
/// (for callers that already run batches in parallel).
pub(crate) fn find_in_fields_with(
    masker: &Masker,
    fields: &[&str],
    parallel: bool,
) -> Vec<Vec<Finding>> {
    // Batches of consecutive fields, about BATCH bytes each.
    let mut batches: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, f) in fields.iter().enumerate() {
        size += f.len() + SEP.len();
        if size >= BATCH {
            batches.push(start..i + 1);
            start = i + 1;
            size = 0;
        }
    }
    if start < fields.len() {
        batches.push(start..fields.len());
    }
    let run =
        |r: &std::ops::Range<usize>, s: &mut Scratch| scan_batch(masker, &fields[r.clone()], s);
    let per_batch: Vec<Vec<Vec<Finding>>> = match masker.pool() {
        Some(pool) if parallel && batches.len() > 1 => pool.install(|| {
            batches
                .par_iter()
                .map_init(Scratch::default, |s, r| run(r, s))
                .collect()
        }),
        _ => {
            let mut s = Scratch::default();
            batches.iter().map(|r| run(r, &mut s)).collect()
        }
    };
    let mut found: Vec<Vec<Finding>> = per_batch.into_iter().flatten().collect();
    for (f, text) in found.iter_mut().zip(fields) {
        embedded::merge_field_blocks(text, f);
    }
    found
}

fn scan_batch(masker: &Masker, fields: &[&str], s: &mut Scratch) -> Vec<Vec<Finding>> {
    let mut out: Vec<Vec<Finding>> = vec![Vec::new(); fields.len()];
    let nonempty: Vec<usize> = (0..fields.len())
        .filter(|&i| !fields[i].trim().is_empty())
        .collect();
    if nonempty.is_empty() {
        return out;
    }
    let mut joined = String::with_capacity(fields.iter().map(|f| f.len() + SEP.len()).sum());
    let mut starts = Vec::with_capacity(nonempty.len());
    for &i in &nonempty {
        starts.push(joined.len());
        joined.push_str(fields[i]);
        joined.push_str(SEP);
    }
    let mut alone: Vec<usize> = Vec::new();
    for f in masker.find_in_window(&joined, s) {
        let k = starts.partition_point(|&st| st <= f.span.start) - 1;
        let i = nonempty[k];
        let base = starts[k];
        let end = base + fields[i].len();
        if f.span.end > end {
            // Crosses into the separator or the next field: scan alone.
            alone.push(i);
            let mut j = k + 1;
            while j < starts.len() && starts[j] < f.span.end {
                alone.push(nonempty[j]);
                j += 1;
            }
            continue;
        }
        out[i].push(Finding {
            span: Span::new(f.span.start - base, f.span.end - base),
            ..f
        });
    }
    alone.sort_unstable();
    alone.dedup();
    for i in alone {
        out[i] = masker.find_in_window(fields[i], s);
    }
    out
}

/// Renders a field with its findings (counting them); `None` when the text
/// does not change.
pub fn render_field(
    masker: &Masker,
    text: &str,
    findings: &[Finding],
    tally: &mut Tally,
) -> Option<String> {
    let mut out = String::new();
    let mut pos = 0;
    let mut changed = false;
    for f in findings {
        if f.detector == embedded::DETECTOR {
            // An encoded block: decoded, masked (counting what it holds),
            // encoded back.
            let (Some(orig), true) = (text.get(f.span.range()), f.span.start >= pos) else {
                continue;
            };
            let r = embedded::render(masker, orig, embedded::kind_of(f), tally);
            if r != orig {
                if !changed {
                    out.reserve(text.len() + 16);
                }
                out.push_str(&text[pos..f.span.start]);
                out.push_str(&r);
                pos = f.span.end;
                changed = true;
            }
            continue;
        }
        tally.count(masker, f);
        let action = masker.policy().action(f.category);
        let (Some(orig), true) = (text.get(f.span.range()), f.span.start >= pos) else {
            continue;
        };
        if !changed {
            out.reserve(text.len() + 16);
        }
        out.push_str(&text[pos..f.span.start]);
        let mark = out.len();
        if f.detector == BIRTHDATE {
            if action.rewrites() {
                rules::render(Category::PostalCode, &Action::MaskAll, orig, None, &mut out);
            } else {
                out.push_str(orig);
            }
        } else {
            rules::render(f.category, action, orig, f.hint.as_deref(), &mut out);
        }
        if &out[mark..] != orig {
            changed = true;
        }
        pos = f.span.end;
    }
    if !changed {
        return None;
    }
    out.push_str(&text[pos..]);
    Some(out)
}

/// Detector name of a whole-field finding for a date of birth.
const BIRTHDATE: &str = "field/birthdate";

/// The whole-field finding for a field with a role (`None` for roles that
/// keep the field, and for empty fields).
pub fn role_finding(role: Role, text: &str, hint: Option<String>) -> Option<Finding> {
    let cat = role.category()?;
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len();
    if start >= end {
        return None;
    }
    // Already masked (`Y.T.`): masking is idempotent.
    if matches!(role, Role::Name | Role::Reading)
        && crate::detect::name::romaji::is_rendered_initials(&text[start..end])
    {
        return None;
    }
    let detector = match role {
        Role::Name => "field/name",
        Role::Reading => "field/reading",
        Role::PostalCode => "field/postal-code",
        Role::Address => "field/address",
        Role::Phone => "field/phone",
        Role::Email => "field/email",
        Role::Card => "field/card",
        Role::Birthdate => BIRTHDATE,
        Role::Prefecture | Role::Text | Role::Keep => return None,
    };
    let hint = match role {
        Role::Reading => kana::initials(text),
        Role::Name if hint.is_none() && kana::is_reading(text) => kana::initials(text),
        _ => hint,
    };
    Some(Finding {
        category: cat,
        detector,
        span: Span::new(start, end),
        hint: hint.map(Into::into),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_tables_by_header_roles_or_by_shape() {
        let sniff = |s: &str| Format::sniff(s.as_bytes());
        // Two known headers: enough, whatever follows.
        assert_eq!(
            sniff("氏名,電話番号\n山田 太郎,090-1234-5678\n"),
            Format::Csv
        );
        assert_eq!(sniff("Name\tEmail\nTaro\tt@example.jp\n"), Format::Tsv);
        // Shift_JIS header row (楽天 RMS exports are Shift_JIS).
        let (sj, _, _) = encoding_rs::SHIFT_JIS.encode("注文者名字,注文者電話番号1\n山田,090\n");
        assert_eq!(Format::sniff(&sj), Format::Csv);
        // Same width on four rows or more.
        assert_eq!(sniff("a,b,c\n1,2,3\n4,5,6\n7,8,9\n"), Format::Csv);
        // Too few rows, too narrow, ragged, or one known header: text.
        assert_eq!(sniff("a,b,c\n1,2,3\n4,5,6\n"), Format::Text);
        assert_eq!(sniff("a,b\n1,2\n3,4\n5,6\n7,8\n"), Format::Text);
        assert_eq!(sniff("a,b,c\n1,2,3\n4,5\n7,8,9\n1,2,3\n"), Format::Text);
        assert_eq!(sniff("氏名,メモ\nはい、そうです\n"), Format::Text);
        assert_eq!(
            sniff("こんにちは、山田です。\n電話 090-1234-5678\n"),
            Format::Text
        );
        // No complete line: no guess.
        assert_eq!(sniff("氏名,電話番号"), Format::Text);
        // Mail and JSON first.
        assert_eq!(
            sniff("From: a@example.jp\nSubject: x\n\nbody\n"),
            Format::Eml
        );
        assert_eq!(sniff("{\"a\":1}\n{\"a\":2}\n"), Format::Jsonl);
    }

    #[test]
    fn an_input_with_nothing_to_mask_comes_back_byte_for_byte() {
        // fuzz (csv target): ISO-2022-JP with an escape that no character
        // follows decodes to the same text as without it; encoding that
        // text again dropped the escape.
        let m = crate::Masker::builder().threads(1).build().unwrap();
        for (input, format) in [
            (&b"irtj'i3.83.,\x1b$@"[..], Format::Csv),
            (b"a,b\x1b$B", Format::Csv),
            (b"note \x1b(J text\n", Format::Text),
        ] {
            let out = process(&m, input, &Options::new(format))
                .unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert!(out.summary.counts.is_empty(), "{input:?}");
            assert_eq!(out.bytes, input, "{input:?}");
        }
        // With a finding, the text is encoded again (in the input's charset).
        let (jis, _, _) = encoding_rs::ISO_2022_JP.encode("電話 090-1234-5678\n");
        let out = process(&m, &jis, &Options::new(Format::Text)).unwrap();
        let (text, _, bad) = encoding_rs::ISO_2022_JP.decode(&out.bytes);
        assert!(!bad);
        assert_eq!(text, "電話 ***-****-5678\n");
    }
}
