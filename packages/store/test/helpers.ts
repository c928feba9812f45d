/** Browser test helpers: configs, events, a scriptable fake server transport, waiting. */
import { applyEntry, parseWorkflowConfig, redactEntry, replay, type LogEntry, type TopicEvent, type WorkflowConfig } from '@consult-kit/machine';
import type { OutboxEntry, PullResult, SendResult, Transport } from '../src/store.types.js';

export async function exampleConfig(name: string, transport?: WorkflowConfig['transport']): Promise<WorkflowConfig> {
  const raw = (await (await fetch(`/examples/configs/${name}.json`)).json()) as Record<string, unknown>;
  if (transport) raw.transport = transport;
  const parsed = parseWorkflowConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

let clock = Date.parse('2026-05-01T02:00:00Z');
/** A strictly increasing event time. */
export const at = () => new Date((clock += 60_000)).toISOString();

export function submit(title = '3号楼加装电梯'): TopicEvent {
  return {
    type: 'topic.submit',
    values: {
      title,
      description: '三号楼住了很多老人，上下楼很难，希望加装电梯。',
      category: 'lift',
      name: '陈阿姨',
      contactWanted: 'no',
      consent: true,
    },
    source: 'resident',
    by: { role: 'resident', id: 'resident-1' },
    at: at(),
  };
}

export const accept = (): TopicEvent => ({ type: 'screening.accept', by: { role: 'convener', id: 'c1' }, at: at() });
export const reject = (): TopicEvent => ({ type: 'screening.reject', reason: '属于个人诉求，请走信访渠道', by: { role: 'convener', id: 'c2' }, at: at() });

/** A unique database name per test, so tests never see each other's data. */
export const dbName = (label: string) => `test-${label}-${Math.random().toString(36).slice(2)}`;

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A city server in memory behind the Transport interface: dedups by id, assigns seq, and
 * answers from a script first when one is given (to inject 503s, conflicts, lost answers).
 */
export class FakeServer implements Transport {
  readonly kind = 'http' as const;
  readonly log: LogEntry[] = [];
  readonly sent: OutboxEntry[] = [];
  script: Array<(entry: OutboxEntry) => SendResult | 'apply-and-lose'> = [];

  async send(entry: OutboxEntry): Promise<SendResult> {
    this.sent.push(entry);
    const step = this.script.shift()?.(entry);
    if (step === 'apply-and-lose') {
      this.apply(entry);
      return { kind: 'retry', error: 'Network: the answer was lost' };
    }
    if (step) return step;
    return { kind: 'ok', entry: this.apply(entry) };
  }

  apply(entry: OutboxEntry): LogEntry {
    const existing = this.log.find((e) => e.id === entry.id);
    if (existing) return existing;
    const logged = { ...entry.entry, seq: this.log.length + 1 };
    this.log.push(logged);
    return logged;
  }

  /** Another person's event, written straight to the server. */
  external(topicId: string, event: TopicEvent): LogEntry {
    const { by, at: time, ...body } = event;
    const logged = { id: `ext-${this.log.length + 1}`, topicId, seq: this.log.length + 1, event: body, by, at: time } as LogEntry;
    this.log.push(logged);
    return logged;
  }

  async pull(cursor: string | undefined): Promise<PullResult> {
    const after = Number(cursor ?? 0);
    const entries = this.log.filter((e) => e.seq > after);
    return { entries, cursor: String(this.log.length), more: false };
  }
}

// ── A city server behind `fetch`, for the follow-code contract ─────────────────────────────

/** Wuxi's submit with every personal value set (name, phone). */
export function personalSubmit(title = '小区门口路灯不亮', name = '陈阿姨', phone = '13800001111'): TopicEvent {
  return {
    type: 'topic.submit',
    values: { title, description: '小区门口的路灯坏了一个多月，晚上回家很黑，老人容易摔倒。', category: 'lift', name, contactWanted: 'yes', phone, consent: true },
    source: 'resident',
    by: { role: 'resident', id: 'resident-1' },
    at: at(),
  };
}

const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** One request the fake server answered. */
export interface SeenRequest {
  method: string;
  path: string;
  search: string;
  followCode: string | null;
  token: string | null;
}

/**
 * A MOCK of the reference server's follow-code contract (docs/api/openapi.yaml), behind the
 * `fetch` the http transport is given: it redacts personal values with the machine's own
 * `redactEntry`, answers a follow code for an accepted `topic.submit`, checks `Follow-Code` on
 * `rating.submit` / `topic.withdraw` sent without a token, and serves the per-topic pull and
 * `GET …/follow/{code}`. The same cases run against the real server in
 * `real-server.test.ts`; this one lets the browser tests script 403s, 404s and 429s.
 */
export class ContractFake {
  readonly log: LogEntry[] = [];
  readonly requests: SeenRequest[] = [];
  readonly codes = new Map<string, string>();
  readonly revoked = new Set<string>();
  /** Answer every follow look-up with 429 and this Retry-After (seconds) while set. */
  rateLimitSeconds: number | undefined;
  /** Answer pulls of the whole log with 401 without a token (the old `--pull-access staff`). */
  staffOnlyPull = false;

  constructor(readonly config: WorkflowConfig) {}

  /** Another device's event, taken in as the server would (redacted). */
  external(topicId: string, event: TopicEvent, id = `ext-${this.log.length + 1}`): LogEntry {
    const { by, at: time, ...body } = event;
    return this.take({ id, topicId, event: body, by, at: time } as Omit<LogEntry, 'seq'>).entry;
  }

  codeOf(topicId: string): string | undefined {
    return [...this.codes].find(([, t]) => t === topicId)?.[0];
  }

  private take(sent: Omit<LogEntry, 'seq'>): { entry: LogEntry; followCode?: string } {
    const full = { ...sent, seq: this.log.length + 1 } as LogEntry;
    const { entry } = redactEntry(this.config, full);
    this.log.push(entry);
    if (sent.event.type !== 'topic.submit') return { entry };
    const code = [...crypto.getRandomValues(new Uint32Array(12))].map((n) => CODE_ALPHABET[n % 31]).join('');
    this.codes.set(code, sent.topicId);
    return { entry, followCode: `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}` };
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), location.href);
    const headers = new Headers(init?.headers);
    const method = init?.method ?? 'GET';
    const path = url.pathname.replace(/^\/api\/programmes\/[^/]+/, '');
    const followCode = headers.get('Follow-Code');
    const token = headers.get('Authorization');
    this.requests.push({ method, path, search: url.search, followCode, token });
    const json = (body: unknown, status = 200, extra: Record<string, string> = {}) =>
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...extra } });
    const problem = (status: number, type: string, title: string, extra: Record<string, string> = {}) => json({ type, title, status }, status, extra);
    const checkCode = (raw: string | null, topicId?: string): Response | string => {
      const code = (raw ?? '').replace(/[\s-]/g, '').toUpperCase();
      if (this.rateLimitSeconds !== undefined) return problem(429, '/problems/rate-limited', 'Too many codes', { 'Retry-After': String(this.rateLimitSeconds) });
      const owner = this.codes.get(code);
      if (!owner || (topicId && owner !== topicId)) return problem(404, '/problems/follow-code-not-found', 'No topic has this follow code');
      if (this.revoked.has(code)) return problem(403, '/problems/follow-code-revoked', 'This follow code was revoked');
      return owner;
    };
    const page = (entries: LogEntry[]) => {
      const after = Number(url.searchParams.get('after') ?? 0);
      const fresh = entries.filter((e) => e.seq > after);
      return json({ entries: fresh, cursor: String(fresh.at(-1)?.seq ?? after), more: false });
    };

    if (method === 'POST' && path === '/events') {
      const sent = JSON.parse(String(init!.body)) as Omit<LogEntry, 'seq'>;
      const known = this.log.find((e) => e.id === sent.id);
      // The idempotent replay: the first answer again, the follow code of a submission included.
      if (known) {
        const code = known.event.type === 'topic.submit' ? this.codeOf(known.topicId) : undefined;
        return json({ entry: known, ...(code ? { followCode: `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}` } : {}) }, 200);
      }
      if (['rating.submit', 'topic.withdraw'].includes(sent.event.type) && !token) {
        const owner = checkCode(followCode, sent.topicId);
        if (typeof owner !== 'string') return owner;
        sent.by = { ...sent.by, id: `follow:${owner}` };
      }
      const topics = replay(this.config, this.joinedTopicLog(sent.topicId)).topics;
      const refusal = applyEntry(this.config, topics, { ...sent, seq: 0 } as LogEntry);
      if (refusal) return json({ type: '/problems/event-refused', title: 'Event refused', status: 422, refusal }, 422);
      return json(this.take(sent), 201);
    }
    if (method === 'GET' && path === '/events') {
      if (this.staffOnlyPull && !token) return problem(401, '/problems/unauthorized', 'Sign in');
      return page(this.log);
    }
    const topic = /^\/topics\/([^/]+)\/events$/.exec(path);
    if (method === 'GET' && topic) {
      const topicId = decodeURIComponent(topic[1]!);
      if (!this.log.some((e) => e.topicId === topicId)) return problem(404, '/problems/unknown-topic', 'Unknown topic');
      return page(this.log.filter((e) => e.topicId === topicId));
    }
    const follow = /^\/follow\/([^/]+)$/.exec(path);
    if (method === 'GET' && follow) {
      const owner = checkCode(decodeURIComponent(follow[1]!));
      return typeof owner === 'string' ? json({ programmeId: this.config.id, topicId: owner }) : owner;
    }
    return problem(404, '/problems/not-found', 'No such route');
  };

  /** What the machine needs to check an event (redacted values count as filled). */
  private joinedTopicLog(topicId: string): LogEntry[] {
    const into = this.log.filter((e) => e.topicId === topicId && e.event.type === 'screening.merge').map((e) => (e.event as { into: string }).into);
    return this.log.filter((e) => e.topicId === topicId || into.includes(e.topicId));
  }
}
