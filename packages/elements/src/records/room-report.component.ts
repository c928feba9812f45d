import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { GRADE_FIGURES, toMillis, type GradeFigure, type Measure, type Meeting, type Period, type TopicContext, type WorkflowConfig } from '@consult-kit/machine/core';
import { corePart, recordsPart, timelinePart } from '../i18n/parts.js';
import type { MessageKey } from '../i18n/messages.js';
import { hostStyles } from '../styles/tokens.js';
import { contextOf, type RecordTopic } from './meeting-record.component.js';
import { RecordElement, type Token } from './records-base.js';
import { fetchRoom, type Loaded, type RoomPage } from './records-source.js';
import { recordsStyles } from './records.styles.js';

/** The calendar day an ISO time or date names, as written (YYYY-MM-DD). */
const dayOf = (iso: string | undefined): string => (iso ?? '').slice(0, 10);
const within = (iso: string | undefined, period: Period): boolean => {
  const day = dayOf(iso);
  return day !== '' && day >= period.from && day < period.to;
};

const SHARES = new Set<GradeFigure>(['solvedShare', 'onTimeShare', 'memberParticipation']);

/**
 * @tag consult-room-report
 * @summary A consultation room's report for a period (协商议事室工作报告), printable on A4: the
 * room (name, level, place, conveners, members), its figures for the period (sessions held,
 * participants, topics raised and solved, measures due and on time, satisfaction, members
 * attending), its star grade with each criterion's value and thresholds, the meetings held in the
 * period (date, topic, place, how many took part, measures agreed), the measures due in the
 * period and whether each was done on time, and satisfaction month by month.
 *
 * Give it `data` (`{ room, grades, trends }` as `GET …/rooms/{room}` answers) with `period` and,
 * for the meetings and measures, `topics` (the room's replayed topics); or `endpoint`,
 * `programme` and `room`: it then reads the room's page, its topics from the index and their logs.
 *
 * @attr endpoint - The city server's base URL (e.g. `/api`), with `programme` and `room`.
 * @attr programme - The programme's id on the server.
 * @attr room - The room's id.
 * @attr period - The period's key (`2026`, `2026-Q3`, `2026-07`, as the grading counts); default the latest graded.
 * @attr now - The time the server judges the figures by (ISO), endpoint mode only.
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 *
 * @event consult-error - The room could not be read or the report not drawn; `detail`: `{ code, message, error }`.
 *
 * @csspart base - The document.
 * @csspart print - The Print button (hidden in print).
 */
export class ConsultRoomReport extends RecordElement {
  static override styles = [hostStyles, recordsStyles];
  static override catalogues = [corePart, timelinePart, recordsPart];

  static override properties = {
    ...RecordElement.properties,
    data: { attribute: false },
    topics: { attribute: false },
    config: { attribute: false },
    period: {},
    now: {},
    endpoint: {},
    programme: {},
    room: {},
    token: { attribute: false },
    loaded: { state: true, attribute: false },
  };

  declare data: RoomPage | undefined;
  /** The room's topics (replayed snapshots or contexts), for the meetings and measures of the period. */
  declare topics: readonly RecordTopic[] | undefined;
  /** The programme's config (default: the first topic's); gives party, format and role names. */
  declare config: WorkflowConfig | undefined;
  declare period: string | undefined;
  declare now: string | undefined;
  declare endpoint: string | undefined;
  declare programme: string | undefined;
  declare room: string | undefined;
  declare token: Token | undefined;
  declare loaded: Loaded<{ config: WorkflowConfig; page: RoomPage; topics: RecordTopic[] }> | undefined;

  private loadedFor = '';

  constructor() {
    super();
    this.data = undefined;
    this.topics = undefined;
    this.config = undefined;
    this.period = undefined;
    this.now = undefined;
    this.endpoint = undefined;
    this.programme = undefined;
    this.room = undefined;
    this.token = undefined;
    this.loaded = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.data || !this.endpoint || !this.programme || !this.room) return;
    const key = `${this.endpoint}|${this.programme}|${this.room}|${this.now ?? ''}`;
    if (key === this.loadedFor && !changed.has('token')) return;
    this.loadedFor = key;
    this.loaded = undefined;
    void fetchRoom(this.endpoint, this.programme, this.room, this.token, this.now).then((result) => {
      if (this.loadedFor !== key) return;
      if (!result.ok && result.reason === 'failed') this.report('load-failed', new Error(result.message));
      this.loaded = result;
    });
  }

  private figureLabel(figure: GradeFigure): string {
    return this.t(`records.figure.${figure}` as MessageKey);
  }

  private value(figure: GradeFigure, value: number | null): string {
    if (value === null) return '—';
    if (SHARES.has(figure)) return `${Math.round(value * 100)}%`;
    if (figure === 'averageSatisfaction') return value.toFixed(1);
    return String(value);
  }

  private stars(stars: number): TemplateResult {
    return html`<span class="stars" aria-hidden="true">${'★'.repeat(stars)}${'☆'.repeat(5 - stars)}</span> ${this.t('records.room.stars', { stars })}`;
  }

  protected override render(): TemplateResult {
    let page = this.data;
    let topics = this.topics ?? [];
    let config = this.config;
    if (!page && this.loaded) {
      if (!this.loaded.ok) return html`<div class="document" part="base">${this.problem(this.t(`records.error.${this.loaded.reason}`))}</div>`;
      ({ page, topics, config } = this.loaded.value);
    }
    if (!page) return html`<div class="document" part="base"><p class="muted" role="status">${this.t(this.endpoint ? 'common.loading' : 'records.empty')}</p></div>`;
    const contexts = topics.map((t) => contextOf(t)).filter((c): c is TopicContext => Boolean(c));
    config ??= contexts[0]?.config;
    const room = page.room;
    const record = this.period ? page.grades.find((g) => g.period.key === this.period) : (page.grades.at(-1) ?? room.grade);
    if (!record) {
      return html`<div class="document" part="base">${this.problem(this.t('records.room.noPeriod', { period: this.period ?? '', periods: page.grades.map((g) => g.period.key).join(this.t('timeline.listSeparator')) }))}</div>`;
    }
    const { period, figures, grade } = record;
    const meetings: Array<{ ctx: TopicContext; meeting: Meeting }> = contexts
      .flatMap((ctx) => ctx.meetings.filter((m) => m.record && within(m.record.time || m.record.at, period)).map((meeting) => ({ ctx, meeting })))
      .sort((a, b) => toMillis(a.meeting.record!.time || a.meeting.record!.at) - toMillis(b.meeting.record!.time || b.meeting.record!.at));
    const due: Array<{ ctx: TopicContext; measure: Measure }> = contexts
      .flatMap((ctx) => ctx.measures.filter((m) => m.status !== 'declined' && within(m.due, period)).map((measure) => ({ ctx, measure })))
      .sort((a, b) => (dayOf(a.measure.due) < dayOf(b.measure.due) ? -1 : 1));
    const months = (page.trends?.months ?? []).filter((m) => `${m.month}-01` >= period.from && `${m.month}-01` < period.to);
    const party = (id: string) => (config ? this.partyLabel(config, id) : id);
    const people = (list: RoomPage['room']['conveners']) => list.map((p) => this.personName(p)).join(this.t('timeline.listSeparator')) || '—';
    const periodText = this.t('records.room.period', { key: period.key, from: period.from, to: period.to });
    return html`<div class="document" part="base">
      ${this.printButton()}
      <header class="block">
        <p class="caption">${this.t('records.room.caption', { period: period.key })}</p>
        <h2>${this.text(room.name, room.id)}</h2>
      </header>
      <section aria-labelledby="identity">
        <h3 id="identity">${this.t('records.room.identity')}</h3>
        <dl class="facts">
          ${this.fact(this.t('records.room.level'), this.levelLabel(room.level))}
          ${this.fact(this.t('records.room.place'), this.text(room.place))}
          ${this.fact(this.t('records.room.conveners'), people(room.conveners))}
          ${this.fact(this.t('records.room.members'), people(room.members))}
          ${this.fact(this.t('records.room.periodTerm'), periodText)}
          ${record.final ? nothing : this.fact(this.t('records.room.status'), this.t('records.room.notFinal'))}
        </dl>
      </section>
      <section aria-labelledby="grade">
        <h3 id="grade">${this.t('records.room.grade')}</h3>
        <p class="block">${this.stars(grade.stars)}</p>
        <table>
          <thead>
            <tr>
              <th scope="col">${this.t('records.col.criterion')}</th>
              <th scope="col" class="num">${this.t('records.col.value')}</th>
              <th scope="col">${this.t('records.col.earned')}</th>
              <th scope="col">${this.t('records.col.thresholds')}</th>
              <th scope="col" class="num">${this.t('records.col.next')}</th>
            </tr>
          </thead>
          <tbody>
            ${grade.criteria.map(
              (c) => html`<tr>
                <th scope="row">${c.label ? this.text(c.label) : this.figureLabel(c.figure)}</th>
                <td class="num">${this.value(c.figure, c.value)}</td>
                <td>${this.stars(c.stars)}</td>
                <td>${c.thresholds.map((v) => this.value(c.figure, v)).join(' / ')}</td>
                <td class="num">${c.next === null ? '—' : this.value(c.figure, c.next)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="figures">
        <h3 id="figures">${this.t('records.room.figures')}</h3>
        <table>
          <thead>
            <tr>
              <th scope="col">${this.t('records.col.figure')}</th>
              <th scope="col" class="num">${this.t('records.col.value')}</th>
            </tr>
          </thead>
          <tbody>
            ${GRADE_FIGURES.map((f) => html`<tr><th scope="row">${this.figureLabel(f)}</th><td class="num">${this.value(f, figures[f])}</td></tr>`)}
            <tr><th scope="row">${this.t('records.figure.measuresDue')}</th><td class="num">${figures.measuresDue}</td></tr>
            <tr><th scope="row">${this.t('records.figure.measuresOnTime')}</th><td class="num">${figures.measuresOnTime}</td></tr>
            <tr><th scope="row">${this.t('records.figure.ratings')}</th><td class="num">${figures.ratings}</td></tr>
            <tr><th scope="row">${this.t('records.figure.membersAttending')}</th><td class="num">${this.t('records.ofCount', { value: figures.membersAttending, of: figures.members })}</td></tr>
          </tbody>
        </table>
      </section>
      <section class="new-page" aria-labelledby="meetings">
        <h3 id="meetings">${this.t('records.room.meetings', { count: meetings.length })}</h3>
        ${meetings.length === 0
          ? html`<p>${this.t(topics.length === 0 && !this.loaded ? 'records.room.noTopics' : 'records.room.noMeetings')}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">${this.t('records.col.date')}</th>
                  <th scope="col">${this.t('records.col.topic')}</th>
                  <th scope="col">${this.t('records.col.place')}</th>
                  <th scope="col" class="num">${this.t('records.col.people')}</th>
                  <th scope="col" class="num">${this.t('records.col.measures')}</th>
                </tr>
              </thead>
              <tbody>
                ${meetings.map(({ ctx, meeting }) => html`<tr>
                  <td>${this.time(meeting.record!.time || meeting.record!.at, 'date')}</td>
                  <td>${meeting.record!.topic || ctx.title}${meeting.round > 1 ? html`<br /><span class="muted">${this.t('timeline.round', { round: meeting.round })}</span>` : nothing}</td>
                  <td>${meeting.record!.place || meeting.place}</td>
                  <td class="num">${meeting.conveners.length + meeting.participants.length}</td>
                  <td class="num">${meeting.record!.measureIds.length}</td>
                </tr>`)}
              </tbody>
            </table>`}
      </section>
      <section aria-labelledby="due">
        <h3 id="due">${this.t('records.room.due', { due: figures.measuresDue, onTime: figures.measuresOnTime })}</h3>
        ${due.length === 0
          ? html`<p>${this.t(topics.length === 0 && !this.loaded ? 'records.room.noTopics' : 'records.room.noDue')}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">${this.t('records.col.measure')}</th>
                  <th scope="col">${this.t('records.col.party')}</th>
                  <th scope="col">${this.t('records.col.due')}</th>
                  <th scope="col">${this.t('records.col.done')}</th>
                </tr>
              </thead>
              <tbody>
                ${due.map(({ measure: m }) => {
                  const onTime = m.implementedAt !== undefined && dayOf(m.implementedAt) <= dayOf(m.due);
                  return html`<tr>
                    <td>${m.text}</td>
                    <td>${party(m.party)}</td>
                    <td>${this.time(m.due, 'date')}</td>
                    <td>${m.implementedAt ? html`${this.time(m.implementedAt, 'date')}${this.t('timeline.separator')}${this.t(onTime ? 'records.onTime' : 'records.late')}` : this.t(`timeline.measure.status.${m.status}`)}</td>
                  </tr>`;
                })}
              </tbody>
            </table>`}
      </section>
      <section aria-labelledby="satisfaction">
        <h3 id="satisfaction">${this.t('records.room.satisfaction')}</h3>
        <p>
          ${figures.averageSatisfaction === null
            ? this.t('timeline.item.noRatings')
            : this.t('records.room.satisfactionText', { average: figures.averageSatisfaction.toFixed(1), count: figures.ratings })}
        </p>
        ${months.length > 0
          ? html`<table>
              <thead>
                <tr>
                  <th scope="col">${this.t('records.col.month')}</th>
                  <th scope="col" class="num">${this.t('records.col.ratings')}</th>
                  <th scope="col" class="num">${this.t('records.col.averageShort')}</th>
                </tr>
              </thead>
              <tbody>
                ${months.map((m) => html`<tr><th scope="row">${m.month}</th><td class="num">${m.ratings}</td><td class="num">${m.averageSatisfaction === null ? '—' : m.averageSatisfaction.toFixed(1)}</td></tr>`)}
              </tbody>
            </table>`
          : nothing}
      </section>
    </div>`;
  }
}
