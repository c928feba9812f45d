#!/usr/bin/env node
// The outbox chaos test, long version: the real store through many reloads (several seeds),
// plus the two negative controls (a server without idempotency must be caught duplicating, a
// naive queue must be caught losing). Prints a table; exits 1 if the store loses or duplicates
// anything, fails to drain, or a control is not caught.
//
//   npm run chaos                                  # seeds 1 and 2, 100 reloads each; controls at 40
//   npm run chaos -- --seeds 7,8,9 --reloads 150 --control-reloads 30 --trace
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { runChaos } = await import('../packages/store/test/chaos/harness.ts');

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2' },
    reloads: { type: 'string', default: '100' },
    'control-reloads': { type: 'string', default: '40' },
    'no-controls': { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
  },
});
const seeds = values.seeds.split(',').map(Number).filter(Number.isFinite);
const reloads = Math.max(1, Number(values.reloads));
const controlReloads = Math.max(1, Number(values['control-reloads']));
const limits = (n) => ({ durationLimitMs: 60_000 + n * 3_000, drainLimitMs: 60_000 });
const trace = values.trace ? (line) => console.log(line) : undefined;

const runs = [];
for (const seed of seeds) {
  runs.push({
    name: 'store',
    check: (r) =>
      r.lost.length === 0 &&
      r.lostFromMemory.length === 0 &&
      r.duplicated.length === 0 &&
      r.drained &&
      !r.timedOut &&
      r.acknowledged > 0 &&
      r.tabs.every((t) => t.confirmedSize === r.appends),
    options: { seed, reloads, ...limits(reloads) },
  });
}
if (!values['no-controls']) {
  const seed = seeds[0] ?? 1;
  runs.push({
    name: 'control: no dedup',
    check: (r) => r.duplicated.length > 0,
    options: { seed, reloads: controlReloads, dedup: false, faults: { unavailable: 0.1, responseLost: 0.25, slow: 0.1 }, ...limits(controlReloads) },
  });
  runs.push({
    name: 'control: naive',
    check: (r) => r.lost.length + r.lostFromMemory.length > 0,
    options: { seed, reloads: controlReloads, client: 'naive', ...limits(controlReloads) },
  });
}

const rows = [];
let failed = false;
for (const run of runs) {
  const label = `${run.name} (seed ${run.options.seed}, ${run.options.reloads} reloads)`;
  console.log(`▶ ${label}`);
  let result;
  try {
    result = await runChaos({ ...run.options, log: (line) => console.log(`  ${line}`), ...(trace ? { trace } : {}) });
  } catch (error) {
    failed = true;
    console.error(`✖ ${label}: ${error?.stack ?? error}`);
    rows.push({ run: run.name, seed: run.options.seed, verdict: 'ERROR' });
    continue;
  }
  const ok = run.check(result);
  if (!ok) {
    failed = true;
    console.error(`✖ ${label}:`);
    console.error(`  lost: ${result.lost.slice(0, 10).join(' ')}`);
    console.error(`  lost (kept in memory only): ${result.lostFromMemory.slice(0, 10).join(' ')}`);
    console.error(`  duplicated: ${result.duplicated.slice(0, 10).map((d) => `${d.id}×${d.times}`).join(' ')}`);
    console.error(`  tabs: ${JSON.stringify(result.tabs)}`);
    console.error(`  page errors: ${result.pageErrors.slice(0, 5).join(' | ')}`);
  }
  const f = result.server.injected;
  rows.push({
    run: run.name,
    seed: result.seed,
    reloads: result.reloads,
    acked: result.acknowledged,
    'acked in memory': result.acknowledgedInMemory,
    applied: result.applied,
    'appends before heal': result.appliedBeforeHeal,
    lost: result.lost.length,
    'lost (memory)': result.lostFromMemory.length,
    duplicated: result.duplicated.length,
    drained: result.drained,
    '503 / lost / slow': `${f.unavailable} / ${f.responseLost} / ${f.slow}`,
    'in flight (409)': result.server.inFlight409,
    replayed: result.server.replayed,
    's': Math.round(result.durationMs / 1000),
    verdict: ok ? (run.name === 'store' ? 'ok' : 'caught') : run.name === 'store' ? 'FAIL' : 'NOT CAUGHT',
  });
}

console.table(rows);
process.exit(failed ? 1 : 0);
