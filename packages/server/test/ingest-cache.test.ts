/**
 * The append path's replayed-topic cache and its claims in the transaction (event-log.ts): a
 * process keeps the states of the topics it appended to, and brings them up to the log under the
 * programme's lock before each check. Another process (here: a second app on the same database
 * through another `Db` object, which has a cache and an append queue of its own, exactly as a
 * second process would) appending in between must never be missed: a stale state must not accept
 * an event the log refuses, nor refuse one it accepts. Also: the same key sent to both at once
 * binds once, a config version published by another process is noticed under the lock, and each
 * committed append is published on `consult-kit:append`.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { EventSubmission } from '../src/contract.js';
import type { Db } from '../src/db/db.js';
import { appendEvent, forgetReplayedTopics } from '../src/event-log.js';
import { APPEND_CHANNEL_NAME, type AppendMessage } from '../src/observability/channels.js';
import { upsertProgramme } from '../src/programmes.js';
import { append, exampleConfig, perDatabase, PEOPLE, serve, story, tokenFor, topicSubmission, wuxiProgramme, type TestServer } from './helpers.js';

type Obj = Record<string, unknown>;

/** The same database through another `Db` object: its own topic cache and append queue, as another process has. */
function anotherProcess(db: Db): Db {
  return {
    kind: db.kind,
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    close: async () => {},
  };
}

/** A story step's body for a topic, with a new id. */
function step(key: string, topicId: string): StoryStep {
  const found = story().find((s) => s.key === key)!;
  return { ...found.body, id: `e-${randomUUID()}`, topicId } as StoryStep;
}
type StoryStep = ReturnType<typeof story>[number]['body'];

/** Sends a story step with its sender's token. */
function send(server: TestServer, programme: string, body: StoryStep) {
  const token = tokenFor(body.by);
  return append(server, programme, body, token ? { token } : {});
}

perDatabase('ingest: replayed topics kept between appends', ({ db, server }) => {
  it('an event another process appended in between is seen: a stale state accepts nothing the log refuses', async () => {
    const programme = await wuxiProgramme(db());
    const other = await serve(anotherProcess(db()));
    try {
      const raised = topicSubmission();
      assert.equal((await append(server(), programme, raised)).status, 201); // this process now keeps the topic's state
      const accept = step('screeningAccept', raised.topicId);
      assert.equal((await send(other, programme, accept)).status, 201); // the other process accepts it
      // Accepted already: this process's kept state ("submitted") would accept it again.
      const again = await send(server(), programme, step('screeningAccept', raised.topicId));
      assert.equal(again.status, 422, again.text);
      assert.equal(again.body?.type, '/problems/event-refused');
      // And the next step, which only the accepted topic takes, is accepted here.
      const next = await send(server(), programme, step('researchComplete', raised.topicId));
      assert.equal(next.status, 201, next.text);
      const rows = await db().query<{ seq: number; type: string }>(`select seq, event->>'type' as type from log_entry where programme_id = $1 and topic_id = $2 order by seq`, [
        programme,
        raised.topicId,
      ]);
      assert.deepEqual(
        rows.map((r) => r.type),
        ['topic.submit', 'screening.accept', 'research.complete'],
      );
      assert.deepEqual(
        rows.map((r) => r.seq),
        [1, 2, 3],
      );
    } finally {
      await other.close();
    }
  });

  it('two processes taking turns on one topic each see the other: the log is the whole story, in one order', async () => {
    const programme = await wuxiProgramme(db());
    const other = await serve(anotherProcess(db()));
    try {
      const raised = topicSubmission();
      assert.equal((await append(other, programme, raised)).status, 201);
      const keys = ['screeningAccept', 'researchComplete', 'meetingSchedule', 'meetingStart'];
      for (const [i, key] of keys.entries()) {
        const here = i % 2 === 0 ? server() : other;
        const answer = await send(here, programme, step(key, raised.topicId));
        assert.equal(answer.status, 201, `${key}: ${answer.text}`);
        // Each step needs the one the other process took before it. And the one that did not send
        // it would take a step that cannot be repeated again if its state were stale.
        if (key === 'screeningAccept' || key === 'researchComplete') {
          const repeat = await send(i % 2 === 0 ? other : server(), programme, step(key, raised.topicId));
          assert.equal(repeat.status, 422, `${key} again: ${repeat.text}`);
        }
      }
      const [count] = await db().query<{ n: number }>('select count(*)::int as n from log_entry where programme_id = $1', [programme]);
      assert.equal(count!.n, 1 + keys.length);
    } finally {
      await other.close();
    }
  });

  it('appendEvent directly: a state kept before another process appended is brought up to the log first', async () => {
    const programme = await wuxiProgramme(db());
    const second = anotherProcess(db());
    const raised = topicSubmission() as unknown as EventSubmission;
    const convener = { role: PEOPLE.convener.role, id: PEOPLE.convener.id, name: PEOPLE.convener.name };
    const accept = (): EventSubmission => ({ id: `e-${randomUUID()}`, topicId: raised.topicId, event: { type: 'screening.accept' }, by: convener, at: '2026-03-03T10:00:00+08:00' }) as EventSubmission;
    const claim = (s: EventSubmission) => ({ key: s.id, fingerprint: `fp-${s.id}` });
    assert.equal((await appendEvent(db(), programme, raised, claim(raised))).kind, 'appended');
    const first = accept();
    assert.equal((await appendEvent(second, programme, first, claim(first))).kind, 'appended');
    const stale = accept();
    const result = await appendEvent(db(), programme, stale, claim(stale));
    assert.equal(result.kind, 'refused');
    // Forgetting the kept states changes nothing: the log decides.
    forgetReplayedTopics(db(), programme);
    const fresh = accept();
    assert.equal((await appendEvent(db(), programme, fresh, claim(fresh))).kind, 'refused');
    const keys = await db().query<{ key: string }>('select key from idempotency_key where programme_id = $1 order by seq', [programme]);
    assert.deepEqual(
      keys.map((k) => k.key),
      [raised.id, first.id],
      'refused events bind no key',
    );
  });

  it('the same key sent to both processes at once binds once; every other answer is the first one replayed', async () => {
    const programme = await wuxiProgramme(db());
    const other = await serve(anotherProcess(db()));
    try {
      const body = topicSubmission();
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => append(i % 2 ? other : server(), programme, body)));
      const statuses = answers.map((a) => a.status).sort();
      assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join(' '));
      assert.ok(
        answers.every((a) => a.status === 201 || a.status === 200),
        statuses.join(' '),
      );
      const first = answers.find((a) => a.status === 201)!;
      for (const a of answers.filter((x) => x.status === 200)) {
        assert.equal(a.headers.get('idempotent-replayed'), 'true');
        assert.deepEqual((a.body as { entry: Obj }).entry, (first.body as { entry: Obj }).entry);
      }
      const rows = await db().query('select 1 from log_entry where programme_id = $1', [programme]);
      assert.equal(rows.length, 1);
    } finally {
      await other.close();
    }
  });

  it('a config version another process published meanwhile: the kept config is checked under the lock, and the request runs again with the new one', async () => {
    const programme = await wuxiProgramme(db());
    const other = anotherProcess(db());
    const earlier = topicSubmission();
    assert.equal((await append(server(), programme, earlier)).status, 201); // this process keeps version 1
    const text = exampleConfig('wuxi-community.json', (c) => {
      c.id = programme;
      c.version = '1.0.1';
    });
    const published = await upsertProgramme(other, text);
    assert.ok(published.ok && published.version === 2, JSON.stringify(published));
    const later = topicSubmission();
    const answer = await append(server(), programme, later);
    assert.equal(answer.status, 201, answer.text);
    const versions = await db().query<{ topic_id: string; version: number }>('select topic_id, version from topic_version where programme_id = $1', [programme]);
    const byTopic = new Map(versions.map((v) => [v.topic_id, v.version]));
    assert.equal(byTopic.get(earlier.topicId), 1);
    assert.equal(byTopic.get(later.topicId), 2);
    // The append itself refuses a request checked against another config, and writes nothing.
    const direct = topicSubmission() as unknown as EventSubmission;
    const result = await appendEvent(db(), programme, direct, { key: direct.id, fingerprint: 'fp', configEtag: '"sha256-not-this-one"' });
    assert.equal(result.kind, 'stale-config');
    assert.equal((await db().query('select 1 from log_entry where programme_id = $1 and id = $2', [programme, direct.id])).length, 0);
    assert.equal((await db().query('select 1 from idempotency_key where programme_id = $1 and key = $2', [programme, direct.id])).length, 0);
  });

  it('each committed append is published on consult-kit:append with its programme, events and lock wait; a refused one is not', async () => {
    const programme = await wuxiProgramme(db());
    const seen: AppendMessage[] = [];
    const listener = (message: unknown) => seen.push(message as AppendMessage);
    diagnosticsChannel.subscribe(APPEND_CHANNEL_NAME, listener);
    try {
      const bodies = Array.from({ length: 5 }, () => topicSubmission());
      const answers = await Promise.all(bodies.map((b) => append(server(), programme, b)));
      assert.ok(answers.every((a) => a.status === 201));
      const refused = await send(server(), programme, step('screeningAccept', `t-${randomUUID()}`));
      assert.equal(refused.status, 422);
      const mine = seen.filter((m) => m.programmeId === programme);
      assert.equal(
        mine.reduce((n, m) => n + m.events, 0),
        5,
      );
      for (const m of mine) {
        assert.ok(m.events >= 1);
        assert.ok(Number.isFinite(m.lockWaitMs) && m.lockWaitMs >= 0);
        assert.deepEqual(Object.keys(m).sort(), ['db', 'events', 'lockWaitMs', 'programmeId']);
        // The database it went to, so each app's metrics count only their own.
        assert.equal(m.db, db());
      }
    } finally {
      diagnosticsChannel.unsubscribe(APPEND_CHANNEL_NAME, listener);
    }
  });
});
