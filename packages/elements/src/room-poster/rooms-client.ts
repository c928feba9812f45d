/**
 * The public room reads the poster and the exports panel make: `GET {endpoint}/programmes/{p}/rooms`
 * (each room with its filled `intakeUrl`) and the programme's name from its config. Nothing here
 * needs a token or carries personal data beyond the officials a room names. The reading itself
 * (offline, network failures, refusals) is the room page's (`room/room-client.ts`); this module
 * only keeps the rooms that carry an intake address and says what failed in words.
 */
import type { LocalizedText, RoomConfig } from '@consult-kit/machine/core';
import { programmeBase, read, type ReadFailure as Failure } from '../room/room-client.js';

/** One room as `GET …/rooms` answers it (the grade and counts are not needed here, so optional). */
export type RoomItem = RoomConfig & { intakeUrl: string; topics?: number; grade?: unknown };

export type ReadFailure = { ok: false; reason: 'offline' | 'unreachable' | 'refused'; status?: number; detail: string };
export type RoomsResult = { ok: true; rooms: RoomItem[] } | ReadFailure;

function isText(value: unknown): value is LocalizedText {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)['zh-CN'] === 'string' && typeof (value as Record<string, unknown>).en === 'string';
}

function isRoom(value: unknown): value is RoomItem {
  const room = value as Partial<RoomItem> | null;
  return typeof room === 'object' && room !== null && typeof room.id === 'string' && isText(room.name) && typeof room.intakeUrl === 'string';
}

/** A failed read in the words the poster and the exports panel show. */
function failure(read: Failure): ReadFailure {
  if (read.reason === 'offline') return { ok: false, reason: 'offline', detail: 'offline' };
  if (read.status !== undefined) return { ok: false, reason: 'refused', status: read.status, detail: `HTTP ${read.status}` };
  return { ok: false, reason: 'unreachable', detail: 'The server could not be reached, or answered in an unexpected shape.' };
}

const hasRooms = (body: unknown): body is { rooms: unknown[] } => typeof body === 'object' && body !== null && Array.isArray((body as { rooms?: unknown }).rooms);
const isObject = (body: unknown): body is Record<string, unknown> => typeof body === 'object' && body !== null;

/** The programme's rooms, as the server lists them (rooms of another shape are left out). */
export async function fetchRooms(endpoint: string, programme: string, doFetch?: typeof fetch): Promise<RoomsResult> {
  const got = await read(`${programmeBase(endpoint, programme)}/rooms`, hasRooms, { fetch: doFetch });
  return got.ok ? { ok: true, rooms: got.value.rooms.filter(isRoom) } : failure(got);
}

/** The programme's name (the config's `title`), or undefined when it cannot be read. */
export async function fetchProgrammeTitle(endpoint: string, programme: string, doFetch?: typeof fetch): Promise<LocalizedText | undefined> {
  const got = await read(`${programmeBase(endpoint, programme)}/config`, isObject, { fetch: doFetch });
  return got.ok && isText(got.value.title) ? got.value.title : undefined;
}
