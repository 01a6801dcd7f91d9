//! The behaviour suite must call every method of the `Store` trait.
//!
//! A plain text check, so it needs no database and no parser crate: it reads
//! `src/lib.rs`, takes the name of every `fn` declared directly inside
//! `pub trait Store { … }` (comments ignored), and requires each name to
//! appear as a method call `.name(` on a non-comment line of some `.rs` file
//! under `tests/` (this file excepted, so it cannot cover anything itself).
//! A new trait method therefore fails this test until a behaviour test calls
//! it. That is a reminder, not proof: the call must still sit in a test that
//! asserts what the method does.

use std::path::{Path, PathBuf};

/// Names of the functions declared at the top level of `pub trait Store`'s body.
fn trait_methods(source: &str, trait_name: &str) -> Vec<String> {
    // Line comments can hold braces and the word `fn`; drop them first.
    let code: String = source.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let head = format!("pub trait {trait_name}");
    let Some(start) = code.match_indices(&head).map(|(i, _)| i).find(|&i| {
        // `pub trait Store` but not `pub trait StoreExt`.
        code[i + head.len()..].chars().next().is_some_and(|c| !(c.is_alphanumeric() || c == '_'))
    }) else {
        return Vec::new();
    };
    let Some(open) = code[start..].find('{').map(|i| start + i) else { return Vec::new() };
    let mut names = Vec::new();
    let mut depth = 0usize;
    let bytes = code.as_bytes();
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            // `fn` as a whole word, directly in the trait body (not inside a default method's body).
            b'f' if depth == 1
                && code[i..].starts_with("fn")
                && code[i + 2..].starts_with(char::is_whitespace)
                && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')) =>
            {
                let rest = code[i + 2..].trim_start();
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    names.push(name);
                }
            }
            _ => {}
        }
        i += 1;
    }
    names
}

/// The methods in `names` that no non-comment line of `sources` calls as `.name(`.
fn uncalled(names: &[String], sources: &[String]) -> Vec<String> {
    let code: Vec<&str> = sources.iter().flat_map(|s| s.lines()).filter(|l| !l.trim_start().starts_with("//")).collect();
    names.iter().filter(|n| !code.iter().any(|l| l.contains(&format!(".{n}(")))).cloned().collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_store_method_is_called_by_a_behaviour_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).expect("read src/lib.rs");
    let methods = trait_methods(&lib, "Store");
    // Guard against the parser quietly finding nothing (which would pass vacuously).
    for known in ["backend", "create_user", "book", "book_many", "events", "edit_shift"] {
        assert!(methods.iter().any(|m| m == known), "parsed `Store` methods {methods:?} lack `{known}`: is the parser broken?");
    }
    let mut files = Vec::new();
    rust_files(&root.join("tests"), &mut files);
    let this = Path::new(file!()).file_name().expect("file name");
    let sources: Vec<String> = files
        .iter()
        .filter(|p| p.file_name() != Some(this))
        .map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display())))
        .collect();
    assert!(sources.len() >= 2, "found only {} test files under {}", sources.len(), root.join("tests").display());
    let missing = uncalled(&methods, &sources);
    assert!(
        missing.is_empty(),
        "these `Store` methods are not called by any test in crates/store/tests/: {missing:?}\n\
         Add a behaviour test (run on both databases through `suite!`) that calls each and asserts what it does."
    );
}

#[test]
fn the_check_finds_trait_methods_and_misses_uncalled_ones() {
    let source = r#"
        pub trait StoreExt { fn not_this(&self); }
        /// Docs may mention fn words and { braces }.
        #[async_trait]
        pub trait Store: Send + Sync + 'static {
            fn backend(&self) -> Backend;
            // fn commented_out(&self);
            async fn frobnicate(&self, x: i64) -> Result<()>; // a trailing { comment
            /// A default method: `fn` inside its body is not a method.
            async fn ping(&self) -> Result<()> { fn helper() {} Ok(()) }
            fn generic<T: Send>(&self, t: T);
        }
        pub trait Other { fn nor_this(&self); }
    "#;
    let names = trait_methods(source, "Store");
    assert_eq!(names, ["backend", "frobnicate", "ping", "generic"]);
    let tests = vec![
        "let b = store.backend();\n// store.frobnicate(1) in a comment does not count\n".to_string(),
        "store.generic(1u8); store.pinged();".to_string(),
    ];
    assert_eq!(uncalled(&names, &tests), ["frobnicate", "ping"]);
    assert!(trait_methods("pub trait Other { fn x(&self); }", "Store").is_empty());
}
