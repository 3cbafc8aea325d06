//! Criterion benchmarks: every detector alone, the normalizer, and the whole
//! masker end to end on one thread, over the same Japanese business text;
//! and the per-call cost of many short texts (`service::mask_text` one at a
//! time and `service::mask_batch` on two threads), what the Python package
//! and the MCP server pay per call.
//!
//! Run: `cargo bench --bench mask`. Whole-run throughput (MB/s, peak RSS on
//! a 1 GB input) is measured by `benches/throughput.sh`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use mask::detect::{self, digits, Haystack};
use mask::format::Format;
use mask::normalize::NormText;
use mask::service;
use mask::{Masker, Policy};

#[path = "common/text.rs"]
mod text;

fn benches(c: &mut Criterion) {
    let input = text::business_text(4 << 20);
    let mut g = c.benchmark_group("mask");
    g.throughput(Throughput::Bytes(input.len() as u64));
    g.sample_size(10);

    g.bench_function("normalize", |b| {
        let mut n = NormText::new();
        b.iter(|| n.build(&input))
    });

    let mut norm = NormText::new();
    norm.build(&input);
    let mut runs = Vec::new();
    digits::digit_runs(norm.as_str().as_bytes(), &mut runs);
    g.bench_function("digit-runs", |b| {
        let mut v = Vec::new();
        b.iter(|| {
            v.clear();
            digits::digit_runs(norm.as_str().as_bytes(), &mut v);
        })
    });
    let hay = Haystack::new(norm.as_str(), &runs);
    let terms = vec!["Project Falcon".to_string(), "ファルコン計画".to_string()];
    for d in detect::build_all(&Policy::default(), &terms).expect("detectors build") {
        g.bench_function(format!("detector/{}", d.name()), |b| {
            let mut out = Vec::new();
            b.iter(|| {
                out.clear();
                d.detect(&hay, &mut out);
            })
        });
    }

    let masker = Masker::builder().threads(1).build().expect("masker builds");
    g.bench_function("end-to-end/1-thread", |b| {
        b.iter(|| masker.mask_str(&input).expect("masks"))
    });
    g.finish();
}

fn short_texts(c: &mut Criterion) {
    let input = text::business_text(1 << 20);
    let texts: Vec<&str> = input.lines().filter(|l| !l.is_empty()).take(2000).collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let mut g = c.benchmark_group("short-texts");
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.sample_size(10);
    let one = Masker::builder().threads(1).build().expect("masker builds");
    g.bench_function(
        format!("mask_text/{}-texts-{bytes}-bytes", texts.len()),
        |b| {
            b.iter(|| {
                for t in &texts {
                    service::mask_text(&one, t, Some(Format::Text)).expect("masks");
                }
            })
        },
    );
    let two = Masker::builder().threads(2).build().expect("masker builds");
    g.bench_function(format!("mask_batch/2-threads/{}-texts", texts.len()), |b| {
        b.iter(|| service::mask_batch(&two, &texts, Some(Format::Text)))
    });
    g.finish();
}

criterion_group!(mask_benches, benches, short_texts);
criterion_main!(mask_benches);
