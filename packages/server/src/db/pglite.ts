/** The PGlite adapter: Postgres compiled to WASM, in a data folder (or in memory); nothing to install. */
import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { INT8_OID, type Db, type Queryable, type Row } from './db.js';

/** Where PGlite keeps its data. */
export interface PgliteOptions {
  /** The data folder (created if missing); omit for a database in memory. */
  dataDir?: string;
  /** A data folder dump (`dumpDataDir()`) to start from: skips initdb, which takes seconds. */
  loadDataDir?: Blob | File;
}

function queryable(target: PGlite | Transaction): Queryable {
  return {
    async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []) {
      return (await target.query<T>(sql, [...params])).rows;
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  };
}

/**
 * Opens PGlite. PGlite is one connection: its transactions run one at a time and other
 * statements wait for them, so `select … for update` is trivially satisfied; the SQL is the
 * same as on PostgreSQL, where the locks do the work.
 */
export async function openPglite(options: PgliteOptions = {}): Promise<Db> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pg = await PGlite.create(options.dataDir, {
    parsers: { [INT8_OID]: (value: string) => Number(value) },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  return {
    kind: 'pglite',
    ...queryable(pg),
    transaction: (fn) => pg.transaction((tx) => fn(queryable(tx))),
    async close() {
      if (!pg.closed) await pg.close();
    },
  };
}

/** A dump of an empty PGlite data folder, for `loadDataDir` (tests start many databases). */
export async function emptyPgliteDump(): Promise<Blob> {
  const pg = await PGlite.create();
  try {
    return await pg.dumpDataDir('none');
  } finally {
    await pg.close();
  }
}
