/**
 * The closed loop end to end, through `<consult-workflow>` only, as people use it: in real
 * Chromium with real IndexedDB (the local transport, a fresh database per test).
 *
 * For each example config (Wuxi, Sichuan, Guangshui): a resident raises a topic with the embedded
 * intake form (every field by its label); a convener opens it from 议题列表, screens it, (has it
 * researched,) schedules and holds the meeting and records it with the five haves; a department
 * adopts one measure and implements it and declines another with a reason; feedback is published;
 * residents (each by their own id) rate; the convener closes. After each step the test reads what
 * a person reads in `<consult-meeting-timeline>`; at the end `<consult-outcome-tracker>` and
 * `<consult-programme-figures>`. Then the other paths: rejection with a reason, an out-of-scope
 * matter redirected (Sichuan), escalation, no consensus then a second round, a low rating that
 * reopens handling, and an overdue measure (Guangshui). axe on every major state in zh-CN, and
 * once in English.
 *
 * The Guangshui example sends to a city backend (`transport: http`, `/api`), which the test server
 * does not have; it is given as the `config` property with the local transport instead.
 */
import { expect } from '@esm-bundle/chai';
import '../all.js';
import type { ConsultWorkflow } from './workflow.component.js';
import { expectAccessible } from '../../test/a11y.js';
import {
  act,
  adopt,
  chooseView,
  currentStage,
  currentStageKey,
  decline,
  expandTimeline,
  figure,
  figuresOf,
  fill,
  holdMeeting,
  implement,
  intakeForm,
  listedTopics,
  meetingHeadings,
  meetingRecord,
  mountWorkflow,
  must,
  navLabels,
  openTopic,
  progress,
  rate,
  recordMeeting,
  refusedAt,
  schedule,
  sections,
  settle,
  signIn,
  squash,
  staffOf as staff,
  stageText,
  submitIntake,
  submitText,
  text,
  timelineMeasures,
  timelineOf as timeline,
  timelineText,
  trackerOf,
  trackerRows,
  waitFor,
} from '../../test/drive.js';

// ── Setting the scene ───────────────────────────────────────────────────────────────────────

type Example = 'wuxi-community' | 'sichuan-courtyard' | 'guangshui-frontline';

const dbName = (label: string) => `loop-${label}-${Math.random().toString(36).slice(2)}`;

/** `<consult-workflow>` for an example config, with a resident signed in. */
async function portal(example: Example, label: string): Promise<ConsultWorkflow> {
  const attrs = { 'db-name': dbName(label), 'user-role': 'resident', 'user-id': 'r-1' };
  if (example !== 'guangshui-frontline') return mountWorkflow({ ...attrs, config: `/examples/configs/${example}.json` });
  const raw = (await (await fetch(`/examples/configs/${example}.json`)).json()) as Record<string, unknown>;
  return mountWorkflow(attrs, { ...raw, transport: { type: 'local' } });
}

const pad = (n: number) => String(n).padStart(2, '0');
/** A calendar day `days` from today (local), as a date input takes it. */
function day(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The timeline's "当前阶段：…" once the timeline has caught up with the store. */
async function stageNow(wf: ConsultWorkflow): Promise<string> {
  await settle(wf);
  return currentStage(timeline(wf));
}

/** Waits until the timeline says the topic is at `stage` (the words after "当前阶段："). */
async function reaches(wf: ConsultWorkflow, stage: string): Promise<void> {
  await waitFor(() => currentStage(timeline(wf)) === `当前阶段：${stage}`, `the timeline to say 当前阶段：${stage} (it says ${currentStage(timeline(wf))})`);
  await settle(wf);
}

/**
 * Residents rate, each signed in by the host portal with their own verified id (portal:r-1,
 * portal:r-2…: community residents, whom every example config admits as raters); each is
 * thanked on the page.
 */
async function residentsRate(wf: ConsultWorkflow, stars: number[], scale: number, firstId = 1): Promise<void> {
  for (const [i, n] of stars.entries()) {
    const id = `portal:r-${firstId + i}`;
    await signIn(wf, 'resident', id);
    expect(sections(staff(wf)), id).to.deep.equal(['rating']);
    await rate(staff(wf), n);
    await waitFor(() => text(staff(wf)).includes(`您已评价：${n} 星（满分 ${scale} 星）。谢谢！`), `${id}'s thanks`);
  }
}

afterEach(() => document.body.replaceChildren());

// ── The whole loop, for each example ───────────────────────────────────────────────────────

describe('the whole loop through <consult-workflow>', () => {
  it('Wuxi (有事好商量): raised, screened, researched, met, recorded, handled, fed back, rated, closed', async function () {
    this.timeout(30_000);
    const wf = await portal('wuxi-community', 'wuxi');
    const title = '3号楼加装电梯';

    // A resident raises the topic (议题征集), two pages of the intake form.
    expect(navLabels(wf)).to.deep.equal(['我的议题', '提出议题', '议题列表', '协商成果公开', '统计数据']);
    await chooseView(wf, '提出议题');
    await expectAccessible(wf, 'intake');
    const submitted = await submitIntake(intakeForm(wf), {
      议题名称: title,
      具体情况: '三号楼住了很多老人，上下楼很难，希望社区组织大家商量加装电梯。',
      议题类别: '加装电梯',
      地点: '幸福里小区3号楼',
      涉及户数: '24',
      姓名: '王秀英',
      '是否需要我们与您联系？': '需要，请电话联系我',
      手机号码: '13800138000',
      '我已阅读隐私说明，同意社区居委会和政协委员联络室为协商议事使用以上信息': true,
    });
    expect(submitted.entry.event).to.deep.include({ type: 'topic.submit', source: 'resident', level: 'community' });
    expect(submitted.entry.by).to.deep.equal({ role: 'resident', id: 'r-1' });
    // Right after submitting, the resident sees it in "my topics", being screened.
    await waitFor(() => squash(wf.shadowRoot!.querySelector('consult-my-topics')?.shadowRoot?.textContent).includes(title), 'the topic in my topics');
    expect(wf.getAttribute('view')).to.equal('my-topics');

    // The resident follows it: nothing to do yet.
    await chooseView(wf, '议题列表');
    expect(listedTopics(wf)).to.deep.equal([`${title} 当前阶段：选题`]);
    await openTopic(wf, title);
    expect(await stageNow(wf)).to.equal('当前阶段：选题');
    expect(stageText(timeline(wf), 'intake')).to.contain('群众出题，提出人：居民');
    expect(text(staff(wf))).to.contain('此议题目前没有需要您办理的事项。');

    // A convener screens it (选题): accepted.
    await signIn(wf, 'convener', 'c-li');
    expect(navLabels(wf)).to.deep.equal(['议题列表', '成果办理', '统计数据', '提出议题', '协商成果公开']);
    await openTopic(wf, title);
    expect(sections(staff(wf))).to.deep.equal(['accept', 'reject', 'redirect', 'escalate']);
    await expectAccessible(wf, 'topic page in screening');
    await act(staff(wf), 'accept');
    await reaches(wf, '调查研究');
    expect(stageText(timeline(wf), 'screening')).to.contain('已受理');

    // Research (调查研究).
    await submitText(staff(wf), 'research', 'findings', '走访了三号楼全部24户，其中18户同意加装电梯，6户担心采光和费用，需要协商解决。');
    await reaches(wf, '协商议事 · 第 1 轮 · 筹备协商');
    expect(stageText(timeline(wf), 'research')).to.contain('调查研究已完成，调研人：召集人');

    // The meeting is scheduled (安排协商) and held through its agenda.
    await schedule(staff(wf), {
      format: 'courtyard',
      start: `${day(-1)}T19:30`, // held yesterday evening: a meeting may not start before its time
      place: '3号楼前小广场',
      conveners: ['李书记', '张委员'],
      participants: [
        { name: '王阿姨', role: 'representative' },
        { name: '区住建局刘科长', role: 'department' },
      ],
    });
    await reaches(wf, '协商议事 · 第 1 轮 · 已安排');
    expect(meetingHeadings(timeline(wf))).to.deep.equal(['第 1 轮 · 小区院落协商 · 已安排']);
    expect(stageText(timeline(wf), 'meeting')).to.contain('李书记、张委员');
    expect(stageText(timeline(wf), 'meeting')).to.contain('群众代表 · 王阿姨');
    await act(staff(wf), 'start');
    await reaches(wf, '协商议事 · 第 1 轮 · 情况通报');
    await holdMeeting(staff(wf));
    await reaches(wf, '协商议事 · 第 1 轮 · 部门回应');
    expect(sections(staff(wf))).to.deep.equal(['session', 'record']);
    await expectAccessible(wf, 'meeting recording');

    // The record, with the five haves (五个有).
    await recordMeeting(staff(wf), {
      measures: [
        { text: '申请加装电梯补贴，委托有资质的单位设计施工方案', party: 'housing-bureau', due: day(60) },
        { text: '为低楼层住户协调采光补偿', party: '3号楼业主代表' },
      ],
      effect: '24户中22户签字同意，两户的采光顾虑有了补偿办法。',
      consensus: 'full',
    });
    await reaches(wf, '成果转化');
    await expandTimeline(timeline(wf));
    const record = meetingRecord(timeline(wf), 1);
    expect(Object.keys(record)).to.deep.equal(['时间', '地点', '主题', '措施', '效果', '共识']);
    expect(record['时间'], 'the time of the meeting, from its arrangements').to.contain('19:30');
    expect(record).to.deep.include({ 地点: '3号楼前小广场', 主题: title, 效果: '24户中22户签字同意，两户的采光顾虑有了补偿办法。', 共识: '达成共识' });
    expect(record['措施']).to.contain('申请加装电梯补贴，委托有资质的单位设计施工方案 · 区住房和城乡建设局');
    expect(record['措施']).to.contain('为低楼层住户协调采光补偿 · 3号楼业主代表');
    expect(timelineMeasures(timeline(wf)).map((m) => [m.text, m.status])).to.deep.equal([
      ['申请加装电梯补贴，委托有资质的单位设计施工方案', '待采纳'],
      ['为低楼层住户协调采光补偿', '待采纳'],
    ]);

    // A department handles the measures (成果转化): adopts, reports progress, implements; declines one with a reason.
    await signIn(wf, 'department', 'd-housing');
    expect(navLabels(wf)).to.deep.equal(['议题列表', '成果办理', '统计数据', '协商成果公开']);
    expect(sections(staff(wf))).to.deep.equal(['handling', 'feedback']);
    await expectAccessible(wf, 'handling');
    await adopt(staff(wf), 0);
    await settle(wf);
    expect(timelineMeasures(timeline(wf))[0]!.status).to.equal('已采纳');
    await progress(staff(wf), 0, '补贴申请已提交区住建局。');
    await settle(wf);
    expect(timelineMeasures(timeline(wf))[0]).to.deep.include({ status: '办理中' });
    expect(timelineMeasures(timeline(wf))[0]!.facts['办理进展']).to.contain('补贴申请已提交区住建局。');
    await implement(staff(wf), 0, '电梯已完成安装并通过验收。');
    await decline(staff(wf), 1, '采光补偿由业主之间自行协商，社区协助沟通。');
    await settle(wf);
    const handled = timelineMeasures(timeline(wf));
    expect(handled.map((m) => m.status)).to.deep.equal(['已落实', '不予采纳']);
    expect(handled[0]!.facts['落实结果']).to.equal('电梯已完成安装并通过验收。');
    expect(handled[1]!.facts['不予采纳理由']).to.equal('采光补偿由业主之间自行协商，社区协助沟通。');
    expect(stageText(timeline(wf), 'handling')).to.contain('理由：采光补偿由业主之间自行协商，社区协助沟通。');
    expect(await stageNow(wf)).to.equal('当前阶段：结果反馈');

    // Feedback (结果反馈) by the convener.
    await signIn(wf, 'convener', 'c-li');
    await submitText(staff(wf), 'feedback', 'text', '电梯已装好并验收；低楼层采光补偿由业主之间自行协商，社区会继续帮助沟通。');
    await reaches(wf, '满意度评价');
    expect(timelineText(timeline(wf))).to.contain('满意度评价截止：');

    // Residents rate (满意度评价), each once.
    await signIn(wf, 'resident', 'r-1');
    await fill(staff(wf), 'rating-comment', '终于不用爬楼了');
    await expectAccessible(wf, 'evaluation');
    await rate(staff(wf), 5);
    await residentsRate(wf, [4, 4, 3, 5], 5, 2);
    await settle(wf);
    expect(stageText(timeline(wf), 'evaluation')).to.contain('5 星（满分 5 星） · 非常满意');
    expect(stageText(timeline(wf), 'evaluation')).to.contain('留言：终于不用爬楼了');

    // The convener closes the evaluation: 已办结.
    await signIn(wf, 'convener', 'c-li');
    expect(text(staff(wf))).to.contain('目前 5 人评价，平均 4.2 分（满分 5 分）。');
    await act(staff(wf), 'close');
    await reaches(wf, '已办结');
    expect(currentStageKey(timeline(wf))).to.equal('closed');
    expect(stageText(timeline(wf), 'closed')).to.contain('5 人评价，平均 4.2 分（满分 5 分）');
    expect(text(staff(wf))).to.contain('此议题已结束');
    await expectAccessible(wf, 'closed');

    // 成果办理: both measures with their statuses; 统计数据: one topic solved.
    await chooseView(wf, '成果办理');
    await settle(wf);
    const rows = trackerRows(trackerOf(wf));
    expect(rows.map((r) => [r.text, r.status])).to.have.deep.members([
      ['申请加装电梯补贴，委托有资质的单位设计施工方案', '已落实'],
      ['为低楼层住户协调采光补偿', '不予采纳'],
    ]);
    const declinedRow = rows.find((r) => r.status === '不予采纳')!;
    expect(declinedRow.note).to.equal('不予采纳理由：采光补偿由业主之间自行协商，社区协助沟通。');
    expect(declinedRow.facts['责任单位']).to.equal('3号楼业主代表');
    expect(rows.find((r) => r.status === '已落实')!.facts).to.deep.include({ 责任单位: '区住房和城乡建设局', 结果反馈: '已反馈' });
    await chooseView(wf, '统计数据');
    await settle(wf);
    expect(figure(figuresOf(wf), 'topicsSolved')).to.equal('1');
    expect(Number(figure(figuresOf(wf), 'meetingsHeld'))).to.be.at.least(1);
    expect(figure(figuresOf(wf), 'measuresImplemented')).to.equal('1');

    // The same, in English.
    wf.setAttribute('lang', 'en');
    await settle(wf);
    expect(navLabels(wf)).to.deep.equal(['Topics', 'Outcomes', 'Figures', 'Raise a topic', 'Outcomes board']);
    await openTopic(wf, title, 'Topics');
    expect(currentStage(timeline(wf))).to.equal('Current stage: Closed');
    await expectAccessible(wf, 'closed, en');
  });

  it('Sichuan (院坝小微协商): raised, screened, met in the courtyard, recorded, handled, posted, rated by villagers, closed', async function () {
    this.timeout(30_000);
    const wf = await portal('sichuan-courtyard', 'sichuan');
    const title = '二组进组路坑多';
    await raiseSichuan(wf, title, '村里、院子里大家的事');

    await signIn(wf, 'convener', 'c-cun');
    await openTopic(wf, title);
    expect(await stageNow(wf)).to.equal('当前阶段：筛选议题');
    await act(staff(wf), 'accept');
    await reaches(wf, '院坝协商 · 第 1 轮 · 筹备协商'); // no research step in Sichuan
    expect(stageText(timeline(wf), 'screening')).to.contain('已受理');
    await meet(wf, 'courtyard', '二组院坝');
    expect(meetingHeadings(timeline(wf))).to.deep.equal(['第 1 轮 · 坝坝会 · 协商进行中']);
    await reaches(wf, '院坝协商 · 第 1 轮 · 部门回应');
    await recordMeeting(staff(wf), {
      measures: [
        { text: '硬化进组路800米，村民投工投劳', party: 'villager-group', due: day(30) },
        { text: '申请镇上全额出资修路', party: 'town-government' },
      ],
      effect: '全组同意投工投劳，先修最烂的一段。',
      consensus: 'full',
    });
    await reaches(wf, '落实办理');
    await expandTimeline(timeline(wf));
    expect(meetingRecord(timeline(wf), 1)).to.deep.include({ 地点: '二组院坝', 主题: title, 效果: '全组同意投工投劳，先修最烂的一段。', 共识: '达成共识' });
    expect(meetingRecord(timeline(wf), 1)['措施']).to.contain('硬化进组路800米，村民投工投劳 · 村民小组');

    await signIn(wf, 'department', 'd-town');
    await adopt(staff(wf), 0);
    await implement(staff(wf), 0, '进组路已硬化完工。');
    await decline(staff(wf), 1, '镇上没有这笔预算，按一事一议由村民筹资筹劳。');
    await settle(wf);
    expect(timelineMeasures(timeline(wf)).map((m) => [m.status, m.facts['不予采纳理由'] ?? ''])).to.deep.equal([
      ['已落实', ''],
      ['不予采纳', '镇上没有这笔预算，按一事一议由村民筹资筹劳。'],
    ]);

    await signIn(wf, 'convener', 'c-cun');
    await submitText(staff(wf), 'feedback', 'text', '进组路已硬化完工，张榜公示。');
    await reaches(wf, '群众评议');
    await residentsRate(wf, [3, 3, 2], 3);
    await settle(wf);
    expect(stageText(timeline(wf), 'evaluation')).to.contain('3 星（满分 3 星） · 满意');
    expect(stageText(timeline(wf), 'evaluation')).to.contain('2 星（满分 3 星） · 基本满意');

    await signIn(wf, 'convener', 'c-cun');
    await act(staff(wf), 'close');
    await reaches(wf, '已办结');
    expect(stageText(timeline(wf), 'closed')).to.contain('3 人评价，平均 2.7 分（满分 3 分）');
    await expectOutcome(wf, [
      ['硬化进组路800米，村民投工投劳', '已落实'],
      ['申请镇上全额出资修路', '不予采纳'],
    ]);
  });

  it('Guangshui (协商在一线): researched first, a department past its deadline, ten residents rate, closed', async function () {
    this.timeout(30_000);
    const wf = await portal('guangshui-frontline', 'guangshui');
    const title = '东风小区老旧燃气管道改造';
    await chooseView(wf, '提出议题');
    await chooseView(wf, '提出议题');
  await submitIntake(intakeForm(wf), {
      议题名称: title,
      所属领域: '燃气供应',
      问题描述: '东风小区的燃气管道用了三十多年，锈蚀严重，去年冬天漏气两次，住户很担心安全。',
      问题所在位置: '东风小区1至6栋',
      姓名: '刘建国',
      手机号码: '13900001111',
      '我已阅读隐私说明，同意将以上信息用于议题办理和回复': true,
    });

    await signIn(wf, 'convener', 'c-wei');
    await openTopic(wf, title);
    expect(await stageNow(wf)).to.equal('当前阶段：选题论证');
    await act(staff(wf), 'accept');
    await reaches(wf, '调查研究');
    await submitText(
      staff(wf),
      'research',
      'findings',
      '走访了东风小区六栋楼全部一百二十户，查看了燃气管道和表箱，燃气公司检测发现三处严重锈蚀，九成住户同意改造并愿意配合入户施工。',
    );
    await reaches(wf, '一线协商 · 第 1 轮 · 筹备协商');
    await meet(wf, 'on-site', '东风小区3栋楼下');
    await recordMeeting(staff(wf), {
      measures: [
        // Its deadline has passed already: the department answers late.
        { text: '燃气公司更换小区主管道和入户立管', party: 'gas-company', due: day(-3) },
        { text: '由街道全额承担住户自费部分', party: 'street-office', due: day(30) },
      ],
      effect: '各方同意分栋施工，燃气公司先换主管道。',
      consensus: 'partial',
    });
    await reaches(wf, '跟踪问效');

    // The overdue measure: marked in the timeline, the tracker and the figures.
    expect(timelineText(timeline(wf))).to.contain('有 1 项措施已逾期。');
    const [late, onTime] = timelineMeasures(timeline(wf));
    expect(late!.overdue).to.match(/^已超期 \d+ 天$/);
    expect(onTime!.overdue).to.equal('');
    await chooseView(wf, '成果办理');
    await settle(wf);
    const tracked = trackerRows(trackerOf(wf));
    expect(tracked.find((r) => r.text === '燃气公司更换小区主管道和入户立管')!.overdue).to.match(/^已超期 \d+ 天$/);
    expect(tracked.find((r) => r.text === '由街道全额承担住户自费部分')!.overdue).to.equal('');
    await chooseView(wf, '统计数据');
    await settle(wf);
    expect(figure(figuresOf(wf), 'measuresOverdue')).to.equal('1');

    await signIn(wf, 'department', 'd-gas');
    await openTopic(wf, title);
    await adopt(staff(wf), 0);
    await implement(staff(wf), 0, '主管道和立管已全部更换，通气验收合格。');
    await decline(staff(wf), 1, '按规定住户自费部分不能由财政承担，可申请困难家庭补助。');
    await settle(wf);
    expect(timelineText(timeline(wf))).not.to.contain('已逾期');
    expect(timelineMeasures(timeline(wf)).map((m) => [m.status, m.overdue])).to.deep.equal([
      ['已落实', ''],
      ['不予采纳', ''],
    ]);

    await submitText(staff(wf), 'feedback', 'text', '主管道和入户立管已全部更换并通气验收；住户自费部分不能由财政承担，困难家庭可申请补助。');
    await reaches(wf, '满意度评价');
    await residentsRate(wf, [5, 5, 4, 4, 5, 4, 5, 4, 4, 5], 5);
    await signIn(wf, 'convener', 'c-wei');
    expect(text(staff(wf))).to.contain('目前 10 人评价，平均 4.5 分（满分 5 分）。');
    await act(staff(wf), 'close');
    await reaches(wf, '已办结');
    await expectOutcome(wf, [
      ['燃气公司更换小区主管道和入户立管', '已落实'],
      ['由街道全额承担住户自费部分', '不予采纳'],
    ]);
    expect(figure(figuresOf(wf), 'measuresOverdue')).to.equal('0');
  });
});

// ── The other paths ─────────────────────────────────────────────────────────────────────────

describe('the other paths through <consult-workflow>', () => {
  it('Wuxi: rejected with a reason, which the resident reads in the timeline', async () => {
    const wf = await portal('wuxi-community', 'reject');
    const title = '邻居装修噪音太大';
    await raiseWuxi(wf, title);
    await signIn(wf, 'convener', 'c-li');
    await openTopic(wf, title);
    const summary = await refusedAt(staff(wf), 'reject');
    expect(squash(summary.textContent)).to.contain('请填写理由');
    await submitText(staff(wf), 'reject', 'reason', '属于两户之间的邻里纠纷，请找社区人民调解委员会调解。');
    await reaches(wf, '不予受理');
    expect(text(staff(wf))).to.contain('不予受理。理由：属于两户之间的邻里纠纷，请找社区人民调解委员会调解。');

    await signIn(wf, 'resident', 'r-1');
    await chooseView(wf, '议题列表');
    expect(listedTopics(wf)).to.deep.equal([`${title} 当前阶段：不予受理`]);
    await openTopic(wf, title);
    expect(currentStage(timeline(wf))).to.equal('当前阶段：不予受理');
    expect(stageText(timeline(wf), 'rejected')).to.contain('不予受理：属于两户之间的邻里纠纷，请找社区人民调解委员会调解。');
    expect(timelineText(timeline(wf))).to.contain('理由：属于两户之间的邻里纠纷，请找社区人民调解委员会调解。');
  });

  it('Sichuan: an out-of-scope matter cannot be accepted (the machine says why) and is redirected to its channel', async () => {
    const wf = await portal('sichuan-courtyard', 'redirect');
    const title = '和邻居的宅基地纠纷';
    await raiseSichuan(wf, title, '我个人的诉求或投诉');
    await signIn(wf, 'convener', 'c-cun');
    await openTopic(wf, title);
    expect(text(staff(wf))).to.contain('此事可能属于“信访”，建议转办。');
    const summary = await refusedAt(staff(wf), 'accept');
    expect(squash(summary.textContent)).to.contain('此事属于“信访”，应当转办，不能进入协商。');
    expect(currentStage(timeline(wf))).to.equal('当前阶段：筛选议题');
    expect(must<HTMLSelectElement>(staff(wf), 'redirect-channel').value).to.equal('petition');
    await submitText(staff(wf), 'redirect', 'reason', '请到镇信访办反映。');
    await reaches(wf, '已转办');
    expect(stageText(timeline(wf), 'redirected')).to.contain('已转至信访');
    expect(timelineText(timeline(wf))).to.contain('理由：请到镇信访办反映。');
    expect(text(staff(wf))).to.contain('已转至：信访');
  });

  it('Wuxi: escalated from the community to the street level', async () => {
    const wf = await portal('wuxi-community', 'escalate');
    const title = '街道主干道路灯改造';
    await raiseWuxi(wf, title);
    await signIn(wf, 'convener', 'c-li');
    await openTopic(wf, title);
    expect(must(staff(wf), 'escalate-level-hint').textContent).to.contain('议题目前在社区一级');
    await fill(staff(wf), 'escalate-level', 'street');
    await fill(staff(wf), 'escalate-reason', '涉及三个社区，需要街道统筹。');
    await act(staff(wf), 'escalate');
    await waitFor(() => must(staff(wf), 'escalate-level-hint').textContent!.includes('议题目前在街道一级'), 'the street level');
    expect([...must<HTMLSelectElement>(staff(wf), 'escalate-level').options].map((o) => o.value)).to.deep.equal(['', 'district']);
    await settle(wf);
    expect(currentStage(timeline(wf))).to.equal('当前阶段：选题');
    expect(stageText(timeline(wf), 'screening')).to.contain('提级至街道一级');
    expect(stageText(timeline(wf), 'screening')).to.contain('理由：涉及三个社区，需要街道统筹。');
  });

  it('Sichuan: no consensus, then a second round that reaches one', async function () {
    this.timeout(20_000);
    const wf = await portal('sichuan-courtyard', 'rounds');
    const title = '三组堰塘清淤';
    await raiseSichuan(wf, title, '村里、院子里大家的事');
    await signIn(wf, 'convener', 'c-cun');
    await openTopic(wf, title);
    await act(staff(wf), 'accept');
    await meet(wf, 'big-tree', '村口大树下');
    await recordMeeting(staff(wf), { measures: [], effect: '上下游农户意见分歧大，约定下次再议。', consensus: 'none' });
    await reaches(wf, '院坝协商 · 第 2 轮 · 筹备协商');
    expect(meetingHeadings(timeline(wf))).to.deep.equal(['第 1 轮 · 大树下 · 未达成共识']);
    expect(sections(staff(wf))).to.deep.equal(['schedule']);

    await meet(wf, 'field-edge', '堰塘边');
    await reaches(wf, '院坝协商 · 第 2 轮 · 部门回应');
    await recordMeeting(staff(wf), {
      measures: [{ text: '冬闲时全组出工清淤，镇农业服务中心出挖机', party: 'agri-service-centre' }],
      effect: '上下游农户都同意按受益面积出工。',
      consensus: 'full',
    });
    await reaches(wf, '落实办理');
    await expandTimeline(timeline(wf));
    expect(meetingHeadings(timeline(wf))).to.deep.equal(['第 1 轮 · 大树下 · 未达成共识', '第 2 轮 · 田间地头 · 达成共识']);
    expect(meetingRecord(timeline(wf), 1)).to.deep.include({ 措施: '无', 共识: '未达成共识' });
    expect(meetingRecord(timeline(wf), 2)).to.deep.include({ 地点: '堰塘边', 共识: '达成共识' });
    expect(stageText(timeline(wf), 'meeting')).to.contain('共 2 轮协商，达成共识');
    expect(timelineText(timeline(wf))).to.contain('第 2 轮记录：达成共识');
    expect(timelineMeasures(timeline(wf))[0]!.text).to.equal('冬闲时全组出工清淤，镇农业服务中心出挖机');
  });

  it('Sichuan: ratings below the threshold reopen handling', async function () {
    this.timeout(20_000);
    const wf = await portal('sichuan-courtyard', 'reopen');
    const title = '村道路灯不亮';
    await raiseSichuan(wf, title, '村里、院子里大家的事');
    await signIn(wf, 'convener', 'c-cun');
    await openTopic(wf, title);
    await act(staff(wf), 'accept');
    await meet(wf, 'courtyard', '村委会院坝');
    await recordMeeting(staff(wf), {
      measures: [{ text: '供电所检修村道路灯线路', party: 'power-supply' }],
      effect: '供电所当场答应一周内修好。',
      consensus: 'full',
    });
    await signIn(wf, 'department', 'd-power');
    await adopt(staff(wf), 0);
    await implement(staff(wf), 0, '已更换线路，路灯恢复。');
    await signIn(wf, 'convener', 'c-cun');
    await submitText(staff(wf), 'feedback', 'text', '路灯线路已检修，路灯恢复照明。');
    await reaches(wf, '群众评议');
    await residentsRate(wf, [1, 1, 2], 3);

    await signIn(wf, 'convener', 'c-cun');
    expect(text(staff(wf))).to.contain('目前 3 人评价，平均 1.3 分（满分 3 分）。');
    expect(text(staff(wf))).to.contain('低于 2 分：现在结束评价，措施将重新办理。');
    await act(staff(wf), 'close');
    await reaches(wf, '落实办理');
    expect(currentStageKey(timeline(wf))).to.equal('handling');
    expect(timelineMeasures(timeline(wf)).map((m) => m.status)).to.deep.equal(['办理中']);
    const reopened = timelineMeasures(timeline(wf))[0]!.facts;
    expect(Object.keys(reopened)).to.include('此前落实结果（群众评价后重新办理）');
    expect(Object.keys(reopened)).to.not.include('落实结果');
    expect(timelineText(timeline(wf))).to.contain('低于 2 分，重新办理');
    await signIn(wf, 'department', 'd-power');
    expect(sections(staff(wf))).to.deep.equal(['handling', 'feedback']);
    expect(must(staff(wf), 'implement-m0-submit')).to.not.equal(null);
  });

  it('Sichuan: a measure past its deadline reads as overdue by the same number of days in the timeline and the tracker', async function () {
    this.timeout(20_000);
    const wf = await portal('sichuan-courtyard', 'overdue');
    const title = '河堤护栏破损';
    await raiseSichuan(wf, title, '村里、院子里大家的事');
    await signIn(wf, 'convener', 'c-cun');
    await openTopic(wf, title);
    await act(staff(wf), 'accept');
    await meet(wf, 'roaming', '河堤边');
    await recordMeeting(staff(wf), {
      measures: [{ text: '村委会修复河堤护栏', party: 'village-committee', due: day(-10) }],
      effect: '村委会答应汛期前修好。',
      consensus: 'full',
    });
    await reaches(wf, '落实办理');
    expect(timelineText(timeline(wf))).to.contain('有 1 项措施已逾期。');
    const inTimeline = timelineMeasures(timeline(wf))[0]!.overdue;
    expect(inTimeline).to.match(/^已超期 \d+ 天$/);
    await chooseView(wf, '成果办理');
    await settle(wf);
    const inTracker = trackerRows(trackerOf(wf))[0]!.overdue;
    expect(inTracker).to.match(/^已超期 \d+ 天$/);
    await chooseView(wf, '统计数据');
    await settle(wf);
    expect(figure(figuresOf(wf), 'measuresOverdue')).to.equal('1');
    // The same measure, the same moment: both views must count the same days late.
    expect(inTracker, 'the tracker and the timeline disagree on the days late').to.equal(inTimeline);
  });
});

// ── Steps shared by the tests ───────────────────────────────────────────────────────────────

/** A Wuxi resident raises a topic: every required field. */
async function raiseWuxi(wf: ConsultWorkflow, title: string): Promise<void> {
  await chooseView(wf, '提出议题');
  await submitIntake(intakeForm(wf), {
    议题名称: title,
    具体情况: `${title}，已经反映过好几次，希望社区组织大家商量解决。`,
    议题类别: '其他',
    姓名: '陈阿姨',
    '是否需要我们与您联系？': '不需要',
    '我已阅读隐私说明，同意社区居委会和政协委员联络室为协商议事使用以上信息': true,
  });
}

/** A Sichuan villager raises a matter; leaving a phone number brings the consent box, which is ticked. */
async function raiseSichuan(wf: ConsultWorkflow, title: string, kind: string): Promise<void> {
  await chooseView(wf, '提出议题');
  await submitIntake(intakeForm(wf), {
    '什么事？': title,
    这件事属于: kind,
    说说情况: '下雨天全是水坑，老人小孩走路容易摔。',
    '哪个组、哪个院子': '二组',
    '电话（不填也行）': '13900002222',
    同意村委会用这个电话联系我: true,
  });
}

/** The convener schedules a meeting (two conveners, two participants) and holds it to its last agenda stage. */
async function meet(wf: ConsultWorkflow, format: string, place: string): Promise<void> {
  await schedule(staff(wf), {
    format,
    start: `${day(-1)}T09:30`, // held yesterday: a meeting may not start before its time
    place,
    conveners: ['村支书', '县政协委员'],
    participants: [
      { name: '村民代表老张', role: 'representative' },
      { name: '镇农业服务中心', role: 'department' },
    ],
  });
  await waitFor(() => currentStage(timeline(wf)).endsWith('已安排'), 'the meeting to be scheduled');
  await holdMeeting(staff(wf));
  await settle(wf);
}

/** 成果办理 lists the measures with their statuses; 统计数据 counts one topic solved, a meeting held, one measure implemented. */
async function expectOutcome(wf: ConsultWorkflow, measures: Array<[string, string]>): Promise<void> {
  await chooseView(wf, '成果办理');
  await settle(wf);
  expect(trackerRows(trackerOf(wf)).map((r) => [r.text, r.status])).to.have.deep.members(measures);
  await chooseView(wf, '统计数据');
  await settle(wf);
  expect(figure(figuresOf(wf), 'topicsSolved')).to.equal('1');
  expect(Number(figure(figuresOf(wf), 'meetingsHeld'))).to.be.at.least(1);
  expect(figure(figuresOf(wf), 'measuresImplemented')).to.equal(String(measures.filter(([, s]) => s === '已落实').length));
}
