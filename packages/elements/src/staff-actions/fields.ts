/**
 * Native controls of the staff forms, GOV.UK style: a `<label for>` (or a `<legend>`), a hint and
 * an error message above the control, tied to it by `aria-describedby`; "(optional)" on the
 * optional ones. Everything typed or configured is bound as text (lit bindings), never markup.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { MessageKey } from '../i18n/messages.js';

/** What a field needs from the element. */
export interface FieldHost {
  t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string;
  /** The inline error of a control (by its id), when the last submission put one there. */
  errorFor(id: string): string | undefined;
}

export interface Option {
  value: string;
  label: string;
}

interface Common {
  id: string;
  label: string;
  hint?: string | undefined;
  optional?: boolean;
  /** Extra class on the field wrapper (`field--inline` in a row). */
  wrapper?: string;
}

const describedBy = (...ids: Array<string | undefined>): string | undefined => {
  const list = ids.filter((id): id is string => Boolean(id));
  return list.length > 0 ? list.join(' ') : undefined;
};

function optionalMark(host: FieldHost, optional: boolean | undefined): TemplateResult | typeof nothing {
  if (!optional) return nothing;
  const mark = host.t('staff.optional');
  // "理由（选填）" takes no space before a full-width bracket; "Reason (optional)" does.
  return html`${mark.startsWith('（') ? '' : ' '}<span class="optional">${mark}</span>`;
}

function parts(host: FieldHost, o: Common) {
  const error = host.errorFor(o.id);
  const hintId = o.hint ? `${o.id}-hint` : undefined;
  const errorId = error ? `${o.id}-error` : undefined;
  return {
    error,
    described: describedBy(hintId, errorId),
    invalid: error ? ('true' as const) : undefined,
    wrap: (body: TemplateResult) =>
      html`<div class="field ${error ? 'field--error' : ''} ${o.wrapper ?? ''}" part=${error ? 'field field-error' : 'field'}>${body}</div>`,
    hint: o.hint ? html`<div class="hint" part="hint" id=${hintId!}>${o.hint}</div>` : nothing,
    message: error
      ? html`<p class="error-message" part="error" id=${errorId!}><span class="visually-hidden">${host.t('staff.errorPrefix')}</span> ${error}</p>`
      : nothing,
  };
}

const valueOf = (event: Event): string => (event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value;

export function textInput(
  host: FieldHost,
  o: Common & {
    value: string;
    onInput: (value: string) => void;
    type?: 'text' | 'date' | 'datetime-local';
    autocomplete?: 'off';
    width?: 'narrow' | 'medium';
  },
): TemplateResult {
  const p = parts(host, o);
  return p.wrap(html`<label class="label" part="label" for=${o.id}>${o.label}${optionalMark(host, o.optional)}</label>
    ${p.hint}${p.message}
    <input
      id=${o.id}
      class="input ${o.width ? `input--${o.width}` : ''}"
      part="input"
      type=${o.type ?? 'text'}
      autocomplete=${ifDefined(o.autocomplete)}
      aria-describedby=${ifDefined(p.described)}
      aria-invalid=${ifDefined(p.invalid)}
      .value=${o.value}
      @input=${(e: Event) => o.onInput(valueOf(e))}
    />`);
}

export function textArea(host: FieldHost, o: Common & { value: string; onInput: (value: string) => void; rows?: number }): TemplateResult {
  const p = parts(host, o);
  return p.wrap(html`<label class="label" part="label" for=${o.id}>${o.label}${optionalMark(host, o.optional)}</label>
    ${p.hint}${p.message}
    <textarea
      id=${o.id}
      class="input textarea"
      part="input"
      rows=${o.rows ?? 3}
      aria-describedby=${ifDefined(p.described)}
      aria-invalid=${ifDefined(p.invalid)}
      .value=${o.value}
      @input=${(e: Event) => o.onInput(valueOf(e))}
    ></textarea>`);
}

export function select(
  host: FieldHost,
  o: Common & { value: string; options: readonly Option[]; onChange: (value: string) => void; after?: TemplateResult | typeof nothing },
): TemplateResult {
  const p = parts(host, o);
  return p.wrap(html`<label class="label" part="label" for=${o.id}>${o.label}${optionalMark(host, o.optional)}</label>
    ${p.hint}${p.message}
    <select
      id=${o.id}
      class="input select"
      part="input"
      aria-describedby=${ifDefined(describedBy(p.described, o.after && o.after !== nothing ? `${o.id}-more` : undefined))}
      aria-invalid=${ifDefined(p.invalid)}
      @change=${(e: Event) => o.onChange(valueOf(e))}
    >
      <option value="" .selected=${o.value === ''}>${host.t('staff.choose')}</option>
      ${o.options.map((option) => html`<option value=${option.value} .selected=${o.value === option.value}>${option.label}</option>`)}
    </select>
    ${o.after ?? nothing}`);
}

/** Radios in a fieldset whose legend is the question; the first radio's id is `<id>-<first value>`. */
export function radios(
  host: FieldHost,
  o: Common & { value: string; options: ReadonlyArray<Option & { hint?: string }>; onChange: (value: string) => void },
): TemplateResult {
  const p = parts(host, o);
  return p.wrap(html`<fieldset class="group" id=${o.id} aria-describedby=${ifDefined(p.described)}>
    <legend class="label" part="label">${o.label}${optionalMark(host, o.optional)}</legend>
    ${p.hint}${p.message}
    <div class="choices">
      ${o.options.map((option) => {
        const id = `${o.id}-${option.value}`;
        return html`<div class="choice-item">
          <div class="choice">
            <input
              type="radio"
              class="choice-input"
              id=${id}
              name=${o.id}
              .value=${option.value}
              .checked=${o.value === option.value}
              aria-describedby=${ifDefined(option.hint ? `${id}-hint` : undefined)}
              @change=${() => o.onChange(option.value)}
            />
            <label class="choice-label" for=${id}>${option.label}</label>
          </div>
          ${option.hint ? html`<div class="hint hint--choice" part="hint" id=${`${id}-hint`}>${option.hint}</div>` : nothing}
        </div>`;
      })}
    </div>
  </fieldset>`);
}
