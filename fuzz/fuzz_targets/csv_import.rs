//! libFuzzer target `csv_import`: the body is `slivers_fuzzing::csv_import`, shared with the corpus replay test.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| slivers_fuzzing::csv_import(data));
