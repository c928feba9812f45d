/**
 * @consult-kit/machine — the consultation engine: a city's workflow JSON, checked and turned
 * into an XState statechart; every topic's state is its event log replayed.
 *
 * This entry includes the config checker (and registers it, so `toConfig` and
 * `startProgramme` take raw JSON). `@consult-kit/machine/core` is the same without it.
 */
export * from './core.js';
export { checkSection, CONFIG_SECTIONS, parseWorkflowConfig, sectionOf, type ConfigSection, type SectionId } from './checker.js';
