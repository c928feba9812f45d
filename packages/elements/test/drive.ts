/**
 * Page objects for browser tests: the elements driven as a person drives them, and read as a
 * person reads them.
 *
 * - `<consult-topic-form>`: every field found by its label (the words on the screen), typed into
 *   with the keyboard, options chosen by their label, boxes ticked with a click; Next and Submit
 *   pressed page by page.
 * - `<consult-staff-actions>`: each action form's controls by id, filled as a person would (the
 *   value, then `input` / `change`), its button pressed, the result awaited; the error summary.
 * - `<consult-workflow>`: the menu of views, the topic list, who is signed in (`user-role`,
 *   `user-id`), and the elements it shows.
 * - `<consult-meeting-timeline>`, `<consult-outcome-tracker>`, `<consult-programme-figures>`:
 *   what they say (the current stage, the five-haves record, each measure's status and marks, the
 *   figures), as text.
 */
import { sendKeys } from '@web/test-runner-commands';
import type { ConsultStaffActions } from '../src/staff-actions/staff-actions.component.js';
import type { ConsultTopicForm } from '../src/topic-form/topic-form.component.js';
import type { ConsultWorkflow } from '../src/workflow/workflow.component.js';
import type { ConsultMeetingTimeline } from '../src/meeting-timeline/meeting-timeline.component.js';
import type { ConsultOutcomeTracker } from '../src/outcome-tracker/outcome-tracker.component.js';
import type { ConsultProgrammeFigures } from '../src/programme-figures/programme-figures.component.js';
import type { ConsultSubmitEvent } from '../src/events/consult-events.js';

// ── Waiting ─────────────────────────────────────────────────────────────────────────────────

/** Polls `condition` every 10 ms; fails with `what` after `timeoutMs`. A condition that throws fails at once. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Text with runs of white space made one space, trimmed. */
export const squash = (value: string | null | undefined): string => (value ?? '').replace(/\s+/g, ' ').trim();

/** A focusable button before everything else, where keyboard paths start. */
export function startButton(): HTMLButtonElement {
  const button = document.createElement('button');
  button.textContent = 'before';
  document.body.prepend(button);
  return button;
}

// ── <consult-staff-actions> ─────────────────────────────────────────────────────────────────

export const root = (el: ConsultStaffActions): ShadowRoot => el.shadowRoot!;
export const $ = <T extends HTMLElement = HTMLElement>(el: ConsultStaffActions, id: string) => root(el).getElementById(id) as T | null;
/** The sections (actions) offered now, by key: `accept`, `reject`, `research`, `schedule`, `record`, `handling`… */
export const sections = (el: ConsultStaffActions) =>
  [...root(el).querySelectorAll('section.action')].map((s) => s.getAttribute('aria-labelledby')!.replace(/-title$/, ''));
export const must = <T extends HTMLElement = HTMLElement>(el: ConsultStaffActions, id: string): T => {
  const found = $<T>(el, id);
  if (!found) throw new Error(`#${id} is not there; sections: ${sections(el).join(', ')}`);
  return found;
};
export const text = (el: ConsultStaffActions) => root(el).textContent?.replace(/\s+/g, ' ') ?? '';
export const active = (el: ConsultStaffActions) => root(el).activeElement as HTMLElement | null;
/** What the polite live region says ("已记录：受理。"). */
export const announced = (el: ConsultStaffActions) => root(el).querySelector('[role=status]')!.textContent!.trim();

/** Types into a control (as a person would, the value then an `input`), or chooses in a drop-down (`change`). */
export async function fill(el: ConsultStaffActions, id: string, value: string): Promise<void> {
  const control = must<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(el, id);
  control.focus();
  control.value = value;
  control.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  control.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

export async function click(el: ConsultStaffActions, id: string): Promise<void> {
  must(el, id).click();
  await el.updateComplete;
}

/**
 * Presses a form's button and waits: until `until` holds when given, else until the element says
 * the action was saved (`consult-action`). Without `until`, a refusal (the form's error summary
 * taking focus) fails at once with the summary's words.
 */
export async function act(el: ConsultStaffActions, form: string, until?: () => boolean, what = form): Promise<void> {
  let saved = false;
  const onAction = () => (saved = true);
  el.addEventListener('consult-action', onAction, { once: true });
  const refused = () => active(el)?.id === `${form}-errors`;
  const refusedBefore = refused();
  try {
    await click(el, `${form}-submit`);
    await waitFor(() => {
      if (!until && !refusedBefore && refused()) throw new Error(`${what} was refused: ${squash(must(el, `${form}-errors`).textContent)}`);
      return until ? until() : saved;
    }, what);
  } finally {
    el.removeEventListener('consult-action', onAction);
  }
  await el.updateComplete;
}

/** Presses a form's button and waits for its error summary (which takes focus). */
export async function refusedAt(el: ConsultStaffActions, form: string): Promise<HTMLElement> {
  await click(el, `${form}-submit`);
  await waitFor(() => active(el)?.id === `${form}-errors`, `the error summary of ${form} to take focus`);
  return must(el, `${form}-errors`);
}

/** Presses Tab (or Shift+Tab) until the control with this id has focus. */
export async function tabTo(el: ConsultStaffActions, id: string, { back = false, max = 40 } = {}): Promise<HTMLElement> {
  const path: string[] = [];
  for (let i = 0; i < max; i += 1) {
    await sendKeys({ press: back ? 'Shift+Tab' : 'Tab' });
    path.push(active(el)?.id || document.activeElement?.localName || '?');
    if (active(el)?.id === id) return active(el)!;
  }
  throw new Error(`Tab never reached #${id} (went ${path.join(' → ')})`);
}

/** Chooses a number of stars in the rating form (a click on the star's radio). */
export async function chooseStars(el: ConsultStaffActions, stars: number): Promise<void> {
  const rating = must(el, 'rating-stars');
  const radios = [...rating.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type=radio]')];
  radios[stars - 1]!.click();
  await el.updateComplete;
}

/** Rates (stars, an optional comment) and sends it; waits for `until`, or for the element to say it was saved. */
export async function rate(el: ConsultStaffActions, stars: number, comment = '', until?: () => boolean): Promise<void> {
  await chooseStars(el, stars);
  if (comment) await fill(el, 'rating-comment', comment);
  await act(el, 'rating', until, `a rating of ${stars}`);
}

/** The rows of a repeated group (`record` measures, `schedule` participants): each row's control ids by field. */
function rowIds(el: ConsultStaffActions, prefix: string, field: string): string[] {
  return [...root(el).querySelectorAll<HTMLElement>(`[id^=${prefix}-][id$=-${field}]`)].map((c) => c.id);
}

export interface Schedule {
  format: string;
  /** `2026-06-01T19:30`, as a datetime-local input takes it. */
  start: string;
  place: string;
  conveners: string[];
  participants: Array<{ name: string; role: string }>;
}

/** 安排协商: format, time, place, the conveners, participants row by row ("add a participant" for each more). */
export async function schedule(el: ConsultStaffActions, s: Schedule): Promise<void> {
  await fill(el, 'schedule-format', s.format);
  await fill(el, 'schedule-start', s.start);
  await fill(el, 'schedule-place', s.place);
  for (const [i, name] of s.conveners.entries()) await fill(el, `schedule-convener-${i}`, name);
  for (const [i, p] of s.participants.entries()) {
    if (i > 0) await click(el, 'schedule-participant-add');
    await fill(el, rowIds(el, 'schedule-participant', 'name')[i]!, p.name);
    await fill(el, rowIds(el, 'schedule-participant', 'role')[i]!, p.role);
  }
  await act(el, 'schedule');
}

/** 开始协商 (unless it has begun), then 下一环节 until the last agenda stage. */
export async function holdMeeting(el: ConsultStaffActions): Promise<void> {
  if ($(el, 'start-submit')) await act(el, 'start');
  while ($(el, 'advance-submit')) await act(el, 'advance');
}

export interface MeasureRow {
  text: string;
  /** A party's id from the config, or any other name (chosen as "other" and typed). */
  party: string;
  /** `2026-09-30`, as a date input takes it. */
  due?: string;
}

export interface MeetingRecord {
  measures: MeasureRow[];
  effect: string;
  consensus: 'full' | 'partial' | 'none';
  /** Prefilled from the arrangements; given here to change them. */
  time?: string;
  place?: string;
  topic?: string;
}

/** 记录成果: the five haves (time, place, topic, measures, effect) and the consensus. */
export async function recordMeeting(el: ConsultStaffActions, r: MeetingRecord): Promise<void> {
  if (r.time !== undefined) await fill(el, 'record-time', r.time);
  if (r.place !== undefined) await fill(el, 'record-place', r.place);
  if (r.topic !== undefined) await fill(el, 'record-topic', r.topic);
  const parties = [...must<HTMLSelectElement>(el, rowIds(el, 'record-measure', 'party')[0]!).options].map((o) => o.value);
  for (const [i, m] of r.measures.entries()) {
    if (i > 0) await click(el, 'record-measure-add');
    await fill(el, rowIds(el, 'record-measure', 'text')[i]!, m.text);
    const known = parties.includes(m.party) && m.party !== '';
    await fill(el, rowIds(el, 'record-measure', 'party')[i]!, known ? m.party : '$other');
    if (!known) await fill(el, rowIds(el, 'record-measure', 'other').at(-1)!, m.party);
    if (m.due) await fill(el, rowIds(el, 'record-measure', 'due')[i]!, m.due);
  }
  await fill(el, 'record-effect', r.effect);
  await click(el, `record-consensus-${r.consensus}`);
  await act(el, 'record');
}

/** The measure forms, by the measure's place in the list (0 first). */
export const adopt = (el: ConsultStaffActions, n: number) => act(el, `adopt-m${n}`);
export async function decline(el: ConsultStaffActions, n: number, reason: string): Promise<void> {
  await fill(el, `decline-m${n}-reason`, reason);
  await act(el, `decline-m${n}`);
}
export async function progress(el: ConsultStaffActions, n: number, note: string): Promise<void> {
  await fill(el, `progress-m${n}-note`, note);
  await act(el, `progress-m${n}`);
}
export async function implement(el: ConsultStaffActions, n: number, result: string): Promise<void> {
  await fill(el, `implement-m${n}-result`, result);
  await act(el, `implement-m${n}`);
}

/** One text box and its button: 不予受理 (`reject`, `reason`), 完成调研 (`research`, `findings`), 反馈 (`feedback`, `text`). */
export async function submitText(el: ConsultStaffActions, form: string, field: string, value: string): Promise<void> {
  await fill(el, `${form}-${field}`, value);
  await act(el, form);
}

// ── <consult-topic-form> ────────────────────────────────────────────────────────────────────

/** An answer: text to type, an option's label to choose (radio, drop-down), labels to tick, or a box ticked. */
export type Answer = string | readonly string[] | boolean;

const formRoot = (form: ConsultTopicForm): ShadowRoot => form.shadowRoot!;

/** The words of a label or legend as the person reads them, without the "(required)" mark. */
function labelWords(label: Element): string {
  const mark = label.querySelector('.required')?.textContent ?? '';
  return squash(label.textContent).replace(squash(mark), '').trim();
}

/** The field (its label or legend) whose words are `label`, on the page shown now. */
function fieldLabelled(form: ConsultTopicForm, label: string): HTMLElement | undefined {
  return [...formRoot(form).querySelectorAll<HTMLElement>('label[id^=f-][id$=-label], legend[id^=f-][id$=-label]')].find((l) => labelWords(l) === label);
}

async function answer(form: ConsultTopicForm, label: HTMLElement, value: Answer, name: string): Promise<void> {
  const r = formRoot(form);
  if (label.localName === 'legend') {
    // Radios or tick boxes: a click on each option's label.
    const group = label.closest('fieldset')!;
    const wanted = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    for (const option of wanted) {
      const choice = [...group.querySelectorAll<HTMLLabelElement>('label.choice-label')].find((l) => squash(l.textContent) === option);
      if (!choice) throw new Error(`"${name}" has no option "${option}"`);
      choice.click();
      await form.updateComplete;
      if (!r.getElementById(choice.htmlFor)?.matches(':checked')) throw new Error(`"${name}": "${option}" did not get ticked`);
    }
    return;
  }
  const control = r.getElementById((label as HTMLLabelElement).htmlFor) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null;
  if (!control) throw new Error(`"${name}" labels nothing`);
  if (control instanceof HTMLInputElement && control.type === 'checkbox') {
    if (control.checked !== Boolean(value)) control.click();
  } else if (control instanceof HTMLSelectElement) {
    // A closed drop-down: the arrow keys move through the options, as on a keyboard.
    const index = [...control.options].findIndex((o) => squash(o.textContent) === value);
    if (index < 0) throw new Error(`"${name}" has no option "${String(value)}"`);
    control.focus();
    for (let i = control.selectedIndex; i < index; i += 1) await sendKeys({ press: 'ArrowDown' });
    for (let i = control.selectedIndex; i > index; i -= 1) await sendKeys({ press: 'ArrowUp' });
  } else {
    control.focus();
    await sendKeys({ type: String(value) });
  }
  await form.updateComplete;
  const got = control instanceof HTMLInputElement && control.type === 'checkbox' ? control.checked : control instanceof HTMLSelectElement ? squash(control.selectedOptions[0]?.textContent) : control.value;
  if (got !== value) throw new Error(`"${name}" holds ${JSON.stringify(got)}, not ${JSON.stringify(value)}`);
}

/**
 * Fills the intake form as a person would, page by page: each answer goes to the field whose label
 * reads `label` (fields that appear after an answer are filled once they appear), then Next (下一步)
 * or Submit (提交议题) is pressed. Resolves with the `consult-submit` detail once the form confirms;
 * fails with the error summary's words if the form says something is wrong, or if an answer found
 * no field.
 */
export async function submitIntake(form: ConsultTopicForm, answers: Readonly<Record<string, Answer>>): Promise<ConsultSubmitEvent['detail']> {
  const left = new Map(Object.entries(answers));
  let submitted: ConsultSubmitEvent['detail'] | undefined;
  const onSubmit = (e: Event) => (submitted = (e as ConsultSubmitEvent).detail);
  form.addEventListener('consult-submit', onSubmit);
  try {
    for (let page = 0; page < 20; page += 1) {
      await waitFor(() => Boolean(formRoot(form).getElementById('page-title')), 'the form');
      // Answer what this page asks; an answer may reveal another field (e.g. a phone number), so go round again.
      for (let found = true; found; ) {
        found = false;
        for (const [label, value] of left) {
          const field = fieldLabelled(form, label);
          if (!field) continue;
          await answer(form, field, value, label);
          left.delete(label);
          found = true;
        }
      }
      const heading = formRoot(form).getElementById('page-title')!.textContent;
      formRoot(form).querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
      await waitFor(() => {
        const r = formRoot(form);
        return Boolean(submitted) || r.activeElement?.id === 'error-summary' || r.getElementById('page-title')?.textContent !== heading;
      }, 'the next page, the confirmation or the error summary');
      if (submitted) break;
      const summary = formRoot(form).getElementById('error-summary');
      if (summary && formRoot(form).activeElement === summary) {
        throw new Error(`The intake form says: ${squash(summary.textContent)} (not placed: ${[...left.keys()].join(', ') || 'none'})`);
      }
    }
    // The form's own confirmation, or (a resident in <consult-workflow>) the form left for "my topics".
    await waitFor(() => formRoot(form).activeElement?.id === 'done-title' || !form.isConnected, 'the confirmation');
  } finally {
    form.removeEventListener('consult-submit', onSubmit);
  }
  if (left.size > 0) throw new Error(`No field is labelled ${[...left.keys()].map((l) => `"${l}"`).join(', ')}`);
  return submitted!;
}

// ── <consult-workflow> ──────────────────────────────────────────────────────────────────────

const wfRoot = (wf: ConsultWorkflow): ShadowRoot => wf.shadowRoot!;

/** Mounts `<consult-workflow>` with these attributes (and the `config` property, when an object) and waits for its menu. */
export async function mountWorkflow(attrs: Record<string, string>, config?: object): Promise<ConsultWorkflow> {
  const wf = document.createElement('consult-workflow');
  for (const [k, v] of Object.entries(attrs)) wf.setAttribute(k, v);
  if (config) wf.config = config;
  document.body.append(wf);
  await waitFor(() => Boolean(wf.shadowRoot?.querySelector('nav, .problem')), 'the workflow to load');
  await wf.updateComplete;
  if (!wfRoot(wf).querySelector('nav')) throw new Error(`The workflow did not load: ${squash(wfRoot(wf).textContent)}`);
  return wf;
}

/** The labels of the menu, in order. */
export const navLabels = (wf: ConsultWorkflow) => [...wfRoot(wf).querySelectorAll('nav button')].map((b) => squash(b.textContent));

/** Clicks the menu item that reads `label` and waits for its view. */
export async function chooseView(wf: ConsultWorkflow, label: string): Promise<void> {
  const button = [...wfRoot(wf).querySelectorAll<HTMLButtonElement>('nav button')].find((b) => squash(b.textContent) === label);
  if (!button) throw new Error(`No "${label}" in the menu (${navLabels(wf).join(', ')})`);
  button.click();
  await wf.updateComplete;
  await waitFor(() => button.getAttribute('aria-current') === 'page', `the ${label} view`);
}

/** The topics listed (their buttons' words). */
export const listedTopics = (wf: ConsultWorkflow) => [...wfRoot(wf).querySelectorAll('.topics button')].map((b) => squash(b.textContent));

/** Chooses the topics view (`listLabel`) and opens the topic whose title is `title`; waits for its timeline and actions. */
export async function openTopic(wf: ConsultWorkflow, title: string, listLabel = '议题列表'): Promise<void> {
  await chooseView(wf, listLabel);
  const find = () => [...wfRoot(wf).querySelectorAll<HTMLButtonElement>('.topics button')].find((b) => b.querySelector('.title')?.textContent === title);
  await waitFor(() => Boolean(find()), `"${title}" in the topic list (${listedTopics(wf).join(' | ')})`);
  find()!.click();
  await wf.updateComplete;
  await waitFor(() => Boolean(wfRoot(wf).querySelector('consult-meeting-timeline') && wfRoot(wf).querySelector('consult-staff-actions')), 'the topic page');
  await settle(wf);
}

/** Signs in as someone else: the same element, another `user-role` and `user-id`. */
export async function signIn(wf: ConsultWorkflow, role: string, id?: string): Promise<void> {
  wf.setAttribute('user-role', role);
  if (id) wf.setAttribute('user-id', id);
  else wf.removeAttribute('user-id');
  await settle(wf);
}

/** Waits until the workflow and the elements it shows have rendered what they know. */
export async function settle(wf: ConsultWorkflow): Promise<void> {
  await wf.updateComplete;
  const inner = [...wfRoot(wf).querySelectorAll<HTMLElement & { updateComplete?: Promise<unknown> }>('*')].filter((e) => e.localName.startsWith('consult-'));
  await Promise.all(inner.map((e) => e.updateComplete));
}

export const intakeForm = (wf: ConsultWorkflow) => wfRoot(wf).querySelector('consult-topic-form')!;
export const staffOf = (wf: ConsultWorkflow) => wfRoot(wf).querySelector('consult-staff-actions')!;
export const timelineOf = (wf: ConsultWorkflow) => wfRoot(wf).querySelector('consult-meeting-timeline')!;
export const trackerOf = (wf: ConsultWorkflow) => wfRoot(wf).querySelector('consult-outcome-tracker')!;
export const figuresOf = (wf: ConsultWorkflow) => wfRoot(wf).querySelector('consult-programme-figures')!;

// ── What the read-only views say ────────────────────────────────────────────────────────────

/** A definition list's terms and what each says. */
function facts(dl: Element | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dt of dl?.querySelectorAll(':scope > div > dt, :scope > dt') ?? []) {
    out[squash(dt.textContent)] = squash(dt.nextElementSibling?.textContent);
  }
  return out;
}

/** The timeline's line naming the current stage: "当前阶段：协商议事 · 第 1 轮 · 情况通报". */
export const currentStage = (tl: ConsultMeetingTimeline) => squash(tl.shadowRoot!.querySelector('[part=current]')?.textContent);

/** Everything the timeline says, as one line of text (folded stages included). */
export const timelineText = (tl: ConsultMeetingTimeline) => squash(tl.shadowRoot!.textContent);

/** One stage's card as text: its name, status, dates, summary and (if shown) body. */
export const stageText = (tl: ConsultMeetingTimeline, key: string) => squash(tl.shadowRoot!.querySelector(`[data-stage="${key}"]`)?.textContent);

/** The stage marked `aria-current="step"`: its key. */
export const currentStageKey = (tl: ConsultMeetingTimeline) => tl.shadowRoot!.querySelector('.stages > [aria-current=step]')?.getAttribute('data-stage');

/** Opens every stage ("展开全部"), as a person does to read the folded ones. */
export async function expandTimeline(tl: ConsultMeetingTimeline): Promise<void> {
  const toggle = tl.shadowRoot!.querySelector<HTMLButtonElement>('[part=toggle]');
  if (toggle && toggle.getAttribute('aria-expanded') !== 'true') toggle.click();
  await tl.updateComplete;
}

/** The meeting rounds' headings ("第 1 轮 · 坝坝会 · 未达成共识"). */
export const meetingHeadings = (tl: ConsultMeetingTimeline) => [...tl.shadowRoot!.querySelectorAll('.meeting-title')].map((h) => squash(h.textContent));

/** A round's five-haves record: 时间, 地点, 主题, 措施, 效果, 共识 (or their English names). */
export function meetingRecord(tl: ConsultMeetingTimeline, round: number): Record<string, string> {
  const meeting = tl.shadowRoot!.querySelectorAll('section.meeting')[round - 1];
  return facts(meeting?.querySelector('.record dl'));
}

export interface ShownMeasure {
  text: string;
  status: string;
  /** "已超期 3 天", or '' */
  overdue: string;
  facts: Record<string, string>;
}

/** The timeline's measures, each with its status badge, overdue mark and facts (责任单位, 办理时限, 不予采纳理由…). */
export function timelineMeasures(tl: ConsultMeetingTimeline): ShownMeasure[] {
  return [...tl.shadowRoot!.querySelectorAll('.measure-list > li')].map((li) => ({
    text: squash(li.querySelector('.measure-text')?.textContent),
    status: squash(li.querySelector('.badge:not(.badge--overdue):not(.badge--feedback)')?.textContent),
    overdue: squash(li.querySelector('.badge--overdue')?.textContent),
    facts: facts(li.querySelector('dl')),
  }));
}

export interface TrackedMeasure {
  text: string;
  status: string;
  overdue: string;
  note: string;
  facts: Record<string, string>;
}

/** The outcome tracker's rows. */
export function trackerRows(tracker: ConsultOutcomeTracker): TrackedMeasure[] {
  return [...tracker.shadowRoot!.querySelectorAll('[part=row]')].map((row) => ({
    text: squash(row.querySelector('[part=measure]')?.textContent),
    status: squash(row.querySelector('[part=status]')?.textContent),
    overdue: squash(row.querySelector('[part=overdue]')?.textContent),
    note: squash(row.querySelector('.note')?.textContent),
    facts: facts(row.querySelector('dl')),
  }));
}

/** One figure card's value as shown: `topicsSolved`, `meetingsHeld`, `measuresImplemented`, `measuresOverdue`… */
export const figure = (figures: ConsultProgrammeFigures, key: string) =>
  squash(figures.shadowRoot!.querySelector(`[data-figure="${key}"] [part~=value], tr[data-figure="${key}"] td`)?.textContent);
