import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { PerformanceFile } from '@consult-kit/machine';
import '../packages/elements/src/performance-file/consult-performance-file.js';
import type { ConsultPerformanceFile } from '../packages/elements/src/performance-file/performance-file.component.js';
import { ROOM_NOW, performanceData, roomList, roomTopics } from '../packages/elements/src/room/room.fixture.js';
import { config } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { deepActive, realKeyboard } from './support/keyboard.js';

/**
 * `<consult-performance-file>`, members' performance files (履职档案). The files are what the
 * server's `GET …/performance?year=` answers, computed here by the machine's `selectPerformanceFiles`
 * over a replayed year and a half of the Wuxi example's Qingmingqiao room
 * (packages/elements/src/room/room.fixture.ts). Storybook has no backend: the signed-out and
 * forbidden states use a stand-in `fetch`.
 */
const wuxi = () => config('wuxi');
const topics = () => roomTopics(wuxi());
const files = (year: number): PerformanceFile[] => performanceData(wuxi(), year, topics()).files;
const rooms = () => roomList(wuxi(), topics()).map((r) => ({ id: r.id, name: r.name }));

const root = (canvas: HTMLElement) => shadowOf(canvas, 'consult-performance-file');

/** Given files, answering a change of year with that year's files (as a portal would). */
function withYears(args: StoryArgs, year: number, only?: string): HTMLElement {
  const pick = (y: number) => (only ? files(y).filter((f) => f.person.id === only) : files(y));
  const el = element('consult-performance-file', { now: ROOM_NOW, ...args }, { files: pick(year), rooms: rooms(), year }) as ConsultPerformanceFile;
  el.addEventListener('change', () => (el.files = pick(el.year ?? year)));
  return el;
}

const meta = {
  title: 'Components/Performance file 履职档案',
  id: 'components-performance-file',
  component: 'consult-performance-file',
  render: (args: StoryArgs): HTMLElement => withYears(args, 2025),
  args: {},
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** What an administrator sees: everyone's file, with the targets each met. */
export const Everyone: Story = {
  name: 'Everyone (administrator)',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelector('[data-person="m-qm-02"]')).toBeTruthy());
    expect(squash(root(canvasElement).querySelector('[data-person="m-qm-02"]')?.textContent)).toBe('沈佳（查看档案） 政协委员 清名桥社区协商议事室 3 / 4');
  },
};

/** An administrator opens one file with Enter: each target met or not (words and icon), every count. */
export const OpenAFile: Story = {
  name: 'Open a file (keyboard, English)',
  args: { lang: 'en' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelector('[data-person="m-qm-02"] .person-link')).toBeTruthy());
    const button = root(canvasElement).querySelector<HTMLElement>('[data-person="m-qm-02"] .person-link')!;
    const keyboard = realKeyboard();
    button.focus();
    if (keyboard) await keyboard.press('{Enter}');
    else await userEvent.click(button);
    await waitFor(() => expect(squash(root(canvasElement).querySelector('#file-title')?.textContent)).toBe('Performance file of 沈佳, 2025'));
    if (keyboard) expect(deepActive()?.id).toBe('file-title');
    expect(squash(root(canvasElement).querySelector('#summary')?.textContent)).toBe('3 of 4 targets met');
    expect([...root(canvasElement).querySelectorAll('[part~=met]')].map((m) => squash(m.textContent))).toEqual(['Met', 'Met', 'Not met', 'Met']);
  },
};

/** A member sees their own file; the year picker (a native select) moves to the year before by keyboard. */
export const OwnFile: Story = {
  name: 'A member’s own file, year picker',
  render: (args) => withYears(args, 2026, 'm-qm-01'),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('#file-title')?.textContent)).toBe('陆文华的2026年履职档案'));
    const select = root(canvasElement).querySelector<HTMLSelectElement>('#year')!;
    const keyboard = realKeyboard();
    select.focus();
    if (keyboard) await keyboard.press('{ArrowDown}');
    else await userEvent.selectOptions(select, '2025');
    await waitFor(() => expect(squash(root(canvasElement).querySelector('#file-title')?.textContent)).toBe('陆文华的2025年履职档案'));
  },
};

/** Large text for older readers. */
export const LargeText: Story = {
  name: 'Large text',
  args: { 'large-text': true, lang: 'en' },
  render: (args) => withYears(args, 2025, 'm-qm-02'),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelectorAll('[part~=targets] tbody tr')).toHaveLength(4));
  },
};

/** No token: it asks to sign in (nothing is sent). */
export const SignedOut: Story = {
  name: 'Signed out',
  args: { endpoint: '/api', programme: 'wuxi-youshi-haoshangliang' },
  render: (args) => element('consult-performance-file', args, { fetch: async () => new Response('{"rooms":[]}', { status: 200 }) }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('[part~=message]')?.textContent)).toBe('请登录后查看履职档案。'));
  },
};

/** A token whose role may not see performance files (403). */
export const Forbidden: Story = {
  args: { endpoint: '/api', programme: 'wuxi-youshi-haoshangliang', lang: 'en' },
  render: (args) =>
    element('consult-performance-file', args, {
      token: 'resident-token',
      fetch: async (input: RequestInfo | URL) =>
        String(input).includes('/performance') ? new Response('{"title":"Forbidden"}', { status: 403 }) : new Response('{"rooms":[]}', { status: 200 }),
    }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('[part~=message]')?.textContent)).toContain('Your account may not see performance files'));
  },
};
