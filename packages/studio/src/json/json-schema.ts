/**
 * The workflow schema (packages/machine's workflow.schema.json) read for completion: the schema of
 * the node at a pointer, with `$ref`s followed, `allOf` merged (its `if`/`then` branches taken when
 * the object's own values match, as the steps choose their shape by `type`), and `oneOf`/`anyOf`
 * narrowed by the object's `type` when it has one (all branches otherwise).
 */
import schemaDocument from '@consult-kit/machine/workflow.schema.json' with { type: 'json' };
import type { Json } from '../pointer.js';

/** The parts of a JSON Schema this reader looks at. */
export interface Schema {
  $ref?: string;
  description?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: Json[];
  const?: Json;
  items?: Schema;
  additionalProperties?: boolean | Schema;
  propertyNames?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  if?: Schema;
  then?: Schema;
  else?: Schema;
  $defs?: Record<string, Schema>;
}

/** A schema as it applies to one node: everything its branches say, merged. */
export interface SchemaView {
  description?: string;
  /** The properties it names, first definition first. */
  properties: Map<string, Schema>;
  required: Set<string>;
  /** The values it allows (`enum` and `const`), when it lists them. */
  values: Json[];
  types: Set<string>;
  /** The schema of array items. */
  items?: Schema;
  /** The schema of properties it does not name (`additionalProperties` as a schema). */
  additional?: Schema;
  /** The property names it allows (`propertyNames` with an `enum`), e.g. the permission events. */
  names: Json[];
}

/** Reads a node's own scalar values (the `type` of a step), for choosing `if`/`oneOf` branches. */
export type Literal = (key: string) => Json | undefined;

export const workflowSchema = schemaDocument as unknown as Schema;

function deref(schema: Schema, root: Schema): Schema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 32; hops += 1) {
    const match = /^#\/\$defs\/(.+)$/.exec(current.$ref);
    const target = match ? root.$defs?.[decodeURIComponent(match[1]!)] : undefined;
    if (!target) return {};
    // What the referring schema says beside its $ref (a description) wins; a $ref in the target is followed next.
    const { $ref: _followed, ...beside } = current;
    current = { ...target, ...beside };
  }
  return current;
}

/** Whether an `if` schema holds for the node, judged by its `properties`' `const`/`enum` and its `required`. */
function holds(condition: Schema, literal: Literal, root: Schema): boolean {
  for (const key of condition.required ?? []) if (literal(key) === undefined) return false;
  for (const [key, raw] of Object.entries(condition.properties ?? {})) {
    const test = deref(raw, root);
    const actual = literal(key);
    if (test.const !== undefined && actual !== test.const) return false;
    if (test.enum && !test.enum.includes(actual as Json)) return false;
  }
  return true;
}

function emptyView(): SchemaView {
  return { properties: new Map(), required: new Set(), values: [], types: new Set(), names: [] };
}

function mergeInto(into: SchemaView, from: SchemaView): void {
  into.description ??= from.description;
  for (const [k, v] of from.properties) if (!into.properties.has(k)) into.properties.set(k, v);
  for (const r of from.required) into.required.add(r);
  for (const v of from.values) if (!into.values.includes(v)) into.values.push(v);
  for (const t of from.types) into.types.add(t);
  into.items ??= from.items;
  into.additional ??= from.additional;
  for (const n of from.names) if (!into.names.includes(n)) into.names.push(n);
}

/** The view of `schema` for a node whose own scalar values `literal` reads. */
export function resolveSchema(schema: Schema, literal: Literal = () => undefined, root: Schema = workflowSchema, depth = 0): SchemaView {
  const view = emptyView();
  if (depth > 24) return view;
  const s = deref(schema, root);
  if (s.description) view.description = s.description;
  for (const [k, v] of Object.entries(s.properties ?? {})) view.properties.set(k, v);
  for (const r of s.required ?? []) view.required.add(r);
  if (s.enum) view.values.push(...s.enum);
  if (s.const !== undefined) view.values.push(s.const);
  for (const t of Array.isArray(s.type) ? s.type : s.type ? [s.type] : []) view.types.add(t);
  if (s.items) view.items = s.items;
  if (s.additionalProperties && typeof s.additionalProperties === 'object') view.additional = s.additionalProperties;
  if (s.propertyNames) view.names.push(...(deref(s.propertyNames, root).enum ?? []));
  const sub = (branch: Schema) => resolveSchema(branch, literal, root, depth + 1);

  if (s.if) {
    if (holds(s.if, literal, root)) {
      if (s.then) mergeInto(view, sub(s.then));
    } else if (s.else) mergeInto(view, sub(s.else));
  }
  for (const part of s.allOf ?? []) mergeInto(view, sub(part));
  for (const choice of [s.oneOf, s.anyOf]) {
    if (!choice) continue;
    const branches = choice.map(sub);
    const kind = literal('type');
    const matching =
      kind === undefined
        ? []
        : branches.filter((b) => {
            const own = b.properties.get('type');
            if (!own) return false;
            const values = resolveSchema(own, undefined, root, depth + 1).values;
            return values.includes(kind);
          });
    for (const b of matching.length > 0 ? matching : branches) mergeInto(view, b);
  }
  return view;
}

/** The schema of the child `segment` of a node with the view `parent`. */
export function childSchema(parent: SchemaView, segment: string): Schema | undefined {
  if (/^(0|[1-9]\d*)$/.test(segment) && parent.items) return parent.items;
  return parent.properties.get(segment) ?? parent.additional;
}

/**
 * The view of the node at `segments` below the root, where `literals[i]` reads the scalar values
 * of the node at depth i (0 = the root). Undefined when the schema says nothing of that node.
 */
export function schemaAt(segments: readonly string[], literals: readonly Literal[], root: Schema = workflowSchema): SchemaView | undefined {
  let view = resolveSchema(root, literals[0], root);
  for (const [i, segment] of segments.entries()) {
    const next = childSchema(view, segment);
    if (!next) return undefined;
    view = resolveSchema(next, literals[i + 1], root);
  }
  return view;
}
