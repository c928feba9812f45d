/**
 * Who the token stands for: `GET {endpoint}/me` of the REST contract (docs/api/openapi.yaml,
 * the `Me` schema). A staff desk asks before it shows anything a person could act on, so a
 * token the server does not take never gets a desk.
 */

/** The signed-in subject as the server answers it. */
export interface Identity {
  /** The id the server stamps as `by.id` on this person's events. */
  id: string;
  /** Display name (officials are named in the shareable log). */
  name?: string;
  /** The roles the token holds (`convener`, `department`, `admin`…). */
  roles: string[];
  /** Where they may act; an absent list means everywhere their roles allow. */
  scopes?: { programmes?: string[]; levels?: string[]; parties?: string[] };
  /** How the server verified the subject: its token table, the city's OpenID provider, or a portal assertion. */
  source: 'token' | 'oidc' | 'portal';
}

/**
 * What `whoAmI` found. `unauthenticated`: no token, or one the server does not take (401, with
 * the server's `detail`, e.g. "The token is not valid (expired); sign in again."); `offline`: the
 * server could not be reached; `unavailable`: it answered something else (5xx, an older server
 * without `/me`, a malformed body).
 */
export type WhoAmIResult =
  | { ok: true; identity: Identity }
  | { ok: false; reason: 'unauthenticated' | 'offline' | 'unavailable'; status?: number; detail?: string };

export interface WhoAmIOptions {
  /** The REST contract's base URL (`/api`), absolute or relative to the page. */
  endpoint: string;
  /** The bearer token, if any (without one the server answers 401). */
  token?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

const SOURCES = new Set(['token', 'oidc', 'portal']);

/** The answer's body as an `Identity`, or undefined when it is not one. */
function identityOf(body: unknown): Identity | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.id !== 'string' || b.id === '' || !Array.isArray(b.roles)) return undefined;
  const roles = b.roles.filter((r): r is string => typeof r === 'string');
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
  let scopes: Identity['scopes'];
  if (b.scopes && typeof b.scopes === 'object') {
    const s = b.scopes as Record<string, unknown>;
    scopes = {};
    for (const key of ['programmes', 'levels', 'parties'] as const) {
      const values = list(s[key]);
      if (values) scopes[key] = values;
    }
  }
  return {
    id: b.id,
    ...(typeof b.name === 'string' && b.name !== '' ? { name: b.name } : {}),
    roles,
    ...(scopes ? { scopes } : {}),
    source: typeof b.source === 'string' && SOURCES.has(b.source) ? (b.source as Identity['source']) : 'token',
  };
}

/** Asks the server who `token` stands for. Never throws. */
export async function whoAmI(options: WhoAmIOptions): Promise<WhoAmIResult> {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  let res: Response;
  try {
    res = await doFetch(`${options.endpoint.replace(/\/+$/, '')}/me`, {
      headers: { Accept: 'application/json, application/problem+json', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) },
      cache: 'no-store',
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch {
    return { ok: false, reason: 'offline' };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const detail = body && typeof body === 'object' && typeof (body as { detail?: unknown }).detail === 'string' ? (body as { detail: string }).detail : undefined;
  if (res.status === 401) return { ok: false, reason: 'unauthenticated', status: 401, ...(detail ? { detail } : {}) };
  const identity = res.ok ? identityOf(body) : undefined;
  if (identity) return { ok: true, identity };
  return { ok: false, reason: 'unavailable', status: res.status, ...(detail ? { detail } : {}) };
}
