import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { WorkflowConfig } from '@consult-kit/machine/core';
import { noticesClient, topicIndexClient, type ConsultStore, type NoticeFailure, type NoticeResult, type OverdueItem, type OverduePage, type OverdueQuery } from '@consult-kit/store';
import { ConsultElement } from '../base/consult-element.js';
import { dueWords } from '../base/due.js';
import { icon, tickIcon, warningIcon } from '../base/icons.js';
import { topicLink } from '../base/safe-url.js';
import { StoreController } from '../controllers/store-controller.js';
import { ConsultTopicSelectEvent } from '../events/topic-select-event.js';
import type { MessageKey } from '../i18n/messages.js';
import { corePart, duePart, overduePart } from '../i18n/parts.js';
import { inputStyles } from '../styles/form-controls.js';
import { reportButtonStyles, reportStyles } from '../styles/report.js';
import { hostStyles } from '../styles/tokens.js';
import { overdueListStyles } from './overdue-list.styles.js';

/** What the list uses of a store: `overdue()` with the store's staff token, and the config for party names. */
export type OverdueListStore = Pick<ConsultStore, 'subscribe' | 'overdue'> & Partial<Pick<ConsultStore, 'config'>>;

/** A staff token: a string, or a function the portal's own sign-in answers before each request. */
export type OverdueListToken = string | (() => string | undefined | Promise<string | undefined>);

/** Measures per page asked of the server. */
const PAGE_SIZE = 50;

type Failure = NoticeFailure['reason'];

/** The failures that say nothing more than "try again", each in words. */
const ERROR_KEYS: Partial<Record<Failure, MessageKey>> = {
  offline: 'overdue.error.offline',
  unreachable: 'overdue.error.unreachable',
  unavailable: 'overdue.error.unavailable',
  'rate-limited': 'overdue.error.rate-limited',
  invalid: 'overdue.error.unavailable',
  'not-found': 'overdue.error.unavailable',
};

/**
 * @tag consult-overdue-list
 * @summary The supervisor's list (督办): every measure past its due date and still open, across
 * the programme, from the city server's own index and clock (`GET {endpoint}/programmes/{programme}/overdue`)
 * — topic title, measure, responsible party (责任单位), due date (办理期限) and "overdue by N days"
 * (已超期 N 天), most overdue first, counted at the server's time (`asOf`, shown), never the
 * device's. Filter by responsible party (sent to the server); each topic opens with the same
 * `consult-topic-select` event the other elements fire (or a `topic-href` link). A table with
 * column headers on a desktop, a list of cards on a phone (under 36 em wide).
 *
 * It needs a staff token (convener, department, supervisor or admin; a department token sees its
 * own parties only): give `token` (what `<consult-sign-in>` answers), or a `store` opened with the
 * http transport and its token; inside `<consult-workflow>` it uses the workflow's store. Without
 * a token it says to sign in; a token the server refuses is told apart from one it does not take.
 * Loading, empty ("Nothing is overdue / 没有超期事项"), offline and error states are in words.
 *
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 * @attr endpoint - The city server's base URL (e.g. `/api`), with `programme`.
 * @attr programme - The programme's id on that server.
 * @attr filter-party - Show one responsible party (its id in the config, or its text).
 * @attr topic-href - Template of the link to a topic, e.g. `#/topic/{topicId}` (checked by `safeUrl`); without it each topic is a button.
 * @attr large-text - Larger text and targets.
 *
 * @event consult-topic-select - A person chose a measure's topic. `detail`: `{ topicId, measureId }`. Cancelable: `preventDefault()` keeps a `topic-href` link from navigating.
 * @event change - A person changed the party filter (`filterParty` holds it). Never fired for programmatic changes.
 *
 * @csspart base - The wrapper of everything.
 * @csspart heading - The title.
 * @csspart as-of - The line saying the server's time the list was counted at.
 * @csspart filters - The party filter.
 * @csspart count - The live "N overdue measures" message.
 * @csspart table - The table (wide screens).
 * @csspart list - The list of cards (phones).
 * @csspart row - One measure (a table row or a card).
 * @csspart overdue - The "overdue by N days" mark (icon and text).
 * @csspart topic-link - The link (or button) to the topic.
 * @csspart empty - The "nothing is overdue" message.
 * @csspart message - The loading, signed-out and error messages.
 * @csspart button - Every button.
 *
 * @cssproperty --overdue-color - Colour of the overdue mark (default the error colour).
 * @cssproperty --consult-color-primary - Colour of links (global token).
 * @cssproperty --consult-font-scale - Text size factor; `large-text` sets `--consult-font-scale-large` (global token).
 */
export class ConsultOverdueList extends ConsultElement {
  static override styles = [hostStyles, reportStyles, inputStyles, reportButtonStyles, overdueListStyles];
  static override catalogues = [corePart, overduePart, duePart];

  static override properties = {
    ...ConsultElement.properties,
    endpoint: {},
    programme: {},
    token: { attribute: false },
    store: { attribute: false },
    config: { attribute: false },
    filterParty: { attribute: 'filter-party' },
    topicHref: { attribute: 'topic-href' },
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    result: { state: true, attribute: false },
    items: { state: true, attribute: false },
    loadingMore: { state: true, attribute: false },
    loading: { state: true, attribute: false },
    serverParties: { state: true, attribute: false },
  };

  /** The city server's base URL (with `programme`); not needed when a store is given. */
  declare endpoint: string | undefined;
  /** The programme's id on the server. */
  declare programme: string | undefined;
  /** The staff bearer token (or a function that answers it); without one (and no store), the list asks to sign in. */
  declare token: OverdueListToken | undefined;
  /** A store to ask instead (`store.overdue()`, with its transport's token); defaults to `<consult-workflow>`'s. */
  declare store: OverdueListStore | undefined;
  /** The programme's config, for the parties of the filter; defaults to the store's. */
  declare config: WorkflowConfig | undefined;
  /** Show one responsible party; empty for all. */
  declare filterParty: string;
  /** Template of the link to a topic, e.g. `#/topic/{topicId}`; without it each topic is a button. */
  declare topicHref: string | undefined;
  /** Larger text and targets. */
  declare largeText: boolean;
  /** The last page's answer (undefined while the first page loads). */
  declare private result: NoticeResult<OverduePage> | undefined;
  /** Every item loaded so far (pages appended by "show more"). */
  declare private items: readonly OverdueItem[];
  declare private loadingMore: boolean;
  /** A new first page is being read (the filter changed, refresh): what is shown stays until it comes. */
  declare private loading: boolean;
  /** The programme's parties from the server's config (endpoint mode without `config`). */
  declare private serverParties: ReadonlyArray<{ id: string; label: { 'zh-CN': string; en: string } }>;
  private partiesFor = '';

  private readonly stores = new StoreController<OverdueListStore>(this as never, () => this.store);
  /** The query of the list shown (to load again only when it changes). */
  private loadedKey = '';
  private request = 0;
  /** Parties seen in any answer, so filtering by one keeps the others to choose from. */
  private readonly seenParties = new Map<string, OverdueItem['partyLabel'] | undefined>();

  constructor() {
    super();
    this.endpoint = undefined;
    this.programme = undefined;
    this.token = undefined;
    this.store = undefined;
    this.config = undefined;
    this.filterParty = '';
    this.topicHref = undefined;
    this.largeText = false;
    this.result = undefined;
    this.items = [];
    this.loadingMore = false;
    this.loading = false;
    this.serverParties = [];
  }

  /** Reads the list again from the first page (e.g. after the person signed in, or on a timer). */
  refresh(): Promise<void> {
    this.loadedKey = '';
    return this.load(false);
  }

  // ── Data ──────────────────────────────────────────────────────────────────────────────

  /** Where the list comes from: the given endpoint (with the token), else a store's `overdue()`. */
  private source(): ((query: OverdueQuery) => Promise<NoticeResult<OverduePage>>) | 'signed-out' | undefined {
    if (this.endpoint && this.programme) {
      if (this.token === undefined || this.token === '') return 'signed-out';
      const client = noticesClient({ endpoint: this.endpoint, programmeId: this.programme, token: this.token });
      return (query) => client.overdue(query);
    }
    const store = this.stores.store;
    if (store?.overdue) return (query) => store.overdue(query);
    return undefined;
  }

  private key(): string {
    const store = this.stores.store;
    // Whether there is a token, not the token itself (a new one is seen in willUpdate).
    return JSON.stringify([this.endpoint ?? '', this.programme ?? '', this.token !== undefined && this.token !== '', Boolean(store), this.filterParty]);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const programme = this.endpoint && this.programme && !this.config ? `${this.endpoint}|${this.programme}` : '';
    if (programme && programme !== this.partiesFor) {
      this.partiesFor = programme;
      void this.loadParties(this.endpoint!, this.programme!);
    }
    const key = this.key();
    // A new token (signed in again, as someone else) reads the list again, even as the same kind of value.
    if (key !== this.loadedKey || (changed.has('token') && this.token !== undefined)) {
      this.loadedKey = key;
      void this.load(false);
    }
  }

  private async load(more: boolean): Promise<void> {
    const source = this.source();
    const request = (this.request += 1);
    if (source === undefined || source === 'signed-out') {
      this.result = source === 'signed-out' ? { ok: false, reason: 'signed-out' } : undefined;
      this.items = [];
      return;
    }
    const cursor = more && this.result?.ok ? this.result.value.cursor : '';
    if (more) this.loadingMore = true;
    else if (this.result?.ok) this.loading = true;
    else this.result = undefined;
    let result: NoticeResult<OverduePage>;
    try {
      result = await source({ limit: PAGE_SIZE, ...(this.filterParty ? { party: this.filterParty } : {}), ...(cursor ? { cursor } : {}) });
    } catch (error) {
      result = { ok: false, reason: 'unavailable', detail: error instanceof Error ? error.message : String(error) };
    }
    if (request !== this.request) return;
    this.loadingMore = false;
    this.loading = false;
    if (result.ok) {
      for (const item of result.value.items) if (!this.seenParties.has(item.party) || item.partyLabel) this.seenParties.set(item.party, item.partyLabel);
      this.items = more ? [...this.items, ...result.value.items] : result.value.items;
      this.result = result;
    } else if (!more) {
      this.items = [];
      this.result = result;
    } else {
      // A failed "show more" keeps what is shown and says why beside the button.
      this.result = this.result?.ok ? { ...this.result } : result;
      this.moreError = result.reason;
    }
    if (result.ok) this.moreError = undefined;
  }

  private moreError: Failure | undefined;

  /** The parties of the filter from the programme's config as the server serves it (public, no personal data). */
  private async loadParties(endpoint: string, programme: string): Promise<void> {
    const result = await topicIndexClient({ endpoint, programmeId: programme }).config();
    if (!result.ok) return;
    // The raw config lists its steps (`steps: [{ type: 'handling', parties }]`).
    const steps = (result.value as { steps?: unknown }).steps;
    const handling = Array.isArray(steps) ? (steps as Array<{ type?: unknown; parties?: unknown }>).find((st) => st?.type === 'handling') : undefined;
    const parties = handling?.parties;
    if (!Array.isArray(parties)) return;
    this.serverParties = parties.flatMap((p: unknown) => {
      const party = p as { id?: unknown; label?: { 'zh-CN'?: unknown; en?: unknown } };
      const zh = party.label?.['zh-CN'];
      const en = party.label?.en;
      return typeof party.id === 'string' && typeof zh === 'string' && typeof en === 'string' ? [{ id: party.id, label: { 'zh-CN': zh, en } }] : [];
    });
  }

  /** Most overdue first (the server's order; kept across pages), then the earliest due. */
  private sorted(): OverdueItem[] {
    return [...this.items].sort((a, b) => b.overdueDays - a.overdueDays || (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  }

  // ── Words ─────────────────────────────────────────────────────────────────────────────

  private get activeConfig(): WorkflowConfig | undefined {
    return this.config ?? this.stores.store?.config;
  }

  private partyName(party: string, label?: OverdueItem['partyLabel']): string {
    const configured = (this.activeConfig?.step.handling.parties ?? this.serverParties).find((p) => p.id === party)?.label;
    return (label ?? configured)?.[this.locale] || party;
  }

  /** The parties of the filter: the config's in its order, then any other seen in an answer. */
  private parties(): Array<[string, string]> {
    const list: Array<[string, string]> = (this.activeConfig?.step.handling.parties ?? this.serverParties).map((p) => [p.id, this.text(p.label, p.id)]);
    for (const [id, label] of this.seenParties) if (!list.some(([known]) => known === id)) list.push([id, this.partyName(id, label)]);
    if (this.filterParty && !list.some(([id]) => id === this.filterParty)) list.push([this.filterParty, this.partyName(this.filterParty)]);
    return list;
  }

  private fmt = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
  private number(n: number): string {
    const key = `n:${this.locale}`;
    let f = this.fmt.get(key) as Intl.NumberFormat | undefined;
    if (!f) this.fmt.set(key, (f = new Intl.NumberFormat(this.locale)));
    return f.format(n);
  }

  private date(iso: string, withTime = false): string {
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
    const ms = Date.parse(dateOnly ? `${iso}T12:00:00Z` : iso);
    if (!Number.isFinite(ms)) return iso;
    const key = `d:${this.locale}:${dateOnly}:${withTime}`;
    let f = this.fmt.get(key) as Intl.DateTimeFormat | undefined;
    if (!f) {
      const options: Intl.DateTimeFormatOptions = withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium', ...(dateOnly ? { timeZone: 'UTC' } : {}) };
      this.fmt.set(key, (f = new Intl.DateTimeFormat(this.locale, options)));
    }
    return f.format(ms);
  }

  private late(item: OverdueItem): string {
    return dueWords((key, params) => this.t(key, params), { kind: 'overdue', days: Math.max(1, item.overdueDays) }, (n) => this.number(n));
  }

  private statusText(status: string): string {
    return status === 'proposed' || status === 'adopted' || status === 'inProgress' ? this.t(`overdue.status.${status}`) : status;
  }

  // ── Actions ───────────────────────────────────────────────────────────────────────────

  private href(topicId: string): string | undefined {
    return topicLink(this.topicHref, topicId);
  }

  private onTopic(event: Event, item: OverdueItem): void {
    const go = this.dispatchEvent(new ConsultTopicSelectEvent({ topicId: item.topicId, measureId: item.measureId }));
    if (!go) event.preventDefault();
  }

  private onParty(event: Event): void {
    this.filterParty = (event.target as HTMLSelectElement).value;
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }

  private async showMore(): Promise<void> {
    const before = this.items.length;
    await this.load(true);
    await this.updateComplete;
    // Keyboard users land on the first new measure, not back at the top.
    const wrap = this.renderRoot.querySelector<HTMLElement>('.table-wrap');
    const wide = wrap !== null && getComputedStyle(wrap).display !== 'none';
    const rows = this.renderRoot.querySelectorAll<HTMLElement>(wide ? 'tbody tr' : '.card');
    const first = rows[before]?.querySelector<HTMLElement>('.topic-link');
    first?.focus();
  }

  // ── Rendering ─────────────────────────────────────────────────────────────────────────

  protected override render(): TemplateResult {
    const result = this.result;
    return html`<section class="base" part="base" aria-labelledby="title">
      <h2 id="title" class="heading" part="heading">${this.t('overdue.title')}</h2>
      <p class="intro">${this.t('overdue.intro')}</p>
      ${result === undefined && this.source() === undefined ? this.renderMessage('overdue.signedOut') : nothing}
      ${result === undefined && this.source() !== undefined
        ? html`<p class="message" part="message" role="status">${this.t('overdue.loading')}</p>`
        : nothing}
      ${result && !result.ok ? this.renderFailure(result) : nothing}
      ${result?.ok ? this.renderList(result.value) : nothing}
    </section>`;
  }

  private renderMessage(key: MessageKey): TemplateResult {
    return html`<p class="message" part="message" role="status">${this.t(key)}</p>`;
  }

  private renderFailure(failure: NoticeFailure): TemplateResult {
    if (failure.reason === 'signed-out') return this.renderMessage('overdue.signedOut');
    if (failure.reason === 'forbidden') return this.renderMessage('overdue.forbidden');
    if (failure.reason === 'local') return this.renderMessage('overdue.local');
    return html`<div class="message message--error" part="message" role="alert">
      <p>${this.t(ERROR_KEYS[failure.reason] ?? 'overdue.error.unavailable')}</p>
      <button type="button" class="button" part="button" @click=${() => void this.refresh()}>${this.t('overdue.retry')}</button>
    </div>`;
  }

  private renderList(page: OverduePage): TemplateResult {
    const items = this.sorted();
    const party = this.filterParty ? this.partyName(this.filterParty, this.seenParties.get(this.filterParty)) : '';
    const total = this.number(page.total);
    return html`<p class="as-of" part="as-of"><time datetime=${page.asOf}>${this.t('overdue.asOf', { time: this.date(page.asOf, true) })}</time></p>
      ${this.renderFilters()}
      <p id="count" class="count" part="count" role="status">
        ${this.loading ? this.t('overdue.loading') : items.length === 0 ? '' : party ? this.t('overdue.countFiltered', { count: total, party }) : this.t('overdue.count', { count: total })}
      </p>
      ${items.length === 0
        ? html`<div class="empty" part="empty">
            <p class="empty-title">${icon(tickIcon)}<span>${this.t('overdue.empty')}</span></p>
            <p>${party ? this.t('overdue.emptyParty', { party }) : this.t('overdue.emptyHint')}</p>
          </div>`
        : html`${this.renderTable(items)}${this.renderCards(items)}`}
      <div class="actions">
        ${page.more
          ? html`<button type="button" class="button" part="button" id="more" aria-disabled=${this.loadingMore ? 'true' : 'false'} @click=${() => (this.loadingMore ? undefined : void this.showMore())}>
              ${this.loadingMore ? this.t('overdue.loadingMore') : this.t('overdue.more')}
            </button>`
          : nothing}
        <button type="button" class="button button--link" part="button" id="refresh" @click=${() => void this.refresh()}>${this.t('overdue.refresh')}</button>
      </div>
      ${this.moreError ? html`<p class="message message--error" role="alert">${this.t(ERROR_KEYS[this.moreError] ?? 'overdue.error.unavailable')}</p>` : nothing}`;
  }

  private renderFilters(): TemplateResult {
    const parties = this.parties();
    return html`<form class="filters" part="filters" role="search" aria-label=${this.t('overdue.filter.party')} @submit=${(e: Event) => e.preventDefault()}>
      <div class="control">
        <label class="label" for="party">${this.t('overdue.filter.party')}</label>
        <select id="party" name="party" class="input" @change=${this.onParty}>
          <option value="" ?selected=${this.filterParty === ''}>${this.t('overdue.filter.all')}</option>
          ${parties.map(([id, label]) => html`<option value=${id} ?selected=${this.filterParty === id}>${label}</option>`)}
        </select>
      </div>
    </form>`;
  }

  private topicControl(item: OverdueItem): TemplateResult {
    const href = this.href(item.topicId);
    const title = item.title || item.topicId;
    const hidden = html`<span class="visually-hidden">${this.t('overdue.openTopic')}</span>`;
    return href
      ? html`<a class="topic-link" part="topic-link" href=${href} @click=${(e: Event) => this.onTopic(e, item)}>${title}${hidden}</a>`
      : html`<button type="button" class="topic-link topic-button" part="topic-link" @click=${(e: Event) => this.onTopic(e, item)}>${title}${hidden}</button>`;
  }

  private lateMark(item: OverdueItem): TemplateResult {
    return html`<span class="overdue" part="overdue">${icon(warningIcon)}<span>${this.late(item)}</span></span>`;
  }

  /** Wide screens: a table whose headers name each column (the container query hides it on phones). */
  private renderTable(items: readonly OverdueItem[]): TemplateResult {
    return html`<div class="table-wrap">
      <table class="table" part="table" aria-describedby="count">
        <caption class="visually-hidden">${this.t('overdue.table')}</caption>
        <thead>
          <tr>
            <th scope="col">${this.t('overdue.col.late')}</th>
            <th scope="col">${this.t('overdue.col.topic')}</th>
            <th scope="col">${this.t('overdue.col.measure')}</th>
            <th scope="col">${this.t('overdue.col.party')}</th>
            <th scope="col">${this.t('overdue.col.due')}</th>
            <th scope="col">${this.t('overdue.col.status')}</th>
          </tr>
        </thead>
        <tbody>
          ${items.map(
            (item) => html`<tr part="row" data-topic=${item.topicId} data-measure=${item.measureId}>
              <td>${this.lateMark(item)}</td>
              <th scope="row">${this.topicControl(item)}</th>
              <td class="measure">${item.measure}</td>
              <td>${this.partyName(item.party, item.partyLabel)}</td>
              <td><time datetime=${item.due}>${this.date(item.due)}</time></td>
              <td>${this.statusText(item.status)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  /** Phones: a list of cards, each with its facts named. */
  private renderCards(items: readonly OverdueItem[]): TemplateResult {
    return html`<ul class="cards" part="list" aria-label=${this.t('overdue.table')} aria-describedby="count">
      ${items.map(
        (item) => html`<li class="card" part="row" data-topic=${item.topicId} data-measure=${item.measureId}>
          <p>${this.lateMark(item)}</p>
          <p class="card-topic">${this.topicControl(item)}</p>
          <p class="measure">${item.measure}</p>
          <dl class="facts">
            <div><dt>${this.t('overdue.col.party')}</dt><dd>${this.partyName(item.party, item.partyLabel)}</dd></div>
            <div><dt>${this.t('overdue.col.due')}</dt><dd><time datetime=${item.due}>${this.date(item.due)}</time></dd></div>
            <div><dt>${this.t('overdue.col.status')}</dt><dd>${this.statusText(item.status)}</dd></div>
          </dl>
        </li>`,
      )}
    </ul>`;
  }
}
