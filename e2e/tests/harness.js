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

/** aiosmtpd (PyPI) in target/pytools-e2e, installed once: the real SMTP server email journeys read from. */
function pythonPath() {
  const dir = path.join(ROOT, 'target', 'pytools-e2e');
  const marker = path.join(dir, '.installed-aiosmtpd-1.4.6');
  if (!fs.existsSync(marker)) {
    execFileSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', dir, 'aiosmtpd==1.4.6'], { stdio: 'inherit' });
    fs.writeFileSync(marker, '');
  }
  return dir;
}

/** A real SMTP server (aiosmtpd) writing every message it receives into a Maildir. */
async function startSmtp(dir) {
  const maildir = path.join(dir, 'maildir');
  for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(maildir, sub), { recursive: true });
  const port = await freePort();
  const proc = spawn('python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir], {
    env: { ...process.env, PYTHONPATH: pythonPath() },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  /** Messages so far: headers and the decoded (quoted-printable) body. */
  const messages = () => fs.readdirSync(path.join(maildir, 'new')).sort().map((f) => {
    const raw = fs.readFileSync(path.join(maildir, 'new', f), 'utf8').replace(/\r\n/g, '\n');
    const [head, ...rest] = raw.split('\n\n');
    const header = (name) => (head.match(new RegExp(`^${name}: (.*)$`, 'mi')) || [])[1];
    let body = rest.join('\n\n');
    if (/quoted-printable/i.test(header('Content-Transfer-Encoding') || '')) {
      body = body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
    }
    return { to: header('X-RcptTo'), subject: header('Subject'), body };
  });
  /** Wait until a message to `to` arrives (the delivery loop runs every 2 s). */
  const waitFor = async (to, count = 1) => {
    for (let i = 0; i < 300; i++) {
      const got = messages().filter((m) => m.to === to);
      if (got.length >= count) return got[count - 1];
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no email to ${to} within 30 s`);
  };
  return { port, messages, waitFor, stop: () => proc.kill('SIGTERM') };
}

async function startServer(options = {}) {
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
  const smtp = options.smtp ? await startSmtp(dir) : null;
  const mail = smtp ? ['--smtp', `127.0.0.1:${smtp.port}`, '--public-url', base] : [];
  const proc = spawn(bin, ['serve', '--db', db, '--addr', `127.0.0.1:${port}`, ...mail], {
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
  const stop = () => {
    proc.kill('SIGTERM');
    if (smtp) smtp.stop();
  };
  return { base, demo, dir, smtp, stop };
}

async function launch() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A fresh browser context signed in through the portal's sign-in form as a
 * demo account, waiting until it lands on `home`. The CSP is bypassed only
 * because axe-core is injected as an inline script, which the portal forbids.
 */
async function signIn(browser, server, email, home, viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport, bypassCSP: true, acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/signin`);
  await page.fill('#email', email);
  await page.fill('#password', server.demo.password);
  await Promise.all([page.waitForURL(new RegExp(`${home}$`)), page.click('button:has-text("Sign in")')]);
  return { ctx, page };
}

module.exports = { startServer, launch, signIn, ROOT };
