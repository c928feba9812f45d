import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { stateName } from '@consult-kit/machine';
import type { ConsultStore } from '@consult-kit/store';
import { seededStore, wuxiStages } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { realKeyboard } from './support/keyboard.js';

/**
 * Every story: a real store (IndexedDB, local transport) seeded with the Wuxi topics of the story
 * builders, one at each stage; `topic` picks one, `user-role` picks who is looking.
 */
const meta = {
  title: 'Components/Staff actions 工作台',
  id: 'components-staff-actions',
  component: 'consult-staff-actions',
  loaders: [async ({ id }) => ({ store: await seededStore(`storybook-${id}`, 'wuxi', Object.values(wuxiStages())) })],
  render: (args: StoryArgs, { loaded }: { loaded: { store?: ConsultStore } }): HTMLElement => element('consult-staff-actions', args, { store: loaded.store }),
  args: { 'user-role': 'convener', 'user-id': 'convener-1' },
  argTypes: {
    topic: {
      control: 'select',
      options: ['t-new', 't-rejected', 't-research', 't-elder', 't-scheduled', 't-session', 't-gas', 't-parking', 't-waste', 't-lift'],
    },
  },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

const root = (canvas: HTMLElement) => shadowOf(canvas, 'consult-staff-actions');
const sections = (canvas: HTMLElement) =>
  [...root(canvas).querySelectorAll('section.action')].map((s) => s.getAttribute('aria-labelledby')!.replace(/-title$/, ''));
const byId = <T extends HTMLElement = HTMLElement>(canvas: HTMLElement, id: string) => root(canvas).getElementById(id) as T | null;

/** Presses a form's button: Enter with the keyboard, else a click. */
async function press(canvas: HTMLElement, id: string): Promise<void> {
  const button = byId<HTMLButtonElement>(canvas, id)!;
  button.focus();
  const keyboard = realKeyboard();
  if (keyboard) await keyboard.press('{Enter}');
  else await userEvent.click(button);
}

const offers = (...keys: string[]) => async ({ canvasElement }: { canvasElement: HTMLElement }) => {
  await waitFor(() => expect(sections(canvasElement)).toEqual(keys), { timeout: 8000 });
};

/** A convener screens a new topic: accept, reject, merge, redirect to a channel, escalate. */
export const Screening: Story = {
  name: 'Convener · screening 选题',
  args: { topic: 't-new' },
  play: offers('accept', 'reject', 'merge', 'redirect', 'escalate'),
};

/** The convener accepts the topic with the keyboard: it is saved, announced politely, and research is next. */
export const AcceptTopic: Story = {
  name: 'Convener · accept (play)',
  args: { topic: 't-new' },
  play: async ({ canvasElement, loaded }) => {
    const store = (loaded as { store: ConsultStore }).store;
    await waitFor(() => expect(byId(canvasElement, 'accept-submit')).toBeTruthy(), { timeout: 8000 });
    const actions: CustomEvent[] = [];
    canvasElement.addEventListener('consult-action', (e) => actions.push(e as CustomEvent));
    await press(canvasElement, 'accept-submit');
    await waitFor(() => expect(stateName(store.topics.get('t-new')!)).toBe('research'));
    expect(actions.map((a) => a.detail.type)).toEqual(['screening.accept']);
    await waitFor(() => expect(squash(root(canvasElement).querySelector('[role=status]')?.textContent)).toMatch(/受理|accepted/i));
    await waitFor(() => expect(sections(canvasElement)).toEqual(['research']));
  },
};

/** Rejecting without a reason: the error summary takes focus, links to the field, and nothing is sent. */
export const RejectWithoutReason: Story = {
  name: 'Convener · reject, error summary',
  args: { topic: 't-new' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(byId(canvasElement, 'reject-submit')).toBeTruthy(), { timeout: 8000 });
    await press(canvasElement, 'reject-submit');
    await waitFor(() => expect(root(canvasElement).activeElement?.id).toBe('reject-errors'));
    expect(byId(canvasElement, 'reject-reason')!.getAttribute('aria-invalid')).toBe('true');
  },
};

/** Research findings (调查研究). */
export const Research: Story = { name: 'Convener · research 调研', args: { topic: 't-research' }, play: offers('research') };

/** Scheduling the meeting: format, time, place, two conveners, participants by role. */
export const Schedule: Story = { name: 'Convener · schedule 安排协商', args: { topic: 't-elder' }, play: offers('schedule') };

/** A meeting in session: the agenda, and the next stage. */
export const InSession: Story = {
  name: 'Convener · in session 协商中',
  args: { topic: 't-session' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(byId(canvasElement, 'advance-submit')).toBeTruthy(), { timeout: 8000 });
  },
};

/** A department updates its measures: progress, result, adoption or decline with a reason. */
export const DepartmentHandling: Story = {
  name: 'Department · measures 办理',
  args: { topic: 't-parking', 'user-role': 'department', 'user-id': 'dept-1' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelector('[part~=measure]')).toBeTruthy(), { timeout: 8000 });
  },
};

/** The convener publishes feedback once measures are settled; here still in handling. */
export const ConvenerHandling: Story = { name: 'Convener · handling, feedback 反馈', args: { topic: 't-parking' } };

/** Residents rate in evaluation. */
export const ResidentRating: Story = {
  name: 'Resident · rating 评价',
  args: { topic: 't-waste', 'user-role': 'resident', 'user-id': 'resident-7' },
  play: offers('rating'),
};

/** The convener closes the evaluation, told what the average will do. */
export const CloseEvaluation: Story = { name: 'Convener · close evaluation 结束评价', args: { topic: 't-waste' } };

/** A closed topic: nothing left to do. */
export const Closed: Story = {
  name: 'Closed 已办结',
  args: { topic: 't-lift' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelector('[part~=nothing], [part~=done]')).toBeTruthy(), { timeout: 8000 });
    expect(sections(canvasElement)).toEqual([]);
  },
};

/** A resident looking at a topic in screening: nothing to do, said plainly. */
export const ResidentNothing: Story = {
  name: 'Resident · nothing to do',
  args: { topic: 't-new', 'user-role': 'resident', 'user-id': 'resident-7' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelector('[part~=nothing]')).toBeTruthy(), { timeout: 8000 });
  },
};

/** In English, large text. */
export const EnglishLarge: Story = { name: 'English, large text', args: { topic: 't-new', lang: 'en', 'large-text': true } };
