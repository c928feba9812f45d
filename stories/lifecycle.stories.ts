import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import { CONFIG_NAMES, CONFIG_TITLES, config, type ConfigName } from './support/programme.js';
import { readLifecycle } from './support/lifecycle-diagram.js';
import { element, shadowOf, type StoryArgs } from './support/render.js';
import './support/lifecycle-diagram.js';

/**
 * The lifecycle a city's JSON defines, drawn from the topic machine's own definition: choose an
 * example config with the `example` control. The language follows the toolbar.
 */
const meta = {
  title: 'Lifecycle/Statechart 状态图',
  id: 'lifecycle-statechart',
  render: (args: StoryArgs, context) => {
    const example = (args.example as ConfigName) ?? 'wuxi';
    const lang = args.lang === 'en' || (!args.lang && context.globals.lang === 'en') ? 'en' : 'zh-CN';
    return element('story-lifecycle-diagram', {}, { config: config(example), locale: lang });
  },
  argTypes: {
    example: {
      control: { type: 'select', labels: CONFIG_TITLES },
      options: CONFIG_NAMES,
      description: 'Which example config of examples/configs/ to draw.',
    },
    lang: { control: 'inline-radio', options: ['', 'zh-CN', 'en'], description: 'Language of the labels (empty: the toolbar’s).' },
  },
  args: { example: 'wuxi', lang: '' },
  tags: ['!autodocs'],
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

const drawn = (example: ConfigName): Story['play'] => async ({ canvasElement }) => {
  const root = () => shadowOf(canvasElement, 'story-lifecycle-diagram');
  await waitFor(() => expect(root().querySelector('svg[role=img]')).toBeTruthy());
  const lifecycle = readLifecycle(config(example), 'zh-CN');
  // Every transition of the machine is in the text alternative, and every state is drawn.
  expect(root().querySelectorAll('tbody tr')).toHaveLength(lifecycle.transitions.length);
  const count = (states: typeof lifecycle.root): number => states.reduce((n, s) => n + 1 + count(s.children), 0);
  expect(root().querySelectorAll('svg rect')).toHaveLength(count(lifecycle.root) + lifecycle.root.filter((s) => s.final).length);
};

/** 无锡 有事好商量: research before the meeting, five rounds at most. */
export const Wuxi: Story = { name: 'Wuxi 无锡', args: { example: 'wuxi' }, play: drawn('wuxi') };
/** 四川 院坝协商: no research step; villagers' interaction. */
export const Sichuan: Story = { name: 'Sichuan 四川', args: { example: 'sichuan' }, play: drawn('sichuan') };
/** 广水 一线协商: follow-up on handling. */
export const Guangshui: Story = { name: 'Guangshui 广水', args: { example: 'guangshui' }, play: drawn('guangshui') };
/** In English. */
export const English: Story = { name: 'Wuxi, English', args: { example: 'wuxi', lang: 'en' } };
