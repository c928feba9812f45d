#!/usr/bin/env node
// Runs every Node test (packages/*/test/**/*.test.ts, not *.browser.test.ts, which run in Chromium
// through wtr) with node:test, TypeScript through tsx.
// Node 20's --test does not expand globs, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts') && !name.endsWith('.browser.test.ts')) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
const files = readdirSync('packages')
  .flatMap((pkg) => {
    try {
      return walk(join('packages', pkg, 'test'));
    } catch {
      return [];
    }
  })
  .filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)))
  .sort();

if (files.length === 0) {
  console.error('No Node test files found.');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
