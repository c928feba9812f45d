/**
 * Issue 21, "Bad input and failure": bodies that once answered 500 or were stored as sent. A
 * body nesting 10,000 deep (the request fingerprint overflowed the stack) is a 400 before it is
 * fingerprinted; a NUL or half of a surrogate pair in any string of a body (`by.name`, a form
 * value, a member name, a config) is a 400 with the pointer to it, on both backends, and nothing
 * is stored.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, fingerprint } from '../src/canonical-json.js';
import { MAX_JSON_DEPTH, parseJson } from '../src/parse-json.js';
import { Problem } from '../src/problems.js';
import { append, call, exampleConfig, PATHS, PEOPLE, perDatabase, topicSubmission, wuxiProgramme, type Answer } from './helpers.js';
import { ROOT } from './openapi.js';

type Obj = Record<string, unknown>;

const expectProblem = (res: Answer, status: number, type: string): void => {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(res.body?.type, type);
};

/** `depth` arrays, one inside the other, as JSON text. */
const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** The depth of a parsed value (arrays and objects). */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

it('the depth limit is above every real document: the example configs and the studio\'s JSON parse', () => {
  const files = readdirSync(join(ROOT, 'examples/configs')).map((f) => join(ROOT, 'examples/configs', f));
  let deepest = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    deepest = Math.max(deepest, depthOf(parseJson(text)));
  }
  assert.ok(deepest >= 5 && deepest * 2 <= MAX_JSON_DEPTH, `deepest example ${deepest}, limit ${MAX_JSON_DEPTH}`);
  assert.deepEqual(depthOf(parseJson(nested(MAX_JSON_DEPTH))), MAX_JSON_DEPTH);
  // Brackets inside strings do not count.
  assert.equal((parseJson(JSON.stringify({ t: '['.repeat(1000), u: '\\"[[[' })) as Obj).t, '['.repeat(1000));
  assert.throws(() => parseJson(nested(MAX_JSON_DEPTH + 1)), (e: unknown) => e instanceof Problem && e.body.maxDepth === MAX_JSON_DEPTH);
  // With a __proto__ member (the reviver's path, which would overflow too).
  assert.throws(() => parseJson(`{"__proto__x":${nested(100_000)}}`), (e: unknown) => e instanceof Problem && e.status === 400);
});

it('canonicalJson does not recurse: a value 200,000 deep has its canonical form', () => {
  let deep: unknown = [];
  for (let i = 0; i < 200_000; i++) deep = i % 2 ? [deep] : { k: deep };
  const text = canonicalJson(deep);
  assert.equal(text.length, 100_000 * '[]'.length + 100_000 * '{"k":}'.length + '[]'.length);
  assert.match(fingerprint(deep), /^[0-9a-f]{64}$/);
  assert.equal(canonicalJson({ b: [1, 'x', null, true, { d: 1, c: [] }], a: {} }), '{"a":{},"b":[1,"x",null,true,{"c":[],"d":1}]}');
});

perDatabase('hardening: bad input', ({ db, server }) => {
  let programme = '';

  /** The convener's pull of the whole programme: how many entries are stored. */
  const stored = async (): Promise<number> => {
    const res = await call(server(), `/api/programmes/${programme}/events?limit=500`, { token: PEOPLE.convener.token, template: PATHS.events });
    assert.equal(res.status, 200, res.text);
    return (res.body as { entries: unknown[] }).entries.length;
  };

  it('a 20 KB body nesting an array 10,000 deep in values.title is 400 malformed-json with maxDepth, not 500; the server answers after', async () => {
    programme = await wuxiProgramme(db());
    const body = topicSubmission();
    const text = JSON.stringify(body).replace('"title":"3号楼加装电梯"', `"title":${nested(10_000)}`);
    assert.ok(text.length > 20_000 && text.length < 64 * 1024);
    for (let i = 0; i < 3; i++) {
      const res = await append(server(), programme, undefined, { rawBody: text, key: body.id, token: PEOPLE.resident.token });
      expectProblem(res, 400, '/problems/malformed-json');
      assert.equal(res.body?.maxDepth, MAX_JSON_DEPTH);
      assert.match(String(res.body?.detail), /deeper than 64 levels/);
    }
    // Objects as deep, and a config publish as deep, are refused the same way.
    const objects = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    expectProblem(await append(server(), programme, undefined, { rawBody: objects, key: 'k-deep', token: PEOPLE.resident.token }), 400, '/problems/malformed-json');
    const config = exampleConfig('wuxi-community.json', (c) => {
      c.id = programme;
    }).replace('{', `{"deep":${nested(5_000)},`);
    const put = await call(server(), `/api/programmes/${programme}/config`, {
      method: 'PUT',
      rawBody: config,
      key: null,
      token: PEOPLE.admin.token,
      headers: { 'content-type': 'application/json', 'if-match': '"x"' },
      template: PATHS.config,
    });
    expectProblem(put, 400, '/problems/malformed-json');
    assert.equal((await append(server(), programme, body)).status, 201);
    assert.equal(await stored(), 1);
  });

  const BAD: Array<[string, (b: Obj & { event: Obj; by: Obj }) => void, string]> = [
    ['a NUL in by.name', (b) => (b.by.name = '王秀\u0000英'), '/by/name'],
    ['a lone high surrogate in by.name', (b) => (b.by.name = '王秀\uD83D'), '/by/name'],
    ['a NUL in a form value', (b) => ((b.event.values as Obj).location = '幸福里\u00003号楼'), '/event/values/location'],
    ['a lone low surrogate in the title', (b) => ((b.event.values as Obj).title = '3号楼\uDE00加装电梯'), '/event/values/title'],
    ['a NUL in a photo\'s name', (b) => (((b.event.values as Obj).photos as Obj[])[0]!.name = 'a\u0000.jpg'), '/event/values/photos/0/name'],
    ['a NUL in a member name', (b) => ((b.event.values as Obj)['ti\u0000tle'] = 'x'), '/event/values/ti\u0000tle'],
    ['a NUL in the time', (b) => (b.at = '2026-03-02T09:15:00+08:00\u0000'), '/at'],
  ];
  for (const [what, change, pointer] of BAD) {
    it(`${what} is 400 invalid-request pointing at ${JSON.stringify(pointer)}; nothing is stored`, async () => {
      const before = await stored();
      const body = topicSubmission() as unknown as Obj & { event: Obj; by: Obj };
      change(body);
      const res = await append(server(), programme, body);
      expectProblem(res, 400, '/problems/invalid-request');
      const errors = res.body?.errors as Array<{ pointer: string; message: string }>;
      assert.equal(errors[0]?.pointer, pointer);
      assert.match(errors[0]!.message, /NUL|surrogate/);
      // The answer never carries a lone surrogate back (it would not be valid UTF-8).
      assert.doesNotMatch(res.text, /\\ud[89a-f]/i);
      assert.equal(await stored(), before);
    });
  }

  it('a valid surrogate pair (an emoji) is stored as sent', async () => {
    const body = topicSubmission() as unknown as Obj & { event: Obj; by: Obj };
    (body.event.values as Obj).title = '3号楼加装电梯 🛗';
    const res = await append(server(), programme, body);
    assert.equal(res.status, 201, res.text);
    assert.equal(((res.body as { entry: { event: { values: Obj } } }).entry.event.values).title, '3号楼加装电梯 🛗');
  });

  it('a config with a NUL is 400 invalid-request with its pointer, not 500', async () => {
    const config = exampleConfig('wuxi-community.json', (c) => {
      c.id = programme;
      c.version = 'x\u0000';
    });
    const res = await call(server(), `/api/programmes/${programme}/config`, {
      method: 'PUT',
      rawBody: config,
      key: null,
      token: PEOPLE.admin.token,
      headers: { 'content-type': 'application/json', 'if-match': '"x"' },
      template: PATHS.config,
    });
    expectProblem(res, 400, '/problems/invalid-request');
    assert.equal((res.body?.errors as Array<{ pointer: string }>)[0]?.pointer, '/version');
  });
});

perDatabase('hardening: NUL in a query or path parameter', ({ db, server }) => {
  let programme = '';
  const CASES: Array<[string, () => string, string | undefined, string]> = [
    ['the index search', () => `/api/programmes/${programme}/topics?q=%00`, undefined, 'q'],
    ['an export by value', () => `/api/programmes/${programme}/exports?value=a%00b`, PEOPLE.admin.token, 'value'],
    ['an export by topic', () => `/api/programmes/${programme}/exports?topicId=a%00b`, PEOPLE.admin.token, 'topicId'],
    ['the overdue list by party', () => `/api/programmes/${programme}/overdue?party=a%00`, PEOPLE.convener.token, 'party'],
    ['a topic id in the path', () => `/api/programmes/${programme}/topics/t%00x/events`, PEOPLE.convener.token, 'topicId'],
  ];
  for (const [what, path, token, parameter] of CASES) {
    it(`${what} with a NUL is 400 invalid-request naming ${parameter}, not 500`, async () => {
      if (programme === '') programme = await wuxiProgramme(db());
      const res = await call(server(), path(), token ? { token } : {});
      expectProblem(res, 400, '/problems/invalid-request');
      assert.equal((res.body?.errors as Array<{ parameter: string }>)[0]?.parameter, parameter);
    });
  }
  it('the same routes answer without the NUL', async () => {
    assert.equal((await call(server(), `/api/programmes/${programme}/topics?q=x`)).status, 200);
  });
});
