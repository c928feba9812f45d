/**
 * The programme's topics replayed, kept in memory and caught up as the log grows: what the
 * figures, rooms, trends, performance files and reports are computed from (the machine's
 * selectors run on these snapshots, so the server answers the numbers the browser computes).
 *
 * - Keyed by log position: a projection holds every topic replayed up to `seq`. A read first asks
 *   the database for the programme's head (one indexed row: its last seq, its config's entity tag
 *   and the tag its stored log was last redacted under) and replays only the entries after `seq`
 *   (each with its topic's config version, as `replayVersioned` does). Another process may have
 *   appended: the head is always read first, so its entries are caught up too.
 * - Thrown away and rebuilt when the head says the projection cannot be continued: a new config
 *   (another `etag`: topics that have not recorded a version replay with the latest), a stored
 *   log rewritten (`redacted_etag` moved: `redactStoredLogs` redacted entries in place, so no
 *   snapshot may keep a value it held), or a head below `seq` (a restore). Only the redacted log
 *   is replayed here; personal values (which an erasure deletes) are never held.
 * - Long work yields: entries are read a page at a time and replayed in slices of at most
 *   `SLICE_MS` of CPU, with `setImmediate` between slices, so `/healthz` and appends keep moving
 *   while 200,000 topics are replayed.
 * - One catch-up per programme (single flight): concurrent reads wait for the same one, and each
 *   raises its target to the head it read. A read whose client has gone (its AbortSignal) stops
 *   waiting; when no one waits any more the catch-up stops at the next slice (what it replayed so
 *   far is kept: the next read continues from there).
 * - Selector results are kept per log position (`derive`): the same selector with the same
 *   arguments on an unchanged log is answered without running it again.
 * - Bounded memory: an LRU over programmes by topic count (`maxTopics`, default
 *   `DEFAULT_MAX_TOPICS`; a replayed topic takes some 4 KB of heap, so the default is about 1 GB
 *   at most). The programme just read is always kept, even alone above the budget; one evicted
 *   is built again on its next read.
 */
import { performance } from 'node:perf_hooks';
import type { LogEntry, TopicSnapshot } from '@consult-kit/machine';
import { applyVersioned, loadTopicConfigs } from '../config-versions.js';
import type { Db, Queryable } from '../db/db.js';
import { toEntry } from '../event-log.js';

/** Topics kept in memory over all programmes of one database, by default. */
export const DEFAULT_MAX_TOPICS = 250_000;
/** Entries read per query of a catch-up (PGlite runs a query on the event loop: keep them short). */
export const PAGE_ENTRIES = 500;
/** Entries replayed by one catch-up after which the log's statistics are gathered (`analyze`). */
export const ANALYZE_AFTER = 10_000;
/** The longest a catch-up replays before it yields to the event loop. */
export const SLICE_MS = 4;

/** The programme's row a read starts with. */
export interface ProgrammeHead {
  lastSeq: number;
  /** What a projection built under it must match to be continued. */
  key: string;
}

/** Counters a test or a bench reads (never timings). */
export interface ProjectionStats {
  /** Projections started from seq 0 (first read, or thrown away by the head). */
  rebuilds: number;
  /** Catch-ups started (single flight: concurrent reads share one). */
  catchUps: number;
  /** Slices replayed (each ends in a yield, an abort check). */
  slices: number;
  /** Entries replayed. */
  entries: number;
  /** Catch-ups stopped because every read waiting for them had gone. */
  abandoned: number;
  /** Projections evicted by the memory budget. */
  evicted: number;
  /** Selector results answered from `derive`'s memo. */
  memoHits: number;
}

/** The error a read's promise rejects with when its signal aborted. */
export class ReadAbandoned extends Error {
  constructor() {
    super('The client went away before the read was answered.');
    this.name = 'AbortError';
  }
}

interface Waiter {
  target: number;
  resolve(): void;
  reject(error: unknown): void;
}

interface Projection {
  programmeId: string;
  key: string;
  seq: number;
  topics: Map<string, TopicSnapshot>;
  /** The catch-up running, with the reads waiting for it. */
  flight?: { waiters: Set<Waiter>; target: number };
  /** Selector results at `memo.seq` (see `derive`). */
  memo?: { seq: number; results: Map<string, unknown> };
}

/** Results kept per programme and log position (the most recent `derive` keys). */
export const MEMO_RESULTS = 32;

/** Options of a store. */
export interface ProjectionOptions {
  /** The memory budget in topics (see the module's comment). */
  maxTopics?: number;
  /** Entries read per query (default `PAGE_ENTRIES`; a test makes it small to count steps). */
  pageEntries?: number;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The projections of one database (one per process and database: see `projectionsOf`). */
export class ProjectionStore {
  readonly stats: ProjectionStats = { rebuilds: 0, catchUps: 0, slices: 0, entries: 0, abandoned: 0, evicted: 0, memoHits: 0 };
  maxTopics: number;
  pageEntries: number;
  /** In least-recently-read order (a Map keeps insertion order: a read moves its programme last). */
  private readonly byProgramme = new Map<string, Projection>();

  constructor(
    private readonly db: Queryable,
    options: ProjectionOptions = {},
  ) {
    this.maxTopics = options.maxTopics ?? DEFAULT_MAX_TOPICS;
    this.pageEntries = options.pageEntries ?? PAGE_ENTRIES;
  }

  /** The programme's head, or null when there is no such programme. One indexed row. */
  async head(programmeId: string): Promise<ProgrammeHead | null> {
    const [row] = await this.db.query<{ last_seq: number | string; etag: string; redacted_etag: string | null }>(
      'select last_seq, etag, redacted_etag from programme where id = $1',
      [programmeId],
    );
    return row ? { lastSeq: Number(row.last_seq), key: `${row.etag} ${row.redacted_etag ?? ''}` } : null;
  }

  /**
   * Every topic of the programme replayed up to at least its head as read now (an array of
   * snapshots, which are never changed afterwards); null when there is no such programme.
   * Rejects with `ReadAbandoned` when `signal` aborts first.
   */
  async topics(programmeId: string, signal?: AbortSignal): Promise<TopicSnapshot[] | null> {
    return (await this.view(programmeId, signal))?.topics ?? null;
  }

  /**
   * A selector's result on the programme's topics, kept per log position: `key` names the
   * selector and its arguments (a room, a time); the same key at the same position (and the same
   * head key) gives the result computed before, so reads of an unchanged log cost one head query.
   * Null when there is no such programme.
   */
  async derive<T>(programmeId: string, key: string, compute: (topics: TopicSnapshot[]) => T, signal?: AbortSignal): Promise<T | null> {
    const view = await this.view(programmeId, signal);
    if (!view) return null;
    const { projection, seq, topics } = view;
    if (!projection.memo || projection.memo.seq < seq) projection.memo = { seq, results: new Map() };
    const memo = projection.memo.seq === seq ? projection.memo.results : undefined;
    if (memo?.has(key)) {
      this.stats.memoHits += 1;
      return memo.get(key) as T;
    }
    const result = compute(topics);
    if (memo) {
      memo.set(key, result);
      if (memo.size > MEMO_RESULTS) memo.delete(memo.keys().next().value!);
    }
    return result;
  }

  /** The projection caught up to the head, with its position and topics taken together. */
  private async view(programmeId: string, signal?: AbortSignal): Promise<{ projection: Projection; seq: number; topics: TopicSnapshot[] } | null> {
    signal?.throwIfAborted?.();
    const head = await this.head(programmeId);
    if (!head) return null;
    let projection = this.byProgramme.get(programmeId);
    if (!projection || projection.key !== head.key || projection.seq > head.lastSeq) {
      projection = { programmeId, key: head.key, seq: 0, topics: new Map() };
      this.stats.rebuilds += 1;
    }
    // Most recently read last.
    this.byProgramme.delete(programmeId);
    this.byProgramme.set(programmeId, projection);
    if (projection.seq < head.lastSeq) await this.wait(projection, head.lastSeq, signal);
    this.evict(programmeId);
    return { projection, seq: projection.seq, topics: [...projection.topics.values()] };
  }

  /** Forgets every projection (or one programme's). */
  clear(programmeId?: string): void {
    if (programmeId === undefined) this.byProgramme.clear();
    else this.byProgramme.delete(programmeId);
  }

  /** Topics held now, over all programmes. */
  heldTopics(): number {
    let n = 0;
    for (const p of this.byProgramme.values()) n += p.topics.size;
    return n;
  }

  /** Waits until the projection reaches `target`, joining or starting its catch-up. */
  private wait(projection: Projection, target: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { target, resolve, reject };
      const onAbort = () => {
        const flight = projection.flight;
        flight?.waiters.delete(waiter);
        reject(new ReadAbandoned());
      };
      if (signal) {
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        const done = () => signal.removeEventListener('abort', onAbort);
        waiter.resolve = () => {
          done();
          resolve();
        };
        waiter.reject = (error) => {
          done();
          reject(error);
        };
      }
      if (projection.flight) {
        projection.flight.waiters.add(waiter);
        projection.flight.target = Math.max(projection.flight.target, target);
        return;
      }
      projection.flight = { waiters: new Set([waiter]), target };
      this.stats.catchUps += 1;
      void this.fly(projection);
    });
  }

  /** The catch-up: pages of entries, replayed in slices, until no one waits or the target is reached. */
  private async fly(projection: Projection): Promise<void> {
    const flight = projection.flight!;
    const settle = () => {
      for (const w of flight.waiters) if (w.target <= projection.seq) {
        flight.waiters.delete(w);
        w.resolve();
      }
    };
    let replayed = 0;
    try {
      while (projection.seq < flight.target && flight.waiters.size > 0) {
        // A range of seqs, not "after seq, limit n": seqs are dense, and a bounded range is a short
        // index scan whatever plan the planner picks (PGlite has no autovacuum, so no statistics).
        const upto = Math.min(flight.target, projection.seq + this.pageEntries);
        const rows = await this.db.query<Parameters<typeof toEntry>[0]>(
          `select seq, id, topic_id, event, by_actor, at, redacted, received from log_entry
            where programme_id = $1 and seq > $2 and seq <= $3 order by seq`,
          [projection.programmeId, projection.seq, upto],
        );
        if (rows.length === 0) {
          // A gap in the seqs (never appended so): step over it.
          projection.seq = upto;
          continue;
        }
        const entries = rows.map((row) => ({ ...toEntry(row), seq: Number(row.seq) }) as LogEntry);
        const configs = await loadTopicConfigs(this.db, projection.programmeId, [...new Set(entries.map((e) => e.topicId))]);
        if (!configs) throw new Error(`Programme "${projection.programmeId}" vanished during a catch-up.`);
        let start = performance.now();
        for (let i = 0; i < entries.length; i++) {
          const entry = entries[i]!;
          applyVersioned(configs, projection.topics, entry);
          projection.seq = entry.seq;
          this.stats.entries += 1;
          replayed += 1;
          if ((i & 15) === 15 && performance.now() - start >= SLICE_MS) {
            this.stats.slices += 1;
            settle();
            await yieldToLoop();
            if (flight.waiters.size === 0) break;
            start = performance.now();
          }
        }
        this.stats.slices += 1;
        settle();
        if (flight.waiters.size > 0) await yieldToLoop();
      }
      if (flight.waiters.size === 0 && projection.seq < flight.target) this.stats.abandoned += 1;
      // After a large build the planner needs statistics of the log (PGlite gathers none itself).
      if (replayed >= ANALYZE_AFTER) await this.db.query('analyze log_entry').catch(() => undefined);
      projection.flight = undefined;
      settle();
    } catch (error) {
      projection.flight = undefined;
      // The snapshots may be half way through a page: start over next time.
      if (this.byProgramme.get(projection.programmeId) === projection) this.byProgramme.delete(projection.programmeId);
      for (const w of flight.waiters) w.reject(error);
    }
  }

  /** Drops the least recently read programmes while the budget is exceeded (never `keep`). */
  private evict(keep: string): void {
    let held = this.heldTopics();
    for (const [id, p] of this.byProgramme) {
      if (held <= this.maxTopics) break;
      if (id === keep || p.flight) continue;
      this.byProgramme.delete(id);
      held -= p.topics.size;
      this.stats.evicted += 1;
    }
  }
}

const stores = new WeakMap<Queryable, ProjectionStore>();

/** The store of this database handle (created on first use). */
export function projectionsOf(db: Db | Queryable, options?: ProjectionOptions): ProjectionStore {
  let store = stores.get(db);
  if (!store) stores.set(db, (store = new ProjectionStore(db, options)));
  else {
    if (options?.maxTopics !== undefined) store.maxTopics = options.maxTopics;
    if (options?.pageEntries !== undefined) store.pageEntries = options.pageEntries;
  }
  return store;
}
