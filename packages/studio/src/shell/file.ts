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

/** Parses a file's text as JSON; a failure carries the parser's message and where it stopped. */
export function parseFile(text: string): ParsedFile {
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    const lc = /line (\d+) column (\d+)/.exec(message);
    if (lc) return { ok: false, message, line: Number(lc[1]), column: Number(lc[2]) };
    const position = /position (\d+)/.exec(message);
    if (position) return { ok: false, message, ...lineColumn(text, Number(position[1])) };
    // "Unexpected end of JSON input": the end of the text.
    if (/end of/i.test(message)) return { ok: false, message, ...lineColumn(text, text.length) };
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
