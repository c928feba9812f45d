/**
 * <consult-room> in real Chromium, with data the machine's selectors compute over a replayed log
 * (room.fixture.ts: the Qingmingqiao Community room, 2025 and 2026 up to 2026-06-01): the room's
 * facts and both conveners, the current grade through the read-only star rating, the figures
 * behind each star (table and plain words, numbers hand-checked against the log), the grade
 * history newest first, the report and poster links through safeUrl, the list of rooms and
 * opening one by keyboard, both languages, 390 px, and axe on every state. The HTTP states
 * (loading, offline, a failing server, an unknown room) run against a stubbed `fetch` (the
 * server's room routes are another helper's, so the route is not served here).
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { TopicSnapshot, WorkflowConfig } from '@consult-kit/machine';
import './consult-room.js';
import type { ConsultRoom } from './room.component.js';
import type { ConsultRoomSelectEvent } from './room-select-event.js';
import type { RoomData, RoomSummary } from './room-client.js';
import { ROOM_ID, ROOM_NOW, roomData, roomList, roomTopics } from './room.fixture.js';
import { expectAccessible } from '../../test/a11y.js';
import { wuxi } from '../../test/programme.js';

let config: WorkflowConfig;
let topics: TopicSnapshot[];
let data: RoomData;
let rooms: RoomSummary[];

before(async () => {
  config = await wuxi();
  topics = roomTopics(config);
  data = roomData(config, topics);
  rooms = roomList(config, topics);
});

beforeEach(async () => {
  await setViewport({ width: 1024, height: 800 });
});

afterEach(() => {
  document.body.replaceChildren();
});

const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const root = (el: ConsultRoom) => el.shadowRoot!;
const $ = (el: ConsultRoom, selector: string) => root(el).querySelector<HTMLElement>(selector);
const $$ = (el: ConsultRoom, selector: string) => [...root(el).querySelectorAll<HTMLElement>(selector)];

async function settle(el: ConsultRoom): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 0));
  }
  for (const rating of root(el).querySelectorAll('consult-star-rating')) await (rating as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
}

async function mount(props: Partial<ConsultRoom> = {}, attrs: Record<string, string> = {}): Promise<ConsultRoom> {
  const el = document.createElement('consult-room');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  Object.assign(el, props);
  document.body.append(el);
  await settle(el);
  return el;
}

/** The read-only star rating's accessible name (its role="img" label). */
const gradeLabel = (el: ConsultRoom, scope = '[part~="grade"]') =>
  root(el).querySelector(`${scope} consult-star-rating`)!.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label');

/** A stubbed fetch answering `routes` by path (after /api/programmes/wuxi); records the URLs asked. */
function stubFetch(routes: Record<string, () => Response | Promise<Response>>) {
  const asked: string[] = [];
  const fn = (async (input: RequestInfo | URL) => {
    const url = new URL(String(input), location.href);
    asked.push(url.pathname + url.search);
    const route = routes[url.pathname.replace('/api/programmes/wuxi', '')];
    return route ? route() : new Response(JSON.stringify({ title: 'Not found' }), { status: 404, headers: { 'Content-Type': 'application/problem+json' } });
  }) as typeof fetch;
  return Object.assign(fn, { asked });
}
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('<consult-room>: one room, from the selectors over a replayed log', () => {
  it('the figures the log gives (hand-checked): 2025 final at 1 star, 2026 in progress at 1 star', () => {
    // What room.fixture.ts replays, worked out by hand: in 2025 three meetings (the rubric's 1 star
    // needs 2, 2 stars need 4), 2 of 3 topics closed, 2 of 3 measures on time, ten ratings averaging
    // 4.2, and 4 of the room's 5 named people at a meeting.
    expect(data.grades.map((g) => [g.period.key, g.grade.stars, g.final])).to.deep.equal([
      ['2025', 1, true],
      ['2026', 1, false],
    ]);
    const y2025 = data.grades[0]!.grade.criteria.map((c) => [c.figure, c.value === null ? null : Math.round(c.value * 100) / 100, c.stars, c.next]);
    expect(y2025).to.deep.equal([
      ['sessionsHeld', 3, 1, 4],
      ['solvedShare', 0.67, 3, 0.75],
      ['onTimeShare', 0.67, 3, 0.8],
      ['averageSatisfaction', 4.2, 4, 4.5],
      ['memberParticipation', 0.8, 4, 0.9],
    ]);
  });

  it('shows the room: name, level, place, first and second convener, members, in zh-CN', async () => {
    const el = await mount({ data }, { lang: 'zh-CN' });
    expect(text($(el, 'h2'))).to.equal('清名桥社区协商议事室');
    const facts = Object.fromEntries($$(el, '[part~="facts"] > div').map((d) => [text(d.querySelector('dt')), text(d.querySelector('dd'))]));
    expect(facts['层级']).to.equal('社区');
    expect(facts['议事地点']).to.equal('清名桥社区党群服务中心一楼议事室');
    expect(facts['可以在这里商量的事']).to.contain('垃圾分类');
    const person = (d: Element) => [...d.querySelectorAll('.person-name, .person-title')].map((p) => text(p)).join(' / ');
    const people = Object.fromEntries($$(el, '[part~="people"] > div').map((d) => [text(d.querySelector('dt')), person(d.querySelector('dd')!)]));
    expect(people['第一召集人']).to.equal('钱美玲 / 清名桥社区党委书记');
    expect(people['第二召集人']).to.equal('顾永康 / 区政协委员');
    expect($$(el, '.members li').map((li) => text(li.querySelector('.person-name')))).to.deep.equal(['陆文华', '沈佳', '华建平']);
    await expectAccessible(el, 'room in zh-CN');
  });

  it('the current grade through the read-only star rating, in progress, with the figures behind each star', async () => {
    const el = await mount({ data }, { lang: 'en' });
    expect(text($(el, '#grade-title'))).to.equal('Star grade for 2026');
    expect(gradeLabel(el)).to.equal('1 of 5 stars');
    // One star drawn full, four empty: the picture agrees with the words.
    const stars = [...root(el).querySelector('[part~="grade"] consult-star-rating')!.shadowRoot!.querySelectorAll('.star')].map((s) => s.classList.contains('full'));
    expect(stars).to.deep.equal([true, false, false, false, false]);
    expect(text($(el, '.status'))).to.contain('In progress');

    const rows = $$(el, '[part~="figures"] tbody tr');
    const cell = (c: Element) => (c.querySelector('li') ? [...c.querySelectorAll('li')].map((li) => text(li)).join(' | ') : text(c));
    const cells = rows.map((tr) => [tr.dataset.figure, ...[...tr.children].map(cell)]);
    // The rubric's own label wins over the figure's name; shares are percentages.
    expect(cells[0]).to.deep.equal(['sessionsHeld', 'Sessions held in the year', '2', '★☆☆☆☆ 1 of 5', '4', '1 star(s): 2 | 2 star(s): 4 | 3 star(s): 6 | 4 star(s): 9 | 5 star(s): 12']);
    expect(cells[1]!.slice(0, 5)).to.deep.equal(['solvedShare', 'Share of topics solved', '50%', '★★☆☆☆ 2 of 5', '60%']);
    expect(cells[2]!.slice(0, 5)).to.deep.equal(['onTimeShare', 'Share of measures on time', '100%', '★★★★★ 5 of 5', 'Highest grade reached']);
    expect(cells[3]!.slice(0, 5)).to.deep.equal(['averageSatisfaction', 'Average satisfaction', '4.6', '★★★★★ 5 of 5', 'Highest grade reached']);
    expect(cells[4]!.slice(0, 5)).to.deep.equal(['memberParticipation', 'Member participation', '80%', '★★★★☆ 4 of 5', '90%']);
    expect(root(el).querySelector('[part~="figures"] thead th')!.getAttribute('scope')).to.equal('col');
    expect(rows[0]!.querySelector('th')!.getAttribute('scope')).to.equal('row');

    const plain = $$(el, '[part~="plain"] li').map((li) => text(li));
    expect(plain).to.deep.equal([
      '2 session(s) held; 4 needed for 2 star(s).',
      '50% of the topics raised are solved; 60% needed for 3 star(s).',
      '100% of the measures due were done on time; that earns the highest grade.',
      'residents rate it 4.6 out of 5 on average; that earns the highest grade.',
      '80% of the room’s members took part in a meeting; 90% needed for 5 star(s).',
    ]);
    await expectAccessible(el, 'grade in English');
  });

  it('the same in zh-CN, in the catalogue’s words', async () => {
    const el = await mount({ data }, { lang: 'zh-CN' });
    expect(text($(el, '#grade-title'))).to.equal('2026年星级评定');
    expect(gradeLabel(el)).to.equal('1 星（满分 5 星）');
    expect(text($(el, '.status'))).to.contain('评定中');
    expect(text($$(el, '[part~="plain"] li')[0])).to.equal('已召开协商会议 2 次；达到 2 星需要 4 次。');
  });

  it('the grade history: one row per period, newest first, final or in progress', async () => {
    const el = await mount({ data }, { lang: 'en' });
    const rows = $$(el, '[part~="history"] tbody tr').map((tr) => [...tr.children].map((c) => text(c)));
    expect(rows).to.deep.equal([
      ['2026', '★☆☆☆☆ 1 of 5 stars', 'In progress'],
      ['2025', '★☆☆☆☆ 1 of 5 stars', 'Final'],
    ]);
    el.setAttribute('lang', 'zh-CN');
    await settle(el);
    expect($$(el, '[part~="history"] tbody tr').map((tr) => text(tr))).to.deep.equal(['2026年 ★☆☆☆☆ 1 星（满分 5 星） 评定中', '2025年 ★☆☆☆☆ 1 星（满分 5 星） 已定级']);
  });

  it('a quarter, a month and a chosen range are named as people say them', async () => {
    const g = data.grades[0]!;
    const grades = [
      { ...g, period: { kind: 'quarter' as const, key: '2025-Q3', from: '2025-07-01', to: '2025-10-01' } },
      { ...g, period: { kind: 'month' as const, key: '2025-11', from: '2025-11-01', to: '2025-12-01' } },
      { ...g, period: { kind: 'range' as const, key: '2026-03-01..2026-06-01', from: '2026-03-01', to: '2026-06-01' } },
    ];
    const el = await mount({ data: { ...data, grades } }, { lang: 'en' });
    expect($$(el, '[part~="history"] tbody th').map((th) => text(th))).to.deep.equal(['Mar 1, 2026 to May 31, 2026', 'November 2025', 'Q3 2025']);
    el.setAttribute('lang', 'zh-CN');
    await settle(el);
    expect($$(el, '[part~="history"] tbody th').map((th) => text(th))).to.deep.equal(['2026年3月1日至2026年5月31日', '2025年11月', '2025年第3季度']);
  });

  it('links to the report and the poster only when given, each through safeUrl', async () => {
    const none = await mount({ data }, { lang: 'en' });
    expect($(none, '[part~="links"]')).to.equal(null);
    const el = await mount({ data }, { lang: 'en', 'report-href': '/rooms/qingmingqiao-shequ/report', 'poster-href': 'javascript:alert(1)' });
    expect($(el, '#report')!.getAttribute('href')).to.equal('/rooms/qingmingqiao-shequ/report');
    expect(text($(el, '#report'))).to.equal('Print this room’s report');
    expect($(el, '#poster')).to.equal(null);
  });

  it('at 390 px nothing sticks out sideways, in both languages and with large text; axe clean', async () => {
    await setViewport({ width: 390, height: 800 });
    for (const lang of ['zh-CN', 'en']) {
      const el = await mount({ data }, { lang });
      expect($(el, '.base')!.scrollWidth, lang).to.be.at.most(390);
      // The figures' cells name their column when the row is stacked as a card.
      expect(getComputedStyle($(el, '[part~="figures"] tbody td')!, '::before').content).to.contain(lang === 'en' ? 'Value' : '实际数值');
      await expectAccessible(el, `390 px ${lang}`);
      el.toggleAttribute('large-text', true);
      await settle(el);
      expect($(el, '.base')!.scrollWidth, `${lang} large`).to.be.at.most(390);
      await expectAccessible(el, `390 px ${lang} large text`);
    }
  });

  it('works without the trend chart: the page has its tables whether or not the chart can load', async () => {
    const el = await mount({ data }, { lang: 'en' });
    expect(data.trends!.months.length).to.be.greaterThan(12);
    await new Promise((r) => setTimeout(r, 50));
    await settle(el);
    const chart = root(el).querySelector('consult-trend-chart');
    if (customElements.get('consult-trend-chart')) {
      expect((chart as unknown as { trends: unknown }).trends).to.equal(data.trends);
      expect(text($(el, '#trends-title'))).to.equal('Trends');
    } else {
      expect(chart).to.equal(null);
      expect($(el, '[part~="trends"]')).to.equal(null);
    }
    expect($$(el, '[part~="figures"] tbody tr').length).to.equal(5);
    await expectAccessible(el, 'with or without the chart');
  });

  it('text from the data stays text (no HTML is made from it)', async () => {
    const hostile = { ...data, room: { ...data.room, name: { 'zh-CN': '<img src=x onerror="window.__pwned=1">', en: '<b>x</b>' } } };
    const el = await mount({ data: hostile }, { lang: 'en' });
    expect(root(el).querySelector('img, b')).to.equal(null);
    expect(text($(el, 'h2'))).to.equal('<b>x</b>');
  });
});

describe('<consult-room>: the list of rooms', () => {
  it('lists every room with level, conveners, topics and current stars, in a table with headers', async () => {
    const el = await mount({ rooms }, { lang: 'zh-CN' });
    expect(text($(el, 'h2'))).to.equal('协商议事室');
    expect($$(el, 'thead th').map((th) => text(th))).to.deep.equal(['议事室', '层级', '召集人', '议题数', '本期星级']);
    const rows = $$(el, 'tbody tr');
    expect(rows.map((r) => r.dataset.room)).to.deep.equal(['qingmingqiao-shequ', 'qingmingqiao-wuye', 'qingmingqiao-jiedao', 'liangxi-qu']);
    const first = [...rows[0]!.children].map((c) => (c.querySelector('li') ? [...c.querySelectorAll('li')].map((li) => text(li)).join(' / ') : text(c)));
    expect(first.slice(0, 4)).to.deep.equal(['清名桥社区协商议事室（查看议事室）', '社区', '钱美玲 / 顾永康', '5']);
    expect(gradeLabel(el, 'tbody tr:first-child')).to.equal('1 星（满分 5 星）');
    expect(gradeLabel(el, 'tbody tr:nth-child(2)')).to.equal('暂未达到一星（0 星，满分 5 星）');
    expect(text([...rows[2]!.children][1])).to.equal('街道');
    expect(text($(el, '#count'))).to.equal('共 4 个议事室');
    await expectAccessible(el, 'list zh-CN');
  });

  it('keyboard: Tab to a room, Enter opens it in place (consult-room-select), Back returns to it', async () => {
    const el = await mount({ rooms }, { lang: 'en' });
    const selected: string[] = [];
    el.addEventListener('consult-room-select', (e) => selected.push((e as ConsultRoomSelectEvent).detail.room));
    const before = document.createElement('button');
    before.textContent = 'before';
    document.body.prepend(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement?.closest('tr')?.getAttribute('data-room')).to.equal('qingmingqiao-shequ');
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(selected).to.deep.equal(['qingmingqiao-shequ']);
    expect(text($(el, 'h2'))).to.equal('Qingmingqiao Community Consultation Room');
    // Focus moved to the room's name; from the list's data the page shows the current grade.
    expect(root(el).activeElement?.id).to.equal('title');
    expect(gradeLabel(el)).to.equal('1 of 5 stars');
    await expectAccessible(el, 'opened from the list');
    // Shift+Tab to "All rooms", Enter: the list again, focus on the room it came from.
    await sendKeys({ press: 'Shift+Tab' });
    expect(root(el).activeElement?.id).to.equal('back');
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect($$(el, 'tbody tr').length).to.equal(4);
    expect(root(el).activeElement?.closest('tr')?.getAttribute('data-room')).to.equal('qingmingqiao-shequ');
  });

  it('room-href makes links (checked by safeUrl); preventDefault keeps the page and the list where they are', async () => {
    const el = await mount({ rooms }, { 'room-href': '#/rooms/{room}' });
    const link = root(el).querySelector<HTMLAnchorElement>('tbody a.room-link')!;
    expect(link.getAttribute('href')).to.equal('#/rooms/qingmingqiao-shequ');
    el.addEventListener('consult-room-select', (e) => e.preventDefault());
    link.click();
    await settle(el);
    expect(location.hash).to.equal('');
    expect($$(el, 'tbody tr').length).to.equal(4);
    const bad = await mount({ rooms }, { 'room-href': 'javascript:alert(1)//{room}' });
    expect(root(bad).querySelector('tbody a')).to.equal(null);
    expect(root(bad).querySelector('tbody button.room-link')).to.not.equal(null);
  });

  it('at 390 px each room is a card whose cells name their column; axe clean in English', async () => {
    await setViewport({ width: 390, height: 800 });
    const el = await mount({ rooms }, { lang: 'en' });
    expect($(el, '.base')!.scrollWidth).to.be.at.most(390);
    expect(getComputedStyle($(el, 'tbody td')!, '::before').content).to.contain('Level');
    await expectAccessible(el, 'list at 390 px');
  });
});

describe('<consult-room>: from the server (stubbed fetch for the HTTP states)', () => {
  it('asks GET …/rooms/{room}?now= and shows the answer; loading first', async () => {
    let release: (r: Response) => void = () => undefined;
    const fetch = stubFetch({ [`/rooms/${ROOM_ID}`]: () => new Promise<Response>((resolve) => (release = resolve)) });
    const el = await mount({ fetch }, { endpoint: '/api', programme: 'wuxi', room: ROOM_ID, now: ROOM_NOW, lang: 'en' });
    expect(text($(el, 'h2'))).to.equal('Loading the room…');
    expect(fetch.asked).to.deep.equal([`/api/programmes/wuxi/rooms/${ROOM_ID}?now=${encodeURIComponent(ROOM_NOW)}`]);
    await expectAccessible(el, 'loading');
    release(json(data));
    await settle(el);
    expect(text($(el, 'h2'))).to.equal('Qingmingqiao Community Consultation Room');
    expect($$(el, '[part~="history"] tbody tr').length).to.equal(2);
  });

  it('the list from GET …/rooms, and opening a room asks for it', async () => {
    const fetch = stubFetch({ '/rooms': () => json({ rooms }), [`/rooms/${ROOM_ID}`]: () => json(data) });
    const el = await mount({ fetch }, { endpoint: '/api', programme: 'wuxi', lang: 'en' });
    expect($$(el, 'tbody tr').length).to.equal(4);
    $(el, 'tbody tr:first-child .room-link')!.click();
    await settle(el);
    expect(fetch.asked.at(-1)).to.equal(`/api/programmes/wuxi/rooms/${ROOM_ID}`);
    expect($$(el, '[part~="history"] tbody tr').length).to.equal(2);
  });

  it('an unknown room (404), offline and a failing server are said in words, with Try again', async () => {
    const unknown = await mount({ fetch: stubFetch({}) }, { endpoint: '/api', programme: 'wuxi', room: 'nowhere', lang: 'en' });
    expect(text($(unknown, '[part~="message"]'))).to.equal('There is no such room in this programme.');
    await expectAccessible(unknown, 'not found');

    let fail = true;
    const fetch = stubFetch({ [`/rooms/${ROOM_ID}`]: () => (fail ? json({ title: 'boom' }, 503) : json(data)) });
    const el = await mount({ fetch }, { endpoint: '/api', programme: 'wuxi', room: ROOM_ID, lang: 'zh-CN' });
    const alert = $(el, '[role="alert"]')!;
    expect(text(alert)).to.contain('服务器暂时无法提供议事室数据');
    await expectAccessible(el, 'server error');
    fail = false;
    alert.querySelector('button')!.click();
    await settle(el);
    expect(text($(el, 'h2'))).to.equal('清名桥社区协商议事室');

    const broken = await mount({ fetch: (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof globalThis.fetch }, { endpoint: '/api', programme: 'wuxi', lang: 'en' });
    expect(text($(broken, '[role="alert"]'))).to.contain('could not be reached');

    const offline = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine')!;
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      const off = await mount({ fetch: stubFetch({}) }, { endpoint: '/api', programme: 'wuxi', lang: 'en' });
      expect(text($(off, '[role="alert"]'))).to.contain('You are offline');
    } finally {
      delete (navigator as unknown as Record<string, unknown>).onLine;
      expect(Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine')).to.deep.equal(offline);
    }
  });

  it('an answer of the wrong shape is not drawn (it says the server could not be reached)', async () => {
    const el = await mount({ fetch: stubFetch({ [`/rooms/${ROOM_ID}`]: () => json({ room: { id: ROOM_ID } }) }) }, { endpoint: '/api', programme: 'wuxi', room: ROOM_ID, lang: 'en' });
    expect(text($(el, '[role="alert"]'))).to.contain('could not be reached');
  });

  it('without a server or data it says what it needs', async () => {
    const el = await mount({}, { lang: 'en' });
    expect(text($(el, '[part~="message"]'))).to.contain('give the programme’s server');
  });
});
