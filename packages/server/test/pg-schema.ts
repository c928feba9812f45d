/**
 * A schema of its own in the PostgreSQL of `DATABASE_URL`, for tests that run the real command
 * (which works in the connection's default schema): the URL sets `search_path` through libpq's
 * `options` parameter, so several such tests (and CI's other suites) share one database.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** Creates a fresh schema; returns a DATABASE_URL working in it and a function that drops it. */
export async function freshSchema(databaseUrl: string, prefix: string): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
