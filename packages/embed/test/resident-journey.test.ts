/**
 * A resident follows their own topic to the end, on the default server (issue 15's "done when"),
 * for every example config: the reference server started exactly as `npm start` starts it (the
 * same flags: the example configs seeded, the example portal, the demo tokens, every other
 * setting at its default), the one-file embed on a portal page, real Chromium, real IndexedDB.
 *
 * 1. On the portal page a resident raises a topic through the form; the confirmation shows the
 *    follow code.
 * 2. Staff accept it, hold the meeting, implement the measures and publish feedback — through the
 *    same API the staff desk uses, with the demo convener's and department's tokens.
 * 3. The resident's own page ("my topics", 我的议题) shows each step with its dates and details,
 *    then lets them rate.
 * 4. A second device (a browser context of its own: another IndexedDB) adds the topic by its
 *    follow code, sees the same, and rates — once: afterwards neither device offers the rating
 *    again, and the server holds exactly one rating for the code.
 * 5. A second topic is rejected with a reason, and the resident sees the reason.
 *
 * Also checked on the way: no page errors, no CSP violations, and nothing the resident typed that
 * is personal (name, phone, e-mail, location) in what the server answers without a token.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  applyEvent,
  evaluateCondition,
  parseWorkflowConfig,
  replay,
  stateName,
  type FormField,
  type LogEntry,
  type TopicEvent,
  type TopicSnapshot,
  type WorkflowConfig,
} from '@consult-kit/machine';
import { loadOptions } from '../../server/src/config.js';
import { startServer } from '../../server/src/server.js';
import { sampleEvents, validValues } from '../../machine/test/fixtures.js';
import { launchChromium, ROOT, watch, type PageTrouble } from './chromium.js';

const PORTAL = join(ROOT, 'examples/portal');
const CONFIGS = join(ROOT, 'examples/configs');
const DEMO_TOKENS = JSON.parse(readFileSync(join(PORTAL, 'demo-tokens.json'), 'utf8')) as Record<string, { role: string; id: string }>;
/** The programme examples/portal/staff.html serves. */
const STAFF_PAGE_PROGRAMME = /data-config="\/api\/programmes\/([^/"]+)\/config"/.exec(readFileSync(join(PORTAL, 'staff.html'), 'utf8'))![1]!;
const tokenOf = (role: string) => Object.entries(DEMO_TOKENS).find(([, p]) => p.role === role)!;

interface Example {
  file: string;
  raw: { id: string };
  config: WorkflowConfig;
}

const EXAMPLES: Example[] = readdirSync(CONFIGS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => {
    const raw = JSON.parse(readFileSync(join(CONFIGS, file), 'utf8')) as { id: string };
    const parsed = parseWorkflowConfig(raw);
    if (!parsed.ok) throw new Error(`${file} does not parse`);
    return { file, raw, config: parsed.config };
  });

const formFields = (config: WorkflowConfig): FormField[] => config.form.pages.flatMap((p) => p.fields);

/** Personal answers unique to one config's run, so a byte search finds nothing else. */
function personalAnswers(n: number): Record<FormField['type'] | 'name', string> {
  return {
    tel: `1390${String(7000000 + n * 1357).padStart(7, '0')}`,
    email: `ouyang.${n}.journey@example.org`,
    location: `幸福里${n}号楼东侧单元 Xingfuli block ${n} east`,
    name: `欧阳秀芝${n}号`,
  } as Record<FormField['type'] | 'name', string>;
}

/** The answers the resident gives: valid ones for every visible field, personal ones unique. */
function answersFor(config: WorkflowConfig, n: number, title: string): Record<string, unknown> {
  const values = validValues(config);
  const personal = personalAnswers(n);
  for (const field of formFields(config)) {
    if (!(field.name in values)) continue;
    if (field.role === 'title') values[field.name] = title;
    else if (field.personal && (field.type === 'tel' || field.type === 'email' || field.type === 'location')) values[field.name] = personal[field.type];
    else if (field.personal && (field.type === 'text' || field.type === undefined)) values[field.name] = personal.name;
  }
  return values;
}

/** Fills the topic form page by page, as a person does: each visible field by its id, then Next / Submit. */
async function fillForm(page: Page, config: WorkflowConfig, values: Record<string, unknown>): Promise<void> {
  const form = page.locator('consult-topic-form');
  const pages = config.form.pages;
  for (const [index, formPage] of pages.entries()) {
    for (const field of formPage.fields) {
      if (field.visibleWhen && !evaluateCondition(field.visibleWhen, values)) continue;
      const value = values[field.name];
      if (value === undefined) continue;
      const control = form.locator(`#f-${field.name}`);
      switch (field.type) {
        case 'select':
          await control.selectOption(String(value));
          break;
        case 'radio':
          await form.locator(`#f-${field.name}-${field.options!.findIndex((o) => o.value === value)}`).check();
          break;
        case 'checkbox':
          if (field.options) {
            for (const v of value as string[]) await form.locator(`#f-${field.name}-${field.options.findIndex((o) => o.value === v)}`).check();
          } else if (value === true) await control.check();
          break;
        case 'consent':
          await control.check();
          break;
        case 'file':
          break; // photos are optional in every example
        default:
          await control.fill(String(value));
      }
    }
    const last = index === pages.length - 1;
    await form.getByRole('button', { name: last ? '提交议题' : '下一步' }).click();
  }
}

/** The topic's log as the convener's desk pulls it. */
async function topicLog(base: string, programme: string, topicId: string): Promise<LogEntry[]> {
  const [token] = tokenOf('convener');
  const res = await fetch(`${base}/api/programmes/${programme}/topics/${encodeURIComponent(topicId)}/events`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, `pull of ${topicId}`);
  return ((await res.json()) as { entries: LogEntry[] }).entries;
}

let eventCount = 0;

/** Sends one staff event as the demo convener or department, as the staff desk does. */
async function sendStaff(base: string, programme: string, topicId: string, event: TopicEvent): Promise<void> {
  const role = event.by.role === 'department' ? 'department' : 'convener';
  const [token, person] = tokenOf(role);
  const { by: _by, at: _at, ...body } = event;
  eventCount += 1;
  const id = `journey-${Date.now().toString(36)}-${eventCount}`;
  const res = await fetch(`${base}/api/programmes/${programme}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': id },
    body: JSON.stringify({ id, topicId, event: body, by: { role, id: person.id }, at: new Date(Date.now() + eventCount).toISOString() }),
  });
  assert.equal(res.status, 201, `${event.type}: ${await res.text()}`);
}

const HAPPY_PATH: ReadonlyArray<TopicEvent['type']> = [
  'screening.accept',
  'research.complete',
  // Start before schedule: a scheduled meeting takes meeting.schedule again (a reschedule).
  'meeting.start',
  'meeting.schedule',
  'meeting.advance',
  'meeting.record',
  'measure.adopt',
  'measure.implement',
  'feedback.publish',
];

/** Staff take the topic from screening to its rating window, one valid event at a time. */
async function staffToEvaluation(base: string, example: Example, topicId: string): Promise<TopicSnapshot> {
  for (let step = 0; step < 40; step += 1) {
    const snapshot = replay(example.config, await topicLog(base, example.raw.id, topicId)).topics.get(topicId)!;
    if (stateName(snapshot).startsWith('evaluation')) return snapshot;
    const next = sampleEvents(snapshot.context, { measures: 2 })
      .filter((e) => HAPPY_PATH.includes(e.type))
      // Sent now, and a meeting scheduled now (a meeting may not start before its time).
      .map((e) => ({ ...e, at: new Date().toISOString(), ...(e.type === 'meeting.schedule' ? { start: new Date().toISOString() } : {}) }) as TopicEvent)
      .sort((a, b) => HAPPY_PATH.indexOf(a.type) - HAPPY_PATH.indexOf(b.type))
      .find((e) => applyEvent(example.config, snapshot, e).ok);
    assert.ok(next, `stuck in ${stateName(snapshot)}`);
    await sendStaff(base, example.raw.id, topicId, next);
  }
  assert.fail('did not reach the rating window');
}

const myTopics = (page: Page) => page.locator('consult-my-topics');
const topicCard = (page: Page, title: string): Locator => myTopics(page).locator('article.topic', { has: page.getByRole('heading', { name: title }) });

/** Waits until the card's text has every one of `texts` (the store pulls in the background). */
async function cardShows(page: Page, title: string, texts: string[], what: string): Promise<string> {
  let last = '';
  for (let attempt = 0; attempt < 150; attempt += 1) {
    const card = topicCard(page, title);
    if ((await card.count()) === 1) {
      last = (await card.innerText()).replace(/\s+/g, ' ');
      if (texts.every((t) => last.includes(t))) return last;
    }
    await page.waitForTimeout(100);
  }
  assert.fail(`${what}: the card of "${title}" does not show ${JSON.stringify(texts.filter((t) => !last.includes(t)))}; it shows: ${last}`);
}

describe('a resident follows their topic to the end, on the default server, for every example config', () => {
  let dataDir: string;
  let portalDir: string;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const troubles: PageTrouble[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'consult-kit-journey-data-'));
    // The example portal, with one page per example programme (a city has one page per room).
    // Two of the examples are written for a kiosk (`"transport": { "type": "local" }`); a city
    // that runs them on its server says so on the page with `endpoint`, as docs/embedding.md shows.
    portalDir = mkdtempSync(join(tmpdir(), 'consult-kit-journey-portal-'));
    cpSync(PORTAL, portalDir, { recursive: true });
    const index = readFileSync(join(PORTAL, 'index.html'), 'utf8');
    for (const { raw } of EXAMPLES) {
      const pageHtml = index.replace(/config="\/api\/programmes\/[^/"]+\/config"/, `config="/api/programmes/${raw.id}/config" endpoint="/api"`);
      assert.ok(pageHtml.includes(`config="/api/programmes/${raw.id}/config"`), `the page of ${raw.id} names its programme`);
      writeFileSync(join(portalDir, `${raw.id}.html`), pageHtml);
    }
    // `npm start`'s flags (package.json), with a free port and a data folder of this test's own.
    const options = loadOptions(
      ['--seed', CONFIGS, '--portal', portalDir, '--tokens', join(PORTAL, 'demo-tokens.json'), '--port', '0', '--data', dataDir, '--log-level', 'silent'],
      {},
    );
    server = await startServer(options);
    browser = await launchChromium();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(portalDir, { recursive: true, force: true });
  });

  /** A new device: its own browser context, so its own IndexedDB. */
  async function device(path: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    troubles.push(await watch(page));
    await page.goto(`${server.url}${path}`);
    await page.locator('consult-workflow').waitFor({ state: 'attached' });
    return page;
  }

  EXAMPLES.forEach((example, n) => {
    it(`${example.file}: raise → screening → meeting → measures → feedback → rating, on two devices`, async () => {
      const { config, raw } = example;
      const programme = raw.id;
      const page = await device(`/${programme}.html`);
      const wf = page.locator('consult-workflow');

      // 1. The resident raises a topic.
      await wf.locator('nav').getByRole('button', { name: '提出议题' }).click();
      const title = `旅程议题 ${n}：楼道灯不亮 Journey ${n}`;
      const values = answersFor(config, n, title);
      await fillForm(page, config, values);
      const code = (await topicCard(page, title).locator('strong.code').textContent({ timeout: 20_000 }))!.trim();
      assert.match(code, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/, 'a follow code, readable aloud');

      // The server has it; find its id through the index, by the follow code (as the staff desk searches).
      const found = (await (await fetch(`${server.url}/api/programmes/${programme}/topics?followCode=${encodeURIComponent(code)}`)).json()) as {
        items: Array<{ topicId: string; title: string }>;
      };
      assert.equal(found.items.length, 1, 'the follow code finds the topic');
      assert.equal(found.items[0]!.title, title);
      const topicId = found.items[0]!.topicId;
      await cardShows(page, title, [title], 'received, in my topics');

      // The staff desk (the example portal's staff page, for the programme it serves) finds the
      // topic by the code the resident reads out, and shows the convener what the form collected.
      if (programme === STAFF_PAGE_PROGRAMME) {
        const desk = await device('/staff');
        const [token] = tokenOf('convener');
        await desk.getByLabel('工作人员令牌').fill(token);
        await desk.getByRole('button', { name: '登录', exact: true }).click();
        const staffView = desk.locator('consult-workflow');
        await staffView.locator('#topic-search').fill(code.toLowerCase().replace(/-/g, ''));
        await staffView.locator('#topic-search').press('Enter');
        const timeline = staffView.locator('consult-meeting-timeline');
        await timeline.getByText(title).first().waitFor({ timeout: 20_000 });
        // What the staff actions show of the intake form (their own shadow root).
        const seen = await staffView.locator('consult-staff-actions').evaluate((el) => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' '));
        const typed = formFields(config).filter((f) => f.personal && typeof values[f.name] === 'string').map((f) => values[f.name] as string);
        assert.ok(typed.length >= 2, 'the form collected personal data');
        for (const value of typed) assert.ok(seen.includes(value), `the convener sees "${value}" on the topic`);
      }

      // 2. Staff take it through screening, the meeting, the measures and the feedback.
      const snapshot = await staffToEvaluation(server.url, example, topicId);
      const ctx = snapshot.context;
      const meeting = ctx.meetings.at(-1)!;
      const feedback = ctx.feedback.at(-1)!.text;

      // 3. The resident's own page shows each step, with details, then lets them rate.
      await page.reload();
      await wf.locator('consult-my-topics').waitFor();
      const shown = await cardShows(
        page,
        title,
        [meeting.place, ...ctx.measures.map((m) => m.text), ...ctx.measures.map((m) => m.result ?? ''), feedback],
        'after feedback',
      );
      for (const m of ctx.measures) assert.ok(shown.includes(m.party) || shown.includes(config.step.handling.parties.find((p) => p.id === m.party)?.label['zh-CN'] ?? m.party), `the responsible party of ${m.id}`);
      const current = topicCard(page, title).locator('[aria-current=step]');
      assert.equal(await current.count(), 1, 'one step is the current one');
      assert.ok(await topicCard(page, title).locator('consult-star-rating').count(), 'the rating is offered');

      // 4. A second device adds the topic by its code, sees the same, and rates once.
      const other = await device(`/${programme}.html`);
      await other.locator('consult-workflow').locator('nav').getByRole('button', { name: '我的议题' }).click();
      const add = myTopics(other).locator('#follow-code');
      await add.fill(code.toLowerCase().replace(/-/g, ' '));
      await add.press('Enter');
      await cardShows(other, title, [meeting.place, feedback], 'on the second device');
      const card = topicCard(other, title);
      const scale = config.step.evaluation?.scale ?? 5;
      await card.locator('consult-star-rating').locator(`input[value="${scale - 1}"]`).check();
      await card.locator('form.rating-form button[type=submit]').click();
      const mine = `您的评价：${scale - 1} 分（满分 ${scale} 分）`;
      await cardShows(other, title, [mine], 'the rating on the second device');
      for (let attempt = 0; attempt < 100 && (await card.locator('form.rating-form').count()) > 0; attempt += 1) await other.waitForTimeout(100);
      assert.equal(await card.locator('form.rating-form').count(), 0, 'the second device offers no second rating');

      await page.reload();
      await wf.locator('consult-my-topics').waitFor();
      await cardShows(page, title, [feedback, mine], 'the first device again: the code has rated');
      for (let attempt = 0; attempt < 100 && (await topicCard(page, title).locator('form.rating-form').count()) > 0; attempt += 1) await page.waitForTimeout(100);
      assert.equal(await topicCard(page, title).locator('form.rating-form').count(), 0, 'the first device knows the code has rated');
      const ratings = (await topicLog(server.url, programme, topicId)).filter((e) => e.event.type === 'rating.submit');
      assert.equal(ratings.length, 1, 'one rating for the code');
      assert.match(ratings[0]!.by.id ?? '', /^follow:[0-9a-f]{16}$/, 'the server stamped who rated');

      // 5. A rejected topic shows the reason to the resident.
      if (config.step.screening) {
        await wf.locator('nav').getByRole('button', { name: '提出议题' }).click();
        const rejectedTitle = `旅程议题 ${n}：邻里私事 Journey ${n} private`;
        await fillForm(page, config, answersFor(config, n, rejectedTitle));
        const rejectedCode = (await topicCard(page, rejectedTitle).locator('strong.code').textContent({ timeout: 20_000 }))!.trim();
        assert.notEqual(rejectedCode, code, 'each topic has its own code');
        const rejected = (await (await fetch(`${server.url}/api/programmes/${programme}/topics?followCode=${encodeURIComponent(rejectedCode)}`)).json()) as {
          items: Array<{ topicId: string }>;
        };
        const reason = `属于个人纠纷，请通过人民调解解决 ${n}`;
        await sendStaff(server.url, programme, rejected.items[0]!.topicId, { type: 'screening.reject', reason, by: { role: 'convener' }, at: '' } as TopicEvent);
        await page.reload();
        await wf.locator('consult-my-topics').waitFor();
        await cardShows(page, rejectedTitle, [`理由：${reason}`], 'the rejection, with its reason');
      }

      // Nothing personal the resident typed reaches anyone without a token.
      const personal = Object.values(personalAnswers(n));
      const open = [
        `/api/programmes/${programme}/events`,
        `/api/programmes/${programme}/topics/${encodeURIComponent(topicId)}/events`,
        `/api/programmes/${programme}/topics`,
        `/api/programmes/${programme}/figures`,
      ];
      for (const path of open) {
        const res = await fetch(`${server.url}${path}`);
        assert.equal(res.status, 200, path);
        const bytes = await res.text();
        for (const value of personal) assert.ok(!bytes.includes(value), `${path} must not hold "${value}"`);
      }
      // …while the convener, whose role sees personal data, gets them joined.
      const joined = JSON.stringify(await topicLog(server.url, programme, topicId));
      const typed = formFields(config).filter((f) => f.personal && typeof values[f.name] === 'string').map((f) => values[f.name] as string);
      for (const value of typed) assert.ok(joined.includes(value), `the convener sees "${value}"`);

      for (const trouble of troubles) {
        assert.deepEqual(trouble.pageErrors, []);
        assert.deepEqual(trouble.cspViolations, []);
      }
    });
  });
});
