//! Logs as the built `slivers` binary writes them into a pipe (not a
//! terminal): no colour codes in text, and one JSON object per line with
//! `--log-format json`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

/// A fresh SQLite URL in its own temp directory; `migrate` creates the file.
fn sqlite_db(tag: &str) -> (std::path::PathBuf, String) {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("slivers_logs_{tag}_{}_{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}", dir.join("logs.db").display());
    (dir, url)
}

fn slivers(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_slivers"));
    // The default filter, whatever the environment running the tests says.
    c.args(args).env("RUST_LOG", "info,sqlx=warn").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

/// Every non-empty line is a JSON object with a level and a message; returns the messages.
fn json_messages(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
            assert!(v["level"].is_string(), "no level: {l}");
            v["fields"]["message"].as_str().unwrap_or_else(|| panic!("no message: {l}")).to_string()
        })
        .collect()
}

#[test]
fn json_logs_from_migrate_are_one_object_per_line() {
    let (dir, db) = sqlite_db("migrate");
    let out = slivers(&["--log-format", "json", "migrate", "--db", &db]).output().expect("run slivers migrate");
    let _ = std::fs::remove_dir_all(&dir);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "migrate failed: {stderr}");
    assert!(!stdout.contains("\x1b[") && !stderr.contains("\x1b["), "colour codes in piped output");
    let messages = json_messages(&stderr);
    assert!(messages.iter().any(|m| m == "applying migration"), "{messages:?}");
    // stdout stays the command's answer, not logs.
    assert!(stdout.contains("is up to date"), "{stdout}");
}

#[test]
fn text_logs_into_a_pipe_carry_no_colour_codes() {
    let (dir, db) = sqlite_db("text");
    // The flag is global: it may also follow the subcommand.
    let out = slivers(&["migrate", "--db", &db, "--log-format", "text"]).output().expect("run slivers migrate");
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "migrate failed: {stderr}");
    assert!(stderr.contains("applying migration"), "{stderr}");
    assert!(!stderr.contains('\x1b'), "escape codes in piped logs: {stderr:?}");
}

#[test]
fn json_logs_from_serve_are_one_object_per_line() {
    let (dir, db) = sqlite_db("serve");
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("port");
    let mut child = slivers(&["serve", "--log-format", "json", "--db", &db, "--addr", &format!("127.0.0.1:{port}")])
        .spawn()
        .expect("spawn slivers serve");
    // Read stderr on a thread, so waiting for the "serving" line can time out.
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    let serving = loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => {
                let done = line.contains("serving");
                lines.push(line);
                if done {
                    break true;
                }
            }
            Err(_) => break false,
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let text = lines.join("\n");
    assert!(serving, "no `serving` line within a minute: {text}");
    assert!(!text.contains("\x1b["), "colour codes in piped output");
    let messages = json_messages(&text);
    assert!(messages.iter().any(|m| m == "matching index built"), "{messages:?}");
    assert!(messages.iter().any(|m| m.starts_with("serving")), "{messages:?}");
}
