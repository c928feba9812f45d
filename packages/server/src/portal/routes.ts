/**
 * `/` (or `/programmes` when a portal folder is served at `/`, see `static.ts`): a small bilingual (zh-CN / en) page listing the programmes with links to their config and
 * figures, built on the server with every value escaped, under a strict Content-Security-Policy
 * (no script at all; the one style block allowed by its hash). (`/healthz` is in `observability/`.)
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Level } from '@consult-kit/machine';
import type { RouteContext } from '../http/context.js';
import { listProgrammes, type ProgrammeSummary } from '../programmes.js';

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const LEVELS: Record<Level, [string, string]> = {
  village: ['村', 'village'],
  community: ['社区', 'community'],
  town: ['镇', 'town'],
  street: ['街道', 'street'],
  park: ['园区', 'industrial park'],
  district: ['区', 'district'],
  county: ['县', 'county'],
  city: ['市', 'city'],
  sector: ['界别', 'sector'],
};

const STYLE = `
body { font: 1.05rem/1.6 system-ui, "PingFang SC", "Noto Sans CJK SC", sans-serif; margin: 0; color: #1f2328; background: #fafaf7; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; margin: 0; }
[lang="en"] { color: #57606a; }
a [lang="en"] { color: inherit; }
ul { list-style: none; padding: 0; }
li { background: #fff; border: 1px solid #d0d7de; border-radius: .5rem; padding: 1rem 1.25rem; margin: 1rem 0; }
a { color: #0b57d0; }
a:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
code { font-size: .95em; }
@media (prefers-color-scheme: dark) { body { background: #0d1117; color: #e6edf3; } li { background: #161b22; border-color: #30363d; } [lang="en"] { color: #9da7b3; } a { color: #79b8ff; } }
`;

/** The page's Content-Security-Policy: nothing may load or run but the page's own style block. */
export const PORTAL_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function programmeItem(p: ProgrammeSummary): string {
  const base = `/api/programmes/${encodeURIComponent(p.id)}`;
  const [levelZh, levelEn] = LEVELS[p.level] ?? [p.level, p.level];
  return `<li>
  <h2>${escapeHtml(p.title['zh-CN'])} <span lang="en">${escapeHtml(p.title.en)}</span></h2>
  <p>层级 <span lang="en">Level</span>: ${escapeHtml(levelZh)} <span lang="en">${escapeHtml(levelEn)}</span> · 版本 <span lang="en">Version</span> ${escapeHtml(p.version)} · <code>${escapeHtml(p.id)}</code></p>
  <p><a href="${escapeHtml(`${base}/config`)}">工作流配置 <span lang="en">Workflow config</span></a> · <a href="${escapeHtml(`${base}/figures`)}">统计数据 <span lang="en">Figures</span></a></p>
</li>`;
}

/** The page for these programmes. */
export function portalPage(programmes: readonly ProgrammeSummary[]): string {
  const items = programmes.length
    ? `<ul>\n${programmes.map(programmeItem).join('\n')}\n</ul>`
    : '<p>还没有议事项目。<span lang="en">No programmes yet: start the server with <code>--seed examples/configs</code>.</span></p>';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>有事好商量 · consult-kit</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>有事好商量 <span lang="en">consult-kit — Let's talk it over</span></h1>
<p>这是 consult-kit 的参考城市后端，下面是它服务的社区协商议事项目。接口说明见 <code>docs/api/</code>。<br>
<span lang="en">This is consult-kit's reference city backend; these are the consultation programmes it serves. The API is described in <code>docs/api/</code>.</span></p>
${items}
<p><a href="/api/programmes">/api/programmes</a></p>
</main>
</body>
</html>
`;
}

/**
 * Registers the programme list — at `/`, or at `/programmes` when a portal is served (then `/` is
 * the portal's index.html).
 */
export async function portalRoutes(app: FastifyInstance, { db, options }: RouteContext): Promise<void> {
  app.get(options.portalDir === undefined ? '/' : '/programmes', async (_request, reply) =>
    reply
      .header('Content-Security-Policy', PORTAL_CSP)
      .header('Referrer-Policy', 'no-referrer')
      .header('Cache-Control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(portalPage(await listProgrammes(db))),
  );
}
