/**
 * Scopes in the stories a city tells (issue 16, point 4 and its done-when): a convener of one
 * room cannot screen another room's topic, nor read its residents' phone numbers; a convener of
 * the community level loses a topic escalated to the street, even when the escalation lands a
 * moment before their own event; a department acts on its own measures only.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LogEntry } from '@consult-kit/machine';
import { sha256Hex } from '../src/canonical-json.js';
import type { Principal, TokenTable } from '../src/authn.js';
import type { Db } from '../src/db/db.js';
import { append, call, DATABASES, PATHS, PEOPLE, perDatabase, serve, story, TOKENS, wuxiProgramme, type TestServer } from './helpers.js';

type Obj = Record<string, unknown>;

/** People with scopes, as the city's provider (or the token table) would give them. */
const ROOM_A = `wuxi-a-${randomUUID().slice(0, 8)}`;
const ROOM_B = `wuxi-b-${randomUUID().slice(0, 8)}`;
const SCOPED = {
  conveneA: { token: 'tok-scoped-convener-room-a-000', principal: { id: 'c-room-a', roles: ['convener'], name: '周敏', scopes: { programmes: [ROOM_A] } } },
  communityConvener: { token: 'tok-scoped-convener-community0', principal: { id: 'c-community', roles: ['convener'], name: '吴芳', scopes: { levels: ['community'] } } },
  housing: { token: 'tok-scoped-dept-housing-0000000', principal: { id: 'd-housing', roles: ['department'], name: '刘明', scopes: { parties: ['housing-bureau'] } } },
} satisfies Record<string, { token: string; principal: Principal }>;
const tokens: TokenTable = new Map([...TOKENS, ...Object.values(SCOPED).map(({ token, principal }): [string, Principal] => [sha256Hex(token), principal as Principal])]);

const STORY = story();
/** Admin acts everywhere: the steps that bring a topic along. */
const ADMIN = { token: PEOPLE.admin.token };
const step = (key: string, topicId: string, by: Obj = { role: 'admin' }): Obj => ({ ...structuredClone(STORY.find((s) => s.key === key)!.body), id: `e-${randomUUID()}`, topicId, by });

/** A topic raised by a resident with a phone number of its own; returns its id and the number. */
async function raise(server: TestServer, programme: string): Promise<{ topicId: string; phone: string }> {
  const body = step('topicSubmit', `tp-${randomUUID()}`, { role: 'resident', name: '王秀英' });
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  body.event = { ...(body.event as Obj), values: { ...((body.event as Obj).values as Obj), phone } };
  const res = await append(server, programme, body, { token: undefined });
  assert.equal(res.status, 201, res.text);
  return { topicId: String(body.topicId), phone };
}

async function pull(server: TestServer, programme: string, token?: string): Promise<{ status: number; entries: LogEntry[]; body: Obj | undefined }> {
  const res = await call(server, `/api/programmes/${programme}/events`, { template: PATHS.events, ...(token ? { token } : {}) });
  return { status: res.status, entries: ((res.body as { entries?: LogEntry[] } | undefined)?.entries ?? []), body: res.body };
}

perDatabase(
  'scopes',
  ({ db, server }) => {
    it('a convener of one room cannot screen another room\'s topic: 403 out-of-scope naming the room; in their own room they can', async () => {
      await wuxiProgramme(db(), (c) => (c.id = ROOM_A));
      await wuxiProgramme(db(), (c) => (c.id = ROOM_B));
      const inB = await raise(server(), ROOM_B);
      const res = await append(server(), ROOM_B, step('screeningAccept', inB.topicId, { role: 'convener' }), { token: SCOPED.conveneA.token });
      assert.equal(res.status, 403);
      assert.equal(res.body?.type, '/problems/out-of-scope');
      assert.equal(res.body?.missingScope, `programme:${ROOM_B}`);
      assert.match(String(res.body?.detail), new RegExp(`not for the consultation room "${ROOM_B}"`));
      const entries = (await pull(server(), ROOM_B)).entries;
      assert.equal(entries.length, 1, 'nothing appended');

      const inA = await raise(server(), ROOM_A);
      const ok = await append(server(), ROOM_A, step('screeningAccept', inA.topicId, { role: 'convener' }), { token: SCOPED.conveneA.token });
      assert.equal(ok.status, 201, ok.text);
      assert.equal((ok.body?.entry as LogEntry).by.id, 'c-room-a');
    });

    it('the redacted log is anyone\'s, but a convener of room A gets phone numbers joined in room A only', async () => {
      const a = await raise(server(), ROOM_A);
      const b = await raise(server(), ROOM_B);
      const own = await pull(server(), ROOM_A, SCOPED.conveneA.token);
      assert.equal(own.status, 200);
      assert.ok(JSON.stringify(own.entries).includes(a.phone), 'room A: joined');
      const other = await pull(server(), ROOM_B, SCOPED.conveneA.token);
      assert.equal(other.status, 200, 'the redacted log is open under --pull-access redacted');
      assert.ok(!JSON.stringify(other.entries).includes(b.phone), 'room B: no phone number');
      assert.ok(other.entries.some((e) => e.topicId === b.topicId && e.redacted?.includes('/event/values/phone')));
      const topic = await call(server(), `/api/programmes/${ROOM_B}/topics/${b.topicId}/events`, { template: PATHS.topicEvents, token: SCOPED.conveneA.token });
      assert.ok(!topic.text.includes(b.phone), 'nor in the per-topic pull');
      assert.ok(JSON.stringify((await pull(server(), ROOM_B, PEOPLE.convener.token)).entries).includes(b.phone), 'an unscoped convener gets it joined');
    });

    it('a topic escalated past the convener\'s level: their events are 403 level:<new level>, and its phone number is no longer joined for them', async () => {
      const programme = await wuxiProgramme(db());
      const stays = await raise(server(), programme);
      const moves = await raise(server(), programme);
      assert.ok(JSON.stringify((await pull(server(), programme, SCOPED.communityConvener.token)).entries).includes(moves.phone), 'joined while at the community level');
      assert.equal((await append(server(), programme, step('screeningEscalate', moves.topicId), ADMIN)).status, 201);

      const refused = await append(server(), programme, step('screeningAccept', moves.topicId, { role: 'convener' }), { token: SCOPED.communityConvener.token });
      assert.equal(refused.status, 403);
      assert.equal(refused.body?.type, '/problems/out-of-scope');
      assert.equal(refused.body?.missingScope, 'level:street');
      const joined = JSON.stringify((await pull(server(), programme, SCOPED.communityConvener.token)).entries);
      assert.ok(!joined.includes(moves.phone), 'the escalated topic: redacted for them');
      assert.ok(joined.includes(stays.phone), 'the topic still at their level: joined');
      assert.equal((await append(server(), programme, step('screeningAccept', stays.topicId, { role: 'convener' }), { token: SCOPED.communityConvener.token })).status, 201);
    });

    it('an escalation and a community convener\'s acceptance sent together: never both accepted (the level is checked inside the append)', async () => {
      const programme = await wuxiProgramme(db());
      const topics = await Promise.all(Array.from({ length: 12 }, () => raise(server(), programme)));
      const answers = await Promise.all(
        topics.map(async ({ topicId }) => {
          const [escalated, accepted] = await Promise.all([
            append(server(), programme, step('screeningEscalate', topicId), ADMIN),
            append(server(), programme, step('screeningAccept', topicId, { role: 'convener' }), { token: SCOPED.communityConvener.token }),
          ]);
          return { escalated, accepted };
        }),
      );
      assert.ok(answers.some((a) => a.escalated.status === 201), 'some escalation landed first: the case that matters was run');
      for (const { escalated, accepted } of answers) {
        assert.notDeepEqual([escalated.status, accepted.status], [201, 201], 'both accepted: the acceptance was checked against a stale level');
        assert.ok(escalated.status === 201 || accepted.status === 201, `one of them is accepted: ${escalated.text} ${accepted.text}`);
        if (escalated.status === 201) assert.equal(accepted.body?.missingScope, 'level:street', 'escalated first: the convener is out of scope');
        else assert.equal(accepted.status, 201, 'accepted first: the escalation comes too late');
      }
    });

    it('a department acts on the measures of its parties only', async () => {
      const programme = await wuxiProgramme(db());
      const { topicId } = await raise(server(), programme);
      for (const key of ['screeningAccept', 'researchComplete', 'meetingSchedule', 'meetingStart', 'meetingAdvanceToDeliberation', 'meetingAdvanceToInteraction', 'meetingAdvanceToResponse', 'meetingRecord']) {
        assert.equal((await append(server(), programme, step(key, topicId), ADMIN)).status, 201, key);
      }
      const own = await append(server(), programme, step('measureAdopt', topicId, { role: 'department' }), { token: SCOPED.housing.token });
      assert.equal(own.status, 201, own.text);
      const other = await append(server(), programme, step('measureDecline', topicId, { role: 'department' }), { token: SCOPED.housing.token });
      assert.equal(other.status, 403);
      assert.equal(other.body?.missingScope, 'party:street-office');
      assert.match(String(other.body?.detail), /assigned to street-office; you act for housing-bureau only/);
      const unknown = await append(server(), programme, { ...step('measureProgress', topicId, { role: 'department' }), event: { type: 'measure.progress', measureId: 'no-such-measure', note: '进展说明' } }, { token: SCOPED.housing.token });
      assert.equal(unknown.status, 422, 'a measure the topic does not have is the lifecycle\'s answer');
    });
  },
  { tokens },
);

describe('scopes under --pull-access staff', () => {
  for (const database of DATABASES) {
    it(`a scoped convener pulling another room's log is 403 out-of-scope; their own room's is theirs (${database.name})`, async () => {
      const db: Db = await database.open();
      const server = await serve(db, { tokens, pullAccess: 'staff' });
      try {
        await wuxiProgramme(db, (c) => (c.id = ROOM_A));
        await wuxiProgramme(db, (c) => (c.id = ROOM_B));
        const b = await raise(server, ROOM_B);
        const other = await pull(server, ROOM_B, SCOPED.conveneA.token);
        assert.equal(other.status, 403);
        assert.equal(other.body?.type, '/problems/out-of-scope');
        assert.equal(other.body?.missingScope, `programme:${ROOM_B}`);
        assert.ok(!JSON.stringify(other.body).includes(b.phone));
        const topic = await call(server, `/api/programmes/${ROOM_B}/topics/${b.topicId}/events`, { template: PATHS.topicEvents, token: SCOPED.conveneA.token });
        assert.equal(topic.status, 403, 'the per-topic pull too');
        assert.equal((await pull(server, ROOM_A, SCOPED.conveneA.token)).status, 200);
        assert.equal((await pull(server, ROOM_B, PEOPLE.admin.token)).status, 200, 'admin reads everywhere');
      } finally {
        await server.close();
        await db.close();
      }
    });
  }
});
