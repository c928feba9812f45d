/**
 * Residents following their own topic, in real Chromium with real IndexedDB: "my topics" on the
 * device, follow codes, the per-topic pull, redacted entries, and acting on a topic by its code.
 * The server here is `ContractFake` (helpers.ts), a mock of the contract behind `fetch`, so the
 * tests can script 403/404/429; the same path runs against the real server in real-server.test.ts.
 */
import { expect } from '@esm-bundle/chai';
import { isRedacted, replay, stateName, type LogEntry, type TopicEvent, type WorkflowConfig } from '@consult-kit/machine';
import { openStore, httpTransport, type ConsultStore, type StoreOptions } from '../src/index.js';
import { accept, at, ContractFake, dbName, exampleConfig, personalSubmit, submit, waitFor } from './helpers.js';

const http = { type: 'http' as const, endpoint: '/api' };

async function setUp(label: string, options: Partial<StoreOptions> & { token?: () => string | undefined } = {}) {
  const config = await exampleConfig('wuxi-community', http);
  const server = new ContractFake(config);
  const transport = httpTransport({ endpoint: '/api', programmeId: config.id, fetch: server.fetch, ...(options.token ? { token: options.token } : {}) });
  const name = dbName(label);
  const open = (more: Partial<StoreOptions> = {}) => openStore({ config, transport, dbName: name, pullIntervalMs: 0, ...options, ...more });
  return { config, server, transport, name, open };
}

const valuesOf = (entry: LogEntry | undefined) => (entry?.event as { values?: Record<string, unknown> } | undefined)?.values ?? {};
const withdraw = (reason?: string): TopicEvent => ({ type: 'topic.withdraw', ...(reason ? { reason } : {}), by: { role: 'resident' }, at: at() });

/** A topic raised on "another device" straight on the server, and its follow code. */
function raisedElsewhere(server: ContractFake, topicId: string, event = personalSubmit()): string {
  server.external(topicId, event);
  return server.codeOf(topicId)!;
}

describe('my topics on this device', () => {
  it('a submitted topic is listed at once, gets its follow code from the server, and keeps the resident’s own phone', async () => {
    const { server, open } = await setUp('raised');
    const store = await open();
    let notified = 0;
    store.subscribe(() => (notified += 1));
    const before = notified;
    const result = await store.append('t-lamp', personalSubmit('路灯不亮了', '王先生', '13900002222'));
    expect(result.ok).to.equal(true);
    // Listed as soon as it is saved here, before the server has answered.
    expect(store.followedTopics.map((f) => [f.topicId, f.raisedHere])).to.deep.equal([['t-lamp', true]]);
    expect(notified).to.be.above(before, 'subscribers heard of it');
    await waitFor(() => store.status.pending === 0, 'the topic to be sent');
    const code = server.codeOf('t-lamp')!;
    expect(store.followedTopics[0]!.followCode).to.equal(`${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`);
    // The server answered the entry redacted; this device keeps what the resident typed.
    expect(isRedacted(valuesOf(server.log[0]).phone)).to.equal(true, 'the server log is redacted');
    expect(valuesOf(store.log[0])).to.include({ name: '王先生', phone: '13900002222' });
    expect(store.log[0]!.redacted).to.equal(undefined);
    expect(store.log[0]!.seq).to.equal(1);
    // The whole log pulled: the topic says when it was last brought up to date.
    await store.sync();
    expect(store.followedTopics[0]!.pulledAt).to.be.a('string');
    store.close();

    const again = await open();
    expect(again.followedTopics.map((f) => f.followCode)).to.deep.equal([store.followedTopics[0]!.followCode]);
    expect(valuesOf(again.log[0]).phone).to.equal('13900002222', 'kept in IndexedDB');
    again.close();
  });

  it('the local transport lists raised topics too (no code: there is no server to give one)', async () => {
    const config = await exampleConfig('wuxi-community');
    const store = await openStore({ config, dbName: dbName('local-raised') });
    await store.append('t1', submit('第一个议题'));
    await new Promise((r) => setTimeout(r, 5));
    await store.append('t2', submit('第二个议题'));
    expect(store.followedTopics.map((f) => f.topicId)).to.deep.equal(['t2', 't1'], 'newest first');
    expect(store.followedTopics.every((f) => f.raisedHere && f.followCode === undefined)).to.equal(true);
    expect((await store.follow('K7QM-3XPA-9DRT')).ok).to.equal(false);
    expect(await store.follow('K7QM-3XPA-9DRT')).to.deep.equal({ ok: false, reason: 'not-found' });
    store.close();
  });

  it('another tab sees the list change', async () => {
    const { open } = await setUp('tabs');
    const [a, b] = await Promise.all([open(), open()]);
    await a.append('t-tab', personalSubmit());
    await waitFor(() => b.followedTopics.some((f) => f.topicId === 't-tab'), 'the other tab to list the topic');
    a.close();
    b.close();
  });
});

describe('follow by code', () => {
  it('a malformed code is invalid without asking the server', async () => {
    const { server, open } = await setUp('invalid');
    const store = await open({ pullScope: 'followed' });
    await store.sync();
    const before = server.requests.length;
    for (const code of ['', 'K7QM-3XPA', 'K0QM-3XPA-9DRT', 'not a code at all']) {
      expect(await store.follow(code), code).to.deep.equal({ ok: false, reason: 'invalid' });
    }
    expect(server.requests.length).to.equal(before);
    expect(store.followedTopics).to.deep.equal([]);
    store.close();
  });

  it('a good code, typed in lower case with spaces, adds the topic and pulls only that topic', async () => {
    const { server, open } = await setUp('follow');
    const code = raisedElsewhere(server, 't-mine');
    server.external('t-other', personalSubmit('别人的议题', '李四', '13700003333'));
    server.external('t-mine', accept());
    const store = await open({ pullScope: 'followed' });
    const typed = `${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8)}`.toLowerCase();
    const result = await store.follow(typed);
    expect(result).to.deep.equal({ ok: true, topicId: 't-mine' });
    const [followed] = store.followedTopics;
    expect(followed).to.include({ topicId: 't-mine', raisedHere: false, followCode: `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}` });
    expect(followed!.pulledAt).to.be.a('string');
    expect(stateName(store.topics.get('t-mine')!)).to.not.equal('screening', 'the acceptance was pulled');
    expect(store.topics.has('t-other')).to.equal(false, 'nobody else’s topic on this phone');
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).to.not.include('GET /events');
    expect(server.requests.filter((r) => r.path === '/follow/' + code)).to.have.length(1, 'the normalised code is asked for');
    // What came in is redacted: another person's phone never reaches this device.
    expect(isRedacted(valuesOf(store.log[0]).phone)).to.equal(true);
    // Later syncs ask only for what is new on that topic.
    server.external('t-mine', { type: 'research.complete', findings: '走访了 12 户居民', by: { role: 'convener', id: 'c1' }, at: at() } as TopicEvent);
    await store.sync();
    const last = server.requests.filter((r) => r.path === '/topics/t-mine/events').at(-1)!;
    expect(last.search).to.equal(`?after=${followed!.cursor}`);
    expect(store.log.map((e) => e.topicId)).to.deep.equal(['t-mine', 't-mine', 't-mine']);
    store.close();
  });

  it('says why a code does not work: not found, revoked, rate-limited, offline', async () => {
    const { server, open, config } = await setUp('follow-bad');
    const code = raisedElsewhere(server, 't-revoked');
    server.revoked.add(code);
    const store = await open({ pullScope: 'followed' });
    expect(await store.follow('K7QM-3XPA-9DRT')).to.deep.equal({ ok: false, reason: 'not-found' });
    expect(await store.follow(code)).to.deep.equal({ ok: false, reason: 'revoked' });
    server.rateLimitSeconds = 30;
    expect(await store.follow('K7QM-3XPA-9DRT')).to.deep.equal({ ok: false, reason: 'rate-limited', retryAfterMs: 30_000 });
    expect(store.followedTopics).to.deep.equal([]);
    store.close();

    const offline = await openStore({
      config,
      transport: httpTransport({ endpoint: '/api', programmeId: config.id, fetch: () => Promise.reject(new TypeError('Failed to fetch')) }),
      dbName: dbName('follow-offline'),
      pullIntervalMs: 0,
    });
    expect(await offline.follow(code)).to.deep.equal({ ok: false, reason: 'offline' });
    offline.close();
  });

  it('follows a merge to the topic it went into', async () => {
    const { server, open } = await setUp('merge');
    server.external('t-into', personalSubmit('3号楼加装电梯', '赵六', '13600004444'));
    const code = raisedElsewhere(server, 't-merged', personalSubmit('电梯的事情', '钱七', '13500005555'));
    server.external('t-merged', { type: 'screening.merge', into: 't-into', by: { role: 'convener', id: 'c1' }, at: at() } as TopicEvent);
    server.external('t-unrelated', personalSubmit('无关的议题'));
    const store = await open({ pullScope: 'followed' });
    expect((await store.follow(code)).ok).to.equal(true);
    expect(stateName(store.topics.get('t-merged')!)).to.equal('merged');
    expect(store.topics.has('t-into')).to.equal(true, 'the topic it was merged into is pulled too');
    expect(store.topics.has('t-unrelated')).to.equal(false);
    expect(store.followedTopics.map((f) => f.topicId)).to.deep.equal(['t-merged']);
    store.close();
  });
});

describe('redacted entries', () => {
  it('another device’s redacted topic replays to the same state as the full one', async () => {
    const { server, open, config } = await setUp('redacted');
    const full = [personalSubmit('楼道灯坏了', '孙八', '13400006666'), accept()];
    const fullLog = full.map((event, i) => {
      const { by, at: time, ...body } = event;
      return { id: `ext-${i + 1}`, topicId: 't-r', seq: i + 1, event: body, by, at: time } as LogEntry;
    });
    for (const e of full) server.external('t-r', e);
    const store = await open();
    await store.sync();
    expect(store.log[0]!.redacted).to.include('/event/values/phone');
    const fromFull = replay(config as WorkflowConfig, fullLog).topics.get('t-r')!;
    expect(store.topics.get('t-r')!.value).to.deep.equal(fromFull.value);
    expect(JSON.stringify(store.log)).to.not.include('13400006666');
    store.close();
  });

  it('an own submission pulled back redacted (its answer was lost) keeps the resident’s values', async () => {
    const { server, transport, config } = await setUp('lost-answer');
    // The server applies the submission, then the answer is lost: the pull brings it back redacted.
    let lost = 0;
    const lose = { ...transport, send: async (entry: Parameters<typeof transport.send>[0]) => {
      const answer = await transport.send(entry);
      if ((lost += 1) > 1) return answer;
      return { kind: 'retry' as const, error: 'Network: the answer was lost' };
    } };
    const store = await openStore({ config, transport: lose, dbName: dbName('lost-answer'), pullIntervalMs: 0, backoff: { baseMs: 60_000, maxMs: 60_000 } });
    await store.append('t-own', personalSubmit('我提的议题', '周九', '13300007777'));
    await waitFor(() => server.log.length === 1 && store.status.lastError !== undefined, 'the lost answer');
    await store.sync();
    expect(store.status.pending).to.equal(0, 'the pull confirmed it');
    expect(valuesOf(store.log[0])).to.include({ name: '周九', phone: '13300007777' });
    expect(store.log[0]!.seq).to.equal(1);
    // The follow code was in the lost answer: the server's replay of the same request gives it again.
    const code = server.codeOf('t-own')!;
    await waitFor(() => store.followedTopics[0]?.followCode === `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`, 'the follow code');
    expect(server.log).to.have.length(1, 'applied once');
    store.close();
  });
});

describe('acting on a topic by its follow code', () => {
  it('a withdrawal is sent with the Follow-Code header and the server takes it', async () => {
    const { server, open } = await setUp('withdraw');
    const code = raisedElsewhere(server, 't-w');
    const store = await open({ pullScope: 'followed' });
    await store.follow(code);
    const result = await store.append('t-w', withdraw('已经自行解决'));
    expect(result.ok).to.equal(true);
    await waitFor(() => store.status.pending === 0, 'the withdrawal to be sent');
    const post = server.requests.find((r) => r.method === 'POST')!;
    expect(post.followCode).to.equal(store.followedTopics[0]!.followCode);
    expect(stateName(store.topics.get('t-w')!)).to.equal('withdrawn');
    expect(store.log.at(-1)!.by.id).to.equal('follow:t-w', 'the server’s stamp is kept');
    store.close();
  });

  it('a revoked code becomes a conflict with a reason, not a retry loop', async () => {
    const { server, open } = await setUp('withdraw-revoked');
    const code = raisedElsewhere(server, 't-x');
    const store = await open({ pullScope: 'followed' });
    await store.follow(code);
    server.revoked.add(code);
    await store.append('t-x', withdraw());
    await waitFor(() => store.status.conflicts === 1, 'the conflict');
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests.filter((r) => r.method === 'POST')).to.have.length(1, 'not retried');
    expect(store.conflicts[0]!.conflict).to.include({ status: 403, reason: 'follow-code-revoked', type: '/problems/follow-code-revoked' });
    store.close();
  });

  it('staff with a token act by their token, without the resident’s code', async () => {
    const { server, open } = await setUp('staff', { token: () => 'member-token' });
    const code = raisedElsewhere(server, 't-s');
    const store = await open();
    await store.follow(code);
    // A council member withdraws a topic they raised for residents: by their token, not the code.
    await store.append('t-s', { ...withdraw(), by: { role: 'member', id: 'm1' } });
    await waitFor(() => store.status.pending === 0, 'the acceptance to be sent');
    const post = server.requests.find((r) => r.method === 'POST')!;
    expect(post.followCode).to.equal(null);
    expect(post.token).to.equal('Bearer member-token');
    store.close();
  });
});

describe('a pull the server refuses', () => {
  it('is shown as pullProblem, asked once, and the followed topics are still pulled one by one', async () => {
    const signedIn: { token?: string } = {};
    const { server, open } = await setUp('refused', { token: () => signedIn.token });
    server.staffOnlyPull = true;
    const code = raisedElsewhere(server, 't-p');
    const store: ConsultStore = await open();
    await store.sync();
    expect(store.status.pullProblem).to.equal('unauthorised');
    expect(store.status.lastError).to.equal(undefined, 'not an error to show the resident');
    await store.follow(code);
    expect(store.topics.has('t-p')).to.equal(true, 'the followed topic came by its own route');
    await store.sync();
    await store.sync();
    expect(server.requests.filter((r) => r.path === '/events' && r.method === 'GET')).to.have.length(1, 'the refused pull is not asked again');
    signedIn.token = 'staff-token';
    await store.sync();
    expect(store.status.pullProblem).to.equal(undefined, 'cleared once a pull succeeds');
    store.close();
  });
});

describe('staff tracking a topic they opened (track)', () => {
  it('pulls only that topic with the staff token, keeps pulling it on sync, across reloads, and never lists it as my topic', async () => {
    const { server, open } = await setUp('track', { token: () => 'convener-token', pullScope: 'followed' });
    server.external('t-a', personalSubmit('甲楼的议题', '甲', '13100001111'));
    server.external('t-b', personalSubmit('乙楼的议题', '乙', '13100002222'));
    server.external('t-c', personalSubmit('丙楼的议题', '丙', '13100003333'));
    const store = await open();
    await store.sync();
    expect([...store.topics.keys()]).to.deep.equal([], 'nothing pulled before a topic is opened');

    await store.track('t-b');
    expect([...store.topics.keys()]).to.deep.equal(['t-b'], 'only the opened topic');
    expect(store.followedTopics).to.deep.equal([], 'not one of "my topics"');
    expect(store.trackedTopics).to.deep.equal(['t-b']);
    const gets = server.requests.filter((r) => r.method === 'GET');
    expect(gets.map((r) => r.path)).to.deep.equal(['/topics/t-b/events'], 'no whole-programme pull');
    expect(gets.every((r) => r.token === 'Bearer convener-token')).to.equal(true, 'pulled with the staff token');

    // Staff elsewhere accept it: the next sync brings it in, from the topic's cursor.
    server.external('t-b', accept());
    await store.sync();
    const serverState = stateName(replay(server.config, server.log.filter((e) => e.topicId === 't-b')).topics.get('t-b')!);
    expect(stateName(store.topics.get('t-b')!)).to.equal(serverState, 'the acceptance arrived');
    expect(serverState).to.not.equal('screening');
    const last = server.requests.filter((r) => r.path === '/topics/t-b/events').at(-1)!;
    expect(last.search).to.include('after=2', 'from the topic’s cursor');
    expect(store.topics.has('t-a') || store.topics.has('t-c')).to.equal(false);
    store.close();

    const asked = server.requests.length;
    const again = await open();
    expect(again.trackedTopics).to.deep.equal(['t-b'], 'remembered on this device');
    expect(again.followedTopics).to.deep.equal([]);
    await again.sync();
    const since = server.requests.slice(asked).map((r) => r.path);
    expect(since).to.not.deep.equal([]);
    expect(new Set(since)).to.deep.equal(new Set(['/topics/t-b/events']), 'still pulled after a reload, and only it');
    expect(server.requests.some((r) => r.method === 'GET' && r.path === '/events')).to.equal(false, 'never the whole log');
    again.close();
  });

  it('a topic the server does not know is tracked without error and nothing is pulled', async () => {
    const { server, open } = await setUp('track-unknown', { pullScope: 'followed' });
    const store = await open();
    await store.track('t-nope');
    expect(store.topics.size).to.equal(0);
    expect(store.status.lastError).to.equal(undefined);
    expect(server.requests.map((r) => r.path)).to.deep.equal(['/topics/t-nope/events']);
    store.close();
  });
});
