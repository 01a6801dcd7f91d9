//! libFuzzer target `nrp`: the body is `slivers_fuzzing::nrp`, shared with the corpus replay test.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| slivers_fuzzing::nrp(data));
