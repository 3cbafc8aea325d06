//! `mask --vault FILE [FILE...]`: masks with consistent, reversible tokens
//! and stores the mapping encrypted (`mask restore` puts the originals
//! back).
//!
//! With a vault, each input is read whole into memory: the pipeline finds
//! and resolves (in parallel), then tokens are assigned on this thread in
//! input order, so numbering never depends on the thread count. Outputs are
//! written only after the vault was saved, so every token written can be
//! restored. Only plain text is masked this way: an input whose format is
//! chosen as structured (mail, JSON, CSV, ...) is refused, never masked as
//! text with its encoded content passing through.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use anyhow::{bail, Context, Result};
use clap::Args;
use sha2::{Digest, Sha256};

use super::MaskArgs;
use crate::setup::input::{self, file_arg, Formats, HEAD};
use crate::setup::output::write_dest;
use crate::setup::report::finish;
use crate::setup::vault_key;
use mask::format::Format;
use mask::pipeline::{Mode, Summary};
use mask::report::{InputReport, Outcome, RunReport};
use mask::vault::{mask_with_vault, Vault};
use mask::Error;

/// The vault options of the mask command.
#[derive(Debug, Args, Clone, Default)]
pub struct VaultArgs {
    /// Replace names, addresses, phones, e-mail addresses and postal codes by
    /// consistent, reversible tokens (`Y.T.#1`, `***-****-5678#2`), stored
    /// encrypted in FILE (created if missing). Key: MASK_VAULT_KEY (hex or
    /// base64 of 32 bytes) or --vault-key-file.
    #[arg(long, value_name = "FILE")]
    pub vault: Option<PathBuf>,

    /// Read the vault key from FILE instead of MASK_VAULT_KEY.
    #[arg(long, value_name = "FILE", requires = "vault")]
    pub vault_key_file: Option<PathBuf>,
}

/// Runs `mask --vault` (see the module docs).
pub fn run(a: &MaskArgs) -> Result<u8> {
    let Some(vault_path) = &a.vault.vault else {
        bail!("--vault FILE is required here")
    };
    if a.recursive {
        bail!("--vault does not support -r yet; mask files one by one");
    }
    if a.output.is_some() && a.inputs.len() > 1 {
        bail!("-o FILE takes one input");
    }
    let formats = Formats::new(a.format.as_deref(), None, None)?;
    let key = vault_key(a.vault.vault_key_file.as_deref())?;
    let mut vault = Vault::open(vault_path, &key)?;
    let before = vault.len();
    let masker = a.common.build_masker()?;
    let started = (SystemTime::now(), Instant::now());
    let mut report = RunReport::new(masker.policy(), started.0);
    let inputs: Vec<Option<&Path>> = if a.inputs.is_empty() {
        vec![None]
    } else {
        a.inputs.iter().map(|p| file_arg(p)).collect()
    };
    let mut outputs: Vec<String> = Vec::new();
    for input in inputs {
        let name = input::name_of(input);
        let bytes = match input::read_all(input) {
            Ok(b) => b,
            Err(e) => {
                report.push(InputReport::failed(&name, Outcome::Error, format!("{e:#}")));
                continue;
            }
        };
        let format = formats
            .choose(input, &bytes[..bytes.len().min(HEAD)])
            .format;
        if format != Format::Text {
            let why = format!(
                "--vault masks plain text only and this input is {format}; nothing written \
                 (mask it without --vault, or with --format text)"
            );
            report.push(InputReport::failed(&name, Outcome::Error, why));
            continue;
        }
        let mut s = Summary {
            bytes_in: bytes.len() as u64,
            sha256_in: Some(hex::encode(Sha256::digest(&bytes))),
            ..Summary::default()
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let err = Error::InvalidUtf8 {
                    offset: e.utf8_error().valid_up_to() as u64,
                };
                report.push(InputReport::failed(&name, Outcome::Error, err.to_string()));
                continue;
            }
        };
        let findings = masker.scan(&text);
        for f in &findings {
            *s.counts.entry((f.category, f.detector)).or_default() += 1;
        }
        match mask_with_vault(&masker, &text, &mut vault) {
            Ok(m) => {
                s.bytes_out = m.text.len() as u64;
                s.sha256_out = Some(hex::encode(Sha256::digest(m.text.as_bytes())));
                let out = a.output.as_ref().map(|p| p.display().to_string());
                report.push(InputReport::from_summary(
                    &name,
                    Some(out.as_deref().unwrap_or("-")),
                    Outcome::Masked,
                    &s,
                ));
                outputs.push(m.text);
            }
            Err(e @ Error::Blocked { .. }) => {
                let mut r = InputReport::from_summary(&name, None, Outcome::Blocked, &s);
                r.sha256_out = None;
                r.reason = Some(e.to_string());
                report.push(r);
            }
            Err(e) => report.push(InputReport::failed(&name, Outcome::Error, e.to_string())),
        }
    }
    if vault.len() != before {
        vault.save(vault_path, &key)?;
    }
    match &a.output {
        Some(path) => {
            if let Some(text) = outputs.first() {
                write_dest(Some(path.as_path()), |w| w.write_all(text.as_bytes()))?;
            }
        }
        None => {
            let mut o = io::stdout().lock();
            for t in &outputs {
                o.write_all(t.as_bytes()).context("writing output")?;
            }
            o.flush().context("writing output")?;
        }
    }
    finish(&a.common, report, started.1, Mode::Mask)
}
