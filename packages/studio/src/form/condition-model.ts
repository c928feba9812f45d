/**
 * The condition builder's model of a `visibleWhen`: rows of `field · operator · value`, combined by
 * "all" or "any", optionally negated as a whole. `readCondition` turns a config's condition into
 * this model when it can, and says `undefined` when the builder cannot show the shape (deeper
 * nesting, a `not` inside a list, a malformed test): such a condition is shown read-only and kept
 * exactly as it is. `writeCondition` is the inverse for every shape `readCondition` accepts.
 */
import type { Json, JsonObject } from '../pointer.js';

export type Scalar = string | number | boolean;
export type Operator = 'equals' | 'in' | 'filled' | 'empty';
export const OPERATORS: readonly Operator[] = ['equals', 'in', 'filled', 'empty'];

export interface ConditionRow {
  field: string;
  operator: Operator;
  /** For `equals`. */
  value?: Scalar;
  /** For `in`. */
  values?: Scalar[];
}

export interface ConditionModel {
  combinator: 'all' | 'any';
  not: boolean;
  rows: ConditionRow[];
}

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: Json | undefined): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function readLeaf(node: Json | undefined): ConditionRow | undefined {
  if (!isObject(node) || typeof node.field !== 'string') return undefined;
  const keys = Object.keys(node);
  if (keys.length !== 2) return undefined;
  if ('equals' in node) return isScalar(node.equals) ? { field: node.field, operator: 'equals', value: node.equals } : undefined;
  if ('in' in node) {
    const list = node.in;
    return Array.isArray(list) && list.length > 0 && list.every(isScalar) ? { field: node.field, operator: 'in', values: list as Scalar[] } : undefined;
  }
  if ('filled' in node && typeof node.filled === 'boolean') return { field: node.field, operator: node.filled ? 'filled' : 'empty' };
  return undefined;
}

function readGroup(node: Json | undefined): Omit<ConditionModel, 'not'> | undefined {
  const leaf = readLeaf(node);
  if (leaf) return { combinator: 'all', rows: [leaf] };
  if (!isObject(node) || Object.keys(node).length !== 1) return undefined;
  for (const combinator of ['all', 'any'] as const) {
    const list = node[combinator];
    if (!(combinator in node)) continue;
    if (!Array.isArray(list) || list.length === 0) return undefined;
    const rows = list.map(readLeaf);
    return rows.every((r): r is ConditionRow => r !== undefined) ? { combinator, rows } : undefined;
  }
  return undefined;
}

/** The builder's model of a condition, or undefined when the builder cannot show its shape. */
export function readCondition(node: Json | undefined): ConditionModel | undefined {
  if (isObject(node) && Object.keys(node).length === 1 && 'not' in node) {
    const inner = readGroup(node.not);
    return inner ? { ...inner, not: true } : undefined;
  }
  const group = readGroup(node);
  return group ? { ...group, not: false } : undefined;
}

function writeLeaf(row: ConditionRow): JsonObject {
  switch (row.operator) {
    case 'equals':
      return { field: row.field, equals: row.value ?? '' };
    case 'in':
      return { field: row.field, in: row.values ?? [] };
    case 'filled':
      return { field: row.field, filled: true };
    case 'empty':
      return { field: row.field, filled: false };
  }
}

/** The condition a model stands for; undefined (no condition) when it has no rows. */
export function writeCondition(model: ConditionModel): Json | undefined {
  if (model.rows.length === 0) return undefined;
  const body = model.rows.length === 1 ? writeLeaf(model.rows[0]!) : { [model.combinator]: model.rows.map(writeLeaf) };
  return model.not ? { not: body } : body;
}

/** The JSON Pointer (relative to the condition) of each row's test, as `writeCondition` lays it out. */
export function rowPointer(model: ConditionModel, index: number): string {
  const base = model.not ? '/not' : '';
  return model.rows.length === 1 ? base : `${base}/${model.combinator}/${index}`;
}

/** A copy of a condition (any shape) with the field names it reads passed through `rename` (undefined keeps a name). */
export function renameInCondition(node: Json, rename: (name: string) => string | undefined): Json {
  if (Array.isArray(node)) return node.map((c) => renameInCondition(c, rename));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'field' && typeof value === 'string') out[key] = rename(value) ?? value;
    else if (key === 'all' || key === 'any' || key === 'not') out[key] = renameInCondition(value, rename);
    else out[key] = value;
  }
  return out;
}

/** A condition as one line of text (for shapes the builder cannot show). */
export function conditionText(node: Json | undefined): string {
  return JSON.stringify(node ?? null);
}
