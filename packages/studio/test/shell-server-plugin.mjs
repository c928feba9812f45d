// The real reference server for the studio shell's Chromium tests (packages/studio/test/
// shell-publish.browser.test.ts): a web-test-runner plugin whose commands start and stop it.
//
// `executeServerCommand('studio-server-start', { programmes: ['wuxi-community.json'] })` builds the
// server from packages/server/src through tsx, as the server's own tests do (its own buildApp,
// PGlite, migrations and programmes: nothing is stubbed; packages/server/dist when tsx is missing) and answers `{ handle, endpoint, tokens }`. The test page reaches it through a small
// loopback front that adds CORS for any origin (the server itself allows only its configured
// portal origins and GET/POST, which is right for a city but not for a test page on another port),
// and hands each request to the app with Fastify's `inject`, headers and body as they came.
// `studio-server-stop` closes it and its database.
import { Blob, Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The people of these tests, a token each. */
export const STUDIO_TOKENS = {
  admin: { token: 'tok-studio-admin-a0001-ffffffffffff', role: 'admin', id: 'a-studio-1', name: '赵敏' },
  otherAdmin: { token: 'tok-studio-admin-a0002-eeeeeeeeeeee', role: 'admin', id: 'a-studio-2', name: '孙丽' },
  convener: { token: 'tok-studio-convener-c001-aaaaaaaaaa', role: 'convener', id: 'c-studio-1', name: '张丽华' },
};

const EXPOSED = ['ETag', 'Consult-Config-Version', 'Location', 'Retry-After', 'Content-Type'];

async function pgliteTemplate(server) {
  const version = JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version;
  const file = join(tmpdir(), `consult-kit-pglite-${version}.tar`);
  if (!existsSync(file)) {
    const dump = await server.emptyPgliteDump();
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  }
  return new Blob([readFileSync(file)]);
}

/** The server's module: its source (what the tree holds now), else its build. */
async function serverModule() {
  try {
    const { tsImport } = await import('tsx/esm/api');
    return await tsImport(join(ROOT, 'packages/server/src/index.ts'), import.meta.url);
  } catch {
    return import(join(ROOT, 'packages/server/dist/index.js'));
  }
}

async function start({ programmes = [] } = {}) {
  const server = await serverModule();
  const db = await server.openPglite({ loadDataDir: await pgliteTemplate(server) });
  await server.migrate(db);
  for (const file of programmes) {
    const result = await server.upsertProgramme(db, readFileSync(join(ROOT, 'examples/configs', file), 'utf8'));
    if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors)}`);
  }
  const tokens = server.parseTokens(
    Object.fromEntries(Object.values(STUDIO_TOKENS).map(({ token, ...person }) => [token, person])),
    'studio test tokens',
  );
  const app = await server.buildApp(db, {
    tokens,
    corsOrigins: [],
    bodyLimit: 1024 * 1024,
    rateLimit: { max: 100_000, windowMs: 60_000 },
    staleInFlightSeconds: server.DEFAULTS.staleInFlightSeconds,
    pullAccess: server.DEFAULTS.pullAccess,
    followLimit: { ...server.DEFAULTS.followLimit },
    logLevel: false,
    trustProxy: false,
  });
  await app.ready();
  const front = createServer(async (request, response) => {
    const cors = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key',
      'Access-Control-Expose-Headers': EXPOSED.join(', '),
    };
    if (request.method === 'OPTIONS') {
      response.writeHead(204, cors).end();
      return;
    }
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const headers = { ...request.headers };
    delete headers.origin;
    delete headers.host;
    try {
      const answer = await app.inject({ method: request.method, url: request.url, headers, payload: chunks.length ? Buffer.concat(chunks) : undefined });
      const out = { ...answer.headers, ...cors };
      delete out['content-length'];
      delete out['transfer-encoding'];
      delete out.connection;
      response.writeHead(answer.statusCode, out).end(answer.rawPayload);
    } catch (error) {
      response.writeHead(500, cors).end(String(error));
    }
  });
  await new Promise((resolve) => front.listen(0, '127.0.0.1', resolve));
  const { port } = front.address();
  return {
    endpoint: `http://127.0.0.1:${port}/api`,
    close: async () => {
      await new Promise((resolve) => front.close(resolve));
      await app.close();
      await db.close();
    },
  };
}

/** The plugin: `studio-server-start` and `studio-server-stop`. */
export function studioServerPlugin() {
  const running = new Map();
  let next = 1;
  return {
    name: 'studio-server',
    async executeCommand({ command, payload }) {
      if (command === 'studio-server-start') {
        const server = await start(payload ?? {});
        const handle = next++;
        running.set(handle, server);
        return { handle, endpoint: server.endpoint, tokens: Object.fromEntries(Object.entries(STUDIO_TOKENS).map(([k, p]) => [k, p.token])) };
      }
      if (command === 'studio-server-stop') {
        const server = running.get(payload?.handle);
        running.delete(payload?.handle);
        await server?.close();
        return true;
      }
      return undefined;
    },
    async serverStop() {
      for (const server of running.values()) await server.close().catch(() => {});
      running.clear();
    },
  };
}
