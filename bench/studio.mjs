/* global window */
// Section "studio" of `npm run bench` (issue 19): what the studio downloads (reported; a resident
// never loads any of it), and the time from an edit to the frame where both the live preview and
// the lifecycle diagram show it, at the largest example config and at a generated 200-field config.
//
//   node bench/studio.mjs [--quick]      prints its rows as a markdown table
//   import { run } from './studio.mjs'   → rows for bench/run.mjs (section "studio")
//
// One sample = a fresh browser context, the two panes mounted on one document, 3 warm-up edits,
// then `edits` edits of a field's label (what the preview's form shows) and of the meeting step's
// label (what the diagram and the stepper show), each timed from `doc.set` (which runs the checker)
// to the frame after both panes show the new text. Medians over every edit of every sample. The
// figure is the ratio, 200 fields ÷ the example (goal ≤ 3×); the note gives each time in 60 Hz
// frames (16.7 ms).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { atMost, kib, median, ms, renderTable, row } from './lib/table.mjs';
import { bundle, OUT } from './lib/build.mjs';
import { isolatedContext, launchChromium, startServer } from './lib/browser.mjs';
import { generatedConfig } from './lib/studio-config.mjs';

const SECTION = 'Studio';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const APP = join(ROOT, 'packages/studio/dist/app');
const FRAME = 1000 / 60;

/** The studio app's files (entry and chunks), gzip level 9 each. */
function appBytes() {
  const files = [join(APP, 'consult-studio.js'), ...readdirSync(join(APP, 'chunks')).filter((f) => f.endsWith('.js')).map((f) => join(APP, 'chunks', f))];
  const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
  const entry = readFileSync(files[0], 'utf8');
  // What opening the studio fetches before any pane: the entry and the chunks it imports statically.
  const staticChunks = new Set();
  const visit = (code) => {
    for (const [, name] of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w${},*\s]+from\s*)?["']\.\/(?:chunks\/)?([\w.-]+\.js)["']/g)) {
      if (staticChunks.has(name)) continue;
      staticChunks.add(name);
      visit(readFileSync(join(APP, 'chunks', name), 'utf8'));
    }
  };
  visit(entry);
  return {
    all: files.reduce((n, f) => n + gz(f), 0),
    count: files.length,
    first: gz(files[0]) + [...staticChunks].reduce((n, f) => n + gz(join(APP, 'chunks', f)), 0),
    firstCount: 1 + staticChunks.size,
  };
}

async function buildPage() {
  const outfile = `${OUT}studio.js`;
  await bundle(fileURLToPath(new URL('./pages/studio.js', import.meta.url)), outfile, { loader: { '.json': 'json' } });
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>studio</title>
<style>body{margin:0;display:grid;grid-template-columns:1fr 1fr;gap:8px}</style></head>
<body><script type="module" src="/studio.js"></script></body></html>`;
  return startServer({ '/studio.html': { body: html, type: 'text/html; charset=utf-8' }, '/studio.js': { file: outfile } });
}

async function sample(browser, origin, config, edits) {
  const { context } = await isolatedContext(browser, { viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/studio.html`);
    await page.waitForFunction(() => typeof window.benchStudioMount === 'function');
    const { fields } = await page.evaluate((c) => window.benchStudioMount(c), config);
    const out = { fields, field: [], step: [], check: [] };
    for (let i = 0; i < 3 + edits; i += 1) {
      for (const kind of ['field', 'step']) {
        const r = await page.evaluate(([k, n]) => window.benchStudioEdit(k, n), [kind, i]);
        if (i >= 3) {
          out[kind].push(r.ms);
          out.check.push(r.check);
        }
      }
    }
    return out;
  } finally {
    await context.close();
  }
}

export async function run({ quick = false, browser: shared } = {}) {
  const rows = [];
  const bytes = appBytes();
  rows.push(row({
    section: SECTION,
    measure: 'The studio\'s download: entry and every chunk, min+gzip (not part of any resident\'s download)',
    ours: kib(bytes.all),
    anchor: `${bytes.count} files; opening it: ${kib(bytes.first)} in ${bytes.firstCount} file${bytes.firstCount === 1 ? "" : "s"}, the rest loads with the pane that needs it`,
    note: 'reported, no goal; the embed never imports the studio (packages/embed/test/first-view.test.ts holds the resident\'s 40 KiB)',
  }));

  const example = JSON.parse(readFileSync(join(ROOT, 'examples/configs/wuxi-community.json'), 'utf8'));
  const big = generatedConfig(200);
  const samples = quick ? 2 : 5;
  const edits = quick ? 5 : 15;
  const browser = shared ?? (await launchChromium());
  const server = await buildPage();
  try {
    const data = { example: { field: [], step: [], check: [] }, big: { field: [], step: [], check: [] } };
    let fields = {};
    for (let i = 0; i < samples; i += 1) {
      for (const key of i % 2 ? ['big', 'example'] : ['example', 'big']) {
        const s = await sample(browser, server.origin, key === 'big' ? big : example, edits);
        fields[key] = s.fields;
        for (const k of ['field', 'step', 'check']) data[key][k].push(...s[k]);
      }
    }
    for (const [kind, what] of [['field', 'a field\'s label (the preview\'s form)'], ['step', 'the meeting step\'s label (diagram and stepper)']]) {
      const small = median(data.example[kind]);
      const large = median(data.big[kind]);
      const growth = atMost(large / small, 3, '≤ 3×');
      rows.push(row({
        section: SECTION,
        measure: `Edit of ${what} → preview and diagram updated, at ${fields.big} fields ÷ the largest example (${fields.example} fields)`,
        ours: ms(large),
        anchor: `example: ${ms(small)}`,
        ratio: large / small,
        goal: growth.goal,
        met: growth.met,
        note: [growth.miss, `${(large / FRAME).toFixed(1)} frames of 60 Hz at ${fields.big} fields, ${(small / FRAME).toFixed(1)} at the example (the time ends at the frame that paints both panes, so one frame is the floor); median of ${samples * edits} edits each; doc.set itself (the checker and the change event): ${ms(median(data.example.check))} at the example, ${ms(median(data.big.check))} at ${fields.big} fields`].filter(Boolean).join('; '),
      }));
    }
  } finally {
    await server.close();
    if (!shared) await browser.close();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(renderTable(await run({ quick: process.argv.includes('--quick') })));
}
