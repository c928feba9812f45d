/**
 * `--portal` and `--assets`: a city portal's static files at `/` and the one-file embed at
 * `/assets/`, safely (no way out of the folders, no hidden files, no token file), with the
 * right types, entity tags and the strict Content-Security-Policy on pages; the programme list
 * moves to `/programmes`; the API and its 404 problems are untouched.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { loadOptions, OptionsError } from '../src/config.js';
import type { Db } from '../src/db/db.js';
import { PORTAL_PAGE_CSP, safeSegments } from '../src/static/routes.js';
import { addProgramme, call, DATABASES, serve, type TestServer } from './helpers.js';

/** Sends a raw request line (clients normalise `..` away; attackers do not) and returns the status. */
function rawStatus(server: TestServer, path: string): Promise<number> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

describe('static files: --portal and --assets', () => {
  let db: Db;
  let server: TestServer;
  let plain: TestServer;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'consult-portal-'));
    const portal = join(dir, 'portal');
    const assets = join(dir, 'assets');
    mkdirSync(join(portal, 'news'), { recursive: true });
    mkdirSync(join(portal, '.git'));
    mkdirSync(assets);
    writeFileSync(join(portal, 'index.html'), '<!doctype html><title>门户</title>');
    writeFileSync(join(portal, 'staff.html'), '<!doctype html><title>staff</title>');
    writeFileSync(join(portal, 'news', 'index.html'), '<!doctype html><title>news</title>');
    writeFileSync(join(portal, 'portal.css'), '* { font: 12px serif }');
    writeFileSync(join(portal, 'portal.js'), 'void 0;');
    writeFileSync(join(portal, 'demo-tokens.json'), '{"secret-token-xxxxxxxxxx":{"role":"admin","id":"a"}}');
    writeFileSync(join(portal, '.env'), 'SECRET=1');
    writeFileSync(join(portal, '.git', 'config'), '[core]');
    writeFileSync(join(portal, 'notes.md'), '# internal');
    writeFileSync(join(dir, 'outside.html'), '<!doctype html><title>outside</title>');
    symlinkSync(join(dir, 'outside.html'), join(portal, 'escape.html'));
    writeFileSync(join(assets, 'consult-kit.min.js'), 'export const version = "test";');
    db = await DATABASES[0]!.open();
    await addProgramme(db, 'wuxi-community.json');
    server = await serve(db, { portalDir: portal, assetsDir: assets });
    plain = await serve(db);
  });

  after(async () => {
    await server?.close();
    await plain?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('/ is the portal\'s index.html, under the strict CSP, with an ETag and no-cache', async () => {
    const res = await call(server, '/');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.text, '<!doctype html><title>门户</title>');
    assert.equal(res.headers.get('content-security-policy'), PORTAL_PAGE_CSP);
    assert.match(PORTAL_PAGE_CSP, /script-src 'self'; style-src 'self'; require-trusted-types-for 'script'; trusted-types lit-html/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('etag') ?? '', /^"[0-9a-f]+-[0-9a-f]+"$/);
    assert.ok(res.headers.get('last-modified'));
  });

  it('If-None-Match with the ETag answers 304 with no body', async () => {
    const first = await call(server, '/portal.css');
    const again = await call(server, '/portal.css', { headers: { 'if-none-match': first.headers.get('etag')! } });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
  });

  it('each file has its type; pages have the CSP, other files do not need it', async () => {
    const css = await call(server, '/portal.css');
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    const js = await call(server, '/portal.js');
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('content-security-policy'), null);
    const staff = await call(server, '/staff');
    assert.equal(staff.status, 200, '/staff is staff.html');
    assert.equal(staff.text, '<!doctype html><title>staff</title>');
    assert.equal((await call(server, '/staff.html')).status, 200);
    assert.equal((await call(server, '/news/')).text, '<!doctype html><title>news</title>');
    assert.equal((await call(server, '/news')).text, '<!doctype html><title>news</title>');
    assert.equal((await call(server, '/portal.css?v=2')).status, 200, 'a query string is ignored');
  });

  it('the embed is at /assets/', async () => {
    const res = await call(server, '/assets/consult-kit.min.js');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(res.text, 'export const version = "test";');
    assert.equal((await call(server, '/assets/index.html')).status, 404);
  });

  it('never a hidden file, a token file, an unknown type, or anything outside the folder', async () => {
    for (const path of ['/demo-tokens.json', '/.env', '/.git/config', '/notes.md', '/escape.html', '/nothing.html', '/%2e%2e/outside.html', '/news/%2e%2e/%2e%2e/outside.html', '/..%2foutside.html', '/%5c..%5coutside.html', '/portal.css%00.html', '/%E0%A4%A']) {
      const res = await call(server, path);
      // A path that is not valid percent-encoding is Fastify's 400; the rest are not found.
      assert.equal(res.status, path === '/%E0%A4%A' ? 400 : 404, path);
      assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8', path);
    }
    for (const path of ['/../outside.html', '/news/../../outside.html', '/assets/../../outside.html']) {
      assert.notEqual(await rawStatus(server, path), 200, path);
    }
    assert.deepEqual(safeSegments('a/b.html'), ['a', 'b.html']);
    assert.equal(safeSegments('a/../b'), undefined);
    assert.equal(safeSegments('a//b'), undefined);
    assert.equal(safeSegments('.well-known/x'), undefined);
  });

  it('the API and the health check are unchanged; the programme list is at /programmes', async () => {
    assert.equal((await call(server, '/api/programmes')).status, 200);
    const missing = await call(server, '/api/nothing');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal((await call(server, '/healthz')).status, 200);
    const list = await call(server, '/programmes');
    assert.equal(list.status, 200);
    assert.match(list.text, /有事好商量/);
    assert.match(list.text, /wuxi-youshi-haoshangliang/);
  });

  it('without --portal, / is the programme list and nothing else is served', async () => {
    const list = await call(plain, '/');
    assert.match(list.text, /wuxi-youshi-haoshangliang/);
    assert.equal((await call(plain, '/portal.css')).status, 404);
    assert.equal((await call(plain, '/assets/consult-kit.min.js')).status, 404);
  });

  it('--portal / CONSULT_PORTAL_DIR and --assets: checked at start; the embed is found by default', () => {
    const o = loadOptions(['--portal', 'examples/portal'], {});
    assert.match(o.portalDir ?? '', /examples\/portal$/);
    assert.match(o.assetsDir ?? '', /packages\/embed\/dist$/);
    assert.equal(loadOptions([], { CONSULT_PORTAL_DIR: 'examples/portal', CONSULT_ASSETS_DIR: dir }).assetsDir, dir);
    assert.equal(loadOptions([], {}).portalDir, undefined);
    assert.throws(() => loadOptions(['--portal', join(dir, 'nowhere')], {}), (e: unknown) => e instanceof OptionsError && /index\.html/.test(e.message));
    assert.throws(() => loadOptions(['--portal', 'examples/portal', '--assets', join(dir, 'nowhere')], {}), OptionsError);
  });
});
