/**
 * Per-element language. `@lit/localize` keeps one active locale for the whole page, which fights
 * a portal that shows two widgets in two languages (a bilingual page, a staff page in English
 * beside a resident widget in Chinese); so each element resolves its own locale from its `lang`
 * (or the nearest ancestor's, across shadow roots) and reads a typed catalogue.
 */
import type { Locale } from '@consult-kit/machine/core';

export type { Locale };
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** Maps any BCP 47 tag to a supported locale: `zh`, `zh-Hans`, `zh-CN` → zh-CN; `en-*` → en. */
export function normalizeLocale(tag: string | null | undefined): Locale | undefined {
  if (!tag) return undefined;
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return undefined;
}

/** The `lang` in force for a node: its own, or the nearest ancestor's, crossing shadow roots. */
export function langOf(node: Node): string | undefined {
  let current: Node | null = node;
  while (current) {
    if (current instanceof Element && current.hasAttribute('lang')) return current.getAttribute('lang') ?? undefined;
    const parent: Node | null = current.parentNode;
    current = parent instanceof ShadowRoot ? parent.host : parent;
  }
  return undefined;
}

/** Fills `{name}` placeholders; values are inserted as text by the templates, never as markup. */
export function format(template: string, params: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}
