//! Training the name model as a linear-chain CRF.
//!
//! The same model as [`super::train`]'s perceptron (hashed features, BIO
//! tags, transitions; [`super::model`] scores and decodes it the same way),
//! learned by maximising the conditional log-likelihood of the gold tags:
//! for each segment, forward–backward gives every token's tag marginals
//! and every transition's, and the gradient of a feature's weight for a tag
//! is the example's weight times (marginal − gold indicator). Steps are
//! AdaGrad (a per-weight step size, so rare features such as one surname
//! move as fast as the part of speech), with an L2 penalty applied to the
//! weights an example touches (scaled by how often the feature occurs, the
//! usual sparse approximation of `λ/2 · ‖w‖²` over the data), and the
//! result is the average of the iterates. Optionally *softmax-margin*: a
//! wrong tag scores [`CrfParams::cost`] more while training, as in the
//! perceptron's cost-augmented decode.
//!
//! Deterministic like the perceptron: the example order is shuffled by a
//! seeded generator each epoch. Used by `examples/train_names.rs`; not
//! needed at run time.

use super::model::{emissions, Model, Transitions, BUCKETS, TAGS};
use super::train::{averaged, Example, Rng};

/// What [`train_crf`] is asked to do.
#[derive(Clone, Copy, Debug)]
pub struct CrfParams {
    /// Features per token.
    pub per: usize,
    /// Passes over the data.
    pub epochs: usize,
    /// The shuffling seed.
    pub seed: u64,
    /// AdaGrad's base step.
    pub rate: f32,
    /// The L2 penalty per occurrence of a feature.
    pub l2: f32,
    /// Added to every wrong tag's score while training (softmax-margin).
    pub cost: f32,
}

/// `ln(Σ exp(v))` of a few values.
fn log_sum_exp(v: &[f32]) -> f32 {
    let m = v.iter().fold(f32::NEG_INFINITY, |m, &x| m.max(x));
    if m == f32::NEG_INFINITY {
        return m;
    }
    m + v.iter().map(|&x| (x - m).exp()).sum::<f32>().ln()
}

/// Tag and transition marginals of one segment.
struct Marginals {
    /// `node[i][t]`: probability that token `i` has tag `t`.
    node: Vec<[f32; TAGS]>,
    /// Expected count of each transition (`TAGS` row: from the start).
    edge: Transitions,
}

/// Forward–backward over emission scores `em` and transitions `trans`.
fn marginals(trans: &Transitions, em: &[[f32; TAGS]], out: &mut Marginals) {
    let n = em.len();
    let neg = f32::NEG_INFINITY;
    let mut alpha = vec![[neg; TAGS]; n];
    let mut beta = vec![[0f32; TAGS]; n];
    for c in 0..TAGS {
        if allowed(TAGS, c) {
            alpha[0][c] = trans[TAGS][c] + em[0][c];
        }
    }
    let mut buf = [0f32; TAGS];
    for i in 1..n {
        for c in 0..TAGS {
            for p in 0..TAGS {
                buf[p] = if allowed(p, c) {
                    alpha[i - 1][p] + trans[p][c]
                } else {
                    neg
                };
            }
            alpha[i][c] = log_sum_exp(&buf) + em[i][c];
        }
    }
    for i in (0..n.saturating_sub(1)).rev() {
        for p in 0..TAGS {
            for c in 0..TAGS {
                buf[c] = if allowed(p, c) {
                    trans[p][c] + em[i + 1][c] + beta[i + 1][c]
                } else {
                    neg
                };
            }
            beta[i][p] = log_sum_exp(&buf);
        }
    }
    let z = log_sum_exp(&alpha[n - 1]);
    out.node.clear();
    out.node.extend(alpha.iter().zip(&beta).map(|(a, b)| {
        let mut m = [0f32; TAGS];
        for t in 0..TAGS {
            m[t] = (a[t] + b[t] - z).exp();
        }
        m
    }));
    out.edge = [[0f32; TAGS]; TAGS + 1];
    for c in 0..TAGS {
        out.edge[TAGS][c] = out.node[0][c];
    }
    for i in 1..n {
        for p in 0..TAGS {
            for c in 0..TAGS {
                if allowed(p, c) {
                    out.edge[p][c] +=
                        (alpha[i - 1][p] + trans[p][c] + em[i][c] + beta[i][c] - z).exp();
                }
            }
        }
    }
}

/// Whether tag `cur` may follow `prev` (`TAGS`: the start), as the decoder
/// allows it: `I` (2) never starts a segment or follows `O` (0).
fn allowed(prev: usize, cur: usize) -> bool {
    !(cur == 2 && (prev == 0 || prev == TAGS))
}

/// AdaGrad state with iterate averaging (`acc` holds `Σ step · update`;
/// the average is `w - acc / steps`).
struct State {
    w: Vec<f32>,
    g2: Vec<f32>,
    acc: Vec<f32>,
    trans: Transitions,
    trans_g2: Transitions,
    trans_acc: Transitions,
    step: f32,
    rate: f32,
}

impl State {
    fn step_weight(&mut self, i: usize, g: f32) {
        self.g2[i] += g * g;
        let d = -self.rate * g / (self.g2[i].sqrt() + 1e-6);
        self.w[i] += d;
        self.acc[i] += self.step * d;
    }

    fn step_trans(&mut self, p: usize, c: usize, g: f32) {
        self.trans_g2[p][c] += g * g;
        let d = -self.rate * g / (self.trans_g2[p][c].sqrt() + 1e-6);
        self.trans[p][c] += d;
        self.trans_acc[p][c] += self.step * d;
    }
}

/// Trains a model on `examples` as `p` says.
pub fn train_crf(examples: &[Example], p: &CrfParams, attribution: &str) -> Model {
    let per = p.per;
    let mut s = State {
        w: vec![0f32; BUCKETS * TAGS],
        g2: vec![0f32; BUCKETS * TAGS],
        acc: vec![0f32; BUCKETS * TAGS],
        trans: [[0f32; TAGS]; TAGS + 1],
        trans_g2: [[0f32; TAGS]; TAGS + 1],
        trans_acc: [[0f32; TAGS]; TAGS + 1],
        step: 1.0,
        rate: p.rate,
    };
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Rng(p.seed);
    let mut em = Vec::new();
    let mut mg = Marginals {
        node: Vec::new(),
        edge: [[0f32; TAGS]; TAGS + 1],
    };
    // Gradient per touched bucket of one example: (bucket, [g; TAGS]).
    let mut grad: Vec<(u32, [f32; TAGS])> = Vec::new();
    for _ in 0..p.epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &k in &order {
            let ex = &examples[k];
            if ex.gold.is_empty() {
                continue;
            }
            emissions(&s.w, &ex.feats, per, &mut em);
            if p.cost != 0.0 {
                for (e, &g) in em.iter_mut().zip(&ex.gold) {
                    for (t, v) in e.iter_mut().enumerate() {
                        if t != g as usize {
                            *v += p.cost;
                        }
                    }
                }
            }
            marginals(&s.trans, &em, &mut mg);
            let wt = ex.weight;
            grad.clear();
            for (i, (&g, m)) in ex.gold.iter().zip(&mg.node).enumerate() {
                let mut d = *m;
                d[g as usize] -= 1.0;
                for v in &mut d {
                    *v *= wt;
                }
                for &f in &ex.feats[i * per..(i + 1) * per] {
                    grad.push((f, d));
                }
            }
            // One step per bucket, its gradients summed (a bucket may
            // occur on several tokens).
            grad.sort_unstable_by_key(|g| g.0);
            let mut j = 0;
            while j < grad.len() {
                let f = grad[j].0;
                let mut sum = [0f32; TAGS];
                let mut count = 0f32;
                while j < grad.len() && grad[j].0 == f {
                    for (v, g) in sum.iter_mut().zip(grad[j].1) {
                        *v += g;
                    }
                    count += 1.0;
                    j += 1;
                }
                let base = f as usize * TAGS;
                if base + TAGS > s.w.len() {
                    continue;
                }
                for (t, &g) in sum.iter().enumerate() {
                    let g = g + p.l2 * count * s.w[base + t];
                    s.step_weight(base + t, g);
                }
            }
            // Transitions: expected minus gold counts.
            let mut gold_edge = [[0f32; TAGS]; TAGS + 1];
            let mut prev = TAGS;
            for &g in &ex.gold {
                gold_edge[prev][g as usize] += 1.0;
                prev = g as usize;
            }
            for (pr, (expected, gold)) in mg.edge.iter().zip(&gold_edge).enumerate() {
                for (c, (e, g)) in expected.iter().zip(gold).enumerate() {
                    if allowed(pr, c) {
                        s.step_trans(pr, c, wt * (e - g));
                    }
                }
            }
            s.step += 1.0;
        }
    }
    averaged(&s.w, &s.acc, s.trans, &s.trans_acc, s.step, attribution)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marginals_sum_to_one_and_respect_the_tag_grammar() {
        let mut trans = [[0f32; TAGS]; TAGS + 1];
        for (p, row) in trans.iter_mut().enumerate() {
            for (c, v) in row.iter_mut().enumerate() {
                *v = ((p * 7 + c * 3) % 5) as f32 * 0.1 - 0.2;
            }
        }
        let em = vec![[0.5, 1.0, 2.0], [0.0, 0.2, 0.1], [1.0, 0.0, 0.7]];
        let mut m = Marginals {
            node: Vec::new(),
            edge: [[0f32; TAGS]; TAGS + 1],
        };
        marginals(&trans, &em, &mut m);
        for row in &m.node {
            assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-4, "{row:?}");
        }
        // No segment starts with I.
        assert!(m.node[0][2].abs() < 1e-6);
        // Expected transitions: one per token.
        let total: f32 = m.edge.iter().flatten().sum();
        assert!((total - 3.0).abs() < 1e-4, "{total}");
        assert!(m.edge[0][2].abs() < 1e-6);
    }

    #[test]
    fn a_crf_learns_a_separable_toy_task() {
        // Token feature 1 marks a name's first token, 2 its next, 3 none.
        let ex = |tags: &[u8]| Example {
            feats: tags.iter().map(|&t| u32::from(t) + 1).collect(),
            gold: tags.to_vec(),
            weight: 1.0,
        };
        let data = vec![ex(&[0, 1, 2, 0]), ex(&[1, 0, 0]), ex(&[0, 0, 1, 2, 2])];
        let p = CrfParams {
            per: 1,
            epochs: 20,
            seed: 7,
            rate: 0.5,
            l2: 1e-4,
            cost: 0.0,
        };
        let m = train_crf(&data, &p, "toy");
        let mut em = Vec::new();
        let mut tags = Vec::new();
        for e in &data {
            m.emissions(&e.feats, 1, &mut em);
            m.decode(&em, &mut tags);
            assert_eq!(tags, e.gold);
        }
    }
}
