/**
 * The portal's issue-20 pages (examples/portal: rooms, poster, report, record, dossier, and the
 * rooms' and figures' parts of results and staff) served as `npm start` serves them — with the
 * demo history, under the portal's strict CSP — in Chromium: each loads with no page error, no
 * console error and no CSP violation; the values of its address reach the elements and links
 * (a scanned poster's `?programme=&room=&source=` presets the intake form); axe finds nothing on
 * the page's own markup; the new member token signs in.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Browser, Page } from 'playwright-core';
import { loadOptions } from '../src/config.js';
import { startServer, type RunningServer } from '../src/server.js';
import { EMBED_ESM, launchChromium, watch, type PageTrouble } from '../../embed/test/chromium.js';
import { pgliteTemplate } from './helpers.js';
import { ROOT } from './openapi.js';

const PORTAL = join(ROOT, 'examples/portal');
const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const TOKENS = JSON.parse(readFileSync(join(PORTAL, 'demo-tokens.json'), 'utf8')) as Record<string, { role?: string; id: string }>;
const WUXI = 'wuxi-youshi-haoshangliang';
const ROOM = 'qingmingqiao-shequ';

describe('the portal pages of rooms, posters, reports and records (with the demo history)', () => {
  const work = mkdtempSync(join(tmpdir(), 'consult-kit-demo-portal-'));
  let server: RunningServer;
  let browser: Browser;
  let topic: string;

  before(async () => {
    const dataDir = join(work, 'data');
    cpSync(join(ROOT, 'examples/configs'), join(work, 'configs'), { recursive: true });
    const pg = await PGlite.create(dataDir, { loadDataDir: await pgliteTemplate() });
    await pg.close();
    const options = loadOptions(
      ['--data', dataDir, '--port', '0', '--host', '127.0.0.1', '--seed', join(work, 'configs'), '--tokens', join(PORTAL, 'demo-tokens.json'), '--portal', PORTAL, '--assets', join(EMBED_ESM, '..'), '--log-level', 'silent'],
      { CONSULT_TOKENS: undefined },
    );
    server = await startServer({ ...options, demoHistory: true });
    const [row] = await server.db.query<{ topic_id: string }>(`select topic_id from topic_index where programme_id = $1 and room = $2 and status = 'closed' limit 1`, [WUXI, ROOM]);
    topic = row!.topic_id;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** Opens a page and lets it settle; what went wrong on it. */
  async function open(path: string): Promise<{ page: Page; trouble: PageTrouble }> {
    const page = await browser.newPage();
    const trouble = await watch(page);
    await page.goto(`${server.url}${path}`, { waitUntil: 'networkidle' });
    return { page, trouble };
  }

  function clean(trouble: PageTrouble, what: string): void {
    assert.deepEqual(trouble.pageErrors, [], `${what}: page errors`);
    assert.deepEqual(trouble.cspViolations, [], `${what}: CSP violations`);
    assert.deepEqual(trouble.consoleErrors.filter((e) => !e.includes('401')), [], `${what}: console errors`);
  }

  /** axe over the page (its own markup; each element's shadow tree is checked by its own tests). */
  async function axe(page: Page, what: string): Promise<void> {
    await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const run = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe.run;
      const result = await run(
        { include: [['body']], exclude: [['consult-room'], ['consult-room-poster'], ['consult-room-report'], ['consult-meeting-record'], ['consult-topic-dossier'], ['consult-performance-file'], ['consult-report-exports'], ['consult-programme-figures'], ['consult-outcomes-board'], ['consult-workflow'], ['consult-overdue-list'], ['consult-sign-in']] },
        { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } },
      );
      return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
    });
    assert.deepEqual(violations, [], `${what}: axe`);
  }

  const attrs = (page: Page, selector: string, names: string[]) =>
    page.$eval(selector, (el, list) => Object.fromEntries(list.map((n) => [n, el.getAttribute(n)])), names);

  it('rooms.html: the list of a programme, then one room with its poster and report links', async () => {
    const list = await open(`/rooms?programme=${WUXI}`);
    clean(list.trouble, 'rooms list');
    assert.deepEqual(await attrs(list.page, 'consult-room', ['programme', 'room', 'room-href']), { programme: WUXI, room: null, 'room-href': `/rooms?programme=${WUXI}&room={room}` });
    assert.equal(await list.page.$eval(`a[data-programme-link="${WUXI}"]`, (a) => a.getAttribute('aria-current')), 'page');
    await axe(list.page, 'rooms list');
    await list.page.close();

    const one = await open(`/rooms?programme=${WUXI}&room=${ROOM}`);
    clean(one.trouble, 'room page');
    assert.deepEqual(await attrs(one.page, 'consult-room', ['programme', 'room', 'poster-href', 'report-href']), {
      programme: WUXI,
      room: ROOM,
      'poster-href': `/poster?programme=${WUXI}&room=${ROOM}`,
      'report-href': `/report?programme=${WUXI}&room=${ROOM}`,
    });
    const raise = await one.page.$$eval('.page-links a', (links) => links.map((a) => a.getAttribute('href')));
    assert.ok(raise.includes(`/?programme=${WUXI}&room=${ROOM}&source=resident#raise`), raise.join(' '));
    await axe(one.page, 'room page');
    await one.page.close();
  });

  it('an address that is not an id is dropped, never written into the page', async () => {
    const { page, trouble } = await open(`/rooms?programme=${WUXI}&room=${encodeURIComponent('"><img src=x onerror=alert(1)>')}`);
    clean(trouble, 'hostile room');
    assert.equal(await page.$eval('consult-room', (el) => el.getAttribute('room')), null);
    assert.equal(await page.$$eval('img[src="x"]', (found) => found.length), 0);
    await page.close();
  });

  for (const [path, tag, expected] of [
    [`/poster?programme=${WUXI}&room=${ROOM}`, 'consult-room-poster', { programme: WUXI, room: ROOM }],
    [`/report?programme=${WUXI}&room=${ROOM}&period=2026`, 'consult-room-report', { programme: WUXI, room: ROOM, period: '2026' }],
  ] as const) {
    it(`${path.split('?')[0]}.html: ${tag} alone, for printing`, async () => {
      const { page, trouble } = await open(path);
      clean(trouble, path);
      assert.deepEqual(await attrs(page, tag, Object.keys(expected)), expected);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.$eval('.site-header', (el) => getComputedStyle(el).display), 'none', 'the portal chrome is not printed');
      await axe(page, path);
      await page.close();
    });
  }

  it('record.html and dossier.html take the topic (and round) from the address', async () => {
    const record = await open(`/record?programme=${WUXI}&topic=${topic}&round=1`);
    clean(record.trouble, 'record');
    assert.deepEqual(await attrs(record.page, 'consult-meeting-record', ['programme', 'topic-id', 'round']), { programme: WUXI, 'topic-id': topic, round: '1' });
    await axe(record.page, 'record');
    await record.page.close();
    const dossier = await open(`/dossier?programme=${WUXI}&topic=${topic}`);
    clean(dossier.trouble, 'dossier');
    assert.deepEqual(await attrs(dossier.page, 'consult-topic-dossier', ['programme', 'topic-id']), { programme: WUXI, 'topic-id': topic });
    await axe(dossier.page, 'dossier');
    await dossier.page.close();
  });

  it('a scanned poster opens the intake of its programme with the room and the source preset', async () => {
    const { page, trouble } = await open(`/?programme=${WUXI}&room=${ROOM}&source=resident#raise`);
    clean(trouble, 'intake');
    assert.deepEqual(await attrs(page, 'consult-workflow', ['config', 'room', 'source']), { config: `/api/programmes/${WUXI}/config`, room: ROOM, source: 'resident' });
    await page.close();
  });

  it('results.html shows the figures and the rooms of the programme; staff.html the files, exports and links', async () => {
    const results = await open(`/results?programme=${WUXI}`);
    clean(results.trouble, 'results');
    for (const tag of ['consult-programme-figures', 'consult-room', 'consult-outcomes-board']) assert.equal(await results.page.$eval(tag, (el) => el.getAttribute('programme')), WUXI, tag);
    await axe(results.page, 'results');
    await results.page.close();
    const staff = await open(`/staff?programme=${WUXI}`);
    clean(staff.trouble, 'staff');
    for (const tag of ['consult-performance-file', 'consult-report-exports', 'consult-overdue-list']) assert.equal(await staff.page.$eval(tag, (el) => el.getAttribute('programme')), WUXI, tag);
    assert.equal(await staff.page.$eval('consult-workflow.staff-view', (el) => el.getAttribute('data-config')), `/api/programmes/${WUXI}/config`);
    await axe(staff.page, 'staff');
    await staff.page.close();
  });

  it('the demo council member token is one the server knows, as a member', async () => {
    const [token, person] = Object.entries(TOKENS).find(([, p]) => p.role === 'member')!;
    assert.equal(person.id, 'm-demo-01');
    const res = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    const me = (await res.json()) as { id: string; roles: string[] };
    assert.deepEqual({ id: me.id, roles: me.roles }, { id: 'm-demo-01', roles: ['member'] });
  });
});
