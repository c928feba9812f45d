/**
 * The security headers every answer carries, in one place (hooked by app.ts as an `onSend` hook):
 *
 * - `X-Content-Type-Options: nosniff` — a JSON answer is never sniffed into a script or a page.
 * - `Strict-Transport-Security: max-age=…` — only when the server is told it is reached over
 *   HTTPS alone (`--hsts <max-age>` / `CONSULT_HSTS`, behind the city's TLS proxy); a server on
 *   plain HTTP must not promise TLS. No `includeSubDomains`: the API's host does not speak for
 *   the city's other hosts.
 * - `Permissions-Policy` — none of the powerful features (camera, microphone, geolocation,
 *   payment, USB, sensors, screen capture) for our pages: the form takes photos as files, the
 *   follow code is copied with the clipboard API, which this does not touch.
 * - `Cross-Origin-Opener-Policy: same-origin` — our pages (portal, studio) share no browsing
 *   context group with a cross-origin window (no popup sign-in: OIDC is a full-page redirect).
 * - `Cross-Origin-Resource-Policy` — `cross-origin` under `/assets/` (the one-file embed and its
 *   chunks are loaded by the city's portal on another origin, maybe with
 *   `Cross-Origin-Embedder-Policy: require-corp`); `same-site` everywhere else. CORP is checked
 *   only for `no-cors` loads (`<script>`, `<img>`): a portal's `fetch()` to the API is a CORS
 *   request, governed by the CORS allow-list alone, so `same-site` does not stop the listed
 *   portals, and it stops another site from pulling API answers into its process as a "script"
 *   or "image" (speculative-execution leaks).
 *
 * - `Cache-Control: no-store` when the route set none and the answer may carry personal data or
 *   a credential: every answer to a write (an append answers with the entry as sent, names and
 *   phones in it), and every answer to a request that carries a credential (`Authorization`, a
 *   `Follow-Code` header, a follow code or unsubscribe token in the path, `followCode` in the
 *   query). Routes whose answers may carry personal data also say `no-store` themselves; this is
 *   the default for the routes to come. Public figures, configs and the programme list, asked
 *   without a credential, keep the route's own caching.
 *
 * A header a route set itself is kept.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The powerful features our pages never use, all denied. */
export const PERMISSIONS_POLICY = 'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()';

/** Methods that write: their answers are never for a cache. */
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What the headers depend on. */
export interface SecurityHeaderOptions {
  /** `Strict-Transport-Security` max-age in seconds; undefined: not sent. */
  hstsMaxAge?: number | undefined;
}

/** The `Cross-Origin-Resource-Policy` for a request path: the embed's assets load anywhere. */
export function resourcePolicyFor(url: string): 'cross-origin' | 'same-site' {
  return url.startsWith('/assets/') ? 'cross-origin' : 'same-site';
}

/** Whether a request carries a credential (its answer is that person's, never a cache's). */
export function carriesCredential(request: Pick<FastifyRequest, 'headers' | 'url'>): boolean {
  if (request.headers.authorization !== undefined || request.headers['follow-code'] !== undefined) return true;
  const [path = '', query = ''] = request.url.split('?', 2);
  return /\/(?:follow|unsubscribe)\//.test(path) || /(?:^|&)followCode=/.test(query);
}

/** The security headers for one answer. */
export function securityHeadersFor(url: string, options: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Permissions-Policy': PERMISSIONS_POLICY,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': resourcePolicyFor(url),
  };
  if (options.hstsMaxAge !== undefined) headers['Strict-Transport-Security'] = `max-age=${options.hstsMaxAge}`;
  return headers;
}

/** An `onSend` hook that adds the security headers to every answer (errors and 404s too). */
export function securityHeadersHook(options: SecurityHeaderOptions): (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown> {
  return async (request, reply, payload) => {
    for (const [name, value] of Object.entries(securityHeadersFor(request.url, options))) {
      if (!reply.hasHeader(name)) reply.header(name, value);
    }
    if (!reply.hasHeader('Cache-Control') && (WRITES.has(request.method) || carriesCredential(request))) {
      reply.header('Cache-Control', 'no-store');
    }
    return payload;
  };
}
