import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { element, shadowOf, squash, type StoryArgs } from './support/render.js';
import { deepActive, realKeyboard, tabTo } from './support/keyboard.js';

const root = (canvas: HTMLElement) => shadowOf(canvas, 'consult-sign-in');
const shown = (canvas: HTMLElement) => squash(root(canvas).textContent);

const PROVIDER = { issuer: 'https://id.example.gov.cn/realms/city', clientId: 'consult-kit-staff', scope: 'openid profile' };
const PERSON = { id: 'c-01', name: '张丽华', roles: ['convener'], source: 'token' };

/**
 * A stand-in for the city server's `/identity` and `/me` (Storybook runs no server; the real
 * server and provider are in packages/embed/test/staff-sign-in.test.ts): `demo-convener-token`
 * is taken, anything else is refused with the server's problem+json.
 */
function server(identity: unknown, options: { down?: boolean } = {}): typeof fetch {
  return async (input, init) => {
    if (options.down) throw new TypeError('Failed to fetch');
    const path = new URL(String(input), location.href).pathname;
    const auth = new Headers(init?.headers).get('authorization');
    const json = (status: number, body: unknown, type = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
    if (path.endsWith('/identity')) return json(200, identity);
    if (path.endsWith('/me')) {
      return auth === 'Bearer demo-convener-token'
        ? json(200, PERSON)
        : json(401, { type: 'unauthenticated', status: 401, title: 'Sign in again', detail: "The token is not valid (not a token of this server's token table); sign in again." }, 'application/problem+json');
    }
    return json(404, {});
  };
}

const meta = {
  title: 'Components/Sign-in 工作人员登录',
  id: 'components-sign-in',
  component: 'consult-sign-in',
  render: (args: StoryArgs): HTMLElement => element('consult-sign-in', { endpoint: '/api', ...args }, { fetch: server({ tokens: true, oidc: PROVIDER }) }),
  args: {},
  beforeEach: () => {
    sessionStorage.clear();
  },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** The server offers the city's provider and a token table: the provider first, then the token field. */
export const ProviderAndToken: Story = {
  name: 'Provider and token',
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(shown(canvasElement)).toContain('用统一身份认证登录'));
    expect(shown(canvasElement)).toContain('id.example.gov.cn');
    expect(root(canvasElement).querySelector('#token')).toBeTruthy();
  },
};

/** Only the city's provider (a city's production set-up): no token field. */
export const ProviderOnly: Story = {
  name: 'Provider only',
  render: (args) => element('consult-sign-in', { endpoint: '/api', ...args }, { fetch: server({ tokens: false, oidc: PROVIDER }) }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(shown(canvasElement)).toContain('用统一身份认证登录'));
    expect(root(canvasElement).querySelector('#token')).toBeNull();
  },
};

/** `not-a-token`: the server's reason, no one signed in, focus back on the field. */
export const Refused: Story = {
  render: (args) => element('consult-sign-in', { endpoint: '/api', ...args }, { fetch: server({ tokens: true }) }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelector('#token')).toBeTruthy());
    const field = root(canvasElement).querySelector<HTMLInputElement>('#token')!;
    await userEvent.type(field, 'not-a-token{Enter}');
    await waitFor(() => expect(shown(canvasElement)).toContain('令牌无效'));
    expect(shown(canvasElement)).toContain("not a token of this server's token table");
    expect(canvasElement.querySelector('consult-sign-in')!.hasAttribute('signed-in')).toBe(false);
  },
};

/** Signed in with a token, by keyboard where there is one: "signed in as", then sign out. */
export const SignedIn: Story = {
  name: 'Signed in (keyboard)',
  render: (args) => element('consult-sign-in', { endpoint: '/api', ...args }, { fetch: server({ tokens: true }) }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(root(canvasElement).querySelector('#token')).toBeTruthy());
    const field = root(canvasElement).querySelector<HTMLInputElement>('#token')!;
    const keyboard = realKeyboard();
    if (keyboard) {
      await tabTo(keyboard, field);
      await keyboard.type('demo-convener-token');
      await keyboard.press('{Enter}');
    } else {
      await userEvent.type(field, 'demo-convener-token{Enter}');
    }
    await waitFor(() => expect(shown(canvasElement)).toContain('已登录：张丽华（召集人）'));
    const signOut = [...root(canvasElement).querySelectorAll('button')].find((b) => squash(b.textContent) === '退出登录')!;
    if (keyboard) {
      await keyboard.tab();
      expect(deepActive()).toBe(signOut);
    }
  },
};

/** The server cannot be reached: a message and "Try again". */
export const Unreachable: Story = {
  render: (args) => element('consult-sign-in', { endpoint: '/api', ...args }, { fetch: server({ tokens: true }, { down: true }) }),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(shown(canvasElement)).toContain('暂时无法连接服务器'));
    expect(shown(canvasElement)).toContain('重试');
  },
};

/** In English, large text. */
export const EnglishLarge: Story = {
  name: 'English, large text',
  args: { lang: 'en', 'large-text': true },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(shown(canvasElement)).toContain("Sign in with the city's account"));
  },
};
