import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import {
  EVENT_LABELS,
  isRedacted,
  selectTimeline,
  stateLabel,
  stateName,
  type EventType,
  type LogEntry,
  type StepType,
  type TimelineItem,
  type TopicContext,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine/core';
import { safeUrl } from '../base/safe-url.js';
import { corePart, recordsPart, timelinePart } from '../i18n/parts.js';
import type { MessageKey } from '../i18n/messages.js';
import { plainText } from '../staff-actions/intake-answers.js';
import { hostStyles } from '../styles/tokens.js';
import { contextOf, type RecordTopic } from './meeting-record.component.js';
import { RecordElement, type Token } from './records-base.js';
import { fetchTopic, type Loaded, type TopicRecordData } from './records-source.js';
import { recordsStyles } from './records.styles.js';

const STEP_TYPES = new Set<string>(['intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation']);

/**
 * @tag consult-topic-dossier
 * @summary A topic's whole dossier (议题档案), printable on A4: its summary (title, source, level,
 * room, stage), every log entry in plain words, the screening decision with its reason, the
 * research findings, each meeting round's five-haves record (as <consult-meeting-record> shows
 * it), the measures with their status, notes, deadlines and results, the feedback, and each
 * evaluation round with its ratings (how many and their average; a comment only when the log
 * shares it, never a rater's name). Each part starts on a new page when printed.
 *
 * Give it `topic` (a replayed `TopicSnapshot`, or its `context`) and `entries` (its log, for the
 * timeline), or `endpoint`, `programme` and `topic-id` (and a staff `token`).
 *
 * @attr endpoint - The city server's base URL (e.g. `/api`), with `programme` and `topic-id`.
 * @attr programme - The programme's id on the server.
 * @attr topic-id - The topic to show.
 * @attr now - The time to judge deadlines by (ISO); default the current time.
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 *
 * @event consult-error - The log could not be read or the dossier not drawn; `detail`: `{ code, message, error }`.
 *
 * @csspart base - The document.
 * @csspart print - The Print button (hidden in print).
 * @csspart record - Each meeting round's record.
 */
export class ConsultTopicDossier extends RecordElement {
  static override styles = [hostStyles, recordsStyles];
  static override catalogues = [corePart, timelinePart, recordsPart];

  static override properties = {
    ...RecordElement.properties,
    topic: { attribute: false },
    entries: { attribute: false },
    config: { attribute: false },
    now: {},
    endpoint: {},
    programme: {},
    topicId: { attribute: 'topic-id' },
    token: { attribute: false },
    loaded: { state: true, attribute: false },
  };

  declare topic: RecordTopic | undefined;
  /** The topic's log (the programme's log will do: entries of other topics are left out). */
  declare entries: readonly LogEntry[] | undefined;
  declare config: WorkflowConfig | undefined;
  /** The time deadlines are judged by (ISO); default the current time. */
  declare now: string | undefined;
  declare endpoint: string | undefined;
  declare programme: string | undefined;
  declare topicId: string | undefined;
  declare token: Token | undefined;
  declare loaded: Loaded<TopicRecordData> | undefined;

  private loadedFor = '';

  constructor() {
    super();
    this.topic = undefined;
    this.entries = undefined;
    this.config = undefined;
    this.now = undefined;
    this.endpoint = undefined;
    this.programme = undefined;
    this.topicId = undefined;
    this.token = undefined;
    this.loaded = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.topic || !this.endpoint || !this.programme || !this.topicId) return;
    const key = `${this.endpoint}|${this.programme}|${this.topicId}`;
    if (key === this.loadedFor && !changed.has('token')) return;
    this.loadedFor = key;
    this.loaded = undefined;
    void fetchTopic(this.endpoint, this.programme, this.topicId, this.token).then((result) => {
      if (this.loadedFor !== key) return;
      if (!result.ok && result.reason === 'failed') this.report('load-failed', new Error(result.message));
      this.loaded = result;
    });
  }

  private eventLabel(type: string): string {
    return Object.hasOwn(EVENT_LABELS, type) ? EVENT_LABELS[type as EventType][this.locale] : type;
  }

  private stageLabel(config: WorkflowConfig, key: string): string {
    if (STEP_TYPES.has(key)) {
      const label = config.step[key as StepType]?.label;
      return label ? this.text(label) : this.t(`timeline.stage.${key}` as MessageKey);
    }
    return stateLabel(config, key, this.locale);
  }

  private who(item: Pick<TimelineItem, 'by' | 'type'>, ctx: TopicContext): string {
    if (item.type === 'topic.submit' && ctx.anonymous) return this.t('timeline.anonymous');
    const role = this.roleLabel(item.by.role);
    if (item.by.name === undefined) return role;
    const name = isRedacted(item.by.name) ? this.t('records.withheld') : (plainText(item.by.name) ?? '');
    return name ? this.t('timeline.who', { role, name }) : role;
  }

  /** What one entry said, in words. */
  private said(config: WorkflowConfig, ctx: TopicContext, item: TimelineItem): string {
    const d = item.detail;
    const str = (v: unknown) => (isRedacted(v) ? this.t('records.withheld') : (plainText(v) ?? ''));
    const measure = () => ctx.measures.find((m) => m.id === str(d.measureId))?.text ?? str(d.measureId);
    switch (item.type) {
      case 'topic.submit':
        return this.t('timeline.item.source', { source: this.sourceLabel(config, str(d.source)) });
      case 'screening.reject':
      case 'topic.withdraw':
        return d.reason ? this.t('timeline.item.reason', { reason: str(d.reason) }) : '';
      case 'screening.merge':
        return this.t('timeline.item.mergedInto', { topic: str(d.into) });
      case 'screening.redirect':
        return this.t('records.said.channel', { channel: this.channelName(config, str(d.channel)), reason: str(d.reason) });
      case 'screening.escalate':
        return this.t('timeline.item.escalatedTo', { level: this.levelLabel(d.level) });
      case 'research.complete':
        return this.t('timeline.item.findings', { findings: str(d.findings) });
      case 'meeting.schedule':
        return this.t('records.said.scheduled', { format: this.formatLabel(config, str(d.format)), place: str(d.place) });
      case 'meeting.record':
        return this.t('records.said.recorded', { consensus: this.consensusLabel(str(d.consensus)) });
      case 'measure.adopt':
        return this.t('timeline.item.measure', { measure: measure() });
      case 'measure.decline':
        return `${this.t('timeline.item.measure', { measure: measure() })}${this.t('timeline.separator')}${this.t('timeline.item.reason', { reason: str(d.reason) })}`;
      case 'measure.progress':
        return `${this.t('timeline.item.measure', { measure: measure() })}${this.t('timeline.separator')}${this.t('timeline.item.note', { note: str(d.note) })}`;
      case 'measure.implement':
        return `${this.t('timeline.item.measure', { measure: measure() })}${this.t('timeline.separator')}${this.t('timeline.item.result', { result: str(d.result) })}`;
      case 'feedback.publish':
        return this.t('timeline.item.feedback', { text: str(d.text) });
      case 'rating.submit':
        return this.t('timeline.item.stars', { stars: Number(d.stars), scale: config.step.evaluation?.scale ?? 5 });
      default:
        return '';
    }
  }

  private channelName(config: WorkflowConfig, id: string): string {
    const channel = config.step.screening?.channels.find((c) => c.id === id);
    return channel ? this.text(channel.label, id) : id;
  }

  private channelLink(config: WorkflowConfig, id: string): TemplateResult | string {
    const channel = config.step.screening?.channels.find((c) => c.id === id);
    if (!channel) return id;
    const href = safeUrl(channel.url);
    return href ? html`<a href=${href}>${this.text(channel.label, id)}</a>` : this.text(channel.label, id);
  }

  protected override render(): TemplateResult {
    let snapshot: TopicSnapshot | undefined = this.topic && 'context' in this.topic ? (this.topic as TopicSnapshot) : undefined;
    let ctx = contextOf(this.topic);
    let config = this.config ?? ctx?.config;
    let entries = this.entries ?? [];
    if (!ctx && this.loaded) {
      if (!this.loaded.ok) return html`<div class="document" part="base">${this.problem(this.t(`records.error.${this.loaded.reason}`))}</div>`;
      ({ snapshot, config, entries } = this.loaded.value);
      ctx = snapshot.context;
    }
    if (!ctx || !config) return html`<div class="document" part="base"><p class="muted" role="status">${this.t(this.endpoint ? 'common.loading' : 'records.empty')}</p></div>`;
    const now = this.now ?? Date.now();
    const timeline = snapshot ? selectTimeline(snapshot, entries, now) : undefined;
    const own = timeline ? timeline.stages.flatMap((s) => s.items).sort((a, b) => a.seq - b.seq) : [];
    const stage = timeline ? this.stageLabel(config, timeline.current) : snapshot ? stateName(snapshot) : this.t('timeline.notGiven');
    const scale = config.step.evaluation?.scale ?? 5;
    const s = ctx.screening;
    return html`<div class="document" part="base">
      ${this.printButton()}
      <header class="block">
        <p class="caption">${this.t('records.dossier.caption')}</p>
        <h2>${ctx.title || ctx.topicId}</h2>
      </header>
      <section aria-labelledby="summary">
        <h3 id="summary">${this.t('records.dossier.summary')}</h3>
        <dl class="facts">
          ${this.fact(this.t('records.dossier.id'), ctx.topicId)}
          ${this.fact(this.t('records.dossier.source'), this.sourceLabel(config, ctx.source))}
          ${this.fact(this.t('records.dossier.level'), this.levelLabel(ctx.level))}
          ${this.fact(this.t('records.dossier.room'), this.roomName(config, ctx.room))}
          ${this.fact(this.t('records.dossier.stage'), stage)}
          ${this.fact(this.t('records.dossier.submitted'), this.time(ctx.submittedAt))}
          ${ctx.description ? this.fact(this.t('records.dossier.description'), ctx.description) : nothing}
        </dl>
      </section>
      <section aria-labelledby="decisions">
        <h3 id="decisions">${this.t('records.dossier.decisions')}</h3>
        <dl class="facts">
          ${this.fact(
            this.t('records.dossier.screening'),
            s
              ? html`${this.t(`records.decision.${s.decision}`)}${this.t('timeline.separator')}${this.time(s.at, 'date')}${s.reason
                  ? html`<br />${this.t('timeline.item.reason', { reason: plainText(s.reason) ?? '' })}`
                  : nothing}${s.channel ? html`<br />${this.t('records.dossier.channel')}${this.t('records.colon')}${this.channelLink(config, s.channel)}` : nothing}${s.into
                  ? html`<br />${this.t('timeline.item.mergedInto', { topic: s.into })}`
                  : nothing}`
              : this.t('timeline.record.none'),
          )}
          ${ctx.escalations.map((e) =>
            this.fact(this.t('records.dossier.escalation'), html`${this.t('timeline.item.escalatedTo', { level: this.levelLabel(e.to) })}${this.t('timeline.separator')}${this.time(e.at, 'date')}${e.reason ? html`<br />${this.t('timeline.item.reason', { reason: e.reason })}` : nothing}`),
          )}
          ${this.fact(this.t('records.dossier.research'), ctx.research ? html`${ctx.research.findings}${this.t('timeline.separator')}${this.time(ctx.research.at, 'date')}` : this.t('timeline.record.none'))}
        </dl>
      </section>
      ${ctx.meetings.length > 0
        ? html`<section class="new-page" aria-labelledby="meetings">
            <h3 id="meetings">${this.t('records.dossier.meetings', { count: ctx.meetings.length })}</h3>
            ${ctx.meetings.map((m) => this.meetingRecord(config, ctx, m, 3))}
          </section>`
        : nothing}
      <section class="new-page" aria-labelledby="measures">
        <h3 id="measures">${this.t('records.dossier.measures', { count: ctx.measures.length })}</h3>
        ${ctx.measures.length === 0
          ? html`<p>${this.t('timeline.record.noMeasures')}</p>`
          : html`<table class="measure-table">
              <thead>
                <tr>
                  <th scope="col" class="num">${this.t('records.col.number')}</th>
                  <th scope="col">${this.t('records.col.measure')}</th>
                  <th scope="col">${this.t('records.col.party')}</th>
                  <th scope="col">${this.t('records.col.due')}</th>
                  <th scope="col">${this.t('records.col.status')}</th>
                  <th scope="col">${this.t('records.col.progress')}</th>
                </tr>
              </thead>
              <tbody>
                ${ctx.measures.map(
                  (m, i) => html`<tr data-measure=${m.id}>
                    <td class="num">${i + 1}</td>
                    <td>${m.text}</td>
                    <td>${this.partyLabel(config, m.party)}</td>
                    <td>${this.time(m.due, 'date')}</td>
                    <td>${this.t(`timeline.measure.status.${m.status}`)}${m.implementedAt ? html`<br />${this.time(m.implementedAt, 'date')}` : nothing}</td>
                    <td>
                      ${m.reason ? html`<p>${this.t('timeline.item.reason', { reason: m.reason })}</p>` : nothing}
                      ${m.notes.map((n) => html`<p>${this.time(n.at, 'date')}${this.t('timeline.separator')}${n.text}</p>`)}
                      ${m.result ? html`<p>${this.t('timeline.item.result', { result: m.result })}</p>` : nothing}
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      </section>
      <section aria-labelledby="feedback">
        <h3 id="feedback">${this.t('records.dossier.feedback')}</h3>
        ${ctx.feedback.length === 0
          ? html`<p>${this.t('timeline.record.none')}</p>`
          : html`<ul class="plain">${ctx.feedback.map((f) => html`<li class="block">${this.time(f.at, 'date')}${this.t('timeline.separator')}${f.text}</li>`)}</ul>`}
      </section>
      <section aria-labelledby="evaluations">
        <h3 id="evaluations">${this.t('records.dossier.evaluations')}</h3>
        ${ctx.evaluations.length === 0
          ? html`<p>${this.t('timeline.record.none')}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">${this.t('records.col.round')}</th>
                  <th scope="col">${this.t('records.col.closed')}</th>
                  <th scope="col" class="num">${this.t('records.col.ratings')}</th>
                  <th scope="col" class="num">${this.t('records.col.average')}</th>
                  <th scope="col">${this.t('records.col.comments')}</th>
                </tr>
              </thead>
              <tbody>
                ${ctx.evaluations.map((r, i) => {
                  const average = r.average ?? (r.ratings.length ? r.ratings.reduce((a, x) => a + x.stars, 0) / r.ratings.length : null);
                  const comments = r.ratings.map((x) => plainText(x.comment)).filter((c): c is string => Boolean(c && c.trim()));
                  return html`<tr>
                    <td>${this.t('timeline.round', { round: i + 1 })}</td>
                    <td>${r.closedAt ? this.time(r.closedAt, 'date') : this.t('records.open')}${r.reopened ? html`<br />${this.t('records.reopened')}` : nothing}</td>
                    <td class="num">${r.ratings.length}</td>
                    <td class="num">${average === null ? '—' : this.t('records.average', { average: average.toFixed(1), scale })}</td>
                    <td>${comments.length ? html`<ul class="plain">${comments.map((c) => html`<li>${c}</li>`)}</ul>` : html`<span class="muted">—</span>`}</td>
                  </tr>`;
                })}
              </tbody>
            </table>`}
      </section>
      <section class="new-page" aria-labelledby="timeline">
        <h3 id="timeline">${this.t('records.dossier.timeline', { count: own.length })}</h3>
        ${own.length === 0
          ? html`<p class="muted">${this.t('records.dossier.noLog')}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">${this.t('records.col.when')}</th>
                  <th scope="col">${this.t('records.col.who')}</th>
                  <th scope="col">${this.t('records.col.what')}</th>
                </tr>
              </thead>
              <tbody>
                ${own.map((item) => {
                  const said = this.said(config, ctx, item);
                  return html`<tr>
                    <td>${this.time(item.at)}</td>
                    <td>${this.who(item, ctx)}</td>
                    <td><strong>${this.eventLabel(item.type)}</strong>${said ? html`<br />${said}` : nothing}</td>
                  </tr>`;
                })}
              </tbody>
            </table>`}
      </section>
    </div>`;
  }
}
