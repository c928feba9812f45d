/**
 * The server's clock (docs/server.md, "The clock and its jobs"): durable jobs derived from the
 * log, fired once, in the same database as the log (PGlite and PostgreSQL alike).
 *
 * - **Jobs from the log.** Whenever the index catch-up (topic-index.ts) writes a topic's row, in
 *   the same transaction, `syncTopicJobs` makes the topic's `timer_job` rows match the machine's
 *   `topicTimers(snapshot)`: new keys are inserted as pending (a key already done stays done),
 *   pending keys no longer derived are cancelled. The keys and times come from the snapshot
 *   alone, so rebuilding the index from the log gives the same schedule.
 * - **Event notices.** In the same catch-up, each entry after the programme's
 *   `notice_state.noticed_seq` gives `noticesForEntry(before, after, entry)`, queued through the
 *   outbox (outbox.ts `enqueueNotices`) in that transaction; then `noticed_seq` moves forward
 *   (never back: a rebuild of the index notifies nothing again).
 * - **The tick** is clock.ts: it fires the due jobs.
 *
 * Why not pg-boss or graphile-worker: both need a real PostgreSQL server (LISTEN/NOTIFY,
 * advisory locks, their own schema and migrations, a pool), which PGlite, the default
 * single-folder store, does not give; the jobs here are a projection of the log (derived and
 * rebuildable), not work items submitted by callers, and a queue library would hold a second copy
 * of what the log already says. One table, `for update skip locked` and a lease do the job on both.
 */
import { noticesForEntry, toMillis, topicTimers, type LogEntry, type NoticeIntent, type TopicSnapshot, type TopicTimer, type WorkflowConfig } from '@consult-kit/machine';
import type { AppOptions } from '../config.js';
import type { Db, Queryable } from '../db/db.js';
import type { TopicConfigs } from '../config-versions.js';
import { enqueueNotices } from './outbox.js';

/** Entries received longer ago than this (at the clock's now) notify nobody: a restored old log. */
export const NOTICE_MAX_AGE_MS = 7 * 86_400_000;

/** What the clock needs from the app's options. */
export type ClockOptions = Pick<AppOptions, 'clock' | 'notify' | 'staleInFlightSeconds'>;

/** Where the clock writes what went wrong (no personal data: codes and ids only). */
export interface ClockLog {
  warn(object: Record<string, unknown>, message: string): void;
}

/** The options the catch-ups of a database run with (registered by the app or the clock). */
const clocks = new WeakMap<Db, { options: ClockOptions; log?: ClockLog | undefined }>();

/**
 * Makes the index catch-ups of this database derive notices with these options (the clock's
 * now, the notify file) and report faults to `log`. Called by the topic routes when an app is
 * built, and by `tick`. A catch-up on a database nobody registered uses the system clock and
 * queues nothing (there is no channel to queue for). Every server process on one database
 * should run with the same notify file.
 */
export function useClock(db: Db, options: ClockOptions, log?: ClockLog): void {
  clocks.set(db, { options, log: log ?? clocks.get(db)?.log });
}

/** The clock's now (epoch ms) for catch-ups of this database. */
export function clockNow(db: Db): number {
  return (clocks.get(db)?.options.clock?.() ?? new Date()).getTime();
}

/** A fault's description without personal data: its kind and code, never its message (it may quote values). */
export function faultCode(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(code) ? `${name} ${code}` : name;
}

/** What one catch-up transaction hands over after it wrote topic rows. */
export interface IndexedTopics {
  programmeId: string;
  /** The programme's latest config. */
  config: WorkflowConfig;
  /** Each topic's own config version (its notices are worded by it); without it, `config` for all. */
  configs?: TopicConfigs;
  /** The topics whose rows were written, as replayed up to the chunk's end. */
  snapshots: ReadonlyMap<string, TopicSnapshot>;
  /** Topics whose rows were dropped (their log no longer replays): their pending jobs are cancelled. */
  gone: readonly string[];
  /** The accepted entries after the notice watermark, each with its topic before and after it. */
  changes: readonly { before: TopicSnapshot | undefined; after: TopicSnapshot; entry: LogEntry }[];
  /** The chunk's last seq: the notice watermark moves here. */
  upto: number;
  nowMs: number;
}

/**
 * The notice watermark of a programme, inserted at first sight at `indexedSeq` (the highest
 * seq already in the index when notifications first run: history is never notified; 0 for a new
 * programme). Call it under the index state's lock (the catch-up holds it).
 */
export async function noticeWatermark(tx: Queryable, programmeId: string, indexedSeq: number): Promise<number> {
  // One statement on every catch-up: inserted at first sight, else read back unchanged.
  const [row] = await tx.query<{ noticed_seq: number }>(
    `insert into notice_state (programme_id, noticed_seq) values ($1, $2)
     on conflict (programme_id) do update set noticed_seq = notice_state.noticed_seq
     returning noticed_seq`,
    [programmeId, indexedSeq],
  );
  return row?.noticed_seq ?? indexedSeq;
}

/** Makes the `timer_job` rows of these topics match their timers (inside the catch-up's transaction). */
export async function syncTopicJobs(tx: Queryable, programmeId: string, snapshots: ReadonlyMap<string, TopicSnapshot>, gone: readonly string[]): Promise<void> {
  const timers: TopicTimer[] = [];
  for (const snapshot of snapshots.values()) timers.push(...topicTimers(snapshot));
  const topics = [...snapshots.keys(), ...gone];
  if (topics.length === 0) return;
  if (timers.length > 0) {
    // A key already done stays done; a key cancelled and derived again (a meeting moved back) is pending again.
    await tx.query(
      `insert into timer_job (programme_id, key, topic_id, kind, run_at_ms, timer)
       select $1, v.key, v.topic_id, v.kind, v.run_at_ms, v.timer::json
       from unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[]) as v (key, topic_id, kind, run_at_ms, timer)
       on conflict (programme_id, key) do update set state = 'pending', run_at_ms = excluded.run_at_ms, timer = excluded.timer,
         attempts = 0, last_error = null, lease_until_ms = null
       where timer_job.state = 'cancelled'`,
      [
        programmeId,
        timers.map((t) => t.key),
        timers.map((t) => t.topicId),
        timers.map((t) => t.kind),
        timers.map((t) => toMillis(t.at)),
        timers.map((t) => JSON.stringify(t)),
      ],
    );
  }
  await tx.query(
    // An anti-join (hashed), not `key <> all(…)`, which would compare each row with every key.
    `update timer_job j set state = 'cancelled', lease_until_ms = null
     where j.programme_id = $1 and j.topic_id = any($2) and j.state = 'pending'
       and not exists (select 1 from unnest($3::text[]) as k (key) where k.key = j.key)`,
    [programmeId, topics, timers.map((t) => t.key)],
  );
}

/**
 * The catch-up's hook (topic-index.ts): syncs the written topics' jobs, queues the notices of
 * the new entries and moves the notice watermark, all in the catch-up's transaction. A fault in
 * deriving or queueing the notices is rolled back to a savepoint and logged: the index (which
 * every read needs) goes on, those entries' notices are not sent (the log line says which seqs).
 */
export async function afterIndexWrite(tx: Queryable, db: Db, indexed: IndexedTopics): Promise<void> {
  await syncTopicJobs(tx, indexed.programmeId, indexed.snapshots, indexed.gone);
  const registered = clocks.get(db);
  const notify = registered?.options.notify;
  if (notify && indexed.changes.length > 0) {
    await tx.query('savepoint notices');
    try {
      const intents: NoticeIntent[] = [];
      for (const { before, after, entry } of indexed.changes) {
        // A restored old log (or an entry from before the server recorded receipt) tells nobody now.
        const received = entry.receivedAt === undefined ? Number.NaN : toMillis(entry.receivedAt);
        if (!(indexed.nowMs - received <= NOTICE_MAX_AGE_MS)) continue;
        intents.push(...noticesForEntry(before, after, entry));
      }
      // Worded by each topic's own config version.
      const byConfig = new Map<WorkflowConfig, NoticeIntent[]>();
      for (const intent of intents) {
        const config = indexed.configs?.configFor(intent.topicId) ?? indexed.config;
        const list = byConfig.get(config);
        if (list) list.push(intent);
        else byConfig.set(config, [intent]);
      }
      for (const [config, list] of byConfig) await enqueueNotices(tx, { programmeId: indexed.programmeId, config, nowMs: indexed.nowMs }, list, notify);
      await tx.query('release savepoint notices');
    } catch (error) {
      await tx.query('rollback to savepoint notices');
      registered.log?.warn(
        { programmeId: indexed.programmeId, fromSeq: indexed.changes[0]!.entry.seq, toSeq: indexed.upto, fault: faultCode(error) },
        'notices of these entries could not be queued; the index goes on',
      );
    }
  }
  await tx.query('update notice_state set noticed_seq = greatest(noticed_seq, $2) where programme_id = $1', [indexed.programmeId, indexed.upto]);
}

