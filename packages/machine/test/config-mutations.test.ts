/**
 * Property-based mutation test of parseWorkflowConfig: every example config must parse, and
 * every single fault injected into it (a required property deleted, a wrong type, an unknown
 * step type, a duplicate field name, a dangling condition reference, a number out of range, an
 * unknown property, a bad enumerated value) must be refused with an error at the mutated node.
 *
 * The mutations are derived from the schema itself (which properties are required, which types
 * and ranges are allowed, where unknown properties are refused) and chosen with a seeded PRNG,
 * so every run tests the same few hundred configs.
 */
import { test } from 'node:test';
import { prng } from './fixtures.js';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parseWorkflowConfig } from '../src/config/parse-config.js';
import schemaDocument from '../src/config/workflow.schema.json' with { type: 'json' };

type Json = null | boolean | number | string | Json[] | JsonObject;
interface JsonObject {
  [key: string]: Json;
}
type Path = Array<string | number>;
/** A schema node, read loosely: the walker only looks at a few keywords. */
type SchemaNode = Record<string, unknown>;

const EXAMPLES = new URL('../../../examples/configs/', import.meta.url);
const SCHEMA = schemaDocument as unknown as SchemaNode;
const SEED = 0x5eed_2024;

// ─── Helpers ──────────────────────────────────────────────────────────────────────────────

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pointer(path: Path): string {
  return path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function jsonType(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The parent of a path's last segment, in a config. */
function parentOf(root: Json, path: Path): JsonObject | Json[] {
  let node: Json = root;
  for (const segment of path.slice(0, -1)) node = (node as Record<string | number, Json>)[segment]!;
  return node as JsonObject | Json[];
}

function setAt(root: Json, path: Path, value: Json): void {
  (parentOf(root, path) as Record<string | number, Json>)[path[path.length - 1]!] = value;
}

function deleteAt(root: Json, path: Path): void {
  delete (parentOf(root, path) as Record<string | number, Json>)[path[path.length - 1]!];
}

/** The value at a path, or `undefined` where the path leads nowhere. */
function valueAt(root: Json, path: Path): Json | undefined {
  let node: Json | undefined = root;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string | number, Json>)[segment];
  }
  return node;
}

// ─── The schema, seen from each node of a config ──────────────────────────────────────────

function lookup(ref: string): SchemaNode {
  return ref
    .slice(2)
    .split('/')
    .reduce<SchemaNode>((node, key) => node[key] as SchemaNode, SCHEMA);
}

function resolve(node: unknown): SchemaNode {
  let schema = (node ?? {}) as SchemaNode;
  while (typeof schema.$ref === 'string') {
    const { $ref, ...rest } = schema;
    schema = { ...lookup($ref as string), ...rest };
  }
  return schema;
}

/** Whether an `if` holds: its required properties are there and its tested ones match. */
function ifHolds(condition: SchemaNode, value: Json): boolean {
  if (!isObject(value)) return false;
  const required = (condition.required as string[] | undefined) ?? [];
  if (!required.every((key) => key in value)) return false;
  const properties = (condition.properties ?? {}) as Record<string, SchemaNode>;
  return Object.entries(properties).every(([key, s]) => {
    if (!(key in value)) return true;
    if ('const' in s) return value[key] === s.const;
    return !Array.isArray(s.enum) || s.enum.includes(value[key]);
  });
}

/** The schema that applies to a value: `$ref`s resolved, the `then`s whose `if` holds merged in. */
function effective(node: unknown, value: Json): SchemaNode {
  let schema = resolve(node);
  const conditionals = [...((schema.allOf as SchemaNode[] | undefined) ?? []), ...(schema.if ? [schema] : [])];
  for (const conditional of conditionals) {
    if (!conditional.if || !conditional.then || !ifHolds(conditional.if as SchemaNode, value)) continue;
    const then = resolve(conditional.then);
    schema = {
      ...then,
      ...schema,
      properties: { ...(then.properties as object), ...(schema.properties as object) },
      required: [...new Set([...((schema.required as string[]) ?? []), ...((then.required as string[]) ?? [])])],
      additionalProperties: schema.additionalProperties ?? then.additionalProperties,
    };
  }
  return schema;
}

interface ConfigNode {
  path: Path;
  value: Json;
  schema: SchemaNode;
}

/** Every node of a config with the schema that applies to it. */
function walk(value: Json, schemaNode: unknown, path: Path = [], out: ConfigNode[] = []): ConfigNode[] {
  const schema = effective(schemaNode, value);
  out.push({ path, value, schema });
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, schema.items, [...path, i], out));
  } else if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) {
      const child = properties[key] ?? (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (child) walk(item, child, [...path, key], out);
    }
  }
  return out;
}

// ─── Mutations ────────────────────────────────────────────────────────────────────────────

interface Mutation {
  kind: string;
  /** Pointer of the node an error must point at. */
  pointer: string;
  apply: (config: JsonObject) => void;
}

/** Values of every JSON type, to put where another type belongs. */
const SAMPLES: readonly Json[] = ['oops', 42, 2.5, true, null, { oops: 1 }, ['oops']];
const BAD_STEP_TYPES = ['vote', 'intak', 'Meeting', 'publicity', 'survey'];

/** A value whose JSON type the node's schema does not allow, and which differs from the current one's. */
function wrongValue(random: () => number, schema: SchemaNode, current: Json): Json | undefined {
  const declared = schema.type === undefined ? undefined : ([] as unknown[]).concat(schema.type);
  const allowed = (sample: Json): boolean => {
    const type = jsonType(sample);
    if (declared) return declared.includes(type) || (type === 'integer' && declared.includes('number'));
    return Array.isArray(schema.enum) && schema.enum.includes(sample);
  };
  if (!declared && !Array.isArray(schema.enum)) return undefined;
  const candidates = SAMPLES.filter((s) => !allowed(s) && jsonType(s) !== jsonType(current));
  return candidates.length > 0 ? pick(random, candidates) : undefined;
}

/** A plausible misspelling of a name that is none of the allowed names. */
function misspell(random: () => number, name: string, allowed: readonly string[]): string {
  const variants = [`${name}s`, name.slice(0, -1), name.toUpperCase(), `${name}_`, `x${name}`].filter((v) => v !== '' && !allowed.includes(v));
  return variants.length > 0 ? pick(random, variants) : `${name}-unknown`;
}

function conditionLeaves(node: Json, path: Path, out: Path[] = []): Path[] {
  if (!isObject(node)) return out;
  if (typeof node.field === 'string') out.push(path);
  for (const key of ['all', 'any'] as const) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((c, i) => conditionLeaves(c, [...path, key, i], out));
  }
  if (node.not !== undefined) conditionLeaves(node.not, [...path, 'not'], out);
  return out;
}

function mutationsOf(config: JsonObject, random: () => number): Mutation[] {
  const nodes = walk(config, SCHEMA);
  const mutations: Mutation[] = [];
  const add = (kind: string, path: Path, apply: (c: JsonObject) => void): void => {
    mutations.push({ kind, pointer: pointer(path), apply });
  };

  for (const { path, value, schema } of nodes) {
    // A required property deleted.
    if (isObject(value)) {
      for (const key of (schema.required as string[] | undefined) ?? []) {
        if (key in value) add('delete-required', [...path, key], (c) => deleteAt(c, [...path, key]));
      }
    }
    // A wrong type.
    if (path.length > 0) {
      const replacement = wrongValue(random, schema, value);
      if (replacement !== undefined) add('wrong-type', path, (c) => setAt(c, path, structuredClone(replacement)));
    }
    // A bad enumerated value.
    if (Array.isArray(schema.enum) && typeof value === 'string') {
      const bad = misspell(random, value, schema.enum as string[]);
      add('bad-enum', path, (c) => setAt(c, path, bad));
    }
    if (!isObject(value)) continue;
    // An unknown property: a misspelt allowed one, or a name from nowhere.
    const allowedNames = Object.keys((schema.properties ?? {}) as object);
    const propertyNames = resolve(schema.propertyNames);
    if (schema.additionalProperties === false || Array.isArray(propertyNames.enum)) {
      const names = allowedNames.length > 0 ? allowedNames : ((propertyNames.enum as string[] | undefined) ?? []);
      const unknown = random() < 0.5 && names.length > 0 ? misspell(random, pick(random, names), names) : `extra${Math.floor(random() * 1000)}`;
      const extra: Json = Array.isArray(propertyNames.enum) ? ['admin'] : 1;
      add('unknown-property', [...path, unknown], (c) => setAt(c, [...path, unknown], extra));
    }
    // A number out of range (present or not).
    for (const key of allowedNames) {
      const property = resolve((schema.properties as Record<string, unknown>)[key]);
      if (property.type !== 'integer' && property.type !== 'number') continue;
      if (typeof property.minimum === 'number') add('out-of-range', [...path, key], (c) => setAt(c, [...path, key], (property.minimum as number) - 1));
      if (typeof property.maximum === 'number') add('out-of-range', [...path, key], (c) => setAt(c, [...path, key], (property.maximum as number) + 1));
    }
  }

  // An unknown step type.
  (config.steps as Json[]).forEach((_, i) => {
    const bad = pick(random, BAD_STEP_TYPES);
    add('unknown-step-type', ['steps', i, 'type'], (c) => setAt(c, ['steps', i, 'type'], bad));
  });

  // A duplicate field name: a later field takes the name of an earlier one.
  const fields: Path[] = [];
  ((config.form as JsonObject).pages as JsonObject[]).forEach((page, p) => (page.fields as Json[]).forEach((_, f) => fields.push(['form', 'pages', p, 'fields', f])));
  fields.forEach((later, j) => {
    if (j === 0) return;
    const earlier = fields[Math.floor(random() * j)]!;
    add('duplicate-field-name', [...later, 'name'], (c) => setAt(c, [...later, 'name'], valueAt(c, [...earlier, 'name']) ?? null));
  });

  // A dangling reference: an existing condition's field renamed, or a new condition on no field.
  const owners: Path[] = [...fields.map((f) => [...f, 'visibleWhen'])];
  (config.steps as JsonObject[]).forEach((step, s) => {
    if (step.type === 'screening') ((step.channels as Json[] | undefined) ?? []).forEach((_, k) => owners.push(['steps', s, 'channels', k, 'when']));
  });
  for (const owner of owners) {
    const existing = valueAt(config, owner);
    const ghost = `ghost${Math.floor(random() * 1000)}`;
    if (existing !== undefined) {
      for (const leaf of conditionLeaves(existing, owner)) add('dangling-reference', [...leaf, 'field'], (c) => setAt(c, [...leaf, 'field'], ghost));
    } else {
      add('dangling-reference', [...owner, 'field'], (c) => setAt(c, owner, { field: ghost, filled: true }));
    }
  }
  return mutations;
}

// ─── The test ─────────────────────────────────────────────────────────────────────────────

const files = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.json'))
  .sort();
const random = prng(SEED);
let tested = 0;
const kinds = new Map<string, number>();

test('there are example configs to mutate', () => {
  assert.ok(files.length >= 3, `expected the three example configs in ${EXAMPLES.pathname}`);
});

for (const file of files) {
  test(`mutations of ${file} are each refused at the mutated node`, () => {
    const original = JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as JsonObject;
    const baseline = parseWorkflowConfig(original);
    assert.ok(baseline.ok, `${file} must parse: ${baseline.ok ? '' : JSON.stringify(baseline.errors, null, 2)}`);

    const failures: string[] = [];
    for (const mutation of mutationsOf(original, random)) {
      const config = structuredClone(original);
      mutation.apply(config);
      let result: ReturnType<typeof parseWorkflowConfig>;
      try {
        result = parseWorkflowConfig(config);
      } catch (error) {
        failures.push(`${mutation.kind} ${mutation.pointer}: threw ${String(error)}`);
        continue;
      }
      tested++;
      kinds.set(mutation.kind, (kinds.get(mutation.kind) ?? 0) + 1);
      if (result.ok) {
        failures.push(`${mutation.kind} ${mutation.pointer}: accepted`);
        continue;
      }
      for (const error of result.errors) {
        if (typeof error.pointer !== 'string' || typeof error.code !== 'string' || typeof error.message !== 'string' || error.message === '') {
          failures.push(`${mutation.kind} ${mutation.pointer}: malformed error ${JSON.stringify(error)}`);
        }
      }
      if (!result.errors.some((e) => e.pointer === mutation.pointer)) {
        failures.push(`${mutation.kind} ${mutation.pointer}: errors at ${result.errors.map((e) => `${e.pointer} [${e.code}]`).join(', ')}`);
      }
    }
    assert.deepEqual(failures, [], `${failures.length} mutation(s) of ${file} not refused at their node:\n${failures.slice(0, 30).join('\n')}`);
  });
}

test('at least 200 mutations were tested, of every kind', () => {
  console.log(`config mutations tested: ${tested} (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})`);
  assert.ok(tested >= 200, `only ${tested} mutations tested`);
  for (const kind of ['delete-required', 'wrong-type', 'unknown-step-type', 'duplicate-field-name', 'dangling-reference', 'out-of-range', 'unknown-property', 'bad-enum']) {
    assert.ok((kinds.get(kind) ?? 0) > 0, `no ${kind} mutation was tested`);
  }
});
