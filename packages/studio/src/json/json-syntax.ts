/**
 * Reads JSON text the way `JSON.parse` does, but says where and why it stops: a strict scanner of
 * RFC 8259 that returns the first fault as an offset and a kind, so the pane can say it in zh-CN
 * and en with the line and column ("第 3 行第 5 列：缺少逗号" / "Line 3, column 5: expected ','").
 * When the scanner finds nothing, `JSON.parse` gives the value.
 */
import type { Json } from '../pointer.js';

/** What is wrong at the offset. */
export type SyntaxFault =
  | 'end' // the text ended inside a value
  | 'value' // a value was expected here
  | 'comma-or-close-object' // after a property: `,` or `}`
  | 'comma-or-close-array' // after an item: `,` or `]`
  | 'colon' // after a property name: `:`
  | 'property-name' // a property name in double quotes was expected
  | 'trailing-comma' // a comma before `}` or `]`
  | 'string-end' // a string ran to the end of a line or the text
  | 'escape' // a bad escape in a string (`\x`, `\u12`)
  | 'control' // a raw control character (a tab, a line break) in a string
  | 'number' // a malformed number (`01`, `1.`, `-`)
  | 'after-value' // something follows the whole value
  | 'empty'; // nothing at all

export interface SyntaxProblem {
  /** Offset in the text (UTF-16 code units) where the fault is. */
  from: number;
  /** End of the offending token (at least `from + 1`, never past the text). */
  to: number;
  fault: SyntaxFault;
  /** 1-based line and column of `from`. */
  line: number;
  column: number;
  /** The character found at `from`, when there is one. */
  found?: string;
}

export type JsonReading = { ok: true; value: Json } | { ok: false; problem: SyntaxProblem };

const WS = new Set([' ', '\t', '\n', '\r']);

class Fault extends Error {
  constructor(
    readonly at: number,
    readonly fault: SyntaxFault,
    readonly length = 1,
  ) {
    super(fault);
  }
}

/** Line and column (1-based) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Scans `text`; throws a `Fault` at the first problem. */
function scan(text: string): void {
  let i = 0;
  const n = text.length;
  const skip = () => {
    while (i < n && WS.has(text[i]!)) i += 1;
  };
  const string = () => {
    i += 1; // the opening quote
    while (i < n) {
      const c = text[i]!;
      if (c === '"') {
        i += 1;
        return;
      }
      if (c === '\n' || c === '\r') throw new Fault(i, 'string-end');
      if (c < ' ') throw new Fault(i, 'control');
      if (c === '\\') {
        const e = text[i + 1];
        if (e === undefined) throw new Fault(i, 'end');
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Fault(i, 'escape', 2);
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e)) throw new Fault(i, 'escape', 2);
        i += 2;
        continue;
      }
      i += 1;
    }
    throw new Fault(n, 'string-end');
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    const token = /^[-+0-9.eE]+/.exec(text.slice(i, i + 400))?.[0] ?? '';
    if (!match || match[0].length !== token.length) throw new Fault(i, 'number', Math.max(1, token.length));
    i += token.length;
  };
  const value = (): void => {
    skip();
    if (i >= n) throw new Fault(n, 'end');
    const c = text[i]!;
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i, i + 100))?.[0];
    throw new Fault(i, 'value', word?.length ?? 1);
  };
  const object = () => {
    i += 1;
    skip();
    if (text[i] === '}') {
      i += 1;
      return;
    }
    for (;;) {
      skip();
      if (i >= n) throw new Fault(n, 'end');
      if (text[i] === '}') throw new Fault(i, 'trailing-comma');
      if (text[i] !== '"') throw new Fault(i, 'property-name');
      string();
      skip();
      if (i >= n) throw new Fault(n, 'end');
      if (text[i] !== ':') throw new Fault(i, 'colon');
      i += 1;
      value();
      skip();
      if (i >= n) throw new Fault(n, 'end');
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (text[i] === '}') {
        i += 1;
        return;
      }
      throw new Fault(i, 'comma-or-close-object');
    }
  };
  const array = () => {
    i += 1;
    skip();
    if (text[i] === ']') {
      i += 1;
      return;
    }
    for (;;) {
      skip();
      if (text[i] === ']') throw new Fault(i, 'trailing-comma');
      value();
      skip();
      if (i >= n) throw new Fault(n, 'end');
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (text[i] === ']') {
        i += 1;
        return;
      }
      throw new Fault(i, 'comma-or-close-array');
    }
  };
  skip();
  if (i >= n) throw new Fault(0, 'empty');
  value();
  skip();
  if (i < n) throw new Fault(i, 'after-value');
}

/** Reads JSON text: the value, or where and why it is not JSON. Never throws. */
export function readJson(text: string): JsonReading {
  try {
    scan(text);
  } catch (error) {
    // Nesting deeper than the call stack: JSON.parse decides alone.
    if (!(error instanceof Fault)) return parseOrSay(text);
    const from = Math.min(error.at, text.length);
    const { line, column } = lineColumn(text, from);
    const found = text[from];
    return {
      ok: false,
      problem: { from, to: Math.min(text.length, from + error.length), fault: error.fault, line, column, ...(found !== undefined ? { found } : {}) },
    };
  }
  return parseOrSay(text);
}

function parseOrSay(text: string): JsonReading {
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch {
    // The scanner and JSON.parse agree on RFC 8259; should they not, say so at the start.
    return { ok: false, problem: { from: 0, to: Math.min(1, text.length), fault: 'value', line: 1, column: 1 } };
  }
}
