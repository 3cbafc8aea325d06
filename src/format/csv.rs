//! CSV and TSV: parsed with the `csv` crate; each cell is masked by its
//! column's role (from the header) or scanned as text; rows with no change
//! are copied byte for byte, changed rows are rebuilt from the original
//! bytes of their untouched cells (same quoting, delimiter and line ending).
//!
//! Header row: the first record is a header when one of its cells names a
//! role (`dictionaries/csv_headers.tsv`, plus `--columns`); it is then kept
//! as is. Otherwise every row, the first included, is scanned as text.
//!
//! Name columns get initials from their reading column when there is one
//! (`注文者名字` ↔ `注文者名字フリガナ`, `Given Name` ↔ `Given Name Yomi`; else
//! paired in order), address columns follow the `address` rule (with the
//! `prefecture` rule and a prefecture column present they become empty),
//! and adjacent name columns count as one person for the roster guard.

use std::borrow::Cow;
use std::ops::Range;

use std::collections::HashMap;

use super::roles::{normalize_header, prefecture_of, Role, RoleMap};
use super::seed::{read_person, sweep_record, PersonRead};
use super::split::{
    are_pieces, number_groups, pair_by_part, parse_header, persons, render_group, HeaderParts, Part,
};
use super::{find_in_fields_with, render_field, role_finding, Tally};
use crate::error::Error;
use crate::masker::{Masker, Scratch};
use crate::policy::Action;
use crate::span::{Category, Finding};

/// Masks a decoded CSV (`delim` `b','`) or TSV (`b'\t'`) document.
///
/// # Errors
///
/// [`Error::Format`] when the parsing thread fails (it cannot fail on
/// valid UTF-8: every byte string is some CSV).
pub fn mask(
    masker: &Masker,
    text: &str,
    delim: u8,
    roles: &RoleMap,
    tally: &mut Tally,
) -> Result<String, Error> {
    let mut rows = Reader::new(text, delim);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut first = Vec::new();
    let Some(first_range) = rows.read(&mut first) else {
        return Ok(text.to_string());
    };
    let layout = Layout::new(masker, &first, roles);
    let mut batch = RowBatch::default();
    if layout.has_header {
        out.push_str(&text[..first_range.end]);
        batch.from = first_range.end;
    } else {
        batch.push(first_range, first.drain(..));
    }
    let mut last_end = batch.from.max(batch.rows.last().map_or(0, |r| r.range.end));
    // Rows in batches of about 1 MiB. With a thread pool, this thread reads
    // a batch (cheap) and hands it to the pool; batches are masked in
    // parallel, each into its own string and tally, and written in order
    // as they complete. At most `2 × threads + 1` batches are in flight:
    // bounded memory beyond input and output, no barrier between groups.
    match masker.pool() {
        None => loop {
            let more = rows.fill(&mut batch, &mut last_end);
            let mut t = tally.child();
            layout.emit(masker, text, &batch, delim, &mut t, &mut out, true);
            tally.merge(t);
            if !more {
                break;
            }
            batch.clear(last_end);
        },
        Some(pool) => {
            let max = pool.current_num_threads() * 2 + 1;
            let (tx, rx) = crossbeam_channel::unbounded::<Done<'_>>();
            let proto = tally.child();
            let mut ord = Ordered::default();
            let mut sent = 0usize;
            pool.in_place_scope(|sc| {
                loop {
                    let more = rows.fill(&mut batch, &mut last_end);
                    while sent - ord.written >= max && !ord.failed {
                        // A sender lives until its batch is sent back.
                        let Ok(done) = rx.recv() else { break };
                        ord.take(done, &mut out, tally);
                    }
                    let next = ord.spare.pop().unwrap_or_default();
                    let b = std::mem::replace(&mut batch, next);
                    batch.clear(last_end);
                    let (tx, layout, proto) = (tx.clone(), &layout, &proto);
                    let k = sent;
                    sc.spawn(move |_| {
                        let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            let mut t = proto.child();
                            let mut o = String::with_capacity(
                                b.rows
                                    .last()
                                    .map_or(0, |r| r.range.end)
                                    .saturating_sub(b.from)
                                    + 64,
                            );
                            layout.emit(masker, text, &b, delim, &mut t, &mut o, false);
                            (o, t)
                        }));
                        let _ = tx.send((k, res, b));
                    });
                    sent += 1;
                    if !more || ord.failed {
                        break;
                    }
                }
                while ord.written < sent && !ord.failed {
                    let Ok(done) = rx.recv() else { break };
                    ord.take(done, &mut out, tally);
                }
            });
            if ord.failed || ord.written < sent {
                return Err(Error::Format {
                    format: if delim == b'\t' { "tsv" } else { "csv" },
                    message: "masking a batch of rows panicked".into(),
                });
            }
        }
    }
    out.push_str(&text[last_end..]);
    Ok(out)
}

/// A batch masked on the pool: its number, its output and tally (or the
/// panic), and the batch itself to reuse.
type Done<'a> = (usize, std::thread::Result<(String, Tally)>, RowBatch<'a>);

/// Batches masked out of order, written in order.
#[derive(Default)]
struct Ordered<'a> {
    pending: std::collections::BTreeMap<usize, (String, Tally)>,
    written: usize,
    failed: bool,
    spare: Vec<RowBatch<'a>>,
}

impl<'a> Ordered<'a> {
    /// Takes one finished batch and writes every batch next in order.
    fn take(&mut self, (k, res, b): Done<'a>, out: &mut String, tally: &mut Tally) {
        self.spare.push(b);
        match res {
            Ok(r) => {
                self.pending.insert(k, r);
            }
            Err(_) => self.failed = true,
        }
        while let Some((o, t)) = self.pending.remove(&self.written) {
            out.push_str(&o);
            tally.merge(t);
            self.written += 1;
        }
    }
}

/// One field of a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell<'a> {
    /// The field's bytes in the text, quotes included, delimiter and line
    /// ending excluded.
    pub raw: Range<usize>,
    /// The field's value: quotes removed, `""` read as `"`. Borrowed from
    /// the text unless the field holds an escaped quote or text after its
    /// closing quote.
    pub value: Cow<'a, str>,
}

/// A zero-copy reader of CSV/TSV records over decoded text, with the byte
/// range of every record and field.
///
/// It reads exactly as the `csv` crate does with its defaults (`"` quotes,
/// `""` escapes, `\r`, `\n` or `\r\n` ends a record, blank lines skipped,
/// records of any length, no comments): text after a closing quote belongs
/// to the field (`"a"b` is `ab`), a quote inside an unquoted field is an
/// ordinary character, an unterminated quote runs to the end of the input.
/// Every string is some CSV, so reading never fails. (A property test
/// checks it against the `csv` crate.)
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    text: &'a str,
    i: usize,
    delim: u8,
}

impl<'a> Reader<'a> {
    /// A reader of `text` with the field delimiter `delim`.
    pub fn new(text: &'a str, delim: u8) -> Reader<'a> {
        Reader { text, i: 0, delim }
    }

    /// Reads the next record: appends its fields to `cells` and returns its
    /// byte range (from its first byte to the end of its line ending, one
    /// `\r\n`, `\r` or `\n`); `None` at the end of the input.
    pub fn read(&mut self, cells: &mut Vec<Cell<'a>>) -> Option<Range<usize>> {
        let t = self.text;
        let b = t.as_bytes();
        let d = self.delim;
        let mut i = self.i;
        while i < b.len() && matches!(b[i], b'\r' | b'\n') {
            i += 1;
        }
        if i >= b.len() {
            self.i = i;
            return None;
        }
        let start = i;
        loop {
            let fs = i;
            let value = if b.get(i) == Some(&b'"') {
                i += 1;
                // `run` starts the part not yet copied into `owned`.
                let mut owned: Option<String> = None;
                let mut run = i;
                let mut tail = None;
                let content_end = loop {
                    let Some(off) = memchr::memchr(b'"', &b[i..]) else {
                        // Unterminated: the field runs to the end.
                        i = b.len();
                        break i;
                    };
                    let q = i + off;
                    if b.get(q + 1) == Some(&b'"') {
                        owned.get_or_insert_with(String::new).push_str(&t[run..=q]);
                        i = q + 2;
                        run = i;
                        continue;
                    }
                    // Text after the closing quote belongs to the field.
                    i = q + 1;
                    let e = i + memchr::memchr3(d, b'\r', b'\n', &b[i..]).unwrap_or(b.len() - i);
                    if e > i {
                        tail = Some(i..e);
                        i = e;
                    }
                    break q;
                };
                match (owned, tail) {
                    (None, None) => Cow::Borrowed(&t[run..content_end]),
                    (owned, tail) => {
                        let mut o = owned.unwrap_or_default();
                        o.push_str(&t[run..content_end]);
                        if let Some(r) = tail {
                            o.push_str(&t[r]);
                        }
                        Cow::Owned(o)
                    }
                }
            } else {
                let e = i + memchr::memchr3(d, b'\r', b'\n', &b[i..]).unwrap_or(b.len() - i);
                let v = &t[i..e];
                i = e;
                Cow::Borrowed(v)
            };
            cells.push(Cell { raw: fs..i, value });
            if i < b.len() && b[i] == d {
                i += 1;
                continue;
            }
            break;
        }
        if i < b.len() {
            if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                i += 2;
            } else {
                i += 1;
            }
        }
        self.i = i;
        Some(start..i)
    }

    /// Reads rows into `batch` until it holds about 1 MiB; false when the
    /// input is done. `last_end` follows the end of the last row read.
    fn fill(&mut self, batch: &mut RowBatch<'a>, last_end: &mut usize) -> bool {
        let mut bytes = 0;
        while bytes < 1 << 20 {
            let Some(range) = self.read(&mut batch.cells) else {
                return false;
            };
            bytes += range.len();
            *last_end = range.end;
            let cells = batch.rows.last().map_or(0, |r| r.cells.end)..batch.cells.len();
            batch.rows.push(Row { range, cells });
        }
        true
    }
}

/// One record of a batch: its byte range and its cells in the batch.
#[derive(Clone, Debug)]
struct Row {
    range: Range<usize>,
    cells: Range<usize>,
}

/// Consecutive rows; `from` is where the text before its first row starts.
#[derive(Default)]
struct RowBatch<'a> {
    from: usize,
    rows: Vec<Row>,
    cells: Vec<Cell<'a>>,
}

impl<'a> RowBatch<'a> {
    /// Empties the batch for rows after `from`.
    fn clear(&mut self, from: usize) {
        self.from = from;
        self.rows.clear();
        self.cells.clear();
    }

    fn push(&mut self, range: Range<usize>, cells: impl Iterator<Item = Cell<'a>>) {
        let s = self.cells.len();
        self.cells.extend(cells);
        self.rows.push(Row {
            range,
            cells: s..self.cells.len(),
        });
    }
}

/// What the header row says about the columns.
struct Layout {
    has_header: bool,
    col_roles: Vec<Option<Role>>,
    name_cols: Vec<usize>,
    readings_for: HashMap<usize, Vec<usize>>,
    /// Phone and postal-code columns that hold one value together
    /// (`電話番号1/2/3`), in order.
    number_groups: Vec<Vec<usize>>,
    /// The name columns of each person (`注文者姓`, `注文者名`), family name
    /// first.
    persons: Vec<Vec<usize>>,
    has_prefecture: bool,
    address_action: Action,
    /// Whether names are detected at all (else nothing to seed).
    names_on: bool,
}

impl Layout {
    fn new(masker: &Masker, first: &[Cell<'_>], roles: &RoleMap) -> Layout {
        let mut col_roles: Vec<Option<Role>> = first.iter().map(|c| roles.role(&c.value)).collect();
        let has_header = col_roles.iter().any(Option::is_some);
        let parts: Vec<HeaderParts> = if has_header {
            first.iter().map(|c| parse_header(&c.value)).collect()
        } else {
            col_roles.clear();
            Vec::new()
        };
        name_part_roles(&parts, &mut col_roles);
        let headers: Vec<String> = if has_header {
            first.iter().map(|c| normalize_header(&c.value)).collect()
        } else {
            Vec::new()
        };
        let cols = |r: Role| -> Vec<usize> {
            (0..col_roles.len())
                .filter(|&c| col_roles[c] == Some(r))
                .collect()
        };
        let name_cols = cols(Role::Name);
        let readings = cols(Role::Reading);
        let mut readings_for = pair_by_part(&parts, &name_cols, &readings);
        let unpaired: Vec<usize> = name_cols
            .iter()
            .copied()
            .filter(|c| !readings_for.contains_key(c))
            .collect();
        let free: Vec<usize> = readings
            .iter()
            .copied()
            .filter(|r| !readings_for.values().any(|v| v.contains(r)))
            .collect();
        readings_for.extend(pair_readings(&headers, &unpaired, &free));
        Layout {
            has_header,
            has_prefecture: !cols(Role::Prefecture).is_empty(),
            number_groups: number_groups(&parts, &col_roles, &[Role::Phone, Role::PostalCode]),
            persons: persons(&parts, &name_cols),
            col_roles,
            name_cols,
            readings_for,
            address_action: masker.policy().action(Category::Address).clone(),
            names_on: masker.policy().enabled(Category::Name),
        }
    }

    fn role_at(&self, c: usize) -> Option<Role> {
        self.col_roles.get(c).copied().flatten()
    }

    /// Masks and writes a batch of data rows, with the text before each.
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &self,
        masker: &Masker,
        text: &str,
        batch: &RowBatch<'_>,
        delim: u8,
        tally: &mut Tally,
        out: &mut String,
        parallel: bool,
    ) {
        let cells = &batch.cells;
        // Text cells (by index in `cells`), scanned in batches.
        let mut text_cells: Vec<usize> = Vec::new();
        let mut fields: Vec<&str> = Vec::new();
        for row in &batch.rows {
            for (c, k) in row.cells.clone().enumerate() {
                let v: &str = &cells[k].value;
                if matches!(self.role_at(c), None | Some(Role::Text)) && !v.trim_ascii().is_empty()
                {
                    text_cells.push(k);
                    fields.push(v);
                }
            }
        }
        let found = find_in_fields_with(masker, &fields, parallel);
        let mut found_iter = text_cells.iter().zip(found).peekable();
        let mut new_cells: Vec<Option<String>> = Vec::new();
        let mut done: Vec<bool> = Vec::new();
        let mut hints: HashMap<usize, String> = HashMap::new();
        let mut terms = Vec::new();
        let mut scratch = Scratch::default();
        let mut people = HashMap::new();
        let mut copied_to = batch.from;
        for row in &batch.rows {
            out.push_str(&text[copied_to..row.range.start]);
            copied_to = row.range.end;
            let rec = &cells[row.cells.clone()];
            new_cells.clear();
            new_cells.resize(rec.len(), None);
            done.clear();
            done.resize(rec.len(), false);
            self.roster(rec, tally);
            self.people(
                masker,
                rec,
                &mut hints,
                &mut terms,
                &mut people,
                &mut scratch,
            );
            for g in &self.number_groups {
                self.number_group(masker, text, g, rec, tally, &mut new_cells, &mut done);
            }
            if !self.col_roles.is_empty() {
                for (c, cell) in rec.iter().enumerate() {
                    let Some(role) = self.role_at(c).filter(|_| !done[c]) else {
                        continue;
                    };
                    let v: &str = &cell.value;
                    if let Some(f) = role_finding(role, v, self.hint(role, c, v, rec, &hints)) {
                        locate(text, cell, tally);
                        new_cells[c] = render_field(masker, v, std::slice::from_ref(&f), tally);
                    }
                }
            }
            let mut row_found: Vec<(usize, Vec<Finding>)> = Vec::new();
            while let Some((&k, _)) = found_iter.peek() {
                if k >= row.cells.end {
                    break;
                }
                let Some((&k, fs)) = found_iter.next() else {
                    break;
                };
                row_found.push((k, fs));
            }
            if !terms.is_empty() {
                // The row's people in its free text.
                let vals: Vec<&str> = row_found.iter().map(|(k, _)| &*cells[*k].value).collect();
                let mut fs: Vec<Vec<Finding>> = row_found
                    .iter_mut()
                    .map(|(_, f)| std::mem::take(f))
                    .collect();
                sweep_record(masker, &vals, &mut fs, &terms, &mut scratch);
                for ((_, slot), f) in row_found.iter_mut().zip(fs) {
                    *slot = f;
                }
            }
            for (k, fs) in row_found {
                if !fs.is_empty() {
                    locate(text, &cells[k], tally);
                    new_cells[k - row.cells.start] =
                        render_field(masker, &cells[k].value, &fs, tally);
                }
            }
            if new_cells.iter().all(Option::is_none) {
                out.push_str(&text[row.range.clone()]);
            } else {
                rebuild_row(text, row, rec, &new_cells, delim, out);
            }
        }
    }

    /// Reads the row's people (see [`super::seed`]): initials for name
    /// columns without a reading column into `hints` (by column), and the
    /// names' forms into `terms`.
    fn people(
        &self,
        masker: &Masker,
        rec: &[Cell<'_>],
        hints: &mut HashMap<usize, String>,
        terms: &mut Vec<crate::detect::DocTerm>,
        cache: &mut HashMap<String, PersonRead>,
        scratch: &mut Scratch,
    ) {
        hints.clear();
        terms.clear();
        if !self.names_on {
            return;
        }
        for person in &self.persons {
            let filled: Vec<usize> = person
                .iter()
                .copied()
                .filter(|&c| rec.get(c).is_some_and(|x| !x.value.trim().is_empty()))
                .collect();
            if filled.is_empty() {
                continue;
            }
            let parts: Vec<&str> = filled.iter().map(|&c| &*rec[c].value).collect();
            let readings: Option<Vec<String>> = filled
                .iter()
                .map(|c| {
                    let rs = self.readings_for.get(c)?;
                    let joined: Vec<&str> = rs
                        .iter()
                        .map(|&rc| rec.get(rc).map_or("", |x| x.value.trim()))
                        .filter(|r| !r.is_empty())
                        .collect();
                    (!joined.is_empty()).then(|| joined.join(" "))
                })
                .collect();
            let readings: Option<Vec<&str>> = readings
                .as_ref()
                .map(|v| v.iter().map(String::as_str).collect());
            // The same person often comes twice in a row (orderer and
            // recipient) and again in later rows: read once a batch.
            let mut key = parts.join("\u{1}");
            key.push('\u{2}');
            key.push_str(&readings.as_deref().unwrap_or_default().join("\u{1}"));
            let read = cache
                .entry(key)
                .or_insert_with(|| read_person(masker, &parts, readings.as_deref(), scratch));
            for (c, h) in filled.into_iter().zip(&read.hints) {
                hints.insert(c, h.clone());
            }
            terms.extend(read.terms.iter().cloned());
        }
    }

    /// Masks the cells of one phone or postal-code group as one number
    /// when they hold its pieces (see [`super::split`]).
    #[allow(clippy::too_many_arguments)]
    fn number_group(
        &self,
        masker: &Masker,
        text: &str,
        group: &[usize],
        rec: &[Cell<'_>],
        tally: &mut Tally,
        new_cells: &mut [Option<String>],
        done: &mut [bool],
    ) {
        let Some(role) = group.first().and_then(|&c| self.role_at(c)) else {
            return;
        };
        let Some(cat) = role.category() else { return };
        let values: Vec<&str> = group
            .iter()
            .map(|&c| rec.get(c).map_or("", |x| &*x.value))
            .collect();
        if !are_pieces(&values) {
            return;
        }
        let findings: Vec<Option<Finding>> =
            values.iter().map(|v| role_finding(role, v, None)).collect();
        let Some(rendered) = render_group(cat, masker.policy().action(cat), &values, &findings)
        else {
            return;
        };
        for ((&c, f), new) in group.iter().zip(&findings).zip(rendered) {
            let Some(f) = f else { continue };
            locate(text, &rec[c], tally);
            tally.count(masker, f);
            new_cells[c] = new;
            done[c] = true;
        }
    }

    /// Roster: adjacent name columns are one person.
    fn roster(&self, rec: &[Cell<'_>], tally: &mut Tally) {
        if self.name_cols.is_empty() {
            return;
        }
        let mut person = String::new();
        let mut last: Option<usize> = None;
        for &c in &self.name_cols {
            let v = rec.get(c).map_or("", |x| &x.value).trim();
            if last.is_some_and(|l| l + 1 != c) {
                tally.person(&person);
                person.clear();
            }
            if !v.is_empty() {
                person.push_str(v);
                person.push(' ');
            }
            last = Some(c);
        }
        tally.person(&person);
    }

    fn hint(
        &self,
        role: Role,
        c: usize,
        cell: &str,
        rec: &[Cell<'_>],
        people: &HashMap<usize, String>,
    ) -> Option<String> {
        match role {
            Role::Name => self
                .readings_for
                .get(&c)
                .and_then(|rs| {
                    let joined: Vec<&str> = rs
                        .iter()
                        .map(|&rc| rec.get(rc).map_or("", |x| &x.value))
                        .collect();
                    super::kana::initials(&joined.join(" "))
                })
                .or_else(|| {
                    (!super::kana::is_reading(cell))
                        .then(|| people.get(&c).cloned())
                        .flatten()
                }),
            Role::Address if self.address_action == Action::Prefecture => {
                if self.has_prefecture {
                    Some(String::new())
                } else {
                    prefecture_of(cell).map(str::to_string)
                }
            }
            _ => None,
        }
    }
}

/// Name columns known by their part only: `注文者姓` is a family name
/// wherever it comes, `注文者名` a given name when the same stem has a
/// family-name column (so `商品名` stays a product).
fn name_part_roles(parts: &[HeaderParts], roles: &mut [Option<Role>]) {
    for c in 0..parts.len().min(roles.len()) {
        if roles[c].is_some() {
            continue;
        }
        let p = &parts[c];
        let family_beside = || {
            parts
                .iter()
                .any(|q| q.stem == p.stem && q.part == Part::Family && q.reading == p.reading)
        };
        let named = match p.part {
            Part::Family => true,
            Part::Given => family_beside(),
            _ => false,
        };
        if named {
            roles[c] = Some(if p.reading { Role::Reading } else { Role::Name });
        }
    }
}

/// For each name column, the reading columns that give its initials.
fn pair_readings(
    headers: &[String],
    names: &[usize],
    readings: &[usize],
) -> HashMap<usize, Vec<usize>> {
    let mut m = HashMap::new();
    if readings.is_empty() {
        return m;
    }
    let mut unpaired = Vec::new();
    for &n in names {
        let h = &headers[n];
        let by_prefix: Vec<usize> = readings
            .iter()
            .copied()
            .filter(|&r| !h.is_empty() && headers[r].starts_with(h.as_str()))
            .collect();
        if by_prefix.len() == 1 {
            m.insert(n, by_prefix);
        } else {
            unpaired.push(n);
        }
    }
    if unpaired.len() == names.len() {
        if names.len() == readings.len() {
            for (n, r) in names.iter().zip(readings) {
                m.insert(*n, vec![*r]);
            }
        } else if names.len() == 1 {
            m.insert(names[0], readings.to_vec());
        }
    }
    m
}

/// Tells a scan where `cell` is: its value when read in place, else the
/// start of its raw field.
fn locate(text: &str, cell: &Cell<'_>, tally: &mut Tally) {
    if tally.locating_now() {
        match &cell.value {
            Cow::Borrowed(v) => tally.at(v.as_bytes(), true),
            Cow::Owned(_) => tally.at(&text.as_bytes()[cell.raw.clone()], false),
        }
    }
}

/// Writes a row with its changed cells re-quoted (quoted again when the
/// original was) and every other cell, delimiter and the line ending as
/// they were.
fn rebuild_row(
    text: &str,
    row: &Row,
    rec: &[Cell<'_>],
    new_cells: &[Option<String>],
    delim: u8,
    out: &mut String,
) {
    let mut pos = row.range.start;
    for (cell, new) in rec.iter().zip(new_cells) {
        let Some(v) = new else { continue };
        out.push_str(&text[pos..cell.raw.start]);
        let was_quoted = text.as_bytes().get(cell.raw.start) == Some(&b'"') && !cell.raw.is_empty();
        write_cell(v, delim, was_quoted, out);
        pos = cell.raw.end;
    }
    out.push_str(&text[pos..row.range.end]);
}

fn write_cell(v: &str, delim: u8, force_quote: bool, out: &mut String) {
    let needs = force_quote
        || v.bytes()
            .any(|b| b == delim || b == b'"' || b == b'\n' || b == b'\r');
    if !needs {
        out.push_str(v);
        return;
    }
    out.push('"');
    for ch in v.chars() {
        if ch == '"' {
            out.push('"');
        }
        out.push(ch);
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    fn run(policy: &str, text: &str) -> (String, Tally) {
        let m = Masker::builder()
            .policy(Policy::preset(policy).unwrap())
            .threads(1)
            .build()
            .unwrap();
        let mut t = Tally::default();
        let out = mask(&m, text, b',', &RoleMap::default(), &mut t).unwrap();
        (out, t)
    }

    #[test]
    fn untouched_rows_are_byte_identical() {
        let text = "商品,数量\r\n\"りんご, 青森\",3\r\n\"改行\nあり\",\"1\"\r\n";
        assert_eq!(run("default", text).0, text);
    }

    #[test]
    fn roles_mask_whole_cells_and_keep_quoting() {
        let text = "注文番号,注文者名字,注文者名前,注文者名字フリガナ,注文者名前フリガナ,注文者郵便番号1,送付先住所：都道府県,送付先住所：都市区,注文者電話番号1,メモ\r\n\
                    \"A-1\",山田,太郎,ヤマダ,タロウ,\"150\",東京都,\"渋谷区神宮前1-2-3\",\"09012345678\",\"連絡は taro@example.jp へ\"\r\n";
        let (out, t) = run("default", text);
        let row = out.lines().nth(1).unwrap_or_else(|| panic!("{out:?}"));
        assert_eq!(
            row,
            "\"A-1\",Y.,T.,Y.,T.,\"***\",東京都,\"\",\"*******5678\",\"連絡は **ro@example.jp へ\""
        );
        assert!(out.ends_with("\r\n"));
        assert_eq!(t.people(), 1);
    }

    #[test]
    fn no_header_row_is_scanned_as_text() {
        let text = "a,090-1234-5678\n";
        assert_eq!(run("default", text).0, "a,***-****-5678\n");
    }

    #[test]
    fn strict_labels() {
        let text = "氏名,電話番号\n山田 太郎,03-1234-5678\n";
        assert_eq!(run("strict", text).0, "氏名,電話番号\n[氏名],[電話番号]\n");
    }

    #[test]
    fn reader_gives_ranges_and_values() {
        let text = "\"a,\"\"b\",c,\r\n\r\n\"x\"y,\"open\nend";
        let mut r = Reader::new(text, b',');
        let mut cells = Vec::new();
        assert_eq!(r.read(&mut cells), Some(0..12));
        let raw: Vec<&str> = cells.iter().map(|c| &text[c.raw.clone()]).collect();
        let val: Vec<&str> = cells.iter().map(|c| &*c.value).collect();
        assert_eq!(raw, ["\"a,\"\"b\"", "c", ""]);
        assert_eq!(val, ["a,\"b", "c", ""]);
        cells.clear();
        assert_eq!(r.read(&mut cells), Some(14..text.len()));
        let val: Vec<&str> = cells.iter().map(|c| &*c.value).collect();
        assert_eq!(val, ["xy", "open\nend"]);
        assert_eq!(r.read(&mut cells), None);
    }

    /// The `csv` crate's reading of `text`, field values per record.
    fn reference(text: &str, delim: u8) -> Vec<Vec<String>> {
        ::csv::ReaderBuilder::new()
            .delimiter(delim)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    fn ours(text: &str, delim: u8) -> Vec<Vec<String>> {
        let mut r = Reader::new(text, delim);
        let mut out = Vec::new();
        let mut cells = Vec::new();
        let mut last = 0;
        while let Some(range) = r.read(&mut cells) {
            // Ranges are in order, cover their cells, and what lies between
            // records is line endings only.
            assert!(range.start >= last);
            assert!(text[last..range.start]
                .bytes()
                .all(|b| b == b'\r' || b == b'\n'));
            let mut pos = range.start;
            for c in &cells {
                assert!(c.raw.start >= pos && c.raw.end <= range.end);
                pos = c.raw.end;
            }
            assert!(text[pos..range.end]
                .bytes()
                .all(|b| b == b'\r' || b == b'\n'));
            last = range.end;
            out.push(cells.drain(..).map(|c| c.value.into_owned()).collect());
        }
        assert!(text[last..].bytes().all(|b| b == b'\r' || b == b'\n'));
        out
    }

    proptest::proptest! {
        #[test]
        fn reader_agrees_with_the_csv_crate(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["a", "あ", ",", "\t", "\"", "\"\"", "\r", "\n", "\r\n", " ", "x y"]),
                0..40,
            ),
            tab in proptest::bool::ANY,
        ) {
            let text: String = parts.concat();
            let delim = if tab { b'\t' } else { b',' };
            proptest::prop_assert_eq!(ours(&text, delim), reference(&text, delim));
        }
    }
}
