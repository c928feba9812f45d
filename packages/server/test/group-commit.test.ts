/**
 * Group commit: appends to one programme that arrive together share one transaction, and each
 * still gets exactly the answer it would get alone — its own entry and seq, or its own refusal.
 * Seqs stay gap-free and in order; a refused event, or a claim taken over meanwhile, inside a
 * batch changes nothing for the others.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fingerprint } from '../src/canonical-json.js';
import type { EventSubmission } from '../src/contract.js';
import { appendEvent, MAX_BATCH, pullEntries, type AppendClaim, type AppendResult } from '../src/event-log.js';
import { claimKey } from '../src/idempotency.js';
import { append, call, PATHS, PEOPLE, perDatabase, topicSubmission, wuxiProgramme } from './helpers.js';

type Obj = Record<string, unknown>;

const convener = { role: PEOPLE.convener.role, id: PEOPLE.convener.id, name: PEOPLE.convener.name };

/** A convener's screening.accept of a topic. */
function accept(topicId: string): EventSubmission {
  return { id: `e-${randomUUID()}`, topicId, event: { type: 'screening.accept' }, by: convener, at: '2026-03-03T10:00:00+08:00' } as EventSubmission;
}

perDatabase('group commit', ({ db, server }) => {
  /** Claims each submission's key, then starts all their appends in the same tick (so all but the first share a batch). */
  const appendTogether = async (programme: string, submissions: EventSubmission[]): Promise<AppendResult[]> => {
    const claims: (AppendClaim & { owner: string })[] = [];
    for (const s of submissions) {
      const claim = await claimKey(db(), programme, s.id, fingerprint(s), 30);
      assert.equal(claim.kind, 'claimed');
      claims.push({ key: s.id, owner: (claim as { owner: string }).owner, fingerprint: fingerprint(s) });
    }
    return Promise.all(submissions.map((s, i) => appendEvent(db(), programme, s, claims[i]!)));
  };

  const seqsOf = async (programme: string) =>
    (await db().query<{ seq: number; id: string }>('select seq, id from log_entry where programme_id = $1 order by seq', [programme])).map((r) => [r.seq, r.id]);

  it('concurrent appends over HTTP each get their own entry; seqs are gap-free and in the order of the log', async () => {
    const programme = await wuxiProgramme(db());
    const bodies = Array.from({ length: 3 * MAX_BATCH + 5 }, () => topicSubmission());
    const answers = await Promise.all(bodies.map((body) => append(server(), programme, body)));
    const seqs: number[] = [];
    answers.forEach((res, i) => {
      assert.equal(res.status, 201, res.text);
      const entry = (res.body as { entry: Obj }).entry;
      assert.equal(entry.id, bodies[i]!.id);
      assert.equal(entry.topicId, bodies[i]!.topicId);
      seqs.push(entry.seq as number);
    });
    assert.deepEqual([...seqs].sort((a, b) => a - b), bodies.map((_, i) => i + 1));
    const pulled = await call(server(), `/api/programmes/${programme}/events`, { token: PEOPLE.convener.token, template: PATHS.events });
    const entries = (pulled.body as { entries: Obj[] }).entries;
    assert.deepEqual(
      entries.map((e) => e.seq),
      bodies.map((_, i) => i + 1),
    );
    for (const e of entries) assert.equal(e.id, bodies[seqs.indexOf(e.seq as number)]!.id);
    // Each key is bound to its own answer: a retry replays it.
    const again = await append(server(), programme, bodies[7]!);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, answers[7]!.body);
  });

  it('a batch is checked in order, each event as it would be alone; a refused event takes no seq and binds nothing', async () => {
    const programme = await wuxiProgramme(db());
    const first = topicSubmission();
    const a = topicSubmission();
    const b = topicSubmission();
    const duplicate = { ...topicSubmission(a.topicId), at: a.at } as unknown as EventSubmission;
    const batch = [
      first as unknown as EventSubmission,
      a as unknown as EventSubmission,
      accept(a.topicId), // a topic raised earlier in the same batch
      accept(`t-${randomUUID()}`), // no such topic: refused
      duplicate, // a topic that exists (raised in this batch): refused
      b as unknown as EventSubmission,
      accept(a.topicId), // accepted already: refused
      accept(b.topicId),
    ];
    const results = await appendTogether(programme, batch);
    assert.deepEqual(
      results.map((r) => r.kind),
      ['appended', 'appended', 'appended', 'refused', 'refused', 'appended', 'refused', 'appended'],
    );
    const refusal = (r: AppendResult) => (r as Extract<AppendResult, { kind: 'refused' }>).refusal;
    assert.equal(refusal(results[3]!).code, 'unknown-topic');
    assert.equal(refusal(results[3]!).entryId, batch[3]!.id);
    assert.equal(refusal(results[6]!).entryId, batch[6]!.id);
    const seqs = results.map((r) => (r.kind === 'appended' ? r.entry.seq : null));
    assert.deepEqual(seqs, [1, 2, 3, null, null, 4, null, 5]);
    assert.deepEqual(
      await seqsOf(programme),
      [0, 1, 2, 5, 7].map((i, n) => [n + 1, batch[i]!.id]),
    );
    // The accepted keys are bound with their answers; the refused ones are still only claimed
    // (the route releases them), never bound.
    const keys = await db().query<{ key: string; status: string; seq: number | null }>('select key, status, seq from idempotency_key where programme_id = $1', [programme]);
    const byKey = new Map(keys.map((k) => [k.key, k]));
    batch.forEach((s, i) => {
      const row = byKey.get(s.id)!;
      assert.equal(row.status, seqs[i] === null ? 'in_flight' : 'done', s.id);
      assert.equal(row.seq, seqs[i]);
    });
    const counter = await db().query<{ last_seq: number }>('select last_seq from programme where id = $1', [programme]);
    assert.equal(counter[0]!.last_seq, 5);
  });

  it('the same answers come back over HTTP: a refused event among accepted ones is 422, the others 201', async () => {
    const programme = await wuxiProgramme(db());
    const raised = topicSubmission();
    assert.equal((await append(server(), programme, raised)).status, 201);
    const bodies: unknown[] = [topicSubmission(), accept(`t-${randomUUID()}`), accept(raised.topicId), topicSubmission(), accept(raised.topicId)];
    const answers = await Promise.all(bodies.map((body) => append(server(), programme, body)));
    const statuses = answers.map((r) => r.status);
    assert.equal(statuses[1], 422);
    assert.equal(answers[1]!.body?.type, '/problems/event-refused');
    assert.deepEqual([statuses[0], statuses[3]], [201, 201]);
    // Exactly one of the two accepts of the same topic is accepted (whichever came first).
    assert.deepEqual([statuses[2], statuses[4]].sort(), [201, 422]);
    const seqs = answers.filter((r) => r.status === 201).map((r) => (r.body as { entry: { seq: number } }).entry.seq);
    assert.deepEqual(seqs.sort((x, y) => x - y), [2, 3, 4]);
    // A refused request binds nothing: its key is free again.
    const retried = await append(server(), programme, bodies[1]!);
    assert.equal(retried.status, 422);
    const page = await pullEntries(db(), programme, { after: undefined, limit: 100, joined: false });
    assert.ok(page.ok);
    assert.deepEqual(
      page.page.entries.map((e) => e.seq),
      [1, 2, 3, 4],
    );
  });

  it('a claim taken over meanwhile loses only its own append: the batch runs again one by one', async () => {
    const programme = await wuxiProgramme(db());
    const batch = [topicSubmission(), topicSubmission(), topicSubmission(), topicSubmission()] as unknown as EventSubmission[];
    const claims: (AppendClaim & { owner: string })[] = [];
    for (const s of batch) {
      const claim = await claimKey(db(), programme, s.id, fingerprint(s), 30);
      claims.push({ key: s.id, owner: (claim as { owner: string }).owner, fingerprint: fingerprint(s) });
    }
    // Another process took the third key over (as it does with a stale claim).
    await db().query('update idempotency_key set owner = $3 where programme_id = $1 and key = $2', [programme, batch[2]!.id, randomUUID()]);
    const results = await Promise.all(batch.map((s, i) => appendEvent(db(), programme, s, claims[i]!)));
    assert.deepEqual(
      results.map((r) => r.kind),
      ['appended', 'appended', 'lost', 'appended'],
    );
    assert.deepEqual(
      results.map((r) => (r.kind === 'appended' ? r.entry.seq : null)),
      [1, 2, null, 3],
    );
    assert.deepEqual(await seqsOf(programme), [
      [1, batch[0]!.id],
      [2, batch[1]!.id],
      [3, batch[3]!.id],
    ]);
  });

  it('appends to several programmes at once each keep their own counter', async () => {
    const programmes = [await wuxiProgramme(db()), await wuxiProgramme(db())];
    const sent = programmes.flatMap((programme) => Array.from({ length: 10 }, () => ({ programme, body: topicSubmission() })));
    const answers = await Promise.all(sent.map(({ programme, body }) => append(server(), programme, body)));
    for (const res of answers) assert.equal(res.status, 201, res.text);
    for (const programme of programmes) {
      assert.deepEqual(
        (await seqsOf(programme)).map(([seq]) => seq),
        Array.from({ length: 10 }, (_, i) => i + 1),
      );
    }
  });
});
