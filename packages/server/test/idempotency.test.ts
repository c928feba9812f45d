/**
 * Idempotency-Key, guaranteed by the database: replays, reuse with another body, concurrent
 * duplicates (exactly one applied), refused requests binding nothing, and the take-over of a
 * claim left by a crashed process.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fingerprint } from '../src/canonical-json.js';
import { isUniqueViolation } from '../src/db/db.js';
import { append, PEOPLE, perDatabase, serve, topicSubmission, wuxiProgramme } from './helpers.js';

perDatabase('Idempotency-Key', ({ db, server }) => {
  const count = async (programme: string, id: string) =>
    (await db().query<{ n: number }>('select count(*)::int as n from log_entry where programme_id = $1 and id = $2', [programme, id]))[0]!.n;

  it('a retry of the same body gets the first answer: 200, Idempotent-Replayed, same seq', async () => {
    const programme = await wuxiProgramme(db());
    const body = topicSubmission();
    const first = await append(server(), programme, body);
    assert.equal(first.status, 201);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    for (let i = 0; i < 3; i += 1) {
      const again = await append(server(), programme, body);
      assert.equal(again.status, 200);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, first.body);
    }
    assert.equal(await count(programme, body.id), 1);
  });

  it('"the same body" is the same JSON value: key order and whitespace do not matter', async () => {
    const programme = await wuxiProgramme(db());
    const body = topicSubmission();
    assert.equal((await append(server(), programme, body)).status, 201);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const text = JSON.stringify(reordered, null, 4);
    const res = await append(server(), programme, undefined, { rawBody: text, key: body.id });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('idempotent-replayed'), 'true');
  });

  it('the key again with another body: 422 idempotency-key-reused, nothing stored', async () => {
    const programme = await wuxiProgramme(db());
    const body = topicSubmission();
    assert.equal((await append(server(), programme, body)).status, 201);
    const changed = { ...body, at: '2026-03-02T09:16:00+08:00' };
    const res = await append(server(), programme, changed);
    assert.equal(res.status, 422);
    assert.equal(res.body?.type, '/problems/idempotency-key-reused');
    assert.equal(await count(programme, body.id), 1);
  });

  it('20 concurrent requests with one key: exactly one applied, the others replay or 409', async () => {
    const programme = await wuxiProgramme(db());
    const body = topicSubmission();
    const answers = await Promise.all(Array.from({ length: 20 }, () => append(server(), programme, body)));
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses.join(' ')}`);
    assert.ok(statuses.every((s) => s === 201 || s === 200 || s === 409), `statuses: ${statuses.join(' ')}`);
    for (const a of answers.filter((x) => x.status === 409)) assert.equal(a.headers.get('retry-after'), '1');
    const seq = (answers.find((a) => a.status === 201)!.body as { entry: { seq: number } }).entry.seq;
    for (const a of answers.filter((x) => x.status === 200)) assert.equal((a.body as { entry: { seq: number } }).entry.seq, seq);
    assert.equal(await count(programme, body.id), 1);
    const [{ n }] = (await db().query<{ n: number }>('select count(*)::int as n from log_entry where programme_id = $1', [programme])) as [{ n: number }];
    assert.equal(n, 1, 'the events table has one row');
    // Once the first has finished, every retry gets its answer.
    assert.equal((await append(server(), programme, body)).status, 200);
  });

  it('concurrent requests with different keys each get their own seq, with no gap', async () => {
    const programme = await wuxiProgramme(db());
    const answers = await Promise.all(Array.from({ length: 12 }, () => append(server(), programme, topicSubmission())));
    assert.deepEqual(answers.map((a) => a.status), Array(12).fill(201));
    const seqs = answers.map((a) => (a.body as { entry: { seq: number } }).entry.seq).sort((x, y) => x - y);
    assert.deepEqual(seqs, Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('two servers on one database (a city behind a load balancer): one key binds once, seqs have no gap', async () => {
    const programme = await wuxiProgramme(db());
    const other = await serve(db());
    try {
      const duplicate = topicSubmission();
      const fresh = Array.from({ length: 6 }, () => topicSubmission());
      const answers = await Promise.all([
        ...Array.from({ length: 10 }, (_, i) => append(i % 2 ? other : server(), programme, duplicate)),
        ...fresh.map((body, i) => append(i % 2 ? other : server(), programme, body)),
      ]);
      assert.equal(answers.slice(0, 10).filter((a) => a.status === 201).length, 1);
      assert.ok(answers.slice(10).every((a) => a.status === 201));
      const rows = await db().query<{ seq: number }>('select seq from log_entry where programme_id = $1 order by seq', [programme]);
      assert.deepEqual(rows.map((r) => r.seq), [1, 2, 3, 4, 5, 6, 7]);
    } finally {
      await other.close();
    }
  });

  it('a refused request binds nothing: the same key succeeds once the topic it names has arrived', async () => {
    const programme = await wuxiProgramme(db());
    const topic = topicSubmission();
    const accept = { id: `e-${randomUUID()}`, topicId: topic.topicId, event: { type: 'screening.accept' }, by: { role: 'convener', id: PEOPLE.convener.id }, at: '2026-03-04T10:05:00+08:00' };
    const early = await append(server(), programme, accept);
    assert.equal(early.status, 422);
    assert.equal((early.body?.refusal as { code: string }).code, 'unknown-topic');
    const rows = await db().query('select 1 from idempotency_key where programme_id = $1 and key = $2', [programme, accept.id]);
    assert.equal(rows.length, 0, 'no idempotency row is left behind');
    assert.equal((await append(server(), programme, topic)).status, 201);
    assert.equal((await append(server(), programme, accept)).status, 201);
  });

  it('a claim left in flight by a crashed process is taken over once stale', async () => {
    const programme = await wuxiProgramme(db());
    const body = topicSubmission();
    await db().query(
      `insert into idempotency_key (programme_id, key, fingerprint, status, owner, started_at)
       values ($1, $2, 'crashed', 'in_flight', 'dead-process', now() - interval '1 hour')`,
      [programme, body.id],
    );
    const res = await append(server(), programme, body);
    assert.equal(res.status, 201);
    assert.equal((await append(server(), programme, body)).status, 200);
  });

  it('the unique constraint is the last line of defence: an entry bound without its key row is answered from the log', async () => {
    const programme = await wuxiProgramme(db());
    const body = topicSubmission();
    // An entry with this id, but no idempotency row (imported data, say).
    const imported = { ...topicSubmission(), id: body.id };
    await db().query(
      `insert into log_entry (programme_id, seq, id, topic_id, event, by_actor, at, fingerprint) values ($1, 1, $2, $3, $4, $5, $6, $7)`,
      [programme, imported.id, imported.topicId, JSON.stringify(imported.event), JSON.stringify(imported.by), imported.at, fingerprint(imported)],
    );
    await db().query('update programme set last_seq = 1 where id = $1', [programme]);
    const other = await append(server(), programme, body);
    assert.equal(other.status, 422);
    assert.equal(other.body?.type, '/problems/idempotency-key-reused');
    await assert.rejects(
      db().query(`insert into log_entry (programme_id, seq, id, topic_id, event, by_actor, at, fingerprint) values ($1, 99, $2, 't', '{}', '{}', 'x', 'x')`, [programme, body.id]),
      (error: unknown) => isUniqueViolation(error),
    );
    assert.equal(await count(programme, body.id), 1);
    assert.deepEqual(await db().query('select key from idempotency_key where programme_id = $1', [programme]), [], 'the refused claim was released');
  });
});
