import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import '../packages/studio/src/permissions/consult-studio-permissions.js';
import { StudioDocument } from '../packages/studio/src/document.js';
import type { Json, JsonObject } from '../packages/studio/src/pointer.js';
import wuxiJson from '../examples/configs/wuxi-community.json' with { type: 'json' };
import { element, type StoryArgs } from './support/render.js';

const shadow = (canvas: HTMLElement) => canvas.querySelector('consult-studio-permissions')!.shadowRoot!;
const box = (canvas: HTMLElement, row: string, role: string) => shadow(canvas).querySelector<HTMLInputElement>(`input[data-row="${row}"][data-role="${role}"]`)!;
const ready = (canvas: HTMLElement) => waitFor(() => expect(shadow(canvas).querySelector('table')).toBeTruthy());

const docs: StudioDocument[] = [];
const render = (value: Json) => (args: StoryArgs) => {
  const doc = new StudioDocument(value);
  docs.push(doc);
  return element('consult-studio-permissions', args, { doc });
};
const wuxi = (edit: (c: JsonObject) => void = () => {}) => {
  const config = structuredClone(wuxiJson) as unknown as JsonObject;
  edit(config);
  return config;
};

const meta = {
  title: 'Studio/Permissions 权限',
  id: 'studio-permissions',
  component: 'consult-studio-permissions',
  render: render(wuxi()),
  args: { lang: 'zh-CN' },
  argTypes: { lang: { control: 'inline-radio', options: ['zh-CN', 'en'] } },
  parameters: {
    docs: {
      description: {
        component:
          'Who may send which event: a row per event, a column per role, a named tick box in each cell, and who may see personal data. Rows the config leaves out show the defaults, marked; the first change writes the row out.',
      },
    },
  },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** The Wuxi example: two rows of its own, every other row from the defaults, marked as such. */
export const Wuxi: Story = {
  name: 'Wuxi — defaults marked',
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    expect(box(canvasElement, 'research.complete', 'grid').checked).toBe(true);
    expect(box(canvasElement, 'screening.accept', 'convener').checked).toBe(true);
    expect(shadow(canvasElement).querySelectorAll('tbody .badge').length).toBe(17 + 1); // 19 events, 2 written by Wuxi, and who may see personal data
    expect(box(canvasElement, 'screening.accept', 'convener').getAttribute('aria-label')).toMatch(/召集人可以发送「受理」|Convener may send "Accept"/);
  },
};

/** A tick set: the row is written out with the defaults plus the new role, and the config stays valid. */
export const TickABox: Story = {
  name: 'A council member may record the outcome',
  render: render(wuxi()),
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    box(canvasElement, 'meeting.record', 'member').click();
    const doc = docs.at(-1)!;
    await waitFor(() => expect(doc.get('/permissions/meeting.record')).toEqual(['convener', 'admin', 'member']));
    expect(doc.errors).toHaveLength(0);
  },
};

/** An unknown role in a row: the checker's error under the table, the row's boxes marked invalid. */
export const WithError: Story = {
  name: 'An unknown role',
  render: render(wuxi((c) => ((c.permissions as JsonObject)['meeting.record'] = ['convener', 'mayor']))),
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    expect(box(canvasElement, 'meeting.record', 'convener').getAttribute('aria-invalid')).toBe('true');
    expect(shadow(canvasElement).querySelector('.error')).toBeTruthy();
  },
};
