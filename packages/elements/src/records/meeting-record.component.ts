import { html, type PropertyValues, type TemplateResult } from 'lit';
import type { TopicContext, TopicSnapshot, WorkflowConfig } from '@consult-kit/machine/core';
import { corePart, recordsPart, timelinePart } from '../i18n/parts.js';
import { hostStyles } from '../styles/tokens.js';
import { RecordElement, type Token } from './records-base.js';
import { fetchTopic, type Loaded, type TopicRecordData } from './records-source.js';
import { recordsStyles } from './records.styles.js';

/** A topic given directly: its replayed state, or that state's context. */
export type RecordTopic = TopicSnapshot | TopicContext;

export const contextOf = (topic: RecordTopic | undefined): TopicContext | undefined =>
  topic ? ('context' in topic && topic.context ? topic.context : (topic as TopicContext)) : undefined;

/**
 * @tag consult-meeting-record
 * @summary The printable record of one meeting round (议事协商记录), with the five haves
 * (五个有: 时间、地点、主题、措施、效果): time, place, topic, format, the participants grouped by
 * role (a resident whose name the log withholds reads "居民 / Resident"), the agenda stages with
 * their times, the measures with their responsible party, deadline and who suggested them, the
 * effect and the consensus, then a signature line for each convener (召集人签字) and the date.
 * Prints on A4: rows never cut across pages, the measures' header row on every page, black on
 * white; the Print button is not printed.
 *
 * Give it `topic` (a replayed `TopicSnapshot` or its `context`), or `endpoint`, `programme` and
 * `topic-id` (and a staff `token` to see the names the public log withholds): it then pulls the
 * topic's log and the programme's config from the city server and replays the log.
 *
 * @attr endpoint - The city server's base URL (e.g. `/api`), with `programme` and `topic-id`.
 * @attr programme - The programme's id on the server.
 * @attr topic-id - The topic whose meeting to show.
 * @attr round - The round to show (1 = the first); default the last one recorded, else the last scheduled.
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 *
 * @event consult-error - The log could not be read or the record not drawn; `detail`: `{ code, message, error }`.
 *
 * @csspart base - The document.
 * @csspart print - The Print button (hidden in print).
 * @csspart record - The meeting's record.
 */
export class ConsultMeetingRecord extends RecordElement {
  static override styles = [hostStyles, recordsStyles];
  static override catalogues = [corePart, timelinePart, recordsPart];

  static override properties = {
    ...RecordElement.properties,
    topic: { attribute: false },
    config: { attribute: false },
    round: { type: Number },
    endpoint: {},
    programme: {},
    topicId: { attribute: 'topic-id' },
    token: { attribute: false },
    loaded: { state: true, attribute: false },
  };

  /** The topic: a replayed snapshot or its context. */
  declare topic: RecordTopic | undefined;
  /** The programme's config (default: the topic's own `context.config`). */
  declare config: WorkflowConfig | undefined;
  /** The round to show; default the last one recorded. */
  declare round: number | undefined;
  declare endpoint: string | undefined;
  declare programme: string | undefined;
  declare topicId: string | undefined;
  /** A staff bearer token (or a function answering one), sent when pulling the log. */
  declare token: Token | undefined;
  declare loaded: Loaded<TopicRecordData> | undefined;

  private loadedFor = '';

  constructor() {
    super();
    this.topic = undefined;
    this.config = undefined;
    this.round = undefined;
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

  protected override render(): TemplateResult {
    let ctx = contextOf(this.topic);
    let config = this.config ?? ctx?.config;
    if (!ctx && this.loaded) {
      if (!this.loaded.ok) return html`<div class="document" part="base">${this.problem(this.t(`records.error.${this.loaded.reason}`))}</div>`;
      ctx = this.loaded.value.snapshot.context;
      config = this.loaded.value.config;
    }
    if (!ctx || !config) return html`<div class="document" part="base"><p class="muted" role="status">${this.t(this.endpoint ? 'common.loading' : 'records.empty')}</p></div>`;
    const meetings = ctx.meetings;
    const meeting =
      this.round !== undefined && Number.isFinite(this.round)
        ? meetings.find((m) => m.round === this.round)
        : ([...meetings].reverse().find((m) => m.record) ?? meetings.at(-1));
    if (!meeting) return html`<div class="document" part="base">${this.problem(this.t(this.round !== undefined ? 'records.meeting.noRound' : 'records.meeting.none', { round: this.round ?? '' }))}</div>`;
    return html`<div class="document" part="base">
      ${this.printButton()}
      <p class="caption">${this.t('records.meeting.caption', { topic: ctx.title, id: ctx.topicId })}</p>
      ${this.meetingRecord(config, ctx, meeting, 2)}
    </div>`;
  }
}
