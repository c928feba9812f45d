import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { CONFIG_NAMES, LoggedTopic, config, localConfig, seedDatabase, wuxiStages, type ConfigName } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { deepActive, realKeyboard } from './support/keyboard.js';

/**
 * `<consult-workflow>` running an example config (`example` picks which) in an IndexedDB database
 * of the story's own. The Wuxi stories with a programme are seeded with the story builders' topics,
 * one at each stage of the lifecycle. Every config runs with the `local` transport here (no city
 * backend behind Storybook).
 */
type Loaded = { dbName: string };

const seed = (name: ConfigName, withTopics: boolean) => async ({ id }: { id: string }): Promise<Loaded> => {
  const dbName = `storybook-${id}`;
  await seedDatabase(dbName, name, withTopics ? Object.values(wuxiStages()) : []);
  return { dbName };
};

const render = (args: StoryArgs, { loaded }: { loaded: Partial<Loaded> }): HTMLElement => {
  const { example = 'wuxi', ...attrs } = args as StoryArgs & { example?: ConfigName };
  return element('consult-workflow', { 'db-name': loaded.dbName ?? 'storybook-workflow', ...attrs }, { config: localConfig(example) });
};

const root = (canvas: HTMLElement) => shadowOf(canvas, 'consult-workflow');
const nav = (canvas: HTMLElement) => [...root(canvas).querySelectorAll<HTMLButtonElement>('nav button')];
const loaded = async (canvas: HTMLElement) => waitFor(() => expect(root(canvas).querySelector('nav')).toBeTruthy(), { timeout: 10_000 });

const meta = {
  title: 'Components/Workflow 协商流程',
  id: 'components-workflow',
  component: 'consult-workflow',
  loaders: [seed('wuxi', false)],
  render,
  argTypes: {
    example: { control: 'select', options: CONFIG_NAMES, description: 'Story only: which example config from examples/configs/ runs.' },
    'user-role': { control: 'select', options: ['resident', 'convener', 'department', 'admin'] },
    view: { control: 'select', options: [undefined, 'intake', 'timeline', 'outcomes', 'figures'] },
  },
  args: { example: 'wuxi', 'user-role': 'resident' },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

const residentSees = async ({ canvasElement }: { canvasElement: HTMLElement }) => {
  await loaded(canvasElement);
  // My topics, raise a topic, topics, outcomes board, figures; a newcomer starts at the form.
  expect(nav(canvasElement).length).toBe(5);
  await waitFor(() => expect(root(canvasElement).querySelector('consult-topic-form')).toBeTruthy());
};

/** Wuxi (有事好商量), a resident: raise a topic first. */
export const Wuxi: Story = { name: 'Wuxi · resident', args: { example: 'wuxi' }, play: residentSees };
/** Sichuan courtyard consultation (院坝协商), a villager: anonymous allowed, no research step. */
export const Sichuan: Story = { name: 'Sichuan · resident', args: { example: 'sichuan' }, loaders: [seed('sichuan', false)], play: residentSees };
/** Guangshui front-line consultation (一线协商): two pages, date and tick boxes. */
export const Guangshui: Story = { name: 'Guangshui · resident', args: { example: 'guangshui' }, loaders: [seed('guangshui', false)], play: residentSees };

/** A convener with a running programme: the topic list, moving between views with the keyboard. */
export const ConvenerProgramme: Story = {
  name: 'Wuxi · convener, a programme',
  args: { 'user-role': 'convener', 'user-id': 'convener-1' },
  loaders: [seed('wuxi', true)],
  play: async ({ canvasElement }) => {
    await loaded(canvasElement);
    await waitFor(() => expect(root(canvasElement).querySelectorAll('.topics button').length).toBe(10), { timeout: 8000 });
    const outcomes = nav(canvasElement)[1]!;
    outcomes.focus();
    const keyboard = realKeyboard();
    if (keyboard) await keyboard.press('{Enter}');
    else await userEvent.click(outcomes);
    await waitFor(() => expect(outcomes.getAttribute('aria-current')).toBe('page'));
    await waitFor(() => expect(root(canvasElement).querySelector('consult-outcome-tracker')).toBeTruthy());
  },
};

/** 1,000 topics raised, one a minute (only submitted: the store's seeding stays a few seconds). */
const thousandTopics = (): LoggedTopic[] => {
  const c = config('wuxi');
  return Array.from({ length: 1000 }, (_, i) =>
    new LoggedTopic(c, `t-${i}`, new Date(Date.parse('2026-03-01T00:00:00.000Z') + i * 60_000).toISOString()).submit(`议题 ${i + 1}：楼道照明改造`),
  );
};

/**
 * A convener's list of 1,000 topics: it scrolls in a box of its own that renders only the topics
 * on screen, each with its place of 1,000 (aria-posinset / aria-setsize); Tab and ↓ go on from
 * topic to topic.
 */
export const ConvenerThousandTopics: Story = {
  name: 'Wuxi · convener, 1,000 topics',
  args: { 'user-role': 'convener', 'user-id': 'convener-1' },
  loaders: [
    async ({ id }: { id: string }): Promise<Loaded> => {
      const dbName = `storybook-${id}`;
      await seedDatabase(dbName, 'wuxi', thousandTopics());
      return { dbName };
    },
  ],
  play: async ({ canvasElement }) => {
    await loaded(canvasElement);
    const list = () => root(canvasElement).querySelector<HTMLElement>('#topic-list[data-window]');
    await waitFor(() => expect(list()?.querySelector('li')?.getAttribute('aria-setsize')).toBe('1000'), { timeout: 15_000 });
    expect(list()!.querySelectorAll('li').length).toBeLessThan(60);
    const keyboard = realKeyboard();
    if (!keyboard) return;
    list()!.querySelector('button')!.focus();
    for (let n = 2; n <= 30; n += 1) {
      await keyboard.tab();
      await waitFor(() => expect(deepActive()?.closest('li')?.getAttribute('aria-posinset')).toBe(String(n)));
    }
    await keyboard.press('{ArrowDown}');
    await waitFor(() => expect(deepActive()?.closest('li')?.getAttribute('aria-posinset')).toBe('31'));
    await keyboard.press('{End}');
    await waitFor(() => expect(deepActive()?.closest('li')?.getAttribute('aria-posinset')).toBe('1000'));
  },
};

/** A topic opened: its timeline and the convener's actions. */
export const ConvenerTopic: Story = {
  name: 'Wuxi · convener, a topic open',
  args: { 'user-role': 'convener', 'user-id': 'convener-1', view: 'timeline', topic: 't-parking' },
  loaders: [seed('wuxi', true)],
  play: async ({ canvasElement }) => {
    await loaded(canvasElement);
    await waitFor(() => expect(root(canvasElement).querySelector('consult-meeting-timeline')).toBeTruthy(), { timeout: 8000 });
    await waitFor(() => expect(root(canvasElement).querySelector('consult-staff-actions')).toBeTruthy());
  },
};

/** A department: topics with measure updates, outcomes, figures. */
export const Department: Story = {
  name: 'Wuxi · department',
  args: { 'user-role': 'department', 'user-id': 'dept-1' },
  loaders: [seed('wuxi', true)],
  play: async ({ canvasElement }) => {
    await loaded(canvasElement);
    // Topics, outcomes, figures, outcomes board.
    expect(nav(canvasElement).length).toBe(4);
  },
};

/** An administrator. */
export const Admin: Story = { name: 'Wuxi · admin', args: { 'user-role': 'admin', 'user-id': 'admin-1' }, loaders: [seed('wuxi', true)] };

/** The outcomes view, as residents follow it. */
export const Outcomes: Story = { name: 'Wuxi · outcomes view', args: { view: 'outcomes' }, loaders: [seed('wuxi', true)] };

/** The figures view. */
export const Figures: Story = { name: 'Wuxi · figures view', args: { view: 'figures' }, loaders: [seed('wuxi', true)] };

/** In English, large text. */
export const EnglishLarge: Story = { name: 'Wuxi · English, large text', args: { lang: 'en', 'large-text': true } };

/** A config with mistakes: every fault is listed with its JSON Pointer instead of a blank box. */
export const ConfigErrors: Story = {
  name: 'Config with errors',
  render: (args, { loaded: l }) =>
    element('consult-workflow', { 'db-name': (l as Loaded).dbName, ...args }, { config: { ...localConfig('wuxi'), steps: [], version: 'x' } }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelector('[part~=problem]')).toBeTruthy(), { timeout: 8000 });
    expect(squash(root(canvasElement).querySelector('[part~=problem]')!.textContent)).toMatch(/\//);
  },
};
