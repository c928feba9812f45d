import { css, html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { StudioElement } from '../studio-element.js';
import { paneStyles, studioStyles } from '../styles.js';
import type { StudioLocale } from '../i18n.js';
import { child, isWithin, type Json } from '../pointer.js';
import { Controls, describedBy, idFor } from '../lifecycle/kit.js';
import { kitStyles } from '../lifecycle/kit.styles.js';
import { collectTexts, readablePlace, type TextRow } from './translations-model.js';
import { translationsMessages, type TranslationsMessageKey } from './translations.messages.js';

/** Rows rendered at first and added by each "show more": a 200-field config has 1,000 texts. */
const SLICE = 100;

type Language = 'both' | StudioLocale;

interface PlacedRow extends TextRow {
  place: string;
}

/**
 * @tag consult-studio-translations
 * @summary Every user-facing text of the config (each `LocalizedText`) in one table: its place
 * in words, the zh-CN and en texts side by side as inputs, missing ones (absent or blank)
 * flagged by text and an icon and counted per language, filterable by a search, "only missing"
 * and language, edited in place. Long lists render in slices of 100 rows. It edits the
 * `StudioDocument` it is given (`doc`, or the one `<consult-studio>` provides).
 *
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`: the pane's words.
 * @attr search - The search text (matches the place and the texts).
 * @attr only-missing - Shows only the texts missing in the chosen language.
 * @attr language - `both` (default), `zh-CN` or `en`: the language the search and "only missing" look at.
 *
 * @csspart base - The pane's wrapper.
 * @csspart counts - The counts of texts and of missing ones.
 * @csspart table - The table of texts.
 */
export class ConsultStudioTranslations extends StudioElement {
  static override properties = {
    ...StudioElement.properties,
    search: { type: String },
    onlyMissing: { type: Boolean, attribute: 'only-missing' },
    language: { type: String },
    _limit: { state: true },
  };

  /** The search text (matches the place and the texts). */
  declare search: string;
  /** Shows only texts missing in the chosen language (both: missing in either). */
  declare onlyMissing: boolean;
  /** The language the search and "only missing" look at: `both`, `zh-CN` or `en`. */
  declare language: Language;
  declare _limit: number;

  #c: Controls = new Controls(undefined, 'zh-CN');
  #rowsFor: { value: Json | undefined; locale: StudioLocale; rows: PlacedRow[] } | undefined;
  /** Rows edited since the filters last changed stay shown (a text typed in does not vanish under the cursor). */
  #pinned = new Set<string>();

  constructor() {
    super();
    this.search = '';
    this.onlyMissing = false;
    this.language = 'both';
    this._limit = SLICE;
  }

  #m(key: TranslationsMessageKey, params?: Record<string, string | number>): string {
    return this.msg(translationsMessages, key, params);
  }

  #rows(): PlacedRow[] {
    const value = this.doc?.value;
    const locale = this.locale;
    const cached = this.#rowsFor;
    if (cached && cached.value === value && cached.locale === locale) return cached.rows;
    const rows = value === undefined ? [] : collectTexts(value).map((row) => ({ ...row, place: readablePlace(value, row.segments, locale) }));
    this.#rowsFor = { value, locale, rows };
    return rows;
  }

  #matches(row: PlacedRow): boolean {
    if (this.#pinned.has(row.pointer)) return true;
    const lang = this.language;
    if (this.onlyMissing) {
      const missing = lang === 'zh-CN' ? row.missingZh : lang === 'en' ? row.missingEn : row.missingZh || row.missingEn;
      if (!missing) return false;
    }
    const query = this.search.trim().toLowerCase();
    if (!query) return true;
    const texts = lang === 'zh-CN' ? [row.zh] : lang === 'en' ? [row.en] : [row.zh, row.en];
    return [row.place, ...texts].some((t) => t.toLowerCase().includes(query));
  }

  #filtersChanged(): void {
    this.#pinned.clear();
    this._limit = SLICE;
  }

  #edit(row: PlacedRow, locale: StudioLocale, text: string): void {
    this.#pinned.add(row.pointer);
    const at = child(row.pointer, locale);
    this.#c.set(at, text, at);
  }

  override render(): TemplateResult {
    this.#c = new Controls(this.doc, this.locale);
    const rows = this.#rows();
    const missingZh = rows.filter((r) => r.missingZh).length;
    const missingEn = rows.filter((r) => r.missingEn).length;
    const shown = rows.filter((r) => this.#matches(r));
    const visible = shown.slice(0, this._limit);
    return html`<div part="base">
      <h2>${this.#m('title')}</h2>
      <p>${this.#m('intro')}</p>
      <p part="counts" class="counts" id="counts">
        <span>${this.#m('total', { count: rows.length })}</span>
        ${missingZh || missingEn
          ? html`${missingZh ? html`<span class="missing"><span aria-hidden="true">⚠</span> ${this.#m('missingZh', { count: missingZh })}</span>` : nothing}
            ${missingEn ? html`<span class="missing"><span aria-hidden="true">⚠</span> ${this.#m('missingEn', { count: missingEn })}</span>` : nothing}`
          : html`<span>${this.#m('allDone')}</span>`}
      </p>
      <fieldset class="filters">
        <legend>${this.#m('filters')}</legend>
        <div class="control">
          <label for="search">${this.#m('search')}</label>
          <input
            id="search"
            type="search"
            data-pointer="#search"
            .value=${this.search}
            @input=${(e: Event) => {
              this.search = (e.target as HTMLInputElement).value;
              this.#filtersChanged();
            }}
          />
        </div>
        <div class="check">
          <input
            id="only-missing"
            type="checkbox"
            data-pointer="#only-missing"
            .checked=${this.onlyMissing}
            @change=${(e: Event) => {
              this.onlyMissing = (e.target as HTMLInputElement).checked;
              this.#filtersChanged();
            }}
          />
          <label for="only-missing">${this.#m('onlyMissing')}</label>
        </div>
        <div class="control">
          <label for="language">${this.#m('language')}</label>
          <p class="hint" id="language-hint">${this.#m('languageHint')}</p>
          <select
            id="language"
            data-pointer="#language"
            aria-describedby="language-hint"
            @change=${(e: Event) => {
              this.language = (e.target as HTMLSelectElement).value as Language;
              this.#filtersChanged();
            }}
          >
            ${(['both', 'zh-CN', 'en'] as const).map((l) => html`<option value=${l} ?selected=${this.language === l}>${this.#m(l === 'both' ? 'both' : l === 'zh-CN' ? 'zh' : 'en')}</option>`)}
          </select>
        </div>
      </fieldset>
      <p class="shown" id="shown">${shown.length ? this.#m('shown', { shown: visible.length, count: shown.length }) : this.#m('noMatch')}
        ${shown.length < rows.length ? html`<button type="button" @click=${() => this.#clear()}>${this.#m('clear')}</button>` : nothing}
      </p>
      <div class="scroller">
        <table part="table">
          <caption>${this.#m('caption')}</caption>
          <thead>
            <tr>
              <th scope="col">${this.#m('place')}</th>
              <th scope="col" lang="zh-CN">${this.#m('zh')}</th>
              <th scope="col">${this.#m('en')}</th>
            </tr>
          </thead>
          <tbody>
            ${repeat(visible, (row) => row.pointer, (row) => this.#row(row))}
          </tbody>
        </table>
      </div>
      ${shown.length > visible.length
        ? html`<button type="button" class="more" @click=${() => (this._limit += SLICE * 2)}>${this.#m('showMore', { count: Math.min(SLICE * 2, shown.length - visible.length) })}</button>`
        : nothing}
    </div>`;
  }

  #clear(): void {
    this.search = '';
    this.onlyMissing = false;
    this.language = 'both';
    this.#filtersChanged();
  }

  #row(row: PlacedRow): TemplateResult {
    const placeId = idFor('p', row.pointer);
    const cell = (locale: StudioLocale) => {
      const at = child(row.pointer, locale);
      const missing = locale === 'zh-CN' ? row.missingZh : row.missingEn;
      const flagId = idFor('m', at);
      return html`<td>
        <input
          type="text"
          lang=${locale}
          data-pointer=${at}
          .value=${locale === 'zh-CN' ? row.zh : row.en}
          aria-label=${this.#m(locale === 'zh-CN' ? 'zhOf' : 'enOf', { place: row.place })}
          aria-invalid=${this.#c.invalid(at, row.pointer)}
          aria-describedby=${describedBy(missing && flagId, ...this.#c.errors.ids(at, row.pointer))}
          @input=${(e: Event) => this.#edit(row, locale, (e.target as HTMLInputElement).value)}
        />
        ${missing ? html`<span class="missing" id=${flagId}><span aria-hidden="true">⚠</span> ${this.#m(locale === 'zh-CN' ? 'missingZhFlag' : 'missingEnFlag')}</span>` : nothing}
        ${this.#c.errorsAt(at)}
      </td>`;
    };
    return html`<tr class=${row.missingZh || row.missingEn ? 'has-missing' : ''}>
      <th scope="row" id=${placeId} data-pointer=${row.pointer} tabindex="-1">${row.place}${this.#c.errorsAt(row.pointer)}</th>
      ${cell('zh-CN')}${cell('en')}
    </tr>`;
  }

  /** Shows the row of `pointer`: clears filters that hide it and renders the slice that holds it. */
  protected override async revealPointer(pointer: string): Promise<void> {
    const rows = this.#rows();
    const row = rows.find((r) => isWithin(pointer, r.pointer));
    if (!row) return;
    if (!this.#matches(row)) this.#clear();
    const index = rows.filter((r) => this.#matches(r)).indexOf(row);
    if (index >= this._limit) this._limit = Math.ceil((index + 1) / SLICE) * SLICE;
    await this.updateComplete;
  }

  static override styles = [
    studioStyles,
    paneStyles,
    kitStyles,
    css`
      .counts {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.5rem;
        font-weight: 600;
      }

      .missing {
        color: #8a3b00;
        font-size: 0.875rem;
        font-weight: 600;
      }

      td .missing {
        display: block;
      }

      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 0 1.5rem;
        align-items: flex-end;
      }

      .filters .control {
        flex: 1 1 14rem;
      }

      .scroller {
        overflow-x: auto;
        max-width: 100%;
      }

      table {
        border-collapse: collapse;
        width: 100%;
        min-width: 36rem;
      }

      caption {
        text-align: start;
        font-weight: 600;
        padding: 0.5rem 0;
      }

      th,
      td {
        border-bottom: 1px solid var(--studio-line);
        padding: 0.375rem 0.5rem;
        vertical-align: top;
        text-align: start;
      }

      tbody th {
        font-weight: 400;
        width: 34%;
        overflow-wrap: anywhere;
      }

      td input {
        width: 100%;
      }

      tr.has-missing th {
        border-left: 4px solid #8a3b00;
      }

      .more {
        margin-top: 0.75rem;
      }

      @media (forced-colors: active) {
        tr.has-missing th {
          border-left-color: CanvasText;
        }
      }
    `,
  ];
}
