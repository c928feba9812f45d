// A loopback static server like startServer in browser.mjs, but every body is compressed up front
// (Brotli quality 11 and gzip -9, as a build step or a CDN would) and chosen by the request's
// Accept-Encoding (br, then gzip, else identity), so pages of different libraries are served the
// same way when the wire is what is measured (bench/load.mjs). Bodies are read and compressed once,
// before any timing.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The encodings a request accepts (q=0 excluded), lower-cased. */
function accepted(header) {
  return new Set(
    String(header ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split(';'))
      .filter(([name, ...params]) => name && !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p)))
      .map(([name]) => name),
  );
}

/**
 * Serves a fixed set of routes, { '/page.html': { body } | { file }, type? }, on 127.0.0.1, each
 * compressed by Accept-Encoding; `cache-control: no-store`. Resolves to { origin, close }.
 */
export async function startCompressedServer(routes) {
  const table = new Map();
  for (const [path, route] of Object.entries(routes)) {
    const identity = Buffer.from(route.body ?? readFileSync(route.file));
    table.set(path, {
      type: route.type ?? TYPES[extname(route.file ?? path)] ?? 'application/octet-stream',
      identity,
      br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
      gzip: gzipSync(identity, { level: 9 }),
    });
  }
  const server = createServer((req, res) => {
    const hit = table.get(new URL(req.url, 'http://x').pathname);
    if (!hit) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const accepts = accepted(req.headers['accept-encoding']);
    const encoding = accepts.has('br') ? 'br' : accepts.has('gzip') ? 'gzip' : undefined;
    const body = encoding ? hit[encoding] : hit.identity;
    res
      .writeHead(200, {
        'content-type': hit.type,
        'cache-control': 'no-store',
        vary: 'accept-encoding',
        ...(encoding ? { 'content-encoding': encoding } : {}),
        'content-length': body.length,
      })
      .end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
