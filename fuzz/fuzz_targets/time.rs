//! libFuzzer target `time`: the body is `slivers_fuzzing::time`, shared with the corpus replay test.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| slivers_fuzzing::time(data));
