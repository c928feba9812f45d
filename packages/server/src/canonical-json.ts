/**
 * The JSON Canonicalization Scheme (RFC 8785) and the fingerprint of a request body: two bodies
 * are "the same" for `Idempotency-Key` when their canonical forms are equal, whatever their key
 * order and whitespace.
 */
import { createHash } from 'node:crypto';

/**
 * The canonical JSON text of a value (RFC 8785): object members sorted by their UTF-16 code
 * units, no whitespace, numbers and strings serialized as ECMAScript's `JSON.stringify` does.
 * Throws on values JSON cannot hold (non-finite numbers, functions, undefined).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const members = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`a ${typeof value} has no JSON form`);
}

/** SHA-256 (hex) of a text. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The fingerprint of a request body: SHA-256 (hex) of its canonical JSON. */
export function fingerprint(body: unknown): string {
  return sha256Hex(canonicalJson(body));
}
