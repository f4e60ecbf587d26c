//! Wire encodings: form / query / fragment parameters, base64url for JWS
//! segments, JSON objects and HTML escaping.

pub mod base64url;
pub mod form;
pub mod html;
pub mod json;

pub use form::{Limits, Params};
