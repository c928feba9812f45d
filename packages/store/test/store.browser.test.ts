/** The store in real Chromium with real IndexedDB: saving, sending, pulling, drafts, conflicts, status. */
import { expect } from '@esm-bundle/chai';
import { stateName } from '@consult-kit/machine';
import { openStore, createAutosave, httpTransport, type StoreStatus } from '../src/index.js';
import { accept, dbName, exampleConfig, FakeServer, reject, submit, waitFor } from './helpers.js';

const http = { type: 'http' as const, endpoint: '/api' };

describe('store: local transport (this browser is the data)', () => {
  it('saves an event and gives it back after reopening', async () => {
    const name = dbName('local');
    const config = await exampleConfig('wuxi-community');
    const store = await openStore({ config, dbName: name });
    expect(store.status.storage).to.equal('indexeddb');
    const result = await store.append('t1', submit());
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.savedOn).to.equal('indexeddb');
    expect(stateName(store.topics.get('t1')!)).to.equal('screening');
    // Views re-render on `revision`: it moves with every change of the log, even when nothing is pending.
    const before = store.status.revision;
    await store.append('t1', accept());
    expect(store.status.revision).to.be.above(before);
    store.close();

    const again = await openStore({ config, dbName: name });
    expect(again.log.map((e) => e.seq)).to.deep.equal([1, 2]);
    expect(again.log[0]!.id).to.equal(result.entry.id);
    expect(stateName(again.topics.get('t1')!)).to.equal(again.config.step.research ? 'research' : 'meeting.planning');
    expect(again.status.pending).to.equal(0);
    again.close();
  });

  it('refuses what the lifecycle does not allow, and stores nothing', async () => {
    const name = dbName('refuse');
    const store = await openStore({ config: await exampleConfig('wuxi-community'), dbName: name });
    const refused = await store.append('t1', accept());
    expect(refused.ok).to.equal(false);
    if (refused.ok) return;
    expect(refused.refusal.code).to.equal('unknown-topic');
    const byResident = await store.append('t1', { ...submit(), by: { role: 'department' } });
    expect(!byResident.ok && byResident.refusal.code).to.equal('role-not-permitted');
    expect(store.log).to.deep.equal([]);
    store.close();
  });

  it('two stores on one database (two tabs) number the log without gaps or clashes', async () => {
    const name = dbName('tabs-local');
    const config = await exampleConfig('wuxi-community');
    const [a, b] = await Promise.all([openStore({ config, dbName: name }), openStore({ config, dbName: name })]);
    const saved = await Promise.all([a.append('ta', submit('路灯不亮 A')), b.append('tb', submit('路灯不亮 B')), a.append('tc', submit('路灯不亮 C'))]);
    expect(saved.map((r) => r.ok)).to.deep.equal([true, true, true]);
    await waitFor(() => a.log.length === 3 && b.log.length === 3, 'both tabs to see three entries');
    expect(a.log.map((e) => e.seq)).to.deep.equal([1, 2, 3]);
    expect(b.log.map((e) => e.id)).to.deep.equal(a.log.map((e) => e.id));
    // Both tabs try to decide the same topic: the second decision is refused against the stored log.
    const [r1, r2] = await Promise.all([a.append('ta', accept()), b.append('ta', reject())]);
    expect([r1.ok, r2.ok].filter(Boolean)).to.have.length(1);
    a.close();
    b.close();
  });
});

describe('store: http transport (outbox)', () => {
  it('is "saved on this device" before sending, then sent once and confirmed with the server seq', async () => {
    const server = new FakeServer();
    const statuses: StoreStatus[] = [];
    const store = await openStore({ config: await exampleConfig('wuxi-community', http), transport: server, dbName: dbName('send'), pullIntervalMs: 0 });
    store.subscribe((s) => statuses.push(s));
    const result = await store.append('t1', submit());
    expect(result.ok && result.savedOn).to.equal('indexeddb');
    await waitFor(() => store.status.pending === 0 && server.log.length === 1, 'the event to be confirmed');
    expect(server.sent.map((e) => e.id)).to.deep.equal([result.ok ? result.entry.id : '']);
    expect(store.log[0]!.seq).to.equal(1);
    expect(statuses.some((s) => s.pending === 1)).to.equal(true, 'pending was shown');
    expect(statuses.some((s) => s.sending)).to.equal(true, 'sending was shown');
    await waitFor(() => !store.status.sending, 'sending to end');
    store.close();
  });

  it('backs off on 503 honouring Retry-After, keeps the entry, and sends it later', async () => {
    const server = new FakeServer();
    server.script.push(() => ({ kind: 'retry', error: '503: Service Unavailable', retryAfterMs: 150 }));
    const store = await openStore({ config: await exampleConfig('wuxi-community', http), transport: server, dbName: dbName('retry'), pullIntervalMs: 0, backoff: { baseMs: 10, maxMs: 20 } });
    const started = Date.now();
    await store.append('t1', submit());
    await waitFor(() => store.status.lastError === '503: Service Unavailable', 'the error to show');
    expect(store.status.pending).to.equal(1);
    await waitFor(() => store.status.pending === 0, 'the retry');
    expect(Date.now() - started).to.be.at.least(140);
    expect(server.sent).to.have.length(2);
    expect(server.log).to.have.length(1);
    expect(store.status.lastError).to.equal(undefined);
    store.close();
  });

  it('a lost answer is resent with the same Idempotency-Key and applied once', async () => {
    const server = new FakeServer();
    server.script.push(() => 'apply-and-lose');
    const store = await openStore({ config: await exampleConfig('wuxi-community', http), transport: server, dbName: dbName('lost'), pullIntervalMs: 0, backoff: { baseMs: 5, maxMs: 10 } });
    await store.append('t1', submit());
    await waitFor(() => store.status.pending === 0, 'the resend');
    expect(server.sent.map((e) => e.id)).to.have.length(2);
    expect(new Set(server.sent.map((e) => e.id)).size).to.equal(1);
    expect(server.log).to.have.length(1);
    store.close();
  });

  it('a 422 becomes a visible conflict: not retried, not dropped, until a person decides', async () => {
    const server = new FakeServer();
    server.script.push(() => ({ kind: 'conflict', conflict: { status: 422, title: 'Event refused', detail: 'The topic is closed.', at: new Date().toISOString() } }));
    const name = dbName('conflict');
    const config = await exampleConfig('wuxi-community', http);
    const store = await openStore({ config, transport: server, dbName: name, pullIntervalMs: 0 });
    const result = await store.append('t1', submit());
    await waitFor(() => store.status.conflicts === 1, 'the conflict');
    await new Promise((r) => setTimeout(r, 100));
    expect(server.sent).to.have.length(1, 'not retried');
    expect(store.status.pending).to.equal(0);
    expect(store.conflicts[0]!.conflict?.detail).to.equal('The topic is closed.');
    store.close();

    const reopened = await openStore({ config, transport: server, dbName: name, pullIntervalMs: 0 });
    expect(reopened.conflicts.map((e) => e.id)).to.deep.equal([result.ok ? result.entry.id : '']);
    await reopened.retryConflict(reopened.conflicts[0]!.id);
    await waitFor(() => reopened.status.conflicts === 0 && reopened.status.pending === 0, 'the retried send');
    expect(server.log).to.have.length(1);
    reopened.close();
  });

  it('pull merges others’ events in the server’s order; a pending event no longer allowed becomes a conflict', async () => {
    const server = new FakeServer();
    const config = await exampleConfig('wuxi-community', http);
    server.external('t1', submit('from another resident'));
    const store = await openStore({ config, transport: server, dbName: dbName('pull'), pullIntervalMs: 0 });
    await store.sync();
    expect(stateName(store.topics.get('t1')!)).to.equal('screening');
    // Offline, this convener accepts; meanwhile another convener rejects on the server.
    server.script.push(() => ({ kind: 'retry', error: 'Network: offline' }));
    const mine = await store.append('t1', accept());
    expect(mine.ok).to.equal(true);
    await waitFor(() => store.status.lastError === 'Network: offline', 'the failed send');
    server.external('t1', reject());
    await store.sync();
    expect(store.log.filter((e) => e.seq > 0).map((e) => e.seq)).to.deep.equal([1, 2]);
    expect(stateName(store.topics.get('t1')!)).to.equal('rejected');
    expect(store.status.conflicts).to.equal(1);
    expect(store.conflicts[0]!.conflict?.status).to.equal(0);
    expect(store.conflicts[0]!.conflict?.refusal?.code).to.equal('topic-closed');
    store.close();
  });

  it('a server that logs one event twice does not knock the device off IndexedDB', async () => {
    const server = new FakeServer();
    const config = await exampleConfig('wuxi-community', http);
    const first = server.external('t1', submit('同一事件被记录两次'));
    server.log.push({ ...first, seq: 2 });
    const store = await openStore({ config, transport: server, dbName: dbName('dup-pull'), pullIntervalMs: 0 });
    await store.sync();
    expect(store.status.storage).to.equal('indexeddb');
    expect(store.status.lastError).to.match(/already sent/);
    expect(store.log.map((e) => e.seq)).to.deep.equal([1]);
    const later = await store.append('t2', submit('之后的议题照常保存'));
    expect(later.ok && later.savedOn).to.equal('indexeddb');
    await waitFor(() => store.status.pending === 0, 'the later event to be sent');
    store.close();
  });

  it('two tabs: one sends at a time and nothing is sent twice', async () => {
    const server = new FakeServer();
    const config = await exampleConfig('wuxi-community', http);
    const name = dbName('tabs-http');
    const [a, b] = await Promise.all([
      openStore({ config, transport: server, dbName: name, pullIntervalMs: 0 }),
      openStore({ config, transport: server, dbName: name, pullIntervalMs: 0 }),
    ]);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).append(`t${i}`, submit(`topic ${i}`))));
    expect(results.every((r) => r.ok)).to.equal(true);
    await Promise.all([a.drain(), b.drain()]);
    await waitFor(() => server.log.length === 6 && a.status.pending === 0 && b.status.pending === 0, 'all six sent');
    expect(server.sent).to.have.length(6, 'each event sent exactly once');
    a.close();
    b.close();
  });

  it('a server that lets only staff read the log: the resident\'s topic is sent, the log is asked for once, not every minute', async () => {
    const config = await exampleConfig('wuxi-community', http);
    const requests: string[] = [];
    let seq = 0;
    const signedIn: { token?: string } = {};
    // The reference server's rules: anyone may send a resident event; pulling needs a staff token.
    const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const method = init?.method ?? 'GET';
      const auth = new Headers(init?.headers).get('Authorization');
      requests.push(`${method} ${new URL(String(input), location.href).pathname.replace(/^.*\/programmes\/[^/]+/, '')}${auth ? ' with token' : ''}`);
      if (method === 'POST') {
        const entry = { ...(JSON.parse(String(init!.body)) as object), seq: (seq += 1) };
        return new Response(JSON.stringify({ entry }), { status: 201, headers: { 'Content-Type': 'application/json' } });
      }
      if (!auth) return new Response(JSON.stringify({ title: 'Unauthorized' }), { status: 401, headers: { 'Content-Type': 'application/problem+json' } });
      return new Response(JSON.stringify({ entries: [], cursor: String(seq), more: false }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    const transport = httpTransport({ endpoint: '/api', programmeId: config.id, token: () => signedIn.token, fetch });
    const store = await openStore({ config, transport, dbName: dbName('denied'), pullIntervalMs: 0 });
    await store.append('t1', submit());
    await waitFor(() => store.status.pending === 0, 'the topic to be sent');
    await store.sync();
    await store.sync();
    // The log once; and once the topic this device raised, by its own route (refused here too).
    expect(requests.filter((r) => r.startsWith('GET'))).to.deep.equal(['GET /events', 'GET /topics/t1/events'], 'one refused pull, then no more asking');
    expect(requests.filter((r) => r.startsWith('POST'))).to.have.length(1);
    expect(store.status.lastError, 'a refused pull is not shown to the resident as an error').to.equal(undefined);
    expect(store.status.pullProblem).to.equal('unauthorised', 'but the UI can say why nothing new arrives');
    signedIn.token = 'staff-token';
    await store.sync();
    expect(requests.at(-1)).to.equal('GET /events with token', 'once signed in, the log is pulled again');
    expect(store.status.lastSyncedAt).to.be.a('string');
    store.close();
  });

  it('resumes on `online` without waiting out the backoff', async () => {
    const server = new FakeServer();
    server.script.push(() => ({ kind: 'retry', error: 'Network: offline' }));
    const store = await openStore({ config: await exampleConfig('wuxi-community', http), transport: server, dbName: dbName('online'), pullIntervalMs: 0, backoff: { baseMs: 60_000, maxMs: 60_000 }, random: () => 0.99 });
    await store.append('t1', submit());
    await waitFor(() => store.status.lastError === 'Network: offline', 'the failed send');
    window.dispatchEvent(new Event('online'));
    await waitFor(() => store.status.pending === 0, 'the send after coming online', 3000);
    expect(server.log).to.have.length(1);
    store.close();
  });
});

describe('store: drafts', () => {
  it('keeps a draft with its photo across reopening; autosave keeps the latest', async () => {
    const name = dbName('drafts');
    const config = await exampleConfig('wuxi-community');
    const store = await openStore({ config, dbName: name });
    const photo = new Blob(['fake jpeg bytes'], { type: 'image/jpeg' });
    const autosave = createAutosave(store, 50);
    autosave.schedule({ key: 'intake', values: { title: '加装' }, files: {} });
    autosave.schedule({ key: 'intake', values: { title: '加装电梯' }, files: { photos: [{ name: 'stairs.jpg', type: 'image/jpeg', size: photo.size, blob: photo }] }, page: 1 });
    expect(await autosave.flush()).to.equal(true);
    store.close();
    const again = await openStore({ config, dbName: name });
    const draft = await again.loadDraft('intake');
    expect(draft?.values).to.deep.equal({ title: '加装电梯' });
    expect(draft?.page).to.equal(1);
    expect(await draft!.files.photos![0]!.blob.text()).to.equal('fake jpeg bytes');
    await again.deleteDraft('intake');
    expect(await again.loadDraft('intake')).to.equal(undefined);
    again.close();
  });
});
