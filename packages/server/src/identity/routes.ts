/**
 * `GET /identity`: what a staff page needs to sign in — whether this server has a token table,
 * and the city's OpenID Connect provider with the public client (Authorization Code + PKCE) and
 * scope to use. Public and the same for everyone: cacheable for a minute.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../http/context.js';

/** The answer of `GET /identity` (the contract's `Identity`). */
export interface IdentityInfo {
  /** Whether the server has a token table (staff may paste a token). */
  tokens: boolean;
  /** The provider to sign in with; absent without `--oidc-issuer` and `--oidc-client-id`. */
  oidc?: { issuer: string; clientId: string; scope: string };
}

/** What a staff page is told about signing in. */
export function identityInfo(options: RouteContext['options']): IdentityInfo {
  const { oidc } = options;
  return {
    tokens: options.tokens.size > 0,
    ...(oidc?.clientId ? { oidc: { issuer: oidc.issuer, clientId: oidc.clientId, scope: oidc.scope } } : {}),
  };
}

/** Registers the sign-in discovery route. */
export async function identityRoutes(app: FastifyInstance, { options }: RouteContext): Promise<void> {
  const body = identityInfo(options);
  app.get('/identity', async (_request, reply) => {
    reply.header('Cache-Control', 'public, max-age=60');
    return body;
  });
}
