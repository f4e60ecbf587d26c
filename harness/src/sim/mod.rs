//! The two-party simulation: the provider core and the relying party core
//! on virtual time, driven by sequences of [`Op`]s, checked against a
//! reference [`Model`] of the hybrid flow.
//!
//! - [`ops`]: the operations (begin, authorize, complete, deliver a
//!   callback — duplicated, reordered, tampered, replayed, to the wrong
//!   `PendingAuth` —, token exchange — twice, late, with another client's
//!   credentials —, refresh, UserInfo, clock jumps, key rotation) and their
//!   [`Outcome`]s;
//! - [`model`]: what a correct provider and relying party do, as data;
//! - [`world`]: the real cores, an in-memory [`store`] honouring the store
//!   contract, and a [`browser`] between them;
//! - [`pair`]: one provider and one client of any authentication method
//!   and algorithm, stepped by hand (for the property tests);
//! - [`fixed`]: one fixed, deterministic exchange per response type, for
//!   the fuzz targets and their seed corpora.
//!
//! The state-machine test (`harness/tests/sim_model.rs`) generates the
//! sequences with `proptest-state-machine` and checks, after every step,
//! that the world's outcome is the model's and that the invariants hold.

pub mod browser;
pub mod fixed;
pub mod model;
pub mod ops;
pub mod pair;
pub mod store;
pub mod world;

pub use model::Model;
pub use ops::{Op, Outcome, Tamper, Which};
pub use world::World;
