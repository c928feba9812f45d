/**
 * Rendering of each field type of the intake form. Every control is native (`<input>`,
 * `<select>`, `<textarea>`, radios and tick boxes in a `<fieldset>` with a `<legend>`), labelled by
 * a `<label for>`, with its hint and error tied by `aria-describedby`; the error sits above the
 * control (GOV.UK). Every text from the config or typed by the person goes through lit bindings,
 * so it is always text, never markup.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { FormField, LocalizedText } from '@consult-kit/machine/core';
import type { MessageKey } from '../i18n/messages.js';
import type { FileItem } from './validate.js';

/** What a field needs from the form element. */
export interface FieldHost {
  msg(key: MessageKey, params?: Readonly<Record<string, string | number>>): string;
  label(text: LocalizedText | undefined): string;
  raw(name: string): unknown;
  files(name: string): readonly FileItem[];
  /** The field's error message, in the element's language, when it has one. */
  error(name: string): string | undefined;
  formatSize(bytes: number): string;
  /** A value the person entered (never called for programmatic sets). */
  setValue(field: FormField, value: unknown): void;
  addFiles(field: FormField, files: FileList): void;
  removeFile(field: FormField, index: number): void;
}

/** The id of a field's control (the first option of a group): error-summary links point here. */
export function controlId(field: FormField): string {
  return isGroup(field) ? `f-${field.name}-0` : `f-${field.name}`;
}

/** The id of the field's label or legend, scrolled into view when its error link is followed. */
export const labelId = (field: FormField): string => `f-${field.name}-label`;

function isGroup(field: FormField): boolean {
  return field.type === 'radio' || (field.type === 'checkbox' && Array.isArray(field.options));
}

const describedBy = (...ids: Array<string | undefined>): string | undefined => {
  const list = ids.filter((id): id is string => Boolean(id));
  return list.length > 0 ? list.join(' ') : undefined;
};

const stringOf = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

function requiredMark(host: FieldHost, field: FormField): TemplateResult | typeof nothing {
  if (!field.required) return nothing;
  const mark = host.msg('form.requiredMark');
  // "议题名称（必填）" takes no space before its full-width bracket; "Topic (required)" does.
  return html`${mark.startsWith('（') ? '' : ' '}<span class="required">${mark}</span>`;
}

function hint(host: FieldHost, field: FormField): TemplateResult | typeof nothing {
  return field.hint ? html`<div class="hint" part="hint" id="f-${field.name}-hint">${host.label(field.hint)}</div>` : nothing;
}

function errorMessage(host: FieldHost, field: FormField): TemplateResult | typeof nothing {
  const message = host.error(field.name);
  return message
    ? html`<p class="error-message" part="error" id="f-${field.name}-error">
        <span class="visually-hidden">${host.msg('form.errorPrefix')}</span> ${message}
      </p>`
    : nothing;
}

function ids(host: FieldHost, field: FormField): { hint?: string; error?: string } {
  return {
    ...(field.hint ? { hint: `f-${field.name}-hint` } : {}),
    ...(host.error(field.name) ? { error: `f-${field.name}-error` } : {}),
  };
}

const valueOf = (event: Event): string => (event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value;

/** One field: label (or legend), hint, error, control. */
export function renderField(host: FieldHost, field: FormField): TemplateResult {
  const hasError = Boolean(host.error(field.name));
  const body = isGroup(field) ? renderGroup(host, field) : renderSingle(host, field);
  return html`<div class="field ${hasError ? 'field--error' : ''}" part=${hasError ? 'field field-error' : 'field'} data-field=${field.name}>
    ${body}
  </div>`;
}

function renderSingle(host: FieldHost, field: FormField): TemplateResult {
  const { hint: hintId, error: errorId } = ids(host, field);
  const id = `f-${field.name}`;
  const described = describedBy(hintId, errorId);
  const invalid = errorId ? 'true' : undefined;
  const label = html`<label class="label" part="label" id=${labelId(field)} for=${id}>${host.label(field.label)}${requiredMark(host, field)}</label>`;

  switch (field.type) {
    case 'textarea':
      return html`${label}${hint(host, field)}${errorMessage(host, field)}
        <textarea
          id=${id}
          class="input textarea"
          part="input"
          name=${field.name}
          rows="5"
          aria-describedby=${ifDefined(described)}
          aria-invalid=${ifDefined(invalid)}
          .value=${stringOf(host.raw(field.name))}
          @input=${(e: Event) => host.setValue(field, valueOf(e))}
        ></textarea>`;

    case 'select':
      return html`${label}${hint(host, field)}${errorMessage(host, field)}
        <select
          id=${id}
          class="input select"
          part="input"
          name=${field.name}
          aria-describedby=${ifDefined(described)}
          aria-invalid=${ifDefined(invalid)}
          @change=${(e: Event) => host.setValue(field, valueOf(e))}
        >
          <option value="" .selected=${!host.raw(field.name)}>${host.msg('form.selectPlaceholder')}</option>
          ${(field.options ?? []).map(
            (option) => html`<option value=${option.value} .selected=${host.raw(field.name) === option.value}>${host.label(option.label)}</option>`,
          )}
        </select>`;

    case 'checkbox':
    case 'consent': {
      // A single tick box: the label is the statement ticked.
      return html`${hint(host, field)}${errorMessage(host, field)}
        <div class="choice">
          <input
            type="checkbox"
            id=${id}
            class="choice-input"
            name=${field.name}
            aria-describedby=${ifDefined(described)}
            aria-invalid=${ifDefined(invalid)}
            .checked=${host.raw(field.name) === true}
            @change=${(e: Event) => host.setValue(field, (e.target as HTMLInputElement).checked)}
          />
          <label class="choice-label" part="label" id=${labelId(field)} for=${id}>${host.label(field.label)}${requiredMark(host, field)}</label>
        </div>`;
    }

    case 'file':
      return renderFiles(host, field, label, described);

    default: {
      const type = field.type === 'email' ? 'email' : field.type === 'tel' ? 'tel' : field.type === 'date' ? 'date' : 'text';
      const narrow = field.type === 'number' || field.type === 'date' || field.type === 'tel';
      return html`${label}${hint(host, field)}${errorMessage(host, field)}
        <input
          type=${type}
          id=${id}
          class="input ${narrow ? 'input--narrow' : ''}"
          part="input"
          name=${field.name}
          inputmode=${ifDefined(field.type === 'number' ? 'decimal' : undefined)}
          autocomplete=${ifDefined(field.type === 'tel' ? 'tel' : field.type === 'email' ? 'email' : undefined)}
          spellcheck=${ifDefined(field.type === 'email' || field.type === 'tel' || field.type === 'number' ? 'false' : undefined)}
          min=${ifDefined(field.type === 'date' && typeof field.min === 'string' ? field.min : undefined)}
          max=${ifDefined(field.type === 'date' && typeof field.max === 'string' ? field.max : undefined)}
          aria-describedby=${ifDefined(described)}
          aria-invalid=${ifDefined(invalid)}
          .value=${stringOf(host.raw(field.name))}
          @input=${(e: Event) => host.setValue(field, valueOf(e))}
        />`;
    }
  }
}

/** Radios, or tick boxes with options: a fieldset whose legend is the question. */
function renderGroup(host: FieldHost, field: FormField): TemplateResult {
  const { hint: hintId, error: errorId } = ids(host, field);
  const raw = host.raw(field.name);
  const radio = field.type === 'radio';
  const ticked = (value: string) => (radio ? raw === value : Array.isArray(raw) && raw.includes(value));
  const toggle = (value: string, checked: boolean) => {
    if (radio) return host.setValue(field, value);
    const list = Array.isArray(raw) ? raw.filter((v) => v !== value) : [];
    host.setValue(field, checked ? [...list, value] : list);
  };
  return html`<fieldset class="group" id="f-${field.name}" aria-describedby=${ifDefined(describedBy(hintId, errorId))}>
    <legend class="label" part="label" id=${labelId(field)}>${host.label(field.label)}${requiredMark(host, field)}</legend>
    ${hint(host, field)}${errorMessage(host, field)}
    <div class="choices">
      ${(field.options ?? []).map(
        (option, i) => html`<div class="choice">
          <input
            type=${radio ? 'radio' : 'checkbox'}
            id="f-${field.name}-${i}"
            class="choice-input"
            name=${field.name}
            .value=${option.value}
            .checked=${ticked(option.value)}
            @change=${(e: Event) => toggle(option.value, (e.target as HTMLInputElement).checked)}
          />
          <label class="choice-label" for="f-${field.name}-${i}">${host.label(option.label)}</label>
        </div>`,
      )}
    </div>
  </fieldset>`;
}

/**
 * Photos: a native file input (visually hidden, focusable; its focus ring is drawn on the button
 * label next to it), the chosen files listed with a remove button each.
 */
function renderFiles(host: FieldHost, field: FormField, label: TemplateResult, described: string | undefined): TemplateResult {
  const files = host.files(field.name);
  const id = `f-${field.name}`;
  const images = (field.accept ?? []).length > 0 && (field.accept ?? []).every((a) => a.startsWith('image/'));
  return html`${label}${hint(host, field)}${errorMessage(host, field)}
    <div class="file-picker">
      <input
        type="file"
        id=${id}
        class="file-input"
        name=${field.name}
        accept=${ifDefined(field.accept ? field.accept.join(',') : undefined)}
        ?multiple=${field.maxFiles !== 1}
        aria-describedby=${ifDefined(described)}
        aria-invalid=${ifDefined(host.error(field.name) ? 'true' : undefined)}
        @change=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          if (input.files && input.files.length > 0) host.addFiles(field, input.files);
          input.value = '';
        }}
      />
      <label class="button button--secondary file-button" part="button" for=${id}
        >${host.msg(images ? 'form.files.choose' : 'form.files.chooseFiles')}</label
      >
    </div>
    <p class="file-status" aria-live="polite">
      ${files.length > 0 ? host.msg('form.files.chosen', { count: files.length }) : host.msg('form.files.none')}
    </p>
    ${files.length > 0
      ? html`<ul class="files">
          ${files.map(
            (file, i) => html`<li class="file" part="file">
              <span class="file-name">${file.name}</span>
              <span class="file-size">${host.formatSize(file.size)}</span>
              <button
                type="button"
                class="button button--link"
                part="button"
                data-file-index=${i}
                aria-label=${host.msg('form.files.remove', { name: file.name })}
                @click=${() => host.removeFile(field, i)}
              >
                ${host.msg('form.files.removeShort')}
              </button>
            </li>`,
          )}
        </ul>`
      : nothing}`;
}
