/**
 * The JSON Canonicalization Scheme (RFC 8785) and the fingerprint of a request body: two bodies
 * are "the same" for `Idempotency-Key` when their canonical forms are equal, whatever their key
 * order and whitespace.
 */
import { createHash } from 'node:crypto';

/** A piece of canonical text already decided (a bracket, a comma, a member name and colon). */
class Literal {
  constructor(readonly text: string) {}
}

const OPEN_ARRAY = new Literal('[');
const CLOSE_ARRAY = new Literal(']');
const OPEN_OBJECT = new Literal('{');
const CLOSE_OBJECT = new Literal('}');
const COMMA = new Literal(',');

/** The JSON text of a leaf value (null, boolean, number, string). */
function leaf(value: unknown): string | undefined {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON form`);
    return JSON.stringify(value);
  }
  return undefined;
}

/**
 * The canonical JSON text of a value (RFC 8785): object members sorted by their UTF-16 code
 * units, no whitespace, numbers and strings serialized as ECMAScript's `JSON.stringify` does.
 * Throws on values JSON cannot hold (non-finite numbers, functions, undefined). Iterative, with
 * a stack of its own: however deep the value nests, it cannot overflow the call stack.
 */
export function canonicalJson(value: unknown): string {
  const simple = leaf(value);
  if (simple !== undefined) return simple;
  let out = '';
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Literal) {
      out += item.text;
      continue;
    }
    const text = leaf(item);
    if (text !== undefined) {
      out += text;
    } else if (Array.isArray(item)) {
      stack.push(CLOSE_ARRAY);
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i]);
        if (i > 0) stack.push(COMMA);
      }
      out += OPEN_ARRAY.text;
    } else if (typeof item === 'object' && item !== null) {
      const keys = Object.keys(item).sort();
      stack.push(CLOSE_OBJECT);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        stack.push((item as Record<string, unknown>)[key]);
        stack.push(new Literal(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`));
      }
      out += OPEN_OBJECT.text;
    } else {
      throw new TypeError(`a ${typeof item} has no JSON form`);
    }
  }
  return out;
}

/** SHA-256 (hex) of a text. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The fingerprint of a request body: SHA-256 (hex) of its canonical JSON. */
export function fingerprint(body: unknown): string {
  return sha256Hex(canonicalJson(body));
}
