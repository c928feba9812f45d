/**
 * Accessibility checks for the Node tests that drive real Chromium with Playwright
 * (staff-desk.test.ts, notices-real-server.test.ts): axe-core injected into the page once, run on
 * one element (its shadow tree included) with the WCAG 2.2 AA tags. a11y.ts is the same check
 * for the browser tests, where axe-core loads as a module.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const AXE = readFileSync(join(import.meta.dirname, '../../../node_modules/axe-core/axe.min.js'), 'utf8');

/** Fails with `what: axe` and the violated rules (id and node count) when axe finds any on `selector`. */
export async function assertAxeClean(page: Page, selector: string, what: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async (sel) => {
    const result = await (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe.run(document.querySelector(sel), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
  }, selector);
  assert.deepEqual(violations, [], `${what}: axe`);
}
