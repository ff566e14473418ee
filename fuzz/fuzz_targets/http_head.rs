//! The probe listener's request head: where it ends, the answer, the answer's wire form.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    twelvefactor_runtime::fuzzing::http_head(bytes);
});
