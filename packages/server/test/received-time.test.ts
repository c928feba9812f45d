/**
 * Issue 16 points 6 and 7 on the server: it records when it received each event (`receivedAt`,
 * its own clock) beside the claimed `at`; the time rules count the claimed time only within the
 * config's offline grace (72 h) before receipt — tested with a device clock set wrong both ways —
 * and a replay of the stored log (figures, topic index, a second server) agrees with the appends.
 * Who may rate is the config's `raters`; the figures count ratings by kind, never by name.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { addDays } from '@consult-kit/machine';
import { append, call, PATHS, PEOPLE, perDatabase, serve, story, STORY_TO_EVALUATION, wuxiProgramme, type Answer, type TestServer } from './helpers.js';

type Obj = Record<string, unknown>;
interface Entry extends Obj {
  at: string;
  receivedAt?: string;
  seq: number;
}

/** The server's clock in this suite; each test sets it to play when the server receives a request. */
let serverNow = '2026-03-02T01:15:00.000Z';
const HOUR = 1 / 24;
const GRACE_DAYS = 72 / 24;

const STORY = story();
const body = (key: string) => structuredClone(STORY.find((s) => s.key === key)!.body);

/** The story's steps after topic.submit, up to the feedback (the evaluation opens with it). */
const TO_EVALUATION = STORY_TO_EVALUATION;

const entryOf = (res: Answer) => (res.body as { entry: Entry }).entry;

perDatabase(
  'received time and the offline grace',
  ({ db, server }) => {
    /**
     * A topic raised by a resident without an account (stamped with the follow code's subject)
     * and brought through the story, every device clock right (received when sent), up to the
     * step `until` (exclusive; default: into the evaluation). `change` edits a step before it is sent.
     */
    async function raise(programme: string, until?: string, change: (key: string, step: Obj) => void = () => {}) {
      const topicId = `tp-${randomUUID()}`;
      const submit = { ...body('topicSubmit'), id: `e-${randomUUID()}`, topicId, by: { role: 'resident' } };
      serverNow = new Date(submit.at).toISOString();
      const raised = await append(server(), programme, submit, { token: undefined });
      assert.equal(raised.status, 201, raised.text);
      for (const key of until ? TO_EVALUATION.slice(0, TO_EVALUATION.indexOf(until)) : TO_EVALUATION) {
        const step: Obj & { at: string } = { ...body(key), id: `e-${randomUUID()}`, topicId, by: { role: 'admin' } };
        const sent = new Date(step.at).toISOString();
        change(key, step);
        serverNow = sent;
        const res = await append(server(), programme, step, { token: PEOPLE.admin.token });
        assert.equal(res.status, 201, `${key}: ${res.text}`);
      }
      return { topicId, code: String(raised.body?.followCode), submitter: String(entryOf(raised).by && (entryOf(raised).by as Obj).id) };
    }

    /** A rating claimed at `at`, received at `received`, sent with the topic's follow code (no token). */
    async function rate(programme: string, topic: { topicId: string; code: string }, at: string, received: string, stars = 5): Promise<Answer> {
      serverNow = received;
      const rating = { ...body('ratingSubmit'), id: `e-${randomUUID()}`, topicId: topic.topicId, by: { role: 'resident' }, at, event: { type: 'rating.submit', stars } };
      return append(server(), programme, rating, { token: undefined, headers: { 'follow-code': topic.code } });
    }

    const windowEnd = () => addDays(new Date(body('feedbackPublish').at).toISOString(), 14);

    it('records when it received every entry beside the claimed at; the pull carries both', async () => {
      const programme = await wuxiProgramme(db());
      const submit = { ...body('topicSubmit'), id: `e-${randomUUID()}`, topicId: `tp-${randomUUID()}` };
      serverNow = '2026-03-05T08:00:00.000Z';
      const res = await append(server(), programme, submit, { token: undefined });
      assert.equal(res.status, 201, res.text);
      assert.equal(entryOf(res).at, submit.at, 'the claimed time, as sent');
      assert.equal(entryOf(res).receivedAt, '2026-03-05T08:00:00.000Z', 'the server clock');
      const [row] = await db().query<{ at: string; received: string }>('select at, received from log_entry where programme_id = $1', [programme]);
      assert.deepEqual(row, { at: submit.at, received: '2026-03-05T08:00:00.000Z' });
      for (const token of [undefined, PEOPLE.convener.token]) {
        const pulled = await call(server(), `/api/programmes/${programme}/events`, { template: PATHS.events, ...(token ? { token } : {}) });
        const [entry] = (pulled.body as { entries: Entry[] }).entries;
        assert.equal(entry!.receivedAt, '2026-03-05T08:00:00.000Z', token ? 'joined pull' : 'redacted pull');
      }
      // A retry of the same request answers the first entry, receipt and all.
      serverNow = '2026-03-06T08:00:00.000Z';
      const again = await append(server(), programme, submit, { token: undefined });
      assert.equal(again.status, 200);
      assert.equal(entryOf(again).receivedAt, '2026-03-05T08:00:00.000Z');
    });

    it('a rating claimed before the window closed: refused when received after the window and the grace, counted within it', async () => {
      const programme = await wuxiProgramme(db());
      const topic = await raise(programme);
      const claimed = addDays(windowEnd(), -HOUR);
      const late = await rate(programme, topic, claimed, addDays(windowEnd(), GRACE_DAYS + HOUR));
      assert.equal(late.status, 422, late.text);
      assert.equal((late.body?.refusal as Obj).code, 'rating-window-closed');

      const queued = await rate(programme, topic, claimed, addDays(windowEnd(), GRACE_DAYS - HOUR));
      assert.equal(queued.status, 201, queued.text);
      assert.equal(entryOf(queued).at, claimed);
      const figures = await call(server(), `/api/programmes/${programme}/figures`, { template: PATHS.figures });
      assert.equal(figures.body?.ratings, 1);
      assert.deepEqual(figures.body?.ratingsByKind, { submitter: 1, 'follow-code': 0, community: 0, participant: 0, 'staff-token': 0 }, 'by kind, never by name');
      assert.ok(!JSON.stringify(figures.body).includes(topic.submitter));
    });

    it('a device clock a year behind cannot back-date into a closed window; a year ahead cannot post-date an early close', async () => {
      const programme = await wuxiProgramme(db());
      const topic = await raise(programme);
      const afterClose = addDays(windowEnd(), GRACE_DAYS + 1);
      const behind = await rate(programme, topic, addDays(afterClose, -365), afterClose);
      assert.equal(behind.status, 422);
      assert.equal((behind.body?.refusal as Obj).code, 'rating-window-closed');

      const inWindow = addDays(windowEnd(), -2);
      const ahead = await rate(programme, topic, addDays(inWindow, 365), inWindow);
      assert.equal(ahead.status, 201, `counted when received: ${ahead.text}`);

      // Wuxi closes early only with 5 ratings: a close claimed after the window but received inside it is refused.
      serverNow = addDays(windowEnd(), -1);
      const close = { ...body('evaluationClose'), id: `e-${randomUUID()}`, topicId: topic.topicId, by: { role: 'admin' }, at: addDays(windowEnd(), 365) };
      const early = await append(server(), programme, close, { token: PEOPLE.admin.token });
      assert.equal(early.status, 422, early.text);
      assert.equal((early.body?.refusal as Obj).code, 'evaluation-open');
      serverNow = addDays(windowEnd(), HOUR);
      const onTime = await append(server(), programme, { ...close, id: `e-${randomUUID()}` }, { token: PEOPLE.admin.token });
      assert.equal(onTime.status, 201, onTime.text);
    });

    it('a deadline counts from when the meeting record was received, in the figures, the index and after a restart', async () => {
      const programme = await wuxiProgramme(db());
      const topic = await raise(programme, 'measureAdopt', (key, step) => {
        if (key !== 'meetingRecord') return;
        // No due dates: they default to the record's time + deadlineDays (30); its device says a year ago.
        const event = step.event as { measures: Obj[] };
        event.measures = event.measures.map(({ due: _due, ...m }) => m);
        step.at = addDays(new Date(String(step.at)).toISOString(), -365);
      });
      const record = body('meetingRecord');
      const received = new Date(record.at).toISOString();
      const dayAfter = encodeURIComponent(addDays(received, 1));
      const figures = await call(server(), `/api/programmes/${programme}/figures?now=${dayAfter}`, { template: PATHS.figures });
      assert.equal(figures.body?.measuresTotal, 2);
      assert.equal(figures.body?.measuresOverdue, 0, 'not overdue the day after the meeting, though the device said it was a year ago');
      const later = await call(server(), `/api/programmes/${programme}/figures?now=${encodeURIComponent(addDays(received, 31))}`, { template: PATHS.figures });
      assert.equal(later.body?.measuresOverdue, 2);

      const index = await call(server(), `/api/programmes/${programme}/topics?now=${dayAfter}`);
      assert.equal(index.status, 200, index.text);
      const summary = (index.body as { items: Array<{ topicId: string; measures: Array<{ due: string; overdue: boolean }> }> }).items.find((t) => t.topicId === topic.topicId)!;
      assert.deepEqual(summary.measures.map((m) => [m.due, m.overdue]), [
        [addDays(received, 30), false],
        [addDays(received, 30), false],
      ]);

      const second: TestServer = await serve(db(), { clock: () => new Date(serverNow) });
      try {
        const replayed = await call(second, `/api/programmes/${programme}/figures?now=${dayAfter}`, { template: PATHS.figures });
        assert.deepEqual(replayed.body, figures.body, 'a replay of the stored log gives the same figures');
      } finally {
        await second.close();
      }
    });

    it('who may rate is the config\'s: a token that is neither the submitter nor a portal resident is refused', async () => {
      const programme = await wuxiProgramme(db());
      const topic = await raise(programme);
      serverNow = addDays(windowEnd(), -3);
      const rating = { ...body('ratingSubmit'), id: `e-${randomUUID()}`, topicId: topic.topicId, by: { role: 'resident' }, at: serverNow };
      const res = await append(server(), programme, rating, { token: PEOPLE.resident.token });
      assert.equal(res.status, 422, res.text);
      assert.equal((res.body?.refusal as Obj).code, 'not-eligible-rater');
      assert.match(String(res.body?.detail ?? (res.body?.refusal as Obj).message), /raised the topic|portal/);
    });
  },
  { clock: () => new Date(serverNow) },
);
