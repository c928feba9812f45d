import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import '../packages/studio/src/form/consult-studio-form.js';
import type { ConsultStudioForm } from '../packages/studio/src/form/form.component.js';
import { StudioDocument } from '../packages/studio/src/document.js';
import type { Json, JsonObject } from '../packages/studio/src/pointer.js';
import wuxiJson from '../examples/configs/wuxi-community.json' with { type: 'json' };
import { element, type StoryArgs } from './support/render.js';

/** A fresh copy of the Wuxi example, changed by `edit` (each story edits its own document). */
function wuxi(edit: (config: JsonObject) => void = () => {}): JsonObject {
  const config = structuredClone(wuxiJson) as unknown as JsonObject;
  edit(config);
  return config;
}
const pagesOf = (config: JsonObject) => (config.form as JsonObject).pages as JsonObject[];

const pane = (canvas: HTMLElement) => canvas.querySelector('consult-studio-form') as ConsultStudioForm;
const shadow = (canvas: HTMLElement) => pane(canvas).shadowRoot!;
const control = <T extends HTMLElement>(canvas: HTMLElement, pointer: string) => shadow(canvas).querySelector<T>(`[data-pointer="${CSS.escape(pointer)}"]`);
const ready = (canvas: HTMLElement) => waitFor(() => expect(shadow(canvas).querySelector('[part=base]')).toBeTruthy());

const render = (value: Json) => (args: StoryArgs) => element('consult-studio-form', args, { doc: new StudioDocument(value) });

const meta = {
  title: 'Studio/Form editor 表单编辑',
  id: 'studio-form',
  component: 'consult-studio-form',
  render: render(wuxi()),
  args: { lang: 'zh-CN' },
  argTypes: { lang: { control: 'inline-radio', options: ['zh-CN', 'en'] } },
  parameters: {
    docs: {
      description: {
        component:
          'The studio’s editor of the intake form: pages and fields of every type, labels and hints in zh-CN and en side by side, options, conditions built from pickers, the privacy notice, the consent field and the anonymous option. Each story edits its own document.',
      },
    },
  },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** The Wuxi example: two pages, ten fields, collapsed cards with their summary lines. */
export const Wuxi: Story = {
  name: 'Wuxi example',
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    expect(shadow(canvasElement).querySelectorAll('.card')).toHaveLength(10);
    const title = control(canvasElement, '/form/pages/0/fields/0')!;
    expect(title.getAttribute('aria-expanded')).toBe('false');
    expect(title.textContent).toMatch(/议题名称|Topic/);
  },
};

/** A config whose form has no pages yet: "Add a page" starts one with a first field. */
export const EmptyForm: Story = {
  name: 'Empty form',
  render: render(wuxi((c) => (c.form = { pages: [] }))),
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    expect(shadow(canvasElement).querySelectorAll('.page')).toHaveLength(0);
    expect(shadow(canvasElement).textContent).toMatch(/还没有表单页面|no form pages yet/);
    const add = [...shadow(canvasElement).querySelectorAll('button')].find((b) => /添加页面|Add a page/.test(b.textContent ?? ''))!;
    add.click();
    await waitFor(() => expect(shadow(canvasElement).querySelectorAll('.page')).toHaveLength(1));
    expect(shadow(canvasElement).querySelectorAll('.card')).toHaveLength(1);
  },
};

/** The phone field on page 2, open: shown only when "contact me" is "yes", built from pickers. */
export const FieldWithCondition: Story = {
  name: 'A field with a condition',
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    await pane(canvasElement).focusPointer('/form/pages/1/fields/2/visibleWhen/equals');
    const value = control<HTMLSelectElement>(canvasElement, '/form/pages/1/fields/2/visibleWhen/equals')!;
    expect(value.value).toBe('s:yes');
    expect(control<HTMLSelectElement>(canvasElement, '/form/pages/1/fields/2/visibleWhen/field')!.value).toBe('contactWanted');
  },
};

/** A field whose type comes from a newer version: read-only, with a note, kept exactly. */
export const UnknownType: Story = {
  name: 'A field of an unknown type',
  render: render(
    wuxi((c) => {
      (pagesOf(c)[0]!.fields as Json[]).splice(1, 0, { name: 'mood', type: 'rating-scale', label: { 'zh-CN': '心情', en: 'Mood' }, steps: 7 });
    }),
  ),
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    await pane(canvasElement).focusPointer('/form/pages/0/fields/1');
    const card = control(canvasElement, '/form/pages/0/fields/1')!.closest('.card')!;
    await waitFor(() => expect(card.textContent).toMatch(/此字段类型来自更新的版本|comes from a newer version/));
    expect(card.querySelector('pre')!.textContent).toContain('"steps": 7');
  },
};
