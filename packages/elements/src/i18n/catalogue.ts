/**
 * The message catalogue, loaded on demand. The catalogue is split into parts (./parts.ts), each
 * with one module per language (./en/*.ts, ./zh-CN/*.ts) that a loader brings in by `import()`,
 * so a bundler makes each its own chunk and a page downloads only the parts its elements show,
 * in the languages they show. An element declares its parts (`static catalogues`), waits for
 * them before it renders, and reads messages synchronously through `lookup`.
 *
 * One registry per copy of consult-kit on the page; nothing here throws into the page: a failed
 * load rejects `load` (for the element to report) and is remembered, so a view offline renders
 * with what it has instead of asking again on every update.
 */
import type { Locale } from './locale.js';

/** One language's messages of one part. */
export type Messages = Readonly<Record<string, string>>;

/** Brings in one language's module of a part: `() => import('./en/board.js')`. */
export type MessagesLoader = () => Promise<{ readonly messages: Messages }>;

/** A part of the catalogue: a name (for messages) and a loader for each language. */
export interface CataloguePart {
  readonly name: string;
  readonly loaders: Readonly<Record<Locale, MessagesLoader>>;
}

/** Declares a part. Give relative `import()` specifiers, so the bundler splits each language off. */
export function definePart(name: string, loaders: Readonly<Record<Locale, MessagesLoader>>): CataloguePart {
  return { name, loaders };
}

/** Every loaded message of each language, all parts together (keys never repeat across parts). */
const tables = new Map<Locale, Record<string, string>>();
/** The parts loaded in each language. */
const done = new Map<Locale, Set<CataloguePart>>();
/** Parts whose last load in a language failed (until `forgetFailures`). */
const failed = new Map<Locale, Set<CataloguePart>>();
/** Loads under way, per language. */
const pending = new Map<Locale, Map<CataloguePart, Promise<void>>>();
/** The part each loaded key belongs to. */
const owners = new Map<string, CataloguePart>();

function setOf<T>(map: Map<Locale, Set<T>>, locale: Locale): Set<T> {
  let set = map.get(locale);
  if (!set) map.set(locale, (set = new Set()));
  return set;
}

/** Whether every one of `parts` is loaded in `locale`. */
export function loaded(locale: Locale, parts: readonly CataloguePart[]): boolean {
  const set = done.get(locale);
  return parts.every((part) => set?.has(part));
}

/** Whether every one of `parts` is loaded in `locale` or failed to load there (and is not being retried). */
export function settled(locale: Locale, parts: readonly CataloguePart[]): boolean {
  const ok = done.get(locale);
  const bad = failed.get(locale);
  return parts.every((part) => ok?.has(part) || (bad?.has(part) && !pending.get(locale)?.has(part)));
}

/** Whether any part failed to load in some language. */
export function anyFailed(): boolean {
  return [...failed.values()].some((set) => set.size > 0);
}

/** Forgets failed loads, so the next `load` (or an element's next update) tries them again. */
export function forgetFailures(): void {
  failed.clear();
}

function loadPart(locale: Locale, part: CataloguePart): Promise<void> {
  let inLocale = pending.get(locale);
  if (!inLocale) pending.set(locale, (inLocale = new Map()));
  const already = inLocale.get(part);
  if (already) return already;
  const promise = Promise.resolve()
    .then(() => part.loaders[locale]())
    .then(
      (module) => {
        let table = tables.get(locale);
        if (!table) tables.set(locale, (table = Object.create(null) as Record<string, string>));
        Object.assign(table, module.messages);
        for (const key of Object.keys(module.messages)) owners.set(key, part);
        setOf(done, locale).add(part);
        failed.get(locale)?.delete(part);
      },
      (error: unknown) => {
        setOf(failed, locale).add(part);
        const why = error instanceof Error ? error.message : String(error);
        throw new Error(`consult-kit could not load the ${locale} messages of “${part.name}”: ${why}`, { cause: error });
      },
    )
    .finally(() => inLocale.delete(part));
  inLocale.set(part, promise);
  return promise;
}

/**
 * Loads `parts` in `locale` (those not loaded yet; failed ones again). Resolves when all are in;
 * if any fails, the others still load and the promise rejects with the first failure.
 */
export async function load(locale: Locale, parts: readonly CataloguePart[]): Promise<void> {
  const results = await Promise.allSettled(parts.filter((part) => !done.get(locale)?.has(part)).map((part) => loadPart(locale, part)));
  const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/**
 * A message, synchronously: in `locale` if its part is loaded there, else in the other language if
 * loaded there (a part that could not load shows the other language, not a blank); `undefined`
 * if no loaded part has the key.
 */
export function lookup(locale: Locale, key: string): string | undefined {
  const found = tables.get(locale)?.[key];
  if (found !== undefined) return found;
  for (const [other, table] of tables) if (other !== locale && key in table) return table[key];
  return undefined;
}

/** The part `key` belongs to, once that part is loaded in some language. */
export function partOf(key: string): CataloguePart | undefined {
  return owners.get(key);
}
