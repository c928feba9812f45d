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
