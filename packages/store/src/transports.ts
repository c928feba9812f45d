/**
 * Transports behind one interface. `local`: this browser's log is the data (a kiosk at a
 * courtyard meeting); nothing is sent or pulled. `http`: the city's backend, per
 * docs/api/openapi.yaml — one event per request with its `Idempotency-Key`.
 */
import { FORBIDDEN_REASONS, type Conflict, type ConflictReason, type FollowResult, type ForbiddenReason, type OutboxEntry, type PullResult, type SendResult, type Transport } from './store.types.js';
import type { LogEntry } from '@consult-kit/machine/core';
import { noticesClient } from './notices.js';
import { retryAfterMs } from './retry-after.js';

export { retryAfterMs };

export function localTransport(): Transport {
  return {
    kind: 'local',
    async send() {
      return { kind: 'retry', error: 'The local transport keeps events in this browser; there is nothing to send.' };
    },
    async pull() {
      return { entries: [], cursor: '', more: false };
    },
    async pullTopic() {
      return { entries: [], cursor: '', more: false };
    },
    // There is no server to ask: the store answers from the topics this device already follows.
    async follow() {
      return { ok: false, reason: 'not-found' };
    },
  };
}

export interface HttpTransportOptions {
  /** Base URL of the city's backend (the config's `transport.endpoint`), absolute or relative to the page. */
  endpoint: string;
  programmeId: string;
  /** A bearer token for staff (or resident, where the city protects it) events. */
  token?: () => string | undefined | Promise<string | undefined>;
  fetch?: typeof fetch;
}

/** Statuses after which the same request can never succeed: kept as a visible conflict. */
const PERMANENT = new Set([400, 403, 404, 405, 410, 413, 415, 422]);

/** Roles that act for themselves, not for an office: they may act on a topic by its follow code. */
const RESIDENT_ROLES = new Set(['resident', 'representative']);

const REASONS: Record<string, ConflictReason> = {
  '/problems/follow-code-not-found': 'follow-code-not-found',
  '/problems/follow-code-revoked': 'follow-code-revoked',
};

/** What the transport keeps of a problem answer (RFC 9457 and the contract's extensions). */
type Problem = Pick<Conflict, 'title' | 'detail' | 'type' | 'refusal' | 'missingScope' | 'forbidden' | 'role' | 'allowed'>;

async function problemOf(res: Response): Promise<Problem> {
  try {
    const body = (await res.json()) as Record<string, unknown>;
    const text = (key: string) => (typeof body[key] === 'string' && body[key] !== '' ? { [key]: body[key] as string } : {});
    const allowed = Array.isArray(body.allowed) ? body.allowed.filter((r): r is string => typeof r === 'string') : undefined;
    return {
      title: typeof body.title === 'string' ? body.title : `HTTP ${res.status}`,
      ...text('detail'),
      ...text('type'),
      ...text('missingScope'),
      ...(FORBIDDEN_REASONS.includes(body.reason as ForbiddenReason) ? { forbidden: body.reason as ForbiddenReason } : {}),
      ...text('role'),
      ...(allowed ? { allowed } : {}),
      ...(body.refusal && typeof body.refusal === 'object' ? { refusal: body.refusal as Conflict['refusal'] } : {}),
    };
  } catch {
    return { title: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}` };
  }
}

function joinUrl(endpoint: string, path: string): string {
  return `${endpoint.replace(/\/+$/, '')}${path}`;
}

export function httpTransport(options: HttpTransportOptions): Transport {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const base = joinUrl(options.endpoint, `/programmes/${encodeURIComponent(options.programmeId)}`);
  const headers = async (extra: Record<string, string> = {}, token?: string) => {
    token ??= await options.token?.();
    return { Accept: 'application/json, application/problem+json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...extra };
  };

  // Set when a pull was refused (401/403), to the credentials it was refused with ('' for none),
  // for the whole log and for per-topic pulls apart (a server may open one and not the other):
  // further pulls with the same credentials are not sent (the server would only refuse them
  // again every minute); a new token is tried.
  const deniedWith = new Map<'log' | 'topic', string>();

  /** A pull page, or `denied` / `unknown`; throws only for the caller to report. */
  const pullPage = async (path: string, cursor: string | undefined, signal?: AbortSignal): Promise<PullResult> => {
    const url = `${base}${path}${cursor ? `?after=${encodeURIComponent(cursor)}` : ''}`;
    const kind = path === '/events' ? 'log' : 'topic';
    const token = (await options.token?.()) ?? '';
    if (deniedWith.get(kind) === token) return { entries: [], cursor: cursor ?? '', more: false, denied: true };
    const res = await doFetch(url, { headers: await headers({}, token || undefined), ...(signal ? { signal } : {}) });
    if (res.status === 401 || res.status === 403) {
      deniedWith.set(kind, token);
      return { entries: [], cursor: cursor ?? '', more: false, denied: true };
    }
    deniedWith.delete(kind);
    if (res.status === 404 && path !== '/events') return { entries: [], cursor: cursor ?? '', more: false, unknown: true };
    if (!res.ok) throw new Error(`Pull failed: ${res.status} ${(await problemOf(res)).title}`);
    const body = (await res.json()) as Partial<PullResult>;
    if (!Array.isArray(body.entries) || typeof body.cursor !== 'string') throw new Error('Pull failed: malformed page.');
    return { entries: body.entries, cursor: body.cursor, more: body.more === true };
  };

  return {
    kind: 'http',
    notices: noticesClient({
      endpoint: options.endpoint,
      programmeId: options.programmeId,
      ...(options.token ? { token: options.token } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),

    async serverClock(signal?: AbortSignal): Promise<string | undefined> {
      try {
        const res = await doFetch(`${base}/topics?limit=1`, { headers: await headers(), cache: 'no-store', ...(signal ? { signal } : {}) });
        if (!res.ok) return undefined;
        const body = (await res.json()) as { asOf?: unknown };
        return typeof body.asOf === 'string' && Number.isFinite(Date.parse(body.asOf)) ? body.asOf : undefined;
      } catch {
        return undefined;
      }
    },

    async send(entry: OutboxEntry, signal?: AbortSignal): Promise<SendResult> {
      let res: Response;
      try {
        const token = await options.token?.();
        // A resident acts on their own topic by its follow code; staff act by their token.
        const byCode = entry.followCode && (!token || RESIDENT_ROLES.has(entry.entry.by?.role));
        res = await doFetch(`${base}/events`, {
          method: 'POST',
          headers: await headers(
            { 'Content-Type': 'application/json', 'Idempotency-Key': entry.id, ...(byCode ? { 'Follow-Code': entry.followCode! } : {}) },
            token,
          ),
          body: JSON.stringify(entry.entry),
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        // An abort is this device's own doing (closing), not the server's absence.
        const aborted = (err as { name?: string })?.name === 'AbortError';
        return { kind: 'retry', error: `Network: ${(err as Error).message || 'no connection'}`, ...(aborted ? {} : { hold: 'unreachable' as const }) };
      }
      if (res.ok) {
        try {
          const body = (await res.json()) as { entry?: LogEntry; followCode?: unknown };
          if (body.entry && typeof body.entry.seq === 'number' && body.entry.id === entry.id) {
            return { kind: 'ok', entry: body.entry, ...(typeof body.followCode === 'string' ? { followCode: body.followCode } : {}) };
          }
          return { kind: 'retry', error: 'The server answered without the logged entry.', hold: 'unavailable' };
        } catch {
          return { kind: 'retry', error: 'The answer was cut off.', hold: 'unavailable' };
        }
      }
      const problem = await problemOf(res);
      if (PERMANENT.has(res.status)) {
        const reason = problem.type ? REASONS[problem.type] : undefined;
        return { kind: 'conflict', conflict: { status: res.status, ...problem, ...(reason ? { reason } : {}), at: new Date().toISOString() } };
      }
      const wait = retryAfterMs(res.headers.get('Retry-After'));
      const error = res.status === 401 ? `Sign in again to send (${problem.title}).` : `${res.status}: ${problem.title}`;
      // 401: kept in the outbox until the person signs in again (the store holds the queue);
      // 429: the server's Retry-After; 5xx: backoff. A 409 "in flight" is only a moment's wait.
      const hold = res.status === 401 ? 'signed-out' : res.status === 429 ? 'rate-limited' : res.status >= 500 ? 'unavailable' : undefined;
      return {
        kind: 'retry',
        error,
        ...(wait !== undefined ? { retryAfterMs: wait } : {}),
        ...(hold ? { hold } : {}),
        ...(problem.detail ? { detail: problem.detail } : {}),
      } as SendResult;
    },

    pull(cursor: string | undefined, signal?: AbortSignal): Promise<PullResult> {
      return pullPage('/events', cursor, signal);
    },

    pullTopic(topicId: string, cursor: string | undefined, signal?: AbortSignal): Promise<PullResult> {
      return pullPage(`/topics/${encodeURIComponent(topicId)}/events`, cursor, signal);
    },

    async follow(code: string, signal?: AbortSignal): Promise<FollowResult> {
      let res: Response;
      try {
        res = await doFetch(`${base}/follow/${encodeURIComponent(code)}`, { headers: await headers(), ...(signal ? { signal } : {}) });
      } catch {
        return { ok: false, reason: 'offline' };
      }
      if (res.ok) {
        try {
          const body = (await res.json()) as { topicId?: unknown };
          if (typeof body.topicId === 'string' && body.topicId) return { ok: true, topicId: body.topicId };
        } catch {
          /* a cut-off answer: as a malformed one */
        }
        return { ok: false, reason: 'unavailable' };
      }
      if (res.status === 400) return { ok: false, reason: 'invalid' };
      if (res.status === 404) return { ok: false, reason: 'not-found' };
      if (res.status === 403) return { ok: false, reason: 'revoked' };
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers.get('Retry-After'));
        return { ok: false, reason: 'rate-limited', ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
      }
      return { ok: false, reason: 'unavailable' };
    },
  };
}
