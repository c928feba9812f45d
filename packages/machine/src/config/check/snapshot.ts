/**
 * The checker's first pass: the input copied into a plain JSON tree. Anything JSON cannot hold
 * (functions, `NaN`, cycles, getters that throw, absurd nesting) becomes an error at its pointer;
 * the rest is checked normally. The input is never mutated or kept.
 */
import type { Json, JsonObject, Path } from './json.js';
import { issue, type Issue } from './issues.js';
import { errorText, pathLabel, render } from './wording.js';

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

export interface Snapshot {
  value: Json;
  issues: Issue[];
}

/**
 * Copies the input into fresh plain objects and arrays, reporting what JSON cannot hold; such a
 * value is replaced by `null`, so its parent stays whole and no second error arises from it.
 * Properties whose value is `undefined` are left out, as `JSON.stringify` does.
 */
export function takeSnapshot(input: unknown): Snapshot {
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

export function rootTypeIssue(input: unknown): Issue {
  const got = Array.isArray(input) ? 'an array' : input === null ? 'null' : `a ${typeof input}`;
  const hint =
    typeof input === 'string'
      ? 'Pass the parsed configuration (JSON.parse(text)), not the JSON text.'
      : 'A configuration is one JSON object with id, version, title, level, steps and form.';
  const message = input === undefined || input === null ? 'No configuration was given.' : `The configuration must be a JSON object, but it is ${got}.`;
  return issue([], 'type', message, { expected: 'an object', got: render(input), hint });
}
