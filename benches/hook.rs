//! Hook latency: one Claude Code `PostToolUse` event for a `Read` of 100 KB
//! of Japanese business text (about 250 findings), answered the way
//! `mask hook claude-code` answers it — masker built from the policy on one
//! thread, the event parsed, every string masked, the answer serialized.
//!
//! Run: `cargo bench --bench hook`. The whole process (start-up included) is
//! timed in README.md ("Claude Code hook").

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use mask::hook::{handle, HookOptions};
use mask::{Masker, Policy};

#[path = "common/text.rs"]
mod text;

/// A recorded-shape PostToolUse event for a Read of `content`.
pub fn read_event(content: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "session_id": "bench",
        "transcript_path": "/tmp/t.jsonl",
        "cwd": "/tmp",
        "permission_mode": "default",
        "hook_event_name": "PostToolUse",
        "tool_name": "Read",
        "tool_input": { "file_path": "/tmp/crm.txt" },
        "tool_response": {
            "type": "text",
            "file": { "filePath": "/tmp/crm.txt", "content": content, "numLines": 1, "startLine": 1, "totalLines": 1 }
        },
        "tool_use_id": "toolu_bench"
    }))
    .expect("serializes")
}

fn benches(c: &mut Criterion) {
    let event = read_event(&text::business_text(100 * 1024));
    let mut g = c.benchmark_group("hook");
    g.throughput(Throughput::Bytes(event.len() as u64));
    g.sample_size(20);
    g.bench_function("post_tool_use_read_100k_with_build", |b| {
        b.iter(|| {
            let masker = Masker::builder()
                .policy(Policy::preset("default").expect("preset"))
                .threads(1)
                .build()
                .expect("builds");
            handle(&masker, &event, &HookOptions::default()).expect("answers")
        })
    });
    let masker = Masker::builder().threads(1).build().expect("builds");
    g.bench_function("post_tool_use_read_100k", |b| {
        b.iter(|| handle(&masker, &event, &HookOptions::default()).expect("answers"))
    });
    g.finish();
}

criterion_group!(hook, benches);
criterion_main!(hook);
