/**
 * Static files: a city portal's folder at `/` (`--portal`) and the one-file embed at `/assets/`
 * (`--assets`, by default `@consult-kit/embed`'s `dist`).
 *
 * Safe by construction: the URL path is decoded once and split into segments; a segment that is
 * empty, `.`/`..`, hidden (starts with `.`), or holds a slash, a backslash or a NUL is refused;
 * the file's real path (symbolic links followed) must stay inside the folder's real path; only
 * regular files with a known web type (the `TYPES` table — never `.json`, so a token file beside
 * the pages is never served) are answered. Everything else falls through to the API's 404
 * problem. Answers carry a strong `ETag` (size and modification time) and `Last-Modified`, with
 * `Cache-Control: no-cache` (the names are not fingerprinted, so browsers revalidate, cheaply:
 * `304`); HTML pages carry the strict `PORTAL_PAGE_CSP`.
 */
import { realpath, readFile, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteContext } from '../app.js';
import { ifNoneMatch } from './programmes.js';

/**
 * The Content-Security-Policy of the portal's pages: only the page's own origin may provide
 * scripts and styles (no inline ones, no eval), script sinks take only Trusted Types from Lit's
 * `lit-html` policy, no `<base>`, no plugins, framed only by the same origin.
 */
export const PORTAL_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html',
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * The portal pages' CSP. With the city's OpenID provider offered to staff pages, its origin may
 * also be fetched (`connect-src`): `<consult-sign-in>` reads the provider's discovery document
 * and redeems the code at its token endpoint from the page (a provider whose token endpoint is
 * on another origin than its issuer needs a CSP of the portal's own, docs/embedding.md).
 */
export function portalPageCsp(oidcIssuer: string | undefined): string {
  if (!oidcIssuer) return PORTAL_PAGE_CSP;
  try {
    return `${PORTAL_PAGE_CSP}; connect-src 'self' ${new URL(oidcIssuer).origin}`;
  } catch {
    return PORTAL_PAGE_CSP;
  }
}

/** The file types served, by extension. Anything else is not found. */
export const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** A file found under a folder. */
interface Found {
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * The safe segments of a URL path below a mount point, or undefined when any is unsafe.
 * `rest` is the part after the mount's prefix, still percent-encoded.
 */
export function safeSegments(rest: string): string[] | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/');
  // A trailing slash names a folder's index.html.
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  for (const segment of segments) {
    if (segment === '' || segment.startsWith('.')) return undefined;
  }
  return segments;
}

async function regularFile(path: string): Promise<{ size: number; mtimeMs: number; isDir: boolean } | undefined> {
  try {
    const info = await stat(path);
    if (info.isFile()) return { size: info.size, mtimeMs: info.mtimeMs, isDir: false };
    if (info.isDirectory()) return { size: 0, mtimeMs: 0, isDir: true };
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds the file a URL path names under `root`: the path itself, `<path>/index.html` for a
 * folder, or `<path>.html` (so `/staff` is `staff.html`). Undefined when there is none, when the
 * type is not served, or when its real path leaves the folder.
 */
export async function findFile(root: string, rest: string): Promise<Found | undefined> {
  const segments = safeSegments(rest);
  if (!segments) return undefined;
  const base = join(root, ...segments);
  const candidates: string[] = [];
  const info = segments.length === 0 ? { isDir: true } : await regularFile(base);
  if (info?.isDir) candidates.push(join(base, 'index.html'));
  else if (info) candidates.push(base);
  else if (segments.length > 0 && extname(base) === '') candidates.push(`${base}.html`);
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return undefined;
  }
  for (const candidate of candidates) {
    if (TYPES[extname(candidate).toLowerCase()] === undefined) continue;
    let real: string;
    try {
      real = await realpath(candidate);
    } catch {
      continue;
    }
    if (!real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) continue;
    const file = await regularFile(real);
    if (file && !file.isDir) return { path: real, size: file.size, mtimeMs: file.mtimeMs };
  }
  return undefined;
}

/** A strong entity tag from a file's size and modification time (as nginx makes them). */
export function etagFor(file: { size: number; mtimeMs: number }): string {
  return `"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
}

async function sendFile(request: FastifyRequest, reply: FastifyReply, root: string, rest: string, csp = PORTAL_PAGE_CSP): Promise<FastifyReply> {
  const file = await findFile(root, rest);
  if (!file) return notFound(reply);
  const type = TYPES[extname(file.path).toLowerCase()]!;
  const etag = etagFor(file);
  reply
    .header('ETag', etag)
    .header('Last-Modified', new Date(file.mtimeMs).toUTCString())
    .header('Cache-Control', 'no-cache')
    .header('Referrer-Policy', 'same-origin');
  if (type.startsWith('text/html')) reply.header('Content-Security-Policy', csp);
  if (ifNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
  return reply.type(type).send(await readFile(file.path));
}

/** The app's 404 (an `application/problem+json` answer). */
function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}

/** The part of the request's path after `prefix` (query string dropped), still percent-encoded. */
function restOf(request: FastifyRequest, prefix: string): string {
  const path = request.url.split('?', 1)[0]!.split('#', 1)[0]!;
  return path.slice(prefix.length);
}

/**
 * Registers `/assets/*` (when `assetsDir` is set) and `/*` for the portal's files (when
 * `portalDir` is set). `/api/…` never reaches the portal's files.
 */
export function staticRoutes(app: FastifyInstance, { options }: RouteContext): void {
  const { assetsDir, portalDir } = options;
  if (assetsDir !== undefined) {
    app.get('/assets/*', (request, reply) => sendFile(request, reply, assetsDir, restOf(request, '/assets/')));
  }
  if (portalDir !== undefined) {
    const csp = portalPageCsp(options.oidc?.clientId ? options.oidc.issuer : undefined);
    app.get('/*', (request, reply) => {
      const rest = restOf(request, '/');
      if (rest === 'api' || rest.startsWith('api/') || (assetsDir !== undefined && rest.startsWith('assets/'))) return notFound(reply);
      return sendFile(request, reply, portalDir, rest, csp);
    });
  }
}
