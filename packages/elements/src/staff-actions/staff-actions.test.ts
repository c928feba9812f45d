/**
 * <consult-staff-actions> in real Chromium with real IndexedDB (the local transport): a Wuxi topic
 * driven through the whole loop by this element's forms alone (screening, research, scheduling,
 * the agenda, the five-haves record, measures, feedback, residents' ratings, closing); reject,
 * redirect (Sichuan, out of scope) and escalate; the error summary; who sees what; the keyboard;
 * both languages; typed text kept as text; axe on every form state.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { parseWorkflowConfig, stateName, type TopicEvent, type WorkflowConfig } from '@consult-kit/machine';
import { openStore, type ConsultStore, type Transport } from '@consult-kit/store';
import { ContextProvider } from '@lit/context';
import { storeContext } from '../context/consultation-context.js';
import './consult-staff-actions.js';
import type { ConsultStaffActions } from './staff-actions.component.js';
import type { ConsultActionEvent } from '../events/action-event.js';
import { expectAccessible } from '../../test/a11y.js';
import { $, act, active, announced, click, fill, must, rate, refusedAt, root, sections, startButton, tabTo, text, waitFor } from '../../test/drive.js';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────

const XSS = '<img src=x onerror=window.__pwned=1>';

async function config(name: string): Promise<WorkflowConfig> {
  const raw = (await (await fetch(`/examples/configs/${name}.json`)).json()) as unknown;
  const parsed = parseWorkflowConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

const stores: ConsultStore[] = [];
async function store(name: string, transport?: Transport): Promise<ConsultStore> {
  const s = await openStore({
    config: await config(name),
    dbName: `staff-${name}-${Math.random().toString(36).slice(2)}`,
    pullIntervalMs: 0,
    ...(transport ? { transport } : {}),
  });
  stores.push(s);
  return s;
}

let seq = 0;
const at = () => new Date().toISOString();
const convener = { role: 'convener' as const, id: 'c1' };

async function append(s: ConsultStore, topicId: string, event: Record<string, unknown>): Promise<void> {
  const result = await s.append(topicId, { by: convener, at: at(), ...event } as unknown as TopicEvent);
  if (!result.ok) throw new Error(`${String(event.type)} refused: ${result.refusal.code} ${result.refusal.message}`);
}

async function wuxiTopic(s: ConsultStore, title = '3号楼加装电梯'): Promise<string> {
  const id = `t${(seq += 1)}`;
  await append(s, id, {
    type: 'topic.submit',
    values: {
      title,
      description: '三号楼住了很多老人，上下楼很难，希望社区组织大家商量加装电梯。',
      category: 'lift',
      name: '王阿姨',
      contactWanted: 'no',
      consent: true,
    },
    source: 'resident',
    by: { role: 'resident', id: 'r0' },
  });
  return id;
}

async function sichuanTopic(s: ConsultStore, matterKind: string, title = '组上机耕道硬化'): Promise<string> {
  const id = `s${(seq += 1)}`;
  await append(s, id, { type: 'topic.submit', values: { title, matterKind }, source: 'resident', by: { role: 'resident', id: 'v0' } });
  return id;
}

/** The Wuxi topic's meeting in the community room, without its start. */
const WUXI_MEETING = {
  type: 'meeting.schedule',
  format: 'room',
  place: '幸福里社区议事室',
  conveners: [
    { name: '李书记', role: 'convener' },
    { name: '张委员', role: 'member' },
  ],
  participants: [{ name: '王阿姨', role: 'representative' }],
};

/** Accepts a Wuxi topic, completes its research and schedules {@link WUXI_MEETING} at `start`, through the store. */
async function toScheduled(s: ConsultStore, id: string, start: string): Promise<void> {
  await append(s, id, { type: 'screening.accept' });
  await append(s, id, { type: 'research.complete', findings: '走访了三号楼全部24户，其中18户同意加装电梯，6户担心采光和费用。' });
  await append(s, id, { ...WUXI_MEETING, start });
}

/** Brings a Wuxi topic to the last agenda stage (部门回应) through the store. */
async function toResponse(s: ConsultStore, id: string): Promise<void> {
  await toScheduled(s, id, '2026-06-01T11:30:00.000Z');
  await append(s, id, { type: 'meeting.start' });
  for (let i = 0; i < 3; i += 1) await append(s, id, { type: 'meeting.advance' });
}

async function mount(s: ConsultStore, topic: string, attrs: Record<string, string> = {}): Promise<ConsultStaffActions> {
  const el = document.createElement('consult-staff-actions');
  el.setAttribute('topic', topic);
  for (const [k, v] of Object.entries({ 'user-role': 'convener', 'user-id': 'c1', ...attrs })) el.setAttribute(k, v);
  el.store = s;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const stateOf = (s: ConsultStore, id: string) => stateName(s.topics.get(id)!);

/**
 * A resident the host portal verified (`portal:<id>`, a rater the example configs admit as
 * community residents) rates through the element's form; waits until the store counts it.
 */
async function rateAs(el: ConsultStaffActions, s: ConsultStore, id: string, userId: string, stars: number, comment = ''): Promise<void> {
  el.setAttribute('user-id', `portal:${userId}`);
  await el.updateComplete;
  const before = s.topics.get(id)!.context.evaluations.at(-1)!.ratings.length;
  await rate(el, stars, comment, () => s.topics.get(id)!.context.evaluations.at(-1)!.ratings.length === before + 1);
}

let pageLang: string;
beforeEach(async () => {
  pageLang = document.documentElement.lang;
  await setViewport({ width: 390, height: 900 });
});

afterEach(() => {
  document.body.replaceChildren();
  document.documentElement.lang = pageLang;
  delete window.__pwned;
  for (const s of stores.splice(0)) s.close();
});

// ── The whole loop ──────────────────────────────────────────────────────────────────────────

describe('<consult-staff-actions>: the whole loop through its own forms (Wuxi)', () => {
  it('screening → research → meeting → record → handling → feedback → ratings → closed', async function () {
    this.timeout(90_000);
    const s = await store('wuxi-community');
    const id = await wuxiTopic(s);
    const el = await mount(s, id);
    const actions: ConsultActionEvent[] = [];
    el.addEventListener('consult-action', (e) => actions.push(e));

    // Screening (选题): the convener's five decisions, merge only when there is another topic.
    expect(text(el)).to.contain('议题：3号楼加装电梯');
    expect(text(el)).to.contain('当前阶段：选题');
    expect(sections(el)).to.deep.equal(['accept', 'reject', 'redirect', 'escalate']);
    await expectAccessible(el, 'screening');
    await wuxiTopic(s, '5号楼也想加装电梯');
    await el.updateComplete;
    expect(sections(el)).to.deep.equal(['accept', 'reject', 'merge', 'redirect', 'escalate']);
    expect([...must<HTMLSelectElement>(el, 'merge-into').options].map((o) => o.textContent)).to.deep.equal(['请选择', '5号楼也想加装电梯（选题）']);

    await act(el, 'accept', () => stateOf(s, id) === 'research', 'research');
    await waitFor(() => announced(el) === '已记录：受理。', 'the live message');
    expect(actions.map((a) => a.detail.type)).to.deep.equal(['screening.accept']);
    expect(actions[0]!.detail.topicId).to.equal(id);
    expect(actions[0]!.detail.savedOn).to.equal('indexeddb');
    expect(actions[0]!.detail.entry.by).to.deep.equal({ role: 'convener', id: 'c1' });

    // Research (调查研究).
    expect(sections(el)).to.deep.equal(['research']);
    expect(must(el, 'research-findings-hint').textContent).to.contain('至少 30 个字');
    await expectAccessible(el, 'research');
    await fill(el, 'research-findings', '走访了三号楼全部24户，其中18户同意加装电梯，6户担心采光和费用，需协商解决。');
    await act(el, 'research', () => stateOf(s, id) === 'meeting.planning', 'planning');

    // Scheduling (安排协商): format, time, place, two conveners, participants by role.
    expect(sections(el)).to.deep.equal(['schedule']);
    expect(must(el, 'schedule-convener-0').previousElementSibling?.textContent).to.contain('第一召集人');
    expect(must(el, 'schedule-convener-1').closest('.field')!.textContent).to.contain('第二召集人');
    expect([...must<HTMLSelectElement>(el, 'schedule-format').options].map((o) => o.textContent)).to.include('小区院落协商');
    const empty = await refusedAt(el, 'schedule');
    expect([...empty.querySelectorAll('a')].map((a) => a.getAttribute('href'))).to.deep.equal([
      '#schedule-format',
      '#schedule-start',
      '#schedule-place',
      '#schedule-convener-0',
    ]);
    expect(empty.textContent).to.contain('请填写 2 名召集人的姓名');
    await expectAccessible(el, 'schedule, errors');
    await fill(el, 'schedule-format', 'courtyard');
    await fill(el, 'schedule-start', '2026-06-01T19:30');
    await fill(el, 'schedule-place', '3号楼前小广场');
    await fill(el, 'schedule-convener-0', '李书记');
    await fill(el, 'schedule-convener-1', '张委员');
    const rowName = () => [...root(el).querySelectorAll<HTMLInputElement>('[id^=schedule-participant-][id$=-name]')];
    const rowRole = () => [...root(el).querySelectorAll<HTMLSelectElement>('[id^=schedule-participant-][id$=-role]')];
    await fill(el, rowName()[0]!.id, '王阿姨');
    await fill(el, rowRole()[0]!.id, 'representative');
    await click(el, 'schedule-participant-add');
    expect(rowName()).to.have.length(2);
    expect(active(el), 'a new row: focus in its name').to.equal(rowName()[1]);
    await fill(el, rowName()[1]!.id, '区住建局刘科长');
    await fill(el, rowRole()[1]!.id, 'department');
    await click(el, 'schedule-participant-add');
    expect(rowName()).to.have.length(3);
    await expectAccessible(el, 'schedule, three rows');
    root(el).querySelectorAll<HTMLButtonElement>('.row .button--link')[2]!.click(); // remove the empty third row
    await el.updateComplete;
    expect(rowName()).to.have.length(2);
    await act(el, 'schedule', () => stateOf(s, id) === 'meeting.scheduled', 'scheduled');
    const meeting = s.topics.get(id)!.context.meetings[0]!;
    expect(meeting.format).to.equal('courtyard');
    expect(meeting.start).to.equal(new Date('2026-06-01T19:30').toISOString());
    expect(meeting.conveners.map((c) => c.name)).to.deep.equal(['李书记', '张委员']);
    expect(meeting.participants).to.deep.equal([
      { name: '王阿姨', role: 'representative' },
      { name: '区住建局刘科长', role: 'department' },
    ]);

    // Scheduled: start, or change the arrangements (prefilled).
    expect(sections(el)).to.deep.equal(['start', 'schedule']);
    expect(must(el, 'schedule-title').textContent).to.equal('调整协商安排');
    expect(must<HTMLInputElement>(el, 'schedule-place').value).to.equal('3号楼前小广场');
    expect(text(el)).to.contain('小区院落协商');
    await expectAccessible(el, 'scheduled');
    await act(el, 'start', () => stateOf(s, id) === 'meeting.inSession.briefing', 'briefing');

    // The agenda (情况通报 → 协商建言 → 居民互动 → 部门回应).
    expect(text(el)).to.contain('当前环节：情况通报');
    expect(root(el).querySelector('[aria-current=step]')!.textContent).to.contain('情况通报');
    expect(must(el, 'advance-submit').textContent!.trim()).to.equal('下一环节：协商建言');
    await expectAccessible(el, 'in session');
    for (const [next, after] of [
      ['协商建言', 'deliberation'],
      ['居民互动', 'interaction'],
      ['部门回应', 'response'],
    ] as const) {
      expect(must(el, 'advance-submit').textContent!.trim()).to.equal(`下一环节：${next}`);
      await act(el, 'advance', () => stateOf(s, id) === `meeting.inSession.${after}`, after);
    }
    expect($(el, 'advance-submit'), 'no next stage after 部门回应').to.equal(null);

    // The record (记录成果): the five haves and two measures.
    expect(sections(el)).to.deep.equal(['session', 'record']);
    expect(must<HTMLInputElement>(el, 'record-topic').value).to.equal('3号楼加装电梯');
    expect(must<HTMLInputElement>(el, 'record-place').value).to.equal('3号楼前小广场');
    expect(must<HTMLInputElement>(el, 'record-time').value).to.equal('2026-06-01T19:30');
    const measureField = (name: string) => [...root(el).querySelectorAll<HTMLElement>(`[id^=record-measure-][id$=-${name}]`)];
    await fill(el, measureField('text')[0]!.id, '申请加装电梯补贴，委托有资质的单位设计施工方案');
    await fill(el, measureField('party')[0]!.id, 'housing-bureau');
    await click(el, 'record-measure-add');
    await fill(el, measureField('text')[1]!.id, '为低楼层住户协调采光补偿');
    await fill(el, measureField('party')[1]!.id, '$other');
    await fill(el, measureField('other')[0]!.id, '3号楼业主代表');
    await fill(el, measureField('due')[1]!.id, '2026-09-30');
    await fill(el, 'record-effect', '24户中22户签字同意，两户的采光顾虑有了补偿办法。');
    await click(el, 'record-consensus-full');
    await expectAccessible(el, 'record, filled');
    await act(el, 'record', () => stateOf(s, id) === 'handling', 'handling');
    const measures = s.topics.get(id)!.context.measures;
    expect(measures.map((m) => [m.text, m.party, m.status])).to.deep.equal([
      ['申请加装电梯补贴，委托有资质的单位设计施工方案', 'housing-bureau', 'proposed'],
      ['为低楼层住户协调采光补偿', '3号楼业主代表', 'proposed'],
    ]);
    expect(measures[1]!.due).to.equal('2026-09-30');

    // Handling (成果办理) by the department: adopt one, decline the other with a reason, implement.
    el.setAttribute('user-role', 'department');
    el.setAttribute('user-id', 'd1');
    await el.updateComplete;
    expect(sections(el)).to.deep.equal(['handling', 'feedback']);
    expect(text(el)).to.contain('区住房和城乡建设局');
    expect(text(el)).to.contain('所有措施落实或不予采纳后，才能发布反馈。');
    await expectAccessible(el, 'handling, department');
    await act(el, 'adopt-m0', () => s.topics.get(id)!.context.measures[0]!.status === 'adopted', 'adopted');
    expect(active(el)?.id, 'focus goes to the measure').to.equal('m0-title');
    const declined = await refusedAt(el, 'decline-m1');
    expect(declined.textContent).to.contain('请填写理由');
    await fill(el, 'decline-m1-reason', `采光补偿由业主自行协商 ${XSS}`);
    await act(el, 'decline-m1', () => s.topics.get(id)!.context.measures[1]!.status === 'declined', 'declined');
    await fill(el, 'progress-m0-note', '补贴申请已提交区住建局。');
    await act(el, 'progress-m0', () => s.topics.get(id)!.context.measures[0]!.status === 'inProgress', 'in progress');
    await fill(el, 'implement-m0-result', '电梯已完成安装并通过验收。');
    await act(el, 'implement-m0', () => s.topics.get(id)!.context.measures[0]!.status === 'implemented', 'implemented');
    expect(root(el).querySelector('img'), 'a typed reason is text').to.equal(null);
    expect(text(el)).to.contain(XSS);
    expect(window.__pwned).to.equal(undefined);
    expect(text(el)).to.contain('已落实');
    await expectAccessible(el, 'handling settled');

    // Feedback (反馈) by the convener.
    el.setAttribute('user-role', 'convener');
    el.setAttribute('user-id', 'c1');
    await el.updateComplete;
    await fill(el, 'feedback-text', '电梯已装好并验收；低楼层采光补偿由业主之间自行协商，社区会继续帮助沟通。');
    await act(el, 'feedback', () => stateOf(s, id) === 'evaluation', 'evaluation');
    expect(sections(el)).to.deep.equal(['close']);
    expect(text(el)).to.contain('目前还没有人评价。');
    expect(text(el)).to.contain('须有 5 人评价');

    // Residents rate (满意度评价) with the config's scale and labels, each once.
    el.setAttribute('user-role', 'resident');
    await el.updateComplete;
    expect(sections(el)).to.deep.equal(['rating']);
    expect(text(el)).to.contain('电梯已装好并验收');
    const labels = [...must(el, 'rating-stars').shadowRoot!.querySelectorAll('label')].map((l) => l.textContent!.trim());
    expect(labels).to.deep.equal(['非常不满意', '不满意', '一般', '满意', '非常满意']);
    await rateAs(el, s, id, 'r1', 5, '终于不用爬楼了');
    expect(text(el)).to.contain('您已评价：5 星（满分 5 星）。谢谢！');
    await expectAccessible(el, 'rated');
    const refusedRating = await (async () => {
      el.setAttribute('user-id', 'portal:r2');
      await el.updateComplete;
      return refusedAt(el, 'rating');
    })();
    expect(refusedRating.textContent).to.contain('请选择满意程度');
    await expectAccessible(el, 'rating, no star chosen');
    await rateAs(el, s, id, 'r2', 4);
    await rateAs(el, s, id, 'r3', 4);
    await rateAs(el, s, id, 'r4', 3);
    await rateAs(el, s, id, 'r5', 5);
    expect(s.topics.get(id)!.context.evaluations[0]!.ratings.map((r) => [r.by.id, r.stars])).to.deep.equal([
      ['portal:r1', 5],
      ['portal:r2', 4],
      ['portal:r3', 4],
      ['portal:r4', 3],
      ['portal:r5', 5],
    ]);

    // The convener closes the evaluation (结束评价), told what will happen.
    el.setAttribute('user-role', 'convener');
    el.setAttribute('user-id', 'c1');
    await el.updateComplete;
    expect(text(el)).to.contain('目前 5 人评价，平均 4.2 分（满分 5 分）。');
    expect(text(el)).to.contain('不低于 3 分：现在结束评价，议题即办结。');
    await expectAccessible(el, 'close');
    await act(el, 'close', () => stateOf(s, id) === 'closed', 'closed');
    expect(text(el)).to.contain('此议题已结束');
    expect(sections(el)).to.deep.equal([]);

    // Everything is in the log (the timeline's source), each with who and when.
    const types = s.log.filter((e) => e.topicId === id).map((e) => e.event.type);
    expect(types.slice(0, 9)).to.deep.equal([
      'topic.submit',
      'screening.accept',
      'research.complete',
      'meeting.schedule',
      'meeting.start',
      'meeting.advance',
      'meeting.advance',
      'meeting.advance',
      'meeting.record',
    ]);
    expect(types.at(-1)).to.equal('evaluation.close');
    expect(actions).to.have.length(types.length - 1);
  });
});

// ── Screening ───────────────────────────────────────────────────────────────────────────────

describe('<consult-staff-actions>: screening', () => {
  it('rejects with a reason (required), typed text stays text', async () => {
    const s = await store('wuxi-community');
    const id = await wuxiTopic(s, XSS);
    const el = await mount(s, id);
    expect(root(el).querySelector('img')).to.equal(null);
    const summary = await refusedAt(el, 'reject');
    expect(summary.querySelector('a')!.textContent).to.equal('请填写理由');
    expect(must(el, 'reject-reason').getAttribute('aria-invalid')).to.equal('true');
    expect(must(el, 'reject-reason').getAttribute('aria-describedby')).to.equal('reject-reason-hint reject-reason-error');
    await expectAccessible(el, 'reject, error');
    summary.querySelector('a')!.click();
    expect(active(el)?.id).to.equal('reject-reason');
    await fill(el, 'reject-reason', `属个人纠纷 ${XSS}`);
    await act(el, 'reject', () => stateOf(s, id) === 'rejected', 'rejected');
    expect(s.topics.get(id)!.context.screening!.reason).to.equal(`属个人纠纷 ${XSS}`);
    expect(text(el)).to.contain(`不予受理。理由：属个人纠纷 ${XSS}`);
    expect(root(el).querySelector('img')).to.equal(null);
    expect(window.__pwned).to.equal(undefined);
    expect(text(el)).to.contain('此议题已结束');
    await expectAccessible(el, 'rejected');
  });

  it('a meeting scheduled for a later day cannot be started yet: the convener is told when it is and to reschedule; rescheduled to now, it starts', async () => {
    const s = await store('wuxi-community');
    const id = await wuxiTopic(s);
    await toScheduled(s, id, new Date(Date.now() + 3 * 86_400_000).toISOString());
    const el = await mount(s, id);
    const refusals: CustomEvent[] = [];
    el.addEventListener('consult-refused', (e) => refusals.push(e));
    const summary = await refusedAt(el, 'start');
    expect(summary.textContent).to.contain('现在还不能开始').and.contain('请先调整协商安排');
    expect(refusals[0]!.detail.refusal.code).to.equal('meeting-not-yet');
    expect(stateOf(s, id)).to.equal('meeting.scheduled');
    await expectAccessible(el, 'start refused');

    await append(s, id, { ...WUXI_MEETING, start: new Date().toISOString() });
    await act(el, 'start', () => stateOf(s, id) === 'meeting.inSession.briefing', 'briefing');
  });

  it('Sichuan: an out-of-scope matter is refused acceptance with the machine’s reason and redirected to its channel', async () => {
    const s = await store('sichuan-courtyard');
    const id = await sichuanTopic(s, 'personal', '和邻居的宅基地纠纷');
    const el = await mount(s, id);
    expect(sections(el)).to.deep.equal(['accept', 'reject', 'redirect', 'escalate']);
    expect(text(el)).to.contain('此事可能属于“信访”，建议转办。');
    // The claiming channel is already chosen, with its description and link.
    expect(must<HTMLSelectElement>(el, 'redirect-channel').value).to.equal('petition');
    expect(must(el, 'redirect-channel-more').textContent).to.contain('个人诉求和投诉不在院坝里协商');
    expect(must<HTMLAnchorElement>(el, 'redirect-channel-more').querySelector('a')!.href).to.equal('https://www.gjxfj.gov.cn/');
    await expectAccessible(el, 'sichuan screening');

    const refusals: CustomEvent[] = [];
    el.addEventListener('consult-refused', (e) => refusals.push(e));
    const summary = await refusedAt(el, 'accept');
    expect(summary.textContent).to.contain('此事属于“信访”，应当转办，不能进入协商。');
    expect(refusals[0]!.detail.refusal.code).to.equal('out-of-scope');
    expect(stateOf(s, id)).to.equal('screening');
    await expectAccessible(el, 'accept refused');

    await fill(el, 'redirect-channel', 'legal-aid');
    expect(must(el, 'redirect-channel-more').textContent).to.contain('拨打 12348');
    await fill(el, 'redirect-channel', 'petition');
    await fill(el, 'redirect-reason', '请到镇信访办反映');
    await act(el, 'redirect', () => stateOf(s, id) === 'redirected', 'redirected');
    expect(s.topics.get(id)!.context.screening).to.include({ channel: 'petition', reason: '请到镇信访办反映' });
    expect(text(el)).to.contain('已转至：信访');
  });

  it('escalates to a configured higher level; only levels above the current one are offered', async () => {
    const s = await store('wuxi-community');
    const id = await wuxiTopic(s);
    const el = await mount(s, id);
    const options = () => [...must<HTMLSelectElement>(el, 'escalate-level').options].map((o) => o.value);
    expect(options()).to.deep.equal(['', 'street', 'district']);
    expect(must(el, 'escalate-level-hint').textContent).to.contain('议题目前在社区一级');
    const summary = await refusedAt(el, 'escalate');
    expect(summary.textContent).to.contain('请选择比当前更高的层级');
    await fill(el, 'escalate-level', 'street');
    await act(el, 'escalate', () => s.topics.get(id)!.context.level === 'street', 'street level');
    expect(stateOf(s, id)).to.equal('screening');
    expect(options()).to.deep.equal(['', 'district']);
    expect(must(el, 'escalate-level-hint').textContent).to.contain('议题目前在街道一级');
  });

  it('a department sees no screening actions; a resident sees nothing to do before the evaluation', async () => {
    const s = await store('wuxi-community');
    const id = await wuxiTopic(s);
    const el = await mount(s, id, { 'user-role': 'department', 'user-id': 'd1' });
    expect(sections(el)).to.deep.equal([]);
    expect(root(el).querySelector('form')).to.equal(null);
    expect(text(el)).to.contain('此议题目前没有需要您办理的事项。');
    await expectAccessible(el, 'department in screening');
    el.setAttribute('user-role', 'resident');
    await el.updateComplete;
    expect(sections(el)).to.deep.equal([]);
    expect(text(el)).to.contain('此议题目前没有需要您办理的事项。');
  });
});

// ── The record and its error summary ───────────────────────────────────────────────────────

describe('<consult-staff-actions>: the meeting record', () => {
  it('a record without a required five-haves field shows the error summary and keeps what was typed', async () => {
    const s = await store('wuxi-community');
    const id = await wuxiTopic(s);
    await toResponse(s, id);
    const el = await mount(s, id);
    const text0 = root(el).querySelector<HTMLTextAreaElement>('[id^=record-measure-][id$=-text]')!;

    // Every missing have at once, in the order of the page, each linked to its field.
    await fill(el, 'record-place', '');
    const all = await refusedAt(el, 'record');
    expect([...all.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')])).to.deep.equal([
      ['请填写协商地点', '#record-place'],
      ['请至少填写一项措施；未达成共识的，请选择“未达成共识”', `#${text0.id}`],
      ['请填写协商效果', '#record-effect'],
      ['请选择是否达成共识', '#record-consensus'],
    ]);
    await expectAccessible(el, 'record, four errors');
    all.querySelectorAll('a')[3]!.click();
    expect(active(el)?.id, 'the first radio of the group').to.equal('record-consensus-full');
    await fill(el, 'record-place', '幸福里社区议事室');

    await fill(el, text0.id, '成立加装电梯工作小组');
    await fill(el, text0.id.replace(/-text$/, '-party'), 'residents-committee');
    await fill(el, 'record-topic', '3号楼加装电梯（第一次协商）');
    await click(el, 'record-consensus-partial');
    const summary = await refusedAt(el, 'record');
    expect(summary.querySelector('h4')!.textContent).to.equal('有需要修改的地方');
    const link = summary.querySelector('a')!;
    expect(link.textContent).to.equal('请填写协商效果');
    expect(link.getAttribute('href')).to.equal('#record-effect');
    expect(must(el, 'record-effect-error').textContent).to.contain('请填写协商效果');
    expect(stateOf(s, id)).to.equal('meeting.inSession.response');
    // Nothing typed is cleared.
    expect(must<HTMLTextAreaElement>(el, text0.id).value).to.equal('成立加装电梯工作小组');
    expect(must<HTMLInputElement>(el, 'record-topic').value).to.equal('3号楼加装电梯（第一次协商）');
    expect(must<HTMLInputElement>(el, 'record-consensus-partial').checked).to.equal(true);
    await expectAccessible(el, 'record, error');
    link.click();
    expect(active(el)?.id).to.equal('record-effect');

    // A measure without its party is the machine's invalid-measure, at that row.
    await fill(el, 'record-effect', '形成初步方案。');
    await fill(el, text0.id.replace(/-text$/, '-party'), '');
    const again = await refusedAt(el, 'record');
    expect(again.textContent).to.contain('请填写措施 1 的内容和责任方');
    expect(again.querySelector('a')!.getAttribute('href')).to.equal(`#${text0.id.replace(/-text$/, '-party')}`);
    await fill(el, text0.id.replace(/-text$/, '-party'), 'residents-committee');
    await act(el, 'record', () => stateOf(s, id) === 'handling', 'handling');
    expect(s.topics.get(id)!.context.meetings[0]!.record).to.include({ consensus: 'partial', topic: '3号楼加装电梯（第一次协商）' });
  });

  it('no consensus sends the topic to another round', async () => {
    const s = await store('wuxi-community');
    const id = await wuxiTopic(s);
    await toResponse(s, id);
    const el = await mount(s, id);
    await fill(el, 'record-effect', '双方意见分歧较大，约定下次再议。');
    await click(el, 'record-consensus-none');
    await act(el, 'record', () => stateOf(s, id) === 'meeting.planning', 'another round');
    expect(sections(el)).to.deep.equal(['schedule']);
    expect(must(el, 'schedule-title').textContent).to.equal('安排协商');
  });
});

describe('<consult-staff-actions>: inside a workflow', () => {
  it('takes the store from storeContext and follows it', async () => {
    const s = await store('wuxi-community');
    const id = await wuxiTopic(s);
    const provider = document.createElement('div');
    new ContextProvider(provider, { context: storeContext, initialValue: s });
    document.body.append(provider);
    const el = document.createElement('consult-staff-actions');
    el.setAttribute('topic', id);
    el.setAttribute('user-role', 'admin');
    provider.append(el);
    await el.updateComplete;
    expect(sections(el)).to.deep.equal(['accept', 'reject', 'redirect', 'escalate']);
    await append(s, id, { type: 'screening.accept' }); // someone else, elsewhere
    await waitFor(() => sections(el).join() === 'research', 'the new state');
  });
});

// ── Who sees what ───────────────────────────────────────────────────────────────────────────

describe('<consult-staff-actions>: residents', () => {
  it('in evaluation a resident sees only the rating; the convener sees the close form and what it will do', async () => {
    const s = await store('sichuan-courtyard');
    const id = await sichuanTopic(s, 'public');
    await append(s, id, { type: 'screening.accept' });
    await append(s, id, {
      type: 'meeting.schedule',
      format: 'courtyard',
      start: '2026-06-01T11:30:00.000Z',
      place: '村口大树下',
      conveners: [
        { name: '村支书', role: 'convener' },
        { name: '县政协委员', role: 'member' },
      ],
      participants: [],
    });
    await append(s, id, { type: 'meeting.start' });
    for (let i = 0; i < 3; i += 1) await append(s, id, { type: 'meeting.advance' });
    await append(s, id, {
      type: 'meeting.record',
      time: '2026-06-01T11:30:00.000Z',
      place: '村口大树下',
      topic: '组上机耕道硬化',
      measures: [{ text: '硬化机耕道800米', party: 'town-government' }],
      effect: '全组同意投工投劳',
      consensus: 'full',
    });
    await append(s, id, { type: 'measure.adopt', measureId: 'm1-1' });
    await append(s, id, { type: 'measure.implement', measureId: 'm1-1', result: '已硬化完工' });
    await append(s, id, { type: 'feedback.publish', text: '机耕道已硬化完工，张榜公示。' });
    const el = await mount(s, id, { 'user-role': 'resident', 'user-id': 'portal:v1' });
    expect(sections(el)).to.deep.equal(['rating']);
    expect(must(el, 'rating-title').textContent).to.equal('满意度评价');
    const labels = [...must(el, 'rating-stars').shadowRoot!.querySelectorAll('label')].map((l) => l.textContent!.trim());
    expect(labels).to.deep.equal(['不满意', '基本满意', '满意']);
    await expectAccessible(el, 'resident rating');
    await rateAs(el, s, id, 'v1', 1, '路面太窄');
    await rateAs(el, s, id, 'v2', 2);
    expect(s.topics.get(id)!.context.evaluations[0]!.ratings[0]).to.include({ stars: 1, comment: '路面太窄' });

    el.setAttribute('user-role', 'convener');
    el.setAttribute('user-id', 'c1');
    await el.updateComplete;
    expect(sections(el)).to.deep.equal(['close']);
    expect(text(el)).to.contain('目前 2 人评价，平均 1.5 分（满分 3 分）。');
    expect(text(el)).to.contain('低于 2 分：现在结束评价，措施将重新办理。');
    // Sichuan needs three ratings before the window ends: the machine refuses, with its reason.
    const summary = await refusedAt(el, 'close');
    expect(summary.textContent).to.contain('须有 3 人评价');
    expect(stateOf(s, id)).to.equal('evaluation');
  });
});

// ── Saved here, sent later ──────────────────────────────────────────────────────────────────

describe('<consult-staff-actions>: offline', () => {
  it('says the action is saved on this device and will be sent only while the server cannot be reached', async () => {
    const unreachable: Transport = {
      kind: 'http',
      send: async () => ({ kind: 'retry', error: 'Network: Failed to fetch', hold: 'unreachable' }),
      pull: async () => ({ entries: [], cursor: '', more: false }),
    };
    const s = await store('wuxi-community', unreachable);
    const id = await wuxiTopic(s);
    await waitFor(() => s.status.hold?.reason === 'unreachable', 'the first send to fail');
    const el = await mount(s, id);
    await act(el, 'accept', () => stateOf(s, id) === 'research', 'research');
    expect(s.status.pending).to.be.greaterThan(0);
    await waitFor(() => announced(el) !== '', 'the live message');
    expect(announced(el)).to.equal('已记录：受理。 已保存在本机，联网后会自动发送。');
  });

  it('online, it says only that the action was recorded: no "saved on this device" while it is being sent', async () => {
    const slow: Transport = {
      kind: 'http',
      // The server has not answered yet when the message is read.
      send: () => new Promise(() => undefined),
      pull: async () => ({ entries: [], cursor: '', more: false }),
    };
    const s = await store('wuxi-community', slow);
    const id = await wuxiTopic(s);
    const el = await mount(s, id);
    await act(el, 'accept', () => stateOf(s, id) === 'research', 'research');
    expect(s.status.pending).to.be.greaterThan(0, 'not confirmed yet');
    await waitFor(() => announced(el) !== '', 'the live message');
    expect(announced(el)).to.equal('已记录：受理。');
  });

  it('sends the signed-in official’s name as by.name, and names who accepted the topic (zh-CN, en)', async () => {
    const s = await store('wuxi-community');
    const id = await wuxiTopic(s);
    const el = await mount(s, id, { 'user-id': 'c-demo-01', 'user-name': '张丽华' });
    await act(el, 'accept', () => stateOf(s, id) === 'research', 'research');
    const accepted = s.log.find((e) => e.event.type === 'screening.accept')!;
    expect(accepted.by).to.deep.equal({ role: 'convener', id: 'c-demo-01', name: '张丽华' });
    await el.updateComplete;
    const decided = () => root(el).querySelector('[part="decided"]')?.textContent?.replace(/\s+/g, ' ').trim();
    expect(decided()).to.equal('张丽华（召集人）受理', 'the desk names who accepted it');
    el.setAttribute('lang', 'en');
    await waitFor(() => decided() === 'Accepted by 张丽华 (Convener)', 'the English words');
  });
});

// ── Keyboard ────────────────────────────────────────────────────────────────────────────────

describe('<consult-staff-actions>: the keyboard alone', () => {
  it('screening: escalate with the arrow keys, then accept, with Tab and Enter only', async () => {
    const s = await store('wuxi-community');
    const id = await wuxiTopic(s);
    const el = await mount(s, id);
    startButton().focus();
    await tabTo(el, 'escalate-level');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(must<HTMLSelectElement>(el, 'escalate-level').value).to.equal('street');
    await tabTo(el, 'escalate-submit');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => s.topics.get(id)!.context.level === 'street', 'escalated');
    await el.updateComplete;
    await tabTo(el, 'accept-submit', { back: true });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => stateOf(s, id) === 'research', 'research');
    await el.updateComplete;
    expect(active(el)?.id, 'focus lands on the heading').to.equal('staff-title');
    await sendKeys({ press: 'Tab' });
    expect(active(el)?.id).to.equal('research-findings');
  });

  it('recording: measures, effect and consensus with Tab, typing, arrow keys, Space and Enter only', async () => {
    const s = await store('wuxi-community');
    const id = await wuxiTopic(s);
    await toResponse(s, id);
    const el = await mount(s, id);
    startButton().focus();
    const textId = root(el).querySelector('[id^=record-measure-][id$=-text]')!.id;
    await tabTo(el, textId);
    await sendKeys({ type: '成立加装电梯工作小组' });
    await tabTo(el, textId.replace(/-text$/, '-party'));
    await sendKeys({ press: 'ArrowDown' }); // the first party: 社区居民委员会
    await tabTo(el, 'record-measure-add');
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    const second = [...root(el).querySelectorAll('[id^=record-measure-][id$=-text]')][1]!;
    expect(active(el)).to.equal(second);
    await sendKeys({ type: '物业配合施工' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' }); // 街道办事处
    await tabTo(el, 'record-effect');
    await sendKeys({ type: '大多数住户同意，成立工作小组推进。' });
    await tabTo(el, 'record-consensus-full');
    await sendKeys({ press: 'ArrowDown' }); // arrows move and choose within the group: partial
    expect(must<HTMLInputElement>(el, 'record-consensus-partial').checked).to.equal(true);
    await sendKeys({ press: 'ArrowUp' });
    expect(must<HTMLInputElement>(el, 'record-consensus-full').checked).to.equal(true);
    await tabTo(el, 'record-submit');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => stateOf(s, id) === 'handling', 'handling');
    expect(s.topics.get(id)!.context.measures.map((m) => [m.text, m.party])).to.deep.equal([
      ['成立加装电梯工作小组', 'residents-committee'],
      ['物业配合施工', 'street-office'],
    ]);
  });
});

// ── Languages ───────────────────────────────────────────────────────────────────────────────

describe('<consult-staff-actions>: languages', () => {
  it('shows zh-CN and en labels, the city’s words from the config', async () => {
    const s = await store('sichuan-courtyard');
    const id = await sichuanTopic(s, 'public');
    const el = await mount(s, id, { lang: 'en' });
    expect(must(el, 'staff-title').textContent).to.equal('What you can do now');
    expect(must(el, 'accept-title').textContent).to.equal('Accept');
    expect(must(el, 'reject-submit').textContent!.trim()).to.equal('Reject the topic');
    expect(text(el)).to.contain('Current stage: Screening');
    expect([...must<HTMLSelectElement>(el, 'redirect-channel').options].map((o) => o.textContent)).to.include('Petitions (信访)');
    expect(must(el, 'escalate-level-hint').textContent).to.contain('at the village level');
    expect(root(el).querySelector('.base')!.getAttribute('lang')).to.equal('en');
    await expectAccessible(el, 'en');
    const summary = await refusedAt(el, 'reject');
    expect(summary.textContent).to.contain('Enter a reason');

    el.setAttribute('lang', 'zh-CN');
    await waitFor(() => must(el, 'staff-title').textContent === '可以办理的事项', 'zh-CN');
    expect(must(el, 'accept-title').textContent).to.equal('受理');
    expect(must(el, 'reject-submit').textContent!.trim()).to.equal('不予受理');
    expect(text(el)).to.contain('当前阶段：筛选议题');
    expect(must(el, 'reject-errors').textContent).to.contain('请填写理由');
  });

  it('large text enlarges text and targets and stays accessible', async () => {
    const s = await store('wuxi-community');
    const id = await wuxiTopic(s);
    const el = await mount(s, id, { 'large-text': '' });
    expect(parseFloat(getComputedStyle(must(el, 'reject-reason')).fontSize)).to.be.greaterThan(16);
    for (const target of root(el).querySelectorAll<HTMLElement>('button, input, select, textarea')) {
      const box = target.getBoundingClientRect();
      expect(box.width >= 24 && box.height >= 24, `${target.id} is ${box.width}×${box.height}`).to.equal(true);
    }
    await expectAccessible(el, 'large text');
  });

  it('names the agenda stages with the city’s labels in both languages', async () => {
    const s = await store('sichuan-courtyard');
    const id = await sichuanTopic(s, 'public');
    await append(s, id, { type: 'screening.accept' });
    await append(s, id, {
      type: 'meeting.schedule',
      format: 'big-tree',
      start: '2026-06-01T11:30:00.000Z',
      place: '村口大树下',
      conveners: [
        { name: '村支书', role: 'convener' },
        { name: '县政协委员', role: 'member' },
      ],
      participants: [{ name: '村民代表', role: 'representative' }],
    });
    await append(s, id, { type: 'meeting.start' });
    const el = await mount(s, id);
    expect(must(el, 'advance-submit').textContent!.trim()).to.equal('下一环节：大家议');
    expect(text(el)).to.contain('当前环节：摆情况');
    el.setAttribute('lang', 'en');
    await waitFor(() => must(el, 'advance-submit').textContent!.trim() === 'Next stage: Deliberation', 'English');
    expect(text(el)).to.contain("Villagers' interaction");
  });
});

// ── What the form collected (personal data for the roles allowed to see it) ─────────────────

describe('<consult-staff-actions>: what the intake form collected', () => {
  const squash = (node: Element) => node.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const answers = (el: ConsultStaffActions) =>
    Object.fromEntries(
      [...root(el).querySelectorAll<HTMLElement>('[part=intake] .answer')].map((a) => [a.dataset.field!, squash(a.querySelector('dd')!)]),
    );
  const labels = (el: ConsultStaffActions) => [...root(el).querySelectorAll('[part=intake] dt')].map((d) => squash(d));

  async function submitted(s: ConsultStore, values: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
    const id = `p${(seq += 1)}`;
    await append(s, id, {
      type: 'topic.submit',
      values: { title: '小区门口路灯坏了', description: '小区门口的路灯坏了一个多月，晚上老人出门很不方便，希望尽快修好。', category: 'other', consent: true, ...values },
      source: 'resident',
      by: { role: 'resident', id: 'r-p', name: '王阿姨' },
      ...extra,
    });
    return id;
  }

  it('shows a convener every answer by its configured label: phone, location, the wish to be contacted, the name', async () => {
    const s = await store('wuxi-community');
    const id = await submitted(s, { name: '王阿姨', contactWanted: 'yes', phone: '13800001111', location: '幸福里3号楼门口', households: 40 });
    const el = await mount(s, id);
    expect(labels(el)).to.include.members(['提出人', '具体情况', '议题类别', '地点', '现场照片', '涉及户数', '姓名', '是否需要我们与您联系？', '手机号码']);
    expect(answers(el)).to.include({
      'by.name': '王阿姨',
      category: '其他',
      location: '幸福里3号楼门口',
      photos: '未填写',
      households: '40',
      name: '王阿姨',
      contactWanted: '需要，请电话联系我',
      phone: '13800001111',
      consent: '是',
    });
    expect(squash(root(el).querySelector('[part=intake]')!)).not.to.include('已隐去');
    await expectAccessible(el);
  });

  it('says "withheld" for what the server withheld from this role (the redaction marker), never "[object Object]"', async () => {
    const s = await store('wuxi-community');
    const marker = { redacted: true };
    const id = await submitted(s, { name: marker, contactWanted: 'yes', phone: marker, location: marker });
    const el = await mount(s, id, { lang: 'en' });
    expect(answers(el)).to.include({ name: 'Withheld', phone: 'Withheld', location: 'Withheld', contactWanted: 'Yes, please phone me', category: 'Other' });
    const all = squash(root(el).querySelector('[part=intake]')!);
    expect(all).not.to.include('[object');
    expect(all).to.include('shown only to the staff roles allowed to see personal data');
    await expectAccessible(el);
  });

  it('an anonymous topic says so, and a resident does not get this view', async () => {
    // Sichuan's programme takes anonymous topics.
    const s = await store('sichuan-courtyard');
    const id = `p${(seq += 1)}`;
    await append(s, id, { type: 'topic.submit', values: { title: '组上机耕道硬化', matterKind: 'public' }, source: 'resident', anonymous: true, by: { role: 'resident' } });
    const el = await mount(s, id);
    expect(squash(root(el).querySelector('[part=intake]')!)).to.include('匿名提出：没有保存任何能识别提出人的信息。');
    expect(answers(el)).not.to.have.property('by.name');

    const resident = await mount(s, id, { 'user-role': 'resident', 'user-id': 'r9' });
    expect(root(resident).querySelector('[part=intake]')).to.equal(null);
  });
});
