/**
 * Who is asking, and may they. Tokens are configured (never hard-coded): a table from bearer
 * token to its subject's id and roles. The client's claimed `by.role` is never trusted: it must
 * be a role the token holds, and the config's `permissions` must let that role send the event.
 * Residents' own events may come without a token where the config's `residentAccess` is
 * `open` — then only as a `resident`, and acting on a topic already raised (rating it,
 * withdrawing it) only with that topic's follow code (follow-codes.ts).
 */
import { ROLES, type EventType, type Role, type WorkflowConfig } from '@consult-kit/machine';
import { sha256Hex } from './canonical-json.js';
import type { EventSubmission } from './contract.js';
import { Problem } from './problems.js';

/** The subject a token stands for. */
export interface Principal {
  id: string;
  roles: Role[];
  name?: string;
}

/** Configured tokens, by the SHA-256 of the token (so a lookup leaks nothing about other tokens). */
export type TokenTable = ReadonlyMap<string, Principal>;

/** Tokens this short are refused: they can be guessed. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Reads the token table: `{ "<token>": { "role": "convener", "id": "c-001", "name": "张丽华" } }`
 * (or `"roles": [...]` for several). Throws one error listing every fault.
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
    const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as { role?: unknown; roles?: unknown; id?: unknown; name?: unknown };
    const roles = Array.isArray(entry.roles) ? entry.roles : entry.role === undefined ? [] : [entry.role];
    const bad = roles.filter((r) => !ROLES.includes(r as Role));
    if (roles.length === 0 || bad.length > 0) faults.push(`${where} needs "role" (or "roles") among ${ROLES.join(', ')}; got ${JSON.stringify(entry.role ?? entry.roles ?? null)}`);
    if (typeof entry.id !== 'string' || entry.id === '') faults.push(`${where} needs "id", the subject's id (by.id)`);
    table.set(sha256Hex(token), {
      id: String(entry.id),
      roles: roles as Role[],
      ...(typeof entry.name === 'string' ? { name: entry.name } : {}),
    });
  }
  if (faults.length > 0) throw new Error(faults.join('\n'));
  return table;
}

/** What the `Authorization` header says. */
export type Authentication =
  | { kind: 'anonymous' }
  | { kind: 'invalid' }
  | { kind: 'token'; principal: Principal };

/** Reads `Authorization: Bearer <token>` against the table. */
export function authenticate(tokens: TokenTable, header: string | undefined): Authentication {
  if (header === undefined || header === '') return { kind: 'anonymous' };
  const token = /^Bearer +([^\s]+) *$/i.exec(header)?.[1];
  const principal = token === undefined ? undefined : tokens.get(sha256Hex(token));
  return principal ? { kind: 'token', principal } : { kind: 'invalid' };
}

/** Authentications by request: the rate limit's key and the route read the same one. */
const byRequest = new WeakMap<object, Authentication>();

/** `authenticate` for a request, done once per request (the token is hashed once). */
export function authenticateRequest(tokens: TokenTable, request: { headers: { authorization?: string | undefined } }): Authentication {
  let auth = byRequest.get(request);
  if (!auth) {
    auth = authenticate(tokens, request.headers.authorization);
    byRequest.set(request, auth);
  }
  return auth;
}

/** Events residents send about their own matters; `residentAccess` decides if they need a token. */
export const RESIDENT_EVENTS: ReadonlySet<EventType> = new Set(['topic.submit', 'rating.submit', 'topic.withdraw']);

/** Resident events about a topic already raised: without a token they need its follow code. */
export const FOLLOW_CODE_EVENTS: ReadonlySet<EventType> = new Set(['rating.submit', 'topic.withdraw']);

/** The request header that carries a follow code. */
export const FOLLOW_CODE_HEADER = 'follow-code';

/** Roles entitled to pull a programme's log (it holds personal data) when pulling is not open. */
export const READ_ROLES: readonly Role[] = ['convener', 'department', 'admin', 'member', 'grid', 'government'];

const REALM = 'Bearer realm="consult-kit"';

/** 401: no token where one is needed, or a bad one. */
export function unauthenticated(auth: Authentication, detail: string): Problem {
  const invalid = auth.kind === 'invalid';
  return new Problem(
    'unauthenticated',
    invalid ? 'The token is not valid; sign in again.' : detail,
    {},
    { 'WWW-Authenticate': invalid ? `${REALM}, error="invalid_token"` : REALM },
  );
}

/**
 * Checks that the caller may send this event as `by`; throws the 401 or 403 `Problem` if not.
 * Order: a bad token; no token where one is needed; the token does not hold `by.role`; `by.id`
 * is not the token's subject; the config's permissions do not list `by.role`.
 */
export function authorizeEvent(config: WorkflowConfig, auth: Authentication, submission: EventSubmission, followed = false): void {
  const type = submission.event.type;
  const { role, id } = submission.by;
  if (auth.kind === 'invalid') throw unauthenticated(auth, '');
  if (auth.kind === 'anonymous') {
    const open = config.residentAccess === 'open' && RESIDENT_EVENTS.has(type);
    if (!open) {
      throw unauthenticated(
        auth,
        RESIDENT_EVENTS.has(type) ? `This programme needs a token to send ${type}; sign in.` : `${type} is a staff event: send it with a token (Authorization: Bearer …).`,
      );
    }
    if (role !== 'resident') throw unauthenticated(auth, `Without a token a request may act only as a resident, not as ${role}; sign in.`);
    if (FOLLOW_CODE_EVENTS.has(type) && !followed) {
      throw unauthenticated(auth, `Without a token, ${type} needs the topic's follow code in the Follow-Code header (it was given when the topic was raised).`);
    }
  } else {
    const { principal } = auth;
    if (!principal.roles.includes(role)) {
      throw new Problem('forbidden', `The token does not hold the role ${role}.`, { eventType: type, role });
    }
    if (id !== undefined && id !== principal.id) {
      throw new Problem('forbidden', `by.id "${id}" is not the token's subject.`, { eventType: type, role });
    }
  }
  const allowed = config.permissions[type];
  if (!allowed.includes(role)) {
    throw new Problem('forbidden', `A ${role} may not send ${type}; allowed: ${allowed.join(', ')}.`, { eventType: type, role, allowed });
  }
}

/**
 * Who may pull a programme's log, and what they get:
 * - `redacted` (default): anyone gets the redacted log; a token holding a role of the config's
 *   `personalDataRoles` gets the personal values joined;
 * - `staff`: only tokens with one of `READ_ROLES` may pull; those with a `personalDataRoles`
 *   role get the values joined, the others the redacted log;
 * - `open`: anyone gets the joined log (personal data public: only for programmes that collect none).
 */
export type PullAccess = 'redacted' | 'open' | 'staff';

/** The settings of `--pull-access`. */
export const PULL_ACCESS: readonly PullAccess[] = ['redacted', 'staff', 'open'];

/** Whether a caller may see personal data joined into the log: a token with a role of the config's `personalDataRoles`. */
export function seesPersonalData(config: WorkflowConfig, auth: Authentication): boolean {
  return auth.kind === 'token' && auth.principal.roles.some((r) => config.personalDataRoles.includes(r));
}

/**
 * Checks that the caller may pull the log and says whether they get personal values joined;
 * throws the 401 or 403 `Problem` if they may not pull. A bad token is 401 in every mode.
 */
export function authorizePull(config: WorkflowConfig, access: PullAccess, auth: Authentication): { joined: boolean } {
  if (auth.kind === 'invalid') throw unauthenticated(auth, '');
  if (access === 'open') return { joined: true };
  if (access === 'staff') {
    if (auth.kind !== 'token') throw unauthenticated(auth, 'Pulling the log needs a staff token on this server; sign in.');
    if (!auth.principal.roles.some((r) => READ_ROLES.includes(r))) {
      throw new Problem('forbidden', `Pulling the log needs one of the roles ${READ_ROLES.join(', ')}.`);
    }
  }
  return { joined: seesPersonalData(config, auth) };
}

/** Checks that the caller holds the admin role (erasure, export); throws the 401 or 403 `Problem` if not. */
export function authorizeAdmin(auth: Authentication, what: string): Principal {
  if (auth.kind !== 'token') throw unauthenticated(auth, `${what} needs an admin token; sign in.`);
  if (!auth.principal.roles.includes('admin')) throw new Problem('forbidden', `${what} needs the role admin.`);
  return auth.principal;
}
