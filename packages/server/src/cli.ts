#!/usr/bin/env node
/**
 * `consult-kit-server`: runs the reference city backend (`npm start` in this repository). Flags
 * and environment variables: `--help`, or docs/server.md. Stops gracefully on SIGINT / SIGTERM
 * (server.ts: requests under way finish, no new ones), exit 0.
 *
 * `consult-kit-server backup <file>` / `restore <file>`: backup/command.ts.
 */
import { BACKUP_USAGE, runBackupCommand } from './backup/command.js';
import { loadOptions, OptionsError, USAGE, wantsHelp } from './config.js';
import { describeIdentity, formatDemoReports, formatSeedReports, startServer } from './server.js';

async function main(): Promise<void> {
  const sub = process.argv[2];
  if (sub === 'backup' || sub === 'restore') {
    process.exitCode = await runBackupCommand(sub, process.argv.slice(3), process.env);
    return;
  }
  // `--demo-history` (or CONSULT_DEMO_HISTORY=1): the demo's year of history (demo/history.ts).
  const demoHistory = process.argv.includes('--demo-history') || process.env.CONSULT_DEMO_HISTORY === '1';
  const argv = process.argv.slice(2).filter((arg) => arg !== '--demo-history');
  if (wantsHelp(argv)) {
    process.stdout.write(`${USAGE}\n  --demo-history        CONSULT_DEMO_HISTORY=1  write a year of made-up history into each seeded programme whose log is empty (the demo)\n\n${BACKUP_USAGE}\n`);
    return;
  }
  let options;
  try {
    options = loadOptions(argv, process.env);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    process.stderr.write(`consult-kit-server: ${error.problems.join('\n')}\n`);
    process.exitCode = 2;
    return;
  }
  const server = await startServer({ ...options, demoHistory });
  for (const line of formatDemoReports(server.demo, server.demoMs)) console.log(line);
  for (const line of formatSeedReports(server.seeded)) (line.startsWith('✗') || line.startsWith(' ') ? console.error : console.log)(line);
  const where = options.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${options.dataDir}`;
  console.log(`consult-kit server on ${server.url}/ (API ${server.url}/api) — data: ${where}`);
  for (const line of describeIdentity(options)) console.log(line);
  void server.identityReady.then((reasons) => {
    for (const reason of reasons) console.error(`identity: ${reason}`);
  });

  const stop = (signal: NodeJS.Signals) => {
    console.log(`${signal}: closing…`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`consult-kit-server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
