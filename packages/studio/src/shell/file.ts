/**
 * Import and export of a config file. Import parses the text and, when it is not JSON, says where
 * (line and column, from the parser's position); export downloads the canonical text.
 */
import type { Json } from '../pointer.js';

export type ParsedFile = { ok: true; value: Json } | { ok: false; message: string; line?: number; column?: number };

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/**
 * Where a text stops being JSON: the offset of the first character the grammar does not allow
 * (the browser's own message does not always say; Chromium's now quotes the text instead).
 * Undefined when the text is JSON.
 */
export function jsonFaultOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i += 1;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i += 1;
    }
  };
  const string = () => {
    i += 1;
    for (;;) {
      if (i >= text.length) fail();
      const ch = text[i]!;
      if (ch === '"') return void (i += 1);
      if (ch < ' ') fail();
      if (ch === '\\') {
        i += 1;
        const esc = text[i];
        if (esc === 'u') {
          for (let k = 1; k <= 4; k += 1) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail();
            }
          }
          i += 5;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i += 1;
        else fail();
      } else i += 1;
    }
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match || match[0] === '-' || match[0] === '') fail();
    i += match![0].length;
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') {
      i += 1;
      space();
      if (text[i] === '}') return void (i += 1);
      for (;;) {
        space();
        if (text[i] !== '"') fail();
        string();
        space();
        if (text[i] !== ':') fail();
        i += 1;
        value();
        space();
        if (text[i] === ',') i += 1;
        else if (text[i] === '}') return void (i += 1);
        else fail();
      }
    }
    if (ch === '[') {
      i += 1;
      space();
      if (text[i] === ']') return void (i += 1);
      for (;;) {
        value();
        space();
        if (text[i] === ',') i += 1;
        else if (text[i] === ']') return void (i += 1);
        else fail();
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    fail();
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value();
    space();
    if (i < text.length) fail();
    return undefined;
  } catch (offset) {
    return typeof offset === 'number' ? offset : undefined;
  }
}

/** Parses a file's text as JSON; a failure carries the parser's message and where it stopped. */
export function parseFile(text: string): ParsedFile {
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    const offset = jsonFaultOffset(text);
    if (offset !== undefined) return { ok: false, message, ...lineColumn(text, offset) };
    const position = /position (\d+)/.exec(message);
    if (position) return { ok: false, message, ...lineColumn(text, Number(position[1])) };
    return { ok: false, message };
  }
}

/** A file name for a programme id (`wuxi-youshi-haoshangliang.json`); unsafe characters dropped. */
export function exportName(id: Json | undefined): string {
  const base = typeof id === 'string' ? id.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') : '';
  return `${base || 'programme'}.json`;
}

/** Downloads `text` as a JSON file (a Blob behind an `a[download]`). */
export function downloadText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
