/**
 * Issue 21, "Bad input and failure": PostgreSQL stopped under a running server. Every way the
 * database can be unreachable (connections cut by `pg_ctl stop -m immediate` and `-m fast`, then
 * no socket at all: `connect ENOENT`) answers 503 unavailable with `Retry-After`, not 500; once
 * PostgreSQL is back the same process serves again (the pool holds no dead connections), and
 * every event acknowledged before the outage is there, once. Runs on a throw-away cluster of its
 * own (never the shared one); skipped, saying why, when not root or without PostgreSQL binaries.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { isUnavailable, type Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { openPostgres } from '../src/db/postgres.js';
import { append, call, PATHS, PEOPLE, serve, topicSubmission, wuxiProgramme, type Answer, type TestServer } from './helpers.js';

/** The newest Debian PostgreSQL binaries, or why there are none to use. */
function binaries(): { bin: string } | { skip: string } {
  if (process.getuid?.() !== 0) return { skip: 'not root: cannot run a PostgreSQL cluster of its own (as the postgres user)' };
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin/initdb'))) : [];
  if (versions.length === 0) return { skip: 'no PostgreSQL binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql, as .ci/run does)' };
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
  } catch {
    return { skip: 'no postgres user' };
  }
  return { bin: join(base, versions.sort((a, b) => Number(a) - Number(b)).at(-1)!, 'bin') };
}

const found = binaries();
if ('skip' in found) console.log(`# PostgreSQL outage tests SKIPPED: ${found.skip}`);

describe('hardening: PostgreSQL stopped under a running server', { skip: 'skip' in found ? found.skip : false }, () => {
  const bin = 'bin' in found ? found.bin : '';
  let dir = '';
  let db: Db | undefined;
  let server: TestServer | undefined;
  let programme = '';
  /** Entries the server acknowledged (201), by id. */
  const acknowledged = new Set<string>();

  const pg = (tool: string, ...args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const start = () => pg('pg_ctl', '-D', join(dir, 'data'), '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-c listen_addresses='' -k ${dir} -p 5432 -c fsync=off`, 'start');
  const stop = (mode: 'immediate' | 'fast') => pg('pg_ctl', '-D', join(dir, 'data'), '-m', mode, '-w', '-t', '60', 'stop');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ck-outage-'));
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), 0);
    pg('initdb', '-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync');
    start();
    pg('psql', '-h', dir, '-p', '5432', '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q', '-c', "create user consult_kit password 'consult_kit'", '-c', 'create database outage owner consult_kit');
    db = await openPostgres({ connectionString: `postgres://consult_kit:consult_kit@localhost/outage?host=${dir}&port=5432`, max: 4 });
    await migrate(db);
    server = await serve(db);
    programme = await wuxiProgramme(db);
  });
  after(async () => {
    await server?.close();
    await db?.close().catch(() => {});
    try {
      stop('immediate');
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** Appends new topics as a resident; records what was acknowledged. */
  const appendSome = async (count: number): Promise<Answer[]> => {
    const answers: Answer[] = [];
    for (let i = 0; i < count; i++) {
      const res = await append(server!, programme, topicSubmission());
      if (res.status === 201) acknowledged.add((res.body as { entry: { id: string } }).entry.id);
      answers.push(res);
    }
    return answers;
  };

  const expectUnavailable = (res: Answer, what: string) => {
    assert.equal(res.status, 503, `${what}: ${res.status} ${res.text}`);
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8', what);
    assert.equal(res.body?.type, '/problems/unavailable', what);
    assert.match(res.headers.get('retry-after') ?? '', /^\d+$/, what);
    // Never the connection string, the socket's folder or the driver's message.
    assert.ok(!res.text.includes(dir) && !/ENOENT|ECONN|postgres:|consult_kit/.test(res.text), `${what}: ${res.text}`);
  };

  /** Every request a client would make while the database is down: all 503, never 500. */
  const probeDown = async (phase: string) => {
    for (const res of await appendSome(3)) expectUnavailable(res, `${phase}: append`);
    expectUnavailable(await call(server!, `/api/programmes/${programme}/events`, { token: PEOPLE.convener.token, template: PATHS.events }), `${phase}: staff pull`);
    expectUnavailable(await call(server!, `/api/programmes/${programme}/events`, { template: PATHS.events }), `${phase}: public pull`);
    expectUnavailable(await call(server!, '/api/programmes', { template: PATHS.programmes }), `${phase}: programme list`);
  };

  /** After PostgreSQL is back, the same process serves: the first append after it is a 201. */
  const probeBack = async (phase: string) => {
    const [res] = await appendSome(1);
    assert.equal(res!.status, 201, `${phase}: ${res!.status} ${res!.text}`);
    const entries: Array<{ id: string }> = [];
    let after = '';
    for (;;) {
      const page = await call(server!, `/api/programmes/${programme}/events?limit=200${after ? `&after=${after}` : ''}`, { token: PEOPLE.convener.token, template: PATHS.events });
      assert.equal(page.status, 200, `${phase}: pull ${page.text}`);
      const body = page.body as { entries: Array<{ id: string }>; cursor: string; more: boolean };
      entries.push(...body.entries);
      if (!body.more) break;
      after = body.cursor;
    }
    const ids = entries.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, `${phase}: an entry is stored twice`);
    for (const id of acknowledged) assert.ok(ids.includes(id), `${phase}: acknowledged ${id} is missing`);
    assert.equal(ids.length, acknowledged.size, `${phase}: stored ${ids.length}, acknowledged ${acknowledged.size}`);
  };

  it('before the outage: events are acknowledged', async () => {
    const answers = await appendSome(20);
    assert.deepEqual(answers.map((a) => a.status), Array(20).fill(201));
  });

  it('stop -m immediate (connections cut, then no socket): 503 with Retry-After for appends and reads; back: serves, nothing lost or doubled', async () => {
    stop('immediate');
    await probeDown('immediate');
    start();
    await probeBack('after immediate');
  });

  it('stop -m fast (57P01 admin shutdown to every connection): 503; back: serves, nothing lost or doubled', async () => {
    await appendSome(5);
    stop('fast');
    await probeDown('fast');
    start();
    await probeBack('after fast');
  });

  it('an append refused with 503 and retried with the same Idempotency-Key after the outage is stored once', async () => {
    stop('fast');
    const body = topicSubmission(`t-${randomUUID()}`);
    expectUnavailable(await append(server!, programme, body), 'outage');
    start();
    const first = await append(server!, programme, body);
    assert.equal(first.status, 201, first.text);
    acknowledged.add(body.id);
    const again = await append(server!, programme, body);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    await probeBack('after retry');
  });

  it('the health check answered throughout (the process never crashed)', async () => {
    const res = await fetch(`${server!.url}/healthz`);
    assert.equal(res.status, 200);
  });
});

describe('isUnavailable', () => {
  it('recognises every way the database can be unreachable, and only those', () => {
    const err = (message: string, props: Record<string, unknown> = {}) => Object.assign(new Error(message), props);
    const yes = [
      err('connect ENOENT /tmp/x/.s.PGSQL.5432', { code: 'ENOENT', syscall: 'connect' }),
      err('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED', syscall: 'connect' }),
      Object.assign(new AggregateError([err('connect ECONNREFUSED ::1:5432', { code: 'ECONNREFUSED' }), err('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' })], ''), {}),
      err('terminating connection due to administrator command', { code: '57P01' }),
      err('terminating connection because of crash of another server process', { code: '57P02' }),
      err('the database system is starting up', { code: '57P03' }),
      err('server closed the connection', { code: '08006' }),
      err('protocol violation', { code: '08P01' }),
      err('Connection terminated unexpectedly'),
      err('timeout exceeded when trying to connect'),
      err('Client has encountered a connection error and is not queryable'),
      err('a wrapper', { cause: err('getaddrinfo EAI_AGAIN db', { code: 'EAI_AGAIN' }) }),
      err('PGlite is closed'),
    ];
    for (const e of yes) assert.ok(isUnavailable(e), e.message);
    const no = [
      err('duplicate key value violates unique constraint', { code: '23505' }),
      err("ENOENT: no such file or directory, open 'x'", { code: 'ENOENT', syscall: 'open' }),
      err('syntax error', { code: '42601' }),
      new TypeError('x is undefined'),
      null,
      'a string',
    ];
    for (const e of no) assert.ok(!isUnavailable(e), String((e as Error | null)?.message ?? e));
  });
});
