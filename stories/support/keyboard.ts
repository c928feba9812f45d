/**
 * A real keyboard for play functions. In the story tests (`npm run test:stories`) Playwright
 * presses the keys (see .storybook/vitest.setup.ts), so focus moves and radios change exactly as
 * for a person. In the Storybook UI there is no real keyboard to drive: `realKeyboard()` is
 * undefined there and the play functions take the pointer path to the same result.
 */
export interface RealKeyboard {
  /** Keys in user-event syntax: `{ArrowRight}`, `{Enter}`, `{Shift>}{Tab}{/Shift}`. */
  press(keys: string): Promise<void>;
  /** Types text into the focused control. */
  type(text: string): Promise<void>;
  /** Tab, or Shift+Tab. */
  tab(shift?: boolean): Promise<void>;
}

declare global {
  var __consultKeyboard: RealKeyboard | undefined;
}

export const realKeyboard = (): RealKeyboard | undefined => globalThis.__consultKeyboard;

/** The element that has focus, looking inside open shadow roots. */
export function deepActive(root: Document | ShadowRoot = document): Element | null {
  const active = root.activeElement;
  return active?.shadowRoot ? deepActive(active.shadowRoot) ?? active : active;
}

/** Presses Tab until `target` has focus (at most `max` times); fails with the path taken. */
export async function tabTo(keyboard: RealKeyboard, target: Element, max = 40): Promise<void> {
  const path: string[] = [];
  for (let i = 0; i < max; i += 1) {
    await keyboard.tab();
    const now = deepActive();
    path.push(now?.id || now?.localName || '?');
    if (now === target) return;
  }
  throw new Error(`Tab never reached ${target.id || target.localName} (went ${path.join(' → ')})`);
}
