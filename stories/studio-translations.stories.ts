import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import '../packages/studio/src/translations/consult-studio-translations.js';
import { StudioDocument } from '../packages/studio/src/document.js';
import type { Json, JsonObject } from '../packages/studio/src/pointer.js';
import wuxiJson from '../examples/configs/wuxi-community.json' with { type: 'json' };
import { element, type StoryArgs } from './support/render.js';

const shadow = (canvas: HTMLElement) => canvas.querySelector('consult-studio-translations')!.shadowRoot!;
const ready = (canvas: HTMLElement) => waitFor(() => expect(shadow(canvas).querySelector('table')).toBeTruthy());
const counts = (canvas: HTMLElement) => shadow(canvas).querySelector('[part=counts]')!.textContent!.replace(/\s+/g, ' ');

const docs: StudioDocument[] = [];
const render = (value: Json) => (args: StoryArgs) => {
  const doc = new StudioDocument(value);
  docs.push(doc);
  return element('consult-studio-translations', args, { doc });
};

/** The Wuxi example with two English texts missing (the title field's label, the description's hint). */
function withGaps(): JsonObject {
  const config = structuredClone(wuxiJson) as unknown as JsonObject & { form: { pages: Array<{ fields: JsonObject[] }> } };
  delete (config.form.pages[0]!.fields[0]!.label as JsonObject).en;
  (config.form.pages[0]!.fields[1]!.hint as JsonObject).en = '';
  return config;
}

const meta = {
  title: 'Studio/Translations 翻译',
  id: 'studio-translations',
  component: 'consult-studio-translations',
  render: render(structuredClone(wuxiJson) as unknown as Json),
  args: { lang: 'zh-CN' },
  argTypes: { lang: { control: 'inline-radio', options: ['zh-CN', 'en'] } },
  parameters: {
    docs: {
      description: {
        component: 'Every text of the config in one table, Chinese beside English, missing ones flagged and counted, filterable, edited in place.',
      },
    },
  },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** The Wuxi example: every text in both languages. */
export const Wuxi: Story = {
  name: 'Wuxi — complete',
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    expect(counts(canvasElement)).toMatch(/中文和英文都齐了|Every text has both/);
    expect(shadow(canvasElement).querySelector('[data-pointer="/form/pages/0/fields/0/label"]')!.textContent).toMatch(/表单 › 第1页 › 字段「议题名称」 › 标签|Form › Page 1 › Field "Topic" › label/);
  },
};

/** Two English texts missing: counted, flagged, only those shown; typing one in drops the count. */
export const MissingEnglish: Story = {
  name: 'Missing English, only missing shown',
  render: render(withGaps()),
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    expect(counts(canvasElement)).toMatch(/缺 2 条英文|2 missing in English/);
    const only = shadow(canvasElement).querySelector<HTMLInputElement>('#only-missing')!;
    only.click();
    await waitFor(() => expect(shadow(canvasElement).querySelectorAll('tbody tr')).toHaveLength(2));
    const input = shadow(canvasElement).querySelector<HTMLInputElement>('[data-pointer="/form/pages/0/fields/0/label/en"]')!;
    input.value = 'Topic';
    input.dispatchEvent(new Event('input'));
    await waitFor(() => expect(counts(canvasElement)).toMatch(/缺 1 条英文|1 missing in English/));
    expect(docs.at(-1)!.get('/form/pages/0/fields/0/label/en')).toBe('Topic');
  },
};
