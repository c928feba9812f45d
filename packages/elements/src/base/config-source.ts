/**
 * Where an element's workflow config comes from — a URL attribute, an object property, or an
 * inline `<script type="application/json">` child — and how its faults are shown: each with its
 * JSON Pointer, as text, never a blank box.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { parseWorkflowConfig, toConfig, WorkflowConfigError, type ConfigError, type WorkflowConfig } from '@consult-kit/machine';
import type { MessageKey } from '../i18n/messages.js';

export type ConfigSource = string | object | HTMLScriptElement;

export type LoadedConfig =
  | { ok: true; config: WorkflowConfig }
  | { ok: false; kind: 'failed'; message: string; error: unknown }
  | { ok: false; kind: 'invalid'; errors: ConfigError[]; error: unknown };

/** The inline `<script type="application/json">` child holding a config, if any. */
export function inlineConfigScript(host: Element): HTMLScriptElement | undefined {
  return [...host.children].find((c): c is HTMLScriptElement => c instanceof HTMLScriptElement && c.type === 'application/json');
}

/** Reads and checks a config; never throws. */
export async function loadConfig(source: ConfigSource): Promise<LoadedConfig> {
  let raw: unknown;
  try {
    if (typeof source === 'string') {
      const response = await fetch(source, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (!response.ok) throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} (${source})`);
      raw = await response.json();
    } else if (source instanceof HTMLScriptElement) {
      raw = JSON.parse(source.textContent ?? '');
    } else {
      raw = source;
    }
  } catch (error) {
    return { ok: false, kind: 'failed', message: error instanceof Error ? error.message : String(error), error };
  }
  try {
    return { ok: true, config: toConfig(raw) };
  } catch (error) {
    const errors =
      error instanceof WorkflowConfigError ? error.errors : ((parseWorkflowConfig(raw) as { errors?: ConfigError[] }).errors ?? []);
    return { ok: false, kind: 'invalid', errors, error };
  }
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
