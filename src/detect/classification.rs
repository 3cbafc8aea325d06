//! classification detector (being written).
