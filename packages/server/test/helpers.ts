/**
 * Shared by the server's tests: the databases to run against (PGlite always; PostgreSQL when
 * DATABASE_URL is set, in a schema of its own), a server on a free port, example configs as
 * programmes, tokens, and an HTTP helper that checks every answer against the contract.
 */
import { after, before, describe } from 'node:test';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { parseTokens } from '../src/authn.js';
import { DEFAULTS, type AppOptions } from '../src/config.js';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { emptyPgliteDump, openPglite } from '../src/db/pglite.js';
import { openPostgres } from '../src/db/postgres.js';
import { upsertProgramme } from '../src/programmes.js';
import { at, checkResponse, ROOT, spec, type SeenResponse } from './openapi.js';

type Obj = Record<string, unknown>;

/** A database kind the suites run against. */
export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated, empty database. */
  open(): Promise<Db>;
}

const PGLITE_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;

/**
 * A dump of an empty PGlite database, made once per PGlite version and kept in the temp folder:
 * initdb takes seconds, loading the dump a fraction of one.
 */
export async function pgliteTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `consult-kit-pglite-${PGLITE_VERSION}.tar`);
  if (!existsSync(file)) {
    const dump = await emptyPgliteDump();
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  }
  return new Blob([readFileSync(file)]);
}

/** The databases every suite runs against. */
export const DATABASES: TestDatabase[] = [
  {
    name: 'pglite',
    async open() {
      const db = await openPglite({ loadDataDir: await pgliteTemplate() });
      await migrate(db);
      return db;
    },
  },
];
const DATABASE_URL = process.env.DATABASE_URL;
if (DATABASE_URL) {
  DATABASES.push({
    name: 'postgres',
    async open() {
      const schema = `ck_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      const db = await openPostgres({ connectionString: DATABASE_URL, schema });
      await migrate(db);
      const close = db.close.bind(db);
      return {
        ...db,
        kind: db.kind,
        async close() {
          await db.exec(`drop schema ${schema} cascade`);
          await close();
        },
      };
    },
  });
}

/** Who acts in the contract's story (docs/api/openapi.yaml), with a token each. */
export const PEOPLE = {
  convener: { token: 'tok-convener-c001-aaaaaaaaaaaa', role: 'convener', id: 'c-001', name: '张丽华' },
  member: { token: 'tok-member-m0087-bbbbbbbbbbbbb', role: 'member', id: 'm-0087', name: '陈志明' },
  department: { token: 'tok-department-dhb01-ccccccc', role: 'department', id: 'd-hb-01', name: '刘明' },
  grid: { token: 'tok-grid-g0312-ddddddddddddddd', role: 'grid', id: 'g-0312', name: '李建国' },
  resident: { token: 'tok-resident-r10086-eeeeeeeee', role: 'resident', id: 'r-10086', name: '王秀英' },
  admin: { token: 'tok-admin-a0001-fffffffffffffff', role: 'admin', id: 'a-0001', name: '赵敏' },
} as const;

/** The token table for `PEOPLE`. */
export const TOKENS = parseTokens(Object.fromEntries(Object.values(PEOPLE).map(({ token, ...p }) => [token, p])), 'test tokens');

/** App options for tests: the defaults (redacted pulls, the follow-code limit), a generous rate limit, no log. */
export function testOptions(overrides: Partial<AppOptions> = {}): AppOptions {
  return {
    tokens: TOKENS,
    corsOrigins: ['https://portal.example.gov.cn'],
    bodyLimit: DEFAULTS.bodyLimit,
    rateLimit: { max: 100_000, windowMs: 60_000 },
    staleInFlightSeconds: DEFAULTS.staleInFlightSeconds,
    pullAccess: DEFAULTS.pullAccess,
    followLimit: { ...DEFAULTS.followLimit },
    logLevel: false,
    trustProxy: false,
    ...overrides,
  };
}

/** A server listening on 127.0.0.1 at a free port. */
export interface TestServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Starts the app on a database. */
export async function serve(db: Db, overrides: Partial<AppOptions> = {}): Promise<TestServer> {
  const app = await buildApp(db, testOptions(overrides));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** An example config's text, optionally changed (its id, permissions…). */
export function exampleConfig(file: string, change: (config: Obj) => void = () => {}): string {
  const config = JSON.parse(readFileSync(join(ROOT, 'examples/configs', file), 'utf8')) as Obj;
  change(config);
  return JSON.stringify(config, null, 2);
}

/** Stores an example config as a programme (under another id when given); returns the id. */
export async function addProgramme(db: Db, file: string, change?: (config: Obj) => void): Promise<string> {
  const result = await upsertProgramme(db, exampleConfig(file, change));
  if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors)}`);
  return result.id;
}

/** A fresh programme id based on the Wuxi example (tests in one database stay apart). */
export async function wuxiProgramme(db: Db, change: (config: Obj) => void = () => {}): Promise<string> {
  const id = `wuxi-${randomUUID().slice(0, 8)}`;
  return addProgramme(db, 'wuxi-community.json', (c) => {
    c.id = id;
    change(c);
  });
}

/** One POST example of the contract's story. */
export interface StoryStep {
  key: string;
  alternative: boolean;
  body: Obj & { id: string; topicId: string; event: Obj & { type: string }; by: Obj & { role: string; id?: string }; at: string };
}

/** The request examples of `POST …/events`, in the document's order (the story of 加装电梯). */
export function story(): StoryStep[] {
  const examples = at(spec, 'paths', '/programmes/{programmeId}/events', 'post', 'requestBody', 'content', 'application/json', 'examples') as Record<string, Obj>;
  return Object.entries(examples).map(([key, example]) => ({
    key,
    alternative: example['x-alternative'] === true,
    body: structuredClone(example.value) as StoryStep['body'],
  }));
}

/** The story's step keys after topic.submit, up to the record's measures (one adopted, one proposed). */
export const TO_MEASURES = [
  'screeningAccept',
  'researchComplete',
  'meetingSchedule',
  'meetingStart',
  'meetingAdvanceToDeliberation',
  'meetingAdvanceToInteraction',
  'meetingAdvanceToResponse',
  'meetingRecord',
  'measureAdopt',
] as const;

/** The story's step keys after topic.submit, up to the feedback that opens the evaluation. */
export const TO_EVALUATION = [...TO_MEASURES, 'measureDecline', 'measureProgress', 'measureImplement', 'feedbackPublish'] as const;

/** `TO_EVALUATION` as plain strings (what most tests slice and search). */
export const STORY_TO_EVALUATION: readonly string[] = TO_EVALUATION;

/** The token of the person who sends a story step (by its `by.id`). */
export function tokenFor(by: { id?: string }): string | undefined {
  return Object.values(PEOPLE).find((p) => p.id === by.id)?.token;
}

/** A submission for a new topic raised by a resident (valid for the Wuxi form). */
export function topicSubmission(topicId = `t-${randomUUID()}`, id = `e-${randomUUID()}`): StoryStep['body'] {
  const first = story()[0]!.body;
  return { ...structuredClone(first), id, topicId, by: { role: 'resident', id: PEOPLE.resident.id, name: PEOPLE.resident.name } };
}

/** An answer, with its JSON body parsed. */
export interface Answer extends SeenResponse {
  body: Obj | undefined;
  text: string;
}

/** What `call` sends. */
export interface CallInit {
  method?: 'GET' | 'POST' | 'PUT' | 'OPTIONS';
  body?: unknown;
  /** Sent as it is (not JSON-encoded). */
  rawBody?: string;
  token?: string;
  /** Idempotency-Key; default the body's id. `null`: none. */
  key?: string | null;
  headers?: Record<string, string>;
  /** The contract's path template, to check the answer against; omit for paths not in it. */
  template?: string;
}

/**
 * Sends a request to a test server and, when `template` is given, checks the answer against
 * the contract (status declared, media type, body schema, declared headers).
 */
export async function call(server: TestServer, path: string, init: CallInit = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const hasBody = init.body !== undefined || init.rawBody !== undefined;
  const method = init.method ?? (hasBody ? 'POST' : 'GET');
  if (hasBody && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  const key = init.key === undefined ? (init.body as { id?: unknown } | undefined)?.id : init.key;
  if (typeof key === 'string') headers['idempotency-key'] = key;
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(init.rawBody !== undefined ? { body: init.rawBody } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  let body: Obj | undefined;
  if (text !== '' && /json/.test(res.headers.get('content-type') ?? '')) body = JSON.parse(text) as Obj;
  const answer: Answer = { status: res.status, headers: res.headers, body, text };
  if (init.template) checkResponse(init.template, method.toLowerCase(), answer);
  return answer;
}

/** Contract path templates. */
export const PATHS = {
  programmes: '/programmes',
  config: '/programmes/{programmeId}/config',
  events: '/programmes/{programmeId}/events',
  figures: '/programmes/{programmeId}/figures',
  topicEvents: '/programmes/{programmeId}/topics/{topicId}/events',
  follow: '/programmes/{programmeId}/follow/{code}',
  erasures: '/programmes/{programmeId}/erasures',
  exports: '/programmes/{programmeId}/exports',
} as const;

/** Appends an event as its sender would (with their token) and checks the answer against the contract. */
export function append(server: TestServer, programmeId: string, body: unknown, init: Omit<CallInit, 'body'> = {}): Promise<Answer> {
  const by = (body as { by?: { id?: string } } | undefined)?.by ?? {};
  const token = 'token' in init ? init.token : tokenFor(by);
  return call(server, `/api/programmes/${programmeId}/events`, { template: PATHS.events, ...init, body, ...(token ? { token } : {}) });
}

/** What a suite gets: its database and server (made before its tests, closed after them). */
export interface SuiteContext {
  database: TestDatabase;
  db(): Db;
  server(): TestServer;
}

/** Runs `suite` as one `describe` per database, each with a fresh database and server. */
export function perDatabase(title: string, suite: (ctx: SuiteContext) => void, overrides: Partial<AppOptions> = {}): void {
  for (const database of DATABASES) {
    describe(`${title} (${database.name})`, () => {
      let db: Db | undefined;
      let server: TestServer | undefined;
      before(async () => {
        db = await database.open();
        server = await serve(db, overrides);
      });
      after(async () => {
        await server?.close();
        await db?.close();
      });
      suite({ database, db: () => db!, server: () => server! });
    });
  }
}
