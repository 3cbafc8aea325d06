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
use crate::span::Category;
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
        let mut blocked = BTreeMap::new();
        let mut actions = BTreeMap::new();
        for f in &findings {
            actions.insert(f.category, action_name(masker.policy().action(f.category)));
            if masker.blocks(f.category) {
                *blocked.entry(f.category).or_default() += 1;
            }
        }
        Ok(Review {
            original: text.to_string(),
            masked,
            pieces,
            policy: masker.policy().name.clone(),
            blocked,
            actions,
        })
    }

    /// Findings per category.
    pub fn counts(&self) -> BTreeMap<Category, usize> {
        let mut m = BTreeMap::new();
        for p in &self.pieces {
            *m.entry(p.finding.category).or_default() += 1;
        }
        m
    }
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
        r.pieces.len()
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
