/**
 * Periods (a month, a quarter, a year) and the calendar dates the rooms' selectors compare: an
 * event's date is the one written in its ISO time (`2026-03-05T23:30:00+08:00` is 5 March),
 * so a room's figures do not change with the server's time zone.
 */
import { toMillis } from '../time.js';
import type { Period, PeriodKind } from './rooms.types.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** The calendar date (YYYY-MM-DD) written in an ISO time or date; UTC for epoch ms; '' when it is neither. */
export function dateOf(value: string | number | undefined): string {
  if (typeof value === 'string' && DATE.test(value)) return value.slice(0, 10);
  const ms = typeof value === 'number' ? value : toMillis(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '';
}

/** Epoch ms of `now` (ISO or ms). */
export function millisOf(now: string | number): number {
  return typeof now === 'number' ? now : toMillis(now);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The month, quarter or year an ISO time or date (YYYY-MM-DD) is in. */
export function periodOf(isoOrDate: string, kind: PeriodKind): Period {
  const match = DATE.exec(dateOf(isoOrDate));
  if (!match) throw new RangeError(`Not a date: ${String(isoOrDate)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (kind === 'year') return { kind, key: `${year}`, from: `${year}-01-01`, to: `${year + 1}-01-01` };
  if (kind === 'quarter') {
    const q = Math.floor((month - 1) / 3) + 1;
    const end = q === 4 ? `${year + 1}-01-01` : `${year}-${pad(q * 3 + 1)}-01`;
    return { kind, key: `${year}-Q${q}`, from: `${year}-${pad(q * 3 - 2)}-01`, to: end };
  }
  const end = month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`;
  return { kind, key: `${year}-${pad(month)}`, from: `${year}-${pad(month)}-01`, to: end };
}

/** Every period of a kind from the one `from` is in to the one `to` is in, oldest first (none when `to` is before `from`). */
export function periodsBetween(from: string, to: string, kind: PeriodKind): Period[] {
  const last = periodOf(to, kind);
  const periods: Period[] = [];
  for (let p = periodOf(from, kind); p.from <= last.from; p = periodOf(p.to, kind)) periods.push(p);
  return periods;
}

/** A chosen date range (exports, reports): `from` inclusive, `to` exclusive, both YYYY-MM-DD. */
export function rangePeriod(from: string, to: string): Period {
  return { kind: 'range', key: `${from}..${to}`, from, to };
}
