//! Person names drawn from ENAMDICT (the gazetteer embedded in `mask`) for
//! generated business text, split in two fixed halves by a hash of the
//! surface: the name model trains on one ([`super::Names::Train`]), the
//! hold-out measurement uses only the other ([`super::Names::Holdout`]), so
//! it counts names no training document held.
//!
//! Kept: surnames of two or three kanji and given names of one to three
//! kanji (one kanji only when IPADIC also has it as a given name), each with
//! ENAMDICT's best reading for the role. Left out: a surface IPADIC reads as
//! one ordinary word and has no person entry for (`報告`, `大学`, `毎月`: a
//! name only by dictionary accident — training on `報告様` would teach the
//! model to mask the word). Each half is split again by whether IPADIC has
//! a person entry for the surface (`known`): the generator draws known names
//! seven times in ten, as business text mostly holds common names.

use std::sync::OnceLock;

use mask::detect::name::gazetteer::{Entry, Gazetteer, Kinds};
use mask::detect::name::lexicon::{Lexicon, Pos, GIVEN as IPADIC_GIVEN};
use mask::detect::name::romaji::{is_kanji, romanize};

/// One name part.
#[derive(Clone, Copy, Debug)]
pub struct Part {
    /// As written.
    pub surface: &'static str,
    /// Lowercase Hepburn of its reading (for e-mail addresses).
    pub romaji: &'static str,
    /// IPADIC has a person entry for it.
    pub known: bool,
}

/// One half of the ENAMDICT names.
#[derive(Debug, Default)]
pub struct Pool {
    pub known_surnames: Vec<Part>,
    pub other_surnames: Vec<Part>,
    pub known_given: Vec<Part>,
    pub other_given: Vec<Part>,
}

/// A name part IPADIC knows seven times in ten, else one it does not.
pub fn draw(rng: &mut super::Rng, known: &[Part], other: &[Part]) -> Part {
    let from = if rng.chance(70) { known } else { other };
    *rng.pick(from)
}

/// The held-out half (`holdout`) or the training half.
pub fn pool(holdout: bool) -> &'static Pool {
    static POOLS: OnceLock<[Pool; 2]> = OnceLock::new();
    &POOLS.get_or_init(build)[usize::from(holdout)]
}

fn build() -> [Pool; 2] {
    let lex = Lexicon::embedded().expect("the embedded IPADIC loads");
    let mut pools = [Pool::default(), Pool::default()];
    let mut toks = Vec::new();
    for e in Gazetteer::embedded().entries() {
        let s = e.surface();
        let n = s.chars().count();
        if !s.chars().all(is_kanji) {
            continue;
        }
        let ipadic = lex.name(s);
        // One ordinary word of IPADIC with no person entry: not a name.
        toks.clear();
        lex.tokenize(s, 0..s.len(), &mut toks);
        let one_word = toks.len() == 1 && toks[0].pos != Pos::Person && toks[0].pos != Pos::Unknown;
        if one_word && ipadic.is_none() {
            continue;
        }
        let half = &mut pools[usize::from(super::fnv1a(s) & 1 == 1)];
        if e.is_surname() && (2..=3).contains(&n) {
            if let Some(p) = part(&e, Kinds::SURNAME, ipadic.is_some()) {
                if p.known {
                    half.known_surnames.push(p);
                } else {
                    half.other_surnames.push(p);
                }
            }
        }
        let given_ok = match n {
            1 => ipadic.is_some_and(|i| i.kinds & IPADIC_GIVEN != 0),
            2 | 3 => true,
            _ => false,
        };
        if e.kinds().contains(Kinds::GIVEN.union(Kinds::UNCLASSIFIED))
            && !e.is_surname()
            && given_ok
        {
            let role = if e.is_given() {
                Kinds::GIVEN
            } else {
                Kinds::UNCLASSIFIED
            };
            if let Some(p) = part(&e, role, ipadic.is_some()) {
                if p.known {
                    half.known_given.push(p);
                } else {
                    half.other_given.push(p);
                }
            }
        }
    }
    pools
}

fn part(e: &Entry<'static>, role: Kinds, known: bool) -> Option<Part> {
    let reading = e.first_reading(role)?;
    let kana = reading.chars().count();
    if !(2..=6).contains(&kana) {
        return None;
    }
    let mut r = String::new();
    romanize(&reading, &mut r);
    if r.is_empty() || !r.is_ascii() {
        return None;
    }
    Some(Part {
        surface: e.surface(),
        romaji: Box::leak(r.into_boxed_str()),
        known,
    })
}
