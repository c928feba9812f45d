/**
 * <consult-report-exports> in real Chromium. The city server is a stubbed `fetch` here (the
 * server's own tests read the real files back): the request URL the choices build, the Bearer
 * token, the saved file (its Blob and name), and every state a person must be told about —
 * signed out, 401, 403, offline, unreachable, a refused query, a server error. axe in both
 * languages; the whole path by keyboard.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import './consult-report-exports.js';
import type { ConsultReportExports, ExportRoom } from './report-exports.component.js';
import { dispositionName, presetPeriod } from './report-exports.component.js';
import { MESSAGES } from '../i18n/messages.js';
import { expectAccessible } from '../../test/a11y.js';

const zh = MESSAGES['zh-CN'];
const en = MESSAGES.en;

const ROOMS: ExportRoom[] = [
  { id: 'qingmingqiao', name: { 'zh-CN': '清名桥社区议事室', en: 'Qingmingqiao community room' }, level: 'community' },
  { id: 'nanchang-street', name: { 'zh-CN': '南长街道议事室', en: 'Nanchang street room' }, level: 'street' },
];

/** 2026-08-15, local noon: this quarter is Q3. */
const NOW = new Date(2026, 7, 15, 12).getTime();

interface Call {
  url: string;
  headers: Headers;
}

let restoreFetch: (() => void) | undefined;
function stubFetch(handler: (url: string) => Response | Promise<Response>): Call[] {
  const calls: Call[] = [];
  const original = window.fetch;
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    calls.push({ url, headers: new Headers(init?.headers) });
    try {
      return Promise.resolve(handler(url));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  };
  restoreFetch = () => {
    window.fetch = original;
  };
  return calls;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } });
const csv = '\uFEFF编号,标题\r\nt1,三号楼加装电梯\r\n';
const csvResponse = () =>
  new Response(new Blob([csv], { type: 'text/csv' }), {
    status: 200,
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="topics.csv"; filename*=UTF-8''${encodeURIComponent('议题_2026.csv')}` },
  });

/** Files the panel "saves" (the Blob URLs it makes and the links it clicks). */
function captureDownloads(): { files: Array<{ name: string; blob: Blob }>; restore: () => void } {
  const files: Array<{ name: string; blob: Blob }> = [];
  const blobs = new Map<string, Blob>();
  const create = URL.createObjectURL.bind(URL);
  const click = HTMLAnchorElement.prototype.click;
  URL.createObjectURL = (obj: Blob | MediaSource) => {
    const url = create(obj);
    if (obj instanceof Blob) blobs.set(url, obj);
    return url;
  };
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.href);
    if (blob && this.download) files.push({ name: this.download, blob });
    else click.call(this);
  };
  return {
    files,
    restore: () => {
      URL.createObjectURL = create;
      HTMLAnchorElement.prototype.click = click;
    },
  };
}

async function mount(attrs: Record<string, string> = {}, props: Partial<Pick<ConsultReportExports, 'token' | 'rooms'>> = { token: 'staff-token', rooms: ROOMS }): Promise<ConsultReportExports> {
  const el = document.createElement('consult-report-exports');
  el.setAttribute('endpoint', '/api');
  el.setAttribute('programme', 'wuxi-youshi-haoshangliang');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.now = NOW;
  Object.assign(el, props);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const root = (el: HTMLElement): ShadowRoot => el.shadowRoot!;
const $ = <T extends Element = HTMLElement>(el: HTMLElement, selector: string) => root(el).querySelector<T>(selector)!;
const statusText = (el: HTMLElement): string => $(el, '[part="status"]').textContent!.replace(/\s+/g, ' ').trim();

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function downloadNow(el: ConsultReportExports): Promise<void> {
  $(el, '#download').click();
  const busy = [zh['exports.downloading'], en['exports.downloading'], ''];
  await waitFor(() => !busy.includes(statusText(el)) || root(el).querySelector('#error-summary') !== null, 'the outcome');
  await el.updateComplete;
}

/** Presses Tab until the element with this id in the panel has focus. */
async function tabTo(el: HTMLElement, id: string, max = 30): Promise<HTMLElement> {
  for (let i = 0; i < max; i += 1) {
    await sendKeys({ press: 'Tab' });
    const active = root(el).activeElement as HTMLElement | null;
    if (active?.id === id) return active;
  }
  throw new Error(`Tab never reached #${id}`);
}

beforeEach(async () => {
  await setViewport({ width: 800, height: 900 });
});

afterEach(() => {
  document.body.replaceChildren();
  restoreFetch?.();
  restoreFetch = undefined;
});

describe('<consult-report-exports>: the request', () => {
  it('asks for the chosen kind, format, period, room and level with the Bearer token, and saves the file the server names', async () => {
    const calls = stubFetch(() => csvResponse());
    const el = await mount();
    $<HTMLInputElement>(el, '#kind-measures').click();
    $<HTMLInputElement>(el, '#format-csv').click();
    $(el, '#preset-thisQuarter').click();
    await el.updateComplete;
    expect($<HTMLInputElement>(el, '#from').value).to.equal('2026-07-01');
    expect($<HTMLInputElement>(el, '#to').value).to.equal('2026-09-30');
    const room = $<HTMLSelectElement>(el, '#room');
    expect([...room.options].map((o) => o.textContent!.trim())).to.deep.equal(['全部议事室', '清名桥社区议事室', '南长街道议事室']);
    room.value = 'qingmingqiao';
    room.dispatchEvent(new Event('change'));
    const level = $<HTMLSelectElement>(el, '#level');
    expect([...level.options].map((o) => o.textContent!.trim())).to.deep.equal([zh['exports.level.all'], zh['staff.level.community'], zh['staff.level.street']]);
    level.value = 'community';
    level.dispatchEvent(new Event('change'));

    const downloads = captureDownloads();
    try {
      await downloadNow(el);
    } finally {
      downloads.restore();
    }
    expect(calls).to.have.length(1);
    const url = new URL(calls[0]!.url, location.href);
    expect(url.pathname).to.equal('/api/programmes/wuxi-youshi-haoshangliang/reports/measures.csv');
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({ from: '2026-07-01', to: '2026-09-30', lang: 'zh-CN', room: 'qingmingqiao', level: 'community' });
    expect(calls[0]!.headers.get('Authorization')).to.equal('Bearer staff-token');
    expect(calls[0]!.headers.get('Accept')).to.include('text/csv');
    expect(downloads.files.map((f) => f.name)).to.deep.equal(['议题_2026.csv']);
    const bytes = new Uint8Array(await downloads.files[0]!.blob.arrayBuffer());
    expect([...bytes.slice(0, 3)], 'the byte-order mark kept').to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), 'the bytes as the server sent them').to.equal(csv);
    expect(statusText(el)).to.match(/^已保存 议题_2026\.csv（0\.\d KB）。$/);
  });

  it('asks for Excel by default for this year, in the panel’s language, and gets the token from a function', async () => {
    const calls = stubFetch(() => new Response(new Blob(['PK']), { status: 200 }));
    const el = await mount({ lang: 'en' }, { token: async () => 'fresh-token', rooms: [] });
    const downloads = captureDownloads();
    try {
      await downloadNow(el);
    } finally {
      downloads.restore();
    }
    expect(calls[0]!.url).to.equal('/api/programmes/wuxi-youshi-haoshangliang/reports/topics.xlsx?from=2026-01-01&to=2026-12-31&lang=en');
    expect(calls[0]!.headers.get('Authorization')).to.equal('Bearer fresh-token');
    expect(downloads.files.map((f) => f.name), 'a name of its own when the server gives none').to.deep.equal(['wuxi-youshi-haoshangliang_topics_2026-01-01_2026-12-31.xlsx']);
    expect(root(el).querySelector('#level'), 'no level choice without rooms').to.equal(null);
    $(el, '#preset-lastYear').click();
    await el.updateComplete;
    expect(el.requestUrl()).to.equal('/api/programmes/wuxi-youshi-haoshangliang/reports/topics.xlsx?from=2025-01-01&to=2025-12-31&lang=en');
  });

  it('reads the rooms from the server when none are given, and says when they cannot be read', async () => {
    const calls = stubFetch((url) => (url.endsWith('/rooms') ? json({ rooms: ROOMS.map((r) => ({ ...r, intakeUrl: '?room=' + r.id })) }) : json({}, 500)));
    const el = await mount({}, { token: 't' });
    await waitFor(() => $<HTMLSelectElement>(el, '#room').options.length === 3, 'the rooms');
    expect(calls.map((c) => c.url)).to.deep.equal(['/api/programmes/wuxi-youshi-haoshangliang/rooms']);
    expect(calls[0]!.headers.get('Authorization'), 'the rooms are public: no token sent').to.equal(null);
    el.remove();
    restoreFetch!();
    stubFetch(() => json({ title: 'down' }, 503));
    const failed = await mount({}, { token: 't' });
    await waitFor(() => root(failed).querySelector('#room-note') !== null, 'the rooms note');
    expect($(failed, '#room-note').textContent).to.equal(zh['exports.room.unavailable']);
    await expectAccessible(failed);
  });

  it('says that personal columns depend on the role (the server decides)', async () => {
    const el = await mount();
    expect($(el, '[part="personal"]').textContent).to.equal(zh['exports.personal']);
  });
});

describe('<consult-report-exports>: what goes wrong, in words', () => {
  const cases: Array<[string, () => Response, string]> = [
    ['401', () => json({ title: 'Unauthorized' }, 401), en['exports.error.unauthenticated']],
    ['403', () => json({ title: 'Forbidden' }, 403), en['exports.error.forbidden']],
    ['400 with the server’s reason', () => json({ title: 'Bad request', detail: 'to: must not be before from' }, 400), en['exports.error.refused'].replace('{detail}', 'to: must not be before from')],
    ['503', () => json({ title: 'Service unavailable' }, 503), en['exports.error.unavailable'].replace('{detail}', 'Service unavailable')],
  ];
  for (const [label, answer, message] of cases) {
    it(`a ${label} answer is said as an alert, and nothing is saved`, async () => {
      stubFetch(answer);
      const el = await mount({ lang: 'en' });
      const downloads = captureDownloads();
      try {
        await downloadNow(el);
      } finally {
        downloads.restore();
      }
      expect(downloads.files).to.deep.equal([]);
      expect($(el, '[part="status"]').getAttribute('role')).to.equal('alert');
      expect(statusText(el)).to.equal(message);
      await expectAccessible(el);
    });
  }

  it('without a token it asks to sign in and sends nothing', async () => {
    const calls = stubFetch(() => csvResponse());
    const el = await mount({}, { rooms: ROOMS });
    await downloadNow(el);
    expect(calls).to.deep.equal([]);
    expect(statusText(el)).to.equal(zh['exports.error.signedOut']);
  });

  it('offline it says so without asking; a network failure says the server could not be reached', async () => {
    const calls = stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const el = await mount();
    const online = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine')!;
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      await downloadNow(el);
      expect(statusText(el)).to.equal(zh['exports.error.offline']);
      expect(calls).to.deep.equal([]);
    } finally {
      delete (navigator as { onLine?: boolean }).onLine;
      Object.defineProperty(Navigator.prototype, 'onLine', online);
    }
    await downloadNow(el);
    expect(calls).to.have.length(1);
    expect(statusText(el)).to.equal(zh['exports.error.unreachable']);
  });

  it('an impossible period is listed in a focused error summary whose links reach the fields; nothing is sent', async () => {
    const calls = stubFetch(() => csvResponse());
    const el = await mount({ lang: 'en' });
    const from = $<HTMLInputElement>(el, '#from');
    from.value = '2026-05-01';
    from.dispatchEvent(new Event('change'));
    const to = $<HTMLInputElement>(el, '#to');
    to.value = '2026-04-30';
    to.dispatchEvent(new Event('change'));
    await el.download();
    expect(calls).to.deep.equal([]);
    const summary = $(el, '#error-summary');
    expect(root(el).activeElement).to.equal(summary);
    expect(summary.textContent).to.include(en['exports.error.order']);
    expect(to.getAttribute('aria-invalid')).to.equal('true');
    await expectAccessible(el);
    summary.querySelector<HTMLAnchorElement>('a')!.click();
    expect(root(el).activeElement).to.equal(to);
    from.value = '';
    from.dispatchEvent(new Event('change'));
    await el.download();
    expect($(el, '#error-summary').textContent).to.include(en['exports.error.fromMissing']);
  });
});

describe('<consult-report-exports>: keyboard and languages', () => {
  it('chooses and downloads by keyboard alone', async () => {
    const calls = stubFetch(() => csvResponse());
    const el = await mount({ lang: 'en' });
    const start = document.createElement('button');
    start.textContent = 'before';
    document.body.prepend(start);
    start.focus();
    await tabTo(el, 'kind-topics');
    await sendKeys({ press: 'ArrowDown' }); // measures
    await sendKeys({ press: 'ArrowDown' }); // meetings
    await tabTo(el, 'format-xlsx');
    await sendKeys({ press: 'ArrowDown' }); // csv
    await tabTo(el, 'preset-lastYear');
    await sendKeys({ press: 'Enter' });
    await tabTo(el, 'room');
    await sendKeys({ press: 'ArrowDown' });
    await tabTo(el, 'download');
    const downloads = captureDownloads();
    try {
      await sendKeys({ press: 'Enter' });
      await waitFor(() => downloads.files.length === 1, 'the file');
    } finally {
      downloads.restore();
    }
    expect(calls[0]!.url).to.equal('/api/programmes/wuxi-youshi-haoshangliang/reports/meetings.csv?from=2025-01-01&to=2025-12-31&lang=en&room=qingmingqiao');
    await el.updateComplete;
    expect(statusText(el)).to.match(/^Saved 议题_2026\.csv \(0\.\d KB\)\.$/);
  });

  it('is accessible in zh-CN and en, with every label in the language', async () => {
    const el = await mount();
    expect($(el, '#title').textContent).to.equal('下载报表');
    expect($(el, 'label[for="kind-rooms"]').textContent).to.equal('议事室数据');
    await expectAccessible(el, 'exports zh-CN');
    el.setAttribute('lang', 'en');
    await el.updateComplete;
    await waitFor(() => $(el, '#title').textContent === 'Download reports', 'English');
    expect($(el, 'label[for="to"]').textContent).to.equal(en['exports.to']);
    await expectAccessible(el, 'exports en');
  });
});

describe('export helpers', () => {
  it('presets count on the device’s calendar; file names from Content-Disposition stay plain', () => {
    expect(presetPeriod('thisQuarter', new Date(2026, 0, 1))).to.deep.equal({ from: '2026-01-01', to: '2026-03-31' });
    expect(presetPeriod('thisQuarter', new Date(2026, 11, 31))).to.deep.equal({ from: '2026-10-01', to: '2026-12-31' });
    expect(presetPeriod('lastYear', new Date(2026, 5, 1))).to.deep.equal({ from: '2025-01-01', to: '2025-12-31' });
    expect(dispositionName('attachment; filename="a.csv"')).to.equal('a.csv');
    expect(dispositionName(`attachment; filename*=UTF-8''%E8%AE%AE%E9%A2%98.xlsx`)).to.equal('议题.xlsx');
    expect(dispositionName('attachment; filename="../../etc/passwd"')).to.equal('.._.._etc_passwd');
    expect(dispositionName(null)).to.equal(undefined);
  });
});
