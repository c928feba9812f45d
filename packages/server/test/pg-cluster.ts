/**
 * A throw-away PostgreSQL cluster for the tests that need databases of their own (restore into a
 * fresh database, a crash drill): initdb in a temp folder, reached only through a Unix socket
 * there, as `.ci/run` starts CI's. Needs root (the cluster runs as `postgres`) and Debian's
 * PostgreSQL binaries; `reason` says why not otherwise.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running throw-away cluster. */
export interface PgCluster {
  dir: string;
  /** The folder of initdb, pg_dump, pg_restore… */
  bin: string;
  /** Creates a database owned by the test's user; returns its DATABASE_URL (password `password`). */
  createDatabase(name: string, password?: string): string;
  stop(): void;
}

/** The newest Debian PostgreSQL binaries, if installed. */
export function pgBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin/initdb'))).sort((a, b) => Number(a) - Number(b));
  return versions.length ? join(base, versions.at(-1)!, 'bin') : undefined;
}

/** Why a throw-away cluster cannot start here, or undefined when it can. */
export function clusterUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: cannot start a PostgreSQL cluster of its own (as postgres)';
  if (!pgBinDir()) return 'no PostgreSQL binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)';
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
  } catch {
    return 'no postgres user';
  }
  return undefined;
}

const asPostgres = (bin: string, tool: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

/** Starts a cluster (fsync off: nothing here tests the disk). */
export function startCluster(): PgCluster {
  const bin = pgBinDir()!;
  const dir = mkdtempSync(join(tmpdir(), 'ck-pgc-'));
  chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), 0);
  asPostgres(bin, 'initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync']);
  asPostgres(bin, 'pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-c listen_addresses='' -k ${dir} -p 5432 -c fsync=off -c max_connections=200`, 'start']);
  const psql = (sql: string) => asPostgres(bin, 'psql', ['-h', dir, '-p', '5432', '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql]);
  psql("create user consult_kit password 'consult_kit'");
  return {
    dir,
    bin,
    createDatabase(name, password = 'consult_kit') {
      psql(`create database ${name} owner consult_kit`);
      return `postgres://consult_kit:${encodeURIComponent(password)}@localhost/${name}?host=${dir}&port=5432`;
    },
    stop() {
      try {
        asPostgres(bin, 'pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
