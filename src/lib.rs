//! mask finds personal data and secrets in Japanese business text and masks
//! them as a policy says, fast, in bounded memory, writing every byte outside
//! a finding back unchanged.
//!
//! # Main types
//!
//! - [`Masker`], built once by [`MaskerBuilder`] from a [`Policy`], immutable,
//!   shared by any number of threads.
//! - [`Finding`]: what was found ([`Category`], detector name) and where
//!   ([`Span`], byte offsets into the ORIGINAL input). Findings never carry
//!   the detected value.
//! - [`Policy`]: one [`Action`] per category, a deny list and an allow list;
//!   presets `default` (the company's rules) and `strict`.
//!
//! # Examples
//!
//! Mask a string with the default policy:
//!
//! ```
//! use mask::{Category, Masker};
//!
//! let masker = Masker::builder().build()?;
//! let out = masker.mask_str("TEL 03-1234-5678、マイナンバー 1234 5678 9018")?;
//! assert_eq!(out.text, "TEL **-****-5678、マイナンバー [マイナンバー]");
//! assert_eq!(out.findings[1].category, Category::MyNumber);
//! # Ok::<(), mask::Error>(())
//! ```
//!
//! Names become romaji initials; honorifics and titles stay:
//!
//! ```
//! use mask::Masker;
//!
//! let masker = Masker::builder().build()?;
//! let out = masker.mask_str("山田太郎様\n佐藤部長より、ヤマダ タロウ様の件です。")?;
//! assert_eq!(out.text, "Y.T.様\nS.部長より、Y.T.様の件です。");
//! # Ok::<(), mask::Error>(())
//! ```
//!
//! Stream a reader into a writer; with the `strict` preset a My Number blocks
//! the whole input and nothing is written:
//!
//! ```
//! use mask::{Error, Masker, Policy};
//!
//! let masker = Masker::builder().policy(Policy::preset("strict").unwrap()).build()?;
//! let mut out = Vec::new();
//! let err = masker.mask_reader("個人番号 123456789018\n".as_bytes(), &mut out).unwrap_err();
//! assert!(matches!(err, Error::Blocked { .. }));
//! assert!(out.is_empty());
//! # Ok::<(), mask::Error>(())
//! ```
//!
//! Find without masking, with a deny list:
//!
//! ```
//! use mask::{Category, Masker, Policy};
//!
//! let mut policy = Policy::default();
//! policy.deny_list.terms.push("Project Falcon".into());
//! let masker = Masker::builder().policy(policy).build()?;
//! let found = masker.scan("re: ＰＲＯＪＥＣＴ　ＦＡＬＣＯＮ の件");
//! assert_eq!(found[0].category, Category::DenyTerm);
//! # Ok::<(), mask::Error>(())
//! ```
//!
//! # Performance
//!
//! Detectors are anchored: number detectors walk one list of digit runs per
//! window, e-mail is anchored on `@`, keyword detectors search ASCII islands
//! with Aho–Corasick and Japanese keywords with memmem. Input is cut into
//! 1 MiB chunks (each with 16 KiB of context on both sides) processed by a
//! rayon pool and written back in order; memory stays bounded whatever the
//! input size. See README.md for measured throughput.
//!
//! # Lower-level APIs
//!
//! [`normalize`] (the normalized view and its offset map), [`detect`] (the
//! [`detect::Detector`] trait and the built-in detectors), [`resolve`],
//! [`rules`], [`pipeline`] (chunker, spool, ordered parallel pipeline) and
//! [`report`] are public for tools built on mask and for the fuzzers.
//!
//! # Agents, audit and review
//!
//! [`hook`] answers Claude Code hook events (the `mask hook claude-code`
//! command), [`vault`] gives reversible, consistent pseudonyms stored
//! encrypted, [`audit`] keeps a hash-chained JSONL audit log, and [`review`]
//! renders original and masked text side by side for a human. [`service`]
//! has the one-call-at-a-time entry points that the `mask mcp` server and the
//! Python package use (`mask_text`, `scan_text`, `mask_batch`).
#![deny(missing_docs)]

pub mod audit;
pub mod detect;
pub mod error;
pub mod format;
pub mod hook;
pub mod masker;
pub mod normalize;
pub mod pipeline;
pub mod policy;
pub mod report;
pub mod resolve;
pub mod review;
pub mod rules;
pub mod service;
pub mod span;
pub mod vault;

pub use error::Error;
pub use masker::{mask_str, scan, Masked, Masker, MaskerBuilder};
pub use policy::{Action, Policy, Roster, RosterAction};
pub use span::{Category, Finding, Span};

/// The README's code examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
