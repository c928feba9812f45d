/**
 * `parseWorkflowConfig`: checks a city's workflow JSON and returns either the normalized
 * {@link WorkflowConfig} (every default applied) or every error at once, each located by an
 * RFC 6901 JSON Pointer into the city's file. `checkSection` checks one section of it.
 *
 * It works in four passes, and never throws whatever it is given:
 *
 * 1. **Snapshot** (check/snapshot.ts). The input is copied into a plain JSON tree. Anything JSON
 *    cannot hold (functions, `NaN`, cycles, getters that throw, absurd nesting) becomes an error
 *    at its pointer; the rest is checked normally. The input is never mutated or kept.
 * 2. **Schema** (check/schema.ts). The copy is validated against `workflow.schema.json` with
 *    `@cfworker/json-schema` (no `eval`, so it runs under a strict CSP), and its failures reduced
 *    to the most precise leaf per fault.
 * 3. **Rules** the schema cannot express, one module per section (check/form.ts, privacy.ts,
 *    lifecycle.ts, transport.ts, notifications.ts, rooms.ts): step order, unique names and ids, references
 *    between fields, ranges that depend on each other, the privacy notice, URL schemes, roles.
 * 4. **Normalization** into a fresh {@link WorkflowConfig}.
 *
 * Loading this module registers the checker with `toConfig` (a side effect, listed in the
 * package's `sideEffects`); `@consult-kit/machine/core` never loads it.
 */
import type { Validator } from '@cfworker/json-schema';
import { markChecked, useChecker } from './checked.js';
import { normalize, type RawConfig } from './normalize.js';
import type { ConfigError, ParseResult } from './config.types.js';
import { isObject } from './check/json.js';
import { issue, toConfigError, type Issue } from './check/issues.js';
import { errorText } from './check/wording.js';
import { rootTypeIssue, takeSnapshot } from './check/snapshot.js';
import { partValidator, pruneRoot } from './check/schema.js';
import { findIssues, type Rule } from './check/pipeline.js';
import { CONFIG_SECTIONS, sectionKeys, sectionOf, type SectionId } from './check/sections.js';
import { checkForm } from './check/form.js';
import { checkPrivacy } from './check/privacy.js';
import { checkLifecycle } from './check/lifecycle.js';
import { checkTransport } from './check/transport.js';
import { checkNotificationRules } from './check/notifications.js';
import { checkRooms } from './check/rooms.js';

/** Each section's rules, beyond its part of the schema (root and permissions have none: the schema says it all). */
const SECTION_RULES: Readonly<Record<SectionId, readonly Rule[]>> = {
  root: [],
  form: [checkForm, checkPrivacy],
  lifecycle: [checkLifecycle],
  permissions: [],
  transport: [checkTransport],
  notifications: [checkNotificationRules],
  rooms: [checkRooms],
};
const ALL_RULES = CONFIG_SECTIONS.flatMap((s) => SECTION_RULES[s.id]);

// ─── Public entry ──────────────────────────────────────────────────────────────────────────

/**
 * Checks a workflow configuration and applies its defaults.
 *
 * @param input The city's configuration, already parsed from JSON (`JSON.parse(text)`).
 * @returns `{ ok: true, config }` with a normalized, deep-copied config, or `{ ok: false, errors }`
 *   with every error found (schema and rules alike), in document order. Never throws.
 */
export function parseWorkflowConfig(input: unknown): ParseResult {
  try {
    return parse(input);
  } catch (error) {
    // Unreachable by design; kept so a bug here can never break the host page.
    return { ok: false, errors: [internalError(error)] };
  }
}

function parse(input: unknown): ParseResult {
  if (typeof input !== 'object' || input === null) return failure([rootTypeIssue(input)]);
  const snapshot = takeSnapshot(input);
  if (!isObject(snapshot.value)) {
    return failure([snapshot.issues.find((i) => i.pointer === '') ?? rootTypeIssue(input)]);
  }
  const root = snapshot.value;
  const issues = findIssues(root, snapshot.issues, root, undefined, ALL_RULES);
  if (issues.length > 0) return failure(issues);
  const config = markChecked(normalize(root as unknown as RawConfig));
  return { ok: true, config };
}

const PART_VALIDATORS = new Map<SectionId, Validator>();

/**
 * The faults of one section of a config (see `CONFIG_SECTIONS`): its part of the schema and its
 * rules, the rest of the config unchecked — a cheap check as a person types. For a config whose
 * other sections are sound, the answer is exactly the errors of `parseWorkflowConfig` in this
 * section (`sectionOf(error.pointer) === id`), in the same order. A section cannot see what the
 * others' schema parts would refuse, so where another section is itself faulty:
 *
 * - `lifecycle`: a channel's `when` is compared with the form as it is written. The whole check
 *   skips a comparison with a field whose `options` the schema refused, or a test the form's
 *   pages hide behind a fault of their own; this one may report such a value (`unknown-option`,
 *   `unknown-field`).
 * - Every other section reads nothing outside its own properties (the privacy notice is read
 *   with the form, the programme's `level` with the lifecycle).
 *
 * The document itself (not an object, too large, an internal failure) is `root`'s. Never throws.
 */
export function checkSection(id: SectionId, input: unknown): ConfigError[] {
  try {
    const keys = sectionKeys(id);
    if (typeof input !== 'object' || input === null) return id === 'root' ? [toConfigError(rootTypeIssue(input))] : [];
    const snapshot = takeSnapshot(input);
    if (!isObject(snapshot.value)) {
      return id === 'root' ? [toConfigError(snapshot.issues.find((i) => i.pointer === '') ?? rootTypeIssue(input))] : [];
    }
    const root = snapshot.value;
    let validator = PART_VALIDATORS.get(id);
    if (!validator) PART_VALIDATORS.set(id, (validator = partValidator(keys)));
    const issues = findIssues(root, snapshot.issues, pruneRoot(root, keys), validator, SECTION_RULES[id] ?? []);
    return issues.filter((i) => sectionOf(i.pointer) === id).map(toConfigError);
  } catch (error) {
    return [internalError(error)];
  }
}

export { isCheckedConfig } from './checked.js';

// Loading the checker makes `toConfig` (and everything built on it) take raw JSON.
useChecker(parseWorkflowConfig);

function failure(issues: readonly Issue[]): ParseResult {
  return { ok: false, errors: issues.map(toConfigError) };
}

function internalError(error: unknown): ConfigError {
  return toConfigError(issue([], 'internal', `The configuration could not be checked: ${errorText(error)}.`));
}
