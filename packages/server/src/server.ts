/** Starting and stopping the whole server: database, migrations, seed configs, HTTP. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { ServerOptions } from './config.js';
import type { Db } from './db/db.js';
import { migrate } from './db/migrate.js';
import { openDb } from './db/open.js';
import { redactStoredLogs } from './personal.js';
import { seedProgrammes, type SeedReport } from './programmes.js';

/** A running server. */
export interface RunningServer {
  app: FastifyInstance;
  db: Db;
  /** Where it listens, e.g. `http://localhost:8080`. */
  url: string;
  /** What storing the seed configs gave. */
  seeded: SeedReport[];
  /** Stops taking requests, lets the running ones finish, then closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the database, migrates it, stores the seed configs, redacts any log written before
 * personal values were kept apart (personal.ts), and listens.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const db = await openDb({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
  try {
    await migrate(db);
    const seeded: SeedReport[] = [];
    for (const dir of options.seedDirs) seeded.push(...(await seedProgrammes(db, dir)));
    await redactStoredLogs(db);
    const app = await buildApp(db, options);
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    let closing: Promise<void> | undefined;
    return {
      app,
      db,
      url: `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${port}`,
      seeded,
      close: () =>
        (closing ??= (async () => {
          try {
            await app.close();
          } finally {
            await db.close();
          }
        })()),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** Seed reports as lines for a terminal: each good config, and each bad one with its pointers. */
export function formatSeedReports(reports: readonly SeedReport[]): string[] {
  return reports.flatMap((r) =>
    r.ok
      ? [`✓ ${r.file} → programme ${r.id}`]
      : [`✗ ${r.file}: ${r.errors.length} error(s), skipped`, ...r.errors.map((e) => `  ${e.pointer || '/'}  [${e.code}] ${e.message}`)],
  );
}
