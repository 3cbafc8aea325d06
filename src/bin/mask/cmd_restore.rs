//! Reversible pseudonyms on the command line: `mask --vault FILE` masks with
//! consistent tokens and stores the mapping encrypted; `mask restore --vault
//! FILE` puts the originals back into a text (a reply drafted by an AI, for
//! example).
//!
//! With a vault, each input is read whole into memory: the pipeline finds
//! and resolves (in parallel), then tokens are assigned on this thread in
//! input order, so numbering never depends on the thread count. Outputs are
//! written only after the vault was saved, so every token written can be
//! restored.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use anyhow::{bail, Context, Result};
use clap::Args;
use sha2::{Digest, Sha256};

use crate::args::MaskArgs;
use crate::build_masker;
use crate::run::finish;
use mask::pipeline::{Mode, Summary};
use mask::report::{InputReport, Outcome, RunReport};
use mask::vault::{mask_with_vault, Vault, VaultKey};
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

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The vault written by `mask --vault`.
    #[arg(long, value_name = "FILE")]
    pub vault: PathBuf,

    /// Read the vault key from FILE instead of MASK_VAULT_KEY.
    #[arg(long, value_name = "FILE")]
    pub vault_key_file: Option<PathBuf>,

    /// Text to restore (standard input when none).
    #[arg(value_name = "FILE")]
    pub input: Option<PathBuf>,
}

fn key(key_file: Option<&Path>) -> Result<VaultKey> {
    Ok(match key_file {
        Some(p) => VaultKey::from_file(p)?,
        None => VaultKey::from_env()?,
    })
}

fn read_input(path: Option<&Path>) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    match path {
        None => io::stdin().lock().read_to_end(&mut buf).map(|_| ()),
        Some(p) => std::fs::File::open(p).and_then(|mut f| f.read_to_end(&mut buf).map(|_| ())),
    }
    .with_context(|| match path {
        Some(p) => format!("reading {}", p.display()),
        None => "reading standard input".into(),
    })?;
    Ok(buf)
}

/// `mask restore`: originals back in, on standard output. A wrong key or a
/// tampered vault writes nothing (exit 2).
pub fn restore(a: &RestoreArgs) -> Result<u8> {
    let key = key(a.vault_key_file.as_deref())?;
    let vault = Vault::open_existing(&a.vault, &key)?;
    let bytes = read_input(a.input.as_deref())?;
    let text = String::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
        offset: e.utf8_error().valid_up_to() as u64,
    })?;
    let out = vault.restore(&text);
    let mut o = io::stdout().lock();
    o.write_all(out.as_bytes())?;
    o.flush()?;
    Ok(0)
}

/// `mask --vault FILE [FILE...]`: mask with tokens (see the module docs).
pub fn mask_with_vault_cmd(a: &MaskArgs) -> Result<u8> {
    let Some(vault_path) = &a.vault.vault else {
        bail!("--vault FILE is required here")
    };
    if a.recursive {
        bail!("--vault does not support -r yet; mask files one by one");
    }
    if a.output.is_some() && a.inputs.len() > 1 {
        bail!("-o FILE takes one input");
    }
    let key = key(a.vault.vault_key_file.as_deref())?;
    let mut vault = Vault::open(vault_path, &key)?;
    let before = vault.len();
    let masker = build_masker(&a.common)?;
    let started = (SystemTime::now(), Instant::now());
    let mut report = RunReport::new(masker.policy(), started.0);
    let inputs: Vec<Option<&Path>> = if a.inputs.is_empty() {
        vec![None]
    } else {
        a.inputs
            .iter()
            .map(|p| (p.as_os_str() != "-").then_some(p.as_path()))
            .collect()
    };
    let mut outputs: Vec<String> = Vec::new();
    for input in inputs {
        let name = input.map_or("-".to_string(), |p| p.display().to_string());
        let bytes = match read_input(input) {
            Ok(b) => b,
            Err(e) => {
                report.push(InputReport::failed(&name, Outcome::Error, format!("{e:#}")));
                continue;
            }
        };
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
                write_atomic(path, text.as_bytes())?;
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

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = crate::atomic::temp_beside(path)?;
    tmp.write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
