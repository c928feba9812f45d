/**
 * The whole server as `npm start` runs it: PGlite in a data folder survives a restart (start,
 * append, stop, start, pull), the seed configs are upserted (a bad one reported and skipped), and
 * the command stops cleanly on SIGTERM.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { PGlite } from '@electric-sql/pglite';
import { loadOptions } from '../src/config.js';
import { formatSeedReports, startServer, type RunningServer } from '../src/server.js';
import { PEOPLE, pgliteTemplate, topicSubmission } from './helpers.js';
import { ROOT as ROOT_DIR } from './openapi.js';

const WUXI = 'wuxi-youshi-haoshangliang';

describe('restart with data kept (PGlite in a folder)', () => {
  const work = mkdtempSync(join(tmpdir(), 'consult-kit-server-'));
  const dataDir = join(work, 'data');
  const seedDir = join(work, 'configs');
  const tokensFile = join(work, 'tokens.json');
  const env = { CONSULT_TOKENS: undefined };
  const options = () => loadOptions(['--data', dataDir, '--port', '0', '--host', '127.0.0.1', '--seed', seedDir, '--tokens', tokensFile, '--log-level', 'silent'], env);
  const running: RunningServer[] = [];

  before(async () => {
    cpSync(join(ROOT_DIR, 'examples/configs'), seedDir, { recursive: true });
    writeFileSync(join(seedDir, 'broken.json'), JSON.stringify({ id: 'broken', version: 'one' }));
    writeFileSync(tokensFile, JSON.stringify({ [PEOPLE.convener.token]: { role: 'convener', id: PEOPLE.convener.id } }));
    // Start from an initialised data folder (initdb takes seconds; the template a fraction of one).
    const pg = await PGlite.create(dataDir, { loadDataDir: await pgliteTemplate() });
    await pg.close();
  });
  after(async () => {
    for (const server of running) await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  const body = topicSubmission();

  it('starts, seeds the example configs (reporting the broken one), and appends', async () => {
    const server = await startServer(options());
    running.push(server);
    const lines = formatSeedReports(server.seeded);
    assert.ok(lines.some((l) => l.startsWith('✗') && l.includes('broken.json')), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('/version') && l.includes('[pattern]')), lines.join('\n'));
    assert.equal(server.seeded.filter((r) => r.ok).length, 3);
    const res = await fetch(`${server.url}/api/programmes/${WUXI}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': body.id },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201);
    await server.close();
    await server.close(); // closing twice is harmless
  });

  it('starts again on the same folder: the entry is there, the key still bound, seqs go on', async () => {
    const server = await startServer(options());
    running.push(server);
    const pulled = await fetch(`${server.url}/api/programmes/${WUXI}/events`, { headers: { authorization: `Bearer ${PEOPLE.convener.token}` } });
    const page = (await pulled.json()) as { entries: Array<{ id: string; seq: number }> };
    assert.deepEqual(page.entries.map((e) => [e.id, e.seq]), [[body.id, 1]]);
    const replay = await fetch(`${server.url}/api/programmes/${WUXI}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': body.id },
      body: JSON.stringify(body),
    });
    assert.equal(replay.status, 200);
    const next = topicSubmission();
    const res = await fetch(`${server.url}/api/programmes/${WUXI}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': next.id },
      body: JSON.stringify(next),
    });
    assert.equal(((await res.json()) as { entry: { seq: number } }).entry.seq, 2);
    await server.close();
  });

  it('the command starts on the folder and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'packages/server/src/cli.ts'), '--data', dataDir, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn'], {
      cwd: ROOT_DIR,
      env: { ...process.env, DATABASE_URL: '', CONSULT_TOKENS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (!/on (http:\/\/\S+)\//.test(out) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const url = /on (http:\/\/\S+)\//.exec(out)?.[1];
    assert.ok(url, out);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, out);
    assert.match(out, /SIGTERM: closing/);
  });

  it('the command refuses bad settings with every problem and exit status 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'packages/server/src/cli.ts'), '--port', 'eighty', '--pull-access', 'everyone'], {
      env: { ...process.env, CONSULT_TOKENS: '{"short": {"role": "king"}}' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 2);
    for (const expected of ['--port', '--pull-access', 'at least 16 characters', '"role"', '"id"']) assert.ok(err.includes(expected), `${expected} in:\n${err}`);
  });
});
