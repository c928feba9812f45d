/**
 * Drafts kept on this device (IndexedDB, database `consult-studio-drafts`), so a crash or a closed
 * tab loses nothing: one record per programme (keyed by its id, or `new:<id>` for one not yet on
 * the server), with the version it was based on, written after every change. A draft is deleted
 * only after a successful publish, or when the person discards it.
 *
 * Every method answers and never throws: without IndexedDB (a private window that refuses it)
 * the studio still edits, it just cannot keep drafts, and says so.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export const DRAFTS_DB = 'consult-studio-drafts';

/** A kept draft. */
export interface DraftRecord {
  /** The programme's id, or `new:<id>` for a programme not yet published. */
  key: string;
  /** The config's canonical text. */
  text: string;
  /** The ETag of the server's version the draft started from (absent for a new programme). */
  baseEtag?: string;
  /** That version's number. */
  baseVersion?: number;
  /** When it was written (ISO 8601). */
  savedAt: string;
}

interface DraftsSchema extends DBSchema {
  drafts: { key: string; value: DraftRecord };
}

/** The key of a programme's draft. */
export function draftKey(id: string, isNew: boolean): string {
  return isNew ? `new:${id}` : id;
}

/** The drafts store: `put` coalesces writes (the latest text wins), `settled()` waits for them. */
export class DraftStore {
  #db: Promise<IDBPDatabase<DraftsSchema> | undefined> | undefined;
  #pending = new Map<string, DraftRecord>();
  #writing: Promise<void> = Promise.resolve();
  /** Set when IndexedDB refused to open or write. */
  failed = false;

  #open(): Promise<IDBPDatabase<DraftsSchema> | undefined> {
    this.#db ??= openDB<DraftsSchema>(DRAFTS_DB, 1, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) db.createObjectStore('drafts', { keyPath: 'key' });
      },
      blocking: () => {
        // A newer studio in another tab wants to upgrade: let it, and reopen on the next write.
        void this.#db?.then((db) => db?.close());
        this.#db = undefined;
      },
      terminated: () => {
        this.#db = undefined;
      },
    }).catch(() => {
      this.failed = true;
      this.#db = undefined;
      return undefined;
    });
    return this.#db;
  }

  /** The kept draft of a key, if any. */
  async get(key: string): Promise<DraftRecord | undefined> {
    await this.settled();
    try {
      return await (await this.#open())?.get('drafts', key);
    } catch {
      return undefined;
    }
  }

  /** Every kept draft (for the start screen). */
  async all(): Promise<DraftRecord[]> {
    await this.settled();
    try {
      return (await (await this.#open())?.getAll('drafts')) ?? [];
    } catch {
      return [];
    }
  }

  /** Keeps a draft; writes made while one is in flight are merged into the next. */
  put(record: DraftRecord): Promise<void> {
    const waiting = this.#pending.size > 0;
    this.#pending.set(record.key, record);
    if (!waiting) this.#writing = this.#writing.then(() => this.#flush());
    return this.#writing;
  }

  /** Deletes a draft (after a publish, or when the person discards it). */
  delete(key: string): Promise<void> {
    this.#pending.delete(key);
    this.#writing = this.#writing.then(async () => {
      try {
        await (await this.#open())?.delete('drafts', key);
      } catch {
        this.failed = true;
      }
    });
    return this.#writing;
  }

  /** Resolves when every write asked for so far is committed. */
  settled(): Promise<void> {
    return this.#writing;
  }

  async #flush(): Promise<void> {
    const records = [...this.#pending.values()];
    this.#pending.clear();
    if (records.length === 0) return;
    try {
      const db = await this.#open();
      if (!db) return;
      const tx = db.transaction('drafts', 'readwrite');
      await Promise.all([...records.map((r) => tx.store.put(r)), tx.done]);
      this.failed = false;
    } catch {
      this.failed = true;
    }
  }

  /** Closes the database (when the studio is removed). */
  async close(): Promise<void> {
    await this.settled();
    (await this.#db)?.close();
    this.#db = undefined;
  }
}
