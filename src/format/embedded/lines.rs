//! Lines of a buffer and what may be in them, found sixteen bytes at a time.
//!
//! The segmenter reads its input line by line, and almost every line of
//! business text holds no encoded content at all. What it needs to know of a
//! line before looking closer is where it ends and whether it *may* hold
//! something ([`LineMarks`]): an escape byte (ISO-2022-JP), a `=` (an encoded
//! word starts `=?`) or a run of [`MIN_TOKEN`] bytes of the base64 alphabets (a
//! base64 token). [`Lines`] classifies a window of the buffer at a time with
//! vector compares (the `wide` crate: SSE2 on x86-64, NEON, or plain code
//! elsewhere), keeps one bit per byte for newlines, rare bytes and starts of
//! base64 runs, and answers each line from those bits. Vectors of Japanese
//! text (every byte ≥ 0x80) are passed over after one test.
//!
//! A line the window cannot hold (longer than [`WINDOW`] bytes, or running
//! into the end of the buffer) is answered by [`line_at`] and a plain scan
//! of its bytes ([`LineMarks::scan`]), which is also the reference the
//! vector answers are tested against.

use wide::u8x16;

use super::{is_b64, line_at, MIN_TOKEN};

/// Bytes classified at a time.
pub(super) const WINDOW: usize = 64 * WORDS;

/// 64-bit words of bits per class in a window.
const WORDS: usize = 64;

/// What a line may hold. Both flags may be true for nothing; false means
/// none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct LineMarks {
    /// An escape byte (ISO-2022-JP).
    pub(super) escape: bool,
    /// A `=` (an encoded word) or a run of [`MIN_TOKEN`] base64 characters
    /// (a token): something the in-line scan may take.
    pub(super) inline: bool,
}

impl LineMarks {
    /// The marks of one line's bytes, one byte at a time.
    pub(super) fn scan(line: &[u8]) -> LineMarks {
        let escape = memchr::memchr(0x1b, line).is_some();
        let mut inline = memchr::memchr(b'=', line).is_some();
        let mut run = 0;
        for &c in line {
            if inline {
                break;
            }
            run = if is_b64(c) { run + 1 } else { 0 };
            inline = run >= MIN_TOKEN;
        }
        LineMarks { escape, inline }
    }
}

/// One window of a buffer classified: bit `i` of a class is about byte
/// `start + i`.
pub(super) struct Lines {
    /// Buffer offset of the window's first byte.
    start: usize,
    /// Bytes in the window (fewer than [`WINDOW`] at the buffer's end).
    len: usize,
    /// `\n` bytes.
    newline: [u64; WORDS],
    /// Escape and `=` bytes.
    rare: [u64; WORDS],
    /// Bytes that start a run of [`MIN_TOKEN`] base64 characters.
    runs: [u64; WORDS],
    /// Bytes that make their line worth a closer look: rare bytes, starts
    /// of runs, and the first byte of a line when it is of the base64
    /// alphabet (a header name, a line of base64).
    interest: [u64; WORDS],
}

impl Default for Lines {
    fn default() -> Lines {
        Lines {
            start: 0,
            len: 0,
            newline: [0; WORDS],
            rare: [0; WORDS],
            runs: [0; WORDS],
            interest: [0; WORDS],
        }
    }
}

impl Lines {
    /// The line at `at`: the end of its content (without `\r\n`), the start
    /// of the next line and its marks; `None` when the line is not complete
    /// yet. The same lines as [`line_at`].
    pub(super) fn line(
        &mut self,
        buf: &[u8],
        at: usize,
        eof: bool,
    ) -> Option<(usize, usize, LineMarks)> {
        if at < self.start || at >= self.start + self.len {
            self.fill(buf, at);
        }
        let nl = match self.first_from(&self.newline, at) {
            Some(nl) => nl,
            None if self.start == at || self.start + self.len >= buf.len() => {
                return self.whole(buf, at, eof);
            }
            None => {
                // The line runs past the window: a window from its start.
                self.fill(buf, at);
                match self.first_from(&self.newline, at) {
                    Some(nl) => nl,
                    None => return self.whole(buf, at, eof),
                }
            }
        };
        let end = if nl > at && buf[nl - 1] == b'\r' {
            nl - 1
        } else {
            nl
        };
        let rare = self.any(&self.rare, at, end);
        let marks = LineMarks {
            escape: rare && memchr::memchr(0x1b, &buf[at..end]).is_some(),
            inline: self.any(&self.runs, at, end)
                || rare && memchr::memchr(b'=', &buf[at..end]).is_some(),
        };
        Some((end, nl + 1, marks))
    }

    /// The first line start from `at` (a line start) whose line may hold
    /// something: the lines before it are whole, start with no byte of the
    /// base64 alphabet (so no header name, no line of base64) and hold no
    /// rare byte and no run; the segmenter passes over them at once.
    pub(super) fn skip(&mut self, buf: &[u8], at: usize) -> usize {
        if buf.get(at).is_none_or(|&c| is_b64(c)) {
            return at;
        }
        if at < self.start || at >= self.start + self.len {
            self.fill(buf, at);
        }
        let end = self
            .first_from(&self.interest, at)
            .unwrap_or(self.start + self.len);
        self.last_newline(at, end).map_or(at, |nl| nl + 1)
    }

    /// The last newline in `at..end` (both in the window, or `end` just
    /// past it).
    fn last_newline(&self, at: usize, end: usize) -> Option<usize> {
        if at >= end {
            return None;
        }
        let (a, e) = (at - self.start, end - self.start);
        let first = a / 64;
        let mut k = (e - 1) / 64;
        let mut w = self.newline[k] & !0u64 >> (63 - (e - 1) % 64);
        loop {
            if k == first {
                w &= !0u64 << (a % 64);
            }
            if w != 0 {
                return Some(self.start + k * 64 + 63 - w.leading_zeros() as usize);
            }
            if k == first {
                return None;
            }
            k -= 1;
            w = self.newline[k];
        }
    }

    /// A line no window holds whole: [`line_at`] and a plain scan.
    fn whole(&self, buf: &[u8], at: usize, eof: bool) -> Option<(usize, usize, LineMarks)> {
        let (end, next) = line_at(buf, at, eof)?;
        Some((end, next, LineMarks::scan(&buf[at..end])))
    }

    /// The first byte of `class` at or after `at` in the window.
    fn first_from(&self, class: &[u64; WORDS], at: usize) -> Option<usize> {
        let rel = at - self.start;
        let mut k = rel / 64;
        let mut w = class[k] & (!0u64 << (rel % 64));
        loop {
            if w != 0 {
                return Some(self.start + k * 64 + w.trailing_zeros() as usize);
            }
            k += 1;
            if k * 64 >= self.len {
                return None;
            }
            w = class[k];
        }
    }

    /// Whether a bit of `class` is set for a byte in `at..end` (both in the
    /// window).
    fn any(&self, class: &[u64; WORDS], at: usize, end: usize) -> bool {
        if at >= end {
            return false;
        }
        let (a, e) = (at - self.start, end - self.start);
        let (first, last) = (a / 64, (e - 1) / 64);
        let low = !0u64 << (a % 64);
        let high = !0u64 >> (63 - (e - 1) % 64);
        if first == last {
            return class[first] & low & high != 0;
        }
        class[first] & low != 0
            || class[first + 1..last].iter().any(|&w| w != 0)
            || class[last] & high != 0
    }

    /// Classifies the window of `buf` that starts at `start`.
    fn fill(&mut self, buf: &[u8], start: usize) {
        let bytes = &buf[start..buf.len().min(start + WINDOW)];
        self.start = start;
        self.len = bytes.len();
        let mut b64 = [0u64; WORDS + 1];
        let mut words = bytes.chunks_exact(64);
        let mut k = 0;
        for word in &mut words {
            let c = classify(word.try_into().expect("64 bytes"));
            (self.newline[k], self.rare[k], b64[k]) = (c.newline, c.rare, c.b64);
            k += 1;
        }
        if !words.remainder().is_empty() {
            let mut last = [0u8; 64];
            last[..words.remainder().len()].copy_from_slice(words.remainder());
            let c = classify(&last);
            (self.newline[k], self.rare[k], b64[k]) = (c.newline, c.rare, c.b64);
        }
        let words = bytes.len().div_ceil(64);
        for w in &mut self.newline[words..] {
            *w = 0;
        }
        // Bit i of `runs`: bits i..i+16 of `b64` all set ([`MIN_TOKEN`] is 16) (the next word
        // supplies the bits past this one; past the window there are none).
        // Only the window's words: bits past it are never read.
        for k in 0..words {
            let w = u128::from(b64[k]) | u128::from(b64[k + 1]) << 64;
            let r = w & w >> 1;
            let r = r & r >> 2;
            let r = r & r >> 4;
            let r = r & r >> 8;
            self.runs[k] = r as u64;
            let starts =
                self.newline[k] << 1 | k.checked_sub(1).map_or(0, |p| self.newline[p] >> 63);
            self.interest[k] = self.rare[k] | self.runs[k] | starts & b64[k];
        }
    }
}

/// The class bits of 64 bytes (bit `j`: byte `j`).
struct Classes {
    newline: u64,
    rare: u64,
    b64: u64,
}

/// Classifies 64 bytes, sixteen at a time.
fn classify(bytes: &[u8; 64]) -> Classes {
    let v: [u8x16; 4] = std::array::from_fn(|j| {
        u8x16::new(bytes[16 * j..16 * j + 16].try_into().expect("16 bytes"))
    });
    let mut c = Classes {
        newline: 0,
        rare: 0,
        b64: 0,
    };
    // Japanese text: every byte has its high bit set.
    if (v[0] & v[1] & v[2] & v[3]).to_bitmask() == 0xFFFF {
        return c;
    }
    for (j, v) in v.into_iter().enumerate() {
        if v.to_bitmask() == 0xFFFF {
            continue;
        }
        let eq = |c: u8| v.simd_eq(u8x16::splat(c));
        // Unsigned `lo <= x < lo + n`.
        let within = |x: u8x16, lo: u8, n: u8| {
            let d = x - u8x16::splat(lo);
            d.min(u8x16::splat(n - 1)).simd_eq(d)
        };
        let b64 = within(v, b'0', 10)
            | within(v | u8x16::splat(0x20), b'a', 26)
            | eq(b'+')
            | eq(b'/')
            | eq(b'-')
            | eq(b'_');
        let bits = |m: u8x16| u64::from(m.to_bitmask()) << (16 * j);
        c.newline |= bits(eq(b'\n'));
        c.rare |= bits(eq(0x1b) | eq(b'='));
        c.b64 |= bits(b64);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of `buf` read by [`Lines`] and by [`line_at`] + a scan.
    fn check(buf: &[u8]) {
        for eof in [true, false] {
            let mut lines = Lines::default();
            let mut at = 0;
            while at < buf.len() {
                let got = lines.line(buf, at, eof);
                let want = line_at(buf, at, eof)
                    .map(|(end, next)| (end, next, LineMarks::scan(&buf[at..end])));
                assert_eq!(
                    got,
                    want,
                    "line at {at} (eof {eof}) of {:?}",
                    String::from_utf8_lossy(buf)
                );
                let Some((_, next, _)) = got else { break };
                at = next;
            }
        }
        // Every line passed over is whole and holds nothing.
        let mut lines = Lines::default();
        let mut at = 0;
        while at < buf.len() {
            let to = lines.skip(buf, at);
            assert!(to == at || buf[to - 1] == b'\n', "{at} -> {to}");
            let mut p = at;
            while p < to {
                let (end, next) = line_at(buf, p, false).expect("a whole line");
                let line = &buf[p..end];
                assert!(!line.first().is_some_and(|&c| is_b64(c)), "{p}");
                assert_eq!(LineMarks::scan(line), LineMarks::default(), "{p}");
                p = next;
            }
            assert_eq!(p, to);
            at = match lines.line(buf, to, true) {
                Some((_, next, _)) => next,
                None => break,
            };
        }
    }

    #[test]
    fn every_byte_is_classified_as_the_table_says() {
        for b in 0u8..=255 {
            for at in [0, 5, 15, 16, 40, 63] {
                let mut a = [0u8; 64];
                for (i, x) in a.iter_mut().enumerate() {
                    *x = b"Az09+/_-\xe3"[i % 9];
                }
                a[at] = b;
                let c = classify(&a);
                assert_eq!(c.b64 >> at & 1 == 1, is_b64(b), "{b:#x}");
                assert_eq!(c.newline >> at & 1 == 1, b == b'\n', "{b:#x}");
                assert_eq!(c.rare >> at & 1 == 1, b == 0x1b || b == b'=', "{b:#x}");
            }
        }
    }

    #[test]
    fn marks_and_line_ends_agree_with_a_plain_scan() {
        let tok = "QUJDREVGR0hJSktM";
        let mut text = String::new();
        for n in 0..300 {
            text.push_str(&"い".repeat(n % 7));
            match n % 5 {
                0 => text.push_str(&tok[..n % 17]),
                1 => text.push_str("=?"),
                2 => text.push('\x1b'),
                3 => text.push_str(&"ab".repeat(n % 11)),
                _ => {}
            }
            text.push_str(if n % 3 == 0 { "\r\n" } else { "\n" });
        }
        let b = text.as_bytes();
        // Every placement of the lines against window edges.
        for skip in 0..70 {
            check(&b[skip..]);
        }
        check(b"");
        check(b"no newline at all");
        check("x".repeat(WINDOW * 2 + 3).as_bytes());
        check(format!("{}\n{}\n", "y".repeat(WINDOW - 1), tok).as_bytes());
        check(format!("{}{tok}\n", "。".repeat(WINDOW / 3 - 2)).as_bytes());
    }

    #[test]
    fn a_run_is_marked_wherever_it_lies() {
        let tok = "QUJDREVGR0hJSktM";
        for pre in 0..80 {
            let line = format!("{}{tok}\nあ\n", "う".repeat(pre));
            let (_, _, m) = Lines::default()
                .line(line.as_bytes(), 0, true)
                .expect("a whole line");
            assert!(m.inline, "{pre}");
            let short = format!("{}{}\n", "う".repeat(pre), &tok[1..]);
            let (_, _, m) = Lines::default()
                .line(short.as_bytes(), 0, true)
                .expect("a whole line");
            assert!(!m.inline, "{pre}");
        }
    }

    #[test]
    fn prose_with_short_ascii_runs_is_not_marked() {
        for line in [
            "いつもお世話になっております。",
            "なお、11月30日 2:00〜6:00 はサービスを停止いたします。",
            "See the Q3 plan, v2.4.1 is out.",
            "お電話は 090-1234-5678 まで。",
        ] {
            let text = format!("{line}\n");
            let (end, _, m) = Lines::default()
                .line(text.as_bytes(), 0, true)
                .expect("a whole line");
            assert_eq!(end, line.len());
            assert_eq!(m, LineMarks::default(), "{line}");
        }
    }
}
