import type { EventRefusal, LogEntry, TopicEvent, TopicSnapshot, WorkflowConfig } from '@consult-kit/machine';

/** An event waiting in the outbox to be sent (http transport). */
export interface OutboxEntry {
  /** Client-generated id; sent as `Idempotency-Key` and kept as the log entry's id. */
  id: string;
  programmeId: string;
  /** Local order of this device's pending events. */
  localSeq: number;
  /** The entry as it will be logged (no server `seq` yet). */
  entry: Omit<LogEntry, 'seq'>;
  createdAt: string;
  attempts: number;
  /** Epoch ms before which it is not retried (backoff, Retry-After). */
  notBefore: number;
  state: 'pending' | 'conflict';
  lastError?: string;
  /** Why the server (or the re-check after a pull) will never accept it. */
  conflict?: Conflict;
}

/** An event that cannot succeed as it is: kept and shown, never retried forever nor dropped. */
export interface Conflict {
  /** HTTP status, or 0 when a pull made the event no longer allowed. */
  status: number;
  /** RFC 9457 problem type/title/detail from the server, or the machine's refusal. */
  title: string;
  detail?: string;
  refusal?: EventRefusal;
  at: string;
}

export type StorageKind = 'indexeddb' | 'memory';
/** Why data is only kept in memory: no IndexedDB (some private modes), the quota is full, or the browser evicted it. */
export type StorageProblem = 'unavailable' | 'quota' | 'evicted' | 'blocked' | 'version';

/** What the UI shows about saving and sending. */
export interface StoreStatus {
  /** Goes up whenever the log, the outbox or a topic's state changes: subscribe to re-render views. */
  revision: number;
  /** Events saved here and not yet confirmed by the city's server (0 with the local transport). */
  pending: number;
  /** This tab is sending right now. */
  sending: boolean;
  online: boolean;
  conflicts: number;
  lastError?: string;
  lastSyncedAt?: string;
  storage: StorageKind;
  storageProblem?: StorageProblem;
  /** Another tab opened a newer version of the database: this tab must reload. */
  reloadRequired: boolean;
  /** `navigator.storage.persist()` was granted. */
  persisted?: boolean;
}

export type AppendResult =
  | { ok: true; entry: Omit<LogEntry, 'seq'> & { seq?: number }; savedOn: StorageKind }
  | { ok: false; refusal: EventRefusal };

/** A saved draft of the intake form. Files (photos) are kept as Blobs. */
export interface Draft {
  key: string;
  programmeId: string;
  values: Record<string, unknown>;
  files: Record<string, Array<{ name: string; type: string; size: number; blob: Blob }>>;
  page?: number;
  updatedAt: string;
}

export type SendResult =
  | { kind: 'ok'; entry: LogEntry }
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  | { kind: 'conflict'; conflict: Conflict };

export interface PullResult {
  entries: LogEntry[];
  cursor: string;
  more: boolean;
  /**
   * The server does not let this device read the log (401/403 without a token: the reference
   * server lets only staff pull, because the log holds names and phone numbers). Nothing was
   * pulled; the device's own events are still sent.
   */
  denied?: boolean;
}

/** Where events go: `local` (this browser's log is the data) or `http` (the city's backend). */
export interface Transport {
  readonly kind: 'local' | 'http';
  /** Sends one event; never throws (network faults are `retry`). */
  send(entry: OutboxEntry, signal?: AbortSignal): Promise<SendResult>;
  /** Events after `cursor` in the server's order; never throws (faults reject with an Error only for the caller to report). */
  pull(cursor: string | undefined, signal?: AbortSignal): Promise<PullResult>;
}

export interface StoreOptions {
  /** The programme's config (the output of `parseWorkflowConfig`, or raw JSON). */
  config: unknown;
  /** Defaults to the config's transport: `local`, or `http` with its endpoint. */
  transport?: Transport;
  /** IndexedDB database name (one per portal origin); default `consult-kit`. */
  dbName?: string;
  /** Random source for backoff jitter (tests pass a seeded one). */
  random?: () => number;
  /** Backoff bounds in ms: base doubles each attempt, capped at max; full jitter. Default 1000 / 300000. */
  backoff?: { baseMs: number; maxMs: number };
  /** Pull every n ms while online (0: only on start, `online` and `sync()`). Default 60000. */
  pullIntervalMs?: number;
}

export type { EventRefusal, LogEntry, TopicEvent, TopicSnapshot, WorkflowConfig };
