import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import '../packages/studio/src/diagram/consult-studio-diagram.js';
import type { ConsultStudioDiagram } from '../packages/studio/src/diagram/diagram.component.js';
import { StudioDocument } from '../packages/studio/src/document.js';
import type { Json } from '../packages/studio/src/pointer.js';
import { CONFIG_NAMES, CONFIG_TITLES, rawConfig, type ConfigName } from './support/programme.js';
import { element, type StoryArgs } from './support/render.js';

const pane = (canvas: HTMLElement) => canvas.querySelector('consult-studio-diagram') as ConsultStudioDiagram;
const shadow = (canvas: HTMLElement) => pane(canvas).shadowRoot!;
const drawn = (canvas: HTMLElement) => [...shadow(canvas).querySelectorAll('svg g[data-state]')].map((g) => g.getAttribute('data-state'));

const meta = {
  title: 'Studio/Lifecycle diagram 流程图',
  id: 'studio-diagram',
  component: 'consult-studio-diagram',
  render: (args: StoryArgs) => element('consult-studio-diagram', { lang: args.lang }, { doc: new StudioDocument(rawConfig((args.example as ConfigName) ?? 'wuxi') as Json) }),
  args: { lang: 'zh-CN', example: 'wuxi' },
  argTypes: {
    lang: { control: 'inline-radio', options: ['zh-CN', 'en'] },
    example: { control: { type: 'select', labels: CONFIG_TITLES }, options: CONFIG_NAMES, description: 'Which example config of examples/configs/ to draw.' },
  },
  parameters: {
    docs: {
      description: {
        component:
          'The configured lifecycle as a statechart, from the machine’s own graph, laid out with dagre and drawn as SVG; a text version lists the states and transitions. Redraws on every change.',
      },
    },
  },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** 无锡: research before the meeting; the meeting and its agenda as compound states. */
export const Wuxi: Story = {
  name: 'Wuxi 无锡',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(shadow(canvasElement).querySelector('svg[role=img]')).toBeTruthy());
    expect(drawn(canvasElement)).toContain('research');
    expect(drawn(canvasElement)).toHaveLength(pane(canvasElement).graph!.nodes.length);
  },
};

/** 四川 院坝协商: no research step, so no research state. */
export const Sichuan: Story = {
  name: 'Sichuan 四川 (no research)',
  args: { example: 'sichuan' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(shadow(canvasElement).querySelector('svg[role=img]')).toBeTruthy());
    expect(drawn(canvasElement)).not.toContain('research');
  },
};

/** The text version: the states as a list and every transition in a table. */
export const TextVersion: Story = {
  name: 'Text version',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(shadow(canvasElement).querySelector('svg[role=img]')).toBeTruthy());
    const toggle = shadow(canvasElement).querySelector<HTMLButtonElement>('button[aria-controls=diagram-text]')!;
    toggle.click();
    await waitFor(() => expect(toggle.getAttribute('aria-expanded')).toBe('true'));
    expect(shadow(canvasElement).querySelectorAll('#diagram-text tbody tr')).toHaveLength(pane(canvasElement).graph!.edges.length);
  },
};
