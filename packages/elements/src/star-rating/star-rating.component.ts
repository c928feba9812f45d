import { html, svg, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { LocalizedText, ProgrammeActorRef } from '@consult-kit/machine/core';
import { ConsultFormElement } from '../base/form-element.js';
import { programmeContext } from '../context/consultation-context.js';
import { ActorController } from '../controllers/actor-controller.js';
import type { Locale } from '../i18n/locale.js';
import { hostStyles } from '../styles/tokens.js';
import { starRatingStyles } from './star-rating.styles.js';

/** Labels for a five-star scale when neither the config nor the page gives any. */
const FIVE_STAR_LABELS: Readonly<Record<Locale, readonly string[]>> = {
  'zh-CN': ['非常不满意', '不满意', '一般', '满意', '非常满意'],
  en: ['Very dissatisfied', 'Dissatisfied', 'Neither', 'Satisfied', 'Very satisfied'],
};

let instances = 0;

const STAR_PATH = 'M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z';

/**
 * @tag consult-star-rating
 * @summary A satisfaction rating (满意度评价) that a plain `<form>` submits: native radios in a
 * fieldset with a legend, a label per star, arrow keys to move. In `readonly` mode it shows an
 * average and a count instead ("4.3 out of 5, 128 ratings"), or, with `label`, a grade in the
 * host's words ("3 of 5 stars", a room's star grade) without a count.
 *
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`: the captions and the legend's default.
 *
 * @event input - The person chose a star (native, from the radio).
 * @event change - The person chose a star (re-fired from the host, since a radio's `change` does not cross the shadow root).
 *
 * @slot symbol - An element (e.g. an `<svg>`) drawn in place of each star; it is cloned per star, never parsed from a string.
 *
 * @csspart base - The fieldset (or the read-only wrapper).
 * @csspart legend - The legend.
 * @csspart star - Each star's label.
 * @csspart caption - The text under each star.
 * @csspart chosen - The text naming the chosen star.
 * @csspart average - The read-only summary.
 *
 * @cssproperty --star-size - Size of a star (default 2.25 × `--consult-font-size`, scaled in large-text mode).
 * @cssproperty --star-color - Colour of a chosen star (contrast ≥ 3:1 on the background).
 * @cssproperty --star-empty-color - Outline colour of an empty star.
 * @cssproperty --star-gap - Space between stars.
 */
export class ConsultStarRating extends ConsultFormElement {
  static override styles = [hostStyles, starRatingStyles];

  static override properties = {
    ...ConsultFormElement.properties,
    value: { type: Number },
    scale: { type: Number },
    labels: { attribute: false },
    legend: {},
    readonly: { type: Boolean, reflect: true },
    average: { type: Number },
    count: { type: Number },
    label: {},
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    hideCaptions: { type: Boolean, attribute: 'hide-captions' },
  };

  /** The chosen number of stars; 0 when none is chosen. */
  declare value: number;
  /** Number of stars; inside `<consult-workflow>` the config's evaluation scale is used when this is not set. */
  declare scale: number | undefined;
  /** One label per star, lowest first: plain strings, or zh-CN/en pairs from a config. */
  declare labels: ReadonlyArray<string | LocalizedText> | undefined;
  /** The question, shown as the fieldset's legend; defaults to the catalogue's. */
  declare legend: string | undefined;
  /** Show an average instead of asking (with `average` and `count`). */
  declare readonly: boolean;
  /** The average to show in read-only mode. */
  declare average: number | undefined;
  /** How many ratings the average is of. */
  declare count: number;
  /**
   * Read-only mode: the words shown and announced instead of "average out of scale, count
   * ratings" (e.g. a room's star grade, "3 of 5 stars"). With it the stars are drawn from
   * `average` whatever `count` is.
   */
  declare label: string | undefined;
  /** Larger text and stars for older residents. */
  declare largeText: boolean;
  /** Leave out the text under each star (the labels stay for assistive technology). */
  declare hideCaptions: boolean;
  /** The slotted symbol, cloned per star. */
  private symbol: Element | undefined;

  private readonly group = `consult-star-${(instances += 1)}`;
  private defaultValue = 0;
  private readonly evaluation = new ActorController<
    ReturnType<ProgrammeActorRef['getSnapshot']>,
    { scale: number; starLabels?: LocalizedText[] } | undefined
  >(this, (s) => s.context.config.step.evaluation);

  constructor() {
    super();
    this.value = 0;
    this.scale = undefined;
    this.labels = undefined;
    this.legend = undefined;
    this.readonly = false;
    this.average = undefined;
    this.count = 0;
    this.label = undefined;
    this.largeText = false;
    this.hideCaptions = false;
    new ContextConsumer(this, {
      context: programmeContext,
      subscribe: true,
      callback: (actor) => this.evaluation.setActor(actor),
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.defaultValue = Number(this.getAttribute('value') ?? 0) || 0;
  }

  private get stars(): number {
    const n = this.scale ?? this.evaluation.value?.scale ?? 5;
    return Number.isInteger(n) && n >= 2 && n <= 10 ? n : 5;
  }

  private labelOf(n: number): string {
    const given = this.labels?.[n - 1] ?? this.evaluation.value?.starLabels?.[n - 1];
    if (typeof given === 'string') return given;
    if (given) return this.text(given);
    if (this.stars === 5) return FIVE_STAR_LABELS[this.locale][n - 1]!;
    return this.t('rating.star', { n });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('value') || changed.has('required') || changed.has('disabled') || changed.has('readonly')) {
      const value = Number.isInteger(this.value) && this.value >= 1 && this.value <= this.stars ? this.value : 0;
      this.setFormValue(this.readonly || value === 0 ? null : String(value));
    }
  }

  protected override updated(): void {
    const missing = this.required && !this.readonly && !this.disabled && !(this.value >= 1);
    const anchor = this.renderRoot.querySelector<HTMLInputElement>('input') ?? undefined;
    this.setValidity({ valueMissing: missing }, missing ? this.t('rating.required') : undefined, anchor);
  }

  private onChange(event: Event): void {
    event.stopPropagation();
    this.value = Number((event.target as HTMLInputElement).value);
    this.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }

  private onSlotChange(event: Event): void {
    this.symbol = (event.target as HTMLSlotElement).assignedElements()[0];
    this.requestUpdate();
  }

  private starSymbol(kind: 'full' | 'half' | 'empty' = 'empty'): TemplateResult | Node {
    if (this.symbol) return this.symbol.cloneNode(true);
    return html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      ${kind === 'half'
        ? svg`<clipPath id="${this.group}-half"><rect x="0" y="0" width="12" height="24"></rect></clipPath>
            <path class="fill" d=${STAR_PATH} clip-path="url(#${this.group}-half)" stroke="none"></path>`
        : nothing}
      <path d=${STAR_PATH}></path>
    </svg>`;
  }

  private renderAverage() {
    const average = this.average;
    const given = this.label?.trim() ? this.label : undefined;
    const finite = typeof average === 'number' && Number.isFinite(average);
    const known = finite && this.count > 0 && !given;
    const shown = known ? (Math.round(average * 10) / 10).toFixed(1) : '';
    const label = given ?? (known ? this.t('rating.average', { average: shown, scale: this.stars, count: this.count }) : this.t('rating.noRatings'));
    const rounded = finite && (known || given) ? Math.round(average * 2) / 2 : 0;
    return html`<div class="average" part="base average" role="img" aria-label=${label}>
      <span class="stars" aria-hidden="true">
        ${Array.from({ length: this.stars }, (_, i) => {
          const kind = rounded >= i + 1 ? 'full' : rounded >= i + 0.5 ? 'half' : 'empty';
          return html`<span class="star ${kind}">${this.starSymbol(kind)}</span>`;
        })}
      </span>
      <span aria-hidden="true">${known ? `${shown} / ${this.stars} · ${this.count}` : label}</span>
    </div>`;
  }

  protected override render() {
    const slot = html`<span class="slot-holder"><slot name="symbol" @slotchange=${this.onSlotChange}></slot></span>`;
    if (this.readonly) return html`${this.renderAverage()}${slot}`;
    const chosen = this.value >= 1 && this.value <= this.stars ? this.value : 0;
    return html`<fieldset part="base" ?disabled=${this.disabled}>
        <legend part="legend">${this.legend ?? this.t('rating.legend')}</legend>
        <div class="stars">
          ${Array.from({ length: this.stars }, (_, i) => {
            const n = i + 1;
            const id = `${this.group}-${n}`;
            return html`<span class="star ${n <= chosen ? 'filled' : ''}">
              <input
                type="radio"
                id=${id}
                name=${this.group}
                .value=${String(n)}
                .checked=${n === chosen}
                ?required=${this.required}
                @change=${this.onChange}
              />
              <label for=${id} part="star">
                ${this.starSymbol()}
                <span class=${this.hideCaptions ? 'visually-hidden' : 'caption'} part="caption">${this.labelOf(n)}</span>
              </label>
            </span>`;
          })}
        </div>
        <div class="chosen" part="chosen" aria-hidden="true">${chosen ? this.labelOf(chosen) : ''}</div>
      </fieldset>
      ${slot}`;
  }

  /** Back to the value the page started with (form reset). */
  formResetCallback(): void {
    this.value = this.defaultValue;
  }

  /** The value the browser restored (back/forward navigation, autofill). */
  formStateRestoreCallback(state: string | File | FormData | null): void {
    const n = Number(state);
    this.value = Number.isInteger(n) ? n : 0;
  }
}
