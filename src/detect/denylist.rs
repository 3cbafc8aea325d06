//! denylist detector (being written).
