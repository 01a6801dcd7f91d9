//! The third-party judges the tests run (the Peppol validator on `saxonche`,
//! the `icalendar` parser, the `aiosmtpd` mail server behind
//! `smtp_sink.rs`, the `standardwebhooks` verifier behind
//! `webhook_receiver.rs`, and `cryptography`'s Ed25519 for signed reputation
//! records) are Python packages. So that the README's test
//! command passes on a fresh machine with only Python and pip, this installs
//! pinned versions once into a directory under `target/` (`pip install
//! --target`, no virtualenv needed) and hands back the `PYTHONPATH` to use.
//! Several test processes may start at once: a lock directory serialises the
//! install.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What the judges need, pinned. Changing this list changes the marker
/// written after a successful install, so an older install is refreshed.
pub const PACKAGES: [&str; 5] = ["saxonche==13.1.1", "icalendar==7.3.2", "aiosmtpd==1.4.6", "standardwebhooks==1.1.0", "cryptography==50.0.2"];

fn target_dir() -> PathBuf {
    if let Some(t) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(t);
    }
    // crates/documents -> the workspace's target/.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target")
}

/// A `python3` command with the pinned packages importable; panics with
/// the reason when they cannot be had (a test must fail, not skip).
pub fn python() -> Command {
    let dir = target_dir().join("pytools");
    let ready = dir.join(".installed");
    let marker = PACKAGES.join(" ");
    if std::fs::read_to_string(&ready).ok().as_deref() != Some(marker.as_str()) {
        install(&dir, &ready, &marker);
    }
    let mut cmd = Command::new("python3");
    cmd.env("PYTHONPATH", &dir);
    cmd
}

fn install(dir: &Path, ready: &Path, marker: &str) {
    std::fs::create_dir_all(dir.parent().unwrap_or(dir)).ok();
    let lock = dir.with_extension("lock");
    let started = Instant::now();
    // `create_dir` is atomic: whoever makes it installs, the others wait.
    while std::fs::create_dir(&lock).is_err() {
        if std::fs::read_to_string(ready).ok().as_deref() == Some(marker) {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(600), "waited 10 minutes for {} to go away", lock.display());
        std::thread::sleep(Duration::from_millis(250));
    }
    let result = (|| {
        if std::fs::read_to_string(ready).ok().as_deref() == Some(marker) {
            return Ok(());
        }
        let out = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--upgrade", "--target"])
            .arg(dir)
            .args(PACKAGES)
            .output()
            .map_err(|e| format!("cannot run python3 -m pip ({e}); the tests need Python 3 with pip"))?;
        if !out.status.success() {
            return Err(format!("pip install {} failed:\n{}", PACKAGES.join(" "), String::from_utf8_lossy(&out.stderr)));
        }
        std::fs::write(ready, marker).map_err(|e| e.to_string())
    })();
    std::fs::remove_dir(&lock).ok();
    if let Err(e) = result {
        panic!("{e}");
    }
}
