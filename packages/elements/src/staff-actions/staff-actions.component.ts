import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import {
  acceptedEvents,
  currentStage,
  explainRefusal,
  ROLES,
  STATE_LABELS,
  stateLabel,
  stateName,
  type EventRefusal,
  type EventType,
  type LocalizedText,
  type Role,
  type StepType,
  type TopicEvent,
  type TopicSnapshot,
} from '@consult-kit/machine/core';
import type { ConsultStore } from '@consult-kit/store';
import { ConsultElement } from '../base/consult-element.js';
import { StoreController } from '../controllers/store-controller.js';
import { deadlineNow, dueState, dueWords } from '../base/due.js';
import { ConsultRefusedEvent } from '../events/consult-events.js';
import { ConsultActionEvent } from '../events/action-event.js';
import type { MessageKey } from '../i18n/messages.js';
import { corePart, duePart, intakePart, rolesPart, staffPart } from '../i18n/parts.js';
import { formControlStyles } from '../styles/form-controls.js';
import { hostStyles } from '../styles/tokens.js';
import {
  agendaStage,
  claimingChannel,
  closeForm,
  feedbackForm,
  measuresSection,
  ratingForm,
  recordForm,
  researchForm,
  scheduleForm,
  screeningForms,
  sessionForm,
  startForm,
  toLocalInput,
  type ActionHost,
  type ActionModel,
  type FormSpec,
  type Row,
} from './forms.js';
import { intakeAnswers, nameText } from './intake-answers.js';
import { staffActionsStyles } from './staff-actions.styles.js';

/** What the element uses of a store: `openStore`'s result, or `<consult-workflow>`'s through context. */
export type StaffActionsStore = Pick<ConsultStore, 'config' | 'topics' | 'status' | 'subscribe' | 'append'> & Partial<Pick<ConsultStore, 'serverNow' | 'knowsServerClock'>>;

interface FormState {
  values: Record<string, string>;
  rows: Row[];
}

/** The error shown after a submission: which form, the control it belongs to (if any), the words. */
interface ShownError {
  form: string;
  target?: string;
  /** Kept as the refusal (not its words), so the message follows a change of language. */
  refusal: EventRefusal;
  /** The row's number, for a fault in one participant or measure. */
  n?: number;
}

const STEP_TYPES = new Set<string>(['intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation']);
const LEVELS = new Set<string>(['village', 'community', 'town', 'street', 'park', 'district', 'county', 'city', 'sector']);
const FINAL = new Set<string>(['rejected', 'merged', 'redirected', 'withdrawn', 'closed', 'unresolved']);
/** Roles of private persons: they do not get the staff's view of what the form collected. */
const PRIVATE_ROLES = new Set<string>(['resident', 'representative']);

let rowSeq = 0;
const newRow = (values: Record<string, string> = {}): Row => ({ key: (rowSeq += 1), values });

// Intl formatters are costly to build: one per locale and kind, shared by every element.
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(locale: string, withTime: boolean, utc: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withTime}|${utc}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium',
      ...(withTime ? { timeStyle: 'short' } : {}),
      ...(utc ? { timeZone: 'UTC' } : {}),
    });
    formatters.set(key, found);
  }
  return found;
}

/**
 * @tag consult-staff-actions
 * @summary The staff views of one topic: screening (受理, 不予受理 with a reason, 合并, 转办 to a
 * configured channel, 提级), research (完成调研), the meeting (安排协商 with format, time, place,
 * conveners and participants by role; 开始协商; 下一环节 through the agenda), its record with the
 * five haves (五个有) and the consensus, each measure's handling (采纳 / 不予采纳 / 办理进展 /
 * 已落实), feedback (反馈) and closing the evaluation (结束评价); for residents, the satisfaction
 * rating (满意度评价). Only the actions the machine takes in the topic's state *and* the person's
 * role may send are offered. Every submission is checked by the machine first (a refusal is shown
 * GOV.UK style: an error summary that takes focus and the field's own message; nothing typed is
 * cleared), then saved through the store — on this device first, sent when it can be.
 *
 * Inside `<consult-workflow>` it uses the workflow's store; otherwise give it `store`
 * (`await openStore({ config })`). It re-renders whenever the store reports a change.
 *
 * @attr topic - The topic's id (`topicId`).
 * @attr user-role - The person's role, sent as `by.role`: `convener`, `department`, `admin`, `resident`, `representative`… Default `resident`.
 * @attr user-id - The person's id, sent as `by.id` (a resident rates once per evaluation by this id). Inside `<consult-workflow>` with a city server, the id the server's `GET /me` named.
 * @attr user-name - The person's display name, sent as `by.name` with staff actions (officials are named in the shareable log; the timeline says who did each step). Never sent for residents.
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 * @attr large-text - Larger text and targets for older residents.
 *
 * @event consult-action - An action was accepted and saved. `detail`: `{ topicId, type, entry, savedOn }`.
 * @event consult-refused - The machine (or the store) refused an action; it is shown in the element too. `detail`: `{ refusal }`.
 * @event consult-error - Saving failed unexpectedly. `detail`: `{ code: 'action-failed', message, error }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart heading - The element's heading ("What you can do now").
 * @csspart summary - The topic's title and its current stage (and the close form's figures).
 * @csspart decided - Who screened the topic and how ("张丽华（召集人）受理"), from the log's `by`.
 * @csspart intake - What the intake form collected, every field by its label (staff roles only): personal answers where the server joined them for this role, "Withheld" (已隐去) where it did not; "raised anonymously" for an anonymous topic.
 * @csspart status - The polite live message saying an action was recorded (and whether it is saved here only).
 * @csspart nothing - The message shown when there is nothing for this person to do.
 * @csspart outcome - How a finished topic ended (the rejection reason, the channel, the topic merged into).
 * @csspart action - Each action's section.
 * @csspart action-title - Each action's heading.
 * @csspart notice - A suggestion (e.g. that the matter belongs to a redirect channel).
 * @csspart channel - The chosen redirect channel's description and link.
 * @csspart now - The agenda stage the meeting is at.
 * @csspart agenda - The agenda list.
 * @csspart measure - One measure with its facts and forms.
 * @csspart row - One participant or measure row in a form.
 * @csspart feedback - The feedback residents are asked to rate.
 * @csspart done - The "you rated this" message.
 * @csspart error-summary - A form's error summary.
 * @csspart field - Each field's wrapper (also `field-error` when it has an error).
 * @csspart label - A field's label or legend.
 * @csspart hint - A field's hint.
 * @csspart error - A field's error message.
 * @csspart input - A text input, text area or drop-down.
 * @csspart button - Every button (also `button-primary` for a form's main action).
 *
 * @cssproperty --consult-color-primary - Colour of primary buttons and the current agenda stage (global token).
 * @cssproperty --consult-color-error - Colour of errors (global token).
 * @cssproperty --consult-color-success - Colour of the "recorded" message and finished stages (global token).
 * @cssproperty --consult-font-scale - Text size factor; `large-text` sets `--consult-font-scale-large` (global token).
 * @cssproperty --input-max-width - Widest a text input or text area grows (default 36 × `--consult-font-size`).
 * @cssproperty --action-gap - Space between action sections (default 1.5 × `--consult-font-size`).
 * @cssproperty --action-border-color - Border of each action section (default the border token).
 */
export class ConsultStaffActions extends ConsultElement {
  static override styles = [hostStyles, formControlStyles, staffActionsStyles];
  static override catalogues = [corePart, staffPart, rolesPart, intakePart, duePart];

  static override properties = {
    ...ConsultElement.properties,
    topicId: { attribute: 'topic' },
    userRole: { attribute: 'user-role' },
    userId: { attribute: 'user-id' },
    userName: { attribute: 'user-name' },
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    store: { attribute: false },
    announcement: { state: true, attribute: false },
    errors: { state: true, attribute: false },
    pending: { state: true, attribute: false },
  };

  /** The topic to act on (`store.topics.get(topicId)`). */
  declare topicId: string | undefined;
  /** The person's role, sent as `by.role`; decides which actions are offered. Default `resident`. */
  declare userRole: string;
  /** The person's id, sent as `by.id`. */
  declare userId: string | undefined;
  /** The person's display name, sent as `by.name` with staff actions (not for residents). */
  declare userName: string | undefined;
  /** Larger text and targets for older residents. */
  declare largeText: boolean;
  /** A store to use instead of `<consult-workflow>`'s. */
  declare store: StaffActionsStore | undefined;

  declare private announcement: string;
  declare private errors: ShownError[];
  /** The form being saved now. */
  declare private pending: string | undefined;

  private readonly storeController = new StoreController<StaffActionsStore>(this, () => this.store);
  private readonly forms = new Map<string, FormState>();
  /** The topic and state the kept form states belong to: they are dropped when the topic changes. */
  private formsFor = '';
  private announceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.topicId = undefined;
    this.userRole = 'resident';
    this.userId = undefined;
    this.userName = undefined;
    this.largeText = false;
    this.store = undefined;
    this.announcement = '';
    this.errors = [];
    this.pending = undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.announceTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('topicId') || changed.has('userRole') || changed.has('userId')) {
      this.errors = [];
      if (changed.has('topicId')) this.forms.clear();
    }
  }

  /** The store in use: `store` if given, else the workflow's (followed: a new revision re-renders). */
  private get active(): StaffActionsStore | undefined {
    return this.storeController.store;
  }

  // ── Text ────────────────────────────────────────────────────────────────────────────────

  private roleLabel(role: string): string {
    return (ROLES as readonly string[]).includes(role) ? this.t(`staff.role.${role as Role}`) : role;
  }

  private levelLabel(level: string): string {
    return LEVELS.has(level) ? this.t(`staff.level.${level}` as MessageKey) : level;
  }

  private stageLabel(key: string): string {
    const config = this.active?.config;
    if (!config) return key;
    if (STEP_TYPES.has(key)) {
      const label = config.step[key as StepType]?.label;
      return label ? this.text(label) : this.t(`staff.stage.${key}` as MessageKey);
    }
    return stateLabel(config, key, this.locale);
  }

  /** "Due in 3 days", "Due today", "Overdue by 5 days" at `now` (ms); '' for a date that cannot be read. */
  private dueWords(due: string, now: number): string {
    const state = dueState(due, now);
    return state ? dueWords((key, params) => this.t(key, params), state, (n) => new Intl.NumberFormat(this.locale).format(n)) : '';
  }

  private formatDate(iso: string, withTime = false): string {
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
    if (Number.isNaN(ms)) return iso;
    const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
    return dateFormatter(this.locale, withTime && !dayOnly, dayOnly).format(ms);
  }

  // ── Form state ──────────────────────────────────────────────────────────────────────────

  /** A form's state, created with its prefilled values the first time the form is shown. */
  private formState(form: string): FormState {
    let state = this.forms.get(form);
    if (!state) {
      state = this.initialState(form);
      this.forms.set(form, state);
    }
    return state;
  }

  private initialState(form: string): FormState {
    const snapshot = this.snapshot;
    const ctx = snapshot?.context;
    if (!ctx) return { values: {}, rows: [] };
    const meeting = ctx.meetings.at(-1);
    switch (form) {
      case 'redirect': {
        const channel = claimingChannel(ctx);
        return { values: channel ? { channel: channel.id } : {}, rows: [] };
      }
      case 'schedule': {
        // Rescheduling a meeting not yet started: start from its arrangements.
        const current = meeting && !meeting.record && !meeting.startedAt ? meeting : undefined;
        if (!current) return { values: {}, rows: [newRow()] };
        const values: Record<string, string> = { format: current.format, start: toLocalInput(current.start), place: current.place };
        // A name withheld from this person (the redaction marker) starts empty, never as "[object Object]".
        current.conveners.forEach((c, i) => (values[`convener-${i}`] = nameText(c.name, '')));
        const rows = current.participants.map((p) => newRow({ name: nameText(p.name, ''), role: p.role }));
        return { values, rows: rows.length > 0 ? rows : [newRow()] };
      }
      case 'record':
        return {
          values: { time: toLocalInput(meeting?.start), place: meeting?.place ?? '', topic: ctx.title },
          rows: [newRow()],
        };
      default:
        return { values: {}, rows: [] };
    }
  }

  private setValue(form: string, name: string, value: string): void {
    this.formState(form).values[name] = value;
    this.requestUpdate();
  }

  private setRowValue(form: string, key: number, name: string, value: string): void {
    const row = this.formState(form).rows.find((r) => r.key === key);
    if (row) row.values[name] = value;
    this.requestUpdate();
  }

  private async addRow(form: string, focusField: string): Promise<void> {
    const row = newRow();
    const state = this.formState(form);
    state.rows = [...state.rows, row];
    this.requestUpdate();
    await this.updateComplete;
    const kind = form === 'schedule' ? 'participant' : 'measure';
    this.byId(`${form}-${kind}-${row.key}-${focusField}`)?.focus();
  }

  private async removeRow(form: string, key: number, fallback: string): Promise<void> {
    const state = this.formState(form);
    const index = state.rows.findIndex((r) => r.key === key);
    state.rows = state.rows.filter((r) => r.key !== key);
    this.requestUpdate();
    await this.updateComplete;
    // Focus goes to the row that took its place (its first control), or to the add button.
    const next = state.rows[Math.min(index, state.rows.length - 1)];
    const kind = form === 'schedule' ? 'participant' : 'measure';
    const target = next ? this.byId(`${form}-${kind}-${next.key}-${form === 'schedule' ? 'name' : 'text'}`) : null;
    (target ?? this.byId(fallback))?.focus();
  }

  // ── Submitting ──────────────────────────────────────────────────────────────────────────

  private get snapshot(): TopicSnapshot | undefined {
    return this.topicId ? this.active?.topics.get(this.topicId) : undefined;
  }

  private async submit(event: SubmitEvent, spec: FormSpec): Promise<void> {
    event.preventDefault();
    const store = this.active;
    const snapshot = this.snapshot;
    const topicId = this.topicId;
    if (!store || !snapshot || !topicId || this.pending) return;
    const submitter = (event.submitter as HTMLElement | null) ?? null;
    const body = { type: spec.type, ...spec.payload() };
    const role = (this.userRole || 'resident') as Role;
    // Officials are named in the shareable log; a private person's name is never put on an event here.
    const name = this.userName && !PRIVATE_ROLES.has(role) ? { name: this.userName } : {};
    const by = { role, ...(this.userId ? { id: this.userId } : {}), ...name };
    const machineEvent = { ...body, by, at: new Date().toISOString() } as unknown as TopicEvent;
    this.announce('');

    const refusals = this.check(snapshot, machineEvent, spec);
    if (refusals.length > 0) return this.refused(spec, refusals);

    this.pending = spec.key;
    let result: Awaited<ReturnType<StaffActionsStore['append']>>;
    try {
      result = await store.append(topicId, machineEvent);
    } catch (error) {
      this.pending = undefined;
      const detail = error instanceof Error ? error.message : String(error);
      this.report('action-failed', error, this.t('staff.refusal.other', { message: detail }));
      const refusal: EventRefusal = { code: 'failed', message: detail, eventType: spec.type, topicId, state: stateName(snapshot), accepts: [] };
      return this.showErrors([{ form: spec.key, refusal }]);
    }
    this.pending = undefined;
    if (!result.ok) return this.refused(spec, [result.refusal]);

    // Recorded: the form starts afresh, the live region says so, focus stays or moves on.
    this.forms.delete(spec.key);
    this.errors = [];
    // "Saved on this device, sent when online" only when it truly waits for a connection; while
    // online the workflow's sync line says "Sending…", then "Sent" or why not.
    const status = store.status;
    const waitsForConnection = status.pending > 0 && (!status.online || status.hold?.reason === 'unreachable');
    const words = [this.t('staff.recorded', { action: spec.done })];
    if (result.savedOn === 'memory') words.push(this.t('staff.memoryOnly'));
    else if (waitsForConnection) words.push(this.t('staff.savedHere'));
    this.requestUpdate();
    await this.updateComplete;
    this.announce(words.join(' '));
    if (!submitter?.isConnected || !(this.renderRoot as ShadowRoot).activeElement) {
      const after = (spec.after ? this.byId(spec.after) : null) ?? this.byId('staff-title');
      after?.focus();
    }
    this.dispatchEvent(new ConsultActionEvent({ topicId, type: spec.type, entry: result.entry, savedOn: result.savedOn }));
  }

  /** Says something in the polite live region (emptied first, so the same words are read again). */
  private announce(text: string): void {
    clearTimeout(this.announceTimer);
    this.announcement = '';
    if (!text) return;
    this.announceTimer = setTimeout(() => {
      this.announcement = text;
    }, 100);
  }

  /**
   * Every fault the machine finds, not just the first (GOV.UK lists them all): after each refusal
   * that names a field, the form's `repair` puts a valid stand-in there and the machine is asked
   * again. The words all come from the machine's own checks; nothing is checked twice here.
   */
  private check(snapshot: TopicSnapshot, event: TopicEvent, spec: FormSpec): EventRefusal[] {
    const config = this.active!.config;
    const found: EventRefusal[] = [];
    const seen = new Set<string>();
    let probe: TopicEvent | undefined = event;
    while (probe && found.length < 12) {
      const refusal = explainRefusal(config, snapshot, probe);
      if (!refusal) break;
      const id = `${refusal.code}|${refusal.field ?? ''}`;
      if (seen.has(id)) break;
      seen.add(id);
      found.push(refusal);
      probe = refusal.field && spec.repair ? (spec.repair(probe as never, refusal.field) as TopicEvent | undefined) : undefined;
    }
    return found;
  }

  private async refused(spec: FormSpec, refusals: EventRefusal[]): Promise<void> {
    this.dispatchEvent(new ConsultRefusedEvent({ refusal: refusals[0]! }));
    const errors: ShownError[] = refusals.map((refusal) => {
      const { id, n } = spec.target(refusal.field);
      return { form: spec.key, refusal, ...(id ? { target: id } : {}), ...(n ? { n } : {}) };
    });
    // In the order the fields come on the page (general messages first), as the person reads them.
    const position = (error: ShownError) => (error.target ? this.byId(error.target) : null);
    errors.sort((a, b) => {
      const x = position(a);
      const y = position(b);
      if (!x || !y) return x ? 1 : y ? -1 : 0;
      return x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    await this.showErrors(errors);
  }

  private async showErrors(errors: ShownError[]): Promise<void> {
    this.errors = errors;
    await this.updateComplete;
    const summary = this.byId(`${errors[0]?.form ?? ''}-errors`);
    if (!summary) return;
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: 'nearest' });
  }

  /** The refusal in the person's language: our words for its code where we have them, else the machine's. */
  private refusalMessage(refusal: EventRefusal, n: number | undefined): string {
    const config = this.active?.config;
    const ctx = this.snapshot?.context;
    const code = refusal.code;
    const params: Record<string, string | number> = { message: refusal.message, n: n ?? 1 };
    let key = `staff.refusal.${code}`;
    switch (code) {
      case 'five-haves':
        key = `staff.refusal.five-haves.${refusal.field ?? ''}`;
        break;
      case 'invalid-measure':
        if (refusal.field?.endsWith('.due')) key = 'staff.refusal.invalid-measure-due';
        break;
      case 'short-findings':
        params.min = config?.step.research?.minFindingsLength ?? 1;
        break;
      case 'short-text':
        params.min = config?.step.feedback?.minLength ?? 1;
        break;
      case 'conveners':
        params.count = config?.step.meeting.conveners ?? 1;
        break;
      case 'out-of-scope': {
        const channel = ctx ? claimingChannel(ctx) : undefined;
        if (!channel) key = 'staff.refusal.other';
        else params.channel = this.text(channel.label);
        break;
      }
      case 'not-in-state':
        params.state = this.snapshot ? this.stageLabel(currentStage(this.snapshot)) : refusal.state;
        break;
      case 'role-not-permitted':
        params.role = this.roleLabel(this.userRole);
        break;
      case 'evaluation-open': {
        const step = config?.step.evaluation;
        const round = ctx?.evaluations.at(-1);
        params.min = step?.minRatings ?? 1;
        params.date = round && step ? this.formatDate(new Date(Date.parse(round.openedAt) + step.windowDays * 86_400_000).toISOString()) : '';
        break;
      }
      case 'meeting-not-yet': {
        const start = ctx?.meetings.at(-1)?.start;
        params.date = start ? this.formatDate(start, true) : '';
        break;
      }
      default:
        break;
    }
    if (!this.hasMessage(key)) key = 'staff.refusal.other';
    return this.t(key as MessageKey, params);
  }

  // ── Focus ───────────────────────────────────────────────────────────────────────────────

  private byId(id: string): HTMLElement | null {
    return (this.renderRoot as ShadowRoot).getElementById?.(id) ?? null;
  }

  /** An error-summary link: focus the control (the first radio of a group, a star) and show its question. */
  private followError(event: Event, id: string): void {
    event.preventDefault();
    const target = this.byId(id);
    if (!target) return;
    let control: HTMLElement | null = target;
    if (target.localName === 'consult-star-rating') {
      const radios = [...(target.shadowRoot?.querySelectorAll<HTMLInputElement>('input[type=radio]') ?? [])];
      control = radios.find((r) => r.checked) ?? radios[0] ?? null;
    } else if (target.localName === 'fieldset') {
      control = target.querySelector<HTMLElement>('input, select, textarea, button');
    }
    const question = target.closest('.field')?.querySelector('label, legend') ?? target;
    question.scrollIntoView({ block: 'start' });
    control?.focus({ preventScroll: true });
  }

  // ── The renderers' view of this element ─────────────────────────────────────────────────

  private readonly host: ActionHost = this.makeHost();

  private makeHost(): ActionHost {
    return {
      t: (key, params) => this.t(key, params),
      text: (value: LocalizedText | undefined, fallback = '') => this.text(value, fallback),
      errorFor: (id) => {
        const error = this.errors.find((e) => e.target === id);
        return error ? this.refusalMessage(error.refusal, error.n) : undefined;
      },
      value: (form, name) => this.formState(form).values[name] ?? '',
      set: (form, name, value) => this.setValue(form, name, value),
      rows: (form) => this.formState(form).rows,
      setRow: (form, key, name, value) => this.setRowValue(form, key, name, value),
      addRow: (form, focus) => void this.addRow(form, focus),
      removeRow: (form, key, focus) => void this.removeRow(form, key, focus),
      submit: (event, spec) => void this.submit(event, spec),
      busy: (form) => this.pending === form,
      summary: (form) => this.renderSummary(form),
      formatDate: (iso, withTime) => this.formatDate(iso, withTime),
      dueWords: (due, now) => this.dueWords(due, now),
      roleLabel: (role) => this.roleLabel(role),
      levelLabel: (level) => this.levelLabel(level),
      stageLabel: (key) => this.stageLabel(key),
    };
  }

  // ── Rendering ───────────────────────────────────────────────────────────────────────────

  private renderSummary(form: string): TemplateResult | typeof nothing {
    const errors = this.errors.filter((e) => e.form === form);
    if (errors.length === 0) return nothing;
    return html`<div id=${`${form}-errors`} class="error-summary" part="error-summary" tabindex="-1" aria-labelledby=${`${form}-errors-title`}>
      <div role="alert">
        <h4 id=${`${form}-errors-title`} class="error-summary-title">${this.t('staff.errorSummaryTitle')}</h4>
        <ul class="error-list">
          ${errors.map((error) => {
            const message = this.refusalMessage(error.refusal, error.n);
            return error.target
              ? html`<li><a href=${`#${error.target}`} @click=${(e: Event) => this.followError(e, error.target!)}>${message}</a></li>`
              : html`<li class="refusal">${message}</li>`;
          })}
        </ul>
      </div>
    </div>`;
  }

  protected override render(): TemplateResult {
    return html`<div class="base" part="base" lang=${this.locale}>
      <h2 id="staff-title" class="heading" part="heading" tabindex="-1">${this.t('staff.title')}</h2>
      ${this.renderBody()}
      <p class="status" part="status" role="status" aria-live="polite">${this.announcement}</p>
    </div>`;
  }

  private renderBody(): TemplateResult {
    const store = this.active;
    if (!store) return html`<p class="nothing" part="nothing">${this.t('staff.noStore')}</p>`;
    if (!this.topicId) return html`<p class="nothing" part="nothing">${this.t('staff.noTopic')}</p>`;
    const snapshot = store.topics.get(this.topicId);
    if (!snapshot) return html`<p class="nothing" part="nothing">${this.t('staff.notFound', { id: this.topicId })}</p>`;
    const config = store.config;
    const state = stateName(snapshot);
    const role = (this.userRole || 'resident') as Role;
    const offered = new Set(
      acceptedEvents(config, snapshot).filter((type) => (config.permissions[type as EventType] ?? []).includes(role)),
    );
    // Form states belong to one topic in one state: a new state starts its forms afresh.
    const owner = `${this.topicId}|${state}`;
    if (owner !== this.formsFor) {
      this.formsFor = owner;
      this.forms.clear();
    }
    const model: ActionModel = {
      config,
      snapshot,
      ctx: snapshot.context,
      topicId: this.topicId,
      offered,
      topics: store.topics,
      userId: this.userId || undefined,
      // Deadlines at the server's clock when the data came from it (issue 17), else the device's.
      now: deadlineNow(store),
    };
    const host = this.host;
    const top = state.split('.')[0]!;
    const scheduled = state === 'meeting.scheduled';
    const actions = [
      ...screeningForms(host, model),
      researchForm(host, model),
      startForm(host, model),
      scheduleForm(host, model, scheduled),
      sessionForm(host, model),
      recordForm(host, model),
      measuresSection(host, model),
      feedbackForm(host, model),
      closeForm(host, model),
      ratingForm(host, model),
    ].filter((a): a is TemplateResult => a !== nothing);

    return html`<div class="summary" part="summary">
        <p class="topic-title">${this.t('staff.topic', { title: snapshot.context.title || this.topicId })}</p>
        <p class="topic-stage">${this.t('staff.stage', { stage: this.stageText(snapshot) })}</p>
        ${this.renderDecided(snapshot)}
      </div>
      ${PRIVATE_ROLES.has(role) ? nothing : this.renderIntake(snapshot)}
      ${FINAL.has(top) ? this.renderOutcome(snapshot, top) : nothing}
      ${actions.length > 0
        ? html`<div class="actions-list">${actions}</div>`
        : html`<p class="nothing" part="nothing">${this.t(FINAL.has(top) ? 'staff.finished' : 'staff.nothing')}</p>`}`;
  }

  /**
   * What the form collected, every field by its configured label: personal answers as the server
   * joined them for this person's role, or "Withheld" where it sent the redaction marker; an
   * anonymous topic says so. Staff only (a resident sees the public view of other topics).
   */
  private renderIntake(snapshot: TopicSnapshot): TemplateResult {
    const ctx = snapshot.context;
    const withheld = this.t('intake.withheld');
    const answers = intakeAnswers(ctx, {
      yes: this.t('intake.yes'),
      no: this.t('intake.no'),
      files: (count) => this.t('intake.files', { count }),
      option: (label, value) => (label ? this.text(label, value) : value),
    });
    const submitter = ctx.anonymous ? '' : nameText(ctx.submittedBy?.name, withheld);
    const anyWithheld = answers.some((a) => a.kind === 'withheld') || submitter === withheld;
    return html`<section class="intake" part="intake" aria-labelledby="intake-title">
      <h3 id="intake-title" class="intake-title">${this.t('intake.title')}</h3>
      ${ctx.anonymous ? html`<p class="intake-note">${this.t('intake.anonymous')}</p>` : nothing}
      <dl class="answers">
        ${submitter
          ? html`<div class="answer ${submitter === withheld ? 'answer--withheld' : ''}" data-field="by.name">
              <dt>${this.t('intake.submittedBy')}</dt>
              <dd>${submitter}</dd>
            </div>`
          : nothing}
        ${answers.map(
          (a) => html`<div class="answer answer--${a.kind}" data-field=${a.name}>
            <dt>${this.text(a.label, a.name)}</dt>
            <dd>${a.kind === 'withheld' ? withheld : a.kind === 'empty' ? this.t('intake.empty') : a.text}</dd>
          </div>`,
        )}
      </dl>
      ${anyWithheld ? html`<p class="intake-note">${this.t('intake.withheldHint')}</p>` : nothing}
    </section>`;
  }

  /** "Consultation meeting (Briefing)": the stage, and the agenda stage or sub-state when there is one. */
  private stageText(snapshot: TopicSnapshot): string {
    const stage = this.stageLabel(currentStage(snapshot));
    const state = stateName(snapshot);
    const agenda = agendaStage(snapshot);
    const detail = agenda ? this.stageLabel(agenda) : state.startsWith('meeting.') ? this.stageLabel(state.split('.')[1]!) : '';
    const top = state.split('.')[0]!;
    if (FINAL.has(top)) return STATE_LABELS[top]?.[this.locale] ?? top;
    return detail ? this.t('staff.stageDetail', { stage, detail }) : stage;
  }

  /**
   * Who screened the topic ("张丽华（召集人）受理" / "Accepted by 张丽华 (Convener)"): officials
   * are named in the log; a name withheld from this person reads "withheld", and a private
   * person is named only by their role.
   */
  private renderDecided(snapshot: TopicSnapshot): TemplateResult | typeof nothing {
    const screening = snapshot.context.screening;
    if (!screening) return nothing;
    const { by } = screening;
    const role = this.roleLabel(by.role);
    const name = PRIVATE_ROLES.has(by.role) ? '' : nameText(by.name, this.t('intake.withheld'));
    const who = name ? this.t('staff.who', { name, role }) : role;
    return html`<p class="topic-decided" part="decided">${this.t(`staff.decided.${screening.decision}`, { who })}</p>`;
  }

  private renderOutcome(snapshot: TopicSnapshot, top: string): TemplateResult | typeof nothing {
    const screening = snapshot.context.screening;
    const config = snapshot.context.config;
    if (top === 'rejected' && screening?.reason) {
      return html`<p class="outcome" part="outcome">${this.t('staff.outcome.rejected', { reason: screening.reason })}</p>`;
    }
    if (top === 'redirected' && screening?.channel) {
      const channel = config.step.screening?.channels.find((c) => c.id === screening.channel);
      return html`<p class="outcome" part="outcome">
        ${this.t('staff.outcome.redirected', { channel: channel ? this.text(channel.label) : screening.channel })}
      </p>`;
    }
    if (top === 'merged' && screening?.into) {
      const title = this.active?.topics.get(screening.into)?.context.title;
      return html`<p class="outcome" part="outcome">${this.t('staff.outcome.merged', { topic: title || screening.into })}</p>`;
    }
    return nothing;
  }
}
