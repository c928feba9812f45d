import { css, html, type TemplateResult } from 'lit';
import { DEFAULT_PERMISSIONS, DEFAULT_PERSONAL_DATA_ROLES, EVENT_LABELS, EVENT_TYPES, ROLES, type EventType, type Role } from '@consult-kit/machine';
import { StudioElement } from '../studio-element.js';
import { paneStyles, studioStyles } from '../styles.js';
import { child, parsePointer, type Json } from '../pointer.js';
import { Controls, announce, describedBy } from '../lifecycle/kit.js';
import { kitStyles } from '../lifecycle/kit.styles.js';
import { permissionsMessages, type PermissionsMessageKey } from './permissions.messages.js';

const DATA_ROW = 'personalDataRoles';

/** One row of the matrix: an event, or who may see personal data. */
interface Row {
  key: EventType | typeof DATA_ROW;
  pointer: string;
  name: string;
  /** The roles ticked: the config's list, or the defaults when it has none. */
  roles: readonly Json[];
  isDefault: boolean;
  defaults: readonly Role[];
}

/**
 * @tag consult-studio-permissions
 * @summary The studio's permissions matrix: a table with a row per event (the lifecycle's
 * actions, by their zh-CN / en names) and a column per role, a tick box in every cell ("召集人可以发送「受理」"),
 * and a last row for who may see personal data. Rows the config leaves out show the machine's
 * default roles, marked "默认 / default"; the first change writes that row out. Sticky headers;
 * the table scrolls sideways on a phone; arrow keys move between cells. It edits the
 * `StudioDocument` it is given (`doc`, or the one `<consult-studio>` provides).
 *
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`: the pane's words.
 *
 * @fires studio-announce - `{ message }`: a tick set or cleared, a row restored to its defaults (bubbles, composed).
 *
 * @csspart base - The pane's wrapper.
 * @csspart table - The matrix.
 */
export class ConsultStudioPermissions extends StudioElement {
  static override styles = [
    studioStyles,
    paneStyles,
    kitStyles,
    css`
      .scroller {
        overflow: auto;
        max-height: 75vh;
        max-width: 100%;
        border: 1px solid var(--studio-line);
      }

      table {
        border-collapse: separate;
        border-spacing: 0;
      }

      caption {
        text-align: start;
        font-weight: 600;
        padding: 0.5rem;
      }

      th,
      td {
        border-bottom: 1px solid var(--studio-line);
        border-right: 1px solid var(--studio-line);
        padding: 0.25rem 0.5rem;
        background: var(--studio-bg);
      }

      thead th {
        position: sticky;
        top: 0;
        z-index: 2;
        font-size: 0.875rem;
        min-width: 4.5rem;
        vertical-align: bottom;
      }

      tbody th {
        position: sticky;
        left: 0;
        z-index: 1;
        text-align: start;
        font-weight: 400;
        min-width: 10rem;
        max-width: 14rem;
      }

      thead th:first-child {
        left: 0;
        z-index: 3;
      }

      td {
        text-align: center;
      }

      td input {
        margin: 10px;
      }

      tr.data th,
      tr.data td {
        border-top: 3px double var(--studio-text);
      }

      .code {
        display: block;
        font-size: 0.8125rem;
        color: var(--studio-muted);
        font-family: ui-monospace, monospace;
      }

      .row-head {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        align-items: center;
      }

      .row-head button {
        font-size: 0.8125rem;
      }

      @media (forced-colors: active) {
        th,
        td {
          border-color: CanvasText;
        }
      }
    `,
  ];

  #c: Controls = new Controls(undefined, 'zh-CN');

  #m(key: PermissionsMessageKey, params?: Record<string, string | number>): string {
    return this.msg(permissionsMessages, key, params);
  }

  #roleName(role: Role): string {
    return this.#m(`role.${role}` as PermissionsMessageKey);
  }

  #rows(): Row[] {
    const explicit = this.doc?.get('/permissions');
    const permissions = explicit && typeof explicit === 'object' && !Array.isArray(explicit) ? explicit : {};
    const rows: Row[] = EVENT_TYPES.map((event) => {
      const list = Object.hasOwn(permissions, event) ? permissions[event] : undefined;
      const defaults = DEFAULT_PERMISSIONS[event];
      return {
        key: event,
        pointer: child('/permissions', event),
        name: EVENT_LABELS[event][this.locale],
        roles: Array.isArray(list) ? list : defaults,
        isDefault: !Array.isArray(list),
        defaults,
      };
    });
    const data = this.doc?.get(`/${DATA_ROW}`);
    rows.push({
      key: DATA_ROW,
      pointer: `/${DATA_ROW}`,
      name: this.#m('personalData'),
      roles: Array.isArray(data) ? data : DEFAULT_PERSONAL_DATA_ROLES,
      isDefault: !Array.isArray(data),
      defaults: DEFAULT_PERSONAL_DATA_ROLES,
    });
    return rows;
  }

  #toggle(row: Row, role: Role, on: boolean): void {
    const next = row.roles.filter((r) => r !== role);
    if (on) next.push(role);
    this.#c.set(row.pointer, next);
    const params = { role: this.#roleName(role), event: row.name };
    if (row.key === DATA_ROW) announce(this, this.#m(on ? 'grantedData' : 'revokedData', params));
    else announce(this, this.#m(on ? 'granted' : 'revoked', params));
  }

  #restore(row: Row): void {
    this.#c.set(row.pointer, undefined);
    // An emptied permissions object goes too, as if it had never been written.
    const permissions = this.doc?.get('/permissions');
    if (permissions && typeof permissions === 'object' && !Array.isArray(permissions) && Object.keys(permissions).length === 0) this.#c.set('/permissions', undefined);
    announce(this, this.#m('restored', { event: row.name }));
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`input[data-row="${CSS.escape(row.key)}"]`)?.focus());
  }

  /**
   * The one tick box in the Tab order (a roving tab stop): the table is one stop for Tab, so a
   * keyboard user gets past its 220 boxes with one key; inside it the arrow keys move. It follows
   * the focus, however the box got it (arrows, a click, an error's link).
   */
  #stop = { r: 0, c: 0 };

  #onFocusIn = (event: FocusEvent): void => {
    const box = event.target as HTMLElement;
    if (box.localName !== 'input' || box.dataset.r === undefined) return;
    const r = Number(box.dataset.r);
    const c = Number(box.dataset.c);
    if (r === this.#stop.r && c === this.#stop.c) return;
    for (const other of this.renderRoot.querySelectorAll<HTMLElement>('input[data-r][tabindex="0"]')) other.tabIndex = -1;
    box.tabIndex = 0;
    this.#stop = { r, c };
  };

  /** Arrow keys move between the tick boxes; Home/End go to the row's first and last. */
  #onKey = (event: KeyboardEvent): void => {
    const box = event.target as HTMLInputElement;
    if (box.localName !== 'input' || box.dataset.r === undefined) return;
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[event.key];
    const here = Number(box.dataset.c);
    const jump = event.key === 'Home' ? -here : event.key === 'End' ? ROLES.length - 1 - here : undefined;
    if (!move && jump === undefined) return;
    const r = Number(box.dataset.r) + (move?.[0] ?? 0);
    const c = here + (move?.[1] ?? jump ?? 0);
    const target = this.renderRoot.querySelector<HTMLInputElement>(`input[data-r="${r}"][data-c="${c}"]`);
    if (!target) return;
    event.preventDefault();
    target.focus();
  };

  override render(): TemplateResult {
    this.#c = new Controls(this.doc, this.locale);
    const rows = this.#rows();
    return html`<div part="base">
      <h2>${this.#m('title')}</h2>
      <p>${this.#m('intro')}</p>
      <p class="hint" id="scroll-hint">${this.#m('scrollHint')}</p>
      ${this.#c.errorsAt('/permissions')}
      <div class="scroller" role="region" aria-labelledby="caption" aria-describedby="scroll-hint">
        <table part="table" @keydown=${this.#onKey} @focusin=${this.#onFocusIn}>
          <caption id="caption">${this.#m('caption')}</caption>
          <thead>
            <tr>
              <th scope="col">${this.#m('event')}</th>
              ${ROLES.map((role) => html`<th scope="col">${this.#roleName(role)}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${rows.map((row, r) => this.#row(row, r))}
          </tbody>
        </table>
      </div>
      ${rows.flatMap((row) => this.#c.errors.under(row.pointer).length ? [this.#rowErrors(row)] : [])}
    </div>`;
  }

  #rowErrors(row: Row): TemplateResult {
    const pointers = [...new Set(this.#c.errors.under(row.pointer).map((e) => e.pointer))];
    return html`${this.#c.errorsAt(...pointers)}`;
  }

  #row(row: Row, r: number): TemplateResult {
    const headId = `row-${r}`;
    const noteId = row.key === DATA_ROW ? 'data-note' : undefined;
    const errorIds = this.#c.errors.ids(...new Set(this.#c.errors.under(row.pointer).map((e) => e.pointer)));
    return html`<tr class=${row.key === DATA_ROW ? 'data' : ''}>
      <th scope="row" id=${headId}>
        <span class="row-head">
          <span>${row.name}</span>
          ${row.isDefault ? html`<span class="badge">${this.#m('isDefault')}</span>` : html`<button type="button" data-restore=${row.key} aria-label=${this.#m('restoreLabel', { event: row.name })} @click=${() => this.#restore(row)}>${this.#m('restore')}</button>`}
        </span>
        ${row.key === DATA_ROW ? html`<span class="hint" id="data-note">${this.#m('personalDataNote')}</span>` : html`<span class="code">${row.key}</span>`}
      </th>
      ${ROLES.map((role, c) => {
        const on = row.roles.includes(role);
        const label = row.key === DATA_ROW ? this.#m('maySee', { role: this.#roleName(role) }) : this.#m('may', { role: this.#roleName(role), event: row.name });
        return html`<td>
          <input
            type="checkbox"
            data-pointer=${row.pointer}
            data-row=${row.key}
            data-role=${role}
            data-r=${r}
            data-c=${c}
            tabindex=${r === this.#stop.r && c === this.#stop.c ? 0 : -1}
            .checked=${on}
            aria-label=${label}
            aria-describedby=${describedBy(noteId, ...errorIds)}
            aria-invalid=${errorIds.length ? 'true' : 'false'}
            @change=${(e: Event) => this.#toggle(row, role, (e.target as HTMLInputElement).checked)}
          />
        </td>`;
      })}
    </tr>`;
  }

  /** `/permissions/meeting.record/2` focuses the box of the role at index 2 of that row's list. */
  override async focusPointer(pointer: string): Promise<boolean> {
    let keys: string[];
    try {
      keys = parsePointer(pointer);
    } catch {
      return false;
    }
    await this.updateComplete;
    const rowKey = keys[0] === 'permissions' ? keys[1] : keys[0] === DATA_ROW ? DATA_ROW : undefined;
    const index = keys[0] === 'permissions' ? keys[2] : keys[1];
    if (rowKey && index !== undefined) {
      const row = this.#rows().find((r) => r.key === rowKey);
      const role = row?.roles[Number(index)];
      const box = typeof role === 'string' ? this.renderRoot.querySelector<HTMLElement>(`input[data-row="${CSS.escape(rowKey)}"][data-role="${CSS.escape(role)}"]`) : null;
      if (box) {
        box.scrollIntoView({ block: 'center', inline: 'center' });
        box.focus();
        return true;
      }
    }
    return super.focusPointer(pointer);
  }
}
