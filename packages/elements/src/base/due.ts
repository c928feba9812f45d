/**
 * "Due in 3 days / 3 天后到期", "Due today / 今天到期", "Overdue by 5 days / 已超期 5 天": how
 * far a measure's due date is from now, counted at the time the caller gives — the server's
 * (`asOf` of the index, or `store.serverNow()`) when the data came from the city server, the
 * device's in local mode — never silently at a device clock set wrong.
 */
import { overdueDays, toMillis } from '@consult-kit/machine/core';
import type { MessageKey } from '../i18n/messages.js';

const DAY_MS = 86_400_000;

export type DueState = { kind: 'overdue' | 'soon'; days: number } | { kind: 'today'; days: 0 };

/**
 * Where a due date stands at `now` (ms): overdue by whole days (the machine's `overdueDays`, at
 * least 1, as the rest of the views count), due today (less than a day left), or due in whole days.
 * A date-only due lasts to the end of that day (UTC), as `toMillis` reads it. `undefined` for a
 * due date that cannot be read.
 */
export function dueState(due: string, now: number): DueState | undefined {
  const at = toMillis(due);
  if (!Number.isFinite(at) || !Number.isFinite(now)) return undefined;
  if (now > at) return { kind: 'overdue', days: Math.max(1, overdueDays(at, now)) };
  const left = Math.floor((at - now) / DAY_MS);
  return left === 0 ? { kind: 'today', days: 0 } : { kind: 'soon', days: left };
}

/** The words for `dueState`, through the messages catalogue (`t` of a ConsultElement). */
export function dueWords(
  t: (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string,
  state: DueState,
  number: (n: number) => string = String,
): string {
  if (state.kind === 'today') return t('due.today');
  const plural = state.days === 1 ? 'one' : 'other';
  return t(state.kind === 'overdue' ? `due.overdue.${plural}` : `due.in.${plural}`, { days: number(state.days) });
}

/** What a store may tell of the server's clock (`ConsultStore.serverNow`, `knowsServerClock`). */
export interface ServerClockSource {
  serverNow?: () => number;
  knowsServerClock?: boolean;
}

/**
 * Now, for deadlines: the city server's clock when the store has heard it (data from the server),
 * else this device's (local mode, or before the server answered).
 */
export function deadlineNow(store: ServerClockSource | undefined): number {
  // `serverNow()` is the device's clock until the store has heard the server's (asking makes it listen).
  return typeof store?.serverNow === 'function' ? store.serverNow() : Date.now();
}
