import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import {
  LEVEL_RANK,
  STATE_LABELS,
  stateLabel,
  toMillis,
  type Level,
  type LogEntry,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine/core';
import {
  TOPIC_STATUSES,
  type ConsultStore,
  topicIndexClient,
  type ReadFailure,
  type TopicIndexPage,
  type TopicIndexQuery,
  type TopicSummary,
  type TopicSummaryMeasure,
} from '@consult-kit/store';
import { ConsultElement } from '../base/consult-element.js';
import { loadConfig } from '../base/config-source.js';
import { icon, warningIcon } from '../base/icons.js';
import { memo } from '../base/memo.js';
import { topicLink } from '../base/safe-url.js';
import { StoreController } from '../controllers/store-controller.js';
import { ConsultTopicSelectEvent } from '../events/topic-select-event.js';
import type { MessageKey } from '../i18n/messages.js';
import { boardPart, corePart, trackerPart } from '../i18n/parts.js';
import '../star-rating/consult-star-rating.js';
import { inputStyles } from '../styles/form-controls.js';
import { reportButtonStyles, reportStyles } from '../styles/report.js';
import { hostStyles } from '../styles/tokens.js';
import { outcomesBoardStyles } from './outcomes-board.styles.js';
import { serverOfStore } from './server-source.js';
import { firstSeqs, lastSeqs, pageOfSummaries, summarizeTopics } from './topic-summary.js';

/** What the board reads of a store: `<consult-workflow>`'s, through context. */
type BoardStore = Pick<ConsultStore, 'config' | 'topics' | 'subscribe'> & Partial<Pick<ConsultStore, 'programmeId' | 'log'>>;

/** Where the topics come from: the server's index, or summaries built here from topic snapshots. */
type Source =
  | { kind: 'server'; endpoint: string; programmeId: string; config: WorkflowConfig | undefined }
  | { kind: 'local'; topics: Iterable<TopicSnapshot> | ReadonlyMap<string, TopicSnapshot>; log: readonly LogEntry[] | undefined; config: WorkflowConfig | undefined }
  | { kind: 'none'; config: WorkflowConfig | undefined };

/** A page the server answered, kept in memory to show again while it cannot be reached. */
interface Seen {
  page: TopicIndexPage;
  receivedAt: string;
}

const DEFAULT_PAGE_SIZE = 10;
const LEVELS = Object.keys(LEVEL_RANK) as Level[];
const MEASURE_STATUSES = new Set(['proposed', 'adopted', 'declined', 'inProgress', 'implemented']);
const SOURCES = new Set(['resident', 'member', 'government', 'grid', 'open311']);

/**
 * @tag consult-outcomes-board
 * @summary The public outcomes board (协商成果公开): every topic with its status, the screening
 * decision and its reason, the consultation meeting, the measures agreed with their responsible
 * parties (责任单位), due dates, overdue marks and results, the feedback to residents and their
 * satisfaction (满意度). Anyone can read it without signing in: it holds no personal data. Filters
 * (status, level, category, consultation room, overdue), a text search, and pages with "previous / next" and the
 * total. A city embeds it on its "results" page.
 *
 * Data, first found wins: the `topics` property (topic snapshots, summarised here); the
 * `endpoint` and `programme` attributes (the city server's topic index,
 * `GET {endpoint}/programmes/{programme}/topics`, paged by its keyset cursor); inside
 * `<consult-workflow>` the workflow's store — its server's index when the workflow sends to a
 * city backend (its `endpoint`, or the config's `transport: http`), else the topics held on this device (the local transport),
 * summarised the same way the server does. When the server cannot be reached it says so and
 * shows the last page seen (kept in memory for this page's life, not stored).
 *
 * @attr endpoint - Base URL of the city's backend, e.g. `/api` (with `programme`).
 * @attr programme - The programme's id on that backend.
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 * @attr page-size - Topics per page (default 10).
 * @attr filter-status - Show one status: `screening`, `research`, `meeting`, `handling`, `evaluation`, `closed`, `rejected`, `merged`, `redirected`, `withdrawn`, `unresolved`.
 * @attr filter-level - Show one level (`community`, `street`…).
 * @attr filter-category - Show one category (a value of the intake form's `category` field).
 * @attr room - Show one consultation room's topics (`rooms.list[].id`); with rooms in the config, a "Consultation room" picker sets it.
 * @attr overdue-only - Show only topics with a measure past its due date.
 * @attr search - Text to search for in titles and descriptions.
 * @attr topic-href - Template of the link to a topic's timeline, e.g. `#/topic/{topicId}` (checked by `safeUrl`).
 * @attr now - The time to judge "overdue" by for topics summarised here (ISO 8601); defaults to when they were read.
 * @attr large-text - Larger text and targets for older residents.
 *
 * @event change - A person changed a filter, searched or turned a page (the element's `filterStatus`, `filterLevel`, `filterCategory`, `room`, `overdueOnly` and `search` hold the new values). Never fired for programmatic changes.
 * @event consult-topic-select - A person chose to see a topic's steps. `detail`: `{ topicId }`. Cancelable: `preventDefault()` keeps a `topic-href` link from navigating.
 * @event consult-error - Showing the board failed. `detail`: `{ code, message, error }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart heading - The title.
 * @csspart filters - The search box and the filters.
 * @csspart notice - The offline / unreachable message (with "Try again").
 * @csspart count - The live "topics 1–10 of 34" message.
 * @csspart list - The list of topics.
 * @csspart topic - One topic.
 * @csspart status - A topic's status.
 * @csspart measure - One measure.
 * @csspart feedback - A topic's feedback to residents.
 * @csspart pager - The previous / next buttons.
 * @csspart empty - The message shown when there is nothing to list.
 *
 * @cssproperty --overdue-color - Colour of the overdue marks (default the error colour).
 * @cssproperty --topic-gap - Space between topics (default 1 × `--consult-font-size`).
 * @cssproperty --consult-color-primary - Colour of links and buttons (global token).
 * @cssproperty --consult-font-scale - Text size factor; `large-text` sets `--consult-font-scale-large` (global token).
 */
export class ConsultOutcomesBoard extends ConsultElement {
  static override styles = [hostStyles, reportStyles, inputStyles, reportButtonStyles, outcomesBoardStyles];
  static override catalogues = [corePart, boardPart, trackerPart];

  static override properties = {
    ...ConsultElement.properties,
    endpoint: {},
    programme: {},
    topics: { attribute: false },
    config: { attribute: false },
    fetch: { attribute: false },
    now: {},
    pageSize: { type: Number, attribute: 'page-size' },
    filterStatus: { attribute: 'filter-status' },
    filterLevel: { attribute: 'filter-level' },
    filterCategory: { attribute: 'filter-category' },
    room: {},
    overdueOnly: { type: Boolean, attribute: 'overdue-only' },
    search: {},
    topicHref: { attribute: 'topic-href' },
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    cursors: { state: true, attribute: false },
    answer: { state: true, attribute: false },
    loading: { state: true, attribute: false },
    fetchedConfig: { state: true, attribute: false },
  };

  /** Base URL of the city's backend (with `programme`): the board reads its topic index. */
  declare endpoint: string | undefined;
  /** The programme's id on the backend. */
  declare programme: string | undefined;
  /** Topic snapshots to summarise here (wins over `endpoint` and the workflow's store). */
  declare topics: Iterable<TopicSnapshot> | ReadonlyMap<string, TopicSnapshot> | undefined;
  /** The programme's config, for labels (levels, categories, parties, formats, stages); defaults to the topics', the store's or the server's. */
  declare config: WorkflowConfig | undefined;
  /** The `fetch` to read the server with (default the page's). */
  declare fetch: typeof globalThis.fetch | undefined;
  /** The time to judge "overdue" by for topics summarised here (ISO, or epoch ms); the server judges its own. */
  declare now: string | number | undefined;
  /** Topics per page. */
  declare pageSize: number;
  /** Show one status; empty for all. */
  declare filterStatus: string;
  /** Show one level; empty for all. */
  declare filterLevel: string;
  /** Show one category; empty for all. */
  declare filterCategory: string;
  /** Show one consultation room's topics (`rooms.list[].id`); empty for all. */
  declare room: string;
  /** Only topics with an overdue measure. */
  declare overdueOnly: boolean;
  /** Text to search for. */
  declare search: string;
  /** Template of the link to a topic's timeline, e.g. `#/topic/{topicId}`. */
  declare topicHref: string | undefined;
  /** Larger text for older residents. */
  declare largeText: boolean;

  /** The cursor of each page up to the one shown: "previous" pops, "next" pushes. The first page's is ''. */
  declare private cursors: string[];
  /** The server's last answer for the query shown (or why there is none). */
  declare private answer: { key: string; seen?: Seen; failure?: ReadFailure } | undefined;
  declare private loading: boolean;
  declare private fetchedConfig: WorkflowConfig | undefined;

  private readonly storeController = new StoreController<BoardStore>(this);
  /** Pages the server answered, by request: shown again while it cannot be reached (memory only). */
  private readonly seen = new Map<string, Seen>();
  private requested: string | undefined;
  private abort: AbortController | undefined;
  private configFor: string | undefined;
  private focusCount = false;
  private readonly onOnline = () => this.refresh();

  constructor() {
    super();
    this.endpoint = undefined;
    this.programme = undefined;
    this.topics = undefined;
    this.config = undefined;
    this.fetch = undefined;
    this.now = undefined;
    this.pageSize = DEFAULT_PAGE_SIZE;
    this.filterStatus = '';
    this.filterLevel = '';
    this.filterCategory = '';
    this.room = '';
    this.overdueOnly = false;
    this.search = '';
    this.topicHref = undefined;
    this.largeText = false;
    this.cursors = [''];
    this.answer = undefined;
    this.loading = false;
    this.fetchedConfig = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.onOnline);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.onOnline);
    this.abort?.abort();
    this.abort = undefined;
    this.requested = undefined;
  }

  // ── Where the data comes from ─────────────────────────────────────────────────────────────

  private source(): Source {
    const store = this.storeController.store;
    if (this.topics) {
      const first = this.topics instanceof Map ? this.topics.values().next().value : undefined;
      const fromTopics = (first as TopicSnapshot | undefined)?.context.config ?? (Array.isArray(this.topics) ? (this.topics[0] as TopicSnapshot | undefined)?.context.config : undefined);
      return { kind: 'local', topics: this.topics, log: undefined, config: this.config ?? fromTopics ?? store?.config };
    }
    if (this.endpoint && this.programme) {
      return { kind: 'server', endpoint: this.endpoint, programmeId: this.programme, config: this.config ?? this.fetchedConfig };
    }
    if (store) {
      const server = serverOfStore(this, store);
      if (server) return { kind: 'server', ...server, config: this.config ?? store.config };
      return { kind: 'local', topics: store.topics, log: store.log, config: this.config ?? store.config };
    }
    return { kind: 'none', config: this.config };
  }

  private get limit(): number {
    return Number.isInteger(this.pageSize) && this.pageSize > 0 ? Math.min(this.pageSize, 100) : DEFAULT_PAGE_SIZE;
  }

  private query(): TopicIndexQuery {
    const cursor = this.cursors.at(-1) ?? '';
    return {
      ...(this.filterStatus ? { status: this.filterStatus } : {}),
      ...(this.filterLevel ? { level: this.filterLevel } : {}),
      ...(this.filterCategory ? { category: this.filterCategory } : {}),
      ...(this.room ? { room: this.room } : {}),
      ...(this.overdueOnly ? { overdue: true } : {}),
      ...(this.search.trim() ? { q: this.search.trim() } : {}),
      limit: this.limit,
      ...(cursor ? { cursor } : {}),
    };
  }

  private readonly clock = memo((_topics: unknown, now: string | number | undefined): number => {
    const ms = typeof now === 'number' ? now : toMillis(now);
    return Number.isFinite(ms) ? ms : Date.now();
  });

  private readonly summaries = memo((topics: Iterable<TopicSnapshot> | ReadonlyMap<string, TopicSnapshot>, log: readonly LogEntry[] | undefined, now: number) => ({
    summaries: summarizeTopics(topics, now, log ? lastSeqs(log) : undefined),
    order: log ? firstSeqs(log) : undefined,
  }));

  // ── Reading the server ────────────────────────────────────────────────────────────────────

  protected override willUpdate(changed: PropertyValues<this>): void {
    const filters = ['filterStatus', 'filterLevel', 'filterCategory', 'room', 'overdueOnly', 'search', 'pageSize', 'endpoint', 'programme'] as const;
    if (filters.some((k) => changed.has(k) && changed.get(k) !== undefined) && this.cursors.length > 1) this.cursors = [''];
    // Asked here, before rendering, so the "loading" state is part of this update (not another one).
    const source = this.source();
    if (source.kind !== 'server') return;
    const query = this.query();
    const key = `${source.endpoint}|${source.programmeId}|${JSON.stringify(query)}`;
    if (key !== this.requested) void this.load(source, query, key);
    const configKey = `${source.endpoint}|${source.programmeId}`;
    if (!source.config && configKey !== this.configFor) void this.loadConfig(source, configKey);
  }

  protected override updated(): void {
    // After a page turn, focus goes to the "topics 11–20 of 34" line once the new page is shown.
    if (this.focusCount && !this.loading) {
      this.focusCount = false;
      this.renderRoot.querySelector<HTMLElement>('#count')?.focus();
    }
  }

  private client(source: Extract<Source, { kind: 'server' }>) {
    return topicIndexClient({ endpoint: source.endpoint, programmeId: source.programmeId, ...(this.fetch ? { fetch: this.fetch } : {}) });
  }

  private async load(source: Extract<Source, { kind: 'server' }>, query: TopicIndexQuery, key: string): Promise<void> {
    this.requested = key;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    try {
      const result = await this.client(source).topics(query, abort.signal);
      if (abort.signal.aborted || this.requested !== key) return;
      if (result.ok) {
        const seen = { page: result.value, receivedAt: result.receivedAt };
        this.seen.set(key, seen);
        this.answer = { key, seen };
      } else {
        const seen = this.seen.get(key);
        this.answer = { key, failure: result, ...(seen ? { seen } : {}) };
      }
    } catch (error) {
      this.report('board-failed', error);
    } finally {
      if (this.abort === abort) {
        this.abort = undefined;
        this.loading = false;
      }
    }
  }

  private async loadConfig(source: Extract<Source, { kind: 'server' }>, key: string): Promise<void> {
    this.configFor = key;
    // Through loadConfig, so a config the server vouches for is not checked again on this phone.
    const url = `${source.endpoint.replace(/\/+$/, '')}/programmes/${encodeURIComponent(source.programmeId)}/config`;
    const loaded = await loadConfig(url, { endpoint: source.endpoint, dev: this.dev, fetch: this.fetch });
    if (loaded.ok && this.configFor === key) this.fetchedConfig = loaded.config;
  }

  /** Asks the server again (after "Try again", or when the browser comes back online). */
  refresh(): void {
    this.requested = undefined;
    this.requestUpdate();
  }

  // ── A person's choices ────────────────────────────────────────────────────────────────────

  private changed(): void {
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }

  private onFilter(event: Event): void {
    const control = event.target as HTMLInputElement | HTMLSelectElement;
    switch (control.name) {
      case 'status':
        this.filterStatus = control.value;
        break;
      case 'level':
        this.filterLevel = control.value;
        break;
      case 'category':
        this.filterCategory = control.value;
        break;
      case 'room':
        this.room = control.value;
        break;
      case 'overdue':
        this.overdueOnly = (control as HTMLInputElement).checked;
        break;
      default:
        return;
    }
    this.cursors = [''];
    this.changed();
  }

  private onSearch(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#search');
    this.search = input?.value ?? '';
    this.cursors = [''];
    this.changed();
  }

  private clearFilters(): void {
    this.filterStatus = '';
    this.filterLevel = '';
    this.filterCategory = '';
    this.room = '';
    this.overdueOnly = false;
    this.search = '';
    this.cursors = [''];
    this.changed();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#search')?.focus());
  }

  private turn(page: TopicIndexPage | undefined, forward: boolean): void {
    if (forward && !page) return;
    this.cursors = forward ? [...this.cursors, page!.cursor] : this.cursors.slice(0, -1);
    this.focusCount = true;
    this.changed();
  }

  private get filtering(): boolean {
    return Boolean(this.filterStatus || this.filterLevel || this.filterCategory || this.room || this.overdueOnly || this.search.trim());
  }

  private href(topicId: string): string | undefined {
    return topicLink(this.topicHref, topicId);
  }

  private onTopic(event: Event, topicId: string): void {
    if (!this.dispatchEvent(new ConsultTopicSelectEvent({ topicId }))) event.preventDefault();
  }

  // ── Words ─────────────────────────────────────────────────────────────────────────────────

  private fmt = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
  private number(n: number, digits = 0): string {
    const key = `n:${this.locale}:${digits}`;
    let f = this.fmt.get(key) as Intl.NumberFormat | undefined;
    if (!f) this.fmt.set(key, (f = new Intl.NumberFormat(this.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })));
    return f.format(n);
  }

  private date(iso: string | undefined, withTime = false): string {
    if (!iso) return '';
    const ms = toMillis(iso);
    if (!Number.isFinite(ms)) return iso;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
    const key = `d:${this.locale}:${dateOnly}:${withTime}`;
    let f = this.fmt.get(key) as Intl.DateTimeFormat | undefined;
    if (!f) {
      f = new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', ...(withTime && !dateOnly ? { timeStyle: 'short' } : {}), ...(dateOnly ? { timeZone: 'UTC' } : {}) });
      this.fmt.set(key, f);
    }
    return f.format(ms);
  }

  private statusText(status: string, config: WorkflowConfig | undefined): string {
    if (config) return stateLabel(config, status, this.locale);
    return STATE_LABELS[status]?.[this.locale] ?? status;
  }

  private levelText(level: string): string {
    return level in LEVEL_RANK ? this.t(`tracker.level.${level as Level}`) : level;
  }

  private categories(config: WorkflowConfig | undefined): Array<{ value: string; label: string }> {
    const field = config?.form.pages.flatMap((p) => p.fields).find((f) => f.name === 'category');
    return (field?.options ?? []).map((o) => ({ value: o.value, label: this.text(o.label, o.value) }));
  }

  /** The config's rooms, for the picker and the topics' facts. */
  private rooms(config: WorkflowConfig | undefined): Array<{ value: string; label: string }> {
    return (config?.rooms?.list ?? []).map((r) => ({ value: r.id, label: this.text(r.name, r.id) }));
  }

  private categoryText(value: string, config: WorkflowConfig | undefined): string {
    return this.categories(config).find((c) => c.value === value)?.label ?? value;
  }

  private partyText(party: string, config: WorkflowConfig | undefined): string {
    const found = config?.step.handling.parties.find((p) => p.id === party);
    return found ? this.text(found.label, party) : party;
  }

  private formatText(format: string, config: WorkflowConfig | undefined): string {
    const found = config?.step.meeting.formats.find((f) => f.id === format);
    return found ? this.text(found.label, format) : format;
  }

  private sourceText(source: string, config: WorkflowConfig | undefined): string {
    const custom = config?.step.intake.sources.find((s) => s.id === source)?.label;
    if (custom) return this.text(custom, source);
    return SOURCES.has(source) ? this.t(`form.source.${source}` as MessageKey) : source;
  }

  private channelText(channel: string, config: WorkflowConfig | undefined): string {
    const found = config?.step.screening?.channels.find((c) => c.id === channel);
    return found ? this.text(found.label, channel) : channel;
  }

  // ── Rendering ─────────────────────────────────────────────────────────────────────────────

  protected override render(): TemplateResult {
    const source = this.source();
    const config = source.config;
    let page: TopicIndexPage | undefined;
    let failure: ReadFailure | undefined;
    let receivedAt: string | undefined;
    if (source.kind === 'local') {
      const local = this.summaries(source.topics, source.log, this.clock(source.topics, this.now));
      page = pageOfSummaries(local.summaries, this.query(), local.order);
    } else if (source.kind === 'server') {
      const answer = this.answer;
      const current = answer && answer.key === this.requested ? answer : undefined;
      failure = current?.failure;
      page = current?.seen?.page;
      receivedAt = current?.seen?.receivedAt;
    } else {
      page = { items: [], total: 0, cursor: '', more: false };
    }
    const waiting = source.kind === 'server' && !page && !failure;

    return html`<section class="base" part="base" aria-labelledby="title" aria-busy=${this.loading ? 'true' : 'false'}>
      <h2 id="title" class="heading" part="heading">${this.t('board.title')}</h2>
      <p class="intro">${this.t('board.intro')}</p>
      ${this.renderFilters(config)}
      ${failure ? this.renderFailure(failure, page !== undefined, receivedAt) : nothing}
      <p id="count" class="count" part="count" role="status" tabindex="-1">${waiting ? this.t('board.loading') : page ? this.countText(page) : ''}</p>
      ${source.kind === 'local' ? html`<p class="source">${this.t('board.local')}</p>` : nothing}
      ${source.kind === 'server' && page && receivedAt && !failure
        ? html`<p class="source">${this.t('board.updated', { time: this.date(receivedAt, true) })}</p>`
        : nothing}
      ${page ? this.renderPage(page, config) : nothing}
      ${this.renderPager(page)}
    </section>`;
  }

  private countText(page: TopicIndexPage): string {
    if (page.items.length === 0) return page.total === 0 ? '' : this.t('board.countNone');
    const from = (this.cursors.length - 1) * this.limit + 1;
    return this.t('board.count', { from: this.number(from), to: this.number(from + page.items.length - 1), total: this.number(page.total) });
  }

  private renderFailure(failure: ReadFailure, hasPage: boolean, receivedAt: string | undefined): TemplateResult {
    const why =
      failure.reason === 'offline' ? this.t('board.offline') : failure.reason === 'unreachable' ? this.t('board.unreachable') : this.t('board.refused', { title: failure.title });
    return html`<div class="notice" part="notice" role="alert">
      <p class="notice-title">${icon(warningIcon)}${why}</p>
      <p>${hasPage && receivedAt ? this.t('board.lastSeen', { time: this.date(receivedAt, true) }) : this.t('board.nothingSeen')}</p>
      <button type="button" class="button" @click=${() => this.refresh()}>${this.t('board.retry')}</button>
    </div>`;
  }

  private renderFilters(config: WorkflowConfig | undefined): TemplateResult {
    const all = this.t('board.filter.all');
    const statuses = config
      ? TOPIC_STATUSES.filter((s) => !['screening', 'research', 'meeting', 'handling', 'evaluation'].includes(s) || config.step[s as 'screening'] !== undefined)
      : TOPIC_STATUSES;
    const base = config ? LEVEL_RANK[config.level] ?? 0 : 0;
    const levels = LEVELS.filter((l) => !config || LEVEL_RANK[l] >= base);
    const categories = this.categories(config);
    const rooms = this.rooms(config);
    return html`<form class="filters" part="filters" role="search" aria-label=${this.t('board.filters')} @submit=${this.onSearch}>
      <div class="control control--search">
        <label class="label" for="search">${this.t('board.search')}</label>
        <p id="search-hint" class="hint">${this.t('board.searchHint')}</p>
        <div class="search-row">
          <input id="search" name="search" type="search" class="input" .value=${this.search} aria-describedby="search-hint" />
          <button type="submit" class="button">${this.t('board.searchButton')}</button>
        </div>
      </div>
      <div class="control">
        <label class="label" for="status">${this.t('board.filter.status')}</label>
        <select id="status" name="status" class="input" @change=${this.onFilter}>
          <option value="" ?selected=${this.filterStatus === ''}>${all}</option>
          ${statuses.map((s) => html`<option value=${s} ?selected=${this.filterStatus === s}>${this.statusText(s, config)}</option>`)}
        </select>
      </div>
      <div class="control">
        <label class="label" for="level">${this.t('board.filter.level')}</label>
        <select id="level" name="level" class="input" @change=${this.onFilter}>
          <option value="" ?selected=${this.filterLevel === ''}>${all}</option>
          ${levels.map((l) => html`<option value=${l} ?selected=${this.filterLevel === l}>${this.levelText(l)}</option>`)}
        </select>
      </div>
      ${categories.length > 0
        ? html`<div class="control">
            <label class="label" for="category">${this.t('board.filter.category')}</label>
            <select id="category" name="category" class="input" @change=${this.onFilter}>
              <option value="" ?selected=${this.filterCategory === ''}>${all}</option>
              ${categories.map((c) => html`<option value=${c.value} ?selected=${this.filterCategory === c.value}>${c.label}</option>`)}
            </select>
          </div>`
        : nothing}
      ${rooms.length > 0
        ? html`<div class="control">
            <label class="label" for="room">${this.t('board.filter.room')}</label>
            <select id="room" name="room" class="input" @change=${this.onFilter}>
              <option value="" .selected=${this.room === ''}>${this.t('board.filter.allRooms')}</option>
              ${rooms.map((r) => html`<option value=${r.value} .selected=${this.room === r.value}>${r.label}</option>`)}
              ${this.room && !rooms.some((r) => r.value === this.room) ? html`<option value=${this.room} .selected=${true}>${this.room}</option>` : nothing}
            </select>
          </div>`
        : nothing}
      <div class="control control--check">
        <input id="overdue" name="overdue" type="checkbox" class="check" .checked=${this.overdueOnly} @change=${this.onFilter} />
        <label for="overdue">${this.t('board.filter.overdue')}</label>
      </div>
      ${this.filtering
        ? html`<div class="control control--clear">
            <button type="button" class="button button--link" @click=${this.clearFilters}>${this.t('board.clear')}</button>
          </div>`
        : nothing}
    </form>`;
  }

  private renderPage(page: TopicIndexPage, config: WorkflowConfig | undefined): TemplateResult {
    if (page.items.length === 0) {
      return this.filtering || this.cursors.length > 1
        ? html`<div class="empty" part="empty">
            <p class="empty-title">${this.t('board.noMatch')}</p>
            ${this.filtering ? html`<button type="button" class="button" @click=${this.clearFilters}>${this.t('board.clear')}</button>` : nothing}
          </div>`
        : html`<div class="empty" part="empty">
            <p class="empty-title">${this.t('board.empty')}</p>
            <p>${this.t('board.emptyHint')}</p>
          </div>`;
    }
    const scale = config?.step.evaluation?.scale ?? 5;
    return html`<ul class="list" part="list" aria-label=${this.t('board.list')}>
      ${repeat(page.items, (t) => t.topicId, (t) => this.renderTopic(t, config, scale))}
    </ul>`;
  }

  /** Previous / next: shown past the first page, or when there is a next one (also while a page cannot be read, to go back). */
  private renderPager(page: TopicIndexPage | undefined): TemplateResult | typeof nothing {
    const first = this.cursors.length <= 1;
    const more = page?.more === true;
    if (first && !more) return nothing;
    return html`<nav class="pager" part="pager" aria-label=${this.t('board.pages')}>
      <button type="button" class="button" id="previous" ?disabled=${first} @click=${() => this.turn(undefined, false)}>${this.t('board.previous')}</button>
      <span class="page-number">${this.t('board.page', { page: this.number(this.cursors.length) })}</span>
      <button type="button" class="button" id="next" ?disabled=${!more} @click=${() => page && this.turn(page, true)}>${this.t('board.next')}</button>
    </nav>`;
  }

  private renderTopic(t: TopicSummary, config: WorkflowConfig | undefined, scale: number): TemplateResult {
    const href = this.href(t.topicId);
    const inWorkflow = this.storeController.store !== undefined;
    const open = href
      ? html`<a class="open" href=${href} @click=${(e: Event) => this.onTopic(e, t.topicId)}>${this.t('board.openTopic')}<span class="visually-hidden">: ${t.title}</span></a>`
      : inWorkflow
        ? html`<button type="button" class="button button--link open" @click=${(e: Event) => this.onTopic(e, t.topicId)}>
            ${this.t('board.openTopic')}<span class="visually-hidden">: ${t.title}</span>
          </button>`
        : nothing;
    const headingId = `topic-${t.topicId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    return html`<li class="topic topic--${t.status}" part="topic" data-topic=${t.topicId}>
      <article aria-labelledby=${headingId}>
        <h3 id=${headingId} class="topic-title">${t.title || t.topicId}</h3>
        <p class="badges">
          <span class="status status--${t.status}" part="status">${this.statusText(t.status, config)}</span>
          ${t.overdue ? html`<span class="overdue">${icon(warningIcon)}${this.t('board.overdue')}</span>` : nothing}
        </p>
        ${t.description ? html`<p class="description">${t.description}</p>` : nothing}
        <dl class="facts">
          <div class="fact"><dt>${this.t('board.source')}</dt><dd>${this.sourceText(t.source, config)}</dd></div>
          <div class="fact"><dt>${this.t('board.level')}</dt><dd>${this.levelText(t.level)}</dd></div>
          ${t.category ? html`<div class="fact"><dt>${this.t('board.category')}</dt><dd>${this.categoryText(t.category, config)}</dd></div>` : nothing}
          ${t.room ? html`<div class="fact" data-fact="room"><dt>${this.t('board.room')}</dt><dd>${this.rooms(config).find((r) => r.value === t.room)?.label ?? t.room}</dd></div>` : nothing}
        </dl>
        <p class="when"><time datetime=${t.submittedAt}>${this.t('board.submitted', { date: this.date(t.submittedAt) })}</time></p>
        ${this.renderScreening(t, config)}
        ${t.meeting ? this.renderMeeting(t.meeting, config) : nothing}
        ${t.measures.length > 0 ? this.renderMeasures(t.measures, config) : nothing}
        ${t.feedback
          ? html`<div class="section feedback" part="feedback">
              <h4>${this.t('board.feedback')}</h4>
              <p>${t.feedback.text}</p>
              <p class="when"><time datetime=${t.feedback.at}>${this.t('board.feedback.at', { date: this.date(t.feedback.at) })}</time></p>
            </div>`
          : nothing}
        ${t.rating ? this.renderRating(t.rating, scale) : nothing}
        ${open}
      </article>
    </li>`;
  }

  private renderScreening(t: TopicSummary, config: WorkflowConfig | undefined): TemplateResult | typeof nothing {
    if (t.status === 'withdrawn') return html`<p class="decision">${this.t('board.withdrawn')}</p>`;
    const s = t.screening;
    if (!s) return nothing;
    const date = this.date(s.at);
    switch (s.decision) {
      case 'accepted':
        return html`<p class="decision">${this.t('board.screening.accepted', { date })}</p>`;
      case 'rejected':
        return html`<p class="decision">${s.reason ? this.t('board.screening.rejected', { date, reason: s.reason }) : this.t('board.screening.rejectedNoReason', { date })}</p>`;
      case 'merged':
        return html`<p class="decision">${this.t('board.screening.merged', { date, into: s.into ?? '' })}</p>`;
      case 'redirected':
        return html`<p class="decision">${this.t('board.screening.redirected', { date, channel: this.channelText(s.channel ?? '', config) })}</p>`;
      case 'escalated':
        return html`<p class="decision">${this.t('board.screening.escalated', { date, level: this.levelText(s.level ?? '') })}</p>`;
      default:
        return nothing;
    }
  }

  private renderMeeting(m: NonNullable<TopicSummary['meeting']>, config: WorkflowConfig | undefined): TemplateResult {
    return html`<div class="section">
      <h4>${this.t('board.meeting')}</h4>
      <p>
        ${this.t('board.meeting.detail', { format: this.formatText(m.format, config), date: this.date(m.start, true), place: m.place })}
        ${m.rounds > 1 ? html`<span class="rounds">${this.t('board.meeting.rounds', { rounds: this.number(m.rounds) })}</span>` : nothing}
      </p>
    </div>`;
  }

  private renderMeasures(measures: TopicSummaryMeasure[], config: WorkflowConfig | undefined): TemplateResult {
    return html`<div class="section">
      <h4>${this.t('board.measures')}</h4>
      <ul class="measures">
        ${measures.map(
          (m) => html`<li class="measure ${m.overdue ? 'measure--overdue' : ''}" part="measure">
            <p class="measure-text">${m.text}</p>
            <p class="measure-facts">
              <span class="measure-status status--${m.status}">${MEASURE_STATUSES.has(m.status) ? this.t(`tracker.status.${m.status}` as MessageKey) : m.status}</span>
              ${m.overdue ? html`<span class="overdue">${icon(warningIcon)}${this.t('board.measure.overdue')}</span>` : nothing}
              <span>${this.t('board.measure.party', { party: this.partyText(m.party, config) })}</span>
              <span><time datetime=${m.due}>${this.t('board.measure.due', { date: this.date(m.due) })}</time></span>
            </p>
            ${m.status === 'declined' && m.reason ? html`<p class="note">${this.t('board.measure.reason', { reason: m.reason })}</p>` : nothing}
            ${m.status === 'implemented' && m.result ? html`<p class="note">${this.t('board.measure.result', { result: m.result })}</p>` : nothing}
          </li>`,
        )}
      </ul>
    </div>`;
  }

  private renderRating(r: NonNullable<TopicSummary['rating']>, scale: number): TemplateResult {
    const has = r.average !== null && Number.isFinite(r.average) && r.count > 0;
    return html`<div class="section rating">
      <h4>${this.t('board.rating')}</h4>
      ${has
        ? html`<consult-star-rating .readonly=${true} lang=${this.locale} .average=${r.average ?? undefined} .count=${r.count} .scale=${scale}></consult-star-rating>
            <p class="rating-text">${this.t('board.rating.value', { average: this.number(r.average!, 1), scale, count: this.number(r.count) })}</p>`
        : html`<p>${this.t('board.rating.none')}</p>`}
      ${r.open ? html`<p class="when">${r.windowEnd ? this.t('board.rating.open', { date: this.date(r.windowEnd) }) : this.t('board.rating.openNoEnd')}</p>` : nothing}
    </div>`;
  }
}
