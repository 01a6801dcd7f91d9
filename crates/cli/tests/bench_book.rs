//! `slivers bench book` measures something: a short run on SQLite with a
//! small demo market ends with confirmed bookings, a refusal of every
//! deliberate invalid kind for the reason it was built for, and a re-check
//! of the final database that finds no broken limit (the command itself
//! fails on any defect, so its exit status is asserted too).

use std::process::Command;

use serde_json::Value;

#[test]
fn a_short_booking_run_confirms_refuses_and_breaks_no_limit() {
    let out = Command::new(env!("CARGO_BIN_EXE_slivers"))
        .args(["bench", "book", "--clients", "4", "--seconds", "2", "--baseline-seconds", "0.5"])
        // A small market loads quickly in a debug build; a high invalid
        // share makes every kind certain to be sent in two seconds.
        .args(["--workers", "600", "--businesses", "10", "--shifts", "300", "--invalid-percent", "40", "--seed", "13"])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run slivers bench book");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "bench book failed: {}\n{stdout}\n{stderr}", out.status);
    let line = stdout.lines().rev().find(|l| l.starts_with('{')).unwrap_or_else(|| panic!("no JSON line:\n{stdout}"));
    let v: Value = serde_json::from_str(line).expect("the JSON line");
    let n = |p: &str| v.pointer(p).and_then(Value::as_u64).unwrap_or_else(|| panic!("{p} missing in {line}"));
    assert_eq!(n("/recheck/broken"), 0, "{stdout}");
    assert!(n("/bookings/confirmed") >= 1, "nothing was confirmed:\n{stdout}");
    assert_eq!(n("/recheck/checked"), n("/bookings/confirmed"), "{stdout}");
    for kind in ["unavailable", "overlap", "past", "foreign"] {
        assert!(n(&format!("/kinds/{kind}/as_expected")) >= 1, "no `{kind}` request was refused as built:\n{stdout}");
        assert_eq!(n(&format!("/kinds/{kind}/confirmed")), 0, "{stdout}");
    }
    assert!(n("/baseline/requests") > 0, "{stdout}");
}
