import { adoptStyles, html, nothing, supportsAdoptingStyleSheets, type PropertyValues, type TemplateResult } from 'lit';
import { ContextConsumer } from '@lit/context';
import type {
  ConfigError,
  EventRefusal,
  FormField,
  LocalizedText,
  Role,
  RoomConfig,
  SourceId,
  TopicEvent,
  WorkflowConfig,
} from '@consult-kit/machine/core';
import type { Autosave, ConsultStore, Draft, StoreStatus } from '@consult-kit/store';
// Deep imports: the form is the resident's first view, which must not reach the packages' barrels.
import { SOURCE_ROLES } from '@consult-kit/machine/dist/config/defaults.js';
import { createAutosave } from '@consult-kit/store/dist/autosave.js';
import { newId } from '@consult-kit/store/dist/ids.js';
import { ConsultElement } from '../base/consult-element.js';
import { safeUrl } from '../base/safe-url.js';
import { configErrorsTemplate, inlineConfigScript, loadConfig, type ConfigSource } from '../base/config-source.js';
import { storeContext } from '../context/consultation-context.js';
import {
  ConsultDraftRestoreEvent,
  ConsultRefusedEvent,
  ConsultStepChangeEvent,
  ConsultSubmitEvent,
  type ConsultSubmitDetail,
} from '../events/consult-events.js';
import type { MessageKey } from '../i18n/messages.js';
import { load, lookup } from '../i18n/catalogue.js';
import { format } from '../i18n/locale.js';
import { corePart, followPart, posterPart } from '../i18n/parts.js';
import { formControlStyles } from '../styles/form-controls.js';
import { hostStyles } from '../styles/tokens.js';
import { controlId, labelId, renderField, type FieldHost } from './fields.js';
import { topicFormStyles } from './topic-form.styles.js';
import type { FollowCodeController } from '../my-topics/follow-code.js';

type FollowCodeModule = typeof import('../my-topics/follow-code.js');
/** The follow code's panel (its copy button, its QR code): loaded with the first confirmation shown. */
let followCode: FollowCodeModule | undefined;
import {
  allFields,
  isEmpty,
  submission,
  validateField,
  validateFields,
  visibleFieldNames,
  type FieldError,
  type FileItem,
  type FileValues,
  type RawValues,
} from './validate.js';

/** What the form uses of a store: `openStore`'s result, or `<consult-workflow>`'s through context. */
export type TopicFormStore = Pick<
  ConsultStore,
  'config' | 'status' | 'subscribe' | 'append' | 'saveDraft' | 'loadDraft' | 'deleteDraft' | 'log' | 'conflicts'
> &
  // The topic's follow code, once the server has answered (the http transport).
  Partial<Pick<ConsultStore, 'followedTopics'>>;

type Phase = 'loading' | 'failed' | 'invalid' | 'form' | 'done';

/** Keys kept in a draft's `values` beside the answers; field names start with a letter, so these never clash. */
const DRAFT_META = '$form';

const FIELD_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;

/**
 * @summary The resident's topic intake form (议题征集): built from the programme's JSON config,
 * in pages with a progress indicator, validated the GOV.UK way with an error summary, autosaved as
 * a draft on this device (photos included), with the privacy notice, consent and an anonymous
 * option where the config allows it; submitted through the offline-first store, then a
 * confirmation says whether it is saved here or already received and shows the topic's follow code
 * (once the city's server has answered: with it the resident follows, rates or withdraws the
 * topic on any device), with a copy button and a QR code.
 *
 * Inside `<consult-workflow>` it uses the workflow's store (and its config when it has none of its
 * own); on its own it opens a store for its config (`openStore({ config, dbName })`).
 *
 * @tag consult-topic-form
 *
 * @attr lang - Language of the form: `zh-CN` (default, or the nearest ancestor's `lang`) or `en`. Labels and hints come from the config in that language.
 * @attr room - The consultation room (`rooms.list[].id`) the topic is raised in, e.g. from the room's QR code (码上议): shown as "议事室：<name> / Room: <name>" and sent as `topic.submit`'s `room`. A room the config does not list is ignored.
 * @attr source - The topic source to preselect (`resident`, `member`, `government`, `grid`), e.g. from a QR code; one this person's role may not raise, or the config's intake does not allow, is ignored and the default kept.
 *
 * @event input - The person typed or chose something (native, from the inner control; composed).
 * @event change - The person committed a value (re-fired from the host, because a native `change` does not cross the shadow root). Never fired for programmatic changes such as a restored draft.
 * @event consult-submit - The topic was saved by the store. `detail`: `{ topicId, title, entry, savedOn }` (`title` is the answer to the title field). The reference a resident keeps is the topic's follow code, which the city server gives once the topic is sent; the form's confirmation and `<consult-my-topics>` show it (the store's `followedTopics`).
 * @event consult-step-change - The person moved to another page. `detail`: `{ page, pages }` (zero-based page).
 * @event consult-draft-restore - A draft saved on this device was put back into the form. `detail`: `{ key, savedAt }`.
 * @event consult-refused - The lifecycle refused the submission (also shown in the error summary). `detail`: `{ refusal }`.
 * @event consult-error - The config could not be loaded or is invalid, or storage failed. `detail`: `{ code, message, error }`; codes `load-failed`, `config-invalid`, `storage`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart caption - The programme's name above the page heading.
 * @csspart room - The line naming the room the topic goes to (with `room`).
 * @csspart heading - The page heading (and the confirmation heading).
 * @csspart progress - The progress indicator ("Step 1 of 2" and the bar).
 * @csspart error-summary - The error summary at the top of the page.
 * @csspart notice - The "draft restored" notice.
 * @csspart field - Each field's wrapper (also `field-error` when it has an error).
 * @csspart label - A field's label or legend.
 * @csspart hint - A field's hint.
 * @csspart error - A field's inline error message.
 * @csspart input - A text input, text area or drop-down.
 * @csspart file - One chosen file in the list.
 * @csspart privacy - The privacy notice.
 * @csspart button - Every button (also `button-primary` for Next / Submit).
 * @csspart confirmation - The confirmation panel after submitting.
 * @csspart status - The live message saying whether the topic is saved here or received.
 * @csspart follow-code - The follow-code panel in the confirmation (the code, copy, QR code).
 * @csspart code - The follow code.
 * @csspart qr - The follow code's QR code.
 * @csspart problem - The message shown in place of the form when the config cannot be used.
 *
 * @cssproperty --consult-color-primary - Colour of the primary button and progress bar (global token).
 * @cssproperty --consult-color-error - Colour of errors (global token).
 * @cssproperty --consult-color-success - Colour of the confirmation panel (global token).
 * @cssproperty --consult-font-scale - Text size factor; `large-text` sets `--consult-font-scale-large` (global token).
 * @cssproperty --input-max-width - Widest a text input or text area grows (default 36 × `--consult-font-size`).
 * @cssproperty --field-gap - Space between fields (default 1.75 × `--consult-font-size`).
 */
export class ConsultTopicForm extends ConsultElement {
  static override styles = [hostStyles, formControlStyles, topicFormStyles];
  static override catalogues = [corePart, followPart];

  static override properties = {
    ...ConsultElement.properties,
    config: {},
    store: { attribute: false },
    userRole: { attribute: 'user-role' },
    userId: { attribute: 'user-id' },
    source: {},
    room: {},
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    dbName: { attribute: 'db-name' },
    phase: { state: true, attribute: false },
    parsed: { state: true, attribute: false },
    problem: { state: true, attribute: false },
    configErrors: { state: true, attribute: false },
    values: { state: true, attribute: false },
    files: { state: true, attribute: false },
    page: { state: true, attribute: false },
    errors: { state: true, attribute: false },
    refusalText: { state: true, attribute: false },
    anonymous: { state: true, attribute: false },
    chosenSource: { state: true, attribute: false },
    restoredAt: { state: true, attribute: false },
    submitting: { state: true, attribute: false },
    submitted: { state: true, attribute: false },
    storeStatus: { state: true, attribute: false },
    liveReady: { state: true, attribute: false },
  };

  /**
   * The programme's config. As an attribute: the URL of the JSON file (fetched). As a property:
   * the config object (raw JSON or `parseWorkflowConfig`'s result). Without it, an inline
   * `<script type="application/json">` child is read, and inside `<consult-workflow>` the
   * workflow's config is used.
   */
  declare config: string | object | undefined;
  /** A store to use instead of the workflow's or one of its own (e.g. `await openStore({ config })`). */
  declare store: TopicFormStore | undefined;
  /** The role of the person submitting (`resident`, `member`, `grid`…); sent as `by.role`. Default `resident`. */
  declare userRole: string;
  /** The signed-in person's id, sent as `by.id` — never with an anonymous topic. */
  declare userId: string | undefined;
  /** Preselected topic source (`resident`, `member`, `government`, `grid`). Default `resident`. */
  declare source: string;
  /**
   * The room (`rooms.list[].id`) the topic is raised in, e.g. from the room's QR code; shown above
   * the first page and sent as `topic.submit`'s `room`. Ignored when the config does not list it.
   */
  declare room: string | undefined;
  /** Larger text and targets for older residents. */
  declare largeText: boolean;
  /** IndexedDB database name of the store this form opens on its own. Default `consult-kit`. */
  declare dbName: string | undefined;

  declare private phase: Phase;
  declare private parsed: WorkflowConfig | undefined;
  /** Why the form cannot be shown (a catalogue key and the underlying message), kept so it follows `lang`. */
  declare private problem: { key: MessageKey; message: string };
  declare private configErrors: ConfigError[];
  declare private values: RawValues;
  declare private files: FileValues;
  declare private page: number;
  declare private errors: FieldError[];
  declare private refusalText: string;
  declare private anonymous: boolean;
  declare private chosenSource: SourceId | undefined;
  declare private restoredAt: string | undefined;
  declare private submitting: boolean;
  declare private submitted: ConsultSubmitDetail | undefined;
  declare private storeStatus: StoreStatus | undefined;
  declare private liveReady: boolean;

  /** `<consult-workflow>`'s store, when there is one. */
  private readonly storeConsumer = new ContextConsumer(this, {
    context: storeContext,
    subscribe: true,
    callback: (value) => {
      this.providerSeen = true;
      this.contextStore = value;
      this.syncSources();
    },
  });

  private providerSeen = false;
  private contextStore: ConsultStore | undefined;
  private ownStore: ConsultStore | undefined;
  private ownStoreName: string | undefined;
  private active: TopicFormStore | undefined;
  private autosave: Autosave | undefined;
  private unsubscribe: (() => void) | undefined;
  private configSource: ConfigSource | undefined;
  private generation = 0;
  private opening: number | undefined;
  /** Submissions waiting for the store to open (the form shows before it). */
  private readonly storeWaiters: Array<() => void> = [];
  private dirty = false;
  private childObserver: MutationObserver | undefined;
  private copier: FollowCodeController | undefined;
  /** The room a restored draft was raised in (used when no `room` is preset). */
  private draftRoom: string | undefined;

  constructor() {
    super();
    this.config = undefined;
    this.store = undefined;
    this.userRole = 'resident';
    this.userId = undefined;
    this.source = 'resident';
    this.room = undefined;
    this.largeText = false;
    this.dbName = undefined;
    this.phase = 'loading';
    this.parsed = undefined;
    this.problem = { key: 'common.error', message: '' };
    this.configErrors = [];
    this.values = {};
    this.files = {};
    this.page = 0;
    this.errors = [];
    this.refusalText = '';
    this.anonymous = false;
    this.chosenSource = undefined;
    this.restoredAt = undefined;
    this.submitting = false;
    this.submitted = undefined;
    this.storeStatus = undefined;
    this.liveReady = false;
  }

  // ── Lifecycle ───────────────────────────────────────────────────────────────────────────

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pagehide', this.saveNow);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.syncSources();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pagehide', this.saveNow);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.childObserver?.disconnect();
    this.childObserver = undefined;
    this.providerSeen = false;
    this.contextStore = undefined;
    this.detachStore();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('config') || changed.has('store') || changed.has('dbName')) this.syncSources();
    if ((changed.has('source') || changed.has('userRole')) && this.parsed) this.chosenSource = this.defaultSource(this.parsed);
    // The room line's words live in the poster's part, loaded only when a room is preset (not in
    // every resident's first view).
    if (this.room && lookup(this.locale, 'poster.formRoom') === undefined) {
      void load(this.locale, [posterPart]).then(
        () => this.requestUpdate(),
        () => undefined,
      );
    }
  }

  /** Saves the draft now (on `pagehide`, or when the page is hidden on a phone). */
  private readonly saveNow = (): void => {
    void this.autosave?.flush();
  };

  private readonly onVisibility = (): void => {
    if (document.visibilityState === 'hidden') this.saveNow();
  };

  // ── Config and store ────────────────────────────────────────────────────────────────────

  private inlineScript(): HTMLScriptElement | undefined {
    return inlineConfigScript(this);
  }

  private providedStore(): TopicFormStore | undefined {
    return this.store ?? this.contextStore;
  }

  /** Works out where the config and the store come from, and loads what changed. */
  private syncSources(): void {
    if (!this.isConnected) return;
    const source: ConfigSource | undefined = this.config ?? this.inlineScript() ?? this.providedStore()?.config;
    if (source !== this.configSource) {
      this.configSource = source;
      void this.loadConfig(source);
    } else if (this.parsed) {
      this.ensureStore();
    } else if (source === undefined) {
      this.watchChildren();
    }
  }

  private async loadConfig(source: ConfigSource | undefined): Promise<void> {
    const generation = (this.generation += 1);
    this.phase = 'loading';
    this.parsed = undefined;
    this.detachStore();
    if (source === undefined) {
      this.watchChildren();
      return;
    }
    this.childObserver?.disconnect();
    this.childObserver = undefined;
    const loaded = await loadConfig(source);
    if (generation !== this.generation) return;
    if (!loaded.ok && loaded.kind === 'failed') {
      this.problem = { key: 'form.loadFailed', message: loaded.message };
      this.phase = 'failed';
      this.report('load-failed', loaded.error, this.t(this.problem.key, { message: this.problem.message }));
      return;
    }
    if (!loaded.ok) {
      this.configErrors = loaded.kind === 'invalid' ? loaded.errors : [];
      this.phase = 'invalid';
      this.report('config-invalid', loaded.error, this.t('common.configErrors', { count: this.configErrors.length }));
      return;
    }
    const config = loaded.config;
    this.parsed = config;
    this.resetAnswers(config);
    // The fields show as soon as the config is read: the store (IndexedDB, a draft) follows, and
    // a draft only fills the form if the person has not started typing in the meantime.
    this.phase = 'form';
    this.ensureStore();
  }

  /** Waits for an inline config script added after the element (a page still being parsed). */
  private watchChildren(): void {
    if (this.childObserver || this.providerSeen) return;
    this.childObserver = new MutationObserver(() => {
      if (this.inlineScript()?.textContent?.trim()) this.syncSources();
    });
    this.childObserver.observe(this, { childList: true, subtree: true, characterData: true });
  }

  /** Uses the given store, the workflow's, or opens one of its own. */
  private ensureStore(): void {
    const config = this.parsed;
    if (!config || !this.isConnected) return;
    const provided = this.providedStore();
    if (provided) {
      if (provided !== this.active) this.attachStore(provided);
      return;
    }
    if (this.providerSeen) return; // <consult-workflow> is still opening its store
    const name = this.dbName ?? 'consult-kit';
    if (this.ownStore && this.ownStore.programmeId === config.id && this.ownStoreName === name) {
      if (this.active !== this.ownStore) this.attachStore(this.ownStore);
      return;
    }
    const generation = this.generation;
    if (this.opening === generation) return;
    this.opening = generation;
    // On its own only: inside <consult-workflow> the workflow's store is used (and this code, the
    // store and the machine are not part of the form's first view).
    import('@consult-kit/store')
      .then(({ openStore }) => openStore({ config, dbName: name }))
      .then(
      (store) => {
        if (this.opening === generation) this.opening = undefined;
        if (generation !== this.generation || !this.isConnected || this.providedStore() || this.parsed !== config) {
          store.close();
          return;
        }
        this.attachStore(store); // closes an own store opened before (another db-name)
        this.ownStore = store;
        this.ownStoreName = name;
      },
      (error: unknown) => {
        if (this.opening === generation) this.opening = undefined;
        this.problem = { key: 'common.error', message: error instanceof Error ? error.message : String(error) };
        this.phase = 'failed';
        this.report('storage', error, this.t(this.problem.key, { message: this.problem.message }));
      },
    );
  }

  private attachStore(store: TopicFormStore): void {
    this.detachStore(store);
    this.active = store;
    this.autosave = createAutosave(store);
    for (const resolve of this.storeWaiters.splice(0)) resolve();
    this.unsubscribe = store.subscribe((status) => {
      this.storeStatus = status;
      this.requestUpdate();
    });
    void this.restoreDraft(store);
  }

  /**
   * Stops following the store; saves a scheduled draft first; then closes the store this form
   * opened itself, unless it is `keep` (the store about to be used again).
   */
  private detachStore(keep?: TopicFormStore): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const autosave = this.autosave;
    this.autosave = undefined;
    this.active = undefined;
    const own = this.ownStore && this.ownStore !== keep ? this.ownStore : undefined;
    if (own) {
      this.ownStore = undefined;
      this.ownStoreName = undefined;
    }
    void (autosave?.flush() ?? Promise.resolve(true)).finally(() => own?.close());
  }

  // ── Answers and drafts ──────────────────────────────────────────────────────────────────

  private get draftKey(): string {
    return `intake:${this.parsed?.id ?? ''}`;
  }

  private resetAnswers(config: WorkflowConfig): void {
    this.draftRoom = undefined;
    this.values = {};
    this.files = {};
    this.page = 0;
    this.errors = [];
    this.refusalText = '';
    this.anonymous = false;
    this.chosenSource = this.defaultSource(config);
    this.restoredAt = undefined;
    this.submitted = undefined;
    this.dirty = false;
  }

  private async restoreDraft(store: TopicFormStore): Promise<void> {
    const config = this.parsed;
    let draft: Draft | undefined;
    try {
      draft = await store.loadDraft(this.draftKey);
    } catch {
      draft = undefined;
    }
    if (this.active !== store || this.parsed !== config || !config) return;
    let restored = false;
    if (draft && !this.dirty && this.phase !== 'done') restored = this.applyDraft(config, draft);
    else if (this.dirty) this.scheduleDraft(); // typed before the store was there: keep it now
    if (this.phase === 'loading') this.phase = 'form';
    if (restored && draft) {
      await this.updateComplete;
      this.dispatchEvent(new ConsultDraftRestoreEvent({ key: draft.key, savedAt: draft.updatedAt }));
    }
  }

  /** Puts a draft's answers, files, page and choices back; false when it holds nothing. */
  private applyDraft(config: WorkflowConfig, draft: Draft): boolean {
    const fields = new Map(allFields(config.form.pages).map((f) => [f.name, f]));
    const values: RawValues = {};
    for (const [name, value] of Object.entries(draft.values ?? {})) {
      if (!FIELD_NAME.test(name) || !fields.has(name)) continue;
      if (typeof value === 'string' || typeof value === 'boolean' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
        values[name] = value;
      }
    }
    const files: FileValues = {};
    for (const [name, list] of Object.entries(draft.files ?? {})) {
      if (fields.get(name)?.type !== 'file' || !Array.isArray(list)) continue;
      const kept = list.filter((f) => f && f.blob instanceof Blob && typeof f.name === 'string');
      if (kept.length > 0) files[name] = kept.map((f) => ({ name: f.name, type: f.type || f.blob.type, size: f.size ?? f.blob.size, blob: f.blob }));
    }
    const page = Math.min(Math.max(0, Math.trunc(Number(draft.page) || 0)), config.form.pages.length - 1);
    const meta = (draft.values?.[DRAFT_META] ?? {}) as { anonymous?: unknown; source?: unknown; room?: unknown };
    const anything = Object.values(values).some((v) => !isEmpty(v)) || Object.keys(files).length > 0 || page > 0;
    if (!anything) return false;
    this.values = values;
    this.files = files;
    this.page = page;
    this.anonymous = config.step.intake.anonymous && meta.anonymous === true;
    const sources = this.allowedSources(config);
    if (typeof meta.source === 'string' && sources.some((s) => s.id === meta.source)) this.chosenSource = meta.source as SourceId;
    this.draftRoom = typeof meta.room === 'string' ? meta.room : undefined;
    this.restoredAt = draft.updatedAt;
    this.dirty = true;
    return true;
  }

  private scheduleDraft(): void {
    if (!this.parsed || this.phase !== 'form') return;
    this.autosave?.schedule({
      key: this.draftKey,
      values: { ...this.values, [DRAFT_META]: { anonymous: this.anonymous, source: this.chosenSource, ...(this.roomOf(this.parsed) ? { room: this.roomOf(this.parsed)!.id } : {}) } },
      files: this.files,
      page: this.page,
    });
  }

  /** "Start again": forgets the draft and every answer, on the person's explicit request. */
  private async startAgain(): Promise<void> {
    if (!this.parsed) return;
    this.autosave?.cancel();
    await this.active?.deleteDraft(this.draftKey);
    this.resetAnswers(this.parsed);
    this.phase = 'form';
    await this.updateComplete;
    this.focusHeading();
  }

  private async startAnother(): Promise<void> {
    if (!this.parsed) return;
    this.resetAnswers(this.parsed);
    this.liveReady = false;
    this.phase = 'form';
    await this.updateComplete;
    this.focusHeading();
  }

  // ── Choices the config allows ───────────────────────────────────────────────────────────

  private get submitterRole(): Role {
    return (this.userRole || 'resident') as Role;
  }

  /** The topic sources this person may choose: the config's, limited by role (委员荐题 by members, …). */
  private allowedSources(config: WorkflowConfig): Array<{ id: SourceId; label?: LocalizedText }> {
    return config.step.intake.sources.filter((s) => {
      const roles: readonly string[] | null = SOURCE_ROLES[s.id];
      return roles === null || roles.includes(this.submitterRole);
    });
  }

  private defaultSource(config: WorkflowConfig): SourceId | undefined {
    const allowed = this.allowedSources(config);
    return (allowed.find((s) => s.id === this.source) ?? allowed.find((s) => s.id === 'resident') ?? allowed[0])?.id;
  }

  /** The room the topic goes to: the preset `room` (else a restored draft's), when the config lists it. */
  private roomOf(config: WorkflowConfig | undefined): RoomConfig | undefined {
    const list = config?.rooms?.list ?? [];
    const wanted = this.room || this.draftRoom;
    return wanted ? list.find((r) => r.id === wanted) : undefined;
  }

  private get anonymousAllowed(): boolean {
    return this.parsed?.step.intake.anonymous === true;
  }

  private visible(): Set<string> {
    const config = this.parsed;
    if (!config) return new Set();
    return visibleFieldNames(allFields(config.form.pages), this.values, this.files, this.anonymousAllowed && this.anonymous);
  }

  // ── What the person does ────────────────────────────────────────────────────────────────

  private readonly fieldHost: FieldHost = {
    msg: (key, params) => this.t(key, params),
    label: (text) => this.text(text),
    raw: (name) => this.values[name],
    files: (name) => this.files[name] ?? [],
    error: (name) => {
      const error = this.errors.find((e) => e.field === name);
      return error ? this.message(error) : undefined;
    },
    formatSize: (bytes) => this.formatSize(bytes),
    setValue: (field, value) => this.setValue(field.name, value),
    addFiles: (field, list) => this.addFiles(field, list),
    removeFile: (field, index) => void this.removeFile(field, index),
  };

  private setValue(name: string, value: unknown): void {
    this.values = { ...this.values, [name]: value };
    this.dirty = true;
    this.scheduleDraft();
  }

  private addFiles(field: FormField, list: FileList): void {
    const added: FileItem[] = [...list].map((file) => ({ name: file.name, type: file.type, size: file.size, blob: file }));
    this.files = { ...this.files, [field.name]: [...(this.files[field.name] ?? []), ...added] };
    this.dirty = true;
    this.scheduleDraft();
  }

  private async removeFile(field: FormField, index: number): Promise<void> {
    const list = (this.files[field.name] ?? []).filter((_, i) => i !== index);
    const files = { ...this.files };
    if (list.length > 0) files[field.name] = list;
    else delete files[field.name];
    this.files = files;
    this.dirty = true;
    this.scheduleDraft();
    await this.updateComplete;
    // Focus stays in the list (the next file's button), or goes back to the file input.
    const buttons = this.renderRoot.querySelectorAll<HTMLButtonElement>(`[data-field="${field.name}"] button[data-file-index]`);
    (buttons[Math.min(index, buttons.length - 1)] ?? this.byId(controlId(field)))?.focus();
  }

  /** A native `change` does not cross the shadow root: the host fires one (user actions only). */
  private forwardChange(event: Event): void {
    if (event.composed || !event.isTrusted) return;
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }

  private async goTo(page: number, errors: FieldError[] = []): Promise<void> {
    const pages = this.parsed?.form.pages.length ?? 1;
    const changed = page !== this.page;
    this.page = page;
    this.errors = errors;
    this.refusalText = '';
    this.scheduleDraft();
    if (changed) this.dispatchEvent(new ConsultStepChangeEvent({ page, pages }));
    await this.updateComplete;
    if (errors.length > 0) this.focusSummary();
    else this.focusHeading();
  }

  private async showErrors(errors: FieldError[], refusalText = ''): Promise<void> {
    this.errors = errors;
    this.refusalText = refusalText;
    await this.updateComplete;
    this.focusSummary();
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const config = this.parsed;
    if (!config || this.submitting) return;
    const pages = config.form.pages;
    const visible = this.visible();
    const shown = (fields: readonly FormField[]) => fields.filter((f) => visible.has(f.name));
    const here = validateFields(shown(pages[this.page]?.fields ?? []), this.values, this.files);
    if (here.length > 0) return this.showErrors(here);
    if (this.page < pages.length - 1) return this.goTo(this.page + 1);

    // The last page: every page again (a restored draft may have gaps), then the machine's own check.
    for (let i = 0; i < pages.length; i += 1) {
      const errors = validateFields(shown(pages[i]!.fields), this.values, this.files);
      if (errors.length > 0) return this.goTo(i, errors);
    }
    const fields = allFields(pages);
    const values = submission(fields, this.values, this.files, visible);
    const anonymous = this.anonymousAllowed && this.anonymous;
    const { checkIntakeValues } = await import('./intake-check.js');
    const violation = checkIntakeValues(config, values, anonymous);
    if (violation) return this.showViolation(violation.field, violation.message, violation.code);
    await this.send(config, values, anonymous);
  }

  /** Shows a fault found by the machine at its field (on whichever page), or in the summary. */
  private async showViolation(at: string | undefined, message: string, code: string): Promise<void> {
    const config = this.parsed!;
    const name = at?.startsWith('values.') ? at.slice('values.'.length) : undefined;
    const pageIndex = name ? config.form.pages.findIndex((p) => p.fields.some((f) => f.name === name)) : -1;
    const field = pageIndex >= 0 ? config.form.pages[pageIndex]!.fields.find((f) => f.name === name) : undefined;
    if (!field) return this.showErrors([], this.t('form.error.refused', { message }));
    const required = code === 'missing-value' || code === 'missing-title' ? validateField({ ...field, required: true }, undefined, []) : null;
    const error: FieldError = required ?? { field: field.name, key: 'form.error.invalid', params: {} };
    if (pageIndex !== this.page) return this.goTo(pageIndex, [error]);
    return this.showErrors([error]);
  }

  private async send(config: WorkflowConfig, values: Record<string, unknown>, anonymous: boolean): Promise<void> {
    this.submitting = true;
    // Submitted before the store was open (the form shows first): wait for it rather than drop it.
    if (!this.active) await new Promise<void>((resolve) => this.storeWaiters.push(resolve));
    const store = this.active;
    if (!store || this.parsed !== config) {
      this.submitting = false;
      return;
    }
    const topicId = newId();
    const event: TopicEvent = {
      type: 'topic.submit',
      values,
      source: this.chosenSource ?? 'resident',
      level: config.level,
      ...(this.roomOf(config) ? { room: this.roomOf(config)!.id } : {}),
      anonymous,
      by: { role: this.submitterRole, ...(!anonymous && this.userId ? { id: this.userId } : {}) },
      at: new Date().toISOString(),
    };
    this.autosave?.cancel();
    let result: Awaited<ReturnType<TopicFormStore['append']>>;
    try {
      result = await store.append(topicId, event);
    } catch (error) {
      this.submitting = false;
      const message = this.t('common.error', { message: error instanceof Error ? error.message : String(error) });
      this.report('storage', error, message);
      return this.showErrors([], message);
    }
    this.submitting = false;
    if (!result.ok) return this.refused(result.refusal);

    void store.deleteDraft(this.draftKey);
    const titleField = allFields(config.form.pages).find((f) => f.role === 'title');
    const answer = titleField ? values[titleField.name] : undefined;
    const submitted: ConsultSubmitDetail = { topicId, title: typeof answer === 'string' ? answer : '', entry: result.entry, savedOn: result.savedOn };
    this.submitted = submitted;
    this.errors = [];
    this.refusalText = '';
    this.restoredAt = undefined;
    this.dirty = false;
    this.liveReady = false;
    this.phase = 'done';
    await this.updateComplete;
    this.byId('done-title')?.focus();
    // The live region is in the page before its text arrives, so screen readers announce it.
    setTimeout(() => {
      this.liveReady = true;
    }, 150);
    // An object literal, not the variable: the manifest analyzer would take a lone identifier for
    // the event's name.
    this.dispatchEvent(new ConsultSubmitEvent({ ...submitted }));
  }

  private async refused(refusal: EventRefusal): Promise<void> {
    this.dispatchEvent(new ConsultRefusedEvent({ refusal }));
    const name = refusal.field?.startsWith('values.') ? refusal.field : undefined;
    if (name) return this.showViolation(name, refusal.message, refusal.code);
    return this.showErrors([], this.t('form.error.refused', { message: refusal.message }));
  }

  // ── Focus ───────────────────────────────────────────────────────────────────────────────

  private byId(id: string): HTMLElement | null {
    return (this.renderRoot as ShadowRoot).getElementById?.(id) ?? null;
  }

  private focusHeading(): void {
    this.byId('page-title')?.focus();
  }

  private focusSummary(): void {
    const summary = this.byId('error-summary');
    if (!summary) return;
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: 'start' });
  }

  /** An error-summary link: focus the field and bring its question (label or legend) into view. */
  private followError(event: Event, field: FormField): void {
    event.preventDefault();
    const control = this.byId(controlId(field));
    this.byId(labelId(field))?.scrollIntoView({ block: 'start' });
    control?.focus({ preventScroll: true });
  }

  // ── Text ────────────────────────────────────────────────────────────────────────────────

  private message(error: FieldError): string {
    const field = this.parsed ? allFields(this.parsed.form.pages).find((f) => f.name === error.field) : undefined;
    const params: Record<string, string | number> = { ...error.params, label: this.labelInSentence(error.key, this.text(field?.label)) };
    if (typeof params.size === 'number') params.size = this.formatSize(params.size);
    return this.t(error.key, params);
  }

  /** In English, a label inside a sentence starts lower case ("Enter what is happening"), unless it is an acronym. */
  private labelInSentence(key: MessageKey, label: string): string {
    if (this.locale !== 'en' || this.t(key).startsWith('{label}') || /^\p{Lu}{2}/u.test(label)) return label;
    return label.charAt(0).toLocaleLowerCase('en') + label.slice(1);
  }

  private formatSize(bytes: number): string {
    const mb = bytes >= 1024 * 1024;
    return new Intl.NumberFormat(this.locale, {
      style: 'unit',
      unit: mb ? 'megabyte' : 'kilobyte',
      unitDisplay: 'short',
      maximumFractionDigits: mb ? 1 : 0,
    }).format(mb ? bytes / (1024 * 1024) : Math.max(1, bytes / 1024));
  }

  private formatDate(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'long', timeStyle: 'short' }).format(date);
  }

  /**
   * Whether the city's server has the submission: from then on its follow code is known, or there
   * is none to wait for (the local transport, a server without follow codes).
   */
  private confirmed(entryId: string): boolean {
    return this.active?.log.some((e) => e.id === entryId && e.seq > 0) ?? false;
  }

  /** The submitted topic's follow code, once the server has given it (the store notifies). */
  private followCode(topicId: string): string | undefined {
    return this.active?.followedTopics?.find((f) => f.topicId === topicId)?.followCode;
  }

  private nextStepText(config: WorkflowConfig): string {
    const next = config.steps.find((s) => s.type !== 'intake')?.type;
    const key: MessageKey = next === 'screening' ? 'form.next.screening' : next === 'research' ? 'form.next.research' : 'form.next.meeting';
    return this.t(key);
  }

  /** Whether the store has this topic only on this device, has it confirmed, or could not send it. */
  private delivery(): string {
    const store = this.active;
    const id = this.submitted?.entry.id;
    if (!store || !id) return '';
    const conflict = store.conflicts.find((e) => e.id === id);
    if (conflict) {
      const reason = conflict.conflict?.detail ?? conflict.conflict?.title ?? conflict.lastError ?? '';
      return this.t('form.sendFailed', { message: reason });
    }
    return store.log.some((e) => e.id === id && e.seq > 0) ? this.t('form.sent') : this.t('form.savedOffline');
  }

  // ── Rendering ───────────────────────────────────────────────────────────────────────────

  protected override render(): TemplateResult {
    return html`<div part="base" class="base" lang=${this.locale}>${this.renderPhase()}</div>`;
  }

  private renderPhase(): TemplateResult | typeof nothing {
    switch (this.phase) {
      case 'loading':
        return html`<p class="loading" role="status">${this.t('common.loading')}</p>`;
      case 'failed':
        return html`<div class="problem" part="problem" role="alert">
          <p>${this.t(this.problem.key, { message: this.problem.message })}</p>
        </div>`;
      case 'invalid':
        return this.renderConfigErrors();
      case 'done':
        return this.renderConfirmation();
      default:
        return this.renderForm();
    }
  }

  private renderConfigErrors(): TemplateResult {
    return configErrorsTemplate(this.configErrors, (key, params) => this.t(key, params));
  }

  private renderForm(): TemplateResult | typeof nothing {
    const config = this.parsed;
    if (!config) return nothing;
    const pages = config.form.pages;
    const page = pages[this.page] ?? pages[0]!;
    const last = this.page === pages.length - 1;
    const visible = this.visible();
    const fields = allFields(pages);
    // The privacy notice (and the anonymous option) go on the page that asks for consent, just
    // before its first personal or consent field; without consent, before the first personal
    // field; without either, at the end of the last page.
    const consentPage = pages.find((p) => p.fields.some((f) => f.type === 'consent'));
    const anchor = consentPage ? consentPage.fields.find((f) => f.personal || f.type === 'consent') : fields.find((f) => f.personal);
    const anchorPage = anchor ? pages.findIndex((p) => p.fields.includes(anchor)) : pages.length - 1;
    const privacyHere = anchorPage === this.page;
    const sources = this.allowedSources(config);
    return html`
      ${this.restoredAt ? this.renderRestored() : nothing}
      <form novalidate aria-labelledby="page-title" @submit=${this.onSubmit} @change=${this.forwardChange}>
        ${this.renderSummary()}
        <p class="caption" part="caption">${this.text(config.title)}</p>
        ${this.renderRoom(config)}
        ${pages.length > 1 ? this.renderProgress(pages.length) : nothing}
        <h2 id="page-title" class="heading" part="heading" tabindex="-1">${this.text(page.title)}</h2>
        ${page.description ? html`<p class="lede">${this.text(page.description)}</p>` : nothing}
        ${this.page === 0 && sources.length > 1 ? this.renderSources(sources) : nothing}
        ${page.fields.map(
          (field) => html`${privacyHere && field === anchor ? this.renderPrivacyBlock() : nothing}
          ${visible.has(field.name) ? renderField(this.fieldHost, field) : nothing}`,
        )}
        ${privacyHere && !anchor ? this.renderPrivacyBlock() : nothing}
        <div class="actions">
          <button type="submit" class="button button--primary" part="button button-primary" aria-disabled=${this.submitting ? 'true' : 'false'}>
            ${this.submitting ? this.t('form.submitting') : last ? this.t('form.submit') : this.t('form.next')}
          </button>
          ${this.page > 0
            ? html`<button type="button" class="button button--secondary" part="button" @click=${() => this.goTo(this.page - 1)}>
                ${this.t('form.back')}
              </button>`
            : nothing}
        </div>
      </form>
    `;
  }

  /** "议事室：<name> / Room: <name>": where the topic goes, so a resident who scanned a room's code sees it. */
  private renderRoom(config: WorkflowConfig): TemplateResult | typeof nothing {
    const room = this.roomOf(config);
    if (!room) return nothing;
    const name = this.text(room.name, room.id);
    const template = lookup(this.locale, 'poster.formRoom');
    return html`<p class="room" part="room">${template === undefined ? name : format(template, { room: name })}</p>`;
  }

  private renderRestored(): TemplateResult {
    return html`<div class="notice" part="notice" role="status">
      <p>${this.t('form.draftRestored', { date: this.formatDate(this.restoredAt ?? '') })}</p>
      <button type="button" class="button button--secondary" part="button" @click=${this.startAgain}>${this.t('form.discardDraft')}</button>
    </div>`;
  }

  private renderSummary(): TemplateResult | typeof nothing {
    if (this.errors.length === 0 && !this.refusalText) return nothing;
    const fields = this.parsed ? allFields(this.parsed.form.pages) : [];
    return html`<div id="error-summary" class="error-summary" part="error-summary" tabindex="-1" aria-labelledby="error-summary-title">
      <div role="alert">
        <h2 id="error-summary-title" class="error-summary-title">${this.t('form.errorSummaryTitle')}</h2>
        <p>${this.t('form.errorSummaryIntro')}</p>
        <ul class="error-list">
          ${this.errors.map((error) => {
            const field = fields.find((f) => f.name === error.field);
            return field
              ? html`<li><a href="#${controlId(field)}" @click=${(e: Event) => this.followError(e, field)}>${this.message(error)}</a></li>`
              : nothing;
          })}
          ${this.refusalText ? html`<li class="refusal">${this.refusalText}</li>` : nothing}
        </ul>
      </div>
    </div>`;
  }

  private renderProgress(total: number): TemplateResult {
    const current = this.page + 1;
    return html`<div class="progress" part="progress">
      <p class="progress-text" id="progress-text">${this.t('form.progress', { current, total })}</p>
      <progress class="progress-bar" max=${total} .value=${current} aria-hidden="true"></progress>
    </div>`;
  }

  private renderSources(sources: Array<{ id: SourceId; label?: LocalizedText }>): TemplateResult {
    return html`<div class="field" part="field">
      <fieldset class="group">
        <legend class="label" part="label">${this.t('form.source')}</legend>
        <div class="choices">
          ${sources.map(
            (s, i) => html`<div class="choice">
              <input
                type="radio"
                class="choice-input"
                id="source-${i}"
                name="$source"
                .value=${s.id}
                .checked=${this.chosenSource === s.id}
                @change=${() => {
                  this.chosenSource = s.id;
                  this.scheduleDraft();
                }}
              />
              <label class="choice-label" for="source-${i}">${s.label ? this.text(s.label) : this.t(`form.source.${s.id}`)}</label>
            </div>`,
          )}
        </div>
      </fieldset>
    </div>`;
  }

  /** The anonymous option (where allowed) and the privacy notice. */
  private renderPrivacyBlock(): TemplateResult {
    return html`${this.anonymousAllowed ? this.renderAnonymous() : nothing}${this.renderPrivacy()}`;
  }

  private renderAnonymous(): TemplateResult {
    return html`<div class="field" part="field">
      <div class="choice">
        <input
          type="checkbox"
          class="choice-input"
          id="anonymous"
          aria-describedby="anonymous-hint"
          .checked=${this.anonymous}
          @change=${(e: Event) => {
            this.anonymous = (e.target as HTMLInputElement).checked;
            this.dirty = true;
            this.scheduleDraft();
          }}
        />
        <label class="choice-label" part="label" for="anonymous">${this.t('form.anonymous')}</label>
      </div>
      <div class="hint hint--choice" part="hint" id="anonymous-hint">${this.t('form.anonymousHint')}</div>
    </div>`;
  }

  private renderPrivacy(): TemplateResult | typeof nothing {
    const privacy = this.parsed?.privacy;
    if (!privacy) return nothing;
    const url = safeUrl(privacy.url);
    return html`<section class="privacy" part="privacy" aria-labelledby="privacy-title">
      <h3 id="privacy-title" class="privacy-title">${this.t('form.privacyTitle')}</h3>
      <dl class="privacy-list">
        <dt>${this.t('form.privacyController')}</dt>
        <dd>${this.text(privacy.controller)}</dd>
        <dt>${this.t('form.privacyPurpose')}</dt>
        <dd>${this.text(privacy.purpose)}</dd>
        <dt>${this.t('form.privacyRetention')}</dt>
        <dd>${this.text(privacy.retention)}</dd>
        <dt>${this.t('form.privacyContact')}</dt>
        <dd>${privacy.contact}</dd>
      </dl>
      ${url ? html`<p><a class="link" href=${url}>${this.t('form.privacyMore')}</a></p>` : nothing}
    </section>`;
  }

  /** Loads the follow code's panel and its styles (once per page), then shows it. */
  private useFollowCode(): void {
    if (this.copier) return;
    const attach = (module: FollowCodeModule, rendering: boolean): void => {
      if (this.copier) return;
      this.copier = new module.FollowCodeController(this);
      const root = this.renderRoot;
      if (root instanceof ShadowRoot) {
        const own = (this.constructor as typeof ConsultTopicForm).elementStyles;
        // With constructable stylesheets the list is replaced; Lit's <style> fallback appends.
        adoptStyles(root, supportsAdoptingStyleSheets ? [...own, module.followCodeStyles] : [module.followCodeStyles]);
      }
      if (!rendering) this.requestUpdate();
    };
    // Already loaded (another form on the page): in this render.
    if (followCode) return attach(followCode, true);
    import('../my-topics/follow-code.js').then(
      (module) => attach((followCode = module), false),
      (error: unknown) => this.report('load-failed', error, this.t('common.error', { message: error instanceof Error ? error.message : String(error) })),
    );
  }

  private renderConfirmation(): TemplateResult | typeof nothing {
    const done = this.submitted;
    const config = this.parsed;
    if (!done || !config) return nothing;
    this.useFollowCode();
    const memory = done.savedOn === 'memory' || this.storeStatus?.storage === 'memory';
    return html`<section class="confirmation" part="confirmation" aria-labelledby="done-title">
      <h2 id="done-title" class="heading" part="heading" tabindex="-1">${this.t('form.done.title')}</h2>
      <p class="delivery" part="status" role="status" aria-live="polite">${this.liveReady ? this.delivery() : ''}</p>
      ${memory ? html`<p class="warning">${this.t('form.savedMemoryOnly')}</p>` : nothing}
      ${done.title ? html`<dl class="summary-list"><dt>${this.t('form.done.topic')}</dt><dd class="topic-title">${done.title}</dd></dl>` : nothing}
      ${followCode && this.copier && this.active?.followedTopics && (this.followCode(done.topicId) || !this.confirmed(done.entry.id))
        ? followCode.renderFollowCode({
            code: this.followCode(done.topicId),
            idPrefix: 'done',
            copyState: this.copier.message(this.followCode(done.topicId) ?? ''),
            onCopy: (code, element) => void this.copier?.copy(code, element),
            t: (key, params) => this.t(key, params),
          })
        : nothing}
      <h3 class="next-title">${this.t('form.next.title')}</h3>
      <p>${this.nextStepText(config)}</p>
      <button type="button" class="button button--secondary" part="button" @click=${this.startAnother}>${this.t('form.another')}</button>
    </section>`;
  }
}
