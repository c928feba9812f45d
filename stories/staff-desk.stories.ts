import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { config, localConfig, LoggedTopic, seedDatabase } from './support/programme.js';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { deskEndpoint, type DeskScenario } from './support/desk-server.js';

/**
 * The staff desk's sign-in and sync states: `<consult-workflow>` for a convener, with a token and
 * a city server — here a stand-in answering in the page (stories/support/desk-server.ts), since
 * Storybook has none; the reference server itself is driven in
 * packages/elements/test/staff-desk.test.ts. Each story's IndexedDB holds two Wuxi topics.
 */
type Loaded = { dbName: string };

/** Two Wuxi topics: one waiting for screening (the desk's action here), one in research. */
const seed = async ({ id }: { id: string }): Promise<Loaded> => {
  const dbName = `storybook-${id}-${Math.random().toString(36).slice(2)}`;
  const c = config('wuxi');
  const topics = [
    new LoggedTopic(c, 't-new', '2026-03-05T01:00:00.000Z').submit('楼道灯不亮的问题'),
    new LoggedTopic(c, 't-research', '2026-03-04T01:00:00.000Z').submit('小区健身器材老化').send({ type: 'screening.accept' }),
  ];
  await seedDatabase(dbName, 'wuxi', topics);
  return { dbName };
};

const render = (args: StoryArgs, { loaded }: { loaded: Partial<Loaded> }): HTMLElement => {
  const { scenario = 'sent', ...attrs } = args as StoryArgs & { scenario?: DeskScenario };
  return element(
    'consult-workflow',
    { 'db-name': loaded.dbName ?? 'storybook-desk', 'user-role': 'convener', endpoint: deskEndpoint(scenario), ...attrs },
    { config: localConfig('wuxi'), token: 'story-token' },
  );
};

const root = (canvas: HTMLElement) => shadowOf(canvas, 'consult-workflow');
const says = (canvas: HTMLElement, words: string) =>
  waitFor(() => expect(squash(root(canvas).textContent)).toContain(words), { timeout: 10_000 });

/** Opens the topic still in screening and accepts it, as a convener does. */
async function accept(canvas: HTMLElement): Promise<void> {
  await says(canvas, '楼道灯不亮的问题');
  const topic = [...root(canvas).querySelectorAll<HTMLButtonElement>('.topics button')].find((b) => b.textContent?.includes('楼道灯不亮的问题'))!;
  await userEvent.click(topic);
  let button: HTMLButtonElement | undefined;
  await waitFor(() => {
    const staff = root(canvas).querySelector('consult-staff-actions')?.shadowRoot;
    button = [...(staff?.querySelectorAll<HTMLButtonElement>('button') ?? [])].find((b) => squash(b.textContent) === '受理');
    expect(button).toBeTruthy();
  });
  await userEvent.click(button!);
}

const meta = {
  title: 'Components/Workflow 协商流程/Staff desk 工作台',
  id: 'components-workflow-staff-desk',
  component: 'consult-workflow',
  loaders: [seed],
  render,
  argTypes: {
    scenario: {
      control: 'select',
      options: ['checking', 'signed-out', 'role-not-held', 'refused-scope', 'refused-role', 'unreachable', 'sent'],
      description: 'Story only: what the stand-in server answers.',
    },
  },
  args: { scenario: 'sent' },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** While `GET /me` is asked: a short "checking your sign-in", no desk yet. */
export const Checking: Story = {
  name: 'Checking the sign-in',
  args: { scenario: 'checking' },
  play: async ({ canvasElement }) => {
    await says(canvasElement, '正在核对登录信息…');
    expect(root(canvasElement).querySelector('nav')).toBeNull();
  },
};

/** The token is not taken (401): signed out, the server's reason, sign in again; no desk. */
export const SignedOut: Story = {
  name: 'Signed out — sign in again',
  args: { scenario: 'signed-out' },
  play: async ({ canvasElement }) => {
    await says(canvasElement, '已退出登录，请重新登录');
    await says(canvasElement, 'The token is not valid (expired)');
    expect(root(canvasElement).querySelector('nav')).toBeNull();
  },
};

/** The same, in English. */
export const SignedOutEnglish: Story = {
  name: 'Signed out — English',
  args: { scenario: 'signed-out', lang: 'en' },
  play: async ({ canvasElement }) => says(canvasElement, 'Signed out — sign in again'),
};

/** A department's person on a convener's desk: told so, offered to sign in as someone else. */
export const RoleNotHeld: Story = {
  name: 'Signed in without the role',
  args: { scenario: 'role-not-held' },
  play: async ({ canvasElement }) => {
    await says(canvasElement, '您以 刘明 身份登录，但没有“召集人”角色。');
    expect(root(canvasElement).querySelector('consult-staff-actions')).toBeNull();
  },
};

/** Signed in: "以 张丽华（召集人）身份登录"; an action accepted, then "已发送". */
export const Sent: Story = {
  name: 'Signed in, an action sent',
  args: { scenario: 'sent' },
  play: async ({ canvasElement }) => {
    await says(canvasElement, '以 张丽华（召集人）身份登录');
    await accept(canvasElement);
    await says(canvasElement, '已发送。');
  },
};

/** The server cannot be reached: "saved on this device; sent when online". */
export const Unreachable: Story = {
  name: 'Server unreachable: saved on this device',
  args: { scenario: 'unreachable' },
  play: async ({ canvasElement }) => {
    await accept(canvasElement);
    await says(canvasElement, '已保存在本机，联网后会自动发送（1 项等待发送）。');
  },
};

/** Refused as out of scope: the reason in the person's words, with Retry and Discard. */
export const RefusedScope: Story = {
  name: 'Refused: outside the convener’s scope',
  args: { scenario: 'refused-scope' },
  play: async ({ canvasElement }) => {
    await accept(canvasElement);
    await says(canvasElement, '1 项未被服务器接受');
    await says(canvasElement, '您无权办理“街道”层级的议题。');
    expect(root(canvasElement).querySelectorAll('.refused-item [data-retry], .refused-item [data-discard]').length).toBe(2);
  },
};

/** Refused because the sign-in lacks the role, in English: our words first, the server's beneath. */
export const RefusedRoleEnglish: Story = {
  name: 'Refused: the role not held — English',
  args: { scenario: 'refused-role', lang: 'en' },
  play: async ({ canvasElement }) => {
    await says(canvasElement, 'Signed in as 张丽华 (Convener)');
    await says(canvasElement, '楼道灯不亮的问题');
    const topic = [...root(canvasElement).querySelectorAll<HTMLButtonElement>('.topics button')].find((b) => b.textContent?.includes('楼道灯不亮的问题'))!;
    await userEvent.click(topic);
    let button: HTMLButtonElement | undefined;
    await waitFor(() => {
      const staff = root(canvasElement).querySelector('consult-staff-actions')?.shadowRoot;
      button = [...(staff?.querySelectorAll<HTMLButtonElement>('button') ?? [])].find((b) => squash(b.textContent) === 'Accept the topic');
      expect(button).toBeTruthy();
    });
    await userEvent.click(button!);
    await says(canvasElement, 'Your sign-in does not hold the role Convener.');
    await says(canvasElement, 'Server’s words: The token does not hold the role convener.');
  },
};
