//! The subcommands, one module each, with its clap arguments beside its
//! [`Run`] implementation. They share [`crate::setup`] and never each other.
//!
//! Adding a subcommand: a new file here with its `Args` type implementing
//! [`Run`], its `pub mod` line below, and its line in `main.rs`'s
//! `subcommands!` list.

pub mod audit;
pub mod diff;
pub mod hook;
pub mod mask;
pub mod mcp;
pub mod policy;
pub mod restore;
pub mod review;
pub mod scan;

/// A command ready to run: parsed arguments.
pub trait Run {
    /// Runs the command; returns the exit code. An error exits 2 (a broken
    /// pipe on standard output exits 0).
    fn run(&self) -> anyhow::Result<u8>;
}
