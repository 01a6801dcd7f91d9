//! The real `slivers serve` process dies (SIGABRT, no cleanup, as `kill -9`)
//! right after the SMTP server (aiosmtpd on loopback) accepted an email and
//! before the delivery was recorded. After a restart the email is sent again
//! with the same Message-ID, so a receiver can drop the repeat, and every
//! other email is delivered once: nothing is skipped.

#[path = "../../documents/tests/support/pytools.rs"]
mod pytools;
#[path = "../../documents/tests/support/smtp_sink.rs"]
mod smtp_sink;

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use smtp_sink::SmtpSink;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn serve(db: &str, addr: &str, smtp: u16, failpoint: bool) -> Child {
    let mut c = Command::new(env!("CARGO_BIN_EXE_slivers"));
    c.args(["serve", "--db", db, "--addr", addr, "--smtp", &format!("127.0.0.1:{smtp}"), "--public-url", "http://portal.test"])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if failpoint {
        c.env("SLIVERS_FAILPOINT", "after-send");
    } else {
        c.env_remove("SLIVERS_FAILPOINT");
    }
    c.spawn().expect("start slivers serve")
}

async fn wait_up(client: &reqwest::Client, base: &str) {
    let started = Instant::now();
    while !client.get(format!("{base}/healthz")).send().await.map(|r| r.status().is_success()).unwrap_or(false) {
        assert!(started.elapsed() < Duration::from_secs(60), "server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn reset(client: &reqwest::Client, base: &str, email: &str) {
    let res = client.post(format!("{base}/api/v1/account/password-reset")).json(&serde_json::json!({"email": email})).send().await.expect("reset");
    assert_eq!(res.status(), reqwest::StatusCode::ACCEPTED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_send_and_record_repeats_with_the_same_message_id() {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("slivers_crash_{}_{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = format!("sqlite://{}", dir.join("crash.db").display());
    // Two logins and no other history, so the only emails are the two resets.
    let emails = ["first@crash.test", "second@crash.test"];
    for email in emails {
        let made = Command::new(env!("CARGO_BIN_EXE_slivers"))
            .args(["user", "create", "--db", &db, "--email", email, "--role", "operator"])
            .env("SLIVERS_PASSWORD", "a long enough password")
            .env("RUST_LOG", "warn")
            .output()
            .expect("slivers user create");
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    }
    let sink = SmtpSink::start();
    let client = reqwest::Client::new();
    let addr = format!("127.0.0.1:{}", free_port());
    let base = format!("http://{addr}");

    // First life: two emails queued; the first one sent kills the process.
    let mut first = serve(&db, &addr, sink.port(), true);
    wait_up(&client, &base).await;
    for e in emails {
        reset(&client, &base, e).await;
    }
    let started = Instant::now();
    let status = loop {
        if let Some(s) = first.try_wait().expect("wait") {
            break s;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the failpoint never fired");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(!status.success(), "the process died: {status:?}");
    let before = sink.wait_for(1, Duration::from_secs(10));
    assert_eq!(before.len(), 1, "exactly one email got out before the crash");

    // Second life: once the claim's lease (60 s) runs out, the unrecorded
    // email goes again with its Message-ID, and the other goes once.
    let mut second = serve(&db, &addr, sink.port(), false);
    wait_up(&client, &base).await;
    let got = sink.wait_for(3, Duration::from_secs(120));
    tokio::time::sleep(Duration::from_secs(3)).await;
    let got_all = sink.messages();
    let _ = second.kill();
    let _ = second.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(got.len(), 3);
    assert_eq!(got_all.len(), 3, "nothing more after the repeat");
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    for m in &got_all {
        *by_id.entry(m.message_id.clone().expect("Message-ID")).or_default() += 1;
    }
    let first_id = before[0].message_id.clone().expect("Message-ID");
    assert_eq!(by_id.get(&first_id), Some(&2), "the repeat carries the same Message-ID: {by_id:?}");
    assert_eq!(by_id.len(), 2, "both emails arrived: {by_id:?}");
    let mut to: Vec<String> = got_all.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    to.dedup();
    let mut want: Vec<String> = emails.iter().map(|e| e.to_string()).collect();
    want.sort();
    assert_eq!(to, want);
}
