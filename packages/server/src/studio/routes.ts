/**
 * The low-code studio (issue 19), the city's admin tool, always served (never part of the embed):
 *
 * - `GET /studio` (and `/studio?programme=<id>`): a small bilingual page that loads
 *   `/studio/app/consult-studio.js` as a module and holds `<consult-studio endpoint="/api">`,
 *   with `programme="<id>"` when a valid programme id was given (anything else is ignored). The
 *   portal pages' strict CSP; no inline script or style.
 * - `GET /studio/app/*`: the studio's bundle (`packages/studio/dist/app`, built by
 *   `BUILD_ONLY=studio npx rollup -c rollup.config.js`) through static.ts's `sendFile` — the same
 *   safe path handling and br/gzip negotiation as `/assets/`; content-hashed `chunks/` are
 *   immutable, the entry `no-cache`.
 * - The bundle not built: `/studio` answers `503` with a bilingual page that says how to build it.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RouteContext } from '../http/context.js';
import { packageDir } from '../package-dir.js';
import { PROGRAMME_ID } from '../programmes.js';
import { isHashedChunk, PORTAL_PAGE_CSP, sendFile } from '../static/routes.js';
import { singleQuery } from '../http/request.js';

/** The studio's built app, beside this package in the workspace. */
export function defaultStudioDir(): string {
  return join(packageDir(), '..', 'studio', 'dist', 'app');
}

/** The module the page loads. */
export const STUDIO_ENTRY = 'consult-studio.js';

/** The studio page's Content-Security-Policy: the portal pages' (own-origin scripts and styles only, Lit's Trusted Types policy). */
export const STUDIO_PAGE_CSP = PORTAL_PAGE_CSP;

/** Escapes text for an HTML attribute value or text node. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The studio page, opening `programme` when given (an id already checked against `PROGRAMME_ID`). */
export function studioPage(programme: string | undefined): string {
  const attribute = programme === undefined ? '' : ` programme="${escapeHtml(programme)}"`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>配置工作室 · consult-kit studio</title>
<script type="module" src="/studio/app/${STUDIO_ENTRY}"></script>
</head>
<body>
<consult-studio endpoint="/api"${attribute}></consult-studio>
<noscript><p>配置工作室需要启用 JavaScript。<span lang="en">The studio needs JavaScript.</span></p></noscript>
</body>
</html>
`;
}

/** The page answered while the studio's bundle is not built. */
export function studioMissingPage(): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>配置工作室暂不可用 · The studio is not available</title>
</head>
<body>
<main>
<h1>配置工作室暂不可用 <span lang="en">The studio is not available</span></h1>
<p>服务器上还没有构建配置工作室。请运行 <code>BUILD_ONLY=studio npx rollup -c rollup.config.js</code>（或 <code>npm run build</code>）后刷新本页。</p>
<p lang="en">The studio has not been built on this server. Run <code>BUILD_ONLY=studio npx rollup -c rollup.config.js</code> (or <code>npm run build</code>), then reload this page.</p>
</main>
</body>
</html>
`;
}

function isBuilt(dir: string): boolean {
  try {
    return statSync(join(dir, STUDIO_ENTRY)).isFile();
  } catch {
    return false;
  }
}

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .header('Content-Security-Policy', STUDIO_PAGE_CSP)
    .header('Referrer-Policy', 'same-origin')
    .header('Cache-Control', 'no-cache')
    .header('X-Frame-Options', 'SAMEORIGIN')
    .type('text/html; charset=utf-8')
    .send(html);
}

/** Registers `/studio` and `/studio/app/*`. */
export async function studioRoutes(app: FastifyInstance, { options }: RouteContext): Promise<void> {
  const dir = options.studioDir ?? defaultStudioDir();
  const page = (query: unknown, reply: FastifyReply) => {
    if (!isBuilt(dir)) return sendPage(reply.header('Retry-After', '60'), 503, studioMissingPage());
    let id: string | undefined;
    try {
      id = singleQuery(query, 'programme');
    } catch {
      id = undefined; // a repeated parameter is ignored, as a bad id is
    }
    return sendPage(reply, 200, studioPage(id !== undefined && PROGRAMME_ID.test(id) ? id : undefined));
  };
  app.get('/studio', (request, reply) => page(request.query, reply));
  app.get('/studio/', (request, reply) => page(request.query, reply));
  app.get('/studio/app/*', (request, reply) => {
    const path = request.url.split('?', 1)[0]!.split('#', 1)[0]!;
    return sendFile(request, reply, dir, path.slice('/studio/app/'.length), { immutable: isHashedChunk });
  });
}
