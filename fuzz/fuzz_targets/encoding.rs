//! Detects and decodes arbitrary bytes. Never panics; a decoded text can be
//! encoded back into its charset, except characters the WHATWG encoders do
//! not write (EUC-JP's JIS X 0212, Shift_JIS user-defined area), which must
//! be an `Error::Encoding`, never a substitute; UTF-8 (with its BOM)
//! round-trips byte for byte; what we encode decodes to the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mask::format::encoding::{decode, decode_as, encode, Charset};
use mask::Error;

fuzz_target!(|data: &[u8]| {
    let Ok(d) = decode(data) else { return };
    let back = match encode(&d.text, d.charset, d.bom) {
        Ok(b) => b,
        Err(Error::Encoding(_)) if d.charset != Charset::Utf8 => return,
        Err(e) => panic!("decoded text does not encode back: {e}"),
    };
    if d.charset == Charset::Utf8 {
        assert_eq!(back, data, "UTF-8 round trip");
    }
    let again = decode_as(&back, d.charset).expect("encoded text decodes");
    if d.charset != Charset::Iso2022Jp {
        assert_eq!(again.text, d.text, "encode/decode round trip");
    }
});
