/**
 * Rooms in a config: finding one, the room a topic is raised in or escalated to, and the URL a
 * room's QR code opens. Pure functions of a normalized config.
 */
import { LEVEL_RANK, type Level, type SourceId, type WorkflowConfig } from '../config/config.types.js';
import { categoryField } from '../config/category-field.js';
import { DEFAULT_INTAKE_URL } from './rooms-defaults.js';
import type { RoomConfig } from './rooms.types.js';

const indexes = new WeakMap<WorkflowConfig, ReadonlyMap<string, RoomConfig>>();

function index(config: WorkflowConfig): ReadonlyMap<string, RoomConfig> {
  let found = indexes.get(config);
  if (!found) {
    found = new Map((config.rooms?.list ?? []).map((room) => [room.id, room]));
    indexes.set(config, found);
  }
  return found;
}

/** The room with this id, if the config lists it. */
export function roomById(config: WorkflowConfig, id: string | null | undefined): RoomConfig | undefined {
  return typeof id === 'string' ? index(config).get(id) : undefined;
}

/** The rooms at a level, in the config's order. */
export function roomsAt(config: WorkflowConfig, level: Level): RoomConfig[] {
  return (config.rooms?.list ?? []).filter((room) => room.level === level);
}

/**
 * The room a topic raised without one goes to: at its level, the room whose `categories` include
 * the topic's category value; else the only room there that takes any category (empty
 * `categories`); else the only room at that level; else none.
 */
export function roomForTopic(config: WorkflowConfig, level: Level, values: Readonly<Record<string, unknown>>): RoomConfig | undefined {
  const rooms = roomsAt(config, level);
  if (rooms.length === 0) return undefined;
  const field = categoryField(config);
  const category = field ? values[field.name] : undefined;
  if (typeof category === 'string') {
    const handling = rooms.find((room) => room.categories.includes(category));
    if (handling) return handling;
  }
  const open = rooms.filter((room) => room.categories.length === 0);
  if (open.length === 1) return open[0];
  return rooms.length === 1 ? rooms[0] : undefined;
}

/**
 * The room an escalation to `level` moves a topic to: the nearest ancestor of its room (through
 * `parent`) at that level, else the only room at that level, else none.
 */
export function roomForEscalation(config: WorkflowConfig, from: string | undefined, level: Level): RoomConfig | undefined {
  const seen = new Set<string>();
  for (let room = roomById(config, from); room && !seen.has(room.id); room = roomById(config, room.parent)) {
    seen.add(room.id);
    if (room.id !== from && room.level === level) return room;
    // Past the level sought: no ancestor further up can be at it.
    if (LEVEL_RANK[room.level] > LEVEL_RANK[level]) break;
  }
  const rooms = roomsAt(config, level);
  return rooms.length === 1 ? rooms[0] : undefined;
}

/**
 * The URL a room's QR code opens (码上议): `rooms.intakeUrl` (or the default) with `{programme}`,
 * `{room}` and `{source}` filled, each URL-encoded. Relative URLs stay relative: resolve them
 * against the portal's address.
 */
export function intakeUrlFor(config: WorkflowConfig, roomId: string, source: SourceId): string {
  const values: Record<string, string> = { programme: config.id, room: roomId, source };
  return (config.rooms?.intakeUrl ?? DEFAULT_INTAKE_URL).replace(/\{(programme|room|source)\}/g, (_, name: string) => encodeURIComponent(values[name]!));
}
