// Growth: how our elements scale with the data a city accumulates, in headless Chromium with the
/* global window */
// code the embed ships. Each ratio is large ÷ small, measured in the same run, medians.
//   outcome tracker: 10,000 measures ÷ 100 (render time, DOM nodes, JS heap)
//   workflow cold start from IndexedDB: 1,000 topics ÷ 10
//   meeting timeline: 1,000 log entries ÷ 10 (render time ≤ 3×, DOM elements ≤ 2×: windowed records)
//   the convener's topic list in <consult-workflow>: 1,000 topics ÷ 10 (the same goals: windowed)
import { fileURLToPath } from 'node:url';
import { atMost, int, kib, median, ms, row } from './lib/table.mjs';
import { bundle, OUT } from './lib/build.mjs';
import { isolatedContext, launchChromium, startServer } from './lib/browser.mjs';

const SECTION = 'Growth';

async function buildGrowthPage() {
  const outfile = `${OUT}growth.js`;
  await bundle(fileURLToPath(new URL('./pages/growth.js', import.meta.url)), outfile);
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>window.__t0 = performance.now();</script><title>growth</title></head>
<body><script type="module" src="/growth.js"></script></body></html>`;
  return startServer({ '/growth.html': { body: html, type: 'text/html; charset=utf-8' }, '/growth.js': { file: outfile } });
}

async function heapUsed(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'JSHeapUsedSize').value;
}

/** One mount of an element in a fresh context: its time, DOM nodes and the heap it added. */
async function mountSample(browser, origin, prepare, mount, n) {
  const { context } = await isolatedContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/growth.html`);
    await page.waitForFunction((fn) => typeof window[fn] === 'function', prepare);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.evaluate(([fn, size]) => window[fn](size), [prepare, n]);
    const before = await heapUsed(cdp);
    const result = await page.evaluate((fn) => window[fn](), mount);
    const after = await heapUsed(cdp);
    return { ...result, heap: after - before };
  } finally {
    await context.close();
  }
}

async function mountRows(browser, origin, samples, { what, prepare, mount, small, large, goalTime, goalNodes, unit, how = 'updateComplete + a frame', timeNote = '' }) {
  const data = { [small]: [], [large]: [] };
  for (let i = 0; i < samples; i += 1) {
    for (const n of i % 2 ? [large, small] : [small, large]) data[n].push(await mountSample(browser, origin, prepare, mount, n));
  }
  const med = (n, key) => median(data[n].map((s) => s[key]));
  const ratio = (key) => med(large, key) / med(small, key);
  const out = [];
  const t = ratio('ms');
  const jt = goalTime ? atMost(t, goalTime, `≤ ${goalTime}×`) : { goal: '', met: null, miss: '' };
  out.push(row({
    section: SECTION,
    measure: `${what}: render (${how}) at ${int(large)} ÷ at ${int(small)} ${unit}`,
    ours: ms(med(large, 'ms')),
    anchor: `at ${int(small)}: ${ms(med(small, 'ms'))}`,
    ratio: t,
    goal: jt.goal,
    met: jt.met,
    note: [jt.miss, `median of ${samples} each, fresh context per sample`, timeNote].filter(Boolean).join('; '),
  }));
  const nodes = ratio('nodes');
  const jn = goalNodes ? atMost(nodes, goalNodes, `≤ ${goalNodes}×`) : { goal: '', met: null, miss: '' };
  const rowsNote = data[large][0]?.rows !== undefined ? `; rows in the DOM: ${data[small][0].rows} at ${int(small)}, ${data[large][0].rows} at ${int(large)}` : '';
  out.push(row({
    section: SECTION,
    measure: `${what}: DOM elements (shadow roots included) at ${int(large)} ÷ at ${int(small)}`,
    ours: int(med(large, 'nodes')),
    anchor: `at ${int(small)}: ${int(med(small, 'nodes'))}`,
    ratio: nodes,
    goal: jn.goal,
    met: jn.met,
    note: [jn.miss].filter(Boolean).join('; ') + rowsNote.replace(/^; /, jn.miss ? '; ' : ''),
  }));
  out.push(row({
    section: SECTION,
    measure: `${what}: JS heap the element adds at ${int(large)} ÷ at ${int(small)}`,
    ours: kib(med(large, 'heap')),
    anchor: `at ${int(small)}: ${kib(med(small, 'heap'))}`,
    ratio: ratio('heap'),
    note: 'reported, no goal; JSHeapUsedSize after a forced GC, after mounting minus before (the data itself is built before)',
  }));
  return out;
}

async function coldStartRows(browser, origin, samples, small, large) {
  const contexts = {};
  const prefill = {};
  const times = { [small]: [], [large]: [] };
  try {
    for (const n of [small, large]) {
      const { context, blocked } = await isolatedContext(browser);
      const page = await context.newPage();
      contexts[n] = { context, page, blocked };
      await page.goto(`${origin}/growth.html`);
      await page.waitForFunction(() => typeof window.benchPrefill === 'function');
      prefill[n] = await page.evaluate(([db, size]) => window.benchPrefill(db, size), [`bench-${n}`, n]);
      // One load not counted (the database's first open after the fill, Chromium's code caches).
      await page.goto(`${origin}/growth.html?workflow=bench-${n}&n=${n}`);
      await page.waitForFunction(() => window.__benchDone, undefined, { timeout: 120_000, polling: 50 });
    }
    for (let i = 0; i < samples; i += 1) {
      for (const n of i % 2 ? [large, small] : [small, large]) {
        const { page } = contexts[n];
        await page.goto(`${origin}/growth.html?workflow=bench-${n}&n=${n}`);
        const done = await page.waitForFunction(() => window.__benchDone, undefined, { timeout: 120_000, polling: 50 });
        times[n].push(await done.jsonValue());
      }
    }
  } finally {
    for (const c of Object.values(contexts)) await c.context.close();
  }
  const ratio = median(times[large]) / median(times[small]);
  const judged = atMost(ratio, 3, '≤ 3×');
  return [row({
    section: SECTION,
    measure: `<consult-workflow> cold start from IndexedDB (page start → topic list of every topic: aria-setsize = n, windowed above 20) at ${int(large)} ÷ at ${int(small)} topics`,
    ours: ms(median(times[large])),
    anchor: `at ${int(small)}: ${ms(median(times[small]))}`,
    ratio,
    goal: judged.goal,
    met: judged.met,
    note: [
      judged.miss,
      `median of ${samples} reloads each; ${int(prefill[large].entries)} log entries (submit + accept per topic) filled through openStore().append in ${ms(prefill[large].ms)} (${ms(prefill[large].ms / prefill[large].entries)} per append)`,
    ].filter(Boolean).join('; '),
  })];
}

/** @returns {Promise<import('./lib/table.mjs').Row[]>} */
export async function run({ samples = 7, browser } = {}) {
  const server = await buildGrowthPage();
  const ownBrowser = !browser;
  browser ??= await launchChromium();
  try {
    const rows = [];
    rows.push(...(await mountRows(browser, server.origin, samples, {
      what: '<consult-outcome-tracker>', prepare: 'benchPrepareTracker', mount: 'benchMountTracker', small: 100, large: 10_000, goalTime: 3, goalNodes: 2, unit: 'measures',
    })));
    rows.push(...(await coldStartRows(browser, server.origin, samples, 10, 1_000)));
    rows.push(...(await mountRows(browser, server.origin, samples, {
      what: '<consult-meeting-timeline>', prepare: 'benchPrepareTimeline', mount: 'benchMountTimeline', small: 10, large: 1_000, goalTime: 3, goalNodes: 2, unit: 'log entries',
    })));
    rows.push(...(await mountRows(browser, server.origin, samples, {
      what: '<consult-workflow> convener’s topic list (view shown again, store open)', prepare: 'benchPrepareTopicList', mount: 'benchMountTopicList', small: 10, large: 1_000, goalTime: 3, goalNodes: 2, unit: 'topics',
      how: 'updateComplete + layout',
      // A frame is 16.7 ms and the list takes about 1 ms to render: waiting for a frame would time the frame, not the list.
      timeNote: 'each sample the median of 5 showings, timed to updateComplete and a forced layout (the render is ~1 ms, far under a frame)',
    })));
    return rows;
  } finally {
    if (ownBrowser) await browser.close();
    await server.close();
  }
}
