/**
 * The nginx settings of docs/embedding.md ("Serving the embed folder"), for real: the test reads
 * the `nginx` block from the document, starts nginx with it on a fake embed folder (with the
 * siblings `scripts/precompress.mjs` writes) and checks what the chapter promises — `br`, then
 * `gzip`, then none, `q=0` refused, `Content-Encoding`, `Vary`, the length sent, an `ETag` per
 * coding and `304`, HEAD, the year only for content-hashed chunks, no sibling by its own name —
 * and the differences from consult-kit's server that it states.
 *
 * nginx and Google's Brotli module come from Debian (`nginx`, `libnginx-mod-http-brotli-static`):
 * installed with apt-get when they are missing and the test runs as root where apt-get exists
 * (as .ci/run installs PostgreSQL and scripts/ensure-chromium.mjs Chromium); otherwise the test is
 * skipped and says why. With nginx but without the module, the `brotli_static` line is dropped
 * (as the chapter says to) and only gzip is checked.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { precompress } from '../../../scripts/precompress.mjs';
import { decoded, EMBED, headerOf, raw, writeFakeEmbed } from './embed-fixture.js';
import { accepts, freePort } from './proxy-fixture.js';
import { ROOT } from './openapi.js';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const BROTLI_MODULE = '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so';
const PACKAGES = ['nginx', 'libnginx-mod-http-brotli-static'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Installs what is missing when it can; the reason to skip when nginx is still not there. */
function ensureNginx(): string | undefined {
  const missing = (): string[] => PACKAGES.filter((p) => (p === 'nginx' ? !isExecutable(NGINX) : !existsSync(BROTLI_MODULE)));
  if (missing().length === 0) return undefined;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (isRoot && hasApt && !process.env.NGINX_PATH) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    console.log(`nginx test: installing ${missing().join(' ')} (apt-get)…`);
    spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore', timeout: 300_000 });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing()], { env, encoding: 'utf8', timeout: 600_000 });
    if (install.status !== 0) console.log(`nginx test: apt-get install failed: ${(install.stderr ?? '').trim().split('\n').slice(-3).join(' / ')}`);
  }
  if (isExecutable(NGINX)) return undefined;
  if (process.env.NGINX_PATH) return `NGINX_PATH=${NGINX} is not an executable file`;
  if (!isRoot) return `nginx is not installed (${NGINX}) and the test is not root, so it does not install it: apt-get install -y ${PACKAGES.join(' ')}`;
  if (!hasApt) return `nginx is not installed (${NGINX}) and there is no apt-get to install it`;
  return `nginx could not be installed with apt-get (${PACKAGES.join(' ')})`;
}

/** The `nginx` block of docs/embedding.md's "Serving the embed folder". */
function documentedBlock(): string {
  const doc = readFileSync(join(ROOT, 'docs/embedding.md'), 'utf8');
  const chapter = doc.slice(doc.indexOf('\n## Serving the embed folder'));
  const block = /\n```nginx\n([\s\S]*?)\n```/.exec(chapter)?.[1];
  assert.ok(block, 'docs/embedding.md: "Serving the embed folder" has an nginx block');
  assert.match(block, /^\s*root \/srv\/www;$/m, 'the block serves /srv/www');
  return block;
}

const skip = ensureNginx();
const brotli = existsSync(BROTLI_MODULE);

describe('nginx with docs/embedding.md\'s settings serves the embed folder', { skip }, () => {
  let dir: string;
  let assets: string;
  let child: ChildProcess | undefined;
  let base: string;
  let exited: Promise<void>;
  const file = (path: string): Buffer => readFileSync(join(assets, path));
  const get = (path: string, accept?: string, extra: Record<string, string> = {}, method = 'GET') =>
    raw(base, `/assets/${path}`, { ...(accept === undefined ? {} : { 'accept-encoding': accept }), ...extra }, method);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'consult-nginx-'));
    // nginx's workers run as nobody when the test is root: they must be able to read the folder.
    chmodSync(dir, 0o755);
    const www = join(dir, 'www');
    assets = join(www, 'assets');
    writeFakeEmbed(assets);
    await precompress([assets]);
    for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, 'temp', temp), { recursive: true });
    let block = documentedBlock().replace(/^(\s*)root \/srv\/www;$/m, `$1root ${www};`);
    if (!brotli) block = block.replace(/^\s*brotli_static on;\n/m, '');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        brotli ? `load_module ${BROTLI_MODULE};` : '',
        'daemon off;',
        'worker_processes 1;',
        `pid ${dir}/nginx.pid;`,
        `error_log ${dir}/error.log warn;`,
        'events { worker_connections 64; }',
        'http {',
        '  access_log off;',
        ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t === 'body' ? 'client_body' : t}_temp_path ${dir}/temp/${t};`),
        '  server {',
        `    listen 127.0.0.1:${port};`,
        block,
        '  }',
        '}',
      ].join('\n'),
    );
    child = spawn(NGINX, ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let gone = false;
    exited = new Promise((resolve) => child!.once('exit', () => ((gone = true), resolve())));
    for (let waited = 0; !(await accepts(port)); waited += 50) {
      const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
      assert.ok(!gone && waited < 10_000, `nginx did not start:\n${stderr}\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child!.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends br, else gzip, else the file; q=0 refuses; Vary, the length sent, the decoded body is the file', async (t) => {
    if (!brotli) t.diagnostic(`${BROTLI_MODULE} is missing: br is not checked`);
    const cases: Array<[string | undefined, string | undefined]> = [
      [undefined, undefined],
      ['gzip, deflate, br', brotli ? 'br' : 'gzip'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['br;q=0', undefined],
      ['gzip;q=0', undefined],
      ['identity', undefined],
      // The differences the chapter states: q is not weighed, `*` alone gets the file.
      ['br;q=0.5, gzip', brotli ? 'br' : 'gzip'],
      ['*', undefined],
    ];
    for (const [accept, coding] of cases) {
      const res = await get(EMBED.entry, accept);
      const what = `Accept-Encoding: ${accept ?? '(none)'}`;
      assert.equal(res.status, 200, what);
      assert.equal(res.headers['content-encoding'], coding, what);
      assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8', what);
      assert.match(headerOf(res, 'vary') ?? '', /Accept-Encoding/, what);
      assert.equal(Number(res.headers['content-length']), res.body.length, what);
      assert.deepEqual(decoded(res), file(EMBED.entry), what);
      if (coding) assert.deepEqual(res.body, file(`${EMBED.entry}${coding === 'br' ? '.br' : '.gz'}`), `${what}: the sibling`);
    }
    assert.equal((await get(EMBED.module)).headers['content-type'], 'text/javascript; charset=utf-8', '.mjs is JavaScript');
    assert.equal((await get(`${EMBED.entry}.map`)).headers['content-type'], 'application/json; charset=utf-8');
  });

  it('an ETag per coding; If-None-Match answers 304; HEAD has the length of GET', async () => {
    const codings = brotli ? ['br', 'gzip', 'identity'] : ['gzip', 'identity'];
    const tags = new Set<string>();
    for (const accept of codings) {
      const res = await get(EMBED.chunk, accept);
      const tag = headerOf(res, 'etag')!;
      assert.match(tag, /^"[0-9a-f]+-[0-9a-f]+"$/, `${accept}: a strong tag`);
      tags.add(tag);
      const again = await get(EMBED.chunk, accept, { 'if-none-match': tag });
      assert.equal(again.status, 304, accept);
      assert.equal(again.body.length, 0);
      const head = await get(EMBED.chunk, accept, {}, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.body.length, 0);
      assert.equal(Number(head.headers['content-length']), res.body.length, `${accept}: HEAD's length`);
      assert.equal(head.headers['content-encoding'], res.headers['content-encoding']);
    }
    assert.equal(tags.size, codings.length, [...tags].join(' '));
  });

  it('a year for content-hashed chunks only; no-cache for the entry, the twin, the maps and unhashed names', async () => {
    for (const path of [EMBED.chunk, EMBED.chunkCss]) {
      for (const accept of ['br', 'gzip', '']) {
        const res = await get(path, accept);
        assert.equal(res.status, 200, path);
        assert.equal(headerOf(res, 'cache-control'), 'public, max-age=31536000, immutable', `${path} ${accept}`);
      }
    }
    assert.equal((await get(EMBED.chunkCss)).headers['content-type'], 'text/css; charset=utf-8');
    for (const path of [EMBED.entry, EMBED.iife, `${EMBED.entry}.map`, EMBED.chunkMap, ...EMBED.unhashed]) {
      const res = await get(path, 'br, gzip');
      assert.equal(res.status, 200, path);
      assert.equal(headerOf(res, 'cache-control'), 'no-cache', path);
    }
  });

  it('never sends a sibling by its own name', async () => {
    for (const path of [`${EMBED.entry}.br`, `${EMBED.entry}.gz`, `${EMBED.chunk}.br`]) {
      assert.equal((await get(path, 'br, gzip')).status, 404, path);
    }
  });
});
