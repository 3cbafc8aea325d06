//! E-mail: single messages (RFC 5322 / MIME) and mbox files, masked so the
//! result is still a valid message in its original charsets.
//!
//! A small MIME walker works on the raw bytes:
//!
//! - Header fields are unfolded and their RFC 2047 encoded words (B and Q,
//!   any charset encoding_rs knows: ISO-2022-JP, Shift_JIS, UTF-8, ...)
//!   decoded. Address fields (From, To, Cc, Reply-To, ...) mask display names
//!   as names and addresses as e-mail; Subject and other free fields are
//!   scanned as text; structural fields (Content-Type, Message-ID, Date, DKIM,
//!   ...) are kept. A changed field is written back with encoded words in
//!   the charset its first encoded word used (UTF-8 when it had none or that
//!   charset cannot hold the result); an unchanged field stays byte for byte.
//! - Leaf text parts (any `text/*`) are decoded from their transfer encoding
//!   (base64, quoted-printable, 7bit, 8bit) and charset, masked, and encoded
//!   back the same way; an unchanged part stays byte for byte. Text and HTML
//!   alternatives are both masked. `message/rfc822` parts are walked as
//!   messages.
//! - Other leaves (attachments) are replaced by a one-line note; their
//!   Content-Type and Content-Disposition (type and file name) are kept.
//! - In an mbox, every message is masked; the `From ` separator lines stay
//!   (their envelope address is masked like an address field).
//!
//! Anything that cannot be decoded (a bad base64 body, an encoded word in an
//! unknown charset) is an error: undecoded data never passes through.
//! Preambles and epilogues of multiparts are kept as they are.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use encoding_rs::{Encoding, UTF_8};
use rayon::prelude::*;

use super::roles::{Role, RoleMap};
use super::{encoding, mask_field, render_field, role_finding, seed, Tally};
use crate::error::Error;
use crate::masker::Masker;
use crate::span::{Finding, Span};

const MAX_DEPTH: usize = 32;

fn ferr(message: String) -> Error {
    Error::Format {
        format: "eml",
        message,
    }
}

/// Header fields whose value holds addresses.
const ADDRESS_FIELDS: [&str; 12] = [
    "from",
    "to",
    "cc",
    "bcc",
    "reply-to",
    "sender",
    "delivered-to",
    "return-path",
    "resent-from",
    "resent-to",
    "resent-cc",
    "x-original-to",
];

/// Header fields kept as they are (structure, identifiers, dates, signatures).
const KEPT_FIELDS: [&str; 20] = [
    "content-type",
    "content-transfer-encoding",
    "content-disposition",
    "content-id",
    "content-language",
    "mime-version",
    "message-id",
    "in-reply-to",
    "references",
    "date",
    "dkim-signature",
    "arc-seal",
    "arc-message-signature",
    "list-id",
    "x-mailer",
    "user-agent",
    "precedence",
    "importance",
    "x-priority",
    "list-unsubscribe",
];

/// True when `v` is the name of a common mail header field (`From`,
/// `Subject`, ...): used to recognize header objects in JSON (Gmail).
pub fn is_header_name(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    ADDRESS_FIELDS.contains(&l.as_str())
        || KEPT_FIELDS.contains(&l.as_str())
        || matches!(l.as_str(), "subject" | "received" | "thread-topic")
        || (l.starts_with("x-")
            && l.len() > 2
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// True when `head` starts like a mail message: header lines, one of them a
/// field only mail has (Received, From, Message-ID, MIME-Version, ...).
pub fn looks_like_message(head: &[u8]) -> bool {
    let mut mail_field = false;
    for (n, line) in head.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return mail_field && n > 0;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            continue;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return false;
        };
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-') {
            return false;
        }
        let l = String::from_utf8_lossy(name).to_ascii_lowercase();
        if matches!(
            l.as_str(),
            "received"
                | "from"
                | "message-id"
                | "mime-version"
                | "return-path"
                | "delivered-to"
                | "to"
                | "subject"
        ) {
            mail_field = true;
        }
        if n > 200 {
            break;
        }
    }
    mail_field
}

/// Masks one message.
///
/// # Errors
///
/// [`Error::Format`] for undecodable parts; [`Error::Encoding`] when masked
/// text cannot be written in its part's charset.
pub fn mask_message(
    masker: &Masker,
    bytes: &[u8],
    roles: &RoleMap,
    tally: &mut Tally,
) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(bytes.len() + 256);
    let cx = Cx {
        masker,
        roles,
        terms: sender_terms(masker, bytes),
    };
    cx.entity(bytes, 0, tally, &mut out)?;
    Ok(out)
}

/// Masks header fields only (no body follows them): as [`mask_message`]
/// masks a message's header block, whatever its Content-Type says.
///
/// # Errors
///
/// [`Error::Format`] for an encoded word that cannot be decoded.
pub(crate) fn mask_headers(
    masker: &Masker,
    head: &[u8],
    tally: &mut Tally,
) -> Result<Vec<u8>, Error> {
    let roles = RoleMap::default();
    let cx = Cx {
        masker,
        roles: &roles,
        terms: Vec::new(),
    };
    let eol: &[u8] = if memchr::memmem::find(head, b"\r\n").is_some() {
        b"\r\n"
    } else {
        b"\n"
    };
    let mut out = Vec::with_capacity(head.len() + 64);
    for f in split_fields(head) {
        let (name, _) = field_parts(f);
        let lname = String::from_utf8_lossy(name).to_ascii_lowercase();
        cx.field(f, &lname, eol, tally, &mut out)?;
    }
    Ok(out)
}

/// Masks an mbox: each message between `From ` lines.
///
/// # Errors
///
/// As [`mask_message`], for any message.
pub fn mask_mbox(
    masker: &Masker,
    bytes: &[u8],
    roles: &RoleMap,
    tally: &mut Tally,
) -> Result<Vec<u8>, Error> {
    // Starts of `From ` lines.
    let mut seps = Vec::new();
    if bytes.starts_with(b"From ") {
        seps.push(0);
    }
    for i in memchr::memmem::find_iter(bytes, b"\nFrom ") {
        seps.push(i + 1);
    }
    let mut out = Vec::with_capacity(bytes.len() + 256);
    let first = seps.first().copied().unwrap_or(bytes.len());
    // Text before the first message is text too.
    raw_text(masker, &bytes[..first], tally, &mut out)?;
    // One message into `o`.
    let message = |k: usize, t: &mut Tally, o: &mut Vec<u8>| -> Result<(), Error> {
        let s = seps[k];
        let end = seps.get(k + 1).copied().unwrap_or(bytes.len());
        let line_end = memchr::memchr(b'\n', &bytes[s..end]).map_or(end, |i| s + i + 1);
        t.at(&bytes[s..line_end], false);
        from_line(masker, &bytes[s..line_end], t, o);
        o.extend(
            mask_message(masker, &bytes[line_end..end], roles, t).map_err(|e| match e {
                Error::Format { format, message } => Error::Format {
                    format,
                    message: format!("message {}: {message}", k + 1),
                },
                e => e,
            })?,
        );
        Ok(())
    };
    let Some(pool) = masker.pool().filter(|_| seps.len() > 1) else {
        for k in 0..seps.len() {
            message(k, tally, &mut out)?;
        }
        return Ok(out);
    };
    // Messages in groups of about 1 MiB, masked in parallel a window of
    // groups at a time, written in order.
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    for k in 0..seps.len() {
        let end = seps.get(k + 1).copied().unwrap_or(bytes.len());
        if end - seps[start] >= 1 << 20 || k + 1 == seps.len() {
            groups.push(start..k + 1);
            start = k + 1;
        }
    }
    let proto = tally.child();
    let window = pool.current_num_threads() * 4;
    for win in groups.chunks(window) {
        let done: Vec<(Result<Vec<u8>, Error>, Tally)> = pool.install(|| {
            win.par_iter()
                .map(|g| {
                    let mut t = proto.child();
                    let mut o = Vec::new();
                    let r = g.clone().try_for_each(|k| message(k, &mut t, &mut o));
                    (r.map(|()| o), t)
                })
                .collect()
        });
        for (r, t) in done {
            tally.merge(t);
            out.extend(r?);
        }
    }
    Ok(out)
}

/// An mbox `From addr date` line with its address masked.
fn from_line(masker: &Masker, line: &[u8], tally: &mut Tally, out: &mut Vec<u8>) {
    let text = String::from_utf8_lossy(line);
    let mut parts = text.splitn(3, ' ');
    let (Some(from), Some(addr), rest) = (parts.next(), parts.next(), parts.next()) else {
        out.extend_from_slice(line);
        return;
    };
    if !addr.contains('@') {
        out.extend_from_slice(line);
        return;
    }
    let masked = role_finding(Role::Email, addr, None)
        .and_then(|f| render_field(masker, addr, std::slice::from_ref(&f), tally))
        .unwrap_or_else(|| addr.to_string());
    out.extend_from_slice(from.as_bytes());
    out.push(b' ');
    out.extend_from_slice(masked.as_bytes());
    if let Some(r) = rest {
        out.push(b' ');
        out.extend_from_slice(r.as_bytes());
    }
}

struct Cx<'a> {
    masker: &'a Masker,
    roles: &'a RoleMap,
    /// The forms of the From display name, masked in the message's text
    /// bodies (see [`super::seed`]).
    terms: Vec<crate::detect::DocTerm>,
}

/// A parsed Content-Type.
#[derive(Default)]
struct ContentType {
    mime: String,
    boundary: Option<String>,
    charset: Option<String>,
}

fn params(v: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut items = Vec::new();
    for c in v.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ';' if !quoted => items.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    items.push(cur);
    for it in items.iter().skip(1) {
        if let Some((k, val)) = it.split_once('=') {
            out.push((
                k.trim().to_ascii_lowercase(),
                val.trim().trim_matches('"').to_string(),
            ));
        }
    }
    out.insert(0, (String::new(), items[0].trim().to_ascii_lowercase()));
    out
}

impl Cx<'_> {
    /// Masks free text of the message (a text body, a Subject): the
    /// detectors' findings, and the sender's name in any of its forms
    /// ([`Cx::terms`]) even where the detectors alone would not see a name
    /// (`お見積りの件（山田）`). `None` when nothing changes.
    fn mask_text(&self, text: &str, tally: &mut Tally) -> Option<String> {
        mask_with_terms(self.masker, text, &self.terms, tally)
    }

    /// Headers + body of a message or a part.
    fn entity(
        &self,
        bytes: &[u8],
        depth: usize,
        tally: &mut Tally,
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err(ferr("MIME nesting too deep".into()));
        }
        let (head_end, body_start) = split_head(bytes);
        let head = &bytes[..head_end];
        let eol: &[u8] = if memchr::memmem::find(head, b"\r\n").is_some()
            || (head.is_empty() && bytes.starts_with(b"\r\n"))
        {
            b"\r\n"
        } else {
            b"\n"
        };
        let mut ct = ContentType {
            mime: "text/plain".into(),
            ..ContentType::default()
        };
        let mut cte = String::from("7bit");
        let mut cte_seen = false;
        let fields = split_fields(head);
        for f in &fields {
            let (name, value) = field_parts(f);
            let lname = String::from_utf8_lossy(name).to_ascii_lowercase();
            match lname.as_str() {
                "content-type" => {
                    let v = String::from_utf8_lossy(&unfold(value)).into_owned();
                    let ps = params(&v);
                    ct.mime = ps[0].1.clone();
                    for (k, val) in &ps[1..] {
                        match k.as_str() {
                            "boundary" => ct.boundary = Some(val.clone()),
                            "charset" => ct.charset = Some(val.clone()),
                            _ => {}
                        }
                    }
                }
                "content-transfer-encoding" => {
                    cte = String::from_utf8_lossy(&unfold(value))
                        .trim()
                        .to_ascii_lowercase();
                    cte_seen = true;
                }
                _ => {}
            }
        }
        let body = &bytes[body_start.min(bytes.len())..];
        let is_text = ct.mime.starts_with("text/") || ct.mime.is_empty();
        let leaf_attachment =
            !is_text && !ct.mime.starts_with("multipart/") && ct.mime != "message/rfc822";
        // Headers.
        for f in &fields {
            let (name, _) = field_parts(f);
            let lname = String::from_utf8_lossy(name).to_ascii_lowercase();
            if leaf_attachment && lname == "content-transfer-encoding" {
                out.extend_from_slice(b"Content-Transfer-Encoding: 7bit");
                out.extend_from_slice(eol);
                continue;
            }
            self.field(f, &lname, eol, tally, out)?;
        }
        if leaf_attachment && !cte_seen {
            out.extend_from_slice(b"Content-Transfer-Encoding: 7bit");
            out.extend_from_slice(eol);
        }
        out.extend_from_slice(&bytes[head_end..body_start.min(bytes.len())]);
        // Body.
        if ct.mime.starts_with("multipart/") {
            let Some(b) = ct.boundary.as_deref().filter(|b| !b.is_empty()) else {
                return Err(ferr("multipart without a boundary".into()));
            };
            self.multipart(body, b.as_bytes(), depth, tally, out)
        } else if ct.mime == "message/rfc822" {
            self.entity(body, depth + 1, tally, out)
        } else if is_text {
            self.text_body(body, &cte, &ct, eol, tally, out)
        } else {
            tally.note("eml: attachments replaced by a note".into());
            out.extend_from_slice(
                format!(
                    "[mask: attachment removed ({}, {} bytes encoded)]",
                    ct.mime.replace(|c: char| !c.is_ascii_graphic(), ""),
                    body.len()
                )
                .as_bytes(),
            );
            out.extend_from_slice(eol);
            Ok(())
        }
    }

    fn multipart(
        &self,
        body: &[u8],
        boundary: &[u8],
        depth: usize,
        tally: &mut Tally,
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        let mut delim = b"--".to_vec();
        delim.extend_from_slice(boundary);
        // Delimiter lines: at the start, or after a newline.
        let mut lines: Vec<(usize, usize, bool)> = Vec::new(); // (start, after line, closing)
        let mut i = 0;
        while let Some(p) = memchr::memmem::find(&body[i..], &delim) {
            let s = i + p;
            i = s + delim.len();
            if s != 0 && body[s - 1] != b'\n' {
                continue;
            }
            let rest = &body[i..];
            let closing = rest.starts_with(b"--");
            let after = memchr::memchr(b'\n', rest).map_or(body.len(), |n| i + n + 1);
            let tail = &body[i + if closing { 2 } else { 0 }..after];
            if !tail.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            lines.push((s, after, closing));
            if closing {
                break;
            }
        }
        if lines.is_empty() {
            return Err(ferr("multipart boundary not found".into()));
        }
        // Preamble and epilogue: text no client shows, masked all the same.
        raw_text(self.masker, &body[..lines[0].0], tally, out)?;
        out.extend_from_slice(&body[lines[0].0..lines[0].1]);
        for w in 0..lines.len() {
            let (_, after, closing) = lines[w];
            if closing {
                return raw_text(self.masker, &body[after..], tally, out);
            }
            let Some(&(next, next_after, _)) = lines.get(w + 1) else {
                // No closing delimiter: the last part runs to the end.
                self.entity(&body[after..], depth + 1, tally, out)?;
                return Ok(());
            };
            // The newline before the next delimiter belongs to it.
            let mut end = next;
            if end > after && body[end - 1] == b'\n' {
                end -= 1;
                if end > after && body[end - 1] == b'\r' {
                    end -= 1;
                }
            }
            self.entity(&body[after..end.max(after)], depth + 1, tally, out)?;
            out.extend_from_slice(&body[end.max(after)..next_after]);
        }
        Ok(())
    }

    fn text_body(
        &self,
        body: &[u8],
        cte: &str,
        ct: &ContentType,
        eol: &[u8],
        tally: &mut Tally,
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        let (charset, html) = (ct.charset.as_deref(), ct.mime == "text/html");
        let raw = match cte {
            "base64" => decode_base64(body)?,
            "quoted-printable" => decode_qp(body),
            _ => body.to_vec(),
        };
        let (text, enc, bom) = decode_charset(&raw, charset)?;
        if text.contains('\0') {
            return Err(ferr("NUL byte in a text part".into()));
        }
        // Read in place (no transfer encoding, UTF-8 or ASCII): exact.
        tally.at(body, text.as_bytes() == body);
        let masked = if html {
            mask_html(self.masker, &text, &self.terms, tally)
        } else {
            self.mask_text(&text, tally)
        };
        let Some(masked) = masked else {
            out.extend_from_slice(body);
            return Ok(());
        };
        let bytes = encode_strict(&masked, enc, bom)?;
        match cte {
            "base64" => {
                let b64 = STANDARD.encode(&bytes);
                // The input's line length (76 when it had one line or none).
                let width = match body.iter().position(|&b| b == b'\r' || b == b'\n') {
                    Some(w) if w >= 4 && w < body.trim_ascii_end().len() => w,
                    _ => 76,
                };
                for chunk in b64.as_bytes().chunks(width) {
                    out.extend_from_slice(chunk);
                    out.extend_from_slice(eol);
                }
            }
            "quoted-printable" => encode_qp(&bytes, eol, out),
            _ => out.extend_from_slice(&bytes),
        }
        Ok(())
    }

    /// One header field, raw bytes including its line ending(s).
    fn field(
        &self,
        f: &[u8],
        lname: &str,
        eol: &[u8],
        tally: &mut Tally,
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        if lname == "content-type" || lname == "content-disposition" {
            return self.file_name(f, eol, tally, out);
        }
        if KEPT_FIELDS.contains(&lname) || lname.starts_with("arc-") {
            out.extend_from_slice(f);
            return Ok(());
        }
        let (name, value) = field_parts(f);
        let unfolded = unfold(value);
        tally.at(f, false);
        let (decoded, charset) = decode_words(&unfolded)?;
        let masked = if ADDRESS_FIELDS.contains(&lname) {
            mask_addresses(self.masker, &decoded, tally, true)
        } else {
            // Subject and other free fields: the sender's name too.
            self.mask_text(&decoded, tally)
        };
        let Some(masked) = masked else {
            out.extend_from_slice(f);
            return Ok(());
        };
        let _ = self.roles;
        out.extend_from_slice(name);
        out.extend_from_slice(b": ");
        out.extend_from_slice(encode_header(masked.trim(), charset.as_deref(), eol).as_bytes());
        out.extend_from_slice(eol);
        Ok(())
    }
}

impl Cx<'_> {
    /// Content-Type / Content-Disposition: the `name` / `filename`
    /// parameter (quoted, RFC 2047 words, or RFC 2231 `filename*` with
    /// continuations) is masked as text, since a file name such as
    /// `山田太郎_履歴書.pdf` names a person. The field is written back as it
    /// was when nothing changes; else with one masked parameter in the
    /// first one's place (RFC 2231 UTF-8 when the original used RFC 2231,
    /// else quoted, with RFC 2047 words when the original had them).
    fn file_name(
        &self,
        f: &[u8],
        eol: &[u8],
        tally: &mut Tally,
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        let (name, value) = field_parts(f);
        let unfolded = String::from_utf8_lossy(&unfold(value)).into_owned();
        let items = split_params(&unfolded);
        // (item index, parameter, section number, extended, raw value)
        let mut parts: Vec<(usize, &str, usize, bool, &str)> = Vec::new();
        for (i, it) in items.iter().enumerate().skip(1) {
            let Some((k, v)) = it.split_once('=') else {
                continue;
            };
            let k = k.trim();
            let (base, rest) = k.split_once('*').unwrap_or((k, ""));
            if !(base.eq_ignore_ascii_case("name") || base.eq_ignore_ascii_case("filename")) {
                continue;
            }
            let extended = k.ends_with('*');
            let section = rest.trim_end_matches('*').parse().unwrap_or(0);
            parts.push((i, base, section, extended, v.trim()));
        }
        if parts.is_empty() {
            out.extend_from_slice(f);
            return Ok(());
        }
        let mut masked_any = false;
        let mut replaced: Vec<Option<String>> = vec![None; items.len()];
        let mut drop_items: Vec<usize> = Vec::new();
        for base in ["name", "filename"] {
            let mut ps: Vec<_> = parts
                .iter()
                .filter(|p| p.1.eq_ignore_ascii_case(base))
                .collect();
            if ps.is_empty() {
                continue;
            }
            ps.sort_by_key(|p| p.2);
            let rfc2231 = ps.iter().any(|p| p.3);
            let (decoded, charset) = if rfc2231 {
                (
                    decode_2231(&ps.iter().map(|p| (p.3, p.4)).collect::<Vec<_>>()),
                    None,
                )
            } else {
                let v = ps[0].4.trim_matches('"');
                decode_words(v.as_bytes())?
            };
            tally.at(f, false);
            let Some(m) = mask_field(self.masker, &decoded, tally) else {
                continue;
            };
            masked_any = true;
            let first = ps.iter().map(|p| p.0).min().unwrap_or(0);
            let key = ps[0].1;
            replaced[first] = Some(if rfc2231 {
                format!("{key}*=UTF-8''{}", pct_encode(&m))
            } else {
                // Raw when it was raw (8-bit or ASCII), else encoded words.
                let v = match charset {
                    None => m.clone(),
                    Some(_) => encode_header(&m, charset.as_deref(), eol),
                };
                format!("{key}=\"{}\"", v.replace('"', "'"))
            });
            drop_items.extend(ps.iter().map(|p| p.0).filter(|&i| i != first));
        }
        if !masked_any {
            out.extend_from_slice(f);
            return Ok(());
        }
        out.extend_from_slice(name);
        out.extend_from_slice(b": ");
        let mut first = true;
        for (i, it) in items.iter().enumerate() {
            if drop_items.contains(&i) {
                continue;
            }
            if !first {
                out.extend_from_slice(b";");
                out.extend_from_slice(eol);
                out.push(b' ');
            }
            first = false;
            let text = replaced[i].as_deref().unwrap_or(it.trim());
            out.extend_from_slice(text.as_bytes());
        }
        out.extend_from_slice(eol);
        Ok(())
    }
}

/// Masks `text` with the detectors' findings and the sender's name in any
/// of its forms (`terms`); `None` when nothing changes.
fn mask_with_terms(
    masker: &Masker,
    text: &str,
    terms: &[crate::detect::DocTerm],
    tally: &mut Tally,
) -> Option<String> {
    if terms.is_empty() {
        return mask_field(masker, text, tally);
    }
    let mut found = super::find_in_fields(masker, &[text]).remove(0);
    seeded(masker, text, terms, &mut found);
    render_field(masker, text, &found, tally)
}

/// Adds to `found` (the findings of `text`, sorted) the sender's name in
/// any of its forms (`terms`, see [`super::seed`]).
fn seeded(masker: &Masker, text: &str, terms: &[crate::detect::DocTerm], found: &mut Vec<Finding>) {
    if terms.is_empty() {
        return;
    }
    let mut all = vec![std::mem::take(found)];
    let mut s = crate::masker::Scratch::default();
    seed::sweep_record(masker, &[text], &mut all, terms, &mut s);
    *found = all.pop().unwrap_or_default();
}

/// An HTML part. Character references are decoded for detection only
/// (`&#x5C71;&#30000;太郎` is 山田太郎, `&amp;` is `&`); a finding's
/// original bytes (references included, widened to whole references) are
/// replaced by the rule's rendering of the decoded text, HTML-escaped.
/// Markup and references outside findings are left as they are.
///
/// The sender's name (`terms`) is swept as in text bodies.
fn mask_html(
    masker: &Masker,
    html: &str,
    terms: &[crate::detect::DocTerm],
    tally: &mut Tally,
) -> Option<String> {
    // (original range, decoded range) of each reference.
    let mut refs: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut dec = String::new();
    let mut pos = 0;
    for amp in memchr::memchr_iter(b'&', html.as_bytes()) {
        if amp < pos {
            continue;
        }
        let Some((ch, len)) = char_ref(&html[amp..]) else {
            continue;
        };
        if refs.is_empty() {
            dec.reserve(html.len());
        }
        dec.push_str(&html[pos..amp]);
        let ds = dec.len();
        dec.push(ch);
        refs.push((amp, amp + len, ds, dec.len()));
        pos = amp + len;
    }
    if refs.is_empty() {
        return mask_with_terms(masker, html, terms, tally);
    }
    dec.push_str(&html[pos..]);
    // Decoded offset → original offset (a start inside a reference goes to
    // its start, an end inside one to its end).
    let to_orig = |d: usize, end: bool| -> usize {
        let k = if end {
            refs.partition_point(|r| r.2 < d)
        } else {
            refs.partition_point(|r| r.2 <= d)
        };
        match k.checked_sub(1).map(|i| refs[i]) {
            None => d,
            Some((_, oe, ds, de)) if d < de || end && d == de && d > ds => {
                if end {
                    oe
                } else {
                    refs[k - 1].0
                }
            }
            Some((_, oe, _, de)) => oe + (d - de),
        }
    };
    let mut found = super::find_in_fields(masker, &[dec.as_str()]).remove(0);
    seeded(masker, &dec, terms, &mut found);
    let mut out = String::new();
    let mut pos = 0;
    let mut changed = false;
    for f in found {
        let (os, oe) = (to_orig(f.span.start, false), to_orig(f.span.end, true));
        let block = f.detector == super::embedded::DETECTOR;
        if !block {
            // Counted at its original bytes (a scan reports those).
            tally.count(
                masker,
                &Finding {
                    span: Span::new(os, oe),
                    ..f.clone()
                },
            );
        }
        let Some(orig) = dec.get(f.span.range()) else {
            continue;
        };
        if os < pos {
            continue;
        }
        let mut r = String::new();
        if block {
            // Encoded content in the page: decoded, masked, encoded back.
            r = super::embedded::render(masker, orig, super::embedded::kind_of(&f), tally);
        } else {
            crate::rules::render(
                f.category,
                masker.policy().action(f.category),
                orig,
                f.hint.as_deref(),
                &mut r,
            );
        }
        out.push_str(&html[pos..os]);
        if r == orig {
            out.push_str(&html[os..oe]);
        } else {
            changed = true;
            for c in r.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    c => out.push(c),
                }
            }
        }
        pos = oe;
    }
    if !changed {
        return None;
    }
    out.push_str(&html[pos..]);
    Some(out)
}

/// A character reference at the start of `s` (`&#x5C71;`, `&#23665;`,
/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;`): the character
/// and the reference's length.
fn char_ref(s: &str) -> Option<(char, usize)> {
    let semi = s.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let body = &s[1..semi];
    let ch = if let Some(num) = body.strip_prefix('#') {
        let cp = match num.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() => u32::from_str_radix(hex, 16).ok()?,
            None if !num.is_empty() => num.parse().ok()?,
            _ => return None,
        };
        char::from_u32(cp).filter(|c| *c != '\0')?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            _ => return None,
        }
    };
    Some((ch, semi + 1))
}

/// Splits a structured header value at `;` outside quotes.
fn split_params(v: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in v.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => {
                items.push(&v[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&v[start..]);
    items
}

/// Joins RFC 2231 sections (`(extended, raw value)` in order): extended
/// ones are `charset'lang'%XX…` (the first) or `%XX…`, decoded in the
/// first one's charset; others are plain or quoted text.
fn decode_2231(sections: &[(bool, &str)]) -> String {
    let mut charset: Option<&'static Encoding> = None;
    let mut bytes = Vec::new();
    for (k, &(ext, raw)) in sections.iter().enumerate() {
        if !ext {
            bytes.extend_from_slice(raw.trim_matches('"').as_bytes());
            continue;
        }
        let mut v = raw.trim_matches('"');
        if k == 0 {
            let mut it = v.splitn(3, '\'');
            if let (Some(cs), Some(_lang), Some(rest)) = (it.next(), it.next(), it.next()) {
                charset = Encoding::for_label(cs.as_bytes());
                v = rest;
            }
        }
        let b = v.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%'
                && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
            {
                bytes.push(hex_val(b[i + 1]) << 4 | hex_val(b[i + 2]));
                i += 3;
            } else {
                bytes.push(b[i]);
                i += 1;
            }
        }
    }
    let enc = charset.unwrap_or(UTF_8);
    enc.decode_without_bom_handling(&bytes).0.into_owned()
}

/// Percent-encodes for an RFC 2231 value (attribute-char kept).
fn pct_encode(v: &str) -> String {
    let mut s = String::new();
    for &b in v.as_bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// Text outside any part (mbox preamble, multipart preamble and
/// epilogue): masked in its own encoding; text in none is an error.
fn raw_text(
    masker: &Masker,
    bytes: &[u8],
    tally: &mut Tally,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        out.extend_from_slice(bytes);
        return Ok(());
    }
    let (text, enc, bom) = decode_charset(bytes, None)?;
    tally.at(bytes, text.as_bytes() == bytes);
    match mask_field(masker, &text, tally) {
        None => out.extend_from_slice(bytes),
        Some(m) => out.extend(encode_strict(&m, enc, bom)?),
    }
    Ok(())
}

/// End of the header block and start of the body.
fn split_head(bytes: &[u8]) -> (usize, usize) {
    if bytes.starts_with(b"\r\n") {
        return (0, 2);
    }
    if bytes.starts_with(b"\n") {
        return (0, 1);
    }
    let crlf = memchr::memmem::find(bytes, b"\r\n\r\n").map(|i| (i + 2, i + 4));
    let lf = memchr::memmem::find(bytes, b"\n\n").map(|i| (i + 1, i + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => {
            if a.0 <= b.0 {
                a
            } else {
                b
            }
        }
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => (bytes.len(), bytes.len()),
    }
}

/// Header fields, each with its continuation lines and line endings.
fn split_fields(head: &[u8]) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < head.len() {
        let end = memchr::memchr(b'\n', &head[i..]).map_or(head.len(), |n| i + n + 1);
        let next_is_cont = matches!(head.get(end), Some(b' ' | b'\t'));
        if !next_is_cont {
            out.push(&head[start..end]);
            start = end;
        }
        i = end;
    }
    if start < head.len() {
        out.push(&head[start..]);
    }
    out
}

fn field_parts(f: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memchr(b':', f) {
        Some(c) => (&f[..c], &f[c + 1..]),
        None => (f, &[]),
    }
}

/// Removes folding (CR LF before white space) and the final line ending.
fn unfold(v: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len());
    for &b in v {
        if b != b'\r' && b != b'\n' {
            out.push(b);
        }
    }
    out
}

/// Decodes RFC 2047 encoded words; returns the text and the charset of the
/// first encoded word.
pub(crate) fn decode_words(v: &[u8]) -> Result<(String, Option<String>), Error> {
    let text = match std::str::from_utf8(v) {
        Ok(s) => s.to_string(),
        Err(_) => {
            encoding::decode(v)
                .map_err(|_| ferr("header field in an unknown 8-bit encoding".into()))?
                .text
        }
    };
    let mut out = String::with_capacity(text.len());
    let mut charset = None;
    let mut rest = text.as_str();
    let mut last_was_word = false;
    while let Some(p) = rest.find("=?") {
        let (before, from) = rest.split_at(p);
        let Some((word, len)) = parse_word(from) else {
            out.push_str(before);
            out.push_str("=?");
            rest = &from[2..];
            last_was_word = false;
            continue;
        };
        if !(last_was_word && before.trim().is_empty()) {
            out.push_str(before);
        }
        let enc = Encoding::for_label(word.charset.as_bytes()).ok_or_else(|| {
            ferr(format!(
                "encoded word in unknown charset {:?}",
                word.charset
            ))
        })?;
        let decoded = enc
            .decode_without_bom_handling_and_without_replacement(&word.bytes)
            .ok_or_else(|| ferr(format!("encoded word not valid {}", word.charset)))?;
        out.push_str(&decoded);
        if charset.is_none() {
            charset = Some(word.charset);
        }
        rest = &from[len..];
        last_was_word = true;
    }
    out.push_str(rest);
    Ok((out, charset))
}

struct Word {
    charset: String,
    bytes: Vec<u8>,
}

fn parse_word(s: &str) -> Option<(Word, usize)> {
    let body = s.strip_prefix("=?")?;
    let q1 = body.find('?')?;
    let charset = body[..q1].split('*').next()?.to_string();
    let rest = &body[q1 + 1..];
    let mode = rest.chars().next()?.to_ascii_uppercase();
    let rest = rest.get(1..)?.strip_prefix('?')?;
    let end = rest.find("?=")?;
    let payload = &rest[..end];
    if payload.contains(' ') {
        return None;
    }
    let bytes = match mode {
        'B' => GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
        )
        .decode(payload)
        .ok()?,
        'Q' => {
            let mut b = Vec::new();
            let p = payload.as_bytes();
            let mut i = 0;
            while i < p.len() {
                match p[i] {
                    b'_' => b.push(b' '),
                    b'=' if i + 2 < p.len() => {
                        let h = std::str::from_utf8(&p[i + 1..i + 3]).ok()?;
                        b.push(u8::from_str_radix(h, 16).ok()?);
                        i += 2;
                    }
                    c => b.push(c),
                }
                i += 1;
            }
            b
        }
        _ => return None,
    };
    let len = 2 + q1 + 1 + 2 + end + 2;
    Some((Word { charset, bytes }, len))
}

/// Writes a header value: ASCII words as they are, runs of non-ASCII words
/// as B-encoded words in `charset` (UTF-8 when absent or unable).
pub(crate) fn encode_header(v: &str, charset: Option<&str>, eol: &[u8]) -> String {
    if v.is_ascii() {
        return v.to_string();
    }
    let (label, enc) = charset
        .and_then(|c| Encoding::for_label(c.as_bytes()).map(|e| (c.to_string(), e)))
        .filter(|(_, e)| !e.encode(v).2)
        .unwrap_or_else(|| ("UTF-8".to_string(), UTF_8));
    let fold = format!("{} ", String::from_utf8_lossy(eol));
    let mut out = String::new();
    let words: Vec<&str> = v.split(' ').collect();
    let mut i = 0;
    while i < words.len() {
        if i > 0 {
            out.push(' ');
        }
        if words[i].is_ascii() {
            out.push_str(words[i]);
            i += 1;
            continue;
        }
        // A run of words up to the next ASCII-only word.
        let mut j = i;
        while j < words.len() && !words[j].is_ascii() {
            j += 1;
        }
        let run = words[i..j].join(" ");
        let mut piece = String::new();
        let mut first = true;
        let flush = |piece: &str, out: &mut String, first: &mut bool| {
            if piece.is_empty() {
                return;
            }
            if !*first {
                out.push_str(&fold);
            }
            *first = false;
            let (b, _, _) = enc.encode(piece);
            out.push_str(&format!("=?{label}?B?{}?=", STANDARD.encode(&b)));
        };
        for c in run.chars() {
            piece.push(c);
            if enc.encode(&piece).0.len() > 36 {
                let last = piece.pop().unwrap_or(' ');
                flush(&piece, &mut out, &mut first);
                piece.clear();
                piece.push(last);
            }
        }
        flush(&piece, &mut out, &mut first);
        i = j;
    }
    out
}

/// Masks an address list (decoded): display names as names, addresses as
/// e-mail. `None` when nothing changes. With `mime`, the result is meant
/// for encode_header (non-ASCII display names are not quoted).
fn mask_addresses(masker: &Masker, v: &str, tally: &mut Tally, mime: bool) -> Option<String> {
    let items = split_addresses(v);
    if items.is_empty() {
        return mask_field(masker, v, tally);
    }
    let mut changed = false;
    let mut parts = Vec::new();
    for it in items {
        let it = it.trim();
        let (display, addr) = match (it.rfind('<'), it.rfind('>')) {
            (Some(l), Some(r)) if l < r => (it[..l].trim(), &it[l + 1..r]),
            _ => ("", it),
        };
        let display = display.trim_matches('"').trim();
        let mut new_display = display.to_string();
        if !display.is_empty() {
            tally.person(display);
            if let Some(f) = role_finding(Role::Name, display, seed::name_hint(masker, display)) {
                if let Some(m) = render_field(masker, display, std::slice::from_ref(&f), tally) {
                    new_display = m;
                    changed = true;
                }
            }
        }
        let mut new_addr = addr.to_string();
        if addr.contains('@') || addr.contains('＠') {
            if let Some(f) = role_finding(Role::Email, addr, None) {
                if let Some(m) = render_field(masker, addr, std::slice::from_ref(&f), tally) {
                    new_addr = m;
                    changed = true;
                }
            }
        } else if let Some(m) = mask_field(masker, addr, tally) {
            new_addr = m;
            changed = true;
        }
        if mime && !new_addr.is_ascii() {
            // A label in place of an address: headers need an ASCII
            // addr-spec, so the label becomes the display name.
            if new_display.is_empty() || new_display == display {
                new_display = new_addr.clone();
            }
            new_addr = MASKED_ADDR.to_string();
        }
        let needs_quotes = !new_display.is_empty()
            && (new_display.is_ascii() || !mime)
            && new_display.contains(|c: char| "()<>[]:;@\\,.\"".contains(c));
        let angle = it.contains('<') || new_addr == MASKED_ADDR;
        parts.push(match (new_display.is_empty(), angle) {
            (true, true) => format!("<{new_addr}>"),
            (true, false) => new_addr,
            (false, _) if needs_quotes => {
                format!(
                    "\"{}\" <{new_addr}>",
                    new_display.replace('\\', "\\\\").replace('"', "\\\"")
                )
            }
            (false, _) => format!("{new_display} <{new_addr}>"),
        });
    }
    changed.then(|| parts.join(", "))
}

/// The forms of the first From display name of a message (its top-level
/// header), as document terms for its bodies.
fn sender_terms(masker: &Masker, bytes: &[u8]) -> Vec<crate::detect::DocTerm> {
    let (head_end, _) = split_head(bytes);
    let Some(from) = split_fields(&bytes[..head_end])
        .into_iter()
        .find(|f| field_parts(f).0.eq_ignore_ascii_case(b"from"))
    else {
        return Vec::new();
    };
    let Ok((decoded, _)) = decode_words(&unfold(field_parts(from).1)) else {
        return Vec::new();
    };
    let Some(item) = split_addresses(&decoded).into_iter().next() else {
        return Vec::new();
    };
    let display = match item.rfind('<') {
        Some(l) => item[..l].trim().trim_matches('"').trim(),
        None => return Vec::new(),
    };
    if display.is_empty() {
        return Vec::new();
    }
    let mut s = crate::masker::Scratch::default();
    seed::read_sender(masker, display, &mut s).terms
}

/// The addr-spec written where a policy turned an address into a label.
const MASKED_ADDR: &str = "masked@masked.invalid";

fn split_addresses(v: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut quoted, mut angle, mut start) = (false, 0i32, 0);
    for (i, c) in v.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => angle += 1,
            '>' if !quoted => angle -= 1,
            ',' if !quoted && angle <= 0 => {
                out.push(&v[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&v[start..]);
    out.retain(|s| !s.trim().is_empty());
    out
}

/// Masks a decoded header value (no encoded words), as the JSON adapter
/// needs for Gmail header objects. `header` is the lower-case field name.
pub fn mask_header_text(
    masker: &Masker,
    header: &str,
    value: &str,
    tally: &mut Tally,
) -> Option<String> {
    if KEPT_FIELDS.contains(&header) {
        return None;
    }
    if ADDRESS_FIELDS.contains(&header) {
        mask_addresses(masker, value, tally, false)
    } else {
        mask_field(masker, value, tally)
    }
}

fn decode_base64(body: &[u8]) -> Result<Vec<u8>, Error> {
    let clean: Vec<u8> = body
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    )
    .decode(&clean)
    .map_err(|e| ferr(format!("bad base64 body: {e}")))
}

fn decode_qp(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b == b'=' {
            match (body.get(i + 1), body.get(i + 2)) {
                (Some(b'\r'), Some(b'\n')) => {
                    i += 3;
                    continue;
                }
                (Some(b'\n'), _) => {
                    i += 2;
                    continue;
                }
                (Some(&h), Some(&l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                    let v = (hex_val(h) << 4) | hex_val(l);
                    out.push(v);
                    i += 3;
                    continue;
                }
                _ => {}
            }
        }
        out.push(b);
        i += 1;
    }
    out
}

fn hex_val(h: u8) -> u8 {
    match h {
        b'0'..=b'9' => h - b'0',
        b'a'..=b'f' => h - b'a' + 10,
        _ => h.to_ascii_uppercase().wrapping_sub(b'A').wrapping_add(10),
    }
}

fn encode_qp(bytes: &[u8], eol: &[u8], out: &mut Vec<u8>) {
    let mut col = 0;
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            let len = if b == b'\r' { 2 } else { 1 };
            out.extend_from_slice(&bytes[i..i + len]);
            i += len;
            col = 0;
            continue;
        }
        let at_eol = matches!(bytes.get(i + 1), None | Some(b'\r' | b'\n'));
        let literal = (b == b' ' || b == b'\t') && !at_eol || (33..=126).contains(&b) && b != b'=';
        let piece_len = if literal { 1 } else { 3 };
        if col + piece_len > 75 {
            out.push(b'=');
            out.extend_from_slice(eol);
            col = 0;
        }
        if literal {
            out.push(b);
        } else {
            out.extend_from_slice(format!("={b:02X}").as_bytes());
        }
        col += piece_len;
        i += 1;
    }
}

/// Decodes a text part's bytes: its declared charset (any encoding_rs
/// knows), else detection. Returns the text, the encoding to write back, and
/// whether a UTF-8 BOM led.
fn decode_charset(
    raw: &[u8],
    label: Option<&str>,
) -> Result<(String, &'static Encoding, bool), Error> {
    let declared = label
        .filter(|l| !l.eq_ignore_ascii_case("us-ascii"))
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()));
    if let Some(enc) = declared {
        let (body, bom) = match raw.strip_prefix(b"\xEF\xBB\xBF") {
            Some(r) if enc == UTF_8 => (r, true),
            _ => (raw, false),
        };
        if let Some(t) = enc.decode_without_bom_handling_and_without_replacement(body) {
            return Ok((t.into_owned(), enc, bom));
        }
    }
    // Undeclared, US-ASCII or mislabelled: detect.
    let d = encoding::decode(raw).map_err(|e| ferr(format!("text part: {e}")))?;
    let enc = Encoding::for_label(d.charset.name().as_bytes()).unwrap_or(UTF_8);
    Ok((d.text, enc, d.bom))
}

fn encode_strict(text: &str, enc: &'static Encoding, bom: bool) -> Result<Vec<u8>, Error> {
    if enc == UTF_8 {
        let mut v = Vec::with_capacity(text.len() + 3);
        if bom {
            v.extend_from_slice(b"\xEF\xBB\xBF");
        }
        v.extend_from_slice(text.as_bytes());
        return Ok(v);
    }
    let (b, _, bad) = enc.encode(text);
    if bad {
        return Err(Error::Encoding(format!(
            "masked text cannot be written in {}; nothing written",
            enc.name()
        )));
    }
    Ok(b.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masker() -> Masker {
        Masker::builder().threads(1).build().unwrap()
    }

    fn run(msg: &[u8]) -> Vec<u8> {
        mask_message(&masker(), msg, &RoleMap::default(), &mut Tally::default()).unwrap()
    }

    #[test]
    fn encoded_words_round_trip() {
        let (t, cs) = decode_words(
            b" =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= =?UTF-8?Q?=E5=A4=AA=E9=83=8E?= <a@b.jp>",
        )
        .unwrap();
        assert_eq!(t, " 山田太郎 <a@b.jp>");
        assert_eq!(cs.as_deref(), Some("ISO-2022-JP"));
        let e = encode_header("[氏名] <*@b.jp>", Some("ISO-2022-JP"), b"\r\n");
        assert!(e.starts_with("=?ISO-2022-JP?B?"), "{e}");
        assert_eq!(decode_words(e.as_bytes()).unwrap().0, "[氏名] <*@b.jp>");
    }

    #[test]
    fn unchanged_message_is_byte_identical() {
        let m = b"Subject: hello\r\nMIME-Version: 1.0\r\n\r\nno personal data here\r\n";
        assert_eq!(run(m), m.to_vec());
    }

    #[test]
    fn qp_body_round_trip() {
        let body = "電話 090-1234-5678 です\r\n".as_bytes();
        let mut enc = Vec::new();
        encode_qp(body, b"\r\n", &mut enc);
        assert!(enc.is_ascii());
        assert_eq!(decode_qp(&enc), body);
        let msg = [
            b"From: a@example.jp\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".as_slice(),
            &enc,
        ]
        .concat();
        let out = run(&msg);
        let body_at = memchr::memmem::find(&out, b"\r\n\r\n").unwrap() + 4;
        let dec = String::from_utf8(decode_qp(&out[body_at..])).unwrap();
        assert_eq!(dec, "電話 ***-****-5678 です\r\n");
    }

    #[test]
    fn labelled_addresses_stay_valid_headers() {
        let m = Masker::builder()
            .policy(crate::Policy::preset("strict").unwrap())
            .threads(1)
            .build()
            .unwrap();
        let out = mask_message(
            &m,
            b"From: Taro <taro@example.jp>, hanako@example.jp\r\n\r\nx\r\n",
            &RoleMap::default(),
            &mut Tally::default(),
        )
        .unwrap();
        let head = String::from_utf8(out).unwrap();
        let (text, _) = decode_words(head.replace("\r\n ", " ").as_bytes()).unwrap();
        assert!(
            text.starts_with(
                "From: [氏名] <masked@masked.invalid>, [メールアドレス] <masked@masked.invalid>"
            ),
            "{text}"
        );
    }

    #[test]
    fn sniffs_messages() {
        assert!(looks_like_message(b"Received: x\r\nFrom: a\r\n\r\nbody"));
        assert!(!looks_like_message(b"hello world\n\nbody"));
        assert!(!looks_like_message(b"a,b\n1,2\n"));
    }

    #[test]
    fn attachment_file_names_are_masked_in_every_spelling() {
        let b64 = STANDARD.encode("山田太郎_履歴書.pdf");
        let pct: String = "山田太郎_履歴書.pdf"
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect();
        let (p1, p2) = pct.split_at(27);
        let msg = format!(
            "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
             --b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhi\r\n\
             --b\r\nContent-Type: application/pdf; name=\"山田太郎_履歴書.pdf\"\r\n\
             Content-Disposition: attachment; filename=\"=?UTF-8?B?{b64}?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n\
             --b\r\nContent-Type: application/pdf\r\n\
             Content-Disposition: attachment;\r\n filename*0*=UTF-8''{p1};\r\n filename*1*={p2}\r\n\r\nAAAA\r\n\
             --b\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n\r\nAAAA\r\n\
             --b--\r\n"
        );
        let out = String::from_utf8(run(msg.as_bytes())).unwrap();
        assert!(
            !out.contains("山田") && !out.contains(&b64) && !out.contains(p1),
            "{out}"
        );
        assert!(out.contains("name=\"Y.T._履歴書.pdf\""), "{out}");
        assert!(out.contains("filename=\"=?UTF-8?B?"), "{out}");
        let pct_masked: String = "Y.T._履歴書.pdf"
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'.' || b == b'_' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        assert!(
            out.contains(&format!("filename*=UTF-8''{pct_masked}")),
            "{out}"
        );
        // A file name with nothing personal: the field as it was.
        assert!(
            out.contains("Content-Type: application/pdf; name=\"report.pdf\"\r\n"),
            "{out}"
        );
    }

    #[test]
    fn preamble_epilogue_and_mbox_preamble_are_masked() {
        let msg = b"From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n\
                    call 090-1234-5678 (preamble)\n--b\nContent-Type: text/plain\n\nhi\n--b--\n\
                    epilogue taro@example.jp\n";
        let out = String::from_utf8(run(msg)).unwrap();
        assert!(
            out.contains("call ***-****-5678 (preamble)\n--b\n"),
            "{out}"
        );
        assert!(out.ends_with("--b--\nepilogue **ro@example.jp\n"), "{out}");
        let mbox =
            b"note 090-1234-5678\nFrom a@example.com Mon Jan 1 00:00:00 2024\nSubject: x\n\nbody\n";
        let out = mask_mbox(&masker(), mbox, &RoleMap::default(), &mut Tally::default()).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with("note ***-****-5678\nFrom "), "{out}");
    }

    #[test]
    fn html_character_references_are_decoded_for_detection_only() {
        let html = "<p class=\"a&amp;b\">&#x5C71;&#30000;太郎様 &lt;TEL&gt; 090&#x2d;1234-5678 &amp; taro&#64;example.jp</p>";
        let msg =
            format!("From: a@example.com\nContent-Type: text/html; charset=utf-8\n\n{html}\n");
        let out = String::from_utf8(run(msg.as_bytes())).unwrap();
        assert!(
            out.ends_with(
                "\n\n<p class=\"a&amp;b\">Y.T.様 &lt;TEL&gt; ***-****-5678 &amp; **ro@example.jp</p>\n"
            ),
            "{out}"
        );
        // Nothing found: byte for byte, references and all.
        let clean = "Subject: hi\nContent-Type: text/html\n\n<p>&#x3053;&amp;&nbsp;</p>\n";
        assert_eq!(run(clean.as_bytes()), clean.as_bytes());
    }
}
