import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ContextProvider } from '@lit/context';
import {
  currentStage,
  startProgramme,
  stateLabel,
  toEvent,
  type ConfigError,
  type LogEntry,
  type ProgrammeActorRef,
  type ProgrammeEvent,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine';
import { formatFollowCode, httpTransport, normalizeFollowCode, openStore, topicIndexClient, type ConsultStore, type StoreStatus } from '@consult-kit/store';
import { ConsultElement } from '../base/consult-element.js';
import { configErrorsTemplate, inlineConfigScript, loadConfig, type ConfigSource } from '../base/config-source.js';
import { programmeContext, storeContext } from '../context/consultation-context.js';
import { ConsultNavigateEvent } from '../events/navigate-event.js';
import type { MessageKey } from '../i18n/messages.js';
import { formControlStyles } from '../styles/form-controls.js';
import { hostStyles } from '../styles/tokens.js';
import { workflowStyles } from './workflow.styles.js';

/** The views `<consult-workflow>` can show. */
export type WorkflowView = 'my-topics' | 'intake' | 'timeline' | 'outcomes' | 'board' | 'figures';
export type UserRole = 'resident' | 'convener' | 'department' | 'admin';

/** Which views each `user-role` may see, in menu order (the first is the default). */
export const VIEWS_BY_ROLE: Readonly<Record<UserRole, readonly WorkflowView[]>> = {
  // A resident's phone holds only the topics it follows (pullScope 'followed'): "my topics" first,
  // the topic list and timelines of those same topics, and the public board and figures.
  resident: ['my-topics', 'intake', 'timeline', 'board', 'figures'],
  convener: ['timeline', 'outcomes', 'figures', 'intake', 'board'],
  department: ['timeline', 'outcomes', 'figures', 'board'],
  admin: ['timeline', 'outcomes', 'figures', 'intake', 'board'],
};

const VIEW_LABEL: Readonly<Record<WorkflowView, MessageKey>> = {
  'my-topics': 'workflow.view.myTopics',
  intake: 'workflow.view.intake',
  timeline: 'workflow.view.topics',
  outcomes: 'workflow.view.outcomes',
  board: 'workflow.view.board',
  figures: 'workflow.view.figures',
};

type Phase = 'loading' | 'failed' | 'invalid' | 'ready';

/**
 * @tag consult-workflow
 * @summary The root a portal embeds: loads the programme's config, keeps the data on this
 * device (and syncs it with the city's backend when `endpoint` or the config says so), owns the
 * programme actor (rebuilt from the event log, never restarted), provides it and the store to the
 * elements inside, and shows the views the `user-role` may see: raise a topic, topics and their
 * progress (with the actions staff may take), outcomes, figures; for residents "my topics" (their own
 * topics' progress, by follow code) and the public outcomes board.
 *
 * Residents (`user-role="resident"`, the default) with an `endpoint` pull only the topics they
 * follow (`pullScope: 'followed'`); when the server refuses a pull, a polite notice says so.
 *
 * It never changes the page's URL or history: `view` and `topic` are reflected as attributes and
 * announced with `consult-navigate`, so a portal's own router can follow them.
 *
 * @event consult-navigate - The person moved to another view or topic. `detail`: `{ view, topic }`.
 * @event consult-error - The config could not be loaded or is invalid, or the store could not open.
 *
 * @csspart base - The wrapper.
 * @csspart nav - The menu of views.
 * @csspart notice - A notice about storage or connectivity.
 * @csspart problem - A config or loading problem.
 * @csspart topics - The list of topics.
 *
 * @cssproperty --nav-gap - Space between menu items.
 */
export class ConsultWorkflow extends ConsultElement {
  static override styles = [hostStyles, formControlStyles, workflowStyles];

  static override properties = {
    ...ConsultElement.properties,
    config: {},
    userRole: { attribute: 'user-role' },
    userId: { attribute: 'user-id' },
    endpoint: {},
    topic: { reflect: true },
    view: { reflect: true },
    dbName: { attribute: 'db-name' },
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    token: { attribute: false },
    phase: { state: true, attribute: false },
    problem: { state: true, attribute: false },
    configErrors: { state: true, attribute: false },
    storeStatus: { state: true, attribute: false },
    search: { state: true, attribute: false },
    searchNote: { state: true, attribute: false },
  };

  /** The programme's config: a URL (attribute), or the object (property). Without it, an inline `<script type="application/json">` child. */
  declare config: string | object | undefined;
  /** Who is using it: `resident` (default), `convener`, `department` or `admin`. Not `role`, which is ARIA's. */
  declare userRole: UserRole;
  /** The signed-in person's id, sent with their actions as `by.id`. */
  declare userId: string | undefined;
  /** The city's backend (the REST contract's base URL); overrides the config's transport. */
  declare endpoint: string | undefined;
  /** The topic shown (its id). */
  declare topic: string | undefined;
  /**
   * The view shown: `my-topics` (residents' default once this device raised or follows a topic;
   * before that, `intake`), `intake`, `timeline`, `outcomes`, `board` (the public outcomes board)
   * or `figures`; defaults to the role's first.
   */
  declare view: WorkflowView | undefined;
  /** IndexedDB database name; default `consult-kit`. */
  declare dbName: string | undefined;
  /** Larger text and targets for older residents. */
  declare largeText: boolean;
  /** A bearer token for staff actions sent to the backend (a function or a string). */
  declare token: string | (() => string | undefined | Promise<string | undefined>) | undefined;
  declare private phase: Phase;
  declare private problem: string;
  declare private configErrors: ConfigError[];
  declare private storeStatus: StoreStatus | undefined;
  /** What the topic list is filtered by (a title's words, or a follow code). */
  declare private search: string;
  /** What a follow-code search found, or why not. */
  declare private searchNote: { text: string; error: boolean } | undefined;

  private store: ConsultStore | undefined;
  /** This device followed no topic when the store opened. */
  private newcomer = false;
  private actor: ProgrammeActorRef | undefined;
  private applied: string[] = [];
  private unsubscribe: (() => void) | undefined;
  private loadedFrom: ConfigSource | undefined;
  private generation = 0;
  private readonly storeProvider = new ContextProvider(this, { context: storeContext, initialValue: undefined });
  private readonly programmeProvider = new ContextProvider(this, { context: programmeContext, initialValue: undefined });

  constructor() {
    super();
    this.config = undefined;
    this.userRole = 'resident';
    this.userId = undefined;
    this.endpoint = undefined;
    this.topic = undefined;
    this.view = undefined;
    this.dbName = undefined;
    this.largeText = false;
    this.token = undefined;
    this.phase = 'loading';
    this.problem = '';
    this.configErrors = [];
    this.storeStatus = undefined;
    this.search = '';
    this.searchNote = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Reconnected: rebuild from the log (a stopped actor is never restarted).
    if (this.loadedFrom !== undefined && !this.store) void this.load(this.loadedFrom);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.teardown();
  }

  private get effectiveRole(): UserRole {
    return this.userRole in VIEWS_BY_ROLE ? this.userRole : 'resident';
  }

  private get views(): readonly WorkflowView[] {
    return VIEWS_BY_ROLE[this.effectiveRole];
  }

  private get currentView(): WorkflowView {
    if (this.view && this.views.includes(this.view)) return this.view;
    // A resident who followed nothing when the page opened came to raise a topic: the form first
    // (decided once, at load: the form must not be swapped out while it submits).
    if (this.views[0] === 'my-topics' && this.newcomer) return 'intake';
    return this.views[0]!;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('config') || changed.has('endpoint') || changed.has('dbName') || this.loadedFrom === undefined) {
      const source = this.config ?? inlineConfigScript(this);
      if (source !== undefined && (source !== this.loadedFrom || changed.has('endpoint') || changed.has('dbName'))) {
        this.loadedFrom = source;
        void this.load(source);
      }
    }
  }

  private async load(source: ConfigSource): Promise<void> {
    const generation = (this.generation += 1);
    this.teardown();
    this.phase = 'loading';
    const loaded = await loadConfig(source);
    if (generation !== this.generation) return;
    if (!loaded.ok) {
      if (loaded.kind === 'failed') {
        this.problem = this.t('form.loadFailed', { message: loaded.message });
        this.phase = 'failed';
        this.report('load-failed', loaded.error, this.problem);
      } else {
        this.configErrors = loaded.errors;
        this.phase = 'invalid';
        this.report('config-invalid', loaded.error, this.t('common.configErrors', { count: loaded.errors.length }));
      }
      return;
    }
    try {
      const store = await openStore({
        config: loaded.config,
        ...(this.dbName ? { dbName: this.dbName } : {}),
        ...(this.endpoint ? { transport: this.transportFor(loaded.config, this.endpoint) } : {}),
        // A resident's phone pulls only the topics it follows, never the whole programme.
        ...(this.effectiveRole === 'resident' ? { pullScope: 'followed' as const } : {}),
      });
      if (generation !== this.generation) {
        store.close();
        return;
      }
      this.store = store;
      this.newcomer = store.followedTopics.length === 0;
      this.rebuildActor();
      this.storeProvider.setValue(store);
      this.unsubscribe = store.subscribe((status) => {
        this.storeStatus = status;
        this.syncActor();
      });
      this.phase = 'ready';
    } catch (error) {
      this.problem = this.t('common.error', { message: error instanceof Error ? error.message : String(error) });
      this.phase = 'failed';
      this.report('store-failed', error, this.problem);
    }
  }

  private transportFor(config: WorkflowConfig, endpoint: string) {
    const token = this.token;
    return httpTransport({
      endpoint,
      programmeId: config.id,
      token: typeof token === 'function' ? token : () => token,
    });
  }

  /** A new programme actor from the store's log (at start, and when the log was reordered by a pull). */
  private rebuildActor(): void {
    const store = this.store;
    if (!store) return;
    this.actor?.stop();
    const log = [...store.log];
    // The store has replayed this log already (its topics): the actor is built from them.
    this.actor = startProgramme(store.config, log, { topics: store.topics }).actor;
    this.applied = log.map((e) => e.id);
    this.programmeProvider.setValue(this.actor);
  }

  /** Sends the actor what the log gained since; rebuilds when the log is not an extension of what it saw. */
  private syncActor(): void {
    const store = this.store;
    if (!store || !this.actor) return;
    const log = store.log;
    const extends_ = this.applied.every((id, i) => log[i]?.id === id);
    if (!extends_) {
      this.rebuildActor();
      return;
    }
    for (const entry of log.slice(this.applied.length) as LogEntry[]) {
      this.actor.send({ ...toEvent(entry), topicId: entry.topicId } as ProgrammeEvent);
      this.applied.push(entry.id);
    }
  }

  private teardown(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.actor?.stop();
    this.actor = undefined;
    this.store?.close();
    this.store = undefined;
    this.storeProvider.setValue(undefined);
    this.programmeProvider.setValue(undefined);
  }

  // ── Navigation ──────────────────────────────────────────────────────────────────────────

  private navigate(view: WorkflowView, topic: string | undefined): void {
    this.view = view;
    this.topic = topic;
    this.dispatchEvent(new ConsultNavigateEvent({ view, topic }));
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[data-focus]')?.focus());
  }

  private onTopicSelect(event: CustomEvent<{ topicId: string }>): void {
    event.stopPropagation();
    this.navigate('timeline', event.detail.topicId);
  }

  private onSubmitted(event: CustomEvent<{ topicId: string }>): void {
    // A resident goes straight to "my topics", where the new topic comes first with its follow
    // code; staff keep the form's confirmation, with the new topic at hand for the timeline.
    if (this.views.includes('my-topics')) this.navigate('my-topics', event.detail.topicId);
    else this.topic = event.detail.topicId;
  }

  // ── Rendering ───────────────────────────────────────────────────────────────────────────

  protected override render(): TemplateResult {
    return html`<div class="base" part="base" lang=${this.locale}>${this.renderPhase()}</div>`;
  }

  private renderPhase(): TemplateResult {
    switch (this.phase) {
      case 'loading':
        return html`<p role="status">${this.t('common.loading')}</p>`;
      case 'failed':
        return html`<div class="problem" part="problem" role="alert"><p>${this.problem}</p></div>`;
      case 'invalid':
        return configErrorsTemplate(this.configErrors, (key, params) => this.t(key, params));
      default:
        return html`${this.renderNav()}${this.renderNotices()}${this.renderView()}`;
    }
  }

  private renderNav(): TemplateResult {
    const current = this.currentView;
    return html`<nav part="nav" aria-label=${this.t('workflow.nav')}>
      <ul>
        ${this.views.map(
          (view) => html`<li>
            <button
              type="button"
              aria-current=${view === current ? 'page' : 'false'}
              @click=${() => this.navigate(view, view === 'timeline' ? undefined : this.topic)}
            >
              ${this.t(VIEW_LABEL[view])}
            </button>
          </li>`,
        )}
      </ul>
    </nav>`;
  }

  private renderNotices(): TemplateResult | typeof nothing {
    const s = this.storeStatus;
    if (!s) return nothing;
    const notices: TemplateResult[] = [];
    if (s.reloadRequired) notices.push(html`<p class="notice warning" part="notice" role="alert">${this.t('workflow.storage.reload')}</p>`);
    else if (s.storage === 'memory') notices.push(html`<p class="notice warning" part="notice">${this.t('workflow.storage.memory')}</p>`);
    if (s.storageProblem === 'evicted') notices.push(html`<p class="notice" part="notice">${this.t('workflow.storage.evicted')}</p>`);
    if (!s.online) notices.push(html`<p class="notice" part="notice">${this.t('workflow.offline')}</p>`);
    else if (s.pending > 0) notices.push(html`<p class="notice" part="notice">${this.t('workflow.pending', { count: s.pending })}</p>`);
    if (s.conflicts > 0) notices.push(html`<p class="notice warning" part="notice">${this.t('workflow.conflicts', { count: s.conflicts })}</p>`);
    if (s.pullProblem === 'unauthorised') notices.push(html`<p class="notice" part="notice">${this.t('workflow.pullRefused')}</p>`);
    return notices.length ? html`<div role="status" aria-live="polite">${notices}</div>` : html`<div role="status" aria-live="polite"></div>`;
  }

  private renderView(): TemplateResult {
    const view = this.currentView;
    const heading = html`<h2 tabindex="-1" data-focus>${this.t(VIEW_LABEL[view])}</h2>`;
    switch (view) {
      case 'intake':
        return html`<section>
          ${heading}
          <consult-topic-form
            user-role=${this.userRoleForIntake()}
            user-id=${this.userId ?? nothing}
            ?large-text=${this.largeText}
            @consult-submit=${this.onSubmitted}
          ></consult-topic-form>
        </section>`;
      case 'outcomes':
        return html`<section>
          ${heading}
          <consult-outcome-tracker ?large-text=${this.largeText} @consult-topic-select=${this.onTopicSelect}></consult-outcome-tracker>
        </section>`;
      case 'figures':
        return html`<section>${heading}<consult-programme-figures ?large-text=${this.largeText}></consult-programme-figures></section>`;
      case 'my-topics':
        return html`<section>${heading}<consult-my-topics topic=${this.topic ?? nothing} ?large-text=${this.largeText}></consult-my-topics></section>`;
      case 'board':
        return html`<section>
          ${heading}
          <consult-outcomes-board
            ?large-text=${this.largeText}
            @consult-topic-select=${this.views.includes('timeline') ? this.onTopicSelect : nothing}
          ></consult-outcomes-board>
        </section>`;
      default:
        return this.topic && this.store?.topics.has(this.topic) ? this.renderTopic(this.topic) : this.renderTopics(heading);
    }
  }

  private userRoleForIntake(): string {
    return this.effectiveRole === 'admin' ? 'admin' : this.effectiveRole === 'convener' ? 'convener' : 'resident';
  }

  private renderTopics(heading: TemplateResult): TemplateResult {
    const words = this.search.trim().toLowerCase();
    const all = [...(this.store?.topics.entries() ?? [])].filter(([, t]) => t.context.submittedAt);
    const topics = all
      .filter(([, t]) => !words || normalizeFollowCode(words) !== null || t.context.title.toLowerCase().includes(words))
      .sort(([, a], [, b]) => (b.context.updatedAt ?? '').localeCompare(a.context.updatedAt ?? ''));
    return html`<section>
      ${heading}
      ${all.length > 0 ? this.renderSearch() : nothing}
      ${all.length === 0
        ? html`<p>${this.t('workflow.topics.empty')}</p>`
        : topics.length === 0
          ? html`<p>${this.t('workflow.search.none', { words: this.search.trim() })}</p>`
          : html`<ul class="topics" part="topics">
              ${topics.map(([id, t]) => this.renderTopicItem(id, t))}
            </ul>`}
    </section>`;
  }

  /** Find a topic by its title's words, or by the follow code the resident reads out on the phone. */
  private renderSearch(): TemplateResult {
    const note = this.searchNote;
    return html`<form class="search" part="search" role="search" novalidate @submit=${this.onSearch}>
      <label class="label" for="topic-search">${this.t('workflow.search.label')}</label>
      <div class="hint" id="topic-search-hint">${this.t('workflow.search.hint')}</div>
      <div class="search-row">
        <input
          class="input"
          id="topic-search"
          type="search"
          autocomplete="off"
          spellcheck="false"
          aria-describedby=${note ? 'topic-search-hint topic-search-note' : 'topic-search-hint'}
          aria-invalid=${note?.error ? 'true' : 'false'}
          .value=${this.search}
          @input=${(e: Event) => {
            this.search = (e.target as HTMLInputElement).value;
            this.searchNote = undefined;
          }}
        />
        <button type="submit" class="button button--secondary" part="button">${this.t('workflow.search.submit')}</button>
      </div>
      <p id="topic-search-note" class=${note?.error ? 'error-message' : 'search-note'} role="status" aria-live="polite">${note?.text ?? ''}</p>
    </form>`;
  }

  /** A follow code is looked up on the server (it keeps only a hash of it); words filter as typed. */
  private async onSearch(event: Event): Promise<void> {
    event.preventDefault();
    const code = normalizeFollowCode(this.search);
    if (code === null) return;
    const endpoint = this.endpoint ?? (this.store?.config.transport.type === 'http' ? this.store.config.transport.endpoint : undefined);
    const programmeId = this.store?.config.id;
    if (!endpoint || !programmeId) {
      this.searchNote = { text: this.t('workflow.search.local'), error: true };
      return;
    }
    this.searchNote = { text: this.t('workflow.search.looking'), error: false };
    const result = await topicIndexClient({ endpoint, programmeId }).topics({ followCode: code, limit: 1 });
    if (!result.ok) {
      const key =
        result.reason === 'refused' && result.status === 404
          ? 'workflow.search.notFound'
          : result.reason === 'refused' && result.status === 403
            ? 'workflow.search.revoked'
            : result.reason === 'refused' && result.status === 429
              ? 'workflow.search.tooMany'
              : result.reason === 'offline'
                ? 'workflow.search.offline'
                : 'workflow.search.unavailable';
      this.searchNote = { text: this.t(key, { code: formatFollowCode(code) }), error: true };
      return;
    }
    const found = result.value.items[0];
    if (!found) {
      this.searchNote = { text: this.t('workflow.search.notFound', { code: formatFollowCode(code) }), error: true };
      return;
    }
    if (!this.store?.topics.has(found.topicId)) {
      this.searchNote = { text: this.t('workflow.search.notHere', { title: found.title }), error: true };
      return;
    }
    this.search = '';
    this.searchNote = undefined;
    this.navigate('timeline', found.topicId);
  }

  private renderTopicItem(id: string, topic: TopicSnapshot): TemplateResult {
    const title = topic.context.title || this.t('workflow.topics.untitled');
    return html`<li>
      <button type="button" @click=${() => this.navigate('timeline', id)}>
        <span class="title">${title}</span>
        <span class="meta">${this.t('workflow.topics.stage', { stage: this.stageName(topic) })}</span>
      </button>
    </li>`;
  }

  private stageName(topic: TopicSnapshot): string {
    return stateLabel(topic.context.config, currentStage(topic), this.locale);
  }

  private renderTopic(topicId: string): TemplateResult {
    return html`<section>
      <button type="button" class="back" @click=${() => this.navigate('timeline', undefined)}>${this.t('workflow.back')}</button>
      <consult-meeting-timeline topic=${topicId} ?large-text=${this.largeText} tabindex="-1" data-focus></consult-meeting-timeline>
      <consult-staff-actions
        topic=${topicId}
        user-role=${this.effectiveRole}
        user-id=${this.userId ?? nothing}
        ?large-text=${this.largeText}
      ></consult-staff-actions>
    </section>`;
  }
}
