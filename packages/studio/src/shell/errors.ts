/**
 * The errors panel: every fault the checker found (and, after a refused publish, the server's),
 * counted ("3 个问题 / 3 problems"), grouped by config section, each a button with its JSON
 * Pointer, message and hint; activating one asks the document to focus the control that edits
 * that node (`doc.requestFocus`), which the shell routes to the right pane.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import * as machine from '@consult-kit/machine';
import type { ConfigError } from '@consult-kit/machine';
import { StudioElement } from '../studio-element.js';
import { studioStyles } from '../styles.js';
import { parsePointer } from '../pointer.js';
import { shellMessages, type ShellKey } from './shell.messages.js';

/** How many rows show before "show all". */
export const ERRORS_SHOWN = 20;

/** A fault in the list: the checker's, or the server's after a refused publish. */
export interface ListedError extends ConfigError {
  source: 'checker' | 'server';
}

/** A group of faults of one config section. */
export interface ErrorGroup {
  section: string;
  errors: ListedError[];
}

type SectionOf = (pointer: string) => string;

/** The machine's `sectionOf` when this build of it has one. */
function machineSectionOf(): SectionOf | undefined {
  const candidate = (machine as unknown as Record<string, unknown>).sectionOf;
  return typeof candidate === 'function' ? (candidate as SectionOf) : undefined;
}

/** The top-level key of a pointer (`/form/pages/0` → `form`; `""` → `""`). */
function topKey(pointer: string): string {
  try {
    return parsePointer(pointer)[0] ?? '';
  } catch {
    return '';
  }
}

/** Faults grouped by section (the machine's `sectionOf`, else — or with `null` — the top-level key), in first-seen order. */
export function groupErrors(errors: readonly ListedError[], sectionOf: SectionOf | null = machineSectionOf() ?? null): ErrorGroup[] {
  const groups = new Map<string, ListedError[]>();
  for (const error of errors) {
    let section: string;
    try {
      section = sectionOf ? String(sectionOf(error.pointer)) : topKey(error.pointer);
    } catch {
      section = topKey(error.pointer);
    }
    const list = groups.get(section) ?? [];
    list.push(error);
    groups.set(section, list);
  }
  return [...groups].map(([section, list]) => ({ section, errors: list }));
}

const SECTION_KEYS: Record<string, ShellKey> = {
  form: 'sectionForm',
  privacy: 'sectionPrivacy',
  lifecycle: 'sectionLifecycle',
  steps: 'sectionLifecycle',
  level: 'sectionLifecycle',
  permissions: 'sectionPermissions',
  personalDataRoles: 'sectionPermissions',
  transport: 'sectionTransport',
  notifications: 'sectionNotifications',
  root: 'sectionProgramme',
  meta: 'sectionProgramme',
  programme: 'sectionProgramme',
  '': 'sectionWhole',
};

/**
 * @tag consult-studio-errors
 * @summary The studio's list of problems: count, groups by section, one button per fault.
 *
 * @csspart base - The panel.
 * @csspart count - The heading with the count.
 * @csspart error - Each fault's button.
 */
export class ConsultStudioErrors extends StudioElement {
  static override styles = [
    studioStyles,
    css`
      :host {
        display: block;
      }
      h2 {
        font-size: 1.1rem;
        margin: 0 0 0.5rem;
      }
      h3 {
        font-size: 1rem;
        margin: 0.75rem 0 0.25rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.375rem;
      }
      button.error {
        display: block;
        width: 100%;
        text-align: start;
        border-color: var(--studio-error);
        border-left-width: 6px;
        padding: 0.375rem 0.625rem;
      }
      code {
        font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
        font-size: 0.875rem;
        overflow-wrap: anywhere;
        display: block;
      }
      .hint {
        display: block;
        color: var(--studio-muted);
        font-size: 0.9375rem;
      }
      .server {
        font-weight: 600;
      }
      .ok {
        margin: 0;
      }
    `,
  ];

  static override properties = {
    ...StudioElement.properties,
    serverErrors: { attribute: false },
    expanded: { state: true },
  };

  /** Faults the server gave for the last refused publish (shown until the next change). */
  declare serverErrors: readonly ConfigError[];
  declare private expanded: boolean;

  constructor() {
    super();
    this.serverErrors = [];
    this.expanded = false;
  }

  /** Every fault shown: the server's first, then the checker's. */
  get listed(): ListedError[] {
    const checker = this.doc?.errors ?? [];
    return [...this.serverErrors.map((e) => ({ ...e, source: 'server' as const })), ...checker.map((e) => ({ ...e, source: 'checker' as const }))];
  }

  #sectionLabel(section: string): string {
    const sections = (machine as unknown as Record<string, unknown>).CONFIG_SECTIONS;
    if (Array.isArray(sections)) {
      const label = (sections as Array<{ id?: unknown; label?: Record<string, unknown> }>).find((s) => s.id === section)?.label?.[this.locale];
      if (typeof label === 'string' && label) return label;
    }
    const key = SECTION_KEYS[section];
    return key ? this.msg(shellMessages, key) : section;
  }

  #row(error: ListedError): TemplateResult {
    const where = error.pointer === '' ? '/' : error.pointer;
    return html`<li>
      <button type="button" class="error" part="error" data-error-pointer=${error.pointer} @click=${() => this.doc?.requestFocus(error.pointer)}>
        ${error.source === 'server' ? html`<span class="server">${this.msg(shellMessages, 'serverSays')}</span> ` : nothing}
        <code>${where}</code>
        <span class="message">${error.message}</span>
        ${error.hint ? html`<span class="hint">${error.hint}</span>` : nothing}
      </button>
    </li>`;
  }

  override render(): TemplateResult {
    const all = this.listed;
    const count = all.length;
    const shown = this.expanded ? all : all.slice(0, ERRORS_SHOWN);
    const groups = groupErrors(shown);
    return html`<section part="base" aria-labelledby="errors-heading">
      <h2 id="errors-heading" part="count">${count === 0 ? this.msg(shellMessages, 'noProblems') : this.msg(shellMessages, 'problems', { n: count })}</h2>
      ${count === 0
        ? html`<p class="ok muted">${this.msg(shellMessages, 'noProblemsNote')}</p>`
        : html`${groups.map(
              (group) => html`<h3>${this.#sectionLabel(group.section)} <span class="muted">(${group.errors.length})</span></h3>
                <ul>
                  ${group.errors.map((error) => this.#row(error))}
                </ul>`,
            )}
            ${count > ERRORS_SHOWN
              ? html`<p>
                  <button type="button" aria-expanded=${this.expanded ? 'true' : 'false'} @click=${() => (this.expanded = !this.expanded)}>
                    ${this.expanded ? this.msg(shellMessages, 'showFewer') : this.msg(shellMessages, 'showAll', { n: count })}
                  </button>
                </p>`
              : nothing}`}
    </section>`;
  }
}
