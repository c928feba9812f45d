/**
 * JSON Pointers and text ranges, both ways, on the lezer JSON syntax tree (@codemirror/lang-json):
 * where the node of `/form/pages/0/fields/2` is in the text (for a checker error, or to select a
 * node when an error is clicked), and which object the cursor is in (for completion).
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { toPointer } from '../pointer.js';

const VALUES = new Set(['Object', 'Array', 'String', 'Number', 'True', 'False', 'Null']);

/** Whether a node is a JSON value (not punctuation, not a property, not an error). */
export function isValue(node: SyntaxNode): boolean {
  return VALUES.has(node.name);
}

/** The children of a node. */
function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** The decoded text of a JSON string token (`"a\u0062"` → `ab`); the raw text without quotes when it does not decode. */
export function stringText(text: string, node: SyntaxNode): string {
  const raw = text.slice(node.from, node.to);
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'string') return value;
  } catch {
    // an unfinished string while typing
  }
  return raw.replace(/^"/, '').replace(/"$/, '');
}

/** The values of an array node, in order. */
export function arrayItems(node: SyntaxNode): SyntaxNode[] {
  return children(node).filter(isValue);
}

/** The property nodes of an object node. */
export function properties(node: SyntaxNode): SyntaxNode[] {
  return children(node).filter((c) => c.name === 'Property');
}

/** The name of a property node (decoded), or undefined when it has none yet. */
export function propertyName(text: string, property: SyntaxNode): string | undefined {
  const name = property.getChild('PropertyName');
  return name ? stringText(text, name) : undefined;
}

/** The value node of a property node (the value after its `:`). */
export function propertyValue(property: SyntaxNode): SyntaxNode | undefined {
  return children(property).filter(isValue).at(-1);
}

/** The property node of `key` in an object node (the last one, as JSON.parse keeps the last). */
export function propertyNode(text: string, object: SyntaxNode, key: string): SyntaxNode | undefined {
  return properties(object)
    .filter((p) => propertyName(text, p) === key)
    .at(-1);
}

/** The top-level value node of a document. */
export function rootValue(tree: Tree): SyntaxNode | undefined {
  return children(tree.topNode).find(isValue);
}

/** Where a pointer's node is in the text. */
export interface Located {
  /** The node's value (or the deepest ancestor that exists, when `exact` is false). */
  from: number;
  to: number;
  /** The pointer resolved all the way: false when a property or item is missing and its parent is given instead. */
  exact: boolean;
  /** The value node found (the pointer's, or its deepest existing ancestor's). */
  node: SyntaxNode;
  /** The pointer of `node`. */
  pointer: string;
  /** For an object value inside a property: where that property's name starts (to mark a parent briefly). */
  keyFrom?: number;
}

/** Finds the node of a JSON Pointer's segments in the tree; undefined when the text has no value at all. */
export function locate(tree: Tree, text: string, segments: readonly string[]): Located | undefined {
  let node = rootValue(tree);
  if (!node) return undefined;
  let keyFrom: number | undefined;
  const path: string[] = [];
  for (const segment of segments) {
    let next: SyntaxNode | undefined;
    let nextKey: number | undefined;
    if (node.name === 'Object') {
      const property = propertyNode(text, node, segment);
      next = property ? propertyValue(property) : undefined;
      nextKey = property?.from;
    } else if (node.name === 'Array' && /^(0|[1-9]\d*)$/.test(segment)) {
      next = arrayItems(node)[Number(segment)];
    }
    if (!next) return { from: node.from, to: node.to, exact: false, node, pointer: toPointer(path), ...(keyFrom !== undefined ? { keyFrom } : {}) };
    node = next;
    keyFrom = nextKey;
    path.push(segment);
  }
  return { from: node.from, to: node.to, exact: true, node, pointer: toPointer(path), ...(keyFrom !== undefined ? { keyFrom } : {}) };
}

/** The pointer segments of a value node, read up the tree. */
export function segmentsOf(text: string, node: SyntaxNode): string[] {
  const segments: string[] = [];
  let current = node;
  for (let parent = current.parent; parent; parent = current.parent) {
    if (parent.name === 'Property') {
      segments.unshift(propertyName(text, parent) ?? '');
      if (!parent.parent) break;
      current = parent.parent; // the object that holds the property
      continue;
    }
    if (parent.name === 'Array') {
      const from = current.from;
      segments.unshift(String(arrayItems(parent).findIndex((c) => c.from === from)));
    }
    current = parent;
  }
  return segments;
}

/** The value nodes enclosing a node, innermost first (the node itself when it is a value). */
export function enclosingValues(node: SyntaxNode | null): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let n = node; n; n = n.parent) if (isValue(n)) out.push(n);
  return out;
}
