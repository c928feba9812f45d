// Section "teardown" of `npm run bench` (issue 18, point 6): stopping and rebuilding the programme
// actor (`@consult-kit/machine`, Node, packages/machine/dist) at 100, 1,000 and 10,000 topics.
//
//   node bench/teardown.mjs [--quick]      prints its rows as a markdown table
//   import { run } from './teardown.mjs'   → rows for bench/run.mjs (section "teardown")
//
// The log: topic i replays the first 1, 2, 9 or 16 steps of the contract's story of 加装电梯
// (docs/api/openapi.yaml, bench/lib/log-seed.mjs), so a quarter each is in screening, research,
// handling and closed (ended: its actor is stopped already). One sample at one size:
//   rebuild    `startProgramme(config, log)`: the pure replay and the actor restored from it,
//              as `<consult-workflow>` rebuilds on reconnect when it has no topics at hand;
//   teardown   `actor.stop()` of that actor, until it returns (every topic actor has stopped:
//              checked after each sample, so a teardown that leaves actors running fails the run).
// Sizes interleave (small first, then large first), after a warm-up round. Before each timed step
// garbage is collected (when Node lets the bench ask for it) and the bench waits 20 ms, so neither
// the previous step's garbage nor the sweeping after that collection lands in the step; medians.
// The ratios are the figures, not the times. XState's own stop (the programme machine's `transition` from its prototype, what
// `actor.stop()` cost before this fix) is measured at 1,000 only, as the anchor: it is quadratic
// in the topics and takes seconds at 10,000.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { atMost, int, median, ms, row } from './lib/table.mjs';
import { contractStory } from './lib/log-seed.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MACHINE_DIST = join(ROOT, 'packages/machine/dist/index.js');
const CONFIG = join(ROOT, 'examples/configs/wuxi-community.json');
const SECTION = 'Teardown: programme actor';
const SIZES = [100, 1_000, 10_000];
const STEPS = [1, 2, 9, 16];
const GOAL = 150; // linear is 100× from 100 to 10,000 topics

const PLAN = {
  full: { samples: 11, warmup: 1, xstateSamples: 3 },
  quick: { samples: 3, warmup: 1, xstateSamples: 1 },
};

const log = (m) => process.env.BENCH_QUIET !== '1' && process.stderr.write(`bench/teardown: ${m}\n`);

/** `gc()` when V8 lets us turn it on (so one step's garbage is not collected in the next's time); else nothing. */
const collect = (() => {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc');
    return typeof gc === 'function' ? () => gc() : () => {};
  } catch {
    return () => {};
  }
})();

/** Collects, then lets V8's concurrent sweeping finish outside the timed step. */
async function settle() {
  collect();
  await sleep(20);
}

/** The log of `n` topics, in `seq` order; topic i takes the story's first STEPS[i % 4] steps. */
function logOf(n) {
  const { main } = contractStory();
  const entries = [];
  for (let t = 0; t < n; t += 1) {
    for (const v of main.slice(0, STEPS[t % STEPS.length])) {
      const seq = entries.length + 1;
      entries.push({ id: `e${seq}`, topicId: `t-${t}`, seq, event: v.body.event, by: v.body.by, at: v.body.at });
    }
  }
  return entries;
}

/** Throws unless the stopped programme's topic actors all ended (stopped, or done before the stop). */
function checkStopped(actor, n) {
  const snapshot = actor.getSnapshot();
  const topics = Object.values(snapshot.context.topics);
  const running = topics.filter((ref) => !['stopped', 'done'].includes(ref.getSnapshot().status));
  if (snapshot.status !== 'stopped' || topics.length !== n || running.length > 0) {
    throw new Error(`after stop at ${n} topics: programme ${snapshot.status}, ${topics.length} topics, ${running.length} still running`);
  }
}

/** One sample at one size: the rebuild from the log, then the teardown of what it built. */
async function sample(machine, config, entries, n, { xstateStop = false } = {}) {
  await settle();
  let t0 = performance.now();
  const { actor, refused } = machine.startProgramme(config, entries);
  const rebuild = performance.now() - t0;
  if (refused.length) throw new Error(`the log is refused at ${refused[0].eventType}: ${refused[0].message}`);
  if (Object.keys(actor.getSnapshot().context.topics).length !== n) throw new Error(`rebuilt ${n} topics as fewer`);
  // XState's own stop: the machine's `transition` from its prototype, without this package's own.
  if (xstateStop) actor.logic.transition = Object.getPrototypeOf(actor.logic).transition;
  await settle();
  t0 = performance.now();
  actor.stop();
  const teardown = performance.now() - t0;
  checkStopped(actor, n);
  return { rebuild, teardown };
}

async function measure(plan) {
  const machine = await import(pathToFileURL(MACHINE_DIST).href);
  const parsed = machine.parseWorkflowConfig(JSON.parse(readFileSync(CONFIG, 'utf8')));
  if (!parsed.ok) throw new Error(`the example config does not parse: ${parsed.errors[0]?.message}`);
  const config = parsed.config;
  const logs = Object.fromEntries(SIZES.map((n) => [n, logOf(n)]));
  const times = Object.fromEntries(SIZES.map((n) => [n, { rebuild: [], teardown: [] }]));
  for (let k = 0; k < plan.warmup; k += 1) for (const n of SIZES) await sample(machine, config, logs[n], n);
  for (let k = 0; k < plan.samples; k += 1) {
    for (const n of k % 2 ? [...SIZES].reverse() : SIZES) {
      const s = await sample(machine, config, logs[n], n);
      times[n].rebuild.push(s.rebuild);
      times[n].teardown.push(s.teardown);
    }
    log(`sample ${k + 1}/${plan.samples}: teardown ${SIZES.map((n) => `${int(n)} ${ms(times[n].teardown.at(-1))}`).join(', ')}`);
  }
  const xstate = [];
  for (let k = 0; k < plan.xstateSamples; k += 1) xstate.push((await sample(machine, config, logs[1_000], 1_000, { xstateStop: true })).teardown);
  log(`XState's own stop at 1,000: ${xstate.map(ms).join(', ')}`);
  const med = (n, key) => median(times[n][key]);
  return { med, xstate: median(xstate), entries: Object.fromEntries(SIZES.map((n) => [n, logs[n].length])), plan };
}

function rowsOf({ med, xstate, entries, plan }) {
  const samples = `median of ${plan.samples} interleaved samples after ${plan.warmup} warm-up round(s)`;
  const mix = `topics a quarter each in screening, research, handling and closed (${int(entries[1_000])} log entries at 1,000)`;
  const out = [];
  for (const [key, what, how] of [
    ['teardown', 'teardown (`actor.stop()`)', 'every topic actor stopped when it returns'],
    ['rebuild', 'rebuild from the log (`startProgramme(config, log)`)', 'pure replay, then the actor restored from it'],
  ]) {
    const ratio = med(10_000, key) / med(100, key);
    const judged = atMost(ratio, GOAL, `≤ ${GOAL}×`);
    out.push(row({
      section: SECTION,
      measure: `${what} at 10,000 topics ÷ at 100`,
      ours: ms(med(10_000, key)),
      anchor: `at 100: ${ms(med(100, key))}`,
      ratio,
      goal: judged.goal,
      met: judged.met,
      note: [judged.miss, `linear is 100×; ${how}; ${samples}`].filter(Boolean).join('; '),
    }));
    out.push(row({
      section: SECTION,
      measure: `${what} at 1,000 topics`,
      ours: ms(med(1_000, key)),
      anchor: key === 'teardown' ? `XState's own stop: ${ms(xstate)}` : '',
      ratio: key === 'teardown' ? med(1_000, key) / xstate : null,
      note: key === 'teardown'
        ? `reported, no goal; the anchor is the same actor stopped by XState's own transition (quadratic: it copies the children once per child), median of ${plan.xstateSamples}; ${mix}`
        : `reported, no goal; ${mix}`,
    }));
  }
  return out;
}

/** The rows for bench/run.mjs. */
export async function run(options = { quick: false }) {
  return rowsOf(await measure(options.quick ? PLAN.quick : PLAN.full));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { renderTable } = await import('./lib/table.mjs');
  console.log(renderTable(await run({ quick: process.argv.includes('--quick') })));
}
