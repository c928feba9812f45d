#!/usr/bin/env node
// Runs the browser tests (web-test-runner.config.js) in real Chromium: `npm run test:browser`.
//
// - No browser test file yet → says so and exits 0 (wtr itself fails on "no test files").
// - Otherwise makes sure Chromium is there (scripts/ensure-chromium.mjs), runs `wtr` with any
//   arguments given here, and ends with one plain `browser: N passed, N failed` line.
//   wtr's own exit code is the result.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The browser test globs; web-test-runner.config.js uses these too. */
export const browserTestFiles = ['packages/*/test/**/*.browser.test.ts', 'packages/elements/src/**/*.test.ts'];

// Glob to RegExp: `*` stays within one path segment, `**/` spans any number of them.
function globToRegExp(glob) {
  const source = glob
    .split(/(\*\*\/|\*)/)
    .map((part) => (part === '**/' ? '(?:[^/]+/)*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(relative(root, path).split('\\').join('/'));
  }
  return out;
}

/** Files (relative to the repo root) that the browser test globs match. */
export function findBrowserTests() {
  const patterns = browserTestFiles.map(globToRegExp);
  return walk(join(root, 'packages')).filter((file) => patterns.some((re) => re.test(file)));
}

function main() {
  const files = findBrowserTests();
  if (files.length === 0) {
    console.log(`test:browser: no browser test files match ${browserTestFiles.join(' or ')}; skipping.`);
    return 0;
  }

  const ensure = spawnSync(process.execPath, [join(root, 'scripts/ensure-chromium.mjs')], { stdio: 'inherit' });
  if (ensure.status !== 0) return ensure.status ?? 1;

  const wtr = join(root, 'node_modules/@web/test-runner/dist/bin.js');
  const child = spawn(process.execPath, [wtr, ...process.argv.slice(2)], { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] });
  let tail = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    tail = (tail + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      // wtr's progress lines read "Chromium: |███| 1/1 test files | 3 passed, 0 failed"; the last one counts.
      // eslint-disable-next-line no-control-regex
      const plain = tail.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
      const counts = [...plain.matchAll(/(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/g)].pop();
      if (counts) {
        const [, passed, failed, skipped] = counts;
        console.log(`browser: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
      }
      if (code !== 0) {
        console.error(`test:browser: wtr ${signal ? `was killed (${signal})` : `exited with code ${code}`}; see above.`);
      }
      resolve(code ?? 1);
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main();
}
