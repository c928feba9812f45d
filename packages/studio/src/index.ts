/**
 * @consult-kit/studio: the low-code editor of a workflow config. `consult-studio.js` defines
 * `<consult-studio>`; the document model, pointers and panes are exported for hosts and tests.
 */
export * from './pointer.js';
export * from './document.js';
export * from './context.js';
export * from './i18n.js';
export { StudioElement, controlFor } from './studio-element.js';
