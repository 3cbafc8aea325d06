//! secret detector (being written).

use super::{Candidate, Detector, Haystack};

/// Placeholder: finds nothing yet.
#[derive(Debug, Default)]
pub struct SecretDetector;

impl Detector for SecretDetector {
    fn name(&self) -> &'static str {
        "secret"
    }

    fn detect(&self, _hay: &Haystack<'_>, _out: &mut Vec<Candidate>) {}
}
