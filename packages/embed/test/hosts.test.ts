/**
 * The React and Vue host apps (examples/react, examples/vue), built with their own build scripts
 * and used in Chromium as a person uses them, under the strict CSP a city portal runs:
 *
 * - the workflow renders the config the host handed it as a PROPERTY (its intake form, in zh-CN,
 *   inside its shadow root), and no "[object Object]" attribute;
 * - the host's language button reaches the element: its menu and the form on screen turn English, and back;
 * - a resident who follows nothing yet starts at the intake form, fills it in and submits it; the
 *   element takes them to "my topics" (我的议题) with the new topic first, and the HOST's own page
 *   says which topic it heard submitted and where it was saved. These hosts run the config's
 *   `local` transport (no server), so no follow code is shown (none made up, no record-id
 *   "reference"); the code from the server is the embed's end-to-end test's;
 * - moving in the element's menu shows up in the host's "current view" (consult-navigate);
 * - the host switches the user role (an attribute): a convener accepts the topic and the host
 *   hears the action (consult-action);
 * - the standalone star rating: a star chosen shows in the host's words, and the host's form
 *   submits its value (it is form-associated);
 * - no page errors, no console errors, no CSP violations.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { ROOT, launchChromium, serve, watch, type TestServer } from './chromium.js';

/** The CSP of a strict city portal: nothing inline, no eval, Trusted Types for script sinks. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "require-trusted-types-for 'script'",
].join('; ');

const squash = (text: string | null): string => (text ?? '').replace(/\s+/g, ' ').trim();

/** Waits until the locator's text contains `expected`; fails saying what it did show. */
async function shows(locator: Locator, expected: string, what: string): Promise<void> {
  try {
    await locator.filter({ hasText: expected }).waitFor({ timeout: 10_000 });
  } catch {
    const actual = squash(await locator.textContent({ timeout: 1000 }).catch(() => '(not there)'));
    assert.fail(`${what}: expected "${expected}", it shows "${actual}"`);
  }
}

/** What the host page says it heard (its `<dd data-heard=…>`). */
const heard = (page: Page, key: string): Locator => page.locator(`[data-heard="${key}"]`);

/** The element's menu, as the person reads it. */
async function menu(workflow: Locator): Promise<string[]> {
  return (await workflow.getByRole('navigation').getByRole('button').allTextContents()).map(squash);
}

async function menuReads(workflow: Locator, expected: string[], what: string): Promise<void> {
  const end = Date.now() + 10_000;
  let got = await menu(workflow);
  while (JSON.stringify(got) !== JSON.stringify(expected) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    got = await menu(workflow);
  }
  assert.deepEqual(got, expected, what);
}

for (const example of ['react', 'vue'] as const) {
  describe(`examples/${example}: a ${example === 'react' ? 'React 19' : 'Vue 3'} host app`, () => {
    let out: string;
    let server: TestServer;
    let browser: Browser;

    before(async () => {
      out = mkdtempSync(join(tmpdir(), `consult-kit-${example}-`));
      const built = spawnSync(process.execPath, [join(ROOT, `examples/${example}/build.mjs`), '--outdir', out], { encoding: 'utf8' });
      assert.equal(built.status, 0, `node examples/${example}/build.mjs failed:\n${built.stdout}\n${built.stderr}`);
      server = await serve({ dirs: { '/': out }, headers: { 'content-security-policy': CSP } });
      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close();
      await server?.close();
      if (out) rmSync(out, { recursive: true, force: true });
    });

    test('sets properties, follows the language, hears the submit, the navigation and the action; the rating reaches the form', { timeout: 30_000 }, async () => {
      const context = await browser.newContext({ locale: 'zh-CN' });
      const page = await context.newPage();
      page.setDefaultTimeout(8000);
      const trouble = await watch(page);
      await page.goto(`${server.url}/`);
      const workflow = page.locator('consult-workflow');
      const rating = page.locator('consult-star-rating');

      // The config object reached the element as a property: it renders that config's intake form,
      // in zh-CN, inside its shadow root (and the host did not write it as an attribute).
      await page.getByRole('heading', { name: '城市门户 · 有事好商量' }).waitFor();
      await workflow.getByLabel('议题名称（必填）').waitFor();
      const titleLabel = await workflow.evaluate((el) => {
        const form = el.shadowRoot?.querySelector('consult-topic-form');
        return form?.shadowRoot?.getElementById('f-title-label')?.textContent ?? null;
      });
      assert.equal(squash(titleLabel), '议题名称（必填）', 'the title field is labelled inside the form in the workflow’s shadow root');
      assert.equal(await workflow.getAttribute('config'), null, 'the config was set as a property, not written as an attribute');
      const residentZh = ['我的议题', '提出议题', '议题列表', '协商成果公开', '统计数据'];
      await menuReads(workflow, residentZh, 'the resident’s menu in zh-CN');

      // The host's language button: its own words and the element's menu turn English, and back.
      await page.getByRole('button', { name: /^English/ }).click();
      await page.getByRole('heading', { name: 'City portal · Let’s talk it over' }).waitFor();
      await menuReads(workflow, ['My topics', 'Raise a topic', 'Topics', 'Outcomes board', 'Figures'], 'the menu after the host switched to English');
      assert.equal(await workflow.getAttribute('lang'), 'en');
      await rating.getByRole('group', { name: 'Rate this portal' }).waitFor();
      await rating.getByText('Very satisfied', { exact: true }).waitFor();
      // The intake form on screen inside the workflow follows too, and back.
      await workflow.getByLabel('Topic (required)').waitFor();
      await page.getByRole('button', { name: /^中文/ }).click();
      await menuReads(workflow, residentZh, 'the menu back in zh-CN');
      await workflow.getByLabel('议题名称（必填）').waitFor();

      // A resident raises a topic: two pages, the required fields, Next, Submit.
      await shows(heard(page, 'view'), '该身份的默认视图', 'the host’s "current view" before any move');
      const title = '3号楼加装电梯';
      await workflow.getByLabel('议题名称（必填）').fill(title);
      await workflow.getByLabel('具体情况（必填）').fill('三号楼住了很多老人，上下楼很难，希望社区组织大家商量加装电梯。');
      await workflow.getByLabel('议题类别（必填）').selectOption({ label: '加装电梯' });
      await workflow.getByRole('button', { name: '下一步' }).click();
      await workflow.getByLabel('姓名（必填）').fill('王秀英');
      await workflow.getByRole('radio', { name: '不需要' }).check();
      await workflow.getByRole('checkbox', { name: /^我已阅读隐私说明/ }).check();
      await workflow.getByRole('button', { name: '提交议题' }).click();
      // The element takes the resident to "my topics", the new topic first, thanked; the host
      // hears that move (consult-navigate) and the submit (the title, where it was saved).
      await shows(heard(page, 'view'), '我的议题', 'the host’s "current view" after submitting');
      const card = workflow.locator('consult-my-topics').locator('[part~=topic]').first();
      await card.getByRole('heading', { name: title }).waitFor();
      await shows(card, '感谢您提出议题。', 'the new topic’s card in my topics');
      await shows(card, '已保存在本机，尚未从服务器更新。', 'where the topic is (no server with the local transport)');
      await shows(heard(page, 'submitted'), `${title}（已保存在本设备）`, 'the host’s "last topic submitted"');
      // No server, so no follow code: none shown, no panel promising one, and no record-id "reference".
      assert.equal(await workflow.locator('[part=follow-code]').count(), 0, 'no follow-code panel with the local transport');
      assert.equal(await workflow.locator('strong.code').count(), 0, 'no follow code with the local transport');
      assert.equal(await workflow.locator('[part=reference]').count(), 0, 'no record-id reference');
      assert.doesNotMatch(squash(await heard(page, 'submitted').textContent()), /参考号|[0-9A-Z]{4}[ -][0-9A-Z]{4}/, 'the host makes up no reference');

      // The resident moves to the topic list in the element; the host hears consult-navigate.
      await workflow.getByRole('navigation').getByRole('button', { name: '议题列表' }).click();
      await shows(heard(page, 'view'), '议题列表', 'the host’s "current view" after the move');
      await workflow.getByRole('button', { name: new RegExp(`^${title}`) }).waitFor();

      // The host signs in a convener (the user-role attribute); the convener accepts the topic.
      await page.getByLabel('当前身份').selectOption({ label: '召集人' });
      await menuReads(workflow, ['议题列表', '成果办理', '统计数据', '提出议题', '协商成果公开'], 'the convener’s menu');
      await workflow.getByRole('button', { name: new RegExp(`^${title}`) }).click();
      await workflow.getByRole('button', { name: '受理', exact: true }).click();
      await shows(heard(page, 'action'), 'screening.accept', 'the host’s "last action"');

      // The standalone star rating: the host shows the stars chosen, and its form sends them.
      await shows(heard(page, 'stars'), '尚未选择', 'the host before a star is chosen');
      await rating.getByRole('radio', { name: '满意', exact: true }).click();
      await shows(heard(page, 'stars'), '您选择了 4 星', 'the host after the fourth star');
      await page.getByRole('button', { name: '提交评价' }).click();
      await shows(heard(page, 'form'), '表单提交的数据：satisfaction=4', 'the host form’s data');

      assert.equal(squash(await heard(page, 'error').textContent()), '暂无', 'no consult-error was heard');
      assert.deepEqual(trouble, { pageErrors: [], consoleErrors: [], cspViolations: [] });
      await context.close();
    });
  });
}
