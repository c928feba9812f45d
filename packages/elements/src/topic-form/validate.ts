/**
 * The intake form's checks, as pure functions of the config's fields and what the person typed.
 * They return catalogue keys with parameters (never sentences), so a message follows the
 * element's language when it changes. The machine's `checkIntakeValues` stays the final
 * authority before submitting; these checks exist to say *what to fix* in plain words.
 */
import type { FormField, FormPage } from '@consult-kit/machine/core';
import { evaluateCondition } from '@consult-kit/machine/dist/config/condition.js';
import type { MessageKey } from '../i18n/messages.js';

/** A chosen file, kept with the draft as a Blob. */
export interface FileItem {
  name: string;
  type: string;
  size: number;
  blob: Blob;
}

/** What the person entered, by field name: strings for text-like fields, booleans, lists. */
export type RawValues = Record<string, unknown>;
export type FileValues = Record<string, FileItem[]>;

/** One problem with one field, as a catalogue key; `label` is added by the element. */
export interface FieldError {
  field: string;
  key: MessageKey;
  params: Record<string, string | number>;
}

/** Fields whose value is typed as text (and so takes minLength, maxLength and pattern). */
const TEXT_TYPES = new Set(['text', 'textarea', 'tel', 'email', 'location']);

/** The same e-mail check as the machine's. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Full-width digits and signs (a Chinese keyboard) read as ASCII; thousands separators and spaces ignored. */
export function normalizeNumber(raw: string): string {
  return raw
    .replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\uff0e\u3002]/g, '.')
    .replace(/[\uff0d\u2212]/g, '-')
    .replace(/[\s,，]/g, '');
}

/** A number typed as text, or `undefined` when it is not one. */
export function parseNumber(raw: string): number | undefined {
  const text = normalizeNumber(raw);
  if (!/^-?(?:\d+(?:\.\d*)?|\.\d+)$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Whether a raw value counts as "not answered". */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/** Whether a file's MIME type is one of `accept` (`image/*` matches any image). */
export function acceptsType(accept: readonly string[] | undefined, type: string): boolean {
  if (!accept || accept.length === 0) return true;
  const lower = type.toLowerCase();
  return accept.some((a) => (a.endsWith('/*') ? lower.startsWith(a.slice(0, -1)) : lower === a));
}

/** `image/jpeg, image/png` → `JPEG, PNG` for people. */
export function readableTypes(accept: readonly string[]): string {
  return accept.map((a) => (a.endsWith('/*') ? a.slice(0, -2) : (a.split('/')[1] ?? a).toUpperCase())).join(', ');
}

/**
 * The value a field submits, from what was entered: text trimmed, numbers as numbers, files as
 * `{ name, type, size }` descriptors (the contract of `topic.submit`; the Blobs stay on this
 * device). `undefined` means "no answer" and is left out of the submission.
 */
export function answerOf(field: FormField, raw: unknown, files: readonly FileItem[] | undefined): unknown {
  switch (field.type) {
    case 'file':
      return files && files.length > 0 ? files.map(({ name, type, size }) => ({ name, type, size })) : undefined;
    case 'number':
      return typeof raw === 'string' && raw.trim() !== '' ? (parseNumber(raw) ?? raw) : undefined;
    case 'consent':
      return raw === true ? true : undefined;
    case 'checkbox':
      if (field.options) return Array.isArray(raw) && raw.length > 0 ? raw.filter((v) => typeof v === 'string') : undefined;
      return raw === true;
    default:
      return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
  }
}

/** Every field of the form, across pages, in order. */
export function allFields(pages: readonly FormPage[]): FormField[] {
  return pages.flatMap((p) => p.fields);
}

/**
 * The fields a person sees now: a personal field is hidden when submitting anonymously, and a
 * field with `visibleWhen` only while its condition holds — judged, as the machine does, on the
 * answers that would be submitted (so a field that depends on a hidden one is hidden too).
 */
export function visibleFieldNames(
  fields: readonly FormField[],
  raw: RawValues,
  files: FileValues,
  anonymous: boolean,
): Set<string> {
  const answers: Record<string, unknown> = {};
  for (const field of fields) {
    const answer = answerOf(field, raw[field.name], files[field.name]);
    if (answer !== undefined) answers[field.name] = answer;
  }
  const eligible = fields.filter((f) => !(anonymous && f.personal));
  let visible = new Set(eligible.map((f) => f.name));
  // A fixed point: hiding a field removes its answer, which may hide another (bounded by the field count).
  for (let round = 0; round <= fields.length; round += 1) {
    const shown: Record<string, unknown> = {};
    for (const name of visible) if (Object.hasOwn(answers, name)) shown[name] = answers[name];
    const next = new Set(eligible.filter((f) => !f.visibleWhen || evaluateCondition(f.visibleWhen, shown)).map((f) => f.name));
    if (next.size === visible.size && [...next].every((n) => visible.has(n))) return next;
    visible = next;
  }
  return visible;
}

/** The values to submit: visible fields with an answer, converted. */
export function submission(fields: readonly FormField[], raw: RawValues, files: FileValues, visible: ReadonlySet<string>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    if (!visible.has(field.name)) continue;
    const answer = answerOf(field, raw[field.name], files[field.name]);
    if (answer !== undefined) values[field.name] = answer;
  }
  return values;
}

const error = (field: FormField, key: MessageKey, params: Record<string, string | number> = {}): FieldError => ({
  field: field.name,
  key,
  params,
});

/** The first problem with one field's answer, or `null`. */
export function validateField(field: FormField, raw: unknown, files: readonly FileItem[] | undefined): FieldError | null {
  const empty = field.type === 'file' ? !files || files.length === 0 : isEmpty(raw);
  if (empty) {
    if (!field.required) return null;
    switch (field.type) {
      case 'consent':
        return error(field, 'form.error.consent');
      case 'select':
      case 'radio':
      case 'checkbox':
      case 'file':
        return error(field, 'form.error.choose');
      default:
        return error(field, 'form.error.required');
    }
  }

  switch (field.type) {
    case 'number': {
      const value = typeof raw === 'string' ? parseNumber(raw) : typeof raw === 'number' ? raw : undefined;
      if (value === undefined) return error(field, 'form.error.number');
      if (typeof field.min === 'number' && value < field.min) return error(field, 'form.error.min', { min: field.min });
      if (typeof field.max === 'number' && value > field.max) return error(field, 'form.error.max', { max: field.max });
      return null;
    }
    case 'date': {
      if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return error(field, 'form.error.required');
      if (typeof field.min === 'string' && raw < field.min) return error(field, 'form.error.dateMin', { min: field.min });
      if (typeof field.max === 'string' && raw > field.max) return error(field, 'form.error.dateMax', { max: field.max });
      return null;
    }
    case 'select':
    case 'radio':
      return field.options?.some((o) => o.value === raw) ? null : error(field, 'form.error.choose');
    case 'checkbox':
      if (field.options) {
        return Array.isArray(raw) && raw.every((v) => field.options?.some((o) => o.value === v)) ? null : error(field, 'form.error.choose');
      }
      return null;
    case 'consent':
      return raw === true ? null : error(field, 'form.error.consent');
    case 'file':
      return validateFiles(field, files ?? []);
    default:
      break;
  }

  if (!TEXT_TYPES.has(field.type) || typeof raw !== 'string') return null;
  const value = raw.trim();
  const length = [...value].length;
  if (field.minLength !== undefined && length < field.minLength) return error(field, 'form.error.minLength', { min: field.minLength });
  if (field.maxLength !== undefined && length > field.maxLength) return error(field, 'form.error.maxLength', { max: field.maxLength });
  if (field.pattern && !matchesWhole(field.pattern, value)) return error(field, 'form.error.pattern');
  if (field.type === 'email' && !EMAIL.test(value)) return error(field, 'form.error.email');
  return null;
}

/** The pattern must match the whole value, in Unicode mode (as the machine and HTML `pattern` do). */
function matchesWhole(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u').test(value);
  } catch {
    return true; // parseWorkflowConfig refuses invalid patterns; never block a person on our mistake
  }
}

function validateFiles(field: FormField, files: readonly FileItem[]): FieldError | null {
  if (field.maxFiles !== undefined && files.length > field.maxFiles) return error(field, 'form.error.fileCount', { max: field.maxFiles });
  for (const file of files) {
    if (!acceptsType(field.accept, file.type)) {
      return error(field, 'form.error.fileType', { name: file.name, types: readableTypes(field.accept ?? []) });
    }
    if (field.maxSize !== undefined && file.size > field.maxSize) return error(field, 'form.error.fileSize', { name: file.name, size: field.maxSize });
  }
  return null;
}

/** Every problem among the given fields, in their order. */
export function validateFields(fields: readonly FormField[], raw: RawValues, files: FileValues): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of fields) {
    const problem = validateField(field, raw[field.name], files[field.name]);
    if (problem) errors.push(problem);
  }
  return errors;
}
