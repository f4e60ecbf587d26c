//! What the fuzz targets share: the fixed, deterministic exchange between
//! the provider core and the relying party core that the harness also uses
//! (`harness/src/sim/fixed.rs`, included here so both build the same
//! bytes), built once per process.

#[path = "../../harness/src/sim/fixed.rs"]
pub mod fixed;

use std::sync::LazyLock;

/// The fixed exchanges, built on first use.
pub static FIXED: LazyLock<fixed::Fixed> = LazyLock::new(fixed::Fixed::new);
