/**
 * The clock's schedule is a projection of the log (notifications/jobs.ts): deleting every job
 * and rebuilding the index from the log gives exactly the same pending (key, run_at_ms) set; a
 * rebuild notifies nobody again (the notice watermark only moves forward); a programme seen for
 * the first time after the upgrade notifies only what comes after the entries already indexed;
 * an entry received more than 7 days before the clock's now tells nobody (a restored old log);
 * a job that fails is kept, with its fault, and tried again later.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { closeEntryId, JOB_RETRY_MS, tick } from '../src/notifications/clock.js';
import { claimKey, releaseClaim } from '../src/idempotency.js';
import { catchUpIndex, rebuildIndex } from '../src/topic-index.js';
import { perDatabase, wuxiProgramme } from './helpers.js';
import { clockNotify, jobsOf, outboxCount, pendingSchedule, raise, startReceiver, step, testClock, TO_EVALUATION, TO_MEASURES, type Receiver } from './clock-fixture.js';

const clock = testClock('2026-03-20T11:00:00Z');
const DAY = 86_400_000;
const notify = clockNotify();
let receiver: Receiver;
before(async () => {
  receiver = await startReceiver();
  notify.webhooks.push(...receiver.notify.webhooks);
});
after(() => receiver.close());

perDatabase(
  'the clock schedule from the log',
  ({ db, server }) => {
    const run = () => tick(db(), { clock: clock.clock, notify, staleInFlightSeconds: 30 }, clock.now);

    it('deleting every job and rebuilding from the log gives the same pending schedule, and notifies nobody again', async () => {
      const programme = await wuxiProgramme(db());
      clock.set('2026-03-20T11:00:00Z');
      await raise(server(), clock, programme, TO_MEASURES); // two open measures: due soon and overdue each
      await raise(server(), clock, programme, TO_EVALUATION); // a rating window: closing and end
      const meeting = await raise(server(), clock, programme, ['screeningAccept', 'researchComplete']);
      await step(server(), clock, programme, meeting, 'meetingSchedule', (s) => (s.event.start = '2026-03-25T11:00:00.000Z')); // a reminder

      const schedule = await pendingSchedule(db(), programme);
      assert.deepEqual(
        [...new Set(schedule.map(([key]) => key.split(':')[1]))].sort(),
        ['evaluation.end', 'measure.dueSoon', 'measure.overdue', 'meeting.reminder', 'rating.closing'],
        'every kind of job is there',
      );
      const notices = await outboxCount(db(), programme);
      assert.ok(notices > 0, 'the events were notified once');

      await db().query('delete from timer_job where programme_id = $1', [programme]);
      assert.deepEqual(await pendingSchedule(db(), programme), [], 'gone (the index is current: nothing to catch up)');
      await rebuildIndex(db(), programme);
      assert.deepEqual(await pendingSchedule(db(), programme), schedule, 'the same keys at the same times');
      assert.equal(await outboxCount(db(), programme), notices, 'the rebuild queued no notice again');

      // A fired job, rebuilt: derived again (its moment still applies) and fired again, but its notice is the same outbox row.
      clock.set('2026-04-28T00:00:00Z');
      assert.ok((await run()).jobs >= 1);
      const afterFiring = await outboxCount(db(), programme);
      await db().query('delete from timer_job where programme_id = $1', [programme]);
      await rebuildIndex(db(), programme);
      await run();
      assert.equal(await outboxCount(db(), programme), afterFiring, 'firing the same moment again sends nothing twice');
    });

    it('first sight after the upgrade: the entries already indexed tell nobody, the next one does', async () => {
      const programme = await wuxiProgramme(db());
      clock.set('2026-03-10T01:00:00Z');
      const topicId = await raise(server(), clock, programme, ['screeningAccept', 'researchComplete']);
      await step(server(), clock, programme, topicId, 'meetingSchedule', (s) => (s.event.start = '2026-03-25T11:00:00.000Z'));
      await catchUpIndex(db(), programme);
      // As before migration 006: no watermark and no outbox, an index already built.
      await db().query('delete from notice_outbox where programme_id = $1', [programme]);
      await db().query('delete from notice_state where programme_id = $1', [programme]);
      assert.equal(await outboxCount(db(), programme), 0, 'history is never notified');

      await step(server(), clock, programme, topicId, 'meetingSchedule', (s) => (s.event.start = '2026-03-26T11:00:00.000Z'));
      assert.equal(await outboxCount(db(), programme), await outboxCount(db(), programme, 'meeting.moved'));
      assert.ok((await outboxCount(db(), programme, 'meeting.moved')) >= 1, 'the move after the upgrade is told');
    });

    it('an entry received more than 7 days before the clock reads it (a restored old log) tells nobody', async () => {
      const programme = await wuxiProgramme(db());
      clock.set('2026-03-10T01:00:00Z');
      const topicId = await raise(server(), clock, programme, ['screeningAccept', 'researchComplete']);
      await catchUpIndex(db(), programme);
      const before = await outboxCount(db(), programme);
      await step(server(), clock, programme, topicId, 'meetingSchedule', (s) => (s.event.start = '2026-03-25T11:00:00.000Z'));
      clock.now += 8 * DAY; // the index reads the entry only now
      assert.equal(await outboxCount(db(), programme), before);
      assert.equal(await outboxCount(db(), programme, 'meeting.scheduled'), 0);
    });

    it('a job that fails keeps its place: the fault is recorded, it waits, then it is tried again', async () => {
      const programme = await wuxiProgramme(db());
      clock.set('2026-03-20T11:00:00Z');
      await raise(server(), clock, programme, TO_EVALUATION);
      const end = (await jobsOf(db(), programme)).find((j) => j.kind === 'evaluation.end')!;
      // The stored config no longer parses (an operator's hand edit of the programme and of the
      // version its topics run under): the job cannot run.
      const [saved] = await db().query<{ etag: string; config: string }>('select etag, config from programme where id = $1', [programme]);
      await db().query(`update programme set etag = 'broken-etag', config = '{"id":"x"}' where id = $1`, [programme]);
      await db().query(`update config_version set etag = 'broken-etag', config = '{"id":"x"}' where programme_id = $1`, [programme]);
      clock.now = end.run_at_ms + 60_000;
      const lines: string[] = [];
      const log = { warn: (object: Record<string, unknown>, message: string) => lines.push(`${JSON.stringify(object)} ${message}`) };
      const failed = await tick(db(), { clock: clock.clock, staleInFlightSeconds: 30 }, clock.now, log);
      assert.equal(failed.failed, 2, 'its two due jobs (closing soon, the end) failed');
      assert.equal(lines.length, 3, 'the catch-up and each job failure are logged');
      for (const personal of ['王秀英', '13800138000', '清名桥社区幸福里小区3号楼']) {
        assert.ok(!lines.join('\n').includes(personal), `no personal value in the clock's log lines (${personal})`);
      }
      const [row] = await db().query<{ state: string; last_error: string | null; lease_until_ms: number | null }>(
        'select state, last_error, lease_until_ms from timer_job where programme_id = $1 and key = $2',
        [programme, end.key],
      );
      assert.equal(row?.state, 'pending', 'kept');
      assert.equal(row?.last_error, 'Error', 'the fault is recorded by its kind (never its message, which may quote values)');
      assert.equal(row?.lease_until_ms, clock.now + JOB_RETRY_MS[0], 'it waits before the next try');
      clock.now += 1_000;
      assert.equal((await run()).failed, 0, 'not tried again before its wait is over');
      await db().query('update programme set etag = $2, config = $3 where id = $1', [programme, saved!.etag, saved!.config]);
      await db().query('update config_version set etag = $2, config = $3 where programme_id = $1', [programme, saved!.etag, saved!.config]);
      clock.now += JOB_RETRY_MS[0] + 1_000;
      const again = await run();
      assert.ok(again.closed >= 1, 'tried again, it closes the evaluation');
      const [done] = await db().query<{ state: string }>('select state from timer_job where programme_id = $1 and key = $2', [programme, end.key]);
      assert.equal(done?.state, 'done');
    });

    it('a close another process is appending (its idempotency claim in flight) is left to it; a close already made is not made again', async () => {
      const programme = await wuxiProgramme(db());
      clock.set('2026-03-20T11:00:00Z');
      const topicId = await raise(server(), clock, programme, TO_EVALUATION);
      const end = (await jobsOf(db(), programme)).find((j) => j.kind === 'evaluation.end')!;
      const id = closeEntryId(programme, topicId, 1);
      const other = await claimKey(db(), programme, id, 'another-process', 30);
      assert.equal(other.kind, 'claimed');
      clock.now = end.run_at_ms + 60_000;
      const first = await run();
      assert.equal(first.closed, 0, 'not while another process holds the claim');
      const closes = () => db().query(`select 1 from log_entry where programme_id = $1 and topic_id = $2 and event->>'type' = 'evaluation.close'`, [programme, topicId]);
      assert.equal((await closes()).length, 0);
      await releaseClaim(db(), programme, id, (other as { owner: string }).owner); // that process gave up
      clock.now += JOB_RETRY_MS[0] + 1_000;
      assert.equal((await run()).closed, 1, 'tried again: closed');
      // As if the process crashed after appending, before marking the job done: run again, nothing more.
      await db().query(`update timer_job set state = 'pending', lease_until_ms = null where programme_id = $1 and key = $2`, [programme, end.key]);
      clock.now += 60_000;
      const again = await run();
      assert.equal(again.closed, 0);
      assert.equal((await closes()).length, 1, 'one close in the log');
      const [job] = await db().query<{ state: string }>('select state from timer_job where programme_id = $1 and key = $2', [programme, end.key]);
      assert.equal(job?.state, 'done');
    });
  },
  { clock: clock.clock, notify },
);
