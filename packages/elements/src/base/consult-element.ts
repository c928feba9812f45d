/**
 * The base of every consult-kit element: a guarded `define` (a second copy of the library, or a
 * second define, never throws), per-element language (`lang`, zh-CN by default) and `dir`, the
 * message catalogue (the parts an element declares, loaded in its language before it renders),
 * and an error boundary that reports through `consult-error` instead of throwing into the host page.
 */
import { LitElement, type PropertyValues } from 'lit';
import type { LocalizedText } from '@consult-kit/machine/core';
import { DEFAULT_LOCALE, format, langOf, normalizeLocale, type Locale } from '../i18n/locale.js';
import type { MessageKey } from '../i18n/keys.js';
import { anyFailed, forgetFailures, load, lookup, partOf, settled, type CataloguePart } from '../i18n/catalogue.js';
import { corePart } from '../i18n/parts.js';
import { ConsultErrorEvent } from '../events/consult-events.js';

/**
 * Registers a tag once. Another copy of consult-kit (or a second call) leaves the first
 * definition in place instead of throwing `NotSupportedError`.
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  try {
    if (!customElements.get(tag)) customElements.define(tag, ctor);
  } catch (error) {
    // A race with another copy defining the same tag between get() and define(): harmless.
    if (!customElements.get(tag)) console.error(`consult-kit: could not define <${tag}>`, error);
  }
}

/** Every connected consult-kit element, told when the page's `<html lang>` changes. */
const connected = new Set<ConsultElement>();
let pageObserver: MutationObserver | undefined;

/**
 * One observer for the page's language, shared by every element of this copy of consult-kit: each
 * re-renders, loading its parts in the new language first. Back online, parts that failed to load
 * are tried again.
 */
function watchPageLanguage(): void {
  if (pageObserver) return;
  pageObserver = new MutationObserver(() => {
    forgetFailures();
    for (const element of connected) element.requestUpdate();
  });
  pageObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  window.addEventListener('online', () => {
    if (!anyFailed()) return;
    forgetFailures();
    for (const element of connected) element.requestUpdate();
  });
}

/** Keys already warned about, per tag: a key read from a part the element does not declare. */
const undeclaredWarned = new Set<string>();

/**
 * @attr dev - For a city developer: check the config in this browser even when the server vouches for it (loads the checker).
 * @attr lang - The language of this element and the consult-kit elements inside it: `zh-CN` or `en`. Without it, the nearest ancestor's `lang`, then the page's, then zh-CN. Its messages load the first time it is used.
 * @event consult-error - Something failed inside the element (a config that cannot load, a render
 * error, storage trouble); `detail` has `code`, a readable `message` and the `error`.
 */
export class ConsultElement extends LitElement {
  static override properties = {
    dir: { reflect: true },
    dev: { type: Boolean },
  };

  /** Text direction; both supported languages are left-to-right. */
  declare dir: string;
  /**
   * For a city developer: check the config in this browser even when the city's server vouches
   * for it (`Consult-Config-Checked`), so every fault shows with its pointer. Loads the checker.
   */
  declare dev: boolean;

  constructor() {
    super();
    this.dir = 'ltr';
  }

  /** The language in force: this element's `lang`, the nearest ancestor's, or zh-CN. */
  get locale(): Locale {
    return normalizeLocale(langOf(this)) ?? normalizeLocale(document.documentElement.lang) ?? DEFAULT_LOCALE;
  }

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    // Re-render when `lang` changes on this element (the common way a portal switches language),
    // and with it every consult-kit element inside, which take their language from this one. At
    // once, not from an observer's microtask: `updateComplete` read right after the change is the
    // update that waits for the new language's parts.
    if (name === 'lang' && old !== value) this.languageChanged();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    connected.add(this);
    watchPageLanguage();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    connected.delete(this);
  }

  /**
   * The parts of the catalogue this element shows (each loaded in its language before it renders);
   * an element inside this one declares its own. The core part is always loaded.
   */
  static catalogues: readonly CataloguePart[] = [corePart];

  /** This element's parts: its class's `catalogues`, with the core part. */
  private get catalogueParts(): readonly CataloguePart[] {
    const parts = (this.constructor as typeof ConsultElement).catalogues;
    return parts.includes(corePart) ? parts : [corePart, ...parts];
  }

  /**
   * Renders once this element's parts are loaded in its language: at once (synchronously, as Lit
   * does) when they are; otherwise after loading them, so `updateComplete` still resolves after the
   * real render. A part that cannot load is reported and the element renders with what it has (the
   * other language, or the key), never a blank box.
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    if (settled(this.locale, this.catalogueParts)) return super.scheduleUpdate();
    return this.loadCatalogues().then(() => super.scheduleUpdate());
  }

  /** Loads this element's parts in its language (again, if the language changed meanwhile); never throws. */
  private async loadCatalogues(): Promise<void> {
    for (let locale = this.locale; ; locale = this.locale) {
      try {
        await load(locale, this.catalogueParts);
      } catch (error) {
        this.report('messages-failed', error);
      }
      if (settled(this.locale, this.catalogueParts)) return;
    }
  }

  /** Re-renders this element and the consult-kit elements in its shadow root, all the way down (each loading its parts in the new language first). */
  languageChanged(): void {
    forgetFailures();
    this.requestUpdate();
    this.innerLanguageChanged();
    // Again once this element has rendered in the new language: the elements inside read their
    // language from its markup (`lang` on its wrapper), which changes only then — later than now
    // when this element first had to load the new language's messages.
    void this.updateComplete.then(() => this.innerLanguageChanged());
  }

  private innerLanguageChanged(): void {
    const root = this.renderRoot;
    if (!(root instanceof ShadowRoot)) return;
    for (const inner of root.querySelectorAll('*')) {
      if (inner instanceof ConsultElement && !inner.hasAttribute('lang')) inner.languageChanged();
    }
  }

  /** A catalogue message in this element's language. */
  protected t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
    return format(this.rawMessage(key), params);
  }

  /**
   * A catalogue message with its `{name}` placeholders left in: in this element's language, else
   * the other language if only that is loaded (a part that failed to load), else the key itself.
   */
  protected rawMessage(key: MessageKey): string {
    const found = lookup(this.locale, key);
    if (found === undefined) return key;
    const part = partOf(key);
    if (part && !this.catalogueParts.includes(part) && !undeclaredWarned.has(`${this.localName} ${part.name}`)) {
      undeclaredWarned.add(`${this.localName} ${part.name}`);
      console.warn(`consult-kit <${this.localName}>: “${key}” is in the “${part.name}” part of the catalogue, which this element does not declare in its static catalogues; it shows only because another element loaded it.`);
    }
    return found;
  }

  /** Whether the catalogue (as loaded) has `key`: for keys made from data, such as a role's name. */
  protected hasMessage(key: string): key is MessageKey {
    return lookup(this.locale, key) !== undefined;
  }

  /** A config text (zh-CN and en) in this element's language. */
  protected text(value: LocalizedText | undefined, fallback = ''): string {
    return value?.[this.locale] ?? fallback;
  }

  /** Reports a failure: fires `consult-error`, logs it, and never throws. */
  protected report(code: string, error: unknown, message?: string): void {
    const detail = error instanceof Error ? error.message : String(error);
    // Without the core part (it could not load), the error's own words rather than a bare key.
    const text = message ?? (this.hasMessage('common.error') ? this.t('common.error', { message: detail }) : detail);
    console.error(`consult-kit <${this.localName}>: ${code}`, error);
    try {
      this.dispatchEvent(new ConsultErrorEvent({ code, message: text, error }));
    } catch {
      /* a listener threw: it is the host's, not ours to rethrow */
    }
  }

  /** Errors in rendering are caught at the element boundary. */
  protected override update(changed: PropertyValues): void {
    try {
      super.update(changed);
    } catch (error) {
      this.report('render-failed', error);
    }
  }
}
