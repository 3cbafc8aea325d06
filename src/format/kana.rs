//! Readings to initials: a name's reading in katakana or hiragana (フリガナ)
//! or in romaji becomes Hepburn initials, one per space-separated part:
//! `ヤマダ タロウ` → `Y.T.`.
//!
//! The first mora of each part decides its letter, as Hepburn writes it:
//! シ → S, チ → C, ツ → T, フ → F, ジ/ヂ → J, ヅ → Z, ヴ → V. Half-width
//! katakana and full-width letters are folded first.

use unicode_normalization::UnicodeNormalization;

/// The Hepburn initial of one katakana (or hiragana) character, if it
/// starts a mora.
pub fn initial_of(c: char) -> Option<char> {
    // Hiragana → katakana.
    let c = match c {
        '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
        _ => c,
    };
    let l = match c {
        'ア' | 'ァ' => 'A',
        'イ' | 'ィ' => 'I',
        'ウ' | 'ゥ' => 'U',
        'エ' | 'ェ' => 'E',
        'オ' | 'ォ' | 'ヲ' => 'O',
        'カ' | 'キ' | 'ク' | 'ケ' | 'コ' | 'ヵ' | 'ヶ' => 'K',
        'ガ' | 'ギ' | 'グ' | 'ゲ' | 'ゴ' => 'G',
        'サ' | 'シ' | 'ス' | 'セ' | 'ソ' => 'S',
        'ザ' | 'ズ' | 'ゼ' | 'ゾ' => 'Z',
        'ジ' | 'ヂ' => 'J',
        'タ' | 'テ' | 'ト' | 'ツ' | 'ッ' => 'T',
        'チ' => 'C',
        'ダ' | 'デ' | 'ド' => 'D',
        'ヅ' => 'Z',
        'ナ' | 'ニ' | 'ヌ' | 'ネ' | 'ノ' | 'ン' => 'N',
        'ハ' | 'ヒ' | 'ヘ' | 'ホ' => 'H',
        'フ' => 'F',
        'バ' | 'ビ' | 'ブ' | 'ベ' | 'ボ' => 'B',
        'パ' | 'ピ' | 'プ' | 'ペ' | 'ポ' => 'P',
        'マ' | 'ミ' | 'ム' | 'メ' | 'モ' => 'M',
        'ヤ' | 'ユ' | 'ヨ' | 'ャ' | 'ュ' | 'ョ' => 'Y',
        'ラ' | 'リ' | 'ル' | 'レ' | 'ロ' => 'R',
        'ワ' | 'ヮ' | 'ヰ' | 'ヱ' => 'W',
        'ヴ' => 'V',
        c if c.is_ascii_alphabetic() => c.to_ascii_uppercase(),
        _ => return None,
    };
    Some(l)
}

/// True when `text` is a reading: kana (either script), romaji letters,
/// spaces, `・`, `ー` and dots only, with at least one letter or kana.
pub fn is_reading(text: &str) -> bool {
    let mut any = false;
    for c in text.nfkc() {
        match c {
            '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' => any = true,
            c if c.is_ascii_alphabetic() => any = true,
            ' ' | '\u{3000}' | '・' | 'ー' | '.' | '-' | '\'' => {}
            _ => return false,
        }
    }
    any
}

/// Initials of a reading: `ヤマダ タロウ` → `Y.T.`, `やまだ　たろう` → `Y.T.`,
/// `Taro Yamada` → `T.Y.`. `None` when no part starts with a kana or letter.
pub fn initials(reading: &str) -> Option<String> {
    let folded: String = reading.nfkc().collect();
    let mut out = String::new();
    for part in folded.split(|c: char| c.is_whitespace() || c == '・' || c == ',') {
        if let Some(l) = part.chars().find_map(initial_of) {
            out.push(l);
            out.push('.');
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hepburn_initials() {
        assert_eq!(initials("ヤマダ タロウ").as_deref(), Some("Y.T."));
        assert_eq!(initials("やまだ　たろう").as_deref(), Some("Y.T."));
        assert_eq!(initials("ｼﾐｽﾞ ﾁｶ").as_deref(), Some("S.C."));
        assert_eq!(initials("ツジ フミコ").as_deref(), Some("T.F."));
        assert_eq!(
            initials("ジンノ ヂロウ ヅカ ヴィ").as_deref(),
            Some("J.J.Z.V.")
        );
        assert_eq!(initials("Taro Yamada").as_deref(), Some("T.Y."));
        assert_eq!(initials("  "), None);
    }

    #[test]
    fn readings() {
        assert!(is_reading("ヤマダ タロウ"));
        assert!(is_reading("Taro Yamada"));
        assert!(!is_reading("山田 太郎"));
        assert!(!is_reading(""));
    }
}
