//! The streaming pipeline: chunk the input, detect in parallel, write back in
//! order.
//!
//! ```text
//!  reader thread            rayon workers                 calling thread
//!  Chunker::next_job ──► find + resolve + render ──► reorder by seq ─► sink
//!        ▲                                                   │
//!        └──────────── tokens bound the chunks in flight ◄───┘
//! ```
//!
//! Workers render their chunk's body on their own. The one thing a worker
//! cannot know is whether the previous chunk's last finding ran into its
//! body; it assumes what its own leading context says, and the writer checks
//! the assumption against what was really written. On a mismatch (possible
//! only for pathological overlap chains longer than the context) the writer
//! re-renders that chunk itself, so no byte is ever skipped or written twice.
//!
//! Encoded content (a mail in a tool's output, encoded words, base64 text:
//! [`crate::format::embedded`]) arrives as blocks with each job: detectors
//! do not see their bytes, and each block that starts in a body is decoded,
//! masked and encoded back by that body's worker; the findings inside it
//! are reported (at the block's span, `exact: false`) and counted like any
//! other.

pub mod chunker;
pub mod recycle;
pub mod spool;

use std::collections::{BTreeMap, HashMap};
use std::io::{ErrorKind, Read, Write};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::detect::{DocTerm, TERM_LOCAL_REACH};
use crate::error::Error;
use crate::format::embedded;
use crate::masker::{count_by_category, Masker, Scratch};
use crate::span::{Category, Finding};
use chunker::{Chunker, Job};
use recycle::Recycler;
use spool::Spool;

/// What the pipeline produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Write the masked text.
    Mask,
    /// Only report findings; write nothing.
    Scan,
}

/// How to run the pipeline.
#[derive(Clone, Debug)]
pub struct StreamOptions {
    /// Mask or scan.
    pub mode: Mode,
    /// Compute SHA-256 of input and output.
    pub hashes: bool,
    /// Hold all output back until the input is done (see [`Spool`]).
    pub buffered: bool,
}

/// A finding located in the whole input.
#[derive(Clone, Debug)]
pub struct Located {
    /// The finding, with its span in absolute bytes of the input.
    pub finding: Finding,
    /// 1-based line of its first byte.
    pub line: u64,
    /// 1-based column (in characters) of its first byte.
    pub column: u64,
    /// False for a finding inside decoded content (an encoded block): its
    /// span is then the whole block's.
    pub exact: bool,
}

/// What one run of the pipeline saw.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes written (0 when blocked).
    pub bytes_out: u64,
    /// Findings per (category, detector).
    pub counts: BTreeMap<(Category, &'static str), usize>,
    /// Categories the policy blocks that were found, with counts.
    pub blocked: Vec<(Category, usize)>,
    /// SHA-256 of the input, hex (when hashes were asked for).
    pub sha256_in: Option<String>,
    /// SHA-256 of the output, hex (when hashes were asked for and not blocked).
    pub sha256_out: Option<String>,
    /// Warnings for the report (encoded content withheld, attachments
    /// replaced).
    pub notes: Vec<String>,
}

impl Summary {
    /// Findings per category.
    pub fn by_category(&self) -> Vec<(Category, usize)> {
        count_by_category(&self.counts)
    }

    /// Total findings.
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }
}

/// A worker's answer for one chunk.
struct Done {
    job: Job,
    /// Resolved findings whose start lies in the body (window-relative).
    findings: Vec<Finding>,
    /// Where the worker began emitting (window-relative): the body start, or
    /// the end of a finding from the leading context that runs into the body.
    emit_from: usize,
    /// Where the worker stopped (window-relative, >= body end).
    emit_to: usize,
    out: Vec<u8>,
    /// Document terms the detectors shared (seeds in window bytes).
    terms: Vec<DocTerm>,
    /// Encoded blocks starting in the body, rendered.
    rendered: Vec<Rendered>,
}

/// One encoded block of a body, decoded, masked and encoded back.
struct Rendered {
    /// Window-relative span.
    span: crate::span::Span,
    /// Its replacement.
    text: String,
    /// The findings inside it (each with the block's span).
    inner: Vec<Finding>,
    notes: Vec<String>,
}

fn process(
    masker: &Masker,
    mut job: Job,
    mode: Mode,
    scratch: &mut Scratch,
    recycler: &Recycler,
) -> Result<Done, Error> {
    let mut blocks = std::mem::take(&mut job.blocks);
    let window = job.text()?;
    let all = if blocks.is_empty() {
        masker.find_in_window(window, scratch)
    } else {
        let claims = embedded::yield_tokens_to_findings(masker, window, &mut blocks, scratch);
        // Encoded blocks are not text: the detectors see spaces there.
        let blanked = embedded::blank(window, &blocks);
        let mut all = masker.find_in_window(&blanked, scratch);
        embedded::clip(&mut all, &blocks);
        embedded::merge_claims(&mut all, claims);
        all
    };
    let terms = std::mem::take(&mut scratch.terms);
    let rendered: Vec<Rendered> = blocks
        .iter()
        .filter(|b| b.span.start >= job.body.start && b.span.start < job.body.end)
        .map(|b| {
            let (text, inner, notes) = embedded::render_located(masker, window, b);
            Rendered {
                span: b.span,
                text,
                inner,
                notes,
            }
        })
        .collect();

    let body = job.body.clone();
    let mut emit_from = body.start;
    for f in &all {
        if f.span.start < body.start && f.span.end > body.start {
            emit_from = emit_from.max(f.span.end);
        }
    }
    let findings: Vec<Finding> = all
        .into_iter()
        .filter(|f| f.span.start >= body.start && f.span.start < body.end)
        .collect();
    let mut out = Vec::new();
    let emit_to = if mode == Mode::Mask {
        out = recycler.take(body.len() + 64);
        render_range(
            masker, window, &findings, &rendered, emit_from, body.end, &mut out,
        )
    } else {
        findings
            .iter()
            .map(|f| f.span.end)
            .max()
            .unwrap_or(body.end)
            .max(body.end)
            .max(emit_from)
    };
    job.blocks = blocks;
    Ok(Done {
        job,
        findings,
        emit_from,
        emit_to,
        out,
        terms,
        rendered,
    })
}

/// Writes `window[from..to]` with every finding replaced; a finding that
/// starts before `from` only has its remaining bytes replaced. Returns the
/// position after the last byte accounted for (>= `to`, past `to` when the
/// last finding runs beyond it).
fn render_range(
    masker: &Masker,
    window: &str,
    findings: &[Finding],
    rendered: &[Rendered],
    from: usize,
    to: usize,
    out: &mut Vec<u8>,
) -> usize {
    let mut pos = from;
    let mut rep = String::new();
    let mut blocks = rendered.iter().peekable();
    let mut emit_blocks_before = |limit: usize, pos: &mut usize, out: &mut Vec<u8>| {
        while let Some(b) = blocks.next_if(|b| b.span.start < limit) {
            if b.span.start < *pos {
                continue;
            }
            out.extend_from_slice(&window.as_bytes()[*pos..b.span.start]);
            out.extend_from_slice(b.text.as_bytes());
            *pos = b.span.end;
        }
    };
    for f in findings {
        emit_blocks_before(f.span.start.max(pos), &mut pos, out);
        if f.span.end <= pos {
            continue;
        }
        let start = f.span.start.max(pos);
        out.extend_from_slice(&window.as_bytes()[pos..start]);
        rep.clear();
        masker.render(f, &window[start..f.span.end], &mut rep);
        out.extend_from_slice(rep.as_bytes());
        pos = f.span.end;
    }
    emit_blocks_before(usize::MAX, &mut pos, out);
    if pos < to {
        out.extend_from_slice(&window.as_bytes()[pos..to]);
        pos = to;
    }
    pos
}

/// Tracks line and column across chunks, for scan output.
#[derive(Default)]
struct LineTracker {
    /// Absolute offset up to which lines were counted.
    at: u64,
    line: u64,
    /// Characters since the last newline, at `at`.
    col: u64,
}

impl LineTracker {
    fn advance(&mut self, bytes: &[u8]) {
        let nl = memchr::memchr_iter(b'\n', bytes).count() as u64;
        self.line += nl;
        let tail = match memchr::memrchr(b'\n', bytes) {
            Some(i) => {
                self.col = 0;
                &bytes[i + 1..]
            }
            None => bytes,
        };
        self.col += tail.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64;
        self.at += bytes.len() as u64;
    }
}

/// The ordered writer's state.
struct Writer<'m, W: Write, F: FnMut(&Located)> {
    masker: &'m Masker,
    mode: Mode,
    sink: W,
    on_finding: F,
    /// Absolute offset of input accounted for in the output.
    cursor: u64,
    lines: LineTracker,
    summary: Summary,
    blocked: HashMap<Category, usize>,
    hash_in: Option<Sha256>,
    hash_out: Option<Sha256>,
    bytes_out: u64,
    /// Document terms seen so far (see [`DocTerm`]), each with the absolute
    /// offset of its first sighting.
    terms: TermSet,
    /// For sweeping chunks for the terms.
    scratch: Scratch,
    /// Where a written chunk's window and output go back to.
    recycler: std::sync::Arc<Recycler>,
}

/// The document terms seen so far, one per (detector, key), keeping the
/// first sighting (and its hint): which one that is does not depend on the
/// chunking.
#[derive(Default)]
struct TermSet {
    list: Vec<DocTerm>,
    /// Key → indices in `list` (one per detector sharing that key).
    index: HashMap<String, Vec<usize>>,
}

impl TermSet {
    /// Most terms kept: a roster of more distinct names than this stops
    /// adding (what is kept still applies).
    const MAX: usize = 100_000;

    fn add(&mut self, abs: usize, terms: Vec<DocTerm>) {
        for mut t in terms {
            t.seed += abs;
            let known = self.index.get(t.key.as_str()).and_then(|v| {
                v.iter()
                    .copied()
                    .find(|&i| self.list[i].detector == t.detector)
            });
            match known {
                Some(i) if t.seed < self.list[i].seed => self.list[i] = t,
                Some(_) => {}
                None if self.list.len() < Self::MAX => {
                    let i = self.list.len();
                    self.index.entry(t.key.clone()).or_default().push(i);
                    self.list.push(t);
                }
                None => {}
            }
        }
    }
}

impl<W: Write, F: FnMut(&Located)> Writer<'_, W, F> {
    fn write_out(&mut self, bytes: &[u8]) -> Result<(), Error> {
        if let Some(h) = &mut self.hash_out {
            h.update(bytes);
        }
        self.bytes_out += bytes.len() as u64;
        if self.blocked.is_empty() {
            self.sink
                .write_all(bytes)
                .map_err(|e| Error::io("writing output", e))?;
        }
        Ok(())
    }

    fn accept(&mut self, d: Done) -> Result<(), Error> {
        let Done {
            job,
            mut findings,
            emit_from,
            emit_to,
            out,
            terms,
            rendered,
        } = d;
        let body = job.body.clone();
        // Terms seen earlier in the document (or earlier in this chunk) found
        // again here, further away than the detectors look.
        self.terms.add(job.abs as usize, terms);
        let mut swept = false;
        // A term first seen less than the detectors' own reach before the
        // body's end can match in the body only where the detector found it
        // already (after its sighting and near it): no sweep needed then —
        // short documents never pay for one.
        let horizon = (job.abs as usize + body.end).saturating_sub(TERM_LOCAL_REACH);
        if self.terms.list.iter().any(|t| t.seed < horizon) {
            let window = job.text()?;
            let done_to = self.cursor.saturating_sub(job.abs) as usize;
            let known = &findings;
            let extra: Vec<Finding> = self
                .masker
                .sweep_window(
                    window,
                    job.abs as usize,
                    &self.terms.list,
                    known,
                    &mut self.scratch,
                )
                .into_iter()
                .filter(|e| {
                    // Findings are sorted and disjoint: only the one starting
                    // last before `e`'s end can overlap it.
                    let i = known.partition_point(|f| f.span.start < e.span.end);
                    e.span.start >= body.start.max(done_to)
                        && e.span.start < body.end
                        && (i == 0 || known[i - 1].span.end <= e.span.start)
                        && !job.blocks.iter().any(|b| b.span.overlaps(e.span))
                })
                .collect();
            if !extra.is_empty() {
                findings.extend(extra);
                findings.sort_by_key(|f| f.span.start);
                swept = true;
            }
        }
        let body_bytes = &job.window[body.clone()];
        if let Some(h) = &mut self.hash_in {
            h.update(body_bytes);
        }
        self.summary.bytes_in += body_bytes.len() as u64;
        // Detector findings and those inside blocks, in input order.
        let mut all: Vec<(&Finding, bool)> = findings.iter().map(|f| (f, true)).collect();
        if !rendered.is_empty() {
            all.extend(
                rendered
                    .iter()
                    .flat_map(|r| r.inner.iter().map(|f| (f, false))),
            );
            all.sort_by_key(|(f, _)| f.span.start);
            for r in &rendered {
                for n in &r.notes {
                    if !self.summary.notes.contains(n) {
                        self.summary.notes.push(n.clone());
                    }
                }
            }
        }
        for (f, exact) in all {
            *self
                .summary
                .counts
                .entry((f.category, f.detector))
                .or_default() += 1;
            if self.masker.blocks(f.category) {
                *self.blocked.entry(f.category).or_default() += 1;
            }
            let start = f.span.start - body.start;
            let mut t = std::mem::take(&mut self.lines);
            // Line/column of the finding: count from where the tracker is.
            let done_to = (t.at - (job.abs + body.start as u64)) as usize;
            t.advance(&body_bytes[done_to..start]);
            let located = Located {
                finding: Finding {
                    span: f.span.offset(job.abs as usize),
                    ..f.clone()
                },
                line: t.line + 1,
                column: t.col + 1,
                exact,
            };
            self.lines = t;
            (self.on_finding)(&located);
        }
        let done_to = (self.lines.at - (job.abs + body.start as u64)) as usize;
        self.lines.advance(&body_bytes[done_to..]);
        if self.mode == Mode::Scan {
            self.recycler.give(job.window);
            return Ok(());
        }
        let body_abs = job.abs + body.start as u64;
        let body_end_abs = job.abs + body.end as u64;
        if !swept && self.cursor == job.abs + emit_from as u64 {
            self.write_out(&out)?;
            self.cursor = job.abs + emit_to as u64;
        } else if self.cursor < body_end_abs {
            // The worker's guess about a finding from the previous chunk was
            // wrong, or the sweep found more: render this chunk here, from
            // where the output really is.
            let from = (self.cursor.max(body_abs) - job.abs) as usize;
            let mut redo = Vec::new();
            let end = render_range(
                self.masker,
                job.text()?,
                &findings,
                &rendered,
                from,
                body.end,
                &mut redo,
            );
            self.write_out(&redo)?;
            self.cursor = job.abs + end as u64;
        }
        self.recycler.give(job.window);
        self.recycler.give(out);
        Ok(())
    }

    fn finish(mut self) -> Result<(Summary, W), Error> {
        let mut blocked: Vec<(Category, usize)> = self.blocked.into_iter().collect();
        blocked.sort();
        self.summary.blocked = blocked;
        self.summary.sha256_in = self.hash_in.map(|h| hex::encode(h.finalize()));
        if self.summary.blocked.is_empty() {
            self.summary.bytes_out = self.bytes_out;
            self.summary.sha256_out = self.hash_out.map(|h| hex::encode(h.finalize()));
        }
        Ok((self.summary, self.sink))
    }
}

/// Runs the pipeline over `reader`, writing to `sink` (nothing in scan mode)
/// and calling `on_finding` for every finding, in order.
///
/// With `opts.buffered`, `sink` receives nothing unless the whole input was
/// read and not blocked. Without it, output streams as chunks complete (and
/// a later error leaves a partial, but always masked, output behind).
///
/// # Errors
///
/// I/O errors, invalid UTF-8, binary input.
pub fn run<R, W, F>(
    masker: &Masker,
    reader: R,
    sink: W,
    opts: &StreamOptions,
    on_finding: F,
) -> Result<Summary, Error>
where
    R: Read + Send,
    W: Write,
    F: FnMut(&Located),
{
    let buffered = opts.buffered && opts.mode == Mode::Mask;
    if buffered {
        let mut spool = Spool::new();
        let summary = run_into(masker, reader, &mut spool, opts, on_finding)?;
        if summary.blocked.is_empty() {
            let mut sink = sink;
            spool
                .release(&mut sink)
                .map_err(|e| Error::io("writing output", e))?;
        }
        Ok(summary)
    } else {
        let mut sink = sink;
        let summary = run_into(masker, reader, &mut sink, opts, on_finding)?;
        if summary.blocked.is_empty() {
            sink.flush().map_err(|e| Error::io("writing output", e))?;
        }
        Ok(summary)
    }
}

fn run_into<R, W, F>(
    masker: &Masker,
    reader: R,
    sink: W,
    opts: &StreamOptions,
    on_finding: F,
) -> Result<Summary, Error>
where
    R: Read + Send,
    W: Write,
    F: FnMut(&Located),
{
    let mut chunker = Chunker::new(reader, masker.chunk_size());
    let mut writer = Writer {
        masker,
        mode: opts.mode,
        sink,
        on_finding,
        cursor: 0,
        lines: LineTracker::default(),
        summary: Summary::default(),
        blocked: HashMap::new(),
        hash_in: opts.hashes.then(Sha256::new),
        hash_out: (opts.hashes && opts.mode == Mode::Mask).then(Sha256::new),
        bytes_out: 0,
        terms: TermSet::default(),
        scratch: Scratch::default(),
        recycler: chunker.recycler(),
    };
    let Some(first) = chunker.next_job()? else {
        return writer.finish().map(|(s, _)| s);
    };
    match masker.pool() {
        Some(pool) if !chunker.is_done() => {
            run_parallel(masker, pool, first, chunker, opts.mode, &mut writer)?;
        }
        // No pool, or one chunk holds the whole input (short texts, hook
        // payloads, `mask_batch` items): no thread to start or hand work to.
        _ => {
            let mut scratch = Scratch::default();
            let mut job = Some(first);
            while let Some(j) = job.take() {
                let done = process(masker, j, opts.mode, &mut scratch, &writer.recycler)?;
                writer.accept(done)?;
                job = chunker.next_job()?;
            }
        }
    }
    writer.finish().map(|(s, _)| s)
}

fn run_parallel<R, W, F>(
    masker: &Masker,
    pool: &rayon::ThreadPool,
    first: Job,
    mut chunker: Chunker<R>,
    mode: Mode,
    writer: &mut Writer<'_, W, F>,
) -> Result<(), Error>
where
    R: Read + Send,
    W: Write,
    F: FnMut(&Located),
{
    let in_flight = pool.current_num_threads() * 2 + 2;
    let (token_tx, token_rx) = crossbeam_channel::bounded::<()>(in_flight);
    for _ in 0..in_flight {
        token_tx.send(()).expect("channel has room");
    }
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<(u64, Result<Done, Error>)>();
    let scratches: Mutex<Vec<Scratch>> = Mutex::new(Vec::new());
    let recycler = std::sync::Arc::clone(&writer.recycler);
    let recycler = &*recycler;
    std::thread::scope(|s| {
        let reader_done_tx = done_tx.clone();
        s.spawn(move || {
            let mut next_seq_read = 0u64;
            let mut first = Some(first);
            pool.in_place_scope(|scope| loop {
                if token_rx.recv().is_err() {
                    return; // the writer stopped
                }
                let next = first
                    .take()
                    .map_or_else(|| chunker.next_job(), |j| Ok(Some(j)));
                match next {
                    Ok(None) => return,
                    Ok(Some(job)) => {
                        let tx = reader_done_tx.clone();
                        let scratches = &scratches;
                        let seq = job.seq;
                        next_seq_read = seq + 1;
                        scope.spawn(move |_| {
                            let mut scratch = scratches
                                .lock()
                                .map(|mut v| v.pop())
                                .ok()
                                .flatten()
                                .unwrap_or_default();
                            let done = process(masker, job, mode, &mut scratch, recycler);
                            if let Ok(mut v) = scratches.lock() {
                                v.push(scratch);
                            }
                            let _ = tx.send((seq, done));
                        });
                    }
                    Err(e) => {
                        let _ = reader_done_tx.send((next_seq_read, Err(e)));
                        return;
                    }
                }
            });
        });
        drop(done_tx);
        // Results, errors included, are taken in input order: an error is
        // reported for the first bad chunk, whatever finished first.
        let mut pending: BTreeMap<u64, Result<Done, Error>> = BTreeMap::new();
        let mut next_seq = 0u64;
        let result = (|| {
            for (seq, done) in &done_rx {
                pending.insert(seq, done);
                while let Some(d) = pending.remove(&next_seq) {
                    writer.accept(d?)?;
                    next_seq += 1;
                    let _ = token_tx.send(());
                }
            }
            Ok(())
        })();
        // On error, stop the reader: it waits for tokens that never come.
        drop(token_tx);
        drop(done_rx);
        result
    })
}

/// Reads a whole input just to answer whether it is a text file mask can
/// handle (no NUL in the first 8 KiB).
pub fn looks_binary(head: &[u8]) -> bool {
    memchr::memchr(0, &head[..head.len().min(8192)]).is_some()
}

/// Converts an I/O error to "was this a broken pipe".
pub fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == ErrorKind::BrokenPipe)
}
