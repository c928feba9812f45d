/**
 * Programmes: their workflow configs, stored as the city wrote them, checked by the machine's
 * `parseWorkflowConfig` before they are stored, and parsed again (once per content) when used.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorkflowConfig, type ConfigError, type Level, type LocalizedText, type WorkflowConfig } from '@consult-kit/machine';
import { sha256Hex } from './canonical-json.js';
import type { Queryable } from './db/db.js';
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
}

function toProgramme(row: ProgrammeRow): Programme {
  return { id: row.id, configText: row.config, etag: row.etag, config: configOf(row.etag, row.config) };
}

/** The programme with this id, or null. */
export async function findProgramme(db: Queryable, id: string): Promise<Programme | null> {
  const [row] = await db.query<ProgrammeRow>('select id, config, etag from programme where id = $1', [id]);
  return row ? toProgramme(row) : null;
}

/** Every programme, by id. */
export async function listProgrammes(db: Queryable): Promise<ProgrammeSummary[]> {
  const rows = await db.query<ProgrammeRow>('select id, config, etag from programme order by id');
  return rows.map((row) => {
    const { id, version, title, level } = toProgramme(row).config;
    return { id, version, title, level };
  });
}

/** What storing a config gave. */
export type UpsertResult = { ok: true; id: string; etag: string } | { ok: false; errors: ConfigError[] };

/**
 * Stores a programme's config (text as written), inserting the programme or replacing its
 * config; its log and counter are kept. A config `parseWorkflowConfig` refuses is not stored:
 * its errors come back, each with its JSON Pointer.
 */
export async function upsertProgramme(db: Queryable, configText: string): Promise<UpsertResult> {
  let json: unknown;
  try {
    json = JSON.parse(configText);
  } catch (error) {
    return { ok: false, errors: [{ pointer: '', code: 'invalid-json', message: (error as Error).message }] };
  }
  const result = parseWorkflowConfig(json);
  if (!result.ok) return { ok: false, errors: result.errors };
  const etag = etagOf(configText);
  await db.query(
    `insert into programme (id, config, etag) values ($1, $2, $3)
     on conflict (id) do update set config = excluded.config, etag = excluded.etag, updated_at = now()
     where programme.etag <> excluded.etag`,
    [result.config.id, configText, etag],
  );
  return { ok: true, id: result.config.id, etag };
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
  config: WorkflowConfig;
}

/**
 * The programme with this id, without its text, or null. Reads only the entity tag when this
 * process has parsed that content already (the tag is a hash of it), else the text too.
 */
export async function findProgrammeConfig(db: Queryable, id: string): Promise<ProgrammeConfig | null> {
  const [head] = await db.query<{ etag: string }>('select etag from programme where id = $1', [id]);
  if (!head) return null;
  const cached = cachedConfig(head.etag);
  if (cached) return { id, etag: head.etag, config: cached };
  const programme = await findProgramme(db, id);
  return programme && { id: programme.id, etag: programme.etag, config: programme.config };
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
