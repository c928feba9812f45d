/**
 * Which config each topic is replayed with (issue 19, point 6): a topic keeps the config version
 * it started under (`topic_version`, written when its first entry is appended), so its log still
 * replays after a new version is published; a topic not started yet takes the latest. Every
 * replay on the server (appends, the topic index, figures, the clock, notices) goes through
 * `loadTopicConfigs` and `replayVersioned`. Parsed configs are cached by entity tag (`configOf`).
 */
import { applyEntry, type EventRefusal, type LogEntry, type TopicSnapshot, type WorkflowConfig } from '@consult-kit/machine';
import type { Queryable } from './db/db.js';
import { cachedConfig, configOf } from './programmes.js';

/** One config version, checked. */
export interface VersionedConfig {
  version: number;
  etag: string;
  config: WorkflowConfig;
}

/** The configs a set of topics replays with. */
export interface TopicConfigs {
  /** The programme's latest version: what a topic not started yet takes. */
  readonly latest: VersionedConfig;
  /** The version a topic replays with (its own, or the latest when it has none yet). */
  versionOf(topicId: string): VersionedConfig;
  /** `versionOf(topicId).config`. */
  configFor(topicId: string): WorkflowConfig;
  /** Whether the topic has recorded its version (it has an accepted first entry). */
  started(topicId: string): boolean;
  /** Every distinct version these topics use, the latest included. */
  versions(): VersionedConfig[];
}

/**
 * The configs of a programme's topics: of `topicIds`, or of every topic with `'all'`. Reads the
 * programme's latest version and the topics' recorded versions; a version's text is read only
 * when this process has not parsed that content yet. Null when there is no such programme.
 * Inside an append, call it after the programme row is locked, so the latest cannot move.
 */
export async function loadTopicConfigs(
  db: Queryable,
  programmeId: string,
  topicIds: readonly string[] | 'all',
  /** The programme row's `etag` and `version` when the caller has read them (under its lock). */
  known?: { etag: string; version: number },
): Promise<TopicConfigs | null> {
  const [head] = known ? [known] : await db.query<{ etag: string; version: number }>('select etag, version from programme where id = $1', [programmeId]);
  if (!head) return null;
  const rows =
    topicIds === 'all'
      ? await db.query<{ topic_id: string; version: number; etag: string }>(
          'select t.topic_id, t.version, v.etag from topic_version t join config_version v on v.programme_id = t.programme_id and v.version = t.version where t.programme_id = $1',
          [programmeId],
        )
      : topicIds.length === 0
        ? []
        : await db.query<{ topic_id: string; version: number; etag: string }>(
            'select t.topic_id, t.version, v.etag from topic_version t join config_version v on v.programme_id = t.programme_id and v.version = t.version where t.programme_id = $1 and t.topic_id = any($2)',
            [programmeId, [...new Set(topicIds)]],
          );
  const etags = new Map<number, string>([[head.version, head.etag]]);
  for (const row of rows) etags.set(row.version, row.etag);
  const missing = [...etags].filter(([, etag]) => !cachedConfig(etag)).map(([version]) => version);
  const texts = new Map<number, string>();
  if (missing.length > 0) {
    const found = await db.query<{ version: number; config: string }>('select version, config from config_version where programme_id = $1 and version = any($2)', [programmeId, missing]);
    for (const row of found) texts.set(row.version, row.config);
    if (!texts.has(head.version)) {
      // A programme stored before its versions were kept (or a row written around them): its own text.
      const [own] = await db.query<{ config: string }>('select config from programme where id = $1', [programmeId]);
      if (own) texts.set(head.version, own.config);
    }
  }
  const byVersion = new Map<number, VersionedConfig>();
  for (const [version, etag] of etags) {
    const config = cachedConfig(etag) ?? configOf(etag, texts.get(version)!);
    byVersion.set(version, { version, etag, config });
  }
  const latest = byVersion.get(head.version)!;
  const ofTopic = new Map(rows.map((row) => [row.topic_id, byVersion.get(row.version)!]));
  return topicConfigs(latest, ofTopic, byVersion);
}

/** The lookups of `TopicConfigs` over what was read: a topic's version, else the latest. */
export function topicConfigs(latest: VersionedConfig, ofTopic: ReadonlyMap<string, VersionedConfig>, byVersion: ReadonlyMap<number, VersionedConfig>): TopicConfigs {
  return {
    latest,
    versionOf: (topicId) => ofTopic.get(topicId) ?? latest,
    configFor: (topicId) => (ofTopic.get(topicId) ?? latest).config,
    started: (topicId) => ofTopic.has(topicId),
    versions: () => [...byVersion.values()],
  };
}

/** Configs for a replay where every topic takes one config (a test, a tool). */
export function singleConfig(config: WorkflowConfig, version = 1, etag = ''): TopicConfigs {
  const only: VersionedConfig = { version, etag, config };
  return { latest: only, versionOf: () => only, configFor: () => config, started: () => false, versions: () => [only] };
}

/**
 * The machine's `applyEntry` with the config of the entry's own topic (a merge changes only the
 * topic merged, so the topic merged into needs only to exist).
 */
export function applyVersioned(configs: TopicConfigs, topics: Map<string, TopicSnapshot>, entry: LogEntry): EventRefusal | null {
  return applyEntry(configs.configFor(entry.topicId), topics, entry);
}

/** The machine's `replay`, each topic with its own version's config. Deterministic. */
export function replayVersioned(configs: TopicConfigs, entries: readonly LogEntry[]): { topics: Map<string, TopicSnapshot>; refused: EventRefusal[] } {
  const topics = new Map<string, TopicSnapshot>();
  const refused: EventRefusal[] = [];
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    const refusal = applyVersioned(configs, topics, entry);
    if (refusal) refused.push(refusal);
  }
  return { topics, refused };
}

/**
 * Records the version of topics whose first entry this transaction appended: the version they
 * were checked against (the latest, read under the programme row's lock). A topic that has one
 * keeps it.
 */
export async function recordTopicVersions(tx: Queryable, programmeId: string, topicIds: readonly string[], version: number): Promise<void> {
  if (topicIds.length === 0) return;
  await tx.query(
    `insert into topic_version (programme_id, topic_id, version)
     select $1::text, t, $3::integer from unnest($2::text[]) as t on conflict (programme_id, topic_id) do nothing`,
    [programmeId, [...new Set(topicIds)], version],
  );
}

/** The config version of each of these topics that has started (the others are left out). */
export async function topicVersionNumbers(db: Queryable, programmeId: string, topicIds: readonly string[]): Promise<Record<string, number>> {
  if (topicIds.length === 0) return {};
  const rows = await db.query<{ topic_id: string; version: number }>('select topic_id, version from topic_version where programme_id = $1 and topic_id = any($2)', [
    programmeId,
    [...new Set(topicIds)],
  ]);
  return Object.fromEntries(rows.map((r) => [r.topic_id, r.version]));
}
