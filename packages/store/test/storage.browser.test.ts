/** Storage trouble and upgrades, in real Chromium: nothing is lost, and the store says what happened. */
import { expect } from '@esm-bundle/chai';
import { openDB } from 'idb';
import { replay, stateName } from '@consult-kit/machine';
import { openStore, UPGRADES, DB_VERSION, SNAPSHOT_EVERY, type ConsultDB } from '../src/index.js';
import { accept, dbName, exampleConfig, FakeServer, submit, waitFor } from './helpers.js';

describe('database upgrades', () => {
  it('opens a v1 database full of data and keeps all of it after upgrading', async () => {
    const name = dbName('v1');
    const config = await exampleConfig('wuxi-community', { type: 'http', endpoint: '/api' });
    const event = submit('旧版本里的议题');
    const { by, at, ...body } = event;
    // Write a database exactly as v1 of consult-kit left it.
    const v1 = await openDB<ConsultDB>(name, 1, { upgrade: (db, _old, _new, tx) => UPGRADES[1]!(db, tx) });
    await v1.put('log', { programmeId: config.id, id: 'e1', topicId: 't-old', seq: 1, event: body, by, at } as never);
    const queued = submit('离线时提交的议题');
    const { by: qBy, at: qAt, ...qBody } = queued;
    await v1.put('outbox', { id: 'q1', programmeId: config.id, entry: { id: 'q1', topicId: 't-queued', event: qBody, by: qBy, at: qAt }, createdAt: qAt } as never);
    await v1.put('drafts', { key: 'intake', programmeId: config.id, values: { title: '草稿' }, files: {}, updatedAt: at });
    v1.close();

    const server = new FakeServer();
    server.script.push(() => ({ kind: 'retry', error: 'Network: offline' }));
    const store = await openStore({ config, transport: server, dbName: name, pullIntervalMs: 0, backoff: { baseMs: 60_000, maxMs: 60_000 } });
    expect(stateName(store.topics.get('t-old')!)).to.equal('screening');
    expect(stateName(store.topics.get('t-queued')!)).to.equal('screening', 'the queued event still counts');
    expect((await store.loadDraft('intake'))?.values).to.deep.equal({ title: '草稿' });
    const raw = await openDB<ConsultDB>(name, DB_VERSION);
    const migrated = await raw.get('outbox', 'q1');
    expect(migrated).to.include({ localSeq: 1, attempts: 0, state: 'pending' });
    expect([...raw.objectStoreNames].sort()).to.deep.equal(['drafts', 'followed', 'log', 'meta', 'outbox', 'snapshots']);
    expect((await raw.getAllFromIndex('log', 'byTopic')).map((e) => e.id)).to.deep.equal(['e1']);
    raw.close();
    store.close();
  });

  it('opens a v2 database and keeps its log, outbox, cursor and drafts; "my topics" starts empty and works', async () => {
    const name = dbName('v2');
    const config = await exampleConfig('wuxi-community', { type: 'http', endpoint: '/api' });
    const { by, at, ...body } = submit('第二版里的议题');
    const v2 = await openDB<ConsultDB>(name, 2, {
      upgrade: (db, _old, _new, tx) => {
        UPGRADES[1]!(db, tx);
        UPGRADES[2]!(db, tx);
      },
    });
    await v2.put('log', { programmeId: config.id, id: 'e1', topicId: 't-v2', seq: 7, event: body, by, at } as never);
    const queued = accept();
    const { by: qBy, at: qAt, ...qBody } = queued;
    await v2.put('outbox', { id: 'q1', programmeId: config.id, localSeq: 1, entry: { id: 'q1', topicId: 't-v2', event: qBody, by: qBy, at: qAt }, createdAt: qAt, attempts: 3, notBefore: 0, state: 'pending' } as never);
    await v2.put('meta', { key: `cursor:${config.id}`, value: '7' });
    await v2.put('drafts', { key: 'intake', programmeId: config.id, values: { title: '草稿' }, files: {}, updatedAt: at });
    v2.close();

    const server = new FakeServer();
    server.script.push(() => ({ kind: 'retry', error: 'Network: offline' }));
    const pulls: Array<string | undefined> = [];
    const pull = server.pull.bind(server);
    server.pull = (cursor) => {
      pulls.push(cursor);
      return pull(cursor);
    };
    const store = await openStore({ config, transport: server, dbName: name, pullIntervalMs: 0, backoff: { baseMs: 60_000, maxMs: 60_000 } });
    expect(store.log.filter((e) => e.seq > 0).map((e) => e.id)).to.deep.equal(['e1']);
    expect(store.status.pending).to.equal(1, 'the queued acceptance is still queued');
    expect((await store.loadDraft('intake'))?.values).to.deep.equal({ title: '草稿' });
    await waitFor(() => pulls.length > 0, 'the first pull');
    expect(pulls[0]).to.equal('7', 'the pull goes on from the stored cursor');
    expect(store.followedTopics).to.deep.equal([]);
    await store.append('t-new', submit('升级后提交的议题'));
    expect(store.followedTopics.map((f) => f.topicId)).to.deep.equal(['t-new']);
    store.close();
    const raw = await openDB<ConsultDB>(name, DB_VERSION);
    expect(DB_VERSION).to.equal(3);
    expect((await raw.getAll('followed')).map((f) => [f.programmeId, f.topicId, f.raisedHere])).to.deep.equal([[config.id, 't-new', true]]);
    expect(await raw.get('outbox', 'q1')).to.include({ attempts: 3, localSeq: 1 });
    raw.close();
  });

  it('an old tab is told to reload when a newer version opens, and nothing is corrupted', async () => {
    const name = dbName('versionchange');
    const config = await exampleConfig('wuxi-community');
    const old = await openStore({ config, dbName: name });
    await old.append('t1', submit());
    const newer = await openDB(name, DB_VERSION + 1, { upgrade: () => undefined });
    await waitFor(() => old.status.reloadRequired, 'the old tab to be told');
    expect(old.status.storage).to.equal('memory');
    expect(old.status.storageProblem).to.equal('version');
    expect(await newer.count('log')).to.equal(1);
    newer.close();
    old.close();
  });
});

describe('storage trouble', () => {
  it('without IndexedDB it says so and keeps working in memory', async () => {
    const original = indexedDB.open;
    indexedDB.open = () => {
      throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
    };
    try {
      const store = await openStore({ config: await exampleConfig('wuxi-community'), dbName: dbName('none') });
      expect(store.status).to.include({ storage: 'memory', storageProblem: 'unavailable' });
      const result = await store.append('t1', submit());
      expect(result.ok && result.savedOn).to.equal('memory');
      expect(stateName(store.topics.get('t1')!)).to.equal('screening');
      store.close();
    } finally {
      indexedDB.open = original;
    }
  });

  it('when the quota is full, the event is kept in memory, nothing is lost, and the status says so', async () => {
    const config = await exampleConfig('wuxi-community', { type: 'http', endpoint: '/api' });
    const server = new FakeServer();
    server.script.push(() => ({ kind: 'retry', error: 'Network: offline' }));
    const store = await openStore({ config, transport: server, dbName: dbName('quota'), pullIntervalMs: 0, backoff: { baseMs: 20, maxMs: 20 } });
    await store.append('t0', submit('配额满之前的议题'));
    const add = IDBObjectStore.prototype.add;
    const put = IDBObjectStore.prototype.put;
    const full = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    IDBObjectStore.prototype.add = full;
    IDBObjectStore.prototype.put = full;
    try {
      const result = await store.append('t1', submit('配额满时的议题'));
      expect(result.ok && result.savedOn).to.equal('memory');
      expect(store.status).to.include({ storage: 'memory', storageProblem: 'quota' });
    } finally {
      IDBObjectStore.prototype.add = add;
      IDBObjectStore.prototype.put = put;
    }
    await waitFor(() => store.status.pending === 0, 'both events to be sent from memory');
    expect(server.log.map((e) => e.topicId)).to.deep.equal(['t0', 't1']);
    store.close();
  });

  it('notices when the browser evicted the database', async () => {
    const name = dbName('evicted');
    const config = await exampleConfig('wuxi-community');
    const first = await openStore({ config, dbName: name });
    await first.append('t1', submit());
    first.close();
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
    const after = await openStore({ config, dbName: name });
    expect(after.status.storageProblem).to.equal('evicted');
    expect(after.status.storage).to.equal('indexeddb');
    expect(after.log).to.deep.equal([]);
    after.close();
  });

  it('asks for persistent storage after the first submission, once', async () => {
    const storage = navigator.storage;
    let asked = 0;
    const original = storage.persist.bind(storage);
    storage.persist = async () => {
      asked += 1;
      return true;
    };
    try {
      const store = await openStore({ config: await exampleConfig('wuxi-community'), dbName: dbName('persist') });
      expect(asked).to.equal(0);
      await store.append('t1', submit());
      await waitFor(() => store.status.persisted === true, 'persisted to be reported');
      await store.append('t2', submit('第二个议题'));
      await new Promise((r) => setTimeout(r, 50));
      expect(asked).to.equal(1);
      store.close();
    } finally {
      storage.persist = original;
    }
  });
});

describe('cached projections', () => {
  it('start-up from a cached snapshot gives exactly the state a full replay gives', async () => {
    const name = dbName('snapshot');
    const config = await exampleConfig('wuxi-community');
    const store = await openStore({ config, dbName: name });
    for (let i = 0; i < SNAPSHOT_EVERY + 20; i += 1) {
      const result = await store.append(`t${i}`, submit(`第 ${i} 个议题`));
      if (!result.ok) throw new Error(result.refusal.message);
      if (i % 3 === 0) await store.append(`t${i}`, accept());
    }
    store.close();
    const raw = await openDB<ConsultDB>(name, DB_VERSION);
    const cached = await raw.get('snapshots', config.id);
    raw.close();
    expect(cached?.seq).to.be.at.least(SNAPSHOT_EVERY);
    const reopened = await openStore({ config, dbName: name });
    const full = replay(config, [...reopened.log]).topics;
    expect(reopened.topics.size).to.equal(full.size);
    for (const [id, topic] of full) {
      const fromCache = reopened.topics.get(id)!;
      expect(fromCache.value, id).to.deep.equal(topic.value);
      expect(fromCache.context, id).to.deep.equal(topic.context);
    }
    // And the restored topics still take events.
    expect((await reopened.append('t1', accept())).ok).to.equal(true);
    reopened.close();
  });

  it('ignores a cached snapshot from another config version and replays the log', async () => {
    const name = dbName('snapshot-version');
    const config = await exampleConfig('wuxi-community');
    const store = await openStore({ config, dbName: name });
    await store.append('t1', submit());
    store.close();
    const raw = await openDB<ConsultDB>(name, DB_VERSION);
    await raw.put('snapshots', { programmeId: config.id, configVersion: '0.0.1', seq: 1, topics: [{ topicId: 't1', value: 'closed', context: {} }], savedAt: '' });
    raw.close();
    const reopened = await openStore({ config, dbName: name });
    expect(stateName(reopened.topics.get('t1')!)).to.equal('screening');
    reopened.close();
  });
});
