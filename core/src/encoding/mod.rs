//! Wire encodings: form / query / fragment parameters and HTML escaping.

pub mod form;
pub mod html;
pub mod json;

pub use form::{Limits, Params};
