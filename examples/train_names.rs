//! Trains the name model and writes `dictionaries/names-model/names.model`.
//!
//! ```text
//! cargo run --release --example train_names            # train, write, score WAC dev
//! cargo run --release --example train_names -- --cv 5 # also 5-fold cross-validation
//! ```
//!
//! `MASK_TRAIN_DUMP=1` also lists every leaked and every false name (and, per
//! held-out document, `DOC <persons>` and its `FOUND <text>` findings);
//! `--epochs N`, `--bias B`, `--dropout P` and `--cost C` override
//! [`EPOCHS`], [`NAME_BIAS`], [`DROPOUT`] and [`COST`] (to tune them by
//! cross-validation, never on dev); `--out FILE` writes the model there.
//! `--crf` trains a linear-chain CRF instead (`mask::detect::name::crf`;
//! `--rate R`, `--l2 L`, `--cost C`, `--epochs N`; measured below the
//! perceptron, kept for comparison — see README, session 14).
//!
//! Data: the Wikipedia Annotated Corpus train split (`corpora/wac/train.jsonl`,
//! CC BY-SA 4.0, Kyoto University Language Media Processing Lab; PERSON
//! entities) plus generated business text (`corpora/gen.rs` with a training
//! seed, never the dev set's; half its people bear ENAMDICT names of the
//! pool's training half, `corpora/gen_pool.rs`, never the hold-out half that
//! `tests/names_holdout.rs` measures), weighted [`BUSINESS_WEIGHT`]. Deterministic:
//! fixed data order, seed [`SEED`], [`EPOCHS`] epochs.

#[allow(dead_code)]
#[path = "../corpora/gen.rs"]
mod corpus_gen;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use mask::detect::digits::digit_runs;
use mask::detect::name::crf::{train_crf, CrfParams};
use mask::detect::name::features::PER_TOKEN;
use mask::detect::name::model::{Model, B, I, O};
use mask::detect::name::train::{train, Example, Params};
use mask::detect::name::NameDetector;
use mask::detect::{Candidate, Detector, Haystack};
use mask::normalize::NormText;

/// The shuffling seed.
const SEED: u64 = 0x6E61_6D65_5F6D_6F64;
/// Passes over the data.
const EPOCHS: usize = 40;
/// Added to the cost of starting a name (recall over precision), tuned by
/// cross-validation.
const NAME_BIAS: f32 = 8.0;
/// Probability that a feature is left out of a training step (tuned by
/// cross-validation).
const DROPOUT: f32 = 0.3;
/// Margin the gold tags must win by while training (tuned by
/// cross-validation).
const COST: f32 = 20.0;
/// CRF (`--crf`): passes, AdaGrad step, L2 penalty and softmax margin.
const CRF_EPOCHS: usize = 15;
const CRF_RATE: f32 = 0.1;
const CRF_L2: f32 = 1e-4;
const CRF_COST: f32 = 0.0;
/// The business corpora's seed (not corpora/dev's).
const BUSINESS_SEED: u64 = 0x7472_6169_6E5F_3131;
/// Business documents per genre.
const BUSINESS_DOCS: usize = 60;
/// What a business example counts against a real one.
const BUSINESS_WEIGHT: f32 = 0.3;
/// The attribution the model file carries.
const ATTRIBUTION: &str = "mask name model. Trained in part on the Wikipedia Annotated Corpus \
(ku-nlp/WikipediaAnnotatedCorpus), CC BY-SA 4.0, Kyoto University Language Media Processing \
Lab; the model is distributed under CC BY-SA 4.0.";

/// A document with person spans (byte offsets into `text`).
struct Doc {
    text: String,
    persons: Vec<(usize, usize)>,
    weight: f32,
}

fn wac(path: &Path) -> Vec<Doc> {
    let data =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("WAC line is JSON");
            let text = v["text"].as_str().expect("text").to_string();
            // Code-point offsets → byte offsets.
            let mut byte_at: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
            byte_at.push(text.len());
            let persons = v["entities"]
                .as_array()
                .expect("entities")
                .iter()
                .filter(|e| e["type"] == "PERSON")
                .filter_map(|e| {
                    let s = e["start"].as_u64()? as usize;
                    let t = e["end"].as_u64()? as usize;
                    Some((*byte_at.get(s)?, *byte_at.get(t)?))
                })
                .collect();
            Doc {
                text,
                persons,
                weight: 1.0,
            }
        })
        .collect()
}

fn business() -> Vec<Doc> {
    let mut out = Vec::new();
    for genre in corpus_gen::GENRES {
        let c = corpus_gen::generate_training(genre, BUSINESS_SEED, BUSINESS_DOCS);
        for d in c.docs {
            let persons = d
                .gold
                .iter()
                .filter(|g| g.category == "name")
                .map(|g| (g.start, g.end))
                .collect();
            out.push(Doc {
                text: d.text,
                persons,
                weight: BUSINESS_WEIGHT,
            });
        }
    }
    out
}

/// The training examples (segments) of each document.
fn examples(det: &NameDetector, docs: &[&Doc]) -> Vec<Vec<Example>> {
    let mut all = Vec::new();
    let mut nt = NormText::new();
    for d in docs {
        let mut out = Vec::new();
        nt.build(&d.text);
        let text = nt.as_str();
        det.training_features(text, |toks, feats| {
            let mut gold = Vec::with_capacity(toks.len());
            let mut prev_in: Option<usize> = None;
            for t in toks {
                let at = nt.start_to_original(t.start);
                let inside = d.persons.iter().position(|&(s, e)| at >= s && at < e);
                let tag = match inside {
                    Some(k) if prev_in == Some(k) => I,
                    Some(_) => B,
                    None => O,
                };
                // Whitespace at a name's edge is outside it.
                let tag = if tag == B && text[t.start..t.end].trim().is_empty() {
                    O
                } else {
                    tag
                };
                prev_in = if tag == O { None } else { inside };
                gold.push(tag);
            }
            out.push(Example {
                feats: feats.to_vec(),
                gold,
                weight: d.weight,
            });
        });
        all.push(out);
    }
    all
}

/// Scores of the detector on documents with person gold.
#[derive(Default)]
struct Scores {
    /// Per script (kanji, katakana, latin, hiragana): mentions, leaked.
    script: [(usize, usize); 4],
    /// Documents without a person, and those changed.
    free: (usize, usize),
    /// Findings, and those overlapping a person.
    found: (usize, usize),
}

fn script_of(s: &str) -> usize {
    if s.chars()
        .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '々')
    {
        0
    } else if s.chars().any(|c| ('ァ'..='ヺ').contains(&c)) {
        1
    } else if s.chars().any(|c| c.is_ascii_alphabetic()) {
        2
    } else {
        3
    }
}

fn evaluate(det: &NameDetector, docs: &[&Doc]) -> Scores {
    let mut sc = Scores::default();
    let mut nt = NormText::new();
    for d in docs {
        nt.build(&d.text);
        let text = nt.as_str();
        let mut runs = Vec::new();
        digit_runs(text.as_bytes(), &mut runs);
        let mut found: Vec<Candidate> = Vec::new();
        det.detect(&Haystack::new(text, &runs), &mut found);
        let spans: Vec<(usize, usize)> = found
            .iter()
            .map(|c| {
                let o = nt.to_original(c.span);
                (o.start, o.end)
            })
            .collect();
        if std::env::var_os("MASK_TRAIN_DUMP").is_some() {
            println!("DOC {}", d.persons.len());
            for &(s, e) in &spans {
                println!("FOUND {}", &d.text[s..e]);
            }
        }
        if d.persons.is_empty() {
            sc.free.0 += 1;
            sc.free.1 += usize::from(!spans.is_empty());
        }
        for &(s, e) in &spans {
            if std::env::var_os("MASK_TRAIN_DUMP").is_some()
                && !d.persons.iter().any(|&(a, b)| a < e && s < b)
            {
                let a = d.text[..s].char_indices().rev().nth(12).map_or(0, |x| x.0);
                let b = d.text[e..]
                    .char_indices()
                    .nth(8)
                    .map_or(d.text.len(), |x| e + x.0);
                println!(
                    "FALSE {} | {}",
                    &d.text[s..e],
                    d.text[a..b].replace('\n', "⏎")
                );
            }
            sc.found.0 += 1;
            sc.found.1 += usize::from(d.persons.iter().any(|&(a, b)| a < e && s < b));
        }
        for &(s, e) in &d.persons {
            let k = script_of(&d.text[s..e]);
            sc.script[k].0 += 1;
            // Leaked: a letter of the name outside every finding.
            let leaked = d.text[s..e].char_indices().any(|(i, c)| {
                let at = s + i;
                !c.is_whitespace()
                    && !matches!(c, '・' | '=' | '　')
                    && !spans.iter().any(|&(a, b)| at >= a && at < b)
            });
            sc.script[k].1 += usize::from(leaked);
            let touched = spans.iter().any(|&(a, b)| a < e && s < b);
            if leaked && std::env::var_os("MASK_TRAIN_DUMP").is_some() {
                let a = d.text[..s].char_indices().rev().nth(12).map_or(0, |x| x.0);
                let b = d.text[e..]
                    .char_indices()
                    .nth(8)
                    .map_or(d.text.len(), |x| e + x.0);
                println!(
                    "LEAK{} {} | {}",
                    if touched { "(part)" } else { "" },
                    &d.text[s..e],
                    d.text[a..b].replace('\n', "⏎")
                );
            }
        }
    }
    sc
}

fn print(label: &str, s: &Scores) {
    let pct = |a: usize, b: usize| {
        if b == 0 {
            "   -".to_string()
        } else {
            format!("{:5.1}%", 100.0 * a as f64 / b as f64)
        }
    };
    let names = ["kanji", "katakana", "latin", "hiragana"];
    let (tot, leak) = s
        .script
        .iter()
        .fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
    print!("{label:<10} leak all {} ({leak}/{tot})", pct(leak, tot));
    for (n, (t, l)) in names.iter().zip(&s.script) {
        print!("  {n} {} ({l}/{t})", pct(*l, *t));
    }
    println!(
        "  | person-free docs changed {} ({}/{})  precision {} ({}/{})",
        pct(s.free.1, s.free.0),
        s.free.1,
        s.free.0,
        pct(s.found.1, s.found.0),
        s.found.1,
        s.found.0
    );
}

fn add(a: &mut Scores, b: &Scores) {
    for (x, y) in a.script.iter_mut().zip(&b.script) {
        x.0 += y.0;
        x.1 += y.1;
    }
    a.free.0 += b.free.0;
    a.free.1 += b.free.1;
    a.found.0 += b.found.0;
    a.found.1 += b.found.1;
}

/// Token-level agreement of the model alone with gold name tokens.
fn token_scores(label: &str, m: &Model, ex: &[Example]) {
    let (mut gold, mut pred, mut both) = (0, 0, 0);
    let mut em = Vec::new();
    let mut tags = Vec::new();
    for e in ex {
        m.emissions(&e.feats, PER_TOKEN, &mut em);
        m.decode(&em, &mut tags);
        for (&g, &p) in e.gold.iter().zip(&tags) {
            gold += usize::from(g != O);
            pred += usize::from(p != O);
            both += usize::from(g != O && p != O);
        }
    }
    println!("{label:<10} model tokens: gold {gold} predicted {pred} both {both}");
}

fn wac_dir(root: &Path) -> PathBuf {
    root.join("corpora").join("wac")
}

fn main() {
    let started = std::time::Instant::now();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cv = args
        .iter()
        .position(|a| a == "--cv")
        .and_then(|i| args.get(i + 1))
        .map(|n| n.parse::<usize>().expect("--cv N"));
    let num = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .map(|n| n.parse::<f64>().unwrap_or_else(|_| panic!("{flag} N")))
    };
    let epochs = num("--epochs").map_or(EPOCHS, |e| e as usize);
    let bias = num("--bias").map_or(NAME_BIAS, |b| b as f32);
    let params = Params {
        per: PER_TOKEN,
        epochs,
        seed: SEED,
        dropout: num("--dropout").map_or(DROPOUT, |d| d as f32),
        cost: num("--cost").map_or(COST, |c| c as f32),
    };
    let crf = args.iter().any(|a| a == "--crf").then(|| CrfParams {
        per: PER_TOKEN,
        epochs: num("--epochs").map_or(CRF_EPOCHS, |e| e as usize),
        seed: SEED,
        rate: num("--rate").map_or(CRF_RATE, |r| r as f32),
        l2: num("--l2").map_or(CRF_L2, |r| r as f32),
        cost: num("--cost").map_or(CRF_COST, |c| c as f32),
    });
    let fit = |ex: &[Example]| match &crf {
        Some(c) => train_crf(ex, c, ATTRIBUTION),
        None => train(ex, &params, ATTRIBUTION),
    };
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
        .map_or_else(
            || root.join("dictionaries/names-model/names.model"),
            PathBuf::from,
        );
    let train_docs = wac(&wac_dir(root).join("train.jsonl"));
    let dev_docs = wac(&wac_dir(root).join("dev.jsonl"));
    let biz = business();
    let det = NameDetector::new(None).expect("detector");
    let biz_refs: Vec<&Doc> = biz.iter().collect();
    let biz_ex: Vec<Example> = examples(&det, &biz_refs).into_iter().flatten().collect();
    let train_refs: Vec<&Doc> = train_docs.iter().collect();
    let wac_ex = examples(&det, &train_refs);
    if let Some(k) = cv {
        let mut total = Scores::default();
        for fold in 0..k {
            let mut ex: Vec<Example> = wac_ex
                .iter()
                .enumerate()
                .filter(|(i, _)| i % k != fold)
                .flat_map(|(_, e)| e.iter().cloned())
                .collect();
            ex.extend(biz_ex.iter().cloned());
            let held: Vec<&Doc> = train_docs
                .iter()
                .enumerate()
                .filter(|(i, _)| i % k == fold)
                .map(|(_, d)| d)
                .collect();
            let mut m = fit(&ex);
            m.bias_names(bias);
            let d = NameDetector::new(None)
                .expect("detector")
                .with_model(Arc::new(m));
            let s = evaluate(&d, &held);
            print(&format!("fold {fold}"), &s);
            add(&mut total, &s);
        }
        print(&format!("cv{k} all"), &total);
    }
    let mut ex: Vec<Example> = wac_ex.into_iter().flatten().collect();
    ex.extend(biz_ex);
    let tokens: usize = ex.iter().map(|e| e.gold.len()).sum();
    println!(
        "training on {} segments, {tokens} tokens ({} WAC documents, {} business documents)",
        ex.len(),
        train_docs.len(),
        biz.len()
    );
    let mut m = fit(&ex);
    m.bias_names(bias);
    let bytes = m.to_bytes();
    std::fs::write(&out, &bytes).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
    println!("wrote {} ({} bytes)", out.display(), bytes.len());
    let m = Model::from_bytes(&bytes).expect("the model just written parses");
    let d = NameDetector::new(None)
        .expect("detector")
        .with_model(Arc::new(m));
    let dev_refs: Vec<&Doc> = dev_docs.iter().collect();
    let m = Model::from_bytes(&bytes).expect("parses");
    token_scores("train", &m, &ex);
    let dev_ex: Vec<Example> = examples(&det, &dev_refs).into_iter().flatten().collect();
    token_scores("wac dev", &m, &dev_ex);
    print("wac dev", &evaluate(&d, &dev_refs));
    println!("{:.1} s", started.elapsed().as_secs_f64());
}
