/**
 * "Tell me about progress / 有进展时通知我" on each of "my topics" (issue 17): a resident opts in
 * to notices about that one topic by e-mail or text message, through the follow code the store
 * keeps for it (`store.optInNotices`), sees where notices go (the address masked by the server)
 * and stops them with one button. What they typed is kept until the server accepts it; errors
 * are inline, linked to the field, and take focus (the GOV.UK pattern the add form uses).
 *
 * The state lives in a controller of the host; `renderNotices` receives one topic's slice and
 * the callbacks, not the host.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ConsultStore, NoticeChannel, NoticeFailure, NoticeResult, NoticeSubscription } from '@consult-kit/store';
import { safeUrl } from '../base/safe-url.js';
import type { MessageKey } from '../i18n/messages.js';

/** What the opt-in uses of a store; without these methods (or on the local transport) nothing is offered. */
export type NoticesStore = Partial<Pick<ConsultStore, 'noticeSubscriptions' | 'optInNotices' | 'cancelNotices'>>;

type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

/** One error: its words, and whether it is about the address field or the channel choice (then linked to it). */
interface NoticeError {
  key: MessageKey;
  params?: Record<string, string | number>;
  field: boolean;
  /** About the channel choice (the server offers no such channel). */
  channel?: boolean;
}

/** One topic's opt-in, as shown. */
export interface TopicNotices {
  /** The server's list of active opt-ins (undefined while it is read). */
  list: NoticeResult<NoticeSubscription[]> | undefined;
  channel: NoticeChannel;
  /** What was typed, per channel: switching channel and back loses nothing. */
  typed: Record<NoticeChannel, string>;
  error: NoticeError | undefined;
  busy: 'saving' | 'stopping' | undefined;
  /** The last thing that happened, said in the live region. */
  done: 'started' | 'stopped' | undefined;
  /** Channels the server said it cannot reach residents on (no SMTP, no SMS gateway): no longer offered. */
  refused: readonly NoticeChannel[];
}

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
/** E.164 (+ and 7–15 digits) or a mainland mobile number, after spaces, hyphens and brackets are taken out. */
const PHONE = /^(\+[1-9]\d{6,14}|1[3-9]\d{9})$/;

/** The address as it is sent: trimmed; a phone number without spaces, hyphens or brackets. */
export function cleanAddress(channel: NoticeChannel, typed: string): string {
  const value = typed.normalize('NFKC').trim();
  return channel === 'sms' ? value.replace(/[\s\u3000\-()（）]/g, '') : value;
}

/** Why an address cannot be sent as it is, or undefined when it can. */
export function addressProblem(channel: NoticeChannel, typed: string): MessageKey | undefined {
  const value = cleanAddress(channel, typed);
  if (value === '') return channel === 'email' ? 'mine.notices.error.emptyEmail' : 'mine.notices.error.emptySms';
  if (channel === 'email' ? !EMAIL.test(value) : !PHONE.test(value)) return channel === 'email' ? 'mine.notices.error.email' : 'mine.notices.error.sms';
  return undefined;
}

/** A failure from the server in words; `invalid` (the address refused) is the field's error. */
function failureWords(failure: NoticeFailure, channel: NoticeChannel): NoticeError | undefined {
  switch (failure.reason) {
    case 'invalid':
      if (failure.pointer === '/channel') return { key: channel === 'email' ? 'mine.notices.error.noEmail' : 'mine.notices.error.noSms', field: false, channel: true };
      return { key: channel === 'email' ? 'mine.notices.error.email' : 'mine.notices.error.sms', field: true };
    case 'offline':
      return { key: 'mine.notices.error.offline', field: false };
    case 'unreachable':
      return { key: 'mine.notices.error.unreachable', field: false };
    case 'rate-limited':
      return { key: 'mine.notices.error.rateLimited', params: { minutes: Math.max(1, Math.ceil((failure.retryAfterMs ?? 60_000) / 60_000)) }, field: false };
    case 'revoked':
      return { key: 'mine.notices.error.revoked', field: false };
    case 'not-found':
      return { key: 'mine.notices.error.notFound', field: false };
    case 'local':
    case 'no-code':
      return undefined;
    default:
      return { key: 'mine.notices.error.unavailable', field: false };
  }
}

/** The ids of one topic's controls (topic ids are the shadow root's own, so unique there). */
export const noticeIds = (topicId: string) => ({
  section: `notices-${topicId}`,
  title: `notices-title-${topicId}`,
  address: `notices-address-${topicId}`,
  hint: `notices-hint-${topicId}`,
  purpose: `notices-purpose-${topicId}`,
  error: `notices-error-${topicId}`,
  summary: `notices-summary-${topicId}`,
  active: `notices-active-${topicId}`,
  channels: `notices-channels-${topicId}`,
});

/** Holds every topic's opt-in state for the host and talks to the store. */
export class NoticesController implements ReactiveController {
  private readonly topics = new Map<string, TopicNotices>();

  constructor(
    private readonly host: ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment; readonly locale: 'zh-CN' | 'en' },
    private readonly store: () => NoticesStore | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** The state of a topic's opt-in, reading the server's list the first time it is asked for. */
  get(topicId: string): TopicNotices | undefined {
    const store = this.store();
    if (!store?.noticeSubscriptions || !store.optInNotices) return undefined;
    let state = this.topics.get(topicId);
    if (!state) {
      state = { list: undefined, channel: 'email', typed: { email: '', sms: '' }, error: undefined, busy: undefined, done: undefined, refused: [] };
      this.topics.set(topicId, state);
      void this.read(topicId);
    }
    return state;
  }

  private set(topicId: string, change: Partial<TopicNotices>): void {
    const state = this.topics.get(topicId);
    if (!state) return;
    this.topics.set(topicId, { ...state, ...change });
    this.host.requestUpdate();
  }

  private async read(topicId: string): Promise<void> {
    const list = await this.store()?.noticeSubscriptions?.(topicId).catch(() => ({ ok: false, reason: 'unreachable' }) as const);
    this.set(topicId, { list: list ?? { ok: false, reason: 'local' } });
  }

  choose(topicId: string, channel: NoticeChannel): void {
    this.set(topicId, { channel, error: undefined });
  }

  type(topicId: string, value: string): void {
    const state = this.topics.get(topicId);
    if (state) this.topics.set(topicId, { ...state, typed: { ...state.typed, [state.channel]: value } });
  }

  async optIn(topicId: string): Promise<void> {
    const state = this.topics.get(topicId);
    const store = this.store();
    if (!state || !store?.optInNotices || state.busy) return;
    const ids = noticeIds(topicId);
    const problem = addressProblem(state.channel, state.typed[state.channel]);
    if (problem) return this.fail(topicId, { key: problem, field: true });
    this.set(topicId, { busy: 'saving', error: undefined, done: undefined });
    const address = cleanAddress(state.channel, state.typed[state.channel]);
    const result = await store.optInNotices(topicId, { channel: state.channel, address, locale: this.host.locale }).catch(() => ({ ok: false, reason: 'unreachable' }) as const);
    if (!result.ok) {
      const words = failureWords(result, state.channel);
      if (words?.channel) {
        // The server cannot reach residents this way: offer the other channel, keeping what was typed.
        const refused = [...new Set([...state.refused, state.channel])];
        const other = (['email', 'sms'] as const).find((c) => !refused.includes(c));
        this.set(topicId, { busy: undefined, refused, ...(other ? { channel: other } : {}) });
        return this.fail(topicId, other ? words : { key: 'mine.notices.error.none', field: false });
      }
      this.set(topicId, { busy: undefined });
      return words ? this.fail(topicId, words) : undefined;
    }
    const current = this.topics.get(topicId)!;
    const others = current.list?.ok ? current.list.value.filter((s) => s.id !== result.value.id) : [];
    // Accepted: what was typed is no longer needed on this device.
    this.set(topicId, { busy: undefined, done: 'started', list: { ok: true, value: [...others, result.value] }, typed: { ...current.typed, [state.channel]: '' } });
    await this.host.updateComplete;
    this.focus(`#${CSS.escape(ids.active)}`);
  }

  async stop(topicId: string, subscriptionId: string): Promise<void> {
    const state = this.topics.get(topicId);
    const store = this.store();
    if (!state || !store?.cancelNotices || state.busy) return;
    this.set(topicId, { busy: 'stopping', error: undefined, done: undefined });
    const result = await store.cancelNotices(topicId, subscriptionId).catch(() => ({ ok: false, reason: 'unreachable' }) as const);
    const current = this.topics.get(topicId)!;
    if (!result.ok && result.reason !== 'not-found') {
      this.set(topicId, { busy: undefined });
      return this.fail(topicId, failureWords(result, current.channel) ?? { key: 'mine.notices.error.unavailable', field: false });
    }
    const left = current.list?.ok ? current.list.value.filter((s) => s.id !== subscriptionId) : [];
    this.set(topicId, { busy: undefined, done: 'stopped', list: { ok: true, value: left } });
    await this.host.updateComplete;
    this.focus(`#${CSS.escape(noticeIds(topicId).title)}`);
  }

  private async fail(topicId: string, error: NoticeError): Promise<void> {
    this.set(topicId, { error });
    await this.host.updateComplete;
    this.focus(`#${CSS.escape(noticeIds(topicId).summary)}`);
  }

  private focus(selector: string): void {
    (this.host.renderRoot as ParentNode).querySelector<HTMLElement>(selector)?.focus();
  }
}

export interface NoticesView {
  topicId: string;
  state: TopicNotices;
  /** The config's privacy notice URL, when it has one (checked by `safeUrl`). */
  privacyUrl: string | undefined;
  t: Translate;
  onChoose(channel: NoticeChannel): void;
  onType(value: string): void;
  onSubmit(): void;
  onStop(subscriptionId: string): void;
}

/** One topic's "tell me about progress": where notices go and Stop, or the form. */
export function renderNotices(view: NoticesView): TemplateResult | typeof nothing {
  const { topicId, state, t } = view;
  const ids = noticeIds(topicId);
  const list = state.list;
  if (list && !list.ok && (list.reason === 'local' || list.reason === 'no-code')) return nothing;
  const active = list?.ok ? list.value : [];
  const live = state.done === 'started' ? t('mine.notices.started') : state.done === 'stopped' ? t('mine.notices.stopped') : '';
  return html`<section class="notices-optin" part="notices" id=${ids.section} aria-labelledby=${ids.title}>
    <h4 class="sub" id=${ids.title} tabindex="-1">${t('mine.notices.title')}</h4>
    <p class="notices-status" role="status">${live}</p>
    ${list === undefined
      ? html`<p class="meta">${t('mine.notices.loading')}</p>`
      : active.length > 0
        ? renderActive(view, active)
        : renderForm(view)}
  </section>`;
}

function renderActive(view: NoticesView, active: readonly NoticeSubscription[]): TemplateResult {
  const { t, state, topicId } = view;
  const ids = noticeIds(topicId);
  return html`${renderError(view)}
    <ul class="notices-active">
      ${active.map(
        (s, i) => html`<li>
          <p id=${i === active.length - 1 ? ids.active : `${ids.active}-${i}`} tabindex="-1">
            ${t(s.channel === 'sms' ? 'mine.notices.activeSms' : 'mine.notices.active', { address: s.address })}
          </p>
          <button type="button" class="button button--secondary" part="button" aria-disabled=${state.busy ? 'true' : 'false'} @click=${() => view.onStop(s.id)}>
            ${state.busy === 'stopping' ? t('mine.notices.stopping') : t('mine.notices.stop')}
          </button>
        </li>`,
      )}
    </ul>`;
}

function renderError(view: NoticesView): TemplateResult | typeof nothing {
  const { state, t, topicId } = view;
  const ids = noticeIds(topicId);
  const error = state.error;
  if (!error) return nothing;
  const words = t(error.key, error.params);
  const focusField = (event: Event) => {
    event.preventDefault();
    const root = (event.currentTarget as HTMLElement).getRootNode() as ParentNode;
    root.querySelector(`label[for="${CSS.escape(ids.address)}"]`)?.scrollIntoView({ block: 'start' });
    root.querySelector<HTMLInputElement>(`#${CSS.escape(ids.address)}`)?.focus({ preventScroll: true });
  };
  const focusChannel = (event: Event) => {
    event.preventDefault();
    const root = (event.currentTarget as HTMLElement).getRootNode() as ParentNode;
    root.querySelector<HTMLInputElement>(`#${CSS.escape(ids.channels)} input:checked, #${CSS.escape(ids.channels)} input`)?.focus();
  };
  return html`<div id=${ids.summary} class="error-summary" part="error-summary" tabindex="-1" aria-labelledby="${ids.summary}-title">
    <div role="alert">
      <p id="${ids.summary}-title" class="error-summary-title"><strong>${t('form.errorSummaryTitle')}</strong></p>
      <ul class="error-list">
        <li>
          ${error.field
            ? html`<a href="#${ids.address}" @click=${focusField}>${words}</a>`
            : error.channel
              ? html`<a href="#${ids.channels}" @click=${focusChannel}>${words}</a>`
              : words}
        </li>
      </ul>
    </div>
  </div>`;
}

function renderForm(view: NoticesView): TemplateResult {
  const { state, t, topicId } = view;
  if (state.refused.length >= 2) return html`${renderError(view)}`;
  const ids = noticeIds(topicId);
  const fieldError = state.error?.field ? t(state.error.key, state.error.params) : '';
  const email = state.channel === 'email';
  const privacy = view.privacyUrl ? safeUrl(view.privacyUrl) : undefined;
  const described = [email ? '' : ids.hint, ids.purpose, fieldError ? ids.error : ''].filter(Boolean).join(' ');
  const radio = (channel: NoticeChannel, label: MessageKey) =>
    html`<div class="choice">
      <input
        type="radio"
        class="choice-input"
        id="${ids.section}-${channel}"
        name="${ids.section}-channel"
        .value=${channel}
        .checked=${state.channel === channel}
        @change=${() => view.onChoose(channel)}
      />
      <label class="choice-label" for="${ids.section}-${channel}">${t(label)}</label>
    </div>`;
  return html`${renderError(view)}
    <form
      class="notices-form"
      part="notices-form"
      novalidate
      aria-labelledby=${ids.title}
      @submit=${(e: Event) => {
        e.preventDefault();
        view.onSubmit();
      }}
    >
      <fieldset class="group" id=${ids.channels}>
        <legend class="label">${t('mine.notices.legend')}</legend>
        <div class="choices">
          ${state.refused.includes('email') ? nothing : radio('email', 'mine.notices.email')}${state.refused.includes('sms') ? nothing : radio('sms', 'mine.notices.sms')}
        </div>
      </fieldset>
      <div class="field ${fieldError ? 'field--error' : ''}">
        <label class="label" for=${ids.address}>${t(email ? 'mine.notices.emailLabel' : 'mine.notices.smsLabel')}</label>
        ${email ? nothing : html`<div class="hint" id=${ids.hint}>${t('mine.notices.smsHint')}</div>`}
        ${fieldError
          ? html`<p class="error-message" id=${ids.error}><span class="visually-hidden">${t('form.errorPrefix')}</span> ${fieldError}</p>`
          : nothing}
        <input
          class="input"
          id=${ids.address}
          name="address"
          type=${email ? 'email' : 'tel'}
          autocomplete=${email ? 'email' : 'tel'}
          inputmode=${email ? 'email' : 'tel'}
          spellcheck="false"
          aria-describedby=${described}
          aria-invalid=${fieldError ? 'true' : 'false'}
          .value=${state.typed[state.channel]}
          @input=${(e: Event) => view.onType((e.target as HTMLInputElement).value)}
        />
      </div>
      <p class="hint notices-purpose" id=${ids.purpose}>
        ${t('mine.notices.purpose')} ${privacy ? html`<a class="link" href=${privacy}>${t('mine.notices.privacy')}</a>` : nothing}
      </p>
      <button type="submit" class="button button--primary" part="button" aria-disabled=${state.busy ? 'true' : 'false'}>
        ${state.busy === 'saving' ? t('mine.notices.sending') : t('mine.notices.submit')}
      </button>
    </form>`;
}
