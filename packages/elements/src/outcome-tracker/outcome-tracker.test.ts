/**
 * <consult-outcome-tracker> in real Chromium: measures of a Wuxi programme driven through the
 * lifecycle, filters and sorting as a person reads them, the live count, overdue marks, the link
 * to a topic's timeline, the keyboard path, 10,000 measures virtualised (and the arrow keys
 * through 1,000 of them, row by row), the workflow's store through context, one consultation
 * room's measures (`room`, locally and as `?room=` to the index), text kept as text, and axe on
 * every state.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { selectMeasures, type TopicSnapshot, type WorkflowConfig } from '@consult-kit/machine';
import './consult-outcome-tracker.js';
import type { ConsultOutcomeTracker } from './outcome-tracker.component.js';
import type { ConsultTopicSelectEvent } from '../events/topic-select-event.js';
import { summarizeTopics } from '../outcomes-board/topic-summary.js';
import { expectAccessible } from '../../test/a11y.js';
import { manyMeasures, NOW, programme, providedStore, Topic, wuxi } from '../../test/programme.js';

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
  window.location.hash = '';
});

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────

const root = (el: ConsultOutcomeTracker) => el.shadowRoot!;
const list = (el: ConsultOutcomeTracker) => root(el).querySelector<HTMLElement>('[role="list"]');
const rows = (el: ConsultOutcomeTracker) => [...root(el).querySelectorAll<HTMLElement>('[role="listitem"]')];
const text = (node: Element) => node.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const count = (el: ConsultOutcomeTracker) => text(root(el).querySelector('[role="status"]')!);
const measureTexts = (el: ConsultOutcomeTracker) => rows(el).map((r) => text(r.querySelector('.measure')!));
const control = <T extends HTMLElement>(el: ConsultOutcomeTracker, id: string) => root(el).getElementById(id) as T;
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/**
 * Waits until the element has rendered and a long list has measured and placed its rows: it
 * works in animation frames (measure, then render the new window), so a few frames, never a timer.
 */
async function settle(el: ConsultOutcomeTracker): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await el.updateComplete;
    await nextFrame();
  }
  await el.updateComplete;
}

async function mount(props: Partial<ConsultOutcomeTracker> = {}, attrs: Record<string, string> = {}): Promise<ConsultOutcomeTracker> {
  const el = document.createElement('consult-outcome-tracker');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  Object.assign(el, props);
  document.body.append(el);
  await settle(el);
  return el;
}

/** Changes a native control the way a person's choice does (value, then `change`). */
async function choose(el: ConsultOutcomeTracker, id: string, value: string | boolean): Promise<void> {
  const input = control<HTMLInputElement | HTMLSelectElement>(el, id);
  if (typeof value === 'boolean') (input as HTMLInputElement).checked = value;
  else input.value = value;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await settle(el);
}

const row = (el: ConsultOutcomeTracker, measure: string) => rows(el).find((r) => text(r.querySelector('.measure')!) === measure);
const fact = (r: HTMLElement, label: string) =>
  [...r.querySelectorAll('.fact')].find((f) => text(f.querySelector('dt')!) === label)?.querySelector('dd');

// ── Tests ───────────────────────────────────────────────────────────────────────────────────

describe('<consult-outcome-tracker>: what a row says', () => {
  it('lists every measure across topics with topic, status, party (config labels), due date, feedback and rating as text', async () => {
    const el = await mount({ topics, now: NOW });
    expect(count(el)).to.equal('显示 6 条，共 6 条');
    expect(rows(el)).to.have.length(6);
    expect(list(el)!.getAttribute('aria-label')).to.equal('协商成果措施');

    const lift = row(el, '成立加装电梯业主小组，征求全体住户意见')!;
    expect(text(lift.querySelector('[part~="status"]')!)).to.equal('已落实');
    expect(text(fact(lift, '议题')!)).to.contain('3号楼加装电梯');
    expect(text(fact(lift, '责任单位')!)).to.equal('社区居民委员会');
    expect(text(fact(lift, '办理期限')!)).to.equal('2026年4月1日');
    expect(fact(lift, '办理期限')!.querySelector('time')!.getAttribute('datetime')).to.equal('2026-04-01');
    expect(text(fact(lift, '结果反馈')!)).to.equal('已反馈');
    expect(text(lift)).to.contain('落实情况：已完成并通过验收');
    const stars = fact(lift, '满意度')!.querySelector('consult-star-rating')!;
    expect(stars.readonly).to.equal(true);
    expect(stars.average).to.equal(4.2);
    expect(stars.count).to.equal(5);
    await stars.updateComplete;
    expect(stars.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label')).to.equal('4.2 分（满分 5 分），共 5 人评价');
    // How many ratings were counted and from whom, by kind — never a name or an id.
    expect(text(fact(lift, '满意度')!.querySelector('[data-rating-kinds]')!)).to.equal('已计入 5 份评价：提出人 1、社区居民 4');
    expect(text(lift)).not.to.match(/portal:|rater-/);

    const declined = row(el, '把小区绿地改成停车场')!;
    expect(text(declined.querySelector('[part~="status"]')!)).to.equal('不予采纳');
    expect(text(declined)).to.contain('不予采纳理由：绿地是规划绿化用地，不能改作停车场');
    expect(text(fact(declined, '责任单位')!)).to.equal('物业服务企业');
    expect(text(fact(declined, '结果反馈')!)).to.equal('未反馈');
    expect(text(fact(declined, '满意度')!)).to.equal('暂无评价');

    const freeText = row(el, '错时共享周边单位停车场')!;
    expect(text(fact(freeText, '责任单位')!), 'a party that is not in the config is shown as written').to.equal('幸福里业主委员会');
    expect(text(freeText.querySelector('[part~="status"]')!)).to.equal('已采纳');
    expect(text(row(el, '投放点加装除臭设备并每天清洗')!.querySelector('[part~="status"]')!)).to.equal('待采纳');
  });

  it('marks a measure overdue (text and icon) only when `now` is past its due date and it is still open', async () => {
    const el = await mount({ topics, now: NOW });
    const overdue = rows(el).filter((r) => r.querySelector('[part~="overdue"]'));
    expect(overdue.map((r) => text(r.querySelector('.measure')!))).to.deep.equal(['重新划设停车位，增加四十个车位']);
    const mark = overdue[0]!.querySelector('[part~="overdue"]')!;
    expect(text(mark)).to.equal('已超期 47 天');
    expect(mark.querySelector('svg[aria-hidden="true"]'), 'an icon beside the text').to.not.equal(null);
    expect(text(overdue[0]!.querySelector('[part~="status"]')!)).to.equal('办理中');
    // Implemented after its due date passed: not overdue.
    expect(row(el, '成立加装电梯业主小组，征求全体住户意见')!.querySelector('[part~="overdue"]')).to.equal(null);

    el.now = '2026-04-10T00:00:00.000Z';
    await settle(el);
    expect(root(el).querySelectorAll('[part~="overdue"]')).to.have.length(0);

    el.now = '2026-12-31T12:00:00.000Z';
    await settle(el);
    const late = rows(el).filter((r) => r.querySelector('[part~="overdue"]')).map((r) => text(r.querySelector('.measure')!));
    expect(late).to.have.members(['重新划设停车位，增加四十个车位', '错时共享周边单位停车场']);
  });

  it('follows `lang`: English labels, dates and the count', async () => {
    const el = await mount({ topics, now: NOW }, { lang: 'en' });
    expect(count(el)).to.equal('Showing 6 of 6 measures');
    const parking = row(el, '重新划设停车位，增加四十个车位')!;
    expect(text(parking.querySelector('[part~="status"]')!)).to.equal('In progress');
    expect(text(parking.querySelector('[part~="overdue"]')!)).to.equal('Overdue by 47 day(s)');
    expect(text(fact(parking, 'Responsible party')!)).to.equal('Street office');
    expect(text(fact(parking, 'Due')!)).to.equal('Apr 15, 2026');
    const lift = row(el, '成立加装电梯业主小组，征求全体住户意见')!;
    expect(text(fact(lift, 'Satisfaction')!.querySelector('[data-rating-kinds]')!)).to.equal('5 ratings counted: 1 from the submitter, 4 from community residents');
    el.setAttribute('lang', 'zh-CN');
    await settle(el);
    expect(count(el)).to.equal('显示 6 条，共 6 条');
  });

  it('renders typed and config text as text, never as markup', async () => {
    const evil = '<img src=x onerror=window.__pwned=1>';
    const measures = manyMeasures(3).map((m) => ({ ...m, text: evil, topicTitle: `<b>${evil}</b>`, party: `<script>window.__pwned=2</script>` }));
    const el = await mount({ measures, now: NOW }, { 'topic-href': '#/topic/{topicId}' });
    await new Promise((r) => requestAnimationFrame(r));
    expect(root(el).querySelector('img, b, script')).to.equal(null);
    expect(window.__pwned).to.equal(undefined);
    expect(measureTexts(el)[0]).to.equal(evil);
    expect(root(el).querySelector('#party option:not([value=""])')!.textContent).to.equal('<script>window.__pwned=2</script>');
  });
});

describe('<consult-outcome-tracker>: filters, sorting and the live count', () => {
  it('filters by status (incl. overdue), party, level and "overdue only", and says how many are shown', async () => {
    const el = await mount({ topics, now: NOW });
    const changes: string[] = [];
    el.addEventListener('change', (e) => changes.push((e.target as Element).localName));

    await choose(el, 'status', 'implemented');
    expect(count(el)).to.equal('显示 2 条，共 6 条');
    expect(measureTexts(el)).to.have.members(['成立加装电梯业主小组，征求全体住户意见', '联系区住建局完成电梯选型和审批']);
    expect(el.filterStatus).to.equal('implemented');

    await choose(el, 'status', 'overdue');
    expect(measureTexts(el)).to.deep.equal(['重新划设停车位，增加四十个车位']);
    expect(count(el)).to.equal('显示 1 条，共 6 条');

    await choose(el, 'status', '');
    const partyOptions = [...control<HTMLSelectElement>(el, 'party').options].map((o) => [o.value, o.text]);
    expect(partyOptions).to.deep.equal([
      ['', '全部'],
      ['residents-committee', '社区居民委员会'],
      ['street-office', '街道办事处'],
      ['housing-bureau', '区住房和城乡建设局'],
      ['property-company', '物业服务企业'],
      ['幸福里业主委员会', '幸福里业主委员会'],
    ]);
    await choose(el, 'party', 'property-company');
    expect(measureTexts(el)).to.have.members(['把小区绿地改成停车场', '投放点加装除臭设备并每天清洗']);
    expect(count(el)).to.equal('显示 2 条，共 6 条');

    await choose(el, 'party', '');
    await choose(el, 'overdue', true);
    expect(el.overdueOnly).to.equal(true);
    expect(measureTexts(el)).to.deep.equal(['重新划设停车位，增加四十个车位']);

    await choose(el, 'party', 'residents-committee');
    expect(rows(el)).to.have.length(0);
    expect(count(el)).to.equal('显示 0 条，共 6 条');
    const empty = root(el).querySelector('[part~="empty"]')!;
    expect(text(empty)).to.contain('没有符合筛选条件的措施。');
    await expectAccessible(el, 'nothing matches');
    empty.querySelector('button')!.click();
    await settle(el);
    expect(count(el)).to.equal('显示 6 条，共 6 条');
    expect(root(el).activeElement?.id, 'clearing the filters puts focus on the first filter').to.equal('status');
    expect(changes.length, 'a change event per person’s change').to.equal(8);
    expect(changes.every((c) => c === 'consult-outcome-tracker')).to.equal(true);

    // Levels: measures raised at two levels.
    const measures = manyMeasures(14);
    el.measures = measures;
    await settle(el);
    expect([...control<HTMLSelectElement>(el, 'level').options].map((o) => o.text)).to.deep.equal(['全部', '社区', '街道']);
    await choose(el, 'level', 'street');
    expect(count(el)).to.equal('显示 2 条，共 14 条');
    expect(rows(el).every((r) => text(fact(r, '层级')!) === '街道')).to.equal(true);
  });

  it('never fires change for a programmatic set, and takes filters from attributes', async () => {
    const el = await mount({ topics, now: NOW }, { 'filter-status': 'declined' });
    const changes: Event[] = [];
    el.addEventListener('change', (e) => changes.push(e));
    expect(measureTexts(el)).to.deep.equal(['把小区绿地改成停车场']);
    expect(control<HTMLSelectElement>(el, 'status').value).to.equal('declined');
    el.filterStatus = '';
    el.sort = 'topic';
    await settle(el);
    expect(changes).to.have.length(0);
    expect(control<HTMLSelectElement>(el, 'sort').value).to.equal('topic');
  });

  it('sorts by due date, status, party and topic', async () => {
    const el = await mount({ topics, now: NOW });
    expect(measureTexts(el), 'by due date, earliest first').to.deep.equal([
      '成立加装电梯业主小组，征求全体住户意见', // 04-01
      '重新划设停车位，增加四十个车位', // 04-15
      '联系区住建局完成电梯选型和审批', // 04-20
      '把小区绿地改成停车场', // 05-01
      '错时共享周边单位停车场', // 09-30
      '投放点加装除臭设备并每天清洗', // 12-31
    ]);
    await choose(el, 'sort', 'status');
    expect(rows(el).map((r) => text(r.querySelector('[part~="status"]')!))).to.deep.equal(['办理中', '待采纳', '已采纳', '已落实', '已落实', '不予采纳']);
    expect(rows(el)[0]!.querySelector('[part~="overdue"]'), 'overdue first').to.not.equal(null);

    await choose(el, 'sort', 'party');
    const parties = rows(el).map((r) => text(fact(r, '责任单位')!));
    expect(parties).to.deep.equal([...parties].sort(new Intl.Collator('zh-CN').compare));

    await choose(el, 'sort', 'topic');
    const titles = rows(el).map((r) => text(r.querySelector('[part~="topic-link"]')!).replace('（查看议题进展）', ''));
    expect(titles).to.deep.equal([...titles].sort(new Intl.Collator('zh-CN', { numeric: true }).compare));
    expect(new Set(titles).size).to.equal(3);
  });
});

describe('<consult-outcome-tracker>: to the topic’s timeline', () => {
  it('fires consult-topic-select with the topicId; with `topic-href` the row has a real, safe link', async () => {
    const el = await mount({ topics, now: NOW }, { 'topic-href': '#/topic/{topicId}' });
    const seen: ConsultTopicSelectEvent[] = [];
    document.addEventListener('consult-topic-select', (e) => seen.push(e), { once: true });
    const link = row(el, '把小区绿地改成停车场')!.querySelector<HTMLAnchorElement>('a[part~="topic-link"]')!;
    expect(link.getAttribute('href')).to.equal('#/topic/t-parking');
    expect(text(link)).to.equal('幸福里小区停车难（查看议题进展）');
    link.click();
    expect(seen).to.have.length(1);
    expect(seen[0]!.detail).to.deep.equal({ topicId: 't-parking', measureId: 'm1-2' });
    expect(window.location.hash).to.equal('#/topic/t-parking');

    // A portal that routes by itself cancels the event: the link does not navigate.
    window.location.hash = '';
    el.addEventListener('consult-topic-select', (e) => e.preventDefault(), { once: true });
    row(el, '投放点加装除臭设备并每天清洗')!.querySelector<HTMLAnchorElement>('a')!.click();
    expect(window.location.hash).to.equal('');
  });

  it('renders a button (never a link) without a template or with an unsafe one', async () => {
    for (const attrs of [{}, { 'topic-href': 'javascript:alert("{topicId}")' }] as Array<Record<string, string>>) {
      const el = await mount({ topics, now: NOW }, attrs);
      expect(root(el).querySelector('a')).to.equal(null);
      const button = row(el, '投放点加装除臭设备并每天清洗')!.querySelector<HTMLButtonElement>('button[part~="topic-link"]')!;
      const seen = new Promise<ConsultTopicSelectEvent>((resolve) => el.addEventListener('consult-topic-select', resolve, { once: true }));
      button.click();
      expect((await seen).detail.topicId).to.equal('t-waste');
      el.remove();
    }
  });

  it('keyboard path: Tab to the filters, change them with the keyboard, Tab into the list, Enter on a row’s link', async () => {
    const start = document.createElement('button');
    start.textContent = 'before';
    document.body.append(start);
    const el = await mount({ topics, now: NOW }, { 'topic-href': '#/topic/{topicId}' });
    const active = () => root(el).activeElement as HTMLElement | null;
    start.focus();

    await sendKeys({ press: 'Tab' });
    expect(active()?.id).to.equal('status');
    await sendKeys({ press: 'ArrowDown' }); // 全部 → 待采纳
    await settle(el);
    expect(el.filterStatus).to.equal('proposed');
    expect(count(el)).to.equal('显示 1 条，共 6 条');
    await sendKeys({ press: 'ArrowUp' }); // back to 全部
    await settle(el);
    expect(count(el)).to.equal('显示 6 条，共 6 条');

    await sendKeys({ press: 'Tab' });
    expect(active()?.id).to.equal('party');
    await sendKeys({ press: 'Tab' });
    expect(active()?.id).to.equal('level');
    await sendKeys({ press: 'Tab' });
    expect(active()?.id).to.equal('sort');
    await sendKeys({ press: 'ArrowDown' }); // 办理期限 → 办理状态
    await settle(el);
    expect(el.sort).to.equal('status');
    await sendKeys({ press: 'Tab' });
    expect(active()?.id).to.equal('overdue');
    await sendKeys({ press: 'Space' });
    await settle(el);
    expect(el.overdueOnly).to.equal(true);
    expect(count(el)).to.equal('显示 1 条，共 6 条');
    await sendKeys({ press: 'Tab' });
    expect(text(active()!), 'the clear button appears while filtering').to.equal('清除筛选');

    await sendKeys({ press: 'Tab' });
    expect(active()?.getAttribute('role'), 'the scrolling list is reachable').to.equal('list');
    await sendKeys({ press: 'Tab' });
    const link = active() as HTMLAnchorElement;
    expect(link.localName).to.equal('a');
    expect(link.getAttribute('href')).to.equal('#/topic/t-parking');
    const selected = new Promise<ConsultTopicSelectEvent>((resolve) => el.addEventListener('consult-topic-select', resolve, { once: true }));
    await sendKeys({ press: 'Enter' });
    expect((await selected).detail.topicId).to.equal('t-parking');
  });
});

describe('<consult-outcome-tracker>: large lists', () => {
  async function renderedRows(n: number): Promise<{ el: ConsultOutcomeTracker; count: number }> {
    const el = await mount({ measures: manyMeasures(n), config, now: NOW });
    return { el, count: rows(el).length };
  }

  it('renders 10,000 measures with only the rows near the viewport in the DOM, as many as for 100', async () => {
    const small = await renderedRows(100);
    small.el.remove();
    const big = await renderedRows(10_000);
    const el = big.el;
    expect(count(el)).to.equal('显示 10,000 条，共 10,000 条');
    expect(big.count).to.be.greaterThan(0);
    expect(big.count).to.be.lessThan(200);
    expect(big.count, 'the same rows for 10,000 as for 100: proportionate to the viewport').to.be.at.most(small.count + 2);
    expect(rows(el)[0]!.getAttribute('aria-setsize')).to.equal('10000');
    expect(rows(el)[0]!.getAttribute('aria-posinset')).to.equal('1');

    // Scrolling the list renders other rows, still only a viewport's worth.
    const scroller = list(el)!;
    scroller.scrollTop = scroller.scrollHeight / 2;
    await settle(el);
    await settle(el);
    const positions = rows(el).map((r) => Number(r.getAttribute('aria-posinset')));
    expect(Math.min(...positions)).to.be.greaterThan(1000);
    expect(rows(el).length).to.be.lessThan(200);

    // Filtering 10,000 goes back to the top and says how many are left.
    await choose(el, 'status', 'overdue');
    const overdue = manyMeasures(10_000).filter((m) => m.overdue).length;
    expect(count(el)).to.equal(`显示 ${overdue.toLocaleString('zh-CN')} 条，共 10,000 条`);
    expect(list(el)!.scrollTop, 'back at the top').to.equal(0);
    expect(rows(el).every((r) => r.querySelector('[part~="overdue"]'))).to.equal(true);
  });

  it('the keyboard through 1,000 measures: ↓ moves row by row, focus never lost while the window moves; End, Home; Tab still reaches a row’s link', async function () {
    this.timeout(180_000);
    const el = await mount({ measures: manyMeasures(1_000), config, now: NOW }, { 'topic-href': '#/topic/{topicId}' });
    const scroller = list(el)!;
    const active = () => root(el).activeElement as HTMLElement | null;
    const place = () => Number(active()?.getAttribute('aria-posinset'));
    scroller.focus();
    await sendKeys({ press: 'ArrowDown' });
    expect(place(), 'the first row').to.equal(1);
    for (let n = 2; n <= 1_000; n += 1) {
      await sendKeys({ press: 'ArrowDown' });
      expect(document.activeElement, `focus still in the tracker at ${n}`).to.equal(el);
      expect(active()?.getAttribute('role'), `row ${n}`).to.equal('listitem');
      expect(place(), 'the next row').to.equal(n);
    }
    expect(rows(el).length, 'still only a window').to.be.lessThan(200);
    await sendKeys({ press: 'Home' });
    expect(place()).to.equal(1);
    await sendKeys({ press: 'End' });
    expect(place()).to.equal(1_000);
    expect(active()!.getAttribute('aria-setsize')).to.equal('1000');
    await sendKeys({ press: 'Tab' });
    expect(active()?.localName, 'Tab from a row: its link').to.equal('a');
    expect(Number(active()!.closest('[role="listitem"]')!.getAttribute('aria-posinset'))).to.equal(1_000);
    await expectAccessible(el, 'keyboard on 1,000 measures');
  });

  it('has no WCAG 2.2 AA violations with 10,000 measures', async () => {
    const { el } = await renderedRows(10_000);
    await expectAccessible(el, '10,000 measures');
  });
});

/** A topic of the property room (物业议事室), raised by its QR code, with one measure agreed. */
function propertyRoomTopic(): TopicSnapshot {
  return new Topic(config, 't-property', '2026-03-05T01:00:00.000Z')
    .send(
      {
        type: 'topic.submit',
        source: 'resident',
        room: 'qingmingqiao-wuye',
        values: { title: '物业费公示', description: '物业服务费的收支情况希望每季度公示，请物业议事室商量。', category: 'parking', name: '刘先生', contactWanted: 'no', consent: true },
      },
      { role: 'resident', id: 'r-property' },
    )
    .toMeeting()
    .meet([{ text: '物业公司每季度在公告栏公示收支', party: 'property-company', due: '2026-07-01' }]).snapshot;
}

describe('<consult-outcome-tracker>: one consultation room', () => {
  it('with `room`: only the measures of that room’s topics, and they are all it counts', async () => {
    const all = [...topics, propertyRoomTopic()];
    const el = await mount({ topics: all, now: NOW }, { room: 'qingmingqiao-wuye', lang: 'en' });
    expect(measureTexts(el)).to.deep.equal(['物业公司每季度在公告栏公示收支']);
    expect(count(el)).to.equal('Showing 1 of 1 measures');
    el.room = '';
    await settle(el);
    const every = selectMeasures(all, NOW).length;
    expect(count(el)).to.equal(`Showing ${every} of ${every} measures`);
    el.room = 'qingmingqiao-shequ';
    await settle(el);
    const shequ = selectMeasures(all.filter((t) => t.context.room === 'qingmingqiao-shequ'), NOW).map((m) => m.text);
    expect(measureTexts(el)).to.have.members(shequ);
    expect(measureTexts(el)).to.not.include('物业公司每季度在公告栏公示收支');
    await expectAccessible(el);
  });

  it('from the server’s index (a stand-in fetch): sends ?room= and shows the measures it answers', async () => {
    const asked: URL[] = [];
    const summaries = summarizeTopics([...topics, propertyRoomTopic()], NOW);
    const realFetch = window.fetch;
    window.fetch = (async (input: RequestInfo | URL) => {
      const url = new URL(String(input), location.href);
      asked.push(url);
      const room = url.searchParams.get('room');
      const items = summaries.filter((t) => !room || t.room === room);
      return new Response(JSON.stringify({ items, total: items.length, cursor: '', more: false }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }) as typeof globalThis.fetch;
    try {
      const el = await mount({ now: NOW }, { endpoint: '/api', programme: 'wuxi', room: 'qingmingqiao-wuye', lang: 'zh-CN' });
      for (let i = 0; i < 50 && rows(el).length === 0; i++) await settle(el);
      expect(asked[0]!.pathname).to.equal('/api/programmes/wuxi/topics');
      expect(asked[0]!.searchParams.get('room')).to.equal('qingmingqiao-wuye');
      expect(measureTexts(el)).to.deep.equal(['物业公司每季度在公告栏公示收支']);
      await expectAccessible(el);
    } finally {
      window.fetch = realFetch;
    }
  });
});

describe('<consult-outcome-tracker>: data sources and states', () => {
  it('inside <consult-workflow>: reads the store from context and follows its changes', async () => {
    const { provider, listeners, replace, topics: shown } = providedStore(config, topics.slice(0, 1));
    const el = document.createElement('consult-outcome-tracker');
    el.now = NOW;
    provider.append(el);
    await settle(el);
    expect(count(el)).to.equal('显示 2 条，共 2 条');

    const more = new Topic(config, 't-more').submit('小区健身器材维修').toMeeting().meet([{ text: '更换损坏的健身器材', party: 'street-office' }]);
    replace([...shown, more.snapshot]);
    await settle(el);
    expect(count(el)).to.equal('显示 3 条，共 3 条');
    expect(text(fact(row(el, '更换损坏的健身器材')!, '责任单位')!)).to.equal('街道办事处');

    el.remove();
    expect(listeners.size, 'unsubscribes when removed').to.equal(0);
  });

  it('takes `measures` directly (selectMeasures’ result) and says when there is nothing yet', async () => {
    const el = await mount({ measures: selectMeasures(topics, NOW), config, now: NOW });
    expect(count(el)).to.equal('显示 6 条，共 6 条');
    el.measures = [];
    await settle(el);
    expect(rows(el)).to.have.length(0);
    expect(count(el)).to.equal('');
    expect(text(root(el).querySelector('[part~="empty"]')!)).to.contain('还没有需要跟踪办理的协商成果。');
    await expectAccessible(el, 'empty');
  });

  it('has no WCAG 2.2 AA violations: full (zh-CN), filtered, English, large text on a phone', async () => {
    await setViewport({ width: 360, height: 740 });
    const full = await mount({ topics, now: NOW }, { 'topic-href': '#/topic/{topicId}' });
    await expectAccessible(full, 'full');
    await choose(full, 'status', 'overdue');
    await expectAccessible(full, 'filtered');
    full.remove();
    const en = await mount({ topics, now: NOW }, { lang: 'en' });
    await expectAccessible(en, 'en');
    en.remove();
    const large = await mount({ topics, now: NOW, largeText: true });
    expect(parseFloat(getComputedStyle(large).fontSize)).to.be.greaterThan(parseFloat(getComputedStyle(document.body).fontSize));
    await expectAccessible(large, 'large text');
    const smallest = [...large.shadowRoot!.querySelectorAll<HTMLElement>('select, input, a, button')].map((c) => c.getBoundingClientRect().height);
    expect(Math.min(...smallest), 'targets at least 24 px high').to.be.at.least(24);
  });
});
