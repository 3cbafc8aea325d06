//! mask: find personal data and secrets in Japanese business text and mask
//! them as a policy says.
#![deny(missing_docs)]

pub mod detect;
pub mod error;
pub mod masker;
pub mod normalize;
pub mod pipeline;
pub mod policy;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod span;

pub use error::Error;
pub use masker::{mask_str, Masked, Masker, MaskerBuilder};
pub use policy::{Action, Policy};
pub use span::{Category, Finding, Span};
