/** docs/machine.md must name every event type and every refusal code the engine can give. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_TYPES } from '../src/config/config.types.js';

const root = join(import.meta.dirname, '../../..');
const doc = readFileSync(join(root, 'docs/machine.md'), 'utf8');
const source = ['rules/topic-rules.ts', 'log/replay.ts', 'consultation.machine.ts']
  .map((f) => readFileSync(join(root, 'packages/machine/src', f), 'utf8'))
  .join('\n');

it('documents every event type', () => {
  const missing = EVENT_TYPES.filter((t) => !doc.includes(`\`${t}\``));
  assert.deepEqual(missing, []);
});

it('documents every refusal code', () => {
  const literal = [...source.matchAll(/(?:violation\(\s*|code: )'([a-z-]+)'/g)].map((m) => m[1]!);
  const fromText = [...source.matchAll(/requireText\([^,]+, '([a-z]+)'/g)].flatMap((m) => [`missing-${m[1]}`]);
  const codes = [...new Set([...literal, ...fromText])];
  assert.ok(codes.length > 30, `found only ${codes.length} codes`);
  const missing = codes.filter((c) => !doc.includes(`\`${c}\``));
  assert.deepEqual(missing, []);
});
