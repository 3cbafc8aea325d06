//! Review views for a human: a self-contained HTML page with the original
//! and the masked text side by side, every finding highlighted by category,
//! and a terminal diff (`[-original-]{+masked+}`, or colours on a terminal).
//!
//! Both views SHOW THE ORIGINALS: they are for local review of what a policy
//! does, never for sharing.
//!
//! ```
//! use mask::review::{diff, review_html, Review};
//! use mask::Masker;
//!
//! let masker = Masker::builder().threads(1).build()?;
//! let r = Review::new(&masker, "TEL 090-1234-5678")?;
//! assert_eq!(diff(&r, false), "TEL [-090-1234-5678-]{+***-****-5678+}");
//! assert!(review_html(&r, "note.txt").contains("<mark class=\"c-phone\""));
//! # Ok::<(), mask::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::error::Error;
use crate::masker::Masker;
use crate::policy::Action;
use std::ops::Range;

use crate::span::{Category, Finding, Span};
use crate::vault::{render_findings, Piece};

/// One input, scanned and masked, with every replacement located.
#[derive(Clone, Debug)]
pub struct Review {
    /// The original text.
    pub original: String,
    /// The masked text.
    pub masked: String,
    /// Every finding with where it is in both texts.
    pub pieces: Vec<Piece>,
    /// The policy's name.
    pub policy: String,
    /// Categories the policy blocks that were found (the real run would
    /// write nothing).
    pub blocked: BTreeMap<Category, usize>,
    /// The policy's action for each category found (`keep`, `keep-last`, ...).
    pub actions: BTreeMap<Category, &'static str>,
    /// Findings per category.
    found: BTreeMap<Category, usize>,
}

impl Review {
    /// Scans and masks `text` (blocking categories are shown, not enforced).
    ///
    /// # Errors
    ///
    /// [`Error::Binary`] for text with NUL bytes.
    pub fn new(masker: &Masker, text: &str) -> Result<Review, Error> {
        if let Some(i) = memchr::memchr(0, text.as_bytes()) {
            return Err(Error::Binary { offset: i as u64 });
        }
        let findings = masker.scan(text);
        let (masked, pieces) = render_findings(masker, text, &findings, None);
        Ok(Review::assemble(
            masker,
            text.to_string(),
            masked,
            pieces,
            &findings,
        ))
    }

    /// The review of a structured input (CSV, JSON, e-mail, ...):
    /// `original` is the input as text, `masked` what
    /// [`crate::format::process`] wrote (empty when the policy blocks), and
    /// `hits` what [`crate::format::scan`] found. Findings inside decoded
    /// content (a base64 body, say) have no place in the original text, so
    /// the pieces are where the two texts differ: changed lines, narrowed to
    /// the cells, values or words that changed, each labelled with a finding
    /// of its line (or the nearest before it).
    pub fn of_structured(
        masker: &Masker,
        original: String,
        masked: String,
        hits: &[crate::format::Hit],
    ) -> Review {
        let findings: Vec<Finding> = hits.iter().map(|h| h.finding.clone()).collect();
        let mut pieces = Vec::new();
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', original.as_bytes()).map(|i| i + 1))
            .collect();
        for (old, new) in stretches(&original, &masked) {
            let line = line_starts.partition_point(|&s| s <= old.start) as u64;
            let hit = hits.iter().rev().find(|h| h.line <= line).or(hits.first());
            let (category, detector) = hit.map_or((Category::Classification, "format"), |h| {
                (h.finding.category, h.finding.detector)
            });
            let span = Span::new(old.start, old.end);
            pieces.push(Piece {
                finding: Finding {
                    category,
                    detector,
                    span,
                    hint: None,
                },
                replaced: span,
                output: Span::new(new.start, new.end),
            });
        }
        Review::assemble(masker, original, masked, pieces, &findings)
    }

    fn assemble(
        masker: &Masker,
        original: String,
        masked: String,
        pieces: Vec<Piece>,
        findings: &[Finding],
    ) -> Review {
        let mut blocked = BTreeMap::new();
        let mut actions = BTreeMap::new();
        let mut found = BTreeMap::new();
        for f in findings {
            actions.insert(f.category, action_name(masker.policy().action(f.category)));
            *found.entry(f.category).or_default() += 1;
            if masker.blocks(f.category) {
                *blocked.entry(f.category).or_default() += 1;
            }
        }
        Review {
            original,
            masked,
            pieces,
            policy: masker.policy().name.clone(),
            blocked,
            actions,
            found,
        }
    }

    /// Findings per category.
    pub fn counts(&self) -> BTreeMap<Category, usize> {
        self.found.clone()
    }

    /// How many findings there are.
    pub fn findings(&self) -> usize {
        self.found.values().sum()
    }
}

/// Where `old` and `new` differ, as pairs of byte ranges in input order:
/// lines matched by a longest common subsequence (inputs whose changed
/// middle is too large for it make one stretch), changed lines narrowed to
/// the fields that changed (split at `,`, tab, `"`, `:`, brackets), a
/// changed field narrowed to the words that changed.
fn stretches(old: &str, new: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let a = lines(old);
    let b = lines(new);
    let mut out = Vec::new();
    for (ra, rb) in line_blocks(old, new, &a, &b) {
        let (ta, tb) = (&old[ra.clone()], &new[rb.clone()]);
        let (fa, fb) = (fields(ta), fields(tb));
        if fa.len() == fb.len() && ra.len() < 1 << 16 {
            // Same shape: pair the fields, join neighbours that changed.
            let mut open: Option<(Range<usize>, Range<usize>)> = None;
            for (x, y) in fa.iter().zip(&fb) {
                if ta[x.clone()] == tb[y.clone()] {
                    out.extend(open.take().map(|(p, q)| narrow(old, new, p, q)));
                } else {
                    let (x, y) = (
                        ra.start + x.start..ra.start + x.end,
                        rb.start + y.start..rb.start + y.end,
                    );
                    open = Some(match open {
                        Some((p, q)) => (p.start..x.end, q.start..y.end),
                        None => (x, y),
                    });
                }
            }
            out.extend(open.map(|(p, q)| narrow(old, new, p, q)));
        } else {
            out.push(narrow(old, new, ra, rb));
        }
    }
    out
}

/// Byte ranges of the lines of `s` (each with its `\n`).
fn lines(s: &str) -> Vec<Range<usize>> {
    let mut v = Vec::new();
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', s.as_bytes()) {
        v.push(start..i + 1);
        start = i + 1;
    }
    if start < s.len() {
        v.push(start..s.len());
    }
    v
}

/// Runs of changed lines, as byte ranges of both texts.
fn line_blocks(
    old: &str,
    new: &str,
    a: &[Range<usize>],
    b: &[Range<usize>],
) -> Vec<(Range<usize>, Range<usize>)> {
    let same = |i: usize, j: usize| old[a[i].clone()] == new[b[j].clone()];
    let span = |r: &[Range<usize>], from: usize, to: usize, len: usize| -> Range<usize> {
        match (r.get(from), to > from) {
            (Some(x), true) => x.start..r[to - 1].end,
            (Some(x), false) => x.start..x.start,
            (None, _) => len..len,
        }
    };
    let mut pre = 0;
    while pre < a.len() && pre < b.len() && same(pre, pre) {
        pre += 1;
    }
    let mut suf = 0;
    while suf < a.len() - pre && suf < b.len() - pre && same(a.len() - 1 - suf, b.len() - 1 - suf) {
        suf += 1;
    }
    let (n, m) = (a.len() - pre - suf, b.len() - pre - suf);
    let mut blocks = Vec::new();
    let mut push = |i0: usize, i1: usize, j0: usize, j1: usize| {
        if i1 > i0 || j1 > j0 {
            if i1 - i0 == j1 - j0 {
                // As many lines on both sides: line by line.
                for k in 0..i1 - i0 {
                    blocks.push((a[i0 + k].clone(), b[j0 + k].clone()));
                }
            } else {
                blocks.push((span(a, i0, i1, old.len()), span(b, j0, j1, new.len())));
            }
        }
    };
    if n == m || n.saturating_mul(m) > 1 << 22 {
        push(pre, pre + n, pre, pre + m);
        return blocks;
    }
    // Longest common subsequence of the middle lines.
    let mut t = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i * (m + 1) + j] = if same(pre + i, pre + j) {
                t[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                t[(i + 1) * (m + 1) + j].max(t[i * (m + 1) + j + 1])
            };
        }
    }
    let (mut i, mut j, mut i0, mut j0) = (0, 0, 0, 0);
    while i < n && j < m {
        if same(pre + i, pre + j) {
            push(pre + i0, pre + i, pre + j0, pre + j);
            i += 1;
            j += 1;
            (i0, j0) = (i, j);
        } else if t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    push(pre + i0, pre + n, pre + j0, pre + m);
    blocks
}

/// Byte ranges of the fields of a line: text between the separators of
/// CSV, TSV and JSON (each separator a field of its own).
fn fields(line: &str) -> Vec<Range<usize>> {
    let mut v = Vec::new();
    let mut start = 0;
    for (i, c) in line.char_indices() {
        if matches!(
            c,
            ',' | '\t' | '"' | ':' | '{' | '}' | '[' | ']' | '\r' | '\n'
        ) {
            if i > start {
                v.push(start..i);
            }
            v.push(i..i + 1);
            start = i + 1;
        }
    }
    if start < line.len() {
        v.push(start..line.len());
    }
    v
}

/// Narrows a changed pair to the words that changed: drops the words (up
/// to a space) both sides start and end with.
fn narrow(old: &str, new: &str, a: Range<usize>, b: Range<usize>) -> (Range<usize>, Range<usize>) {
    let (x, y) = (&old[a.clone()], &new[b.clone()]);
    let is_space = |c: char| c == ' ' || c == '\u{3000}' || c == '\t';
    // The longest common prefix that ends after a space.
    let mut pre = 0;
    for ((i, c), d) in x.char_indices().zip(y.chars()) {
        if c != d {
            break;
        }
        if is_space(c) {
            pre = i + c.len_utf8();
        }
    }
    let (x2, y2) = (&x[pre..], &y[pre..]);
    let mut suf = 0;
    for ((i, c), d) in x2.char_indices().rev().zip(y2.chars().rev()) {
        if c != d {
            break;
        }
        if is_space(c) {
            suf = x2.len() - i;
        }
    }
    (a.start + pre..a.end - suf, b.start + pre..b.end - suf)
}

fn action_name(a: &Action) -> &'static str {
    match a {
        Action::Keep => "keep (reported only)",
        Action::KeepLast { .. } => "keep-last",
        Action::MaskLast { .. } => "mask-last",
        Action::MaskAll => "mask-all",
        Action::Label { .. } => "label",
        Action::Remove => "remove",
        Action::Block => "BLOCK",
        Action::Initials => "initials",
        Action::Prefecture => "prefecture",
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    escape_html(s, &mut o);
    o
}

/// Background colours per category (readable on white, distinct enough).
fn colour(c: Category) -> &'static str {
    match c {
        Category::Name => "#ffd6a5",
        Category::Address => "#fdffb6",
        Category::Phone => "#caffbf",
        Category::Email => "#9bf6ff",
        Category::PostalCode => "#a0c4ff",
        Category::MyNumber => "#ff8fa3",
        Category::Card => "#ffc6ff",
        Category::CardDetail => "#e4c1f9",
        Category::Secret => "#ff6b6b",
        Category::DenyTerm => "#f4a261",
        Category::Classification => "#d9d9d9",
    }
}

/// Writes `text` with each `(span, category)` wrapped in a `<mark>`.
fn marked(text: &str, marks: &[(usize, usize, Category, &str)], out: &mut String) {
    let mut pos = 0;
    for (i, &(start, end, cat, detector)) in marks.iter().enumerate() {
        // The findings of one encoded block share its span: marked once.
        if start < pos {
            continue;
        }
        escape_html(&text[pos..start], out);
        let _ = write!(
            out,
            "<mark class=\"c-{cat}\" data-finding=\"{i}\" title=\"{cat} ({})\">",
            esc(detector)
        );
        escape_html(&text[start..end], out);
        out.push_str("</mark>");
        pos = end;
    }
    escape_html(&text[pos..], out);
}

/// The review page: a self-contained HTML document (inline CSS, no scripts,
/// no external assets).
pub fn review_html(r: &Review, name: &str) -> String {
    let mut h = String::with_capacity(r.original.len() * 3 + 4096);
    h.push_str("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(h, "<title>mask review: {}</title>", esc(name));
    h.push_str("<style>\n");
    h.push_str("body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}\n");
    h.push_str(".warn{background:#b00020;color:#fff;padding:.6em 1em;font-weight:bold}\n");
    h.push_str(".block{background:#fff3cd;border:1px solid #e0a800;padding:.5em 1em}\n");
    h.push_str(".cols{display:grid;grid-template-columns:1fr 1fr;gap:1em}\n");
    h.push_str("pre{white-space:pre-wrap;word-break:break-all;border:1px solid #ccc;padding:.8em;font-family:ui-monospace,monospace;font-size:13px;line-height:1.5;margin:0}\n");
    h.push_str("mark{border-radius:3px;padding:0 1px}\n");
    h.push_str("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .8em;text-align:left}\n");
    for c in Category::ALL {
        let _ = writeln!(h, ".c-{c}{{background:{}}}", colour(c));
    }
    h.push_str("</style>\n</head>\n<body>\n");
    h.push_str("<p class=\"warn\">LOCAL REVIEW ONLY — this page shows the ORIGINAL personal data next to the masked text. Do not share, upload or attach it. 原文の個人情報を含みます。共有・送信しないでください。</p>\n");
    let _ = writeln!(
        h,
        "<h1>mask review: {}</h1>\n<p>policy <code>{}</code>; {} finding(s)</p>",
        esc(name),
        esc(&r.policy),
        r.findings()
    );
    if !r.blocked.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"block\">The policy BLOCKS this input (a real run writes nothing): {}</p>",
            esc(&crate::hook::describe(&r.blocked))
        );
    }
    h.push_str("<table>\n<thead><tr><th>category</th><th>findings</th><th>action</th></tr></thead>\n<tbody>\n");
    for (c, n) in r.counts() {
        let _ = writeln!(
            h,
            "<tr><td><mark class=\"c-{c}\">{c}</mark></td><td>{n}</td><td>{}</td></tr>",
            r.actions.get(&c).copied().unwrap_or("?")
        );
    }
    h.push_str("</tbody>\n</table>\n<div class=\"cols\">\n<section>\n<h2>original</h2>\n<pre id=\"original\">");
    let marks: Vec<_> = r
        .pieces
        .iter()
        .map(|p| {
            (
                p.replaced.start,
                p.replaced.end,
                p.finding.category,
                p.finding.detector,
            )
        })
        .collect();
    marked(&r.original, &marks, &mut h);
    h.push_str("</pre>\n</section>\n<section>\n<h2>masked</h2>\n<pre id=\"masked\">");
    let marks: Vec<_> = r
        .pieces
        .iter()
        .map(|p| {
            (
                p.output.start,
                p.output.end,
                p.finding.category,
                p.finding.detector,
            )
        })
        .collect();
    marked(&r.masked, &marks, &mut h);
    h.push_str("</pre>\n</section>\n</div>\n</body>\n</html>\n");
    h
}

/// A word diff of original and masked text: `[-original-]{+masked+}` per
/// finding, or with `color`, the original in red (struck through) and the
/// replacement in green.
pub fn diff(r: &Review, color: bool) -> String {
    let mut out = String::with_capacity(r.original.len() + r.pieces.len() * 16);
    let mut pos = 0;
    for p in &r.pieces {
        // The findings of one encoded block share its span: shown once.
        if p.replaced.start < pos {
            continue;
        }
        out.push_str(&r.original[pos..p.replaced.start]);
        let old = &r.original[p.replaced.range()];
        let new = &r.masked[p.output.range()];
        if color {
            let _ = write!(out, "\x1b[9;31m{old}\x1b[0m\x1b[1;32m{new}\x1b[0m");
        } else {
            let _ = write!(out, "[-{old}-]{{+{new}+}}");
        }
        pos = p.replaced.end;
    }
    out.push_str(&r.original[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies the stretches to `old`: must give `new` back.
    fn apply(old: &str, new: &str) -> (String, Vec<(String, String)>) {
        let mut out = String::new();
        let mut pos = 0;
        let mut changed = Vec::new();
        for (a, b) in stretches(old, new) {
            assert!(a.start >= pos, "in order");
            out.push_str(&old[pos..a.start]);
            out.push_str(&new[b.clone()]);
            changed.push((old[a.clone()].to_string(), new[b].to_string()));
            pos = a.end;
        }
        out.push_str(&old[pos..]);
        (out, changed)
    }

    #[test]
    fn stretches_are_the_changed_cells_values_and_words() {
        let old = "氏名,電話,メモ\r\n山田 太郎,090-1234-5678,特になし\r\n佐藤,0,明日 090-1111-2222 に電話\r\n";
        let new =
            "氏名,電話,メモ\r\nY.T.,***-****-5678,特になし\r\n佐藤,0,明日 ***-****-2222 に電話\r\n";
        let (back, changed) = apply(old, new);
        assert_eq!(back, new);
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            changed,
            [
                pair("山田 太郎", "Y.T."),
                pair("090-1234-5678", "***-****-5678"),
                pair("090-1111-2222", "***-****-2222"),
            ]
        );
    }

    #[test]
    fn stretches_follow_lines_added_and_removed() {
        for (old, new) in [
            ("a\nb\nc\nd\n", "a\nB\nc\nd\n"),
            ("a\nb\nc\nd\n", "a\nc\nd\n"),
            ("a\nb\nc\nd", "a\nx\ny\nz\nc\nD"),
            ("a\nb\n", ""),
            ("", "a\n"),
            ("same\n", "same\n"),
        ] {
            let (back, changed) = apply(old, new);
            assert_eq!(back, new, "{old:?} -> {new:?}");
            assert_eq!(changed.is_empty(), old == new);
        }
        // An unchanged line between two changes stays out of both.
        let (_, changed) = apply("x\nkeep\ny\nz\n", "X\nkeep\nz\n");
        assert!(
            changed.iter().all(|(a, _)| !a.contains("keep")),
            "{changed:?}"
        );
    }
}
