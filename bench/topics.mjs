// Section 6 of `npm run bench`: pull only what is shown (issue 15, point 3), on PGlite and on
// PostgreSQL (a throw-away cluster, bench/lib/postgres.mjs; DATABASE_URL when given).
//
//   node bench/topics.mjs [--quick]     prints its rows as a markdown table
//   import { run } from './topics.mjs'  → rows for bench/run.mjs (section "topics")
//
// - A resident opening their topic: the per-topic pull (`GET …/topics/{topicId}/events`, over
//   loopback HTTP, no token: the redacted log), JSON parse, the machine's replay of those
//   entries and the timeline the page renders (`selectTimeline`), in a 200,000-topic programme
//   ÷ in a 10-topic programme. Node stands in for the phone: the same code the elements run.
// - The index: a filtered page (`GET …/topics?status=handling&level=community`, 20 topics and the
//   total) at 200,000 topics ÷ at 1,000 topics; and a page deep in the list (by cursor) ÷ page 1.
//
// The programmes are seeded by direct SQL inserts of valid logs (prefixes of the contract's story
// of 加装电梯, each a different lifecycle state, checked by a replay first), stored redacted as the
// server stores them; then the index is built by the server's own catch-up (timed, reported).
// The server runs in this process (one request at a time, so there is no contention to share).
// Samples interleave small and large; medians; ratios only.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, row, atMost, ms, int, kib } from './lib/table.mjs';
import { onBothDatabases } from './lib/postgres.mjs';
import { contractStory, insertLog, logColumns, pushEntry } from './lib/log-seed.mjs';

/** Node's own fetch (undici), to the server on loopback. */
const { fetch } = globalThis;
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const CONFIG_TEXT = readFileSync(join(ROOT, 'examples/configs/wuxi-community.json'), 'utf8');
const SERVER_DIST = join(ROOT, 'packages/server/dist');

const PLAN = {
  full: { big: 200_000, index: 1_000, open: 10, samples: 31, warmup: 5 },
  quick: { big: Number(process.env.BENCH_TOPICS_BIG) || 20_000, index: 1_000, open: 10, samples: 7, warmup: 2 },
};

/** How many topics of each template, out of 20 (a programme's mix of states). */
const MIX = [
  ['screening', 5],
  ['rejected', 2],
  ['research', 2],
  ['meeting', 2],
  ['handling', 4],
  ['evaluation', 2],
  ['closed', 3],
];

const log = (m) => process.env.BENCH_QUIET !== '1' && process.stderr.write(`bench/topics: ${m}\n`);

/** The contract's story of one topic (docs/api/openapi.yaml), main line and the rejection. */
function story() {
  const { values, main } = contractStory();
  const reject = values.find((v) => v.key === 'screeningReject')?.body;
  return { main: main.map((v) => v.body), reject };
}

/**
 * Template logs, one per state of MIX: the longest prefix of the story that ends in that state
 * (`rejected`: submit + reject). Each is replayed by the machine; a template it refuses throws.
 */
function templates(machine, config) {
  const { main, reject } = story();
  const byState = new Map();
  for (let n = 1; n <= main.length; n += 1) {
    const entries = main.slice(0, n).map((b, i) => ({ id: `x${i}`, topicId: 'x', seq: i + 1, event: b.event, by: b.by, at: b.at }));
    const { topics, refused } = machine.replay(config, entries);
    if (refused.length) throw new Error(`the story is refused at ${refused[0].eventType}: ${refused[0].message}`);
    const status = machine.stateName(topics.get('x')).split('.')[0];
    byState.set(status, entries);
  }
  if (reject) {
    const entries = [main[0], reject].map((b, i) => ({ id: `x${i}`, topicId: 'x', seq: i + 1, event: b.event, by: b.by, at: b.at }));
    if (machine.replay(config, entries).refused.length === 0) byState.set('rejected', entries);
  }
  const out = [];
  for (const [state, count] of MIX) {
    const entries = byState.get(state);
    if (!entries) throw new Error(`no template for ${state} (states: ${[...byState.keys()].join(', ')})`);
    // Stored as the server stores them: redacted, with the pointers of what was taken out.
    const stored = entries.map((e) => machine.redactEntry(config, e).entry);
    for (let i = 0; i < count; i += 1) out.push({ state, entries: stored });
  }
  return out;
}

/** Seeds a programme of `n` topics by direct inserts; resolves with the number of entries. */
async function seed(db, programmeId, n, mix) {
  const BATCH = 2_000;
  const first = mix.findIndex((t) => t.state === 'closed');
  let seq = 0;
  for (let start = 0; start < n; start += BATCH) {
    const cols = logColumns();
    for (let i = start; i < Math.min(n, start + BATCH); i += 1) {
      // Topic 0 is closed (so a programme of 10 has one to open); the mix repeats every 20.
      const template = mix[(i + first) % mix.length];
      for (const e of template.entries) {
        seq += 1;
        pushEntry(cols, seq, `${programmeId}-${i}-${cols.seq.length + 1}`, `t-${i}`, e);
      }
    }
    await insertLog(db, programmeId, cols);
  }
  await db.query('update programme set last_seq = $2, redacted_etag = etag where id = $1', [programmeId, seq]);
  return seq;
}

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** One database kind: seed, build the index, serve, sample. */
async function measure(kind, plan, url) {
  const server = await import(pathToFileURL(join(SERVER_DIST, 'index.js')).href);
  const { catchUpIndex } = await import(pathToFileURL(join(SERVER_DIST, 'topic-index.js')).href);
  const machine = await import('@consult-kit/machine');
  const schema = kind === 'postgres' ? `ck_bench_topics_${process.pid}` : undefined;
  const db = kind === 'postgres' ? await server.openPostgres({ connectionString: url, schema }) : await server.openPglite({});
  let app;
  try {
    await server.migrate(db);
    const ids = { open: 'bench-open-10', index: 'bench-index-1k', big: 'bench-big' };
    for (const id of Object.values(ids)) {
      const config = JSON.parse(CONFIG_TEXT);
      config.id = id;
      const result = await server.upsertProgramme(db, JSON.stringify(config));
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
    }
    const config = machine.parseWorkflowConfig(JSON.parse(CONFIG_TEXT)).config;
    const mix = templates(machine, config);
    const sizes = { open: plan.open, index: plan.index, big: plan.big };
    const entries = {};
    for (const [key, id] of Object.entries(ids)) {
      log(`${kind}: seeding ${id} (${int(sizes[key])} topics)`);
      entries[key] = (await timed(() => seed(db, id, sizes[key], mix))).value;
    }
    log(`${kind}: building the index of ${int(plan.big)} topics from the log`);
    const build = await timed(() => catchUpIndex(db, ids.big, { chunk: 20_000 }));
    await catchUpIndex(db, ids.index);
    await catchUpIndex(db, ids.open);
    if (kind === 'postgres') await db.query('analyze');

    // BENCH_TOPICS_EXPLAIN=1 also logs every statement of a request that takes over 20 ms.
    const served =
      process.env.BENCH_TOPICS_EXPLAIN === '1'
        ? {
            ...db,
            kind: db.kind,
            exec: db.exec.bind(db),
            close: db.close.bind(db),
            transaction: db.transaction.bind(db),
            async query(sql, params) {
              const t0 = performance.now();
              const rows = await db.query(sql, params);
              const took = performance.now() - t0;
              if (took > 20) log(`${kind}: ${ms(took)} ${sql.replace(/\s+/g, ' ').slice(0, 160)} ${JSON.stringify(params).slice(0, 120)}`);
              return rows;
            },
          }
        : db;
    app = await server.buildApp(served, {
      ...server.DEFAULTS,
      tokens: server.parseTokens({}, 'bench tokens'),
      corsOrigins: [],
      rateLimit: { max: 1_000_000_000, windowMs: 60_000 },
      logLevel: false,
      trustProxy: false,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${app.server.address().port}/api/programmes`;

    // The resident's topic: a closed one (the longest log of the mix), a different one each time.
    const closedRun = mix.filter((t) => t.state === 'closed').length;
    const closedTopic = (n, k) => `t-${mix.length * ((k * 7919) % (Math.floor((n - 1) / mix.length) + 1)) + (k % closedRun)}`;
    const now = new Date().toISOString();
    const open = async (id, n, k) => {
      const topicId = closedTopic(n, k);
      const t0 = performance.now();
      const res = await fetch(`${base}/${id}/topics/${topicId}/events`);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`per-topic pull ${res.status}: ${text.slice(0, 200)}`);
      const page = JSON.parse(text);
      const { topics } = machine.replay(config, page.entries);
      const timeline = machine.selectTimeline(topics.get(topicId), page.entries, now);
      if (timeline.current !== 'closed') throw new Error(`the topic replayed to ${timeline.current}`);
      return { ms: performance.now() - t0, bytes: Buffer.byteLength(text), entries: page.entries.length };
    };
    const FILTER = 'status=handling&level=community&limit=20';
    const index = async (id, cursor) => {
      const t0 = performance.now();
      const res = await fetch(`${base}/${id}/topics?${FILTER}${cursor ? `&cursor=${cursor}` : ''}`);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`index ${res.status}: ${text.slice(0, 200)}`);
      const body = JSON.parse(text);
      if (body.items.length !== 20) throw new Error(`index page of ${body.items.length}`);
      return { ms: performance.now() - t0, bytes: Buffer.byteLength(text), total: body.total, cursor: body.cursor };
    };
    // A cursor deep in the big programme's filtered list: the page after the topic half-way down.
    const deepSeq = await db.query(
      `select submitted_seq from topic_index where programme_id = $1 and status = 'handling' and level = 'community' order by submitted_seq desc offset $2 limit 1`,
      [ids.big, Math.floor((plan.big * 4) / 20 / 2)],
    );
    const deepCursor = Buffer.from(`s${deepSeq[0].submitted_seq}`, 'utf8').toString('base64url');

    // BENCH_TOPICS_EXPLAIN=1: the plans of the big programme's first and deep page, on stderr.
    if (process.env.BENCH_TOPICS_EXPLAIN === '1') {
      const sql = (extra) =>
        `explain analyze select summary, submitted_seq from topic_index where programme_id = $1 and status = $2 and level = $3 ${extra} order by submitted_seq desc limit 21`;
      for (const [name, extra, params] of [
        ['first page', '', []],
        ['deep page', 'and submitted_seq < $4', [deepSeq[0].submitted_seq]],
      ]) {
        const plan = await db.query(sql(extra), [ids.big, 'handling', 'community', ...params]);
        log(`${kind} ${name}:\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`);
      }
    }
    for (let k = 0; k < plan.warmup; k += 1) {
      await open(ids.open, plan.open, k);
      await open(ids.big, plan.big, k);
      await index(ids.index);
      await index(ids.big);
      await index(ids.big, deepCursor);
    }
    const s = { openSmall: [], openBig: [], indexSmall: [], indexBig: [], indexDeep: [] };
    let last = {};
    for (let k = 0; k < plan.samples; k += 1) {
      const order = k % 2 === 0;
      const a = order ? await open(ids.open, plan.open, k) : undefined;
      const b = await open(ids.big, plan.big, k);
      const a2 = a ?? (await open(ids.open, plan.open, k));
      s.openSmall.push(a2.ms);
      s.openBig.push(b.ms);
      const i1 = order ? await index(ids.index) : undefined;
      const i2 = await index(ids.big);
      const i3 = await index(ids.big, deepCursor);
      const i1b = i1 ?? (await index(ids.index));
      s.indexSmall.push(i1b.ms);
      s.indexBig.push(i2.ms);
      s.indexDeep.push(i3.ms);
      last = { a: a2, b, i1: i1b, i2, i3 };
    }
    const version = kind === 'postgres' ? (await db.query('select version() as v'))[0].v.split(' ').slice(0, 2).join(' ') : 'PGlite';
    return { kind, version, plan, s, last, build, entries };
  } finally {
    await app?.close();
    if (schema) await db.exec(`drop schema ${schema} cascade`).catch(() => undefined);
    await db.close();
  }
}

function rowsOf(result) {
  const { kind, version, plan, s, last, build, entries } = result;
  const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
  const section = 'Topics: pull only what is shown';
  const open = median(s.openBig) / median(s.openSmall);
  const idx = median(s.indexBig) / median(s.indexSmall);
  const deep = median(s.indexDeep) / median(s.indexBig);
  const openGoal = atMost(open, 2, '≤ 2×');
  const idxGoal = atMost(idx, 3, '≤ 3×');
  const deepGoal = atMost(deep, 2, '≤ 2×');
  const samples = `median of ${plan.samples} interleaved samples after ${plan.warmup} warm-up rounds`;
  return [
    row({
      section,
      measure: `${label}: a resident opening their topic (per-topic pull + replay + timeline), ${int(plan.big)}-topic ÷ ${int(plan.open)}-topic programme`,
      ours: `${ms(median(s.openBig))} (${kib(last.b.bytes)}, ${last.b.entries} entries)`,
      anchor: `${ms(median(s.openSmall))} (${kib(last.a.bytes)}, ${last.a.entries} entries)`,
      ratio: open,
      ...openGoal,
      note: `${version}; loopback HTTP without a token (the redacted log), a closed topic's ${last.b.entries} entries, a different topic each sample; ${samples}. Bytes are the same at both sizes: the pull reads the topic's own rows by the (programme, topic, seq) index. ${openGoal.miss}`.trim(),
    }),
    row({
      section,
      measure: `${label}: index filtered page (status=handling&level=community, 20 topics + total), ${int(plan.big)} ÷ ${int(plan.index)} topics`,
      ours: `${ms(median(s.indexBig))} (${kib(last.i2.bytes)}, total ${int(last.i2.total)})`,
      anchor: `${ms(median(s.indexSmall))} (${kib(last.i1.bytes)}, total ${int(last.i1.total)})`,
      ratio: idx,
      ...idxGoal,
      note: `${version}; each read first checks the watermark (one row: nothing to catch up), then one index seek for the page and a sum over the bucket counts for the total; ${samples}. ${idxGoal.miss}`.trim(),
    }),
    row({
      section,
      measure: `${label}: index page deep in the list (cursor half-way down) ÷ page 1, at ${int(plan.big)} topics`,
      ours: ms(median(s.indexDeep)),
      anchor: ms(median(s.indexBig)),
      ratio: deep,
      ...deepGoal,
      note: `Keyset pages: a cursor is the last topic's submission seq, so page N is the same index seek as page 1 (no OFFSET). ${deepGoal.miss}`.trim(),
    }),
    row({
      section,
      measure: `${label}: building the index from the log (${int(plan.big)} topics, ${int(entries.big)} entries)`,
      ours: `${(build.ms / 1000).toFixed(1)} s`,
      anchor: '—',
      ratio: null,
      goal: '—',
      met: null,
      note: `Once, from nothing (a new server, a new config): the server's own catch-up, 20,000 entries per transaction, ${int((entries.big / build.ms) * 1000)} entries/s. Later reads catch up only what was appended since.`,
    }),
  ];
}

/** The rows for bench/run.mjs. */
export async function run(options = { quick: false }) {
  const plan = options.quick ? PLAN.quick : PLAN.full;
  // BENCH_TOPICS_DB=pglite: PGlite only (a quicker look at one database).
  const labels = { section: 'Topics: pull only what is shown', what: 'per-topic pull and index page', pgliteOnly: process.env.BENCH_TOPICS_DB === 'pglite', log };
  return onBothDatabases(labels, async (kind, url) => rowsOf(await measure(kind, plan, url)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { renderTable } = await import('./lib/table.mjs');
  const rows = await run({ quick: process.argv.includes('--quick') });
  console.log(renderTable(rows));
  process.exit(0);
}
