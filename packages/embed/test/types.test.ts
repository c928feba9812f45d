/**
 * The hand-kept declarations (packages/embed/consult-kit.d.ts) describe what the entry really
 * exports: a TypeScript host that imports a class the file lacks, or misses one it has, fails here
 * at `npm run typecheck` rather than in a city's build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

/** The one-tag entry files of the elements package, `dir/consult-x.ts`, with their text. */
function elementEntries(): { path: string; text: string }[] {
  const src = fileURLToPath(new URL('../../elements/src/', import.meta.url));
  return readdirSync(src, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(`${src}${d.name}`).filter((f) => /^consult-.*\.ts$/.test(f)).map((f) => `${d.name}/${f}`))
    .map((path) => ({ path, text: readFileSync(`${src}${path}`, 'utf8') }));
}

test('the module entry knows every consult-* tag the elements package defines', () => {
  const defined = elementEntries().flatMap(({ text }) => [...text.matchAll(/defineElement\('([a-z-]+)'/g)].map((m) => m[1]));
  assert.deepEqual([...TAGS].sort(), [...new Set(defined)].sort());
});

test('one tag at a time: each consult-*.js entry resolves through the elements package exports (docs/elements.md)', () => {
  const entries = elementEntries().map(({ path }) => path.replace(/\.ts$/, '.js'));
  assert.ok(entries.length >= 7, `found ${entries.join(', ')}`);
  for (const entry of entries) {
    const resolved = import.meta.resolve(`@consult-kit/elements/dist/${entry}`);
    assert.ok(existsSync(fileURLToPath(resolved)), `${entry} resolves to a built file`);
  }
});
