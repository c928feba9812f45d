/**
 * A client for the notification routes of the city server (docs/api/openapi.yaml, tag
 * "notifications", issue 17): a resident's opt-in to notices about one topic by its follow code
 * (`…/follow/{code}/subscriptions`), and the supervisor's list of overdue measures
 * (`GET …/overdue`, staff token). Every call resolves: a network fault or a refusal is a typed
 * result an element can word in the person's language, never a thrown error.
 */
import { retryAfterMs } from './retry-after.js';

/** How a resident is told: an e-mail, or a text message (SMS) through the city's gateway. */
export type NoticeChannel = 'email' | 'sms';

/** A resident's opt-in as the server answers it: the address only masked ("l***@example.org", "138****5678"). */
export interface NoticeSubscription {
  id: string;
  channel: NoticeChannel;
  /** Masked by the server; the full address never comes back. */
  address: string;
  locale: 'zh-CN' | 'en';
  createdAt: string;
}

/** What a resident asks for (`POST …/subscriptions`). */
export interface NoticeOptIn {
  channel: NoticeChannel;
  address: string;
  locale: 'zh-CN' | 'en';
}

/**
 * Why a notification call gave no answer, in words an element can choose from:
 * - `offline`: the browser says it has no connection (nothing was sent);
 * - `unreachable`: no answer (network, timeout, a cut-off or malformed body);
 * - `invalid`: the server refused the request as it is (400), `pointer` names the field
 *   (`/address`), `detail` is the server's English text for operators;
 * - `not-found`: the follow code or the subscription is unknown (404);
 * - `revoked`: the follow code was revoked (403 `/problems/follow-code-revoked`);
 * - `rate-limited`: 429, try again after `retryAfterMs`;
 * - `signed-out`: 401 (staff routes: no token, or one the server does not take);
 * - `forbidden`: 403 (the token lacks the role or the scope);
 * - `no-code`: this device holds no follow code for the topic (nothing was asked);
 * - `local`: the programme has no server (local transport): there is nobody to send notices;
 * - `unavailable`: the server failed (5xx) or answered an unexpected status.
 */
export type NoticeFailure = {
  ok: false;
  reason: 'offline' | 'unreachable' | 'invalid' | 'not-found' | 'revoked' | 'rate-limited' | 'signed-out' | 'forbidden' | 'no-code' | 'local' | 'unavailable';
  status?: number;
  /** For `invalid`: the JSON Pointer of the field the server refused, e.g. `/address`. */
  pointer?: string;
  detail?: string;
  retryAfterMs?: number;
};

export type NoticeResult<T> = { ok: true; value: T } | NoticeFailure;

/** One overdue measure of the supervisor's list (督办), as `GET …/overdue` answers it. No personal data. */
export interface OverdueItem {
  topicId: string;
  title: string;
  measureId: string;
  /** The measure's text. */
  measure: string;
  /** The responsible party: a configured party id, or free text. */
  party: string;
  partyLabel?: { 'zh-CN': string; en: string };
  /** The due date (a date or a date-time, ISO 8601). */
  due: string;
  /** Whole days past the due date at `asOf` (at least 1). */
  overdueDays: number;
  /** When the server marked it overdue (ISO), if its clock did. */
  overdueSince?: string;
  /** The measure's status (`adopted`, `inProgress`, `proposed`). */
  status: string;
  level: string;
}

/** A page of the supervisor's list, most overdue first. */
export interface OverduePage {
  /** The server's clock when it read the list: `overdueDays` are counted at it. */
  asOf: string;
  total: number;
  items: OverdueItem[];
  cursor: string;
  more: boolean;
}

export interface OverdueQuery {
  /** Only this responsible party (its id or text). */
  party?: string;
  limit?: number;
  cursor?: string;
}

export interface NoticesClientOptions {
  /** Base URL of the city's backend (`/api`), absolute or relative to the page. */
  endpoint: string;
  programmeId: string;
  /** A staff bearer token, for `overdue` (a string, or a function asked before each request). */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  fetch?: typeof fetch;
}

export interface NoticesClient {
  /** The active opt-ins of the topic a follow code belongs to. */
  subscriptions(followCode: string, signal?: AbortSignal): Promise<NoticeResult<NoticeSubscription[]>>;
  /** Opts in (the same channel and address again answers the existing one). */
  optIn(followCode: string, request: NoticeOptIn, signal?: AbortSignal): Promise<NoticeResult<NoticeSubscription>>;
  /** Stops one opt-in. */
  cancel(followCode: string, id: string, signal?: AbortSignal): Promise<NoticeResult<{ id: string; cancelled: true }>>;
  /** The supervisor's list: every overdue measure of the programme (staff token). */
  overdue(query?: OverdueQuery, signal?: AbortSignal): Promise<NoticeResult<OverduePage>>;
}

const CHANNELS = new Set(['email', 'sms']);

function isSubscription(body: unknown): body is NoticeSubscription {
  const s = body as Partial<NoticeSubscription> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.id === 'string' &&
    CHANNELS.has(s.channel as string) &&
    typeof s.address === 'string' &&
    (s.locale === 'zh-CN' || s.locale === 'en') &&
    typeof s.createdAt === 'string'
  );
}

function isOverdueItem(body: unknown): body is OverdueItem {
  const i = body as Partial<OverdueItem> | null;
  return (
    typeof i === 'object' &&
    i !== null &&
    typeof i.topicId === 'string' &&
    typeof i.measureId === 'string' &&
    typeof i.measure === 'string' &&
    typeof i.party === 'string' &&
    typeof i.due === 'string' &&
    typeof i.overdueDays === 'number'
  );
}

function isOverduePage(body: unknown): body is OverduePage {
  const p = body as Partial<OverduePage> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.asOf === 'string' &&
    typeof p.total === 'number' &&
    Array.isArray(p.items) &&
    p.items.every(isOverdueItem) &&
    typeof p.cursor === 'string' &&
    typeof p.more === 'boolean'
  );
}

/** The field a 400 names: the problem's `pointer`, or the first of its `errors[].pointer`. */
function pointerOf(body: Record<string, unknown>): string | undefined {
  if (typeof body.pointer === 'string') return body.pointer;
  const errors = Array.isArray(body.errors) ? (body.errors as Array<Record<string, unknown>>) : [];
  const first = errors.find((e) => e && typeof e.pointer === 'string');
  return first ? (first.pointer as string) : undefined;
}

/** A failed answer as a typed failure. */
async function failureOf(res: Response): Promise<NoticeFailure> {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = await res.json();
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    /* no problem body */
  }
  const detail = typeof body.detail === 'string' ? { detail: body.detail } : {};
  const status = res.status;
  if (status === 400) {
    const pointer = pointerOf(body);
    return { ok: false, reason: 'invalid', status, ...(pointer ? { pointer } : {}), ...detail };
  }
  if (status === 401) return { ok: false, reason: 'signed-out', status, ...detail };
  if (status === 403) {
    const revoked = body.type === '/problems/follow-code-revoked';
    return { ok: false, reason: revoked ? 'revoked' : 'forbidden', status, ...detail };
  }
  if (status === 404) return { ok: false, reason: 'not-found', status, ...detail };
  if (status === 429) {
    const wait = retryAfterMs(res.headers.get('Retry-After'));
    return { ok: false, reason: 'rate-limited', status, ...(wait !== undefined ? { retryAfterMs: wait } : {}), ...detail };
  }
  return { ok: false, reason: 'unavailable', status, ...detail };
}

/** A client for one programme's notification routes. */
export function noticesClient(options: NoticesClientOptions): NoticesClient {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const base = `${options.endpoint.replace(/\/+$/, '')}/programmes/${encodeURIComponent(options.programmeId)}`;

  async function call<T>(
    path: string,
    init: { method?: 'GET' | 'POST'; body?: unknown; staff?: boolean },
    check: (body: unknown) => T | undefined,
    signal?: AbortSignal,
  ): Promise<NoticeResult<T>> {
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return { ok: false, reason: 'offline' };
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    if (init.staff) {
      const token = typeof options.token === 'function' ? await options.token() : options.token;
      if (token) headers.Authorization = `Bearer ${token}`;
    }
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers,
        cache: 'no-store',
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      return { ok: false, reason: 'unreachable', detail: (err as Error)?.message || 'no connection' };
    }
    if (!res.ok) return failureOf(res);
    try {
      const value = check(await res.json());
      return value === undefined ? { ok: false, reason: 'unreachable', detail: 'The server answered in an unexpected shape.' } : { ok: true, value };
    } catch (err) {
      return { ok: false, reason: 'unreachable', detail: (err as Error)?.message || 'The answer was cut off.' };
    }
  }

  const byCode = (code: string) => `/follow/${encodeURIComponent(code)}/subscriptions`;

  return {
    subscriptions: (code, signal) =>
      call(byCode(code), {}, (body) => {
        const items = (body as { items?: unknown })?.items;
        return Array.isArray(items) && items.every(isSubscription) ? items : undefined;
      }, signal),
    optIn: (code, request, signal) =>
      call(byCode(code), { method: 'POST', body: { channel: request.channel, address: request.address, locale: request.locale } }, (body) =>
        isSubscription(body) ? body : undefined, signal),
    cancel: (code, id, signal) =>
      call(`${byCode(code)}/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: {} }, (body) => {
        const b = body as { id?: unknown; cancelled?: unknown } | null;
        return b && typeof b.id === 'string' && b.cancelled === true ? { id: b.id, cancelled: true as const } : undefined;
      }, signal),
    overdue: (query = {}, signal) => {
      const params = new URLSearchParams();
      if (query.party?.trim()) params.set('party', query.party.trim());
      if (query.limit !== undefined && Number.isInteger(query.limit) && query.limit > 0) params.set('limit', String(query.limit));
      if (query.cursor) params.set('cursor', query.cursor);
      const search = params.toString();
      return call(`/overdue${search ? `?${search}` : ''}`, { staff: true }, (body) => (isOverduePage(body) ? body : undefined), signal);
    },
  };
}
