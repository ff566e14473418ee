//! What a name means: the module tree and each module's [`scope`] ([`index`]), path
//! resolution ([`resolve`]), and the names bound to banned APIs under a name of their own
//! ([`suspects`]), which make more files worth checking.

pub(crate) mod index;
pub(crate) mod resolve;
pub(crate) mod scope;
pub(crate) mod suspects;
