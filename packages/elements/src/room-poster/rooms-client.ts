/**
 * The public room reads the poster and the exports panel make: `GET {endpoint}/programmes/{p}/rooms`
 * (each room with its filled `intakeUrl`) and the programme's name from its config. Nothing here
 * needs a token or carries personal data beyond the officials a room names.
 */
import type { LocalizedText, RoomConfig } from '@consult-kit/machine/core';

/** One room as `GET …/rooms` answers it (the grade and counts are not needed here, so optional). */
export type RoomItem = RoomConfig & { intakeUrl: string; topics?: number; grade?: unknown };

export type ReadFailure = { ok: false; reason: 'offline' | 'unreachable' | 'refused'; status?: number; detail: string };
export type RoomsResult = { ok: true; rooms: RoomItem[] } | ReadFailure;

function base(endpoint: string, programme: string): string {
  return `${endpoint.replace(/\/+$/, '')}/programmes/${encodeURIComponent(programme)}`;
}

function isText(value: unknown): value is LocalizedText {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)['zh-CN'] === 'string' && typeof (value as Record<string, unknown>).en === 'string';
}

function isRoom(value: unknown): value is RoomItem {
  const room = value as Partial<RoomItem> | null;
  return typeof room === 'object' && room !== null && typeof room.id === 'string' && isText(room.name) && typeof room.intakeUrl === 'string';
}

/** Reads JSON from a public route; never throws. */
async function readJson(url: string, doFetch: typeof fetch): Promise<{ ok: true; body: unknown } | ReadFailure> {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return { ok: false, reason: 'offline', detail: 'offline' };
  let res: Response;
  try {
    res = await doFetch(url, { headers: { Accept: 'application/json, application/problem+json' } });
  } catch (error) {
    return { ok: false, reason: 'unreachable', detail: error instanceof Error ? error.message : String(error) };
  }
  if (!res.ok) return { ok: false, reason: 'refused', status: res.status, detail: `HTTP ${res.status}` };
  try {
    return { ok: true, body: (await res.json()) as unknown };
  } catch (error) {
    return { ok: false, reason: 'unreachable', detail: error instanceof Error ? error.message : String(error) };
  }
}

/** The programme's rooms, as the server lists them (rooms of another shape are left out). */
export async function fetchRooms(endpoint: string, programme: string, doFetch: typeof fetch = (i, o) => fetch(i, o)): Promise<RoomsResult> {
  const read = await readJson(`${base(endpoint, programme)}/rooms`, doFetch);
  if (!read.ok) return read;
  const rooms = (read.body as { rooms?: unknown } | null)?.rooms;
  if (!Array.isArray(rooms)) return { ok: false, reason: 'unreachable', detail: 'The server answered in an unexpected shape.' };
  return { ok: true, rooms: rooms.filter(isRoom) };
}

/** The programme's name (the config's `title`), or undefined when it cannot be read. */
export async function fetchProgrammeTitle(endpoint: string, programme: string, doFetch: typeof fetch = (i, o) => fetch(i, o)): Promise<LocalizedText | undefined> {
  const read = await readJson(`${base(endpoint, programme)}/config`, doFetch);
  if (!read.ok) return undefined;
  const title = (read.body as { title?: unknown } | null)?.title;
  return isText(title) ? title : undefined;
}
