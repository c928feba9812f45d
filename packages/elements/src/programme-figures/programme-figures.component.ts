import { html, nothing, type TemplateResult } from 'lit';
import {
  selectFigures,
  toMillis,
  type ProgrammeFigures,
  type StageKey,
  type StepType,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine';
import { ConsultElement } from '../base/consult-element.js';
import { icon, tickIcon, warningIcon } from '../base/icons.js';
import { memo } from '../base/memo.js';
import { StoreController } from '../controllers/store-controller.js';
import type { Locale } from '../i18n/locale.js';
import type { MessageKey } from '../i18n/messages.js';
import '../star-rating/consult-star-rating.js';
import { reportStyles } from '../styles/report.js';
import { hostStyles } from '../styles/tokens.js';
import { programmeFiguresStyles } from './programme-figures.styles.js';

/** The lifecycle's stages in order, for a programme whose config we do not have. */
const DEFAULT_ORDER: readonly StageKey[] = ['intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation', 'closed'];
const ENDINGS: readonly StageKey[] = ['closed', 'rejected', 'merged', 'redirected', 'unresolved'];
const STEP_TYPES = new Set<string>(['intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation']);

interface Stage {
  key: StageKey;
  label: string;
  count: number;
}

function figuresOfTopics(from: Iterable<TopicSnapshot> | ReadonlyMap<string, TopicSnapshot>, now: string | number | undefined) {
  const list: TopicSnapshot[] = from instanceof Map ? [...(from as ReadonlyMap<string, TopicSnapshot>).values()] : [...(from as Iterable<TopicSnapshot>)];
  const ms = typeof now === 'number' ? now : toMillis(now);
  return { figures: selectFigures(list, Number.isFinite(ms) ? ms : Date.now()), config: list[0]?.context.config };
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
 * (已落实) of all agreed, average satisfaction (满意度) and overdue measures (逾期) — as cards
 * with small charts (topics by stage, measures implemented, the star average), each chart an image
 * with a complete text alternative, and the same numbers in data tables ("View as table").
 *
 * Data, first found wins: the `figures` property (`selectFigures`' result), the `topics`
 * property (topic snapshots), or inside `<consult-workflow>` the workflow's store.
 *
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 * @attr now - The time to judge "overdue" by (ISO 8601); defaults to when the data arrived.
 * @attr large-text - Larger text for older residents.
 *
 * @event consult-error - Working out or showing the figures failed. `detail`: `{ code, message, error }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart heading - The title.
 * @csspart card - Each figure's card (also `card-alert` on the overdue card when measures are overdue).
 * @csspart value - A card's number.
 * @csspart chart - Each chart (an image with a text alternative).
 * @csspart tables - The "View as table" disclosure with the data tables.
 * @csspart table - Each data table.
 *
 * @cssproperty --bar-color - Colour of the bars (default the primary colour).
 * @cssproperty --bar-track-color - Colour of the bars' empty part.
 * @cssproperty --card-min-width - Narrowest a card gets before the grid wraps (default 10 × `--consult-font-size`).
 * @cssproperty --overdue-color - Colour of the overdue figure when there are overdue measures (default the error colour).
 * @cssproperty --consult-font-scale - Text size factor; `large-text` sets `--consult-font-scale-large` (global token).
 */
export class ConsultProgrammeFigures extends ConsultElement {
  static override styles = [hostStyles, reportStyles, programmeFiguresStyles];

  static override properties = {
    ...ConsultElement.properties,
    figures: { attribute: false },
    topics: { attribute: false },
    config: { attribute: false },
    now: {},
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
  };

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

  private readonly storeController = new StoreController(this);
  private readonly fromTopics = memo(figuresOfTopics);
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
  }

  private data(): { figures: ProgrammeFigures; config: WorkflowConfig | undefined } {
    const store = this.storeController.store;
    if (this.figures) return { figures: this.figures, config: this.config ?? store?.config };
    const from = this.topics ?? store?.topics;
    if (!from) return { figures: EMPTY, config: this.config ?? store?.config };
    const read = this.fromTopics(from, this.now);
    return { figures: read.figures, config: this.config ?? read.config ?? store?.config };
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
    const { figures: f, config } = this.data();
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
    const maxStage = Math.max(1, ...stages.map((s) => s.count));
    const overdue = f.measuresOverdue > 0;

    return html`<section class="base" part="base" aria-labelledby="title">
      <h2 id="title" class="heading" part="heading">${this.t('figures.title')}</h2>
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
