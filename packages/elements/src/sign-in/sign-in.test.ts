/**
 * <consult-sign-in> in real Chromium, against a stand-in server `fetch` (no server runs in the
 * browser tests; the real server and the real OpenID provider are in
 * packages/embed/test/staff-sign-in.test.ts): what the server offers is what is shown; a token is
 * signed in only once `/me` answers; a refused token shows the server's reason and signs nobody
 * in; the token is kept for the tab and forgotten on sign-out; the host portal's token; an
 * unreachable server or provider shows a message and "Try again"; sign in again on request;
 * both languages; the keyboard path; axe.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import './consult-sign-in.js';
import type { ConsultSignIn } from './sign-in.component.js';
import type { ConsultSignedInEvent, ConsultSignedOutEvent } from './sign-in-events.js';
import { expectAccessible } from '../../test/a11y.js';

const TOKENS: Record<string, { id: string; name: string; roles: string[] }> = {
  'convener-token-0123456789': { id: 'c-01', name: '张丽华', roles: ['convener'] },
  'admin-token-0123456789ab': { id: 'a-01', name: '赵敏', roles: ['convener', 'admin'] },
};

interface StandIn {
  fetch: typeof globalThis.fetch;
  requests: string[];
  down: boolean;
}

/** The server's /identity and /me, as the reference server answers them. */
function standIn(identity: unknown = { tokens: true }): StandIn {
  const server: StandIn = {
    requests: [],
    down: false,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      // Anything not ours (the provider) goes to the network for real.
      if (url.origin !== location.origin) return globalThis.fetch(input, init);
      const auth = new Headers(init?.headers).get('authorization') ?? '';
      server.requests.push(`${url.pathname} ${auth}`);
      if (server.down) throw new TypeError('Failed to fetch');
      const json = (status: number, body: unknown, type = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
      if (url.pathname === '/api/identity') return json(200, identity);
      if (url.pathname === '/api/me') {
        const person = TOKENS[auth.replace(/^Bearer /, '')];
        if (!person) return json(401, { type: 'unauthenticated', title: 'Sign in again', status: 401, detail: 'The token is not valid (not a token of this server\'s token table); sign in again.' }, 'application/problem+json');
        return json(200, { ...person, source: 'token' });
      }
      return json(404, {});
    }) as typeof globalThis.fetch,
  };
  return server;
}

const root = (el: ConsultSignIn) => el.shadowRoot!;
const text = (el: ConsultSignIn) => (root(el).textContent ?? '').replace(/\s+/g, ' ').trim();

async function mount(server: StandIn, init: { lang?: string; token?: ConsultSignIn['token'] } = {}): Promise<ConsultSignIn> {
  const el = document.createElement('consult-sign-in');
  el.setAttribute('endpoint', '/api');
  if (init.lang) el.setAttribute('lang', init.lang);
  el.fetch = server.fetch;
  if (init.token !== undefined) el.token = init.token;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** Waits until the element's text includes `needle`. */
async function shows(el: ConsultSignIn, needle: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    await el.updateComplete;
    if (text(el).includes(needle)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never showed "${needle}"; shows: ${text(el)}`);
}

const input = (el: ConsultSignIn) => root(el).querySelector<HTMLInputElement>('#token')!;
const button = (el: ConsultSignIn, name: string) => [...root(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === name)!;

async function signInWith(el: ConsultSignIn, token: string): Promise<void> {
  await shows(el, '工作人员令牌');
  input(el).value = token;
  button(el, '登录').click();
}

afterEach(() => {
  document.body.replaceChildren();
  sessionStorage.clear();
});

describe('consult-sign-in', () => {
  it('with a token table only: a token field, no provider button', async () => {
    const el = await mount(standIn({ tokens: true }));
    await shows(el, '工作人员令牌');
    expect(root(el).querySelector('[part~="provider-button"]')).to.equal(null);
    expect(root(el).querySelector('label[for="token"]')!.textContent).to.equal('工作人员令牌');
    expect(input(el).type).to.equal('password');
    await expectAccessible(el);
  });

  it('with the city\'s provider: its button, saying where the person goes; no token field without a table', async () => {
    const el = await mount(standIn({ tokens: false, oidc: { issuer: 'https://id.example.gov.cn/realms/city', clientId: 'consult-kit-staff', scope: 'openid profile' } }));
    await shows(el, '用统一身份认证登录');
    expect(root(el).querySelector('#token')).to.equal(null);
    expect(text(el)).to.include('id.example.gov.cn');
    await expectAccessible(el);
  });

  it('both offered: the provider first, then "or" and the token field', async () => {
    const el = await mount(standIn({ tokens: true, oidc: { issuer: 'https://id.example.gov.cn', clientId: 'c', scope: 'openid' } }), { lang: 'en' });
    await shows(el, "Sign in with the city's account");
    expect(text(el)).to.match(/Sign in with the city's account.*or.*Staff token/);
    await expectAccessible(el);
  });

  it('"not-a-token" is refused with the server\'s reason: nobody signed in, nothing kept, focus back on the field', async () => {
    const server = standIn();
    const el = await mount(server);
    let signedIn = 0;
    el.addEventListener('consult-signed-in', () => (signedIn += 1));
    await signInWith(el, 'not-a-token');
    await shows(el, '令牌无效');
    expect(text(el)).to.include('not a token of this server');
    expect(root(el).querySelector('[role="alert"]')!.textContent).to.include('令牌无效');
    expect(signedIn).to.equal(0);
    expect(el.signedIn).to.equal(false);
    expect(el.me).to.equal(undefined);
    expect(await el.currentToken()).to.equal(undefined);
    expect(JSON.stringify({ ...sessionStorage })).not.to.include('not-a-token');
    expect(server.requests).to.include('/api/me Bearer not-a-token');
    await el.updateComplete;
    expect(root(el).activeElement).to.equal(input(el));
    await expectAccessible(el);
  });

  it('an empty field says what to do, without asking the server', async () => {
    const server = standIn();
    const el = await mount(server);
    await signInWith(el, '   ');
    await shows(el, '请输入工作人员令牌');
    expect(input(el).getAttribute('aria-invalid')).to.equal('true');
    expect(server.requests.filter((r) => r.startsWith('/api/me'))).to.deep.equal([]);
  });

  it('a good token: /me first, then consult-signed-in with who it is; kept for the tab; sign out forgets it', async () => {
    const server = standIn();
    const el = await mount(server);
    const events: ConsultSignedInEvent[] = [];
    el.addEventListener('consult-signed-in', (e) => events.push(e));
    await signInWith(el, 'convener-token-0123456789');
    await shows(el, '已登录：张丽华（召集人）');
    expect(events).to.have.length(1);
    expect(events[0]!.detail.me).to.deep.equal({ id: 'c-01', name: '张丽华', roles: ['convener'], source: 'token' });
    expect(events[0]!.detail.source).to.equal('token');
    expect(await events[0]!.detail.token()).to.equal('convener-token-0123456789');
    expect(el.hasAttribute('signed-in')).to.equal(true);

    // Another page of the same tab: signed in again from sessionStorage, after /me says so.
    const again = await mount(server);
    await shows(again, '已登录：张丽华');
    expect(server.requests.filter((r) => r === '/api/me Bearer convener-token-0123456789')).to.have.length(2);

    const outs: ConsultSignedOutEvent[] = [];
    again.addEventListener('consult-signed-out', (e) => outs.push(e));
    button(again, '退出登录').click();
    await shows(again, '您已退出登录');
    expect(outs.map((e) => e.detail.reason)).to.deep.equal(['user']);
    expect(await events[0]!.detail.token()).to.equal('convener-token-0123456789', 'the first element still holds its own session');
    expect(await again.currentToken()).to.equal(undefined);
    expect(JSON.stringify({ ...sessionStorage })).not.to.include('convener-token');
  });

  it('several roles are all named', async () => {
    const el = await mount(standIn(), { lang: 'en' });
    await shows(el, 'Staff token');
    input(el).value = 'admin-token-0123456789ab';
    button(el, 'Sign in').click();
    await shows(el, 'Signed in as 赵敏 (Convener, Administrator)');
    await expectAccessible(el);
  });

  it('the host portal\'s token (a function): checked with /me, signed in as from the host', async () => {
    const server = standIn();
    const events: ConsultSignedInEvent[] = [];
    document.addEventListener('consult-signed-in', (e) => events.push(e), { once: true });
    const el = await mount(server, { token: async () => 'admin-token-0123456789ab' });
    await shows(el, '已登录：赵敏');
    expect(events[0]!.detail.source).to.equal('host');
    expect(await events[0]!.detail.token()).to.equal('admin-token-0123456789ab');
    expect(JSON.stringify({ ...sessionStorage })).not.to.include('admin-token', 'the host keeps its own token');
  });

  it('a host token the server refuses shows why and signs nobody in', async () => {
    const el = await mount(standIn(), { token: 'expired-portal-token-000' });
    await shows(el, '令牌无效');
    expect(el.signedIn).to.equal(false);
  });

  it('the server unreachable: a message and "Try again", which works once it is back', async () => {
    const server = standIn();
    server.down = true;
    const el = await mount(server);
    await shows(el, '暂时无法连接服务器');
    expect(root(el).querySelector('[role="alert"]')).to.not.equal(null);
    server.down = false;
    button(el, '重试').click();
    await shows(el, '工作人员令牌');
    expect(text(el)).not.to.include('暂时无法连接服务器');
  });

  it('the provider unreachable: a clear message and "Try again"; the page stays', async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    const el = await mount(standIn({ tokens: false, oidc: { issuer: 'http://127.0.0.1:9', clientId: 'c', scope: 'openid' } }));
    await shows(el, '用统一身份认证登录');
    const here = location.href;
    button(el, '用统一身份认证登录').click();
    await shows(el, '暂时无法连接统一身份认证服务');
    expect(location.href).to.equal(here);
    expect(button(el, '重试')).to.not.equal(undefined);
    await expectAccessible(el);
  });

  it('a provider on plain http away from this machine is refused before anything is sent', async () => {
    const el = await mount(standIn({ tokens: false, oidc: { issuer: 'http://id.example.gov.cn', clientId: 'c', scope: 'openid' } }));
    await shows(el, '用统一身份认证登录');
    button(el, '用统一身份认证登录').click();
    await shows(el, '不是安全的（https）地址');
  });

  it('requireSignIn (the server answered 401 to an action): signed out, says why, focus on the sign-in', async () => {
    const el = await mount(standIn());
    await signInWith(el, 'convener-token-0123456789');
    await shows(el, '已登录');
    const outs: string[] = [];
    el.addEventListener('consult-signed-out', (e) => outs.push(e.detail.reason));
    el.requireSignIn('the token has expired');
    await shows(el, '您已退出登录（the token has expired），请重新登录；尚未发送的操作不会丢失。');
    expect(outs).to.deep.equal(['required']);
    expect(await el.currentToken()).to.equal(undefined);
    await el.updateComplete;
    expect(root(el).activeElement).to.equal(input(el));
  });

  it('the keyboard path: Tab to the field, type, Enter; Tab to "Sign out", Enter', async () => {
    const el = await mount(standIn());
    await shows(el, '工作人员令牌');
    input(el).focus();
    await sendKeys({ type: 'convener-token-0123456789' });
    await sendKeys({ press: 'Enter' });
    await shows(el, '已登录');
    await el.updateComplete;
    // Focus went to the "signed in as" line, so the next Tab reaches "Sign out".
    expect(root(el).activeElement?.classList.contains('who')).to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement?.textContent?.trim()).to.equal('退出登录');
    await sendKeys({ press: 'Enter' });
    await shows(el, '您已退出登录');
    await el.updateComplete;
    expect(root(el).activeElement).to.equal(input(el));
  });

  it('switches language with the page', async () => {
    const el = await mount(standIn());
    await shows(el, '工作人员登录');
    document.documentElement.lang = 'en';
    try {
      await shows(el, 'Staff sign-in');
      expect(text(el)).to.include('Staff token');
    } finally {
      document.documentElement.lang = '';
    }
  });
});
