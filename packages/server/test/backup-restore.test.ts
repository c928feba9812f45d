/**
 * The restore drill, through the real command (`consult-kit-server backup` / `restore`): a
 * database seeded with the example programmes, a year of demo history and live submissions is
 * backed up, restored into a fresh data folder (PGlite) or a fresh database (PostgreSQL, in a
 * throw-away cluster of the test's own), and the restored server shows the same pulls, topic
 * states and figures, and answers a retried submission from its stored key. A restore over a
 * non-empty target is refused without --force, a PGlite folder a running server has open always.
 * The password never appears in what the command prints.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrate } from '../src/db/migrate.js';
import { openDb } from '../src/db/open.js';
import type { Db } from '../src/db/db.js';
import { openPglite } from '../src/db/pglite.js';
import { writeDemoHistory } from '../src/demo/history.js';
import { seedProgrammes } from '../src/programmes.js';
import { CLI_SRC, startCli } from './cli-fixture.js';
import { readViews } from './drill-fixture.js';
import { PEOPLE, pgliteTemplate, serve, topicSubmission } from './helpers.js';
import { ROOT } from './openapi.js';
import { clusterUnavailable, startCluster, type PgCluster } from './pg-cluster.js';

const WUXI = 'wuxi-youshi-haoshangliang';
const TOKEN = PEOPLE.admin.token;

/** Runs the command; resolves with its exit code and everything it printed. */
function command(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; out: string }> {
  const merged: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: undefined, ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_SRC, ...args], { cwd: ROOT, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

/** Seeds the programmes, writes the demo history and two live submissions; returns the live keys and answers. */
async function seed(db: Db): Promise<Array<{ key: string; body: unknown; seq: number }>> {
  await migrate(db);
  await seedProgrammes(db, join(ROOT, 'examples/configs'));
  const reports = await writeDemoHistory(db, { now: new Date() });
  assert.ok(reports.some((r) => r.entries > 100), `a real history: ${JSON.stringify(reports)}`);
  const server = await serve(db);
  try {
    const live = [];
    for (let i = 0; i < 2; i++) {
      const body = topicSubmission();
      const res = await fetch(`${server.url}/api/programmes/${WUXI}/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': body.id as string }, body: JSON.stringify(body) });
      assert.equal(res.status, 201);
      live.push({ key: body.id as string, body, seq: ((await res.json()) as { entry: { seq: number } }).entry.seq });
    }
    return live;
  } finally {
    await server.close();
  }
}

/** The views of a database, and a retried live submission answered from its stored key. */
async function viewsAndReplay(db: Db, live: { key: string; body: unknown; seq: number }): Promise<{ views: unknown; replay: { status: number; seq: number } }> {
  const server = await serve(db);
  try {
    const views = await readViews(server.url, TOKEN);
    const res = await fetch(`${server.url}/api/programmes/${WUXI}/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': live.key }, body: JSON.stringify(live.body) });
    return { views, replay: { status: res.status, seq: ((await res.json()) as { entry: { seq: number } }).entry.seq } };
  } finally {
    await server.close();
  }
}

describe('backup and restore: PGlite data folder', () => {
  const work = mkdtempSync(join(tmpdir(), 'ck-backup-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('restores into a fresh folder with the same pulls, topic states and figures; refuses a non-empty folder without --force', async () => {
    const source = join(work, 'source');
    const db = await openPglite({ dataDir: source, loadDataDir: await pgliteTemplate() });
    const live = await seed(db);
    const before = await viewsAndReplay(db, live[0]!);
    await db.close();
    assert.equal(before.replay.status, 200);

    const file = join(work, 'city.pglite.tar.gz');
    // A server running on the folder: refused (PGlite is one process's database).
    const running = startCli({ args: ['--data', source, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn'] });
    await running.url;
    const whileRunning = await command(['backup', file, '--data', source], {});
    assert.equal(whileRunning.code, 1, whileRunning.out);
    assert.match(whileRunning.out, new RegExp(`a server \\(process ${running.child.pid}\\) has the data folder .* open: stop it first`));
    running.child.kill('SIGTERM');
    assert.equal(await running.exited, 0);

    const backedUp = await command(['backup', file, '--data', source], {});
    assert.equal(backedUp.code, 0, backedUp.out);
    assert.match(backedUp.out, /backup: PGlite data folder .* \(3 programme\(s\), \d+ log entries\) → .*city\.pglite\.tar\.gz \(\d+ bytes/);

    const target = join(work, 'restored');
    const restored = await command(['restore', file, '--data', target], {});
    assert.equal(restored.code, 0, restored.out);
    assert.match(restored.out, /restore: .* → PGlite data folder .*restored: 3 programme\(s\)/);

    const again = await command(['restore', file, '--data', target], {});
    assert.equal(again.code, 1);
    assert.match(again.out, /is not empty .* --force/);
    const forced = await command(['restore', file, '--data', target, '--force'], {});
    assert.equal(forced.code, 0, forced.out);
    assert.match(forced.out, /\(replaced, --force\)/);

    const copy = await openDb({ dataDir: target });
    const after = await viewsAndReplay(copy, live[0]!);
    await copy.close();
    assert.deepEqual(after.views, before.views, 'the same pulls, topic states and figures');
    assert.deepEqual(after.replay, { status: 200, seq: live[0]!.seq }, 'a retried submission is answered from its stored key, not stored again');

    // A pg_dump file is not a data folder dump, and a missing folder is named.
    writeFileSync(join(work, 'fake.dump'), 'PGDMP\x01\x0e');
    const wrong = await command(['restore', join(work, 'fake.dump'), '--data', join(work, 'other')], {});
    assert.equal(wrong.code, 1);
    assert.match(wrong.out, /not a PGlite data dump \(it is a pg_dump file: restore it with DATABASE_URL set\)/);
    const none = await command(['backup', join(work, 'x.tar.gz'), '--data', join(work, 'nowhere')], {});
    assert.equal(none.code, 1);
    assert.match(none.out, /no PGlite data folder at .*nowhere/);
    assert.ok(!existsSync(join(work, 'x.tar.gz')));
  });
});

const unavailable = process.env.DATABASE_URL ? clusterUnavailable() : 'DATABASE_URL is not set (PostgreSQL tests run where .ci/run can start PostgreSQL)';
if (unavailable) console.log(`backup and restore on PostgreSQL: SKIPPED — ${unavailable}`);

describe('backup and restore: PostgreSQL (pg_dump / pg_restore)', { skip: unavailable }, () => {
  let cluster: PgCluster;
  const work = mkdtempSync(join(tmpdir(), 'ck-backup-pg-'));
  const password = `pw-${Math.random().toString(36).slice(2)}-secret`;
  before(() => {
    cluster = startCluster();
  });
  after(() => {
    cluster?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('restores into a fresh database with the same pulls, topic states and figures; never prints the password', async () => {
    const sourceUrl = cluster.createDatabase('ck_source', password);
    const db = await openDb({ databaseUrl: sourceUrl });
    const live = await seed(db);
    const before = await viewsAndReplay(db, live[1]!);
    await db.close();

    const file = join(work, 'city.dump');
    const noTool = await command(['backup', file, '--pg-bin', join(work, 'no-bin')], { DATABASE_URL: sourceUrl });
    assert.equal(noTool.code, 1);
    assert.match(noTool.out, /pg_dump not found in --pg-bin .*no-bin: install PostgreSQL's client tools/);

    const backedUp = await command(['backup', file, '--pg-bin', cluster.bin], { DATABASE_URL: sourceUrl });
    assert.equal(backedUp.code, 0, backedUp.out);
    assert.match(backedUp.out, /backup: PostgreSQL postgres:\/\/consult_kit:\*\*\*@localhost\/ck_source.* \(3 programme\(s\), \d+ log entries\) → .*city\.dump \(\d+ bytes, pg_dump custom format/);

    const targetUrl = cluster.createDatabase('ck_target', password);
    const restored = await command(['restore', file], { DATABASE_URL: targetUrl, PG_BIN: cluster.bin });
    assert.equal(restored.code, 0, restored.out);
    assert.match(restored.out, /restore: .*city\.dump → PostgreSQL .*ck_target.*: 3 programme\(s\)/);
    const again = await command(['restore', file], { DATABASE_URL: targetUrl, PG_BIN: cluster.bin });
    assert.equal(again.code, 1);
    assert.match(again.out, /is not empty \(\d+ table\(s\) in its schema\): .* --force/);
    const forced = await command(['restore', file, '--force'], { DATABASE_URL: targetUrl, PG_BIN: cluster.bin });
    assert.equal(forced.code, 0, forced.out);
    for (const out of [noTool.out, backedUp.out, restored.out, again.out, forced.out]) assert.ok(!out.includes(password), `no password in: ${out}`);

    const copy = await openDb({ databaseUrl: targetUrl });
    const after = await viewsAndReplay(copy, live[1]!);
    await copy.close();
    assert.deepEqual(after.views, before.views, 'the same pulls, topic states and figures');
    assert.deepEqual(after.replay, { status: 200, seq: live[1]!.seq });
  });
});
