//! Subcommands of the `oidc-hybrid` program.

pub mod hash;
