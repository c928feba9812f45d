/**
 * E-mail over SMTP to a real `smtp-server` started here: each raw message is parsed with
 * `mailparser`, its calendar invite with `ical.js`; an SMTP server that refuses recipients (550)
 * is retried on the schedule, then dead-lettered.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ICAL from 'ical.js';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { NoticeIntent } from '@consult-kit/machine';
import { escapeText, foldLine, meetingIcs } from '../src/notifications/ics.js';
import { deliverDue } from '../src/notifications/outbox.js';
import { append, call, PEOPLE, perDatabase, topicSubmission, wuxiProgramme } from './helpers.js';
import { enqueue, outbox, startMailServer, testNotify, type MailServer } from './notify-fixture.js';

const T0 = Date.parse('2026-12-02T08:00:00Z');
const MIN = 60_000;

function meetingIntent(topicId: string, sequence: number, start: string, trigger: NoticeIntent['trigger'] = 'meeting.scheduled'): NoticeIntent {
  return {
    key: `e-${sequence}:${trigger}`,
    trigger,
    topicId,
    to: ['resident', 'participants'],
    vars: { title: '加装电梯, 3号楼; 一单元', topicId, start, place: '社区议事厅（二楼）', format: '线下', ...(trigger === 'meeting.moved' ? { previousStart: '2026-12-09T01:00:00.000Z' } : {}) },
    participantIds: ['c-001', 'nobody-listed'],
    meeting: { round: 1, start, place: '社区议事厅（二楼）', format: '线下', sequence },
    at: '2026-12-02T08:00:00.000Z',
  };
}

/** A raw header line as it was sent, unfolded (mailparser merges List-* headers into one structure). */
function headerLine(message: ParsedMail, key: string): string | undefined {
  return message.headerLines.find((l) => l.key === key)?.line.replace(/\r\n[ \t]+/g, ' ');
}

function parseIcs(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  return { method: calendar.getFirstPropertyValue('method'), event, sequence: event.sequence, start: event.startDate.toJSDate().toISOString(), end: event.endDate.toJSDate().toISOString() };
}

test('ics: lines end in CRLF, fold at 75 octets without splitting a character, texts escaped; ical.js reads it back', () => {
  assert.equal(escapeText('a\\b;c,d\ne'), 'a\\\\b\\;c\\,d\\ne');
  const long = `SUMMARY:${'协商'.repeat(40)}`;
  const folded = foldLine(long);
  for (const line of folded.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, line);
  assert.equal(folded.replace(/\r\n /g, ''), long);
  const intent = meetingIntent('t-ics', 2, '2026-12-10T02:00:00.000Z');
  const text = meetingIcs({ programmeId: 'wuxi', intent, texts: { 'zh-CN': { subject: '协商会议已安排：加装电梯, 3号楼; 一单元', text: '第一行\n第二行' }, en: { subject: 'x', text: 'y' } }, locale: 'zh-CN', from: 'Consult <consult@example.gov.cn>', nowMs: T0 });
  assert.ok(text.endsWith('\r\n'));
  assert.ok(!/[^\r]\n/.test(text), 'every line ends in CRLF');
  const parsed = parseIcs(text);
  assert.equal(parsed.method, 'REQUEST');
  assert.equal(parsed.event.summary, '协商会议已安排：加装电梯, 3号楼; 一单元');
  assert.equal(parsed.event.description, '第一行\n第二行');
  assert.equal(parsed.event.location, '社区议事厅（二楼）');
  assert.equal(parsed.event.uid, 'wuxi.t-ics.meeting-1@consult-kit');
  assert.equal(parsed.sequence, 2);
  assert.equal(parsed.start, '2026-12-10T02:00:00.000Z');
  assert.equal(parsed.end, '2026-12-10T04:00:00.000Z', 'two hours by default');
});

// The server's own notify options only say that it sends e-mail (so residents may subscribe by
// it); each test delivers with options pointing at its SMTP server.
perDatabase('e-mail over SMTP', ({ db, server }) => {
  let mail: MailServer;
  before(async () => {
    mail = await startMailServer();
  });
  after(() => mail.close());

  test('a meeting notice reaches the resident and the participant, in their languages, with a calendar invite and one-click unsubscribe for the resident', async () => {
    const programme = await wuxiProgramme(db());
    const submitted = await append(server(), programme, topicSubmission());
    assert.equal(submitted.status, 201, submitted.text);
    const topicId = String((submitted.body as { entry: { topicId: string } }).entry.topicId);
    const code = String(submitted.body!.followCode);
    const sub = await call(server(), `/api/programmes/${programme}/follow/${code}/subscriptions`, { body: { channel: 'email', address: 'Li.Wei@Example.org', locale: 'en' } });
    assert.equal(sub.status, 201, sub.text);

    const notify = testNotify({
      smtp: { url: mail.url, from: 'Consult-kit <consult@example.gov.cn>' },
      publicUrl: server().url,
      directory: { people: { 'c-001': { email: 'convener@example.gov.cn', locale: 'zh-CN' } }, parties: {}, programmes: {} },
    });
    const start = '2026-12-10T02:00:00.000Z';
    assert.equal(await enqueue(db(), programme, [meetingIntent(topicId, 0, start)], notify, T0), 2);
    const before = mail.messages.length;
    assert.deepEqual(await deliverDue(db(), { notify }, T0), { attempted: 2, sent: 2, retried: 0, dead: 0 });
    const got = mail.messages.slice(before);
    assert.equal(got.length, 2);
    const byTo = new Map(got.map((m) => [m.to[0], m]));

    const resident = await simpleParser(byTo.get('li.wei@example.org')!.raw);
    assert.equal(resident.subject, 'Consultation meeting scheduled: 加装电梯, 3号楼; 一单元');
    assert.match(resident.text ?? '', /will be held on/);
    assert.match(resident.text ?? '', /Unsubscribe in one click: http:\/\/127\.0\.0\.1:\d+\/api\/unsubscribe\/[A-Za-z0-9_-]{43}/);
    const unsubscribe = /http:\/\/\S+\/api\/unsubscribe\/[A-Za-z0-9_-]+/.exec(resident.text ?? '')![0];
    assert.equal(headerLine(resident, 'list-unsubscribe-post'), 'List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    assert.equal(headerLine(resident, 'list-unsubscribe'), `List-Unsubscribe: <${unsubscribe}>`);
    assert.match(resident.messageId ?? '', /^<msg_[0-9a-f]{32}@example\.gov\.cn>$/);
    const rows = await outbox(db(), programme);
    assert.ok(rows.some((r) => resident.messageId === `<${String(r.id)}@example.gov.cn>`), 'Message-ID is the outbox row id');

    const convener = await simpleParser(byTo.get('convener@example.gov.cn')!.raw);
    assert.equal(convener.subject, '协商会议已安排：加装电梯, 3号楼; 一单元');
    assert.equal(headerLine(convener, 'list-unsubscribe'), undefined, 'staff get no unsubscribe link');

    for (const message of [resident, convener]) {
      const calendar = message.attachments.find((a) => a.contentType === 'text/calendar');
      assert.ok(calendar, `an invite in ${message.subject}`);
      assert.ok(message.attachments.some((a) => a.filename === 'invite.ics'), 'and as an invite.ics file');
      const parsed = parseIcs(calendar.content.toString('utf8'));
      assert.equal(parsed.method, 'REQUEST');
      assert.equal(parsed.start, start);
      assert.equal(parsed.event.location, '社区议事厅（二楼）');
      assert.equal(parsed.sequence, 0);
      assert.equal(parsed.event.uid, `${programme}.${topicId}.meeting-1@consult-kit`);
      assert.ok(parsed.event.summary.length > 0);
    }

    // The meeting moves: the same event (UID), SEQUENCE 1, the new start.
    const moved = '2026-12-11T06:30:00.000Z';
    await enqueue(db(), programme, [meetingIntent(topicId, 1, moved, 'meeting.moved')], notify, T0 + MIN);
    const mark = mail.messages.length;
    await deliverDue(db(), { notify }, T0 + MIN);
    const update = await simpleParser(mail.messages.slice(mark).find((m) => m.to[0] === 'convener@example.gov.cn')!.raw);
    const invite = parseIcs(update.attachments.find((a) => a.contentType === 'text/calendar')!.content.toString('utf8'));
    assert.equal(invite.event.uid, `${programme}.${topicId}.meeting-1@consult-kit`);
    assert.equal(invite.sequence, 1);
    assert.equal(invite.start, moved);
    assert.match(update.subject ?? '', /变更/);

    // One click on the link (RFC 8058 POST, as a mail client sends it): the next notice skips the resident.
    const oneClick = await fetch(unsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(oneClick.status, 200);
    assert.equal(await enqueue(db(), programme, [meetingIntent(topicId, 2, moved, 'meeting.reminder')], notify, T0 + 2 * MIN), 1, 'only the participant now');
    const reminderMark = mail.messages.length;
    assert.equal((await deliverDue(db(), { notify }, T0 + 2 * MIN)).sent, 1);
    assert.deepEqual(mail.messages.slice(reminderMark).map((m) => m.to[0]), ['convener@example.gov.cn']);
  });

  test('an SMTP server that refuses the recipient (550): retried on schedule, then dead, the error without the address', async () => {
    const refusing = await startMailServer(true);
    try {
      const programme = await wuxiProgramme(db());
      const notify = testNotify({
        smtp: { url: refusing.url, from: 'consult@example.gov.cn' },
        directory: { people: {}, parties: { 'housing-bureau': { email: 'desk@housing.example.gov.cn' } }, programmes: {} },
      });
      const intent: NoticeIntent = {
        key: 't-550:measure.assigned:m-1',
        trigger: 'measure.assigned',
        topicId: 't-550',
        to: ['department'],
        vars: { title: '加装电梯', topicId: 't-550', measure: '评估', party: 'housing-bureau', due: '2026-12-31' },
        party: 'housing-bureau',
        at: '2026-12-02T08:00:00.000Z',
      };
      assert.equal(await enqueue(db(), programme, [intent], notify, T0), 1);
      assert.deepEqual(await deliverDue(db(), { notify }, T0), { attempted: 1, sent: 0, retried: 1, dead: 0 });
      const [row] = await outbox(db(), programme);
      assert.match(String(row!.last_error), /^SMTP .*550/);
      assert.ok(!String(row!.last_error).includes('housing.example'), 'no address in the error');
      assert.equal(Number(row!.next_at_ms), T0 + MIN);
      assert.deepEqual(await deliverDue(db(), { notify }, T0 + MIN), { attempted: 1, sent: 0, retried: 1, dead: 0 });
      assert.deepEqual(await deliverDue(db(), { notify }, T0 + 6 * MIN), { attempted: 1, sent: 0, retried: 0, dead: 1 });
      assert.equal(refusing.messages.length, 0);
      const list = await call(server(), `/api/programmes/${programme}/notices?state=dead`, { token: PEOPLE.admin.token });
      const [item] = list.body!.items as Record<string, unknown>[];
      assert.deepEqual(item!.recipient, { audience: 'department', party: 'housing-bureau', email: 'd***@housing.example.gov.cn' });
      assert.equal(item!.channel, 'email');
      // The server takes mail again: the replayed letter arrives.
      refusing.refuse = false;
      await call(server(), `/api/programmes/${programme}/notices/replay`, { body: { state: 'dead' }, token: PEOPLE.admin.token });
      assert.equal((await deliverDue(db(), { notify }, T0 + 7 * MIN)).sent, 1);
      assert.equal(refusing.messages.length, 1);
    } finally {
      await refusing.close();
    }
  });
}, { clock: () => new Date(T0), notify: testNotify({ smtp: { url: 'smtp://127.0.0.1:25', from: 'consult@example.gov.cn' } }) });
