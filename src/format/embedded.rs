//! Encoded content inside plain text: found, decoded, masked with the same
//! masker and written back in its original encoding.
//!
//! Mail is the main carrier of personal data, and mail is encoded: a message
//! printed by a tool (`cat inbox/1.eml`), pasted into a chat or quoted in a
//! paragraph carries its names and phone numbers in base64 or
//! quoted-printable bodies, RFC 2047 encoded words (`=?ISO-2022-JP?B?…?=`) or
//! raw ISO-2022-JP escape sequences. The detectors only read text, so such
//! content is a *block*: decoded, masked, encoded again.
//!
//! # Blocks
//!
//! A [`Segmenter`] reads text line by line, left to right, and finds
//! [`Block`]s ([`Kind`]):
//!
//! - **Entity**: a run of mail header lines (`Name: value` and folded
//!   continuation lines) holding `Content-Type` (a MIME type) or
//!   `Content-Transfer-Encoding`, or two mail fields (`From`, `To`,
//!   `Subject`, `Date`, `Message-ID`, `Received`, ...). When a blank line
//!   follows, the body belongs to the block if it needs decoding: through
//!   the closing boundary of a `multipart/*`; the base64 lines of a base64
//!   body; the lines of a quoted-printable body up to a line with non-ASCII
//!   bytes, a boundary-like `--` line or an mbox `From ` line. Other bodies
//!   (7bit, 8bit) are text and stay outside the block. An entity is masked
//!   by the e-mail adapter ([`super::email`]): display names as names,
//!   encoded words and bodies decoded and re-encoded in their charset and
//!   transfer encoding, attachments replaced by a one-line note (type kept).
//! - **Words**: RFC 2047 encoded words anywhere in text, a run of them
//!   separated by white space (folding included) decoded as one text and
//!   written back as encoded words in the first word's charset (at most 75
//!   characters each), folded as the original was.
//! - **Jis**: ISO-2022-JP text (a 7bit Japanese mail body printed as it
//!   is): each run of ASCII bytes holding a JIS escape sequence, decoded
//!   and encoded back as ISO-2022-JP.
//! - **Base64** without headers: a token of at least 16 characters of the
//!   standard or URL-safe alphabet, or consecutive lines of them, that
//!   decodes to text in a supported charset (no control characters;
//!   Shift_JIS/EUC-JP text must read as Japanese). Written back with the
//!   same alphabet, padding, line length and line endings. Tokens that
//!   decode to binary are not blocks: random tokens are the secret
//!   detector's business.
//! - **Json**: a whole field (a JSON string value, a CSV cell) that is itself
//!   a JSON object or array, masked as JSON ([`super::json`]).
//!
//! A block whose content cannot be decoded (bad base64, an unknown charset),
//! cannot be encoded back, is larger than [`MAX_BLOCK`] or lies deeper than
//! [`MAX_DEPTH`] levels of encodings is replaced by [`WITHHELD`] and noted:
//! never written as it came. Unchanged blocks stay byte for byte.
//!
//! # Where it applies
//!
//! - The streaming pipeline ([`crate::pipeline`]: `mask_str`, `scan`,
//!   `mask_reader`, `format::process` with `Format::Text`): the chunker runs
//!   one [`Segmenter`] over the whole stream as it reads, never cuts a body
//!   inside a block, and gives each job the blocks that touch its window.
//!   Workers hide block bytes from the detectors (blanked to spaces, line
//!   breaks kept), drop detector findings inside a block and cut the ones
//!   that run into one, and render each block that starts in their body.
//!   The segmenter only sees the text in input order, so blocks, and hence
//!   the output, never depend on chunk size or thread count.
//! - Fields of structured inputs ([`super::find_in_fields`]): CSV cells,
//!   JSON strings, mail bodies and headers. The inner text of a block is
//!   masked as a field again, so encodings inside encodings are decoded too,
//!   [`MAX_DEPTH`] levels deep.
//!
//! Findings inside a block are counted under their own categories (a
//! blocked category blocks the whole input) and located at the block.
//!
//! Why blocks and not a decoding pre-pass: the text outside blocks must
//! stay byte for byte, and a block must be written back in its own
//! encoding; a block is one span over the original bytes, like a finding,
//! so the pipeline's ordered writer, its chunk-boundary rules and `scan`'s
//! locations all keep working.

mod lines;

use std::collections::VecDeque;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use encoding_rs::ISO_2022_JP;

use self::lines::Lines;
use super::encoding::{self, Charset};
use super::roles::RoleMap;
use super::{email, json, Tally};
use crate::masker::Masker;
use crate::span::{Category, Finding, Span};

/// The largest block decoded (8 MiB); a larger one is withheld.
pub const MAX_BLOCK: usize = 8 << 20;

/// Encodings inside encodings decoded (a base64 body holding a mail holding
/// encoded words ...); deeper blocks are withheld.
pub const MAX_DEPTH: u8 = 4;

/// What replaces a block that cannot be decoded or encoded back.
pub const WITHHELD: &str = "[mask: encoded content withheld]";

/// Detector name of the placeholder finding a block is in a field's
/// findings (see [`super::render_field`]).
pub(crate) const DETECTOR: &str = "encoded";

/// Shortest base64 token taken for encoded text (12 bytes: 山田太郎 in UTF-8).
const MIN_TOKEN: usize = 16;

/// What a block holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Mail header fields; with `body`, the encoded body that follows them.
    Entity {
        /// The block holds a body (base64, quoted-printable, multipart).
        body: bool,
    },
    /// RFC 2047 encoded words.
    Words,
    /// ISO-2022-JP text (an ASCII run with JIS escape sequences).
    Jis,
    /// Base64 text without headers.
    Base64,
    /// A whole field that is JSON.
    Json,
    /// Too large to decode.
    Withheld,
}

/// One block: where it is and what it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// Byte span (absolute in a stream, or relative to a text).
    pub span: Span,
    /// What it holds.
    pub kind: Kind,
}

/// Finds blocks in a stream, left to right, as its bytes arrive.
///
/// [`Segmenter::feed`] takes the bytes read so far; it only decides about
/// whole constructs, so everything before [`Segmenter::settled`] is final.
#[derive(Debug, Default)]
pub struct Segmenter {
    /// Absolute offset up to which the input is segmented.
    pos: usize,
    blocks: VecDeque<Block>,
}

impl Segmenter {
    /// A segmenter at the start of a stream.
    pub fn new() -> Segmenter {
        Segmenter::default()
    }

    /// Segments `buf` (whose first byte is at absolute offset `buf_abs`,
    /// not after [`Segmenter::settled`]) as far as whole constructs go;
    /// with `eof`, to its end.
    pub fn feed(&mut self, buf: &[u8], buf_abs: usize, eof: bool) {
        let mut found = Vec::new();
        let mut lines = Lines::default();
        loop {
            let at = self.pos - buf_abs;
            if at >= buf.len() {
                return;
            }
            let skip = lines.skip(buf, at);
            if skip > at {
                self.pos = buf_abs + skip;
                continue;
            }
            found.clear();
            let Some(next) = step(buf, at, eof, &mut lines, &mut found) else {
                return;
            };
            self.blocks.extend(found.iter().map(|b| Block {
                span: b.span.offset(buf_abs),
                kind: b.kind,
            }));
            self.pos = buf_abs + next.max(at + 1);
        }
    }

    /// Absolute offset before which segmentation is final.
    pub fn settled(&self) -> usize {
        self.pos
    }

    /// Blocks found and not yet forgotten, in order (absolute spans).
    pub fn blocks(&self) -> &VecDeque<Block> {
        &self.blocks
    }

    /// Forgets blocks that end at or before `abs`.
    pub fn forget_before(&mut self, abs: usize) {
        while self.blocks.front().is_some_and(|b| b.span.end <= abs) {
            self.blocks.pop_front();
        }
    }
}

/// The blocks of a whole text (spans relative to it), as the streaming
/// segmenter finds them.
pub fn find_blocks(text: &str) -> Vec<Block> {
    let mut s = Segmenter::new();
    s.feed(text.as_bytes(), 0, true);
    s.blocks.into()
}

/// Blocks of one field: the field itself when it is JSON, else those of
/// [`find_blocks`]; empty (and fast) when the field cannot hold any.
pub(crate) fn field_blocks(text: &str) -> Vec<Block> {
    if !may_hold_blocks(text.as_bytes()) {
        return Vec::new();
    }
    let t = text.trim();
    if (t.starts_with('{') && t.ends_with('}') || t.starts_with('[') && t.ends_with(']'))
        && serde_json::from_str::<serde::de::IgnoredAny>(t).is_ok()
    {
        let start = text.len() - text.trim_start().len();
        return vec![Block {
            span: Span::new(start, start + t.len()),
            kind: Kind::Json,
        }];
    }
    find_blocks(text)
}

/// A quick test: `=?`, an escape, a `:` (header or JSON), or a run of
/// [`MIN_TOKEN`] base64 characters.
fn may_hold_blocks(b: &[u8]) -> bool {
    if memchr::memchr3(b'?', 0x1b, b':', b).is_some() {
        return true;
    }
    let mut run = 0;
    for &c in b {
        if is_b64(c) {
            run += 1;
            if run >= MIN_TOKEN {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

fn is_b64(c: u8) -> bool {
    B64[usize::from(c)]
}

/// The base64 alphabets (standard and URL-safe) as a byte table.
static B64: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_');
        c += 1;
    }
    t
};

/// The line at `at`: (end of its content, without `\r\n`; start of the
/// next line). `None` when the line is not complete yet. Lines longer than
/// [`MAX_BLOCK`] end there (at a character boundary).
fn line_at(buf: &[u8], at: usize, eof: bool) -> Option<(usize, usize)> {
    let lim = buf.len().min(at + MAX_BLOCK);
    if let Some(i) = memchr::memchr(b'\n', &buf[at..lim]) {
        let nl = at + i;
        let end = if nl > at && buf[nl - 1] == b'\r' {
            nl - 1
        } else {
            nl
        };
        return Some((end, nl + 1));
    }
    if lim - at >= MAX_BLOCK {
        let mut c = lim;
        while c > at + 1 && buf[c] & 0xC0 == 0x80 {
            c -= 1;
        }
        return Some((c, c));
    }
    eof.then_some((buf.len(), buf.len()))
}

/// One construct at line start `at`: its blocks into `out`, and where the
/// next construct starts; `None` when more bytes are needed.
fn step(
    buf: &[u8],
    at: usize,
    eof: bool,
    lines: &mut Lines,
    out: &mut Vec<Block>,
) -> Option<usize> {
    let (end, next, marks) = lines.line(buf, at, eof)?;
    let line = &buf[at..end];
    if header_name(line).is_some() {
        if let Some(e) = entity(buf, at, eof, out)? {
            return Some(e);
        }
    }
    if marks.escape && has_jis_escape(line) {
        // Each ASCII run holding an escape: ISO-2022-JP text (a line
        // may mix it with UTF-8 around it).
        let mut i = at;
        while let Some(k) = memchr::memchr(0x1b, &buf[i..end]) {
            let esc = i + k;
            let mut s = esc;
            while s > i && buf[s - 1].is_ascii() {
                s -= 1;
            }
            let mut e = esc;
            while e < end && buf[e].is_ascii() {
                e += 1;
            }
            if has_jis_escape(&buf[s..e]) {
                out.push(Block {
                    span: Span::new(s, e),
                    kind: Kind::Jis,
                });
            }
            i = e;
        }
        return Some(next);
    }
    if b64_line(line) {
        // Consecutive base64 lines, decoded together.
        let mut p = next;
        let mut last = end;
        while p < buf.len() && last - at <= MAX_BLOCK {
            let (e, n) = line_at(buf, p, eof)?;
            if !b64_line(&buf[p..e]) {
                break;
            }
            last = e;
            p = n;
        }
        if p >= buf.len() && !eof {
            return None;
        }
        if last - at > MAX_BLOCK {
            out.push(Block {
                span: Span::new(at, last),
                kind: Kind::Withheld,
            });
            return Some(p);
        }
        if p > next && decode_text(&buf[at..last]).is_some() {
            out.push(Block {
                span: Span::new(at, last),
                kind: Kind::Base64,
            });
            return Some(p);
        }
    }
    if !marks.inline {
        // No encoded word or base64 token can start in this line.
        return Some(next);
    }
    plain(buf, at, end, next, eof, out)
}

/// In-line blocks of a plain line (encoded words, base64 tokens); a run of
/// encoded words folded onto the next lines takes them along.
fn plain(
    buf: &[u8],
    at: usize,
    end: usize,
    next: usize,
    eof: bool,
    out: &mut Vec<Block>,
) -> Option<usize> {
    let (mut end, mut next) = (end, next);
    let mut i = at;
    while i < end {
        let c = buf[i];
        if c >= 0x80 {
            // Japanese text: no block starts inside it.
            i = skip_non_ascii(buf, i, end);
            continue;
        }
        if c == b'=' && buf.get(i + 1) == Some(&b'?') {
            if let Some(w) = word_len(&buf[i..end]) {
                let start = i;
                let mut run_end = i + w;
                loop {
                    let mut j = run_end;
                    while j < end && matches!(buf[j], b' ' | b'\t') {
                        j += 1;
                    }
                    if j < end {
                        match word_len(&buf[j..end]) {
                            Some(w) if j > run_end => {
                                run_end = j + w;
                                continue;
                            }
                            _ => break,
                        }
                    }
                    // At the end of the line: folded onto the next one?
                    if next >= buf.len() {
                        if eof {
                            break;
                        }
                        return None;
                    }
                    let (e2, n2) = line_at(buf, next, eof)?;
                    let mut k = next;
                    while k < e2 && matches!(buf[k], b' ' | b'\t') {
                        k += 1;
                    }
                    match word_len(&buf[k..e2]) {
                        Some(w) if k > next => {
                            run_end = k + w;
                            end = e2;
                            next = n2;
                        }
                        _ => break,
                    }
                }
                out.push(Block {
                    span: Span::new(start, run_end),
                    kind: Kind::Words,
                });
                i = run_end;
                continue;
            }
        }
        if is_b64(c) && (i == at || !(is_b64(buf[i - 1]) || buf[i - 1] == b'=')) {
            let mut j = i;
            while j < end && is_b64(buf[j]) {
                j += 1;
            }
            let mut k = j;
            while k < end && k < j + 2 && buf[k] == b'=' {
                k += 1;
            }
            let bounded = k >= end || !(is_b64(buf[k]) || buf[k] == b'=');
            if bounded && j - i >= MIN_TOKEN {
                if k - i > MAX_BLOCK / 2 {
                    out.push(Block {
                        span: Span::new(i, k),
                        kind: Kind::Withheld,
                    });
                } else if DECODE_BARE_TOKENS
                    && decode_text(&buf[i..k]).is_some_and(|(t, _, _)| !is_token(&t))
                {
                    out.push(Block {
                        span: Span::new(i, k),
                        kind: Kind::Base64,
                    });
                }
            }
            i = k.max(i + 1);
            continue;
        }
        i += 1;
    }
    Some(next)
}

/// The first position from `i` (before `end`) holding an ASCII byte, or
/// `end`: eight bytes at a time.
fn skip_non_ascii(buf: &[u8], mut i: usize, end: usize) -> usize {
    while i + 8 <= end {
        let mut w = [0u8; 8];
        w.copy_from_slice(&buf[i..i + 8]);
        let high = u64::from_le_bytes(w) & 0x8080_8080_8080_8080;
        if high != 0x8080_8080_8080_8080 {
            // The lowest byte whose high bit is clear.
            return i + ((!high & 0x8080_8080_8080_8080).trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < end && buf[i] >= 0x80 {
        i += 1;
    }
    i
}

/// Whether base64 tokens with no mail headers around them are decoded as
/// blocks (Gmail bodies inside MCP text need it). Tokens decoding to one
/// ASCII token stay with the secret rules ([`is_token`]).
const DECODE_BARE_TOKENS: bool = true;

/// Decoded text that is itself one ASCII token (a JWT inside base64, a
/// key): left to the secret detectors, which see the encoded token as it
/// is, instead of a block whose decoded content looks harmless.
fn is_token(text: &str) -> bool {
    text.is_ascii() && !text.bytes().any(|b| b.is_ascii_whitespace())
}

/// Length of the RFC 2047 encoded word at the start of `b`.
fn word_len(b: &[u8]) -> Option<usize> {
    let rest = b.strip_prefix(b"=?")?;
    let q1 = rest.iter().take(76).position(|&c| c == b'?')?;
    let cs = &rest[..q1];
    if cs.is_empty()
        || !cs
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'*' | b'.' | b':'))
    {
        return None;
    }
    let mode = rest.get(q1 + 1)?.to_ascii_uppercase();
    if !matches!(mode, b'B' | b'Q') || rest.get(q1 + 2) != Some(&b'?') {
        return None;
    }
    let payload = &rest[q1 + 3..];
    let end = memchr::memmem::find(payload, b"?=")?;
    if payload[..end]
        .iter()
        .any(|&c| c <= b' ' || c >= 0x7f || c == b'?')
    {
        return None;
    }
    Some(2 + q1 + 3 + end + 2)
}

/// A header field name at the start of a line (`Name:` then a space, a tab
/// or the line's end).
fn header_name(line: &[u8]) -> Option<&[u8]> {
    // Most lines of text fail here, on their first byte.
    if !line.first().is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let colon = memchr::memchr(b':', &line[..line.len().min(78)])?;
    let name = &line[..colon];
    let ok = !name.is_empty()
        && name[0].is_ascii_alphabetic()
        && name.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-');
    let after = line.get(colon + 1);
    (ok && matches!(after, None | Some(b' ' | b'\t'))).then_some(name)
}

const MAIL_FIELDS: [&str; 15] = [
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "received",
    "reply-to",
    "return-path",
    "delivered-to",
    "sender",
    "in-reply-to",
    "references",
];

/// A mail entity at `at` (a header line): `Some(Some(next))` with its
/// block pushed, `Some(None)` when the header lines are not mail, `None`
/// when more bytes are needed.
fn entity(buf: &[u8], at: usize, eof: bool, out: &mut Vec<Block>) -> Option<Option<usize>> {
    let (mut cte, mut mime, mut boundary) = (String::new(), String::new(), None);
    let mut mail = 0;
    let mut p = at;
    let mut fields: Vec<(usize, usize)> = Vec::new();
    // Header lines, up to a blank line (`blank` = its end) or another line.
    let mut blank = None;
    while p < buf.len() {
        if p - at > MAX_BLOCK {
            return Some(None);
        }
        let (e, n) = line_at(buf, p, eof)?;
        let line = &buf[p..e];
        if line.is_empty() {
            blank = Some(n);
            break;
        }
        if matches!(line[0], b' ' | b'\t') && !fields.is_empty() {
            if let Some(f) = fields.last_mut() {
                f.1 = e;
            }
        } else if header_name(line).is_some() {
            fields.push((p, e));
        } else {
            break;
        }
        p = n;
    }
    if p >= buf.len() && !eof {
        return None;
    }
    for &(s, e) in &fields {
        let f = String::from_utf8_lossy(&buf[s..e]);
        let Some((name, value)) = f.split_once(':') else {
            continue;
        };
        let name = name.to_ascii_lowercase();
        let value: String = value.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        match name.as_str() {
            "content-transfer-encoding" => cte = value.trim().to_ascii_lowercase(),
            "content-type" => {
                let mut items = value.split(';');
                mime = items.next().unwrap_or("").trim().to_ascii_lowercase();
                for it in items {
                    if let Some((k, v)) = it.split_once('=') {
                        if k.trim().eq_ignore_ascii_case("boundary") {
                            boundary = Some(v.trim().trim_matches('"').to_string());
                        }
                    }
                }
            }
            n if MAIL_FIELDS.contains(&n) => mail += 1,
            _ => {}
        }
    }
    if cte.is_empty() && !mime.contains('/') && mail < 2 {
        return Some(None);
    }
    let Some(body) = blank else {
        out.push(Block {
            span: Span::new(at, p),
            kind: Kind::Entity { body: false },
        });
        return Some(Some(p));
    };
    let limit = at + MAX_BLOCK;
    let withheld = |out: &mut Vec<Block>| {
        let mut c = limit;
        while c > at && buf[c] & 0xC0 == 0x80 {
            c -= 1;
        }
        out.push(Block {
            span: Span::new(at, c),
            kind: Kind::Withheld,
        });
        Some(Some(c))
    };
    let end = if mime.starts_with("multipart/") && boundary.as_ref().is_some_and(|b| !b.is_empty())
    {
        let close = format!("--{}--", boundary.unwrap_or_default());
        let mut q = body;
        loop {
            if q - at > MAX_BLOCK {
                return withheld(out);
            }
            if q >= buf.len() {
                if !eof {
                    return None;
                }
                break q;
            }
            let (e, n) = line_at(buf, q, eof)?;
            let line = buf[q..e].trim_ascii_end();
            q = n;
            if line != close.as_bytes() {
                continue;
            }
            break q;
        }
    } else if cte == "base64" {
        let mut q = body;
        while q < buf.len() {
            if q - at > MAX_BLOCK {
                return withheld(out);
            }
            let (e, n) = line_at(buf, q, eof)?;
            if e == q || !b64_line(&buf[q..e]) {
                break;
            }
            q = n;
        }
        if q >= buf.len() && !eof {
            return None;
        }
        q
    } else if cte == "quoted-printable" {
        let mut q = body;
        while q < buf.len() {
            if q - at > MAX_BLOCK {
                return withheld(out);
            }
            let (e, n) = line_at(buf, q, eof)?;
            let line = &buf[q..e];
            if !line.is_ascii()
                || line.starts_with(b"From ")
                || line.starts_with(b"--") && !line.contains(&b' ')
            {
                break;
            }
            q = n;
        }
        if q >= buf.len() && !eof {
            return None;
        }
        q
    } else {
        out.push(Block {
            span: Span::new(at, body),
            kind: Kind::Entity { body: false },
        });
        return Some(Some(body));
    };
    out.push(Block {
        span: Span::new(at, end),
        kind: Kind::Entity { body: true },
    });
    Some(Some(end))
}

fn has_jis_escape(line: &[u8]) -> bool {
    memchr::memchr(0x1b, line).is_some()
        && [b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(I"]
            .iter()
            .any(|e| memchr::memmem::find(line, *e).is_some())
}

/// A line of base64 only (at least 4 characters, padding at the end).
fn b64_line(line: &[u8]) -> bool {
    let body = line.strip_suffix(b"==").or_else(|| line.strip_suffix(b"="));
    let body = body.unwrap_or(line);
    body.len() >= 4 && body.iter().all(|&c| is_b64(c))
}

/// The alphabet, padding and line layout of a base64 block.
struct Layout {
    url: bool,
    padded: bool,
    /// Line length (0: one line).
    width: usize,
    eol: &'static str,
}

fn layout(raw: &[u8]) -> Layout {
    let url = raw.iter().any(|&c| c == b'-' || c == b'_');
    let padded = raw.trim_ascii_end().ends_with(b"=");
    let first = raw.iter().position(|&c| c == b'\r' || c == b'\n');
    let width = first.unwrap_or(0);
    let eol = if memchr::memmem::find(raw, b"\r\n").is_some() {
        "\r\n"
    } else {
        "\n"
    };
    Layout {
        url,
        padded,
        width,
        eol,
    }
}

fn decode_b64(raw: &[u8]) -> Option<Vec<u8>> {
    let clean: Vec<u8> = raw
        .iter()
        .copied()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let url = clean.iter().any(|&c| c == b'-' || c == b'_');
    if url && clean.iter().any(|&c| c == b'+' || c == b'/') {
        return None;
    }
    let alphabet = if url {
        &base64::alphabet::URL_SAFE
    } else {
        &base64::alphabet::STANDARD
    };
    GeneralPurpose::new(
        alphabet,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    )
    .decode(&clean)
    .ok()
}

/// Base64 that decodes to text: the text, its charset and BOM.
fn decode_text(raw: &[u8]) -> Option<(String, Charset, bool)> {
    // Digits alone are a number (a card, an order number), not base64.
    if !raw.iter().any(u8::is_ascii_alphabetic) {
        return None;
    }
    let bytes = decode_b64(raw)?;
    if bytes.is_empty() {
        return None;
    }
    let d = encoding::decode(&bytes).ok()?;
    // Japanese letters (kana, kanji, full-width forms) among the non-ASCII
    // characters.
    let mut good = 0usize;
    let mut wide = 0usize;
    let mut kana = false;
    for c in d.text.chars() {
        kana |= matches!(c, '\u{3001}'..='\u{30FF}');
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r') || c == '\u{FFFD}' {
            return None;
        }
        if !c.is_ascii() {
            wide += 1;
            if matches!(c, '\u{3000}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF01}'..='\u{FF5E}')
            {
                good += 1;
            }
        }
    }
    // Shift_JIS and EUC-JP decode much binary (a key's bytes read as
    // `m輒｡ﾉ>j仞卓ｾ`, digits as `溿y溿y`): what is not ASCII must read as
    // Japanese, with some kana or Japanese punctuation among it.
    if d.charset != Charset::Utf8 && (good * 10 < wide * 9 || wide > 0 && !kana) {
        return None;
    }
    Some((d.text, d.charset, d.bom))
}

/// The replacement of one block (its text `raw`), counting what is found
/// inside in `tally`. Never fails: what cannot be done becomes
/// [`WITHHELD`] (and a note).
pub(crate) fn render(masker: &Masker, raw: &str, kind: Kind, tally: &mut Tally) -> String {
    tally.at(raw.as_bytes(), false);
    if tally.depth >= MAX_DEPTH {
        return withheld(tally, "nested too deep");
    }
    tally.depth += 1;
    let r = render_kind(masker, raw, kind, tally);
    tally.depth -= 1;
    match r {
        Ok(Some(s)) => s,
        Ok(None) => raw.to_string(),
        Err(why) => withheld(tally, why),
    }
}

fn withheld(tally: &mut Tally, why: &str) -> String {
    tally.note(format!("text: encoded content withheld ({why})"));
    WITHHELD.to_string()
}

fn render_kind(
    masker: &Masker,
    raw: &str,
    kind: Kind,
    tally: &mut Tally,
) -> Result<Option<String>, &'static str> {
    let mask_text = |t: &str, tally: &mut Tally| super::mask_field(masker, t, tally);
    match kind {
        Kind::Withheld => Err("larger than 8 MiB"),
        Kind::Entity { body } => {
            let out = if body {
                email::mask_message(masker, raw.as_bytes(), &RoleMap::default(), tally)
            } else {
                email::mask_headers(masker, raw.as_bytes(), tally)
            }
            .map_err(|_| "a mail part that does not decode")?;
            let out = String::from_utf8(out).map_err(|_| "not UTF-8 once masked")?;
            Ok((out != raw).then_some(out))
        }
        Kind::Words => {
            let (text, charset) =
                email::decode_words(raw.as_bytes()).map_err(|_| "undecodable encoded words")?;
            let Some(m) = mask_text(&text, tally) else {
                return Ok(None);
            };
            let eol: &[u8] = if raw.contains("\r\n") {
                b"\r\n"
            } else if raw.contains('\n') {
                b"\n"
            } else {
                b""
            };
            Ok(Some(email::encode_header(&m, charset.as_deref(), eol)))
        }
        Kind::Jis => {
            let text = ISO_2022_JP
                .decode_without_bom_handling_and_without_replacement(raw.as_bytes())
                .ok_or("invalid ISO-2022-JP")?;
            let Some(m) = mask_text(&text, tally) else {
                return Ok(None);
            };
            let b = encoding::encode(&m, Charset::Iso2022Jp, false)
                .map_err(|_| "cannot be written back in ISO-2022-JP")?;
            String::from_utf8(b)
                .map(Some)
                .map_err(|_| "not ASCII once encoded")
        }
        Kind::Base64 => {
            let (text, charset, bom) = decode_text(raw.as_bytes()).ok_or("undecodable base64")?;
            let Some(m) = mask_text(&text, tally) else {
                return Ok(None);
            };
            let bytes = encoding::encode(&m, charset, bom)
                .map_err(|_| "cannot be written back in its charset")?;
            Ok(Some(encode_b64(&bytes, &layout(raw.as_bytes()))))
        }
        Kind::Json => {
            let out = json::mask(masker, raw, &RoleMap::default(), tally)
                .map_err(|_| "JSON that does not parse")?;
            Ok((out != raw).then_some(out))
        }
    }
}

fn encode_b64(bytes: &[u8], l: &Layout) -> String {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let s = match (l.url, l.padded) {
        (true, true) => URL_SAFE.encode(bytes),
        (true, false) => URL_SAFE_NO_PAD.encode(bytes),
        (false, true) => STANDARD.encode(bytes),
        (false, false) => STANDARD_NO_PAD.encode(bytes),
    };
    if l.width == 0 || s.len() <= l.width {
        return s;
    }
    let mut out = String::with_capacity(s.len() + s.len() / l.width * 2);
    for (i, chunk) in s.as_bytes().chunks(l.width).enumerate() {
        if i > 0 {
            out.push_str(l.eol);
        }
        out.push_str(std::str::from_utf8(chunk).unwrap_or(""));
    }
    out
}

/// What the detectors find in the raw text wins over a bare base64 token
/// ([`Kind::Base64`]) it covers, and a secret wins over any token it
/// touches: a key whose bytes happen to decode as text
/// (`bedrock-api-key-…`), a card number that is also valid base64, stop
/// being blocks. Returns those findings (window-relative), for
/// [`merge_claims`]; a secret is grown over the whole token, so no part
/// of it is written as it came. Costs a second detector pass, only over
/// windows holding such tokens.
pub(crate) fn yield_tokens_to_findings(
    masker: &Masker,
    window: &str,
    blocks: &mut Vec<Block>,
    scratch: &mut crate::masker::Scratch,
) -> Vec<Finding> {
    if !blocks.iter().any(|b| b.kind == Kind::Base64) {
        return Vec::new();
    }
    let mut won: Vec<Finding> = masker
        .find_in_window(window, scratch)
        .into_iter()
        .filter(|f| blocks.iter().any(|b| wins_over(f, b)))
        .collect();
    for f in &mut won {
        if f.category == Category::Secret {
            let mut span = f.span;
            for b in blocks.iter().filter(|b| wins_over(f, b)) {
                span = Span::new(span.start.min(b.span.start), span.end.max(b.span.end));
            }
            f.span = span;
        }
    }
    drop_claimed_tokens(blocks, &won);
    won
}

/// Whether detector finding `f` takes the place of block `b` (see
/// [`yield_tokens_to_findings`]).
fn wins_over(f: &Finding, b: &Block) -> bool {
    b.kind == Kind::Base64
        && f.detector != DETECTOR
        && (f.span.contains(b.span) || f.category == Category::Secret && f.span.overlaps(b.span))
}

/// Drops the [`Kind::Base64`] blocks that a finding of `findings` wins
/// over (see [`yield_tokens_to_findings`]).
pub(crate) fn drop_claimed_tokens(blocks: &mut Vec<Block>, findings: &[Finding]) {
    blocks.retain(|b| !findings.iter().any(|f| wins_over(f, b)));
}

/// Adds the `claims` of [`yield_tokens_to_findings`] to a window's
/// `findings` (sorted): where they overlap, the claim stays.
pub(crate) fn merge_claims(findings: &mut Vec<Finding>, claims: Vec<Finding>) {
    if claims.is_empty() {
        return;
    }
    findings.retain(|f| !claims.iter().any(|c| c.span.overlaps(f.span)));
    findings.extend(claims);
    findings.sort_by_key(|f| f.span.start);
}

/// Hides blocks from detectors: every byte of `blocks` (spans relative to
/// `window`, clipped) but line breaks becomes a space.
pub(crate) fn blank(window: &str, blocks: &[Block]) -> String {
    let mut b = window.as_bytes().to_vec();
    for bl in blocks {
        let end = bl.span.end.min(b.len());
        for c in &mut b[bl.span.start.min(end)..end] {
            if *c != b'\n' && *c != b'\r' {
                *c = b' ';
            }
        }
    }
    // Blocks cover whole characters, so this stays UTF-8; be safe anyway.
    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Detector findings against blocks (both sorted): findings starting inside
/// a block are dropped, findings running into one end where it starts.
pub(crate) fn clip(findings: &mut Vec<Finding>, blocks: &[Block]) {
    if blocks.is_empty() {
        return;
    }
    findings.retain_mut(|f| {
        let i = blocks.partition_point(|b| b.span.end <= f.span.start);
        let Some(b) = blocks.get(i) else {
            return true;
        };
        if b.span.start <= f.span.start {
            return false;
        }
        if b.span.start < f.span.end {
            f.span.end = b.span.start;
        }
        !f.span.is_empty()
    });
}

/// The placeholder finding that stands for a block among a field's
/// findings.
pub(crate) fn placeholder(b: &Block) -> Finding {
    Finding {
        category: Category::Secret,
        detector: DETECTOR,
        span: b.span,
        hint: Some(
            match b.kind {
                Kind::Entity { body: false } => "entity",
                Kind::Entity { body: true } => "entity+body",
                Kind::Words => "words",
                Kind::Jis => "jis",
                Kind::Base64 => "base64",
                Kind::Json => "json",
                Kind::Withheld => "withheld",
            }
            .into(),
        ),
    }
}

/// The block a placeholder finding stands for.
pub(crate) fn kind_of(f: &Finding) -> Kind {
    match f.hint.as_deref() {
        Some("entity") => Kind::Entity { body: false },
        Some("entity+body") => Kind::Entity { body: true },
        Some("words") => Kind::Words,
        Some("jis") => Kind::Jis,
        Some("base64") => Kind::Base64,
        Some("json") => Kind::Json,
        _ => Kind::Withheld,
    }
}

/// Adds the blocks of `text` to its detector `findings` (sorted): clipped
/// as [`clip`] says, with one placeholder per block.
pub(crate) fn merge_field_blocks(text: &str, findings: &mut Vec<Finding>) {
    let mut blocks = field_blocks(text);
    // A secret the detectors found over a bare token stays a secret.
    drop_claimed_tokens(&mut blocks, findings);
    if blocks.is_empty() {
        return;
    }
    clip(findings, &blocks);
    findings.extend(blocks.iter().map(placeholder));
    findings.sort_by_key(|f| f.span.start);
}

/// The replacement of one block of a text (see [`find_blocks`]), as the
/// pipeline writes it.
pub fn render_text(masker: &Masker, raw: &str, kind: Kind) -> String {
    render(masker, raw, kind, &mut Tally::default())
}

/// Renders the blocks of a window for the pipeline: for each block,
/// its replacement and the findings inside it (all with the block's span).
pub(crate) fn render_located(
    masker: &Masker,
    window: &str,
    block: &Block,
) -> (String, Vec<Finding>, Vec<String>) {
    let mut tally = Tally::default();
    let raw = window.get(block.span.range()).unwrap_or("");
    let text = render(masker, raw, block.kind, &mut tally);
    let mut inner = Vec::new();
    for ((category, detector), n) in &tally.counts {
        for _ in 0..*n {
            inner.push(Finding {
                category: *category,
                detector,
                span: block.span,
                hint: None,
            });
        }
    }
    for (category, n) in &tally.blocked {
        // Counted by category already; make sure a block is seen.
        if !inner.iter().any(|f| f.category == *category) && *n > 0 {
            inner.push(Finding {
                category: *category,
                detector: DETECTOR,
                span: block.span,
                hint: None,
            });
        }
    }
    (text, inner, tally.notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(t: &str) -> Vec<(String, Kind)> {
        find_blocks(t)
            .into_iter()
            .map(|b| (t[b.span.range()].to_string(), b.kind))
            .collect()
    }

    #[test]
    fn finds_encoded_words_and_folded_runs() {
        let t = "件名は =?UTF-8?B?5bGx55Sw?=\n =?UTF-8?Q?=E5=A4=AA=E9=83=8E?= です\nx";
        let k = kinds(t);
        assert_eq!(k.len(), 1, "{k:?}");
        assert_eq!(k[0].1, Kind::Words);
        assert!(k[0].0.ends_with("?="), "{k:?}");
    }

    #[test]
    fn skipping_non_ascii_stops_at_the_first_ascii_byte() {
        let text = "日本語のテキストです。a山田太郎BCD東京都の住所ですよ。x";
        let b = text.as_bytes();
        for start in 0..b.len() {
            for end in start..=b.len() {
                let naive = (start..end).find(|&i| b[i] < 0x80).unwrap_or(end);
                assert_eq!(skip_non_ascii(b, start, end), naive, "{start}..{end}");
            }
        }
    }

    #[test]
    fn base64_tokens_only_when_they_decode_to_text() {
        use base64::engine::general_purpose::STANDARD;
        let tok = STANDARD.encode("山田太郎 090-1234-5678");
        let t = format!("data {tok} and a random id A8f3kQ9zLmW2xT7vB4nR0pYs end");
        let k = kinds(&t);
        assert_eq!(k, vec![(tok, Kind::Base64)]);
    }

    #[test]
    fn entity_takes_its_base64_body_and_stops_after_it() {
        let t = "見てください:\nFrom: a@example.jp\nSubject: hi\nContent-Transfer-Encoding: base64\n\n5bGx55Sw5aSq6YOO\n5bGx55Sw\n\nおわり\n";
        let k = kinds(t);
        assert_eq!(k.len(), 1, "{k:?}");
        assert_eq!(k[0].1, Kind::Entity { body: true });
        assert!(k[0].0.starts_with("From:") && k[0].0.ends_with("5bGx55Sw\n"));
    }

    #[test]
    fn chat_lines_with_colons_are_not_mail() {
        assert!(kinds("Note: call me\nTODO: later\n").is_empty());
    }
}
