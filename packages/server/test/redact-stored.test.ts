/**
 * A database written before personal values were kept apart (migration 001 only, entries and
 * idempotent answers with names and phones in them) is redacted at start-up: the values move to
 * personal_value, the stored answers are rewritten, joined pulls give back what was sent, and a
 * second start changes nothing.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint } from '../src/canonical-json.js';
import { migrate, MIGRATIONS_DIR } from '../src/db/migrate.js';
import { openPglite } from '../src/db/pglite.js';
import { redactStoredLogs } from '../src/personal.js';
import { etagOf } from '../src/programmes.js';
import { call, exampleConfig, PATHS, PEOPLE, pgliteTemplate, serve, story } from './helpers.js';

type Obj = Record<string, unknown>;

it('a log stored with personal values (before migration 002) is redacted at start-up, once', async () => {
  const old = mkdtempSync(join(tmpdir(), 'ck-old-migrations-'));
  copyFileSync(join(MIGRATIONS_DIR, '001_event_log.sql'), join(old, '001_event_log.sql'));
  const db = await openPglite({ loadDataDir: await pgliteTemplate() });
  try {
    await migrate(db, old);
    // The programme as the server stored it then (one config per programme, no versions).
    const text = exampleConfig('wuxi-community.json');
    const programme = (JSON.parse(text) as { id: string }).id;
    await db.query('insert into programme (id, config, etag) values ($1, $2, $3)', [programme, text, etagOf(text)]);
    // The story's first events, stored the way the server stored them before: as sent.
    const sent = story()
      .filter((s) => !s.alternative)
      .slice(0, 3)
      .map((s, i) => ({ ...s.body, seq: i + 1 }));
    for (const entry of sent) {
      const print = fingerprint({ id: entry.id, topicId: entry.topicId, event: entry.event, by: entry.by, at: entry.at });
      await db.query('insert into log_entry (programme_id, seq, id, topic_id, event, by_actor, at, fingerprint) values ($1, $2, $3, $4, $5, $6, $7, $8)', [
        programme,
        entry.seq,
        entry.id,
        entry.topicId,
        JSON.stringify(entry.event),
        JSON.stringify(entry.by),
        entry.at,
        print,
      ]);
      await db.query(`insert into idempotency_key (programme_id, key, fingerprint, status, owner, seq, response, finished_at) values ($1, $2, $5, 'done', 'o', $3, $4, now())`, [
        programme,
        entry.id,
        entry.seq,
        JSON.stringify({ entry }),
        print,
      ]);
    }
    await db.query('update programme set last_seq = 3 where id = $1', [programme]);
    const personal = ['王秀英', '13800138000', '清名桥社区幸福里小区3号楼', '李建国'];
    assert.ok(personal.every((v) => JSON.stringify(sent).includes(v)), 'the seeded log holds personal values');

    await migrate(db);
    assert.deepEqual(await redactStoredLogs(db), { [programme]: 2 }, 'the two submissions held personal values; the merge none');
    const atRest = JSON.stringify(await db.query('select * from log_entry')) + JSON.stringify(await db.query('select * from idempotency_key'));
    for (const value of ['王秀英', '13800138000', '清名桥社区幸福里小区3号楼']) assert.ok(!atRest.includes(value), `${value} is still in the log or a stored answer`);
    assert.equal((await db.query('select 1 from personal_value')).length, 2);
    assert.deepEqual(await redactStoredLogs(db), {}, 'a second start does nothing');

    const server = await serve(db);
    try {
      const joined = await call(server, `/api/programmes/${programme}/events`, { template: PATHS.events, token: PEOPLE.convener.token });
      assert.deepEqual((joined.body as { entries: Obj[] }).entries, sent, 'joined, the log is what was sent');
      const redacted = await call(server, `/api/programmes/${programme}/events`, { template: PATHS.events });
      const text = redacted.text;
      for (const value of ['王秀英', '13800138000', '清名桥社区幸福里小区3号楼']) assert.ok(!text.includes(value), `${value} in the redacted pull`);
      // A retry of an old request replays the redacted answer.
      const replay = await call(server, `/api/programmes/${programme}/events`, { template: PATHS.events, body: story()[0]!.body, token: PEOPLE.resident.token });
      assert.equal(replay.status, 200);
      assert.ok(!replay.text.includes('13800138000'));
      assert.ok(replay.body?.followCode, 'with the topic\'s follow code, derived again');
      // The replayed log accepts the next event (the machine replays the redacted entries).
      const next = story().filter((s) => !s.alternative)[3]!.body;
      assert.equal((await call(server, `/api/programmes/${programme}/events`, { template: PATHS.events, body: next, token: PEOPLE.convener.token })).status, 201);
    } finally {
      await server.close();
    }
  } finally {
    await db.close();
  }
});
