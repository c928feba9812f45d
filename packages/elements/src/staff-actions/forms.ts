/**
 * One render function per action form of `<consult-staff-actions>`. Each form is a small native
 * `<form novalidate>` whose submission the element checks with the machine (`explainRefusal`) and
 * then sends through the store; a `FormSpec` says how to build the event's payload and where a
 * refused field is shown.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { keyed } from 'lit/directives/keyed.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  addDays,
  allMeasuresSettled,
  evaluateCondition,
  isOverdue,
  LEVEL_RANK,
  ROLES,
  stateName,
  type Channel,
  type EventType,
  type Level,
  type LocalizedText,
  type Measure,
  type TopicContext,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine/core';
import { safeUrl } from '../base/safe-url.js';
import { radios, select, textArea, textInput, type FieldHost, type Option } from './fields.js';
import '../star-rating/consult-star-rating.js';

/** One row of a repeated group (participants, measures); `key` keeps its DOM and its ids stable. */
export interface Row {
  key: number;
  values: Record<string, string>;
}

/** How one form becomes an event, and where the machine's complaints about it are shown. */
export interface FormSpec {
  /** The form's key: unique on the page, safe in an id. */
  key: string;
  type: EventType;
  /** The action's name for the "recorded" message. */
  done: string;
  /** The event's payload (without `type`, `by`, `at`). */
  payload(): Record<string, unknown>;
  /** The control (by id) a refused `field` belongs to, and the row's number for the message. */
  target(field: string | undefined): { id?: string; n?: number };
  /** Where focus goes after success when the form itself is gone. */
  after?: string;
  /**
   * The event with a valid stand-in at `field`, so the machine can be asked for the next fault
   * (all faults are listed at once); undefined when there is none to put.
   */
  repair?(event: Record<string, unknown>, field: string): Record<string, unknown> | undefined;
}

/** A stand-in that passes the machine's checks for a text, a time, a measure. */
const STAND_IN = { text: '-', time: new Date(0).toISOString(), measure: { text: '-', party: '-' } } as const;

/** What the forms need from the element. */
export interface ActionHost extends FieldHost {
  text(value: LocalizedText | undefined, fallback?: string): string;
  value(form: string, name: string): string;
  set(form: string, name: string, value: string): void;
  rows(form: string): readonly Row[];
  setRow(form: string, key: number, name: string, value: string): void;
  addRow(form: string, focus: string): void;
  removeRow(form: string, key: number, focus: string): void;
  submit(event: SubmitEvent, spec: FormSpec): void;
  busy(form: string): boolean;
  summary(form: string): TemplateResult | typeof nothing;
  formatDate(iso: string, withTime?: boolean): string;
  /** "Due in 3 days / 3 天后到期", "Overdue by 5 days / 已超期 5 天" at `now` (the server's clock when known). */
  dueWords(due: string, now: number): string;
  roleLabel(role: string): string;
  levelLabel(level: string): string;
  /** A step's or an agenda stage's label (the city's first). */
  stageLabel(key: string): string;
}

/** Everything about the topic the forms show. */
export interface ActionModel {
  config: WorkflowConfig;
  snapshot: TopicSnapshot;
  ctx: TopicContext;
  topicId: string;
  /** The event types this person may send now (the state takes them, the role may send them). */
  offered: ReadonlySet<string>;
  topics: ReadonlyMap<string, TopicSnapshot>;
  userId: string | undefined;
  now: number;
}

export const OTHER_PARTY = '$other';

const trim = (value: string): string => value.trim();
const blank = (value: string | undefined): boolean => !value || value.trim() === '';

/** `2026-05-10T19:30` (as a datetime-local input gives it, in local time) → ISO; '' stays ''. */
export function fromLocalInput(value: string): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** ISO → the value a datetime-local input shows (local time, to the minute). */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The redirect channel a matter belongs to by the config's `when` rules, if any. */
export function claimingChannel(ctx: TopicContext): Channel | undefined {
  return ctx.config.step.screening?.channels.find((c) => c.when && evaluateCondition(c.when, ctx.values));
}

/** The agenda stage the meeting is at (`briefing`…), when it is in session. */
export function agendaStage(snapshot: TopicSnapshot): string | undefined {
  const parts = stateName(snapshot).split('.');
  return parts[0] === 'meeting' && parts[1] === 'inSession' ? parts[2] : undefined;
}

// ── Building blocks ───────────────────────────────────────────────────────────────────────

/** An action's section; keyed, so another action never inherits its DOM (nor the focus in it). */
function section(key: string, title: string, body: TemplateResult, extraClass = ''): TemplateResult {
  return html`${keyed(
    key,
    html`<section class="action ${extraClass}" part="action" aria-labelledby=${`${key}-title`}>
    <h3 class="action-title" part="action-title" id=${`${key}-title`} tabindex="-1">${title}</h3>
    ${body}
  </section>`,
  )}`;
}

function form(
  host: ActionHost,
  spec: FormSpec,
  content: TemplateResult | typeof nothing,
  button: TemplateResult | string,
  o: { labelledby?: string; secondary?: boolean } = {},
): TemplateResult {
  const busy = host.busy(spec.key);
  return html`${keyed(
    spec.key,
    html`<form
    class="action-form"
    novalidate
    aria-labelledby=${ifDefined(o.labelledby)}
    @submit=${(e: SubmitEvent) => host.submit(e, spec)}
  >
    ${host.summary(spec.key)} ${content}
    <div class="buttons">
      <button
        id=${`${spec.key}-submit`}
        type="submit"
        class="button ${o.secondary ? 'button--secondary' : 'button--primary'}"
        part=${o.secondary ? 'button' : 'button button-primary'}
        aria-disabled=${busy ? 'true' : 'false'}
      >
        ${button}
      </button>
    </div>
  </form>`,
  )}`;
}

const labelOf = (host: ActionHost, value: LocalizedText | undefined, fallback: string) => host.text(value, fallback) || fallback;

// ── Screening (选题): accept, reject, merge, redirect, escalate ───────────────────────────

export function screeningForms(host: ActionHost, m: ActionModel): TemplateResult[] {
  const out: TemplateResult[] = [];
  const { config, ctx } = m;
  const screening = config.step.screening;
  const claimed = claimingChannel(ctx);

  if (m.offered.has('screening.accept')) {
    const next = config.steps.find((s) => s.type === 'research' || s.type === 'meeting')?.type ?? 'meeting';
    const spec: FormSpec = {
      key: 'accept',
      type: 'screening.accept',
      done: host.t('staff.accept.title'),
      payload: () => ({}),
      target: () => ({}),
    };
    out.push(
      section(
        'accept',
        host.t('staff.accept.title'),
        form(
          host,
          spec,
          html`<p class="hint">${host.t('staff.accept.hint', { next: host.stageLabel(next) })}</p>
            ${claimed ? html`<p class="notice" part="notice">${host.t('staff.accept.outOfScope', { channel: host.text(claimed.label) })}</p>` : nothing}`,
          host.t('staff.accept.button'),
          { labelledby: 'accept-title' },
        ),
      ),
    );
  }

  if (m.offered.has('screening.reject')) {
    const spec: FormSpec = {
      key: 'reject',
      type: 'screening.reject',
      done: host.t('staff.reject.title'),
      payload: () => ({ reason: trim(host.value('reject', 'reason')) }),
      target: (field) => (field === 'reason' ? { id: 'reject-reason' } : {}),
    };
    out.push(
      section(
        'reject',
        host.t('staff.reject.title'),
        form(
          host,
          spec,
          textArea(host, {
            id: 'reject-reason',
            label: host.t('staff.reject.reason'),
            hint: host.t('staff.reject.hint'),
            value: host.value('reject', 'reason'),
            onInput: (v) => host.set('reject', 'reason', v),
          }),
          host.t('staff.reject.button'),
          { labelledby: 'reject-title', secondary: true },
        ),
      ),
    );
  }

  const candidates = [...m.topics]
    .filter(([id, topic]) => id !== m.topicId && topic.status === 'active')
    .map(([id, topic]) => ({
      value: id,
      label: host.t('staff.merge.option', { title: topic.context.title || id, stage: host.stageLabel(stateName(topic).split('.')[0]!) }),
    }));
  if (m.offered.has('screening.merge') && candidates.length > 0) {
    const spec: FormSpec = {
      key: 'merge',
      type: 'screening.merge',
      done: host.t('staff.merge.title'),
      payload: () => ({ into: host.value('merge', 'into') }),
      target: (field) => (field === 'into' ? { id: 'merge-into' } : {}),
    };
    out.push(
      section(
        'merge',
        host.t('staff.merge.title'),
        form(
          host,
          spec,
          select(host, {
            id: 'merge-into',
            label: host.t('staff.merge.into'),
            hint: host.t('staff.merge.hint'),
            value: host.value('merge', 'into'),
            options: candidates,
            onChange: (v) => host.set('merge', 'into', v),
          }),
          host.t('staff.merge.button'),
          { labelledby: 'merge-title', secondary: true },
        ),
      ),
    );
  }

  const channels = screening?.channels ?? [];
  if (m.offered.has('screening.redirect') && channels.length > 0) {
    const chosen = channels.find((c) => c.id === host.value('redirect', 'channel'));
    const spec: FormSpec = {
      key: 'redirect',
      type: 'screening.redirect',
      done: host.t('staff.redirect.title'),
      payload: () => {
        const reason = trim(host.value('redirect', 'reason'));
        return { channel: host.value('redirect', 'channel'), ...(reason ? { reason } : {}) };
      },
      target: (field) => (field === 'channel' ? { id: 'redirect-channel' } : field === 'reason' ? { id: 'redirect-reason' } : {}),
    };
    out.push(
      section(
        'redirect',
        host.t('staff.redirect.title'),
        form(
          host,
          spec,
          html`${select(host, {
            id: 'redirect-channel',
            label: host.t('staff.redirect.channel'),
            hint: host.t('staff.redirect.hint'),
            value: host.value('redirect', 'channel'),
            options: channels.map((c) => ({ value: c.id, label: host.text(c.label) })),
            onChange: (v) => host.set('redirect', 'channel', v),
            after: chosen ? channelDescription(host, chosen) : nothing,
          })}
          ${textArea(host, {
            id: 'redirect-reason',
            label: host.t('staff.redirect.reason'),
            optional: true,
            value: host.value('redirect', 'reason'),
            onInput: (v) => host.set('redirect', 'reason', v),
          })}`,
          host.t('staff.redirect.button'),
          { labelledby: 'redirect-title', secondary: !claimed },
        ),
        claimed ? 'action--suggested' : '',
      ),
    );
  }

  const levels = (screening?.escalation.levels ?? []).filter((l) => LEVEL_RANK[l] > LEVEL_RANK[ctx.level]);
  if (m.offered.has('screening.escalate') && levels.length > 0) {
    const spec: FormSpec = {
      key: 'escalate',
      type: 'screening.escalate',
      done: host.t('staff.escalate.title'),
      payload: () => {
        const reason = trim(host.value('escalate', 'reason'));
        return { level: host.value('escalate', 'level') as Level, ...(reason ? { reason } : {}) };
      },
      target: (field) => (field === 'level' ? { id: 'escalate-level' } : field === 'reason' ? { id: 'escalate-reason' } : {}),
    };
    out.push(
      section(
        'escalate',
        host.t('staff.escalate.title'),
        form(
          host,
          spec,
          html`${select(host, {
            id: 'escalate-level',
            label: host.t('staff.escalate.level'),
            hint: host.t('staff.escalate.hint', { level: host.levelLabel(ctx.level) }),
            value: host.value('escalate', 'level'),
            options: levels.map((l) => ({ value: l, label: host.levelLabel(l) })),
            onChange: (v) => host.set('escalate', 'level', v),
          })}
          ${textArea(host, {
            id: 'escalate-reason',
            label: host.t('staff.escalate.reason'),
            optional: true,
            value: host.value('escalate', 'reason'),
            onInput: (v) => host.set('escalate', 'reason', v),
          })}`,
          host.t('staff.escalate.button'),
          { labelledby: 'escalate-title', secondary: true },
        ),
      ),
    );
  }
  return out;
}

function channelDescription(host: ActionHost, channel: Channel): TemplateResult {
  const href = safeUrl(channel.url);
  const number = channel.url.toLowerCase().startsWith('tel:') ? channel.url.slice(4) : undefined;
  const linkText = number ? host.t('staff.redirect.call', { number }) : host.t('staff.redirect.visit', { channel: host.text(channel.label) });
  return html`<div class="channel" part="channel" id="redirect-channel-more">
    ${channel.description ? html`<p>${host.text(channel.description)}</p>` : nothing}
    ${href ? html`<p><a class="link" href=${href} target=${ifDefined(number ? undefined : '_blank')} rel="noopener">${linkText}</a></p>` : nothing}
  </div>`;
}

// ── Research (调查研究) ─────────────────────────────────────────────────────────────────────

export function researchForm(host: ActionHost, m: ActionModel): TemplateResult | typeof nothing {
  if (!m.offered.has('research.complete')) return nothing;
  const min = m.config.step.research?.minFindingsLength ?? 1;
  const spec: FormSpec = {
    key: 'research',
    type: 'research.complete',
    done: host.t('staff.research.button'),
    payload: () => ({ findings: trim(host.value('research', 'findings')) }),
    target: (field) => (field === 'findings' ? { id: 'research-findings' } : {}),
  };
  return section(
    'research',
    host.t('staff.research.title'),
    form(
      host,
      spec,
      textArea(host, {
        id: 'research-findings',
        label: host.t('staff.research.findings'),
        hint: host.t('staff.research.hint', { min }),
        rows: 5,
        value: host.value('research', 'findings'),
        onInput: (v) => host.set('research', 'findings', v),
      }),
      host.t('staff.research.button'),
      { labelledby: 'research-title' },
    ),
  );
}

// ── The meeting (协商议事): schedule, start, advance ───────────────────────────────────────

function roleOptions(host: ActionHost): Option[] {
  return ROLES.map((r) => ({ value: r, label: host.roleLabel(r) }));
}

function convenerLabel(host: ActionHost, index: number, count: number): string {
  if (count === 2) return host.t(index === 0 ? 'staff.schedule.firstConvener' : 'staff.schedule.secondConvener');
  return count === 1 ? host.t('staff.schedule.conveners') : host.t('staff.schedule.convenerN', { n: index + 1 });
}

export function scheduleForm(host: ActionHost, m: ActionModel, reschedule: boolean): TemplateResult | typeof nothing {
  if (!m.offered.has('meeting.schedule')) return nothing;
  const key = 'schedule';
  const meeting = m.config.step.meeting;
  const count = Math.max(1, meeting.conveners);
  const rows = host.rows(key);
  const convenerId = (i: number) => `schedule-convener-${i}`;
  const rowId = (row: Row, name: string) => `schedule-participant-${row.key}-${name}`;
  const filled = () => rows.filter((r) => !blank(r.values.name) || !blank(r.values.role));
  const spec: FormSpec = {
    key,
    type: 'meeting.schedule',
    done: host.t(reschedule ? 'staff.reschedule.title' : 'staff.schedule.title'),
    after: 'start-title',
    payload: () => ({
      format: host.value(key, 'format'),
      start: fromLocalInput(host.value(key, 'start')),
      place: trim(host.value(key, 'place')),
      conveners: Array.from({ length: count }, (_, i) => trim(host.value(key, `convener-${i}`)))
        .filter((name) => name !== '')
        .map((name) => ({ name, role: 'convener' })),
      participants: filled().map((r) => ({ name: trim(r.values.name ?? ''), role: r.values.role ?? '' })),
    }),
    target: (field) => {
      if (field === 'format' || field === 'start' || field === 'place') return { id: `schedule-${field}` };
      if (field === 'conveners') {
        const i = Array.from({ length: count }, (_, j) => j).find((j) => blank(host.value(key, `convener-${j}`))) ?? 0;
        return { id: convenerId(i) };
      }
      if (field === 'participants') {
        const list = filled();
        const index = list.findIndex((r) => blank(r.values.name) || blank(r.values.role));
        const row = list[index];
        if (!row) return { id: 'schedule-participant-add' };
        return { id: rowId(row, blank(row.values.name) ? 'name' : 'role'), n: rows.indexOf(row) + 1 };
      }
      return {};
    },
    repair: (event, field) => {
      if (field === 'format') return { ...event, format: meeting.formats[0]?.id };
      if (field === 'start') return { ...event, start: STAND_IN.time };
      if (field === 'place') return { ...event, place: STAND_IN.text };
      if (field === 'conveners') return { ...event, conveners: Array.from({ length: count }, () => ({ name: STAND_IN.text, role: 'convener' })) };
      if (field === 'participants') return { ...event, participants: [] };
      return undefined;
    },
  };
  const content = html`
    ${select(host, {
      id: 'schedule-format',
      label: host.t('staff.schedule.format'),
      value: host.value(key, 'format'),
      options: meeting.formats.map((f) => ({ value: f.id, label: host.text(f.label) })),
      onChange: (v) => host.set(key, 'format', v),
    })}
    ${textInput(host, {
      id: 'schedule-start',
      type: 'datetime-local',
      width: 'medium',
      label: host.t('staff.schedule.start'),
      value: host.value(key, 'start'),
      onInput: (v) => host.set(key, 'start', v),
    })}
    ${textInput(host, {
      id: 'schedule-place',
      label: host.t('staff.schedule.place'),
      hint: host.t('staff.schedule.placeHint'),
      value: host.value(key, 'place'),
      onInput: (v) => host.set(key, 'place', v),
    })}
    <fieldset class="group group--boxed" aria-describedby="schedule-conveners-hint">
      <legend class="label label--group" part="label">${host.t('staff.schedule.conveners')}</legend>
      <div class="hint" part="hint" id="schedule-conveners-hint">${host.t('staff.schedule.convenersHint', { count })}</div>
      ${Array.from({ length: count }, (_, i) =>
        textInput(host, {
          id: convenerId(i),
          label: convenerLabel(host, i, count),
          autocomplete: 'off',
          value: host.value(key, `convener-${i}`),
          onInput: (v) => host.set(key, `convener-${i}`, v),
        }),
      )}
    </fieldset>
    <fieldset class="group group--boxed" aria-describedby="schedule-participants-hint">
      <legend class="label label--group" part="label">${host.t('staff.schedule.participants')}</legend>
      <div class="hint" part="hint" id="schedule-participants-hint">${host.t('staff.schedule.participantsHint')}</div>
      ${repeat(
        rows,
        (row) => row.key,
        (row, i) => html`<fieldset class="row" part="row">
          <legend class="row-legend">${host.t('staff.participant.legend', { n: i + 1 })}</legend>
          <div class="row-fields">
            ${textInput(host, {
              id: rowId(row, 'name'),
              label: host.t('staff.participant.name'),
              autocomplete: 'off',
              wrapper: 'field--inline',
              value: row.values.name ?? '',
              onInput: (v) => host.setRow(key, row.key, 'name', v),
            })}
            ${select(host, {
              id: rowId(row, 'role'),
              label: host.t('staff.participant.role'),
              wrapper: 'field--inline',
              value: row.values.role ?? '',
              options: roleOptions(host),
              onChange: (v) => host.setRow(key, row.key, 'role', v),
            })}
          </div>
          ${rows.length > 1
            ? html`<button
                type="button"
                class="button button--link"
                part="button"
                aria-label=${host.t('staff.participant.removeLabel', { n: i + 1 })}
                @click=${() => host.removeRow(key, row.key, 'schedule-participant-add')}
              >
                ${host.t('staff.participant.remove')}
              </button>`
            : nothing}
        </fieldset>`,
      )}
      <button
        type="button"
        id="schedule-participant-add"
        class="button button--secondary button--small"
        part="button"
        @click=${() => host.addRow(key, 'name')}
      >
        ${host.t('staff.participant.add')}
      </button>
    </fieldset>
  `;
  const title = host.t(reschedule ? 'staff.reschedule.title' : 'staff.schedule.title');
  return section(
    key,
    title,
    form(host, spec, content, host.t(reschedule ? 'staff.reschedule.button' : 'staff.schedule.button'), {
      labelledby: `${key}-title`,
      secondary: reschedule,
    }),
  );
}

export function startForm(host: ActionHost, m: ActionModel): TemplateResult | typeof nothing {
  if (!m.offered.has('meeting.start')) return nothing;
  const meeting = m.ctx.meetings.at(-1);
  const format = meeting ? labelOf(host, m.config.step.meeting.formats.find((f) => f.id === meeting.format)?.label, meeting.format) : '';
  const spec: FormSpec = {
    key: 'start',
    type: 'meeting.start',
    done: host.t('staff.start.title'),
    after: 'session-title',
    payload: () => ({}),
    target: () => ({}),
  };
  return section(
    'start',
    host.t('staff.start.title'),
    form(
      host,
      spec,
      meeting
        ? html`<p class="meeting-summary">
            ${host.t('staff.start.hint', { format, start: host.formatDate(meeting.start, true), place: meeting.place })}
          </p>`
        : nothing,
      host.t('staff.start.button'),
      { labelledby: 'start-title' },
    ),
  );
}

export function sessionForm(host: ActionHost, m: ActionModel): TemplateResult | typeof nothing {
  const stage = agendaStage(m.snapshot);
  if (!stage || !(m.offered.has('meeting.advance') || m.offered.has('meeting.record'))) return nothing;
  const agenda = m.config.step.meeting.agenda;
  const index = agenda.findIndex((s) => s.id === stage);
  const next = agenda[index + 1];
  const nextLabel = next ? host.stageLabel(next.id) : '';
  const spec: FormSpec = {
    key: 'advance',
    type: 'meeting.advance',
    done: host.t('staff.advance.button', { stage: nextLabel }),
    after: 'session-title',
    payload: () => ({}),
    target: () => ({}),
  };
  return section(
    'session',
    host.t('staff.session.title'),
    html`<p class="now" part="now">${host.t('staff.session.now', { stage: host.stageLabel(stage) })}</p>
      <ol class="agenda" part="agenda" aria-label=${host.t('staff.session.agenda')}>
        ${agenda.map(
          (s, i) => html`<li
            class="agenda-stage ${i < index ? 'agenda-stage--done' : i === index ? 'agenda-stage--current' : ''}"
            aria-current=${ifDefined(i === index ? 'step' : undefined)}
          >
            ${host.stageLabel(s.id)}${i === index ? html` <span class="visually-hidden">${host.t('staff.session.current')}</span>` : nothing}
          </li>`,
        )}
      </ol>
      ${m.offered.has('meeting.advance') && next ? form(host, spec, nothing, host.t('staff.advance.button', { stage: nextLabel })) : nothing}`,
  );
}

// ── The record (记录成果, the five haves) ───────────────────────────────────────────────────

export function recordForm(host: ActionHost, m: ActionModel): TemplateResult | typeof nothing {
  if (!m.offered.has('meeting.record')) return nothing;
  const key = 'record';
  const { config } = m;
  const rows = host.rows(key);
  const rowId = (row: Row, name: string) => `record-measure-${row.key}-${name}`;
  const used = () => rows.filter((r) => ['text', 'party', 'other', 'due'].some((n) => !blank(r.values[n])));
  const parties: Option[] = [
    ...config.step.handling.parties.map((p) => ({ value: p.id, label: host.text(p.label) })),
    { value: OTHER_PARTY, label: host.t('staff.measure.partyOther') },
  ];
  const spec: FormSpec = {
    key,
    type: 'meeting.record',
    done: host.t('staff.record.button'),
    payload: () => ({
      time: fromLocalInput(host.value(key, 'time')),
      place: trim(host.value(key, 'place')),
      topic: trim(host.value(key, 'topic')),
      measures: used().map((r) => {
        const party = r.values.party === OTHER_PARTY ? trim(r.values.other ?? '') : (r.values.party ?? '');
        const due = r.values.due ?? '';
        return { text: trim(r.values.text ?? ''), party, ...(due ? { due } : {}) };
      }),
      effect: trim(host.value(key, 'effect')),
      consensus: host.value(key, 'consensus'),
    }),
    target: (field) => {
      if (field === 'time' || field === 'place' || field === 'topic' || field === 'effect') return { id: `record-${field}` };
      if (field === 'consensus') return { id: 'record-consensus' };
      if (field === 'measures') return { id: rows[0] ? rowId(rows[0], 'text') : 'record-measure-add' };
      const match = /^measures\.(\d+)(?:\.(\w+))?$/.exec(field ?? '');
      if (match) {
        const row = used()[Number(match[1])];
        if (!row) return {};
        const n = rows.indexOf(row) + 1;
        if (match[2] === 'due') return { id: rowId(row, 'due'), n };
        if (blank(row.values.text)) return { id: rowId(row, 'text'), n };
        return { id: rowId(row, row.values.party === OTHER_PARTY ? 'other' : 'party'), n };
      }
      return {};
    },
    repair: (event, field) => {
      // Without a consensus chosen, ask as if it were partial: measures are then required too.
      if (field === 'consensus') return { ...event, consensus: 'partial' };
      if (field === 'time') return { ...event, time: STAND_IN.time };
      if (field === 'place' || field === 'topic' || field === 'effect') return { ...event, [field]: STAND_IN.text };
      if (field === 'measures') return { ...event, measures: [STAND_IN.measure] };
      const match = /^measures\.(\d+)/.exec(field);
      if (match && Array.isArray(event.measures)) {
        return { ...event, measures: event.measures.map((m: unknown, i: number) => (i === Number(match[1]) ? STAND_IN.measure : m)) };
      }
      return undefined;
    },
  };
  const content = html`
    <p class="hint">${host.t('staff.record.intro')}</p>
    ${textInput(host, {
      id: 'record-time',
      type: 'datetime-local',
      width: 'medium',
      label: host.t('staff.record.time'),
      value: host.value(key, 'time'),
      onInput: (v) => host.set(key, 'time', v),
    })}
    ${textInput(host, {
      id: 'record-place',
      label: host.t('staff.record.place'),
      value: host.value(key, 'place'),
      onInput: (v) => host.set(key, 'place', v),
    })}
    ${textInput(host, {
      id: 'record-topic',
      label: host.t('staff.record.topic'),
      value: host.value(key, 'topic'),
      onInput: (v) => host.set(key, 'topic', v),
    })}
    <fieldset class="group group--boxed" aria-describedby="record-measures-hint">
      <legend class="label label--group" part="label">${host.t('staff.record.measures')}</legend>
      <div class="hint" part="hint" id="record-measures-hint">
        ${host.t('staff.record.measuresHint', { days: config.step.handling.deadlineDays })}
      </div>
      ${repeat(
        rows,
        (row) => row.key,
        (row, i) => html`<fieldset class="row" part="row">
          <legend class="row-legend">${host.t('staff.measure.legend', { n: i + 1 })}</legend>
          ${textArea(host, {
            id: rowId(row, 'text'),
            label: host.t('staff.measure.text'),
            rows: 2,
            value: row.values.text ?? '',
            onInput: (v) => host.setRow(key, row.key, 'text', v),
          })}
          <div class="row-fields">
            ${select(host, {
              id: rowId(row, 'party'),
              label: host.t('staff.measure.party'),
              wrapper: 'field--inline',
              value: row.values.party ?? '',
              options: parties,
              onChange: (v) => host.setRow(key, row.key, 'party', v),
            })}
            ${textInput(host, {
              id: rowId(row, 'due'),
              type: 'date',
              width: 'narrow',
              wrapper: 'field--inline',
              label: host.t('staff.measure.due'),
              optional: true,
              value: row.values.due ?? '',
              onInput: (v) => host.setRow(key, row.key, 'due', v),
            })}
          </div>
          ${row.values.party === OTHER_PARTY
            ? textInput(host, {
                id: rowId(row, 'other'),
                label: host.t('staff.measure.partyName'),
                value: row.values.other ?? '',
                onInput: (v) => host.setRow(key, row.key, 'other', v),
              })
            : nothing}
          ${rows.length > 1
            ? html`<button
                type="button"
                class="button button--link"
                part="button"
                aria-label=${host.t('staff.measure.removeLabel', { n: i + 1 })}
                @click=${() => host.removeRow(key, row.key, 'record-measure-add')}
              >
                ${host.t('staff.measure.remove')}
              </button>`
            : nothing}
        </fieldset>`,
      )}
      <button type="button" id="record-measure-add" class="button button--secondary button--small" part="button" @click=${() => host.addRow(key, 'text')}>
        ${host.t('staff.measure.add')}
      </button>
    </fieldset>
    ${textArea(host, {
      id: 'record-effect',
      label: host.t('staff.record.effect'),
      hint: host.t('staff.record.effectHint'),
      value: host.value(key, 'effect'),
      onInput: (v) => host.set(key, 'effect', v),
    })}
    ${radios(host, {
      id: 'record-consensus',
      label: host.t('staff.record.consensus'),
      value: host.value(key, 'consensus'),
      options: [
        { value: 'full', label: host.t('staff.consensus.full') },
        { value: 'partial', label: host.t('staff.consensus.partial') },
        { value: 'none', label: host.t('staff.consensus.none'), hint: host.t('staff.consensus.noneHint', { max: config.step.meeting.maxRounds }) },
      ],
      onChange: (v) => host.set(key, 'consensus', v),
    })}
  `;
  return section(key, host.t('staff.record.title'), form(host, spec, content, host.t('staff.record.button'), { labelledby: 'record-title' }));
}

// ── Handling (成果办理): each measure ───────────────────────────────────────────────────────

const MEASURE_EVENTS = ['measure.adopt', 'measure.decline', 'measure.progress', 'measure.implement'] as const;

export function measuresSection(host: ActionHost, m: ActionModel): TemplateResult | typeof nothing {
  if (!MEASURE_EVENTS.some((type) => m.offered.has(type))) return nothing;
  const measures = m.ctx.measures;
  return section(
    'handling',
    host.t('staff.handling.title'),
    measures.length === 0
      ? html`<p>${host.t('staff.handling.none')}</p>`
      : html`<ol class="measures">
          ${measures.map((measure, i) => html`<li>${measureCard(host, m, measure, i)}</li>`)}
        </ol>`,
  );
}

function measureCard(host: ActionHost, m: ActionModel, measure: Measure, index: number): TemplateResult {
  const n = index + 1;
  const key = `m${index}`;
  const titleId = `${key}-title`;
  const party = labelOf(host, m.config.step.handling.parties.find((p) => p.id === measure.party)?.label, measure.party);
  const label = (text: string) => html`${text}<span class="visually-hidden"> ${host.t('staff.measure.heading', { n })}</span>`;
  const spec = (type: (typeof MEASURE_EVENTS)[number], form: string, field: 'reason' | 'note' | 'result' | undefined, done: string): FormSpec => ({
    key: form,
    type,
    done,
    after: titleId,
    payload: () => ({ measureId: measure.id, ...(field ? { [field]: trim(host.value(form, field)) } : {}) }),
    target: (f) => (field && f === field ? { id: `${form}-${field}` } : {}),
  });
  const forms: TemplateResult[] = [];
  const can = (type: string) => m.offered.has(type);
  if (measure.status === 'proposed') {
    if (can('measure.adopt')) {
      forms.push(form(host, spec('measure.adopt', `adopt-${key}`, undefined, host.t('staff.adopt.button')), nothing, label(host.t('staff.adopt.button'))));
    }
    if (can('measure.decline')) {
      const f = `decline-${key}`;
      forms.push(
        form(
          host,
          spec('measure.decline', f, 'reason', host.t('staff.decline.button')),
          textArea(host, {
            id: `${f}-reason`,
            label: host.t('staff.decline.reason'),
            rows: 2,
            value: host.value(f, 'reason'),
            onInput: (v) => host.set(f, 'reason', v),
          }),
          label(host.t('staff.decline.button')),
          { secondary: true },
        ),
      );
    }
  }
  if (measure.status === 'adopted' || measure.status === 'inProgress') {
    if (can('measure.progress')) {
      const f = `progress-${key}`;
      forms.push(
        form(
          host,
          spec('measure.progress', f, 'note', host.t('staff.progress.button')),
          textArea(host, {
            id: `${f}-note`,
            label: host.t('staff.progress.note'),
            rows: 2,
            value: host.value(f, 'note'),
            onInput: (v) => host.set(f, 'note', v),
          }),
          label(host.t('staff.progress.button')),
          { secondary: true },
        ),
      );
    }
    if (can('measure.implement')) {
      const f = `implement-${key}`;
      forms.push(
        form(
          host,
          spec('measure.implement', f, 'result', host.t('staff.implement.button')),
          textArea(host, {
            id: `${f}-result`,
            label: host.t('staff.implement.result'),
            rows: 2,
            value: host.value(f, 'result'),
            onInput: (v) => host.set(f, 'result', v),
          }),
          label(host.t('staff.implement.button')),
        ),
      );
    }
  }
  return html`<article class="measure measure--${measure.status}" part="measure" aria-labelledby=${titleId}>
    <h4 class="measure-title" id=${titleId} tabindex="-1">${host.t('staff.measure.heading', { n })}</h4>
    <p class="measure-text">${measure.text}</p>
    <dl class="facts">
      <div><dt>${host.t('staff.measure.partyLabel')}</dt><dd>${party}</dd></div>
      <div>
        <dt>${host.t('staff.measure.dueLabel')}</dt>
        <dd>
          <time datetime=${measure.due}>${host.formatDate(measure.due)}</time>
          ${measure.status === 'implemented' || measure.status === 'declined'
            ? nothing
            : html`<span class="due-words ${isOverdue(measure, m.now) ? 'due-words--overdue' : ''}" part="due">${host.dueWords(measure.due, m.now)}</span>`}
        </dd>
      </div>
      <div>
        <dt>${host.t('staff.measure.statusLabel')}</dt>
        <dd><span class="status-tag status-tag--${measure.status}">${host.t(`staff.measure.status.${measure.status}`)}</span></dd>
      </div>
      ${measure.reason ? html`<div class="wide"><dt>${host.t('staff.measure.reasonLabel')}</dt><dd>${measure.reason}</dd></div>` : nothing}
      ${measure.notes.length > 0
        ? html`<div class="wide"><dt>${host.t('staff.measure.notesLabel')}</dt><dd>${measure.notes.at(-1)!.text}</dd></div>`
        : nothing}
      ${measure.result ? html`<div class="wide"><dt>${host.t('staff.measure.resultLabel')}</dt><dd>${measure.result}</dd></div>` : nothing}
    </dl>
    ${forms.length > 0 ? html`<div class="measure-forms">${forms}</div>` : nothing}
  </article>`;
}

// ── Feedback (反馈) ─────────────────────────────────────────────────────────────────────────

export function feedbackForm(host: ActionHost, m: ActionModel): TemplateResult | typeof nothing {
  if (!m.offered.has('feedback.publish')) return nothing;
  const title = host.t('staff.feedback.title');
  if (!allMeasuresSettled(m.ctx)) return section('feedback', title, html`<p class="hint">${host.t('staff.feedback.waiting')}</p>`);
  const min = m.config.step.feedback?.minLength ?? 1;
  const spec: FormSpec = {
    key: 'feedback',
    type: 'feedback.publish',
    done: host.t('staff.feedback.button'),
    payload: () => ({ text: trim(host.value('feedback', 'text')) }),
    target: (field) => (field === 'text' ? { id: 'feedback-text' } : {}),
  };
  return section(
    'feedback',
    title,
    form(
      host,
      spec,
      textArea(host, {
        id: 'feedback-text',
        label: host.t('staff.feedback.text'),
        hint: host.t('staff.feedback.hint', { min }),
        rows: 5,
        value: host.value('feedback', 'text'),
        onInput: (v) => host.set('feedback', 'text', v),
      }),
      host.t('staff.feedback.button'),
      { labelledby: 'feedback-title' },
    ),
  );
}

// ── Evaluation (满意度评价): close, rate ───────────────────────────────────────────────────

function openRound(ctx: TopicContext) {
  const last = ctx.evaluations.at(-1);
  return last && !last.closedAt ? last : undefined;
}

export function closeForm(host: ActionHost, m: ActionModel): TemplateResult | typeof nothing {
  const step = m.config.step.evaluation;
  if (!m.offered.has('evaluation.close') || !step) return nothing;
  const round = openRound(m.ctx);
  const ratings = round?.ratings ?? [];
  const average = ratings.length > 0 ? ratings.reduce((sum, r) => sum + r.stars, 0) / ratings.length : null;
  const shown = average === null ? '' : (Math.round(average * 10) / 10).toFixed(1);
  const end = round ? addDays(round.openedAt, step.windowDays) : undefined;
  const waiting = ratings.length < step.minRatings && end !== undefined && m.now <= Date.parse(end);
  const spec: FormSpec = {
    key: 'close',
    type: 'evaluation.close',
    done: host.t('staff.close.title'),
    payload: () => ({}),
    target: () => ({}),
  };
  const content = html`<div class="close-summary" part="summary">
    <p>
      ${average === null
        ? host.t('staff.close.noRatings')
        : host.t('staff.close.average', { count: ratings.length, average: shown, scale: step.scale })}
    </p>
    <p>
      <strong
        >${average === null
          ? host.t('staff.close.emptyWillClose')
          : average < step.reopenThreshold
            ? host.t('staff.close.willReopen', { threshold: step.reopenThreshold })
            : host.t('staff.close.willClose', { threshold: step.reopenThreshold })}</strong
      >
    </p>
    ${waiting && end ? html`<p class="hint">${host.t('staff.close.needs', { min: step.minRatings, date: host.formatDate(end) })}</p>` : nothing}
  </div>`;
  return section('close', host.t('staff.close.title'), form(host, spec, content, host.t('staff.close.button'), { labelledby: 'close-title' }));
}

export function ratingForm(host: ActionHost, m: ActionModel): TemplateResult | typeof nothing {
  const step = m.config.step.evaluation;
  if (!m.offered.has('rating.submit') || !step) return nothing;
  const round = openRound(m.ctx);
  const title = host.t('staff.rating.title');
  const feedback = m.ctx.feedback.at(-1);
  const told = feedback
    ? html`<div class="feedback" part="feedback">
        <h4 class="feedback-title">${host.t('staff.rating.feedback')}</h4>
        <p class="feedback-text">${feedback.text}</p>
      </div>`
    : nothing;
  const mine = m.userId ? round?.ratings.find((r) => r.by.id === m.userId) : undefined;
  if (mine) {
    return section('rating', title, html`${told}<p class="done" part="done">${host.t('staff.rating.done', { stars: mine.stars, scale: step.scale })}</p>`);
  }
  const end = round ? addDays(round.openedAt, step.windowDays) : undefined;
  if (end && m.now > Date.parse(end)) {
    return section('rating', title, html`${told}<p>${host.t('staff.refusal.rating-window-closed')}</p>`);
  }
  const spec: FormSpec = {
    key: 'rating',
    type: 'rating.submit',
    done: host.t('staff.rating.button'),
    payload: () => {
      const comment = trim(host.value('rating', 'comment'));
      return { stars: Number(host.value('rating', 'stars') || 0), ...(comment ? { comment } : {}) };
    },
    target: (field) => (field === 'stars' ? { id: 'rating-stars' } : field === 'comment' ? { id: 'rating-comment' } : {}),
    after: 'rating-title',
  };
  const error = host.errorFor('rating-stars');
  const content = html`${told}
    <div class="field ${error ? 'field--error' : ''}" part=${error ? 'field field-error' : 'field'}>
      ${error
        ? html`<p class="error-message" part="error" id="rating-stars-error">
            <span class="visually-hidden">${host.t('staff.errorPrefix')}</span> ${error}
          </p>`
        : nothing}
      <consult-star-rating
        id="rating-stars"
        .scale=${step.scale}
        .labels=${step.starLabels}
        .value=${Number(host.value('rating', 'stars') || 0)}
        @change=${(e: Event) => host.set('rating', 'stars', String((e.currentTarget as HTMLElement & { value: number }).value))}
      ></consult-star-rating>
      ${end ? html`<p class="hint">${host.t('staff.rating.until', { date: host.formatDate(end) })}</p>` : nothing}
    </div>
    ${textArea(host, {
      id: 'rating-comment',
      label: host.t('staff.rating.comment'),
      optional: true,
      value: host.value('rating', 'comment'),
      onInput: (v) => host.set('rating', 'comment', v),
    })}`;
  return section('rating', title, form(host, spec, content, host.t('staff.rating.button'), { labelledby: 'rating-title' }));
}
