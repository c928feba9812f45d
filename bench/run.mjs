#!/usr/bin/env node
// npm run bench: consult-kit side by side with SurveyJS and Form.io, and with itself as data grows.
// Prints one markdown table (with a header saying where it ran) and writes bench/results/latest.md
// (a run with --quick or --only writes bench/results/partial.md instead, which git ignores).
//
//   node bench/run.mjs                      every section, full sample counts
//   node bench/run.mjs --quick              fewer samples: a smoke test, not a result
//   node bench/run.mjs --only size,dom      some of: size, dom, growth, load, studio, outbox, ingest, topics, clock, teardown, export, reads, scale
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout, clearTimeout } from 'node:timers';
import { failedRows, renderTable } from './lib/table.mjs';
import { buildAll, versionOf } from './lib/build.mjs';
import { launchChromium } from './lib/browser.mjs';

const SECTIONS = ['size', 'dom', 'growth', 'load', 'studio', 'outbox', 'ingest', 'topics', 'clock', 'teardown', 'export', 'reads', 'scale'];
const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : SECTIONS;
const unknown = only.filter((s) => !SECTIONS.includes(s));
if (unknown.length) {
  console.error(`bench: unknown section(s) ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const quick = values.quick;
const samples = { dom: quick ? 3 : 11, growth: quick ? 2 : 7 };
const want = (s) => only.includes(s);
const log = (msg) => console.error(`bench: ${msg}`);

const rows = [];
let chromiumVersion = 'not started';
let browser;
let built;
const started = Date.now();

/** Runs one section; a throw, or no answer within `limitMs`, becomes rows that say so. */
async function section(name, labels, fn, limitMs = quick ? 5 * 60_000 : 20 * 60_000) {
  const t0 = Date.now();
  log(`${name}…`);
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${limitMs / 60_000} min`)), limitMs);
  });
  try {
    rows.push(...(await Promise.race([fn(), limit])));
  } catch (error) {
    log(`${name} failed: ${error?.stack ?? error}`);
    rows.push(...failedRows(name, labels, String(error?.message ?? error).split('\n')[0]));
  } finally {
    clearTimeout(timer);
  }
  log(`${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

try {
  if (want('size') || want('dom')) built = await buildAll();
  if (want('dom') || want('growth') || want('load') || want('studio')) {
    browser = await launchChromium();
    chromiumVersion = browser.version();
  }
  if (want('size')) await section('Size', ['JS + CSS, min+gzip, vs SurveyJS'], async () => (await import('./size.mjs')).run({ built }));
  if (want('size')) await section('Size by part', ['the embed by part, from its source map'], async () => (await import('./parts.mjs')).run());
  if (want('dom')) await section('Form in DOM', ['script start → 20 fields in DOM, vs SurveyJS'], async () => (await import('./dom.mjs')).run({ samples: samples.dom, built, browser }));
  if (want('growth')) await section('Growth', ['outcome tracker, workflow cold start, timeline'], async () => (await import('./growth.mjs')).run({ samples: samples.growth, browser }));
  if (want('load')) await section('Load', ['JS before the first view is interactive; throttled time vs SurveyJS; Lighthouse'], async () => (await import('./load.mjs')).run({ quick, browser, built }), quick ? 10 * 60_000 : 20 * 60_000);
  if (want('studio')) await section('Studio', ['the studio\'s download', 'edit → preview and diagram updated, 200 fields ÷ the largest example'], async () => (await import('./studio.mjs')).run({ quick, browser }));
} finally {
  await browser?.close();
}

// Outbox and server ingest live in bench/server.mjs (run(options) → Row[]).
if (want('outbox') || want('ingest')) {
  const serverModule = ['server.mjs', 'server.js'].map((f) => new URL(`./${f}`, import.meta.url)).find((u) => existsSync(fileURLToPath(u)));
  const sections = only.filter((s) => s === 'outbox' || s === 'ingest');
  const labels = [...(want('outbox') ? ['Outbox: 1,000 queued submissions ÷ a plain fetch loop'] : []), ...(want('ingest') ? ['Server ingest: events/s, p50/p99'] : [])];
  if (!serverModule) {
    rows.push(...failedRows('Outbox / Server ingest', labels, 'bench/server.mjs is missing'));
  } else {
    await section('Outbox / Server ingest', labels, async () => (await import(serverModule.href)).run({ quick, only: sections }));
  }
}

// Pull only what is shown (issue 15): the per-topic pull and the topic index, bench/topics.mjs.
if (want('topics')) {
  await section('Topics: pull only what is shown', ['per-topic pull 200,000 ÷ 10 topics; index page 200,000 ÷ 1,000 topics'], async () => (await import('./topics.mjs')).run({ quick }), quick ? 10 * 60_000 : 40 * 60_000);
}

// The server's clock (issue 17): pending jobs and one tick at 100 and 100,000 open measures, bench/clock.mjs.
if (want('clock')) {
  await section('Clock: jobs and ticks', ['one tick, 100,000 ÷ 100 open measures'], async () => (await import('./clock.mjs')).run({ quick }), quick ? 10 * 60_000 : 30 * 60_000);
}

// Stopping and rebuilding the programme actor (issue 18): 10,000 ÷ 100 topics, bench/teardown.mjs.
if (want('teardown')) {
  await section('Teardown', ['stop and rebuild the programme actor, 10,000 ÷ 100 topics'], async () => (await import('./teardown.mjs')).run({ quick }));
}

// Exports (issue 20): 100,000 measures as CSV and XLSX, time, bytes and memory, bench/export.mjs.
if (want('export')) {
  await section('Export', ['measures.csv: 100,000 measures', 'measures.xlsx: 100,000 measures'], async () => (await import('./export.mjs')).run({ quick }), quick ? 10 * 60_000 : 20 * 60_000);
}

// Reads that cannot be turned against the server (issue 21): figures, pulls and /healthz under reads, bench/reads.mjs.
if (want('reads')) {
  await section('Reads at scale', ['figures and a pull page 200,000 ÷ 1,000 topics; /healthz under 8 clients; pulls at 128 connections'], async () => (await import('./reads.mjs')).run({ quick }), quick ? 10 * 60_000 : 40 * 60_000);
}

// Scale-out (issue 21): PostgreSQL ingest with 1, 2 and 4 server processes across 8 programmes, bench/scale.mjs (needs the built server).
if (want('scale')) {
  await section('Scale-out', ['PostgreSQL ingest, 1, 2 and 4 processes × 8 programmes', 'server CPU per event (PostgreSQL)'], async () => (await import('./scale.mjs')).run({ quick }), quick ? 10 * 60_000 : 30 * 60_000);
}

const cpu = cpus();
const header = [
  '# consult-kit benchmarks',
  '',
  `- Date: ${new Date().toISOString()}${quick ? ' — **--quick run (few samples): a smoke test, not a result**' : ''}`,
  `- Machine: ${cpu[0]?.model?.trim() ?? 'unknown CPU'}, ${cpu.length} logical cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; shared and noisy, so compare ratios measured in the same run, never absolute times`,
  `- Node ${process.version}; Chromium ${chromiumVersion} (headless, Debian); esbuild ${versionOf('esbuild')}; playwright-core ${versionOf('playwright-core')}; lighthouse ${versionOf('lighthouse')}`,
  `- Anchors: survey-core + survey-js-ui ${versionOf('survey-core')}, @formio/js ${versionOf('@formio/js')}`,
  `- Samples: form in DOM ${want('dom') ? `${samples.dom} per library (fresh context each, interleaved, after 1 warm-up round)` : 'not run'}; growth ${want('growth') ? `${samples.growth} per size` : 'not run'}; load ${want('load') ? (quick ? '2 throttled loads per page, 1 Lighthouse run' : '5 throttled loads per page after 1 warm-up round, 3 Lighthouse runs') : 'not run'}; sections run: ${only.join(', ')}; took ${((Date.now() - started) / 1000).toFixed(0)} s`,
  '- How each row is measured, and what we tried where a goal is missed: bench/README.md',
  '',
].join('\n');
const output = `${header}\n${renderTable(rows)}\n`;
console.log(output);
// Only a full run replaces the committed results; a partial or quick one goes beside them.
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const resultsFile = `${resultsDir}${quick || only.length < SECTIONS.length ? 'partial.md' : 'latest.md'}`;
mkdirSync(resultsDir, { recursive: true });
writeFileSync(resultsFile, output);
log(`wrote ${pathToFileURL(resultsFile).pathname.replace(`${process.cwd()}/`, '')}`);
// A section that timed out may have left its server or browser running: do not wait for it.
process.exit(0);
