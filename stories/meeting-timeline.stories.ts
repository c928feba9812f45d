import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { LoggedTopic, NOW, config, mergedLog, wuxiStages, type WuxiStage } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { deepActive, realKeyboard } from './support/keyboard.js';

const STAGES = Object.keys(wuxiStages()) as WuxiStage[];

/** The timeline of one Wuxi topic (`stage` picks which), from its own log, judged at `now`. */
const render = (args: StoryArgs): HTMLElement => {
  const { stage = 'handling', ...attrs } = args as StoryArgs & { stage?: WuxiStage };
  const topic = wuxiStages()[stage];
  return element('consult-meeting-timeline', { now: NOW, ...attrs }, { snapshot: topic.snapshot, entries: mergedLog([topic]) });
};

const root = (canvas: HTMLElement) => shadowOf(canvas, 'consult-meeting-timeline');
const currentLine = (canvas: HTMLElement) => squash(root(canvas).querySelector('[part=current]')?.textContent);
const currentKey = (canvas: HTMLElement) => root(canvas).querySelector('.stages > [aria-current=step]')?.getAttribute('data-stage');

const meta = {
  title: 'Components/Meeting timeline 议题进展',
  id: 'components-meeting-timeline',
  component: 'consult-meeting-timeline',
  render,
  argTypes: {
    stage: {
      control: 'select',
      options: STAGES,
      description: 'Story only: which Wuxi topic to show (built with the test builders, each at a stage of the lifecycle).',
    },
  },
  args: { stage: 'handling' },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

const at = (stage: WuxiStage, key: string, words: RegExp): Story => ({
  args: { stage },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(currentKey(canvasElement)).toBe(key));
    expect(currentLine(canvasElement)).toMatch(words);
  },
});

/** Just raised: waiting to be screened. */
export const Screening: Story = { ...at('screening', 'screening', /选题|筛选|Screening/), name: 'Screening 筛选' };
/** Not taken up: the reason is shown, and where to go instead. */
export const Rejected: Story = { name: 'Rejected 不予受理', args: { stage: 'rejected' }, play: async ({ canvasElement }) => {
  await waitFor(() => expect(squash(root(canvasElement).textContent)).toMatch(/人民调解/));
} };
/** Accepted, being researched (调查研究). */
export const Research: Story = { ...at('research', 'research', /调查研究|调研|Research/), name: 'Research 调研' };
/** Researched, the meeting being prepared. */
export const PreparingMeeting: Story = { ...at('planning', 'meeting', /协商|meeting/i), name: 'Preparing the meeting 协商准备' };
/** A courtyard meeting scheduled: format, time, place, conveners, participants by role. */
export const MeetingScheduled: Story = { ...at('scheduled', 'meeting', /协商|meeting/i), name: 'Meeting scheduled 已安排' };
/** In session, at the second agenda stage (协商建言). */
export const InSession: Story = { ...at('inSession', 'meeting', /协商建言|Deliberation/), name: 'In session 协商中' };
/** Two rounds: the first without consensus, the second agreed. */
export const SeveralRounds: Story = {
  name: 'Several rounds 多轮协商',
  args: { stage: 'rounds' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelectorAll('section.meeting').length).toBe(2));
    const titles = [...root(canvasElement).querySelectorAll('.meeting-title')].map((h) => squash(h.textContent));
    expect(titles[0]).toMatch(/未达成共识|No consensus/i);
  },
};
/** Handling: a measure in progress past its deadline is marked overdue (text and icon), one declined with its reason. */
export const HandlingOverdue: Story = {
  name: 'Handling, overdue 办理中（逾期）',
  args: { stage: 'handling' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelector('[part~=overdue]')).toBeTruthy());
    expect(squash(root(canvasElement).querySelector('[part~=overdue]')!.textContent)).toMatch(/逾期|overdue/i);
    expect(squash(root(canvasElement).textContent)).toMatch(/绿地是规划绿化用地/);
  },
};
/** Feedback published, residents rating (满意度评价). */
export const Evaluation: Story = { ...at('evaluation', 'evaluation', /满意度评价|rating/i), name: 'Evaluation 评价中' };
/** Closed after residents rated it; every finished stage opened with "show all" from the keyboard. */
export const ClosedExpanded: Story = {
  name: 'Closed, all stages opened 已办结',
  args: { stage: 'closed' },
  play: async ({ canvasElement }) => {
    const toggle = () => root(canvasElement).querySelector<HTMLButtonElement>('[part=toggle]')!;
    await waitFor(() => expect(toggle()).toBeTruthy());
    expect(toggle().getAttribute('aria-expanded')).toBe('false');
    toggle().focus();
    const keyboard = realKeyboard();
    if (keyboard) await keyboard.press('{Enter}');
    else await userEvent.click(toggle());
    await waitFor(() => expect(toggle().getAttribute('aria-expanded')).toBe('true'));
    expect(squash(root(canvasElement).textContent)).toMatch(/加装电梯业主小组/);
  },
};
/** In English. */
export const English: Story = { name: 'English', args: { stage: 'handling', lang: 'en' } };
/** Large text. */
export const LargeText: Story = { name: 'Large text', args: { stage: 'inSession', 'large-text': true } };

/** One Wuxi topic whose measure was reported on ~1,000 times: the handling records of the log. */
function thousandEntries(): LoggedTopic {
  const topic = new LoggedTopic(config('wuxi'), 't-thousand', '2026-03-02T01:00:00.000Z')
    .submit('3号楼加装电梯')
    .toMeeting()
    .meet([{ id: 'm-lift', text: '加装电梯并完成验收', party: 'housing-bureau', due: '2026-09-01' }])
    .adopt('m-lift');
  const dept = { role: 'department' as const, id: 'dept-1' };
  while (topic.entries.length < 1000) topic.send({ type: 'measure.progress', measureId: 'm-lift', note: `第 ${topic.entries.length - 9} 次施工进展` }, dept, 0.1);
  return topic;
}

/**
 * 1,000 log entries: handling's records scroll in a box of their own that renders only those on
 * screen, each with its place (aria-posinset of aria-setsize); ↓ moves record by record.
 */
export const ThousandEntries: Story = {
  name: '1,000 log entries 一千条记录',
  render: (args: StoryArgs) => {
    const topic = thousandEntries();
    return element('consult-meeting-timeline', { now: NOW, ...args }, { snapshot: topic.snapshot, entries: mergedLog([topic]) });
  },
  play: async ({ canvasElement }) => {
    const list = () => root(canvasElement).querySelector<HTMLElement>('[data-stage=handling] ol.items[data-window]');
    await waitFor(() => expect(list()).toBeTruthy(), { timeout: 8000 });
    const items = () => [...list()!.querySelectorAll('li.item')];
    expect(Number(items()[0]!.getAttribute('aria-setsize'))).toBeGreaterThan(980);
    expect(items().length).toBeLessThan(120);
    const keyboard = realKeyboard();
    if (!keyboard) return;
    list()!.focus();
    for (let n = 1; n <= 40; n += 1) {
      await keyboard.press('{ArrowDown}');
      await waitFor(() => expect(deepActive()?.getAttribute('aria-posinset')).toBe(String(n)));
    }
    await keyboard.press('{End}');
    await waitFor(() => expect(deepActive()?.getAttribute('aria-posinset')).toBe(items()[0]!.getAttribute('aria-setsize')));
  },
};
