/**
 * Every event is replayed through the machine: refusals come back as 422 with the machine's
 * refusal (which event, which state, why), seqs are assigned in order, and pulls page by cursor.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { append, call, PATHS, PEOPLE, perDatabase, story, topicSubmission, wuxiProgramme } from './helpers.js';

type Obj = Record<string, unknown>;

perDatabase('the lifecycle', ({ db, server }) => {
  const steps = story().filter((s) => !s.alternative);
  /** The story's steps up to (not including) `key`, re-keyed for a new topic. */
  const storyUntil = (key: string, topicId: string) => {
    const until = steps.findIndex((s) => s.key === key);
    return steps.slice(0, until).map(({ body }) => ({ ...body, id: `${body.id}-${topicId}`, topicId: body.topicId === steps[0]!.body.topicId ? topicId : `${body.topicId}-${topicId}` }));
  };

  it('a meeting.record without the five haves is refused: 422 with the refusal (event, state, why)', async () => {
    const programme = await wuxiProgramme(db());
    const topicId = `tp-${randomUUID()}`;
    for (const body of storyUntil('meetingRecord', topicId)) {
      if (body.event.type === 'screening.merge') body.event.into = topicId;
      const res = await append(server(), programme, body);
      assert.equal(res.status, 201, `${body.event.type}: ${res.text}`);
    }
    const record = steps.find((s) => s.key === 'meetingRecord')!.body;
    const withoutEffect = { ...record, id: `no-effect-${topicId}`, topicId, event: { ...record.event, effect: '   ' } };
    const res = await append(server(), programme, withoutEffect);
    assert.equal(res.status, 422);
    assert.equal(res.body?.type, '/problems/event-refused');
    const refusal = res.body?.refusal as Obj;
    assert.equal(refusal.code, 'five-haves');
    assert.equal(refusal.eventType, 'meeting.record');
    assert.equal(refusal.topicId, topicId);
    assert.equal(refusal.state, 'meeting.inSession.response');
    assert.deepEqual(refusal.accepts, ['meeting.record']);
    assert.equal(refusal.field, 'effect');
    assert.equal(res.body?.detail, refusal.message);
    // With the five haves it is accepted.
    assert.equal((await append(server(), programme, { ...record, id: `with-effect-${topicId}`, topicId })).status, 201);
  });

  it('an event for a topic never raised is refused as unknown-topic (state none)', async () => {
    const programme = await wuxiProgramme(db());
    const res = await append(server(), programme, { id: `e-${randomUUID()}`, topicId: 'tp-nobody', event: { type: 'screening.accept' }, by: { role: 'convener', id: PEOPLE.convener.id }, at: '2026-03-04T10:05:00+08:00' });
    assert.equal(res.status, 422);
    const refusal = res.body?.refusal as Obj;
    assert.equal(refusal.code, 'unknown-topic');
    assert.equal(refusal.state, 'none');
    assert.deepEqual(refusal.accepts, ['topic.submit']);
  });

  it('a merge into a topic that does not exist is refused; into one that does, accepted', async () => {
    const programme = await wuxiProgramme(db());
    const duplicate = topicSubmission();
    assert.equal((await append(server(), programme, duplicate)).status, 201);
    const merge = (into: string) => ({ id: `e-${randomUUID()}`, topicId: duplicate.topicId, event: { type: 'screening.merge', into }, by: { role: 'convener', id: PEOPLE.convener.id }, at: '2026-03-04T10:00:00+08:00' });
    const refused = await append(server(), programme, merge('tp-missing'));
    assert.equal(refused.status, 422);
    assert.equal((refused.body?.refusal as Obj).code, 'unknown-topic');
    const original = topicSubmission();
    assert.equal((await append(server(), programme, original)).status, 201);
    assert.equal((await append(server(), programme, merge(original.topicId))).status, 201);
  });

  it('a role the config\'s permissions leave out is 403 with the allowed roles', async () => {
    const programme = await wuxiProgramme(db(), (c) => (c.permissions = { ...(c.permissions as Obj), 'topic.submit': ['member', 'convener', 'admin'] }));
    const res = await append(server(), programme, topicSubmission());
    assert.equal(res.status, 403);
    assert.equal(res.body?.type, '/problems/forbidden');
    assert.deepEqual(res.body?.allowed, ['member', 'convener', 'admin']);
    assert.equal(res.body?.eventType, 'topic.submit');
  });

  it('seqs follow the order of acceptance; pulling after a cursor pages with more', async () => {
    const programme = await wuxiProgramme(db());
    const sent = [];
    for (let i = 0; i < 7; i += 1) {
      const res = await append(server(), programme, topicSubmission());
      assert.equal(res.status, 201);
      sent.push((res.body as { entry: Obj & { seq: number } }).entry);
    }
    assert.deepEqual(sent.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7]);
    const pull = async (query: string) => {
      const res = await call(server(), `/api/programmes/${programme}/events${query}`, { template: PATHS.events, token: PEOPLE.department.token });
      assert.equal(res.status, 200);
      return res.body as { entries: Array<Obj & { seq: number }>; cursor: string; more: boolean };
    };
    const first = await pull('?after=2&limit=2');
    assert.deepEqual(first.entries.map((e) => e.seq), [3, 4]);
    assert.equal(first.cursor, '4');
    assert.equal(first.more, true);
    const second = await pull(`?after=${first.cursor}&limit=3`);
    assert.deepEqual(second.entries.map((e) => e.seq), [5, 6, 7]);
    assert.equal(second.more, false);
    assert.deepEqual(second.entries, sent.slice(4));
    const all = await pull('');
    assert.deepEqual(all.entries, sent);
    assert.equal(all.cursor, '7');
    const empty = await pull('?after=0&limit=1');
    assert.deepEqual(empty.entries.map((e) => e.seq), [1]);
    const fresh = await wuxiProgramme(db());
    const none = await call(server(), `/api/programmes/${fresh}/events`, { template: PATHS.events, token: PEOPLE.convener.token });
    assert.deepEqual(none.body, { entries: [], cursor: '0', more: false });
  });

  it('programmes are apart: each has its own seq and log', async () => {
    const [a, b] = [await wuxiProgramme(db()), await wuxiProgramme(db())];
    const topic = topicSubmission();
    assert.equal(((await append(server(), a, topic)).body as { entry: { seq: number } }).entry.seq, 1);
    assert.equal(((await append(server(), b, topic)).body as { entry: { seq: number } }).entry.seq, 1, 'the same entry id in another programme is another entry');
  });
});
