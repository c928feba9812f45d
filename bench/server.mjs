#!/usr/bin/env node
/* global window */
// Benchmarks of the reference server and of the store's outbox (issue 9, points 4 and 5).
//
//   node bench/server.mjs [--quick]   prints its rows as a markdown table
//   import { run } from './server.mjs'  → rows for `npm run bench` (bench/run.mjs)
//
// 4. Outbox: headless Chromium loads a page served by the reference server itself (same origin
//    as the API); the page bundles @consult-kit/store (packages/store/dist, esbuild). It queues N
//    topic submissions while the transport is held shut, opens it and times the drain until the
//    store says nothing is pending — against a plain fetch loop in the same page POSTing N new
//    submissions one after another with the same headers. Interleaved, a fresh programme per
//    sample, medians; ratio = outbox ÷ fetch loop, goal ≤ 2×.
// 5. Server ingest: a loopback load generator in this process (node:http, keep-alive, bounded
//    concurrency; bounded by count and by time) against the server in a child process: PGlite in
//    a temp data folder always, PostgreSQL when DATABASE_URL is set (in a schema of its own,
//    dropped afterwards). events/s, p50/p99 latency; goal ≥ 1,000 events/s.
//
// The server runs in a child process (`node bench/server.mjs --serve`, driven over IPC) so the
// load generator and the server do not share one event loop. Its rate limit is raised for the
// bench (one client sends thousands of requests a minute). BENCH_PROFILE=1 writes V8 CPU profiles
// of the server child and of the page to $TMPDIR/consult-kit-bench-profiles/. See bench/SERVER.md.
import { Buffer } from 'node:buffer';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { VALUES } from './lib/resident-values.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const CONFIG_FILE = join(ROOT, 'examples/configs/wuxi-community.json');
/** Where BENCH_PROFILE=1 writes CPU profiles (outside the repository). */
const PROFILE_DIR = join(tmpdir(), 'consult-kit-bench-profiles');

/** The bench's raised rate limit (the default is 600 a minute per client). */
const RATE_LIMIT = 1_000_000_000;
const CONVENER = { token: 'bench-token-convener-c001-0123456789', role: 'convener', id: 'c-001', name: '张丽华' };


const PLAN = {
  full: { outboxEvents: 1000, outboxSamples: 3, ingestEvents: 5000, ingestSamples: 3, ingestSeconds: 30, warmup: 300, concurrency: 32 },
  quick: { outboxEvents: 200, outboxSamples: 1, ingestEvents: 1000, ingestSamples: 1, ingestSeconds: 10, warmup: 100, concurrency: 32 },
};

// ── Small helpers ───────────────────────────────────────────────────────────────────────────

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The q-quantile (0…1) by nearest rank. */
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n) => (n >= 100 ? `${fmt(n)} ms` : `${fmt(n, n >= 10 ? 1 : 2)} ms`);
const secs = (n) => `${fmt(n / 1000, 2)} s`;

function programmeId(prefix) {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Temp folders this process made; removed on exit even when a harness ends it early. */
const TEMP_DIRS = new Set();
process.on('exit', () => {
  for (const dir of TEMP_DIRS) rmSync(dir, { recursive: true, force: true });
});
function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  TEMP_DIRS.add(dir);
  return dir;
}

function log(message) {
  if (process.env.BENCH_QUIET !== '1') process.stderr.write(`bench/server: ${message}\n`);
}

// ── The server child ────────────────────────────────────────────────────────────────────────

/**
 * Wraps a Db to count statements and to time each append transaction from its first statement's
 * answer (`select … for update`: the programme's lock is held from then) to its end (commit).
 */
function instrument(db) {
  const stats = { queries: 0, transactions: 0, lockHeldMs: 0 };
  const counting = (q, onAnswer) => ({
    ...q,
    async query(sql, params) {
      stats.queries += 1;
      const rows = await q.query(sql, params);
      onAnswer?.();
      return rows;
    },
  });
  const wrapped = {
    ...counting(db),
    kind: db.kind,
    exec: db.exec.bind(db),
    close: db.close.bind(db),
    async transaction(fn) {
      stats.transactions += 1;
      let locked;
      try {
        return await db.transaction((tx) => fn(counting(tx, () => (locked ??= performance.now()))));
      } finally {
        if (locked !== undefined) stats.lockHeldMs += performance.now() - locked;
      }
    },
  };
  return { db: wrapped, stats };
}

/** `node bench/server.mjs --serve`: the reference server on 127.0.0.1, driven over IPC. */
async function serve() {
  const server = await import('@consult-kit/server');
  const kind = process.env.BENCH_DB === 'postgres' ? 'postgres' : 'pglite';
  const dataDir = kind === 'pglite' ? tempDir('consult-kit-bench-pglite-') : undefined;
  const schema = kind === 'postgres' ? `ck_bench_${randomUUID().replace(/-/g, '').slice(0, 16)}` : undefined;
  const raw =
    kind === 'postgres'
      ? await server.openPostgres({ connectionString: process.env.DATABASE_URL, schema })
      : await server.openPglite({ dataDir });
  await server.migrate(raw);
  const { db, stats } = instrument(raw);
  const app = await server.buildApp(db, {
    tokens: server.parseTokens({ [CONVENER.token]: { role: CONVENER.role, id: CONVENER.id, name: CONVENER.name } }, 'bench tokens'),
    corsOrigins: [],
    bodyLimit: server.DEFAULTS.bodyLimit,
    rateLimit: { max: RATE_LIMIT, windowMs: 60_000 },
    staleInFlightSeconds: server.DEFAULTS.staleInFlightSeconds,
    pullAccess: 'open',
    logLevel: false,
    trustProxy: false,
    ...(process.env.BENCH_PORTAL ? { portalDir: process.env.BENCH_PORTAL } : {}),
  });
  // The anchor for ingest: a route on the same app (same hooks, JSON parser, rate limit) that
  // answers 201 with the body and a seq, touching neither the database nor the machine.
  let noopSeq = 0;
  app.post('/bench/noop', async (request, reply) => reply.code(201).send({ entry: { ...request.body, seq: (noopSeq += 1) } }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address();
  const configText = readFileSync(CONFIG_FILE, 'utf8');

  const commands = {
    async programme({ id }) {
      const config = JSON.parse(configText);
      config.id = id;
      const result = await server.upsertProgramme(raw, JSON.stringify(config, null, 2));
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return id;
    },
    async count({ id }) {
      const [row] = await raw.query('select count(*)::int as n from log_entry where programme_id = $1', [id]);
      return row.n;
    },
    stats() {
      const cpu = process.cpuUsage();
      return { ...stats, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, pool: process.env.BENCH_DB === 'postgres' ? 10 : 1 };
    },
    async close() {
      await app.close();
      if (schema) await raw.exec(`drop schema ${schema} cascade`);
      await raw.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      setImmediate(() => process.exit(0));
      return true;
    },
  };
  process.on('message', async (message) => {
    try {
      process.send({ rpc: message.rpc, ok: true, value: await commands[message.cmd](message) });
    } catch (error) {
      process.send({ rpc: message.rpc, ok: false, error: String(error?.stack ?? error) });
    }
  });
  // The parent went away without `close` (a harness timeout): clean up as far as a few seconds allow.
  process.on('disconnect', () => {
    void Promise.race([commands.close().catch(() => undefined), sleep(5_000)]).finally(() => process.exit(0));
  });
  process.on('exit', () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  process.send({ ready: true, url: `http://127.0.0.1:${port}`, kind });
}

/** Starts the server child; resolves with its URL and a `call(cmd, args)` to drive it. */
async function startChild({ kind, portalDir }) {
  const env = { ...process.env, BENCH_DB: kind, ...(portalDir ? { BENCH_PORTAL: portalDir } : {}) };
  const execArgv = [];
  if (process.env.BENCH_PROFILE === '1') {
    const dir = PROFILE_DIR;
    mkdirSync(dir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=server-${kind}-${Date.now()}.cpuprofile`);
  }
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { env, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map();
  let next = 0;
  let started;
  const ready = new Promise((resolve, reject) => {
    started = { resolve, reject };
  });
  child.on('message', (message) => {
    if (message.ready) return started.resolve(message);
    const w = waiting.get(message.rpc);
    waiting.delete(message.rpc);
    if (message.ok) w?.resolve(message.value);
    else w?.reject(new Error(message.error));
  });
  child.on('exit', (code) => {
    started.reject(new Error(`the server child exited (${code}) before it was ready`));
    for (const w of waiting.values()) w.reject(new Error(`the server child exited (${code})`));
    waiting.clear();
  });
  const { url } = await ready;
  const call = (cmd, args = {}) =>
    new Promise((resolve, reject) => {
      const rpc = (next += 1);
      waiting.set(rpc, { resolve, reject });
      child.send({ ...args, rpc, cmd });
    });
  return {
    url,
    call,
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await call('close').catch(() => undefined);
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill();
    },
  };
}

// ── 5. Server ingest ────────────────────────────────────────────────────────────────────────

/** One POST on a keep-alive agent; resolves with the status and the time it took. */
function post(agent, url, body, headers) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => resolve({ status: 0, ms: performance.now() - t0, text: String(error) }));
    });
    req.on('error', (error) => resolve({ status: 0, ms: performance.now() - t0, text: String(error) }));
    req.end(body);
  });
}

/**
 * Sends up to `count` events (stopping after `seconds`) with `concurrency` in flight: every
 * fifth a convener's screening.accept on a topic already raised, the others new topics raised
 * by residents without a token. Each request has its own entry id as Idempotency-Key.
 */
async function load(url, id, { count, seconds, concurrency, noop = false }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = noop ? `${url}/bench/noop` : `${url}/api/programmes/${id}/events`;
  const raised = [];
  const latencies = [];
  const statuses = new Map();
  let errors = 0;
  let firstError;
  let issued = 0;
  const deadline = performance.now() + seconds * 1000;
  const at = new Date().toISOString();
  const t0 = performance.now();
  async function worker() {
    while (issued < count && performance.now() < deadline) {
      issued += 1;
      const entryId = randomUUID();
      const accept = issued % 5 === 0 && raised.length > 0;
      const body = accept
        ? { id: entryId, topicId: raised.shift(), event: { type: 'screening.accept' }, by: { role: CONVENER.role, id: CONVENER.id, name: CONVENER.name }, at }
        : { id: entryId, topicId: `t-${randomUUID()}`, event: { type: 'topic.submit', source: 'resident', level: 'community', values: VALUES }, by: { role: 'resident' }, at };
      const headers = {
        accept: 'application/json, application/problem+json',
        'content-type': 'application/json',
        'idempotency-key': entryId,
        ...(accept ? { authorization: `Bearer ${CONVENER.token}` } : {}),
      };
      const answer = await post(agent, target, JSON.stringify(body), headers);
      latencies.push(answer.ms);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status === 201) {
        if (!accept) raised.push(body.topicId);
      } else {
        errors += 1;
        firstError ??= `${answer.status} ${answer.text.slice(0, 300)}`;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - t0;
  agent.destroy();
  return {
    sent: latencies.length,
    ok: latencies.length - errors,
    errors,
    firstError,
    elapsedMs,
    perSecond: ((latencies.length - errors) / elapsedMs) * 1000,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    statuses: Object.fromEntries(statuses),
    timedOut: latencies.length < count,
  };
}

async function ingest(kind, plan) {
  const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
  log(`ingest on ${label}: starting the server`);
  const server = await startChild({ kind });
  try {
    const warm = await server.call('programme', { id: programmeId('bench-warm') });
    await load(server.url, warm, { count: plan.warmup, seconds: 10, concurrency: plan.concurrency });
    await load(server.url, warm, { count: plan.warmup, seconds: 10, concurrency: plan.concurrency, noop: true });
    const samples = [];
    for (let i = 0; i < plan.ingestSamples; i += 1) {
      const id = await server.call('programme', { id: programmeId('bench-ingest') });
      const before = await server.call('stats');
      const result = await load(server.url, id, { count: plan.ingestEvents, seconds: plan.ingestSeconds, concurrency: plan.concurrency });
      const after = await server.call('stats');
      const stored = await server.call('count', { id });
      const per = (k) => (after[k] - before[k]) / Math.max(1, result.sent);
      const noop = await load(server.url, id, { count: plan.ingestEvents, seconds: plan.ingestSeconds, concurrency: plan.concurrency, noop: true });
      const afterNoop = await server.call('stats');
      const noopCpu = (afterNoop.cpuUserMs + afterNoop.cpuSystemMs - after.cpuUserMs - after.cpuSystemMs) / Math.max(1, noop.sent);
      samples.push({
        noopCpuMsPerRequest: noopCpu,
        eventsPerTransaction: result.ok / Math.max(1, after.transactions - before.transactions),
        ...result,
        stored,
        noop,
        cpuMsPerEvent: per('cpuUserMs') + per('cpuSystemMs'),
        queriesPerEvent: per('queries'),
        lockMsPerEvent: (after.lockHeldMs - before.lockHeldMs) / Math.max(1, after.transactions - before.transactions),
      });
      log(
        `ingest on ${label}: ${result.ok}/${result.sent} in ${secs(result.elapsedMs)} → ${fmt(result.perSecond)} events/s, p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, ` +
          `server CPU ${ms(samples.at(-1).cpuMsPerEvent)}/event, append transaction ${ms(samples.at(-1).lockMsPerEvent)}; no-op route ${fmt(noop.perSecond)} req/s`,
      );
    }
    return { label, samples };
  } finally {
    await server.close();
  }
}

function kindNote(label) {
  return label === 'PGlite' ? 'PGlite runs in the server process, so this includes the database' : 'PostgreSQL itself runs in its own processes, not counted';
}

function ingestRows({ label, samples }, plan) {
  const best = [...samples].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(samples.length / 2)];
  const perSecond = median(samples.map((s) => s.perSecond));
  const errors = samples.reduce((n, s) => n + s.errors, 0);
  const lost = samples.reduce((n, s) => n + (s.ok - s.stored), 0);
  const goal = 1000;
  const met = perSecond >= goal && errors === 0 && lost === 0;
  const miss = met ? '' : ` Missed by ${fmt(goal - perSecond)} events/s (${fmt((perSecond / goal) * 100)}% of the goal; ${fmt(goal / perSecond, 1)}× short).`;
  const bounds = `${samples.length} sample(s) of up to ${fmt(plan.ingestEvents)} events or ${plan.ingestSeconds} s each after ${plan.warmup} warm-up events, ${plan.concurrency} in flight`;
  const mix = '4 in 5 new topics (resident, no token), 1 in 5 a convener\'s screening.accept (token)';
  const noop = median(samples.map((s) => s.noop.perSecond));
  const server =
    `Per event, the server used ${fmt(best.cpuMsPerEvent, 2)} ms of CPU (${kindNote(label)}) and ${fmt(best.queriesPerEvent, 1)} SQL statements; ` +
    `each append transaction ran ${ms(best.lockMsPerEvent)} from the locking select to commit (appends to one programme queue behind it)`;
  const errorNote = errors ? ` ${errors} error(s), first: ${samples.find((s) => s.firstError)?.firstError}.` : ' 0 errors.';
  const lostNote = lost ? ` ${lost} acknowledged event(s) missing from the log!` : '';
  return [
    {
      section: 'Server ingest',
      measure: `${label}: events/s (loopback, ${plan.concurrency} in flight)`,
      ours: `${fmt(perSecond)} events/s`,
      anchor: `${fmt(noop)} req/s (no-op route)`,
      ratio: perSecond / noop,
      goal: '≥ 1,000 events/s',
      met,
      note: `Median of ${bounds}; ${mix}. Anchor: the same load on a route of the same app that answers 201 without the database or the machine (the ceiling of HTTP here). Rate limit raised to ${fmt(RATE_LIMIT)}/min for the bench.${errorNote}${lostNote}${miss} ${server}.`,
    },
    {
      section: 'Server ingest',
      measure: `${label}: server CPU per event`,
      ours: `${fmt(median(samples.map((s) => s.cpuMsPerEvent)), 3)} ms`,
      anchor: `${fmt(median(samples.map((s) => s.noopCpuMsPerRequest)), 3)} ms (no-op route, per request)`,
      ratio: median(samples.map((s) => s.cpuMsPerEvent)) / median(samples.map((s) => s.noopCpuMsPerRequest)),
      goal: label === 'PostgreSQL' ? '≤ 0.3 ms' : '—',
      met: label === 'PostgreSQL' ? median(samples.map((s) => s.cpuMsPerEvent)) <= 0.3 : null,
      note:
        `User + system CPU of the server process (process.cpuUsage) over the sample ÷ events sent; ${kindNote(label)}. Anchor: the same over the no-op load. ` +
        `CPU per event is what a shared machine measures best (a busy neighbour slows events/s far more than it changes this).` +
        (label === 'PostgreSQL' && median(samples.map((s) => s.cpuMsPerEvent)) > 0.3 ? ` Missed by ${fmt(median(samples.map((s) => s.cpuMsPerEvent)) - 0.3, 3)} ms.` : ''),
    },
    {
      section: 'Server ingest',
      measure: `${label}: SQL statements per event`,
      ours: fmt(median(samples.map((s) => s.queriesPerEvent)), 2),
      anchor: '—',
      ratio: null,
      goal: '—',
      met: null,
      note: `Every statement the app sent through the Db (begin and commit not counted), ÷ events sent; ${fmt(median(samples.map((s) => s.eventsPerTransaction)), 1)} events per append transaction (group commit).`,
    },
    {
      section: 'Server ingest',
      measure: `${label}: latency p50 / p99`,
      ours: `${ms(best.p50)} / ${ms(best.p99)}`,
      anchor: '—',
      ratio: null,
      goal: '—',
      met: null,
      note: `Of the median sample (${fmt(best.sent)} requests${best.timedOut ? ', stopped by the time bound' : ''}); time from sending the request to the answer's last byte, with ${plan.concurrency} in flight (so it includes queueing behind the programme's append lock).`,
    },
  ];
}

// ── 4. Outbox ───────────────────────────────────────────────────────────────────────────────

async function buildPage() {
  const { build } = await import('esbuild');
  const dir = tempDir('consult-kit-bench-page-');
  await build({
    entryPoints: [join(HERE, 'outbox/entry.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(dir, 'bundle.js'),
    define: { 'process.env.NODE_ENV': '"production"' },
    // BENCH_STORE_SRC=/path/to/store/src/index.ts: bench another build of the store (to try a fix
    // without touching packages/); its imports resolve from the repository's node_modules.
    ...(process.env.BENCH_STORE_SRC ? { alias: { '@consult-kit/store': process.env.BENCH_STORE_SRC }, nodePaths: [join(ROOT, 'node_modules')] } : {}),
    logLevel: 'warning',
  });
  copyFileSync(join(HERE, 'outbox/index.html'), join(dir, 'index.html'));
  return dir;
}

async function outbox(plan) {
  let chromium;
  let chromiumPath;
  let CHROMIUM_ARGS;
  try {
    ({ chromium } = await import('playwright-core'));
    ({ chromiumPath, CHROMIUM_ARGS } = await import('../scripts/ensure-chromium.mjs'));
    chromiumPath();
  } catch (error) {
    return { skipped: `no headless Chromium (${String(error.message).split('\n')[0]})` };
  }
  const pageDir = await buildPage();
  const userDataDir = tempDir('consult-kit-bench-chromium-');
  log('outbox: starting the server (PGlite) and Chromium');
  const server = await startChild({ kind: 'pglite', portalDir: pageDir });
  let context;
  try {
    // A persistent profile, so IndexedDB is on disk as on a phone (incognito keeps it in memory).
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true, bypassCSP: true });
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => window.bench?.ready === true, null, { timeout: 30_000 });

    const n = plan.outboxEvents;
    let profile = process.env.BENCH_PROFILE === '1'; // the first sample's drain only
    const runOne = async (subject) => {
      const id = await server.call('programme', { id: programmeId(`bench-${subject}`) });
      const args = { programmeId: id, n, values: VALUES, dbName: `bench-${randomUUID()}` };
      let result;
      if (subject === 'outbox') {
        const { queueMs } = await page.evaluate((a) => window.bench.queue(a), args);
        const profiler = profile ? await startProfile(context, page) : undefined;
        result = { queueMs, ...(await page.evaluate(() => window.bench.drain())) };
        await profiler?.stop(`outbox-drain-${n}`);
        profile = false;
      } else {
        result = await page.evaluate((a) => window.bench.fetchLoop(a), args);
      }
      const stored = await server.call('count', { id });
      if (stored !== n) throw new Error(`${subject}: the server logged ${stored} of ${n} events`);
      return result;
    };
    // Warm-up (JIT, connections, the first IndexedDB database), not counted.
    const warm = { ...plan, outboxEvents: Math.min(50, n) };
    for (const subject of ['outbox', 'fetch']) {
      const id = await server.call('programme', { id: programmeId('bench-warm') });
      const a = { programmeId: id, n: warm.outboxEvents, values: VALUES, dbName: `bench-${randomUUID()}` };
      await page.evaluate(([s, x]) => (s === 'outbox' ? window.bench.outbox(x) : window.bench.fetchLoop(x)), [subject, a]);
    }
    const samples = [];
    for (let i = 0; i < plan.outboxSamples; i += 1) {
      const order = i % 2 === 0 ? ['outbox', 'fetch'] : ['fetch', 'outbox'];
      const sample = {};
      for (const subject of order) sample[subject] = await runOne(subject);
      sample.ratio = sample.outbox.drainMs / sample.fetch.drainMs;
      samples.push(sample);
      log(
        `outbox: sample ${i + 1}: queue ${secs(sample.outbox.queueMs)}, drain ${secs(sample.outbox.drainMs)} vs fetch loop ${secs(sample.fetch.drainMs)} → ${fmt(sample.ratio, 2)}×`,
      );
    }
    if (pageErrors.length) log(`outbox: page errors: ${pageErrors.join('; ')}`);
    return { n, samples };
  } finally {
    await context?.close().catch(() => undefined);
    await server.close();
    rmSync(pageDir, { recursive: true, force: true });
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

/** A V8 CPU profile of the page (BENCH_PROFILE=1), written to PROFILE_DIR. */
async function startProfile(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await cdp.send('Profiler.stop');
      const dir = PROFILE_DIR;
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name}-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      log(`outbox: CPU profile of the page written to ${file}`);
      await cdp.detach();
    },
  };
}

function outboxRows(result, plan) {
  if (result.skipped) {
    return [
      {
        section: 'Outbox',
        measure: `drain ${fmt(plan.outboxEvents)} queued submissions ÷ plain fetch loop`,
        ours: 'skipped',
        anchor: 'skipped',
        ratio: null,
        goal: '≤ 2×',
        met: null,
        note: result.skipped,
      },
    ];
  }
  const { n, samples } = result;
  const drain = median(samples.map((s) => s.outbox.drainMs));
  const loop = median(samples.map((s) => s.fetch.drainMs));
  const ratio = median(samples.map((s) => s.ratio));
  const queue = median(samples.map((s) => s.outbox.queueMs));
  const conflicts = samples.reduce((k, s) => k + s.outbox.conflicts, 0);
  const failures = samples.reduce((k, s) => k + s.fetch.failures, 0);
  const met = ratio <= 2 && conflicts === 0;
  const ratios = samples.map((s) => `${fmt(s.ratio, 2)}×`).join(', ');
  const miss = met ? '' : ` Missed by ${fmt(ratio - 2, 2)}× (${fmt(((ratio - 2) / 2) * 100)}% over the goal). See bench/SERVER.md for why and the fix.`;
  return [
    {
      section: 'Outbox',
      measure: `drain ${fmt(n)} queued submissions to the reference server (PGlite) ÷ plain fetch loop`,
      ours: `${secs(drain)} (${ms(drain / n)}/event)`,
      anchor: `${secs(loop)} (${ms(loop / n)}/event)`,
      ratio,
      goal: '≤ 2×',
      met,
      note:
        `Headless Chromium, IndexedDB on disk, page served by the reference server (same origin); median ratio of ${samples.length} interleaved sample(s) (${ratios}), fresh programme each. ` +
        `The store sends one at a time under its Web Lock and commits each answer to IndexedDB before the next; the anchor awaits each answer too. ` +
        `Rate limit raised for the bench. Conflicts: ${conflicts}; fetch-loop failures: ${failures}.${miss}`,
    },
    {
      section: 'Outbox',
      measure: `queue ${fmt(n)} submissions offline (store.append, one after another)`,
      ours: `${secs(queue)} (${ms(queue / n)}/event)`,
      anchor: '—',
      ratio: null,
      goal: '—',
      met: null,
      note: 'Not part of the goal: each append is checked by the machine and committed to IndexedDB before it resolves.',
    },
  ];
}

// ── Entry points ────────────────────────────────────────────────────────────────────────────

/**
 * Runs points 4 and 5 of issue 9; the rows for bench/run.mjs's table. `options.only`: a subset
 * of ['outbox', 'ingest'] (default both).
 */
export async function run(options = { quick: false }) {
  const plan = { ...(options.quick ? PLAN.quick : PLAN.full) };
  // BENCH_OUTBOX_N overrides the number of queued submissions (e.g. to profile 1,000 with --quick).
  if (Number(process.env.BENCH_OUTBOX_N) > 0) plan.outboxEvents = Number(process.env.BENCH_OUTBOX_N);
  const rows = [];
  // options.only (from bench/run.mjs --only) or BENCH_ONLY=outbox|ingest runs one half.
  const only = Array.isArray(options.only) && options.only.length > 0 ? options.only : process.env.BENCH_ONLY ? [process.env.BENCH_ONLY] : ['outbox', 'ingest'];
  if (only.includes('outbox')) rows.push(...outboxRows(await outbox(plan), plan));
  if (!only.includes('ingest')) return rows;
  rows.push(...ingestRows(await ingest('pglite', plan), plan));
  if (process.env.DATABASE_URL) {
    rows.push(...ingestRows(await ingest('postgres', plan), plan));
  } else {
    rows.push({
      section: 'Server ingest',
      measure: 'PostgreSQL: events/s',
      ours: 'skipped',
      anchor: '—',
      ratio: null,
      goal: '≥ 1,000 events/s',
      met: null,
      note: 'DATABASE_URL is not set.',
    });
  }
  return rows;
}

function cell(value) {
  return String(value ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Rows as a markdown table (for running this file alone). */
export function markdown(rows) {
  const head = ['section', 'measure', 'ours', 'anchor', 'ratio', 'goal', 'met', 'note'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) {
    const met = r.met === null ? '—' : r.met ? 'yes' : 'no';
    const ratio = r.ratio === null ? '—' : `${fmt(r.ratio, 2)}×`;
    lines.push(`| ${[r.section, r.measure, r.ours, r.anchor, ratio, r.goal, met, r.note].map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--serve')) {
    serve().catch((error) => {
      console.error(error);
      process.exit(1);
    });
  } else {
    run({ quick: process.argv.includes('--quick') })
      .then((rows) => console.log(markdown(rows)))
      .catch((error) => {
        console.error(error);
        process.exitCode = 1;
      });
  }
}
