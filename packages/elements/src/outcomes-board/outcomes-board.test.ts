/**
 * <consult-outcomes-board> in real Chromium: the Wuxi programme's topics in every stage as a
 * resident reads them (status, screening reason, meeting, measures with parties and overdue marks,
 * feedback, satisfaction), the filters and the search, pages with previous / next and the total,
 * the keyboard path, the consultation-room picker (`room`), the workflow's store through context,
 * and axe in zh-CN, English and large text. The city server's index is a stand-in `fetch` here (no server runs in the browser tests),
 * and says so in the tests' names; it answers in the shape of the contract
 * (`GET /programmes/{p}/topics`), with summaries made by the same mapping the local path uses.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { TopicSnapshot, WorkflowConfig } from '@consult-kit/machine';
import type { TopicIndexPage } from '@consult-kit/store';
import './consult-outcomes-board.js';
import type { ConsultOutcomesBoard } from './outcomes-board.component.js';
import { summarizeTopics } from './topic-summary.js';
import { expectAccessible } from '../../test/a11y.js';
import { NOW, programme, providedStore, Topic, wuxi } from '../../test/programme.js';

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
});

const root = (el: ConsultOutcomesBoard) => el.shadowRoot!;
const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const items = (el: ConsultOutcomesBoard) => [...root(el).querySelectorAll<HTMLElement>('[part~=topic]')];
const titles = (el: ConsultOutcomesBoard) => items(el).map((i) => squash(i.querySelector('h3')?.textContent));
const count = (el: ConsultOutcomesBoard) => squash(root(el).querySelector('[part=count]')?.textContent);
const topicText = (el: ConsultOutcomesBoard, id: string) => squash(root(el).querySelector(`[data-topic="${id}"]`)?.textContent);
const byId = <T extends HTMLElement>(el: ConsultOutcomesBoard, id: string) => root(el).getElementById(id) as T;

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

async function mount(props: Partial<ConsultOutcomesBoard> = {}, attrs: Record<string, string> = {}, parent: HTMLElement = document.body): Promise<ConsultOutcomesBoard> {
  const el = document.createElement('consult-outcomes-board');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  Object.assign(el, props);
  parent.append(el);
  await el.updateComplete;
  return el;
}

async function choose(el: ConsultOutcomesBoard, id: string, value: string | boolean): Promise<void> {
  const input = byId<HTMLInputElement | HTMLSelectElement>(el, id);
  if (typeof value === 'boolean') (input as HTMLInputElement).checked = value;
  else input.value = value;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

/** A stand-in for the city server's index: pages of `all` by offset cursor, every request recorded. */
function stubServer(all: () => ReturnType<typeof summarizeTopics>, options: { fail?: () => boolean; total?: number } = {}) {
  const requests: URL[] = [];
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    const url = new URL(String(input), location.href);
    requests.push(url);
    if (options.fail?.()) throw new TypeError('Failed to fetch');
    if (url.pathname.endsWith('/config')) return new Response(JSON.stringify({ nope: true }), { status: 404, headers: { 'Content-Type': 'application/problem+json' } });
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const status = url.searchParams.get('status');
    const room = url.searchParams.get('room');
    const list = all().filter((t) => (!status || t.status === status) && (!room || t.room === room));
    const page: TopicIndexPage = {
      items: list.slice(start, start + limit),
      total: options.total ?? list.length,
      cursor: String(start + limit),
      more: start + limit < list.length,
    };
    return new Response(JSON.stringify(page), { status: 200, headers: { 'Content-Type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

/** Two topics raised in the property room (物业议事室) by its QR code. */
function propertyRoomTopics(): TopicSnapshot[] {
  return ['2026-04-10T01:00:00.000Z', '2026-05-12T01:00:00.000Z'].map((start, i) =>
    new Topic(config, `t-property-${i}`, start).send(
      {
        type: 'topic.submit',
        source: 'resident',
        room: 'qingmingqiao-wuye',
        values: { title: `物业议题 ${i + 1}`, description: '小区物业服务需要改进，希望在物业议事室商量解决。', category: 'parking', name: '刘先生', contactWanted: 'no', consent: true },
      },
      { role: 'resident', id: `r-property-${i}` },
    ).snapshot,
  );
}

describe('<consult-outcomes-board>', () => {
  describe('topics summarised on this device (local transport)', () => {
    it('shows every raised topic with its status, measures, parties, feedback and satisfaction', async () => {
      const el = await mount({ topics, config, now: NOW });
      expect(count(el)).to.equal('第 1–6 个议题，共 6 个');
      expect(titles(el)).to.have.members(['3号楼加装电梯', '幸福里小区停车难', '垃圾分类投放点异味', '老年助餐点', '楼道灯不亮的问题', '邻居装修噪音纠纷']);

      const lift = topicText(el, 't-lift');
      expect(lift).to.include('已办结');
      expect(lift).to.include('成立加装电梯业主小组，征求全体住户意见');
      expect(lift).to.include('责任单位：');
      expect(lift).to.include('办理结果：已完成并通过验收');
      expect(lift).to.include('各项措施已办理完毕');
      expect(lift).to.include('4.2 分（满分 5 分），共 5 人评价');

      const parking = topicText(el, 't-parking');
      expect(parking).to.include('已逾期');
      expect(parking).to.include('理由：绿地是规划绿化用地，不能改作停车场');
      expect(parking).to.include('幸福里业主委员会');

      expect(topicText(el, 't-rejected')).to.include('不予受理。理由：属于个人诉求，请通过人民调解解决');
      expect(topicText(el, 't-waste')).to.include('社区议事室');
      // Nobody's name or the submitter's answers reach the board.
      expect(squash(root(el).textContent)).not.to.include('张阿姨');
      await expectAccessible(el);
    });

    it('filters by status, level, category and overdue, and searches the text', async () => {
      const lift = new Topic(config, 't-cat').send(
        { type: 'topic.submit', source: 'resident', values: { title: '电动车充电桩', description: '电动车在楼道充电很危险，希望统一建设充电桩。', category: 'parking', name: '李先生', contactWanted: 'no', consent: true } },
        { role: 'resident', id: 'r-x' },
      );
      const el = await mount({ topics: [...topics, lift.snapshot], config, now: NOW });
      let changes = 0;
      el.addEventListener('change', () => (changes += 1));

      await choose(el, 'status', 'closed');
      expect(titles(el)).to.deep.equal(['3号楼加装电梯']);
      await choose(el, 'status', '');
      await choose(el, 'category', 'parking');
      expect(titles(el)).to.deep.equal(['电动车充电桩']);
      await choose(el, 'category', '');
      await choose(el, 'overdue', true);
      expect(titles(el)).to.deep.equal(['幸福里小区停车难']);
      await choose(el, 'overdue', false);
      await choose(el, 'level', 'street');
      expect(items(el)).to.have.length(0);
      expect(squash(root(el).querySelector('[part=empty]')?.textContent)).to.include('没有符合筛选条件的议题');
      await choose(el, 'level', '');

      const search = byId<HTMLInputElement>(el, 'search');
      search.value = '垃圾';
      search.form!.requestSubmit();
      await el.updateComplete;
      expect(titles(el)).to.deep.equal(['垃圾分类投放点异味']);
      expect(changes).to.equal(9);

      (root(el).querySelector('.control--clear button') as HTMLButtonElement).click();
      await el.updateComplete;
      expect(items(el)).to.have.length(7);
      expect(root(el).activeElement === byId(el, 'search'), 'focus on #search').to.equal(true);
    });

    it('pages with previous / next by keyboard, says which topics of how many, and moves focus to that line', async () => {
      const el = await mount({ topics, config, now: NOW, pageSize: 2 });
      expect(count(el)).to.equal('第 1–2 个议题，共 6 个');
      const first = titles(el);
      expect(byId<HTMLButtonElement>(el, 'previous').disabled).to.equal(true);

      byId(el, 'next').focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      await el.updateComplete;
      expect(count(el)).to.equal('第 3–4 个议题，共 6 个');
      expect(root(el).activeElement === byId(el, 'count'), 'focus on #count').to.equal(true);
      const second = titles(el);
      expect(second).to.have.length(2);
      expect(second.some((t) => first.includes(t))).to.equal(false);

      byId(el, 'next').focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(count(el)).to.equal('第 5–6 个议题，共 6 个');
      expect(byId<HTMLButtonElement>(el, 'next').disabled).to.equal(true);

      byId(el, 'previous').focus();
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(titles(el)).to.deep.equal(second);
      await expectAccessible(el);
    });

    it('reads the workflow’s store through context and follows its changes', async () => {
      const provided = providedStore(config, topics.slice(0, 2));
      const el = await mount({ now: NOW }, {}, provided.provider);
      expect(items(el)).to.have.length(2);
      provided.replace(topics);
      await el.updateComplete;
      expect(items(el)).to.have.length(6);
      expect(squash(root(el).querySelector('.source')?.textContent)).to.equal('本机保存的议题。');
    });

    it('says so when nothing has been raised yet', async () => {
      const el = await mount({ topics: [], config });
      expect(squash(root(el).querySelector('[part=empty]')?.textContent)).to.include('还没有人提出议题');
      await expectAccessible(el);
    });

    it('keeps text as text (no markup from a title)', async () => {
      const evil = new Topic(config, 't-evil').send(
        { type: 'topic.submit', source: 'resident', values: { title: '<img src=x onerror="window.__pwned=1">', description: '<script>window.__pwned=2</script> 这是一段足够长的描述文字。', category: 'other', name: '李先生', contactWanted: 'no', consent: true } },
        { role: 'resident', id: 'r-evil' },
      );
      const el = await mount({ topics: [evil.snapshot], config });
      expect(titles(el)).to.deep.equal(['<img src=x onerror="window.__pwned=1">']);
      expect(root(el).querySelector('img')).to.equal(null);
      expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
    });

    it('filters by consultation room with a labelled picker of every room, driven by the keyboard, and names each topic’s room', async () => {
      const all = [...topics, ...propertyRoomTopics()];
      const el = await mount({ topics: all, config, now: NOW });
      const picker = byId<HTMLSelectElement>(el, 'room');
      expect(squash(root(el).querySelector('label[for="room"]')!.textContent)).to.equal('协商议事室');
      expect([...picker.options].map((o) => [o.value, o.textContent])).to.deep.equal([
        ['', '全部议事室'],
        ...config.rooms!.list.map((r) => [r.id, r.name['zh-CN']]),
      ]);
      expect(count(el)).to.equal('第 1–8 个议题，共 8 个');
      expect(topicText(el, 't-property-0')).to.include('议事室清名桥社区物业议事室');
      const changes: string[] = [];
      el.addEventListener('change', () => changes.push(el.room));
      picker.focus();
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'ArrowDown' });
      await el.updateComplete;
      expect(changes.at(-1)).to.equal('qingmingqiao-wuye');
      expect(titles(el)).to.have.members(['物业议题 1', '物业议题 2']);
      expect(count(el)).to.equal('第 1–2 个议题，共 2 个');
      // Every room's topics are exactly those whose summary names it.
      const inShequ = all.filter((t) => t.context.room === 'qingmingqiao-shequ').length;
      await choose(el, 'room', 'qingmingqiao-shequ');
      expect(items(el)).to.have.length(inShequ);
      await expectAccessible(el);
      // "Clear filters" brings every room back.
      root(el).querySelector<HTMLButtonElement>('.control--clear button')!.click();
      await el.updateComplete;
      expect(el.room).to.equal('');
      expect(items(el)).to.have.length(8);

      el.setAttribute('lang', 'en');
      el.setAttribute('room', 'qingmingqiao-wuye');
      await el.updateComplete;
      expect(squash(root(el).querySelector('label[for="room"]')!.textContent)).to.equal('Consultation room');
      expect(byId<HTMLSelectElement>(el, 'room').selectedOptions[0]!.textContent).to.equal('Qingmingqiao Community Property Room');
      expect(titles(el)).to.have.members(['物业议题 1', '物业议题 2']);
      await expectAccessible(el);
    });

    it('has no room picker when the programme has no rooms', async () => {
      const { rooms: _rooms, ...plain } = config;
      const el = await mount({ topics, config: plain as WorkflowConfig, now: NOW });
      expect(byId(el, 'room')).to.equal(null);
    });

    it('in English and large text, axe-clean', async () => {
      const el = await mount({ topics, config, now: NOW }, { lang: 'en', 'large-text': '' });
      expect(count(el)).to.equal('Topics 1–6 of 6');
      expect(topicText(el, 't-rejected')).to.include('Reason: 属于个人诉求');
      expect(topicText(el, 't-lift')).to.include('4.2 out of 5 from 5 rating(s)');
      await expectAccessible(el);
    });
  });

  describe("the city server's index (a stand-in fetch: no server runs in the browser tests)", () => {
    it('asks the index for one page with the filters, pages by the cursors it answers, and shows its total', async () => {
      const summaries = () => summarizeTopics(topics, NOW);
      const server = stubServer(summaries, { total: 6 });
      const el = await mount({ fetch: server.fetch, pageSize: 4 }, { endpoint: '/api', programme: 'wuxi', lang: 'en' });
      await until(() => items(el).length === 4, 'the first page');
      expect(count(el)).to.equal('Topics 1–4 of 6');
      const first = server.requests.find((u) => u.pathname === '/api/programmes/wuxi/topics')!;
      expect(first.searchParams.get('limit')).to.equal('4');
      expect(first.searchParams.has('cursor')).to.equal(false);

      byId<HTMLButtonElement>(el, 'next').click();
      await until(() => count(el) === 'Topics 5–6 of 6', 'the second page');
      expect(server.requests.at(-1)!.searchParams.get('cursor')).to.equal('4');

      byId<HTMLButtonElement>(el, 'previous').click();
      await until(() => count(el) === 'Topics 1–4 of 6', 'back to the first page');

      await choose(el, 'status', 'closed');
      await until(() => items(el).length === 1, 'the filtered page');
      const filtered = server.requests.at(-1)!;
      expect(filtered.searchParams.get('status')).to.equal('closed');
      expect(filtered.searchParams.has('cursor')).to.equal(false);
      expect(squash(root(el).querySelector('.source')?.textContent)).to.match(/^Updated /);
      await expectAccessible(el);
    });

    it('sends the room filter to the index (?room=) and shows only what it answers', async () => {
      const server = stubServer(() => summarizeTopics([...topics, ...propertyRoomTopics()], NOW));
      const el = await mount({ fetch: server.fetch, config }, { endpoint: '/api', programme: 'wuxi', room: 'qingmingqiao-wuye', lang: 'en' });
      await until(() => items(el).length === 2, 'the room’s page');
      const asked = server.requests.filter((u) => u.pathname === '/api/programmes/wuxi/topics').at(-1)!;
      expect(asked.searchParams.get('room')).to.equal('qingmingqiao-wuye');
      expect(count(el)).to.equal('Topics 1–2 of 2');
      await choose(el, 'room', '');
      await until(() => items(el).length === 8, 'every room');
      expect(server.requests.at(-1)!.searchParams.has('room')).to.equal(false);
      await expectAccessible(el);
    });

    it('when the server cannot be reached: says so, shows the last page seen, and tries again', async () => {
      let down = false;
      const server = stubServer(() => summarizeTopics(topics, NOW), { fail: () => down });
      const el = await mount({ fetch: server.fetch, pageSize: 3 }, { endpoint: '/api', programme: 'wuxi' });
      await until(() => items(el).length === 3, 'the first page');
      const seen = titles(el);

      down = true;
      byId<HTMLButtonElement>(el, 'next').click();
      await until(() => root(el).querySelector('[part=notice]') !== null, 'the notice');
      expect(squash(root(el).querySelector('[part=notice]')?.textContent)).to.include('目前无法连接服务器');
      expect(squash(root(el).querySelector('[part=notice]')?.textContent)).to.include('连上服务器之前，没有可以显示的内容');
      expect(items(el)).to.have.length(0);

      byId<HTMLButtonElement>(el, 'previous').click();
      await until(() => items(el).length === 3, 'the page seen before');
      expect(titles(el)).to.deep.equal(seen);
      expect(squash(root(el).querySelector('[part=notice]')?.textContent)).to.include('下面是您上次看到的页面');
      await expectAccessible(el);

      down = false;
      (root(el).querySelector('[part=notice] button') as HTMLButtonElement).click();
      await until(() => root(el).querySelector('[part=notice]') === null, 'the notice to go');
      expect(titles(el)).to.deep.equal(seen);
    });

    it("inside a workflow whose programme sends to a city backend, reads that backend's index", async () => {
      const http = { ...config, transport: { type: 'http' as const, endpoint: '/city-api' } } as WorkflowConfig;
      const provided = providedStore(http, topics.slice(0, 1));
      const server = stubServer(() => summarizeTopics(topics, NOW));
      const el = await mount({ fetch: server.fetch }, {}, provided.provider);
      await until(() => items(el).length === 6, 'the server page');
      expect(server.requests.some((u) => u.pathname === `/city-api/programmes/${config.id}/topics`)).to.equal(true);
      expect(count(el)).to.equal('第 1–6 个议题，共 6 个');
    });

    it("inside a workflow pointed at a backend by its endpoint attribute (the config says local), reads that backend's index", async () => {
      // The workflow element's public `endpoint` is what counts; the real workflow is not needed here.
      const workflow = document.createElement('consult-workflow') as HTMLElement & { endpoint?: string };
      workflow.endpoint = '/api';
      document.body.append(workflow);
      const provided = providedStore(config, topics.slice(0, 1));
      workflow.append(provided.provider);
      const server = stubServer(() => summarizeTopics(topics, NOW));
      const el = await mount({ fetch: server.fetch }, {}, provided.provider);
      await until(() => items(el).length === 6, 'the server page');
      expect(server.requests.some((u) => u.pathname === `/api/programmes/${config.id}/topics`)).to.equal(true);
    });
  });
});
