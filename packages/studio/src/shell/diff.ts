/**
 * The difference between two configs, node by node: what was added, removed or changed, each at
 * its JSON Pointer with a location a person can read ("form › page «problem» › field «phone» ›
 * label › en"). The versions pane and the publish conflict dialog show the same list.
 */
import { child, jsonEqual, parsePointer, type Json, type JsonObject } from '../pointer.js';

/** One difference. `before` is absent for an addition, `after` for a removal. */
export interface DiffEntry {
  kind: 'added' | 'removed' | 'changed';
  pointer: string;
  before?: Json;
  after?: Json;
}

const isObject = (value: Json | undefined): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Every difference from `before` to `after`, in document order. Objects are compared key by key
 * and arrays item by item; where one side has no node, or the two nodes are of different kinds,
 * the whole node is one entry.
 */
export function diffJson(before: Json, after: Json): DiffEntry[] {
  const out: DiffEntry[] = [];
  const walk = (a: Json | undefined, b: Json | undefined, pointer: string) => {
    if (jsonEqual(a, b)) return;
    if (a === undefined) out.push({ kind: 'added', pointer, after: b });
    else if (b === undefined) out.push({ kind: 'removed', pointer, before: a });
    else if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i += 1) walk(a[i], b[i], child(pointer, i));
    } else if (isObject(a) && isObject(b)) {
      const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.prototype.hasOwnProperty.call(a, k))];
      for (const key of keys) walk(a[key], b[key], child(pointer, key));
    } else out.push({ kind: 'changed', pointer, before: a, after: b });
  };
  walk(before, after, '');
  return out;
}

/**
 * A readable location of a pointer in a config: segments joined by " › ", an array item named by
 * its `id` or `name` (or `type` for a step) when it has one in `root`, else by its 1-based number.
 */
export function readableLocation(root: Json | undefined, pointer: string, numberWord = '#'): string {
  if (pointer === '') return '/';
  const parts: string[] = [];
  let node: Json | undefined = root;
  for (const key of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      const item: Json | undefined = node[Number(key)];
      const name = isObject(item) ? (item.id ?? item.name ?? item.type ?? item.value) : undefined;
      parts.push(typeof name === 'string' ? `«${name}»` : `${numberWord}${Number(key) + 1}`);
      node = item;
    } else {
      parts.push(key);
      node = isObject(node) ? node[key] : undefined;
    }
  }
  return parts.join(' › ');
}

/** A value shortened for a table cell: strings as they are, other JSON compact, cut at `max`. */
export function shortValue(value: Json | undefined, max = 160): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
