//! Subcommands of the `oidc-hybrid` program.

pub mod check;
pub mod demo;
pub mod hash;
pub mod sign;
pub mod verify;
pub mod serve_op;
