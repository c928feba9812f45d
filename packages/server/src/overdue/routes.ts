/**
 * `GET /programmes/{id}/overdue`: the supervisor's list (督办) of every measure past its due date
 * and still open, across the programme, from the server's own index and clock.
 *
 * - Staff only: a token holding one of `READ_ROLES` (401 without one, 403 without the role or
 *   outside its programmes); a principal with party scopes sees only its parties' measures, one
 *   with level scopes only the topics at its levels (admin sees everything).
 * - Read from the index rows the clock marked overdue (`topic_index.overdue_since_ms`) or whose
 *   earliest open due date is past: each topic's open measures past due at `asOf` (the server's clock), most overdue first
 *   (earliest due date, then topic and measure id), keyset-paged.
 * - No personal data: the index summary holds none (a title the config marks personal is '').
 */
import type { FastifyInstance } from 'fastify';
import { toMillis, type LocalizedText, type TopicSummary } from '@consult-kit/machine';
import type { RouteContext } from '../http/context.js';
import { READ_ROLES, unauthenticated } from '../auth.js';
import { authenticateRequest } from '../authn.js';
import { overdueDays } from '../notifications/clock.js';
import { Problem } from '../problems.js';
import { requireProgrammeConfig } from '../programmes.js';
import { outOfScope, readScope, UNSCOPED_ROLE } from '../scope.js';
import { catchUpIndex } from '../topic-index.js';
import { singleQuery, type ProgrammeParams } from '../http/request.js';

/** Page size when `limit` is not given, and its ceiling. */
export const OVERDUE_LIMIT = { default: 50, max: 200 } as const;

const PARAMETERS = new Set(['party', 'limit', 'cursor']);
const SETTLED = new Set(['implemented', 'declined']);

/** One overdue measure as the list answers it. */
export interface OverdueItem {
  topicId: string;
  title: string;
  measureId: string;
  measure: string;
  party: string;
  partyLabel?: LocalizedText;
  due: string;
  overdueDays: number;
  /** When it became overdue: its due date's end (a date-only due is due at the end of that day, UTC). */
  overdueSince: string;
  /** The measure's status (proposed, adopted, inProgress). */
  status: string;
  /** The topic's level. */
  level: string;
}

function bad(parameter: string, message: string): Problem {
  return new Problem('invalid-request', `${parameter} ${message}.`, { errors: [{ parameter, message }] });
}

/** The keyset of an item: due, topic, measure. */
type Key = [number, string, string];

function compareKeys(a: Key, b: Key): number {
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}

/** The opaque cursor after an item. */
export function encodeOverdueCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** A cursor's key, or undefined when this route did not give it out. */
export function decodeOverdueCursor(cursor: string): Key | undefined {
  if (!/^[A-Za-z0-9_-]{1,800}$/.test(cursor)) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === 3 && Number.isSafeInteger(key[0]) && typeof key[1] === 'string' && typeof key[2] === 'string') return key as Key;
  } catch {
    // not ours
  }
  return undefined;
}

/** Registers the overdue route. */
export async function overdueRoutes(app: FastifyInstance, { db, options }: RouteContext): Promise<void> {
  app.get<{ Params: ProgrammeParams }>('/programmes/:programmeId/overdue', async (request, reply) => {
    reply.header('Cache-Control', 'private, no-store'); // staff's list: names of parties and topics
    const asOf = (options.clock?.() ?? new Date()).getTime();
    for (const name of Object.keys((request.query as Record<string, unknown> | undefined) ?? {})) {
      if (!PARAMETERS.has(name)) throw bad(name, `is not a parameter of this route; it takes ${[...PARAMETERS].join(', ')}`);
    }
    const rawLimit = singleQuery(request.query, 'limit');
    const limit = rawLimit === undefined ? OVERDUE_LIMIT.default : /^\d{1,3}$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (!(limit >= 1 && limit <= OVERDUE_LIMIT.max)) throw bad('limit', `must be a whole number from 1 to ${OVERDUE_LIMIT.max}`);
    const rawParty = singleQuery(request.query, 'party');
    const parties = rawParty === undefined ? undefined : rawParty.split(',').map((p) => p.trim());
    if (parties && (parties.length > 20 || parties.some((p) => p === '' || p.length > 100))) {
      throw bad('party', 'must be a comma-separated list of at most 20 party ids of at most 100 characters');
    }
    const rawCursor = singleQuery(request.query, 'cursor');
    const after = rawCursor === undefined ? undefined : decodeOverdueCursor(rawCursor);
    if (rawCursor !== undefined && !after) {
      throw new Problem('invalid-cursor', `The cursor "${rawCursor.slice(0, 60)}" was not given out by this route; read again from the first page.`);
    }

    const programme = await requireProgrammeConfig(db, request.params.programmeId);
    const auth = authenticateRequest(request);
    if (auth.kind !== 'token') throw unauthenticated(auth, "The overdue list is for staff; sign in with a staff token.");
    const { principal } = auth;
    if (!principal.roles.some((r) => READ_ROLES.includes(r))) {
      throw new Problem('forbidden', `The overdue list needs one of the roles ${READ_ROLES.join(', ')}.`, { reason: 'role-not-held' });
    }
    const scope = readScope(principal, programme.id);
    if (!scope.programme) {
      throw outOfScope({
        missingScope: `programme:${programme.id}`,
        detail: `You read ${principal.scopes?.programmes?.join(', ') || 'no consultation room'}, not the consultation room "${programme.id}".`,
      });
    }
    const scopedParties = principal.roles.includes(UNSCOPED_ROLE) ? undefined : principal.scopes?.parties;

    await catchUpIndex(db, programme.id);
    // The rows the clock marked, and those whose earliest open due date passed since its last
    // tick (a programme without notifications derives no overdue job): both indexes, no scan.
    const rows = await db.query<{ summary: TopicSummary; level: string }>(
      `select summary, level from topic_index
       where programme_id = $1 and (overdue_since_ms is not null or open_due_ms < $2)${scope.levels ? ' and level = any($3)' : ''}`,
      scope.levels ? [programme.id, asOf, scope.levels] : [programme.id, asOf],
    );
    const labels = new Map(programme.config.step.handling.parties.map((p) => [p.id, p.label]));
    const items: { key: Key; item: OverdueItem }[] = [];
    for (const { summary, level } of rows) {
      for (const m of summary.measures) {
        const dueMs = toMillis(m.due);
        if (SETTLED.has(m.status) || !(asOf > dueMs)) continue;
        if (scopedParties && !scopedParties.includes(m.party)) continue;
        if (parties && !parties.includes(m.party)) continue;
        const label = labels.get(m.party);
        items.push({
          key: [dueMs, summary.topicId, m.id],
          item: {
            topicId: summary.topicId,
            title: summary.title,
            measureId: m.id,
            measure: m.text,
            party: m.party,
            ...(label ? { partyLabel: label } : {}),
            due: m.due,
            overdueDays: overdueDays(dueMs, asOf),
            overdueSince: new Date(dueMs).toISOString(),
            status: m.status,
            level,
          },
        });
      }
    }
    items.sort((a, b) => compareKeys(a.key, b.key));
    const rest = after ? items.filter((i) => compareKeys(i.key, after) > 0) : items;
    const page = rest.slice(0, limit);
    const last = page.at(-1);
    return {
      asOf: new Date(asOf).toISOString(),
      total: items.length,
      items: page.map((i) => i.item),
      cursor: last ? encodeOverdueCursor(last.key) : (rawCursor ?? ''),
      more: rest.length > limit,
    };
  });
}
