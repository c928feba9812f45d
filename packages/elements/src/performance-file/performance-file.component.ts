import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { PERFORMANCE_FIGURES, type LocalizedText, type PerformanceFile } from '@consult-kit/machine/core';
import { ConsultElement } from '../base/consult-element.js';
import { icon, tickIcon } from '../base/icons.js';
import type { MessageKey } from '../i18n/messages.js';
import { corePart, performancePart, rolesPart } from '../i18n/parts.js';
import { inputStyles } from '../styles/form-controls.js';
import { reportButtonStyles, reportStyles } from '../styles/report.js';
import { hostStyles } from '../styles/tokens.js';
import { readPerformance, readRooms, type PerformanceData, type Read, type ReadFailure, type ReadToken } from '../room/room-client.js';
import { performanceFileStyles } from './performance-file.styles.js';

/** A crossed circle: a target not met (always beside the words "Not met"). */
const crossIcon = svg`<circle cx="12" cy="12" r="8.5" fill="none" stroke="currentColor" stroke-width="2"></circle><path d="M9 9l6 6M15 9l-6 6" fill="none" stroke="currentColor" stroke-width="2"></path>`;

/** Years the picker offers: this one and the four before it (and the one shown, if older). */
const YEARS_BACK = 4;

const ERROR_KEYS: Record<ReadFailure['reason'], MessageKey> = {
  offline: 'performance.error.offline',
  unreachable: 'performance.error.unreachable',
  unavailable: 'performance.error.unavailable',
  'not-found': 'performance.error.unavailable',
  'signed-out': 'performance.signedOut',
  forbidden: 'performance.forbidden',
};

/** A room's name, for the rooms a file names (the room list's or the config's `rooms.list`). */
export interface PerformanceRoomName {
  id: string;
  name: LocalizedText;
}

/**
 * @tag consult-performance-file
 * @summary Members' performance files (履职档案): what each council member (政协委员) and convener
 * (召集人) did in a year — topics recommended (委员荐题), research visits, meetings convened and
 * attended, consultations, suggestions made, measures followed — and each "five ones" (五个一)
 * target met or not, in words and with an icon (never colour alone). Every count is the machine's
 * `selectPerformanceFiles` over the log, never typed in. An administrator sees a table of everyone
 * (name, role, rooms, targets met x of y) and opens one file; a member or convener sees their own.
 * A year picker (a native select) chooses the year.
 *
 * Data: the `files` property (given data), or the city server's `GET {endpoint}/programmes/{programme}/performance?year=`
 * with a bearer `token` (the server decides whose files a token sees). Without a token it asks to
 * sign in; a token the server refuses (401) asks again; one that may not see files (403) says so.
 * Loading, offline and error states are in words, with a retry.
 *
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 * @attr endpoint - The city server's base URL (e.g. `/api`), with `programme`.
 * @attr programme - The programme's id on that server.
 * @attr year - The year to show (default: the year of `now`, else this year).
 * @attr person - Open this person's file (their id) instead of the table of everyone.
 * @attr now - The time to count by (ISO 8601, sent as `?now=`; for tests and demos).
 * @attr large-text - Larger text and targets.
 *
 * @event change - A person chose another year in the picker (`year` holds it). Never fired for programmatic changes.
 *
 * @csspart base - The wrapper of everything.
 * @csspart heading - The title.
 * @csspart year - The year picker.
 * @csspart table - Every table.
 * @csspart person-link - A person's button in the table of everyone.
 * @csspart file - One person's file.
 * @csspart counts - The table of counts.
 * @csspart targets - The table of targets.
 * @csspart met - A target's "Met" / "Not met" mark (icon and words).
 * @csspart message - The loading, signed-out, forbidden and error messages.
 * @csspart button - Every button.
 *
 * @cssproperty --met-color - Colour of a met target's mark (default the success colour).
 * @cssproperty --not-met-color - Colour of a target not met (default the muted text colour).
 * @cssproperty --consult-font-scale - Text size factor; `large-text` sets `--consult-font-scale-large` (global token).
 */
export class ConsultPerformanceFile extends ConsultElement {
  static override styles = [hostStyles, reportStyles, inputStyles, reportButtonStyles, performanceFileStyles];
  static override catalogues = [corePart, performancePart, rolesPart];

  static override properties = {
    ...ConsultElement.properties,
    endpoint: {},
    programme: {},
    year: { type: Number },
    person: {},
    now: {},
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    token: { attribute: false },
    files: { attribute: false },
    rooms: { attribute: false },
    fetch: { attribute: false },
    served: { state: true, attribute: false },
    servedRooms: { state: true, attribute: false },
    opened: { state: true, attribute: false },
  };

  /** The city server's base URL (with `programme`). */
  declare endpoint: string | undefined;
  /** The programme's id on the server. */
  declare programme: string | undefined;
  /** The year shown; `undefined` for the year of `now` (or this year). */
  declare year: number | undefined;
  /** The person whose file to open (their id); without it an administrator sees everyone. */
  declare person: string | undefined;
  /** The time to count by (ISO), sent as `?now=`. */
  declare now: string | undefined;
  /** Larger text and targets. */
  declare largeText: boolean;
  /** The bearer token (or a function the portal's sign-in answers); without one, the element asks to sign in. */
  declare token: ReadToken | undefined;
  /** The files to show (as `GET …/performance` answers its `files`); wins over the server. */
  declare files: readonly PerformanceFile[] | undefined;
  /** Room names for the rooms the files name (default: the server's `GET …/rooms`, else the ids). */
  declare rooms: readonly PerformanceRoomName[] | undefined;
  /** The `fetch` to read the server with (default the page's). */
  declare fetch: typeof globalThis.fetch | undefined;
  declare private served: { key: string; result: Read<PerformanceData> | undefined } | undefined;
  declare private servedRooms: { key: string; rooms: readonly PerformanceRoomName[] } | undefined;
  /** The file opened from the table (a way back is shown). */
  declare private opened: string | undefined;

  private abort: AbortController | undefined;
  private focusNext: { kind: 'heading' } | { kind: 'person'; id: string } | undefined;

  constructor() {
    super();
    this.endpoint = undefined;
    this.programme = undefined;
    this.year = undefined;
    this.person = undefined;
    this.now = undefined;
    this.largeText = false;
    this.token = undefined;
    this.files = undefined;
    this.rooms = undefined;
    this.fetch = undefined;
    this.served = undefined;
    this.servedRooms = undefined;
    this.opened = undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
    this.abort = undefined;
    this.served = undefined;
  }

  /** Reads the files again (e.g. after the person signed in). */
  refresh(): void {
    this.served = undefined;
    this.requestUpdate();
  }

  // ── Data ──────────────────────────────────────────────────────────────────────────────

  /** The year in force: `year`, else the given files', else `now`'s, else this year. */
  private get shownYear(): number {
    if (Number.isInteger(this.year)) return this.year!;
    const given = this.files?.[0]?.year;
    if (given !== undefined) return given;
    return this.thisYear;
  }

  private get thisYear(): number {
    const fromNow = /^(\d{4})-/.exec(this.now ?? '')?.[1];
    return fromNow ? Number(fromNow) : new Date().getFullYear();
  }

  private server(): { endpoint: string; programme: string } | undefined {
    return this.endpoint && this.programme ? { endpoint: this.endpoint, programme: this.programme } : undefined;
  }

  private data(): readonly PerformanceFile[] | ReadFailure | 'loading' | undefined {
    if (this.files) return this.files;
    if (!this.server()) return undefined;
    if (this.token === undefined || this.token === '') return { ok: false, reason: 'signed-out' };
    const result = this.served?.result;
    if (!result) return 'loading';
    return result.ok ? result.value.files : result;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('person') && changed.get('person') !== undefined) this.opened = undefined;
    const server = this.server();
    if (!server || this.files) return;
    if (!this.rooms) {
      const roomsKey = `${server.endpoint}|${server.programme}`;
      if (this.servedRooms?.key !== roomsKey) void this.loadRooms(server, roomsKey);
    }
    if (this.token === undefined || this.token === '') return;
    const key = JSON.stringify([server.endpoint, server.programme, this.shownYear, this.now ?? '']);
    // A new token (signed in again, as someone else) reads the files again.
    if (this.served?.key !== key || (changed.has('token') && changed.get('token') !== undefined)) void this.load(server, key);
  }

  private async load(server: { endpoint: string; programme: string }, key: string): Promise<void> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.served = { key, result: undefined };
    const result = await readPerformance({ ...server, year: this.shownYear, now: this.now || undefined, token: this.token!, fetch: this.fetch, signal: abort.signal });
    if (abort.signal.aborted || this.served?.key !== key) return;
    this.abort = undefined;
    this.served = { key, result };
  }

  /** The rooms' names from the public room list (no token needed); the ids stay when it cannot be read. */
  private async loadRooms(server: { endpoint: string; programme: string }, key: string): Promise<void> {
    this.servedRooms = { key, rooms: [] };
    const result = await readRooms({ ...server, fetch: this.fetch });
    if (result.ok && this.servedRooms?.key === key) this.servedRooms = { key, rooms: result.value.map((r) => ({ id: r.id, name: r.name })) };
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const focus = this.focusNext;
    if (!focus) return;
    const target =
      focus.kind === 'heading'
        ? this.renderRoot.querySelector<HTMLElement>('#file-title')
        : this.renderRoot.querySelector<HTMLElement>(`[data-person="${CSS.escape(focus.id)}"] .person-link`);
    if (target) {
      this.focusNext = undefined;
      target.focus();
    }
  }

  // ── Words ─────────────────────────────────────────────────────────────────────────────

  private roleName(role: string): string {
    const key = `staff.role.${role}`;
    return this.hasMessage(key) ? this.t(key) : role;
  }

  private roomNames(ids: readonly string[]): string {
    if (ids.length === 0) return this.t('performance.noRooms');
    const known = this.rooms ?? this.servedRooms?.rooms ?? [];
    const list = ids.map((id) => this.text(known.find((r) => r.id === id)?.name, id));
    return new Intl.ListFormat(this.locale, { type: 'conjunction' }).format(list);
  }

  private number(n: number): string {
    return new Intl.NumberFormat(this.locale, { maximumFractionDigits: 0 }).format(n);
  }

  // ── Actions ───────────────────────────────────────────────────────────────────────────

  private onYear(event: Event): void {
    const year = Number((event.target as HTMLSelectElement).value);
    if (!Number.isInteger(year)) return;
    this.year = year;
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }

  private open(id: string): void {
    this.opened = id;
    this.focusNext = { kind: 'heading' };
  }

  private back(): void {
    const id = this.opened;
    this.opened = undefined;
    if (id) this.focusNext = { kind: 'person', id };
  }

  // ── Rendering ─────────────────────────────────────────────────────────────────────────

  protected override render(): TemplateResult {
    const data = this.data();
    return html`<section class="base" part="base" aria-labelledby="title">
      <h2 id="title" class="heading" part="heading">${this.t('performance.title')}</h2>
      <p class="intro">${this.t('performance.intro')}</p>
      ${this.renderYear()}
      ${data === undefined
        ? this.message('performance.noData')
        : data === 'loading'
          ? this.message('performance.loading')
          : 'ok' in data
            ? this.renderFailure(data)
            : this.renderFiles(data)}
    </section>`;
  }

  private message(key: MessageKey): TemplateResult {
    return html`<p class="message" part="message" role="status">${this.t(key)}</p>`;
  }

  private renderFailure(failure: ReadFailure): TemplateResult {
    if (failure.reason === 'signed-out' || failure.reason === 'forbidden') return this.message(ERROR_KEYS[failure.reason]);
    return html`<div class="message message--error" part="message" role="alert">
      <p>${this.t(ERROR_KEYS[failure.reason])}</p>
      <button type="button" class="button" part="button" @click=${() => this.refresh()}>${this.t('performance.retry')}</button>
    </div>`;
  }

  private renderYear(): TemplateResult {
    const shown = this.shownYear;
    const latest = Math.max(this.thisYear, shown);
    const years = Array.from({ length: YEARS_BACK + 1 }, (_, i) => latest - i);
    if (!years.includes(shown)) years.push(shown);
    return html`<div class="year" part="year">
      <label class="label" for="year">${this.t('performance.year')}</label>
      <select id="year" name="year" class="input" @change=${this.onYear}>
        ${years.map((y) => html`<option value=${String(y)} ?selected=${y === shown}>${y}</option>`)}
      </select>
    </div>`;
  }

  private renderFiles(files: readonly PerformanceFile[]): TemplateResult {
    const year = this.shownYear;
    const id = this.opened ?? this.person;
    const chosen = id !== undefined ? files.find((f) => f.person.id === id) : files.length === 1 ? files[0] : undefined;
    if (chosen) return this.renderFile(chosen, year, this.opened !== undefined);
    if (files.length === 0) return html`<p class="message" part="message" role="status">${this.t('performance.empty', { year })}</p>`;
    return this.renderTable(files, year);
  }

  private renderTable(files: readonly PerformanceFile[], year: number): TemplateResult {
    return html`<p id="count" class="count">${this.t('performance.count', { count: this.number(files.length) })}</p>
      <table class="table people" part="table" aria-describedby="count">
        <caption class="visually-hidden">${this.t('performance.table', { year })}</caption>
        <thead>
          <tr>
            <th scope="col">${this.t('performance.col.name')}</th>
            <th scope="col">${this.t('performance.col.role')}</th>
            <th scope="col">${this.t('performance.col.rooms')}</th>
            <th scope="col">${this.t('performance.col.targets')}</th>
          </tr>
        </thead>
        <tbody>
          ${files.map(
            (f) => html`<tr data-person=${f.person.id}>
              <th scope="row" data-label=${this.t('performance.col.name')}>
                <button type="button" class="person-link" part="person-link" @click=${() => this.open(f.person.id)}>
                  ${f.person.name}<span class="visually-hidden">${this.t('performance.open')}</span>
                </button>
              </th>
              <td data-label=${this.t('performance.col.role')}>${this.roleName(f.person.role)}</td>
              <td data-label=${this.t('performance.col.rooms')}>${this.roomNames(f.person.rooms)}</td>
              <td data-label=${this.t('performance.col.targets')}>${this.renderMetOf(f)}</td>
            </tr>`,
          )}
        </tbody>
      </table>`;
  }

  private renderMetOf(f: PerformanceFile): TemplateResult {
    const all = f.of > 0 && f.met === f.of;
    return html`<span class="met-of ${all ? 'met-of--all' : ''}">${all ? icon(tickIcon) : nothing}${this.t('performance.metOf', { met: this.number(f.met), of: this.number(f.of) })}</span>`;
  }

  private renderFile(f: PerformanceFile, year: number, withBack: boolean): TemplateResult {
    return html`${withBack
        ? html`<p class="back"><button type="button" class="button button--link" part="button" id="back" @click=${() => this.back()}>← ${this.t('performance.back')}</button></p>`
        : nothing}
      <article class="file" part="file" aria-labelledby="file-title">
        <h3 id="file-title" class="subheading" tabindex="-1">${this.t('performance.fileTitle', { name: f.person.name, year })}</h3>
        <dl class="facts">
          <div><dt>${this.t('performance.role')}</dt><dd>${this.roleName(f.person.role)}</dd></div>
          <div><dt>${this.t('performance.rooms')}</dt><dd>${this.roomNames(f.person.rooms)}</dd></div>
        </dl>
        <p class="summary met-of ${f.of > 0 && f.met === f.of ? 'met-of--all' : ''}" id="summary">
          ${f.of > 0 && f.met === f.of ? icon(tickIcon) : nothing}${this.t('performance.summary', { met: this.number(f.met), of: this.number(f.of) })}
        </p>
        <h4 class="minorheading">${this.t('performance.targetsTitle')}</h4>
        ${f.targets.length === 0
          ? html`<p>${this.t('performance.noTargets')}</p>`
          : html`<table class="table targets" part="table targets">
              <caption class="visually-hidden">${this.t('performance.targetsTable', { year })}</caption>
              <thead>
                <tr>
                  <th scope="col">${this.t('performance.col.target')}</th>
                  <th scope="col">${this.t('performance.col.done')}</th>
                  <th scope="col">${this.t('performance.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                ${f.targets.map(
                  (t) => html`<tr data-target=${t.id}>
                    <th scope="row">${this.text(t.label, t.id)}</th>
                    <td>${this.t('performance.done', { value: this.number(t.value), target: this.number(t.target) })}</td>
                    <td>
                      <span class="mark ${t.met ? 'mark--met' : 'mark--not-met'}" part="met">${icon(t.met ? tickIcon : crossIcon)}<span>${t.met ? this.t('performance.met') : this.t('performance.notMet')}</span></span>
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
        <h4 class="minorheading">${this.t('performance.countsTitle', { year })}</h4>
        <table class="table counts" part="table counts">
          <caption class="visually-hidden">${this.t('performance.countsTable', { year })}</caption>
          <thead>
            <tr>
              <th scope="col">${this.t('performance.col.figure')}</th>
              <th scope="col" class="num">${this.t('performance.col.value')}</th>
            </tr>
          </thead>
          <tbody>
            ${PERFORMANCE_FIGURES.map(
              (figure) => html`<tr data-figure=${figure}>
                <th scope="row">${this.t(`performance.figure.${figure}`)}</th>
                <td class="num">${this.number(f.counts[figure] ?? 0)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </article>`;
  }
}
