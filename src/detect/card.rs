//! card detector (being written).
