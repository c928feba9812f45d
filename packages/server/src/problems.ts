/**
 * RFC 9457 problem details: every error this server sends is `application/problem+json` with a
 * relative `type` from the contract's `ProblemType` list (docs/api/openapi.yaml).
 */
import type { FastifyReply } from 'fastify';

/** The problem types of the contract, each with its status and title. */
export const PROBLEM_TYPES = {
  'malformed-json': { status: 400, title: 'The body is not valid JSON' },
  'invalid-request': { status: 400, title: 'The request does not match the contract' },
  'missing-idempotency-key': { status: 400, title: 'Idempotency-Key is required' },
  'invalid-idempotency-key': { status: 400, title: 'Idempotency-Key is not valid' },
  'idempotency-key-mismatch': { status: 400, title: 'Idempotency-Key differs from the entry id' },
  'invalid-cursor': { status: 400, title: 'Unknown cursor' },
  unauthenticated: { status: 401, title: 'Sign in again' },
  forbidden: { status: 403, title: 'Not allowed' },
  'follow-code-revoked': { status: 403, title: 'The follow code was revoked' },
  'out-of-scope': { status: 403, title: 'Outside your scope' },
  'unknown-programme': { status: 404, title: 'Unknown programme' },
  'unknown-topic': { status: 404, title: 'Unknown topic' },
  'follow-code-not-found': { status: 404, title: 'Unknown follow code' },
  'nothing-to-erase': { status: 404, title: 'Nothing to erase' },
  'unknown-config-version': { status: 404, title: 'Unknown config version' },
  'unknown-room': { status: 404, title: 'Unknown room' },
  'unknown-subscription': { status: 404, title: 'Unknown subscription' },
  'unknown-notice': { status: 404, title: 'Unknown notice' },
  'request-in-flight': { status: 409, title: 'A request with this Idempotency-Key is in progress' },
  'already-erased': { status: 409, title: 'Already erased' },
  'config-changed': { status: 412, title: 'The config was published meanwhile' },
  'programme-exists': { status: 412, title: 'The programme exists already' },
  'request-timeout': { status: 408, title: 'The request did not arrive in time' },
  'payload-too-large': { status: 413, title: 'The body is too large' },
  'unsupported-media-type': { status: 415, title: 'Send JSON' },
  'event-refused': { status: 422, title: 'The lifecycle does not allow this event' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key already used for another event' },
  'invalid-config': { status: 422, title: 'The config does not pass the checker' },
  'precondition-required': { status: 428, title: 'If-Match is required' },
  'headers-too-large': { status: 431, title: 'The request headers are too large' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'internal-error': { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Temporarily unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

/** A problem type's name: `event-refused` for `/problems/event-refused`. */
export type ProblemName = keyof typeof PROBLEM_TYPES;

/** The JSON body of a problem response. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/**
 * A problem to answer with. Thrown anywhere in a request, it is turned into its response by
 * the app's error handler; `headers` (Retry-After, WWW-Authenticate…) go with it.
 */
export class Problem extends Error {
  readonly status: number;
  readonly body: ProblemBody;
  readonly headers: Readonly<Record<string, string>>;

  constructor(name: ProblemName, detail: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(detail);
    this.name = 'Problem';
    const { status, title } = PROBLEM_TYPES[name];
    this.status = status;
    this.body = { type: `/problems/${name}`, title, status, detail, ...extensions };
    this.headers = headers;
  }
}

/** The media type of every error answer. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Sends a problem as `application/problem+json` with its status and headers. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).headers(problem.headers).type(PROBLEM_MEDIA_TYPE).send(problem.body);
}

/** A 404 for a path that is not in the contract (RFC 9457's `about:blank`). */
export function notFoundBody(method: string, url: string): ProblemBody {
  return { type: 'about:blank', title: 'Not Found', status: 404, detail: `There is no route ${method} ${url.split('?')[0]}.` };
}
