// Section "clock" of `npm run bench`: the server's clock (issue 17) — how many pending jobs the
// server holds, and how long one tick takes with 100 and with 100,000 open measures (goal ≤ 3×).
//
//   node bench/clock.mjs [--quick]      prints its rows as a markdown table
//   import { run } from './clock.mjs'   → rows for bench/run.mjs (section "clock")
//
// Each size is its own PGlite database (a server holding that many open measures), and on
// PostgreSQL (a throw-away cluster, bench/lib/postgres.mjs; DATABASE_URL when given) its own schema:
// - a handful of real topics (the contract's story up to the adopted measure: two open measures
//   each) are seeded as log entries and indexed by the server's own catch-up, which derives their
//   jobs (due soon, overdue);
// - the other open measures' jobs (due soon and overdue, two per measure, due in the months ahead)
//   are inserted with SQL, as the catch-up would have written them.
// One sample: the real topics' jobs are made pending again, then `tick` at a moment when exactly
// those are due (catch-up of every programme, claim, act: replay each topic, derive its notices,
// mark the index overdue, mark done; a notify file with no channel, so nothing leaves the process).
// Small and large samples interleave; medians; the ratio is the figure, not the times.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { atMost, int, median, ms, row } from './lib/table.mjs';
import { onBothDatabases } from './lib/postgres.mjs';
import { contractStory, insertLog, logColumns, pushEntry } from './lib/log-seed.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const CONFIG_TEXT = readFileSync(join(ROOT, 'examples/configs/wuxi-community.json'), 'utf8');
const SERVER_DIST = join(ROOT, 'packages/server/dist');
const SECTION = 'Clock: jobs and ticks';

const PLAN = {
  full: { small: 100, large: 100_000, real: 5, samples: 21, warmup: 3 },
  quick: { small: 100, large: Number(process.env.BENCH_CLOCK_LARGE) || 100_000, real: 5, samples: 5, warmup: 1 },
};

const log = (m) => process.env.BENCH_QUIET !== '1' && process.stderr.write(`bench/clock: ${m}\n`);
const DAY = 86_400_000;

/** The contract's story up to the adopted measure (two open measures), as stored entries. */
function handlingLog(machine, config) {
  const { main } = contractStory();
  const upto = main.findIndex((v) => v.key === 'measureAdopt');
  const entries = main.slice(0, upto + 1).map((v, i) => ({ id: `x${i}`, topicId: 'x', seq: i + 1, event: v.body.event, by: v.body.by, at: v.body.at }));
  const { topics, refused } = machine.replay(config, entries);
  if (refused.length) throw new Error(`the story is refused at ${refused[0].eventType}: ${refused[0].message}`);
  const open = topics.get('x').context.measures.filter((m) => !['implemented', 'declined'].includes(m.status));
  if (open.length !== 2) throw new Error(`expected two open measures, got ${open.length}`);
  return entries.map((e) => machine.redactEntry(config, e).entry);
}

/** One database holding `measures` open measures; resolves with what the samples need. */
async function prepare(server, machine, db, programmeId, measures, real) {
  await server.migrate(db);
  const config = JSON.parse(CONFIG_TEXT);
  config.id = programmeId;
  const stored = await server.upsertProgramme(db, JSON.stringify(config));
  if (!stored.ok) throw new Error(JSON.stringify(stored.errors));
  const parsed = machine.parseWorkflowConfig(config).config;
  const template = handlingLog(machine, parsed);
  // The real topics, as log entries (no receipt time: old entries, which notify nobody).
  const cols = logColumns();
  for (let t = 0; t < real; t += 1) {
    for (const e of template) {
      const seq = cols.seq.length + 1;
      pushEntry(cols, seq, `${programmeId}-${t}-${seq}`, `real-${t}`, e);
    }
  }
  await insertLog(db, programmeId, cols);
  await db.query('update programme set last_seq = $2, redacted_etag = etag where id = $1', [programmeId, cols.seq.length]);
  await server.catchUpIndex(db, programmeId); // derives the real topics' jobs
  const realJobs = await db.query(`select key, run_at_ms from timer_job where programme_id = $1 and state = 'pending' order by run_at_ms`, [programmeId]);
  if (realJobs.length !== real * 4) throw new Error(`the catch-up derived ${realJobs.length} jobs for ${real} topics, not ${real * 4}`);
  // The moment the sample ticks at: after the earlier measure's due date, before the later one's
  // "due soon": its two jobs per real topic are due.
  const due = realJobs.filter((j) => j.key.includes('lift-b3-subsidy'));
  const tickAt = Math.max(...due.map((j) => j.run_at_ms)) + DAY;

  // The other open measures: two jobs each, due over the year after the tick (never in a sample).
  const others = measures - real * 2;
  const BATCH = 20_000;
  for (let start = 0; start < others; start += BATCH) {
    const keys = [];
    const topics = [];
    const kinds = [];
    const runAt = [];
    const timers = [];
    for (let i = start; i < Math.min(others, start + BATCH); i += 1) {
      const topicId = `t-${i >> 1}`;
      const measureId = `m-${i}`;
      const dueMs = tickAt + 4 * DAY + (i % 365) * DAY; // its "due soon" at least a day after the tick
      for (const [kind, at] of [
        ['measure.dueSoon', dueMs - 3 * DAY],
        ['measure.overdue', dueMs],
      ]) {
        const key = `${topicId}:${kind}:${measureId}:${new Date(dueMs).toISOString().slice(0, 10)}`;
        keys.push(key);
        topics.push(topicId);
        kinds.push(kind);
        runAt.push(at);
        timers.push(JSON.stringify({ key, kind, topicId, at: new Date(at).toISOString(), measureId }));
      }
    }
    await db.query(
      `insert into timer_job (programme_id, key, topic_id, kind, run_at_ms, timer)
       select $1, v.key, v.topic_id, v.kind, v.run_at_ms, v.timer::json
       from unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[]) as v (key, topic_id, kind, run_at_ms, timer)`,
      [programmeId, keys, topics, kinds, runAt, timers],
    );
  }
  if (db.kind === 'postgres') await db.query('analyze timer_job');
  else await db.exec('analyze timer_job');
  const [{ n: pending }] = await db.query(`select count(*)::bigint as n from timer_job where state = 'pending'`);
  return { programmeId, tickAt, dueKeys: due.map((j) => j.key), pending };
}

/** One database kind: both sizes, interleaved samples. */
async function measure(kind, plan, url) {
  const server = await import(pathToFileURL(join(SERVER_DIST, 'index.js')).href);
  const machine = await import('@consult-kit/machine');
  const open = async (size) =>
    kind === 'postgres' ? server.openPostgres({ connectionString: url, schema: `ck_bench_clock_${size}_${process.pid}` }) : server.openPglite({});
  const dbs = { small: await open('small'), large: await open('large') };
  try {
    log(`${kind}: seeding ${int(plan.small)} and ${int(plan.large)} open measures`);
    const sets = {
      small: await prepare(server, machine, dbs.small, 'bench-clock-small', plan.small, plan.real),
      large: await prepare(server, machine, dbs.large, 'bench-clock-large', plan.large, plan.real),
    };
    const notify = { webhooks: [], directory: { people: {}, parties: {}, programmes: {} }, retry: { delaysSeconds: [60], timeoutMs: 1_000 }, timeZone: 'Asia/Shanghai', tickMs: 0 };
    const sample = async (size) => {
      const db = dbs[size];
      const set = sets[size];
      await db.query(
        `update timer_job set state = 'pending', done_at_ms = null, lease_until_ms = null, attempts = 0, last_error = null where programme_id = $1 and key = any($2)`,
        [set.programmeId, set.dueKeys],
      );
      const options = { clock: () => new Date(set.tickAt), notify, staleInFlightSeconds: 30 };
      const t0 = performance.now();
      const report = await server.tick(db, options, set.tickAt);
      const took = performance.now() - t0;
      if (report.jobs !== set.dueKeys.length || report.failed !== 0) throw new Error(`${size}: the tick acted on ${report.jobs} jobs (${report.failed} failed), not ${set.dueKeys.length}`);
      return took;
    };
    for (let k = 0; k < plan.warmup; k += 1) {
      await sample('small');
      await sample('large');
    }
    const s = { small: [], large: [] };
    for (let k = 0; k < plan.samples; k += 1) {
      const order = k % 2 === 0 ? ['small', 'large'] : ['large', 'small'];
      for (const size of order) s[size].push(await sample(size));
    }
    const version = kind === 'postgres' ? (await dbs.small.query('select version() as v'))[0].v.split(' ').slice(0, 2).join(' ') : 'PGlite';
    return { kind, version, plan, s, sets };
  } finally {
    for (const db of Object.values(dbs)) {
      if (kind === 'postgres') await db.exec('drop schema if exists ' + (db === dbs.small ? `ck_bench_clock_small_${process.pid}` : `ck_bench_clock_large_${process.pid}`) + ' cascade').catch(() => undefined);
      await db.close();
    }
  }
}

function rowsOf(result) {
  const { kind, version, plan, s, sets } = result;
  const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
  const ratio = median(s.large) / median(s.small);
  const goal = atMost(ratio, 3, '≤ 3×');
  const samples = `median of ${plan.samples} interleaved samples after ${plan.warmup} warm-up rounds`;
  return [
    row({
      section: SECTION,
      measure: `${label}: pending jobs the server holds, ${int(plan.large)} ÷ ${int(plan.small)} open measures`,
      ours: int(sets.large.pending),
      anchor: int(sets.small.pending),
      ratio: sets.large.pending / sets.small.pending,
      goal: '—',
      met: null,
      note: 'Two per open measure (due soon, overdue); a rating window adds two, a scheduled meeting one. Done and cancelled jobs are kept (a done key is never fired again).',
    }),
    row({
      section: SECTION,
      measure: `${label}: one tick with ${plan.real * 2} jobs due, ${int(plan.large)} ÷ ${int(plan.small)} open measures`,
      ours: ms(median(s.large)),
      anchor: ms(median(s.small)),
      ratio,
      ...goal,
      note: `${version}; the tick catches the programme up (nothing new: one read of its counter and watermark), claims the due jobs by the partial index on run_at_ms (pending only), replays each due topic, derives its notices, marks the index overdue, marks the jobs done; ${samples}. ${goal.miss}`.trim(),
    }),
  ];
}

/** The rows for bench/run.mjs. */
export async function run(options = { quick: false }) {
  const plan = options.quick ? PLAN.quick : PLAN.full;
  return onBothDatabases({ section: SECTION, what: 'pending jobs and one tick', pgliteOnly: process.env.BENCH_CLOCK_DB === 'pglite', log }, async (kind, url) =>
    rowsOf(await measure(kind, plan, url)),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { renderTable } = await import('./lib/table.mjs');
  const rows = await run({ quick: process.argv.includes('--quick') });
  console.log(renderTable(rows));
  process.exit(0);
}
