// The reference server started as `npm start` starts it (package.json "start", without the build):
// `node packages/server/dist/cli.js --seed examples/configs --portal examples/portal --tokens
// examples/portal/demo-tokens.json`, plus a free port on 127.0.0.1 and a throw-away PGlite folder.
// The portal is served at /, the embed (packages/embed/dist) at /assets/.
/* global fetch */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort() {
  const probe = createServer();
  await new Promise((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The chunks an embed entry imports or preloads (`./chunks/….js`) that are not in its folder. */
function missingChunks(dir) {
  const entry = join(dir, 'consult-kit.min.js');
  if (!existsSync(entry)) return ['consult-kit.min.js'];
  const named = new Set(readFileSync(entry, 'utf8').match(/\.\/chunks\/[\w.-]+\.js/g) ?? []);
  return [...named].filter((chunk) => !existsSync(join(dir, chunk)));
}

/**
 * A copy of packages/embed/dist (timestamps kept, so precompressed siblings stay usable) in a
 * temporary folder, so that one run measures one build even when the shared working tree rebuilds
 * the embed meanwhile; taken again (for up to `waitMs`) while the entry names a chunk the copy lacks.
 * Resolves to { dir, close }.
 */
export async function snapshotEmbed({ waitMs = 180_000 } = {}) {
  const source = join(ROOT, 'packages/embed/dist');
  const deadline = Date.now() + waitMs;
  for (;;) {
    const dir = mkdtempSync(join(tmpdir(), 'consult-kit-bench-embed-'));
    let missing;
    try {
      cpSync(source, dir, { recursive: true, preserveTimestamps: true });
      missing = missingChunks(dir);
    } catch (error) {
      missing = [String(error?.message ?? error)];
    }
    if (missing.length === 0) return { dir, close: () => rmSync(dir, { recursive: true, force: true }) };
    rmSync(dir, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`packages/embed/dist is not a whole build (missing ${missing.slice(0, 3).join(', ')}): build it (npm run build)`);
    await sleep(5000);
  }
}

/**
 * Starts the server (`assets`: a folder for --assets, e.g. a snapshotEmbed() copy; the default is
 * packages/embed/dist itself); resolves once `GET /` answers 200, to { origin, args, close }.
 * `close()` ends the child (SIGTERM, then SIGKILL after 5 s) and removes its data folder.
 */
export async function startReferenceServer({ assets, extraArgs = [], timeoutMs = 90_000 } = {}) {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'consult-kit-bench-load-'));
  const args = [
    'packages/server/dist/cli.js',
    '--host', '127.0.0.1',
    '--port', String(port),
    '--data', data,
    '--seed', 'examples/configs',
    '--portal', 'examples/portal',
    '--tokens', 'examples/portal/demo-tokens.json',
    '--log-level', 'warn',
    ...(assets ? ['--assets', assets] : []),
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  // A run that ends without closing (run.mjs exits once a section timed out) takes the server with it.
  const orphan = () => child.kill('SIGKILL');
  process.once('exit', orphan);
  const gone = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', orphan);
      resolve((exited = { code, signal }));
    }),
  );
  const origin = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = sleep(5000).then(() => exited || child.kill('SIGKILL'));
      await Promise.race([gone, timer]);
      await gone;
    }
    rmSync(data, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      rmSync(data, { recursive: true, force: true });
      throw new Error(`the reference server exited (${exited.code ?? exited.signal}) before answering: ${output.trim().split('\n').slice(-3).join(' / ')}`);
    }
    try {
      const res = await fetch(`${origin}/`);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`the reference server gave no answer within ${timeoutMs / 1000} s: ${output.trim().split('\n').slice(-3).join(' / ')}`);
    }
    await sleep(200);
  }
  const shown = (a) => (a === data ? '<tmpdir>' : a === assets ? '<a copy of packages/embed/dist>' : a);
  return { origin, args: ['node', ...args.map(shown)], close };
}
