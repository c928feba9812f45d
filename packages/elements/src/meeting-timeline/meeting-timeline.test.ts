/**
 * <consult-meeting-timeline> in real Chromium: logs built with the machine from the Wuxi and
 * Sichuan examples (submitted, screened and researched, a meeting scheduled and recorded, two
 * rounds, measures overdue and declined, closed with ratings, rejected, anonymous), read as a
 * person reads them, in zh-CN and en; the show-all toggle by keyboard; axe on every state;
 * 1,000 log entries windowed, and the keyboard through them record by record; text from the log
 * stays text; re-rendering when the store changes.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import {
  addDays,
  applyEntry,
  parseWorkflowConfig,
  type LogEntry,
  type MeasureInput,
  type Participant,
  type TopicEvent,
  type TopicEventBody,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine';
import type { ConsultStore, StoreStatus } from '@consult-kit/store';
import './consult-meeting-timeline.js';
import type { ConsultMeetingTimeline, TimelineStore } from './meeting-timeline.component.js';
import { MESSAGES } from '../i18n/messages.js';
import { expectAccessible } from '../../test/a11y.js';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

const zh = MESSAGES['zh-CN'];
const en = MESSAGES.en;

// ── Building logs with the machine ──────────────────────────────────────────────────────────

async function config(name: 'wuxi-community' | 'sichuan-courtyard'): Promise<WorkflowConfig> {
  const raw: unknown = await (await fetch(`/examples/configs/${name}.json`)).json();
  const parsed = parseWorkflowConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

const T0 = '2026-03-02T01:00:00.000Z';
const CONVENER = { role: 'convener' as const, id: 'c-li', name: '李书记' };
const DEPT = { role: 'department' as const, id: 'd-housing', name: '住建局王科长' };
const CONVENERS: Participant[] = [
  { name: '李书记', role: 'convener', organisation: '社区党委' },
  { name: '王委员', role: 'member', organisation: '区政协' },
];
const PARTICIPANTS: Participant[] = [
  { name: '陈阿姨', role: 'representative' },
  { name: '张大爷', role: 'representative' },
  { name: '住建局', role: 'department' },
  { name: '燃气公司', role: 'stakeholder', organisation: '港华燃气' },
  { name: '赵工', role: 'expert' },
];

/** A programme's log, built event by event through the machine (a refused event fails the test). */
class Programme {
  readonly entries: LogEntry[] = [];
  readonly topics = new Map<string, TopicSnapshot>();
  private clock = Date.parse(T0);

  constructor(readonly config: WorkflowConfig) {}

  /** The next event time: `minutes` after the last one. */
  at(minutes = 60): string {
    this.clock += minutes * 60_000;
    return new Date(this.clock).toISOString();
  }

  send(topicId: string, event: Omit<TopicEvent, 'at'> & { at?: string }): this {
    const { by, at, ...body } = { ...event, at: event.at ?? this.at() } as TopicEvent;
    const entry: LogEntry = { id: `e${this.entries.length + 1}`, topicId, seq: this.entries.length + 1, event: body as TopicEventBody, by, at };
    const refusal = applyEntry(this.config, this.topics, entry);
    if (refusal) throw new Error(`${body.type} refused: ${refusal.code} ${refusal.message}`);
    this.entries.push(entry);
    return this;
  }

  get(topicId: string): TopicSnapshot {
    return this.topics.get(topicId)!;
  }

  submit(topicId: string, title = '3号楼加装电梯', extra: Partial<{ anonymous: boolean; values: Record<string, unknown> }> = {}): this {
    const values = this.config.id.startsWith('wuxi')
      ? { title, description: '三号楼住了很多老人，上下楼很难，希望加装电梯，大家商量出资办法。', category: 'lift', name: '张阿姨', contactWanted: 'no', consent: true }
      : { title, matterKind: 'public', details: '二组进组路坑多，下雨天老人孩子不好走。' };
    const by = extra.anonymous ? { role: 'resident' as const } : { role: 'resident' as const, id: 'r-zhang', name: '张阿姨' };
    return this.send(topicId, {
      type: 'topic.submit',
      values: extra.values ?? values,
      source: 'resident',
      ...(extra.anonymous ? { anonymous: true } : {}),
      by,
    } as TopicEvent);
  }

  research(topicId: string, findings = '走访了三十户居民，其中二十五户支持加装电梯，五户担心噪音和采光。'): this {
    this.send(topicId, { type: 'screening.accept', by: CONVENER } as TopicEvent);
    if (this.config.step.research) this.send(topicId, { type: 'research.complete', findings, by: CONVENER } as TopicEvent);
    return this;
  }

  schedule(topicId: string, place = '社区议事室'): this {
    return this.send(topicId, {
      type: 'meeting.schedule',
      format: this.config.step.meeting.formats[0]!.id,
      start: addDays(this.at(0), 7),
      place,
      conveners: CONVENERS,
      participants: PARTICIPANTS,
      by: CONVENER,
    } as TopicEvent);
  }

  /** Starts the scheduled meeting and walks `stages` agenda stages (all of them by default). */
  hold(topicId: string, advances = this.config.step.meeting.agenda.length - 1): this {
    this.send(topicId, { type: 'meeting.start', by: CONVENER, at: this.at(7 * 24 * 60) } as TopicEvent);
    for (let i = 0; i < advances; i += 1) this.send(topicId, { type: 'meeting.advance', by: CONVENER, at: this.at(20) } as TopicEvent);
    return this;
  }

  record(topicId: string, consensus: 'full' | 'partial' | 'none', measures: MeasureInput[] = [], effect = '居民同意按户分摊费用'): this {
    return this.send(topicId, {
      type: 'meeting.record',
      time: this.at(0),
      place: '社区议事室',
      topic: '3号楼加装电梯',
      measures,
      effect,
      consensus,
      by: CONVENER,
    } as TopicEvent);
  }
}

const MEASURES: MeasureInput[] = [
  { id: 'm-lift', text: '加装电梯并完成验收', party: 'housing-bureau', due: '2026-04-01' },
  { id: 'm-fund', text: '申请市级财政补贴', party: 'street-office', due: '2026-04-20' },
  { id: 'm-sign', text: '张贴施工公告', party: 'residents-committee', due: '2026-05-01' },
];

// ── Helpers ────────────────────────────────────────────────────────────────────────────────

const root = (el: ConsultMeetingTimeline) => el.shadowRoot!;
const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const text = (el: ConsultMeetingTimeline) => squash(root(el).textContent);
const stage = (el: ConsultMeetingTimeline, key: string) => root(el).querySelector<HTMLLIElement>(`li.stage[data-stage="${key}"]`)!;
const stageText = (el: ConsultMeetingTimeline, key: string) => squash(stage(el, key).textContent);
const current = (el: ConsultMeetingTimeline) => [...root(el).querySelectorAll('li.stage[aria-current="step"]')];
const statusOf = (el: ConsultMeetingTimeline, key: string) => squash(stage(el, key).querySelector('.status')!.textContent).replace(/^·\s*/, '');
/** A definition list's terms and values, each read on its own (as a screen reader reads them). */
const facts = (dl: Element) =>
  Object.fromEntries([...dl.querySelectorAll(':scope > .fact')].map((f) => [squash(f.querySelector('dt')!.textContent), squash((f.querySelector('dd') as HTMLElement).innerText)]));
const toggle = (el: ConsultMeetingTimeline) => root(el).querySelector<HTMLButtonElement>('button.toggle');

async function mount(
  p: Programme | undefined,
  topicId: string,
  options: { lang?: string; now?: string | number; attrs?: Record<string, string> } = {},
): Promise<ConsultMeetingTimeline> {
  const el = document.createElement('consult-meeting-timeline');
  if (options.lang) el.setAttribute('lang', options.lang);
  for (const [k, v] of Object.entries(options.attrs ?? {})) el.setAttribute(k, v);
  if (p) {
    el.snapshot = p.get(topicId);
    el.entries = p.entries;
  }
  if (options.now !== undefined) el.now = options.now;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** A few frames: a windowed list measures its records and places them in animation frames. */
async function settleFrames(el: ConsultMeetingTimeline): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await el.updateComplete;
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  }
  await el.updateComplete;
}

async function setLang(el: ConsultMeetingTimeline, lang: string): Promise<void> {
  el.setAttribute('lang', lang);
  await new Promise<void>((resolve) => queueMicrotask(resolve)); // the MutationObserver's record
  await el.updateComplete;
}

afterEach(() => {
  document.body.replaceChildren();
});

// ── Stories ────────────────────────────────────────────────────────────────────────────────

describe('<consult-meeting-timeline>: a topic just submitted', () => {
  it('names the topic and its current stage; intake is done, screening current, the rest not yet', async () => {
    const p = new Programme(await config('wuxi-community')).submit('t1');
    const el = await mount(p, 't1');
    expect(squash(root(el).querySelector('h2')!.textContent)).to.equal('3号楼加装电梯');
    expect(squash(root(el).querySelector('.current')!.textContent)).to.equal('当前阶段：选题');
    expect([...root(el).querySelectorAll('ol.stages > li')].map((li) => li.getAttribute('data-stage'))).to.deep.equal([
      'intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation', 'closed',
    ]);
    expect(current(el)).to.deep.equal([stage(el, 'screening')]);
    expect(statusOf(el, 'intake')).to.equal(zh['timeline.status.done']);
    expect(statusOf(el, 'screening')).to.equal(zh['timeline.status.current']);
    expect(statusOf(el, 'meeting')).to.equal(zh['timeline.status.upcoming']);
    // The folded intake stage still says what happened, and when.
    expect(squash(stage(el, 'intake').querySelector('.gist')!.textContent)).to.equal('群众出题，提出人：居民 张阿姨');
    expect(stage(el, 'intake').querySelector('time')!.getAttribute('datetime')).to.equal(p.entries[0]!.at);
    const details = stage(el, 'intake').querySelector('details')!;
    expect(details.open).to.equal(false);
    expect(squash(details.textContent)).to.contain('提交议题').and.contain('来源：群众出题').and.contain('三号楼住了很多老人');
    await expectAccessible(el, 'just submitted');
  });
});

describe('<consult-meeting-timeline>: screened and researched', () => {
  it('shows who accepted and who researched, with the findings; the meeting is being prepared (round 1)', async () => {
    const p = new Programme(await config('wuxi-community')).submit('t1').research('t1');
    const el = await mount(p, 't1');
    expect(current(el)).to.deep.equal([stage(el, 'meeting')]);
    expect(squash(root(el).querySelector('.current')!.textContent)).to.equal('当前阶段：协商议事 · 第 1 轮 · 筹备协商');
    expect(squash(stage(el, 'screening').querySelector('.gist')!.textContent)).to.equal('已受理');
    expect(stageText(el, 'screening')).to.contain('召集人 李书记').and.contain('受理');
    expect(squash(stage(el, 'research').querySelector('.gist')!.textContent)).to.equal('调查研究已完成，调研人：召集人 李书记');
    expect(stageText(el, 'research')).to.contain('调研情况：走访了三十户居民');
    await expectAccessible(el, 'researched');
  });
});

describe('<consult-meeting-timeline>: a meeting scheduled, held and recorded', () => {
  it('shows the meeting while in session: format, conveners, participants by role, the agenda stage now', async () => {
    const p = new Programme(await config('wuxi-community')).submit('t1').research('t1').schedule('t1').hold('t1', 1);
    const el = await mount(p, 't1');
    expect(squash(root(el).querySelector('.current')!.textContent)).to.equal('当前阶段：协商议事 · 第 1 轮 · 协商建言');
    const meeting = stage(el, 'meeting').querySelector('.meeting')!;
    expect(squash(meeting.querySelector('h4')!.textContent)).to.equal('第 1 轮 · 议事室协商 · 协商进行中');
    const facts = [...meeting.querySelectorAll(':scope > dl > .fact')].map((f) => [squash(f.querySelector('dt')!.textContent), squash(f.querySelector('dd')!.textContent)]);
    expect(facts.map(([dt]) => dt)).to.deep.equal(['形式', '时间', '地点', '召集人', '参会人员', '议程']);
    expect(facts[2]![1]).to.equal('社区议事室');
    expect(facts[3]![1]).to.equal('李书记（社区党委）、王委员（区政协）');
    expect([...meeting.querySelectorAll('.people > li')].map((li) => squash(li.textContent))).to.deep.equal([
      '群众代表 · 陈阿姨、张大爷',
      '部门 · 住建局',
      '利益相关方 · 燃气公司（港华燃气）',
      '专家 · 赵工',
    ]);
    const agenda = [...meeting.querySelectorAll('.agenda > li')];
    expect(agenda.map((li) => squash(li.querySelector('.agenda-name')!.textContent))).to.deep.equal(['情况通报', '协商建言', '居民互动', '部门回应']);
    expect(agenda.map((li) => li.querySelectorAll('time').length)).to.deep.equal([1, 1, 0, 0]);
    expect(agenda[1]!.getAttribute('aria-current')).to.equal('step');
    expect(squash(agenda[1]!.textContent)).to.contain('进行中');
    expect(squash(agenda[2]!.textContent)).to.contain('尚未进行');
    expect(squash(meeting.querySelector('.record')!.textContent)).to.contain('尚未记录');
    await expectAccessible(el, 'in session');
  });

  it('shows the five-haves record as a definition list, with the consensus; handling is current', async () => {
    const p = new Programme(await config('wuxi-community')).submit('t1').research('t1').schedule('t1').hold('t1');
    p.record('t1', 'full', MEASURES.slice(0, 2));
    const el = await mount(p, 't1', { now: '2026-03-20T00:00:00Z' });
    expect(current(el)).to.deep.equal([stage(el, 'handling')]);
    const record = stage(el, 'meeting').querySelector('.record')!;
    expect(squash(record.querySelector('h5')!.textContent)).to.equal('会议记录（五个有）');
    const rows = [...record.querySelectorAll('dl > .fact')].map((f) => [squash(f.querySelector('dt')!.textContent), squash(f.querySelector('dd')!.textContent)]);
    expect(rows.map(([dt]) => dt)).to.deep.equal(['时间', '地点', '主题', '措施', '效果', '共识']);
    expect(rows[1]![1]).to.equal('社区议事室');
    expect(rows[2]![1]).to.equal('3号楼加装电梯');
    expect([...record.querySelectorAll('.record-measures > li')].map((li) => squash(li.textContent))).to.deep.equal([
      '加装电梯并完成验收 · 区住房和城乡建设局',
      '申请市级财政补贴 · 街道办事处',
    ]);
    expect(rows[4]![1]).to.equal('居民同意按户分摊费用');
    expect(rows[5]![1]).to.equal('达成共识');
    expect(record.querySelector('time')!.getAttribute('datetime')).to.equal(p.get('t1').context.meetings[0]!.record!.time);
    expect(squash(stage(el, 'meeting').querySelector('.gist')!.textContent)).to.equal('共 1 轮协商，达成共识');
    // Every agenda stage has its time; the log says what each step moved on to.
    expect(stage(el, 'meeting').querySelectorAll('.agenda time')).to.have.length(4);
    expect(stageText(el, 'meeting')).to.contain('进入环节：协商建言').and.contain('进入环节：部门回应').and.contain('第 1 轮记录：达成共识');
    await expectAccessible(el, 'recorded');
  });
});

describe('<consult-meeting-timeline>: two rounds', () => {
  it('shows round 1 without consensus and round 2 with it, in order', async () => {
    const p = new Programme(await config('wuxi-community')).submit('t1').research('t1').schedule('t1').hold('t1');
    p.record('t1', 'none', [], '意见分歧较大，需再次协商');
    let el = await mount(p, 't1');
    expect(squash(root(el).querySelector('.current')!.textContent)).to.equal('当前阶段：协商议事 · 第 2 轮 · 筹备协商');
    el.remove();
    p.schedule('t1', '3号楼楼道').hold('t1').record('t1', 'full', MEASURES.slice(0, 1));
    el = await mount(p, 't1');
    const meetings = [...stage(el, 'meeting').querySelectorAll('.meeting')];
    expect(meetings.map((m) => squash(m.querySelector('h4')!.textContent))).to.deep.equal([
      '第 1 轮 · 议事室协商 · 未达成共识',
      '第 2 轮 · 议事室协商 · 达成共识',
    ]);
    expect(squash(meetings[0]!.querySelector('.record')!.textContent)).to.contain('意见分歧较大').and.contain('无');
    expect(squash(meetings[1]!.textContent)).to.contain('3号楼楼道');
    expect(squash(stage(el, 'meeting').querySelector('.gist')!.textContent)).to.equal('共 2 轮协商，达成共识');
    expect(stageText(el, 'meeting')).to.contain('第 1 轮记录：未达成共识').and.contain('第 2 轮：议事室协商');
    await expectAccessible(el, 'two rounds');
  });
});

describe('<consult-meeting-timeline>: measures', () => {
  async function handled(): Promise<Programme> {
    const p = new Programme(await config('wuxi-community')).submit('t1').research('t1').schedule('t1').hold('t1');
    p.record('t1', 'full', MEASURES);
    p.send('t1', { type: 'measure.adopt', measureId: 'm-lift', by: DEPT } as TopicEvent);
    p.send('t1', { type: 'measure.progress', measureId: 'm-lift', note: '电梯井已开挖', by: DEPT } as TopicEvent);
    p.send('t1', { type: 'measure.decline', measureId: 'm-fund', reason: '今年市级补贴名额已满，明年优先申报', by: DEPT } as TopicEvent);
    p.send('t1', { type: 'measure.adopt', measureId: 'm-sign', by: DEPT } as TopicEvent);
    p.send('t1', { type: 'measure.implement', measureId: 'm-sign', result: '公告已在各单元张贴', by: DEPT } as TopicEvent);
    return p;
  }

  it('lists each measure with party, deadline and status; one overdue (text and icon), one declined with its reason', async () => {
    const p = await handled();
    const el = await mount(p, 't1', { now: '2026-04-10T00:00:00Z' });
    const measures = [...stage(el, 'handling').querySelectorAll('.measure')];
    expect(measures.map((m) => squash(m.querySelector('.measure-text')!.textContent))).to.deep.equal(['加装电梯并完成验收', '申请市级财政补贴', '张贴施工公告']);
    const [lift, fund, sign] = measures.map((m) => facts(m.querySelector('dl')!));
    expect(lift).to.deep.include({ 责任单位: '区住房和城乡建设局', 办理时限: '2026年4月1日' });
    expect(lift!['办理进展']).to.match(/^电梯井已开挖 · 2026年3月\d+日$/);
    expect(lift!['办理状态']).to.contain('办理中').and.contain('已超期 9 天');
    expect(fund).to.deep.include({ 不予采纳理由: '今年市级补贴名额已满，明年优先申报' });
    expect(fund!['办理状态']).to.contain('不予采纳').and.not.contain('逾期');
    expect(sign).to.deep.include({ 落实结果: '公告已在各单元张贴' });
    expect(sign!['办理状态']).to.contain('已落实');
    const mark = measures[0]!.querySelector('.badge--overdue')!;
    expect(mark.querySelector('svg[aria-hidden="true"]')).to.not.equal(null);
    expect(squash(mark.textContent)).to.equal('已超期 9 天');
    expect(measures[0]!.querySelector('time')!.getAttribute('datetime')).to.equal('2026-04-01');
    expect(squash(root(el).querySelector('.alert')!.textContent)).to.equal('有 1 项措施已逾期。');
    expect(squash(stage(el, 'handling').querySelector('h4')!.textContent)).to.equal('协商成果：3 项措施');
    expect(stageText(el, 'handling')).to.contain('理由：今年市级补贴名额已满');
    await expectAccessible(el, 'measures zh-CN');

    // Before the deadline nothing is overdue.
    el.now = '2026-03-30T00:00:00Z';
    await el.updateComplete;
    expect(root(el).querySelector('.badge--overdue')).to.equal(null);
    expect(root(el).querySelector('.alert')).to.equal(null);
    // `now` as an attribute, in epoch milliseconds.
    el.setAttribute('now', String(Date.parse('2026-04-03T00:00:00Z')));
    await el.updateComplete;
    expect(squash(root(el).querySelector('.badge--overdue')!.textContent)).to.equal('已超期 2 天');
  });

  it('reads the same in English', async () => {
    const p = await handled();
    const el = await mount(p, 't1', { now: '2026-04-10T00:00:00Z', lang: 'en' });
    expect(squash(root(el).querySelector('.current')!.textContent)).to.equal('Current stage: Outcome handling');
    expect(statusOf(el, 'meeting')).to.equal('Done');
    const lift = facts(stage(el, 'handling').querySelector('.measure dl')!);
    expect(lift).to.deep.include({ Responsible: 'District Housing and Urban-Rural Development Bureau', Deadline: 'Apr 1, 2026' });
    expect(lift['Status']).to.contain('In progress').and.contain('Overdue by 9 day(s)');
    expect(stageText(el, 'handling')).to.contain('Why it was declined').and.contain('Implemented');
    expect(squash(stage(el, 'meeting').querySelector('.gist')!.textContent)).to.equal('1 round(s); Consensus reached');
    expect(squash(root(el).querySelector('.alert')!.textContent)).to.equal('1 measure(s) past the deadline.');
    expect(root(el).querySelector('.base')!.getAttribute('lang')).to.equal('en');
    await expectAccessible(el, 'measures en');
    await setLang(el, 'zh-CN');
    expect(squash(root(el).querySelector('.current')!.textContent)).to.equal('当前阶段：成果转化');
  });
});

/** A Wuxi topic from intake to closed, rated by five residents. */
async function closedTopic(feedback = '电梯已安装完成并通过验收，补贴明年再申报，欢迎居民监督。'): Promise<Programme> {
  const p = new Programme(await config('wuxi-community')).submit('t1').research('t1').schedule('t1').hold('t1');
  p.record('t1', 'full', MEASURES.slice(0, 2));
  p.send('t1', { type: 'measure.adopt', measureId: 'm-lift', by: DEPT } as TopicEvent);
  p.send('t1', { type: 'measure.implement', measureId: 'm-lift', result: '电梯已通过验收', by: DEPT } as TopicEvent);
  p.send('t1', { type: 'measure.decline', measureId: 'm-fund', reason: '补贴名额已满', by: DEPT } as TopicEvent);
  p.send('t1', { type: 'feedback.publish', text: feedback, by: CONVENER } as TopicEvent);
  [5, 4, 5, 4, 4].forEach((stars, i) =>
    p.send('t1', { type: 'rating.submit', stars, ...(i === 0 ? { comment: '谢谢大家' } : {}), by: { role: 'resident', id: `portal:r${i}` } } as TopicEvent),
  );
  p.send('t1', { type: 'evaluation.close', by: CONVENER } as TopicEvent);
  return p;
}

describe('<consult-meeting-timeline>: a closed topic with ratings', () => {
  it('every step is done, the end is marked current and sums up the ratings; stars are read as text', async () => {
    const p = await closedTopic();
    const el = await mount(p, 't1');
    expect(current(el)).to.deep.equal([stage(el, 'closed')]);
    expect(squash(root(el).querySelector('.current')!.textContent)).to.equal('当前阶段：已办结');
    for (const key of ['intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation']) expect(statusOf(el, key), key).to.equal('已完成');
    expect(squash(stage(el, 'closed').querySelector('.gist')!.textContent)).to.equal('5 人评价，平均 4.4 分（满分 5 分）');
    expect(squash(stage(el, 'evaluation').querySelector('.gist')!.textContent)).to.equal('5 人评价，平均 4.4 分（满分 5 分）');
    expect(squash(stage(el, 'feedback').querySelector('.gist')!.textContent)).to.equal('已向居民反馈');
    expect(squash(stage(el, 'handling').querySelector('.gist')!.textContent)).to.equal('2 项措施：1 项已落实，1 项不予采纳');
    const ratings = [...stage(el, 'evaluation').querySelectorAll('.item')].filter((li) => li.querySelector('.stars'));
    expect(ratings).to.have.length(5);
    expect(squash(ratings[0]!.textContent)).to.contain('5 星（满分 5 星） · 非常满意').and.contain('留言：谢谢大家');
    expect(ratings[0]!.querySelector('.stars')!.getAttribute('aria-hidden')).to.equal('true');
    expect(stageText(el, 'feedback')).to.contain('反馈内容：电梯已安装完成并通过验收');
    expect(stageText(el, 'handling')).to.contain('已反馈');
    await expectAccessible(el, 'closed');
  });

  it('the show-all toggle works by keyboard: Tab to it, Enter opens every stage, Space folds them; Tab then goes through the summaries in order', async () => {
    const p = await closedTopic();
    const before = document.createElement('button');
    before.textContent = 'before';
    document.body.append(before);
    const el = await mount(p, 't1');
    const details = () => [...root(el).querySelectorAll('details')];
    expect(details()).to.have.length(7);
    expect(details().every((d) => !d.open)).to.equal(true);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement).to.equal(toggle(el));
    expect(toggle(el)!.getAttribute('aria-expanded')).to.equal('false');
    expect(squash(toggle(el)!.textContent)).to.equal('展开全部');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(details().every((d) => d.open)).to.equal(true);
    expect(el.expanded).to.equal(true);
    expect(el.hasAttribute('expanded')).to.equal(true);
    expect(toggle(el)!.getAttribute('aria-expanded')).to.equal('true');
    expect(squash(toggle(el)!.textContent)).to.equal('收起已完成阶段');
    expect(root(el).activeElement).to.equal(toggle(el), 'focus stays on the toggle');
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(details().every((d) => !d.open)).to.equal(true);
    // Tab order: toggle, then each stage's summary from the first stage down.
    const order: Array<string | null> = [];
    for (let i = 0; i < 7; i += 1) {
      await sendKeys({ press: 'Tab' });
      order.push(root(el).activeElement?.closest('li.stage')?.getAttribute('data-stage') ?? null);
    }
    expect(order).to.deep.equal(['intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation']);
    // One stage opened by Enter on its summary.
    await sendKeys({ press: 'Enter' });
    expect(stage(el, 'evaluation').querySelector('details')!.open).to.equal(true);
    await expectAccessible(el, 'closed, one stage open');
  });

  it('with `expanded`, every stage starts open', async () => {
    const p = await closedTopic();
    const el = await mount(p, 't1', { attrs: { expanded: '' } });
    expect([...root(el).querySelectorAll('details')].every((d) => d.open)).to.equal(true);
    await expectAccessible(el, 'expanded');
  });
});

describe('<consult-meeting-timeline>: a rejected topic', () => {
  it('ends at “rejected” with the reason; the steps it never reached are marked skipped, not done', async () => {
    const p = new Programme(await config('wuxi-community')).submit('t1');
    p.send('t1', { type: 'screening.reject', reason: '属于个人诉求，请走信访渠道', by: CONVENER } as TopicEvent);
    const el = await mount(p, 't1');
    expect(current(el)).to.deep.equal([stage(el, 'rejected')]);
    expect(squash(root(el).querySelector('.current')!.textContent)).to.equal('当前阶段：不予受理');
    expect(squash(stage(el, 'rejected').querySelector('.gist')!.textContent)).to.equal('不予受理：属于个人诉求，请走信访渠道');
    expect(squash(stage(el, 'screening').querySelector('.gist')!.textContent)).to.equal('不予受理：属于个人诉求，请走信访渠道');
    for (const key of ['research', 'meeting', 'handling', 'feedback', 'evaluation']) expect(statusOf(el, key), key).to.equal('未经过');
    expect(root(el).querySelector('[data-stage="closed"]')).to.equal(null);
    await expectAccessible(el, 'rejected');
  });

  it('an escalated topic stays in screening, at the higher level, with the reason', async () => {
    const p = new Programme(await config('wuxi-community')).submit('t1');
    p.send('t1', { type: 'screening.escalate', level: 'street', reason: '涉及多个社区，需街道统筹', by: CONVENER } as TopicEvent);
    const el = await mount(p, 't1');
    expect(current(el)).to.deep.equal([stage(el, 'screening')]);
    expect(stageText(el, 'screening')).to.contain('提级').and.contain('提级至街道一级').and.contain('理由：涉及多个社区，需街道统筹');
    await expectAccessible(el, 'escalated');
  });

  it('a redirected topic links to its channel through the URL allow-list', async () => {
    const p = new Programme(await config('sichuan-courtyard')).submit('t1', '邻居占了我家宅基地', {
      values: { title: '邻居占了我家宅基地', matterKind: 'personal' },
    });
    p.send('t1', { type: 'screening.redirect', channel: 'petition', by: CONVENER } as TopicEvent);
    const el = await mount(p, 't1', { lang: 'en' });
    const link = stage(el, 'screening').querySelector('a')!;
    expect(link.getAttribute('href')).to.equal('https://www.gjxfj.gov.cn/');
    expect(squash(link.textContent)).to.equal('Petitions (信访)');
    expect(squash(stage(el, 'redirected').querySelector('.gist')!.textContent)).to.equal('Sent to Petitions (信访)');
    await expectAccessible(el, 'redirected');
  });
});

describe('<consult-meeting-timeline>: a resident who gave no name', () => {
  it('is “a resident”, not “anonymous”, unless the topic was submitted anonymously', async () => {
    const p = new Programme(await config('sichuan-courtyard'));
    p.send('t1', {
      type: 'topic.submit',
      values: { title: '村口水渠堵了', matterKind: 'public', details: '下雨就漫到路上。' },
      source: 'resident',
      by: { role: 'resident' },
    } as unknown as TopicEvent);
    const el = await mount(p, 't1');
    const who = squash(stage(el, 'intake').querySelector('.item .who')!.textContent);
    expect(who).to.not.contain('匿名');
    expect(who).to.equal('居民');
  });
});

describe('<consult-meeting-timeline>: an anonymous topic (Sichuan)', () => {
  it('says “anonymous resident”, uses the city’s own stage, format and agenda names', async () => {
    const p = new Programme(await config('sichuan-courtyard')).submit('t1', '二组进组路坑多', { anonymous: true });
    p.research('t1').schedule('t1', '二组院坝').hold('t1', 0);
    const el = await mount(p, 't1');
    expect(squash(stage(el, 'intake').querySelector('.gist')!.textContent)).to.equal('群众出题，提出人：匿名居民');
    const submitted = stage(el, 'intake').querySelector('.item')!;
    expect(squash(submitted.querySelector('.who')!.textContent)).to.equal('匿名居民');
    expect(squash(submitted.textContent)).to.contain('匿名提出').and.not.contain('张阿姨');
    expect([...root(el).querySelectorAll('.stage-name')].map((n) => squash(n.textContent))).to.deep.equal([
      '收集议题', '筛选议题', '院坝协商', '落实办理', '张榜反馈', '群众评议', '已办结',
    ]);
    expect(squash(root(el).querySelector('.current')!.textContent)).to.equal('当前阶段：院坝协商 · 第 1 轮 · 摆情况');
    expect(squash(root(el).querySelector('.meeting h4')!.textContent)).to.equal('第 1 轮 · 坝坝会 · 协商进行中');
    await expectAccessible(el, 'anonymous zh-CN');
    await setLang(el, 'en');
    expect(squash(stage(el, 'intake').querySelector('.gist')!.textContent)).to.equal('Proposed by villagers; raised by Anonymous resident');
    expect(squash(root(el).querySelector('.current')!.textContent)).to.equal('Current stage: Courtyard consultation · Round 1 · Briefing');
    await expectAccessible(el, 'anonymous en');
  });
});

describe('<consult-meeting-timeline>: safety and scale', () => {
  it('renders every text from the log as text, never as markup', async () => {
    const attack = '<img src=x onerror=window.__pwned=1>';
    const p = new Programme(await config('wuxi-community')).submit('t1', attack).research('t1', `${attack} 走访了三十户居民，二十五户支持加装电梯。`);
    p.send('t1', {
      type: 'meeting.schedule',
      format: 'room',
      start: '2026-03-09T01:00:00.000Z', // before hold() starts it, a week after scheduling
      place: attack,
      conveners: [{ name: attack, role: 'convener' }, CONVENERS[1]!],
      participants: [{ name: attack, role: 'representative', organisation: attack }],
      by: { ...CONVENER, name: attack },
    } as TopicEvent);
    p.hold('t1').record('t1', 'full', [{ id: 'm1', text: attack, party: attack, due: '2026-04-01' }], attack);
    p.send('t1', { type: 'measure.decline', measureId: 'm1', reason: attack, by: DEPT } as TopicEvent);
    p.send('t1', { type: 'feedback.publish', text: `${attack} 反馈：补贴名额已满。`, by: CONVENER } as TopicEvent);
    const el = await mount(p, 't1', { attrs: { expanded: '' } });
    expect(squash(root(el).querySelector('h2')!.textContent)).to.equal(attack);
    expect(text(el)).to.contain(`理由：${attack}`).and.contain(`反馈内容：${attack}`);
    expect(root(el).querySelector('img, script')).to.equal(null);
    await new Promise((r) => setTimeout(r, 50));
    expect(window.__pwned).to.equal(undefined);
  });

  it('renders 1,000 log entries in one go, every stage present, each long stage’s records windowed with their place, the DOM proportionate', async () => {
    const p = new Programme(await config('wuxi-community'));
    for (let i = 0; i < 60; i += 1) p.submit(`other-${i}`, `其他议题 ${i + 1} 号`);
    p.submit('big').research('big').schedule('big').hold('big');
    p.record('big', 'full', MEASURES.slice(0, 2));
    p.send('big', { type: 'measure.adopt', measureId: 'm-lift', by: DEPT } as TopicEvent);
    for (let i = 0; i < 300; i += 1) p.send('big', { type: 'measure.progress', measureId: 'm-lift', note: `第 ${i + 1} 次施工进展`, by: DEPT, at: p.at(5) } as TopicEvent);
    p.send('big', { type: 'measure.implement', measureId: 'm-lift', result: '电梯已通过验收', by: DEPT } as TopicEvent);
    p.send('big', { type: 'measure.decline', measureId: 'm-fund', reason: '补贴名额已满', by: DEPT } as TopicEvent);
    p.send('big', { type: 'feedback.publish', text: '电梯已安装完成并通过验收，欢迎居民监督。', by: CONVENER } as TopicEvent);
    while (p.entries.length < 999) {
      p.send('big', { type: 'rating.submit', stars: 4 + (p.entries.length % 2), by: { role: 'resident', id: `portal:rater-${p.entries.length}` }, at: p.at(1) } as TopicEvent);
    }
    p.send('big', { type: 'evaluation.close', by: CONVENER } as TopicEvent);
    expect(p.entries).to.have.length(1000);

    const started = performance.now();
    const el = await mount(p, 'big');
    await settleFrames(el);
    const took = performance.now() - started;
    expect([...root(el).querySelectorAll('ol.stages > li')].map((li) => li.getAttribute('data-stage'))).to.deep.equal([
      'intake', 'screening', 'research', 'meeting', 'handling', 'feedback', 'evaluation', 'closed',
    ]);
    // Every stage's records say how many there are and where each one is, windowed or not.
    const handling = stage(el, 'handling').querySelector<HTMLElement>('ol.items')!;
    const evaluation = stage(el, 'evaluation').querySelector<HTMLElement>('ol.items')!;
    expect(handling.hasAttribute('data-window'), 'handling’s 300-odd records are windowed').to.equal(true);
    expect(evaluation.hasAttribute('data-window'), 'the ratings are windowed').to.equal(true);
    const own = p.entries.filter((e) => e.topicId === 'big').length;
    const sizes = [...root(el).querySelectorAll('ol.items')].map((ol) => Number(ol.querySelector('li.item')!.getAttribute('aria-setsize')));
    expect(sizes.reduce((a, b) => a + b, 0), 'every record counted in some stage').to.equal(own);
    for (const ol of root(el).querySelectorAll('ol.items')) {
      const items = [...ol.querySelectorAll('li.item')];
      expect(items.map((li) => Number(li.getAttribute('aria-posinset'))), 'consecutive places').to.deep.equal(items.map((_, i) => i + 1));
    }
    expect(root(el).querySelectorAll('li.item').length, 'only a window of records in the DOM').to.be.below(200);
    let nodes = 0;
    const walker = document.createTreeWalker(root(el), NodeFilter.SHOW_ELEMENT);
    while (walker.nextNode()) nodes += 1;
    expect(nodes, `${nodes} elements for ${own} entries`).to.be.below(2500);
    expect(took, `rendered in ${Math.round(took)} ms`).to.be.below(3000);

    // Opening everything: the ratings' box shows its first records; scrolled, it shows others.
    const again = performance.now();
    toggle(el)!.click();
    await settleFrames(el);
    expect(performance.now() - again).to.be.below(1500);
    expect(squash(stage(el, 'evaluation').querySelector('.gist')!.textContent)).to.match(/^\d+ 人评价，平均 4\.\d 分（满分 5 分）$/);
    evaluation.scrollTop = evaluation.scrollHeight / 2;
    await settleFrames(el);
    const places = [...evaluation.querySelectorAll('li.item')].map((li) => Number(li.getAttribute('aria-posinset')));
    expect(Math.min(...places), 'the middle of the ratings').to.be.greaterThan(100);
    expect(places.length).to.be.below(120);
    await expectAccessible(el, '1,000 entries, every stage open');
  });

  it('keyboard through 1,000 records: Tab reaches the records, ↓ moves record by record with focus never lost while the window moves; End, Home, Page Up; axe clean', async function () {
    this.timeout(180_000);
    await setViewport({ width: 1024, height: 800 });
    const p = new Programme(await config('wuxi-community')).submit('big').research('big').schedule('big').hold('big');
    p.record('big', 'full', MEASURES.slice(0, 1));
    p.send('big', { type: 'measure.adopt', measureId: 'm-lift', by: DEPT } as TopicEvent);
    while (p.entries.length < 1000) p.send('big', { type: 'measure.progress', measureId: 'm-lift', note: `第 ${p.entries.length} 次施工进展`, by: DEPT, at: p.at(5) } as TopicEvent);
    const before = document.createElement('button');
    before.textContent = 'before';
    document.body.append(before);
    const el = await mount(p, 'big');
    await settleFrames(el);
    const list = stage(el, 'handling').querySelector<HTMLElement>('ol.items')!;
    expect(list.hasAttribute('data-window')).to.equal(true);
    const size = Number(list.querySelector('li.item')!.getAttribute('aria-setsize'));
    expect(size).to.be.greaterThan(980);
    const active = () => root(el).activeElement as HTMLElement | null;
    const place = () => Number(active()?.getAttribute('aria-posinset'));

    // Tab from the page: the toggle, the folded stages' summaries, then the records' box.
    before.focus();
    for (let i = 0; i < 12 && active() !== list; i += 1) await sendKeys({ press: 'Tab' });
    expect(active(), 'the scrolling records are reachable by Tab').to.equal(list);
    expect(list.getAttribute('aria-labelledby') ?? list.getAttribute('aria-label')).to.not.equal(null);

    await sendKeys({ press: 'ArrowDown' });
    expect(place(), 'the first record').to.equal(1);
    for (let n = 2; n <= size; n += 1) {
      await sendKeys({ press: 'ArrowDown' });
      expect(document.activeElement, `focus still in the timeline at ${n}`).to.equal(el);
      expect(active()?.parentElement, `record ${n} is in the records`).to.equal(list);
      expect(place(), 'the next record').to.equal(n);
    }
    expect(list.scrollTop, 'scrolled down with the focus').to.be.greaterThan(10_000);
    expect(list.querySelectorAll('li.item').length, 'still only a window').to.be.below(120);

    await sendKeys({ press: 'Home' });
    expect(place(), 'Home: the first record').to.equal(1);
    await sendKeys({ press: 'End' });
    expect(place(), 'End: the last record').to.equal(size);
    await sendKeys({ press: 'PageUp' });
    expect(place(), 'Page Up: a screenful up').to.be.below(size - 2);
    await sendKeys({ press: 'ArrowUp' });
    await settleFrames(el);
    expect(active()?.parentElement, 'still on a record after the window settles').to.equal(list);
    await expectAccessible(el, 'keyboard on a windowed list');

    // Scrolled far away by a mouse: the record with focus must go, and the box takes the focus.
    await sendKeys({ press: 'Home' });
    list.scrollTop = list.scrollHeight;
    await settleFrames(el);
    expect(document.activeElement).to.equal(el);
    expect(active(), 'focus moved to the box, not lost to the page').to.equal(list);
  });
});

describe('<consult-meeting-timeline>: a store shared through context', () => {
  it('reads the topic from the store by `topic` and re-renders when the store changes', async () => {
    const p = new Programme(await config('wuxi-community')).submit('t1');
    const listeners = new Set<(status: StoreStatus) => void>();
    const status = { pending: 0, sending: false, online: true, conflicts: 0, storage: 'indexeddb', reloadRequired: false } as StoreStatus;
    let topics = new Map(p.topics);
    let log = [...p.entries];
    const store: TimelineStore = {
      get topics() {
        return topics;
      },
      get log() {
        return log;
      },
      subscribe(listener) {
        listeners.add(listener);
        listener(status);
        return () => listeners.delete(listener);
      },
    };
    const { ContextProvider } = await import('@lit/context');
    const { storeContext } = await import('../context/consultation-context.js');
    const { LitElement, html } = await import('lit');
    class TimelineTestProvider extends LitElement {
      provider = new ContextProvider(this, { context: storeContext, initialValue: undefined });
      override render() {
        return html`<slot></slot>`;
      }
    }
    if (!customElements.get('test-timeline-provider')) customElements.define('test-timeline-provider', TimelineTestProvider);
    const provider = document.createElement('test-timeline-provider') as TimelineTestProvider;
    const el = document.createElement('consult-meeting-timeline');
    el.topicId = 'missing';
    provider.append(el);
    document.body.append(provider);
    await el.updateComplete;
    expect(text(el)).to.equal(zh['timeline.empty']);
    provider.provider.setValue(store as unknown as ConsultStore);
    await el.updateComplete;
    expect(text(el)).to.equal('没有找到议题 missing。');
    expect(listeners.size).to.equal(1);

    el.setAttribute('topic', 't1');
    await el.updateComplete;
    expect(current(el)).to.deep.equal([stage(el, 'screening')]);

    // Another person's events arrive: the store changes and says so.
    p.research('t1');
    topics = new Map(p.topics);
    log = [...p.entries];
    for (const listener of listeners) listener({ ...status });
    await el.updateComplete;
    expect(current(el)).to.deep.equal([stage(el, 'meeting')]);
    expect(stageText(el, 'research')).to.contain('调研情况：走访了三十户居民');
    await expectAccessible(el, 'from the store');

    el.remove();
    expect(listeners.size, 'unsubscribed on disconnect').to.equal(0);
    expect(en['timeline.title']).to.equal('How this topic is going');
  });
});

describe('<consult-meeting-timeline>: the redacted log anyone may read', () => {
  it('names a withheld person "withheld" (the redaction marker), never "[object Object]"; officials stay named', async () => {
    const p = new Programme(await config('wuxi-community'));
    const marker = { redacted: true };
    p.send('t1', {
      type: 'topic.submit',
      values: { title: '3号楼加装电梯', description: '三号楼住了很多老人，上下楼很难，希望加装电梯，大家商量出资办法。', category: 'lift', name: marker, contactWanted: 'no', consent: true },
      source: 'resident',
      by: { role: 'resident', id: 'r-zhang', name: marker },
    } as unknown as TopicEvent);
    p.research('t1');
    p.send('t1', {
      type: 'meeting.schedule',
      format: p.config.step.meeting.formats[0]!.id,
      start: addDays(p.at(0), 7),
      place: '社区议事室',
      conveners: CONVENERS,
      participants: [{ name: marker, role: 'resident' }, ...PARTICIPANTS.slice(1)],
      by: CONVENER,
    } as unknown as TopicEvent);
    p.hold('t1').record('t1', 'full', MEASURES);
    const el = await mount(p, 't1');
    toggle(el)?.click();
    await el.updateComplete;
    const all = text(el);
    expect(all).not.to.include('[object');
    expect(all).to.include('已隐去');
    expect(all).to.include(CONVENERS[0]!.name);
    expect(all).to.include('住建局');
    await expectAccessible(el);
  });
});
