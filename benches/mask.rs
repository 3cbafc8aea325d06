//! Criterion benchmarks: every detector alone, the normalizer, and the whole
//! masker end to end on one thread, over the same Japanese business text.
//!
//! Run: `cargo bench --bench mask`. Whole-run throughput (MB/s, peak RSS on
//! a 1 GB input) is measured by `benches/throughput.sh`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use mask::detect::{self, digits, Haystack};
use mask::normalize::NormText;
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

criterion_group!(mask_benches, benches);
criterion_main!(mask_benches);
