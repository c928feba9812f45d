/**
 * Due and overdue counted at the server's clock (issue 17), in real Chromium: the words ("Due in
 * 3 days / 3 天后到期", "Due today / 今天到期", "Overdue by 5 days / 已超期 5 天"), the tracker
 * reading a store that heard the server's clock (a device clock months off does not matter), the
 * tracker reading a fake index page that carries `asOf`, and the staff desk's measure cards at the
 * store's server time — and the device's clock in local mode.
 */
import { expect } from '@esm-bundle/chai';
import { ContextProvider } from '@lit/context';
import { openStore, type ConsultStore, type TopicIndexPage } from '@consult-kit/store';
import type { TopicEvent, WorkflowConfig } from '@consult-kit/machine';
import { dueState, dueWords } from './due.js';
import { MESSAGES, type MessageKey } from '../i18n/messages.js';
import { format } from '../i18n/locale.js';
import { storeContext } from '../context/consultation-context.js';
import '../outcome-tracker/consult-outcome-tracker.js';
import '../staff-actions/consult-staff-actions.js';
import type { ConsultOutcomeTracker } from '../outcome-tracker/outcome-tracker.component.js';
import type { ConsultStaffActions } from '../staff-actions/staff-actions.component.js';
import { expectAccessible } from '../../test/a11y.js';
import { programme, wuxi } from '../../test/programme.js';

const words = (locale: 'zh-CN' | 'en') => (key: MessageKey, params?: Readonly<Record<string, string | number>>) => format(MESSAGES[locale][key], params);
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const DAY = 86_400_000;

let config: WorkflowConfig;
const stores: ConsultStore[] = [];
const realFetch = window.fetch;

before(async () => {
  config = await wuxi();
});

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  document.body.replaceChildren();
  window.fetch = realFetch;
});

async function until(check: () => boolean, what: string, ms = 4000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('due and overdue words', () => {
  it('a date-only due lasts to the end of its day; whole days either side, in both languages', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(dueState('2026-05-08', at('2026-05-05T04:00:00Z'))).to.deep.equal({ kind: 'soon', days: 3 });
    expect(dueState('2026-05-05', at('2026-05-05T04:00:00Z'))).to.deep.equal({ kind: 'today', days: 0 });
    expect(dueState('2026-04-30', at('2026-05-05T04:00:00Z'))).to.deep.equal({ kind: 'overdue', days: 5 });
    expect(dueState('2026-05-04', at('2026-05-05T00:00:01Z'))).to.deep.equal({ kind: 'overdue', days: 1 });
    expect(dueState('not a date', Date.now())).to.equal(undefined);
    expect(dueWords(words('en'), { kind: 'soon', days: 3 })).to.equal('Due in 3 days');
    expect(dueWords(words('en'), { kind: 'soon', days: 1 })).to.equal('Due in 1 day');
    expect(dueWords(words('zh-CN'), { kind: 'soon', days: 3 })).to.equal('3 天后到期');
    expect(dueWords(words('zh-CN'), { kind: 'today', days: 0 })).to.equal('今天到期');
    expect(dueWords(words('en'), { kind: 'today', days: 0 })).to.equal('Due today');
    expect(dueWords(words('zh-CN'), { kind: 'overdue', days: 5 })).to.equal('已超期 5 天');
    expect(dueWords(words('en'), { kind: 'overdue', days: 5 })).to.equal('Overdue by 5 days');
  });

  it('the tracker counts at the server’s clock a (fake) store heard, not the device’s', async () => {
    // The server says it is 27 September 2026, noon; this device's clock says something else.
    const serverAt = Date.parse('2026-09-27T12:00:00Z');
    const store = {
      config,
      topics: new Map(programme(config).map((t) => [t.context.topicId, t])),
      status: { revision: 1, serverClockOffsetMs: serverAt - Date.now() },
      subscribe(listener: (s: unknown) => void) {
        listener(this.status);
        return () => undefined;
      },
    };
    const provider = document.createElement('div');
    new ContextProvider(provider, { context: storeContext, initialValue: store as never });
    document.body.append(provider);
    const el = document.createElement('consult-outcome-tracker') as ConsultOutcomeTracker;
    el.setAttribute('lang', 'en');
    provider.append(el);
    await el.updateComplete;
    const rows = [...el.shadowRoot!.querySelectorAll('[role="listitem"]')];
    const row = (measure: string) => rows.find((r) => text(r).includes(measure))!;
    // 错时共享 (due 30 September, adopted): three days left at the server's time.
    expect(text(row('错时共享周边单位停车场').querySelector('[part="due"]'))).to.equal('Due in 3 days');
    // 重新划设停车位 (due 15 April, in progress): overdue by the server's count of days.
    const late = Math.ceil((serverAt - Date.parse('2026-04-15T23:59:59.999Z')) / DAY);
    expect(text(row('重新划设停车位').querySelector('[part="overdue"]'))).to.equal(`Overdue by ${late} day(s)`);
    // Settled measures say nothing about time left.
    expect(row('把小区绿地改成停车场').querySelector('[part="due"]')).to.equal(null);
    await expectAccessible(el, 'tracker with due words');
  });

  it('the tracker on a fake index page counts at the page’s asOf', async () => {
    const page: TopicIndexPage = {
      asOf: '2026-05-05T04:00:00.000Z',
      total: 1,
      cursor: '',
      more: false,
      items: [
        {
          topicId: 't-1',
          title: '楼道灯不亮',
          status: 'handling',
          level: 'community',
          source: 'resident',
          measures: [
            { id: 'm-1', text: '更换楼道灯', party: 'street-office', due: '2026-05-08', status: 'adopted', overdue: false },
            { id: 'm-2', text: '清理楼道堆物', party: 'property-company', due: '2026-05-05', status: 'inProgress', overdue: false },
          ],
          overdue: false,
        } as never,
      ],
    };
    window.fetch = async (input: RequestInfo | URL) => {
      const url = String(input);
      if (url.includes('/api/programmes/p1/topics')) return new Response(JSON.stringify(page), { headers: { 'Content-Type': 'application/json' } });
      return realFetch(input);
    };
    const el = document.createElement('consult-outcome-tracker') as ConsultOutcomeTracker;
    el.setAttribute('lang', 'zh-CN');
    el.setAttribute('endpoint', '/api');
    el.setAttribute('programme', 'p1');
    el.config = config;
    document.body.append(el);
    await until(() => el.shadowRoot!.querySelectorAll('[role="listitem"]').length === 2, 'the page');
    const dues = [...el.shadowRoot!.querySelectorAll('[role="listitem"]')].map((r) => text(r.querySelector('[part="due"]')));
    expect(dues).to.deep.equal(['今天到期', '3 天后到期']);
  });

  it('the staff desk’s measure card says "overdue by N days" at the store’s server time; in local mode at the device’s', async () => {
    const store = await openStore({ config, dbName: `due-${Math.random().toString(36).slice(2)}`, pullIntervalMs: 0 });
    stores.push(store);
    const by = { role: 'convener' as const, id: 'c1' };
    const send = async (event: Record<string, unknown>) => {
      const r = await store.append('t-due', { by, at: new Date().toISOString(), ...event } as unknown as TopicEvent);
      if (!r.ok) throw new Error(`${String(event.type)}: ${r.refusal.message}`);
    };
    await send({ type: 'topic.submit', source: 'resident', by: { role: 'resident', id: 'r0' }, values: { title: '3号楼加装电梯', description: '三号楼住了很多老人，上下楼很难，希望社区组织大家商量加装电梯。', category: 'lift', name: '王阿姨', contactWanted: 'no', consent: true } });
    await send({ type: 'screening.accept' });
    await send({ type: 'research.complete', findings: '走访了三号楼全部24户，其中18户同意加装电梯，6户担心采光和费用。' });
    await send({ type: 'meeting.schedule', format: 'room', start: '2026-06-01T11:30:00.000Z', place: '幸福里社区议事室', conveners: [{ name: '李书记', role: 'convener' }, { name: '张委员', role: 'member' }], participants: [{ name: '王阿姨', role: 'representative' }] });
    await send({ type: 'meeting.start' });
    for (let i = 0; i < 3; i += 1) await send({ type: 'meeting.advance' });
    await send({
      type: 'meeting.record',
      time: '2026-06-01T11:30:00.000Z',
      place: '幸福里社区议事室',
      topic: '3号楼加装电梯',
      effect: '大多数住户同意，成立工作小组推进。',
      consensus: 'full',
      measures: [{ id: 'm1', text: '成立加装电梯工作小组', party: 'residents-committee', due: '2026-07-10' }],
    });
    const el = document.createElement('consult-staff-actions') as ConsultStaffActions;
    el.setAttribute('topic', 't-due');
    el.setAttribute('user-role', 'convener');
    el.setAttribute('user-id', 'c1');
    el.setAttribute('lang', 'en');
    el.store = store;
    document.body.append(el);
    await el.updateComplete;
    const due = () => text(el.shadowRoot!.querySelector('[part="due"]'));
    // Local mode: the device's clock (today is after 10 July 2026 on this machine or not — either way the words match it).
    const local = dueState('2026-07-10', Date.now())!;
    expect(due()).to.equal(dueWords(words('en'), local));
    // The store hears the server's clock: 15 July 2026.
    store.noteServerTime('2026-07-15T08:00:00.000Z');
    await el.updateComplete;
    expect(due()).to.equal('Overdue by 5 days');
    store.noteServerTime('2026-07-07T08:00:00.000Z');
    await el.updateComplete;
    expect(due()).to.equal('Due in 3 days');
    el.setAttribute('lang', 'zh-CN');
    await until(() => due() === '3 天后到期', 'the words in zh-CN');
    await expectAccessible(el, 'staff measure with due words');
  });
});
