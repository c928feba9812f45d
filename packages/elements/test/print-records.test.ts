/**
 * The printable records on paper: each element, with a LONG record (40 measures, 30
 * participants) built and replayed with the machine, on a page bundled from the sources
 * (print-records/page.ts), in real Chromium's print emulation at A4 width (794 px). A screenshot
 * of each (its first two A4 heights) goes to docs/images/records/; then Chromium prints it to PDF (A4) and the PDF is read
 * back with pdfjs-dist to check what a person holding the paper would notice:
 *
 * - the long record takes more than one page;
 * - every measure's text is whole on one page (a row cut across pages would leave its start on
 *   one page and its end on the next), and in the meeting record and the room report it appears
 *   exactly once;
 * - the measures table's header row is printed again on every page that holds measures;
 * - the Print button is not printed; the page is A4 (595 × 842 pt).
 *
 * Skips, saying why, only when no Chromium is installed (scripts/ensure-chromium.mjs installs it).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../../scripts/ensure-chromium.mjs';
import { pageBundle, portal } from '../../store/test/portal-page.js';

// pdfjs-dist 6 expects Node 22's Promise.withResolvers even in its legacy build; Node here is 20.
const promiseStatics = Promise as unknown as { withResolvers?: () => unknown };
promiseStatics.withResolvers ??= function withResolvers<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');

const CHROMIUM = findChromium();
const IMAGES = join(import.meta.dirname, '../../../docs/images/records');
const MEASURES = 40;
const PARTICIPANTS = 30;

/** Every measure's text as the fixture writes it (fixture.ts `measures`), without white space. */
const measureText = (i: number, lang: 'en' | 'zh-CN') =>
  (lang === 'en'
    ? `Measure ${i}: repaint the parking bays by building ${i}, fit two lights and a ramp, and tell every household in the stairwell notice`
    : `措施${i}：重新施划${i}号楼旁的停车位，加装两盏路灯和一段无障碍坡道，并在楼道公告栏告知每一户居民`
  ).replace(/\s+/g, '');
/** The start of a measure's text, unique to it (`Measure 1:` is not a prefix of `Measure 10:` once the next word follows). */
const measureStart = (i: number, lang: 'en' | 'zh-CN') => (lang === 'en' ? `Measure${i}:repaint` : `措施${i}：重新`);

const count = (text: string, part: string) => text.split(part).length - 1;

/** The text of each page of a PDF, white space removed (pdf.js splits lines and words into items). */
async function pdfPages(pdf: Buffer): Promise<{ texts: string[]; sizes: Array<[number, number]> }> {
  const task = getDocument({ data: new Uint8Array(pdf), useSystemFonts: false });
  const doc = await task.promise;
  const texts: string[] = [];
  const sizes: Array<[number, number]> = [];
  for (let n = 1; n <= doc.numPages; n += 1) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    texts.push(content.items.map((item) => ('str' in item ? item.str : '')).join('').replace(/\s+/g, ''));
    const [, , w, h] = page.view;
    sizes.push([Math.round(w!), Math.round(h!)]);
  }
  await task.destroy();
  return { texts, sizes };
}

describe('printable records on A4 paper (Chromium print emulation, PDF read back)', { skip: CHROMIUM ? false : 'no Chromium installed: run node scripts/ensure-chromium.mjs', timeout: 180_000 }, () => {
  let browser: Browser;
  let site: { url: string; server: Server };

  before(async () => {
    const script = await pageBundle(join(import.meta.dirname, 'print-records/page.ts'));
    site = await portal(script, 'Printable records', '<main></main>');
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: CHROMIUM_ARGS });
    mkdirSync(IMAGES, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.server.close(resolve));
  });

  /** The record on its page, in print emulation at A4 width, screenshot taken; its PDF read back. */
  async function print(tag: string, lang: 'en' | 'zh-CN'): Promise<{ texts: string[]; sizes: Array<[number, number]>; page: Page }> {
    const page = await browser.newPage({ viewport: { width: 794, height: 1123 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${site.url}/?tag=${tag}&lang=${lang}&measures=${MEASURES}&participants=${PARTICIPANTS}`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 30_000 });
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator(`${tag} [part=print]`).isVisible(), false, `${tag}: the Print button is hidden in print`);
    // The first two A4 heights of the record (the docs show how it starts and how a page continues).
    await page.screenshot({ path: join(IMAGES, `${tag.replace('consult-', '')}-${lang}.png`), fullPage: true, clip: { x: 0, y: 0, width: 794, height: 2246 } });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: false });
    assert.deepEqual(errors, [], `${tag}: no page errors`);
    return { ...(await pdfPages(pdf)), page };
  }

  /** Each measure whole on one page: on every page, as many starts as whole texts. */
  function assertNoCutRows(texts: string[], lang: 'en' | 'zh-CN', what: string): void {
    for (let i = 1; i <= MEASURES; i += 1) {
      texts.forEach((text, p) => {
        assert.equal(count(text, measureStart(i, lang)), count(text, measureText(i, lang)), `${what}: measure ${i} is cut on page ${p + 1}`);
      });
    }
  }

  /** On every page with a measure's row, the header row of a table that holds it (one of `header`) again. */
  function assertHeaderRepeats(texts: string[], header: string | string[], lang: 'en' | 'zh-CN', what: string): number {
    const headers = typeof header === 'string' ? [header] : header;
    const withRows = texts.map((t, p) => ({ t, p })).filter(({ t }) => Array.from({ length: MEASURES }, (_, i) => t.includes(measureText(i + 1, lang))).some(Boolean));
    assert.ok(withRows.length > 1, `${what}: the measures table spans more than one page (${withRows.length})`);
    for (const { t, p } of withRows) assert.ok(headers.some((h) => t.includes(h)), `${what}: the header row “${headers.join('” or “')}” is printed on page ${p + 1}`);
    return withRows.length;
  }

  for (const lang of ['en', 'zh-CN'] as const) {
    it(`the meeting record (${lang}): several A4 pages, every measure once and whole, the header on each page`, async () => {
      const { texts, sizes, page } = await print('consult-meeting-record', lang);
      await page.close();
      assert.ok(texts.length > 1, `more than one page (${texts.length})`);
      for (const size of sizes) assert.deepEqual(size, [595, 842], 'A4 pages');
      const all = texts.join('');
      for (let i = 1; i <= MEASURES; i += 1) assert.equal(count(all, measureText(i, lang)), 1, `measure ${i} printed exactly once`);
      assertNoCutRows(texts, lang, 'meeting record');
      assertHeaderRepeats(texts, lang === 'en' ? 'No.MeasureResponsiblepartyDeadlineSuggestedby' : '序号措施责任单位完成时限提出人', lang, 'meeting record');
      // The five haves and the signature line are on the paper.
      for (const word of lang === 'en' ? ['Time', 'Place', 'Topic', 'Measures', 'Effect', 'Convener’ssignature'] : ['时间', '地点', '主题', '措施', '效果', '召集人签字']) {
        assert.ok(all.includes(word), `“${word}” printed`);
      }
      assert.ok(!all.includes(lang === 'en' ? 'Print' : '打印'), 'the Print button is not printed');
    });
  }

  it('the topic dossier (en): no measure cut across pages in any of its tables; headers repeat', async () => {
    const { texts, page } = await print('consult-topic-dossier', 'en');
    await page.close();
    assert.ok(texts.length > 3, `several pages (${texts.length})`);
    assertNoCutRows(texts, 'en', 'dossier');
    // Each measure: in the meeting record, the measures table and three log entries (adopted, progress, implemented).
    const all = texts.join('');
    for (let i = 1; i <= MEASURES; i += 1) assert.equal(count(all, measureText(i, 'en')), 5, `measure ${i} printed whole five times`);
    // Measures are in three tables here (the meeting record's, the measures', the log's): each page shows the header of the one it continues.
    const measuresHeader = 'No.MeasureResponsiblepartyDeadlineStatusNotesandresult';
    assertHeaderRepeats(texts, ['No.MeasureResponsiblepartyDeadlineSuggestedby', measuresHeader, 'WhenWhoWhathappened'], 'en', 'dossier');
    assert.ok(texts.filter((t) => t.includes(measuresHeader)).length > 1, 'the measures table spans pages, its header on each');
  });

  it('the room report (zh-CN): every measure due once and whole; headers repeat', async () => {
    const { texts, page } = await print('consult-room-report', 'zh-CN');
    await page.close();
    assert.ok(texts.length > 1, `more than one page (${texts.length})`);
    const all = texts.join('');
    for (let i = 1; i <= MEASURES; i += 1) assert.equal(count(all, measureText(i, 'zh-CN')), 1, `measure ${i} printed exactly once`);
    assertNoCutRows(texts, 'zh-CN', 'room report');
    assertHeaderRepeats(texts, '措施责任单位完成时限完成情况', 'zh-CN', 'room report measures due');
  });
});
