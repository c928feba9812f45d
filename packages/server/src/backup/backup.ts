/**
 * Backing up and restoring the server's database (`consult-kit-server backup|restore <file>`).
 *
 * - PGlite: the data folder's dump (`PGlite.dumpDataDir('gzip')`, a gzipped tar of the folder),
 *   restored with `loadDataDir` into a fresh folder. The server must be stopped (PGlite is one
 *   process's database): a folder a live server has marked (pid-file.ts) is refused.
 * - PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore` (found through `--pg-bin`,
 *   `PG_BIN` or PATH). Safe while the servers run (pg_dump reads one snapshot).
 *
 * A restore refuses a non-empty target unless `force` is given. The connection password is passed
 * to the tools in `PGPASSWORD`, never on their command line, and never printed.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, openSync, readSync, closeSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { removePidFile, serverRunningOn } from './pid-file.js';

/** A backup or restore that cannot be done, with a message for the operator. */
export class BackupError extends Error {}

/** Which database to back up or restore into. */
export interface BackupTarget {
  /** PostgreSQL connection string; when set, `dataDir` is not used. */
  databaseUrl?: string | undefined;
  /** PGlite's data folder. */
  dataDir: string;
  /** Folder holding `pg_dump` / `pg_restore` (else `PG_BIN`, else PATH). */
  pgBin?: string | undefined;
  /** The environment for PATH and PG_BIN (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** What a backup or restore did, as lines for a terminal. */
export type Report = string[];

/** The connection string with its password replaced by `***`, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable DATABASE_URL)';
  }
}

/** Splits a connection string into one without its password and the password. */
function splitPassword(url: string): { url: string; password: string | undefined } {
  const parsed = new URL(url);
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.password = '';
  return { url: parsed.toString(), password };
}

/** Finds a PostgreSQL client tool: in `pgBin`, else in `PG_BIN`, else on PATH. */
export function findPgTool(name: 'pg_dump' | 'pg_restore', pgBin: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const dirs = pgBin ? [pgBin] : env.PG_BIN ? [env.PG_BIN] : (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of dirs) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  const where = pgBin ? `in --pg-bin ${pgBin}` : env.PG_BIN ? `in PG_BIN ${env.PG_BIN}` : 'on PATH';
  throw new BackupError(`${name} not found ${where}: install PostgreSQL's client tools of the server's major version (Debian: apt-get install postgresql-client-15) or pass --pg-bin <dir> (PG_BIN)`);
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, password: string | undefined): Promise<void> {
  return new Promise((done, fail) => {
    execFile(file, args, { env: { ...env, ...(password ? { PGPASSWORD: password } : {}) }, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return done();
      const said = (password ? stderr.split(password).join('***') : stderr).trim();
      fail(new BackupError(`${file.split('/').pop()} failed: ${said || error.message}`));
    });
  });
}

/** What kind of file a backup is, by its first bytes. */
export function backupKind(file: string): 'pglite' | 'postgres' | 'unknown' {
  const head = Buffer.alloc(512);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (n >= 5 && head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
  if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'pglite'; // gzip: dumpDataDir('gzip')
  if (n >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'pglite'; // a plain tar
  return 'unknown';
}

interface Counts {
  programmes: number;
  entries: number;
}

async function countsOf(query: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<Counts | undefined> {
  try {
    const [row] = await query('select (select count(*) from programme)::int as programmes, (select count(*) from log_entry)::int as entries');
    return { programmes: Number(row?.programmes), entries: Number(row?.entries) };
  } catch {
    return undefined; // not a consult-kit database (yet)
  }
}

const describeCounts = (c: Counts | undefined) => (c ? `${c.programmes} programme(s), ${c.entries} log entries` : 'no consult-kit tables');

/** Writes `data` next to `file` and renames it into place, so a failed backup leaves no half file. */
function writeAtomically(file: string, write: (partial: string) => Promise<void>): Promise<void> {
  const partial = join(dirname(file), `.${file.split('/').pop()}.${process.pid}.partial`);
  return write(partial).then(
    () => renameSync(partial, file),
    (error: unknown) => {
      rmSync(partial, { force: true });
      throw error;
    },
  );
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(`cannot connect to ${redactUrl(url)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Refuses a PGlite folder a live server has open (pid-file.ts). */
function refuseIfOpen(dataDir: string): void {
  const pid = serverRunningOn(dataDir);
  if (pid !== undefined) throw new BackupError(`a server (process ${pid}) has the data folder ${dataDir} open: stop it first (PGlite is one process's database)`);
}

/** Backs the target's database up into `file` (replaced if it exists). */
export async function backup(target: BackupTarget, file: string): Promise<Report> {
  const out = resolve(file);
  if (!existsSync(dirname(out))) throw new BackupError(`no folder ${dirname(out)} for the backup file`);
  const env = target.env ?? process.env;
  if (target.databaseUrl) {
    const pgDump = findPgTool('pg_dump', target.pgBin, env);
    const { url, password } = splitPassword(target.databaseUrl);
    const counts = await withClient(target.databaseUrl, (c) => countsOf(async (sql) => (await c.query(sql)).rows));
    await writeAtomically(out, (partial) => run(pgDump, ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`, `--dbname=${url}`], env, password));
    return [`backup: PostgreSQL ${redactUrl(target.databaseUrl)} (${describeCounts(counts)}) → ${out} (${statSync(out).size} bytes, pg_dump custom format; restore with pg_restore or consult-kit-server restore)`];
  }
  const dataDir = resolve(target.dataDir);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new BackupError(`no PGlite data folder at ${dataDir} (no PG_VERSION); pass --data <dir>, or set DATABASE_URL for PostgreSQL`);
  refuseIfOpen(dataDir);
  const pglite = await PGlite.create(dataDir);
  let counts: Counts | undefined;
  let dump: Blob;
  try {
    counts = await countsOf(async (sql) => (await pglite.query<Record<string, unknown>>(sql)).rows);
    dump = await pglite.dumpDataDir('gzip');
  } finally {
    await pglite.close();
  }
  const bytes = Buffer.from(await dump.arrayBuffer());
  await writeAtomically(out, async (partial) => writeFileSync(partial, bytes));
  return [`backup: PGlite data folder ${dataDir} (${describeCounts(counts)}) → ${out} (${bytes.length} bytes, PGlite data dump)`];
}

/** What a restore may do. */
export interface RestoreOptions {
  /** Replace a non-empty target (the data folder's contents; the database's objects of the dump). */
  force?: boolean;
}

/** Restores `file` (made by {@link backup}) into the target. */
export async function restore(target: BackupTarget, file: string, options: RestoreOptions = {}): Promise<Report> {
  const from = resolve(file);
  if (!existsSync(from)) throw new BackupError(`no backup file ${from}`);
  const kind = backupKind(from);
  const env = target.env ?? process.env;
  if (target.databaseUrl) {
    if (kind !== 'postgres') throw new BackupError(`${from} is not a pg_dump custom-format file${kind === 'pglite' ? ' (it is a PGlite data dump: restore it without DATABASE_URL, with --data <dir>)' : ''}`);
    const pgRestore = findPgTool('pg_restore', target.pgBin, env);
    const tables = await withClient(target.databaseUrl, async (c) => Number((await c.query<{ n: number }>('select count(*)::int as n from pg_tables where schemaname = current_schema()')).rows[0]?.n));
    if (tables > 0 && !options.force) {
      throw new BackupError(`${redactUrl(target.databaseUrl)} is not empty (${tables} table(s) in its schema): restore into an empty database, or pass --force to replace the objects the backup holds`);
    }
    const { url, password } = splitPassword(target.databaseUrl);
    const args = ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${url}`, ...(tables > 0 ? ['--clean', '--if-exists'] : []), from];
    await run(pgRestore, args, env, password);
    const counts = await withClient(target.databaseUrl, (c) => countsOf(async (sql) => (await c.query(sql)).rows));
    return [`restore: ${from} → PostgreSQL ${redactUrl(target.databaseUrl)}${tables > 0 ? ` (replaced: ${tables} table(s) were there, --force)` : ''}: ${describeCounts(counts)}`];
  }
  if (kind !== 'pglite') throw new BackupError(`${from} is not a PGlite data dump${kind === 'postgres' ? ' (it is a pg_dump file: restore it with DATABASE_URL set)' : ''}`);
  const dataDir = resolve(target.dataDir);
  const present = existsSync(dataDir) ? readdirSync(dataDir) : [];
  if (present.length > 0) refuseIfOpen(dataDir);
  if (present.length > 0 && !options.force) {
    throw new BackupError(`the data folder ${dataDir} is not empty (${present.length} entries): restore into a new folder (--data <dir>), or pass --force to replace it`);
  }
  if (present.length > 0) rmSync(dataDir, { recursive: true, force: true });
  const pglite = await PGlite.create(dataDir, { loadDataDir: new Blob([readFileSync(from)]) });
  // The dump holds the mark of the server that had the folder open; nothing has this one open.
  removePidFile(dataDir, true);
  let counts: Counts | undefined;
  try {
    counts = await countsOf(async (sql) => (await pglite.query<Record<string, unknown>>(sql)).rows);
  } finally {
    await pglite.close();
  }
  return [`restore: ${from} → PGlite data folder ${dataDir}${present.length > 0 ? ' (replaced, --force)' : ''}: ${describeCounts(counts)}`];
}
