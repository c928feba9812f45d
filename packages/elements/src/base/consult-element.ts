/**
 * The base of every consult-kit element: a guarded `define` (a second copy of the library, or a
 * second define, never throws), per-element language (`lang`, zh-CN by default) and `dir`, the
 * message catalogue, and an error boundary that reports through `consult-error` instead of
 * throwing into the host page.
 */
import { LitElement, type PropertyValues } from 'lit';
import type { LocalizedText } from '@consult-kit/machine';
import { DEFAULT_LOCALE, format, langOf, normalizeLocale, type Locale } from '../i18n/locale.js';
import { MESSAGES, type MessageKey } from '../i18n/messages.js';
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

/** One observer for the page's language, shared by every element of this copy of consult-kit. */
function watchPageLanguage(): void {
  if (pageObserver) return;
  pageObserver = new MutationObserver(() => {
    for (const element of connected) element.requestUpdate();
  });
  pageObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
}

/**
 * @event consult-error - Something failed inside the element (a config that cannot load, a render
 * error, storage trouble); `detail` has `code`, a readable `message` and the `error`.
 */
export class ConsultElement extends LitElement {
  static override properties = {
    dir: { reflect: true },
  };

  /** Text direction; both supported languages are left-to-right. */
  declare dir: string;

  constructor() {
    super();
    this.dir = 'ltr';
  }

  /** The language in force: this element's `lang`, the nearest ancestor's, or zh-CN. */
  get locale(): Locale {
    return normalizeLocale(langOf(this)) ?? normalizeLocale(document.documentElement.lang) ?? DEFAULT_LOCALE;
  }

  private langObserver: MutationObserver | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-render when `lang` changes on this element (the common way a portal switches language),
    // and with it every consult-kit element inside, which take their language from this one.
    this.langObserver = new MutationObserver(() => this.languageChanged());
    this.langObserver.observe(this, { attributes: true, attributeFilter: ['lang'] });
    connected.add(this);
    watchPageLanguage();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.langObserver?.disconnect();
    connected.delete(this);
  }

  /** Re-renders this element and the consult-kit elements in its shadow root, all the way down. */
  languageChanged(): void {
    this.requestUpdate();
    const root = this.renderRoot;
    if (!(root instanceof ShadowRoot)) return;
    for (const inner of root.querySelectorAll('*')) {
      if (inner instanceof ConsultElement && !inner.hasAttribute('lang')) inner.languageChanged();
    }
  }

  /** A catalogue message in this element's language. */
  protected t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
    return format(MESSAGES[this.locale][key], params);
  }

  /** A config text (zh-CN and en) in this element's language. */
  protected text(value: LocalizedText | undefined, fallback = ''): string {
    return value?.[this.locale] ?? fallback;
  }

  /** Reports a failure: fires `consult-error`, logs it, and never throws. */
  protected report(code: string, error: unknown, message?: string): void {
    const text = message ?? this.t('common.error', { message: error instanceof Error ? error.message : String(error) });
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
