/**
 * The server's structured JSON log (Fastify's pino): one line when a request comes in and one
 * when it is answered, each with the request's id (`reqId`), and every line a route writes
 * through `request.log` carries that id too. The completion line names the method, the route
 * pattern (`/api/programmes/:programmeId/follow/:code`, never the code), the status and the time
 * (`responseTime`, ms). No line may hold a token or a personal value: request headers and bodies
 * are never logged, and the URL is masked (`maskUrl`).
 */
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { AppOptions } from '../config.js';

/** Query parameters whose values may be personal or a credential: masked in log lines. */
export const MASKED_QUERY: ReadonlySet<string> = new Set(['value', 'q', 'followCode', 'subjectId', 'token', 'code', 'api_key']);

/** Path segments followed by a credential (a follow code, an unsubscribe token, an Open311 token: a follow code too). */
const SECRET_AFTER = /\/(follow|unsubscribe|tokens)\/[^/]*/gi;

/** `decodeURIComponent`, or the text as sent when it is not valid percent-encoding. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A request's URL as log lines show it: a follow code or an unsubscribe token in the path
 * (credentials, found also when percent-encoded or in another case) and the values of
 * `MASKED_QUERY` parameters (an erasure's phone number, a search, a follow code) replaced by `…`.
 */
export function maskUrl(url: string): string {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  const query = at < 0 ? undefined : url.slice(at + 1);
  const plainPath = decoded(path);
  // When the path needed decoding to see a secret, log the decoded (and masked) form.
  const masked = plainPath.replace(SECRET_AFTER, (_match, word: string) => `/${word}/…`);
  if (query === undefined) return masked;
  const params = query
    .split('&')
    .map((pair) => {
      const [name = ''] = pair.split('=', 1);
      return MASKED_QUERY.has(decoded(name.replace(/\+/g, ' '))) ? `${name}=…` : pair;
    })
    .join('&');
  return `${masked}?${params}`;
}

/** The route pattern a request matched (`/api/programmes/:programmeId/events`), or undefined (no route: a 404). */
export function routePattern(request: FastifyRequest): string | undefined {
  return request.routeOptions?.url;
}

/** What the "incoming request" line says about a request. */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return { method: request.method, url: maskUrl(request.url), route: routePattern(request), hostname: request.hostname, remoteAddress: request.ip };
}

/** What the "request completed" line says about the answer (beside `responseTime` in ms). */
export function serializeReply(reply: FastifyReply): Record<string, unknown> {
  const request = (reply as { request?: FastifyRequest }).request;
  return { statusCode: reply.statusCode, ...(request ? { method: request.method, route: routePattern(request) } : {}) };
}

/** The `logger` option of the Fastify app for these options (false: no log). */
export function loggerOptions(options: Pick<AppOptions, 'logLevel' | 'logStream'>): FastifyServerOptions['logger'] {
  if (!options.logLevel) return false;
  return {
    level: options.logLevel,
    ...(options.logStream ? { stream: options.logStream } : {}),
    serializers: { req: serializeRequest as never, res: serializeReply as never },
  };
}
