// Section `scale` of `npm run bench` (issue 21): PostgreSQL ingest with 1, 2 and 4 server
// processes (the real command, packages/server/dist/cli.js) on one database, across 8 programmes.
// events/s for each, the ratio 2 processes ÷ 1 (goal ≥ 1.5× on these 2 cores, shared with
// PostgreSQL itself and the load generator), and the servers' CPU per event (goal ≤ 0.3 ms), read
// from each child's own process.cpuUsage() (a preloaded SIGUSR2 handler prints it) before and
// after the measured window. On DATABASE_URL, else a throw-away cluster (as root,
// bench/lib/postgres.mjs), each sample in a schema of its own, dropped; needs the built server.
// The rows say why when skipped.
//
//   node bench/scale.mjs [--quick]      prints the rows as JSON
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPostgres } from './lib/postgres.mjs';
import { median, row } from './lib/table.mjs';
import { VALUES } from './lib/resident-values.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'packages/server/dist/cli.js');
const CONFIG = join(ROOT, 'examples/configs/wuxi-community.json');
const PROGRAMMES = Array.from({ length: 8 }, (_, i) => `bench-scale-${i + 1}`);
const PROCESS_COUNTS = [1, 2, 4];
const SECTION = 'Scale-out';
const PLAN = { full: { events: 3000, warmup: 200, samples: 3, concurrency: 32 }, quick: { events: 800, warmup: 100, samples: 1, concurrency: 32 } };
// Each child prints its own CPU time when asked (SIGUSR2): user + system µs since it started.
const CPU_REPORT = `data:text/javascript,${encodeURIComponent('process.on("SIGUSR2",()=>{const c=process.cpuUsage();process.stderr.write("bench-cpu "+(c.user+c.system)+"\\n")})')}`;

/** Node's own fetch (undici), to the servers on loopback. */
const { fetch } = globalThis;
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const log = (msg) => console.error(`bench scale: ${msg}`);

/** A submission for a new topic, as a resident's form sends it (no token). */
function submission() {
  const id = `e-${randomUUID()}`;
  return {
    id,
    topicId: `t-${randomUUID()}`,
    // The contract's own example (docs/api/openapi.yaml, topicSubmit), personal values included.
    event: {
      type: 'topic.submit',
      source: 'resident',
      level: 'community',
      values: VALUES,
    },
    by: { role: 'resident', id: 'r-10086', name: '王秀英' },
    at: new Date().toISOString(),
  };
}

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** One child: the command on the schema, with its CPU reporter. */
function startChild(url, seedDir) {
  const child = spawn(process.execPath, ['--import', CPU_REPORT, CLI, '--port', '0', '--host', '127.0.0.1', '--seed', seedDir, '--log-level', 'warn', '--rate-limit', '1000000', '--resident-writes', '1000000', '--resident-address-writes', '1000000'], {
    env: { ...process.env, DATABASE_URL: url, CONSULT_TOKENS: '', CONSULT_TOKENS_FILE: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const cpuWaiters = [];
  const onData = (chunk) => {
    out += chunk.toString();
    for (let match; (match = /bench-cpu (\d+)\n/.exec(out)); ) {
      out = out.replace(match[0], '');
      cpuWaiters.shift()?.(Number(match[1]) / 1000);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /server on (http:\/\/[^/\s]+)\//.exec(out);
      if (match) {
        clearInterval(timer);
        resolve(match[1]);
      }
    }, 20);
    exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`the server exited (${code}):\n${out}`));
    });
  });
  base.catch(() => undefined);
  return {
    base,
    exited,
    /** CPU ms used so far, as the child reports it. */
    cpuMs: () => new Promise((resolve) => (cpuWaiters.push(resolve), child.kill('SIGUSR2'))),
    stop: () => (child.kill('SIGTERM'), exited),
  };
}

/** Sends `total` submissions, `concurrency` in flight, round-robin over processes and programmes. */
async function load(bases, total, concurrency) {
  let next = 0;
  let ok = 0;
  let errors = 0;
  let firstError;
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const body = submission();
      try {
        const res = await fetch(`${bases[i % bases.length]}/api/programmes/${PROGRAMMES[i % PROGRAMMES.length]}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': body.id },
          body: JSON.stringify(body),
        });
        const text = await res.text();
        if (res.status === 201) ok += 1;
        else {
          errors += 1;
          firstError ??= `${res.status} ${text.slice(0, 200)}`;
        }
      } catch (error) {
        errors += 1;
        firstError ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ok, errors, firstError };
}

/** One sample with `n` processes on a fresh schema. */
async function sample(n, plan, seedDir, databaseUrl) {
  const schema = `ck_bench_scale_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await withClient(databaseUrl, (c) => c.query(`create schema ${schema}`));
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const children = [];
  try {
    // The first migrates and seeds alone (start-up is not what is measured), then the others.
    children.push(startChild(url.toString(), seedDir));
    await children[0].base;
    for (let i = 1; i < n; i++) children.push(startChild(url.toString(), seedDir));
    const bases = await Promise.all(children.map((c) => c.base));
    const warm = await load(bases, plan.warmup, plan.concurrency);
    if (warm.errors) throw new Error(`the warm-up had ${warm.errors} error(s), first: ${warm.firstError}`);
    const cpuBefore = await Promise.all(children.map((c) => c.cpuMs()));
    const clientBefore = process.cpuUsage();
    const t0 = performance.now();
    const result = await load(bases, plan.events, plan.concurrency);
    const elapsedMs = performance.now() - t0;
    const client = process.cpuUsage(clientBefore);
    const cpuAfter = await Promise.all(children.map((c) => c.cpuMs()));
    const serverCpuMs = cpuAfter.reduce((sum, v, i) => sum + (v - cpuBefore[i]), 0);
    const [stored] = await withClient(url.toString(), async (c) => (await c.query('select count(*)::int as n from log_entry')).rows);
    return {
      ...result,
      perSecond: result.ok / (elapsedMs / 1000),
      cpuMsPerEvent: serverCpuMs / Math.max(1, result.ok),
      clientCpuMsPerEvent: (client.user + client.system) / 1000 / Math.max(1, result.ok),
      stored: stored.n - plan.warmup,
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await withClient(databaseUrl, (c) => c.query(`drop schema if exists ${schema} cascade`));
  }
}

/** The section's rows. */
export async function run(options = { quick: false }) {
  const plan = options.quick ? PLAN.quick : PLAN.full;
  const labels = PROCESS_COUNTS.map((n) => `PostgreSQL ingest, ${n} process${n > 1 ? 'es' : ''} × 8 programmes`);
  const skipped = (why) => [...labels, 'server CPU per event (PostgreSQL)'].map((measure) => row({ section: SECTION, measure, ours: 'skipped', note: why }));
  if (!existsSync(CLI)) return skipped(`the server is not built (${CLI}): npm run build`);
  // DATABASE_URL, else a throw-away cluster of the bench's own (as root; bench/lib/postgres.mjs).
  let databaseUrl = process.env.DATABASE_URL;
  let cluster;
  if (!databaseUrl) {
    cluster = await startPostgres();
    if (cluster.skipped) return skipped(`DATABASE_URL is not set, and no cluster of its own: ${cluster.skipped}`);
    databaseUrl = cluster.url;
  }
  const seedDir = mkdtempSync(join(tmpdir(), 'ck-bench-scale-'));
  try {
    const config = JSON.parse(readFileSync(CONFIG, 'utf8'));
    for (const id of PROGRAMMES) writeFileSync(join(seedDir, `${id}.json`), JSON.stringify({ ...config, id }, null, 2));
    const results = new Map();
    // Interleaved samples (1, 2, 4, 1, 2, 4, …) so the machine's noise spreads over all three.
    for (let s = 0; s < plan.samples; s++) {
      for (const n of PROCESS_COUNTS) {
        const r = await sample(n, plan, seedDir, databaseUrl);
        log(`${n} process(es): ${r.ok}/${plan.events} → ${fmt(r.perSecond)} events/s, server CPU ${fmt(r.cpuMsPerEvent, 3)} ms/event, client ${fmt(r.clientCpuMsPerEvent, 3)} ms/event, ${r.errors} errors`);
        results.set(n, [...(results.get(n) ?? []), r]);
      }
    }
    const rate = (n) => median(results.get(n).map((r) => r.perSecond));
    const cpu = (n) => median(results.get(n).map((r) => r.cpuMsPerEvent));
    const clientCpu = (n) => median(results.get(n).map((r) => r.clientCpuMsPerEvent));
    const trouble = (n) => {
      const errors = results.get(n).reduce((sum, r) => sum + r.errors, 0);
      const lost = results.get(n).reduce((sum, r) => sum + (r.ok - r.stored), 0);
      return `${errors} error(s)${errors ? ` (first: ${results.get(n).find((r) => r.firstError)?.firstError})` : ''}, ${lost} acknowledged missing from the log`;
    };
    const bounds = `median of ${plan.samples} sample(s) of ${fmt(plan.events)} new-topic submissions after ${plan.warmup} warm-up, ${plan.concurrency} in flight, round-robin over the processes and the 8 programmes; each sample on a fresh schema`;
    const one = rate(1);
    const rows = PROCESS_COUNTS.map((n) => {
      const ratio = rate(n) / one;
      return row({
        section: SECTION,
        measure: labels[PROCESS_COUNTS.indexOf(n)],
        ours: `${fmt(rate(n))} events/s`,
        anchor: n === 1 ? '—' : `1 process: ${fmt(one)} events/s`,
        ratio: n === 1 ? null : ratio,
        goal: n === 2 ? '≥ 1.5× of 1 process' : '',
        met: n === 2 ? ratio >= 1.5 : null,
        note: `${bounds}. Servers' CPU ${fmt(cpu(n), 3)} ms/event (sum of the children's process.cpuUsage() over the window), the load generator's ${fmt(clientCpu(n), 3)} ms/event, PostgreSQL's not counted; all on the same 2 cores. ${trouble(n)}.${n === 2 && ratio < 1.5 ? ` Missed by ${fmt(1.5 - ratio, 2)}×.` : ''}`,
      });
    });
    const best = Math.min(...PROCESS_COUNTS.map(cpu));
    rows.push(
      row({
        section: SECTION,
        measure: 'server CPU per event (PostgreSQL)',
        ours: `${fmt(cpu(1), 3)} ms (1 process); ${fmt(cpu(2), 3)} (2); ${fmt(cpu(4), 3)} (4)`,
        anchor: '0.53 ms in November',
        ratio: cpu(1) / 0.53,
        goal: '≤ 0.3 ms',
        met: cpu(1) <= 0.3,
        note: `User + system CPU of the server processes over the measured window ÷ events acknowledged; the lowest is ${fmt(best, 3)} ms. A 16-core host: docs/server.md "Deploying for a city", Sizing.${cpu(1) > 0.3 ? ` Missed by ${fmt(cpu(1) - 0.3, 3)} ms (${fmt(cpu(1) / 0.3, 1)}× the goal).` : ''}`,
      }),
    );
    return rows;
  } finally {
    rmSync(seedDir, { recursive: true, force: true });
    cluster?.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await run({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(rows, null, 2));
}
