/**
 * May they: authorization. Who is asking (authentication: token table, OIDC, portal assertions)
 * is authn.ts. The client's claimed `by.role` is never trusted: it must
 * be a role the token holds, and the config's `permissions` must let that role send the event.
 * Residents' own events may come without a token where the config's `residentAccess` is
 * `open` — then only as a `resident`, and acting on a topic already raised (rating it,
 * withdrawing it) only with that topic's follow code (follow-codes.ts).
 */
import type { EventType, Level, Role, WorkflowConfig } from '@consult-kit/machine';
import type { Authentication, Principal } from './authn.js';
import type { EventSubmission } from './contract.js';
import { Problem } from './problems.js';
import { outOfScope, readScope } from './scope.js';

/** Events residents send about their own matters; `residentAccess` decides if they need a token. */
export const RESIDENT_EVENTS: ReadonlySet<EventType> = new Set(['topic.submit', 'rating.submit', 'topic.withdraw']);

/** Resident events about a topic already raised: without a token they need its follow code. */
export const FOLLOW_CODE_EVENTS: ReadonlySet<EventType> = new Set(['rating.submit', 'topic.withdraw']);

/** The request header that carries a follow code. */
export const FOLLOW_CODE_HEADER = 'follow-code';

/** Roles of private persons: their writes are resident writes (abuse limits), their names personal. */
export const PRIVATE_ROLES: ReadonlySet<Role> = new Set<Role>(['resident', 'representative']);

/**
 * Whether a submission is a resident write, which the abuse limits count (limits.ts): one of
 * `RESIDENT_EVENTS` sent without a token, or with one as a resident or representative. Staff
 * raising topics (a grid worker's casework) are not counted.
 */
export function isResidentWrite(auth: Authentication, submission: EventSubmission): boolean {
  return RESIDENT_EVENTS.has(submission.event.type) && (auth.kind !== 'token' || PRIVATE_ROLES.has(submission.by.role));
}

/**
 * The `by` the server logs: never the client's word for who sent it.
 * - An anonymous `topic.submit` (the person chose not to be known) is left as sent: the machine
 *   refuses one that carries an id or a name, so nothing is stamped on it.
 * - A principal (token table, OIDC, portal assertion): `by.id` is its id (a different one sent
 *   was refused by `authorizeEvent`); `by.name` its display name when the client sent none.
 *   Residents' names are personal data and go apart from the shareable log as before
 *   (redactEntry).
 * - Without a token, acting by a follow code: `by.id` is the code's subject (`follow:<hash>`).
 * - Without a token, raising a topic: `by.id` is the subject of the follow code the server
 *   derives for the new topic, so a rating sent later with that code has the same id.
 * A `by.id` an anonymous request claims is replaced, never kept: refusing it would strand the
 * entries older clients queued offline with a made-up id, and nothing of it reaches the log.
 */
export function stampBy(auth: Authentication, submission: EventSubmission, subject: string | undefined): EventSubmission {
  if (submission.event.type === 'topic.submit' && submission.event.anonymous === true) return submission;
  const { id: _claimed, ...by } = submission.by;
  if (auth.kind === 'token') {
    const { principal } = auth;
    const name = by.name ?? principal.name;
    return { ...submission, by: { ...by, id: principal.id, ...(name !== undefined ? { name } : {}) } };
  }
  return { ...submission, by: subject === undefined ? by : { ...by, id: subject } };
}

/** Roles entitled to pull a programme's log (it holds personal data) when pulling is not open. */
export const READ_ROLES: readonly Role[] = ['convener', 'department', 'admin', 'member', 'grid', 'government'];

const REALM = 'Bearer realm="consult-kit"';

/** 401: no token where one is needed, or a bad one. */
export function unauthenticated(auth: Authentication, detail: string): Problem {
  const invalid = auth.kind === 'invalid';
  return new Problem(
    'unauthenticated',
    invalid ? `The token is not valid${auth.reason ? ` (${auth.reason})` : ''}; sign in again.` : detail,
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
      throw new Problem('forbidden', `The token does not hold the role ${role}.`, { eventType: type, role, reason: 'role-not-held' });
    }
    if (id !== undefined && id !== principal.id) {
      throw new Problem('forbidden', `by.id "${id}" is not the token's subject.`, { eventType: type, role, reason: 'not-the-subject' });
    }
  }
  const allowed = config.permissions[type];
  if (!allowed.includes(role)) {
    throw new Problem('forbidden', `A ${role} may not send ${type}; allowed: ${allowed.join(', ')}.`, { eventType: type, role, allowed, reason: 'role-not-permitted' });
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

/** What a pull gives: personal values joined or not, and when joined only for topics at `levels` (undefined: all). */
export interface PullGrant {
  joined: boolean;
  levels?: readonly Level[];
}

/**
 * Checks that the caller may pull the log of programme `programmeId` and says whether they get
 * personal values joined; throws the 401 or 403 `Problem` if they may not pull. A bad token is
 * 401 in every mode. Scopes (scope.ts): with `staff`, a principal whose programmes do not list
 * this one is refused (403 out-of-scope); in every mode, personal values are joined only within
 * the principal's programmes, and only for topics at its levels.
 */
export function authorizePull(config: WorkflowConfig, access: PullAccess, auth: Authentication, programmeId: string): PullGrant {
  if (auth.kind === 'invalid') throw unauthenticated(auth, '');
  if (access === 'open') return { joined: true };
  if (access === 'staff') {
    if (auth.kind !== 'token') throw unauthenticated(auth, 'Pulling the log needs a staff token on this server; sign in.');
    if (!auth.principal.roles.some((r) => READ_ROLES.includes(r))) {
      throw new Problem('forbidden', `Pulling the log needs one of the roles ${READ_ROLES.join(', ')}.`);
    }
    if (!readScope(auth.principal, programmeId).programme) {
      throw outOfScope({
        missingScope: `programme:${programmeId}`,
        detail: `You read the logs of ${auth.principal.scopes?.programmes?.join(', ') || 'no consultation room'}, not of the consultation room "${programmeId}".`,
      });
    }
  }
  if (auth.kind !== 'token' || !seesPersonalData(config, auth)) return { joined: false };
  const scope = readScope(auth.principal, programmeId);
  if (!scope.programme) return { joined: false };
  return scope.levels === undefined ? { joined: true } : { joined: true, levels: scope.levels };
}

/** Checks that the caller holds the admin role (erasure, export); throws the 401 or 403 `Problem` if not. */
export function authorizeAdmin(auth: Authentication, what: string): Principal {
  if (auth.kind !== 'token') throw unauthenticated(auth, `${what} needs an admin token; sign in.`);
  if (!auth.principal.roles.includes('admin')) throw new Problem('forbidden', `${what} needs the role admin.`);
  return auth.principal;
}
