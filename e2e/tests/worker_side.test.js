// The worker's side of the market in a real browser: the demo worker opens
// "Work for me", finds a shift that is not offered to them (pasting its link
// into "Why not this shift?") and reads at least one failing rule framed for
// them; exports a signed reputation record from the skills page and checks
// the download parses with a proof; and the public market page renders
// without signing in. axe-core checks every page.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, launch } = require('./harness');
const { axe, checked } = require('./axe');

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
  console.log(`axe-core checked ${checked.length} page views (worker side)`);
});

async function signedInWorker() {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true, acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/signin`);
  await page.fill('#email', server.demo.worker.email);
  await page.fill('#password', server.demo.password);
  await page.click('button:has-text("Sign in")');
  await page.waitForLoadState('load');
  assert.equal(new URL(page.url()).pathname, '/w', `signed in at ${page.url()}`);
  return { ctx, page };
}

test('a worker sees why a shift is not offered, and exports a signed record', async () => {
  const { ctx, page } = await signedInWorker();
  await page.click('nav a:has-text("Work for me")');
  assert.equal(new URL(page.url()).pathname, '/w/work');
  await axe(page, 'work for me');

  // Paste shift links until one is not offered: the demo posts shifts in
  // many cities and skills, so most are not for this worker.
  let found = null;
  for (let id = 1; id <= 60 && !found; id++) {
    await page.goto(`${server.base}/w/why`);
    if (id === 1) await axe(page, 'why not: paste a link');
    await page.fill('#why-shift', `${server.base}/shifts/${id}`);
    await page.click('button:has-text("Check")');
    await page.waitForLoadState('load');
    if (await page.locator('#failing li').count()) found = id;
  }
  assert.ok(found, 'no shift in the demo is refused to the demo worker');
  assert.match(new URL(page.url()).pathname, new RegExp(`^/w/shifts/${found}/why`));
  assert.match(await page.textContent('h1'), /why it is not offered to you/);
  const failing = await page.locator('#failing li').first().textContent();
  assert.ok(failing.trim().length > 10, `a failing rule says why: ${failing}`);
  await axe(page, 'why not this shift');

  // Portable reputation: tick the skills, download, parse.
  await page.click('nav a:has-text("Skills")');
  await axe(page, 'skills with export');
  const boxes = page.locator('input[name="skills"][type="checkbox"]');
  assert.ok((await boxes.count()) >= 1, 'a checkbox per skill');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export signed record")')]);
  const text = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
  const vc = JSON.parse(text);
  assert.deepEqual(vc.type, ['VerifiableCredential', 'SliversReputation']);
  assert.ok(vc.proof && typeof vc.proof.proofValue === 'string' && vc.proof.proofValue.length > 40, text);
  assert.equal(vc.proof.type, 'DataIntegrityProof');
  assert.ok(vc.credentialSubject.skills.length >= 1, text);
  const issuer = await (await fetch(`${server.base}/api/v1/issuer`)).json();
  assert.equal(vc.issuer, issuer.issuer);
  await ctx.close();
});

test('the public market page renders without signing in', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await ctx.newPage();
  const res = await page.goto(`${server.base}/market`);
  assert.equal(res.status(), 200);
  assert.ok((await page.textContent('h1')).length > 0);
  await axe(page, 'market');
  await ctx.close();
});
