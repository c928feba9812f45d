// Section "reads" of `npm run bench`: reads that cannot be turned against the server (issue 21,
// point 9), on PGlite (and PostgreSQL: a throw-away cluster, bench/lib/postgres.mjs; DATABASE_URL
// when given; BENCH_READS_DB=pglite for PGlite only).
//
//   node bench/reads.mjs [--quick]     prints its rows as a markdown table
//   import { run } from './reads.mjs'  → rows for bench/run.mjs (section "reads")
//
// - Figures (`GET …/figures`, the machine's selectFigures on the programme's projection) at
//   200,000 topics ÷ at 1,000: one entry appended before each read (each read catches up one
//   entry and runs the selector, as on a live programme), and of an unchanged log (what eight
//   clients hammering get: the result kept at that log position); medians of interleaved
//   samples, CPU time of this process too.
// - A pull page (`GET …/events?after=…&limit=100`, no token: the redacted log) at 200,000 ÷ 1,000.
// - `/healthz` latency (p50/p99) while 8 clients hammer the big programme's figures from a cold
//   start (the first reads build the 200,000-topic projection: it must yield, and the eight must
//   share one catch-up).
// - Pull pages at 128 connections (requests/s and p99), PGlite.
//
// The programmes are seeded by direct SQL inserts of valid logs (prefixes of the contract's story
// of 加装电梯, stored redacted as the server stores them, bench/lib/log-seed.mjs). The server runs
// in this process, from packages/server/dist (run `npm run build` first).
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { median, row, atMost, ms, int } from './lib/table.mjs';
import { onBothDatabases } from './lib/postgres.mjs';
import { contractStory, insertLog, logColumns, pushEntry } from './lib/log-seed.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const CONFIG_TEXT = readFileSync(join(ROOT, 'examples/configs/wuxi-community.json'), 'utf8');
const SERVER_DIST = join(ROOT, 'packages/server/dist');
const SECTION = 'Reads at scale';

const PLAN = {
  full: { big: 200_000, small: 1_000, samples: 15, warmup: 3, hammer: 8, hammerReads: 80, connections: 128, pulls: 2_000 },
  quick: { big: Number(process.env.BENCH_READS_BIG) || 20_000, small: 1_000, samples: 7, warmup: 2, hammer: 8, hammerReads: 40, connections: 128, pulls: 1_000 },
};

const log = (m) => process.env.BENCH_QUIET !== '1' && process.stderr.write(`bench/reads: ${m}\n`);

/** Stored template logs: prefixes of the story's main line (each a lifecycle state), redacted. */
function templates(machine, config) {
  const { main } = contractStory();
  const out = [];
  for (let n = 1; n <= main.length; n += 1) {
    const entries = main.slice(0, n).map((v, i) => ({ id: `x${i}`, topicId: 'x', seq: i + 1, event: v.body.event, by: v.body.by, at: v.body.at }));
    if (machine.replay(config, entries).refused.length > 0) break;
    out.push(entries.map((e) => machine.redactEntry(config, e).entry));
  }
  // A programme's mix: mostly early states, some far along.
  return [0, 0, 0, 1, 2, 3, out.length - 1, Math.floor(out.length / 2)].map((i) => out[Math.min(i, out.length - 1)]);
}

/** Seeds `n` topics by direct inserts; resolves with the number of entries. */
async function seed(db, programmeId, n, mix) {
  const BATCH = 2_000;
  let seq = 0;
  for (let start = 0; start < n; start += BATCH) {
    const cols = logColumns();
    for (let i = start; i < Math.min(n, start + BATCH); i += 1) {
      for (const e of mix[i % mix.length]) {
        seq += 1;
        pushEntry(cols, seq, `${programmeId}-${i}-${cols.seq.length + 1}`, `t-${i}`, e);
      }
    }
    await insertLog(db, programmeId, cols);
  }
  await db.query('update programme set last_seq = $2, redacted_etag = etag where id = $1', [programmeId, seq]);
  return seq;
}

/** One GET over a keep-alive agent: status, body text, wall ms. */
function get(agent, url) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(url, { agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function measure(kind, plan, url) {
  const server = await import(pathToFileURL(join(SERVER_DIST, 'index.js')).href);
  const { projectionsOf } = await import(pathToFileURL(join(SERVER_DIST, 'projections/replayed.js')).href);
  const machine = await import('@consult-kit/machine');
  const schema = kind === 'postgres' ? `ck_bench_reads_${process.pid}` : undefined;
  const db = kind === 'postgres' ? await server.openPostgres({ connectionString: url, schema }) : await server.openPglite({});
  let app;
  try {
    await server.migrate(db);
    const ids = { small: 'reads-small', big: 'reads-big' };
    for (const id of Object.values(ids)) {
      const config = JSON.parse(CONFIG_TEXT);
      config.id = id;
      const result = await server.upsertProgramme(db, JSON.stringify(config));
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
    }
    const config = machine.parseWorkflowConfig(JSON.parse(CONFIG_TEXT)).config;
    const mix = templates(machine, config);
    const entries = {};
    for (const [key, id] of Object.entries(ids)) {
      log(`${kind}: seeding ${id} (${int(plan[key])} topics)`);
      entries[key] = await seed(db, id, plan[key], mix);
    }
    if (kind === 'postgres') await db.query('analyze');
    app = await server.buildApp(db, {
      ...server.DEFAULTS,
      tokens: server.parseTokens({}, 'bench tokens'),
      corsOrigins: [],
      rateLimit: { max: 1_000_000_000, windowMs: 60_000 },
      logLevel: false,
      trustProxy: false,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const origin = `http://127.0.0.1:${app.server.address().port}`;
    const base = `${origin}/api/programmes`;
    // Both programmes held, with the topics the samples add (a budget below that evicts the big one
    // whenever the small one is read, and every big read would build it again).
    const store = projectionsOf(db, { maxTopics: 2 * (plan.big + plan.small) });
    const agent = new Agent({ keepAlive: true, maxSockets: plan.connections });

    // 1. /healthz while 8 clients hammer the big programme's figures, from a cold start.
    log(`${kind}: ${plan.hammer} clients on the figures of ${int(plan.big)} topics (cold), /healthz sampled`);
    const heapBefore = process.memoryUsage().heapUsed;
    const catchUpsBefore = store.stats.catchUps;
    let hammering = true;
    const figureTimes = [];
    const clients = Array.from({ length: plan.hammer }, async () => {
      for (let n = 0; n < plan.hammerReads / plan.hammer; n += 1) {
        const res = await get(agent, `${base}/${ids.big}/figures`);
        if (res.status !== 200) throw new Error(`figures ${res.status}: ${res.text.slice(0, 200)}`);
        figureTimes.push(res.ms);
      }
    });
    const health = [];
    const sampler = (async () => {
      while (hammering) {
        const res = await get(agent, `${origin}/healthz`);
        if (res.status !== 200) throw new Error(`healthz ${res.status}`);
        health.push(res.ms);
        await sleep(10);
      }
    })();
    const hammerStart = performance.now();
    await Promise.all(clients);
    const hammerMs = performance.now() - hammerStart;
    hammering = false;
    await sampler;
    const coldCatchUps = store.stats.catchUps - catchUpsBefore;
    const heapPerTopic = (process.memoryUsage().heapUsed - heapBefore) / plan.big;

    // 2. Figures and a pull page, big ÷ small, each read after one new entry (a live programme).
    let appended = { small: entries.small, big: entries.big };
    const appendOne = async (key) => {
      // A new topic's submission, stored as the server stores it, seq next.
      const cols = logColumns();
      appended[key] += 1;
      pushEntry(cols, appended[key], `${ids[key]}-live-${appended[key]}`, `live-${appended[key]}`, mix[0][0]);
      await insertLog(db, ids[key], cols);
      await db.query('update programme set last_seq = $2 where id = $1', [ids[key], appended[key]]);
    };
    const figures = async (key, append = true) => {
      if (append) await appendOne(key);
      const cpu0 = process.cpuUsage();
      const res = await get(agent, `${base}/${ids[key]}/figures`);
      const cpu = process.cpuUsage(cpu0);
      if (res.status !== 200) throw new Error(`figures ${res.status}: ${res.text.slice(0, 200)}`);
      return { ms: res.ms, cpu: (cpu.user + cpu.system) / 1000 };
    };
    const pull = async (key, k) => {
      const after = Math.floor(((k * 7919) % 97) / 97 * (entries[key] - 100));
      const res = await get(agent, `${base}/${ids[key]}/events?after=${after}&limit=100`);
      if (res.status !== 200) throw new Error(`pull ${res.status}: ${res.text.slice(0, 200)}`);
      return { ms: res.ms, entries: JSON.parse(res.text).entries.length };
    };
    await figures('small');
    for (let k = 0; k < plan.warmup; k += 1) {
      await figures('small');
      await figures('big');
      await pull('small', k);
      await pull('big', k);
    }
    const s = { figSmall: [], figBig: [], cpuSmall: [], cpuBig: [], pullSmall: [], pullBig: [], sameSmall: [], sameBig: [] };
    for (let k = 0; k < plan.samples; k += 1) {
      const order = k % 2 === 0 ? ['small', 'big'] : ['big', 'small'];
      for (const key of order) {
        const f = await figures(key);
        (key === 'small' ? s.figSmall : s.figBig).push(f.ms);
        (key === 'small' ? s.cpuSmall : s.cpuBig).push(f.cpu);
      }
      for (const key of order) (key === 'small' ? s.pullSmall : s.pullBig).push((await pull(key, k)).ms);
      for (const key of order) (key === 'small' ? s.sameSmall : s.sameBig).push((await figures(key, false)).ms);
    }

    // 3. Pull pages at 128 connections.
    log(`${kind}: ${int(plan.pulls)} pull pages over ${plan.connections} connections`);
    const pullTimes = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: plan.connections }, async () => {
        while (next < plan.pulls) {
          const k = next++;
          pullTimes.push((await pull('big', k)).ms);
        }
      }),
    );
    const pullSeconds = (performance.now() - t0) / 1000;
    agent.destroy();
    const version = kind === 'postgres' ? (await db.query('select version() as v'))[0].v.split(' ').slice(0, 2).join(' ') : 'PGlite';
    return { kind, version, plan, s, health, hammerMs, figureTimes, coldCatchUps, heapPerTopic, pullTimes, pullSeconds, entries, held: store.heldTopics() };
  } finally {
    await app?.close();
    if (schema) await db.exec(`drop schema ${schema} cascade`).catch(() => undefined);
    await db.close();
  }
}

function rowsOf(r) {
  const label = r.kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
  const fig = median(r.s.figBig) / median(r.s.figSmall);
  const pullRatio = median(r.s.pullBig) / median(r.s.pullSmall);
  const figGoal = atMost(fig, 3, '≤ 3×');
  const same = median(r.s.sameBig) / median(r.s.sameSmall);
  const sameGoal = atMost(same, 3, '≤ 3×');
  const pullGoal = atMost(pullRatio, 3, '≤ 3×');
  const p99 = pct(r.health, 99);
  const healthGoal = { goal: '< 50 ms', met: p99 < 50, miss: p99 < 50 ? '' : `p99 ${ms(p99)} is ${(p99 / 50).toFixed(1)}× the goal.` };
  const samples = `median of ${r.plan.samples} interleaved samples after ${r.plan.warmup} warm-up rounds`;
  return [
    row({
      section: SECTION,
      measure: `${label}: GET …/figures, ${int(r.plan.big)} ÷ ${int(r.plan.small)} topics (one entry appended before each read)`,
      ours: `${ms(median(r.s.figBig))} (CPU ${ms(median(r.s.cpuBig))})`,
      anchor: `${ms(median(r.s.figSmall))} (CPU ${ms(median(r.s.cpuSmall))})`,
      ratio: fig,
      ...figGoal,
      note: `${r.version}; the projection catches up the one new entry, then selectFigures runs on its snapshots; ${samples}. ${figGoal.miss}`.trim(),
    }),
    row({
      section: SECTION,
      measure: `${label}: GET …/figures of an unchanged log (the hammer), ${int(r.plan.big)} ÷ ${int(r.plan.small)} topics`,
      ours: ms(median(r.s.sameBig)),
      anchor: ms(median(r.s.sameSmall)),
      ratio: same,
      ...sameGoal,
      note: `${r.version}; one head row read, the result kept at that log position; ${samples}. ${sameGoal.miss}`.trim(),
    }),
    row({
      section: SECTION,
      measure: `${label}: a pull page (GET …/events?after=…&limit=100), ${int(r.plan.big)} ÷ ${int(r.plan.small)} topics`,
      ours: ms(median(r.s.pullBig)),
      anchor: ms(median(r.s.pullSmall)),
      ratio: pullRatio,
      ...pullGoal,
      note: `${r.version}; no token (the redacted log), a cursor spread over the log; the (programme, seq) primary key; ${samples}. ${pullGoal.miss}`.trim(),
    }),
    row({
      section: SECTION,
      measure: `${label}: /healthz while ${r.plan.hammer} clients read the figures of ${int(r.plan.big)} topics from a cold start`,
      ours: `p50 ${ms(pct(r.health, 50))}, p99 ${ms(p99)} (${r.health.length} samples)`,
      anchor: `${int(r.plan.hammerReads)} figures in ${(r.hammerMs / 1000).toFixed(1)} s, p99 ${ms(pct(r.figureTimes, 99))}`,
      ratio: null,
      ...healthGoal,
      note: `${r.coldCatchUps} catch-up(s) for the ${r.plan.hammer} cold clients (single flight); the build yields every few ms; about ${int(r.heapPerTopic)} B of heap per topic held (${int(r.entries.big)} entries). ${healthGoal.miss}`.trim(),
    }),
    row({
      section: SECTION,
      measure: `${label}: pull pages of 100 at ${r.plan.connections} connections (${int(r.plan.big)} topics)`,
      ours: `${int(r.plan.pulls / r.pullSeconds)} requests/s, p99 ${ms(pct(r.pullTimes, 99))}`,
      anchor: '—',
      ratio: null,
      goal: '—',
      met: null,
      note: `${int(r.plan.pulls)} pages, no token; in-process server (the client shares its event loop and CPU).`,
    }),
  ];
}

/** The rows for bench/run.mjs. */
export async function run(options = { quick: false }) {
  const plan = options.quick ? PLAN.quick : PLAN.full;
  const labels = { section: SECTION, what: 'figures, pulls and /healthz under reads', pgliteOnly: process.env.BENCH_READS_DB === 'pglite', log };
  return onBothDatabases(labels, async (kind, url) => rowsOf(await measure(kind, plan, url)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { renderTable } = await import('./lib/table.mjs');
  const rows = await run({ quick: process.argv.includes('--quick') });
  console.log(renderTable(rows));
  process.exit(0);
}
