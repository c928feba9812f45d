import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { CriterionGrade, RoomGradeRecord, RoomPerson, Trends } from '@consult-kit/machine/core';
import { ConsultElement } from '../base/consult-element.js';
import { safeUrl } from '../base/safe-url.js';
import type { MessageKey } from '../i18n/messages.js';
import { corePart, rolesPart, roomPart } from '../i18n/parts.js';
import '../star-rating/consult-star-rating.js';
import { reportButtonStyles, reportStyles } from '../styles/report.js';
import { hostStyles } from '../styles/tokens.js';
import { readRoom, readRooms, type Read, type ReadFailure, type RoomData, type RoomSummary } from './room-client.js';
import { count, criterionName, criterionSentence, figureValue, periodName } from './room-format.js';
import { ConsultRoomSelectEvent } from './room-select-event.js';
import { roomStyles } from './room.styles.js';

const ERROR_KEYS: Record<ReadFailure['reason'], MessageKey> = {
  offline: 'room.error.offline',
  unreachable: 'room.error.unreachable',
  unavailable: 'room.error.unavailable',
  'signed-out': 'room.error.unavailable',
  forbidden: 'room.error.unavailable',
  'not-found': 'room.notFound',
};

/** Whether the trend chart's module was asked for already (once per page). */
let chartLoad: Promise<boolean> | undefined;

/** Loads `<consult-trend-chart>` the first time a room with trends is shown; false when it cannot load (the page stays without it). */
function loadTrendChart(): Promise<boolean> {
  chartLoad ??= import('../trend-chart/consult-trend-chart.js').then(
    () => true,
    (error: unknown) => {
      // Said once; the page keeps its tables without the chart (not asked again on every render).
      console.warn('consult-kit <consult-room>: the trend chart could not load', error);
      return false;
    },
  );
  return chartLoad;
}

/**
 * @tag consult-room
 * @summary A consultation room (协商议事室) and its star grade (星级评定): the room's name, level,
 * place, its two conveners (第一召集人 / 第二召集人) and members; the current period's grade with
 * the read-only `<consult-star-rating>`; the figures behind each star as a table (criterion, value,
 * stars earned, what the next star needs, the thresholds) and in plain words ("3 session(s) held;
 * 4 needed for 3 star(s)."); the grade history, one row per period, final or in progress; and the
 * room's trends as `<consult-trend-chart>` (loaded on demand). Without `room` it lists every room
 * of the programme (name, level, conveners, topics, current stars); choosing one fires
 * `consult-room-select` and, unless the portal cancels it, opens the room in place with a way back.
 *
 * Data: the `data` property (`{ room, grades, trends }`, as `GET …/rooms/{room}` answers) and the
 * `rooms` property (the list, as `GET …/rooms` answers its `rooms`), or the city server's public
 * routes with `endpoint` and `programme`. Every number is computed by the machine's selectors
 * (`selectRoomGrades`, `selectTrends`), never here. Loading, not-found, offline and error states are
 * in words, with a retry.
 *
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 * @attr endpoint - The city server's base URL (e.g. `/api`), with `programme`.
 * @attr programme - The programme's id on that server.
 * @attr room - The room to show (its id); without it, the list of rooms.
 * @attr now - The time to grade by (ISO 8601, sent as `?now=`; for tests and demos); the server's clock otherwise.
 * @attr room-href - Template of the link to a room in the list, e.g. `#/rooms/{room}` (checked by `safeUrl`); without it each room is a button.
 * @attr report-href - The link to this room's printable report (checked by `safeUrl`); no link without it.
 * @attr poster-href - The link to this room's QR-code poster (checked by `safeUrl`); no link without it.
 * @attr large-text - Larger text and targets.
 *
 * @fires consult-room-select - A person chose a room in the list. `detail`: `{ room }`. Bubbles, composed, cancelable: `preventDefault()` keeps a `room-href` link from navigating and the list from opening the room in place.
 *
 * @csspart base - The wrapper of everything.
 * @csspart heading - The room's name (or the list's title).
 * @csspart facts - The room's level, place and conveners.
 * @csspart people - The conveners and members.
 * @csspart links - The report and poster links.
 * @csspart grade - The current grade (stars and words).
 * @csspart figures - The table of the figures behind the stars.
 * @csspart plain - The plain-language sentences.
 * @csspart history - The grade history table.
 * @csspart trends - The trends section with `<consult-trend-chart>` (shown once the chart has loaded).
 * @csspart table - Every table.
 * @csspart room-link - A room's link or button in the list.
 * @csspart message - The loading, empty and error messages.
 * @csspart button - Every button.
 *
 * @cssproperty --consult-color-primary - Colour of links (global token).
 * @cssproperty --consult-font-scale - Text size factor; `large-text` sets `--consult-font-scale-large` (global token).
 */
export class ConsultRoom extends ConsultElement {
  static override styles = [hostStyles, reportStyles, reportButtonStyles, roomStyles];
  static override catalogues = [corePart, roomPart, rolesPart];

  static override properties = {
    ...ConsultElement.properties,
    endpoint: {},
    programme: {},
    room: {},
    now: {},
    roomHref: { attribute: 'room-href' },
    reportHref: { attribute: 'report-href' },
    posterHref: { attribute: 'poster-href' },
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    data: { attribute: false },
    rooms: { attribute: false },
    fetch: { attribute: false },
    served: { state: true, attribute: false },
    servedList: { state: true, attribute: false },
    chartReady: { state: true, attribute: false },
    opened: { state: true, attribute: false },
  };

  /** The city server's base URL (with `programme`). */
  declare endpoint: string | undefined;
  /** The programme's id on the server. */
  declare programme: string | undefined;
  /** The room to show; without it (and without `data`) the list of rooms. */
  declare room: string | undefined;
  /** The time to grade by (ISO), sent to the server as `?now=`. */
  declare now: string | undefined;
  /** Template of a room's link in the list (`{room}` is replaced by its encoded id). */
  declare roomHref: string | undefined;
  /** The link to the room's printable report. */
  declare reportHref: string | undefined;
  /** The link to the room's QR-code poster. */
  declare posterHref: string | undefined;
  /** Larger text and targets. */
  declare largeText: boolean;
  /** The room to show, as `GET …/rooms/{room}` answers it; wins over the server. */
  declare data: RoomData | undefined;
  /** The rooms to list, as `GET …/rooms` answers its `rooms`; wins over the server. */
  declare rooms: readonly RoomSummary[] | undefined;
  /** The `fetch` to read the server with (default the page's). */
  declare fetch: typeof globalThis.fetch | undefined;
  declare private served: { key: string; result: Read<RoomData> | undefined } | undefined;
  declare private servedList: { key: string; result: Read<RoomSummary[]> | undefined } | undefined;
  declare private chartReady: boolean;
  /** The room this element opened from its own list (it shows a way back). */
  declare private opened: string | undefined;

  private abort: AbortController | undefined;
  private abortList: AbortController | undefined;
  /** Where focus goes after the next render: the room's heading, or a room's control in the list. */
  private focusNext: { kind: 'heading' } | { kind: 'room'; id: string } | undefined;

  constructor() {
    super();
    this.endpoint = undefined;
    this.programme = undefined;
    this.room = undefined;
    this.now = undefined;
    this.roomHref = undefined;
    this.reportHref = undefined;
    this.posterHref = undefined;
    this.largeText = false;
    this.data = undefined;
    this.rooms = undefined;
    this.fetch = undefined;
    this.served = undefined;
    this.servedList = undefined;
    this.chartReady = false;
    this.opened = undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
    this.abortList?.abort();
    this.abort = this.abortList = undefined;
    this.served = this.servedList = undefined;
  }

  /** Reads the room (or the list) again from the server. */
  refresh(): void {
    this.served = this.servedList = undefined;
    this.requestUpdate();
  }

  // ── Data ──────────────────────────────────────────────────────────────────────────────

  /** The room being shown: the attribute's (or the one opened from the list), else the data's. */
  private get roomId(): string | undefined {
    return this.opened ?? (this.room || undefined) ?? this.data?.room.id;
  }

  private server(): { endpoint: string; programme: string } | undefined {
    return this.endpoint && this.programme ? { endpoint: this.endpoint, programme: this.programme } : undefined;
  }

  /** The room's data to draw, if there is any yet. */
  private roomData(): RoomData | ReadFailure | 'loading' | undefined {
    const id = this.roomId;
    if (this.data && (id === undefined || this.data.room.id === id)) return this.data;
    if (this.server()) {
      const result = this.served?.result;
      if (!result) return 'loading';
      return result.ok ? result.value : result;
    }
    // Given a list only: the room's current grade, without its history.
    const summary = this.rooms?.find((r) => r.id === id);
    if (summary) return { room: summary, grades: summary.grade ? [summary.grade] : [] };
    return { ok: false, reason: 'not-found' };
  }

  private listData(): readonly RoomSummary[] | ReadFailure | 'loading' | undefined {
    if (this.rooms) return this.rooms;
    if (!this.server()) return undefined;
    const result = this.servedList?.result;
    if (!result) return 'loading';
    return result.ok ? result.value : result;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('room') && changed.get('room') !== undefined) this.opened = undefined;
    const server = this.server();
    if (!server) return;
    const id = this.roomId;
    const now = this.now || undefined;
    if (id !== undefined && !(this.data && this.data.room.id === id)) {
      const key = JSON.stringify([server.endpoint, server.programme, id, now ?? '']);
      if (this.served?.key !== key) void this.loadRoom(server, id, now, key);
    }
    // The list: when there is no room, or to come back to after opening one from it.
    if ((id === undefined || this.opened) && !this.rooms) {
      const key = JSON.stringify([server.endpoint, server.programme, now ?? '']);
      if (this.servedList?.key !== key) void this.loadList(server, now, key);
    }
  }

  private async loadRoom(server: { endpoint: string; programme: string }, room: string, now: string | undefined, key: string): Promise<void> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.served = { key, result: undefined };
    const result = await readRoom({ ...server, room, now, fetch: this.fetch, signal: abort.signal });
    if (abort.signal.aborted || this.served?.key !== key) return;
    this.abort = undefined;
    this.served = { key, result };
  }

  private async loadList(server: { endpoint: string; programme: string }, now: string | undefined, key: string): Promise<void> {
    this.abortList?.abort();
    const abort = (this.abortList = new AbortController());
    this.servedList = { key, result: undefined };
    const result = await readRooms({ ...server, now, fetch: this.fetch, signal: abort.signal });
    if (abort.signal.aborted || this.servedList?.key !== key) return;
    this.abortList = undefined;
    this.servedList = { key, result };
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const data = this.roomData();
    const trends = data && typeof data === 'object' && !('ok' in data) ? data.trends : undefined;
    if (!this.chartReady && trends && trends.months.length > 0) {
      void loadTrendChart().then((ok) => {
        if (ok) this.chartReady = true;
      });
    }
    const focus = this.focusNext;
    if (focus) {
      const target =
        focus.kind === 'heading'
          ? this.renderRoot.querySelector<HTMLElement>('#title')
          : this.renderRoot.querySelector<HTMLElement>(`[data-room="${CSS.escape(focus.id)}"] .room-link`);
      if (target) {
        this.focusNext = undefined;
        target.focus();
      }
    }
  }

  // ── Words ─────────────────────────────────────────────────────────────────────────────

  private levelName(level: string): string {
    const key = `staff.level.${level}`;
    return this.hasMessage(key) ? this.t(key) : level;
  }

  private stars(stars: number): string {
    return stars > 0 ? this.t('room.stars', { stars }) : this.t('room.ungraded');
  }

  private person(p: RoomPerson): TemplateResult {
    const title = this.text(p.title);
    return html`<span class="person"><span class="person-name">${p.name}</span>${title ? html`<span class="person-title">${title}</span>` : nothing}</span>`;
  }

  // ── Actions ───────────────────────────────────────────────────────────────────────────

  private roomLink(id: string): string | undefined {
    const template = this.roomHref;
    if (!template || !template.includes('{room}')) return undefined;
    return safeUrl(template.split('{room}').join(encodeURIComponent(id)));
  }

  private onRoom(event: Event, id: string): void {
    const go = this.dispatchEvent(new ConsultRoomSelectEvent({ room: id }));
    if (!go) {
      event.preventDefault();
      return;
    }
    // A link navigates (the portal's route shows the room); a button opens it here.
    if (this.roomLink(id)) return;
    this.opened = id;
    this.focusNext = { kind: 'heading' };
  }

  private back(): void {
    const id = this.opened;
    this.opened = undefined;
    if (id) this.focusNext = { kind: 'room', id };
  }

  // ── Rendering ─────────────────────────────────────────────────────────────────────────

  protected override render(): TemplateResult {
    const id = this.roomId;
    return html`<section class="base" part="base" aria-labelledby="title">${id === undefined ? this.renderList() : this.renderRoom()}</section>`;
  }

  private message(key: MessageKey, role: 'status' | 'alert' = 'status'): TemplateResult {
    return html`<p class="message" part="message" role=${role}>${this.t(key)}</p>`;
  }

  private failure(failure: ReadFailure): TemplateResult {
    if (failure.reason === 'not-found') return this.message('room.notFound');
    return html`<div class="message message--error" part="message" role="alert">
      <p>${this.t(ERROR_KEYS[failure.reason])}</p>
      <button type="button" class="button" part="button" @click=${() => this.refresh()}>${this.t('room.retry')}</button>
    </div>`;
  }

  // The list of rooms

  private renderList(): TemplateResult {
    const list = this.listData();
    return html`<h2 id="title" class="heading" part="heading" tabindex="-1">${this.t('room.listTitle')}</h2>
      <p class="intro">${this.t('room.listIntro')}</p>
      ${list === undefined
        ? this.message('room.noData')
        : list === 'loading'
          ? this.message('room.loadingList')
          : 'ok' in list
            ? this.failure(list)
            : list.length === 0
              ? this.message('room.listEmpty')
              : this.renderRoomsTable(list)}`;
  }

  private renderRoomsTable(rooms: readonly RoomSummary[]): TemplateResult {
    return html`<p id="count" class="count">${this.t('room.listCount', { count: count(rooms.length, this.locale) })}</p>
      <table class="table rooms" part="table" aria-describedby="count">
        <caption class="visually-hidden">${this.t('room.listTable')}</caption>
        <thead>
          <tr>
            <th scope="col">${this.t('room.col.name')}</th>
            <th scope="col">${this.t('room.col.level')}</th>
            <th scope="col">${this.t('room.col.conveners')}</th>
            <th scope="col" class="num">${this.t('room.col.topics')}</th>
            <th scope="col">${this.t('room.col.stars')}</th>
          </tr>
        </thead>
        <tbody>
          ${rooms.map((room) => this.renderRoomRow(room))}
        </tbody>
      </table>`;
  }

  private renderRoomRow(room: RoomSummary): TemplateResult {
    const href = this.roomLink(room.id);
    const name = this.text(room.name, room.id);
    const hidden = html`<span class="visually-hidden">${this.t('room.open')}</span>`;
    const stars = room.grade?.grade.stars ?? 0;
    return html`<tr data-room=${room.id}>
      <th scope="row" data-label=${this.t('room.col.name')}>
        ${href
          ? html`<a class="room-link" part="room-link" href=${href} @click=${(e: Event) => this.onRoom(e, room.id)}>${name}${hidden}</a>`
          : html`<button type="button" class="room-link link-button" part="room-link" @click=${(e: Event) => this.onRoom(e, room.id)}>${name}${hidden}</button>`}
      </th>
      <td data-label=${this.t('room.col.level')}>${this.levelName(room.level)}</td>
      <td data-label=${this.t('room.col.conveners')}>
        <ul class="plain-list">
          ${room.conveners.map((p) => html`<li>${p.name}</li>`)}
        </ul>
      </td>
      <td class="num" data-label=${this.t('room.col.topics')}>${count(room.topics ?? 0, this.locale)}</td>
      <td data-label=${this.t('room.col.stars')}>
        <consult-star-rating readonly .average=${stars} .scale=${5} label=${this.stars(stars)}></consult-star-rating>
      </td>
    </tr>`;
  }

  // One room

  private renderRoom(): TemplateResult {
    const data = this.roomData();
    const back = this.opened
      ? html`<p class="back"><button type="button" class="button button--link" part="button" id="back" @click=${() => this.back()}>← ${this.t('room.back')}</button></p>`
      : nothing;
    if (data === undefined || data === 'loading') return html`${back}<h2 id="title" class="heading" part="heading" tabindex="-1">${this.t('room.loading')}</h2>`;
    if ('ok' in data) return html`${back}<h2 id="title" class="heading" part="heading" tabindex="-1">${this.t('room.listTitle')}</h2>${this.failure(data)}`;
    const { room, grades } = data;
    const current = room.grade ?? grades.at(-1);
    return html`${back}
      <h2 id="title" class="heading" part="heading" tabindex="-1">${this.text(room.name, room.id)}</h2>
      ${this.renderFacts(room)} ${this.renderLinks()} ${current ? this.renderGrade(current) : nothing} ${this.renderHistory(grades)}
      ${this.renderTrends(data.trends)}`;
  }

  private renderFacts(room: RoomSummary): TemplateResult {
    const [first, second, ...more] = room.conveners;
    const raise = this.text(room.raise);
    return html`<dl class="facts" part="facts">
        <div><dt>${this.t('room.level')}</dt><dd>${this.levelName(room.level)}</dd></div>
        <div><dt>${this.t('room.place')}</dt><dd>${this.text(room.place)}</dd></div>
        ${raise ? html`<div class="wide"><dt>${this.t('room.raise')}</dt><dd>${raise}</dd></div>` : nothing}
      </dl>
      <h3 class="subheading">${this.t('room.people')}</h3>
      <dl class="facts people" part="people">
        ${first ? html`<div><dt>${this.t('room.convener1')}</dt><dd>${this.person(first)}</dd></div>` : nothing}
        ${second ? html`<div><dt>${this.t('room.convener2')}</dt><dd>${this.person(second)}</dd></div>` : nothing}
        ${more.length ? html`<div><dt>${this.t('room.conveners')}</dt><dd><ul class="plain-list">${more.map((p) => html`<li>${this.person(p)}</li>`)}</ul></dd></div>` : nothing}
        <div class="wide">
          <dt>${this.t('room.members')}</dt>
          <dd>
            ${room.members.length
              ? html`<ul class="plain-list members">
                  ${room.members.map((p) => html`<li>${this.person(p)}</li>`)}
                </ul>`
              : this.t('room.noMembers')}
          </dd>
        </div>
      </dl>`;
  }

  private renderLinks(): TemplateResult | typeof nothing {
    const report = safeUrl(this.reportHref);
    const poster = safeUrl(this.posterHref);
    if (!report && !poster) return nothing;
    return html`<ul class="links" part="links">
      ${report ? html`<li><a id="report" href=${report}>${this.t('room.report')}</a></li>` : nothing}
      ${poster ? html`<li><a id="poster" href=${poster}>${this.t('room.poster')}</a></li>` : nothing}
    </ul>`;
  }

  private renderGrade(record: RoomGradeRecord): TemplateResult {
    const period = periodName(record.period, this.locale, (k, p) => this.t(k, p));
    const stars = record.grade.stars;
    return html`<section class="grade" part="grade" aria-labelledby="grade-title">
      <h3 id="grade-title" class="subheading">${this.t('room.gradeTitle', { period })}</h3>
      <div class="grade-line">
        <consult-star-rating readonly .average=${stars} .scale=${5} label=${this.stars(stars)}></consult-star-rating>
        <p class="status ${record.final ? 'status--final' : 'status--open'}">${record.final ? this.t('room.final') : this.t('room.inProgress')}</p>
      </div>
      ${record.grade.criteria.length ? this.renderCriteria(record.grade.criteria, period) : nothing}
    </section>`;
  }

  private renderCriteria(criteria: readonly CriterionGrade[], period: string): TemplateResult {
    const t = (k: MessageKey, p?: Readonly<Record<string, string | number>>) => this.t(k, p);
    return html`<h4 class="minorheading">${this.t('room.figuresTitle')}</h4>
      <div class="table-wrap" part="figures">
        <table class="table figures" part="table">
          <caption class="visually-hidden">${this.t('room.figuresTable', { period })}</caption>
          <thead>
            <tr>
              <th scope="col">${this.t('room.col.criterion')}</th>
              <th scope="col" class="num">${this.t('room.col.value')}</th>
              <th scope="col">${this.t('room.col.earned')}</th>
              <th scope="col" class="num">${this.t('room.col.next')}</th>
              <th scope="col">${this.t('room.col.thresholds')}</th>
            </tr>
          </thead>
          <tbody>
            ${criteria.map(
              (c) => html`<tr data-figure=${c.figure}>
                <th scope="row" data-label=${this.t('room.col.criterion')}>${criterionName(c, this.locale, t)}</th>
                <td class="num" data-label=${this.t('room.col.value')}>${c.value === null ? this.t('room.noValue') : figureValue(c.figure, c.value, this.locale)}</td>
                <td data-label=${this.t('room.col.earned')}><span class="earned"><span class="star-glyphs" aria-hidden="true">${'★'.repeat(c.stars)}${'☆'.repeat(Math.max(0, 5 - c.stars))}</span> ${this.t('room.earned', { stars: c.stars })}</span></td>
                <td class="num" data-label=${this.t('room.col.next')}>${c.next === null ? this.t('room.top') : figureValue(c.figure, c.next, this.locale)}</td>
                <td data-label=${this.t('room.col.thresholds')}>
                  <ol class="thresholds">
                    ${c.thresholds.map(
                      (v, i) =>
                        html`<li class=${i < c.stars ? 'reached' : ''}>${this.t('room.thresholdsLabel', { stars: i + 1, value: figureValue(c.figure, v, this.locale) })}</li>`,
                    )}
                  </ol>
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <h4 class="minorheading">${this.t('room.plainTitle')}</h4>
      <ul class="plain" part="plain">
        ${criteria.map((c) => html`<li data-figure=${c.figure}>${criterionSentence(c, this.locale, t)}</li>`)}
      </ul>`;
  }

  private renderHistory(grades: readonly RoomGradeRecord[]): TemplateResult {
    const newest = [...grades].reverse();
    return html`<section class="history" part="history" aria-labelledby="history-title">
      <h3 id="history-title" class="subheading">${this.t('room.historyTitle')}</h3>
      ${newest.length === 0
        ? html`<p class="message" part="message">${this.t('room.historyEmpty')}</p>`
        : html`<table class="table history-table" part="table">
            <caption class="visually-hidden">${this.t('room.historyTable')}</caption>
            <thead>
              <tr>
                <th scope="col">${this.t('room.col.period')}</th>
                <th scope="col">${this.t('room.col.grade')}</th>
                <th scope="col">${this.t('room.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              ${newest.map(
                (r) => html`<tr data-period=${r.period.key}>
                  <th scope="row" data-label=${this.t('room.col.period')}>${periodName(r.period, this.locale, (k, p) => this.t(k, p))}</th>
                  <td data-label=${this.t('room.col.grade')}><span class="star-glyphs" aria-hidden="true">${'★'.repeat(r.grade.stars)}${'☆'.repeat(Math.max(0, 5 - r.grade.stars))}</span> ${this.stars(r.grade.stars)}</td>
                  <td data-label=${this.t('room.col.status')}>${r.final ? this.t('room.final') : this.t('room.inProgressShort')}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}
    </section>`;
  }

  /** The trend chart, once its module has loaded (a page without it works the same, with its tables). */
  private renderTrends(trends: Trends | undefined): TemplateResult | typeof nothing {
    if (!trends || trends.months.length === 0 || !this.chartReady) return nothing;
    return html`<section class="trends" part="trends" aria-labelledby="trends-title">
      <h3 id="trends-title" class="subheading">${this.t('room.trendsTitle')}</h3>
      <consult-trend-chart .trends=${trends}></consult-trend-chart>
    </section>`;
  }
}
