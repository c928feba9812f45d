/**
 * Static files: a city portal's folder at `/` (`--portal`) and the embed's folder at `/assets/`
 * (`--assets`, by default `@consult-kit/embed`'s `dist`: the entry, its `chunks/`, the IIFE
 * twin, their `.map`s and the `.br`/`.gz` siblings `scripts/precompress.mjs` writes).
 *
 * Safe by construction: the URL path is decoded once and split into segments; a segment that is
 * empty, `.`/`..`, hidden (starts with `.`), or holds a slash, a backslash or a NUL is refused;
 * the file's real path (symbolic links followed) must stay inside the folder's real path; only
 * regular files with a known web type (the `TYPES` table — never `.json`, so a token file beside
 * the pages is never served, and never `.br`/`.gz`, which are only ever sent as a coding of their
 * file) are answered. Everything else falls through to the API's 404 problem.
 *
 * Compression (`COMPRESSIBLE` types): the coding is negotiated from `Accept-Encoding` (q-values
 * respected, `br` before `gzip` before none at equal weight). A `br`/`gzip` answer is the file's
 * precompressed sibling (`X.br`, `X.gz`) when there is one newer than the file, else the file
 * compressed here once per version (path, size and modification time) and kept in a bounded
 * in-memory cache — the portal's folder is in git and gets no siblings. Every such answer says
 * `Vary: Accept-Encoding`; each coding has its own strong `ETag`.
 *
 * Caching: the embed's content-hashed chunks (`/assets/chunks/<name>-<hash>.js|css`) are
 * `public, max-age=31536000, immutable`; everything else is `no-cache` (the names are not
 * fingerprinted, so browsers revalidate, cheaply: `304`). HTML pages carry the strict
 * `PORTAL_PAGE_CSP`.
 */
import { realpath, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteContext } from '../http/context.js';
import { ifNoneMatch } from '../http/request.js';

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
  return (await locate(root, rest))?.file;
}

/** Whether a real path lies inside a folder's real path. */
function inside(realRoot: string, real: string): boolean {
  return real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
}

async function locate(root: string, rest: string): Promise<{ file: Found; realRoot: string; segments: string[] } | undefined> {
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
    if (!inside(realRoot, real)) continue;
    const file = await regularFile(real);
    if (file && !file.isDir) return { file: { path: real, size: file.size, mtimeMs: file.mtimeMs }, realRoot, segments };
  }
  return undefined;
}

/** A strong entity tag from a file's size and modification time (as nginx makes them). */
export function etagFor(file: { size: number; mtimeMs: number }): string {
  return `"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
}

/** The types sent compressed when the client allows it: text (images and fonts are compressed already). */
export const COMPRESSIBLE: ReadonlySet<string> = new Set(['.html', '.css', '.js', '.mjs', '.map', '.svg', '.txt', '.webmanifest']);

/** A content coding this server sends. */
export type Coding = 'br' | 'gzip' | 'identity';

/** The codings offered for a compressible file, in the server's order of preference. */
export const CODINGS: readonly Coding[] = ['br', 'gzip', 'identity'];

/** The precompressed sibling of each coding: `X.br`, `X.gz`. */
const SIBLING: Readonly<Record<Exclude<Coding, 'identity'>, string>> = { br: '.br', gzip: '.gz' };

/** The weight `identity` has when `Accept-Encoding` names neither it nor `*`: acceptable, but last. */
const IMPLICIT_IDENTITY = 0.001;

/**
 * The weight (`q`, 0–1) `Accept-Encoding` gives each coding it names (RFC 9110 §12.5.3): names
 * lower-cased, `x-gzip` read as `gzip`, no `q` is 1, a malformed `q` drops its member, a coding
 * named twice keeps the lower weight.
 */
export function acceptedCodings(header: string | string[] | undefined): Map<string, number> {
  const weights = new Map<string, number>();
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const member of text.split(',')) {
    const [rawName, ...params] = member.split(';').map((part) => part.trim());
    if (!rawName) continue;
    let q = 1;
    for (const param of params) {
      const m = /^q\s*=\s*(\S*)$/i.exec(param);
      if (m) q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(m[1]!) ? Number(m[1]) : Number.NaN;
    }
    if (Number.isNaN(q)) continue;
    const name = rawName.toLowerCase() === 'x-gzip' ? 'gzip' : rawName.toLowerCase();
    weights.set(name, Math.min(q, weights.get(name) ?? 1));
  }
  return weights;
}

/**
 * The codings a request accepts, best first, among `offered` (which is in the server's order of
 * preference, the tie-break at equal weight). Without `Accept-Encoding`, only `identity`; a
 * coding not named takes `*`'s weight; `identity`, when neither it nor `*` is named, is
 * acceptable but last. Empty when nothing offered is acceptable (`identity;q=0` with no other
 * coding): the caller then sends the file as it is, as other servers do.
 */
export function negotiateCodings(header: string | string[] | undefined, offered: readonly Coding[] = CODINGS): Coding[] {
  if (header === undefined) return offered.includes('identity') ? ['identity'] : [];
  const weights = acceptedCodings(header);
  const weightOf = (coding: Coding): number => weights.get(coding) ?? weights.get('*') ?? (coding === 'identity' ? IMPLICIT_IDENTITY : 0);
  return offered
    .map((coding, order) => ({ coding, order, q: weightOf(coding) }))
    .filter(({ q }) => q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order)
    .map(({ coding }) => coding);
}

/** What one answer sends: the bytes (read when needed), their coding and their entity tag. */
interface Variant {
  coding: Coding;
  etag: string;
  body: () => Promise<Buffer>;
}

/**
 * Files compressed here (no sibling, or an older one), one entry per file and coding, replaced
 * when the file changes (size or modification time), the oldest dropped past `ON_THE_FLY_BUDGET`
 * bytes. `null`: compressing it does not make it smaller. Faster settings than the build's: a
 * portal's files are small, and the build's siblings cover the embed.
 */
interface Packed {
  size: number;
  mtimeMs: number;
  bytes: number;
  result: Promise<Buffer | null>;
}
const packed = new Map<string, Packed>();
let packedBytes = 0;
const ON_THE_FLY_BUDGET = 32 * 1024 * 1024;
/** Larger files are sent as they are when they have no sibling. */
const ON_THE_FLY_MAX = 8 * 1024 * 1024;
const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
const COMPRESS: Readonly<Record<Exclude<Coding, 'identity'>, (data: Buffer) => Promise<Buffer>>> = {
  br: (data) =>
    brotli(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }),
  gzip: (data) => gz(data, { level: 6 }),
};

function dropPacked(key: string): void {
  const entry = packed.get(key);
  if (!entry) return;
  packed.delete(key);
  packedBytes -= entry.bytes;
}

/** The file compressed with `coding` here (cached), or null when that does not make it smaller. */
function compressed(file: Found, coding: Exclude<Coding, 'identity'>): Promise<Buffer | null> {
  const key = `${coding}\0${file.path}`;
  const hit = packed.get(key);
  if (hit && hit.size === file.size && hit.mtimeMs === file.mtimeMs) {
    // Most recently used last.
    packed.delete(key);
    packed.set(key, hit);
    return hit.result;
  }
  dropPacked(key);
  const entry: Packed = { size: file.size, mtimeMs: file.mtimeMs, bytes: 0, result: Promise.resolve(null) };
  entry.result = readFile(file.path).then(async (data) => {
    // Read what was stat'ed: a file rewritten meanwhile is compressed on the next request.
    const out = await COMPRESS[coding](data);
    const smaller = data.length === file.size && out.length < data.length ? out : null;
    if (packed.get(key) === entry) {
      entry.bytes = smaller?.length ?? 0;
      packedBytes += entry.bytes;
      for (const [oldest] of packed) {
        if (packedBytes <= ON_THE_FLY_BUDGET || oldest === key) break;
        dropPacked(oldest);
      }
    }
    return smaller;
  });
  entry.result.catch(() => {
    if (packed.get(key) === entry) dropPacked(key);
  });
  packed.set(key, entry);
  return entry.result;
}

/** The precompressed sibling of a file for a coding, when it is a regular file inside the folder and newer than the file. */
async function freshSibling(file: Found, realRoot: string, coding: Exclude<Coding, 'identity'>): Promise<Found | undefined> {
  let real: string;
  try {
    real = await realpath(file.path + SIBLING[coding]);
  } catch {
    return undefined;
  }
  if (!inside(realRoot, real)) return undefined;
  const info = await regularFile(real);
  if (!info || info.isDir || info.mtimeMs < file.mtimeMs) return undefined;
  return { path: real, size: info.size, mtimeMs: info.mtimeMs };
}

/**
 * The answer for a file in a coding, or undefined when that coding cannot be had (compressing
 * does not make the file smaller). Entity tags: the file's (`"<size>-<mtime>"`) for `identity`;
 * with `-br`/`-gz` for a copy compressed here; with the coding and the sibling's own size and
 * time for a precompressed sibling — so each coding, and each build of a sibling, has its own.
 */
async function variant(file: Found, realRoot: string, coding: Coding): Promise<Variant | undefined> {
  const tag = etagFor(file).slice(0, -1);
  if (coding === 'identity') return { coding, etag: etagFor(file), body: () => readFile(file.path) };
  const suffix = SIBLING[coding].slice(1);
  const sibling = await freshSibling(file, realRoot, coding);
  if (sibling) {
    return { coding, etag: `${tag}-${suffix}-${sibling.size.toString(16)}-${Math.floor(sibling.mtimeMs).toString(16)}"`, body: () => readFile(sibling.path) };
  }
  if (file.size > ON_THE_FLY_MAX) return undefined;
  let data: Buffer | null;
  try {
    data = await compressed(file, coding);
  } catch {
    return undefined;
  }
  return data ? { coding, etag: `${tag}-${suffix}"`, body: () => Promise.resolve(data) } : undefined;
}

/** The answer to send: the best coding the request accepts that can be had, else the file as it is. */
async function chooseVariant(request: FastifyRequest, file: Found, realRoot: string): Promise<Variant> {
  if (COMPRESSIBLE.has(extname(file.path).toLowerCase())) {
    for (const coding of negotiateCodings(request.headers['accept-encoding'])) {
      const found = await variant(file, realRoot, coding);
      if (found) return found;
    }
  }
  return (await variant(file, realRoot, 'identity'))!;
}

/** A content-hashed chunk's name, as rollup's `[name]-[hash]` writes it (8 or more hash characters). */
export const HASHED_CHUNK = /-[A-Za-z0-9_-]{8,}\.(?:js|css)$/;

/** Whether a path below `/assets/` names a content-hashed chunk (`chunks/<name>-<hash>.js|css`). */
export function isHashedChunk(segments: readonly string[]): boolean {
  return segments.length === 2 && segments[0] === 'chunks' && HASHED_CHUNK.test(segments[1]!);
}

/** `Cache-Control` of a content-hashed chunk: its name changes with its content. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Adds a field name to `Vary`, keeping what is there (CORS adds `Origin`). */
function addVary(reply: FastifyReply, name: string): void {
  const current = reply.getHeader('vary');
  const names = (Array.isArray(current) ? current.join(',') : String(current ?? '')).split(',').map((n) => n.trim()).filter(Boolean);
  if (names.includes('*') || names.some((n) => n.toLowerCase() === name.toLowerCase())) return;
  reply.header('Vary', [...names, name].join(', '));
}

export interface SendOptions {
  csp?: string;
  /** Whether the file at these URL segments may be cached for a year. */
  immutable?: (segments: readonly string[]) => boolean;
}

export async function sendFile(request: FastifyRequest, reply: FastifyReply, root: string, rest: string, { csp = PORTAL_PAGE_CSP, immutable }: SendOptions = {}): Promise<FastifyReply> {
  const found = await locate(root, rest);
  if (!found) return notFound(reply);
  const { file, realRoot, segments } = found;
  const ext = extname(file.path).toLowerCase();
  const type = TYPES[ext]!;
  const chosen = await chooseVariant(request, file, realRoot);
  const forever = immutable !== undefined && HASHED_CHUNK.test(basename(file.path)) && immutable(segments);
  reply
    .header('ETag', chosen.etag)
    .header('Last-Modified', new Date(file.mtimeMs).toUTCString())
    .header('Cache-Control', forever ? IMMUTABLE : 'no-cache')
    .header('Referrer-Policy', 'same-origin');
  if (COMPRESSIBLE.has(ext)) addVary(reply, 'Accept-Encoding');
  if (chosen.coding !== 'identity') reply.header('Content-Encoding', chosen.coding);
  if (type.startsWith('text/html')) reply.header('Content-Security-Policy', csp);
  if (ifNoneMatch(request.headers['if-none-match'], chosen.etag)) return reply.code(304).send();
  // A Buffer: Fastify sets Content-Length to what is sent (and keeps it, without the body, for HEAD).
  return reply.type(type).send(await chosen.body());
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
export async function staticRoutes(app: FastifyInstance, { options }: RouteContext): Promise<void> {
  const { assetsDir, portalDir } = options;
  if (assetsDir !== undefined) {
    app.get('/assets/*', (request, reply) => sendFile(request, reply, assetsDir, restOf(request, '/assets/'), { immutable: isHashedChunk }));
  }
  if (portalDir !== undefined) {
    const csp = portalPageCsp(options.oidc?.clientId ? options.oidc.issuer : undefined);
    app.get('/*', (request, reply) => {
      const rest = restOf(request, '/');
      if (rest === 'api' || rest.startsWith('api/') || (assetsDir !== undefined && rest.startsWith('assets/'))) return notFound(reply);
      return sendFile(request, reply, portalDir, rest, { csp });
    });
  }
}
