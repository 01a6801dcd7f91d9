//! A database for a run that needs an empty one: the PostgreSQL URL the user
//! gave, or a new SQLite file in the temporary directory that is removed when
//! the run ends (unless kept). `slivers bench book` and `slivers simulate`.

use std::path::PathBuf;

use anyhow::{bail, Result};

pub struct Scratch {
    pub url: String,
    path: Option<PathBuf>,
    keep: bool,
}

impl Scratch {
    /// `db` must be a PostgreSQL URL when given; `name` goes into the SQLite
    /// file's name. With `in_memory`, the file goes to `/dev/shm` where there
    /// is one: for runs that measure what the market does, not what a disk
    /// costs (each commit's fsync is then free).
    pub fn new(db: Option<&str>, name: &str, keep: bool, in_memory: bool) -> Result<Scratch> {
        match db {
            Some(url) if url.starts_with("postgres") => Ok(Scratch { url: url.to_string(), path: None, keep }),
            Some(url) => bail!("--db takes a PostgreSQL URL (`{url}` is not one); without --db a new SQLite file is made"),
            None => {
                let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
                let shm = std::path::Path::new("/dev/shm");
                let dir = if in_memory && shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() };
                let path = dir.join(format!("slivers_{name}_{}_{t}.db", std::process::id()));
                Ok(Scratch { url: format!("sqlite://{}", path.display()), path: Some(path), keep })
            }
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        match &self.path {
            Some(path) if !self.keep => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Some(_) => eprintln!("kept the database: {}", self.url),
            None => {}
        }
    }
}
