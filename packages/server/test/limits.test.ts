/**
 * Abuse limits (issue 16, point 8): resident writes per client address and per person, follow
 * code look-ups per address and wrong codes per topic from all addresses, counted in the
 * database so that several server processes share them; 429 with Retry-After, which the
 * store's transport turns into a retry at that time. And the done-when: a flood of 100
 * unverifiable ratings changes no figure.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LogEntry } from '@consult-kit/machine';
import { httpTransport } from '../../store/src/transports.js';
import { DEFAULTS, loadOptions, type AppOptions } from '../src/config.js';
import type { Db } from '../src/db/db.js';
import { append, call, DATABASES, PATHS, PEOPLE, perDatabase, serve, story, topicSubmission, wuxiProgramme, type Answer, type TestServer } from './helpers.js';

type Obj = Record<string, unknown>;

const STORY = story();
const step = (key: string, topicId: string, by: Obj = { role: 'admin' }): Obj => ({ ...structuredClone(STORY.find((s) => s.key === key)!.body), id: `e-${randomUUID()}`, topicId, by });
const ADMIN = { token: PEOPLE.admin.token };
const from = (address: string) => ({ 'x-forwarded-for': address });

/** A topic raised without a token and brought to its evaluation; its id and follow code. */
async function inEvaluation(server: TestServer, programme: string): Promise<{ topicId: string; code: string }> {
  const topic = topicSubmission();
  const raised = await append(server, programme, topic, { token: undefined, headers: from('10.9.9.9') });
  assert.equal(raised.status, 201, raised.text);
  for (const key of ['screeningAccept', 'researchComplete', 'meetingSchedule', 'meetingStart', 'meetingAdvanceToDeliberation', 'meetingAdvanceToInteraction', 'meetingAdvanceToResponse', 'meetingRecord', 'measureAdopt', 'measureDecline', 'measureProgress', 'measureImplement', 'feedbackPublish']) {
    const res = await append(server, programme, step(key, topic.topicId), ADMIN);
    assert.equal(res.status, 201, `${key}: ${res.text}`);
  }
  return { topicId: topic.topicId, code: String(raised.body?.followCode) };
}

/** A random code of the right shape (it matches no topic). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const randomCode = () => Array.from({ length: 12 }, () => ALPHABET[Math.floor(Math.random() * ALPHABET.length)]).join('');

/** Checks a 429: the problem type, a Retry-After of whole seconds within the window, and the same number in the detail. */
function assertRateLimited(res: Answer, windowSeconds: number, what: string): void {
  assert.equal(res.status, 429, `${what}: ${res.text}`);
  assert.equal(res.body?.type, '/problems/rate-limited', what);
  const retry = res.headers.get('retry-after');
  assert.match(String(retry), /^\d+$/, `${what}: Retry-After in seconds`);
  assert.ok(Number(retry) >= 1 && Number(retry) <= windowSeconds, `${what}: Retry-After ${retry} within the window`);
  assert.match(String(res.body?.detail), new RegExp(`try again in ${retry} seconds`), what);
}

const DEFAULT_LIMITS: Partial<AppOptions> = {
  residentLimit: { ...DEFAULTS.residentLimit },
  followLookupLimit: { ...DEFAULTS.followLookupLimit },
  trustProxy: true,
};

perDatabase(
  'abuse limits at their defaults',
  ({ db, server }) => {
    it('a flood of 100 unverifiable ratings changes no figure: each is refused with 401, 404 or 429', async () => {
      const programme = await wuxiProgramme(db());
      const target = await inEvaluation(server(), programme);
      const other = await append(server(), programme, topicSubmission(), { token: undefined, headers: from('10.9.9.8') });
      const otherCode = String(other.body?.followCode);
      const figures = async () => (await call(server(), `/api/programmes/${programme}/figures?now=2026-07-10T12:00:00%2B08:00`, { template: PATHS.figures })).body;
      const log = async () => (await call(server(), `/api/programmes/${programme}/topics/${target.topicId}/events`, { template: PATHS.topicEvents })).body?.entries as LogEntry[];
      const before = { figures: await figures(), log: await log() };

      const statuses: number[] = [];
      for (let i = 0; i < 100; i += 1) {
        const rating = { ...step('ratingSubmit', target.topicId, { role: 'resident', id: `r-made-up-${i}` }), event: { type: 'rating.submit', stars: i % 2 ? 1 : 5 } };
        // The first half from one address, the second from a new address each (a botnet).
        const headers: Record<string, string> = from(i < 50 ? '10.6.6.6' : `10.7.${Math.floor(i / 250)}.${i % 250}`);
        const kind = i % 4;
        if (kind === 1) headers['follow-code'] = randomCode();
        if (kind === 2) headers['follow-code'] = otherCode;
        if (kind === 3) headers.authorization = 'Bearer not-a-token-of-this-server';
        const res = await append(server(), programme, rating, { token: undefined, headers });
        statuses.push(res.status);
      }
      assert.deepEqual([...new Set(statuses)].filter((s) => ![401, 404, 429].includes(s)), [], 'every rating refused with 401, 404 or 429');
      assert.ok(statuses.includes(429), 'the limits cut the guessing short');
      assert.deepEqual(await figures(), before.figures, 'the figures are as before');
      assert.deepEqual(await log(), before.log, 'nothing was appended to the topic');

      // Wrong codes from many addresses lock the topic's codes for the window, the right one
      // too (a guesser must not tell a hit from a miss by the answer); other topics are not touched.
      const right = await append(server(), programme, step('ratingSubmit', target.topicId, { role: 'resident' }), { token: undefined, headers: { ...from('10.8.8.8'), 'follow-code': target.code } });
      assertRateLimited(right, DEFAULTS.followLimit.windowMs / 1000, 'the topic after the botnet');
      assert.match(String(right.body?.detail), /Too many wrong follow codes were tried for this topic/);
      const lookup = await call(server(), `/api/programmes/${programme}/follow/${otherCode}`, { template: PATHS.follow, headers: from('10.8.8.8') });
      assert.equal(lookup.status, 200, 'another topic\'s code still works');
    });

    it('a flood of look-ups gets 429 with Retry-After: wrong codes after 10, every look-up after 100 from one client', async () => {
      const programme = await wuxiProgramme(db());
      const raised = await append(server(), programme, topicSubmission(), { token: undefined, headers: from('10.5.5.1') });
      const code = String(raised.body?.followCode);
      const look = (c: string, address: string) => call(server(), `/api/programmes/${programme}/follow/${c}`, { template: PATHS.follow, headers: from(address) });

      const wrong: number[] = [];
      for (let i = 0; i < 12; i += 1) wrong.push((await look(randomCode(), '10.5.5.2')).status);
      assert.deepEqual(wrong, [...Array(10).fill(404), 429, 429], 'the failed look-ups per client');
      assertRateLimited(await look(code, '10.5.5.2'), DEFAULTS.followLimit.windowMs / 1000, 'even the right code, from that client');

      const right: number[] = [];
      for (let i = 0; i < DEFAULTS.followLookupLimit.perAddress + 1; i += 1) right.push((await look(code, '10.5.5.3')).status);
      assert.deepEqual(right.slice(0, -1), Array(DEFAULTS.followLookupLimit.perAddress).fill(200));
      assertRateLimited(await look(code, '10.5.5.3'), DEFAULTS.followLimit.windowMs / 1000, 'every look-up per client');
      assert.equal((await look(code, '10.5.5.4')).status, 200, 'another client is not held back');
    });

    it('the counters hold no address, subject or code in the clear', async () => {
      const rows = JSON.stringify(await db().query('select * from rate_counter'));
      assert.ok(rows.length > 2, 'there are counters');
      for (const clear of ['10.6.6.6', '10.5.5.3', '127.0.0.1', PEOPLE.resident.id, 'follow:']) assert.ok(!rows.includes(clear), `rate_counter holds ${clear}`);
    });
  },
  DEFAULT_LIMITS,
);

/** Small limits, so the tests reach them quickly: 3 writes per person, 5 per address, in 10 minutes. */
const SMALL: Partial<AppOptions> = { residentLimit: { perIdentity: 3, perAddress: 5, windowMs: 600_000 }, followLookupLimit: { ...DEFAULTS.followLookupLimit }, trustProxy: true };

perDatabase(
  'resident write limits',
  ({ db, server }) => {
    it('per client address: the sixth topic from one address is 429; another address may still write, and staff are not counted', async () => {
      const programme = await wuxiProgramme(db());
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await append(server(), programme, topicSubmission(), { token: undefined, headers: from('10.1.1.1') })).status);
      assert.deepEqual(statuses, [201, 201, 201, 201, 201]);
      assertRateLimited(await append(server(), programme, topicSubmission(), { token: undefined, headers: from('10.1.1.1') }), 600, 'the sixth');
      assert.equal((await append(server(), programme, topicSubmission(), { token: undefined, headers: from('10.1.1.2') })).status, 201);
      const grid = { ...topicSubmission(), by: { role: 'grid' } };
      grid.event = { ...grid.event, source: 'grid' };
      assert.equal((await append(server(), programme, grid, { token: PEOPLE.grid.token, headers: from('10.1.1.1') })).status, 201, 'a grid worker\'s casework is not a resident write');
    });

    it('per person: a resident\'s fourth write is 429 from any address', async () => {
      const programme = await wuxiProgramme(db());
      const send = (address: string) => append(server(), programme, { ...topicSubmission(), by: { role: 'resident' } }, { token: PEOPLE.resident.token, headers: from(address) });
      for (const address of ['10.2.0.1', '10.2.0.2', '10.2.0.3']) assert.equal((await send(address)).status, 201, address);
      const fourth = await send('10.2.0.4');
      assertRateLimited(fourth, 600, 'the fourth, from a fresh address');
      assert.match(String(fourth.body?.detail), /Too many resident writes by this person: 3 per 10 minutes are allowed/);
    });

    it('per follow code: what a code sends counts for its subject, from any address', async () => {
      const programme = await wuxiProgramme(db());
      const { topicId, code } = await inEvaluation(server(), programme);
      const rate = (address: string) => append(server(), programme, step('ratingSubmit', topicId, { role: 'resident' }), { token: undefined, headers: { ...from(address), 'follow-code': code } });
      const first = await rate('10.3.0.1');
      assert.equal(first.status, 201, first.text);
      for (const address of ['10.3.0.2', '10.3.0.3']) assert.notEqual((await rate(address)).status, 429, address);
      assertRateLimited(await rate('10.3.0.4'), 600, 'the fourth with the same code');
    });
  },
  SMALL,
);

describe('limits across processes', () => {
  for (const database of DATABASES) {
    it(`two server processes on one database share the counters (${database.name})`, async () => {
      const db: Db = await database.open();
      const one = await serve(db, SMALL);
      const two = await serve(db, SMALL);
      try {
        const programme = await wuxiProgramme(db);
        const send = (server: TestServer) => append(server, programme, { ...topicSubmission(), by: { role: 'resident' } }, { token: PEOPLE.resident.token, headers: from('10.4.0.1') });
        assert.deepEqual([(await send(one)).status, (await send(two)).status, (await send(one)).status], [201, 201, 201]);
        assertRateLimited(await send(two), 600, 'the fourth, on the other process');
      } finally {
        await one.close();
        await two.close();
        await db.close();
      }
    });
  }
});

describe('the store and a 429', () => {
  for (const database of DATABASES) {
    it(`the http transport reads the server's 429 as a retry no sooner than Retry-After (${database.name})`, async () => {
      const db: Db = await database.open();
      const server = await serve(db, { residentLimit: { perIdentity: 1, perAddress: 100, windowMs: 600_000 } });
      try {
        const programme = await wuxiProgramme(db);
        const transport = httpTransport({ endpoint: `${server.url}/api`, programmeId: programme, token: () => PEOPLE.resident.token });
        const outbox = (topicId: string) => {
          const entry = { ...topicSubmission(), topicId, by: { role: 'resident' as const } };
          return { id: entry.id, programmeId: programme, localSeq: 1, entry: entry as unknown as Omit<LogEntry, 'seq'>, createdAt: new Date().toISOString(), attempts: 0, notBefore: 0, state: 'pending' as const };
        };
        assert.equal((await transport.send(outbox(`tp-${randomUUID()}`))).kind, 'ok');
        const limited = await transport.send(outbox(`tp-${randomUUID()}`));
        assert.equal(limited.kind, 'retry', 'kept to send again, not a conflict');
        const wait = limited.kind === 'retry' ? limited.retryAfterMs : undefined;
        assert.ok(wait !== undefined && wait >= 1000 && wait <= 600_000, `retry after the server's Retry-After (${wait} ms)`);
      } finally {
        await server.close();
        await db.close();
      }
    });
  }
});

describe('limit settings', () => {
  it('have the documented defaults, flags and variables, and refuse what is not a number', () => {
    const defaults = loadOptions([], {});
    assert.deepEqual(defaults.residentLimit, { perIdentity: 20, perAddress: 120, windowMs: 600_000 });
    assert.deepEqual(defaults.followLookupLimit, { perAddress: 100, perTopicFailures: 30 });
    const set = loadOptions(['--resident-writes', '5', '--resident-address-writes', '50', '--resident-window', '60', '--follow-lookups', '7'], { CONSULT_FOLLOW_TOPIC_FAILURES: '9' });
    assert.deepEqual(set.residentLimit, { perIdentity: 5, perAddress: 50, windowMs: 60_000 });
    assert.deepEqual(set.followLookupLimit, { perAddress: 7, perTopicFailures: 9 });
    assert.throws(() => loadOptions(['--resident-writes', 'many'], {}), /--resident-writes \/ CONSULT_RESIDENT_WRITES must be a whole number from 1 to 1000000; got "many"/);
  });
});
