/**
 * The server against its contract, docs/api/openapi.yaml: every route, and every answer checked
 * against what the document declares (status, media type, body schema, headers) — following
 * "Checking an implementation" in docs/api/README.md with the document's own story (加装电梯).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkflowConfig, redactEntry, type LogEntry, type WorkflowConfig } from '@consult-kit/machine';
import { buildApp } from '../src/app.js';
import type { Db } from '../src/db/db.js';
import { openPglite } from '../src/db/pglite.js';
import { migrate } from '../src/db/migrate.js';
import { append, call, exampleConfig, PATHS, PEOPLE, perDatabase, pgliteTemplate, story, testOptions, wuxiProgramme, type Answer, type TestServer } from './helpers.js';
import { checkResponse } from './openapi.js';

type Obj = Record<string, unknown>;

/**
 * The server's clock in this suite: each device's clock is right, so the server receives every
 * event of the story when its `at` says (the entry's `receivedAt`); wrong clocks are tested in
 * received-time.test.ts.
 */
let storyClock = '2026-03-02T01:15:00.000Z';

perDatabase('the contract', ({ db, server }) => {
  let programme = '';
  /** The answers: each entry as logged (redacted). */
  const entries: Obj[] = [];
  /** Each entry as sent, with its seq: what a joined pull gives back. */
  const sentEntries: Obj[] = [];
  const followCodes = new Map<string, unknown>();
  const config = (): WorkflowConfig => {
    const parsed = parseWorkflowConfig(JSON.parse(exampleConfig('wuxi-community.json', (c) => (c.id = programme))));
    assert.ok(parsed.ok);
    return parsed.config;
  };
  const steps = story();
  const main = steps.filter((s) => !s.alternative);
  const step = (key: string) => steps.find((s) => s.key === key)!.body;
  const events = () => `/api/programmes/${programme}/events`;

  it('GET /programmes lists the programmes', async () => {
    programme = await wuxiProgramme(db());
    const res = await call(server(), '/api/programmes', { template: PATHS.programmes });
    assert.equal(res.status, 200);
    const list = (res.body as { programmes: Array<{ id: string; level: string }> }).programmes;
    assert.deepEqual(list.find((p) => p.id === programme)?.level, 'community');
  });

  it('GET …/config serves the config as written, with an ETag; If-None-Match gives 304', async () => {
    const res = await call(server(), `/api/programmes/${programme}/config`, { template: PATHS.config });
    assert.equal(res.status, 200);
    assert.equal(res.text, exampleConfig('wuxi-community.json', (c) => (c.id = programme)));
    const etag = res.headers.get('etag')!;
    assert.match(etag, /^"sha256-[0-9a-f]{64}"$/);
    const again = await call(server(), `/api/programmes/${programme}/config`, { template: PATHS.config, headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    assert.equal((await call(server(), `/api/programmes/${programme}/config`, { headers: { 'if-none-match': '"other"' } })).status, 200);
    assert.equal((await call(server(), '/api/programmes/nowhere-2025/config', { template: PATHS.config })).status, 404);
  });

  it('1. every example of the story, in order, answers 201 with seq increasing', async () => {
    let last = 0;
    for (const { key, body } of main) {
      if (key === 'measureAdopt') await refusalsDuringHandling();
      storyClock = body.at;
      const res = await append(server(), programme, body);
      assert.equal(res.status, 201, `${key}: ${res.text}`);
      const entry = (res.body as { entry: Obj & { seq: number } }).entry;
      assert.ok(entry.seq > last, `${key}: seq ${entry.seq} after ${last}`);
      last = entry.seq;
      const sent = { ...body, seq: entry.seq, receivedAt: new Date(body.at).toISOString() };
      assert.deepEqual(entry, redactEntry(config(), sent as unknown as LogEntry).entry, `${key}: the entry is the event exactly as sent, redacted, plus seq`);
      if (body.event.type === 'topic.submit') {
        assert.match(String(res.body?.followCode), /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/, `${key}: a follow code`);
        followCodes.set(body.id, res.body?.followCode);
      } else {
        assert.equal(res.body?.followCode, undefined, `${key}: only a topic.submit answers a follow code`);
      }
      entries.push(entry);
      sentEntries.push(sent);
    }
  });

  /** 5. (run when the story reaches handling) feedback before the measures are settled; a rating in handling. */
  async function refusalsDuringHandling(): Promise<void> {
    const feedback = { ...step('feedbackPublish'), id: 'early-feedback' };
    const res = await append(server(), programme, feedback);
    assert.equal(res.status, 422);
    assert.equal(res.body?.type, '/problems/event-refused');
    assert.equal((res.body?.refusal as Obj).code, 'measures-open');
    assert.equal((res.body?.refusal as Obj).state, 'handling');
    const rating = await append(server(), programme, { ...step('ratingSubmit'), id: 'early-rating' });
    assert.equal(rating.status, 422);
    assert.equal((rating.body?.refusal as Obj).code, 'not-in-state');
  }

  it('2. any example sent again answers 200, the same entry and Idempotent-Replayed: true', async () => {
    for (const [i, { key, body }] of main.entries()) {
      const res = await append(server(), programme, body);
      assert.equal(res.status, 200, key);
      assert.equal(res.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual((res.body as { entry: Obj }).entry, entries[i]);
      assert.equal(res.body?.followCode, followCodes.get(body.id), `${key}: the same follow code (or none) again`);
    }
  });

  it('3. the same key with a changed body answers 422 idempotency-key-reused', async () => {
    const body = step('researchComplete');
    const res = await append(server(), programme, { ...body, event: { ...body.event, findings: `${String(body.event.findings)}（补充）` } });
    assert.equal(res.status, 422);
    assert.equal(res.body?.type, '/problems/idempotency-key-reused');
    assert.equal(res.body?.idempotencyKey, body.id);
  });

  it('4. a key that differs from the body\'s id answers 400 idempotency-key-mismatch', async () => {
    const res = await append(server(), programme, step('meetingStart'), { key: 'another-key' });
    assert.equal(res.status, 400);
    assert.equal(res.body?.type, '/problems/idempotency-key-mismatch');
  });

  it('6. meeting.record sent as a resident answers 401 without a token and 403 with one', async () => {
    const record = { ...step('meetingRecord'), id: 'record-by-resident', by: { role: 'resident', id: PEOPLE.resident.id } };
    const anonymous = await append(server(), programme, record, { token: undefined });
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate')!, /^Bearer realm="consult-kit"/);
    const resident = await append(server(), programme, record, { token: PEOPLE.resident.token });
    assert.equal(resident.status, 403);
    assert.equal(resident.body?.type, '/problems/forbidden');
    assert.deepEqual(resident.body?.allowed, ['convener', 'admin']);
  });

  it('7. pulling with limit=3 and following the cursor returns every entry once, in seq order: redacted without a token, joined for a convener', async () => {
    let after: string | undefined;
    for (const [token, expected] of [[undefined, entries], [PEOPLE.convener.token, sentEntries]] as const) {
      const seen: Obj[] = [];
      after = undefined;
      for (let page = 0; page < 50; page += 1) {
        const query = after === undefined ? '?limit=3' : `?limit=3&after=${after}`;
        const res = await call(server(), `${events()}${query}`, { template: PATHS.events, ...(token ? { token } : {}) });
        assert.equal(res.status, 200);
        const body = res.body as { entries: Obj[]; cursor: string; more: boolean };
        assert.ok(body.entries.length <= 3);
        seen.push(...body.entries);
        after = body.cursor;
        if (!body.more) break;
      }
      assert.deepEqual(seen, expected, token ? 'joined' : 'redacted');
    }
    const caughtUp = await call(server(), `${events()}?after=${after}`, { template: PATHS.events, token: PEOPLE.convener.token });
    assert.deepEqual(caughtUp.body, { entries: [], cursor: after, more: false });
  });

  it('8. the figures: 2 topics (1 closed, 1 merged), 1 meeting, 7 participants, 2 measures (1 implemented), 1 rating of 5', async () => {
    const res = await call(server(), `/api/programmes/${programme}/figures?now=2026-07-20T08:00:00%2B08:00`, { template: PATHS.figures });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      topicsRaised: 2,
      topicsByStage: { closed: 1, merged: 1 },
      topicsSolved: 1,
      meetingsHeld: 1,
      participants: 7,
      measuresTotal: 2,
      measuresImplemented: 1,
      measuresOverdue: 0,
      ratings: 1,
      ratingsByKind: { submitter: 1, 'follow-code': 0, community: 0, participant: 0, 'staff-token': 0 },
      averageSatisfaction: 5,
    });
    const bad = await call(server(), `/api/programmes/${programme}/figures?now=yesterday`, { template: PATHS.figures });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body?.errors, [{ parameter: 'now', message: 'must be a date-time' }]);
    assert.equal((await call(server(), '/api/programmes/nowhere/figures', { template: PATHS.figures })).status, 404);
  });

  it('the alternative screening outcomes answer 201 on a copy of the programme (the withdrawal without a token, with the follow code)', async () => {
    for (const alternative of steps.filter((s) => s.alternative)) {
      const copy = await wuxiProgramme(db());
      const submit = await append(server(), copy, step('topicSubmit'));
      assert.equal(submit.status, 201);
      const withdraw = alternative.body.event.type === 'topic.withdraw';
      const res = await append(server(), copy, alternative.body, withdraw ? { token: undefined, headers: { 'follow-code': String(submit.body?.followCode) } } : {});
      assert.equal(res.status, 201, `${alternative.key}: ${res.text}`);
    }
  });

  it('409 while a request with the key is in flight, with Retry-After', async () => {
    const body = { ...step('topicSubmit'), id: 'in-flight-key', topicId: 'tp-in-flight' };
    await db().query(`insert into idempotency_key (programme_id, key, fingerprint, status, owner) values ($1, $2, 'x', 'in_flight', 'other')`, [programme, body.id]);
    const res = await append(server(), programme, body);
    assert.equal(res.status, 409);
    assert.equal(res.headers.get('retry-after'), '1');
    assert.equal(res.body?.idempotencyKey, body.id);
  });

  it('400s of a pull: a cursor never given out, a limit out of range', async () => {
    for (const after of ['abc', '-1', '01', '999999']) {
      const res = await call(server(), `${events()}?after=${after}`, { template: PATHS.events, token: PEOPLE.convener.token });
      assert.equal(res.status, 400, after);
      assert.equal(res.body?.type, '/problems/invalid-cursor');
    }
    for (const limit of ['0', '1001', 'ten', '2.5']) {
      const res = await call(server(), `${events()}?limit=${limit}`, { template: PATHS.events, token: PEOPLE.convener.token });
      assert.equal(res.status, 400, limit);
      assert.deepEqual(res.body?.errors, [{ parameter: 'limit', message: 'must be a whole number from 1 to 1000' }]);
    }
    assert.equal((await call(server(), '/api/programmes/nowhere/events', { template: PATHS.events, token: PEOPLE.convener.token })).status, 404);
  });

  it('401 and 403 of a pull where it needs a staff token (pullAccess: staff)', async () => {
    const staff = await serveOn(db(), { pullAccess: 'staff' });
    try {
      const anonymous = await call(staff, events(), { template: PATHS.events });
      assert.equal(anonymous.status, 401);
      const resident = await call(staff, events(), { template: PATHS.events, token: PEOPLE.resident.token });
      assert.equal(resident.status, 403);
    } finally {
      await staff.close();
    }
  });

  it('413, 415 and 400s of an append match the contract', async () => {
    const body = { ...step('topicSubmit'), id: 'bad-input', topicId: 'tp-bad-input' };
    const big = { ...body, event: { ...body.event, values: { ...(body.event.values as Obj), description: 'x'.repeat(70_000) } } };
    assert.equal((await append(server(), programme, big)).status, 413);
    assert.equal((await append(server(), programme, body, { headers: { 'content-type': 'text/plain' } })).status, 415);
    assert.equal((await append(server(), programme, body, { key: null })).status, 400);
    assert.equal((await call(server(), events(), { template: PATHS.events, rawBody: '{"id":', key: 'bad-input' })).status, 400);
    assert.equal((await append(server(), programme, { ...body, extra: 1 })).status, 400);
    assert.equal((await append(server(), 'nowhere', body)).status, 404);
  });

  it('429 when the rate limit is reached, with Retry-After and RateLimit headers', async () => {
    const limited = await serveOn(db(), { rateLimit: { max: 2, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 2; i += 1) assert.equal((await call(limited, '/api/programmes', { template: PATHS.programmes })).status, 200);
      const res = await call(limited, '/api/programmes', { template: PATHS.programmes });
      assert.equal(res.status, 429);
      assert.equal(res.body?.type, '/problems/rate-limited');
      assert.ok(Number(res.headers.get('retry-after')) > 0);
    } finally {
      await limited.close();
    }
  });

  it('every answer of the story carried the RateLimit headers the contract declares', async () => {
    const res = await append(server(), programme, step('topicSubmit'));
    for (const name of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']) assert.match(res.headers.get(name) ?? '', /^\d+$/);
  });
}, { clock: () => new Date(storyClock) });

/** A second server on the same database, with other options. */
async function serveOn(db: Db, overrides: Parameters<typeof testOptions>[0]): Promise<TestServer> {
  const app = await buildApp(db, testOptions(overrides));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return { app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, close: () => app.close() };
}

it('503 with Retry-After when the database is gone, 500 for an unexpected fault — both problem+json', async () => {
  const db = await openPglite({ loadDataDir: await pgliteTemplate() });
  await migrate(db);
  const gone = await buildApp(db, testOptions());
  await db.close();
  const res = await gone.inject({ method: 'GET', url: '/api/programmes' });
  const unavailable: Answer = { status: res.statusCode, headers: new Headers(res.headers as Record<string, string>), body: res.json(), text: res.body };
  assert.equal(unavailable.status, 503);
  checkResponse(PATHS.programmes, 'get', unavailable);
  await gone.close();

  const broken: Db = {
    kind: 'pglite',
    query: () => Promise.reject(new Error('a bug')),
    exec: () => Promise.reject(new Error('a bug')),
    transaction: () => Promise.reject(new Error('a bug')),
    close: () => Promise.resolve(),
  };
  const app = await buildApp(broken, testOptions());
  const fault = await app.inject({ method: 'GET', url: '/api/programmes' });
  const internal: Answer = { status: fault.statusCode, headers: new Headers(fault.headers as Record<string, string>), body: fault.json(), text: fault.body };
  assert.equal(internal.status, 500);
  checkResponse(PATHS.programmes, 'get', internal);
  assert.match(String(internal.body?.instance), /^\/problems\/internal-error\//);
  await app.close();
});
