/**
 * Story rendering helpers. A story's args use the element's attribute names (as the controls
 * from custom-elements.json do): strings and numbers become attributes, `true` an empty
 * attribute, `false`/`undefined`/`''` removes it. Properties that have no attribute (objects) are
 * passed separately.
 */
export type StoryArgs = Record<string, unknown>;

/** Creates `tag` with `args` as attributes and `props` as properties. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  args: StoryArgs = {},
  props: Partial<Record<string, unknown>> = {},
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined || value === false || value === '' || value === null) continue;
    if (typeof value === 'object' || typeof value === 'function') continue; // actions and objects are not attributes
    el.setAttribute(name, value === true ? '' : String(value));
  }
  Object.assign(el, props);
  return el;
}

/** Waits until `condition` holds (polling each animation frame); fails with `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 16));
  }
}

/** The open shadow root of the first `selector` in `root` (crossing the story wrapper). */
export function shadowOf(root: ParentNode, selector: string): ShadowRoot {
  const host = root.querySelector(selector);
  if (!host?.shadowRoot) throw new Error(`${selector} has not rendered`);
  return host.shadowRoot;
}

/** Text with runs of white space made one space, trimmed. */
export const squash = (value: string | null | undefined): string => (value ?? '').replace(/\s+/g, ' ').trim();
