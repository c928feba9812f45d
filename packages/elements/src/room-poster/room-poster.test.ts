/**
 * <consult-room-poster> in real Chromium: the QR code on screen and in the downloaded A4 SVG file
 * are drawn onto a canvas and decoded with jsQR, and the decoded address opens a real
 * <consult-workflow> with the room and source set as a portal sets them from the URL; the
 * topic submitted there is read back from IndexedDB with that room and source. Print emulation at
 * A4 (96 dpi), both languages and both at once, refused addresses, the server's rooms, axe, and
 * the keyboard path to Print and Download.
 */
import { expect } from '@esm-bundle/chai';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import 'jsqr';
import { parseWorkflowConfig, type WorkflowConfig } from '@consult-kit/machine';
import { openStore } from '@consult-kit/store';
import './consult-room-poster.js';
import '../workflow/consult-workflow.js';
import type { ConsultRoomPoster, PosterRoom } from './room-poster.component.js';
import type { ConsultWorkflow } from '../workflow/workflow.component.js';
import { qrTarget } from './qr-target.js';
import { wrapText } from './poster-svg.js';
import { MESSAGES } from '../i18n/messages.js';
import { expectAccessible } from '../../test/a11y.js';

/** jsQR's UMD file sets `self.jsQR` when loaded as a module. */
const jsQR = (globalThis as unknown as { jsQR: (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null }).jsQR;
const zh = MESSAGES['zh-CN'];
const en = MESSAGES.en;

// ── Data ────────────────────────────────────────────────────────────────────────────────────

const PROGRAMME_TITLE = { 'zh-CN': '蒲江县院落议事', en: 'Pujiang courtyard consultation' };

/** A village room of the Sichuan example (its level), with the intake URL the server fills in. */
const ROOM = {
  id: 'erzu-yuanluo',
  name: { 'zh-CN': '二组院落议事室', en: 'Group 2 courtyard room' },
  level: 'village',
  place: { 'zh-CN': '二组活动室（村委会东侧）', en: 'Group 2 hall, east of the village committee' },
  conveners: [
    { id: 'conv-li', name: '李建国', role: 'convener', title: { 'zh-CN': '村党支部书记', en: 'Party branch secretary' } },
    { id: 'conv-wang', name: '王秀英', role: 'member', title: { 'zh-CN': '政协委员', en: 'CPPCC member' } },
  ],
  members: [],
  categories: [],
  raise: { 'zh-CN': '道路、排水、路灯、院落环境，邻里之间需要大家一起商量的事。', en: 'Roads, drains, street lights, the courtyard, and anything neighbours need to talk over together.' },
} as const;

const FILLED = 'https://consult.pujiang.example/raise?programme=sichuan-courtyard&room=erzu-yuanluo&source=resident#raise';

function posterRoom(intakeUrl = FILLED): PosterRoom {
  return { ...structuredClone(ROOM), intakeUrl } as unknown as PosterRoom;
}

/** The Sichuan example with one room: the config the portal's workflow would load. */
async function configWithRoom(): Promise<WorkflowConfig> {
  const raw = (await (await fetch('/examples/configs/sichuan-courtyard.json')).json()) as Record<string, unknown>;
  raw.rooms = { conveners: 2, intakeUrl: 'https://consult.pujiang.example/raise?programme={programme}&room={room}&source={source}#raise', list: [structuredClone(ROOM)] };
  const parsed = parseWorkflowConfig(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function mount(attrs: Record<string, string> = {}, data: PosterRoom | undefined = posterRoom()): Promise<ConsultRoomPoster> {
  const el = document.createElement('consult-room-poster');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (data) el.data = data;
  el.programmeTitle = PROGRAMME_TITLE;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const root = (el: HTMLElement): ShadowRoot => el.shadowRoot!;
const text = (el: HTMLElement): string => root(el).textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** Draws an SVG document onto a canvas of this width and decodes the QR code in it. */
async function decodeSvg(svgText: string, width: number): Promise<string | undefined> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const height = Math.round((width * image.naturalHeight) / image.naturalWidth) || width;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, height);
    context.drawImage(image, 0, 0, width, height);
    const { data } = context.getImageData(0, 0, width, height);
    return jsQR(data, width, height)?.data;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The QR code shown on screen, serialised as a file would be. */
function screenQrText(el: ConsultRoomPoster): string {
  const svgEl = root(el).querySelector('svg.qr');
  expect(svgEl, 'a QR code on screen').to.not.equal(null);
  const copy = svgEl!.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', '300');
  copy.setAttribute('height', '300');
  return new XMLSerializer().serializeToString(copy);
}

/** Files the poster "downloads" (the Blob URLs it makes and the links it clicks). */
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

function startButton(): HTMLButtonElement {
  const button = document.createElement('button');
  button.textContent = 'before the poster';
  document.body.prepend(button);
  return button;
}

/** Presses Tab until the element with this id in the poster's shadow root has focus. */
async function tabTo(el: HTMLElement, id: string, max = 10): Promise<HTMLElement> {
  for (let i = 0; i < max; i += 1) {
    await sendKeys({ press: 'Tab' });
    const active = root(el).activeElement as HTMLElement | null;
    if (active?.id === id) return active;
  }
  throw new Error(`Tab never reached #${id}`);
}

let restoreFetch: (() => void) | undefined;
function stubFetch(handler: (url: string) => Response | Promise<Response>): string[] {
  const calls: string[] = [];
  const original = window.fetch;
  window.fetch = (input: RequestInfo | URL) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    calls.push(url);
    return Promise.resolve(handler(url));
  };
  restoreFetch = () => {
    window.fetch = original;
  };
  return calls;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

let pageLang: string;
beforeEach(async () => {
  pageLang = document.documentElement.lang;
  await setViewport({ width: 800, height: 1000 });
});

afterEach(async () => {
  document.body.replaceChildren();
  document.documentElement.lang = pageLang;
  restoreFetch?.();
  restoreFetch = undefined;
  await emulateMedia({ media: 'screen' });
});

// ── Tests ───────────────────────────────────────────────────────────────────────────────────

describe('<consult-room-poster>: the QR code', () => {
  it('decodes, on screen and in the downloaded A4 SVG, to the room’s filled intake URL', async () => {
    const el = await mount();
    expect(await decodeSvg(screenQrText(el), 400)).to.equal(FILLED);
    expect(root(el).querySelector('[part="url"]')!.textContent!.trim(), 'the address printed under the code').to.equal(FILLED);

    const downloads = captureDownloads();
    try {
      root(el).querySelector<HTMLButtonElement>('#download')!.click();
      await el.updateComplete;
    } finally {
      downloads.restore();
    }
    expect(downloads.files.map((f) => f.name)).to.deep.equal(['poster-erzu-yuanluo.svg']);
    const file = downloads.files[0]!.blob;
    expect(file.type).to.equal('image/svg+xml');
    const svgText = await file.text();
    const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
    expect(doc.querySelector('parsererror'), 'well-formed XML').to.equal(null);
    expect(doc.documentElement.getAttribute('width')).to.equal('210mm');
    expect(doc.documentElement.getAttribute('height')).to.equal('297mm');
    const words = [...doc.querySelectorAll('text')].map((t) => t.textContent).join('');
    for (const line of ['蒲江县院落议事', '二组院落议事室', '扫码议事', '二组活动室', '李建国', '道路、排水']) expect(words).to.include(line);
    expect(words.replace(/\s/g, '')).to.include(FILLED);
    // The whole page, as a printer would draw it at 150 dpi.
    expect(await decodeSvg(svgText, 1240)).to.equal(FILLED);
    expect(text(el)).to.include(zh['poster.downloaded'].replace('{file}', 'poster-erzu-yuanluo.svg'));
  });

  it('completes a relative intake URL against `origin` (else the page’s origin) and encodes the result', async () => {
    const relative = '?programme=sichuan-courtyard&room=erzu-yuanluo&source=resident#raise';
    const el = await mount({ origin: 'https://consult.pujiang.example' }, posterRoom(relative));
    expect(await decodeSvg(screenQrText(el), 400)).to.equal(`https://consult.pujiang.example/${relative}`);
    el.removeAttribute('origin');
    await el.updateComplete;
    expect(await decodeSvg(screenQrText(el), 400)).to.equal(new URL(relative, location.origin).href);
  });

  for (const [label, url, reason] of [
    ['javascript:', 'javascript:alert(1)', 'scheme'],
    ['plain http', 'http://consult.pujiang.example/raise?room=erzu-yuanluo', 'scheme'],
    ['another host by //', '//evil.example/raise', 'scheme'],
    ['data:', 'data:text/html,<b>hi</b>', 'scheme'],
  ] as const) {
    it(`draws no QR code of a ${label} address and says why on screen`, async () => {
      const el = await mount({ lang: 'en' }, posterRoom(url));
      expect(root(el).querySelector('svg.qr')).to.equal(null);
      expect(root(el).querySelector('#print'), 'nothing to print').to.equal(null);
      expect(root(el).querySelector('#download'), 'nothing to download').to.equal(null);
      const refused = root(el).querySelector('[part="refused"]')!;
      expect(refused.getAttribute('role')).to.equal('alert');
      expect(refused.textContent).to.include(en['poster.refused.title']);
      expect(refused.textContent).to.include(reason === 'scheme' ? en['poster.refused.scheme'] : '');
      expect(refused.textContent).to.include(url);
      expect(el.svgText()).to.equal(undefined);
      await expectAccessible(el);
    });
  }

  it('refuses to complete a relative address against an origin that is not https', async () => {
    const el = await mount({ origin: 'http://consult.pujiang.example' }, posterRoom('?room=erzu-yuanluo'));
    expect(root(el).querySelector('svg.qr')).to.equal(null);
    expect(text(el)).to.include(zh['poster.refused.origin'].replace('{origin}', 'http://consult.pujiang.example'));
    expect(qrTarget('/raise?room=a', 'http://localhost:8080')).to.deep.equal({ ok: true, url: 'http://localhost:8080/raise?room=a' });
    expect(qrTarget('/raise', 'not a url').ok).to.equal(false);
  });
});

describe('<consult-room-poster>: scanning opens the right form', () => {
  it('the decoded URL, set on a real <consult-workflow> as the portal does, submits a topic with that room and source', async () => {
    const config = await configWithRoom();
    const el = await mount({}, posterRoom(FILLED.replace('source=resident', 'source=grid')));
    const scanned = new URL((await decodeSvg(screenQrText(el), 400))!);
    el.remove();

    // The portal reads ?room=&source= from its URL and sets the attributes.
    const dbName = `poster-scan-${Math.random().toString(36).slice(2)}`;
    const workflow = document.createElement('consult-workflow') as ConsultWorkflow;
    workflow.setAttribute('db-name', dbName);
    workflow.setAttribute('user-role', 'admin');
    workflow.setAttribute('room', scanned.searchParams.get('room')!);
    workflow.setAttribute('source', scanned.searchParams.get('source')!);
    workflow.config = config;
    document.body.append(workflow);
    const formOf = () => workflow.shadowRoot?.querySelector('consult-topic-form')?.shadowRoot;
    await waitFor(() => Boolean(formOf()?.querySelector('#f-title')), 'the intake form');
    await waitFor(() => formOf()!.querySelector('.room')?.textContent?.trim() === '议事室：二组院落议事室', 'the room line');
    const form = formOf()!;
    const grid = [...form.querySelectorAll<HTMLInputElement>('input[name="$source"]')].find((r) => r.value === 'grid');
    expect(grid?.checked, 'the source from the code (网格筛题) is preselected').to.equal(true);

    form.querySelector<HTMLInputElement>('#f-title')!.focus();
    await sendKeys({ type: '二组进组路坑多' });
    form.querySelector<HTMLInputElement>('#f-matterKind-0')!.click();
    const submitted = new Promise<CustomEvent>((resolve) => workflow.addEventListener('consult-submit', (e) => resolve(e as CustomEvent), { once: true }));
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    const { detail } = await submitted;
    workflow.remove();

    const store = await openStore({ config, dbName });
    try {
      await store.ready;
      const entry = store.log.find((e) => e.topicId === detail.topicId && e.event.type === 'topic.submit');
      expect(entry, 'the topic is in the log on this device').to.not.equal(undefined);
      expect((entry!.event as { room?: string }).room).to.equal('erzu-yuanluo');
      expect((entry!.event as { source?: string }).source).to.equal('grid');
    } finally {
      store.close();
    }
  });

  it('a source the config’s intake does not allow is ignored (the default kept); a room the config does not list is not sent', async () => {
    const config = await configWithRoom();
    const form = document.createElement('consult-topic-form');
    form.setAttribute('db-name', `poster-form-${Math.random().toString(36).slice(2)}`);
    form.setAttribute('lang', 'en');
    form.setAttribute('room', 'erzu-yuanluo');
    form.setAttribute('user-role', 'admin');
    form.setAttribute('source', 'government'); // the Sichuan example takes no 党政点题
    form.config = config;
    document.body.append(form);
    await waitFor(() => Boolean(form.shadowRoot?.querySelector('#f-title')), 'the form');
    await waitFor(() => form.shadowRoot!.querySelector('.room')?.textContent?.trim() === 'Room: Group 2 courtyard room', 'the room line in English');
    await expectAccessible(form);
    form.setAttribute('room', 'no-such-room');
    await form.updateComplete;
    expect(form.shadowRoot!.querySelector('.room'), 'no room line for a room the config does not list').to.equal(null);
    form.shadowRoot!.querySelector<HTMLInputElement>('#f-title')!.focus();
    await sendKeys({ type: 'Potholes on the lane' });
    form.shadowRoot!.querySelector<HTMLInputElement>('#f-matterKind-0')!.click();
    const submitted = new Promise<CustomEvent>((resolve) => form.addEventListener('consult-submit', (e) => resolve(e as CustomEvent), { once: true }));
    form.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    const { detail } = await submitted;
    expect(detail.entry.event.source, 'the default, 群众出题').to.equal('resident');
    expect('room' in detail.entry.event).to.equal(false);
  });
});

describe('<consult-room-poster>: print', () => {
  // A4 at 96 dpi is 794 × 1123 px; the page rule's 12 mm margins leave 703 × 1032 px.
  const PAGE = { width: 794, height: 1123, margin: (12 * 96) / 25.4 };

  for (const attrs of [{ lang: 'zh-CN' }, { lang: 'en' }, { lang: 'zh-CN', bilingual: '' }, { lang: 'en', bilingual: '' }] as Array<Record<string, string>>) {
    it(`fits one A4 page with nothing cut or overflowing (${Object.keys(attrs).includes('bilingual') ? `bilingual, ${attrs.lang} first` : attrs.lang})`, async () => {
      await setViewport({ width: PAGE.width, height: PAGE.height });
      const el = await mount(attrs);
      await waitFor(() => !('bilingual' in attrs) || text(el).includes(attrs.lang === 'en' ? '扫码议事' : 'Scan to raise a matter'), 'the other language');
      await emulateMedia({ media: 'print' });
      const poster = root(el).querySelector<HTMLElement>('[part="poster"]')!;
      expect(getComputedStyle(root(el).querySelector('[part="toolbar"]')!).display, 'the buttons are not printed').to.equal('none');
      const box = poster.getBoundingClientRect();
      expect(box.width).to.be.at.most(PAGE.width - 2 * PAGE.margin + 0.5);
      expect(box.height, 'the poster is one page tall at most').to.be.at.most(PAGE.height - 2 * PAGE.margin + 0.5);
      expect(box.height, 'and fills it').to.be.at.least((PAGE.height - 2 * PAGE.margin) * 0.9);
      for (const child of poster.querySelectorAll<HTMLElement>('*')) {
        const r = child.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        expect(r.left, `${child.className} inside the page`).to.be.at.least(box.left - 0.5);
        expect(r.right, `${child.className} inside the page`).to.be.at.most(box.right + 0.5);
        expect(r.bottom, `${child.className} inside the page`).to.be.at.most(box.bottom + 0.5);
        expect(child.scrollWidth, `${child.className} does not overflow`).to.be.at.most(child.clientWidth + 1);
      }
      const room = root(el).querySelector<HTMLElement>('[part="room-name"]')!;
      expect(parseFloat(getComputedStyle(room).fontSize), 'the room’s name in large type (≥ 40 px ≈ 30 pt)').to.be.at.least(40);
      const details = root(el).querySelector<HTMLElement>('.facts')!;
      expect(parseFloat(getComputedStyle(details).fontSize), 'the smallest text of the poster’s language still large (≥ 17 px ≈ 13 pt)').to.be.at.least(17);
      const qr = root(el).querySelector<SVGElement>('svg.qr')!.getBoundingClientRect();
      expect(qr.width, 'a QR code at least 6 cm wide (read from about 60 cm away)').to.be.at.least((60 * 96) / 25.4 - 1);
      // The downloaded file fits its A4 page as well (above the bottom margin).
      const file = new DOMParser().parseFromString(el.svgText()!, 'image/svg+xml');
      expect(Math.max(...[...file.querySelectorAll('text')].map((t) => Number(t.getAttribute('y'))))).to.be.at.most(297 - 15);
    });
  }

  it('asks the document for an A4 page while it is on the page', async () => {
    const el = await mount();
    const rules = () => document.adoptedStyleSheets.flatMap((s) => [...s.cssRules]).map((r) => r.cssText);
    expect(rules().some((r) => /@page\s*{\s*size: a4/i.test(r) && r.includes('margin: 12mm'))).to.equal(true);
    el.remove();
    expect(rules().some((r) => r.startsWith('@page'))).to.equal(false);
  });
});

describe('<consult-room-poster>: languages and accessibility', () => {
  it('is accessible in zh-CN, in en and bilingual, with the words of each', async () => {
    const el = await mount();
    expect(text(el)).to.include('扫码议事');
    expect(text(el)).to.include('蒲江县院落议事');
    expect(text(el)).to.include('李建国（村党支部书记）');
    expect(root(el).querySelector('svg.qr')!.getAttribute('aria-label')).to.equal(zh['poster.qrLabel'].replace('{room}', '二组院落议事室'));
    await expectAccessible(el, 'poster zh-CN');
    el.setAttribute('lang', 'en');
    await el.updateComplete;
    await waitFor(() => text(el).includes('Scan to raise a matter'), 'English');
    expect(text(el)).to.include('Group 2 courtyard room');
    expect(text(el)).to.include('李建国, Party branch secretary');
    expect(text(el)).to.not.include('扫码议事');
    await expectAccessible(el, 'poster en');
    el.setAttribute('bilingual', '');
    await waitFor(() => text(el).includes('扫码议事'), 'the other language');
    const second = root(el).querySelector('.scan .second')!;
    expect(second.getAttribute('lang'), 'the other language is marked as such').to.equal('zh-CN');
    await expectAccessible(el, 'poster bilingual');
  });
});

describe('<consult-room-poster>: keyboard', () => {
  it('reaches Print and Download by Tab and works them with Enter and Space', async () => {
    const el = await mount({ lang: 'en' });
    let printed = 0;
    const print = window.print;
    window.print = () => {
      printed += 1;
    };
    const downloads = captureDownloads();
    try {
      startButton().focus();
      await tabTo(el, 'print');
      await sendKeys({ press: 'Enter' });
      expect(printed, 'the print dialog is asked for').to.equal(1);
      await tabTo(el, 'download');
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(downloads.files.length).to.equal(1);
      expect(root(el).querySelector('[part="status"]')!.textContent!.trim()).to.equal('Saved poster-erzu-yuanluo.svg.');
    } finally {
      window.print = print;
      downloads.restore();
    }
  });
});

describe('<consult-room-poster>: from the city server', () => {
  it('reads the rooms and the programme’s name, and shows the room asked for', async () => {
    const calls = stubFetch((url) =>
      url.endsWith('/rooms') ? json({ rooms: [{ ...posterRoom(), id: 'other', name: { 'zh-CN': '别的', en: 'Other' } }, posterRoom()] }) : json({ title: PROGRAMME_TITLE }),
    );
    const el = document.createElement('consult-room-poster');
    el.setAttribute('endpoint', '/api');
    el.setAttribute('programme', 'sichuan-courtyard');
    el.setAttribute('room', 'erzu-yuanluo');
    document.body.append(el);
    await waitFor(() => Boolean(root(el).querySelector('svg.qr')), 'the poster');
    expect(calls.sort()).to.deep.equal(['/api/programmes/sichuan-courtyard/config', '/api/programmes/sichuan-courtyard/rooms']);
    expect(root(el).querySelector('[part="room-name"]')!.textContent!.trim()).to.equal('二组院落议事室');
    expect(text(el)).to.include('蒲江县院落议事');
    expect(await decodeSvg(screenQrText(el), 400)).to.equal(FILLED);
  });

  it('says when the room is not there, when the server fails (with a retry) and when offline', async () => {
    let answer: () => Response = () => json({ rooms: [posterRoom()] });
    stubFetch((url) => (url.endsWith('/rooms') ? answer() : json({ title: PROGRAMME_TITLE })));
    const el = document.createElement('consult-room-poster');
    el.setAttribute('endpoint', '/api');
    el.setAttribute('programme', 'sichuan-courtyard');
    el.setAttribute('room', 'nowhere');
    document.body.append(el);
    await waitFor(() => text(el).includes(zh['poster.notFound'].replace('{room}', 'nowhere')), 'not found');
    await expectAccessible(el);

    answer = () => json({ type: 'about:blank', title: 'down' }, 503);
    el.setAttribute('room', 'erzu-yuanluo');
    await waitFor(() => text(el).includes(zh['poster.error.unavailable'].replace('{detail}', 'HTTP 503')), 'the failure');
    const retry = root(el).querySelector<HTMLButtonElement>('[role="alert"] button')!;
    expect(retry.textContent!.trim()).to.equal(zh['poster.retry']);
    await expectAccessible(el);
    answer = () => json({ rooms: [posterRoom()] });
    retry.click();
    await waitFor(() => Boolean(root(el).querySelector('svg.qr')), 'the poster after a retry');

    const online = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine')!;
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      await el.refresh();
      expect(text(el)).to.include(zh['poster.error.offline']);
    } finally {
      delete (navigator as { onLine?: boolean }).onLine;
      Object.defineProperty(Navigator.prototype, 'onLine', online);
    }
  });
});

describe('poster text wrapping', () => {
  it('breaks CJK between characters, Latin at spaces, and a URL anywhere, never past the width', () => {
    expect(wrapText('二组院落议事室', 10, 35)).to.deep.equal(['二组院', '落议事', '室']);
    expect(wrapText('Group 2 courtyard room', 10, 70)).to.deep.equal(['Group 2', 'courtyard', 'room']);
    const url = wrapText(FILLED, 4.5, 180, true);
    expect(url.join('')).to.equal(FILLED);
    for (const line of url) expect(line.length * 4.5 * 0.6).to.be.at.most(180);
  });
});
