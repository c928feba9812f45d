/**
 * A client for the city server's read models that anyone may read (docs/api/openapi.yaml): the
 * paged, filterable topic index (`GET /programmes/{p}/topics`), the programme's figures
 * (`GET /programmes/{p}/figures`) and its config. They hold no personal data, so no token is
 * needed. Every call resolves — a network fault or a refusal is a result the UI can show, never a
 * thrown error.
 */
import type { MeasureSummary, ProgrammeFigures, Trends, TopicSummary as MachineTopicSummary } from '@consult-kit/machine/core';
import { retryAfterMs } from './retry-after.js';

/** A topic's top state in the index: where it stands, or how it ended. */
export type TopicStatus =
  | 'screening'
  | 'rejected'
  | 'merged'
  | 'redirected'
  | 'withdrawn'
  | 'research'
  | 'meeting'
  | 'handling'
  | 'evaluation'
  | 'closed'
  | 'unresolved';

/** Every status, in the order of the lifecycle (then the endings). */
export const TOPIC_STATUSES: readonly TopicStatus[] = [
  'screening',
  'research',
  'meeting',
  'handling',
  'evaluation',
  'closed',
  'rejected',
  'merged',
  'redirected',
  'withdrawn',
  'unresolved',
];

/** One measure as the index shows it (the machine's `MeasureSummary`). */
export type TopicSummaryMeasure = MeasureSummary;

/** One topic of the index: what the public outcomes board shows (no personal data); the machine's `summarizeTopic` makes it. */
export type TopicSummary = MachineTopicSummary;

/** The index's filters and paging; empty values are left out of the request. */
export interface TopicIndexQuery {
  status?: string;
  level?: string;
  source?: string;
  category?: string;
  /** Only topics in this consultation room (`rooms.list[].id`, the summary's `room`). */
  room?: string;
  /** Only topics with a measure past its due date. */
  overdue?: boolean;
  /** Text search in titles and descriptions (case-insensitive, NFKC). */
  q?: string;
  followCode?: string;
  /** The time to judge "overdue" by (ISO 8601 date-time with its offset); the server's clock when absent. */
  now?: string;
  limit?: number;
  /** The keyset cursor of the page to fetch (from the previous page's `cursor`); none for the first. */
  cursor?: string;
}

/** One page of the index. */
export interface TopicIndexPage {
  items: TopicSummary[];
  /** Topics matching the filters, over every page. */
  total: number;
  /** Give it back as `cursor` for the next page. */
  cursor: string;
  more: boolean;
  /**
   * The server's clock when it read the page (ISO 8601): the items' `overdue` flags are computed
   * at it, and so should "due in 3 days" be. Absent from servers older than issue 17.
   */
  asOf?: string;
}

/** Why a read did not give an answer. `offline`: the browser says so; `unreachable`: no answer (network, timeout, a cut-off body); `refused`: an HTTP error. */
export type ReadFailure = {
  ok: false;
  reason: 'offline' | 'unreachable' | 'refused';
  /** HTTP status for `refused`. */
  status?: number;
  /** The problem's title (RFC 9457) or the network error's message. */
  title: string;
  retryAfterMs?: number;
};

/** The result of a read: the value and when it arrived, or why there is none. */
export type ReadResult<T> = { ok: true; value: T; receivedAt: string } | ReadFailure;

export interface TopicIndexClientOptions {
  /** Base URL of the city's backend (the config's `transport.endpoint`, e.g. `/api`), absolute or relative to the page. */
  endpoint: string;
  programmeId: string;
  fetch?: typeof fetch;
}

export interface TopicIndexClient {
  /** One page of the topic index. */
  topics(query?: TopicIndexQuery, signal?: AbortSignal): Promise<ReadResult<TopicIndexPage>>;
  /**
   * The programme's figures, counted by the server over every topic it holds; with `room`, over
   * that consultation room's topics (`?room=`).
   */
  figures(now?: string, signal?: AbortSignal, room?: string): Promise<ReadResult<ProgrammeFigures>>;
  /** Month-by-month trends (`GET /programmes/{p}/trends?room=&now=`): the whole programme's, or one room's. */
  trends(query?: { room?: string; now?: string }, signal?: AbortSignal): Promise<ReadResult<Trends>>;
  /** The programme's config as the server serves it (raw JSON, to be parsed by the caller). */
  config(signal?: AbortSignal): Promise<ReadResult<unknown>>;
}

/** The query string of an index request: only the filters that are set, in a fixed order. */
export function topicIndexSearch(query: TopicIndexQuery = {}): string {
  const params = new URLSearchParams();
  for (const name of ['status', 'level', 'source', 'category', 'room', 'q', 'followCode', 'now', 'cursor'] as const) {
    const value = query[name]?.trim();
    if (value) params.set(name, value);
  }
  if (query.overdue) params.set('overdue', 'true');
  if (query.limit !== undefined && Number.isInteger(query.limit) && query.limit > 0) params.set('limit', String(query.limit));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function isPage(body: unknown): body is TopicIndexPage {
  const page = body as Partial<TopicIndexPage> | null;
  return (
    typeof page === 'object' &&
    page !== null &&
    Array.isArray(page.items) &&
    typeof page.total === 'number' &&
    typeof page.cursor === 'string' &&
    typeof page.more === 'boolean' &&
    page.items.every((t) => typeof t === 'object' && t !== null && typeof t.topicId === 'string' && Array.isArray(t.measures))
  );
}

function isTrends(body: unknown): body is Trends {
  const t = body as Partial<Trends> | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    Array.isArray(t.months) &&
    t.months.every((m) => typeof m === 'object' && m !== null && typeof m.month === 'string' && typeof m.raised === 'object' && m.raised !== null && typeof m.raisedTotal === 'number')
  );
}

/** `?room=…&now=…` with only the values that are set. */
function searchOf(values: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value?.trim()) params.set(name, value.trim());
  const text = params.toString();
  return text ? `?${text}` : '';
}

function isFigures(body: unknown): body is ProgrammeFigures {
  const f = body as Partial<ProgrammeFigures> | null;
  return typeof f === 'object' && f !== null && typeof f.topicsRaised === 'number' && typeof f.topicsByStage === 'object';
}

/** A client for the open read models of one programme on the city's server. */
export function topicIndexClient(options: TopicIndexClientOptions): TopicIndexClient {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const base = `${options.endpoint.replace(/\/+$/, '')}/programmes/${encodeURIComponent(options.programmeId)}`;

  async function read<T>(path: string, check: (body: unknown) => body is T, signal?: AbortSignal): Promise<ReadResult<T>> {
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return { ok: false, reason: 'offline', title: 'offline' };
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { headers: { Accept: 'application/json, application/problem+json' }, ...(signal ? { signal } : {}) });
    } catch (err) {
      return { ok: false, reason: 'unreachable', title: (err as Error)?.message || 'no connection' };
    }
    if (!res.ok) {
      let title = `HTTP ${res.status}`;
      try {
        const problem = (await res.json()) as { title?: unknown };
        if (typeof problem.title === 'string') title = problem.title;
      } catch {
        /* no problem body */
      }
      const wait = retryAfterMs(res.headers.get('Retry-After'));
      return { ok: false, reason: 'refused', status: res.status, title, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    }
    try {
      const body: unknown = await res.json();
      if (!check(body)) return { ok: false, reason: 'unreachable', title: 'The server answered in an unexpected shape.' };
      return { ok: true, value: body, receivedAt: new Date().toISOString() };
    } catch (err) {
      return { ok: false, reason: 'unreachable', title: (err as Error)?.message || 'The answer was cut off.' };
    }
  }

  return {
    topics: (query, signal) => read(`/topics${topicIndexSearch(query)}`, isPage, signal),
    figures: (now, signal, room) => read(`/figures${searchOf({ now, room })}`, isFigures, signal),
    trends: (query = {}, signal) => read(`/trends${searchOf({ room: query.room, now: query.now })}`, isTrends, signal),
    config: (signal) => read(`/config`, (body: unknown): body is unknown => typeof body === 'object' && body !== null, signal),
  };
}
