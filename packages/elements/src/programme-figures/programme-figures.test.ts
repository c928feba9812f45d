/**
 * <consult-programme-figures> in real Chromium: the numbers equal `selectFigures` for a Wuxi
 * programme driven through the lifecycle, the tables hold the same numbers, every chart has a
 * complete text alternative, overdue is highlighted in text, both languages, large text, the
 * workflow's store through context, config text kept as text, and axe. One room's figures
 * (`room`), and the month-by-month trend charts under them, loaded only once there is a topic.
 */
import { expect } from '@esm-bundle/chai';
import { setViewport } from '@web/test-runner-commands';
import { selectFigures, selectTrends, type ProgrammeFigures, type TopicSnapshot, type WorkflowConfig } from '@consult-kit/machine';
import './consult-programme-figures.js';
import type { ConsultProgrammeFigures } from './programme-figures.component.js';
import { expectAccessible } from '../../test/a11y.js';
import { NOW, programme, providedStore, Topic, wuxi } from '../../test/programme.js';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

let config: WorkflowConfig;
let topics: TopicSnapshot[];

before(async () => {
  config = await wuxi();
  topics = programme(config);
});

beforeEach(async () => {
  await setViewport({ width: 1024, height: 800 });
});

afterEach(() => {
  document.body.replaceChildren();
  delete window.__pwned;
});

const root = (el: ConsultProgrammeFigures) => el.shadowRoot!;
const text = (node: Element) => node.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const num = (s: string) => Number(s.replace(/[^\d.]/g, ''));

async function mount(props: Partial<ConsultProgrammeFigures> = {}, attrs: Record<string, string> = {}): Promise<ConsultProgrammeFigures> {
  const el = document.createElement('consult-programme-figures');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  Object.assign(el, props);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** The number each card shows, by figure. */
function cards(el: ConsultProgrammeFigures): Record<string, number> {
  return Object.fromEntries(
    [...root(el).querySelectorAll<HTMLElement>('.card[data-figure]')].map((c) => [c.dataset.figure!, num(text(c.querySelector('[part~="value"]')!).split('/')[0]!)]),
  );
}

/** The figures table, by figure: [row header, value]. */
function table(el: ConsultProgrammeFigures): Record<string, [string, string]> {
  return Object.fromEntries(
    [...root(el).querySelectorAll<HTMLTableRowElement>('table:not(.stage-table) tbody tr')].map((tr) => [
      tr.dataset.figure!,
      [text(tr.querySelector('th')!), text(tr.querySelector('td')!)],
    ]),
  );
}

const KEYS = ['topicsRaised', 'topicsSolved', 'meetingsHeld', 'participants', 'measuresTotal', 'measuresImplemented', 'measuresOverdue', 'ratings'] as const;

/** Two topics raised in the property room (物业议事室) by its QR code, in April and May. */
function propertyRoomTopics(config: WorkflowConfig): TopicSnapshot[] {
  return ['2026-04-10T01:00:00.000Z', '2026-05-12T01:00:00.000Z'].map((start, i) =>
    new Topic(config, `t-property-${i}`, start).send(
      {
        type: 'topic.submit',
        source: i === 0 ? 'resident' : 'grid',
        room: 'qingmingqiao-wuye',
        values: { title: `物业议题 ${i + 1}`, description: '小区物业服务需要改进，希望在物业议事室商量解决。', category: 'parking', name: '刘先生', contactWanted: 'no', consent: true },
      },
      i === 0 ? { role: 'resident', id: `r-property-${i}` } : { role: 'grid', id: 'grid-worker-1' },
    ).snapshot,
  );
}

/** Waits a frame at a time until `check` holds. */
async function frames(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => requestAnimationFrame(r));
  if (!check()) throw new Error(`never happened: ${what}`);
}

describe('<consult-programme-figures>', () => {
  // First in the file: nothing else has loaded the chart's module yet.
  it('without topics the trend chart is never asked for; with topics it loads and draws under the figures', async () => {
    const empty = await mount({ topics: [] });
    for (let i = 0; i < 5; i++) await new Promise((r) => requestAnimationFrame(r));
    expect(root(empty).querySelector('consult-trend-chart')).to.equal(null);
    expect(root(empty).querySelector('[part~="trends"]')).to.equal(null);
    expect(customElements.get('consult-trend-chart'), 'the chart module is not loaded for a programme with nothing to draw').to.equal(undefined);
    empty.remove();

    const el = await mount({ topics, now: NOW }, { lang: 'en' });
    expect(root(el).querySelector('consult-trend-chart'), 'not in the first render').to.equal(null);
    await frames(() => root(el).querySelector('consult-trend-chart')?.shadowRoot?.querySelector('figure') != null, 'the charts drawn');
    expect(customElements.get('consult-trend-chart')).to.not.equal(undefined);
    const section = root(el).querySelector('[part~="trends"]')!;
    expect(text(section.querySelector('h3')!)).to.equal('Month by month');
    const chart = section.querySelector('consult-trend-chart')!;
    await chart.updateComplete;
    const expected = selectTrends(topics, config, { now: NOW });
    const raisedRows = [...chart.shadowRoot!.querySelectorAll('figure[data-kind="raised"] tbody tr')];
    expect(raisedRows.map((r) => r.getAttribute('data-month'))).to.deep.equal(expected.months.map((m) => m.month));
    expect(raisedRows.map((r) => Number(r.querySelectorAll('td')[r.querySelectorAll('td').length - 2]!.textContent))).to.deep.equal(expected.months.map((m) => m.raisedTotal));
    expect([...chart.shadowRoot!.querySelectorAll('figure')].map((f) => f.getAttribute('data-kind'))).to.deep.equal(['raised', 'satisfaction', 'measures']);
    await expectAccessible(el);
  });

  it('with `room`: the figures and trends of that room only, named above them', async () => {
    const all = [...topics, ...propertyRoomTopics(config)];
    const inRoom = all.filter((t) => t.context.room === 'qingmingqiao-wuye');
    expect(inRoom).to.have.length(2);
    const el = await mount({ topics: all, now: NOW }, { room: 'qingmingqiao-wuye', lang: 'en' });
    expect(cards(el)).to.include({ topicsRaised: 2, topicsSolved: 0, meetingsHeld: 0 });
    expect(text(root(el).querySelector('[part~="room"]')!)).to.equal('Consultation room: Qingmingqiao Community Property Room');
    await frames(() => root(el).querySelector('consult-trend-chart')?.shadowRoot?.querySelector('figure') != null, 'the room’s charts');
    const chart = root(el).querySelector('consult-trend-chart')!;
    expect(chart.getAttribute('room')).to.equal('qingmingqiao-wuye');
    const summary = text(chart.shadowRoot!.querySelector('figure[data-kind="raised"] .summary')!);
    // Up to now's month (June, nothing raised yet): one in April, one in May.
    expect(summary).to.equal('Topics raised fell from 1 in April 2026 to 0 in June 2026; the most were raised in April 2026 (1). 0 of 2 solved (0%).');
    const rows = [...chart.shadowRoot!.querySelectorAll('figure[data-kind="raised"] tbody tr')].map((r) => r.getAttribute('data-month'));
    expect(rows).to.deep.equal(['2026-04', '2026-05', '2026-06']);
    // zh-CN: the room's own name.
    el.setAttribute('lang', 'zh-CN');
    await el.updateComplete;
    expect(text(root(el).querySelector('[part~="room"]')!)).to.equal('协商议事室：清名桥社区物业议事室');
    await expectAccessible(el);
  });

  it('shows the numbers selectFigures counts, as cards and in a table with the same numbers', async () => {
    const expected = selectFigures(topics, NOW);
    // The programme has something in every figure, so a swapped number would show.
    expect(expected).to.include({ topicsRaised: 6, topicsSolved: 1, meetingsHeld: 3, participants: 15, measuresTotal: 6, measuresImplemented: 2, measuresOverdue: 1, ratings: 5 });
    const el = await mount({ topics, now: NOW });

    const shown = cards(el);
    expect(shown).to.deep.equal({
      topicsRaised: expected.topicsRaised,
      topicsSolved: expected.topicsSolved,
      meetingsHeld: expected.meetingsHeld,
      participants: expected.participants,
      measuresImplemented: expected.measuresImplemented,
      averageSatisfaction: Math.round(expected.averageSatisfaction! * 10) / 10,
      measuresOverdue: expected.measuresOverdue,
    });

    const rows = table(el);
    for (const key of KEYS) expect(num(rows[key]![1]), key).to.equal(expected[key]);
    expect(rows.topicsRaised![0]).to.equal('提出议题');
    expect(rows.topicsSolved![0]).to.equal('办结议题');
    expect(rows.meetingsHeld![0]).to.equal('召开协商会议');
    expect(rows.participants![0]).to.equal('参与人次');
    expect(rows.averageSatisfaction).to.deep.equal(['平均满意度', '4.2 分（满分 5 分）']);
    // How many ratings were counted and from whom, by kind: never anyone's name or id.
    expect(expected.ratingsByKind).to.include({ submitter: 1, community: 4 });
    expect(text(root(el).querySelector('[data-figure="ratingsByKind"]')!)).to.equal('已计入 5 份评价：提出人 1、社区居民 4');
    expect(rows.ratingsByKind).to.deep.equal(['评价来源（按类别，不记姓名）', '已计入 5 份评价：提出人 1、社区居民 4']);
    expect(text(root(el).querySelector('.base')!)).not.to.match(/portal:|rater-|r-3号楼/);

    const stageRows = [...root(el).querySelectorAll<HTMLTableRowElement>('.stage-table tbody tr')];
    const byStage = Object.fromEntries(stageRows.map((tr) => [tr.dataset.stage!, num(text(tr.querySelector('td')!))]));
    for (const [stage, n] of Object.entries(expected.topicsByStage)) expect(byStage[stage], stage).to.equal(n);
    expect(Object.values(byStage).reduce((a, b) => a + b, 0)).to.equal(expected.topicsRaised);
    expect(stageRows.map((tr) => text(tr.querySelector('th')!)), 'the city’s step names first').to.deep.equal([
      '议题征集', '选题', '调查研究', '协商议事', '成果转化', '结果反馈', '满意度评价', '已办结', '不予受理',
    ]);

    // Tables are real tables: a caption and headers with scope.
    for (const t of root(el).querySelectorAll('table')) {
      expect(text(t.querySelector('caption')!)).to.not.equal('');
      expect(t.querySelectorAll('thead th[scope="col"]')).to.have.length(2);
      expect(t.querySelectorAll('tbody th[scope="row"]').length).to.equal(t.querySelectorAll('tbody tr').length);
    }
    expect(text(root(el).querySelector('details > summary')!)).to.equal('以表格查看');
  });

  it('every chart is an image with a complete text alternative; bars are sized by SVG attributes', async () => {
    const el = await mount({ topics, now: NOW });
    const charts = [...root(el).querySelectorAll<HTMLElement>('[role="img"]')];
    const labels = charts.map((c) => c.getAttribute('aria-label'));
    expect(labels).to.include('提出 6 个议题，已办结 1 个（17%）');
    expect(labels).to.include('共 6 项措施，已落实 2 项（33%）');
    expect(labels).to.include('议题所处阶段：议题征集 0 个，选题 1 个，调查研究 0 个，协商议事 1 个，成果转化 2 个，结果反馈 0 个，满意度评价 0 个，已办结 1 个，不予受理 1 个');
    const stars = root(el).querySelector('consult-star-rating')!;
    await stars.updateComplete;
    expect(stars.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label')).to.equal('4.2 分（满分 5 分），共 5 人评价');

    const fills = [...root(el).querySelectorAll('.stage-chart rect.fill')].map((r) => Number(r.getAttribute('width')));
    expect(fills).to.deep.equal([0, 50, 0, 50, 100, 0, 0, 50, 50]);
    expect(root(el).querySelector('[style]'), 'no inline styles').to.equal(null);
  });

  it('highlights overdue measures in text (and says when there are none)', async () => {
    const el = await mount({ topics, now: NOW });
    const overdue = root(el).querySelector('[data-figure="measuresOverdue"]')!;
    expect(overdue.getAttribute('part')).to.equal('card card-alert');
    expect(text(overdue)).to.contain('1 项措施已超过办理期限');
    expect(overdue.querySelector('svg[aria-hidden="true"]')).to.not.equal(null);

    el.now = '2026-04-10T00:00:00.000Z';
    await el.updateComplete;
    expect(cards(el).measuresOverdue).to.equal(0);
    expect(overdue.getAttribute('part')).to.equal('card');
    expect(text(overdue)).to.contain('没有逾期措施');
  });

  it('follows `lang` and takes `figures` directly', async () => {
    const figures: ProgrammeFigures = {
      topicsRaised: 779,
      topicsByStage: { closed: 682, handling: 60, meeting: 37 },
      topicsSolved: 682,
      meetingsHeld: 912,
      participants: 1934,
      measuresTotal: 1500,
      measuresImplemented: 1320,
      measuresOverdue: 0,
      ratings: 5200,
      ratingsByKind: { submitter: 3100, 'follow-code': 0, community: 2000, participant: 100, 'staff-token': 0 },
      averageSatisfaction: 4.63,
    };
    const el = await mount({ figures }, { lang: 'en' });
    expect(text(root(el).querySelector('h2')!)).to.equal('Programme figures');
    expect(cards(el)).to.include({ topicsRaised: 779, topicsSolved: 682, meetingsHeld: 912, participants: 1934, measuresImplemented: 1320, averageSatisfaction: 4.6 });
    expect(text(root(el).querySelector('[data-figure="participants"] [part~="value"]')!)).to.equal('1,934');
    expect(text(root(el).querySelector('[data-figure="ratingsByKind"]')!)).to.equal('5,200 ratings counted: 3,100 from the submitter, 2,000 from community residents, 100 from meeting participants');
    const labels = [...root(el).querySelectorAll('[role="img"]')].map((c) => c.getAttribute('aria-label'));
    expect(labels).to.include('682 of 779 topics solved (88%)');
    expect(labels).to.include('Topics by stage: Consultation meeting 37, Outcome handling 60, Solved (closed) 682');
    expect(table(el).averageSatisfaction).to.deep.equal(['Average satisfaction', '4.6 out of 5']);
    el.setAttribute('lang', 'zh-CN');
    await el.updateComplete;
    await new Promise((r) => setTimeout(r));
    await el.updateComplete;
    expect(text(root(el).querySelector('h2')!)).to.equal('协商工作数据');
  });

  it('with nobody rated and no topics yet: says so instead of showing empty charts', async () => {
    const el = await mount({ topics: [], now: NOW });
    expect(cards(el).topicsRaised).to.equal(0);
    expect(text(root(el).querySelector('[data-figure="averageSatisfaction"]')!)).to.contain('暂无评价');
    expect(text(root(el).querySelector('.stages')!)).to.contain('还没有提出议题。');
    expect(table(el).averageSatisfaction![1]).to.equal('暂无评价');
    await expectAccessible(el, 'empty');
  });

  it('inside <consult-workflow>: counts the store’s topics and follows changes', async () => {
    const { provider, replace } = providedStore(config, topics.slice(0, 2));
    const el = document.createElement('consult-programme-figures');
    el.now = NOW;
    provider.append(el);
    await el.updateComplete;
    expect(cards(el).topicsRaised).to.equal(2);
    replace(topics);
    await el.updateComplete;
    expect(cards(el)).to.deep.include(Object.fromEntries(Object.entries(selectFigures(topics, NOW)).filter(([k]) => ['topicsRaised', 'meetingsHeld'].includes(k))));
  });

  it('renders config text as text, never as markup', async () => {
    const evil = '<img src=x onerror=window.__pwned=1>';
    const handling = { ...config.step.handling, label: { 'zh-CN': evil, en: evil } };
    const tampered: WorkflowConfig = { ...config, step: { ...config.step, handling }, steps: config.steps.map((s) => (s.type === 'handling' ? handling : s)) };
    const el = await mount({ topics, now: NOW, config: tampered });
    expect(root(el).querySelector('img')).to.equal(null);
    expect(window.__pwned).to.equal(undefined);
    expect(text(root(el).querySelector('[data-stage="handling"] th')!)).to.equal(evil);
  });

  it('has no WCAG 2.2 AA violations: zh-CN, en, large text, tables open, on a phone and a desktop', async () => {
    for (const width of [360, 1280]) {
      await setViewport({ width, height: 800 });
      for (const attrs of [{}, { lang: 'en' }, { 'large-text': '' }] as Array<Record<string, string>>) {
        const el = await mount({ topics, now: NOW }, attrs);
        root(el).querySelector('details')!.open = true;
        await expectAccessible(el, `${width}px ${JSON.stringify(attrs)}`);
        el.remove();
      }
    }
  });
});

describe('<consult-programme-figures> from the city server (a stand-in fetch: no server runs in the browser tests)', () => {
  const http = () => ({ ...config, transport: { type: 'http' as const, endpoint: '/city-api' } }) as WorkflowConfig;
  const origin = (el: ConsultProgrammeFigures) => text(root(el).querySelector('[part~=origin]') ?? document.createElement('p'));

  /** Answers `figures` and `trends` (or fails while `down()`), recording every request. */
  function stub(figures: ProgrammeFigures, down: () => boolean = () => false) {
    const requests: URL[] = [];
    const fetch = async (input: RequestInfo | URL): Promise<Response> => {
      const url = new URL(String(input), location.href);
      requests.push(url);
      if (down()) throw new TypeError('Failed to fetch');
      const body = url.pathname.endsWith('/trends') ? selectTrends(topics, config, { room: url.searchParams.get('room'), now: NOW }) : figures;
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    return { fetch: fetch as typeof globalThis.fetch, requests };
  }

  async function until(check: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 200; i += 1) {
      if (check()) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`Timed out waiting for ${what}`);
  }

  it("inside a workflow sending to a city backend: shows the server's count of every topic, not this device's, and says when", async () => {
    const all = selectFigures(topics, NOW);
    const server = stub(all);
    const { provider } = providedStore(http(), topics.slice(0, 1));
    const el = document.createElement('consult-programme-figures');
    el.fetch = server.fetch;
    provider.append(el);
    await until(() => cards(el).topicsRaised === 6, 'the server figures');
    expect(server.requests[0]!.pathname).to.equal(`/city-api/programmes/${config.id}/figures`);
    expect(cards(el)).to.include({ topicsRaised: 6, topicsSolved: 1, meetingsHeld: 3, measuresImplemented: 2 });
    expect(origin(el)).to.match(/^数据来自城市服务器，统计时间 .+。$/);
    await expectAccessible(el);
  });

  it('standalone with endpoint and programme; while the server cannot be reached it shows its last figures and says so', async () => {
    let down = false;
    const server = stub(selectFigures(topics, NOW), () => down);
    const el = await mount({ fetch: server.fetch }, { endpoint: '/api', programme: 'wuxi', lang: 'en' });
    await until(() => cards(el).topicsRaised === 6, 'the server figures');
    expect(server.requests[0]!.pathname).to.equal('/api/programmes/wuxi/figures');
    expect(origin(el)).to.match(/^Figures from the city server, as of /);

    down = true;
    window.dispatchEvent(new Event('online'));
    await until(() => origin(el).startsWith('The city server cannot be reached'), 'the stale notice');
    expect(origin(el)).to.match(/showing its figures as of /);
    expect(cards(el).topicsRaised).to.equal(6);
    await expectAccessible(el);
  });

  it("inside a workflow pointed at a backend by its endpoint attribute (the config says local): the server's figures", async () => {
    const workflow = document.createElement('consult-workflow') as HTMLElement & { endpoint?: string };
    workflow.endpoint = '/api';
    document.body.append(workflow);
    const server = stub(selectFigures(topics, NOW));
    const { provider } = providedStore(config, topics.slice(0, 1));
    workflow.append(provider);
    const el = document.createElement('consult-programme-figures');
    el.fetch = server.fetch;
    provider.append(el);
    await until(() => cards(el).topicsRaised === 6, 'the server figures');
    expect(server.requests[0]!.pathname).to.equal(`/api/programmes/${config.id}/figures`);
  });

  it("unreachable before it ever answered: counts this device's topics and says they may be fewer", async () => {
    const server = stub(selectFigures(topics, NOW), () => true);
    const { provider } = providedStore(http(), topics.slice(0, 2));
    const el = document.createElement('consult-programme-figures');
    el.fetch = server.fetch;
    provider.append(el);
    await until(() => origin(el).includes('目前无法连接城市服务器'), 'the offline notice');
    expect(cards(el).topicsRaised).to.equal(2);
    expect(origin(el)).to.include('可能少于实际数量');
  });

  it('with the local transport: counts the topics on this device and says so, without asking any server', async () => {
    const calls: string[] = [];
    const { provider } = providedStore(config, topics.slice(0, 3));
    const el = document.createElement('consult-programme-figures');
    el.fetch = (async (input: RequestInfo | URL) => {
      calls.push(String(input));
      return new Response('{}');
    }) as typeof globalThis.fetch;
    provider.append(el);
    await el.updateComplete;
    expect(cards(el).topicsRaised).to.equal(3);
    expect(origin(el)).to.equal('根据本机保存的议题统计。');
    expect(calls).to.deep.equal([]);
  });

  it('with `room` on the server: asks its figures and its trends with ?room=', async () => {
    const server = stub(selectFigures(topics, NOW));
    const el = await mount({ fetch: server.fetch }, { endpoint: '/api', programme: 'wuxi', room: 'qingmingqiao-shequ', lang: 'en', now: '2026-06-01T08:00:00+08:00' });
    await until(() => cards(el).topicsRaised === 6, 'the server figures');
    expect(server.requests[0]!.pathname).to.equal('/api/programmes/wuxi/figures');
    expect(server.requests[0]!.searchParams.get('room')).to.equal('qingmingqiao-shequ');
    await until(() => root(el).querySelector('consult-trend-chart')?.shadowRoot?.querySelector('figure') != null, 'the server’s trends drawn');
    const trends = server.requests.find((u) => u.pathname.endsWith('/trends'))!;
    expect(trends.pathname).to.equal('/api/programmes/wuxi/trends');
    expect(Object.fromEntries(trends.searchParams)).to.deep.equal({ room: 'qingmingqiao-shequ', now: '2026-06-01T08:00:00+08:00' });
    await expectAccessible(el);
  });
});
