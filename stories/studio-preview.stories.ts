import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import '../packages/studio/src/preview/consult-studio-preview.js';
import type { ConsultStudioPreview } from '../packages/studio/src/preview/preview.component.js';
import { StudioDocument } from '../packages/studio/src/document.js';
import type { JsonObject } from '../packages/studio/src/pointer.js';
import wuxiJson from '../examples/configs/wuxi-community.json' with { type: 'json' };
import { element, type StoryArgs } from './support/render.js';

const wuxi = (): JsonObject => structuredClone(wuxiJson) as unknown as JsonObject;

const pane = (canvas: HTMLElement) => canvas.querySelector('consult-studio-preview') as ConsultStudioPreview;
const form = (canvas: HTMLElement) => pane(canvas).shadowRoot!.querySelector('consult-topic-form')!;
const firstLabel = (canvas: HTMLElement) => form(canvas).shadowRoot?.querySelector('[part~=label]')?.textContent?.trim() ?? '';

const meta = {
  title: 'Studio/Preview 预览',
  id: 'studio-preview',
  component: 'consult-studio-preview',
  render: (args: StoryArgs) => element('consult-studio-preview', args, { doc: new StudioDocument(wuxi()) }),
  args: { lang: 'zh-CN' },
  argTypes: { lang: { control: 'inline-radio', options: ['zh-CN', 'en'] } },
  parameters: {
    docs: {
      description: {
        component:
          'The real intake form and the resident’s progress steps, built from the config being edited, in either language, large text, at phone or desktop width. Nothing is ever sent.',
      },
    },
  },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** The Wuxi example at phone width; a label edited elsewhere shows at once. */
export const Phone: Story = {
  name: 'Wuxi, phone width',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(firstLabel(canvasElement)).toMatch(/^(议题名称|Topic)/));
    pane(canvasElement).doc!.set('/form/pages/0/fields/0/label/zh-CN', '您想商量什么事');
    pane(canvasElement).doc!.set('/form/pages/0/fields/0/label/en', 'What to talk over');
    await waitFor(() => expect(firstLabel(canvasElement)).toMatch(/^(您想商量什么事|What to talk over)/));
  },
};

/** English, large text, desktop width (scrolls sideways in a narrow pane). */
export const DesktopEnglishLarge: Story = {
  name: 'Desktop width, English, large text',
  render: (args: StoryArgs) => element('consult-studio-preview', args, { doc: new StudioDocument(wuxi()), previewLocale: 'en', largeText: true, width: 'desktop' }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(firstLabel(canvasElement)).toMatch(/^Topic/));
    expect(form(canvasElement).hasAttribute('large-text')).toBe(true);
    expect(pane(canvasElement).shadowRoot!.querySelector('[part=frame]')!.getBoundingClientRect().width).toBe(1024);
  },
};

/** The config has a fault now: the last config without problems is shown, and the pane says so. */
export const LastGood: Story = {
  name: 'Last config without problems',
  render: (args: StoryArgs) => {
    const doc = new StudioDocument(wuxi());
    doc.set('/form/pages/0/fields/0/type', 'no-such-type');
    return element('consult-studio-preview', args, { doc });
  },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(firstLabel(canvasElement)).toMatch(/^(议题名称|Topic)/));
    expect(pane(canvasElement).shadowRoot!.querySelector('[part=note]')!.textContent).toMatch(/显示最后一次无误的配置|Showing the last config without problems/);
  },
};
