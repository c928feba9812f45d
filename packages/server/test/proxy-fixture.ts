/**
 * A real nginx for the scale-out tests: Debian's `nginx`, installed with apt-get when missing and
 * the test runs as root (as nginx-embed.test.ts does), started on a configuration the test writes
 * around a block it reads from docs/server.md ("Deploying for a city"), so the document cannot
 * drift from what is tested.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './openapi.js';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const HAPROXY = '/usr/sbin/haproxy';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Installs nginx when it is missing and it may; the reason to skip when it is still not there. */
export function ensureNginx(): string | undefined {
  if (isExecutable(NGINX)) return undefined;
  const isRoot = process.getuid?.() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (isRoot && hasApt && !process.env.NGINX_PATH) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    console.log('scale-out test: installing nginx (apt-get)…');
    spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore', timeout: 300_000 });
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'nginx'], { env, stdio: 'ignore', timeout: 600_000 });
  }
  if (isExecutable(NGINX)) return undefined;
  if (!isRoot) return `nginx is not installed (${NGINX}) and the test is not root, so it does not install it: apt-get install -y nginx`;
  return hasApt ? 'nginx could not be installed with apt-get' : `nginx is not installed (${NGINX}) and there is no apt-get to install it`;
}

/** Installs HAProxy when it is missing and it may; the reason to skip when it is still not there. */
export function ensureHaproxy(): string | undefined {
  if (isExecutable(HAPROXY)) return undefined;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    console.log('scale-out test: installing haproxy (apt-get)…');
    spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore', timeout: 300_000 });
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'haproxy'], { env, stdio: 'ignore', timeout: 600_000 });
  }
  if (isExecutable(HAPROXY)) return undefined;
  return isRoot ? 'haproxy could not be installed with apt-get' : `haproxy is not installed (${HAPROXY}) and the test is not root, so it does not install it: apt-get install -y haproxy`;
}

/** A fenced block of docs/server.md's "Deploying for a city", by its language. */
export function documentedBlock(language: 'nginx' | 'haproxy'): string {
  const doc = readFileSync(join(ROOT, 'docs/server.md'), 'utf8');
  const start = doc.indexOf('\n## Deploying for a city');
  assert.ok(start > 0, 'docs/server.md has a "Deploying for a city" chapter');
  const chapter = doc.slice(start, doc.indexOf('\n## ', start + 5));
  const block = new RegExp(`\n\`\`\`${language}\n([\\s\\S]*?)\n\`\`\``).exec(chapter)?.[1];
  assert.ok(block, `the chapter has a ${language} block`);
  return block;
}

/** Starts HAProxy in the foreground on a configuration; resolves once `port` accepts. */
export async function startHaproxy(config: string, port: number): Promise<{ stop(): Promise<void>; output(): string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ck-haproxy-'));
  writeFileSync(join(dir, 'haproxy.cfg'), config);
  const child: ChildProcess = spawn(HAPROXY, ['-db', '-f', join(dir, 'haproxy.cfg')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  let gone = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => ((gone = true), resolve())));
  for (let waited = 0; !(await accepts(port)); waited += 50) {
    assert.ok(!gone && waited < 10_000, `haproxy did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The ```nginx block of docs/server.md's "Deploying for a city". */
export function documentedNginx(): string {
  return documentedBlock('nginx');
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1 at this port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** A running nginx. */
export interface Nginx {
  dir: string;
  stop(): Promise<void>;
  /** Its error log so far. */
  errors(): string;
}

/** Starts nginx with `http` as the body of its `http {}` block. */
export async function startNginx(http: string, ports: number[]): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'ck-nginx-'));
  chmodSync(dir, 0o755);
  const temps = ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];
  for (const t of temps) mkdirSync(join(dir, 'temp', t), { recursive: true });
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      ...temps.map((t) => `  ${t === 'body' ? 'client_body' : t}_temp_path ${dir}/temp/${t};`),
      http,
      '}',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(NGINX, ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let gone = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => ((gone = true), resolve())));
  const errors = () => (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '');
  for (const port of ports) {
    for (let waited = 0; !(await accepts(port)); waited += 50) {
      assert.ok(!gone && waited < 10_000, `nginx did not start:\n${stderr}\n${errors()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    dir,
    errors,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGQUIT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A hop that loses answers: it forwards each request to `target`, reads the whole answer (so
 * the backend has committed), records it, and closes the client's connection without sending
 * it — a process that died after its commit, as the proxy sees it.
 */
export async function startLossyHop(target: number): Promise<{ port: number; answers: string[]; close(): Promise<void> }> {
  const answers: string[] = [];
  const server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    client.pipe(upstream);
    let got = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = got.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (got.length < end + 4 + length) return;
      answers.push(got.subarray(0, end + 4 + length).toString('utf8'));
      got = Buffer.alloc(0);
      client.destroy();
      upstream.destroy();
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, answers, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
