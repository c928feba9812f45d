/**
 * The index route under load (issue 21, point 9): concurrent reads share one catch-up of the
 * index, a read whose client goes stops the catch-up nobody else waits for, and the index is
 * caught up from its watermark (never a full replay per read). Counts, never timings.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { findProgrammeConfig } from '../src/programmes.js';
import { catchUpCounts, catchUpIndex } from '../src/topic-index.js';
import { addProgramme, call, perDatabase } from './helpers.js';
import { programmeLog, writeLog } from './index-log.js';

perDatabase('the index under concurrent reads', ({ db, server }) => {
  const seeded = async (topics: number) => {
    const id = `idx-${randomUUID().slice(0, 8)}`;
    await addProgramme(db(), 'wuxi-community.json', (c) => (c.id = id));
    const { config } = (await findProgrammeConfig(db(), id))!;
    const log = programmeLog(config, topics, id);
    await writeLog(db(), id, log);
    return { id, entries: log.length };
  };

  it('eight concurrent reads of a programme behind its log run one catch-up, and all see every topic', async () => {
    const { id } = await seeded(40);
    const counts = catchUpCounts(db());
    const runs = counts.runs;
    const answers = await Promise.all(Array.from({ length: 8 }, () => call(server(), `/api/programmes/${id}/topics?limit=5`)));
    for (const a of answers) assert.equal(a.status, 200, a.text);
    assert.equal(new Set(answers.map((a) => a.body?.total)).size, 1, 'one total for all eight');
    assert.equal(counts.runs - runs, 1, 'one catch-up for eight reads');
    // Caught up: the next read runs none.
    await call(server(), `/api/programmes/${id}/topics?limit=5`);
    assert.equal(counts.runs - runs, 1, 'nothing new, nothing run');
  });

  it('a read whose client goes stops the catch-up after its chunk; the next read continues from the watermark', async () => {
    const { id, entries } = await seeded(600);
    assert.ok(entries > 2_500, `a log of several chunks (${entries} entries)`);
    const counts = catchUpCounts(db());
    const before = { ...counts };
    const req = httpRequest(new URL(`${server().url}/api/programmes/${id}/topics`));
    req.on('error', () => {});
    req.end();
    while (counts.chunks === before.chunks) await new Promise((r) => setImmediate(r));
    req.destroy();
    const watermark = async () => Number((await db().query<{ indexed_seq: number }>('select indexed_seq from topic_index_state where programme_id = $1', [id]))[0]?.indexed_seq ?? 0);
    while (counts.runs === before.runs || counts.abandoned === before.abandoned) {
      if ((await watermark()) >= entries) break;
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(counts.abandoned - before.abandoned, 1, 'the catch-up stopped when its only reader went');
    const stoppedAt = await watermark();
    assert.ok(stoppedAt < entries, `stopped part way (${stoppedAt} of ${entries})`);
    const next = await catchUpIndex(db(), id);
    assert.equal(next?.indexedSeq, entries, 'the next catch-up finishes from where it stopped');
    assert.ok(!next?.rebuilt, 'continued, not rebuilt');
  });
});
