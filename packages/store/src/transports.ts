/**
 * Transports behind one interface. `local`: this browser's log is the data (a kiosk at a
 * courtyard meeting); nothing is sent or pulled. `http`: the city's backend, per
 * docs/api/openapi.yaml — one event per request with its `Idempotency-Key`.
 */
import type { Conflict, OutboxEntry, PullResult, SendResult, Transport } from './store.types.js';
import type { LogEntry } from '@consult-kit/machine';

export function localTransport(): Transport {
  return {
    kind: 'local',
    async send() {
      return { kind: 'retry', error: 'The local transport keeps events in this browser; there is nothing to send.' };
    },
    async pull() {
      return { entries: [], cursor: '', more: false };
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

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), if any. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function problemOf(res: Response): Promise<{ title: string; detail?: string; refusal?: Conflict['refusal'] }> {
  try {
    const body = (await res.json()) as { title?: unknown; detail?: unknown; refusal?: Conflict['refusal'] };
    return {
      title: typeof body.title === 'string' ? body.title : `HTTP ${res.status}`,
      ...(typeof body.detail === 'string' ? { detail: body.detail } : {}),
      ...(body.refusal && typeof body.refusal === 'object' ? { refusal: body.refusal } : {}),
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
  const headers = async (extra: Record<string, string> = {}) => {
    const token = await options.token?.();
    return { Accept: 'application/json, application/problem+json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...extra };
  };

  // Set when a pull without a token was refused (401/403): further pulls wait for a token instead
  // of asking again every minute, which the server would only refuse again.
  let deniedWithoutToken = false;

  return {
    kind: 'http',
    async send(entry: OutboxEntry, signal?: AbortSignal): Promise<SendResult> {
      let res: Response;
      try {
        res = await doFetch(`${base}/events`, {
          method: 'POST',
          headers: await headers({ 'Content-Type': 'application/json', 'Idempotency-Key': entry.id }),
          body: JSON.stringify(entry.entry),
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        return { kind: 'retry', error: `Network: ${(err as Error).message || 'no connection'}` };
      }
      if (res.ok) {
        try {
          const body = (await res.json()) as { entry?: LogEntry };
          if (body.entry && typeof body.entry.seq === 'number' && body.entry.id === entry.id) return { kind: 'ok', entry: body.entry };
          return { kind: 'retry', error: 'The server answered without the logged entry.' };
        } catch {
          return { kind: 'retry', error: 'The answer was cut off.' };
        }
      }
      const problem = await problemOf(res);
      if (PERMANENT.has(res.status)) {
        return { kind: 'conflict', conflict: { status: res.status, ...problem, at: new Date().toISOString() } };
      }
      const wait = retryAfterMs(res.headers.get('Retry-After'));
      const error = res.status === 401 ? `Sign in again to send (${problem.title}).` : `${res.status}: ${problem.title}`;
      return { kind: 'retry', error, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    },

    async pull(cursor: string | undefined, signal?: AbortSignal): Promise<PullResult> {
      const url = `${base}/events${cursor ? `?after=${encodeURIComponent(cursor)}` : ''}`;
      const sent = await headers();
      const withToken = 'Authorization' in sent;
      if (deniedWithoutToken && !withToken) return { entries: [], cursor: cursor ?? '', more: false, denied: true };
      const res = await doFetch(url, { headers: sent, ...(signal ? { signal } : {}) });
      if ((res.status === 401 || res.status === 403) && !withToken) {
        deniedWithoutToken = true;
        return { entries: [], cursor: cursor ?? '', more: false, denied: true };
      }
      if (!res.ok) throw new Error(`Pull failed: ${res.status} ${(await problemOf(res)).title}`);
      const body = (await res.json()) as Partial<PullResult>;
      if (!Array.isArray(body.entries) || typeof body.cursor !== 'string') throw new Error('Pull failed: malformed page.');
      return { entries: body.entries, cursor: body.cursor, more: body.more === true };
    },
  };
}
