/**
 * Abuse limits (issue 16, point 8): how often one client (its address) and one identity (a
 * principal's id, or a follow code's subject) may write as a resident, and how often follow
 * codes may be looked up — per address, and wrong codes per topic from any address, so many
 * addresses cannot guess one topic's code together.
 *
 * Counters live in the database (`rate_counter`, migrations/004_limits.sql), so every process
 * behind the load balancer shares them, in fixed windows: the first hit of a window opens it,
 * the count is one atomic upsert. A fixed window lets a client that waited for the end of one
 * burst once more at the start of the next (at most twice the limit in a short time); that is
 * the price of a single statement per request and no clock shared between processes (the
 * database's `now()` is the only clock). Keys are keyed hashes of the value (never an address or
 * subject in the clear). Refusals are `429 /problems/rate-limited` with `Retry-After` in
 * seconds: the end of the window.
 */
import { createHmac } from 'node:crypto';
import type { Queryable } from './db/db.js';
import { Problem } from './problems.js';

/** What is counted, one counter each. */
export type LimitBucket = 'resident-address' | 'resident-subject' | 'follow-address' | 'follow-topic';

/** At most `max` in `windowMs`. */
export interface LimitWindow {
  max: number;
  windowMs: number;
}

/** A counter's state after a hit (or a look). */
export interface LimitCount {
  hits: number;
  /** Whole seconds until the window ends (at least 1). */
  retryAfter: number;
}

/** The key a value is counted under: an HMAC with the server's secret, so the table holds no address. */
export function limitKey(secret: string, bucket: LimitBucket, value: string): string {
  return createHmac('sha256', secret).update(`limit\n${bucket}\n${value}`).digest('hex').slice(0, 32);
}

/** Hits between two sweeps of ended windows, per process. */
const SWEEP_EVERY = 200;
let sinceSweep = 0;

/** The window a hit at the database's `now()` falls in, as its end: the next multiple of the window since the epoch. */
const WINDOW_END = 'to_timestamp((floor(extract(epoch from now()) / $3) + 1) * $3)';

/** Counts one hit; returns the count of the window so far, this hit included. */
export async function hit(db: Queryable, bucket: LimitBucket, key: string, window: LimitWindow): Promise<LimitCount> {
  sinceSweep += 1;
  if (sinceSweep >= SWEEP_EVERY) {
    sinceSweep = 0;
    await db.query('delete from rate_counter where expires_at < now()');
  }
  const [row] = await db.query<{ hits: number; retry: number }>(
    `insert into rate_counter (bucket, key, expires_at, hits) values ($1, $2, ${WINDOW_END}, 1)
     on conflict (bucket, key, expires_at) do update set hits = rate_counter.hits + 1
     returning hits, ceil(extract(epoch from (expires_at - now())))::int as retry`,
    [bucket, key, window.windowMs / 1000],
  );
  return { hits: row!.hits, retryAfter: Math.max(1, row!.retry) };
}

/** The count of the current window without counting (0 when it has none). */
export async function peek(db: Queryable, bucket: LimitBucket, key: string, window: LimitWindow): Promise<LimitCount> {
  const [row] = await db.query<{ hits: number; retry: number }>(
    `select hits, ceil(extract(epoch from (expires_at - now())))::int as retry from rate_counter
      where bucket = $1 and key = $2 and expires_at = ${WINDOW_END}`,
    [bucket, key, window.windowMs / 1000],
  );
  return row ? { hits: row.hits, retryAfter: Math.max(1, row.retry) } : { hits: 0, retryAfter: 1 };
}

/** A duration in words for a `detail`: "10 minutes", "90 seconds". */
export function inWords(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds % 3600 === 0) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

/** The 429 for a counter over its limit: `detail` says what was counted, then when to try again. */
export function rateLimited(what: string, window: LimitWindow, retryAfter: number): Problem {
  return new Problem(
    'rate-limited',
    `${what}: ${window.max} per ${inWords(window.windowMs)} are allowed; try again in ${retryAfter} seconds.`,
    {},
    { 'Retry-After': String(retryAfter) },
  );
}

/** Counts one hit and throws the 429 when it is over the limit (the refused hit counts too). */
export async function enforce(db: Queryable, bucket: LimitBucket, key: string, window: LimitWindow, what: string): Promise<void> {
  const count = await hit(db, bucket, key, window);
  if (count.hits > window.max) throw rateLimited(what, window, count.retryAfter);
}

/** Throws the 429 when the counter has reached its limit already, without counting. */
export async function enforcePeek(db: Queryable, bucket: LimitBucket, key: string, window: LimitWindow, what: string): Promise<void> {
  const count = await peek(db, bucket, key, window);
  if (count.hits >= window.max) throw rateLimited(what, window, count.retryAfter);
}
