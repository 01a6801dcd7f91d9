//! Benchmarks behind `slivers bench`. Each prints its numbers and the ratio
//! against a baseline measured in the same run.

pub mod matching;
