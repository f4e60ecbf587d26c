//! Shared pieces of the oidc-hybrid harness: the recorded-exchange format,
//! a test signer that re-signs tokens with the fixture key, and the
//! subcommands of the `oidc-hybrid` program.

pub mod cli;
pub mod demo;
pub mod fixtures;
pub mod server;
pub mod sim;

/// The README's Rust examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
