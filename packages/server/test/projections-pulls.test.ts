/**
 * Pulls at scale (issue 21, point 9): `GET …/events` reads a page as a bounded range of the
 * primary key (seqs are dense), so a page costs the same at any log size and under any plan; a
 * log with a gap in its seqs (never appended so, but a restore could) still pages every entry
 * once, in order. And the projection steps over such a gap too.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { selectFigures, type LogEntry } from '@consult-kit/machine';
import type { Db } from '../src/db/db.js';
import { loadTopicConfigs, replayVersioned } from '../src/config-versions.js';
import { allEntries } from '../src/event-log.js';
import { findProgrammeConfig } from '../src/programmes.js';
import { projectionsOf } from '../src/projections/index.js';
import { addProgramme, call, PATHS, perDatabase, type TestServer } from './helpers.js';
import { programmeLog, writeLog } from './index-log.js';

type Obj = Record<string, unknown>;
const NOW = '2030-06-01T08:00:00+08:00';

async function seeded(db: Db, gapAt?: number): Promise<{ id: string; log: LogEntry[] }> {
  const id = `pull-${randomUUID().slice(0, 8)}`;
  await addProgramme(db, 'wuxi-community.json', (c) => (c.id = id));
  const { config } = (await findProgrammeConfig(db, id))!;
  const log = programmeLog(config, 12, id).map((e) => (gapAt !== undefined && e.seq >= gapAt ? { ...e, seq: e.seq + 9 } : e));
  await writeLog(db, id, log);
  return { id, log };
}

/** Every page of the pull, `limit` at a time, from the start. */
async function pullAll(server: TestServer, id: string, limit: number): Promise<{ seqs: number[]; pages: Obj[] }> {
  const seqs: number[] = [];
  const pages: Obj[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const res = await call(server, `/api/programmes/${id}/events?limit=${limit}${after === undefined ? '' : `&after=${after}`}`, { template: PATHS.events });
    assert.equal(res.status, 200, res.text);
    const page = res.body!;
    pages.push(page);
    seqs.push(...(page.entries as { seq: number }[]).map((e) => e.seq));
    after = String(page.cursor);
    if (!page.more) break;
  }
  return { seqs, pages };
}

perDatabase('pulls at scale', ({ db, server }) => {
  it('pages a dense log by range: every entry once, in order, `more` false only on the last page', async () => {
    const { id, log } = await seeded(db());
    const { seqs, pages } = await pullAll(server(), id, 7);
    assert.deepEqual(seqs, log.map((e) => e.seq));
    assert.equal(pages.at(-1)!.more, false);
    assert.ok(pages.slice(0, -1).every((p) => p.more === true && (p.entries as unknown[]).length === 7));
  });

  it('a gap in the seqs: the pull still gives every entry once, in order; the projection steps over it', async () => {
    const { id, log } = await seeded(db(), 20);
    const { seqs } = await pullAll(server(), id, 7);
    assert.deepEqual(seqs, log.map((e) => e.seq));
    const store = projectionsOf(db(), { pageEntries: 5 });
    try {
      const topics = (await store.topics(id))!;
      const configs = (await loadTopicConfigs(db(), id, 'all'))!;
      const full = [...replayVersioned(configs, await allEntries(db(), id)).topics.values()];
      assert.deepEqual(selectFigures(topics, NOW), selectFigures(full, NOW));
      const figures = await call(server(), `/api/programmes/${id}/figures?now=${encodeURIComponent(NOW)}`);
      assert.deepEqual(figures.body, JSON.parse(JSON.stringify(selectFigures(full, NOW))));
    } finally {
      projectionsOf(db(), { pageEntries: 500 });
    }
  });
});
