/**
 * Personal values kept apart from the log (`personal_value`, written by the append in
 * event-log.ts): erasure and export on request (PIPL Art. 47 and 45, GDPR Art. 17 and 15), and
 * the start-up step that redacts a log written before the values were kept apart.
 *
 * The log stays append-only and replayable: an erasure deletes personal values, never entries,
 * and is recorded in `erasure` without any of the values. A pulled entry whose values were
 * erased keeps the `{ "redacted": true }` marker and its pointer in `redacted`, joined or not.
 */
import { randomUUID, createHash } from 'node:crypto';
import { joinPersonal, redactEntry, type LogEntry, type PersonalValues } from '@consult-kit/machine';
import type { Db, Queryable } from './db/db.js';
import { toEntry } from './event-log.js';
import { revokeFollowCode } from './follow-codes.js';
import { Problem } from './problems.js';
import { configOf } from './programmes.js';

/** Whose personal values a request is about: one topic, one subject (`by.id`, participant id) or one value. */
export type PersonalQuery = { topicId: string } | { subjectId: string } | { value: string };

/** The kind of a query, as the `erasure` table records it. */
function kindOf(query: PersonalQuery): 'topic' | 'subject' | 'value' {
  return 'topicId' in query ? 'topic' : 'subjectId' in query ? 'subject' : 'value';
}

/** What identifies a topic or subject query in `erasure` (a hash; values are never recorded). */
function targetHash(query: PersonalQuery): string | null {
  if ('topicId' in query) return sha256(`topic:${query.topicId}`);
  if ('subjectId' in query) return sha256(`subject:${query.subjectId}`);
  return null;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface PersonalRow extends Record<string, unknown> {
  seq: number;
  id: string;
  topic_id: string;
  event: LogEntry['event'];
  by_actor: LogEntry['by'];
  at: string;
  redacted: string[] | null;
  /** When the server received the entry (absent for entries stored before it was recorded). */
  received?: string | null;
  subject_id: string | null;
  vals: PersonalValues;
}

/** The participant a pointer is under (`/event/participants/2/name` → 2), or undefined. */
function participantIndex(pointer: string): number | undefined {
  const match = /^\/event\/participants\/(\d+)\//.exec(pointer);
  return match ? Number(match[1]) : undefined;
}

/** Whether a stored value equals the one asked about (texts compared trimmed). */
function sameValue(stored: unknown, value: string): boolean {
  if (typeof stored === 'string') return stored.trim() === value.trim();
  if (typeof stored === 'number') return String(stored) === value.trim();
  return false;
}

/**
 * The pointers of a row the query is about: every one for the topic's entries and for entries
 * the subject sent; for a meeting's participant (by id, or whose name is the value) only that
 * participant's; for an entry holding the value elsewhere (a submission's phone), every one —
 * the entry is that person's.
 */
function matchingPointers(row: PersonalRow, query: PersonalQuery): string[] {
  const pointers = Object.keys(row.vals);
  if ('topicId' in query) return pointers;
  const participants = (row.event as { participants?: Array<{ id?: unknown }> }).participants;
  if ('subjectId' in query) {
    if (row.subject_id === query.subjectId) return pointers;
    return pointers.filter((p) => {
      const i = participantIndex(p);
      return i !== undefined && Array.isArray(participants) && participants[i]?.id === query.subjectId;
    });
  }
  const hits = pointers.filter((p) => sameValue(row.vals[p], query.value));
  if (hits.length === 0) return [];
  if (hits.every((p) => participantIndex(p) !== undefined)) {
    const people = new Set(hits.map(participantIndex));
    return pointers.filter((p) => people.has(participantIndex(p)));
  }
  return pointers;
}

const ROW_COLUMNS = 'e.seq, e.id, e.topic_id, e.event, e.by_actor, e.at, e.redacted, p.subject_id, p.vals';

/** The rows with personal values that may concern the query (filtered further by `matchingPointers`). */
async function candidateRows(db: Queryable, programmeId: string, query: PersonalQuery): Promise<PersonalRow[]> {
  const from = `from personal_value p join log_entry e on e.programme_id = p.programme_id and e.id = p.entry_id where p.programme_id = $1`;
  if ('topicId' in query) return db.query<PersonalRow>(`select ${ROW_COLUMNS} ${from} and p.topic_id = $2 order by e.seq`, [programmeId, query.topicId]);
  if ('subjectId' in query) {
    return db.query<PersonalRow>(`select ${ROW_COLUMNS} ${from} and (p.subject_id = $2 or e.event->>'type' = 'meeting.schedule') order by e.seq`, [programmeId, query.subjectId]);
  }
  return db.query<PersonalRow>(`select ${ROW_COLUMNS} ${from} order by e.seq`, [programmeId]);
}

/** What an erasure did (the answer of `POST …/erasures`; no personal value in it). */
export interface ErasureRecord {
  id: string;
  at: string;
  entries: number;
  topics: string[];
  /** How many notice subscriptions (a resident's e-mail or phone for a topic) were deleted. */
  subscriptions: number;
}

/**
 * The notice subscriptions a query is about: a topic's, or those whose address is the value
 * (compared as stored: e-mail in lower case, a mainland mobile as +86…). A subject has none
 * (subscriptions are by follow code, not by person).
 */
async function matchingSubscriptions(db: Queryable, programmeId: string, query: PersonalQuery): Promise<{ id: string; topic_id: string }[]> {
  if ('topicId' in query) return db.query('select id, topic_id from notice_subscription where programme_id = $1 and topic_id = $2', [programmeId, query.topicId]);
  if ('value' in query) {
    const value = query.value.trim();
    const phone = value.replace(/[\s-]/g, '');
    const candidates = [...new Set([value, value.toLowerCase(), phone, /^1[3-9]\d{9}$/.test(phone) ? `+86${phone}` : phone])];
    return db.query('select id, topic_id from notice_subscription where programme_id = $1 and address = any($2::text[])', [programmeId, candidates]);
  }
  return [];
}

/**
 * Erases what the outbox holds about the query's people: for a topic every row of it, for a
 * value the rows of its subscriptions and those addressed to it. Unsent rows become `erased`
 * (never sent); sent rows keep their state. Either way recipient and payload are blanked.
 */
async function eraseOutbox(tx: Queryable, programmeId: string, query: PersonalQuery, subscriptionIds: string[]): Promise<void> {
  const blank = `recipient = '{}'::json, payload = '{}'::json, lease_until_ms = null,
                 state = case when state = 'sent' then 'sent' else 'erased' end,
                 last_error = case when state = 'sent' then last_error else 'erased with the personal data' end`;
  if ('topicId' in query) {
    await tx.query(`update notice_outbox set ${blank} where programme_id = $1 and topic_id = $2`, [programmeId, query.topicId]);
    return;
  }
  if (subscriptionIds.length > 0) {
    await tx.query(`update notice_outbox set ${blank} where programme_id = $1 and recipient->>'subscription' = any($2::text[])`, [programmeId, subscriptionIds]);
  }
  if ('value' in query) {
    const value = query.value.trim();
    await tx.query(`update notice_outbox set ${blank} where programme_id = $1 and (lower(recipient->>'email') = lower($2) or recipient->>'phone' = $2)`, [programmeId, value]);
  }
}

/**
 * Erases the personal values the query is about, in one transaction under the programme's lock
 * (so no append interleaves): deletes them from `personal_value`, revokes the follow code of a
 * topic whose submission lost its values, and records the erasure. Throws the 404 when nothing
 * matches, the 409 when the topic or subject was erased before; nothing changes then.
 */
export async function erasePersonal(db: Db, programmeId: string, query: PersonalQuery, byId: string): Promise<ErasureRecord> {
  return db.transaction(async (tx) => {
    await tx.query('select 1 from programme where id = $1 for update', [programmeId]);
    const touched: { row: PersonalRow; pointers: string[] }[] = [];
    for (const row of await candidateRows(tx, programmeId, query)) {
      const pointers = matchingPointers(row, query);
      if (pointers.length > 0) touched.push({ row, pointers });
    }
    const target = targetHash(query);
    const subscriptions = await matchingSubscriptions(tx, programmeId, query);
    if (touched.length === 0 && subscriptions.length === 0) {
      const before = target ? await tx.query('select 1 from erasure where programme_id = $1 and target_hash = $2 limit 1', [programmeId, target]) : [];
      if (before.length > 0) throw new Problem('already-erased', `The personal data of this ${kindOf(query)} was erased before; nothing is left to erase.`);
      throw new Problem('nothing-to-erase', `No personal value of this programme matches the ${kindOf(query)} given; nothing was changed.`);
    }
    const gone = touched.filter(({ row, pointers }) => pointers.length === Object.keys(row.vals).length).map(({ row }) => row.id);
    const kept = touched.filter(({ row, pointers }) => pointers.length < Object.keys(row.vals).length);
    if (gone.length > 0) await tx.query('delete from personal_value where programme_id = $1 and entry_id = any($2)', [programmeId, gone]);
    for (const { row, pointers } of kept) {
      const vals = Object.fromEntries(Object.entries(row.vals).filter(([p]) => !pointers.includes(p)));
      await tx.query('update personal_value set vals = $3::json where programme_id = $1 and entry_id = $2', [programmeId, row.id, JSON.stringify(vals)]);
    }
    const subscriptionIds = subscriptions.map((s) => s.id);
    await eraseOutbox(tx, programmeId, query, subscriptionIds);
    if (subscriptionIds.length > 0) await tx.query('delete from notice_subscription where programme_id = $1 and id = any($2::text[])', [programmeId, subscriptionIds]);
    const topics = [...new Set([...touched.map(({ row }) => row.topic_id), ...subscriptions.map((s) => s.topic_id)])];
    const submissions = touched.filter(({ row }) => row.event.type === 'topic.submit').map(({ row }) => row.topic_id);
    for (const topicId of new Set('topicId' in query ? [query.topicId] : submissions)) await revokeFollowCode(tx, programmeId, topicId);
    const record: ErasureRecord = { id: `er-${randomUUID()}`, at: new Date().toISOString(), entries: touched.length, topics, subscriptions: subscriptionIds.length };
    await tx.query(
      'insert into erasure (programme_id, id, at, by_id, kind, target_hash, topic_ids, entries) values ($1, $2, $3, $4, $5, $6, $7::json, $8)',
      [programmeId, record.id, record.at, byId, kindOf(query), target, JSON.stringify(topics), record.entries],
    );
    return record;
  });
}

/** Everything held about a topic or person (the answer of `GET …/exports`). */
export interface PersonalExport {
  programmeId: string;
  query: PersonalQuery;
  exportedAt: string;
  /** The entries concerned, with their personal values joined (erased ones stay redacted). */
  entries: LogEntry[];
  /** The follow codes of the topics concerned (their status; the codes themselves are not kept). */
  followCodes: { topicId: string; createdAt: string; revokedAt: string | null }[];
  /** Erasures that touched those topics. */
  erasures: { id: string; at: string; kind: string; topics: string[]; entries: number }[];
  /** The notice subscriptions held (a topic's, or those with the value as address), unmasked: this is the person's own data. */
  subscriptions: { id: string; topicId: string; channel: 'email' | 'sms'; address: string; locale: string; createdAt: string; unsubscribedAt: string | null }[];
}

/**
 * Everything held about the query: for a topic its whole log; for a subject the entries it sent
 * or took part in; for a value the entries holding it — joined with what personal values are
 * left, with the follow codes' status and the erasures of those topics.
 */
export async function exportPersonal(db: Queryable, programmeId: string, query: PersonalQuery): Promise<PersonalExport> {
  const select = `select e.seq, e.id, e.topic_id, e.event, e.by_actor, e.at, e.redacted, e.received, p.vals
    from log_entry e left join personal_value p on p.programme_id = e.programme_id and p.entry_id = e.id where e.programme_id = $1`;
  let rows: (PersonalRow & { vals: PersonalValues | null })[];
  if ('topicId' in query) {
    rows = await db.query(`${select} and e.topic_id = $2 order by e.seq`, [programmeId, query.topicId]);
  } else if ('subjectId' in query) {
    rows = await db.query(`${select} and (e.by_actor->>'id' = $2 or e.event->>'type' = 'meeting.schedule') order by e.seq`, [programmeId, query.subjectId]);
    rows = rows.filter((row) => {
      if (row.by_actor.id === query.subjectId) return true;
      const participants = (row.event as { participants?: Array<{ id?: unknown }> }).participants;
      return Array.isArray(participants) && participants.some((p) => p?.id === query.subjectId);
    });
  } else {
    rows = await db.query(`${select} and p.vals is not null order by e.seq`, [programmeId]);
    rows = rows.filter((row) => Object.values(row.vals ?? {}).some((v) => sameValue(v, query.value)));
  }
  const entries = rows.map((row) => joinPersonal(toEntry(row), row.vals));
  const topics = [...new Set(entries.map((e) => e.topicId))];
  const codes = await db.query<{ topic_id: string; created_at: Date | string; revoked_at: Date | string | null }>(
    'select topic_id, created_at, revoked_at from follow_code where programme_id = $1 and topic_id = any($2) order by topic_id',
    [programmeId, topics],
  );
  const erasures = await db.query<{ id: string; at: Date | string; kind: string; target_hash: string | null; topic_ids: string[]; entries: number }>(
    'select id, at, kind, target_hash, topic_ids, entries from erasure where programme_id = $1 order by at, id',
    [programmeId],
  );
  const target = targetHash(query);
  const iso = (t: Date | string) => new Date(t).toISOString();
  const subscriptionIds = (await matchingSubscriptions(db, programmeId, query)).map((s) => s.id);
  const subscriptionRows = await db.query<{ id: string; topic_id: string; channel: 'email' | 'sms'; address: string; locale: string; created_ms: number; unsubscribed_ms: number | null }>(
    'select id, topic_id, channel, address, locale, created_ms, unsubscribed_ms from notice_subscription where programme_id = $1 and id = any($2::text[]) order by created_ms, id',
    [programmeId, subscriptionIds],
  );
  return {
    programmeId,
    query,
    exportedAt: new Date().toISOString(),
    entries,
    followCodes: codes.map((c) => ({ topicId: c.topic_id, createdAt: iso(c.created_at), revokedAt: c.revoked_at === null ? null : iso(c.revoked_at) })),
    erasures: erasures
      .filter((e) => e.topic_ids.some((t) => topics.includes(t)) || (target !== null && e.target_hash === target))
      .map((e) => ({ id: e.id, at: iso(e.at), kind: e.kind, topics: e.topic_ids, entries: e.entries })),
    subscriptions: subscriptionRows.map((r) => ({
      id: r.id,
      topicId: r.topic_id,
      channel: r.channel,
      address: r.address,
      locale: r.locale,
      createdAt: new Date(Number(r.created_ms)).toISOString(),
      unsubscribedAt: r.unsubscribed_ms === null ? null : new Date(Number(r.unsubscribed_ms)).toISOString(),
    })),
  };
}

/** Entries redacted per statement by `redactStoredLogs`. */
const REDACT_PAGE = 500;

/**
 * Start-up step after the SQL migrations: redacts every programme's stored log that was written
 * before personal values were kept apart (or under a config that marked fewer fields personal).
 * Per programme, under its lock: each entry still holding a personal value is rewritten redacted,
 * its values moved to `personal_value` (merged with any there), and the stored idempotent answer
 * rewritten too; then `programme.redacted_etag` records the config it was done under, so the
 * next start skips it. Idempotent. Returns how many entries it redacted, by programme.
 */
export async function redactStoredLogs(db: Db): Promise<Record<string, number>> {
  const report: Record<string, number> = {};
  const pending = await db.query<{ id: string }>('select id from programme where redacted_etag is distinct from etag order by id');
  for (const { id } of pending) {
    report[id] = await db.transaction(async (tx) => {
      const [programme] = await tx.query<{ etag: string; config: string }>('select etag, config from programme where id = $1 for update', [id]);
      if (!programme) return 0;
      const config = configOf(programme.etag, programme.config);
      let count = 0;
      for (let after = 0; ; ) {
        const rows = await tx.query<PersonalRow & { vals: PersonalValues | null }>(
          `select e.seq, e.id, e.topic_id, e.event, e.by_actor, e.at, e.redacted, p.subject_id, p.vals
             from log_entry e left join personal_value p on p.programme_id = e.programme_id and p.entry_id = e.id
            where e.programme_id = $1 and e.seq > $2 order by e.seq limit $3`,
          [id, after, REDACT_PAGE],
        );
        if (rows.length === 0) break;
        after = rows.at(-1)!.seq;
        const changed = rows.flatMap((row) => {
          const { entry, personal } = redactEntry(config, toEntry(row));
          return personal ? [{ entry, vals: { ...row.vals, ...personal } }] : [];
        });
        if (changed.length === 0) continue;
        count += changed.length;
        const seqs = changed.map((c) => c.entry.seq);
        await tx.query(
          `update log_entry e set event = v.event::json, by_actor = v.by_actor::json, redacted = v.redacted::json
             from unnest($2::bigint[], $3::text[], $4::text[], $5::text[]) as v (seq, event, by_actor, redacted)
            where e.programme_id = $1 and e.seq = v.seq`,
          [id, seqs, changed.map((c) => JSON.stringify(c.entry.event)), changed.map((c) => JSON.stringify(c.entry.by)), changed.map((c) => JSON.stringify(c.entry.redacted ?? []))],
        );
        await tx.query(
          `insert into personal_value (programme_id, entry_id, topic_id, subject_id, vals)
           select $1, entry_id, topic_id, subject_id, vals::json from unnest($2::text[], $3::text[], $4::text[], $5::text[]) as v (entry_id, topic_id, subject_id, vals)
           on conflict (programme_id, entry_id) do update set vals = excluded.vals`,
          [id, changed.map((c) => c.entry.id), changed.map((c) => c.entry.topicId), changed.map((c) => c.entry.by.id ?? null), changed.map((c) => JSON.stringify(c.vals))],
        );
        await tx.query(
          `update idempotency_key k set response = v.response::json
             from unnest($2::bigint[], $3::text[]) as v (seq, response)
            where k.programme_id = $1 and k.seq = v.seq and k.status = 'done'`,
          [id, seqs, changed.map((c) => JSON.stringify({ entry: c.entry }))],
        );
      }
      await tx.query('update programme set redacted_etag = $2 where id = $1', [id, programme.etag]);
      return count;
    });
  }
  return report;
}
