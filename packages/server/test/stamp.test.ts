/**
 * The server stamps `by` (issue 16, point 3): staff events in the log name who sent them (the
 * token's subject and display name), a signed-in resident's by their subject, a resident
 * without an account by their follow code's subject — never a `by.id` the client made up.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LogEntry } from '@consult-kit/machine';
import { sha256Hex } from '../src/canonical-json.js';
import type { Principal, TokenTable } from '../src/authn.js';
import { followCodeHash, followSubject, normaliseFollowCode } from '../src/follow-codes.js';
import { append, call, PATHS, PEOPLE, perDatabase, story, TOKENS, topicSubmission, wuxiProgramme } from './helpers.js';

type Obj = Record<string, unknown>;

/** A resident signed in through the host portal (authn.ts gives such a principal `source: 'portal'`). */
const PORTAL = { token: 'portal-assertion-stand-in-0001', principal: { id: 'portal:u-5521', roles: ['resident'], name: '李桂兰', source: 'portal' } satisfies Principal };
const tokens: TokenTable = new Map([...TOKENS, [sha256Hex(PORTAL.token), PORTAL.principal as Principal]]);

/** The `by.id` a follow code acts as, computed from the code as the resident holds it. */
const subjectOf = (code: string) => followSubject(followCodeHash(normaliseFollowCode(code)!));

const step = (key: string, topicId: string, by: Obj): Obj => {
  const body = story().find((s) => s.key === key)!.body;
  return { ...body, id: `e-${randomUUID()}`, topicId, by };
};

perDatabase(
  'the server stamps by',
  ({ db, server }) => {
    const pullTopic = async (programme: string, topicId: string, token?: string) => {
      const res = await call(server(), `/api/programmes/${programme}/topics/${topicId}/events`, { template: PATHS.topicEvents, ...(token ? { token } : {}) });
      assert.equal(res.status, 200, res.text);
      return (res.body as { entries: LogEntry[] }).entries;
    };

    it('staff events sent with only a role carry the token\'s subject id and name in the pulled log', async () => {
      const programme = await wuxiProgramme(db());
      const topic = topicSubmission();
      assert.equal((await append(server(), programme, topic, { token: undefined })).status, 201);
      const accepted = await append(server(), programme, step('screeningAccept', topic.topicId, { role: 'convener' }), { token: PEOPLE.convener.token });
      assert.equal(accepted.status, 201, accepted.text);
      const research = await append(server(), programme, step('researchComplete', topic.topicId, { role: 'member', name: '陈委员' }), { token: PEOPLE.member.token });
      assert.equal(research.status, 201, research.text);

      const entries = await pullTopic(programme, topic.topicId);
      assert.deepEqual(entries[1]!.by, { role: 'convener', id: PEOPLE.convener.id, name: PEOPLE.convener.name }, 'the shareable log names the convener');
      assert.deepEqual(entries[2]!.by, { role: 'member', id: PEOPLE.member.id, name: '陈委员' }, 'a name the client sent is kept, the id is the subject\'s');
    });

    it('a by.id that is not the token\'s subject stays a 403, and nothing is logged', async () => {
      const programme = await wuxiProgramme(db());
      const topic = topicSubmission();
      await append(server(), programme, topic, { token: undefined });
      const res = await append(server(), programme, step('screeningAccept', topic.topicId, { role: 'convener', id: 'c-somebody-else' }), { token: PEOPLE.convener.token });
      assert.equal(res.status, 403);
      assert.equal(res.body?.type, '/problems/forbidden');
      assert.equal((await pullTopic(programme, topic.topicId)).length, 1);
    });

    it('a signed-in resident\'s topic carries their subject; their name stays out of the shareable log and is joined for staff', async () => {
      const programme = await wuxiProgramme(db());
      const topic = { ...topicSubmission(), by: { role: 'resident' } };
      const res = await append(server(), programme, topic, { token: PEOPLE.resident.token });
      assert.equal(res.status, 201, res.text);
      const [shared] = await pullTopic(programme, topic.topicId);
      assert.deepEqual(shared!.by, { role: 'resident', id: PEOPLE.resident.id });
      assert.ok(!JSON.stringify(shared).includes(PEOPLE.resident.name), 'the resident\'s name is not in the shareable log');
      const [joined] = await pullTopic(programme, topic.topicId, PEOPLE.convener.token);
      assert.deepEqual(joined!.by, { role: 'resident', id: PEOPLE.resident.id, name: PEOPLE.resident.name });
    });

    it('a resident signed in through the portal acts as portal:<sub>; an anonymous topic is not given their id or name', async () => {
      const programme = await wuxiProgramme(db(), (c) => (((c.steps as Obj[])[0] as Obj).anonymous = true));
      const named = { ...topicSubmission(), by: { role: 'resident', id: 'r-claimed' } };
      assert.equal((await append(server(), programme, named, { token: PORTAL.token })).status, 403, 'a claimed id other than the subject is refused');
      const topic = { ...topicSubmission(), by: { role: 'resident' } };
      assert.equal((await append(server(), programme, topic, { token: PORTAL.token })).status, 201);
      const [joined] = await pullTopic(programme, topic.topicId, PEOPLE.admin.token);
      assert.deepEqual(joined!.by, { role: 'resident', id: 'portal:u-5521', name: '李桂兰' });

      const anonymous = { ...topicSubmission(), by: { role: 'resident' } };
      anonymous.event = { ...anonymous.event, anonymous: true, values: { ...(anonymous.event.values as Obj), name: undefined, phone: undefined, location: undefined } };
      const anonymousRes = await append(server(), programme, anonymous, { token: PORTAL.token });
      assert.equal(anonymousRes.status, 201, anonymousRes.text);
      const [joinedAnonymous] = await pullTopic(programme, anonymous.topicId, PEOPLE.admin.token);
      assert.deepEqual(joinedAnonymous!.by, { role: 'resident' }, 'nothing stamped on an anonymous topic (the machine refuses one that names its sender)');
      assert.ok(!JSON.stringify(joinedAnonymous).includes('李桂兰'));
    });

    it('without a token, a made-up by.id is replaced: the topic by its follow code\'s subject, and the rating with that code by the same id', async () => {
      const programme = await wuxiProgramme(db());
      const topic = { ...topicSubmission(), by: { role: 'resident', id: PEOPLE.admin.id, name: '王秀英' } };
      const raised = await append(server(), programme, topic, { token: undefined });
      assert.equal(raised.status, 201, raised.text);
      const code = String(raised.body?.followCode);
      const subject = subjectOf(code);
      assert.equal((raised.body?.entry as LogEntry).by.id, subject, 'the answer says the stamped id');

      // Up to the evaluation, then a rating with the code claiming to be someone else.
      for (const key of ['screeningAccept', 'researchComplete', 'meetingSchedule', 'meetingStart', 'meetingAdvanceToDeliberation', 'meetingAdvanceToInteraction', 'meetingAdvanceToResponse', 'meetingRecord', 'measureAdopt', 'measureDecline', 'measureProgress', 'measureImplement', 'feedbackPublish']) {
        const res = await append(server(), programme, step(key, topic.topicId, { role: 'admin' }), { token: PEOPLE.admin.token });
        assert.equal(res.status, 201, `${key}: ${res.text}`);
      }
      const rating = step('ratingSubmit', topic.topicId, { role: 'resident', id: 'r-made-up' });
      const rated = await append(server(), programme, rating, { token: undefined, headers: { 'follow-code': code } });
      assert.equal(rated.status, 201, rated.text);

      const entries = await pullTopic(programme, topic.topicId);
      assert.equal(entries[0]!.by.id, subject, 'the submitter');
      assert.equal(entries.at(-1)!.by.id, subject, 'the rater with the same code: the same id');
      assert.ok(entries.every((e) => e.by.id !== PEOPLE.admin.id || e.by.role === 'admin'), 'the claimed admin id is nowhere on a resident\'s entry');
      assert.ok(!JSON.stringify(entries).includes('r-made-up'));
      const [stored] = await db().query<{ by_actor: Obj }>('select by_actor from log_entry where programme_id = $1 and id = $2', [programme, topic.id]);
      assert.equal(stored?.by_actor.id, subject, 'the database holds the stamp too');
    });
  },
  { tokens },
);
