import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import { NOW, config, programme } from './support/programme.js';
import { element, shadowOf, type StoryArgs } from './support/render.js';

/**
 * The global theme tokens, live: change a control and every element below follows. A portal sets
 * the same `--consult-*` properties on any ancestor (in its own stylesheet). The values are set
 * here through the CSSOM (`style.setProperty`), which a strict CSP allows — never a `style`
 * attribute in markup.
 */
const TOKENS = {
  '--consult-color-primary': '#a8071a',
  '--consult-color-on-primary': '#ffffff',
  '--consult-color-text': '#1b1b1b',
  '--consult-color-muted': '#505a5f',
  '--consult-color-background': '#ffffff',
  '--consult-color-border': '#6b7378',
  '--consult-color-error': '#b3261e',
  '--consult-color-success': '#0b6e3d',
  '--consult-color-focus': '#ffbf47',
  '--consult-color-focus-text': '#0b0c0c',
  '--consult-color-star': '#b25e00',
  '--consult-color-star-empty': '#6b7378',
  '--consult-color-notice-background': '#f3f2f1',
  '--consult-color-track': '#e6e8ea',
  '--consult-radius': '4px',
  '--consult-font-scale': '1',
} as const;

type Token = keyof typeof TOKENS;

const meta = {
  title: 'Theming/Tokens 主题',
  id: 'theming-tokens',
  render: (args: StoryArgs) => {
    const box = document.createElement('div');
    box.className = 'token-preview';
    for (const token of Object.keys(TOKENS) as Token[]) {
      const value = args[token];
      if (typeof value === 'string' && value) box.style.setProperty(token, value);
    }
    const rating = element('consult-star-rating', { name: 'satisfaction', value: 4 });
    const average = element('consult-star-rating', { readonly: true, average: 4.3, count: 128 });
    const figures = element('consult-programme-figures', { now: NOW }, { topics: programme(config('wuxi')), config: config('wuxi') });
    box.append(rating, average, figures);
    return box;
  },
  argTypes: Object.fromEntries(
    (Object.keys(TOKENS) as Token[]).map((t) => [
      t,
      { control: t.includes('color') ? 'color' : 'text', description: `Global token ${t}`, table: { category: 'tokens', defaultValue: { summary: TOKENS[t] } } },
    ]),
  ),
  args: { ...TOKENS },
  tags: ['!autodocs'],
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** The library's defaults. */
export const Defaults: Story = {
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(shadowOf(canvasElement, 'consult-programme-figures').querySelector('[data-figure]')).toBeTruthy());
  },
};

/** A city portal in blue, square corners. */
export const CivicBlue: Story = {
  name: 'Civic blue',
  args: { '--consult-color-primary': '#0b4f8a', '--consult-color-star': '#8a5300', '--consult-radius': '0px' },
  play: async ({ canvasElement }) => {
    const box = canvasElement.querySelector<HTMLElement>('.token-preview')!;
    expect(getComputedStyle(box).getPropertyValue('--consult-color-primary').trim()).toBe('#0b4f8a');
  },
};

/** Larger text for everyone (`--consult-font-scale`). */
export const LargerText: Story = { name: 'Font scale 1.25', args: { '--consult-font-scale': '1.25' } };
