// Start a real `slivers serve` over a fresh SQLite file with a small demo
// market, and a headless Debian Chromium driven by playwright-core.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');

/** SLIVERS_BIN, or the most recently built of the release and debug binaries. */
function binary() {
  if (process.env.SLIVERS_BIN) return process.env.SLIVERS_BIN;
  const found = ['target/release/slivers', 'target/debug/slivers']
    .map((p) => path.join(ROOT, p))
    .filter((p) => fs.existsSync(p))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!found.length) throw new Error('no slivers binary: run `cargo build -p slivers-cli` (or set SLIVERS_BIN)');
  return found[0];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startServer() {
  const bin = binary();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slivers-e2e-'));
  const db = `sqlite://${path.join(dir, 'e2e.db')}`;
  const out = execFileSync(bin, ['demo', '--db', db, '--workers', '200', '--businesses', '5', '--shifts', '60', '--json'], {
    env: { ...process.env, RUST_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const demo = JSON.parse(out.toString());
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(dir, 'server.log'), 'w');
  const proc = spawn(bin, ['serve', '--db', db, '--addr', `127.0.0.1:${port}`], {
    env: { ...process.env, RUST_LOG: 'warn' },
    stdio: ['ignore', log, log],
  });
  let up = false;
  for (let i = 0; i < 300 && !up; i++) {
    try {
      up = (await fetch(`${base}/healthz`)).ok;
    } catch (_) { /* not up yet */ }
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  if (!up) throw new Error(`server did not start; see ${dir}/server.log`);
  return { base, demo, dir, stop: () => proc.kill('SIGTERM') };
}

async function launch() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

module.exports = { startServer, launch, ROOT };
