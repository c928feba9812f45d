/**
 * Completion from the workflow schema: at the cursor, the pointer of the object being edited (read
 * from the lezer tree, which still has a shape while the text is unfinished), the schema of that
 * object (json-schema.ts), and then either the properties it does not have yet (each with its
 * schema `description`) or, after a `:` or in an array, the values its `enum`/`const` allow.
 */
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { syntaxTree } from '@codemirror/language';
import type { SyntaxNode } from '@lezer/common';
import type { Json } from '../pointer.js';
import { enclosingValues, propertyName, propertyNode, propertyValue, properties, segmentsOf } from './json-tree.js';
import { childSchema, resolveSchema, schemaAt, type Literal, type SchemaView } from './json-schema.js';

/** Words the completion list shows beside a property (the pane's language). */
export interface CompletionWords {
  required: string;
}

const SCALARS = new Set(['String', 'Number', 'True', 'False', 'Null']);

/** The scalar values of an object node, read from the text (`type` of a step while it is being written). */
function literalsOf(text: string, node: SyntaxNode): Literal {
  if (node.name !== 'Object') return () => undefined;
  return (key) => {
    const property = propertyNode(text, node, key);
    const value = property ? propertyValue(property) : undefined;
    if (!value || !SCALARS.has(value.name)) return undefined;
    try {
      return JSON.parse(text.slice(value.from, value.to)) as Json;
    } catch {
      return undefined;
    }
  };
}

/** The schema view of a container node (object or array) and the pointer segments that lead to it. */
function viewOf(text: string, container: SyntaxNode): { view: SchemaView | undefined; segments: string[] } {
  const segments = segmentsOf(text, container);
  // The containers from the root down to this one, each read for its own discriminating values.
  const chain = enclosingValues(container).reverse();
  const literals = chain.length === segments.length + 1 ? chain.map((n) => literalsOf(text, n)) : [];
  return { view: schemaAt(segments, literals), segments };
}

/** The innermost object or array around `pos` (its brackets enclose the position). */
function containerAt(node: SyntaxNode | null, pos: number): SyntaxNode | undefined {
  for (let n = node; n; n = n.parent) {
    if ((n.name === 'Object' || n.name === 'Array') && n.from < pos) return n;
  }
  return undefined;
}

function valueOptions(view: SchemaView): Completion[] {
  const values = [...view.values];
  if (values.length === 0 && view.types.has('boolean')) values.push(true, false);
  return values.map((v) => ({ label: JSON.stringify(v), type: typeof v === 'string' ? 'enum' : 'constant', ...(view.description ? { info: view.description } : {}) }));
}

/**
 * Completions at the cursor: property names in a key position, allowed values in a value
 * position. Null when the schema has nothing to offer there.
 */
export function schemaCompletions(context: CompletionContext, words: CompletionWords): CompletionResult | null {
  const { state, pos } = context;
  const text = state.doc.toString();
  // What is being typed: a string (maybe unfinished) or a bare word (`tr` of true).
  const typed = context.matchBefore(/"(?:[^"\\\n]|\\.)*$|[\w$.-]+$/);
  const from = typed ? typed.from : pos;
  if (!typed && !context.explicit) return null;
  // A closing quote right after the cursor belongs to the string being replaced.
  const to = typed?.text.startsWith('"') && text[pos] === '"' ? pos + 1 : pos;
  const before = text.slice(0, from).trimEnd();
  const previous = before.at(-1);

  const tree = syntaxTree(state);
  const container = containerAt(tree.resolveInner(pos, -1), from);
  if (!container) return null;
  const { view } = viewOf(text, container);
  if (!view) return null;

  if (container.name === 'Object' && (previous === '{' || previous === ',')) {
    // A key: the properties this object may have and does not have yet.
    const present = new Set(
      properties(container)
        .filter((p) => !(p.from <= from && p.to >= from))
        .map((p) => propertyName(text, p))
        .filter((k): k is string => k !== undefined),
    );
    const followedByColon = /^\s*:/.test(text.slice(to));
    const names = [...view.properties.keys(), ...view.names.filter((n): n is string => typeof n === 'string')];
    const options: Completion[] = [];
    for (const name of new Set(names)) {
      if (present.has(name) || name === '$schema') continue;
      const own = view.properties.get(name);
      const description = own ? resolveSchema(own).description : undefined;
      options.push({
        label: JSON.stringify(name),
        apply: followedByColon ? JSON.stringify(name) : `${JSON.stringify(name)}: `,
        type: 'property',
        ...(view.required.has(name) ? { detail: words.required, boost: 1 } : {}),
        ...(description ? { info: description } : {}),
      });
    }
    return options.length ? { from, to, options, validFor: /^"?[\w$.-]*"?$/ } : null;
  }

  if (container.name === 'Object' && previous === ':') {
    // A value: what the schema of this property allows.
    const name = /"((?:[^"\\]|\\.)*)"\s*$/.exec(before.slice(0, -1))?.[1];
    if (name === undefined) return null;
    let key = name;
    try {
      key = JSON.parse(`"${name}"`) as string;
    } catch {
      // keep the raw name
    }
    const own = childSchema(view, key);
    const options = own ? valueOptions(resolveSchema(own)) : [];
    return options.length ? { from, to, options, validFor: /^"?[\w$.-]*"?$/ } : null;
  }

  if (container.name === 'Array' && (previous === '[' || previous === ',') && view.items) {
    const options = valueOptions(resolveSchema(view.items));
    return options.length ? { from, to, options, validFor: /^"?[\w$.-]*"?$/ } : null;
  }
  return null;
}
