import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
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
import {
  TOPIC_STATUSES,
  formatFollowCode,
  httpTransport,
  normalizeFollowCode,
  openStore,
  topicIndexClient,
  type ConsultStore,
  type ReadResult,
  type StoreStatus,
  type TopicIndexPage,
  type TopicSummary,
} from '@consult-kit/store';
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

/** Above this many topics on the server, staff list them from its index and pull only what they open. */
export const DEFAULT_INDEX_ABOVE = 1000;
/** Topics per page of the staff list when it is paged from the server's index. */
const INDEX_PAGE_SIZE = 20;

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
 * Staff on a large programme: with a city server (the `endpoint` attribute or the config's http
 * transport), the workflow asks the server's topic index how many topics it holds when it loads.
 * Above `index-above` (default 1000) it does not pull the whole programme: the topic list
 * (议题列表) pages through the server's index (status filter, text search, follow code,
 * previous/next, total), opening a topic pulls only that topic (`store.track`), and the outcomes
 * view reads the measures from the index. Small programmes and the local transport pull the whole
 * log and list the replayed topics, as before.
 *
 * It never changes the page's URL or history: `view` and `topic` are reflected as attributes and
 * announced with `consult-navigate`, so a portal's own router can follow them.
 *
 * @attr index-above - Staff only: above this many topics on the server (its index's `total`), list them from the index and pull only the topics opened, instead of the whole programme's log. Default 1000.
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
    indexAbove: { type: Number, attribute: 'index-above' },
    token: { attribute: false },
    indexed: { state: true, attribute: false },
    indexPage: { state: true, attribute: false },
    indexStatus: { state: true, attribute: false },
    indexQ: { state: true, attribute: false },
    indexCursors: { state: true, attribute: false },
    opening: { state: true, attribute: false },
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
  /**
   * Staff only: above this many topics on the server, the topic list and the outcomes come from
   * the server's index and only the topics opened are pulled (default 1000).
   */
  declare indexAbove: number;
  /** A bearer token for staff actions sent to the backend (a function or a string). */
  declare token: string | (() => string | undefined | Promise<string | undefined>) | undefined;
  /** The programme is large: staff list it from the server's index (decided when the store opens). */
  declare private indexed: { endpoint: string; programmeId: string; total: number } | undefined;
  /** The index page shown, or why there is none (undefined while it loads). */
  declare private indexPage: ReadResult<TopicIndexPage> | undefined;
  /** The status filter of the index list ('' for all). */
  declare private indexStatus: string;
  /** The text search sent to the index as `q`. */
  declare private indexQ: string;
  /** The cursor of each page up to the one shown ('' for the first): "previous" pops, "next" pushes. */
  declare private indexCursors: string[];
  /** A topic being pulled because it was opened from the index, and whether that pull is over. */
  declare private opening: { topicId: string; done: boolean } | undefined;
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
  private indexRequest = 0;
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
    this.indexAbove = DEFAULT_INDEX_ABOVE;
    this.indexed = undefined;
    this.indexPage = undefined;
    this.indexStatus = '';
    this.indexQ = '';
    this.indexCursors = [''];
    this.opening = undefined;
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
    // A topic opened on a large programme (from the list, the outcomes, a follow code or the host's
    // router) is pulled then, alone.
    if (changed.has('topic') && this.topic && this.indexed && this.store && !this.store.topics.has(this.topic)) void this.openTracked(this.topic);
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
      const indexed = await this.largeProgramme(loaded.config);
      if (generation !== this.generation) return;
      const store = await openStore({
        config: loaded.config,
        ...(this.dbName ? { dbName: this.dbName } : {}),
        ...(this.endpoint ? { transport: this.transportFor(loaded.config, this.endpoint) } : {}),
        // A resident's phone pulls only the topics it follows, never the whole programme; staff on
        // a large programme only the topics they open.
        ...(this.effectiveRole === 'resident' || indexed ? { pullScope: 'followed' as const } : {}),
      });
      if (generation !== this.generation) {
        store.close();
        return;
      }
      this.indexed = indexed;
      this.indexCursors = [''];
      this.store = store;
      this.newcomer = store.followedTopics.length === 0;
      this.rebuildActor();
      this.storeProvider.setValue(store);
      this.unsubscribe = store.subscribe((status) => {
        this.storeStatus = status;
        this.syncActor();
      });
      this.phase = 'ready';
      if (indexed) {
        void this.loadIndexPage();
        if (this.topic && !store.topics.has(this.topic)) void this.openTracked(this.topic);
      }
    } catch (error) {
      this.problem = this.t('common.error', { message: error instanceof Error ? error.message : String(error) });
      this.phase = 'failed';
      this.report('store-failed', error, this.problem);
    }
  }

  /** The city server the workflow reads: its `endpoint` attribute, or the config's http transport. */
  private serverFor(config: WorkflowConfig): { endpoint: string; programmeId: string } | undefined {
    const endpoint = this.endpoint || (config.transport.type === 'http' ? config.transport.endpoint : undefined);
    return endpoint ? { endpoint, programmeId: config.id } : undefined;
  }

  /**
   * Staff with a city server: more topics on it than `index-above`? One index request of one item
   * (`limit=1`) reads the total. When it cannot be read (offline, an older server), the programme
   * is treated as small: the whole log is pulled, as before.
   */
  private async largeProgramme(config: WorkflowConfig): Promise<{ endpoint: string; programmeId: string; total: number } | undefined> {
    const server = this.serverFor(config);
    if (this.effectiveRole === 'resident' || !server) return undefined;
    const threshold = Number.isFinite(this.indexAbove) && this.indexAbove >= 0 ? this.indexAbove : DEFAULT_INDEX_ABOVE;
    const probe = await topicIndexClient(server).topics({ limit: 1 });
    return probe.ok && probe.value.total > threshold ? { ...server, total: probe.value.total } : undefined;
  }

  /** The index page for the list's filters and cursor; a later request wins over an earlier one. */
  private async loadIndexPage(): Promise<void> {
    const indexed = this.indexed;
    if (!indexed) return;
    const request = (this.indexRequest += 1);
    this.indexPage = undefined;
    const cursor = this.indexCursors.at(-1) ?? '';
    const result = await topicIndexClient(indexed).topics({
      limit: INDEX_PAGE_SIZE,
      ...(this.indexStatus ? { status: this.indexStatus } : {}),
      ...(this.indexQ ? { q: this.indexQ } : {}),
      ...(cursor ? { cursor } : {}),
    });
    if (request !== this.indexRequest || indexed !== this.indexed) return;
    this.indexPage = result;
    if (result.ok) this.indexed = { ...indexed, total: this.indexQ || this.indexStatus ? indexed.total : result.value.total };
  }

  /** Pulls a topic opened from the index (`store.track`), then shows it. */
  private async openTracked(topicId: string): Promise<void> {
    const store = this.store;
    if (!store || (this.opening?.topicId === topicId && !this.opening.done)) return;
    this.opening = { topicId, done: false };
    await store.track(topicId);
    if (store !== this.store || this.opening?.topicId !== topicId) return;
    this.opening = { topicId, done: true };
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
    this.indexed = undefined;
    this.indexPage = undefined;
    this.opening = undefined;
    this.storeProvider.setValue(undefined);
    this.programmeProvider.setValue(undefined);
  }

  // ── Navigation ──────────────────────────────────────────────────────────────────────────

  private navigate(view: WorkflowView, topic: string | undefined): void {
    // Back to the list of a large programme: the server's page again, as it is now.
    if (this.indexed && view === 'timeline' && !topic && (this.topic || this.currentView !== 'timeline')) void this.loadIndexPage();
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
          <consult-outcome-tracker
            ?large-text=${this.largeText}
            endpoint=${ifDefined(this.indexed?.endpoint)}
            programme=${ifDefined(this.indexed?.programmeId)}
            @consult-topic-select=${this.onTopicSelect}
          ></consult-outcome-tracker>
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
        if (this.topic && this.store?.topics.has(this.topic)) return this.renderTopic(this.topic);
        if (this.topic && this.indexed) return this.renderOpening(this.topic);
        return this.indexed ? this.renderIndexedTopics(heading) : this.renderTopics(heading);
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

  /**
   * The topic list of a large programme: one page of the server's index at a time (status filter,
   * text search, follow code, previous / next, total); nothing of it is pulled until it is opened.
   */
  private renderIndexedTopics(heading: TemplateResult): TemplateResult {
    const indexed = this.indexed!;
    const result = this.indexPage;
    const page = result?.ok ? result.value : undefined;
    const config = this.store?.config;
    const statuses = config
      ? TOPIC_STATUSES.filter((s) => !['screening', 'research', 'meeting', 'handling', 'evaluation'].includes(s) || config.step[s as 'screening'] !== undefined)
      : TOPIC_STATUSES;
    const first = this.indexCursors.length <= 1;
    const from = (this.indexCursors.length - 1) * INDEX_PAGE_SIZE + 1;
    const count = !page
      ? result
        ? ''
        : this.t('workflow.index.loading')
      : page.items.length === 0
        ? this.t('workflow.index.none')
        : this.t('workflow.index.count', { from: this.number(from), to: this.number(from + page.items.length - 1), total: this.number(page.total) });
    return html`<section class="indexed" data-source="index">
      ${heading}
      <p class="hint" part="index-note">${this.t('workflow.index.note', { total: this.number(indexed.total) })}</p>
      ${this.renderSearch()}
      <form class="index-filters" part="filters" aria-label=${this.t('workflow.index.filters')} @submit=${(e: Event) => e.preventDefault()}>
        <label class="label" for="index-status">${this.t('workflow.index.status')}</label>
        <select id="index-status" class="input" @change=${this.onIndexStatus}>
          <option value="" ?selected=${this.indexStatus === ''}>${this.t('workflow.index.all')}</option>
          ${statuses.map((s) => html`<option value=${s} ?selected=${this.indexStatus === s}>${config ? stateLabel(config, s, this.locale) : s}</option>`)}
        </select>
        ${this.indexStatus || this.indexQ
          ? html`<button type="button" class="button button--link" @click=${this.clearIndexFilters}>${this.t('workflow.index.clear')}</button>`
          : nothing}
      </form>
      <p id="index-count" class="count" role="status" aria-live="polite" tabindex="-1">${count}</p>
      ${result && !result.ok
        ? html`<div class="problem" part="problem" role="alert">
            <p>${this.t(result.reason === 'offline' ? 'workflow.index.offline' : 'workflow.index.unavailable')}</p>
            <button type="button" class="button button--secondary" @click=${() => void this.loadIndexPage()}>${this.t('workflow.index.retry')}</button>
          </div>`
        : nothing}
      ${page && page.items.length > 0
        ? html`<ul class="topics" part="topics" aria-describedby="index-count">
            ${page.items.map((t) => this.renderIndexItem(t))}
          </ul>`
        : nothing}
      ${first && !page?.more
        ? nothing
        : html`<nav class="pager" part="pager" aria-label=${this.t('workflow.index.pages')}>
            <button type="button" class="button button--secondary" id="index-previous" ?disabled=${first} @click=${() => this.turnIndex(false)}>
              ${this.t('workflow.index.previous')}
            </button>
            <span class="page-number">${this.t('workflow.index.page', { page: this.number(this.indexCursors.length) })}</span>
            <button type="button" class="button button--secondary" id="index-next" ?disabled=${!page?.more} @click=${() => this.turnIndex(true)}>
              ${this.t('workflow.index.next')}
            </button>
          </nav>`}
    </section>`;
  }

  private renderIndexItem(topic: TopicSummary): TemplateResult {
    const config = this.store?.config;
    const stage = config ? stateLabel(config, topic.status, this.locale) : topic.status;
    return html`<li>
      <button type="button" data-topic=${topic.topicId} @click=${() => this.navigate('timeline', topic.topicId)}>
        <span class="title">${topic.title || this.t('workflow.topics.untitled')}</span>
        <span class="meta">${this.t('workflow.topics.stage', { stage })}</span>
      </button>
    </li>`;
  }

  /** A topic opened from the index while it is pulled, or when it could not be. */
  private renderOpening(topicId: string): TemplateResult {
    const failed = this.opening?.topicId === topicId && this.opening.done;
    return html`<section>
      <button type="button" class="back" @click=${() => this.navigate('timeline', undefined)}>${this.t('workflow.back')}</button>
      ${failed
        ? html`<p class="problem" part="problem" role="alert" tabindex="-1" data-focus>${this.t('workflow.topic.failed')}</p>`
        : html`<p role="status" tabindex="-1" data-focus>${this.t('workflow.topic.loading')}</p>`}
    </section>`;
  }

  private onIndexStatus(event: Event): void {
    this.indexStatus = (event.target as HTMLSelectElement).value;
    this.indexCursors = [''];
    void this.loadIndexPage();
  }

  private clearIndexFilters(): void {
    this.indexStatus = '';
    this.indexQ = '';
    this.search = '';
    this.searchNote = undefined;
    this.indexCursors = [''];
    void this.loadIndexPage();
  }

  private turnIndex(forward: boolean): void {
    const page = this.indexPage?.ok ? this.indexPage.value : undefined;
    if (forward && !page?.more) return;
    this.indexCursors = forward ? [...this.indexCursors, page!.cursor] : this.indexCursors.slice(0, -1);
    void this.loadIndexPage().then(() => this.renderRoot.querySelector<HTMLElement>('#index-count')?.focus());
  }

  private readonly numberFormats = new Map<string, Intl.NumberFormat>();
  private number(n: number): string {
    let format = this.numberFormats.get(this.locale);
    if (!format) this.numberFormats.set(this.locale, (format = new Intl.NumberFormat(this.locale)));
    return format.format(n);
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
    if (code === null) {
      // A large programme: the words are searched on the server (titles and descriptions).
      if (this.indexed) {
        this.indexQ = this.search.trim();
        this.indexCursors = [''];
        void this.loadIndexPage();
      }
      return;
    }
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
    if (!this.store?.topics.has(found.topicId) && !this.indexed) {
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
