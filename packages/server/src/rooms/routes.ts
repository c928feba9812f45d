/**
 * The consultation rooms (协商议事室), their star grades (星级评定), the trends the charts draw and
 * the members' performance files (履职档案), all computed by the machine's selectors from the
 * programme's log (each topic replayed with the config version it started under), so the server
 * answers the same numbers the browser computes. The topics come from the programme's projection
 * (projections/replayed.ts: caught up from its log position, never a full replay per request).
 *
 * - `GET /programmes/{p}/rooms?now=` and `GET /programmes/{p}/rooms/{room}?now=`: public (a room
 *   names its officials only: conveners and members act in their role).
 * - `GET /programmes/{p}/trends?room=&now=`: public; month by month.
 * - `GET /programmes/{p}/performance?year=&now=`: a token; an admin sees every file, a member or
 *   convener only their own (the file whose person is the token's subject; an empty list when
 *   there is none), any other role 403, no token 401.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  intakeUrlFor,
  isIsoTime,
  roomById,
  selectPerformanceFiles,
  selectRoomGrades,
  selectTrends,
  type RoomConfig,
  type RoomGradeRecord,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine';
import type { RouteContext } from '../http/context.js';
import { unauthenticated } from '../auth.js';
import { authenticateRequest } from '../authn.js';
import { Problem } from '../problems.js';
import { requireProgrammeConfig } from '../programmes.js';
import { outOfScope, readScope } from '../scope.js';
import { clientSignal, projectionsOf } from '../projections/index.js';
import { singleQuery, type ProgrammeParams } from '../http/request.js';

function bad(parameter: string, message: string): Problem {
  return new Problem('invalid-request', `${parameter} ${message}.`, { errors: [{ parameter, message }] });
}

/** Refuses a query parameter the route does not take (a typo must not change an answer silently). */
function onlyParameters(query: unknown, allowed: readonly string[]): void {
  for (const name of Object.keys((query as Record<string, unknown> | undefined) ?? {})) {
    if (!allowed.includes(name)) throw bad(name, `is not a parameter of this route; it takes ${allowed.join(', ')}`);
  }
}

/**
 * `now` as the figures route takes it (an ISO date-time with its offset), or the server's clock
 * with its seconds dropped (the minute it is in: reads of an unchanged log within a minute share
 * one result, projections/replayed.ts `derive`).
 */
export function nowOf(query: unknown, clock: (() => Date) | undefined): string {
  // An unencoded '+' of an offset arrives as a space: take it back.
  const now = singleQuery(query, 'now')?.replace(/ (\d{2}:\d{2})$/, '+$1');
  if (now !== undefined && !(isIsoTime(now) && now.includes('T'))) {
    throw bad('now', 'must be an ISO 8601 date-time with its offset, e.g. 2026-07-20T08:00:00+08:00');
  }
  return now ?? new Date(Math.floor((clock?.() ?? new Date()).getTime() / 60_000) * 60_000).toISOString();
}

/** One room as the list and the room page answer it. */
export type RoomItem = RoomConfig & { intakeUrl: string; topics: number; grade: RoomGradeRecord };

function roomItem(config: WorkflowConfig, topics: readonly TopicSnapshot[], room: RoomConfig, grades: RoomGradeRecord[]): RoomItem {
  const count = topics.filter((s) => s.context.submittedAt && s.context.room === room.id).length;
  return { ...room, intakeUrl: intakeUrlFor(config, room.id, 'resident'), topics: count, grade: grades.at(-1)! };
}

function requireRoom(config: WorkflowConfig, id: string, programmeId: string): RoomConfig {
  const room = roomById(config, id);
  if (room) return room;
  const known = (config.rooms?.list ?? []).map((r) => r.id);
  throw new Problem('unknown-room', `Programme "${programmeId}" has no room "${id.slice(0, 100)}"${known.length ? `; its rooms: ${known.join(', ')}` : '; it has no rooms'}.`);
}

/** Registers the rooms, trends and performance routes. */
export async function roomRoutes(app: FastifyInstance, { db, options }: RouteContext): Promise<void> {
  // A selector's result on the programme's projection (caught up from the position it holds),
  // kept per log position under `key` (projections/replayed.ts `derive`).
  const derive = async <T>(programmeId: string, key: string, request: FastifyRequest, reply: FastifyReply, compute: (topics: TopicSnapshot[]) => T): Promise<T> => {
    const result = await projectionsOf(db).derive(programmeId, key, compute, clientSignal(request, reply));
    if (result === null) throw new Problem('unknown-programme', `There is no programme "${programmeId}" on this server.`);
    return result;
  };

  app.get<{ Params: ProgrammeParams }>('/programmes/:programmeId/rooms', async (request, reply) => {
    onlyParameters(request.query, ['now']);
    const now = nowOf(request.query, options.clock);
    const { id, etag, config } = await requireProgrammeConfig(db, request.params.programmeId);
    const rooms = await derive(id, `rooms ${etag} ${now}`, request, reply, (topics) =>
      (config.rooms?.list ?? []).map((room) => roomItem(config, topics, room, selectRoomGrades(topics, config, room.id, now))),
    );
    reply.header('Cache-Control', 'no-cache');
    return { rooms };
  });

  app.get<{ Params: ProgrammeParams & { roomId: string } }>('/programmes/:programmeId/rooms/:roomId', async (request, reply) => {
    onlyParameters(request.query, ['now']);
    const now = nowOf(request.query, options.clock);
    const { id, etag, config } = await requireProgrammeConfig(db, request.params.programmeId);
    const room = requireRoom(config, request.params.roomId, id);
    const page = await derive(id, `room ${etag} ${room.id} ${now}`, request, reply, (topics) => {
      const grades = selectRoomGrades(topics, config, room.id, now);
      return { room: roomItem(config, topics, room, grades), grades, trends: selectTrends(topics, config, { room: room.id, now }) };
    });
    reply.header('Cache-Control', 'no-cache');
    return page;
  });

  app.get<{ Params: ProgrammeParams }>('/programmes/:programmeId/trends', async (request, reply) => {
    onlyParameters(request.query, ['room', 'now']);
    const now = nowOf(request.query, options.clock);
    const { id, etag, config } = await requireProgrammeConfig(db, request.params.programmeId);
    const roomId = singleQuery(request.query, 'room');
    if (roomId !== undefined && !roomById(config, roomId)) {
      const known = (config.rooms?.list ?? []).map((r) => r.id);
      throw bad('room', known.length ? `must be one of the programme's rooms (${known.join(', ')}); got "${roomId.slice(0, 100)}"` : `names "${roomId.slice(0, 100)}", but this programme has no rooms`);
    }
    const trends = await derive(id, `trends ${etag} ${roomId ?? ''} ${now}`, request, reply, (topics) => selectTrends(topics, config, { room: roomId ?? null, now }));
    reply.header('Cache-Control', 'no-cache');
    return trends;
  });

  app.get<{ Params: ProgrammeParams }>('/programmes/:programmeId/performance', async (request, reply) => {
    onlyParameters(request.query, ['year', 'now']);
    const now = nowOf(request.query, options.clock);
    const rawYear = singleQuery(request.query, 'year');
    if (rawYear !== undefined && !/^(19|20|21)\d{2}$/.test(rawYear)) throw bad('year', 'must be a year such as 2026');
    const year = rawYear === undefined ? Number(now.slice(0, 4)) : Number(rawYear);
    const { id, etag, config } = await requireProgrammeConfig(db, request.params.programmeId);

    const auth = authenticateRequest(request);
    if (auth.kind !== 'token') throw unauthenticated(auth, 'Performance files need a token: admins read every file, members and conveners their own.');
    const { principal } = auth;
    const admin = principal.roles.includes('admin');
    if (!admin && !principal.roles.some((r) => r === 'member' || r === 'convener')) {
      throw new Problem('forbidden', 'Performance files are read by admins (every file) and by members and conveners (their own).', { reason: 'role-not-held' });
    }
    if (!readScope(principal, id).programme) {
      throw outOfScope({ missingScope: `programme:${id}`, detail: `You read ${principal.scopes?.programmes?.join(', ') || 'no consultation room'}, not the consultation room "${id}".` });
    }
    const files = await derive(id, `performance ${etag} ${year} ${now}`, request, reply, (topics) => selectPerformanceFiles(topics, config, year, now));
    reply.header('Cache-Control', 'private, no-store');
    return { year, files: admin ? files : files.filter((f) => f.person.id === principal.id) };
  });
}
