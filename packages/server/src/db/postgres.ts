/** The PostgreSQL adapter, through `pg`'s connection pool. */
import pg from 'pg';
import { INT8_OID, type Db, type Queryable, type Row } from './db.js';

/** How to reach PostgreSQL. */
export interface PostgresOptions {
  /** `postgres://user:password@host:5432/database` (the `DATABASE_URL`). */
  connectionString: string;
  /** Connections in the pool (default 10). */
  max?: number;
  /** A schema to work in (`search_path`; created if missing), e.g. one per test run; default the user's. */
  schema?: string;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []) {
      return (await client.query<T>(sql, [...params])).rows;
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

/** Opens a pool and checks that the database answers. */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
    throw new Error(`"${options.schema}" is not a plain schema name`);
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    // A database that does not answer (a partition, a host gone) fails a request in 5 s, as
    // 503 unavailable, instead of holding it for ever; TCP keep-alive finds dead idle connections.
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle connection that drops (a restart of PostgreSQL) must not crash the process: the
  // pool replaces it, and the next query fails or succeeds on its own.
  pool.on('error', () => {});
  if (options.schema) await pool.query(`create schema if not exists ${options.schema}`);
  else await pool.query('select 1');
  return {
    kind: 'postgres',
    ...queryable(pool),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A checked-out client has no listener of the pool's: if its connection dies between two
      // statements (PostgreSQL stopped), its 'error' event would crash the process. Note it, so
      // the client is destroyed on release, never handed out again.
      const onError = (error: Error): void => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('begin');
        const result = await fn(queryable(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch((e: Error) => (broken = e));
        throw error;
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
