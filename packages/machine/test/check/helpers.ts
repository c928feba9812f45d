/**
 * Shared by the tests of the checker's sections: the example configs, a way to break one, and
 * the whole check's errors of a section to compare `checkSection` with.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkSection, parseWorkflowConfig } from '../../src/config/parse-config.js';
import { sectionOf, type SectionId } from '../../src/config/check/sections.js';
import type { ConfigError } from '../../src/config/config.types.js';

/** A config under test: loosely typed so a test can break it any way it likes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Config = Record<string, any>;

export const EXAMPLE_NAMES = ['wuxi-community', 'sichuan-courtyard', 'guangshui-frontline'] as const;

export function example(name: (typeof EXAMPLE_NAMES)[number] = 'wuxi-community'): Config {
  return JSON.parse(readFileSync(new URL(`../../../../examples/configs/${name}.json`, import.meta.url), 'utf8')) as Config;
}

/** A copy of an example with `change` applied. */
export function broken(change: (config: Config) => void, name?: (typeof EXAMPLE_NAMES)[number]): Config {
  const config = example(name);
  change(config);
  return config;
}

/** `[pointer, code]` of each error, in order. */
export const at = (errors: readonly ConfigError[]) => errors.map((e) => [e.pointer, e.code] as const);

/** The whole check's errors in one section. */
export function fullErrors(config: unknown, id: SectionId): ConfigError[] {
  const result = parseWorkflowConfig(config);
  return result.ok ? [] : result.errors.filter((e) => sectionOf(e.pointer) === id);
}

/**
 * The section's own check, asserted to give exactly what the whole check gives in that section
 * (for a config whose other sections are sound), every error with a pointer in the section.
 */
export function sectionErrors(id: SectionId, config: unknown): ConfigError[] {
  const errors = checkSection(id, config);
  assert.deepEqual(errors, fullErrors(config, id), `checkSection('${id}') differs from the whole check`);
  for (const e of errors) assert.equal(sectionOf(e.pointer), id, `${e.pointer} is not in ${id}`);
  return errors;
}
