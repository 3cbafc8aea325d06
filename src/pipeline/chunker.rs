//! Cuts a byte stream into windows: a body (the bytes this chunk owns) with up
//! to [`MAX_CONTEXT`] bytes of context on each side, so detectors see every
//! finding that starts in the body whole, whatever the chunk size.
//!
//! Bodies end after the last newline before the target size when there is
//! one, else at a character boundary (a 10 GB line is cut too). The chunker
//! keeps only the current body plus context in memory. Validation (UTF-8, no
//! NUL) happens in the workers, through [`Job::text`].
//!
//! Encoded content ([`crate::format::embedded`]) is never cut: one
//! [`Segmenter`] reads the stream in order, a body never ends inside one of
//! its blocks, and each job carries the blocks that touch its window, all
//! of them whole (the segmenter has read past the window's end).

use std::io::Read;
use std::ops::Range;
use std::sync::Arc;

use crate::detect::MAX_CONTEXT;
use crate::error::Error;
use crate::format::embedded::{Block, Segmenter};
use crate::span::Span;

use super::recycle::Recycler;

/// One unit of work.
#[derive(Debug)]
pub struct Job {
    /// Order of the chunk in the input, from 0.
    pub seq: u64,
    /// Absolute offset of `window[0]` in the input.
    pub abs: u64,
    /// Context + body + context, as read: not yet validated (see
    /// [`Job::text`]).
    pub window: Vec<u8>,
    /// The body, as a range of `window`.
    pub body: Range<usize>,
    /// Encoded blocks touching the window, in order, spans relative to
    /// `window` (clipped to it). A block that starts in the body ends in it.
    pub blocks: Vec<Block>,
}

impl Job {
    /// Validates the window and returns it as text: the body must be valid
    /// UTF-8 without NUL bytes; trailing context that is not (a character cut
    /// by the end of the window, or bad bytes that the next body will report)
    /// is left out.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUtf8`] or [`Error::Binary`] at the absolute offset of
    /// the first bad byte of the body.
    pub fn text(&self) -> Result<&str, Error> {
        let body = &self.window[self.body.clone()];
        if let Some(i) = memchr::memchr(0, body) {
            return Err(Error::Binary {
                offset: self.abs + (self.body.start + i) as u64,
            });
        }
        // A window usually ends inside a character (its trailing context is
        // cut by size): one validation up to the last whole character.
        let whole = complete_prefix(&self.window);
        if whole >= self.body.end {
            if let Ok(s) = simdutf8::basic::from_utf8(&self.window[..whole]) {
                return Ok(s);
            }
        }
        let valid = match simdutf8::compat::from_utf8(&self.window) {
            Ok(_) => self.window.len(),
            Err(e) => e.valid_up_to(),
        };
        if valid < self.body.end {
            return Err(Error::InvalidUtf8 {
                offset: self.abs + valid as u64,
            });
        }
        simdutf8::basic::from_utf8(&self.window[..valid]).map_err(|_| Error::InvalidUtf8 {
            offset: self.abs + valid as u64,
        })
    }
}

/// `b` without the incomplete UTF-8 sequence it may end with (at most three
/// bytes); the whole of `b` when its last character is complete or the
/// bytes are not UTF-8 there (validation reports them).
fn complete_prefix(b: &[u8]) -> usize {
    let n = b.len();
    for k in 1..=n.min(3) {
        let c = b[n - k];
        if c & 0xC0 != 0x80 {
            let len = match c {
                0xF8.. => 1,
                0xF0.. => 4,
                0xE0.. => 3,
                0xC0.. => 2,
                _ => 1,
            };
            return if len > k { n - k } else { n };
        }
    }
    n
}

/// Reads an input and hands out [`Job`]s.
pub struct Chunker<R> {
    reader: R,
    chunk_size: usize,
    context: usize,
    buf: Vec<u8>,
    /// Absolute offset of `buf[0]`.
    buf_abs: u64,
    /// Where the next body starts, relative to `buf`.
    next: usize,
    eof: bool,
    seq: u64,
    seg: Segmenter,
    /// Where windows come from (and return to, through the writer).
    recycler: Arc<Recycler>,
}

impl<R: Read> Chunker<R> {
    /// A chunker with the given target body size.
    pub fn new(reader: R, chunk_size: usize) -> Chunker<R> {
        Chunker::with_context(reader, chunk_size, MAX_CONTEXT)
    }

    /// A chunker with an explicit context size (tests).
    pub fn with_context(reader: R, chunk_size: usize, context: usize) -> Chunker<R> {
        Chunker {
            reader,
            chunk_size: chunk_size.max(1),
            context,
            buf: Vec::new(),
            buf_abs: 0,
            next: 0,
            eof: false,
            seq: 0,
            seg: Segmenter::new(),
            recycler: Arc::default(),
        }
    }

    /// The buffers this chunker takes its windows from: give a job's window
    /// back there once the job is done (see [`Recycler`]).
    pub fn recycler(&self) -> Arc<Recycler> {
        Arc::clone(&self.recycler)
    }

    /// Total bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.buf_abs + self.buf.len() as u64
    }

    /// True once every byte of the input has been handed out in a job:
    /// the next [`next_job`](Self::next_job) returns `None`.
    pub fn is_done(&self) -> bool {
        self.eof && self.next >= self.buf.len()
    }

    /// Reads until `buf` holds `want` bytes or the input ends. The buffer
    /// grows as data arrives (no zeroed 1 MiB per call: a short text read
    /// through the library costs what it holds).
    fn fill_to(&mut self, want: usize) -> Result<(), Error> {
        if self.eof || self.buf.len() >= want {
            return Ok(());
        }
        let need = (want - self.buf.len()) as u64;
        let got = (&mut self.reader)
            .take(need)
            .read_to_end(&mut self.buf)
            .map_err(|e| Error::io("reading input", e))?;
        if (got as u64) < need {
            self.eof = true;
        }
        Ok(())
    }

    /// The next job, or `None` at the end of the input.
    ///
    /// # Errors
    ///
    /// I/O errors reading the input.
    pub fn next_job(&mut self) -> Result<Option<Job>, Error> {
        let start = self.next;
        let target = start + self.chunk_size;
        // At least 4 bytes past the target, so a character cut by the
        // target can always be completed.
        self.fill_to(target + self.context.max(4))?;
        if start >= self.buf.len() {
            return Ok(None);
        }
        let mut cut = if self.eof && self.buf.len() <= target {
            self.buf.len()
        } else {
            match memchr::memrchr(b'\n', &self.buf[start..target]) {
                Some(i) => start + i + 1,
                None => {
                    let mut c = target;
                    while c > start && is_continuation(self.buf[c]) {
                        c -= 1;
                    }
                    if c == start {
                        c = target;
                        while c < self.buf.len() && is_continuation(self.buf[c]) {
                            c += 1;
                        }
                    }
                    c
                }
            }
        };
        // Never inside an encoded block, and every block touching the
        // window known whole.
        loop {
            self.seg.feed(&self.buf, self.buf_abs as usize, self.eof);
            let abs = self.buf_abs as usize;
            let cut_abs = abs + cut;
            if let Some(b) = self
                .seg
                .blocks()
                .iter()
                .find(|b| b.span.start < cut_abs && cut_abs < b.span.end)
            {
                cut = b.span.end - abs;
                self.fill_to(cut + self.context.max(4))?;
                continue;
            }
            let settled = self.seg.settled() - abs;
            if settled >= cut + self.context || settled >= self.buf.len() && self.eof {
                break;
            }
            let grow = (self.buf.len() - start).max(64 * 1024);
            self.fill_to(self.buf.len() + grow)?;
        }
        let mut ctx_start = start.saturating_sub(self.context);
        while ctx_start < start && is_continuation(self.buf[ctx_start]) {
            ctx_start += 1;
        }
        let ctx_end = (cut + self.context).min(self.buf.len());
        let mut window = self.recycler.take(ctx_end - ctx_start);
        window.extend_from_slice(&self.buf[ctx_start..ctx_end]);
        let win_abs = self.buf_abs as usize + ctx_start;
        let win_end = win_abs + window.len();
        let blocks = self
            .seg
            .blocks()
            .iter()
            .filter(|b| b.span.start < win_end && b.span.end > win_abs)
            .map(|b| Block {
                span: Span::new(
                    b.span.start.saturating_sub(win_abs),
                    b.span.end.min(win_end) - win_abs,
                ),
                kind: b.kind,
            })
            .collect();
        let job = Job {
            seq: self.seq,
            abs: self.buf_abs + ctx_start as u64,
            window,
            body: start - ctx_start..cut - ctx_start,
            blocks,
        };
        self.seq += 1;
        self.next = cut;
        // Keep only what the next window's leading context needs.
        let keep_from = cut.saturating_sub(self.context);
        self.seg.forget_before(self.buf_abs as usize + keep_from);
        if keep_from > 0 {
            self.buf.drain(..keep_from);
            self.buf_abs += keep_from as u64;
            self.next -= keep_from;
        }
        Ok(Some(job))
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(input: &str, size: usize, ctx: usize) -> Vec<String> {
        let mut c = Chunker::with_context(input.as_bytes(), size, ctx);
        let mut out = Vec::new();
        while let Some(j) = c.next_job().unwrap() {
            out.push(j.text().unwrap()[j.body.clone()].to_string());
        }
        out
    }

    #[test]
    fn a_cut_last_character_is_dropped_and_nothing_else() {
        let text = "aé山𠮷\n".as_bytes();
        for end in 0..=text.len() {
            let b = &text[..end];
            let want = match std::str::from_utf8(b) {
                Ok(_) => end,
                Err(e) => e.valid_up_to(),
            };
            assert_eq!(complete_prefix(b), want, "{b:?}");
        }
        // Bad bytes are left for validation to report.
        assert_eq!(complete_prefix(b"ab\x80"), 3);
        assert_eq!(complete_prefix(b"\xff"), 1);
    }

    #[test]
    fn is_done_after_the_last_job_only() {
        let input = "一行目です\nsecond line\n".repeat(10);
        let mut c = Chunker::with_context(input.as_bytes(), 64, 8);
        let mut done_after = Vec::new();
        while c.next_job().unwrap().is_some() {
            done_after.push(c.is_done());
        }
        assert!(done_after.len() > 1);
        let (last, rest) = done_after.split_last().unwrap();
        assert!(*last && rest.iter().all(|d| !d), "{done_after:?}");
        let mut one = Chunker::with_context(input.as_bytes(), 1 << 20, 8);
        assert!(one.next_job().unwrap().is_some());
        assert!(one.is_done());
        assert!(one.next_job().unwrap().is_none());
    }

    #[test]
    fn bodies_concatenate_to_the_input() {
        let input = "一行目です\nsecond line\n三行目\n".repeat(50);
        for size in [1, 2, 3, 7, 64, 1000, 1 << 20] {
            for ctx in [0, 5, 100] {
                assert_eq!(
                    bodies(&input, size, ctx).concat(),
                    input,
                    "size {size} ctx {ctx}"
                );
            }
        }
    }

    #[test]
    fn cuts_after_newlines_when_it_can() {
        let b = bodies("aaa\nbbb\nccc\n", 6, 2);
        assert_eq!(b, vec!["aaa\n", "bbb\n", "ccc\n"]);
    }

    #[test]
    fn windows_carry_context_on_both_sides() {
        let mut c = Chunker::with_context("0123456789".as_bytes(), 4, 3);
        let _ = c.next_job().unwrap().unwrap();
        let j = c.next_job().unwrap().unwrap();
        assert_eq!(&j.text().unwrap()[j.body.clone()], "4567");
        assert_eq!(j.text().unwrap(), "123456789");
        assert_eq!(j.abs, 1);
    }

    #[test]
    fn invalid_utf8_and_nul_are_errors() {
        let mut c = Chunker::new(&b"ok\n\xff\xfe"[..], 2);
        let mut err = None;
        while let Some(j) = c.next_job().unwrap() {
            if let Err(e) = j.text() {
                err = Some(e);
                break;
            }
        }
        assert!(
            matches!(err, Some(Error::InvalidUtf8 { offset: 3 })),
            "{err:?}"
        );
        let mut c = Chunker::new(&b"ab\0cd"[..], 1024);
        let j = c.next_job().unwrap().unwrap();
        assert!(matches!(j.text(), Err(Error::Binary { offset: 2 })));
    }

    #[test]
    fn truncated_character_at_end_is_an_error() {
        let bytes = "あ".as_bytes();
        let mut c = Chunker::new(&bytes[..2], 1024);
        let j = c.next_job().unwrap().unwrap();
        assert!(matches!(j.text(), Err(Error::InvalidUtf8 { offset: 0 })));
    }
}
