/**
 * The HTTP app: Fastify with CORS by an allow-list, a rate limit per client, a strict JSON body
 * parser, every error as `application/problem+json`, the contract's routes under `/api`, the
 * programme list at `/`, the low-code studio at `/studio` (always: the city's admin tool) and,
 * with `--portal`, a city portal's static files at `/` (the list then at `/programmes`) and the
 * one-file embed at `/assets/`.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { randomUUID } from 'node:crypto';
import { authenticateRequest, identityHook, tokenAuthenticator } from './authn.js';
import type { AppOptions } from './config.js';
import type { RouteContext } from './http/context.js';
import { clientErrorHandler } from './http/client-error.js';
import { refuseBadCharacters } from './http/bad-characters.js';
import { securityHeadersHook } from './http/security-headers.js';
import { isUnavailable, type Db } from './db/db.js';
import { notFoundBody, Problem, PROBLEM_MEDIA_TYPE, sendProblem } from './problems.js';
import { parseJson } from './parse-json.js';
import { CONFIG_CHECKED_HEADER, CONFIG_VERSION_HEADER } from './programmes.js';
import { eventRoutes } from './events/routes.js';
import { followRoutes } from './follow/routes.js';
import { identityRoutes } from './identity/routes.js';
import { meRoutes } from './me/routes.js';
import { notificationRoutes } from './notifications/routes.js';
import { overdueRoutes } from './overdue/routes.js';
import { privacyRoutes } from './privacy/routes.js';
import { reportRoutes } from './reports/routes.js';
import { roomRoutes } from './rooms/routes.js';
import { portalRoutes } from './portal/routes.js';
import { programmeRoutes } from './programmes/routes.js';
import { staticRoutes } from './static/routes.js';
import { studioRoutes } from './studio/routes.js';
import { topicRoutes } from './topics/routes.js';
import { loggerOptions } from './observability/logging.js';
import { observabilityRoutes } from './observability/routes.js';
import { open311Routes } from './open311/routes.js';

/** Headers a browser on a listed portal origin may read. */
export const EXPOSED_HEADERS = ['Retry-After', 'Idempotent-Replayed', 'ETag', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', CONFIG_CHECKED_HEADER, CONFIG_VERSION_HEADER];

/** The problem for an error Fastify or a plugin raised, or undefined for an unexpected fault. */
function problemFor(error: FastifyError, request: FastifyRequest, options: AppOptions): Problem | undefined {
  if (error instanceof Problem) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const length = request.headers['content-length'];
      const size = length ? `The body has ${length} bytes; this` : 'This';
      const limit = request.routeOptions?.bodyLimit ?? options.bodyLimit;
      return new Problem('payload-too-large', `${size} server accepts at most ${limit}.`, { maxBytes: limit });
    }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem('unsupported-media-type', `Content-Type ${request.headers['content-type'] ?? '(none)'} is not accepted.`, {
        accepted: ['application/json'],
      });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return new Problem('invalid-request', error.message);
  return undefined;
}

/** Builds the app on an open, migrated database. Call `listen` (or `inject`) on the result. */
export async function buildApp(db: Db, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(options),
    bodyLimit: options.bodyLimit,
    routerOptions: { maxParamLength: 256 },
    trustProxy: options.trustProxy,
    genReqId: () => randomUUID(),
    forceCloseConnections: true,
    // What Node's HTTP parser refuses (bare LF, duplicate Content-Length, a 100 KB header) is a
    // problem+json answer too, and the connection closes after it.
    clientErrorHandler,
    // A URL that is not valid percent-encoding (Fastify's own 400) is a problem+json answer too.
    frameworkErrors: (error, _request, reply) => {
      void sendProblem(reply, new Problem('invalid-request', error.message));
    },
  });

  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = problemFor(error, request, options);
    if (problem) return sendProblem(reply, problem);
    if (isUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return sendProblem(reply, new Problem('unavailable', 'The database cannot be reached now; try again shortly.', {}, { 'Retry-After': '5' }));
    }
    if (error.name === 'AbortError' && (request.raw.destroyed || reply.raw.destroyed || request.raw.socket?.destroyed === true)) {
      // The client went away and its read stopped (projections/): no one is left to answer; 499
      // ("client closed request", as nginx logs it) keeps it apart from faults in logs and metrics.
      request.log.info('the client went away before the answer');
      return reply.code(499).send();
    }
    request.log.error({ err: error }, 'unexpected fault');
    return sendProblem(
      reply,
      new Problem('internal-error', `The fault was logged as ${request.id}.`, { instance: `/problems/internal-error/${request.id}` }),
    );
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).type(PROBLEM_MEDIA_TYPE).send(notFoundBody(request.method, request.url)));
  // nosniff, Permissions-Policy, COOP, CORP (cross-origin for the embed's /assets/), HSTS when told.
  app.addHook('onSend', securityHeadersHook(options));
  // A NUL or lone surrogate in a query or path parameter is a 400 before any route reads it.
  app.addHook('preValidation', refuseBadCharacters);

  const allowed = new Set(options.corsOrigins);
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'PUT'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Follow-Code', 'If-Match', 'If-None-Match'],
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    strictPreflight: false,
    maxAge: 600,
  });

  app.addHook('onRequest', identityHook(options.authenticator ?? tokenAuthenticator(options.tokens)));
  await app.register(rateLimit, {
    global: true,
    max: options.rateLimit.max,
    timeWindow: options.rateLimit.windowMs,
    enableDraftSpec: true,
    keyGenerator: (request) => {
      const auth = authenticateRequest(request);
      return auth.kind === 'token' ? `subject:${auth.principal.id}` : `address:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new Problem('rate-limited', `${context.max} requests per ${context.after} are allowed; try again in ${Math.ceil(context.ttl / 1000)} seconds.`),
  });

  const context: RouteContext = { db, options };
  await app.register(observabilityRoutes, context);
  await app.register(
    async (api) => {
      await api.register(programmeRoutes, context);
      await api.register(eventRoutes, context);
      await api.register(followRoutes, context);
      await api.register(meRoutes, context);
      await api.register(identityRoutes, context);
      await api.register(privacyRoutes, context);
      await api.register(topicRoutes, context);
      await api.register(notificationRoutes, context);
      await api.register(overdueRoutes, context);
      await api.register(roomRoutes, context);
      await api.register(reportRoutes, context);
    },
    { prefix: '/api' },
  );
  await app.register(open311Routes, context);
  await app.register(portalRoutes, context);
  await app.register(studioRoutes, context);
  await app.register(staticRoutes, context);
  return app;
}
