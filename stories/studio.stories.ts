import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import '../packages/studio/src/consult-studio.js';
import type { ConsultStudio } from '../packages/studio/src/shell/studio.component.js';
import type { JsonObject } from '../packages/studio/src/pointer.js';
import wuxiJson from '../examples/configs/wuxi-community.json' with { type: 'json' };
import sichuanJson from '../examples/configs/sichuan-courtyard.json' with { type: 'json' };
import guangshuiJson from '../examples/configs/guangshui-frontline.json' with { type: 'json' };
import { element, squash, type StoryArgs } from './support/render.js';

/**
 * A stand-in for the city server, inside the story (Storybook has no server): it lists the example
 * programmes and serves their configs; `conflict` makes a publish answer 412 as the real server does
 * when someone published meanwhile. The real server's answers are tested in
 * packages/studio/test/shell-publish.browser.test.ts.
 */
function standInServer(configs: JsonObject[], { conflict = false } = {}): typeof fetch {
  const byId = new Map(configs.map((c) => [c.id as string, c]));
  let published = false;
  return async (input, init = {}) => {
    const path = new URL(String(input), location.href).pathname.replace(/^\/api/, '');
    const method = init.method ?? 'GET';
    if (path === '/programmes') {
      return Response.json({ programmes: configs.map((c) => ({ id: c.id, version: c.version, title: c.title, level: c.level })) });
    }
    const match = /^\/programmes\/([^/]+)\/config$/.exec(path);
    const config = match ? byId.get(decodeURIComponent(match[1]!)) : undefined;
    if (config && method === 'GET') {
      // With `conflict`, someone publishes version 3 right after the studio opened version 2.
      const meanwhile = conflict && published;
      published = true;
      const version = meanwhile ? 3 : 2;
      const theirs = meanwhile ? { ...config, title: { ...(config.title as JsonObject), en: 'Their title, published meanwhile' } } : config;
      return new Response(`${JSON.stringify(theirs, null, 2)}\n`, { headers: { 'Content-Type': 'application/json', ETag: `"v${version}"`, 'Consult-Config-Version': String(version) } });
    }
    if (config && method === 'PUT' && conflict) {
      return Response.json(
        { type: 'https://consult-kit.example/problems/config-changed', title: 'The config changed', status: 412, detail: 'Someone published version 3 meanwhile.', currentEtag: '"v3"', currentVersion: 3 },
        { status: 412, headers: { 'Content-Type': 'application/problem+json' } },
      );
    }
    if (path.endsWith('/config/versions')) return Response.json({ versions: [{ version: 2, etag: '"v2"', configVersion: '1.0.0', publishedAt: '2026-11-02T09:30:00Z' }] });
    return Response.json({ title: 'Not found', status: 404 }, { status: 404 });
  };
}

const examples = () => [wuxiJson, sichuanJson, guangshuiJson].map((c) => structuredClone(c) as unknown as JsonObject);

/** Each story starts without drafts from another story. */
const freshDrafts = async () => {
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase('consult-studio-drafts');
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
  return {};
};

const studio = (canvas: HTMLElement) => canvas.querySelector('consult-studio') as ConsultStudio;
const root = (canvas: HTMLElement) => studio(canvas).shadowRoot!;
const errorsRoot = (canvas: HTMLElement) => root(canvas).querySelector('consult-studio-errors')!.shadowRoot!;
const editing = (canvas: HTMLElement) => waitFor(() => expect(root(canvas).querySelector('[role=tablist]')).toBeTruthy(), { timeout: 8000 });

const meta = {
  title: 'Studio/Studio 协商项目工作室',
  id: 'studio-shell',
  component: 'consult-studio',
  loaders: [freshDrafts],
  render: (args: StoryArgs) => element('consult-studio', { endpoint: '/api', programme: 'wuxi-youshi-haoshangliang', ...args }, { fetch: standInServer(examples()) }),
  args: { lang: 'zh-CN' },
  argTypes: { lang: { control: 'inline-radio', options: ['zh-CN', 'en'] } },
  parameters: {
    layout: 'fullscreen',
    docs: {
      description: {
        component:
          'The whole low-code studio: toolbar (undo/redo, import, export, publish, language), the editing tabs, preview and diagram, and the errors panel. These stories talk to a stand-in server inside the story; drafts live in this browser’s IndexedDB.',
      },
    },
  },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** The Wuxi example opened from the server: its title, the tabs, and no problems. */
export const WuxiExample: Story = {
  name: 'Wuxi example',
  play: async ({ canvasElement }) => {
    await editing(canvasElement);
    expect(squash(root(canvasElement).querySelector('h1')?.textContent)).toMatch(/有事好商量·社区协商议事室|Let's Talk It Over/);
    const tabs = [...root(canvasElement).querySelectorAll('[part=tabs] [role=tab]')].map((t) => squash(t.textContent));
    expect(tabs).toHaveLength(7);
    expect(squash(errorsRoot(canvasElement).querySelector('h2')?.textContent)).toMatch(/配置无误|No problems/);
  },
};

/** In English, with the language switch in the toolbar. */
export const English: Story = {
  name: 'Wuxi example in English',
  args: { lang: 'en' },
  play: async ({ canvasElement }) => {
    await editing(canvasElement);
    const tabs = [...root(canvasElement).querySelectorAll('[part=tabs] [role=tab]')].map((t) => squash(t.textContent));
    expect(tabs).toEqual(['Form', 'Lifecycle', 'Programme', 'Permissions', 'Translations', 'JSON', 'Versions']);
    expect(squash(root(canvasElement).querySelector('[data-action=language]')?.textContent)).toBe('中文');
  },
};

/** Without a programme: the server's programmes, new from a template, a copy, import a file. */
export const StartScreen: Story = {
  name: 'Start screen',
  render: (args: StoryArgs) => element('consult-studio', { endpoint: '/api', ...args }, { fetch: standInServer(examples()) }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelectorAll('[data-open]')).toHaveLength(3), { timeout: 8000 });
    expect(root(canvasElement).querySelector('form[data-template]')).toBeTruthy();
    expect(root(canvasElement).querySelector('form[data-copy]')).toBeTruthy();
    expect(squash(root(canvasElement).querySelector('[data-action=import-start]')?.textContent)).toMatch(/导入文件|Import a file/);
  },
};

/** A config with faults: each listed with its pointer and message, grouped by section. */
export const WithErrors: Story = {
  name: 'A config with errors',
  render: (args: StoryArgs) => {
    const [wuxi, ...rest] = examples();
    const faulty: JsonObject = { ...wuxi!, level: 'galaxy', offlineGraceHours: 'a day' };
    (((faulty.form as JsonObject).pages as JsonObject[])[0]!.fields as JsonObject[])[0]!.label = { 'zh-CN': '议题名称', en: 7 };
    return element('consult-studio', { endpoint: '/api', programme: 'wuxi-youshi-haoshangliang', ...args }, { fetch: standInServer([faulty, ...rest]) });
  },
  play: async ({ canvasElement }) => {
    await editing(canvasElement);
    const n = studio(canvasElement).doc.errors.length;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(squash(errorsRoot(canvasElement).querySelector('h2')?.textContent)).toMatch(new RegExp(`^${n} (个问题|problems)$`));
    const pointers = [...errorsRoot(canvasElement).querySelectorAll('button.error code')].map((c) => squash(c.textContent));
    expect(pointers).toContain('/level');
    expect(pointers).toContain('/offlineGraceHours');
  },
};

/** Publishing after someone else published: the 412 dialog, and the difference between theirs and mine. */
export const Conflict: Story = {
  name: 'Publish conflict (412)',
  args: { lang: 'en' },
  render: (args: StoryArgs) =>
    element('consult-studio', { endpoint: '/api', programme: 'wuxi-youshi-haoshangliang', ...args }, { fetch: standInServer(examples(), { conflict: true }), token: 'story-admin-token' }),
  play: async ({ canvasElement }) => {
    await editing(canvasElement);
    studio(canvasElement).doc.set('/description/en', 'My wording of the description');
    root(canvasElement).querySelector<HTMLButtonElement>('[data-action=publish]')!.click();
    await waitFor(() => expect(root(canvasElement).querySelector<HTMLDialogElement>('#conflict-dialog')?.open).toBe(true), { timeout: 8000 });
    const dialog = root(canvasElement).querySelector<HTMLDialogElement>('#conflict-dialog')!;
    expect(squash(dialog.querySelector('h2')?.textContent)).toBe('Someone published version 3 meanwhile');
    dialog.querySelector<HTMLButtonElement>('[data-action=compare]')!.click();
    await waitFor(() => expect(dialog.querySelector('consult-studio-diff')?.shadowRoot?.querySelectorAll('tbody tr').length).toBe(2));
    const rows = squash(dialog.querySelector('consult-studio-diff')!.shadowRoot!.textContent);
    expect(rows).toContain('Their title, published meanwhile');
    expect(rows).toContain('My wording of the description');
  },
};
