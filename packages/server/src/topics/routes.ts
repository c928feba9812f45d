/**
 * `GET /programmes/{id}/topics`: the paged, filterable topic index (topic-index.ts), open to
 * anyone: it holds no personal data. Each read first catches the index up with the log, so a
 * topic appended a moment ago is in it; appends schedule a catch-up for when the log is quiet.
 * The answer says when it was read (`asOf`, the server's clock, or the `now` asked for): the
 * items' overdue flags are computed at that moment.
 */
import type { FastifyInstance } from 'fastify';
import { isIsoTime, LEVEL_RANK, roomById, toMillis, type WorkflowConfig } from '@consult-kit/machine';
import type { RouteContext } from '../http/context.js';
import { Problem } from '../problems.js';
import { requireProgrammeConfig } from '../programmes.js';
import { normaliseFollowCode } from '../follow-codes.js';
import { useClock } from '../notifications/jobs.js';
import { clientSignal } from '../projections/index.js';
import { catchUpIndex, queryIndex, settleCatchUps, type IndexQuery } from '../topic-index.js';
import { checkRequestFollowCode } from '../events/routes.js';
import { singleQuery, type ProgrammeParams } from '../http/request.js';

/** Page size when `limit` is not given, and its ceiling. */
export const INDEX_LIMIT = { default: 20, max: 100 } as const;

/** The top states a topic can be in (the `status` filter). */
export const TOPIC_STATUSES = [
  'screening',
  'rejected',
  'merged',
  'redirected',
  'withdrawn',
  'research',
  'meeting',
  'handling',
  'evaluation',
  'closed',
  'unresolved',
] as const;

const SOURCES = ['resident', 'member', 'government', 'grid', 'open311'] as const;
const LEVELS = Object.keys(LEVEL_RANK);

/** The query parameters the route takes; any other is a 400 (a typo must not widen a filter silently). */
const PARAMETERS = new Set(['status', 'level', 'source', 'category', 'room', 'overdue', 'q', 'followCode', 'limit', 'cursor', 'now']);

function bad(parameter: string, message: string): Problem {
  return new Problem('invalid-request', `${parameter} ${message}.`, { errors: [{ parameter, message }] });
}

/** A comma-separated list of allowed values (each at most once), or undefined. */
function listOf(query: unknown, name: string, allowed: readonly string[] | null): string[] | undefined {
  const raw = singleQuery(query, name);
  if (raw === undefined) return undefined;
  const values = raw.split(',').map((v) => v.trim());
  if (values.some((v) => v === '' || v.length > 100)) throw bad(name, 'must be a comma-separated list of non-empty values of at most 100 characters');
  if (values.length > 20) throw bad(name, 'may list at most 20 values');
  if (allowed) {
    const unknown = values.find((v) => !allowed.includes(v));
    if (unknown !== undefined) throw bad(name, `must be one or more of ${allowed.join(', ')} (comma-separated); got "${unknown}"`);
  }
  return [...new Set(values)];
}

/** Checks that every room a filter names is one of the config's rooms (a typo must not answer an empty board). */
export function checkRooms(config: WorkflowConfig, rooms: readonly string[] | undefined): void {
  const unknown = rooms?.find((id) => !roomById(config, id));
  if (unknown === undefined) return;
  const known = (config.rooms?.list ?? []).map((r) => r.id);
  throw bad('room', known.length === 0 ? `names "${unknown}", but this programme has no rooms` : `must be one or more of the programme's rooms (${known.join(', ')}); got "${unknown}"`);
}

/** The opaque cursor of a page: the last topic's submission seq, base64url. */
export function encodeCursor(submittedSeq: number): string {
  return Buffer.from(`s${submittedSeq}`, 'utf8').toString('base64url');
}

/** A cursor's submission seq, or undefined when it was not given out by this route. */
export function decodeCursor(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^s[1-9][0-9]{0,15}$/.test(text)) return undefined;
  const seq = Number(text.slice(1));
  return Number.isSafeInteger(seq) ? seq : undefined;
}

/** Checks the query string; the filters (without the follow code) and the code, if any. */
function parseQuery(query: unknown, requestTime: number): { filters: Omit<IndexQuery, 'topicIds'>; followCode?: string; cursor?: string } {
  for (const name of Object.keys((query as Record<string, unknown> | undefined) ?? {})) {
    if (!PARAMETERS.has(name)) throw bad(name, `is not a parameter of this route; it takes ${[...PARAMETERS].join(', ')}`);
  }
  const rawLimit = singleQuery(query, 'limit');
  const limit = rawLimit === undefined ? INDEX_LIMIT.default : /^\d{1,3}$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
  if (!(limit >= 1 && limit <= INDEX_LIMIT.max)) throw bad('limit', `must be a whole number from 1 to ${INDEX_LIMIT.max}`);

  const filters: Omit<IndexQuery, 'topicIds'> = { limit, now: requestTime };
  const status = listOf(query, 'status', TOPIC_STATUSES);
  const level = listOf(query, 'level', LEVELS);
  const source = listOf(query, 'source', SOURCES);
  const category = listOf(query, 'category', null);
  if (status) filters.status = status;
  if (level) filters.level = level;
  if (source) filters.source = source;
  if (category) filters.category = category;
  const room = listOf(query, 'room', null);
  if (room) filters.room = room;

  const overdue = singleQuery(query, 'overdue');
  if (overdue !== undefined) {
    if (overdue !== 'true' && overdue !== 'false') throw bad('overdue', 'must be true or false');
    filters.overdue = overdue === 'true';
  }
  const q = singleQuery(query, 'q');
  if (q !== undefined) {
    const text = q.trim();
    if (text === '' || text.length > 200) throw bad('q', 'must be 1–200 characters of text to find');
    filters.q = text;
  }
  // An unencoded '+' of an offset arrives as a space: take it back (as /figures does).
  const now = singleQuery(query, 'now')?.replace(/ (\d{2}:\d{2})$/, '+$1');
  if (now !== undefined) {
    if (!(isIsoTime(now) && now.includes('T'))) throw bad('now', 'must be an ISO 8601 date-time with its offset, e.g. 2026-07-20T08:00:00+08:00');
    filters.now = toMillis(now);
  }
  const cursor = singleQuery(query, 'cursor');
  if (cursor !== undefined) {
    const before = decodeCursor(cursor);
    if (before === undefined) throw new Problem('invalid-cursor', `The cursor "${cursor.slice(0, 60)}" was not given out by this route; read again from the first page.`);
    filters.before = before;
  }
  const rawCode = singleQuery(query, 'followCode');
  let followCode: string | undefined;
  if (rawCode !== undefined) {
    const code = normaliseFollowCode(rawCode);
    if (!code) throw bad('followCode', 'must be a follow code: 12 letters and digits (no 0, O, 1, I or L), spaces and hyphens ignored');
    followCode = code;
  }
  return { filters, ...(followCode ? { followCode } : {}), ...(cursor ? { cursor } : {}) };
}

/** Registers the index route, and the catch-up after appends. */
export async function topicRoutes(app: FastifyInstance, { db, options }: RouteContext): Promise<void> {
  // The catch-ups of this database (after appends, on reads, by the clock) derive the clock's
  // jobs and the notices with this app's clock and notify file (notifications/jobs.ts).
  useClock(db, options, app.log);
  app.get<{ Params: ProgrammeParams }>('/programmes/:programmeId/topics', async (request, reply) => {
    // The server's clock (AppOptions.clock), which the clock's jobs and the overdue list read too.
    const asOf = options.clock?.() ?? new Date();
    const { filters, followCode, cursor } = parseQuery(request.query, asOf.getTime());
    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    checkRooms(programme.config, filters.room);
    // Incremental (the entries after the index's watermark), shared with concurrent reads, and
    // stopped when this read's client goes and nobody else waits (topic-index.ts).
    await catchUpIndex(db, programme.id, { signal: clientSignal(request, reply) });
    const query: IndexQuery = { ...filters };
    if (followCode) {
      // The same check as every route a code opens (follow-codes.ts): 404 for a code of no
      // topic, 403 when revoked, 429 after too many misses, so the index is no guessing oracle.
      const match = await checkRequestFollowCode(db, options, request, programme.id, followCode);
      query.topicIds = [match.topicId];
    }
    const page = await queryIndex(db, programme.id, query);
    return {
      asOf: new Date(query.now).toISOString(),
      items: page.items,
      total: page.total,
      cursor: page.last !== undefined ? encodeCursor(page.last) : (cursor ?? ''),
      more: page.more,
    };
  });

  app.addHook('onClose', async () => {
    await settleCatchUps(db);
  });
}
