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
