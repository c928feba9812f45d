/**
 * The chaos harness page (bundled by server.ts, opened in two tabs by harness.ts). It opens the
 * real store on the programme's config — or, with `?client=naive`, the naive queue — and
 * exposes `window.chaos`: `submit(n)`, `status()`, `drain(timeoutMs)` and `outboxSize()`
 * (one object, because `window.status` is taken: the legacy status-bar string).
 * Every acknowledged entry id is also reported at once through `window.__chaosAck` (a binding
 * the harness installs), so a submit cut short by a reload still counts what it had acknowledged.
 */
import { openStore } from '../../src/index.js';
import type { TopicEvent } from '../../src/store.types.js';
import { naiveClient } from './naive-client.js';

export interface ClientStatus {
  pending: number;
  sending: boolean;
  online: boolean;
  conflicts: number;
  lastError?: string;
  storage?: string;
  storageProblem?: string;
  reloadRequired?: boolean;
}

/** A log entry as sent to the server: `{ id, topicId, event, by, at }` (no seq yet). */
export interface WireEntry {
  id: string;
  topicId: string;
  event: { type: string } & Record<string, unknown>;
  by: { role: string; id?: string };
  at: string;
}

/** `savedOn`: where the client says the entry is kept ('memory' is not durable: a reload loses it). */
export type AppendOutcome = { ok: true; id: string; savedOn: 'indexeddb' | 'memory' | 'localStorage' } | { ok: false; reason: string };

/** What the page drives: the real store or the naive queue. */
export interface ChaosClient {
  kind: 'store' | 'naive';
  append(topicId: string, event: TopicEvent): Promise<AppendOutcome>;
  status(): ClientStatus;
  /** Sends until nothing is pending or the time is up; resolves with the status. */
  drain(timeoutMs: number): Promise<ClientStatus>;
  /** Entries left in the outbox as stored (read independently of the client), or null if unknown. */
  outboxSize(): Promise<number | null>;
  /** Entries this tab holds as confirmed by the server (null for the naive client, which keeps no log). */
  confirmedSize(): number | null;
}

export interface ChaosPage {
  client: 'store' | 'naive';
  /** Appends n anonymous resident topics, each on a new topic; the ids acknowledged, and refusals. */
  submit(n: number): Promise<SubmitResult>;
  status(): ClientStatus;
  /** Syncs until nothing is pending or the time is up. */
  drain(timeoutMs: number): Promise<ClientStatus>;
  outboxSize(): Promise<number | null>;
  confirmedSize(): number | null;
}

export interface SubmitResult {
  ids: string[];
  /** The ids acknowledged as kept in memory only (the store could not use IndexedDB). */
  inMemory: string[];
  refusals: string[];
}

declare global {
  interface Window {
    chaosReady?: boolean;
    chaosError?: string;
    /** The harness's handle (not `window.status`: that is the legacy status-bar string). */
    chaos?: ChaosPage;
    /** Installed by the harness (playwright `exposeBinding`). */
    __chaosAck?: (id: string, savedOn: string) => Promise<void>;
  }
}

const DB_NAME = 'chaos';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function ack(id: string, savedOn: string): void {
  void window.__chaosAck?.(id, savedOn).catch(() => undefined);
}

/** Counts the `outbox` object store of the store's database directly (without its code). */
async function rawOutboxSize(): Promise<number | null> {
  const dbs = await indexedDB.databases?.();
  if (!dbs?.some((d) => d.name === DB_NAME)) return null; // opening it would create it
  return new Promise((resolve) => {
    const req = indexedDB.open(DB_NAME);
    req.onerror = () => resolve(null);
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('outbox')) {
        db.close();
        resolve(null);
        return;
      }
      const count = db.transaction('outbox').objectStore('outbox').count();
      count.onsuccess = () => {
        db.close();
        resolve(count.result);
      };
      count.onerror = () => {
        db.close();
        resolve(null);
      };
    };
  });
}

async function storeClient(config: unknown): Promise<ChaosClient> {
  const store = await openStore({ config, dbName: DB_NAME, backoff: { baseMs: 50, maxMs: 1000 }, pullIntervalMs: 0 });
  addEventListener('pagehide', () => store.close());
  const status = (): ClientStatus => {
    const s = store.status;
    return {
      pending: s.pending,
      sending: s.sending,
      online: s.online,
      conflicts: s.conflicts,
      storage: s.storage,
      reloadRequired: s.reloadRequired,
      ...(s.storageProblem ? { storageProblem: s.storageProblem } : {}),
      ...(s.lastError ? { lastError: s.lastError } : {}),
    };
  };
  return {
    kind: 'store',
    async append(topicId, event) {
      const result = await store.append(topicId, event);
      return result.ok ? { ok: true, id: result.entry.id, savedOn: result.savedOn } : { ok: false, reason: `${result.refusal.code}: ${result.refusal.message}` };
    },
    status,
    async drain(timeoutMs) {
      const end = Date.now() + timeoutMs;
      for (let i = 0; i < 10_000; i += 1) {
        const left = end - Date.now();
        if (left <= 0) break;
        await Promise.race([store.sync().catch(() => undefined), sleep(left)]);
        if (store.status.pending === 0) break;
        await sleep(Math.min(100, Math.max(0, end - Date.now())));
      }
      return status();
    },
    outboxSize: rawOutboxSize,
    confirmedSize: () => store.log.filter((e) => e.seq > 0).length,
  };
}

let counter = 0;

/** An anonymous resident's topic, valid for the Sichuan courtyard form (title ≤ 30, matterKind). */
function topicSubmit(): TopicEvent {
  counter += 1;
  return {
    type: 'topic.submit',
    values: { title: `院坝议题 chaos ${counter}`, matterKind: 'public' },
    source: 'resident',
    anonymous: true,
    by: { role: 'resident' },
    at: new Date().toISOString(),
  } as TopicEvent;
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const programme = params.get('programme') ?? 'sichuan-xiaowei-xieshang';
  const base = `/api/programmes/${encodeURIComponent(programme)}`;
  const res = await fetch(`${base}/config`);
  if (!res.ok) throw new Error(`config: HTTP ${res.status}`);
  const config: unknown = await res.json();
  const client = params.get('client') === 'naive' ? naiveClient(`${base}/events`) : await storeClient(config);

  const submit = async (n: number): Promise<SubmitResult> => {
    const result: SubmitResult = { ids: [], inMemory: [], refusals: [] };
    for (let i = 0; i < n; i += 1) {
      const outcome = await client.append(crypto.randomUUID(), topicSubmit());
      if (outcome.ok) {
        ack(outcome.id, outcome.savedOn);
        result.ids.push(outcome.id);
        if (outcome.savedOn === 'memory') result.inMemory.push(outcome.id);
      } else {
        result.refusals.push(outcome.reason);
      }
    }
    return result;
  };
  window.chaos = {
    client: client.kind,
    submit,
    status: () => client.status(),
    drain: (timeoutMs) => client.drain(timeoutMs),
    outboxSize: () => client.outboxSize(),
    confirmedSize: () => client.confirmedSize(),
  };
  window.chaosReady = true;
}

main().catch((error: unknown) => {
  window.chaosError = String((error as Error)?.stack ?? error);
});
