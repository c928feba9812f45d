/**
 * What the store's http transport relies on for residents following their topic, checked
 * against docs/api/openapi.yaml: the routes it calls, the statuses it turns into `follow()`
 * reasons and conflict reasons, the `Follow-Code` header, the follow code in the append answer,
 * and a follow code the store's own `normalizeFollowCode` accepts in every example.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { at, deref, spec, validatorAt, assertValid } from '../../server/test/openapi.js';
import { FOLLOW_CODE_ALPHABET, normalizeFollowCode } from '../src/follow-code.js';

type Obj = Record<string, unknown>;

const P = '/programmes/{programmeId}';

/** The responses of an operation, with `$ref`s followed. */
function responsesOf(path: string, method: string): Record<string, Obj> {
  const responses = at(spec, 'paths', path, method, 'responses') as Obj | undefined;
  assert.ok(responses, `${method.toUpperCase()} ${path} is in the contract`);
  return Object.fromEntries(Object.entries(responses).map(([status, r]) => [status, deref(r)]));
}

/** Every parameter of an operation (path item and operation), `$ref`s followed. */
function parametersOf(path: string, method: string): Obj[] {
  const item = (at(spec, 'paths', path) as Obj | undefined) ?? {};
  const op = (item[method] as Obj | undefined) ?? {};
  return [...((item.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])].map((p) => deref(p));
}

/** Problem `type`s in the examples of a response. */
function problemTypes(response: Obj): string[] {
  const examples = (at(response, 'content', 'application/problem+json', 'examples') as Obj | undefined) ?? {};
  return Object.values(examples).map((e) => String(at(deref(e), 'value', 'type')));
}

describe('docs/api/openapi.yaml: what the store needs to follow a topic', () => {
  it('GET …/follow/{code}: 200 with the topic, 404 not found, 403 revoked, 429 with Retry-After', () => {
    const r = responsesOf(`${P}/follow/{code}`, 'get');
    for (const status of ['200', '403', '404', '429']) assert.ok(r[status], `follow answers ${status}`);
    const target = String(at(r['200'], 'content', 'application/json', 'schema', '$ref'));
    assert.ok(target.startsWith('#/components/schemas/'), 'the 200 names its schema');
    const validator = validatorAt(target.slice(1));
    assertValid(validator, { programmeId: 'wuxi', topicId: 't-1' }, 'what the transport reads (topicId)');
    assert.equal(validator.validate({ programmeId: 'wuxi' }).valid, false, 'the topicId is required');
    assert.ok(problemTypes(r['404']!).includes('/problems/follow-code-not-found'), '404 is follow-code-not-found');
    assert.ok(problemTypes(r['403']!).includes('/problems/follow-code-revoked'), '403 is follow-code-revoked');
    assert.ok(at(r['429'], 'headers', 'Retry-After'), '429 says when to try again');
  });

  it('GET …/topics/{topicId}/events: the pull page, after a cursor, 404 for an unknown topic', () => {
    const r = responsesOf(`${P}/topics/{topicId}/events`, 'get');
    assert.ok(r['200'] && r['404']);
    const schema = deref(at(r['200'], 'content', 'application/json', 'schema'));
    assert.deepEqual(Object.keys(schema.properties as Obj).sort(), ['configVersions', 'cursor', 'entries', 'more']);
    const after = parametersOf(`${P}/topics/{topicId}/events`, 'get').find((p) => p.name === 'after');
    assert.ok(after && after.in === 'query' && after.required !== true, 'after: an optional query parameter');
    assert.ok(problemTypes(r['404']!).includes('/problems/unknown-topic'), '404 is unknown-topic');
  });

  it('POST …/events takes Follow-Code, answers a submission with its followCode, and refuses a bad code as a conflict (404/403)', () => {
    const header = parametersOf(`${P}/events`, 'post').find((p) => String(p.name).toLowerCase() === 'follow-code');
    assert.ok(header, 'Follow-Code is a parameter of the append');
    assert.equal(header.in, 'header');
    assert.notEqual(header.required, true, 'only residents acting by code send it');
    const r = responsesOf(`${P}/events`, 'post');
    for (const status of ['200', '201']) {
      const examples = Object.values((at(r[status], 'content', 'application/json', 'examples') as Obj | undefined) ?? {}).map((e) => at(deref(e), 'value') as Obj);
      const codes = examples.map((e) => e.followCode).filter((c) => c !== undefined);
      assert.ok(codes.length > 0, `${status}: an example with the topic's followCode`);
      for (const code of codes) assert.ok(normalizeFollowCode(code), `${status}: ${String(code)} is a follow code the store accepts`);
    }
    assert.ok(problemTypes(r['404']!).includes('/problems/follow-code-not-found'), 'a wrong code on the append is 404 follow-code-not-found');
    assert.ok(problemTypes(r['403']!).includes('/problems/follow-code-revoked'), 'a revoked code on the append is 403 follow-code-revoked');
  });

  it('describes the follow code as the store checks it', () => {
    const text = JSON.stringify(spec);
    assert.ok(text.includes(FOLLOW_CODE_ALPHABET), 'the contract names the same alphabet');
  });
});
