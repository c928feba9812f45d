import { html, nothing, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ConfigError, FieldType } from '@consult-kit/machine';
import { StudioElement } from '../studio-element.js';
import { paneStyles, studioStyles } from '../styles.js';
import { child, parsePointer, type Json, type JsonObject } from '../pointer.js';
import type { StudioLocale } from '../i18n.js';
import { formMessages, type FormMessageKey } from './form.messages.js';
import { formStyles } from './form.styles.js';
import { CHOICE_TYPES, FIELD_TYPES, PERSONAL_TYPES, TEXT_TYPES, applies, isKnownFieldType, APPLIES_TO } from './field-types.js';
import { OPERATORS, conditionText, readCondition, rowPointer, writeCondition, type ConditionModel, type ConditionRow, type Operator, type Scalar } from './condition-model.js';
import {
  defaultOption,
  duplicateField,
  duplicatePage,
  fieldNames,
  fieldTitle,
  fieldsOf,
  isObject,
  moveFieldToPage,
  newField,
  pageTitle,
  pagesOf,
  renameField,
  uniquePageId,
  withType,
} from './form-ops.js';
import { ItemKeys } from './item-keys.js';

const PAGES = '/form/pages';

/** An id for an element of this pane from a JSON Pointer (unique per pointer, valid in `aria-describedby`). */
function idFor(prefix: string, pointer: string): string {
  return prefix + pointer.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}

/** A field of the form in the order people meet it, for the condition pickers. */
interface FieldRef {
  name: string;
  node: JsonObject;
  page: number;
  index: number;
}

type Drag = { kind: 'page'; index: number } | { kind: 'field'; page: number; index: number };

/** A URL the privacy link may have: http(s) or relative (mailto:, tel: belong in `contact`). */
function isWebUrl(value: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:/i.test(value.trim())) return /^https?:/i.test(value.trim());
  return true;
}

/**
 * @tag consult-studio-form
 * @summary The studio's editor of the intake form (议题征集表单): pages, fields of every type with
 * labels and hints in zh-CN and en side by side, options, `visibleWhen` conditions built from
 * pickers, the privacy notice, the consent field and the intake step's anonymous option. Pages,
 * fields and options reorder by drag and by keyboard (move up / move down). It edits the
 * `StudioDocument` it is given (`doc`, or the one `<consult-studio>` provides) and nothing else.
 *
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`: the pane's words.
 *
 * @fires studio-announce - `{ message }`: a move, an addition or a deletion to say in the studio's polite live region (bubbles, composed).
 *
 * @csspart base - The pane's wrapper.
 * @csspart page - Each page's section.
 * @csspart field - Each field's card.
 * @csspart privacy - The privacy notice and anonymous option.
 */
export class ConsultStudioForm extends StudioElement {
  static override styles = [studioStyles, paneStyles, formStyles];

  #pageKeys = new ItemKeys('p');
  #fieldKeys = new ItemKeys('f');
  /** Field cards that are open, by key. */
  #open = new Set<string>();
  /** Pages that are closed, by key. */
  #closed = new Set<string>();
  #drag: Drag | undefined;
  #errorsFor: readonly ConfigError[] | undefined;
  #errorsAt = new Map<string, ConfigError[]>();
  /** Problems under each field's pointer. */
  #problemsIn = new Map<string, number>();

  #m(key: FormMessageKey, params?: Record<string, string | number>): string {
    return this.msg(formMessages, key, params);
  }

  // ── Document helpers ──────────────────────────────────────────────────────────────────────

  #announce(message: string): void {
    this.dispatchEvent(new CustomEvent('studio-announce', { detail: { message }, bubbles: true, composed: true }));
  }

  #set(pointer: string, value: Json | undefined, merge?: string): void {
    try {
      this.doc?.set(pointer, value, merge ? { merge } : {});
    } catch (error) {
      // A path the document cannot hold (the JSON was changed under us): say so, never throw into the page.
      console.error('consult-studio-form:', error);
    }
  }

  /** Sets a localized text; for an optional pair, clearing both languages removes the pair. */
  #setText(pairPointer: string, locale: StudioLocale, text: string, optional: boolean): void {
    const current = this.doc?.get(pairPointer);
    const pair: JsonObject = isObject(current) ? { ...current } : {};
    pair[locale] = text;
    const empty = Object.values(pair).every((v) => v === '' || v === undefined);
    this.#set(pairPointer, optional && empty ? undefined : pair, child(pairPointer, locale));
  }

  #setNumber(pointer: string, input: HTMLInputElement): void {
    if (input.value === '') return this.#set(pointer, undefined, pointer);
    const n = input.valueAsNumber;
    if (Number.isFinite(n)) this.#set(pointer, n, pointer);
  }

  #errorsIndex(): void {
    const errors = this.doc?.errors ?? [];
    if (errors === this.#errorsFor) return;
    this.#errorsFor = errors;
    this.#errorsAt = new Map();
    this.#problemsIn = new Map();
    for (const error of errors) {
      const list = this.#errorsAt.get(error.pointer) ?? [];
      list.push(error);
      this.#errorsAt.set(error.pointer, list);
      const field = /^\/form\/pages\/\d+\/fields\/\d+/.exec(error.pointer)?.[0];
      if (field) this.#problemsIn.set(field, (this.#problemsIn.get(field) ?? 0) + 1);
    }
  }

  #errorIds(...pointers: string[]): string[] {
    return pointers.flatMap((p) => (this.#errorsAt.get(p) ?? []).map((_, i) => `${idFor('e', p)}-${i}`));
  }

  #errors(pointer: string): TemplateResult | typeof nothing {
    const list = this.#errorsAt.get(pointer);
    if (!list) return nothing;
    return html`${list.map((e, i) => html`<p class="error" id=${`${idFor('e', pointer)}-${i}`}>${e.message}</p>`)}`;
  }

  #describedBy(ids: Array<string | undefined>): string | typeof nothing {
    const list = ids.filter((x): x is string => !!x);
    return list.length ? list.join(' ') : nothing;
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    const el = this.renderRoot.querySelector<HTMLElement>(selector);
    el?.focus();
  }

  #focusPointerControl(pointer: string): Promise<void> {
    return this.#focus(`[data-pointer="${CSS.escape(pointer)}"]`);
  }

  // ── Reveal (focusPointer) ─────────────────────────────────────────────────────────────────

  protected override async revealPointer(pointer: string): Promise<void> {
    let keys: string[];
    try {
      keys = parsePointer(pointer);
    } catch {
      return;
    }
    if (keys[0] !== 'form' || keys[1] !== 'pages' || keys[2] === undefined) return;
    const pages = pagesOf(this.doc?.get('/form'));
    const p = Number(keys[2]);
    if (!Number.isInteger(p) || !pages[p]) return;
    const pageKey = this.#pageKeys.keysOf('pages', pages)[p]!;
    this.#closed.delete(pageKey);
    if (keys[3] === 'fields' && keys[4] !== undefined) {
      const fields = fieldsOf(pages[p]);
      const f = Number(keys[4]);
      if (Number.isInteger(f) && fields[f] !== undefined) this.#open.add(this.#fieldKeys.keysOf(pageKey, fields)[f]!);
    }
    this.requestUpdate();
    await this.updateComplete;
  }

  // ── Pages ─────────────────────────────────────────────────────────────────────────────────

  #pages(): Json[] {
    return pagesOf(this.doc?.get('/form'));
  }

  #movePage(from: number, to: number, focusAction?: string): void {
    const pages = this.#pages();
    if (to < 0 || to >= pages.length || from === to || !this.doc) return;
    const key = this.#pageKeys.keysOf('pages', pages)[from]!;
    this.doc.move(PAGES, from, to);
    this.#announce(this.#m('pageMoved', { name: pageTitle(pages[from], this.locale, this.#m('page', { n: from + 1 })), position: to + 1, count: pages.length }));
    if (focusAction) void this.#focus(`[data-page="${key}"][data-action="${focusAction}"]`);
  }

  #addPage(): void {
    const pages = this.#pages();
    const page: JsonObject = {
      id: uniquePageId(pages, `page-${pages.length + 1}`),
      title: { 'zh-CN': formMessages['zh-CN'].newPage, en: formMessages.en.newPage },
      fields: [this.#newField('text', fieldNames(pages))],
    };
    this.doc?.insert(PAGES, page);
    this.#announce(this.#m('pageAdded', { name: pageTitle(page, this.locale, ''), position: pages.length + 1 }));
    void this.#focusPointerControl(child(PAGES, pages.length, 'id'));
  }

  #duplicatePage(index: number): void {
    const pages = this.#pages();
    const page = pages[index];
    if (!isObject(page)) return;
    const copy = duplicatePage(page, pages);
    this.doc?.insert(PAGES, copy, index + 1);
    this.#announce(this.#m('pageDuplicated', { name: pageTitle(page, this.locale, ''), position: index + 2 }));
    void this.#focusPointerControl(child(PAGES, index + 1, 'id'));
  }

  #deletePage(index: number): void {
    const pages = this.#pages();
    if (pages.length <= 1) return;
    this.doc?.remove(child(PAGES, index));
    this.#announce(this.#m('pageDeleted', { name: pageTitle(pages[index], this.locale, this.#m('page', { n: index + 1 })) }));
    void this.#focusPointerControl(child(PAGES, Math.min(index, pages.length - 2)));
  }

  #togglePage(key: string): void {
    if (this.#closed.has(key)) this.#closed.delete(key);
    else this.#closed.add(key);
    this.requestUpdate();
  }

  // ── Fields ────────────────────────────────────────────────────────────────────────────────

  #wordsFor(key: FormMessageKey, params?: Record<string, string | number>) {
    return {
      zh: translateIn('zh-CN', key, params),
      en: translateIn('en', key, params),
    };
  }

  #newField(type: FieldType, taken: ReadonlySet<string>): JsonObject {
    return newField(type, taken, {
      field: this.#wordsFor('newField'),
      consent: this.#wordsFor('consentLabel'),
      option: (n) => this.#wordsFor('newOption', { n }),
    });
  }

  #addField(page: number, type: FieldType): void {
    const pages = this.#pages();
    const pageNode = pages[page];
    if (!isObject(pageNode) || !this.doc) return;
    const field = this.#newField(type, fieldNames(pages));
    const fieldsPointer = child(PAGES, page, 'fields');
    if (Array.isArray(pageNode.fields)) this.doc.insert(fieldsPointer, field);
    else if (pageNode.fields === undefined) this.#set(fieldsPointer, [field]);
    else return; // a shape this pane does not edit: kept as it is
    const index = fieldsOf(this.#pages()[page]).length - 1;
    this.#openField(page, index);
    this.#announce(this.#m('fieldAdded', { name: fieldTitle(field, this.locale), page: page + 1 }));
    void this.#focusPointerControl(child(fieldsPointer, index, 'label', 'zh-CN'));
  }

  #openField(page: number, index: number): void {
    const pages = this.#pages();
    const pageKey = this.#pageKeys.keysOf('pages', pages)[page];
    if (!pageKey) return;
    this.#closed.delete(pageKey);
    const key = this.#fieldKeys.keysOf(pageKey, fieldsOf(pages[page]))[index];
    if (key) this.#open.add(key);
    this.requestUpdate();
  }

  #toggleField(key: string): void {
    if (this.#open.has(key)) this.#open.delete(key);
    else this.#open.add(key);
    this.requestUpdate();
  }

  #moveField(page: number, from: number, to: number, focusAction?: string): void {
    const pages = this.#pages();
    const fields = fieldsOf(pages[page]);
    if (to < 0 || to >= fields.length || from === to || !this.doc) return;
    const pageKey = this.#pageKeys.keysOf('pages', pages)[page]!;
    const key = this.#fieldKeys.keysOf(pageKey, fields)[from]!;
    this.doc.move(child(PAGES, page, 'fields'), from, to);
    this.#announce(this.#m('fieldMoved', { name: fieldTitle(fields[from], this.locale), position: to + 1, count: fields.length }));
    if (focusAction) void this.#focus(`[data-field="${key}"][data-action="${focusAction}"]`);
  }

  #moveFieldToPage(from: number, index: number, to: number, toIndex?: number): void {
    const pages = this.#pages();
    if (!pages[to] || from === to) return;
    const field = fieldsOf(pages[from])[index];
    const next = moveFieldToPage(pages, from, index, to, toIndex);
    this.#set(PAGES, next);
    const position = toIndex === undefined ? fieldsOf(next[to]).length : toIndex + 1;
    this.#announce(this.#m('fieldMovedToPage', { name: fieldTitle(field, this.locale), page: pageTitle(pages[to], this.locale, this.#m('page', { n: to + 1 })), position }));
    this.#openField(to, position - 1);
    void this.#focusPointerControl(child(PAGES, to, 'fields', position - 1, 'move'));
  }

  #duplicateField(page: number, index: number): void {
    const pages = this.#pages();
    const field = fieldsOf(pages[page])[index];
    if (!isObject(field) || !this.doc) return;
    const copy = duplicateField(field, fieldNames(pages));
    this.doc.insert(child(PAGES, page, 'fields'), copy, index + 1);
    this.#openField(page, index + 1);
    this.#announce(this.#m('fieldDuplicated', { name: fieldTitle(field, this.locale), copy: String(copy.name) }));
    void this.#focusPointerControl(child(PAGES, page, 'fields', index + 1, 'name'));
  }

  #deleteField(page: number, index: number): void {
    const pages = this.#pages();
    const fields = fieldsOf(pages[page]);
    const field = fields[index];
    if (field === undefined || !this.doc) return;
    this.doc.remove(child(PAGES, page, 'fields', index));
    this.#announce(this.#m('fieldDeleted', { name: fieldTitle(field, this.locale) }));
    const remaining = fields.length - 1;
    if (remaining > 0) void this.#focusPointerControl(child(PAGES, page, 'fields', Math.min(index, remaining - 1)));
    else void this.#focus(`[data-page="${this.#pageKeys.keysOf('pages', pages)[page]}"][data-action="add-field"]`);
  }

  /** Renames a field; the conditions that read it follow, in the same undo step. */
  #rename(page: number, index: number, from: Json | undefined, to: string): void {
    const pointer = child(PAGES, page, 'fields', index, 'name');
    const whole = this.doc && typeof from === 'string' ? renameField(this.doc.value, page, index, from, to) : undefined;
    if (whole === undefined) return this.#set(pointer, to, pointer);
    this.doc!.replace(whole, { merge: pointer });
  }

  #changeType(pointer: string, field: JsonObject, type: FieldType): void {
    this.#set(
      pointer,
      withType(field, type, (n) => this.#wordsFor('newOption', { n })),
    );
  }

  #addConsent(): void {
    const pages = this.#pages();
    if (pages.length === 0) return;
    this.#addField(pages.length - 1, 'consent');
    this.#announce(this.#m('consentAdded'));
  }

  // ── Drag and drop ─────────────────────────────────────────────────────────────────────────

  #dragStart(event: DragEvent, drag: Drag): void {
    this.#drag = drag;
    event.dataTransfer?.setData('text/plain', drag.kind === 'page' ? `page:${drag.index}` : `field:${drag.page}:${drag.index}`);
    if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
  }

  #dragEnd(): void {
    this.#drag = undefined;
    for (const el of this.renderRoot.querySelectorAll('.drop-target')) el.classList.remove('drop-target');
  }

  #dragOver(event: DragEvent, target: { kind: 'page' | 'field'; page: number }): void {
    const drag = this.#drag;
    if (!drag) return;
    // A field onto a card, or onto another page; a page onto a page.
    const accepts = drag.kind === 'field' ? target.kind === 'field' || drag.page !== target.page : target.kind === 'page';
    if (!accepts) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
    (event.currentTarget as HTMLElement).classList.add('drop-target');
  }

  #dragLeave(event: DragEvent): void {
    (event.currentTarget as HTMLElement).classList.remove('drop-target');
  }

  #drop(event: DragEvent, target: { kind: 'page'; page: number } | { kind: 'field'; page: number; index: number }): void {
    const drag = this.#drag;
    if (!drag) return;
    event.preventDefault();
    event.stopPropagation();
    this.#dragEnd();
    if (drag.kind === 'page') {
      if (target.kind === 'page') this.#movePage(drag.index, target.page);
      return;
    }
    if (target.kind === 'field') {
      if (drag.page === target.page) this.#moveField(drag.page, drag.index, target.index);
      else this.#moveFieldToPage(drag.page, drag.index, target.page, target.index);
    } else if (drag.page !== target.page) this.#moveFieldToPage(drag.page, drag.index, target.page);
  }

  // ── Render ────────────────────────────────────────────────────────────────────────────────

  override render(): TemplateResult {
    this.#errorsIndex();
    const form = this.doc?.get('/form');
    const pages = pagesOf(form);
    const formShape = form === undefined || (isObject(form) && (form.pages === undefined || Array.isArray(form.pages)));
    const pageKeys = this.#pageKeys.keysOf('pages', pages);
    const refs = this.#fieldRefs(pages);
    const hasConsent = refs.some((r) => r.node.type === 'consent');
    return html`
      <div part="base">
        <h2 tabindex="-1" data-pointer="/form">${this.#m('heading')}</h2>
        <p class="muted">${this.#m('intro')}</p>
        ${this.#errors('/form')}
        ${formShape
          ? nothing
          : html`<p class="note">${this.#m('notEditable')}</p>
              <pre>${conditionText(form)}</pre>`}
        <h3 id="pages-heading" tabindex="-1" data-pointer=${PAGES}>${this.#m('pages')}</h3>
        ${this.#errors(PAGES)}
        ${pages.length === 0 && formShape ? html`<p>${this.#m('noForm')}</p>` : nothing}
        <ol aria-labelledby="pages-heading">
          ${repeat(
            pages,
            (_, i) => pageKeys[i]!,
            (page, p) => this.#page(page, p, pageKeys[p]!, pages, refs),
          )}
        </ol>
        ${formShape ? html`<button type="button" @click=${() => this.#addPage()}>${this.#m('addPage')}</button>` : nothing}
        ${hasConsent || pages.length === 0
          ? nothing
          : html`<div class="note">
              <p>${this.#m('consentMissing')}</p>
              <button type="button" @click=${() => this.#addConsent()}>${this.#m('addConsent')}</button>
            </div>`}
        ${this.#privacy()}
      </div>
    `;
  }

  #fieldRefs(pages: readonly Json[]): FieldRef[] {
    const refs: FieldRef[] = [];
    pages.forEach((page, p) =>
      fieldsOf(page).forEach((node, index) => {
        if (isObject(node) && typeof node.name === 'string') refs.push({ name: node.name, node, page: p, index });
      }),
    );
    return refs;
  }

  #page(page: Json, p: number, key: string, pages: readonly Json[], refs: readonly FieldRef[]): TemplateResult {
    const pointer = child(PAGES, p);
    const n = p + 1;
    const open = !this.#closed.has(key);
    const title = pageTitle(page, this.locale, '');
    const count = pages.length;
    const bodyId = `page-body-${key}`;
    return html`
      <li
        class="page"
        part="page"
        @dragover=${(e: DragEvent) => this.#dragOver(e, { kind: 'page', page: p })}
        @dragleave=${(e: DragEvent) => this.#dragLeave(e)}
        @drop=${(e: DragEvent) => this.#drop(e, { kind: 'page', page: p })}
      >
        <div class="head">
          <span class="handle" draggable="true" aria-hidden="true" title=${this.#m('dragHandle')} data-drag="page" @dragstart=${(e: DragEvent) => this.#dragStart(e, { kind: 'page', index: p })} @dragend=${() => this.#dragEnd()}>⠿</span>
          <h3>
            <button type="button" class="toggle" aria-expanded=${open ? 'true' : 'false'} aria-controls=${ifDefined(open ? bodyId : undefined)} data-pointer=${pointer} data-page=${key} data-action="toggle" @click=${() => this.#togglePage(key)}>
              ${title ? this.#m('pageSummary', { n, title }) : this.#m('page', { n })}
            </button>
          </h3>
          ${this.#moveButtons({
            up: this.#m('movePageUp', { n }),
            down: this.#m('movePageDown', { n }),
            first: p === 0,
            last: p === count - 1,
            data: { page: key },
            onUp: () => this.#movePage(p, p - 1, 'up'),
            onDown: () => this.#movePage(p, p + 1, 'down'),
          })}
          <button type="button" data-page=${key} data-action="duplicate" aria-label=${this.#m('duplicatePage', { n })} @click=${() => this.#duplicatePage(p)}>${this.#short('duplicate')}</button>
          <button type="button" data-page=${key} data-action="delete" aria-label=${this.#m('deletePage', { n })} ?disabled=${count <= 1} @click=${() => this.#deletePage(p)}>${this.#short('delete')}</button>
        </div>
        ${this.#errors(pointer)}
        ${open ? html`<div id=${bodyId}>${isObject(page) ? this.#pageBody(page, p, key, pages, refs) : html`<p class="note">${this.#m('notEditable')}</p><pre>${conditionText(page)}</pre>`}</div>` : nothing}
      </li>
    `;
  }

  #short(action: 'up' | 'down' | 'duplicate' | 'delete'): string {
    // The visible word is part of each button's fuller accessible name (WCAG 2.5.3, label in name).
    return this.#m(`short.${action}`);
  }

  #moveButtons(o: { up: string; down: string; first: boolean; last: boolean; data: { page?: string; field?: string }; onUp: () => void; onDown: () => void; pointer?: string }): TemplateResult {
    // aria-disabled, not disabled: the button that moved an item to the end keeps the focus.
    return html`
      <button type="button" data-page=${ifDefined(o.data.page)} data-field=${ifDefined(o.data.field)} data-action="up" aria-label=${o.up} aria-disabled=${o.first ? 'true' : 'false'} @click=${() => !o.first && o.onUp()}>${this.#short('up')}</button>
      <button type="button" data-page=${ifDefined(o.data.page)} data-field=${ifDefined(o.data.field)} data-action="down" aria-label=${o.down} aria-disabled=${o.last ? 'true' : 'false'} @click=${() => !o.last && o.onDown()}>${this.#short('down')}</button>
    `;
  }

  #pageBody(page: JsonObject, p: number, key: string, pages: readonly Json[], refs: readonly FieldRef[]): TemplateResult {
    const pointer = child(PAGES, p);
    const fieldsPointer = child(pointer, 'fields');
    const fields = fieldsOf(page);
    const keys = this.#fieldKeys.keysOf(key, fields);
    const typeSelectId = `add-type-${key}`;
    return html`
      ${this.#input({ pointer: child(pointer, 'id'), label: this.#m('pageId'), value: page.id, hint: this.#m('pageIdHint'), onInput: (v) => this.#set(child(pointer, 'id'), v, child(pointer, 'id')) })}
      ${this.#pair(child(pointer, 'title'), this.#m('title'), page.title, false)}
      ${this.#pair(child(pointer, 'description'), this.#m('description'), page.description, true, true)}
      <h4 id=${`fields-h-${key}`} tabindex="-1" data-pointer=${fieldsPointer}>${this.#m('fields')} <span class="muted">(${this.#m('fieldCount', { count: fields.length })})</span></h4>
      ${this.#errors(fieldsPointer)}
      ${Array.isArray(page.fields) || page.fields === undefined ? nothing : html`<p class="note">${this.#m('notEditable')}</p><pre>${conditionText(page.fields)}</pre>`}
      <ol aria-labelledby=${`fields-h-${key}`}>
        ${repeat(
          fields,
          (_, i) => keys[i]!,
          (field, i) => this.#card(field, p, i, keys[i]!, fields.length, pages, refs),
        )}
      </ol>
      ${Array.isArray(page.fields) || page.fields === undefined ? this.#addFieldControls(p, key, typeSelectId) : nothing}
    `;
  }

  #addFieldControls(p: number, key: string, typeSelectId: string): TemplateResult {
    return html`
      <div class="actions">
        <div class="control">
          <label for=${typeSelectId}>${this.#m('addFieldType')}</label>
          <select id=${typeSelectId}>
            ${FIELD_TYPES.map((t) => html`<option value=${t}>${this.#m(`type.${t}` as FormMessageKey)}</option>`)}
          </select>
        </div>
        <button
          type="button"
          data-page=${key}
          data-action="add-field"
          @click=${() => this.#addField(p, (this.renderRoot.querySelector<HTMLSelectElement>(`#${typeSelectId}`)?.value ?? 'text') as FieldType)}
        >
          ${this.#m('addField')}
        </button>
      </div>
    `;
  }

  // ── Field cards ───────────────────────────────────────────────────────────────────────────

  #card(field: Json, p: number, i: number, key: string, count: number, pages: readonly Json[], refs: readonly FieldRef[]): TemplateResult {
    const pointer = child(PAGES, p, 'fields', i);
    const open = this.#open.has(key);
    const problems = this.#problemsIn.get(pointer) ?? 0;
    const head = guard([field, pointer, count, problems, this.locale, open], () => this.#cardHead(field, p, i, key, count, open, problems));
    return html`
      <li
        class=${isObject(field) && isKnownFieldType(field.type) ? 'card' : 'card readonly'}
        part="field"
        @dragover=${(e: DragEvent) => this.#dragOver(e, { kind: 'field', page: p })}
        @dragleave=${(e: DragEvent) => this.#dragLeave(e)}
        @drop=${(e: DragEvent) => this.#drop(e, { kind: 'field', page: p, index: i })}
      >
        ${head}
        ${open ? html`<div class="details" id=${`details-${key}`}>${this.#details(field, p, i, pointer, pages, refs)}</div>` : nothing}
      </li>
    `;
  }

  #cardHead(field: Json, p: number, i: number, key: string, count: number, open: boolean, problems: number): TemplateResult {
    const pointer = child(PAGES, p, 'fields', i);
    const name = fieldTitle(field, this.locale);
    const node = isObject(field) ? field : undefined;
    const type = node?.type;
    const typeText = isKnownFieldType(type) ? this.#m(`type.${type}` as FormMessageKey) : typeof type === 'string' ? type : '?';
    const personal = node?.personal === true || (isKnownFieldType(type) && PERSONAL_TYPES.includes(type));
    const meta = [typeText, node?.required === true ? this.#m('required') : this.#m('optional'), personal ? this.#m('personal') : undefined, node?.visibleWhen !== undefined ? this.#m('condition') : undefined].filter(Boolean).join(' · ');
    return html`
      <div class="summary">
        <span class="handle" draggable="true" aria-hidden="true" title=${this.#m('dragHandle')} data-drag="field" @dragstart=${(e: DragEvent) => this.#dragStart(e, { kind: 'field', page: p, index: i })} @dragend=${() => this.#dragEnd()}>⠿</span>
        <button type="button" class="toggle" aria-expanded=${open ? 'true' : 'false'} aria-controls=${ifDefined(open ? `details-${key}` : undefined)} data-pointer=${pointer} data-field=${key} data-action="toggle" @click=${() => this.#toggleField(key)}>
          <span class="label">${name}</span>
          <span class="meta">${meta}${problems ? html` · <span class="bad">${this.#m('problems', { count: problems })}</span>` : nothing}</span>
        </button>
        ${this.#moveButtons({
          up: this.#m('moveFieldUp', { name }),
          down: this.#m('moveFieldDown', { name }),
          first: i === 0,
          last: i === count - 1,
          data: { field: key },
          onUp: () => this.#moveField(p, i, i - 1, 'up'),
          onDown: () => this.#moveField(p, i, i + 1, 'down'),
        })}
      </div>
    `;
  }

  #details(field: Json, p: number, i: number, pointer: string, pages: readonly Json[], refs: readonly FieldRef[]): TemplateResult {
    const name = fieldTitle(field, this.locale);
    const actions = html`
      <div class="actions">
        ${this.#moveToPage(p, i, pointer, pages)}
        ${isObject(field) && isKnownFieldType(field.type)
          ? html`<button type="button" aria-label=${this.#m('duplicateField', { name })} @click=${() => this.#duplicateField(p, i)}>${this.#short('duplicate')}</button>`
          : nothing}
        <button type="button" aria-label=${this.#m('deleteField', { name })} @click=${() => this.#deleteField(p, i)}>${this.#short('delete')}</button>
      </div>
    `;
    if (!isObject(field)) return html`<p class="note">${this.#m('notAField')}</p><pre>${conditionText(field)}</pre>${actions}`;
    const type = field.type;
    if (!isKnownFieldType(type)) {
      return html`
        <p class="note" id=${idFor('n', pointer)}>${this.#m('unknownType')}</p>
        ${this.#errors(child(pointer, 'type'))}
        <pre tabindex="0" aria-describedby=${idFor('n', pointer)} aria-label=${name}>${JSON.stringify(field, null, 2)}</pre>
        ${actions}
      `;
    }
    const at = (...keys: Array<string | number>) => child(pointer, ...keys);
    const personalAlways = PERSONAL_TYPES.includes(type);
    const others = refs.filter((r) => r.page < p || (r.page === p && r.index < i));
    return html`
      ${this.#errors(pointer)}
      <div class="grid">
        ${this.#input({ pointer: at('name'), label: this.#m('name'), value: field.name, hint: this.#m('nameHint'), onInput: (v) => this.#rename(p, i, field.name, v) })}
        ${this.#select({
          pointer: at('type'),
          label: this.#m('type'),
          value: type,
          options: FIELD_TYPES.map((t) => ({ value: t, text: this.#m(`type.${t}` as FormMessageKey) })),
          onChange: (v) => this.#changeType(pointer, field, v as FieldType),
        })}
      </div>
      ${this.#pair(at('label'), this.#m('label'), field.label, false)}
      ${this.#pair(at('hint'), this.#m('hint'), field.hint, true)}
      ${this.#check({ pointer: at('required'), label: this.#m('required'), checked: field.required === true, onChange: (v) => this.#set(at('required'), v ? true : undefined) })}
      ${this.#check({
        pointer: at('personal'),
        label: this.#m('personal'),
        checked: personalAlways || field.personal === true,
        disabled: personalAlways,
        hint: personalAlways ? this.#m('personalAlways') : this.#m('personalHint'),
        onChange: (v) => this.#set(at('personal'), v ? true : undefined),
      })}
      ${applies('role', type)
        ? this.#select({
            pointer: at('role'),
            label: this.#m('role'),
            value: typeof field.role === 'string' ? field.role : '',
            options: [
              { value: '', text: this.#m('roleNone') },
              { value: 'title', text: this.#m('roleTitle') },
              { value: 'description', text: this.#m('roleDescription') },
              ...(typeof field.role === 'string' && !['title', 'description'].includes(field.role) ? [{ value: field.role, text: field.role }] : []),
            ],
            onChange: (v) => this.#set(at('role'), v === '' ? undefined : v),
          })
        : nothing}
      ${this.#typeSpecific(field, type, pointer)}
      ${this.#notApplicable(field, type, pointer)}
      ${this.#conditionEditor(field, pointer, others, refs)}
      ${actions}
    `;
  }

  #moveToPage(p: number, i: number, pointer: string, pages: readonly Json[]): TemplateResult | typeof nothing {
    if (pages.length < 2) return nothing;
    const id = idFor('mv', pointer);
    return html`
      <div class="control">
        <label for=${id}>${this.#m('moveToPage')}</label>
        <select
          id=${id}
          data-pointer=${child(pointer, 'move')}
          @change=${(e: Event) => {
            const to = Number((e.target as HTMLSelectElement).value);
            if (to !== p) this.#moveFieldToPage(p, i, to);
          }}
        >
          ${pages.map((page, q) => {
            const title = pageTitle(page, this.locale, '');
            return html`<option value=${q} ?selected=${q === p}>${title ? this.#m('pageSummary', { n: q + 1, title }) : this.#m('page', { n: q + 1 })}</option>`;
          })}
        </select>
      </div>
    `;
  }

  #typeSpecific(field: JsonObject, type: FieldType, pointer: string): TemplateResult | typeof nothing {
    const at = (key: string) => child(pointer, key);
    const parts: TemplateResult[] = [];
    if (type === 'number') {
      parts.push(html`<div class="grid">
        ${this.#numberInput(at('min'), this.#m('min'), field.min)}
        ${this.#numberInput(at('max'), this.#m('max'), field.max)}
      </div>`);
    }
    if (type === 'date') {
      parts.push(html`<div class="grid">
        ${this.#input({ pointer: at('min'), label: this.#m('minDate'), value: field.min, type: 'date', onInput: (v) => this.#set(at('min'), v === '' ? undefined : v, at('min')) })}
        ${this.#input({ pointer: at('max'), label: this.#m('maxDate'), value: field.max, type: 'date', onInput: (v) => this.#set(at('max'), v === '' ? undefined : v, at('max')) })}
      </div>`);
    }
    if (TEXT_TYPES.includes(type)) {
      parts.push(html`<div class="grid">
        ${this.#numberInput(at('minLength'), this.#m('minLength'), field.minLength, 0)}
        ${this.#numberInput(at('maxLength'), this.#m('maxLength'), field.maxLength, 1)}
      </div>
      ${this.#input({ pointer: at('pattern'), label: this.#m('pattern'), value: field.pattern, onInput: (v) => this.#set(at('pattern'), v === '' ? undefined : v, at('pattern')) })}`);
    }
    if (CHOICE_TYPES.includes(type)) parts.push(this.#options(field, pointer));
    if (type === 'file') {
      parts.push(html`
        ${this.#input({
          pointer: at('accept'),
          label: this.#m('accept'),
          value: Array.isArray(field.accept) ? field.accept.join(', ') : field.accept,
          hint: this.#m('acceptHint'),
          event: 'change',
          onInput: (v) => {
            const list = v.split(',').map((s) => s.trim()).filter(Boolean);
            this.#set(at('accept'), list.length ? list : undefined);
          },
        })}
        <div class="grid">
          ${this.#numberInput(at('maxSize'), this.#m('maxSize'), field.maxSize, 1)}
          ${this.#numberInput(at('maxFiles'), this.#m('maxFiles'), field.maxFiles, 1, 20)}
        </div>
      `);
    }
    return parts.length ? html`${parts}` : nothing;
  }

  #notApplicable(field: JsonObject, type: FieldType, pointer: string): TemplateResult | typeof nothing {
    const keys = Object.keys(APPLIES_TO).filter((k) => k in field && !applies(k, type));
    if (keys.length === 0) return nothing;
    return html`${keys.map((key) => {
      const at = child(pointer, key);
      const noteId = idFor('na', at);
      return html`<div class="note">
        <p id=${noteId}>${this.#m('notApplicable', { key })} <code>${conditionText(field[key])}</code></p>
        ${this.#errors(at)}
        <button type="button" data-pointer=${at} aria-describedby=${this.#describedBy([noteId, ...this.#errorIds(at)])} @click=${() => this.#set(at, undefined)}>${this.#m('removeProperty', { key })}</button>
      </div>`;
    })}`;
  }

  #options(field: JsonObject, pointer: string): TemplateResult {
    const optionsPointer = child(pointer, 'options');
    const options = Array.isArray(field.options) ? field.options : [];
    const legendId = idFor('ol', optionsPointer);
    const addOption = () => {
      const taken = new Set(options.map((o) => (isObject(o) && typeof o.value === 'string' ? o.value : '')));
      let n = options.length + 1;
      while (taken.has(`option${n}`)) n++;
      const option = defaultOption(n, (k) => this.#wordsFor('newOption', { n: k }));
      if (Array.isArray(field.options)) this.doc?.insert(optionsPointer, option);
      else this.#set(optionsPointer, [option]);
      void this.#focusPointerControl(child(optionsPointer, options.length, 'value'));
    };
    const move = (from: number, to: number, action: string) => {
      if (to < 0 || to >= options.length) return;
      this.doc?.move(optionsPointer, from, to);
      this.#announce(this.#m('optionMoved', { name: optionTitle(options[from], this.locale), position: to + 1, count: options.length }));
      void this.#focus(`[data-option="${CSS.escape(child(optionsPointer, to))}"][data-action="${action}"]`);
    };
    return html`
      <fieldset aria-describedby=${this.#describedBy(this.#errorIds(optionsPointer))}>
        <legend id=${legendId}>${this.#m('options')}</legend>
        ${this.#errors(optionsPointer)}
        <ol>
          ${options.map((option, k) => {
            const at = child(optionsPointer, k);
            const n = k + 1;
            const o = isObject(option) ? option : {};
            return html`<li class="option"><div role="group" aria-label=${this.#m('optionN', { n })}>
              ${this.#errors(at)}
              <div class="grid">
                ${this.#input({ pointer: child(at, 'value'), label: `${this.#m('optionN', { n })} · ${this.#m('optionValue')}`, value: o.value, onInput: (v) => this.#set(child(at, 'value'), v, child(at, 'value')) })}
              </div>
              ${this.#pair(child(at, 'label'), `${this.#m('optionN', { n })} · ${this.#m('label')}`, o.label, false)}
              <div class="actions">
                <button type="button" data-option=${at} data-action="up" aria-label=${this.#m('moveOptionUp', { n })} aria-disabled=${k === 0 ? 'true' : 'false'} @click=${() => move(k, k - 1, 'up')}>${this.#short('up')}</button>
                <button type="button" data-option=${at} data-action="down" aria-label=${this.#m('moveOptionDown', { n })} aria-disabled=${k === options.length - 1 ? 'true' : 'false'} @click=${() => move(k, k + 1, 'down')}>${this.#short('down')}</button>
                <button
                  type="button"
                  aria-label=${this.#m('deleteOption', { n })}
                  @click=${() => {
                    this.doc?.remove(at);
                    this.#announce(this.#m('optionDeleted', { name: optionTitle(option, this.locale) }));
                    void this.#focusPointerControl(options.length > 1 ? child(optionsPointer, Math.min(k, options.length - 2), 'value') : optionsPointer);
                  }}
                >
                  ${this.#short('delete')}
                </button>
              </div>
            </div></li>`;
          })}
        </ol>
        <button type="button" data-pointer=${optionsPointer} @click=${addOption}>${this.#m('addOption')}</button>
      </fieldset>
    `;
  }

  // ── The condition builder ─────────────────────────────────────────────────────────────────

  #conditionEditor(field: JsonObject, pointer: string, earlier: readonly FieldRef[], all: readonly FieldRef[]): TemplateResult {
    const at = child(pointer, 'visibleWhen');
    const current = field.visibleWhen;
    const set = (model: ConditionModel) => this.#set(at, writeCondition(model));
    const legend = html`<legend>${this.#m('condition')}</legend>`;
    if (current === undefined) {
      const fallback = [...earlier].reverse().find((r) => isChoice(r.node)) ?? earlier[earlier.length - 1];
      return html`<fieldset>
        ${legend}
        <p>${this.#m('conditionNone')}</p>
        ${fallback
          ? html`<button
              type="button"
              data-pointer=${at}
              @click=${() => {
                set({ combinator: 'all', not: false, rows: [defaultRow(fallback)] });
                void this.#focusPointerControl(child(at, 'field'));
              }}
            >
              ${this.#m('addCondition')}
            </button>`
          : html`<p class="muted">${this.#m('conditionNoFields')}</p>`}
      </fieldset>`;
    }
    const model = readCondition(current);
    const remove = html`<button
      type="button"
      @click=${() => {
        this.#set(at, undefined);
        void this.#focusPointerControl(at);
      }}
    >
      ${this.#m('removeCondition')}
    </button>`;
    if (!model) {
      const noteId = idFor('cn', at);
      return html`<fieldset>
        ${legend}
        <p class="note" id=${noteId}>${this.#m('conditionReadOnly')}</p>
        ${this.#errorsUnder(at)}
        <pre tabindex="0" data-pointer=${at} aria-label=${this.#m('condition')} aria-describedby=${noteId}>${conditionText(current)}</pre>
        ${remove}
      </fieldset>`;
    }
    const groupPointer = model.not ? child(at, 'not') : at;
    const byName = new Map(all.map((r) => [r.name, r]));
    const choices = [...earlier];
    for (const row of model.rows) if (!choices.some((r) => r.name === row.field)) {
      const ref = byName.get(row.field);
      choices.push(ref ?? { name: row.field, node: {}, page: -1, index: -1 });
    }
    const update = (k: number, row: ConditionRow) => set({ ...model, rows: model.rows.map((r, j) => (j === k ? row : r)) });
    return html`<fieldset>
      ${legend}
      <p>${this.#m('showWhen')}</p>
      ${this.#errors(at)}
      ${this.#check({ pointer: at, label: this.#m('not'), checked: model.not, onChange: (v) => set({ ...model, not: v }) })}
      ${model.rows.length > 1
        ? this.#select({
            pointer: groupPointer,
            label: this.#m('combinator'),
            value: model.combinator,
            options: [
              { value: 'all', text: this.#m('all') },
              { value: 'any', text: this.#m('any') },
            ],
            onChange: (v) => set({ ...model, combinator: v as 'all' | 'any' }),
          })
        : nothing}
      ${model.rows.map((row, k) => this.#conditionRow(model, row, k, child(at, ...parsePointer(rowPointer(model, k))), choices, byName, (r) => update(k, r), () => set({ ...model, rows: model.rows.filter((_, j) => j !== k) })))}
      <div class="actions">
        <button
          type="button"
          @click=${() => {
            const fallback = [...earlier].reverse().find((r) => isChoice(r.node)) ?? earlier[earlier.length - 1] ?? byName.get(model.rows[0]!.field);
            if (!fallback) return;
            const next = { ...model, rows: [...model.rows, defaultRow(fallback)] };
            set(next);
            void this.#focusPointerControl(child(at, ...parsePointer(rowPointer(next, next.rows.length - 1)), 'field'));
          }}
        >
          ${this.#m('addRow')}
        </button>
        ${remove}
      </div>
    </fieldset>`;
  }

  /** Errors at or under a pointer, for a read-only part that has no controls of its own. */
  #errorsUnder(pointer: string): TemplateResult {
    const pointers = [...this.#errorsAt.keys()].filter((p) => p === pointer || p.startsWith(`${pointer}/`));
    return html`${pointers.map((p) => this.#errors(p))}`;
  }

  #conditionRow(
    model: ConditionModel,
    row: ConditionRow,
    k: number,
    at: string,
    choices: readonly FieldRef[],
    byName: ReadonlyMap<string, FieldRef>,
    update: (row: ConditionRow) => void,
    remove: () => void,
  ): TemplateResult {
    const n = k + 1;
    const target = byName.get(row.field)?.node;
    const options = target && isChoice(target) && Array.isArray(target.options) ? target.options.filter(isObject) : undefined;
    const boolean = target !== undefined && !options && (target.type === 'checkbox' || target.type === 'consent');
    const operators = OPERATORS.filter((o) => o !== 'in' || options || row.operator === 'in');
    const valuePointer = child(at, row.operator === 'in' ? 'in' : row.operator === 'equals' ? 'equals' : 'filled');
    let value: TemplateResult | typeof nothing = nothing;
    if (row.operator === 'equals') {
      if (options || boolean) {
        const list: Array<{ value: string; text: string; raw: Scalar }> = options
          ? options.map((o) => ({ value: `s:${String(o.value)}`, text: optionTitle(o, this.locale), raw: String(o.value) }))
          : [
              { value: 'b:true', text: this.#m('yes'), raw: true },
              { value: 'b:false', text: this.#m('no'), raw: false },
            ];
        const encode = (v: Scalar | undefined) => `${typeof v === 'boolean' ? 'b' : typeof v === 'number' ? 'n' : 's'}:${String(v)}`;
        if (row.value !== undefined && !list.some((o) => o.value === encode(row.value))) list.push({ value: encode(row.value), text: String(row.value), raw: row.value });
        value = this.#select({
          pointer: valuePointer,
          label: this.#m('value', { n }),
          value: encode(row.value),
          options: list,
          onChange: (v) => update({ ...row, value: list.find((o) => o.value === v)?.raw ?? v }),
        });
      } else if (target?.type === 'number') {
        value = this.#input({
          pointer: valuePointer,
          label: this.#m('value', { n }),
          value: row.value,
          type: 'number',
          onInput: (v) => {
            const num = Number(v);
            if (v !== '' && Number.isFinite(num)) this.#set(valuePointer, num, valuePointer);
          },
        });
      } else {
        value = this.#input({
          pointer: valuePointer,
          label: this.#m('value', { n }),
          value: typeof row.value === 'boolean' ? String(row.value) : row.value,
          type: target?.type === 'date' ? 'date' : 'text',
          onInput: (v) => this.#set(valuePointer, v, valuePointer),
        });
      }
    } else if (row.operator === 'in') {
      const chosen = row.values ?? [];
      const list = (options ?? []).map((o) => ({ raw: String(o.value) as Scalar, text: optionTitle(o, this.locale) }));
      for (const v of chosen) if (!list.some((o) => o.raw === v)) list.push({ raw: v, text: String(v) });
      value = html`<fieldset aria-describedby=${this.#describedBy(this.#errorIds(valuePointer))}>
        <legend>${this.#m('values', { n })}</legend>
        ${this.#errors(valuePointer)}
        ${list.map((o, j) => {
          const id = `${idFor('c', valuePointer)}-${j}`;
          const itemPointer = child(valuePointer, Math.max(0, chosen.indexOf(o.raw)));
          return html`<div class="check">
            <input
              type="checkbox"
              id=${id}
              data-pointer=${j === 0 ? valuePointer : itemPointer}
              .checked=${chosen.includes(o.raw)}
              aria-invalid=${(this.#errorsAt.get(itemPointer)?.length ?? 0) > 0 && chosen.includes(o.raw) ? 'true' : 'false'}
              @change=${(e: Event) => {
                const on = (e.target as HTMLInputElement).checked;
                const values = on ? list.map((x) => x.raw).filter((x) => x === o.raw || chosen.includes(x)) : chosen.filter((x) => x !== o.raw);
                update({ ...row, values });
              }}
            />
            <label for=${id}>${o.text}</label>
          </div>`;
        })}
      </fieldset>`;
    }
    return html`<div class="row" role="group" aria-label=${this.#m('conditionN', { n })}>
      ${this.#errors(at)}
      ${this.#select({
        pointer: child(at, 'field'),
        label: this.#m('conditionField', { n }),
        value: row.field,
        options: choices.map((r) => ({ value: r.name, text: r.page < 0 ? this.#m('missingField', { name: r.name }) : `${fieldTitle(r.node, this.locale)} (${r.name})` })),
        onChange: (name) => {
          const ref = byName.get(name);
          if (!ref) return;
          const fresh = defaultRow(ref);
          const keep = row.operator === 'filled' || row.operator === 'empty' || (row.operator === 'in' && isChoice(ref.node));
          update(keep ? { ...fresh, operator: row.operator, values: row.operator === 'in' ? fresh.values : undefined } : fresh);
        },
      })}
      ${this.#select({
        pointer: at,
        label: this.#m('operator', { n }),
        value: row.operator,
        options: operators.map((o) => ({ value: o, text: this.#m(o) })),
        onChange: (op) => {
          const ref = byName.get(row.field);
          const fresh = ref ? defaultRow(ref) : { field: row.field, operator: 'equals' as Operator, value: '' };
          const operator = op as Operator;
          if (operator === 'equals') update({ field: row.field, operator, value: row.values?.[0] ?? fresh.value ?? '' });
          else if (operator === 'in') update({ field: row.field, operator, values: row.value !== undefined && row.value !== '' ? [row.value] : fresh.value !== undefined ? [fresh.value] : [] });
          else update({ field: row.field, operator });
        },
      })}
      ${value}
      <button type="button" aria-label=${this.#m('deleteRow', { n })} @click=${remove}>${this.#short('delete')}</button>
    </div>`;
  }

  // ── Privacy and the anonymous option ──────────────────────────────────────────────────────

  #privacy(): TemplateResult {
    const privacy = this.doc?.get('/privacy');
    const node = isObject(privacy) ? privacy : {};
    const shapeOk = privacy === undefined || isObject(privacy);
    const steps = this.doc?.get('/steps');
    const intake = Array.isArray(steps) ? steps.findIndex((s) => isObject(s) && s.type === 'intake') : -1;
    const intakeStep = intake >= 0 && Array.isArray(steps) ? steps[intake] : undefined;
    const url = typeof node.url === 'string' ? node.url : '';
    const urlHint = url !== '' && !isWebUrl(url) ? this.#m('urlHint') : undefined;
    const setPrivacy = (key: string, value: string) => {
      // Typing into an empty notice starts it; clearing every part of it removes it.
      const next: JsonObject = { ...node };
      if (value === '' && (key === 'url' || key === 'contact')) delete next[key];
      else next[key] = value;
      this.#set('/privacy', isEmptyNotice(next) ? undefined : next, child('/privacy', key));
    };
    const setPrivacyText = (key: string, locale: StudioLocale, value: string) => {
      const pair = isObject(node[key]) ? { ...(node[key] as JsonObject) } : {};
      pair[locale] = value;
      const next: JsonObject = { ...node, [key]: pair };
      this.#set('/privacy', isEmptyNotice(next) ? undefined : next, child('/privacy', key, locale));
    };
    return html`
      <section class="extra" part="privacy" aria-labelledby="privacy-heading">
        <h3 id="privacy-heading" tabindex="-1" data-pointer="/privacy">${this.#m('privacy')}</h3>
        <p class="muted">${this.#m('privacyIntro')}</p>
        ${this.#errors('/privacy')}
        ${shapeOk
          ? html`
              ${(['controller', 'purpose', 'retention'] as const).map((key) =>
                this.#pair(child('/privacy', key), this.#m(key), node[key], false, key !== 'controller', (locale, v) => setPrivacyText(key, locale, v)),
              )}
              <div class="grid">
                ${this.#input({ pointer: '/privacy/contact', label: this.#m('contact'), value: node.contact, hint: this.#m('contactHint'), onInput: (v) => setPrivacy('contact', v) })}
                ${this.#input({ pointer: '/privacy/url', label: this.#m('url'), value: node.url, type: 'text', warning: urlHint, onInput: (v) => setPrivacy('url', v) })}
              </div>
            `
          : html`<p class="note">${this.#m('notEditable')}</p><pre>${conditionText(privacy)}</pre>`}
        ${intake >= 0 && isObject(intakeStep)
          ? this.#check({
              pointer: `/steps/${intake}/anonymous`,
              label: this.#m('anonymous'),
              checked: intakeStep.anonymous === true,
              hint: this.#m('anonymousHint'),
              onChange: (v) => this.#set(`/steps/${intake}/anonymous`, v),
            })
          : html`<p class="muted">${this.#m('noIntake')}</p>`}
      </section>
    `;
  }

  // ── Controls ──────────────────────────────────────────────────────────────────────────────

  #input(o: {
    pointer: string;
    label: string;
    value: Json | undefined;
    type?: 'text' | 'date' | 'number';
    hint?: string;
    warning?: string;
    lang?: string;
    describe?: string[];
    multiline?: boolean;
    event?: 'input' | 'change';
    onInput: (value: string) => void;
  }): TemplateResult {
    const id = idFor('c', o.pointer);
    const hintId = o.hint ? idFor('h', o.pointer) : undefined;
    const warnId = o.warning ? idFor('w', o.pointer) : undefined;
    const errorIds = this.#errorIds(o.pointer, ...(o.describe ?? []));
    const value = typeof o.value === 'string' || typeof o.value === 'number' ? String(o.value) : o.value === undefined || o.value === null ? '' : JSON.stringify(o.value);
    const handler = (e: Event) => o.onInput((e.target as HTMLInputElement).value);
    const describedBy = this.#describedBy([hintId, warnId, ...errorIds]);
    const invalid = errorIds.length > 0 ? 'true' : 'false';
    return html`<div class="control">
      <label for=${id}>${o.label}</label>
      ${o.hint ? html`<p class="hint" id=${ifDefined(hintId)}>${o.hint}</p>` : nothing}
      ${o.multiline
        ? html`<textarea id=${id} rows="2" lang=${ifDefined(o.lang)} data-pointer=${o.pointer} .value=${value} aria-invalid=${invalid} aria-describedby=${describedBy} @input=${handler}></textarea>`
        : o.event === 'change'
          ? html`<input id=${id} type=${o.type ?? 'text'} lang=${ifDefined(o.lang)} data-pointer=${o.pointer} .value=${value} aria-invalid=${invalid} aria-describedby=${describedBy} @change=${handler} />`
          : html`<input id=${id} type=${o.type ?? 'text'} lang=${ifDefined(o.lang)} data-pointer=${o.pointer} .value=${value} aria-invalid=${invalid} aria-describedby=${describedBy} @input=${handler} />`}
      ${o.warning ? html`<p class="error" id=${ifDefined(warnId)}>${o.warning}</p>` : nothing}
      ${this.#errors(o.pointer)}
    </div>`;
  }

  #numberInput(pointer: string, label: string, value: Json | undefined, min?: number, max?: number): TemplateResult {
    const id = idFor('c', pointer);
    const errorIds = this.#errorIds(pointer);
    return html`<div class="control">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        type="number"
        min=${ifDefined(min)}
        max=${ifDefined(max)}
        data-pointer=${pointer}
        .value=${typeof value === 'number' || typeof value === 'string' ? String(value) : ''}
        aria-invalid=${errorIds.length ? 'true' : 'false'}
        aria-describedby=${this.#describedBy(errorIds)}
        @input=${(e: Event) => this.#setNumber(pointer, e.target as HTMLInputElement)}
      />
      ${this.#errors(pointer)}
    </div>`;
  }

  #select(o: { pointer: string; label: string; value: string; options: ReadonlyArray<{ value: string; text: string }>; onChange: (value: string) => void }): TemplateResult {
    const id = idFor('s', o.pointer);
    const errorIds = this.#errorIds(o.pointer);
    return html`<div class="control">
      <label for=${id}>${o.label}</label>
      <select
        id=${id}
        data-pointer=${o.pointer}
        aria-invalid=${errorIds.length ? 'true' : 'false'}
        aria-describedby=${this.#describedBy(errorIds)}
        @change=${(e: Event) => o.onChange((e.target as HTMLSelectElement).value)}
      >
        ${o.options.map((opt) => html`<option value=${opt.value} ?selected=${opt.value === o.value}>${opt.text}</option>`)}
      </select>
      ${this.#errors(o.pointer)}
    </div>`;
  }

  #check(o: { pointer: string; label: string; checked: boolean; disabled?: boolean; hint?: string; onChange: (checked: boolean) => void }): TemplateResult {
    const id = idFor('k', o.pointer);
    const hintId = o.hint ? idFor('kh', o.pointer) : undefined;
    const errorIds = this.#errorIds(o.pointer);
    return html`<div class="control">
      <div class="check">
        <input
          type="checkbox"
          id=${id}
          data-pointer=${o.pointer}
          .checked=${o.checked}
          ?disabled=${o.disabled}
          aria-invalid=${errorIds.length ? 'true' : 'false'}
          aria-describedby=${this.#describedBy([hintId, ...errorIds])}
          @change=${(e: Event) => o.onChange((e.target as HTMLInputElement).checked)}
        />
        <label for=${id}>${o.label}</label>
      </div>
      ${o.hint ? html`<p class="hint" id=${ifDefined(hintId)}>${o.hint}</p>` : nothing}
      ${this.#errors(o.pointer)}
    </div>`;
  }

  /** zh-CN and en of one text side by side. */
  #pair(pointer: string, label: string, value: Json | undefined, optional: boolean, multiline = false, onInput?: (locale: StudioLocale, value: string) => void): TemplateResult {
    const pair = isObject(value) ? value : {};
    return html`<fieldset class="pair">
      <legend>${label}</legend>
      ${this.#errors(pointer)}
      <div class="grid">
        ${(['zh-CN', 'en'] as const).map((locale) =>
          this.#input({
            pointer: child(pointer, locale),
            label: `${label} · ${this.#m(locale === 'zh-CN' ? 'zh' : 'en')}`,
            value: pair[locale],
            lang: locale,
            multiline,
            describe: [pointer],
            onInput: (v) => (onInput ? onInput(locale, v) : this.#setText(pointer, locale, v, optional)),
          }),
        )}
      </div>
    </fieldset>`;
  }
}

/** A message in a given language (for texts written into the config in both languages). */
function translateIn(locale: StudioLocale, key: FormMessageKey, params: Record<string, string | number> = {}): string {
  return formMessages[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

function isChoice(node: JsonObject): boolean {
  return isKnownFieldType(node.type) && CHOICE_TYPES.includes(node.type) && Array.isArray(node.options) && node.options.length > 0;
}

function optionTitle(option: Json | undefined, locale: StudioLocale): string {
  if (!isObject(option)) return '?';
  const label = isObject(option.label) ? option.label : {};
  const text = label[locale] ?? label[locale === 'en' ? 'zh-CN' : 'en'];
  return typeof text === 'string' && text !== '' ? text : String(option.value ?? '?');
}

/** A new condition row on a field: "equals" its first option (yes for a box), else "is filled". */
function defaultRow(ref: FieldRef): ConditionRow {
  const node = ref.node;
  if (isChoice(node)) {
    const first = (node.options as Json[]).find(isObject);
    return { field: ref.name, operator: 'equals', value: first ? String(first.value) : '' };
  }
  if (node.type === 'checkbox' || node.type === 'consent') return { field: ref.name, operator: 'equals', value: true };
  return { field: ref.name, operator: 'filled' };
}

function isEmptyNotice(notice: JsonObject): boolean {
  return Object.values(notice).every((v) => v === '' || (isObject(v) && Object.values(v).every((t) => t === '')));
}

declare global {
  interface HTMLElementTagNameMap {
    'consult-studio-form': ConsultStudioForm;
  }
}
