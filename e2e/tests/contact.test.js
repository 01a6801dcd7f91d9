// Talking with customers in a real browser over a real server: (a) a
// business raises an inquiry about one of its invoices from its Help page,
// an operator finds it in the queue (customer named, due time shown),
// answers it in the thread and sees the response-time panel and the targets
// CSV, and the business reads the answer with the first-response target met;
// (b) a worker files a feature request, a business votes on it in its own
// words and files a duplicate, and an operator merges the duplicate, marks
// the survivor shipped and reads "who asked for this?": both customers,
// once each, with their words; (c) the worker and the business message each
// other on a booking. axe-core checks every page.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const harness = require('./harness');

const { startServer, launch } = harness;
const { axe, checked } = require('./axe');

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

let server;
let browser;

const signIn = (email, home, viewport = DESKTOP) => harness.signIn(browser, server, email, home, viewport);

/** Follow a link (or press a button that navigates) and run axe on the page it opens. */
async function go(page, click, url, label) {
  await Promise.all([page.waitForURL(url), click()]);
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
  console.log(`axe-core checked ${checked.length} page views (contact):`);
  for (const c of checked) console.log(`  ${c.serious === 0 ? 'ok ' : 'BAD'} ${c.label}: ${c.violations} minor/moderate, ${c.serious} serious/critical`);
});

test('a business raises an inquiry, an operator answers it, the business reads the answer', async () => {
  const subject = 'INV-000001 lists a shift twice';
  const question = 'The invoice for last week shows the Tuesday shift on two lines.\nCould you check it?';
  const answer = 'Thank you: the second line is the late-cancellation share, not the shift again.';
  const businessId = server.demo.business.business_id;

  const biz = await signIn(server.demo.business.email, '/b');
  await go(biz.page, () => biz.page.click('nav a:has-text("Help")'), /\/b\/help$/, 'business help');
  assert.match(await biz.page.textContent('#inquiries'), /not asked us anything yet/);
  await biz.page.selectOption('#category', 'billing');
  await biz.page.selectOption('#priority', 'high');
  // The invoice from the demo's past week, chosen from the business's own records.
  const invoice = biz.page.locator('#about optgroup[label="Invoices and credit notes"] option', { hasText: 'INV-000001' });
  await biz.page.selectOption('#about', await invoice.getAttribute('value'));
  await biz.page.fill('#subject', subject);
  await biz.page.fill('#text', question);
  await go(biz.page, () => biz.page.click('button:has-text("Send to Slivers")'), /\/b\/inquiries\/\d+$/, 'business inquiry raised');
  const id = Number(new URL(biz.page.url()).pathname.split('/').pop());
  assert.equal(await biz.page.textContent('h1'), subject);
  assert.equal(await biz.page.textContent('#status'), 'waiting for Slivers');
  assert.match(await biz.page.textContent('#first-response'), /^due /, 'the first-response due time is shown');
  assert.match(await biz.page.textContent('#resolution'), /^due /);
  assert.match(await biz.page.textContent('#facts'), /document \d+/, 'the inquiry names the invoice');
  assert.match(await biz.page.textContent('#thread'), /You raised the inquiry/);
  assert.match(await biz.page.textContent('#thread'), /two lines\.\s*Could you check it\?/);

  // The operator's queue names the customer and shows the due times; the panel lists them as waiting.
  const op = await signIn(server.demo.operator.email, '/op');
  await go(op.page, () => op.page.click('nav a:has-text("Help")'), /\/op\/help$/, 'operator help desk');
  const row = op.page.locator('#queue tr.inquiry', { hasText: subject });
  assert.equal(await row.count(), 1);
  assert.equal(await row.locator(`a[href="/op/businesses/${businessId}/timeline"]`).count(), 1, 'the customer is named and linked');
  assert.match(await row.textContent(), /open/);
  assert.match(await row.textContent(), /due /);
  assert.match(await op.page.textContent('#waiting'), new RegExp(`Inquiry ${id}`), 'the customer waits longest');
  const customer = (await row.locator(`a[href="/op/businesses/${businessId}/timeline"]`).textContent()).trim();

  await go(op.page, () => row.locator(`a[href="/op/inquiries/${id}"]`).click(), new RegExp(`/op/inquiries/${id}$`), 'operator inquiry thread');
  assert.equal((await op.page.textContent('#customer')).trim(), customer);
  assert.match(await op.page.textContent('#thread'), new RegExp(`${customer} raised the inquiry`));
  await op.page.fill('#text', answer);
  await op.page.click('button:has-text("Answer")');
  await op.page.waitForSelector('.notice');
  assert.match(await op.page.textContent('.notice'), /Answer sent/);
  await axe(op.page, 'operator answered');
  assert.equal(await op.page.textContent('#status'), 'answered');
  assert.match(await op.page.textContent('#first-response'), /^met /, 'the first response met its target');
  assert.match(await op.page.textContent('#thread'), /Slivers support answered/);

  // Response times now count it for this customer; the targets report lists it as met.
  await go(op.page, () => op.page.click('nav a:has-text("Help")'), /\/op\/help$/, 'operator help desk after answering');
  assert.match(await op.page.textContent('#per-customer'), new RegExp(customer));
  assert.match(await op.page.textContent("#response-times"), /First answer\s*p50 (under a minute|\d+ (h|min))/);
  const [download] = await Promise.all([op.page.waitForEvent('download'), op.page.click('a:has-text("Download the targets report")')]);
  const csv = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
  const [head, ...lines] = csv.trim().split('\n');
  assert.match(head, /^inquiry_id,customer,category,priority,opened_at,first_response_at,first_response_due,first_response_met/);
  const line = lines.find((l) => l.startsWith(`${id},`));
  assert.ok(line, `inquiry ${id} in the report:\n${csv}`);
  assert.match(line, new RegExp(`^${id},business ${businessId},billing,high,[^,]+,[^,]+,[^,]+,yes,`));

  // The business sees the answer, the inquiry answered and the first response met.
  await go(biz.page, () => biz.page.click('nav a:has-text("Help")'), /\/b\/help$/, 'business help after the answer');
  const mine = biz.page.locator('#inquiries tr.inquiry', { hasText: subject });
  assert.match(await mine.textContent(), /answered/);
  assert.match(await mine.textContent(), /met /);
  assert.match(await mine.textContent(), /due /, 'resolution is still due');
  await go(biz.page, () => mine.locator('a').click(), new RegExp(`/b/inquiries/${id}$`), 'business reads the answer');
  assert.match(await biz.page.textContent('#thread'), /Slivers support answered/);
  assert.match(await biz.page.textContent('#thread'), /late-cancellation share/);
  assert.equal(await biz.page.textContent('#status'), 'answered');
  assert.match(await biz.page.textContent('#first-response'), /^met /);
  // A reply is refused with the field named when empty, then sent.
  await biz.page.evaluate(() => document.querySelector('#text').removeAttribute('required'));
  await biz.page.click('button:has-text("Send reply")');
  await biz.page.waitForSelector('.alert');
  assert.match(await biz.page.textContent('.alert'), /text.*must be 1 to 5000 characters/);
  await axe(biz.page, 'business reply refused');
  await biz.page.fill('#text', 'That explains it, thank you.');
  await biz.page.click('button:has-text("Send reply")');
  await biz.page.waitForSelector('.notice');
  assert.equal(await biz.page.textContent('#status'), 'waiting for Slivers');
  await axe(biz.page, 'business replied');

  // Another business cannot open the thread, nor reach it through the worker's pages.
  const other = await signIn('manager2@demo.slivers.test', '/b');
  assert.equal((await other.page.request.get(`${server.base}/b/inquiries/${id}`)).status(), 404);
  assert.equal((await biz.page.request.get(`${server.base}/w/inquiries/${id}`)).status(), 404);
  await other.ctx.close();
  await biz.ctx.close();
  await op.ctx.close();
});

test('feature requests: filed, voted, merged, shipped, and who asked', async () => {
  const workerWords = 'I want my bookings in my phone calendar so I stop missing shifts.';
  const voteWords = 'Our managers plan the rota in Outlook; a calendar feed would save an hour a week.';
  const dupWords = 'Please give us an iCal link for all bookings at our sites.';

  const w = await signIn(server.demo.worker.email, '/w');
  await go(w.page, () => w.page.click('nav a:has-text("Help")'), /\/w\/help$/, 'worker help');
  await go(w.page, () => w.page.click('a:has-text("the feedback board")'), /\/feedback$/, 'worker feedback board');
  await w.page.fill('#title', 'Bookings in my phone calendar');
  await w.page.fill('#text', workerWords);
  await go(w.page, () => w.page.click('button:has-text("File the request")'), /\/feedback\/\d+$/, 'worker request filed');
  const first = Number(new URL(w.page.url()).pathname.split('/').pop());
  assert.match(await w.page.textContent('#yours'), /You asked for it/);
  assert.match(await w.page.textContent('#yours'), /phone calendar so I stop missing shifts/);
  assert.equal(await w.page.textContent('#workers'), '1');
  assert.equal(await w.page.locator('#vote-text').count(), 0, 'no vote on one\'s own request');

  const b = await signIn(server.demo.business.email, '/b');
  await b.page.goto(`${server.base}/feedback`);
  await axe(b.page, 'business feedback board');
  const row = b.page.locator('#requests tr.request', { hasText: 'Bookings in my phone calendar' });
  assert.match(await row.textContent(), /open/);
  await go(b.page, () => row.locator('a').click(), new RegExp(`/feedback/${first}$`), 'business opens the request');
  assert.doesNotMatch(await b.page.textContent('main'), /stop missing shifts/, 'another customer\'s words stay private');
  await b.page.fill('#vote-text', voteWords);
  await b.page.click('button:has-text("Vote for it")');
  await b.page.waitForSelector('.notice');
  assert.match(await b.page.textContent('.notice'), /your vote is counted/);
  await axe(b.page, 'business voted');
  assert.equal(await b.page.textContent('#businesses'), '1');
  assert.match(await b.page.textContent('#yours'), /You voted .*save an hour a week/);
  // The business files what turns out to be a duplicate.
  await b.page.goto(`${server.base}/feedback`);
  await b.page.fill('#title', 'iCal feed of all our bookings');
  await b.page.fill('#text', dupWords);
  await go(b.page, () => b.page.click('button:has-text("File the request")'), /\/feedback\/\d+$/, 'business request filed');
  const dup = Number(new URL(b.page.url()).pathname.split('/').pop());
  assert.notEqual(dup, first);

  // The operator merges the duplicate into the first request and ships it.
  const op = await signIn(server.demo.operator.email, '/op');
  await op.page.goto(`${server.base}/feedback`);
  await axe(op.page, 'operator feedback board');
  assert.match(await op.page.textContent('#requests thead'), /Billed revenue/);
  assert.match(await op.page.locator('#requests tr.request', { hasText: 'Bookings in my phone calendar' }).textContent(), /\d+(\.\d+)? [A-Z]{3}/, 'the voting business has been billed');
  await go(op.page, () => op.page.click(`a[href="/feedback/${dup}"]`), new RegExp(`/feedback/${dup}$`), 'operator opens the duplicate');
  await op.page.selectOption('#into', String(first));
  await op.page.click('button:has-text("Merge into it")');
  await op.page.waitForSelector('.notice');
  assert.match(await op.page.textContent('.notice'), new RegExp(`Request ${dup} is merged into this one`));
  await axe(op.page, 'operator merged');
  assert.equal(await op.page.textContent('h1'), 'Bookings in my phone calendar');
  assert.equal(await op.page.textContent('#businesses'), '1', 'the business counts once');
  assert.equal(await op.page.textContent('#workers'), '1');
  await op.page.selectOption('#status-choice', 'shipped');
  await op.page.click('button:has-text("Change status")');
  await op.page.waitForSelector('.notice');
  assert.match(await op.page.textContent('.notice'), /Marked shipped/);
  await axe(op.page, 'operator shipped');
  assert.equal(await op.page.textContent('#status'), 'shipped');

  // Who asked for this? Each customer once, with their own words, the duplicate's too.
  const askers = op.page.locator('#who-asked li.asker');
  assert.equal(await askers.count(), 2, 'both customers, once each');
  const worker = op.page.locator('#who-asked li.asker', { has: op.page.locator(`a[href="/op/workers/${server.demo.worker.worker_id}/timeline"]`) });
  const business = op.page.locator('#who-asked li.asker', { has: op.page.locator(`a[href="/op/businesses/${server.demo.business.business_id}/timeline"]`) });
  assert.equal(await worker.count(), 1);
  assert.equal(await business.count(), 1);
  assert.match(await worker.textContent(), /asked for it .*stop missing shifts/);
  const said = await business.textContent();
  assert.match(said, /voted .*save an hour a week/);
  assert.match(said, new RegExp(`asked for it .*on request ${dup}, merged into this one.*iCal link for all bookings`));

  // The duplicate now points at the survivor; customers see the new status.
  await op.page.goto(`${server.base}/feedback/${dup}`);
  await axe(op.page, 'operator reads the merged duplicate');
  assert.match(await op.page.textContent('#status'), new RegExp(`merged into request ${first}`));
  await w.page.goto(`${server.base}/feedback`);
  assert.match(await w.page.locator('#requests tr.request', { hasText: 'Bookings in my phone calendar' }).textContent(), /shipped/);
  assert.equal(await w.page.locator('#requests tr.request', { hasText: 'iCal feed' }).count(), 0, 'merged requests leave the board');
  await axe(w.page, 'worker board after shipping');
  await w.ctx.close();
  await b.ctx.close();
  await op.ctx.close();
});

test('a worker and a business message each other about a booking', async () => {
  // The demo's history worker has past bookings with the first business.
  const w = await signIn('timesheets@demo.slivers.test', '/w', PHONE);
  await w.page.goto(`${server.base}/w/timesheets`);
  await go(w.page, () => w.page.locator('#sheets td a').first().click(), /\/w\/bookings\/\d+$/, 'worker booking page (phone)');
  const booking = Number(new URL(w.page.url()).pathname.split('/').pop());
  await noOverflow(w.page, 'worker booking page');
  await w.page.fill('#message-text', 'I left my apron in the back room; could you keep it for Thursday?');
  await w.page.click('button:has-text("Send message")');
  await w.page.waitForSelector('.notice');
  assert.match(await w.page.textContent('#conversation'), /You.*apron in the back room/s);
  await axe(w.page, 'worker message sent (phone)');

  const b = await signIn(server.demo.business.email, '/b');
  await b.page.goto(`${server.base}/b/bookings/${booking}`);
  await axe(b.page, 'business booking page with messages');
  assert.match(await b.page.textContent('#conversation'), /apron in the back room/);
  await b.page.fill('#message-text', 'It is on the hook by the door.');
  await b.page.click('button:has-text("Send message")');
  await b.page.waitForSelector('.notice');
  await axe(b.page, 'business message sent');
  await w.page.reload();
  assert.match(await w.page.textContent('#conversation'), /on the hook by the door/);
  await noOverflow(w.page, 'worker booking page with a reply');
  await w.ctx.close();
  await b.ctx.close();
});
