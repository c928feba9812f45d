/**
 * One programme walked end to end with a controllable clock, through every part at once: the
 * machine derives the notices from the log, the server's clock (tick) queues and fires them, and
 * the channels deliver them — e-mail to a real SMTP server (parsed with mailparser, the calendar
 * invites with ical.js) and webhooks to a real receiver that verifies every signature with
 * `standardwebhooks`. The resident subscribed by follow code; staff are in the notify file's
 * directory. A meeting is scheduled and moved (the invite's SEQUENCE goes up, its UID stays), a
 * measure passes its due date (the department, the convener and the supervisor are told), the
 * feedback opens the rating window, and the window's end closes the evaluation by itself.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import ICAL from 'ical.js';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Db } from '../src/db/db.js';
import { tick } from '../src/notifications/clock.js';
import type { NotifyOptions } from '../src/notifications/types.js';
import { append, call, DATABASES, PEOPLE, serve, story, topicSubmission, wuxiProgramme, type TestServer } from './helpers.js';
import { startHookReceiver, startMailServer, testNotify } from './notify-fixture.js';

const DAY = 86_400_000;
const RESIDENT = 'li.wei@example.org';

for (const database of DATABASES) {
  test(`a programme walked through a meeting, a due date and a rating window: every notice on its channel (${database.name})`, async (t) => {
    let now = Date.parse('2026-03-20T01:00:00Z');
    const clock = () => new Date(now);
    const db: Db = await database.open();
    const mail = await startMailServer();
    const city = await startHookReceiver('ok');
    const notify: NotifyOptions = testNotify({
      smtp: { url: mail.url, from: '社区议事厅 <consult@example.gov.cn>' },
      webhooks: [city.endpoint('case-system', { audiences: ['department', 'convener', 'supervisor'] })],
      directory: {
        people: { 'c-001': { email: 'zhang.lihua@example.gov.cn', locale: 'zh-CN' }, 's-007': { email: 'duban@example.gov.cn', locale: 'en' } },
        parties: { 'street-office': { email: 'desk@street.example.gov.cn' }, 'housing-bureau': { email: 'desk@housing.example.gov.cn' } },
        programmes: { '*': { supervisors: ['s-007'] } },
      },
    });
    const server: TestServer = await serve(db, { clock, notify });
    notify.publicUrl = server.url;
    t.after(async () => {
      await server.close();
      await db.close();
      await mail.close();
      await city.close();
    });
    const run = () => tick(db, { clock, notify, staleInFlightSeconds: 30 }, now);
    const steps = story();
    const send = async (topicId: string, key: string, change: (event: Record<string, unknown>) => void = () => {}) => {
      const s = structuredClone(steps.find((x) => x.key === key)!.body);
      change(s.event);
      const res = await append(server, programme, { ...s, id: `e-${randomUUID()}`, topicId, by: { role: 'admin' }, at: new Date(now).toISOString() }, { token: PEOPLE.admin.token });
      assert.equal(res.status, 201, `${key}: ${res.text}`);
    };
    let seen = 0;
    /** The e-mails that arrived since the last call, parsed, with their envelope recipient. */
    const newMail = async (): Promise<(ParsedMail & { to0: string })[]> => {
      const fresh = mail.messages.slice(seen);
      seen = mail.messages.length;
      return Promise.all(fresh.map(async (m) => Object.assign(await simpleParser(m.raw), { to0: m.to[0]! })));
    };
    const invite = (m: ParsedMail) => {
      const part = m.attachments.find((a) => a.contentType === 'text/calendar');
      assert.ok(part, `an invite in "${m.subject}"`);
      const event = new ICAL.Event(new ICAL.Component(ICAL.parse(part.content.toString('utf8'))).getFirstSubcomponent('vevent')!);
      return { uid: event.uid, sequence: event.sequence, start: event.startDate.toJSDate().toISOString(), location: event.location };
    };

    const programme = await wuxiProgramme(db);
    const submitted = await append(server, programme, { ...topicSubmission(), at: new Date(now).toISOString() });
    assert.equal(submitted.status, 201, submitted.text);
    const topicId = String((submitted.body!.entry as { topicId: string }).topicId);
    const sub = await call(server, `/api/programmes/${programme}/follow/${String(submitted.body!.followCode)}/subscriptions`, { body: { channel: 'email', address: RESIDENT, locale: 'en' } });
    assert.equal(sub.status, 201, sub.text);

    // Accepted: the resident is told, in English.
    await send(topicId, 'screeningAccept');
    await send(topicId, 'researchComplete');
    await run();
    let got = await newMail();
    assert.deepEqual(got.map((m) => [m.to0, m.subject?.split(':')[0]]), [[RESIDENT, 'Your topic was accepted']]);

    // A meeting in three days: the resident and the convener (a participant with an id) get an invite.
    const first = new Date(now + 3 * DAY).toISOString();
    await send(topicId, 'meetingSchedule', (e) => (e.start = first));
    await run();
    got = await newMail();
    assert.deepEqual(got.map((m) => m.to0).sort(), [RESIDENT, 'zhang.lihua@example.gov.cn']);
    const scheduled = got.map(invite);
    assert.ok(scheduled.every((i) => i.sequence === 0 && i.start === first));
    const uid = scheduled[0]!.uid;
    assert.equal(uid, `${programme}.${topicId}.meeting-1@consult-kit`);

    // Moved a day later: the same event (UID), SEQUENCE 1, the new start.
    const moved = new Date(now + 4 * DAY).toISOString();
    await send(topicId, 'meetingSchedule', (e) => (e.start = moved));
    await run();
    got = await newMail();
    assert.ok(got.length >= 2);
    for (const m of got.filter((x) => x.attachments.length > 0)) assert.deepEqual([invite(m).uid, invite(m).sequence, invite(m).start], [uid, 1, moved]);
    assert.ok(got.some((m) => m.to0 === RESIDENT && /moved/.test(m.subject ?? '')));

    // The meeting is held on its day and records two measures: each party is told.
    now = Date.parse(moved);
    for (const key of ['meetingStart', 'meetingAdvanceToDeliberation', 'meetingAdvanceToInteraction', 'meetingAdvanceToResponse', 'meetingRecord', 'measureAdopt']) await send(topicId, key);
    await run();
    got = await newMail();
    const assigned = got.filter((m) => /^交办|^Measure assigned/.test(m.subject ?? '')).map((m) => m.to0).sort();
    assert.deepEqual(assigned, ['desk@housing.example.gov.cn', 'desk@street.example.gov.cn']);

    // The street office's measure (due 2026-04-30, still open) passes its due date: the
    // department, the convener list and the supervisor are told, by e-mail and to the case system.
    const hooksBefore = city.accepted.length;
    now = Date.parse('2026-05-02T02:00:00Z');
    await run();
    got = await newMail();
    const overdue = got.filter((m) => /已超期|Overdue/.test(m.subject ?? ''));
    assert.ok(overdue.some((m) => m.to0 === 'desk@street.example.gov.cn'), 'the department');
    assert.ok(overdue.some((m) => m.to0 === 'duban@example.gov.cn' && /^Overdue/.test(m.subject ?? '')), 'the supervisor, in English');
    const hooks = city.accepted.slice(hooksBefore).filter((h) => h.body.type === 'notice.measure.overdue');
    assert.ok(hooks.length >= 2, 'the case system got the overdue notices');
    assert.ok(city.requests.every((r) => r.verified), 'every webhook signature verified by standardwebhooks');
    const list = await call(server, `/api/programmes/${programme}/overdue`, { token: PEOPLE.convener.token, template: '/programmes/{programmeId}/overdue' });
    assert.equal(list.status, 200, list.text);
    assert.ok((list.body!.items as { party: string }[]).some((i) => i.party === 'street-office'));

    // Feedback opens the rating: the resident is told both.
    for (const key of ['measureDecline', 'measureProgress', 'measureImplement', 'feedbackPublish']) await send(topicId, key);
    await run();
    got = await newMail();
    const toResident = got.filter((m) => m.to0 === RESIDENT).map((m) => m.subject?.split(':')[0]);
    assert.ok(toResident.includes('Feedback on your topic'), JSON.stringify(toResident));

    // The rating window ends: the clock closes the evaluation itself, in the log.
    now += 15 * DAY;
    const report = await run();
    assert.equal(report.closed, 1);
    const log = await call(server, `/api/programmes/${programme}/topics/${topicId}/events`, { token: PEOPLE.admin.token });
    const entries = log.body!.entries as { event: { type: string }; by: { id?: string } }[];
    const close = entries.find((e) => e.event.type === 'evaluation.close');
    assert.equal(close?.by.id, 'system:clock');

    // Nothing was left undelivered or dead.
    const states = await db.query<{ state: string; n: number }>('select state, count(*)::int as n from notice_outbox where programme_id = $1 group by state', [programme]);
    assert.deepEqual(states.map((s) => s.state), ['sent']);
  });
}
