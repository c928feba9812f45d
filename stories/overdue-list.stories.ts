import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import type { NoticeResult, OverdueItem, OverduePage, OverdueQuery } from '@consult-kit/store';
import { config } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { realKeyboard } from './support/keyboard.js';

/**
 * `<consult-overdue-list>`, the supervisor's list (督办). Storybook has no backend: each story
 * gives the element a stand-in store whose `overdue()` answers as `GET …/overdue` does (a page
 * counted at the server's `asOf`, or a failure); the list against the real server is tested in
 * packages/elements/test/notices-real-server.test.ts.
 */
const AS_OF = '2026-05-05T04:00:00.000Z';

const ITEMS: OverdueItem[] = [
  { topicId: 't-parking', title: '幸福里小区停车难', measureId: 'm1-1', measure: '重新划设停车位，增加四十个车位', party: 'street-office', due: '2026-04-15', overdueDays: 20, status: 'inProgress', level: 'community' },
  { topicId: 't-lift', title: '3号楼加装电梯', measureId: 'lift-b3-subsidy', measure: '由财政全额承担加装电梯费用', party: 'street-office', due: '2026-04-30', overdueDays: 5, status: 'proposed', level: 'community' },
  { topicId: 't-waste', title: '垃圾分类投放点异味', measureId: 'm1-1', measure: '投放点加装除臭设备并每天清洗', party: 'property-company', due: '2026-05-01', overdueDays: 4, status: 'adopted', level: 'community' },
  { topicId: 't-elder', title: '老年助餐点', measureId: 'm1-2', measure: '协调社区食堂延长供餐时间', party: 'civil-affairs', due: '2026-05-04', overdueDays: 1, status: 'adopted', level: 'street' },
];

const page = (items: OverdueItem[]): NoticeResult<OverduePage> => ({ ok: true, value: { asOf: AS_OF, total: items.length, items, cursor: '', more: false } });

/** A stand-in store: the items of one party when asked for it. */
const store = (answer: (query: OverdueQuery) => NoticeResult<OverduePage> = (q) => page(q.party ? ITEMS.filter((i) => i.party === q.party) : ITEMS)) => ({
  config: config('wuxi'),
  subscribe: () => () => undefined,
  overdue: async (query: OverdueQuery = {}) => answer(query),
});

const root = (canvas: HTMLElement) => shadowOf(canvas, 'consult-overdue-list');
const rows = (canvas: HTMLElement) => [...root(canvas).querySelectorAll('tbody tr')];

const meta = {
  title: 'Components/Overdue list 超期督办',
  id: 'components-overdue-list',
  component: 'consult-overdue-list',
  render: (args: StoryArgs): HTMLElement => element('consult-overdue-list', args, { store: store() }),
  args: {},
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** Every overdue measure, most overdue first, "已超期 N 天" counted at the server's time. */
export const Programme: Story = {
  name: 'Overdue across the programme',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(rows(canvasElement)).toHaveLength(4));
    expect(squash(rows(canvasElement)[0]!.querySelector('[part=overdue]')?.textContent)).toBe('已超期 20 天');
    expect(squash(root(canvasElement).querySelector('[part=as-of]')?.textContent)).toContain('服务器时间');
  },
};

/** In English, filtered by a party chosen with the keyboard (sent to the server). */
export const FilteredByParty: Story = {
  name: 'Filtered by party (English, keyboard)',
  args: { lang: 'en' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(rows(canvasElement)).toHaveLength(4));
    const select = root(canvasElement).getElementById('party') as HTMLSelectElement;
    select.focus();
    const keyboard = realKeyboard();
    const target = [...select.options].findIndex((o) => o.value === 'property-company');
    if (keyboard) for (let i = 0; i < target; i += 1) await keyboard.press('{ArrowDown}');
    else {
      select.value = 'property-company';
      select.dispatchEvent(new Event('change'));
    }
    await waitFor(() => expect(rows(canvasElement)).toHaveLength(1));
    expect(squash(rows(canvasElement)[0]!.textContent)).toContain('Overdue by 4 days');
  },
};

/** Nothing overdue: 没有超期事项. */
export const Empty: Story = {
  render: (args) => element('consult-overdue-list', args, { store: store(() => page([])) }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('[part=empty]')?.textContent)).toContain('没有超期事项'));
  },
};

/** Not signed in: no token, no store. */
export const SignedOut: Story = {
  name: 'Signed out',
  args: { endpoint: '/api', programme: 'wuxi-liangxi-community-2026' },
  render: (args) => element('consult-overdue-list', args),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('[part=message]')?.textContent)).toContain('请以工作人员身份登录'));
  },
};

/** The server cannot be reached: said so, with Try again. */
export const Unreachable: Story = {
  render: (args) => element('consult-overdue-list', args, { store: store(() => ({ ok: false, reason: 'unreachable' })) }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('[role=alert]')?.textContent)).toContain('无法连接服务器'));
  },
};

/** Large text for older readers. */
export const LargeText: Story = {
  name: 'Large text',
  args: { 'large-text': true },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(rows(canvasElement)).toHaveLength(4));
  },
};
