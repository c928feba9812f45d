/**
 * docs/api/openapi.yaml is the REST contract a city's backend implements and the http transport
 * follows. These checks fail when it drifts: from OpenAPI 3.1, from the routes and statuses the
 * transport relies on, from itself (a `$ref` that resolves nowhere, an example its schema
 * refuses), or from the machine (its event types, roles, levels, figures and rules).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
// The contract's helpers (the parsed document, key paths, validators), shared with the server's
// tests, which check real responses against the same document.
import { assertValid, at, spec, validatorAt } from '../../server/test/openapi.js';
import { EVENT_TYPES, LEVEL_RANK, ROLES, SOURCE_IDS } from '../../machine/src/config/config.types.js';
import { DEFAULT_SOURCES } from '../../machine/src/config/defaults.js';
import { parseWorkflowConfig } from '../../machine/src/config/parse-config.js';
import { applyEntry } from '../../machine/src/log/replay.js';
import { redactEntry } from '../../machine/src/log/redact.js';
import { selectFigures } from '../../machine/src/consultation.selectors.js';
import type { LogEntry } from '../../machine/src/log/log.types.js';
import type { TopicSnapshot } from '../../machine/src/topic.machine.js';

type Obj = Record<string, unknown>;

const root = join(import.meta.dirname, '../../..');
const specPath = join(root, 'docs/api/openapi.yaml');
const specDir = dirname(specPath);
const machineDoc = readFileSync(join(root, 'docs/machine.md'), 'utf8');

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The routes of the contract and their methods. */
const ROUTES: Record<string, string[]> = {
  '/programmes': ['get'],
  '/programmes/{programmeId}/config': ['get', 'put'],
  // Issue 19: every published version of a config, and one of them by number.
  '/programmes/{programmeId}/config/versions': ['get'],
  '/programmes/{programmeId}/config/versions/{version}': ['get'],
  '/programmes/{programmeId}/events': ['get', 'post'],
  '/programmes/{programmeId}/figures': ['get'],
  '/programmes/{programmeId}/rooms': ['get'],
  '/programmes/{programmeId}/rooms/{roomId}': ['get'],
  '/programmes/{programmeId}/trends': ['get'],
  '/programmes/{programmeId}/performance': ['get'],
  '/programmes/{programmeId}/reports/{report}': ['get'],
  '/programmes/{programmeId}/topics': ['get'],
  '/programmes/{programmeId}/topics/{topicId}/events': ['get'],
  '/programmes/{programmeId}/follow/{code}': ['get'],
  '/programmes/{programmeId}/erasures': ['post'],
  '/programmes/{programmeId}/exports': ['get'],
  '/me': ['get'],
  '/identity': ['get'],
  // Issue 17: the supervisor's list, a resident's notices by follow code, the one-click
  // unsubscribe every message links to, and the operator's outbox.
  '/programmes/{programmeId}/overdue': ['get'],
  '/programmes/{programmeId}/follow/{code}/subscriptions': ['get', 'post'],
  '/programmes/{programmeId}/follow/{code}/subscriptions/{subscriptionId}/cancel': ['post'],
  '/unsubscribe/{token}': ['get', 'post'],
  '/unsubscribe/{token}/undo': ['post'],
  '/programmes/{programmeId}/notices': ['get'],
  '/programmes/{programmeId}/notices/replay': ['post'],
  '/programmes/{programmeId}/notices/{noticeId}/replay': ['post'],
  // Issue 21: liveness, readiness and Prometheus metrics, at the server's root.
  '/healthz': ['get'],
  '/readyz': ['get'],
  '/metrics': ['get'],
};
const APPEND_STATUSES = ['200', '201', '400', '401', '403', '404', '409', '413', '415', '422', '429', '503'];
/** Statuses a client must wait on before retrying. */
const RETRY_AFTER_STATUSES = ['409', '429', '503'];
const EVENTS = '/programmes/{programmeId}/events';

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown, what: string): Obj {
  assert.ok(isObj(value), `${what} must be an object`);
  return value;
}

function list(value: unknown, what: string): unknown[] {
  assert.ok(Array.isArray(value), `${what} must be a list`);
  return value;
}

const escapeSegment = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const pointerOf = (keys: readonly string[]) => keys.map((k) => `/${escapeSegment(k)}`).join('');

/** Resolves an RFC 6901 JSON Pointer (as a URI fragment, so percent-decoded first). */
function resolvePointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  assert.ok(pointer.startsWith('/'), `"${pointer}" is not a JSON Pointer`);
  const keys = pointer
    .slice(1)
    .split('/')
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
  return at(document, ...keys);
}

/** Follows internal `$ref`s; returns the node and its pointer in the document. */
function deref(node: unknown, pointer: string): { node: unknown; pointer: string } {
  let current = node;
  let where = pointer;
  for (let hops = 0; isObj(current) && typeof current.$ref === 'string'; hops += 1) {
    assert.ok(hops < 20, `$ref loop at ${where}`);
    const ref = current.$ref;
    assert.ok(ref.startsWith('#'), `${where}: only schemas may point outside the document (${ref})`);
    where = ref.slice(1);
    current = resolvePointer(spec, where);
    assert.notEqual(current, undefined, `${ref} resolves to nothing`);
  }
  return { node: current, pointer: where };
}

interface Operation {
  path: string;
  method: string;
  node: Obj;
  pointer: string;
}

function operations(): Operation[] {
  const paths = obj(at(spec, 'paths'), 'paths');
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(obj(item, path))
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, node]) => ({ path, method, node: obj(node, `${method} ${path}`), pointer: pointerOf(['paths', path, method]) })),
  );
}

function operation(path: string, method: string): Operation {
  const found = operations().find((o) => o.path === path && o.method === method);
  assert.ok(found, `${method.toUpperCase()} ${path} is missing`);
  return found;
}

interface Response {
  op: Operation;
  status: string;
  node: Obj;
  pointer: string;
}

function responses(): Response[] {
  return operations().flatMap((op) =>
    Object.entries(obj(op.node.responses, `${op.method} ${op.path} responses`)).map(([status, raw]) => {
      const { node, pointer } = deref(raw, `${op.pointer}/responses/${status}`);
      return { op, status, node: obj(node, `${op.method} ${op.path} ${status}`), pointer };
    }),
  );
}

interface MediaExample {
  where: string;
  key: string;
  example: Obj;
  /** Pointer of the media type's schema. */
  schemaPointer: string;
}

/** Every named example of a media type (request bodies and responses), with its schema's pointer. */
function mediaExamples(): MediaExample[] {
  const out: MediaExample[] = [];
  const collect = (content: unknown, pointer: string, where: string) => {
    if (!isObj(content)) return;
    for (const [type, media] of Object.entries(content)) {
      const mediaPointer = `${pointer}/content/${escapeSegment(type)}`;
      for (const [key, example] of Object.entries(isObj(at(media, 'examples')) ? (at(media, 'examples') as Obj) : {})) {
        out.push({ where: `${where} ${type} ${key}`, key, example: obj(deref(example, '').node, key), schemaPointer: `${mediaPointer}/schema` });
      }
    }
  };
  for (const op of operations()) {
    const body = at(op.node, 'requestBody');
    if (body) {
      const { node, pointer } = deref(body, `${op.pointer}/requestBody`);
      collect(at(node, 'content'), pointer, `${op.method} ${op.path} request`);
    }
  }
  for (const r of responses()) collect(r.node.content, r.pointer, `${r.op.method} ${r.op.path} ${r.status}`);
  return out;
}

/** Every `$ref` in the document, with where it is. */
function allRefs(node: unknown, pointer = ''): Array<{ ref: string; pointer: string }> {
  if (Array.isArray(node)) return node.flatMap((n, i) => allRefs(n, `${pointer}/${i}`));
  if (!isObj(node)) return [];
  return Object.entries(node).flatMap(([k, v]) =>
    k === '$ref' && typeof v === 'string' ? [{ ref: v, pointer }] : allRefs(v, `${pointer}/${escapeSegment(k)}`),
  );
}

function schemaEnum(name: string): unknown[] {
  return list(at(spec, 'components', 'schemas', name, 'enum'), `${name}.enum`);
}

const sorted = (values: Iterable<unknown>) => [...values].map(String).sort();

describe('docs/api/openapi.yaml', () => {
  it('is OpenAPI 3.1.x with a title and a version', () => {
    assert.match(String(at(spec, 'openapi')), /^3\.1\.\d+$/);
    assert.equal(typeof at(spec, 'info', 'title'), 'string');
    assert.equal(typeof at(spec, 'info', 'version'), 'string');
  });

  it('has every route of the contract, each with exactly its methods', () => {
    const paths = obj(at(spec, 'paths'), 'paths');
    assert.deepEqual(Object.keys(paths).sort(), Object.keys(ROUTES).sort());
    for (const [path, methods] of Object.entries(ROUTES)) {
      const found = Object.keys(obj(paths[path], path)).filter((k) => HTTP_METHODS.includes(k));
      assert.deepEqual(found.sort(), [...methods].sort(), `methods of ${path}`);
    }
  });

  it('keeps the rules of OpenAPI that tools rely on', () => {
    for (const r of responses()) {
      assert.equal(typeof r.node.description, 'string', `${r.op.method} ${r.op.path} ${r.status} needs a description`);
      assert.match(r.status, /^([1-5][0-9]{2}|default)$/, `${r.op.path}: status ${r.status}`);
    }
    for (const op of operations()) {
      const item = obj(at(spec, 'paths', op.path), op.path);
      const params = [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.node.parameters) ? op.node.parameters : [])].map(
        (p) => obj(deref(p, '').node, 'parameter'),
      );
      for (const p of params) {
        assert.ok(typeof p.name === 'string' && ['path', 'query', 'header', 'cookie'].includes(String(p.in)), `${op.path}: parameter ${String(p.name)}`);
        assert.ok(isObj(p.schema), `${op.path}: parameter ${String(p.name)} has a schema`);
        if (p.in === 'path') assert.equal(p.required, true, `${op.path}: path parameter ${String(p.name)} is required`);
        if (p.in === 'header') assert.ok(!['accept', 'content-type', 'authorization'].includes(String(p.name).toLowerCase()), `${op.path}: ${String(p.name)} is ignored as a parameter`);
      }
      const templated = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = params.filter((p) => p.in === 'path').map((p) => p.name);
      assert.deepEqual(sorted(declared), sorted(templated), `${op.path}: path parameters`);
    }
    for (const [kind, entries] of Object.entries(obj(at(spec, 'components'), 'components'))) {
      for (const name of Object.keys(obj(entries, kind))) assert.match(name, /^[a-zA-Z0-9.\-_]+$/, `components/${kind}/${name}`);
    }
    assert.ok(isObj(at(spec, 'components', 'securitySchemes', 'bearerAuth')), 'bearerAuth');
    assert.equal(at(spec, 'components', 'securitySchemes', 'bearerAuth', 'type'), 'http');
    assert.equal(at(spec, 'components', 'securitySchemes', 'bearerAuth', 'scheme'), 'bearer');
  });

  it('gives every operation a unique operationId, a summary, a description and examples', () => {
    const ids = operations().map((op) => op.node.operationId);
    for (const op of operations()) {
      const name = `${op.method.toUpperCase()} ${op.path}`;
      assert.match(String(op.node.operationId), /^[a-z][A-Za-z]+$/, `${name} operationId`);
      assert.ok(typeof op.node.summary === 'string' && op.node.summary.length > 0, `${name} summary`);
      assert.ok(typeof op.node.description === 'string' && op.node.description.length > 20, `${name} description`);
      const examples = mediaExamples().filter((e) => e.where.startsWith(`${op.method} ${op.path} `));
      assert.ok(examples.length > 0, `${name} has no examples`);
    }
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  });

  it('documents every answer of the append operation, with its headers', () => {
    const post = operation(EVENTS, 'post');
    const statuses = Object.keys(obj(post.node.responses, 'responses'));
    const missing = APPEND_STATUSES.filter((s) => !statuses.includes(s));
    assert.deepEqual(missing, [], `POST ${EVENTS} must document these statuses`);
    const byStatus = new Map(responses().filter((r) => r.op.path === EVENTS && r.op.method === 'post').map((r) => [r.status, r]));
    assert.ok(at(byStatus.get('200')?.node, 'headers', 'Idempotent-Replayed'), '200 carries Idempotent-Replayed');
    for (const status of RETRY_AFTER_STATUSES) {
      assert.ok(at(byStatus.get(status)?.node, 'headers', 'Retry-After'), `${status} carries Retry-After`);
    }
    for (const name of ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']) {
      assert.ok(at(byStatus.get('429')?.node, 'headers', name), `429 carries ${name}`);
      assert.ok(at(byStatus.get('201')?.node, 'headers', name), `201 carries ${name}`);
    }

    const params = list(post.node.parameters, 'parameters').map((p) => obj(deref(p, '').node, 'parameter'));
    const key = params.find((p) => p.name === 'Idempotency-Key');
    assert.ok(key, 'Idempotency-Key is a parameter');
    assert.equal(key.in, 'header');
    assert.equal(key.required, true);
    const keySchema = obj(deref(key.schema, '').node, 'Idempotency-Key schema');
    assert.equal(keySchema.minLength, 1);
    assert.equal(keySchema.maxLength, 128);
    assert.equal(keySchema.pattern, '^[A-Za-z0-9._:-]+$');
    assert.equal(at(post.node, 'requestBody', 'required'), true);
    assert.deepEqual(Object.keys(obj(at(post.node, 'requestBody', 'content'), 'request content')), ['application/json']);
  });

  it('pages the pull with after and limit (default 500, at most 1000), and takes now for the figures', () => {
    const pullParams = list(operation(EVENTS, 'get').node.parameters, 'pull parameters').map((p) => obj(deref(p, '').node, 'parameter'));
    const after = pullParams.find((p) => p.name === 'after');
    const limit = pullParams.find((p) => p.name === 'limit');
    assert.ok(after && after.in === 'query' && after.required !== true, 'after: optional query parameter');
    assert.ok(limit && limit.in === 'query' && limit.required !== true, 'limit: optional query parameter');
    assert.equal(at(limit, 'schema', 'default'), 500);
    assert.equal(at(limit, 'schema', 'maximum'), 1000);
    const figureParams = list(operation('/programmes/{programmeId}/figures', 'get').node.parameters, 'figure parameters');
    assert.ok(figureParams.some((p) => at(deref(p, '').node, 'name') === 'now'), 'figures take now');
    assert.deepEqual(sorted(Object.keys(obj(at(spec, 'components', 'schemas', 'PullPage', 'properties'), 'PullPage'))), ['configVersions', 'cursor', 'entries', 'more']);
  });

  it('resolves every $ref and every external example', () => {
    const refs = allRefs(spec);
    assert.ok(refs.length > 50, `only ${refs.length} $refs`);
    for (const { ref, pointer } of refs) {
      const [file, fragment = ''] = ref.split('#');
      if (!file) {
        assert.notEqual(resolvePointer(spec, fragment), undefined, `${ref} (at ${pointer}) resolves to nothing`);
        continue;
      }
      const target = resolve(specDir, file);
      assert.ok(existsSync(target), `${ref} (at ${pointer}): no file ${target}`);
      if (fragment) assert.notEqual(resolvePointer(JSON.parse(readFileSync(target, 'utf8')), fragment), undefined, `${ref} resolves to nothing`);
    }
    for (const e of mediaExamples()) {
      if (typeof e.example.externalValue !== 'string') continue;
      const target = resolve(specDir, e.example.externalValue);
      assert.ok(existsSync(target), `${e.where}: no file ${target}`);
    }
  });

  it('answers every error with application/problem+json', () => {
    const errors = responses().filter((r) => r.status === 'default' || Number(r.status) >= 400);
    assert.ok(errors.length > 20);
    for (const r of errors) {
      const name = `${r.op.method.toUpperCase()} ${r.op.path} ${r.status}`;
      // The unsubscribe link is opened from an e-mail in a browser: its pages, 404 too, are HTML for people.
      if (r.op.path.startsWith('/unsubscribe/')) {
        assert.deepEqual(Object.keys(obj(r.node.content, `${name} content`)), ['text/html'], name);
        continue;
      }
      assert.deepEqual(Object.keys(obj(r.node.content, `${name} content`)), ['application/problem+json'], name);
      const examples = mediaExamples().filter((e) => e.where.startsWith(`${r.op.method} ${r.op.path} ${r.status} `));
      assert.ok(examples.length > 0, `${name} has no example`);
      for (const e of examples) assert.equal(at(e.example, 'value', 'status'), Number(r.status), `${e.where}: status`);
    }
  });

  it('lists every problem type it uses, names no host, and uses every one it lists', () => {
    const listed = list(at(spec, 'components', 'schemas', 'ProblemType', 'oneOf'), 'ProblemType.oneOf').map((t) => at(t, 'const'));
    for (const t of listed) assert.match(String(t), /^\/problems\/[a-z-]+$/, 'relative problem type');
    for (const t of list(at(spec, 'components', 'schemas', 'ProblemType', 'oneOf'), 'ProblemType')) {
      assert.ok(typeof at(t, 'description') === 'string', `${String(at(t, 'const'))} has a description`);
    }
    const used = new Set(
      mediaExamples()
        .filter((e) => e.where.includes('application/problem+json'))
        .map((e) => at(e.example, 'value', 'type')),
    );
    assert.deepEqual(sorted(used), sorted(new Set(listed)), 'problem types used in examples = ProblemType');
  });

  it("covers exactly the machine's event types in the event oneOf, discriminated by type", () => {
    const body = obj(at(spec, 'components', 'schemas', 'TopicEventBody'), 'TopicEventBody');
    const members = list(body.oneOf, 'TopicEventBody.oneOf').map((m) => {
      const ref = String(at(m, '$ref'));
      const type = at(deref(m, '').node, 'properties', 'type', 'const');
      assert.equal(typeof type, 'string', `${ref} has properties.type.const`);
      assert.ok(list(at(deref(m, '').node, 'required'), `${ref}.required`).includes('type'), `${ref} requires type`);
      return { ref, type: String(type) };
    });
    assert.deepEqual(sorted(members.map((m) => m.type)), sorted(EVENT_TYPES), 'oneOf types = EVENT_TYPES');
    assert.equal(at(body, 'discriminator', 'propertyName'), 'type');
    const mapping = obj(at(body, 'discriminator', 'mapping'), 'discriminator.mapping');
    assert.deepEqual(sorted(Object.keys(mapping)), sorted(EVENT_TYPES), 'discriminator mapping = EVENT_TYPES');
    for (const m of members) assert.equal(mapping[m.type], m.ref, `mapping of ${m.type}`);
    for (const type of EVENT_TYPES) assert.ok(machineDoc.includes(`\`${type}\``), `${type} is in docs/machine.md`);
  });

  it("uses the machine's roles, levels, sources and figures", () => {
    assert.deepEqual(sorted(schemaEnum('Role')), sorted(ROLES));
    assert.deepEqual(sorted(schemaEnum('Level')), sorted(Object.keys(LEVEL_RANK)));
    // Every source the machine knows: the defaults, and open311 (a city opts in: issue 21).
    assert.deepEqual(sorted(schemaEnum('Source')), sorted(SOURCE_IDS));
    for (const source of DEFAULT_SOURCES) assert.ok(SOURCE_IDS.includes(source));
    const figures = selectFigures([], '2026-01-01T00:00:00Z');
    const schema = obj(at(spec, 'components', 'schemas', 'ProgrammeFigures'), 'ProgrammeFigures');
    assert.deepEqual(sorted(Object.keys(obj(schema.properties, 'properties'))), sorted(Object.keys(figures)));
    assert.deepEqual(sorted(list(schema.required, 'required')), sorted(Object.keys(figures)));
    const entry = obj(at(spec, 'components', 'schemas', 'LogEntry', 'properties'), 'LogEntry');
    assert.deepEqual(sorted(Object.keys(entry)), ['at', 'by', 'event', 'id', 'receivedAt', 'redacted', 'seq', 'topicId']);
    const submission = obj(at(spec, 'components', 'schemas', 'EventSubmission'), 'EventSubmission');
    assert.deepEqual(sorted(Object.keys(obj(submission.properties, 'properties'))), ['at', 'by', 'event', 'id', 'topicId']);
    assert.equal(submission.additionalProperties, false, 'a submission carries no seq');
  });

  it('gives examples their schemas accept', () => {
    const examples = mediaExamples().filter((e) => 'value' in e.example);
    assert.ok(examples.length > 30, `only ${examples.length} examples`);
    const validators = new Map<string, ReturnType<typeof validatorAt>>();
    for (const e of examples) {
      let validator = validators.get(e.schemaPointer);
      if (!validator) validators.set(e.schemaPointer, (validator = validatorAt(e.schemaPointer)));
      assertValid(validator, e.example.value, e.where);
    }
    const configs = mediaExamples().filter((e) => typeof e.example.externalValue === 'string');
    assert.ok(configs.length > 0, 'the config has an example');
    for (const e of configs) {
      const json: unknown = JSON.parse(readFileSync(resolve(specDir, String(e.example.externalValue)), 'utf8'));
      assertValid(validatorAt(e.schemaPointer), json, e.where);
      assert.equal(parseWorkflowConfig(json).ok, true, `${e.where} is a valid workflow config`);
    }
  });

  it('has schemas that refuse what the contract refuses', () => {
    const submission = validatorAt('/components/schemas/EventSubmission');
    const good = {
      id: '01958f3a-6c1e-7b2d-9c4f-1a2b3c4d5e07',
      topicId: 'tp-1',
      event: { type: 'screening.accept' },
      by: { role: 'convener', id: 'c-001' },
      at: '2026-03-04T10:05:00+08:00',
    };
    assertValid(submission, good, 'a plain screening.accept');
    const bad: Array<[string, unknown]> = [
      ['a seq sent by the client', { ...good, seq: 3 }],
      ['an unknown event type', { ...good, event: { type: 'topic.delete' } }],
      ['a payload member the event does not have', { ...good, event: { type: 'screening.accept', reason: 'x' } }],
      ['an id with a space', { ...good, id: 'a b' }],
      ['an id of 129 characters', { ...good, id: 'a'.repeat(129) }],
      ['a role the machine does not know', { ...good, by: { role: 'mayor' } }],
      ['a time that is not a time', { ...good, at: 'yesterday' }],
      ['no by', { id: good.id, topicId: good.topicId, event: good.event, at: good.at }],
      ['a measure without its party', { ...good, event: { type: 'meeting.record', time: good.at, place: 'p', topic: 't', effect: 'e', consensus: 'full', measures: [{ text: 'x' }] } }],
    ];
    for (const [what, value] of bad) assert.equal(submission.validate(value).valid, false, `EventSubmission must refuse ${what}`);
  });

  it('tells a story of examples that the machine accepts, one event type at least once each', () => {
    const programmeId = String(at(spec, 'components', 'parameters', 'ProgrammeId', 'example'));
    const raw: unknown = JSON.parse(readFileSync(join(root, 'examples/configs/wuxi-community.json'), 'utf8'));
    assert.equal(at(raw, 'id'), programmeId, 'the examples are about the Wuxi programme');
    const parsed = parseWorkflowConfig(raw);
    assert.ok(parsed.ok);
    const story = mediaExamples().filter((e) => e.where.startsWith(`post ${EVENTS} request`));
    assert.deepEqual(sorted(new Set(story.map((e) => at(e.example, 'value', 'event', 'type')))), sorted(EVENT_TYPES), 'an example of every event type');
    const topics = new Map<string, TopicSnapshot>();
    let seq = 0;
    for (const e of story) {
      const entry = { ...obj(e.example.value, e.key), seq: ++seq } as unknown as LogEntry;
      const alternative = e.example['x-alternative'] === true;
      const refusal = applyEntry(parsed.config, alternative ? new Map(topics) : topics, entry);
      assert.equal(refusal, null, `${e.key} is refused: ${JSON.stringify(refusal)}`);
    }
    assert.equal(String(topics.get(String(at(story.at(-1)?.example, 'value', 'topicId')))?.value), 'closed', 'the story ends with the topic closed');
  });

  it('logs what was sent, redacted by the machine\'s redactEntry, adding only seq and the time received, in seq order', () => {
    const config = parseWorkflowConfigOrThrow();
    const sent = new Map(
      mediaExamples()
        .filter((e) => e.where.startsWith(`post ${EVENTS} request`))
        .map((e) => [String(at(e.example, 'value', 'id')), obj(e.example.value, e.key)]),
    );
    const logged = (e: MediaExample): Obj[] => {
      const value = obj(e.example.value, e.key);
      return isObj(value.entry) ? [value.entry] : list(value.entries, `${e.where} entries`).map((x) => obj(x, 'entry'));
    };
    const answers = mediaExamples().filter((e) => /^(post|get) \/programmes\/\{programmeId\}\/events (200|201) /.test(e.where));
    assert.ok(answers.length >= 4);
    for (const e of answers) {
      const entries = logged(e);
      for (const entry of entries) {
        const { seq, receivedAt, ...rest } = entry;
        assert.ok(Number.isInteger(seq) && (seq as number) >= 1, `${e.where}: seq`);
        // The server's clock, beside the claimed `at`: every entry it accepts now carries it
        // (entries stored before it was recorded have none).
        if (e.where.startsWith('post') || receivedAt !== undefined) {
          assert.ok(typeof receivedAt === 'string' && !Number.isNaN(Date.parse(receivedAt)), `${e.where}: entry ${String(entry.id)} has receivedAt`);
        }
        const asSent = sent.get(String(entry.id));
        assert.ok(asSent, `${e.where}: entry ${String(entry.id)} is an example request`);
        const { seq: _seq, ...redacted } = redactEntry(config, { ...asSent, seq: seq as number } as unknown as LogEntry).entry as unknown as Obj;
        assert.deepEqual(rest, redacted, `${e.where}: entry ${String(entry.id)} is the event as sent, redacted`);
      }
      const seqs = entries.map((x) => x.seq as number);
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), `${e.where}: seq ascending`);
    }
  });

  it("refuses with the machine's refusal codes, and reports figures that add up", () => {
    const refused = mediaExamples().filter((e) => at(e.example, 'value', 'type') === '/problems/event-refused');
    assert.ok(refused.length > 0, 'an example of a refusal');
    for (const e of refused) {
      const refusal = obj(at(e.example, 'value', 'refusal'), `${e.where} refusal`);
      assert.ok(machineDoc.includes(`\`${String(refusal.code)}\``), `${e.where}: code ${String(refusal.code)} is in docs/machine.md`);
      assert.ok((EVENT_TYPES as readonly unknown[]).includes(refusal.eventType), `${e.where}: eventType`);
    }
    const machineRefusal = applyEntry(parseWorkflowConfigOrThrow(), new Map(), {
      id: 'e-1',
      topicId: 'tp-none',
      seq: 1,
      event: { type: 'screening.accept' },
      by: { role: 'convener' },
      at: '2026-03-04T10:05:00+08:00',
    });
    assert.ok(machineRefusal);
    assertValid(validatorAt('/components/schemas/EventRefusal'), machineRefusal, "the machine's refusal");

    const figureExamples = mediaExamples().filter((x) => x.where.startsWith('get /programmes/{programmeId}/figures 200 '));
    assert.ok(figureExamples.length > 0, 'an example of the figures');
    for (const e of figureExamples) {
      const figures = obj(e.example.value, e.where);
      const byStage = Object.values(obj(figures.topicsByStage, 'topicsByStage')) as number[];
      assert.equal(byStage.reduce((a, b) => a + b, 0), figures.topicsRaised, `${e.where}: topics by stage add up`);
      assert.equal(at(figures, 'topicsByStage', 'closed') ?? 0, figures.topicsSolved, `${e.where}: solved = closed`);
    }
  });
});

function parseWorkflowConfigOrThrow() {
  const parsed = parseWorkflowConfig(JSON.parse(readFileSync(join(root, 'examples/configs/wuxi-community.json'), 'utf8')));
  if (!parsed.ok) throw new Error('examples/configs/wuxi-community.json is invalid');
  return parsed.config;
}
