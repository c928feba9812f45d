/**
 * Webhooks from the outbox to real HTTP receivers: each request's Standard Webhooks signature is
 * verified by the `standardwebhooks` package; receivers that are down, slow, answer 500 or 410
 * are retried on the schedule (time driven by the nowMs passed to deliverDue), then
 * dead-lettered, while the healthy endpoint's rows are delivered; an operator lists the dead
 * letters and replays them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { deliverDue } from '../src/notifications/outbox.js';
import { signWebhook } from '../src/notifications/webhook.js';
import { Webhook } from 'standardwebhooks';
import { call, PEOPLE, perDatabase, wuxiProgramme } from './helpers.js';
import { closedUrl, enqueue, intentFor, outbox, startHookReceiver, testNotify, type HookReceiver } from './notify-fixture.js';

const T0 = Date.parse('2026-12-02T08:00:00Z');
const MIN = 60_000;

test('signatures: ours verify with standardwebhooks, and a tampered body does not', () => {
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  const now = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ type: 'notice.topic.accepted', data: { title: '加装电梯' } });
  const signature = signWebhook(secret, 'msg_1', now, body);
  const verifier = new Webhook(secret);
  assert.doesNotThrow(() => verifier.verify(body, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(now), 'webhook-signature': signature }));
  assert.throws(() => verifier.verify(body.replace('加装', '拆除'), { 'webhook-id': 'msg_1', 'webhook-timestamp': String(now), 'webhook-signature': signature }));
  assert.throws(() => verifier.verify(body, { 'webhook-id': 'msg_2', 'webhook-timestamp': String(now), 'webhook-signature': signature }));
});

perDatabase('webhooks: retries, dead letters, replay', ({ db, server }) => {
  let good: HookReceiver, failing: HookReceiver, slow: HookReceiver, gone: HookReceiver;
  let downUrl: string;
  before(async () => {
    [good, failing, slow, gone] = await Promise.all([startHookReceiver('ok'), startHookReceiver('fail'), startHookReceiver('slow'), startHookReceiver('gone')]);
    downUrl = await closedUrl();
  });
  after(async () => {
    await Promise.all([good, failing, slow, gone].map((r) => r.close()));
  });

  test('each endpoint is tried on its own schedule; the healthy one is delivered at once, signed, with both languages', async () => {
    const programme = await wuxiProgramme(db());
    const notify = testNotify({
      webhooks: [good.endpoint('good'), failing.endpoint('failing'), slow.endpoint('slow'), gone.endpoint('gone'), { id: 'down', url: downUrl, secret: good.secret }],
      directory: { people: {}, parties: { 'housing-bureau': { name: '住建局', phone: '+8613800000000', locale: 'zh-CN' } }, programmes: {} },
    });
    const topicId = 't-hooks';
    assert.equal(await enqueue(db(), programme, [intentFor(topicId)], notify, T0), 5, 'one row per endpoint');
    assert.equal(await enqueue(db(), programme, [intentFor(topicId)], notify, T0 + 1), 0, 'the same notice queued again inserts nothing');

    const first = await deliverDue(db(), { notify }, T0);
    assert.deepEqual(first, { attempted: 5, sent: 1, retried: 3, dead: 1 });
    assert.equal(good.accepted.length, 1);
    const got = good.accepted[0]!;
    assert.equal(got.verified, true);
    assert.match(got.id, /^msg_[0-9a-f]{32}$/);
    const data = got.body.data as Record<string, unknown>;
    assert.equal(got.body.type, 'notice.measure.overdue');
    assert.equal(data.trigger, 'measure.overdue');
    assert.equal(data.audience, 'department');
    assert.deepEqual(data.recipient, { audience: 'department', party: 'housing-bureau', name: '住建局', phone: '+8613800000000', locale: 'zh-CN' });
    const texts = data.texts as Record<string, { subject: string; text: string }>;
    assert.match(texts['zh-CN']!.subject, /已超期/);
    assert.match(texts.en!.subject, /Overdue/);
    assert.match(texts['zh-CN']!.text, /委托可行性评估/);

    const rows = await outbox(db(), programme);
    const byTarget = Object.fromEntries(rows.map((r) => [r.target, r]));
    assert.equal(byTarget.good!.state, 'sent');
    assert.equal(byTarget.gone!.state, 'dead', '410 Gone is dead at once');
    assert.match(String(byTarget.gone!.last_error), /410/);
    for (const t of ['failing', 'slow', 'down']) {
      assert.equal(byTarget[t]!.state, 'pending', t);
      assert.equal(Number(byTarget[t]!.next_at_ms), T0 + MIN, `${t} waits the first delay`);
    }
    assert.equal(byTarget.failing!.last_error, 'HTTP 500');
    assert.match(String(byTarget.slow!.last_error), /no answer within 400 ms/);
    assert.match(String(byTarget.down!.last_error), /network error/);

    // Not due yet: nothing is tried.
    assert.equal((await deliverDue(db(), { notify }, T0 + MIN - 1)).attempted, 0);
    // Second try at +1 min, third (the last) at +1 + 5 min, then dead.
    assert.deepEqual(await deliverDue(db(), { notify }, T0 + MIN), { attempted: 3, sent: 0, retried: 3, dead: 0 });
    const second = Object.fromEntries((await outbox(db(), programme)).map((r) => [r.target, r]));
    assert.equal(Number(second.failing!.next_at_ms), T0 + 6 * MIN);
    assert.equal((await deliverDue(db(), { notify }, T0 + 6 * MIN - 1)).attempted, 0);
    assert.deepEqual(await deliverDue(db(), { notify }, T0 + 6 * MIN), { attempted: 3, sent: 0, retried: 0, dead: 3 });
    assert.equal((await deliverDue(db(), { notify }, T0 + 600 * MIN)).attempted, 0, 'dead rows are not tried again');

    // The failing receiver saw the same webhook-id on every attempt, each signed anew.
    assert.equal(failing.requests.length, 3);
    assert.equal(new Set(failing.requests.map((r) => r.id)).size, 1);
    assert.ok(failing.requests.every((r) => r.verified));
    assert.equal(good.accepted.length, 1, 'the healthy endpoint got its notice once');

    // The operator's dead-letter list: masked, with attempts and the last error.
    const list = await call(server(), `/api/programmes/${programme}/notices?state=dead`, { token: PEOPLE.admin.token, template: '/programmes/{programmeId}/notices' });
    assert.equal(list.status, 200, list.text);
    const items = list.body!.items as Record<string, unknown>[];
    assert.equal(list.body!.total, 4);
    assert.deepEqual(items.map((i) => i.target).sort(), ['down', 'failing', 'gone', 'slow']);
    const failingItem = items.find((i) => i.target === 'failing')!;
    assert.equal(failingItem.attempts, 3);
    assert.equal(failingItem.lastError, 'HTTP 500');
    assert.deepEqual(failingItem.recipient, { audience: 'department', party: 'housing-bureau', phone: '138****0000' });
    assert.ok(!list.text.includes('13800000000'), 'no phone number in the list');

    // Staff other than admins may not read it; nobody without a token either.
    assert.equal((await call(server(), `/api/programmes/${programme}/notices?state=dead`, { token: PEOPLE.convener.token })).status, 403);
    assert.equal((await call(server(), `/api/programmes/${programme}/notices?state=dead`)).status, 401);

    // The receiver is back: one replayed by id, then every dead letter.
    failing.mode = 'ok';
    const one = await call(server(), `/api/programmes/${programme}/notices/${String(failingItem.id)}/replay`, { method: 'POST', token: PEOPLE.admin.token, template: '/programmes/{programmeId}/notices/{noticeId}/replay' });
    assert.equal(one.status, 200, one.text);
    assert.equal(one.body!.replayed, 1);
    assert.equal((await call(server(), `/api/programmes/${programme}/notices/msg_nope/replay`, { method: 'POST', token: PEOPLE.admin.token })).status, 404);
    assert.deepEqual(await deliverDue(db(), { notify }, T0 + 601 * MIN), { attempted: 1, sent: 1, retried: 0, dead: 0 });
    assert.equal(failing.accepted.length, 1);
    assert.equal(failing.accepted[0]!.id, failing.requests[0]!.id, 'a replay keeps the webhook-id');

    gone.mode = 'ok';
    const all = await call(server(), `/api/programmes/${programme}/notices/replay`, { body: { state: 'dead' }, token: PEOPLE.admin.token, template: '/programmes/{programmeId}/notices/replay' });
    assert.equal(all.status, 200, all.text);
    assert.equal(all.body!.replayed, 3);
    const bad = await call(server(), `/api/programmes/${programme}/notices/replay`, { body: { state: 'sent' }, token: PEOPLE.admin.token });
    assert.equal(bad.status, 400);
    const last = await deliverDue(db(), { notify }, T0 + 602 * MIN);
    assert.equal(last.sent, 1, 'the gone receiver, back, takes it');
    assert.equal(gone.accepted.length, 1);
    const sentList = await call(server(), `/api/programmes/${programme}/notices?state=sent&limit=1`, { token: PEOPLE.admin.token, template: '/programmes/{programmeId}/notices' });
    assert.equal((sentList.body!.items as unknown[]).length, 1);
    assert.equal(sentList.body!.more, true);
    const next = await call(server(), `/api/programmes/${programme}/notices?state=sent&limit=1&cursor=${String(sentList.body!.cursor)}`, { token: PEOPLE.admin.token });
    assert.notEqual((next.body!.items as { id: string }[])[0]!.id, (sentList.body!.items as { id: string }[])[0]!.id);
  });

  test('two deliveries at once (on PostgreSQL, two connections) send each row once', async () => {
    const programme = await wuxiProgramme(db());
    const notify = testNotify({ webhooks: [good.endpoint('good')] });
    const intents = Array.from({ length: 40 }, (_, i) => intentFor(`t-c${i}`, { key: `t-c${i}:measure.overdue:m-1:2026-12-01` }));
    assert.equal(await enqueue(db(), programme, intents, notify, T0), 40);
    const before = good.requests.length;
    const reports = await Promise.all([deliverDue(db(), { notify, batch: 5 }, T0), deliverDue(db(), { notify, batch: 5 }, T0)]);
    assert.equal(reports[0]!.sent + reports[1]!.sent, 40);
    const got = good.requests.slice(before);
    assert.equal(got.length, 40, 'no row was sent twice');
    assert.equal(new Set(got.map((r) => r.id)).size, 40);
  });

  test('filters: an endpoint gets only its triggers, audiences and programmes; an audience nobody is listed for still reaches the city system', async () => {
    const programme = await wuxiProgramme(db());
    const before = good.accepted.length;
    const notify = testNotify({
      webhooks: [
        good.endpoint('dept-only', { audiences: ['department'] }),
        good.endpoint('accepted-only', { triggers: ['topic.accepted'] }),
        good.endpoint('other-programme', { programmes: ['elsewhere'] }),
        good.endpoint('residents', { audiences: ['resident'] }),
      ],
    });
    const intent = intentFor('t-filters', { to: ['department', 'supervisor', 'resident'] });
    // department → dept-only; supervisor: no endpoint takes it; resident: nobody opted in → one row without a phone.
    assert.equal(await enqueue(db(), programme, [intent], notify, T0), 2);
    await deliverDue(db(), { notify }, T0);
    const got = good.accepted.slice(before).map((r) => JSON.stringify((r.body.data as Record<string, unknown>).recipient));
    // Nobody in the directory (or no opt-in): the row says to whom, so the city's system can route it.
    assert.deepEqual(got.sort(), [JSON.stringify({ audience: 'department', party: 'housing-bureau' }), JSON.stringify({ audience: 'resident' })]);
  });
}, { clock: () => new Date(T0) });
