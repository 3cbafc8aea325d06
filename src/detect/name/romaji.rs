//! Readings: kana → romaji (Hepburn) initials and spellings.
//!
//! A reading is katakana (hiragana is folded to katakana first). The initial
//! of a name part is the first letter of the Hepburn spelling of its first
//! mora: `シ` → `S`, `チ` → `C`, `ツ` → `T`, `フ` → `F`, `ジ`/`ヂ` → `J`,
//! `ヅ` → `Z`, `ヴ` → `V`.

/// Folds hiragana to katakana (other characters pass through).
pub fn to_katakana(c: char) -> char {
    match c {
        'ぁ'..='ゖ' | 'ゝ' | 'ゞ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
        _ => c,
    }
}

/// True for hiragana and katakana letters, the prolonged-sound mark and the
/// iteration marks (not the middle dot).
pub fn is_kana(c: char) -> bool {
    matches!(c, 'ぁ'..='ゖ' | 'ゝ' | 'ゞ' | 'ァ'..='ヺ' | 'ー' | 'ヽ' | 'ヾ')
}

/// True for CJK ideographs and the ideographic iteration mark `々`.
pub fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '々' | '〆' | 'ヶ')
        || ('\u{20000}'..='\u{2FFFF}').contains(&c)
}

/// The Hepburn spelling of one katakana mora (small kana combine with the
/// previous one by the caller).
fn mora(c: char) -> &'static str {
    match to_katakana(c) {
        'ア' | 'ァ' => "a",
        'イ' | 'ィ' | 'ヰ' => "i",
        'ウ' | 'ゥ' => "u",
        'エ' | 'ェ' | 'ヱ' => "e",
        'オ' | 'ォ' | 'ヲ' => "o",
        'カ' | 'ヵ' => "ka",
        'キ' => "ki",
        'ク' => "ku",
        'ケ' | 'ヶ' => "ke",
        'コ' => "ko",
        'ガ' => "ga",
        'ギ' => "gi",
        'グ' => "gu",
        'ゲ' => "ge",
        'ゴ' => "go",
        'サ' => "sa",
        'シ' => "shi",
        'ス' => "su",
        'セ' => "se",
        'ソ' => "so",
        'ザ' => "za",
        'ジ' | 'ヂ' => "ji",
        'ズ' | 'ヅ' => "zu",
        'ゼ' => "ze",
        'ゾ' => "zo",
        'タ' => "ta",
        'チ' => "chi",
        'ツ' => "tsu",
        'テ' => "te",
        'ト' => "to",
        'ダ' => "da",
        'デ' => "de",
        'ド' => "do",
        'ナ' => "na",
        'ニ' => "ni",
        'ヌ' => "nu",
        'ネ' => "ne",
        'ノ' => "no",
        'ハ' => "ha",
        'ヒ' => "hi",
        'フ' => "fu",
        'ヘ' => "he",
        'ホ' => "ho",
        'バ' => "ba",
        'ビ' => "bi",
        'ブ' => "bu",
        'ベ' => "be",
        'ボ' => "bo",
        'パ' => "pa",
        'ピ' => "pi",
        'プ' => "pu",
        'ペ' => "pe",
        'ポ' => "po",
        'マ' => "ma",
        'ミ' => "mi",
        'ム' => "mu",
        'メ' => "me",
        'モ' => "mo",
        'ヤ' | 'ャ' => "ya",
        'ユ' | 'ュ' => "yu",
        'ヨ' | 'ョ' => "yo",
        'ラ' => "ra",
        'リ' => "ri",
        'ル' => "ru",
        'レ' => "re",
        'ロ' => "ro",
        'ワ' | 'ヮ' => "wa",
        'ン' => "n",
        'ヴ' => "vu",
        'ヷ' => "va",
        'ヸ' => "vi",
        'ヹ' => "ve",
        'ヺ' => "vo",
        _ => "",
    }
}

/// The romaji initial (uppercase) of a reading: the first letter of the
/// Hepburn spelling of its first mora; `None` when it starts with no kana.
///
/// ```
/// use mask::detect::name::romaji::initial;
/// assert_eq!(initial("ヤマダ"), Some('Y'));
/// assert_eq!(initial("しょうた"), Some('S'));
/// assert_eq!(initial("チヒロ"), Some('C'));
/// assert_eq!(initial("ヅカ"), Some('Z'));
/// assert_eq!(initial("山田"), None);
/// ```
pub fn initial(reading: &str) -> Option<char> {
    let c = reading.chars().next()?;
    mora(c)
        .bytes()
        .next()
        .map(|b| b.to_ascii_uppercase() as char)
}

/// The initial of a name written in Latin letters (`Taro` → `T`).
pub fn latin_initial(word: &str) -> Option<char> {
    word.chars()
        .next()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase())
}

/// Appends the lowercase Hepburn spelling of a kana reading to `out`, in the
/// loose form used to match names written in Latin letters: long vowels are
/// not written (`サトウ` → `sato`, `ユウコ` → `yuko`), a sokuon doubles the
/// next consonant, and `ン` is `n`.
pub fn romanize(reading: &str, out: &mut String) {
    let start = out.len();
    let mut double = false;
    let mut chars = reading.chars().map(to_katakana).peekable();
    while let Some(c) = chars.next() {
        match c {
            'ッ' => {
                double = true;
                continue;
            }
            'ー' => continue,
            _ => {}
        }
        let m = mora(c);
        if m.is_empty() {
            continue;
        }
        let mut syl: [u8; 8] = [0; 8];
        let mut n = 0;
        for b in m.bytes() {
            syl[n] = b;
            n += 1;
        }
        // Small ャュョ / ァィゥェォ make a contracted sound with the mora before.
        if let Some(&next) = chars.peek() {
            let small = match next {
                'ャ' => Some("a"),
                'ュ' => Some("u"),
                'ョ' => Some("o"),
                'ァ' => Some("a"),
                'ィ' => Some("i"),
                'ェ' => Some("e"),
                'ォ' => Some("o"),
                _ => None,
            };
            if let Some(v) = small {
                chars.next();
                // shi+ya -> sha, chi+yu -> chu, ji+yo -> jo, ki+ya -> kya
                let base = &syl[..n];
                let stem: &[u8] = if base.ends_with(b"hi") && base.len() > 2 || base == b"ji" {
                    &base[..base.len() - 1]
                } else if base.ends_with(b"i") && matches!(next, 'ャ' | 'ュ' | 'ョ') {
                    // kya, nyu, ryo: keep the consonant, add y
                    let mut t = [0u8; 8];
                    let k = base.len() - 1;
                    t[..k].copy_from_slice(&base[..k]);
                    t[k] = b'y';
                    syl = t;
                    n = k + 1;
                    &syl[..n]
                } else {
                    // fa, fi, vi...: drop the vowel
                    &base[..base.len() - 1]
                };
                let stem_len = stem.len();
                let mut t = [0u8; 8];
                t[..stem_len].copy_from_slice(&syl[..stem_len]);
                t[stem_len] = v.as_bytes()[0];
                syl = t;
                n = stem_len + 1;
            }
        }
        if double {
            double = false;
            let first = if syl[0] == b'c' { b't' } else { syl[0] };
            if first.is_ascii_alphabetic() && !b"aiueon".contains(&first) {
                out.push(first as char);
            }
        }
        for &b in &syl[..n] {
            out.push(b as char);
        }
    }
    // Long vowels: ou, oo, uu, ei are written as one vowel in names.
    let tail = out.split_off(start);
    let mut prev = '\0';
    for c in tail.chars() {
        let long = matches!((prev, c), ('o', 'u') | ('o', 'o') | ('u', 'u'));
        if !long {
            out.push(c);
        }
        prev = c;
    }
}

/// Folds a Latin-letter name to the loose form [`romanize`] produces:
/// lowercase, `oh`/`ou`/`oo`/`uu` as one vowel (`Satoh`, `Satou` → `sato`).
pub fn fold_latin(word: &str, out: &mut String) {
    let bytes: Vec<u8> = word.bytes().map(|b| b.to_ascii_lowercase()).collect();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        out.push(b as char);
        if b == b'o' && i + 1 < bytes.len() {
            let n = bytes[i + 1];
            let next_is_vowel = bytes.get(i + 2).is_some_and(|c| b"aiueo".contains(c));
            if n == b'u' || n == b'o' || (n == b'h' && !next_is_vowel) {
                i += 1;
            }
        } else if b == b'u' && bytes.get(i + 1) == Some(&b'u') {
            i += 1;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_follow_hepburn() {
        for (r, i) in [
            ("ヤマダ", 'Y'),
            ("シライ", 'S'),
            ("チバ", 'C'),
            ("ツジ", 'T'),
            ("フジタ", 'F'),
            ("ジュン", 'J'),
            ("ヂ", 'J'),
            ("ヅカ", 'Z'),
            ("ヴィクトル", 'V'),
            ("オオノ", 'O'),
            ("ワタナベ", 'W'),
            ("ンジャイ", 'N'),
            ("やまだ", 'Y'),
            ("しょう", 'S'),
            ("ちひろ", 'C'),
        ] {
            assert_eq!(initial(r), Some(i), "{r}");
        }
        assert_eq!(initial(""), None);
        assert_eq!(initial("ー"), None);
    }

    #[test]
    fn romanization_is_loose_hepburn() {
        for (r, s) in [
            ("サトウ", "sato"),
            ("ヤマダ", "yamada"),
            ("イトウ", "ito"),
            ("ユウコ", "yuko"),
            ("ショウタ", "shota"),
            ("キョウコ", "kyoko"),
            ("ハットリ", "hattori"),
            ("イッチョウ", "itcho"),
            ("ジュンイチ", "junichi"),
            ("チヒロ", "chihiro"),
            ("ツヨシ", "tsuyoshi"),
            ("オオノ", "ono"),
        ] {
            let mut out = String::new();
            romanize(r, &mut out);
            assert_eq!(out, s, "{r}");
        }
        for (w, s) in [
            ("Satoh", "sato"),
            ("SATOU", "sato"),
            ("Ohno", "ono"),
            ("Yamada", "yamada"),
            ("Yuuko", "yuko"),
        ] {
            let mut out = String::new();
            fold_latin(w, &mut out);
            assert_eq!(out, s, "{w}");
        }
    }
}
