import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import { selectTrends, type Trends } from '@consult-kit/machine/core';
import '../packages/elements/src/trend-chart/consult-trend-chart.js';
import { ROOM_ID, ROOM_NOW, roomTopics } from '../packages/elements/src/room/room.fixture.js';
import { config } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { deepActive, realKeyboard, tabTo } from './support/keyboard.js';

/**
 * `<consult-trend-chart>`, a programme's or a room's months as charts. The trends are what the
 * machine's `selectTrends` counts (and the server's `GET …/trends` answers) over a replayed year
 * and a half of the Wuxi example's Qingmingqiao room (packages/elements/src/room/room.fixture.ts).
 * Storybook has no backend: the server states use a stand-in `fetch`.
 */
const wuxi = () => config('wuxi');
const trends = (): Trends => selectTrends(roomTopics(wuxi()), wuxi(), { room: ROOM_ID, now: ROOM_NOW });

const root = (canvas: HTMLElement) => shadowOf(canvas, 'consult-trend-chart');
const figure = (canvas: HTMLElement, kind: string) => root(canvas).querySelector<HTMLElement>(`figure[data-kind="${kind}"]`);

const meta = {
  title: 'Components/Trend chart 趋势图',
  id: 'components-trend-chart',
  component: 'consult-trend-chart',
  render: (args: StoryArgs): HTMLElement => element('consult-trend-chart', args, { trends: trends(), config: wuxi() }),
  args: {},
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** The three charts of a room: topics raised by source with solved, satisfaction, measures on time vs late. */
export const Room: Story = {
  name: 'A room’s trends',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelectorAll('figure')).toHaveLength(3));
    const months = trends().months;
    expect(figure(canvasElement, 'raised')!.querySelectorAll('tbody tr')).toHaveLength(months.length);
    expect(squash(figure(canvasElement, 'raised')!.querySelector('.summary')?.textContent)).toMatch(/^提出的议题/);
    expect(figure(canvasElement, 'raised')!.querySelector('svg[role=img]')?.getAttribute('aria-label')).toContain('每月提出与办结的议题');
  },
};

/** Topics raised per month, stacked by source (群众出题 / 委员荐题 / 党政点题 / 网格筛题), each with a pattern of its own. */
export const Raised: Story = {
  name: 'Topics raised by source (English)',
  args: { kind: 'raised', lang: 'en' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(figure(canvasElement, 'raised')).toBeTruthy());
    const legend = [...figure(canvasElement, 'raised')!.querySelectorAll('.legend li')].map((li) => squash(li.textContent));
    expect(legend.at(-1)).toBe('Solved');
    expect(squash(figure(canvasElement, 'raised')!.querySelector('.summary')?.textContent)).toMatch(/^Topics raised (rose|fell|:)/);
  },
};

/** Average satisfaction with the scale's top on the axis. */
export const Satisfaction: Story = {
  name: 'Satisfaction over time',
  args: { kind: 'satisfaction' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(figure(canvasElement, 'satisfaction')).toBeTruthy());
    expect(squash(figure(canvasElement, 'satisfaction')!.querySelector('.axis-title')?.textContent)).toBe('星级（满分5）');
  },
};

/** Measures due each month, on time and late; the data table opened from the keyboard. */
export const MeasuresTable: Story = {
  name: 'Measures on time vs late, table opened by keyboard',
  args: { kind: 'measures', lang: 'en' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(figure(canvasElement, 'measures')).toBeTruthy());
    const summary = figure(canvasElement, 'measures')!.querySelector<HTMLElement>('details > summary')!;
    const keyboard = realKeyboard();
    if (keyboard) {
      await tabTo(keyboard, summary);
      expect(deepActive()).toBe(summary);
      await keyboard.press('{Enter}');
    } else summary.click();
    await waitFor(() => expect(figure(canvasElement, 'measures')!.querySelector('details')!.open).toBe(true));
    expect(figure(canvasElement, 'measures')!.querySelectorAll('th[scope=col]')).toHaveLength(4);
  },
};

/** Nothing raised yet: said in words, not an empty box. */
export const Empty: Story = {
  name: 'No data yet',
  render: (args) => element('consult-trend-chart', args, { trends: { room: null, months: [] } }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('[part~=notice]')?.textContent)).toBe('暂无数据：有议题提出后这里会显示图表。'));
  },
};

/** Large text, on a phone-sized frame. */
export const LargeText: Story = {
  name: 'Large text',
  args: { 'large-text': true, kind: 'raised' },
};

/** The server cannot be reached: said so, with "Try again" (a stand-in fetch that fails). */
export const Unreachable: Story = {
  name: 'Server unreachable',
  args: { endpoint: '/api', programme: 'wuxi', room: ROOM_ID, lang: 'en' },
  render: (args) =>
    element('consult-trend-chart', args, {
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as typeof globalThis.fetch,
    }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('[role=alert]')?.textContent)).toContain('The trends could not be read from the server'));
    expect(root(canvasElement).querySelector('[role=alert] button')).toBeTruthy();
  },
};

/** Under forced colours (also run with `forced-colors: active`): system colours, each source still its own pattern, the solved line dashed. */
export const ForcedColours: Story = {
  name: 'Forced colours',
  tags: ['forced-colors'],
  args: { kind: 'raised', lang: 'en' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(figure(canvasElement, 'raised')?.querySelector('svg.svg')).toBeTruthy());
    const patterns = [...figure(canvasElement, 'raised')!.querySelectorAll('pattern')].map((p) => p.dataset.pattern);
    expect(new Set(patterns).size).toBe(patterns.length);
    expect(getComputedStyle(figure(canvasElement, 'raised')!.querySelector('.line--solved')!).strokeDasharray).not.toBe('none');
    if (matchMedia('(forced-colors: active)').matches) {
      const bar = figure(canvasElement, 'raised')!.querySelector('svg.svg rect.bar')!;
      expect(getComputedStyle(bar).stroke).not.toBe('none');
      expect(getComputedStyle(bar).stroke).not.toMatch(/rgba\(0, 0, 0, 0\)/);
    }
  },
};
