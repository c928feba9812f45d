import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Level, TopicEvent, TopicSnapshot, WorkflowConfig } from '@consult-kit/machine/core';
import { normalizeFollowCode, type ConsultStore, type FollowedTopic, type FollowResult, type OutboxEntry } from '@consult-kit/store';
import { ConsultElement } from '../base/consult-element.js';
import { safeUrl } from '../base/safe-url.js';
import { StoreController } from '../controllers/store-controller.js';
import type { MessageKey } from '../i18n/messages.js';
import { LEVEL_KEYS } from '../i18n/level-keys.js';
import { corePart, followPart, myTopicsPart, timelinePart } from '../i18n/parts.js';
import { formControlStyles } from '../styles/form-controls.js';
import { hostStyles } from '../styles/tokens.js';
import type { ConsultStarRating } from '../star-rating/star-rating.component.js';
import { FollowCodeController, followCodeInHash, followCodeStyles, renderFollowCode } from './follow-code.js';
import { followActorId } from './follow-id.js';
import { myTopicsStyles } from './my-topics.styles.js';
import { NoticesController, renderNotices, type NoticesStore } from './notices.js';
import { topicProgress, type ProgressStep, type TopicProgress } from './progress.js';

/** What "my topics" uses of a store: `openStore`'s result, or `<consult-workflow>`'s through context. */
export type MyTopicsStore = Pick<ConsultStore, 'config' | 'subscribe' | 'topics' | 'append'> &
  Partial<Pick<ConsultStore, 'followedTopics' | 'follow' | 'refreshTopic' | 'log' | 'conflicts' | 'status'>> &
  NoticesStore;


const FOLLOW_ERRORS: Readonly<Record<Exclude<FollowResult, { ok: true }>['reason'] | 'empty', MessageKey>> = {
  empty: 'mine.add.error.empty',
  invalid: 'mine.add.error.invalid',
  'not-found': 'mine.add.error.notFound',
  revoked: 'mine.add.error.revoked',
  'rate-limited': 'mine.add.error.rateLimited',
  offline: 'mine.add.error.offline',
  unavailable: 'mine.add.error.unavailable',
};

type FollowError = { key: MessageKey; params?: Record<string, string | number> };

/**
 * @tag consult-my-topics
 * @summary "My topics" (我的议题): every topic this device raised or follows by its follow code,
 * each with a plain-language stepper of the configured lifecycle — received, the screening
 * decision (accepted, or rejected with the reason, merged into which topic, redirected to which
 * channel, escalated to which level, withdrawn), the meeting (format, date, place), the five-haves
 * record and each measure (responsible party, due date, overdue, adopted or declined with the
 * reason, implemented with the result), the feedback, the rating (with how long it stays open,
 * rated once with `<consult-star-rating>`), closed. The current step is marked
 * `aria-current="step"` and in words, never by colour alone.
 *
 * A resident adds a topic raised elsewhere by its follow code (a form with the GOV.UK error
 * pattern), withdraws a topic while it is still being screened (after confirming), and sees when
 * each topic was last updated. It shows what was last pulled, so it works offline.
 *
 * Inside `<consult-workflow>` (the `my-topics` view, the residents' default) it uses the workflow's
 * store; on its own, give it one: `el.store = await openStore({ config, transport, pullScope: 'followed' })`.
 * A page opened with `#follow=<code>` in its URL (the follow code's QR code) adds that topic.
 *
 * On a city server, each open topic this device holds a follow code for offers "Tell me about
 * progress / 有进展时通知我": e-mail or a mobile number (native radios in a fieldset), used for
 * that topic only, kept until the topic's personal data is erased, one-click unsubscribe in every
 * message, with a link to the config's privacy notice (`privacy.url`). Once made it says where
 * notices go (masked by the server: "l***@example.org") with a "Stop notices" button. The address
 * goes only to the server (`store.optInNotices`); nothing of it is kept on the device, and what
 * was typed stays in the field through any error. Not offered with the local transport or when
 * the config turns notifications off.
 *
 * @event consult-error - Saving a rating or a withdrawal failed in storage.
 *
 * @csspart base - The wrapper.
 * @csspart notice - A notice (the server did not share updates; a topic just submitted).
 * @csspart topic - One topic's card.
 * @csspart stepper - A topic's ordered list of steps.
 * @csspart step - One step (also `step-done`, `step-current` or `step-upcoming`).
 * @csspart follow-code - The follow-code panel (the code, copy, QR code).
 * @csspart code - The follow code itself.
 * @csspart qr - The QR code.
 * @csspart button - Every button.
 * @csspart add-form - The "add a topic by its follow code" form.
 * @csspart error-summary - The error summary of the add form (and of a topic's opt-in).
 * @csspart notices - A topic's "tell me about progress" section.
 * @csspart notices-form - Its form (channel and address).
 *
 * @cssproperty --step-marker-size - Size of a step's marker (default 1.5 × `--consult-font-size`).
 * @cssproperty --consult-color-primary - Colour of the current step and links (global token).
 */
export class ConsultMyTopics extends ConsultElement {
  static override styles = [hostStyles, formControlStyles, followCodeStyles, myTopicsStyles];
  static override catalogues = [corePart, myTopicsPart, followPart, timelinePart];

  static override properties = {
    ...ConsultElement.properties,
    store: { attribute: false },
    topic: {},
    now: {},
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    followInput: { state: true, attribute: false },
    followError: { state: true, attribute: false },
    followStatus: { state: true, attribute: false },
    following: { state: true, attribute: false },
    confirming: { state: true, attribute: false },
    busy: { state: true, attribute: false },
    actionError: { state: true, attribute: false },
    actorIds: { state: true, attribute: false },
  };

  /** A store to use instead of the workflow's. */
  declare store: MyTopicsStore | undefined;
  /** The topic to bring forward (the one just submitted): listed first, with its follow code and whether it was sent. */
  declare topic: string | undefined;
  /** The time to judge deadlines and the rating window by (ISO 8601); defaults to the time of each render. */
  declare now: string | undefined;
  /** Larger text and targets for older residents. */
  declare largeText: boolean;
  declare private followInput: string;
  declare private followError: FollowError | undefined;
  declare private followStatus: string;
  declare private following: boolean;
  /** The topic whose withdrawal is being confirmed. */
  declare private confirming: string | undefined;
  /** The topic an action is being saved for. */
  declare private busy: string | undefined;
  declare private actionError: { topicId: string; text: string } | undefined;
  /** `by.id` per normalised follow code. */
  declare private actorIds: ReadonlyMap<string, string>;

  private readonly stores = new StoreController<MyTopicsStore>(this as never, () => this.store);
  private readonly copier = new FollowCodeController(this);
  private readonly notices = new NoticesController(this, () => this.activeStore);
  private hashChecked = false;

  constructor() {
    super();
    this.store = undefined;
    this.topic = undefined;
    this.now = undefined;
    this.largeText = false;
    this.followInput = '';
    this.followError = undefined;
    this.followStatus = '';
    this.following = false;
    this.confirming = undefined;
    this.busy = undefined;
    this.actionError = undefined;
    this.actorIds = new Map();
  }

  private get activeStore(): MyTopicsStore | undefined {
    return this.stores.store;
  }

  private get followed(): readonly FollowedTopic[] {
    return this.activeStore?.followedTopics ?? [];
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.computeActorIds();
    this.followFromHash();
  }

  /** The `by.id` each followed code acts as, so this person's own rating is recognised. */
  private computeActorIds(): void {
    for (const f of this.followed) {
      // A topic raised on this device that has no follow code (the local transport: no server
      // gives one) rates as this device's own follow subject for it, so the rating has a rater
      // the machine admits (issue 16: a rating from nobody is refused).
      const local = !f.followCode && f.raisedHere ? `local:${f.topicId}` : null;
      if (local && !this.actorIds.has(local)) {
        void followActorId(`LOCAL-${f.topicId}`).then((id) => {
          if (id && !this.actorIds.has(local)) this.actorIds = new Map([...this.actorIds, [local, id]]);
        });
      }
      const normal = f.followCode ? normalizeFollowCode(f.followCode) : null;
      if (!normal || this.actorIds.has(normal)) continue;
      void followActorId(normal).then((id) => {
        if (id && !this.actorIds.has(normal)) this.actorIds = new Map([...this.actorIds, [normal, id]]);
      });
    }
  }

  /** A page opened from a follow code's QR code (`#follow=<code>`) adds that topic, once. */
  private followFromHash(): void {
    const store = this.activeStore;
    if (this.hashChecked || !store?.follow) return;
    this.hashChecked = true;
    const code = followCodeInHash(location.hash);
    if (!code) return;
    const normal = normalizeFollowCode(code);
    if (normal && this.followed.some((f) => f.followCode && normalizeFollowCode(f.followCode) === normal)) return;
    this.followInput = code;
    void this.addByCode(code);
  }

  private actorIdOf(followed: FollowedTopic | undefined): string | undefined {
    const normal = followed?.followCode ? normalizeFollowCode(followed.followCode) : null;
    if (normal) return this.actorIds.get(normal);
    return followed?.raisedHere ? this.actorIds.get(`local:${followed.topicId}`) : undefined;
  }

  /** When an action happens: `now` when it is set (a story, a test, a kiosk with its own clock), else the clock. */
  private eventTime(): string {
    return this.now ?? new Date().toISOString();
  }

  private get nowValue(): string | number {
    return this.now ?? Date.now();
  }

  // ── Actions ─────────────────────────────────────────────────────────────────────────────

  private onFollowSubmit(event: Event): void {
    event.preventDefault();
    void this.addByCode(this.followInput);
  }

  private async addByCode(input: string): Promise<void> {
    const store = this.activeStore;
    if (!store?.follow || this.following) return;
    this.followStatus = '';
    if (input.trim() === '') return this.showFollowError({ key: FOLLOW_ERRORS.empty });
    const normal = normalizeFollowCode(input);
    if (!normal) return this.showFollowError({ key: FOLLOW_ERRORS.invalid });
    const already = this.followed.find((f) => f.followCode && normalizeFollowCode(f.followCode) === normal);
    this.following = true;
    let result: FollowResult;
    try {
      result = await store.follow(normal);
    } catch {
      result = { ok: false, reason: 'unavailable' };
    }
    this.following = false;
    if (!result.ok) {
      const minutes = Math.max(1, Math.ceil((result.retryAfterMs ?? 60_000) / 60_000));
      return this.showFollowError({ key: FOLLOW_ERRORS[result.reason] ?? FOLLOW_ERRORS.unavailable, params: { minutes } });
    }
    this.followError = undefined;
    this.followInput = '';
    const title = store.topics.get(result.topicId)?.context.title || this.t('mine.untitled');
    this.followStatus = already ? this.t('mine.add.already') : this.t('mine.add.added', { title });
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-topic-heading="${CSS.escape(result.topicId)}"]`)?.focus();
  }

  private async showFollowError(error: FollowError): Promise<void> {
    this.followError = error;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#follow-error-summary')?.focus();
  }

  private async save(topicId: string, event: TopicEvent): Promise<boolean> {
    const store = this.activeStore;
    if (!store) return false;
    this.busy = topicId;
    this.actionError = undefined;
    try {
      const result = await store.append(topicId, event);
      if (!result.ok) {
        this.actionError = { topicId, text: this.t('mine.actionRefused', { message: result.refusal.message }) };
        return false;
      }
      return true;
    } catch (error) {
      const text = this.t('mine.actionFailed', { message: error instanceof Error ? error.message : String(error) });
      this.actionError = { topicId, text };
      this.report('storage', error, text);
      return false;
    } finally {
      this.busy = undefined;
    }
  }

  private async askWithdraw(topicId: string): Promise<void> {
    this.confirming = topicId;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#withdraw-title-${CSS.escape(topicId)}`)?.focus();
  }

  private async cancelWithdraw(topicId: string): Promise<void> {
    this.confirming = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#withdraw-${CSS.escape(topicId)}`)?.focus();
  }

  private async withdraw(event: Event, topicId: string, actorId: string | undefined): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const reason = (form.elements.namedItem('reason') as HTMLTextAreaElement | null)?.value.trim();
    const ok = await this.save(topicId, {
      type: 'topic.withdraw',
      ...(reason ? { reason } : {}),
      by: { role: 'resident', ...(actorId ? { id: actorId } : {}) },
      at: this.eventTime(),
    });
    if (ok) this.confirming = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-topic-heading="${CSS.escape(topicId)}"]`)?.focus();
  }

  private async rate(event: Event, topicId: string, actorId: string | undefined): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const stars = form.querySelector<ConsultStarRating>('consult-star-rating');
    const value = Number(stars?.value ?? 0);
    if (!value) {
      this.actionError = { topicId, text: this.t('rating.required') };
      stars?.focus();
      return;
    }
    const comment = (form.elements.namedItem('comment') as HTMLTextAreaElement | null)?.value.trim();
    await this.save(topicId, {
      type: 'rating.submit',
      stars: value,
      ...(comment ? { comment } : {}),
      by: { role: 'resident', ...(actorId ? { id: actorId } : {}) },
      at: this.eventTime(),
    });
  }

  // ── Text ────────────────────────────────────────────────────────────────────────────────

  private date(iso: string | undefined, withTime = false): string {
    if (!iso) return '';
    const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(this.locale, withTime ? { dateStyle: 'long', timeStyle: 'short' } : { dateStyle: 'long' }).format(date);
  }

  private level(level: Level | string): string {
    return Object.hasOwn(LEVEL_KEYS, level) ? this.t(LEVEL_KEYS[level]!) : level;
  }

  private stepName(step: ProgressStep): string {
    return step.label ? this.text(step.label) : this.t(`mine.step.${step.key}` as MessageKey);
  }

  private party(config: WorkflowConfig, id: string): string {
    const label = config.step.handling.parties.find((p) => p.id === id)?.label;
    return label ? this.text(label) : id;
  }

  private format(config: WorkflowConfig, id: string): string {
    const label = config.step.meeting.formats.find((f) => f.id === id)?.label;
    return label ? this.text(label) : id;
  }

  private consensus(value: string | undefined): string {
    return value === 'full' || value === 'partial' || value === 'none' ? this.t(`timeline.consensus.${value}`) : '';
  }

  /** Whether this device's copy of a topic's submission reached the server, waits to be sent, or was refused. */
  private submission(topicId: string): { state: 'sent' | 'pending' | 'failed' | 'unknown'; text: string } {
    const store = this.activeStore;
    const conflict = store?.conflicts?.find((e: OutboxEntry) => e.entry.topicId === topicId && e.entry.event.type === 'topic.submit');
    if (conflict) {
      const message = conflict.conflict?.detail ?? conflict.conflict?.title ?? conflict.lastError ?? '';
      return { state: 'failed', text: this.t('mine.sendFailed', { message }) };
    }
    const submit = store?.log?.find((e) => e.topicId === topicId && e.event.type === 'topic.submit');
    if (!submit) return { state: 'unknown', text: '' };
    return submit.seq > 0 ? { state: 'sent', text: this.t('mine.sent') } : { state: 'pending', text: this.t('mine.savedHere') };
  }

  /** Why an event this device sent for a topic with its follow code was refused, in plain words. */
  private codeProblem(topicId: string): string {
    const conflict = this.activeStore?.conflicts?.find((e: OutboxEntry) => e.entry.topicId === topicId && e.conflict?.reason);
    const reason = conflict?.conflict?.reason;
    return reason === 'follow-code-revoked' ? this.t('mine.codeProblem.revoked') : reason === 'follow-code-not-found' ? this.t('mine.codeProblem.notFound') : '';
  }

  // ── Rendering ───────────────────────────────────────────────────────────────────────────

  protected override render(): TemplateResult {
    const store = this.activeStore;
    const list = this.ordered();
    // Inside <consult-workflow> the workflow says it once for every view; on its own, this does.
    const refused = this.store !== undefined && store?.status?.pullProblem === 'unauthorised';
    return html`<div class="base" part="base" lang=${this.locale}>
      <div role="status" aria-live="polite" class="notices">
        ${refused ? html`<p class="notice" part="notice">${this.t('mine.pullRefused')}</p>` : nothing}
      </div>
      <p class="intro">${this.t('mine.intro')}</p>
      ${list.length === 0
        ? html`<p class="empty">${this.t('mine.empty')}</p>`
        : html`<ul class="topics">
            ${list.map((f) => html`<li>${this.renderTopic(f, store?.topics.get(f.topicId))}</li>`)}
          </ul>`}
      ${store?.follow ? this.renderAddForm() : nothing}
    </div>`;
  }

  /** The followed topics, the one brought forward first. */
  private ordered(): FollowedTopic[] {
    const list = [...this.followed];
    const i = this.topic ? list.findIndex((f) => f.topicId === this.topic) : -1;
    if (i > 0) list.unshift(...list.splice(i, 1));
    return list;
  }

  private renderTopic(followed: FollowedTopic, snapshot: TopicSnapshot | undefined): TemplateResult {
    const id = followed.topicId;
    const headingId = `topic-${id}`;
    const forward = id === this.topic;
    if (!snapshot || !snapshot.context.submittedAt) {
      return html`<article class="topic" part="topic" aria-labelledby=${headingId}>
        <h3 id=${headingId} tabindex="-1" data-topic-heading=${id}>${this.t('mine.untitled')}</h3>
        <p class="meta">${this.t('mine.notLoaded')}</p>
        ${followed.followCode ? this.renderCode(followed, forward) : nothing}
      </article>`;
    }
    const actorId = this.actorIdOf(followed);
    const p = topicProgress(snapshot, this.nowValue, actorId ? { actorId } : {});
    const title = p.title || this.t('mine.untitled');
    const config = snapshot.context.config;
    const submission = this.submission(id);
    const problem = this.codeProblem(id);
    return html`<article class="topic ${forward ? 'topic--forward' : ''}" part="topic" aria-labelledby=${headingId}>
      <h3 id=${headingId} tabindex="-1" data-topic-heading=${id}>${title}</h3>
      ${forward && followed.raisedHere
        ? html`<div class="notice success" part="notice"><p><strong>${this.t('mine.thanks')}</strong> ${submission.text}</p></div>`
        : nothing}
      <p class="meta">${followed.pulledAt ? this.t('mine.updated', { date: this.date(followed.pulledAt, true) }) : this.t('mine.notUpdated')}</p>
      ${problem ? html`<p class="error-message" role="alert">${problem}</p>` : nothing}
      <ol class="stepper" part="stepper" aria-label=${this.t('mine.progress', { title })}>
        ${p.steps.map((step) => this.renderStep(step, p, config, id, actorId))}
      </ol>
      ${this.actionError?.topicId === id ? html`<p class="error-message" role="alert">${this.actionError.text}</p>` : nothing}
      ${p.canWithdraw && (followed.raisedHere || followed.followCode) ? this.renderWithdraw(id, title, actorId) : nothing}
      ${followed.followCode ? this.renderNotices(id, config, p.outcome === 'open') : nothing}
      ${followed.followCode || (followed.raisedHere && submission.state !== 'sent') ? this.renderCode(followed, forward) : nothing}
    </article>`;
  }

  /** "Tell me about progress": offered while the topic is open; an opt-in already made can always be stopped. */
  private renderNotices(topicId: string, config: WorkflowConfig, open: boolean): TemplateResult | typeof nothing {
    if (config.notifications?.enabled === false) return nothing;
    const state = this.notices.get(topicId);
    if (!state) return nothing;
    const subscribed = state.list?.ok === true && state.list.value.length > 0;
    if (!open && !subscribed && state.done !== 'stopped') return nothing;
    return renderNotices({
      topicId,
      state,
      privacyUrl: config.privacy?.url,
      t: (key, params) => this.t(key, params),
      onChoose: (channel) => this.notices.choose(topicId, channel),
      onType: (value) => this.notices.type(topicId, value),
      onSubmit: () => void this.notices.optIn(topicId),
      onStop: (id) => void this.notices.stop(topicId, id),
    });
  }

  private renderCode(followed: FollowedTopic, open: boolean): TemplateResult {
    const panel = renderFollowCode({
      code: followed.followCode,
      idPrefix: `code-${followed.topicId}`,
      copyState: followed.followCode ? this.copier.message(followed.followCode) : 'idle',
      onCopy: (code, element) => void this.copier.copy(code, element),
      t: (key, params) => this.t(key, params),
    });
    // The topic just raised shows its code at once; the others keep it one click away.
    return open ? panel : html`<details class="code-details"><summary>${this.t('follow.show')}</summary>${panel}</details>`;
  }

  private renderStep(step: ProgressStep, p: TopicProgress, config: WorkflowConfig, topicId: string, actorId: string | undefined): TemplateResult {
    const ended = step.status === 'current' && p.outcome !== 'open' && p.outcome !== 'closed';
    const statusKey: MessageKey = ended ? 'mine.status.ended' : `mine.status.${step.status}`;
    return html`<li class="step step--${step.status}" part="step step-${step.status}" aria-current=${ifDefined(step.status === 'current' ? 'step' : undefined)}>
      <span class="marker" aria-hidden="true">${step.status === 'done' ? '✓' : step.status === 'current' ? '●' : ''}</span>
      <div class="step-body">
        <p class="step-title"><span class="step-name">${this.stepName(step)}</span> <span class="step-status">${this.t(statusKey)}</span></p>
        ${step.status === 'upcoming' ? nothing : this.renderDetail(step, p, config, topicId, actorId)}
      </div>
    </li>`;
  }

  private renderDetail(step: ProgressStep, p: TopicProgress, config: WorkflowConfig, topicId: string, actorId: string | undefined): TemplateResult | typeof nothing {
    switch (step.key) {
      case 'received':
        return html`<p>${this.t('mine.received', { date: this.date(p.submittedAt, true) })}</p>`;
      case 'screening':
        return this.renderScreening(p, config);
      case 'research':
        return html`<p>${p.research ? this.t('mine.research.findings', { findings: p.research.findings }) : this.t('mine.research.pending')}</p>`;
      case 'meeting':
        return this.renderMeetings(p, config);
      case 'handling':
        return this.renderHandling(p, config);
      case 'feedback':
        return html`<p>${p.feedback ? this.t('mine.feedback.given', { date: this.date(p.feedback.at), text: p.feedback.text }) : this.t('mine.feedback.pending')}</p>`;
      case 'evaluation':
        return this.renderRating(p, topicId, actorId);
      case 'closed':
        return html`<p>${this.t('mine.closed', { date: this.date(p.closedAt) })}</p>`;
      default:
        return nothing;
    }
  }

  private renderScreening(p: TopicProgress, config: WorkflowConfig): TemplateResult {
    const s = p.screening;
    if (!s) return html`<p>${this.t('mine.screening.pending')}</p>`;
    const date = this.date(s.at);
    const escalations = s.escalations.map((e) => html`<p>${this.t('mine.screening.escalated', { level: this.level(e.to), date: this.date(e.at) })}</p>
      ${e.reason ? html`<p>${this.t('mine.reason', { reason: e.reason })}</p>` : nothing}`);
    const reason = s.reason ? html`<p class="reason">${this.t('mine.reason', { reason: s.reason })}</p>` : nothing;
    switch (s.decision) {
      case 'pending':
        return html`${escalations}<p>${this.t('mine.screening.pending')}</p>`;
      case 'accepted':
        return html`${escalations}<p>${this.t('mine.screening.accepted', { date })}</p>`;
      case 'rejected':
        return html`${escalations}<p>${this.t('mine.screening.rejected', { date })}</p>${reason}`;
      case 'merged': {
        const into = s.into ? this.activeStore?.topics.get(s.into)?.context.title || s.into : '';
        return html`${escalations}<p>${this.t('mine.screening.merged', { date, into })}</p>`;
      }
      case 'redirected': {
        const channel = config.step.screening?.channels.find((c) => c.id === s.channel);
        const name = channel ? this.text(channel.label) : (s.channel ?? '');
        const href = channel ? safeUrl(channel.url) : undefined;
        return html`${escalations}<p>${this.t('mine.screening.redirected', { channel: name, date })}</p>
          ${href ? html`<p><a class="link" href=${href}>${name}</a></p>` : nothing}${reason}`;
      }
      case 'withdrawn':
        return html`<p>${this.t('mine.screening.withdrawn', { date })}</p>${reason}`;
      default:
        return html``;
    }
  }

  private renderMeetings(p: TopicProgress, config: WorkflowConfig): TemplateResult {
    if (p.meetings.length === 0) return html`<p>${this.t('mine.meeting.pending')}</p>`;
    return html`<ul class="facts">
        ${p.meetings.map(
          (m) => html`<li>
            ${this.t('mine.meeting.round', { round: m.round, format: this.format(config, m.format), start: this.date(m.start, true), place: m.place })}
            ${m.held ? this.t('mine.meeting.held', { consensus: this.consensus(m.consensus) }) : ''}
          </li>`,
        )}
      </ul>
      ${p.outcome === 'unresolved' ? html`<p>${this.t('mine.meeting.unresolved')}</p>` : nothing}`;
  }

  private renderHandling(p: TopicProgress, config: WorkflowConfig): TemplateResult {
    const r = p.record;
    if (!r) return html`<p>${this.t('mine.handling.pending')}</p>`;
    return html`<h4 class="sub">${this.t('mine.record.title')}</h4>
      <dl class="record">
        <dt>${this.t('mine.record.time')}</dt><dd>${this.date(r.time, true)}</dd>
        <dt>${this.t('mine.record.place')}</dt><dd>${r.place}</dd>
        <dt>${this.t('mine.record.topic')}</dt><dd>${r.topic}</dd>
        <dt>${this.t('mine.record.effect')}</dt><dd>${r.effect}</dd>
        <dt>${this.t('mine.record.consensus')}</dt><dd>${this.consensus(r.consensus)}</dd>
      </dl>
      <h4 class="sub">${this.t('mine.measures.title')}</h4>
      ${p.measures.length === 0
        ? html`<p>${this.t('mine.measures.none')}</p>`
        : html`<ul class="measures">
            ${p.measures.map(
              (m) => html`<li class="measure">
                <p class="measure-text">${m.text}</p>
                <p>
                  <span class="measure-status">${this.t(`timeline.measure.status.${m.status}` as MessageKey)}</span>
                  ${m.overdue ? html`<strong class="overdue">${this.t('mine.measure.overdue')}</strong>` : nothing}
                </p>
                <p>${this.t('mine.measure.party', { party: this.party(config, m.party) })} · ${this.t('mine.measure.due', { date: this.date(m.due) })}</p>
                ${m.reason ? html`<p>${this.t('mine.reason', { reason: m.reason })}</p>` : nothing}
                ${m.result ? html`<p>${this.t('mine.measure.result', { result: m.result })}</p>` : nothing}
              </li>`,
            )}
          </ul>`}`;
  }

  private renderRating(p: TopicProgress, topicId: string, actorId: string | undefined): TemplateResult {
    const r = p.rating;
    if (!r) return html`<p>${this.t('mine.rating.pending')}</p>`;
    const average =
      r.average === null
        ? this.t('mine.rating.none')
        : this.t('mine.rating.average', { average: new Intl.NumberFormat(this.locale, { maximumFractionDigits: 1 }).format(r.average), scale: r.scale, count: r.count });
    return html`${r.reopened ? html`<p>${this.t('mine.rating.reopened')}</p>` : nothing}
      ${r.open && r.windowEnd ? html`<p>${this.t('mine.rating.until', { date: this.date(r.windowEnd, true) })}</p>` : nothing}
      ${!r.open && r.windowEnd ? html`<p>${this.t('mine.rating.closedWindow', { date: this.date(r.windowEnd, true) })}</p>` : nothing}
      ${r.mine !== undefined ? html`<p class="done">${this.t('mine.rating.mine', { stars: r.mine, scale: r.scale })}</p>` : nothing}
      ${p.canRate ? this.renderRatingForm(topicId, r.scale, actorId) : html`<p>${average}</p>`}`;
  }

  private renderRatingForm(topicId: string, scale: number, actorId: string | undefined): TemplateResult {
    const busy = this.busy === topicId;
    const commentId = `comment-${topicId}`;
    return html`<form class="rating-form" novalidate @submit=${(e: Event) => this.rate(e, topicId, actorId)}>
      <consult-star-rating name="stars" scale=${scale} ?large-text=${this.largeText}></consult-star-rating>
      <div class="field">
        <label class="label" for=${commentId}>${this.t('mine.rating.comment')}</label>
        <textarea class="input textarea" id=${commentId} name="comment" rows="3"></textarea>
      </div>
      <button type="submit" class="button button--primary" part="button" aria-disabled=${busy ? 'true' : 'false'}>
        ${busy ? this.t('mine.rating.sending') : this.t('mine.rating.submit')}
      </button>
    </form>`;
  }

  private renderWithdraw(topicId: string, title: string, actorId: string | undefined): TemplateResult {
    if (this.confirming !== topicId) {
      return html`<p>
        <button type="button" class="button button--secondary" part="button" id="withdraw-${topicId}" @click=${() => this.askWithdraw(topicId)}>
          ${this.t('mine.withdraw')}
        </button>
      </p>`;
    }
    const reasonId = `withdraw-reason-${topicId}`;
    return html`<form class="confirm" novalidate aria-labelledby="withdraw-title-${topicId}" @submit=${(e: Event) => this.withdraw(e, topicId, actorId)}>
      <h4 class="sub" id="withdraw-title-${topicId}" tabindex="-1">${this.t('mine.withdraw.confirmTitle', { title })}</h4>
      <p>${this.t('mine.withdraw.confirmText')}</p>
      <div class="field">
        <label class="label" for=${reasonId}>${this.t('mine.withdraw.reason')}</label>
        <textarea class="input textarea" id=${reasonId} name="reason" rows="2"></textarea>
      </div>
      <div class="actions">
        <button type="submit" class="button button--primary" part="button" aria-disabled=${this.busy === topicId ? 'true' : 'false'}>${this.t('mine.withdraw.yes')}</button>
        <button type="button" class="button button--secondary" part="button" @click=${() => this.cancelWithdraw(topicId)}>${this.t('mine.withdraw.no')}</button>
      </div>
    </form>`;
  }

  private renderAddForm(): TemplateResult {
    const error = this.followError ? this.t(this.followError.key, this.followError.params) : '';
    return html`<form class="add-form" part="add-form" novalidate aria-labelledby="add-title" @submit=${this.onFollowSubmit}>
      ${error
        ? html`<div id="follow-error-summary" class="error-summary" part="error-summary" tabindex="-1" aria-labelledby="follow-error-title">
            <div role="alert">
              <h3 id="follow-error-title" class="error-summary-title">${this.t('form.errorSummaryTitle')}</h3>
              <ul class="error-list">
                <li><a href="#follow-code" @click=${this.focusFollowInput}>${error}</a></li>
              </ul>
            </div>
          </div>`
        : nothing}
      <h3 id="add-title">${this.t('mine.add.title')}</h3>
      <div class="field ${error ? 'field--error' : ''}">
        <label class="label" for="follow-code">${this.t('mine.add.label')}</label>
        <div class="hint" id="follow-code-hint">${this.t('mine.add.hint')}</div>
        ${error ? html`<p class="error-message" id="follow-code-error"><span class="visually-hidden">${this.t('form.errorPrefix')}</span> ${error}</p>` : nothing}
        <input
          class="input code-input"
          id="follow-code"
          name="followCode"
          autocomplete="off"
          autocapitalize="characters"
          spellcheck="false"
          aria-describedby=${error ? 'follow-code-hint follow-code-error' : 'follow-code-hint'}
          aria-invalid=${error ? 'true' : 'false'}
          .value=${this.followInput}
          @input=${(e: Event) => {
            this.followInput = (e.target as HTMLInputElement).value;
          }}
        />
      </div>
      <button type="submit" class="button button--primary" part="button" aria-disabled=${this.following ? 'true' : 'false'}>
        ${this.following ? this.t('mine.add.checking') : this.t('mine.add.submit')}
      </button>
      <p class="add-status" role="status" aria-live="polite">${this.followStatus}</p>
    </form>`;
  }

  private focusFollowInput(event: Event): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#follow-code');
    this.renderRoot.querySelector('label[for="follow-code"]')?.scrollIntoView({ block: 'start' });
    input?.focus({ preventScroll: true });
  }
}
