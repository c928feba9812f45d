/**
 * The outbox chaos test, short version (`npm run chaos` runs the long one): "a resident at a
 * courtyard meeting with one bar of signal must never lose what they submitted, and a clerk with
 * two tabs open must never send it twice". Two tabs of one origin, a server that answers 503,
 * loses answers and stalls, reloads mid-send and offline spells; then every acknowledged entry
 * must have been applied on the server exactly once. Two negative controls prove the harness
 * sees a loss and a duplicate when there is one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { CHROMIUM, runChaos, type ChaosResult } from './chaos/harness.js';

const RELOADS = 25;
const LIMITS = { durationLimitMs: 45_000, drainLimitMs: 20_000 };

// Not skipped without a browser: a chaos test that quietly does not run is a false green.
test('Chromium is there to run the chaos test', () => {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
});
const browser = !existsSync(CHROMIUM);

function summary(r: ChaosResult): string {
  const { lost, lostFromMemory, duplicated, ...rest } = r;
  return JSON.stringify({ ...rest, lost: lost.slice(0, 5), lostFromMemory: lostFromMemory.slice(0, 5), duplicated: duplicated.slice(0, 5) });
}

test('the store loses nothing it acknowledged and sends nothing twice (two tabs, reloads, offline, faults)', { skip: browser, timeout: 100_000 }, async () => {
  const r = await runChaos({ seed: 20260301, reloads: RELOADS, ...LIMITS });
  const why = summary(r);
  assert.equal(r.timedOut, false, `the random phase did not reach ${RELOADS} reloads: ${why}`);
  assert.ok(r.acknowledged > 0, why);
  assert.ok(r.server.injected.unavailable + r.server.injected.responseLost + r.server.injected.slow > 0, `no fault was injected: ${why}`);
  assert.deepEqual(r.lost, [], `acknowledged but never applied: ${why}`);
  assert.equal(r.acknowledgedInMemory, 0, `acknowledged in memory only (IndexedDB given up): ${why}`);
  assert.deepEqual(r.duplicated, [], `applied more than once: ${why}`);
  assert.equal(r.drained, true, `an outbox is not empty after the drain: ${why}`);
  assert.deepEqual(r.refusals, [], why);
  assert.ok(r.tabs.every((t) => t.conflicts === 0 && t.storage === 'indexeddb'), why);
  assert.ok(r.tabs.every((t) => t.confirmedSize === r.appends), `a tab's log does not hold every server entry: ${why}`);
  assert.equal(r.server.refused + r.server.keyReused422 + r.server.badRequests + r.server.keyMismatch, 0, why);
  assert.deepEqual(r.pageErrors, [], `errors escaped into the page: ${why}`);
});

test('negative control: a server without idempotency is caught duplicating', { skip: browser, timeout: 100_000 }, async () => {
  const r = await runChaos({
    seed: 20260302,
    reloads: RELOADS,
    dedup: false,
    faults: { unavailable: 0.1, responseLost: 0.25, slow: 0.1 },
    ...LIMITS,
  });
  assert.ok(r.server.injected.responseLost > 0, summary(r));
  assert.ok(r.duplicated.length > 0, `the harness missed the duplicates: ${summary(r)}`);
});

test('negative control: a queue that drops entries before sending them is caught losing', { skip: browser, timeout: 100_000 }, async () => {
  const r = await runChaos({ seed: 20260303, reloads: RELOADS, client: 'naive', ...LIMITS });
  assert.ok(r.acknowledged > 0, summary(r));
  assert.ok(r.lost.length > 0, `the harness missed the losses: ${summary(r)}`);
});
