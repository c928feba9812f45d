/**
 * Keyboard helpers for the studio's end-to-end tests: every step is a real key press through
 * `sendKeys` (Chromium's own input pipeline); the helpers only read where the focus is.
 *
 * `tabTo` presses Tab (or Shift+Tab) until the focused element — the deep active element, through
 * shadow roots — matches, and fails after `max` presses: it proves the control is reachable by
 * keyboard, in order.
 */
import { sendKeys } from '@web/test-runner-commands';
import { deepActive, waitFor } from './shell-helpers.js';

/** An element of the page whose updates a test waits for. */
interface Updating extends Element {
  updateComplete?: Promise<unknown>;
}

/** The element focused, through shadow roots, as an HTMLElement (or null). */
export function focused(): HTMLElement | null {
  const el = deepActive();
  return el instanceof HTMLElement ? el : null;
}

/** A short description of an element, for failure messages. */
export function describeElement(el: Element | null): string {
  if (!el) return 'nothing';
  const attrs = ['id', 'data-pointer', 'data-action', 'data-row', 'data-role', 'aria-label', 'type']
    .map((a) => (el.hasAttribute(a) ? `${a}="${el.getAttribute(a)}"` : ''))
    .filter(Boolean)
    .join(' ');
  const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
  return `<${el.localName}${attrs ? ` ${attrs}` : ''}>${text}`;
}

/** Waits for the studio and every studio element inside it (through shadow roots) to finish rendering. */
export async function settle(root: Updating): Promise<void> {
  for (let round = 0; round < 2; round += 1) {
    await root.updateComplete;
    const pending: Array<Promise<unknown>> = [];
    const visit = (node: ParentNode) => {
      for (const el of node.querySelectorAll<Updating>('*')) {
        if (el.localName.startsWith('consult-') && el.updateComplete) pending.push(el.updateComplete);
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    if (root.shadowRoot) visit(root.shadowRoot);
    await Promise.all(pending);
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
  }
}

/** Presses one key (e.g. `Enter`, `Space`, `ArrowDown`, `Control+a`). */
export async function press(key: string): Promise<void> {
  await sendKeys({ press: key });
}

/** Types text into the focused control. */
export async function type(text: string): Promise<void> {
  await sendKeys({ type: text });
}

/** Selects what the focused text control holds and types over it. */
export async function retype(text: string): Promise<void> {
  await sendKeys({ press: 'Control+a' });
  await sendKeys({ press: 'Backspace' });
  await sendKeys({ type: text });
}

/** Matches the control that edits a node (`data-pointer`). */
export const pointer =
  (p: string) =>
  (el: Element): boolean =>
    el.getAttribute('data-pointer') === p;

/** Matches an element by its id. */
export const id =
  (value: string) =>
  (el: Element): boolean =>
    el.id === value;

/**
 * Presses Tab (Shift+Tab with `back`) until the focused element matches, and returns it; fails
 * after `max` presses, naming the elements the focus went through last.
 */
export async function tabTo(match: (el: Element) => boolean, what: string, { back = false, max = 300 } = {}): Promise<HTMLElement> {
  const seen: string[] = [];
  for (let n = 0; n <= max; n += 1) {
    const el = focused();
    if (el && match(el)) return el;
    if (n === max) break;
    seen.push(describeElement(el));
    await sendKeys({ press: back ? 'Shift+Tab' : 'Tab' });
  }
  throw new Error(`${what}: not reached after ${max} presses of ${back ? 'Shift+Tab' : 'Tab'}; the focus went through ${seen.slice(-8).join(' → ')}`);
}

/** Presses a key until `done` holds (e.g. ArrowDown in a select until it shows an option), at most `max` times. */
export async function pressUntil(key: string, done: () => boolean, what: string, max = 20): Promise<void> {
  for (let n = 0; n < max; n += 1) {
    if (done()) return;
    await sendKeys({ press: key });
  }
  if (!done()) throw new Error(`${what}: not reached after ${max} presses of ${key}`);
}

/** Waits until the focus is on an element that matches (the pane moves it after an action). */
export async function focusLandsOn(match: (el: Element) => boolean, what: string, timeoutMs = 5000): Promise<HTMLElement> {
  await waitFor(() => {
    const el = focused();
    return !!el && match(el);
  }, `the focus on ${what} (it is on ${describeElement(focused())})`, timeoutMs);
  return focused()!;
}
