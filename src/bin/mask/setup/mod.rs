//! What every command shares, and depends on no command: the common
//! options and building a policy and a masker from them ([`Common`]),
//! reading inputs and choosing each input's format ([`input`]), atomic
//! output ([`output`]), directory trees ([`walk`]), the review of one input
//! ([`review`]), and the end of a run: report, audit log, summary line,
//! exit code ([`report`]).

pub mod input;
pub mod output;
pub mod report;
pub mod review;
pub mod walk;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

use mask::vault::VaultKey;
use mask::{Masker, Policy};

/// Options every command shares.
#[derive(Debug, Args, Clone)]
pub struct Common {
    /// A preset (default, strict) or a policy TOML file.
    #[arg(
        short = 'p',
        long,
        default_value = "default",
        value_name = "FILE|PRESET"
    )]
    pub policy: String,

    /// Add the terms of FILE (one a line) to the deny list.
    #[arg(long = "deny", value_name = "FILE")]
    pub deny: Vec<PathBuf>,

    /// Add the terms of FILE (one a line) to the allow list.
    #[arg(long = "allow", value_name = "FILE")]
    pub allow: Vec<PathBuf>,

    /// Add the names of FILE (CSV `surface,reading`) to the customer list:
    /// always masked as names.
    #[arg(long = "customers", value_name = "FILE")]
    pub customers: Vec<PathBuf>,

    /// Use the compiled lindera dictionary in DIR for names instead of the
    /// embedded IPADIC.
    #[arg(long = "dict", value_name = "DIR")]
    pub dict: Option<PathBuf>,

    /// Worker threads (0: every core).
    #[arg(short = 'j', long, default_value_t = 0, value_name = "N")]
    pub threads: usize,

    /// Chunk size in bytes (tuning; the output never depends on it).
    #[arg(long, default_value_t = mask::masker::DEFAULT_CHUNK_SIZE, value_name = "BYTES", hide = true)]
    pub chunk_size: usize,

    /// Write a JSON report (counts, sizes, hashes; never values) to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Append one hash-chained record per input to the JSONL audit log FILE
    /// (counts, hashes, policy, user, host; never values).
    #[arg(long, value_name = "FILE")]
    pub audit: Option<PathBuf>,

    /// No summary line on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

impl Common {
    /// The policy named by `--policy`, with `--deny`/`--allow`/`--customers`
    /// files added.
    pub fn load_policy(&self) -> Result<Policy> {
        let mut p = Policy::load(&self.policy)
            .with_context(|| format!("loading policy {:?}", self.policy))?;
        p.deny_list.files.extend(self.deny.iter().cloned());
        p.allow_list.files.extend(self.allow.iter().cloned());
        p.names.customers.extend(self.customers.iter().cloned());
        Ok(p)
    }

    /// The masker for a command: the policy, threads, chunk size, dictionary.
    pub fn build_masker(&self) -> Result<Masker> {
        let mut b = Masker::builder()
            .policy(self.load_policy()?)
            .threads(self.threads)
            .chunk_size(self.chunk_size);
        if let Some(d) = &self.dict {
            b = b.name_dictionary(d);
        }
        b.build().context("building the masker")
    }

    /// Whether inputs and outputs are hashed (a report or an audit log asks
    /// for it; it costs a pass each).
    pub fn hashes(&self) -> bool {
        self.report.is_some() || self.audit.is_some()
    }
}

/// The vault key: from `key_file`, else from `MASK_VAULT_KEY`.
pub fn vault_key(key_file: Option<&Path>) -> Result<VaultKey> {
    Ok(match key_file {
        Some(p) => VaultKey::from_file(p)?,
        None => VaultKey::from_env()?,
    })
}
