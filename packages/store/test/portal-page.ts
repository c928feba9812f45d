/**
 * For the tests that drive a page in Chromium against the reference server (the store's
 * real-server test, the elements' staff desk): the page's script bundled from source, and a
 * portal that serves it on an origin of its own (so CORS is as a city's portal would meet it).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { fromSource } from './from-source.js';

/** Bundles a page script (ESM, for the browser), the machine and the store taken from source. */
export async function pageBundle(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [fromSource()],
  });
  return out.outputFiles[0]!.text;
}

/** The portal: a zh-CN page titled `title` (with `body` before the script) and the script, on their own origin. */
export async function portal(script: string, title: string, body = ''): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url === '/page.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(script);
      return;
    }
    res
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,"><body>${body}<script type="module" src="/page.js"></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
