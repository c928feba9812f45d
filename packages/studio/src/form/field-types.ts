/**
 * The field types this version knows and which type-specific properties apply to each: the
 * machine's own lists (`FIELD_TYPES`, `FIELD_PROPERTY_TYPES` … from @consult-kit/machine), so the
 * pane offers exactly what the checker accepts; plus `role`, which the checker rules separately.
 */
import { CHOICE_TYPES, FIELD_PROPERTY_TYPES, FIELD_TYPES, PERSONAL_TYPES, ROLE_TYPES, TEXT_TYPES, type FieldType } from '@consult-kit/machine';

export { CHOICE_TYPES, FIELD_TYPES, PERSONAL_TYPES, ROLE_TYPES, TEXT_TYPES };

/** Whether a value is one of the field types this version knows. */
export function isKnownFieldType(value: unknown): value is FieldType {
  return typeof value === 'string' && (FIELD_TYPES as readonly string[]).includes(value);
}

/** The type-specific properties, each with the types it applies to. */
export const APPLIES_TO: Readonly<Record<string, readonly FieldType[]>> = {
  ...Object.fromEntries(FIELD_PROPERTY_TYPES),
  role: ROLE_TYPES,
};

/** Whether `key` applies to a field of `type` (keys that are not type-specific always do). */
export function applies(key: string, type: FieldType): boolean {
  const types = APPLIES_TO[key];
  return !types || types.includes(type);
}
