/**
 * Observing the server (docs/server.md, "Observing the server"):
 * - `GET /healthz`: the process is up and answering. Never touches the database, never rate
 *   limited: a load balancer's liveness check.
 * - `GET /readyz`: the database answers a cheap query within a short timeout and every migration
 *   shipped in `packages/server/migrations/` is applied. 200 `{ ok: true, checks }` when ready;
 *   503 problem+json with `Retry-After`, naming the failed check, when not. Not rate limited.
 * - `GET /metrics`: Prometheus text format (prom-client): requests, latency, ingest, append-lock
 *   wait, outbox and job-queue depths, process metrics. Open unless a metrics token is set, then
 *   only with `Authorization: Bearer <token>`. Holds no personal value and no token.
 *
 * Wrapped with `fastify-plugin`, so its `onResponse` hook sees every route of the app (register it
 * before the other capabilities).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isUnavailable, type Db } from '../db/db.js';
import { migrationFiles } from '../db/migrate.js';
import type { RouteContext } from '../http/context.js';
import { Problem, sendProblem } from '../problems.js';
import { createMetrics, withTimeout } from './metrics.js';

/** How long `/readyz` waits for the database before it answers 503. */
export const READY_QUERY_TIMEOUT_MS = 2_000;

/** Seconds a load balancer is told to wait before asking `/readyz` again. */
export const READY_RETRY_AFTER_SECONDS = 5;

/** What each readiness check found. */
export interface Readiness {
  database: 'ok' | 'unreachable';
  migrations: 'ok' | 'pending' | 'unknown';
  /** Migration files not applied yet (names only). */
  pending: string[];
}

/** Checks the database and the migrations with one cheap query. */
export async function checkReadiness(db: Db, files: readonly string[], timeoutMs: number = READY_QUERY_TIMEOUT_MS): Promise<Readiness> {
  try {
    const rows = await withTimeout(db.query<{ name: string }>('select name from schema_migration'), timeoutMs, 'the readiness query');
    const applied = new Set(rows.map((r) => r.name));
    const pending = files.filter((f) => !applied.has(f));
    return { database: 'ok', migrations: pending.length ? 'pending' : 'ok', pending };
  } catch (error) {
    // No schema_migration table yet: the database answers, nothing is migrated.
    if ((error as { code?: unknown }).code === '42P01' && !isUnavailable(error)) return { database: 'ok', migrations: 'pending', pending: [...files] };
    return { database: 'unreachable', migrations: 'unknown', pending: [] };
  }
}

/** Whether the request carries `Authorization: Bearer <expected>` (compared in constant time). */
function hasBearer(request: FastifyRequest, expected: string): boolean {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer[ ]+(\S+)\s*$/i.exec(header) : null;
  if (!match) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1]!), digest(expected));
}

async function observability(app: FastifyInstance, { db, options }: RouteContext): Promise<void> {
  const files = migrationFiles();
  const now = () => (options.clock ? options.clock().getTime() : Date.now());
  const metrics = createMetrics(db, now);
  const unsubscribe = metrics.subscribeAppends(db);
  app.addHook('onClose', async () => unsubscribe());
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions?.url, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.get('/healthz', { config: { rateLimit: false } }, async (_request, reply) => {
    reply.header('Cache-Control', 'no-store');
    return { ok: true };
  });

  app.get('/readyz', { config: { rateLimit: false } }, async (request, reply) => {
    const found = await checkReadiness(db, files);
    const checks = { database: found.database, migrations: found.migrations };
    reply.header('Cache-Control', 'no-store');
    if (found.database === 'ok' && found.migrations === 'ok') return { ok: true, checks };
    const failed = found.database !== 'ok' ? 'database' : 'migrations';
    request.log.warn({ checks, pending: found.pending.length }, 'not ready');
    const detail =
      failed === 'database'
        ? `The database did not answer within ${READY_QUERY_TIMEOUT_MS} ms.`
        : `${found.pending.length} migration(s) are not applied yet: ${found.pending.join(', ')}.`;
    return sendProblem(
      reply,
      new Problem('unavailable', detail, { failed, checks, ...(failed === 'migrations' ? { pending: found.pending } : {}) }, { 'Retry-After': String(READY_RETRY_AFTER_SECONDS) }),
    );
  });

  const { metricsToken } = options;
  app.get('/metrics', { config: { rateLimit: false } }, async (request, reply) => {
    if (metricsToken !== undefined && !hasBearer(request, metricsToken)) {
      return sendProblem(reply, new Problem('unauthenticated', '/metrics needs the metrics token: Authorization: Bearer <token>.', {}, { 'WWW-Authenticate': 'Bearer realm="metrics"' }));
    }
    await metrics.refreshDepths();
    const text = await metrics.render();
    return reply.header('Cache-Control', 'no-store').type(metrics.contentType).send(text);
  });
}

/** The observability capability: `/healthz`, `/readyz`, `/metrics` and the request metrics hook on every route. */
export const observabilityRoutes = fp(observability, { name: 'consult-kit-observability', fastify: '5.x' });
