/**
 * Where an element's workflow config comes from — a URL attribute, an object property, or an
 * inline `<script type="application/json">` child — and how its faults are shown: each with its
 * JSON Pointer, as text, never a blank box.
 *
 * Checked once, not on every phone: a config fetched from the page's own origin (or from the
 * element's `endpoint`) whose response carries `Consult-Config-Checked: sha-256=<base64>`, where
 * the digest is the SHA-256 of the exact bytes received, was checked by the city's consult-kit
 * server; it is normalized here without the checker (`acceptCheckedConfig`), so the schema and its
 * validator are never downloaded. Anything else — an inline or object config, a config from
 * another origin, a missing or mismatched header, a browser without `crypto.subtle` (a page not
 * served over HTTPS or from localhost), or the element's `dev` attribute — loads the checker
 * (`@consult-kit/machine/checker`) and checks it here, as before. A bad config never starts a
 * machine either way.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ConfigError, WorkflowConfig } from '@consult-kit/machine/core';
// Deep imports: this is part of the resident's first view, which must not reach the machine's
// barrel (bundlers would pull in what it re-exports: XState, the replay).
import { isCheckedConfig, toConfig, WorkflowConfigError } from '@consult-kit/machine/dist/config/checked.js';
import { acceptCheckedConfig } from '@consult-kit/machine/dist/config/normalize.js';
import type { MessageKey } from '../i18n/messages.js';

export type ConfigSource = string | object | HTMLScriptElement;

/** The response header a consult-kit server sends with a config it checked (docs/api/openapi.yaml). */
export const CONFIG_CHECKED_HEADER = 'Consult-Config-Checked';

export type LoadedConfig =
  | { ok: true; config: WorkflowConfig; checkedBy: 'server' | 'browser' }
  | { ok: false; kind: 'failed'; message: string; error: unknown }
  | { ok: false; kind: 'invalid'; errors: ConfigError[]; error: unknown };

export interface LoadOptions {
  /** The element's `endpoint`: its origin is trusted like the page's own. */
  endpoint?: string | undefined;
  /** Always check here (the `dev` attribute): a city developer sees every fault at once. */
  dev?: boolean | undefined;
  /** The `fetch` to read a URL with (default the page's). */
  fetch?: typeof globalThis.fetch | undefined;
}

/** The inline `<script type="application/json">` child holding a config, if any. */
export function inlineConfigScript(host: Element): HTMLScriptElement | undefined {
  return [...host.children].find((c): c is HTMLScriptElement => c instanceof HTMLScriptElement && c.type === 'application/json');
}

/** Whether a server on this origin may vouch for a config: the page's own, or the `endpoint`'s. */
function trustedOrigin(url: string, endpoint: string | undefined): boolean {
  try {
    const origin = new URL(url, document.baseURI).origin;
    if (origin === location.origin) return true;
    return endpoint !== undefined && origin === new URL(endpoint, document.baseURI).origin;
  } catch {
    return false;
  }
}

/** Standard base64 of bytes. */
function base64(bytes: ArrayBuffer): string {
  let text = '';
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text);
}

/** Whether the header names the SHA-256 of exactly these bytes. */
async function vouchedFor(header: string | null, bytes: ArrayBuffer): Promise<boolean> {
  const claimed = /^\s*sha-256=([A-Za-z0-9+/]+={0,2})\s*$/.exec(header ?? '')?.[1];
  if (!claimed || !globalThis.crypto?.subtle) return false;
  try {
    return base64(await crypto.subtle.digest('SHA-256', bytes)) === claimed;
  } catch {
    return false;
  }
}

/** Checks a config in this browser, loading the checker first. */
async function checkHere(raw: unknown): Promise<LoadedConfig> {
  try {
    await import('@consult-kit/machine/checker');
  } catch (error) {
    return { ok: false, kind: 'failed', message: error instanceof Error ? error.message : String(error), error };
  }
  try {
    return { ok: true, config: toConfig(raw), checkedBy: 'browser' };
  } catch (error) {
    const errors = error instanceof WorkflowConfigError ? error.errors : [];
    return { ok: false, kind: 'invalid', errors, error };
  }
}

/** Reads and checks a config; never throws. */
export async function loadConfig(source: ConfigSource, options: LoadOptions = {}): Promise<LoadedConfig> {
  let raw: unknown;
  let vouched = false;
  try {
    if (typeof source === 'string') {
      const init: RequestInit = { headers: { Accept: 'application/json' }, credentials: 'same-origin' };
      const response = await (options.fetch ? options.fetch(source, init) : fetch(source, init));
      if (!response.ok) throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} (${source})`);
      const bytes = await response.arrayBuffer();
      raw = JSON.parse(new TextDecoder().decode(bytes));
      vouched = !options.dev && trustedOrigin(response.url || source, options.endpoint) && (await vouchedFor(response.headers.get(CONFIG_CHECKED_HEADER), bytes));
    } else if (source instanceof HTMLScriptElement) {
      raw = JSON.parse(source.textContent ?? '');
    } else {
      // `parseWorkflowConfig`'s own output (a store's config, say) needs no second look.
      if (isCheckedConfig(source)) return { ok: true, config: source, checkedBy: 'browser' };
      raw = source;
    }
  } catch (error) {
    return { ok: false, kind: 'failed', message: error instanceof Error ? error.message : String(error), error };
  }
  if (vouched) {
    try {
      return { ok: true, config: acceptCheckedConfig(raw), checkedBy: 'server' };
    } catch {
      // Not even shaped like a config, whatever the header said: the checker says why.
    }
  }
  return checkHere(raw);
}

type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

/** Every config fault, readably: pointer, code, message, expected, got, hint — all as text. */
export function configErrorsTemplate(errors: readonly ConfigError[], t: Translate): TemplateResult {
  return html`<div class="problem" part="problem" role="alert">
    <p class="problem-title">${t('common.configErrors', { count: errors.length })}</p>
    <ul class="config-errors">
      ${errors.map(
        (e) => html`<li>
          <code class="pointer">${e.pointer || '/'}</code> <span class="code">[${e.code}]</span> ${e.message}
          ${e.expected ? html`<br /><span>${t('form.config.expected', { value: e.expected })}</span>` : nothing}
          ${e.got ? html`<br /><span>${t('form.config.got', { value: e.got })}</span>` : nothing}
          ${e.hint ? html`<br /><span>${t('form.config.hint', { value: e.hint })}</span>` : nothing}
        </li>`,
      )}
    </ul>
  </div>`;
}
