/**
 * The form's fields as the rules read them, and the field tests in conditions: `visibleWhen`
 * (the form's rules) and a screening channel's `when` (the lifecycle's) both name fields.
 */
import { CHOICE_TYPES, FIELD_TYPES, type FieldType } from '../config.types.js';
import { arrayProp, isObject, prop, stringProp, type Json, type JsonObject, type Path } from './json.js';
import type { RuleContext } from './rules.js';
import { didYouMean, oneOfPhrase, render } from './wording.js';

export interface FieldInfo {
  node: JsonObject;
  path: Path;
  name?: string;
  /** Only when it is one of the known field types. */
  type?: FieldType;
}

export interface FormInfo {
  fields: FieldInfo[];
  /** The first field of each name. */
  byName: Map<string, FieldInfo>;
  /** Every page has fields, every field is an object with a name: references can be checked. */
  complete: boolean;
}

export function isFieldType(value: unknown): value is FieldType {
  return typeof value === 'string' && (FIELD_TYPES as readonly string[]).includes(value);
}

const FORMS = new WeakMap<JsonObject, FormInfo | undefined>();

/** The fields of the config's form (read once per snapshot), or `undefined` without `form.pages`. */
export function formOf(root: JsonObject): FormInfo | undefined {
  if (!FORMS.has(root)) FORMS.set(root, collectForm(root));
  return FORMS.get(root);
}

function collectForm(root: JsonObject): FormInfo | undefined {
  const pages = arrayProp(prop(root, 'form'), 'pages');
  if (!pages) return undefined;
  const fields: FieldInfo[] = [];
  let complete = pages.length > 0;
  pages.forEach((page, p) => {
    const nodes = arrayProp(page, 'fields');
    if (!nodes || nodes.length === 0) complete = false;
    nodes?.forEach((node, f) => {
      if (!isObject(node)) {
        complete = false;
        return;
      }
      const type = prop(node, 'type');
      const name = stringProp(node, 'name');
      if (name === undefined) complete = false;
      fields.push({ node, path: ['form', 'pages', p, 'fields', f], name, type: isFieldType(type) ? type : undefined });
    });
  });
  const byName = new Map<string, FieldInfo>();
  for (const field of fields) if (field.name !== undefined && !byName.has(field.name)) byName.set(field.name, field);
  return { fields, byName, complete };
}

/** Calls `visit` for every `{ field, … }` test in a condition tree, with its path. */
export function forEachConditionLeaf(node: Json | undefined, path: Path, visit: (leaf: JsonObject, path: Path) => void): void {
  if (!isObject(node)) return;
  for (const key of ['all', 'any'] as const) arrayProp(node, key)?.forEach((c, i) => forEachConditionLeaf(c, [...path, key, i], visit));
  if (Object.hasOwn(node, 'not')) forEachConditionLeaf(node.not, [...path, 'not'], visit);
  if (typeof prop(node, 'field') === 'string') visit(node, path);
}

/**
 * A field test must name an existing field (not the field it hides), and compare a choice
 * field with values among its options.
 */
export function checkConditionLeaf({ report, sound }: RuleContext, form: FormInfo, leaf: JsonObject, path: Path, owner?: string): void {
  const name = leaf.field as string;
  const fieldPath = [...path, 'field'];
  const target = form.byName.get(name);
  if (!target) {
    // With a page or field the schema could not read, the field may exist after all.
    if (!form.complete) return;
    const names = [...form.byName.keys()];
    const suggestion = didYouMean(name, names);
    report(fieldPath, 'unknown-field', `The condition refers to a field ${render(name)} that is not in the form.`, {
      expected: oneOfPhrase(names),
      got: render(name),
      hint: suggestion !== undefined ? `Did you mean ${render(suggestion)}?` : 'Check the spelling of the field name.',
    });
    return;
  }
  if (name === owner) {
    report(fieldPath, 'self-reference', `The field ${render(name)} cannot depend on its own answer: it would hide itself.`, {
      got: render(name),
      hint: 'Refer to another field.',
    });
    return;
  }
  // Values are compared only on a well-formed test against well-formed options.
  const optionsPath = [...target.path, 'options'];
  const options = target.type && CHOICE_TYPES.includes(target.type) && sound(optionsPath) && sound(path) ? arrayProp(target.node, 'options') : undefined;
  if (!options) return;
  const values = options.map((o) => prop(o, 'value'));
  const checkValue = (value: Json | undefined, at: Path): void => {
    if (value === undefined || values.includes(value)) return;
    report(at, 'unknown-option', `${render(value)} is not one of the options of the field ${render(name)}, so this test can never hold.`, {
      expected: oneOfPhrase(values),
      got: render(value),
    });
  };
  checkValue(prop(leaf, 'equals'), [...path, 'equals']);
  arrayProp(leaf, 'in')?.forEach((value, k) => checkValue(value, [...path, 'in', k]));
}
