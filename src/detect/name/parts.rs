//! Splitting a found name into its parts and reading each part: the
//! reading of its position (a name alone as a surname), a full name written
//! together split at ENAMDICT's surname/given boundary, a cut-short given
//! name completed, and a romaji spelling written beside the name taken as
//! its reading. The model decides *where* a name is; this stage decides
//! *what its initials are* (and completes a name the tokenizer cut).

use super::lexicon::{Tok, PERSON};
use super::romaji::{self, is_kanji};
use super::{gazetteer, readings, Mention, NameDetector, Part};

impl NameDetector {
    /// Gives the kanji parts of one name the reading of their position: a
    /// part alone is read as a surname, two parts as surname and given name
    /// ([`readings::reading_for_role`]).
    pub(super) fn read_by_role(&self, text: &str, parts: &mut [Part]) {
        let roles: &[readings::Role] = match parts.len() {
            1 => &[readings::Role::Surname],
            2 => &[readings::Role::Surname, readings::Role::Given],
            _ => return,
        };
        for (p, &role) in parts.iter_mut().zip(roles) {
            let s = &text[p.start..p.end];
            if !s.chars().all(is_kanji) {
                continue;
            }
            if let Some(r) = readings::reading_for_role(s, role, &p.reading) {
                p.initial = romaji::initial(&r);
                p.reading = r;
            }
        }
    }

    /// A kanji full name written as one word that neither the tokenizer nor
    /// the tables know as one name (`義栄奈々`, `岩亀喜壱郎`): split at
    /// ENAMDICT's surname → given-name boundary
    /// ([`gazetteer::Gazetteer::split_full_name`]), so the given name keeps
    /// its initial. False (nothing pushed) when there is no such split.
    pub(super) fn split_written_together(
        &self,
        text: &str,
        group: &[Tok],
        out: &mut Vec<Part>,
    ) -> bool {
        let (Some(a), Some(b)) = (group.first(), group.last()) else {
            return false;
        };
        let (start, end) = (a.start, b.end);
        let s = &text[start..end];
        if self.lex.name(s).is_some_and(|n| n.kinds & PERSON != 0)
            || readings::common_reading(s, readings::Role::Any).is_some()
        {
            return false;
        }
        let Some(at) = gazetteer::Gazetteer::embedded().split_full_name(s) else {
            return false;
        };
        for (from, to, role) in [
            (start, start + at, readings::Role::Surname),
            (start + at, end, readings::Role::Given),
        ] {
            let part = &text[from..to];
            let reading = readings::common_reading(part, role)
                .or_else(|| readings::enamdict_reading(part, role))
                .unwrap_or_default();
            out.push(Part {
                start: from,
                end: to,
                initial: romaji::initial(&reading),
                reading,
            });
        }
        true
    }

    /// A name that stops one or two kanji short of its end (`碓水喜和|夫`,
    /// `愛賀 波渚|音`: the tokenizer cut a rare given name and the model
    /// took only its head) takes them in, when the last part with them is
    /// an ENAMDICT name of the part's role and what follows is not more
    /// kanji (or is an honorific), so no piece of the name is left readable.
    pub(super) fn extend_last_part(&self, text: &str, m: &mut Mention) {
        let n = m.parts.len();
        let Some(last) = m.parts.last() else {
            return;
        };
        if last.end != m.end || !text[last.start..last.end].chars().all(is_kanji) {
            return;
        }
        let kinds = if n >= 2 {
            gazetteer::Kinds::GIVEN
        } else {
            gazetteer::Kinds::PERSON
        };
        let mut best = None;
        let mut e = m.end;
        for c in text[m.end..].chars().take(2) {
            if !is_kanji(c) {
                break;
            }
            e += c.len_utf8();
            let next_ok = text[e..].chars().next().is_none_or(|c| !is_kanji(c))
                || self.honorific_at(text, e).is_some();
            let known = gazetteer::Gazetteer::embedded()
                .lookup(&text[last.start..e])
                .is_some_and(|en| en.kinds().contains(kinds));
            if next_ok && known {
                best = Some(e);
            }
        }
        let Some(e) = best else {
            return;
        };
        let role = if n >= 2 {
            readings::Role::Given
        } else {
            readings::Role::Any
        };
        let s = &text[last.start..e];
        let reading = readings::common_reading(s, role)
            .or_else(|| readings::enamdict_reading(s, role))
            .unwrap_or_default();
        m.end = e;
        if let Some(p) = m.parts.last_mut() {
            p.end = e;
            p.initial = romaji::initial(&reading);
            p.reading = reading;
        }
    }

    /// A romaji spelling written right after a two-part kanji name, behind
    /// `/`, `|` or a bracket (`竜丘　三喜子 / Tatsuoka Sakiko`,
    /// `碓水喜和夫（Usui Kiwao）`), is the name's own reading: each part
    /// takes its word's initial and kana when the word spells a reading the
    /// tables give the part, or the part has none. Surname-first and
    /// given-first orders are tried; at least one word must spell a known
    /// reading, so an unrelated Latin phrase changes nothing.
    pub(super) fn romaji_beside(&self, text: &str, m: &mut Mention) {
        if m.parts.len() != 2
            || !m
                .parts
                .iter()
                .all(|p| text[p.start..p.end].chars().all(is_kanji))
        {
            return;
        }
        let rest = text[m.end..].trim_start_matches([' ', '　']);
        let Some(rest) = rest.strip_prefix(['/', '／', '|', '｜', '(', '（']) else {
            return;
        };
        let latin: &str = rest
            .trim_start_matches([' ', '　'])
            .split(|c: char| !(c.is_ascii_alphabetic() || c == ' '))
            .next()
            .unwrap_or("");
        let words: Vec<&str> = latin.split_whitespace().collect();
        if words.len() != 2
            || !words
                .iter()
                .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
        {
            return;
        }
        let mut spellings = Vec::new();
        // Per part and word: Some((kana, true)) when the word spells a
        // reading of the part, Some((its first spelling, false)) when the part
        // has no reading anywhere, else None.
        let fit =
            |part: &Part, word: &str, spellings: &mut Vec<String>| -> Option<(String, bool)> {
                let s = &text[part.start..part.end];
                let mut known: Vec<String> = gazetteer::Gazetteer::embedded()
                    .lookup(s)
                    .map(|e| e.readings().map(|r| r.katakana).collect())
                    .unwrap_or_default();
                known.extend(readings::common_reading(s, readings::Role::Any));
                known.extend(self.lex.name(s).map(|n| n.reading.to_string()));
                spellings.clear();
                romaji::kana_spellings(word, spellings);
                if known.is_empty() {
                    return Some((spellings.first().cloned().unwrap_or_default(), false));
                }
                spellings
                    .iter()
                    .find(|k| known.contains(k))
                    .map(|k| (k.clone(), true))
            };
        for order in [[0, 1], [1, 0]] {
            let fits: Vec<Option<(String, bool)>> = (0..2)
                .map(|i| fit(&m.parts[i], words[order[i]], &mut spellings))
                .collect();
            if fits.iter().all(Option::is_some) && fits.iter().flatten().any(|k| k.1) {
                for (i, k) in fits.into_iter().enumerate() {
                    let word = words[order[i]];
                    let p = &mut m.parts[i];
                    p.initial = romaji::latin_initial(word);
                    if let Some((k, _)) = k.filter(|k| !k.0.is_empty()) {
                        p.reading = k;
                    }
                }
                return;
            }
        }
    }
}
