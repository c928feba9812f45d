/** Picks the adapter: PostgreSQL when a `DATABASE_URL` is given, else PGlite in a data folder. */
import type { Db } from './db.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

/** Where the data lives. */
export interface DbLocation {
  /** PostgreSQL connection string; when set, `dataDir` is not used. */
  databaseUrl?: string | undefined;
  /** PGlite's data folder; omit for a database in memory. */
  dataDir?: string | undefined;
}

/** Opens the database the location names. */
export function openDb(location: DbLocation): Promise<Db> {
  return location.databaseUrl
    ? openPostgres({ connectionString: location.databaseUrl })
    : openPglite(location.dataDir ? { dataDir: location.dataDir } : {});
}
