//! phone detector (being written).

use super::{Candidate, Detector, Haystack};

/// Placeholder: finds nothing yet.
#[derive(Debug, Default)]
pub struct PhoneDetector;

impl Detector for PhoneDetector {
    fn name(&self) -> &'static str {
        "phone"
    }

    fn detect(&self, _hay: &Haystack<'_>, _out: &mut Vec<Candidate>) {}
}
