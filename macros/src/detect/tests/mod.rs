//! The detector's tests: end to end on in-memory crates ([`e2e`]) and robustness against
//! hostile input ([`robust`], and the property tests in [`props`]).

pub(crate) mod e2e;
mod props;
mod robust;
