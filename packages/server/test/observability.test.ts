/**
 * Observing the server: `/healthz` (the process answers, without the database), `/readyz` (the
 * database answers and every migration is applied, else 503 naming the check), `/metrics` in the
 * Prometheus text format (requests by route pattern — never a raw URL —, latency, ingest and the
 * append-lock wait, outbox and job-queue depths read at scrape time, process metrics), and the
 * optional metrics token.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AppOptions } from '../src/config.js';
import { migrationFiles } from '../src/db/migrate.js';
import type { Db } from '../src/db/db.js';
import { checkReadiness } from '../src/observability/routes.js';
import { maskUrl } from '../src/observability/logging.js';
import { append, call, DATABASES, PATHS, PEOPLE, perDatabase, serve, topicSubmission, wuxiProgramme, type TestServer } from './helpers.js';

/** The value of one sample of the scrape, or undefined when absent; `labels` must all match. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

/** Scrapes `/metrics`. */
async function scrape(server: TestServer, token?: string): Promise<string> {
  const res = await call(server, '/metrics', { template: '/metrics', ...(token ? { token } : {}) });
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return res.text;
}

perDatabase('health and readiness', ({ db, server }) => {
  it('/healthz answers { ok: true }, /readyz says the database answers and every migration is applied', async () => {
    const health = await call(server(), '/healthz', { template: '/healthz' });
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { ok: true });
    const ready = await call(server(), '/readyz', { template: '/readyz' });
    assert.equal(ready.status, 200, ready.text);
    assert.deepEqual(ready.body, { ok: true, checks: { database: 'ok', migrations: 'ok' } });
    assert.equal(ready.headers.get('cache-control'), 'no-store');
  });

  it('/readyz is 503 with Retry-After, naming the migration not applied, and ready again once it is', async () => {
    const last = migrationFiles().at(-1)!;
    await db().query('delete from schema_migration where name = $1', [last]);
    try {
      const res = await call(server(), '/readyz', { template: '/readyz' });
      assert.equal(res.status, 503);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.ok(Number(res.headers.get('retry-after')) > 0);
      assert.equal(res.body?.type, '/problems/unavailable');
      assert.equal(res.body?.failed, 'migrations');
      assert.deepEqual(res.body?.checks, { database: 'ok', migrations: 'pending' });
      assert.deepEqual(res.body?.pending, [last]);
      // The process itself is fine: the liveness check still answers.
      assert.equal((await call(server(), '/healthz')).status, 200);
    } finally {
      await db().query('insert into schema_migration (name) values ($1)', [last]);
    }
    assert.equal((await call(server(), '/readyz')).status, 200);
  });
});

describe('readiness checks', () => {
  it('a database that does not answer in time is unreachable; one without schema_migration is not migrated', async () => {
    const files = migrationFiles();
    const hanging = { query: () => new Promise(() => {}) } as unknown as Db;
    assert.deepEqual(await checkReadiness(hanging, files, 20), { database: 'unreachable', migrations: 'unknown', pending: [] });
    const refused = { query: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' })) } as unknown as Db;
    assert.deepEqual(await checkReadiness(refused, files, 20), { database: 'unreachable', migrations: 'unknown', pending: [] });
    const empty = { query: () => Promise.reject(Object.assign(new Error('relation "schema_migration" does not exist'), { code: '42P01' })) } as unknown as Db;
    assert.deepEqual(await checkReadiness(empty, files, 20), { database: 'ok', migrations: 'pending', pending: files });
  });
});

for (const database of DATABASES) {
  describe(`with the database gone (${database.name})`, () => {
    it('/healthz still answers (it never touches the database); /readyz is 503 naming the database; /metrics says database_up 0', async () => {
      const db = await database.open();
      const server = await serve(db, { rateLimit: { max: 2, windowMs: 60_000 } });
      try {
        assert.equal((await call(server, '/readyz')).status, 200);
        await db.close();
        for (let i = 0; i < 5; i += 1) {
          // Five times over a limit of two: neither check is rate limited.
          const health = await call(server, '/healthz', { template: '/healthz' });
          assert.equal(health.status, 200);
          assert.deepEqual(health.body, { ok: true });
          const ready = await call(server, '/readyz', { template: '/readyz' });
          assert.equal(ready.status, 503, ready.text);
          assert.ok(Number(ready.headers.get('retry-after')) > 0);
          assert.equal(ready.body?.failed, 'database');
          assert.deepEqual(ready.body?.checks, { database: 'unreachable', migrations: 'unknown' });
          assert.ok(!/postgres:\/\/|password|consult_kit:/.test(ready.text), ready.text);
        }
        const text = await scrape(server);
        assert.equal(sample(text, 'consult_kit_database_up'), 0);
        assert.ok(Number.isNaN(sample(text, 'consult_kit_outbox_pending')));
      } finally {
        await server.close();
      }
    });
  });
}

perDatabase('metrics', ({ db, server }) => {
  it('counts requests by method, route pattern and status, never by raw URL, with latency histograms and process metrics', async () => {
    const programme = await wuxiProgramme(db());
    const code = `FC${randomUUID().slice(0, 8).toUpperCase()}`;
    const topic = `t-${randomUUID()}`;
    for (let i = 0; i < 3; i += 1) await call(server(), `/api/programmes/${programme}/follow/${code}${i}`, { template: PATHS.follow });
    await call(server(), `/api/programmes/${programme}/topics/${topic}/events`, { template: PATHS.topicEvents });
    await call(server(), `/no/such/${topic}`);
    const text = await scrape(server());
    const follow = { method: 'GET', route: '/api/programmes/:programmeId/follow/:code', status: '404' };
    assert.ok((sample(text, 'consult_kit_http_requests_total', follow) ?? 0) >= 3, text);
    assert.ok((sample(text, 'consult_kit_http_request_duration_seconds_count', follow) ?? 0) >= 3);
    assert.ok((sample(text, 'consult_kit_http_request_duration_seconds_bucket', { ...follow, le: '+Inf' }) ?? 0) >= 3);
    assert.ok((sample(text, 'consult_kit_http_requests_total', { method: 'GET', route: '/api/programmes/:programmeId/topics/:topicId/events' }) ?? 0) >= 1);
    assert.equal(sample(text, 'consult_kit_http_requests_total', { method: 'GET', route: '(unmatched)', status: '404' }), 1);
    // No id, code or URL of a request in the labels.
    for (const raw of [code, topic, programme, '/no/such']) assert.ok(!text.includes(raw), `the scrape holds ${raw}`);
    // prom-client's process metrics.
    assert.ok(sample(text, 'process_cpu_user_seconds_total') !== undefined);
    assert.ok(sample(text, 'nodejs_eventloop_lag_seconds') !== undefined);
    // The scrape itself is counted by the next one.
    assert.ok((sample(await scrape(server()), 'consult_kit_http_requests_total', { route: '/metrics', status: '200' }) ?? 0) >= 1);
  });

  it('reads the outbox and job-queue depths from the database at scrape time', async () => {
    const programme = await wuxiProgramme(db());
    const before = await scrape(server());
    assert.equal(sample(before, 'consult_kit_database_up'), 1);
    const base = (name: string) => sample(before, name) ?? Number.NaN;
    const now = Date.now();
    const notice = (state: string) =>
      db().query(
        `insert into notice_outbox (id, programme_id, topic_id, notice_key, trigger, audience, channel, target, recipient, payload, state, next_at_ms, created_ms)
         values ($1, $2, 't-1', 'k', 'submitted', 'staff', 'webhook', 'hook', '{}', '{}', $3, $4, $4)`,
        [`n-${randomUUID()}`, programme, state, now],
      );
    for (let i = 0; i < 3; i += 1) await notice('pending');
    await notice('sent');
    await notice('dead');
    const job = (runAt: number) =>
      db().query(`insert into timer_job (programme_id, key, topic_id, kind, run_at_ms, timer) values ($1, $2, 't-1', 'measure-due', $3, '{}')`, [programme, `j-${randomUUID()}`, runAt]);
    await job(now - 60_000);
    await job(now - 1_000);
    await job(now + 86_400_000);
    const after = await scrape(server());
    assert.equal(sample(after, 'consult_kit_outbox_pending'), base('consult_kit_outbox_pending') + 3);
    assert.equal(sample(after, 'consult_kit_outbox_dead'), base('consult_kit_outbox_dead') + 1);
    assert.equal(sample(after, 'consult_kit_jobs_pending'), base('consult_kit_jobs_pending') + 3);
    assert.equal(sample(after, 'consult_kit_jobs_due'), base('consult_kit_jobs_due') + 2);
  });

  it('counts the events appended, by programme, and the append-lock wait (published by the event log)', async () => {
    const programme = await wuxiProgramme(db());
    for (let i = 0; i < 4; i += 1) assert.equal((await append(server(), programme, topicSubmission())).status, 201);
    const text = await scrape(server());
    assert.equal(sample(text, 'consult_kit_events_appended_total', { programme }), 4, 'the event log publishes on consult-kit:append');
    assert.ok((sample(text, 'consult_kit_append_lock_wait_seconds_count') ?? 0) >= 1);
  });

  it('two apps in one process keep their own metrics', async () => {
    const other = await serve(db());
    try {
      await call(other, '/healthz');
      await call(other, '/healthz');
      const mine = sample(await scrape(server()), 'consult_kit_http_requests_total', { route: '/healthz' }) ?? 0;
      const theirs = sample(await scrape(other), 'consult_kit_http_requests_total', { route: '/healthz' }) ?? 0;
      assert.equal(theirs, 2);
      assert.notEqual(mine, theirs + 0.5);
    } finally {
      await other.close();
    }
  });
});

describe('the metrics token', () => {
  it('with a metrics token, /metrics wants it as a bearer token; the token is in no answer and no log line', async () => {
    const metricsToken = `mt-${randomUUID()}`;
    const lines: string[] = [];
    const db = await DATABASES[0]!.open();
    const options: Partial<AppOptions> = { metricsToken, logLevel: 'trace', logStream: { write: (line: string) => void lines.push(line) } };
    const server = await serve(db, options);
    try {
      const answers: string[] = [];
      for (const token of [undefined, 'wrong', PEOPLE.admin.token, `${metricsToken}x`]) {
        const res = await call(server, '/metrics', { template: '/metrics', ...(token ? { token } : {}) });
        answers.push(res.text);
        assert.equal(res.status, 401, `${token}: ${res.status}`);
        assert.equal(res.body?.type, '/problems/unauthenticated');
        assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      }
      const text = await scrape(server, metricsToken);
      answers.push(text);
      assert.ok(sample(text, 'consult_kit_http_requests_total', { route: '/metrics', status: '401' })! >= 4);
      // Health and readiness stay open: load balancers send no token.
      assert.equal((await call(server, '/healthz')).status, 200);
      assert.equal((await call(server, '/readyz')).status, 200);
      for (const text of [...answers, lines.join('')]) assert.ok(!text.includes(metricsToken), 'the metrics token leaked');
    } finally {
      await server.close();
      await db.close();
    }
  });
});

describe('log lines mask credentials in URLs', () => {
  it('masks follow codes, unsubscribe and Open311 tokens in paths, and credentials and personal values in queries', () => {
    assert.equal(maskUrl('/api/programmes/p/follow/ABCD-EFGH-JKLM'), '/api/programmes/p/follow/…');
    assert.equal(maskUrl('/unsubscribe/tok3n/undo'), '/unsubscribe/…/undo');
    assert.equal(maskUrl('/open311/v2/tokens/ABCD-EFGH-JKLM.json'), '/open311/v2/tokens/…');
    assert.equal(maskUrl('/open311/v2/requests.json?api_key=s3cret-token-value&status=open'), '/open311/v2/requests.json?api_key=…&status=open');
    assert.equal(maskUrl('/api/programmes/p/exports?value=13800138000'), '/api/programmes/p/exports?value=…');
  });
});
