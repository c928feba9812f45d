/**
 * The server's clock (notifications/clock.ts, jobs.ts) walked through a programme with a
 * controllable clock (`AppOptions.clock`): a measure's due-soon and due dates and a rating
 * window. Jobs appear as the log is indexed, fire once, mark the index overdue and fill the
 * supervisor's list; the evaluation closes itself in the log (as `system:clock`, received at the
 * clock's now), and a second tick does nothing more. A measure settled before its due date
 * cancels its jobs; a moved meeting moves its reminder. Notices are queued to a webhook endpoint
 * (a real HTTP receiver) through the outbox.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { parseTokens } from '../src/authn.js';
import { tick } from '../src/notifications/clock.js';
import { catchUpIndex } from '../src/topic-index.js';
import { append, call, PEOPLE, perDatabase, story, TO_MEASURES, wuxiProgramme, type Answer } from './helpers.js';
import { clockNotify } from './clock-fixture.js';

type Obj = Record<string, unknown>;

/** The server's clock in this suite (epoch ms); tests move it. */
let now = Date.parse('2026-03-04T01:00:00Z');
const at = (iso: string) => {
  now = Date.parse(iso);
};
const DAY = 86_400_000;

/** A department desk that acts for the housing bureau only (party scope). */
const HOUSING_DESK = { token: 'tok-dept-housing-only-0123456789', role: 'department', id: 'd-hb-02', scopes: { parties: ['housing-bureau'] } };
/** A convener of the street level only (level scope): the community's topics are not theirs. */
const STREET_CONVENER = { token: 'tok-convener-street-only-987654', role: 'convener', id: 'c-street-01', scopes: { levels: ['street'] } };
const TOKENS = parseTokens(
  {
    ...Object.fromEntries(Object.values(PEOPLE).map(({ token, ...p }) => [token, p])),
    [HOUSING_DESK.token]: { role: HOUSING_DESK.role, id: HOUSING_DESK.id, scopes: HOUSING_DESK.scopes },
    [STREET_CONVENER.token]: { role: STREET_CONVENER.role, id: STREET_CONVENER.id, scopes: STREET_CONVENER.scopes },
  },
  'clock test tokens',
);

/** A real HTTP receiver for the city's webhook: every body it got whose signature verified, and how many did not. */
const received: Obj[] = [];
let unverified = 0;
let receiver: Server;
const notify = clockNotify();

before(async () => {
  receiver = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      // Verified as a city's receiver would, with the Standard Webhooks library (not our own signing code).
      try {
        received.push(new Webhook(notify.webhooks[0]!.secret).verify(text, request.headers as Record<string, string>) as Obj);
        response.writeHead(204).end();
      } catch {
        unverified += 1;
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  notify.webhooks.push({ id: 'city', url: `http://127.0.0.1:${port}/hook`, secret: `whsec_${randomBytes(32).toString('base64')}` });
});
after(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const STORY = story();
const body = (key: string) => structuredClone(STORY.find((s) => s.key === key)!.body);

interface Job extends Obj {
  key: string;
  kind: string;
  run_at_ms: number;
  state: string;
}

perDatabase(
  'the server clock',
  ({ db, server }) => {
    /** Sends a story step now (claimed at the clock's now), as the admin. */
    async function step(programme: string, topicId: string, key: string, change: (s: Obj & { event: Obj }) => void = () => {}): Promise<Answer> {
      const s: Obj & { event: Obj } = { ...body(key), id: `e-${randomUUID()}`, topicId, by: { role: 'admin' }, at: new Date(now).toISOString() };
      change(s);
      const res = await append(server(), programme, s, { token: PEOPLE.admin.token });
      assert.equal(res.status, 201, `${key}: ${res.text}`);
      return res;
    }

    /** Raises a topic and sends the story's steps `keys`, each at the clock's now. */
    async function raise(programme: string, keys: readonly string[]): Promise<string> {
      const topicId = `tp-${randomUUID()}`;
      const submit = { ...body('topicSubmit'), id: `e-${randomUUID()}`, topicId, at: new Date(now).toISOString() };
      const res = await append(server(), programme, submit, { token: PEOPLE.resident.token });
      assert.equal(res.status, 201, res.text);
      for (const key of keys) {
        await step(programme, topicId, key, (s) => {
          // The meeting is held when it is scheduled for (the early-start rule): now.
          if (key === 'meetingSchedule') s.event.start = new Date(now).toISOString();
        });
      }
      return topicId;
    }

    /** The topic's jobs, once the index has caught up with the log (as any read or tick makes it). */
    const jobs = async (programme: string, topicId: string) => {
      await catchUpIndex(db(), programme);
      return db().query<Job>('select key, kind, run_at_ms, state from timer_job where programme_id = $1 and topic_id = $2 order by key', [programme, topicId]);
    };
    const pending = async (programme: string, topicId: string) => (await jobs(programme, topicId)).filter((j) => j.state === 'pending');
    /** The outbox rows of a trigger, once the index (and so the event notices) caught up with the log. */
    const outbox = async (programme: string, trigger: string) => {
      await catchUpIndex(db(), programme);
      return db().query<{ id: string; notice_key: string }>('select id, notice_key from notice_outbox where programme_id = $1 and trigger = $2', [programme, trigger]);
    };
    const run = () => tick(db(), { clock: () => new Date(now), notify, staleInFlightSeconds: 30 }, now);
    const overdue = (programme: string, token: string | undefined, query = '') =>
      call(server(), `/api/programmes/${programme}/overdue${query}`, { ...(token ? { token } : {}), template: '/programmes/{programmeId}/overdue' });

    const SUBSIDY_DUE = Date.parse('2026-04-30T23:59:59.999Z'); // a date-only due: the end of that day, UTC
    const INSTALL_DUE = Date.parse('2026-06-30T23:59:59.999Z');

    it('a measure past its due date: due soon, then overdue — each job fires once, the index is marked, the supervisor sees it with the right days', async () => {
      const programme = await wuxiProgramme(db());
      at('2026-03-20T11:00:00Z');
      const topicId = await raise(programme, TO_MEASURES);

      // The record's two measures are open (one adopted, one proposed): due soon 3 days before, overdue at the due date.
      assert.deepEqual(
        (await pending(programme, topicId)).map((j) => [j.kind, j.run_at_ms]),
        [
          ['measure.dueSoon', INSTALL_DUE - 3 * DAY],
          ['measure.dueSoon', SUBSIDY_DUE - 3 * DAY],
          ['measure.overdue', INSTALL_DUE],
          ['measure.overdue', SUBSIDY_DUE],
        ],
      );
      assert.equal((await run()).jobs, 0, 'nothing due yet');

      at('2026-04-28T00:00:00Z');
      const soon = await run();
      assert.equal(soon.jobs, 1, 'the subsidy is due soon');
      assert.ok(soon.notices >= 1, 'its notice was queued');
      const queued = await outbox(programme, 'measure.dueSoon');
      assert.equal(queued.length, soon.notices);
      assert.ok(received.some((b) => b.type === 'notice.measure.dueSoon' && (b.data as Obj).topicId === topicId && ((b.data as Obj).vars as Obj).daysLeft === '3'), 'the city got it: 3 days left');
      const again = await run();
      assert.equal(again.jobs, 0, 'a second tick does nothing more');
      assert.equal((await outbox(programme, 'measure.dueSoon')).length, queued.length);

      // Not overdue yet: the list is empty and the topics page says so at its asOf.
      assert.deepEqual((await overdue(programme, PEOPLE.convener.token)).body?.items, []);

      at('2026-05-03T12:00:00Z');
      const late = await run();
      assert.equal(late.jobs, 1, 'the subsidy is overdue');
      const [row] = await db().query<{ overdue_since_ms: number | null }>('select overdue_since_ms from topic_index where programme_id = $1 and topic_id = $2', [programme, topicId]);
      assert.equal(row?.overdue_since_ms, SUBSIDY_DUE, 'the index is marked overdue since the due date');
      assert.ok(received.some((b) => b.type === 'notice.measure.overdue' && ((b.data as Obj).vars as Obj).daysOverdue === '1'));
      assert.equal(unverified, 0, 'every delivery carried a valid signature');

      const list = await overdue(programme, PEOPLE.convener.token);
      assert.equal(list.status, 200, list.text);
      assert.equal(list.body?.asOf, '2026-05-03T12:00:00.000Z');
      assert.equal(list.body?.total, 1);
      const [item] = list.body?.items as Obj[];
      assert.deepEqual(
        { topicId: item!.topicId, measureId: item!.measureId, party: item!.party, due: item!.due, overdueDays: item!.overdueDays, overdueSince: item!.overdueSince, status: item!.status },
        { topicId, measureId: 'lift-b3-subsidy', party: 'street-office', due: '2026-04-30', overdueDays: 2, overdueSince: '2026-04-30T23:59:59.999Z', status: 'proposed' },
      );
      assert.ok((item!.partyLabel as Obj | undefined)?.['zh-CN'], 'the party by its configured label');
      assert.ok(!list.text.includes(PEOPLE.resident.name), 'no personal data');

      const topics = await call(server(), `/api/programmes/${programme}/topics`, { template: '/programmes/{programmeId}/topics' });
      assert.equal(topics.body?.asOf, '2026-05-03T12:00:00.000Z', 'the topics page reads at the server clock');
      assert.equal(((topics.body?.items as Obj[]).find((t) => t.topicId === topicId) as Obj).overdue, true);

      // Who may read it: staff only, a department desk only its parties.
      assert.equal((await overdue(programme, undefined)).status, 401);
      assert.equal((await overdue(programme, PEOPLE.resident.token)).status, 403);
      assert.equal((await overdue(programme, HOUSING_DESK.token)).body?.total, 0, 'the housing desk does not see the street office');
      assert.equal((await overdue(programme, STREET_CONVENER.token)).body?.total, 0, 'a street convener does not see a community topic');
      assert.equal((await overdue(programme, PEOPLE.department.token, '?party=street-office')).body?.total, 1);
      assert.equal((await overdue(programme, PEOPLE.department.token, '?party=housing-bureau')).body?.total, 0);
      assert.equal((await overdue(programme, PEOPLE.convener.token, '?limit=0')).status, 400);
      assert.equal((await overdue(programme, PEOPLE.convener.token, '?cursor=nope!')).status, 400);

      // Settled late: the mark and the list clear; the other measure, implemented before its due date, cancels its jobs.
      await step(programme, topicId, 'measureDecline');
      assert.deepEqual((await overdue(programme, PEOPLE.convener.token)).body?.items, []);
      const [cleared] = await db().query<{ overdue_since_ms: number | null }>('select overdue_since_ms from topic_index where programme_id = $1 and topic_id = $2', [programme, topicId]);
      assert.equal(cleared?.overdue_since_ms, null);
      await step(programme, topicId, 'measureProgress');
      await step(programme, topicId, 'measureImplement');
      await call(server(), `/api/programmes/${programme}/topics`);
      assert.deepEqual(await pending(programme, topicId), [], 'nothing left to fire');
      const install = (await jobs(programme, topicId)).filter((j) => j.key.includes('lift-b3-install'));
      assert.deepEqual(install.map((j) => j.state), ['cancelled', 'cancelled']);
      at('2026-07-05T00:00:00Z');
      assert.equal((await run()).jobs, 0, 'cancelled jobs never fire');
    });

    it('the overdue list pages most overdue first, keyset by cursor', async () => {
      const programme = await wuxiProgramme(db());
      at('2026-03-20T11:00:00Z');
      const topicId = await raise(programme, TO_MEASURES);
      at('2026-07-05T00:00:00Z'); // both measures past due: the subsidy since 30 April, the lift since 30 June
      await run();
      const first = await overdue(programme, PEOPLE.convener.token, '?limit=1');
      assert.equal(first.body?.total, 2);
      assert.equal(first.body?.more, true);
      assert.deepEqual((first.body?.items as Obj[]).map((i) => [i.topicId, i.measureId, i.overdueDays]), [[topicId, 'lift-b3-subsidy', 65]]);
      const second = await overdue(programme, PEOPLE.convener.token, `?limit=1&cursor=${String(first.body?.cursor)}`);
      assert.equal(second.body?.more, false);
      assert.deepEqual((second.body?.items as Obj[]).map((i) => [i.topicId, i.measureId, i.overdueDays]), [[topicId, 'lift-b3-install', 4]]);
      const housing = await overdue(programme, HOUSING_DESK.token);
      assert.deepEqual((housing.body?.items as Obj[]).map((i) => i.measureId), ['lift-b3-install'], 'the housing desk sees its own measure');
      // Settle both, so later tests' ticks find nothing of this programme.
      await step(programme, topicId, 'measureDecline');
      await step(programme, topicId, 'measureProgress');
      await step(programme, topicId, 'measureImplement');
      assert.equal((await overdue(programme, PEOPLE.convener.token)).body?.total, 0);
    });

    it('a rating window: closing soon, then the evaluation closes itself in the log as the system actor, once', async () => {
      const programme = await wuxiProgramme(db());
      at('2026-03-20T11:00:00Z');
      const topicId = await raise(programme, [...TO_MEASURES, 'measureDecline', 'measureProgress', 'measureImplement']);
      at('2026-06-30T02:00:00Z');
      await step(programme, topicId, 'feedbackPublish');
      const windowEnd = now + 14 * DAY; // Wuxi: a 14-day window from the feedback
      assert.deepEqual(
        (await pending(programme, topicId)).map((j) => [j.kind, j.run_at_ms]),
        [
          ['evaluation.end', windowEnd + 1], // just after the last millisecond ratings count at
          ['rating.closing', windowEnd - 48 * 3_600_000],
        ],
      );
      assert.ok((await outbox(programme, 'rating.opened')).length >= 1, 'the rating opened: told at once');

      now = windowEnd - 47 * 3_600_000;
      assert.equal((await run()).jobs, 1, 'closing soon');
      assert.ok((await outbox(programme, 'rating.closing')).length >= 1);
      assert.ok(received.some((b) => b.type === 'notice.rating.closing' && (b.data as Obj).topicId === topicId), 'the city got it, signed');

      now = windowEnd + 60_000;
      const closed = await run();
      assert.equal(closed.closed, 1, 'the clock closed it');
      const log = await call(server(), `/api/programmes/${programme}/topics/${topicId}/events`);
      const closes = (log.body?.entries as (Obj & { event: Obj; by: Obj })[]).filter((e) => e.event.type === 'evaluation.close');
      assert.equal(closes.length, 1);
      assert.equal(closes[0]!.by.id, 'system:clock');
      assert.equal(closes[0]!.by.role, 'admin');
      assert.equal(closes[0]!.receivedAt, new Date(now).toISOString(), 'received at the clock');
      const topics = await call(server(), `/api/programmes/${programme}/topics`);
      const summary = (topics.body?.items as Obj[]).find((t) => t.topicId === topicId) as Obj & { rating: Obj };
      assert.equal(summary.rating.open, false, 'the index has it closed');

      now += 60_000;
      assert.deepEqual({ ...(await run()), delivered: 0 }, { jobs: 0, notices: 0, closed: 0, delivered: 0, failed: 0 }, 'a second tick does nothing more');
      const again = await call(server(), `/api/programmes/${programme}/topics/${topicId}/events`);
      assert.equal((again.body?.entries as { event: Obj }[]).filter((e) => e.event.type === 'evaluation.close').length, 1);
      assert.equal(unverified, 0);
    });

    it('a moved meeting moves its reminder; the old one is cancelled and never fires', async () => {
      const programme = await wuxiProgramme(db());
      at('2026-03-10T01:00:00Z');
      const topicId = await raise(programme, ['screeningAccept', 'researchComplete']);
      const first = Date.parse('2026-03-20T11:00:00Z');
      await step(programme, topicId, 'meetingSchedule', (s) => (s.event.start = new Date(first).toISOString()));
      assert.deepEqual((await pending(programme, topicId)).map((j) => [j.kind, j.run_at_ms]), [['meeting.reminder', first - 24 * 3_600_000]]);
      assert.ok((await outbox(programme, 'meeting.scheduled')).length >= 1);

      const moved = Date.parse('2026-03-22T11:00:00Z');
      await step(programme, topicId, 'meetingSchedule', (s) => (s.event.start = new Date(moved).toISOString()));
      await call(server(), `/api/programmes/${programme}/topics`);
      const all = await jobs(programme, topicId);
      assert.deepEqual(all.map((j) => [j.state, j.run_at_ms]).sort(), [['cancelled', first - 24 * 3_600_000], ['pending', moved - 24 * 3_600_000]].sort());
      assert.ok((await outbox(programme, 'meeting.moved')).length >= 1, 'told it moved');

      now = first - 12 * 3_600_000; // the old reminder's moment: nothing
      assert.equal((await run()).jobs, 0);
      now = moved - 12 * 3_600_000;
      assert.equal((await run()).jobs, 1, 'the new reminder');
      assert.ok((await outbox(programme, 'meeting.reminder')).length >= 1);
    });
  },
  { clock: () => new Date(now), tokens: TOKENS, notify },
);

