import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import '../packages/studio/src/lifecycle/consult-studio-lifecycle.js';
import '../packages/studio/src/settings/consult-studio-settings.js';
import { StudioDocument } from '../packages/studio/src/document.js';
import type { Json, JsonObject } from '../packages/studio/src/pointer.js';
import wuxiJson from '../examples/configs/wuxi-community.json' with { type: 'json' };
import sichuanJson from '../examples/configs/sichuan-courtyard.json' with { type: 'json' };
import guangshuiJson from '../examples/configs/guangshui-frontline.json' with { type: 'json' };
import { element, type StoryArgs } from './support/render.js';

/** A fresh copy of an example, changed by `edit` (each story edits its own document). */
function copy(json: unknown, edit: (config: JsonObject) => void = () => {}): JsonObject {
  const config = structuredClone(json) as JsonObject;
  edit(config);
  return config;
}

const shadow = (canvas: HTMLElement, tag: string) => canvas.querySelector(tag)!.shadowRoot!;
const control = <T extends HTMLElement>(canvas: HTMLElement, tag: string, pointer: string) => shadow(canvas, tag).querySelector<T>(`[data-pointer="${CSS.escape(pointer)}"]`);
const ready = (canvas: HTMLElement, tag: string) => waitFor(() => expect(canvas.querySelector(tag)?.shadowRoot?.querySelector('[part=base]')).toBeTruthy());

const lifecycle = (value: Json, docs: StudioDocument[] = []) => (args: StoryArgs) => {
  const doc = new StudioDocument(value);
  docs.push(doc);
  return element('consult-studio-lifecycle', args, { doc });
};
const settings = (value: Json) => (args: StoryArgs) => element('consult-studio-settings', args, { doc: new StudioDocument(value) });

const meta = {
  title: 'Studio/Lifecycle and settings 流程与项目设置',
  id: 'studio-lifecycle',
  component: 'consult-studio-lifecycle',
  render: lifecycle(copy(wuxiJson)),
  args: { lang: 'zh-CN' },
  argTypes: { lang: { control: 'inline-radio', options: ['zh-CN', 'en'] } },
  parameters: {
    docs: {
      description: {
        component:
          'The studio’s editors of the lifecycle (which steps are on, in their fixed order, each with its label and parameters, the programme’s level and escalation) and of the programme’s settings (id, version, names, language, residents’ access, transport, notifications). Each story edits its own document.',
      },
    },
  },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** The Wuxi example: all seven steps on, the fixed order said in words, required steps explained. */
export const Wuxi: Story = {
  name: 'Wuxi — every step on',
  play: async ({ canvasElement }) => {
    await ready(canvasElement, 'consult-studio-lifecycle');
    const root = shadow(canvasElement, 'consult-studio-lifecycle');
    expect(root.querySelectorAll('[part=step]')).toHaveLength(7);
    expect(root.textContent).toMatch(/步骤的顺序是固定的|order of the steps is fixed/);
    expect(control(canvasElement, 'consult-studio-lifecycle', '/steps/3')!.textContent).toMatch(/必需步骤|Required/);
    expect(control<HTMLInputElement>(canvasElement, 'consult-studio-lifecycle', '/steps/3/maxRounds')!.value).toBe('5');
  },
};

const researchDocs: StudioDocument[] = [];
/** Research switched off and on again: it comes back with its settings (minFindingsLength 30). */
export const ResearchOffAndOn: Story = {
  name: 'Research switched off and on',
  render: lifecycle(copy(wuxiJson), researchDocs),
  play: async ({ canvasElement }) => {
    await ready(canvasElement, 'consult-studio-lifecycle');
    const said: string[] = [];
    canvasElement.addEventListener('studio-announce', (e) => said.push((e as CustomEvent<{ message: string }>).detail.message));
    control<HTMLInputElement>(canvasElement, 'consult-studio-lifecycle', '/steps/2')!.click();
    await waitFor(() => expect(control(canvasElement, 'consult-studio-lifecycle', '/steps#research')).toBeTruthy());
    expect(said.at(-1)).toMatch(/调查研究|Research/);
    control<HTMLInputElement>(canvasElement, 'consult-studio-lifecycle', '/steps#research')!.click();
    await waitFor(() => expect(control<HTMLInputElement>(canvasElement, 'consult-studio-lifecycle', '/steps/2/minFindingsLength')?.value).toBe('30'));
    expect(researchDocs.at(-1)!.errors).toHaveLength(0);
  },
};

/** The Sichuan courtyard example: no research step; a village programme escalates to the town. */
export const SichuanWithoutResearch: Story = {
  name: 'Sichuan — research off',
  render: lifecycle(copy(sichuanJson)),
  play: async ({ canvasElement }) => {
    await ready(canvasElement, 'consult-studio-lifecycle');
    const toggle = control<HTMLInputElement>(canvasElement, 'consult-studio-lifecycle', '/steps#research')!;
    expect(toggle.checked).toBe(false);
    expect(control<HTMLSelectElement>(canvasElement, 'consult-studio-lifecycle', '/level')!.value).toBe('village');
  },
};

/** Errors from the checker beside their controls: maxRounds too high, a channel link with a javascript: scheme. */
export const WithErrors: Story = {
  name: 'Errors beside the controls',
  render: lifecycle(
    copy(wuxiJson, (c) => {
      const steps = c.steps as JsonObject[];
      steps[3]!.maxRounds = 99;
      ((steps[1]!.channels as JsonObject[])[2] as JsonObject).url = 'javascript:alert(1)';
    }),
  ),
  play: async ({ canvasElement }) => {
    await ready(canvasElement, 'consult-studio-lifecycle');
    expect(control(canvasElement, 'consult-studio-lifecycle', '/steps/3/maxRounds')!.getAttribute('aria-invalid')).toBe('true');
    expect(control(canvasElement, 'consult-studio-lifecycle', '/steps/1/channels/2/url')!.getAttribute('aria-invalid')).toBe('true');
    const pane = canvasElement.querySelector('consult-studio-lifecycle')!;
    expect(await pane.focusPointer('/steps/3/maxRounds')).toBe(true);
    expect(shadow(canvasElement, 'consult-studio-lifecycle').activeElement).toBe(control(canvasElement, 'consult-studio-lifecycle', '/steps/3/maxRounds'));
  },
};

/** The programme settings of the Guangshui example: http transport to /api, notifications with their own rules. */
export const Settings: Story = {
  name: 'Programme settings (Guangshui)',
  render: settings(copy(guangshuiJson)),
  play: async ({ canvasElement }) => {
    await ready(canvasElement, 'consult-studio-settings');
    expect(control<HTMLInputElement>(canvasElement, 'consult-studio-settings', '/transport/endpoint')!.value).toBe('/api');
    expect(control(canvasElement, 'consult-studio-settings', '/notifications/notices')!.localName).toBe('pre');
    expect(control<HTMLInputElement>(canvasElement, 'consult-studio-settings', '/id')!.value).toBe((guangshuiJson as { id: string }).id);
  },
};

/** Settings of a local programme, in English: the transport is switched to the city's server. */
export const SettingsSwitchToServer: Story = {
  name: 'Settings — switch to the city’s server',
  args: { lang: 'en' },
  render: settings(copy(wuxiJson)),
  play: async ({ canvasElement }) => {
    await ready(canvasElement, 'consult-studio-settings');
    const radios = shadow(canvasElement, 'consult-studio-settings').querySelectorAll<HTMLInputElement>('[data-pointer="/transport/type"]');
    radios[1]!.click();
    await waitFor(() => expect(control<HTMLInputElement>(canvasElement, 'consult-studio-settings', '/transport/endpoint')?.value).toBe('/api'));
  },
};
