import { html, nothing, type TemplateResult } from 'lit';
import { DEFAULT_OFFLINE_GRACE_HOURS } from '@consult-kit/machine';
import { StudioElement } from '../studio-element.js';
import { paneStyles, studioStyles } from '../styles.js';
import type { Json } from '../pointer.js';
import { Controls, allowedUrl, describedBy, isObject } from '../lifecycle/kit.js';
import { kitStyles } from '../lifecycle/kit.styles.js';
import { levelName } from '../levels.js';
import { LEVELS } from '../lifecycle/step-defaults.js';
import { settingsMessages, type SettingsMessageKey } from './settings.messages.js';

const ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const VERSION_PATTERN = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
/** The notifications' defaults (workflow.schema.json), shown while the config leaves them out. */
const NOTIFY_DEFAULTS = { dueSoonDays: 3, ratingClosingHours: 48, meetingReminderHours: 24 } as const;

/**
 * @tag consult-studio-settings
 * @summary The studio's editor of the programme's settings: id (with its pattern), version, name
 * and description in zh-CN and en, default language, level, residents' access (open or token,
 * explained), offline grace in hours, where the data is kept (local, or the city's server with
 * its address checked against a scheme allow-list), and the simple part of notifications (on/off
 * and the reminder times); the notice rules themselves are shown read-only, to edit in JSON. It
 * edits the `StudioDocument` it is given (`doc`, or the one `<consult-studio>` provides).
 *
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`: the pane's words.
 *
 * @csspart base - The pane's wrapper.
 */
export class ConsultStudioSettings extends StudioElement {
  static override styles = [studioStyles, paneStyles, kitStyles];

  #c: Controls = new Controls(undefined, 'zh-CN');
  /** The server address last written in this session, brought back when http is chosen again. */
  #endpoint: Json | undefined;

  #m(key: SettingsMessageKey, params?: Record<string, string | number>): string {
    return this.msg(settingsMessages, key, params);
  }

  override render(): TemplateResult {
    const c = (this.#c = new Controls(this.doc, this.locale));
    const id = c.get('/id');
    const version = c.get('/version');
    return html`<div part="base">
      <h2>${this.#m('title')}</h2>
      <section aria-labelledby="identity">
        <h3 id="identity">${this.#m('identity')}</h3>
        ${c.text('/id', this.#m('id'), { hint: this.#m('idHint'), warning: typeof id === 'string' && id !== '' && !ID_PATTERN.test(id) ? this.#m('idBad') : undefined })}
        ${c.text('/version', this.#m('version'), { hint: this.#m('versionHint'), warning: typeof version === 'string' && version !== '' && !VERSION_PATTERN.test(version) ? this.#m('versionBad') : undefined })}
        ${c.pair('/title', this.#m('programmeTitle'))}
        ${c.pair('/description', this.#m('description'), { optional: true })}
        ${this.#select('/defaultLocale', this.#m('defaultLocale'), this.#m('defaultLocaleHint'), ['zh-CN', 'en'], (l) => this.#m(`locale.${l}` as SettingsMessageKey), 'zh-CN')}
        ${this.#select('/level', this.#m('level'), this.#m('levelHint'), LEVELS, (l) => levelName(l, this.locale))}
      </section>
      ${this.#access()} ${this.#transport()}
      ${c.number('/offlineGraceHours', this.#m('offlineGraceHours'), this.#m('unit.hours'), { min: 0, max: 2160, fallback: DEFAULT_OFFLINE_GRACE_HOURS, hint: this.#m('offlineGraceHint') })}
      ${this.#notifications()}
    </div>`;
  }

  #select(pointer: string, label: string, hint: string, options: readonly string[], name: (value: string) => string, fallback?: string): TemplateResult {
    const c = this.#c;
    const value = c.get(pointer);
    const current = typeof value === 'string' ? value : fallback;
    const id = `s${pointer.replace(/\W/g, '-')}`;
    return html`<div class="control">
      <label for=${id}>${label} ${value === undefined && fallback ? html`<span class="badge">${this.#m('isDefault')}</span>` : nothing}</label>
      <p class="hint" id=${`${id}-hint`}>${hint}</p>
      <select
        id=${id}
        data-pointer=${pointer}
        aria-invalid=${c.invalid(pointer)}
        aria-describedby=${describedBy(`${id}-hint`, ...c.errors.ids(pointer))}
        @change=${(e: Event) => c.set(pointer, (e.target as HTMLSelectElement).value)}
      >
        ${typeof value === 'string' && !options.includes(value) ? html`<option value=${value} selected>${value}</option>` : nothing}
        ${value === undefined && !fallback ? html`<option value="" selected disabled>—</option>` : nothing}
        ${options.map((o) => html`<option value=${o} ?selected=${o === current}>${name(o)}</option>`)}
      </select>
      ${c.errorsAt(pointer)}
    </div>`;
  }

  /** A group of radios for one node (`value` undefined: the default is ticked and marked). */
  #radios(pointer: string, legend: string, options: ReadonlyArray<{ value: string; label: string; note: string }>, value: string, isDefault: boolean, onChange: (value: string) => void): TemplateResult {
    const c = this.#c;
    const name = `r${pointer.replace(/\W/g, '-')}`;
    return html`<fieldset aria-describedby=${describedBy(...c.errors.ids(pointer))}>
      <legend>${legend} ${isDefault ? html`<span class="badge">${this.#m('isDefault')}</span>` : nothing}</legend>
      ${c.errorsAt(pointer)}
      ${options.map(
        (o) => html`<div class="check">
          <input
            type="radio"
            id=${`${name}-${o.value}`}
            name=${name}
            value=${o.value}
            data-pointer=${pointer}
            .checked=${o.value === value}
            aria-describedby=${`${name}-${o.value}-note`}
            @change=${() => onChange(o.value)}
          />
          <div>
            <label for=${`${name}-${o.value}`}>${o.label}</label>
            <p class="hint" id=${`${name}-${o.value}-note`}>${o.note}</p>
          </div>
        </div>`,
      )}
    </fieldset>`;
  }

  #access(): TemplateResult {
    const value = this.#c.get('/residentAccess');
    const current = value === 'token' ? 'token' : 'open';
    return this.#radios(
      '/residentAccess',
      this.#m('residentAccess'),
      (['open', 'token'] as const).map((v) => ({ value: v, label: this.#m(`access.${v}`), note: this.#m(`access.${v}.note`) })),
      typeof value === 'string' ? value : current,
      value === undefined,
      (v) => this.#c.set('/residentAccess', v),
    );
  }

  #transport(): TemplateResult {
    const c = this.#c;
    const transport = c.get('/transport');
    const type = isObject(transport) && typeof transport.type === 'string' ? transport.type : 'local';
    const endpoint = isObject(transport) ? transport.endpoint : undefined;
    const choose = (next: string) => {
      if (next === 'http') c.set('/transport', { type: 'http', endpoint: typeof this.#endpoint === 'string' ? this.#endpoint : '/api' });
      else {
        if (endpoint !== undefined) this.#endpoint = endpoint;
        c.set('/transport', { type: 'local' });
      }
    };
    return html`${this.#radios(
      '/transport/type',
      this.#m('transport'),
      (['local', 'http'] as const).map((v) => ({ value: v, label: this.#m(`transport.${v}`), note: this.#m(`transport.${v}.note`) })),
      type,
      transport === undefined,
      choose,
    )}
    ${c.errorsAt('/transport')}
    ${type === 'http'
      ? c.text('/transport/endpoint', this.#m('endpoint'), {
          hint: this.#m('endpointHint'),
          inputmode: 'url',
          warning: typeof endpoint === 'string' && endpoint !== '' && !allowedUrl(endpoint, 'endpoint') ? this.#m('endpointBad') : undefined,
        })
      : nothing}`;
  }

  #notifications(): TemplateResult {
    const c = this.#c;
    const value = c.get('/notifications');
    const notifications = isObject(value) ? value : {};
    const enabled = notifications.enabled !== false;
    return html`<fieldset data-pointer="/notifications">
      <legend>${this.#m('notifications')} ${value === undefined ? html`<span class="badge">${this.#m('isDefault')}</span>` : nothing}</legend>
      ${c.errorsAt('/notifications')}
      ${c.check('/notifications/enabled', this.#m('notificationsEnabled'), enabled, (on) => c.set('/notifications/enabled', on), { note: this.#m('notificationsEnabledNote') })}
      ${c.number('/notifications/dueSoonDays', this.#m('dueSoonDays'), this.#m('unit.days'), { min: 0, max: 60, fallback: NOTIFY_DEFAULTS.dueSoonDays, hint: this.#m('dueSoonHint') })}
      ${c.number('/notifications/ratingClosingHours', this.#m('ratingClosingHours'), this.#m('unit.hours'), { min: 0, max: 720, fallback: NOTIFY_DEFAULTS.ratingClosingHours, hint: this.#m('ratingClosingHint') })}
      ${c.number('/notifications/meetingReminderHours', this.#m('meetingReminderHours'), this.#m('unit.hours'), { min: 0, max: 720, fallback: NOTIFY_DEFAULTS.meetingReminderHours, hint: this.#m('meetingReminderHint') })}
      ${notifications.notices !== undefined
        ? html`${c.readOnly('/notifications/notices', this.#m('notices'), notifications.notices)}<p class="hint">${this.#m('noticesNote')}</p>`
        : html`<p class="label">${this.#m('notices')}</p><p class="hint">${this.#m('noNotices')} ${this.#m('noticesNote')}</p>`}
    </fieldset>`;
  }
}
