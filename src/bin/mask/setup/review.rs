//! The review of one input, for `review` and `diff`: read whole, its format
//! chosen as masking chooses it ([`super::input::choose_format`]), then
//! scanned and masked. Plain text is reviewed finding by finding; a
//! structured input shows what masking would write, changed stretch by
//! changed stretch.

use std::path::Path;

use anyhow::Result;

use super::input::{fallback_note, read_all, with_fallback, Formats, HEAD};
use super::Common;
use mask::format::{self, encoding, Format};
use mask::review::Review;
use mask::{Error, Masker};

/// A reviewed input: its review, and the note of a fallback to text.
pub struct Reviewed {
    pub review: Review,
    pub note: Option<String>,
}

/// Reads `path` (standard input for `None`) and reviews it.
pub fn load(path: Option<&Path>, formats: &Formats, common: &Common) -> Result<Reviewed> {
    let bytes = read_all(path)?;
    let choice = formats.choose(path, &bytes[..bytes.len().min(HEAD)]);
    let masker = common.build_masker()?;
    let (review, fell) =
        with_fallback(choice, |f| review(&masker, formats, f, &bytes)).map_err(|(_, e)| e)?;
    Ok(Reviewed {
        review,
        note: fell.map(|(guess, why)| fallback_note(guess, &why, "reviewed")),
    })
}

/// The review of `bytes` read as `format`.
fn review(masker: &Masker, formats: &Formats, f: Format, bytes: &[u8]) -> Result<Review, Error> {
    if f == Format::Text {
        let text = std::str::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
            offset: e.valid_up_to() as u64,
        })?;
        return Review::new(masker, text);
    }
    let opts = formats.options(f, false);
    let out = format::process(masker, bytes, &opts)?;
    let scan = format::scan(masker, bytes, &opts)?;
    Ok(Review::of_structured(
        masker,
        as_text(bytes),
        as_text(&out.bytes),
        &scan.hits,
    ))
}

/// Bytes shown as text: decoded from their encoding (scan locates findings
/// in the decoded text), else with replacement characters.
fn as_text(bytes: &[u8]) -> String {
    match encoding::decode(bytes) {
        Ok(d) => d.text,
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}
