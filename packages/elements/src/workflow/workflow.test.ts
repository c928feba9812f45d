/**
 * <consult-workflow> in real Chromium: config loading, role views, context, navigation, rebuild
 * from the log; the convener's list of 1,000 topics windowed, Tab and the arrow keys through it.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { ContextConsumer } from '@lit/context';
import { LitElement } from 'lit';
import { parseWorkflowConfig, stateName, type ProgrammeActorRef } from '@consult-kit/machine';
import { openStore, type ConsultStore } from '@consult-kit/store';
import '../all.js';
import type { ConsultWorkflow } from './workflow.component.js';
import { programmeContext, storeContext } from '../context/consultation-context.js';
import { expectAccessible } from '../../test/a11y.js';

const dbName = (label: string) => `wf-${label}-${Math.random().toString(36).slice(2)}`;

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A child that reads what the workflow provides, as any element inside it would. */
class ContextProbe extends LitElement {
  store: ConsultStore | undefined;
  actor: ProgrammeActorRef | undefined;
  constructor() {
    super();
    new ContextConsumer(this, { context: storeContext, subscribe: true, callback: (v) => (this.store = v) });
    new ContextConsumer(this, { context: programmeContext, subscribe: true, callback: (v) => (this.actor = v) });
  }
}
customElements.define('wf-context-probe', ContextProbe);

async function mount(attrs: Record<string, string>, child?: Element): Promise<ConsultWorkflow> {
  const el = document.createElement('consult-workflow');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (child) el.append(child);
  document.body.append(el);
  await until(() => Boolean(el.shadowRoot?.querySelector('nav, .problem')), 'the config to load');
  await el.updateComplete;
  return el;
}

const navLabels = (el: ConsultWorkflow) => [...el.shadowRoot!.querySelectorAll('nav button')].map((b) => b.textContent!.trim());
const submitEvent = () => ({
  type: 'topic.submit' as const,
  values: { title: '小区路灯不亮', description: '东门到三号楼之间的三盏路灯坏了两个月，晚上出行不安全。', category: 'other', name: '陈阿姨', contactWanted: 'no', consent: true },
  source: 'resident' as const,
  by: { role: 'resident' as const },
  at: new Date().toISOString(),
});

afterEach(() => document.body.replaceChildren());

describe('<consult-workflow>', () => {
  it('loads the config and shows the views a resident may see, in zh-CN by default; a newcomer starts at the form', async () => {
    const el = await mount({ config: '/examples/configs/wuxi-community.json', 'db-name': dbName('resident') });
    expect(navLabels(el)).to.deep.equal(['我的议题', '提出议题', '议题列表', '协商成果公开', '统计数据']);
    expect(el.shadowRoot!.querySelector('nav button[aria-current="page"]')!.textContent!.trim()).to.equal('提出议题');
    expect(el.shadowRoot!.querySelector('consult-topic-form')).to.not.equal(null, 'a resident who follows nothing yet came to raise a topic');
    expect(el.hasAttribute('role')).to.equal(false, 'user-role never becomes the ARIA role');
    await expectAccessible(el);
  });

  it('a resident who raised a topic on this device starts at "my topics" next time', async () => {
    const name = dbName('returning');
    const first = await mount({ config: '/examples/configs/wuxi-community.json', 'db-name': name });
    const probe = new ContextProbe();
    first.append(probe);
    await until(() => probe.store !== undefined, 'the store');
    await probe.store!.append('t-returning', submitEvent());
    first.remove();
    const again = await mount({ config: '/examples/configs/wuxi-community.json', 'db-name': name });
    await until(() => Boolean(again.shadowRoot!.querySelector('consult-my-topics')), 'my topics');
    expect(again.shadowRoot!.querySelector('nav button[aria-current="page"]')!.textContent!.trim()).to.equal('我的议题');
  });

  it('shows each role its own views, in English with lang="en"', async () => {
    const el = await mount({ config: '/examples/configs/wuxi-community.json', 'user-role': 'department', lang: 'en', 'db-name': dbName('dept') });
    expect(navLabels(el)).to.deep.equal(['Topics', 'Outcomes', 'Figures', 'Outcomes board']);
    el.setAttribute('user-role', 'convener');
    await el.updateComplete;
    expect(navLabels(el)).to.deep.equal(['Topics', 'Outcomes', 'Figures', 'Raise a topic', 'Outcomes board']);
  });

  it('a language switch reaches the elements inside: the form on screen turns English, then back', async () => {
    const el = await mount({ config: '/examples/configs/wuxi-community.json', 'db-name': dbName('lang'), view: 'intake' });
    const form = () => el.shadowRoot!.querySelector('consult-topic-form')!;
    const formText = () => form().shadowRoot!.textContent!;
    await until(() => formText().includes('议题名称'), 'the form in zh-CN');
    el.setAttribute('lang', 'en');
    await until(() => formText().includes('Topic') && !formText().includes('议题名称'), 'the form to turn English');
    expect(navLabels(el)[1]).to.equal('Raise a topic');
    el.removeAttribute('lang');
    document.documentElement.lang = 'en';
    try {
      await until(() => formText().includes('Topic'), 'the form to follow <html lang="en">');
      document.documentElement.lang = 'zh-CN';
      await until(() => formText().includes('议题名称'), 'the form to follow <html lang="zh-CN">');
    } finally {
      document.documentElement.lang = 'zh-CN';
    }
  });

  it('shows every config fault with its pointer instead of a blank box, and fires consult-error', async () => {
    const errors: string[] = [];
    document.addEventListener('consult-error', (e) => errors.push(e.detail.code), { once: true });
    const script = document.createElement('script');
    script.type = 'application/json';
    script.textContent = JSON.stringify({ id: 'Bad Id', version: '1', title: { 'zh-CN': '坏配置' }, level: 'galaxy', steps: [], form: { pages: [] } });
    const el = await mount({ 'db-name': dbName('bad') }, script);
    await until(() => Boolean(el.shadowRoot!.querySelector('.config-errors')), 'the errors');
    const text = el.shadowRoot!.querySelector('.config-errors')!.textContent!;
    for (const pointer of ['/id', '/version', '/title/en', '/level']) expect(text).to.contain(pointer);
    expect(errors).to.deep.equal(['config-invalid']);
    await expectAccessible(el);
  });

  it('provides its store and programme actor to the elements inside; the actor follows the store', async () => {
    const probe = document.createElement('wf-context-probe') as ContextProbe;
    const el = await mount({ config: '/examples/configs/wuxi-community.json', 'db-name': dbName('ctx') }, probe);
    await until(() => Boolean(probe.store && probe.actor), 'the contexts');
    const result = await probe.store!.append('t1', submitEvent());
    expect(result.ok).to.equal(true);
    await until(() => Boolean(probe.actor!.getSnapshot().context.topics.t1), 'the actor to get the topic');
    expect(stateName(probe.actor!.getSnapshot().context.topics.t1!.getSnapshot())).to.equal('screening');
    el.remove();
  });

  it('rebuilds the programme actor from the log when put back on the page (never restarts a stopped one)', async () => {
    const probe = document.createElement('wf-context-probe') as ContextProbe;
    const name = dbName('rebuild');
    const el = await mount({ config: '/examples/configs/wuxi-community.json', 'db-name': name }, probe);
    await until(() => Boolean(probe.store && probe.actor), 'the contexts');
    await probe.store!.append('t1', submitEvent());
    const first = probe.actor!;
    el.remove();
    expect(first.getSnapshot().status).to.equal('stopped');
    document.body.append(el);
    await until(() => Boolean(probe.actor && probe.actor !== first), 'a new actor');
    expect(Object.keys(probe.actor!.getSnapshot().context.topics)).to.deep.equal(['t1']);
  });

  it('navigates by keyboard, moves focus to the view, reflects view/topic and leaves the page history alone', async () => {
    const el = await mount({ config: '/examples/configs/wuxi-community.json', 'db-name': dbName('nav'), 'user-role': 'convener' });
    const probe = document.createElement('wf-context-probe') as ContextProbe;
    el.append(probe);
    await until(() => Boolean(probe.store), 'the store');
    await probe.store!.append('t1', submitEvent());
    await el.updateComplete;
    const navigations: Array<{ view: string; topic: string | undefined }> = [];
    el.addEventListener('consult-navigate', (e) => navigations.push(e.detail));
    const historyLength = history.length;
    const topicButton = () => el.shadowRoot!.querySelector<HTMLButtonElement>('.topics button');
    await until(() => Boolean(topicButton()), 'the topic list');
    expect(topicButton()!.textContent).to.contain('小区路灯不亮');
    topicButton()!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.getAttribute('topic')).to.equal('t1');
    expect(el.shadowRoot!.querySelector('consult-meeting-timeline')!.getAttribute('topic')).to.equal('t1');
    expect(el.shadowRoot!.querySelector('consult-staff-actions')!.getAttribute('user-role')).to.equal('convener');
    const outcomes = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('nav button')].find((b) => b.textContent!.includes('成果办理'))!;
    outcomes.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    await el.updateComplete;
    expect(el.getAttribute('view')).to.equal('outcomes');
    expect(el.shadowRoot!.activeElement?.tagName).to.equal('H2');
    expect(navigations.map((n) => n.view)).to.deep.equal(['timeline', 'outcomes']);
    expect(history.length).to.equal(historyLength);
    await expectAccessible(el);
  });
});

describe('<consult-workflow>: a staff desk whose sign-in cannot be checked', () => {
  /** A staff desk on `endpoint`, with a token; resolves once it shows something other than "checking". */
  async function desk(endpoint: string, lang = 'zh-CN'): Promise<ConsultWorkflow> {
    const el = document.createElement('consult-workflow');
    el.token = 'tok-convener';
    for (const [k, v] of Object.entries({ config: '/examples/configs/wuxi-community.json', 'db-name': dbName('desk'), 'user-role': 'convener', endpoint, lang })) el.setAttribute(k, v);
    document.body.append(el);
    await until(() => Boolean(el.shadowRoot?.querySelector('nav, .sign-in.panel')), 'the desk or its panel', 15_000);
    await el.updateComplete;
    return el;
  }

  it('a server that answers /me with something else (here a 404): no desk, the reason, Try again', async () => {
    const el = await desk('/no-such-api');
    const panel = el.shadowRoot!.querySelector('.sign-in.panel')!;
    expect(panel.querySelector('h2')!.textContent!.trim()).to.equal('暂时无法核对您的登录');
    expect(panel.textContent).to.contain('（404）');
    expect(el.shadowRoot!.querySelector('nav')).to.equal(null, 'no desk');
    expect(el.me).to.equal(undefined);
    const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('#sign-in-retry')!;
    retry.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => el.shadowRoot!.querySelector('#sign-in-retry') !== null && el.shadowRoot!.textContent!.includes('暂时无法核对'), 'asked again');
    await expectAccessible(el, 'sign-in unavailable');
  });

  it('a server that cannot be reached: the desk works on this device and says the sign-in is not checked', async () => {
    // Nothing listens on port 9 here: the connection is refused, as when offline.
    const el = await desk('http://127.0.0.1:9/api', 'en');
    expect(el.shadowRoot!.querySelector('nav')).to.not.equal(null, 'the desk, offline-first');
    expect(el.shadowRoot!.textContent).to.contain('Your sign-in could not be checked: you are offline.');
    expect(el.shadowRoot!.querySelector('[part="identity"]')).to.equal(null, 'nobody is named as signed in');
  });
});

describe('<consult-workflow>: the convener’s topic list of 1,000 topics', () => {
  const TOPICS = 1_000;
  let name: string;

  before(async function () {
    this.timeout(120_000);
    // 1,000 topics written to IndexedDB through the store, as this device would have them.
    const parsed = parseWorkflowConfig(await (await fetch('/examples/configs/wuxi-community.json')).json());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    name = dbName('thousand');
    const store = await openStore({ config: parsed.config, dbName: name, pullIntervalMs: 0 });
    for (let i = 0; i < TOPICS; i += 1) {
      const at = new Date(Date.parse('2026-03-01T00:00:00.000Z') + i * 60_000).toISOString();
      const event = submitEvent();
      const result = await store.append(`t-${i}`, { ...event, values: { ...event.values, title: `议题 ${i + 1}：楼道照明改造` }, by: { role: 'resident', id: `r-${i}` }, at });
      if (!result.ok) throw new Error(result.refusal.message);
    }
    store.close();
  });

  async function thousand(): Promise<{ el: ConsultWorkflow; list: HTMLElement }> {
    await setViewport({ width: 1024, height: 800 });
    const el = await mount({ config: '/examples/configs/wuxi-community.json', 'db-name': name, 'user-role': 'convener' });
    const list = () => el.shadowRoot!.querySelector<HTMLElement>('#topic-list');
    await until(() => list()?.querySelector('li')?.getAttribute('aria-setsize') === String(TOPICS), 'the list of 1,000 topics', 20_000);
    for (let i = 0; i < 5; i += 1) {
      await el.updateComplete;
      await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    }
    return { el, list: list()! };
  }

  const place = (el: ConsultWorkflow) => Number(el.shadowRoot!.activeElement?.closest('li')?.getAttribute('aria-posinset'));

  it('renders only the topics on screen, newest first, each with its place of 1,000; axe clean', async function () {
    this.timeout(60_000);
    const { el, list } = await thousand();
    expect(list.hasAttribute('data-window')).to.equal(true);
    expect(list.getAttribute('aria-label')).to.equal('议题列表');
    const items = [...list.querySelectorAll('li')];
    expect(items.length, 'a window, not 1,000 items').to.be.below(60);
    expect(items[0]!.getAttribute('aria-posinset')).to.equal('1');
    expect(items[0]!.textContent).to.contain(`议题 ${TOPICS}：`);
    await expectAccessible(el, '1,000 topics');
  });

  it('Tab goes through all 1,000 topics one by one, focus never lost while the window moves; ↑ ↓ Home End move too; Enter opens one', async function () {
    this.timeout(180_000);
    const { el, list } = await thousand();
    const search = el.shadowRoot!.getElementById('topic-search') as HTMLInputElement;
    search.focus();
    await sendKeys({ press: 'Tab' }); // the search button
    for (let n = 1; n <= TOPICS; n += 1) {
      await sendKeys({ press: 'Tab' });
      expect(document.activeElement, `focus still in the workflow at ${n}`).to.equal(el);
      expect(el.shadowRoot!.activeElement?.localName, `topic ${n} is a button`).to.equal('button');
      expect(place(el), 'the next topic').to.equal(n);
    }
    expect(list.querySelectorAll('li').length, 'still a window at the end').to.be.below(60);
    expect(el.shadowRoot!.activeElement!.textContent).to.contain('议题 1：');

    await sendKeys({ press: 'Home' });
    expect(place(el), 'Home: the first topic').to.equal(1);
    for (let n = 2; n <= 30; n += 1) {
      await sendKeys({ press: 'ArrowDown' });
      expect(place(el), 'ArrowDown: the next topic').to.equal(n);
    }
    await sendKeys({ press: 'ArrowUp' });
    expect(place(el)).to.equal(29);
    await sendKeys({ press: 'End' });
    expect(place(el), 'End: the last topic').to.equal(TOPICS);
    const opened = el.shadowRoot!.activeElement!.textContent!;
    expect(opened).to.contain('议题 1：');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.getAttribute('topic')).to.equal('t-0');
  });
});
