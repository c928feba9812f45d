/**
 * `GET /programmes/{id}/follow/{code}`: which topic a follow code belongs to (a second device
 * adds it to "my topics"). Open to anyone; look-ups are limited per client (429 with
 * Retry-After: failed ones by follow-codes.ts, all of them by limits.ts, see
 * `checkRequestFollowCode`), a wrong code is 404, a revoked one 403.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../http/context.js';
import { requireProgrammeConfig } from '../programmes.js';
import { checkRequestFollowCode } from '../events/routes.js';
import type { ProgrammeParams } from '../http/request.js';

/** Registers the follow-code route. */
export async function followRoutes(app: FastifyInstance, { db, options }: RouteContext): Promise<void> {
  app.get<{ Params: ProgrammeParams & { code: string } }>('/programmes/:programmeId/follow/:code', async (request, reply) => {
    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    const match = await checkRequestFollowCode(db, options, request, programme.id, request.params.code);
    // The answer names a topic to whoever holds its code: no cache may keep it.
    reply.header('Cache-Control', 'no-store');
    return { programmeId: programme.id, topicId: match.topicId };
  });
}
