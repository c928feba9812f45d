/**
 * The kill test: the real server (`node packages/server/dist/cli.js`) on a PGlite data folder,
 * with a `--notify` file pointing at the example receiver (examples/webhook-receiver), is killed
 * with SIGKILL while it delivers a few hundred notices, then started again on the same folder.
 * Every notice arrives, each is handled exactly once after the receiver's deduplication by
 * webhook-id, and every outbox row ends `sent`. The raw duplicates the crash window caused (sent,
 * answered 2xx, but not yet marked sent when the process died) are counted and printed: at-least-
 * once sending with a stable webhook-id is the guarantee, exactly-once is the receiver's dedup.
 *
 * Needs the built server (`npx rollup -c rollup.config.js`).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrate } from '../src/db/migrate.js';
import { openPglite } from '../src/db/pglite.js';
import { upsertProgramme } from '../src/programmes.js';
// @ts-expect-error -- a plain .mjs example without types
import { createReceiver } from '../../../examples/webhook-receiver/receiver.mjs';
import { exampleConfig } from './helpers.js';
import { enqueue, intentFor, newSecret, testNotify } from './notify-fixture.js';
import { ROOT } from './openapi.js';

const NOTICES = 300;
const CLI = join(ROOT, 'packages/server/dist/cli.js');

interface Receiver {
  handler: (request: IncomingMessage, response: ServerResponse) => void;
  stats: { requests: number; duplicates: number; rejected: number; accepted: number };
}

const ADMIN = 'tok-admin-kill-test-aaaaaaaaaaaa';

/** The environment without DATABASE_URL, which would send the command to PostgreSQL instead of the folder. */
function withoutDatabaseUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...rest } = env;
  return rest;
}

/** The CLI on the folder; `url` resolves once it says where it listens. */
function startCli(dataDir: string, notifyFile: string): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [CLI, '--data', dataDir, '--notify', notifyFile, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // The PGlite folder the test seeded, even where DATABASE_URL is set for the other suites (CI).
    env: { ...withoutDatabaseUrl(process.env), CONSULT_TOKENS: JSON.stringify({ [ADMIN]: { role: 'admin', id: 'a-kill', name: 'Operator' } }), CONSULT_TOKENS_FILE: '', CONSULT_FOLLOW_SECRET: '' },
  });
  child.stderr?.resume();
  const url = new Promise<string>((resolve) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /server on (http:\/\/[^/\s]+)\//.exec(out);
      if (match) resolve(match[1]!);
    });
  });
  return { child, url };
}

/** How many of the programme's rows are still pending, asked of the running server. */
async function pendingRows(url: string): Promise<number> {
  const res = await fetch(`${url}/api/programmes/kill-test/notices?state=pending&limit=1`, { headers: { authorization: `Bearer ${ADMIN}` } });
  assert.equal(res.status, 200);
  return Number(((await res.json()) as { total: number }).total);
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('kill -9 while delivering: after a restart every notice is delivered, once per notice after dedup by webhook-id', async () => {
  assert.ok(existsSync(CLI), 'the server is built (npx rollup -c rollup.config.js)');
  const dir = mkdtempSync(join(tmpdir(), 'ck-kill-'));
  const dataDir = join(dir, 'data');
  const secret = newSecret();
  const handled = new Map<string, number>();
  const receiver = createReceiver({
    secret,
    log: () => undefined,
    onNotice: async ({ id }: { id: string }) => {
      // A receiver that takes a moment per notice, so the kill lands mid-delivery.
      await new Promise((r) => setTimeout(r, 15));
      handled.set(id, (handled.get(id) ?? 0) + 1);
    },
  }) as Receiver;
  const http = createServer(receiver.handler);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`;
  const notify = testNotify({ webhooks: [{ id: 'city', url, secret }], retry: { delaysSeconds: [1, 1, 1, 1, 1], timeoutMs: 500 }, tickMs: 100 });
  const notifyFile = join(dir, 'notify.json');
  writeFileSync(notifyFile, JSON.stringify({ webhooks: notify.webhooks, retry: notify.retry, tickMs: notify.tickMs, publicUrl: notify.publicUrl }));

  let child: ChildProcess | undefined;
  try {
    // Notices queued as the clock would queue them, before the server starts.
    const ids: string[] = [];
    {
      const db = await openPglite({ dataDir });
      await migrate(db);
      const stored = await upsertProgramme(db, exampleConfig('wuxi-community.json', (c) => (c.id = 'kill-test')));
      assert.ok(stored.ok);
      const intents = Array.from({ length: NOTICES }, (_, i) => intentFor(`t-${i}`, { key: `t-${i}:measure.overdue:m-1:2026-12-01` }));
      assert.equal(await enqueue(db, 'kill-test', intents, notify, Date.now()), NOTICES);
      ids.push(...(await db.query<{ id: string }>('select id from notice_outbox order by id')).map((r) => r.id));
      await db.close();
    }

    ({ child } = startCli(dataDir, notifyFile));
    await until('the first deliveries', () => handled.size >= NOTICES / 5, 60_000);
    child.kill('SIGKILL');
    await exited(child);
    const atKill = handled.size;
    assert.ok(atKill > 0 && atKill < NOTICES, `killed while delivering (${atKill} of ${NOTICES} handled)`);

    const second = startCli(dataDir, notifyFile);
    child = second.child;
    await until('every notice', () => handled.size === NOTICES, 90_000);
    // Rows the killed process had sent but not marked wait out its lease, then go again (the
    // raw duplicates): the server is stopped once it holds none pending.
    const url = await second.url;
    const deadline = Date.now() + 90_000;
    for (let pending = await pendingRows(url); pending > 0; pending = await pendingRows(url)) {
      assert.ok(Date.now() < deadline, `${pending} rows still pending`);
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGTERM');
    assert.equal(await exited(child), 0, 'stops cleanly');
    child = undefined;

    assert.deepEqual([...handled.keys()].sort(), ids, 'every notice id arrived');
    assert.ok([...handled.values()].every((n) => n === 1), 'each handled once after dedup by webhook-id');
    assert.equal(receiver.stats.rejected, 0, 'every signature verified');
    const db = await openPglite({ dataDir });
    const states = await db.query<{ state: string; n: number }>('select state, count(*)::int as n from notice_outbox group by state');
    // Attempts per row: more than one means a retry (a timeout under load, or a row the killed process held).
    const attempts = await db.query<{ attempts: number; n: number }>('select attempts, count(*)::int as n from notice_outbox group by attempts order by attempts');
    await db.close();
    assert.deepEqual(states, [{ state: 'sent', n: NOTICES }]);
    // The honest number: raw repeats the crash window caused (the receiver answered them 200).
    console.log(`kill test: ${NOTICES} notices, ${atKill} handled before SIGKILL, ${receiver.stats.requests} requests, ${receiver.stats.duplicates} raw duplicates deduplicated by webhook-id; rows by attempts: ${attempts.map((a) => `${a.attempts}×${a.n}`).join(', ')}`);
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
});
