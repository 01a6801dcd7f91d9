//! `slivers bench match`: the matching index against PostgreSQL on the same data.

/// Options for the matching benchmark.
#[derive(Debug, Clone)]
pub struct MatchBench {
    pub workers: usize,
    pub queries: usize,
    pub seed: u64,
    /// PostgreSQL to compare against; `None` skips the baseline.
    pub postgres: Option<String>,
}

pub async fn run(opts: &MatchBench) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet: {opts:?}")
}
