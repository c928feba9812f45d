/**
 * The clock's tick (docs/server.md, "The clock and its jobs"): catch every programme's index up
 * (so jobs and notices are current, jobs.ts), claim the due jobs (`for update skip locked` on the
 * partial index of pending jobs by `run_at_ms`, then a lease, so several processes on one
 * PostgreSQL act on each job once), act on them — the notices of `measure.dueSoon`,
 * `measure.overdue` (and the index's overdue mark), `meeting.reminder`, `rating.closing`; for
 * `evaluation.end` an `evaluation.close` appended as the system actor through the normal append
 * path with an idempotency claim — mark them done, or record the fault and try again later, and
 * deliver the outbox (outbox.ts). A tick costs O(due jobs), not O(open measures): the catch-up of
 * a programme with nothing new is one read of its counter and watermark.
 */
import { createHash } from 'node:crypto';
import { noticesForTimer, SYSTEM_ACTOR, type TopicSnapshot, type TopicTimer, type WorkflowConfig } from '@consult-kit/machine';
import type { EventSubmission } from '../contract.js';
import { fingerprint } from '../canonical-json.js';
import type { Db, Queryable } from '../db/db.js';
import { appendEvent } from '../event-log.js';
import { claimKey, releaseClaim } from '../idempotency.js';
import { applyVersioned, loadTopicConfigs } from '../config-versions.js';
import { catchUpIndex, topicEntries } from '../topic-index.js';
import { faultCode, useClock, type ClockLog, type ClockOptions } from './jobs.js';

export type { ClockLog };
import { deliverDue, enqueueNotices } from './outbox.js';

/** Default tick interval (ms) when the notify file sets none. */
export const DEFAULT_TICK_MS = 15_000;
/** How long a claimed job is held by the process that claimed it before another may take it. */
export const JOB_LEASE_MS = 5 * 60_000;
/** Jobs claimed per round of a tick, and the rounds a tick runs at most (the rest wait for the next tick). */
export const JOB_BATCH = 200;
const MAX_ROUNDS = 10;
/** Waits before a failed job is tried again (then hourly, never given up: a job is never lost). */
export const JOB_RETRY_MS = [30_000, 120_000, 600_000, 3_600_000] as const;

const DAY_MS = 86_400_000;

/** What one tick did. */
export interface TickReport {
  /** Jobs acted on (done). */
  jobs: number;
  /** Outbox rows the fired jobs queued. */
  notices: number;
  /** Evaluations the clock closed (`evaluation.close` appended). */
  closed: number;
  /** Outbox rows delivered (sent) by this tick. */
  delivered: number;
  /** Jobs that failed and will be tried again. */
  failed: number;
}

/** A claimed job. */
interface JobRow extends Record<string, unknown> {
  programme_id: string;
  key: string;
  topic_id: string;
  kind: string;
  run_at_ms: number;
  timer: TopicTimer;
  attempts: number;
}

/** Claims due jobs: pending, due, lease free; locked rows of another process are skipped. */
async function claimJobs(db: Db, nowMs: number): Promise<JobRow[]> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<JobRow>(
      `select programme_id, key, topic_id, kind, run_at_ms, timer, attempts from timer_job
       where state = 'pending' and run_at_ms <= $1 and (lease_until_ms is null or lease_until_ms <= $1)
       order by run_at_ms limit $2
       for update skip locked`,
      [nowMs, JOB_BATCH],
    );
    if (rows.length === 0) return rows;
    await tx.query(
      `update timer_job j set lease_until_ms = $1, attempts = j.attempts + 1
       from unnest($2::text[], $3::text[]) as v (programme_id, key)
       where j.programme_id = v.programme_id and j.key = v.key`,
      [nowMs + JOB_LEASE_MS, rows.map((r) => r.programme_id), rows.map((r) => r.key)],
    );
    return rows;
  });
}

/** A topic as the log has it now (with the topic it merges into, which its replay needs), and the config it runs under. */
async function currentSnapshot(db: Queryable, programmeId: string, topicId: string): Promise<{ snapshot: TopicSnapshot | undefined; config: WorkflowConfig } | undefined> {
  const [head] = await db.query<{ last_seq: number }>('select last_seq from programme where id = $1', [programmeId]);
  if (!head) return undefined;
  const entries = await topicEntries(db, programmeId, [topicId], head.last_seq);
  const into = [...new Set(entries.flatMap((e) => (e.event.type === 'screening.merge' && e.event.into !== topicId ? [e.event.into] : [])))];
  const all = into.length > 0 ? [...entries, ...(await topicEntries(db, programmeId, into, head.last_seq))] : entries;
  // Each topic with the config version it started under.
  const configs = await loadTopicConfigs(db, programmeId, [topicId, ...into]);
  if (!configs) return undefined;
  const topics = new Map<string, TopicSnapshot>();
  for (const entry of all.sort((a, b) => a.seq - b.seq)) applyVersioned(configs, topics, entry);
  return { snapshot: topics.get(topicId), config: configs.configFor(topicId) };
}

/** The id of the clock's `evaluation.close` for a topic's round: the same in every process and every retry. */
export function closeEntryId(programmeId: string, topicId: string, round: number): string {
  return `clock-${createHash('sha256').update(`${programmeId}\n${topicId}\n${round}`).digest('hex').slice(0, 32)}`;
}

/** What acting on one job gave. */
type JobOutcome = { kind: 'done'; notices: number; closed: boolean; note?: string } | { kind: 'retry'; error: string };

/** Appends the system actor's `evaluation.close` for the round, once. */
async function closeEvaluation(db: Db, options: ClockOptions, programmeId: string, snapshot: TopicSnapshot, round: number, nowMs: number): Promise<JobOutcome> {
  const evaluation = snapshot.context.evaluations[round - 1];
  if (!evaluation || evaluation.closedAt) return { kind: 'done', notices: 0, closed: false, note: 'round already closed' };
  const now = new Date(nowMs).toISOString();
  const submission: EventSubmission = {
    id: closeEntryId(programmeId, snapshot.context.topicId, round),
    topicId: snapshot.context.topicId,
    event: { type: 'evaluation.close' },
    by: { ...SYSTEM_ACTOR },
    at: now,
  };
  const print = fingerprint(submission);
  const claim = await claimKey(db, programmeId, submission.id, print, options.staleInFlightSeconds);
  // Already appended (by this process before a crash, or by another at another now): nothing more.
  if (claim.kind === 'replay' || claim.kind === 'reused') return { kind: 'done', notices: 0, closed: false, note: 'already closed by the clock' };
  if (claim.kind === 'in-flight') return { kind: 'retry', error: 'close in flight elsewhere' };
  let result;
  try {
    result = await appendEvent(db, programmeId, submission, { key: submission.id, owner: claim.owner, fingerprint: print, receivedAt: now });
  } catch (error) {
    await releaseClaim(db, programmeId, submission.id, claim.owner).catch(() => undefined);
    throw error;
  }
  if (result.kind === 'appended') return { kind: 'done', notices: 0, closed: true };
  await releaseClaim(db, programmeId, submission.id, claim.owner);
  if (result.kind === 'lost') return { kind: 'done', notices: 0, closed: false, note: 'already closed by the clock' };
  if (result.kind === 'no-programme') return { kind: 'done', notices: 0, closed: false, note: 'no programme' };
  // The window has not ended yet by the machine's reckoning (the clock fired at its very end): next tick.
  if (result.refusal.code === 'evaluation-open') return { kind: 'retry', error: `refused: ${result.refusal.code}` };
  return { kind: 'done', notices: 0, closed: false, note: `refused: ${result.refusal.code}` };
}

/** Acts on one claimed job. */
async function runJob(db: Db, options: ClockOptions, job: JobRow, nowMs: number): Promise<JobOutcome> {
  const current = await currentSnapshot(db, job.programme_id, job.topic_id);
  if (!current) return { kind: 'done', notices: 0, closed: false, note: 'no programme' };
  const { snapshot, config } = current;
  if (!snapshot) return { kind: 'done', notices: 0, closed: false, note: 'no topic' };
  const timer = job.timer;
  if (timer.kind === 'evaluation.end') return closeEvaluation(db, options, job.programme_id, snapshot, timer.round ?? snapshot.context.evaluations.length, nowMs);

  const intents = noticesForTimer(snapshot, timer);
  const notify = options.notify;
  return db.transaction(async (tx) => {
    let queued = 0;
    if (intents.length > 0 && notify) queued = await enqueueNotices(tx, { programmeId: job.programme_id, config, nowMs }, intents, notify);
    if (timer.kind === 'measure.overdue' && intents.length > 0) {
      // The supervisor's list reads the mark: since the earliest open due date, once the clock passed it.
      await tx.query(
        `update topic_index set overdue_since_ms = open_due_ms
         where programme_id = $1 and topic_id = $2 and overdue_since_ms is null and open_due_ms is not null and open_due_ms < $3`,
        [job.programme_id, job.topic_id, nowMs],
      );
    }
    await markDone(tx, job, nowMs, intents.length === 0 ? 'no longer applies' : undefined);
    return { kind: 'done', notices: queued, closed: false } as const;
  });
}

async function markDone(db: Queryable, job: JobRow, nowMs: number, note?: string): Promise<void> {
  await db.query(
    `update timer_job set state = 'done', done_at_ms = $3, lease_until_ms = null, last_error = $4
     where programme_id = $1 and key = $2 and state = 'pending'`,
    [job.programme_id, job.key, nowMs, note ?? null],
  );
}

/** Records a failure; the lease becomes the wait before the next attempt. */
async function markFailed(db: Queryable, job: JobRow, nowMs: number, error: string): Promise<void> {
  const wait = JOB_RETRY_MS[Math.min(job.attempts, JOB_RETRY_MS.length - 1)]!;
  await db.query(`update timer_job set lease_until_ms = $3, last_error = $4 where programme_id = $1 and key = $2 and state = 'pending'`, [
    job.programme_id,
    job.key,
    nowMs + wait,
    error.slice(0, 200),
  ]);
}

/**
 * One tick of the clock at `nowMs` (see the module's comment): catch up, claim due jobs, act,
 * mark done or failed, deliver the outbox. Throws only when the database itself fails.
 */
export async function tick(db: Db, options: ClockOptions, nowMs: number, log?: ClockLog): Promise<TickReport> {
  useClock(db, options, log);
  const report: TickReport = { jobs: 0, notices: 0, closed: 0, delivered: 0, failed: 0 };
  const programmes = await db.query<{ id: string }>('select id from programme order by id');
  for (const { id } of programmes) {
    // One programme's fault (a stored config that no longer parses) stops none of the others.
    try {
      await catchUpIndex(db, id);
    } catch (error) {
      log?.warn({ programmeId: id, fault: faultCode(error) }, 'clock: the index catch-up failed; its jobs wait');
    }
  }

  const closedIn = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const jobs = await claimJobs(db, nowMs);
    for (const job of jobs) {
      let outcome: JobOutcome;
      try {
        outcome = await runJob(db, options, job, nowMs);
      } catch (error) {
        outcome = { kind: 'retry', error: faultCode(error) };
      }
      if (outcome.kind === 'retry') {
        report.failed += 1;
        log?.warn({ programmeId: job.programme_id, job: job.key, fault: outcome.error }, 'clock job failed; it will be tried again');
        await markFailed(db, job, nowMs, outcome.error);
        continue;
      }
      if (job.kind === 'evaluation.end') await markDone(db, job, nowMs, outcome.note);
      report.jobs += 1;
      report.notices += outcome.notices;
      if (outcome.closed) {
        report.closed += 1;
        closedIn.add(job.programme_id);
      }
    }
    if (jobs.length < JOB_BATCH) break;
  }
  // The closes the clock appended: into the index (and their notices into the outbox) now.
  for (const id of closedIn) await catchUpIndex(db, id);
  if (options.notify) report.delivered = (await deliverDue(db, { notify: options.notify, ...(log ? { log } : {}) }, nowMs)).sent;
  return report;
}

/** A running clock. */
export interface RunningClock {
  /** Stops ticking and waits for a tick under way. */
  stop(): Promise<void>;
}

/**
 * Ticks every `options.notify?.tickMs ?? DEFAULT_TICK_MS` ms (0: never — tests call `tick`),
 * one tick at a time, on a timer that does not keep the process alive. A failed tick is logged
 * (its fault's code, no personal data) and the next one runs as planned; nothing is thrown.
 */
export function startClock(db: Db, options: ClockOptions, log?: ClockLog): RunningClock {
  const every = options.notify?.tickMs ?? DEFAULT_TICK_MS;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  const schedule = () => {
    if (stopped || every <= 0) return;
    timer = setTimeout(() => {
      running = tick(db, options, (options.clock?.() ?? new Date()).getTime(), log)
        .then(
          () => undefined,
          (error: unknown) => log?.warn({ fault: faultCode(error) }, 'clock tick failed; the next tick tries again'),
        )
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, every);
    timer.unref?.();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** Whole days a measure due at `dueMs` is overdue at `nowMs` (at least 1 once past). */
export function overdueDays(dueMs: number, nowMs: number): number {
  return Math.max(1, Math.floor((nowMs - dueMs) / DAY_MS));
}

