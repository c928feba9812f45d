/**
 * The intake form's rules the schema cannot express: unique page ids and field names, which
 * type-specific properties a field may have, bounds (`min` ≤ `max`, real dates), patterns that
 * compile, the consent field, the `title` and `description` roles, and the fields `visibleWhen`
 * conditions name. Pointers under `/form`.
 */
import { FIELD_PROPERTY_TYPES, ROLE_TYPES, TEXT_TYPES, CHOICE_TYPES, type FieldType } from '../config.types.js';
import { arrayProp, prop, stringProp, toPointer, type Json, type Path } from './json.js';
import { checkConditionLeaf, forEachConditionLeaf, formOf, type FieldInfo, type FormInfo } from './fields.js';
import { checkUniqueIds, reportDuplicates, soundNumber, type RuleContext } from './rules.js';
import { errorText, joinWords, kindOf, render } from './wording.js';

const FIELD_ROLES = ['title', 'description'] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Every rule of the form section (see the module's description). */
export function checkForm(rules: RuleContext): void {
  const form = formOf(rules.root);
  if (!form) return;
  checkUniqueIds(rules, ['form', 'pages'], 'page');
  reportDuplicates(
    form.fields.map((f) => ({ value: f.name, path: [...f.path, 'name'] })),
    (at, name, first) =>
      rules.report(at, 'duplicate-field-name', `The field name ${render(name)} is used twice (first at ${toPointer(first)}); names must be unique across all pages.`, {
        got: render(name),
        hint: 'Rename one of the two fields: answers are stored by name.',
      }),
  );
  for (const field of form.fields) {
    if (field.type) checkFieldProperties(rules, field, field.type);
    forEachConditionLeaf(prop(field.node, 'visibleWhen'), [...field.path, 'visibleWhen'], (leaf, path) => checkConditionLeaf(rules, form, leaf, path, field.name));
  }
  checkRoles(rules, form);
}

function checkFieldProperties(rules: RuleContext, field: FieldInfo, type: FieldType): void {
  const { node, path } = field;
  for (const [key, types] of FIELD_PROPERTY_TYPES) {
    if (!Object.hasOwn(node, key) || types.includes(type)) continue;
    rules.report([...path, key], 'not-applicable', `${render(key)} does not apply to a ${type} field; it is only for ${joinWords(types, 'and')} fields.`, {
      expected: `no ${render(key)} on a ${type} field`,
      got: render(node[key]),
      hint: `Remove ${render(key)}, or change the field's type.`,
    });
  }
  if (type === 'number' || type === 'date') checkBounds(rules, field, type);
  if (TEXT_TYPES.includes(type)) {
    const minLength = soundNumber(rules, [...path, 'minLength']);
    const maxLength = soundNumber(rules, [...path, 'maxLength']);
    if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) {
      rules.report([...path, 'minLength'], 'min-above-max', `minLength ${minLength} is greater than maxLength ${maxLength}, so no answer could be valid.`, {
        expected: `an integer ≤ ${maxLength}`,
        got: String(minLength),
        hint: 'Lower minLength or raise maxLength.',
      });
    }
    const pattern = prop(node, 'pattern');
    if (typeof pattern === 'string') checkPattern(rules, pattern, [...path, 'pattern']);
  }
  if (CHOICE_TYPES.includes(type)) {
    reportDuplicates(
      (arrayProp(node, 'options') ?? []).map((option, k) => ({ value: stringProp(option, 'value'), path: [...path, 'options', k, 'value'] })),
      (at, value, first) =>
        rules.report(at, 'duplicate-option', `The option value ${render(value)} is used twice in this field (first at ${toPointer(first)}).`, {
          got: render(value),
          hint: 'Give each option its own value.',
        }),
    );
  }
  if (type === 'consent' && prop(node, 'required') !== true) {
    rules.report([...path, 'required'], 'consent-not-required', 'A consent field must be required: the person has to tick it to submit.', {
      expected: 'true',
      got: render(prop(node, 'required') ?? 'missing'),
      hint: 'Add "required": true.',
    });
  }
}

/** A date `YYYY-MM-DD` that exists in the calendar, as a comparable number; else `undefined`. */
function parseDate(value: Json | undefined): number | undefined {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date.getTime() : undefined;
}

/** `min` / `max` of a number or date field: the right kind of value, and min ≤ max. */
function checkBounds({ report, sound }: RuleContext, { node, path }: FieldInfo, type: 'number' | 'date'): void {
  const bounds = (['min', 'max'] as const).map((key): number | undefined => {
    const value = prop(node, key);
    if (value === undefined || !sound([...path, key])) return undefined;
    if (type === 'number') {
      if (typeof value === 'number') return value;
      report([...path, key], 'type', `${render(key)} of a number field must be a number, but it is ${kindOf(value)}.`, { expected: 'a number', got: render(value) });
      return undefined;
    }
    const date = parseDate(value);
    if (date === undefined) {
      report([...path, key], 'date-format', `${render(key)} of a date field must be a real date written YYYY-MM-DD.`, {
        expected: 'a date such as "2024-05-01"',
        got: render(value),
      });
    }
    return date;
  });
  const [min, max] = bounds;
  if (min !== undefined && max !== undefined && min > max) {
    report([...path, 'min'], 'min-above-max', `min ${render(node.min)} is after max ${render(node.max)}, so no answer could be valid.`, {
      expected: `a value ≤ ${render(node.max)}`,
      got: render(node.min),
      hint: 'Swap min and max, or correct one of them.',
    });
  }
}

function checkPattern({ report }: RuleContext, pattern: string, path: Path): void {
  try {
    // The form matches the whole value, with Unicode semantics, as an HTML pattern attribute does.
    new RegExp(`^(?:${pattern})$`, 'u');
  } catch (error) {
    report(path, 'invalid-pattern', `pattern is not a valid regular expression: ${errorText(error)}`, {
      expected: 'a JavaScript regular expression (Unicode mode), e.g. "^1[3-9][0-9]{9}$"',
      got: render(pattern),
    });
  }
}

function checkRoles({ report, sound }: RuleContext, form: FormInfo): void {
  for (const role of FIELD_ROLES) {
    const holders = form.fields.filter((f) => prop(f.node, 'role') === role);
    holders.slice(1).forEach((f) =>
      report([...f.path, 'role'], 'duplicate-role', `Only one field may have "role": ${render(role)}; the first is at ${toPointer(holders[0]!.path)}.`, {
        got: render(role),
        hint: 'Remove "role" from all but one field.',
      }),
    );
    for (const f of holders) {
      if (f.type === undefined || ROLE_TYPES.includes(f.type)) continue;
      report([...f.path, 'role'], 'role-type', `"role": ${render(role)} must be on a text or textarea field, not a ${f.type} field.`, {
        expected: 'a text or textarea field',
        got: render(f.type),
        hint: `Put "role": ${render(role)} on the field that asks for the topic's ${role}.`,
      });
    }
  }
  // A field whose role the schema refused may well be the title: then that error says enough.
  const rolesReadable = form.complete && form.fields.every((f) => sound([...f.path, 'role']));
  if (rolesReadable && !form.fields.some((f) => prop(f.node, 'role') === 'title')) {
    report(['form'], 'missing-title-field', 'No field has "role": "title", so topics would have no title in lists and timelines.', {
      expected: 'one text field with "role": "title"',
      hint: 'Add "role": "title" to the text field that asks for the topic\'s name.',
    });
  }
}
