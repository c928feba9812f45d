/**
 * Two server processes on one database tick at the same moment: each due job is acted on once
 * (claimed with `for update skip locked` and a lease), each ended evaluation is closed once (one
 * `evaluation.close` in the log), each notice queued once. On PGlite (one connection) two `tick`
 * calls run at once on one Db; with DATABASE_URL, two pools on one PostgreSQL schema.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { openPostgres } from '../src/db/postgres.js';
import { tick } from '../src/notifications/clock.js';
import { call, DATABASES, serve, wuxiProgramme, type TestServer } from './helpers.js';
import { clockNotify, jobsOf, outboxCount, raise, startReceiver, testClock, TO_EVALUATION, TO_MEASURES, type Receiver } from './clock-fixture.js';

const clock = testClock('2026-03-20T11:00:00Z');
const DAY = 86_400_000;

/** Two handles on one database: the same Db twice on PGlite, two pools on PostgreSQL. */
interface Pair {
  name: string;
  open(): Promise<{ a: Db; b: Db; close(): Promise<void> }>;
}

const PAIRS: Pair[] = [
  {
    name: 'pglite, two ticks on one Db',
    async open() {
      const db = await DATABASES[0]!.open();
      return { a: db, b: db, close: () => db.close() };
    },
  },
];
const DATABASE_URL = process.env.DATABASE_URL;
if (DATABASE_URL) {
  PAIRS.push({
    name: 'postgres, two pools',
    async open() {
      const schema = `ck_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      const a = await openPostgres({ connectionString: DATABASE_URL, schema });
      await migrate(a);
      const b = await openPostgres({ connectionString: DATABASE_URL, schema });
      return {
        a,
        b,
        async close() {
          await b.close();
          await a.exec(`drop schema ${schema} cascade`);
          await a.close();
        },
      };
    },
  });
}

for (const pair of PAIRS) {
  describe(`two processes tick at once (${pair.name})`, () => {
    let dbs: Awaited<ReturnType<Pair['open']>>;
    let server: TestServer;
    let receiver: Receiver;
    const notify = clockNotify();
    before(async () => {
      receiver = await startReceiver();
      notify.webhooks.push(...receiver.notify.webhooks);
      dbs = await pair.open();
      server = await serve(dbs.a, { clock: clock.clock, notify });
    });
    after(async () => {
      await server.close();
      await dbs.close();
      await receiver.close();
    });

    it('each due job is acted on once, each evaluation closed once, each notice queued once', async () => {
      const programme = await wuxiProgramme(dbs.a);
      clock.set('2026-03-20T11:00:00Z');
      const evaluations = [];
      for (let i = 0; i < 3; i += 1) evaluations.push(await raise(server, clock, programme, TO_EVALUATION));
      for (let i = 0; i < 3; i += 1) await raise(server, clock, programme, TO_MEASURES);
      const jobs = await jobsOf(dbs.a, programme);
      // Past every moment: the windows' ends and every measure's due date.
      clock.now = Math.max(...jobs.map((j) => j.run_at_ms)) + DAY;
      const due = jobs.filter((j) => j.state === 'pending' && j.run_at_ms <= clock.now);
      assert.ok(due.length >= 3 * 2 + 3 * 4, `every job is due (${due.length})`);

      const options = { clock: clock.clock, notify, staleInFlightSeconds: 30 };
      const [one, two] = await Promise.all([tick(dbs.a, options, clock.now), tick(dbs.b, options, clock.now)]);
      assert.equal(one.jobs + two.jobs, due.length, `acted on between them: ${one.jobs} + ${two.jobs}`);
      assert.equal(one.closed + two.closed, 3, 'three evaluations closed');
      assert.equal(one.failed + two.failed, 0);

      const after = await jobsOf(dbs.a, programme);
      for (const job of due) {
        const row = after.find((j) => j.key === job.key)!;
        assert.equal(row.state, 'done', job.key);
        assert.equal(row.attempts, 1, `${job.key} claimed once`);
      }
      for (const topicId of evaluations) {
        const log = await call(server, `/api/programmes/${programme}/topics/${topicId}/events`);
        const closes = (log.body?.entries as { event: { type: string }; by: { id: string } }[]).filter((e) => e.event.type === 'evaluation.close');
        assert.deepEqual(closes.map((e) => e.by.id), ['system:clock'], `${topicId} closed once`);
      }
      const [dupes] = await dbs.a.query<{ n: number }>(
        'select count(*)::bigint as n from (select notice_key, audience, target from notice_outbox where programme_id = $1 group by 1, 2, 3 having count(*) > 1) d',
        [programme],
      );
      assert.equal(Number(dupes?.n), 0, 'no notice queued twice for one recipient');
      assert.ok((await outboxCount(dbs.a, programme, 'measure.overdue')) >= 3);

      const [three, four] = await Promise.all([tick(dbs.a, options, clock.now + 60_000), tick(dbs.b, options, clock.now + 60_000)]);
      assert.equal(three.jobs + four.jobs + three.closed + four.closed, 0, 'nothing more');
    });
  });
}
