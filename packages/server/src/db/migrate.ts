/**
 * Migrations: the SQL files in `packages/server/migrations/` (`001_….sql`, in name order), each
 * applied once, in its own transaction, and recorded in `schema_migration`. An advisory lock
 * makes several processes starting at once on one PostgreSQL apply each file exactly once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from '../package-dir.js';
import type { Db } from './db.js';

/** The migrations shipped with the package (beside `src/` and `dist/`). */
export const MIGRATIONS_DIR = join(packageDir(), 'migrations');

/** An arbitrary constant: the advisory lock key that serialises migrations. */
const MIGRATION_LOCK = 7_201_562_311;

/** The migration files in a folder, in the order they apply. */
export function migrationFiles(dir: string = MIGRATIONS_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => /^\d+[-_].*\.sql$/.test(name))
    .sort();
}

/** Applies every migration not applied yet; returns the names of those it applied. */
export async function migrate(db: Db, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec('create table if not exists schema_migration (name text primary key, applied_at timestamptz not null default now())');
  });
  const applied: string[] = [];
  for (const name of migrationFiles(dir)) {
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      if ((await tx.query('select 1 from schema_migration where name = $1', [name])).length > 0) return false;
      await tx.exec(readFileSync(join(dir, name), 'utf8'));
      await tx.query('insert into schema_migration (name) values ($1)', [name]);
      return true;
    });
    if (done) applied.push(name);
  }
  return applied;
}
