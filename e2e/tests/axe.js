// axe-core on a page: fail on serious or critical violations.
'use strict';
const assert = require('node:assert/strict');
const AXE = require.resolve('axe-core');

const checked = [];

async function axe(page, label) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  checked.push({ label, url: page.url(), violations: result.length, serious: bad.length });
  assert.deepEqual(bad, [], `axe: serious or critical violations on ${label} (${page.url()})`);
}

module.exports = { axe, checked };
