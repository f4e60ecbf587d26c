//! Benchmarks for the oidc-hybrid core; see `benches/`.
