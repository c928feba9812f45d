/** The server's one JSON body parser (every route's, and the config publish's). */
import { Problem } from './problems.js';

/**
 * Whether a JSON text may hold a `__proto__` member: the name written with plain or escaped
 * characters (the test secure-json-parse makes). A text without it cannot, and is parsed
 * without a reviver (a reviver call per member costs more than the parse itself).
 */
const MAYBE_PROTO = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"/;

/**
 * How deep arrays and objects may nest in a body: 64 levels. The deepest real document is a
 * workflow config (9 levels in the examples, 2 more per nested `all`/`any` condition); an
 * event submission has 5. Anything deeper is refused before it is parsed, validated or
 * fingerprinted (each of which walks the value), as `400 /problems/malformed-json` with `maxDepth`.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether a JSON text could hold a NUL or half of a surrogate pair: both reach a parsed string
 * only through a `\u` escape (a raw NUL is not valid JSON, and the body was decoded from UTF-8,
 * which has no lone surrogates).
 */
const MAYBE_BAD_CHARACTER = /\\u(?:0000|[Dd][89A-Fa-f])/;

/** A NUL, or a surrogate without its other half. */
// eslint-disable-next-line no-control-regex -- a NUL is exactly what this looks for
const BAD_CHARACTER = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a text holds a NUL or a lone surrogate (never stored: PostgreSQL cannot hold a NUL). */
export function hasBadCharacter(text: string): boolean {
  return BAD_CHARACTER.test(text);
}

/** Whether a JSON text nests arrays and objects deeper than `limit` (brackets counted outside strings). */
function tooDeep(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** A JSON Pointer token (RFC 6901). */
const token = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The first string (member name or value) holding a NUL or a lone surrogate, as a JSON Pointer
 * to it; undefined when there is none. Iterative: the depth was bounded, but no recursion anyway.
 */
function badStringAt(value: unknown): { pointer: string; inName: boolean } | undefined {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [node, pointer] = stack.pop()!;
    if (typeof node === 'string') {
      if (BAD_CHARACTER.test(node)) return { pointer, inName: false };
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], `${pointer}/${i}`]);
    } else if (typeof node === 'object' && node !== null) {
      const keys = Object.keys(node);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (BAD_CHARACTER.test(key)) return { pointer: `${pointer}/${token(key)}`, inName: true };
        stack.push([(node as Record<string, unknown>)[key], `${pointer}/${token(key)}`]);
      }
    }
  }
  return undefined;
}

/**
 * Parses JSON, refusing `__proto__` keys (prototype poisoning), nesting deeper than
 * `MAX_JSON_DEPTH`, and NUL characters or lone surrogates in any string (PostgreSQL cannot
 * store a NUL in `text`/`jsonb`, and neither is a character a person typed: `400
 * /problems/invalid-request` with the pointer); it says where the text breaks.
 */
export function parseJson(text: string): unknown {
  if (text.trim() === '') throw new Problem('malformed-json', 'The body is empty; send an EventSubmission as JSON.');
  if (tooDeep(text, MAX_JSON_DEPTH)) {
    throw new Problem('malformed-json', `The body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels, which this server refuses.`, {
      maxDepth: MAX_JSON_DEPTH,
    });
  }
  let value: unknown;
  try {
    if (!MAYBE_PROTO.test(text)) value = JSON.parse(text);
    else {
      value = JSON.parse(text, (key, member: unknown) => {
        if (key === '__proto__') throw new Problem('malformed-json', 'The body has a "__proto__" member, which this server refuses.');
        return member;
      });
    }
  } catch (error) {
    if (error instanceof Problem) throw error;
    // Newer V8 quotes the text around the fault ("…" is not valid JSON): it may hold personal data.
    throw new Problem('malformed-json', (error as Error).message.replace(/,? ".*? is not valid JSON$/s, ' (not valid JSON)'));
  }
  if (MAYBE_BAD_CHARACTER.test(text)) {
    const bad = badStringAt(value);
    if (bad) {
      const message = `${bad.inName ? 'This member name' : 'This text'} holds a NUL character (U+0000) or half of a surrogate pair, which this server does not store.`;
      throw new Problem('invalid-request', `${bad.pointer === '' ? 'The body' : bad.pointer} holds a character this server does not store (a NUL or a lone surrogate).`, {
        errors: [{ pointer: bad.pointer, message }],
      });
    }
  }
  return value;
}
