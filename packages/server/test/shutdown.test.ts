/**
 * Graceful shutdown of the real command on SIGTERM: a request under way when the signal comes
 * (a submission whose body is still arriving) finishes with 201 and `Connection: close`, and its
 * event is stored; an idle keep-alive connection is closed; a new connection is refused; the
 * process exits 0.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { pgliteTemplate, topicSubmission } from './helpers.js';
import { ROOT } from './openapi.js';
import { startCli, until } from './cli-fixture.js';

const WUXI = 'wuxi-youshi-haoshangliang';

/** Whether a TCP connection to the port is refused now. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

test('SIGTERM: the submission under way finishes (201, Connection: close), new connections are refused, exit 0', async () => {
  const work = mkdtempSync(join(tmpdir(), 'ck-shutdown-'));
  const dataDir = join(work, 'data');
  const pg = await PGlite.create(dataDir, { loadDataDir: await pgliteTemplate() });
  await pg.close();
  const cli = startCli({ args: ['--data', dataDir, '--seed', join(ROOT, 'examples/configs'), '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn'] });
  try {
    const url = new URL(await cli.url);
    const port = Number(url.port);

    // An idle keep-alive connection (a proxy's pooled upstream connection).
    const idle = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => idle.once('connect', () => resolve()));
    let idleClosed = false;
    idle.on('data', () => undefined).once('close', () => (idleClosed = true));
    idle.write(`GET /healthz HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`);

    // A submission whose headers are in and whose body is still on its way.
    const body = Buffer.from(JSON.stringify(topicSubmission()));
    const key = (JSON.parse(body.toString()) as { id: string }).id;
    let answered: IncomingMessage | undefined;
    const answer = new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: `/api/programmes/${WUXI}/events`, headers: { 'content-type': 'application/json', 'content-length': body.length, 'idempotency-key': key } }, (res) => {
        answered = res;
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, text }));
      });
      req.on('error', reject);
      req.write(body.subarray(0, 10));
      // The rest after the signal.
      void until('the SIGTERM line', () => /SIGTERM: closing/.test(cli.output()), 30_000)
        .then(() => until('the port to refuse connections', () => refused(port), 10_000))
        .then(() => {
          assert.equal(answered, undefined, 'no answer before the body is complete');
          req.end(body.subarray(10));
        }, reject);
    });
    await new Promise((r) => setTimeout(r, 300)); // let the server read the headers
    cli.child.kill('SIGTERM');

    const done = await answer;
    assert.equal(done.status, 201, done.text);
    assert.equal(done.connection, 'close', 'the answer tells the client not to reuse the connection');
    assert.ok(await refused(port), 'a new connection after SIGTERM is refused');
    await until('the idle keep-alive connection to close', () => idleClosed, 10_000);
    assert.equal(await cli.exited, 0, cli.output());
    assert.doesNotMatch(cli.output(), /"level":(50|60)|Error/, 'nothing failed while stopping');

    const after = await PGlite.create(dataDir);
    const rows = await after.query<{ id: string }>('select id from log_entry where programme_id = $1', [WUXI]);
    await after.close();
    assert.deepEqual(rows.rows.map((r) => r.id), [key], 'the acknowledged event is stored');
  } finally {
    if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }
});
