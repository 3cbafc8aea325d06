//! `mask review FILE -o review.html` and `mask diff FILE`: what the policy
//! does to a text, for a human. Both show the ORIGINALS: local use only.

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use crate::args::Common;
use crate::build_masker;
use mask::review::{diff, review_html, Review};

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The text to review (standard input when none, or `-`).
    #[arg(value_name = "FILE")]
    pub input: Option<PathBuf>,

    /// Where to write the HTML page (standard output when none).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The text to show (standard input when none, or `-`).
    #[arg(value_name = "FILE")]
    pub input: Option<PathBuf>,

    /// Colours: auto (when standard output is a terminal), always, never.
    #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub color: String,

    #[command(flatten)]
    pub common: Common,
}

fn load(input: Option<&PathBuf>, common: &Common) -> Result<(String, Review)> {
    let (name, bytes) = match input.filter(|p| p.as_os_str() != "-") {
        Some(p) => (
            p.display().to_string(),
            std::fs::read(p).with_context(|| format!("reading {}", p.display()))?,
        ),
        None => {
            let mut b = Vec::new();
            io::stdin()
                .lock()
                .read_to_end(&mut b)
                .context("reading standard input")?;
            ("-".to_string(), b)
        }
    };
    let text = String::from_utf8(bytes).map_err(|e| mask::Error::InvalidUtf8 {
        offset: e.utf8_error().valid_up_to() as u64,
    })?;
    let masker = build_masker(common)?;
    let review = Review::new(&masker, &text)?;
    Ok((name, review))
}

/// `mask review`.
pub fn review(a: &ReviewArgs) -> Result<u8> {
    let (name, r) = load(a.input.as_ref(), &a.common)?;
    let html = review_html(&r, &name);
    match &a.output {
        Some(p) => std::fs::write(p, html).with_context(|| format!("writing {}", p.display()))?,
        None => {
            let mut o = io::stdout().lock();
            o.write_all(html.as_bytes())?;
            o.flush()?;
        }
    }
    if !a.common.quiet {
        eprintln!(
            "mask: review of {name}: {} finding(s); the page shows ORIGINAL data — keep it local",
            r.pieces.len()
        );
    }
    Ok(0)
}

/// `mask diff`.
pub fn diff_cmd(a: &DiffArgs) -> Result<u8> {
    let (_, r) = load(a.input.as_ref(), &a.common)?;
    let color = match a.color.as_str() {
        "always" => true,
        "never" => false,
        _ => io::stdout().is_terminal(),
    };
    let mut o = io::stdout().lock();
    o.write_all(diff(&r, color).as_bytes())?;
    o.flush()?;
    Ok(0)
}
