//! Two `slivers serve` processes on one PostgreSQL. Must-show (d): a booking
//! made through one disappears from the other's candidate list within a
//! second. Issue 14.5: the sign-in limiter holds across both (failures made
//! at either count at both).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("port")
}

fn serve(db: &str) -> (Server, String) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_slivers"))
        .args(["serve", "--db", db, "--addr", &format!("127.0.0.1:{port}")])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn slivers serve");
    (Server(child), format!("http://127.0.0.1:{port}/api/v1"))
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    let health = base.replace("/api/v1", "/healthz");
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if client.get(&health).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{base} did not become ready");
}

async fn get(client: &reqwest::Client, url: &str, token: &str) -> Value {
    let r = client.get(url).bearer_auth(token).send().await.expect("get");
    assert!(r.status().is_success(), "GET {url}: {}", r.status());
    r.json().await.expect("json")
}

fn ids(list: &Value) -> Vec<i64> {
    list["candidates"].as_array().expect("candidates").iter().map(|c| c["worker_id"].as_i64().expect("id")).collect()
}

/// A scratch PostgreSQL schema with a demo market of `workers` workers, its
/// demo tokens, and two servers on it, ready; `None` when PostgreSQL is not configured.
async fn two_servers(workers: &str, businesses: &str, shifts: &str) -> Option<(Value, [(Server, String); 2])> {
    let Some(base) = slivers_store::testing::postgres_url() else {
        assert!(std::env::var_os("CI").is_none(), "SLIVERS_TEST_DATABASE_URL must be set in CI");
        eprintln!("skipped: SLIVERS_TEST_DATABASE_URL is not set");
        return None;
    };
    let db = slivers_store::testing::postgres_scratch_url(&base).await.expect("scratch schema");
    let demo = Command::new(env!("CARGO_BIN_EXE_slivers"))
        .args(["demo", "--db", &db, "--workers", workers, "--businesses", businesses, "--shifts", shifts, "--json"])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run slivers demo");
    assert!(demo.status.success(), "demo failed: {}", String::from_utf8_lossy(&demo.stderr));
    let tokens: Value = serde_json::from_slice(&demo.stdout).expect("demo tokens");
    let (a, b) = (serve(&db), serve(&db));
    let client = reqwest::Client::new();
    wait_ready(&client, &a.1).await;
    wait_ready(&client, &b.1).await;
    Some((tokens, [a, b]))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_sign_in_failures_at_either_server_count_at_both() {
    let Some((_, [(_a, a), (_b, b)])) = two_servers("20", "2", "5").await else { return };
    let client = reqwest::Client::new();
    let token = |base: &str, email: &str, password: &str| {
        client.post(format!("{base}/tokens")).json(&serde_json::json!({"email": email, "password": password})).send()
    };
    let (email, password) = ("operator@demo.slivers.test", "slivers-demo-password");
    // Three failures at A and two at B: five in all, from one address.
    for (server, n) in [(&a, 3), (&b, 2)] {
        for _ in 0..n {
            assert_eq!(token(server, email, "wrong password").await.expect("post").status(), reqwest::StatusCode::UNAUTHORIZED);
        }
    }
    // Now both refuse even the right password: neither kept its own count.
    for server in [&a, &b] {
        let res = token(server, email, password).await.expect("post");
        assert_eq!(res.status(), reqwest::StatusCode::TOO_MANY_REQUESTS, "{server}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
    }
    // Another account signs in at either.
    for server in [&a, &b] {
        assert_eq!(token(server, "worker1@demo.slivers.test", password).await.expect("post").status(), reqwest::StatusCode::CREATED);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_booking_through_one_server_leaves_the_others_candidates_within_a_second() {
    let Some((tokens, [(_a, a), (_b, b)])) = two_servers("600", "8", "120").await else { return };
    let operator = tokens["operator"]["token"].as_str().expect("token").to_string();
    let client = reqwest::Client::new();

    // A shift with an instantly bookable candidate, as server B sees it.
    let shifts = get(&client, &format!("{b}/shifts?limit=1000"), &operator).await;
    let mut pick = None;
    for s in shifts.as_array().expect("shifts") {
        let id = s["id"].as_i64().expect("id");
        let c = get(&client, &format!("{b}/shifts/{id}/candidates?mode=instant&limit=10"), &operator).await;
        if let Some(w) = ids(&c).first() {
            pick = Some((id, *w));
            break;
        }
    }
    let (shift, worker) = pick.expect("some shift has an instant candidate");

    // Book through server A...
    let r = client
        .post(format!("{a}/shifts/{shift}/bookings"))
        .bearer_auth(&operator)
        .json(&serde_json::json!({"worker_id": worker, "mode": "instant"}))
        .send()
        .await
        .expect("book");
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
    let booked = Instant::now();

    // ...and watch server B drop the worker from the candidates.
    let mut polls = 0;
    loop {
        polls += 1;
        let c = get(&client, &format!("{b}/shifts/{shift}/candidates?mode=instant&limit=500"), &operator).await;
        if !ids(&c).contains(&worker) {
            break;
        }
        assert!(booked.elapsed() < Duration::from_secs(1), "server B still offers worker {worker} after {:?}", booked.elapsed());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let seen = booked.elapsed();
    eprintln!("server B dropped worker {worker} from shift {shift} after {seen:?} ({polls} polls)");
    assert!(seen < Duration::from_secs(1));
    // Server A, which made the booking, reflects it at once.
    let c = get(&client, &format!("{a}/shifts/{shift}/candidates?mode=instant&limit=500"), &operator).await;
    assert!(!ids(&c).contains(&worker));
}
