//! Training the name model: an averaged structured perceptron.
//!
//! Each example is one segment: its tokens' features and gold BIO tags,
//! with a weight (the generated business text counts less than real
//! prose). For every example in turn the current weights decode the
//! segment (Viterbi); where the prediction differs from the gold tags, the
//! gold features' weights rise and the predicted ones' fall, by the
//! example's weight. The result is the average of the weights over all
//! steps, which generalises far better than the last weights. The order of
//! the examples is shuffled each epoch by a seeded generator, so a run is
//! fully deterministic: same data, seed and epochs, same model bytes.
//!
//! Used by `examples/train_names.rs`; not needed at run time.

use super::model::{emissions, viterbi, Model, Transitions, BUCKETS, TAGS};

/// One training segment.
#[derive(Clone, Debug)]
pub struct Example {
    /// `gold.len() * per` feature buckets.
    pub feats: Vec<u32>,
    /// Gold tag per token.
    pub gold: Vec<u8>,
    /// How much this example counts.
    pub weight: f32,
}

/// splitmix64, for the shuffles.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Weights and their running sums for averaging (the lazy trick: `acc`
/// holds `Σ step · update`, the average is `w - acc / steps`).
struct Averaged {
    w: Vec<f32>,
    acc: Vec<f32>,
    trans: Transitions,
    trans_acc: Transitions,
    step: f32,
}

impl Averaged {
    fn add(&mut self, i: usize, v: f32) {
        self.w[i] += v;
        self.acc[i] += self.step * v;
    }

    fn add_trans(&mut self, p: usize, c: usize, v: f32) {
        self.trans[p][c] += v;
        self.trans_acc[p][c] += self.step * v;
    }
}

/// Trains a model on `examples` (`per` features a token) for `epochs`
/// passes, shuffled with `seed`.
pub fn train(
    examples: &[Example],
    per: usize,
    epochs: usize,
    seed: u64,
    attribution: &str,
) -> Model {
    let mut a = Averaged {
        w: vec![0f32; BUCKETS * TAGS],
        acc: vec![0f32; BUCKETS * TAGS],
        trans: [[0f32; TAGS]; TAGS + 1],
        trans_acc: [[0f32; TAGS]; TAGS + 1],
        step: 1.0,
    };
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Rng(seed);
    let mut em = Vec::new();
    let mut pred = Vec::new();
    for _ in 0..epochs {
        // Fisher–Yates.
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &k in &order {
            let ex = &examples[k];
            emissions(&a.w, &ex.feats, per, &mut em);
            viterbi(&a.trans, &em, &mut pred);
            if pred != ex.gold {
                let wt = ex.weight;
                let mut pg = TAGS;
                let mut pp = TAGS;
                for (i, (&g, &p)) in ex.gold.iter().zip(&pred).enumerate() {
                    let (g, p) = (g as usize, p as usize);
                    if g != p {
                        for &f in &ex.feats[i * per..(i + 1) * per] {
                            a.add(f as usize * TAGS + g, wt);
                            a.add(f as usize * TAGS + p, -wt);
                        }
                    }
                    if g != p || pg != pp {
                        a.add_trans(pg, g, wt);
                        a.add_trans(pp, p, -wt);
                    }
                    pg = g;
                    pp = p;
                }
            }
            a.step += 1.0;
        }
    }
    let steps = a.step;
    let w =
        a.w.iter()
            .zip(&a.acc)
            .map(|(w, acc)| w - acc / steps)
            .collect();
    let mut trans = a.trans;
    for (row, acc) in trans.iter_mut().zip(&a.trans_acc) {
        for (v, s) in row.iter_mut().zip(acc) {
            *v -= s / steps;
        }
    }
    Model::from_parts(w, trans, attribution)
}
