import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import { pageOfSummaries, summarizeTopics } from '../packages/elements/src/outcomes-board/topic-summary.js';
import { NOW, LoggedTopic, config, wuxiSnapshots } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { realKeyboard } from './support/keyboard.js';

const root = (canvas: HTMLElement) => shadowOf(canvas, 'consult-outcomes-board');
const topics = (canvas: HTMLElement) => [...root(canvas).querySelectorAll('[part~=topic]')];
const count = (canvas: HTMLElement) => squash(root(canvas).querySelector('[part=count]')?.textContent);

/** Every Wuxi stage, and a topic its resident withdrew before it was accepted. */
function everyState() {
  const withdrawn = new LoggedTopic(config('wuxi'), 't-withdrawn', '2026-03-06T01:00:00.000Z')
    .submit('小区门口增设减速带')
    .send({ type: 'topic.withdraw', reason: '物业已经装好了' } as never, { role: 'resident', id: 'r-小区门口增设减速带' });
  return [...wuxiSnapshots(), withdrawn.snapshot];
}

/**
 * A stand-in for the city server's index (`GET /programmes/{p}/topics`), answering from the
 * stories' topics, and failing while `down` is set: Storybook has no server.
 */
function standInServer() {
  const state = { down: false };
  const summaries = summarizeTopics(everyState(), NOW);
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    if (state.down) throw new TypeError('Failed to fetch');
    const url = new URL(String(input), location.href);
    if (!url.pathname.endsWith('/topics')) return new Response('{"title":"Not here"}', { status: 404 });
    const q = Object.fromEntries(url.searchParams) as Record<string, string>;
    const page = pageOfSummaries(summaries, { ...q, limit: Number(q.limit ?? 10) });
    return new Response(JSON.stringify(page), { headers: { 'Content-Type': 'application/json' } });
  };
  return { state, fetch };
}

const meta = {
  title: 'Components/Outcomes board 协商成果公开',
  id: 'components-outcomes-board',
  component: 'consult-outcomes-board',
  // No server in Storybook: the local path, topics summarised on this device as the server would.
  render: (args: StoryArgs): HTMLElement => element('consult-outcomes-board', { now: NOW, ...args }, { topics: everyState(), config: config('wuxi') }),
  args: {},
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** Topics in every lifecycle state: screening, rejected with the reason, research, meeting, handling (overdue, declined with the reason), evaluation, closed with the rating, withdrawn. */
export const EveryState: Story = {
  name: 'Every lifecycle state',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(topics(canvasElement)).toHaveLength(10));
    expect(count(canvasElement)).toBe('第 1–10 个议题，共 11 个');
    const text = squash(root(canvasElement).textContent);
    expect(text).toMatch(/不予受理。理由：属于个人诉求/);
    expect(text).toMatch(/已逾期/);
  },
};

/** Ten a page: "next" pressed with the keyboard, the count says which topics of how many. */
export const Paged: Story = {
  name: 'Pages (keyboard)',
  args: { 'page-size': 4 },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(topics(canvasElement)).toHaveLength(4));
    const next = root(canvasElement).getElementById('next') as HTMLButtonElement;
    next.focus();
    const keyboard = realKeyboard();
    if (keyboard) await keyboard.press('{Enter}');
    else next.click();
    await waitFor(() => expect(count(canvasElement)).toBe('第 5–8 个议题，共 11 个'));
  },
};

/** Filtered by attribute: closed topics (已办结), with their measures, feedback and satisfaction. */
export const Closed: Story = {
  name: 'Filtered: closed (attribute)',
  args: { 'filter-status': 'closed' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(topics(canvasElement)).toHaveLength(1));
    expect(squash(topics(canvasElement)[0]!.textContent)).toMatch(/4.2 分（满分 5 分），共 5 人评价/);
  },
};

/** Nothing raised yet: it says so. */
export const Empty: Story = {
  render: (args) => element('consult-outcomes-board', { now: NOW, ...args }, { topics: [], config: config('wuxi') }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelector('[part=empty]')).toBeTruthy());
  },
};

/**
 * From a city server (a stand-in here) that then becomes unreachable: the board says so and shows
 * the last page it saw, with "Try again".
 */
export const Offline: Story = {
  name: 'Server unreachable: the last page seen',
  render: (args) => {
    const server = standInServer();
    const el = element('consult-outcomes-board', { endpoint: '/api', programme: 'wuxi-youshi', 'page-size': 3, ...args }, { fetch: server.fetch, config: config('wuxi') });
    (el as unknown as { server: typeof server }).server = server;
    return el;
  },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(topics(canvasElement)).toHaveLength(3));
    const board = canvasElement.querySelector('consult-outcomes-board') as unknown as { server: { state: { down: boolean } } };
    board.server.state.down = true;
    (root(canvasElement).getElementById('next') as HTMLButtonElement).click();
    await waitFor(() => expect(root(canvasElement).querySelector('[part=notice]')).toBeTruthy());
    (root(canvasElement).getElementById('previous') as HTMLButtonElement).click();
    await waitFor(() => expect(topics(canvasElement)).toHaveLength(3));
    expect(squash(root(canvasElement).querySelector('[part=notice]')?.textContent)).toMatch(/目前无法连接服务器/);
  },
};

/** In English, large text. */
export const EnglishLarge: Story = {
  name: 'English, large text',
  args: { lang: 'en', 'large-text': true },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(count(canvasElement)).toBe('Topics 1–10 of 11'));
  },
};

/** Two topics raised in the property room (物业议事室) by its QR code. */
function propertyRoomTopics() {
  return ['2026-04-10T01:00:00.000Z', '2026-05-12T01:00:00.000Z'].map(
    (start, i) =>
      new LoggedTopic(config('wuxi'), `t-property-${i}`, start).send(
        {
          type: 'topic.submit',
          source: 'resident',
          room: 'qingmingqiao-wuye',
          values: { title: `物业议题 ${i + 1}`, description: '小区物业服务需要改进，希望在物业议事室商量解决。', category: 'parking', name: '刘先生', contactWanted: 'no', consent: true },
        },
        { role: 'resident', id: `r-property-${i}` },
      ).snapshot,
  );
}

/** A programme with consultation rooms: the "协商议事室" picker shows one room's topics, chosen with the keyboard. */
export const ByRoom: Story = {
  name: 'Filtered by room (keyboard)',
  render: (args) => element('consult-outcomes-board', { now: NOW, ...args }, { topics: [...everyState(), ...propertyRoomTopics()], config: config('wuxi') }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).getElementById('room')).toBeTruthy());
    const select = root(canvasElement).getElementById('room') as HTMLSelectElement;
    expect(squash(root(canvasElement).querySelector('label[for="room"]')?.textContent)).toBe('协商议事室');
    select.focus();
    const keyboard = realKeyboard();
    const target = [...select.options].findIndex((o) => o.value === 'qingmingqiao-wuye');
    if (keyboard) for (let i = 0; i < target; i += 1) await keyboard.press('{ArrowDown}');
    else {
      select.value = 'qingmingqiao-wuye';
      select.dispatchEvent(new Event('change'));
    }
    await waitFor(() => expect(topics(canvasElement)).toHaveLength(2));
    expect(count(canvasElement)).toBe('第 1–2 个议题，共 2 个');
  },
};

/** One room's results in English, set by the `room` attribute (a room's own page). */
export const OneRoomEnglish: Story = {
  name: 'One room (English)',
  args: { lang: 'en', room: 'qingmingqiao-wuye' },
  render: (args) => element('consult-outcomes-board', { now: NOW, ...args }, { topics: [...everyState(), ...propertyRoomTopics()], config: config('wuxi') }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(topics(canvasElement)).toHaveLength(2));
    expect((root(canvasElement).getElementById('room') as HTMLSelectElement).selectedOptions[0]?.textContent).toBe('Qingmingqiao Community Property Room');
  },
};
