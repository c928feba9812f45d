/**
 * Data for the "my topics" stories: a resident's phone as it stood when it last pulled from the
 * city's server. The topics come from the same builders as the other stories (`LoggedTopic`,
 * driven by the machine's own transitions); the phone is a real store (IndexedDB, `pullScope:
 * 'followed'`) whose database is seeded through the store's own repository, as a per-topic pull
 * leaves it: the topic's REDACTED entries (`redactEntry`, what the reference server answers
 * anyone), the follow code, and `pulledAt` at a fixed time — so "last updated" and everything
 * judged against `now` read the same on any day.
 *
 * Behind the store is `StoryServer`, a stand-in for the reference server that lives in the page
 * (Storybook has no backend): it numbers what the phone sends, answers follow codes (404 / 403 /
 * 429 / offline as the real one does), checks the code sent with a withdrawal or a rating and
 * stamps `by.id = "follow:" + 16 hex of SHA-256(code)` as the reference server does. It does not
 * answer pulls (the phone keeps what it pulled at {@link PULLED_AT}) unless `answersPulls` is set.
 */
import { redactEntry, type LogEntry, type TopicEventBody, type WorkflowConfig } from '@consult-kit/machine';
import {
  IdbRepo,
  formatFollowCode,
  normalizeFollowCode,
  openDatabase,
  openStore,
  type ConsultStore,
  type FollowResult,
  type NoticeResult,
  type NoticeSubscription,
  type NoticesClient,
  type OutboxEntry,
  type PullResult,
  type SendResult,
  type Transport,
} from '@consult-kit/store';
import { followActorId } from '../../packages/elements/src/my-topics/follow-id.js';
import { LoggedTopic, NOW, config, rawConfig, type ConfigName } from './programme.js';

/** The time the stories judge deadlines and the rating window by. */
export const STORY_NOW = NOW;
/** When the phone last pulled its topics ("last updated"), half an hour before {@link STORY_NOW}. */
export const PULLED_AT = '2026-05-31T23:30:00.000Z';

/** Follow codes of the stories, in the server's alphabet (no 0/O, 1/I/L). */
export const CODES = ['K7QM-3XPA-9DRT', 'H4NW-8ZCE-2BUF', 'P9TR-6YGM-3KVS', 'W2XE-5HJN-7QCA', 'D8FU-4MRB-6TZY', 'N3VK-9PWG-2EHS', 'R6ZC-2KTX-8MUW', 'T5GH-7BQE-4NPV'];

/** The `by.id` the server stamps on what a resident sends with this code. */
export async function actorOf(code: string): Promise<string> {
  const id = await followActorId(normalizeFollowCode(code)!);
  if (!id) throw new Error('Web Crypto is needed for the follow-code stories');
  return id;
}

/** The stand-in city server (see the file comment). */
export class StoryServer implements Transport {
  readonly kind = 'http' as const;
  log: LogEntry[] = [];
  /** Normalised code → topic id. */
  readonly codes = new Map<string, string>();
  readonly revoked = new Set<string>();
  /** Sends and follow look-ups are answered (false: the phone has no connection). */
  online = true;
  /** Per-topic pulls are answered (false: the phone keeps what it pulled last). */
  answersPulls = false;
  rateLimited = false;
  /** The notification routes (opt-in by follow code), when the story sets them up (`phone(…, { notices: true })`). */
  notices: NoticesClient | undefined;

  constructor(private readonly config: WorkflowConfig) {}

  /** Takes these topics' log, numbered in time order and redacted as the server keeps it. */
  load(topics: readonly LoggedTopic[]): void {
    this.log = topics
      .flatMap((t) => t.entries)
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((e, i) => redactEntry(this.config, { ...e, seq: i + 1 }).entry);
  }

  entriesOf(topicId: string): LogEntry[] {
    return this.log.filter((e) => e.topicId === topicId);
  }

  async send(outbox: OutboxEntry): Promise<SendResult> {
    if (!this.online) return { kind: 'retry', error: 'Network: offline' };
    const e = outbox.entry;
    let by = e.by;
    let followCode: string | undefined;
    if (e.event.type === 'rating.submit' || e.event.type === 'topic.withdraw') {
      const code = outbox.followCode ? normalizeFollowCode(outbox.followCode) : null;
      if (!code || this.codes.get(code) !== e.topicId) {
        return { kind: 'conflict', conflict: { status: 404, title: 'Follow code not found', reason: 'follow-code-not-found', at: e.at } };
      }
      by = { role: 'resident', id: await actorOf(code) };
    }
    if (e.event.type === 'topic.submit') {
      followCode = CODES.find((c) => !this.codes.has(normalizeFollowCode(c)!))!;
      this.codes.set(normalizeFollowCode(followCode)!, e.topicId);
    }
    const logged = redactEntry(this.config, { ...e, by, seq: this.log.length + 1 } as LogEntry).entry;
    this.log.push(logged);
    return { kind: 'ok', entry: logged, ...(followCode ? { followCode } : {}) };
  }

  /** A resident's phone pulls topic by topic; the whole programme's log is not for it. */
  async pull(): Promise<PullResult> {
    return { entries: [], cursor: '', more: false, denied: true };
  }

  async pullTopic(topicId: string, cursor: string | undefined): Promise<PullResult> {
    if (!this.online || !this.answersPulls) throw new Error('Network: the story keeps what the phone pulled last');
    const after = Number(cursor ?? 0);
    const entries = this.entriesOf(topicId).filter((e) => e.seq > after);
    if (this.entriesOf(topicId).length === 0) return { entries: [], cursor: cursor ?? '', more: false, unknown: true };
    return { entries, cursor: String(this.log.at(-1)!.seq), more: false };
  }

  async follow(code: string): Promise<FollowResult> {
    if (!this.online) return { ok: false, reason: 'offline' };
    if (this.rateLimited) return { ok: false, reason: 'rate-limited', retryAfterMs: 125_000 };
    const normal = normalizeFollowCode(code) ?? '';
    if (this.revoked.has(normal)) return { ok: false, reason: 'revoked' };
    const topicId = this.codes.get(normal);
    return topicId ? { ok: true, topicId } : { ok: false, reason: 'not-found' };
  }
}

/**
 * The notification routes as the reference server answers them, in the page: opt-ins by follow
 * code, the address masked in every answer ("l***@example.org", "138****8000"), the same address
 * again the same opt-in, offline when the server is.
 */
export function storyNotices(server: StoryServer): NoticesClient {
  const subs = new Map<string, Array<NoticeSubscription & { full: string }>>();
  const masked = ({ full: _full, ...s }: NoticeSubscription & { full: string }): NoticeSubscription => s;
  const known = (code: string) => server.codes.has(normalizeFollowCode(code) ?? '');
  return {
    async subscriptions(code): Promise<NoticeResult<NoticeSubscription[]>> {
      if (!server.online) return { ok: false, reason: 'offline' };
      if (!known(code)) return { ok: false, reason: 'not-found', status: 404 };
      return { ok: true, value: (subs.get(code) ?? []).map(masked) };
    },
    async optIn(code, body): Promise<NoticeResult<NoticeSubscription>> {
      if (!server.online) return { ok: false, reason: 'offline' };
      const list = subs.get(code) ?? [];
      const same = list.find((x) => x.channel === body.channel && x.full === body.address);
      if (same) return { ok: true, value: masked(same) };
      const address = body.channel === 'email' ? body.address.replace(/^(.)[^@]*/, '$1***') : `${body.address.slice(-11, -8)}****${body.address.slice(-4)}`;
      const made = { id: `sub-${list.length + 1}`, channel: body.channel, address, locale: body.locale, createdAt: PULLED_AT, full: body.address };
      subs.set(code, [...list, made]);
      return { ok: true, value: masked(made) };
    },
    async cancel(code, id) {
      if (!server.online) return { ok: false, reason: 'offline' };
      subs.set(code, (subs.get(code) ?? []).filter((x) => x.id !== id));
      return { ok: true, value: { id, cancelled: true as const } };
    },
    async overdue() {
      return { ok: false, reason: 'forbidden', status: 403 };
    },
  };
}

/** A topic on the phone: raised here, or added by its code; `code: null` = no code (not sent yet). */
export interface OnPhone {
  topic: LoggedTopic;
  code?: string | null;
  raisedHere?: boolean;
}

export interface Phone {
  store: ConsultStore;
  server: StoryServer;
}

const open = new Map<string, ConsultStore>();

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

const IGNORE = { onVersionChange() {}, onBlocked() {}, onTerminated() {}, onEvicted() {} };

/**
 * A resident's phone following `topics` (in this order, the first listed first), each as pulled
 * at {@link PULLED_AT}; `others` are on the server only (a topic one was merged into: the phone
 * has it as the store's merge-following pull leaves it). `pending` is submitted on this phone
 * and not yet sent (use with `server.online = false`).
 */
export async function phone(
  dbName: string,
  name: ConfigName,
  topics: readonly OnPhone[],
  options: { others?: readonly LoggedTopic[]; online?: boolean; pending?: LoggedTopic; notices?: boolean } = {},
): Promise<Phone> {
  open.get(dbName)?.close();
  open.delete(dbName);
  await deleteDatabase(dbName);
  const checked = config(name);
  const server = new StoryServer(checked);
  server.load([...topics.map((t) => t.topic), ...(options.others ?? [])]);
  topics.forEach((t, i) => {
    const code = t.code === undefined ? CODES[i]! : t.code;
    if (code) server.codes.set(normalizeFollowCode(code)!, t.topic.id);
  });

  const db = await openDatabase(dbName, IGNORE);
  try {
    const repo = new IdbRepo(db);
    const programmeId = checked.id;
    const cursor = String(server.log.length);
    for (const [i, t] of topics.entries()) {
      const code = t.code === undefined ? CODES[i]! : t.code;
      await repo.upsertFollowed(programmeId, t.topic.id, {}, {
        programmeId,
        topicId: t.topic.id,
        raisedHere: t.raisedHere ?? false,
        ...(code ? { followCode: formatFollowCode(normalizeFollowCode(code)!) } : {}),
        // Newest first: the first topic was added last.
        addedAt: new Date(Date.parse(PULLED_AT) - i * 60_000).toISOString(),
      });
      await repo.mergeTopicPulled(programmeId, t.topic.id, server.entriesOf(t.topic.id), cursor, PULLED_AT);
    }
    for (const other of options.others ?? []) await repo.mergeTopicPulled(programmeId, other.id, server.entriesOf(other.id), cursor, PULLED_AT);
  } finally {
    db.close();
  }

  server.online = options.online ?? true;
  if (options.notices) server.notices = storyNotices(server);
  const store = await openStore({
    config: { ...rawConfig(name), transport: { type: 'http', endpoint: '/story-server' } },
    dbName,
    transport: server,
    pullScope: 'followed',
    pullIntervalMs: 0,
    backoff: { baseMs: 60_000, maxMs: 60_000 },
  });
  open.set(dbName, store);
  if (options.pending) {
    for (const e of options.pending.entries) {
      const result = await store.append(e.topicId, { ...(e.event as TopicEventBody), by: e.by, at: e.at } as never);
      if (!result.ok) throw new Error(`${e.event.type} refused: ${result.refusal.message}`);
    }
  }
  return { store, server };
}
