//! The detector's tests: end to end on in-memory crates ([`e2e`], the rules over effects in
//! [`effects`]) and robustness against hostile input ([`robust`], and the property tests in
//! [`props`]).

pub(crate) mod e2e;
mod effects;
mod props;
mod robust;
