/**
 * The hand-kept declarations (packages/embed/consult-kit.d.ts) describe what the entry really
 * exports: a TypeScript host that imports a class the file lacks, or misses one it has, fails here
 * at `npm run typecheck` rather than in a city's build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as Declared from '../consult-kit.js';
import type * as Source from '../src/consult-kit.js';
import { TAGS, load, version } from '../src/consult-kit.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Checked by `npm run typecheck`: this line does not compile when the declared and the real
// exports differ by a name.
const _sameExports: Same<keyof typeof Declared, keyof typeof Source> = true;

test('the module entry exports load(), its tags and its version', () => {
  assert.equal(typeof load, 'function');
  assert.match(version, /^\d+\.\d+\.\d+$/);
});

test('the module entry knows every consult-* tag the elements package defines', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const src = fileURLToPath(new URL('../../elements/src/', import.meta.url));
  const defined = readdirSync(src, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(`${src}${d.name}`).filter((f) => /^consult-.*\.ts$/.test(f)).map((f) => readFileSync(`${src}${d.name}/${f}`, 'utf8')))
    .flatMap((text) => [...text.matchAll(/defineElement\('([a-z-]+)'/g)].map((m) => m[1]));
  assert.deepEqual([...TAGS].sort(), [...new Set(defined)].sort());
});

test('one tag at a time: each consult-*.js entry resolves through the elements package exports (docs/elements.md)', async () => {
  const { readdirSync, existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const src = fileURLToPath(new URL('../../elements/src/', import.meta.url));
  const entries = readdirSync(src, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(`${src}${d.name}`).filter((f) => /^consult-.*\.ts$/.test(f)).map((f) => `${d.name}/${f.replace(/\.ts$/, '.js')}`));
  assert.ok(entries.length >= 7, `found ${entries.join(', ')}`);
  for (const entry of entries) {
    const resolved = import.meta.resolve(`@consult-kit/elements/dist/${entry}`);
    assert.ok(existsSync(fileURLToPath(resolved)), `${entry} resolves to a built file`);
  }
});
