/**
 * `<consult-studio>`: the shell of the low-code studio. It owns the one `StudioDocument` every
 * pane edits (provided through @lit/context), lays out the toolbar, the editing tabs, the preview
 * and diagram, and the errors panel; opens programmes from the server, templates and files; keeps
 * drafts on the device; publishes with `If-Match`; and owns the one polite live region.
 */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ContextProvider } from '@lit/context';
import type { ConfigError } from '@consult-kit/machine';
import { documentContext } from '../context.js';
import { StudioDocument, type ChangeDetail, type FocusRequestDetail } from '../document.js';
import { translate, studioLocale, type StudioLocale } from '../i18n.js';
import { jsonEqual, type Json, type JsonObject } from '../pointer.js';
import { studioStyles } from '../styles.js';
import { readableLocation } from './diff.js';
import { DraftStore, draftKey, type DraftRecord } from './drafts.js';
import { downloadText, exportName, parseFile } from './file.js';
import { EDIT_PANES, SIDE_PANES, paneForPointer, type EditPaneId, type PaneEntry, type PaneId, type SidePaneId } from './panes.js';
import { listProgrammes, loadConfig, publishConfig, type ApiSettings, type ProgrammeSummary, type TokenInput } from './publish.js';
import { shellMessages, type ShellKey } from './shell.messages.js';
import { levelName } from '../levels.js';
import { shellStyles } from './studio.styles.js';
import { copyOf, fromTemplate, TEMPLATES } from './templates.js';
import { ConsultStudioErrors } from './errors.js';
import { ConsultStudioDiff } from './diff-table.js';
import type { ConsultStudioVersions } from './versions.js';

/** A programme id as the server accepts it. */
export const PROGRAMME_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** The prefix of a draft kept aside when the person loaded someone else's newer version. */
export const KEPT_PREFIX = 'kept:';

type Phase = 'start' | 'loading' | 'load-failed' | 'draft-offer' | 'editing';
type PaneStatus = 'loading' | 'ready' | 'failed';

/** A pane element as the shell drives it. */
interface PaneElement extends HTMLElement {
  doc?: StudioDocument;
  updateComplete?: Promise<unknown>;
  focusPointer?: (pointer: string) => Promise<boolean> | boolean;
  requestUpdate?: () => void;
}

/** What the document is based on: the server's version (or none for a new programme). */
interface Base {
  id: string;
  isNew: boolean;
  etag?: string;
  version?: number;
}

/** A visible notice under the toolbar (also announced). */
interface Notice {
  tone: 'info' | 'error';
  text: string;
  retry?: () => void;
}

interface Conflict {
  currentEtag?: string;
  currentVersion?: number;
  theirs?: Json;
  comparing: boolean;
  problem?: string;
}

const TAB_KEYS: Record<PaneId, ShellKey> = {
  form: 'tabForm',
  lifecycle: 'tabLifecycle',
  settings: 'tabSettings',
  permissions: 'tabPermissions',
  translations: 'tabTranslations',
  json: 'tabJson',
  versions: 'tabVersions',
  preview: 'tabPreview',
  diagram: 'tabDiagram',
};

const EMPTY: JsonObject = {};

/**
 * @tag consult-studio
 * @summary The low-code studio (协商项目工作室): edits a programme's workflow config — form,
 * lifecycle, programme settings, permissions, translations, JSON — checked as you type, with a live
 * preview and lifecycle diagram, drafts kept on the device, and versioned publishing.
 *
 * Without `programme`, a start screen offers the server's programmes, new from a template, a copy
 * of an existing programme, and importing a file. Every change is kept as a draft in IndexedDB
 * (`consult-studio-drafts`); publishing sends `PUT {endpoint}/programmes/{id}/config` with
 * `If-Match`, and a concurrent publish is shown as a conflict to compare, never a lost draft.
 * Errors never throw into the host page.
 *
 * @attr endpoint - The API base, e.g. `/api` (default `/api`).
 * @attr programme - The id of the programme to open (`GET {endpoint}/programmes/{id}/config`).
 * @attr lang - `zh-CN` (default) or `en`; the toolbar has a switch.
 *
 * @fires studio-announce - Listened for, not fired: a pane's `{ detail: { message } }` is read out in the one polite live region.
 *
 * @csspart toolbar - The toolbar.
 * @csspart tabs - The tab list of the editing panes.
 * @csspart editor - The editing pane being shown.
 * @csspart side - The preview and diagram.
 * @csspart errors - The errors panel.
 * @csspart start - The start screen.
 * @csspart notice - A notice under the toolbar (published, refused, not reachable…).
 */
export class ConsultStudio extends LitElement {
  static override styles = [studioStyles, shellStyles];

  // The parts the shell renders itself, defined with it (no side-effect-only import that a
  // bundler honouring package.json `sideEffects` could drop).
  static {
    if (!customElements.get('consult-studio-errors')) customElements.define('consult-studio-errors', ConsultStudioErrors);
    if (!customElements.get('consult-studio-diff')) customElements.define('consult-studio-diff', ConsultStudioDiff);
  }

  static override properties = {
    endpoint: { reflect: true },
    programme: { reflect: true },
    lang: { reflect: true },
    token: { attribute: false },
    fetch: { attribute: false },
    phase: { state: true },
    active: { state: true },
    side: { state: true },
    notice: { state: true },
    announcement: { state: true },
    programmes: { state: true },
    programmesProblem: { state: true },
    keptDrafts: { state: true },
    offer: { state: true },
    serverErrors: { state: true },
    conflict: { state: true },
    signingIn: { state: true },
    publishing: { state: true },
    dragging: { state: true },
    idProblem: { state: true },
  };

  /** The API base (default `/api`). */
  declare endpoint: string | undefined;
  /** The programme to open. */
  declare programme: string | undefined;
  declare lang: string;
  /** A bearer token, or a function returning the current one (kept only in memory). */
  declare token: TokenInput;
  /** The `fetch` to reach the server with (default the page's); stories and tests may pass one. */
  declare fetch: typeof globalThis.fetch | undefined;
  declare private phase: Phase;
  declare private active: EditPaneId;
  declare private side: SidePaneId;
  declare private notice: Notice | undefined;
  declare private announcement: string;
  declare private programmes: ProgrammeSummary[] | undefined;
  declare private programmesProblem: string;
  declare private keptDrafts: DraftRecord[];
  declare private offer: { draft: DraftRecord; server: Json } | undefined;
  declare private serverErrors: ConfigError[];
  declare private conflict: Conflict | undefined;
  declare private signingIn: 'closed' | 'element' | 'field';
  declare private publishing: boolean;
  declare private dragging: boolean;
  declare private idProblem: Record<string, string>;

  /** The document every pane edits. */
  readonly doc = new StudioDocument(EMPTY);
  /** Drafts on this device. */
  readonly drafts = new DraftStore();

  #base: Base | undefined;
  #panes = new Map<PaneId, PaneElement>();
  #status = new Map<PaneId, PaneStatus>();
  #loading = new Map<PaneId, Promise<PaneElement | undefined>>();
  #opened: string | undefined;
  #announceTimer: ReturnType<typeof setTimeout> | undefined;
  #publishAfterSignIn = false;

  constructor() {
    super();
    new ContextProvider(this, { context: documentContext, initialValue: this.doc });
    this.endpoint = '/api';
    this.phase = 'start';
    this.active = 'form';
    this.side = 'preview';
    this.announcement = '';
    this.programmesProblem = '';
    this.keptDrafts = [];
    this.serverErrors = [];
    this.signingIn = 'closed';
    this.publishing = false;
    this.dragging = false;
    this.idProblem = {};
    this.doc.addEventListener('change', this.#onChange);
    this.doc.addEventListener('focus-request', this.#onFocusRequest);
    this.addEventListener('keydown', this.#onKeydown);
    this.addEventListener('studio-announce', this.#onAnnounce);
    this.addEventListener('dragover', this.#onDragOver);
    this.addEventListener('dragleave', this.#onDragLeave);
    this.addEventListener('drop', this.#onDrop);
  }

  /** The studio's language. */
  get locale(): StudioLocale {
    return studioLocale(this.lang) ?? 'zh-CN';
  }

  /** What the document is based on (the programme id, the server's ETag and version). */
  get base(): Readonly<Base> | undefined {
    return this.#base;
  }

  /** The server's settings as the API client takes them. */
  get api(): ApiSettings {
    return { endpoint: this.endpoint || '/api', token: this.token, fetch: this.fetch };
  }

  #m(key: ShellKey, params?: Record<string, string | number>): string {
    return translate(shellMessages, this.locale, key, params);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('beforeunload', this.#onBeforeUnload);
    window.addEventListener('pagehide', this.#onPageHide);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('beforeunload', this.#onBeforeUnload);
    window.removeEventListener('pagehide', this.#onPageHide);
    this.#saveDraft();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The panes read the language from the markup: tell them it changed.
    if (changed.has('lang') && this.hasUpdated) {
      for (const pane of this.#panes.values()) pane.requestUpdate?.();
      for (const part of this.renderRoot.querySelectorAll<PaneElement>('consult-studio-errors, consult-studio-diff')) part.requestUpdate?.();
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.hasUpdated || (changed.has('programme') && this.programme !== this.#opened)) {
      this.#opened = this.programme;
      if (this.programme) void this.open(this.programme);
      else void this.showStart();
    }
  }

  // ── opening ──────────────────────────────────────────────────────────────

  /** Shows the start screen: the server's programmes, templates, kept drafts, import. */
  async showStart(): Promise<void> {
    this.phase = 'start';
    this.programmesProblem = '';
    void this.drafts.all().then((all) => (this.keptDrafts = all.filter((d) => d.key.startsWith('new:') || d.key.startsWith(KEPT_PREFIX))));
    const result = await listProgrammes(this.api);
    if (result.ok) this.programmes = result.programmes;
    else {
      this.programmes = undefined;
      this.programmesProblem = result.kind === 'network' ? this.#m('networkFailed') : result.message;
    }
  }

  /** Opens a programme from the server; offers a kept draft that differs from it. */
  async open(id: string): Promise<void> {
    this.phase = 'loading';
    this.notice = undefined;
    const result = await loadConfig(this.api, id);
    if (this.#opened !== id) return;
    if (!result.ok) {
      this.phase = 'load-failed';
      const reason = result.kind === 'network' ? this.#m('networkFailed') : result.kind === 'not-found' ? this.#m('notFound', { id }) : result.message;
      this.#show({ tone: 'error', text: this.#m('loadFailed', { id, reason }), retry: () => void this.open(id) });
      return;
    }
    this.#base = { id, isNew: false, etag: result.etag, version: result.version };
    this.serverErrors = [];
    this.doc.load(result.value);
    const draft = await this.drafts.get(draftKey(id, false));
    const parsed = draft ? parseFile(draft.text) : undefined;
    if (draft && parsed?.ok && !jsonEqual(parsed.value, result.value)) {
      this.offer = { draft, server: result.value };
      this.phase = 'draft-offer';
    } else this.#startEditing();
  }

  /** Continues the kept draft (its base version is kept, so a newer publish is a conflict). */
  continueDraft(): void {
    const offer = this.offer;
    if (!offer || !this.#base) return;
    const parsed = parseFile(offer.draft.text);
    if (!parsed.ok) return this.discardDraft();
    if (offer.draft.baseEtag) this.#base = { ...this.#base, etag: offer.draft.baseEtag, version: offer.draft.baseVersion };
    this.doc.load(parsed.value, { saved: offer.server });
    this.offer = undefined;
    this.#startEditing();
    this.announce(this.#m('draftRestored'));
  }

  /** Discards the kept draft and edits the server's version. */
  discardDraft(): void {
    if (!this.#base) return;
    void this.drafts.delete(draftKey(this.#base.id, this.#base.isNew));
    this.offer = undefined;
    this.#startEditing();
    this.announce(this.#m('draftDiscarded'));
  }

  /** Starts a new programme from a config (a template, a copy, an imported file). */
  startNew(config: Json, { announce }: { announce?: string } = {}): void {
    const id = config && typeof config === 'object' && !Array.isArray(config) && typeof config.id === 'string' ? config.id : 'new-programme';
    this.#base = { id, isNew: true };
    this.serverErrors = [];
    this.doc.load(config);
    this.#startEditing();
    this.#saveDraft();
    if (announce) this.#show({ tone: 'info', text: announce });
  }

  #startEditing(): void {
    this.phase = 'editing';
    void this.#ensurePane(this.active);
    void this.#ensurePane(this.side);
    const versions = this.#panes.get('versions') as ConsultStudioVersions | undefined;
    if (versions) {
      versions.programme = this.#base?.isNew ? undefined : this.#base?.id;
      void versions.reload();
    }
  }

  async #createFromTemplate(templateId: string, id: string): Promise<void> {
    const template = TEMPLATES.find((t) => t.id === templateId);
    if (!template || !this.#checkId(`template-${templateId}`, id)) return;
    this.startNew(fromTemplate(template, id));
  }

  async #copyExisting(from: string, id: string): Promise<void> {
    if (!this.#checkId('copy', id)) return;
    const result = await loadConfig(this.api, from);
    if (!result.ok) {
      this.#show({ tone: 'error', text: this.#m('loadFailed', { id: from, reason: result.kind === 'network' ? this.#m('networkFailed') : result.message }) });
      return;
    }
    this.startNew(copyOf(result.value, id));
  }

  #checkId(field: string, id: string): boolean {
    let problem = '';
    if (!PROGRAMME_ID.test(id)) problem = this.#m('badProgrammeId');
    else if (this.programmes?.some((p) => p.id === id)) problem = this.#m('idTaken', { id });
    this.idProblem = { ...this.idProblem, [field]: problem };
    if (problem) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#id-${field}`)?.focus());
    return !problem;
  }

  async #continueKept(draft: DraftRecord): Promise<void> {
    const parsed = parseFile(draft.text);
    if (!parsed.ok) return;
    if (draft.key.startsWith('new:')) {
      this.startNew(parsed.value);
      return;
    }
    // A draft kept aside after a conflict: open the latest version and put the draft on top of it.
    const id = draft.key.slice(KEPT_PREFIX.length);
    this.#opened = id;
    this.programme = id;
    await this.open(id);
    if (this.phase === 'draft-offer') this.discardDraft();
    if (this.phase === 'editing') {
      this.doc.replace(parsed.value, { origin: 'import' });
      void this.drafts.delete(draft.key);
    }
  }

  // ── import and export ────────────────────────────────────────────────────

  /** Imports a file: not JSON → a message with where it broke, nothing changed; JSON → loaded, its faults listed. */
  async importFile(file: File): Promise<void> {
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      this.#show({ tone: 'error', text: this.#m('unreadable', { name: file.name, message: (error as Error).message }) });
      return;
    }
    const parsed = parseFile(text);
    if (!parsed.ok) {
      const text = parsed.line
        ? this.#m('notJson', { name: file.name, line: parsed.line, column: parsed.column ?? 1, message: parsed.message })
        : this.#m('notJsonNoPosition', { name: file.name, message: parsed.message });
      this.#show({ tone: 'error', text });
      return;
    }
    if (this.phase === 'editing') this.doc.replace(parsed.value, { origin: 'import' });
    else {
      const id = parsed.value && typeof parsed.value === 'object' && !Array.isArray(parsed.value) ? parsed.value.id : undefined;
      if (typeof id === 'string' && this.programmes?.some((p) => p.id === id)) {
        // The file is a programme the server has: edit it on top of the server's version.
        this.#opened = id;
        this.programme = id;
        await this.open(id);
        if (this.phase === 'draft-offer') this.discardDraft();
        this.doc.replace(parsed.value, { origin: 'import' });
      } else this.startNew(parsed.value);
    }
    const n = this.doc.errors.length;
    this.#show({ tone: n ? 'error' : 'info', text: n ? this.#m('importedWithProblems', { name: file.name, n }) : this.#m('importedFile', { name: file.name }) });
  }

  /** Downloads the config's canonical text as `<id>.json`; it counts as saved. */
  exportFile(): void {
    const name = exportName((this.doc.value as JsonObject | null)?.id);
    downloadText(name, this.doc.text());
    this.doc.markSaved();
    this.#show({ tone: 'info', text: this.#m('exported', { name }) });
  }

  #onFileChosen = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void this.importFile(file);
  };

  #onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  };

  #onDragLeave = (event: DragEvent) => {
    if (event.relatedTarget === null || !this.contains(event.relatedTarget as Node)) this.dragging = false;
  };

  #onDrop = (event: DragEvent) => {
    const file = event.dataTransfer?.files?.[0];
    this.dragging = false;
    if (!file) return;
    event.preventDefault();
    void this.importFile(file);
  };

  // ── drafts and leaving ───────────────────────────────────────────────────

  #draftRecord(): DraftRecord | undefined {
    const base = this.#base;
    if (!base || this.phase !== 'editing') return undefined;
    return { key: draftKey(base.id, base.isNew), text: this.doc.text(), baseEtag: base.etag, baseVersion: base.version, savedAt: new Date().toISOString() };
  }

  #saveDraft(): Promise<void> {
    const record = this.#draftRecord();
    return record ? this.drafts.put(record) : Promise.resolve();
  }

  #onBeforeUnload = (event: BeforeUnloadEvent) => {
    this.#saveDraft();
    if (this.phase !== 'editing' || !this.doc.dirty) return;
    event.preventDefault();
    event.returnValue = '';
  };

  #onPageHide = () => {
    this.#saveDraft();
  };

  // ── changes, undo, focus ─────────────────────────────────────────────────

  #onChange = (event: Event) => {
    const { pointer, origin } = (event as CustomEvent<ChangeDetail>).detail;
    if (origin !== 'load') {
      if (this.serverErrors.length) this.serverErrors = [];
      this.#saveDraft();
    }
    if (origin === 'undo' || origin === 'redo') {
      const where = pointer === '' ? this.#m('wholeConfig') : readableLocation(this.doc.value, pointer);
      this.announce(this.#m(origin === 'undo' ? 'undone' : 'redone', { where }));
    }
    this.requestUpdate();
  };

  #onKeydown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || this.phase !== 'editing' || event.altKey) return;
    const mod = event.ctrlKey || event.metaKey;
    if (!mod) return;
    const key = event.key.toLowerCase();
    if (key === 'z' && !event.shiftKey) {
      event.preventDefault();
      this.doc.undo();
    } else if ((key === 'z' && event.shiftKey) || (key === 'y' && event.ctrlKey && !event.shiftKey)) {
      event.preventDefault();
      this.doc.redo();
    }
  };

  #onAnnounce = (event: Event) => {
    const message = (event as CustomEvent<{ message?: unknown }>).detail?.message;
    if (typeof message === 'string' && message) this.announce(message);
  };

  /** Reads a message out in the studio's one polite live region. */
  announce(message: string): void {
    clearTimeout(this.#announceTimer);
    this.announcement = '';
    // Cleared first, so the same words said twice are read twice.
    this.#announceTimer = setTimeout(() => (this.announcement = message), 60);
  }

  #show(notice: Notice): void {
    this.notice = notice;
    this.announce(notice.text);
  }

  #onFocusRequest = (event: Event) => {
    void this.focusPointer((event as CustomEvent<FocusRequestDetail>).detail.pointer);
  };

  /**
   * Shows the pane that edits `pointer` and focuses its control; when that pane has none (or could
   * not load), the JSON pane selects the node. True when something was focused.
   */
  async focusPointer(pointer: string): Promise<boolean> {
    const target = paneForPointer(pointer);
    if (await this.#focusIn(target, pointer)) return true;
    if (target !== 'json' && (await this.#focusIn('json', pointer))) return true;
    this.announce(this.#m('couldNotFocus', { pointer: pointer || '/' }));
    return false;
  }

  async #focusIn(id: EditPaneId, pointer: string): Promise<boolean> {
    this.active = id;
    const pane = await this.#ensurePane(id);
    await this.updateComplete;
    if (!pane?.focusPointer) return false;
    try {
      await pane.updateComplete;
      return (await pane.focusPointer(pointer)) === true;
    } catch {
      return false;
    }
  }

  // ── panes ────────────────────────────────────────────────────────────────

  #entry(id: PaneId): PaneEntry | undefined {
    return [...EDIT_PANES, ...SIDE_PANES].find((p) => p.id === id);
  }

  /**
   * Loads a pane's code (the first time) and makes its element; undefined when it could not load.
   * Callers at the same time share one load (two would make two elements, and the second would
   * replace the first, focus and all).
   */
  #ensurePane(id: PaneId): Promise<PaneElement | undefined> {
    const existing = this.#panes.get(id);
    if (existing) return Promise.resolve(existing);
    let loading = this.#loading.get(id);
    if (!loading) {
      loading = this.#makePane(id).finally(() => this.#loading.delete(id));
      this.#loading.set(id, loading);
    }
    return loading;
  }

  async #makePane(id: PaneId): Promise<PaneElement | undefined> {
    const entry = this.#entry(id);
    if (!entry) return undefined;
    this.#status.set(id, 'loading');
    this.requestUpdate();
    try {
      await entry.load();
      if (!customElements.get(entry.tag)) throw new Error(`${entry.tag} is not defined`);
      const pane = document.createElement(entry.tag) as PaneElement;
      pane.doc = this.doc;
      if (id === 'versions') {
        const versions = pane as unknown as ConsultStudioVersions;
        versions.api = this.api;
        versions.programme = this.#base?.isNew ? undefined : this.#base?.id;
      }
      this.#panes.set(id, pane);
      this.#status.set(id, 'ready');
      this.requestUpdate();
      return pane;
    } catch (error) {
      console.warn(`consult-studio: the ${id} pane could not load`, error);
      this.#status.set(id, 'failed');
      this.requestUpdate();
      return undefined;
    }
  }

  #retryPane(id: PaneId): void {
    this.#status.delete(id);
    void this.#ensurePane(id);
  }

  /** The element of a pane, once it has loaded (for tests and hosts). */
  pane(id: PaneId): HTMLElement | undefined {
    return this.#panes.get(id);
  }

  /** Loads a pane (if not yet) without showing it; undefined when its code could not load. */
  loadPane(id: PaneId): Promise<HTMLElement | undefined> {
    return this.#ensurePane(id);
  }

  #select(id: EditPaneId | SidePaneId, focus = false): void {
    if (EDIT_PANES.some((p) => p.id === id)) this.active = id as EditPaneId;
    else this.side = id as SidePaneId;
    void this.#ensurePane(id);
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${id}`)?.focus());
  }

  #onTabKey(event: KeyboardEvent, list: readonly PaneEntry[], current: PaneId): void {
    const index = list.findIndex((p) => p.id === current);
    let next = -1;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = (index + 1) % list.length;
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = (index - 1 + list.length) % list.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = list.length - 1;
    if (next < 0) return;
    event.preventDefault();
    this.#select(list[next]!.id, true);
  }

  // ── publishing ───────────────────────────────────────────────────────────

  /** Publishes the draft as a new version; every failure keeps the draft. */
  async publish(): Promise<void> {
    const base = this.#base;
    if (!base || this.publishing) return;
    const problems = this.doc.errors.length;
    if (problems > 0) {
      this.#show({ tone: 'error', text: this.#m('fixFirst', { n: problems }) });
      this.renderRoot.querySelector<ConsultStudioErrors>('consult-studio-errors')?.renderRoot.querySelector<HTMLElement>('button.error')?.focus();
      return;
    }
    if (!this.token) {
      this.#publishAfterSignIn = true;
      await this.#openSignIn();
      return;
    }
    this.publishing = true;
    await this.#saveDraft();
    const text = this.doc.text();
    const value = this.doc.value;
    const result = await publishConfig(this.api, base.id, text, base.isNew ? undefined : base.etag);
    this.publishing = false;
    if (result.ok) {
      const oldKey = draftKey(base.id, base.isNew);
      this.#base = { id: result.id, isNew: false, etag: result.etag, version: result.version };
      if (jsonEqual(this.doc.value, value)) {
        this.doc.markSaved();
        await this.drafts.delete(oldKey);
      } else {
        // Edited while the publish was on its way: those edits stay a draft, now based on this version.
        if (oldKey !== draftKey(result.id, false)) await this.drafts.delete(oldKey);
        await this.#saveDraft();
      }
      this.serverErrors = [];
      if (base.isNew) {
        this.#opened = result.id;
        this.programme = result.id;
      }
      this.#show({ tone: 'info', text: this.#m('publishedNote', { n: result.version }) });
      const versions = this.#panes.get('versions') as ConsultStudioVersions | undefined;
      if (versions) {
        versions.programme = result.id;
        void versions.reload();
      }
      return;
    }
    switch (result.kind) {
      case 'conflict':
        this.conflict = { currentEtag: result.currentEtag, currentVersion: result.currentVersion, comparing: false };
        await this.updateComplete;
        this.#dialog('conflict-dialog')?.showModal();
        break;
      case 'invalid':
        this.serverErrors = result.errors;
        this.#show({ tone: 'error', text: this.#m('refused', { n: result.errors.length }) });
        break;
      case 'unauthorized':
        if (result.status === 401) this.token = undefined;
        this.#show({ tone: 'error', text: this.#m('needAdmin') });
        this.#publishAfterSignIn = true;
        await this.#openSignIn();
        break;
      case 'network':
        this.#show({ tone: 'error', text: this.#m('notPublished'), retry: () => void this.publish() });
        break;
      default:
        this.#show({ tone: 'error', text: this.#m('notPublishedReason', { reason: `${result.status}: ${result.message}` }), retry: () => void this.publish() });
    }
  }

  #dialog(id: string): HTMLDialogElement | null {
    return this.renderRoot.querySelector<HTMLDialogElement>(`#${id}`);
  }

  async #openSignIn(): Promise<void> {
    let mode: 'element' | 'field' = 'field';
    try {
      await import('@consult-kit/elements/dist/sign-in/consult-sign-in.js');
      if (customElements.get('consult-sign-in')) mode = 'element';
    } catch (error) {
      console.warn('consult-studio: <consult-sign-in> could not load; offering a token field', error);
    }
    this.signingIn = mode;
    await this.updateComplete;
    const dialog = this.#dialog('sign-in-dialog');
    if (dialog && !dialog.open) dialog.showModal();
  }

  #closeSignIn(): void {
    this.#dialog('sign-in-dialog')?.close();
    this.signingIn = 'closed';
    this.#publishAfterSignIn = false;
  }

  #signedIn(token: TokenInput): void {
    this.token = token;
    const again = this.#publishAfterSignIn;
    this.#closeSignIn();
    if (again) void this.publish();
  }

  #onTokenSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).querySelector<HTMLInputElement>('input[name=token]');
    const value = input?.value.trim();
    if (value) this.#signedIn(value);
  };

  async #compareTheirs(): Promise<void> {
    const conflict = this.conflict;
    if (!conflict || !this.#base) return;
    const theirs = conflict.theirs ?? (await this.#fetchTheirs());
    if (theirs === undefined) return;
    this.conflict = { ...conflict, theirs, comparing: true, problem: undefined };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#conflict-dialog consult-studio-diff')?.shadowRoot?.querySelector<HTMLElement>('[role=region]')?.focus();
  }

  async #fetchTheirs(): Promise<Json | undefined> {
    const base = this.#base;
    if (!base || !this.conflict) return undefined;
    const result = await loadConfig(this.api, base.id);
    if (!result.ok) {
      this.conflict = { ...this.conflict, problem: result.kind === 'network' ? this.#m('networkFailed') : result.message };
      return undefined;
    }
    this.conflict = { ...this.conflict, currentEtag: result.etag ?? this.conflict.currentEtag, currentVersion: result.version ?? this.conflict.currentVersion, theirs: result.value };
    return result.value;
  }

  /** Loads the latest version into the editor; the draft is kept aside on the device and one undo away. */
  async #loadTheirs(): Promise<void> {
    const base = this.#base;
    if (!base || !this.conflict) return;
    const theirs = this.conflict.theirs ?? (await this.#fetchTheirs());
    if (theirs === undefined || !this.conflict) return;
    const mine = this.#draftRecord();
    if (mine) await this.drafts.put({ ...mine, key: `${KEPT_PREFIX}${base.id}` });
    const { currentEtag, currentVersion } = this.conflict;
    this.#base = { ...base, etag: currentEtag, version: currentVersion };
    this.doc.replace(theirs, { origin: 'import' });
    this.doc.markSaved();
    this.#dialog('conflict-dialog')?.close();
    this.conflict = undefined;
    this.#show({ tone: 'info', text: this.#m('loadedTheirs', { n: currentVersion ?? '?' }) });
  }

  #closeConflict(): void {
    this.#dialog('conflict-dialog')?.close();
    this.conflict = undefined;
  }

  // ── rendering ────────────────────────────────────────────────────────────

  #title(): string {
    const title = (this.doc.value as JsonObject | null)?.title;
    if (typeof title === 'string') return title;
    if (title && typeof title === 'object' && !Array.isArray(title)) {
      const text = title[this.locale] ?? title[this.locale === 'en' ? 'zh-CN' : 'en'];
      if (typeof text === 'string' && text) return text;
    }
    return this.#m('untitled');
  }

  #renderToolbar(): TemplateResult {
    const editing = this.phase === 'editing';
    const other: StudioLocale = this.locale === 'en' ? 'zh-CN' : 'en';
    return html`<div class="toolbar" part="toolbar">
      <h1>${editing ? this.#title() : this.#m('studio')}</h1>
      ${editing
        ? html`<span class="state muted">${this.doc.dirty ? this.#m('unsaved') : this.#m('upToDate')}${this.drafts.failed ? html` · ${this.#m('draftNotKept')}` : nothing}</span>
            <button type="button" data-action="undo" aria-label=${this.#m('undoShortcut')} aria-keyshortcuts="Control+Z Meta+Z" ?disabled=${!this.doc.canUndo} @click=${() => this.doc.undo()}>
              ${this.#m('undo')}
            </button>
            <button
              type="button"
              data-action="redo"
              aria-label=${this.#m('redoShortcut')}
              aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y"
              ?disabled=${!this.doc.canRedo}
              @click=${() => this.doc.redo()}
            >
              ${this.#m('redo')}
            </button>`
        : nothing}
      <button type="button" data-action="import" @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#file')?.click()}>${this.#m('import')}</button>
      <input id="file" class="visually-hidden" type="file" accept=".json,application/json" tabindex="-1" aria-hidden="true" @change=${this.#onFileChosen} />
      ${editing
        ? html`<button type="button" data-action="export" @click=${() => this.exportFile()}>${this.#m('export')}</button>
            <button type="button" class="primary" data-action="publish" ?disabled=${this.publishing} @click=${() => this.publish()}>
              ${this.publishing ? this.#m('publishing') : this.#m('publish')}
            </button>`
        : nothing}
      <button type="button" data-action="language" lang=${other} aria-label=${this.#m('switchLanguageLabel')} @click=${() => (this.lang = other)}>
        ${this.#m('switchLanguage')}
      </button>
    </div>`;
  }

  #renderNotice(): TemplateResult | typeof nothing {
    const notice = this.notice;
    if (!notice) return nothing;
    return html`<div class="notice ${notice.tone}" part="notice">
      <p>${notice.text}</p>
      ${notice.retry ? html`<button type="button" @click=${() => notice.retry?.()}>${this.#m('retry')}</button>` : nothing}
      <button type="button" class="dismiss" aria-label=${this.#m('close')} @click=${() => (this.notice = undefined)}>×</button>
    </div>`;
  }

  #renderTabs(list: readonly PaneEntry[], current: PaneId, label: string): TemplateResult {
    return html`<div role="tablist" aria-label=${label} part=${list === EDIT_PANES ? 'tabs' : 'side-tabs'} @keydown=${(e: KeyboardEvent) => this.#onTabKey(e, list, current)}>
      ${list.map(
        (p) => html`<button
          type="button"
          role="tab"
          id=${`tab-${p.id}`}
          aria-controls=${`panel-${p.id}`}
          aria-selected=${p.id === current ? 'true' : 'false'}
          tabindex=${p.id === current ? '0' : '-1'}
          @click=${() => this.#select(p.id)}
        >
          ${this.#m(TAB_KEYS[p.id])}
        </button>`,
      )}
    </div>`;
  }

  /**
   * Every panel is rendered, in tab order, always at the same place (a pane element that moved
   * between panels would be taken out of the page and put back, losing its focus and state);
   * a pane's content appears the first time its tab is shown.
   */
  #renderPanels(list: readonly PaneEntry[], current: PaneId): TemplateResult[] {
    return list.map((p) => {
      const status = this.#status.get(p.id);
      const pane = this.#panes.get(p.id);
      return html`<div role="tabpanel" id=${`panel-${p.id}`} aria-labelledby=${`tab-${p.id}`} class="panel" ?hidden=${p.id !== current} data-pane=${p.id}>
        ${status === 'failed'
          ? html`<div class="pane-failed">
              <p><strong>${this.#m('paneFailed')}</strong> ${this.#m('paneFailedHint')}</p>
              <button type="button" @click=${() => this.#retryPane(p.id)}>${this.#m('retry')}</button>
            </div>`
          : pane
            ? pane
            : status === 'loading' || p.id === current
              ? html`<p class="muted">${this.#m('paneLoading')}</p>`
              : nothing}
      </div>`;
    });
  }

  #renderEditing(): TemplateResult {
    return html`<div class="layout">
      <section class="editor" part="editor" aria-label=${this.#m('editingPanes')}>
        ${this.#renderTabs(EDIT_PANES, this.active, this.#m('editingPanes'))} ${this.#renderPanels(EDIT_PANES, this.active)}
      </section>
      <section class="side" part="side" aria-label=${this.#m('sidePanes')}>
        ${this.#renderTabs(SIDE_PANES, this.side, this.#m('sidePanes'))} ${this.#renderPanels(SIDE_PANES, this.side)}
      </section>
      <consult-studio-errors class="errors" part="errors" .doc=${this.doc} .serverErrors=${this.serverErrors}></consult-studio-errors>
    </div>`;
  }

  #idField(field: string, label: string): TemplateResult {
    const problem = this.idProblem[field];
    return html`<label for=${`id-${field}`}>${label}</label>
      <span class="hint muted" id=${`id-${field}-hint`}>${this.#m('programmeIdHint')}</span>
      ${problem ? html`<span class="field-error" id=${`id-${field}-error`}>${problem}</span>` : nothing}
      <input
        id=${`id-${field}`}
        name="id"
        autocomplete="off"
        spellcheck="false"
        aria-describedby=${`id-${field}-hint${problem ? ` id-${field}-error` : ''}`}
        aria-invalid=${problem ? 'true' : 'false'}
      />`;
  }

  #programmeTitle(p: ProgrammeSummary): string {
    if (typeof p.title === 'string') return p.title;
    return p.title?.[this.locale] ?? p.title?.[this.locale === 'en' ? 'zh-CN' : 'en'] ?? p.id;
  }

  #renderStart(): TemplateResult {
    const value = (form: HTMLFormElement, name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null)?.value.trim() ?? '';
    return html`<div class="start" part="start">
      <h2>${this.#m('startTitle')}</h2>
      <section aria-labelledby="start-server">
        <h3 id="start-server">${this.#m('serverProgrammes')}</h3>
        ${this.programmesProblem
          ? html`<div class="notice error">
              <p>${this.programmesProblem}</p>
              <button type="button" @click=${() => this.showStart()}>${this.#m('retry')}</button>
            </div>`
          : this.programmes === undefined
            ? html`<p class="muted">${this.#m('loading')}</p>`
            : this.programmes.length === 0
              ? html`<p>${this.#m('noProgrammes')}</p>`
              : html`<ul class="cards">
                  ${this.programmes.map(
                    (p) => html`<li>
                      <button type="button" data-open=${p.id} @click=${() => (this.programme = p.id)}>
                        <strong>${this.#programmeTitle(p)}</strong>
                        <span class="muted">${p.id}${p.version ? ` · ${p.version}` : ''}${p.level ? ` · ${this.#m('level', { level: levelName(p.level, this.locale) })}` : ''}</span>
                      </button>
                    </li>`,
                  )}
                </ul>`}
      </section>
      ${this.keptDrafts.length
        ? html`<section aria-labelledby="start-drafts">
            <h3 id="start-drafts">${this.#m('keptDrafts')}</h3>
            <ul class="cards">
              ${this.keptDrafts.map(
                (d) => html`<li>
                  <button type="button" data-draft=${d.key} @click=${() => this.#continueKept(d)}>${this.#m('continueNew', { id: d.key.replace(/^(new|kept):/, '') })}</button>
                </li>`,
              )}
            </ul>
          </section>`
        : nothing}
      <section aria-labelledby="start-template">
        <h3 id="start-template">${this.#m('newFromTemplate')}</h3>
        ${TEMPLATES.map(
          (t) => html`<form
            class="choice"
            data-template=${t.id}
            novalidate
            @submit=${(e: SubmitEvent) => {
              e.preventDefault();
              void this.#createFromTemplate(t.id, value(e.target as HTMLFormElement, 'id'));
            }}
          >
            <h4>${t.title[this.locale]}</h4>
            <p>${t.description[this.locale]}</p>
            ${this.#idField(`template-${t.id}`, this.#m('programmeId'))}
            <button type="submit" class="primary">${this.#m('create')}</button>
          </form>`,
        )}
      </section>
      ${this.programmes?.length
        ? html`<section aria-labelledby="start-copy">
            <h3 id="start-copy">${this.#m('copyExisting')}</h3>
            <form
              class="choice"
              data-copy
              novalidate
              @submit=${(e: SubmitEvent) => {
                e.preventDefault();
                const form = e.target as HTMLFormElement;
                void this.#copyExisting(value(form, 'from'), value(form, 'id'));
              }}
            >
              <label for="copy-from">${this.#m('copyFrom')}</label>
              <select id="copy-from" name="from">
                ${this.programmes.map((p) => html`<option value=${p.id}>${this.#programmeTitle(p)} (${p.id})</option>`)}
              </select>
              ${this.#idField('copy', this.#m('programmeId'))}
              <button type="submit">${this.#m('makeCopy')}</button>
            </form>
          </section>`
        : nothing}
      <section aria-labelledby="start-import">
        <h3 id="start-import">${this.#m('importTitle')}</h3>
        <p>${this.#m('importHint')}</p>
        <button type="button" data-action="import-start" @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#file')?.click()}>${this.#m('import')}</button>
      </section>
    </div>`;
  }

  #renderOffer(): TemplateResult {
    const offer = this.offer!;
    const when = new Date(offer.draft.savedAt);
    const text = Number.isNaN(when.getTime()) ? offer.draft.savedAt : new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(when);
    const draft = parseFile(offer.draft.text);
    return html`<div class="offer" part="start">
      <h2 id="offer-title">${this.#m('draftOfferTitle')}</h2>
      <p>${this.#m('draftOfferText', { when: text })}</p>
      <div class="actions">
        <button type="button" class="primary" data-action="continue-draft" @click=${() => this.continueDraft()}>${this.#m('continueDraft')}</button>
        <button type="button" data-action="discard-draft" @click=${() => this.discardDraft()}>${this.#m('discardDraft')}</button>
      </div>
      <consult-studio-diff
        .doc=${this.doc}
        .older=${offer.server}
        .newer=${draft.ok ? draft.value : offer.server}
        .olderLabel=${this.#m('theirsUnknown')}
        .newerLabel=${this.#m('yours')}
      ></consult-studio-diff>
    </div>`;
  }

  #renderConflict(): TemplateResult {
    const c = this.conflict;
    const n = c?.currentVersion;
    return html`<dialog id="conflict-dialog" aria-labelledby="conflict-title" @close=${() => (this.conflict = undefined)}>
      ${c
        ? html`<h2 id="conflict-title">${n !== undefined ? this.#m('conflictTitle', { n }) : this.#m('conflictTitleUnknown')}</h2>
            <p>${this.#m('conflictText')}</p>
            ${c.problem ? html`<p class="field-error">${c.problem}</p>` : nothing}
            <div class="actions">
              <button type="button" data-action="compare" @click=${() => this.#compareTheirs()}>${this.#m('compare')}</button>
              <button type="button" class="primary" data-action="load-theirs" @click=${() => this.#loadTheirs()}>${this.#m('loadTheirs')}</button>
              <button type="button" data-action="close-conflict" @click=${() => this.#closeConflict()}>${this.#m('close')}</button>
            </div>
            ${c.comparing && c.theirs !== undefined
              ? html`<consult-studio-diff
                  .doc=${this.doc}
                  .older=${c.theirs}
                  .newer=${this.doc.value}
                  .olderLabel=${n !== undefined ? this.#m('theirs', { n }) : this.#m('theirsUnknown')}
                  .newerLabel=${this.#m('yours')}
                ></consult-studio-diff>`
              : nothing}`
        : nothing}
    </dialog>`;
  }

  #renderSignIn(): TemplateResult {
    return html`<dialog
      id="sign-in-dialog"
      aria-labelledby="sign-in-title"
      @close=${() => {
        this.signingIn = 'closed';
        this.#publishAfterSignIn = false;
      }}
    >
      <h2 id="sign-in-title">${this.#m('signInTitle')}</h2>
      ${this.signingIn === 'element'
        ? html`<consult-sign-in
            lang=${this.locale}
            endpoint=${this.endpoint || '/api'}
            .fetch=${this.fetch}
            @consult-signed-in=${(e: CustomEvent<{ token: TokenInput }>) => this.#signedIn(e.detail.token)}
          ></consult-sign-in>`
        : this.signingIn === 'field'
          ? html`<form class="token-form" @submit=${this.#onTokenSubmit}>
              <label for="token">${this.#m('tokenLabel')}</label>
              <span class="hint muted" id="token-hint">${this.#m('tokenHint')}</span>
              <input id="token" name="token" type="password" autocomplete="off" aria-describedby="token-hint" />
              <button type="submit" class="primary">${this.#m('useToken')}</button>
            </form>`
          : nothing}
      <div class="actions">
        <button type="button" data-action="cancel-sign-in" @click=${() => this.#closeSignIn()}>${this.#m('cancel')}</button>
      </div>
    </dialog>`;
  }

  protected override render(): TemplateResult {
    let body: TemplateResult;
    if (this.phase === 'editing') body = this.#renderEditing();
    else if (this.phase === 'draft-offer' && this.offer) body = this.#renderOffer();
    else if (this.phase === 'loading') body = html`<div class="start"><p>${this.#m('loading')}</p></div>`;
    else if (this.phase === 'load-failed')
      body = html`<div class="start">
        <button type="button" data-action="back" @click=${() => (this.programme = undefined)}>${this.#m('backToStart')}</button>
      </div>`;
    else body = this.#renderStart();
    return html`<div class="studio ${this.dragging ? 'dragging' : ''}" lang=${this.locale}>
      ${this.#renderToolbar()} ${this.#renderNotice()} ${body} ${this.#renderConflict()} ${this.#renderSignIn()}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-live>${this.announcement}</div>
      ${this.dragging ? html`<div class="drop-hint" aria-hidden="true">${this.#m('dropHere')}</div>` : nothing}
    </div>`;
  }
}
