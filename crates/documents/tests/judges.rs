//! Tests of the judges themselves: the SMTP sink (`support/smtp_sink.rs`,
//! aiosmtpd) and the Standard Webhooks receiver
//! (`support/webhook_receiver.rs`, the `standardwebhooks` package) that the
//! exchange and server tests use to prove notifications really go out. A
//! judge that accepts everything, or that cannot see a failure, would make
//! those tests worthless, so here each is fed known-good and known-bad input
//! built by hand, independently of the code it will later judge.
//!
//! Also pins the Standard Webhooks spec's published test vector, so Rust
//! signing code can be compared against the reference implementation.

#[path = "support/pytools.rs"]
mod pytools;
#[path = "support/smtp_sink.rs"]
mod smtp_sink;
#[path = "support/webhook_receiver.rs"]
mod webhook_receiver;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use smtp_sink::SmtpSink;
use webhook_receiver::{Plan, WebhookReceiver};

const WAIT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------- SMTP

/// Reads one (possibly multi-line) SMTP reply and checks its code.
fn expect_reply(reader: &mut impl BufRead, code: &str) {
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("read SMTP reply");
        assert!(line.starts_with(code), "expected {code}, server said {line:?}");
        // "250-..." continues, "250 ..." ends the reply.
        if line.as_bytes().get(3) != Some(&b'-') {
            return;
        }
    }
}

/// Delivers `message` (LF line ends) by speaking SMTP by hand, so the sink is
/// tested against the RFC 5321 dialogue itself, not against a client library.
fn smtp_send_raw(port: u16, mail_from: &str, rcpt_to: &[&str], message: &str) {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the sink");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut w = stream;
    expect_reply(&mut reader, "220");
    let mut say = |line: &str, code: &str, reader: &mut BufReader<TcpStream>| {
        w.write_all(line.as_bytes()).expect("write");
        expect_reply(reader, code);
    };
    say("EHLO judges.test\r\n", "250", &mut reader);
    say(&format!("MAIL FROM:<{mail_from}>\r\n"), "250", &mut reader);
    for rcpt in rcpt_to {
        say(&format!("RCPT TO:<{rcpt}>\r\n"), "250", &mut reader);
    }
    say("DATA\r\n", "354", &mut reader);
    let mut data = String::new();
    for line in message.lines() {
        // Dot-stuffing (RFC 5321 4.5.2).
        if line.starts_with('.') {
            data.push('.');
        }
        data.push_str(line);
        data.push_str("\r\n");
    }
    data.push_str(".\r\n");
    say(&data, "250", &mut reader);
    say("QUIT\r\n", "221", &mut reader);
}

/// RFC 2047 "Q" encoded word.
fn q_word(s: &str) -> String {
    let mut out = String::from("=?utf-8?q?");
    for b in s.bytes() {
        match b {
            b' ' => out.push('_'),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'!' | b'*' | b'+' | b'-' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("={b:02X}")),
        }
    }
    out.push_str("?=");
    out
}

/// Quoted-printable (RFC 2045 6.7) with soft line breaks, LF line ends.
fn quoted_printable(s: &str) -> String {
    let mut out = String::new();
    for line in s.split('\n') {
        let mut width = 0;
        for b in line.bytes() {
            let piece = match b {
                b'!'..=b'<' | b'>'..=b'~' | b' ' => (b as char).to_string(),
                _ => format!("={b:02X}"),
            };
            if width + piece.len() > 72 {
                out.push_str("=\n");
                width = 0;
            }
            width += piece.len();
            out.push_str(&piece);
        }
        out.push('\n');
    }
    out.pop();
    out
}

/// Sends with Python's `smtplib` a multipart message whose text part is
/// base64 and whose subject Python encodes its own way, plus a Bcc
/// recipient that is in the envelope only.
const PY_SEND: &str = r#"
import smtplib, sys
from email.message import EmailMessage
port = int(sys.argv[1])
m = EmailMessage()
m["From"] = "Slivers <noreply@slivers.test>"
m["To"] = "Bo <bo@example.org>"
m["Subject"] = "Rappel : demain 7 h — Zürich ✓"
m["Message-ID"] = "<judge-2@slivers.test>"
m.set_content("Grüße aus Zürich!\nBis morgen.\n", cte="base64")
m.add_alternative("<p>Grüße aus <b>Zürich</b>!</p>\n", subtype="html")
with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
    s.send_message(m, to_addrs=["bo@example.org", "audit@example.org"])
"#;

#[test]
fn smtp_sink_receives_decodes_and_survives_a_restart() {
    let sink = SmtpSink::start();
    assert!(sink.messages().is_empty());

    let subject = "Créneau confirmé — café ✓";
    let body = "Bonjour Ana,\n\nVotre créneau du 14 mars à l'Hôtel Bellevue est confirmé : 08:00–16:00, 42,50 € de l'heure. Merci d'être ponctuelle !\n.Une ligne qui commence par un point.\n";
    let message = format!(
        "From: {} <noreply@slivers.test>\nTo: {} <ana@example.org>\nSubject: {}\nMessage-ID: <judge-1@slivers.test>\nDate: Fri, 13 Mar 2026 09:00:00 +0000\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n{}",
        q_word("Crèche Slivers"),
        q_word("Ana Pérez"),
        q_word(subject),
        quoted_printable(body)
    );
    assert!(message.is_ascii(), "the hand-made message is pure 7-bit: the sink must do the decoding");
    smtp_send_raw(sink.port(), "bounces@slivers.test", &["ana@example.org", "audit@example.org"], &message);

    let got = sink.wait_for(1, WAIT);
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(m.message_id.as_deref(), Some("<judge-1@slivers.test>"));
    assert_eq!(m.from, "Crèche Slivers <noreply@slivers.test>");
    assert_eq!(m.envelope_from, "bounces@slivers.test");
    assert_eq!(m.to, ["ana@example.org", "audit@example.org"], "envelope recipients, Bcc included");
    assert_eq!(m.subject, subject);
    assert_eq!(m.body, body);
    assert_eq!(m.html, None);
    assert_eq!(m.header("to"), Some("Ana Pérez <ana@example.org>"));
    assert_eq!(m.header("Content-Transfer-Encoding"), Some("quoted-printable"));
    assert!(m.headers.iter().all(|(k, _)| !k.starts_with("X-")), "aiosmtpd's envelope headers are not the message's: {:?}", m.headers);
    assert!(m.raw.contains("Cr=C3=A9neau"), "stored as sent: {}", m.raw);

    // Down: the port refuses connections, as a dead mail server's would.
    sink.stop();
    let refused = TcpStream::connect(("127.0.0.1", sink.port())).expect_err("a stopped sink must refuse connections");
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused, "{refused}");
    let out = pytools::python().args(["-c", PY_SEND]).arg(sink.port().to_string()).output().expect("python3");
    assert!(!out.status.success(), "sending to a stopped sink must fail");
    assert_eq!(sink.messages().len(), 1, "the Maildir outlives the server");

    // Back on the same port, with the same Maildir.
    sink.restart();
    let out = pytools::python().args(["-c", PY_SEND]).arg(sink.port().to_string()).output().expect("python3");
    assert!(out.status.success(), "smtplib send failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let got = sink.wait_for(2, WAIT);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].message_id.as_deref(), Some("<judge-1@slivers.test>"), "arrival order");
    let m = &got[1];
    assert_eq!(m.message_id.as_deref(), Some("<judge-2@slivers.test>"));
    assert_eq!(m.from, "Slivers <noreply@slivers.test>");
    assert_eq!(m.envelope_from, "noreply@slivers.test");
    assert_eq!(m.to, ["bo@example.org", "audit@example.org"]);
    assert_eq!(m.subject, "Rappel : demain 7 h — Zürich ✓");
    assert_eq!(m.body, "Grüße aus Zürich!\nBis morgen.\n");
    assert_eq!(m.html.as_deref(), Some("<p>Grüße aus <b>Zürich</b>!</p>\n"));
    assert!(m.raw.contains("Content-Transfer-Encoding: base64"), "{}", m.raw);
    assert!(m.header("Content-Type").is_some_and(|t| t.starts_with("multipart/alternative")));
}

#[test]
fn smtp_sink_wait_for_fails_when_nothing_arrives() {
    let sink = SmtpSink::start();
    let waited = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sink.wait_for(1, Duration::from_millis(200))));
    assert!(waited.is_err(), "wait_for must fail the test when the mail never comes");
}

// ------------------------------------------------------- Standard Webhooks

/// The test vector published with the Standard Webhooks spec.
const VECTOR_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const VECTOR_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const VECTOR_TIMESTAMP: i64 = 1614265330;
const VECTOR_PAYLOAD: &str = r#"{"test": 2432232314}"#;
const VECTOR_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

/// Signs as the spec describes, with Python's `hmac` and not the
/// `standardwebhooks` package, so the receiver is checked against an
/// independent signer: base64(HMAC-SHA256(key = base64-decoded secret
/// without `whsec_`, "{id}.{timestamp}.{body}")), prefixed `v1,`.
fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    const SIGN: &str = r#"
import base64, hashlib, hmac, sys
secret, msg_id, ts = sys.argv[1:4]
body = sys.stdin.buffer.read()
key = base64.b64decode(secret.removeprefix("whsec_"))
mac = hmac.new(key, msg_id.encode() + b"." + ts.encode() + b"." + body, hashlib.sha256).digest()
print("v1," + base64.b64encode(mac).decode())
"#;
    let mut child = pytools::python()
        .args(["-c", SIGN, secret, id, &timestamp.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    child.stdin.take().expect("stdin").write_all(body.as_bytes()).expect("write body");
    let out = child.wait_with_output().expect("python3");
    assert!(out.status.success(), "signing failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8").trim().to_string()
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs().try_into().expect("i64")
}

/// POSTs `body` with the given headers over a plain TcpStream; returns the
/// status the receiver answered.
fn post(port: u16, headers: &[(&str, &str)], body: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the receiver");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let mut request = format!("POST /hook HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).expect("write request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read response");
    let status = response.split_whitespace().nth(1).unwrap_or_default();
    status.parse().unwrap_or_else(|_| panic!("no status in {response:?}"))
}

/// POSTs `body` signed with `secret` as `id` at `timestamp`.
fn post_signed(port: u16, secret: &str, id: &str, timestamp: i64, body: &str) -> u16 {
    let signature = sign(secret, id, timestamp, body);
    let ts = timestamp.to_string();
    post(port, &[("webhook-id", id), ("webhook-timestamp", &ts), ("webhook-signature", &signature)], body)
}

#[test]
fn standard_webhooks_published_test_vector() {
    // Our independent signer agrees with the spec...
    assert_eq!(sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_PAYLOAD), VECTOR_SIGNATURE);
    // ...and so does the reference implementation the receiver uses.
    const REFERENCE: &str = r#"
import json, sys
from datetime import datetime, timezone
from standardwebhooks import Webhook
secret, msg_id, ts, payload, signature = sys.argv[1:6]
wh = Webhook(secret)
out = {"signature": wh.sign(msg_id, datetime.fromtimestamp(int(ts), tz=timezone.utc), payload)}
try:
    wh.verify(payload, {"webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": signature})
    out["verify"] = "verified"
except Exception as e:
    out["verify"] = str(e)
print(json.dumps(out))
"#;
    let out = pytools::python()
        .args(["-c", REFERENCE, VECTOR_SECRET, VECTOR_ID, &VECTOR_TIMESTAMP.to_string(), VECTOR_PAYLOAD, VECTOR_SIGNATURE])
        .output()
        .expect("python3");
    assert!(out.status.success(), "standardwebhooks failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["signature"], VECTOR_SIGNATURE);
    // The vector is from 2021: verification rejects it on age alone, which
    // is why the receiver tests below sign fresh timestamps.
    assert_eq!(json["verify"], "Message timestamp too old");
    // A different body gives a different signature (the signer is not constant).
    assert_ne!(sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, r#"{"test": 2432232315}"#), VECTOR_SIGNATURE);
}

#[test]
fn webhook_receiver_verifies_and_rejects() {
    let receiver = WebhookReceiver::start(VECTOR_SECRET, Plan::Ok);
    assert!(receiver.url().starts_with("http://127.0.0.1:") && receiver.url().ends_with("/hook"), "{}", receiver.url());
    assert!(receiver.deliveries().is_empty());
    let port = receiver.port();
    let t = now();
    let body = r#"{"type":"shift.confirmed","timestamp":"2026-03-13T09:00:00Z","data":{"shift":"s_1","note":"café ✓"}}"#;
    let before_ms = t * 1000 - 1000;

    // 1. Correctly signed.
    assert_eq!(post_signed(port, VECTOR_SECRET, "msg_judge_1", t, body), 200);
    // 2. Tampered body under the original signature.
    let signature = sign(VECTOR_SECRET, "msg_judge_2", t, body);
    let ts = t.to_string();
    let tampered = body.replace("s_1", "s_2");
    assert_eq!(post(port, &[("webhook-id", "msg_judge_2"), ("webhook-timestamp", &ts), ("webhook-signature", &signature)], &tampered), 200);
    // 3. Correctly signed but ten minutes old (tolerance is five).
    assert_eq!(post_signed(port, VECTOR_SECRET, "msg_judge_3", t - 600, body), 200);
    // 4. Signed with another secret.
    assert_eq!(post_signed(port, "whsec_c2VjcmV0LW9mLXNvbWVvbmUtZWxzZQ==", "msg_judge_4", t, body), 200);
    // 5. No signature at all.
    assert_eq!(post(port, &[("webhook-id", "msg_judge_5"), ("webhook-timestamp", &ts)], body), 200);
    // 6. Several signatures (key rotation): one good one is enough.
    let good = sign(VECTOR_SECRET, "msg_judge_6", t, body);
    let both = format!("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= {good}");
    assert_eq!(post(port, &[("webhook-id", "msg_judge_6"), ("webhook-timestamp", &ts), ("webhook-signature", &both)], body), 200);

    let got = receiver.wait_for(6, WAIT);
    assert_eq!(got.len(), 6);
    let verdicts: Vec<(Option<&str>, bool, Option<&str>)> = got.iter().map(|d| (d.id.as_deref(), d.verified, d.error.as_deref())).collect();
    assert_eq!(
        verdicts,
        [
            (Some("msg_judge_1"), true, None),
            (Some("msg_judge_2"), false, Some("No matching signature found")),
            (Some("msg_judge_3"), false, Some("Message timestamp too old")),
            (Some("msg_judge_4"), false, Some("No matching signature found")),
            (Some("msg_judge_5"), false, Some("Missing required headers")),
            (Some("msg_judge_6"), true, None),
        ]
    );
    let d = &got[0];
    assert_eq!(d.timestamp.as_deref(), Some(ts.as_str()));
    assert_eq!(d.signature.as_deref(), Some(sign(VECTOR_SECRET, "msg_judge_1", t, body).as_str()));
    assert_eq!(d.body["data"]["note"], "café ✓");
    assert_eq!(d.raw, body);
    assert_eq!(d.status, 200);
    assert_eq!(d.path, "/hook");
    assert_eq!(d.header("content-type"), Some("application/json"));
    assert!(d.received_at_ms >= before_ms && d.received_at_ms <= (now() + 1) * 1000, "{}", d.received_at_ms);
    assert_eq!(got[1].body["data"]["shift"], "s_2", "the tampered body is what was logged");

    // A body that is not JSON is kept as text.
    let t = now();
    assert_eq!(post_signed(port, VECTOR_SECRET, "msg_judge_7", t, "plain text"), 200);
    let got = receiver.wait_for(7, WAIT);
    assert!(got[6].verified, "{:?}", got[6]);
    assert_eq!(got[6].body, "plain text");
}

#[test]
fn webhook_receiver_answers_per_plan() {
    let body = r#"{"type":"ping"}"#;
    let receiver = WebhookReceiver::start(VECTOR_SECRET, Plan::FailFirst(2));
    let statuses: Vec<u16> = (1..=3).map(|i| post_signed(receiver.port(), VECTOR_SECRET, &format!("msg_{i}"), now(), body)).collect();
    assert_eq!(statuses, [500, 500, 200]);
    let logged: Vec<(u16, bool)> = receiver.wait_for(3, WAIT).iter().map(|d| (d.status, d.verified)).collect();
    assert_eq!(logged, [(500, true), (500, true), (200, true)]);

    let gone = WebhookReceiver::start(VECTOR_SECRET, Plan::Always(410));
    let statuses: Vec<u16> = (1..=2).map(|i| post_signed(gone.port(), VECTOR_SECRET, &format!("msg_{i}"), now(), body)).collect();
    assert_eq!(statuses, [410, 410]);
    assert_eq!(gone.wait_for(2, WAIT).iter().map(|d| d.status).collect::<Vec<_>>(), [410, 410]);

    let failing = WebhookReceiver::start(VECTOR_SECRET, Plan::Always(500));
    assert_eq!(post_signed(failing.port(), VECTOR_SECRET, "msg_1", now(), body), 500);

    let ok = WebhookReceiver::start(VECTOR_SECRET, Plan::Ok);
    let waited = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ok.wait_for(1, Duration::from_millis(200))));
    assert!(waited.is_err(), "wait_for must fail the test when no webhook comes");
}
