/**
 * The IndexedDB database (through `idb`, typed) and an in-memory twin with the same interface
 * for when IndexedDB cannot be used. Upgrades are written as steps: `if (oldVersion < n)`.
 * Inside a transaction nothing but IndexedDB is awaited.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { applyEntry, replay, type EventRefusal, type LogEntry } from '@consult-kit/machine/core';
import type { WorkflowConfig } from '@consult-kit/machine/core';
import type { Draft, FollowedTopic, OutboxEntry, StorageKind } from './store.types.js';

/** A log entry as stored: tagged with its programme. */
export type StoredEntry = LogEntry & { programmeId: string };

/** Cached projection: topic snapshots as of a seq; speeds start-up, never replaces the log. */
export interface SnapshotRecord {
  programmeId: string;
  configVersion: string;
  seq: number;
  topics: Array<{ topicId: string; value: unknown; context: unknown }>;
  savedAt: string;
}

export interface MetaRecord {
  key: string;
  value: unknown;
}

export const DB_VERSION = 3;

export interface ConsultDB extends DBSchema {
  log: {
    key: [string, number];
    value: StoredEntry;
    indexes: { byTopic: [string, string, number]; byId: string };
  };
  outbox: {
    key: string;
    value: OutboxEntry;
    indexes: { byProgramme: [string, number] };
  };
  drafts: { key: string; value: Draft };
  snapshots: { key: string; value: SnapshotRecord };
  meta: { key: string; value: MetaRecord };
  followed: {
    key: [string, string];
    value: FollowedTopic;
    indexes: { byProgramme: string };
  };
}

type UpgradeTx = IDBPTransaction<ConsultDB, StoreNames<ConsultDB>[], 'versionchange'>;

/**
 * The upgrade steps, by the version they lead to. v1 (the first release) kept the log, the
 * outbox and drafts; v2 adds lookups by topic and by id, the outbox order, cached snapshots
 * and meta, and brings v1 outbox entries up to the retry bookkeeping; v3 adds the topics this
 * device follows ("my topics"), keyed by programme and topic.
 */
export const UPGRADES: Record<number, (db: IDBPDatabase<ConsultDB>, tx: UpgradeTx) => void> = {
  1: (db) => {
    db.createObjectStore('log', { keyPath: ['programmeId', 'seq'] });
    db.createObjectStore('outbox', { keyPath: 'id' });
    db.createObjectStore('drafts', { keyPath: 'key' });
  },
  2: (db, tx) => {
    const log = tx.objectStore('log');
    log.createIndex('byTopic', ['programmeId', 'topicId', 'seq']);
    log.createIndex('byId', 'id', { unique: true });
    const outbox = tx.objectStore('outbox');
    outbox.createIndex('byProgramme', ['programmeId', 'localSeq']);
    db.createObjectStore('snapshots', { keyPath: 'programmeId' });
    db.createObjectStore('meta', { keyPath: 'key' });
    // v1 outbox entries had { id, programmeId, entry, createdAt }: give them an order and retry state.
    let order = 0;
    void outbox.openCursor().then(async function step(cursor): Promise<void> {
      if (!cursor) return;
      const old = cursor.value as Partial<OutboxEntry> & Pick<OutboxEntry, 'id' | 'programmeId' | 'entry' | 'createdAt'>;
      order += 1;
      await cursor.update({
        ...old,
        localSeq: old.localSeq ?? order,
        attempts: old.attempts ?? 0,
        notBefore: old.notBefore ?? 0,
        state: old.state ?? 'pending',
      });
      return step(await cursor.continue());
    });
  },
  3: (db) => {
    const followed = db.createObjectStore('followed', { keyPath: ['programmeId', 'topicId'] });
    followed.createIndex('byProgramme', 'programmeId');
  },
};

export interface OpenHandlers {
  /** This tab is holding up another tab's upgrade: it has closed its connection and must reload. */
  onVersionChange(): void;
  /** Another tab with the old version keeps this tab's upgrade waiting. */
  onBlocked(): void;
  /** The browser closed the connection abnormally (e.g. the database was deleted). */
  onTerminated(): void;
  /** The database was created fresh although this browser had one: it was evicted. */
  onEvicted(): void;
}

/** Opens (creating or upgrading) the database. Rejects when IndexedDB is unavailable. */
export async function openDatabase(name: string, handlers: OpenHandlers, version = DB_VERSION): Promise<IDBPDatabase<ConsultDB>> {
  if (typeof indexedDB === 'undefined' || indexedDB === null) throw new DOMException('IndexedDB is not available', 'NotSupportedError');
  const marker = `consult-kit:${name}:created`;
  const db = await openDB<ConsultDB>(name, version, {
    upgrade(database, oldVersion, newVersion, tx) {
      if (oldVersion === 0 && safeLocalStorage()?.getItem(marker)) handlers.onEvicted();
      for (let v = oldVersion + 1; v <= (newVersion ?? version); v += 1) UPGRADES[v]?.(database, tx);
    },
    blocked: () => handlers.onBlocked(),
    blocking: () => {
      db.close();
      handlers.onVersionChange();
    },
    terminated: () => handlers.onTerminated(),
  });
  safeLocalStorage()?.setItem(marker, new Date().toISOString());
  return db;
}

function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** What a programme has on this device. */
export interface ProgrammeData {
  log: LogEntry[];
  outbox: OutboxEntry[];
  cursor?: string;
  snapshot?: SnapshotRecord;
  followed: FollowedTopic[];
}

/** Thrown by `appendLocal` when the lifecycle refuses the event against the stored log. */
export class RefusedInTransaction extends Error {
  constructor(readonly refusal: EventRefusal) {
    super(refusal.message);
  }
}

/** Storage for one programme's data; IndexedDB or memory. */
export interface Repo {
  readonly kind: StorageKind;
  load(programmeId: string): Promise<ProgrammeData>;
  /** Log entries after a seq (another tab's work). */
  logAfter(programmeId: string, seq: number): Promise<LogEntry[]>;
  outbox(programmeId: string): Promise<OutboxEntry[]>;
  /** Local transport: checks the event against the stored log of its topic and appends it with the next seq, atomically. */
  appendLocal(config: WorkflowConfig, entry: Omit<LogEntry, 'seq'>): Promise<LogEntry>;
  /** Http transport: queues an event with the next local order. */
  enqueue(entry: Omit<OutboxEntry, 'localSeq'>): Promise<OutboxEntry>;
  /** The server accepted an outbox entry: log it and remove it from the outbox, atomically. */
  confirm(programmeId: string, outboxId: string, entry: LogEntry): Promise<void>;
  updateOutbox(entry: OutboxEntry): Promise<void>;
  deleteOutbox(id: string): Promise<void>;
  /**
   * Pulled entries: logged in the server's order, matching outbox entries removed, cursor saved,
   * atomically. Returns the entries skipped because their id was already logged under another seq.
   */
  mergePulled(programmeId: string, entries: LogEntry[], cursor: string): Promise<LogEntry[]>;
  /**
   * One topic's pulled entries, as `mergePulled`; the cursor and `pulledAt` go to the topic's
   * followed record (or, for a topic not followed, e.g. a merge target, to meta), atomically.
   */
  mergeTopicPulled(programmeId: string, topicId: string, entries: LogEntry[], cursor: string, pulledAt: string): Promise<LogEntry[]>;
  /** The topics this device follows in a programme. */
  followed(programmeId: string): Promise<FollowedTopic[]>;
  /**
   * Changes a followed topic's record (read and written in one transaction, so another tab's
   * cursor is not overwritten), or creates it from `create` when there is none. Returns the record.
   */
  upsertFollowed(programmeId: string, topicId: string, patch: Partial<FollowedTopic>, create?: FollowedTopic): Promise<FollowedTopic | undefined>;
  /** The pull cursor of a topic that is not followed (a merge target). */
  topicCursor(programmeId: string, topicId: string): Promise<string | undefined>;
  /** Sets `pulledAt` of every followed topic of a programme (after a whole-programme pull), in one transaction. */
  markPulled(programmeId: string, pulledAt: string): Promise<void>;
  saveSnapshot(record: SnapshotRecord): Promise<void>;
  saveDraft(draft: Draft): Promise<void>;
  loadDraft(key: string): Promise<Draft | undefined>;
  deleteDraft(key: string): Promise<void>;
  getMeta(key: string): Promise<unknown>;
  setMeta(key: string, value: unknown): Promise<void>;
  close(): void;
}

/**
 * Runs the requests of a transaction and waits for it to commit. If a request fails, the
 * transaction's own rejection is consumed here too, so no AbortError reaches the host page.
 */
async function settle(tx: { done: Promise<void> }, work: () => Promise<void>): Promise<void> {
  tx.done.catch(() => undefined);
  await work();
  await tx.done;
}

const stripProgramme = ({ programmeId: _p, ...entry }: StoredEntry): LogEntry => entry;
const topicCursorKey = (programmeId: string, topicId: string) => `topicCursor:${programmeId}:${topicId}`;
const byAddedDesc = (a: FollowedTopic, b: FollowedTopic) => (a.addedAt < b.addedAt ? 1 : a.addedAt > b.addedAt ? -1 : 0);

/** Splits pulled entries into the ones to log and the ones skipped (an id logged under another seq, or twice in one page). */
function partitionPulled(entries: LogEntry[], known: Array<[string, number] | undefined>): { unique: LogEntry[]; skipped: LogEntry[] } {
  // An id already logged under another seq is a server fault (it logged one event twice):
  // keep the first, report the rest, and never let it stop the merge. An id logged under the
  // same seq stays as it is: it may be this device's own full copy of an entry the server
  // answers redacted.
  const skipped = entries.filter((e, i) => known[i] && known[i][1] !== e.seq);
  const fresh = entries.filter((_e, i) => !known[i]);
  const unique = fresh.filter((e, i) => fresh.findIndex((x) => x.id === e.id) === i);
  skipped.push(...fresh.filter((e) => !unique.includes(e)));
  return { unique, skipped };
}
const lastKey = (programmeId: string) => IDBKeyRange.bound([programmeId, -Infinity], [programmeId, Infinity]);

/** Checks an event against its topic's (and a merge target's) log, by replay. */
function checkAgainstLog(config: WorkflowConfig, topicLog: LogEntry[], targetExists: boolean, entry: LogEntry): EventRefusal | null {
  const { topics } = replay(config, topicLog);
  const into = (entry.event as { into?: string }).into;
  if (entry.event.type === 'screening.merge' && into && targetExists && !topics.has(into)) {
    // The target exists in the programme; give the check a stand-in so only this topic's rules decide.
    topics.set(into, topics.get(entry.topicId)!);
  }
  return applyEntry(config, topics, entry);
}

export class IdbRepo implements Repo {
  readonly kind = 'indexeddb' as const;
  constructor(private readonly db: IDBPDatabase<ConsultDB>) {}

  async load(programmeId: string): Promise<ProgrammeData> {
    const tx = this.db.transaction(['log', 'outbox', 'meta', 'snapshots', 'followed']);
    const [log, outbox, cursor, snapshot, followed] = await Promise.all([
      tx.objectStore('log').getAll(lastKey(programmeId)),
      tx.objectStore('outbox').index('byProgramme').getAll(lastKey(programmeId)),
      tx.objectStore('meta').get(`cursor:${programmeId}`),
      tx.objectStore('snapshots').get(programmeId),
      tx.objectStore('followed').index('byProgramme').getAll(programmeId),
    ]);
    await tx.done;
    return {
      log: log.map(stripProgramme),
      outbox,
      followed: followed.sort(byAddedDesc),
      ...(typeof cursor?.value === 'string' ? { cursor: cursor.value } : {}),
      ...(snapshot ? { snapshot } : {}),
    };
  }

  async logAfter(programmeId: string, seq: number): Promise<LogEntry[]> {
    const range = IDBKeyRange.bound([programmeId, seq], [programmeId, Infinity], true);
    return (await this.db.getAll('log', range)).map(stripProgramme);
  }

  async outbox(programmeId: string): Promise<OutboxEntry[]> {
    return this.db.getAllFromIndex('outbox', 'byProgramme', lastKey(programmeId));
  }

  async appendLocal(config: WorkflowConfig, entry: Omit<LogEntry, 'seq'>): Promise<LogEntry> {
    const programmeId = config.id;
    const tx = this.db.transaction('log', 'readwrite');
    tx.done.catch(() => undefined);
    const store = tx.objectStore('log');
    const byTopic = store.index('byTopic');
    const topicRange = (id: string) => IDBKeyRange.bound([programmeId, id, -Infinity], [programmeId, id, Infinity]);
    const into = (entry.event as { into?: string }).into;
    const [last, topicLog, targetCount] = await Promise.all([
      store.openCursor(lastKey(programmeId), 'prev'),
      byTopic.getAll(topicRange(entry.topicId)),
      into ? byTopic.count(topicRange(into)) : Promise.resolve(0),
    ]);
    const seq = (last?.value.seq ?? 0) + 1;
    const logged: LogEntry = { ...entry, seq };
    const refusal = checkAgainstLog(config, topicLog.map(stripProgramme), targetCount > 0, logged);
    if (refusal) {
      tx.abort();
      await tx.done.catch(() => undefined);
      throw new RefusedInTransaction(refusal);
    }
    await store.add({ ...logged, programmeId });
    await tx.done;
    return logged;
  }

  async enqueue(entry: Omit<OutboxEntry, 'localSeq'>): Promise<OutboxEntry> {
    const tx = this.db.transaction(['outbox', 'meta'], 'readwrite');
    const key = `localSeq:${entry.programmeId}`;
    let queued: OutboxEntry | undefined;
    await settle(tx, async () => {
      const current = await tx.objectStore('meta').get(key);
      const localSeq = (typeof current?.value === 'number' ? current.value : 0) + 1;
      queued = { ...entry, localSeq };
      await Promise.all([tx.objectStore('meta').put({ key, value: localSeq }), tx.objectStore('outbox').add(queued)]);
    });
    return queued!;
  }

  async confirm(programmeId: string, outboxId: string, entry: LogEntry): Promise<void> {
    const tx = this.db.transaction(['log', 'outbox'], 'readwrite');
    await settle(tx, async () => {
      const log = tx.objectStore('log');
      // A pull may already have brought this entry in: then only the outbox entry goes.
      const known = await log.index('byId').getKey(entry.id);
      await Promise.all([known ? undefined : log.put({ ...entry, programmeId }), tx.objectStore('outbox').delete(outboxId)]);
    });
  }

  async updateOutbox(entry: OutboxEntry): Promise<void> {
    const tx = this.db.transaction('outbox', 'readwrite');
    // Only update an entry that is still queued: another tab may have confirmed it meanwhile.
    await settle(tx, async () => {
      if (await tx.store.getKey(entry.id)) await tx.store.put(entry);
    });
  }

  async deleteOutbox(id: string): Promise<void> {
    await this.db.delete('outbox', id);
  }

  async mergePulled(programmeId: string, entries: LogEntry[], cursor: string): Promise<LogEntry[]> {
    const tx = this.db.transaction(['log', 'outbox', 'meta'], 'readwrite');
    const log = tx.objectStore('log');
    const outbox = tx.objectStore('outbox');
    let skipped: LogEntry[] = [];
    await settle(tx, async () => {
      const known = await Promise.all(entries.map((e) => log.index('byId').getKey(e.id)));
      const split = partitionPulled(entries, known as Array<[string, number] | undefined>);
      skipped = split.skipped;
      await Promise.all([
        ...split.unique.map((e) => log.put({ ...e, programmeId })),
        ...entries.map((e) => outbox.delete(e.id)),
        tx.objectStore('meta').put({ key: `cursor:${programmeId}`, value: cursor }),
      ]);
    });
    return skipped;
  }

  async mergeTopicPulled(programmeId: string, topicId: string, entries: LogEntry[], cursor: string, pulledAt: string): Promise<LogEntry[]> {
    const tx = this.db.transaction(['log', 'outbox', 'meta', 'followed'], 'readwrite');
    const log = tx.objectStore('log');
    const outbox = tx.objectStore('outbox');
    const followed = tx.objectStore('followed');
    let skipped: LogEntry[] = [];
    await settle(tx, async () => {
      const [record, ...known] = await Promise.all([followed.get([programmeId, topicId]), ...entries.map((e) => log.index('byId').getKey(e.id))]);
      const split = partitionPulled(entries, known as Array<[string, number] | undefined>);
      skipped = split.skipped;
      await Promise.all([
        ...split.unique.map((e) => log.put({ ...e, programmeId })),
        ...entries.map((e) => outbox.delete(e.id)),
        record
          ? followed.put({ ...record, cursor, pulledAt })
          : tx.objectStore('meta').put({ key: topicCursorKey(programmeId, topicId), value: cursor }),
      ]);
    });
    return skipped;
  }

  async followed(programmeId: string): Promise<FollowedTopic[]> {
    return (await this.db.getAllFromIndex('followed', 'byProgramme', programmeId)).sort(byAddedDesc);
  }

  async upsertFollowed(programmeId: string, topicId: string, patch: Partial<FollowedTopic>, create?: FollowedTopic): Promise<FollowedTopic | undefined> {
    const tx = this.db.transaction('followed', 'readwrite');
    let result: FollowedTopic | undefined;
    await settle(tx, async () => {
      const existing = await tx.store.get([programmeId, topicId]);
      const base = existing ?? create;
      if (!base) return;
      result = { ...base, ...patch, programmeId, topicId };
      await tx.store.put(result);
    });
    return result;
  }

  async topicCursor(programmeId: string, topicId: string): Promise<string | undefined> {
    const value = (await this.db.get('meta', topicCursorKey(programmeId, topicId)))?.value;
    return typeof value === 'string' ? value : undefined;
  }

  async markPulled(programmeId: string, pulledAt: string): Promise<void> {
    const tx = this.db.transaction('followed', 'readwrite');
    await settle(tx, async () => {
      const all = await tx.store.index('byProgramme').getAll(programmeId);
      await Promise.all(all.map((f) => tx.store.put({ ...f, pulledAt })));
    });
  }

  async saveSnapshot(record: SnapshotRecord): Promise<void> {
    await this.db.put('snapshots', record);
  }

  async saveDraft(draft: Draft): Promise<void> {
    await this.db.put('drafts', draft);
  }

  async loadDraft(key: string): Promise<Draft | undefined> {
    return this.db.get('drafts', key);
  }

  async deleteDraft(key: string): Promise<void> {
    await this.db.delete('drafts', key);
  }

  async getMeta(key: string): Promise<unknown> {
    return (await this.db.get('meta', key))?.value;
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.db.put('meta', { key, value });
  }

  close(): void {
    this.db.close();
  }
}

/** Keeps everything in memory for this session: used when IndexedDB cannot keep data. */
export class MemoryRepo implements Repo {
  readonly kind = 'memory' as const;
  private logs = new Map<string, LogEntry[]>();
  private queue = new Map<string, OutboxEntry>();
  private drafts = new Map<string, Draft>();
  private meta = new Map<string, unknown>();
  private snapshots = new Map<string, SnapshotRecord>();
  private follows = new Map<string, FollowedTopic>();

  /** Starts from what the store already holds in memory (after IndexedDB failed mid-session). */
  seed(programmeId: string, data: ProgrammeData): void {
    this.logs.set(programmeId, [...data.log]);
    for (const e of data.outbox) this.queue.set(e.id, e);
    for (const f of data.followed) this.follows.set(JSON.stringify([programmeId, f.topicId]), { ...f });
    if (data.cursor) this.meta.set(`cursor:${programmeId}`, data.cursor);
    const maxLocal = Math.max(0, ...data.outbox.map((e) => e.localSeq));
    this.meta.set(`localSeq:${programmeId}`, maxLocal);
  }

  private log(programmeId: string): LogEntry[] {
    let log = this.logs.get(programmeId);
    if (!log) this.logs.set(programmeId, (log = []));
    return log;
  }

  async load(programmeId: string): Promise<ProgrammeData> {
    const cursor = this.meta.get(`cursor:${programmeId}`);
    const snapshot = this.snapshots.get(programmeId);
    return {
      log: [...this.log(programmeId)],
      outbox: await this.outbox(programmeId),
      followed: await this.followed(programmeId),
      ...(typeof cursor === 'string' ? { cursor } : {}),
      ...(snapshot ? { snapshot } : {}),
    };
  }

  async logAfter(programmeId: string, seq: number): Promise<LogEntry[]> {
    return this.log(programmeId).filter((e) => e.seq > seq);
  }

  async outbox(programmeId: string): Promise<OutboxEntry[]> {
    return [...this.queue.values()].filter((e) => e.programmeId === programmeId).sort((a, b) => a.localSeq - b.localSeq);
  }

  async appendLocal(config: WorkflowConfig, entry: Omit<LogEntry, 'seq'>): Promise<LogEntry> {
    const log = this.log(config.id);
    const logged: LogEntry = { ...entry, seq: (log.at(-1)?.seq ?? 0) + 1 };
    const into = (entry.event as { into?: string }).into;
    const refusal = checkAgainstLog(
      config,
      log.filter((e) => e.topicId === entry.topicId),
      Boolean(into && log.some((e) => e.topicId === into)),
      logged,
    );
    if (refusal) throw new RefusedInTransaction(refusal);
    log.push(logged);
    return logged;
  }

  async enqueue(entry: Omit<OutboxEntry, 'localSeq'>): Promise<OutboxEntry> {
    const key = `localSeq:${entry.programmeId}`;
    const localSeq = ((this.meta.get(key) as number | undefined) ?? 0) + 1;
    this.meta.set(key, localSeq);
    const queued = { ...entry, localSeq };
    this.queue.set(queued.id, queued);
    return queued;
  }

  async confirm(programmeId: string, outboxId: string, entry: LogEntry): Promise<void> {
    this.insert(programmeId, [entry]);
    this.queue.delete(outboxId);
  }

  /** Adds entries by seq, skipping (and returning) any whose id is already logged. */
  private insert(programmeId: string, entries: LogEntry[]): LogEntry[] {
    const log = this.log(programmeId);
    const bySeq = new Map(log.map((e) => [e.seq, e]));
    const ids = new Set(log.map((e) => e.id));
    const skipped: LogEntry[] = [];
    for (const e of entries) {
      if (ids.has(e.id)) {
        if (bySeq.get(e.seq)?.id !== e.id) skipped.push(e);
        continue;
      }
      ids.add(e.id);
      bySeq.set(e.seq, e);
    }
    this.logs.set(programmeId, [...bySeq.values()].sort((a, b) => a.seq - b.seq));
    return skipped;
  }

  async updateOutbox(entry: OutboxEntry): Promise<void> {
    if (this.queue.has(entry.id)) this.queue.set(entry.id, entry);
  }

  async deleteOutbox(id: string): Promise<void> {
    this.queue.delete(id);
  }

  async mergePulled(programmeId: string, entries: LogEntry[], cursor: string): Promise<LogEntry[]> {
    const skipped = this.insert(programmeId, entries);
    for (const e of entries) this.queue.delete(e.id);
    this.meta.set(`cursor:${programmeId}`, cursor);
    return skipped;
  }

  async mergeTopicPulled(programmeId: string, topicId: string, entries: LogEntry[], cursor: string, pulledAt: string): Promise<LogEntry[]> {
    const skipped = this.insert(programmeId, entries);
    for (const e of entries) this.queue.delete(e.id);
    const key = JSON.stringify([programmeId, topicId]);
    const record = this.follows.get(key);
    if (record) this.follows.set(key, { ...record, cursor, pulledAt });
    else this.meta.set(topicCursorKey(programmeId, topicId), cursor);
    return skipped;
  }

  async followed(programmeId: string): Promise<FollowedTopic[]> {
    return [...this.follows.values()].filter((f) => f.programmeId === programmeId).map((f) => ({ ...f })).sort(byAddedDesc);
  }

  async upsertFollowed(programmeId: string, topicId: string, patch: Partial<FollowedTopic>, create?: FollowedTopic): Promise<FollowedTopic | undefined> {
    const key = JSON.stringify([programmeId, topicId]);
    const base = this.follows.get(key) ?? create;
    if (!base) return undefined;
    const result = { ...base, ...patch, programmeId, topicId };
    this.follows.set(key, result);
    return { ...result };
  }

  async topicCursor(programmeId: string, topicId: string): Promise<string | undefined> {
    const value = this.meta.get(topicCursorKey(programmeId, topicId));
    return typeof value === 'string' ? value : undefined;
  }

  async markPulled(programmeId: string, pulledAt: string): Promise<void> {
    for (const [key, f] of this.follows) if (f.programmeId === programmeId) this.follows.set(key, { ...f, pulledAt });
  }

  async saveSnapshot(record: SnapshotRecord): Promise<void> {
    this.snapshots.set(record.programmeId, record);
  }

  async saveDraft(draft: Draft): Promise<void> {
    this.drafts.set(draft.key, draft);
  }

  async loadDraft(key: string): Promise<Draft | undefined> {
    return this.drafts.get(key);
  }

  async deleteDraft(key: string): Promise<void> {
    this.drafts.delete(key);
  }

  async getMeta(key: string): Promise<unknown> {
    return this.meta.get(key);
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    this.meta.set(key, value);
  }

  close(): void {}
}
