import { html, nothing, svg, type PropertyValues, type SVGTemplateResult, type TemplateResult } from 'lit';
import { SOURCE_IDS, selectTrends, toMillis, type SourceId, type TopicSnapshot, type TrendMonth, type Trends, type WorkflowConfig } from '@consult-kit/machine/core';
import { topicIndexClient, type ReadFailure } from '@consult-kit/store';
import { ConsultElement } from '../base/consult-element.js';
import { memo } from '../base/memo.js';
import type { MessageKey } from '../i18n/messages.js';
import { chartsPart, corePart } from '../i18n/parts.js';
import { reportButtonStyles, reportStyles } from '../styles/report.js';
import { hostStyles } from '../styles/tokens.js';
import { centre, countAxis, frame, labelStride, starAxis, yOf, type Frame, type ValueAxis } from './chart-scale.js';
import { trendChartStyles } from './trend-chart.styles.js';

/** The charts the element draws: topics raised (by source) and solved, average satisfaction, measures on time vs late. */
export type TrendKind = 'raised' | 'satisfaction' | 'measures';
export const TREND_KINDS: readonly TrendKind[] = ['raised', 'satisfaction', 'measures'];

/** How a series is told apart besides its colour: its fill pattern. */
type PatternKind = 'solid' | 'diagonal' | 'dots' | 'horizontal' | 'cross';
const SOURCE_PATTERNS: Readonly<Record<SourceId, PatternKind>> = { resident: 'solid', member: 'diagonal', government: 'dots', grid: 'horizontal', open311: 'cross' };

/** The server's trends, or why there are none, for one request. */
type Served = { key: string; trends?: Trends; failure?: ReadFailure };

/** A month `YYYY-MM` as a UTC time (NaN when it is not one). */
function monthMs(month: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, 1) : Number.NaN;
}

/** `selectTrends` over topic snapshots (a Map's values or any iterable), with the topics' own config when none is given. */
function trendsOfTopics(
  topics: readonly TopicSnapshot[] | ReadonlyMap<string, TopicSnapshot>,
  config: WorkflowConfig | undefined,
  room: string | undefined,
  now: string | undefined,
): Trends {
  const list: readonly TopicSnapshot[] = topics instanceof Map ? [...(topics as ReadonlyMap<string, TopicSnapshot>).values()] : (topics as readonly TopicSnapshot[]);
  const own = config ?? list[0]?.context.config;
  if (!own) return { room: room ?? null, months: [] };
  const ms = toMillis(now);
  return selectTrends(list, own, { room: room || null, now: Number.isFinite(ms) ? ms : Date.now() });
}

function isTrends(value: unknown): value is Trends {
  return typeof value === 'object' && value !== null && Array.isArray((value as Trends).months);
}

/** One pattern of the defs: a tile with the series' colour and its marks (the marks stay when colours are forced). */
function pattern(id: string, kind: PatternKind, series: string): SVGTemplateResult {
  const bg = svg`<rect class="pbg pbg--${kind} series--${series}" width="8" height="8"></rect>`;
  const marks: Record<PatternKind, SVGTemplateResult | typeof nothing> = {
    solid: nothing,
    diagonal: svg`<path class="pmark" d="M-2 2L2 -2M0 8L8 0M6 10L10 6"></path>`,
    dots: svg`<circle class="pmark pmark--dot" cx="4" cy="4" r="1.8"></circle>`,
    horizontal: svg`<path class="pmark" d="M0 2H8M0 6H8"></path>`,
    cross: svg`<path class="pmark" d="M0 0L8 8M8 0L0 8"></path>`,
  };
  return svg`<pattern id=${id} data-pattern=${kind} width="8" height="8" patternUnits="userSpaceOnUse">${bg}${marks[kind]}</pattern>`;
}

/** A series as the legend and the bars show it. */
interface Series {
  key: string;
  label: string;
  pattern: PatternKind;
}

/**
 * @tag consult-trend-chart
 * @summary Month-by-month trends of a programme or of one consultation room, as charts people
 * would rather see than read: topics raised per month stacked by source (群众出题 / 委员荐题 / 党政点题 /
 * 网格筛题) with the topics solved as a dashed line, the average satisfaction with the rating scale's
 * top on the axis, and the measures due each month, on time and late. Each chart is an image with
 * a name, a sentence saying what it shows ("Topics raised rose from 3 in March to 11 in July…"),
 * a key, and every number in a data table ("View the data as a table"). Series differ by fill
 * pattern and dash as well as colour, and keep those under forced colours (system colours).
 *
 * Plain SVG drawn by Lit `svg` templates, not a charting library: three small charts need axes,
 * bars and a line, which is a few kilobytes here, while a library that works under a strict CSP
 * (no inline styles, no `eval`) would add some 50–200 KiB to the page. Sizes are CSS pixels of
 * the element's own width (measured), so text stays legible at a phone's 390 px.
 *
 * Data, first found wins: the `trends` property (the machine's `selectTrends`), the `topics`
 * property (topic snapshots, counted here with `selectTrends` for `room` up to `now`), or the
 * city server's `GET {endpoint}/programmes/{programme}/trends?room=&now=` with the `endpoint` and
 * `programme` attributes.
 *
 * @attr kind - `raised`, `satisfaction` or `measures`: one chart. Absent: all three, in that order.
 * @attr endpoint - Base URL of the city's backend, e.g. `/api` (with `programme`), when `trends` is not given.
 * @attr programme - The programme's id on that backend.
 * @attr room - A consultation room's id: that room's trends (else the whole programme's).
 * @attr now - The time counted up to (ISO 8601 date-time with its offset); the server's clock, or this device's for `topics`, when absent.
 * @attr scale - The rating scale's top (stars), default the config's or 5.
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 * @attr large-text - Larger text for older residents.
 *
 * @event consult-error - Drawing the charts failed. `detail`: `{ code, message, error }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart chart - Each chart's figure (`data-kind` says which).
 * @csspart title - A chart's title.
 * @csspart summary - A chart's sentence in words.
 * @csspart svg - A chart's drawing.
 * @csspart legend - A chart's key.
 * @csspart table - A chart's "View the data as a table" disclosure.
 * @csspart notice - The empty, loading or failure message.
 *
 * @cssproperty --series-resident-color - Topics raised by residents (群众出题); default the primary colour.
 * @cssproperty --series-member-color - Recommended by council members (委员荐题).
 * @cssproperty --series-government-color - Assigned by the Party and government (党政点题).
 * @cssproperty --series-grid-color - Screened by grid workers (网格筛题).
 * @cssproperty --series-open311-color - Raised through the 12345 hotline's Open311 link (12345热线).
 * @cssproperty --line-color - The line (solved, average stars); default the text colour.
 * @cssproperty --on-time-color - Measures implemented on time (default the success colour).
 * @cssproperty --late-color - Measures late (default the error colour).
 */
export class ConsultTrendChart extends ConsultElement {
  static override styles = [hostStyles, reportStyles, reportButtonStyles, trendChartStyles];
  static override catalogues = [corePart, chartsPart];

  static override properties = {
    ...ConsultElement.properties,
    trends: { attribute: false },
    topics: { attribute: false },
    config: { attribute: false },
    kind: {},
    endpoint: {},
    programme: {},
    room: {},
    now: {},
    scale: { type: Number },
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    fetch: { attribute: false },
    served: { state: true, attribute: false },
    width: { state: true, attribute: false },
  };

  /** The trends to draw (`selectTrends(topics, config, { room, now })`); wins over the server. */
  declare trends: Trends | undefined;
  /** Topic snapshots to count the trends of (with `selectTrends`), when `trends` is not given. */
  declare topics: readonly TopicSnapshot[] | ReadonlyMap<string, TopicSnapshot> | undefined;
  /** The programme's config: the intake sources' own labels and the rating scale. */
  declare config: WorkflowConfig | undefined;
  /** One chart (`raised`, `satisfaction`, `measures`); absent or anything else: all three. */
  declare kind: string | undefined;
  /** Base URL of the city's backend (with `programme`). */
  declare endpoint: string | undefined;
  /** The programme's id on the backend. */
  declare programme: string | undefined;
  /** A consultation room's id (the server's trends of that room). */
  declare room: string | undefined;
  /** The time the server counts up to (ISO 8601 date-time). */
  declare now: string | undefined;
  /** The rating scale's top; default the config's, else 5. */
  declare scale: number | undefined;
  /** Larger text for older residents. */
  declare largeText: boolean;
  /** The `fetch` to read the server with (default the page's). */
  declare fetch: typeof globalThis.fetch | undefined;
  declare private served: Served | undefined;
  /** The element's width in CSS px, measured (the charts are drawn to it). */
  declare private width: number;

  private readonly fromTopics = memo(trendsOfTopics);
  private requested: string | undefined;
  private abort: AbortController | undefined;
  private resizer: ResizeObserver | undefined;

  constructor() {
    super();
    this.trends = undefined;
    this.topics = undefined;
    this.config = undefined;
    this.kind = undefined;
    this.endpoint = undefined;
    this.programme = undefined;
    this.room = undefined;
    this.now = undefined;
    this.scale = undefined;
    this.largeText = false;
    this.fetch = undefined;
    this.served = undefined;
    this.width = 640;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (typeof ResizeObserver === 'function') {
      this.resizer ??= new ResizeObserver((entries) => {
        const measured = Math.floor(entries[0]?.contentRect.width ?? 0);
        // Drawn in the next frame, not inside the observer's callback: the new drawing changes the
        // element's height, which the observer would otherwise report in the same frame again.
        if (measured > 0 && Math.abs(measured - this.width) >= 2) requestAnimationFrame(() => (this.width = measured));
      });
      this.resizer.observe(this);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizer?.disconnect();
    this.abort?.abort();
    this.abort = undefined;
    this.requested = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.trends || this.topics || !this.endpoint || !this.programme) return;
    const now = this.now?.includes('T') ? this.now : undefined;
    const key = `${this.endpoint}|${this.programme}|${this.room ?? ''}|${now ?? ''}`;
    if (key !== this.requested) void this.load(key, now);
  }

  /** Reads the trends from the server; a failure is a state shown with "Try again", never thrown. */
  private async load(key: string, now: string | undefined): Promise<void> {
    this.requested = key;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const client = topicIndexClient({ endpoint: this.endpoint!, programmeId: this.programme!, ...(this.fetch ? { fetch: this.fetch } : {}) });
      const result = await client.trends({ ...(this.room ? { room: this.room } : {}), ...(now ? { now } : {}) }, abort.signal);
      if (abort.signal.aborted || this.requested !== key) return;
      this.served = result.ok ? { key, trends: result.value } : { key, failure: result };
    } catch (error) {
      this.report('trends-failed', error);
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
  }

  /** Asks the server again. */
  refresh(): void {
    this.requested = undefined;
    this.served = undefined;
    this.requestUpdate();
  }

  // ── Words ─────────────────────────────────────────────────────────────────────────────────

  private formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
  private number(n: number, kind: 'int' | 'one' | 'percent' = 'int'): string {
    const key = `n:${this.locale}:${kind}`;
    let f = this.formats.get(key) as Intl.NumberFormat | undefined;
    if (!f) {
      const options: Intl.NumberFormatOptions =
        kind === 'percent' ? { style: 'percent', maximumFractionDigits: 0 } : kind === 'one' ? { minimumFractionDigits: 1, maximumFractionDigits: 1 } : {};
      this.formats.set(key, (f = new Intl.NumberFormat(this.locale, options)));
    }
    return f.format(n);
  }

  /** A month in words: `long` "July 2026" / "2026年7月", `short` "Jul" / "7月", `year` "2026" / "2026年". */
  private month(month: string, style: 'long' | 'short' | 'year' = 'long'): string {
    const ms = monthMs(month);
    if (!Number.isFinite(ms)) return month;
    const key = `d:${this.locale}:${style}`;
    let f = this.formats.get(key) as Intl.DateTimeFormat | undefined;
    if (!f) {
      const options: Intl.DateTimeFormatOptions =
        style === 'long' ? { year: 'numeric', month: 'long' } : style === 'short' ? { month: 'short' } : { year: 'numeric' };
      this.formats.set(key, (f = new Intl.DateTimeFormat(this.locale, { ...options, timeZone: 'UTC' })));
    }
    return f.format(ms);
  }

  private sourceLabel(source: SourceId, config: WorkflowConfig | undefined): string {
    const custom = config?.step.intake.sources.find((s) => s.id === source)?.label;
    return custom ? this.text(custom, source) : this.t(`form.source.${source}` as MessageKey);
  }

  /** The sources drawn: the config's, else those with a topic in any month (all four when none has). */
  private sources(months: readonly TrendMonth[], config: WorkflowConfig | undefined): SourceId[] {
    const configured = config?.step.intake.sources.map((s) => s.id).filter((s) => SOURCE_IDS.includes(s));
    if (configured && configured.length > 0) {
      // A source the city no longer offers still shows when a month has topics from it.
      return SOURCE_IDS.filter((s) => configured.includes(s) || months.some((m) => (m.raised[s] ?? 0) > 0));
    }
    const present = SOURCE_IDS.filter((s) => months.some((m) => (m.raised[s] ?? 0) > 0));
    return present.length > 0 ? present : [...SOURCE_IDS];
  }

  private get scaleTop(): number {
    const given = this.scale ?? this.config?.step.evaluation?.scale;
    return typeof given === 'number' && Number.isInteger(given) && given > 0 ? given : 5;
  }

  // ── Rendering ─────────────────────────────────────────────────────────────────────────────

  private data(): { trends?: Trends; failure?: ReadFailure; loading: boolean } {
    if (this.trends) return isTrends(this.trends) ? { trends: this.trends, loading: false } : { trends: { room: null, months: [] }, loading: false };
    if (this.topics) return { trends: this.fromTopics(this.topics, this.config, this.room, this.now), loading: false };
    if (!this.endpoint || !this.programme) return { loading: false };
    const served = this.served?.key === this.requested ? this.served : undefined;
    if (!served) return { loading: true };
    return served.trends ? { trends: served.trends, loading: false } : { failure: served.failure!, loading: false };
  }

  protected override render(): TemplateResult {
    const { trends, failure, loading } = this.data();
    const kinds = (TREND_KINDS as readonly string[]).includes(this.kind ?? '') ? [this.kind as TrendKind] : TREND_KINDS;
    let body: TemplateResult;
    if (loading) body = html`<p class="notice" part="notice" role="status">${this.t('charts.loading')}</p>`;
    else if (failure) {
      body = html`<div class="notice notice--alert" part="notice" role="alert">
        <p>${failure.reason === 'offline' ? this.t('charts.offline') : this.t('charts.unavailable', { title: failure.title })}</p>
        <button type="button" class="button" @click=${() => this.refresh()}>${this.t('charts.retry')}</button>
      </div>`;
    } else if (!trends || trends.months.length === 0) body = html`<p class="notice" part="notice">${this.t('charts.empty')}</p>`;
    else body = html`${kinds.map((kind) => this.renderChart(kind, trends.months))}`;
    return html`<div class="base" part="base">${body}</div>`;
  }

  private renderChart(kind: TrendKind, months: readonly TrendMonth[]): TemplateResult {
    const title = this.t(`charts.title.${kind}`);
    const first = months[0]!.month;
    const last = months.at(-1)!.month;
    const alt = first === last ? this.t('charts.altOne', { title, month: this.month(first) }) : this.t('charts.alt', { title, from: this.month(first), to: this.month(last) });
    const f = frame(this.width, months.length);
    const config = this.config;
    let summary: string;
    let drawing: SVGTemplateResult | undefined;
    let legend: Series[];
    let lines: Array<{ key: string; label: string }> = [];
    let table: TemplateResult;
    switch (kind) {
      case 'raised': {
        const sources = this.sources(months, config);
        legend = sources.map((s) => ({ key: s, label: this.sourceLabel(s, config), pattern: SOURCE_PATTERNS[s] }));
        lines = [{ key: 'solved', label: this.t('charts.solved') }];
        summary = this.raisedSummary(months);
        drawing = this.drawRaised(f, months, legend);
        table = this.table(kind, title, [...legend.map((s) => s.label), this.t('charts.raisedTotal'), this.t('charts.solved')], months, (m) => [
          ...sources.map((s) => this.number(m.raised[s] ?? 0)),
          this.number(m.raisedTotal),
          this.number(m.solved),
        ]);
        break;
      }
      case 'satisfaction': {
        legend = [];
        lines = [{ key: 'average', label: this.t('charts.average') }];
        summary = this.satisfactionSummary(months);
        drawing = months.some((m) => m.averageSatisfaction !== null) ? this.drawSatisfaction(f, months) : undefined;
        table = this.table(kind, title, [this.t('charts.average'), this.t('charts.ratings')], months, (m) => [
          m.averageSatisfaction === null ? this.t('charts.none') : this.number(m.averageSatisfaction, 'one'),
          this.number(m.ratings),
        ]);
        break;
      }
      default: {
        legend = [
          { key: 'onTime', label: this.t('charts.onTime'), pattern: 'solid' },
          { key: 'late', label: this.t('charts.late'), pattern: 'cross' },
        ];
        summary = this.measuresSummary(months);
        drawing = months.some((m) => m.measuresDue > 0) ? this.drawMeasures(f, months, legend) : undefined;
        table = this.table(kind, title, [this.t('charts.due'), this.t('charts.onTime'), this.t('charts.late')], months, (m) => [
          this.number(m.measuresDue),
          this.number(m.onTime),
          this.number(m.late),
        ]);
      }
    }
    return html`<figure class="chart" part="chart" data-kind=${kind}>
      <figcaption class="title" part="title">${title}</figcaption>
      <p class="summary" part="summary" id=${`${kind}-summary`}>${summary}</p>
      ${drawing
        ? html`<svg
              class="svg"
              part="svg"
              role="img"
              tabindex="0"
              aria-label=${alt}
              aria-describedby=${`${kind}-summary`}
              viewBox=${`0 0 ${f.width} ${f.height}`}
              width=${f.width}
              height=${f.height}
              focusable="false"
            >
              ${drawing}
            </svg>
            ${this.renderLegend(kind, legend, lines)}`
        : nothing}
      ${table}
    </figure>`;
  }

  private renderLegend(kind: TrendKind, series: readonly Series[], lines: ReadonlyArray<{ key: string; label: string }>): TemplateResult {
    return html`<ul class="legend" part="legend" aria-label=${this.t('charts.legend')}>
      ${series.map(
        (s) => html`<li data-series=${s.key}>
          <svg class="swatch" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            <rect class="bar" x="0.5" y="0.5" width="15" height="15" fill=${`url(#${kind}-${s.key})`} data-pattern=${s.pattern}></rect>
          </svg>
          ${s.label}
        </li>`,
      )}
      ${lines.map(
        (l) => html`<li data-series=${l.key}>
          <svg class="swatch swatch--line" viewBox="0 0 28 16" width="28" height="16" aria-hidden="true" focusable="false">
            <line class="line line--${l.key}" x1="0" y1="8" x2="28" y2="8"></line>
            ${l.key === 'solved'
              ? svg`<rect class="point point--${l.key}" x="10.5" y="4.5" width="7" height="7"></rect>`
              : svg`<circle class="point point--${l.key}" cx="14" cy="8" r="4"></circle>`}
          </svg>
          ${l.label}
        </li>`,
      )}
    </ul>`;
  }

  private table(kind: TrendKind, title: string, columns: readonly string[], months: readonly TrendMonth[], cells: (m: TrendMonth) => string[]): TemplateResult {
    return html`<details class="data" part="table">
      <summary>${this.t('charts.viewTable')}</summary>
      <div class="table-scroll" role="region" tabindex="0" aria-label=${title}>
        <table data-kind=${kind}>
          <caption>${title}</caption>
          <thead>
            <tr>
              <th scope="col">${this.t('charts.month')}</th>
              ${columns.map((c) => html`<th scope="col">${c}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${months.map(
              (m) => html`<tr data-month=${m.month}>
                <th scope="row">${this.month(m.month)}</th>
                ${cells(m).map((c) => html`<td>${c}</td>`)}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </details>`;
  }

  // ── Summaries ─────────────────────────────────────────────────────────────────────────────

  /** The first month with the highest value. */
  private highest(months: readonly TrendMonth[], value: (m: TrendMonth) => number | null): TrendMonth | undefined {
    let best: TrendMonth | undefined;
    for (const m of months) {
      const v = value(m);
      if (v !== null && (best === undefined || v > value(best)!)) best = m;
    }
    return best;
  }

  private raisedSummary(months: readonly TrendMonth[]): string {
    const first = months[0]!;
    const last = months.at(-1)!;
    const max = this.highest(months, (m) => m.raisedTotal)!;
    const params = {
      from: this.number(first.raisedTotal),
      to: this.number(last.raisedTotal),
      fromMonth: this.month(first.month),
      toMonth: this.month(last.month),
      maxMonth: this.month(max.month),
      max: this.number(max.raisedTotal),
    };
    const trend =
      months.length === 1
        ? this.t('charts.summary.raised.one', params)
        : last.raisedTotal > first.raisedTotal
          ? this.t('charts.summary.raised.rose', params)
          : last.raisedTotal < first.raisedTotal
            ? this.t('charts.summary.raised.fell', params)
            : this.t('charts.summary.raised.same', params);
    const raised = months.reduce((n, m) => n + m.raisedTotal, 0);
    const solved = months.reduce((n, m) => n + m.solved, 0);
    if (raised === 0) return trend;
    const share = this.t('charts.summary.solved', { solved: this.number(solved), raised: this.number(raised), percent: this.number(solved / raised, 'percent') });
    return this.t('charts.summary.then', { first: trend, then: share });
  }

  private satisfactionSummary(months: readonly TrendMonth[]): string {
    const rated = months.filter((m) => m.averageSatisfaction !== null && m.ratings > 0);
    if (rated.length === 0) return this.t('charts.summary.noRatings');
    const first = rated[0]!;
    const last = rated.at(-1)!;
    const max = this.highest(rated, (m) => m.averageSatisfaction)!;
    const count = rated.reduce((n, m) => n + m.ratings, 0);
    const params = {
      from: this.number(first.averageSatisfaction!, 'one'),
      to: this.number(last.averageSatisfaction!, 'one'),
      fromMonth: this.month(first.month),
      toMonth: this.month(last.month),
      max: this.number(max.averageSatisfaction!, 'one'),
      maxMonth: this.month(max.month),
      scale: this.scaleTop,
      count: this.number(count),
    };
    return rated.length === 1 ? this.t('charts.summary.satisfactionOne', params) : this.t('charts.summary.satisfaction', params);
  }

  private measuresSummary(months: readonly TrendMonth[]): string {
    const due = months.reduce((n, m) => n + m.measuresDue, 0);
    if (due === 0) return this.t('charts.summary.noMeasures');
    const onTime = months.reduce((n, m) => n + m.onTime, 0);
    const late = months.reduce((n, m) => n + m.late, 0);
    const params = { due: this.number(due), onTime: this.number(onTime), late: this.number(late), percent: this.number(onTime / due, 'percent') };
    if (late === 0) return this.t('charts.summary.measuresNoneLate', params);
    const max = this.highest(months, (m) => m.late)!;
    return this.t('charts.summary.measures', { ...params, maxMonth: this.month(max.month), max: this.number(max.late) });
  }

  // ── Drawing ───────────────────────────────────────────────────────────────────────────────

  /** Grid lines, value ticks, the axis title and the month labels (a year under the first month and each January). */
  private axes(f: Frame, axis: ValueAxis, months: readonly TrendMonth[], title: string, format: (v: number) => string): SVGTemplateResult {
    const stride = labelStride(f);
    return svg`<g class="axes" aria-hidden="true">
      <text class="axis-title" x="0" y="14">${title}</text>
      ${axis.ticks.map((v) => {
        const y = yOf(f, axis, v);
        return svg`<line class="grid" x1=${f.left} x2=${f.right} y1=${y} y2=${y}></line>
          <text class="tick tick--y" x=${f.left - 6} y=${y} dy="0.32em" text-anchor="end">${format(v)}</text>`;
      })}
      <line class="axis" x1=${f.left} x2=${f.right} y1=${f.bottom} y2=${f.bottom}></line>
      ${months.map((m, i) => {
        if (i % stride !== 0) return nothing;
        const x = centre(f, i);
        const year = i === 0 || m.month.endsWith('-01') || (i >= stride && m.month.slice(0, 4) !== months[i - stride]!.month.slice(0, 4));
        return svg`<text class="tick tick--x" x=${x} y=${f.bottom + 18} text-anchor="middle" data-month=${m.month}>${this.month(m.month, 'short')}</text>
          ${year ? svg`<text class="tick tick--year" x=${x} y=${f.bottom + 36} text-anchor="middle">${this.month(m.month, 'year')}</text>` : nothing}`;
      })}
    </g>`;
  }

  /** A stack of bars in one month: each value on top of the one before, a pattern per series. */
  private stack(f: Frame, axis: ValueAxis, kind: TrendKind, i: number, month: string, parts: ReadonlyArray<{ series: Series; value: number }>): SVGTemplateResult[] {
    const x = centre(f, i) - f.bar / 2;
    let base = 0;
    const out: SVGTemplateResult[] = [];
    for (const { series, value } of parts) {
      if (value <= 0) continue;
      const y0 = yOf(f, axis, base);
      const y1 = yOf(f, axis, base + value);
      base += value;
      out.push(
        svg`<rect class="bar" x=${x} y=${y1} width=${f.bar} height=${Math.max(0, y0 - y1)} fill=${`url(#${kind}-${series.key})`}
          data-series=${series.key} data-pattern=${series.pattern} data-month=${month} data-value=${value}></rect>`,
      );
    }
    return out;
  }

  private drawRaised(f: Frame, months: readonly TrendMonth[], series: readonly Series[]): SVGTemplateResult {
    const axis = countAxis(Math.max(...months.map((m) => Math.max(m.raisedTotal, m.solved))));
    const points = months.map((m, i) => ({ x: centre(f, i), y: yOf(f, axis, m.solved), m }));
    return svg`<defs>${series.map((s) => pattern(`raised-${s.key}`, s.pattern, s.key))}</defs>
      ${this.axes(f, axis, months, this.t('charts.axis.topics'), (v) => this.number(v))}
      <g class="bars">${months.map((m, i) => this.stack(f, axis, 'raised', i, m.month, series.map((s) => ({ series: s, value: m.raised[s.key as SourceId] ?? 0 }))))}</g>
      <polyline class="halo" points=${points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}></polyline>
      <polyline class="line line--solved" points=${points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}></polyline>
      ${points.map((p) => svg`<rect class="point point--solved" x=${p.x - 3.5} y=${p.y - 3.5} width="7" height="7" data-month=${p.m.month} data-value=${p.m.solved}></rect>`)}`;
  }

  private drawSatisfaction(f: Frame, months: readonly TrendMonth[]): SVGTemplateResult {
    const axis = starAxis(this.scaleTop);
    // A month without ratings breaks the line (no value is made up for it).
    let d = '';
    let pen = false;
    const points: SVGTemplateResult[] = [];
    months.forEach((m, i) => {
      if (m.averageSatisfaction === null) {
        pen = false;
        return;
      }
      const x = centre(f, i);
      const y = yOf(f, axis, Math.min(axis.max, m.averageSatisfaction));
      d += `${pen ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
      pen = true;
      points.push(svg`<circle class="point point--average" cx=${x} cy=${y} r="4" data-month=${m.month} data-value=${m.averageSatisfaction}></circle>`);
    });
    return svg`${this.axes(f, axis, months, this.t('charts.axis.stars', { scale: axis.max }), (v) => this.number(v))}
      <path class="halo" d=${d}></path>
      <path class="line line--average" d=${d}></path>
      ${points}`;
  }

  private drawMeasures(f: Frame, months: readonly TrendMonth[], series: readonly Series[]): SVGTemplateResult {
    const axis = countAxis(Math.max(...months.map((m) => m.onTime + m.late)));
    const [onTime, late] = series as [Series, Series];
    return svg`<defs>${series.map((s) => pattern(`measures-${s.key}`, s.pattern, s.key))}</defs>
      ${this.axes(f, axis, months, this.t('charts.axis.measures'), (v) => this.number(v))}
      <g class="bars">${months.map((m, i) =>
        this.stack(f, axis, 'measures', i, m.month, [
          { series: onTime, value: m.onTime },
          { series: late, value: m.late },
        ]),
      )}</g>`;
  }
}
