/**
 * JSON values and RFC 6901 JSON Pointers: the studio addresses every node of a config by the same
 * pointer the checker names in its errors, so an error leads to the control that edits its node.
 */

/** A JSON value as parsed (the studio never holds anything else in a config). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** `"/form/pages/0"` → `["form", "pages", "0"]`; `""` → `[]`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`Not a JSON Pointer: "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `["form", "pages", 0]` → `"/form/pages/0"`. */
export function toPointer(segments: ReadonlyArray<string | number>): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The pointer of a child: `child("/form", "pages", 0)` → `"/form/pages/0"`. */
export function child(pointer: string, ...segments: Array<string | number>): string {
  return pointer + toPointer(segments);
}

/** Whether `prefix` is `pointer` or one of its ancestors (by whole segments). */
export function isWithin(pointer: string, prefix: string): boolean {
  return pointer === prefix || pointer.startsWith(`${prefix}/`);
}

/** The value at a pointer, or undefined when there is none. */
export function getAt(root: Json | undefined, pointer: string): Json | undefined {
  let node: Json | undefined = root;
  for (const key of parsePointer(pointer)) {
    if (Array.isArray(node)) node = /^(0|[1-9]\d*)$/.test(key) ? node[Number(key)] : undefined;
    else if (node && typeof node === 'object') node = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    else return undefined;
  }
  return node;
}

/**
 * A copy of `root` with `update` applied to the node at `pointer` (structural sharing: only the
 * path down to it is copied, so an unchanged subtree keeps its identity and Lit skips it).
 * Objects along a missing path are created. `update` returning undefined removes the node.
 */
export function updateAt(root: Json, pointer: string, update: (node: Json | undefined) => Json | undefined): Json {
  const keys = parsePointer(pointer);
  const walk = (node: Json | undefined, depth: number): Json | undefined => {
    if (depth === keys.length) return update(node);
    const key = keys[depth]!;
    if (Array.isArray(node)) {
      const index = key === '-' ? node.length : Number(key);
      if (!Number.isInteger(index) || index < 0 || index > node.length) throw new Error(`No index ${key} at ${toPointer(keys.slice(0, depth))}`);
      const next = walk(node[index], depth + 1);
      const copy = node.slice();
      if (next === undefined) copy.splice(index, 1);
      else copy[index] = next;
      return copy;
    }
    const object: JsonObject = node && typeof node === 'object' ? node : {};
    const next = walk(object[key], depth + 1);
    const copy: JsonObject = { ...object };
    if (next === undefined) delete copy[key];
    else copy[key] = next;
    return copy;
  };
  const result = walk(root, 0);
  if (result === undefined) throw new Error('The whole document cannot be removed.');
  return result;
}

/** Whether two JSON values are equal (objects by keys, in any order; arrays in order). */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as Json[]).length && a.every((v, i) => jsonEqual(v, (b as Json[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b as JsonObject);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual((a as JsonObject)[k], (b as JsonObject)[k]));
}

/** The studio's canonical text of a config: two-space indent, keys in their order, a final newline. */
export function canonicalText(value: Json): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
