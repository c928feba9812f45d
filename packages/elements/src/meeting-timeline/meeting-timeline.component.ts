import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  EVENT_LABELS,
  ROLES,
  overdueDays,
  selectTimeline,
  STATE_LABELS,
  stateLabel,
  toMillis,
  type EventActor,
  type EventType,
  type LogEntry,
  type MeasureView,
  type Meeting,
  type Participant,
  type StageKey,
  type StepType,
  type TimelineItem,
  type TimelineStage,
  type TopicContext,
  type TopicSnapshot,
  type TopicTimeline,
  type WorkflowConfig,
} from '@consult-kit/machine/core';
import type { ConsultStore } from '@consult-kit/store';
import { ConsultElement } from '../base/consult-element.js';
import { LEVEL_KEYS } from '../i18n/level-keys.js';
import { safeUrl } from '../base/safe-url.js';
import { StoreController } from '../controllers/store-controller.js';
import { WindowController } from '../controllers/window-controller.js';
import { deadlineNow } from '../base/due.js';
import type { Locale } from '../i18n/locale.js';
import type { MessageKey } from '../i18n/messages.js';
import { corePart, intakePart, timelinePart } from '../i18n/parts.js';
import { hostStyles } from '../styles/tokens.js';
import { meetingTimelineStyles } from './meeting-timeline.styles.js';
import { nameText, plainText } from '../staff-actions/intake-answers.js';

/** What the timeline reads from a store: `openStore`'s result, or `<consult-workflow>`'s through context. */
export type TimelineStore = Pick<ConsultStore, 'topics' | 'log' | 'subscribe'> & Partial<Pick<ConsultStore, 'serverNow' | 'knowsServerClock'>>;

type Part = string | number | TemplateResult | typeof nothing;
type Shown = 'done' | 'current' | 'upcoming' | 'skipped';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const STEP_TYPES = new Set<string>(['intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation']);

// Intl formatters are costly to build: one per locale and kind, shared by every element.
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(locale: Locale, kind: 'date' | 'dateTime' | 'day'): Intl.DateTimeFormat {
  const key = `${locale}|${kind}`;
  let found = formatters.get(key);
  if (!found) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'dateTime'
        ? { dateStyle: 'medium', timeStyle: 'short' }
        : kind === 'day'
          ? { dateStyle: 'medium', timeZone: 'UTC' } // a date without a time is a calendar day, not an instant
          : { dateStyle: 'medium' };
    found = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, found);
  }
  return found;
}

/** Everything one render needs, built once per render from the timeline (no per-item lookups). */
interface Model {
  config: WorkflowConfig;
  ctx: TopicContext;
  timeline: TopicTimeline;
  now: number;
  measures: Map<string, MeasureView>;
  /** The round of each meeting event, and the agenda stage a `meeting.advance` moved to. */
  meetingItems: Map<string, { round: number; stage?: string }>;
}

const ICON_CHECK = html`<svg viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M3 8.5l3 3 7-7" /></svg>`;
const ICON_WARNING = html`<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
  <path d="M8 1.5l7 13H1z" /><path class="mark" d="M8 6v4M8 11.5v1.2" />
</svg>`;

/**
 * @tag consult-meeting-timeline
 * @summary One topic's story from its event log (议题进展): every stage of the configured lifecycle
 * with its dates and who did what; every meeting (round by round) with its format, conveners,
 * participants by role, agenda stages (情况通报 → 协商建言 → 居民互动 → 部门回应) and its
 * five-haves record (五个有); the measures with their responsible party, deadline, status and an
 * overdue mark (逾期). The current stage stands out and is marked `aria-current="step"`; finished
 * stages collapse to a one-line summary that still says what happened, and a "show all" button
 * opens them all. Readable without any interaction and by a screen reader; every text from the
 * log is rendered as text. A stage's records beyond 20 scroll in a box of their own that renders
 * only the records on screen (each keeps `aria-posinset` / `aria-setsize`; ↓ ↑, Page Up / Down,
 * Home and End move from record to record), so 1,000 log entries cost about what 10 do.
 *
 * Give it `snapshot` and `entries` (the topic's state and the programme's log), or put it inside
 * `<consult-workflow>` (or pass `store`) with `topic` set: it then follows the store and re-renders
 * when the store says it changed.
 *
 * @attr topic - The topic's id (`topicId`), looked up in the store.
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 * @attr now - The time to judge deadlines by (ISO, or epoch ms); default: the current time, read once per render.
 * @attr expanded - Show every stage open.
 * @attr large-text - Larger text for older residents.
 *
 * @event consult-error - The timeline could not be built from the data given. `detail`: `{ code: 'render-failed', message, error }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart heading - The topic's title.
 * @csspart current - The line naming the current stage.
 * @csspart toggle - The "show all" / "展开全部" button.
 * @csspart stages - The ordered list of stages.
 * @csspart stage - Each stage (also `stage-current`, `stage-done`, `stage-upcoming` or `stage-skipped`).
 * @csspart status - A stage's status in words.
 * @csspart summary - A finished stage's one-line summary.
 * @csspart meeting - One meeting (round).
 * @csspart record - A meeting's five-haves record.
 * @csspart measure - One measure.
 * @csspart overdue - The overdue mark of a measure.
 *
 * @cssproperty --timeline-marker-size - Size of the stage markers (default 1.75 × `--consult-font-size`, scaled with the text).
 * @cssproperty --timeline-line-color - Colour of the line joining the stages.
 * @cssproperty --timeline-current-background - Background of the current stage.
 * @cssproperty --list-block-size - Height of a stage's scrolling records when there are more than 20 (default `min(60vh, 30 × --consult-font-size)`).
 * @cssproperty --consult-color-primary - Colour of the current stage (global token).
 * @cssproperty --consult-color-success - Colour of finished stages (global token).
 * @cssproperty --consult-color-error - Colour of overdue marks (global token).
 */
export class ConsultMeetingTimeline extends ConsultElement {
  static override styles = [hostStyles, meetingTimelineStyles];
  static override catalogues = [corePart, timelinePart, intakePart];

  static override properties = {
    ...ConsultElement.properties,
    topicId: { attribute: 'topic' },
    entries: { attribute: false },
    snapshot: { attribute: false },
    store: { attribute: false },
    now: {
      converter: {
        fromAttribute: (value: string | null): string | number | undefined =>
          value === null ? undefined : /^\d+$/.test(value) ? Number(value) : value,
      },
    },
    expanded: { type: Boolean, reflect: true },
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
  };

  /** The topic to show, looked up in the store (`store.topics.get(topicId)`). */
  declare topicId: string | undefined;
  /** The programme's log (or the topic's part of it); the store's log when not given. */
  declare entries: readonly LogEntry[] | undefined;
  /** The topic's state (its log replayed); the store's topic when not given. */
  declare snapshot: TopicSnapshot | undefined;
  /** A store to follow instead of `<consult-workflow>`'s. */
  declare store: TimelineStore | undefined;
  /** The time deadlines are judged by (ISO or epoch ms). Default: the current time at each render. */
  declare now: string | number | undefined;
  /** Show every stage open. */
  declare expanded: boolean;
  /** Larger text for older residents. */
  declare largeText: boolean;

  private readonly storeController = new StoreController<TimelineStore>(this, () => this.store);
  /** One window per stage whose records are listed (a handful at most, kept for the element's life). */
  private readonly windows = new Map<string, WindowController>();
  private reported: unknown;

  constructor() {
    super();
    this.topicId = undefined;
    this.entries = undefined;
    this.snapshot = undefined;
    this.store = undefined;
    this.now = undefined;
    this.expanded = false;
    this.largeText = false;
  }

  // ── Text helpers ────────────────────────────────────────────────────────────────────────

  /** A catalogue message with parts that may be templates (a `<time>`, a link), in the message's word order. */
  private tx(key: MessageKey, params: Readonly<Record<string, Part>>): Part[] {
    return this.rawMessage(key).split(/\{(\w+)\}/).map((piece, i) => (i % 2 === 1 ? (params[piece] ?? `{${piece}}`) : piece));
  }

  private time(iso: string | undefined, kind: 'date' | 'dateTime' = 'dateTime'): Part {
    if (!iso) return nothing;
    const ms = toMillis(iso);
    if (Number.isNaN(ms)) return iso;
    const dayOnly = DATE_ONLY.test(iso);
    const text = dateFormatter(this.locale, dayOnly ? 'day' : kind).format(dayOnly ? Date.parse(iso) : ms);
    return html`<time datetime=${iso}>${text}</time>`;
  }

  private roleLabel(role: string): string {
    return (ROLES as readonly string[]).includes(role) ? this.t(`timeline.role.${role}` as MessageKey) : role;
  }

  private who(by: EventActor | undefined, anonymous = false): string {
    if (!by) return this.t('timeline.notGiven');
    // Only a topic submitted anonymously is called anonymous; a resident who simply gave no name is "a resident".
    if (anonymous) return this.t('timeline.anonymous');
    const role = this.roleLabel(by.role);
    // A name the server withheld from this person arrives as the redaction marker: "withheld", never "[object Object]".
    const name = nameText(by.name, this.t('intake.withheld'));
    return name ? this.t('timeline.who', { role, name }) : role;
  }

  private person(p: Participant): string {
    const name = nameText(p.name, this.t('intake.withheld')) || this.roleLabel(p.role);
    const organisation = plainText(p.organisation);
    return organisation ? this.t('timeline.meeting.withOrganisation', { name, organisation }) : name;
  }

  private stageLabel(config: WorkflowConfig, key: StageKey): string {
    if (STEP_TYPES.has(key)) {
      const label = config.step[key as StepType]?.label;
      return label ? this.text(label) : this.t(`timeline.stage.${key}` as MessageKey);
    }
    return stateLabel(config, key, this.locale);
  }

  private eventLabel(type: string): string {
    return Object.hasOwn(EVENT_LABELS, type) ? EVENT_LABELS[type as EventType][this.locale] : type;
  }

  private sourceLabel(config: WorkflowConfig, source: string | undefined): string {
    if (!source) return this.t('timeline.notGiven');
    const custom = config.step.intake.sources.find((s) => s.id === source)?.label;
    if (custom) return this.text(custom);
    return ['resident', 'member', 'government', 'grid', 'open311'].includes(source) ? this.t(`timeline.source.${source}` as MessageKey) : source;
  }

  private levelLabel(level: unknown): string {
    const value = String(level ?? '');
    return Object.hasOwn(LEVEL_KEYS, value) ? this.t(LEVEL_KEYS[value]!) : value;
  }

  private formatLabel(config: WorkflowConfig, format: string): string {
    const label = config.step.meeting.formats.find((f) => f.id === format)?.label;
    return label ? this.text(label) : format;
  }

  private partyLabel(config: WorkflowConfig, party: string): string {
    const label = config.step.handling.parties.find((p) => p.id === party)?.label;
    return label ? this.text(label) : party;
  }

  private agendaLabel(config: WorkflowConfig, id: string): string {
    return stateLabel(config, id, this.locale);
  }

  private consensusLabel(consensus: string | undefined): string {
    return consensus === 'full' || consensus === 'partial' || consensus === 'none'
      ? this.t(`timeline.consensus.${consensus}`)
      : this.t('timeline.notGiven');
  }

  private topicName(id: string): string {
    const title = this.storeController.store?.topics.get(id)?.context.title;
    return title ? `${title} (${id})` : id;
  }

  private channel(config: WorkflowConfig, id: string): Part {
    const channel = config.step.screening?.channels.find((c) => c.id === id);
    if (!channel) return id;
    const href = safeUrl(channel.url);
    const label = this.text(channel.label);
    return href ? html`<a href=${href}>${label}</a>` : label;
  }

  private overdueDays(due: string, now: number): number {
    return Math.max(1, overdueDays(due, now));
  }

  // ── The model ───────────────────────────────────────────────────────────────────────────

  private nowMs(): number {
    const now = this.now;
    if (typeof now === 'number' && Number.isFinite(now)) return now;
    if (typeof now === 'string' && now !== '') {
      const ms = /^\d+$/.test(now) ? Number(now) : toMillis(now);
      if (!Number.isNaN(ms)) return ms;
    }
    // The server's clock when the store has heard it (issue 17), else this device's.
    return deadlineNow(this.storeController.store);
  }

  private buildModel(snapshot: TopicSnapshot, entries: readonly LogEntry[]): Model {
    const now = this.nowMs();
    const ctx = snapshot.context;
    const config = ctx.config;
    const timeline = selectTimeline(snapshot, entries, now);
    const measures = new Map(timeline.measures.map((m) => [m.id, m]));
    const meetingItems = new Map<string, { round: number; stage?: string }>();
    const agenda = config.step.meeting.agenda;
    let round = 0;
    let recorded = true;
    let stageIndex = -1;
    for (const item of timeline.stages.find((s) => s.key === 'meeting')?.items ?? []) {
      if (item.type === 'meeting.schedule' && recorded) {
        round += 1;
        recorded = false;
      }
      if (item.type === 'meeting.start') stageIndex = 0;
      if (item.type === 'meeting.advance') stageIndex += 1;
      if (item.type === 'meeting.record') recorded = true;
      const stage = item.type === 'meeting.advance' ? agenda[stageIndex]?.id : undefined;
      meetingItems.set(item.entryId, stage ? { round: Math.max(round, 1), stage } : { round: Math.max(round, 1) });
    }
    return { config, ctx, timeline, now, measures, meetingItems };
  }

  private source(): { snapshot?: TopicSnapshot; entries: readonly LogEntry[]; missing?: string } {
    const store = this.storeController.store;
    const snapshot = this.snapshot ?? (this.topicId ? store?.topics.get(this.topicId) : undefined);
    const entries = this.entries ?? store?.log ?? [];
    if (!snapshot && this.topicId && store) return { entries, missing: this.topicId };
    return snapshot ? { snapshot, entries } : { entries };
  }

  // ── Rendering ───────────────────────────────────────────────────────────────────────────

  protected override render(): TemplateResult {
    let body: TemplateResult;
    try {
      const { snapshot, entries, missing } = this.source();
      if (missing) body = html`<p class="message" role="status">${this.t('timeline.notFound', { id: missing })}</p>`;
      else if (!snapshot) body = html`<p class="message">${this.t('timeline.empty')}</p>`;
      else body = this.renderTimeline(this.buildModel(snapshot, entries));
      this.reported = undefined;
    } catch (error) {
      if (this.reported !== error) this.report('render-failed', error);
      this.reported = error;
      const message = error instanceof Error ? error.message : String(error);
      body = html`<p class="message problem" role="alert">${this.t('timeline.problem', { message })}</p>`;
    }
    return html`<section part="base" class="base" lang=${this.locale} aria-labelledby="heading">${body}</section>`;
  }

  private shown(model: Model, stage: TimelineStage): Shown {
    if (stage.key === model.timeline.current) return 'current';
    // After a final outcome (rejected, merged, redirected, no consensus) the selector counts the
    // steps the topic never went through as done: with nothing in them, they were skipped.
    if (stage.status === 'done' && stage.items.length === 0) return 'skipped';
    return stage.status;
  }

  private renderTimeline(model: Model): TemplateResult {
    const { timeline, config } = model;
    const stages = timeline.stages.map((stage) => ({ stage, shown: this.shown(model, stage) }));
    const collapsible = stages.some(({ stage, shown }) => this.collapses(model, stage, shown));
    const overdue = timeline.measures.filter((m) => m.overdue).length;
    return html`
      <p class="caption">${this.t('timeline.title')}</p>
      <h2 id="heading" class="heading" part="heading">${nameText(timeline.title, this.t('intake.withheld')) || timeline.topicId}</h2>
      <p class="current" part="current">${this.tx('timeline.currentStage', { stage: html`<strong>${this.currentText(model)}</strong>` })}</p>
      ${overdue > 0
        ? html`<p class="alert overdue" part="overdue">${ICON_WARNING}<span>${this.t('timeline.overdueCount', { count: overdue })}</span></p>`
        : nothing}
      ${timeline.ratingUntil ? html`<p class="note">${this.tx('timeline.ratingUntil', { date: this.time(timeline.ratingUntil) })}</p>` : nothing}
      ${collapsible
        ? html`<div class="toolbar">
            <button type="button" class="toggle" part="toggle" aria-controls="stages" aria-expanded=${this.expanded ? 'true' : 'false'} @click=${this.toggleAll}>
              ${this.t(this.expanded ? 'timeline.hideAll' : 'timeline.showAll')}
            </button>
          </div>`
        : nothing}
      <ol id="stages" class="stages" part="stages" aria-label=${this.t('timeline.stageList')}>
        ${repeat(
          stages,
          ({ stage }) => stage.key,
          ({ stage, shown }, i) => this.renderStage(model, stage, shown, i + 1, config),
        )}
      </ol>
    `;
  }

  private toggleAll(): void {
    this.expanded = !this.expanded;
  }

  /** The current stage in words, with the round and agenda stage while in a meeting. */
  private currentText(model: Model): string {
    const { timeline, config, ctx } = model;
    const parts = [this.stageLabel(config, timeline.current)];
    const [top, sub, leaf] = timeline.state.split('.');
    if (top === 'meeting') {
      const last = ctx.meetings.at(-1);
      const round = sub === 'planning' ? ctx.meetings.length + (last?.record || !last ? 1 : 0) : (last?.round ?? 1);
      parts.push(this.t('timeline.round', { round }));
      if (sub === 'inSession' && leaf) parts.push(this.agendaLabel(config, leaf));
      else if (sub && Object.hasOwn(STATE_LABELS, sub)) parts.push(STATE_LABELS[sub]![this.locale]);
    }
    return parts.join(this.t('timeline.separator'));
  }

  /** Whether a stage folds away behind a summary (finished stages with something to show). */
  private collapses(model: Model, stage: TimelineStage, shown: Shown): boolean {
    return (shown === 'done' || shown === 'upcoming') && this.hasBody(model, stage);
  }

  private hasBody(model: Model, stage: TimelineStage): boolean {
    if (stage.items.length > 0) return true;
    if (stage.key === 'meeting') return model.ctx.meetings.length > 0;
    if (stage.key === 'handling') return model.timeline.measures.length > 0;
    return false;
  }

  private renderStage(model: Model, stage: TimelineStage, shown: Shown, n: number, config: WorkflowConfig): TemplateResult {
    const label = this.stageLabel(config, stage.key);
    const collapses = this.collapses(model, stage, shown);
    const final = !STEP_TYPES.has(stage.key);
    return html`<li class="stage stage--${shown}" part="stage stage-${shown}" data-stage=${stage.key} aria-current=${ifDefined(shown === 'current' ? 'step' : undefined)}>
      <span class="marker" aria-hidden="true">${shown === 'done' ? ICON_CHECK : shown === 'current' ? '' : String(n)}</span>
      <div class="card">
        <h3 class="stage-title">
          <span class="stage-name">${label}</span>
          <span class="status status--${shown}" part="status"><span class="visually-hidden">${this.t('timeline.separator')}</span>${this.t(`timeline.status.${shown}`)}</span>
        </h3>
        ${this.renderDates(model, stage, shown, final)}
        ${collapses || (final && shown === 'current') ? html`<p class="gist" part="summary">${this.gist(model, stage)}</p>` : nothing}
        ${collapses
          ? html`<details ?open=${this.expanded}>
              <summary>${this.t('timeline.details', { count: stage.items.length })}</summary>
              <div class="body">${this.renderBody(model, stage)}</div>
            </details>`
          : shown === 'current' && this.hasBody(model, stage)
            ? html`<div class="body">${this.renderBody(model, stage)}</div>`
            : nothing}
      </div>
    </li>`;
  }

  private renderDates(model: Model, stage: TimelineStage, shown: Shown, final: boolean): Part {
    if (final && shown === 'current') {
      const at = model.ctx.closedAt ?? model.ctx.updatedAt;
      return at ? html`<p class="dates">${this.time(at, 'date')}</p>` : nothing;
    }
    if (!stage.startedAt) return nothing;
    const start = this.time(stage.startedAt, 'date');
    if (stage.endedAt && shown === 'done') {
      const day = dateFormatter(this.locale, 'date');
      const sameDay = day.format(toMillis(stage.startedAt)) === day.format(toMillis(stage.endedAt));
      return html`<p class="dates">${sameDay ? start : this.tx('timeline.range', { start, end: this.time(stage.endedAt, 'date') })}</p>`;
    }
    return html`<p class="dates">${this.tx('timeline.since', { start })}</p>`;
  }

  /** One line that says what happened in a stage, readable while the stage is folded. */
  private gist(model: Model, stage: TimelineStage): Part[] | string {
    const { ctx, config, timeline } = model;
    switch (stage.key) {
      case 'intake':
        return this.t('timeline.gist.intake', { source: this.sourceLabel(config, ctx.source), who: this.who(ctx.submittedBy, ctx.anonymous) });
      case 'screening':
      case 'rejected':
      case 'merged':
      case 'redirected': {
        const s = ctx.screening;
        if (s?.decision === 'rejected') return this.t('timeline.gist.rejected', { reason: s.reason ?? '' });
        if (s?.decision === 'merged') return this.t('timeline.gist.merged', { topic: this.topicName(s.into ?? '') });
        if (s?.decision === 'redirected') return this.tx('timeline.gist.redirected', { channel: this.channel(config, s.channel ?? '') });
        if (s?.decision === 'accepted') return this.t('timeline.gist.accepted');
        const up = ctx.escalations.at(-1);
        if (up) return this.t('timeline.gist.escalated', { level: this.levelLabel(up.to) });
        break;
      }
      case 'research':
        if (ctx.research) return this.t('timeline.gist.research', { who: this.who(ctx.research.by) });
        break;
      case 'meeting':
      case 'unresolved':
        if (ctx.meetings.length > 0) {
          return this.t('timeline.gist.meeting', {
            rounds: ctx.meetings.length,
            consensus: ctx.meetings.at(-1)?.record ? this.consensusLabel(ctx.meetings.at(-1)!.record!.consensus) : this.t('timeline.record.none'),
          });
        }
        break;
      case 'handling': {
        const ms = timeline.measures;
        if (ms.length === 0) break;
        const text = this.t('timeline.gist.handling', {
          count: ms.length,
          implemented: ms.filter((m) => m.status === 'implemented').length,
          declined: ms.filter((m) => m.status === 'declined').length,
        });
        const overdue = ms.filter((m) => m.overdue).length;
        return overdue > 0 ? `${text}${this.t('timeline.separator')}${this.t('timeline.gist.overdue', { count: overdue })}` : text;
      }
      case 'feedback':
        if (ctx.feedback.length > 0) return this.t('timeline.gist.feedback');
        break;
      case 'evaluation':
      case 'closed': {
        const round = ctx.evaluations.filter((r) => r.closedAt).at(-1);
        if (round) return this.averageText(config, round.average ?? null, round.ratings.length);
        break;
      }
    }
    const last = stage.items.at(-1);
    return last ? this.t('timeline.gist.items', { count: stage.items.length, event: this.eventLabel(last.type) }) : '';
  }

  private averageText(config: WorkflowConfig, average: number | null, count: number): string {
    if (average === null || count === 0) return this.t('timeline.item.noRatings');
    return this.t('timeline.item.average', { average: average.toFixed(1), scale: config.step.evaluation?.scale ?? 5, count });
  }

  private renderBody(model: Model, stage: TimelineStage): TemplateResult {
    const { ctx } = model;
    const meetings = stage.key === 'meeting' && ctx.meetings.length > 0;
    const measures = stage.key === 'handling' && model.timeline.measures.length > 0;
    // Beside meetings or measures the log gets a visible heading; alone, it is the stage's body.
    const titled = meetings || measures;
    const id = `records-${stage.key}`;
    return html`
      ${stage.key === 'intake' && plainText(ctx.description) ? html`<p class="description">${ctx.description}</p>` : nothing}
      ${meetings ? ctx.meetings.map((m) => this.renderMeeting(model, m)) : nothing}
      ${measures ? this.renderMeasures(model) : nothing}
      ${stage.items.length > 0 ? html`${titled ? html`<h4 class="items-title" id=${id}>${this.t('timeline.records')}</h4>` : nothing}${this.renderItems(model, stage, titled ? id : undefined)}` : nothing}
    `;
  }

  /** The records window of a stage: created the first time the stage lists records. */
  private windowFor(key: string): WindowController {
    let found = this.windows.get(key);
    if (!found) {
      found = new WindowController(this, { list: () => this.renderRoot.querySelector<HTMLElement>(`#records-list-${CSS.escape(key)}`), estimate: 48 });
      this.windows.set(key, found);
    }
    return found;
  }

  /**
   * A stage's records: up to 20 as they are; more scroll in a box of their own that renders only
   * those on screen (the list is then keyboard reachable, and ↓ ↑ move from record to record).
   */
  private renderItems(model: Model, stage: TimelineStage, labelledBy: string | undefined): TemplateResult {
    const records = this.windowFor(stage.key);
    const { start, end, size, windowed } = records.range(stage.items, (item) => item.entryId);
    return html`<ol
      id="records-list-${stage.key}"
      class="items"
      aria-label=${ifDefined(labelledBy ? undefined : this.t('timeline.records'))}
      aria-labelledby=${ifDefined(labelledBy)}
      tabindex=${ifDefined(windowed ? 0 : undefined)}
      ?data-window=${windowed}
      @scroll=${records.onScroll}
      @keydown=${records.onKeydown}
    >
      ${repeat(
        windowed ? stage.items.slice(start, end) : stage.items,
        (item) => item.entryId,
        (item, i) => this.renderItem(model, item, start + i, size, windowed),
      )}
    </ol>`;
  }

  private renderItem(model: Model, item: TimelineItem, index: number, size: number, windowed: boolean): TemplateResult {
    const anonymous = item.type === 'topic.submit' && model.ctx.anonymous;
    return html`<li class="item" aria-posinset=${index + 1} aria-setsize=${size} tabindex=${ifDefined(windowed ? -1 : undefined)}>
      <span class="meta"><span class="when">${this.time(item.at)}</span> <span class="who">${this.who(item.by, anonymous)}</span></span>
      <span class="what"><strong>${this.eventLabel(item.type)}</strong>${this.itemDetail(model, item)}</span>
    </li>`;
  }

  /** What an event said, as text: reason, findings, channel, level, stars, feedback… */
  private itemDetail(model: Model, item: TimelineItem): Part {
    const { config, ctx, measures, meetingItems } = model;
    const d = item.detail;
    // A value withheld from this person (the redaction marker) reads "withheld"; no object ever shows as "[object Object]".
    const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : typeof v === 'object' ? nameText(v, this.t('intake.withheld')) : String(v));
    const line = (...parts: Part[]) => html`<span class="detail said">${parts}</span>`;
    const reason = d.reason ? line(this.t('timeline.item.reason', { reason: str(d.reason) })) : nothing;
    const measure = () => {
      const m = measures.get(str(d.measureId));
      return line(this.t('timeline.item.measure', { measure: m?.text ?? str(d.measureId) }));
    };
    switch (item.type) {
      case 'topic.submit':
        return html`${line(this.t('timeline.item.source', { source: this.sourceLabel(config, str(d.source)) }))}
        ${d.level && d.level !== config.level ? line(this.t('timeline.item.level', { level: this.levelLabel(d.level) })) : nothing}
        ${ctx.anonymous ? line(this.t('timeline.item.anonymousTopic')) : nothing}`;
      case 'screening.reject':
      case 'topic.withdraw':
        return reason;
      case 'screening.merge':
        return line(this.t('timeline.item.mergedInto', { topic: this.topicName(str(d.into)) }));
      case 'screening.redirect':
        return html`${line(...this.tx('timeline.item.channel', { channel: this.channel(config, str(d.channel)) }))}${reason}`;
      case 'screening.escalate':
        return html`${line(this.t('timeline.item.escalatedTo', { level: this.levelLabel(d.level) }))}${reason}`;
      case 'research.complete':
        return line(this.t('timeline.item.findings', { findings: str(d.findings) }));
      case 'meeting.schedule':
        return line(
          ...this.tx('timeline.item.scheduled', {
            round: meetingItems.get(item.entryId)?.round ?? 1,
            format: this.formatLabel(config, str(d.format)),
            start: this.time(str(d.start)),
            place: str(d.place),
          }),
        );
      case 'meeting.start':
        return line(this.t('timeline.item.started', { round: meetingItems.get(item.entryId)?.round ?? 1 }));
      case 'meeting.advance': {
        const stage = meetingItems.get(item.entryId)?.stage;
        return stage ? line(this.t('timeline.item.advanced', { stage: this.agendaLabel(config, stage) })) : nothing;
      }
      case 'meeting.record':
        return line(this.t('timeline.item.recorded', { round: meetingItems.get(item.entryId)?.round ?? 1, consensus: this.consensusLabel(str(d.consensus)) }));
      case 'measure.adopt':
        return measure();
      case 'measure.decline':
        return html`${measure()}${reason}`;
      case 'measure.progress':
        return html`${measure()}${line(this.t('timeline.item.note', { note: str(d.note) }))}`;
      case 'measure.implement':
        return html`${measure()}${line(this.t('timeline.item.result', { result: str(d.result) }))}`;
      case 'feedback.publish':
        return line(this.t('timeline.item.feedback', { text: str(d.text) }));
      case 'rating.submit': {
        const stars = Number(d.stars);
        const scale = config.step.evaluation?.scale ?? 5;
        const label = config.step.evaluation?.starLabels?.[stars - 1];
        const shown = Math.max(0, Math.min(stars, scale));
        const said = `${this.t('timeline.item.stars', { stars, scale })}${label ? `${this.t('timeline.separator')}${this.text(label)}` : ''}`;
        return html`<span class="detail"><span class="stars" aria-hidden="true">${'★'.repeat(shown)}${'☆'.repeat(scale - shown)}</span>${said}</span>
          ${d.comment ? line(this.t('timeline.item.comment', { comment: str(d.comment) })) : nothing}`;
      }
      case 'evaluation.close': {
        const round = ctx.evaluations.find((r) => r.closedAt === item.at);
        if (!round) return nothing;
        return html`${line(this.averageText(config, round.average ?? null, round.ratings.length))}
        ${round.reopened ? line(this.t('timeline.item.reopened', { threshold: config.step.evaluation?.reopenThreshold ?? '' })) : nothing}`;
      }
      default:
        return nothing;
    }
  }

  /** A term and its value in a definition list (grouped in a `<div>`, which `<dl>` allows, so it can wrap). */
  private fact(term: string, value: unknown, className = ''): TemplateResult {
    return html`<div class="fact"><dt>${term}</dt><dd class=${className}>${value}</dd></div>`;
  }

  private renderMeeting(model: Model, meeting: Meeting): TemplateResult {
    const { config, timeline } = model;
    const [top, sub, leaf] = timeline.state.split('.');
    const live = top === 'meeting' && sub === 'inSession' && meeting === model.ctx.meetings.at(-1) ? leaf : undefined;
    const reached = new Map(meeting.stages.map((s) => [s.id, s.at]));
    const byRole = new Map<string, Participant[]>();
    for (const p of meeting.participants) {
      const list = byRole.get(p.role);
      if (list) list.push(p);
      else byRole.set(p.role, [p]);
    }
    const roles = [...byRole.keys()].sort((a, b) => rank(a) - rank(b));
    const sep = this.t('timeline.listSeparator');
    const dot = this.t('timeline.separator');
    const state = meeting.record
      ? this.consensusLabel(meeting.record.consensus)
      : this.t(meeting.startedAt ? 'timeline.meeting.inSession' : 'timeline.meeting.scheduled');
    const agenda = html`<ol class="agenda">
      ${config.step.meeting.agenda.map(
        (s) => html`<li aria-current=${ifDefined(live === s.id ? 'step' : undefined)} class=${live === s.id ? 'agenda-now' : ''}>
          <span class="agenda-name">${this.agendaLabel(config, s.id)}</span>${dot}${reached.has(s.id)
            ? this.time(reached.get(s.id))
            : html`<span class="muted">${this.t('timeline.meeting.notReached')}</span>`}${live === s.id
            ? html`${dot}<strong>${this.t('timeline.meeting.now')}</strong>`
            : nothing}
        </li>`,
      )}
    </ol>`;
    const people = html`<ul class="people">
      ${roles.map(
        (role) => html`<li><span class="role">${this.roleLabel(role)}</span>${dot}${byRole.get(role)!.map((p) => this.person(p)).join(sep)}</li>`,
      )}
    </ul>`;
    return html`<section class="meeting" part="meeting" aria-labelledby="round-${meeting.round}">
      <h4 id="round-${meeting.round}" class="meeting-title">
        ${this.t('timeline.round', { round: meeting.round })}${dot}${this.formatLabel(config, meeting.format)}${dot}${state}
      </h4>
      <dl class="facts">
        ${this.fact(this.t('timeline.meeting.format'), this.formatLabel(config, meeting.format))}
        ${this.fact(this.t('timeline.meeting.start'), this.time(meeting.start))}
        ${this.fact(this.t('timeline.meeting.place'), meeting.place)}
        ${this.fact(this.t('timeline.meeting.conveners'), meeting.conveners.map((p) => this.person(p)).join(sep))}
        ${this.fact(this.t('timeline.meeting.participants'), people)}
        ${this.fact(this.t('timeline.meeting.agenda'), agenda)}
      </dl>
      ${this.renderRecord(model, meeting)}
    </section>`;
  }

  /** The five haves (时间、地点、主题、措施、效果) and the consensus, as a definition list. */
  private renderRecord(model: Model, meeting: Meeting): TemplateResult {
    const record = meeting.record;
    const title = html`<h5 class="record-title">${this.t('timeline.record.title')}</h5>`;
    if (!record) return html`<div class="record" part="record">${title}<p class="muted">${this.t('timeline.record.none')}</p></div>`;
    const given = (text: string) => (text.trim() ? text : html`<span class="muted">${this.t('timeline.notGiven')}</span>`);
    const measures = record.measureIds.map((id) => model.measures.get(id)).filter((m): m is MeasureView => Boolean(m));
    const dot = this.t('timeline.separator');
    return html`<div class="record" part="record">
      ${title}
      <dl class="facts">
        ${this.fact(this.t('timeline.record.time'), record.time ? this.time(record.time) : given(''))}
        ${this.fact(this.t('timeline.record.place'), given(record.place))}
        ${this.fact(this.t('timeline.record.topic'), given(record.topic))}
        ${this.fact(
          this.t('timeline.record.measures'),
          measures.length > 0
            ? html`<ol class="record-measures">
                ${measures.map((m) => html`<li>${m.text}${dot}${this.partyLabel(model.config, m.party)}</li>`)}
              </ol>`
            : this.t('timeline.record.noMeasures'),
        )}
        ${this.fact(this.t('timeline.record.effect'), given(record.effect))}
        ${this.fact(this.t('timeline.record.consensus'), this.consensusLabel(record.consensus))}
      </dl>
    </div>`;
  }

  private renderMeasures(model: Model): TemplateResult | typeof nothing {
    const { timeline, config, now } = model;
    if (timeline.measures.length === 0) return nothing;
    const dot = this.t('timeline.separator');
    return html`<section class="measures" aria-labelledby="measures-title">
      <h4 id="measures-title" class="measures-title">${this.t('timeline.measures', { count: timeline.measures.length })}</h4>
      <ul class="measure-list">
        ${timeline.measures.map((m) => {
          const note = m.notes.at(-1);
          const status = html`<span class="badge badge--${m.status}">${this.t(`timeline.measure.status.${m.status}`)}</span>
            ${m.overdue
              ? html`<span class="badge badge--overdue" part="overdue">${ICON_WARNING}${this.t('timeline.measure.overdue', {
                  days: this.overdueDays(m.due, now),
                })}</span>`
              : nothing}
            ${m.feedbackGiven ? html`<span class="badge badge--feedback">${this.t('timeline.measure.feedbackGiven')}</span>` : nothing}
            <span class="muted">${this.t('timeline.measure.fromRound', { round: m.round })}</span>`;
          return html`<li class="measure ${m.overdue ? 'measure--overdue' : ''}" part="measure">
            <p class="measure-text">${m.text}</p>
            <dl class="facts">
              ${this.fact(this.t('timeline.measure.party'), this.partyLabel(config, m.party))}
              ${this.fact(this.t('timeline.measure.due'), this.time(m.due, 'date'))}
              ${this.fact(this.t('timeline.measure.status'), status, 'badges')}
              ${m.status === 'declined' && m.reason ? this.fact(this.t('timeline.measure.reason'), m.reason) : nothing}
              ${m.result
                ? this.fact(
                    // A poor rating sent it back: the result stands as the earlier one, not as done.
                    this.t(m.status === 'implemented' ? 'timeline.measure.result' : 'timeline.measure.earlierResult'),
                    m.result,
                  )
                : nothing}
              ${note && m.status !== 'implemented'
                ? this.fact(this.t('timeline.measure.notes'), html`${note.text}${dot}${this.time(note.at, 'date')}`)
                : nothing}
            </dl>
          </li>`;
        })}
      </ul>
    </section>`;
  }
}


const rank = (role: string): number => {
  const i = (ROLES as readonly string[]).indexOf(role);
  return i < 0 ? ROLES.length : i;
};
