import { css, html, nothing } from 'lit';
import type { WorkflowConfig } from '@consult-kit/machine';
import '@consult-kit/elements/dist/topic-form/consult-topic-form.js';
import { translate, type StudioLocale } from '../i18n.js';
import { StudioElement } from '../studio-element.js';
import { sidePaneStyles, studioStyles } from '../styles.js';
import { defineStepper } from './preview-stepper.js';
import { PreviewStore } from './preview-store.js';
import { previewMessages } from './preview.messages.js';

defineStepper();

type PreviewKey = keyof (typeof previewMessages)['en'];

export type PreviewWidth = 'phone' | 'desktop';

/** The widths a preview is shown at (CSS pixels). */
export const PREVIEW_WIDTHS: Readonly<Record<PreviewWidth, number>> = { phone: 390, desktop: 1024 };

/**
 * @summary The studio's live preview: the real `<consult-topic-form>` built from the config being
 * edited, and the resident's progress steps for it, in either language, in large-text mode, at
 * phone (390 px) or desktop (1024 px, scrolling sideways in a narrow pane) width. While the config
 * has problems it shows the last config without any, and says so. It never sends anything: the form
 * gets an in-memory store that refuses every submission with "预览，未提交 / Preview: not sent".
 *
 * The form and the steps are the same elements from one change to the next (their `config` is
 * set, they are not re-created per keystroke).
 *
 * @tag consult-studio-preview
 *
 * @attr lang - Language of the pane's own controls: `zh-CN` (default, or the nearest ancestor's `lang`) or `en`. The previewed language is chosen in the pane.
 *
 * @csspart base - The pane's wrapper.
 * @csspart controls - The preview settings (language, large text, width).
 * @csspart note - A note above the preview (showing the last config without problems; not sent).
 * @csspart viewport - The scrolling box around the previewed page.
 * @csspart frame - The previewed page at the chosen width.
 */
export class ConsultStudioPreview extends StudioElement {
  static override styles = [
    studioStyles,
    sidePaneStyles,
    css`
      :host {
        display: block;
        min-width: 0;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.5rem;
        align-items: center;
        margin: 0;
        padding: 0.5rem 0.75rem;
        border: 1px solid var(--studio-line);
        border-radius: 4px;
      }
      .controls fieldset {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        margin: 0;
        padding: 0;
        border: 0;
      }
      .controls legend {
        float: left;
        margin-inline-end: 0.75rem;
        font-weight: 600;
      }
      .controls label {
        display: inline-flex;
        align-items: center;
        gap: 0.375rem;
        min-height: 44px;
      }
      .note {
        padding: 0.5rem 0.75rem;
        border-left: 6px solid var(--studio-accent);
        background: var(--studio-panel);
      }
      .note.warning {
        border-left-color: var(--studio-error);
      }
      .viewport {
        overflow: auto;
        max-width: 100%;
        border: 2px solid var(--studio-line);
        border-radius: 4px;
        background: var(--studio-panel);
      }
      .frame {
        display: grid;
        gap: 1rem;
        margin: 0 auto;
        padding: 1rem;
        background: var(--studio-bg);
      }
      .frame.phone {
        width: 390px;
      }
      .frame.desktop {
        width: 1024px;
      }
      @media (forced-colors: active) {
        .note,
        .note.warning {
          border-left-color: CanvasText;
        }
      }
    `,
  ];

  static override properties = {
    ...StudioElement.properties,
    previewLocale: { attribute: false },
    largeText: { attribute: false },
    width: { attribute: false },
  };

  /** The language previewed (default: the pane's own). */
  declare previewLocale: StudioLocale | undefined;
  /** Large-text mode of the previewed elements. */
  declare largeText: boolean;
  /** The previewed width. */
  declare width: PreviewWidth;

  #store: PreviewStore | undefined;
  #attempted = false;

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  constructor() {
    super();
    this.previewLocale = undefined;
    this.largeText = false;
    this.width = 'phone';
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' && old !== value) this.requestUpdate();
  }

  /** The language shown in the preview. */
  get shownLocale(): StudioLocale {
    return this.previewLocale ?? this.locale;
  }

  /** The config shown: the current one when it has no problems, else the last one without. */
  #shown(): { config: WorkflowConfig | undefined; lastGood: boolean } {
    // The document's last good config is its current one while it has no problems.
    return { config: this.doc?.lastGoodConfig, lastGood: (this.doc?.errors.length ?? 0) > 0 };
  }

  #storeFor(config: WorkflowConfig): PreviewStore {
    if (!this.#store) {
      this.#store = new PreviewStore(
        config,
        () => this.msg(previewMessages, 'notSent'),
        () => {
          this.#attempted = true;
          this.requestUpdate();
        },
      );
    }
    this.#store.config = config;
    return this.#store;
  }

  protected override updated(): void {
    // The store is set here rather than bound in the template: lit-analyzer cannot match the
    // store's type across the elements' declaration files (the same type, reported unassignable).
    const form = this.renderRoot.querySelector('consult-topic-form');
    const { config } = this.#shown();
    if (form && config) {
      const store = this.#storeFor(config);
      if (form.store !== store) form.store = store;
    }
  }

  override render() {
    const { config, lastGood } = this.#shown();
    const shown = this.shownLocale;
    const m = (key: PreviewKey, params?: Record<string, string | number>) => this.msg(previewMessages, key, params);
    // The previewed page's own headings are in the previewed language.
    const inPreview = (key: PreviewKey) => translate(previewMessages, shown, key);
    return html`<section class="pane" part="base" aria-labelledby="preview-title">
      <h2 id="preview-title">${m('title')}</h2>
      <p class="muted">${m('intro')}</p>
      <fieldset class="controls" part="controls">
        <legend class="visually-hidden">${m('controls')}</legend>
        <fieldset>
          <legend>${m('language')}</legend>
          ${(['zh-CN', 'en'] as const).map(
            (locale) => html`<label
              ><input
                type="radio"
                name="preview-language"
                .checked=${shown === locale}
                @change=${() => (this.previewLocale = locale)}
              /><span lang=${locale}>${m(`language.${locale}`)}</span></label
            >`,
          )}
        </fieldset>
        <label
          ><input type="checkbox" .checked=${this.largeText} @change=${(e: Event) => (this.largeText = (e.target as HTMLInputElement).checked)} />${m(
            'largeText',
          )}</label
        >
        <fieldset>
          <legend>${m('width')}</legend>
          ${(['phone', 'desktop'] as const).map(
            (width) => html`<label
              ><input type="radio" name="preview-width" .checked=${this.width === width} @change=${() => (this.width = width)} />${m(`width.${width}`)}</label
            >`,
          )}
        </fieldset>
      </fieldset>
      ${lastGood && config ? html`<p class="note warning" part="note">${m('lastGood', { count: this.doc?.errors.length ?? 0 })}</p>` : nothing}
      ${this.#attempted ? html`<p class="note" part="note">${m('notSentNote')}</p>` : nothing}
      ${config
        ? html`<div class="viewport" part="viewport" tabindex="0" role="region" aria-label=${m('frame', { width: m(`width.${this.width}`) })}>
            <div class="frame ${this.width}" part="frame" lang=${shown}>
              <h3>${inPreview('formHeading')}</h3>
              <consult-topic-form
                lang=${shown}
                .largeText=${this.largeText}
                .config=${config}
                @consult-refused=${() => {
                  this.#attempted = true;
                  this.requestUpdate();
                }}
              ></consult-topic-form>
              <h3>${inPreview('stepperHeading')}</h3>
              <p>${inPreview('stepperIntro')}</p>
              <consult-studio-preview-stepper
                lang=${shown}
                .largeText=${this.largeText}
                .config=${config}
                .label=${inPreview('stepperHeading')}
              ></consult-studio-preview-stepper>
            </div>
          </div>`
        : html`<p class="note warning" part="note">${m('noConfig')}</p>`}
    </section>`;
  }
}
