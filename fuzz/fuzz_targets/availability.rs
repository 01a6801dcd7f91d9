//! libFuzzer target `availability`: the body is `slivers_fuzzing::availability`, shared with the corpus replay test.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| slivers_fuzzing::availability(data));
