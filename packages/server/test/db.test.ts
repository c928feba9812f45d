/**
 * The two database adapters behave alike: the same migrations (applied once, even when started
 * together), transactions that roll back, bigints as numbers, json kept verbatim.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { isUniqueViolation } from '../src/db/db.js';
import { migrate, migrationFiles } from '../src/db/migrate.js';
import { perDatabase } from './helpers.js';

perDatabase('the database', ({ db, database }) => {
  it('every migration is applied once and recorded', async () => {
    const rows = await db().query<{ name: string }>('select name from schema_migration order by name');
    assert.deepEqual(rows.map((r) => r.name), migrationFiles());
    assert.deepEqual(await migrate(db()), [], 'nothing left to apply');
    assert.deepEqual(await Promise.all([migrate(db()), migrate(db())]), [[], []]);
  });

  it(`is ${database.name}, with the tables and the topic index`, async () => {
    assert.equal(db().kind, database.name);
    const indexes = await db().query<{ indexname: string }>(`select indexname from pg_indexes where tablename = 'log_entry' order by indexname`);
    assert.ok(indexes.some((i) => i.indexname === 'log_entry_topic'));
  });

  it('a transaction that throws is rolled back', async () => {
    await assert.rejects(
      db().transaction(async (tx) => {
        await tx.query(`insert into programme (id, config, etag) values ('rolled-back', '{}', 'x')`);
        throw new Error('stop');
      }),
      /stop/,
    );
    assert.deepEqual(await db().query(`select id from programme where id = 'rolled-back'`), []);
  });

  it('reports unique violations, returns bigints as numbers and keeps json as sent', async () => {
    await db().query(`insert into programme (id, config, etag, last_seq) values ('db-test', '{}', 'x', 9007199254740991)`);
    const error = await db()
      .query(`insert into programme (id, config, etag) values ('db-test', '{}', 'x')`)
      .then(() => undefined, (e: unknown) => e);
    assert.ok(isUniqueViolation(error));
    const [row] = await db().query<{ last_seq: unknown }>(`select last_seq from programme where id = 'db-test'`);
    assert.equal(row!.last_seq, Number.MAX_SAFE_INTEGER);
    const event = { type: 'x', text: 'nul \u0000 and 中文', n: 1.5 };
    await db().query(
      `insert into log_entry (programme_id, seq, id, topic_id, event, by_actor, at, fingerprint) values ('db-test', 1, 'e', 't', $1, $2, 'at', 'f')`,
      [JSON.stringify(event), JSON.stringify({ role: 'resident' })],
    );
    const [entry] = await db().query<{ event: unknown; seq: unknown }>(`select event, seq from log_entry where programme_id = 'db-test'`);
    assert.deepEqual(entry, { event, seq: 1 });
  });
});
