/**
 * The follow code as a resident sees it: large, grouped for reading aloud ("K7QM-3XPA-9DRT"), a
 * copy button (Clipboard API; where it is refused, the code is selected so the person can copy it
 * themselves) with a polite "copied" announcement, and a QR code of a link back to this page with
 * `#follow=<code>` (scanned on a second device, `<consult-my-topics>` there adds the topic).
 *
 * The QR module matrix comes from `uqr` (in `qr.ts`, loaded when a code is first shown) (MIT, ≈ 3.9 KiB gzip for `encode`, no eval, no markup
 * strings) and is drawn as Lit `svg` `<rect>`s, one per run of dark modules: no `innerHTML`, no
 * `data:` URL, so it works under a strict CSP.
 *
 * Used by the topic form's confirmation and by "my topics"; a render helper receives what it
 * renders, and `FollowCodeController` keeps the one piece of state (what the copy button did).
 */
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { until } from 'lit/directives/until.js';
import type { MessageKey } from '../i18n/messages.js';

/** The URL a follow code's QR code opens: this page, with `#follow=<code>` in place of its hash. */
export function followUrl(code: string, base: string = typeof location === 'undefined' ? '' : location.href): string {
  const hashless = base.split('#')[0] ?? '';
  return `${hashless}#follow=${encodeURIComponent(code)}`;
}

/** The follow code in a URL's hash (`#follow=K7QM-3XPA-9DRT`), or undefined. */
export function followCodeInHash(hash: string): string | undefined {
  const match = /(?:^#|[#&])follow=([^&]+)/.exec(hash);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}

/** The QR encoder (`uqr`), loaded with the first follow code shown: not part of the form's first view. */
let qr: typeof import('./qr.js') | undefined;
let qrLoading: Promise<typeof import('./qr.js')> | undefined;

/** Draws the QR code now if the encoder is here, else once it has loaded (nothing meanwhile). */
function lazyQr(text: string, label: string): unknown {
  if (qr) return qr.renderQr(text, label);
  qrLoading ??= import('./qr.js').then((m) => (qr = m));
  return until(
    qrLoading.then((m) => m.renderQr(text, label)),
    nothing,
  );
}

export type CopyState = 'idle' | 'copied' | 'selected';

/** What the copy button did last, for the live message; resets when the code changes. */
export class FollowCodeController implements ReactiveController {
  state: CopyState = 'idle';
  private code: string | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Copies `code`; when the Clipboard API is refused or missing, selects the text of `element` instead. */
  async copy(code: string, element: Element | null | undefined): Promise<void> {
    this.code = code;
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(code);
      this.state = 'copied';
    } catch {
      if (element) {
        const selection = window.getSelection();
        selection?.removeAllRanges();
        selection?.selectAllChildren(element);
      }
      this.state = 'selected';
    }
    this.host.requestUpdate();
  }

  /** The live message for `code`: nothing when the last copy was of another code. */
  message(code: string): CopyState {
    return this.code === code ? this.state : 'idle';
  }
}

export interface FollowCodeView {
  /** The formatted code, or undefined while the server has not answered (offline). */
  code: string | undefined;
  /** Prefix for the ids inside (unique per shadow root). */
  idPrefix: string;
  copyState: CopyState;
  /** Show the QR code (default true). */
  qr?: boolean;
  onCopy: (code: string, element: Element | null) => void;
  t: (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;
}

/** The follow-code panel: the code (or "it will appear once sent"), copy, QR, and what it is for. */
export function renderFollowCode(view: FollowCodeView): TemplateResult {
  const { code, idPrefix, t } = view;
  const codeId = `${idPrefix}-code`;
  const live = view.copyState === 'copied' ? t('follow.copied') : view.copyState === 'selected' ? t('follow.selected') : '';
  return html`<div class="follow-code" part="follow-code">
    <p class="follow-code-label">${t('follow.label')}</p>
    ${code
      ? html`<p class="follow-code-value" part="code">
            <strong id=${codeId} class="code" translate="no">${code}</strong>
          </p>
          <p class="follow-code-spoken">${t('follow.spoken', { spoken: spokenCode(code) })}</p>
          <div class="follow-code-actions">
            <button
              type="button"
              class="button button--secondary"
              part="button copy"
              @click=${(e: Event) => view.onCopy(code, (e.currentTarget as Element).closest('.follow-code')?.querySelector('.code') ?? null)}
            >
              ${t('follow.copy')}
            </button>
          </div>
          ${view.qr === false ? nothing : html`<figure class="follow-code-qr">
            ${lazyQr(followUrl(code), t('follow.qrLabel', { code }))}
            <figcaption>${t('follow.qrCaption')}</figcaption>
          </figure>`}`
      : html`<p class="follow-code-pending" part="code-pending">${t('follow.pending')}</p>`}
    <p class="follow-code-keep">${t('follow.keep')}</p>
    <p class="visually-hidden" role="status" aria-live="polite">${live}</p>
  </div>`;
}

/** The code character by character with pauses between groups, for a screen reader or reading aloud ("K 7 Q M, 3 X P A, …"). */
export function spokenCode(code: string): string {
  return code
    .split('-')
    .map((group) => group.split('').join(' '))
    .join(', ');
}

export const followCodeStyles = css`
  .follow-code {
    display: grid;
    gap: calc(0.5 * var(--_base));
    padding: var(--_base);
    border: 2px solid var(--_border);
    border-radius: var(--_radius);
  }
  .follow-code p,
  .follow-code figure {
    margin: 0;
  }
  .follow-code-label {
    font-weight: 700;
  }
  .follow-code .code {
    display: inline-block;
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 2em;
    letter-spacing: 0.08em;
    line-height: 1.2;
    word-break: keep-all;
    overflow-wrap: anywhere;
    user-select: all;
  }
  .follow-code-spoken {
    color: var(--_muted);
    font-size: 0.875em;
  }
  .follow-code-qr {
    display: grid;
    gap: calc(0.25 * var(--_base));
    justify-items: start;
  }
  .qr {
    inline-size: calc(10 * var(--_base));
    block-size: auto;
    forced-color-adjust: none;
  }
  .qr-light {
    fill: #ffffff;
  }
  .qr-dark {
    fill: #000000;
  }
  .follow-code-qr figcaption {
    color: var(--_muted);
    font-size: 0.875em;
  }
  .follow-code-keep {
    font-weight: 700;
  }
`;
