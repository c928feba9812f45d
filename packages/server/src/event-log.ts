/**
 * A programme's event log in the database: appending one entry (replayed through the machine
 * first), pulling entries after a cursor, and reading the whole log for the figures.
 *
 * Appends lock the programme's counter row (`select … for update`) for the whole transaction,
 * so seqs are assigned and committed in the same order and a client following the cursor never
 * skips one. Nothing is kept in process memory: each append reads the entries of the topics it
 * touches (`log_entry_topic` index) and replays them. Appends to one programme that arrive
 * together share one transaction (group commit, see `appendEvent`).
 *
 * Config versions: each topic is checked and replayed with the config version it started under
 * (config-versions.ts); a topic's first accepted entry records the programme's latest version,
 * read under the same lock that a publish takes.
 *
 * Time: every entry records when the server received it (`receivedAt`, column `received`) beside
 * the claimed `at`; the machine counts the event at its claimed time only within the config's
 * offline grace before that, and the replay reads the same string back, so it agrees.
 *
 * Personal data apart: the machine checks the full entry, then `redactEntry` splits it; the
 * shareable entry (a marker in place of each personal value, their pointers in `redacted`) goes
 * to `log_entry`, the values to `personal_value` (personal.ts), in the same statement. Replays
 * read the redacted log (the machine accepts it); pulls join the values back only for callers
 * allowed to see them.
 */
import { applyEntry, joinPersonal, redactEntry, type EventRefusal, type LogEntry, type PersonalValues, type TopicEventBody, type TopicSnapshot, type WorkflowConfig } from '@consult-kit/machine';
import { loadTopicConfigs, recordTopicVersions, replayVersioned, type TopicConfigs } from './config-versions.js';
import type { EventSubmission } from './contract.js';
import { isUniqueViolation, type Db, type Queryable } from './db/db.js';

interface EntryRow extends Record<string, unknown> {
  seq: number;
  id: string;
  topic_id: string;
  event: TopicEventBody;
  by_actor: LogEntry['by'];
  at: string;
  redacted: string[] | null;
  /** LogEntry.receivedAt; null for entries appended before the server recorded it (005_received.sql), absent where not selected. */
  received?: string | null;
}

const ENTRY_COLUMNS = 'seq, id, topic_id, event, by_actor, at, redacted, received';

/** A stored (redacted) row as a log entry. */
export function toEntry(row: EntryRow): LogEntry {
  const entry: LogEntry = { id: row.id, topicId: row.topic_id, seq: row.seq, event: row.event, by: row.by_actor, at: row.at };
  if (typeof row.received === 'string') entry.receivedAt = row.received;
  if (row.redacted && row.redacted.length > 0) entry.redacted = row.redacted;
  return entry;
}

/** A row with its personal values (`left join personal_value`), joined when asked. */
interface JoinableRow extends EntryRow {
  vals?: PersonalValues | null;
}

function toEntryJoined(row: JoinableRow, joined: boolean): LogEntry {
  const entry = toEntry(row);
  return joined ? joinPersonal(entry, row.vals) : entry;
}

/** The columns of `log_entry e`, and with `joined` the values of `personal_value p`. */
function selectEntries(joined: boolean): string {
  const columns = ENTRY_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ');
  return joined
    ? `select ${columns}, p.vals from log_entry e left join personal_value p on p.programme_id = e.programme_id and p.entry_id = e.id`
    : `select ${columns} from log_entry e`;
}

/** The topics an event touches: its own and, for a merge, the one it merges into. */
function touchedTopics(submission: EventSubmission): string[] {
  const into = submission.event.type === 'screening.merge' ? submission.event.into : undefined;
  return into && into !== submission.topicId ? [submission.topicId, into] : [submission.topicId];
}

/** The claim under which an append runs (see idempotency.ts). */
export interface AppendClaim {
  key: string;
  owner: string;
  fingerprint: string;
  /** For a `topic.submit`: the hash of the topic's follow code, stored when it is accepted. */
  followCodeHash?: string;
  /**
   * A check run on the replayed topics (this transaction's view, with the batch's earlier
   * entries applied) just before the machine's: a refusal stops the entry as the machine's
   * would (scope.ts uses it for levels and parties, so a concurrent escalation cannot slip by).
   * `config` is the config of the entry's topic (its version's).
   */
  authorize?: (topics: ReadonlyMap<string, TopicSnapshot>, entry: LogEntry, config: WorkflowConfig) => EventRefusal | null;
  /**
   * When the server received the request (ISO 8601, its own clock): the entry's `receivedAt`,
   * which the machine's time rules read (effective time, docs/config.md "Time and the offline
   * grace"). Default: when the append is checked.
   */
  receivedAt?: string;
}

/** What an append gave. */
export type AppendResult =
  | { kind: 'appended'; entry: LogEntry }
  | { kind: 'refused'; refusal: EventRefusal }
  /** The programme vanished (deleted while we ran). */
  | { kind: 'no-programme' }
  /** The key was bound meanwhile (our claim was taken over, or the unique constraint fired). */
  | { kind: 'lost' };

/** A claim of the batch was taken over meanwhile: the batch is rolled back. */
class LostClaim extends Error {}

/** One append waiting for its batch. */
interface PendingAppend {
  submission: EventSubmission;
  claim: AppendClaim;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** The most appends one transaction takes. */
export const MAX_BATCH = 64;

/** Appends waiting per programme, per database; a programme is here while its queue runs. */
const queues = new WeakMap<Db, Map<string, PendingAppend[]>>();

/**
 * Appends one submission: locks the programme's counter, replays the touched topics, checks
 * the event with the machine's `applyEntry`, then inserts it with the next seq and binds the
 * claim to it — all in one transaction.
 *
 * Group commit: appends to one programme are serial anyway (the counter's row lock), so this
 * process runs one transaction per programme at a time, and the appends that arrive while it
 * runs go together into the next one (at most `MAX_BATCH`): one lock, one read of their topics,
 * one multi-row write of the entries, their claims and the counter, one commit. Each is checked
 * in order exactly as it would be alone (a refused one takes no seq and changes nothing for the
 * others), and each gets its own result once the transaction has committed. When the batch's
 * transaction fails (a claim taken over, the unique constraint, any database error), it is
 * rolled back and its appends run again one by one, each getting its own answer.
 */
export function appendEvent(db: Db, programmeId: string, submission: EventSubmission, claim: AppendClaim): Promise<AppendResult> {
  return new Promise<AppendResult>((resolve, reject) => {
    let byProgramme = queues.get(db);
    if (!byProgramme) queues.set(db, (byProgramme = new Map()));
    const waiting = byProgramme.get(programmeId);
    const pending: PendingAppend = { submission, claim, resolve, reject };
    if (waiting) {
      waiting.push(pending);
      return;
    }
    const queue = [pending];
    byProgramme.set(programmeId, queue);
    void drain(db, programmeId, queue, byProgramme);
  });
}

/** Runs a programme's queue, a batch at a time, until it is empty. */
async function drain(db: Db, programmeId: string, queue: PendingAppend[], byProgramme: Map<string, PendingAppend[]>): Promise<void> {
  while (queue.length > 0) {
    const batch = queue.splice(0, MAX_BATCH);
    await runBatch(db, programmeId, batch);
  }
  byProgramme.delete(programmeId);
}

/** Appends a batch and settles each of its appends; never throws. */
async function runBatch(db: Db, programmeId: string, batch: PendingAppend[]): Promise<void> {
  if (batch.length > 1) {
    let results: AppendResult[] | undefined;
    try {
      results = await appendBatch(db, programmeId, batch);
    } catch {
      // Rolled back: run them one by one below, so each gets its own result or error.
    }
    if (results) {
      batch.forEach((pending, i) => pending.resolve(results[i]!));
      return;
    }
  }
  for (const pending of batch) {
    try {
      pending.resolve((await appendBatch(db, programmeId, [pending]))[0]!);
    } catch (error) {
      if (error instanceof LostClaim || isUniqueViolation(error)) pending.resolve({ kind: 'lost' });
      else pending.reject(error);
    }
  }
}

/** A submission as a log entry with its seq and when the server received it. */
function entryOf(submission: EventSubmission, seq: number, receivedAt: string): LogEntry {
  return { id: submission.id, topicId: submission.topicId, seq, event: submission.event, by: submission.by, at: submission.at, receivedAt };
}

/**
 * Appends a batch in one transaction (see `appendEvent`); results in the batch's order. Throws
 * (after rolling back) when a claim was lost, on the unique constraint or any database error.
 */
async function appendBatch(db: Db, programmeId: string, batch: readonly PendingAppend[]): Promise<AppendResult[]> {
  return db.transaction(async (tx): Promise<AppendResult[]> => {
    const [programme] = await tx.query<{ etag: string; version: number; last_seq: number }>('select etag, version, last_seq from programme where id = $1 for update', [programmeId]);
    if (!programme) return batch.map(() => ({ kind: 'no-programme' }));

    const topicIds = [...new Set(batch.flatMap(({ submission }) => touchedTopics(submission)))];
    // Each touched topic's config version (read under the lock: the latest cannot move meanwhile).
    const configs = (await loadTopicConfigs(tx, programmeId, topicIds, programme))!;
    const rows = await tx.query<EntryRow>(`select ${ENTRY_COLUMNS} from log_entry where programme_id = $1 and topic_id = any($2) order by seq`, [
      programmeId,
      topicIds,
    ]);
    // The touched topics replayed once; each append is then checked on top of the log and of
    // those accepted earlier in this batch — exactly what it would be checked against alone (a
    // topic's state comes from its own entries only, and a refused entry changes nothing).
    const topics = replayVersioned(configs, rows.map(toEntry)).topics;
    const accepted: { entry: LogEntry; personal: PersonalValues | null; claim: AppendClaim }[] = [];
    const checkedAt = new Date().toISOString();
    const results: AppendResult[] = batch.map(({ submission, claim }) => {
      const full = entryOf(submission, programme.last_seq + accepted.length + 1, claim.receivedAt ?? checkedAt);
      const config = configs.configFor(full.topicId);
      const refusal = claim.authorize?.(topics, full, config) ?? applyEntry(config, topics, full);
      if (refusal) return { kind: 'refused', refusal };
      // Checked in full; kept and answered redacted (the answer is stored with the key).
      const { entry, personal } = redactUnder(configs, full);
      accepted.push({ entry, personal, claim });
      return { kind: 'appended', entry };
    });
    if (accepted.length === 0) return results;
    // Topics started by this batch keep the version they were checked against.
    const started = accepted.filter((a) => a.entry.event.type === 'topic.submit' && !configs.started(a.entry.topicId)).map((a) => a.entry.topicId);
    await recordTopicVersions(tx, programmeId, started, configs.latest.version);
    const withPersonal = accepted.filter((a) => a.personal !== null);
    const withCode = accepted.filter((a) => a.claim.followCodeHash !== undefined && a.entry.event.type === 'topic.submit');

    // The entries, their personal values, follow codes, their claims made `done` with the
    // answer, and the counter: one statement.
    const bound = await tx.query<{ key: string }>(
      `with v as (
         select * from unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $13::text[], $20::text[])
           as v (seq, id, topic_id, event, by_actor, at, fingerprint, key, owner, response, redacted, received)
       ), e as (
         insert into log_entry (programme_id, seq, id, topic_id, event, by_actor, at, fingerprint, redacted, received)
         select $1, seq, id, topic_id, event::json, by_actor::json, at, fingerprint, redacted::json, received from v
       ), pv as (
         insert into personal_value (programme_id, entry_id, topic_id, subject_id, vals)
         select $1, entry_id, topic_id, subject_id, vals::json from unnest($14::text[], $15::text[], $16::text[], $17::text[]) as pv (entry_id, topic_id, subject_id, vals)
       ), fc as (
         insert into follow_code (programme_id, topic_id, code_hash)
         select $1, topic_id, code_hash from unnest($18::text[], $19::text[]) as fc (topic_id, code_hash)
         on conflict do nothing
       ), c as (
         update idempotency_key k set status = 'done', seq = v.seq, response = v.response::json, finished_at = now()
         from v where k.programme_id = $1 and k.key = v.key and k.owner = v.owner and k.status = 'in_flight'
         returning k.key
       ), p as (
         update programme set last_seq = $12 where id = $1
       )
       select key from c`,
      [
        programmeId,
        accepted.map((a) => a.entry.seq),
        accepted.map((a) => a.entry.id),
        accepted.map((a) => a.entry.topicId),
        accepted.map((a) => JSON.stringify(a.entry.event)),
        accepted.map((a) => JSON.stringify(a.entry.by)),
        accepted.map((a) => a.entry.at),
        accepted.map((a) => a.claim.fingerprint),
        accepted.map((a) => a.claim.key),
        accepted.map((a) => a.claim.owner),
        accepted.map((a) => JSON.stringify({ entry: a.entry })),
        programme.last_seq + accepted.length,
        accepted.map((a) => (a.entry.redacted ? JSON.stringify(a.entry.redacted) : null)),
        withPersonal.map((a) => a.entry.id),
        withPersonal.map((a) => a.entry.topicId),
        withPersonal.map((a) => a.entry.by.id ?? null),
        withPersonal.map((a) => JSON.stringify(a.personal)),
        withCode.map((a) => a.entry.topicId),
        withCode.map((a) => a.claim.followCodeHash!),
        accepted.map((a) => a.entry.receivedAt ?? null),
      ],
    );
    if (bound.length !== accepted.length) throw new LostClaim();
    return results;
  });
}

/**
 * Redacts an entry by its topic's config and, when that is not the latest, by the latest too:
 * a field a newer version marks personal is kept apart in every topic's new entries (what
 * `redactStoredLogs` would do to them at the next start anyway).
 */
export function redactUnder(configs: TopicConfigs, full: LogEntry): { entry: LogEntry; personal: PersonalValues | null } {
  const own = configs.versionOf(full.topicId);
  const first = redactEntry(own.config, full);
  if (own === configs.latest) return first;
  const second = redactEntry(configs.latest.config, first.entry);
  if (!second.personal) return first;
  return { entry: second.entry, personal: { ...first.personal, ...second.personal } };
}

/** A page of the log. */
export interface PullPage {
  entries: LogEntry[];
  cursor: string;
  more: boolean;
}

/** Why a pull cannot be answered. */
export type PullResult = { ok: true; page: PullPage } | { ok: false; reason: 'no-programme' | 'invalid-cursor' | 'unknown-topic' };

/** What a pull asks for. */
export interface PullRequest {
  /** The cursor as sent; omitted: from the start. */
  after: string | undefined;
  limit: number;
  /** Personal values joined back (the caller holds one of the config's `personalDataRoles`). */
  joined: boolean;
  /** Only this topic's own entries (`…/topics/{topicId}/events`). */
  topicId?: string;
}

/**
 * Entries after the cursor (the last seq a client saw, as a decimal string; omitted: from the
 * start), at most `limit`, in seq order: redacted, or joined with their personal values. A
 * cursor above the programme's counter was never given out (a restore from backup, another
 * server): `invalid-cursor`. With `topicId`, only that topic's entries (`unknown-topic` when it
 * has none); the cursor is the programme's seq all the same.
 */
export async function pullEntries(db: Queryable, programmeId: string, request: PullRequest): Promise<PullResult> {
  const { after, limit, joined, topicId } = request;
  const [programme] = await db.query<{ last_seq: number }>('select last_seq from programme where id = $1', [programmeId]);
  if (!programme) return { ok: false, reason: 'no-programme' };
  const from = after === undefined ? 0 : parseCursor(after);
  if (from === undefined || from > programme.last_seq) return { ok: false, reason: 'invalid-cursor' };
  let rows: JoinableRow[];
  if (topicId === undefined) {
    rows = await db.query<JoinableRow>(`${selectEntries(joined)} where e.programme_id = $1 and e.seq > $2 order by e.seq limit $3`, [programmeId, from, limit + 1]);
  } else {
    rows = await db.query<JoinableRow>(`${selectEntries(joined)} where e.programme_id = $1 and e.topic_id = $2 and e.seq > $3 order by e.seq limit $4`, [
      programmeId,
      topicId,
      from,
      limit + 1,
    ]);
    if (rows.length === 0 && !(await topicExists(db, programmeId, topicId))) return { ok: false, reason: 'unknown-topic' };
  }
  const entries = rows.slice(0, limit).map((row) => toEntryJoined(row, joined));
  const last = entries.at(-1);
  return { ok: true, page: { entries, cursor: last ? String(last.seq) : String(from), more: rows.length > limit } };
}

/** Whether the programme's log has an entry of the topic. */
export async function topicExists(db: Queryable, programmeId: string, topicId: string): Promise<boolean> {
  return (await db.query('select 1 from log_entry where programme_id = $1 and topic_id = $2 limit 1', [programmeId, topicId])).length > 0;
}

/** Who raised a topic (the `by` of its `topic.submit`), or undefined. */
export async function topicAuthor(db: Queryable, programmeId: string, topicId: string): Promise<LogEntry['by'] | undefined> {
  const [row] = await db.query<{ by_actor: LogEntry['by'] }>(
    `select by_actor from log_entry where programme_id = $1 and topic_id = $2 and event->>'type' = 'topic.submit' order by seq limit 1`,
    [programmeId, topicId],
  );
  return row?.by_actor;
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
