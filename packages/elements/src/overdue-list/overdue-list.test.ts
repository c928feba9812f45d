/**
 * <consult-overdue-list> in real Chromium against a fake source (a stand-in store whose
 * `overdue()` answers the contract's pages and failures; the real server's list is driven in
 * packages/elements/test/notices-real-server.test.ts): a table with column headers on a desktop
 * and cards at 390 px, most overdue first with "overdue by N days" in both languages, the
 * server's asOf, the party filter sent to the server and driven by the keyboard, the topic's
 * select event, show more, loading / empty / error / signed-out / forbidden states, large text,
 * and axe on every state.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { NoticeResult, OverdueItem, OverduePage, OverdueQuery } from '@consult-kit/store';
import type { WorkflowConfig } from '@consult-kit/machine';
import './consult-overdue-list.js';
import type { ConsultOverdueList, OverdueListStore } from './overdue-list.component.js';
import type { ConsultTopicSelectEvent } from '../events/topic-select-event.js';
import { expectAccessible } from '../../test/a11y.js';
import { wuxi } from '../../test/programme.js';

const AS_OF = '2026-05-05T04:00:00.000Z';

function item(n: number, days: number, party = 'housing-bureau'): OverdueItem {
  return {
    topicId: `t-${n}`,
    title: `议题 ${n}：楼道灯不亮`,
    measureId: `m-${n}`,
    measure: `措施 ${n}：更换楼道灯`,
    party,
    due: '2026-04-30',
    overdueDays: days,
    status: 'adopted',
    level: 'community',
  };
}

/** A stand-in store: `overdue()` answers from `pages` (by party and cursor) and records what it was asked. */
function fakeStore(answer: (query: OverdueQuery) => NoticeResult<OverduePage> | Promise<NoticeResult<OverduePage>>, config?: WorkflowConfig) {
  const asked: OverdueQuery[] = [];
  const store: OverdueListStore & { asked: OverdueQuery[] } = {
    asked,
    ...(config ? { config } : {}),
    subscribe: () => () => undefined,
    overdue: async (query: OverdueQuery = {}) => {
      asked.push(query);
      return answer(query);
    },
  } as never;
  return store;
}

const page = (items: OverdueItem[], more = false, total = items.length): NoticeResult<OverduePage> => ({ ok: true, value: { asOf: AS_OF, total, items, cursor: more ? 'next' : '', more } });

let config: WorkflowConfig;
before(async () => {
  config = await wuxi();
});

beforeEach(async () => {
  await setViewport({ width: 1024, height: 800 });
});

afterEach(() => {
  document.body.replaceChildren();
});

const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const root = (el: ConsultOverdueList) => el.shadowRoot!;
const visible = (node: Element | null) => node !== null && getComputedStyle(node).display !== 'none' && (node as HTMLElement).offsetParent !== null;

async function mount(store: OverdueListStore | undefined, attrs: Record<string, string> = {}): Promise<ConsultOverdueList> {
  const el = document.createElement('consult-overdue-list') as ConsultOverdueList;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (store) el.store = store;
  document.body.append(el);
  await settle(el);
  return el;
}

async function settle(el: ConsultOverdueList): Promise<void> {
  for (let i = 0; i < 4; i += 1) {
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 0));
  }
}

describe('<consult-overdue-list> against a fake source', () => {
  it('shows every overdue measure in a table with column headers, most overdue first, in zh-CN, with the server’s time', async () => {
    const store = fakeStore(() => page([item(1, 2), item(2, 9, 'street-office'), item(3, 5)]), config);
    const el = await mount(store, { lang: 'zh-CN' });
    const table = root(el).querySelector('table')!;
    expect(visible(table)).to.equal(true);
    const headers = [...table.querySelectorAll('thead th')].map((th) => [text(th), th.getAttribute('scope')]);
    expect(headers).to.deep.equal([
      ['超期', 'col'],
      ['议题', 'col'],
      ['措施', 'col'],
      ['责任单位', 'col'],
      ['办理期限', 'col'],
      ['状态', 'col'],
    ]);
    const rows = [...table.querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.getAttribute('data-topic'))).to.deep.equal(['t-2', 't-3', 't-1']);
    expect(text(rows[0]!.querySelector('[part="overdue"]'))).to.equal('已超期 9 天');
    expect(rows[0]!.querySelector('th[scope="row"]')).to.not.equal(null);
    // Party ids become the config's names.
    expect(text(rows[0]!.children[3])).to.not.equal('street-office');
    expect(text(root(el).querySelector('[part="as-of"]'))).to.contain('服务器时间');
    expect(root(el).querySelector('[part="as-of"] time')!.getAttribute('datetime')).to.equal(AS_OF);
    expect(text(root(el).querySelector('#count'))).to.equal('共 3 项超期措施');
    await expectAccessible(el, 'the table');
  });

  it('in English says "Overdue by N days" (and "1 day"), and at 390 px shows cards instead of the table', async () => {
    await setViewport({ width: 390, height: 800 });
    const el = await mount(fakeStore(() => page([item(1, 1), item(2, 5)]), config), { lang: 'en' });
    expect(visible(root(el).querySelector('table'))).to.equal(false);
    const cards = [...root(el).querySelectorAll('.card')];
    expect(cards.every((c) => visible(c))).to.equal(true);
    expect(cards.map((c) => text(c.querySelector('[part="overdue"]')))).to.deep.equal(['Overdue by 5 days', 'Overdue by 1 day']);
    expect(text(cards[0])).to.contain('Responsible party');
    expect(text(cards[0])).to.contain('Due date');
    // Nothing sticks out sideways at phone width.
    expect(root(el).querySelector('.base')!.scrollWidth).to.be.at.most(390);
    await expectAccessible(el, 'the cards');
    el.toggleAttribute('large-text', true);
    await settle(el);
    expect(root(el).querySelector('.base')!.scrollWidth).to.be.at.most(390);
    await expectAccessible(el, 'large text');
  });

  it('the party filter is sent to the server and driven by the keyboard; a topic opens with consult-topic-select', async () => {
    const store = fakeStore((q) => (q.party === 'street-office' ? page([item(2, 9, 'street-office')]) : page([item(1, 2), item(2, 9, 'street-office')])), config);
    const el = await mount(store, { lang: 'en' });
    const changes: string[] = [];
    el.addEventListener('change', () => changes.push(el.filterParty));
    const select = root(el).querySelector<HTMLSelectElement>('#party')!;
    expect(text(root(el).querySelector('label[for="party"]'))).to.equal('Responsible party');
    select.focus();
    const street = [...select.options].findIndex((o) => o.value === 'street-office');
    expect(street).to.be.greaterThan(0);
    for (let i = 0; i < street; i += 1) await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    // Arrow keys on a closed select change it one option at a time (a change event each).
    expect(changes.length).to.equal(street);
    expect(changes.at(-1)).to.equal('street-office');
    expect(store.asked.at(-1)).to.deep.include({ party: 'street-office' });
    expect([...root(el).querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-topic'))).to.deep.equal(['t-2']);
    expect(text(root(el).querySelector('#count'))).to.match(/^1 overdue measure\(s\) for /);
    // Tab to the topic and open it with Enter.
    const selected: Array<{ topicId: string; measureId?: string }> = [];
    el.addEventListener('consult-topic-select', (e) => selected.push((e as ConsultTopicSelectEvent).detail));
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement?.classList.contains('topic-link')).to.equal(true);
    await sendKeys({ press: 'Enter' });
    expect(selected).to.deep.equal([{ topicId: 't-2', measureId: 'm-2' }]);
  });

  it('a topic-href makes links (checked by safeUrl); preventDefault keeps the page where it is', async () => {
    const el = await mount(fakeStore(() => page([item(7, 3)]), config), { 'topic-href': '#/topic/{topicId}' });
    const link = root(el).querySelector<HTMLAnchorElement>('tbody a.topic-link')!;
    expect(link.getAttribute('href')).to.equal('#/topic/t-7');
    el.addEventListener('consult-topic-select', (e) => e.preventDefault());
    link.click();
    expect(location.hash).to.equal('');
    const bad = await mount(fakeStore(() => page([item(8, 3)]), config), { 'topic-href': 'javascript:alert(1)//{topicId}' });
    expect(root(bad).querySelector('tbody a')).to.equal(null);
  });

  it('show more appends the next page and moves focus to the first new measure', async () => {
    const store = fakeStore((q) => (q.cursor === 'next' ? page([item(3, 2)], false, 3) : page([item(1, 8), item(2, 4)], true, 3)), config);
    const el = await mount(store, { lang: 'en' });
    expect(text(root(el).querySelector('#count'))).to.equal('3 overdue measure(s)');
    const more = root(el).querySelector<HTMLButtonElement>('#more')!;
    more.focus();
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect([...root(el).querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-topic'))).to.deep.equal(['t-1', 't-2', 't-3']);
    expect(store.asked.at(-1)).to.deep.include({ cursor: 'next' });
    expect(root(el).querySelector('#more')).to.equal(null);
    expect(text(root(el).activeElement)).to.contain('议题 3');
  });

  it('loading, then "Nothing is overdue" (没有超期事项), axe clean', async () => {
    let release: (v: NoticeResult<OverduePage>) => void = () => undefined;
    const el = await mount(fakeStore(() => new Promise((resolve) => (release = resolve)), config), { lang: 'zh-CN' });
    expect(text(root(el).querySelector('[part="message"]'))).to.equal('正在读取超期事项……');
    release(page([]));
    await settle(el);
    expect(text(root(el).querySelector('[part="empty"]'))).to.contain('没有超期事项');
    expect(root(el).querySelector('table')).to.equal(null);
    await expectAccessible(el, 'empty');
    el.setAttribute('lang', 'en');
    await settle(el);
    expect(text(root(el).querySelector('[part="empty"]'))).to.contain('Nothing is overdue');
  });

  it('offline and a failing server say so with Try again, which reads again; nothing throws', async () => {
    let fail = true;
    const store = fakeStore(() => (fail ? { ok: false, reason: 'offline' } : page([item(1, 3)])), config);
    const el = await mount(store, { lang: 'en' });
    const alert = root(el).querySelector('[role="alert"]')!;
    expect(text(alert)).to.contain('You are offline');
    await expectAccessible(el, 'offline');
    fail = false;
    (alert.querySelector('button') as HTMLButtonElement).click();
    await settle(el);
    expect(root(el).querySelectorAll('tbody tr').length).to.equal(1);
    const broken = await mount(fakeStore(() => Promise.reject(new Error('boom'))), { lang: 'zh-CN' });
    expect(text(root(broken).querySelector('[role="alert"]'))).to.contain('服务器暂时无法提供超期事项');
  });

  it('signed out (no token) and a token that may not see the list are told apart', async () => {
    const none = await mount(undefined, { endpoint: '/api', programme: 'p1', lang: 'zh-CN' });
    expect(text(root(none).querySelector('[part="message"]'))).to.equal('请以工作人员身份登录后查看超期事项。');
    await expectAccessible(none, 'signed out');
    const refused = await mount(fakeStore(() => ({ ok: false, reason: 'forbidden', status: 403 })), { lang: 'en' });
    expect(text(root(refused).querySelector('[part="message"]'))).to.contain('may not see the overdue list');
    const signedOut = await mount(fakeStore(() => ({ ok: false, reason: 'signed-out', status: 401 })), { lang: 'en' });
    expect(text(root(signedOut).querySelector('[part="message"]'))).to.equal('Sign in as staff to see the overdue list.');
  });

  it('text from the server stays text (no HTML is made from it)', async () => {
    const hostile = { ...item(1, 3), title: '<img src=x onerror="window.__pwned=1">', measure: '<b>bold</b>' };
    const el = await mount(fakeStore(() => page([hostile]), config));
    expect(root(el).querySelector('img')).to.equal(null);
    expect(root(el).querySelector('tbody b')).to.equal(null);
    expect(text(root(el).querySelector('tbody .measure'))).to.equal('<b>bold</b>');
  });
});
