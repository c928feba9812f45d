/**
 * Personal data apart from the log (docs/privacy.md): what is stored where, who pulls what, the
 * per-topic pull, follow codes (lookup, limit, acting with one), withdrawal, erasure and export.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { append, call, PATHS, PEOPLE, perDatabase, serve, story, topicSubmission, wuxiProgramme, type StoryStep } from './helpers.js';

type Obj = Record<string, unknown>;
type Entry = Obj & { id: string; topicId: string; seq: number; event: Obj; by: Obj; redacted?: string[] };
type Page = { entries: Entry[]; cursor: string; more: boolean };

const REDACTED = { redacted: true };

/** A resident's topic with values no other test uses. */
function uniqueTopic(): StoryStep['body'] & { unique: { name: string; phone: string; location: string } } {
  const tag = randomUUID().slice(0, 8);
  const unique = { name: `居民${tag}`, phone: `139${String(Number.parseInt(tag, 16) % 100_000_000).padStart(8, '0')}`, location: `幸福里${tag}号楼` };
  const body = topicSubmission();
  body.event = { ...body.event, values: { ...(body.event.values as Obj), name: unique.name, phone: unique.phone, location: unique.location } };
  body.by = { role: 'resident', id: `r-${tag}`, name: unique.name };
  // Not sent: a property JSON and spreads leave out.
  return Object.defineProperty(body, 'unique', { value: unique, enumerable: false }) as ReturnType<typeof uniqueTopic>;
}

perDatabase('personal data', ({ db, server }) => {
  const steps = story().filter((s) => !s.alternative);
  /** The story's events from `from` up to (not including) `until`, for another topic. */
  const storyPart = (topicId: string, until: string, from = 'screeningAccept') => {
    const start = steps.findIndex((s) => s.key === from);
    const end = steps.findIndex((s) => s.key === until);
    return steps.slice(start, end).map(({ body }) => ({ ...structuredClone(body), id: `${body.id}-${topicId}`, topicId }));
  };
  const pull = async (programme: string, token?: string, query = '') => {
    const res = await call(server(), `/api/programmes/${programme}/events${query}`, { template: PATHS.events, ...(token ? { token } : {}) });
    assert.equal(res.status, 200, res.text);
    return res.body as Page;
  };
  const topicPull = async (programme: string, topicId: string, token?: string, query = '') => {
    const res = await call(server(), `/api/programmes/${programme}/topics/${topicId}/events${query}`, { template: PATHS.topicEvents, ...(token ? { token } : {}) });
    assert.equal(res.status, 200, res.text);
    return res.body as Page;
  };
  const follow = (programme: string, code: string, headers: Record<string, string> = {}) =>
    call(server(), `/api/programmes/${programme}/follow/${encodeURIComponent(code)}`, { template: PATHS.follow, headers });

  it('stores the entry redacted and the personal values apart: nothing personal in log_entry or the stored answer', async () => {
    const programme = await wuxiProgramme(db());
    const topic = uniqueTopic();
    const res = await append(server(), programme, topic, { token: undefined });
    assert.equal(res.status, 201, res.text);
    const entry = (res.body as { entry: Entry }).entry;
    assert.deepEqual(entry.redacted, ['/by/name', '/event/values/location', '/event/values/name', '/event/values/phone']);
    assert.deepEqual((entry.event.values as Obj).phone, REDACTED);
    assert.equal(entry.by.name, undefined);
    assert.equal((entry.event.values as Obj).title, (topic.event.values as Obj).title, 'what is not personal stays');

    const rows = JSON.stringify(await db().query('select * from log_entry where programme_id = $1', [programme]));
    const keys = JSON.stringify(await db().query('select * from idempotency_key where programme_id = $1', [programme]));
    for (const value of Object.values(topic.unique)) {
      assert.ok(!rows.includes(value), `log_entry holds ${value}`);
      assert.ok(!keys.includes(value), `idempotency_key holds ${value}`);
    }
    const [kept] = await db().query<{ vals: Obj; subject_id: string }>('select vals, subject_id from personal_value where programme_id = $1', [programme]);
    assert.deepEqual(kept?.vals, {
      '/by/name': topic.unique.name,
      '/event/values/location': topic.unique.location,
      '/event/values/name': topic.unique.name,
      '/event/values/phone': topic.unique.phone,
    });
    // Without a token the claimed by.id is not trusted: the server stamps the follow code's subject.
    assert.match(String(entry.by.id), /^follow:[0-9a-f]{16}$/);
    assert.equal(kept?.subject_id, entry.by.id);
  });

  it('pulls redacted for anyone and for roles outside personalDataRoles, joined for convener, grid and admin', async () => {
    const programme = await wuxiProgramme(db());
    const topic = uniqueTopic();
    const stamped = ((await append(server(), programme, topic, { token: undefined })).body as { entry: Entry }).entry.by.id;
    for (const token of [undefined, PEOPLE.resident.token, PEOPLE.department.token, PEOPLE.member.token]) {
      const [entry] = (await pull(programme, token)).entries;
      assert.deepEqual((entry!.event.values as Obj).phone, REDACTED, `redacted for ${token ?? 'no token'}`);
      assert.ok(!JSON.stringify(entry).includes(topic.unique.phone));
    }
    for (const token of [PEOPLE.convener.token, PEOPLE.grid.token, PEOPLE.admin.token]) {
      const [entry] = (await pull(programme, token)).entries;
      assert.ok(Math.abs(Date.parse(String(entry!.receivedAt)) - Date.now()) < 60_000, 'received just now, by the server\'s clock');
      assert.deepEqual(entry, { ...topic, by: { ...topic.by, id: stamped }, seq: 1, receivedAt: entry!.receivedAt }, `joined for ${token}: the event as sent, by.id stamped by the server, with when it was received`);
    }
  });

  it('a programme that names other roles in personalDataRoles joins for them only', async () => {
    const programme = await wuxiProgramme(db(), (c) => (c.personalDataRoles = ['department']));
    await append(server(), programme, uniqueTopic(), { token: undefined });
    assert.equal(((await pull(programme, PEOPLE.department.token)).entries[0]!.event.values as Obj).phone !== undefined, true);
    assert.equal((await pull(programme, PEOPLE.department.token)).entries[0]!.redacted, undefined, 'department: joined');
    assert.ok((await pull(programme, PEOPLE.convener.token)).entries[0]!.redacted, 'convener: redacted');
  });

  it('names of resident participants are redacted unless they chose to be named; officials stay named', async () => {
    const programme = await wuxiProgramme(db());
    const topicId = `tp-${randomUUID()}`;
    assert.equal((await append(server(), programme, { ...topicSubmission(topicId) })).status, 201);
    const [accept, research, schedule] = storyPart(topicId, 'meetingStart');
    const participants = schedule!.event.participants as Obj[];
    participants[0] = { ...participants[0], named: true };
    for (const body of [accept, research, schedule]) assert.equal((await append(server(), programme, body)).status, 201);
    const logged = (await topicPull(programme, topicId)).entries.at(-1)!;
    const names = (logged.event.participants as Obj[]).map((p) => p.name);
    assert.equal(names[0], participants[0]!.name, 'the resident who chose to be named');
    assert.deepEqual(names[1], REDACTED, 'the residents\' representative');
    assert.deepEqual(logged.redacted, ['/event/participants/1/name']);
    assert.deepEqual(names.slice(2), participants.slice(2).map((p) => p.name), 'officials');
    const joined = (await topicPull(programme, topicId, PEOPLE.convener.token)).entries.at(-1)!;
    assert.deepEqual(joined.event.participants, participants);
  });

  it('the per-topic pull gives only that topic\'s entries (a merged topic only its own), paged by the programme\'s seq', async () => {
    const programme = await wuxiProgramme(db());
    const [a, b] = [topicSubmission(), topicSubmission()];
    for (const body of [a, b]) assert.equal((await append(server(), programme, body)).status, 201);
    const merge = { id: `e-${randomUUID()}`, topicId: b.topicId, event: { type: 'screening.merge', into: a.topicId }, by: { role: 'convener', id: PEOPLE.convener.id }, at: '2026-03-04T10:00:00+08:00' };
    assert.equal((await append(server(), programme, merge)).status, 201);
    const own = await topicPull(programme, a.topicId);
    assert.deepEqual(own.entries.map((e) => e.seq), [1]);
    assert.equal(own.cursor, '1');
    const merged = await topicPull(programme, b.topicId);
    assert.deepEqual(merged.entries.map((e) => [e.seq, e.event.type]), [[2, 'topic.submit'], [3, 'screening.merge']]);
    const paged = await topicPull(programme, b.topicId, undefined, '?limit=1');
    assert.deepEqual([paged.entries.map((e) => e.seq), paged.cursor, paged.more], [[2], '2', true]);
    const rest = await topicPull(programme, b.topicId, undefined, `?after=${paged.cursor}`);
    assert.deepEqual([rest.entries.map((e) => e.seq), rest.cursor, rest.more], [[3], '3', false]);
    const none = await topicPull(programme, a.topicId, undefined, '?after=3');
    assert.deepEqual(none, { entries: [], cursor: '3', more: false });

    const unknown = await call(server(), `/api/programmes/${programme}/topics/tp-nobody/events`, { template: PATHS.topicEvents });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body?.type, '/problems/unknown-topic');
    const badCursor = await call(server(), `/api/programmes/${programme}/topics/${a.topicId}/events?after=99`, { template: PATHS.topicEvents });
    assert.equal(badCursor.body?.type, '/problems/invalid-cursor');
  });

  it('a submission holding the redaction marker itself is refused (400, with the pointer)', async () => {
    const programme = await wuxiProgramme(db());
    const body = topicSubmission();
    body.event = { ...body.event, values: { ...(body.event.values as Obj), phone: { redacted: true } } };
    const res = await append(server(), programme, body);
    assert.equal(res.status, 400);
    assert.equal(res.body?.type, '/problems/invalid-request');
    assert.deepEqual((res.body?.errors as Obj[]).map((e) => e.pointer), ['/event/values/phone']);
    assert.equal((await pull(programme)).entries.length, 0);
  });

  it('a topic.submit answers its follow code, the same on a replay; the code finds the topic (any case, spaces), a wrong one is 404', async () => {
    const programme = await wuxiProgramme(db());
    const topic = uniqueTopic();
    const first = await append(server(), programme, topic, { token: undefined });
    const code = String(first.body?.followCode);
    assert.match(code, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    const again = await append(server(), programme, topic, { token: undefined });
    assert.equal(again.status, 200);
    assert.equal(again.body?.followCode, code);
    const other = await append(server(), programme, topicSubmission(), { token: undefined });
    assert.notEqual(other.body?.followCode, code, 'each topic its own code');

    const stored = JSON.stringify(await db().query('select * from follow_code where programme_id = $1', [programme]));
    assert.ok(!stored.includes(code.replace(/-/g, '')) && !stored.includes(code), 'only a hash is kept');

    for (const typed of [code, code.toLowerCase(), code.replace(/-/g, ' '), code.replace(/-/g, '')]) {
      const found = await follow(programme, typed);
      assert.equal(found.status, 200, typed);
      assert.deepEqual(found.body, { programmeId: programme, topicId: topic.topicId });
      assert.equal(found.headers.get('cache-control'), 'no-store');
    }
    const wrong = await follow(programme, 'ABCD-EFGH-JKMN');
    assert.equal(wrong.status, 404);
    assert.equal(wrong.body?.type, '/problems/follow-code-not-found');
    const malformed = await follow(programme, 'O0O0-1111-IIII');
    assert.equal(malformed.status, 404);
    assert.match(String(malformed.body?.detail), /without 0, O, 1, I or L/);
    assert.equal((await follow('nowhere', code)).body?.type, '/problems/unknown-programme');
  });

  it('wrong codes are limited per client: 429 with Retry-After, also for a right code, until the window passes', async () => {
    const limited = await serve(db(), { followLimit: { max: 3, windowMs: 600_000 } });
    try {
      // This client's wrong codes of the tests before (same database, same address) do not count here.
      await db().query('delete from follow_failure');
      const programme = await wuxiProgramme(db());
      const code = String((await append(limited, programme, topicSubmission(), { token: undefined })).body?.followCode);
      for (let i = 0; i < 3; i += 1) assert.equal((await call(limited, `/api/programmes/${programme}/follow/ZZZZ-ZZZZ-ZZZ${i + 2}`, { template: PATHS.follow })).status, 404);
      for (const tried of ['ZZZZ-ZZZZ-ZZZZ', code]) {
        const res = await call(limited, `/api/programmes/${programme}/follow/${tried}`, { template: PATHS.follow });
        assert.equal(res.status, 429, tried);
        assert.equal(res.body?.type, '/problems/rate-limited');
        const retry = Number(res.headers.get('retry-after'));
        assert.ok(retry > 0 && retry <= 600, `Retry-After ${retry}`);
      }
      // Once the failures are older than the window, the client may try again.
      await db().query(`update follow_failure set at = now() - interval '11 minutes'`);
      assert.equal((await call(limited, `/api/programmes/${programme}/follow/${code}`, { template: PATHS.follow })).status, 200);
      const [{ clients }] = (await db().query<{ clients: number }>('select count(distinct client)::int as clients from follow_failure')) as [{ clients: number }];
      const stored = JSON.stringify(await db().query('select client from follow_failure'));
      assert.ok(clients >= 1 && !stored.includes('127.0.0.1'), 'the address itself is not stored');
    } finally {
      await limited.close();
    }
  });

  it('rating without a token needs the follow code; with it by.id is the code\'s subject, so one code rates once', async () => {
    const programme = await wuxiProgramme(db());
    const topicId = `tp-${randomUUID()}`;
    const submit = await append(server(), programme, topicSubmission(topicId));
    const code = String(submit.body?.followCode);
    for (const body of storyPart(topicId, 'ratingSubmit')) assert.equal((await append(server(), programme, body)).status, 201, `${String(body.event.type)}`);
    const rating = { id: `rate-${randomUUID()}`, topicId, event: { type: 'rating.submit', stars: 4 }, by: { role: 'resident' }, at: '2026-07-02T20:10:00+08:00' };

    const bare = await append(server(), programme, rating, { token: undefined });
    assert.equal(bare.status, 401);
    assert.match(String(bare.body?.detail), /Follow-Code/);
    const otherCode = String((await append(server(), programme, topicSubmission(), { token: undefined })).body?.followCode);
    const wrong = await append(server(), programme, rating, { token: undefined, headers: { 'follow-code': otherCode } });
    assert.equal(wrong.status, 404, 'a code of another topic');
    assert.equal(wrong.body?.type, '/problems/follow-code-not-found');

    const rated = await append(server(), programme, rating, { token: undefined, headers: { 'follow-code': code.toLowerCase() } });
    assert.equal(rated.status, 201, rated.text);
    assert.match(String((rated.body as { entry: Entry }).entry.by.id), /^follow:[0-9a-f]{16}$/);
    const twice = await append(server(), programme, { ...rating, id: `rate-${randomUUID()}`, event: { type: 'rating.submit', stars: 1 } }, { token: undefined, headers: { 'follow-code': code } });
    assert.equal(twice.status, 422);
    assert.equal((twice.body?.refusal as Obj).code, 'already-rated');
  });

  it('a resident withdraws their topic with its code during screening; not after it is accepted, not with a stranger\'s token', async () => {
    const programme = await wuxiProgramme(db());
    const withdrawal = (topicId: string) => ({ id: `w-${randomUUID()}`, topicId, event: { type: 'topic.withdraw', reason: '已自行解决' }, by: { role: 'resident' }, at: '2026-03-03T09:00:00+08:00' });

    const mine = topicSubmission();
    const code = String((await append(server(), programme, mine, { token: undefined })).body?.followCode);
    assert.equal((await append(server(), programme, withdrawal(mine.topicId), { token: undefined })).status, 401);
    const stranger = await append(server(), programme, { ...withdrawal(mine.topicId), by: { role: 'resident', id: 'r-other' } }, { token: 'tok-resident-r10086-eeeeeeeee' });
    assert.equal(stranger.status, 403, 'by.id of another subject');
    const done = await append(server(), programme, withdrawal(mine.topicId), { token: undefined, headers: { 'follow-code': code } });
    assert.equal(done.status, 201, done.text);
    const figures = await call(server(), `/api/programmes/${programme}/figures`, { template: PATHS.figures });
    assert.deepEqual(figures.body?.topicsByStage, { withdrawn: 1 });

    // A token's subject may withdraw a topic it raised, not someone else's.
    const raisedByResident = topicSubmission();
    assert.equal((await append(server(), programme, raisedByResident)).status, 201);
    const byGrid = { ...withdrawal(raisedByResident.topicId), by: { role: 'grid', id: PEOPLE.grid.id } };
    const gridRes = await append(server(), programme, byGrid, { token: PEOPLE.grid.token });
    assert.equal(gridRes.status, 403);
    assert.match(String(gridRes.body?.detail), /Only whoever raised the topic/);
    assert.equal((await append(server(), programme, { ...withdrawal(raisedByResident.topicId), by: { role: 'resident', id: PEOPLE.resident.id } }, { token: PEOPLE.resident.token })).status, 201);

    const accepted = topicSubmission();
    const acceptedCode = String((await append(server(), programme, accepted, { token: undefined })).body?.followCode);
    assert.equal((await append(server(), programme, storyPart(accepted.topicId, 'researchComplete')[0]!)).status, 201);
    const late = await append(server(), programme, withdrawal(accepted.topicId), { token: undefined, headers: { 'follow-code': acceptedCode } });
    assert.equal(late.status, 422);
    assert.equal(late.body?.type, '/problems/event-refused');
    assert.deepEqual((await topicPull(programme, accepted.topicId)).entries.map((e) => e.event.type), ['topic.submit', 'screening.accept'], 'nothing changed');
  });

  it('erasure and export are for admins only: 401 without a token, 403 for a convener', async () => {
    const programme = await wuxiProgramme(db());
    const topic = topicSubmission();
    await append(server(), programme, topic);
    const erase = (token?: string) => call(server(), `/api/programmes/${programme}/erasures`, { template: PATHS.erasures, body: { topicId: topic.topicId }, key: null, ...(token ? { token } : {}) });
    assert.equal((await erase()).status, 401);
    assert.equal((await erase(PEOPLE.convener.token)).status, 403);
    const exported = (token?: string) => call(server(), `/api/programmes/${programme}/exports?topicId=${topic.topicId}`, { template: PATHS.exports, ...(token ? { token } : {}) });
    assert.equal((await exported()).status, 401);
    assert.equal((await exported(PEOPLE.grid.token)).status, 403);
    assert.equal((await pull(programme, PEOPLE.convener.token)).entries[0]!.redacted, undefined, 'nothing was erased');
  });

  it('erasing a topic deletes its personal values: joined pulls show the marker, the code is revoked, the log replays; twice is 409', async () => {
    const programme = await wuxiProgramme(db());
    const topic = uniqueTopic();
    const code = String((await append(server(), programme, topic, { token: undefined })).body?.followCode);
    const keep = uniqueTopic();
    await append(server(), programme, keep, { token: undefined });
    const before = await call(server(), `/api/programmes/${programme}/figures`, { template: PATHS.figures });

    const res = await call(server(), `/api/programmes/${programme}/erasures`, { template: PATHS.erasures, body: { topicId: topic.topicId }, key: null, token: PEOPLE.admin.token });
    assert.equal(res.status, 200, res.text);
    const erasure = (res.body as { erasure: Obj }).erasure;
    assert.deepEqual([erasure.entries, erasure.topics], [1, [topic.topicId]]);
    assert.match(String(erasure.id), /^er-/);

    for (const token of [PEOPLE.convener.token, PEOPLE.admin.token]) {
      const [erased, kept] = (await pull(programme, token)).entries;
      assert.deepEqual((erased!.event.values as Obj).phone, REDACTED, 'erased: the marker, joined or not');
      assert.deepEqual(erased!.redacted, ['/by/name', '/event/values/location', '/event/values/name', '/event/values/phone']);
      assert.equal((kept!.event.values as Obj).phone, keep.unique.phone, 'another topic is untouched');
    }
    const everything = JSON.stringify(await db().query('select * from personal_value')) + JSON.stringify(await db().query('select * from erasure'));
    for (const value of Object.values(topic.unique)) assert.ok(!everything.includes(value), `${value} is gone`);
    assert.deepEqual((await call(server(), `/api/programmes/${programme}/figures`, { template: PATHS.figures })).body, before.body, 'the log replays as before');

    const revoked = await follow(programme, code);
    assert.equal(revoked.status, 403);
    assert.equal(revoked.body?.type, '/problems/follow-code-revoked');

    const twice = await call(server(), `/api/programmes/${programme}/erasures`, { template: PATHS.erasures, body: { topicId: topic.topicId }, key: null, token: PEOPLE.admin.token });
    assert.equal(twice.status, 409);
    assert.equal(twice.body?.type, '/problems/already-erased');
    const unknown = await call(server(), `/api/programmes/${programme}/erasures`, { template: PATHS.erasures, body: { topicId: 'tp-nobody' }, key: null, token: PEOPLE.admin.token });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body?.type, '/problems/nothing-to-erase');
    assert.equal((await db().query('select 1 from erasure where programme_id = $1', [programme])).length, 1, 'failures record nothing');
  });

  it('erasing by a value or a subject takes that person\'s values only; bad bodies are 400', async () => {
    const programme = await wuxiProgramme(db());
    const [a, b] = [uniqueTopic(), uniqueTopic()];
    const stamped: string[] = [];
    for (const t of [a, b]) stamped.push(String(((await append(server(), programme, t, { token: undefined })).body as { entry: Entry }).entry.by.id));
    const erase = (body: unknown) => call(server(), `/api/programmes/${programme}/erasures`, { template: PATHS.erasures, body, key: null, token: PEOPLE.admin.token });

    for (const bad of [{}, { topicId: 'x', value: 'y' }, { value: '  ' }, { phone: a.unique.phone }, []]) {
      const res = await erase(bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(res.body?.type, '/problems/invalid-request');
    }
    const byValue = await erase({ value: a.unique.phone });
    assert.equal(byValue.status, 200, byValue.text);
    assert.deepEqual((byValue.body as { erasure: Obj }).erasure.topics, [a.topicId]);
    assert.equal((await erase({ value: a.unique.phone })).status, 404, 'the value is gone');

    const bySubject = await erase({ subjectId: stamped[1] });
    assert.equal(bySubject.status, 200, bySubject.text);
    assert.equal((await erase({ subjectId: stamped[1] })).status, 409);
    const joined = (await pull(programme, PEOPLE.convener.token)).entries;
    assert.ok(joined.every((e) => (e.event.values as Obj).phone !== undefined && JSON.stringify((e.event.values as Obj).phone) === JSON.stringify(REDACTED)));
  });

  it('an export holds the entries joined, the follow code\'s status and the erasures; nothing held is an empty export', async () => {
    const programme = await wuxiProgramme(db());
    const topic = uniqueTopic();
    const stamped = String(((await append(server(), programme, topic, { token: undefined })).body as { entry: Entry }).entry.by.id);
    const exported = async (query: string) => {
      const res = await call(server(), `/api/programmes/${programme}/exports?${query}`, { template: PATHS.exports, token: PEOPLE.admin.token });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      return res.body as { entries: Entry[]; followCodes: Obj[]; erasures: Obj[]; query: Obj };
    };
    for (const query of [`topicId=${topic.topicId}`, `subjectId=${stamped}`, `value=${encodeURIComponent(topic.unique.phone)}`]) {
      const got = await exported(query);
      assert.equal(got.entries.length, 1, query);
      assert.equal((got.entries[0]!.event.values as Obj).phone, topic.unique.phone);
      assert.equal(got.entries[0]!.by.name, topic.unique.name);
      assert.ok(!Number.isNaN(Date.parse(String(got.entries[0]!.receivedAt))), `${query}: the export says when the server received the entry`);
      assert.deepEqual(got.followCodes.map((c) => [c.topicId, c.revokedAt]), [[topic.topicId, null]]);
    }
    assert.deepEqual((await exported('value=nobody-has-this')).entries, []);
    const bad = await call(server(), `/api/programmes/${programme}/exports`, { template: PATHS.exports, token: PEOPLE.admin.token });
    assert.equal(bad.status, 400);

    await call(server(), `/api/programmes/${programme}/erasures`, { body: { topicId: topic.topicId }, key: null, token: PEOPLE.admin.token });
    const after = await exported(`topicId=${topic.topicId}`);
    assert.deepEqual((after.entries[0]!.event.values as Obj).phone, REDACTED);
    assert.equal(after.erasures.length, 1);
    assert.equal(after.erasures[0]!.kind, 'topic');
    assert.ok(after.followCodes[0]!.revokedAt !== null);
  });
});
