/**
 * The store's client for the open read models (`topicIndexClient`) against the real reference
 * server (PGlite, and PostgreSQL when the test databases include it): one page of the topic
 * index with its filters, every page by the cursors the server gives out, the figures and the
 * config; a refusal and an unreachable server come back as results, never thrown. And the
 * outcomes board's local path (summaries replayed on the device, paged here) shows exactly the
 * server's pages for the same log.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { replay, type WorkflowConfig } from '@consult-kit/machine';
import { selectTrends } from '@consult-kit/machine/core';
import { topicIndexClient, topicIndexSearch, type TopicSummary } from '../src/topic-index.js';
import { firstSeqs, lastSeqs, pageOfSummaries, summarizeTopics } from '../../elements/src/outcomes-board/topic-summary.js';
import { findProgrammeConfig } from '../../server/src/programmes.js';
import { addProgramme, perDatabase } from '../../server/test/helpers.js';
import { programmeLog, writeLog } from '../../server/test/index-log.js';

const NOW = '2026-12-01T00:00:00Z';

it('topicIndexSearch sends only the filters that are set', () => {
  assert.equal(topicIndexSearch({}), '');
  assert.equal(topicIndexSearch({ status: 'closed', q: ' 路灯 ', overdue: true, limit: 5, cursor: 'czE' }), '?status=closed&q=%E8%B7%AF%E7%81%AF&cursor=czE&overdue=true&limit=5');
  assert.equal(topicIndexSearch({ status: '', q: '   ', overdue: false, limit: 0 }), '');
  assert.equal(topicIndexSearch({ room: 'qingmingqiao-shequ', limit: 5 }), '?room=qingmingqiao-shequ&limit=5');
});

perDatabase('topicIndexClient on the reference server', ({ db, server }) => {
  async function programme(n: number): Promise<{ id: string; config: WorkflowConfig; log: ReturnType<typeof programmeLog> }> {
    const id = `client-${randomUUID().slice(0, 8)}`;
    await addProgramme(db(), 'wuxi-community.json', (c) => (c.id = id));
    const config = (await findProgrammeConfig(db(), id))!.config;
    const log = programmeLog(config, n, id);
    await writeLog(db(), id, log);
    return { id, config, log };
  }

  it('reads every page by the cursors the server gives out; the board’s local paging shows the same pages', async () => {
    const { id, config, log } = await programme(23);
    const client = topicIndexClient({ endpoint: `${server().url}/api`, programmeId: id });
    const local = summarizeTopics(replay(config, log).topics, NOW, lastSeqs(log));
    const order = firstSeqs(log);

    const seen: TopicSummary[] = [];
    let cursor: string | undefined;
    let localCursor: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const result = await client.topics({ limit: 10, now: NOW, ...(cursor ? { cursor } : {}) });
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.value.total, 23);
      const mine = pageOfSummaries(local, { limit: 10, ...(localCursor ? { cursor: localCursor } : {}) }, order);
      assert.deepEqual(mine.items, result.value.items, `page ${page + 1}`);
      assert.equal(mine.more, result.value.more);
      seen.push(...result.value.items);
      if (!result.value.more) break;
      cursor = result.value.cursor;
      localCursor = mine.cursor;
    }
    assert.equal(seen.length, 23);
    assert.equal(new Set(seen.map((t) => t.topicId)).size, 23, 'no topic lost or repeated');

    for (const status of ['closed', 'handling', 'screening']) {
      const result = await client.topics({ status, now: NOW, limit: 100 });
      assert.ok(result.ok);
      assert.deepEqual(result.value.items, pageOfSummaries(local, { status, limit: 100 }, order).items, status);
      assert.ok(result.value.items.length > 0, `some topic is ${status}`);
    }
  });

  it('reads the figures and the config; an unknown programme is a refusal with its problem title, a closed port unreachable', async () => {
    const { id, config, log } = await programme(8);
    const client = topicIndexClient({ endpoint: `${server().url}/api`, programmeId: id });
    const figures = await client.figures(NOW);
    assert.ok(figures.ok);
    assert.equal(figures.value.topicsRaised, [...replay(config, log).topics.values()].filter((t) => t.context.submittedAt).length);
    const raw = await client.config();
    assert.ok(raw.ok);
    assert.equal((raw.value as { id?: string }).id, id);

    const unknown = await topicIndexClient({ endpoint: `${server().url}/api`, programmeId: 'no-such-programme' }).topics();
    assert.equal(unknown.ok, false);
    assert.ok(!unknown.ok && unknown.reason === 'refused' && unknown.status === 404 && unknown.title.length > 0, JSON.stringify(unknown));

    const closed = await topicIndexClient({ endpoint: 'http://127.0.0.1:9', programmeId: id }).topics();
    assert.ok(!closed.ok && closed.reason === 'unreachable', JSON.stringify(closed));
  });

  it('filters the index by room and reads the trends of the programme and of one room, as the machine counts them from the same log', async () => {
    const { id, config, log } = await programme(30);
    const client = topicIndexClient({ endpoint: `${server().url}/api`, programmeId: id });
    const topics = [...replay(config, log).topics.values()];
    const local = summarizeTopics(topics, NOW, lastSeqs(log));
    const rooms = [...new Set(local.map((t) => t.room).filter((r): r is string => r !== undefined))];
    assert.ok(rooms.length > 0, 'the generated topics are in rooms');
    for (const room of rooms) {
      const page = await client.topics({ room, now: NOW, limit: 100 });
      assert.ok(page.ok, JSON.stringify(page));
      assert.ok(page.value.items.length > 0 && page.value.items.every((t) => t.room === room), room);
      assert.deepEqual(page.value.items, pageOfSummaries(local, { room, limit: 100 }, firstSeqs(log)).items, room);
    }

    const all = await client.trends({ now: NOW });
    assert.ok(all.ok, JSON.stringify(all));
    assert.deepEqual(all.value, selectTrends(topics, config, { now: NOW }));
    const one = await client.trends({ room: rooms[0], now: NOW });
    assert.ok(one.ok, JSON.stringify(one));
    assert.equal(one.value.room, rooms[0]);
    assert.deepEqual(one.value, selectTrends(topics, config, { room: rooms[0], now: NOW }));
    assert.ok(one.value.months.reduce((n, m) => n + m.raisedTotal, 0) < all.value.months.reduce((n, m) => n + m.raisedTotal, 0), 'a room has fewer topics than the programme');

    const unknown = await client.trends({ room: 'no-such-room' });
    assert.ok(!unknown.ok && unknown.reason === 'refused' && unknown.status === 400, JSON.stringify(unknown));
  });
});
