/**
 * The store's client for the notification routes (issue 17): a resident opts in to notices about
 * their topic by its follow code, lists and stops them; staff read the supervisor's list of
 * overdue measures; the index page says the server's time (`asOf`).
 *
 * First against a fake server (a real HTTP server that answers the contract's failures, so each
 * failure's typed reason is pinned), then against the real reference server (PGlite, and
 * PostgreSQL when DATABASE_URL is set) with its controllable clock.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { noticesClient } from '../src/notices.js';
import { openStore } from '../src/store.js';
import { httpTransport } from '../src/transports.js';
import { topicIndexClient } from '../src/topic-index.js';
import { append, PEOPLE, perDatabase, serve, story, STORY_TO_EVALUATION, wuxiProgramme, type Answer } from '../../server/test/helpers.js';
import { testNotify } from '../../server/test/notify-fixture.js';

type Obj = Record<string, unknown>;

describe('noticesClient against a fake server: every failure is a typed reason', () => {
  let server: Server;
  let url = '';
  const seen: Array<{ method: string; url: string; auth?: string; body: string }> = [];
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}), body });
        const problem = (status: number, extra: Obj = {}, headers: Record<string, string> = {}) =>
          res.writeHead(status, { 'Content-Type': 'application/problem+json', ...headers }).end(JSON.stringify({ type: '/problems/x', title: 't', status, ...extra }));
        const path = req.url!.replace(/^\/api\/programmes\/p1/, '');
        if (path.startsWith('/follow/BADADDRESS222/')) return problem(400, { type: '/problems/invalid-request', pointer: '/address', detail: 'Not an e-mail address.' });
        if (path.startsWith('/follow/REVOKED22222/')) return problem(403, { type: '/problems/follow-code-revoked' });
        if (path.startsWith('/follow/UNKNOWN22222/')) return problem(404, { type: '/problems/follow-code-not-found' });
        if (path.startsWith('/follow/LIMITED22222/')) return problem(429, { type: '/problems/rate-limited' }, { 'Retry-After': '120' });
        if (path.startsWith('/follow/BROKEN222222/')) return problem(503, { type: '/problems/unavailable' });
        if (path.startsWith('/follow/SHAPE2222222/')) return res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"items":[{"id":1}]}');
        if (path.startsWith('/overdue')) return req.headers.authorization ? problem(403, { type: '/problems/forbidden' }) : problem(401, { type: '/problems/unauthenticated' });
        return problem(404);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('names the field of a refused address, a revoked or unknown code, a limit with its wait, a failing server, an odd answer', async () => {
    const client = noticesClient({ endpoint: url, programmeId: 'p1' });
    const request = { channel: 'email', address: 'not-an-address', locale: 'en' } as const;
    assert.deepEqual(await client.optIn('BADADDRESS222', request), { ok: false, reason: 'invalid', status: 400, pointer: '/address', detail: 'Not an e-mail address.' });
    assert.equal((await client.optIn('REVOKED22222', request)).ok === false && (await client.optIn('REVOKED22222', request) as { reason: string }).reason, 'revoked');
    assert.deepEqual(await client.subscriptions('UNKNOWN22222'), { ok: false, reason: 'not-found', status: 404 });
    assert.deepEqual(await client.cancel('LIMITED22222', 's1'), { ok: false, reason: 'rate-limited', status: 429, retryAfterMs: 120_000 });
    assert.deepEqual(await client.subscriptions('BROKEN222222'), { ok: false, reason: 'unavailable', status: 503 });
    assert.equal((await client.subscriptions('SHAPE2222222') as { reason: string }).reason, 'unreachable');
    const sent = seen.find((s) => s.url.includes('BADADDRESS222'))!;
    assert.equal(sent.method, 'POST');
    assert.deepEqual(JSON.parse(sent.body), request);
  });

  it('the overdue list without a token is signed-out, with one the server refuses forbidden; the token is sent', async () => {
    assert.equal((await noticesClient({ endpoint: url, programmeId: 'p1' }).overdue() as { reason: string }).reason, 'signed-out');
    const withToken = noticesClient({ endpoint: url, programmeId: 'p1', token: async () => 'tok-x' });
    assert.equal((await withToken.overdue({ party: 'housing-bureau', limit: 5 }) as { reason: string }).reason, 'forbidden');
    const last = seen.at(-1)!;
    assert.equal(last.auth, 'Bearer tok-x');
    assert.equal(last.url, '/api/programmes/p1/overdue?party=housing-bureau&limit=5');
  });

  it('a server nobody answers at is unreachable, not a throw', async () => {
    const client = noticesClient({ endpoint: 'http://127.0.0.1:9/api', programmeId: 'p1' });
    assert.equal((await client.subscriptions('K7QM3XPA9DRT') as { reason: string }).reason, 'unreachable');
  });
});

/** The server's clock in the real-server suite. */
let serverNow = '2026-03-02T01:15:00.000Z';

const STORY = story();
const step = (key: string) => structuredClone(STORY.find((s) => s.key === key)!.body);

perDatabase(
  'noticesClient on the reference server',
  ({ db, server }) => {
    /** A resident's topic (no token: the server answers its follow code), brought to the meeting record (two measures proposed). */
    async function raise(programme: string): Promise<{ topicId: string; code: string }> {
      const topicId = `tp-${randomUUID()}`;
      const submit = { ...step('topicSubmit'), id: `e-${randomUUID()}`, topicId, by: { role: 'resident' } };
      serverNow = new Date(submit.at).toISOString();
      const raised: Answer = await append(server(), programme, submit, { token: undefined });
      assert.equal(raised.status, 201, raised.text);
      for (const key of STORY_TO_EVALUATION.slice(0, STORY_TO_EVALUATION.indexOf('measureAdopt'))) {
        const body: Obj & { at: string } = { ...step(key), id: `e-${randomUUID()}`, topicId, by: { role: 'admin' } };
        serverNow = new Date(body.at).toISOString();
        const res = await append(server(), programme, body, { token: PEOPLE.admin.token });
        assert.equal(res.status, 201, `${key}: ${res.text}`);
      }
      return { topicId, code: String(raised.body?.followCode) };
    }

    it('a resident opts in by the follow code, sees it masked, the same address again is the same opt-in, and stops it', async () => {
      const programme = await wuxiProgramme(db());
      const { code } = await raise(programme);
      const client = noticesClient({ endpoint: `${server().url}/api`, programmeId: programme });
      const made = await client.optIn(code, { channel: 'email', address: 'lihua.resident@example.org', locale: 'zh-CN' });
      assert.ok(made.ok, JSON.stringify(made));
      assert.equal(made.value.channel, 'email');
      assert.notEqual(made.value.address, 'lihua.resident@example.org', 'the answer masks the address');
      assert.match(made.value.address, /^l\*+@example\.org$/);
      const again = await client.optIn(code, { channel: 'email', address: 'lihua.resident@example.org', locale: 'zh-CN' });
      assert.ok(again.ok);
      assert.equal(again.value.id, made.value.id);
      const listed = await client.subscriptions(code);
      assert.ok(listed.ok);
      assert.deepEqual(listed.value.map((s) => s.id), [made.value.id]);
      const stopped = await client.cancel(code, made.value.id);
      assert.deepEqual(stopped, { ok: true, value: { id: made.value.id, cancelled: true } });
      const after = await client.subscriptions(code);
      assert.ok(after.ok);
      assert.deepEqual(after.value, []);
    });

    it('a channel the server cannot reach residents on is refused naming /channel', async () => {
      const programme = await wuxiProgramme(db());
      const { code } = await raise(programme);
      const bare = await serve(db(), { clock: () => new Date(serverNow) });
      try {
        const client = noticesClient({ endpoint: `${bare.url}/api`, programmeId: programme });
        const refused = await client.optIn(code, { channel: 'email', address: 'lihua.resident@example.org', locale: 'zh-CN' });
        assert.equal((refused as { reason: string }).reason, 'invalid');
        assert.equal((refused as { pointer?: string }).pointer, '/channel');
      } finally {
        await bare.close();
      }
    });

    it('a bad address is refused naming /address; an unknown code is not-found', async () => {
      const programme = await wuxiProgramme(db());
      const { code } = await raise(programme);
      const client = noticesClient({ endpoint: `${server().url}/api`, programmeId: programme });
      const bad = await client.optIn(code, { channel: 'sms', address: '12', locale: 'en' });
      assert.equal(bad.ok, false);
      assert.equal((bad as { reason: string }).reason, 'invalid');
      assert.equal((bad as { pointer?: string }).pointer, '/address');
      const unknown = await client.subscriptions('K7QM3XPA9DRT');
      assert.equal((unknown as { reason: string }).reason, 'not-found');
    });

    it('the overdue list by the server clock: most overdue first, a department sees it, a resident token is refused; the index says asOf', async () => {
      const programme = await wuxiProgramme(db());
      const { topicId } = await raise(programme);
      serverNow = '2026-05-05T04:00:00.000Z'; // the subsidy (due 30 April) is overdue, the installation (30 June) not yet
      const staff = noticesClient({ endpoint: `${server().url}/api`, programmeId: programme, token: PEOPLE.convener.token });
      const page = await staff.overdue();
      assert.ok(page.ok, JSON.stringify(page));
      assert.equal(page.value.asOf, serverNow);
      assert.deepEqual(page.value.items.map((i) => [i.topicId, i.measureId]), [[topicId, 'lift-b3-subsidy']]);
      assert.ok(page.value.items[0]!.overdueDays >= 4 && page.value.items[0]!.overdueDays <= 5, String(page.value.items[0]!.overdueDays));
      const department = noticesClient({ endpoint: `${server().url}/api`, programmeId: programme, token: PEOPLE.department.token });
      const theirs = await department.overdue();
      assert.ok(theirs.ok, JSON.stringify(theirs));
      assert.deepEqual(theirs.value.items.map((i) => i.measureId), ['lift-b3-subsidy']);
      const resident = noticesClient({ endpoint: `${server().url}/api`, programmeId: programme, token: PEOPLE.resident.token });
      assert.equal((await resident.overdue() as { reason: string }).reason, 'forbidden');
      const nobody = noticesClient({ endpoint: `${server().url}/api`, programmeId: programme });
      assert.equal((await nobody.overdue() as { reason: string }).reason, 'signed-out');
      const index = await topicIndexClient({ endpoint: `${server().url}/api`, programmeId: programme }).topics({ limit: 1 });
      assert.ok(index.ok);
      assert.equal(index.value.asOf, serverNow);
    });

    it('store.serverNow() reads the server’s clock (its asOf) and counts at it, a device clock months off notwithstanding', async () => {
      const programme = await wuxiProgramme(db());
      serverNow = '2026-05-05T04:00:00.000Z';
      const config = (await (await fetch(`${server().url}/api/programmes/${programme}/config`)).json()) as object;
      // No IndexedDB in Node: the store says so and keeps to memory, which is all this needs.
      const store = await openStore({ config, transport: httpTransport({ endpoint: `${server().url}/api`, programmeId: programme }), dbName: `clock-${randomUUID()}`, pullIntervalMs: 0 });
      try {
        assert.equal(store.knowsServerClock, false);
        const first = store.serverNow();
        assert.ok(Math.abs(first - Date.now()) < 1000, 'the device’s clock until the server answers');
        const end = Date.now() + 5000;
        while (!store.knowsServerClock && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
        assert.equal(store.knowsServerClock, true);
        assert.ok(Math.abs(store.serverNow() - Date.parse(serverNow)) < 2000, `${new Date(store.serverNow()).toISOString()} ≈ ${serverNow}`);
        // The overdue list's asOf moves it too.
        const staff = await openStore({ config, transport: httpTransport({ endpoint: `${server().url}/api`, programmeId: programme, token: () => PEOPLE.convener.token }), dbName: `clock-${randomUUID()}`, pullIntervalMs: 0 });
        try {
          serverNow = '2026-07-01T00:00:00.000Z';
          const page = await staff.overdue();
          assert.ok(page.ok, JSON.stringify(page));
          assert.ok(Math.abs(staff.serverNow() - Date.parse(serverNow)) < 2000);
        } finally {
          staff.close();
        }
      } finally {
        store.close();
      }
    });
  },
  {
    clock: () => new Date(serverNow),
    // The server offers e-mail (SMTP) and text messages (a webhook to the city's SMS gateway for
    // residents); no clock runs in these tests, so nothing is sent to these closed ports.
    notify: testNotify({
      smtp: { url: 'smtp://127.0.0.1:9', from: 'consult@example.gov.cn' },
      webhooks: [{ id: 'sms-gateway', url: 'http://127.0.0.1:9/sms', secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`, audiences: ['resident'] }],
    }),
  },
);
