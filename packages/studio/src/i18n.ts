/**
 * The studio's words, zh-CN and en. Each pane keeps its own messages beside its code, as one
 * object with both languages, and reads them through `translate`; a key missing in one language
 * falls back to the other, then to the key itself (a test checks that none is missing).
 */
export type StudioLocale = 'zh-CN' | 'en';
export const STUDIO_LOCALES: readonly StudioLocale[] = ['zh-CN', 'en'];

/** A pane's messages: the same keys in both languages. */
export type Messages<K extends string = string> = Record<StudioLocale, Record<K, string>>;

/** Declares a pane's messages (checks at compile time that both languages have every key). */
export function defineMessages<K extends string>(messages: { 'zh-CN': Record<K, string>; en: Record<K, string> }): Messages<K> {
  return messages;
}

/** A message with `{name}` placeholders filled in. */
export function translate<K extends string>(messages: Messages<K>, locale: StudioLocale, key: K, params: Record<string, string | number> = {}): string {
  const text = messages[locale][key] ?? messages[locale === 'en' ? 'zh-CN' : 'en'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** `zh`, `zh-Hans-CN`, `zh-CN` → zh-CN; `en-GB` → en; anything else → undefined. */
export function studioLocale(tag: string | null | undefined): StudioLocale | undefined {
  if (!tag) return undefined;
  const lower = tag.toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return undefined;
}

/** The language of a node: the nearest `lang` up the tree, through shadow roots, else the page's, else zh-CN. */
export function localeOf(node: Node): StudioLocale {
  let current: Node | null = node;
  while (current) {
    if (current instanceof Element && current.hasAttribute('lang')) {
      const found = studioLocale(current.getAttribute('lang'));
      if (found) return found;
    }
    current = current.parentNode ?? (current instanceof ShadowRoot ? current.host : null);
  }
  return studioLocale(document.documentElement.lang) ?? 'zh-CN';
}
