/**
 * Pure edits of the intake form's JSON, each giving a new value (the pane hands it to the
 * document as one undo step): new fields and pages with unique names, duplicates, a change of
 * type, a field moved to another page. Nothing here mutates its input.
 */
import type { Json, JsonObject } from '../pointer.js';
import { renameInCondition } from './condition-model.js';
import { APPLIES_TO, isKnownFieldType } from './field-types.js';
import type { FieldType } from '@consult-kit/machine';

export const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The pages of a form value (an empty list when the shape is not a list). */
export function pagesOf(form: Json | undefined): Json[] {
  return isObject(form) && Array.isArray(form.pages) ? form.pages : [];
}

/** The fields of a page value (an empty list when the shape is not a list). */
export function fieldsOf(page: Json | undefined): Json[] {
  return isObject(page) && Array.isArray(page.fields) ? page.fields : [];
}

/** Every field name used in the form. */
export function fieldNames(pages: readonly Json[]): Set<string> {
  const names = new Set<string>();
  for (const page of pages) for (const field of fieldsOf(page)) if (isObject(field) && typeof field.name === 'string') names.add(field.name);
  return names;
}

/** `base`, else `base2`, `base3` … — the first not in `taken` (at most 64 characters, as names must be). */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  const stem = /^[a-zA-Z][a-zA-Z0-9_]*$/.test(base) ? base.slice(0, 60) : 'field';
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem}${n}`)) return `${stem}${n}`;
}

/** `field1`, `field2` … — the first not in `taken`. */
export function nextName(stem: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) if (!taken.has(`${stem}${n}`)) return `${stem}${n}`;
}

/** A page id not in use: `page-2`, `page-3` …, or `<base>-copy`, `<base>-copy-2` … */
export function uniquePageId(pages: readonly Json[], base = 'page'): string {
  const taken = new Set(pages.map((p) => (isObject(p) && typeof p.id === 'string' ? p.id : '')));
  const stem = /^[a-z0-9](?:[a-z0-9-]{0,50}[a-z0-9])?$/.test(base) ? base : 'page';
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}

type Words = { zh: string; en: string };

/** The default options of a choice field: one option, for the city to rename. */
export function defaultOption(n: number, words: (n: number) => Words): JsonObject {
  const w = words(n);
  return { value: `option${n}`, label: { 'zh-CN': w.zh, en: w.en } };
}

/** A new field of `type` with a unique name and default labels. */
export function newField(type: FieldType, taken: ReadonlySet<string>, labels: { field: Words; consent: Words; option: (n: number) => Words }): JsonObject {
  const consent = type === 'consent';
  const words = consent ? labels.consent : labels.field;
  const field: JsonObject = {
    name: consent ? uniqueName('consent', taken) : nextName('field', taken),
    type,
    label: { 'zh-CN': words.zh, en: words.en },
  };
  if (consent) field.required = true;
  if (type === 'select' || type === 'radio') field.options = [defaultOption(1, labels.option)];
  return field;
}

/**
 * The field with another type: properties that do not apply to the new type are dropped, a
 * select or radio gets an option when it has none, a consent field becomes required.
 */
export function withType(field: JsonObject, type: FieldType, option: (n: number) => Words): JsonObject {
  const next: JsonObject = {};
  for (const [key, value] of Object.entries(field)) {
    if (key === 'type') next.type = type;
    else if (!(key in APPLIES_TO) || APPLIES_TO[key]!.includes(type)) next[key] = value;
  }
  // Bounds of a number are not dates and the other way round.
  if (field.type !== type) {
    delete next.min;
    delete next.max;
  }
  if ((type === 'select' || type === 'radio') && !Array.isArray(next.options)) next.options = [defaultOption(1, option)];
  if (type === 'consent') next.required = true;
  return next;
}

/** A copy of a field with a unique name and without `role` (only one field may hold each role). */
export function duplicateField(field: JsonObject, taken: ReadonlySet<string>): JsonObject {
  const copy = structuredClone(field) as JsonObject;
  const base = typeof field.name === 'string' ? `${field.name}Copy` : 'fieldCopy';
  copy.name = uniqueName(base, taken);
  delete copy.role;
  return copy;
}

/**
 * A copy of a page: a unique id, every field renamed to a unique name, conditions between fields of
 * the page pointed at the copies, no roles.
 */
export function duplicatePage(page: JsonObject, pages: readonly Json[]): JsonObject {
  const taken = new Set(fieldNames(pages));
  const renamed = new Map<string, string>();
  const fields = fieldsOf(page).map((field) => {
    if (!isObject(field)) return structuredClone(field);
    const copy = duplicateField(field, taken);
    taken.add(copy.name as string);
    if (typeof field.name === 'string') renamed.set(field.name, copy.name as string);
    return copy;
  });
  const relinked = fields.map((field) =>
    isObject(field) && field.visibleWhen !== undefined ? { ...field, visibleWhen: renameInCondition(field.visibleWhen, (n) => renamed.get(n)) } : field,
  );
  const copy = structuredClone(page) as JsonObject;
  copy.id = uniquePageId(pages, `${typeof page.id === 'string' ? page.id : 'page'}-copy`);
  copy.fields = relinked;
  return copy;
}

/** The pages with field `fieldIndex` of page `from` moved to the end of page `to` (unchanged pages keep their identity). */
export function moveFieldToPage(pages: readonly Json[], from: number, fieldIndex: number, to: number, toIndex?: number): Json[] {
  const source = pages[from];
  const target = pages[to];
  if (!isObject(source) || !isObject(target) || from === to) return pages.slice();
  const sourceFields = fieldsOf(source).slice();
  const [moved] = sourceFields.splice(fieldIndex, 1);
  if (moved === undefined) return pages.slice();
  const targetFields = fieldsOf(target).slice();
  targetFields.splice(toIndex ?? targetFields.length, 0, moved);
  return pages.map((page, p) => (p === from ? { ...source, fields: sourceFields } : p === to ? { ...target, fields: targetFields } : page));
}

/** The name of a field as people read it: its label in a language, else its name. */
export function fieldTitle(field: Json | undefined, locale: 'zh-CN' | 'en'): string {
  if (!isObject(field)) return '?';
  const label = isObject(field.label) ? field.label : undefined;
  const text = label?.[locale] ?? label?.[locale === 'en' ? 'zh-CN' : 'en'];
  if (typeof text === 'string' && text.trim() !== '') return text;
  return typeof field.name === 'string' ? field.name : '?';
}

/** The title of a page in a language, else its id. */
export function pageTitle(page: Json | undefined, locale: 'zh-CN' | 'en', fallback: string): string {
  if (!isObject(page)) return fallback;
  const title = isObject(page.title) ? page.title : undefined;
  const text = title?.[locale] ?? title?.[locale === 'en' ? 'zh-CN' : 'en'];
  if (typeof text === 'string' && text.trim() !== '') return text;
  return typeof page.id === 'string' && page.id !== '' ? page.id : fallback;
}

export { isKnownFieldType };

/** Whether a condition (any shape) reads the field `name`. */
function readsField(node: Json | undefined, name: string): boolean {
  if (Array.isArray(node)) return node.some((c) => readsField(c, name));
  if (!isObject(node)) return false;
  if (node.field === name) return true;
  return ['all', 'any', 'not'].some((key) => key in node && readsField(node[key], name));
}

/**
 * The whole config with a field renamed and every condition that reads it (a field's
 * `visibleWhen`, a screening channel's `when`) following the new name; undefined when no condition
 * reads it (then only the name changes) or when the old name is not unique (whose field would
 * the conditions mean?).
 */
export function renameField(root: Json, page: number, index: number, from: string, to: string): Json | undefined {
  if (!isObject(root) || from === to) return undefined;
  const pages = pagesOf(root.form);
  let holders = 0;
  for (const p of pages) for (const f of fieldsOf(p)) if (isObject(f) && f.name === from) holders++;
  if (holders !== 1) return undefined;
  let found = false;
  const rename = (n: string) => (n === from ? to : undefined);
  const follow = (condition: Json | undefined): Json | undefined => {
    if (condition === undefined || !readsField(condition, from)) return condition;
    found = true;
    return renameInCondition(condition, rename);
  };
  const nextPages = pages.map((p, pi) => {
    if (!isObject(p)) return p;
    const fields = fieldsOf(p);
    let changed = false;
    const nextFields = fields.map((f, fi) => {
      if (!isObject(f)) return f;
      const isTarget = pi === page && fi === index;
      const when = follow(f.visibleWhen);
      if (!isTarget && when === f.visibleWhen) return f;
      changed = true;
      const next: JsonObject = { ...f };
      if (isTarget) next.name = to;
      if (when !== undefined) next.visibleWhen = when;
      return next;
    });
    return changed ? { ...p, fields: nextFields } : p;
  });
  const steps = Array.isArray(root.steps)
    ? root.steps.map((step) => {
        if (!isObject(step) || !Array.isArray(step.channels)) return step;
        let changed = false;
        const channels = step.channels.map((c) => {
          if (!isObject(c) || c.when === undefined) return c;
          const when = follow(c.when);
          if (when === c.when) return c;
          changed = true;
          return { ...c, when: when! };
        });
        return changed ? { ...step, channels } : step;
      })
    : undefined;
  if (!found) return undefined;
  const next: JsonObject = { ...root, form: { ...(root.form as JsonObject), pages: nextPages } };
  if (steps) next.steps = steps;
  return next;
}
