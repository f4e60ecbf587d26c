//! Hash benchmarks.
fn main() {}
