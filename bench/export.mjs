// Section "export" of `npm run bench`: an export of 100,000 measures (issue 20, "an export over a
// very large period streams: no memory blow-up"), as CSV and as XLSX, through the real route
// (`GET …/reports/measures.{csv,xlsx}` over loopback HTTP, an admin token, the server in this
// process, PGlite).
//
//   node bench/export.mjs [--quick]     prints its rows as a markdown table
//   import { run } from './export.mjs'  → rows for bench/run.mjs (section "export")
//
// The programme is seeded by direct SQL (bench/lib/log-seed.mjs) with 10,000 topics, each the
// contract's story of 加装电梯 up to the adopted measure, its meeting record carrying 10 measures
// (checked by a replay first). Per format: time to the last byte, bytes, and memory — the peak
// RSS and heap sampled every 10 ms during the export, minus what they were just before it — and
// the peak growth ÷ the stored log's size (what the export would cost if it were held in memory
// as one string is at least the file's size).
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { setInterval, clearInterval } from 'node:timers';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { int, kib, ms, renderTable, row } from './lib/table.mjs';
import { contractStory, insertLog, logColumns, pushEntry } from './lib/log-seed.mjs';

/** Node's own fetch and structuredClone. */
const { fetch, structuredClone } = globalThis;
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const CONFIG_TEXT = readFileSync(join(ROOT, 'examples/configs/wuxi-community.json'), 'utf8');
const SERVER_DIST = join(ROOT, 'packages/server/dist');
const SECTION = 'Export';
const PER_TOPIC = 10;
const PLAN = { full: { measures: 100_000 }, quick: { measures: Number(process.env.BENCH_EXPORT_MEASURES) || 20_000 } };
const TOKEN = 'bench-export-admin-token-aaaaaaaaaaaa';
const log = (m) => process.env.BENCH_QUIET !== '1' && process.stderr.write(`bench/export: ${m}\n`);
const MiB = 2 ** 20;
const mib = (bytes) => `${(bytes / MiB).toFixed(1)} MiB`;

/** One topic's stored entries: the story to the adopted measure, its record with PER_TOPIC measures. */
function template(machine, config) {
  const { main } = contractStory();
  const upto = main.findIndex((v) => v.key === 'measureAdopt');
  const entries = main.slice(0, upto + 1).map((v, i) => {
    const event = structuredClone(v.body.event);
    if (event.type === 'meeting.record') {
      const [first, second] = event.measures;
      const extra = Array.from({ length: PER_TOPIC - 2 }, (_, k) => ({ ...first, id: `extra-${k}`, text: `${first.text}（第${k + 1}项，"分期"）`, due: `2026-0${4 + (k % 6)}-15` }));
      event.measures = [first, second, ...extra];
    }
    return { id: `x${i}`, topicId: 'x', seq: i + 1, event, by: v.body.by, at: v.body.at };
  });
  const { topics, refused } = machine.replay(config, entries);
  if (refused.length) throw new Error(`the template is refused at ${refused[0].eventType}: ${refused[0].message}`);
  const measures = topics.get('x').context.measures.length;
  if (measures !== PER_TOPIC) throw new Error(`the template has ${measures} measures, not ${PER_TOPIC}`);
  return entries.map((e) => machine.redactEntry(config, e).entry);
}

async function measure(plan) {
  const server = await import(pathToFileURL(join(SERVER_DIST, 'index.js')).href);
  const machine = await import('@consult-kit/machine');
  const db = await server.openPglite({});
  let app;
  try {
    await server.migrate(db);
    const config = JSON.parse(CONFIG_TEXT);
    config.id = 'bench-export';
    const stored = await server.upsertProgramme(db, JSON.stringify(config));
    if (!stored.ok) throw new Error(JSON.stringify(stored.errors));
    const entries = template(machine, machine.parseWorkflowConfig(config).config);
    const topics = Math.ceil(plan.measures / PER_TOPIC);
    log(`seeding ${int(topics)} topics, ${int(topics * entries.length)} entries`);
    let seq = 0;
    let logBytes = 0;
    for (let start = 0; start < topics; start += 2_000) {
      const cols = logColumns();
      for (let t = start; t < Math.min(topics, start + 2_000); t += 1) {
        for (const e of entries) {
          seq += 1;
          pushEntry(cols, seq, `e-${seq}`, `t-${t}`, e);
        }
      }
      logBytes += [...cols.event, ...cols.by].reduce((n, s) => n + Buffer.byteLength(s), 0);
      await insertLog(db, 'bench-export', cols);
    }
    await db.query('update programme set last_seq = $2, redacted_etag = etag where id = $1', ['bench-export', seq]);
    app = await server.buildApp(db, {
      ...server.DEFAULTS,
      tokens: server.parseTokens({ [TOKEN]: { id: 'a-bench', role: 'admin', name: 'bench' } }, 'bench tokens'),
      corsOrigins: [],
      rateLimit: { max: 1_000_000_000, windowMs: 60_000 },
      logLevel: false,
      trustProxy: false,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = (format) => `http://127.0.0.1:${app.server.address().port}/api/programmes/bench-export/reports/measures.${format}`;
    const results = {};
    for (const format of ['csv', 'xlsx']) {
      globalThis.gc?.();
      const before = process.memoryUsage();
      let peak = { rss: before.rss, heapUsed: before.heapUsed };
      const timer = setInterval(() => {
        const m = process.memoryUsage();
        peak = { rss: Math.max(peak.rss, m.rss), heapUsed: Math.max(peak.heapUsed, m.heapUsed) };
      }, 10);
      const t0 = performance.now();
      const res = await fetch(url(format), { headers: { authorization: `Bearer ${TOKEN}` } });
      if (res.status !== 200) throw new Error(`${format}: ${res.status} ${await res.text()}`);
      let bytes = 0;
      let rows = 0;
      for await (const chunk of res.body) {
        bytes += chunk.byteLength;
        if (format === 'csv') for (const b of chunk) if (b === 10) rows += 1;
      }
      const took = performance.now() - t0;
      clearInterval(timer);
      if (format === 'csv' && rows !== plan.measures + 1) throw new Error(`the CSV has ${rows - 1} rows, not ${plan.measures}`);
      results[format] = { took, bytes, rss: peak.rss - before.rss, heap: peak.heapUsed - before.heapUsed };
      log(`${format}: ${ms(took)}, ${kib(bytes)}, +${mib(results[format].rss)} RSS`);
    }
    return { plan, logBytes, results };
  } finally {
    await app?.close();
    await db.close();
  }
}

function rowsOf({ plan, logBytes, results }) {
  return ['csv', 'xlsx'].map((format) => {
    const r = results[format];
    return row({
      section: SECTION,
      measure: `measures.${format}: ${int(plan.measures)} measures, peak memory growth ÷ the stored log`,
      ours: `${ms(r.took)}, ${mib(r.bytes)}, +${mib(r.rss)} RSS, +${mib(r.heap)} heap`,
      anchor: `log ${mib(logBytes)}`,
      ratio: Math.max(r.rss, r.heap) / logBytes,
      goal: '',
      met: null,
      note: `PGlite in process; the route reads and replays the whole log (entries and snapshots in memory: that is most of the growth), then streams the file (CSV in 64 KiB chunks, XLSX rows committed one by one). File ÷ log: ${(r.bytes / logBytes).toFixed(2)}×.`,
    });
  });
}

/** The rows for bench/run.mjs. */
export async function run(options = { quick: false }) {
  return rowsOf(await measure(options.quick ? PLAN.quick : PLAN.full));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  console.log(renderTable(await run({ quick: values.quick })));
}
