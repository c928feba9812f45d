/**
 * The offline-first store: one programme's event log on this device, the outbox of events not
 * yet confirmed by the city's server, drafts, and the sync between them. Every public method
 * resolves or reports; none throws into the host page.
 */
import {
  applyEntry,
  hasChecker,
  isCheckedConfig,
  isRedacted,
  joinPersonal,
  replay,
  toConfig,
  topicMachineFor,
  type EventRefusal,
  type LogEntry,
  type TopicEvent,
  type TopicEventBody,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine/core';
import {
  IdbRepo,
  MemoryRepo,
  openDatabase,
  RefusedInTransaction,
  type ProgrammeData,
  type Repo,
  type SnapshotRecord,
} from './database.js';
import { formatFollowCode, normalizeFollowCode } from './follow-code.js';
import { newId } from './ids.js';
import { httpTransport, localTransport } from './transports.js';
import type { NoticeFailure, NoticeOptIn, NoticeResult, NoticeSubscription, OverduePage, OverdueQuery } from './notices.js';
import type {
  AppendResult,
  Conflict,
  Draft,
  FollowedTopic,
  FollowResult,
  OutboxEntry,
  PullResult,
  StorageProblem,
  StoreOptions,
  StoreStatus,
  Transport,
} from './store.types.js';

type Message = { type: 'changed' } | { type: 'reload-required' };

const DEFAULT_BACKOFF = { baseMs: 1000, maxMs: 300_000 };
/** Errors that mean IndexedDB cannot be used any more (as opposed to a bad request). */
const STORAGE_FAILURES = new Set(['QuotaExceededError', 'InvalidStateError', 'UnknownError', 'NotFoundError', 'AbortError', 'TransactionInactiveError', 'NotSupportedError']);
/** A cached projection is saved once this many confirmed entries are not covered by the last one. */
export const SNAPSHOT_EVERY = 200;
/** Events a resident sends for their own topic by its follow code. */
const BY_FOLLOW_CODE = new Set(['rating.submit', 'topic.withdraw']);
/** The server's clock is read again when `serverNow()` is asked after this long (ms). */
const SERVER_CLOCK_MAX_AGE_MS = 5 * 60_000;
/** Pages of one pull (whole programme or one topic) before it stops for this round. */
const MAX_PAGES = 1000;

const byAddedDesc = (a: FollowedTopic, b: FollowedTopic) => (a.addedAt < b.addedAt ? 1 : a.addedAt > b.addedAt ? -1 : 0);

/** The value at an RFC 6901 JSON Pointer, or undefined. */
function valueAt(document: unknown, pointer: string): unknown {
  let node = document;
  for (const raw of pointer.split('/').slice(1)) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/**
 * The server's entry (its seq, its stamps) with this device's own personal values put back
 * where the server answered them redacted: a resident's device keeps what they typed.
 */
export function keepOwnValues(server: LogEntry, own: Omit<LogEntry, 'seq'>): LogEntry {
  if (!server.redacted?.length || server.id !== own.id) return server;
  const personal: Record<string, unknown> = {};
  for (const pointer of server.redacted) {
    const value = valueAt(own, pointer);
    if (value !== undefined && !isRedacted(value)) personal[pointer] = value;
  }
  return joinPersonal(server, personal);
}

function online(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

function transportFor(config: WorkflowConfig): Transport {
  return config.transport.type === 'http'
    ? httpTransport({ endpoint: config.transport.endpoint, programmeId: config.id })
    : localTransport();
}

/** Full jitter: a random delay between 0 and min(max, base · 2^(attempt−1)). */
export function backoffDelay(attempt: number, random: () => number, backoff = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Opens the store for a programme: IndexedDB when it can, memory (and says so) when it cannot. */
export async function openStore(options: StoreOptions): Promise<ConsultStore> {
  // Raw JSON needs the config checker, which the embed loads only when it must.
  if (!isCheckedConfig(options.config) && !hasChecker()) await import('@consult-kit/machine/checker');
  const store = new ConsultStore(options);
  await store.ready;
  return store;
}

export class ConsultStore {
  readonly config: WorkflowConfig;
  readonly programmeId: string;
  /** Resolves when the store has loaded what this device holds. */
  readonly ready: Promise<void>;

  private repo: Repo = new MemoryRepo();
  private readonly transport: Transport;
  private readonly dbName: string;
  private readonly random: () => number;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly pullIntervalMs: number;
  private readonly pullScope: 'programme' | 'followed';
  private followed: FollowedTopic[] = [];
  /** Topics staff opened on a large programme (`track`): pulled one by one, never "my topics". */
  private tracked = new Set<string>();
  /** Submissions whose lost follow code was asked for again (once each). */
  private readonly codeAsked = new Set<string>();

  private confirmed: LogEntry[] = [];
  private confirmedSeqs = new Set<number>();
  private confirmedIds = new Set<string>();
  /** Every seq up to this one is here; entries after it may still arrive from other tabs. */
  private contiguousSeq = 0;
  private snapshotSeq = 0;
  private confirmedTopics = new Map<string, TopicSnapshot>();
  private queue: OutboxEntry[] = [];
  private cursor: string | undefined;
  /** Views derived from the log and the outbox, built on first read after a change. */
  private derived: { topics?: Map<string, TopicSnapshot>; log?: LogEntry[] } = {};

  private state: StoreStatus;
  private readonly listeners = new Set<(status: StoreStatus) => void>();
  private channel: BroadcastChannel | undefined;
  private draining: Promise<void> | undefined;
  private pulling: Promise<void> | undefined;
  private pullAgain = false;
  private again = false;
  private otherTabChanged = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pullTimer: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  /** The server answered 401: nothing is sent until `resume()` (the person signs in again). */
  private signedOut = false;
  private readonly onOnline = () => void this.wentOnline();
  private readonly onOffline = () => this.setStatus({ online: false });

  constructor(options: StoreOptions) {
    this.config = toConfig(options.config);
    this.programmeId = this.config.id;
    this.transport = options.transport ?? transportFor(this.config);
    this.dbName = options.dbName ?? 'consult-kit';
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.pullIntervalMs = options.pullIntervalMs ?? 60_000;
    this.pullScope = options.pullScope ?? 'programme';
    this.state = { revision: 0, pending: 0, sending: false, online: online(), conflicts: 0, storage: 'memory', reloadRequired: false };
    this.ready = this.init();
  }

  // ── Reading ─────────────────────────────────────────────────────────────────────────────

  /** Every topic's state: the confirmed log replayed, with this device's pending events on top. */
  get topics(): ReadonlyMap<string, TopicSnapshot> {
    if (!this.derived.topics) {
      const topics = new Map(this.confirmedTopics);
      for (const e of this.queue) if (e.state === 'pending') applyEntry(this.config, topics, { ...e.entry, seq: 0 });
      this.derived.topics = topics;
    }
    return this.derived.topics;
  }

  /** The log: confirmed entries in order (with their seq), then this device's pending ones (seq 0). */
  get log(): readonly LogEntry[] {
    this.derived.log ??= [
      ...this.confirmed,
      ...this.queue.filter((e) => e.state === 'pending').map((e) => ({ ...e.entry, seq: 0 })),
    ];
    return this.derived.log;
  }

  get status(): StoreStatus {
    return this.state;
  }

  /** Calls `listener` now and on every status change; returns the unsubscribe function. */
  subscribe(listener: (status: StoreStatus) => void): () => void {
    this.listeners.add(listener);
    this.safely(() => listener(this.state));
    return () => this.listeners.delete(listener);
  }

  /**
   * "My topics": the topics this device raised or follows by code, newest first. Changes bump
   * `status.revision`, so `subscribe` re-renders views that show them.
   */
  get followedTopics(): readonly FollowedTopic[] {
    return this.followed;
  }

  /**
   * The topics this device pulls because someone opened them (`track`), not "my topics": staff
   * on a large programme, who hold only the topics they looked at.
   */
  get trackedTopics(): readonly string[] {
    return [...this.tracked];
  }

  /** Events the server refused, or that a pull made impossible: shown until someone decides. */
  get conflicts(): readonly OutboxEntry[] {
    return this.queue.filter((e) => e.state === 'conflict');
  }

  // ── Writing ─────────────────────────────────────────────────────────────────────────────

  /**
   * Checks an event against the lifecycle and saves it. Resolves `ok: true` only after the
   * storage transaction has committed ("saved on this device"); with the http transport the
   * event is then sent in the background.
   */
  async append(topicId: string, event: TopicEvent): Promise<AppendResult> {
    await this.ready;
    const { by, at, ...body } = event;
    const entry = { id: newId(), topicId, event: body as TopicEventBody, by, at };
    const refusal = this.check(entry);
    if (refusal) return { ok: false, refusal };
    let topics: Map<string, TopicSnapshot> | undefined;
    try {
      if (this.transport.kind === 'local') {
        const logged = await this.write((repo) => repo.appendLocal(this.config, entry));
        this.addConfirmed([logged]);
      } else {
        const queued = await this.write((repo) =>
          repo.enqueue({ id: entry.id, programmeId: this.programmeId, entry, createdAt: at, attempts: 0, notBefore: 0, state: 'pending' }),
        );
        this.queue = [...this.queue, queued];
        // The derived topics plus this entry, instead of replaying the whole queue on the next
        // read (a new Map: views may hold the old one).
        if (this.derived.topics) {
          topics = new Map(this.derived.topics);
          applyEntry(this.config, topics, { ...entry, seq: 0 });
        }
      }
    } catch (err) {
      if (err instanceof RefusedInTransaction) return { ok: false, refusal: err.refusal };
      return { ok: false, refusal: this.failure(entry, err) };
    }
    // "My topics": what this device raised. The event is saved already; a failure here only
    // leaves the topic out of the list, and says so.
    if (entry.event.type === 'topic.submit') {
      await this.addFollowed(topicId, { raisedHere: true }).catch((err: unknown) =>
        this.setStatus({ lastError: `Could not add the topic to this device's list: ${(err as Error).message}` }),
      );
    }
    this.changed();
    if (topics) this.derived = { topics };
    this.broadcast({ type: 'changed' });
    void this.askPersist();
    if (this.transport.kind === 'http') void this.drain();
    return { ok: true, entry, savedOn: this.repo.kind };
  }

  private check(entry: Omit<LogEntry, 'seq'>): EventRefusal | null {
    const into = (entry.event as { into?: string }).into;
    const probe = new Map<string, TopicSnapshot>();
    for (const id of [entry.topicId, into]) {
      const topic = id ? this.topics.get(id) : undefined;
      if (id && topic) probe.set(id, topic);
    }
    return applyEntry(this.config, probe, { ...entry, seq: 0 });
  }

  private failure(entry: Omit<LogEntry, 'seq'>, err: unknown): EventRefusal {
    const message = `Could not save: ${(err as Error)?.message ?? String(err)}`;
    this.setStatus({ lastError: message });
    return { code: 'not-saved', message, eventType: entry.event.type, topicId: entry.topicId, state: 'unknown', accepts: [] };
  }

  /** Sends what is due and brings in others' events now; resolves when both are done. */
  async sync(): Promise<void> {
    await this.ready;
    if (this.transport.kind !== 'http' || this.closed) return;
    await this.pullNow();
    await this.drain();
  }

  /** One pull at a time: a sync asked for while one pulls waits for it, and it pulls once more. */
  private pullNow(): Promise<void> {
    if (this.pulling) {
      this.pullAgain = true;
      return this.pulling;
    }
    const run = async () => {
      do {
        this.pullAgain = false;
        if (this.pullScope === 'followed' && this.transport.pullTopic) await this.pullFollowed();
        else await this.pull();
      } while (this.pullAgain && !this.closed);
    };
    this.pulling = run().finally(() => {
      this.pulling = undefined;
    });
    return this.pulling;
  }

  /**
   * Adds a topic to "my topics" by its follow code (read aloud, typed, or from a QR code; case,
   * spaces and hyphens do not matter) and pulls it. Never throws: a code that cannot be one is
   * `invalid` without asking the server.
   */
  async follow(code: string): Promise<FollowResult> {
    await this.ready;
    const normal = normalizeFollowCode(code);
    if (!normal) return { ok: false, reason: 'invalid' };
    const followCode = formatFollowCode(normal);
    // A code this device already holds answers at once (and is all the local transport knows).
    const known = this.followed.find((f) => f.followCode && normalizeFollowCode(f.followCode) === normal);
    let result: FollowResult;
    if (known) result = { ok: true, topicId: known.topicId };
    else if (this.transport.kind === 'local' || !this.transport.follow) result = { ok: false, reason: 'not-found' };
    else {
      try {
        result = await this.transport.follow(normal);
      } catch {
        result = { ok: false, reason: 'unavailable' };
      }
    }
    if (!result.ok || this.closed) return result;
    try {
      await this.addFollowed(result.topicId, { raisedHere: false, followCode });
      this.changed();
      this.broadcast({ type: 'changed' });
    } catch (err) {
      this.setStatus({ lastError: `Could not keep the topic on this device: ${(err as Error).message}` });
    }
    await this.refreshTopic(result.topicId);
    return result;
  }

  /**
   * Pulls a topic now and keeps pulling it on every sync, without a follow code: staff on a large
   * programme (`pullScope: 'followed'`) open a topic from the server's index and get only its log,
   * with the transport's token (so the server joins personal data for the roles allowed). It is
   * not one of "my topics" (`followedTopics` does not list it). Remembered on this device across
   * reloads. Resolves when the pull is done; never throws (a failure is `status.lastError`).
   */
  async track(topicId: string): Promise<void> {
    await this.ready;
    if (this.closed || typeof topicId !== 'string' || topicId === '') return;
    if (!this.tracked.has(topicId)) {
      this.tracked.add(topicId);
      await this.write((repo) => repo.setMeta(this.trackedKey, [...this.tracked])).catch((err: unknown) =>
        this.setStatus({ lastError: `Could not keep the tracked topic on this device: ${(err as Error).message}` }),
      );
    }
    await this.refreshTopic(topicId);
  }

  // ── Time and notices (issue 17) ─────────────────────────────────────────────────────────

  /**
   * Now, by the city server's clock when the store has heard it (the index's `asOf`), else this
   * device's clock: what "due in 3 days" and "overdue by 5 days" are counted at, so a phone set a
   * week wrong does not say a measure is overdue when the server says it is not. Asking for it
   * reads the server's clock in the background when the store has not heard it in the last five
   * minutes (`GET …/topics?limit=1`, only with a transport that can: the http one); the answer
   * moves `status.serverClockOffsetMs`, so views that subscribe count again. Never throws.
   */
  serverNow(): number {
    if (this.transport.serverClock && !this.closed && !this.clockReading && Date.now() - this.clockReadAt > SERVER_CLOCK_MAX_AGE_MS) {
      void this.readServerClock();
    }
    return Date.now() + (this.state.serverClockOffsetMs ?? 0);
  }

  /** Whether `serverNow()` is the server's time (the server answered an `asOf`) rather than the device's. */
  get knowsServerClock(): boolean {
    return this.state.serverClockOffsetMs !== undefined;
  }

  /** Keeps how far the server's clock (`asOf`, ISO) is from this device's, read at `receivedAt` (ms). */
  noteServerTime(asOf: string | undefined, receivedAt = Date.now()): void {
    const server = asOf ? Date.parse(asOf) : Number.NaN;
    if (!Number.isFinite(server)) return;
    this.clockReadAt = Date.now();
    this.setStatus({ serverClockOffsetMs: Math.round((server - receivedAt) / 1000) * 1000 });
  }

  private clockReadAt = Number.NEGATIVE_INFINITY;
  private clockReading = false;

  private async readServerClock(): Promise<void> {
    this.clockReading = true;
    this.clockReadAt = Date.now();
    try {
      const sent = Date.now();
      const asOf = await this.transport.serverClock!().catch(() => undefined);
      // The server read its clock somewhere between sending and answering: the middle is the best guess.
      if (asOf && !this.closed) this.noteServerTime(asOf, Math.round((sent + Date.now()) / 2));
    } finally {
      this.clockReading = false;
    }
  }

  /** The follow code this device keeps for a topic (normalised), or why there is none to ask with. */
  private codeFor(topicId: string): { code: string } | NoticeFailure {
    if (this.transport.kind === 'local' || !this.transport.notices) return { ok: false, reason: 'local' };
    const followed = this.followed.find((f) => f.topicId === topicId);
    const code = followed?.followCode ? normalizeFollowCode(followed.followCode) : null;
    return code ? { code } : { ok: false, reason: 'no-code' };
  }

  /**
   * The notices a resident asked for about one of "my topics" (its active opt-ins, addresses
   * masked by the server), asked by the follow code this device keeps for it. Never throws:
   * `local` without a server, `no-code` when this device holds no code for the topic, else
   * the server's answer as a `NoticeFailure`.
   */
  async noticeSubscriptions(topicId: string): Promise<NoticeResult<NoticeSubscription[]>> {
    await this.ready;
    const code = this.codeFor(topicId);
    if (!('code' in code)) return code;
    return this.transport.notices!.subscriptions(code.code).catch(() => ({ ok: false, reason: 'unreachable' }) as const);
  }

  /**
   * Opts in to notices about this topic only ("tell me about progress"): an e-mail address or a
   * phone number, and the language of the messages. The same channel and address again answers
   * the existing opt-in. A refused address is `invalid` with `pointer: '/address'`. Nothing is
   * kept on this device: the address goes to the server only (the element keeps what was typed
   * until it is accepted).
   */
  async optInNotices(topicId: string, request: NoticeOptIn): Promise<NoticeResult<NoticeSubscription>> {
    await this.ready;
    const code = this.codeFor(topicId);
    if (!('code' in code)) return code;
    return this.transport.notices!.optIn(code.code, request).catch(() => ({ ok: false, reason: 'unreachable' }) as const);
  }

  /** Stops one opt-in ("stop notices"). */
  async cancelNotices(topicId: string, subscriptionId: string): Promise<NoticeResult<{ id: string; cancelled: true }>> {
    await this.ready;
    const code = this.codeFor(topicId);
    if (!('code' in code)) return code;
    return this.transport.notices!.cancel(code.code, subscriptionId).catch(() => ({ ok: false, reason: 'unreachable' }) as const);
  }

  /**
   * The supervisor's list (督办): every overdue measure of the programme, most overdue first,
   * read with the transport's staff token (`GET …/overdue`). Its `asOf` also sets `serverNow()`.
   * `local` without a server; `signed-out` / `forbidden` when the token does not allow it.
   */
  async overdue(query: OverdueQuery = {}): Promise<NoticeResult<OverduePage>> {
    await this.ready;
    if (this.transport.kind === 'local' || !this.transport.notices) return { ok: false, reason: 'local' };
    const sent = Date.now();
    const result = await this.transport.notices.overdue(query).catch(() => ({ ok: false, reason: 'unreachable' }) as const);
    if (result.ok) this.noteServerTime(result.value.asOf, Math.round((sent + Date.now()) / 2));
    return result;
  }

  private get trackedKey(): string {
    return `tracked:${this.programmeId}`;
  }

  /** Pulls one topic's log from the server now (and the topic it was merged into, if any). */
  async refreshTopic(topicId: string): Promise<void> {
    await this.ready;
    if (this.transport.kind !== 'http' || this.closed) return;
    try {
      if (this.transport.pullTopic) await this.pullTopics([topicId]);
      else await this.pull();
    } catch (err) {
      this.setStatus({ lastError: (err as Error).message });
    }
  }

  /**
   * Puts a conflict back in the queue (after the cause was fixed, e.g. the person signed in with
   * the right account) and sends it now; it is checked against the lifecycle again first, and
   * stays a conflict (with that reason) when the topic has moved on meanwhile.
   */
  async retryConflict(id: string): Promise<void> {
    await this.ready;
    const entry = this.queue.find((e) => e.id === id && e.state === 'conflict');
    if (!entry) return;
    const { conflict: _c, lastError: _e, ...rest } = entry;
    await this.saveOutbox({ ...rest, state: 'pending', notBefore: 0 });
    await this.recheckPending();
    void this.drain();
  }

  /**
   * Removes a conflict for good: only ever on a person's explicit decision. It was never part of
   * the state shown (only pending events are laid over the server's log), and the pending events
   * after it are checked again without it.
   */
  async discardConflict(id: string): Promise<void> {
    await this.ready;
    if (!this.queue.some((e) => e.id === id && e.state === 'conflict')) return;
    await this.write((repo) => repo.deleteOutbox(id));
    this.queue = this.queue.filter((e) => e.id !== id);
    this.changed();
    this.broadcast({ type: 'changed' });
  }

  /**
   * The person signed in again (after `status.hold.reason === 'signed-out'`): what waited in the
   * outbox is sent now, with the transport's current token. Harmless when nothing waited.
   */
  async resume(): Promise<void> {
    await this.ready;
    if (this.closed) return;
    this.signedOut = false;
    if (this.state.hold?.reason === 'signed-out') this.setStatus({ hold: undefined });
    for (const e of this.queue.filter((x) => x.state === 'pending' && x.notBefore > Date.now())) {
      await this.saveOutbox({ ...e, notBefore: 0 });
    }
    await this.sync();
  }

  // ── Drafts ──────────────────────────────────────────────────────────────────────────────

  /** Saves a draft; resolves after it is stored. */
  async saveDraft(draft: Omit<Draft, 'programmeId' | 'updatedAt'> & { updatedAt?: string }): Promise<boolean> {
    await this.ready;
    try {
      await this.write((repo) => repo.saveDraft({ ...draft, programmeId: this.programmeId, updatedAt: draft.updatedAt ?? new Date().toISOString() }));
      return true;
    } catch (err) {
      this.setStatus({ lastError: `Could not save the draft: ${(err as Error).message}` });
      return false;
    }
  }

  async loadDraft(key: string): Promise<Draft | undefined> {
    await this.ready;
    return this.repo.loadDraft(key).catch(() => undefined);
  }

  async deleteDraft(key: string): Promise<void> {
    await this.ready;
    await this.repo.deleteDraft(key).catch(() => undefined);
  }

  // ── Lifecycle ───────────────────────────────────────────────────────────────────────────

  /** Stops timers and listeners and closes the database. Pending events stay saved. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pullTimer);
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.onOnline);
      window.removeEventListener('offline', this.onOffline);
    }
    this.channel?.close();
    this.repo.close();
    this.listeners.clear();
  }

  private async init(): Promise<void> {
    let problem: StorageProblem | undefined;
    try {
      const db = await openDatabase(this.dbName, {
        onVersionChange: () => this.mustReload(),
        onBlocked: () => this.setStatus({ storageProblem: 'blocked' }),
        onTerminated: () => void this.toMemory('unavailable'),
        onEvicted: () => {
          problem = 'evicted';
        },
      });
      this.repo = new IdbRepo(db);
    } catch {
      problem = 'unavailable';
      this.repo = new MemoryRepo();
    }
    const data = await this.repo.load(this.programmeId).catch((): ProgrammeData => ({ log: [], outbox: [], followed: [] }));
    this.followed = data.followed;
    const tracked = await this.repo.getMeta(this.trackedKey).catch(() => undefined);
    if (Array.isArray(tracked)) this.tracked = new Set(tracked.filter((t): t is string => typeof t === 'string'));
    this.snapshotSeq = data.snapshot?.seq ?? 0;
    this.setConfirmed(data.log, data.snapshot);
    this.queue = data.outbox;
    this.cursor = data.cursor;
    this.changed();
    this.setStatus({ storage: this.repo.kind, storageProblem: problem });

    if (typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(`consult-kit:${this.dbName}:${this.programmeId}`);
      this.channel.onmessage = (e: MessageEvent<Message>) => this.safely(() => this.onMessage(e.data));
    }
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.onOnline);
      window.addEventListener('offline', this.onOffline);
    }
    if (this.transport.kind === 'http') {
      if (this.pullIntervalMs > 0) this.pullTimer = setInterval(() => void this.sync(), this.pullIntervalMs);
      void Promise.resolve().then(() => this.sync());
    }
  }

  // ── Sending ─────────────────────────────────────────────────────────────────────────────

  /**
   * Sends the outbox in order. One tab sends at a time (Web Locks); a tab that asks while
   * another sends waits its turn and then finds the queue as the other left it.
   */
  drain(): Promise<void> {
    if (this.transport.kind !== 'http' || this.closed) return Promise.resolve();
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    const run = async () => {
      do {
        this.again = false;
        await this.withLock(() => this.sendDue());
      } while (this.again && !this.closed);
    };
    this.draining = run()
      .catch((err: unknown) => this.setStatus({ lastError: `Sending stopped: ${(err as Error).message}` }))
      .finally(() => {
        this.draining = undefined;
      });
    return this.draining;
  }

  private async withLock(fn: () => Promise<void>): Promise<void> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!locks?.request) return fn();
    await locks.request(`consult-kit:${this.dbName}:${this.programmeId}:outbox`, fn);
  }

  private async sendDue(): Promise<void> {
    this.setStatus({ sending: true });
    try {
      let fresh = false;
      for (;;) {
        if (this.closed) return;
        // Read the queue from storage once per pass, and again when another tab says it changed.
        if (!fresh || this.otherTabChanged) {
          this.otherTabChanged = false;
          await this.refresh();
          fresh = true;
        }
        const next = this.queue.find((e) => e.state === 'pending');
        if (!next) return;
        // Signed out: kept, not sent, until the person signs in again (`resume`).
        if (this.signedOut) return;
        const wait = next.notBefore - Date.now();
        if (wait > 0) return this.scheduleRetry(wait);
        const result = await this.transport.send(this.withFollowCode(next));
        if (this.closed) return;
        if (result.kind === 'ok') {
          const logged = keepOwnValues(result.entry, next.entry);
          // The follow code first, so that "sent" and the code reach the UI together.
          if (result.followCode && next.entry.event.type === 'topic.submit') {
            const followCode = formatFollowCode(result.followCode);
            const topicId = next.entry.topicId;
            const record = await this.write((repo) => repo.upsertFollowed(this.programmeId, topicId, { followCode }, this.newFollowed(topicId, { raisedHere: true }))).catch(
              () => undefined,
            );
            if (record) this.followed = [record, ...this.followed.filter((f) => f.topicId !== topicId)].sort(byAddedDesc);
          }
          await this.write((repo) => repo.confirm(this.programmeId, next.id, logged));
          this.queue = this.queue.filter((e) => e.id !== next.id);
          // "Sent" first, so that the outbox shrinking and the time it was sent reach the UI together.
          const now = new Date().toISOString();
          this.setStatus({ lastError: undefined, lastSyncedAt: now, lastSentAt: now, hold: undefined });
          this.addConfirmed([logged]);
          this.changed(); // a pull may already have logged it: the outbox still shrank
          this.broadcast({ type: 'changed' });
        } else if (result.kind === 'retry' && result.hold === 'signed-out') {
          // Kept as it is (no attempt counted, no backoff): it goes as soon as the person signs in again.
          this.signedOut = true;
          await this.saveOutbox({ ...next, lastError: result.error });
          this.setStatus({ lastError: result.error, hold: { reason: 'signed-out', ...(result.detail ? { detail: result.detail } : {}) } });
          return;
        } else if (result.kind === 'retry') {
          const attempts = next.attempts + 1;
          const delay = Math.max(result.retryAfterMs ?? 0, backoffDelay(attempts, this.random, this.backoff));
          const notBefore = Date.now() + delay;
          await this.saveOutbox({ ...next, attempts, notBefore, lastError: result.error });
          this.setStatus({
            lastError: result.error,
            hold: result.hold
              ? { reason: result.hold, retryAt: new Date(notBefore).toISOString(), ...(result.detail ? { detail: result.detail } : {}) }
              : undefined,
          });
          return this.scheduleRetry(delay);
        } else {
          await this.saveOutbox({ ...next, state: 'conflict', conflict: result.conflict, lastError: result.conflict.title });
          this.setStatus({ lastError: result.conflict.detail ?? result.conflict.title });
        }
      }
    } finally {
      this.setStatus({ sending: false });
    }
  }

  /** The outbox entry as sent: with the topic's follow code when a resident acts on it by code. */
  private withFollowCode(entry: OutboxEntry): OutboxEntry {
    if (!BY_FOLLOW_CODE.has(entry.entry.event.type)) return entry;
    const followCode = this.followed.find((f) => f.topicId === entry.entry.topicId)?.followCode;
    return followCode ? { ...entry, followCode } : entry;
  }

  private scheduleRetry(ms: number): void {
    clearTimeout(this.retryTimer);
    if (!this.closed) this.retryTimer = setTimeout(() => void this.drain(), Math.max(0, ms));
  }

  private async wentOnline(): Promise<void> {
    this.setStatus({ online: true });
    // Connectivity is back: what was waiting out a backoff goes now.
    for (const e of this.queue.filter((x) => x.state === 'pending' && x.notBefore > Date.now())) {
      await this.saveOutbox({ ...e, notBefore: 0 });
    }
    await this.sync();
  }

  // ── Pulling ─────────────────────────────────────────────────────────────────────────────

  /** Brings in events written by others since the cursor, in the server's order. */
  private async pull(): Promise<void> {
    try {
      for (let page = 0; page < MAX_PAGES && !this.closed; page += 1) {
        const result = await this.transport.pull(this.cursor);
        // Not allowed to read the log: nothing to merge, and nothing "synced". The topics this
        // device follows may still be readable one by one.
        if (result.denied) {
          this.setStatus({ pullProblem: 'unauthorised' });
          if (this.transport.pullTopic && (this.followed.length > 0 || this.tracked.size > 0)) await this.pullFollowed();
          return;
        }
        this.setStatus({ pullProblem: undefined });
        if (result.entries.length > 0 || result.cursor !== this.cursor) {
          const entries = this.ownCopies(result.entries);
          const skipped = await this.write((repo) => repo.mergePulled(this.programmeId, entries, result.cursor));
          this.cursor = result.cursor;
          this.merged(entries, skipped);
        }
        if (!result.more) break;
      }
      await this.recheckPending();
      const now = new Date().toISOString();
      // The whole log is in: every followed topic is as up to date as it ("last updated").
      if (this.followed.length > 0) {
        await this.write((repo) => repo.markPulled(this.programmeId, now));
        this.followed = this.followed.map((f) => ({ ...f, pulledAt: now }));
        this.changed();
      }
      this.setStatus({ lastSyncedAt: now });
      this.broadcast({ type: 'changed' });
    } catch (err) {
      this.setStatus({ lastError: (err as Error).message });
    }
  }

  /** Pulls every followed and tracked topic (and what they were merged into), each after its own cursor. */
  private async pullFollowed(): Promise<void> {
    try {
      await this.pullTopics([...this.followed.map((f) => f.topicId), ...this.tracked]);
      await this.recheckPending();
      this.setStatus({ lastSyncedAt: new Date().toISOString() });
    } catch (err) {
      this.setStatus({ lastError: (err as Error).message });
    }
  }

  /** Pulls the given topics one by one, then any topic one of them was merged into; throws for the caller to report. */
  private async pullTopics(topicIds: readonly string[]): Promise<void> {
    const pullTopic = this.transport.pullTopic!.bind(this.transport);
    const todo = [...new Set(topicIds)];
    const done = new Set<string>();
    for (let topicId = todo.shift(); topicId !== undefined && !this.closed; topicId = todo.shift()) {
      if (done.has(topicId)) continue;
      done.add(topicId);
      // A topic whose submission has not reached the server yet is not there to pull.
      const unsent = this.queue.some((e) => e.entry.topicId === topicId && e.entry.event.type === 'topic.submit');
      if (!unsent) {
        let cursor = this.followed.find((f) => f.topicId === topicId)?.cursor ?? (await this.repo.topicCursor(this.programmeId, topicId).catch(() => undefined));
        for (let page = 0; page < MAX_PAGES && !this.closed; page += 1) {
          const result: PullResult = await pullTopic(topicId, cursor);
          if (result.denied) {
            this.setStatus({ pullProblem: 'unauthorised' });
            return;
          }
          if (result.unknown) break;
          if (this.pullScope === 'followed') this.setStatus({ pullProblem: undefined });
          const entries = this.ownCopies(result.entries);
          const pulledAt = new Date().toISOString();
          const skipped = await this.write((repo) => repo.mergeTopicPulled(this.programmeId, topicId, entries, result.cursor, pulledAt));
          cursor = result.cursor;
          this.followed = this.followed.map((f) => (f.topicId === topicId ? { ...f, cursor: result.cursor, pulledAt } : f));
          this.merged(entries, skipped);
          if (!result.more) break;
        }
      }
      // Follow a merge to the topic it went into: that is where the matter is decided now.
      for (const e of this.confirmed) {
        const into = (e.event as { into?: unknown }).into;
        if (e.topicId === topicId && e.event.type === 'screening.merge' && typeof into === 'string' && !done.has(into)) todo.push(into);
      }
    }
    this.broadcast({ type: 'changed' });
  }

  /**
   * Pulled entries this device already has in its outbox (its own submission, with the
   * resident's own personal values) keep those values where the server redacted them.
   */
  private ownCopies(entries: LogEntry[]): LogEntry[] {
    if (!entries.some((e) => e.redacted?.length)) return entries;
    const own = new Map(this.queue.map((q) => [q.id, q.entry]));
    return entries.map((e) => {
      const mine = e.redacted?.length ? own.get(e.id) : undefined;
      return mine ? keepOwnValues(e, mine) : e;
    });
  }

  /** In memory, after pulled entries were merged in storage. */
  private merged(entries: LogEntry[], skipped: LogEntry[]): void {
    const ids = new Set(entries.map((e) => e.id));
    const ownSubmits = this.queue.filter((e) => ids.has(e.id) && e.entry.event.type === 'topic.submit');
    this.queue = this.queue.filter((e) => !ids.has(e.id));
    for (const submitted of ownSubmits) void this.recoverFollowCode(submitted);
    this.addConfirmed(entries.filter((e) => !skipped.includes(e)));
    this.changed(); // the outbox may have shrunk even when no entry was new
    if (skipped.length > 0) {
      this.setStatus({ lastError: `The server sent ${skipped.length} event(s) it had already sent under another number; they were ignored.` });
    }
  }

  /**
   * A submission the pull confirmed (its answer was lost on the way) brought no follow code:
   * the same request, with the same `Idempotency-Key`, is answered again by the server's replay,
   * follow code included. Asked once per entry and session; a failure leaves the topic listed
   * without a code, as before.
   */
  private async recoverFollowCode(submitted: OutboxEntry): Promise<void> {
    const topicId = submitted.entry.topicId;
    const followed = this.followed.find((f) => f.topicId === topicId);
    if (!followed || followed.followCode || this.codeAsked.has(submitted.id) || this.closed) return;
    this.codeAsked.add(submitted.id);
    const result = await this.transport.send(submitted).catch(() => undefined);
    if (result?.kind !== 'ok' || !result.followCode || this.closed) return;
    const followCode = formatFollowCode(result.followCode);
    const record = await this.write((repo) => repo.upsertFollowed(this.programmeId, topicId, { followCode })).catch(() => undefined);
    if (!record) return;
    this.followed = this.followed.map((f) => (f.topicId === topicId ? record : f));
    this.changed();
    this.broadcast({ type: 'changed' });
  }

  /** Records a followed topic (or completes the record) in storage and in memory. */
  private async addFollowed(topicId: string, fields: Pick<FollowedTopic, 'raisedHere'> & Partial<FollowedTopic>): Promise<void> {
    const existing = this.followed.find((f) => f.topicId === topicId);
    const patch: Partial<FollowedTopic> = existing ? (fields.followCode && !existing.followCode ? { followCode: fields.followCode } : {}) : {};
    if (existing && Object.keys(patch).length === 0) return;
    const record = await this.write((repo) => repo.upsertFollowed(this.programmeId, topicId, patch, this.newFollowed(topicId, fields)));
    if (!record) return;
    this.followed = [record, ...this.followed.filter((f) => f.topicId !== topicId)].sort(byAddedDesc);
  }

  private newFollowed(topicId: string, fields: Pick<FollowedTopic, 'raisedHere'> & Partial<FollowedTopic>): FollowedTopic {
    return { programmeId: this.programmeId, topicId, addedAt: new Date().toISOString(), ...fields };
  }

  /** Pending events re-checked on top of the confirmed log; what is no longer allowed becomes a conflict. */
  private async recheckPending(): Promise<void> {
    const topics = new Map(this.confirmedTopics);
    for (const e of this.queue.filter((x) => x.state === 'pending')) {
      const refusal = applyEntry(this.config, topics, { ...e.entry, seq: 0 });
      if (!refusal) continue;
      const conflict: Conflict = { status: 0, title: 'No longer allowed', detail: refusal.message, refusal, at: new Date().toISOString() };
      await this.saveOutbox({ ...e, state: 'conflict', conflict, lastError: refusal.message });
    }
  }

  // ── State ───────────────────────────────────────────────────────────────────────────────

  /** Sets the confirmed log and replays it, starting from a cached projection when one fits. */
  private setConfirmed(log: LogEntry[], snapshot?: SnapshotRecord): void {
    this.confirmed = [...log].sort((a, b) => a.seq - b.seq);
    this.confirmedSeqs = new Set(this.confirmed.map((e) => e.seq));
    this.confirmedIds = new Set(this.confirmed.map((e) => e.id));
    this.contiguousSeq = 0;
    this.advanceContiguous();
    const restored = snapshot ? this.restore(snapshot) : undefined;
    if (restored) {
      for (const e of this.confirmed) if (e.seq > snapshot!.seq) applyEntry(this.config, restored, e);
      this.confirmedTopics = restored;
    } else {
      this.confirmedTopics = replay(this.config, this.confirmed).topics;
    }
    this.derived = {};
    this.maybeSaveSnapshot();
  }

  /** Topics from a cached projection, or undefined when it does not fit this config and log. */
  private restore(snapshot: SnapshotRecord): Map<string, TopicSnapshot> | undefined {
    if (snapshot.configVersion !== this.config.version || snapshot.seq > this.contiguousSeq) return undefined;
    try {
      const machine = topicMachineFor(this.config);
      const topics = new Map<string, TopicSnapshot>();
      for (const t of snapshot.topics) {
        const context = { ...(t.context as object), config: this.config } as TopicSnapshot['context'];
        topics.set(t.topicId, machine.resolveState({ value: t.value as never, context }) as TopicSnapshot);
      }
      return topics;
    } catch {
      return undefined;
    }
  }

  /** Caches the projection when enough of the log is not covered; never awaited by readers. */
  private maybeSaveSnapshot(): void {
    const seq = this.contiguousSeq;
    if (seq - this.snapshotSeq < SNAPSHOT_EVERY || seq !== (this.confirmed.at(-1)?.seq ?? 0)) return;
    this.snapshotSeq = seq;
    const record: SnapshotRecord = {
      programmeId: this.programmeId,
      configVersion: this.config.version,
      seq,
      topics: [...this.confirmedTopics].map(([topicId, t]) => {
        const { config: _config, ...context } = t.context;
        return { topicId, value: t.value, context };
      }),
      savedAt: new Date().toISOString(),
    };
    this.repo.saveSnapshot(record).catch(() => undefined);
  }

  private advanceContiguous(): void {
    while (this.confirmedSeqs.has(this.contiguousSeq + 1)) this.contiguousSeq += 1;
  }

  private addConfirmed(entries: readonly LogEntry[]): void {
    const ids = this.confirmedIds;
    const fresh = entries
      .filter((e) => !this.confirmedSeqs.has(e.seq) && !ids.has(e.id))
      .sort((a, b) => a.seq - b.seq);
    if (fresh.length === 0) return;
    const last = this.confirmed.at(-1)?.seq ?? 0;
    if (fresh[0]!.seq > last) {
      for (const e of fresh) {
        applyEntry(this.config, this.confirmedTopics, e);
        this.confirmed.push(e);
        this.confirmedSeqs.add(e.seq);
        this.confirmedIds.add(e.id);
      }
      this.advanceContiguous();
      this.maybeSaveSnapshot();
    } else {
      this.setConfirmed([...this.confirmed, ...fresh]);
    }
    this.changed();
  }

  /** Re-reads what other tabs may have changed: new log entries and the outbox. */
  private async refresh(): Promise<void> {
    const [after, outbox, followed, tracked] = await Promise.all([
      this.repo.logAfter(this.programmeId, this.contiguousSeq),
      this.repo.outbox(this.programmeId),
      this.repo.followed(this.programmeId),
      this.repo.getMeta(this.trackedKey).catch(() => undefined),
    ]);
    this.queue = outbox;
    this.followed = followed;
    // Another tab may have tracked a topic too: this one pulls it as well.
    if (Array.isArray(tracked)) for (const t of tracked) if (typeof t === 'string') this.tracked.add(t);
    this.addConfirmed(after);
    this.changed();
  }

  private async saveOutbox(entry: OutboxEntry): Promise<void> {
    await this.write((repo) => repo.updateOutbox(entry));
    this.queue = this.queue.map((e) => (e.id === entry.id ? entry : e));
    this.changed();
    this.broadcast({ type: 'changed' });
  }

  private changed(): void {
    this.derived = {};
    const pending = this.queue.filter((e) => e.state === 'pending').length;
    // Nothing waits any more (sent, or sent by another tab): no reason to wait is left to show,
    // except being signed out, which the next action would meet again.
    const hold = pending === 0 && this.state.hold && this.state.hold.reason !== 'signed-out' ? { hold: undefined } : {};
    this.setStatus({ revision: this.state.revision + 1, pending, conflicts: this.queue.length - pending, ...hold });
  }

  private setStatus(change: Partial<StoreStatus>): void {
    const next = { ...this.state, ...change };
    for (const key of Object.keys(change) as Array<keyof StoreStatus>) if (next[key] === undefined) delete next[key];
    const same = (Object.keys(next) as Array<keyof StoreStatus>).every((k) => next[k] === this.state[k]) &&
      Object.keys(next).length === Object.keys(this.state).length;
    if (same) return;
    this.state = next;
    for (const listener of this.listeners) this.safely(() => listener(next));
  }

  // ── Storage trouble ─────────────────────────────────────────────────────────────────────

  /** Runs a write; if IndexedDB fails (quota, closed, gone), moves to memory and writes there: nothing is lost. */
  private async write<T>(fn: (repo: Repo) => Promise<T>): Promise<T> {
    const repo = this.repo;
    try {
      return await fn(repo);
    } catch (err) {
      const name = (err as { name?: string })?.name ?? '';
      // Only a database that cannot store any more (quota) or is gone (closed, deleted, broken)
      // sends us to memory; a request that was itself at fault (a constraint) is the caller's.
      // The repo that failed decides: another write may have moved to memory meanwhile.
      if (err instanceof RefusedInTransaction || repo.kind === 'memory' || !STORAGE_FAILURES.has(name)) throw err;
      await this.toMemory(name === 'QuotaExceededError' ? 'quota' : 'unavailable');
      return fn(this.repo);
    }
  }

  private async toMemory(problem: StorageProblem): Promise<void> {
    if (this.repo.kind === 'memory') return;
    const memory = new MemoryRepo();
    memory.seed(this.programmeId, { log: this.confirmed, outbox: this.queue, followed: this.followed, ...(this.cursor ? { cursor: this.cursor } : {}) });
    try {
      this.repo.close();
    } catch {
      /* already closed */
    }
    this.repo = memory;
    this.setStatus({ storage: 'memory', storageProblem: problem });
  }

  private mustReload(): void {
    void this.toMemory('version');
    this.setStatus({ reloadRequired: true });
  }

  private async askPersist(): Promise<void> {
    try {
      if (this.repo.kind !== 'indexeddb' || (await this.repo.getMeta('persistAsked'))) return;
      await this.repo.setMeta('persistAsked', true);
      const persisted = (await navigator.storage?.persist?.()) ?? false;
      this.setStatus({ persisted });
    } catch {
      /* a browser without the Storage API: nothing to ask */
    }
  }

  // ── Tabs ────────────────────────────────────────────────────────────────────────────────

  private broadcast(message: Message): void {
    try {
      this.channel?.postMessage(message);
    } catch {
      /* the channel is closed */
    }
  }

  private onMessage(message: Message): void {
    if (message?.type === 'changed') {
      this.otherTabChanged = true;
      void this.refresh().then(() => {
        if (this.transport.kind === 'http' && this.queue.some((e) => e.state === 'pending')) void this.drain();
      });
    }
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      console.error('consult-kit store:', err);
    }
  }
}
