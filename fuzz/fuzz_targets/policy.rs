//! Parses arbitrary text as a policy file. `Policy::from_toml` must never
//! panic. A policy it accepts must survive `to_toml` → `from_toml` unchanged,
//! and, when it names no term-list files (the target never touches the file
//! system), must build a masker (or fail with an error) and mask a sample
//! without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mask::{Masker, Policy};

const SAMPLE: &str = "社外秘\n山田太郎様 携帯 ０９０－１２３４－５６７８ mail: taro.yamada@example.co.jp\n\
個人番号 1234 5678 9018 カード 4111 1111 1111 1111 有効期限 07/29\n";

fuzz_target!(|text: &str| {
    let Ok(p) = Policy::from_toml(text, None) else {
        return;
    };
    let shown = p.to_toml();
    let back = Policy::from_toml(&shown, None)
        .unwrap_or_else(|e| panic!("to_toml output does not load back: {e}\n{shown}"));
    assert_eq!(back, p, "policy changes across to_toml/from_toml\n{shown}");

    if !p.deny_list.files.is_empty() || !p.allow_list.files.is_empty() {
        return;
    }
    let Ok(m) = Masker::builder().policy(p).threads(1).build() else {
        return;
    };
    let _ = m.mask_str(SAMPLE);
    let _ = m.mask_str(text);
});
