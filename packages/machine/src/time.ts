/** Time helpers. The machine never reads the clock: every time comes from an event's `at` or a caller's `now`. */

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Milliseconds since the epoch of an ISO date or date-time, or NaN. A date alone means the end of that day (UTC). */
export function toMillis(iso: unknown): number {
  if (typeof iso !== 'string' || !ISO_DATE_TIME.test(iso)) return Number.NaN;
  if (DATE_ONLY.test(iso)) return Date.parse(`${iso}T23:59:59.999Z`);
  return Date.parse(iso);
}

export function isIsoTime(value: unknown): value is string {
  return !Number.isNaN(toMillis(value));
}

/** The ISO date-time `days` days after `iso`. */
export function addDays(iso: string, days: number): string {
  return new Date(toMillis(iso) + days * DAY_MS).toISOString();
}

/** Whether `now` is past `deadline` (both ISO). */
export function isPast(deadline: string, now: string | number): boolean {
  const n = typeof now === 'number' ? now : toMillis(now);
  return n > toMillis(deadline);
}

/** How far ahead of the server's clock a device's clock may run and its `at` still count: five minutes. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The time an event counts at, for every rule that depends on time (rating windows, deadlines,
 * overdue, closing an evaluation): its claimed `at` when the server received it within
 * `graceHours` after that (`receivedAt - grace <= at <= receivedAt + CLOCK_SKEW_MS`), else
 * `receivedAt` — so a device clock set far behind cannot back-date an event into a closed
 * window, and one set ahead cannot post-date it. Without `receivedAt` (local mode, entries
 * stored before the server recorded it) the claimed `at`. Depends on the event alone, so a
 * replay of the log gives the same states as the appends did.
 */
export function effectiveTime(at: string, receivedAt: string | undefined, graceHours: number): string {
  if (receivedAt === undefined) return at;
  const received = toMillis(receivedAt);
  const claimed = toMillis(at);
  if (Number.isNaN(received) || Number.isNaN(claimed)) return at;
  return claimed >= received - graceHours * 3_600_000 && claimed <= received + CLOCK_SKEW_MS ? at : receivedAt;
}
