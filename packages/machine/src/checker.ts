/**
 * The config checker on its own: loading it registers `parseWorkflowConfig` with `toConfig`, so
 * code built on `@consult-kit/machine/core` can load it only when a config must be checked
 * (`await import('@consult-kit/machine/checker')`).
 */
export { parseWorkflowConfig } from './config/parse-config.js';
