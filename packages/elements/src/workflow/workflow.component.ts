import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ContextProvider } from '@lit/context';
import type {
  ConfigError,
  LogEntry,
  ProgrammeActorRef,
  ProgrammeEvent,
  TopicSnapshot,
  WorkflowConfig,
} from '@consult-kit/machine/core';
import type {
  ConsultStore,
  Identity,
  OutboxEntry,
  ReadResult,
  StoreStatus,
  TopicIndexPage,
  TopicSummary,
} from '@consult-kit/store';
// Deep imports: the workflow is the resident's first view, which must not reach the packages' barrels.
import { ROLES } from '@consult-kit/machine/dist/config/config.types.js';
import { formatFollowCode, normalizeFollowCode } from '@consult-kit/store/dist/follow-code.js';
import { ConsultElement } from '../base/consult-element.js';
import { configErrorsTemplate, inlineConfigScript, loadConfig, type ConfigSource } from '../base/config-source.js';
import { programmeContext, storeContext } from '../context/consultation-context.js';
import { ConsultNavigateEvent } from '../events/navigate-event.js';
import type { MessageKey } from '../i18n/messages.js';
import { corePart, rolesPart, workflowPart } from '../i18n/parts.js';
import { formControlStyles } from '../styles/form-controls.js';
import { hostStyles } from '../styles/tokens.js';
import { workflowStyles } from './workflow.styles.js';
import { refusalWords, type RefusalLabels } from './refusal.js';
import { ConsultSignInRequiredEvent } from './sign-in-required-event.js';
import type { TopicListItem } from './topic-list.js';
// The resident's first view is the form: defined with the workflow. Every other view is loaded
// the first time it is shown (`defineView`).
import '../topic-form/consult-topic-form.js';

type WorkflowData = typeof import('./workflow-data.js');
let dataModule: Promise<WorkflowData> | undefined;
/** The store and the programme actor's code (XState), loaded once per page. */
const loadData = (): Promise<WorkflowData> => (dataModule ??= import('./workflow-data.js'));
let staffModule: Promise<typeof import('./workflow-staff.js')> | undefined;
/** The `/me` and topic-index clients, loaded when first used. */
const loadStaff = (): Promise<typeof import('./workflow-staff.js')> => (staffModule ??= import('./workflow-staff.js'));

/** Each view's element, loaded the first time the view is shown. */
const VIEW_ELEMENTS: Readonly<Record<string, () => Promise<unknown>>> = {
  'consult-meeting-timeline': () => import('../meeting-timeline/consult-meeting-timeline.js'),
  'consult-staff-actions': () => import('../staff-actions/consult-staff-actions.js'),
  'consult-outcome-tracker': () => import('../outcome-tracker/consult-outcome-tracker.js'),
  'consult-programme-figures': () => import('../programme-figures/consult-programme-figures.js'),
  'consult-my-topics': () => import('../my-topics/consult-my-topics.js'),
  'consult-outcomes-board': () => import('../outcomes-board/consult-outcomes-board.js'),
};
const viewsLoading = new Map<string, Promise<unknown>>();

/**
 * Whether this device has no consult-kit database of that name yet: a first visit, so no topic
 * can be followed here and the form can show before the store opens. Unknown (an old browser
 * without `indexedDB.databases()`, a refusal): `false`, and the store opens first as before.
 */
async function deviceIsNew(dbName: string): Promise<boolean> {
  try {
    if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return false;
    return !(await indexedDB.databases()).some((d) => d.name === dbName);
  } catch {
    return false;
  }
}

/** The next frame after the current render is painted (a timer where frames do not run). */
const afterPaint = (): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => void setTimeout(resolve, 0);
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') requestAnimationFrame(done);
    else done();
  });

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

/** The element each view shows (the topic list's topics open a timeline and the desk: `renderTopic`). */
const VIEW_TAG: Readonly<Partial<Record<WorkflowView, string>>> = {
  'my-topics': 'consult-my-topics',
  outcomes: 'consult-outcome-tracker',
  board: 'consult-outcomes-board',
  figures: 'consult-programme-figures',
};

type Phase = 'loading' | 'failed' | 'invalid' | 'ready';

/**
 * Where the staff desk stands with the server's `GET /me`:
 * `none`: not asked (a resident, the local transport, or no token given);
 * `checking`: asking; `signed-in`: the server named the person and they hold `user-role`;
 * `role-not-held`: it named them, without that role; `signed-out`: it did not take the token
 * (401, at load or while sending); `unchecked`: it could not be reached (offline);
 * `unavailable`: it answered something else (5xx, no `/me`).
 */
type SignIn =
  | { kind: 'none' }
  | { kind: 'checking' }
  | { kind: 'signed-in'; identity: Identity }
  | { kind: 'role-not-held'; identity: Identity }
  | { kind: 'signed-out'; detail?: string }
  | { kind: 'unchecked' }
  | { kind: 'unavailable'; status?: number };

/** How long `GET /me` may take before the sign-in counts as not checked (offline). */
const SIGN_IN_TIMEOUT_MS = 15_000;
/** How long "Sent" stays on screen after the last waiting action went through. */
const SENT_NOTICE_MS = 8000;

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
 * Staff sign-in: with a city server and a `token` (a string, or a function the portal's own login
 * answers), a staff `user-role` sees no desk until the server's `GET {endpoint}/me` says who the
 * token stands for: a short "checking your sign-in" first; then "Signed in as 张丽华 (Convener)",
 * and every action carries that person's `by.id` and `by.name`. A token the server does not take
 * (401) shows "Signed out — sign in again" with the server's reason and fires
 * `consult-sign-in-required`; a person who does not hold `user-role` is told so instead of getting
 * a desk. A 401 while sending keeps every action on this device and shows the same panel; after
 * the portal signs the person in again (set `token`, or call `checkSignIn()`), they are sent.
 * Offline, the sign-in cannot be checked: the desk works on this device and says so.
 *
 * Sync status: "Sending…", then "Sent"; "Saved on this device; sent when online" only while
 * offline or while the server cannot be reached; when the server refused actions, "N not
 * accepted" and a list saying why in the person's words, each with Retry and Discard.
 *
 * A room's QR code (码上议) opens the portal with `?room=…&source=…`: the portal sets `room` and
 * `source` from it, and the workflow opens the intake form (when no `view` is asked for) with that
 * room shown and sent, and that source preselected where this person may raise it.
 *
 * @attr room - The consultation room (`rooms.list[].id`) a topic raised here goes to, e.g. from a room's QR code; opens the intake form unless `view` says otherwise. Ignored when the config does not list it.
 * @attr source - The topic source the intake form preselects (`resident`, `member`, `government`, `grid`); ignored when this person's role may not raise it or the config's intake does not allow it.
 * @attr index-above - Staff only: above this many topics on the server (its index's `total`), list them from the index and pull only the topics opened, instead of the whole programme's log. Default 1000.
 *
 * @event consult-navigate - The person moved to another view or topic. `detail`: `{ view, topic }`.
 * @event consult-error - The config could not be loaded or is invalid, or the store could not open.
 * @event consult-sign-in-required - The server did not take the token (or the person chose to sign in as someone else): the host page should sign them in again and then set `token` (or call `checkSignIn()`). `detail`: `{ reason: 'unauthenticated' | 'role-not-held', detail?, pending }`. Nothing kept on this device is lost meanwhile.
 *
 * @csspart base - The wrapper.
 * @csspart nav - The menu of views.
 * @csspart notice - A notice about storage or connectivity.
 * @csspart problem - A config or loading problem.
 * @csspart topics - The list of topics.
 * @csspart identity - "Signed in as …".
 * @csspart sign-in - The panel shown instead of the desk while the sign-in is checked, signed out, or lacks the role.
 * @csspart sync - The line saying whether actions are being sent, were sent, or wait on this device.
 * @csspart refused - The list of actions the server did not accept, each with why, Retry and Discard.
 *
 * @cssproperty --nav-gap - Space between menu items.
 */
export class ConsultWorkflow extends ConsultElement {
  static override styles = [hostStyles, formControlStyles, workflowStyles];
  static override catalogues = [corePart, workflowPart, rolesPart];

  static override properties = {
    ...ConsultElement.properties,
    config: {},
    userRole: { attribute: 'user-role' },
    userId: { attribute: 'user-id' },
    endpoint: {},
    topic: { reflect: true },
    view: { reflect: true },
    room: {},
    source: {},
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
    signIn: { state: true, attribute: false },
    sentNotice: { state: true, attribute: false },
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
  /** The room a topic raised here goes to (from a room's QR code); the form shows and sends it. */
  declare room: string | undefined;
  /** The topic source the intake form preselects (from a QR code); ignored where not allowed. */
  declare source: string | undefined;
  /** IndexedDB database name; default `consult-kit`. */
  declare dbName: string | undefined;
  /** Larger text and targets for older residents. */
  declare largeText: boolean;
  /**
   * Staff only: above this many topics on the server, the topic list and the outcomes come from
   * the server's index and only the topics opened are pulled (default 1000).
   */
  declare indexAbove: number;
  /**
   * The bearer token for the city's backend: a string, or a function called before each request
   * (return the current token of your portal's own login; `undefined` when signed out). With a
   * staff `user-role` and a server, it is checked with `GET {endpoint}/me` before a desk is shown;
   * setting it again checks again, and actions kept while signed out are sent once it is taken.
   */
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
  /** Where the staff desk stands with `GET /me`. */
  declare private signIn: SignIn;
  /** "Sent" is on screen (for a while after the outbox emptied). */
  declare private sentNotice: boolean;

  private store: ConsultStore | undefined;
  /**
   * The store's and the machine's code, once loaded: always there while `store` is (it is loaded
   * first), so whatever shows the store's topics, refusals or index reads it with `!`.
   */
  private data: WorkflowData | undefined;
  /** The config being shown (before the store opens, for a first visit's form). */
  private shownConfig: WorkflowConfig | undefined;
  /** This device followed no topic when the store opened. */
  private newcomer = false;
  private actor: ProgrammeActorRef | undefined;
  private applied: string[] = [];
  private unsubscribe: (() => void) | undefined;
  private loadedFrom: ConfigSource | undefined;
  private generation = 0;
  private indexRequest = 0;
  private signInRequest = 0;
  /** The server `GET /me` is asked on: staff with a city server. */
  private meEndpoint: string | undefined;
  /** Actions waited since "Sent" was last said. */
  private hadPending = false;
  /** `status.lastSentAt` when "Sent" was last said (or the store opened). */
  private lastSentAt: string | undefined;
  private sentTimer: ReturnType<typeof setTimeout> | undefined;
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
    this.room = undefined;
    this.source = undefined;
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
    this.signIn = { kind: 'none' };
    this.sentNotice = false;
  }

  /**
   * Who the server says the token stands for (`GET {endpoint}/me`: `id`, `name`, `roles`, `scopes`,
   * `source`), once it has said so; `undefined` before, when signed out, or without a server.
   * Read-only.
   */
  get me(): Identity | undefined {
    return this.signIn.kind === 'signed-in' || this.signIn.kind === 'role-not-held' ? this.signIn.identity : undefined;
  }

  /**
   * Asks the server again who the token stands for, e.g. after the portal's own login renewed the
   * token a `token` function returns. When it is taken and holds `user-role`, the desk is shown and
   * actions kept while signed out are sent. Resolves when the answer is in; never throws.
   */
  async checkSignIn(): Promise<void> {
    const endpoint = this.meEndpoint;
    if (!endpoint) return;
    const request = (this.signInRequest += 1);
    // A desk already shown stays while it is asked again; anything else says "checking".
    if (this.signIn.kind !== 'signed-in') this.signIn = { kind: 'checking' };
    let token: string | undefined;
    try {
      token = await this.currentToken();
    } catch {
      token = undefined;
    }
    // A server that does not answer within the time is treated as unreachable: the desk works on this device.
    const result = await (await loadStaff()).whoAmI({ endpoint, ...(token ? { token } : {}), signal: AbortSignal.timeout(SIGN_IN_TIMEOUT_MS) });
    if (request !== this.signInRequest || endpoint !== this.meEndpoint) return;
    if (result.ok) {
      const holds = result.identity.roles.includes(this.effectiveRole);
      this.signIn = holds ? { kind: 'signed-in', identity: result.identity } : { kind: 'role-not-held', identity: result.identity };
      if (holds) void this.store?.resume();
    } else if (result.reason === 'unauthenticated') {
      this.signedOut(result.detail);
    } else if (result.reason === 'offline') {
      this.signIn = { kind: 'unchecked' };
    } else {
      this.signIn = { kind: 'unavailable', ...(result.status ? { status: result.status } : {}) };
    }
  }

  /** The token as the transport sends it now. */
  private async currentToken(): Promise<string | undefined> {
    const token = this.token;
    return typeof token === 'function' ? await token() : token;
  }

  /** The server did not take the token: say so (once per sign-out) and ask the host to sign in again. */
  private signedOut(detail: string | undefined): void {
    const already = this.signIn.kind === 'signed-out';
    this.signIn = { kind: 'signed-out', ...(detail ? { detail } : {}) };
    if (!already) {
      this.dispatchEvent(new ConsultSignInRequiredEvent({ reason: 'unauthenticated', ...(detail ? { detail } : {}), pending: this.store?.status.pending ?? 0 }));
    }
  }

  private readonly onBackOnline = (): void => {
    if (this.signIn.kind === 'unchecked') void this.checkSignIn();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.onBackOnline);
    // Reconnected: rebuild from the log (a stopped actor is never restarted).
    if (this.loadedFrom !== undefined && !this.store) void this.load(this.loadedFrom);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.onBackOnline);
    clearTimeout(this.sentTimer);
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
    // A room's QR code was scanned: the person came to raise a matter there.
    if (this.room && this.views.includes('intake')) return 'intake';
    // A resident who followed nothing when the page opened came to raise a topic: the form first
    // (decided once, at load: the form must not be swapped out while it submits).
    if (this.views[0] === 'my-topics' && this.newcomer) return 'intake';
    return this.views[0]!;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A new token (the portal signed the person in again) or another role: ask the server again.
    if ((changed.has('token') || changed.has('userRole')) && this.meEndpoint && this.phase === 'ready' && (this.token !== undefined || this.signIn.kind !== 'none')) {
      void this.checkSignIn();
    }
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

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // The desk gave way to a panel (signed out while sending, the token changed): the panel's
    // heading takes focus, so the keyboard is not left on a button that is gone and a screen
    // reader says what happened. Not on load, where nothing had focus in the desk yet.
    if (!changed.has('signIn' as keyof ConsultWorkflow)) return;
    const before = (changed as Map<string, unknown>).get('signIn') as SignIn | undefined;
    const deskWasShown = before && (before.kind === 'signed-in' || before.kind === 'unchecked' || before.kind === 'none');
    if (deskWasShown && this.phase === 'ready' && this.renderRoot.querySelector('.sign-in.panel')) {
      this.renderRoot.querySelector<HTMLElement>('#sign-in-title')?.focus();
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
    this.shownConfig = loaded.config;
    try {
      if (this.effectiveRole === 'resident' && (await deviceIsNew(this.dbName ?? 'consult-kit'))) {
        // A first visit: nothing can be followed on this device yet, so the form shows now and takes
        // input while the store and the machine load, right after it is painted.
        if (generation !== this.generation) return;
        this.newcomer = true;
        this.phase = 'ready';
        await this.updateComplete;
        await this.formShown();
        if (generation !== this.generation) return;
      }
      const data = (this.data = await loadData());
      if (generation !== this.generation) return;
      // Staff with a city server: who the token stands for is asked first, beside the index probe.
      const server = this.serverFor(loaded.config);
      this.meEndpoint = this.effectiveRole !== 'resident' ? server?.endpoint : undefined;
      this.signIn = { kind: 'none' };
      const checked = this.meEndpoint && this.token !== undefined ? this.checkSignIn() : Promise.resolve();
      const indexed = await this.largeProgramme(loaded.config);
      await checked;
      if (generation !== this.generation) return;
      const store = await data.openStore({
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
      if (this.phase !== 'ready') this.newcomer = store.followedTopics.length === 0;
      this.rebuildActor();
      this.storeProvider.setValue(store);
      this.hadPending = store.status.pending > 0;
      this.lastSentAt = store.status.lastSentAt;
      this.unsubscribe = store.subscribe((status) => {
        this.storeStatus = status;
        this.followSending(status);
        this.syncActor();
      });
      this.phase = 'ready';
      this.loadNextViews();
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
    const probe = await (await loadStaff()).topicIndexClient(server).topics({ limit: 1 });
    return probe.ok && probe.value.total > threshold ? { ...server, total: probe.value.total } : undefined;
  }

  /** The index page for the list's filters and cursor; a later request wins over an earlier one. */
  private async loadIndexPage(): Promise<void> {
    const indexed = this.indexed;
    if (!indexed) return;
    const request = (this.indexRequest += 1);
    this.indexPage = undefined;
    const cursor = this.indexCursors.at(-1) ?? '';
    const result = await (await loadStaff()).topicIndexClient(indexed).topics({
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
    // Read at each request: a token set later (the portal signed the person in again) is the one sent.
    return this.data!.httpTransport({ endpoint, programmeId: config.id, token: () => this.currentToken() });
  }

  /** "Sent" after the outbox emptied by sending; signed out when sending met a 401. */
  private followSending(status: StoreStatus): void {
    if (status.hold?.reason === 'signed-out' && this.signIn.kind !== 'signed-out') this.signedOut(status.hold.detail);
    if (status.pending > 0) {
      this.hadPending = true;
      this.sentNotice = false;
      clearTimeout(this.sentTimer);
    } else if (this.hadPending && status.lastSentAt !== undefined && status.lastSentAt !== this.lastSentAt) {
      // Everything that waited has gone, and something was sent since "Sent" was last said.
      this.hadPending = false;
      this.lastSentAt = status.lastSentAt;
      this.sentNotice = true;
      clearTimeout(this.sentTimer);
      this.sentTimer = setTimeout(() => {
        this.sentNotice = false;
      }, SENT_NOTICE_MS);
    }
  }

  /** A new programme actor from the store's log (at start, and when the log was reordered by a pull). */
  private rebuildActor(): void {
    const store = this.store;
    if (!store) return;
    this.actor?.stop();
    const log = [...store.log];
    // The store has replayed this log already (its topics): the actor is built from them.
    this.actor = this.data!.startProgramme(store.config, log, { topics: store.topics }).actor;
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
      this.actor.send({ ...this.data!.toEvent(entry), topicId: entry.topicId } as ProgrammeEvent);
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
    this.sentNotice = false;
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
        return html`<p role="status" part=${ifDefined(this.signIn.kind === 'checking' ? 'sign-in' : undefined)}>
          ${this.t(this.signIn.kind === 'checking' ? 'workflow.signIn.checking' : 'common.loading')}
        </p>`;
      case 'failed':
        return html`<div class="problem" part="problem" role="alert"><p>${this.problem}</p></div>`;
      case 'invalid':
        return configErrorsTemplate(this.configErrors, (key, params) => this.t(key, params));
      default:
        return this.renderSignInPanel() ?? html`${this.renderIdentity()}${this.renderNav()}${this.renderNotices()}${this.renderRefused()}${this.renderView()}`;
    }
  }

  // ── Sign-in ─────────────────────────────────────────────────────────────────────────────

  private roleName(role: string): string {
    return (ROLES as readonly string[]).includes(role) ? this.t(`staff.role.${role}` as MessageKey) : role;
  }

  private personName(identity: Identity): string {
    return identity.name ?? identity.id;
  }

  private renderIdentity(): TemplateResult | typeof nothing {
    if (this.signIn.kind !== 'signed-in') return nothing;
    const { identity } = this.signIn;
    return html`<p class="identity" part="identity">${this.t('workflow.signIn.as', { name: this.personName(identity), role: this.roleName(this.effectiveRole) })}</p>`;
  }

  /** Instead of a desk: checking, signed out, the role not held, or the check failed. Residents never see it. */
  private renderSignInPanel(): TemplateResult | undefined {
    const state = this.signIn;
    if (this.effectiveRole === 'resident') return undefined;
    if (state.kind === 'checking') return html`<p class="sign-in" part="sign-in" role="status">${this.t('workflow.signIn.checking')}</p>`;
    if (state.kind !== 'signed-out' && state.kind !== 'role-not-held' && state.kind !== 'unavailable') return undefined;
    const pending = this.storeStatus?.pending ?? 0;
    const button = (label: MessageKey, id: string, click: () => void) =>
      html`<button type="button" class="button" id=${id} @click=${click}>${this.t(label)}</button>`;
    let title: string;
    let body: TemplateResult;
    let actions: TemplateResult;
    if (state.kind === 'signed-out') {
      title = this.t('workflow.signIn.signedOutTitle');
      body = html`<p>${this.t('workflow.signIn.signedOut')}</p>
        ${state.detail ? html`<p class="reason" lang="en">${this.t('workflow.signIn.reason', { detail: state.detail })}</p>` : nothing}`;
      actions = html`${button('workflow.signIn.again', 'sign-in-again', () => this.askSignIn('unauthenticated', state.detail))}
        <button type="button" class="button button--secondary" id="sign-in-check" @click=${() => void this.checkSignIn()}>${this.t('workflow.signIn.check')}</button>`;
    } else if (state.kind === 'role-not-held') {
      const roles = state.identity.roles.map((r) => this.roleName(r));
      title = this.t('workflow.signIn.roleTitle', { role: this.roleName(this.effectiveRole) });
      body = html`<p>
        ${this.t('workflow.signIn.roleNotHeld', {
          name: this.personName(state.identity),
          role: this.roleName(this.effectiveRole),
          roles: roles.length ? this.list(roles) : this.t('workflow.signIn.noRoles'),
        })}
      </p>`;
      actions = button('workflow.signIn.other', 'sign-in-other', () => this.askSignIn('role-not-held'));
    } else {
      title = this.t('workflow.signIn.unavailableTitle');
      body = html`<p>${this.t('workflow.signIn.unavailable', { status: state.status ?? '—' })}</p>`;
      actions = button('workflow.signIn.retry', 'sign-in-retry', () => void this.checkSignIn());
    }
    return html`<section class="sign-in panel" part="sign-in" aria-labelledby="sign-in-title">
        <h2 id="sign-in-title" tabindex="-1" data-focus>${title}</h2>
        ${body}
        ${pending > 0 && state.kind === 'signed-out' ? html`<p class="kept">${this.t('workflow.signIn.kept', { count: pending })}</p>` : nothing}
        <div class="panel-actions">${actions}</div>
      </section>
      ${this.renderNotices()}${this.renderRefused()}`;
  }

  private askSignIn(reason: 'unauthenticated' | 'role-not-held', detail?: string): void {
    this.dispatchEvent(new ConsultSignInRequiredEvent({ reason, ...(detail ? { detail } : {}), pending: this.store?.status.pending ?? 0 }));
  }

  private list(items: string[]): string {
    return items.join(this.locale === 'zh-CN' ? '、' : ', ');
  }

  // ── Refused actions ─────────────────────────────────────────────────────────────────────

  private readonly refusalLabels: RefusalLabels = {
    role: (role) => this.roleName(role),
    level: (level) => {
      const key = `staff.level.${level}`;
      return this.hasMessage(key) ? this.t(key) : level;
    },
    list: (items) => this.list(items),
    programme: (id) => {
      const config = this.store?.config;
      return config && config.id === id ? this.text(config.title, id) : id;
    },
  };

  private renderRefused(): TemplateResult | typeof nothing {
    const refused = this.store?.conflicts ?? [];
    if (refused.length === 0) return nothing;
    return html`<section class="refused" part="refused" aria-labelledby="refused-title">
      <h2 id="refused-title" tabindex="-1">${this.t('workflow.refused.title', { count: refused.length })}</h2>
      <p class="hint">${this.t('workflow.refused.intro')}</p>
      <ul class="refused-list">
        ${refused.map((entry, i) => this.renderRefusedItem(entry, i))}
      </ul>
    </section>`;
  }

  private renderRefusedItem(entry: OutboxEntry, i: number): TemplateResult {
    const type = entry.entry.event.type;
    const labels = this.data!.EVENT_LABELS;
    const action = Object.hasOwn(labels, type) ? labels[type][this.locale] : type;
    const topic = this.store?.topics.get(entry.entry.topicId)?.context.title || entry.entry.topicId;
    const conflict = entry.conflict ?? { status: 0, title: '', at: entry.createdAt };
    const words = refusalWords(conflict, this.refusalLabels);
    const id = `refused-${i}`;
    return html`<li class="refused-item" data-entry=${entry.id}>
      <p class="what" id=${`${id}-what`}><strong>${this.t('workflow.refused.what', { action, topic })}</strong></p>
      <p class="why" id=${`${id}-why`}>${this.t(words.key, words.params)}</p>
      ${this.locale === 'en' && conflict.detail ? html`<p class="detail">${this.t('workflow.refused.detail', { detail: conflict.detail })}</p>` : nothing}
      <div class="panel-actions">
        <button type="button" class="button button--secondary" data-retry aria-describedby=${`${id}-what ${id}-why`} @click=${() => void this.settleRefused(entry.id, 'retry', i)}>
          ${this.t('workflow.refused.retry')}
        </button>
        <button type="button" class="button button--secondary" data-discard aria-describedby=${`${id}-what ${id}-why`} @click=${() => void this.settleRefused(entry.id, 'discard', i)}>
          ${this.t('workflow.refused.discard')}
        </button>
      </div>
    </li>`;
  }

  /** Retry or discard one refused action; focus goes to the next one, else the list's heading, else the view. */
  private async settleRefused(id: string, how: 'retry' | 'discard', index: number): Promise<void> {
    const store = this.store;
    if (!store) return;
    if (how === 'retry') await store.retryConflict(id);
    else await store.discardConflict(id);
    await this.updateComplete;
    const root = this.renderRoot;
    const items = [...root.querySelectorAll<HTMLElement>('.refused-item')];
    const next = items[Math.min(index, items.length - 1)]?.querySelector<HTMLElement>('[data-retry]');
    (next ?? root.querySelector<HTMLElement>('#refused-title') ?? root.querySelector<HTMLElement>('[data-focus]'))?.focus();
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
    if (this.signIn.kind === 'unchecked') notices.push(html`<p class="notice" part="notice">${this.t('workflow.signIn.unchecked')}</p>`);
    const sync = this.syncLine(s);
    if (sync) notices.push(html`<p class="notice sync" part="notice sync">${sync}</p>`);
    else if (!s.online) notices.push(html`<p class="notice" part="notice">${this.t('workflow.offline')}</p>`);
    if (s.conflicts > 0) notices.push(html`<p class="notice warning" part="notice">${this.t('workflow.sync.refused', { count: s.conflicts })}</p>`);
    if (s.pullProblem === 'unauthorised') notices.push(html`<p class="notice" part="notice">${this.t('workflow.pullRefused')}</p>`);
    return notices.length ? html`<div role="status" aria-live="polite">${notices}</div>` : html`<div role="status" aria-live="polite"></div>`;
  }

  /**
   * What sending is doing, truthfully: "Saved on this device" only while offline or while the
   * server cannot be reached; why it waits when the server asked to (429) or failed (5xx);
   * "Sending…" otherwise; "Sent" for a while once the outbox emptied. The local transport keeps
   * nothing pending, so it never says any of these.
   */
  private syncLine(s: StoreStatus): string | undefined {
    const count = s.pending;
    if (count === 0) return this.sentNotice ? this.t('workflow.sync.sent') : undefined;
    const hold = s.hold;
    if (hold?.reason === 'signed-out') return this.t('workflow.sync.signedOut', { count });
    if (!s.online || hold?.reason === 'unreachable') return this.t('workflow.sync.savedHere', { count });
    if (hold?.reason === 'rate-limited' || hold?.reason === 'unavailable') {
      const time = hold.retryAt ? this.clock(hold.retryAt) : '—';
      return this.t(hold.reason === 'rate-limited' ? 'workflow.sync.rateLimited' : 'workflow.sync.unavailable', { count, time });
    }
    return this.t('workflow.sync.sending');
  }

  private clock(iso: string): string {
    return new Intl.DateTimeFormat(this.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(Date.parse(iso));
  }

  /**
   * Once the first view works, the views this person is likely to need next load in the
   * background, so that they open offline too: a topic's timeline and desk for everyone (a
   * resident's "my topics" after submitting), the outcomes for staff.
   */
  private loadNextViews(): void {
    const next = ['consult-meeting-timeline', 'consult-staff-actions', this.effectiveRole === 'resident' ? 'consult-my-topics' : 'consult-outcome-tracker'];
    const idle = (run: () => void): void => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 2000 });
      else setTimeout(run, 200);
    };
    idle(() => {
      for (const tag of next) this.defineView(tag);
    });
  }

  /** Resolves once the form's first field is painted (or after ≈ 3 s, whatever happened). */
  private async formShown(): Promise<void> {
    for (let frame = 0; frame < 180; frame += 1) {
      const form = this.renderRoot.querySelector('consult-topic-form');
      if (!form || form.shadowRoot?.querySelector('input, textarea, select')) break;
      await afterPaint();
    }
    await afterPaint();
  }

  /** Loads a view's element the first time it is shown; the browser upgrades it when it arrives. */
  private defineView(tag: string): void {
    if (viewsLoading.has(tag) || customElements.get(tag)) return;
    const loading = VIEW_ELEMENTS[tag]!().catch((error: unknown) => {
      viewsLoading.delete(tag); // tried again when the view is shown again (back online, say)
      this.report('view-load-failed', error, this.t('common.error', { message: error instanceof Error ? error.message : String(error) }));
    });
    viewsLoading.set(tag, loading);
  }

  private renderView(): TemplateResult {
    const view = this.currentView;
    const tag = VIEW_TAG[view];
    if (tag) this.defineView(tag);
    const heading = html`<h2 tabindex="-1" data-focus>${this.t(VIEW_LABEL[view])}</h2>`;
    switch (view) {
      case 'intake':
        return html`<section>
          ${heading}
          <consult-topic-form
            .config=${this.shownConfig}
            user-role=${this.userRoleForIntake()}
            user-id=${this.actingId ?? nothing}
            room=${ifDefined(this.room || undefined)}
            source=${ifDefined(this.source || undefined)}
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

  /** `by.id` of this person's actions: the server's subject once it has named them, else `user-id`. */
  private get actingId(): string | undefined {
    return this.signIn.kind === 'signed-in' ? this.signIn.identity.id : this.userId;
  }

  private userRoleForIntake(): string {
    return this.effectiveRole === 'admin' ? 'admin' : this.effectiveRole === 'convener' ? 'convener' : 'resident';
  }

  private renderTopics(heading: TemplateResult): TemplateResult {
    const words = this.search.trim().toLowerCase();
    const all = [...(this.store?.topics.entries() ?? [])].filter(([, t]) => t.context.submittedAt);
    const topics = all
      .filter(([, t]) => !words || normalizeFollowCode(words) !== null || t.context.title.toLowerCase().includes(words))
      .sort(([, a], [, b]) => this.data!.byNewest(a.context.updatedAt ?? '', b.context.updatedAt ?? ''));
    return html`<section>
      ${heading}
      ${all.length > 0 ? this.renderSearch() : nothing}
      ${all.length === 0
        ? html`<p>${this.t('workflow.topics.empty')}</p>`
        : topics.length === 0
          ? html`<p>${this.t('workflow.search.none', { words: this.search.trim() })}</p>`
          : this.data!.topicList({
              rows: this.data!.topicListWindow(this),
              topics,
              id: ([id]) => id,
              describe: ([id, t]) => this.renderTopicItem(id, t),
              label: this.t('workflow.topics.heading'),
              onOpen: (id) => this.navigate('timeline', id),
            })}
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
      ? this.data!.TOPIC_STATUSES.filter((s) => !['screening', 'research', 'meeting', 'handling', 'evaluation'].includes(s) || config.step[s as 'screening'] !== undefined)
      : this.data!.TOPIC_STATUSES;
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
          ${statuses.map((s) => html`<option value=${s} ?selected=${this.indexStatus === s}>${config ? this.data!.stateLabel(config, s, this.locale) : s}</option>`)}
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
    const stage = config ? this.data!.stateLabel(config, topic.status, this.locale) : topic.status;
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
    const result = await (await loadStaff()).topicIndexClient({ endpoint, programmeId }).topics({ followCode: code, limit: 1 });
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

  /** A topic in words for the list (topic-list.ts renders it, windowed when long: only those on screen are asked). */
  private renderTopicItem(id: string, topic: TopicSnapshot): TopicListItem {
    return {
      id,
      title: topic.context.title || this.t('workflow.topics.untitled'),
      meta: this.t('workflow.topics.stage', { stage: this.stageName(topic) }),
    };
  }

  private stageName(topic: TopicSnapshot): string {
    return this.data!.stateLabel(topic.context.config, this.data!.currentStage(topic), this.locale);
  }

  private renderTopic(topicId: string): TemplateResult {
    this.defineView('consult-meeting-timeline');
    this.defineView('consult-staff-actions');
    return html`<section>
      <button type="button" class="back" @click=${() => this.navigate('timeline', undefined)}>${this.t('workflow.back')}</button>
      <consult-meeting-timeline topic=${topicId} ?large-text=${this.largeText} tabindex="-1" data-focus></consult-meeting-timeline>
      <consult-staff-actions
        topic=${topicId}
        user-role=${this.effectiveRole}
        user-id=${this.actingId ?? nothing}
        user-name=${ifDefined(this.me?.name)}
        ?large-text=${this.largeText}
      ></consult-staff-actions>
    </section>`;
  }
}
