//! The `mask` command line (being written).
fn main() {}
