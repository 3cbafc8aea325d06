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

use std::ops::Range;

use csv::{ReaderBuilder, StringRecord};
use rayon::prelude::*;

use super::roles::{normalize_header, prefecture_of, Role, RoleMap};
use super::{find_in_fields_with, render_field, role_finding, Tally};
use crate::error::Error;
use crate::masker::Masker;
use crate::policy::Action;
use crate::span::Category;

/// Masks a decoded CSV (`delim` `b','`) or TSV (`b'\t'`) document.
///
/// # Errors
///
/// [`Error::Format`] when the `csv` parser fails.
pub fn mask(
    masker: &Masker,
    text: &str,
    delim: u8,
    roles: &RoleMap,
    tally: &mut Tally,
) -> Result<String, Error> {
    let mut rows = Rows::new(text, delim);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rec = StringRecord::new();
    let Some(first) = rows.next(&mut rec)? else {
        return Ok(text.to_string());
    };
    let layout = Layout::new(masker, &rec, roles);
    let mut batch = RowBatch::default();
    if layout.has_header {
        out.push_str(&text[..first.end]);
        batch.from = first.end;
    } else {
        batch.rows.push((first, rec));
    }
    let mut last_end = batch.from.max(batch.rows.last().map_or(0, |(r, _)| r.end));
    // Rows in batches of about 1 MiB, masked a group of batches at a time in
    // parallel (each batch renders into its own string and tally), written
    // in order. With a thread pool, parsing runs on its own thread ahead of
    // masking (a bounded queue of groups): bounded memory, every core busy.
    match masker.pool() {
        None => {
            let mut group = Vec::new();
            rows.groups(batch, 1, &mut last_end, |g| {
                group = g;
                layout.emit_group(masker, text, &mut group, delim, tally, &mut out);
                std::mem::take(&mut group)
            })?;
        }
        Some(pool) => {
            let group_len = pool.current_num_threads() * 2;
            let (tx, rx) = crossbeam_channel::bounded::<Vec<RowBatch>>(2);
            let (back_tx, back_rx) = crossbeam_channel::unbounded::<Vec<RowBatch>>();
            let read = std::thread::scope(|sc| {
                let reader = sc.spawn(move || {
                    let mut last = last_end;
                    let r = rows.groups(batch, group_len, &mut last, |g| {
                        // The masking side stopped: nothing more to do.
                        let _ = tx.send(g);
                        back_rx.try_recv().unwrap_or_default()
                    });
                    r.map(|()| last)
                });
                for mut group in rx.iter() {
                    layout.emit_group(masker, text, &mut group, delim, tally, &mut out);
                    let _ = back_tx.send(group);
                }
                reader.join()
            });
            last_end = match read {
                Ok(r) => r?,
                Err(_) => {
                    return Err(Error::Format {
                        format: "csv",
                        message: "the parsing thread panicked".into(),
                    })
                }
            };
        }
    }
    out.push_str(&text[last_end..]);
    Ok(out)
}

/// Records of a CSV text with their byte ranges.
struct Rows<'a> {
    rdr: csv::Reader<&'a [u8]>,
    b: &'a [u8],
    count: usize,
    name: &'static str,
}

impl<'a> Rows<'a> {
    fn new(text: &'a str, delim: u8) -> Rows<'a> {
        Rows {
            rdr: ReaderBuilder::new()
                .delimiter(delim)
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes()),
            b: text.as_bytes(),
            count: 0,
            name: if delim == b'\t' { "tsv" } else { "csv" },
        }
    }

    /// Reads one record and its byte range (line ending included).
    fn next(&mut self, rec: &mut StringRecord) -> Result<Option<Range<usize>>, Error> {
        let b = self.b;
        let start = self.rdr.position().byte() as usize;
        match self.rdr.read_record(rec) {
            Ok(true) => {}
            Ok(false) => return Ok(None),
            Err(e) => {
                return Err(Error::Format {
                    format: self.name,
                    message: format!("record {}: {}", self.count + 1, kind_only(&e)),
                })
            }
        }
        self.count += 1;
        let mut start = rec
            .position()
            .map_or(start, |p| p.byte() as usize)
            .max(start);
        // csv_core stops after the `\r` of a CRLF and reads the `\n` as
        // part of the next record: own the whole line ending here.
        while start < b.len() && matches!(b[start], b'\r' | b'\n') {
            start += 1;
        }
        let mut end = (self.rdr.position().byte() as usize).max(start);
        if end < b.len() && b[end] == b'\n' && end > 0 && b[end - 1] == b'\r' {
            end += 1;
        }
        Ok(Some(start..end))
    }

    /// Reads the remaining rows into groups of `group_len` batches of about
    /// 1 MiB, starting with `batch`, and hands each group to `emit`, which
    /// returns an emptied group whose record buffers are reused.
    fn groups(
        &mut self,
        mut batch: RowBatch,
        group_len: usize,
        last_end: &mut usize,
        mut emit: impl FnMut(Vec<RowBatch>) -> Vec<RowBatch>,
    ) -> Result<(), Error> {
        let mut group: Vec<RowBatch> = Vec::new();
        let mut spare: Vec<StringRecord> = Vec::new();
        let mut batch_bytes = 0;
        loop {
            let mut r = spare.pop().unwrap_or_default();
            let Some(range) = self.next(&mut r)? else {
                break;
            };
            batch_bytes += range.len();
            *last_end = range.end;
            batch.rows.push((range, r));
            if batch_bytes >= 1 << 20 {
                let from = *last_end;
                group.push(std::mem::replace(
                    &mut batch,
                    RowBatch {
                        from,
                        rows: Vec::new(),
                    },
                ));
                batch_bytes = 0;
                if group.len() >= group_len {
                    let back = emit(std::mem::take(&mut group));
                    spare.extend(
                        back.into_iter()
                            .flat_map(|b| b.rows.into_iter().map(|(_, r)| r)),
                    );
                }
            }
        }
        group.push(batch);
        emit(group);
        Ok(())
    }
}

/// Consecutive rows; `from` is where the text before its first row starts.
#[derive(Default)]
struct RowBatch {
    from: usize,
    rows: Vec<(Range<usize>, StringRecord)>,
}

/// What the header row says about the columns.
struct Layout {
    has_header: bool,
    col_roles: Vec<Option<Role>>,
    name_cols: Vec<usize>,
    readings_for: std::collections::HashMap<usize, Vec<usize>>,
    has_prefecture: bool,
    address_action: Action,
}

impl Layout {
    fn new(masker: &Masker, first: &StringRecord, roles: &RoleMap) -> Layout {
        let col_roles: Vec<Option<Role>> = first.iter().map(|c| roles.role(c)).collect();
        let has_header = col_roles.iter().any(Option::is_some);
        let col_roles = if has_header { col_roles } else { Vec::new() };
        let headers: Vec<String> = if has_header {
            first.iter().map(normalize_header).collect()
        } else {
            Vec::new()
        };
        let cols = |r: Role| -> Vec<usize> {
            (0..col_roles.len())
                .filter(|&c| col_roles[c] == Some(r))
                .collect()
        };
        let name_cols = cols(Role::Name);
        let readings_for = pair_readings(&headers, &name_cols, &cols(Role::Reading));
        Layout {
            has_header,
            has_prefecture: !cols(Role::Prefecture).is_empty(),
            col_roles,
            name_cols,
            readings_for,
            address_action: masker.policy().action(Category::Address).clone(),
        }
    }

    /// Masks a group of batches (in parallel on the masker's pool) and
    /// writes them in order. The caller empties the group.
    fn emit_group(
        &self,
        masker: &Masker,
        text: &str,
        group: &mut Vec<RowBatch>,
        delim: u8,
        tally: &mut Tally,
        out: &mut String,
    ) {
        let run = |b: &RowBatch, parallel: bool| {
            let mut t = Tally::default();
            let mut o = String::new();
            let mut c = b.from;
            self.emit(
                masker, text, &b.rows, delim, &mut t, &mut c, &mut o, parallel,
            );
            (o, t)
        };
        let results: Vec<(String, Tally)> = match masker.pool() {
            Some(pool) if group.len() > 1 => {
                pool.install(|| group.par_iter().map(|b| run(b, false)).collect())
            }
            _ => group.iter().map(|b| run(b, true)).collect(),
        };
        for (o, t) in results {
            out.push_str(&o);
            tally.merge(t);
        }
    }

    fn role_at(&self, c: usize) -> Option<Role> {
        self.col_roles.get(c).copied().flatten()
    }

    /// Masks and writes a batch of data rows.
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &self,
        masker: &Masker,
        text: &str,
        rows: &[(Range<usize>, StringRecord)],
        delim: u8,
        tally: &mut Tally,
        copied_to: &mut usize,
        out: &mut String,
        parallel: bool,
    ) {
        // Text cells, scanned in batches.
        let mut text_cells: Vec<(usize, usize)> = Vec::new();
        let mut fields: Vec<&str> = Vec::new();
        for (r, (_, rec)) in rows.iter().enumerate() {
            for (c, cell) in rec.iter().enumerate() {
                if matches!(self.role_at(c), None | Some(Role::Text))
                    && !cell.trim_ascii().is_empty()
                {
                    text_cells.push((r, c));
                    fields.push(cell);
                }
            }
        }
        let found = find_in_fields_with(masker, &fields, parallel);
        let mut found_iter = text_cells.iter().zip(found).peekable();
        let mut new_cells: Vec<Option<String>> = Vec::new();
        for (r, (range, rec)) in rows.iter().enumerate() {
            out.push_str(&text[*copied_to..range.start]);
            *copied_to = range.end;
            let raw = &text[range.clone()];
            new_cells.clear();
            new_cells.resize(rec.len(), None);
            self.roster(rec, tally);
            if !self.col_roles.is_empty() {
                for (c, cell) in rec.iter().enumerate() {
                    let Some(role) = self.role_at(c) else {
                        continue;
                    };
                    if let Some(f) = role_finding(role, cell, self.hint(role, c, cell, rec)) {
                        new_cells[c] = render_field(masker, cell, std::slice::from_ref(&f), tally);
                    }
                }
            }
            while let Some(((fr, _), _)) = found_iter.peek() {
                if *fr != r {
                    break;
                }
                let Some(((_, c), fs)) = found_iter.next() else {
                    break;
                };
                if !fs.is_empty() {
                    let cell = rec.get(*c).unwrap_or("");
                    new_cells[*c] = render_field(masker, cell, &fs, tally);
                }
            }
            if new_cells.iter().all(Option::is_none) {
                out.push_str(raw);
            } else {
                rebuild_row(raw, rec, &new_cells, delim, out);
            }
        }
    }

    /// Roster: adjacent name columns are one person.
    fn roster(&self, rec: &StringRecord, tally: &mut Tally) {
        if self.name_cols.is_empty() {
            return;
        }
        let mut person = String::new();
        let mut last: Option<usize> = None;
        for &c in &self.name_cols {
            let v = rec.get(c).unwrap_or("").trim();
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

    fn hint(&self, role: Role, c: usize, cell: &str, rec: &StringRecord) -> Option<String> {
        match role {
            Role::Name => self.readings_for.get(&c).and_then(|rs| {
                let joined: Vec<&str> = rs.iter().map(|&rc| rec.get(rc).unwrap_or("")).collect();
                super::kana::initials(&joined.join(" "))
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

fn kind_only(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { pos, .. } => {
            format!("invalid UTF-8 at {:?}", pos.as_ref().map(|p| p.byte()))
        }
        csv::ErrorKind::UnequalLengths { pos, .. } => {
            format!("unequal lengths at {:?}", pos.as_ref().map(|p| p.byte()))
        }
        _ => "parse error".to_string(),
    }
}

/// For each name column, the reading columns that give its initials.
fn pair_readings(
    headers: &[String],
    names: &[usize],
    readings: &[usize],
) -> std::collections::HashMap<usize, Vec<usize>> {
    let mut m = std::collections::HashMap::new();
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

/// Splits the raw bytes of one record (line ending included) into its raw
/// fields and the line ending. `None` when the split disagrees with the
/// parser's field count.
fn raw_fields(raw: &str, delim: u8, n: usize) -> Option<(Vec<&str>, &str)> {
    let b = raw.as_bytes();
    let mut fields = Vec::with_capacity(n);
    let mut i = 0;
    let mut start = 0;
    loop {
        // One field from `start`.
        if i < b.len() && b[i] == b'"' {
            i += 1;
            loop {
                match b.get(i) {
                    None => break,
                    Some(b'"') if b.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
        }
        while i < b.len() && b[i] != delim && b[i] != b'\n' && b[i] != b'\r' {
            i += 1;
        }
        fields.push(&raw[start..i]);
        if i < b.len() && b[i] == delim {
            i += 1;
            start = i;
            continue;
        }
        break;
    }
    let ending = &raw[i..];
    if fields.len() != n || !ending.bytes().all(|c| c == b'\r' || c == b'\n') {
        return None;
    }
    Some((fields, ending))
}

fn rebuild_row(
    raw: &str,
    rec: &StringRecord,
    new_cells: &[Option<String>],
    delim: u8,
    out: &mut String,
) {
    let split = raw_fields(raw, delim, rec.len());
    let ending = split.as_ref().map_or_else(
        || {
            let t = raw.trim_end_matches(['\r', '\n']);
            &raw[t.len()..]
        },
        |(_, e)| *e,
    );
    for (c, cell) in rec.iter().enumerate() {
        if c > 0 {
            out.push(delim as char);
        }
        let orig_raw = split.as_ref().and_then(|(f, _)| f.get(c).copied());
        match (&new_cells[c], orig_raw) {
            (None, Some(r)) => out.push_str(r),
            (new, r) => {
                let v = new.as_deref().unwrap_or(cell);
                let was_quoted = r.is_some_and(|r| r.starts_with('"'));
                write_cell(v, delim, was_quoted, out);
            }
        }
    }
    out.push_str(ending);
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
    fn raw_split_matches_parser() {
        let (f, e) = raw_fields("\"a,\"\"b\",c,\r\n", b',', 3).unwrap();
        assert_eq!(f, vec!["\"a,\"\"b\"", "c", ""]);
        assert_eq!(e, "\r\n");
        assert!(raw_fields("a,b\n", b',', 3).is_none());
    }
}
