//! The name model: weights, scoring and decoding.
//!
//! A linear model over BIO tags of tokens ([`O`], [`B`], [`I`]): each
//! token's score for a tag is the sum of the weights of its hashed features
//! ([`super::features`]) for that tag, plus a weight per tag transition;
//! the best tag sequence of a segment is found by Viterbi (an `I` never
//! follows an `O` or starts a segment). The weights are learned by an
//! averaged structured perceptron ([`super::train`]).
//!
//! The trained weights are embedded in the binary (`names.model`, built by
//! `cargo run --release --example train_names`; see
//! `dictionaries/names-model/README.md`). They are learned in part from the
//! Wikipedia Annotated Corpus, CC BY-SA 4.0, Kyoto University Language
//! Media Processing Lab; the file carries that attribution in its header.

use std::sync::{Arc, OnceLock};

use crate::error::Error;

/// log2 of the number of feature buckets.
pub const BUCKET_BITS: u32 = 18;
/// Number of feature buckets.
pub const BUCKETS: usize = 1 << BUCKET_BITS;
/// Number of tags.
pub const TAGS: usize = 3;
/// Outside a name.
pub const O: u8 = 0;
/// First token of a name.
pub const B: u8 = 1;
/// Another token of a name.
pub const I: u8 = 2;

/// The file header's magic bytes.
const MAGIC: &[u8; 8] = b"MASKNAME";
/// The file format version.
const VERSION: u32 = 1;

/// The embedded model file.
static EMBEDDED: &[u8] = include_bytes!("../../../dictionaries/names-model/names.model");

/// Tag transition weights: `trans[prev][cur]`, `prev == 3` at the start.
pub type Transitions = [[f32; TAGS]; TAGS + 1];

/// A trained model.
#[derive(Clone)]
pub struct Model {
    /// `BUCKETS * TAGS` weights, bucket-major.
    w: Vec<f32>,
    trans: Transitions,
    attribution: String,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("weights", &self.w.len())
            .field("attribution", &self.attribution)
            .finish_non_exhaustive()
    }
}

fn bad(message: &str) -> Error {
    Error::Build {
        detector: "name",
        message: format!("name model: {message}"),
    }
}

impl Model {
    /// The embedded model, parsed once per process.
    ///
    /// # Errors
    ///
    /// A model file that does not parse (a build with a broken file).
    pub fn embedded() -> Result<Arc<Model>, Error> {
        static CELL: OnceLock<Arc<Model>> = OnceLock::new();
        if let Some(m) = CELL.get() {
            return Ok(Arc::clone(m));
        }
        let m = Arc::new(Model::from_bytes(EMBEDDED)?);
        Ok(Arc::clone(CELL.get_or_init(|| m)))
    }

    /// A model from weights and transitions (as the trainer makes them).
    pub fn from_parts(w: Vec<f32>, trans: Transitions, attribution: &str) -> Model {
        debug_assert_eq!(w.len(), BUCKETS * TAGS);
        Model {
            w,
            trans,
            attribution: attribution.to_string(),
        }
    }

    /// The attribution the model file carries.
    pub fn attribution(&self) -> &str {
        &self.attribution
    }

    /// Parses a model file.
    ///
    /// # Errors
    ///
    /// Wrong magic, version or size.
    pub fn from_bytes(b: &[u8]) -> Result<Model, Error> {
        let mut at = 0usize;
        let mut take = |n: usize| -> Result<&[u8], Error> {
            let s = b.get(at..at + n).ok_or_else(|| bad("truncated"))?;
            at += n;
            Ok(s)
        };
        if take(8)? != MAGIC {
            return Err(bad("not a model file"));
        }
        let u32_of = |s: &[u8]| u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        if u32_of(take(4)?) != VERSION {
            return Err(bad("unknown version"));
        }
        if u32_of(take(4)?) != BUCKET_BITS {
            return Err(bad("bucket count differs from this build's features"));
        }
        let alen = u32_of(take(4)?) as usize;
        let attribution =
            String::from_utf8(take(alen)?.to_vec()).map_err(|_| bad("attribution is not UTF-8"))?;
        let f32_of = |s: &[u8]| f32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let scale = f32_of(take(4)?);
        let mut trans = [[0f32; TAGS]; TAGS + 1];
        for row in &mut trans {
            for v in row.iter_mut() {
                *v = f32_of(take(4)?);
            }
        }
        let raw = take(BUCKETS * TAGS * 2)?;
        let w = raw
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]) as f32 * scale)
            .collect();
        Ok(Model {
            w,
            trans,
            attribution,
        })
    }

    /// The model file: weights quantized to 16 bits.
    pub fn to_bytes(&self) -> Vec<u8> {
        let max = self.w.iter().fold(0f32, |m, &v| m.max(v.abs())).max(1e-9);
        let scale = max / i16::MAX as f32;
        let mut out = Vec::with_capacity(64 + self.attribution.len() + self.w.len() * 2);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&BUCKET_BITS.to_le_bytes());
        out.extend_from_slice(&(self.attribution.len() as u32).to_le_bytes());
        out.extend_from_slice(self.attribution.as_bytes());
        out.extend_from_slice(&scale.to_le_bytes());
        for row in &self.trans {
            for v in row {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        for &v in &self.w {
            let q = (v / scale).round().clamp(i16::MIN as f32, i16::MAX as f32) as i16;
            out.extend_from_slice(&q.to_le_bytes());
        }
        out
    }

    /// Makes every name `bias` cheaper to start (adds it to each
    /// transition into [`B`]): a positive bias trades precision for recall.
    /// The trainer sets it (tuned by cross-validation); the file keeps it.
    pub fn bias_names(&mut self, bias: f32) {
        for row in &mut self.trans {
            row[B as usize] += bias;
        }
    }

    /// The weights (bucket-major, [`TAGS`] per bucket).
    pub fn weights(&self) -> &[f32] {
        &self.w
    }

    /// The transition weights.
    pub fn transitions(&self) -> &Transitions {
        &self.trans
    }

    /// Per-token tag scores of `n` tokens with `per` features each.
    pub fn emissions(&self, feats: &[u32], per: usize, out: &mut Vec<[f32; TAGS]>) {
        emissions(&self.w, feats, per, out);
    }

    /// The best tags for the emission scores `em`.
    pub fn decode(&self, em: &[[f32; TAGS]], tags: &mut Vec<u8>) {
        viterbi(&self.trans, em, tags);
    }
}

/// Per-token tag scores from weights `w`.
pub fn emissions(w: &[f32], feats: &[u32], per: usize, out: &mut Vec<[f32; TAGS]>) {
    out.clear();
    for fs in feats.chunks_exact(per) {
        let mut s = [0f32; TAGS];
        for &f in fs {
            let b = f as usize * TAGS;
            if let Some(ws) = w.get(b..b + TAGS) {
                s[0] += ws[0];
                s[1] += ws[1];
                s[2] += ws[2];
            }
        }
        out.push(s);
    }
}

/// Whether tag `cur` may follow `prev` (3: the start).
fn allowed(prev: usize, cur: usize) -> bool {
    !(cur == I as usize && (prev == O as usize || prev == TAGS))
}

/// Viterbi decoding of BIO tags.
pub fn viterbi(trans: &Transitions, em: &[[f32; TAGS]], tags: &mut Vec<u8>) {
    tags.clear();
    let n = em.len();
    if n == 0 {
        return;
    }
    let mut score = vec![[f32::NEG_INFINITY; TAGS]; n];
    let mut back = vec![[0u8; TAGS]; n];
    for c in 0..TAGS {
        if allowed(TAGS, c) {
            score[0][c] = trans[TAGS][c] + em[0][c];
        }
    }
    for i in 1..n {
        for c in 0..TAGS {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0u8;
            for p in 0..TAGS {
                if !allowed(p, c) {
                    continue;
                }
                let v = score[i - 1][p] + trans[p][c];
                if v > best {
                    best = v;
                    arg = p as u8;
                }
            }
            score[i][c] = best + em[i][c];
            back[i][c] = arg;
        }
    }
    let mut last = 0u8;
    for c in 1..TAGS {
        if score[n - 1][c] > score[n - 1][last as usize] {
            last = c as u8;
        }
    }
    tags.resize(n, O);
    tags[n - 1] = last;
    for i in (1..n).rev() {
        tags[i - 1] = back[i][tags[i] as usize];
    }
}

/// The token ranges tagged as names (`B I*`).
pub fn spans(tags: &[u8], out: &mut Vec<std::ops::Range<usize>>) {
    out.clear();
    let mut i = 0;
    while i < tags.len() {
        if tags[i] == B {
            let s = i;
            i += 1;
            while i < tags.len() && tags[i] == I {
                i += 1;
            }
            out.push(s..i);
        } else {
            i += 1;
        }
    }
}

/// How much the model prefers the tokens `r` as one name over no name:
/// the emission score of `B I*` minus that of `O*`.
pub fn margin(em: &[[f32; TAGS]], r: std::ops::Range<usize>) -> f32 {
    let mut m = 0f32;
    for (k, i) in r.clone().enumerate() {
        let tag = if k == 0 { B } else { I } as usize;
        m += em[i][tag] - em[i][O as usize];
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viterbi_never_starts_a_name_with_i() {
        let trans = [[0f32; TAGS]; TAGS + 1];
        // I scores best everywhere, but may not start or follow O.
        let em = vec![[0.0, 0.5, 1.0], [0.0, 0.5, 1.0], [2.0, 0.0, 0.0]];
        let mut tags = Vec::new();
        viterbi(&trans, &em, &mut tags);
        assert_eq!(tags, vec![B, I, O]);
        let mut sp = Vec::new();
        spans(&tags, &mut sp);
        assert_eq!(sp, vec![0..2]);
        assert!((margin(&em, 0..2) - 1.5).abs() < 1e-6);
    }

    #[test]
    fn a_model_survives_its_file_format() {
        let mut w = vec![0f32; BUCKETS * TAGS];
        w[7] = 1.25;
        w[BUCKETS * TAGS - 1] = -0.5;
        let mut trans = [[0f32; TAGS]; TAGS + 1];
        trans[0][1] = 0.75;
        let m = Model::from_parts(w, trans, "test");
        let back = Model::from_bytes(&m.to_bytes()).expect("parses");
        assert_eq!(back.attribution(), "test");
        assert!((back.weights()[7] - 1.25).abs() < 1e-3);
        assert!((back.weights()[BUCKETS * TAGS - 1] + 0.5).abs() < 1e-3);
        assert_eq!(back.transitions()[0][1], 0.75);
        assert!(Model::from_bytes(b"MASKNAMX").is_err());
    }

    #[test]
    fn the_embedded_model_loads_and_carries_the_wac_attribution() {
        let m = Model::embedded().expect("embedded model parses");
        assert!(
            m.attribution().contains("CC BY-SA 4.0"),
            "{}",
            m.attribution()
        );
        assert!(m.attribution().contains("Kyoto University"));
    }
}
