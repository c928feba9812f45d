/* global window, performance, fetch, indexedDB, queueMicrotask */
// The browser half of the outbox benchmark (bench/server.mjs bundles this file with esbuild and
// serves it from the reference server, same origin as the API).
//
//   window.bench.queue({ programmeId, n, values, dbName }), then window.bench.drain()
//   (or window.bench.outbox(…), both)
//     opens the real store (@consult-kit/store, IndexedDB on disk, Web Locks) with the http
//     transport behind a gate, queues n topic submissions while the gate is shut (the device is
//     "offline"), then opens the gate and times the drain until status.pending is 0.
//   window.bench.fetchLoop({ programmeId, n, values })
//     the anchor: the same n submissions (new ids), POSTed one after another with plain fetch and
//     the same headers, each answer read as JSON.
import { httpTransport, newId, openStore } from '@consult-kit/store';

const ENDPOINT = '/api';

function submission(values) {
  return { type: 'topic.submit', source: 'resident', level: 'community', values };
}

function waitFor(store, predicate) {
  return new Promise((resolve) => {
    let unsubscribe = () => {};
    let done = false;
    unsubscribe = store.subscribe((status) => {
      if (done || !predicate(status)) return;
      done = true;
      resolve(status);
      queueMicrotask(() => unsubscribe());
    });
  });
}

function deleteDatabase(name) {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** The store with its queue full and its transport held shut, between `queue` and `drain`. */
let held;

async function queue({ programmeId, n, values, dbName }) {
  const config = await (await fetch(`${ENDPOINT}/programmes/${programmeId}/config`)).json();
  const http = httpTransport({ endpoint: ENDPOINT, programmeId });
  let open;
  const gate = new Promise((resolve) => (open = resolve));
  const counts = { sends: 0 };
  // The gate only holds the first send until the queue is full; after it opens, every send is
  // the http transport's own.
  const transport = {
    kind: 'http',
    async send(entry, signal) {
      await gate;
      counts.sends += 1;
      return http.send(entry, signal);
    },
    pull: (cursor, signal) => http.pull(cursor, signal),
  };
  const store = await openStore({ config, transport, dbName, pullIntervalMs: 0 });
  await store.sync();

  const t0 = performance.now();
  for (let i = 0; i < n; i += 1) {
    const result = await store.append(`t-${newId()}`, { ...submission(values), by: { role: 'resident' }, at: new Date().toISOString() });
    if (!result.ok) throw new Error(`append ${i} refused: ${result.refusal.code} ${result.refusal.message}`);
    if (result.savedOn !== 'indexeddb') throw new Error(`append ${i} saved on ${result.savedOn}`);
  }
  const queueMs = performance.now() - t0;
  if (store.status.pending !== n) throw new Error(`queued ${store.status.pending}, expected ${n}`);
  held = { store, open, counts, dbName };
  return { queueMs };
}

async function drain() {
  const { store, open, counts, dbName } = held;
  held = undefined;
  const drained = waitFor(store, (s) => s.pending === 0);
  const t0 = performance.now();
  open();
  const status = await drained;
  const drainMs = performance.now() - t0;
  const result = { drainMs, sends: counts.sends, conflicts: status.conflicts, lastError: status.lastError ?? null, storage: status.storage };
  store.close();
  await deleteDatabase(dbName);
  return result;
}

async function outbox(args) {
  const { queueMs } = await queue(args);
  return { queueMs, ...(await drain()) };
}

async function fetchLoop({ programmeId, n, values }) {
  const url = `${ENDPOINT}/programmes/${encodeURIComponent(programmeId)}/events`;
  const bodies = [];
  for (let i = 0; i < n; i += 1) {
    bodies.push({ id: newId(), topicId: `t-${newId()}`, event: submission(values), by: { role: 'resident' }, at: new Date().toISOString() });
  }
  let failures = 0;
  const t0 = performance.now();
  for (const body of bodies) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { Accept: 'application/json, application/problem+json', 'Content-Type': 'application/json', 'Idempotency-Key': body.id },
      body: JSON.stringify(body),
    });
    const answer = await res.json();
    if (!res.ok || answer?.entry?.id !== body.id) failures += 1;
  }
  return { drainMs: performance.now() - t0, failures };
}

window.bench = { queue, drain, outbox, fetchLoop, ready: true };
