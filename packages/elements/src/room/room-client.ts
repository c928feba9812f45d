/**
 * The reads of `<consult-room>` and `<consult-performance-file>`: `GET {endpoint}/programmes/{p}/rooms`,
 * `…/rooms/{room}` (public) and `…/performance?year=` (a staff bearer token). Each answer is checked
 * for the shape the elements draw before it is used; a failure is a reason the element puts in
 * words (offline, no answer, signed out, forbidden, not found, a server error). Never throws.
 */
import type { PerformanceFile, RoomConfig, RoomGradeRecord, Trends } from '@consult-kit/machine/core';

/** One room as `GET …/rooms` lists it: its config, the filled QR-code URL, its topic count and the current period's grade. */
export type RoomSummary = RoomConfig & { intakeUrl: string; topics: number; grade: RoomGradeRecord };

/** One room as `GET …/rooms/{room}` answers it: the room, its grade history (oldest first) and its trends. */
export interface RoomData {
  room: RoomSummary;
  grades: RoomGradeRecord[];
  trends?: Trends;
}

/** Performance files as `GET …/performance?year=` answers them (an admin gets everyone's, a member their own). */
export interface PerformanceData {
  year: number;
  files: PerformanceFile[];
}

/** A bearer token, or a function the portal's sign-in answers before each request (as `<consult-overdue-list>` takes). */
export type ReadToken = string | (() => string | undefined | Promise<string | undefined>);

export type ReadFailureReason = 'offline' | 'unreachable' | 'signed-out' | 'forbidden' | 'not-found' | 'unavailable';
export type ReadFailure = { ok: false; reason: ReadFailureReason; status?: number };
export type Read<T> = { ok: true; value: T } | ReadFailure;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isText = (v: unknown): boolean => isObject(v) && typeof v['zh-CN'] === 'string' && typeof v.en === 'string';

function isGradeRecord(v: unknown): v is RoomGradeRecord {
  if (!isObject(v) || !isObject(v.period) || !isObject(v.grade) || !isObject(v.figures)) return false;
  return typeof v.period.key === 'string' && typeof v.grade.stars === 'number' && Array.isArray(v.grade.criteria) && typeof v.final === 'boolean';
}

/** Whether a value is a room as the list and the page draw it. */
export function isRoomSummary(v: unknown): v is RoomSummary {
  return (
    isObject(v) &&
    typeof v.id === 'string' &&
    isText(v.name) &&
    typeof v.level === 'string' &&
    Array.isArray(v.conveners) &&
    Array.isArray(v.members ?? []) &&
    typeof (v.topics ?? 0) === 'number' &&
    (v.grade === undefined || isGradeRecord(v.grade))
  );
}

function isRoomData(v: unknown): v is RoomData {
  return isObject(v) && isRoomSummary(v.room) && Array.isArray(v.grades) && v.grades.every(isGradeRecord) && (v.trends === undefined || (isObject(v.trends) && Array.isArray(v.trends.months)));
}

function isPerformanceData(v: unknown): v is PerformanceData {
  return (
    isObject(v) &&
    typeof v.year === 'number' &&
    Array.isArray(v.files) &&
    v.files.every((f) => isObject(f) && isObject(f.person) && typeof f.person.id === 'string' && isObject(f.counts) && Array.isArray(f.targets))
  );
}

/** `{endpoint}/programmes/{programme}`, the base of a programme's routes. */
export function programmeBase(endpoint: string, programme: string): string {
  return `${endpoint.replace(/\/+$/, '')}/programmes/${encodeURIComponent(programme)}`;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Reads JSON from a route, checked by `check`; never throws. Offline, a network failure, a
 * refusal (by status) and an answer of another shape each come back as a `ReadFailure`.
 */
export async function read<T>(url: string, check: (body: unknown) => body is T, options: { fetch?: typeof fetch | undefined; token?: ReadToken; signal?: AbortSignal | undefined }): Promise<Read<T>> {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return { ok: false, reason: 'offline' };
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  let res: Response;
  try {
    if (options.token !== undefined) {
      const token = typeof options.token === 'function' ? await options.token() : options.token;
      if (!token) return { ok: false, reason: 'signed-out' };
      headers.Authorization = `Bearer ${token}`;
    }
    const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    res = await doFetch(url, { headers, cache: 'no-store', ...(options.signal ? { signal: options.signal } : {}) });
  } catch {
    return { ok: false, reason: 'unreachable' };
  }
  if (!res.ok) {
    const status = res.status;
    const reason: ReadFailureReason = status === 401 ? 'signed-out' : status === 403 ? 'forbidden' : status === 404 ? 'not-found' : 'unavailable';
    return { ok: false, reason, status };
  }
  try {
    const body: unknown = await res.json();
    return check(body) ? { ok: true, value: body } : { ok: false, reason: 'unreachable' };
  } catch {
    return { ok: false, reason: 'unreachable' };
  }
}

export interface ReadOptions {
  endpoint: string;
  programme: string;
  now?: string | undefined;
  fetch?: typeof fetch | undefined;
  signal?: AbortSignal | undefined;
}

/** `GET …/rooms?now=`: every room with its current grade. */
export function readRooms(o: ReadOptions): Promise<Read<RoomSummary[]>> {
  const isList = (body: unknown): body is { rooms: RoomSummary[] } => isObject(body) && Array.isArray(body.rooms) && body.rooms.every(isRoomSummary);
  return read(`${programmeBase(o.endpoint, o.programme)}/rooms${query({ now: o.now })}`, isList, { ...(o.fetch ? { fetch: o.fetch } : {}), ...(o.signal ? { signal: o.signal } : {}) }).then((r) =>
    r.ok ? { ok: true, value: r.value.rooms } : r,
  );
}

/** `GET …/rooms/{room}?now=`: one room, its grade history and its trends. */
export function readRoom(o: ReadOptions & { room: string }): Promise<Read<RoomData>> {
  return read(`${programmeBase(o.endpoint, o.programme)}/rooms/${encodeURIComponent(o.room)}${query({ now: o.now })}`, isRoomData, {
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
}

/** `GET …/performance?year=&now=` with the bearer token: the performance files the token may see. */
export function readPerformance(o: ReadOptions & { year?: number | undefined; token: ReadToken }): Promise<Read<PerformanceData>> {
  return read(`${programmeBase(o.endpoint, o.programme)}/performance${query({ year: o.year, now: o.now })}`, isPerformanceData, {
    token: o.token,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
}
