/**
 * The studio at `/studio` (issue 19, point 1): a bilingual page under the portal pages' strict CSP
 * that loads the studio's module and holds `<consult-studio endpoint="/api">` (with the programme
 * asked for, when its id is valid), the built app at `/studio/app/` (hashed chunks immutable, the
 * entry revalidated, br/gzip negotiated, nothing outside the folder), and a 503 while it is not built.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import type { Db } from '../src/db/db.js';
import { IMMUTABLE } from '../src/static/routes.js';
import { STUDIO_PAGE_CSP, studioPage } from '../src/studio/routes.js';
import { raw } from './embed-fixture.js';
import { call, DATABASES, serve, type TestServer } from './helpers.js';

const ENTRY = `import "./chunks/panes-AbCd1234.js";\nexport const studio = "${'x'.repeat(2000)}";\n`;

describe('the studio at /studio', () => {
  let db: Db;
  let server: TestServer;
  let unbuilt: TestServer;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'studio-'));
    const app = join(dir, 'app');
    mkdirSync(join(app, 'chunks'), { recursive: true });
    writeFileSync(join(app, 'consult-studio.js'), ENTRY);
    writeFileSync(join(app, 'chunks', 'panes-AbCd1234.js'), 'export const panes = 1;\n');
    writeFileSync(join(app, 'notes.json'), '{"secret": true}');
    writeFileSync(join(dir, 'outside.js'), 'export const secret = "outside";\n');
    db = await DATABASES[0]!.open();
    server = await serve(db, { studioDir: app });
    unbuilt = await serve(db, { studioDir: join(dir, 'missing') });
  });

  after(async () => {
    await server?.close();
    await unbuilt?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('/studio is a page under the strict CSP that loads the studio module and holds <consult-studio endpoint="/api">', async () => {
    const res = await call(server, '/studio');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('content-security-policy'), STUDIO_PAGE_CSP);
    assert.match(STUDIO_PAGE_CSP, /script-src 'self'; style-src 'self'; require-trusted-types-for 'script'/);
    assert.doesNotMatch(STUDIO_PAGE_CSP, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(res.text, /<html lang="zh-CN">/);
    assert.match(res.text, /<script type="module" src="\/studio\/app\/consult-studio\.js"><\/script>/);
    assert.match(res.text, /<consult-studio endpoint="\/api"><\/consult-studio>/, 'no programme attribute when none is asked for');
    // No inline script or style: every script has a src, no <style>, no style attribute.
    for (const tag of res.text.match(/<script[^>]*>/g) ?? []) assert.match(tag, / src="/);
    assert.doesNotMatch(res.text, /<style|style=/);
    assert.match(res.text, /配置工作室.*studio/s, 'bilingual');
  });

  it('/studio?programme=<id> opens that programme; an id that is not one is ignored, never echoed', async () => {
    const res = await call(server, '/studio?programme=wuxi-youshi-haoshangliang');
    assert.match(res.text, /<consult-studio endpoint="\/api" programme="wuxi-youshi-haoshangliang"><\/consult-studio>/);
    for (const bad of ['%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'Upper-Case', '-leading', 'x'.repeat(80)]) {
      const page = await call(server, `/studio?programme=${bad}`);
      assert.equal(page.status, 200, bad);
      assert.match(page.text, /<consult-studio endpoint="\/api"><\/consult-studio>/, bad);
      assert.doesNotMatch(page.text, /alert/);
    }
    const twice = await call(server, '/studio?programme=a&programme=b');
    assert.match(twice.text, /<consult-studio endpoint="\/api"><\/consult-studio>/);
    // The page escapes whatever it is given (defence in depth behind the id check).
    assert.match(studioPage('a"b<c>&\''), /programme="a&#34;b&#60;c&#62;&#38;&#39;"/);
  });

  it('the entry is revalidated (no-cache), a content-hashed chunk is cached for a year', async () => {
    const entry = await call(server, '/studio/app/consult-studio.js');
    assert.equal(entry.status, 200);
    assert.equal(entry.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(entry.headers.get('cache-control'), 'no-cache');
    assert.equal(entry.text, ENTRY);
    const chunk = await call(server, '/studio/app/chunks/panes-AbCd1234.js');
    assert.equal(chunk.status, 200);
    assert.equal(chunk.headers.get('cache-control'), IMMUTABLE);
    const again = await call(server, '/studio/app/consult-studio.js', { headers: { 'if-none-match': entry.headers.get('etag')! } });
    assert.equal(again.status, 304);
  });

  it('negotiates br and gzip as /assets/ does', async () => {
    const res = await raw(server.url, '/studio/app/consult-studio.js', { 'accept-encoding': 'gzip, br' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'br');
    assert.match(String(res.headers.vary), /Accept-Encoding/);
    assert.equal(brotliDecompressSync(res.body).toString('utf8'), ENTRY);
    assert.ok(res.body.length < ENTRY.length);
  });

  it('refuses traversal, hidden and unlisted files under /studio/app', async () => {
    for (const path of ['/studio/app/%2e%2e/outside.js', '/studio/app/..%2foutside.js', '/studio/app/chunks/%2e%2e/%2e%2e/outside.js', '/studio/app/%5c..%5coutside.js', '/studio/app/notes.json', '/studio/app/.env']) {
      const res = await raw(server.url, path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.body.toString('utf8'), /export const secret|"secret": true/, path);
    }
    for (const path of ['/studio/app/../outside.js', '/studio/app/chunks/../../outside.js']) {
      const res = await raw(server.url, path);
      assert.notEqual(res.status, 200, path);
      assert.doesNotMatch(res.body.toString('utf8'), /export const secret/, path);
    }
  });

  it('not built: /studio answers 503 with a bilingual page that says how to build it', async () => {
    const res = await call(unbuilt, '/studio');
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('content-security-policy'), STUDIO_PAGE_CSP);
    assert.match(res.text, /配置工作室暂不可用/);
    assert.match(res.text, /The studio is not available/);
    assert.match(res.text, /BUILD_ONLY=studio npx rollup -c rollup\.config\.js/);
    assert.equal((await call(unbuilt, '/studio/app/consult-studio.js')).status, 404);
  });
});
