/**
 * <consult-trend-chart> in real Chromium: bars and lines drawn to the numbers (heights
 * proportional to the values, stacked by source), the text summary naming the highest month, the
 * data table with every month, zh-CN and en month names, "no data yet" instead of an empty box,
 * series told apart by pattern and dash under forced colours, legible at 390 px, reached by the
 * keyboard, the server's trends (a stubbed fetch: the request it makes, a refusal and "Try
 * again"), and axe on every state.
 */
import { expect } from '@esm-bundle/chai';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import type { SourceId, TrendMonth, Trends } from '@consult-kit/machine';
import './consult-trend-chart.js';
import type { ConsultTrendChart } from './trend-chart.component.js';
import { expectAccessible } from '../../test/a11y.js';

function month(key: string, raised: Partial<Record<SourceId, number>>, more: Partial<TrendMonth> = {}): TrendMonth {
  const all = { resident: 0, member: 0, government: 0, grid: 0, open311: 0, ...raised };
  return {
    month: key,
    raised: all,
    raisedTotal: Object.values(all).reduce((a, b) => a + b, 0),
    solved: 0,
    ratings: 0,
    averageSatisfaction: null,
    measuresDue: 0,
    onTime: 0,
    late: 0,
    ...more,
  };
}

/** March to July 2026: 3 raised in March rising to 11 in July, 7 of 29 solved; ratings in three months; measures late in May. */
const TRENDS: Trends = {
  room: null,
  months: [
    month('2026-03', { resident: 2, member: 1 }, { solved: 0, measuresDue: 0 }),
    month('2026-04', { resident: 3, government: 1 }, { solved: 1, ratings: 2, averageSatisfaction: 4, measuresDue: 2, onTime: 2 }),
    month('2026-05', { resident: 4, grid: 2 }, { solved: 2, ratings: 0, averageSatisfaction: null, measuresDue: 4, onTime: 1, late: 3 }),
    month('2026-06', { resident: 1, member: 2, grid: 2 }, { solved: 1, ratings: 3, averageSatisfaction: 3.5, measuresDue: 3, onTime: 2, late: 1 }),
    month('2026-07', { resident: 6, member: 2, government: 2, grid: 1 }, { solved: 3, ratings: 4, averageSatisfaction: 4.5, measuresDue: 1, onTime: 1 }),
  ],
};

async function mount(props: Partial<ConsultTrendChart> & { attrs?: Record<string, string> } = {}): Promise<ConsultTrendChart> {
  const { attrs = {}, ...rest } = props;
  const el = document.createElement('consult-trend-chart');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  Object.assign(el, rest);
  document.body.append(el);
  await el.updateComplete;
  // The first measurement of the element's width (ResizeObserver), and the render it makes.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r))));
  await el.updateComplete;
  return el;
}

/** Waits (a frame at a time) until `check` holds. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => requestAnimationFrame(r));
  if (!check()) throw new Error(`never happened: ${what}`);
}

const chart = (el: ConsultTrendChart, kind: string) => el.shadowRoot!.querySelector<HTMLElement>(`figure[data-kind="${kind}"]`)!;
const bars = (figure: Element) => [...figure.querySelectorAll<SVGRectElement>('svg.svg rect.bar')];
const num = (el: Element, name: string) => Number(el.getAttribute(name));

beforeEach(async () => {
  await setViewport({ width: 1024, height: 800 });
});

afterEach(() => {
  for (const el of document.querySelectorAll('consult-trend-chart')) el.remove();
});

describe('<consult-trend-chart>', () => {
  it('draws topics raised stacked by source, bar heights proportional to the values, the solved line on top, and says what it shows', async () => {
    const el = await mount({ trends: TRENDS, kind: 'raised', attrs: { lang: 'en' } });
    const figure = chart(el, 'raised');
    expect(el.shadowRoot!.querySelectorAll('figure')).to.have.length(1);
    const rects = bars(figure);
    // One rect per non-zero (month, source): 2 + 2 + 2 + 3 + 4.
    expect(rects).to.have.length(13);
    const perUnit = rects.map((r) => num(r, 'height') / num(r, 'data-value'));
    for (const u of perUnit) expect(u).to.be.closeTo(perUnit[0]!, 0.01);
    // Stacked: within a month each segment starts where the one below ends, residents at the bottom.
    const july = rects.filter((r) => r.dataset.month === '2026-07');
    expect(july.map((r) => r.dataset.series)).to.deep.equal(['resident', 'member', 'government', 'grid']);
    for (let i = 1; i < july.length; i++) expect(num(july[i]!, 'y') + num(july[i]!, 'height')).to.be.closeTo(num(july[i - 1]!, 'y'), 0.01);
    // July's stack (11) is the tallest; March's (3) is 3/11 of it.
    const total = (m: string) => rects.filter((r) => r.dataset.month === m).reduce((h, r) => h + num(r, 'height'), 0);
    expect(total('2026-03') / total('2026-07')).to.be.closeTo(3 / 11, 0.01);
    // Solved: a dashed line through one marker a month, at heights of the same scale.
    const points = [...figure.querySelectorAll<SVGRectElement>('svg.svg rect.point--solved')];
    expect(points.map((p) => p.dataset.value)).to.deep.equal(['0', '1', '2', '1', '3']);
    const baseline = num(points[0]!, 'y');
    expect((baseline - num(points[4]!, 'y')) / perUnit[0]!).to.be.closeTo(3, 0.01);
    expect(figure.querySelector('polyline.line--solved')!.getAttribute('points')!.split(' ')).to.have.length(5);

    const svgEl = figure.querySelector('svg.svg')!;
    expect(svgEl.getAttribute('role')).to.equal('img');
    expect(svgEl.getAttribute('aria-label')).to.equal('Topics raised and solved, month by month, March 2026 to July 2026.');
    const summary = figure.querySelector('.summary')!;
    expect(svgEl.getAttribute('aria-describedby')).to.equal(summary.id);
    expect(summary.textContent).to.equal(
      'Topics raised rose from 3 in March 2026 to 11 in July 2026; the most were raised in July 2026 (11). 7 of 29 solved (24%).',
    );
    // The key names every source and the line, and each source has a pattern of its own.
    const legend = [...figure.querySelectorAll('.legend li')].map((li) => li.textContent!.trim());
    expect(legend).to.deep.equal(['Proposed by residents', 'Recommended by a council member', 'Assigned by the Party and government', 'Screened by grid workers', 'Solved']);
    const patterns = [...figure.querySelectorAll('pattern')].map((p) => p.dataset.pattern);
    expect(new Set(patterns).size).to.equal(4);
    // Month labels in English with the year under the first.
    expect([...figure.querySelectorAll('.tick--x')].map((t) => t.textContent)).to.deep.equal(['Mar', 'Apr', 'May', 'Jun', 'Jul']);
    expect([...figure.querySelectorAll('.tick--year')].map((t) => t.textContent)).to.deep.equal(['2026']);
    await expectAccessible(el);
  });

  it('lists every month in the data table with row and column headers (zh-CN month names)', async () => {
    const el = await mount({ trends: TRENDS, kind: 'raised', attrs: { lang: 'zh-CN' } });
    const figure = chart(el, 'raised');
    const details = figure.querySelector('details')!;
    expect(details.open).to.equal(false);
    expect(details.querySelector('summary')!.textContent).to.equal('以表格查看数据');
    details.open = true;
    const table = details.querySelector('table')!;
    expect([...table.querySelectorAll('thead th')].map((th) => [th.getAttribute('scope'), th.textContent])).to.deep.equal([
      ['col', '月份'],
      ['col', '群众出题'],
      ['col', '委员荐题'],
      ['col', '党政点题'],
      ['col', '网格筛题'],
      ['col', '提出合计'],
      ['col', '办结'],
    ]);
    const rows = [...table.querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.querySelector('th[scope="row"]')!.textContent)).to.deep.equal(['2026年3月', '2026年4月', '2026年5月', '2026年6月', '2026年7月']);
    expect([...rows[4]!.querySelectorAll('td')].map((td) => td.textContent)).to.deep.equal(['6', '2', '2', '1', '11', '3']);
    expect(figure.querySelector('.summary')!.textContent).to.equal('提出的议题从2026年3月的3件增加到2026年7月的11件；2026年7月最多（11件）。共提出29件，办结7件（24%）。');
    expect([...figure.querySelectorAll('.tick--x')].map((t) => t.textContent)).to.deep.equal(['3月', '4月', '5月', '6月', '7月']);
    await expectAccessible(el);
  });

  it('draws average satisfaction against the scale’s top, breaking the line at a month without ratings', async () => {
    const el = await mount({ trends: TRENDS, kind: 'satisfaction', scale: 5, attrs: { lang: 'en' } });
    const figure = chart(el, 'satisfaction');
    const ticks = [...figure.querySelectorAll('.tick--y')].map((t) => t.textContent);
    expect(ticks).to.deep.equal(['0', '1', '2', '3', '4', '5']);
    expect(figure.querySelector('.axis-title')!.textContent).to.equal('Stars (of 5)');
    const points = [...figure.querySelectorAll<SVGCircleElement>('svg.svg circle.point--average')];
    expect(points.map((p) => p.dataset.month)).to.deep.equal(['2026-04', '2026-06', '2026-07']);
    // Heights on the star scale: 4.5 stars is 4.5/4 as high above the axis as 4 stars.
    const axisY = num(figure.querySelector('line.axis')!, 'y1');
    expect((axisY - num(points[2]!, 'cy')) / (axisY - num(points[0]!, 'cy'))).to.be.closeTo(4.5 / 4, 0.001);
    // May has no ratings: the line starts again after it (two pieces), nothing is made up.
    const d = figure.querySelector('path.line--average')!.getAttribute('d')!;
    expect(d.match(/M/g)).to.have.length(2);
    expect(figure.querySelector('.summary')!.textContent).to.equal(
      'Average satisfaction went from 4.0 in April 2026 to 4.5 in July 2026, of 5 stars; the highest was 4.5 in July 2026, from 9 rating(s) in all.',
    );
    const rows = [...figure.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.textContent));
    expect(rows[2]).to.deep.equal(['May 2026', 'none', '0']);
    await expectAccessible(el);
  });

  it('draws measures on time and late per month and names the month with the most late', async () => {
    const el = await mount({ trends: TRENDS, kind: 'measures', attrs: { lang: 'en' } });
    const figure = chart(el, 'measures');
    const rects = bars(figure);
    const may = rects.filter((r) => r.dataset.month === '2026-05');
    expect(may.map((r) => [r.dataset.series, r.dataset.value])).to.deep.equal([
      ['onTime', '1'],
      ['late', '3'],
    ]);
    expect(num(may[1]!, 'height') / num(may[0]!, 'height')).to.be.closeTo(3, 0.01);
    expect(new Set(rects.map((r) => r.dataset.pattern))).to.deep.equal(new Set(['solid', 'cross']));
    expect(figure.querySelector('.summary')!.textContent).to.equal('6 of 10 measures due were implemented on time (60%); 4 late, the most in May 2026 (3).');
    await expectAccessible(el);
  });

  it('draws all three charts when no kind is named, each with its own ids', async () => {
    const el = await mount({ trends: TRENDS, attrs: { lang: 'zh-CN' } });
    expect([...el.shadowRoot!.querySelectorAll('figure')].map((f) => f.dataset.kind)).to.deep.equal(['raised', 'satisfaction', 'measures']);
    const ids = [...el.shadowRoot!.querySelectorAll('[id]')].map((e) => e.id);
    expect(new Set(ids).size).to.equal(ids.length);
    await expectAccessible(el);
  });

  it('says "no data yet" instead of an empty box, and says so per chart when nothing was rated or due', async () => {
    const el = await mount({ trends: { room: null, months: [] }, attrs: { lang: 'en' } });
    expect(el.shadowRoot!.querySelector('svg')).to.equal(null);
    expect(el.shadowRoot!.querySelector('.notice')!.textContent).to.equal('No data yet: the charts appear once topics are raised.');
    await expectAccessible(el);

    const quiet = await mount({ trends: { room: null, months: [month('2026-07', { resident: 2 })] }, attrs: { lang: 'en' } });
    expect(chart(quiet, 'raised').querySelector('svg.svg')).to.not.equal(null);
    expect(chart(quiet, 'raised').querySelector('.summary')!.textContent).to.equal('2 topic(s) raised in July 2026. 0 of 2 solved (0%).');
    expect(chart(quiet, 'satisfaction').querySelector('svg.svg')).to.equal(null);
    expect(chart(quiet, 'satisfaction').querySelector('.summary')!.textContent).to.equal('Nobody has rated yet.');
    expect(chart(quiet, 'measures').querySelector('.summary')!.textContent).to.equal('No measure has fallen due yet.');
    await expectAccessible(quiet);
  });

  it('keeps the series apart under forced colours: system colours, a pattern per source, the solved line dashed', async () => {
    const el = await mount({ trends: TRENDS, attrs: { lang: 'en' } });
    const probe = document.createElement('span');
    document.body.append(probe);
    await emulateMedia({ forcedColors: 'active' });
    try {
      probe.style.color = 'CanvasText';
      const canvasText = getComputedStyle(probe).color;
      probe.style.color = 'Canvas';
      const canvas = getComputedStyle(probe).color;
      expect(canvasText).to.not.equal(canvas);
      const raised = chart(el, 'raised');
      for (const bar of bars(raised)) {
        const style = getComputedStyle(bar);
        expect(style.stroke, 'a bar is outlined in CanvasText').to.equal(canvasText);
        expect(style.strokeWidth).to.not.equal('0px');
      }
      // Each source's pattern: residents solid CanvasText; the others Canvas with CanvasText marks, each of another shape.
      const tiles = [...raised.querySelectorAll('pattern')].map((p) => ({
        kind: p.dataset.pattern,
        bg: getComputedStyle(p.querySelector('.pbg')!).fill,
        mark: p.querySelector('.pmark') ? getComputedStyle(p.querySelector('.pmark')!) : undefined,
      }));
      expect(tiles.map((t) => t.kind)).to.deep.equal(['solid', 'diagonal', 'dots', 'horizontal']);
      expect(tiles[0]!.bg).to.equal(canvasText);
      for (const t of tiles.slice(1)) {
        expect(t.bg).to.equal(canvas);
        expect(t.kind === 'dots' ? t.mark!.fill : t.mark!.stroke).to.equal(canvasText);
      }
      const solved = getComputedStyle(raised.querySelector('.line--solved')!);
      expect(solved.stroke).to.equal(canvasText);
      expect(solved.strokeDasharray).to.not.equal('none');
      const measures = chart(el, 'measures');
      const kinds = new Set(bars(measures).map((b) => b.getAttribute('fill')));
      expect(kinds.size).to.equal(2);
      expect(getComputedStyle(measures.querySelector('pattern[data-pattern="cross"] .pmark')!).stroke).to.equal(canvasText);
      await expectAccessible(el);
    } finally {
      await emulateMedia({ forcedColors: 'none' });
      probe.remove();
    }
  });

  it('fits a 390 px phone: drawn to its width, labels that do not overlap, text of legible size', async () => {
    await setViewport({ width: 390, height: 844 });
    const long: Trends = { room: null, months: Array.from({ length: 14 }, (_, i) => month(`${2025 + Math.floor((i + 5) / 12)}-${String(((i + 5) % 12) + 1).padStart(2, '0')}`, { resident: i + 1 })) };
    const el = await mount({ trends: long, kind: 'raised', attrs: { lang: 'en' } });
    const svgEl = chart(el, 'raised').querySelector<SVGSVGElement>('svg.svg')!;
    const host = el.getBoundingClientRect();
    expect(svgEl.getBoundingClientRect().width).to.be.at.most(host.width + 0.5);
    expect(Number(svgEl.getAttribute('width'))).to.be.at.most(Math.ceil(host.width));
    expect(document.documentElement.scrollWidth).to.be.at.most(390);
    const labels = [...svgEl.querySelectorAll('.tick--x')].map((t) => t.getBoundingClientRect());
    expect(labels.length).to.be.within(4, 14);
    for (let i = 1; i < labels.length; i++) expect(labels[i]!.left).to.be.greaterThan(labels[i - 1]!.right);
    expect(parseFloat(getComputedStyle(svgEl.querySelector('.tick')!).fontSize)).to.be.at.least(12);
    // The years change inside the range: each year is written once under its first month shown.
    expect([...svgEl.querySelectorAll('.tick--year')].map((t) => t.textContent)).to.deep.equal(['2025', '2026']);
    await expectAccessible(el);
  });

  it('is reached by the keyboard: the chart, then its table, opened with Enter', async () => {
    const el = await mount({ trends: TRENDS, kind: 'measures', attrs: { lang: 'en' } });
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(chart(el, 'measures').querySelector('svg.svg'));
    await sendKeys({ press: 'Tab' });
    const summary = chart(el, 'measures').querySelector('details > summary')!;
    expect(el.shadowRoot!.activeElement).to.equal(summary);
    await sendKeys({ press: 'Enter' });
    expect(chart(el, 'measures').querySelector('details')!.open).to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(chart(el, 'measures').querySelector('.table-scroll'));
    before.remove();
  });

  it('reads the trends of a room from the server, and after a refusal tries again', async () => {
    const asked: string[] = [];
    let refuse = true;
    let answer!: () => void;
    const gate = new Promise<void>((r) => (answer = r));
    const fetch = (async (input: RequestInfo | URL) => {
      asked.push(String(input));
      await gate;
      if (refuse) return new Response(JSON.stringify({ title: 'Service Unavailable' }), { status: 503, headers: { 'Content-Type': 'application/problem+json' } });
      return new Response(JSON.stringify({ ...TRENDS, room: 'qingmingqiao-shequ' }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }) as typeof globalThis.fetch;
    const el = document.createElement('consult-trend-chart');
    el.fetch = fetch;
    el.setAttribute('lang', 'en');
    el.setAttribute('endpoint', '/api');
    el.setAttribute('programme', 'wuxi-liangxi');
    el.setAttribute('room', 'qingmingqiao-shequ');
    el.setAttribute('now', '2026-07-20T08:00:00+08:00');
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.notice')!.textContent).to.equal('Loading the trends…');
    expect(asked).to.deep.equal(['/api/programmes/wuxi-liangxi/trends?room=qingmingqiao-shequ&now=2026-07-20T08%3A00%3A00%2B08%3A00']);
    answer();
    await until(() => el.shadowRoot!.querySelector('[role="alert"]') !== null, 'the refusal shown');
    const alert = el.shadowRoot!.querySelector('[role="alert"]')!;
    expect(alert.textContent).to.contain('The trends could not be read from the server (Service Unavailable).');
    await expectAccessible(el);
    refuse = false;
    alert.querySelector('button')!.click();
    await until(() => el.shadowRoot!.querySelectorAll('figure').length === 3, 'the charts drawn');
    expect(asked).to.have.length(2);
    expect(chart(el, 'raised').querySelector('.summary')!.textContent).to.contain('the most were raised in July 2026 (11)');
    await expectAccessible(el);
  });
});
