import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import { NOW, LoggedTopic, config, manyMeasures, programme, wuxiSnapshots } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { realKeyboard } from './support/keyboard.js';

const root = (canvas: HTMLElement) => shadowOf(canvas, 'consult-outcome-tracker');
const rows = (canvas: HTMLElement) => [...root(canvas).querySelectorAll('[part~=row]')];
const count = (canvas: HTMLElement) => squash(root(canvas).querySelector('[part=count]')?.textContent);

const meta = {
  title: 'Components/Outcome tracker 成果办理',
  id: 'components-outcome-tracker',
  component: 'consult-outcome-tracker',
  // The tests' programme: topics in every stage of the Wuxi example, measures in every status.
  render: (args: StoryArgs): HTMLElement => element('consult-outcome-tracker', { now: NOW, ...args }, { topics: programme(config('wuxi')), config: config('wuxi') }),
  args: {},
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/**
 * Every measure of the programme, with its status, party, due date, feedback and rating — and
 * how many ratings were counted and from whom, by kind (never names).
 */
export const Programme: Story = {
  name: 'A programme',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(rows(canvasElement).length).toBeGreaterThan(3));
    const kinds = [...root(canvasElement).querySelectorAll('[data-rating-kinds]')].map((k) => squash(k.textContent));
    expect(kinds).toContain('已计入 5 份评价：提出人 1、社区居民 4');
  },
};

/** No measures yet: it says so. */
export const Empty: Story = {
  render: (args) => element('consult-outcome-tracker', { now: NOW, ...args }, { topics: [], config: config('wuxi') }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelector('[part=empty]')).toBeTruthy());
  },
};

/** Filtered by a person: "overdue only" ticked with the keyboard; the live count says how many are shown. */
export const FilteredOverdue: Story = {
  name: 'Filtered: overdue only',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(rows(canvasElement).length).toBeGreaterThan(3));
    const before = rows(canvasElement).length;
    const box = root(canvasElement).getElementById('overdue') as HTMLInputElement;
    box.focus();
    const keyboard = realKeyboard();
    if (keyboard) await keyboard.press(' ');
    else box.click();
    await waitFor(() => expect(rows(canvasElement).length).toBeLessThan(before));
    expect(rows(canvasElement)).toHaveLength(1);
    expect(squash(rows(canvasElement)[0]!.textContent)).toMatch(/重新划设停车位/);
    expect(count(canvasElement)).toMatch(/1/);
  },
};

/** Filtered by attribute: declined measures (不予采纳), with their reasons. */
export const FilteredDeclined: Story = {
  name: 'Filtered: declined (attribute)',
  args: { 'filter-status': 'declined' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(rows(canvasElement)).toHaveLength(1));
    expect(squash(rows(canvasElement)[0]!.textContent)).toMatch(/绿地是规划绿化用地/);
  },
};

/** 10,000 measures: virtualised, about a screenful of rows in the DOM, the count says 10,000. */
export const TenThousand: Story = {
  name: '10,000 measures',
  render: (args) => element('consult-outcome-tracker', { now: NOW, ...args }, { measures: manyMeasures(10_000), config: config('wuxi') }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(rows(canvasElement).length).toBeGreaterThan(0), { timeout: 8000 });
    expect(rows(canvasElement).length).toBeLessThan(60);
    expect(count(canvasElement).replace(/[,\s]/g, '')).toMatch(/10000/);
  },
};

/** Each row links to its topic (`topic-href`). */
export const WithLinks: Story = { name: 'Rows as links', args: { 'topic-href': '#/topic/{topicId}' } };

/** The same programme with every Wuxi stage from the story builders. */
export const EveryStage: Story = {
  name: 'Every stage',
  render: (args) => element('consult-outcome-tracker', { now: NOW, ...args }, { topics: wuxiSnapshots(), config: config('wuxi') }),
};

/** In English, large text. */
export const EnglishLarge: Story = { name: 'English, large text', args: { lang: 'en', 'large-text': true } };

/** A topic of the property room (物业议事室), raised by its QR code, with one measure agreed. */
function propertyRoomTopic() {
  return new LoggedTopic(config('wuxi'), 't-property', '2026-03-05T01:00:00.000Z')
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

/** One consultation room's measures (`room`): only the property room's, counted as all there is. */
export const OneRoom: Story = {
  name: 'One room’s measures',
  args: { room: 'qingmingqiao-wuye' },
  render: (args) => element('consult-outcome-tracker', { now: NOW, ...args }, { topics: [...programme(config('wuxi')), propertyRoomTopic()], config: config('wuxi') }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(count(canvasElement)).toBe('显示 1 条，共 1 条'));
    expect(squash(rows(canvasElement)[0]?.textContent)).toContain('物业公司每季度在公告栏公示收支');
  },
};
