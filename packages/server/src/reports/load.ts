/**
 * The topics a report or a room page is computed from, each topic with the config version it
 * started under (config-versions.ts):
 *
 * - from the redacted log: the programme's projection (projections/replayed.ts), caught up from
 *   the log position it holds, never a full replay per request;
 * - with the personal values joined back, for a report that may show them: replayed from the
 *   log for this request only (personal values are never kept in memory past it, so an erasure
 *   shows at once), a page at a time, yielding between slices, and stopped when the client goes.
 */
import { performance } from 'node:perf_hooks';
import { joinPersonal, type PersonalValues, type TopicSnapshot } from '@consult-kit/machine';
import type { Queryable } from '../db/db.js';
import { applyVersioned, loadTopicConfigs } from '../config-versions.js';
import { toEntry } from '../event-log.js';
import { PAGE_ENTRIES, projectionsOf, ReadAbandoned, SLICE_MS } from '../projections/index.js';

type JoinedRow = Parameters<typeof toEntry>[0] & { vals: PersonalValues | null };

/** Every topic of a programme, replayed; null when there is no such programme. */
export async function replayProgramme(db: Queryable, programmeId: string, joined: boolean, signal?: AbortSignal): Promise<{ topics: TopicSnapshot[] } | null> {
  if (!joined) {
    const topics = await projectionsOf(db).topics(programmeId, signal);
    return topics ? { topics } : null;
  }
  const configs = await loadTopicConfigs(db, programmeId, 'all');
  if (!configs) return null;
  const [head] = await db.query<{ last_seq: number | string }>('select last_seq from programme where id = $1', [programmeId]);
  const upto = Number(head?.last_seq ?? 0);
  const topics = new Map<string, TopicSnapshot>();
  for (let after = 0; after < upto; ) {
    if (signal?.aborted) throw new ReadAbandoned();
    const rows = await db.query<JoinedRow>(
      `select e.seq, e.id, e.topic_id, e.event, e.by_actor, e.at, e.redacted, e.received, p.vals
         from log_entry e left join personal_value p on p.programme_id = e.programme_id and p.entry_id = e.id
        where e.programme_id = $1 and e.seq > $2 and e.seq <= $3 order by e.seq`,
      [programmeId, after, Math.min(upto, after + PAGE_ENTRIES)],
    );
    if (rows.length === 0) {
      after = Math.min(upto, after + PAGE_ENTRIES); // a gap in the seqs
      continue;
    }
    let start = performance.now();
    for (const row of rows) {
      applyVersioned(configs, topics, joinPersonal(toEntry(row), row.vals));
      if (performance.now() - start >= SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (signal?.aborted) throw new ReadAbandoned();
        start = performance.now();
      }
    }
    after = Number(rows.at(-1)!.seq);
  }
  return { topics: [...topics.values()] };
}
