/**
 * Story tests only (listed in vitest.config.ts, never loaded by Storybook itself): gives the play
 * functions a real keyboard. Vitest's `userEvent` presses keys through Playwright, so the browser
 * does what it does for a person — Tab crosses shadow roots, arrow keys move through a radio group
 * — which the synthetic events of `storybook/test` cannot do inside shadow DOM.
 */
import { userEvent } from 'vitest/browser';
import type { RealKeyboard } from '../stories/support/keyboard.js';

const escape = (text: string) => text.replace(/[{[]/g, (c) => c + c);

const keyboard: RealKeyboard = {
  press: async (keys) => userEvent.keyboard(keys),
  type: async (text) => userEvent.keyboard(escape(text)),
  tab: async (shift = false) => userEvent.tab({ shift }),
};

globalThis.__consultKeyboard = keyboard;
