/**
 * Accessibility checks for browser tests: axe-core (WCAG 2.2 AA tags) on an element, shadow
 * roots included. axe-core ships a UMD file that sets `window.axe` when loaded as a module.
 */
import 'axe-core';
import type { AxeResults, RunOptions } from 'axe-core';

declare global {
  interface Window {
    axe: { run(context: Element, options: RunOptions): Promise<AxeResults> };
  }
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe on an element; throws with a readable list when anything is violated. */
export async function expectAccessible(element: Element, label = element.localName): Promise<void> {
  const results = await window.axe.run(element, { runOnly: { type: 'tag', values: WCAG_TAGS }, resultTypes: ['violations'] });
  if (results.violations.length === 0) return;
  const lines = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\n/g, ' ')}`).join('\n    ')}`,
  );
  throw new Error(`${label}: ${results.violations.length} accessibility violation(s)\n  ${lines.join('\n  ')}`);
}
