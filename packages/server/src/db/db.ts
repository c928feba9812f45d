/**
 * The one small database interface the server needs, with two adapters: PGlite (Postgres in
 * WASM, in a data folder; `pglite.ts`) and PostgreSQL through `pg` (`postgres.ts`). Both run the
 * same SQL. `bigint` columns come back as JS numbers (safe up to 2^53), `json` columns parsed.
 */

/** A row as the driver returns it. */
export type Row = Record<string, unknown>;

/** Something to run SQL on: the database itself, or one transaction. */
export interface Queryable {
  /** Runs one statement with `$1…` parameters and returns its rows. */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** A database: queries, transactions and shutdown. */
export interface Db extends Queryable {
  /** Which adapter this is, for logs and docs. */
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws (the
   * error is rethrown). Statements inside must go through `tx`.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Closes the database (PGlite flushes its data folder; the pool's connections end). */
  close(): Promise<void>;
}

/** The SQLSTATE of a database error, if it has one. */
function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether an error is a unique-constraint violation (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/** Network errors and SQLSTATEs that mean "the database cannot be reached now". */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);

/** Whether an error means the database is unavailable for now (answer 503, not 500). */
export function isUnavailable(error: unknown): boolean {
  const code = sqlState(error);
  if (code !== undefined && UNAVAILABLE.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|PGlite is closed/i.test(message);
}

/** The type OID of `int8` (`bigint`): both adapters parse it as a JS number. */
export const INT8_OID = 20;
