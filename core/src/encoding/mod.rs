//! Wire encodings: form / query / fragment parameters and HTML escaping.

pub mod form;
pub mod html;

pub use form::{Limits, Params};
