/**
 * Issue 21, "Bad input and failure": what already holds and must keep holding, probed as an
 * outsider on a listening server (raw sockets where a client library would tidy the request):
 * a strict CSP with Trusted Types on every portal page and the studio; no path traversal in 25
 * variants; 413 for 1–100 MB bodies, answered before the body is sent (the server does not read
 * it); CORS only for listed origins, exactly; a proxy that gives up on a POST and retries it
 * (the same Idempotency-Key, maybe to another process) makes one event.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../src/db/db.js';
import { append, call, DATABASES, PATHS, PEOPLE, serve, topicSubmission, wuxiProgramme, type TestServer } from './helpers.js';

const PORTAL = 'https://portal.example.gov.cn';

/** Sends a raw request (the path exactly as given) and reads the whole answer. */
function rawGet(server: TestServer, path: string): Promise<{ status: number; text: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
    socket.on('error', reject);
  });
}

describe('hardening regressions: static files and pages', () => {
  let db: Db | undefined;
  let server: TestServer | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'ck-regress-'));
  before(async () => {
    const portal = join(dir, 'portal');
    const assets = join(dir, 'assets');
    mkdirSync(join(portal, 'news'), { recursive: true });
    mkdirSync(assets);
    writeFileSync(join(portal, 'index.html'), '<!doctype html><title>门户</title>');
    writeFileSync(join(portal, 'staff.html'), '<!doctype html><title>staff</title>');
    writeFileSync(join(portal, 'news', 'index.html'), '<!doctype html><title>news</title>');
    writeFileSync(join(dir, 'outside.html'), '<!doctype html><title>SECRET-OUTSIDE</title>');
    writeFileSync(join(dir, 'secret.json'), '{"SECRET-OUTSIDE":1}');
    symlinkSync(join(dir, 'outside.html'), join(portal, 'escape.html'));
    writeFileSync(join(assets, 'consult-kit.min.js'), 'void 0;');
    db = await DATABASES[0]!.open();
    server = await serve(db, { portalDir: portal, assetsDir: assets });
  });
  after(async () => {
    await server?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every portal page: a strict CSP with Trusted Types (no inline script, no eval)', async () => {
    // (The studio page has the same CSP, tested in studio.test.ts where the studio is built.)
    for (const path of ['/', '/staff', '/staff.html', '/news/', '/news']) {
      const res = await call(server!, path);
      assert.equal(res.status, 200, path);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /require-trusted-types-for 'script'/, path);
      assert.match(csp, /trusted-types lit-html/, path);
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.match(csp, /object-src 'none'/, path);
      assert.match(csp, /base-uri 'none'|base-uri 'self'/, path);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/, path);
    }
  });

  const TRAVERSALS = [
    '/../outside.html',
    '/news/../../outside.html',
    '/./../outside.html',
    '/news/./../../outside.html',
    '/%2e%2e/outside.html',
    '/%2E%2E/outside.html',
    '/.%2e/outside.html',
    '/%2e./outside.html',
    '/..%2foutside.html',
    '/..%2Foutside.html',
    '/%2e%2e%2foutside.html',
    '/..%5coutside.html',
    '/%5c..%5coutside.html',
    '/..\\outside.html',
    '/news/..%2f..%2foutside.html',
    '/news/%2e%2e/%2e%2e/outside.html',
    '/%252e%252e/outside.html',
    '/..%252foutside.html',
    '/%c0%ae%c0%ae/outside.html',
    '/..%c0%afoutside.html',
    '/..%00/outside.html',
    '/escape.html',
    '/assets/../../outside.html',
    '/assets/%2e%2e/%2e%2e/secret.json',
    '/assets/..%2f..%2fsecret.json',
  ];

  it(`no path traversal in ${TRAVERSALS.length} variants: never a file outside the folders`, async () => {
    assert.equal(TRAVERSALS.length, 25);
    for (const path of TRAVERSALS) {
      const { status, text } = await rawGet(server!, path);
      assert.ok(status >= 400 && status < 500, `${path}: ${status}`);
      assert.ok(!text.includes('SECRET-OUTSIDE'), `${path} served a file outside the folder`);
      assert.match(text, /content-type: application\/problem\+json/i, path);
    }
    // The server still serves its own files.
    assert.equal((await rawGet(server!, '/assets/consult-kit.min.js')).status, 200);
  });
});

describe('hardening regressions: bodies, CORS, a proxy that retries', () => {
  let db: Db | undefined;
  let server: TestServer | undefined;
  let second: TestServer | undefined;
  let programme = '';
  before(async () => {
    db = await DATABASES[0]!.open();
    server = await serve(db);
    second = await serve(db);
    programme = await wuxiProgramme(db);
  });
  after(async () => {
    await server?.close();
    await second?.close();
    await db?.close();
  });

  /**
   * Announces a body of `size` bytes (by Content-Length, or chunked) and sends it in 64 KiB
   * pieces until the answer comes; returns the answer and how much was sent by then.
   */
  function bigPost(size: number, framing: 'length' | 'chunked'): Promise<{ status: number; text: string; sent: number }> {
    const { port } = new URL(server!.url);
    return new Promise((resolve) => {
      const socket: Socket = connect(Number(port), '127.0.0.1');
      let text = '';
      let sent = 0;
      let answered = false;
      const done = () => {
        if (answered) return;
        answered = true;
        socket.destroy();
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text, sent });
      };
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('\r\n\r\n') && /\}$/.test(text)) done();
      });
      socket.on('end', done);
      socket.on('close', done);
      // Writing on after the server answered and closed may fail (EPIPE, a reset): the answer counts.
      socket.on('error', () => {});
      socket.on('connect', async () => {
        const head = [`POST /api/programmes/${programme}/events HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json', 'Idempotency-Key: k-big'];
        head.push(framing === 'length' ? `Content-Length: ${size}` : 'Transfer-Encoding: chunked');
        socket.write(`${head.join('\r\n')}\r\n\r\n`);
        const piece = Buffer.alloc(64 * 1024, 0x20);
        while (!answered && sent < size) {
          const data = framing === 'length' ? piece : Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
          sent += piece.length;
          if (!socket.write(data)) await new Promise((r) => socket.once('drain', r).once('close', r));
          // Give the server the chance to answer between pieces (it does not wait for the rest).
          await new Promise((r) => {
            const timer = setTimeout(r, 50);
            socket.once('data', () => {
              clearTimeout(timer);
              r(undefined);
            });
          });
        }
      });
    });
  }

  for (const mb of [1, 10, 100]) {
    it(`a ${mb} MB body (Content-Length) is 413 before it is sent: the server does not read it`, async () => {
      const size = mb * 1024 * 1024;
      const res = await bigPost(size, 'length');
      assert.equal(res.status, 413, res.text.slice(0, 300));
      assert.match(res.text, /\/problems\/payload-too-large/);
      assert.ok(res.sent < size, `the whole ${mb} MB was sent before the answer`);
      assert.ok(res.sent <= 512 * 1024, `${res.sent} bytes were taken before the answer`);
    });
  }

  it('a 100 MB chunked body (no Content-Length) is 413 once it passes the limit, long before its end', async () => {
    const size = 100 * 1024 * 1024;
    const res = await bigPost(size, 'chunked');
    assert.equal(res.status, 413, res.text.slice(0, 300));
    assert.ok(res.sent < size / 10, `${res.sent} bytes were sent before the answer`);
  });

  it('CORS only for the listed origin exactly: not a look-alike, another scheme or port, a subdomain, "null"', async () => {
    const listed = await fetch(`${server!.url}/api/programmes`, { headers: { origin: PORTAL } });
    assert.equal(listed.headers.get('access-control-allow-origin'), PORTAL);
    for (const origin of [`${PORTAL}.evil.example`, 'https://evil.portal.example.gov.cn', 'http://portal.example.gov.cn', `${PORTAL}:8443`, 'null', 'https://PORTAL.example.gov.cn', `${PORTAL}/`, 'https://portal.example.gov.cn.']) {
      const simple = await fetch(`${server!.url}/api/programmes`, { headers: { origin } });
      assert.equal(simple.headers.get('access-control-allow-origin'), null, origin);
      const preflight = await fetch(`${server!.url}/api/programmes/${programme}/events`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,idempotency-key' },
      });
      assert.equal(preflight.headers.get('access-control-allow-origin'), null, `${origin} (preflight)`);
      assert.equal(preflight.headers.get('access-control-allow-methods'), null, `${origin} (preflight)`);
    }
  });

  it('a proxy that gives up on a POST and retries it (same Idempotency-Key, another process) makes one event', async () => {
    const body = topicSubmission();
    const text = JSON.stringify(body);
    // The first attempt: the request is sent, and the proxy hangs up before the answer.
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(new URL(server!.url).port), '127.0.0.1', () => {
        socket.end(
          [`POST /api/programmes/${programme}/events HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json', `Idempotency-Key: ${body.id}`, `Content-Length: ${Buffer.byteLength(text)}`, '', text].join('\r\n'),
          () => {
            socket.destroy();
            resolve();
          },
        );
      });
      socket.on('error', reject);
    });
    // The retries, to the other process, until one is not "in flight" any more.
    const answers: number[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await append(second!, programme, body);
      answers.push(res.status);
      if (res.status !== 409) {
        assert.ok(res.status === 201 || (res.status === 200 && res.headers.get('idempotent-replayed') === 'true'), `${res.status} ${res.text}`);
        break;
      }
      assert.equal(res.body?.type, '/problems/request-in-flight');
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.notEqual(answers.at(-1), 409, 'the key stayed in flight');
    // And a late duplicate of the same retry, to the first process.
    const late = await append(server!, programme, body);
    assert.equal(late.status, 200, late.text);
    const pull = await call(server!, `/api/programmes/${programme}/topics/${body.topicId}/events`, { token: PEOPLE.convener.token, template: PATHS.topicEvents });
    const ids = (pull.body as { entries: Array<{ id: string }> }).entries.map((e) => e.id);
    assert.deepEqual(ids, [body.id]);
  });
});
