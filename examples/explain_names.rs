//! Shows how the name model reads each line of standard input: per token,
//! its surface, part of speech class, person-table kinds, the model's tag and
//! its B/I/O scores; then what the detector masks. A developer's lens for a
//! leak or a false name, not a test.
//!
//! ```text
//! echo '白石 充 / Shiraishi Mituru' | cargo run --release --example explain_names
//! ```

use std::io::Read;

use mask::detect::name::features::PER_TOKEN;
use mask::detect::name::model::{Model, TAGS};
use mask::detect::name::NameDetector;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let det = NameDetector::new(None)?;
    let model = Model::embedded()?;
    let masker = mask::Masker::builder().build()?;
    println!(
        "transitions (rows: from O, B, I, start; columns: to O, B, I): {:?}",
        model.transitions()
    );
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    for line in input.lines() {
        println!("== {line}");
        det.training_features(line, |toks, feats| {
            let mut em: Vec<[f32; TAGS]> = Vec::new();
            let mut tags = Vec::new();
            model.emissions(feats, PER_TOKEN, &mut em);
            model.decode(&em, &mut tags);
            for ((t, e), tag) in toks.iter().zip(&em).zip(&tags) {
                println!(
                    "  {:<12} {:?} kinds={:?} tag={} O={:.1} B={:.1} I={:.1}",
                    &line[t.start..t.end],
                    t.pos,
                    t.name.map(|n| n.kinds),
                    ["O", "B", "I"][usize::from(*tag)],
                    e[0],
                    e[1],
                    e[2]
                );
            }
        });
        println!("=> {}", masker.mask_str(line)?.text);
    }
    Ok(())
}
