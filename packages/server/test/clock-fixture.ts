/**
 * Shared by the clock's tests (clock-*.test.ts): a controllable clock, topics raised through the
 * contract's story with every step claimed at the clock's now, and reads of the job table.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../src/db/db.js';
import type { NotifyOptions, WebhookEndpoint } from '../src/notifications/types.js';
import { catchUpIndex } from '../src/topic-index.js';
import { append, PEOPLE, story, TO_EVALUATION, TO_MEASURES, type Answer, type TestServer } from './helpers.js';

type Obj = Record<string, unknown>;

/** A clock a test moves: `clock()` is what `AppOptions.clock` gets. */
export interface TestClock {
  now: number;
  set(iso: string): void;
  clock: () => Date;
}

export function testClock(iso: string): TestClock {
  const c: TestClock = {
    now: Date.parse(iso),
    set(value: string) {
      c.now = Date.parse(value);
    },
    clock: () => new Date(c.now),
  };
  return c;
}

const STORY = story();
const body = (key: string) => structuredClone(STORY.find((s) => s.key === key)!.body);

/** The story's steps up to the record's measures, and up to the evaluation (helpers.ts). */
export { TO_EVALUATION, TO_MEASURES };

/** Sends a story step claimed at the clock's now, as the admin. */
export async function step(server: TestServer, clock: TestClock, programme: string, topicId: string, key: string, change: (s: Obj & { event: Obj }) => void = () => {}): Promise<Answer> {
  const s: Obj & { event: Obj } = { ...body(key), id: `e-${randomUUID()}`, topicId, by: { role: 'admin' }, at: new Date(clock.now).toISOString() };
  // The meeting is held when it is scheduled for (the early-start rule): now.
  if (key === 'meetingSchedule') s.event.start = new Date(clock.now).toISOString();
  change(s);
  const res = await append(server, programme, s, { token: PEOPLE.admin.token });
  assert.equal(res.status, 201, `${key}: ${res.text}`);
  return res;
}

/** Raises a topic (a resident with a token) and sends the story's steps `keys`, each at the clock's now. */
export async function raise(server: TestServer, clock: TestClock, programme: string, keys: readonly string[]): Promise<string> {
  const topicId = `tp-${randomUUID()}`;
  const submit = { ...body('topicSubmit'), id: `e-${randomUUID()}`, topicId, at: new Date(clock.now).toISOString() };
  const res = await append(server, programme, submit, { token: PEOPLE.resident.token });
  assert.equal(res.status, 201, res.text);
  for (const key of keys) await step(server, clock, programme, topicId, key);
  return topicId;
}

/** A job row as the tests read it. */
export interface JobRow extends Obj {
  key: string;
  topic_id: string;
  kind: string;
  run_at_ms: number;
  state: string;
  attempts: number;
}

/** A programme's jobs (after catching its index up), by key. */
export async function jobsOf(db: Db, programme: string): Promise<JobRow[]> {
  await catchUpIndex(db, programme);
  return db.query<JobRow>('select key, topic_id, kind, run_at_ms, state, attempts from timer_job where programme_id = $1 order by key', [programme]);
}

/** The pending (key, run_at_ms) pairs of a programme, sorted. */
export async function pendingSchedule(db: Db, programme: string): Promise<[string, number][]> {
  return (await jobsOf(db, programme)).filter((j) => j.state === 'pending').map((j) => [j.key, j.run_at_ms] as [string, number]);
}

/** How many outbox rows a programme has (after catching its index up, which queues event notices). */
export async function outboxCount(db: Db, programme: string, trigger?: string): Promise<number> {
  await catchUpIndex(db, programme);
  const [row] = await db.query<{ n: number }>(
    `select count(*)::bigint as n from notice_outbox where programme_id = $1${trigger ? ' and trigger = $2' : ''}`,
    trigger ? [programme, trigger] : [programme],
  );
  return Number(row?.n ?? 0);
}

/**
 * Notify options for the clock's tests: the given webhooks, no directory, one retry after a
 * minute, a 5 s attempt timeout, Shanghai time, and no timer of its own (`tickMs: 0`: the test
 * calls `tick`).
 */
export function clockNotify(webhooks: WebhookEndpoint[] = []): NotifyOptions {
  return {
    webhooks,
    directory: { people: {}, parties: {}, programmes: {} },
    retry: { delaysSeconds: [60], timeoutMs: 5_000 },
    timeZone: 'Asia/Shanghai',
    tickMs: 0,
  };
}

/** A real HTTP receiver standing for the city's webhook, and notify options that point at it. */
export interface Receiver {
  bodies: Obj[];
  notify: NotifyOptions;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const bodies: Obj[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      bodies.push(JSON.parse(text) as Obj);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    bodies,
    notify: clockNotify([{ id: 'city', url: `http://127.0.0.1:${port}/hook`, secret: `whsec_${randomBytes(32).toString('base64')}` }]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
