/**
 * A resident's opt-in for one topic, end to end on the real server: subscribe by follow code
 * (masked answers, faults by pointer), the clock derives the notice from an accepted entry and
 * delivers it (e-mail to a real SMTP server, the phone to the city's SMS gateway webhook), the
 * one-click link stops the next notice and Undo brings them back, an erasure removes the address
 * from every table (searched byte for byte), and no log line holds an address, a token or a
 * secret.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { Writable } from 'node:stream';
import { tick } from '../src/notifications/clock.js';
import { deliverDue } from '../src/notifications/outbox.js';
import type { NotifyOptions } from '../src/notifications/types.js';
import type { Db } from '../src/db/db.js';
import { maskEmail, maskPhone, UNSUBSCRIBE_CSP } from '../src/notifications/routes.js';
import { append, call, DATABASES, PEOPLE, serve, story, topicSubmission, wuxiProgramme, type TestServer } from './helpers.js';
import { enqueue, everyTableText, intentFor, startHookReceiver, startMailServer, testNotify, type HookReceiver, type MailServer } from './notify-fixture.js';

const EMAIL = 'wang.xiuying@example.org';
const PHONE = '13912345678';
const T0 = Date.parse('2026-12-02T08:00:00Z');

test('masks: the first letter and the domain of an e-mail, the first three and last four digits of a mobile', () => {
  assert.equal(maskEmail('l.wei@example.org'), 'l***@example.org');
  assert.equal(maskPhone('+8613812345678'), '138****5678');
  assert.equal(maskPhone('+447700900123'), '+44******0123');
});

for (const database of DATABASES) {
  let db: Db;
  let server: TestServer;
  let mail: MailServer;
  let sms: HookReceiver;
  let notify: NotifyOptions;
  const logs: string[] = [];
  let now = T0;
  const clock = () => new Date(now);

  const subscribe = (programme: string, code: string, body: unknown) => call(server, `/api/programmes/${programme}/follow/${code}/subscriptions`, { body, template: '/programmes/{programmeId}/follow/{code}/subscriptions' });
  const raise = async (programme: string) => {
    const submitted = await append(server, programme, { ...topicSubmission(), at: new Date(now).toISOString() });
    assert.equal(submitted.status, 201, submitted.text);
    return { topicId: String((submitted.body!.entry as { topicId: string }).topicId), code: String(submitted.body!.followCode) };
  };
  const step = async (programme: string, topicId: string, key: string) => {
    const s = structuredClone(story().find((x) => x.key === key)!.body);
    const res = await append(server, programme, { ...s, id: `e-${randomUUID()}`, topicId, by: { role: 'admin' }, at: new Date(now).toISOString() }, { token: PEOPLE.admin.token });
    assert.equal(res.status, 201, `${key}: ${res.text}`);
  };
  const run = () => tick(db, { clock, notify, staleInFlightSeconds: 30 }, now);

  test(`subscriptions (${database.name})`, async (t) => {
    db = await database.open();
    mail = await startMailServer();
    sms = await startHookReceiver('ok');
    notify = testNotify({ smtp: { url: mail.url, from: 'consult@example.gov.cn' }, webhooks: [sms.endpoint('sms-gateway', { audiences: ['resident'] })] });
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    });
    server = await serve(db, { clock, notify, logLevel: 'info', logStream });
    notify.publicUrl = server.url;
    t.after(async () => {
      await server.close();
      await db.close();
      await mail.close();
      await sms.close();
    });

    const programme = await wuxiProgramme(db);
    const { topicId, code } = await raise(programme);

    await t.test('opt in: 201 with the address masked; the same address again is the same subscription; faults name their pointer without the address', async () => {
      const first = await subscribe(programme, code, { channel: 'email', address: ` ${EMAIL.toUpperCase()} `, locale: 'zh-CN' });
      assert.equal(first.status, 201, first.text);
      assert.equal(first.body!.address, 'w***@example.org');
      assert.equal(first.body!.channel, 'email');
      assert.match(String(first.body!.id), /^sub_/);
      const again = await subscribe(programme, code, { channel: 'email', address: EMAIL, locale: 'zh-CN' });
      assert.equal(again.status, 200);
      assert.equal(again.body!.id, first.body!.id);
      const phone = await subscribe(programme, code, { channel: 'sms', address: PHONE, locale: 'zh-CN' });
      assert.equal(phone.status, 201, phone.text);
      assert.equal(phone.body!.address, '139****5678');

      const bad = await subscribe(programme, code, { channel: 'email', address: 'not-an-address@', locale: 'en' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body!.type, '/problems/invalid-request');
      assert.deepEqual((bad.body!.errors as { pointer: string }[]).map((e) => e.pointer), ['/address']);
      assert.ok(!bad.text.includes('not-an-address'), 'the fault does not repeat the address');
      const badPhone = await subscribe(programme, code, { channel: 'sms', address: '12345', locale: 'en' });
      assert.deepEqual((badPhone.body!.errors as { pointer: string }[]).map((e) => e.pointer), ['/address']);
      const badChannel = await subscribe(programme, code, { channel: 'wechat', address: EMAIL });
      assert.deepEqual((badChannel.body!.errors as { pointer: string }[]).map((e) => e.pointer), ['/channel']);
      assert.equal((await subscribe(programme, 'ABCD-EFGH-JKMN', { channel: 'email', address: EMAIL })).status, 404, 'a wrong code');
      // A channel the server cannot send on is refused, not kept for nothing.
      const smtp = notify.smtp;
      delete notify.smtp;
      const noMail = await subscribe(programme, code, { channel: 'email', address: 'other@example.org' });
      notify.smtp = smtp;
      assert.equal(noMail.status, 400);
      assert.deepEqual((noMail.body!.errors as { pointer: string }[]).map((e) => e.pointer), ['/channel']);

      const list = await call(server, `/api/programmes/${programme}/follow/${code}/subscriptions`, { template: '/programmes/{programmeId}/follow/{code}/subscriptions' });
      assert.equal(list.status, 200);
      assert.deepEqual((list.body!.items as { address: string }[]).map((i) => i.address).sort(), ['139****5678', 'w***@example.org']);
      assert.ok(!list.text.includes(EMAIL) && !list.text.includes(PHONE));
    });

    await t.test('the clock tells the resident that the topic was accepted: an e-mail with the one-click link, the phone to the SMS gateway', async () => {
      now += 60_000;
      await step(programme, topicId, 'screeningAccept');
      const mark = mail.messages.length;
      await run();
      const emails = mail.messages.slice(mark);
      assert.equal(emails.length, 1);
      assert.deepEqual(emails[0]!.to, [EMAIL]);
      const parsed = await simpleParser(emails[0]!.raw);
      assert.match(parsed.subject ?? '', /您的议题已受理/);
      assert.match(parsed.text ?? '', /一键退订/);
      const hook = sms.accepted.at(-1)!;
      assert.equal(hook.verified, true);
      const data = hook.body.data as { recipient: { phone: string }; trigger: string; unsubscribeUrl: string };
      assert.equal(data.trigger, 'topic.accepted');
      assert.equal(data.recipient.phone, `+86${PHONE}`);
      assert.match(data.unsubscribeUrl, /\/api\/unsubscribe\/[A-Za-z0-9_-]{43}$/);
      assert.equal(await run().then((r) => r.delivered), 0, 'a second tick sends nothing again');
    });

    await t.test('the one-click link unsubscribes at once (a page with a strict CSP and Undo); the next notice skips the address; Undo brings it back', async () => {
      const parsed = await simpleParser(mail.messages.at(-1)!.raw);
      const link = /http:\/\/\S+\/api\/unsubscribe\/[A-Za-z0-9_-]+/.exec(parsed.text ?? '')![0];
      const page = await fetch(link);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.equal(page.headers.get('content-security-policy'), UNSUBSCRIBE_CSP);
      assert.match(UNSUBSCRIBE_CSP, /default-src 'none'/);
      assert.match(UNSUBSCRIBE_CSP, /form-action 'self'/);
      assert.doesNotMatch(UNSUBSCRIBE_CSP, /unsafe-inline/);
      assert.match(html, /您将不再收到关于/);
      assert.match(html, /you will get no more messages about/);
      assert.match(html, /<form method="post" action="\/api\/unsubscribe\/[A-Za-z0-9_-]+\/undo">/);
      assert.ok(!html.includes(EMAIL) && !html.includes('<script'), 'no address, no script');

      const mark = mail.messages.length;
      const hooks = sms.accepted.length;
      now += 60_000;
      assert.equal(await enqueue(db, programme, [intentFor(topicId, { key: `${topicId}:x1`, trigger: 'feedback.published', to: ['resident'], vars: { title: '', topicId, feedback: '已完成' } })], notify, now), 1, 'the phone only');
      await deliverDue(db, { notify }, now);
      assert.equal(mail.messages.length, mark, 'no e-mail after unsubscribing');
      assert.equal(sms.accepted.length, hooks + 1);

      const undo = await fetch(`${link}/undo`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      assert.equal(undo.status, 200);
      assert.match(await undo.text(), /again/);
      assert.equal(await enqueue(db, programme, [intentFor(topicId, { key: `${topicId}:x2`, trigger: 'feedback.published', to: ['resident'], vars: { title: '', topicId, feedback: '已完成' } })], notify, now), 2);
      await deliverDue(db, { notify }, now);
      assert.equal(mail.messages.length, mark + 1, 'e-mails again after Undo');

      const wrong = await fetch(`${server.url}/api/unsubscribe/${'x'.repeat(43)}`);
      assert.equal(wrong.status, 404);
      assert.match(await wrong.text(), /not valid/);
    });

    await t.test('cancel by follow code: the subscription ends and its queued messages are never sent', async () => {
      const list = await call(server, `/api/programmes/${programme}/follow/${code}/subscriptions`, { template: '/programmes/{programmeId}/follow/{code}/subscriptions' });
      const phone = (list.body!.items as { id: string; channel: string }[]).find((i) => i.channel === 'sms')!;
      now += 60_000;
      await enqueue(db, programme, [intentFor(topicId, { key: `${topicId}:x3`, trigger: 'feedback.published', to: ['resident'], vars: { title: '', topicId, feedback: '已完成' } })], notify, now);
      const cancel = await call(server, `/api/programmes/${programme}/follow/${code}/subscriptions/${phone.id}/cancel`, { method: 'POST', template: '/programmes/{programmeId}/follow/{code}/subscriptions/{subscriptionId}/cancel' });
      assert.equal(cancel.status, 200, cancel.text);
      assert.deepEqual(cancel.body, { id: phone.id, cancelled: true });
      const hooks = sms.accepted.length;
      await deliverDue(db, { notify }, now);
      assert.equal(sms.accepted.length, hooks, 'the queued SMS was dropped');
      assert.equal((await call(server, `/api/programmes/${programme}/follow/${code}/subscriptions/sub_nope/cancel`, { method: 'POST' })).status, 404);
    });

    await t.test('an erasure of the topic removes the address from every table', async () => {
      const before = await everyTableText(db);
      assert.ok(before.includes(EMAIL), 'the address is held before');
      const exported = await call(server, `/api/programmes/${programme}/exports?topicId=${topicId}`, { token: PEOPLE.admin.token, template: '/programmes/{programmeId}/exports' });
      assert.equal(exported.status, 200, exported.text);
      assert.ok((exported.body!.subscriptions as { address: string }[]).some((s) => s.address === EMAIL), 'the export lists the subscription');
      const erased = await call(server, `/api/programmes/${programme}/erasures`, { body: { topicId }, token: PEOPLE.admin.token, template: '/programmes/{programmeId}/erasures' });
      assert.equal(erased.status, 200, erased.text);
      assert.equal((erased.body!.erasure as { subscriptions: number }).subscriptions, 2);
      const after = await everyTableText(db);
      for (const needle of [EMAIL, PHONE, 'w***@']) assert.ok(!after.includes(needle), `${needle} is gone from every table`);
    });

    await t.test('an erasure by value (the phone as typed) removes that subscription of another topic', async () => {
      const other = await raise(programme);
      assert.equal((await subscribe(programme, other.code, { channel: 'sms', address: PHONE })).status, 201);
      assert.ok((await everyTableText(db)).includes(PHONE));
      const erased = await call(server, `/api/programmes/${programme}/erasures`, { body: { value: PHONE }, token: PEOPLE.admin.token });
      assert.equal(erased.status, 200, erased.text);
      assert.ok(!(await everyTableText(db)).includes(PHONE));
    });

    await t.test('no log line holds an address, a token or a secret', () => {
      const text = logs.join('');
      assert.ok(text.length > 0);
      assert.ok(text.includes('/unsubscribe/…'), 'the unsubscribe path is masked');
      for (const needle of [EMAIL, PHONE, EMAIL.toUpperCase(), sms.secret.slice(6, 30)]) assert.ok(!text.includes(needle), `no ${needle.slice(0, 3)}… in the log`);
      assert.doesNotMatch(text, /\/api\/unsubscribe\/[A-Za-z0-9_-]{20,}/);
    });
  });
}
