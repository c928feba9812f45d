/**
 * The server validates request bodies against `src/contract/event-submission.schema.json`, a copy
 * of the contract's `EventSubmission` and the schemas it uses. This test fails when the copy
 * drifts from docs/api/openapi.yaml; `UPDATE_CONTRACT=1` rewrites it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventSubmissionSchema } from './openapi.js';

const FILE = join(import.meta.dirname, '../src/contract/event-submission.schema.json');

test('src/contract/event-submission.schema.json is the contract\'s EventSubmission', () => {
  const expected = `${JSON.stringify(eventSubmissionSchema(), null, 2)}\n`;
  if (process.env.UPDATE_CONTRACT === '1') writeFileSync(FILE, expected);
  assert.equal(readFileSync(FILE, 'utf8'), expected, 'the copy drifted from docs/api/openapi.yaml: run UPDATE_CONTRACT=1 node scripts/test-node.mjs contract-schema');
});
