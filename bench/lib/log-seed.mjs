// What the server benches (topics.mjs, clock.mjs) seed their programmes with: the contract's
// story of 加装电梯 (the request examples of `POST …/events` in docs/api/openapi.yaml), and stored
// log entries written by direct SQL in column batches, as the server stores them (redacted).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The request examples of `POST …/events`, in the document's order (`values`: key, whether it is
 * an alternative, body), and the main line: one topic's steps, no alternatives (`main`).
 */
export function contractStory() {
  const spec = parse(readFileSync(join(ROOT, 'docs/api/openapi.yaml'), 'utf8'));
  const examples = spec.paths['/programmes/{programmeId}/events'].post.requestBody.content['application/json'].examples;
  const values = Object.entries(examples).map(([key, e]) => ({ key, alternative: e['x-alternative'] === true, body: e.value }));
  const main = values.filter((v) => !v.alternative && v.body.topicId === values[0].body.topicId);
  return { values, main };
}

/** Empty columns for one batch of `log_entry` rows. */
export function logColumns() {
  return { seq: [], id: [], topic: [], event: [], by: [], at: [], redacted: [] };
}

/** Adds one stored entry (`event`, `by`, `at`, `redacted` if any) to the batch as row `seq` of topic `topicId`, id `id`. */
export function pushEntry(cols, seq, id, topicId, e) {
  cols.seq.push(seq);
  cols.id.push(id);
  cols.topic.push(topicId);
  cols.event.push(JSON.stringify(e.event));
  cols.by.push(JSON.stringify(e.by));
  cols.at.push(e.at);
  cols.redacted.push(e.redacted ? JSON.stringify(e.redacted) : null);
}

/** Writes a batch of `log_entry` rows of one programme in one statement (fingerprint `bench`). */
export async function insertLog(db, programmeId, cols) {
  await db.query(
    `insert into log_entry (programme_id, seq, id, topic_id, event, by_actor, at, fingerprint, redacted)
     select $1, v.seq, v.id, v.topic_id, v.event::json, v.by_actor::json, v.at, 'bench', v.redacted::json
     from unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) as v (seq, id, topic_id, event, by_actor, at, redacted)`,
    [programmeId, cols.seq, cols.id, cols.topic, cols.event, cols.by, cols.at, cols.redacted],
  );
}
