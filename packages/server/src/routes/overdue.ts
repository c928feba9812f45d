/**
 * `GET /programmes/{id}/overdue`: the supervisor's list (督办) of every measure past its due date
 * and still open, across the programme, from the server's own index and clock.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../app.js';

/** Registers the overdue route. */
export function overdueRoutes(_app: FastifyInstance, _context: RouteContext): void {
  // Filled in by the clock work (issue 17).
}
