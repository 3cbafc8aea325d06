//! email detector (being written).
