import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ConsultElement } from '../base/consult-element.js';
import type { MessageKey } from '../i18n/messages.js';
import { corePart, exportsPart, rolesPart } from '../i18n/parts.js';
import { formControlStyles } from '../styles/form-controls.js';
import { reportStyles } from '../styles/report.js';
import { hostStyles } from '../styles/tokens.js';
import { fetchRooms, type RoomItem } from '../room-poster/rooms-client.js';
import { reportExportsStyles } from './report-exports.styles.js';

/** What can be exported (`GET …/reports/{kind}.{format}`). */
export type ExportKind = 'topics' | 'measures' | 'meetings' | 'ratings' | 'rooms';
export const EXPORT_KINDS: readonly ExportKind[] = ['topics', 'measures', 'meetings', 'ratings', 'rooms'];
export type ExportFormat = 'csv' | 'xlsx';

/** A staff token: a string, or a function the portal's own sign-in answers before each request. */
export type ExportsToken = string | (() => string | undefined | Promise<string | undefined>);

/** The rooms the panel offers: what `GET …/rooms` answers (only `id`, `name`, `level` are used). */
export type ExportRoom = Pick<RoomItem, 'id' | 'name' | 'level'>;

const ACCEPT: Record<ExportFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

type Outcome =
  | { kind: 'busy' }
  | { kind: 'saved'; file: string; size: number }
  | { kind: 'error'; key: MessageKey; detail?: string };

interface FieldError {
  field: 'from' | 'to';
  key: MessageKey;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether the browser says it is offline (read each time: it changes while the panel waits). */
const offline = (): boolean => typeof navigator !== 'undefined' && navigator.onLine === false;

/** A calendar date (YYYY-MM-DD) in this device's time zone. */
function localDate(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Whether `value` is a real calendar date written YYYY-MM-DD. */
function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The presets' periods at `now` (this device's calendar): first and last day, both included. */
export function presetPeriod(preset: 'thisYear' | 'lastYear' | 'thisQuarter', now: Date): { from: string; to: string } {
  const year = now.getFullYear();
  if (preset === 'thisYear') return { from: `${year}-01-01`, to: `${year}-12-31` };
  if (preset === 'lastYear') return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` };
  const first = Math.floor(now.getMonth() / 3) * 3;
  return { from: localDate(new Date(year, first, 1)), to: localDate(new Date(year, first + 3, 0)) };
}

/** The file name a `Content-Disposition` header gives (RFC 6266 `filename*` first), kept to a plain name. */
export function dispositionName(header: string | null): string | undefined {
  if (!header) return undefined;
  let name: string | undefined;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)?.[1];
  if (star) {
    try {
      name = decodeURIComponent(star.trim());
    } catch {
      name = undefined;
    }
  }
  name ??= /filename\s*=\s*"([^"]*)"/.exec(header)?.[1] ?? /filename\s*=\s*([^;\s]+)/.exec(header)?.[1];
  // eslint-disable-next-line no-control-regex
  const plain = name?.replace(/[\u0000-\u001f\u007f/\\]+/g, '_').trim();
  return plain ? plain : undefined;
}

/**
 * @tag consult-report-exports
 * @summary The programme office's exports (报表导出): topics, measures, meetings, ratings or room
 * figures as CSV (UTF-8 with a byte-order mark, so Excel shows Chinese) or Excel (.xlsx), for a
 * period (from and to, both days included; presets this year, last year, this quarter), a room
 * and a level. "Download" asks the city's server
 * (`GET {endpoint}/programmes/{programme}/reports/{kind}.{csv|xlsx}?from=&to=&room=&level=&lang=`,
 * `from` and `to` both included, `lang` the column headers' language) with the staff token and
 * saves the file it answers; the spreadsheet is made on the server, never in this browser.
 *
 * Personal columns (residents' names, phones…) are the server's decision: only for roles the
 * config lets see personal data; the panel says so. Signed out, a refused sign-in (401), a role
 * that may not export (403), offline and server errors are each said in words; nothing is thrown
 * into the page.
 *
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 * @attr endpoint - The city server's base URL (e.g. `/api`).
 * @attr programme - The programme's id on that server.
 * @attr large-text - Larger text and targets.
 *
 * @event consult-error - Saving the file failed in this browser (`detail.code` `export-save`).
 *
 * @csspart base - The wrapper of everything.
 * @csspart heading - The title.
 * @csspart form - The choices.
 * @csspart error-summary - The list of what to correct before downloading.
 * @csspart presets - The period presets.
 * @csspart personal - The note on personal data.
 * @csspart button - Every button (also `button-primary` for Download).
 * @csspart status - The live line: preparing, saved, or why not.
 *
 * @cssproperty --consult-color-primary - Colour of the Download button (global token).
 * @cssproperty --consult-font-scale - Text size factor; `large-text` sets `--consult-font-scale-large` (global token).
 */
export class ConsultReportExports extends ConsultElement {
  static override styles = [hostStyles, formControlStyles, reportStyles, reportExportsStyles];
  static override catalogues = [corePart, exportsPart, rolesPart];

  static override properties = {
    ...ConsultElement.properties,
    endpoint: {},
    programme: {},
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    token: { attribute: false },
    rooms: { attribute: false },
    now: { attribute: false },
    kind: { attribute: false },
    format: { attribute: false },
    from: { attribute: false },
    to: { attribute: false },
    room: { attribute: false },
    level: { attribute: false },
    fetchedRooms: { state: true, attribute: false },
    roomsFailed: { state: true, attribute: false },
    errors: { state: true, attribute: false },
    outcome: { state: true, attribute: false },
  };

  /** The city server's base URL. */
  declare endpoint: string | undefined;
  /** The programme's id on the server. */
  declare programme: string | undefined;
  /** Larger text and targets. */
  declare largeText: boolean;
  /** The staff bearer token (or a function that answers it); without one, the panel asks to sign in. */
  declare token: ExportsToken | undefined;
  /** The rooms to choose from; without them they are read from `GET {endpoint}/programmes/{programme}/rooms`. */
  declare rooms: readonly ExportRoom[] | undefined;
  /** The time the presets count from (default the device's clock), e.g. for a story. */
  declare now: number | string | undefined;
  /** The chosen kind (default `topics`). */
  declare kind: ExportKind;
  /** The chosen file type (default `xlsx`). */
  declare format: ExportFormat;
  /** First day of the period, YYYY-MM-DD (default 1 January of this year). */
  declare from: string;
  /** Last day of the period, included, YYYY-MM-DD (default 31 December of this year). */
  declare to: string;
  /** The chosen room's id ('' for all). */
  declare room: string;
  /** The chosen level ('' for all). */
  declare level: string;
  declare private fetchedRooms: readonly ExportRoom[] | undefined;
  declare private roomsFailed: boolean;
  declare private errors: FieldError[];
  declare private outcome: Outcome | undefined;

  private roomsFor = '';
  private datesSet = false;

  constructor() {
    super();
    this.endpoint = undefined;
    this.programme = undefined;
    this.largeText = false;
    this.token = undefined;
    this.rooms = undefined;
    this.now = undefined;
    this.kind = 'topics';
    this.format = 'xlsx';
    this.from = '';
    this.to = '';
    this.room = '';
    this.level = '';
    this.fetchedRooms = undefined;
    this.roomsFailed = false;
    this.errors = [];
    this.outcome = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (!this.datesSet && !this.from && !this.to) {
      this.datesSet = true;
      ({ from: this.from, to: this.to } = presetPeriod('thisYear', this.clock()));
    }
    const key = !this.rooms && this.endpoint && this.programme ? `${this.endpoint}|${this.programme}` : '';
    if (key && key !== this.roomsFor) {
      this.roomsFor = key;
      void this.loadRooms(this.endpoint!, this.programme!);
    }
  }

  private clock(): Date {
    const at = typeof this.now === 'string' ? Date.parse(this.now) : this.now;
    return new Date(Number.isFinite(at) ? (at as number) : Date.now());
  }

  private async loadRooms(endpoint: string, programme: string): Promise<void> {
    const result = await fetchRooms(endpoint, programme);
    if (`${endpoint}|${programme}` !== this.roomsFor) return;
    this.roomsFailed = !result.ok;
    this.fetchedRooms = result.ok ? result.rooms : [];
  }

  private get roomList(): readonly ExportRoom[] {
    return this.rooms ?? this.fetchedRooms ?? [];
  }

  /** The levels of the programme's rooms, in the order they first appear. */
  private get levels(): string[] {
    return [...new Set(this.roomList.map((r) => r.level).filter((l): l is NonNullable<typeof l> => typeof l === 'string'))];
  }

  private levelName(level: string): string {
    const key = `staff.level.${level}`;
    return this.hasMessage(key) ? this.t(key) : level;
  }

  // ── The request ───────────────────────────────────────────────────────────────────────

  /** The URL "Download" asks for with the choices as they are (undefined without `endpoint` and `programme`). */
  requestUrl(): string | undefined {
    if (!this.endpoint || !this.programme) return undefined;
    // Both days included, as the route reads them; `lang` names the columns in the panel's language.
    const query = new URLSearchParams({ from: this.from, to: this.to, lang: this.locale });
    if (this.room) query.set('room', this.room);
    if (this.level) query.set('level', this.level);
    return `${this.endpoint.replace(/\/+$/, '')}/programmes/${encodeURIComponent(this.programme)}/reports/${this.kind}.${this.format}?${query.toString()}`;
  }

  private validate(): FieldError[] {
    const errors: FieldError[] = [];
    if (!validDate(this.from)) errors.push({ field: 'from', key: 'exports.error.fromMissing' });
    if (!validDate(this.to)) errors.push({ field: 'to', key: 'exports.error.toMissing' });
    if (errors.length === 0 && this.to < this.from) errors.push({ field: 'to', key: 'exports.error.order' });
    return errors;
  }

  private async resolveToken(): Promise<string | undefined> {
    try {
      const value = typeof this.token === 'function' ? await this.token() : this.token;
      return value || undefined;
    } catch {
      return undefined;
    }
  }

  /** Asks the server for the file and saves it; every failure is said in words, none thrown. */
  async download(): Promise<void> {
    if (this.outcome?.kind === 'busy') return;
    this.errors = this.validate();
    if (this.errors.length > 0) {
      this.outcome = undefined;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#error-summary')?.focus();
      return;
    }
    const url = this.requestUrl();
    const token = await this.resolveToken();
    if (!url || !token) {
      this.outcome = { kind: 'error', key: 'exports.error.signedOut' };
      return;
    }
    if (offline()) {
      this.outcome = { kind: 'error', key: 'exports.error.offline' };
      return;
    }
    this.outcome = { kind: 'busy' };
    let res: Response;
    try {
      res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: `${ACCEPT[this.format]}, application/problem+json` } });
    } catch {
      this.outcome = { kind: 'error', key: offline() ? 'exports.error.offline' : 'exports.error.unreachable' };
      return;
    }
    if (!res.ok) {
      this.outcome = await this.failure(res);
      return;
    }
    try {
      const blob = await res.blob();
      const file = dispositionName(res.headers.get('Content-Disposition')) ?? this.defaultName();
      this.save(blob, file);
      this.outcome = { kind: 'saved', file, size: blob.size };
    } catch (error) {
      this.outcome = { kind: 'error', key: 'exports.error.unreachable' };
      this.report('export-save', error);
    }
  }

  private async failure(res: Response): Promise<Outcome> {
    if (res.status === 401) return { kind: 'error', key: 'exports.error.unauthenticated' };
    if (res.status === 403) return { kind: 'error', key: 'exports.error.forbidden' };
    let detail = `HTTP ${res.status}`;
    try {
      const problem = (await res.json()) as { title?: unknown; detail?: unknown };
      if (typeof problem.detail === 'string' && problem.detail) detail = problem.detail;
      else if (typeof problem.title === 'string' && problem.title) detail = problem.title;
    } catch {
      /* no problem body */
    }
    return res.status >= 400 && res.status < 500 && res.status !== 429 ? { kind: 'error', key: 'exports.error.refused', detail } : { kind: 'error', key: 'exports.error.unavailable', detail };
  }

  private defaultName(): string {
    const safe = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '-');
    return [safe(this.programme ?? 'programme'), this.kind, this.from, this.to, this.room ? safe(this.room) : '', this.level ? safe(this.level) : ''].filter(Boolean).join('_') + `.${this.format}`;
  }

  /** Saves a file through a Blob URL and a link with `download` (no data: URL). */
  private save(blob: Blob, file: string): void {
    const href = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = href;
    link.download = file;
    link.hidden = true;
    this.renderRoot.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 30_000);
  }

  private size(bytes: number): string {
    const nf = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 1 });
    return bytes >= 1024 * 1024 ? this.t('exports.size.mb', { n: nf.format(bytes / (1024 * 1024)) }) : this.t('exports.size.kb', { n: nf.format(Math.max(0.1, bytes / 1024)) });
  }

  // ── Events from the controls ──────────────────────────────────────────────────────────

  private choose(preset: 'thisYear' | 'lastYear' | 'thisQuarter'): void {
    ({ from: this.from, to: this.to } = presetPeriod(preset, this.clock()));
    this.errors = [];
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    void this.download();
  }

  private followError(event: Event, field: string): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>(`#${field}`);
    input?.focus();
    this.renderRoot.querySelector(`label[for="${field}"]`)?.scrollIntoView({ block: 'center' });
  }

  // ── Rendering ─────────────────────────────────────────────────────────────────────────

  protected override render(): TemplateResult {
    const errorOf = (field: 'from' | 'to'): FieldError | undefined => this.errors.find((e) => e.field === field);
    const levels = this.levels;
    const busy = this.outcome?.kind === 'busy';
    return html`<section class="base" part="base" aria-labelledby="title">
      <h2 id="title" class="heading" part="heading">${this.t('exports.title')}</h2>
      <p class="intro">${this.t('exports.intro')}</p>
      <form class="form" part="form" novalidate aria-labelledby="title" @submit=${this.onSubmit}>
        ${this.errors.length > 0
          ? html`<div id="error-summary" class="error-summary" part="error-summary" tabindex="-1" aria-labelledby="error-summary-title">
              <div role="alert">
                <h3 id="error-summary-title" class="error-summary-title">${this.t('exports.error.title')}</h3>
                <ul class="error-list">
                  ${this.errors.map((e) => html`<li><a href="#${e.field}" @click=${(ev: Event) => this.followError(ev, e.field)}>${this.t(e.key)}</a></li>`)}
                </ul>
              </div>
            </div>`
          : nothing}
        <fieldset class="group field">
          <legend class="label">${this.t('exports.kind')}</legend>
          <div class="choices">
            ${EXPORT_KINDS.map(
              (kind) => html`<div class="choice">
                <input type="radio" class="choice-input" id="kind-${kind}" name="kind" .value=${kind} .checked=${this.kind === kind} @change=${() => (this.kind = kind)} />
                <label class="choice-label" for="kind-${kind}">${this.t(`exports.kind.${kind}`)}</label>
              </div>`,
            )}
          </div>
        </fieldset>
        <fieldset class="group field">
          <legend class="label">${this.t('exports.format')}</legend>
          <div class="choices">
            ${(['xlsx', 'csv'] as const).map(
              (format) => html`<div class="choice">
                <input type="radio" class="choice-input" id="format-${format}" name="format" .value=${format} .checked=${this.format === format} aria-describedby="format-${format}-hint" @change=${() => (this.format = format)} />
                <label class="choice-label" for="format-${format}">${this.t(`exports.format.${format}`)}</label>
                <p id="format-${format}-hint" class="hint hint--choice">${this.t(`exports.format.${format}Hint`)}</p>
              </div>`,
            )}
          </div>
        </fieldset>
        <fieldset class="group field">
          <legend class="label">${this.t('exports.period')}</legend>
          <div class="presets" part="presets" role="group" aria-label=${this.t('exports.presets')}>
            ${(['thisYear', 'lastYear', 'thisQuarter'] as const).map(
              (preset) => html`<button type="button" id="preset-${preset}" class="button button--secondary" part="button" @click=${() => this.choose(preset)}>${this.t(`exports.preset.${preset}`)}</button>`,
            )}
          </div>
          <div class="dates">
            ${(['from', 'to'] as const).map((field) => {
              const error = errorOf(field);
              return html`<div class="date ${error ? 'field--error' : ''}">
                <label class="label" for=${field}>${this.t(`exports.${field}`)}</label>
                ${error ? html`<p id="${field}-error" class="error-message">${this.t(error.key)}</p>` : nothing}
                <input
                  type="date"
                  id=${field}
                  name=${field}
                  class="input"
                  .value=${field === 'from' ? this.from : this.to}
                  aria-invalid=${error ? 'true' : 'false'}
                  aria-describedby=${error ? `${field}-error` : nothing}
                  @change=${(e: Event) => {
                    const value = (e.target as HTMLInputElement).value;
                    if (field === 'from') this.from = value;
                    else this.to = value;
                  }}
                />
              </div>`;
            })}
          </div>
        </fieldset>
        <div class="selects">
          <div class="control">
            <label class="label" for="room">${this.t('exports.room')}</label>
            <select id="room" name="room" class="input select" aria-describedby=${this.roomsFailed ? 'room-note' : nothing} @change=${(e: Event) => (this.room = (e.target as HTMLSelectElement).value)}>
              <option value="" ?selected=${this.room === ''}>${this.t('exports.room.all')}</option>
              ${this.roomList.map((r) => html`<option value=${r.id} ?selected=${this.room === r.id}>${this.text(r.name, r.id)}</option>`)}
            </select>
            ${this.roomsFailed ? html`<p id="room-note" class="hint">${this.t('exports.room.unavailable')}</p>` : nothing}
          </div>
          ${levels.length > 0
            ? html`<div class="control">
                <label class="label" for="level">${this.t('exports.level')}</label>
                <select id="level" name="level" class="input select" @change=${(e: Event) => (this.level = (e.target as HTMLSelectElement).value)}>
                  <option value="" ?selected=${this.level === ''}>${this.t('exports.level.all')}</option>
                  ${levels.map((l) => html`<option value=${l} ?selected=${this.level === l}>${this.levelName(l)}</option>`)}
                </select>
              </div>`
            : nothing}
        </div>
        <p class="personal" part="personal">${this.t('exports.personal')}</p>
        <div class="actions">
          <button type="submit" id="download" class="button button--primary" part="button button-primary" aria-disabled=${busy ? 'true' : 'false'}>
            ${busy ? this.t('exports.downloading') : this.t('exports.download')}
          </button>
        </div>
        ${this.renderOutcome()}
      </form>
    </section>`;
  }

  private renderOutcome(): TemplateResult {
    const outcome = this.outcome;
    if (outcome?.kind === 'error') {
      return html`<p class="status status--error" part="status" role="alert">${this.t(outcome.key, { detail: outcome.detail ?? '' })}</p>`;
    }
    return html`<p class="status" part="status" role="status">
      ${outcome?.kind === 'busy' ? this.t('exports.downloading') : outcome?.kind === 'saved' ? this.t('exports.saved', { file: outcome.file, size: this.size(outcome.size) }) : ''}
    </p>`;
  }
}
