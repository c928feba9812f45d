import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import {
  AGENDA_STAGES,
  DEFAULTS,
  FIVE_HAVES,
  RATER_KINDS,
  REQUIRED_STEPS,
  STEP_ORDER,
  type AgendaStageId,
  type FiveHave,
  type Level,
  type RaterKind,
  type SourceId,
  type StepType,
} from '@consult-kit/machine';
import { StudioElement } from '../studio-element.js';
import { paneStyles, studioStyles } from '../styles.js';
import { child, parsePointer, updateAt, type Json, type JsonObject } from '../pointer.js';
import { Controls, allowedUrl, announce, describedBy, idFor, isObject } from './kit.js';
import { kitStyles } from './kit.styles.js';
import { lifecycleStyles } from './lifecycle.styles.js';
import { lifecycleMessages, type LifecycleMessageKey } from './lifecycle.messages.js';
import {
  AGENDA_NAMES,
  FIVE_HAVE_NAMES,
  LEVELS,
  SOURCE_NAMES,
  STEP_NAMES,
  defaultAgenda,
  defaultFiveHaves,
  defaultFormats,
  defaultRaters,
  defaultSources,
  insertIndex,
  levelsAbove,
  newStep,
  starLabelsFor,
} from './step-defaults.js';

const SOURCES: readonly SourceId[] = ['resident', 'member', 'government', 'grid', 'open311'];

/** A list the pane edits as a whole (what the config wrote, or the defaults it falls back to). */
interface EditableList {
  pointer: string;
  items: Json[];
  /** True when the config leaves the list out and the defaults apply. */
  isDefault: boolean;
}

/**
 * @tag consult-studio-lifecycle
 * @summary The studio's editor of the lifecycle (`/steps`) and the programme's level: which step
 * types are on (intake, meeting and handling always; screening, research, feedback and evaluation
 * switched on and off — switching one off and on again in the same session brings back what it
 * had), in the fixed lifecycle order, each with its label in zh-CN and en and its parameters:
 * intake sources, screening channels and escalation levels, research findings length, meeting
 * formats, agenda stages, the five haves, conveners, rounds and early start, handling deadline and
 * responsible parties, feedback length, the evaluation scale, star labels, threshold, window and
 * raters. It edits the `StudioDocument` it is given (`doc`, or the one `<consult-studio>` provides).
 *
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`: the pane's words.
 *
 * @fires studio-announce - `{ message }`: a step switched on or off, an item added, moved or deleted (bubbles, composed).
 *
 * @csspart base - The pane's wrapper.
 * @csspart step - Each step type's section.
 */
export class ConsultStudioLifecycle extends StudioElement {
  static override styles = [studioStyles, paneStyles, kitStyles, lifecycleStyles];

  /** Steps switched off in this session, by type: switching one on again restores it. */
  #removed = new Map<StepType, Json>();
  #c: Controls = new Controls(undefined, 'zh-CN');

  #m(key: LifecycleMessageKey, params?: Record<string, string | number>): string {
    return this.msg(lifecycleMessages, key, params);
  }

  #name(text: { 'zh-CN': string; en: string }): string {
    return text[this.locale];
  }

  // ── The document ──────────────────────────────────────────────────────────────────────────

  #steps(): Json[] {
    const steps = this.doc?.get('/steps');
    return Array.isArray(steps) ? steps : [];
  }

  #indexOf(type: StepType): number {
    return this.#steps().findIndex((s) => isObject(s) && s.type === type);
  }

  #level(): Level | undefined {
    const level = this.doc?.get('/level');
    return typeof level === 'string' && (LEVELS as string[]).includes(level) ? (level as Level) : undefined;
  }

  #switch(type: StepType, on: boolean): void {
    const doc = this.doc;
    if (!doc) return;
    try {
      if (on) {
        if (this.#indexOf(type) !== -1) return;
        const steps = this.#steps();
        const value = this.#removed.get(type) ?? newStep(type, this.#level());
        if (doc.get('/steps') === undefined) doc.set('/steps', [value]);
        else doc.insert('/steps', value, insertIndex(steps, type));
        this.#removed.delete(type);
        announce(this, this.#m('stepOn', { name: this.#stepName(type) }));
      } else {
        const index = this.#indexOf(type);
        if (index === -1) return;
        this.#removed.set(type, this.#steps()[index]!);
        doc.remove(child('/steps', index));
        announce(this, this.#m('stepOff', { name: this.#stepName(type) }));
      }
    } catch (error) {
      console.error('consult-studio-lifecycle:', error);
    }
  }

  /** The step's label in this language, else the domain's name of its type. */
  #stepName(type: StepType): string {
    const index = this.#indexOf(type);
    const label = index === -1 ? undefined : (this.#steps()[index] as JsonObject).label;
    const own = isObject(label) ? label[this.locale] : undefined;
    return typeof own === 'string' && own.trim() ? own : this.#name(STEP_NAMES[type]);
  }

  /** A list of the config, or its defaults when left out. */
  #list(pointer: string, fallback: () => Json[]): EditableList {
    const items = this.doc?.get(pointer);
    return Array.isArray(items) ? { pointer, items, isDefault: false } : { pointer, items: fallback(), isDefault: true };
  }

  /** Writes a list whole (the first edit of a defaulted list writes it out); `merge` makes typing one undo step. */
  #write(list: EditableList, items: Json[], merge?: string): void {
    this.#c.set(list.pointer, items, merge);
  }

  /** Sets one node inside an item of a list (`sub` is a pointer inside the item). */
  #writeIn(list: EditableList, index: number, sub: string, value: Json | undefined): void {
    const items = list.items.slice();
    try {
      items[index] = updateAt(items[index] ?? {}, sub, () => value);
    } catch (error) {
      console.error('consult-studio-lifecycle:', error);
      return;
    }
    this.#write(list, items, child(list.pointer, index) + sub);
  }

  #move(list: EditableList, from: number, to: number, name: string, action: string): void {
    if (to < 0 || to >= list.items.length) return;
    const items = list.items.slice();
    const [item] = items.splice(from, 1);
    items.splice(to, 0, item!);
    this.#write(list, items);
    announce(this, this.#m('moved', { name, position: to + 1, count: items.length }));
    void this.#focus(`[data-list="${CSS.escape(list.pointer)}"][data-index="${to}"][data-action="${action}"]`, `[data-list="${CSS.escape(list.pointer)}"][data-index="${to}"][data-action]`);
  }

  #delete(list: EditableList, index: number, name: string): void {
    const items = list.items.slice();
    items.splice(index, 1);
    this.#write(list, items);
    announce(this, this.#m('deleted', { name }));
    const next = Math.min(index, items.length - 1);
    void this.#focus(next >= 0 ? `[data-list="${CSS.escape(list.pointer)}"][data-index="${next}"][data-action="delete"]` : `[data-add="${CSS.escape(list.pointer)}"]`);
  }

  #add(list: EditableList, item: Json, name: string): void {
    this.#write(list, [...list.items, item]);
    announce(this, this.#m('added', { name }));
    void this.#focus(`[data-pointer="${CSS.escape(child(list.pointer, list.items.length, 'id'))}"]`, `[data-pointer="${CSS.escape(child(list.pointer, list.items.length))}"]`);
  }

  async #focus(...selectors: string[]): Promise<void> {
    await this.updateComplete;
    for (const selector of selectors) {
      const el = this.renderRoot.querySelector<HTMLElement>(selector);
      if (el) {
        el.focus();
        return;
      }
    }
  }

  /** A free id for a new item: `base`, `base-2`, … */
  #freeId(items: readonly Json[], base: string): string {
    const ids = new Set(items.map((i) => (isObject(i) ? i.id : undefined)));
    for (let n = items.length + 1; ; n++) if (!ids.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  // ── Render ────────────────────────────────────────────────────────────────────────────────

  override render(): TemplateResult {
    this.#c = new Controls(this.doc, this.locale);
    const order = STEP_ORDER.map((t) => this.#name(STEP_NAMES[t])).join(' → ');
    return html`<div part="base">
      <h2>${this.#m('title')}</h2>
      ${this.#levelControl()}
      <p class="order" id="order-note" tabindex="-1" data-pointer="/steps" aria-describedby=${describedBy(...this.#c.errors.ids('/steps'))}>
        ${this.#m('orderFixed', { order })}
      </p>
      ${this.#c.errorsAt('/steps')}
      <ol class="steps">
        ${STEP_ORDER.map((type, n) => html`<li>${this.#step(type, n)}</li>`)}
      </ol>
      ${this.#unknownSteps()}
    </div>`;
  }

  #levelControl(): TemplateResult {
    const value = this.doc?.get('/level');
    return html`<div class="control">
      <label for="level">${this.#m('level')}</label>
      <p class="hint" id="level-hint">${this.#m('levelHint')}</p>
      <select
        id="level"
        data-pointer="/level"
        aria-invalid=${this.#c.invalid('/level')}
        aria-describedby=${describedBy('level-hint', ...this.#c.errors.ids('/level'))}
        @change=${(e: Event) => this.#c.set('/level', (e.target as HTMLSelectElement).value)}
      >
        ${typeof value === 'string' && !(LEVELS as string[]).includes(value) ? html`<option value=${value} selected>${value}</option>` : nothing}
        ${LEVELS.map((l) => html`<option value=${l} ?selected=${l === value}>${this.#m(`level.${l}` as LifecycleMessageKey)}</option>`)}
      </select>
      ${this.#c.errorsAt('/level')}
    </div>`;
  }

  #step(type: StepType, n: number): TemplateResult {
    const index = this.#indexOf(type);
    const on = index !== -1;
    const required = REQUIRED_STEPS.includes(type);
    const pointer = on ? child('/steps', index) : '/steps';
    const headingId = `step-${type}`;
    const name = this.#name(STEP_NAMES[type]);
    const errorsInside = on ? this.#c.errors.under(pointer).length : 0;
    return html`<section part="step" class="step ${on ? 'on' : 'off'}" aria-labelledby=${headingId}>
      <h3 id=${headingId}>
        <span class="step-number">${n + 1}.</span> ${on ? this.#stepName(type) : name}
        ${on && this.#stepName(type) !== name ? html`<span class="badge">${name}</span>` : nothing}
        ${errorsInside ? html`<span class="badge problems">${this.#m('problems', { count: errorsInside })}</span>` : nothing}
      </h3>
      ${required
        ? html`<p class="hint required" data-pointer=${ifDefined(on ? pointer : undefined)} tabindex=${ifDefined(on ? '-1' : undefined)}>${this.#m('required', { name })}</p>
            ${on ? nothing : html`<button type="button" class="primary" data-step=${type} @click=${() => this.#switch(type, true)}>${this.#m('addRequired', { name })}</button>`}`
        : this.#c.check(on ? pointer : `/steps#${type}`, this.#m('use', { name }), on, (checked) => this.#switch(type, checked), { note: this.#m(`about.${type}` as LifecycleMessageKey), errorPointers: [] })}
      ${on ? this.#stepBody(type, pointer) : nothing}
    </section>`;
  }

  #stepBody(type: StepType, pointer: string): TemplateResult {
    const c = this.#c;
    const label = c.pair(child(pointer, 'label'), this.#m('stepLabel'), { optional: true });
    const errors = c.errorsAt(pointer, child(pointer, 'type'));
    switch (type) {
      case 'intake':
        return html`${errors}${label}${this.#sources(pointer)}<p class="hint">${this.#m('anonymousElsewhere')}</p>`;
      case 'screening':
        return html`${errors}${label}${this.#channels(pointer)}${this.#escalation(pointer)}`;
      case 'research':
        return html`${errors}${label}${c.number(child(pointer, 'minFindingsLength'), this.#m('minFindingsLength'), this.#m('unit.characters'), { min: 1, max: 10000, fallback: DEFAULTS.research.minFindingsLength })}`;
      case 'meeting':
        return html`${errors}${label}${this.#formats(pointer)}${this.#agenda(pointer)}${this.#fiveHaves(pointer)}
          <div class="numbers">
            ${c.number(child(pointer, 'conveners'), this.#m('conveners'), this.#m('unit.people'), { min: 1, max: 4, fallback: DEFAULTS.meeting.conveners, hint: this.#m('convenersHint') })}
            ${c.number(child(pointer, 'maxRounds'), this.#m('maxRounds'), this.#m('unit.rounds'), { min: 1, max: 20, fallback: DEFAULTS.meeting.maxRounds, hint: this.#m('maxRoundsHint') })}
            ${c.number(child(pointer, 'earlyStartMinutes'), this.#m('earlyStartMinutes'), this.#m('unit.minutes'), { min: 0, max: 10080, fallback: DEFAULTS.meeting.earlyStartMinutes, hint: this.#m('earlyStartHint') })}
          </div>`;
      case 'handling':
        return html`${errors}${label}${c.number(child(pointer, 'deadlineDays'), this.#m('deadlineDays'), this.#m('unit.days'), { min: 1, max: 3650, fallback: DEFAULTS.handling.deadlineDays, hint: this.#m('deadlineHint') })}
        ${this.#parties(pointer)}`;
      case 'feedback':
        return html`${errors}${label}${c.number(child(pointer, 'minLength'), this.#m('feedbackMinLength'), this.#m('unit.characters'), { min: 1, max: 10000, fallback: DEFAULTS.feedback.minLength })}`;
      case 'evaluation':
        return html`${errors}${label}${this.#evaluation(pointer)}`;
    }
  }

  /** Steps with a type the studio does not know (a newer version's): kept as they are, read-only. */
  #unknownSteps(): TemplateResult | typeof nothing {
    const unknown = this.#steps()
      .map((step, index) => ({ step, index }))
      .filter(({ step }) => !(isObject(step) && typeof step.type === 'string' && (STEP_ORDER as readonly string[]).includes(step.type)));
    if (unknown.length === 0) return nothing;
    return html`<section class="step" aria-labelledby="unknown-steps">
      <h3 id="unknown-steps">${this.#m('unknownSteps')}</h3>
      ${unknown.map(({ step, index }) => this.#c.readOnly(child('/steps', index), this.#m('unknownStep', { n: index + 1 }), step))}
    </section>`;
  }

  // ── Intake ────────────────────────────────────────────────────────────────────────────────

  #sources(step: string): TemplateResult {
    const list = this.#list(child(step, 'sources'), defaultSources);
    const byId = new Map(list.items.map((s, i) => [isObject(s) ? s.id : undefined, i] as const));
    const toggle = (id: SourceId, on: boolean) => {
      const items = list.items.filter((s) => !(isObject(s) && s.id === id));
      if (on) {
        // Keep the domain's order of the four sources.
        const rank = (s: Json) => SOURCES.indexOf((isObject(s) ? s.id : '') as SourceId);
        items.push({ id, label: { ...SOURCE_NAMES[id] } });
        items.sort((a, b) => rank(a) - rank(b));
      }
      this.#write(list, items);
      announce(this, this.#m(on ? 'sourceOn' : 'sourceOff', { name: this.#name(SOURCE_NAMES[id]) }));
    };
    return html`<fieldset data-pointer=${list.pointer} aria-describedby=${describedBy('sources-hint', ...this.#c.errors.ids(list.pointer))}>
      <legend>${this.#m('sources')} ${list.isDefault ? html`<span class="badge">${this.#c.m('isDefault')}</span>` : nothing}</legend>
      <p class="hint" id="sources-hint">${this.#m('sourcesHint')}</p>
      ${this.#c.errorsAt(list.pointer)}
      ${SOURCES.map((id) => {
        const index = byId.get(id);
        const on = index !== undefined;
        const at = on ? child(list.pointer, index) : `${list.pointer}#${id}`;
        const item = on ? list.items[index] : undefined;
        return html`<div class="item">
          ${this.#c.check(at, this.#name(SOURCE_NAMES[id]), on, (checked) => toggle(id, checked), { note: this.#m(`source.${id}` as LifecycleMessageKey) })}
          ${on && index !== undefined
            ? this.#c.pairWith(child(list.pointer, index, 'label'), this.#m('sourceLabel', { name: this.#name(SOURCE_NAMES[id]) }), isObject(item) ? item.label : undefined, (locale, text) => this.#writeIn(list, index, `/label/${locale}`, text))
            : nothing}
        </div>`;
      })}
    </fieldset>`;
  }

  // ── Screening ─────────────────────────────────────────────────────────────────────────────

  #channels(step: string): TemplateResult {
    const list = this.#list(child(step, 'channels'), () => []);
    const c = this.#c;
    return html`<fieldset data-pointer=${list.pointer}>
      <legend>${this.#m('channels')}</legend>
      <p class="hint">${this.#m('channelsHint')}</p>
      ${c.errorsAt(list.pointer)}
      ${list.items.length === 0 ? html`<p class="muted">${this.#m('noChannels')}</p>` : nothing}
      <ol>
        ${list.items.map((channel, i) => {
          const at = child(list.pointer, i);
          const ch = isObject(channel) ? channel : {};
          const name = this.#itemName(ch, i);
          const url = typeof ch.url === 'string' ? ch.url : '';
          return html`<li class="item" aria-label=${this.#m('channelN', { n: i + 1, name })}>
            ${c.errorsAt(at)}
            ${c.textWith(child(at, 'id'), this.#m('id'), ch.id, (text) => this.#writeIn(list, i, '/id', text), { hint: this.#m('idHint') })}
            ${c.pairWith(child(at, 'label'), this.#m('channelLabel'), ch.label, (locale, text) => this.#writeIn(list, i, `/label/${locale}`, text))}
            ${c.pairWith(child(at, 'description'), this.#m('channelDescription'), ch.description, (locale, text) => this.#writeText(list, i, 'description', locale, text), { optional: true })}
            ${c.textWith(child(at, 'url'), this.#m('channelUrl'), ch.url, (text) => this.#writeIn(list, i, '/url', text), {
              hint: this.#m('channelUrlHint'),
              inputmode: 'url',
              warning: url !== '' && !allowedUrl(url, 'link') ? this.#m('urlNotAllowed') : undefined,
            })}
            ${ch.when !== undefined ? c.readOnly(child(at, 'when'), this.#m('channelWhen'), ch.when) : nothing}
            ${this.#itemActions(list, i, name)}
          </li>`;
        })}
      </ol>
      <button type="button" data-add=${list.pointer} @click=${() => this.#add(list, { id: this.#freeId(list.items, 'channel'), label: { 'zh-CN': '新渠道', en: 'New channel' }, url: '' }, this.#m('aChannel'))}>
        ${this.#m('addChannel')}
      </button>
    </fieldset>`;
  }

  /** Sets one language of an optional pair inside a list item (emptying both removes the pair). */
  #writeText(list: EditableList, index: number, key: string, locale: string, text: string): void {
    const item = list.items[index];
    const current = isObject(item) && isObject(item[key]) ? { ...(item[key] as JsonObject) } : {};
    current[locale] = text;
    const empty = Object.values(current).every((v) => v === '');
    this.#writeIn(list, index, `/${key}`, empty ? undefined : current);
  }

  #escalation(step: string): TemplateResult {
    const pointer = child(step, 'escalation', 'levels');
    const current = this.doc?.get(pointer);
    const levels = Array.isArray(current) ? current : [];
    const above = levelsAbove(this.#level());
    // Levels the config names that do not rank above (the checker says why) stay visible.
    const shown = [...above, ...levels.filter((l): l is Level => typeof l === 'string' && !(above as string[]).includes(l))];
    const toggle = (level: Level, on: boolean) => {
      const next = shown.filter((l) => (l === level ? on : levels.includes(l)));
      this.#c.set(pointer, next);
      announce(this, this.#m(on ? 'levelOn' : 'levelOff', { name: this.#m(`level.${level}` as LifecycleMessageKey) }));
    };
    return html`<fieldset data-pointer=${child(step, 'escalation')} aria-describedby=${describedBy('escalation-hint', ...this.#c.errors.ids(pointer, child(step, 'escalation')))}>
      <legend>${this.#m('escalation')}</legend>
      <p class="hint" id="escalation-hint">${above.length ? this.#m('escalationHint', { level: this.#levelName() }) : this.#m('escalationNone')}</p>
      ${this.#c.errorsAt(child(step, 'escalation'), pointer)}
      ${shown.map((level) => {
        const j = levels.indexOf(level);
        return this.#c.check(j === -1 ? `${pointer}#${level}` : child(pointer, j), this.#m(`level.${level}` as LifecycleMessageKey), j !== -1, (on) => toggle(level, on));
      })}
    </fieldset>`;
  }

  #levelName(): string {
    const level = this.#level();
    return level ? this.#m(`level.${level}` as LifecycleMessageKey) : '—';
  }

  // ── Meeting ───────────────────────────────────────────────────────────────────────────────

  #itemName(item: JsonObject, index: number): string {
    const label = isObject(item.label) ? item.label[this.locale] : undefined;
    if (typeof label === 'string' && label.trim()) return label;
    return typeof item.id === 'string' && item.id ? item.id : String(index + 1);
  }

  #itemActions(list: EditableList, i: number, name: string): TemplateResult {
    const last = list.items.length - 1;
    return html`<div class="row-actions">
      <button type="button" data-list=${list.pointer} data-index=${i} data-action="up" ?disabled=${i === 0} aria-label=${`${this.#c.m('moveUp')}: ${name}`} @click=${() => this.#move(list, i, i - 1, name, 'up')}>
        ${this.#c.m('moveUp')}
      </button>
      <button type="button" data-list=${list.pointer} data-index=${i} data-action="down" ?disabled=${i === last} aria-label=${`${this.#c.m('moveDown')}: ${name}`} @click=${() => this.#move(list, i, i + 1, name, 'down')}>
        ${this.#c.m('moveDown')}
      </button>
      <button type="button" data-list=${list.pointer} data-index=${i} data-action="delete" aria-label=${`${this.#c.m('remove')}: ${name}`} @click=${() => this.#delete(list, i, name)}>${this.#c.m('remove')}</button>
    </div>`;
  }

  /** A list of `{ id, label }` items (meeting formats, responsible parties). */
  #idLabelList(list: EditableList, legend: string, hint: string, addLabel: string, newName: { 'zh-CN': string; en: string }, idBase: string, what: string): TemplateResult {
    const c = this.#c;
    return html`<fieldset data-pointer=${list.pointer}>
      <legend>${legend} ${list.isDefault ? html`<span class="badge">${c.m('isDefault')}</span>` : nothing}</legend>
      <p class="hint">${hint}</p>
      ${c.errorsAt(list.pointer)}
      <ol>
        ${list.items.map((entry, i) => {
          const at = child(list.pointer, i);
          const item = isObject(entry) ? entry : {};
          const name = this.#itemName(item, i);
          return html`<li class="item" aria-label=${`${i + 1}. ${name}`}>
            ${c.errorsAt(at)}
            ${c.textWith(child(at, 'id'), this.#m('id'), item.id, (text) => this.#writeIn(list, i, '/id', text), { hint: this.#m('idHint') })}
            ${c.pairWith(child(at, 'label'), this.#m('name'), item.label, (locale, text) => this.#writeIn(list, i, `/label/${locale}`, text))}
            ${this.#itemActions(list, i, name)}
          </li>`;
        })}
      </ol>
      <button type="button" data-add=${list.pointer} @click=${() => this.#add(list, { id: this.#freeId(list.items, idBase), label: { ...newName } }, what)}>${addLabel}</button>
    </fieldset>`;
  }

  #formats(step: string): TemplateResult {
    const list = this.#list(child(step, 'formats'), defaultFormats);
    return this.#idLabelList(list, this.#m('formats'), this.#m(list.isDefault ? 'formatsDefault' : 'formatsHint'), this.#m('addFormat'), { 'zh-CN': '新形式', en: 'New format' }, 'format', this.#m('aFormat'));
  }

  #parties(step: string): TemplateResult {
    const list = this.#list(child(step, 'parties'), () => []);
    return this.#idLabelList(list, this.#m('parties'), this.#m('partiesHint'), this.#m('addParty'), { 'zh-CN': '新责任方', en: 'New party' }, 'party', this.#m('aParty'));
  }

  #agenda(step: string): TemplateResult {
    const list = this.#list(child(step, 'agenda'), defaultAgenda);
    const c = this.#c;
    const enabled = list.items.filter(isObject);
    const off = AGENDA_STAGES.filter((id) => !enabled.some((s) => s.id === id));
    const toggle = (id: AgendaStageId, on: boolean) => {
      if (on) {
        // A stage switched on goes to its usual place among those that are on.
        const rank = AGENDA_STAGES.indexOf(id);
        const at = list.items.findIndex((s) => isObject(s) && AGENDA_STAGES.indexOf(s.id as AgendaStageId) > rank);
        const items = list.items.slice();
        items.splice(at === -1 ? items.length : at, 0, { id, label: { ...AGENDA_NAMES[id] } });
        this.#write(list, items);
      } else this.#write(list, list.items.filter((s) => !(isObject(s) && s.id === id)));
      announce(this, this.#m(on ? 'stageOn' : 'stageOff', { name: this.#name(AGENDA_NAMES[id]) }));
    };
    return html`<fieldset data-pointer=${list.pointer}>
      <legend>${this.#m('agenda')} ${list.isDefault ? html`<span class="badge">${c.m('isDefault')}</span>` : nothing}</legend>
      <p class="hint">${this.#m('agendaHint')}</p>
      ${c.errorsAt(list.pointer)}
      <ol>
        ${list.items.map((entry, i) => {
          const item = isObject(entry) ? entry : {};
          const id = item.id as AgendaStageId;
          const known = AGENDA_STAGES.includes(id);
          const name = known ? this.#name(AGENDA_NAMES[id]) : String(item.id);
          const at = child(list.pointer, i);
          return html`<li class="item" aria-label=${`${i + 1}. ${name}`}>
            ${c.check(at, name, true, (on) => known && toggle(id, on), { errorPointers: [at, child(at, 'id')] })}
            ${c.pairWith(child(at, 'label'), this.#m('stageLabel', { name }), item.label, (locale, text) => this.#writeText(list, i, 'label', locale, text), { optional: true })}
            ${this.#itemActions(list, i, name)}
          </li>`;
        })}
      </ol>
      ${off.map((id) => html`<div class="item off">${c.check(`${list.pointer}#${id}`, this.#name(AGENDA_NAMES[id]), false, (on) => toggle(id, on), { note: this.#m('stageOffNote') })}</div>`)}
    </fieldset>`;
  }

  #fiveHaves(step: string): TemplateResult {
    const list = this.#list(child(step, 'fiveHaves'), defaultFiveHaves);
    const toggle = (id: FiveHave, on: boolean) => {
      const next = FIVE_HAVES.filter((h) => (h === id ? on : list.items.includes(h)));
      this.#write(list, [...next]);
    };
    return html`<fieldset data-pointer=${list.pointer} aria-describedby=${describedBy('five-haves-hint', ...this.#c.errors.ids(list.pointer))}>
      <legend>${this.#m('fiveHaves')} ${list.isDefault ? html`<span class="badge">${this.#c.m('isDefault')}</span>` : nothing}</legend>
      <p class="hint" id="five-haves-hint">${this.#m('fiveHavesHint')}</p>
      ${this.#c.errorsAt(list.pointer)}
      <div class="inline-checks">
        ${FIVE_HAVES.map((id) => {
          const j = list.items.indexOf(id);
          return this.#c.check(j === -1 ? `${list.pointer}#${id}` : child(list.pointer, j), this.#name(FIVE_HAVE_NAMES[id]), j !== -1, (on) => toggle(id, on));
        })}
      </div>
    </fieldset>`;
  }

  // ── Evaluation ────────────────────────────────────────────────────────────────────────────

  #evaluation(step: string): TemplateResult {
    const c = this.#c;
    const scaleAt = child(step, 'scale');
    const labelsAt = child(step, 'starLabels');
    const scaleValue = this.doc?.get(scaleAt);
    const scale = typeof scaleValue === 'number' && Number.isInteger(scaleValue) && scaleValue >= 2 && scaleValue <= 10 ? scaleValue : DEFAULTS.evaluation.scale;
    const labels = this.doc?.get(labelsAt);
    const scaleId = idFor('c', scaleAt);
    const onScale = (e: Event) => {
      const input = e.target as HTMLInputElement;
      const current = this.doc?.get(step);
      if (!isObject(current)) return;
      const next: JsonObject = { ...current };
      if (input.value === '') delete next.scale;
      else if (Number.isFinite(input.valueAsNumber)) next.scale = input.valueAsNumber;
      else return;
      // Keep one star label per star: drop the extra ones, add a plain one for each new star.
      const n = typeof next.scale === 'number' ? next.scale : DEFAULTS.evaluation.scale;
      if (Array.isArray(current.starLabels) && Number.isInteger(n) && n >= 2 && n <= 10) next.starLabels = starLabelsFor(n, current.starLabels.slice(0, n));
      c.set(step, next, scaleAt);
    };
    const raters = this.#list(child(step, 'raters'), defaultRaters);
    const toggleRater = (kind: RaterKind, on: boolean) => this.#write(raters, RATER_KINDS.filter((k) => (k === kind ? on : raters.items.includes(k))));
    return html`
      <div class="control number">
        <label for=${scaleId}>${this.#m('scale')}</label>
        <p class="hint" id=${idFor('h', scaleAt)}>${this.#m('scaleHint')} ${c.m('defaultValue', { value: DEFAULTS.evaluation.scale, unit: this.#m('unit.stars') })}</p>
        <span class="with-unit">
          <input
            id=${scaleId}
            type="number"
            min="2"
            max="10"
            data-pointer=${scaleAt}
            placeholder=${DEFAULTS.evaluation.scale}
            .value=${scaleValue === undefined ? '' : String(scaleValue)}
            aria-invalid=${c.invalid(scaleAt)}
            aria-describedby=${describedBy(idFor('u', scaleAt), idFor('h', scaleAt), ...c.errors.ids(scaleAt))}
            @input=${onScale}
          />
          <span class="unit" id=${idFor('u', scaleAt)}>${this.#m('unit.stars')}</span>
        </span>
        ${c.errorsAt(scaleAt)}
      </div>
      <fieldset data-pointer=${labelsAt}>
        <legend>${this.#m('starLabels')}</legend>
        <p class="hint">${this.#m('starLabelsHint')}</p>
        ${c.errorsAt(labelsAt)}
        ${Array.isArray(labels)
          ? html`${labels.map((_, i) => c.pair(child(labelsAt, i), this.#m('starN', { n: i + 1 })))}
              <div class="row-actions">
                ${labels.length !== scale
                  ? html`<button type="button" @click=${() => c.set(labelsAt, starLabelsFor(scale, labels.slice(0, scale)))}>${this.#m('matchScale', { scale })}</button>`
                  : nothing}
                <button type="button" data-add=${labelsAt} @click=${() => c.set(labelsAt, undefined)}>${this.#m('removeStarLabels')}</button>
              </div>`
          : html`<p class="muted">${this.#m('noStarLabels')}</p>
              <button type="button" data-add=${labelsAt} @click=${() => c.set(labelsAt, starLabelsFor(scale))}>${this.#m('addStarLabels')}</button>`}
      </fieldset>
      <div class="numbers">
        ${c.number(child(step, 'reopenThreshold'), this.#m('reopenThreshold'), this.#m('unit.stars'), { min: 1, max: 10, step: 'any', fallback: DEFAULTS.evaluation.reopenThreshold, hint: this.#m('reopenHint') })}
        ${c.number(child(step, 'windowDays'), this.#m('windowDays'), this.#m('unit.days'), { min: 1, max: 365, fallback: DEFAULTS.evaluation.windowDays, hint: this.#m('windowHint') })}
        ${c.number(child(step, 'minRatings'), this.#m('minRatings'), this.#m('unit.ratings'), { min: 1, max: 100000, fallback: DEFAULTS.evaluation.minRatings, hint: this.#m('minRatingsHint') })}
      </div>
      <fieldset data-pointer=${raters.pointer}>
        <legend>${this.#m('raters')} ${raters.isDefault ? html`<span class="badge">${c.m('isDefault')}</span>` : nothing}</legend>
        ${c.errorsAt(raters.pointer)}
        ${RATER_KINDS.map((kind) => {
          const j = raters.items.indexOf(kind);
          return c.check(j === -1 || raters.isDefault ? `${raters.pointer}#${kind}` : child(raters.pointer, j), this.#m(`rater.${kind}` as LifecycleMessageKey), j !== -1, (on) => toggleRater(kind, on), {
            note: this.#m(`rater.${kind}.note` as LifecycleMessageKey),
          });
        })}
      </fieldset>
    `;
  }

  // ── focusPointer ──────────────────────────────────────────────────────────────────────────

  /** Nothing here is collapsed; a pointer to a step's own node focuses its first control. */
  protected override async revealPointer(pointer: string): Promise<void> {
    try {
      parsePointer(pointer);
    } catch {
      return;
    }
    await this.updateComplete;
  }
}
