/**
 * The topic index: one row per topic of a programme, built from the server's own replay of the
 * log, for `GET /programmes/{p}/topics` (the staff list on a large programme, the public
 * outcomes board, "my topics" on a second device).
 *
 * - Each row holds `summarizeTopic` of the topic (the machine's one pure mapping from a snapshot
 *   to its `TopicSummary`, which the outcomes board also uses without a server; no personal data).
 * - `catchUpIndex` brings the rows up to the log: it reads the entries after the programme's
 *   watermark (`topic_index_state.indexed_seq`), replays the topics they touch, upserts their rows
 *   and the bucket counts, and advances the watermark, a chunk of entries per transaction, under
 *   the watermark row's lock, so several server processes on one PostgreSQL stay correct (the
 *   second waits, then finds nothing left to do; in one process concurrent calls share one
 *   catch-up, which yields to the event loop every few ms and stops when every reader waiting for
 *   it has gone). Each topic replays with the config version it
 *   started under (config-versions.ts). A new latest config (another etag) rebuilds the index
 *   (a cheap safety: the rows come out the same, since running topics keep their versions).
 *   In the same transaction the clock's jobs of the written topics are synced with the machine's
 *   timers and the new entries' notices queued (notifications/jobs.ts), and each row's overdue
 *   mark (`overdue_since_ms`) is kept while its earliest open due date stays, else recomputed.
 * - `queryIndex` answers one filtered, keyset-paged read (newest topic first).
 */
import {
  openDueMs,
  searchText,
  summarizeTopic,
  withOverdue,
  type LogEntry,
  type TopicEventBody,
  type TopicSnapshot,
  type TopicSummary,
} from '@consult-kit/machine';
import { performance } from 'node:perf_hooks';
import type { Db, Queryable } from './db/db.js';
import { afterIndexWrite, clockNow, noticeWatermark } from './notifications/jobs.js';

export { categoryField, openDueMs, searchText, summarizeTopic, withOverdue, type MeasureSummary, type TopicSummary } from '@consult-kit/machine';
import { applyVersioned, loadTopicConfigs } from './config-versions.js';

/** One row of `topic_index`, before it is written. */
export interface IndexRow {
  topicId: string;
  status: string;
  state: string;
  level: string;
  source: string;
  category: string;
  /** The room the topic is in now ('' for none). */
  room: string;
  search: string;
  submittedSeq: number;
  lastSeq: number;
  openDueMs: number | null;
  summary: TopicSummary;
}

/** The index row of a topic (its summary stored without overdue flags: those depend on the request's time). */
export function indexRow(snapshot: TopicSnapshot, submittedSeq: number, lastSeq: number): IndexRow {
  const summary = summarizeTopic(snapshot, lastSeq, 0);
  return {
    topicId: summary.topicId,
    status: summary.status,
    state: summary.state,
    level: summary.level,
    source: summary.source,
    category: summary.category ?? '',
    room: summary.room ?? '',
    search: searchText(`${summary.title}\n${summary.description}`),
    submittedSeq,
    lastSeq,
    openDueMs: openDueMs(summary),
    summary,
  };
}

// ── Catching up with the log ───────────────────────────────────────────────────────────────

/** Entries replayed per transaction of a catch-up. */
export const CATCH_UP_CHUNK = 1_000;

interface EntryRow extends Record<string, unknown> {
  seq: number;
  id: string;
  topic_id: string;
  event: TopicEventBody;
  by_actor: LogEntry['by'];
  at: string;
  received: string | null;
}

function toEntry(row: EntryRow): LogEntry {
  const entry: LogEntry = { id: row.id, topicId: row.topic_id, seq: row.seq, event: row.event, by: row.by_actor, at: row.at };
  // When the server received it: the machine's time rules read it, so the index replays as the append did.
  if (typeof row.received === 'string') entry.receivedAt = row.received;
  return entry;
}

/** What a catch-up did. */
export interface CatchUp {
  /** The watermark after it: every entry up to this seq is in the index. */
  indexedSeq: number;
  /** Topics whose rows were written. */
  topics: number;
  /** Whether it started again from the first entry (new config, or an index never built). */
  rebuilt: boolean;
}

type BucketKey = string;
const bucketKey = (r: { status: string; level: string; source: string; category: string; room: string }): BucketKey =>
  JSON.stringify([r.status, r.level, r.source, r.category, r.room]);

/** The entries of these topics up to `upto`, in seq order. */
export async function topicEntries(tx: Queryable, programmeId: string, topicIds: string[], upto: number): Promise<LogEntry[]> {
  if (topicIds.length === 0) return [];
  const rows = await tx.query<EntryRow>(
    'select seq, id, topic_id, event, by_actor, at, received from log_entry where programme_id = $1 and topic_id = any($2) and seq <= $3 order by seq',
    [programmeId, topicIds, upto],
  );
  return rows.map(toEntry);
}

/**
 * Writes the rows of topics (replacing theirs) and moves the bucket counts with them; deletes
 * the rows of `gone` (topics whose log no longer replays under the config).
 */
async function writeRows(tx: Queryable, programmeId: string, rows: IndexRow[], gone: string[], nowMs: number): Promise<void> {
  const ids = [...rows.map((r) => r.topicId), ...gone];
  const old = await tx.query<{ status: string; level: string; source: string; category: string; room: string }>(
    'select status, level, source, category, room from topic_index where programme_id = $1 and topic_id = any($2)',
    [programmeId, ids],
  );
  const delta = new Map<BucketKey, number>();
  for (const r of old) delta.set(bucketKey(r), (delta.get(bucketKey(r)) ?? 0) - 1);
  for (const r of rows) delta.set(bucketKey(r), (delta.get(bucketKey(r)) ?? 0) + 1);
  if (gone.length > 0) await tx.query('delete from topic_index where programme_id = $1 and topic_id = any($2)', [programmeId, gone]);
  if (rows.length > 0) {
    await tx.query(
      // The overdue mark: kept while the earliest open due date stays (the clock set it); else
      // since that due date when the clock has passed it already, or none.
      `insert into topic_index (programme_id, topic_id, status, state, level, source, category, search, submitted_seq, last_seq, open_due_ms, summary, overdue_since_ms, room)
       select $1, v.topic_id, v.status, v.state, v.level, v.source, v.category, v.search, v.submitted_seq, v.last_seq, v.open_due_ms, v.summary::json,
         case when v.open_due_ms < $13 then v.open_due_ms end, v.room
       from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[], $12::text[], $14::text[])
         as v (topic_id, status, state, level, source, category, search, submitted_seq, last_seq, open_due_ms, summary, room)
       on conflict (programme_id, topic_id) do update set
         status = excluded.status, state = excluded.state, level = excluded.level, source = excluded.source,
         category = excluded.category, room = excluded.room, search = excluded.search, submitted_seq = excluded.submitted_seq,
         last_seq = excluded.last_seq, open_due_ms = excluded.open_due_ms, summary = excluded.summary,
         overdue_since_ms = case
           when topic_index.open_due_ms is not distinct from excluded.open_due_ms then coalesce(topic_index.overdue_since_ms, excluded.overdue_since_ms)
           else excluded.overdue_since_ms end`,
      [
        programmeId,
        rows.map((r) => r.topicId),
        rows.map((r) => r.status),
        rows.map((r) => r.state),
        rows.map((r) => r.level),
        rows.map((r) => r.source),
        rows.map((r) => r.category),
        rows.map((r) => r.search),
        rows.map((r) => r.submittedSeq),
        rows.map((r) => r.lastSeq),
        rows.map((r) => r.openDueMs),
        rows.map((r) => JSON.stringify(r.summary)),
        nowMs,
        rows.map((r) => r.room),
      ],
    );
  }
  const moved = [...delta].filter(([, n]) => n !== 0);
  if (moved.length > 0) {
    const keys = moved.map(([key]) => JSON.parse(key) as [string, string, string, string, string]);
    await tx.query(
      `insert into topic_index_count (programme_id, status, level, source, category, room, n)
       select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
       on conflict (programme_id, status, level, source, category, room) do update set n = topic_index_count.n + excluded.n`,
      [programmeId, keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2]), keys.map((k) => k[3]), keys.map((k) => k[4]), moved.map(([, n]) => n)],
    );
    await tx.query('delete from topic_index_count where programme_id = $1 and n = 0', [programmeId]);
  }
}

/** One transaction of a catch-up: at most `chunk` entries after the watermark. Null: no programme. */
async function catchUpChunk(db: Db, programmeId: string, chunk: number): Promise<{ done: boolean; indexedSeq: number; topics: number; rebuilt: boolean } | null> {
  return db.transaction(async (tx) => {
    await tx.query('insert into topic_index_state (programme_id) select id from programme where id = $1 on conflict (programme_id) do nothing', [programmeId]);
    const [state] = await tx.query<{ indexed_seq: number; config_etag: string | null }>(
      'select indexed_seq, config_etag from topic_index_state where programme_id = $1 for update',
      [programmeId],
    );
    if (!state) return null;
    const [programme] = await tx.query<{ etag: string; last_seq: number }>('select etag, last_seq from programme where id = $1', [programmeId]);
    if (!programme) return null;
    let from = state.indexed_seq;
    // The notice watermark, at first sight the highest seq already indexed (history tells nobody).
    const noticedSeq = await noticeWatermark(tx, programmeId, Math.min(from, programme.last_seq));
    let rebuilt = false;
    if (state.config_etag !== programme.etag || from > programme.last_seq) {
      await tx.query('delete from topic_index where programme_id = $1', [programmeId]);
      await tx.query('delete from topic_index_count where programme_id = $1', [programmeId]);
      from = 0;
      rebuilt = true;
    }
    const upto = Math.min(programme.last_seq, from + chunk);
    let topics = 0;
    if (upto > from) {
      const touched = await tx.query<{ topic_id: string }>('select distinct topic_id from log_entry where programme_id = $1 and seq > $2 and seq <= $3', [
        programmeId,
        from,
        upto,
      ]);
      const ids = touched.map((r) => r.topic_id);
      const entries = await topicEntries(tx, programmeId, ids, upto);
      // A merge names the topic it merges into, which must exist in the replay: bring its entries too.
      const own = new Set(ids);
      const into = [
        ...new Set(
          entries.flatMap((e) => (e.event.type === 'screening.merge' && !own.has(e.event.into) ? [e.event.into] : [])),
        ),
      ];
      const all = into.length > 0 ? [...entries, ...(await topicEntries(tx, programmeId, into, upto))] : entries;
      // Each topic replays with the config version it started under (config-versions.ts).
      const configs = (await loadTopicConfigs(tx, programmeId, [...ids, ...into]))!;
      // The replay, entry by entry (as the machine's replay does), keeping each new entry's topic
      // before and after it for the notices it causes.
      const snapshots = new Map<string, TopicSnapshot>();
      const changes: { before: TopicSnapshot | undefined; after: TopicSnapshot; entry: LogEntry }[] = [];
      let slice = performance.now();
      for (const entry of all.sort((a, b) => a.seq - b.seq)) {
        if (performance.now() - slice >= SLICE_MS) {
          await yieldToLoop();
          slice = performance.now();
        }
        const before = snapshots.get(entry.topicId);
        if (applyVersioned(configs, snapshots, entry)) continue;
        if (entry.seq > from && entry.seq > noticedSeq) changes.push({ before, after: snapshots.get(entry.topicId)!, entry });
      }
      const span = new Map<string, { first: number; last: number }>();
      for (const e of entries) {
        const s = span.get(e.topicId);
        if (!s) span.set(e.topicId, { first: e.seq, last: e.seq });
        else s.last = e.seq;
      }
      const rows: IndexRow[] = [];
      const gone: string[] = [];
      const written = new Map<string, TopicSnapshot>();
      for (const id of ids) {
        const snapshot = snapshots.get(id);
        const s = span.get(id);
        if (snapshot && s && snapshot.context.submittedAt) {
          rows.push(indexRow(snapshot, s.first, s.last));
          written.set(id, snapshot);
        } else gone.push(id);
      }
      const nowMs = clockNow(db);
      await writeRows(tx, programmeId, rows, gone, nowMs);
      await afterIndexWrite(tx, db, { programmeId, config: configs.latest.config, configs, snapshots: written, gone, changes, upto, nowMs });
      topics = rows.length;
    }
    await tx.query('update topic_index_state set indexed_seq = $2, config_etag = $3 where programme_id = $1', [programmeId, upto, programme.etag]);
    return { done: upto >= programme.last_seq, indexedSeq: upto, topics, rebuilt };
  });
}

/** The catch-ups running in this process, per database and programme (single flight). */
const running = new WeakMap<Db, Map<string, { promise: Promise<CatchUp | null>; waiters: Set<AbortSignal | null> }>>();

/**
 * Brings a programme's index up to its log (see the module's comment). Cheap when nothing is
 * new: one read of the programme's counter and the watermark, no lock. Null: no such programme.
 *
 * Single flight: concurrent calls in this process share one catch-up, then each reads the head
 * again (an append may have come after the shared one read it). A chunk is a transaction of at
 * most `chunk` entries, and its replay yields to the event loop every few ms (`SLICE_MS`), so a
 * large catch-up never blocks `/healthz` or appends for long. With `signal` (a read whose client
 * may go): when every caller waiting has gone, the catch-up stops after its current chunk (what it
 * wrote stands; the next call continues) and the call rejects with an `AbortError`.
 */
export async function catchUpIndex(db: Db, programmeId: string, options: { chunk?: number; signal?: AbortSignal } = {}): Promise<CatchUp | null> {
  let byProgramme = running.get(db);
  if (!byProgramme) running.set(db, (byProgramme = new Map()));
  for (;;) {
    if (options.signal?.aborted) throw abandoned();
    const [head] = await db.query<{ last_seq: number; etag: string; indexed_seq: number | null; config_etag: string | null }>(
      `select p.last_seq, p.etag, s.indexed_seq, s.config_etag
       from programme p left join topic_index_state s on s.programme_id = p.id where p.id = $1`,
      [programmeId],
    );
    if (!head) return null;
    if (Number(head.indexed_seq) === Number(head.last_seq) && head.config_etag === head.etag) return { indexedSeq: Number(head.last_seq), topics: 0, rebuilt: false };
    const flight = byProgramme.get(programmeId);
    const waiter = options.signal ?? null;
    if (flight) {
      flight.waiters.add(waiter);
      try {
        await flight.promise;
      } catch {
        // Its error is its caller's; this one reads the head again.
      } finally {
        flight.waiters.delete(waiter);
      }
      continue;
    }
    const waiters = new Set<AbortSignal | null>([waiter]);
    const wanted = () => [...waiters].some((w) => w === null || !w.aborted);
    const promise = runCatchUp(db, programmeId, options.chunk ?? CATCH_UP_CHUNK, wanted);
    byProgramme.set(programmeId, { promise, waiters });
    try {
      const result = await promise;
      if (options.signal?.aborted) throw abandoned();
      return result;
    } finally {
      if (byProgramme.get(programmeId)?.promise === promise) byProgramme.delete(programmeId);
    }
  }
}

function abandoned(): Error {
  const error = new Error('The client went away before the read was answered.');
  error.name = 'AbortError';
  return error;
}

/** How many catch-ups (and their chunks) this process ran on a database: what a test counts. */
export interface CatchUpCounts {
  runs: number;
  chunks: number;
  /** Catch-ups stopped because every caller waiting had gone. */
  abandoned: number;
}

const counts = new WeakMap<Db, CatchUpCounts>();

/** The catch-up counters of a database handle in this process. */
export function catchUpCounts(db: Db): CatchUpCounts {
  let c = counts.get(db);
  if (!c) counts.set(db, (c = { runs: 0, chunks: 0, abandoned: 0 }));
  return c;
}

/** The chunks of one catch-up, while someone wants it. */
async function runCatchUp(db: Db, programmeId: string, chunk: number, wanted: () => boolean): Promise<CatchUp | null> {
  const result: CatchUp = { indexedSeq: 0, topics: 0, rebuilt: false };
  const counted = catchUpCounts(db);
  counted.runs += 1;
  for (;;) {
    counted.chunks += 1;
    const step = await catchUpChunk(db, programmeId, chunk);
    if (!step) return null;
    result.indexedSeq = step.indexedSeq;
    result.topics += step.topics;
    result.rebuilt ||= step.rebuilt;
    if (step.done) break;
    if (!wanted()) {
      counted.abandoned += 1;
      break;
    }
    await yieldToLoop();
  }
  // After a big build the planner needs fresh statistics to pick the (programme, status,
  // submitted_seq) index for a filtered page; PGlite has no autovacuum to gather them.
  if (result.topics >= ANALYZE_AFTER) await db.exec('analyze topic_index');
  return result;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The longest a chunk's replay runs before it yields to the event loop. */
export const SLICE_MS = 4;

/** Topics written by one catch-up after which the index's statistics are gathered again. */
export const ANALYZE_AFTER = 10_000;

/** Drops a programme's index (rows, counts, watermark) and builds it again from the log. */
export async function rebuildIndex(db: Db, programmeId: string, options: { chunk?: number } = {}): Promise<CatchUp | null> {
  await db.transaction(async (tx) => {
    await tx.query('select 1 from topic_index_state where programme_id = $1 for update', [programmeId]);
    await tx.query('delete from topic_index where programme_id = $1', [programmeId]);
    await tx.query('delete from topic_index_count where programme_id = $1', [programmeId]);
    await tx.query('delete from topic_index_state where programme_id = $1', [programmeId]);
  });
  return catchUpIndex(db, programmeId, options);
}

// ── Reading a page ─────────────────────────────────────────────────────────────────────────

/** The filters of one read (already checked by the route). */
export interface IndexQuery {
  status?: string[];
  level?: string[];
  source?: string[];
  category?: string[];
  /** Rooms (`rooms.list[].id`) the topics are in now. */
  room?: string[];
  overdue?: boolean;
  /** Text to find in the title or description (normalised by `searchText` here). */
  q?: string;
  /** Only these topics (what a follow code resolved to). */
  topicIds?: string[];
  /** The submitted_seq of the last topic of the previous page (from the cursor). */
  before?: number;
  limit: number;
  /** Epoch ms the overdue flags and filter are computed at. */
  now: number;
}

/** One page of the index. */
export interface IndexPage {
  items: TopicSummary[];
  total: number;
  /** The submitted_seq to continue before (the last item's), or undefined for an empty page. */
  last?: number;
  more: boolean;
}

/** Reads one page (newest first) and the total for the filter. Call `catchUpIndex` first. */
export async function queryIndex(db: Queryable, programmeId: string, query: IndexQuery): Promise<IndexPage> {
  const params: unknown[] = [programmeId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = ['programme_id = $1'];
  const bucketWhere = ['programme_id = $1'];
  for (const column of ['status', 'level', 'source', 'category', 'room'] as const) {
    const values = query[column];
    if (!values) continue;
    // One value as `=`, so the planner walks the (programme, column, submitted_seq) index in order.
    const clause = values.length === 1 ? `${column} = ${param(values[0])}` : `${column} = any(${param(values)})`;
    where.push(clause);
    bucketWhere.push(clause);
  }
  let exactCount = false;
  if (query.overdue !== undefined) {
    const now = param(query.now);
    where.push(query.overdue ? `open_due_ms < ${now}` : `(open_due_ms is null or open_due_ms >= ${now})`);
    exactCount = true;
  }
  if (query.q !== undefined) {
    where.push(`strpos(search, ${param(searchText(query.q))}) > 0`);
    exactCount = true;
  }
  if (query.topicIds) {
    where.push(`topic_id = any(${param(query.topicIds)})`);
    exactCount = true;
  }
  const filterParams = params.length;
  const pageWhere = query.before !== undefined ? [...where, `submitted_seq < ${param(query.before)}`] : where;
  const rows = await db.query<{ summary: TopicSummary; submitted_seq: number }>(
    `select summary, submitted_seq from topic_index where ${pageWhere.join(' and ')} order by submitted_seq desc limit ${param(query.limit + 1)}`,
    params,
  );
  const countParams = params.slice(0, filterParams);
  const [count] = exactCount
    ? await db.query<{ n: number }>(`select count(*)::bigint as n from topic_index where ${where.join(' and ')}`, countParams)
    : await db.query<{ n: number }>(`select coalesce(sum(n), 0)::bigint as n from topic_index_count where ${bucketWhere.join(' and ')}`, countParams);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1)?.submitted_seq;
  return {
    items: page.map((r) => withOverdue(r.summary, query.now)),
    total: Number(count?.n ?? 0),
    ...(last !== undefined ? { last } : {}),
    more: rows.length > query.limit,
  };
}

// ── Catching up after appends ──────────────────────────────────────────────────────────────

/** Catch-ups waiting for the log to be quiet, per database and programme. */
const scheduled = new WeakMap<Db, Map<string, { timer: ReturnType<typeof setTimeout>; running?: Promise<unknown> }>>();

/** How long the log must be quiet before a catch-up runs after appends. */
export const AFTER_APPEND_DELAY_MS = 1_000;

/**
 * Catches the index up once appends to a programme have been quiet for `AFTER_APPEND_DELAY_MS`,
 * so the next read finds it current (reads catch up anyway: this only moves the work off them).
 * Never throws; the timer does not keep the process alive.
 */
export function scheduleCatchUp(db: Db, programmeId: string, onError: (error: unknown) => void = () => {}): void {
  let byProgramme = scheduled.get(db);
  if (!byProgramme) scheduled.set(db, (byProgramme = new Map()));
  const existing = byProgramme.get(programmeId);
  if (existing) clearTimeout(existing.timer);
  const slot: { timer: ReturnType<typeof setTimeout>; running?: Promise<unknown> } = {
    timer: setTimeout(() => {
      slot.running = catchUpIndex(db, programmeId)
        .catch(onError)
        .finally(() => {
          if (byProgramme.get(programmeId) === slot) byProgramme.delete(programmeId);
        });
    }, AFTER_APPEND_DELAY_MS),
  };
  slot.timer.unref?.();
  byProgramme.set(programmeId, slot);
}

/** Cancels the catch-ups not started yet and waits for those running (before the database closes). */
export async function settleCatchUps(db: Db): Promise<void> {
  const byProgramme = scheduled.get(db);
  if (!byProgramme) return;
  const running: Promise<unknown>[] = [];
  for (const [id, slot] of byProgramme) {
    if (slot.running) running.push(slot.running);
    else {
      clearTimeout(slot.timer);
      byProgramme.delete(id);
    }
  }
  await Promise.all(running);
}
