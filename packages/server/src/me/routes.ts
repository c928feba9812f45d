/**
 * `GET /me`: who the bearer token stands for — the id the server stamps as `by.id`, the display
 * name, roles, scopes and how the subject was verified. A staff page asks before it shows a desk.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../http/context.js';
import { unauthenticated } from '../auth.js';
import { authenticateRequest } from '../authn.js';

/** Registers the who-am-I route. */
export async function meRoutes(app: FastifyInstance, _context: RouteContext): Promise<void> {
  app.get('/me', async (request, reply) => {
    const auth = authenticateRequest(request);
    if (auth.kind !== 'token') throw unauthenticated(auth, 'Send a token (Authorization: Bearer …) to learn who it stands for.');
    const { id, name, roles, scopes, source } = auth.principal;
    reply.header('Cache-Control', 'no-store');
    return { id, ...(name === undefined ? {} : { name }), roles, ...(scopes === undefined ? {} : { scopes }), source: source ?? 'token' };
  });
}
