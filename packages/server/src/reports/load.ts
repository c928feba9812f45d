/**
 * The topics a report or a room page is computed from: the programme's whole log replayed, each
 * topic with the config version it started under (config-versions.ts) — from the redacted log,
 * or with the personal values joined back for a report that may show them.
 */
import { joinPersonal, type PersonalValues, type TopicSnapshot } from '@consult-kit/machine';
import type { Queryable } from '../db/db.js';
import { loadTopicConfigs, replayVersioned, type TopicConfigs } from '../config-versions.js';
import { allEntries, toEntry } from '../event-log.js';

type JoinedRow = Parameters<typeof toEntry>[0] & { vals: PersonalValues | null };

/** Every topic of a programme, replayed; null when there is no such programme. */
export async function replayProgramme(
  db: Queryable,
  programmeId: string,
  joined: boolean,
): Promise<{ topics: Map<string, TopicSnapshot>; configs: TopicConfigs } | null> {
  const configs = await loadTopicConfigs(db, programmeId, 'all');
  if (!configs) return null;
  const entries = joined
    ? (
        await db.query<JoinedRow>(
          `select e.seq, e.id, e.topic_id, e.event, e.by_actor, e.at, e.redacted, e.received, p.vals
             from log_entry e left join personal_value p on p.programme_id = e.programme_id and p.entry_id = e.id
            where e.programme_id = $1 order by e.seq`,
          [programmeId],
        )
      ).map((row) => joinPersonal(toEntry(row), row.vals))
    : await allEntries(db, programmeId);
  return { topics: replayVersioned(configs, entries).topics, configs };
}
