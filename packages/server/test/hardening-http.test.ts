/**
 * Issue 21, "Bad input and failure", probed as an outsider against a listening server:
 * - what Node's HTTP parser refuses (a bare LF in a header, a duplicate Content-Length,
 *   Content-Length with chunked, a 100 KB header) is answered as problem+json, and the
 *   connection closes after it;
 * - every answer that may carry personal data or answers a credential says `Cache-Control:
 *   no-store`; public figures stay cacheable;
 * - the headers a government portal expects: Permissions-Policy, COOP, CORP (`cross-origin`
 *   for the embed's /assets/, `same-site` for the API, which the listed portals still reach
 *   by CORS), and Strict-Transport-Security only when told (`--hsts`).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOptions, USAGE } from '../src/config.js';
import { PERMISSIONS_POLICY } from '../src/http/security-headers.js';
import { append, call, DATABASES, PATHS, PEOPLE, serve, topicSubmission, wuxiProgramme, type TestServer } from './helpers.js';
import type { Db } from '../src/db/db.js';

/** Sends raw bytes on a fresh connection; the whole answer, and whether the server closed it. */
function raw(server: TestServer, bytes: string): Promise<{ text: string; closed: boolean }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve({ text, closed: true }));
    socket.on('error', (error) => (text ? resolve({ text, closed: true }) : reject(error)));
    socket.setTimeout(10_000, () => {
      socket.destroy();
      resolve({ text, closed: false });
    });
    socket.end(bytes);
  });
}

/** Splits a raw HTTP answer into status, headers (lower-case names) and body. */
function parseAnswer(text: string): { status: number; headers: Map<string, string>; body: string } {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

const database = DATABASES[0]!;

describe('hardening: HTTP parser errors are problem+json', () => {
  let db: Db | undefined;
  let server: TestServer | undefined;
  before(async () => {
    db = await database.open();
    server = await serve(db);
  });
  after(async () => {
    await server?.close();
    await db?.close();
  });

  const CASES: Array<[string, string, number]> = [
    ['a bare LF in a header', 'GET /healthz HTTP/1.1\r\nHost: x\nX-Evil: 1\r\n\r\n', 400],
    ['a duplicate Content-Length', 'POST /api/programmes HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 400],
    ['Content-Length with Transfer-Encoding: chunked', 'POST /api/programmes HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
    ['a 100 KB header', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100 * 1024)}\r\n\r\n`, 431],
    ['a request line that is not HTTP', 'HELLO\r\n\r\n', 400],
    ['a header name with a space', 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n', 400],
  ];
  for (const [what, bytes, status] of CASES) {
    it(`${what}: ${status} as application/problem+json, then the connection closes`, async () => {
      const answer = await raw(server!, bytes);
      assert.ok(answer.closed, 'the server keeps the connection open');
      const { status: got, headers, body } = parseAnswer(answer.text);
      assert.equal(got, status, answer.text.slice(0, 300));
      assert.equal(headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.equal(headers.get('connection'), 'close');
      assert.equal(headers.get('x-content-type-options'), 'nosniff');
      assert.equal(Number(headers.get('content-length')), Buffer.byteLength(body, 'latin1'));
      const problem = JSON.parse(body) as { type: string; title: string; status: number; detail: string };
      assert.equal(problem.status, status);
      assert.equal(typeof problem.title, 'string');
      assert.equal(typeof problem.detail, 'string');
      assert.equal(problem.type, status === 400 ? '/problems/invalid-request' : '/problems/headers-too-large');
      // Nothing of the request comes back (a header may hold a token).
      assert.ok(!body.includes('X-Evil') && !body.includes('aaaa'), body);
    });
  }

  it('a bearer token in a refused request is never echoed back', async () => {
    const token = PEOPLE.admin.token;
    const answer = await raw(server!, `GET /api/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\nX: 1\r\n\r\n`);
    assert.equal(parseAnswer(answer.text).status, 400);
    assert.ok(!answer.text.includes(token));
  });

  it('the server answers normally afterwards', async () => {
    const res = await fetch(`${server!.url}/healthz`);
    assert.equal(res.status, 200);
  });
});

describe('hardening: Cache-Control no-store on answers that may carry personal data', () => {
  let db: Db | undefined;
  let server: TestServer | undefined;
  let programme = '';
  let followCode = '';
  let topicId = '';
  before(async () => {
    db = await database.open();
    server = await serve(db);
    programme = await wuxiProgramme(db);
    const body = topicSubmission();
    const res = await append(server, programme, body);
    assert.equal(res.status, 201, res.text);
    assert.match(res.headers.get('cache-control') ?? '', /no-store/, 'the append answers with the entry as sent (names, phones)');
    followCode = String(res.body?.followCode);
    topicId = body.topicId;
  });
  after(async () => {
    await server?.close();
    await db?.close();
  });

  const api = (path: string) => `/api/programmes/${programme}${path}`;
  const PERSONAL: Array<[string, () => string, string | undefined, Record<string, string>?]> = [
    ['the pull with a staff token', () => api('/events'), PEOPLE.convener.token],
    ['a topic\'s pull with a staff token', () => api(`/topics/${topicId}/events`), PEOPLE.convener.token],
    ['the follow route', () => api(`/follow/${followCode}`), undefined],
    ['the follow route\'s subscriptions', () => api(`/follow/${followCode}/subscriptions`), undefined],
    ['GET /me', () => '/api/me', PEOPLE.resident.token],
    ['the personal-data export', () => api(`/exports?topicId=${topicId}`), PEOPLE.admin.token],
    ['performance files', () => api('/performance'), PEOPLE.convener.token],
    ['a report file', () => api('/reports/topics.csv'), PEOPLE.admin.token],
    ['the notice outbox', () => api('/notices'), PEOPLE.admin.token],
    ['the overdue list', () => api('/overdue'), PEOPLE.convener.token],
    ['the index with a staff token', () => api('/topics'), PEOPLE.convener.token],
    ['the index asked with a follow code', () => api(`/topics?followCode=${followCode}`), undefined],
  ];
  for (const [what, path, token] of PERSONAL) {
    it(`${what}: no-store`, async () => {
      const res = await call(server!, path(), token ? { token } : {});
      assert.ok(res.status < 300, `${res.status} ${res.text.slice(0, 300)}`);
      assert.match(res.headers.get('cache-control') ?? '(none)', /no-store/);
    });
  }

  it('an erasure\'s answer: no-store', async () => {
    const res = await call(server!, api('/erasures'), { template: PATHS.erasures, body: { topicId }, key: null, token: PEOPLE.admin.token });
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
  });

  it('public answers without a credential stay cacheable: the programme list, a config, figures, the redacted pull', async () => {
    for (const path of ['/api/programmes', api('/config'), api('/figures'), api('/events'), api('/rooms')]) {
      const res = await call(server!, path);
      assert.equal(res.status, 200, `${path}: ${res.text.slice(0, 200)}`);
      assert.doesNotMatch(res.headers.get('cache-control') ?? '', /no-store/, path);
    }
  });
});

describe('hardening: security headers', () => {
  let db: Db | undefined;
  let plain: TestServer | undefined;
  let tls: TestServer | undefined;
  const assets = mkdtempSync(join(tmpdir(), 'ck-assets-'));
  before(async () => {
    writeFileSync(join(assets, 'consult-kit.min.js'), 'console.log(1);\n');
    db = await database.open();
    plain = await serve(db, { assetsDir: assets });
    tls = await serve(db, { assetsDir: assets, hstsMaxAge: 31_536_000 });
  });
  after(async () => {
    await plain?.close();
    await tls?.close();
    await db?.close();
    rmSync(assets, { recursive: true, force: true });
  });

  it('every answer (API, errors, 404s, the studio, assets) has nosniff, Permissions-Policy and COOP; no HSTS without --hsts', async () => {
    for (const path of ['/api/programmes', '/api/programmes/nope/config', '/nowhere', '/studio', '/assets/consult-kit.min.js', '/healthz']) {
      const res = await fetch(`${plain!.url}${path}`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('permissions-policy'), PERMISSIONS_POLICY, path);
      assert.match(PERMISSIONS_POLICY, /camera=\(\)/);
      assert.match(PERMISSIONS_POLICY, /geolocation=\(\)/);
      assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin', path);
      assert.equal(res.headers.get('strict-transport-security'), null, path);
    }
  });

  it('CORP: cross-origin for the embed under /assets/ (the city portal loads it), same-site for the API', async () => {
    const asset = await fetch(`${plain!.url}/assets/consult-kit.min.js`);
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('cross-origin-resource-policy'), 'cross-origin');
    const apiAnswer = await fetch(`${plain!.url}/api/programmes`);
    assert.equal(apiAnswer.headers.get('cross-origin-resource-policy'), 'same-site');
  });

  it('a listed portal still reads the API cross-origin by CORS (CORP governs no-cors loads only)', async () => {
    const res = await fetch(`${plain!.url}/api/programmes`, { headers: { origin: 'https://portal.example.gov.cn' } });
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://portal.example.gov.cn');
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'same-site');
  });

  it('with --hsts: Strict-Transport-Security with that max-age on every answer', async () => {
    for (const path of ['/api/programmes', '/nowhere', '/assets/consult-kit.min.js']) {
      const res = await fetch(`${tls!.url}${path}`);
      assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000', path);
    }
  });

  it('--hsts / CONSULT_HSTS: a number of seconds, in --help; wrong values are refused', () => {
    assert.equal(loadOptions([], {}).hstsMaxAge, undefined);
    assert.equal(loadOptions(['--hsts', '31536000'], {}).hstsMaxAge, 31_536_000);
    assert.equal(loadOptions([], { CONSULT_HSTS: '0' }).hstsMaxAge, 0);
    assert.throws(() => loadOptions(['--hsts', 'yes'], {}), /--hsts \/ CONSULT_HSTS must be a whole number/);
    assert.throws(() => loadOptions(['--hsts', '-1'], {}), /--hsts/);
    assert.match(USAGE, /--hsts <max-age>\s+CONSULT_HSTS/);
  });
});
