/**
 * Spawning the real command (`consult-kit-server`) for the process-level tests (shutdown, crash,
 * scale-out, backup): the built `dist/cli.js` when `built` is asked for (needs `npm run build`),
 * else the TypeScript source through tsx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './openapi.js';

/** The built command. */
export const CLI_DIST = join(ROOT, 'packages/server/dist/cli.js');
/** The command's source. */
export const CLI_SRC = join(ROOT, 'packages/server/src/cli.ts');

/** A spawned command. */
export interface Cli {
  child: ChildProcess;
  /** Resolves with `http://host:port` once the command says where it listens; rejects if it exits first. */
  url: Promise<string>;
  /** Everything it wrote so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** What to start. */
export interface CliStart {
  args: string[];
  /** Added to the environment (undefined removes a variable). */
  env?: Record<string, string | undefined>;
  /** Run `dist/cli.js` instead of the source. */
  built?: boolean;
}

/** Starts the command. Without `DATABASE_URL` in `env` it gets none (PGlite), whatever the test runner has. */
export function startCli({ args, env = {}, built = false }: CliStart): Cli {
  const base: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: undefined, CONSULT_TOKENS_FILE: '', CONSULT_FOLLOW_SECRET: '' };
  const merged = { ...base, ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const argv = built ? [CLI_DIST, ...args] : ['--import', 'tsx', CLI_SRC, ...args];
  const child = spawn(process.execPath, argv, { cwd: ROOT, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /server on (http:\/\/[^/\s]+)\//.exec(out);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`the command exited (${code}) before listening:\n${out}`)));
  });
  url.catch(() => undefined);
  return { child, url, output: () => out, exited };
}

/** Waits until `check` holds, polling every 25 ms; fails naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
