// After the work, in a real browser over a real server: a worker clocks in
// and out at phone width and rates the business; the business approves the
// timesheet, rates the worker and downloads an invoice, printable and as a Peppol e-invoice; an operator resolves a
// dispute. The demo's history (one worker's past week with the first
// business, crates/cli/src/history.rs) supplies the invoice and the dispute.
// axe-core checks every page.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const harness = require('./harness');

const { startServer, launch } = harness;
const { axe, checked } = require('./axe');

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

let server;
let browser;

const signIn = (viewport, email, home) => harness.signIn(browser, server, email, home, viewport);

async function visit(page, url, label) {
  const res = await page.goto(url);
  assert.ok(res.ok(), `${label}: GET ${url} answered ${res.status()}`);
  await axe(page, label);
}

async function noOverflow(page, label) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= PHONE.width, `${label} overflows at phone width: ${w}px wide`);
}

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
  console.log(`axe-core checked ${checked.length} page views (after the work)`);
});

test('a worker checks in and out at phone width', async () => {
  const { ctx, page } = await signIn(PHONE, 'timesheets@demo.slivers.test', '/w');
  await visit(page, `${server.base}/w/timesheets`, 'worker timesheets (phone)');
  await noOverflow(page, 'worker timesheets');
  // The demo's history: an approved timesheet, a disputed one, a pay statement.
  assert.match(await page.textContent('#sheets'), /approved/);
  assert.match(await page.textContent('#sheets'), /disputed/);
  assert.match(await page.textContent('#pay'), /PAY-000001/);
  await page.click('#clock button:has-text("Check in")');
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /Checked in/);
  await axe(page, 'worker checked in (phone)');
  await page.fill('#clock input[name=break_minutes]', '0');
  await page.click('#clock button:has-text("Check out")');
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /Checked out: .* sent for approval/);
  assert.match(await page.textContent('#sheets'), /waiting for approval/);
  await noOverflow(page, 'worker checked out');
  await axe(page, 'worker checked out (phone)');
  // Rating the business for a completed shift of the past week.
  await page.locator('#rate form').first().locator('select[name=stars]').selectOption('5');
  await page.locator('#rate form').first().locator('button:has-text("Rate")').click();
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /Thank you: 5 of 5 recorded/);
  await noOverflow(page, 'worker rated');
  await ctx.close();
});

test('the business approves the timesheet and downloads an invoice', async () => {
  const { ctx, page } = await signIn(DESKTOP, 'manager1@demo.slivers.test', '/b');
  await visit(page, `${server.base}/b/timesheets`, 'business timesheets');
  const waiting = page.locator('#waiting article');
  assert.equal(await waiting.count(), 1, 'the timesheet just submitted waits for approval');
  await waiting.locator('button:has-text("Approve")').click();
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /approved/);
  await axe(page, 'business approved');
  // The business rates the worker for the approved past shift: their reputation evidence.
  await page.locator('#rate form').first().locator('select[name=stars]').selectOption('4');
  await page.locator('#rate form').first().locator('button:has-text("Rate")').click();
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /Thank you: 4 of 5 recorded/);
  await axe(page, 'business rated');
  // The invoice from the demo's past week: as a printable page and as UBL.
  const row = page.locator('#documents tr', { hasText: 'INV-000001' });
  const [download] = await Promise.all([page.waitForEvent('download'), row.locator('a:has-text("E-invoice")').click()]);
  const xml = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(xml).toString('utf8');
  assert.match(text, /<cbc:CustomizationID>urn:cen\.eu:en16931:2017#compliant#urn:fdc:peppol\.eu:2017:poacc:billing:3\.0<\/cbc:CustomizationID>/);
  assert.match(text, /<cbc:ID>INV-000001<\/cbc:ID>/);
  const href = await row.locator('a:has-text("Printable")').getAttribute('href');
  const res = await page.goto(`${server.base}${href}`);
  assert.equal(res.status(), 200);
  assert.match(await page.textContent('body'), /INV-000001/);
  await ctx.close();
});

test('an operator resolves a dispute', async () => {
  const { ctx, page } = await signIn(DESKTOP, 'operator@demo.slivers.test', '/op');
  await visit(page, `${server.base}/op/billing`, 'operator billing');
  const dispute = page.locator('#disputes article').first();
  assert.match(await dispute.textContent(), /handed in at 15:30/);
  assert.match(await dispute.textContent(), /I sent it at 16:00/);
  await dispute.locator('input[name=minutes]').fill('210');
  await dispute.locator('input[name=note]').fill('Split the difference: the log shows 15:45.');
  await dispute.locator('button:has-text("Resolve")').click();
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /resolved: 3 h 30/);
  assert.equal(await page.locator('#disputes article').count(), 0);
  await axe(page, 'operator resolved');
  await ctx.close();
});
