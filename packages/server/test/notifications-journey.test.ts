/**
 * Issue 17's done-when test: a programme run through a meeting, a measure's due dates and a
 * rating window on the server's controllable clock, with every channel real — a webhook receiver
 * that verifies each Standard Webhooks signature with the `standardwebhooks` package, and a real
 * `smtp-server` whose raw messages are parsed with `mailparser` and whose calendar invites are
 * read with `ical.js`. It asserts what the people involved would see: the resident's e-mails
 * (accepted, meeting with invite, feedback, rating opened and closing), the participant's
 * invite and reminder, the department's assignment, due-soon and overdue notices, the
 * supervisor's overdue notice and list, and the evaluation closed by the server itself in the log.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Db } from '../src/db/db.js';
import { tick } from '../src/notifications/clock.js';
import type { NotifyOptions } from '../src/notifications/types.js';
import { append, call, DATABASES, PEOPLE, serve, story, topicSubmission, wuxiProgramme, type TestServer } from './helpers.js';
import { startHookReceiver, startMailServer, testNotify, type HookReceiver, type MailServer } from './notify-fixture.js';

type Obj = Record<string, unknown>;

const STORY = story();
const body = (key: string) => structuredClone(STORY.find((s) => s.key === key)!.body);

for (const database of DATABASES) {
  describe(`a programme through its deadlines, told by webhook and e-mail (${database.name})`, () => {
    let now = Date.parse('2026-03-04T01:00:00Z');
    const iso = () => new Date(now).toISOString();
    const notify: NotifyOptions = testNotify();
    let db: Db;
    let server: TestServer;
    let hooks: HookReceiver;
    let mail: MailServer;
    let programme = '';
    let topicId = '';
    let meetingStart = '';
    /** Every message the SMTP server got, parsed, with its envelope recipient. */
    const mails: { to: string; message: ParsedMail }[] = [];

    before(async () => {
      hooks = await startHookReceiver('ok');
      mail = await startMailServer();
      Object.assign(notify, {
        webhooks: [hooks.endpoint('city-case-system')],
        smtp: { url: mail.url, from: 'Consult-kit <consult@example.gov.cn>' },
        directory: {
          people: {
            'c-001': { email: 'zhang.lihua@example.gov.cn', locale: 'zh-CN' },
            'sup-01': { email: 'supervisor@example.gov.cn', locale: 'en' },
          },
          parties: { 'housing-bureau': { email: 'housing@example.gov.cn', locale: 'zh-CN' } },
          programmes: { '*': { conveners: ['c-001'], supervisors: ['sup-01'] } },
        },
      });
      db = await database.open();
      server = await serve(db, { clock: () => new Date(now), notify });
      notify.publicUrl = server.url;
      programme = await wuxiProgramme(db);
    });
    after(async () => {
      await server?.close();
      await db?.close();
      await hooks?.close();
      await mail?.close();
    });

    /** Runs the server's clock once at `now` and collects the new mail. */
    async function runClock() {
      const seen = mail.messages.length;
      const report = await tick(db, { clock: () => new Date(now), notify, staleInFlightSeconds: 30 }, now);
      for (const m of mail.messages.slice(seen)) mails.push({ to: m.to[0]!, message: await simpleParser(m.raw) });
      return report;
    }
    /** Sends a story step claimed at the clock's now, as its own sender's role with the admin token. */
    async function step(key: string, change: (s: Obj & { event: Obj }) => void = () => {}) {
      const s: Obj & { event: Obj } = { ...body(key), id: `e-${randomUUID()}`, topicId, by: { role: 'admin' }, at: iso() };
      change(s);
      const res = await append(server, programme, s, { token: PEOPLE.admin.token });
      assert.equal(res.status, 201, `${key}: ${res.text}`);
    }
    const mailsTo = (address: string) => mails.filter((m) => m.to === address).map((m) => m.message);
    const hooksFor = (trigger: string) => hooks.accepted.filter((h) => (h.body.data as Obj).trigger === trigger);
    const invite = (message: ParsedMail) => {
      const part = message.attachments.find((a) => a.contentType === 'text/calendar');
      assert.ok(part, `a calendar invite in "${message.subject}"`);
      const calendar = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
      return new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    };

    it('the resident raises a topic and asks to be told by e-mail; screening tells them it was accepted', async () => {
      const submitted = await append(server, programme, { ...topicSubmission(), at: iso() });
      assert.equal(submitted.status, 201, submitted.text);
      topicId = String((submitted.body!.entry as Obj).topicId);
      const code = String(submitted.body!.followCode);
      const sub = await call(server, `/api/programmes/${programme}/follow/${code}/subscriptions`, { body: { channel: 'email', address: 'li.wei@example.org', locale: 'en' } });
      assert.equal(sub.status, 201, sub.text);

      await step('screeningAccept');
      await runClock();
      const [accepted, ...more] = mailsTo('li.wei@example.org');
      assert.equal(more.length, 0);
      assert.match(accepted!.subject ?? '', /^Your topic was accepted: /);
      assert.match(accepted!.text ?? '', /passed screening/);
      assert.match(accepted!.text ?? '', /\/api\/unsubscribe\//, 'every resident message carries its one-click unsubscribe link');
      const [hook] = hooksFor('topic.accepted');
      assert.ok(hook?.verified, 'the city system verified the signature');
      assert.equal((hook.body.data as Obj).topicId, topicId);
    });

    it('a meeting in three days: an invite to the resident and the convener, then a reminder the day before', async () => {
      await step('researchComplete');
      const start = new Date(now + 3 * 86_400_000).toISOString();
      meetingStart = start;
      await step('meetingSchedule', (s) => {
        s.event.start = start;
      });
      await runClock();
      for (const address of ['li.wei@example.org', 'zhang.lihua@example.gov.cn']) {
        const message = mailsTo(address).find((m) => /meeting|会议/i.test(m.subject ?? ''));
        assert.ok(message, `${address} is told of the meeting`);
        const event = invite(message);
        assert.equal(event.startDate.toJSDate().toISOString(), start);
        assert.equal(event.location, '幸福里小区3号楼前院坝');
        assert.equal(event.sequence, 0);
      }
      assert.equal(hooksFor('meeting.reminder').length, 0, 'no reminder three days ahead');

      now += 2 * 86_400_000 + 3_600_000; // 23 hours before the meeting
      await runClock();
      const reminder = mailsTo('zhang.lihua@example.gov.cn').find((m) => /提醒/.test(m.subject ?? ''));
      assert.ok(reminder, 'the convener gets the reminder');
      assert.equal(invite(reminder).startDate.toJSDate().toISOString(), start);
      assert.ok(hooksFor('meeting.reminder').length >= 1);
      await runClock();
      assert.equal(mailsTo('zhang.lihua@example.gov.cn').filter((m) => /提醒/.test(m.subject ?? '')).length, 1, 'a second tick sends no second reminder');
    });

    it('the meeting assigns a measure to the housing bureau, which is told when it is due soon and when it is overdue; so are the convener and the supervisor', async () => {
      now = Date.parse(meetingStart);
      for (const key of ['meetingStart', 'meetingAdvanceToDeliberation', 'meetingAdvanceToInteraction', 'meetingAdvanceToResponse']) await step(key);
      await step('meetingRecord', (s) => {
        const measures = s.event.measures as Obj[];
        measures[0]!.due = '2026-03-20';
      });
      await step('measureAdopt');
      await step('measureDecline');
      await runClock();
      const assigned = mailsTo('housing@example.gov.cn');
      assert.equal(assigned.length, 1);
      assert.match(assigned[0]!.subject ?? '', /^交办：/);

      now = Date.parse('2026-03-18T02:00:00Z');
      await runClock();
      const dueSoon = mailsTo('housing@example.gov.cn').filter((m) => /即将到期/.test(m.subject ?? ''));
      assert.equal(dueSoon.length, 1, 'due soon, three days ahead');
      assert.equal(mailsTo('supervisor@example.gov.cn').length, 0, 'the supervisor hears nothing before it is overdue');

      now = Date.parse('2026-03-21T02:00:00Z'); // the morning after its due date (20 March)
      await runClock();
      assert.equal(mailsTo('housing@example.gov.cn').filter((m) => /已超期/.test(m.subject ?? '')).length, 1);
      assert.equal(mailsTo('zhang.lihua@example.gov.cn').filter((m) => /已超期/.test(m.subject ?? '')).length, 1);
      const [supervisor, ...others] = mailsTo('supervisor@example.gov.cn');
      assert.equal(others.length, 0);
      assert.match(supervisor!.subject ?? '', /^Overdue: /);
      assert.match(supervisor!.text ?? '', /March 20, 2026/);
      assert.match(supervisor!.text ?? '', /\b1 day\b/);

      now = Date.parse('2026-03-23T02:00:00Z');
      await runClock();
      assert.equal(mailsTo('supervisor@example.gov.cn').length, 1, 'told once, not every day');
      const list = await call(server, `/api/programmes/${programme}/overdue`, { token: PEOPLE.admin.token });
      assert.equal(list.status, 200, list.text);
      const items = list.body!.items as Obj[];
      assert.deepEqual(
        items.map((i) => [i.topicId, i.measureId, i.party, i.overdueDays]),
        [[topicId, 'lift-b3-install', 'housing-bureau', 2]],
        'the list counts at the server clock: two days now',
      );
      const board = await call(server, `/api/programmes/${programme}/topics?overdue=true`);
      assert.deepEqual((board.body!.items as Obj[]).map((t) => t.topicId), [topicId]);
      assert.equal(board.body!.asOf, iso(), 'the index counts at the server clock');
    });

    it('feedback opens the rating; the resident is told, reminded before it closes, and the server closes the window itself', async () => {
      now = Date.parse('2026-03-24T02:00:00Z');
      await step('measureProgress');
      await step('measureImplement');
      await step('feedbackPublish');
      await runClock();
      const list = await call(server, `/api/programmes/${programme}/overdue`, { token: PEOPLE.admin.token });
      assert.deepEqual(list.body!.items, [], 'implemented: off the supervisor\'s list');
      const resident = mailsTo('li.wei@example.org').map((m) => m.subject ?? '');
      assert.ok(resident.some((s) => s.startsWith('Feedback on your topic')), resident.join(' | '));
      assert.ok(resident.some((s) => s.startsWith('Please rate the outcome')), resident.join(' | '));

      now += 13 * 86_400_000; // 14-day window: a day before it ends
      await runClock();
      assert.ok(mailsTo('li.wei@example.org').some((m) => /^Rating closes soon/.test(m.subject ?? '')));
      const closeAt = now + 2 * 86_400_000;
      now = closeAt;
      const report = await runClock();
      assert.equal(report.closed, 1);
      const log = await call(server, `/api/programmes/${programme}/topics/${topicId}/events`, { token: PEOPLE.admin.token });
      const entries = log.body!.entries as Obj[];
      const close = entries.find((e) => (e.event as Obj).type === 'evaluation.close');
      assert.ok(close, 'evaluation.close is in the log');
      assert.equal((close.by as Obj).id, 'system:clock');
      assert.equal(close.receivedAt, new Date(closeAt).toISOString());
      await runClock();
      const again = await call(server, `/api/programmes/${programme}/topics/${topicId}/events`, { token: PEOPLE.admin.token });
      assert.equal((again.body!.entries as Obj[]).filter((e) => (e.event as Obj).type === 'evaluation.close').length, 1, 'closed once');
    });

    it('every webhook was signed and verified, each notice once per recipient', () => {
      assert.ok(hooks.requests.length > 0);
      assert.ok(hooks.requests.every((r) => r.verified), 'every signature verifies with standardwebhooks');
      const ids = hooks.accepted.map((h) => h.id);
      assert.equal(new Set(ids).size, ids.length, 'no webhook-id delivered twice');
      const triggers = new Set(hooks.accepted.map((h) => String((h.body.data as Obj).trigger)));
      for (const t of ['topic.accepted', 'meeting.scheduled', 'meeting.reminder', 'measure.assigned', 'measure.dueSoon', 'measure.overdue', 'feedback.published', 'rating.opened', 'rating.closing']) {
        assert.ok(triggers.has(t), `the city system heard ${t}`);
      }
      const messageIds = mails.map((m) => m.message.messageId);
      assert.equal(new Set(messageIds).size, messageIds.length, 'no e-mail sent twice');
    });
  });
}
