//! postal detector (being written).

use super::{Candidate, Detector, Haystack};

/// Placeholder: finds nothing yet.
#[derive(Debug, Default)]
pub struct PostalDetector;

impl Detector for PostalDetector {
    fn name(&self) -> &'static str {
        "postal"
    }

    fn detect(&self, _hay: &Haystack<'_>, _out: &mut Vec<Candidate>) {}
}
