// Situational assessments in a real browser over a real server: an operator
// authors an assessment for a skill the demo worker has never shown; the
// worker starts it and asks two questions; the operator answers one live
// (while the attempt is open, and the worker's page shows it without a
// reload) and the other after the hand-in; the operator grades by the
// rubric, marking the questions; the worker's effective level rises, and the
// business, on a shift that needs that level, finds the worker among its
// candidates with "why" naming the assessment. A second journey is the
// portal's side for businesses and portfolios: a business authors its own
// assessment for its pool, a worker it has booked takes it and the business
// grades it; the worker adds a portfolio item, an operator reviews it and the
// worker sees the review; the business sets the on-site-first rule. Every
// page is reached by its navigation link. axe-core checks every page.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const harness = require('./harness');

const { startServer, launch } = harness;
const { axe, checked } = require('./axe');

const DESKTOP = { width: 1280, height: 900 };

let server;
let browser;

const signIn = (email, home) => harness.signIn(browser, server, email, home, DESKTOP);

async function api(method, path, token, body) {
  const res = await fetch(`${server.base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Fill the authoring form (the operator's and a business's are the same) and create the assessment. */
async function author(page, skill, title, passLevel, scenarios, rubric) {
  await page.fill('#skill', skill);
  await page.fill('#title', title);
  await page.fill('#pass_level', passLevel);
  await page.fill('#scenarios', scenarios);
  await page.fill('#rubric', rubric);
  await page.click('button:has-text("Create assessment")');
  await page.waitForSelector('.notice');
  assert.match(await page.textContent('.notice'), new RegExp(`${title}.*created`));
}

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
  console.log(`axe-core checked ${checked.length} page views (assessments):`);
  for (const c of checked) console.log(`  ${c.serious === 0 ? 'ok ' : 'BAD'} ${c.label}: ${c.violations} minor/moderate, ${c.serious} serious/critical`);
});

test('authored, taken with two questions, graded by the rubric: the worker becomes a candidate with the assessment as the reason', async () => {
  const { operator, worker, business } = server.demo;
  const wid = worker.worker_id;
  const profile = await api('GET', `/workers/${wid}`, worker.token);
  const skills = await api('GET', '/skills', operator.token);
  const claimed = new Set(profile.skills.map((c) => c.skill));
  const skill = skills.map((s) => s.code).find((c) => !claimed.has(c));
  assert.ok(skill, 'a skill the worker has not claimed');

  // A shift that needs the skill at level 4, paid well above any floor, next week.
  const biz = await api('GET', `/businesses/${business.business_id}`, business.token);
  // The demo worker may ask for pay in another currency: they accept this business's.
  if (profile.min_rate.currency !== biz.currency) {
    const { id: _id, ...mine } = profile;
    await api('PUT', `/workers/${wid}`, worker.token, { ...mine, min_rate: { amount: '10.00', currency: biz.currency } });
  }
  const start = new Date(Date.now() + 8 * 24 * 3600 * 1000);
  start.setUTCHours(12, 0, 0, 0);
  const end = new Date(start.getTime() + 2 * 3600 * 1000);
  const shift = await api('POST', '/shifts', business.token, {
    site_id: null, start: start.toISOString().replace('.000', ''), end: end.toISOString().replace('.000', ''), headcount: 1,
    skills: [{ skill, level: 4 }],
    pay_rate: { amount: '95.00', currency: biz.currency }, bill_rate: { amount: '120.00', currency: biz.currency },
  });

  // Before: the skills rule fails for the worker.
  const b = await signIn(business.email, '/b');
  await b.page.goto(`${server.base}/b/shifts/${shift.id}?mode=offer&why=${wid}`);
  await axe(b.page, 'business shift before the assessment');
  const skillsRow = () => b.page.locator('#why-not tr', { has: b.page.locator('.rule', { hasText: /^skills$/ }) });
  assert.match(await skillsRow().textContent(), /fails/);

  // The operator authors the assessment in the portal.
  const op = await signIn(operator.email, '/op');
  await op.page.goto(`${server.base}/op/assessments`);
  await axe(op.page, 'operator assessments');
  await author(op.page, skill, 'Saturday rush', '4',
    'A queue forms and a colleague is off sick. What do you do first?\nchoice: Which do you serve first? | the person waiting longest | the regular\npractical: Link a short plan of your shift',
    'Judgement: 10\nCraft: 10');
  await axe(op.page, 'operator assessment created');

  // The worker starts it and asks two questions.
  const w = await signIn(worker.email, '/w');
  await w.page.goto(`${server.base}/w/assessments`);
  await axe(w.page, 'worker assessments');
  const item = w.page.locator('li', { hasText: 'Saturday rush' });
  await Promise.all([w.page.waitForURL(/\/w\/assessment-attempts\/\d+$/), item.locator('button:has-text("Start")').click()]);
  const attempt = Number(new URL(w.page.url()).pathname.split('/').pop());
  await axe(w.page, 'worker taking the assessment');
  for (const q of ['May I call the manager?', 'What colour is the apron?']) {
    await w.page.fill('#question', q);
    await w.page.click('button:has-text("Ask")');
    await w.page.waitForSelector('.notice');
  }
  assert.equal(await w.page.locator('#questions li.question').count(), 2);
  await axe(w.page, 'worker asked two questions');

  // Staff on duty see the open questions and answer the first live.
  await op.page.goto(`${server.base}/op/assessments`);
  const row = op.page.locator(`tr.attempt[data-attempt="${attempt}"]`);
  assert.match(await row.textContent(), /open/);
  assert.equal((await row.locator('td').nth(3).textContent()).trim(), '2', 'two open questions');
  await op.page.goto(`${server.base}/op/assessment-attempts/${attempt}`);
  await axe(op.page, 'operator attempt open');
  const first = op.page.locator('li.question', { hasText: 'call the manager' });
  await first.locator('input[name="text"]').fill('Yes, and say what you did.');
  await first.locator('button:has-text("Answer")').click();
  await op.page.waitForSelector('.notice');

  // The worker's page shows the live answer without a reload, then the worker hands in.
  await w.page.waitForFunction(() => /answered live/.test(document.querySelector('#questions').textContent), null, { timeout: 10000 });
  await w.page.fill('#a0', 'Serve the queue in order and ask the manager for cover.');
  await w.page.check('input[name="c1"][value="0"]');
  await w.page.fill('#u2', 'https://example.org/my-shift-plan');
  await w.page.click('button:has-text("Hand in")');
  await w.page.waitForSelector('.notice');
  assert.match(await w.page.textContent('#status'), /submitted/);
  await axe(w.page, 'worker handed in');

  // The second question is answered later, then the attempt is graded by the rubric.
  await op.page.goto(`${server.base}/op/assessment-attempts/${attempt}`);
  const second = op.page.locator('li.question', { hasText: 'apron' });
  await second.locator('input[name="text"]').fill('Green, but it does not matter here.');
  await second.locator('button:has-text("Answer")').click();
  await op.page.waitForSelector('.notice');
  assert.match(await op.page.textContent('#questions'), /answered later/);
  await op.page.fill('#s0', '9');
  await op.page.fill('#s1', '8');
  await op.page.fill('#questions_score', '4');
  const q1 = await first.getAttribute('data-question');
  await op.page.check(`input[name="rel${q1}"]`);
  await axe(op.page, 'operator grading');
  await op.page.click('button:has-text("Grade")');
  await op.page.waitForSelector('#result');
  assert.match(await op.page.textContent('#result'), /passed at level 5/);
  assert.match(await op.page.textContent('#questions'), /marked relevant/);
  assert.match(await op.page.textContent('main'), /2 asked, 1 relevant/);
  await axe(op.page, 'operator graded');

  // The worker's effective level rose, for the reason businesses read.
  const pub = await api('GET', `/workers/${wid}/public`, business.token);
  const claim = pub.skills.find((c) => c.skill === skill);
  assert.equal(claim.effective_level, 5);
  assert.match(claim.reasons[0], /^assessment 5 graded on/);
  assert.match(claim.assessments[0], /^Saturday rush: passed level 5 on .* \(first attempt\)$/);
  await w.page.goto(`${server.base}/w/assessments`);
  assert.match(await w.page.textContent('main'), /passed at level 5/);
  await axe(w.page, 'worker assessments after grading');

  // The business now finds the worker among the candidates, and "why" names the assessment.
  await b.page.goto(`${server.base}/b/shifts/${shift.id}?mode=offer&why=${wid}`);
  assert.match(await skillsRow().textContent(), /passes/);
  assert.match(await skillsRow().textContent(), new RegExp(`${skill}: assessment 5 graded on`));
  await axe(b.page, 'business shift after the assessment');
  const name = profile.name;
  await b.page.goto(`${server.base}/b/shifts/${shift.id}?mode=offer&q=${encodeURIComponent(name)}`);
  assert.equal(await b.page.locator(`tr.candidate[data-worker="${wid}"]`).count(), 1, `${name} is a candidate`);
  await axe(b.page, 'business candidates after the assessment');
  await Promise.all([b.ctx.close(), op.ctx.close(), w.ctx.close()]);
});

/** Click (a nav link, a button) and wait for the page at `url`, then run axe-core on it. */
async function go(page, click, url, label) {
  await Promise.all([page.waitForURL(url), click()]);
  await axe(page, label);
}

test("a business's own assessment, graded by the business; a reviewed portfolio; the on-site-first rule", async () => {
  const { operator, business } = server.demo;
  const skill = (await api('GET', '/skills', operator.token))[0].code;

  // The business authors an assessment for its pool, reached from its navigation.
  const b = await signIn(business.email, '/b');
  await go(b.page, () => b.page.click('nav a:has-text("Assessments")'), /\/b\/assessments$/, 'business assessments');
  assert.equal(await b.page.getAttribute('nav a:has-text("Assessments")', 'aria-current'), 'page');
  await author(b.page, skill, 'Potluck and a cranky customer', '3',
    'What would you bring to the office potluck, and why?\nchoice: A customer cannot make the product work. First you | listen and ask what they tried | offer a refund',
    'Thinking it through: 10');
  await axe(b.page, 'business assessment created');

  // The demo's history worker has worked for this business: it is in the pool, and takes it.
  const w = await signIn('timesheets@demo.slivers.test', '/w');
  await go(w.page, () => w.page.click('nav a:has-text("Assessments")'), /\/w\/assessments$/, 'pool worker assessments');
  const item = w.page.locator('li', { hasText: 'Potluck and a cranky customer' });
  await go(w.page, () => item.locator('button:has-text("Start")').click(), /\/w\/assessment-attempts\/\d+$/, 'pool worker taking the business assessment');
  const attempt = Number(new URL(w.page.url()).pathname.split('/').pop());
  await w.page.fill('#a0', 'Soup: it feeds many and says I thought about the vegetarians.');
  await w.page.check('input[name="c1"][value="0"]');
  await w.page.click('button:has-text("Hand in")');
  await w.page.waitForSelector('.notice');
  assert.match(await w.page.textContent('#status'), /submitted/);

  // The business grades it on its own attempt page.
  await b.page.goto(`${server.base}/b/assessments`);
  await go(b.page, () => b.page.click(`a[href="/b/assessment-attempts/${attempt}"]`), new RegExp(`/b/assessment-attempts/${attempt}$`), 'business attempt to grade');
  await b.page.fill('#s0', '9');
  await b.page.fill('#questions_score', '3');
  await b.page.click('button:has-text("Grade")');
  await b.page.waitForSelector('#result');
  assert.match(await b.page.textContent('#result'), /passed at level [3-5]/);
  await axe(b.page, 'business graded');
  await w.page.goto(`${server.base}/w/assessments`);
  assert.match(await w.page.textContent('main'), /Potluck and a cranky customer, attempt 1.*passed at level [3-5]/);

  // The worker adds a portfolio item and sees it wait for review.
  await go(w.page, () => w.page.click('a:has-text("add it to your portfolio")'), /\/w\/portfolio$/, 'worker portfolio');
  await w.page.selectOption('#p-skill', skill);
  await w.page.check('input[name="category"][value="volunteer"]');
  await w.page.fill('#p-title', 'The food bank till');
  await w.page.fill('#p-url', 'https://example.org/food-bank-till');
  await w.page.click('button:has-text("Add to portfolio")');
  await w.page.waitForSelector('.notice');
  const row = w.page.locator('tr.portfolio-item', { hasText: 'food bank till' });
  assert.match(await row.locator('.review').textContent(), /waiting for review/);
  assert.match(await row.textContent(), /a volunteer project/);
  await axe(w.page, 'worker portfolio item added');

  // An operator reviews it from the queue linked on the assessments page.
  const op = await signIn(operator.email, '/op');
  await go(op.page, () => op.page.click('nav a:has-text("Assessments")'), /\/op\/assessments$/, 'operator assessments from the nav');
  await go(op.page, () => op.page.click('a:has-text("Portfolio items waiting for review")'), /\/op\/portfolio$/, 'operator portfolio queue');
  const pending = op.page.locator('li.portfolio-item', { hasText: 'food bank till' });
  await pending.locator('select[name="level"]').selectOption('3');
  await pending.locator('textarea[name="checked"]').fill('Opened the link and called the food bank coordinator.');
  await pending.locator('button:has-text("Record review")').click();
  await op.page.waitForSelector('.notice');
  assert.match(await op.page.textContent('.notice'), /Reviewed .*level 3/);
  assert.equal(await op.page.locator('li.portfolio-item', { hasText: 'food bank till' }).count(), 0, 'gone from the queue');
  await axe(op.page, 'operator reviewed a portfolio item');

  // The worker sees it reviewed, with what was checked.
  await w.page.goto(`${server.base}/w/portfolio`);
  assert.equal(await w.page.locator('tr.portfolio-item.reviewed', { hasText: 'food bank till' }).count(), 1);
  assert.match(await row.locator('.review').textContent(), /reviewed on .*: level 3.*called the food bank coordinator/s);
  await axe(w.page, 'worker portfolio reviewed');

  // The business sets the on-site-first rule on its settings page; a bad value is refused by name.
  await go(b.page, () => b.page.click('nav a:has-text("Settings")'), /\/b\/settings$/, 'business settings');
  await b.page.fill('#onsite_before_remote', 'three');
  await b.page.click('button:has-text("Save rule")');
  await b.page.waitForSelector('.alert');
  assert.match(await b.page.textContent('.alert'), /onsite_before_remote.*whole number/s);
  await axe(b.page, 'business settings refused');
  await b.page.fill('#onsite_before_remote', '3');
  await b.page.click('button:has-text("Save rule")');
  await b.page.waitForSelector('.notice');
  await b.page.goto(`${server.base}/b/settings`);
  assert.match(await b.page.textContent('#remote-rule'), /first 3 shift\(s\) with you are on site/);
  const biz = await api('GET', `/businesses/${business.business_id}`, business.token);
  assert.equal(biz.onsite_before_remote, 3);
  await axe(b.page, 'business settings saved');
  await Promise.all([b.ctx.close(), op.ctx.close(), w.ctx.close()]);
});
