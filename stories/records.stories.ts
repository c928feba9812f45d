import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, waitFor } from 'storybook/test';
import '../packages/elements/src/records/consult-meeting-record.js';
import '../packages/elements/src/records/consult-topic-dossier.js';
import '../packages/elements/src/records/consult-room-report.js';
import { NOW, recordsData } from '../packages/elements/test/print-records/fixture.js';
import { config } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { realKeyboard } from './support/keyboard.js';

/**
 * The printable records (五个有 meeting record, topic dossier, room report), drawn from a log
 * built and replayed with the machine through the Wuxi example (residents' names withheld, as
 * the shareable log has them). Use the browser's print preview (or the Print button) to see
 * them on A4; the paper itself is checked in packages/elements/test/print-records.test.ts.
 */
const data = recordsData(config('wuxi'), { measures: 5, participants: 12 });
const topic = data.log.get(data.topicId);

const root = (canvas: HTMLElement, tag: string) => shadowOf(canvas, tag);

const meta = {
  title: 'Components/Printable records 打印记录',
  id: 'components-records',
  component: 'consult-meeting-record',
  render: (args: StoryArgs): HTMLElement => element('consult-meeting-record', args, { topic }),
  args: {},
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** One round's record with the five haves, participants by role, measures and signature lines. */
export const MeetingRecord: Story = {
  name: 'Meeting record 议事协商记录',
  play: async ({ canvasElement }) => {
    const r = () => root(canvasElement, 'consult-meeting-record');
    await waitFor(() => expect(squash(r().querySelector('h2')?.textContent)).toBe('议事协商记录（第1轮）'));
    const terms = [...r().querySelectorAll('.five-haves dt')].map((d) => squash(d.textContent));
    expect(terms.slice(0, 3)).toEqual(['时间', '地点', '主题']);
    expect(r().querySelectorAll('tbody tr')).toHaveLength(5);
    expect(squash(r().querySelector('.roles li[data-role=resident]')?.textContent)).toMatch(/^居民（\d+人）：居民/);
    expect(r().querySelectorAll('.signature')).toHaveLength(3);
  },
};

/** In English, the Print button reached and pressed by keyboard (printing stubbed in the story). */
export const MeetingRecordEnglish: Story = {
  name: 'Meeting record (English, Print by keyboard)',
  args: { lang: 'en' },
  play: async ({ canvasElement }) => {
    const host = canvasElement.querySelector('consult-meeting-record')!;
    const r = () => root(canvasElement, 'consult-meeting-record');
    await waitFor(() => expect(squash(r().querySelector('h2')?.textContent)).toBe('Consultation meeting record, round 1'));
    let printed = 0;
    (host as unknown as { print(): void }).print = () => {
      printed += 1;
    };
    const button = r().querySelector<HTMLButtonElement>('[part=print]')!;
    expect(squash(button.textContent)).toBe('Print');
    button.focus();
    const keyboard = realKeyboard();
    if (keyboard) await keyboard.press('{Enter}');
    else button.click();
    expect(printed).toBe(1);
  },
};

/** A topic with two rounds: the first without consensus. */
export const SecondRound: Story = {
  name: 'Meeting record, a chosen round',
  args: { round: 1 },
  render: (args) => element('consult-meeting-record', args, { topic: data.log.get(data.twoRounds) }),
  play: async ({ canvasElement }) => {
    const r = () => root(canvasElement, 'consult-meeting-record');
    await waitFor(() => expect(squash(r().querySelector('.outcome')?.textContent)).toContain('未达成共识'));
  },
};

/** The whole dossier of a closed topic. */
export const Dossier: Story = {
  name: 'Topic dossier 议题档案',
  render: (args) => element('consult-topic-dossier', args, { topic, entries: data.log.entries, now: NOW }),
  play: async ({ canvasElement }) => {
    const r = () => root(canvasElement, 'consult-topic-dossier');
    await waitFor(() => expect(squash(r().querySelector('h2')?.textContent)).toBe('清名桥小区停车难'));
    expect(r().querySelectorAll('article.meeting-record')).toHaveLength(1);
    const own = data.log.entries.filter((e) => e.topicId === data.topicId).length;
    expect(r().querySelectorAll('#timeline + table tbody tr')).toHaveLength(own);
  },
};

/** The dossier in English. */
export const DossierEnglish: Story = {
  name: 'Topic dossier (English)',
  args: { lang: 'en' },
  render: (args) => element('consult-topic-dossier', args, { topic, entries: data.log.entries, now: NOW }),
  play: async ({ canvasElement }) => {
    const r = () => root(canvasElement, 'consult-topic-dossier');
    await waitFor(() => expect(squash(r().querySelector('#evaluations')?.textContent)).toBe('Satisfaction ratings'));
  },
};

/** A room's report for 2026: grade, criteria, meetings, measures due, satisfaction. */
export const RoomReport: Story = {
  name: 'Room report 议事室工作报告',
  args: { period: '2026' },
  render: (args) => element('consult-room-report', args, { data: data.room, topics: [...data.log.topics.values()] }),
  play: async ({ canvasElement }) => {
    const r = () => root(canvasElement, 'consult-room-report');
    await waitFor(() => expect(squash(r().querySelector('h2')?.textContent)).toBe('清名桥社区协商议事室'));
    expect(squash(r().querySelector('#meetings')?.textContent)).toBe('召开会议（3次）');
  },
};

/** The room report in English. */
export const RoomReportEnglish: Story = {
  name: 'Room report (English)',
  args: { period: '2026', lang: 'en' },
  render: (args) => element('consult-room-report', args, { data: data.room, topics: [...data.log.topics.values()] }),
  play: async ({ canvasElement }) => {
    const r = () => root(canvasElement, 'consult-room-report');
    await waitFor(() => expect(squash(r().querySelector('#grade')?.textContent)).toBe('Star grade'));
  },
};
