/**
 * Compression and caching of static files (issue 18): `scripts/precompress.mjs` writes `.br`/`.gz`
 * siblings beside the embed's files; the server negotiates `Accept-Encoding` (q-values, `q=0`,
 * `*`, `identity`), sends the sibling with `Content-Encoding`, `Vary: Accept-Encoding`, the length
 * of what it sends and a strong `ETag` per coding (304 and HEAD too), compresses files without a
 * sibling (the portal's) itself, never serves a `.br`/`.gz` by its own name, and caches only the
 * content-hashed chunks under `/assets/chunks/` for a year. The embed's folder is the fake one of
 * `embed-fixture.ts` (entry, IIFE twin, maps, `chunks/<name>-<hash>.js`); requests go through
 * `node:http`, so every header is the one the test means and the body is the bytes on the wire.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompress } from '../../../scripts/precompress.mjs';
import type { Db } from '../src/db/db.js';
import { HASHED_CHUNK, IMMUTABLE, negotiateCodings } from '../src/static/routes.js';
import { bundle, decoded, EMBED, headerOf as header, raw as rawAt, type Raw, writeFakeEmbed } from './embed-fixture.js';
import { DATABASES, serve, type TestServer } from './helpers.js';

const raw = (server: TestServer, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> => rawAt(server.url, path, headers, method);

const ENTRY = EMBED.entry;
const CHUNK = EMBED.chunk;
const CHUNK_CSS = EMBED.chunkCss;
const CHUNK_MAP = EMBED.chunkMap;

describe('static files: precompressed siblings, negotiation, caching', () => {
  let db: Db;
  let server: TestServer;
  let dir: string;
  let assets: string;
  let portal: string;
  const file = (path: string): Buffer => readFileSync(join(assets, path));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'consult-encoding-'));
    assets = join(dir, 'assets');
    portal = join(dir, 'portal');
    writeFakeEmbed(assets);
    mkdirSync(join(portal, 'chunks'), { recursive: true });
    writeFileSync(join(assets, 'tiny.js'), 'void 0;');
    writeFileSync(join(assets, 'stale.js'), bundle('stale'));
    writeFileSync(join(assets, 'logo.png'), Buffer.alloc(2000, 7));
    writeFileSync(join(assets, 'logo.svg'), `<svg xmlns="http://www.w3.org/2000/svg">${'<rect width="1" height="1"/>'.repeat(200)}</svg>`);
    writeFileSync(join(assets, 'old-chunk.js.br'), 'left from a build whose chunk is gone');
    mkdirSync(join(assets, '.cache'));
    writeFileSync(join(assets, '.cache', 'hidden.js'), bundle('hidden'));
    writeFileSync(join(dir, 'outside.js'), bundle('outside'));
    symlinkSync(join(dir, 'outside.js'), join(assets, 'linked.js'));
    writeFileSync(join(portal, 'index.html'), `<!doctype html><title>门户</title>${'<p>有事好商量 — 社区协商议事室。</p>\n'.repeat(200)}`);
    writeFileSync(join(portal, 'portal.css'), '* { font: 12px serif }\n'.repeat(200));
    writeFileSync(join(portal, 'chunks', 'looks-Hashed12.js'), bundle('portal'));
    db = await DATABASES[0]!.open();
    server = await serve(db, { portalDir: portal, assetsDir: assets });
  });

  after(async () => {
    await server?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('precompress writes .br and .gz beside every compressible file, only when smaller, and skips what is up to date', async () => {
    const report = await precompress([assets]);
    for (const path of [ENTRY, `${ENTRY}.map`, EMBED.iife, EMBED.module, CHUNK, CHUNK_MAP, CHUNK_CSS, 'logo.svg', 'stale.js']) {
      assert.deepEqual(brotliDecompressSync(file(`${path}.br`)), file(path), `${path}.br`);
      assert.deepEqual(gunzipSync(file(`${path}.gz`)), file(path), `${path}.gz`);
      assert.ok(file(`${path}.br`).length < file(path).length, `${path}.br is smaller`);
    }
    assert.ok(!existsSync(join(assets, 'tiny.js.br')) && !existsSync(join(assets, 'tiny.js.gz')), 'a 7-byte file gets no sibling: it would not be smaller');
    assert.ok(report.notSmaller.some((p) => p.endsWith('tiny.js.br')));
    assert.ok(!existsSync(join(assets, 'logo.png.br')), 'PNG is compressed already');
    assert.ok(!existsSync(join(assets, 'old-chunk.js.br')), 'a sibling whose file is gone is removed');
    assert.ok(!existsSync(join(assets, '.cache', 'hidden.js.br')), 'hidden folders are skipped');
    assert.ok(!existsSync(join(assets, 'linked.js.br')) && !existsSync(join(dir, 'outside.js.br')), 'symbolic links are skipped');
    assert.equal((await precompress([assets])).written.length, 0, 'a second run finds every sibling up to date');
  });

  it('negotiates Accept-Encoding: br before gzip, q-values and q=0 respected, identity otherwise', async () => {
    const cases: Array<[string | undefined, string | undefined]> = [
      [undefined, undefined],
      ['', undefined],
      ['gzip, deflate, br', 'br'],
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip', 'gzip'],
      ['x-gzip', 'gzip'],
      ['BR', 'br'],
      ['br;q=0, gzip', 'gzip'],
      ['br; q=0.000, gzip;q=0.1', 'gzip'],
      ['br;q=0.5, gzip;q=0.8', 'gzip'],
      ['br;q=0.8, gzip;q=0.8', 'br'],
      ['br;q=0.5, identity', undefined],
      ['br;q=0.5', 'br'],
      ['*', 'br'],
      ['*;q=0.5, br;q=0.1', 'gzip'],
      ['*;q=0, identity', undefined],
      ['identity', undefined],
      ['gzip;q=0, br;q=0', undefined],
      ['identity;q=0', undefined],
      ['deflate', undefined],
      ['br;q=abc, gzip', 'gzip'],
      ['br;q=1.5, gzip', 'gzip'],
    ];
    const identity = file(ENTRY);
    for (const [accept, coding] of cases) {
      const res = await raw(server, `/assets/${ENTRY}`, accept === undefined ? {} : { 'accept-encoding': accept });
      const what = `Accept-Encoding: ${accept ?? '(none)'}`;
      assert.equal(res.status, 200, what);
      assert.equal(res.headers['content-encoding'], coding, what);
      assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8', what);
      assert.match(header(res, 'vary') ?? '', /(^|, *)Accept-Encoding($|,)/, what);
      assert.equal(Number(res.headers['content-length']), res.body.length, `${what}: Content-Length is what is sent`);
      assert.deepEqual(decoded(res), identity, `${what}: the decoded body is the file`);
      if (coding) assert.deepEqual(res.body, file(`${ENTRY}${coding === 'br' ? '.br' : '.gz'}`), `${what}: the precompressed sibling is sent`);
    }
    // With nothing acceptable but identity refused, the file is sent as it is (as other servers do).
    assert.deepEqual(negotiateCodings('identity;q=0'), []);
    assert.deepEqual(negotiateCodings('gzip;q=0.3, br;q=0.9, identity;q=0.5'), ['br', 'identity', 'gzip']);
  });

  it('a strong ETag per coding; If-None-Match answers 304 only for the coding it names', async () => {
    const br = await raw(server, `/assets/${ENTRY}`, { 'accept-encoding': 'br' });
    const gz = await raw(server, `/assets/${ENTRY}`, { 'accept-encoding': 'gzip' });
    const id = await raw(server, `/assets/${ENTRY}`);
    const tags = [br, gz, id].map((r) => header(r, 'etag')!);
    for (const tag of tags) assert.match(tag, /^"[0-9a-f-]+(?:-br|-gz)?[0-9a-f-]*"$/, 'strong (no W/)');
    assert.equal(new Set(tags).size, 3, `three codings, three tags: ${tags.join(' ')}`);
    for (const [accept, tag] of [['br', tags[0]], ['gzip', tags[1]], ['', tags[2]]] as const) {
      const again = await raw(server, `/assets/${ENTRY}`, { 'accept-encoding': accept, 'if-none-match': tag! });
      assert.equal(again.status, 304, accept);
      assert.equal(again.body.length, 0);
      assert.equal(header(again, 'etag'), tag);
      assert.match(header(again, 'vary') ?? '', /Accept-Encoding/, 'the 304 varies as the 200 does');
      assert.equal(header(again, 'cache-control'), 'no-cache');
    }
    // The br tag does not validate the gzip answer: a different representation.
    const other = await raw(server, `/assets/${ENTRY}`, { 'accept-encoding': 'gzip', 'if-none-match': tags[0]! });
    assert.equal(other.status, 200);
    assert.equal(other.headers['content-encoding'], 'gzip');
  });

  it('HEAD sends the headers of GET, Content-Length of what GET would send, and no body', async () => {
    for (const accept of ['br', 'gzip', 'identity']) {
      const get = await raw(server, `/assets/${CHUNK}`, { 'accept-encoding': accept });
      const head = await raw(server, `/assets/${CHUNK}`, { 'accept-encoding': accept }, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.body.length, 0);
      for (const name of ['content-length', 'content-encoding', 'content-type', 'etag', 'vary', 'cache-control', 'last-modified']) {
        assert.equal(header(head, name), header(get, name), `${accept}: ${name}`);
      }
      assert.equal(Number(head.headers['content-length']), get.body.length);
    }
    const head304 = await raw(server, `/assets/${ENTRY}`, { 'accept-encoding': 'br', 'if-none-match': header(await raw(server, `/assets/${ENTRY}`, { 'accept-encoding': 'br' }), 'etag')! }, 'HEAD');
    assert.equal(head304.status, 304);
  });

  it('only content-hashed chunks under /assets/chunks/ are immutable; the entry and the rest revalidate', async () => {
    for (const path of [CHUNK, CHUNK_CSS]) {
      for (const accept of ['br', 'gzip', '']) {
        const res = await raw(server, `/assets/${path}`, { 'accept-encoding': accept });
        assert.equal(res.status, 200, path);
        assert.equal(header(res, 'cache-control'), IMMUTABLE, `${path} ${accept}`);
        assert.ok(header(res, 'etag'), 'still an ETag');
      }
    }
    assert.equal(IMMUTABLE, 'public, max-age=31536000, immutable');
    assert.equal(header(await raw(server, `/assets/${CHUNK_CSS}`), 'content-type'), 'text/css; charset=utf-8');
    for (const path of [`/assets/${ENTRY}`, `/assets/${ENTRY}.map`, `/assets/${EMBED.iife}`, `/assets/${CHUNK_MAP}`, ...EMBED.unhashed.map((p) => `/assets/${p}`), '/chunks/looks-Hashed12.js', '/']) {
      const res = await raw(server, path, { 'accept-encoding': 'br' });
      assert.equal(res.status, 200, path);
      assert.equal(header(res, 'cache-control'), 'no-cache', path);
    }
    assert.ok(HASHED_CHUNK.test('x-AbCdEf_-.js') && HASHED_CHUNK.test('x-12345678.css'));
    assert.ok(!HASHED_CHUNK.test('x-1234567.js') && !HASHED_CHUNK.test('x-12345678.js.map') && !HASHED_CHUNK.test('x-12345678.mjs'));
  });

  it('never serves a .br or .gz sibling by its own name, nor compresses what is compressed already', async () => {
    for (const path of [`/assets/${ENTRY}.br`, `/assets/${ENTRY}.gz`, `/assets/${CHUNK}.br`, '/assets/logo.svg.gz', `/assets/${ENTRY}.br?download`]) {
      const res = await raw(server, path, { 'accept-encoding': 'br, gzip' });
      assert.equal(res.status, 404, path);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', path);
      assert.equal(res.headers['content-encoding'], undefined, path);
    }
    const png = await raw(server, '/assets/logo.png', { 'accept-encoding': 'br, gzip' });
    assert.equal(png.status, 200);
    assert.equal(png.headers['content-encoding'], undefined);
    assert.doesNotMatch(header(png, 'vary') ?? '', /Accept-Encoding/, 'a PNG does not vary by coding');
    const tiny = await raw(server, '/assets/tiny.js', { 'accept-encoding': 'br, gzip' });
    assert.equal(tiny.headers['content-encoding'], undefined, 'compressing 7 bytes does not make them smaller');
    assert.match(header(tiny, 'vary') ?? '', /Accept-Encoding/);
    assert.equal(tiny.body.toString(), 'void 0;');
    const svg = await raw(server, '/assets/logo.svg', { 'accept-encoding': 'gzip' });
    assert.equal(svg.headers['content-encoding'], 'gzip');
    assert.equal(svg.headers['content-type'], 'image/svg+xml');
  });

  it('a sibling older than its file is not sent: the server compresses the new file itself', async () => {
    const before = await raw(server, '/assets/stale.js', { 'accept-encoding': 'br' });
    assert.deepEqual(before.body, file('stale.js.br'));
    const changed = bundle('fresh');
    writeFileSync(join(assets, 'stale.js'), changed);
    const later = new Date(statSync(join(assets, 'stale.js.br')).mtimeMs + 5000);
    utimesSync(join(assets, 'stale.js'), later, later);
    for (const accept of ['br', 'gzip']) {
      const res = await raw(server, '/assets/stale.js', { 'accept-encoding': accept });
      assert.equal(res.headers['content-encoding'], accept);
      assert.equal(decoded(res).toString(), changed, `${accept}: the new file, not the old sibling`);
      assert.notEqual(header(res, 'etag'), header(before, 'etag'));
      assert.equal(Number(res.headers['content-length']), res.body.length);
    }
  });

  it('the portal\'s files (no siblings, in git) are compressed by the server, once per version', async () => {
    const page = readFileSync(join(portal, 'index.html'));
    const first = await raw(server, '/', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(first.status, 200);
    assert.equal(first.headers['content-encoding'], 'br');
    assert.deepEqual(decoded(first), page);
    assert.ok(first.body.length < page.length / 4);
    assert.ok(first.headers['content-security-policy'], 'the page keeps its CSP');
    const second = await raw(server, '/', { 'accept-encoding': 'br' });
    assert.deepEqual(second.body, first.body);
    assert.equal(header(second, 'etag'), header(first, 'etag'));
    assert.equal((await raw(server, '/', { 'accept-encoding': 'br', 'if-none-match': header(first, 'etag')! })).status, 304);
    const css = await raw(server, '/portal.css', { 'accept-encoding': 'gzip' });
    assert.equal(css.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(css.body).toString(), '* { font: 12px serif }\n'.repeat(200));
    const plain = await raw(server, '/portal.css');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(new Set([header(css, 'etag'), header(plain, 'etag')]).size, 2);
    // A new version of the page is compressed anew.
    const edited = `${page.toString()}<p>新</p>`;
    writeFileSync(join(portal, 'index.html'), edited);
    utimesSync(join(portal, 'index.html'), new Date(Date.now() + 10_000), new Date(Date.now() + 10_000));
    const third = await raw(server, '/', { 'accept-encoding': 'br' });
    assert.equal(decoded(third).toString(), edited);
    assert.notEqual(header(third, 'etag'), header(first, 'etag'));
    for (const name of ['index.html.br', 'index.html.gz', 'portal.css.gz']) assert.ok(!existsSync(join(portal, name)), `nothing written into the portal: ${name}`);
  });

  it('Vary keeps CORS\'s Origin beside Accept-Encoding', async () => {
    const res = await raw(server, `/assets/${ENTRY}`, { 'accept-encoding': 'br', origin: 'https://portal.example.gov.cn' });
    const vary = (header(res, 'vary') ?? '').split(/,\s*/);
    assert.ok(vary.includes('Origin') && vary.includes('Accept-Encoding'), vary.join(', '));
  });
});
