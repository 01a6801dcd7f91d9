// The account's life in a real browser over a real server whose email goes
// to a real SMTP server (aiosmtpd) on loopback: a worker who forgot their
// password asks for a link, opens the link from the email actually
// received, chooses a new password and signs in with it; the old password
// and the used link no longer work. The account page shows email
// preferences and turns an optional topic off. axe-core checks every page.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, launch } = require('./harness');
const { axe, checked } = require('./axe');

let server;
let browser;

before(async () => {
  server = await startServer({ smtp: true });
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
  console.log(`axe-core checked ${checked.length} page views (account)`);
});

async function signInWith(page, email, password) {
  await page.goto(`${server.base}/signin`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button:has-text("Sign in")');
  await page.waitForLoadState('load');
}

test('a forgotten password is reset through the email actually received', async () => {
  const email = server.demo.worker.email;
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/signin`);
  await page.click('a:has-text("Forgot your password?")');
  await axe(page, 'forgot password');
  await page.fill('#email', email);
  await page.click('button:has-text("Email me a reset link")');
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /If an account uses that address/);

  const mail = await server.smtp.waitFor(email);
  assert.equal(mail.subject, 'Reset your Slivers password');
  const link = mail.body.match(/http:\/\/\S+\/account\/reset\?token=\S+/);
  assert.ok(link, `no reset link in the email:\n${mail.body}`);
  assert.ok(link[0].startsWith(server.base), `${link[0]} points elsewhere`);

  await page.goto(link[0]);
  await axe(page, 'choose a new password');
  await page.fill('#password', 'a fresh password 2026');
  await page.click('button:has-text("Save the new password")');
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), /Your password is changed/);

  // The link works once.
  await page.goto(link[0]);
  await page.fill('#password', 'another password 2026');
  await page.click('button:has-text("Save the new password")');
  await page.waitForSelector('.alert');
  assert.match(await page.textContent('.alert'), /already used or expired/);

  // The old password is refused; the new one signs in.
  await signInWith(page, email, server.demo.password);
  assert.match(await page.textContent('.alert'), /do not match/);
  await signInWith(page, email, 'a fresh password 2026');
  assert.ok(new URL(page.url()).pathname === '/w', `signed in at ${page.url()}`);

  // The account page: the address is verified by the reset; offers can be turned off.
  await page.click('nav a:has-text("Account")');
  await axe(page, 'account');
  assert.match(await page.textContent('main'), /verified/);
  await page.uncheck('input[value="offers"]');
  await page.click('button:has-text("Save email preferences")');
  await page.waitForSelector('.notice');
  assert.equal(await page.isChecked('input[value="offers"]'), false);
  assert.equal(await page.isDisabled('input[value="booking"]'), true, 'essential emails cannot be turned off');
  await ctx.close();
});

test('a business adds a webhook endpoint and sees its delivery log', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await ctx.newPage();
  await signInWith(page, server.demo.business.email, server.demo.password);
  await page.click('nav a:has-text("Account")');
  await page.click('a:has-text("Manage webhook endpoints")');
  await axe(page, 'webhooks (empty)');
  // Nothing listens on port 9: deliveries fail and wait for their retry.
  await page.fill('#url', 'http://127.0.0.1:9/hook');
  await page.fill('#event_types', 'shift.*');
  await page.click('button:has-text("Add endpoint")');
  const secret = await page.textContent('#secret');
  assert.match(secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);

  // Post a shift through the API: the event is delivered (and fails) within the loop's 2 s.
  const b = server.demo.business;
  const auth = { authorization: `Bearer ${b.token}` };
  const { currency } = await (await fetch(`${server.base}/api/v1/businesses/${b.business_id}`, { headers: auth })).json();
  const start = new Date(Date.now() + 10 * 24 * 3600 * 1000);
  start.setUTCHours(9, 0, 0, 0);
  const end = new Date(start.getTime() + 4 * 3600 * 1000);
  const res = await fetch(`${server.base}/api/v1/shifts`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ start: start.toISOString(), end: end.toISOString(), headcount: 1, skills: [{ skill: 'barista', level: 1 }],
      pay_rate: { amount: '25.00', currency }, bill_rate: { amount: '32.00', currency } }),
  });
  assert.equal(res.status, 201, await res.text());
  let row = '';
  for (let i = 0; i < 100 && !/could not reach/.test(row); i++) {
    await new Promise((r) => setTimeout(r, 100));
    await page.goto(`${server.base}/b/webhooks`);
    row = (await page.textContent('main')) || '';
  }
  assert.match(row, /shift\.posted/);
  assert.match(row, /could not reach the endpoint/);
  await axe(page, 'webhooks (with a failed delivery)');
  assert.equal(await page.locator('#secret').count(), 0, 'the secret is shown once');

  await page.click('button:has-text("Rotate the secret")');
  const rotated = await page.textContent('#secret');
  assert.notEqual(rotated, secret);
  assert.match(await page.textContent('.notice'), /old one keeps signing for 24 hours/);
  await ctx.close();
});

test('a team across four zones finds its common hours', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await ctx.newPage();
  await signInWith(page, server.demo.operator.email, server.demo.password);
  await page.click('nav a:has-text("Account")');
  await page.click('a:has-text("Find a time for a team across zones")');
  await axe(page, 'overlap finder');
  // The example team (India, Ireland, Singapore, US) in a December week without DST changes.
  await page.fill('#week', '2026-12-07');
  await page.click('button:has-text("Find the common hours")');
  await page.waitForSelector('h2');
  await axe(page, 'overlap result');
  assert.match(await page.textContent('main h2'), /1050 minutes in common/);
  assert.match(await page.textContent('#person0'), /2026-12-07T17:30 \+05:30 – 2026-12-07T21:00 \+05:30/);
  assert.match(await page.textContent('#person3'), /2026-12-07T07:00 -05:00 – 2026-12-07T10:30 -05:00/);
  await ctx.close();
});
