/**
 * The checker's view of a config: plain JSON values (the snapshot of the input), paths into them
 * and RFC 6901 pointers.
 */

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}
/** A location in the city's document: property names and array indexes. */
export type Path = readonly (string | number)[];

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property of a JSON object (never one from the prototype chain). */
export function prop(object: Json | undefined, key: string): Json | undefined {
  return isObject(object) && Object.hasOwn(object, key) ? object[key] : undefined;
}

/** An own property that is an array, or `undefined`. */
export function arrayProp(object: Json | undefined, key: string): Json[] | undefined {
  const value = prop(object, key);
  return Array.isArray(value) ? value : undefined;
}

export function stringProp(object: Json | undefined, key: string): string | undefined {
  const value = prop(object, key);
  return typeof value === 'string' ? value : undefined;
}

export function valueAt(root: Json, path: Path): Json | undefined {
  let node: Json | undefined = root;
  for (const segment of path) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else node = prop(node, String(segment));
    if (node === undefined) return undefined;
  }
  return node;
}

/** RFC 6901: `~` → `~0`, `/` → `~1`; the empty path is the whole document (""). */
export function toPointer(path: Path): string {
  return path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function isAtOrUnder(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}
