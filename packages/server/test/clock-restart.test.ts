/**
 * The clock's jobs live in the database, not in the process: a server stopped with a rating
 * window still open, started again on the same PGlite data folder, finds the job pending and its
 * own running clock (`startServer` ticks every `notify.tickMs`) closes the evaluation when the
 * window ends — once, logged as the system actor.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { loadOptions } from '../src/config.js';
import type { NotifyOptions } from '../src/notifications/types.js';
import { startServer, type RunningServer } from '../src/server.js';
import { PEOPLE, pgliteTemplate, wuxiProgramme } from './helpers.js';
import { jobsOf, raise, testClock, TO_EVALUATION } from './clock-fixture.js';

describe('the clock survives a restart (PGlite in a folder)', () => {
  const work = mkdtempSync(join(tmpdir(), 'consult-kit-clock-'));
  const dataDir = join(work, 'data');
  const tokensFile = join(work, 'tokens.json');
  const clock = testClock('2026-03-20T11:00:00Z');
  const running: RunningServer[] = [];
  const start = (tickMs: number) => {
    const notify: NotifyOptions = { webhooks: [], directory: { people: {}, parties: {}, programmes: {} }, retry: { delaysSeconds: [60], timeoutMs: 5_000 }, timeZone: 'Asia/Shanghai', tickMs };
    const options = loadOptions(['--data', dataDir, '--port', '0', '--host', '127.0.0.1', '--tokens', tokensFile, '--log-level', 'silent'], { CONSULT_TOKENS: undefined });
    return startServer({ ...options, clock: clock.clock, notify });
  };

  before(async () => {
    writeFileSync(tokensFile, JSON.stringify(Object.fromEntries(Object.values(PEOPLE).map(({ token, ...p }) => [token, p]))));
    const pg = await PGlite.create(dataDir, { loadDataDir: await pgliteTemplate() });
    await pg.close();
  });
  after(async () => {
    for (const server of running) await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('keeps the pending job across the restart, and the restarted clock fires it once', async () => {
    const first = await start(0); // a clock that never ticks on its own
    running.push(first);
    const programme = await wuxiProgramme(first.db);
    const topicId = await raise(first, clock, programme, TO_EVALUATION);
    const end = (await jobsOf(first.db, programme)).find((j) => j.kind === 'evaluation.end' && j.topic_id === topicId);
    assert.equal(end?.state, 'pending');
    await first.close();

    clock.now = end.run_at_ms + 60_000; // the window ended while the server was down
    const second = await start(20);
    running.push(second);
    const [kept] = await second.db.query<{ state: string }>('select state from timer_job where programme_id = $1 and key = $2', [programme, end.key]);
    assert.ok(kept, 'the job is still in the data folder');
    let closes: { by_actor: { id: string }; received: string }[] = [];
    for (let i = 0; i < 500 && closes.length === 0; i += 1) {
      await sleep(20);
      closes = await second.db.query(`select by_actor, received from log_entry where programme_id = $1 and topic_id = $2 and event->>'type' = 'evaluation.close'`, [programme, topicId]);
    }
    assert.equal(closes.length, 1, 'the running clock closed the evaluation');
    assert.equal(closes[0]!.by_actor.id, 'system:clock');
    assert.equal(closes[0]!.received, new Date(clock.now).toISOString());
    // A few more ticks: still one close, the job done.
    await sleep(200);
    const again = await second.db.query(`select 1 from log_entry where programme_id = $1 and topic_id = $2 and event->>'type' = 'evaluation.close'`, [programme, topicId]);
    assert.equal(again.length, 1);
    const [job] = await second.db.query<{ state: string }>('select state from timer_job where programme_id = $1 and key = $2', [programme, end.key]);
    assert.equal(job?.state, 'done');
    await second.close();
  });
});
