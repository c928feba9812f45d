import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { NOW, mergedLog, wuxiStages, type WuxiStage } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { realKeyboard } from './support/keyboard.js';

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
