#!/usr/bin/env node
// The story tests: every story in stories/ rendered in Debian's Chromium, its play function run,
// then axe (WCAG 2.2 AA tags) — any error or violation fails it (vitest.config.ts,
// @storybook/addon-vitest). Prints Vitest's report, then one summary line; exits non-zero on any
// failure, on a skipped story, or when no story ran.
//
//   npm run test:stories                 all stories
//   npm run test:stories -- stories/star-rating.stories.ts    one file (any Vitest argument)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium } from './ensure-chromium.mjs';

if (!findChromium()) {
  console.error('test:stories: no Chromium found; run `node scripts/ensure-chromium.mjs` (it installs Debian\'s chromium as root).');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'consult-stories-'));
const report = join(dir, 'report.json');
const started = Date.now();
const run = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1', NO_COLOR: process.env.NO_COLOR ?? '' } },
);
const seconds = ((Date.now() - started) / 1000).toFixed(1);

let results;
try {
  results = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  results = undefined;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (!results) {
  console.error(`\ntest:stories: FAILED — Vitest ended (exit ${run.status ?? run.signal}) without a report, in ${seconds} s`);
  process.exit(1);
}

const { numTotalTests: total, numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped, numTodoTests: todo = 0 } = results;
const files = new Set((results.testResults ?? []).filter((f) => f.assertionResults?.length).map((f) => f.name)).size;
const ok = run.status === 0 && failed === 0 && skipped === 0 && todo === 0 && total > 0;
const line = `${passed} passed, ${failed} failed, ${skipped + todo} skipped of ${total} story tests from ${files} story files (axe WCAG 2.2 AA on each) in ${seconds} s`;
console.log(`\ntest:stories: ${ok ? 'OK' : 'FAILED'} — ${line}`);
if (!ok && run.status === 0) console.error('test:stories: a story was skipped or none ran; every story must run.');
process.exit(ok ? 0 : 1);
