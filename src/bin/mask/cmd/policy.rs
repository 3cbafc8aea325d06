//! `mask policy show`: prints the effective policy (preset or file, with
//! the `--deny`/`--allow`/`--customers` files added) as TOML.

use std::io::Write;

use anyhow::Result;
use clap::Subcommand;

use super::Run;
use crate::setup::Common;

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Print the effective policy as TOML.
    Show {
        #[command(flatten)]
        common: Common,
    },
}

impl Run for PolicyCommand {
    fn run(&self) -> Result<u8> {
        let PolicyCommand::Show { common } = self;
        let policy = common.load_policy()?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "# effective policy; sha256 {}", policy.hash())?;
        out.write_all(policy.to_toml().as_bytes())?;
        Ok(0)
    }
}
