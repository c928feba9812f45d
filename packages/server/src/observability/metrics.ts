/**
 * The server's Prometheus metrics (prom-client), in a registry of the app's own: several apps in
 * one process (the tests) never share or double-register a metric. Nothing here is personal: the
 * labels are HTTP methods, route patterns (never a raw URL, so no follow code, token or id),
 * status codes and programme ids (a city's config ids, not residents').
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Queryable } from '../db/db.js';
import { APPEND_CHANNEL_NAME, type AppendMessage } from './channels.js';

/** The prefix of every metric of the server's own (process metrics keep prom-client's standard names). */
export const METRIC_PREFIX = 'consult_kit_';

/** The `route` label of a request no route matched (a 404): one value, whatever the URL. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** How long the scrape's database queries may take before the depths are reported unknown. */
export const DEPTH_QUERY_TIMEOUT_MS = 2_000;

/**
 * The depths read from the database at scrape time: one statement, each count on an index
 * (pending rows through the partial `…_due` indexes; dead notices per programme through
 * `notice_outbox_dead`, so the growing table of sent notices is never scanned).
 */
const DEPTHS_SQL = `select
  (select count(*) from notice_outbox where state = 'pending') as outbox_pending,
  (select coalesce(sum(d.n), 0) from programme p cross join lateral
     (select count(*) as n from notice_outbox o where o.programme_id = p.id and o.state = 'dead') d) as outbox_dead,
  (select count(*) from timer_job where state = 'pending') as jobs_pending,
  (select count(*) from timer_job where state = 'pending' and run_at_ms <= $1) as jobs_due`;

let processMetrics: Registry | undefined;

/**
 * prom-client's default process metrics (CPU, memory, heap, event-loop lag, GC), collected once
 * per process in a registry of their own: they describe the process, whatever number of apps it
 * runs, and each collector (an event-loop monitor, a GC observer) is made only once.
 */
export function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/** Rejects when `promise` has not settled after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    // Not unref'd: cleared as soon as the promise settles, so it holds the process at most `ms`.
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One app's metrics. */
export interface ServerMetrics {
  /** The app's own metrics (without the process metrics). */
  readonly registry: Registry;
  /** The media type of `render`'s text. */
  readonly contentType: string;
  /** The text `/metrics` answers: the app's metrics, then the process's. */
  render(): Promise<string>;
  /** Counts one answered request and its latency. */
  observeRequest(method: string, route: string | undefined, status: number, seconds: number): void;
  /** Counts one committed append (what the event log publishes on `consult-kit:append`). */
  observeAppend(message: AppendMessage): void;
  /** Reads the outbox and job-queue depths from the database; false when it could not. */
  refreshDepths(): Promise<boolean>;
  /** Subscribes to the append channel; returns the unsubscribe. Appends to another `db` are not counted. */
  subscribeAppends(db: object): () => void;
}

/** Creates the metrics of one app on its database. `now` is the server's clock (due jobs). */
export function createMetrics(db: Queryable, now: () => number = Date.now): ServerMetrics {
  const registry = new Registry();
  // Started with the first app, so the process's CPU counts from then, not from the first scrape.
  processRegistry();
  const registers = [registry];
  const requests = new Counter({
    name: `${METRIC_PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const duration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'Time from a request coming in to its answer being sent, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const appended = new Counter({
    name: `${METRIC_PREFIX}events_appended_total`,
    help: 'Events committed to the log by this process, by programme.',
    labelNames: ['programme'] as const,
    registers,
  });
  const lockWait = new Histogram({
    name: `${METRIC_PREFIX}append_lock_wait_seconds`,
    help: "Time each committed append (a group-commit batch) waited for its programme's append lock.",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const gauge = (name: string, help: string) => new Gauge({ name: `${METRIC_PREFIX}${name}`, help, registers });
  const databaseUp = gauge('database_up', '1 when the last scrape could read the outbox and job-queue depths from the database, else 0.');
  const outboxPending = gauge('outbox_pending', 'Notices waiting in the outbox to be delivered (all processes: the same value from each).');
  const outboxDead = gauge('outbox_dead', 'Notices dead-lettered after their last attempt, waiting for an operator to replay them.');
  const jobsPending = gauge('jobs_pending', "The clock's pending jobs (due now or later).");
  const jobsDue = gauge('jobs_due', "The clock's pending jobs whose time has come: the queue the clock has not worked off yet.");
  const depths = [outboxPending, outboxDead, jobsPending, jobsDue];

  let inFlight: Promise<boolean> | undefined;
  const readDepths = async (): Promise<boolean> => {
    try {
      const [row] = await withTimeout(db.query(DEPTHS_SQL, [now()]), DEPTH_QUERY_TIMEOUT_MS, 'the depth query');
      outboxPending.set(Number(row?.outbox_pending ?? 0));
      outboxDead.set(Number(row?.outbox_dead ?? 0));
      jobsPending.set(Number(row?.jobs_pending ?? 0));
      jobsDue.set(Number(row?.jobs_due ?? 0));
      databaseUp.set(1);
      return true;
    } catch {
      for (const g of depths) g.set(Number.NaN);
      databaseUp.set(0);
      return false;
    }
  };

  const metrics: ServerMetrics = {
    registry,
    contentType: registry.contentType,
    async render() {
      const own = await registry.metrics();
      return `${own.endsWith('\n') ? own : `${own}\n`}${await processRegistry().metrics()}`;
    },
    observeRequest(method, route, status, seconds) {
      const labels = { method, route: route ?? UNMATCHED_ROUTE, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
    observeAppend({ programmeId, events, lockWaitMs }) {
      if (Number.isFinite(events) && events > 0) appended.inc({ programme: programmeId }, events);
      if (Number.isFinite(lockWaitMs) && lockWaitMs >= 0) lockWait.observe(lockWaitMs / 1000);
    },
    // Scrapes that arrive together share one query.
    refreshDepths() {
      inFlight ??= readDepths().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    subscribeAppends(ownDb) {
      const onMessage = (message: unknown) => {
        const m = message as AppendMessage;
        if (m.db !== undefined && m.db !== ownDb) return;
        metrics.observeAppend(m);
      };
      diagnosticsChannel.subscribe(APPEND_CHANNEL_NAME, onMessage);
      return () => diagnosticsChannel.unsubscribe(APPEND_CHANNEL_NAME, onMessage);
    },
  };
  return metrics;
}
