/**
 * Who is asking: authentication. A request's `Authorization: Bearer …` is looked up once, in an
 * `onRequest` hook (`identityHook`) before the rate limit, and the routes read the result with
 * `authenticateRequest`. Sources: the configured token table (the demo default), and — set up
 * in identity/ — the city's OpenID Connect provider and the host portal's signed resident
 * assertions. Authorization (may they) is auth.ts.
 */
import type { FastifyRequest } from 'fastify';
import { LEVEL_RANK, ROLES, SYSTEM_ACTOR, type Level, type Role } from '@consult-kit/machine';
import { sha256Hex } from './canonical-json.js';

/**
 * Where a principal may act. Each list absent means everywhere (an admin; a token table entry
 * without scopes). `programmes`: the programme (consultation room) ids; `levels`: the topic
 * levels; `parties`: the responsible parties (a measure's `party`) a department acts for.
 */
export interface Scopes {
  programmes?: string[];
  levels?: Level[];
  parties?: string[];
}

/** How a principal was verified. */
export type PrincipalSource = 'token' | 'oidc' | 'portal';

/** The subject a token stands for. */
export interface Principal {
  id: string;
  roles: Role[];
  name?: string;
  /** Where they may act; absent: everywhere their roles allow. */
  scopes?: Scopes;
  /** How they were verified; absent: the token table. */
  source?: PrincipalSource;
}

/** Configured tokens, by the SHA-256 of the token (so a lookup leaks nothing about other tokens). */
export type TokenTable = ReadonlyMap<string, Principal>;

/** Tokens this short are refused: they can be guessed. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Reads the token table: `{ "<token>": { "role": "convener", "id": "c-001", "name": "张丽华" } }`
 * (or `"roles": [...]` for several), optionally with `"scopes": { "programmes": [...],
 * "levels": [...], "parties": [...] }` (a list absent: everywhere). Throws one error listing
 * every fault.
 */
export function parseTokens(json: unknown, source: string): TokenTable {
  const faults: string[] = [];
  const table = new Map<string, Principal>();
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(`${source}: tokens must be a JSON object { "<token>": { "role": …, "id": … } }`);
  }
  for (const [token, raw] of Object.entries(json)) {
    const where = `${source}: token "${token.slice(0, 4)}…"`;
    if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) faults.push(`${where} must be at least ${MIN_TOKEN_LENGTH} characters without spaces`);
    const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as { role?: unknown; roles?: unknown; id?: unknown; name?: unknown; scopes?: unknown };
    const roles = Array.isArray(entry.roles) ? entry.roles : entry.role === undefined ? [] : [entry.role];
    const bad = roles.filter((r) => !ROLES.includes(r as Role));
    if (roles.length === 0 || bad.length > 0) faults.push(`${where} needs "role" (or "roles") among ${ROLES.join(', ')}; got ${JSON.stringify(entry.role ?? entry.roles ?? null)}`);
    if (typeof entry.id !== 'string' || entry.id === '') faults.push(`${where} needs "id", the subject's id (by.id)`);
    else if (entry.id === SYSTEM_ACTOR.id) faults.push(`${where}: the id "${SYSTEM_ACTOR.id}" is reserved for the server's own clock; give this person another id`);
    const scopes = entry.scopes === undefined ? undefined : parseScopes(entry.scopes, where, faults);
    table.set(sha256Hex(token), {
      id: String(entry.id),
      roles: roles as Role[],
      ...(typeof entry.name === 'string' ? { name: entry.name } : {}),
      ...(scopes ? { scopes } : {}),
    });
  }
  if (faults.length > 0) throw new Error(faults.join('\n'));
  return table;
}

/** A token table entry's `scopes`: each list an array of non-empty strings, levels among ours. */
function parseScopes(raw: unknown, where: string, faults: string[]): Scopes | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    faults.push(`${where}: "scopes" must be an object { "programmes": [...], "levels": [...], "parties": [...] }`);
    return undefined;
  }
  const scopes: Scopes = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key !== 'programmes' && key !== 'levels' && key !== 'parties') {
      faults.push(`${where}: "scopes.${key}" is not a scope; expected programmes, levels, parties`);
      continue;
    }
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
      faults.push(`${where}: "scopes.${key}" must be a list of ids (strings); got ${JSON.stringify(value)}`);
      continue;
    }
    const list = [...new Set(value as string[])];
    if (key === 'levels') {
      const bad = list.filter((l) => !Object.hasOwn(LEVEL_RANK, l));
      if (bad.length > 0) faults.push(`${where}: "scopes.levels" has ${bad.map((b) => JSON.stringify(b)).join(', ')}, not among ${Object.keys(LEVEL_RANK).join(', ')}`);
      else scopes.levels = list as Level[];
    } else scopes[key] = list;
  }
  return scopes;
}

/** What the `Authorization` header says. */
export type Authentication =
  | { kind: 'anonymous' }
  /** `reason`: what an operator can act on (expired, wrong audience…), never the token itself. */
  | { kind: 'invalid'; reason?: string }
  | { kind: 'token'; principal: Principal };

/** Reads `Authorization: Bearer <token>` against the table. */
export function authenticate(tokens: TokenTable, header: string | undefined): Authentication {
  if (header === undefined || header === '') return { kind: 'anonymous' };
  const token = /^Bearer +([^\s]+) *$/i.exec(header)?.[1];
  const principal = token === undefined ? undefined : tokens.get(sha256Hex(token));
  return principal ? { kind: 'token', principal } : { kind: 'invalid' };
}

/** Authentications by request: set by `identityHook`, read by the rate limit's key and the routes. */
const byRequest = new WeakMap<object, Authentication>();

/** Turns a request's `Authorization` header into an `Authentication` (async: a JWT may need keys fetched). */
export type Authenticator = (header: string | undefined) => Promise<Authentication>;

/** The authenticator of a token table alone (the default). */
export function tokenAuthenticator(tokens: TokenTable): Authenticator {
  return (header) => Promise.resolve(authenticate(tokens, header));
}

/**
 * The `onRequest` hook that authenticates a request once; register it before the rate limit.
 * A refused token logs one warning with its reason — never the token, never its claims.
 */
export function identityHook(authenticator: Authenticator) {
  return async (request: FastifyRequest): Promise<void> => {
    const found = await authenticator(request.headers.authorization);
    // The server's clock acts as SYSTEM_ACTOR (it closes ended rating windows whatever the
    // permissions say): no token, provider subject or assertion may stand for it.
    const auth: Authentication =
      found.kind === 'token' && found.principal.id === SYSTEM_ACTOR.id ? { kind: 'invalid', reason: `the subject id "${SYSTEM_ACTOR.id}" is reserved for the server's clock` } : found;
    if (auth.kind === 'invalid') request.log.warn({ reason: auth.reason ?? 'unknown token' }, 'authentication refused');
    byRequest.set(request, auth);
  };
}

/** What `identityHook` found for a request (anonymous when it did not run). */
export function authenticateRequest(request: object): Authentication {
  return byRequest.get(request) ?? { kind: 'anonymous' };
}
