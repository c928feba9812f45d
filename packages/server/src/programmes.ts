/**
 * Programmes: their workflow configs, stored as the city wrote them, checked by the machine's
 * `parseWorkflowConfig` before they are stored, and parsed again (once per content) when used.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorkflowConfig, type ConfigError, type Level, type LocalizedText, type WorkflowConfig } from '@consult-kit/machine';
import { sha256Hex } from './canonical-json.js';
import { isUniqueViolation, type Db, type Queryable } from './db/db.js';
import { Problem } from './problems.js';

/** A programme id (the contract's `ProgrammeId`, the config's `id`). */
export const PROGRAMME_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** A programme as stored. */
export interface Programme {
  id: string;
  /** The workflow JSON exactly as the city wrote it. */
  configText: string;
  /** `"sha256-…"`: the config's entity tag. */
  etag: string;
  /** The number of this config among the programme's published versions (1, 2, 3…). */
  version: number;
  /** The checked config, every default applied. */
  config: WorkflowConfig;
}

/** One programme in `GET /programmes`. */
export interface ProgrammeSummary {
  id: string;
  version: string;
  title: LocalizedText;
  level: Level;
}

/**
 * The response header of `GET /programmes/{id}/config` that says this server checked the config
 * (every stored config passed `parseWorkflowConfig`, and `configOf` checks it again before it is
 * used) and which bytes that covers: `sha-256=<standard base64 of the SHA-256 of the body>`. A
 * client whose received body has that digest may skip its own checker.
 */
export const CONFIG_CHECKED_HEADER = 'Consult-Config-Checked';

/** The response header that says which of the programme's config versions a response carries. */
export const CONFIG_VERSION_HEADER = 'Consult-Config-Version';

/** The `Consult-Config-Checked` value for a response body's exact bytes. */
export function configCheckedValue(body: Uint8Array): string {
  return `sha-256=${createHash('sha256').update(body).digest('base64')}`;
}

/** The entity tag of a config's text. */
export function etagOf(configText: string): string {
  return `"sha256-${sha256Hex(configText)}"`;
}

/**
 * Parsed configs by entity tag. The tag is a hash of the content, so an entry is right for every
 * process that reads the same row: a cache that several server processes may each keep.
 */
const parsed = new Map<string, WorkflowConfig>();
const PARSED_MAX = 64;

/** The checked config for an entity tag, if this process has parsed it already. */
export function cachedConfig(etag: string): WorkflowConfig | undefined {
  return parsed.get(etag);
}

/** The checked config of a stored programme (parsed once per content). */
export function configOf(etag: string, configText: string): WorkflowConfig {
  let config = parsed.get(etag);
  if (!config) {
    const result = parseWorkflowConfig(JSON.parse(configText));
    if (!result.ok) {
      throw new Error(`The stored config ${etag} no longer passes parseWorkflowConfig: ${result.errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`);
    }
    config = result.config;
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
    parsed.set(etag, config);
  }
  return config;
}

interface ProgrammeRow extends Record<string, unknown> {
  id: string;
  config: string;
  etag: string;
  version: number;
}

function toProgramme(row: ProgrammeRow): Programme {
  return { id: row.id, configText: row.config, etag: row.etag, version: row.version, config: configOf(row.etag, row.config) };
}

/** The programme with this id, or null. */
export async function findProgramme(db: Queryable, id: string): Promise<Programme | null> {
  const [row] = await db.query<ProgrammeRow>('select id, config, etag, version from programme where id = $1', [id]);
  return row ? toProgramme(row) : null;
}

/** Every programme, by id. */
export async function listProgrammes(db: Queryable): Promise<ProgrammeSummary[]> {
  const rows = await db.query<ProgrammeRow>('select id, config, etag, version from programme order by id');
  return rows.map((row) => {
    const { id, version, title, level } = toProgramme(row).config;
    return { id, version, title, level };
  });
}

/** What storing a config gave. */
export type UpsertResult = { ok: true; id: string; etag: string; version: number } | { ok: false; errors: ConfigError[] };

/** Runs `fn` in a transaction of `db` when it can open one (a `Db`), else on `db` itself (already a transaction). */
function inTransaction<T>(db: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const maybe = db as Partial<Db>;
  return typeof maybe.transaction === 'function' ? maybe.transaction<T>(fn) : fn(db);
}

/** A config text checked by `parseWorkflowConfig`: its config, or every fault with its pointer. */
export function checkConfigText(configText: string): { ok: true; config: WorkflowConfig } | { ok: false; errors: ConfigError[] } {
  let json: unknown;
  try {
    json = JSON.parse(configText);
  } catch (error) {
    return { ok: false, errors: [{ pointer: '', code: 'invalid-json', message: (error as Error).message }] };
  }
  const result = parseWorkflowConfig(json);
  return result.ok ? { ok: true, config: result.config } : { ok: false, errors: result.errors };
}

/**
 * Makes `configText` the programme's latest config version, under the programme row's lock
 * (`for update`): a new programme gets version 1; a text that differs from the latest becomes
 * the next version; the latest's own text changes nothing. Returns the version the programme is
 * at and whether one was added. Call it with a checked config, inside a transaction.
 */
async function storeVersion(
  tx: Queryable,
  id: string,
  configText: string,
  publishedBy: string | null,
): Promise<{ version: number; etag: string; created: boolean; added: boolean }> {
  const etag = etagOf(configText);
  const [current] = await tx.query<{ etag: string; version: number }>('select etag, version from programme where id = $1 for update', [id]);
  if (!current) {
    await tx.query('insert into programme (id, config, etag, version) values ($1, $2, $3, 1)', [id, configText, etag]);
    await tx.query('insert into config_version (programme_id, version, config, etag, published_by) values ($1, 1, $2, $3, $4)', [id, configText, etag, publishedBy]);
    return { version: 1, etag, created: true, added: true };
  }
  if (current.etag === etag) return { version: current.version, etag, created: false, added: false };
  const version = current.version + 1;
  await tx.query('insert into config_version (programme_id, version, config, etag, published_by) values ($1, $2, $3, $4, $5)', [id, version, configText, etag, publishedBy]);
  await tx.query('update programme set config = $2, etag = $3, version = $4, updated_at = now() where id = $1', [id, configText, etag, version]);
  return { version, etag, created: false, added: true };
}

/**
 * Stores a programme's config (text as written): inserts the programme with version 1, or, when
 * the text differs from its latest, adds the next version (every earlier version is kept, and
 * running topics keep theirs); its log and counter are kept. A config `parseWorkflowConfig`
 * refuses is not stored: its errors come back, each with its JSON Pointer.
 */
export async function upsertProgramme(db: Queryable, configText: string): Promise<UpsertResult> {
  const checked = checkConfigText(configText);
  if (!checked.ok) return checked;
  const id = checked.config.id;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const stored = await inTransaction(db, (tx) => storeVersion(tx, id, configText, null));
      forgetProgrammeHead(db, id);
      return { ok: true, id, etag: stored.etag, version: stored.version };
    } catch (error) {
      // Two processes seeding a new programme at once: the second's insert meets the first's row.
      if (!isUniqueViolation(error) || attempt > 0) throw error;
    }
  }
}

/** What `publishConfig` was asked to check before it replaces anything. */
export interface PublishPrecondition {
  /** `If-Match`: the entity tags the client edited (the current one must be among them, or `*`). */
  ifMatch?: string | undefined;
  /** `If-None-Match: *`: create only; the programme must not exist. */
  ifNoneMatch?: string | undefined;
}

/** What publishing gave. */
export type PublishResult =
  | { kind: 'published'; id: string; version: number; etag: string; created: boolean; added: boolean }
  | { kind: 'invalid'; errors: ConfigError[] }
  | { kind: 'precondition-required' }
  | { kind: 'exists'; currentEtag: string; currentVersion: number }
  | { kind: 'changed'; currentEtag: string; currentVersion: number }
  | { kind: 'missing' };

/** Whether an `If-Match` value names this entity tag (strong comparison; `*` matches any). */
export function ifMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim() === etag);
}

/**
 * `PUT /programmes/{id}/config`: publishes `configText` as the programme's next version, by
 * `publishedBy` (an actor id), if the preconditions hold under the programme row's lock — so of
 * two publishes with the same `If-Match` at once (two processes on one PostgreSQL), exactly one
 * wins and the other finds the tag changed. The config must pass `parseWorkflowConfig` and its
 * `id` must be the path's.
 */
export async function publishConfig(db: Db, id: string, configText: string, precondition: PublishPrecondition, publishedBy: string): Promise<PublishResult> {
  const checked = checkConfigText(configText);
  const errors = checked.ok ? [] : [...checked.errors];
  const bodyId = checked.ok ? checked.config.id : (safeJson(configText) as { id?: unknown } | undefined)?.id;
  if (bodyId !== id && !errors.some((e) => e.pointer === '/id')) {
    errors.push({ pointer: '/id', code: 'id-mismatch', message: `The config's id is ${JSON.stringify(bodyId ?? null)} but it is published as programme "${id}"; they must be the same.` });
  }
  if (errors.length > 0) return { kind: 'invalid', errors };
  const createOnly = precondition.ifNoneMatch?.trim() === '*';
  if (!createOnly && precondition.ifMatch === undefined) {
    const [exists] = await db.query<{ etag: string }>('select etag from programme where id = $1', [id]);
    return exists ? { kind: 'precondition-required' } : { kind: 'missing' };
  }
  try {
    const result = await db.transaction(async (tx): Promise<PublishResult> => {
      const [current] = await tx.query<{ etag: string; version: number }>('select etag, version from programme where id = $1 for update', [id]);
      if (createOnly && current) return { kind: 'exists', currentEtag: current.etag, currentVersion: current.version };
      if (!createOnly) {
        if (!current) return { kind: 'missing' };
        if (!ifMatches(precondition.ifMatch!, current.etag)) return { kind: 'changed', currentEtag: current.etag, currentVersion: current.version };
      }
      const stored = await storeVersion(tx, id, configText, publishedBy);
      return { kind: 'published', id, ...stored };
    });
    if (result.kind === 'published') forgetProgrammeHead(db, id);
    return result;
  } catch (error) {
    // Two creates at once: the second's insert met the first's row.
    if (!createOnly || !isUniqueViolation(error)) throw error;
    const [current] = await db.query<{ etag: string; version: number }>('select etag, version from programme where id = $1', [id]);
    return { kind: 'exists', currentEtag: current?.etag ?? '', currentVersion: current?.version ?? 1 };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** One of a programme's config versions, without its text. */
export interface VersionSummary {
  version: number;
  etag: string;
  /** The config's own `version` string. */
  configVersion: string;
  publishedAt: string;
  /** The publishing actor's id (absent for a version seeded from a file). */
  publishedBy?: string;
}

/** A programme's config versions, newest first; null when there is no such programme. */
export async function listVersions(db: Queryable, id: string): Promise<VersionSummary[] | null> {
  const rows = await db.query<{ version: number; etag: string; config: string; published_at: Date | string; published_by: string | null }>(
    'select version, etag, config, published_at, published_by from config_version where programme_id = $1 order by version desc',
    [id],
  );
  if (rows.length === 0) return null;
  return rows.map((row) => ({
    version: row.version,
    etag: row.etag,
    configVersion: configOf(row.etag, row.config).version,
    publishedAt: new Date(row.published_at).toISOString(),
    ...(row.published_by ? { publishedBy: row.published_by } : {}),
  }));
}

/** One version's exact text, or null. */
export async function findVersion(db: Queryable, id: string, version: number): Promise<{ version: number; etag: string; configText: string } | null> {
  const [row] = await db.query<{ version: number; etag: string; config: string }>('select version, etag, config from config_version where programme_id = $1 and version = $2', [id, version]);
  return row ? { version: row.version, etag: row.etag, configText: row.config } : null;
}

/** What seeding one file gave. */
export type SeedReport = { file: string } & UpsertResult;

/** Stores every `*.json` config of a folder (in name order); bad ones are reported and skipped. */
export async function seedProgrammes(db: Queryable, dir: string): Promise<SeedReport[]> {
  const reports: SeedReport[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(dir, file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      reports.push({ file: path, ok: false, errors: [{ pointer: '', code: 'unreadable', message: (error as Error).message }] });
      continue;
    }
    reports.push({ file: path, ...(await upsertProgramme(db, text)) });
  }
  return reports;
}

/** A programme's checked config, without its text (what the event routes need). */
export interface ProgrammeConfig {
  id: string;
  etag: string;
  /** The latest version's number. */
  version: number;
  config: WorkflowConfig;
}

/**
 * The programme with this id, without its text, or null. Reads only the entity tag when this
 * process has parsed that content already (the tag is a hash of it), else the text too.
 */
export async function findProgrammeConfig(db: Queryable, id: string): Promise<ProgrammeConfig | null> {
  const [head] = await db.query<{ etag: string; version: number }>('select etag, version from programme where id = $1', [id]);
  if (!head) return null;
  const cached = cachedConfig(head.etag);
  if (cached) return { id, etag: head.etag, version: head.version, config: cached };
  const programme = await findProgramme(db, id);
  return programme && { id: programme.id, etag: programme.etag, version: programme.version, config: programme.config };
}

/**
 * The programme as one topic sees it, in one statement: the latest version, and the version the
 * topic started under when it has started (`topic_version`). Undefined when this process has not
 * parsed one of those configs yet (the caller reads them the long way); null when there is no
 * such programme.
 */
export async function findProgrammeForTopic(db: Queryable, id: string, topicId: string): Promise<{ latest: ProgrammeConfig; topic: ProgrammeConfig } | null | undefined> {
  if (!PROGRAMME_ID.test(id)) return null;
  const [row] = await db.query<{ etag: string; version: number; topic_version: number | null; topic_etag: string | null }>(
    `select p.etag, p.version, t.version as topic_version, v.etag as topic_etag
       from programme p
       left join topic_version t on t.programme_id = p.id and t.topic_id = $2
       left join config_version v on v.programme_id = t.programme_id and v.version = t.version
      where p.id = $1`,
    [id, topicId],
  );
  if (!row) return null;
  const config = cachedConfig(row.etag);
  if (!config) return undefined;
  const latest: ProgrammeConfig = { id, etag: row.etag, version: row.version, config };
  if (row.topic_version === null || row.topic_etag === null || row.topic_etag === row.etag) return { latest, topic: latest };
  const own = cachedConfig(row.topic_etag);
  return own ? { latest, topic: { id, etag: row.topic_etag, version: row.topic_version, config: own } } : undefined;
}

/**
 * The configs the append route last read per programme (the latest, and each topic's own when it
 * is not the latest), per database. Only a first guess that saves a statement per request: the
 * append checks, under the programme's lock, that the config a request was checked with is its
 * topic's (event-log.ts `configEtag`), and the route reads again when it was not.
 */
const heads = new WeakMap<Queryable, Map<string, { latest: ProgrammeConfig; topics: Map<string, ProgrammeConfig> }>>();
const HEADS_MAX = 256;
const TOPIC_HEADS_MAX = 4_096;

/** The config kept for a topic of a programme (its own version's, else the latest kept), or undefined. */
export function keptProgrammeForTopic(db: Queryable, id: string, topicId: string): ProgrammeConfig | undefined {
  const kept = heads.get(db)?.get(id);
  return kept && (kept.topics.get(topicId) ?? kept.latest);
}

/** Keeps what `findProgrammeForTopic` read (see `keptProgrammeForTopic`). */
export function keepProgrammeForTopic(db: Queryable, latest: ProgrammeConfig, topicId: string, topic: ProgrammeConfig): void {
  let byId = heads.get(db);
  if (!byId) heads.set(db, (byId = new Map()));
  let kept = byId.get(latest.id);
  if (!kept || kept.latest.etag !== latest.etag) {
    if (!kept && byId.size >= HEADS_MAX) byId.delete(byId.keys().next().value!);
    byId.set(latest.id, (kept = { latest, topics: new Map() }));
  }
  if (topic.etag !== latest.etag) {
    if (kept.topics.size >= TOPIC_HEADS_MAX) kept.topics.delete(kept.topics.keys().next().value!);
    kept.topics.set(topicId, topic);
  }
}

/** Forgets the configs kept for a programme (its config changed). */
export function forgetProgrammeHead(db: Queryable, id: string): void {
  heads.get(db)?.delete(id);
}

/** The programme with this id, without its text; throws the 404 problem when there is none. */
export async function requireProgrammeConfig(db: Queryable, id: string): Promise<ProgrammeConfig> {
  const programme = PROGRAMME_ID.test(id) ? await findProgrammeConfig(db, id) : null;
  if (!programme) throw new Problem('unknown-programme', `There is no programme "${id}" on this server.`);
  return programme;
}

/** The programme with this id; throws the 404 problem when there is none. */
export async function requireProgramme(db: Queryable, id: string): Promise<Programme> {
  const programme = PROGRAMME_ID.test(id) ? await findProgramme(db, id) : null;
  if (!programme) throw new Problem('unknown-programme', `There is no programme "${id}" on this server.`);
  return programme;
}
