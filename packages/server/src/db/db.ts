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

/** Network error codes that mean "the database cannot be reached now" (Node's `code`). */
const UNREACHABLE = new Set([
  'ECONNREFUSED', // nothing listens on the port
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND', // the host name does not resolve
  'EAI_AGAIN', // the resolver is unavailable
  'EPIPE',
  'ENOTCONN',
]);

/** SQLSTATEs (other than class 08, connection exceptions, which all count) that mean "unavailable now". */
const UNAVAILABLE_STATES = new Set([
  '53300', // too_many_connections
  '57P01', // admin_shutdown (pg_ctl stop -m fast/smart)
  '57P02', // crash_shutdown (another backend crashed: pg_ctl stop -m immediate)
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '57P05', // idle_session_timeout
]);

/** What `pg` and `pg-pool` say when a connection dies or cannot be had (they set no code). */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Connection is closed|the database system is (?:starting up|shutting down|in recovery)|terminating connection due to administrator command|PGlite is closed/i;

/**
 * Whether an error means the database is unavailable for now (answer 503 with `Retry-After`,
 * not 500): a refused, reset or timed-out connection, a Unix socket that is not there
 * (`connect ENOENT`, PostgreSQL stopped), a connection exception (SQLSTATE class 08), an
 * administrator or crash shutdown, a server starting up, a pool that cannot hand out a
 * connection, a closed PGlite. Looks into `AggregateError`s (Node tries every address of
 * `localhost`) and `cause`s.
 */
export function isUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, syscall, message, errors, cause } = e as { code?: unknown; syscall?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
    if (typeof code === 'string') {
      if (UNREACHABLE.has(code) || UNAVAILABLE_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
      if (code === 'ENOENT' && syscall === 'connect') return true; // the Unix socket is gone
    }
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
    if (cause !== undefined) queue.push(cause);
  }
  return false;
}

/** The type OID of `int8` (`bigint`): both adapters parse it as a JS number. */
export const INT8_OID = 20;
