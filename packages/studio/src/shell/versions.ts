/**
 * The versions pane: every published version of the programme's config (newest first), and the
 * difference between any two of them or between one and the draft being edited.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { StudioElement } from '../studio-element.js';
import { studioStyles } from '../styles.js';
import type { Json } from '../pointer.js';
import { listVersions, loadVersion, type ApiSettings, type VersionSummary } from './publish.js';
import { shellMessages, type ShellKey } from './shell.messages.js';
import { ConsultStudioDiff } from './diff-table.js';

/** The draft being edited, as a choice beside the versions. */
export const DRAFT = 'draft';

type Phase = 'idle' | 'loading' | 'ready' | 'failed';

/**
 * @tag consult-studio-versions
 * @summary Published versions of a programme's config and the difference between two of them.
 *
 * @csspart table - The list of versions.
 */
export class ConsultStudioVersions extends StudioElement {
  static {
    if (!customElements.get('consult-studio-diff')) customElements.define('consult-studio-diff', ConsultStudioDiff);
  }

  static override styles = [
    studioStyles,
    css`
      :host {
        display: block;
      }
      h2 {
        font-size: 1.25rem;
        margin: 0 0 0.5rem;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        margin-bottom: 1rem;
      }
      th,
      td {
        border-top: 1px solid var(--studio-line);
        padding: 0.375rem 0.5rem;
        text-align: start;
      }
      .pick {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
        margin-bottom: 1rem;
      }
      label {
        display: grid;
        gap: 0.25rem;
        font-weight: 600;
      }
      .problem {
        border-left: 6px solid var(--studio-error);
        padding-left: 0.5rem;
      }
    `,
  ];

  static override properties = {
    ...StudioElement.properties,
    api: { attribute: false },
    programme: { attribute: false },
    phase: { state: true },
    versions: { state: true },
    from: { state: true },
    to: { state: true },
    compared: { state: true },
    problem: { state: true },
  };

  /** The server (the shell passes its endpoint and token). */
  declare api: ApiSettings | undefined;
  /** The programme's id on the server (absent for one never published). */
  declare programme: string | undefined;
  declare private phase: Phase;
  declare private versions: VersionSummary[];
  declare private from: string;
  declare private to: string;
  declare private compared: { before: Json; after: Json; beforeLabel: string; afterLabel: string } | undefined;
  declare private problem: string;

  #texts = new Map<number, Json>();
  #loadedFor: string | undefined;

  constructor() {
    super();
    this.phase = 'idle';
    this.versions = [];
    this.from = '';
    this.to = DRAFT;
    this.problem = '';
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    if ((changed.has('programme') || changed.has('api')) && this.programme && this.api && this.#loadedFor !== this.programme) void this.reload();
  }

  /** Reads the list of versions again (after a publish, the shell calls it). */
  async reload(): Promise<void> {
    if (!this.api || !this.programme) return;
    this.#loadedFor = this.programme;
    this.phase = 'loading';
    const result = await listVersions(this.api, this.programme);
    if (!result.ok) {
      this.phase = 'failed';
      this.problem = result.kind === 'network' ? this.msg(shellMessages, 'networkFailed') : result.message;
      return;
    }
    this.versions = result.versions;
    this.phase = 'ready';
    if (!this.versions.some((v) => String(v.version) === this.from)) this.from = this.versions[0] ? String(this.versions[0].version) : '';
  }

  #label(choice: string): string {
    return choice === DRAFT ? this.msg(shellMessages, 'currentDraft') : this.msg(shellMessages, 'versionN', { n: choice });
  }

  async #valueOf(choice: string): Promise<Json | undefined> {
    if (choice === DRAFT) return this.doc?.value;
    const n = Number(choice);
    const kept = this.#texts.get(n);
    if (kept !== undefined) return kept;
    if (!this.api || !this.programme) return undefined;
    const result = await loadVersion(this.api, this.programme, n);
    if (!result.ok) {
      this.problem = result.kind === 'network' ? this.msg(shellMessages, 'networkFailed') : result.message;
      return undefined;
    }
    this.#texts.set(n, result.value);
    return result.value;
  }

  /** Shows the difference between the two chosen versions. */
  async compare(): Promise<void> {
    this.problem = '';
    const [before, after] = await Promise.all([this.#valueOf(this.from), this.#valueOf(this.to)]);
    if (before === undefined || after === undefined) {
      this.compared = undefined;
      return;
    }
    this.compared = { before, after, beforeLabel: this.#label(this.from), afterLabel: this.#label(this.to) };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('consult-studio-diff')?.focus();
  }

  #select(id: string, label: string, value: string, set: (v: string) => void): TemplateResult {
    return html`<label for=${id}
      >${label}
      <select id=${id} @change=${(e: Event) => set((e.target as HTMLSelectElement).value)}>
        ${this.versions.map((v) => html`<option value=${String(v.version)} ?selected=${value === String(v.version)}>${this.#label(String(v.version))}</option>`)}
        <option value=${DRAFT} ?selected=${value === DRAFT}>${this.#label(DRAFT)}</option>
      </select></label
    >`;
  }

  override render(): TemplateResult {
    const m = (key: ShellKey, params?: Record<string, string | number>) => this.msg(shellMessages, key, params);
    if (!this.programme) return html`<h2>${m('versionsTitle')}</h2><p>${m('versionsNone')}</p>`;
    return html`<h2>${m('versionsTitle')}</h2>
      ${this.phase === 'loading' ? html`<p>${m('loading')}</p>` : nothing}
      ${this.phase === 'failed'
        ? html`<p class="problem">${this.problem} <button type="button" @click=${() => this.reload()}>${m('retry')}</button></p>`
        : nothing}
      ${this.phase === 'ready'
        ? html`<table part="table">
              <caption class="visually-hidden">${m('versionsTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">${m('versionCol')}</th>
                  <th scope="col">${m('configVersionCol')}</th>
                  <th scope="col">${m('publishedAtCol')}</th>
                  <th scope="col">${m('publishedByCol')}</th>
                </tr>
              </thead>
              <tbody>
                ${this.versions.map(
                  (v) => html`<tr>
                    <th scope="row">${m('versionN', { n: v.version })}</th>
                    <td>${v.configVersion ?? ''}</td>
                    <td>${v.publishedAt ? this.#date(v.publishedAt) : ''}</td>
                    <td>${v.publishedBy ?? ''}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
            <div class="pick">
              ${this.#select('from', m('compareFrom'), this.from, (v) => (this.from = v))} ${this.#select('to', m('compareTo'), this.to, (v) => (this.to = v))}
              <button type="button" class="primary" @click=${() => this.compare()}>${m('compare')}</button>
            </div>
            ${this.problem && this.phase === 'ready' ? html`<p class="problem">${this.problem}</p>` : nothing}`
        : nothing}
      ${this.compared
        ? html`<consult-studio-diff
            tabindex="-1"
            .doc=${this.doc}
            .older=${this.compared.before}
            .newer=${this.compared.after}
            .olderLabel=${this.compared.beforeLabel}
            .newerLabel=${this.compared.afterLabel}
          ></consult-studio-diff>`
        : nothing}`;
  }

  #date(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }
}
