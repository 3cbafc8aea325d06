//! Document-wide name propagation: once a name is seen, its other forms are
//! masked anywhere later in the document, however far away, whatever the
//! chunking and thread count.

use mask::{Category, Masker};

/// Filler with no name in it, `n` lines (about 110 bytes each).
fn filler(n: usize) -> String {
    "本件につきましては、来週の定例会議にて改めてご説明させていただく予定です。\n".repeat(n)
}

/// A full name with its reading, then other forms of it 30 KB and 60 KB
/// later, beyond what the detector looks at around a mention.
fn far_document() -> String {
    format!(
        "担当：栗花落 智子（ツユリ トモコ）\n{}なお、栗花落が不在の場合は代理の者が対応します。\nツユリ宛にお電話ください。\n{}From: Tomoko Tsuyuri\n",
        filler(300),
        filler(300)
    )
}

fn masker(chunk: usize, threads: usize) -> Masker {
    Masker::builder()
        .chunk_size(chunk)
        .threads(threads)
        .build()
        .expect("default policy builds")
}

#[test]
fn far_mentions_of_a_name_seen_earlier_are_masked() {
    let text = far_document();
    let out = masker(1 << 20, 1).mask_str(&text).expect("masks");
    for leaked in ["栗花落", "ツユリ", "Tsuyuri", "智子"] {
        assert!(!out.text.contains(leaked), "{leaked} survived");
    }
    assert!(out.text.contains("なお、T.が不在"), "{}", &out.text[..200]);
    // Which detector finds a far mention (the model or the document
    // sweep) is not the point: each is masked with the same initials.
    // The filler is untouched.
    assert!(out.text.contains(&filler(300)));
}

#[test]
fn chunking_and_threads_never_change_the_sweep() {
    let text = far_document();
    let want = masker(1 << 20, 1).mask_str(&text).expect("masks");
    for (chunk, threads) in [(1000, 1), (4096, 2), (20_000, 2), (65_536, 1)] {
        let got = masker(chunk, threads).mask_str(&text).expect("masks");
        assert_eq!(got.text, want.text, "chunk {chunk}, threads {threads}");
        assert_eq!(
            got.findings, want.findings,
            "chunk {chunk}, threads {threads}"
        );
    }
}

#[test]
fn scanning_reports_the_far_mentions_too() {
    let text = far_document();
    let found = masker(4096, 2).scan(&text);
    let names: Vec<&str> = found
        .iter()
        .filter(|f| f.category == Category::Name)
        .map(|f| &text[f.span.range()])
        .collect();
    assert!(names.contains(&"栗花落"), "{names:?}");
    assert!(names.contains(&"ツユリ"), "{names:?}");
}

#[test]
fn a_far_mention_of_a_name_never_seen_is_left_alone() {
    // The sweep only looks for what the detectors found: ordinary prose far
    // from any name stays byte for byte.
    let text = format!("山田様\n{}千葉県の倉庫から出荷します。\n", filler(300));
    let out = masker(4096, 2).mask_str(&text).expect("masks");
    assert!(out.text.ends_with("千葉県の倉庫から出荷します。\n"));
}
