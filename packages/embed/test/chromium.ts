/**
 * Test support for the embed: a tiny static HTTP server whose pages carry the headers a test
 * gives them (Content-Security-Policy above all), and Debian's Chromium driven by playwright-core
 * with everything a page does wrong collected: page errors, console errors and CSP violations.
 *
 * These tests run under node:test (`npm run test:node`), after `npm test` has built the embed and
 * made sure Chromium is installed (scripts/ensure-chromium.mjs).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../../scripts/ensure-chromium.mjs';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The built embed files (`npm run build`). */
export const EMBED_ESM = join(ROOT, 'packages/embed/dist/consult-kit.min.js');
export const EMBED_IIFE = join(ROOT, 'packages/embed/dist/consult-kit.iife.min.js');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
};

/** One response: a body (text or bytes), its type, extra headers. */
export interface Served {
  body: string | Uint8Array;
  type?: string;
  headers?: Record<string, string>;
}

/** What a test server answers: fixed routes first, then files under `dirs` (URL prefix → folder). */
export interface ServeOptions {
  routes?: Record<string, Served | (() => Served | Promise<Served>)>;
  dirs?: Record<string, string>;
  /** Headers on every response (e.g. the page's CSP). */
  headers?: Record<string, string>;
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Starts a static server on a free loopback port. */
export async function serve(options: ServeOptions): Promise<TestServer> {
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    let served: Served | undefined;
    const route = options.routes?.[path];
    if (route) served = typeof route === 'function' ? await route() : route;
    for (const [prefix, dir] of Object.entries(options.dirs ?? {})) {
      if (served || !path.startsWith(prefix)) continue;
      const file = normalize(join(dir, path.slice(prefix.length) || 'index.html'));
      if (!file.startsWith(normalize(dir + sep)) && file !== normalize(dir)) continue;
      try {
        served = { body: await readFile(file), type: TYPES[extname(file)] ?? 'application/octet-stream' };
      } catch {
        /* not there: try the next folder */
      }
    }
    if (!served && path === '/favicon.ico') {
      // Chromium asks for it on every page; a 404 would read as a console error of the page's.
      response.writeHead(204).end();
      return;
    }
    if (!served) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': served.type ?? TYPES[extname(path)] ?? 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      ...options.headers,
      ...served.headers,
    });
    response.end(served.body);
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Debian's Chromium, headless, with the flags our machines need. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

/** Everything a page did wrong, as the tests assert on it. */
export interface PageTrouble {
  pageErrors: string[];
  consoleErrors: string[];
  /** `securitypolicyviolation` events: "<directive> <blocked URI or 'inline'>". */
  cspViolations: string[];
}

/**
 * Watches a page: uncaught errors and unhandled rejections (`pageerror`), console errors, and CSP
 * violations (from the `securitypolicyviolation` event, which Chromium fires for every blocked
 * script, style, eval and Trusted Types sink). Call before `page.goto`.
 */
export async function watch(page: Page): Promise<PageTrouble> {
  const trouble: PageTrouble = { pageErrors: [], consoleErrors: [], cspViolations: [] };
  page.on('pageerror', (error) => trouble.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') trouble.consoleErrors.push(message.text());
  });
  await page.exposeFunction('__reportCspViolation', (text: string) => trouble.cspViolations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation(text: string): void }).__reportCspViolation;
      report(`${event.effectiveDirective} ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return trouble;
}
