import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { whoAmI } from '@consult-kit/store';
import { ConsultElement } from '../base/consult-element.js';
import { safeUrl } from '../base/safe-url.js';
import { corePart, signInPart, timelinePart } from '../i18n/parts.js';
import { formControlStyles } from '../styles/form-controls.js';
import { hostStyles } from '../styles/tokens.js';
import { beginSignIn, completeSignIn, isAuthorizationResponse, issuerUrl, SignInFlowError, type OidcOffer, type PendingSignIn } from './oidc.js';
import { keepPending, keepSession, keptSession, pendingSignIn, type KeptSession } from './session.js';
import {
  ConsultSignedInEvent,
  ConsultSignedOutEvent,
  type ConsultSignedOutDetail,
  type SignedInPerson,
  type SignInSource,
  type TokenSource,
} from './sign-in-events.js';
import { signInStyles } from './sign-in.styles.js';

/** What `GET {endpoint}/identity` says: the token table (demo) and/or the city's provider. */
export interface IdentityOffer {
  tokens: boolean;
  oidc?: OidcOffer;
}

type Phase = 'loading' | 'choose' | 'checking' | 'redirecting' | 'completing' | 'signed-in' | 'unavailable';

interface Notice {
  text: string;
  tone: 'error' | 'info';
  /** Offered as a "Try again" button beside the text. */
  retry?: () => void;
}

/** Parameters of the provider's answer, taken off the page's URL once handled. */
const ANSWER_PARAMS = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri', 'session_state'];

/** Longest reason from a server or provider shown to people. */
const MAX_REASON = 300;

const clip = (text: string): string => (text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}…` : text);

function parseOffer(value: unknown): IdentityOffer | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const raw = value as { tokens?: unknown; oidc?: unknown };
  const o = raw.oidc as Partial<Record<keyof OidcOffer, unknown>> | undefined;
  const oidc =
    o && typeof o.issuer === 'string' && typeof o.clientId === 'string'
      ? { issuer: o.issuer, clientId: o.clientId, scope: typeof o.scope === 'string' && o.scope ? o.scope : 'openid', ...(typeof o.resource === 'string' ? { resource: o.resource } : {}) }
      : undefined;
  return { tokens: raw.tokens === true, ...(oidc ? { oidc } : {}) };
}

/**
 * @tag consult-sign-in
 * @summary Staff sign-in (工作人员登录): through the city's OpenID Connect provider
 * (统一身份认证, Authorization Code + PKCE), with a token (the demo token table), or with a token
 * the host portal already has. Whichever way, the token is checked with the server
 * (`GET {endpoint}/me`) before the element says "signed in"; a token the server refuses shows
 * the server's reason and never a desk.
 *
 * The element reads `GET {endpoint}/identity` (`{ tokens, oidc?: { issuer, clientId, scope } }`)
 * and offers what the server accepts: a "用统一身份认证登录 / Sign in with the city's account"
 * button, which sends the browser to the provider and back to this page (the redirect URI is this
 * page's URL without its query: register it with the provider), and/or a token field. The token
 * is kept in sessionStorage for the tab, with its expiry; when it expires, or the page calls
 * `requireSignIn()` (e.g. on `consult-sign-in-required`), the element signs out and offers to
 * sign in again. Actions not yet sent stay in the workflow's outbox meanwhile.
 *
 * A portal that runs its own login sets the `token` property (a string, or a function that
 * returns the current token) and gets the same check and the same `consult-signed-in` event.
 *
 * Errors never throw into the host page: an unreachable server or provider shows a message with
 * "Try again"; anything unexpected also fires `consult-error`.
 *
 * @attr endpoint - Base URL of the city's backend, e.g. `/api` (default `/api`).
 * @attr lang - `zh-CN` (default, or the nearest ancestor's `lang`) or `en`.
 * @attr large-text - Larger text for older residents.
 * @attr signed-in - Reflected: present while someone is signed in (for the portal's CSS).
 *
 * @event consult-signed-in - The server accepted the token. `detail`: `{ token, me, source, expiresAt? }`;
 * `token()` returns the current token (or `undefined` once it has expired): hand it to
 * `<consult-workflow>`'s `token` property; `me` is `GET /me`'s answer (`id`, `name`, `roles`, `scopes`).
 * @event consult-signed-out - The sign-in ended. `detail`: `{ reason: 'user' | 'expired' | 'required' }`.
 * @event consult-error - Something unexpected failed. `detail`: `{ code, message, error }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart heading - The title.
 * @csspart provider-button - The "Sign in with the city's account" button.
 * @csspart token-form - The token field and its button.
 * @csspart notice - A problem or a notice (refused token, signed out, unreachable), with "Try again".
 * @csspart status - The live line: "Checking…", "Signed in as {name} ({roles})".
 * @csspart sign-out - The sign-out button.
 *
 * @cssproperty --input-max-width - Widest the token field gets.
 * @cssproperty --notice-color - Colour of the bar beside a problem (default the error colour).
 */
export class ConsultSignIn extends ConsultElement {
  static override styles = [hostStyles, formControlStyles, signInStyles];
  static override catalogues = [corePart, signInPart, timelinePart];

  static override properties = {
    ...ConsultElement.properties,
    endpoint: {},
    token: { attribute: false },
    fetch: { attribute: false },
    largeText: { type: Boolean, reflect: true, attribute: 'large-text' },
    signedIn: { type: Boolean, reflect: true, attribute: 'signed-in' },
    phase: { state: true, attribute: false },
    offer: { state: true, attribute: false },
    notice: { state: true, attribute: false },
    person: { state: true, attribute: false },
    tokenError: { state: true, attribute: false },
  };

  /** Base URL of the city's backend (default `/api`). */
  declare endpoint: string | undefined;
  /**
   * A token the host portal already has (its own login): a string, or a function returning the
   * current one (sync or async). Checked with `GET {endpoint}/me` like any other.
   */
  declare token: string | TokenSource | undefined;
  /** The `fetch` to reach the server and the provider with (default the page's). */
  declare fetch: typeof globalThis.fetch | undefined;
  /** Larger text for older residents. */
  declare largeText: boolean;
  /** Someone is signed in (reflected as `signed-in`; read-only in practice: the element sets it). */
  declare signedIn: boolean;
  declare private phase: Phase;
  declare private offer: IdentityOffer | undefined;
  declare private notice: Notice | undefined;
  declare private person: SignedInPerson | undefined;
  declare private tokenError: string;

  /** The signed-in session: the token and where it came from. */
  private session: { token: string | TokenSource; source: SignInSource; expiresAt?: number } | undefined;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private started: string | undefined;
  private hostChecked: unknown;
  /** Move focus to the first control after the next render (the person must act). */
  private focusNext: 'control' | 'who' | 'token' | undefined;
  /** The person submitted a token here: focus follows to the "signed in as" line. */
  private personActed = false;

  constructor() {
    super();
    this.endpoint = undefined;
    this.token = undefined;
    this.fetch = undefined;
    this.largeText = false;
    this.signedIn = false;
    this.phase = 'loading';
    this.offer = undefined;
    this.notice = undefined;
    this.person = undefined;
    this.tokenError = '';
  }

  /** Who the server says is signed in (`GET /me`), or `undefined`. */
  get me(): SignedInPerson | undefined {
    return this.person;
  }

  /** The current token, or `undefined` when nobody is signed in or the token has expired. */
  readonly currentToken: TokenSource = () => {
    const session = this.session;
    if (!session || (session.expiresAt !== undefined && session.expiresAt <= Date.now())) return undefined;
    return typeof session.token === 'function' ? session.token() : session.token;
  };

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.expiryTimer);
    this.started = undefined;
  }

  /** The backend's base URL, resolved against the page (no trailing slash). */
  private get base(): string | undefined {
    const safe = safeUrl(this.endpoint ?? '/api');
    if (safe === undefined) return undefined;
    try {
      return new URL(safe, document.baseURI).href.replace(/\/+$/, '');
    } catch {
      return undefined;
    }
  }

  private get request(): typeof globalThis.fetch {
    return this.fetch ?? globalThis.fetch.bind(globalThis);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const base = this.base;
    if (base !== this.started) {
      this.started = base;
      void this.guard('start-failed', () => this.start());
    } else if (changed.has('token') && this.token !== undefined && this.token !== this.hostChecked && this.phase !== 'loading') {
      void this.guard('check-failed', () => this.checkHost());
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const target = this.focusNext;
    if (!target) return;
    this.focusNext = undefined;
    const root = this.renderRoot as ShadowRoot;
    const selector = target === 'who' ? '.who' : target === 'token' ? '#token' : '[data-first]';
    (root.querySelector<HTMLElement>(selector) ?? root.querySelector<HTMLElement>('button, input'))?.focus();
  }

  /** Runs a step; an unexpected error shows a readable notice and fires `consult-error`. */
  private async guard(code: string, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.report(code, error);
      this.phase = 'unavailable';
      this.notice = { text: this.t('common.error', { message: error instanceof Error ? error.message : String(error) }), tone: 'error', retry: () => this.restart() };
    }
  }

  private restart(): void {
    this.notice = undefined;
    void this.guard('start-failed', () => this.start());
  }

  /** On load: the host's token, the provider's answer on this URL, a token kept for the tab, or the choice. */
  private async start(): Promise<void> {
    const base = this.base;
    this.phase = 'loading';
    if (base === undefined) {
      this.phase = 'unavailable';
      this.notice = { text: this.t('signIn.serverUnreachable'), tone: 'error' };
      this.report('endpoint-invalid', new Error(`endpoint "${this.endpoint ?? ''}" is not an http(s) URL`));
      return;
    }
    if (this.token !== undefined) return this.checkHost();
    const here = new URL(window.location.href);
    if (isAuthorizationResponse(here)) {
      const pending = pendingSignIn();
      if (pending && pending.state === here.searchParams.get('state') && pending.endpoint === base) return this.complete(pending, here);
      this.cleanUrl(undefined);
      this.notice = { text: this.t('signIn.stale'), tone: 'error' };
      return this.choose();
    }
    const kept = keptSession(base);
    if (kept && (kept.expiresAt === undefined || kept.expiresAt > Date.now())) return this.check(kept.token, kept.source, kept.expiresAt);
    if (kept) keepSession(base, undefined);
    return this.choose();
  }

  /** Reads what the server offers and shows it. */
  private async choose(): Promise<void> {
    if (this.offer) {
      this.phase = 'choose';
      return;
    }
    this.phase = 'loading';
    let response: Response;
    try {
      response = await this.request(`${this.base}/identity`, { headers: { Accept: 'application/json' } });
    } catch {
      this.unavailable(this.t('signIn.serverUnreachable'), () => void this.guard('start-failed', () => this.choose()));
      return;
    }
    // A server without the identity route (older than issue 16) takes tokens only.
    if (response.status === 404) this.offer = { tokens: true };
    else if (response.ok) this.offer = parseOffer(await response.json().catch(() => undefined)) ?? { tokens: false };
    else {
      this.unavailable(this.t('signIn.serverError', { status: response.status }), () => void this.guard('start-failed', () => this.choose()));
      return;
    }
    this.phase = 'choose';
  }

  private unavailable(text: string, retry: () => void): void {
    this.phase = 'unavailable';
    this.notice = { text, tone: 'error', retry };
    this.focusNext = 'control';
  }

  /** Checks the host portal's token. */
  private async checkHost(): Promise<void> {
    const given = this.token;
    this.hostChecked = given;
    if (given === undefined) return this.choose();
    const value = typeof given === 'function' ? await given() : given;
    if (!value) return this.choose();
    return this.check(given, 'host');
  }

  /**
   * Asks the server who the token stands for; signed in only when it answers. A refusal shows
   * the server's reason and forgets the token; an unreachable server keeps it and offers to retry.
   */
  private async check(token: string | TokenSource, source: SignInSource, expiresAt?: number): Promise<void> {
    const base = this.base;
    this.phase = 'checking';
    const value = typeof token === 'function' ? await token() : token;
    const result = await whoAmI({ endpoint: base!, ...(value ? { token: value } : {}), fetch: this.request });
    const retry = () => void this.guard('check-failed', () => this.check(token, source, expiresAt));
    if (!result.ok && (result.reason === 'unauthenticated' || result.status === 403)) {
      const reason = result.detail ? clip(result.detail) : '';
      if (source !== 'host') keepSession(base!, undefined);
      this.notice = { text: reason ? this.t('signIn.refused', { reason }) : this.t('signIn.refusedNoReason'), tone: 'error' };
      this.focusNext = source === 'token' ? 'token' : 'control';
      return this.choose();
    }
    if (!result.ok) {
      this.unavailable(result.reason === 'offline' ? this.t('signIn.serverUnreachable') : this.t('signIn.serverError', { status: result.status ?? 0 }), retry);
      return;
    }
    const me = result.identity;
    if (me.roles.length === 0) {
      if (source !== 'host') keepSession(base!, undefined);
      this.notice = { text: this.t('signIn.noRole', { name: me.name ?? me.id }), tone: 'error' };
      return this.choose();
    }
    this.signIn(token, source, me, expiresAt);
  }

  private signIn(token: string | TokenSource, source: SignInSource, me: SignedInPerson, expiresAt: number | undefined): void {
    const base = this.base!;
    if (source !== 'host' && typeof token === 'string') keepSession(base, { token, source, ...(expiresAt === undefined ? {} : { expiresAt }) } satisfies KeptSession);
    this.session = { token, source, ...(expiresAt === undefined ? {} : { expiresAt }) };
    this.person = me;
    this.notice = undefined;
    this.tokenError = '';
    this.phase = 'signed-in';
    this.signedIn = true;
    if (this.personActed) this.focusNext = 'who';
    this.personActed = false;
    clearTimeout(this.expiryTimer);
    if (expiresAt !== undefined) {
      // setTimeout holds at most 2^31-1 ms (≈ 24.8 days); a longer-lived token is checked again then.
      const wait = Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1);
      this.expiryTimer = setTimeout(() => {
        if (this.session && this.session.expiresAt !== undefined && this.session.expiresAt <= Date.now()) this.end('expired');
      }, wait);
    }
    this.emit(new ConsultSignedInEvent({ token: this.currentToken, me, source, ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt).toISOString() }) }));
  }

  /** Ends the sign-in: forgets the token and offers to sign in again. */
  private end(reason: ConsultSignedOutDetail['reason'], serverReason?: string): void {
    const base = this.base;
    const was = this.session;
    clearTimeout(this.expiryTimer);
    if (base !== undefined) keepSession(base, undefined);
    if (was?.source === 'host') {
      // The portal's token: not asked again until the portal sets a new one.
      this.hostChecked = this.token;
    }
    this.session = undefined;
    this.person = undefined;
    this.signedIn = false;
    const text =
      reason === 'user'
        ? this.t('signIn.signedOut')
        : reason === 'expired'
          ? this.t('signIn.expired')
          : serverReason
            ? this.t('signIn.againReason', { reason: clip(serverReason) })
            : this.t('signIn.again');
    this.notice = { text, tone: reason === 'user' ? 'info' : 'error' };
    this.focusNext = 'control';
    if (was) this.emit(new ConsultSignedOutEvent({ reason }));
    void this.guard('start-failed', () => this.choose());
  }

  /** Signs out: forgets the token for this tab and offers to sign in again. */
  signOut(): void {
    this.end('user');
  }

  /**
   * Asks the person to sign in again (call it on `consult-sign-in-required`, when the server
   * answered 401 to an action): forgets the token, says why, and moves focus to the sign-in.
   * Actions not yet sent stay in the workflow's outbox and go when the person is back.
   */
  requireSignIn(reason?: string): void {
    this.end('required', reason);
  }

  private emit(event: Event): void {
    try {
      this.dispatchEvent(event);
    } catch {
      /* a listener threw: it is the host's, not ours to rethrow */
    }
  }

  /** The provider's button: discovery, PKCE, then the browser goes to the provider. */
  private async redirect(): Promise<void> {
    const offer = this.offer?.oidc;
    const base = this.base;
    if (!offer || base === undefined) return;
    this.notice = undefined;
    this.phase = 'redirecting';
    const here = new URL(window.location.href);
    try {
      const url = await beginSignIn(offer, { redirectUri: `${here.origin}${here.pathname}`, returnTo: here.href, endpoint: base }, keepPending, this.fetch);
      window.location.assign(url.href);
    } catch (error) {
      this.flowFailed(error, () => void this.guard('sign-in-failed', () => this.redirect()));
    }
  }

  /** Back from the provider: the code exchange, then the check with the server. */
  private async complete(pending: PendingSignIn, here: URL): Promise<void> {
    this.phase = 'completing';
    let result: { token: string; expiresAt?: number };
    try {
      result = await completeSignIn(pending, here, this.fetch);
    } catch (error) {
      if (error instanceof SignInFlowError && error.kind === 'unreachable') {
        // The code is still on the URL and the verifier kept: trying again can still succeed.
        this.unavailable(this.t('signIn.providerUnreachable'), () => void this.guard('sign-in-failed', () => this.complete(pending, here)));
        return;
      }
      keepPending(undefined);
      this.cleanUrl(pending);
      this.flowFailed(error, undefined);
      return;
    }
    keepPending(undefined);
    this.cleanUrl(pending);
    // Kept before the check, so a reload while the server is unreachable does not lose it.
    keepSession(pending.endpoint, { token: result.token, source: 'oidc', ...(result.expiresAt === undefined ? {} : { expiresAt: result.expiresAt }) });
    return this.check(result.token, 'oidc', result.expiresAt);
  }

  /** Takes the provider's answer off the address bar: back to the page's URL from before. */
  private cleanUrl(pending: PendingSignIn | undefined): void {
    try {
      const here = new URL(window.location.href);
      let target: URL | undefined;
      if (pending) {
        const back = new URL(pending.returnTo, here);
        if (back.origin === here.origin) target = back;
      }
      if (!target) {
        target = new URL(here.href);
        for (const p of ANSWER_PARAMS) target.searchParams.delete(p);
      }
      window.history.replaceState(window.history.state, '', target.href);
    } catch {
      /* the address bar keeps the parameters: harmless, they are used once */
    }
  }

  private flowFailed(error: unknown, retry: (() => void) | undefined): void {
    const flow = error instanceof SignInFlowError ? error : undefined;
    if (!flow) this.report('sign-in-failed', error);
    const reason = clip(flow?.reason ?? (error instanceof Error ? error.message : String(error)));
    const text =
      flow?.kind === 'unreachable'
        ? this.t('signIn.providerUnreachable')
        : flow?.kind === 'cancelled'
          ? this.t('signIn.providerCancelled')
          : flow?.kind === 'refused'
            ? this.t('signIn.providerRefused', { reason })
            : flow?.kind === 'insecure'
              ? this.t('signIn.providerInsecure')
              : flow?.kind === 'stale'
                ? this.t('signIn.stale')
                : this.t('signIn.providerInvalid', { reason });
    if (flow?.kind === 'unreachable' && retry) {
      this.unavailable(text, retry);
      return;
    }
    this.notice = { text, tone: flow?.kind === 'cancelled' ? 'info' : 'error' };
    this.focusNext = 'control';
    void this.guard('start-failed', () => this.choose());
  }

  private onTokenSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('token') as HTMLInputElement | null;
    const value = input?.value.trim() ?? '';
    if (!value) {
      this.tokenError = this.t('signIn.tokenEmpty');
      this.focusNext = 'token';
      return;
    }
    this.tokenError = '';
    this.notice = undefined;
    this.personActed = true;
    void this.guard('check-failed', () => this.check(value, 'token'));
  }

  private roleName(role: string): string {
    const key = `timeline.role.${role}`;
    return this.hasMessage(key) ? this.t(key) : role;
  }

  private renderNotice(): TemplateResult | typeof nothing {
    const notice = this.notice;
    if (!notice) return nothing;
    return html`<div class="notice ${notice.tone === 'info' ? 'notice--info' : ''}" part="notice" role=${notice.tone === 'error' ? 'alert' : 'status'}>
      <p>${notice.text}</p>
      ${notice.retry
        ? html`<button type="button" class="button button--secondary" data-first @click=${() => {
            const retry = notice.retry!;
            this.notice = undefined;
            retry();
          }}>${this.t('signIn.retry')}</button>`
        : nothing}
    </div>`;
  }

  private renderChoice(): TemplateResult {
    const offer = this.offer ?? { tokens: false };
    const oidc = offer.oidc;
    let host = '';
    if (oidc) {
      try {
        host = issuerUrl(oidc.issuer).host;
      } catch {
        host = '';
      }
    }
    return html`${oidc
        ? html`<div class="provider">
            <button type="button" class="button button--primary" part="provider-button" data-first aria-describedby="provider-hint" @click=${() => void this.guard('sign-in-failed', () => this.redirect())}>
              ${this.t('signIn.provider')}
            </button>
            <p class="hint" id="provider-hint">${this.t('signIn.providerHint', { host })}</p>
          </div>`
        : nothing}
      ${oidc && offer.tokens ? html`<p class="or">${this.t('signIn.or')}</p>` : nothing}
      ${offer.tokens
        ? html`<form class="token-form" part="token-form" novalidate @submit=${(e: SubmitEvent) => this.onTokenSubmit(e)}>
            <div class="field ${this.tokenError ? 'field--error' : ''}">
              <label class="label" for="token">${this.t('signIn.tokenLabel')}</label>
              <p class="hint" id="token-hint">${this.t('signIn.tokenHint')}</p>
              ${this.tokenError ? html`<p class="error-message" id="token-error">${this.tokenError}</p>` : nothing}
              <input
                class="input"
                id="token"
                name="token"
                type="password"
                autocomplete="off"
                spellcheck="false"
                ?data-first=${!oidc}
                aria-describedby=${this.tokenError ? 'token-hint token-error' : 'token-hint'}
                aria-invalid=${this.tokenError ? 'true' : 'false'}
              />
            </div>
            <button type="submit" class="button ${oidc ? 'button--secondary' : 'button--primary'}">${this.t('signIn.tokenSubmit')}</button>
          </form>`
        : nothing}
      ${!oidc && !offer.tokens ? html`<p>${this.t('signIn.none')}</p>` : nothing}`;
  }

  private statusText(): string {
    switch (this.phase) {
      case 'loading':
        return this.t('signIn.loading');
      case 'checking':
        return this.t('signIn.checking');
      case 'redirecting':
        return this.t('signIn.redirecting');
      case 'completing':
        return this.t('signIn.completing');
      default:
        return '';
    }
  }

  protected override render() {
    const me = this.phase === 'signed-in' ? this.person : undefined;
    const roles = me ? me.roles.map((r) => this.roleName(r)).join(this.t('signIn.rolesSeparator')) : '';
    const text = me ? this.t('signIn.signedIn', { name: me.name ?? me.id, roles }) : this.statusText();
    // One live region for every state, so "checking…" and "signed in as…" are both announced.
    return html`<section class="base" part="base" aria-labelledby="title">
      <div class="head">
        <h2 class="heading" id="title" part="heading">${this.t('signIn.title')}</h2>
        <p class="status ${text ? '' : 'visually-hidden'} ${me ? 'who' : ''}" part="status" role="status" tabindex="-1">${text}</p>
      </div>
      ${me ? html`<p class="actions"><button type="button" class="button button--secondary" part="sign-out" @click=${() => this.signOut()}>${this.t('signIn.signOut')}</button></p>` : nothing}
      ${this.renderNotice()}
      ${this.phase === 'choose' ? this.renderChoice() : nothing}
    </section>`;
  }
}
