//! Subcommands of the `oidc-hybrid` program.

pub mod hash;
pub mod serve_op;
