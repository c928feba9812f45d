/**
 * A programme's event log in the database: appending one entry (replayed through the machine
 * first), pulling entries after a cursor, and reading the whole log for the figures.
 *
 * Appends lock the programme's counter row (`select … for update`) for the whole transaction,
 * so seqs are assigned and committed in the same order and a client following the cursor never
 * skips one. Nothing is kept in process memory: each append reads the entries of the topics it
 * touches (`log_entry_topic` index) and replays them.
 */
import { applyEntry, replay, type EventRefusal, type LogEntry, type TopicEventBody, type TopicSnapshot } from '@consult-kit/machine';
import type { EventSubmission } from './contract.js';
import { isUniqueViolation, type Db, type Queryable } from './db/db.js';
import { completeClaim } from './idempotency.js';
import { configOf } from './programmes.js';

interface EntryRow extends Record<string, unknown> {
  seq: number;
  id: string;
  topic_id: string;
  event: TopicEventBody;
  by_actor: LogEntry['by'];
  at: string;
}

const ENTRY_COLUMNS = 'seq, id, topic_id, event, by_actor, at';

function toEntry(row: EntryRow): LogEntry {
  return { id: row.id, topicId: row.topic_id, seq: row.seq, event: row.event, by: row.by_actor, at: row.at };
}

/** The topics an event touches: its own and, for a merge, the one it merges into. */
function touchedTopics(submission: EventSubmission): string[] {
  const into = submission.event.type === 'screening.merge' ? submission.event.into : undefined;
  return into && into !== submission.topicId ? [submission.topicId, into] : [submission.topicId];
}

/** The replayed state of the given topics, from their entries in the log. */
async function topicsOf(tx: Queryable, programme: { id: string; configText: string; etag: string }, topicIds: string[]): Promise<Map<string, TopicSnapshot>> {
  const rows = await tx.query<EntryRow>(`select ${ENTRY_COLUMNS} from log_entry where programme_id = $1 and topic_id = any($2) order by seq`, [
    programme.id,
    topicIds,
  ]);
  return replay(configOf(programme.etag, programme.configText), rows.map(toEntry)).topics;
}

/** The claim under which an append runs (see idempotency.ts). */
export interface AppendClaim {
  key: string;
  owner: string;
  fingerprint: string;
}

/** What an append gave. */
export type AppendResult =
  | { kind: 'appended'; entry: LogEntry }
  | { kind: 'refused'; refusal: EventRefusal }
  /** The programme vanished (deleted while we ran). */
  | { kind: 'no-programme' }
  /** The key was bound meanwhile (our claim was taken over, or the unique constraint fired). */
  | { kind: 'lost' };

class LostClaim extends Error {}

/**
 * Appends one submission: locks the programme's counter, replays the touched topics, checks
 * the event with the machine's `applyEntry`, then inserts it with the next seq and binds the
 * claim to it — all in one transaction.
 */
export async function appendEvent(db: Db, programmeId: string, submission: EventSubmission, claim: AppendClaim): Promise<AppendResult> {
  try {
    return await db.transaction(async (tx): Promise<AppendResult> => {
      const [programme] = await tx.query<{ id: string; config: string; etag: string; last_seq: number }>(
        'select id, config, etag, last_seq from programme where id = $1 for update',
        [programmeId],
      );
      if (!programme) return { kind: 'no-programme' };
      const source = { id: programme.id, configText: programme.config, etag: programme.etag };
      const topics = await topicsOf(tx, source, touchedTopics(submission));
      const entry: LogEntry = {
        id: submission.id,
        topicId: submission.topicId,
        seq: programme.last_seq + 1,
        event: submission.event,
        by: submission.by,
        at: submission.at,
      };
      const refusal = applyEntry(configOf(programme.etag, programme.config), topics, entry);
      if (refusal) return { kind: 'refused', refusal };

      await tx.query(
        `insert into log_entry (programme_id, seq, id, topic_id, event, by_actor, at, fingerprint)
         values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [programmeId, entry.seq, entry.id, entry.topicId, JSON.stringify(entry.event), JSON.stringify(entry.by), entry.at, claim.fingerprint],
      );
      await tx.query('update programme set last_seq = $2 where id = $1', [programmeId, entry.seq]);
      if (!(await completeClaim(tx, programmeId, claim.key, claim.owner, { seq: entry.seq, response: { entry } }))) throw new LostClaim();
      return { kind: 'appended', entry };
    });
  } catch (error) {
    if (error instanceof LostClaim || isUniqueViolation(error)) return { kind: 'lost' };
    throw error;
  }
}

/** A page of the log. */
export interface PullPage {
  entries: LogEntry[];
  cursor: string;
  more: boolean;
}

/** Why a pull cannot be answered. */
export type PullResult = { ok: true; page: PullPage } | { ok: false; reason: 'no-programme' | 'invalid-cursor' };

/**
 * Entries after the cursor (the last seq a client saw, as a decimal string; omitted: from the
 * start), at most `limit`, in seq order. A cursor above the programme's counter was never given
 * out (a restore from backup, another server): `invalid-cursor`.
 */
export async function pullEntries(db: Queryable, programmeId: string, after: string | undefined, limit: number): Promise<PullResult> {
  const [programme] = await db.query<{ last_seq: number }>('select last_seq from programme where id = $1', [programmeId]);
  if (!programme) return { ok: false, reason: 'no-programme' };
  const from = after === undefined ? 0 : parseCursor(after);
  if (from === undefined || from > programme.last_seq) return { ok: false, reason: 'invalid-cursor' };
  const rows = await db.query<EntryRow>(`select ${ENTRY_COLUMNS} from log_entry where programme_id = $1 and seq > $2 order by seq limit $3`, [
    programmeId,
    from,
    limit + 1,
  ]);
  const entries = rows.slice(0, limit).map(toEntry);
  const last = entries.at(-1);
  return { ok: true, page: { entries, cursor: last ? String(last.seq) : String(from), more: rows.length > limit } };
}

/** A cursor's seq: a decimal string without sign or leading zeros, or undefined. */
function parseCursor(cursor: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(cursor)) return undefined;
  const seq = Number(cursor);
  return Number.isSafeInteger(seq) ? seq : undefined;
}

/** The accepted entry with this id and the fingerprint of the body that brought it, or null. */
export async function findEntry(db: Queryable, programmeId: string, id: string): Promise<{ entry: LogEntry; fingerprint: string } | null> {
  const [row] = await db.query<EntryRow & { fingerprint: string }>(`select ${ENTRY_COLUMNS}, fingerprint from log_entry where programme_id = $1 and id = $2`, [
    programmeId,
    id,
  ]);
  return row ? { entry: toEntry(row), fingerprint: row.fingerprint } : null;
}

/** The programme's whole log, in seq order. */
export async function allEntries(db: Queryable, programmeId: string): Promise<LogEntry[]> {
  const rows = await db.query<EntryRow>(`select ${ENTRY_COLUMNS} from log_entry where programme_id = $1 order by seq`, [programmeId]);
  return rows.map(toEntry);
}
