/**
 * Which configs have been checked, and `toConfig`, without the checker itself: the checker (the
 * schema, its validator and every rule) registers here when it is loaded (`useChecker`, done by
 * `@consult-kit/machine` and `@consult-kit/machine/checker`), so that code importing only
 * `@consult-kit/machine/core` — the embed — never downloads it unless it must check a config.
 */
import type { ConfigError, ParseResult, WorkflowConfig } from './config.types.js';

/** Every config the checker passed (or a server's check vouched for): the same object, not a look-alike or a copy. */
const CHECKED = new WeakSet<object>();

/** Records a config as checked and returns it. */
export function markChecked<T extends WorkflowConfig>(config: T): T {
  CHECKED.add(config);
  return config;
}

/**
 * Whether this object is a config `parseWorkflowConfig` returned. A copy (JSON, structuredClone,
 * a spread) is not: it is checked again, so a raw config that merely has the keys of a checked
 * one can never skip the checker.
 */
export function isCheckedConfig(config: unknown): config is WorkflowConfig {
  return typeof config === 'object' && config !== null && CHECKED.has(config);
}

/** Thrown by `toConfig` (and `createConsultationMachine`) when given a config that does not pass `parseWorkflowConfig`. */
export class WorkflowConfigError extends Error {
  readonly errors: ConfigError[];
  constructor(errors: ConfigError[]) {
    super(
      `The workflow config has ${errors.length} error(s):\n` + errors.map((e) => `  ${e.pointer || '/'}: ${e.message}`).join('\n'),
    );
    this.name = 'WorkflowConfigError';
    this.errors = errors;
  }
}

let checker: ((input: unknown) => ParseResult) | undefined;

/** Registers the checker (`parseWorkflowConfig`); done when `@consult-kit/machine` or its `checker` entry is loaded. */
export function useChecker(check: (input: unknown) => ParseResult): void {
  checker = check;
}

/** Whether the checker is loaded. */
export function hasChecker(): boolean {
  return checker !== undefined;
}

/**
 * A checked config from either the output of `parseWorkflowConfig` or a city's raw JSON. Raw JSON
 * needs the checker: with only `@consult-kit/machine/core` loaded, load
 * `@consult-kit/machine/checker` first (`openStore` does), or this throws a `WorkflowConfigError`
 * saying so.
 */
export function toConfig(config: unknown): WorkflowConfig {
  if (isCheckedConfig(config)) return config;
  if (!checker) {
    throw new WorkflowConfigError([
      {
        pointer: '',
        code: 'not-checked',
        message: 'This config has not been checked, and the checker is not loaded: import @consult-kit/machine/checker (or @consult-kit/machine) first.',
      },
    ]);
  }
  const parsed = checker(config);
  if (!parsed.ok) throw new WorkflowConfigError(parsed.errors);
  return parsed.config;
}
