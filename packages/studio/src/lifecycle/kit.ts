/**
 * Controls shared by the lifecycle, settings, permissions and translations panes: a text, a pair
 * of texts in zh-CN and en, a number with its unit in words, a check box; each carries the
 * `data-pointer` of the node it edits, and shows the checker's errors at that node beside it
 * (`aria-invalid`, `aria-describedby`). Every edit goes through the pane's `StudioDocument`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { ConfigError } from '@consult-kit/machine';
import type { StudioDocument } from '../document.js';
import { translate, type StudioLocale } from '../i18n.js';
import { child, isWithin, type Json, type JsonObject } from '../pointer.js';
import { kitMessages, type KitMessageKey } from './kit.messages.js';

/** An id for an element from a JSON Pointer (unique per pointer, valid in `aria-describedby`). */
export function idFor(prefix: string, pointer: string): string {
  return prefix + pointer.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}

export function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Says something in the studio's polite live region (the shell owns it). */
export function announce(from: HTMLElement, message: string): void {
  from.dispatchEvent(new CustomEvent('studio-announce', { detail: { message }, bubbles: true, composed: true }));
}

/**
 * Whether a link may be written as it is: `http:`, `https:`, `tel:` (links) or only `http(s):`
 * (endpoints), or a relative path. Control characters are refused: browsers strip them, which can
 * hide a `javascript:` scheme.
 */
export function allowedUrl(value: string, kind: 'link' | 'endpoint'): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) return false;
  let protocol: string;
  try {
    protocol = new URL(value, 'https://relative.invalid/').protocol;
  } catch {
    return false;
  }
  const schemes = kind === 'link' ? ['https:', 'http:', 'tel:'] : ['https:', 'http:'];
  return schemes.includes(protocol);
}

/** The checker's errors by pointer, built once per list of errors. */
export class ErrorIndex {
  readonly #at = new Map<string, ConfigError[]>();
  readonly errors: readonly ConfigError[];

  constructor(errors: readonly ConfigError[]) {
    this.errors = errors;
    for (const error of errors) {
      const list = this.#at.get(error.pointer) ?? [];
      list.push(error);
      this.#at.set(error.pointer, list);
    }
  }

  at(pointer: string): readonly ConfigError[] {
    return this.#at.get(pointer) ?? [];
  }

  /** Errors at `pointer` or anywhere under it. */
  under(pointer: string): ConfigError[] {
    return this.errors.filter((e) => isWithin(e.pointer, pointer));
  }

  /** The ids of the error texts of these pointers (as `#errorsAt` renders them). */
  ids(...pointers: string[]): string[] {
    return pointers.flatMap((p) => this.at(p).map((_, i) => `${idFor('e', p)}-${i}`));
  }
}

/** `aria-describedby` from ids (nothing when there are none). */
export function describedBy(...ids: Array<string | undefined | false>): string | typeof nothing {
  const list = ids.filter((x): x is string => !!x);
  return list.length ? list.join(' ') : nothing;
}

export interface TextOptions {
  hint?: string;
  /** A problem the studio sees before the checker does (a URL scheme), shown under the input. */
  warning?: string;
  /** Emptying the input removes the node. */
  optional?: boolean;
  inputmode?: 'url' | 'text' | 'tel';
}

export interface NumberOptions {
  min?: number;
  max?: number;
  step?: number | 'any';
  /** The value that applies when the node is absent (shown as the placeholder and in the hint). */
  fallback?: number;
  /** Extra words under the label. */
  hint?: string;
}

/**
 * The controls of one render of a pane: they read the document, write through it, and show the
 * checker's errors beside each control. Make one per render (the errors are those of that render).
 */
export class Controls {
  readonly errors: ErrorIndex;

  constructor(
    readonly doc: StudioDocument | undefined,
    readonly locale: StudioLocale,
    errors?: ErrorIndex,
  ) {
    this.errors = errors ?? new ErrorIndex(doc?.errors ?? []);
  }

  m(key: KitMessageKey, params?: Record<string, string | number>): string {
    return translate(kitMessages, this.locale, key, params);
  }

  get(pointer: string): Json | undefined {
    return this.doc?.get(pointer);
  }

  /** Sets a node (undefined removes it); typing into one control is one undo step (`merge`). Never throws into the page. */
  set(pointer: string, value: Json | undefined, merge?: string): void {
    try {
      this.doc?.set(pointer, value, merge ? { merge } : {});
    } catch (error) {
      console.error('consult-studio:', error);
    }
  }

  /** The checker's errors at `pointer`, as text beside its control. */
  errorsAt(...pointers: string[]): TemplateResult | typeof nothing {
    const items = pointers.flatMap((p) => this.errors.at(p).map((e, i) => ({ e, id: `${idFor('e', p)}-${i}` })));
    if (items.length === 0) return nothing;
    return html`${items.map(
      ({ e, id }) => html`<p class="error" id=${id}><span class="error-mark" aria-hidden="true">!</span> ${this.m('problem')} ${e.message}${e.hint ? html` <span class="muted">${e.hint}</span>` : nothing}</p>`,
    )}`;
  }

  /** `aria-invalid`'s value: "true" when the checker found a problem at one of these nodes. */
  invalid(...pointers: string[]): 'true' | 'false' {
    return pointers.some((p) => this.errors.at(p).length > 0) ? 'true' : 'false';
  }

  /** A one-line text input of the node at `pointer`. */
  text(pointer: string, label: string, options: TextOptions = {}): TemplateResult {
    return this.textWith(pointer, label, this.get(pointer), (text) => this.set(pointer, options.optional && text === '' ? undefined : text, pointer), options);
  }

  /** A one-line text input showing `value`; `onInput` writes it (for nodes inside a list written whole). */
  textWith(pointer: string, label: string, value: Json | undefined, onInput: (text: string) => void, options: TextOptions = {}): TemplateResult {
    const id = idFor('c', pointer);
    const hintId = options.hint ? idFor('h', pointer) : undefined;
    const warnId = options.warning ? idFor('w', pointer) : undefined;
    return html`<div class="control">
      <label for=${id}>${label}</label>
      ${options.hint ? html`<p class="hint" id=${ifDefined(hintId)}>${options.hint}</p>` : nothing}
      <input
        id=${id}
        type="text"
        data-pointer=${pointer}
        .value=${typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value)}
        inputmode=${ifDefined(options.inputmode)}
        autocomplete="off"
        spellcheck="false"
        aria-invalid=${this.invalid(pointer)}
        aria-describedby=${describedBy(hintId, warnId, ...this.errors.ids(pointer))}
        @input=${(e: Event) => onInput((e.target as HTMLInputElement).value)}
      />
      ${options.warning ? html`<p class="warning" id=${ifDefined(warnId)}><span aria-hidden="true">⚠</span> ${options.warning}</p>` : nothing}
      ${this.errorsAt(pointer)}
    </div>`;
  }

  /**
   * A text in zh-CN and en side by side (a fieldset with the pair's name as its legend). For an
   * optional pair, emptying both languages removes the pair.
   */
  pair(pointer: string, legend: string, { optional = false }: { optional?: boolean } = {}): TemplateResult {
    return this.pairWith(pointer, legend, this.get(pointer), (locale, text) => this.setText(pointer, locale, text, optional), { optional });
  }

  /** A pair showing `value`; `onInput` writes one language (for nodes inside a list written whole). */
  pairWith(pointer: string, legend: string, value: Json | undefined, onInput: (locale: StudioLocale, text: string) => void, { optional = false }: { optional?: boolean } = {}): TemplateResult {
    const pair = isObject(value) ? value : {};
    const input = (locale: StudioLocale) => {
      const at = child(pointer, locale);
      const id = idFor('c', at);
      const text = pair[locale];
      return html`<div class="control">
        <label for=${id}>${this.m(locale === 'zh-CN' ? 'zh' : 'en')}</label>
        <input
          id=${id}
          type="text"
          lang=${locale}
          data-pointer=${at}
          .value=${typeof text === 'string' ? text : ''}
          aria-invalid=${this.invalid(at, pointer)}
          aria-describedby=${describedBy(...this.errors.ids(at, pointer))}
          @input=${(e: Event) => onInput(locale, (e.target as HTMLInputElement).value)}
        />
        ${this.errorsAt(at)}
      </div>`;
    };
    return html`<fieldset class="pair" data-pointer=${pointer}>
      <legend>${legend}${optional ? html` <span class="muted">${this.m('optional')}</span>` : nothing}</legend>
      <div class="langs">${input('zh-CN')}${input('en')}</div>
      ${this.errorsAt(pointer)}
    </fieldset>`;
  }

  setText(pairPointer: string, locale: StudioLocale, text: string, optional: boolean): void {
    const current = this.get(pairPointer);
    const pair: JsonObject = isObject(current) ? { ...current } : {};
    pair[locale] = text;
    const empty = Object.values(pair).every((v) => v === '' || v === undefined);
    this.set(pairPointer, optional && empty ? undefined : pair, child(pairPointer, locale));
  }

  /** A number with its unit in words after it ("30 天 / days"); emptying it removes the node (its default applies). */
  number(pointer: string, label: string, unit: string, options: NumberOptions = {}): TemplateResult {
    const id = idFor('c', pointer);
    const unitId = idFor('u', pointer);
    const hintId = idFor('h', pointer);
    const value = this.get(pointer);
    const hint = [options.hint, options.fallback !== undefined ? this.m('defaultValue', { value: options.fallback, unit }) : undefined].filter(Boolean).join(' ');
    return html`<div class="control number">
      <label for=${id}>${label}</label>
      ${hint ? html`<p class="hint" id=${hintId}>${hint}</p>` : nothing}
      <span class="with-unit">
        <input
          id=${id}
          type="number"
          data-pointer=${pointer}
          min=${ifDefined(options.min)}
          max=${ifDefined(options.max)}
          .step=${options.step === undefined ? '' : String(options.step)}
          placeholder=${ifDefined(options.fallback?.toString())}
          .value=${typeof value === 'number' ? String(value) : value === undefined ? '' : String(value)}
          aria-invalid=${this.invalid(pointer)}
          aria-describedby=${describedBy(unitId, hint ? hintId : undefined, ...this.errors.ids(pointer))}
          @input=${(e: Event) => {
            const input = e.target as HTMLInputElement;
            if (input.value === '') return this.set(pointer, undefined, pointer);
            const n = input.valueAsNumber;
            if (Number.isFinite(n)) this.set(pointer, n, pointer);
          }}
        />
        <span class="unit" id=${unitId}>${unit}</span>
      </span>
      ${this.errorsAt(pointer)}
    </div>`;
  }

  /** A check box with its label (and an optional note under it). */
  check(pointer: string, label: string, checked: boolean, onChange: (checked: boolean) => void, options: { note?: string; errorPointers?: string[]; disabled?: boolean } = {}): TemplateResult {
    const id = idFor('k', `${pointer}#${label}`);
    const noteId = options.note ? idFor('n', `${pointer}#${label}`) : undefined;
    const errorPointers = options.errorPointers ?? [pointer];
    return html`<div class="check">
      <input
        id=${id}
        type="checkbox"
        data-pointer=${pointer}
        .checked=${checked}
        ?disabled=${options.disabled ?? false}
        aria-invalid=${this.invalid(...errorPointers)}
        aria-describedby=${describedBy(noteId, ...this.errors.ids(...errorPointers))}
        @change=${(e: Event) => onChange((e.target as HTMLInputElement).checked)}
      />
      <div>
        <label for=${id}>${label}</label>
        ${options.note ? html`<p class="hint" id=${ifDefined(noteId)}>${options.note}</p>` : nothing}
        ${this.errorsAt(...errorPointers)}
      </div>
    </div>`;
  }

  /** A read-only JSON node (a condition, a part without a visual editor) with "edit in JSON". */
  readOnly(pointer: string, label: string, value: Json | undefined): TemplateResult {
    const noteId = idFor('n', pointer);
    return html`<div class="control">
      <p class="label">${label}</p>
      <p class="hint" id=${noteId}>${this.m('editInJson')}</p>
      <pre tabindex="0" data-pointer=${pointer} aria-label=${label} aria-describedby=${describedBy(noteId, ...this.errors.ids(pointer))}>${JSON.stringify(value, null, 2)}</pre>
      ${this.errorsAt(pointer)}
    </div>`;
  }
}
