//! The runtime's environment variables and the configuration field parsers.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    twelvefactor_runtime::fuzzing::env(bytes);
});
