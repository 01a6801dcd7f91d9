//! A real SMTP server for tests that must prove mail was delivered, not
//! merely queued: `aiosmtpd` (the Python project's reference SMTP server)
//! listening on 127.0.0.1, storing every accepted message in a fresh
//! Maildir. What arrived is read back with Python's own `email` package, so
//! RFC 2047 subjects and quoted-printable/base64 bodies are decoded by an
//! independent reader, not by the code under test.
//!
//! `stop()` kills the server (the port then refuses connections, as when a
//! mail server is down) and `restart()` brings it back on the same port with
//! the same Maildir.
//!
//! Envelope vs headers: aiosmtpd's `Mailbox` handler keeps the SMTP envelope
//! by adding `X-MailFrom` and `X-RcptTo` (comma-separated) headers to each
//! stored message (and `X-Peer`). [`Received::to`] is the envelope
//! recipients from `X-RcptTo` (so Bcc recipients show up, and only the ones
//! actually sent to); [`Received::from`] is the `From:` header, and
//! [`Received::envelope_from`] the `MAIL FROM`. Those three bookkeeping
//! headers are left out of [`Received::headers`].
//!
//! Include with `#[path = ".../support/smtp_sink.rs"] mod smtp_sink;` next
//! to `#[path = ".../support/pytools.rs"] mod pytools;` (it uses
//! `super::pytools`); the including crate needs `serde_json`.
#![allow(dead_code)] // each test crate uses a different part

use super::pytools;

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long a (re)start may take before the test fails. Startup is ~0.2 s
/// on an idle machine; this is generous for a loaded CI box.
const STARTUP: Duration = Duration::from_secs(30);

/// Runs aiosmtpd's command line (`python3 -m aiosmtpd ...`) but also exits as
/// soon as its stdin closes, i.e. when the test process is gone, so a
/// sink that is never dropped (a `static`, an aborted test) cannot outlive it.
const SERVER: &str = r#"
import os, sys, threading
def watch():
    try:
        while sys.stdin.buffer.read(1):
            pass
    finally:
        os._exit(0)
threading.Thread(target=watch, daemon=True).start()
sys.argv[0] = "aiosmtpd"
from aiosmtpd.main import main
main()
"#;

/// Prints, as a JSON list in arrival order, what Python's `email` package
/// (modern `email.policy.default`) makes of every message in the Maildir.
const READER: &str = r#"
import email, email.policy, json, os, re, sys
root = sys.argv[1]
ENVELOPE = {"x-peer", "x-mailfrom", "x-rcptto"}
def order(name):
    # mailbox.Maildir names files "<secs>.M<usecs>P<pid>Q<count>.<host>".
    m = re.match(r"(\d+)\.M(\d+)P(\d+)Q(\d+)", name)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4))) if m else (0, 0, 0, 0)
files = []
for sub in ("new", "cur"):
    d = os.path.join(root, sub)
    files += [(order(n), n, os.path.join(d, n)) for n in os.listdir(d)]
out = []
for _, name, path in sorted(files):
    raw = open(path, "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    plain = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    rcpt = msg.get("X-RcptTo")
    if rcpt is not None:
        to = [a.strip() for a in str(rcpt).split(",") if a.strip()]
    else:
        to = [a.addr_spec for h in msg.get_all("To", []) for a in h.addresses]
    out.append({
        "file": name,
        "message_id": str(msg["Message-ID"]).strip() if msg["Message-ID"] is not None else None,
        "from": str(msg["From"]) if msg["From"] is not None else "",
        "envelope_from": str(msg["X-MailFrom"]) if msg["X-MailFrom"] is not None else "",
        "to": to,
        "subject": str(msg["Subject"]) if msg["Subject"] is not None else "",
        "body": plain.get_content() if plain is not None else (html.get_content() if html is not None else ""),
        "html": html.get_content() if html is not None else None,
        "headers": [[k, str(v)] for k, v in msg.items() if k.lower() not in ENVELOPE],
        "raw": raw.decode("utf-8", "replace"),
    })
print(json.dumps(out))
"#;

/// One message as the sink stored it, decoded by Python's `email` package.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// The `Message-ID` header as sent, angle brackets included.
    pub message_id: Option<String>,
    /// The `From:` header, decoded (e.g. `Slivers <noreply@example.org>`).
    pub from: String,
    /// The SMTP `MAIL FROM` address.
    pub envelope_from: String,
    /// The SMTP envelope recipients (`RCPT TO`), in order, from aiosmtpd's
    /// `X-RcptTo`; falls back to the `To:` addresses if that is absent.
    pub to: Vec<String>,
    /// The `Subject:` header with RFC 2047 encoded words decoded.
    pub subject: String,
    /// The text/plain body (or, failing that, the text/html one) with its
    /// transfer encoding and charset decoded; `""` if there is none.
    pub body: String,
    /// The text/html part, decoded, if there is one.
    pub html: Option<String>,
    /// The message's own headers in order, values decoded; aiosmtpd's
    /// `X-Peer`/`X-MailFrom`/`X-RcptTo` are left out.
    pub headers: Vec<(String, String)>,
    /// The stored message as text (lossy UTF-8), for assertions about the
    /// wire format itself.
    pub raw: String,
    /// The Maildir file name.
    pub file: String,
}

impl Received {
    /// The first header with this name (case-insensitive), decoded.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A running aiosmtpd; killed (and its Maildir removed) on drop.
pub struct SmtpSink {
    port: u16,
    dir: PathBuf,
    process: Mutex<Option<(Child, ChildStdin)>>,
}

impl SmtpSink {
    /// Starts a server on a free port of 127.0.0.1 with an empty Maildir
    /// and returns once it answers with its `220` greeting.
    pub fn start() -> SmtpSink {
        let dir = fresh_dir("smtp");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(dir.join("maildir").join(sub)).unwrap_or_else(|e| panic!("create Maildir in {}: {e}", dir.display()));
        }
        // The port is free when we look; someone may take it before aiosmtpd
        // binds it. A server that exits at once gets another port.
        let mut sink = SmtpSink { port: 0, dir, process: Mutex::new(None) };
        for _ in 0..3 {
            sink.port = free_port();
            if sink.spawn().is_ok() {
                return sink;
            }
        }
        panic!("aiosmtpd exited before listening, three times; its output:\n{}", sink.log());
    }

    /// The port on 127.0.0.1 the server listens on (also while stopped).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1`, for configuration that wants a host name.
    pub fn host(&self) -> &'static str {
        "127.0.0.1"
    }

    /// The Maildir the messages are stored in (`cur/`, `new/`, `tmp/`).
    pub fn maildir(&self) -> PathBuf {
        self.dir.join("maildir")
    }

    /// Kills the server and waits for it to be gone: connections to
    /// [`port`](Self::port) are refused until [`restart`](Self::restart).
    /// Stored messages stay. Stopping a stopped sink does nothing.
    pub fn stop(&self) {
        if let Some((mut child, stdin)) = self.lock().take() {
            child.kill().ok();
            child.wait().ok();
            drop(stdin);
        }
    }

    /// Starts the server again on the same port with the same Maildir and
    /// returns once it greets (a running one is stopped first).
    pub fn restart(&self) {
        self.stop();
        let started = Instant::now();
        // The old listening socket can take a moment to be released.
        loop {
            match self.spawn() {
                Ok(()) => return,
                Err(_) if started.elapsed() < Duration::from_secs(5) => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(log) => panic!("aiosmtpd could not restart on port {}; its output:\n{log}", self.port),
            }
        }
    }

    /// Every message stored so far, in arrival order.
    pub fn messages(&self) -> Vec<Received> {
        let out = pytools::python()
            .args(["-c", READER])
            .arg(self.maildir())
            .output()
            .unwrap_or_else(|e| panic!("python3: {e}"));
        assert!(out.status.success(), "reading the Maildir failed:\n{}", String::from_utf8_lossy(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("Maildir reader printed bad JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
        json.as_array().expect("a JSON list").iter().map(received).collect()
    }

    /// Waits (polling) until at least `n` messages have arrived and returns
    /// them all; panics with what did arrive if `timeout` passes first.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let started = Instant::now();
        loop {
            // Counting files is cheap; parse only when there are enough.
            if self.stored() >= n {
                return self.messages();
            }
            if started.elapsed() >= timeout {
                let got = self.messages();
                let subjects: Vec<&str> = got.iter().map(|m| m.subject.as_str()).collect();
                panic!("waited {timeout:?} for {n} message(s) on SMTP port {}; {} arrived: {subjects:?}\nserver output:\n{}", self.port, got.len(), self.log());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The server's stdout and stderr so far (all runs).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }

    fn stored(&self) -> usize {
        ["new", "cur"].iter().map(|sub| std::fs::read_dir(self.maildir().join(sub)).map(|d| d.count()).unwrap_or(0)).sum()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(Child, ChildStdin)>> {
        self.process.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Starts aiosmtpd on `self.port` and waits for its greeting; on an
    /// early exit returns the server's output.
    fn spawn(&self) -> Result<(), String> {
        let log_path = self.dir.join("server.log");
        let log = File::options().create(true).append(true).open(&log_path).unwrap_or_else(|e| panic!("{}: {e}", log_path.display()));
        let log2 = log.try_clone().unwrap_or_else(|e| panic!("{}: {e}", log_path.display()));
        let mut child = pytools::python()
            .args(["-c", SERVER, "-n", "-u", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.maildir())
            .stdin(Stdio::piped())
            .stdout(log)
            .stderr(log2)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run python3: {e}"));
        let stdin = child.stdin.take().expect("piped stdin");
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!("(exited with {status})\n{}", self.log()));
            }
            if greets(self.port) {
                *self.lock() = Some((child, stdin));
                return Ok(());
            }
            if started.elapsed() > STARTUP {
                child.kill().ok();
                child.wait().ok();
                panic!("aiosmtpd did not greet on port {} within {STARTUP:?}; its output:\n{}", self.port, self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

/// Whether an SMTP server on the port sends a `220` greeting.
fn greets(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else { return false };
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut line = String::new();
    let mut reader = BufReader::new(&stream);
    let ok = reader.read_line(&mut line).is_ok() && line.starts_with("220");
    (&stream).write_all(b"QUIT\r\n").ok();
    ok
}

fn received(v: &serde_json::Value) -> Received {
    let s = |key: &str| v[key].as_str().unwrap_or_default().to_string();
    Received {
        message_id: v["message_id"].as_str().map(str::to_string),
        from: s("from"),
        envelope_from: s("envelope_from"),
        to: v["to"].as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default(),
        subject: s("subject"),
        body: s("body"),
        html: v["html"].as_str().map(str::to_string),
        headers: v["headers"]
            .as_array()
            .map(|a| a.iter().map(|pair| (pair[0].as_str().unwrap_or_default().to_string(), pair[1].as_str().unwrap_or_default().to_string())).collect())
            .unwrap_or_default(),
        raw: s("raw"),
        file: s("file"),
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap_or_else(|e| panic!("bind 127.0.0.1:0: {e}"));
    listener.local_addr().expect("local addr").port()
}

/// A new empty directory under the system temp dir.
fn fresh_dir(kind: &str) -> PathBuf {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("slivers-{kind}-{}-{nanos}-{}", std::process::id(), COUNT.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}
