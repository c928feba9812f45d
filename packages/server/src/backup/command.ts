/**
 * The `backup` and `restore` subcommands of `consult-kit-server` (cli.ts dispatches here):
 *
 *   consult-kit-server backup <file> [--data <dir>] [--pg-bin <dir>]
 *   consult-kit-server restore <file> [--data <dir>] [--pg-bin <dir>] [--force]
 *
 * PostgreSQL when `DATABASE_URL` is set, else PGlite in `--data` (CONSULT_DATA_DIR, default
 * ./data), as for the server itself. See backup.ts.
 */
import { parseArgs } from 'node:util';
import { DEFAULTS } from '../config.js';
import { backup, BackupError, restore } from './backup.js';

/** The subcommands' help. */
export const BACKUP_USAGE = `consult-kit-server backup <file>   back the database up into <file>
consult-kit-server restore <file>  restore <file> into an empty database (or data folder)

PostgreSQL when DATABASE_URL is set (pg_dump / pg_restore, custom format), else the PGlite data
folder (its data dump; stop the server first). Options:
  --data <dir>     CONSULT_DATA_DIR  the PGlite data folder (default ./data)
  --pg-bin <dir>   PG_BIN            where pg_dump and pg_restore are (default: PATH)
  --force                            restore: replace a non-empty data folder or database`;

/** Runs `backup` or `restore` with the arguments after the subcommand; returns the exit code. */
export async function runBackupCommand(
  command: 'backup' | 'restore',
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  print: { out: (line: string) => void; err: (line: string) => void } = { out: (l) => console.log(l), err: (l) => console.error(l) },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { data: { type: 'string' }, 'pg-bin': { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    print.err(`consult-kit-server ${command}: ${error instanceof Error ? error.message : String(error)}\n${BACKUP_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    print.out(BACKUP_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    print.err(`consult-kit-server ${command}: give exactly one file\n${BACKUP_USAGE}`);
    return 2;
  }
  if (command === 'backup' && values.force) {
    print.err('consult-kit-server backup: --force is for restore');
    return 2;
  }
  const target = { databaseUrl: env.DATABASE_URL || undefined, dataDir: values.data ?? (env.CONSULT_DATA_DIR || DEFAULTS.dataDir), pgBin: values['pg-bin'], env };
  try {
    const lines = command === 'backup' ? await backup(target, positionals[0]!) : await restore(target, positionals[0]!, { force: values.force === true });
    for (const line of lines) print.out(line);
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    print.err(`consult-kit-server ${command}: ${error.message}`);
    return 1;
  }
}
