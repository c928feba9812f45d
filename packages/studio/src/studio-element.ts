/**
 * The base of the studio's panes: the document (from the enclosing `<consult-studio>` through
 * @lit/context, or set as the `doc` property in a story or test), a re-render on every change of
 * it, the language (the nearest `lang`, through shadow roots), and `focusPointer`, which the shell
 * calls when a person clicks an error.
 */
import { LitElement } from 'lit';
import { ContextConsumer } from '@lit/context';
import { documentContext } from './context.js';
import type { ChangeDetail, StudioDocument } from './document.js';
import { localeOf, translate, type Messages, type StudioLocale } from './i18n.js';
import { isWithin } from './pointer.js';

/** Finds, through open shadow roots, the element with the longest `data-pointer` that contains `pointer`. */
export function controlFor(root: ParentNode, pointer: string): HTMLElement | undefined {
  let best: HTMLElement | undefined;
  let bestLength = -1;
  const visit = (node: ParentNode) => {
    for (const el of node.querySelectorAll<HTMLElement>('*')) {
      const own = el.dataset?.pointer;
      if (own !== undefined && isWithin(pointer, own) && own.length > bestLength) {
        best = el;
        bestLength = own.length;
      }
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(root);
  return best;
}

export class StudioElement extends LitElement {
  static override properties = {
    doc: { attribute: false },
  };

  /** The document this pane edits. */
  declare doc: StudioDocument | undefined;

  #listening: StudioDocument | undefined;
  #onChange = (event: Event) => this.documentChanged((event as CustomEvent<ChangeDetail>).detail);

  constructor() {
    super();
    new ContextConsumer(this, {
      context: documentContext,
      subscribe: true,
      callback: (doc) => {
        if (doc) this.doc = doc;
      },
    });
  }

  /** The language of this pane. */
  get locale(): StudioLocale {
    return localeOf(this);
  }

  /** A message of this pane's catalogue in its language. */
  protected msg<K extends string>(messages: Messages<K>, key: K, params?: Record<string, string | number>): string {
    return translate(messages, this.locale, key, params);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#listen();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#listening?.removeEventListener('change', this.#onChange);
    this.#listening = undefined;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    if (changed.has('doc')) this.#listen();
  }

  #listen(): void {
    if (this.#listening === this.doc || !this.isConnected) return;
    this.#listening?.removeEventListener('change', this.#onChange);
    this.#listening = this.doc;
    this.#listening?.addEventListener('change', this.#onChange);
  }

  /** Called after every change of the document; re-renders by default. */
  protected documentChanged(_detail: ChangeDetail): void {
    this.requestUpdate();
  }

  /**
   * Brings the control that edits `pointer` (or its nearest ancestor node) into view and focuses
   * it: opens what must be open first (a field's details, a page), waits for the render, then
   * focuses the element with the longest matching `data-pointer`. False when this pane has none.
   */
  async focusPointer(pointer: string): Promise<boolean> {
    await this.revealPointer(pointer);
    await this.updateComplete;
    const control = controlFor(this.renderRoot, pointer);
    if (!control) return false;
    control.scrollIntoView({ block: 'center' });
    control.focus();
    return true;
  }

  /** Opens whatever hides the control of `pointer` (a collapsed field, another page). Override. */
  protected async revealPointer(_pointer: string): Promise<void> {}
}
