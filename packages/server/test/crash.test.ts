/**
 * The crash drill for events (notify-kill.test.ts does the same for the notice outbox): the real
 * command under steady load — 8 clients submitting topics, each with its own Idempotency-Key —
 * is killed with SIGKILL five times, on a PGlite data folder and on PostgreSQL. After each kill
 * the command starts again on the same data, which opens cleanly, and the requests that were not
 * acknowledged are sent again with the same keys (a 409 for a key the dead process held in flight
 * is retried until `--stale-after` lets it be taken over). In the end every acknowledged event is
 * stored exactly once, at the seq its answers named, and nothing else is (acknowledged = stored,
 * nothing doubled, seqs without holes).
 *
 * Needs the built server (`npm run build`; npm test does); PostgreSQL when DATABASE_URL is set.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { CLI_DIST, startCli, until } from './cli-fixture.js';
import { pullAll } from './drill-fixture.js';
import { PEOPLE, pgliteTemplate, topicSubmission } from './helpers.js';
import { ROOT } from './openapi.js';
import { freshSchema } from './pg-schema.js';

const WUXI = 'wuxi-youshi-haoshangliang';
const KILLS = 5;
const CLIENTS = 8;
const TOKENS_JSON = JSON.stringify(Object.fromEntries(Object.values(PEOPLE).map(({ token, ...p }) => [token, p])));

type Body = ReturnType<typeof topicSubmission>;

/** The drill on one database; returns what it counted. */
async function drill(location: { dataDir?: string; databaseUrl?: string }): Promise<{ acknowledged: number; retried: number; replayed: number; perKill: number[] }> {
  const args = ['--port', '0', '--host', '127.0.0.1', '--seed', join(ROOT, 'examples/configs'), '--log-level', 'warn', '--stale-after', '1', '--rate-limit', '1000000', '--resident-writes', '1000000', '--resident-address-writes', '1000000'];
  const start = () =>
    startCli({
      built: true,
      args: location.dataDir ? [...args, '--data', location.dataDir] : args,
      env: { CONSULT_TOKENS: TOKENS_JSON, ...(location.databaseUrl ? { DATABASE_URL: location.databaseUrl } : {}) },
    });
  /** key → the seq every acknowledgement named. */
  const acknowledged = new Map<string, number>();
  /** Sent and not acknowledged (the connection died, or 5xx/409 when the process went). */
  const pending = new Map<string, Body>();
  let retried = 0;
  /** Retries answered 200: stored before the kill, but the answer never arrived. */
  let replayed = 0;
  let retrying = false;
  const perKill: number[] = [];

  const ack = (key: string, seq: number) => {
    const before = acknowledged.get(key);
    assert.ok(before === undefined || before === seq, `${key}: acknowledged at seq ${before}, then at ${seq}`);
    acknowledged.set(key, seq);
    pending.delete(key);
  };
  /** One request; true when acknowledged. */
  const send = async (base: string, body: Body): Promise<boolean> => {
    try {
      const res = await fetch(`${base}/api/programmes/${WUXI}/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': body.id }, body: JSON.stringify(body) });
      const text = await res.text();
      if (res.status === 200 || res.status === 201) {
        if (retrying && res.status === 200) replayed += 1;
        ack(body.id, (JSON.parse(text) as { entry: { seq: number } }).entry.seq);
        return true;
      }
      assert.ok(res.status === 409 || res.status === 503 || res.status >= 500, `only a key in flight or an unavailable server are not acknowledged: ${res.status} ${text}`);
      return false;
    } catch {
      return false; // the process died under the request
    }
  };

  for (let round = 0; round <= KILLS; round++) {
    const cli = start();
    const base = await cli.url;
    assert.doesNotMatch(cli.output(), /error|panic|corrupt/i, `round ${round}: the data opened cleanly`);
    // First the requests the last process did not acknowledge, with their keys.
    const again = [...pending.values()];
    retried += again.length;
    retrying = true;
    for (const body of again) {
      await until(`${body.id} acknowledged after the restart`, () => send(base, body), 30_000);
    }
    retrying = false;
    assert.equal(pending.size, 0);
    if (round === KILLS) {
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exited, 0);
      break;
    }
    // Steady load, killed once a random number of acknowledgements in.
    const target = acknowledged.size + 40 + Math.floor(Math.random() * 80);
    let killed = false;
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (!killed) {
        const body = topicSubmission();
        pending.set(body.id, body);
        if (!(await send(base, body))) await new Promise((r) => setTimeout(r, 10));
      }
    });
    await until(`${target} acknowledged`, () => acknowledged.size >= target || cli.child.exitCode !== null, 120_000);
    cli.child.kill('SIGKILL');
    await cli.exited;
    killed = true;
    await Promise.all(clients);
    perKill.push(pending.size);
  }

  // What is stored: pulled from a last start, and for PGlite read from the folder directly.
  const cli = start();
  const base = await cli.url;
  const log = await pullAll(base, WUXI, PEOPLE.admin.token);
  cli.child.kill('SIGTERM');
  assert.equal(await cli.exited, 0);
  assert.deepEqual(log.map((e) => e.seq), log.map((_, i) => i + 1), 'seqs without holes');
  const ids = log.map((e) => e.id as string);
  assert.equal(new Set(ids).size, ids.length, 'nothing doubled');
  assert.deepEqual(ids.slice().sort(), [...acknowledged.keys()].sort(), 'acknowledged = stored');
  for (const e of log) assert.equal(e.seq, acknowledged.get(e.id as string), `${e.id as string} at the seq its answers named`);
  if (location.dataDir) {
    const pg = await PGlite.create(location.dataDir);
    const [row] = (await pg.query<{ n: number }>("select count(*)::int as n from log_entry where programme_id = $1", [WUXI])).rows;
    await pg.close();
    assert.equal(row?.n, acknowledged.size, 'the folder opens cleanly and holds every acknowledged entry');
  }
  return { acknowledged: acknowledged.size, retried, replayed, perKill };
}

describe('SIGKILL under steady load, five times', () => {
  const work = mkdtempSync(join(tmpdir(), 'ck-crash-'));
  before(() => assert.ok(existsSync(CLI_DIST), `the server is built (${CLI_DIST}): npm run build (npm test does)`));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('PGlite data folder: acknowledged = stored, nothing doubled, the folder opens cleanly each time', async () => {
    const dataDir = join(work, 'data');
    const pg = await PGlite.create(dataDir, { loadDataDir: await pgliteTemplate() });
    await pg.close();
    const result = await drill({ dataDir });
    console.log(`crash test (PGlite): ${result.acknowledged} acknowledged, ${KILLS} SIGKILLs, unacknowledged at each kill ${result.perKill.join(', ')} (${result.retried} sent again with their keys, ${result.replayed} of them stored before the kill and answered 200), 0 lost, 0 doubled`);
  });

  const noPg = process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set';
  if (noPg) console.log(`crash test (PostgreSQL): SKIPPED — ${noPg}`);
  it('PostgreSQL: acknowledged = stored, nothing doubled', { skip: noPg }, async () => {
    const schema = await freshSchema(process.env.DATABASE_URL!, 'ck_crash');
    try {
      const result = await drill({ databaseUrl: schema.url });
      console.log(`crash test (PostgreSQL): ${result.acknowledged} acknowledged, ${KILLS} SIGKILLs, unacknowledged at each kill ${result.perKill.join(', ')} (${result.retried} sent again with their keys, ${result.replayed} of them stored before the kill and answered 200), 0 lost, 0 doubled`);
    } finally {
      await schema.drop();
    }
  });
});
