/**
 * The checker's passes after the snapshot, for the whole config or one section: the schema (or
 * its part), then the rules, then one error per fault in document order.
 */
import type { Validator } from '@cfworker/json-schema';
import { isAtOrUnder, type JsonObject } from './json.js';
import { dedupe, inDocumentOrder, type Issue } from './issues.js';
import { ruleContext, type RuleContext } from './rules.js';
import { validateAgainstSchema } from './schema.js';

/** One section's rules: it reads the context's config and reports into it. */
export type Rule = (rules: RuleContext) => void;

/**
 * Every issue of a snapshot taken with `takeSnapshot`.
 * @param root The snapshot's value.
 * @param snapshotIssues What the snapshot could not copy.
 * @param validated What the schema validates: `root`, or its part (`pruneRoot`) for a part's validator.
 */
export function findIssues(root: JsonObject, snapshotIssues: readonly Issue[], validated: JsonObject, validator: Validator | undefined, rules: readonly Rule[]): Issue[] {
  // What the snapshot could not copy is a null placeholder: only its own error is reported.
  const inputPointers = snapshotIssues.map((i) => i.pointer);
  const notFromInput = (i: Issue): boolean => !inputPointers.some((p) => isAtOrUnder(i.pointer, p));
  const schemaIssues = validateAgainstSchema(validated, validator).filter(notFromInput);
  const schemaPointers = new Set(schemaIssues.map((i) => i.pointer));
  const found: Issue[] = [];
  const context = ruleContext(root, schemaIssues, found);
  for (const rule of rules) rule(context);
  // A node the schema already refuses needs no second opinion from the rules.
  const ruleIssues = found.filter((i) => notFromInput(i) && !schemaPointers.has(i.pointer));
  return inDocumentOrder(dedupe([...snapshotIssues, ...schemaIssues, ...ruleIssues]), root);
}
