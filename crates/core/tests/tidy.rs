//! House rule: every Rust file in the workspace opens with a `//!` comment
//! saying what it is for. The first non-empty line must start with `//!`;
//! not even a `#![...]` attribute may come before it.
//!
//! It lives in `slivers-core` because that crate builds fastest; it walks all
//! of `crates/`, skipping build output (`target/`) and `node_modules/`.

use std::path::{Path, PathBuf};

/// Whether `source` opens with an inner doc comment.
fn opens_with_doc_comment(source: &str) -> bool {
    source.trim_start_matches('\u{feff}').lines().find(|l| !l.trim().is_empty()).is_some_and(|l| l.trim_start().starts_with("//!"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if path.is_dir() {
            if name != "target" && name != "node_modules" {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_rust_file_opens_with_a_doc_comment() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    rust_files(&workspace.join("crates"), &mut files);
    // Guard against walking the wrong directory and passing vacuously.
    assert!(files.iter().any(|p| p.ends_with("crates/core/tests/tidy.rs")), "the walk did not find this file");
    assert!(files.len() >= 50, "found only {} .rs files under {}", files.len(), workspace.join("crates").display());
    let mut bad: Vec<String> = files
        .iter()
        .filter(|p| !opens_with_doc_comment(&std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))))
        .map(|p| p.strip_prefix(&workspace).unwrap_or(p).display().to_string())
        .collect();
    bad.sort();
    assert!(bad.is_empty(), "these files do not open with a `//!` comment saying what they are for:\n  {}", bad.join("\n  "));
}

#[test]
fn the_rule_accepts_and_refuses_what_it_says() {
    assert!(opens_with_doc_comment("//! Money.\nuse x;"));
    assert!(opens_with_doc_comment("\n  \n//! After blank lines.\n#![allow(dead_code)]\n"));
    assert!(!opens_with_doc_comment("#![allow(dead_code)]\n//! Too late.\n"));
    assert!(!opens_with_doc_comment("/// An outer doc comment documents the next item, not the file.\nfn f() {}"));
    assert!(!opens_with_doc_comment("// A plain comment.\n"));
    assert!(!opens_with_doc_comment("use std::fmt;\n//! Too late.\n"));
    assert!(!opens_with_doc_comment(""));
}
