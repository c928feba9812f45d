/**
 * Notification routes (docs/api/openapi.yaml, tag "notifications"): a resident's opt-in for one
 * topic by its follow code, the one-click unsubscribe every message links to, and the operator's
 * outbox (dead letters, replay).
 */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../app.js';

/** Registers the notification routes. */
export function notificationRoutes(_app: FastifyInstance, _context: RouteContext): void {
  // Filled in by the outbox work (issue 17).
}
