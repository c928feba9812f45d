/**
 * Requests about personal data (PIPL Art. 45 and 47, GDPR Art. 15 and 17), admin tokens only:
 * `POST /programmes/{id}/erasures` erases the personal values of a topic, a subject or a value;
 * `GET /programmes/{id}/exports` gives everything held about one as JSON. See personal.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../http/context.js';
import { authorizeAdmin } from '../auth.js';
import { authenticateRequest } from '../authn.js';
import { erasePersonal, exportPersonal, type PersonalQuery } from '../personal.js';
import { Problem } from '../problems.js';
import { requireProgrammeConfig } from '../programmes.js';
import { singleQuery, type ProgrammeParams } from '../http/request.js';

const KEYS = ['topicId', 'subjectId', 'value'] as const;

/** Exactly one of `topicId`, `subjectId`, `value`, a non-blank string of at most 500 characters; else a 400 naming the fault. */
export function personalQuery(source: unknown, where: 'body' | 'query'): PersonalQuery {
  const object = (typeof source === 'object' && source !== null && !Array.isArray(source) ? source : {}) as Record<string, unknown>;
  const given = KEYS.filter((k) => object[k] !== undefined);
  const fault = (message: string, name = '') =>
    new Problem('invalid-request', message, { errors: [where === 'body' ? { pointer: name ? `/${name}` : '', message } : { parameter: name || 'topicId', message }] });
  if (where === 'body') {
    const unknown = Object.keys(object).filter((k) => !(KEYS as readonly string[]).includes(k));
    if (typeof source !== 'object' || source === null || Array.isArray(source)) throw fault('The body must be a JSON object with one of topicId, subjectId or value.');
    if (unknown.length > 0) throw fault(`The body has no member "${unknown[0]}"; give one of topicId, subjectId or value.`, unknown[0]);
  }
  if (given.length !== 1) throw fault(`Give exactly one of topicId, subjectId or value; got ${given.length === 0 ? 'none' : given.join(' and ')}.`);
  const name = given[0]!;
  const value = where === 'query' ? singleQuery(object, name) : object[name];
  if (typeof value !== 'string' || value.trim() === '' || value.length > 500) throw fault(`${name} must be a non-blank text of at most 500 characters.`, name);
  return { [name]: value } as PersonalQuery;
}

/** Registers the erasure and export routes. */
export async function privacyRoutes(app: FastifyInstance, { db }: RouteContext): Promise<void> {
  app.post<{ Params: ProgrammeParams }>('/programmes/:programmeId/erasures', async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    const admin = authorizeAdmin(authenticateRequest(request), 'Erasing personal data');
    const query = personalQuery(request.body, 'body');
    const erasure = await erasePersonal(db, programme.id, query, admin.id);
    // What was done, never what was erased.
    request.log.info({ programme: programme.id, erasure: erasure.id, entries: erasure.entries, topics: erasure.topics.length }, 'personal data erased');
    return { erasure };
  });

  app.get<{ Params: ProgrammeParams }>('/programmes/:programmeId/exports', async (request, reply) => {
    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    authorizeAdmin(authenticateRequest(request), 'Exporting personal data');
    const query = personalQuery(request.query, 'query');
    reply.header('Cache-Control', 'no-store');
    return exportPersonal(db, programme.id, query);
  });
}
