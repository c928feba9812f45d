// A throw-away PostgreSQL cluster for the bench, as .ci/run starts one for the tests: Debian's
// postgresql (installed with apt-get when missing, as root), initdb in a temp folder, reached
// only through a Unix socket there (no port to collide with), stopped and removed afterwards.
//
//   const pg = await startPostgres();   // { url, version, stop() } or { skipped: 'why' }
//   onBothDatabases(labels, rowsOn)     // a server section's rows on PGlite, then PostgreSQL
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { row } from './table.mjs';

function run(command, args, options = {}) {
  return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 600_000, ...options });
}

/** The newest `/usr/lib/postgresql/<n>/bin`, or undefined. */
function pgBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin/initdb')))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length ? join(root, versions.at(-1), 'bin') : undefined;
}

/**
 * Starts a cluster of its own; resolves with its DATABASE_URL, or with `skipped` saying why
 * it could not (not root, no apt-get, initdb failed…).
 */
export async function startPostgres() {
  if (process.getuid?.() !== 0) return { skipped: 'not root: cannot install or start PostgreSQL here' };
  let bin = pgBin();
  if (!bin) {
    try {
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch (error) {
      return { skipped: `apt-get install postgresql failed: ${String(error.message).split('\n')[0]}` };
    }
    bin = pgBin();
    if (!bin) return { skipped: 'postgresql installed, but no initdb under /usr/lib/postgresql' };
  }
  try {
    run('id', ['postgres']);
  } catch {
    return { skipped: 'no postgres user' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'consult-kit-bench-pg-'));
  const stop = () => {
    try {
      if (existsSync(join(dir, 'data/postmaster.pid'))) run('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    chownSync(dir, Number(run('id', ['-u', 'postgres']).trim()), Number(run('id', ['-g', 'postgres']).trim()));
    run('runuser', ['-u', 'postgres', '--', join(bin, 'initdb'), '-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync']);
    run('runuser', [
      '-u',
      'postgres',
      '--',
      join(bin, 'pg_ctl'),
      '-D',
      join(dir, 'data'),
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-c listen_addresses='' -k ${dir} -p 5432 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      'start',
    ]);
    run('runuser', ['-u', 'postgres', '--', join(bin, 'psql'), '-h', dir, '-p', '5432', '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q', '-c', "create user consult_kit password 'consult_kit'", '-c', 'create database consult_kit owner consult_kit']);
    const version = run(join(bin, 'postgres'), ['--version']).trim();
    process.once('exit', stop);
    return { url: `postgres://consult_kit:consult_kit@localhost/consult_kit?host=${dir}&port=5432`, version, stop };
  } catch (error) {
    stop();
    return { skipped: `starting PostgreSQL failed: ${String(error.stderr || error.message).split('\n')[0]}` };
  }
}

// `node bench/lib/postgres.mjs -- <command…>`: runs a command with DATABASE_URL set to a fresh cluster.
/**
 * A server section's rows on PGlite, then on PostgreSQL (`DATABASE_URL`, else a cluster of its
 * own from `startPostgres`, stopped afterwards): `rowsOn(kind, url)` measures one database kind.
 * A kind that throws becomes one row `n/a` ("not measured: …", the stack to `log`); a cluster that
 * cannot be started, one row `skipped`. With `pgliteOnly`, PostgreSQL is not tried.
 * @param {{ section: string, what: string, pgliteOnly?: boolean, log: (message: string) => unknown }} labels
 *   `what` ends each row's measure: `PGlite: ${what}`, `PostgreSQL: ${what}`
 * @param {(kind: 'pglite' | 'postgres', url?: string) => Promise<import('./table.mjs').Row[]>} rowsOn
 */
export async function onBothDatabases({ section, what, pgliteOnly = false, log }, rowsOn) {
  const rows = [];
  const notMeasured = (label, error) => row({ section, measure: `${label}: ${what}`, ours: 'n/a', note: `not measured: ${String(error?.message ?? error).split('\n')[0]}` });
  try {
    rows.push(...(await rowsOn('pglite')));
  } catch (error) {
    log(`PGlite failed: ${error?.stack ?? error}`);
    rows.push(notMeasured('PGlite', error));
  }
  if (pgliteOnly) return rows;
  let url = process.env.DATABASE_URL;
  let pg;
  if (!url) {
    pg = await startPostgres();
    url = pg.url;
  }
  if (!url) {
    rows.push(row({ section, measure: `PostgreSQL: ${what}`, ours: 'skipped', note: `PostgreSQL could not be started: ${pg?.skipped}` }));
    return rows;
  }
  try {
    rows.push(...(await rowsOn('postgres', url)));
  } catch (error) {
    log(`PostgreSQL failed: ${error?.stack ?? error}`);
    rows.push(notMeasured('PostgreSQL', error));
  } finally {
    pg?.stop?.();
  }
  return rows;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const pg = await startPostgres();
  if (pg.skipped) {
    console.error(`PostgreSQL: ${pg.skipped}`);
    process.exit(1);
  }
  const args = process.argv.slice(process.argv.indexOf('--') + 1);
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync(args[0], args.slice(1), { stdio: 'inherit', env: { ...process.env, DATABASE_URL: pg.url } });
  pg.stop();
  process.exit(result.status ?? 1);
}
