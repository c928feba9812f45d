/**
 * docs/config.md must document the whole workflow schema: every property name of every object
 * schema (root, $defs, allOf/if/then, items …) and every enumerated value a city can write.
 * A property counts as documented when it appears as inline code, e.g. `minFindingsLength`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const schemaUrl = new URL('../src/config/workflow.schema.json', import.meta.url);
const docUrl = new URL('../../../docs/config.md', import.meta.url);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const schema = JSON.parse(readFileSync(schemaUrl, 'utf8')) as JsonObject;
const doc = readFileSync(docUrl, 'utf8');

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keywords whose value is one subschema. */
const SUBSCHEMA = ['items', 'additionalProperties', 'propertyNames', 'not', 'if', 'then', 'else', 'contains', 'unevaluatedProperties', 'unevaluatedItems'];
/** Keywords whose value is an array of subschemas. */
const SUBSCHEMA_ARRAYS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords whose value maps names to subschemas. */
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

interface Found {
  /** Property name → JSON Pointers of the schemas that declare it. */
  properties: Map<string, string[]>;
  /** Pointer of an enum/const keyword → its values. */
  enums: Map<string, Json[]>;
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Walks a schema the way a validator would, collecting property names and enumerated values. */
function walk(node: Json | undefined, pointer: string, found: Found): void {
  if (!isObject(node)) return;
  const properties = node['properties'];
  if (isObject(properties)) {
    for (const name of Object.keys(properties)) {
      const at = found.properties.get(name) ?? [];
      at.push(`${pointer}/properties/${escapePointer(name)}`);
      found.properties.set(name, at);
    }
  }
  const enumValues = node['enum'];
  if (Array.isArray(enumValues)) found.enums.set(`${pointer}/enum`, enumValues);
  if ('const' in node) found.enums.set(`${pointer}/const`, [node['const'] ?? null]);

  for (const keyword of SUBSCHEMA) walk(node[keyword], `${pointer}/${keyword}`, found);
  for (const keyword of SUBSCHEMA_ARRAYS) {
    const list = node[keyword];
    if (Array.isArray(list)) list.forEach((sub, i) => walk(sub, `${pointer}/${keyword}/${i}`, found));
  }
  for (const keyword of SUBSCHEMA_MAPS) {
    const map = node[keyword];
    if (isObject(map)) {
      for (const [name, sub] of Object.entries(map)) walk(sub, `${pointer}/${keyword}/${escapePointer(name)}`, found);
    }
  }
}

const found: Found = { properties: new Map(), enums: new Map() };
walk(schema, '#', found);

/** Every inline code span of the doc, outside fenced code blocks. */
function inlineCode(markdown: string): Set<string> {
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const spans = new Set<string>();
  for (const match of withoutFences.matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)) {
    spans.add((match[2] ?? '').trim());
  }
  return spans;
}

const code = inlineCode(doc);

/** A value is documented when it is an inline code span on its own, bare or as a JSON string. */
function documented(value: Json): boolean {
  const text = String(value);
  return code.has(text) || code.has(JSON.stringify(value));
}

function enumAt(pointer: string): Json[] {
  const values = found.enums.get(pointer);
  assert.ok(values && values.length > 0, `the schema has no enum at ${pointer}; update this test if the schema moved it`);
  return values;
}

function assertAllDocumented(what: string, values: Json[]): void {
  const missing = values.filter((v) => !documented(v));
  assert.deepEqual(
    missing,
    [],
    `docs/config.md does not document these ${what} as inline code: ${missing.map((v) => `\`${String(v)}\``).join(', ')}`,
  );
}

test('the schema walk finds the properties it must (guards against a vacuous pass)', () => {
  for (const name of ['id', 'steps', 'minFindingsLength', 'visibleWhen', 'maxFiles', 'equals', 'endpoint', 'retention', 'zh-CN']) {
    assert.ok(found.properties.has(name), `walk did not reach \`${name}\``);
  }
  assert.ok(found.properties.size >= 60, `only ${found.properties.size} property names found`);
});

test('every property name in workflow.schema.json appears in docs/config.md as inline code', () => {
  const missing = [...found.properties.entries()]
    .filter(([name]) => !code.has(name))
    .map(([name, at]) => `\`${name}\` (${at.join(', ')})`);
  assert.deepEqual(missing, [], `docs/config.md does not document:\n  ${missing.join('\n  ')}`);
});

test('every step type is documented', () => {
  assertAllDocumented('step types', enumAt('#/$defs/step/properties/type/enum'));
});

test('every field type is documented', () => {
  assertAllDocumented('field types', enumAt('#/$defs/field/properties/type/enum'));
});

test('every role is documented', () => {
  assertAllDocumented('roles', enumAt('#/$defs/role/enum'));
});

test('every level is documented', () => {
  assertAllDocumented('levels', enumAt('#/$defs/level/enum'));
});

test('every event type is documented', () => {
  assertAllDocumented('event types', enumAt('#/$defs/eventType/enum'));
});

test('every other enumerated value in the schema is documented too', () => {
  const missing: string[] = [];
  for (const [pointer, values] of found.enums) {
    for (const value of values) if (!documented(value)) missing.push(`\`${String(value)}\` (${pointer})`);
  }
  assert.deepEqual(missing, [], `docs/config.md does not document:\n  ${missing.join('\n  ')}`);
});

test('the doc explains how to validate and draw a config from the command line', () => {
  assert.match(doc, /npx consult-kit validate path\/to\/config\.json/);
  assert.match(doc, /npx consult-kit diagram path\/to\/config\.json/);
  for (const key of ['pointer', 'code', 'message', 'expected', 'got', 'hint']) {
    assert.ok(code.has(key), `the error object's \`${key}\` is not documented`);
  }
});
