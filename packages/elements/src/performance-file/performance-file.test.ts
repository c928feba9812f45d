/**
 * <consult-performance-file> in real Chromium, with files the machine's `selectPerformanceFiles`
 * computes over a replayed log (../room/room.fixture.ts: the Qingmingqiao Community room, 2025
 * and 2026), hand-checked against what the log holds: an administrator's table of everyone, a
 * file opened by keyboard and closed again, a member's own file, each target met or not in words
 * and icon, the year picker by keyboard (asking the server for that year with the token), both
 * languages, 390 px, large text and axe on every state. The HTTP states (no token, 401, 403,
 * offline, a failing server) run against a stubbed `fetch` (the server's performance route is
 * another helper's, so it is not served here).
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { TopicSnapshot, WorkflowConfig } from '@consult-kit/machine';
import './consult-performance-file.js';
import type { ConsultPerformanceFile } from './performance-file.component.js';
import type { RoomSummary } from '../room/room-client.js';
import { ROOM_NOW, performanceData, roomList, roomTopics } from '../room/room.fixture.js';
import { expectAccessible } from '../../test/a11y.js';
import { wuxi } from '../../test/programme.js';

let config: WorkflowConfig;
let topics: TopicSnapshot[];
let rooms: RoomSummary[];

before(async () => {
  config = await wuxi();
  topics = roomTopics(config);
  rooms = roomList(config, topics);
});

beforeEach(async () => {
  await setViewport({ width: 1024, height: 800 });
});

afterEach(() => {
  document.body.replaceChildren();
});

const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const root = (el: ConsultPerformanceFile) => el.shadowRoot!;
const $ = (el: ConsultPerformanceFile, selector: string) => root(el).querySelector<HTMLElement>(selector);
const $$ = (el: ConsultPerformanceFile, selector: string) => [...root(el).querySelectorAll<HTMLElement>(selector)];
const files = (year: number) => performanceData(config, year, topics).files;
const roomNames = () => rooms.map((r) => ({ id: r.id, name: r.name }));

async function settle(el: ConsultPerformanceFile): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 0));
  }
}

async function mount(props: Partial<ConsultPerformanceFile> = {}, attrs: Record<string, string> = {}): Promise<ConsultPerformanceFile> {
  const el = document.createElement('consult-performance-file');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  Object.assign(el, props);
  document.body.append(el);
  await settle(el);
  return el;
}

/** Target rows of the open file: [label, done, met?, whether an icon is drawn]. */
const targets = (el: ConsultPerformanceFile) =>
  $$(el, '[part~="targets"] tbody tr').map((tr) => [text(tr.children[0]), text(tr.children[1]), text(tr.children[2]), tr.querySelector('[part="met"] svg.icon') !== null]);
const counts = (el: ConsultPerformanceFile) => Object.fromEntries($$(el, '[part~="counts"] tbody tr').map((tr) => [tr.dataset.figure, Number(text(tr.querySelector('td')))]));

/** A stubbed server: `/rooms` (public) and `/performance` (bearer token `good`, `member`, else 401; `resident` 403). */
function stubServer() {
  const asked: Array<{ path: string; auth: string | null }> = [];
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), location.href);
    const auth = new Headers(init?.headers).get('Authorization');
    asked.push({ path: url.pathname + url.search, auth });
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
    if (url.pathname === '/api/programmes/wuxi/rooms') return json({ rooms });
    if (url.pathname !== '/api/programmes/wuxi/performance') return json({ title: 'Not found' }, 404);
    if (auth === 'Bearer resident') return json({ title: 'Forbidden' }, 403);
    if (auth === 'Bearer broken') return json({ title: 'Boom' }, 500);
    const year = Number(url.searchParams.get('year'));
    if (auth === 'Bearer good') return json(performanceData(config, year, topics));
    if (auth === 'Bearer member') return json({ year, files: performanceData(config, year, topics).files.filter((f) => f.person.id === 'm-qm-02') });
    return json({ title: 'Unauthorized' }, 401);
  }) as typeof fetch;
  return Object.assign(fn, { asked });
}

describe('<consult-performance-file>: files from the selectors over a replayed log', () => {
  it('the counts the log gives (hand-checked) for 2025', () => {
    const byId = Object.fromEntries(files(2025).map((f) => [f.person.id, f]));
    // 沈佳 recommended the lamps topic, completed the research of all three 2025 topics, attended
    // one meeting and proposed its measure; 陆文华 attended two and proposed one; each convener convened three.
    expect(byId['m-qm-02']!.counts).to.deep.include({ topicsRecommended: 1, researchVisits: 3, meetingsAttended: 1, consultations: 1, suggestionsMade: 1 });
    expect([byId['m-qm-02']!.met, byId['m-qm-02']!.of]).to.deep.equal([3, 4]);
    expect(byId['m-qm-01']!.counts).to.deep.include({ meetingsAttended: 2, consultations: 2, suggestionsMade: 1 });
    expect(byId['c-qm-01']!.counts).to.deep.include({ meetingsConvened: 3, consultations: 3 });
    expect(byId['c-qm-02']!.counts.measuresFollowed).to.equal(1);
  });

  it('an administrator sees a table of everyone: name, role, rooms, targets met x of y (zh-CN)', async () => {
    const el = await mount({ files: files(2025), rooms: roomNames() }, { lang: 'zh-CN' });
    expect(text($(el, 'h2'))).to.equal('履职档案');
    expect($$(el, 'thead th').map((th) => [text(th), th.getAttribute('scope')])).to.deep.equal([
      ['姓名', 'col'],
      ['身份', 'col'],
      ['所在议事室', 'col'],
      ['完成目标', 'col'],
    ]);
    const rows = $$(el, 'tbody tr');
    expect(rows.length).to.equal(files(2025).length);
    const shen = rows.find((r) => r.dataset.person === 'm-qm-02')!;
    expect([...shen.children].map((c) => text(c))).to.deep.equal(['沈佳（查看档案）', '政协委员', '清名桥社区协商议事室', '3 / 4']);
    const qian = rows.find((r) => r.dataset.person === 'c-qm-01')!;
    expect(text(qian.children[1])).to.equal('召集人');
    expect(text($(el, '#count'))).to.equal(`共 ${files(2025).length} 人`);
    expect(($(el, '#year') as HTMLSelectElement).value).to.equal('2025');
    await expectAccessible(el, 'everyone zh-CN');
  });

  it('keyboard: Enter on a name opens the file (targets met or not, in words and icon; every count), Back returns to the name', async () => {
    const el = await mount({ files: files(2025), rooms: roomNames() }, { lang: 'en' });
    const button = $(el, '[data-person="m-qm-02"] .person-link')!;
    button.focus();
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(text($(el, '#file-title'))).to.equal('Performance file of 沈佳, 2025');
    expect(root(el).activeElement?.id).to.equal('file-title');
    expect(text($(el, '#summary'))).to.equal('3 of 4 targets met');
    expect(targets(el)).to.deep.equal([
      ['Recommend one topic', '1 of 1', 'Met', true],
      ['Make one research visit', '3 of 1', 'Met', true],
      ['Take part in two consultations', '1 of 2', 'Not met', true],
      ['Suggest one measure agreed at a meeting', '1 of 1', 'Met', true],
    ]);
    expect(counts(el)).to.deep.equal({
      topicsRecommended: 1,
      topicsRaised: 1,
      researchVisits: 3,
      meetingsConvened: 0,
      meetingsAttended: 1,
      consultations: 1,
      suggestionsMade: 1,
      measuresFollowed: 0,
    });
    // Met and not met differ in words and icon, not only in colour.
    expect($$(el, '.mark--not-met').length).to.equal(1);
    await expectAccessible(el, 'one file, English');
    await sendKeys({ press: 'Shift+Tab' });
    expect(root(el).activeElement?.id).to.equal('back');
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(root(el).activeElement?.closest('tr')?.getAttribute('data-person')).to.equal('m-qm-02');
  });

  it('a member sees their own file at once (one file), at 390 px in both languages and with large text', async () => {
    await setViewport({ width: 390, height: 800 });
    const own = files(2025).filter((f) => f.person.id === 'm-qm-01');
    for (const lang of ['en', 'zh-CN']) {
      const el = await mount({ files: own, rooms: roomNames() }, { lang });
      expect($(el, 'tbody .person-link'), lang).to.equal(null);
      expect($(el, '#back'), lang).to.equal(null);
      expect(text($(el, '#file-title'))).to.equal(lang === 'en' ? 'Performance file of 陆文华, 2025' : '陆文华的2025年履职档案');
      expect(targets(el).map((t) => t[2])).to.deep.equal(lang === 'en' ? ['Not met', 'Not met', 'Met', 'Met'] : ['未完成', '未完成', '已完成', '已完成']);
      expect($(el, '.base')!.scrollWidth, lang).to.be.at.most(390);
      await expectAccessible(el, `member ${lang} 390 px`);
      el.toggleAttribute('large-text', true);
      await settle(el);
      expect($(el, '.base')!.scrollWidth, `${lang} large`).to.be.at.most(390);
      await expectAccessible(el, `member ${lang} large text`);
    }
  });

  it('the table of everyone at 390 px stacks each person as a card whose cells name their column', async () => {
    await setViewport({ width: 390, height: 800 });
    const el = await mount({ files: files(2025), rooms: roomNames() }, { lang: 'en' });
    expect($(el, '.base')!.scrollWidth).to.be.at.most(390);
    expect(getComputedStyle($(el, 'tbody td')!, '::before').content).to.contain('Role');
    await expectAccessible(el, 'everyone at 390 px');
  });

  it('with given files, the year picker fires change (the host gives that year’s files); a programmatic set fires nothing', async () => {
    const el = await mount({ files: files(2026), now: ROOM_NOW }, { lang: 'en' });
    const changes: Array<number | undefined> = [];
    el.addEventListener('change', () => {
      changes.push(el.year);
      el.files = files(el.year!);
    });
    el.year = 2026;
    await settle(el);
    expect(changes).to.deep.equal([]);
    const select = $(el, '#year') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).to.deep.equal(['2026', '2025', '2024', '2023', '2022']);
    select.focus();
    await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    expect(changes).to.deep.equal([2025]);
    expect(text($(el, '#count'))).to.equal(`${files(2025).length} person(s)`);
  });
});

describe('<consult-performance-file>: from the server (stubbed fetch for the HTTP states)', () => {
  it('asks GET …/performance?year=&now= with the bearer token; the year picker by keyboard asks for that year', async () => {
    const fetch = stubServer();
    const el = await mount({ fetch, token: 'good' }, { endpoint: '/api', programme: 'wuxi', now: ROOM_NOW, lang: 'en' });
    const asked = fetch.asked.filter((a) => a.path.includes('/performance'));
    expect(asked).to.deep.equal([{ path: `/api/programmes/wuxi/performance?year=2026&now=${encodeURIComponent(ROOM_NOW)}`, auth: 'Bearer good' }]);
    // The room names come from the public room list (asked without a token).
    expect(fetch.asked.find((a) => a.path === '/api/programmes/wuxi/rooms')?.auth).to.equal(null);
    expect(text($(el, '[data-person="m-qm-02"] td:nth-of-type(2)'))).to.equal('Qingmingqiao Community Consultation Room');
    const select = $(el, '#year') as HTMLSelectElement;
    select.focus();
    await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    expect(fetch.asked.at(-1)!.path).to.contain('year=2025');
    expect(text($(el, '[data-person="m-qm-02"] td:nth-of-type(3)'))).to.equal('3 of 4');
    await expectAccessible(el, 'from the server');
  });

  it('a member’s token gets their own file, shown at once', async () => {
    const el = await mount({ fetch: stubServer(), token: () => Promise.resolve('member'), year: 2025 }, { endpoint: '/api', programme: 'wuxi', lang: 'zh-CN' });
    expect(text($(el, '#file-title'))).to.equal('沈佳的2025年履职档案');
  });

  it('no token asks to sign in (nothing sent); 401 asks to sign in; 403 says the account may not see files', async () => {
    const fetch = stubServer();
    const none = await mount({ fetch }, { endpoint: '/api', programme: 'wuxi', lang: 'en' });
    expect(text($(none, '[part~="message"]'))).to.equal('Sign in to see performance files.');
    expect(fetch.asked.some((a) => a.path.includes('/performance'))).to.equal(false);
    await expectAccessible(none, 'signed out');
    const refused = await mount({ fetch, token: 'expired' }, { endpoint: '/api', programme: 'wuxi', lang: 'en' });
    expect(text($(refused, '[part~="message"]'))).to.equal('Sign in to see performance files.');
    const forbidden = await mount({ fetch, token: 'resident' }, { endpoint: '/api', programme: 'wuxi', lang: 'zh-CN' });
    expect(text($(forbidden, '[part~="message"]'))).to.contain('您的账号无权查看履职档案');
    await expectAccessible(forbidden, 'forbidden');
    // Signing in (a new token) reads again.
    forbidden.token = 'good';
    await settle(forbidden);
    expect($$(forbidden, 'tbody tr').length).to.be.greaterThan(1);
  });

  it('a failing server and offline say so, with Try again', async () => {
    const el = await mount({ fetch: stubServer(), token: 'broken' }, { endpoint: '/api', programme: 'wuxi', lang: 'en' });
    const alert = $(el, '[role="alert"]')!;
    expect(text(alert)).to.contain('cannot give the performance files');
    await expectAccessible(el, 'server error');
    el.token = 'good';
    await settle(el);
    expect($$(el, 'tbody tr').length).to.be.greaterThan(1);

    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      const off = await mount({ fetch: stubServer(), token: 'good' }, { endpoint: '/api', programme: 'wuxi', lang: 'en' });
      expect(text($(off, '[role="alert"]'))).to.contain('You are offline');
    } finally {
      delete (navigator as unknown as Record<string, unknown>).onLine;
    }
  });

  it('without a server or files it says what it needs', async () => {
    const el = await mount({}, { lang: 'en' });
    expect(text($(el, '[part~="message"]'))).to.contain('give the programme’s server');
  });
});
