//! `mask restore --vault FILE [FILE]`: puts the originals back into a text
//! masked with `mask --vault` (a reply drafted by an AI, for example), on
//! standard output. A wrong key or a tampered vault writes nothing (exit 2).

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::Run;
use crate::setup::input::{file_arg, read_all};
use crate::setup::vault_key;
use mask::vault::Vault;
use mask::Error;

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

impl Run for RestoreArgs {
    fn run(&self) -> Result<u8> {
        let key = vault_key(self.vault_key_file.as_deref())?;
        let vault = Vault::open_existing(&self.vault, &key)?;
        let bytes = read_all(self.input.as_deref().and_then(file_arg))?;
        let text = String::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
            offset: e.utf8_error().valid_up_to() as u64,
        })?;
        let out = vault.restore(&text);
        let mut o = io::stdout().lock();
        o.write_all(out.as_bytes())?;
        o.flush()?;
        Ok(0)
    }
}
