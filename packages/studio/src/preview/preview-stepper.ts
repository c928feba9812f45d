/**
 * `<consult-studio-preview-stepper>`: the resident's status stepper for a config, drawn by the
 * preview. `<consult-my-topics>` lists the topics of a real store, so the preview cannot show it
 * for a config being edited; this element draws the same steps instead: `topicProgress` (the
 * resident's own mapping, packages/elements/src/my-topics/progress.ts) of a sample topic just
 * raised under the config, in the resident's words (the my-topics catalogue) and with the
 * stepper's own styles.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { newTopic, type WorkflowConfig } from '@consult-kit/machine';
import { topicProgress, type ProgressStep } from '@consult-kit/elements/dist/my-topics/progress.js';
import { myTopicsStyles } from '@consult-kit/elements/dist/my-topics/my-topics.styles.js';
import { hostStyles } from '@consult-kit/elements/dist/styles/tokens.js';
import { messages as mineEn } from '@consult-kit/elements/dist/i18n/en/my-topics.js';
import { messages as mineZh } from '@consult-kit/elements/dist/i18n/zh-CN/my-topics.js';
import { studioLocale, type StudioLocale } from '../i18n.js';

type MineKey = keyof typeof mineEn;
const MINE: Record<StudioLocale, Record<MineKey, string>> = { 'zh-CN': mineZh, en: mineEn };

/** The steps a resident sees for a topic just raised under `config`. */
export function sampleSteps(config: WorkflowConfig): ProgressStep[] {
  return topicProgress(newTopic(config, 'preview-sample'), Date.parse('2026-03-01T00:00:00Z')).steps;
}

/**
 * @summary The resident's progress steps of a sample topic, for the studio's preview.
 * @tag consult-studio-preview-stepper
 * @attr lang - `zh-CN` or `en`: the words of the steps.
 * @attr large-text - Larger text, as the resident's large-text mode.
 * @csspart stepper - The ordered list of steps.
 * @csspart step - One step.
 */
export class ConsultStudioPreviewStepper extends LitElement {
  static override styles = [
    hostStyles,
    myTopicsStyles,
    css`
      :host {
        display: block;
      }
    `,
  ];

  static override properties = {
    config: { attribute: false },
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    label: {},
  };

  /** The config whose steps are shown. */
  declare config: WorkflowConfig | undefined;
  declare largeText: boolean;
  /** The list's accessible name. */
  declare label: string;

  #steps: ProgressStep[] = [];
  #stepsOf: WorkflowConfig | undefined;

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang' && old !== value) this.requestUpdate();
  }

  constructor() {
    super();
    this.config = undefined;
    this.largeText = false;
    this.label = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('config') && this.config !== this.#stepsOf) {
      this.#stepsOf = this.config;
      try {
        this.#steps = this.config ? sampleSteps(this.config) : [];
      } catch {
        this.#steps = [];
      }
    }
  }

  override render() {
    const locale = studioLocale(this.getAttribute('lang')) ?? 'zh-CN';
    const words = MINE[locale];
    if (this.#steps.length === 0) return nothing;
    return html`<ol class="stepper" part="stepper" aria-label=${this.label}>
      ${this.#steps.map(
        (step) => html`<li class="step step--${step.status}" part="step" aria-current=${ifDefined(step.status === 'current' ? 'step' : undefined)}>
          <span class="marker" aria-hidden="true">${step.status === 'done' ? '✓' : step.status === 'current' ? '●' : ''}</span>
          <div class="step-body">
            <p class="step-title">
              <span class="step-name">${step.label ? step.label[locale] : words[`mine.step.${step.key}` as MineKey]}</span>
              <span class="step-status">${words[`mine.status.${step.status}` as MineKey]}</span>
            </p>
          </div>
        </li>`,
      )}
    </ol>`;
  }
}

/**
 * Defines the element (once). Called by the preview's module, so no bundler drops it as an
 * import kept only for its side effects (the package's `sideEffects` lists the shell's entry only).
 */
export function defineStepper(): void {
  if (!customElements.get('consult-studio-preview-stepper')) customElements.define('consult-studio-preview-stepper', ConsultStudioPreviewStepper);
}

declare global {
  interface HTMLElementTagNameMap {
    'consult-studio-preview-stepper': ConsultStudioPreviewStepper;
  }
}
