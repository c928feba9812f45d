/**
 * `parseWorkflowConfig`: checks a city's workflow JSON and returns either the normalized
 * {@link WorkflowConfig} (every default applied) or every error at once, each located by an
 * RFC 6901 JSON Pointer into the city's file.
 *
 * It works in four passes, and never throws whatever it is given:
 *
 * 1. **Snapshot.** The input is copied into a plain JSON tree. Anything JSON cannot hold
 *    (functions, `NaN`, cycles, getters that throw, absurd nesting) becomes an error at its
 *    pointer; the rest is checked normally. The input is never mutated or kept.
 * 2. **Schema.** The copy is validated against `workflow.schema.json` with
 *    `@cfworker/json-schema` (no `eval`, so it runs under a strict CSP). Its tree of failures
 *    is reduced to the most precise leaf per fault: wrapper keywords are dropped, `then`
 *    branches that apply only vacuously are ignored, a failed `oneOf` on a condition becomes one
 *    diagnosis, and a misspelt property is reported once (not also as a missing one).
 * 3. **Rules** the schema cannot express: step order, unique names and ids, references between
 *    fields, ranges that depend on each other, the privacy notice, URL schemes, roles.
 * 4. **Normalization** into a fresh {@link WorkflowConfig}.
 */
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import schemaDocument from './workflow.schema.json' with { type: 'json' };
import { checkNotifications } from '../notify/notify-config.js';
import { markChecked, useChecker } from './checked.js';
import { normalize, PERSONAL_TYPES, type RawConfig } from './normalize.js';
import {
  LEVEL_RANK,
  REQUIRED_STEPS,
  STEP_ORDER,
  type ConfigError,
  type FieldType,
  type Level,
  type ParseResult,
  type StepType,
} from './config.types.js';
import { DEFAULTS } from './defaults.js';

// ─── Public entry ──────────────────────────────────────────────────────────────────────────

/**
 * Checks a workflow configuration and applies its defaults.
 *
 * @param input The city's configuration, already parsed from JSON (`JSON.parse(text)`).
 * @returns `{ ok: true, config }` with a normalized, deep-copied config, or `{ ok: false, errors }`
 *   with every error found (schema and rules alike), in document order. Never throws.
 */
export function parseWorkflowConfig(input: unknown): ParseResult {
  try {
    return parse(input);
  } catch (error) {
    // Unreachable by design; kept so a bug here can never break the host page.
    return { ok: false, errors: [toConfigError(issue([], 'internal', `The configuration could not be checked: ${errorText(error)}.`))] };
  }
}

function parse(input: unknown): ParseResult {
  if (typeof input !== 'object' || input === null) return failure([rootTypeIssue(input)]);
  const snapshot = takeSnapshot(input);
  if (!isObject(snapshot.value)) {
    return failure([snapshot.issues.find((i) => i.pointer === '') ?? rootTypeIssue(input)]);
  }
  const root = snapshot.value;
  // What the snapshot could not copy is a null placeholder: only its own error is reported.
  const inputPointers = snapshot.issues.map((i) => i.pointer);
  const notFromInput = (i: Issue): boolean => !inputPointers.some((p) => isAtOrUnder(i.pointer, p));
  const schemaIssues = validateAgainstSchema(root).filter(notFromInput);
  const schemaPointers = new Set(schemaIssues.map((i) => i.pointer));
  // A node the schema already refuses needs no second opinion from the rules.
  const ruleIssues = checkRules(root, schemaIssues).filter((i) => notFromInput(i) && !schemaPointers.has(i.pointer));
  const issues = dedupe([...snapshot.issues, ...schemaIssues, ...ruleIssues]);
  if (issues.length > 0) return failure(inDocumentOrder(issues, root));
  const config = markChecked(normalize(root as unknown as RawConfig));
  return { ok: true, config };
}

export { isCheckedConfig } from './checked.js';

// Loading the checker makes `toConfig` (and everything built on it) take raw JSON.
useChecker(parseWorkflowConfig);

function failure(issues: readonly Issue[]): ParseResult {
  return { ok: false, errors: issues.map(toConfigError) };
}

// ─── JSON values, paths and pointers ──────────────────────────────────────────────────────

type Json = null | boolean | number | string | Json[] | JsonObject;
interface JsonObject {
  [key: string]: Json;
}
/** A location in the city's document: property names and array indexes. */
type Path = readonly (string | number)[];

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property of a JSON object (never one from the prototype chain). */
function prop(object: Json | undefined, key: string): Json | undefined {
  return isObject(object) && Object.hasOwn(object, key) ? object[key] : undefined;
}

/** An own property that is an array, or `undefined`. */
function arrayProp(object: Json | undefined, key: string): Json[] | undefined {
  const value = prop(object, key);
  return Array.isArray(value) ? value : undefined;
}

function stringProp(object: Json | undefined, key: string): string | undefined {
  const value = prop(object, key);
  return typeof value === 'string' ? value : undefined;
}

function valueAt(root: Json, path: Path): Json | undefined {
  let node: Json | undefined = root;
  for (const segment of path) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else node = prop(node, String(segment));
    if (node === undefined) return undefined;
  }
  return node;
}

/** RFC 6901: `~` → `~0`, `/` → `~1`; the empty path is the whole document (""). */
function toPointer(path: Path): string {
  return path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function isAtOrUnder(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

/** A readable JavaScript-like path for messages: `form.pages[0].fields[2].name` (long ones cut short). */
function pathLabel(path: Path): string {
  if (path.length === 0) return 'The configuration';
  const shown = path.length > 10 ? path.slice(-8) : path;
  const label = shown
    .map((s, i) => {
      const text = String(s);
      if (typeof s === 'number' || /^(0|[1-9][0-9]*)$/.test(text)) return `[${text}]`;
      if (/^[A-Za-z_$][\w$]*$/.test(text)) return i === 0 ? text : `.${text}`;
      return `[${JSON.stringify(text)}]`;
    })
    .join('');
  return shown === path ? label : `…${label.startsWith('[') ? '' : '.'}${label}`;
}

/** A short JSON rendering of a value for `got`, truncated when long. */
function render(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  const chars = [...text];
  return chars.length > 60 ? `${chars.slice(0, 59).join('')}…` : text;
}

function kindOf(value: Json | undefined): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'a number with a fraction';
  return `a ${typeof value}`;
}

/** `a`, `a and b`, `a, b and c` (or `or`). */
function joinWords(words: readonly string[], last: 'and' | 'or'): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} ${last} ${words[words.length - 1]}`;
}

/** `1 label`, `3 labels`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => render(v)).join(', ');
}

function oneOfPhrase(values: readonly unknown[]): string {
  return values.length === 1 ? render(values[0]) : `one of ${quoteList(values)}`;
}

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}

/** The closest candidate to a misspelt name, if one is close enough to be a likely typo. */
function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(input.length / 3)) + 1;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance && distance < candidate.length) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Math.abs(a.length - b.length);
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

// ─── Issues ───────────────────────────────────────────────────────────────────────────────

/** A {@link ConfigError} while it is being collected. */
interface Issue extends ConfigError {
  /** For an unknown property: the allowed name it probably misspells. */
  suggestion?: string;
}

type IssueDetails = Partial<Pick<Issue, 'expected' | 'got' | 'hint' | 'suggestion'>>;

function issue(path: Path, code: string, message: string, details: IssueDetails = {}): Issue {
  const result: Issue = { pointer: toPointer(path), code, message };
  for (const key of ['expected', 'got', 'hint', 'suggestion'] as const) {
    const value = details[key];
    if (value !== undefined) result[key] = value;
  }
  return result;
}

function toConfigError({ suggestion: _suggestion, ...error }: Issue): ConfigError {
  return error;
}

/** One error per pointer and code; a misspelt property is not also reported as missing. */
function dedupe(issues: readonly Issue[]): Issue[] {
  const misspelt = new Set(
    issues
      .filter((i) => i.code === 'unknown-property' && i.suggestion !== undefined)
      .map((i) => `${i.pointer.slice(0, i.pointer.lastIndexOf('/'))}/${toPointer([i.suggestion!]).slice(1)}`),
  );
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.pointer}\u0000${i.code}`;
    if (seen.has(key) || (i.code === 'required' && misspelt.has(i.pointer))) return false;
    seen.add(key);
    return true;
  });
}

/** Sorts issues by where their node (or its closest existing ancestor) appears in the file. */
function inDocumentOrder(issues: readonly Issue[], root: JsonObject): Issue[] {
  // Where each node starts and where its subtree ends, in a depth-first walk of the file.
  const spans = new Map<string, { start: number; end: number }>();
  let counter = 0;
  const visit = (node: Json, pointer: string): void => {
    const span = { start: counter++, end: 0 };
    spans.set(pointer, span);
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, `${pointer}/${i}`));
    else if (isObject(node)) for (const key of Object.keys(node)) visit(node[key]!, `${pointer}${toPointer([key])}`);
    span.end = counter;
  };
  visit(root, '');
  // A node that is not there (a missing property) sorts at the end of its closest ancestor.
  const rank = (pointer: string): number => {
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
      const span = spans.get(p);
      if (span) return p === pointer ? span.start : span.end - 0.5;
      if (p === '') return 0;
    }
  };
  return issues
    .map((i, index) => ({ i, index, rank: rank(i.pointer) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ i }) => i);
}

// ─── Pass 1: a JSON snapshot of the input ─────────────────────────────────────────────────

const LIMITS = {
  /** Deeper than any sensible config (conditions nest, but not this far). */
  depth: 64,
  /** Objects and arrays in the whole document. */
  containers: 50_000,
  /** Items in one array. */
  items: 10_000,
};

const OMIT = Symbol('omit');

/** Half of a surrogate pair without its other half (no lookbehind: older WebViews lack it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

interface Snapshot {
  value: Json;
  issues: Issue[];
}

/**
 * Copies the input into fresh plain objects and arrays, reporting what JSON cannot hold; such a
 * value is replaced by `null`, so its parent stays whole and no second error arises from it.
 * Properties whose value is `undefined` are left out, as `JSON.stringify` does.
 */
function takeSnapshot(input: unknown): Snapshot {
  const issues: Issue[] = [];
  const ancestors = new Set<object>();
  let containers = 0;

  const take = (value: unknown, path: Path, depth: number): Json | typeof OMIT => {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        if (Number.isFinite(value)) return value;
        issues.push(issue(path, 'type', `${pathLabel(path)} is ${String(value)}, which is not a JSON number.`, { expected: 'a finite number', got: String(value) }));
        return OMIT;
      case 'object':
        return value === null ? null : container(value, path, depth);
      default:
        issues.push(
          issue(path, 'type', `${pathLabel(path)} is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}, which JSON cannot hold.`, {
            expected: 'a JSON value (object, array, string, number, true, false or null)',
            got: typeof value,
          }),
        );
        return OMIT;
    }
  };

  const read = (object: object, key: string | number, path: Path): unknown => {
    try {
      return (object as Record<string | number, unknown>)[key];
    } catch (error) {
      issues.push(issue(path, 'unreadable', `${pathLabel(path)} could not be read: ${errorText(error)}.`));
      return OMIT;
    }
  };

  const container = (value: object, path: Path, depth: number): Json | typeof OMIT => {
    if (++containers > LIMITS.containers) {
      if (containers === LIMITS.containers + 1) {
        issues.push(issue(path, 'too-large', `The configuration has more than ${LIMITS.containers} objects and arrays; the rest was not read.`));
      }
      return OMIT;
    }
    if (depth >= LIMITS.depth) {
      issues.push(issue(path, 'too-deep', `${pathLabel(path)} is nested more than ${LIMITS.depth} levels deep.`, { hint: 'Flatten it: no config needs this much nesting.' }));
      return OMIT;
    }
    if (ancestors.has(value)) {
      issues.push(issue(path, 'cycle', `${pathLabel(path)} contains itself, which JSON cannot express.`));
      return OMIT;
    }
    ancestors.add(value);
    try {
      return Array.isArray(value) ? copyArray(value, path, depth) : copyObject(value, path, depth);
    } catch (error) {
      issues.push(issue(path, 'unreadable', `${pathLabel(path)} could not be read: ${errorText(error)}.`));
      return OMIT;
    } finally {
      ancestors.delete(value);
    }
  };

  const copyArray = (value: readonly unknown[], path: Path, depth: number): Json | typeof OMIT => {
    if (value.length > LIMITS.items) {
      issues.push(issue(path, 'too-large', `${pathLabel(path)} has ${value.length} items; at most ${LIMITS.items} are read.`));
      return OMIT;
    }
    const copy: Json[] = [];
    for (let i = 0; i < value.length; i++) {
      const itemPath = [...path, i];
      const item = read(value, i, itemPath);
      const taken = item === OMIT ? OMIT : take(item, itemPath, depth + 1);
      copy.push(taken === OMIT ? null : taken);
    }
    return copy;
  };

  const copyObject = (value: object, path: Path, depth: number): Json | typeof OMIT => {
    const tag = Object.prototype.toString.call(value);
    if (tag !== '[object Object]') {
      issues.push(issue(path, 'type', `${pathLabel(path)} is ${tag.slice(8, -1)}, not a plain JSON object.`, { expected: 'a JSON value', got: tag.slice(8, -1) }));
      return OMIT;
    }
    const copy: JsonObject = {};
    for (const key of Object.keys(value)) {
      const keyPath = [...path, key];
      if (LONE_SURROGATE.test(key)) {
        issues.push(issue(keyPath, 'invalid-key', `The property name ${render(key)} is not valid Unicode text.`));
        continue;
      }
      const item = read(value, key, keyPath);
      if (item === undefined) continue;
      const taken = item === OMIT ? OMIT : take(item, keyPath, depth + 1);
      // defineProperty, not assignment: a "__proto__" key must stay an ordinary property.
      Object.defineProperty(copy, key, { value: taken === OMIT ? null : taken, enumerable: true, writable: true, configurable: true });
    }
    return copy;
  };

  const value = take(input, [], 0);
  return { value: value === OMIT ? null : value, issues };
}

function rootTypeIssue(input: unknown): Issue {
  const got = Array.isArray(input) ? 'an array' : input === null ? 'null' : `a ${typeof input}`;
  const hint =
    typeof input === 'string'
      ? 'Pass the parsed configuration (JSON.parse(text)), not the JSON text.'
      : 'A configuration is one JSON object with id, version, title, level, steps and form.';
  const message = input === undefined || input === null ? 'No configuration was given.' : `The configuration must be a JSON object, but it is ${got}.`;
  return issue([], 'type', message, { expected: 'an object', got: render(input), hint });
}

// ─── Pass 2: the schema, and its errors reduced to one precise error per fault ─────────────

/** Our copy of the schema, to read keywords, messages and descriptions from. */
const SCHEMA = structuredClone(schemaDocument) as Schema;
/** The validator gets its own copy: it annotates the schema it is given. */
const VALIDATOR = new Validator(structuredClone(schemaDocument) as Schema, '2020-12', false);
const CONDITION_SCHEMA = schemaAt('$defs', 'condition');

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

/** Validates against the schema and reduces cfworker's failure tree to precise issues. */
function validateAgainstSchema(root: JsonObject): Issue[] {
  let units: OutputUnit[];
  try {
    const result = VALIDATOR.validate(root);
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

// ─── Pass 3: rules the schema cannot express ──────────────────────────────────────────────

const FIELD_TYPES: readonly FieldType[] = ['text', 'textarea', 'number', 'select', 'radio', 'checkbox', 'date', 'tel', 'email', 'location', 'file', 'consent'];
const TEXT_TYPES: readonly FieldType[] = ['text', 'textarea', 'tel', 'email'];
const CHOICE_TYPES: readonly FieldType[] = ['select', 'radio', 'checkbox'];
/** The field types each type-specific property applies to. */
const APPLIES_TO: ReadonlyArray<readonly [string, readonly FieldType[]]> = [
  ['min', ['number', 'date']],
  ['max', ['number', 'date']],
  ['minLength', TEXT_TYPES],
  ['maxLength', TEXT_TYPES],
  ['pattern', TEXT_TYPES],
  ['options', CHOICE_TYPES],
  ['accept', ['file']],
  ['maxSize', ['file']],
  ['maxFiles', ['file']],
];
/** Field types that may carry `role: "title"` or `role: "description"`. */
const ROLE_TYPES: readonly FieldType[] = ['text', 'textarea'];
const FIELD_ROLES = ['title', 'description'] as const;
const URL_SCHEMES = ['https:', 'http:', 'mailto:', 'tel:'];
const ENDPOINT_SCHEMES = ['https:', 'http:'];
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Collects a rule's findings. */
type Report = (path: Path, code: string, message: string, details?: IssueDetails) => void;

interface FieldInfo {
  node: JsonObject;
  path: Path;
  name?: string;
  /** Only when it is one of the known field types. */
  type?: FieldType;
}

interface FormInfo {
  fields: FieldInfo[];
  /** The first field of each name. */
  byName: Map<string, FieldInfo>;
  /** Every page has fields, every field is an object with a name: references can be checked. */
  complete: boolean;
}

interface RuleContext {
  root: JsonObject;
  report: Report;
  /** Whether the schema found nothing wrong at or under a path: a rule only reads sound values. */
  sound: (path: Path) => boolean;
}

function checkRules(root: JsonObject, schemaIssues: readonly Issue[]): Issue[] {
  const issues: Issue[] = [];
  const rules: RuleContext = {
    root,
    report: (path, code, message, details) => issues.push(issue(path, code, message, details)),
    sound: (path) => {
      const pointer = toPointer(path);
      return !schemaIssues.some((i) => isAtOrUnder(i.pointer, pointer));
    },
  };
  checkSteps(rules);
  const form = collectForm(root);
  if (form) {
    checkForm(rules, form);
    checkScreeningConditions(rules, form);
    checkPrivacyNeeded(rules, form);
  }
  const transport = prop(root, 'transport');
  if (stringProp(transport, 'type') === 'http') checkUrl(rules, ['transport', 'endpoint'], ENDPOINT_SCHEMES);
  checkUrl(rules, ['privacy', 'url'], URL_SCHEMES);
  // Templates and the rest of `notifications` (notify/notify-config.ts): its own module, so the
  // server and tests can check a notifications part alone.
  issues.push(...checkNotifications(prop(root, 'notifications')));
  return issues;
}

function isStepType(value: unknown): value is StepType {
  return typeof value === 'string' && (STEP_ORDER as readonly string[]).includes(value);
}

function isFieldType(value: unknown): value is FieldType {
  return typeof value === 'string' && (FIELD_TYPES as readonly string[]).includes(value);
}

function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && Object.hasOwn(LEVEL_RANK, value);
}

/**
 * Reports every later occurrence of a value already seen, at the later one's path.
 * @param entries The values to compare (entries without a string value are skipped) and where they are.
 */
function reportDuplicates(
  entries: Iterable<{ value: string | undefined; path: Path }>,
  report: (path: Path, value: string, firstPath: Path) => void,
): void {
  const first = new Map<string, Path>();
  for (const { value, path } of entries) {
    if (value === undefined) continue;
    const seen = first.get(value);
    if (seen) report(path, value, seen);
    else first.set(value, path);
  }
}

/** Duplicate `id`s in a list of objects (sources, channels, formats, agenda, parties, pages). */
function checkUniqueIds({ root, report }: RuleContext, path: Path, what: string): void {
  const list = valueAt(root, path);
  const entries = (Array.isArray(list) ? list : []).map((item, i) => ({ value: stringProp(item, 'id'), path: [...path, i, 'id'] }));
  reportDuplicates(entries, (at, value, first) =>
    report(at, 'duplicate-id', `The ${what} id ${render(value)} is used twice (first at ${toPointer(first)}); ids must be unique in their list.`, {
      got: render(value),
      hint: `Rename or remove one of the two ${what}s.`,
    }),
  );
}

/** A number the schema accepted, else `fallback` when absent, else `undefined`. */
function soundNumber({ root, sound }: RuleContext, path: Path, fallback?: number): number | undefined {
  const value = valueAt(root, path);
  if (value === undefined) return fallback;
  return typeof value === 'number' && sound(path) ? value : undefined;
}

// Steps

function checkSteps(rules: RuleContext): void {
  const steps = arrayProp(rules.root, 'steps');
  if (!steps) return;
  const firstOfType = new Map<StepType, number>();
  const ranked: Array<{ index: number; rank: number }> = [];
  let everyStepTyped = true;
  steps.forEach((step, index) => {
    const type = prop(step, 'type');
    if (!isStepType(type)) {
      everyStepTyped = false;
      return;
    }
    const first = firstOfType.get(type);
    if (first !== undefined) {
      rules.report(['steps', index, 'type'], 'duplicate-step', `The step ${render(type)} appears twice (first at /steps/${first}); each step type may be used once.`, {
        got: render(type),
        hint: 'Remove one of them, or merge their settings.',
      });
      return;
    }
    firstOfType.set(type, index);
    ranked.push({ index, rank: STEP_ORDER.indexOf(type) });
    checkStep(rules, type, ['steps', index]);
  });
  const order = STEP_ORDER.join(' → ');
  for (const index of outOfOrder(ranked)) {
    const type = prop(steps[index], 'type');
    rules.report(['steps', index, 'type'], 'step-order', `The step ${render(type)} is out of order: steps must come in the order ${order}.`, {
      expected: order,
      got: render(type),
      hint: `Move the ${render(type)} step to its place in that order.`,
    });
  }
  // A step without a valid type may be the "missing" one: its own error says enough.
  if (!everyStepTyped) return;
  const missing = REQUIRED_STEPS.filter((type) => !firstOfType.has(type));
  if (missing.length === 0) return;
  const names = joinWords(missing.map((type) => render(type)), 'and');
  rules.report(['steps'], 'missing-step', `The required step${missing.length === 1 ? '' : 's'} ${names} ${missing.length === 1 ? 'is' : 'are'} missing: every programme has ${joinWords(REQUIRED_STEPS, 'and')}.`, {
    expected: `steps including ${quoteList(REQUIRED_STEPS)}`,
    got: quoteList(steps.map((step) => prop(step, 'type'))),
    hint: `Add ${joinWords(missing.map((type) => `{ "type": ${render(type)} }`), 'and')} in their place: ${order}.`,
  });
}

/** Indexes of the steps outside one longest run that is already in lifecycle order. */
function outOfOrder(steps: ReadonlyArray<{ index: number; rank: number }>): number[] {
  const length = steps.map(() => 1);
  const previous = steps.map(() => -1);
  for (let i = 0; i < steps.length; i++) {
    for (let j = 0; j < i; j++) {
      if (steps[j]!.rank < steps[i]!.rank && length[j]! + 1 > length[i]!) {
        length[i] = length[j]! + 1;
        previous[i] = j;
      }
    }
  }
  const kept = new Set<number>();
  for (let end = length.indexOf(Math.max(0, ...length)); end !== -1; end = previous[end]!) kept.add(end);
  return steps.filter((_, i) => !kept.has(i)).map((s) => s.index);
}

function checkStep(rules: RuleContext, type: StepType, path: Path): void {
  switch (type) {
    case 'intake':
      checkUniqueIds(rules, [...path, 'sources'], 'source');
      break;
    case 'screening':
      checkUniqueIds(rules, [...path, 'channels'], 'channel');
      arrayProp(valueAt(rules.root, path), 'channels')?.forEach((_, i) => checkUrl(rules, [...path, 'channels', i, 'url'], URL_SCHEMES));
      checkEscalation(rules, [...path, 'escalation', 'levels']);
      break;
    case 'meeting':
      checkUniqueIds(rules, [...path, 'formats'], 'format');
      checkUniqueIds(rules, [...path, 'agenda'], 'agenda stage');
      break;
    case 'handling':
      checkUniqueIds(rules, [...path, 'parties'], 'party');
      break;
    case 'evaluation':
      checkEvaluation(rules, path);
      break;
    default:
      break;
  }
}

function checkEscalation({ root, report }: RuleContext, path: Path): void {
  const level = prop(root, 'level');
  const levels = valueAt(root, path);
  if (!isLevel(level) || !Array.isArray(levels)) return;
  const base = LEVEL_RANK[level];
  const higher = (Object.keys(LEVEL_RANK) as Level[]).filter((l) => LEVEL_RANK[l] > base);
  levels.forEach((target, j) => {
    if (!isLevel(target) || LEVEL_RANK[target] > base) return;
    report([...path, j], 'escalation-level', `Escalating to ${render(target)} would not move a topic up: it must rank above the programme's level ${render(level)}.`, {
      expected: higher.length > 0 ? oneOfPhrase(higher) : 'no level (nothing ranks above "city")',
      got: render(target),
      hint:
        higher.length > 0
          ? 'Escalation moves a topic to a higher level: village/community → town/street/park → district/county/sector → city.'
          : 'Remove escalation: a city programme has no higher level.',
    });
  });
}

function checkEvaluation(rules: RuleContext, path: Path): void {
  const defaults = DEFAULTS.evaluation;
  const scale = soundNumber(rules, [...path, 'scale'], defaults.scale);
  if (scale === undefined) return;
  const thresholdPath = [...path, 'reopenThreshold'];
  const threshold = soundNumber(rules, thresholdPath, defaults.reopenThreshold);
  if (threshold !== undefined && threshold > scale) {
    const given = valueAt(rules.root, thresholdPath) !== undefined;
    rules.report(
      thresholdPath,
      'threshold-above-scale',
      `${given ? 'reopenThreshold' : 'The default reopenThreshold'} ${threshold} is above the evaluation scale of ${scale} stars, so every evaluation would reopen handling.`,
      { expected: `a number from 1 to ${scale}`, got: String(threshold), hint: given ? 'Lower reopenThreshold or raise scale.' : `Set reopenThreshold to at most ${scale}.` },
    );
  }
  const labels = valueAt(rules.root, [...path, 'starLabels']);
  if (Array.isArray(labels) && labels.length !== scale) {
    rules.report([...path, 'starLabels'], 'star-labels-length', `starLabels has ${count(labels.length, 'label')}, but the scale has ${scale} stars.`, {
      expected: `${count(scale, 'label')}, lowest first`,
      got: count(labels.length, 'label'),
      hint: 'Give exactly one label per star.',
    });
  }
}

// The intake form

function collectForm(root: JsonObject): FormInfo | undefined {
  const pages = arrayProp(prop(root, 'form'), 'pages');
  if (!pages) return undefined;
  const fields: FieldInfo[] = [];
  let complete = pages.length > 0;
  pages.forEach((page, p) => {
    const nodes = arrayProp(page, 'fields');
    if (!nodes || nodes.length === 0) complete = false;
    nodes?.forEach((node, f) => {
      if (!isObject(node)) {
        complete = false;
        return;
      }
      const type = prop(node, 'type');
      const name = stringProp(node, 'name');
      if (name === undefined) complete = false;
      fields.push({ node, path: ['form', 'pages', p, 'fields', f], name, type: isFieldType(type) ? type : undefined });
    });
  });
  const byName = new Map<string, FieldInfo>();
  for (const field of fields) if (field.name !== undefined && !byName.has(field.name)) byName.set(field.name, field);
  return { fields, byName, complete };
}

function checkForm(rules: RuleContext, form: FormInfo): void {
  checkUniqueIds(rules, ['form', 'pages'], 'page');
  reportDuplicates(
    form.fields.map((f) => ({ value: f.name, path: [...f.path, 'name'] })),
    (at, name, first) =>
      rules.report(at, 'duplicate-field-name', `The field name ${render(name)} is used twice (first at ${toPointer(first)}); names must be unique across all pages.`, {
        got: render(name),
        hint: 'Rename one of the two fields: answers are stored by name.',
      }),
  );
  for (const field of form.fields) {
    if (field.type) checkFieldProperties(rules, field, field.type);
    forEachConditionLeaf(prop(field.node, 'visibleWhen'), [...field.path, 'visibleWhen'], (leaf, path) => checkConditionLeaf(rules, form, leaf, path, field.name));
  }
  checkRoles(rules, form);
}

function checkFieldProperties(rules: RuleContext, field: FieldInfo, type: FieldType): void {
  const { node, path } = field;
  for (const [key, types] of APPLIES_TO) {
    if (!Object.hasOwn(node, key) || types.includes(type)) continue;
    rules.report([...path, key], 'not-applicable', `${render(key)} does not apply to a ${type} field; it is only for ${joinWords(types, 'and')} fields.`, {
      expected: `no ${render(key)} on a ${type} field`,
      got: render(node[key]),
      hint: `Remove ${render(key)}, or change the field's type.`,
    });
  }
  if (type === 'number' || type === 'date') checkBounds(rules, field, type);
  if (TEXT_TYPES.includes(type)) {
    const minLength = soundNumber(rules, [...path, 'minLength']);
    const maxLength = soundNumber(rules, [...path, 'maxLength']);
    if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) {
      rules.report([...path, 'minLength'], 'min-above-max', `minLength ${minLength} is greater than maxLength ${maxLength}, so no answer could be valid.`, {
        expected: `an integer ≤ ${maxLength}`,
        got: String(minLength),
        hint: 'Lower minLength or raise maxLength.',
      });
    }
    const pattern = prop(node, 'pattern');
    if (typeof pattern === 'string') checkPattern(rules, pattern, [...path, 'pattern']);
  }
  if (CHOICE_TYPES.includes(type)) {
    reportDuplicates(
      (arrayProp(node, 'options') ?? []).map((option, k) => ({ value: stringProp(option, 'value'), path: [...path, 'options', k, 'value'] })),
      (at, value, first) =>
        rules.report(at, 'duplicate-option', `The option value ${render(value)} is used twice in this field (first at ${toPointer(first)}).`, {
          got: render(value),
          hint: 'Give each option its own value.',
        }),
    );
  }
  if (type === 'consent' && prop(node, 'required') !== true) {
    rules.report([...path, 'required'], 'consent-not-required', 'A consent field must be required: the person has to tick it to submit.', {
      expected: 'true',
      got: render(prop(node, 'required') ?? 'missing'),
      hint: 'Add "required": true.',
    });
  }
}

/** A date `YYYY-MM-DD` that exists in the calendar, as a comparable number; else `undefined`. */
function parseDate(value: Json | undefined): number | undefined {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date.getTime() : undefined;
}

/** `min` / `max` of a number or date field: the right kind of value, and min ≤ max. */
function checkBounds({ report, sound }: RuleContext, { node, path }: FieldInfo, type: 'number' | 'date'): void {
  const bounds = (['min', 'max'] as const).map((key): number | undefined => {
    const value = prop(node, key);
    if (value === undefined || !sound([...path, key])) return undefined;
    if (type === 'number') {
      if (typeof value === 'number') return value;
      report([...path, key], 'type', `${render(key)} of a number field must be a number, but it is ${kindOf(value)}.`, { expected: 'a number', got: render(value) });
      return undefined;
    }
    const date = parseDate(value);
    if (date === undefined) {
      report([...path, key], 'date-format', `${render(key)} of a date field must be a real date written YYYY-MM-DD.`, {
        expected: 'a date such as "2024-05-01"',
        got: render(value),
      });
    }
    return date;
  });
  const [min, max] = bounds;
  if (min !== undefined && max !== undefined && min > max) {
    report([...path, 'min'], 'min-above-max', `min ${render(node.min)} is after max ${render(node.max)}, so no answer could be valid.`, {
      expected: `a value ≤ ${render(node.max)}`,
      got: render(node.min),
      hint: 'Swap min and max, or correct one of them.',
    });
  }
}

function checkPattern({ report }: RuleContext, pattern: string, path: Path): void {
  try {
    // The form matches the whole value, with Unicode semantics, as an HTML pattern attribute does.
    new RegExp(`^(?:${pattern})$`, 'u');
  } catch (error) {
    report(path, 'invalid-pattern', `pattern is not a valid regular expression: ${errorText(error)}`, {
      expected: 'a JavaScript regular expression (Unicode mode), e.g. "^1[3-9][0-9]{9}$"',
      got: render(pattern),
    });
  }
}

function checkRoles({ report, sound }: RuleContext, form: FormInfo): void {
  for (const role of FIELD_ROLES) {
    const holders = form.fields.filter((f) => prop(f.node, 'role') === role);
    holders.slice(1).forEach((f) =>
      report([...f.path, 'role'], 'duplicate-role', `Only one field may have "role": ${render(role)}; the first is at ${toPointer(holders[0]!.path)}.`, {
        got: render(role),
        hint: 'Remove "role" from all but one field.',
      }),
    );
    for (const f of holders) {
      if (f.type === undefined || ROLE_TYPES.includes(f.type)) continue;
      report([...f.path, 'role'], 'role-type', `"role": ${render(role)} must be on a text or textarea field, not a ${f.type} field.`, {
        expected: 'a text or textarea field',
        got: render(f.type),
        hint: `Put "role": ${render(role)} on the field that asks for the topic's ${role}.`,
      });
    }
  }
  // A field whose role the schema refused may well be the title: then that error says enough.
  const rolesReadable = form.complete && form.fields.every((f) => sound([...f.path, 'role']));
  if (rolesReadable && !form.fields.some((f) => prop(f.node, 'role') === 'title')) {
    report(['form'], 'missing-title-field', 'No field has "role": "title", so topics would have no title in lists and timelines.', {
      expected: 'one text field with "role": "title"',
      hint: 'Add "role": "title" to the text field that asks for the topic\'s name.',
    });
  }
}

// Conditions (visibleWhen, a channel's when)

/** Calls `visit` for every `{ field, … }` test in a condition tree, with its path. */
function forEachConditionLeaf(node: Json | undefined, path: Path, visit: (leaf: JsonObject, path: Path) => void): void {
  if (!isObject(node)) return;
  for (const key of ['all', 'any'] as const) arrayProp(node, key)?.forEach((c, i) => forEachConditionLeaf(c, [...path, key, i], visit));
  if (Object.hasOwn(node, 'not')) forEachConditionLeaf(node.not, [...path, 'not'], visit);
  if (typeof prop(node, 'field') === 'string') visit(node, path);
}

function checkScreeningConditions(rules: RuleContext, form: FormInfo): void {
  arrayProp(rules.root, 'steps')?.forEach((step, s) => {
    if (prop(step, 'type') !== 'screening') return;
    arrayProp(step, 'channels')?.forEach((channel, c) =>
      forEachConditionLeaf(prop(channel, 'when'), ['steps', s, 'channels', c, 'when'], (leaf, path) => checkConditionLeaf(rules, form, leaf, path)),
    );
  });
}

/**
 * A field test must name an existing field (not the field it hides), and compare a choice
 * field with values among its options.
 */
function checkConditionLeaf({ report, sound }: RuleContext, form: FormInfo, leaf: JsonObject, path: Path, owner?: string): void {
  const name = leaf.field as string;
  const fieldPath = [...path, 'field'];
  const target = form.byName.get(name);
  if (!target) {
    // With a page or field the schema could not read, the field may exist after all.
    if (!form.complete) return;
    const names = [...form.byName.keys()];
    const suggestion = didYouMean(name, names);
    report(fieldPath, 'unknown-field', `The condition refers to a field ${render(name)} that is not in the form.`, {
      expected: oneOfPhrase(names),
      got: render(name),
      hint: suggestion !== undefined ? `Did you mean ${render(suggestion)}?` : 'Check the spelling of the field name.',
    });
    return;
  }
  if (name === owner) {
    report(fieldPath, 'self-reference', `The field ${render(name)} cannot depend on its own answer: it would hide itself.`, {
      got: render(name),
      hint: 'Refer to another field.',
    });
    return;
  }
  // Values are compared only on a well-formed test against well-formed options.
  const optionsPath = [...target.path, 'options'];
  const options = target.type && CHOICE_TYPES.includes(target.type) && sound(optionsPath) && sound(path) ? arrayProp(target.node, 'options') : undefined;
  if (!options) return;
  const values = options.map((o) => prop(o, 'value'));
  const checkValue = (value: Json | undefined, at: Path): void => {
    if (value === undefined || values.includes(value)) return;
    report(at, 'unknown-option', `${render(value)} is not one of the options of the field ${render(name)}, so this test can never hold.`, {
      expected: oneOfPhrase(values),
      got: render(value),
    });
  };
  checkValue(prop(leaf, 'equals'), [...path, 'equals']);
  arrayProp(leaf, 'in')?.forEach((value, k) => checkValue(value, [...path, 'in', k]));
}

// Privacy and URLs

function checkPrivacyNeeded({ root, report }: RuleContext, form: FormInfo): void {
  if (Object.hasOwn(root, 'privacy')) return;
  const personal = form.fields.filter((f) => (f.type !== undefined && PERSONAL_TYPES.includes(f.type)) || prop(f.node, 'personal') === true);
  if (personal.length === 0) return;
  const list = personal.map((f) => `${toPointer(f.path)} (${f.name ?? 'unnamed'})`).join(', ');
  report(['privacy'], 'privacy-required', 'The form collects personal data, so the configuration needs a privacy notice.', {
    expected: 'a "privacy" object with controller, purpose, retention and contact',
    hint: `Add "privacy", or stop collecting personal data in: ${list}.`,
  });
}

/**
 * A URL must be relative or use an allowed scheme. It is read the way a browser reads an
 * `href` (the WHATWG URL parser), after refusing control characters outright: browsers strip
 * them, which makes them a classic way to hide `javascript:`.
 */
function checkUrl({ root, report }: RuleContext, path: Path, schemes: readonly string[]): void {
  const value = valueAt(root, path);
  if (typeof value !== 'string' || value === '') return;
  const expected = `an ${joinWords(schemes, 'or')} URL, or a relative path`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) {
    report(path, 'url-scheme', `${pathLabel(path)} contains control characters (tab, new line …), which can hide its real scheme.`, {
      expected,
      got: render(value),
      hint: 'Remove them; encode characters in a URL as %XX.',
    });
    return;
  }
  let protocol: string;
  try {
    protocol = new URL(value, 'https://relative.invalid/').protocol;
  } catch {
    report(path, 'invalid-url', `${pathLabel(path)} is not a valid URL.`, { expected, got: render(value) });
    return;
  }
  if (!schemes.includes(protocol)) {
    report(path, 'url-scheme', `${pathLabel(path)} uses the scheme ${render(protocol)}, which is not allowed.`, {
      expected,
      got: render(value),
      hint: `Use ${joinWords(schemes, 'or')} or a relative path: other schemes (javascript:, data: …) could run script in the host page.`,
    });
  }
}
