/**
 * Reads at scale (issue 21, point 9): the figures, rooms, trends and performance files come from
 * the programme's projection (src/projections/replayed.ts), caught up from the log position it
 * holds. What an operator would notice:
 *
 * - after appends through a SECOND app on the same database (another process), every read equals
 *   the machine's selectors on a fresh full replay of all entries — randomised appends and reads;
 * - a stored log rewritten in place (what `redactStoredLogs` does) and an erasure show at once;
 * - eight concurrent reads share one catch-up; a client that goes stops the catch-up.
 *
 * Counts (catch-ups, slices, entries), never timings.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { selectFigures, selectPerformanceFiles, selectRoomGrades, selectTrends, type WorkflowConfig } from '@consult-kit/machine';
import type { Db } from '../src/db/db.js';
import { loadTopicConfigs, replayVersioned } from '../src/config-versions.js';
import { allEntries } from '../src/event-log.js';
import { findProgrammeConfig } from '../src/programmes.js';
import { projectionsOf } from '../src/projections/index.js';
import { prng } from '../src/demo/prng.js';
import { append, call, PATHS, PEOPLE, perDatabase, serve, story, STORY_TO_EVALUATION, type TestServer } from './helpers.js';

type Obj = Record<string, unknown>;

const NOW = '2030-06-01T08:00:00+08:00';
const STORY = story();
const body = (key: string) => structuredClone(STORY.find((s) => s.key === key)!.body) as Obj & { event: Obj; at: string };


/** The answers a fresh full replay gives (the machine's selectors on every entry). */
async function fullReplay(db: Db, programme: string): Promise<{ config: WorkflowConfig; topics: ReturnType<typeof replayVersioned>['topics'] }> {
  const configs = (await loadTopicConfigs(db, programme, 'all'))!;
  const { config } = (await findProgrammeConfig(db, programme))!;
  return { config, topics: replayVersioned(configs, await allEntries(db, programme)).topics };
}

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

/** A second app on the same database: another handle (its own projections and append queue), as another process has. */
function otherHandle(db: Db): Db {
  return Object.create(db) as Db;
}

/** Raises a topic (a resident) at the story's submission. */
async function submit(server: TestServer, programme: string, topicId: string): Promise<void> {
  const s = { ...body('topicSubmit'), id: `e-${randomUUID()}`, topicId, at: new Date().toISOString() };
  const res = await append(server, programme, s, { token: PEOPLE.resident.token });
  assert.equal(res.status, 201, res.text);
}

/** Sends a story step of the main line, as the admin, claimed now. */
async function advance(server: TestServer, programme: string, topicId: string, key: string): Promise<void> {
  const s = { ...body(key), id: `e-${randomUUID()}`, topicId, by: { role: 'admin' }, at: new Date().toISOString() };
  if (key === 'meetingSchedule') s.event.start = new Date().toISOString();
  const res = await append(server, programme, s, { token: PEOPLE.admin.token });
  assert.equal(res.status, 201, `${key}: ${res.text}`);
}

perDatabase('projections', ({ db, server }) => {
  it('after randomised appends through two apps on one database, figures, rooms, trends and performance equal a full replay', async () => {
    const handle = otherHandle(db());
    const second = await serve(handle);
    try {
      const programme = `proj-${randomUUID().slice(0, 8)}`;
      const { addProgramme } = await import('./helpers.js');
      await addProgramme(db(), 'wuxi-community.json', (c) => (c.id = programme));
      const servers = [server(), second];
      const random = prng(2126);
      const progress = new Map<string, number>();
      const q = `now=${encodeURIComponent(NOW)}`;
      for (let round = 0; round < 10; round++) {
        const appends = 1 + Math.floor(random() * 4);
        for (let n = 0; n < appends; n++) {
          const via = servers[Math.floor(random() * 2)]!;
          const open = [...progress].filter(([, i]) => i < STORY_TO_EVALUATION.length);
          if (open.length === 0 || random() < 0.35) {
            const topicId = `tp-${randomUUID()}`;
            await submit(via, programme, topicId);
            progress.set(topicId, 0);
          } else {
            const [topicId, i] = open[Math.floor(random() * open.length)]!;
            await advance(via, programme, topicId, STORY_TO_EVALUATION[i]!);
            progress.set(topicId, i + 1);
          }
        }
        const via = servers[Math.floor(random() * 2)]!;
        const { config, topics } = await fullReplay(db(), programme);
        const all = [...topics.values()];
        const room = config.rooms!.list[0]!.id;
        const figures = await call(via, `/api/programmes/${programme}/figures?${q}`, { template: PATHS.figures });
        assert.deepEqual(figures.body, json(selectFigures(all, NOW)), `round ${round}: figures`);
        const inRoom = await call(via, `/api/programmes/${programme}/figures?room=${room}&${q}`);
        assert.deepEqual(inRoom.body, json(selectFigures(all.filter((t) => t.context.room === room), NOW)), `round ${round}: a room's figures`);
        const trends = await call(via, `/api/programmes/${programme}/trends?${q}`);
        assert.deepEqual(trends.body, json(selectTrends(all, config, { room: null, now: NOW })), `round ${round}: trends`);
        const roomPage = await call(via, `/api/programmes/${programme}/rooms/${room}?${q}`);
        assert.equal(roomPage.status, 200, roomPage.text);
        assert.deepEqual((roomPage.body as Obj).grades, json(selectRoomGrades(all, config, room, NOW)), `round ${round}: grades`);
        const performance = await call(via, `/api/programmes/${programme}/performance?year=2030&${q}`, { token: PEOPLE.admin.token });
        assert.deepEqual((performance.body as Obj).files, json(selectPerformanceFiles(all, config, 2030, NOW)), `round ${round}: performance`);
      }
      // Both apps answered from projections caught up entry by entry, not rebuilt per read.
      for (const h of [db(), handle]) assert.ok(projectionsOf(h).stats.rebuilds <= 1, 'one build, then catch-ups');
      assert.ok(projectionsOf(handle).stats.catchUps >= 1, 'the second app caught up its own projection');
    } finally {
      await second.close();
    }
  });

  it('a stored log rewritten in place (redactStoredLogs) is not shown from memory; an erasure leaves no value in any answer', async () => {
    const programme = `proj-${randomUUID().slice(0, 8)}`;
    const { addProgramme } = await import('./helpers.js');
    await addProgramme(db(), 'wuxi-community.json', (c) => (c.id = programme));
    const topicId = `tp-${randomUUID()}`;
    await submit(server(), programme, topicId);
    const csv = async () => {
      const res = await fetch(`${server().url}/api/programmes/${programme}/reports/topics.csv?lang=en`, { headers: { authorization: `Bearer ${PEOPLE.admin.token}` } });
      assert.equal(res.status, 200);
      return res.text();
    };
    const before = await csv();
    assert.ok(before.includes(String((body('topicSubmit').event.values as Obj).title)), 'the title is in the report');
    // Another process rewrites the stored entry (as redactStoredLogs does under a new config) and records it.
    await db().query(
      `update log_entry set event = (event::jsonb || jsonb_build_object('values', (event::jsonb->'values') || '{"title":"REWRITTEN-TITLE"}'::jsonb))::json where programme_id = $1 and topic_id = $2`,
      [programme, topicId],
    );
    await db().query(`update programme set redacted_etag = 'rewritten' where id = $1`, [programme]);
    const after = await csv();
    assert.ok(after.includes('REWRITTEN-TITLE'), 'the rewritten stored entry is what the report shows');
    const { topics } = await fullReplay(db(), programme);
    const figures = await call(server(), `/api/programmes/${programme}/figures?now=${encodeURIComponent(NOW)}`);
    assert.deepEqual(figures.body, json(selectFigures([...topics.values()], NOW)));

    // An erasure: the resident's values gone from every answer, the personal report included.
    const name = PEOPLE.resident.name;
    const phone = String((body('topicSubmit').event.values as Obj).phone);
    const withName = await csv();
    assert.ok(withName.includes(name) && withName.includes(phone), 'an admin (personalDataRoles) sees the name and phone before');
    const erased = await call(server(), `/api/programmes/${programme}/erasures`, { template: PATHS.erasures, body: { topicId }, key: null, token: PEOPLE.admin.token });
    assert.equal(erased.status, 200, erased.text);
    const answers = [
      await csv(),
      (await call(server(), `/api/programmes/${programme}/figures`)).text,
      (await call(server(), `/api/programmes/${programme}/rooms`)).text,
      (await call(server(), `/api/programmes/${programme}/performance`, { token: PEOPLE.admin.token })).text,
    ];
    for (const text of answers) {
      assert.ok(!text.includes(name), 'no name after the erasure');
      assert.ok(!text.includes(phone), 'no phone after the erasure');
    }
  });

  it('eight concurrent reads share one catch-up and one run of the selector', async () => {
    const programme = `proj-${randomUUID().slice(0, 8)}`;
    const { addProgramme } = await import('./helpers.js');
    await addProgramme(db(), 'wuxi-community.json', (c) => (c.id = programme));
    const store = projectionsOf(db());
    await call(server(), `/api/programmes/${programme}/figures`);
    for (let i = 0; i < 6; i++) await submit(server(), programme, `tp-${randomUUID()}`);
    const before = { ...store.stats };
    const answers = await Promise.all(Array.from({ length: 8 }, () => call(server(), `/api/programmes/${programme}/figures?now=${encodeURIComponent(NOW)}`)));
    for (const a of answers) assert.equal(a.status, 200);
    assert.equal(new Set(answers.map((a) => a.text)).size, 1, 'all eight got the same figures');
    assert.equal(store.stats.catchUps - before.catchUps, 1, 'one catch-up for eight reads');
    assert.equal(store.stats.entries - before.entries, 6, 'the six new entries replayed once');
    assert.equal(store.stats.rebuilds, before.rebuilds, 'nothing rebuilt');
    assert.equal(store.stats.memoHits - before.memoHits, 7, 'selectFigures ran once: seven answers came from its result at that log position');
  });

  it('a client that goes stops the catch-up nobody else waits for', async () => {
    const programme = `proj-${randomUUID().slice(0, 8)}`;
    const { addProgramme } = await import('./helpers.js');
    await addProgramme(db(), 'wuxi-community.json', (c) => (c.id = programme));
    const total = 40;
    for (let i = 0; i < total; i++) await submit(server(), programme, `tp-${randomUUID()}`);
    const store = projectionsOf(db(), { pageEntries: 1 });
    store.clear(programme);
    const before = { ...store.stats };
    try {
      const url = new URL(`${server().url}/api/programmes/${programme}/figures`);
      const req = httpRequest(url);
      req.on('error', () => {});
      req.end();
      // Wait (event-loop turns, no timer) until the catch-up has replayed something, then hang up.
      while (store.stats.entries === before.entries) await new Promise((r) => setImmediate(r));
      req.destroy();
      while (store.stats.abandoned === before.abandoned) await new Promise((r) => setImmediate(r));
      const replayed = store.stats.entries - before.entries;
      assert.ok(replayed < total, `the catch-up stopped (${replayed} of ${total} entries)`);
      // The next read continues from there, not from the start.
      const figures = await call(server(), `/api/programmes/${programme}/figures?now=${encodeURIComponent(NOW)}`);
      const { topics } = await fullReplay(db(), programme);
      assert.deepEqual(figures.body, json(selectFigures([...topics.values()], NOW)));
      assert.equal(store.stats.entries - before.entries, total, 'every entry replayed exactly once over both reads');
    } finally {
      projectionsOf(db(), { pageEntries: 500 });
    }
  });

  it('the store alone: an aborted read starts no work; the budget evicts the least recently read programme', async () => {
    const store = projectionsOf(db());
    const a = `proj-${randomUUID().slice(0, 8)}`;
    const b = `proj-${randomUUID().slice(0, 8)}`;
    const { addProgramme } = await import('./helpers.js');
    await addProgramme(db(), 'wuxi-community.json', (c) => (c.id = a));
    await addProgramme(db(), 'wuxi-community.json', (c) => (c.id = b));
    await submit(server(), a, `tp-${randomUUID()}`);
    await submit(server(), b, `tp-${randomUUID()}`);
    const controller = new AbortController();
    controller.abort();
    const before = { ...store.stats };
    await assert.rejects(store.topics(a, controller.signal), { name: 'AbortError' });
    assert.equal(store.stats.catchUps, before.catchUps);
    assert.equal(await store.topics('no-such-programme'), null);
    const budget = store.maxTopics;
    try {
      store.clear();
      store.maxTopics = 1;
      assert.equal((await store.topics(a))!.length, 1);
      assert.equal((await store.topics(b))!.length, 1);
      assert.equal(store.heldTopics(), 1, 'only the programme read last is held');
      assert.ok(store.stats.evicted > before.evicted);
    } finally {
      store.maxTopics = budget;
    }
  });
});
