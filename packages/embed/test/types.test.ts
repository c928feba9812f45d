/**
 * The hand-kept declarations (packages/embed/consult-kit.d.ts) describe what the entry really
 * exports: a TypeScript host that imports a class the file lacks, or misses one it has, fails here
 * at `npm run typecheck` rather than in a city's build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as Declared from '../consult-kit.js';
import type * as Source from '../src/consult-kit.js';
import { ConsultStarRating, ConsultWorkflow, version } from '../src/consult-kit.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameExports: Same<keyof typeof Declared, keyof typeof Source> = true;

test('the declared exports are the entry exports', () => {
  assert.equal(sameExports, true);
  assert.equal(typeof ConsultWorkflow, 'function');
  assert.equal(typeof ConsultStarRating, 'function');
  assert.match(version, /^\d+\.\d+\.\d+$/);
});
