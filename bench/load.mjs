// Load (issue 18, points 3 and 4): what a first view costs where residents are.
/* global window */
//   1. Bytes on the wire before the first view is interactive: the reference server started as
//      `npm start` starts it, each page in a fresh Chromium context, the network log of the DevTools
//      protocol: the resident's page (goal ≤ 40 KiB of JS before the intake form is interactive;
//      anchor: SurveyJS's JS for the same form, min+gzip), the staff first view, the outcomes board.
//   2. Time from navigation to an interactive form with the CPU throttled 4× and a slow network
//      (150 ms, 1.6 Mbit/s down, 750 kbit/s up), our form page, SurveyJS's and Form.io's (the same
//      20-field form, one server compressing all three alike), interleaved, fresh context each;
//      the resident page of the reference server beside them (reported).
//   3. Lighthouse 12.2.3 (mobile, simulated throttling): performance score and total blocking time.
// run({ quick, browser, built }) → Row[]; see bench/README.md, section 8.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { atMost, failedRows, int, kib, median, ms, row } from './lib/table.mjs';
import { buildAll, bundle, LIBRARIES, OUT } from './lib/build.mjs';
import { isolatedContext, launchChromium } from './lib/browser.mjs';
import { startCompressedServer } from './lib/compressed-server.mjs';
import { snapshotEmbed, startReferenceServer } from './lib/reference-server.mjs';
import { jsOf, recordNetwork, SLOW_NETWORK, throttle } from './lib/network-log.mjs';
import { lighthouseRun, lighthouseVersion } from './lib/lighthouse.mjs';

const SECTION = 'Load';
const GOAL_BYTES = 40 * 1024;
const CPU_RATE = 4;
const NAMES = { ours: 'our form page', surveyjs: 'SurveyJS', formio: 'Form.io', portal: 'resident page' };

const probe = readFileSync(new URL('./lib/interactive.js', import.meta.url), 'utf8');
const demoTokens = JSON.parse(readFileSync(new URL('../examples/portal/demo-tokens.json', import.meta.url), 'utf8'));
/** The demo convener's token (role convener only), as staff.html prints it. */
const CONVENER_TOKEN = Object.entries(demoTokens).find(([, who]) => who.role === 'convener')?.[0];

/** A form page: the library's CSS, an #app and its page script(s). */
function formPage(id, cssCount, scripts) {
  const links = Array.from({ length: cssCount }, (_, i) => `<link rel="stylesheet" href="/${id}-${i}.css">`).join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
${links}<title>${NAMES[id]}: the 20-field intake form</title></head>
<body><h1>议题征集</h1><main id="app"></main>${scripts.map((src) => `<script type="module" src="${src}"></script>`).join('')}</body></html>`;
}

/** Every .js file under `dir`, as routes under `prefix`. */
function jsRoutes(dir, prefix) {
  const routes = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    routes[`${prefix}${relative(dir, file).split('\\').join('/')}`] = { file };
  }
  return routes;
}

/**
 * The three form pages on one loopback server that compresses (br, gzip): SurveyJS's and Form.io's
 * page scripts as the size and DOM rows bundle them; ours, the embed as shipped
 * (packages/embed/dist at /assets/, its chunks too) and pages/load-form.js, which sets the same form.
 */
async function serveFormPages(built, embedDir) {
  const routes = {};
  for (const lib of LIBRARIES.filter((l) => l.id !== 'ours')) {
    routes[`/${lib.id}.html`] = { body: formPage(lib.id, built[lib.id].css.length, [`/${lib.id}.js`]), type: 'text/html; charset=utf-8' };
    routes[`/${lib.id}.js`] = { file: built[lib.id].js };
    built[lib.id].css.forEach((file, i) => (routes[`/${lib.id}-${i}.css`] = { file }));
  }
  const formScript = `${OUT}load-form.js`;
  await bundle(fileURLToPath(new URL('./pages/load-form.js', import.meta.url)), formScript);
  Object.assign(routes, jsRoutes(embedDir, '/assets/'));
  routes['/ours.html'] = { body: formPage('ours', 0, ['/assets/consult-kit.min.js', '/ours-form.js']), type: 'text/html; charset=utf-8' };
  routes['/ours-form.js'] = { file: formScript };
  return startCompressedServer(routes);
}

/** Signs in on the staff page with the demo convener token, as a person would type it. */
async function signInAsConvener(page) {
  if (!CONVENER_TOKEN) throw new Error('examples/portal/demo-tokens.json has no token with role "convener"');
  const field = page.locator('consult-sign-in input').first();
  await field.fill(CONVENER_TOKEN, { timeout: 60_000 });
  await field.press('Enter');
}

/**
 * One load of `url` in a fresh context: the moment its first view is interactive (`mode`, see
 * lib/interactive.js; ms since navigation start), the JS sent before it and after the page settled.
 */
async function load(browser, url, mode, { throttled = false, before } = {}) {
  const { context, blocked } = await isolatedContext(browser, { locale: 'zh-CN', extraHTTPHeaders: { 'Accept-Encoding': 'br, gzip' } });
  try {
    await context.addInitScript({ content: `window.__loadMode = ${JSON.stringify(mode)};\n${probe}` });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp = await context.newCDPSession(page);
    const log = await recordNetwork(cdp);
    if (throttled) await throttle(cdp, { rate: CPU_RATE, network: SLOW_NETWORK });
    const timeout = throttled ? 120_000 : 60_000;
    await page.goto(url, { waitUntil: 'commit', timeout });
    if (before) await before(page);
    const handle = await page.waitForFunction(() => window.__loadInteractive, undefined, { timeout, polling: 250 }).catch(() => {
      const bad = [...log.requests.values()].filter((r) => r.url && (r.failed || r.status >= 400));
      const why = [errors[0], bad.length ? `${bad.length} request(s) failed, e.g. ${new URL(bad[0].url).pathname} (${bad[0].failed ?? bad[0].status})` : ''].filter(Boolean).join('; ');
      throw new Error(`${new URL(url).pathname}: the first view (${mode}) was not interactive within ${timeout / 1000} s${why ? ` (${why})` : ''}`);
    });
    const interactive = await handle.jsonValue();
    await log.settle({ quietMs: throttled ? 2000 : 1000, maxMs: timeout });
    const documentRequest = [...log.requests.values()].find((r) => r.type === 'Document');
    return {
      ms: interactive.at,
      before: jsOf(log.requests, interactive.wall),
      all: jsOf(log.requests),
      documentEncoding: documentRequest?.encoding,
      blocked: [...blocked],
      errors,
    };
  } finally {
    await context.close();
  }
}

const list = (items) => items.join(', ') || 'none';
/** The JS of a load asked for after its first view was interactive. */
const after = (s) => {
  const before = new Set(s.before.files.map((f) => f.path));
  return { files: s.all.files.filter((f) => !before.has(f.path)) };
};
/** The JS files of `js` with their bytes, the `limit` largest first when given (and how many more). */
function files(js, limit = Infinity) {
  const shown = Number.isFinite(limit) ? [...js.files].sort((a, b) => b.bytes - a.bytes).slice(0, limit) : js.files;
  const more = js.files.length - shown.length;
  const name = (path) => path.replace(/^\/assets\/chunks\//, 'chunks/');
  return `${shown.map((f) => `${name(f.path)} ${kib(f.bytes)}${f.failed ? ` (${f.failed})` : ''}`).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}
const headers = (js) => `of which status lines and headers ${kib(js.headerBytes)} (HTTP/1.1, ${int(js.headerBytes / Math.max(1, js.count))} B a response)`;

/** Runs one part; a throw becomes rows saying so, so the other parts still report. */
async function part(labels, fn) {
  try {
    return await fn();
  } catch (error) {
    console.error(`bench: load: ${labels[0]}… failed: ${error?.stack ?? error}`);
    return failedRows(SECTION, labels, String(error?.message ?? error).split('\n')[0]);
  }
}

/**
 * `fn()`, and once more if it throws (what threw is pushed to `retried`, for the note): a sample
 * can fail on a shared machine (the working tree's dist/ rebuilt under a load); twice is a failure.
 */
async function once(what, fn, retried) {
  try {
    return await fn();
  } catch (error) {
    const why = String(error?.message ?? error).split('\n')[0];
    console.error(`bench: load: ${what} failed, trying once more: ${why}`);
    retried.push(`${what}: ${why}`);
    return fn();
  }
}

// ── 1. Bytes on the wire ──────────────────────────────────────────────────────────────────────

async function wireRows(browser, ref, forms, built) {
  const surveyGz = gzipSync(readFileSync(built.surveyjs.js), { level: 9 }).length;
  const retried = [];
  const resident = await once('the resident page', () => load(browser, `${ref.origin}/`, 'portal-form'), retried);
  const staff = await once('the staff page', () => load(browser, `${ref.origin}/staff.html`, 'staff', { before: signInAsConvener }), retried);
  const board = await once('the outcomes board', () => load(browser, `${ref.origin}/results.html`, 'board'), retried);
  const anchors = {
    surveyjs: await once('SurveyJS', () => load(browser, `${forms.origin}/surveyjs.html`, 'first-input'), retried),
    formio: await once('Form.io', () => load(browser, `${forms.origin}/formio.html`, 'first-input'), retried),
  };
  const wire = (s) => `Content-Encoding of the JS: ${list(s.before.encodings)} (Accept-Encoding sent: ${list(s.before.acceptEncodings)})`;
  const judged = atMost(resident.before.bytes, GOAL_BYTES, '≤ 40 KiB');
  const otherView = (what, s) =>
    row({
      section: SECTION,
      measure: `${what}: JS on the wire before it is interactive, fresh context`,
      ours: kib(s.before.bytes),
      anchor: '',
      note: [
        `${s.before.count} JS request(s) before it, the largest: ${files(s.before, 6)}; ${headers(s.before)}`,
        `${s.all.count} JS request(s), ${kib(s.all.bytes)} once the page settled`,
        wire(s),
        `interactive at ${ms(s.ms)} unthrottled`,
        ...s.errors.map((e) => `page error: ${e}`),
      ].join('; '),
    });
  return [
    row({
      section: SECTION,
      measure: 'resident page (/, zh-CN): JS on the wire before the intake form is interactive, fresh context, vs SurveyJS',
      ours: kib(resident.before.bytes),
      anchor: `SurveyJS ${kib(surveyGz)} min+gzip`,
      ratio: resident.before.bytes / surveyGz,
      goal: judged.goal,
      met: judged.met,
      note: [
        judged.miss,
        `${resident.before.count} JS request(s): ${files(resident.before)}`,
        `encoded bytes as Network.loadingFinished counts them, ${headers(resident.before)}`,
        wire(resident),
        `the reference server as npm start runs it (${ref.args.slice(2).join(' ')}); interactive at ${ms(resident.ms)} unthrottled`,
        `SurveyJS's page served with Brotli (q 11) by the bench: ${kib(anchors.surveyjs.before.bytes)} of JS before its first input is enabled; Form.io's ${kib(anchors.formio.before.bytes)}`,
        ...resident.errors.map((e) => `page error: ${e}`),
        ...retried.map((r) => `a load tried again: ${r}`),
      ]
        .filter(Boolean)
        .join('; '),
    }),
    row({
      section: SECTION,
      measure: 'resident page (/): JS requests, and all JS once the page settled (no request for 1 s)',
      ours: `${kib(resident.all.bytes)} in ${resident.all.count} requests`,
      anchor: '',
      note: `${resident.before.count} JS request(s) before the form was interactive; asked for after it: ${files(after(resident)) || 'none'}; the document: ${resident.documentEncoding ?? 'n/a'}`,
    }),
    otherView('staff first view (/staff.html, the demo convener signed in with its token; the topic list shown)', staff),
    otherView('outcomes board (/results.html; the board\'s first page shown)', board),
  ];
}

// ── 2. Time on a slow phone ───────────────────────────────────────────────────────────────────

async function throttledRows(browser, ref, forms, samples, quick) {
  const pages = [
    { id: 'ours', url: `${forms.origin}/ours.html`, mode: 'topic-form' },
    { id: 'surveyjs', url: `${forms.origin}/surveyjs.html`, mode: 'first-input' },
    { id: 'formio', url: `${forms.origin}/formio.html`, mode: 'first-input' },
    { id: 'portal', url: `${ref.origin}/`, mode: 'portal-form' },
  ];
  const data = Object.fromEntries(pages.map((p) => [p.id, []]));
  const retried = [];
  const sample = (p) => once(NAMES[p.id], () => load(browser, p.url, p.mode, { throttled: true }), retried);
  // One uncounted round first (not with --quick): Chromium's and the server's first-start costs.
  if (!quick) for (const p of pages) await sample(p);
  for (let i = 0; i < samples; i += 1) {
    // Interleaved, and the order rotates so no page always goes first.
    for (let k = 0; k < pages.length; k += 1) {
      const p = pages[(i + k) % pages.length];
      data[p.id].push(await sample(p));
    }
  }
  const med = Object.fromEntries(pages.map((p) => [p.id, median(data[p.id].map((s) => s.ms))]));
  const spread = (id) => `${NAMES[id]} min ${ms(Math.min(...data[id].map((s) => s.ms)))}, max ${ms(Math.max(...data[id].map((s) => s.ms)))}`;
  const bytes = (id) => `${NAMES[id]} ${kib(median(data[id].map((s) => s.before.bytes)))} of JS (${list(data[id][0].before.encodings)}) before it`;
  const blockedNote = (id) => {
    const urls = new Set(data[id].flatMap((s) => s.blocked.map((u) => new URL(u).host)));
    return urls.size ? `${NAMES[id]}: non-loopback requests blocked (${[...urls].join(', ')})` : '';
  };
  const conditions = `CPU ${CPU_RATE}× + ${SLOW_NETWORK.latency} ms, 1.6 Mbit/s down, 750 kbit/s up`;
  const judged = atMost(med.ours / med.surveyjs, 1 / 5, '≤ 1/5');
  return [
    row({
      section: SECTION,
      measure: `navigation → first field interactive, ${conditions}, median of ${samples}, our form page vs SurveyJS`,
      ours: ms(med.ours),
      anchor: `SurveyJS ${ms(med.surveyjs)}`,
      ratio: med.ours / med.surveyjs,
      goal: judged.goal,
      met: judged.met,
      note: [
        judged.miss,
        'our form page = the embed as shipped (packages/embed/dist) + bench/pages/load-form.js setting the 20-field config, no API; all three pages served alike, Brotli, by the bench',
        bytes('ours'),
        bytes('surveyjs'),
        spread('ours'),
        spread('surveyjs'),
        blockedNote('surveyjs'),
        ...retried.map((r) => `a load tried again: ${r}`),
      ]
        .filter(Boolean)
        .join('; '),
    }),
    row({
      section: SECTION,
      measure: `navigation → first field interactive, ${conditions}, median of ${samples}, our form page vs Form.io`,
      ours: ms(med.ours),
      anchor: `Form.io ${ms(med.formio)}`,
      ratio: med.ours / med.formio,
      note: [bytes('formio'), spread('formio'), blockedNote('formio')].filter(Boolean).join('; '),
    }),
    row({
      section: SECTION,
      measure: `navigation → intake form interactive, ${conditions}, median of ${samples}, the resident page (reference server) vs SurveyJS`,
      ours: ms(med.portal),
      anchor: `SurveyJS ${ms(med.surveyjs)}`,
      ratio: med.portal / med.surveyjs,
      note: [
        'reported: the portal page with its CSS and portal.js, the embed from /assets/ and the config from the API, as the reference server serves them',
        bytes('portal'),
        `the document: ${data.portal[0].documentEncoding ?? 'n/a'}`,
        spread('portal'),
        blockedNote('portal'),
      ]
        .filter(Boolean)
        .join('; '),
    }),
  ];
}

// ── 3. Lighthouse ─────────────────────────────────────────────────────────────────────────────

async function lighthouseRows(ref, forms, runs) {
  const pages = [
    { id: 'portal', url: `${ref.origin}/` },
    { id: 'surveyjs', url: `${forms.origin}/surveyjs.html` },
    { id: 'formio', url: `${forms.origin}/formio.html` },
    { id: 'ours', url: `${forms.origin}/ours.html` },
  ];
  const data = Object.fromEntries(pages.map((p) => [p.id, []]));
  let settings;
  const retried = [];
  for (let i = 0; i < runs; i += 1) {
    for (const p of pages) {
      const result = await once(`Lighthouse on ${NAMES[p.id]}`, () => lighthouseRun(p.url), retried);
      settings ??= result.settings;
      data[p.id].push(result);
    }
  }
  const med = (id, key) => median(data[id].map((r) => r[key]));
  const score = (id) => int(med(id, 'score'));
  const how = `Lighthouse ${settings?.version ?? lighthouseVersion()}, ${settings?.formFactor ?? 'mobile'}, ${settings?.method ?? 'simulate'}d throttling`;
  const detail = (id) =>
    `${NAMES[id]}: score ${score(id)}, FCP ${ms(med(id, 'fcp'))}, LCP ${ms(med(id, 'lcp'))}, SI ${ms(med(id, 'si'))}, TBT ${ms(med(id, 'tbt'))}, CLS ${med(id, 'cls').toFixed(3)}`;
  const warnings = [...new Set(pages.flatMap((p) => data[p.id].flatMap((r) => r.warnings)))];
  const common = [`median of ${runs}`, detail('ours'), ...warnings.map((w) => `warning: ${w}`), ...retried.map((r) => `a run tried again: ${r}`)];
  const versus = (anchor) => [
    row({
      section: SECTION,
      measure: `${how}: performance score, resident page (/) vs ${NAMES[anchor]}'s form page`,
      ours: score('portal'),
      anchor: `${NAMES[anchor]} ${score(anchor)}`,
      ratio: med('portal', 'score') / med(anchor, 'score'),
      note: [detail('portal'), detail(anchor), ...common].join('; '),
    }),
    row({
      section: SECTION,
      measure: `${how}: total blocking time, resident page (/) vs ${NAMES[anchor]}'s form page`,
      ours: ms(med('portal', 'tbt')),
      anchor: `${NAMES[anchor]} ${ms(med(anchor, 'tbt'))}`,
      ratio: med('portal', 'tbt') / med(anchor, 'tbt'),
      note: common.slice(0, 2).join('; '),
    }),
  ];
  return [...versus('surveyjs'), ...versus('formio')];
}

/** @returns {Promise<import('./lib/table.mjs').Row[]>} */
export async function run({ quick = false, browser, built } = {}) {
  const samples = quick ? 2 : 5;
  const runs = quick ? 1 : 3;
  built ??= await buildAll();
  const ownBrowser = !browser;
  browser ??= await launchChromium();
  let embed;
  let ref;
  let forms;
  try {
    // One build for the whole section, both servers: the shared tree may rebuild dist/ meanwhile.
    embed = await snapshotEmbed();
    ref = await startReferenceServer({ assets: embed.dir });
    forms = await serveFormPages(built, embed.dir);
    return [
      ...(await part(['resident page: JS before the intake form is interactive', 'resident page: JS once settled', 'staff first view: JS before it is interactive', 'outcomes board: JS before it is interactive'], () => wireRows(browser, ref, forms, built))),
      ...(await part(['throttled: our form page vs SurveyJS', 'throttled: our form page vs Form.io', 'throttled: the resident page vs SurveyJS'], () => throttledRows(browser, ref, forms, samples, quick))),
      ...(await part(['Lighthouse: score vs SurveyJS', 'Lighthouse: TBT vs SurveyJS', 'Lighthouse: score vs Form.io', 'Lighthouse: TBT vs Form.io'], () => lighthouseRows(ref, forms, runs))),
    ];
  } finally {
    await forms?.close();
    await ref?.close();
    embed?.close();
    if (ownBrowser) await browser.close();
  }
}
