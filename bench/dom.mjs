// Form in DOM: from the first script on the page to every one of the 20 fields having a form
/* global window */
// control in the DOM, for consult-kit, SurveyJS and Form.io, in headless Chromium, a fresh
// browser context (empty cache) per sample, the three interleaved.
import { readFileSync } from 'node:fs';
import { atMost, median, ms, row } from './lib/table.mjs';
import { buildAll, LIBRARIES } from './lib/build.mjs';
import { isolatedContext, launchChromium, startServer } from './lib/browser.mjs';

const SECTION = 'Form in DOM';
const forms = {
  ours: JSON.parse(readFileSync(new URL('./forms/consult-kit.json', import.meta.url), 'utf8')),
  surveyjs: JSON.parse(readFileSync(new URL('./forms/surveyjs.json', import.meta.url), 'utf8')),
  formio: JSON.parse(readFileSync(new URL('./forms/formio.json', import.meta.url), 'utf8')),
};

/** The 20 field keys each page must show. */
export function expectedFields(id) {
  if (id === 'ours') return [...forms.ours.form.pages.flatMap((p) => p.fields.map((f) => f.name)), 'satisfaction'];
  if (id === 'surveyjs') return forms.surveyjs.pages.flatMap((p) => p.elements.map((e) => e.name));
  return forms.formio.components.filter((c) => c.type !== 'button').map((c) => c.key);
}

const probe = readFileSync(new URL('./lib/probe.js', import.meta.url), 'utf8');

function page(id, cssPaths) {
  const links = cssPaths.map((_, i) => `<link rel="stylesheet" href="/${id}-${i}.css">`).join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><link rel="icon" href="data:,">
<script>window.__benchLib=${JSON.stringify(id)};window.__benchFields=${JSON.stringify(expectedFields(id))};</script>
<script>${probe}</script>${links}<title>${id}</title></head>
<body><main id="app"></main><script type="module" src="/${id}.js"></script></body></html>`;
}

/** Serves the three pages; resolves to { origin, close }. */
export async function servePages(built) {
  const routes = {};
  for (const lib of LIBRARIES) {
    routes[`/${lib.id}.html`] = { body: page(lib.id, built[lib.id].css), type: 'text/html; charset=utf-8' };
    routes[`/${lib.id}.js`] = { file: built[lib.id].js };
    built[lib.id].css.forEach((file, i) => (routes[`/${lib.id}-${i}.css`] = { file }));
  }
  return startServer(routes);
}

async function sample(browser, origin, id) {
  const { context, blocked } = await isolatedContext(browser);
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/${id}.html`);
    const handle = await page.waitForFunction(() => window.__benchDone, undefined, { timeout: 30_000, polling: 50 }).catch(async () => {
      const seen = await page.evaluate(() => window.__benchSeen);
      throw new Error(`${id}: only ${seen} of 20 fields appeared in 30 s${errors.length ? ` (${errors[0]})` : ''}`);
    });
    return { ms: await handle.jsonValue(), blocked: [...blocked], errors };
  } finally {
    await context.close();
  }
}

/** @returns {Promise<import('./lib/table.mjs').Row[]>} */
export async function run({ samples = 11, built, browser } = {}) {
  built ??= await buildAll();
  const server = await servePages(built);
  const ownBrowser = !browser;
  browser ??= await launchChromium();
  const times = { ours: [], surveyjs: [], formio: [] };
  const blocked = { ours: new Set(), surveyjs: new Set(), formio: new Set() };
  const blockedCount = { ours: 0, surveyjs: 0, formio: 0 };
  try {
    // One warm-up round (not counted): Chromium's own first-start costs.
    for (const lib of LIBRARIES) await sample(browser, server.origin, lib.id);
    for (let i = 0; i < samples; i += 1) {
      // Interleaved, and the order rotates so no library always goes first.
      const order = LIBRARIES.map((_, k) => LIBRARIES[(i + k) % LIBRARIES.length]);
      for (const lib of order) {
        const s = await sample(browser, server.origin, lib.id);
        times[lib.id].push(s.ms);
        blockedCount[lib.id] += s.blocked.length;
        s.blocked.forEach((u) => blocked[lib.id].add(u));
      }
    }
  } finally {
    if (ownBrowser) await browser.close();
    await server.close();
  }
  const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const blockNote = (id) =>
    blockedCount[id] ? `${blockedCount[id] / samples} non-loopback request(s) per load blocked (${[...blocked[id]].map((u) => new URL(u).host + new URL(u).pathname).join(', ')})` : '';
  const spread = (id) => `min ${ms(Math.min(...times[id]))}, max ${ms(Math.max(...times[id]))}`;
  const vsSurvey = med.ours / med.surveyjs;
  const judged = atMost(vsSurvey, 1 / 10, '≤ 1/10');
  return [
    row({
      section: SECTION,
      measure: `script start → 20 fields in DOM, median of ${samples}, vs SurveyJS`,
      ours: ms(med.ours),
      anchor: `SurveyJS ${ms(med.surveyjs)}`,
      ratio: vsSurvey,
      goal: judged.goal,
      met: judged.met,
      note: [judged.miss, `ours ${spread('ours')}; SurveyJS ${spread('surveyjs')}`, blockNote('ours'), blockNote('surveyjs')].filter(Boolean).join('; '),
    }),
    row({
      section: SECTION,
      measure: `script start → 20 fields in DOM, median of ${samples}, vs Form.io`,
      ours: ms(med.ours),
      anchor: `Form.io ${ms(med.formio)}`,
      ratio: med.ours / med.formio,
      note: [`Form.io ${spread('formio')}`, blockNote('formio') || 'no non-loopback requests'].join('; '),
    }),
  ];
}
