//! Subcommands of the `oidc-hybrid` program.

pub mod check;
pub mod hash;
pub mod serve_op;
pub mod sign;
pub mod verify;
