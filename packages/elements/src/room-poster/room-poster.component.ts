import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import type { LocalizedText, RoomPerson } from '@consult-kit/machine/core';
import { ConsultElement } from '../base/consult-element.js';
import { load, loaded, lookup } from '../i18n/catalogue.js';
import { format, type Locale } from '../i18n/locale.js';
import type { MessageKey } from '../i18n/messages.js';
import { corePart, posterPart } from '../i18n/parts.js';
import { reportButtonStyles } from '../styles/report.js';
import { hostStyles } from '../styles/tokens.js';
import { posterSvg, qrShape, type PosterBlock } from './poster-svg.js';
import { qrTarget, type QrTarget } from './qr-target.js';
import { fetchProgrammeTitle, fetchRooms, type RoomItem } from './rooms-client.js';
import { roomPosterStyles } from './room-poster.styles.js';

/** What the poster needs of a room: `GET …/rooms` answers this and more (the filled `intakeUrl` included). */
export type PosterRoom = Pick<RoomItem, 'id' | 'name' | 'intakeUrl'> & Partial<Pick<RoomItem, 'place' | 'conveners' | 'raise' | 'level'>>;

type Load =
  | { state: 'none' }
  | { state: 'loading' }
  | { state: 'ready'; room: PosterRoom }
  | { state: 'not-found'; id: string }
  | { state: 'failed'; reason: 'offline' | 'unavailable'; detail: string };

/** The page rule printing needs: `@page` is read only from the document's style sheets, not a shadow root's. */
let pageSheet: CSSStyleSheet | undefined;
let pageSheetUsers = 0;

function adoptPageRule(): void {
  try {
    pageSheetUsers += 1;
    if (pageSheetUsers > 1) return;
    pageSheet ??= new CSSStyleSheet();
    pageSheet.replaceSync('@page { size: A4 portrait; margin: 12mm; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageSheet];
  } catch {
    /* an old browser without constructable style sheets: the printer's own page size then */
  }
}

function dropPageRule(): void {
  try {
    pageSheetUsers = Math.max(0, pageSheetUsers - 1);
    if (pageSheetUsers > 0 || !pageSheet) return;
    const sheet = pageSheet;
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  } catch {
    /* nothing to undo */
  }
}

/**
 * @tag consult-room-poster
 * @summary A consultation room's scan-to-raise poster (码上议) for its wall: the programme's name,
 * the room's name in large type, "扫码议事 / Scan to raise a matter", a QR code that opens the
 * portal's intake form with the room and source preset (the room's filled `intakeUrl`), that
 * address printed under it for people who cannot scan, what to raise there, the place and the
 * two conveners. It prints on one A4 page (print stylesheet: `@page { size: A4 }`, 12 mm margins,
 * black on white, large type) and downloads as an A4 SVG file built from the same QR modules.
 *
 * The QR code encodes only an `https://` address or one relative to the portal (completed against
 * `origin`); any other address is refused on screen, with why, and no code is drawn.
 *
 * One language (`lang`, like every consult-kit element), or both: `bilingual` adds the other
 * language under each line, smaller (for programmes that post in both).
 *
 * Data: give `data` (one room as `GET {endpoint}/programmes/{programme}/rooms` returns it) and
 * `programmeTitle`; or `endpoint`, `programme` and `room`, and the poster reads the rooms (and the
 * programme's name from its config). Public data only: no token is needed.
 *
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 * @attr endpoint - The city server's base URL (e.g. `/api`), with `programme`.
 * @attr programme - The programme's id on that server.
 * @attr room - The room's id (`rooms.list[].id`).
 * @attr origin - The absolute https origin (or portal page URL) a relative `intakeUrl` is completed against. Default the page's `location.origin`.
 * @attr bilingual - Print the other language under each line as well.
 *
 * @event consult-error - The SVG file could not be made (`detail.code` `poster-download`).
 *
 * @csspart base - The wrapper of everything.
 * @csspart toolbar - The Print and Download buttons (not printed).
 * @csspart button - Each button.
 * @csspart status - The live message after a download.
 * @csspart message - The loading, not-found and error messages.
 * @csspart poster - The poster itself (what prints).
 * @csspart room-name - The room's name.
 * @csspart qr - The QR code.
 * @csspart url - The address printed under the QR code.
 * @csspart refused - The notice shown instead of a QR code whose address is refused.
 *
 * @cssproperty --consult-color-focus - Focus ring (global token).
 */
export class ConsultRoomPoster extends ConsultElement {
  static override styles = [hostStyles, reportButtonStyles, roomPosterStyles];
  static override catalogues = [corePart, posterPart];

  static override properties = {
    ...ConsultElement.properties,
    endpoint: {},
    programme: {},
    room: {},
    origin: {},
    bilingual: { type: Boolean, reflect: true },
    data: { attribute: false },
    programmeTitle: { attribute: false },
    loadState: { state: true, attribute: false },
    fetchedTitle: { state: true, attribute: false },
    status: { state: true, attribute: false },
  };

  /** The city server's base URL (with `programme` and `room`); not needed when `data` is given. */
  declare endpoint: string | undefined;
  /** The programme's id on the server. */
  declare programme: string | undefined;
  /** The room's id. */
  declare room: string | undefined;
  /** Where a relative `intakeUrl` is completed: an absolute https origin or page URL; default `location.origin`. */
  declare origin: string | undefined;
  /** Both languages: the other one under each line. */
  declare bilingual: boolean;
  /** The room, as `GET …/rooms` returns it (with its filled `intakeUrl`); wins over `endpoint`. */
  declare data: PosterRoom | undefined;
  /** The programme's name; read from the server's config in endpoint mode when not given. */
  declare programmeTitle: LocalizedText | undefined;
  declare private loadState: Load;
  declare private fetchedTitle: LocalizedText | undefined;
  declare private status: { key: MessageKey; params: Record<string, string> } | undefined;

  private loadedKey = '';
  private request = 0;

  constructor() {
    super();
    this.endpoint = undefined;
    this.programme = undefined;
    this.room = undefined;
    this.origin = undefined;
    this.bilingual = false;
    this.data = undefined;
    this.programmeTitle = undefined;
    this.loadState = { state: 'none' };
    this.fetchedTitle = undefined;
    this.status = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptPageRule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    dropPageRule();
  }

  // ── Data ──────────────────────────────────────────────────────────────────────────────

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.bilingual && !loaded(this.other, [posterPart])) {
      void load(this.other, [posterPart]).then(
        () => this.requestUpdate(),
        () => undefined,
      );
    }
    const key = this.data ? '' : JSON.stringify([this.endpoint ?? '', this.programme ?? '', this.room ?? '']);
    if (key !== this.loadedKey) {
      this.loadedKey = key;
      if (key) void this.load();
    }
  }

  /** Reads the room (and the programme's name) again from the server. */
  refresh(): Promise<void> {
    return this.load();
  }

  private async load(): Promise<void> {
    const request = (this.request += 1);
    const { endpoint, programme, room } = this;
    if (!endpoint || !programme || !room) {
      this.loadState = { state: 'none' };
      return;
    }
    this.loadState = { state: 'loading' };
    const [rooms, title] = await Promise.all([fetchRooms(endpoint, programme), this.programmeTitle ? Promise.resolve(undefined) : fetchProgrammeTitle(endpoint, programme)]);
    if (request !== this.request) return;
    this.fetchedTitle = title;
    if (!rooms.ok) {
      this.loadState = { state: 'failed', reason: rooms.reason === 'offline' ? 'offline' : 'unavailable', detail: rooms.detail };
      return;
    }
    const found = rooms.rooms.find((r) => r.id === room);
    this.loadState = found ? { state: 'ready', room: found } : { state: 'not-found', id: room };
  }

  private get shown(): PosterRoom | undefined {
    if (this.data) return this.data;
    return this.loadState.state === 'ready' ? this.loadState.room : undefined;
  }

  private get target(): QrTarget | undefined {
    const room = this.shown;
    if (!room) return undefined;
    return qrTarget(room.intakeUrl, this.origin || location.origin);
  }

  // ── Words in both languages ───────────────────────────────────────────────────────────

  private get other(): Locale {
    return this.locale === 'en' ? 'zh-CN' : 'en';
  }

  /** A message in the other language (empty until its part is loaded). */
  private tOther(key: MessageKey, params?: Readonly<Record<string, string>>): string {
    const found = lookup(this.other, key);
    return found === undefined ? '' : format(found, params);
  }

  private otherText(value: LocalizedText | undefined): string {
    const mine = this.text(value);
    const theirs = value?.[this.other] ?? '';
    return theirs && theirs !== mine ? theirs : '';
  }

  /** A line in this language and, when bilingual, the other beneath it. */
  private two(mine: string, theirs: string): TemplateResult {
    return html`${mine}${this.bilingual && theirs ? html`<span class="second" lang=${this.other}>${theirs}</span>` : nothing}`;
  }

  private person(p: RoomPerson, locale: Locale): string {
    const title = p.title?.[locale];
    if (!title) return p.name;
    return locale === 'zh-CN' ? `${p.name}（${title}）` : `${p.name}, ${title}`;
  }

  private people(list: readonly RoomPerson[], locale: Locale): string {
    return list.map((p) => this.person(p, locale)).join(locale === 'en' ? '; ' : '；');
  }

  private programmeName(): LocalizedText | undefined {
    return this.programmeTitle ?? this.fetchedTitle;
  }

  // ── Actions ───────────────────────────────────────────────────────────────────────────

  private print(): void {
    this.status = undefined;
    try {
      window.print();
    } catch (error) {
      this.report('poster-print', error);
    }
  }

  /** The poster as an A4 SVG file's text, or undefined when there is no room or its address is refused. */
  svgText(): string | undefined {
    const room = this.shown;
    const target = this.target;
    if (!room || !target?.ok) return undefined;
    const svgEl = posterSvg(document, this.blocks(room, target.url), { title: this.t('poster.svgTitle', { room: this.text(room.name, room.id) }), lang: this.locale });
    return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svgEl)}\n`;
  }

  /** The file's name: `poster-<room id>.svg`, the id kept to safe characters. */
  private fileName(room: PosterRoom): string {
    return `poster-${room.id.replace(/[^A-Za-z0-9_-]+/g, '-') || 'room'}.svg`;
  }

  private download(): void {
    const room = this.shown;
    try {
      const text = this.svgText();
      if (!room || text === undefined) return;
      const blob = new Blob([text], { type: 'image/svg+xml' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = this.fileName(room);
      link.hidden = true;
      this.renderRoot.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
      this.status = { key: 'poster.downloaded', params: { file: link.download } };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.status = { key: 'poster.downloadFailed', params: { message } };
      this.report('poster-download', error, this.t('poster.downloadFailed', { message }));
    }
  }

  /** The poster's content as the SVG file lays it out (millimetres on an A4 page). */
  private blocks(room: PosterRoom, url: string): PosterBlock[] {
    const lang = this.locale;
    const other = this.other;
    const both = this.bilingual;
    const blocks: PosterBlock[] = [];
    const add = (mine: string, theirs: string, size: number, extra: Partial<Extract<PosterBlock, { kind: 'text' }>> = {}): void => {
      if (mine) blocks.push({ kind: 'text', text: mine, size, lang, ...extra });
      if (both && theirs) blocks.push({ kind: 'text', text: theirs, size: size * 0.72, lang: other, ...extra, gap: 0 });
    };
    const title = this.programmeName();
    if (title) add(this.text(title), this.otherText(title), 6.5);
    add(this.text(room.name, room.id), this.otherText(room.name), 15, { bold: true, gap: 3 });
    add(this.t('poster.scan'), this.tOther('poster.scan'), 11, { bold: true, gap: 4 });
    add(this.t('poster.scanHint'), this.tOther('poster.scanHint'), 5.5);
    blocks.push({ kind: 'qr', text: url, size: both ? 80 : 92, label: this.t('poster.qrLabel', { room: this.text(room.name, room.id) }), gap: 3 });
    add(this.t('poster.urlLabel'), this.tOther('poster.urlLabel'), 4.5, { gap: 3 });
    blocks.push({ kind: 'text', text: url, size: 4.5, lang, mono: true });
    if (room.raise) {
      add(this.t('poster.raise'), this.tOther('poster.raise'), 6, { bold: true, gap: 5 });
      add(this.text(room.raise), this.otherText(room.raise), 5.5);
    }
    const colon = (l: Locale): string => (l === 'en' ? ': ' : '：');
    if (room.place) {
      const theirs = this.otherText(room.place);
      add(`${this.t('poster.place')}${colon(lang)}${this.text(room.place)}`, theirs ? `${this.tOther('poster.place')}${colon(other)}${theirs}` : '', 5.5, { gap: 5 });
    }
    const conveners = room.conveners ?? [];
    if (conveners.length > 0) {
      add(`${this.t('poster.conveners')}${colon(lang)}${this.people(conveners, lang)}`, `${this.tOther('poster.conveners')}${colon(other)}${this.people(conveners, other)}`, 5.5, { gap: 2 });
    }
    return blocks;
  }

  // ── Rendering ─────────────────────────────────────────────────────────────────────────

  protected override render(): TemplateResult {
    const room = this.shown;
    return html`<div class="base" part="base">${room ? this.renderPoster(room) : this.renderMessage()}</div>`;
  }

  private renderMessage(): TemplateResult {
    const state = this.loadState;
    if (state.state === 'loading') return html`<p class="message" part="message" role="status">${this.t('poster.loading')}</p>`;
    if (state.state === 'not-found') return html`<p class="message message--error" part="message" role="alert">${this.t('poster.notFound', { room: state.id })}</p>`;
    if (state.state === 'failed') {
      return html`<div class="message message--error" part="message" role="alert">
        <p>${state.reason === 'offline' ? this.t('poster.error.offline') : this.t('poster.error.unavailable', { detail: state.detail })}</p>
        <button type="button" class="button" part="button" @click=${() => void this.refresh()}>${this.t('poster.retry')}</button>
      </div>`;
    }
    return html`<p class="message" part="message" role="status">${this.t('poster.noRoom')}</p>`;
  }

  private renderPoster(room: PosterRoom): TemplateResult {
    const target = this.target!;
    const title = this.programmeName();
    const name = this.text(room.name, room.id);
    const conveners = room.conveners ?? [];
    return html`${target.ok
        ? html`<div class="toolbar" part="toolbar" role="group" aria-label=${this.t('poster.actions')}>
            <button type="button" id="print" class="button" part="button" @click=${this.print}>${this.t('poster.print')}</button>
            <button type="button" id="download" class="button" part="button" @click=${this.download}>${this.t('poster.download')}</button>
            <p class="status" part="status" role="status">${this.status ? this.t(this.status.key, this.status.params) : ''}</p>
          </div>`
        : nothing}
      <article class="poster" part="poster" aria-labelledby="room-name">
        <div class="sheet">
          ${title ? html`<p class="programme">${this.two(this.text(title), this.otherText(title))}</p>` : nothing}
          <h2 id="room-name" class="room" part="room-name">${this.two(name, this.otherText(room.name))}</h2>
          <p class="scan">${this.two(this.t('poster.scan'), this.tOther('poster.scan'))}</p>
          ${target.ok
            ? html`<p class="scan-hint">${this.two(this.t('poster.scanHint'), this.tOther('poster.scanHint'))}</p>
                <div class="qr-box">${this.renderQr(target.url, this.t('poster.qrLabel', { room: name }))}</div>
                <p class="url-block">
                  ${this.two(this.t('poster.urlLabel'), this.tOther('poster.urlLabel'))}
                  <span class="url" part="url">${target.url}</span>
                </p>`
            : this.renderRefused(target)}
          ${room.raise
            ? html`<section class="raise" aria-labelledby="raise-title">
                <h3 id="raise-title">${this.two(this.t('poster.raise'), this.tOther('poster.raise'))}</h3>
                <p>${this.two(this.text(room.raise), this.otherText(room.raise))}</p>
              </section>`
            : nothing}
          ${room.place || conveners.length > 0
            ? html`<dl class="facts">
                ${room.place
                  ? html`<dt>${this.two(this.t('poster.place'), this.tOther('poster.place'))}</dt>
                      <dd>${this.two(this.text(room.place), this.otherText(room.place))}</dd>`
                  : nothing}
                ${conveners.length > 0
                  ? html`<dt>${this.two(this.t('poster.conveners'), this.tOther('poster.conveners'))}</dt>
                      <dd>
                        ${this.two(this.people(conveners, this.locale), this.people(conveners, this.other))}
                      </dd>`
                  : nothing}
              </dl>`
            : nothing}
        </div>
      </article>`;
  }

  /** The QR code: the same module runs as the SVG file, explicit black on white (readable when copied out of the page). */
  private renderQr(url: string, label: string): TemplateResult {
    const { total, path } = qrShape(url);
    return html`<svg class="qr" part="qr" role="img" aria-label=${label} viewBox="0 0 ${total} ${total}" shape-rendering="crispEdges">
      ${svg`<rect x="0" y="0" width=${total} height=${total} fill="#ffffff"></rect><path d=${path} fill="#000000"></path>`}
    </svg>`;
  }

  private renderRefused(target: Extract<QrTarget, { ok: false }>): TemplateResult {
    return html`<div class="refused" part="refused" role="alert">
      <p><strong>${this.t('poster.refused.title')}</strong></p>
      <p>
        ${target.reason === 'origin'
          ? this.t('poster.refused.origin', { origin: target.origin })
          : html`${this.t('poster.refused.scheme')} <span class="url">${target.url}</span>`}
      </p>
      <p>${this.t('poster.refused.fix')}</p>
    </div>`;
  }
}
