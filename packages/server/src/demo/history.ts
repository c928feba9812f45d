/**
 * `--demo-history`: a year of made-up but lawful history (generate.ts) written into every seeded
 * programme whose log is empty, so the demo's rooms, grades, performance files, exports and
 * charts have something to show.
 *
 * Written as the server stores an accepted append (event-log.ts), in one transaction per
 * programme under its counter's lock: each entry redacted by the config (`redactEntry`: personal
 * values to `personal_value`, a marker in the log), `received` = the event's own time (the
 * history happened then; stamped "now" the machine would count it outside the offline grace),
 * the topics' config version recorded, the counter moved. The notice watermark is set to the
 * end of the history (history tells nobody), then the topic index catches up the way it does
 * after appends (`catchUpIndex`: rows, counts, the clock's jobs). Idempotent: a programme with
 * any entry is left alone.
 */
import { redactEntry, type LogEntry } from '@consult-kit/machine';
import { recordTopicVersions } from '../config-versions.js';
import type { Db } from '../db/db.js';
import { configOf } from '../programmes.js';
import { catchUpIndex } from '../topic-index.js';
import { generateHistory } from './generate.js';

/** What writing the demo history did to one programme. */
export interface DemoReport {
  programme: string;
  /** Entries written (0 when the log had entries already). */
  entries: number;
  topics: number;
  /** Events the machine refused while generating (left out). */
  refused: number;
  skipped: boolean;
}

/** Rows per insert statement. */
const BATCH = 2_000;

/** Writes the demo history into each programme whose log is empty (see the module's comment). */
export async function writeDemoHistory(db: Db, options: { now?: Date } = {}): Promise<DemoReport[]> {
  const now = options.now ?? new Date();
  const programmes = await db.query<{ id: string; config: string; etag: string; version: number }>('select id, config, etag, version from programme order by id');
  const reports: DemoReport[] = [];
  for (const row of programmes) {
    const config = configOf(row.etag, row.config);
    const history = generateHistory(config, now);
    const topics = [...new Set(history.entries.map((e) => e.topicId))];
    const written = await db.transaction(async (tx) => {
      const [programme] = await tx.query<{ last_seq: number; version: number }>('select last_seq, version from programme where id = $1 for update', [row.id]);
      if (!programme) return false;
      const [any] = await tx.query('select 1 from log_entry where programme_id = $1 limit 1', [row.id]);
      if (any || programme.last_seq > 0) return false;
      const stored = history.entries.map((full) => redactEntry(config, full));
      for (let i = 0; i < stored.length; i += BATCH) await insertRows(tx, row.id, stored.slice(i, i + BATCH));
      await recordTopicVersions(tx, row.id, topics, programme.version);
      await tx.query('update programme set last_seq = $2 where id = $1', [row.id, stored.length]);
      await tx.query(
        `insert into notice_state (programme_id, noticed_seq) values ($1, $2)
         on conflict (programme_id) do update set noticed_seq = greatest(notice_state.noticed_seq, excluded.noticed_seq)`,
        [row.id, stored.length],
      );
      return true;
    });
    if (written) await catchUpIndex(db, row.id);
    reports.push({ programme: row.id, entries: written ? history.entries.length : 0, topics: written ? topics.length : 0, refused: history.refused, skipped: !written });
  }
  return reports;
}

type Queryable = Parameters<Parameters<Db['transaction']>[0]>[0];

async function insertRows(tx: Queryable, programmeId: string, rows: Array<{ entry: LogEntry; personal: Record<string, unknown> | null }>): Promise<void> {
  await tx.query(
    `insert into log_entry (programme_id, seq, id, topic_id, event, by_actor, at, fingerprint, redacted, received)
     select $1, v.seq, v.id, v.topic_id, v.event::json, v.by_actor::json, v.at, 'demo-history', v.redacted::json, v.received
     from unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       as v (seq, id, topic_id, event, by_actor, at, redacted, received)`,
    [
      programmeId,
      rows.map((r) => r.entry.seq),
      rows.map((r) => r.entry.id),
      rows.map((r) => r.entry.topicId),
      rows.map((r) => JSON.stringify(r.entry.event)),
      rows.map((r) => JSON.stringify(r.entry.by)),
      rows.map((r) => r.entry.at),
      rows.map((r) => (r.entry.redacted ? JSON.stringify(r.entry.redacted) : null)),
      rows.map((r) => r.entry.receivedAt ?? r.entry.at),
    ],
  );
  const personal = rows.filter((r) => r.personal !== null);
  if (personal.length === 0) return;
  await tx.query(
    `insert into personal_value (programme_id, entry_id, topic_id, subject_id, vals)
     select $1, entry_id, topic_id, subject_id, vals::json from unnest($2::text[], $3::text[], $4::text[], $5::text[]) as v (entry_id, topic_id, subject_id, vals)`,
    [programmeId, personal.map((r) => r.entry.id), personal.map((r) => r.entry.topicId), personal.map((r) => r.entry.by.id ?? null), personal.map((r) => JSON.stringify(r.personal))],
  );
}
