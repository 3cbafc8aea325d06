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
//! Two regularisers keep the model from learning the training text by
//! heart (it fitted 99.9% of the training tokens and generalised from
//! surfaces it had seen): *feature dropout* — each feature of each token
//! is left out of a step with probability [`Params::dropout`] (decided by
//! a hash of the seed, epoch, example, token and feature, so still
//! deterministic), which makes the weights of the other features (part of
//! speech, dictionary facts, context) carry the decision too; and a
//! *cost-augmented* decode — while training, every wrong tag scores
//! [`Params::cost`] more, so an example is updated until the gold tags
//! win by a margin, not merely win.
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

/// What [`train`] is asked to do.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    /// Features per token.
    pub per: usize,
    /// Passes over the data.
    pub epochs: usize,
    /// The shuffling (and dropout) seed.
    pub seed: u64,
    /// Probability that a feature of a token is left out of a step.
    pub dropout: f32,
    /// Added to every wrong tag's score while training (a margin).
    pub cost: f32,
}

/// splitmix64 of one value (the dropout decisions).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// splitmix64, for the shuffles.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
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

/// Trains a model on `examples` as `p` says.
pub fn train(examples: &[Example], p: &Params, attribution: &str) -> Model {
    let per = p.per;
    let mut a = Averaged {
        w: vec![0f32; BUCKETS * TAGS],
        acc: vec![0f32; BUCKETS * TAGS],
        trans: [[0f32; TAGS]; TAGS + 1],
        trans_acc: [[0f32; TAGS]; TAGS + 1],
        step: 1.0,
    };
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Rng(p.seed);
    let mut em = Vec::new();
    let mut pred = Vec::new();
    // Features kept this step (bucket, or u32::MAX when dropped).
    let mut feats: Vec<u32> = Vec::new();
    let cut = (f64::from(p.dropout.clamp(0.0, 1.0)) * u64::MAX as f64) as u64;
    for epoch in 0..p.epochs {
        // Fisher–Yates.
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &k in &order {
            let ex = &examples[k];
            feats.clear();
            if cut == 0 {
                feats.extend_from_slice(&ex.feats);
            } else {
                let base = mix(p.seed ^ mix(epoch as u64) ^ mix(k as u64).rotate_left(17));
                feats.extend(ex.feats.iter().enumerate().map(|(j, &f)| {
                    if mix(base ^ j as u64) < cut {
                        u32::MAX
                    } else {
                        f
                    }
                }));
            }
            emissions(&a.w, &feats, per, &mut em);
            if p.cost != 0.0 {
                for (e, &g) in em.iter_mut().zip(&ex.gold) {
                    for (t, v) in e.iter_mut().enumerate() {
                        if t != g as usize {
                            *v += p.cost;
                        }
                    }
                }
            }
            viterbi(&a.trans, &em, &mut pred);
            if pred != ex.gold {
                let wt = ex.weight;
                let mut pg = TAGS;
                let mut pp = TAGS;
                for (i, (&g, &pr)) in ex.gold.iter().zip(&pred).enumerate() {
                    let (g, pr) = (g as usize, pr as usize);
                    if g != pr {
                        for &f in &feats[i * per..(i + 1) * per] {
                            if f == u32::MAX {
                                continue;
                            }
                            a.add(f as usize * TAGS + g, wt);
                            a.add(f as usize * TAGS + pr, -wt);
                        }
                    }
                    if g != pr || pg != pp {
                        a.add_trans(pg, g, wt);
                        a.add_trans(pp, pr, -wt);
                    }
                    pg = g;
                    pp = pr;
                }
            }
            a.step += 1.0;
        }
    }
    averaged(&a.w, &a.acc, a.trans, &a.trans_acc, a.step, attribution)
}

/// The model of the average iterate, from the last weights and the running
/// sums `acc = Σ step · update` over `steps` steps (the lazy averaging
/// trick shared with [`super::crf`]).
pub(crate) fn averaged(
    w: &[f32],
    acc: &[f32],
    mut trans: Transitions,
    trans_acc: &Transitions,
    steps: f32,
    attribution: &str,
) -> Model {
    let w = w.iter().zip(acc).map(|(w, a)| w - a / steps).collect();
    for (row, acc) in trans.iter_mut().zip(trans_acc) {
        for (v, a) in row.iter_mut().zip(acc) {
            *v -= a / steps;
        }
    }
    Model::from_parts(w, trans, attribution)
}
