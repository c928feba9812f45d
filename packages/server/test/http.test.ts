/**
 * HTTP around the API: the rate limit per client, CORS by an allow-list, and the example portal
 * page (bilingual, escaped, under a strict Content-Security-Policy).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { EXPOSED_HEADERS } from '../src/app.js';
import { escapeHtml, portalPage } from '../src/portal/routes.js';
import { append, call, PATHS, PEOPLE, perDatabase, serve, topicSubmission, wuxiProgramme } from './helpers.js';

const PORTAL = 'https://portal.example.gov.cn';

perDatabase('HTTP', ({ db, server }) => {
  it('the rate limit: 429 rate-limited with Retry-After once a client has used its window; clients are counted apart', async () => {
    const limited = await serve(db(), { rateLimit: { max: 3, windowMs: 60_000 } });
    try {
      const programme = await wuxiProgramme(db());
      for (let i = 0; i < 3; i += 1) {
        const ok = await append(limited, programme, topicSubmission());
        assert.equal(ok.status, 201);
        assert.equal(ok.headers.get('ratelimit-limit'), '3');
        assert.equal(ok.headers.get('ratelimit-remaining'), String(2 - i));
      }
      const res = await append(limited, programme, topicSubmission());
      assert.equal(res.status, 429);
      assert.equal(res.body?.type, '/problems/rate-limited');
      const retryAfter = Number(res.headers.get('retry-after'));
      assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      // A signed-in convener is another client (counted by token subject, not by address).
      assert.equal((await call(limited, '/api/programmes', { template: PATHS.programmes, token: PEOPLE.convener.token })).status, 200);
      // The health check is not limited (a load balancer asks often).
      assert.equal((await call(limited, '/healthz')).status, 200);
    } finally {
      await limited.close();
    }
  });

  it('CORS: a listed origin is echoed (never *), with Vary: Origin and the exposed headers', async () => {
    const res = await call(server(), '/api/programmes', { headers: { origin: PORTAL } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), PORTAL);
    assert.match(res.headers.get('vary') ?? '', /Origin/);
    assert.deepEqual(res.headers.get('access-control-expose-headers')?.split(/,\s*/), EXPOSED_HEADERS);
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
  });

  it('CORS: errors carry the headers too, so the portal can read the problem', async () => {
    const res = await call(server(), '/api/programmes/nowhere/config', { headers: { origin: PORTAL } });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('access-control-allow-origin'), PORTAL);
  });

  it('CORS: a preflight from a listed origin allows GET, POST, PUT (publishing a config) and the contract\'s headers', async () => {
    const res = await call(server(), `/api/programmes/x/events`, {
      method: 'OPTIONS',
      headers: { origin: PORTAL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, idempotency-key, authorization' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), PORTAL);
    assert.equal(res.headers.get('access-control-allow-methods'), 'GET, POST, PUT');
    assert.equal(res.headers.get('access-control-allow-headers'), 'Authorization, Content-Type, Idempotency-Key, Follow-Code, If-Match, If-None-Match');
  });

  it('CORS: an origin not on the list gets no CORS headers, on requests and preflights', async () => {
    const other = 'https://evil.example.com';
    const res = await call(server(), '/api/programmes', { headers: { origin: other } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const preflight = await call(server(), `/api/programmes/x/events`, { method: 'OPTIONS', headers: { origin: other, 'access-control-request-method': 'POST' } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    assert.equal(preflight.headers.get('access-control-allow-methods'), null);
  });

  it('the portal page lists the programmes in both languages, with links, under a strict CSP', async () => {
    const programme = await wuxiProgramme(db());
    const res = await call(server(), '/');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(csp, /unsafe|script-src/);
    assert.match(res.text, /<html lang="zh-CN">/);
    assert.match(res.text, /有事好商量·社区协商议事室/);
    assert.match(res.text, /<span lang="en">Let&#39;s Talk It Over: Community Consultation Room<\/span>/);
    assert.ok(res.text.includes(`href="/api/programmes/${programme}/config"`));
    assert.ok(res.text.includes(`href="/api/programmes/${programme}/figures"`));
    assert.doesNotMatch(res.text, /<script/i);
  });

  it('the portal escapes what comes from configs', async () => {
    const evil = '<script>alert(1)</script>"\'&';
    const html = portalPage([{ id: 'x', version: '1.0.0', level: 'city', title: { 'zh-CN': evil, en: evil } }]);
    assert.ok(!html.includes('<script>'));
    assert.ok(html.includes(escapeHtml(evil)));
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
    const programme = await wuxiProgramme(db(), (c) => (c.title = { 'zh-CN': evil, en: 'ok' }));
    const page = (await call(server(), '/')).text;
    assert.ok(!page.includes('<script>alert(1)</script>'));
    assert.ok(page.includes(programme));
  });

  it('every answer says nosniff; the health check answers', async () => {
    const res = await call(server(), '/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { ok: true });
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });
});
