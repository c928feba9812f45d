/**
 * A programme's event log in the database: appending one entry (replayed through the machine
 * first), pulling entries after a cursor, and reading the whole log for the figures.
 *
 * Appends lock the programme's counter row (`select … for update`) for the whole transaction,
 * so seqs are assigned and committed in the same order and a client following the cursor never
 * skips one. Each append brings the topics it touches up to the log under that lock: this process
 * keeps their replayed states between appends (`CachedTopic`), and reads only the entries after
 * what it has replayed (`log_entry_topic` index) — all of a topic's the first time, those another
 * process appended otherwise. Appends to one programme that arrive together share one
 * transaction (group commit, see `appendEvent`).
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
import { randomUUID } from 'node:crypto';
import { applyVersioned, loadTopicConfigs, topicConfigs, type TopicConfigs, type VersionedConfig } from './config-versions.js';
import type { EventSubmission } from './contract.js';
import { isUniqueViolation, type Db, type Queryable } from './db/db.js';
import type { Claim } from './idempotency.js';
import { publishAppend } from './observability/channels.js';
import { cachedConfig } from './programmes.js';

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
  /**
   * The owner of a claim made beforehand with `claimKey` (committed `in_flight`): the append makes
   * it `done`, or is `lost` when it was taken over meanwhile. Without an owner the key is claimed
   * inside the append's own transaction, under the programme's lock (what the route does): a key
   * bound already gives `taken` (the stored answer, or `reused` for another body), another
   * request's `in_flight` claim gives `taken` in-flight unless it is older than `staleSeconds`
   * (then it is taken over), and an accepted event binds its key `done` in the statement that
   * stores it. A refused event writes nothing.
   */
  owner?: string;
  /** Without `owner`: how old another request's `in_flight` claim must be to be taken over (default 30). */
  staleSeconds?: number;
  /**
   * The entity tag of the config the caller checked the request against (who may send it): when
   * the entry's topic replays with another under the lock (a version was published meanwhile),
   * the append gives `stale-config` and writes nothing.
   */
  configEtag?: string;
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

/** Claimed in the transaction (a claim without `owner`): the key was bound already, or another request holds it. */
export interface TakenKey {
  kind: 'taken';
  claim: Exclude<Claim, { kind: 'claimed' }>;
}

/** The caller's `configEtag` was not the config of the entry's topic under the lock: nothing was written. */
export interface StaleConfig {
  kind: 'stale-config';
}

/** What an append gave, with the key claimed in its transaction. */
type AppendOutcome = AppendResult | TakenKey | StaleConfig;

/** A claim of the batch was taken over meanwhile: the batch is rolled back. */
class LostClaim extends Error {}

/** One append waiting for its batch. */
interface PendingAppend {
  submission: EventSubmission;
  claim: AppendClaim;
  /** `performance.now()` when it was queued (the lock wait published on the append channel). */
  queuedAt: number;
  resolve(result: AppendOutcome): void;
  reject(error: unknown): void;
}

/** The most appends one transaction takes. */
export const MAX_BATCH = 64;

/** Appends waiting per programme, per database; a programme is here while its queue runs. */
const queues = new WeakMap<Db, Map<string, PendingAppend[]>>();

/**
 * A topic's replayed state as this process last saw it: every entry of the topic with a seq up to
 * `since` applied (the redacted entries, as a replay of the stored log gives them). Never trusted
 * alone: each append reads, under the programme's lock, the topic's entries after `since` (another
 * process may have appended them) and applies them first, so the state is the log's.
 */
interface CachedTopic {
  snapshot: TopicSnapshot;
  since: number;
}

/** How many topics per programme keep their replayed state (least recently appended to go first). */
export const CACHED_TOPICS = 4_096;

/** Replayed topic states per database and programme (see `CachedTopic`). */
const topicCache = new WeakMap<Db, Map<string, Map<string, CachedTopic>>>();

function cacheOf(db: Db, programmeId: string): Map<string, CachedTopic> {
  let byProgramme = topicCache.get(db);
  if (!byProgramme) topicCache.set(db, (byProgramme = new Map()));
  let topics = byProgramme.get(programmeId);
  if (!topics) byProgramme.set(programmeId, (topics = new Map()));
  return topics;
}

/** Forgets this process's replayed topic states (tests; a programme restored from a backup). */
export function forgetReplayedTopics(db: Db, programmeId?: string): void {
  if (programmeId === undefined) topicCache.delete(db);
  else topicCache.get(db)?.delete(programmeId);
}

/**
 * Appends one submission: locks the programme's counter, replays the touched topics, checks
 * the event with the machine's `applyEntry`, then inserts it with the next seq and binds the
 * claim to it — all in one transaction.
 *
 * Group commit: appends to one programme are serial anyway (the counter's row lock), so this
 * process runs one transaction per programme at a time, and the appends that arrive while it
 * runs go together into the next one (at most `MAX_BATCH`): one lock, one read of their keys,
 * topic versions and topics' new entries, one multi-row write of the entries, their claims,
 * versions and the counter, one commit. Each is checked in order exactly as it would be alone (a
 * refused one takes no seq and changes nothing for the others), and each gets its own result once
 * the transaction has committed. When the batch's transaction fails (a claim taken over, the
 * unique constraint, any database error), it is rolled back and its appends run again one by
 * one, each getting its own answer. After each commit, `consult-kit:append` is published
 * (observability/channels.ts).
 */
export function appendEvent(db: Db, programmeId: string, submission: EventSubmission, claim: AppendClaim & { owner: string }): Promise<AppendResult>;
export function appendEvent(db: Db, programmeId: string, submission: EventSubmission, claim: AppendClaim): Promise<AppendOutcome>;
export function appendEvent(db: Db, programmeId: string, submission: EventSubmission, claim: AppendClaim): Promise<AppendOutcome> {
  return new Promise<AppendOutcome>((resolve, reject) => {
    let byProgramme = queues.get(db);
    if (!byProgramme) queues.set(db, (byProgramme = new Map()));
    const waiting = byProgramme.get(programmeId);
    const pending: PendingAppend = { submission, claim, queuedAt: performance.now(), resolve, reject };
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
    // One turn of the event loop first: requests that have arrived meanwhile reach their append
    // and join the batch (a PGlite transaction never yields to I/O while it runs).
    await new Promise<void>((resolve) => setImmediate(resolve));
    await runBatch(db, programmeId, queue);
  }
  byProgramme.delete(programmeId);
}

/**
 * Appends the next batch of the queue and settles each of its appends; never throws. The batch
 * is taken from the queue only once the programme is locked, so every append that arrived while
 * the transaction waited for the database (PGlite's one connection, a pool's connection, another
 * process's lock) joins it.
 */
async function runBatch(db: Db, programmeId: string, queue: PendingAppend[]): Promise<void> {
  let batch: PendingAppend[] | undefined;
  const take = (): PendingAppend[] => (batch ??= queue.splice(0, MAX_BATCH));
  try {
    const results = await appendBatch(db, programmeId, take);
    batch!.forEach((pending, i) => pending.resolve(results[i]!));
    return;
  } catch (error) {
    take(); // a transaction that failed before the lock: the appends it would have taken fail with it
    if (batch!.length === 1) {
      settleFailed(batch![0]!, error);
      return;
    }
    // Rolled back: run them one by one, so each gets its own result or error.
  }
  for (const pending of batch!) {
    try {
      pending.resolve((await appendBatch(db, programmeId, () => [pending]))[0]!);
    } catch (error) {
      settleFailed(pending, error);
    }
  }
}

/** Settles an append whose own transaction failed: `lost` when its key was bound meanwhile. */
function settleFailed(pending: PendingAppend, error: unknown): void {
  if (error instanceof LostClaim || isUniqueViolation(error)) pending.resolve({ kind: 'lost' });
  else pending.reject(error);
}

/** A submission as a log entry with its seq and when the server received it. */
function entryOf(submission: EventSubmission, seq: number, receivedAt: string): LogEntry {
  return { id: submission.id, topicId: submission.topicId, seq, event: submission.event, by: submission.by, at: submission.at, receivedAt };
}

/** A key's row as the batch's read gives it (`age`: seconds since it was claimed). */
interface KeyState {
  key: string;
  fingerprint: string;
  status: 'in_flight' | 'done';
  seq: number | null;
  response: unknown;
  owner: string;
  age: number;
}

/** What the batch reads in one statement once the programme is locked. */
interface BatchRead extends Record<string, unknown> {
  keys: KeyState[] | null;
  versions: [topicId: string, version: number, etag: string][] | null;
  entries: EntryRow[] | null;
}

/** The batch's read: the claims of its keys, the touched topics' versions, and their entries after what this process has replayed. */
const BATCH_READ = `select
  (select json_agg(json_build_object('key', k.key, 'fingerprint', k.fingerprint, 'status', k.status, 'seq', k.seq, 'response', k.response,
                                     'owner', k.owner, 'age', extract(epoch from now() - k.started_at)))
     from idempotency_key k where k.programme_id = $1 and k.key = any($2::text[])) as keys,
  (select json_agg(json_build_array(t.topic_id, t.version, v.etag))
     from topic_version t join config_version v on v.programme_id = t.programme_id and v.version = t.version
    where t.programme_id = $1 and t.topic_id = any($3::text[])) as versions,
  (select json_agg(json_build_object('seq', e.seq, 'id', e.id, 'topic_id', e.topic_id, 'event', e.event, 'by_actor', e.by_actor, 'at', e.at,
                                     'redacted', e.redacted, 'received', e.received) order by e.seq)
     from unnest($3::text[], $4::bigint[]) as c (topic_id, since)
     join log_entry e on e.programme_id = $1 and e.topic_id = c.topic_id and e.seq > c.since) as entries`;

/**
 * The touched topics' configs from the batch's read, when this process has parsed every version
 * involved (else undefined: `loadTopicConfigs` reads the texts).
 */
function configsFrom(head: { etag: string; version: number }, versions: BatchRead['versions']): TopicConfigs | undefined {
  const latestConfig = cachedConfig(head.etag);
  if (!latestConfig) return undefined;
  const latest: VersionedConfig = { version: head.version, etag: head.etag, config: latestConfig };
  const byVersion = new Map<number, VersionedConfig>([[head.version, latest]]);
  const ofTopic = new Map<string, VersionedConfig>();
  for (const [topicId, version, etag] of versions ?? []) {
    let versioned = byVersion.get(version);
    if (!versioned) {
      const config = cachedConfig(etag);
      if (!config) return undefined;
      byVersion.set(version, (versioned = { version, etag, config }));
    }
    ofTopic.set(topicId, versioned);
  }
  return topicConfigs(latest, ofTopic, byVersion);
}

/** The answer a key already bound gives a request with `fingerprint`. */
function boundAnswer(row: { fingerprint: string; seq: number; response: unknown }, fingerprint: string): TakenKey {
  return { kind: 'taken', claim: row.fingerprint === fingerprint ? { kind: 'replay', answer: { seq: row.seq, response: row.response } } : { kind: 'reused', seq: row.seq } };
}

/**
 * Appends a batch in one transaction (see `appendEvent`): `take` gives it once the programme is
 * locked; results in the batch's order. Throws (after rolling back) when a claim was lost, on the
 * unique constraint or any database error.
 */
async function appendBatch(db: Db, programmeId: string, take: () => readonly PendingAppend[]): Promise<AppendOutcome[]> {
  const cache = cacheOf(db, programmeId);
  let batch: readonly PendingAppend[] = [];
  let lockedAt = 0;
  let written = 0;
  /** The touched topics' states to keep after the batch, as the stored (redacted) log replays them; null: none to keep. */
  const keep = new Map<string, CachedTopic | null>();
  const results = await db.transaction(async (tx): Promise<AppendOutcome[]> => {
    const [programme] = await tx.query<{ etag: string; version: number; last_seq: number }>('select etag, version, last_seq from programme where id = $1 for update', [programmeId]);
    lockedAt = performance.now();
    batch = take();
    if (!programme) return batch.map(() => ({ kind: 'no-programme' }));

    const topicIds = [...new Set(batch.flatMap(({ submission }) => touchedTopics(submission)))];
    const ownKeys = batch.filter((p) => p.claim.owner === undefined).map((p) => p.claim.key);
    // Read after the lock (a statement of its own: its snapshot then holds every commit before ours).
    const [read] = await tx.query<BatchRead>(BATCH_READ, [programmeId, ownKeys, topicIds, topicIds.map((id) => cache.get(id)?.since ?? 0)]);
    const configs = configsFrom(programme, read!.versions) ?? (await loadTopicConfigs(tx, programmeId, topicIds, programme))!;
    // The touched topics: this process's states, brought up to the log with the entries after
    // them (all of a topic's entries when it has none); then each append is checked on top of
    // the log and of those accepted earlier in this batch — exactly what it would be checked
    // against alone (a topic's state comes from its own entries only, and a refused entry
    // changes nothing).
    const topics = new Map<string, TopicSnapshot>();
    for (const id of topicIds) {
      const cached = cache.get(id);
      if (cached) topics.set(id, cached.snapshot);
    }
    for (const row of read!.entries ?? []) applyVersioned(configs, topics, toEntry(row));
    // What the stored log replays to is the same as `topics` until an entry with personal values
    // (checked in full, stored redacted) is accepted on a topic: from then on, the state before
    // it is kept, and the next append reads that entry and those after it back from the log
    // (cheaper than replaying each such entry twice here, when most topics are not appended to
    // again soon).
    const stored = new Map(topics);
    const keys = new Map((read!.keys ?? []).map((k) => [k.key, k]));
    const boundHere = new Map<string, { fingerprint: string; entry: LogEntry }>();

    const accepted: { entry: LogEntry; personal: PersonalValues | null; claim: AppendClaim; owner: string }[] = [];
    const checkedAt = new Date().toISOString();
    const results: AppendOutcome[] = batch.map(({ submission, claim }): AppendOutcome => {
      let owner = claim.owner;
      if (owner === undefined) {
        const here = boundHere.get(claim.key);
        if (here) return boundAnswer({ fingerprint: here.fingerprint, seq: here.entry.seq, response: { entry: here.entry } }, claim.fingerprint);
        const row = keys.get(claim.key);
        if (row?.status === 'done') return boundAnswer({ fingerprint: row.fingerprint, seq: row.seq!, response: row.response }, claim.fingerprint);
        if (row && row.age <= (claim.staleSeconds ?? 30)) return { kind: 'taken', claim: { kind: 'in-flight' } };
        // A stale claim (its process crashed) is taken over by matching its owner.
        owner = row?.owner ?? randomUUID();
      }
      if (claim.configEtag !== undefined && configs.versionOf(submission.topicId).etag !== claim.configEtag) return { kind: 'stale-config' };
      const full = entryOf(submission, programme.last_seq + accepted.length + 1, claim.receivedAt ?? checkedAt);
      const config = configs.configFor(full.topicId);
      const refusal = claim.authorize?.(topics, full, config) ?? applyEntry(config, topics, full);
      if (refusal) return { kind: 'refused', refusal };
      // Checked in full; kept and answered redacted (the answer is stored with the key).
      const { entry, personal } = redactUnder(configs, full);
      accepted.push({ entry, personal, claim, owner });
      if (claim.owner === undefined) boundHere.set(claim.key, { fingerprint: claim.fingerprint, entry });
      if (keep.has(entry.topicId)) {
        // Kept as it was before an earlier entry of this batch.
      } else if (personal === null) stored.set(entry.topicId, topics.get(entry.topicId)!);
      else {
        const before = stored.get(entry.topicId);
        keep.set(entry.topicId, before ? { snapshot: before, since: entry.seq - 1 } : null);
      }
      return { kind: 'appended', entry };
    });
    for (const id of topicIds) {
      if (!keep.has(id)) {
        const snapshot = stored.get(id);
        keep.set(id, snapshot ? { snapshot, since: programme.last_seq + accepted.length } : null);
      }
    }
    if (accepted.length === 0) return results;
    // Topics started by this batch keep the version they were checked against.
    const started = [...new Set(accepted.filter((a) => a.entry.event.type === 'topic.submit' && !configs.started(a.entry.topicId)).map((a) => a.entry.topicId))];
    const withPersonal = accepted.filter((a) => a.personal !== null);
    const withCode = accepted.filter((a) => a.claim.followCodeHash !== undefined && a.entry.event.type === 'topic.submit');

    // The entries, their personal values, follow codes, topic versions, their claims bound
    // `done` with the answer, and the counter: one statement.
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
       ), tv as (
         insert into topic_version (programme_id, topic_id, version)
         select $1, t, $22::integer from unnest($21::text[]) as t
         on conflict (programme_id, topic_id) do nothing
       ), c as (
         insert into idempotency_key as k (programme_id, key, fingerprint, status, owner, seq, response, finished_at)
         select $1, key, fingerprint, 'done', owner, seq, response::json, now() from v
         on conflict (programme_id, key) do update
           set status = 'done', seq = excluded.seq, response = excluded.response, finished_at = excluded.finished_at, fingerprint = excluded.fingerprint
           where k.owner = excluded.owner and k.status = 'in_flight'
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
        accepted.map((a) => a.owner),
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
        started,
        configs.latest.version,
      ],
    );
    if (bound.length !== accepted.length) throw new LostClaim();
    written = accepted.length;
    return results;
  }).catch((error: unknown) => {
    // Rolled back: what this process had replayed of the touched topics may be all there is,
    // but it is dropped with the rest, to be read again.
    for (const id of batch.flatMap(({ submission }) => touchedTopics(submission))) cache.delete(id);
    throw error;
  });
  // Committed: the touched topics' states are the log's up to their `since`.
  if (results[0]?.kind === 'no-programme') forgetReplayedTopics(db, programmeId);
  else {
    for (const [id, kept] of keep) {
      cache.delete(id);
      if (kept) cache.set(id, kept);
    }
    while (cache.size > CACHED_TOPICS) cache.delete(cache.keys().next().value!);
  }
  if (written > 0) publishAppend({ programmeId, events: written, lockWaitMs: Math.max(0, lockedAt - batch[0]!.queuedAt), db });
  return results;
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
    // Seqs are dense (1 … last_seq), so the page is the range (from, from + limit + 1]: a bounded
    // range of the primary key is a short index scan under any plan, also where the planner has
    // no statistics (PGlite gathers none itself; "after, limit" then became a scan and sort of
    // the whole rest of the log). Should the range hold a gap, the open-ended query answers.
    const upto = Math.min(programme.last_seq, from + limit + 1);
    rows = await db.query<JoinableRow>(`${selectEntries(joined)} where e.programme_id = $1 and e.seq > $2 and e.seq <= $3 order by e.seq`, [programmeId, from, upto]);
    if (rows.length < upto - from) {
      rows = await db.query<JoinableRow>(`${selectEntries(joined)} where e.programme_id = $1 and e.seq > $2 order by e.seq limit $3`, [programmeId, from, limit + 1]);
    }
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
