/**
 * The checker's second pass: the config validated against `workflow.schema.json` with
 * `@cfworker/json-schema` (no `eval`, so it runs under a strict CSP), and its tree of failures
 * reduced to the most precise leaf per fault: wrapper keywords are dropped, `then` branches that
 * apply only vacuously are ignored, a failed `oneOf` on a condition becomes one diagnosis, and a
 * misspelt property is reported once (not also as a missing one).
 */
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import schemaDocument from '../workflow.schema.json' with { type: 'json' };
import { FIELD_TYPES } from '../config.types.js';
import { isObject, toPointer, valueAt, type Json, type JsonObject } from './json.js';
import { issue, type Issue } from './issues.js';
import { count, didYouMean, errorText, kindOf, oneOfPhrase, pathLabel, render } from './wording.js';

/** Our copy of the schema, to read keywords, messages and descriptions from. */
const SCHEMA = structuredClone(schemaDocument) as Schema;
/** The validator gets its own copy: it annotates the schema it is given. */
const VALIDATOR = new Validator(structuredClone(schemaDocument) as Schema, '2020-12', false);
const CONDITION_SCHEMA = schemaAt('$defs', 'condition');
/** The `type` of a form field: a value outside it may be a field type from a newer version. */
const FIELD_TYPE_SCHEMA = schemaAt('$defs', 'field', 'properties', 'type');
/** The config's own properties, each section's and the root's. */
export const ROOT_PROPERTIES: readonly string[] = Object.keys(schemaAt('properties') as object);

/**
 * A validator of part of the config: the schema with only these root properties (and only
 * those of them among the root's `required`). Everything else is the same schema, `$defs` and
 * locations alike, so its failures are read with the same map. Validate it with
 * {@link pruneRoot}'s copy of the config.
 */
export function partValidator(keys: readonly string[]): Validator {
  const schema = structuredClone(schemaDocument) as Schema;
  const properties = schema.properties as Record<string, Schema>;
  schema.properties = Object.fromEntries(Object.entries(properties).filter(([key]) => keys.includes(key)));
  schema.required = (schema.required ?? []).filter((key) => keys.includes(key));
  return new Validator(schema, '2020-12', false);
}

/**
 * The config with only these root properties, and every property the schema does not know: those
 * are the root's errors, but a misspelt one must still stop a part's check from also calling the
 * property it meant missing.
 */
export function pruneRoot(root: JsonObject, keys: readonly string[]): JsonObject {
  const part: JsonObject = {};
  for (const key of Object.keys(root)) {
    if (!keys.includes(key) && ROOT_PROPERTIES.includes(key)) continue;
    Object.defineProperty(part, key, { value: root[key], enumerable: true, writable: true, configurable: true });
  }
  return part;
}

/** Readable descriptions of the schema's patterns. */
const PATTERN_PHRASES = new Map<unknown, string>([
  [schemaAt('$defs', 'slug', 'pattern'), 'lower-case letters, digits and hyphens, 1–64 characters, starting and ending with a letter or digit (e.g. "my-room")'],
  [schemaAt('properties', 'version', 'pattern'), 'a version MAJOR.MINOR.PATCH such as "1.0.0"'],
  [schemaAt('$defs', 'field', 'properties', 'name', 'pattern'), 'a letter, then up to 63 letters, digits or underscores (e.g. "contactPhone")'],
  [schemaAt('$defs', 'field', 'properties', 'accept', 'items', 'pattern'), 'a lower-case MIME type such as "image/jpeg" or "image/*"'],
]);

/** Keywords whose errors only say "a subschema had errors"; their children say what. */
const WRAPPER_KEYWORDS = new Set([
  '$ref',
  '$recursiveRef',
  'allOf',
  'anyOf',
  'oneOf',
  'if',
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  'propertyNames',
  'dependentSchemas',
  'dependencies',
]);

function isSchemaObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function schemaChild(value: unknown, key: string | undefined): unknown {
  if (key === undefined || typeof value !== 'object' || value === null) return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** Decodes a cfworker location (`#/a/b%20c/~1d`) into its segments. */
function locationPath(location: string): string[] {
  const body = location.startsWith('#') ? location.slice(1) : location;
  if (body === '') return [];
  return body
    .split('/')
    .slice(1)
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // Not percent-encoded after all: keep it as it is.
      }
      return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/** The part of our schema copy at these keys. */
function schemaAt(...keys: readonly string[]): unknown {
  return keys.reduce<unknown>((node, key) => schemaChild(node, key), SCHEMA);
}

function resolveRef(ref: unknown): unknown {
  return typeof ref === 'string' && ref.startsWith('#') ? schemaAt(...locationPath(ref)) : undefined;
}

/** An applicator on the way from the schema's root to a failing keyword. */
interface Branch {
  keyword: 'then' | 'else' | 'oneOf' | 'anyOf';
  /** The schema holding the applicator (for `then`, the one holding the `if`). */
  holder: Schema;
  /** How many segments of the instance path had been consumed there. */
  depth: number;
}

/** Where a keyword location leads in the schema. */
interface Located {
  /** The schema that holds the failing keyword (or the last schema reached). */
  holder: unknown;
  /** The failing keyword, when the location ends in one. */
  keyword?: string;
  branches: Branch[];
  /** The location goes through `propertyNames`: the instance is a property name. */
  propertyName: boolean;
}

/** Follows a keyword location (an evaluation path, through `$ref`s) from the schema's root. */
function locate(keywordPath: readonly string[]): Located {
  let node: unknown = SCHEMA;
  let depth = 0;
  let propertyName = false;
  const branches: Branch[] = [];
  for (let i = 0; i < keywordPath.length; i++) {
    if (!isSchemaObject(node)) break;
    const holder: Schema = node;
    const segment = keywordPath[i]!;
    switch (segment) {
      case '$ref':
        node = resolveRef(holder.$ref);
        break;
      case 'properties':
      case 'patternProperties':
      case 'prefixItems':
        node = schemaChild(holder[segment], keywordPath[++i]);
        depth++;
        break;
      case 'dependentSchemas':
        node = schemaChild(holder[segment], keywordPath[++i]);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        if (segment !== 'allOf') branches.push({ keyword: segment, holder, depth });
        node = schemaChild(holder[segment], keywordPath[++i]);
        break;
      case 'items':
        node = Array.isArray(holder.items) ? schemaChild(holder.items, keywordPath[++i]) : holder.items;
        depth++;
        break;
      case 'propertyNames':
        propertyName = true;
        node = holder[segment];
        depth++;
        break;
      case 'additionalProperties':
      case 'unevaluatedProperties':
      case 'additionalItems':
      case 'unevaluatedItems':
      case 'contains':
        node = holder[segment];
        depth++;
        break;
      case 'then':
      case 'else':
        branches.push({ keyword: segment, holder, depth });
        node = holder[segment];
        break;
      case 'if':
      case 'not':
        node = holder[segment];
        break;
      default:
        return { holder, keyword: segment, branches, propertyName };
    }
  }
  return { holder: node, branches, propertyName };
}

/** A `then` that applies only because its `if` tested properties the instance does not have. */
function isVacuous(branch: Branch, subject: Json | undefined): boolean {
  if (branch.keyword !== 'then' || !isObject(subject)) return false;
  const tested = schemaChild(branch.holder.if, 'properties');
  return isSchemaObject(tested) && !Object.keys(tested).some((key) => Object.hasOwn(subject, key));
}

/** Validates against the schema (or part of it: {@link partValidator}) and reduces cfworker's failure tree to precise issues. */
export function validateAgainstSchema(root: JsonObject, validator: Validator = VALIDATOR): Issue[] {
  let units: OutputUnit[];
  try {
    const result = validator.validate(root);
    if (result.valid) return [];
    units = result.errors;
  } catch (error) {
    return [issue([], 'internal', `The configuration could not be checked against the schema: ${errorText(error)}.`)];
  }
  const issues: Issue[] = [];
  const failedShapes = new Map<string, { path: string[]; holder: Schema }>();
  units.forEach((unit, index) => {
    if (WRAPPER_KEYWORDS.has(unit.keyword)) return;
    const path = locationPath(unit.instanceLocation);
    // additionalProperties: false fails as a `false` schema whose location is the instance's;
    // the wrapper just before it says where in the schema it was.
    const wrapper = unit.keyword === 'false' ? units[index - 1] : undefined;
    const located =
      wrapper?.keyword === 'additionalProperties'
        ? locate(locationPath(wrapper.keywordLocation).slice(0, -1))
        : locate(unit.keyword === 'false' ? [] : locationPath(unit.keywordLocation));
    if (located.branches.some((b) => isVacuous(b, valueAt(root, path.slice(0, b.depth))))) return;
    const shape = located.branches.find((b) => b.keyword === 'oneOf' || b.keyword === 'anyOf');
    if (shape) {
      const shapePath = path.slice(0, shape.depth);
      failedShapes.set(toPointer(shapePath), { path: shapePath, holder: shape.holder });
      return;
    }
    issues.push(...leafIssues(unit, located, path, root));
  });
  for (const { path, holder } of failedShapes.values()) {
    const value = valueAt(root, path);
    issues.push(...(holder === CONDITION_SCHEMA ? diagnoseCondition(value, path) : [shapeIssue(path, value)]));
  }
  return issues;
}

/** Turns one failing keyword into the issue(s) a city developer can act on. */
function leafIssues(unit: OutputUnit, located: Located, path: string[], root: JsonObject): Issue[] {
  const holder = isSchemaObject(located.holder) ? located.holder : {};
  const value = valueAt(root, path);
  const label = pathLabel(path);
  const got = render(value);
  if (unit.keyword === 'false') return [unknownPropertyIssue(path, Object.keys(isSchemaObject(holder.properties) ? holder.properties : {}))];
  if (located.propertyName) return [unknownPropertyIssue(path, Array.isArray(holder.enum) ? holder.enum.map(String) : [])];
  switch (unit.keyword) {
    case 'required':
      return requiredIssues(holder, value, path);
    case 'type': {
      const expected = typePhrase(holder.type);
      return [issue(path, 'type', `${label} must be ${expected}, but it is ${kindOf(value)}.`, { expected, got })];
    }
    case 'enum':
    case 'const': {
      const allowed: unknown[] = unit.keyword === 'const' ? [holder.const] : Array.isArray(holder.enum) ? holder.enum : [];
      const suggestion = typeof value === 'string' ? didYouMean(value, allowed.filter((v): v is string => typeof v === 'string')) : undefined;
      if (holder === FIELD_TYPE_SCHEMA) return [unknownFieldTypeIssue(path, value, suggestion)];
      return [
        issue(path, unit.keyword, `${label} is ${got}, which is not ${allowed.length === 1 ? 'the allowed value' : 'one of the allowed values'}.`, {
          expected: oneOfPhrase(allowed),
          got,
          hint: suggestion === undefined ? 'Use one of the allowed values.' : `Did you mean ${render(suggestion)}?`,
        }),
      ];
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const low = unit.keyword === 'minimum' || unit.keyword === 'exclusiveMinimum';
      return [issue(path, unit.keyword, `${label} is ${got}, which is too ${low ? 'small' : 'large'}.`, { expected: rangePhrase(holder), got })];
    }
    case 'minLength':
    case 'maxLength': {
      const min = unit.keyword === 'minLength';
      const limit = Number(holder[unit.keyword]);
      const expected = `a string of ${min ? 'at least' : 'at most'} ${count(limit, 'character')}`;
      return [issue(path, unit.keyword, `${label} is too ${min ? 'short' : 'long'}: it must be ${expected}.`, { expected, got })];
    }
    case 'pattern': {
      const expected = PATTERN_PHRASES.get(holder.pattern) ?? `a string matching ${String(holder.pattern)}`;
      return [issue(path, 'pattern', `${label} is ${got}, which is not in the expected form.`, { expected, got })];
    }
    case 'minItems':
    case 'maxItems': {
      const min = unit.keyword === 'minItems';
      const limit = Number(holder[unit.keyword]);
      const expected = `${min ? 'at least' : 'at most'} ${count(limit, 'item')}`;
      const size = Array.isArray(value) ? value.length : 0;
      return [issue(path, unit.keyword, `${label} must have ${expected}, but it has ${size}.`, { expected, got })];
    }
    case 'uniqueItems': {
      const seen = new Set<string>();
      const duplicate = Array.isArray(value) ? value.find((v) => seen.size === seen.add(JSON.stringify(v)).size) : undefined;
      return [
        issue(path, 'uniqueItems', `${label} lists ${render(duplicate)} more than once.`, { expected: 'each value at most once', got, hint: 'Remove the repeated value.' }),
      ];
    }
    case 'minProperties':
    case 'maxProperties':
      // On a condition the failed oneOf is diagnosed instead (see diagnoseCondition).
      if (holder === CONDITION_SCHEMA) return [];
      return [issue(path, unit.keyword, `${label} has too ${unit.keyword === 'minProperties' ? 'few' : 'many'} properties.`, { got })];
    default:
      return [issue(path, unit.keyword, `${label} is invalid: ${unit.error}`, { got })];
  }
}

function requiredIssues(holder: Schema, value: Json | undefined, path: readonly string[]): Issue[] {
  if (!isObject(value) || !Array.isArray(holder.required)) return [];
  const properties = isSchemaObject(holder.properties) ? holder.properties : {};
  return holder.required
    .filter((key): key is string => typeof key === 'string' && !Object.hasOwn(value, key))
    .map((key) => {
      const property = schemaChild(properties, key);
      const description = schemaChild(property, 'description') ?? schemaChild(resolveRef(schemaChild(property, '$ref')), 'description');
      return issue([...path, key], 'required', `${pathLabel(path)} is missing the required property ${render(key)}.`, {
        hint: `Add ${render(key)}${typeof description === 'string' ? `: ${description}` : '.'}`,
      });
    });
}

function unknownPropertyIssue(path: readonly string[], allowed: readonly string[]): Issue {
  const name = path[path.length - 1] ?? '';
  const suggestion = didYouMean(name, allowed);
  return issue(path, 'unknown-property', `${pathLabel(path.slice(0, -1))} has an unknown property ${render(name)}.`, {
    expected: allowed.length > 0 ? oneOfPhrase(allowed) : undefined,
    got: render(name),
    hint: suggestion !== undefined ? `Did you mean ${render(suggestion)}?` : 'Remove it, or check its spelling: only the listed properties are allowed here.',
    suggestion,
  });
}

/**
 * A field `type` this version does not know: a typo, or a type from a newer version of
 * consult-kit (the studio shows such a field read-only and keeps it). Its own code, so that an
 * editor can tell it from other wrong values.
 */
function unknownFieldTypeIssue(path: readonly string[], value: Json | undefined, suggestion: string | undefined): Issue {
  const got = render(value);
  return issue(path, 'unknown-field-type', `${pathLabel(path)} is ${got}, which is not a field type this version knows.`, {
    expected: oneOfPhrase(FIELD_TYPES),
    got,
    hint:
      suggestion === undefined
        ? 'Use one of the known field types. A type from a newer version of consult-kit needs that version: this one can neither show nor check such a field.'
        : `Did you mean ${render(suggestion)}?`,
  });
}

function shapeIssue(path: readonly string[], value: Json | undefined): Issue {
  return issue(path, 'shape', `${pathLabel(path)} does not match exactly one of its allowed forms.`, { got: render(value) });
}

const TYPE_PHRASES: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  null: 'null',
};

function typePhrase(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_PHRASES[String(t)] ?? String(t)).join(' or ');
}

/** `integer ≥ 1`, `integer from 1 to 4`, `number ≤ 10`. */
function rangePhrase(holder: Schema): string {
  const kind = holder.type === 'integer' ? 'integer' : 'number';
  const min = typeof holder.minimum === 'number' ? holder.minimum : undefined;
  const max = typeof holder.maximum === 'number' ? holder.maximum : undefined;
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} ≥ ${min}`;
  if (max !== undefined) return `${kind} ≤ ${max}`;
  return kind;
}

const CONDITION_TESTS = ['equals', 'in', 'filled'] as const;
const CONDITION_COMBINATORS = ['all', 'any', 'not'] as const;
const CONDITION_FORMS = '{ "field", "equals" | "in" | "filled" }, { "all": [...] }, { "any": [...] } or { "not": {...} }';

/**
 * One clear error for a condition that fits none of its forms (the schema's `oneOf`), pointing
 * at the property that breaks it. Unknown properties are reported on their own already.
 */
function diagnoseCondition(value: Json | undefined, path: readonly string[]): Issue[] {
  if (!isObject(value)) return []; // its type error says it all
  const keys = Object.keys(value);
  const tests = keys.filter((k) => (CONDITION_TESTS as readonly string[]).includes(k));
  const combinators = keys.filter((k) => (CONDITION_COMBINATORS as readonly string[]).includes(k));
  const hasField = Object.hasOwn(value, 'field');
  const known = tests.length + combinators.length + (hasField ? 1 : 0);
  const label = pathLabel(path);
  const code = 'invalid-condition';
  if (keys.length === 0) {
    return [issue(path, code, `${label} is an empty condition.`, { expected: CONDITION_FORMS, got: '{}', hint: 'Give it a field test, or remove it.' })];
  }
  if (hasField && combinators.length > 0) {
    return [
      issue([...path, combinators[0]!], code, `${label} mixes "field" with ${render(combinators[0])}; a condition takes one form.`, {
        expected: CONDITION_FORMS,
        hint: 'Put the field test inside "all" or "any" instead: { "all": [{ "field": … }, …] }.',
      }),
    ];
  }
  if (hasField && tests.length === 0) {
    return [
      issue(path, code, `${label} names a field but does not say what to test.`, {
        expected: 'one of "equals", "in", "filled"',
        hint: 'Add "equals": value, "in": [values] or "filled": true.',
      }),
    ];
  }
  if (tests.length > 1) {
    return [
      issue([...path, tests[1]!], code, `${label} has both ${render(tests[0])} and ${render(tests[1])}; a condition takes one test.`, {
        hint: 'Keep one, or combine two conditions with "any" or "all".',
      }),
    ];
  }
  if (!hasField && tests.length > 0) {
    return [issue([...path, 'field'], 'required', `${label} uses ${render(tests[0])} but does not say which field it reads.`, { hint: 'Add "field": the name of a form field.' })];
  }
  if (combinators.length > 1) {
    return [
      issue([...path, combinators[1]!], code, `${label} has both ${render(combinators[0])} and ${render(combinators[1])}; a condition takes one of "all", "any" or "not".`, {
        hint: 'Nest one inside the other.',
      }),
    ];
  }
  return keys.length > known ? [] : [issue(path, code, `${label} is not a valid condition.`, { expected: CONDITION_FORMS, got: render(value) })];
}
