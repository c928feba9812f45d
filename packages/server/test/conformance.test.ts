/**
 * Conformance: a scripted session of residents and staff against a real server (`buildApp`,
 * PGlite, and PostgreSQL when DATABASE_URL is set), with EVERY response the server sends recorded
 * by an `onSend` hook on the app instance — not only the ones a test thinks to check — and each
 * checked against docs/api/openapi.yaml with a third-party JSON Schema validator
 * (@cfworker/json-schema, through ./openapi.ts): the operation exists, the status is declared,
 * the media type is the declared one, the body matches its schema and the declared headers are
 * there and match theirs.
 *
 * contract.test.ts checks the answers its own steps expect; this file adds what a client meets on
 * the way (the 304s, the refusals, the rate limit, the reports, the rooms…) and fails on any
 * answer the contract does not describe, listing them all.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import type { AppOptions } from '../src/config.js';
import type { Db } from '../src/db/db.js';
import { call, DATABASES, exampleConfig, PEOPLE, story, testOptions, tokenFor, wuxiProgramme, type CallInit, type TestServer } from './helpers.js';
import { at, checkResponse, spec } from './openapi.js';

type Obj = Record<string, unknown>;

/** One response as the server sent it. */
interface Recorded {
  method: string;
  url: string;
  /** Fastify's route pattern (`/api/programmes/:programmeId/events`), undefined when no route matched. */
  route: string | undefined;
  status: number;
  headers: Headers;
  payload: string | Buffer | undefined;
}

/**
 * The contract's path templates as the server mounts them: under the document's `{endpoint}`
 * server (`/api`, its default), or under the path's own server (`/` for /healthz and the like).
 */
const TEMPLATES = Object.entries(at(spec, 'paths') as Record<string, Obj>).map(([path, item]) => {
  const own = (item.servers as Array<{ url: string }> | undefined)?.[0]?.url;
  const base = own === undefined ? '/api' : own.replace(/\/$/, '');
  return { path, segments: `${base}${path}`.split('/') };
});

/** The contract path for a Fastify route (`/api/programmes/:programmeId` → `/programmes/{programmeId}`); undefined when none. */
function contractPath(route: string): string | undefined {
  const segments = route.split('/');
  return TEMPLATES.find(
    (t) => t.segments.length === segments.length && t.segments.every((s, i) => (s.startsWith('{') ? segments[i]!.startsWith(':') : s === segments[i])),
  )?.path;
}

function recordingServer(db: Db, overrides: Partial<AppOptions>, recorded: Recorded[]): Promise<TestServer> {
  return (async () => {
    const app: FastifyInstance = await buildApp(db, testOptions(overrides));
    app.addHook('onSend', async (request, reply, payload) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      }
      recorded.push({
        method: request.method,
        url: request.url,
        route: request.routeOptions.url,
        status: reply.statusCode,
        headers,
        payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : undefined,
      });
      return payload;
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    return { app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, close: () => app.close() };
  })();
}

/** Sends raw bytes to a server and reads its answer until it closes the connection. */
function rawRequest(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(bytes));
    socket.on('data', (c: Buffer) => chunks.push(c));
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
    // The server may close while a large request is still being written: what it answered counts.
    socket.on('error', (error) => (chunks.length > 0 ? done() : reject(error)));
    socket.on('close', done);
  });
}

/** Every fault of one recorded response against the contract ('' when it conforms). */
function fault(r: Recorded): string {
  const name = `${r.method} ${r.url} → ${r.status}`;
  if (r.route === undefined) return `${name}: no route matched (not in the contract)`;
  const path = contractPath(r.route);
  if (path === undefined) return `${name}: route ${r.route} is not in the contract`;
  const type = r.headers.get('content-type') ?? '';
  const text = r.payload === undefined ? undefined : Buffer.isBuffer(r.payload) ? r.payload.toString('latin1') : r.payload;
  let body: unknown;
  if (text !== undefined && text !== '' && /json/.test(type)) body = JSON.parse(text) as unknown;
  try {
    checkResponse(path, r.method.toLowerCase(), { status: r.status, headers: r.headers, body, ...(text !== undefined && text !== '' ? { text } : {}) });
    return '';
  } catch (error) {
    return `${name}: ${(error as Error).message.split('\n').slice(0, 4).join(' | ')}`;
  }
}

it('the conformance check refuses what the contract does not declare: a status, a media type, a body, a route', () => {
  const json = (status: number, body: unknown, type = 'application/json; charset=utf-8'): Recorded => ({
    method: 'GET',
    url: '/api/programmes',
    route: '/api/programmes',
    status,
    headers: new Headers({ 'content-type': type, 'ratelimit-limit': '300', 'ratelimit-remaining': '299', 'ratelimit-reset': '60' }),
    payload: JSON.stringify(body),
  });
  assert.equal(fault(json(200, { programmes: [] })), '');
  assert.match(fault(json(418, { programmes: [] })), /does not declare status 418/);
  assert.match(fault(json(200, { programmes: [] }, 'text/plain')), /content-type/);
  assert.match(fault(json(200, { programmes: 'none' })), /does not match its schema/);
  assert.match(fault({ ...json(200, {}), route: '/api/nowhere' }), /not in the contract/);
  assert.match(fault({ ...json(404, {}), route: undefined }), /no route matched/);
});

let clock = '2026-03-02T01:15:00.000Z';

for (const database of DATABASES) {
  describe(`conformance: every response of a resident and staff session is declared and valid (${database.name})`, () => {
    const recorded: Recorded[] = [];
    let db: Db;
    let server: TestServer;
    let programme = '';
    const steps = story();
    const step = (key: string) => structuredClone(steps.find((s) => s.key === key)!.body);
    const send = (path: string, init: CallInit = {}) => call(server, `/api/programmes/${programme}${path}`, init);
    const append = (body: Obj & { by?: { id?: string } }, init: CallInit = {}) => {
      const token = 'token' in init ? init.token : tokenFor(body.by ?? {});
      return send('/events', { ...init, body, ...(token ? { token } : {}) });
    };
    let followCode = '';
    let topicId = '';

    before(async () => {
      db = await database.open();
      server = await recordingServer(db, { clock: () => new Date(clock) }, recorded);
      programme = await wuxiProgramme(db);
    });
    after(async () => {
      await server?.close();
      await db?.close();
    });

    it('reads a programme and its config: 200, 304, versions, 404', async () => {
      assert.equal((await call(server, '/api/programmes')).status, 200);
      const config = await send('/config');
      assert.equal(config.status, 200);
      assert.equal((await send('/config', { headers: { 'if-none-match': config.headers.get('etag')! } })).status, 304);
      assert.equal((await send('/config/versions', { token: PEOPLE.admin.token })).status, 200);
      assert.equal((await send('/config/versions/1', { token: PEOPLE.admin.token })).status, 200);
      assert.equal((await send('/config/versions/99', { token: PEOPLE.admin.token })).status, 404);
      assert.equal((await call(server, '/api/programmes/nowhere-2025/config')).status, 404);
    });

    it('refuses a config change without If-Match (428), under a stale one (412), from a resident (403), without a token (401)', async () => {
      const text = exampleConfig('wuxi-community.json', (c) => (c.id = programme));
      const put = (init: CallInit) => send('/config', { method: 'PUT', rawBody: text, ...init });
      assert.equal((await put({ token: PEOPLE.admin.token })).status, 428);
      assert.equal((await put({ token: PEOPLE.admin.token, headers: { 'if-match': `"sha256-${'0'.repeat(64)}"` } })).status, 412);
      assert.equal((await put({ token: PEOPLE.resident.token, headers: { 'if-match': '"x"' } })).status, 403);
      assert.equal((await put({ headers: { 'if-match': '"x"' } })).status, 401);
    });

    it('goes through the whole loop: submit, screening, meeting, handling, feedback, rating (201 each), a replay (200), refusals (422)', async () => {
      for (const { key, body } of steps.filter((s) => !s.alternative)) {
        if (key === 'measureAdopt') {
          const early = await append({ ...step('ratingSubmit'), id: 'early-rating' });
          assert.equal(early.status, 422, 'a rating in handling');
        }
        clock = body.at;
        const res = await append(body);
        assert.equal(res.status, 201, `${key}: ${res.text}`);
        if (body.event.type === 'topic.submit' && followCode === '') {
          followCode = String(res.body?.followCode);
          topicId = body.topicId;
        }
      }
      const again = await append(steps[0]!.body);
      assert.equal(again.status, 200);
      const changed = step('researchComplete');
      assert.equal((await append({ ...changed, event: { ...changed.event, findings: 'changed' } })).status, 422);
    });

    it('refuses bad appends: 400, 401, 403, 404, 409, 413, 415', async () => {
      const record = { ...step('meetingRecord'), id: 'record-by-resident', by: { role: 'resident', id: PEOPLE.resident.id } };
      assert.equal((await append(record, { token: undefined })).status, 401);
      assert.equal((await append(record, { token: PEOPLE.resident.token })).status, 403);
      const body = { ...step('topicSubmit'), id: 'bad-input', topicId: 'tp-bad-input' };
      assert.equal((await append(body, { key: null })).status, 400);
      assert.equal((await append(body, { key: 'another-key' })).status, 400);
      assert.equal((await append(body, { key: 'bad key!' })).status, 400);
      assert.equal((await send('/events', { rawBody: '{"id":', key: 'bad-input' })).status, 400);
      assert.equal((await append({ ...body, extra: 1 })).status, 400);
      assert.equal((await append(body, { headers: { 'content-type': 'text/plain' } })).status, 415);
      const big = { ...body, event: { ...body.event, values: { ...(body.event.values as Obj), description: 'x'.repeat(70_000) } } };
      assert.equal((await append(big)).status, 413);
      assert.equal((await call(server, '/api/programmes/nowhere/events', { body, key: body.id })).status, 404);
      const inFlight = { ...body, id: 'in-flight-key', topicId: 'tp-in-flight' };
      await db.query(`insert into idempotency_key (programme_id, key, fingerprint, status, owner) values ($1, $2, 'x', 'in_flight', 'other')`, [programme, inFlight.id]);
      assert.equal((await append(inFlight)).status, 409);
    });

    it('pulls the log (redacted, joined, paged) and refuses bad cursors and limits (400), unknown programmes (404)', async () => {
      let after = '';
      for (let page = 0; page < 20; page += 1) {
        const res = await send(`/events?limit=4${after ? `&after=${after}` : ''}`);
        assert.equal(res.status, 200);
        after = String(res.body?.cursor);
        if (res.body?.more !== true) break;
      }
      assert.equal((await send('/events', { token: PEOPLE.convener.token })).status, 200);
      assert.equal((await send('/events?after=abc')).status, 400);
      assert.equal((await send('/events?limit=0')).status, 400);
      assert.equal((await call(server, '/api/programmes/nowhere/events')).status, 404);
      assert.equal((await send(`/topics/${topicId}/events`, { token: PEOPLE.convener.token })).status, 200);
      assert.equal((await send(`/topics/${topicId}/events`)).status, 200);
      assert.equal((await send('/topics/tp-nowhere/events', { token: PEOPLE.convener.token })).status, 404);
    });

    it('follows a topic by its code (200) and refuses a wrong one (404)', async () => {
      assert.equal((await send(`/follow/${followCode}`)).status, 200);
      assert.equal((await send(`/follow/${followCode}?topicId=${topicId}`)).status, 200);
      assert.equal((await send('/follow/2222-2222-2222')).status, 404);
      assert.equal((await send(`/follow/${followCode}/subscriptions`)).status, 200);
    });

    it('reads the index, the overdue list, the figures, rooms, trends and performance; refuses bad queries', async () => {
      assert.equal((await send('/topics')).status, 200);
      assert.equal((await send('/topics?limit=1')).status, 200);
      assert.equal((await send('/topics?room=qingmingqiao-shequ')).status, 200);
      assert.equal((await send('/topics?limit=zero')).status, 400);
      assert.equal((await send('/overdue', { token: PEOPLE.convener.token })).status, 200);
      assert.equal((await send('/figures?now=2026-07-20T08:00:00%2B08:00')).status, 200);
      assert.equal((await send('/figures?room=qingmingqiao-shequ')).status, 200);
      assert.equal((await send('/figures?now=yesterday')).status, 400);
      assert.equal((await send('/figures?room=nowhere')).status, 400);
      assert.equal((await call(server, '/api/programmes/nowhere/figures')).status, 404);
      assert.equal((await send('/rooms')).status, 200);
      assert.equal((await send('/rooms/qingmingqiao-shequ')).status, 200);
      assert.equal((await send('/rooms/nowhere')).status, 404);
      assert.equal((await send('/trends')).status, 200);
      assert.equal((await send('/performance', { token: PEOPLE.convener.token })).status, 200);
      assert.equal((await send('/performance')).status, 401);
    });

    it('downloads reports as CSV and XLSX for staff (200), not for a resident (403) or without a token (401)', async () => {
      assert.equal((await send('/reports/topics.csv', { token: PEOPLE.convener.token })).status, 200);
      assert.equal((await send('/reports/measures.xlsx', { token: PEOPLE.convener.token })).status, 200);
      assert.equal((await send('/reports/people.csv', { token: PEOPLE.convener.token })).status, 400);
      assert.equal((await send('/reports/topics.csv', { token: PEOPLE.resident.token })).status, 403);
      assert.equal((await send('/reports/topics.csv')).status, 401);
    });

    it('answers who the token is, how to sign in, the notices, an export and an erasure', async () => {
      assert.equal((await call(server, '/api/me', { token: PEOPLE.convener.token })).status, 200);
      assert.equal((await call(server, '/api/me')).status, 401);
      assert.equal((await call(server, '/api/identity')).status, 200);
      assert.equal((await send('/notices', { token: PEOPLE.admin.token })).status, 200);
      assert.equal((await send(`/exports?topicId=${topicId}`, { token: PEOPLE.admin.token })).status, 200);
      assert.equal((await send(`/exports?topicId=${topicId}`, { token: PEOPLE.resident.token })).status, 403);
      assert.equal((await send('/erasures', { body: { value: '13999999999' }, token: PEOPLE.admin.token })).status, 404);
    });

    it('refuses a subscription the server cannot send, unknown unsubscribe and notice links; replays dead notices; publishes a config; erases a topic, whose follow code is then revoked', async () => {
      const probe = async (path: string, init: CallInit = {}) => (await call(server, path, init)).status;
      const seen: Record<string, number> = {};
      // No SMTP server or SMS webhook is configured here: a channel the server cannot send on is a 400 (notify-subscriptions.test.ts delivers).
      seen.subscribe = await probe(`/api/programmes/${programme}/follow/${followCode}/subscriptions`, { body: { channel: 'email', address: 'wang@example.org', locale: 'zh-CN' } });
      seen.subscribeBad = await probe(`/api/programmes/${programme}/follow/${followCode}/subscriptions`, { body: { channel: 'pigeon' } });
      seen.cancelUnknown = await probe(`/api/programmes/${programme}/follow/${followCode}/subscriptions/nowhere/cancel`, { body: {} });
      seen.unsubscribeUnknown = await probe('/api/unsubscribe/not-a-token');
      seen.replayUnknown = await probe(`/api/programmes/${programme}/notices/nowhere/replay`, { body: {}, token: PEOPLE.admin.token });
      seen.replayDead = await probe(`/api/programmes/${programme}/notices/replay`, { body: { state: 'dead' }, token: PEOPLE.admin.token });
      const config = await send('/config');
      seen.publish = await probe(`/api/programmes/${programme}/config`, {
        method: 'PUT',
        rawBody: exampleConfig('wuxi-community.json', (c) => (c.id = programme)),
        token: PEOPLE.admin.token,
        headers: { 'if-match': config.headers.get('etag')! },
      });
      seen.erase = await probe(`/api/programmes/${programme}/erasures`, { body: { topicId }, token: PEOPLE.admin.token });
      seen.eraseAgain = await probe(`/api/programmes/${programme}/erasures`, { body: { topicId }, token: PEOPLE.admin.token });
      seen.followRevoked = await probe(`/api/programmes/${programme}/follow/${followCode}`);
      seen.exportErased = await probe(`/api/programmes/${programme}/exports?topicId=${topicId}`, { token: PEOPLE.admin.token });
      assert.deepEqual(seen, {
        subscribe: 400,
        subscribeBad: 400,
        cancelUnknown: 404,
        unsubscribeUnknown: 404,
        replayUnknown: 404,
        replayDead: 200,
        publish: 200,
        erase: 200,
        eraseAgain: 409,
        followRevoked: 403,
        exportErased: 200,
      });
    });

    it('answers what an outside client tries (odd bodies, repeated or bad query parameters, wrong tokens and media types) as the contract says', async () => {
      const base = `/api/programmes/${programme}`;
      const probes: Array<[string, CallInit, number]> = [
        [`${base}/events`, { body: [], key: 'odd-array' }, 400],
        [`${base}/events`, { body: null, key: 'odd-null' }, 400],
        [`${base}/events?limit=1&limit=2`, {}, 400],
        [`${base}/topics?status=bogus`, {}, 400],
        [`${base}/topics?cursor=bad`, {}, 400],
        [`${base}/overdue`, {}, 401],
        [`${base}/overdue?limit=0`, { token: PEOPLE.convener.token }, 400],
        [`${base}/trends?from=bad`, {}, 400],
        [`${base}/rooms?now=bad`, {}, 400],
        [`${base}/reports/topics.csv?from=bad`, { token: PEOPLE.convener.token }, 400],
        [`${base}/config`, { method: 'PUT', rawBody: 'not json', token: PEOPLE.admin.token, headers: { 'if-match': '"x"' } }, 400],
        [`${base}/config`, { method: 'PUT', rawBody: '{"id":"x"}', token: PEOPLE.admin.token, headers: { 'if-match': '"x"' } }, 422],
        [`${base}/config`, { method: 'PUT', rawBody: '{}', token: PEOPLE.admin.token, headers: { 'if-match': '"x"', 'content-type': 'text/plain' } }, 415],
        [`${base}/config/versions`, {}, 200],
        [`${base}/config/versions/abc`, { token: PEOPLE.admin.token }, 404],
        [`${base}/erasures`, { body: { topicId, value: 'x' }, token: PEOPLE.admin.token }, 400],
        [`${base}/erasures`, { body: { topicId }, token: PEOPLE.resident.token }, 403],
        [`${base}/exports`, { token: PEOPLE.admin.token }, 400],
        ['/api/me', { token: 'tok-not-issued-00000000000000' }, 401],
        [`${base}/notices?state=bogus`, { token: PEOPLE.admin.token }, 400],
        [`${base}/notices`, { token: PEOPLE.resident.token }, 403],
        ['/api/unsubscribe/not-a-token', { rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 404],
        ['/api/unsubscribe/not-a-token/undo', { rawBody: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 404],
      ];
      for (const [path, init, status] of probes) {
        const res = await call(server, path, init);
        assert.equal(res.status, status, `${init.method ?? ''} ${path}: ${res.text.slice(0, 200)}`);
      }
    });

    it('answers a supervisor, a load balancer and Prometheus: /healthz, /readyz, /metrics', async () => {
      assert.equal((await call(server, '/healthz')).status, 200);
      assert.equal((await call(server, '/readyz')).status, 200);
      assert.equal((await call(server, '/metrics')).status, 200);
      const guarded = await recordingServer(db, { metricsToken: 'metrics-token-0123456789abcdef' } as Partial<AppOptions>, recorded);
      try {
        assert.equal((await call(guarded, '/metrics')).status, 401);
        assert.equal((await call(guarded, '/metrics', { token: 'metrics-token-0123456789abcdef' })).status, 200);
      } finally {
        await guarded.close();
      }
    });

    it('answers what the HTTP parser refuses before any route (a duplicate Content-Length, a 100 KB header) as /healthz declares: 400, 431, problem+json', async () => {
      const statuses: number[] = [];
      for (const head of [
        'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
        `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`,
      ]) {
        const raw = await rawRequest(server.url, head);
        const [top, ...rest] = raw.split('\r\n\r\n');
        const [statusLine, ...lines] = top!.split('\r\n');
        const headers = new Headers(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()] as [string, string]));
        const status = Number(statusLine!.split(' ')[1]);
        const text = rest.join('\r\n\r\n');
        statuses.push(status);
        checkResponse('/healthz', 'get', { status, headers, body: JSON.parse(text) as unknown, text });
      }
      assert.deepEqual(statuses, [400, 431]);
    });

    it('answers 429 with Retry-After when a client reaches the rate limit', async () => {
      const limited = await recordingServer(db, { rateLimit: { max: 2, windowMs: 60_000 } }, recorded);
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 3; i += 1) statuses.push((await call(limited, '/api/programmes')).status);
        assert.deepEqual(statuses, [200, 200, 429]);
      } finally {
        await limited.close();
      }
    });

    it('every response the server sent is declared by the contract (status, media type) and valid', () => {
      const statuses = new Set(recorded.map((r) => r.status));
      for (const status of [200, 201, 304, 400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429]) {
        assert.ok(statuses.has(status), `the session met a ${status}`);
      }
      const faults = recorded.map(fault).filter((f) => f !== '');
      assert.deepEqual(faults, [], `${faults.length} of ${recorded.length} responses do not conform:\n${faults.join('\n')}`);
      const met = new Set(recorded.map((r) => `${r.method.toLowerCase()} ${r.route === undefined ? '' : contractPath(r.route)}`));
      const operations = Object.entries(at(spec, 'paths') as Record<string, Obj>).flatMap(([path, item]) =>
        ['get', 'put', 'post', 'delete', 'patch'].filter((m) => item[m] !== undefined).map((m) => `${m} ${path}`),
      );
      assert.deepEqual(operations.filter((o) => !met.has(o)), [], 'the session calls every operation of the contract');
      console.log(`# ${recorded.length} responses of ${operations.length} operations checked against the contract (${database.name})`);
    });
  });
}
