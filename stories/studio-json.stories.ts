import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import { forEachDiagnostic } from '@codemirror/lint';
import '../packages/studio/src/json/consult-studio-json.js';
import type { ConsultStudioJson } from '../packages/studio/src/json/json.component.js';
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

const pane = (canvas: HTMLElement) => canvas.querySelector('consult-studio-json') as ConsultStudioJson;
const ready = (canvas: HTMLElement) => waitFor(() => expect(pane(canvas).shadowRoot?.querySelector('.cm-content')).toBeTruthy());
const status = (canvas: HTMLElement) => pane(canvas).shadowRoot!.querySelector('[part=status]')!.textContent!.trim();
const diagnostics = (canvas: HTMLElement) => {
  let count = 0;
  forEachDiagnostic(pane(canvas).editor!.state, () => (count += 1));
  return count;
};

const render = (value: Json) => (args: StoryArgs) => {
  const el = element('consult-studio-json', args, { doc: new StudioDocument(value) });
  el.style.height = '520px';
  return el;
};

const meta = {
  title: 'Studio/JSON 配置文本',
  id: 'studio-json',
  component: 'consult-studio-json',
  render: render(wuxi()),
  args: { lang: 'zh-CN' },
  argTypes: { lang: { control: 'inline-radio', options: ['zh-CN', 'en'] } },
  parameters: {
    docs: {
      description: {
        component:
          'The whole config as JSON in CodeMirror 6, in step with the other panes both ways, linted by the machine’s checker, completing from the workflow schema, sharing the document’s undo history. Tab indents; Esc then Tab leaves the editor.',
      },
    },
  },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** The Wuxi example as its canonical text; a change made elsewhere shows in the text at once. */
export const Wuxi: Story = {
  name: 'Wuxi example',
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    const el = pane(canvasElement);
    expect(el.editor!.state.doc.toString()).toBe(el.doc!.text());
    expect(el.shadowRoot!.querySelector('.cm-content')!.getAttribute('aria-label')).toMatch(/JSON/);
    el.doc!.set('/version', '1.1.0');
    expect(el.editor!.state.doc.toString()).toContain('"version": "1.1.0"');
    expect(await el.focusPointer('/form/pages/0/fields/0/label')).toBe(true);
  },
};

/** A pasted config with 50 faults: each marked at its node, none thrown. */
export const FiftyFaults: Story = {
  name: '50 faults',
  render: render(
    wuxi((c) => {
      const fields = ((c.form as JsonObject).pages as JsonObject[])[0]!.fields as Json[];
      for (let i = 0; i < 50; i += 1) fields.push({ name: `extra${i}`, type: 'text', label: { 'zh-CN': '', en: `Extra ${i}` } });
    }),
  ),
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    await waitFor(() => expect(diagnostics(canvasElement)).toBe(50));
    expect(status(canvasElement)).toMatch(/50/);
  },
};

/** Text that is not JSON: the document keeps its last value, the pane says where and why. */
export const SyntaxError: Story = {
  name: 'Syntax error',
  play: async ({ canvasElement }) => {
    await ready(canvasElement);
    const el = pane(canvasElement);
    const before = el.doc!.value;
    const at = el.rangeOf('/version')!.to;
    el.editor!.dispatch({ changes: { from: at, insert: ' oops' } });
    expect(el.doc!.value).toBe(before);
    await waitFor(() => expect(status(canvasElement)).toMatch(/^(第 \d+ 行第 \d+ 列|Line \d+, column \d+)/));
  },
};
