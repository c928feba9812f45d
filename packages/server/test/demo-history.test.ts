/**
 * `--demo-history`: the server started on a fresh PGlite folder writes a year of history into
 * each example programme — topics in every room, rooms whose grades differ, trends over many
 * months, performance files with counts — every stored entry one the machine's rules accept
 * (`replayStrict`), residents' names kept apart from the log; a restart adds nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { replayStrict, type PerformanceFile, type RoomGradeRecord, type Trends } from '@consult-kit/machine';
import { loadOptions } from '../src/config.js';
import { allEntries } from '../src/event-log.js';
import { findProgramme } from '../src/programmes.js';
import { formatDemoReports, startServer, type RunningServer } from '../src/server.js';
import { pgliteTemplate } from './helpers.js';
import { ROOT } from './openapi.js';

const NOW = new Date('2026-11-20T08:00:00.000Z');
const ADMIN = 'demo-test-admin-token';

describe('demo history (--demo-history)', () => {
  const work = mkdtempSync(join(tmpdir(), 'consult-kit-demo-'));
  const dataDir = join(work, 'data');
  const seedDir = join(work, 'configs');
  const tokensFile = join(work, 'tokens.json');
  const options = () => ({
    ...loadOptions(['--data', dataDir, '--port', '0', '--host', '127.0.0.1', '--seed', seedDir, '--tokens', tokensFile, '--log-level', 'silent'], { CONSULT_TOKENS: undefined }),
    clock: () => NOW,
    demoHistory: true,
  });
  let server: RunningServer | undefined;
  let counts: Map<string, number>;

  before(async () => {
    cpSync(join(ROOT, 'examples/configs'), seedDir, { recursive: true });
    writeFileSync(tokensFile, JSON.stringify({ [ADMIN]: { role: 'admin', id: 'admin-1' } }));
    const pg = await PGlite.create(dataDir, { loadDataDir: await pgliteTemplate() });
    await pg.close();
    server = await startServer(options());
    counts = new Map(server.demo.map((r) => [r.programme, r.entries]));
  });
  after(async () => {
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const get = async <T>(path: string, token?: string): Promise<T> => {
    const res = await fetch(`${server!.url}/api${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
    return (await res.json()) as T;
  };

  it('writes history into every example programme, refusing nothing, and says how long it took', () => {
    assert.equal(server!.demo.length, 3);
    for (const report of server!.demo) {
      assert.equal(report.skipped, false, report.programme);
      assert.equal(report.refused, 0, `${report.programme}: the generator only writes what the machine accepts`);
      assert.ok(report.topics >= 45, `${report.programme}: ${report.topics} topics`);
    }
    const lines = formatDemoReports(server!.demo, server!.demoMs);
    assert.match(lines.at(-1)!, /^demo history: \d+ ms$/);
  });

  it('every stored entry replays under the rules (replayStrict), and names of residents are not in the log', async () => {
    for (const { programme } of server!.demo) {
      const stored = await findProgramme(server!.db, programme);
      const entries = await allEntries(server!.db, programme);
      assert.equal(entries.length, counts.get(programme));
      assert.ok(entries.every((e) => e.receivedAt === e.at), 'received when it happened');
      const topics = replayStrict(stored!.config, entries);
      assert.ok([...topics.values()].some((t) => t.status === 'done'), 'some topics are closed');
      const text = JSON.stringify(entries);
      assert.ok(!text.includes('演示居民'), `${programme}: residents' names are kept apart`);
      assert.ok(!/1390000\d{4}/.test(text), `${programme}: phone numbers are kept apart`);
      const [kept] = await server!.db.query<{ n: number }>(`select count(*)::int as n from personal_value where programme_id = $1 and vals::text like '%演示居民%'`, [programme]);
      assert.ok(kept!.n > 0, `${programme}: the names are stored as personal values`);
    }
  });

  it('each programme has topics in every room, grades that differ between rooms, and months of trends', async () => {
    for (const { programme } of server!.demo) {
      const { rooms } = await get<{ rooms: Array<{ id: string; topics: number; grade: RoomGradeRecord }> }>(`/programmes/${programme}/rooms?now=${NOW.toISOString()}`);
      assert.ok(rooms.length >= 3);
      for (const room of rooms) {
        assert.ok(room.topics >= 10, `${programme}/${room.id}: ${room.topics} topics`);
        const page = await get<{ items: Array<{ room?: string }> }>(`/programmes/${programme}/topics?room=${room.id}&limit=5`);
        assert.ok(page.items.length > 0 && page.items.every((t) => t.room === room.id), `${programme}/${room.id} in the index`);
        assert.ok(room.grade.figures.sessionsHeld > 0 && room.grade.figures.ratings > 0, `${programme}/${room.id} met and was rated`);
      }
      const stars = new Set(rooms.map((r) => r.grade.grade.stars));
      assert.ok(stars.size >= 2, `${programme}: grades differ (${[...stars].join(', ')})`);
      const trends = await get<Trends>(`/programmes/${programme}/trends?now=${NOW.toISOString()}`);
      const active = trends.months.filter((m) => m.raisedTotal > 0);
      assert.ok(active.length >= 10, `${programme}: ${active.length} months with topics`);
      const raised = active.map((m) => m.raisedTotal);
      assert.ok(Math.max(...raised) >= 2 * Math.min(...raised), `${programme}: busier and quieter months (${raised.join(' ')})`);
      assert.ok(trends.months.some((m) => m.late > 0) && trends.months.some((m) => m.onTime > 0), 'measures on time and late');
      const sources = new Set(trends.months.flatMap((m) => Object.entries(m.raised).filter(([, n]) => n > 0).map(([s]) => s)));
      assert.ok(sources.size >= 3, `${programme}: topics from every source (${[...sources].join(', ')})`);
    }
  });

  it('a year of performance files with something in them for the members', async () => {
    const { files } = await get<{ files: PerformanceFile[] }>(`/programmes/wuxi-youshi-haoshangliang/performance?year=2026&now=${NOW.toISOString()}`, ADMIN);
    assert.ok(files.length >= 10);
    assert.ok(files.some((f) => f.counts.meetingsAttended > 0 && f.counts.suggestionsMade > 0), 'members attended and made suggestions');
    assert.ok(files.some((f) => f.met === f.of) && files.some((f) => f.met < f.of), 'some meet every target, some do not');
  });

  it('a restart adds nothing', async () => {
    await server!.close();
    server = await startServer(options());
    assert.ok(server.demo.every((r) => r.skipped && r.entries === 0));
    for (const [programme, n] of counts) assert.equal((await allEntries(server.db, programme)).length, n);
  });
});
