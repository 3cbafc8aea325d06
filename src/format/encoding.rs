//! Character encodings: detect the encoding of an input (UTF-8 with or
//! without BOM, Shift_JIS/CP932, EUC-JP, ISO-2022-JP), decode it strictly
//! into UTF-8, and encode masked text back.
//!
//! Decoding never replaces: an input that is not error-free in any supported
//! encoding is refused ([`Error::Encoding`]), so undecoded bytes never pass
//! through. Encoding never substitutes either: a character the target
//! encoding cannot represent is an error, never a silent `?`.
//!
//! Detection, in order: a UTF-8 BOM; ISO-2022-JP when the input is 7-bit,
//! holds a JIS escape sequence and decodes cleanly; UTF-8 when valid; then
//! EUC-JP and Shift_JIS by error-free decoding, both valid deciding by a
//! plausibility score (kana and common kanji score, half-width katakana,
//! private-use and rare characters cost). A tie is undecidable.
//!
//! [`DecodeReader`] and [`EncodeWriter`] do the same as streams, in bounded
//! memory (plain text in Shift_JIS, EUC-JP or ISO-2022-JP of any size).
//!
//! Round trips: text decoded from Shift_JIS and encoded again is
//! byte-identical except for the few CP932 characters with two codes (NEC
//! selected IBM extensions are written in their IBM form), as encoding_rs
//! follows the WHATWG encoders.

use encoding_rs::{Encoding, EUC_JP, ISO_2022_JP, SHIFT_JIS, UTF_8};

use crate::error::Error;

/// A supported character encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Charset {
    /// UTF-8.
    Utf8,
    /// Shift_JIS as Windows writes it (CP932 / Windows-31J).
    ShiftJis,
    /// EUC-JP.
    EucJp,
    /// ISO-2022-JP (JIS), the classic encoding of Japanese e-mail.
    Iso2022Jp,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

impl Charset {
    /// The canonical (MIME) name.
    pub fn name(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::ShiftJis => "Shift_JIS",
            Charset::EucJp => "EUC-JP",
            Charset::Iso2022Jp => "ISO-2022-JP",
        }
    }

    /// Parses a charset label (`utf-8`, `sjis`, `cp932`, `windows-31j`,
    /// `euc-jp`, `iso-2022-jp`, `us-ascii`, ...), case-insensitively.
    pub fn from_label(label: &str) -> Option<Charset> {
        let l = label.trim().trim_matches('"').to_ascii_lowercase();
        match l.as_str() {
            "utf8" | "utf-8" | "us-ascii" | "ascii" => return Some(Charset::Utf8),
            "sjis" | "cp932" | "shift-jis" | "ms932" => return Some(Charset::ShiftJis),
            "eucjp" => return Some(Charset::EucJp),
            "jis" => return Some(Charset::Iso2022Jp),
            _ => {}
        }
        let enc = Encoding::for_label(l.as_bytes())?;
        if enc == UTF_8 {
            Some(Charset::Utf8)
        } else if enc == SHIFT_JIS {
            Some(Charset::ShiftJis)
        } else if enc == EUC_JP {
            Some(Charset::EucJp)
        } else if enc == ISO_2022_JP {
            Some(Charset::Iso2022Jp)
        } else {
            None
        }
    }

    fn encoding(self) -> &'static Encoding {
        match self {
            Charset::Utf8 => UTF_8,
            Charset::ShiftJis => SHIFT_JIS,
            Charset::EucJp => EUC_JP,
            Charset::Iso2022Jp => ISO_2022_JP,
        }
    }
}

impl std::fmt::Display for Charset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An input decoded into UTF-8.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a BOM.
    pub text: String,
    /// The input's encoding.
    pub charset: Charset,
    /// True when the input started with a UTF-8 BOM.
    pub bom: bool,
}

/// Detects the encoding of `bytes` (see the module docs for the order).
///
/// # Errors
///
/// [`Error::Encoding`] when no supported encoding decodes the input without
/// errors, or when EUC-JP and Shift_JIS are equally plausible.
pub fn detect(bytes: &[u8]) -> Result<Charset, Error> {
    if bytes.starts_with(BOM) {
        return Ok(Charset::Utf8);
    }
    if bytes.is_ascii() && has_jis_escape(bytes) {
        if ISO_2022_JP
            .decode_without_bom_handling_and_without_replacement(bytes)
            .is_some()
        {
            return Ok(Charset::Iso2022Jp);
        }
        return Err(Error::Encoding(
            "input has ISO-2022-JP escape sequences but does not decode as ISO-2022-JP; nothing written".into(),
        ));
    }
    if simdutf8::basic::from_utf8(bytes).is_ok() {
        return Ok(Charset::Utf8);
    }
    let sjis = SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes);
    let euc = EUC_JP.decode_without_bom_handling_and_without_replacement(bytes);
    match (sjis, euc) {
        (Some(_), None) => Ok(Charset::ShiftJis),
        (None, Some(_)) => Ok(Charset::EucJp),
        (Some(s), Some(e)) => {
            let (a, b) = (plausibility(&s), plausibility(&e));
            if a > b {
                Ok(Charset::ShiftJis)
            } else if b > a {
                Ok(Charset::EucJp)
            } else {
                Err(Error::Encoding(
                    "cannot tell whether the input is Shift_JIS or EUC-JP; convert it to UTF-8 first; nothing written".into(),
                ))
            }
        }
        (None, None) => Err(Error::Encoding(format!(
            "input is not valid UTF-8 (first bad byte at {}), Shift_JIS, EUC-JP or ISO-2022-JP; nothing written",
            simdutf8::compat::from_utf8(bytes)
                .err()
                .map_or(0, |e| e.valid_up_to())
        ))),
    }
}

fn has_jis_escape(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"\x1b$B").is_some()
        || memchr::memmem::find(bytes, b"\x1b$@").is_some()
        || memchr::memmem::find(bytes, b"\x1b(J").is_some()
        || memchr::memmem::find(bytes, b"\x1b(I").is_some()
}

/// How plausible `text` is as Japanese: kana and kanji score, half-width
/// katakana and unusual characters cost.
fn plausibility(text: &str) -> i64 {
    let mut score = 0i64;
    for c in text.chars() {
        score += match c {
            '\u{3041}'..='\u{309F}' => 3,
            '\u{30A0}'..='\u{30FF}' => 2,
            '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF5E}' => 2,
            '\u{4E00}'..='\u{9FFF}' => 1,
            '\u{FF61}'..='\u{FF9F}' => -1,
            c if c.is_ascii() => 0,
            _ => -3,
        };
    }
    score
}

/// Detects and decodes `bytes` strictly.
///
/// # Errors
///
/// As [`detect`].
pub fn decode(bytes: &[u8]) -> Result<Decoded, Error> {
    let charset = detect(bytes)?;
    decode_as(bytes, charset)
}

/// Decodes `bytes` as `charset` strictly (a UTF-8 BOM is removed and noted).
///
/// # Errors
///
/// [`Error::Encoding`] when the bytes are not valid in `charset`.
pub fn decode_as(bytes: &[u8], charset: Charset) -> Result<Decoded, Error> {
    let (body, bom) = match bytes.strip_prefix(BOM) {
        Some(rest) if charset == Charset::Utf8 => (rest, true),
        _ => (bytes, false),
    };
    let text = match charset {
        Charset::Utf8 => match simdutf8::compat::from_utf8(body) {
            Ok(s) => s.to_string(),
            Err(e) => {
                return Err(Error::InvalidUtf8 {
                    offset: (e.valid_up_to() + usize::from(bom) * 3) as u64,
                })
            }
        },
        _ => charset
            .encoding()
            .decode_without_bom_handling_and_without_replacement(body)
            .ok_or_else(|| {
                Error::Encoding(format!("input is not valid {charset}; nothing written"))
            })?
            .into_owned(),
    };
    Ok(Decoded { text, charset, bom })
}

/// Encodes `text` as `charset`, with a UTF-8 BOM first when `bom` (UTF-8 only).
///
/// # Errors
///
/// [`Error::Encoding`] naming the first character `charset` cannot represent
/// (its code point and character offset; masked text never holds an
/// unmasked value at that point, but the message names no text either).
pub fn encode(text: &str, charset: Charset, bom: bool) -> Result<Vec<u8>, Error> {
    if charset == Charset::Utf8 {
        let mut out = Vec::with_capacity(text.len() + 3);
        if bom {
            out.extend_from_slice(BOM);
        }
        out.extend_from_slice(text.as_bytes());
        return Ok(out);
    }
    let (bytes, _, unmappable) = charset.encoding().encode(text);
    if unmappable {
        let (at, c) = text
            .chars()
            .enumerate()
            .find(|(_, c)| {
                let mut b = [0u8; 4];
                charset.encoding().encode(c.encode_utf8(&mut b)).2
            })
            .unwrap_or((0, '\u{FFFD}'));
        return Err(Error::Encoding(format!(
            "U+{:04X} (character {at}) cannot be written in {charset}; use --output-encoding utf-8; nothing written",
            c as u32
        )));
    }
    Ok(bytes.into_owned())
}

/// A reader that decodes `charset` into UTF-8 as it reads, strictly: a
/// malformed sequence is an [`std::io::ErrorKind::InvalidData`] error naming
/// its byte offset. Memory stays bounded whatever the input size.
pub struct DecodeReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    charset: Charset,
    inbuf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    finished: bool,
    out: Vec<u8>,
    pos: usize,
    consumed: u64,
}

impl<R: std::io::Read> DecodeReader<R> {
    /// Decodes `inner` as `charset` (a UTF-8 BOM is dropped).
    pub fn new(inner: R, charset: Charset) -> DecodeReader<R> {
        DecodeReader {
            inner,
            decoder: charset.encoding().new_decoder_with_bom_removal(),
            charset,
            inbuf: vec![0; 64 * 1024],
            start: 0,
            end: 0,
            eof: false,
            finished: false,
            out: Vec::new(),
            pos: 0,
            consumed: 0,
        }
    }

    /// Input bytes decoded so far.
    pub fn bytes_read(&self) -> u64 {
        self.consumed
    }
}

impl<R: std::io::Read> std::io::Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use encoding_rs::DecoderResult;
        loop {
            if self.pos < self.out.len() {
                let n = buf.len().min(self.out.len() - self.pos);
                buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
                self.pos += n;
                return Ok(n);
            }
            if self.finished {
                return Ok(0);
            }
            if self.start == self.end && !self.eof {
                let n = loop {
                    match self.inner.read(&mut self.inbuf) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                };
                self.start = 0;
                self.end = n;
                self.eof = n == 0;
            }
            let pending = self.end - self.start;
            let cap = self
                .decoder
                .max_utf8_buffer_length_without_replacement(pending)
                .unwrap_or(pending * 3 + 16)
                .max(16);
            self.out.clear();
            self.out.resize(cap, 0);
            let (res, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.inbuf[self.start..self.end],
                &mut self.out,
                self.eof,
            );
            self.start += read;
            self.consumed += read as u64;
            self.out.truncate(written);
            self.pos = 0;
            match res {
                DecoderResult::InputEmpty if self.eof => self.finished = true,
                DecoderResult::InputEmpty | DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, _) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "input is not valid {} near byte {}; nothing written",
                            self.charset,
                            self.consumed.saturating_sub(u64::from(bad))
                        ),
                    ))
                }
            }
        }
    }
}

/// A writer that takes UTF-8 and writes it encoded as `charset`, strictly:
/// a character the charset cannot hold is an
/// [`std::io::ErrorKind::InvalidData`] error, never a substitute. Call
/// [`EncodeWriter::finish`] at the end (ISO-2022-JP returns to ASCII there).
pub struct EncodeWriter<W: std::io::Write> {
    inner: W,
    encoder: encoding_rs::Encoder,
    charset: Charset,
    pending: Vec<u8>,
    buf: Vec<u8>,
    written: u64,
}

impl<W: std::io::Write> EncodeWriter<W> {
    /// Encodes into `inner` as `charset`.
    pub fn new(inner: W, charset: Charset) -> EncodeWriter<W> {
        EncodeWriter {
            inner,
            encoder: charset.encoding().new_encoder(),
            charset,
            pending: Vec::new(),
            buf: Vec::new(),
            written: 0,
        }
    }

    /// Bytes written to the inner writer so far.
    pub fn bytes_written(&self) -> u64 {
        self.written
    }

    fn encode(&mut self, text_len: usize, last: bool) -> std::io::Result<()> {
        use encoding_rs::EncoderResult;
        let text = simdutf8::basic::from_utf8(&self.pending[..text_len]).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, "invalid UTF-8 to encode")
        })?;
        let mut from = 0;
        loop {
            let cap = self
                .encoder
                .max_buffer_length_from_utf8_without_replacement(text.len() - from)
                .unwrap_or(64 * 1024)
                .max(16);
            self.buf.clear();
            self.buf.resize(cap, 0);
            let (res, read, written) = self.encoder.encode_from_utf8_without_replacement(
                &text[from..],
                &mut self.buf,
                last,
            );
            from += read;
            self.inner.write_all(&self.buf[..written])?;
            self.written += written as u64;
            match res {
                EncoderResult::InputEmpty => break,
                EncoderResult::OutputFull => {}
                EncoderResult::Unmappable(c) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "U+{:04X} cannot be written in {}; use --output-encoding utf-8",
                            c as u32, self.charset
                        ),
                    ))
                }
            }
        }
        self.pending.drain(..text_len);
        Ok(())
    }

    /// The inner writer.
    pub fn into_inner(self) -> W {
        self.inner
    }

    /// Ends the stream: encodes what is pending with the final state change
    /// and flushes.
    ///
    /// # Errors
    ///
    /// An incomplete UTF-8 sequence at the end, or a write error.
    pub fn finish(&mut self) -> std::io::Result<()> {
        if std::str::from_utf8(&self.pending).is_err() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "incomplete UTF-8 at the end of the output",
            ));
        }
        self.encode(self.pending.len(), true)?;
        self.inner.flush()
    }
}

impl<W: std::io::Write> std::io::Write for EncodeWriter<W> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(data);
        let valid = match simdutf8::compat::from_utf8(&self.pending) {
            Ok(s) => s.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(e) => return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
        };
        self.encode(valid, false)?;
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JA: &str = "お届け先：山田太郎様、電話 090-1234-5678。ありがとうございました。";

    fn enc(cs: Charset) -> Vec<u8> {
        encode(JA, cs, false).unwrap()
    }

    #[test]
    fn detects_each_encoding() {
        for cs in [
            Charset::Utf8,
            Charset::ShiftJis,
            Charset::EucJp,
            Charset::Iso2022Jp,
        ] {
            let bytes = enc(cs);
            assert_eq!(detect(&bytes).unwrap(), cs, "{cs}");
            let d = decode(&bytes).unwrap();
            assert_eq!(d.text, JA);
            assert_eq!(
                encode(&d.text, cs, d.bom).unwrap(),
                bytes,
                "{cs} round trip"
            );
        }
    }

    #[test]
    fn bom_is_noted_and_restored() {
        let mut b = BOM.to_vec();
        b.extend_from_slice("a,b\n".as_bytes());
        let d = decode(&b).unwrap();
        assert!(d.bom);
        assert_eq!(d.text, "a,b\n");
        assert_eq!(encode(&d.text, d.charset, d.bom).unwrap(), b);
    }

    #[test]
    fn garbage_is_refused() {
        assert!(matches!(
            decode(b"abc\xff\xff\xff\x80\x80"),
            Err(Error::Encoding(_))
        ));
    }

    #[test]
    fn unmappable_is_an_error_not_a_question_mark() {
        let e = encode("絵文字😀", Charset::ShiftJis, false).unwrap_err();
        assert!(e.to_string().contains("U+1F600"), "{e}");
    }

    #[test]
    fn streaming_adapters_match_whole_conversion() {
        use std::io::{Read, Write};
        for cs in [Charset::ShiftJis, Charset::EucJp, Charset::Iso2022Jp] {
            let text = JA.repeat(5000);
            let bytes = encode(&text, cs, false).unwrap();
            let mut r = DecodeReader::new(&bytes[..], cs);
            let mut got = String::new();
            r.read_to_string(&mut got).unwrap();
            assert_eq!(got, text, "{cs}");
            assert_eq!(r.bytes_read(), bytes.len() as u64);
            let mut w = EncodeWriter::new(Vec::new(), cs);
            for piece in text.as_bytes().chunks(7) {
                w.write_all(piece).unwrap();
            }
            w.finish().unwrap();
            assert_eq!(w.into_inner(), bytes, "{cs}");
        }
        let mut bad = encode(JA, Charset::ShiftJis, false).unwrap();
        bad.extend_from_slice(b"\x81\x20tail");
        let mut s = String::new();
        let e = DecodeReader::new(&bad[..], Charset::ShiftJis)
            .read_to_string(&mut s)
            .unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
        let mut w = EncodeWriter::new(Vec::new(), Charset::ShiftJis);
        assert!(w.write_all("😀".as_bytes()).is_err());
    }

    #[test]
    fn labels() {
        assert_eq!(Charset::from_label("Windows-31J"), Some(Charset::ShiftJis));
        assert_eq!(
            Charset::from_label("\"iso-2022-jp\""),
            Some(Charset::Iso2022Jp)
        );
        assert_eq!(Charset::from_label("x-euc-jp"), Some(Charset::EucJp));
        assert_eq!(Charset::from_label("koi8-r"), None);
    }
}
