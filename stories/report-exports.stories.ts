import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import '../packages/elements/src/report-exports/consult-report-exports.js';
import { config } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';

/**
 * `<consult-report-exports>`, the programme office's spreadsheet exports. Storybook has no backend:
 * the rooms come from the Wuxi example's config, and the server's answers to Download are a
 * stand-in `fetch` per story (the real route and its files are tested in packages/server).
 */
const rooms = () => config('wuxi').rooms?.list ?? [];
const NOW = new Date(2026, 7, 15, 12).getTime();
const root = (canvas: HTMLElement) => shadowOf(canvas, 'consult-report-exports');
const status = (canvas: HTMLElement) => squash(root(canvas).querySelector('[part=status]')?.textContent);

/** A fetch that answers every report with `answer`. */
const answering = (answer: () => Response): typeof fetch => () => Promise.resolve(answer());

const render = (answer?: () => Response) => (args: StoryArgs): HTMLElement => {
  const el = element('consult-report-exports', { endpoint: '/api', programme: 'wuxi-youshi-haoshangliang', ...args }, { rooms: rooms(), now: NOW, token: 'demo-admin-token' });
  if (answer) {
    const original = window.fetch;
    // Only for this story's element: restored when it leaves the page.
    window.fetch = answering(answer);
    new MutationObserver((_, observer) => {
      if (!el.isConnected) {
        window.fetch = original;
        observer.disconnect();
      }
    }).observe(document.body, { childList: true, subtree: true });
  }
  return el;
};

const meta = {
  title: 'Components/Report exports 报表导出',
  id: 'components-report-exports',
  component: 'consult-report-exports',
  render: render(),
  args: {},
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** The choices: kind, file type, period (this year by default), room and level. */
export const Panel: Story = {
  name: 'The exports panel',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('h2')?.textContent)).toBe('下载报表'));
    expect((root(canvasElement).getElementById('from') as HTMLInputElement).value).toBe('2026-01-01');
    expect((root(canvasElement).getElementById('room') as HTMLSelectElement).options.length).toBe(rooms().length + 1);
    expect(squash(root(canvasElement).querySelector('[part=personal]')?.textContent)).toContain('个人信息');
  },
};

/** In English, this quarter chosen and a CSV saved. */
export const Saved: Story = {
  name: 'A file saved (English)',
  args: { lang: 'en' },
  render: render(() => new Response(new Blob(['\uFEFFid,title\r\n']), { headers: { 'Content-Disposition': 'attachment; filename="topics.csv"' } })),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).getElementById('preset-thisQuarter')).not.toBeNull());
    (root(canvasElement).getElementById('preset-thisQuarter') as HTMLButtonElement).click();
    await waitFor(() => expect((root(canvasElement).getElementById('from') as HTMLInputElement).value).toBe('2026-07-01'));
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = () => undefined; // no real download from a story
    try {
      (root(canvasElement).getElementById('download') as HTMLButtonElement).click();
      await waitFor(() => expect(status(canvasElement)).toMatch(/^Saved topics\.csv/));
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
  },
};

/** A role that may not export: 403, said as an alert. */
export const Forbidden: Story = {
  render: render(() => new Response('{"title":"Forbidden"}', { status: 403, headers: { 'Content-Type': 'application/problem+json' } })),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).getElementById('download')).not.toBeNull());
    (root(canvasElement).getElementById('download') as HTMLButtonElement).click();
    await waitFor(() => expect(status(canvasElement)).toContain('您的角色无权下载此报表'));
  },
};
