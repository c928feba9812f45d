/**
 * `<consult-studio-diff>`: the difference between two configs as a table — what changed, where
 * (a readable location and its JSON Pointer), the old value and the new one. The versions pane
 * and the publish conflict dialog both show it.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { StudioElement } from '../studio-element.js';
import { studioStyles } from '../styles.js';
import type { Json } from '../pointer.js';
import { diffJson, readableLocation, shortValue, type DiffEntry } from './diff.js';
import { shellMessages } from './shell.messages.js';

/** Rows shown before "show all". */
const ROWS_SHOWN = 200;

/**
 * @tag consult-studio-diff
 * @summary A pointer-level difference of two configs, in a table that can be scrolled by keyboard.
 *
 * @csspart table - The table.
 */
export class ConsultStudioDiff extends StudioElement {
  static override styles = [
    studioStyles,
    css`
      :host {
        display: block;
      }
      .scroll {
        overflow: auto;
        max-height: 60vh;
        border: 1px solid var(--studio-line);
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 0.9375rem;
      }
      caption {
        text-align: start;
        font-weight: 600;
        padding: 0.375rem 0.5rem;
      }
      th,
      td {
        border-top: 1px solid var(--studio-line);
        padding: 0.375rem 0.5rem;
        text-align: start;
        vertical-align: top;
        overflow-wrap: anywhere;
      }
      thead th {
        background: var(--studio-panel);
        position: sticky;
        top: 0;
      }
      code {
        font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
        font-size: 0.8125rem;
        display: block;
        color: var(--studio-muted);
      }
      .kind {
        font-weight: 600;
        white-space: nowrap;
      }
      del,
      ins {
        text-decoration: none;
      }
    `,
  ];

  static override properties = {
    ...StudioElement.properties,
    older: { attribute: false },
    newer: { attribute: false },
    olderLabel: { attribute: false },
    newerLabel: { attribute: false },
    all: { state: true },
  };

  /** The older config. */
  declare older: Json | undefined;
  /** The newer config. */
  declare newer: Json | undefined;
  /** What the older one is ("第 3 版 / Version 3"). */
  declare olderLabel: string;
  /** What the newer one is ("当前草稿 / Your draft"). */
  declare newerLabel: string;
  declare private all: boolean;

  constructor() {
    super();
    this.olderLabel = '';
    this.newerLabel = '';
    this.all = false;
  }

  #entries: DiffEntry[] = [];
  #key: [Json | undefined, Json | undefined] = [undefined, undefined];

  /** The differences shown (recomputed only when either side changes). */
  get entries(): DiffEntry[] {
    if (this.#key[0] !== this.older || this.#key[1] !== this.newer) {
      this.#key = [this.older, this.newer];
      this.#entries = this.older === undefined || this.newer === undefined ? [] : diffJson(this.older, this.newer);
    }
    return this.#entries;
  }

  #kind(entry: DiffEntry): string {
    return this.msg(shellMessages, entry.kind === 'added' ? 'diffAdded' : entry.kind === 'removed' ? 'diffRemoved' : 'diffChanged');
  }

  override render(): TemplateResult {
    if (this.older === undefined || this.newer === undefined) return html``;
    const entries = this.entries;
    const shown = this.all ? entries : entries.slice(0, ROWS_SHOWN);
    const caption = entries.length === 0 ? this.msg(shellMessages, 'diffNone') : this.msg(shellMessages, 'diffCount', { n: entries.length });
    const root = this.newer ?? this.older;
    return html`<div class="scroll" tabindex="0" role="region" aria-label=${caption}>
        <table part="table">
          <caption>
            ${caption}
            ${this.olderLabel || this.newerLabel ? html`<span class="muted">(${this.olderLabel} → ${this.newerLabel})</span>` : nothing}
          </caption>
          ${entries.length > 0
            ? html`<thead>
                  <tr>
                    <th scope="col">${this.msg(shellMessages, 'diffChange')}</th>
                    <th scope="col">${this.msg(shellMessages, 'diffWhere')}</th>
                    <th scope="col">${this.olderLabel || this.msg(shellMessages, 'diffBefore')}</th>
                    <th scope="col">${this.newerLabel || this.msg(shellMessages, 'diffAfter')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${shown.map(
                    (entry) => html`<tr data-diff-pointer=${entry.pointer}>
                      <td class="kind">${this.#kind(entry)}</td>
                      <th scope="row">
                        ${readableLocation(entry.kind === 'removed' ? this.older : root, entry.pointer)}
                        <code>${entry.pointer || '/'}</code>
                      </th>
                      <td><del>${shortValue(entry.before)}</del></td>
                      <td><ins>${shortValue(entry.after)}</ins></td>
                    </tr>`,
                  )}
                </tbody>`
            : nothing}
        </table>
      </div>
      ${entries.length > ROWS_SHOWN && !this.all
        ? html`<p><button type="button" @click=${() => (this.all = true)}>${this.msg(shellMessages, 'showAll', { n: entries.length })}</button></p>`
        : nothing}`;
  }
}

if (!customElements.get('consult-studio-diff')) customElements.define('consult-studio-diff', ConsultStudioDiff);

declare global {
  interface HTMLElementTagNameMap {
    'consult-studio-diff': ConsultStudioDiff;
  }
}
