import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { NOW, config, programme, wuxiSnapshots } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { ROOM_ID, ROOM_NOW, roomTopics } from '../packages/elements/src/room/room.fixture.js';

const root = (canvas: HTMLElement) => shadowOf(canvas, 'consult-programme-figures');

const meta = {
  title: 'Components/Programme figures 统计数据',
  id: 'components-programme-figures',
  component: 'consult-programme-figures',
  render: (args: StoryArgs): HTMLElement => element('consult-programme-figures', { now: NOW, ...args }, { topics: programme(config('wuxi')), config: config('wuxi') }),
  args: {},
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/**
 * The numbers the reports count, as cards with small SVG charts, each with a text alternative;
 * the satisfaction card says how many ratings were counted and from whom, by kind (never names).
 */
export const Programme: Story = {
  name: 'A programme',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelectorAll('[data-figure]').length).toBeGreaterThan(3));
    expect(squash(root(canvasElement).querySelector('[data-figure="ratingsByKind"]')?.textContent)).toBe('已计入 5 份评价：提出人 1、社区居民 4');
  },
};

/** The same numbers as tables ("以表格查看 / View as table"). */
export const AsTables: Story = {
  name: 'As tables',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelector('details, [part=tables]')).toBeTruthy());
    const summary = root(canvasElement).querySelector<HTMLElement>('summary');
    if (summary) await userEvent.click(summary);
    await waitFor(() => expect(root(canvasElement).querySelector('table')).toBeTruthy());
    expect(squash(root(canvasElement).querySelector('table')!.textContent)).not.toBe('');
  },
};

/** A programme just started: nothing yet. */
export const Empty: Story = {
  render: (args) => element('consult-programme-figures', { now: NOW, ...args }, { topics: [], config: config('wuxi') }),
};

/** Every Wuxi stage from the story builders. */
export const EveryStage: Story = {
  name: 'Every stage',
  render: (args) => element('consult-programme-figures', { now: NOW, ...args }, { topics: wuxiSnapshots(), config: config('wuxi') }),
};

/** In English, large text. */
export const EnglishLarge: Story = {
  name: 'English, large text',
  args: { lang: 'en', 'large-text': true },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelector('[data-figure="ratingsByKind"]')).toBeTruthy());
    expect(squash(root(canvasElement).querySelector('[data-figure="ratingsByKind"]')!.textContent)).toBe('5 ratings counted: 1 from the submitter, 4 from community residents');
  },
};

/** One consultation room's figures (`room`) and, under them, its month-by-month trends (loaded on demand). */
export const RoomWithTrends: Story = {
  name: 'A room, with its trends',
  args: { room: ROOM_ID, now: ROOM_NOW },
  render: (args) => element('consult-programme-figures', args, { topics: [...programme(config('wuxi')), ...roomTopics(config('wuxi'))], config: config('wuxi') }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('[part~=room]')?.textContent)).toBe('协商议事室：清名桥社区协商议事室'));
    await waitFor(() => expect(root(canvasElement).querySelector('consult-trend-chart')?.shadowRoot?.querySelectorAll('figure')).toHaveLength(3));
    expect(squash(root(canvasElement).querySelector('[part~=trends] h3')?.textContent)).toBe('逐月趋势');
  },
};

/** The same in English, large text. */
export const RoomWithTrendsEnglish: Story = {
  name: 'A room, with its trends (English, large text)',
  args: { room: ROOM_ID, now: ROOM_NOW, lang: 'en', 'large-text': true },
  render: RoomWithTrends.render,
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelector('consult-trend-chart')?.shadowRoot?.querySelector('figure[data-kind=raised] .summary')).toBeTruthy());
    expect(squash(root(canvasElement).querySelector('consult-trend-chart')!.shadowRoot!.querySelector('figure[data-kind=raised] .summary')!.textContent)).toMatch(/^Topics raised/);
  },
};
