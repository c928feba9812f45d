/**
 * Conditions on intake answers: a field's `visibleWhen` and a screening channel's `when`.
 * The shape is checked by `parseWorkflowConfig`; these functions stay total anyway (a
 * condition of an unknown shape is false, never an exception), because they also run on
 * answers typed by residents.
 */
import type { Condition } from './config.types.js';

type Scalar = string | number | boolean;

/** Reads an answer without reaching into the prototype (`constructor`, `__proto__` …). */
function answerOf(values: Readonly<Record<string, unknown>>, field: string): unknown {
  return Object.hasOwn(values, field) ? values[field] : undefined;
}

/**
 * Whether an answer counts as given: a string with something other than white space, a
 * non-empty array, `true`, a finite number, or any other non-null object (a place, a file).
 * `false`, `null`, `undefined`, `NaN` and `""` are not.
 */
export function isFilled(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'boolean') return value;
  return typeof value === 'object' && value !== null;
}

/** `equals` on one answer: strict equality, or membership when the answer is a list (checkbox). */
function answerEquals(value: unknown, expected: Scalar): boolean {
  return Array.isArray(value) ? value.includes(expected) : value === expected;
}

/**
 * Evaluates a condition against the current answers.
 *
 * - `{ field, equals }`: the answer is strictly equal to `equals`; for a list answer (a checkbox
 *   with options), `equals` is among the ticked values.
 * - `{ field, in }`: the answer is one of the listed values; for a list answer, any ticked value is.
 * - `{ field, filled }`: whether the field has an answer (see {@link isFilled}) is `filled`.
 * - `{ all }`, `{ any }`, `{ not }`: and, or, not.
 *
 * @param condition A condition checked by `parseWorkflowConfig`.
 * @param values The answers by field name.
 * @returns Whether the condition holds; `false` for a malformed condition.
 */
export function evaluateCondition(condition: Condition, values: Readonly<Record<string, unknown>>): boolean {
  if (typeof condition !== 'object' || condition === null) return false;
  if ('all' in condition) {
    return Array.isArray(condition.all) && condition.all.every((c) => evaluateCondition(c, values));
  }
  if ('any' in condition) {
    return Array.isArray(condition.any) && condition.any.some((c) => evaluateCondition(c, values));
  }
  if ('not' in condition) return !evaluateCondition(condition.not, values);
  if (!('field' in condition) || typeof condition.field !== 'string') return false;
  const value = answerOf(values, condition.field);
  if ('equals' in condition) return answerEquals(value, condition.equals);
  if ('in' in condition) {
    return Array.isArray(condition.in) && condition.in.some((candidate) => answerEquals(value, candidate));
  }
  if ('filled' in condition) return isFilled(value) === condition.filled;
  return false;
}

/**
 * The names of the fields a condition reads, each once, in the order they first appear.
 * The intake form uses it to know which answers can change a field's visibility.
 */
export function conditionFields(condition: Condition): string[] {
  const names = new Set<string>();
  const visit = (c: Condition): void => {
    if (typeof c !== 'object' || c === null) return;
    if ('all' in c && Array.isArray(c.all)) c.all.forEach(visit);
    else if ('any' in c && Array.isArray(c.any)) c.any.forEach(visit);
    else if ('not' in c) visit(c.not);
    else if ('field' in c && typeof c.field === 'string') names.add(c.field);
  };
  visit(condition);
  return [...names];
}
