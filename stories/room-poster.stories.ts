import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import { intakeUrlFor, roomById } from '@consult-kit/machine/core';
import '../packages/elements/src/room-poster/consult-room-poster.js';
import { config } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { deepActive, realKeyboard } from './support/keyboard.js';

/**
 * `<consult-room-poster>`, a room's scan-to-raise poster (码上议), from the Wuxi example's
 * Qingmingqiao room with the intake URL the machine fills (`intakeUrlFor`). The QR code's decoding
 * and the A4 print layout are tested in packages/elements/src/room-poster/room-poster.test.ts.
 */
const ROOM = 'qingmingqiao-shequ';
const data = () => {
  const wuxi = config('wuxi');
  const room = roomById(wuxi, ROOM)!;
  return { ...room, intakeUrl: intakeUrlFor(wuxi, ROOM, 'resident') };
};
const props = () => ({ data: data(), programmeTitle: config('wuxi').title, origin: 'https://consult.wuxi.example' });

const root = (canvas: HTMLElement) => shadowOf(canvas, 'consult-room-poster');

const meta = {
  title: 'Components/Room poster 码上议海报',
  id: 'components-room-poster',
  component: 'consult-room-poster',
  render: (args: StoryArgs): HTMLElement => element('consult-room-poster', args, props()),
  args: {},
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** The poster in Chinese: the room's name, 扫码议事, the QR code and its address, what to raise, place and conveners. */
export const Poster: Story = {
  name: 'A room’s poster',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('[part=room-name]')?.textContent)).toBe('清名桥社区协商议事室'));
    expect(root(canvasElement).querySelector('svg.qr')).not.toBeNull();
    expect(squash(root(canvasElement).querySelector('[part=url]')?.textContent)).toContain('https://consult.wuxi.example/?programme=');
    expect(squash(root(canvasElement).textContent)).toContain('扫码议事');
  },
};

/** In English, Download reached by the keyboard. */
export const English: Story = {
  args: { lang: 'en' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).textContent)).toContain('Scan to raise a matter'));
    const download = root(canvasElement).getElementById('download') as HTMLButtonElement;
    (root(canvasElement).getElementById('print') as HTMLButtonElement).focus();
    const keyboard = realKeyboard();
    if (keyboard) await keyboard.press('{Tab}');
    else download.focus();
    expect(deepActive()).toBe(download);
  },
};

/** Both languages, the page's first and the other smaller beneath (`bilingual`). */
export const Bilingual: Story = {
  args: { lang: 'zh-CN', bilingual: true },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).textContent)).toContain('Scan to raise a matter'));
    expect(squash(root(canvasElement).textContent)).toContain('扫码议事');
  },
};

/** An address that is neither https nor relative: no QR code, and why. */
export const RefusedAddress: Story = {
  name: 'A refused address',
  render: (args) => element('consult-room-poster', args, { ...props(), data: { ...data(), intakeUrl: 'http://consult.wuxi.example/raise' } }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(squash(root(canvasElement).querySelector('[part=refused]')?.textContent)).toContain('未生成二维码'));
    expect(root(canvasElement).querySelector('svg.qr')).toBeNull();
  },
};
