// The portal end to end in Debian's Chromium: a worker signs up, paints
// availability and sets a weekly cap; a business posts a shift, finds the
// worker among the candidates and books them; the worker sees the booking; a
// second booking beyond the weekly cap is refused with the rule named; an
// operator sees the booking in the overview. axe-core runs on every page.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, launch, ROOT } = require('./harness');
const { axe, checked } = require('./axe');

const SHOTS = path.join(ROOT, 'docs', 'screenshots');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };
const PASSWORD = 'a long enough password';
const WORKER = { name: 'Ada Lovelace', email: `ada.${Date.now()}@example.test` };
const BUSINESS = { name: 'Northern Roasters', email: `roasters.${Date.now()}@example.test` };

let server;
let browser;
const state = {};

/** A date `days` or more ahead that falls on `weekday` (0 = Sunday), as YYYY-MM-DD. */
function nextWeekday(weekday, days) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  while (d.getUTCDay() !== weekday) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
function plusDays(iso, n) {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Go to `url` and run axe there. */
async function visit(page, url, label) {
  const res = await page.goto(url);
  assert.ok(res.ok(), `${label}: GET ${url} answered ${res.status()}`);
  await axe(page, label);
  return res;
}

async function context(viewport = DESKTOP, extra = {}) {
  // axe-core is injected as an inline script, which the portal's CSP forbids.
  return browser.newContext({ viewport, bypassCSP: true, ...extra });
}

async function noOverflow(page, label) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= PHONE.width, `${label} overflows at phone width: ${w}px wide`);
}

before(async () => {
  server = await startServer();
  browser = await launch();
  fs.mkdirSync(SHOTS, { recursive: true });
  state.tuesday = nextWeekday(2, 7);
  state.wednesday = plusDays(state.tuesday, 1);
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
  console.log(`axe-core checked ${checked.length} page views:`);
  for (const c of checked) console.log(`  ${c.serious === 0 ? 'ok ' : 'BAD'} ${c.label}: ${c.violations} minor/moderate, ${c.serious} serious/critical`);
});

test('the vendored htmx is the npm package, byte for byte', () => {
  const vendored = fs.readFileSync(path.join(ROOT, 'crates/server/static/htmx-2.0.8.min.js'));
  const npm = fs.readFileSync(require.resolve('htmx.org/dist/htmx.min.js'));
  assert.ok(vendored.equals(npm));
});

test('a worker signs up, paints availability, adds a skill and sets a weekly cap', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await visit(page, `${server.base}/`, 'landing');
  await visit(page, `${server.base}/signup`, 'sign up');
  // A short password is refused with a message saying why.
  await page.check('input[name=role][value=worker]');
  await page.fill('#name', WORKER.name);
  await page.fill('#email', WORKER.email);
  await page.fill('#password', 'short');
  await page.evaluate(() => document.querySelector('#password').removeAttribute('minlength'));
  await page.selectOption('#city', 'leeds');
  await page.click('button[type=submit]:has-text("Create account")');
  await page.waitForSelector('.alert');
  assert.match(await page.textContent('.alert'), /at least 10 characters/);
  await axe(page, 'sign up refused');
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(/\/w$/), page.click('button:has-text("Create account")')]);
  await axe(page, 'worker home (new)');

  const cookies = await ctx.cookies();
  const session = cookies.find((c) => c.name === 'slivers_session');
  assert.ok(session, 'a session cookie is set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.secure, true, 'Chromium keeps a Secure cookie on http://127.0.0.1');
  assert.equal(session.sameSite, 'Lax');

  // Paint Tuesday and Wednesday 08:00-18:00 by dragging down each column.
  await visit(page, `${server.base}/w/availability`, 'availability');
  for (const day of [1, 2]) {
    const first = await page.locator(`input.slot[value="${day}-8"]`).boundingBox();
    const last = await page.locator(`input.slot[value="${day}-17"]`).boundingBox();
    await page.mouse.move(first.x + first.width / 2, first.y + first.height / 2);
    await page.mouse.down();
    await page.mouse.move(last.x + last.width / 2, last.y + last.height / 2, { steps: 25 });
    await page.mouse.up();
  }
  const painted = await page.$$eval('input.slot:checked', (xs) => xs.map((x) => x.value));
  assert.equal(painted.length, 20, `painted ${painted.join(',')}`);
  await page.click('button:has-text("Save weekly hours")');
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /2 windows, 20 h a week/);
  await axe(page, 'availability saved');

  await visit(page, `${server.base}/w/skills`, 'skills');
  await page.selectOption('#skill', 'barista');
  await page.selectOption('#claimed', '2');
  await page.click('button:has-text("Save skill")');
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /evidence supports level 2/);

  await visit(page, `${server.base}/w/limits`, 'limits');
  await page.fill('#weekly', '10');
  await page.click('button:has-text("Save limits")');
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /Weekly cap 10 h/);
  await axe(page, 'limits saved');
  await ctx.close();
});

test('a business posts a shift, finds the worker among the candidates and books them', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await visit(page, `${server.base}/signup`, 'sign up (business)');
  await page.check('input[name=role][value=business]');
  await page.fill('#name', BUSINESS.name);
  await page.fill('#email', BUSINESS.email);
  await page.fill('#password', PASSWORD);
  await page.selectOption('#city', 'leeds');
  await Promise.all([page.waitForURL(/\/b$/), page.click('button:has-text("Create account")')]);
  await axe(page, 'business home (new)');

  await visit(page, `${server.base}/b/shifts/new`, 'post a shift');
  await page.fill('#date', state.tuesday);
  await page.fill('#start', '09:00');
  await page.fill('#end', '17:00');
  await page.selectOption('#skill', 'barista');
  await page.selectOption('#level', '1');
  await page.fill('#headcount', '2');
  await Promise.all([page.waitForURL(/\/b\/shifts\/\d+$/), page.click('button:has-text("Post shift")')]);
  state.shift1 = page.url();
  await axe(page, 'shift page');

  // Narrow the candidates by name (htmx swaps the list in place).
  await page.fill('#q', 'Lovelace');
  const row = page.locator('tr.candidate', { hasText: WORKER.name });
  await row.waitFor();
  state.workerId = await row.getAttribute('data-worker');
  assert.match(await row.textContent(), /skill \d+%/, 'score parts are shown');
  await axe(page, 'candidates filtered');
  await Promise.all([page.waitForLoadState('load'), row.locator('button:has-text("Book now")').click()]);
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), new RegExp(`Booked ${WORKER.name}: confirmed`));
  await axe(page, 'shift booked');
  await ctx.close();
});

test('the worker sees the booking', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await visit(page, `${server.base}/signin`, 'sign in');
  await page.fill('#email', WORKER.email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(/\/w$/), page.click('button:has-text("Sign in")')]);
  await axe(page, 'worker home (booked)');
  const upcoming = await page.textContent('#upcoming');
  assert.match(upcoming, new RegExp(BUSINESS.name));
  assert.match(upcoming, /confirmed/);
  await visit(page, `${server.base}/w/work`, 'work that fits');
  await ctx.close();
});

test('booking the worker beyond the weekly cap is refused, naming the rule', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await visit(page, `${server.base}/signin`, 'sign in (business)');
  await page.fill('#email', BUSINESS.email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(/\/b$/), page.click('button:has-text("Sign in")')]);
  // Edit the first shift: one more place, and a note for workers.
  await visit(page, `${state.shift1}/edit`, 'edit a shift');
  await page.fill('#headcount', '3');
  await page.fill('#notes', 'Aprons provided; ask for Sam at the counter.');
  await Promise.all([page.waitForURL(/\/b\/shifts\/\d+$/), page.click('button:has-text("Save changes")')]);
  assert.match(await page.textContent('main'), /1 of 3 places filled/);
  assert.match(await page.textContent('main'), /Aprons provided/);

  await visit(page, `${server.base}/b/shifts/new`, 'post a second shift');
  await page.fill('#date', state.wednesday);
  await page.fill('#start', '09:00');
  await page.fill('#end', '13:00');
  await Promise.all([page.waitForURL(/\/b\/shifts\/\d+$/), page.click('button:has-text("Post shift")')]);

  // "Why not" names the rule before trying.
  await page.fill('#why', state.workerId);
  await page.click('button:has-text("Why not?")');
  await page.waitForSelector('#why-not tr.failrow');
  assert.match(await page.textContent('#why-not'), /weekly_cap/);
  await axe(page, 'why not');

  await page.fill('#book-worker', state.workerId);
  await page.selectOption('#book-mode', 'instant');
  const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/book')), page.click('button:text-is("Book")')]);
  assert.equal(res.status(), 409);
  await page.waitForSelector('#refusal');
  const refusal = await page.textContent('#refusal');
  assert.match(refusal, /weekly_cap/);
  // A business learns by how much the cap is broken, never the worker's cap itself.
  assert.match(refusal, /fails the weekly cap by \d+ minutes/);
  assert.doesNotMatch(refusal, /600/);
  await axe(page, 'booking refused');

  // Offers for two shorter shifts the week after: the worker answers them.
  for (const [date, label] of [[plusDays(state.tuesday, 9), 'Thursday'], [plusDays(state.tuesday, 10), 'Friday']]) {
    await visit(page, `${server.base}/b/shifts/new`, `post a shift (${label})`);
    await page.fill('#date', date);
    await page.fill('#start', '09:00');
    await page.fill('#end', '12:00');
    await Promise.all([page.waitForURL(/\/b\/shifts\/\d+$/), page.click('button:has-text("Post shift")')]);
    await page.fill('#book-worker', state.workerId);
    await page.selectOption('#book-mode', 'offer');
    await Promise.all([page.waitForLoadState('load'), page.click('button:text-is("Book")')]);
    await page.waitForSelector('.notice');
    assert.match(await page.textContent('.notice'), new RegExp(`Offer sent to ${WORKER.name}`));
  }
  await axe(page, 'offer sent');

  await visit(page, `${server.base}/b/roster?week=${state.tuesday}`, 'roster week');
  assert.match(await page.textContent('table.grid'), /1\/3/);
  await page.click('button:has-text("Propose a roster")');
  await page.waitForSelector('h1:has-text("Proposed roster")');
  await axe(page, 'roster proposal');
  await visit(page, `${server.base}/b/sites`, 'sites');
  await ctx.close();
});

test('an operator sees the booking in the overview', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await visit(page, `${server.base}/signin`, 'sign in (operator)');
  await page.fill('#email', server.demo.operator.email);
  await page.fill('#password', server.demo.password);
  await Promise.all([page.waitForURL(/\/op$/), page.click('button:has-text("Sign in")')]);
  await axe(page, 'operator overview');
  const recent = await page.textContent('#recent');
  assert.match(recent, new RegExp(`confirmed\\s*${WORKER.name}\\s*${BUSINESS.name}`));
  await visit(page, `${server.base}/op/workers`, 'operator workers');
  await visit(page, `${server.base}/op/businesses`, 'operator businesses');
  await visit(page, `${server.base}/op/workers/${state.workerId}/timeline`, 'worker timeline');
  assert.match(await page.textContent('main'), /booking.confirmed/);
  // What the market delivered: the simulator's measures and charts over the real market.
  await visit(page, `${server.base}/op/outcomes`, 'operator outcomes');
  assert.match(await page.textContent('#summary'), /^fill \d+\.\d%|^fill —/);
  assert.equal(await page.locator('main svg[role="img"]').count(), 4);
  const bad = await page.goto(`${server.base}/op/outcomes?days=0`);
  assert.ok(bad.status() >= 400 && bad.status() < 500, `days=0 answered ${bad.status()}`);
  await ctx.close();
});

test('the worker accepts an offer (htmx swaps the page body)', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto(`${server.base}/signin`);
  await page.fill('#email', WORKER.email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(/\/w$/), page.click('button:has-text("Sign in")')]);
  assert.equal(await page.locator('#offers tbody tr').count(), 2);
  await page.locator('#offers tbody tr').first().locator('button:has-text("Accept")').click();
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /Accepted: you are booked/);
  assert.equal(await page.locator('#offers tbody tr').count(), 1);
  assert.equal(await page.locator('#upcoming tbody tr').count(), 2);
  await axe(page, 'offer accepted');
  await ctx.close();
});

test('core flows work without JavaScript', async () => {
  const ctx = await context(DESKTOP, { javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/signin`);
  await page.fill('#email', WORKER.email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(/\/w$/), page.click('button:has-text("Sign in")')]);
  await page.goto(`${server.base}/w/availability`);
  await page.check('input.slot[value="4-10"]');
  await page.click('button:has-text("Save weekly hours")');
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /3 windows, 21 h a week/);
  await ctx.close();
});

test('each home page at desktop and phone width, screenshotted, without overflow', async () => {
  const who = [
    ['worker', WORKER.email, PASSWORD, '/w'],
    ['business', BUSINESS.email, PASSWORD, '/b'],
    ['operator', server.demo.operator.email, server.demo.password, '/op'],
  ];
  for (const [role, email, password, home] of who) {
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const ctx = await context(viewport);
      const page = await ctx.newPage();
      await page.goto(`${server.base}/signin`);
      await page.fill('#email', email);
      await page.fill('#password', password);
      await Promise.all([page.waitForURL(new RegExp(`${home}$`)), page.click('button:has-text("Sign in")')]);
      await axe(page, `${role} home (${size})`);
      if (size === 'phone') {
        await noOverflow(page, `${role} home`);
        if (role === 'worker') {
          await visit(page, `${server.base}/w/availability`, 'availability (phone)');
          await noOverflow(page, 'availability');
          await page.goto(`${server.base}${home}`);
        }
      }
      await page.screenshot({ path: path.join(SHOTS, `${role}-${size}.png`), fullPage: true });
      await ctx.close();
    }
  }
});
