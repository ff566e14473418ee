//! The detector's tests: end to end on in-memory crates ([`e2e`]) and robustness against
//! hostile input ([`robust`]).

pub(crate) mod e2e;
mod robust;
