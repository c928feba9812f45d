/**
 * The studio's client of the server's config routes (docs/api/openapi.yaml): list programmes, open
 * one, publish a new version with `If-Match`, list versions and read one. Every call answers a
 * tagged result and never throws: a network failure, a refusal and an unexpected answer are each
 * a result the shell shows in words.
 */
import type { ConfigError } from '@consult-kit/machine';
import type { Json } from '../pointer.js';

/** A bearer token, or a function that returns the current one. */
export type TokenInput = string | (() => string | undefined | Promise<string | undefined>) | undefined;

/** Where the server is and who is asking. */
export interface ApiSettings {
  /** The API base, e.g. `/api`. */
  endpoint: string;
  token?: TokenInput;
  fetch?: typeof globalThis.fetch;
}

/** A programme on the server's list. */
export interface ProgrammeSummary {
  id: string;
  version?: string;
  title?: { 'zh-CN'?: string; en?: string } | string;
  level?: string;
}

/** A published version of a programme's config. */
export interface VersionSummary {
  version: number;
  etag: string;
  configVersion?: string;
  publishedAt?: string;
  publishedBy?: string;
}

/** A failure every call can answer. */
export type Failure =
  | { ok: false; kind: 'network'; message: string }
  | { ok: false; kind: 'not-found'; status: number; message: string }
  | { ok: false; kind: 'unauthorized'; status: number; message: string }
  | { ok: false; kind: 'http'; status: number; message: string };

/** A config as the server sent it. */
export interface LoadedConfig {
  ok: true;
  text: string;
  value: Json;
  etag?: string;
  version?: number;
}

export type PublishResult =
  | { ok: true; kind: 'published'; id: string; version: number; etag: string; created: boolean }
  | { ok: false; kind: 'conflict'; currentEtag?: string; currentVersion?: number; message: string }
  | { ok: false; kind: 'invalid'; errors: ConfigError[]; message: string }
  | Failure;

/** `/api/` + `programmes/x` → `/api/programmes/x`. */
export function apiUrl(endpoint: string, path: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

const programmePath = (id: string) => `programmes/${encodeURIComponent(id)}`;

async function resolveToken(token: TokenInput): Promise<string | undefined> {
  try {
    const value = typeof token === 'function' ? await token() : token;
    return value || undefined;
  } catch {
    return undefined;
  }
}

interface ProblemBody {
  type?: string;
  title?: string;
  detail?: string;
  currentEtag?: string;
  currentVersion?: number;
  errors?: ConfigError[];
}

async function problemOf(response: Response): Promise<ProblemBody> {
  try {
    const body = (await response.json()) as unknown;
    return body && typeof body === 'object' ? (body as ProblemBody) : {};
  } catch {
    return {};
  }
}

const versionHeader = (response: Response): number | undefined => {
  const raw = response.headers.get('Consult-Config-Version');
  const n = raw === null ? NaN : Number(raw);
  return Number.isInteger(n) ? n : undefined;
};

async function request(settings: ApiSettings, path: string, init: RequestInit = {}, withToken = false): Promise<Response | Failure> {
  const headers = new Headers(init.headers);
  if (withToken || settings.token) {
    const token = await resolveToken(settings.token);
    if (token) headers.set('Authorization', `Bearer ${token}`);
  }
  try {
    return await (settings.fetch ?? globalThis.fetch).call(globalThis, apiUrl(settings.endpoint, path), { ...init, headers });
  } catch (error) {
    return { ok: false, kind: 'network', message: (error as Error)?.message || String(error) };
  }
}

async function failure(response: Response): Promise<Failure> {
  const problem = await problemOf(response);
  const message = problem.detail || problem.title || `HTTP ${response.status}`;
  if (response.status === 404) return { ok: false, kind: 'not-found', status: 404, message };
  if (response.status === 401 || response.status === 403) return { ok: false, kind: 'unauthorized', status: response.status, message };
  return { ok: false, kind: 'http', status: response.status, message };
}

async function readConfig(response: Response): Promise<LoadedConfig | Failure> {
  const text = await response.text().catch(() => '');
  try {
    return { ok: true, text, value: JSON.parse(text) as Json, etag: response.headers.get('ETag') ?? undefined, version: versionHeader(response) };
  } catch (error) {
    return { ok: false, kind: 'http', status: response.status, message: `The server sent a config that is not JSON: ${(error as Error).message}` };
  }
}

/** `GET {endpoint}/programmes`. */
export async function listProgrammes(settings: ApiSettings): Promise<{ ok: true; programmes: ProgrammeSummary[] } | Failure> {
  const response = await request(settings, 'programmes', { headers: { Accept: 'application/json' } });
  if (!(response instanceof Response)) return response;
  if (!response.ok) return failure(response);
  try {
    const body = (await response.json()) as { programmes?: unknown };
    const list = Array.isArray(body.programmes) ? body.programmes : [];
    return { ok: true, programmes: list.filter((p): p is ProgrammeSummary => !!p && typeof (p as ProgrammeSummary).id === 'string') };
  } catch (error) {
    return { ok: false, kind: 'http', status: response.status, message: (error as Error).message };
  }
}

/** `GET {endpoint}/programmes/{id}/config`, with its ETag and version number. */
export async function loadConfig(settings: ApiSettings, id: string): Promise<LoadedConfig | Failure> {
  const response = await request(settings, `${programmePath(id)}/config`, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!(response instanceof Response)) return response;
  if (!response.ok) return failure(response);
  return readConfig(response);
}

/**
 * `PUT {endpoint}/programmes/{id}/config` with the config's text: `If-Match` the version it was
 * based on, or `If-None-Match: *` for a new programme.
 */
export async function publishConfig(settings: ApiSettings, id: string, text: string, etag: string | undefined): Promise<PublishResult> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (etag) headers['If-Match'] = etag;
  else headers['If-None-Match'] = '*';
  const response = await request(settings, `${programmePath(id)}/config`, { method: 'PUT', headers, body: text }, true);
  if (!(response instanceof Response)) return response;
  if (response.status === 200 || response.status === 201) {
    const body = (await problemOf(response)) as { id?: string; version?: number; etag?: string };
    const newEtag = response.headers.get('ETag') ?? body.etag ?? '';
    return { ok: true, kind: 'published', id: body.id ?? id, version: Number(body.version ?? versionHeader(response) ?? 0), etag: newEtag, created: response.status === 201 };
  }
  if (response.status === 412) {
    const problem = await problemOf(response);
    return { ok: false, kind: 'conflict', currentEtag: problem.currentEtag, currentVersion: problem.currentVersion, message: problem.detail || problem.title || 'HTTP 412' };
  }
  if (response.status === 422) {
    const problem = await problemOf(response);
    const errors = Array.isArray(problem.errors) ? problem.errors.filter((e) => e && typeof e.pointer === 'string') : [];
    return { ok: false, kind: 'invalid', errors, message: problem.detail || problem.title || 'HTTP 422' };
  }
  return failure(response);
}

/** `GET {endpoint}/programmes/{id}/config/versions`, newest first. */
export async function listVersions(settings: ApiSettings, id: string): Promise<{ ok: true; versions: VersionSummary[] } | Failure> {
  const response = await request(settings, `${programmePath(id)}/config/versions`, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!(response instanceof Response)) return response;
  if (!response.ok) return failure(response);
  try {
    const body = (await response.json()) as { versions?: unknown };
    const list = Array.isArray(body.versions) ? (body.versions as VersionSummary[]) : [];
    return { ok: true, versions: list.filter((v) => v && Number.isInteger(v.version)).sort((a, b) => b.version - a.version) };
  } catch (error) {
    return { ok: false, kind: 'http', status: response.status, message: (error as Error).message };
  }
}

/** `GET {endpoint}/programmes/{id}/config/versions/{n}`: that version's text. */
export async function loadVersion(settings: ApiSettings, id: string, version: number): Promise<LoadedConfig | Failure> {
  const response = await request(settings, `${programmePath(id)}/config/versions/${version}`, { headers: { Accept: 'application/json' } });
  if (!(response instanceof Response)) return response;
  if (!response.ok) return failure(response);
  return readConfig(response);
}
