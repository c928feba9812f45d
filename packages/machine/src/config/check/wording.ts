/**
 * How the checker words its errors: readable paths, short renderings of values, lists, and the
 * did-you-mean guess for a misspelt name. Every message of every section is built from these, so
 * the sections read alike.
 */
import type { Json, Path } from './json.js';

/** A readable JavaScript-like path for messages: `form.pages[0].fields[2].name` (long ones cut short). */
export function pathLabel(path: Path): string {
  if (path.length === 0) return 'The configuration';
  const shown = path.length > 10 ? path.slice(-8) : path;
  const label = shown
    .map((s, i) => {
      const text = String(s);
      if (typeof s === 'number' || /^(0|[1-9][0-9]*)$/.test(text)) return `[${text}]`;
      if (/^[A-Za-z_$][\w$]*$/.test(text)) return i === 0 ? text : `.${text}`;
      return `[${JSON.stringify(text)}]`;
    })
    .join('');
  return shown === path ? label : `…${label.startsWith('[') ? '' : '.'}${label}`;
}

/** A short JSON rendering of a value for `got`, truncated when long. */
export function render(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  const chars = [...text];
  return chars.length > 60 ? `${chars.slice(0, 59).join('')}…` : text;
}

export function kindOf(value: Json | undefined): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'a number with a fraction';
  return `a ${typeof value}`;
}

/** `a`, `a and b`, `a, b and c` (or `or`). */
export function joinWords(words: readonly string[], last: 'and' | 'or'): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} ${last} ${words[words.length - 1]}`;
}

/** `1 label`, `3 labels`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function quoteList(values: readonly unknown[]): string {
  return values.map((v) => render(v)).join(', ');
}

export function oneOfPhrase(values: readonly unknown[]): string {
  return values.length === 1 ? render(values[0]) : `one of ${quoteList(values)}`;
}

export function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}

/** The closest candidate to a misspelt name, if one is close enough to be a likely typo. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(input.length / 3)) + 1;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance && distance < candidate.length) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Math.abs(a.length - b.length);
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
