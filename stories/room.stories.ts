import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import '../packages/elements/src/room/consult-room.js';
import { ROOM_ID, roomData, roomList, roomTopics } from '../packages/elements/src/room/room.fixture.js';
import { config } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { deepActive, realKeyboard } from './support/keyboard.js';

/**
 * `<consult-room>`, a consultation room (协商议事室) and its star grade (星级评定). The data is what
 * the server's `GET …/rooms/{room}` and `GET …/rooms` answer, computed here by the machine's own
 * selectors over a replayed year and a half of the Wuxi example's Qingmingqiao room
 * (packages/elements/src/room/room.fixture.ts). Storybook has no backend: the server states use a
 * stand-in `fetch`.
 */
const wuxi = () => config('wuxi');
const topics = () => roomTopics(wuxi());
const data = () => roomData(wuxi(), topics());
const rooms = () => roomList(wuxi(), topics());

const root = (canvas: HTMLElement) => shadowOf(canvas, 'consult-room');
const gradeLabel = (canvas: HTMLElement) =>
  root(canvas).querySelector('[part~=grade] consult-star-rating')?.shadowRoot?.querySelector('[role=img]')?.getAttribute('aria-label');

const meta = {
  title: 'Components/Room 协商议事室',
  id: 'components-room',
  component: 'consult-room',
  render: (args: StoryArgs): HTMLElement => element('consult-room', args, { data: data() }),
  args: {},
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** One room: its conveners and members, this year's grade with the figures behind each star, and its history. */
export const Room: Story = {
  name: 'A room and its star grade',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('h2')?.textContent)).toBe('清名桥社区协商议事室'));
    await waitFor(() => expect(gradeLabel(canvasElement)).toBe('1 星（满分 5 星）'));
    expect(squash(root(canvasElement).querySelector('[part~=plain] li')?.textContent)).toBe('已召开协商会议 2 次；达到 2 星需要 4 次。');
    expect(root(canvasElement).querySelectorAll('[part~=history] tbody tr')).toHaveLength(2);
  },
};

/** In English, with the portal's links to the room's printable report and its QR-code poster. */
export const English: Story = {
  name: 'In English, with report and poster links',
  args: { lang: 'en', 'report-href': `#/rooms/${ROOM_ID}/report`, 'poster-href': `#/rooms/${ROOM_ID}/poster` },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(gradeLabel(canvasElement)).toBe('1 of 5 stars'));
    expect(squash(root(canvasElement).querySelector('#report')?.textContent)).toBe('Print this room’s report');
    expect(root(canvasElement).querySelector('#poster')?.getAttribute('href')).toBe(`#/rooms/${ROOM_ID}/poster`);
    expect(squash(root(canvasElement).querySelector('[part~=figures] tbody tr')?.textContent)).toContain('Sessions held in the year');
  },
};

/** Every room of the programme; a room opens with Enter (consult-room-select), and "All rooms" goes back. */
export const List: Story = {
  name: 'Every room (keyboard)',
  args: { lang: 'en' },
  render: (args) => element('consult-room', args, { rooms: rooms() }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelectorAll('tbody tr')).toHaveLength(4));
    const button = root(canvasElement).querySelector<HTMLElement>('tbody tr:first-child .room-link')!;
    const keyboard = realKeyboard();
    button.focus();
    if (keyboard) await keyboard.press('{Enter}');
    else await userEvent.click(button);
    await waitFor(() => expect(squash(root(canvasElement).querySelector('h2')?.textContent)).toBe('Qingmingqiao Community Consultation Room'));
    if (keyboard) expect(deepActive()?.id).toBe('title');
    const back = root(canvasElement).querySelector<HTMLElement>('#back')!;
    back.focus();
    if (keyboard) await keyboard.press('{Enter}');
    else await userEvent.click(back);
    await waitFor(() => expect(root(canvasElement).querySelectorAll('tbody tr')).toHaveLength(4));
  },
};

/** The list in zh-CN with large text for older readers. */
export const ListLargeText: Story = {
  name: 'Every room, large text',
  args: { 'large-text': true },
  render: (args) => element('consult-room', args, { rooms: rooms() }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelectorAll('tbody tr')).toHaveLength(4));
    expect(squash(root(canvasElement).querySelector('thead')?.textContent)).toBe('议事室 层级 召集人 议题数 本期星级');
  },
};

/** The server cannot be reached: said so, with Try again (a stand-in fetch that fails). */
export const Unreachable: Story = {
  args: { endpoint: '/api', programme: 'wuxi-youshi-haoshangliang', room: ROOM_ID },
  render: (args) => element('consult-room', args, { fetch: () => Promise.reject(new TypeError('Failed to fetch')) }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('[role=alert]')?.textContent)).toContain('暂时无法连接服务器'));
  },
};

/** A room the programme does not have (404). */
export const NotFound: Story = {
  name: 'Unknown room',
  args: { endpoint: '/api', programme: 'wuxi-youshi-haoshangliang', room: 'nowhere', lang: 'en' },
  render: (args) => element('consult-room', args, { fetch: async () => new Response('{"title":"Not found"}', { status: 404 }) }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('[part~=message]')?.textContent)).toBe('There is no such room in this programme.'));
  },
};
