//! mynumber detector (being written).
