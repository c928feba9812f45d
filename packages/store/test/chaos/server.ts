/**
 * The chaos test's city backend: a small loopback HTTP server that implements the events
 * contract (append with `Idempotency-Key`, pull after a cursor) over an in-memory log, replays
 * every event through the machine, and injects faults from a seeded PRNG: 503 with
 * `Retry-After`, a response lost after the event was applied, slow answers.
 *
 * It also serves the harness page (`page.ts`, bundled in memory by esbuild) so the page, its
 * bundle and the API share one origin.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { fromSource } from '../from-source.js';
import { parseWorkflowConfig } from '../../../machine/src/config/parse-config.js';
import type { WorkflowConfig } from '../../../machine/src/config/config.types.js';
import { applyEntry } from '../../../machine/src/log/replay.js';
import type { EventRefusal, LogEntry } from '../../../machine/src/log/log.types.js';
import type { TopicSnapshot } from '../../../machine/src/topic.machine.js';
import { prng } from '../../../machine/test/fixtures.js';

const ROOT = join(import.meta.dirname, '../../../..');
const PAGE = join(import.meta.dirname, 'page.ts');
const CONFIG_FILE = join(ROOT, 'examples/configs/sichuan-courtyard.json');

/** Probabilities of each fault, rolled once per request (they exclude each other). */
export interface Faults {
  /** 503 with `Retry-After: 0` or `1`, before anything is applied. */
  unavailable: number;
  /** The event is applied, then the socket is destroyed without an answer. */
  responseLost: number;
  /** The answer comes after `slowMs` (the key is in flight meanwhile: a retry gets 409). */
  slow: number;
  slowMs: [number, number];
  /** Pulls (`GET …/events`) get 503s too. */
  onPull: boolean;
}

export const DEFAULT_FAULTS: Faults = {
  unavailable: 0.2,
  responseLost: 0.1,
  slow: 0.1,
  slowMs: [300, 800],
  onPull: true,
};

export const NO_FAULTS: Faults = { unavailable: 0, responseLost: 0, slow: 0, slowMs: [0, 0], onPull: false };

export interface ChaosServerOptions {
  /** Seeds the fault PRNG. */
  seed: number;
  /** Idempotency by key (the contract). Off: every POST appends, even with a key seen before. */
  dedup?: boolean;
  /**
   * Replay each event through the machine and refuse (422) what the lifecycle does not allow.
   * Default: on. A naive server without dedup usually has no lifecycle check either; note that
   * the machine itself refuses a second `topic.submit` for one topic, so with this on a
   * duplicate submit shows up as a 422, not as a duplicate.
   */
  checkLifecycle?: boolean;
  faults?: Partial<Faults>;
  /** One line per request answered (for diagnosis). */
  trace?: (line: string) => void;
}

export interface ChaosServerStats {
  /** POSTs received (with a body that could be read). */
  posts: number;
  pulls: number;
  /** How many times each entry id was appended to the log. */
  applied: Map<string, number>;
  /** Entries the lifecycle refused (422), by entry id. */
  refused: Map<string, number>;
  injected: { unavailable: number; responseLost: number; slow: number };
  /** Answers replayed from the idempotency table. */
  replayed: number;
  /** 409: the key was in flight. */
  inFlight409: number;
  /** 422: a key reused with another body. */
  keyReused422: number;
  /** 400: no Idempotency-Key, or a body that is not an entry. */
  badRequests: number;
  /** Requests whose `Idempotency-Key` differed from the entry's id. */
  keyMismatch: number;
}

export interface ChaosServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  programmeId: string;
  /** The config as served (transport: http, endpoint `/api`). */
  configJson: Record<string, unknown>;
  log: readonly LogEntry[];
  stats: ChaosServerStats;
  setFaults(faults: Partial<Faults>): void;
  /** Resolves when no request is being handled (slow answers included), or after `timeoutMs`. */
  idle(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

let bundle: Promise<string> | undefined;

/** Bundles `page.ts` (and the store and machine sources it imports) in memory, once per process. */
export function pageBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [PAGE],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    sourcemap: 'inline',
    logLevel: 'silent',
    plugins: [fromSource()],
  }).then((r) => r.outputFiles[0]!.text);
  return bundle;
}

const HTML = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>consult-kit outbox chaos</title>
<link rel="icon" href="data:,">
<script type="module" src="/page.js"></script>
<p>outbox chaos harness</p>
</html>
`;

/** JSON with sorted keys, so one body sent twice hashes the same whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .filter((k) => obj[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface KeyRecord {
  hash: string;
  answer?: Answer;
}

function problem(status: number, type: string, title: string, detail?: string, extra: Record<string, unknown> = {}): Answer {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: { type, title, status, ...(detail ? { detail } : {}), ...extra },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function isEntry(body: unknown): body is Omit<LogEntry, 'seq'> {
  const b = body as Partial<LogEntry> | null;
  return (
    !!b &&
    typeof b === 'object' &&
    typeof b.id === 'string' &&
    typeof b.topicId === 'string' &&
    !!b.event &&
    typeof b.event === 'object' &&
    typeof (b.event as { type?: unknown }).type === 'string' &&
    !!b.by &&
    typeof b.at === 'string'
  );
}

/** Starts the server on 127.0.0.1 at a random port. */
export async function startChaosServer(options: ChaosServerOptions): Promise<ChaosServer> {
  const dedup = options.dedup ?? true;
  const checkLifecycle = options.checkLifecycle ?? true;
  let faults: Faults = { ...DEFAULT_FAULTS, ...options.faults };
  const random = prng(options.seed);

  const raw = JSON.parse(readFileSync(CONFIG_FILE, 'utf8')) as Record<string, unknown>;
  const configJson: Record<string, unknown> = { ...raw, transport: { type: 'http', endpoint: '/api' } };
  const parsed = parseWorkflowConfig(configJson);
  if (!parsed.ok) throw new Error(`sichuan-courtyard.json is invalid: ${JSON.stringify(parsed.errors)}`);
  const config: WorkflowConfig = parsed.config;
  const programmeId = String(configJson.id);

  const log: LogEntry[] = [];
  const topics = new Map<string, TopicSnapshot>();
  const keys = new Map<string, KeyRecord>();
  const stats: ChaosServerStats = {
    posts: 0,
    pulls: 0,
    applied: new Map(),
    refused: new Map(),
    injected: { unavailable: 0, responseLost: 0, slow: 0 },
    replayed: 0,
    inFlight409: 0,
    keyReused422: 0,
    badRequests: 0,
    keyMismatch: 0,
  };
  let active = 0;
  const idleWaiters = new Set<() => void>();

  type Fault = 'none' | 'unavailable' | 'responseLost' | 'slow';
  const roll = (): Fault => {
    const r = random();
    if (r < faults.unavailable) return 'unavailable';
    if (r < faults.unavailable + faults.responseLost) return 'responseLost';
    if (r < faults.unavailable + faults.responseLost + faults.slow) return 'slow';
    return 'none';
  };
  const unavailable = (): Answer => {
    stats.injected.unavailable += 1;
    const answer = problem(503, '/problems/unavailable', 'Service unavailable (injected)');
    answer.headers['retry-after'] = random() < 0.5 ? '0' : '1';
    return answer;
  };

  /** Appends an entry if the lifecycle allows it. */
  const append = (entry: Omit<LogEntry, 'seq'>): Answer => {
    const logged: LogEntry = {
      id: entry.id,
      topicId: entry.topicId,
      seq: log.length + 1,
      event: entry.event,
      by: entry.by,
      at: entry.at,
    };
    let refusal: EventRefusal | null;
    try {
      refusal = checkLifecycle ? applyEntry(config, topics, logged) : null;
    } catch (error) {
      refusal = {
        code: 'invalid-payload',
        message: String(error),
        eventType: String(entry.event.type),
        topicId: entry.topicId,
        state: 'none',
        accepts: [],
        entryId: entry.id,
      };
    }
    if (refusal) {
      stats.refused.set(entry.id, (stats.refused.get(entry.id) ?? 0) + 1);
      return problem(422, '/problems/event-refused', 'The lifecycle does not allow this event', refusal.message, { refusal });
    }
    log.push(logged);
    stats.applied.set(entry.id, (stats.applied.get(entry.id) ?? 0) + 1);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: { entry: logged } };
  };

  const postEvent = async (req: IncomingMessage, res: ServerResponse): Promise<Answer | 'lost'> => {
    const text = await readBody(req);
    stats.posts += 1;
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') {
      stats.badRequests += 1;
      return problem(400, '/problems/idempotency-key-required', 'Idempotency-Key header required');
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      stats.badRequests += 1;
      return problem(400, '/problems/invalid-body', 'The body is not JSON');
    }
    // Accept the entry itself or `{ entry }`.
    const entry = isEntry(body) ? body : isEntry((body as { entry?: unknown } | null)?.entry) ? (body as { entry: Omit<LogEntry, 'seq'> }).entry : undefined;
    if (!entry) {
      stats.badRequests += 1;
      return problem(400, '/problems/invalid-entry', 'The body is not a log entry', 'Expected { id, topicId, event: { type, … }, by, at }.');
    }
    if (entry.id !== key) stats.keyMismatch += 1;

    const fault = roll();
    if (fault === 'unavailable') return unavailable();
    const finish = (answer: Answer): Answer | 'lost' => {
      if (fault === 'responseLost') {
        stats.injected.responseLost += 1;
        res.socket?.destroy();
        return 'lost';
      }
      return answer;
    };
    const slowly = async () => {
      if (fault !== 'slow') return;
      stats.injected.slow += 1;
      const [min, max] = faults.slowMs;
      await sleep(min + random() * (max - min));
    };

    if (!dedup) {
      await slowly();
      return finish(append(entry));
    }
    const hash = canonical(entry);
    const known = keys.get(key);
    if (known) {
      if (known.hash !== hash) {
        stats.keyReused422 += 1;
        return problem(422, '/problems/idempotency-key-reused', 'Idempotency-Key reused with another body');
      }
      if (!known.answer) {
        stats.inFlight409 += 1;
        const answer = problem(409, '/problems/request-in-flight', 'A request with this Idempotency-Key is in flight');
        answer.headers['retry-after'] = '1';
        return answer;
      }
      stats.replayed += 1;
      await slowly();
      return finish({ ...known.answer, headers: { ...known.answer.headers, 'idempotent-replayed': 'true' } });
    }
    const record: KeyRecord = { hash };
    keys.set(key, record);
    await slowly();
    record.answer = append(entry);
    return finish(record.answer);
  };

  const pull = (url: URL): Answer => {
    stats.pulls += 1;
    if (faults.onPull && random() < faults.unavailable) return unavailable();
    const after = Number(url.searchParams.get('after') ?? 0) || 0;
    const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 100) || 100, 1), 500);
    const entries = log.filter((e) => e.seq > after).slice(0, limit);
    const last = entries.at(-1)?.seq ?? Math.max(after, 0);
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { entries, cursor: String(last), more: log.length > 0 && last < log.at(-1)!.seq },
    };
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<Answer | 'lost'> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/') return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: HTML };
    if (req.method === 'GET' && path === '/page.js') {
      return { status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8' }, body: await pageBundle() };
    }
    const m = /^\/api\/programmes\/([^/]+)\/(config|events)$/.exec(path);
    if (!m) return problem(404, '/problems/not-found', 'Not found', path);
    if (decodeURIComponent(m[1]!) !== programmeId) return problem(404, '/problems/unknown-programme', 'No such programme', m[1]);
    if (m[2] === 'config' && req.method === 'GET') return { status: 200, headers: { 'content-type': 'application/json' }, body: configJson };
    if (m[2] === 'events' && req.method === 'POST') return postEvent(req, res);
    if (m[2] === 'events' && req.method === 'GET') return pull(url);
    return problem(405, '/problems/method-not-allowed', 'Method not allowed');
  };

  const t0 = Date.now();
  const server = createServer((req, res) => {
    active += 1;
    const key = req.headers['idempotency-key'];
    void route(req, res)
      .catch((error: unknown) => problem(500, '/problems/internal', 'Internal error', String(error)))
      .then((answer) => {
        options.trace?.(
          `${String(Date.now() - t0).padStart(6)} ms ${req.method} ${req.url} ${typeof key === 'string' ? key.slice(0, 8) : ''} → ${answer === 'lost' ? 'lost' : answer.status}${res.destroyed ? ' (client gone)' : ''}`,
        );
        if (answer === 'lost' || res.destroyed) return;
        const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        // A fresh connection per request: Chromium silently resends a POST whose reused
        // keep-alive socket dies before any answer, which would hide the lost responses.
        res.writeHead(answer.status, { ...answer.headers, 'cache-control': 'no-store', connection: 'close' });
        res.end(body);
      })
      .finally(() => {
        active -= 1;
        if (active === 0) for (const wake of idleWaiters) wake();
      });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    programmeId,
    configJson,
    log,
    stats,
    setFaults(next) {
      faults = { ...faults, ...next };
    },
    async idle(timeoutMs = 5000) {
      if (active === 0) return true;
      let wake!: () => void;
      const done = new Promise<boolean>((resolve) => {
        wake = () => resolve(true);
        idleWaiters.add(wake);
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const result = await Promise.race([done, timeout]);
      clearTimeout(timer);
      idleWaiters.delete(wake);
      return result;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
