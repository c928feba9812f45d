// Headless Chromium (Debian's, with the flags our tests use) and a loopback static server.
// Nothing here reaches the network: every request that is not to 127.0.0.1 is aborted and
// counted, so a library that fetches from a CDN shows up in the table instead of in the timings.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/ensure-chromium.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
};

/**
 * A static server on 127.0.0.1 for a fixed set of routes: { '/ours.html': { body } | { file } }.
 * Files are read once, up front, so disk is not part of any timing.
 */
export async function startServer(routes) {
  const table = new Map();
  for (const [path, route] of Object.entries(routes)) {
    const body = route.body ?? readFileSync(route.file);
    table.set(path, { body: Buffer.from(body), type: route.type ?? TYPES[extname(route.file ?? path)] ?? 'application/octet-stream' });
  }
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const hit = table.get(path);
    if (!hit) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': hit.type, 'cache-control': 'no-store' }).end(hit.body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

export async function launchChromium() {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  return browser;
}

const isLoopback = (url) => {
  try {
    const { hostname, protocol } = new URL(url);
    if (protocol === 'data:' || protocol === 'blob:') return true;
    return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  } catch {
    return false;
  }
};

/**
 * A fresh browser context whose non-loopback requests are aborted; `blocked` lists their URLs.
 * @param {import('playwright-core').Browser} browser
 */
export async function isolatedContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, ...options });
  const blocked = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLoopback(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  return { context, blocked };
}
