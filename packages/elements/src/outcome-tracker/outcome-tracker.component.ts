import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  LEVEL_RANK,
  isOverdue,
  overdueDays,
  selectMeasures,
  selectRatingRounds,
  toMillis,
  type Level,
  type RatingKind,
  type MeasureStatus,
  type MeasureView,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine/core';
import { topicIndexClient, type ReadResult, type TopicIndexPage, type TopicIndexQuery } from '@consult-kit/store';
import { ConsultElement } from '../base/consult-element.js';
import { icon, tickIcon, warningIcon } from '../base/icons.js';
import { memo } from '../base/memo.js';
import { dueState, dueWords } from '../base/due.js';
import { topicLink } from '../base/safe-url.js';
import { StoreController } from '../controllers/store-controller.js';
import { WindowController } from '../controllers/window-controller.js';
import { ConsultTopicSelectEvent } from '../events/topic-select-event.js';
import type { Locale } from '../i18n/locale.js';
import type { MessageKey } from '../i18n/messages.js';
import { corePart, duePart, trackerPart } from '../i18n/parts.js';
import '../star-rating/consult-star-rating.js';
import { inputStyles } from '../styles/form-controls.js';
import { reportButtonStyles, reportStyles } from '../styles/report.js';
import { hostStyles } from '../styles/tokens.js';
import { ratingKindsText } from '../programme-figures/rating-kinds.js';
import { outcomeTrackerStyles } from './outcome-tracker.styles.js';

/** A measure as the tracker shows it: `selectMeasures`' view, plus how many ratings its topic's average is of. */
export type TrackerMeasure = MeasureView & {
  /** Ratings behind `rating` (the topic's latest closed evaluation); filled in when the tracker reads topics. */
  ratingCount?: number;
  /** From whom those ratings were counted, by kind of rater (never names); absent when not known. */
  ratingKinds?: Record<RatingKind, number>;
  /** The consultation room its topic is in (`rooms.list[].id`); filled in when the tracker reads topics or the index. */
  room?: string;
};

/** The status filter: one status, or `overdue` (open and past its due date); empty for all. */
export type TrackerStatusFilter = '' | MeasureStatus | 'overdue';
export type TrackerSort = 'due' | 'status' | 'party' | 'topic';

const STATUSES: readonly MeasureStatus[] = ['proposed', 'adopted', 'inProgress', 'implemented', 'declined'];
const SORTS: readonly TrackerSort[] = ['due', 'status', 'party', 'topic'];

/** Status order for sorting: overdue first (it needs someone to act), then the lifecycle's order. */
const STATUS_RANK: Readonly<Record<MeasureStatus, number>> = {
  proposed: 1,
  adopted: 2,
  inProgress: 3,
  implemented: 4,
  declined: 5,
};

/** A row of the list: the measure and what filtering, sorting and showing it need, computed once. */
interface Row {
  key: string;
  measure: TrackerMeasure;
  overdue: boolean;
  dueMs: number;
  partyLabel: string;
}

interface Source {
  measures: readonly TrackerMeasure[];
  config: WorkflowConfig | undefined;
}

/** `selectMeasures` over topics (a Map's values or any iterable), with each topic's number of ratings behind its average. */
function measuresOfTopics(from: Iterable<TopicSnapshot> | ReadonlyMap<string, TopicSnapshot>, now: number): Source {
  const list: TopicSnapshot[] = from instanceof Map ? [...(from as ReadonlyMap<string, TopicSnapshot>).values()] : [...(from as Iterable<TopicSnapshot>)];
  const counts = new Map<string, { count: number; kinds: Record<RatingKind, number> }>();
  for (const t of list) {
    const closed = selectRatingRounds(t).filter((r) => !r.open).at(-1);
    if (closed) counts.set(t.context.topicId, { count: closed.counted, kinds: closed.byKind });
  }
  const rooms = new Map(list.filter((t) => t.context.room !== undefined).map((t) => [t.context.topicId, t.context.room!] as const));
  const measures = selectMeasures(list, now).map((m): TrackerMeasure => {
    const tally = counts.get(m.topicId);
    const room = rooms.get(m.topicId);
    return tally === undefined && room === undefined ? m : { ...m, ...(tally ? { ratingCount: tally.count, ratingKinds: tally.kinds } : {}), ...(room !== undefined ? { room } : {}) };
  });
  return { measures, config: list[0]?.context.config };
}

const NO_MEASURES: readonly TrackerMeasure[] = [];

/** Topics per page when the measures are read from the server's index. */
const INDEX_PAGE_SIZE = 50;

/** The measures of one index page (TopicSummary.measures), as the tracker shows them. */
function measuresOfPage(page: TopicIndexPage): TrackerMeasure[] {
  return page.items.flatMap((t) =>
    t.measures.map((m): TrackerMeasure => {
      const settled = m.status === 'implemented' || m.status === 'declined';
      return {
        ...m,
        status: m.status as MeasureStatus,
        round: 0,
        notes: [],
        reopened: 0,
        topicId: t.topicId,
        topicTitle: t.title,
        level: t.level as Level,
        feedbackGiven: Boolean(t.feedback && settled),
        rating: t.rating?.average ?? null,
        ...(t.room !== undefined ? { room: t.room } : {}),
        ...(t.rating && t.rating.count > 0 ? { ratingCount: t.rating.count, ...(t.rating.byKind ? { ratingKinds: t.rating.byKind } : {}) } : {}),
      };
    }),
  );
}

const STATUS_ICONS: Readonly<Record<MeasureStatus, TemplateResult>> = {
  proposed: svg`<circle cx="12" cy="12" r="8.5" fill="none" stroke="currentColor" stroke-width="2" stroke-dasharray="3 3"></circle>`,
  adopted: tickIcon,
  inProgress: svg`<circle cx="12" cy="12" r="8.5" fill="none" stroke="currentColor" stroke-width="2"></circle><path d="M12 3.5a8.5 8.5 0 0 1 0 17z" fill="currentColor"></path>`,
  implemented: svg`<circle cx="12" cy="12" r="9.5" fill="currentColor"></circle><path class="knock-out" d="M7.5 12.5l3 3 6-7" fill="none" stroke-width="2.4"></path>`,
  declined: svg`<circle cx="12" cy="12" r="8.5" fill="none" stroke="currentColor" stroke-width="2"></circle><path d="M8.5 8.5l7 7M15.5 8.5l-7 7" stroke="currentColor" stroke-width="2"></path>`,
};

/**
 * @tag consult-outcome-tracker
 * @summary Follows every measure agreed at consultation meetings (协商成果) across topics: its
 * status (awaiting decision, adopted, declined with the reason, in progress, implemented, overdue),
 * the responsible party (责任单位), the due date (办理期限), whether feedback was given (已反馈) and
 * the residents' rating with how many ratings were counted and from whom by kind, never by name
 * ("已计入 5 份评价：提出人 1、社区居民 4"). Filters (status, party, level, overdue only) and sorting are native
 * controls; the list is virtualised, so 10,000 measures scroll smoothly with only the rows in view
 * in the page; a live message says how many measures are shown. Each row links to its topic's
 * timeline.
 *
 * Data, first found wins: the `measures` property (`selectMeasures`' result), the `topics`
 * property (topic snapshots), the city server's topic index when `endpoint` and `programme` are
 * set (what `<consult-workflow>` does for staff on a large programme), or inside
 * `<consult-workflow>` the workflow's store.
 *
 * From the server's index the measures come a page of topics at a time
 * (`GET {endpoint}/programmes/{programme}/topics`, keyset cursors, previous / next), and the
 * screen says so: `filter-level` and the overdue filters are sent to the server (`level`,
 * `overdue=true`), the measure status and the responsible party filter that page.
 *
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 * @attr now - The time to judge "overdue" by (ISO 8601); defaults to when the data arrived.
 * @attr topic-href - Template of the link to a topic's timeline, e.g. `#/topic/{topicId}` (checked by `safeUrl`); without it each row has a button.
 * @attr large-text - Larger text and targets for older residents.
 * @attr filter-status - Show one status (`proposed`, `adopted`, `declined`, `inProgress`, `implemented`) or `overdue`.
 * @attr filter-party - Show one responsible party (its id in the config, or its text).
 * @attr filter-level - Show one level (`community`, `street`…).
 * @attr overdue-only - Show only overdue measures.
 * @attr room - Show the measures of one consultation room's topics (`rooms.list[].id`; sent to the index as `?room=`).
 * @attr sort - `due` (default), `status`, `party` or `topic`.
 * @attr endpoint - The city server's base URL (e.g. `/api`): read the measures from its topic index, a page at a time (with `programme`).
 * @attr programme - The programme's id on that server (with `endpoint`).
 *
 * @event consult-topic-select - A person chose a row's topic. `detail`: `{ topicId, measureId }`. Cancelable: `preventDefault()` keeps a `topic-href` link from navigating (for portals that route by themselves).
 * @event change - A person changed a filter or the sort order (the element's `filterStatus`, `filterParty`, `filterLevel`, `overdueOnly` and `sort` hold the new values). Never fired for programmatic changes.
 * @event consult-error - Showing the measures failed. `detail`: `{ code, message, error }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart heading - The title.
 * @csspart filters - The filter and sort controls.
 * @csspart count - The live "showing N of M" message.
 * @csspart list - The scrolling list of measures (keyboard reachable).
 * @csspart row - One measure.
 * @csspart status - A measure's status.
 * @csspart overdue - The overdue mark (icon and text).
 * @csspart measure - A measure's text.
 * @csspart topic-link - The link (or button) to the topic's timeline.
 * @csspart empty - The message shown when there is nothing to list.
 * @csspart source - The note that the measures are paged from the server (index only).
 * @csspart pager - The previous / next buttons (index only).
 *
 * @cssproperty --list-block-size - Height of the scrolling list (default `min(70vh, 42 × --consult-font-size)`).
 * @cssproperty --row-gap - Space between rows (default 0.75 × `--consult-font-size`).
 * @cssproperty --overdue-color - Colour of the overdue mark (default the error colour).
 * @cssproperty --consult-color-primary - Colour of links (global token).
 * @cssproperty --consult-font-scale - Text size factor; `large-text` sets `--consult-font-scale-large` (global token).
 */
export class ConsultOutcomeTracker extends ConsultElement {
  static override styles = [hostStyles, reportStyles, inputStyles, reportButtonStyles, outcomeTrackerStyles];
  static override catalogues = [corePart, trackerPart, duePart];

  static override properties = {
    ...ConsultElement.properties,
    measures: { attribute: false },
    topics: { attribute: false },
    config: { attribute: false },
    now: {},
    topicHref: { attribute: 'topic-href' },
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    filterStatus: { attribute: 'filter-status' },
    filterParty: { attribute: 'filter-party' },
    filterLevel: { attribute: 'filter-level' },
    overdueOnly: { type: Boolean, attribute: 'overdue-only' },
    room: {},
    sort: {},
    endpoint: {},
    programme: {},
    indexResult: { state: true, attribute: false },
    indexCursors: { state: true, attribute: false },
  };

  /** The measures to show (e.g. `selectMeasures(topics, now)`); wins over `topics` and the workflow's store. */
  declare measures: readonly TrackerMeasure[] | undefined;
  /** Topic snapshots to read the measures from (with `selectMeasures`), when `measures` is not set. */
  declare topics: Iterable<TopicSnapshot> | undefined;
  /** The programme's config, for party labels and the rating scale; defaults to the topics' or the workflow's. */
  declare config: WorkflowConfig | undefined;
  /** The time to judge "overdue" by (ISO, or epoch ms as a property); defaults to when the data arrived. */
  declare now: string | number | undefined;
  /** Template of the link to a topic's timeline, e.g. `#/topic/{topicId}`; without it each row has a button. */
  declare topicHref: string | undefined;
  /** Larger text and targets for older residents. */
  declare largeText: boolean;
  /** Show one status (`proposed`, `adopted`, `declined`, `inProgress`, `implemented`) or `overdue`; empty for all. */
  declare filterStatus: TrackerStatusFilter;
  /** Show one responsible party (its id from the config, or its text); empty for all. */
  declare filterParty: string;
  /** Show one level (`community`, `street`…); empty for all. */
  declare filterLevel: string;
  /** Show only measures past their due date and still open. */
  declare overdueOnly: boolean;
  /** Show the measures of one consultation room's topics; empty for all. */
  declare room: string;
  /** Sort by `due` (default), `status`, `party` or `topic`. */
  declare sort: TrackerSort;
  /** The city server's base URL: with `programme`, the measures are read from its topic index. */
  declare endpoint: string | undefined;
  /** The programme's id on the server named by `endpoint`. */
  declare programme: string | undefined;
  /** The index page shown, or why there is none (undefined while it loads). */
  declare private indexResult: ReadResult<TopicIndexPage> | undefined;
  /** Cursor of each page of topics up to the one shown ('' for the first). */
  declare private indexCursors: string[];
  /** The server-side query of the page shown (to fetch again only when it changes). */
  private indexKey = '';
  private indexRequest = 0;

  private readonly storeController = new StoreController(this);
  private scrollToTop = false;

  // A long list renders only the rows near its viewport, measured in an animation frame after
  // render (the shared WindowController; a tracker row is about 150 px tall until measured).
  private readonly rows = new WindowController(this, { list: () => this.renderRoot.querySelector<HTMLElement>('#list'), estimate: 150 });

  constructor() {
    super();
    this.measures = undefined;
    this.topics = undefined;
    this.config = undefined;
    this.now = undefined;
    this.topicHref = undefined;
    this.largeText = false;
    this.filterStatus = '';
    this.filterParty = '';
    this.filterLevel = '';
    this.overdueOnly = false;
    this.room = '';
    this.sort = 'due';
    this.endpoint = undefined;
    this.programme = undefined;
    this.indexResult = undefined;
    this.indexCursors = [''];
  }

  // ── Data, memoised: each step recomputes only when its inputs change ──────────────────────

  /**
   * The time in ms: `now` if given; else the server's clock when the data came from it (the index
   * page's `asOf`, or the store's offset from the server's clock, issue 17); else the moment this
   * data source first showed, by the device's clock (local mode).
   */
  private readonly clock = memo(
    (_source: unknown, now: string | number | undefined, asOf: string | undefined, offsetMs: number | undefined): { ms: number; explicit: boolean } => {
      const ms = typeof now === 'number' ? now : toMillis(now);
      if (Number.isFinite(ms)) return { ms, explicit: true };
      const server = asOf ? Date.parse(asOf) : Number.NaN;
      if (Number.isFinite(server)) return { ms: server, explicit: false };
      return { ms: Date.now() + (offsetMs ?? 0), explicit: false };
    },
  );

  private readonly fromTopics = memo(measuresOfTopics);
  private readonly fromPage = memo(measuresOfPage);

  /** Read from the server's index: `endpoint` and `programme` set, and no `measures` or `topics` given. */
  private get fromIndex(): boolean {
    return !this.measures && !this.topics && Boolean(this.endpoint) && Boolean(this.programme);
  }

  /** What the index is asked: the filters it has (level, overdue), the page's cursor. */
  private indexQuery(): TopicIndexQuery {
    const cursor = this.indexCursors.at(-1) ?? '';
    return {
      limit: INDEX_PAGE_SIZE,
      ...(this.filterLevel ? { level: this.filterLevel } : {}),
      ...(this.room ? { room: this.room } : {}),
      ...(this.overdueOnly || this.filterStatus === 'overdue' ? { overdue: true } : {}),
      ...(typeof this.now === 'string' && this.now ? { now: this.now } : {}),
      ...(cursor ? { cursor } : {}),
    };
  }

  private async loadIndex(): Promise<void> {
    const request = (this.indexRequest += 1);
    this.indexResult = undefined;
    const result = await topicIndexClient({ endpoint: this.endpoint!, programmeId: this.programme! }).topics(this.indexQuery());
    if (request === this.indexRequest) this.indexResult = result;
  }

  private readonly toRows = memo(
    (measures: readonly TrackerMeasure[], now: number, recompute: boolean, config: WorkflowConfig | undefined, locale: Locale): Row[] => {
      const parties = new Map((config?.step.handling.parties ?? []).map((p) => [p.id, p.label[locale]] as const));
      return measures.map((m, i) => ({
        key: `${m.topicId}\u0000${m.id}\u0000${i}`,
        measure: m,
        overdue: recompute ? isOverdue(m, now) : Boolean(m.overdue),
        dueMs: toMillis(m.due),
        partyLabel: parties.get(m.party) ?? m.party,
      }));
    },
  );

  /** Parties and levels present in the data, for the filters: the config's parties in its order, then free text. */
  private readonly choices = memo((rows: readonly Row[], config: WorkflowConfig | undefined, locale: Locale) => {
    const collator = this.collator(locale);
    const order = new Map((config?.step.handling.parties ?? []).map((p, i) => [p.id, i] as const));
    const parties = new Map<string, string>();
    const levels = new Set<Level>();
    for (const r of rows) {
      parties.set(r.measure.party, r.partyLabel);
      levels.add(r.measure.level);
    }
    const partyList = [...parties].sort(([a, la], [b, lb]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || collator.compare(la, lb));
    const levelList = [...levels].sort((a, b) => (LEVEL_RANK[a] ?? 9) - (LEVEL_RANK[b] ?? 9) || a.localeCompare(b));
    return { parties: partyList, levels: levelList };
  });

  private readonly inRoom = memo((rows: readonly Row[], room: string): readonly Row[] => (room ? rows.filter((r) => r.measure.room === room) : rows));

  private readonly view = memo(
    (rows: readonly Row[], status: string, party: string, level: string, overdueOnly: boolean, sort: string, locale: Locale): Row[] => {
      const shown = rows.filter(
        (r) =>
          (status === '' || (status === 'overdue' ? r.overdue : r.measure.status === status)) &&
          (party === '' || r.measure.party === party) &&
          (level === '' || r.measure.level === level) &&
          (!overdueOnly || r.overdue),
      );
      const collator = this.collator(locale);
      const byDue = (a: Row, b: Row) => (a.dueMs || 0) - (b.dueMs || 0);
      const byTopic = (a: Row, b: Row) => collator.compare(a.measure.topicTitle, b.measure.topicTitle);
      const rank = (r: Row) => (r.overdue ? 0 : STATUS_RANK[r.measure.status] ?? 9);
      const compare: Record<TrackerSort, (a: Row, b: Row) => number> = {
        due: (a, b) => byDue(a, b) || byTopic(a, b),
        status: (a, b) => rank(a) - rank(b) || byDue(a, b) || byTopic(a, b),
        party: (a, b) => collator.compare(a.partyLabel, b.partyLabel) || byDue(a, b) || byTopic(a, b),
        topic: (a, b) => byTopic(a, b) || a.measure.topicId.localeCompare(b.measure.topicId) || a.measure.round - b.measure.round || byDue(a, b),
      };
      const key = (SORTS as readonly string[]).includes(sort) ? (sort as TrackerSort) : 'due';
      // A stable sort: ties keep the order the measures came in.
      return shown.sort(compare[key]);
    },
  );

  private collators = new Map<Locale, Intl.Collator>();
  private collator(locale: Locale): Intl.Collator {
    let c = this.collators.get(locale);
    if (!c) this.collators.set(locale, (c = new Intl.Collator(locale, { numeric: true })));
    return c;
  }

  /** The measures to show, the config for their labels, and the time to judge them by. */
  private data(): Source & { clock: { ms: number; explicit: boolean } } {
    const store = this.storeController.store;
    if (this.measures) {
      return { measures: this.measures, config: this.config ?? store?.config, clock: this.clock(this.measures, this.now, undefined, undefined) };
    }
    if (this.fromIndex) {
      const page = this.indexResult?.ok ? this.indexResult.value : undefined;
      const measures = page ? this.fromPage(page) : NO_MEASURES;
      return { measures, config: this.config ?? store?.config, clock: this.clock(page, this.now, page?.asOf, undefined) };
    }
    const from = this.topics ?? store?.topics;
    // Asking the store for the server's time makes it read the server's clock when it has not lately.
    if (typeof store?.serverNow === 'function') store.serverNow();
    const clock = this.clock(from, this.now, undefined, store?.status?.serverClockOffsetMs);
    if (!from) return { measures: NO_MEASURES, config: this.config ?? store?.config, clock };
    const read = this.fromTopics(from, clock.ms);
    return { measures: read.measures, config: this.config ?? read.config ?? store?.config, clock };
  }

  // ── Rendering ─────────────────────────────────────────────────────────────────────────────

  protected override willUpdate(changed: PropertyValues<this>): void {
    const filters = ['filterStatus', 'filterParty', 'filterLevel', 'overdueOnly', 'sort', 'room'] as const;
    if (filters.some((k) => changed.has(k))) {
      this.scrollToTop = true;
    }
    if (this.scrollToTop) {
      // Back to the top before this render (so no second update is needed for it).
      this.scrollToTop = false;
      this.rows.reset();
    }
    if (this.fromIndex) {
      // A new server-side query starts at its first page; the same one keeps the page shown.
      const { cursor: _cursor, ...query } = this.indexQuery();
      const key = JSON.stringify([this.endpoint, this.programme, query]);
      if (key !== this.indexKey) {
        this.indexKey = key;
        this.indexCursors = [''];
        void this.loadIndex();
      }
    } else {
      this.indexKey = '';
    }
  }

  private turnIndex(forward: boolean): void {
    const page = this.indexResult?.ok ? this.indexResult.value : undefined;
    if (forward && !page?.more) return;
    this.indexCursors = forward ? [...this.indexCursors, page!.cursor] : this.indexCursors.slice(0, -1);
    this.scrollToTop = true;
    void this.loadIndex();
  }

  /** On the server's index: where the measures come from, loading / failure, and the pages. */
  private renderIndexSource(): TemplateResult {
    const result = this.indexResult;
    const page = result?.ok ? result.value : undefined;
    const first = this.indexCursors.length <= 1;
    const from = (this.indexCursors.length - 1) * INDEX_PAGE_SIZE + 1;
    return html`<div class="index-source" part="source" data-source="index">
      ${page
        ? html`<p class="note">
            ${this.t('tracker.index.note', {
              from: this.number(page.items.length ? from : 0),
              to: this.number(page.items.length ? from + page.items.length - 1 : 0),
              total: this.number(page.total),
            })}
          </p>`
        : result
          ? html`<div class="empty" part="empty" role="alert">
              <p>${this.t(!result.ok && result.reason === 'offline' ? 'tracker.index.offline' : 'tracker.index.unavailable')}</p>
              <button type="button" class="button" @click=${() => void this.loadIndex()}>${this.t('tracker.index.retry')}</button>
            </div>`
          : html`<p class="note" role="status">${this.t('tracker.index.loading')}</p>`}
      ${first && !page?.more
        ? nothing
        : html`<nav class="pager" part="pager" aria-label=${this.t('tracker.index.pages')}>
            <button type="button" class="button" id="index-previous" ?disabled=${first} @click=${() => this.turnIndex(false)}>${this.t('tracker.index.previous')}</button>
            <button type="button" class="button" id="index-next" ?disabled=${!page?.more} @click=${() => this.turnIndex(true)}>${this.t('tracker.index.next')}</button>
          </nav>`}
    </div>`;
  }

  private fmt = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
  private number(n: number): string {
    const key = `n:${this.locale}`;
    let f = this.fmt.get(key) as Intl.NumberFormat | undefined;
    if (!f) this.fmt.set(key, (f = new Intl.NumberFormat(this.locale)));
    return f.format(n);
  }

  private date(iso: string, ms: number): string {
    if (!Number.isFinite(ms)) return iso;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
    const key = `d:${this.locale}:${dateOnly}`;
    let f = this.fmt.get(key) as Intl.DateTimeFormat | undefined;
    if (!f) this.fmt.set(key, (f = new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', ...(dateOnly ? { timeZone: 'UTC' } : {}) })));
    return f.format(ms);
  }

  private statusText(status: MeasureStatus): string {
    return this.t(`tracker.status.${status}` as MessageKey);
  }

  private levelText(level: string): string {
    return level in LEVEL_RANK ? this.t(`tracker.level.${level as Level}`) : level;
  }

  private href(topicId: string): string | undefined {
    return topicLink(this.topicHref, topicId);
  }

  private onTopic(event: Event, measure: TrackerMeasure): void {
    const go = this.dispatchEvent(new ConsultTopicSelectEvent({ topicId: measure.topicId, measureId: measure.id }));
    if (!go) event.preventDefault();
  }

  private onFilter(event: Event): void {
    const control = event.target as HTMLInputElement | HTMLSelectElement;
    switch (control.name) {
      case 'status':
        this.filterStatus = control.value as TrackerStatusFilter;
        break;
      case 'party':
        this.filterParty = control.value;
        break;
      case 'level':
        this.filterLevel = control.value;
        break;
      case 'overdue':
        this.overdueOnly = (control as HTMLInputElement).checked;
        break;
      case 'sort':
        this.sort = control.value as TrackerSort;
        break;
      default:
        return;
    }
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }

  private clearFilters(): void {
    this.filterStatus = '';
    this.filterParty = '';
    this.filterLevel = '';
    this.overdueOnly = false;
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLSelectElement>('#status')?.focus());
  }

  private get filtering(): boolean {
    return this.filterStatus !== '' || this.filterParty !== '' || this.filterLevel !== '' || this.overdueOnly;
  }

  protected override render() {
    const locale = this.locale;
    const { measures, config, clock } = this.data();
    // One room's measures are all there is to count and filter (as one programme's are without it).
    const rows = this.inRoom(this.toRows(measures, clock.ms, clock.explicit, config, locale), this.room ?? '');
    const choices = this.choices(rows, config, locale);
    const shown = this.view(rows, this.filterStatus, this.filterParty, this.filterLevel, this.overdueOnly, this.sort, locale);
    const scale = config?.step.evaluation?.scale ?? 5;
    return html`<section class="base" part="base" aria-labelledby="title">
      <h2 id="title" class="heading" part="heading">${this.t('tracker.title')}</h2>
      ${this.fromIndex ? this.renderIndexSource() : nothing}
      ${rows.length === 0 && !(this.fromIndex && this.filtering) ? nothing : this.renderFilters(choices)}
      <p id="count" class="count" part="count" role="status">
        ${rows.length === 0 ? '' : this.t('tracker.count', { shown: this.number(shown.length), total: this.number(rows.length) })}
      </p>
      ${rows.length === 0
        ? html`<div class="empty" part="empty">
            <p class="empty-title">${this.t('tracker.empty')}</p>
            <p>${this.t('tracker.emptyHint')}</p>
          </div>`
        : shown.length === 0
          ? html`<div class="empty" part="empty">
              <p class="empty-title">${this.t('tracker.noMatch')}</p>
              <button type="button" class="button" @click=${this.clearFilters}>${this.t('tracker.clear')}</button>
            </div>`
          : this.renderList(shown, clock.ms, scale)}
    </section>`;
  }

  /**
   * The list. A few rows are rendered as they are (the list is as tall as they are, up to its
   * height); more scroll in a list of fixed height that renders only the rows near its viewport
   * (WindowController: arrow keys, Page Up / Down, Home and End move from row to row).
   */
  private renderList(shown: Row[], now: number, scale: number) {
    const label = this.t('tracker.list');
    const row = (r: Row, i: number, windowed = false) => this.renderRow(r, i, shown.length, now, scale, windowed);
    const { start, end, windowed } = this.rows.range(shown, (r) => r.key);
    if (!windowed) {
      return html`<div id="list" class="list list--plain" part="list" role="list" tabindex="0" aria-label=${label} aria-describedby="count">
        ${repeat(shown, (r) => r.key, row)}
      </div>`;
    }
    return html`<div
      id="list"
      class="list list--virtual"
      part="list"
      role="list"
      tabindex="0"
      aria-label=${label}
      aria-describedby="count"
      data-window
      @scroll=${this.rows.onScroll}
      @keydown=${this.rows.onKeydown}
    >
      ${repeat(shown.slice(start, end), (r) => r.key, (r, i) => row(r, start + i, true))}
    </div>`;
  }

  private renderFilters(choices: { parties: Array<[string, string]>; levels: Level[] }) {
    const all = this.t('tracker.filter.all');
    const status = this.filterStatus;
    return html`<form class="filters" part="filters" role="search" aria-label=${this.t('tracker.filters')} @submit=${(e: Event) => e.preventDefault()}>
      <div class="control">
        <label class="label" for="status">${this.t('tracker.filter.status')}</label>
        <select id="status" name="status" class="input" @change=${this.onFilter}>
          <option value="" ?selected=${status === ''}>${all}</option>
          ${STATUSES.map((s) => html`<option value=${s} ?selected=${status === s}>${this.statusText(s)}</option>`)}
          <option value="overdue" ?selected=${status === 'overdue'}>${this.t('tracker.status.overdue')}</option>
        </select>
      </div>
      <div class="control">
        <label class="label" for="party">${this.t('tracker.filter.party')}</label>
        <select id="party" name="party" class="input" @change=${this.onFilter}>
          <option value="" ?selected=${this.filterParty === ''}>${all}</option>
          ${choices.parties.map(([id, label]) => html`<option value=${id} ?selected=${this.filterParty === id}>${label}</option>`)}
        </select>
      </div>
      <div class="control">
        <label class="label" for="level">${this.t('tracker.filter.level')}</label>
        <select id="level" name="level" class="input" @change=${this.onFilter}>
          <option value="" ?selected=${this.filterLevel === ''}>${all}</option>
          ${choices.levels.map((l) => html`<option value=${l} ?selected=${this.filterLevel === l}>${this.levelText(l)}</option>`)}
        </select>
      </div>
      <div class="control">
        <label class="label" for="sort">${this.t('tracker.sort')}</label>
        <select id="sort" name="sort" class="input" @change=${this.onFilter}>
          ${SORTS.map((s) => html`<option value=${s} ?selected=${this.sort === s}>${this.t(`tracker.sort.${s}`)}</option>`)}
        </select>
      </div>
      <div class="control control--check">
        <input id="overdue" name="overdue" type="checkbox" class="check" .checked=${this.overdueOnly} @change=${this.onFilter} />
        <label for="overdue">${this.t('tracker.filter.overdueOnly')}</label>
      </div>
      ${this.filtering
        ? html`<div class="control control--clear">
            <button type="button" class="button button--link" @click=${this.clearFilters}>${this.t('tracker.clear')}</button>
          </div>`
        : nothing}
    </form>`;
  }

  private renderRow(row: Row, index: number, size: number, now: number, scale: number, windowed: boolean): TemplateResult {
    const m = row.measure;
    const href = this.href(m.topicId);
    const title = m.topicTitle || m.topicId;
    const topic = href
      ? html`<a class="topic-link" part="topic-link" href=${href} @click=${(e: Event) => this.onTopic(e, m)}
          >${title}<span class="visually-hidden">${this.t('tracker.openTopic')}</span></a
        >`
      : html`<button type="button" class="topic-link topic-button" part="topic-link" @click=${(e: Event) => this.onTopic(e, m)}>
          ${title}<span class="visually-hidden">${this.t('tracker.openTopic')}</span>
        </button>`;
    const days = row.overdue ? Math.max(1, overdueDays(row.dueMs, now)) : 0;
    return html`<div
      role="listitem"
      class="row ${row.overdue ? 'row--overdue' : ''}"
      part="row"
      data-key=${row.key}
      aria-posinset=${index + 1}
      aria-setsize=${size}
      tabindex=${ifDefined(windowed ? -1 : undefined)}
    >
      <p class="badges">
        <span class="status status--${m.status}" part="status">${icon(STATUS_ICONS[m.status] ?? STATUS_ICONS.proposed)}${this.statusText(m.status)}</span>
        ${row.overdue
          ? html`<span class="overdue" part="overdue">${icon(warningIcon)}${this.t('tracker.overdueDays', { days: this.number(days) })}</span>`
          : nothing}
      </p>
      <p class="measure" part="measure">${m.text}</p>
      ${m.status === 'declined' && m.reason ? html`<p class="note">${this.t('tracker.reason', { reason: m.reason })}</p>` : nothing}
      ${m.status === 'implemented' && m.result ? html`<p class="note">${this.t('tracker.result', { result: m.result })}</p>` : nothing}
      <dl class="facts">
        <div class="fact fact--topic">
          <dt>${this.t('tracker.topic')}</dt>
          <dd>${topic}</dd>
        </div>
        <div class="fact">
          <dt>${this.t('tracker.party')}</dt>
          <dd>${row.partyLabel}</dd>
        </div>
        <div class="fact">
          <dt>${this.t('tracker.due')}</dt>
          <dd>
            <time datetime=${m.due}>${this.date(m.due, row.dueMs)}</time>
            ${!row.overdue && m.status !== 'implemented' && m.status !== 'declined' ? this.renderDueWords(m.due, now) : nothing}
          </dd>
        </div>
        <div class="fact">
          <dt>${this.t('tracker.feedback')}</dt>
          <dd>${m.feedbackGiven ? this.t('tracker.feedback.yes') : this.t('tracker.feedback.no')}</dd>
        </div>
        <div class="fact">
          <dt>${this.t('tracker.level')}</dt>
          <dd>${this.levelText(m.level)}</dd>
        </div>
        <div class="fact fact--rating">
          <dt>${this.t('tracker.rating')}</dt>
          <dd>${this.renderRating(m, scale)}</dd>
        </div>
      </dl>
    </div>`;
  }

  /** "Due in 3 days / 3 天后到期", "Due today / 今天到期" for an open measure not yet overdue. */
  private renderDueWords(due: string, now: number) {
    const state = dueState(due, now);
    return state && state.kind !== 'overdue' ? html`<span class="due-words" part="due">${dueWords((key, params) => this.t(key, params), state, (n) => this.number(n))}</span>` : nothing;
  }

  private renderRating(m: TrackerMeasure, scale: number) {
    if (m.rating === null || m.rating === undefined || !Number.isFinite(m.rating)) return this.t('tracker.rating.none');
    if (m.ratingCount && m.ratingCount > 0) {
      const kinds = ratingKindsText((key, params) => this.t(key, params), (n) => this.number(n), m.ratingCount, m.ratingKinds);
      return html`<consult-star-rating .readonly=${true} lang=${this.locale} .average=${m.rating} .count=${m.ratingCount} .scale=${scale}></consult-star-rating>
        ${kinds ? html`<span class="rating-kinds" data-rating-kinds>${kinds}</span>` : nothing}`;
    }
    return this.t('tracker.rating.value', { average: (Math.round(m.rating * 10) / 10).toFixed(1), scale });
  }
}
