/**
 * What the three printable records share: their words for the log's values (roles, parties,
 * formats, agenda stages, consensus, dates — the meeting timeline's wording where it has one),
 * the Print button, the document's A4 page rule, and the five-haves record of one meeting round
 * (五个有: 时间、地点、主题、措施、效果), which <consult-meeting-record> shows alone and
 * <consult-topic-dossier> once per round.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ROLES, isRedacted, stateLabel, toMillis, type Measure, type Meeting, type Participant, type TopicContext, type WorkflowConfig } from '@consult-kit/machine/core';
import { ConsultElement } from '../base/consult-element.js';
import { LEVEL_KEYS } from '../i18n/level-keys.js';
import type { MessageKey } from '../i18n/messages.js';
import { plainText } from '../staff-actions/intake-answers.js';
import { adoptPageRule } from './records.styles.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, kind: 'date' | 'dateTime' | 'day'): Intl.DateTimeFormat {
  const key = `${locale}|${kind}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(
      locale,
      kind === 'dateTime' ? { dateStyle: 'long', timeStyle: 'short' } : kind === 'day' ? { dateStyle: 'long', timeZone: 'UTC' } : { dateStyle: 'long' },
    );
    formatters.set(key, found);
  }
  return found;
}

/** Roles in the order a record lists them: conveners first, then officials, residents last. */
const ROLE_ORDER = ['convener', 'member', 'government', 'department', 'stakeholder', 'expert', 'notable', 'grid', 'representative', 'resident', 'admin'];
export const rank = (role: string): number => {
  const i = ROLE_ORDER.indexOf(role);
  return i < 0 ? ROLE_ORDER.length : i;
};

/** The people of a meeting grouped by role, in the order of `ROLES`. */
export function byRole(people: readonly Participant[]): Array<[string, Participant[]]> {
  const groups = new Map<string, Participant[]>();
  for (const p of people) {
    const list = groups.get(p.role);
    if (list) list.push(p);
    else groups.set(p.role, [p]);
  }
  return [...groups.entries()].sort((a, b) => rank(a[0]) - rank(b[0]));
}

export type Token = string | (() => string | undefined | Promise<string | undefined>);

/** The base of the printable records. */
export class RecordElement extends ConsultElement {
  override connectedCallback(): void {
    super.connectedCallback();
    adoptPageRule(this.ownerDocument);
  }

  /** Opens the browser's print dialog (the Print button). */
  print(): void {
    try {
      window.print();
    } catch (error) {
      this.report('print-failed', error);
    }
  }

  protected printButton(): TemplateResult {
    return html`<div class="toolbar"><button type="button" class="print" part="print" @click=${() => this.print()}>${this.t('records.print')}</button></div>`;
  }

  protected time(iso: string | undefined, kind: 'date' | 'dateTime' = 'dateTime'): TemplateResult | string {
    if (!iso) return this.t('timeline.notGiven');
    const dayOnly = DATE_ONLY.test(iso);
    const ms = dayOnly ? Date.parse(iso) : toMillis(iso);
    if (Number.isNaN(ms)) return iso;
    return html`<time datetime=${iso}>${formatter(this.locale, dayOnly ? 'day' : kind).format(ms)}</time>`;
  }

  protected roleLabel(role: string): string {
    return (ROLES as readonly string[]).includes(role) ? this.t(`timeline.role.${role}` as MessageKey) : role;
  }

  /** A person's name as the log has it; a name the log withholds (a resident's) reads "Resident". */
  protected personName(p: Pick<Participant, 'name' | 'organisation'>): string {
    const name = isRedacted(p.name) ? this.t('records.resident') : (plainText(p.name) ?? '') || this.t('records.resident');
    const organisation = plainText(p.organisation);
    return organisation ? this.t('timeline.meeting.withOrganisation', { name, organisation }) : name;
  }

  protected partyLabel(config: WorkflowConfig, party: string): string {
    const label = config.step.handling.parties.find((p) => p.id === party)?.label;
    return label ? this.text(label) : party;
  }

  protected formatLabel(config: WorkflowConfig, format: string): string {
    const label = config.step.meeting.formats.find((f) => f.id === format)?.label;
    return label ? this.text(label) : format;
  }

  protected levelLabel(level: unknown): string {
    const value = String(level ?? '');
    return Object.hasOwn(LEVEL_KEYS, value) ? this.t(LEVEL_KEYS[value]!) : value;
  }

  protected sourceLabel(config: WorkflowConfig, source: string | undefined): string {
    if (!source) return this.t('timeline.notGiven');
    const custom = config.step.intake.sources.find((s) => s.id === source)?.label;
    if (custom) return this.text(custom);
    return ['resident', 'member', 'government', 'grid', 'open311'].includes(source) ? this.t(`timeline.source.${source}` as MessageKey) : source;
  }

  protected roomName(config: WorkflowConfig, room: string | undefined): string {
    if (!room) return this.t('records.noRoom');
    const found = config.rooms?.list.find((r) => r.id === room);
    return found ? this.text(found.name, room) : room;
  }

  protected consensusLabel(consensus: string | undefined): string {
    return consensus === 'full' || consensus === 'partial' || consensus === 'none' ? this.t(`timeline.consensus.${consensus}`) : this.t('timeline.notGiven');
  }

  protected given(text: unknown): TemplateResult | string {
    const value = plainText(text);
    return value && value.trim() ? value : html`<span class="muted">${this.t('timeline.notGiven')}</span>`;
  }

  protected fact(term: string, value: unknown): TemplateResult {
    return html`<dt>${term}</dt><dd>${value}</dd>`;
  }

  /** Who suggested a measure: the meeting's convener or participant with that id, else the id. */
  protected proposer(meeting: Meeting | undefined, id: string | undefined): string {
    if (!id) return '';
    const person = meeting ? [...meeting.conveners, ...meeting.participants].find((p) => p.id === id) : undefined;
    return person ? this.t('timeline.who', { name: this.personName(person), role: this.roleLabel(person.role) }) : id;
  }

  /**
   * The five-haves record of one meeting round: time, place, topic, format, participants by
   * role, agenda stages with their times, the measures (party, deadline, who suggested it), the
   * effect, the consensus, and a signature line per convener with the date.
   */
  protected meetingRecord(config: WorkflowConfig, ctx: TopicContext, meeting: Meeting, headingLevel: 2 | 3 = 2): TemplateResult {
    const record = meeting.record;
    const measures = (record?.measureIds ?? []).map((id) => ctx.measures.find((m) => m.id === id)).filter((m): m is Measure => Boolean(m));
    const id = `record-${meeting.round}`;
    const title = this.t('records.meeting.title', { round: meeting.round });
    const heading = headingLevel === 2 ? html`<h2 id=${id}>${title}</h2>` : html`<h3 id=${id}>${title}</h3>`;
    const sub = (text: string) => (headingLevel === 2 ? html`<h3>${text}</h3>` : html`<h4>${text}</h4>`);
    const reached = new Map(meeting.stages.map((s) => [s.id, s.at]));
    const everyone = [...meeting.conveners, ...meeting.participants];
    return html`<article class="meeting-record" part="record" aria-labelledby=${id} data-round=${meeting.round}>
      ${heading}
      <section class="block five-haves" aria-label=${this.t('records.meeting.fiveHaves')}>
        <dl class="facts">
          ${this.fact(this.t('records.meeting.time'), this.time(record?.time || meeting.start))}
          ${this.fact(this.t('records.meeting.place'), this.given(record?.place || meeting.place))}
          ${this.fact(this.t('records.meeting.topic'), this.given(record?.topic || ctx.title))}
          ${this.fact(this.t('records.meeting.format'), this.formatLabel(config, meeting.format))}
          ${this.fact(this.t('records.meeting.conveners'), meeting.conveners.map((p) => this.personName(p)).join(this.t('timeline.listSeparator')) || this.t('timeline.notGiven'))}
        </dl>
      </section>
      <section class="participants" aria-label=${this.t('records.meeting.participants', { count: everyone.length })}>
        ${sub(this.t('records.meeting.participants', { count: everyone.length }))}
        <ul class="roles">
          ${byRole(everyone).map(
            ([role, people]) =>
              html`<li data-role=${role}><span class="role">${this.t('records.meeting.roleCount', { role: this.roleLabel(role), count: people.length })}</span>${this.t('records.colon')}${people
                .map((p) => this.personName(p))
                .join(this.t('timeline.listSeparator'))}</li>`,
          )}
        </ul>
      </section>
      <section class="block agenda" aria-label=${this.t('timeline.meeting.agenda')}>
        ${sub(this.t('timeline.meeting.agenda'))}
        <ol class="plain">
          ${config.step.meeting.agenda.map(
            (s) => html`<li>${stateLabel(config, s.id, this.locale)}${this.t('timeline.separator')}${reached.has(s.id) ? this.time(reached.get(s.id)) : html`<span class="muted">${this.t('timeline.meeting.notReached')}</span>`}</li>`,
          )}
        </ol>
      </section>
      <section class="measures" aria-label=${this.t('records.meeting.measures')}>
        ${sub(this.t('records.meeting.measures'))}
        ${measures.length === 0
          ? html`<p>${record ? this.t('timeline.record.noMeasures') : this.t('timeline.record.none')}</p>`
          : html`<table class="measure-table">
              <thead>
                <tr>
                  <th scope="col" class="num">${this.t('records.col.number')}</th>
                  <th scope="col">${this.t('records.col.measure')}</th>
                  <th scope="col">${this.t('records.col.party')}</th>
                  <th scope="col">${this.t('records.col.due')}</th>
                  <th scope="col">${this.t('records.col.proposedBy')}</th>
                </tr>
              </thead>
              <tbody>
                ${measures.map(
                  (m, i) => html`<tr data-measure=${m.id}>
                    <td class="num">${i + 1}</td>
                    <td>${m.text}</td>
                    <td>${this.partyLabel(config, m.party)}</td>
                    <td>${this.time(m.due, 'date')}</td>
                    <td>${this.proposer(meeting, m.proposedBy) || html`<span class="muted">—</span>`}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      </section>
      <section class="block outcome" aria-label=${this.t('records.meeting.outcome')}>
        <dl class="facts">
          ${this.fact(this.t('records.meeting.effect'), record ? this.given(record.effect) : this.t('timeline.record.none'))}
          ${this.fact(this.t('records.meeting.consensus'), record ? this.consensusLabel(record.consensus) : this.t('timeline.record.none'))}
        </dl>
      </section>
      <section class="signatures" aria-label=${this.t('records.meeting.signatures')}>
        ${(meeting.conveners.length > 0 ? meeting.conveners : [undefined, undefined]).map(
          (p) => html`<div class="signature">
            <span>${this.t('records.meeting.signature')}${p ? html`${this.t('records.colon')}${this.personName(p)}` : nothing}</span>
            <span class="line"></span>
          </div>`,
        )}
        <div class="signature">
          <span>${this.t('records.meeting.date')}</span>
          <span class="line"></span>
        </div>
      </section>
    </article>`;
  }

  protected problem(text: string): TemplateResult {
    return html`<p class="problem" role="alert">${text}</p>`;
  }
}
