/**
 * Issues while they are collected, and how the checker turns them into its answer: one per
 * pointer and code, in document order.
 */
import type { ConfigError } from '../config.types.js';
import { isObject, toPointer, type Json, type JsonObject, type Path } from './json.js';

/** A {@link ConfigError} while it is being collected. */
export interface Issue extends ConfigError {
  /** For an unknown property: the allowed name it probably misspells. */
  suggestion?: string;
}

export type IssueDetails = Partial<Pick<Issue, 'expected' | 'got' | 'hint' | 'suggestion'>>;

export function issue(path: Path, code: string, message: string, details: IssueDetails = {}): Issue {
  const result: Issue = { pointer: toPointer(path), code, message };
  for (const key of ['expected', 'got', 'hint', 'suggestion'] as const) {
    const value = details[key];
    if (value !== undefined) result[key] = value;
  }
  return result;
}

export function toConfigError({ suggestion: _suggestion, ...error }: Issue): ConfigError {
  return error;
}

/** One error per pointer and code; a misspelt property is not also reported as missing. */
export function dedupe(issues: readonly Issue[]): Issue[] {
  const misspelt = new Set(
    issues
      .filter((i) => i.code === 'unknown-property' && i.suggestion !== undefined)
      .map((i) => `${i.pointer.slice(0, i.pointer.lastIndexOf('/'))}/${toPointer([i.suggestion!]).slice(1)}`),
  );
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.pointer}\u0000${i.code}`;
    if (seen.has(key) || (i.code === 'required' && misspelt.has(i.pointer))) return false;
    seen.add(key);
    return true;
  });
}

/** Sorts issues by where their node (or its closest existing ancestor) appears in the file. */
export function inDocumentOrder(issues: readonly Issue[], root: JsonObject): Issue[] {
  // Where each node starts and where its subtree ends, in a depth-first walk of the file.
  const spans = new Map<string, { start: number; end: number }>();
  let counter = 0;
  const visit = (node: Json, pointer: string): void => {
    const span = { start: counter++, end: 0 };
    spans.set(pointer, span);
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, `${pointer}/${i}`));
    else if (isObject(node)) for (const key of Object.keys(node)) visit(node[key]!, `${pointer}${toPointer([key])}`);
    span.end = counter;
  };
  visit(root, '');
  // A node that is not there (a missing property) sorts at the end of its closest ancestor.
  const rank = (pointer: string): number => {
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
      const span = spans.get(p);
      if (span) return p === pointer ? span.start : span.end - 0.5;
      if (p === '') return 0;
    }
  };
  return issues
    .map((i, index) => ({ i, index, rank: rank(i.pointer) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ i }) => i);
}
