//! JSON and JSONL: a small tokenizer rewrites only string values; keys,
//! numbers, literals, white space, order and the escapes of every untouched
//! string stay byte for byte.
//!
//! A string is masked by its key's role when the key names one (`name`,
//! `real_name`, `email`, `phone`, ... — the CSV header table), otherwise
//! scanned as text. Two API shapes get special care:
//!
//! - Gmail API messages: `{"name": "From", "value": "..."}` header objects
//!   are masked as mail headers (display names and addresses), and base64url
//!   bodies (`payload.body.data`, `payload.parts[].body.data`) are decoded,
//!   masked in their charset and re-encoded; a `raw` message is masked as
//!   e-mail.
//! - Slack exports: user names and profile fields (`real_name`,
//!   `display_name`, ...) are names by key; message `text` is scanned. A
//!   bare `name` key (emoji, channels, files use it too) is a name only
//!   when its value looks like a full name (letters with a space, or
//!   Japanese letters); otherwise it is scanned as text.
//!
//! A changed string is re-escaped in the style of the original: `\uXXXX` for
//! non-ASCII when the original used such escapes, `\/` when it escaped `/`.
//! Any number of top-level values may follow each other (JSONL).

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;

use super::roles::{Role, RoleMap};
use super::seed::{read_person, read_sender, sweep_record};
use super::{email, encoding, find_in_fields, kana, render_field, role_finding, split, Tally};
use crate::detect::DocTerm;
use crate::error::Error;
use crate::masker::{Masker, Scratch};
use crate::span::Finding;

const MAX_DEPTH: usize = 256;

/// One string value found by the tokenizer.
struct StrTok<'a> {
    /// The string token, quotes included.
    range: Range<usize>,
    /// The decoded value.
    value: Cow<'a, str>,
    /// The raw key it belongs to (its content, without quotes), if any.
    key: Option<Range<usize>>,
    /// The mail header named by a sibling `"name"` (Gmail header objects).
    header: Option<String>,
    /// Never masked (a Gmail header's name).
    keep: bool,
    /// The object it is a value of (0: none).
    obj: u32,
    /// The record it belongs to (0: none): the object that is a top-level
    /// value or an element of a top-level array.
    record: u32,
}

struct Parser<'a> {
    t: &'a str,
    b: &'a [u8],
    i: usize,
    strings: Vec<StrTok<'a>>,
    /// Bytes of string values collected since the last flush.
    pending: usize,
    /// Objects opened so far, and the object and record being read.
    objects: u32,
    obj: u32,
    record: u32,
}

fn err(at: usize, what: &str) -> Error {
    Error::Format {
        format: "json",
        message: format!("{what} at byte {at}"),
    }
}

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn value(&mut self, key: Option<Range<usize>>, depth: usize) -> Result<(), Error> {
        self.element(key, depth, false)
    }

    /// A value; `elem` when it is an element of an array (an object there
    /// is a record of its own).
    fn element(
        &mut self,
        key: Option<Range<usize>>,
        depth: usize,
        elem: bool,
    ) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err(err(self.i, "nesting too deep"));
        }
        match self.b.get(self.i) {
            Some(b'{') => self.object(depth, elem),
            Some(b'[') => {
                self.i += 1;
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(());
                }
                loop {
                    self.ws();
                    self.element(key.clone(), depth + 1, true)?;
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(());
                        }
                        _ => return Err(err(self.i, "expected , or ]")),
                    }
                }
            }
            Some(b'"') => {
                let (range, value) = self.string()?;
                self.pending += value.len();
                self.strings.push(StrTok {
                    range,
                    value,
                    key,
                    header: None,
                    keep: false,
                    obj: self.obj,
                    record: self.record,
                });
                Ok(())
            }
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => {
                let s = self.i;
                while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.b.get(self.i)
                {
                    self.i += 1;
                }
                if self.i == s {
                    return Err(err(s, "bad number"));
                }
                Ok(())
            }
            _ => Err(err(self.i, "expected a value")),
        }
    }

    /// An object; one that is an array element or a top-level value is a
    /// record (the scope of the names in its name keys).
    fn object(&mut self, depth: usize, elem: bool) -> Result<(), Error> {
        self.objects += 1;
        let (outer, outer_record) = (self.obj, self.record);
        self.obj = self.objects;
        if elem || self.record == 0 {
            self.record = self.objects;
        }
        let r = self.members(depth);
        (self.obj, self.record) = (outer, outer_record);
        r
    }

    fn members(&mut self, depth: usize) -> Result<(), Error> {
        self.i += 1;
        let mut header: Option<String> = None;
        let first = self.strings.len();
        self.ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            if self.b.get(self.i) != Some(&b'"') {
                return Err(err(self.i, "expected a key"));
            }
            let (krange, kval) = self.string()?;
            self.ws();
            if self.b.get(self.i) != Some(&b':') {
                return Err(err(self.i, "expected :"));
            }
            self.i += 1;
            self.ws();
            let inner = krange.start + 1..krange.end - 1;
            let before = self.strings.len();
            self.value(Some(inner), depth + 1)?;
            // Gmail header objects: {"name": "From", "value": "..."}.
            if kval.eq_ignore_ascii_case("name") && self.strings.len() == before + 1 {
                let v = &self.strings[before].value;
                if email::is_header_name(v) {
                    header = Some(v.to_ascii_lowercase());
                    self.strings[before].keep = true;
                }
            }
            if kval.eq_ignore_ascii_case("value") && self.strings.len() == before + 1 {
                self.strings[before].header = header.clone();
            }
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    break;
                }
                _ => return Err(err(self.i, "expected , or }")),
            }
        }
        // A "value" before its "name": give it the header too.
        if let Some(h) = header {
            for s in &mut self.strings[first..] {
                if s.header.is_none() && !s.keep {
                    if let Some(k) = &s.key {
                        if self.t[k.clone()].eq_ignore_ascii_case("value") {
                            s.header = Some(h.clone());
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn literal(&mut self, lit: &[u8]) -> Result<(), Error> {
        if self.b[self.i..].starts_with(lit) {
            self.i += lit.len();
            Ok(())
        } else {
            Err(err(self.i, "bad literal"))
        }
    }

    /// A string token at `self.i`: its range (quotes included) and value.
    fn string(&mut self) -> Result<(Range<usize>, Cow<'a, str>), Error> {
        let start = self.i;
        self.i += 1;
        let mut owned: Option<String> = None;
        let mut run = self.i;
        loop {
            // Jump to the next quote or backslash; no control character may
            // come before it.
            let Some(off) = memchr::memchr2(b'"', b'\\', &self.b[self.i..]) else {
                return Err(err(start, "unterminated string"));
            };
            if let Some(bad) = self.b[self.i..self.i + off].iter().position(|&b| b < 0x20) {
                return Err(err(self.i + bad, "control character in string"));
            }
            self.i += off;
            let c = self.b[self.i];
            match c {
                b'"' => {
                    let t: &'a str = self.t;
                    let val = match owned {
                        None => Cow::Borrowed(&t[start + 1..self.i]),
                        Some(mut v) => {
                            v.push_str(&t[run..self.i]);
                            Cow::Owned(v)
                        }
                    };
                    self.i += 1;
                    return Ok((start..self.i, val));
                }
                b'\\' => {
                    let val = owned.get_or_insert_with(String::new);
                    val.push_str(&self.t[run..self.i]);
                    let e = *self
                        .b
                        .get(self.i + 1)
                        .ok_or_else(|| err(self.i, "bad escape"))?;
                    self.i += 2;
                    match e {
                        b'"' => val.push('"'),
                        b'\\' => val.push('\\'),
                        b'/' => val.push('/'),
                        b'b' => val.push('\u{8}'),
                        b'f' => val.push('\u{c}'),
                        b'n' => val.push('\n'),
                        b'r' => val.push('\r'),
                        b't' => val.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi)
                                && self.b[self.i..].starts_with(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    0xFFFD
                                }
                            } else {
                                hi
                            };
                            val.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err(err(self.i - 2, "bad escape")),
                    }
                    run = self.i;
                }
                _ => self.i += 1,
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let h = self
            .t
            .get(self.i..self.i + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| err(self.i, "bad \\u escape"))?;
        self.i += 4;
        Ok(h)
    }
}

/// Masks a decoded JSON or JSONL document.
///
/// # Errors
///
/// [`Error::Format`] with the byte offset of a syntax error;
/// [`Error::Encoding`] from a base64 body that cannot be written back.
pub fn mask(
    masker: &Masker,
    text: &str,
    roles: &RoleMap,
    tally: &mut Tally,
) -> Result<String, Error> {
    let mut p = Parser {
        t: text,
        b: text.as_bytes(),
        i: 0,
        strings: Vec::new(),
        pending: 0,
        objects: 0,
        obj: 0,
        record: 0,
    };
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    let mut role_cache: RoleCache<'_> = HashMap::default();
    let mut b = Batch {
        masker,
        text,
        roles,
        role_cache: &mut role_cache,
        tally,
    };
    // Strings in batches, so memory stays bounded beyond the input.
    match masker.pool() {
        None => {
            p.batches(4 << 20, |strings| b.flush(strings, &mut out, &mut pos))?;
        }
        Some(pool) => {
            // This thread tokenizes and classifies batches of about 1 MiB
            // of strings; the pool scans them as text, at most
            // `2 × threads + 1` in flight; they are rendered and written
            // here in order.
            let max = pool.current_num_threads() * 2 + 1;
            let (tx, rx) = crossbeam_channel::unbounded::<Scanned<'_>>();
            let mut ord = Ordered::default();
            let mut sent = 0usize;
            pool.in_place_scope(|sc| {
                let r = p.batches(1 << 20, |strings| {
                    let prep = b.prepare(strings)?;
                    while sent - ord.written >= max && !ord.failed {
                        // A sender lives until its batch is sent back.
                        let Ok(done) = rx.recv() else { break };
                        ord.take(done, &mut b, &mut out, &mut pos);
                    }
                    if ord.failed {
                        return Err(err(0, "scanning a batch of strings panicked"));
                    }
                    let tx = tx.clone();
                    let k = sent;
                    sc.spawn(move |_| {
                        let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            super::find_in_fields_with(masker, &prep.fields(), false)
                        }));
                        let _ = tx.send((k, res, prep));
                    });
                    sent += 1;
                    Ok(())
                });
                while r.is_ok() && ord.written < sent && !ord.failed {
                    let Ok(done) = rx.recv() else { break };
                    ord.take(done, &mut b, &mut out, &mut pos);
                }
                r
            })?;
            if ord.failed || ord.written < sent {
                return Err(err(0, "scanning a batch of strings panicked"));
            }
        }
    }
    out.push_str(&text[pos..]);
    Ok(out)
}

impl<'a> Parser<'a> {
    /// Tokenizes every top-level value, handing the strings found to
    /// `emit` in batches of about `limit` bytes (the last one possibly
    /// empty).
    fn batches(
        &mut self,
        limit: usize,
        mut emit: impl FnMut(Vec<StrTok<'a>>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        loop {
            self.ws();
            if self.i >= self.b.len() {
                break;
            }
            self.value(None, 0)?;
            if self.pending >= limit {
                self.pending = 0;
                emit(std::mem::take(&mut self.strings))?;
            }
        }
        emit(std::mem::take(&mut self.strings))
    }
}

/// Key → role, with FNV-1a hashing (short keys, looked up once a string).
type RoleCache<'a> = HashMap<&'a str, Option<Role>, BuildHasherDefault<Fnv>>;

/// FNV-1a: fast for the short keys of JSON objects.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Masks collected strings and writes the text up to the last of them.
struct Batch<'a, 'b> {
    masker: &'b Masker,
    text: &'a str,
    roles: &'b RoleMap,
    role_cache: &'b mut RoleCache<'a>,
    tally: &'b mut Tally,
}

impl<'a> Batch<'a, '_> {
    fn flush(
        &mut self,
        strings: Vec<StrTok<'a>>,
        out: &mut String,
        pos: &mut usize,
    ) -> Result<(), Error> {
        let p = self.prepare(strings)?;
        let found = find_in_fields(self.masker, &p.fields());
        self.finish(p, found, out, pos);
        Ok(())
    }

    /// Masks strings by role, headers and base64 bodies; lists the others
    /// to scan as text.
    fn prepare(&mut self, strings: Vec<StrTok<'a>>) -> Result<Prepared<'a>, Error> {
        let (masker, text, roles) = (self.masker, self.text, self.roles);
        let mut new_vals: Vec<Option<String>> = vec![None; strings.len()];
        let mut text_idx: Vec<usize> = Vec::new();
        // Roles first: split keys and people are read object by object.
        let mut role_of: Vec<Option<Role>> = vec![None; strings.len()];
        for (n, s) in strings.iter().enumerate() {
            if s.keep || s.header.is_some() || s.value.trim().is_empty() {
                continue;
            }
            let key = s.key.as_ref().map(|k| &text[k.clone()]);
            let mut role =
                key.and_then(|k| *self.role_cache.entry(k).or_insert_with(|| roles.role(k)));
            // A bare "name" key names emoji, channels and files as often as
            // people: a person only when the value looks like a full name.
            // Speaker keys (`from`, `sender`) likewise.
            let bare = key.is_some_and(|k| k.eq_ignore_ascii_case("name"));
            let speaker = is_speaker_key(key);
            if (bare && role == Some(Role::Name) || speaker && role.is_none())
                && !looks_like_full_name(&s.value)
            {
                role = None;
            } else if speaker && role.is_none() {
                role = Some(Role::Name);
            }
            role_of[n] = role;
        }
        let tally = &mut *self.tally;
        let mut scratch = Scratch::default();
        let people = read_people(masker, text, &strings, &role_of, &mut scratch);
        for g in number_groups_of(text, &strings, &role_of) {
            let Some(r) = role_of[g[0]] else { continue };
            let Some(cat) = r.category() else { continue };
            let values: Vec<&str> = g.iter().map(|&n| &*strings[n].value).collect();
            if !split::are_pieces(&values) {
                continue;
            }
            let findings: Vec<Option<Finding>> =
                values.iter().map(|v| role_finding(r, v, None)).collect();
            let Some(rendered) =
                split::render_group(cat, masker.policy().action(cat), &values, &findings)
            else {
                continue;
            };
            for ((&n, f), new) in g.iter().zip(&findings).zip(rendered) {
                let Some(f) = f else { continue };
                locate(text, &strings[n], tally);
                tally.count(masker, f);
                new_vals[n] = new;
                role_of[n] = Some(Role::Keep);
            }
        }
        for (n, s) in strings.iter().enumerate() {
            if s.keep || s.value.trim().is_empty() {
                continue;
            }
            locate(text, s, tally);
            if let Some(h) = &s.header {
                // Display names and addresses are masked piece by piece.
                tally.at(&text.as_bytes()[s.range.clone()], false);
                new_vals[n] = email::mask_header_text(masker, h, &s.value, tally);
                continue;
            }
            let key = s.key.as_ref().map(|k| &text[k.clone()]);
            match role_of[n] {
                Some(Role::Keep) => {}
                Some(r) if r.category().is_some() => {
                    if r == Role::Name {
                        tally.person(&s.value);
                    }
                    let hint = people.hints.get(&n).cloned();
                    if let Some(f) = role_finding(r, &s.value, hint) {
                        new_vals[n] =
                            render_field(masker, &s.value, std::slice::from_ref(&f), tally);
                    }
                }
                _ => {
                    if let Some(k) = key.filter(|k| *k == "data" || *k == "raw") {
                        if let Some(b) = Base64::parse(&s.value) {
                            tally.at(&text.as_bytes()[s.range.clone()], false);
                            new_vals[n] = mask_base64(masker, &b, k == "raw", roles, tally)?;
                            continue;
                        }
                    }
                    text_idx.push(n);
                }
            }
        }
        Ok(Prepared {
            strings,
            new_vals,
            text_idx,
            terms: people.terms,
        })
    }

    /// Renders the text strings with their findings and writes the text up
    /// to the last string.
    fn finish(
        &mut self,
        p: Prepared<'a>,
        found: Vec<Vec<Finding>>,
        out: &mut String,
        pos: &mut usize,
    ) {
        let (masker, text) = (self.masker, self.text);
        let tally = &mut *self.tally;
        let Prepared {
            strings,
            mut new_vals,
            text_idx,
            terms,
        } = p;
        let mut scratch = Scratch::default();
        for (&n, mut fs) in text_idx.iter().zip(found) {
            if let Some(ts) = terms.get(&strings[n].record) {
                // The record's people in its free text.
                sweep_record(
                    masker,
                    &[&*strings[n].value],
                    std::slice::from_mut(&mut fs),
                    ts,
                    &mut scratch,
                );
            }
            if !fs.is_empty() {
                locate(text, &strings[n], tally);
                new_vals[n] = render_field(masker, &strings[n].value, &fs, tally);
            }
        }
        for (s, v) in strings.iter().zip(&new_vals) {
            let Some(v) = v else { continue };
            out.push_str(&text[*pos..s.range.start]);
            let orig = &text[s.range.clone()];
            write_string(v, orig.contains("\\u"), orig.contains("\\/"), out);
            *pos = s.range.end;
        }
    }
}

/// Strings of a batch after [`Batch::prepare`].
struct Prepared<'a> {
    strings: Vec<StrTok<'a>>,
    new_vals: Vec<Option<String>>,
    /// Strings to scan as text.
    text_idx: Vec<usize>,
    /// The names of each record's name keys, as document terms.
    terms: HashMap<u32, Vec<DocTerm>>,
}

impl Prepared<'_> {
    fn fields(&self) -> Vec<&str> {
        self.text_idx
            .iter()
            .map(|&n| &*self.strings[n].value)
            .collect()
    }
}

/// A batch scanned on the pool: its number, findings (or the panic), and
/// the batch.
type Scanned<'a> = (usize, std::thread::Result<Vec<Vec<Finding>>>, Prepared<'a>);

/// Batches scanned out of order, rendered and written in order.
#[derive(Default)]
struct Ordered<'a> {
    pending: std::collections::BTreeMap<usize, (Vec<Vec<Finding>>, Prepared<'a>)>,
    written: usize,
    failed: bool,
}

impl<'a> Ordered<'a> {
    fn take(
        &mut self,
        (k, res, p): Scanned<'a>,
        b: &mut Batch<'a, '_>,
        out: &mut String,
        pos: &mut usize,
    ) {
        match res {
            Ok(found) => {
                self.pending.insert(k, (found, p));
            }
            Err(_) => self.failed = true,
        }
        while let Some((found, p)) = self.pending.remove(&self.written) {
            b.finish(p, found, out, pos);
            self.written += 1;
        }
    }
}

/// Tells a scan where a string is: its value when it has no escapes, else
/// the start of its token.
fn locate(text: &str, s: &StrTok<'_>, tally: &mut Tally) {
    if tally.locating_now() {
        match &s.value {
            Cow::Borrowed(v) => tally.at(v.as_bytes(), true),
            Cow::Owned(_) => tally.at(&text.as_bytes()[s.range.clone()], false),
        }
    }
}

/// Keys that name who wrote or sent something (chat exports): a person
/// when the value looks like a full name.
const SPEAKER_KEYS: [&str; 4] = ["from", "sender", "speaker", "author"];

fn is_speaker_key(key: Option<&str>) -> bool {
    key.is_some_and(|k| SPEAKER_KEYS.iter().any(|w| k.eq_ignore_ascii_case(w)))
}

/// The raw key of a string, if any.
fn key_of<'t>(text: &'t str, s: &StrTok<'_>) -> Option<&'t str> {
    s.key.as_ref().map(|k| &text[k.clone()])
}

/// What the name keys of each object say (see [`super::seed`]).
#[derive(Default)]
struct People {
    /// Initials by string, for name strings.
    hints: HashMap<usize, String>,
    /// The names' forms by record.
    terms: HashMap<u32, Vec<DocTerm>>,
}

/// Reads the people of every object: its name keys grouped by stem
/// (`last_name` + `first_name`, `user_name`), with the reading keys of the
/// same stem and part (`last_name_kana`, `user_name_kana`).
fn read_people(
    masker: &Masker,
    text: &str,
    strings: &[StrTok<'_>],
    role_of: &[Option<Role>],
    scratch: &mut Scratch,
) -> People {
    let mut people = People::default();
    if !masker.policy().enabled(crate::span::Category::Name) {
        return people;
    }
    let mut cache: HashMap<String, super::seed::PersonRead> = HashMap::new();
    // The strings of each object, objects in order of their first string.
    let mut objects: Vec<(u32, Vec<usize>)> = Vec::new();
    let mut slot: HashMap<u32, usize> = HashMap::new();
    for (n, s) in strings.iter().enumerate() {
        if s.obj == 0 || !matches!(role_of[n], Some(Role::Name | Role::Reading)) {
            continue;
        }
        let k = *slot.entry(s.obj).or_insert_with(|| {
            objects.push((s.obj, Vec::new()));
            objects.len() - 1
        });
        objects[k].1.push(n);
    }
    for (_, members) in objects {
        let of_role = |r: Role| -> Vec<usize> {
            members
                .iter()
                .copied()
                .filter(|&m| role_of[m] == Some(r) && !strings[m].value.trim().is_empty())
                .collect()
        };
        let names = of_role(Role::Name);
        if names.is_empty() {
            continue;
        }
        let readings = of_role(Role::Reading);
        // Header parts over every string of the batch, by index.
        let parts: HashMap<usize, split::HeaderParts> = names
            .iter()
            .chain(&readings)
            .map(|&m| {
                (
                    m,
                    split::parse_header(key_of(text, &strings[m]).unwrap_or("")),
                )
            })
            .collect();
        let local: Vec<split::HeaderParts> = names
            .iter()
            .chain(&readings)
            .map(|m| parts[m].clone())
            .collect();
        let li: Vec<usize> = (0..names.len()).collect();
        let lr: Vec<usize> = (names.len()..local.len()).collect();
        let paired = split::pair_by_part(&local, &li, &lr);
        let all = |i: usize| {
            if i < names.len() {
                names[i]
            } else {
                readings[i - names.len()]
            }
        };
        for person in split::persons(&local, &li) {
            let vals: Vec<&str> = person.iter().map(|&i| &*strings[all(i)].value).collect();
            let reads: Option<Vec<&str>> = person
                .iter()
                .map(|i| paired.get(i).map(|r| &*strings[all(r[0])].value))
                .collect();
            let sender =
                person.len() == 1 && is_speaker_key(key_of(text, &strings[all(person[0])]));
            // One read per distinct person a batch (records repeat names).
            let mut key = vals.join("\u{1}");
            key.push(if sender { '\u{3}' } else { '\u{2}' });
            key.push_str(&reads.as_deref().unwrap_or_default().join("\u{1}"));
            let read = cache.entry(key).or_insert_with(|| {
                if sender {
                    read_sender(masker, vals[0], scratch)
                } else {
                    read_person(masker, &vals, reads.as_deref(), scratch)
                }
            });
            for (&i, h) in person.iter().zip(read.hints.iter().cloned()) {
                let m = all(i);
                let hint = match paired.get(&i) {
                    Some(r) => kana::initials(&strings[all(r[0])].value).unwrap_or(h),
                    None if kana::is_reading(&strings[m].value) => continue,
                    None => h,
                };
                people.hints.insert(m, hint);
            }
            people
                .terms
                .entry(strings[all(person[0])].record)
                .or_default()
                .extend(read.terms.iter().cloned());
        }
    }
    people
}

/// Phone and postal-code keys of one object that hold one value together
/// (`tel1`, `tel2`, `tel3`), in order.
fn number_groups_of(
    text: &str,
    strings: &[StrTok<'_>],
    role_of: &[Option<Role>],
) -> Vec<Vec<usize>> {
    let mut groups: HashMap<(u32, String, Role), Vec<(u8, usize)>> = HashMap::new();
    for (n, s) in strings.iter().enumerate() {
        let Some(r) = role_of[n].filter(|r| matches!(r, Role::Phone | Role::PostalCode)) else {
            continue;
        };
        let Some(k) = &s.key else { continue };
        let p = split::parse_header(&text[k.clone()]);
        if let split::Part::Index(i) = p.part {
            groups.entry((s.obj, p.stem, r)).or_default().push((i, n));
        }
    }
    let mut out: Vec<Vec<usize>> = groups
        .into_values()
        .filter(|v| v.len() > 1)
        .map(|mut v| {
            v.sort_unstable();
            v.into_iter().map(|(_, n)| n).collect()
        })
        .collect();
    out.sort_unstable();
    out
}

/// Letters only (any script), with a space or a non-ASCII letter.
fn looks_like_full_name(v: &str) -> bool {
    let v = v.trim();
    v.chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '\u{3000}' | '.' | '・' | '-' | 'ー'))
        && (v.contains([' ', '\u{3000}']) || v.chars().any(|c| c.is_alphabetic() && !c.is_ascii()))
}

/// A base64url value (Gmail `data`/`raw`).
struct Base64 {
    bytes: Vec<u8>,
    padded: bool,
}

impl Base64 {
    fn parse(v: &str) -> Option<Base64> {
        if v.len() < 8
            || !v
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
        {
            return None;
        }
        let padded = v.ends_with('=');
        let bytes = if padded {
            URL_SAFE.decode(v).ok()?
        } else {
            URL_SAFE_NO_PAD.decode(v).ok()?
        };
        Some(Base64 { bytes, padded })
    }

    fn encode(&self, bytes: &[u8]) -> String {
        if self.padded {
            URL_SAFE.encode(bytes)
        } else {
            URL_SAFE_NO_PAD.encode(bytes)
        }
    }
}

fn mask_base64(
    masker: &Masker,
    b: &Base64,
    raw_message: bool,
    roles: &RoleMap,
    tally: &mut Tally,
) -> Result<Option<String>, Error> {
    let masked = if raw_message {
        email::mask_message(masker, &b.bytes, roles, tally)?
    } else {
        let Ok(dec) = encoding::decode(&b.bytes) else {
            // Not text in a known encoding: an opaque attachment, kept out.
            tally.note("json: a base64 `data` value that is not text was replaced".into());
            return Ok(Some(String::new()));
        };
        if dec.text.contains('\0') {
            tally.note("json: a base64 `data` value that is not text was replaced".into());
            return Ok(Some(String::new()));
        }
        let Some(t) = super::mask_field(masker, &dec.text, tally) else {
            return Ok(None);
        };
        encoding::encode(&t, dec.charset, dec.bom)?
    };
    if masked == b.bytes {
        return Ok(None);
    }
    Ok(Some(b.encode(&masked)))
}

/// Writes `v` as a JSON string token.
fn write_string(v: &str, ascii: bool, slash: bool, out: &mut String) {
    use std::fmt::Write;
    out.push('"');
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if slash => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ascii && !c.is_ascii()) => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{u:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> String {
        let m = Masker::builder().threads(1).build().unwrap();
        let mut t = Tally::default();
        mask(&m, text, &RoleMap::default(), &mut t).unwrap()
    }

    #[test]
    fn untouched_documents_are_byte_identical() {
        let t = "{\"a\" : [1, -2.5e3, true, null, \"x\\u00e9\\/\\n\"], \"b\":{}}\n{\"c\":\"d\"}\n";
        assert_eq!(run(t), t);
    }

    #[test]
    fn values_by_key_and_text() {
        let t = r#"{"user_profile":{"real_name":"ヤマダ タロウ","email":"taro.yamada@example.co.jp"},"text":"TEL 090-1234-5678","n":1}"#;
        assert_eq!(
            run(t),
            r#"{"user_profile":{"real_name":"Y.T.","email":"*******mada@example.co.jp"},"text":"TEL ***-****-5678","n":1}"#
        );
    }

    #[test]
    fn escape_style_is_kept() {
        let t = r#"{"text":"\u96fb\u8a71 090-1234-5678 http:\/\/x"}"#;
        assert_eq!(
            run(t),
            r#"{"text":"\u96fb\u8a71 ***-****-5678 http:\/\/x"}"#
        );
    }

    #[test]
    fn gmail_headers_and_bodies() {
        let body = URL_SAFE.encode("電話 090-1234-5678 です".as_bytes());
        let t = format!(
            r#"{{"payload":{{"headers":[{{"name":"From","value":"Taro Yamada <taro.yamada@example.co.jp>"}},{{"name":"Subject","value":"hi"}}],"body":{{"data":"{body}"}}}}}}"#
        );
        let out = run(&t);
        assert!(out.contains(r#""name":"From""#), "{out}");
        assert!(!out.contains("taro.yamada"), "{out}");
        assert!(!out.contains("Taro Yamada"), "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let data = v["payload"]["body"]["data"].as_str().unwrap();
        let dec = String::from_utf8(URL_SAFE.decode(data).unwrap()).unwrap();
        assert_eq!(dec, "電話 ***-****-5678 です");
    }

    #[test]
    fn syntax_errors_name_the_offset() {
        let m = Masker::builder().threads(1).build().unwrap();
        let e = mask(
            &m,
            "{\"a\": tru}",
            &RoleMap::default(),
            &mut Tally::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("byte 6"), "{e}");
        let e = mask(
            &m,
            "{\"a\": \"x\ny\"}",
            &RoleMap::default(),
            &mut Tally::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("control character"), "{e}");
        assert!(mask(&m, "[\"abc", &RoleMap::default(), &mut Tally::default()).is_err());
    }
}
