/**
 * URLs from a config (a privacy policy, a channel) pass through an allow-list before they become
 * an `href`: `https:`, `http:`, `mailto:`, `tel:` or a relative path. Anything else —
 * `javascript:`, `data:`, `file:`, `vbscript:`, or a string hiding control characters that the
 * browser's URL parser would strip (`java\tscript:`) — gives `undefined`, so the caller shows the
 * text without a link.
 */

const ALLOWED_SCHEMES = new Set(['https:', 'http:', 'mailto:', 'tel:']);

/** A scheme as the URL parser reads it: a letter, then letters, digits, `+`, `-` or `.`, then `:`. */
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

// Control characters and DEL: the URL parser drops tabs and newlines, which can hide a scheme.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Returns the URL when it is safe to use as a link, otherwise `undefined`.
 *
 * @param url A URL from a config (already checked by `parseWorkflowConfig`, checked again here).
 */
export function safeUrl(url: string | null | undefined): string | undefined {
  if (typeof url !== 'string') return undefined;
  const value = url.trim();
  if (value === '' || value.length > 2000 || CONTROL.test(value)) return undefined;
  const scheme = SCHEME.exec(value)?.[1];
  if (scheme !== undefined) return ALLOWED_SCHEMES.has(`${scheme.toLowerCase()}:`) ? value : undefined;
  // No scheme: a relative reference. Check it resolves to http(s) from any base, as a browser would.
  try {
    const resolved = new URL(value, 'https://relative.invalid/');
    return resolved.protocol === 'https:' || resolved.protocol === 'http:' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A topic's link from an element's `topic-href` template (e.g. `#/topic/{topicId}`): every
 * `{topicId}` replaced by the encoded id, then checked by {@link safeUrl}. `undefined` when there
 * is no template, it has no `{topicId}`, or the result is not safe; the caller then shows a button.
 */
export function topicLink(template: string | null | undefined, topicId: string): string | undefined {
  if (!template || !template.includes('{topicId}')) return undefined;
  return safeUrl(template.split('{topicId}').join(encodeURIComponent(topicId)));
}
