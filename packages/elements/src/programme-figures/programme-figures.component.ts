import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import {
  selectFigures,
  toMillis,
  type ProgrammeFigures,
  type StageKey,
  type StepType,
  type TopicSnapshot,
  type Trends,
  type WorkflowConfig,
} from '@consult-kit/machine/core';
import { topicIndexClient, type ConsultStore, type ReadFailure } from '@consult-kit/store';
import { ConsultElement } from '../base/consult-element.js';
import { icon, tickIcon, warningIcon } from '../base/icons.js';
import { memo } from '../base/memo.js';
import { StoreController } from '../controllers/store-controller.js';
import type { Locale } from '../i18n/locale.js';
import type { MessageKey } from '../i18n/messages.js';
import { corePart, trackerPart } from '../i18n/parts.js';
import '../star-rating/consult-star-rating.js';
import { reportStyles } from '../styles/report.js';
import { hostStyles } from '../styles/tokens.js';
import { serverOfStore } from '../outcomes-board/server-source.js';
import { programmeFiguresStyles } from './programme-figures.styles.js';
import { ratingKindsText } from './rating-kinds.js';

/** The lifecycle's stages in order, for a programme whose config we do not have. */
const DEFAULT_ORDER: readonly StageKey[] = ['intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation', 'closed'];
const ENDINGS: readonly StageKey[] = ['closed', 'rejected', 'merged', 'redirected', 'unresolved'];
const STEP_TYPES = new Set<string>(['intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation']);

interface Stage {
  key: StageKey;
  label: string;
  count: number;
}

/** The topics of one room (`context.room`), or all of them without a room. */
function topicsOf(from: Iterable<TopicSnapshot> | ReadonlyMap<string, TopicSnapshot>, room: string | undefined): TopicSnapshot[] {
  const list: TopicSnapshot[] = from instanceof Map ? [...(from as ReadonlyMap<string, TopicSnapshot>).values()] : [...(from as Iterable<TopicSnapshot>)];
  return room ? list.filter((t) => t.context.room === room) : list;
}

function figuresOfTopics(list: readonly TopicSnapshot[], now: string | number | undefined) {
  const ms = typeof now === 'number' ? now : toMillis(now);
  return { figures: selectFigures(list, Number.isFinite(ms) ? ms : Date.now()), config: list[0]?.context.config };
}

/** What the figures read of a store: `<consult-workflow>`'s, through context. */
type FiguresStore = Pick<ConsultStore, 'config' | 'topics' | 'subscribe'> & Partial<Pick<ConsultStore, 'programmeId' | 'status'>>;

/** Where the numbers on screen come from, said on screen. */
type Origin = 'given' | 'server' | 'stale' | 'offline' | 'local';

/** Whether the trend chart's module was asked for already (once per page), and whether it loaded. */
let chartLoad: Promise<boolean> | undefined;

/** Loads `<consult-trend-chart>` the first time there are trends to draw: the figures' first view is without it. */
function loadTrendChart(): Promise<boolean> {
  chartLoad ??= import('../trend-chart/consult-trend-chart.js').then(
    () => true,
    (error: unknown) => {
      // Said once; the figures stay without the charts (their numbers are all still there).
      console.warn('consult-kit <consult-programme-figures>: the trend chart could not load', error);
      return false;
    },
  );
  return chartLoad;
}

/** The figures of no topics: every count 0, no average. */
const EMPTY: ProgrammeFigures = selectFigures([], 0);

/** A horizontal bar: `part` of `whole`, drawn by an SVG rect's `width` attribute (no inline style). */
function bar(part: number, whole: number): TemplateResult {
  const width = whole > 0 ? Math.max(0, Math.min(100, (part / whole) * 100)) : 0;
  return html`<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
    <rect class="track" x="0" y="0" width="100" height="10"></rect>
    <rect class="fill" x="0" y="0" width=${width.toFixed(2)} height="10"></rect>
  </svg>`;
}

/**
 * @tag consult-programme-figures
 * @summary The figures the programmes report (有事好商量 results): topics raised (提出) and solved
 * (办结), consultation meetings held (协商会议), participants (参与人次), measures implemented
 * (已落实) of all agreed, average satisfaction (满意度) with how many ratings were counted and from
 * whom by kind, never by name ("已计入 3 份评价：提出人 2、社区居民 1"), and overdue measures (逾期) — as cards
 * with small charts (topics by stage, measures implemented, the star average), each chart an image
 * with a complete text alternative, and the same numbers in data tables ("View as table").
 *
 * Data, first found wins: the `figures` property (`selectFigures`' result), the `topics`
 * property (topic snapshots), the city server's figures (`GET {endpoint}/programmes/{programme}/figures`,
 * counted over every topic the server holds: with the `endpoint` and `programme` attributes, or
 * inside `<consult-workflow>` when it sends to a city backend: its `endpoint`, or the config's
 * `transport: http`), or the workflow's store
 * (the topics held on this device: the local transport). A line under the title says which, and
 * when the server's were counted; while the server cannot be reached it shows the server's last
 * figures, or else counts this device's topics and says they may be fewer.
 *
 * With `room`, the figures of one consultation room (协商议事室): topics whose `context.room` is
 * that room, or the server's figures with `?room=`. Under the figures, once there is a topic, the
 * month-by-month trends as three `<consult-trend-chart>`s (topics raised by source and solved,
 * satisfaction, measures on time vs late), loaded on demand, so the first view does not carry them:
 * from the same topics (`selectTrends`), the `trends` property, or the server's
 * `GET …/trends?room=`.
 *
 * @attr endpoint - Base URL of the city's backend, e.g. `/api` (with `programme`): show its figures.
 * @attr programme - The programme's id on that backend.
 * @attr room - A consultation room's id (`rooms.list[].id`): that room's figures and trends only.
 * @attr no-trends - Leave the month-by-month charts out.
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 * @attr now - The time to judge "overdue" by (ISO 8601); defaults to when the data arrived.
 * @attr large-text - Larger text for older residents.
 *
 * @event consult-error - Working out or showing the figures failed. `detail`: `{ code, message, error }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart heading - The title.
 * @csspart origin - The line saying where the figures come from (the city server and when, or this device).
 * @csspart card - Each figure's card (also `card-alert` on the overdue card when measures are overdue).
 * @csspart value - A card's number.
 * @csspart chart - Each chart (an image with a text alternative).
 * @csspart tables - The "View as table" disclosure with the data tables.
 * @csspart table - Each data table.
 * @csspart room - The line naming the room, with `room`.
 * @csspart trends - The month-by-month section with `<consult-trend-chart>` (once it has loaded).
 *
 * @cssproperty --bar-color - Colour of the bars (default the primary colour).
 * @cssproperty --bar-track-color - Colour of the bars' empty part.
 * @cssproperty --card-min-width - Narrowest a card gets before the grid wraps (default 10 × `--consult-font-size`).
 * @cssproperty --overdue-color - Colour of the overdue figure when there are overdue measures (default the error colour).
 * @cssproperty --consult-font-scale - Text size factor; `large-text` sets `--consult-font-scale-large` (global token).
 */
export class ConsultProgrammeFigures extends ConsultElement {
  static override styles = [hostStyles, reportStyles, programmeFiguresStyles];
  static override catalogues = [corePart, trackerPart];

  static override properties = {
    ...ConsultElement.properties,
    figures: { attribute: false },
    topics: { attribute: false },
    config: { attribute: false },
    now: {},
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    endpoint: {},
    programme: {},
    room: {},
    noTrends: { type: Boolean, attribute: 'no-trends' },
    trends: { attribute: false },
    fetch: { attribute: false },
    served: { state: true, attribute: false },
    chartReady: { state: true, attribute: false },
  };

  /** A consultation room's id: the figures (and trends) of that room only. */
  declare room: string | undefined;
  /** Leave the month-by-month charts out. */
  declare noTrends: boolean;
  /** The trends to chart (`selectTrends`' result), e.g. with `figures`; else counted from the topics or read from the server. */
  declare trends: Trends | undefined;
  /** Whether `<consult-trend-chart>` has loaded (it is asked for once there are trends to draw). */
  declare private chartReady: boolean;

  /** Base URL of the city's backend (with `programme`): the element shows the server's figures. */
  declare endpoint: string | undefined;
  /** The programme's id on the backend. */
  declare programme: string | undefined;
  /** The `fetch` to read the server with (default the page's). */
  declare fetch: typeof globalThis.fetch | undefined;
  /** The server's last answer (figures and when), and the last failure after it. */
  declare private served: { key: string; figures?: ProgrammeFigures; receivedAt?: string; failure?: ReadFailure } | undefined;

  /** The figures to show (`selectFigures(topics, now)`); wins over `topics` and the workflow's store. */
  declare figures: ProgrammeFigures | undefined;
  /** Topic snapshots to count (with `selectFigures`), when `figures` is not set. */
  declare topics: Iterable<TopicSnapshot> | undefined;
  /** The programme's config, for stage names and the rating scale; defaults to the topics' or the workflow's. */
  declare config: WorkflowConfig | undefined;
  /** The time to judge "overdue" by (ISO, or epoch ms as a property); defaults to when the data arrived. */
  declare now: string | number | undefined;
  /** Larger text for older residents. */
  declare largeText: boolean;

  private readonly storeController = new StoreController<FiguresStore>(this);
  private requested: string | undefined;
  private abort: AbortController | undefined;
  private readonly onOnline = () => {
    this.requested = undefined;
    this.requestUpdate();
  };
  private readonly fromTopics = memo(figuresOfTopics);
  private readonly inRoom = memo(topicsOf);
  private readonly toStages = memo((figures: ProgrammeFigures, config: WorkflowConfig | undefined, locale: Locale): Stage[] => {
    const counts = figures.topicsByStage;
    const keys: StageKey[] = config ? [...config.steps.map((s) => s.type), 'closed'] : DEFAULT_ORDER.filter((k) => (counts[k] ?? 0) > 0 || k === 'closed');
    for (const k of ENDINGS) if (!keys.includes(k) && (counts[k] ?? 0) > 0) keys.push(k);
    for (const k of Object.keys(counts) as StageKey[]) if (!keys.includes(k) && (counts[k] ?? 0) > 0) keys.push(k);
    return keys.map((key) => ({ key, label: this.stageLabel(key, config, locale), count: counts[key] ?? 0 }));
  });

  constructor() {
    super();
    this.figures = undefined;
    this.topics = undefined;
    this.config = undefined;
    this.now = undefined;
    this.largeText = false;
    this.endpoint = undefined;
    this.programme = undefined;
    this.fetch = undefined;
    this.served = undefined;
    this.room = undefined;
    this.noTrends = false;
    this.trends = undefined;
    this.chartReady = false;
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

  /** The city server to read figures from: the attributes, or the workflow's programme when it sends to one. */
  private server(): { endpoint: string; programmeId: string } | undefined {
    if (this.figures || this.topics) return undefined;
    if (this.endpoint && this.programme) return { endpoint: this.endpoint, programmeId: this.programme };
    return serverOfStore(this, this.storeController.store);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const server = this.server();
    if (!server) return;
    const now = typeof this.now === 'string' && this.now.includes('T') ? this.now : undefined;
    // Asked again when the store moves (an event sent or pulled) or the browser comes back online.
    const revision = this.storeController.store?.status?.revision ?? 0;
    const key = `${server.endpoint}|${server.programmeId}|${this.room ?? ''}|${now ?? ''}|${revision}`;
    if (key !== this.requested) void this.load(server, now, key);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (!this.chartReady && this.chartInput() !== undefined) {
      void loadTrendChart().then((ok) => {
        if (ok) this.chartReady = true;
      });
    }
  }

  private async load(server: { endpoint: string; programmeId: string }, now: string | undefined, key: string): Promise<void> {
    this.requested = key;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const client = topicIndexClient({ ...server, ...(this.fetch ? { fetch: this.fetch } : {}) });
    const result = await client.figures(now, abort.signal, this.room || undefined);
    if (abort.signal.aborted || this.requested !== key) return;
    this.abort = undefined;
    const place = this.place(server);
    const before = this.served?.key === place ? this.served : undefined;
    this.served = result.ok
      ? { key: place, figures: result.value, receivedAt: result.receivedAt }
      : { key: place, ...(before?.figures ? { figures: before.figures, receivedAt: before.receivedAt! } : {}), failure: result };
  }

  /** The server and room the last answer is for. */
  private place(server: { endpoint: string; programmeId: string }): string {
    return `${server.endpoint}|${server.programmeId}|${this.room ?? ''}`;
  }

  private data(): { figures: ProgrammeFigures; config: WorkflowConfig | undefined; origin: Origin; at?: string; topics?: TopicSnapshot[] } {
    const store = this.storeController.store;
    if (this.figures) return { figures: this.figures, config: this.config ?? store?.config, origin: 'given' };
    const server = this.server();
    if (server) {
      const served = this.served?.key === this.place(server) ? this.served : undefined;
      if (served?.figures) {
        return { figures: served.figures, config: this.config ?? store?.config, origin: served.failure ? 'stale' : 'server', at: served.receivedAt! };
      }
      // Not answered (yet), or unreachable with nothing from it: this device's topics, said so once it failed.
      if (!served?.failure) return { figures: EMPTY, config: this.config ?? store?.config, origin: 'server' };
      if (!store) return { figures: EMPTY, config: this.config, origin: 'offline' };
    }
    const from = this.topics ?? store?.topics;
    const origin: Origin = this.topics ? 'given' : server ? 'offline' : 'local';
    if (!from) return { figures: EMPTY, config: this.config ?? store?.config, origin: 'given' };
    const topics = this.inRoom(from, this.room || undefined);
    const read = this.fromTopics(topics, this.now);
    return { figures: read.figures, config: this.config ?? read.config ?? store?.config, origin, topics };
  }

  /**
   * What the trend charts draw, when there is anything: the `trends` property; the topics counted
   * here (with a topic among them); or the server (its figures counted a topic). Undefined: no charts.
   */
  private chartInput(): { trends: Trends } | { topics: TopicSnapshot[]; config: WorkflowConfig | undefined } | { server: { endpoint: string; programmeId: string } } | undefined {
    if (this.noTrends) return undefined;
    if (this.trends) return this.trends.months.length > 0 ? { trends: this.trends } : undefined;
    const { figures, config, origin, topics } = this.data();
    if (figures.topicsRaised === 0) return undefined;
    if (topics) return { topics, config };
    const server = this.server();
    if (server && (origin === 'server' || origin === 'stale')) return { server };
    return undefined;
  }

  /** The month-by-month charts, once `<consult-trend-chart>` has loaded. */
  private renderTrends(): TemplateResult | typeof nothing {
    const input = this.chartReady ? this.chartInput() : undefined;
    if (!input) return nothing;
    const now = typeof this.now === 'number' ? new Date(this.now).toISOString() : this.now;
    const room = this.room || undefined;
    const chart =
      'trends' in input
        ? html`<consult-trend-chart .trends=${input.trends} .config=${this.config} ?large-text=${this.largeText}></consult-trend-chart>`
        : 'topics' in input
          ? html`<consult-trend-chart .topics=${input.topics} .config=${input.config} room=${ifDefined(room)} now=${ifDefined(now)} ?large-text=${this.largeText}></consult-trend-chart>`
          : html`<consult-trend-chart
              endpoint=${input.server.endpoint}
              programme=${input.server.programmeId}
              room=${ifDefined(room)}
              now=${ifDefined(typeof now === 'string' && now.includes('T') ? now : undefined)}
              .config=${this.config ?? this.storeController.store?.config}
              .fetch=${this.fetch}
              ?large-text=${this.largeText}
            ></consult-trend-chart>`;
    return html`<section class="trends" part="trends" aria-labelledby="trends-title">
      <h3 id="trends-title" class="trends-title">${this.t('figures.trends')}</h3>
      ${chart}
    </section>`;
  }

  /** The room's name, when the figures are of one room. */
  private roomName(config: WorkflowConfig | undefined): string | undefined {
    if (!this.room) return undefined;
    const found = config?.rooms?.list.find((r) => r.id === this.room);
    return found ? this.text(found.name, this.room) : this.room;
  }

  private dateTime(iso: string): string {
    const ms = Date.parse(iso);
    if (!Number.isFinite(ms)) return iso;
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
  }

  private renderOrigin(origin: Origin, at: string | undefined): TemplateResult | typeof nothing {
    switch (origin) {
      case 'server':
        return at ? html`<p class="origin" part="origin">${this.t('figures.source.server', { time: this.dateTime(at) })}</p>` : html`<p class="origin" part="origin">${this.t('common.loading')}</p>`;
      case 'stale':
        return html`<p class="origin origin--alert" part="origin" role="status">${icon(warningIcon)}${this.t('figures.source.stale', { time: this.dateTime(at ?? '') })}</p>`;
      case 'offline':
        return html`<p class="origin origin--alert" part="origin" role="status">${icon(warningIcon)}${this.t('figures.source.offline')}</p>`;
      case 'local':
        return html`<p class="origin" part="origin">${this.t('figures.source.local')}</p>`;
      default:
        return nothing;
    }
  }

  private stageLabel(key: StageKey, config: WorkflowConfig | undefined, locale: Locale): string {
    const custom = STEP_TYPES.has(key) ? config?.step[key as StepType]?.label?.[locale] : undefined;
    return custom ?? this.t(`figures.stage.${key}` as MessageKey);
  }

  private formats = new Map<string, Intl.NumberFormat>();
  private format(n: number, kind: 'int' | 'one' | 'percent' = 'int'): string {
    const key = `${this.locale}:${kind}`;
    let f = this.formats.get(key);
    if (!f) {
      const options: Intl.NumberFormatOptions =
        kind === 'percent' ? { style: 'percent', maximumFractionDigits: 0 } : kind === 'one' ? { minimumFractionDigits: 1, maximumFractionDigits: 1 } : {};
      this.formats.set(key, (f = new Intl.NumberFormat(this.locale, options)));
    }
    return f.format(n);
  }

  private ratio(part: number, whole: number): string {
    return this.format(whole > 0 ? part / whole : 0, 'percent');
  }

  protected override render() {
    const locale = this.locale;
    const { figures: f, config, origin, at } = this.data();
    const stages = this.toStages(f, config, locale);
    const scale = config?.step.evaluation?.scale ?? 5;
    const average = f.averageSatisfaction;
    const averageText =
      average === null || !Number.isFinite(average) ? this.t('figures.noRatings') : this.t('figures.average', { average: this.format(average, 'one'), scale });
    const solvedText = this.t('figures.solvedOf', { solved: this.format(f.topicsSolved), raised: this.format(f.topicsRaised), percent: this.ratio(f.topicsSolved, f.topicsRaised) });
    const implementedText = this.t('figures.implementedOf', {
      implemented: this.format(f.measuresImplemented),
      total: this.format(f.measuresTotal),
      percent: this.ratio(f.measuresImplemented, f.measuresTotal),
    });
    const stageAlt = this.t('figures.byStageAlt', {
      list: stages.map((s) => this.t('figures.stageItem', { stage: s.label, count: this.format(s.count) })).join(this.t('figures.listSeparator')),
    });
    // From whom by kind, never by name (absent from a server older than the tally).
    const kindsText = ratingKindsText((key, params) => this.t(key, params), (n) => this.format(n), f.ratings, f.ratingsByKind as ProgrammeFigures['ratingsByKind'] | undefined);
    const maxStage = Math.max(1, ...stages.map((s) => s.count));
    const overdue = f.measuresOverdue > 0;

    return html`<section class="base" part="base" aria-labelledby="title">
      <h2 id="title" class="heading" part="heading">${this.t('figures.title')}</h2>
      ${this.room ? html`<p class="room" part="room" data-room=${this.room}>${this.t('figures.room', { room: this.roomName(config) ?? this.room })}</p>` : nothing}
      ${this.renderOrigin(origin, at)}
      <div class="cards">
        ${this.card('topicsRaised', f.topicsRaised)}
        ${this.card('topicsSolved', f.topicsSolved, html`<div class="chart" part="chart" role="img" aria-label=${solvedText}>
            ${bar(f.topicsSolved, f.topicsRaised)}
            <p class="caption">${solvedText}</p>
          </div>`)}
        ${this.card('meetingsHeld', f.meetingsHeld)}
        ${this.card('participants', f.participants)}
        ${this.card('measuresImplemented', f.measuresImplemented, html`<div class="chart" part="chart" role="img" aria-label=${implementedText}>
            ${bar(f.measuresImplemented, f.measuresTotal)}
            <p class="caption">${implementedText}</p>
          </div>`)}
        <div class="card card--satisfaction" part="card" data-figure="averageSatisfaction">
          <h3 class="label">${this.t('figures.satisfaction')}</h3>
          ${average === null || !Number.isFinite(average)
            ? html`<p class="value value--none" part="value">${this.t('figures.noRatings')}</p>`
            : html`<p class="value" part="value">${this.format(average, 'one')}<span class="unit"> / ${scale}</span></p>
                <consult-star-rating class="chart" part="chart" .readonly=${true} lang=${locale} .average=${average} .count=${f.ratings} .scale=${scale}></consult-star-rating>`}
          <p class="caption" data-figure="ratings">${this.t('figures.ratingsCount', { count: this.format(f.ratings) })}</p>
          ${kindsText ? html`<p class="caption" data-figure="ratingsByKind">${kindsText}</p>` : nothing}
        </div>
        <div class="card ${overdue ? 'card--alert' : 'card--ok'}" part=${overdue ? 'card card-alert' : 'card'} data-figure="measuresOverdue">
          <h3 class="label">${this.t('figures.measuresOverdue')}</h3>
          <p class="value" part="value">${this.format(f.measuresOverdue)}</p>
          <p class="caption status">
            ${icon(overdue ? warningIcon : tickIcon)}
            ${overdue ? this.t('figures.overdueAlert', { count: this.format(f.measuresOverdue) }) : this.t('figures.noOverdue')}
          </p>
        </div>
      </div>

      <figure class="stages">
        <figcaption class="stages-title" id="stages-title">${this.t('figures.byStage')}</figcaption>
        ${f.topicsRaised === 0
          ? html`<p class="caption">${this.t('figures.noTopics')}</p>`
          : html`<div class="chart stage-chart" part="chart" role="img" aria-label=${stageAlt}>
              ${stages.map(
                (s) => html`<div class="stage stage--${s.key}">
                  <span class="stage-label">${s.label}</span>
                  ${bar(s.count, maxStage)}
                  <span class="stage-count">${this.format(s.count)}</span>
                </div>`,
              )}
            </div>`}
      </figure>

      <details class="tables" part="tables">
        <summary>${this.t('figures.viewTable')}</summary>
        <table part="table">
          <caption>${this.t('figures.table.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">${this.t('figures.table.figure')}</th>
              <th scope="col">${this.t('figures.table.value')}</th>
            </tr>
          </thead>
          <tbody>
            ${this.tableRow('topicsRaised', this.format(f.topicsRaised))}
            ${this.tableRow('topicsSolved', this.format(f.topicsSolved))}
            ${this.tableRow('meetingsHeld', this.format(f.meetingsHeld))}
            ${this.tableRow('participants', this.format(f.participants))}
            ${this.tableRow('measuresTotal', this.format(f.measuresTotal))}
            ${this.tableRow('measuresImplemented', this.format(f.measuresImplemented))}
            ${this.tableRow('measuresOverdue', this.format(f.measuresOverdue))}
            ${this.tableRow('ratings', this.format(f.ratings))}
            ${kindsText
              ? html`<tr data-figure="ratingsByKind">
                  <th scope="row">${this.t('figures.ratingsByKind')}</th>
                  <td>${kindsText}</td>
                </tr>`
              : nothing}
            <tr data-figure="averageSatisfaction">
              <th scope="row">${this.t('figures.satisfaction')}</th>
              <td>${averageText}</td>
            </tr>
          </tbody>
        </table>
        <table part="table" class="stage-table">
          <caption>${this.t('figures.table.stageCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">${this.t('figures.table.stage')}</th>
              <th scope="col">${this.t('figures.table.count')}</th>
            </tr>
          </thead>
          <tbody>
            ${stages.map(
              (s) => html`<tr data-stage=${s.key}>
                <th scope="row">${s.label}</th>
                <td>${this.format(s.count)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </details>
      ${this.renderTrends()}
    </section>`;
  }

  private card(key: 'topicsRaised' | 'topicsSolved' | 'meetingsHeld' | 'participants' | 'measuresImplemented', value: number, extra?: TemplateResult) {
    return html`<div class="card" part="card" data-figure=${key}>
      <h3 class="label">${this.t(`figures.${key}`)}</h3>
      <p class="value" part="value">${this.format(value)}</p>
      ${extra ?? nothing}
    </div>`;
  }

  private tableRow(key: 'topicsRaised' | 'topicsSolved' | 'meetingsHeld' | 'participants' | 'measuresTotal' | 'measuresImplemented' | 'measuresOverdue' | 'ratings', value: string) {
    return html`<tr data-figure=${key}>
      <th scope="row">${this.t(`figures.${key}`)}</th>
      <td>${value}</td>
    </tr>`;
  }
}
