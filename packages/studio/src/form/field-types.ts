/**
 * The field types this version of the studio knows, and which type-specific properties apply to
 * each. This mirrors the machine's `FieldType` union (packages/machine/src/config/config.types.ts)
 * and the checker's `APPLIES_TO` table in one place, until the machine exports `FIELD_TYPES`;
 * then `FIELD_TYPES` here should be that export.
 */
import type { FieldType } from '@consult-kit/machine';

export const FIELD_TYPES: readonly FieldType[] = ['text', 'textarea', 'number', 'select', 'radio', 'checkbox', 'date', 'tel', 'email', 'location', 'file', 'consent'];

/** Whether a value is one of the field types this version knows. */
export function isKnownFieldType(value: unknown): value is FieldType {
  return typeof value === 'string' && (FIELD_TYPES as readonly string[]).includes(value);
}

export const TEXT_TYPES: readonly FieldType[] = ['text', 'textarea', 'tel', 'email'];
export const CHOICE_TYPES: readonly FieldType[] = ['select', 'radio', 'checkbox'];
/** Types that always collect personal data (the machine's `PERSONAL_TYPES`). */
export const PERSONAL_TYPES: readonly FieldType[] = ['tel', 'email', 'location'];
/** Types that may carry `role: "title"` or `role: "description"`. */
export const ROLE_TYPES: readonly FieldType[] = ['text', 'textarea'];

/** The type-specific properties, each with the types it applies to. */
export const APPLIES_TO: Readonly<Record<string, readonly FieldType[]>> = {
  min: ['number', 'date'],
  max: ['number', 'date'],
  minLength: TEXT_TYPES,
  maxLength: TEXT_TYPES,
  pattern: TEXT_TYPES,
  options: CHOICE_TYPES,
  accept: ['file'],
  maxSize: ['file'],
  maxFiles: ['file'],
  role: ROLE_TYPES,
};

/** Whether `key` applies to a field of `type` (keys that are not type-specific always do). */
export function applies(key: string, type: FieldType): boolean {
  const types = APPLIES_TO[key];
  return !types || types.includes(type);
}
