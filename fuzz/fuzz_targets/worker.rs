//! libFuzzer target `worker`: the body is `slivers_fuzzing::worker`, shared with the corpus replay test.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| slivers_fuzzing::worker(data));
