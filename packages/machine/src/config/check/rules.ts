/**
 * What every section's rules share: the context they report into, and the checks more than one
 * section makes (unique ids in a list, a number the schema accepted, a URL's scheme).
 */
import type { ConfigError } from '../config.types.js';
import { isAtOrUnder, stringProp, toPointer, valueAt, type JsonObject, type Path } from './json.js';
import { issue, type Issue, type IssueDetails } from './issues.js';
import { joinWords, pathLabel, render } from './wording.js';

export const URL_SCHEMES = ['https:', 'http:', 'mailto:', 'tel:'];
export const ENDPOINT_SCHEMES = ['https:', 'http:'];

/** Collects a rule's findings. */
export type Report = (path: Path, code: string, message: string, details?: IssueDetails) => void;

/** What a section's rules get: the config (its JSON snapshot), where to report, and what the schema refused. */
export interface RuleContext {
  root: JsonObject;
  report: Report;
  /** Adds errors found by a checker of their own (e.g. `checkNotifications`), pointers from the root. */
  add: (errors: readonly ConfigError[]) => void;
  /** Whether the schema found nothing wrong at or under a path: a rule only reads sound values. */
  sound: (path: Path) => boolean;
}

/** A context that collects into `issues`, `sound` where none of `schemaIssues` is at or under a path. */
export function ruleContext(root: JsonObject, schemaIssues: readonly Issue[], issues: Issue[]): RuleContext {
  return {
    root,
    report: (path, code, message, details) => issues.push(issue(path, code, message, details)),
    add: (errors) => issues.push(...errors),
    sound: (path) => {
      const pointer = toPointer(path);
      return !schemaIssues.some((i) => isAtOrUnder(i.pointer, pointer));
    },
  };
}

/**
 * Reports every later occurrence of a value already seen, at the later one's path.
 * @param entries The values to compare (entries without a string value are skipped) and where they are.
 */
export function reportDuplicates(
  entries: Iterable<{ value: string | undefined; path: Path }>,
  report: (path: Path, value: string, firstPath: Path) => void,
): void {
  const first = new Map<string, Path>();
  for (const { value, path } of entries) {
    if (value === undefined) continue;
    const seen = first.get(value);
    if (seen) report(path, value, seen);
    else first.set(value, path);
  }
}

/** Duplicate `id`s in a list of objects (sources, channels, formats, agenda, parties, pages). */
export function checkUniqueIds({ root, report }: RuleContext, path: Path, what: string): void {
  const list = valueAt(root, path);
  const entries = (Array.isArray(list) ? list : []).map((item, i) => ({ value: stringProp(item, 'id'), path: [...path, i, 'id'] }));
  reportDuplicates(entries, (at, value, first) =>
    report(at, 'duplicate-id', `The ${what} id ${render(value)} is used twice (first at ${toPointer(first)}); ids must be unique in their list.`, {
      got: render(value),
      hint: `Rename or remove one of the two ${what}s.`,
    }),
  );
}

/** A number the schema accepted, else `fallback` when absent, else `undefined`. */
export function soundNumber({ root, sound }: RuleContext, path: Path, fallback?: number): number | undefined {
  const value = valueAt(root, path);
  if (value === undefined) return fallback;
  return typeof value === 'number' && sound(path) ? value : undefined;
}

/**
 * A URL must be relative or use an allowed scheme. It is read the way a browser reads an
 * `href` (the WHATWG URL parser), after refusing control characters outright: browsers strip
 * them, which makes them a classic way to hide `javascript:`.
 */
export function checkUrl({ root, report }: RuleContext, path: Path, schemes: readonly string[]): void {
  const value = valueAt(root, path);
  if (typeof value !== 'string' || value === '') return;
  const expected = `an ${joinWords(schemes, 'or')} URL, or a relative path`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) {
    report(path, 'url-scheme', `${pathLabel(path)} contains control characters (tab, new line …), which can hide its real scheme.`, {
      expected,
      got: render(value),
      hint: 'Remove them; encode characters in a URL as %XX.',
    });
    return;
  }
  let protocol: string;
  try {
    protocol = new URL(value, 'https://relative.invalid/').protocol;
  } catch {
    report(path, 'invalid-url', `${pathLabel(path)} is not a valid URL.`, { expected, got: render(value) });
    return;
  }
  if (!schemes.includes(protocol)) {
    report(path, 'url-scheme', `${pathLabel(path)} uses the scheme ${render(protocol)}, which is not allowed.`, {
      expected,
      got: render(value),
      hint: `Use ${joinWords(schemes, 'or')} or a relative path: other schemes (javascript:, data: …) could run script in the host page.`,
    });
  }
}
