/**
 * `GET /programmes/{p}/topics`: the topic index the server builds from its own replay. Pages
 * hold what the machine says about each topic (the same summaries a replay of the whole log
 * gives), filter and page by cursor without losing or repeating a topic, catch up with appends,
 * rebuild to the same rows, and never show a personal value.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { replay, type LogEntry, type WorkflowConfig } from '@consult-kit/machine';
import type { Db } from '../src/db/db.js';
import { findProgrammeConfig } from '../src/programmes.js';
import { catchUpIndex, rebuildIndex, summarizeTopic, type TopicSummary } from '../src/topic-index.js';
import { decodeCursor, encodeCursor } from '../src/topics/routes.js';
import { addProgramme, append, call, perDatabase, topicSubmission, wuxiProgramme, type Answer, type TestServer } from './helpers.js';
import { programmeLog, writeLog } from './index-log.js';

type Obj = Record<string, unknown>;
const TEMPLATE = '/programmes/{programmeId}/topics';
const NOW = '2026-12-01T00:00:00Z';

/** A programme of the Wuxi example under a fresh id; its checked config. */
async function programme(db: Db): Promise<{ id: string; config: WorkflowConfig }> {
  const id = `idx-${randomUUID().slice(0, 8)}`;
  await addProgramme(db, 'wuxi-community.json', (c) => (c.id = id));
  return { id, config: (await findProgrammeConfig(db, id))!.config };
}

/**
 * A log of `n` topics in every lifecycle state, some raised by council members, some titled
 * "路灯 Street light" (for the text search), each with a unique phone number and name.
 */
function variedLog(config: WorkflowConfig, n: number, prefix: string): LogEntry[] {
  return programmeLog(config, n, prefix).map((entry) => {
    if (entry.event.type !== 'topic.submit') return entry;
    const i = Number(entry.topicId.split('-').pop());
    const values: Obj = { ...entry.event.values, phone: `1390000${String(i).padStart(4, '0')}`, name: `居民${prefix}${i}号` };
    if (i % 4 === 1) values.title = `路灯不亮 Street light out ${i}`;
    const member = i % 3 === 2;
    return { ...entry, event: { ...entry.event, values, ...(member ? { source: 'member' as const } : {}) }, by: member ? { role: 'member', id: `m-${i}` } : entry.by };
  });
}

/** What a replay of the whole log says each topic's summary is, newest first. */
function expected(config: WorkflowConfig, log: readonly LogEntry[], now: string): TopicSummary[] {
  const { topics, refused } = replay(config, log);
  assert.deepEqual(refused, [], 'the generated log replays without a refusal');
  const last = new Map<string, number>();
  const first = new Map<string, number>();
  for (const e of log) {
    last.set(e.topicId, e.seq);
    if (!first.has(e.topicId)) first.set(e.topicId, e.seq);
  }
  return [...topics.values()]
    .map((s) => summarizeTopic(s, last.get(s.context.topicId)!, now))
    .sort((a, b) => first.get(b.topicId)! - first.get(a.topicId)!);
}

async function topics(server: TestServer, id: string, query = ''): Promise<Answer> {
  return call(server, `/api/programmes/${id}/topics${query ? `?${query}` : ''}`, { template: TEMPLATE });
}

/** Every page of a query, following the cursor; the items in order and each page's total. */
async function allPages(server: TestServer, id: string, query: string, limit: number): Promise<{ items: TopicSummary[]; totals: number[]; pages: number }> {
  const items: TopicSummary[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  for (let page = 1; page < 100; page += 1) {
    const res = await topics(server, id, [query, `limit=${limit}`, cursor ? `cursor=${cursor}` : ''].filter(Boolean).join('&'));
    assert.equal(res.status, 200, res.text);
    const body = res.body as { items: TopicSummary[]; total: number; cursor: string; more: boolean };
    assert.ok(body.items.length <= limit);
    items.push(...body.items);
    totals.push(body.total);
    if (!body.more) return { items, totals, pages: page };
    cursor = body.cursor;
  }
  throw new Error('more than 100 pages');
}

/** The index rows and bucket counts of a programme, comparable across builds. */
async function snapshotIndex(db: Db, id: string): Promise<unknown> {
  const rows = await db.query('select topic_id, status, state, level, source, category, search, submitted_seq, last_seq, open_due_ms, summary::text as summary from topic_index where programme_id = $1 order by topic_id', [id]);
  const counts = await db.query('select status, level, source, category, n from topic_index_count where programme_id = $1 order by status, level, source, category', [id]);
  return { rows, counts };
}

perDatabase('the topic index', ({ db, server }) => {
  it('a page holds what a replay of the log says of each topic, newest first, with the total', async () => {
    const { id, config } = await programme(db());
    const log = variedLog(config, 30, id);
    await writeLog(db(), id, log);
    const want = expected(config, log, NOW);
    const res = await topics(server(), id, `now=${NOW}&limit=100`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body?.items, want);
    assert.equal(res.body?.total, 30);
    assert.equal(res.body?.more, false);
    // The default page is the 20 newest.
    const first = await topics(server(), id, `now=${NOW}`);
    assert.deepEqual(first.body?.items, want.slice(0, 20));
    assert.equal(first.body?.more, true);
  });

  it('filters by status, level, source, category, overdue and text, each with its own total', async () => {
    const { id, config } = await programme(db());
    const log = variedLog(config, 36, id);
    await writeLog(db(), id, log);
    const want = expected(config, log, NOW);
    const cases: Array<[string, (s: TopicSummary) => boolean]> = [
      ['status=handling', (s) => s.status === 'handling'],
      ['status=screening,rejected,withdrawn', (s) => ['screening', 'rejected', 'withdrawn'].includes(s.status)],
      ['level=street', (s) => s.level === 'street'],
      ['source=member', (s) => s.source === 'member'],
      ['source=member&status=closed', (s) => s.source === 'member' && s.status === 'closed'],
      ['category=lift', (s) => s.category === 'lift'],
      ['category=no-such-category', () => false],
      ['overdue=true', (s) => s.overdue],
      ['overdue=false&status=handling', (s) => !s.overdue && s.status === 'handling'],
      [`q=${encodeURIComponent('路灯')}`, (s) => s.title.includes('路灯')],
      ['q=STREET%20LIGHT', (s) => s.title.toLowerCase().includes('street light')],
      [`q=${encodeURIComponent('路灯')}&status=handling`, (s) => s.title.includes('路灯') && s.status === 'handling'],
    ];
    for (const [query, keep] of cases) {
      const res = await topics(server(), id, `${query}&now=${NOW}&limit=100`);
      assert.equal(res.status, 200, `${query}: ${res.text}`);
      const match = want.filter(keep);
      assert.deepEqual(res.body?.items, match, query);
      assert.equal(res.body?.total, match.length, `${query}: total`);
    }
    // The generated log has topics for each of these filters to find.
    for (const keep of [(s: TopicSummary) => s.overdue, (s: TopicSummary) => s.level === 'street', (s: TopicSummary) => s.source === 'member', (s: TopicSummary) => s.title.includes('路灯')]) {
      assert.ok(want.some(keep));
    }
  });

  it('overdue is judged at the time asked: before the due dates nothing is overdue', async () => {
    const { id, config } = await programme(db());
    await writeLog(db(), id, variedLog(config, 24, id));
    const late = await topics(server(), id, `overdue=true&now=${NOW}`);
    assert.ok((late.body?.total as number) > 0);
    assert.ok((late.body?.items as TopicSummary[]).every((s) => s.overdue && s.measures.some((m) => m.overdue)));
    const early = await topics(server(), id, 'overdue=true&now=2019-06-01T00:00:00Z');
    assert.deepEqual([early.body?.items, early.body?.total], [[], 0]);
    const none = await topics(server(), id, 'now=2019-06-01T00:00:00Z&limit=100');
    assert.ok((none.body?.items as TopicSummary[]).every((s) => !s.overdue));
  });

  it('pages by cursor: every topic once, in order, the same total on every page', async () => {
    const { id, config } = await programme(db());
    const log = variedLog(config, 41, id);
    await writeLog(db(), id, log);
    const want = expected(config, log, NOW);
    const all = await allPages(server(), id, `now=${NOW}`, 7);
    assert.equal(all.pages, 6);
    assert.deepEqual(all.items, want);
    assert.ok(all.totals.every((t) => t === 41));
    const handling = await allPages(server(), id, `status=handling&now=${NOW}`, 2);
    assert.deepEqual(handling.items, want.filter((s) => s.status === 'handling'));
    // A topic raised while a reader pages does not shift the pages it has not read yet.
    const firstPage = await topics(server(), id, `now=${NOW}&limit=10`);
    await writeLog(db(), id, variedLog(config, 1, `${id}-late`).map((e) => ({ ...e, seq: log.length + e.seq })));
    const rest = await allPages(server(), id, `now=${NOW}&cursor=${firstPage.body?.cursor as string}`, 100);
    assert.deepEqual(rest.items, want.slice(10));
  });

  it('catches up with the log: new topics and new events of indexed topics are in the next read', async () => {
    const { id, config } = await programme(db());
    const log = variedLog(config, 12, id);
    await writeLog(db(), id, log.slice(0, 20));
    const before = await topics(server(), id, `now=${NOW}&limit=100`);
    assert.deepEqual(before.body?.items, expected(config, log.slice(0, 20), NOW));
    await writeLog(db(), id, log.slice(20));
    const after = await topics(server(), id, `now=${NOW}&limit=100`);
    assert.deepEqual(after.body?.items, expected(config, log, NOW));
    assert.notDeepEqual(before.body?.items, after.body?.items);
    const [state] = await db().query<{ indexed_seq: number }>('select indexed_seq from topic_index_state where programme_id = $1', [id]);
    assert.equal(state?.indexed_seq, log.length);
  });

  it('rebuilding from nothing gives the same rows and counts, in one pass or in small chunks, and a new config rebuilds it', async () => {
    const { id, config } = await programme(db());
    await writeLog(db(), id, variedLog(config, 30, id));
    assert.equal((await catchUpIndex(db(), id))?.rebuilt, true);
    const built = await snapshotIndex(db(), id);
    assert.ok(((built as { rows: unknown[] }).rows.length) === 30);
    await db().query('delete from topic_index where programme_id = $1', [id]);
    await db().query('delete from topic_index_count where programme_id = $1', [id]);
    await db().query('delete from topic_index_state where programme_id = $1', [id]);
    await catchUpIndex(db(), id);
    assert.deepEqual(await snapshotIndex(db(), id), built);
    assert.ok(((await rebuildIndex(db(), id, { chunk: 7 }))?.topics ?? 0) >= 30);
    assert.deepEqual(await snapshotIndex(db(), id), built, 'built 7 entries at a time');
    // Another config (a new title for the programme): the index is rebuilt under it.
    await addProgramme(db(), 'wuxi-community.json', (c) => {
      c.id = id;
      (c.title as Obj).en = 'Renamed';
    });
    assert.equal((await catchUpIndex(db(), id))?.rebuilt, true);
    assert.deepEqual(await snapshotIndex(db(), id), built);
    assert.equal((await catchUpIndex(db(), id))?.topics, 0, 'nothing new: nothing done');
  });

  it('two catch-ups at once (two server processes) give the index one build gives', async () => {
    const { id, config } = await programme(db());
    const log = variedLog(config, 24, id);
    await writeLog(db(), id, log);
    // Three handles, as three processes have (in one process concurrent calls share one catch-up).
    const handle = () => Object.create(db()) as Db;
    await Promise.all([catchUpIndex(handle(), id, { chunk: 5 }), catchUpIndex(handle(), id, { chunk: 5 }), catchUpIndex(handle(), id, { chunk: 11 })]);
    const concurrent = await snapshotIndex(db(), id);
    await rebuildIndex(db(), id);
    assert.deepEqual(concurrent, await snapshotIndex(db(), id));
    const res = await topics(server(), id, 'status=handling');
    assert.equal(res.body?.total, expected(config, log, NOW).filter((s) => s.status === 'handling').length, 'bucket counts not doubled');
  });

  it('shows no personal value: not the phones, names, e-mails or places of the log', async () => {
    const { id, config } = await programme(db());
    const log = variedLog(config, 24, id);
    await writeLog(db(), id, log);
    const secrets = log.flatMap((e) => {
      if (e.event.type !== 'topic.submit') return [];
      const v = e.event.values as Obj;
      return [v.phone, v.name, v.location].filter((s): s is string => typeof s === 'string');
    });
    assert.ok(secrets.length >= 48);
    for (const query of ['limit=100', 'q=1390000', `q=${encodeURIComponent('居民')}`, 'status=handling']) {
      const res = await topics(server(), id, query);
      assert.equal(res.status, 200);
      for (const secret of secrets) assert.ok(!res.text.includes(secret), `${query} shows ${secret}`);
    }
    assert.equal((await topics(server(), id, 'q=1390000')).body?.total, 0, 'a phone number is not searchable');
  });

  it('a topic submitted over HTTP is in the index of the next read, and found by its follow code', async () => {
    const programmeId = await wuxiProgramme(db());
    const submission = topicSubmission();
    const created = await append(server(), programmeId, submission);
    assert.equal(created.status, 201, created.text);
    const res = await topics(server(), programmeId);
    assert.deepEqual((res.body?.items as TopicSummary[]).map((s) => [s.topicId, s.status]), [[submission.topicId, 'screening']]);
    const code = created.body?.followCode;
    assert.equal(typeof code, 'string', 'an accepted topic.submit answers its follow code');
    assert.ok(!res.text.includes(code as string), 'the index never shows a follow code');
    await append(server(), programmeId, topicSubmission());
    const found = await topics(server(), programmeId, `followCode=${encodeURIComponent((code as string).toLowerCase().replace(/-/g, ' '))}`);
    assert.equal(found.status, 200, found.text);
    assert.deepEqual((found.body?.items as TopicSummary[]).map((s) => s.topicId), [submission.topicId]);
    assert.equal(found.body?.total, 1);
    const wrong = await topics(server(), programmeId, 'followCode=2345-6789-ABCD');
    assert.equal(wrong.status, 404);
    assert.equal(wrong.body?.type, '/problems/follow-code-not-found');
  });

  it('after appends, the index catches up on its own once the log is quiet', async () => {
    const programmeId = await wuxiProgramme(db());
    for (let i = 0; i < 3; i += 1) assert.equal((await append(server(), programmeId, topicSubmission())).status, 201);
    let indexed: number | undefined;
    for (let tries = 0; tries < 100 && indexed !== 3; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      [{ indexed_seq: indexed } = { indexed_seq: undefined }] = await db().query<{ indexed_seq: number }>('select indexed_seq from topic_index_state where programme_id = $1', [programmeId]);
    }
    assert.equal(indexed, 3, 'the watermark reached the log without a read');
    const [rows] = await db().query<{ n: number }>('select count(*)::int as n from topic_index where programme_id = $1', [programmeId]);
    assert.equal(rows?.n, 3);
  });

  it('a bad parameter is a 400 naming it; a cursor not given out, 400 invalid-cursor; an unknown programme, 404', async () => {
    const { id } = await programme(db());
    const bad: Array<[string, string]> = [
      ['status=open', 'status'],
      ['status=', 'status'],
      ['level=planet', 'level'],
      ['source=company', 'source'],
      ['overdue=yes', 'overdue'],
      ['q=%20%20', 'q'],
      [`q=${'x'.repeat(201)}`, 'q'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['now=tomorrow', 'now'],
      ['followCode=K7QM-3XPA', 'followCode'],
      ['followCode=O0O0-1111-IIII', 'followCode'],
      ['status=handling&status=closed', 'status'],
      ['stauts=handling', 'stauts'],
    ];
    for (const [query, parameter] of bad) {
      const res = await topics(server(), id, query);
      assert.equal(res.status, 400, query);
      assert.equal(res.body?.type, '/problems/invalid-request', query);
      assert.equal((res.body?.errors as Obj[])[0]?.parameter, parameter, query);
      assert.match(res.body?.detail as string, new RegExp(`^${parameter} `), query);
    }
    for (const cursor of ['abc', encodeCursor(5).slice(0, -1) + '!', Buffer.from('s0').toString('base64url'), Buffer.from('x12').toString('base64url')]) {
      const res = await topics(server(), id, `cursor=${encodeURIComponent(cursor)}`);
      assert.equal(res.status, 400, cursor);
      assert.equal(res.body?.type, '/problems/invalid-cursor', cursor);
    }
    assert.equal(decodeCursor(encodeCursor(123_456)), 123_456);
    const unknown = await topics(server(), 'no-such-programme');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body?.type, '/problems/unknown-programme');
  });
});
