/**
 * Import and export of a config file. Import parses the text and, when it is not JSON, says where
 * (line and column); export downloads the canonical text.
 */
import type { Json } from '../pointer.js';
import { readJson } from '../json/json-syntax.js';

export type ParsedFile = { ok: true; value: Json } | { ok: false; message: string; line?: number; column?: number };

/**
 * Parses a file's text as JSON; a failure carries the parser's message and where the text stops
 * being JSON (line and column, from the JSON pane's scanner: Chromium's message no longer gives a
 * position).
 */
export function parseFile(text: string): ParsedFile {
  const reading = readJson(text);
  if (reading.ok) return reading;
  let message = '';
  try {
    JSON.parse(text);
  } catch (error) {
    message = (error as Error)?.message ?? String(error);
  }
  return { ok: false, message, line: reading.problem.line, column: reading.problem.column };
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
