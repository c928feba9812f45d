/**
 * The printable records in real Chromium, each drawn from a log built and replayed with the
 * machine (the shareable log: residents' names withheld): the five haves all present, the
 * participants grouped by role, the measures with party, deadline and who suggested them, the
 * signature lines; the dossier's decisions, meetings, measures, ratings and every log entry; the
 * room report's grade, criteria, meetings and measures of the period; zh-CN and en; axe on each;
 * the Print button by keyboard; the endpoint mode against a stubbed fetch (no server in wtr: the
 * print test in packages/elements/test/print-records.test.ts uses a real page).
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { parseWorkflowConfig, type WorkflowConfig } from '@consult-kit/machine';
import './consult-meeting-record.js';
import './consult-topic-dossier.js';
import './consult-room-report.js';
import { MESSAGES } from '../i18n/messages.js';
import { expectAccessible } from '../../test/a11y.js';
import { recordsData, ROOM, type RecordsData } from '../../test/print-records/fixture.js';
import { PAGE_RULE } from './records.styles.js';

const zh = MESSAGES['zh-CN'];
const en = MESSAGES.en;
const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

let config: WorkflowConfig;
let data: RecordsData;

before(async () => {
  const raw: unknown = await (await fetch('/examples/configs/wuxi-community.json')).json();
  const parsed = parseWorkflowConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  config = parsed.config;
  data = recordsData(config, { measures: 4, participants: 9 });
});

const mounted: HTMLElement[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

async function mount<K extends 'consult-meeting-record' | 'consult-topic-dossier' | 'consult-room-report'>(tag: K, props: Record<string, unknown>, lang = 'zh-CN'): Promise<HTMLElementTagNameMap[K]> {
  const el = document.createElement(tag);
  el.setAttribute('lang', lang);
  Object.assign(el, props);
  document.body.append(el);
  mounted.push(el);
  await el.updateComplete;
  return el;
}

const root = (el: HTMLElement) => el.shadowRoot!;
/** A term's value in the record's fact lists. */
function fact(el: HTMLElement, term: string, scope: ParentNode = root(el)): string {
  const dt = [...scope.querySelectorAll('dt')].find((d) => squash(d.textContent) === term);
  if (!dt) throw new Error(`no term ${term}`);
  return squash(dt.nextElementSibling!.textContent);
}

describe('<consult-meeting-record>', () => {
  it('shows the five haves of the recorded round, in zh-CN', async () => {
    const el = await mount('consult-meeting-record', { topic: data.log.get(data.topicId) });
    const r = root(el);
    expect(squash(r.querySelector('h2')!.textContent)).to.equal('议事协商记录（第1轮）');
    expect(fact(el, zh['records.meeting.time'])).to.match(/2026年5月\d+日/);
    expect(fact(el, zh['records.meeting.place'])).to.equal('清名桥社区党群服务中心一楼议事室');
    expect(fact(el, zh['records.meeting.topic'])).to.equal('停车难与夜间照明');
    expect(fact(el, zh['records.meeting.effect'])).to.equal('与会各方同意分步实施，物业配合施工');
    expect(fact(el, zh['records.meeting.consensus'])).to.equal(zh['timeline.consensus.full']);
    expect(fact(el, zh['records.meeting.format'])).to.equal('议事室协商');
    expect(fact(el, zh['records.meeting.conveners'])).to.equal('钱美玲（社区党委）、顾永康（区政协）');
    expect(squash(r.querySelector('.measures h3')!.textContent)).to.equal(zh['records.meeting.measures']);
    await expectAccessible(el, 'meeting record zh-CN');
  });

  it('groups the participants by role, conveners first, and shows a withheld resident as 居民', async () => {
    const el = await mount('consult-meeting-record', { topic: data.log.get(data.topicId) });
    const groups = [...root(el).querySelectorAll('.roles li')].map((li) => [li.getAttribute('data-role'), squash(li.textContent)]);
    expect(groups.map(([role]) => role)).to.deep.equal(['convener', 'member', 'department', 'stakeholder', 'expert', 'representative', 'resident']);
    expect(groups[0]![1]).to.equal('召集人（2人）：钱美玲（社区党委）、顾永康（区政协）');
    expect(groups[1]![1]).to.equal('政协委员（1人）：沈委员（区政协）');
    // The shareable log withholds residents' and representatives' names: none of them is printed.
    const residents = groups.find(([role]) => role === 'resident')![1]!;
    expect(residents).to.equal('居民（3人）：居民、居民、居民');
    expect(squash(root(el).textContent)).not.to.contain('陈阿姨');
    expect(squash(root(el).textContent)).not.to.contain('居民5');
    expect(squash(root(el).querySelector('.participants h3')!.textContent)).to.equal('参会人员（11人）');
  });

  it('lists every measure with its responsible party, deadline and who suggested it', async () => {
    const el = await mount('consult-meeting-record', { topic: data.log.get(data.topicId) });
    const head = [...root(el).querySelectorAll('thead th')].map((th) => squash(th.textContent));
    expect(head).to.deep.equal(['序号', '措施', '责任单位', '完成时限', '提出人']);
    const rows = [...root(el).querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => squash(td.textContent)));
    expect(rows).to.have.length(4);
    expect(rows[0]).to.deep.equal(['1', rows[0]![1], '社区居民委员会', '2026年7月1日', '政协委员 沈委员（区政协）']);
    expect(rows[0]![1]).to.match(/^措施1：重新施划1号楼/);
    expect(rows[1]![2]).to.equal('街道办事处');
    expect(rows[1]![4]).to.equal('—');
    expect(rows[2]![4]).to.equal('召集人 顾永康（区政协）');
  });

  it('has a signature line for each convener and the date', async () => {
    const el = await mount('consult-meeting-record', { topic: data.log.get(data.topicId).context });
    const lines = [...root(el).querySelectorAll('.signature')].map((s) => squash(s.textContent));
    expect(lines).to.deep.equal(['召集人签字：钱美玲（社区党委）', '召集人签字：顾永康（区政协）', '日期']);
  });

  it('reads in English, round by round', async () => {
    const el = await mount('consult-meeting-record', { topic: data.log.get(data.twoRounds), round: 1 }, 'en');
    expect(squash(root(el).querySelector('h2')!.textContent)).to.equal('Consultation meeting record, round 1');
    expect(fact(el, en['records.meeting.consensus'])).to.equal('No consensus');
    expect(fact(el, en['records.meeting.effect'])).to.equal('意见分歧较大，下次再议');
    expect(squash(root(el).querySelector('.measures p')!.textContent)).to.equal(en['timeline.record.noMeasures']);
    await expectAccessible(el, 'meeting record en, round 1');
    el.round = undefined;
    await el.updateComplete;
    expect(squash(root(el).querySelector('h2')!.textContent)).to.equal('Consultation meeting record, round 2');
    const row = [...root(el).querySelectorAll('tbody td')].map((td) => squash(td.textContent));
    expect(row).to.deep.equal(['1', '更换十二盏路灯并每月巡查', 'Street office', 'August 30, 2026', '沈委员, 区政协 (Council member)']);
    const groups = [...root(el).querySelectorAll('.roles li .role')].map((s) => squash(s.textContent));
    expect(groups[0]).to.equal('Convener (2)');
    expect(squash(root(el).querySelector('.roles li[data-role=resident]')!.textContent)).to.equal('Resident (1): Resident');
    expect(squash(root(el).querySelector('.roles li[data-role=representative]')!.textContent)).to.equal('Residents’ representative (2): Resident, Resident');
  });

  it('says so when the round does not exist', async () => {
    const el = await mount('consult-meeting-record', { topic: data.log.get(data.topicId), round: 3 });
    expect(squash(root(el).querySelector('[role=alert]')!.textContent)).to.equal('该议题没有第3轮会议。');
  });

  it('prints with the Print button, reached by keyboard; the page is A4', async () => {
    const el = await mount('consult-meeting-record', { topic: data.log.get(data.topicId) });
    let printed = 0;
    const original = window.print;
    window.print = () => {
      printed += 1;
    };
    try {
      const button = root(el).querySelector<HTMLButtonElement>('[part=print]')!;
      expect(squash(button.textContent)).to.equal('打印');
      button.focus();
      await sendKeys({ press: 'Enter' });
      expect(printed).to.equal(1);
    } finally {
      window.print = original;
    }
    const rules = document.adoptedStyleSheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText));
    expect(rules.some((r) => /^@page/.test(r) && /size: a4/i.test(r) && /margin: 15mm/.test(r))).to.equal(true, `${PAGE_RULE} adopted by the document: ${rules.join(' | ')}`);
  });

  it('pulls the log and the config from the endpoint (fetch stubbed: no server in wtr) and replays it', async () => {
    const original = window.fetch;
    const asked: string[] = [];
    const configJson = await (await original('/examples/configs/wuxi-community.json')).text();
    window.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      asked.push(`${url} ${new Headers(init?.headers).get('Authorization') ?? ''}`.trim());
      if (url.endsWith('/config')) return new Response(configJson, { headers: { 'Content-Type': 'application/json' } });
      if (url.includes('/topics/t-parking/events')) {
        const entries = data.log.entries.filter((e) => e.topicId === 't-parking');
        return new Response(JSON.stringify({ entries, cursor: String(entries.length), more: false }), { headers: { 'Content-Type': 'application/json' } });
      }
      return new Response('{}', { status: 404 });
    }) as typeof fetch;
    try {
      const el = await mount('consult-meeting-record', {}, 'en');
      el.token = 'staff-token';
      el.setAttribute('endpoint', '/api');
      el.setAttribute('programme', 'wuxi');
      el.setAttribute('topic-id', 't-parking');
      for (let i = 0; i < 100 && !root(el).querySelector('h2'); i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(squash(root(el).querySelector('h2')!.textContent)).to.equal('Consultation meeting record, round 1');
      expect(root(el).querySelectorAll('tbody tr')).to.have.length(4);
      expect(asked).to.include('/api/programmes/wuxi/topics/t-parking/events Bearer staff-token');
    } finally {
      window.fetch = original;
    }
  });
});

describe('<consult-topic-dossier>', () => {
  it('holds the summary, decisions, every meeting record, measures, feedback, ratings and every log entry', async () => {
    const el = await mount('consult-topic-dossier', { topic: data.log.get(data.topicId), entries: data.log.entries, now: '2026-12-20T02:00:00.000Z' });
    const r = root(el);
    expect(squash(r.querySelector('h2')!.textContent)).to.equal('清名桥小区停车难');
    expect(fact(el, zh['records.dossier.room'])).to.equal('清名桥社区协商议事室');
    expect(fact(el, zh['records.dossier.source'])).to.equal(zh['timeline.source.resident']);
    expect(fact(el, zh['records.dossier.level'])).to.equal('社区');
    expect(fact(el, zh['records.dossier.screening'])).to.match(/^受理/);
    expect(fact(el, zh['records.dossier.research'])).to.contain('走访了三十户居民');
    expect(r.querySelectorAll('article.meeting-record')).to.have.length(1);
    const measures = [...r.querySelectorAll('#measures ~ table tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => squash(td.textContent)));
    expect(measures).to.have.length(4);
    expect(measures[0]![4]).to.match(new RegExp(`^${zh['timeline.measure.status.implemented']}2026年5月`));
    expect(measures[0]![5]).to.contain('已进场施工');
    expect(measures[0]![5]).to.contain('已完成并经居民代表验收');
    expect(squash(r.querySelector('#feedback + ul')!.textContent)).to.contain('各项措施已全部完成');
    const rating = [...r.querySelectorAll('#evaluations + table tbody td')].map((td) => squash(td.textContent));
    expect(rating.slice(2, 5)).to.deep.equal(['5', '4.4 / 5', '谢谢大家']);
    const own = data.log.entries.filter((e) => e.topicId === data.topicId);
    expect(r.querySelectorAll('#timeline + table tbody tr')).to.have.length(own.length);
    expect(squash(r.querySelector('#timeline')!.textContent)).to.equal(`全部办理记录（${own.length}条）`);
    // The resident who raised it is named only as the shareable log names them (withheld).
    expect(squash(r.querySelector('#timeline + table tbody tr')!.textContent)).to.contain('居民');
    expect(squash(r.textContent)).not.to.contain('张阿姨');
    expect(squash(r.textContent)).not.to.contain('portal:r');
    await expectAccessible(el, 'dossier zh-CN');
  });

  it('reads in English; without the log it says the entries are not listed', async () => {
    const el = await mount('consult-topic-dossier', { topic: data.log.get(data.twoRounds), now: '2026-12-20T02:00:00.000Z' }, 'en');
    const r = root(el);
    expect(squash(r.querySelector('#meetings')!.textContent)).to.equal('Meetings (2)');
    expect([...r.querySelectorAll('article.meeting-record h3')].map((h) => squash(h.textContent))).to.deep.equal([
      'Consultation meeting record, round 1',
      'Consultation meeting record, round 2',
    ]);
    expect(fact(el, en['records.dossier.room'])).to.equal('Qingmingqiao Community Consultation Room');
    expect(squash(r.querySelector('#timeline + p')!.textContent)).to.equal(en['records.dossier.noLog']);
    await expectAccessible(el, 'dossier en');
  });
});

describe('<consult-room-report>', () => {
  it('shows the room, its grade and criteria, the meetings and measures of the period, satisfaction', async () => {
    const topics = [...data.log.topics.values()];
    const el = await mount('consult-room-report', { data: data.room, topics, period: '2026' });
    const r = root(el);
    expect(squash(r.querySelector('h2')!.textContent)).to.equal('清名桥社区协商议事室');
    expect(fact(el, zh['records.room.conveners'])).to.contain('钱美玲');
    const record = data.room.grades.find((g) => g.period.key === '2026')!;
    expect(squash(r.querySelector('#grade + p')!.textContent)).to.contain(`${record.grade.stars}星（满分5星）`);
    expect(r.querySelectorAll('#grade ~ table tbody tr')).to.have.length(record.grade.criteria.length);
    const sessions = [...r.querySelectorAll('#figures + table tbody tr')].find((tr) => squash(tr.querySelector('th')!.textContent) === '召开会议次数')!;
    expect(squash(sessions.querySelector('td')!.textContent)).to.equal('3');
    const meetings = [...r.querySelectorAll('#meetings + table tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => squash(td.textContent)));
    expect(meetings).to.have.length(3);
    expect(meetings[0]![1]).to.equal('停车难与夜间照明');
    expect(meetings[0]![3]).to.equal('11');
    expect(meetings[0]![4]).to.equal('4');
    expect(squash(r.querySelector('#due')!.textContent)).to.equal(`到期措施 ${record.figures.measuresDue} 项，其中按期完成 ${record.figures.measuresOnTime} 项`);
    expect(r.querySelectorAll('#due + table tbody tr')).to.have.length(5);
    expect(squash(r.querySelector('#satisfaction + p')!.textContent)).to.equal('5条评价，平均 4.4 星（满分5星）。');
    await expectAccessible(el, 'room report zh-CN');
  });

  it('reads in English, and names the graded periods when asked for one it does not have', async () => {
    const el = await mount('consult-room-report', { data: data.room, topics: [...data.log.topics.values()], period: '2026' }, 'en');
    expect(squash(root(el).querySelector('.caption')!.textContent)).to.equal('Consultation room report · 2026');
    expect(squash(root(el).querySelector('#meetings')!.textContent)).to.equal('Meetings held (3)');
    await expectAccessible(el, 'room report en');
    el.period = '2019';
    await el.updateComplete;
    expect(squash(root(el).querySelector('[role=alert]')!.textContent)).to.equal(`There is no grade for the period “2019”. Graded periods: ${data.room.grades.map((g) => g.period.key).join(', ')}.`);
    expect(ROOM).to.equal(data.room.room.id);
  });
});
