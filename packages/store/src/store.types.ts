import type { EventRefusal, LogEntry, TopicEvent, TopicSnapshot, WorkflowConfig } from '@consult-kit/machine/core';
import type { NoticesClient } from './notices.js';

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
  /**
   * The topic's follow code, set by the store when it sends a `rating.submit` or
   * `topic.withdraw` for a topic this device follows by code (sent as the `Follow-Code` header).
   */
  followCode?: string;
}

/** An event that cannot succeed as it is: kept and shown, never retried forever nor dropped. */
export interface Conflict {
  /** HTTP status, or 0 when a pull made the event no longer allowed. */
  status: number;
  /** RFC 9457 problem type/title/detail from the server, or the machine's refusal. */
  title: string;
  detail?: string;
  refusal?: EventRefusal;
  /** The RFC 9457 problem `type` the server answered, e.g. `/problems/follow-code-revoked`. */
  type?: string;
  /**
   * A reason the UI can name in plain words: the follow code this device acted with is not
   * known to the server (`follow-code-not-found`) or was revoked (`follow-code-revoked`).
   */
  reason?: ConflictReason;
  /**
   * `out-of-scope` (403): the scope the signed-in person lacks, as the server names it:
   * `programme:<id>`, `level:<level>` or `party:<responsible party>`.
   */
  missingScope?: string;
  /**
   * `forbidden` (403) on an event: why, as the server names it — `role-not-held`,
   * `not-the-subject`, `role-not-permitted`, `not-the-author` (docs/api: ForbiddenProblem).
   */
  forbidden?: ForbiddenReason;
  /** `forbidden` (403): the role the event was sent as, and the roles the config lets send it. */
  role?: string;
  allowed?: string[];
  at: string;
}

export type ConflictReason = 'follow-code-not-found' | 'follow-code-revoked';

/** Why a server refused an event with `/problems/forbidden` (its `reason` extension). */
export type ForbiddenReason = 'role-not-held' | 'not-the-subject' | 'role-not-permitted' | 'not-the-author';

/** The `ForbiddenReason`s a client knows. */
export const FORBIDDEN_REASONS: readonly ForbiddenReason[] = ['role-not-held', 'not-the-subject', 'role-not-permitted', 'not-the-author'];

/**
 * Why the outbox waits instead of sending (`status.hold`), so the UI can say so truthfully:
 * - `unreachable`: the server could not be reached (no connection, DNS, a proxy down); retried
 *   with backoff and when the browser comes back online;
 * - `signed-out`: the server answered 401: the token is missing, expired or not valid. Nothing
 *   is sent (and nothing is lost) until `store.resume()` is called after signing in again;
 * - `rate-limited`: 429; retried at `retryAt` (the server's `Retry-After`);
 * - `unavailable`: the server failed (5xx, a cut-off answer); retried with backoff.
 */
export interface SendHold {
  reason: 'unreachable' | 'signed-out' | 'rate-limited' | 'unavailable';
  /** When the next attempt is due (ISO), when one is scheduled. */
  retryAt?: string;
  /** The server's problem `detail` (English, for operators), when it sent one. */
  detail?: string;
}

/** A topic this device follows: raised here, or added by its follow code ("my topics"). */
export interface FollowedTopic {
  programmeId: string;
  topicId: string;
  /** The follow code as the server gave it (formatted "K7QM-3XPA-9DRT"), when known. */
  followCode?: string;
  /** Raised on this device (true) or added by code (false). */
  raisedHere: boolean;
  addedAt: string;
  /** When this topic's log was last pulled from the server (ISO), for "last updated". */
  pulledAt?: string;
  /** The per-topic pull cursor. */
  cursor?: string;
}

/** What `store.follow(code)` found. */
export type FollowResult =
  | { ok: true; topicId: string }
  | {
      ok: false;
      /**
       * `invalid`: not a follow code (nothing was asked); `not-found`: no topic has it;
       * `revoked`: it no longer works; `rate-limited`: too many wrong codes from here, try again
       * after `retryAfterMs`; `offline`: no connection; `unavailable`: the server failed.
       */
      reason: 'invalid' | 'not-found' | 'revoked' | 'rate-limited' | 'offline' | 'unavailable';
      retryAfterMs?: number;
    };

/** Why pulling does not bring anything in: `unauthorised` = the server refused (401/403) to read the log. */
export type PullProblem = 'unauthorised';

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
  /** Why sending waits, while events are pending and the last attempt did not go through; absent otherwise. */
  hold?: SendHold;
  /** When this tab last had an event confirmed by the server (ISO): "sent". */
  lastSentAt?: string;
  /**
   * The server refused this device the log (401/403). It is not asked again every minute; the
   * device's own events are still sent. Cleared by the next pull that succeeds.
   */
  pullProblem?: PullProblem;
  /**
   * How far the city server's clock is ahead of this device's (ms, rounded to the second), from
   * the `asOf` of the server's index (read when a view first asks `store.serverNow()`, then at
   * most every five minutes) or of the overdue list: "due in 3 days" and "overdue by 5 days" are
   * counted at the server's time, not a device clock set wrong. Absent with the local transport,
   * or before the server answered one.
   */
  serverClockOffsetMs?: number;
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
  | { kind: 'ok'; entry: LogEntry; /** For an accepted `topic.submit`: the topic's follow code. */ followCode?: string }
  | {
      kind: 'retry';
      error: string;
      retryAfterMs?: number;
      /** Why, for `status.hold`: see `SendHold`. Absent: a transient fault worth no words (409 in flight). */
      hold?: SendHold['reason'];
      /** The server's problem `detail`, when it answered one. */
      detail?: string;
    }
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
  /** Per-topic pull: the server does not know the topic (404), e.g. its submission is not sent yet. */
  unknown?: boolean;
}

/** Where events go: `local` (this browser's log is the data) or `http` (the city's backend). */
export interface Transport {
  readonly kind: 'local' | 'http';
  /** Sends one event; never throws (network faults are `retry`). */
  send(entry: OutboxEntry, signal?: AbortSignal): Promise<SendResult>;
  /** Events after `cursor` in the server's order; never throws (faults reject with an Error only for the caller to report). */
  pull(cursor: string | undefined, signal?: AbortSignal): Promise<PullResult>;
  /**
   * One topic's events after `cursor` (`GET …/topics/{topicId}/events`). Optional for custom
   * transports; without it the store pulls the whole programme instead.
   */
  pullTopic?(topicId: string, cursor: string | undefined, signal?: AbortSignal): Promise<PullResult>;
  /** Which topic a (normalised) follow code belongs to (`GET …/follow/{code}`); never throws. */
  follow?(code: string, signal?: AbortSignal): Promise<FollowResult>;
  /** The notification routes (opt-in by follow code, the overdue list); absent for the local transport. */
  readonly notices?: NoticesClient;
  /**
   * The server's clock now (the index's `asOf`, `GET …/topics?limit=1`), or undefined when it
   * does not say (an older server, no connection); never throws.
   */
  serverClock?(signal?: AbortSignal): Promise<string | undefined>;
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
  /**
   * What sync pulls: the whole programme's log (`programme`, the default: staff, small
   * programmes), or only the topics this device follows, each by its own cursor, and any topic
   * one of them was merged into (`followed`: residents' phones).
   */
  pullScope?: 'programme' | 'followed';
}

export type { EventRefusal, LogEntry, TopicEvent, TopicSnapshot, WorkflowConfig };
