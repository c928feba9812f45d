/**
 * The contract, docs/api/openapi.yaml, for the server's tests: its schemas (internal `$ref`s
 * resolved by the validator), validators for any schema in it, and a check of a real response
 * against what the document declares for that operation and status.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { Validator, type Schema } from '@cfworker/json-schema';

type Obj = Record<string, unknown>;

export const ROOT = join(import.meta.dirname, '../../..');
const SPEC_PATH = join(ROOT, 'docs/api/openapi.yaml');
const WORKFLOW_SCHEMA = join(ROOT, 'packages/machine/src/config/workflow.schema.json');
const BASE = pathToFileURL(SPEC_PATH).href;

/** The parsed contract. */
export const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as Obj;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows keys from a node. */
export function at(node: unknown, ...keys: string[]): unknown {
  let current = node;
  for (const key of keys) current = isObj(current) ? current[key] : undefined;
  return current;
}

/** Follows an internal `$ref` chain to its node. */
export function deref(node: unknown): Obj {
  let current = node;
  for (let hops = 0; isObj(current) && typeof current.$ref === 'string' && current.$ref.startsWith('#/'); hops += 1) {
    assert.ok(hops < 20, 'a $ref loop');
    current = at(spec, ...current.$ref.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')));
  }
  assert.ok(isObj(current), 'a $ref resolves to nothing');
  return current;
}

/** The document's schemas as a validator sees them: examples removed (their `id`s would read as schema ids). */
function withoutExamples(node: unknown, parentKey = ''): unknown {
  if (Array.isArray(node)) return node.map((n) => withoutExamples(n));
  if (!isObj(node)) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => parentKey === 'properties' || (k !== 'example' && k !== 'examples'))
      .map(([k, v]) => [k, withoutExamples(v, k)]),
  );
}
const specForValidator = withoutExamples(spec) as Schema;
const workflowSchema = JSON.parse(readFileSync(WORKFLOW_SCHEMA, 'utf8')) as Schema;

/** A validator for the schema at a JSON Pointer of the document (`/components/schemas/Problem`). */
export function validatorAt(pointer: string): Validator {
  const fragment = pointer.split('/').map((s) => encodeURI(s).replace(/#/g, '%23')).join('/');
  const validator = new Validator({ $ref: `${BASE}#${fragment}` } as Schema, '2020-12', false);
  validator.addSchema(specForValidator, BASE);
  validator.addSchema(workflowSchema, pathToFileURL(WORKFLOW_SCHEMA).href);
  return validator;
}

/** Fails with the validator's leaf errors unless `value` matches. */
export function assertValid(validator: Validator, value: unknown, what: string): void {
  const result = validator.validate(value);
  const faults = result.errors
    .filter((e) => !['$ref', 'allOf', 'anyOf', 'oneOf', 'properties', 'items', 'discriminator'].includes(e.keyword))
    .slice(0, 8)
    .map((e) => `${e.instanceLocation}: ${e.error}`);
  assert.ok(result.valid, `${what} does not match its schema:\n${faults.join('\n')}\n${JSON.stringify(value).slice(0, 400)}`);
}

/** The response the document declares for an operation and status. */
export function declaredResponse(path: string, method: string, status: number): { node: Obj; pointer?: string } {
  const responses = at(spec, 'paths', path, method, 'responses');
  assert.ok(isObj(responses), `${method.toUpperCase()} ${path} is not in the contract`);
  // The exact status, else its range (`4XX`), else `default` (OpenAPI's order of precedence).
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => responses[k] !== undefined);
  assert.ok(key !== undefined, `${method.toUpperCase()} ${path} does not declare status ${status}`);
  const raw = responses[key];
  const ref = isObj(raw) && typeof raw.$ref === 'string' ? raw.$ref.slice(1) : `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${key}`;
  return { node: deref(raw), pointer: ref };
}

const validators = new Map<string, Validator>();
function cachedValidator(pointer: string): Validator {
  let v = validators.get(pointer);
  if (!v) validators.set(pointer, (v = validatorAt(pointer)));
  return v;
}

/** A response as the tests see it. */
export interface SeenResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined without a body. */
  body: unknown;
  /** The body as text, when the caller has it (checked against a non-JSON media type's schema). */
  text?: string;
}

/**
 * Checks a response against the contract: the status is declared for the operation, the
 * media type is the declared one, the body matches its schema, and every header the response
 * declares is present and matches its schema.
 */
export function checkResponse(path: string, method: string, res: SeenResponse): void {
  const what = `${method.toUpperCase()} ${path} ${res.status}`;
  const { node, pointer } = declaredResponse(path, method, res.status);
  const content = at(node, 'content');
  if (isObj(content)) {
    const declared = Object.keys(content);
    const got = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    // One declared media type: the answer must carry exactly it. Several (a report as CSV or XLSX): one of them.
    const mediaType = declared.length === 1 ? declared[0]! : declared.find((m) => m === got);
    assert.equal(got, mediaType ?? declared.join(' or '), `${what}: content-type`);
    const schemaPointer = `${pointer}/content/${mediaType!.replace(/~/g, '~0').replace(/\//g, '~1')}/schema`;
    if (/[/+]json$/.test(mediaType!)) assertValid(cachedValidator(schemaPointer), res.body, `${what} body`);
    else if (res.text !== undefined && at(content, mediaType!, 'schema', 'format') !== 'binary') assertValid(cachedValidator(schemaPointer), res.text, `${what} body`);
  } else {
    assert.equal(res.body, undefined, `${what} has no body`);
  }
  const headers = at(node, 'headers');
  for (const [name, header] of Object.entries(isObj(headers) ? headers : {})) {
    const value = res.headers.get(name);
    assert.ok(value !== null, `${what}: header ${name} is missing`);
    const schema = at(deref(header), 'schema');
    const typed = /^\d+$/.test(value) && JSON.stringify(schema).includes('integer') ? Number(value) : value;
    const v = new Validator(schema as Schema, '2020-12', false);
    assert.ok(v.validate(typed).valid, `${what}: header ${name}: ${value} does not match ${JSON.stringify(schema)}`);
  }
}

/** The schemas of `components/schemas` that `EventSubmission` needs, as one standalone JSON Schema. */
export function eventSubmissionSchema(): Obj {
  const schemas = at(spec, 'components', 'schemas') as Obj;
  const PREFIX = '#/components/schemas/';
  const needed = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isObj(node)) Object.values(node).forEach(visit);
    else if (typeof node === 'string' && node.startsWith(PREFIX)) {
      const name = node.slice(PREFIX.length);
      if (!needed.has(name)) {
        needed.add(name);
        visit(schemas[name]);
      }
    }
  };
  visit(`${PREFIX}EventSubmission`);
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (isObj(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, rewrite(v)]));
    return typeof node === 'string' && node.startsWith(PREFIX) ? `#/$defs/${node.slice(PREFIX.length)}` : node;
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $comment: 'Generated from docs/api/openapi.yaml (components/schemas) by packages/server/test/contract-schema.test.ts; do not edit.',
    $ref: '#/$defs/EventSubmission',
    $defs: Object.fromEntries([...needed].sort().map((name) => [name, rewrite(schemas[name])])),
  };
}
