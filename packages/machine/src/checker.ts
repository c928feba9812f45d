/**
 * The config checker on its own: loading it registers `parseWorkflowConfig` with `toConfig`, so
 * code built on `@consult-kit/machine/core` can load it only when a config must be checked
 * (`await import('@consult-kit/machine/checker')`). `checkSection` checks one section of a config
 * (as a person types); `CONFIG_SECTIONS` and `sectionOf` group errors by section.
 */
export { checkSection, parseWorkflowConfig } from './config/parse-config.js';
export { CONFIG_SECTIONS, sectionOf, type ConfigSection, type SectionId } from './config/check/sections.js';
