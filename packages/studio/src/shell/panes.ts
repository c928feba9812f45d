/**
 * The studio's panes: which custom element each tab shows, how its code is loaded (a dynamic
 * `import()` the first time the tab is shown, so the JSON editor and the diagram stay chunks of
 * their own), and which pane edits a given node of the config.
 */
import { parsePointer } from '../pointer.js';

export type EditPaneId = 'form' | 'lifecycle' | 'settings' | 'permissions' | 'translations' | 'json' | 'versions';
export type SidePaneId = 'preview' | 'diagram';
export type PaneId = EditPaneId | SidePaneId;

/** A pane: its tag and the module that defines it. */
export interface PaneEntry<Id extends PaneId = PaneId> {
  id: Id;
  tag: string;
  load: () => Promise<unknown>;
}

/** The editing panes, in tab order. */
export const EDIT_PANES: readonly PaneEntry<EditPaneId>[] = [
  { id: 'form', tag: 'consult-studio-form', load: () => import('../form/consult-studio-form.js') },
  { id: 'lifecycle', tag: 'consult-studio-lifecycle', load: () => import('../lifecycle/consult-studio-lifecycle.js') },
  { id: 'settings', tag: 'consult-studio-settings', load: () => import('../settings/consult-studio-settings.js') },
  { id: 'permissions', tag: 'consult-studio-permissions', load: () => import('../permissions/consult-studio-permissions.js') },
  { id: 'translations', tag: 'consult-studio-translations', load: () => import('../translations/consult-studio-translations.js') },
  { id: 'json', tag: 'consult-studio-json', load: () => import('../json/consult-studio-json.js') },
  { id: 'versions', tag: 'consult-studio-versions', load: () => import('./consult-studio-versions.js') },
];

/** The side panes (beside the editor on a wide screen, below it on a phone). */
export const SIDE_PANES: readonly PaneEntry<SidePaneId>[] = [
  { id: 'preview', tag: 'consult-studio-preview', load: () => import('../preview/consult-studio-preview.js') },
  { id: 'diagram', tag: 'consult-studio-diagram', load: () => import('../diagram/consult-studio-diagram.js') },
];

const BY_KEY: Record<string, EditPaneId> = {
  form: 'form',
  privacy: 'form',
  steps: 'lifecycle',
  level: 'lifecycle',
  permissions: 'permissions',
  personalDataRoles: 'permissions',
};

/** The pane that edits a node: `/form…`, `/privacy…` → form; `/steps…`, `/level` → lifecycle; … */
export function paneForPointer(pointer: string): EditPaneId {
  let first: string | undefined;
  try {
    first = parsePointer(pointer)[0];
  } catch {
    return 'json';
  }
  if (first === undefined) return 'json';
  // The intake step's anonymous option is edited with the form (beside the privacy notice).
  if (/^\/steps\/\d+\/anonymous$/.test(pointer)) return 'form';
  return BY_KEY[first] ?? 'settings';
}
