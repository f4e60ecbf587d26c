//! Subcommands of the `oidc-hybrid` program.

pub mod check;
pub mod hash;
