/**
 * Scopes as a table (issue 16, point 4): every staff role of ROLES, each with one token per
 * scope case (none, all in scope, another programme, another level, another responsible
 * party), sends every event type of the programme's permissions to a topic in the state that
 * event needs. Each cell asserts the status and the problem type (and the missing scope) that
 * the rule below — written from the issue, not from the implementation — expects.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ROLES, type EventType, type Role } from '@consult-kit/machine';
import { sha256Hex } from '../src/canonical-json.js';
import type { Principal, Scopes, TokenTable } from '../src/authn.js';
import { DEFAULT_PERMISSIONS } from '@consult-kit/machine';
import { addProgramme, append, perDatabase, PEOPLE, story, STORY_TO_EVALUATION, TOKENS, type Answer, type TestServer } from './helpers.js';

type Obj = Record<string, unknown>;

// ── The rule ───────────────────────────────────────────────────────────────────────────────

/** Staff roles: every role but the private persons (residents and their representatives). */
const STAFF_ROLES = ROLES.filter((r) => r !== 'resident' && r !== 'representative');

/** The scope cases each role gets a token for. */
const CASES = ['unscoped', 'in-scope', 'other-programme', 'other-level', 'other-party'] as const;
type Case = (typeof CASES)[number];

/** The topics are raised at the community level; their measures are the housing bureau's and the street office's. */
const LEVEL = 'community';
const PARTIES = ['housing-bureau', 'street-office'];

/** Measure events: the party of the measure they name matters. */
const MEASURE_EVENTS: ReadonlySet<string> = new Set(['measure.adopt', 'measure.decline', 'measure.progress', 'measure.implement']);

/** Which measure (and so which party) each measure event of the story acts on. */
const MEASURE_PARTY: Record<string, string> = {
  'measure.adopt': 'housing-bureau',
  'measure.decline': 'street-office',
  'measure.progress': 'housing-bureau',
  'measure.implement': 'housing-bureau',
};

interface Expected {
  status: number;
  type?: string;
  missingScope?: string;
}

/**
 * What a cell must answer: a role the permissions do not list is forbidden; then, for every
 * role but admin, the programme, the topic's level and (measure events only) the measure's
 * party must be in scope; otherwise the event is accepted.
 */
function expected(permissions: Record<string, readonly Role[]>, programme: string, role: Role, scope: Case, type: string): Expected {
  if (!permissions[type]!.includes(role)) return { status: 403, type: '/problems/forbidden' };
  if (role !== 'admin') {
    if (scope === 'other-programme') return { status: 403, type: '/problems/out-of-scope', missingScope: `programme:${programme}` };
    if (scope === 'other-level') return { status: 403, type: '/problems/out-of-scope', missingScope: `level:${LEVEL}` };
    if (scope === 'other-party' && MEASURE_EVENTS.has(type)) return { status: 403, type: '/problems/out-of-scope', missingScope: `party:${MEASURE_PARTY[type]}` };
  }
  return { status: 201 };
}

// ── The people ─────────────────────────────────────────────────────────────────────────────

const PROGRAMME = `wuxi-scope-${randomUUID().slice(0, 8)}`;

function scopesOf(scope: Case): Scopes | undefined {
  switch (scope) {
    case 'unscoped':
      return undefined;
    case 'in-scope':
      return { programmes: [PROGRAMME, 'another-room'], levels: [LEVEL, 'street'], parties: PARTIES };
    case 'other-programme':
      return { programmes: ['another-room'] };
    case 'other-level':
      return { levels: ['street', 'town'] };
    case 'other-party':
      return { parties: ['water-company'] };
  }
}

/** One person per role (one id), with a token per scope case: the same subject, scoped differently. */
const tokenOf = (role: Role, scope: Case) => `tok-matrix-${role}-${scope}-0000000000`;
const idOf = (role: Role) => `${role}-matrix-1`;
const tokens: TokenTable = new Map([
  ...TOKENS,
  ...STAFF_ROLES.flatMap((role) =>
    CASES.map((scope): [string, Principal] => {
      const scopes = scopesOf(scope);
      return [sha256Hex(tokenOf(role, scope)), { id: idOf(role), roles: [role], name: `${role} 测试`, ...(scopes ? { scopes } : {}) }];
    }),
  ),
]);

// ── The topics ─────────────────────────────────────────────────────────────────────────────

const STORY = story();
const body = (key: string) => structuredClone(STORY.find((s) => s.key === key)!.body);

/** The story's steps, in order, up to a topic in evaluation with one rating. */
const PATH = [
  ...STORY_TO_EVALUATION,
  'ratingSubmit',
  'evaluationClose',
];

/** For each event type: the story step that sends it, and the steps before it (after topic.submit). */
const EVENTS: Record<string, { key: string; before: string[] }> = {
  'topic.submit': { key: 'topicSubmit', before: [] },
  'screening.accept': { key: 'screeningAccept', before: [] },
  'screening.reject': { key: 'screeningReject', before: [] },
  'screening.merge': { key: 'screeningMerge', before: [] },
  'screening.redirect': { key: 'screeningRedirect', before: [] },
  'screening.escalate': { key: 'screeningEscalate', before: [] },
  'topic.withdraw': { key: 'topicWithdraw', before: [] },
  ...Object.fromEntries(
    PATH.map((key, i) => [body(key).event.type, { key, before: PATH.slice(0, i) }]).filter(([type]) => type !== 'meeting.advance'),
  ),
  'meeting.advance': { key: 'meetingAdvanceToDeliberation', before: PATH.slice(0, PATH.indexOf('meetingAdvanceToDeliberation')) },
};

/** A topic raised by `raiser` (a resident without a token when undefined) and brought to the state before `type`. */
async function prepare(server: TestServer, type: string, raiser?: Role): Promise<{ topicId: string; code: string }> {
  const topicId = `tp-${randomUUID()}`;
  const submit = { ...body('topicSubmit'), id: `e-${randomUUID()}`, topicId, by: raiser ? { role: raiser } : { role: 'resident' } };
  const raised = await append(server, PROGRAMME, submit, { token: raiser ? tokenOf(raiser, 'unscoped') : undefined });
  assert.equal(raised.status, 201, raised.text);
  const code = String(raised.body?.followCode);
  for (const key of EVENTS[type]!.before) {
    const step = { ...body(key), id: `e-${randomUUID()}`, topicId };
    const resident = step.event.type === 'rating.submit';
    step.by = resident ? { role: 'resident' } : { role: 'admin' };
    const res = await append(server, PROGRAMME, step, resident ? { token: undefined, headers: { 'follow-code': code } } : { token: PEOPLE.admin.token });
    assert.equal(res.status, 201, `${type}: preparing ${key}: ${res.text}`);
  }
  return { topicId, code };
}

/** The event of a cell, on a topic, sent as `role`. */
function cellBody(type: string, topicId: string, role: Role, into: string): Obj {
  const step = { ...body(EVENTS[type]!.key), id: `e-${randomUUID()}`, topicId, by: { role } };
  if (type === 'screening.merge') step.event = { ...step.event, into };
  if (type === 'topic.submit') step.event = { ...step.event, source: 'resident' };
  return step;
}

/** Runs `work` over `items`, `width` at a time. */
async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

interface Cell {
  role: Role;
  scope: Case;
  type: string;
  want: Expected;
}

perDatabase(
  'scopes: role × scope × event',
  ({ db, server }) => {
    it('every cell answers as the rule says', async () => {
      // The Wuxi programme as it ships, except that only residents rate: who else may rate is
      // the rating rules' matter (one person, one rating), tested on their own.
      await addProgramme(db(), 'wuxi-community.json', (c) => {
        c.id = PROGRAMME;
        (c.permissions as Obj)['rating.submit'] = ['resident', 'representative'];
        // One rating may close the evaluation: the story's events all arrive now (receivedAt), so
        // the window is still open; closing early is the time rules' matter (received-time.test.ts).
        (c.steps as Obj[]).find((step) => step.type === 'evaluation')!.minRatings = 1;
      });
      const config = (await (await fetch(`${server().url}/api/programmes/${PROGRAMME}/config`)).json()) as { permissions?: Record<string, Role[]> };
      const permissions: Record<string, readonly Role[]> = { ...DEFAULT_PERMISSIONS, ...config.permissions };
      const types = Object.keys(DEFAULT_PERMISSIONS) as EventType[];
      assert.deepEqual(types.filter((t) => !EVENTS[t]), [], 'every event type has a story step');

      const into = (await prepare(server(), 'screening.accept')).topicId;
      const cells: Cell[] = types.flatMap((type) => STAFF_ROLES.flatMap((role) => CASES.map((scope) => ({ role, scope, type, want: expected(permissions, PROGRAMME, role, scope, type) }))));

      // Refused cells change nothing: they share one topic per event type (per role for a
      // withdrawal, which only whoever raised the topic may send). Accepted cells get a topic each.
      const shared = new Map<string, string>();
      const sharedKey = (cell: Cell) => (cell.type === 'topic.withdraw' ? `${cell.type}/${cell.role}` : cell.type);
      const raiserFor = (cell: Cell): Role | undefined => (cell.type === 'topic.withdraw' && permissions['topic.submit']!.includes(cell.role) ? cell.role : undefined);
      const answers = new Map<Cell, Answer>();
      const send = async (cell: Cell, topicId: string) => {
        answers.set(cell, await append(server(), PROGRAMME, cellBody(cell.type, topicId, cell.role, into), { token: tokenOf(cell.role, cell.scope) }));
      };
      const refusedCells = cells.filter((c) => c.want.status !== 201);
      for (const cell of refusedCells) {
        if (cell.type !== 'topic.submit' && !shared.has(sharedKey(cell))) shared.set(sharedKey(cell), (await prepare(server(), cell.type, raiserFor(cell))).topicId);
      }
      await pool(refusedCells, 8, (cell) => send(cell, cell.type === 'topic.submit' ? `tp-${randomUUID()}` : shared.get(sharedKey(cell))!));
      await pool(
        cells.filter((c) => c.want.status === 201),
        8,
        async (cell) => send(cell, cell.type === 'topic.submit' ? `tp-${randomUUID()}` : (await prepare(server(), cell.type, raiserFor(cell))).topicId),
      );

      const wrong: string[] = [];
      for (const cell of cells) {
        const got = answers.get(cell)!;
        const seen: Expected = { status: got.status, ...(got.status === 201 ? {} : { type: String(got.body?.type) }), ...(got.body?.missingScope ? { missingScope: String(got.body.missingScope) } : {}) };
        if (JSON.stringify(seen) !== JSON.stringify(cell.want)) wrong.push(`${cell.type} by ${cell.role} (${cell.scope}): want ${JSON.stringify(cell.want)}, got ${JSON.stringify(seen)} ${got.body?.detail ?? ''}`);
        if (got.body?.type === '/problems/out-of-scope') assert.ok(String(got.body.detail).length > 20, 'a detail in plain words');
      }
      assert.deepEqual(wrong, [], `${wrong.length} of ${cells.length} cells differ`);
      // The table is not vacuous: every kind of answer occurs.
      const kinds = new Set(cells.map((c) => c.want.missingScope?.split(':')[0] ?? c.want.type ?? 'accepted'));
      assert.deepEqual([...kinds].sort(), ['/problems/forbidden', 'accepted', 'level', 'party', 'programme']);
    });
  },
  { tokens },
);
