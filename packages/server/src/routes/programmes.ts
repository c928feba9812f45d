/** `GET /programmes`, `GET /programmes/{id}/config` and `GET /programmes/{id}/figures`. */
import type { FastifyInstance } from 'fastify';
import { isIsoTime, replay, selectFigures } from '@consult-kit/machine';
import type { RouteContext } from '../app.js';
import { allEntries } from '../event-log.js';
import { Problem } from '../problems.js';
import { CONFIG_CHECKED_HEADER, configCheckedValue, listProgrammes, requireProgramme } from '../programmes.js';

/** The route's path parameter. */
export interface ProgrammeParams {
  programmeId: string;
}

/** Whether `If-None-Match` names this entity tag (weak comparison, `*`, lists). */
export function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** A query parameter given once, or undefined; a repeated one is a 400. */
export function singleQuery(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new Problem('invalid-request', `${name} may be given once.`, { errors: [{ parameter: name, message: 'must be given once' }] });
}

/** Registers the programme routes. */
export function programmeRoutes(app: FastifyInstance, { db, options }: RouteContext): void {
  app.get('/programmes', async () => ({ programmes: await listProgrammes(db) }));

  app.get<{ Params: ProgrammeParams }>('/programmes/:programmeId/config', async (request, reply) => {
    // requireProgramme gives only configs that passed parseWorkflowConfig (configOf checks the text).
    const programme = await requireProgramme(db, request.params.programmeId);
    // The body as the bytes sent, so the digest covers exactly them (also on the 304: the body the tag names).
    const body = Buffer.from(programme.configText, 'utf8');
    reply.header('ETag', programme.etag).header('Cache-Control', 'no-cache').header(CONFIG_CHECKED_HEADER, configCheckedValue(body));
    if (ifNoneMatch(request.headers['if-none-match'], programme.etag)) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.get<{ Params: ProgrammeParams }>('/programmes/:programmeId/figures', async (request) => {
    // An unencoded '+' of an offset arrives as a space: take it back.
    const now = singleQuery(request.query, 'now')?.replace(/ (\d{2}:\d{2})$/, '+$1');
    if (now !== undefined && !(isIsoTime(now) && now.includes('T'))) {
      throw new Problem('invalid-request', 'now must be an ISO 8601 date-time with its offset, e.g. 2026-07-20T08:00:00+08:00.', {
        errors: [{ parameter: 'now', message: 'must be a date-time' }],
      });
    }
    const programme = await requireProgramme(db, request.params.programmeId);
    const { topics } = replay(programme.config, await allEntries(db, programme.id));
    // Ratings come counted by kind of rater (ratingsByKind), never by name.
    return selectFigures(topics.values(), now ?? (options.clock?.() ?? new Date()).toISOString());
  });
}
