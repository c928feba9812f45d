/**
 * Idempotency-Key, guaranteed by the database, not by process memory: one row per
 * (programme, key) in `idempotency_key`, whose primary key lets exactly one request bind a key.
 *
 * The append route claims its key inside the append's own transaction, under the programme's
 * lock (event-log.ts, an `AppendClaim` without `owner`): the key's row is read there, and an
 * accepted event binds it `done` in the statement that stores the entry, so a second request with
 * the key — in this process or another — waits for the lock and then gets the first answer.
 *
 * `claimKey` below claims a key beforehand instead (`insert … on conflict do nothing`, committed
 * at once; the clock's system events use it), so every other request with the key sees it:
 *
 * - `in_flight`: the first request is still running → 409 (a claim older than `staleSeconds`,
 *   left by a process that crashed, may be taken over);
 * - `done`: the first request was accepted; its answer is stored → the same body gets it again
 *   (200, `Idempotent-Replayed: true`), another body gets 422.
 *
 * A refused request releases its claim (deletes the row): only an accepted event binds its key.
 * The claim is made `done` inside the append's transaction (`completeClaim`, or the batch's
 * multi-row update in event-log.ts), so the entry and the stored answer commit together.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from './db/db.js';

/** The stored first answer to a key. */
export interface StoredAnswer {
  seq: number;
  response: unknown;
}

/** What looking a key up gave. */
export type Claim =
  /** This request holds the key now; `owner` proves it. */
  | { kind: 'claimed'; owner: string }
  /** The key is bound to an accepted entry with the same body. */
  | { kind: 'replay'; answer: StoredAnswer }
  /** The key is bound to an accepted entry with another body. */
  | { kind: 'reused'; seq: number }
  /** Another request holds the key. */
  | { kind: 'in-flight' };

interface KeyRow extends Record<string, unknown> {
  fingerprint: string;
  status: 'in_flight' | 'done';
  seq: number | null;
  response: unknown;
}

/** Attempts before giving up on a key whose row keeps appearing and vanishing (refused requests). */
const ATTEMPTS = 5;

/**
 * Claims `key` for a request whose body has `fingerprint`, or says why not. `staleSeconds`: how
 * old an `in_flight` claim must be before it is taken as abandoned by a crashed process.
 */
export async function claimKey(db: Queryable, programmeId: string, key: string, fingerprint: string, staleSeconds: number): Promise<Claim> {
  const owner = randomUUID();
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const inserted = await db.query(
      `insert into idempotency_key (programme_id, key, fingerprint, status, owner)
       values ($1, $2, $3, 'in_flight', $4)
       on conflict (programme_id, key) do nothing
       returning key`,
      [programmeId, key, fingerprint, owner],
    );
    if (inserted.length > 0) return { kind: 'claimed', owner };

    const [row] = await db.query<KeyRow>('select fingerprint, status, seq, response from idempotency_key where programme_id = $1 and key = $2', [
      programmeId,
      key,
    ]);
    if (!row) continue; // released between our insert and this select: try again
    if (row.status === 'done') {
      return row.fingerprint === fingerprint ? { kind: 'replay', answer: { seq: row.seq!, response: row.response } } : { kind: 'reused', seq: row.seq! };
    }
    const taken = await db.query(
      `update idempotency_key set owner = $3, fingerprint = $4, started_at = now()
       where programme_id = $1 and key = $2 and status = 'in_flight'
         and started_at < now() - make_interval(secs => $5)
       returning key`,
      [programmeId, key, owner, fingerprint, staleSeconds],
    );
    return taken.length > 0 ? { kind: 'claimed', owner } : { kind: 'in-flight' };
  }
  return { kind: 'in-flight' };
}

/**
 * Binds a claimed key to its accepted entry and stores the answer. Run it in the append's
 * transaction; false when the claim was lost (taken over as stale) — then roll back.
 */
export async function completeClaim(tx: Queryable, programmeId: string, key: string, owner: string, answer: StoredAnswer): Promise<boolean> {
  const rows = await tx.query(
    `update idempotency_key set status = 'done', seq = $4, response = $5, finished_at = now()
     where programme_id = $1 and key = $2 and owner = $3 and status = 'in_flight'
     returning key`,
    [programmeId, key, owner, answer.seq, JSON.stringify(answer.response)],
  );
  return rows.length > 0;
}

/** Frees a key this request claimed but did not use (the event was refused, or the append failed). */
export async function releaseClaim(db: Queryable, programmeId: string, key: string, owner: string): Promise<void> {
  await db.query(`delete from idempotency_key where programme_id = $1 and key = $2 and owner = $3 and status = 'in_flight'`, [programmeId, key, owner]);
}
