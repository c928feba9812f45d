/**
 * A request's AbortSignal: aborted when the client goes before its answer was sent (the
 * connection closed, `reply.raw` 'close' without the response ended), so long reads stop the
 * work nobody will see (projections/replayed.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Aborts when the client of this request goes away before the reply is sent. */
export function clientSignal(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const gone = () => {
    if (!reply.raw.writableEnded) controller.abort();
  };
  reply.raw.once('close', gone);
  request.raw.once('aborted', gone);
  if (request.raw.destroyed || request.raw.socket?.destroyed) gone();
  return controller.signal;
}
