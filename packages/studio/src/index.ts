/**
 * @consult-kit/studio: the low-code editor of a workflow config. `consult-studio.js` defines
 * `<consult-studio>`; the document model, pointers and panes are exported for hosts and tests.
 */
export * from './pointer.js';
export * from './document.js';
export * from './context.js';
export * from './i18n.js';
export { StudioElement, controlFor } from './studio-element.js';
export { ConsultStudio, PROGRAMME_ID } from './shell/studio.component.js';
export { ConsultStudioErrors, groupErrors, ERRORS_SHOWN, type ErrorGroup, type ListedError } from './shell/errors.js';
export { ConsultStudioVersions } from './shell/versions.js';
export { ConsultStudioDiff } from './shell/diff-table.js';
export { diffJson, readableLocation, shortValue, type DiffEntry } from './shell/diff.js';
export { DraftStore, DRAFTS_DB, draftKey, type DraftRecord } from './shell/drafts.js';
export { parseFile, exportName, type ParsedFile } from './shell/file.js';
export { readJson, lineColumn, type JsonReading, type SyntaxProblem, type SyntaxFault } from './json/json-syntax.js';
export { EDIT_PANES, SIDE_PANES, paneForPointer, type EditPaneId, type SidePaneId, type PaneId, type PaneEntry } from './shell/panes.js';
export {
  apiUrl,
  listProgrammes,
  loadConfig,
  publishConfig,
  listVersions,
  loadVersion,
  type ApiSettings,
  type TokenInput,
  type ProgrammeSummary,
  type VersionSummary,
  type PublishResult,
  type LoadedConfig,
  type Failure,
} from './shell/publish.js';
export { TEMPLATES, fromTemplate, copyOf, type StudioTemplate } from './shell/templates.js';
