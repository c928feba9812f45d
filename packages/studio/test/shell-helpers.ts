/**
 * Shared by the shell's Chromium tests: a stand-in server (a `fetch` answering the config routes
 * from example files — only for opening and listing; publishing runs against the real server in
 * shell-publish.browser.test.ts), mounting `<consult-studio>`, reading what a person sees.
 */
import '../src/consult-studio.js';
import type { ConsultStudio } from '../src/shell/studio.component.js';
import type { JsonObject } from '../src/pointer.js';
import { openDB } from 'idb';
import { DRAFTS_DB, type DraftRecord } from '../src/shell/drafts.js';

export const EXAMPLES = ['wuxi-community', 'sichuan-courtyard', 'guangshui-frontline'] as const;

/** An example config's text as the file has it. */
export async function exampleText(name: string): Promise<string> {
  return (await fetch(`/examples/configs/${name}.json`)).text();
}

/** Polls until `condition` holds (a condition that throws counts as not yet); fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (condition()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const squash = (value: string | null | undefined): string => (value ?? '').replace(/\s+/g, ' ').trim();

/** A stand-in server holding programmes (id → text); `offline` makes every call fail like a dropped network. */
export class FakeServer {
  programmes = new Map<string, { text: string; etag: string; version: number }>();
  offline = false;
  calls: string[] = [];

  add(text: string): string {
    const id = (JSON.parse(text) as JsonObject).id as string;
    this.programmes.set(id, { text, etag: `"${id}-1"`, version: 1 });
    return id;
  }

  fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), location.href);
    this.calls.push(`${init.method ?? 'GET'} ${url.pathname}`);
    if (this.offline) throw new TypeError('Failed to fetch');
    const path = url.pathname.replace(/^\/api/, '');
    if (path === '/programmes') {
      const programmes = [...this.programmes.values()].map(({ text }) => {
        const c = JSON.parse(text) as JsonObject;
        return { id: c.id, version: c.version, title: c.title, level: c.level };
      });
      return Response.json({ programmes });
    }
    const match = /^\/programmes\/([^/]+)\/config$/.exec(path);
    const found = match && this.programmes.get(decodeURIComponent(match[1]!));
    if (found && (init.method ?? 'GET') === 'GET') {
      return new Response(found.text, { headers: { 'Content-Type': 'application/json', ETag: found.etag, 'Consult-Config-Version': String(found.version) } });
    }
    return Response.json({ type: 'https://consult-kit.example/problems/not-found', title: 'Not found', status: 404 }, { status: 404 });
  };
}

/** Mounts a studio; waits until it has rendered what it opens. */
export async function mountStudio(options: { server: FakeServer; programme?: string; lang?: string; endpoint?: string }): Promise<ConsultStudio> {
  const el = document.createElement('consult-studio');
  if (options.lang) el.setAttribute('lang', options.lang);
  el.setAttribute('endpoint', options.endpoint ?? '/api');
  if (options.programme) el.setAttribute('programme', options.programme);
  el.fetch = options.server.fetch;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** The studio's shadow root. */
export const shadow = (el: ConsultStudio): ShadowRoot => el.shadowRoot!;

/** The first element matching a selector in the studio's shadow root (fails when there is none). */
export function find<T extends Element = HTMLElement>(el: ConsultStudio, selector: string): T {
  const found = shadow(el).querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

/** A button of the studio by its words. */
export function button(el: ConsultStudio, words: string, root: ParentNode = shadow(el)): HTMLButtonElement {
  const found = [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => squash(b.textContent) === words || b.getAttribute('aria-label') === words);
  if (!found) throw new Error(`no button "${words}"`);
  return found;
}

/** Waits until the studio is editing (its tabs are shown). */
export async function editing(el: ConsultStudio): Promise<void> {
  await waitFor(() => !!shadow(el).querySelector('[role=tablist]'), 'the studio to be editing');
  await el.updateComplete;
}

/** What the live region says (after its short clear-then-set). */
export async function announced(el: ConsultStudio, words: string | RegExp): Promise<string> {
  const live = () => squash(shadow(el).querySelector('[data-live]')?.textContent);
  await waitFor(() => (typeof words === 'string' ? live().includes(words) : words.test(live())), `the live region to say ${String(words)} (it says "${live()}")`);
  return live();
}

/** The element focused, through shadow roots. */
export function deepActive(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** The errors panel's shadow root. */
export const errorsPanel = (el: ConsultStudio): ShadowRoot => find(el, 'consult-studio-errors').shadowRoot!;

/** Captures what export downloads (the Blob handed to `URL.createObjectURL` and the link's name). */
export function captureDownloads(): { files: Array<{ name: string; blob: Blob }>; restore: () => void } {
  const files: Array<{ name: string; blob: Blob }> = [];
  const create = URL.createObjectURL;
  const click = HTMLAnchorElement.prototype.click;
  let last: Blob | undefined;
  URL.createObjectURL = (blob: Blob | MediaSource) => {
    last = blob as Blob;
    return 'blob:captured';
  };
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    if (this.download && last) files.push({ name: this.download, blob: last });
  };
  return {
    files,
    restore: () => {
      URL.createObjectURL = create;
      HTMLAnchorElement.prototype.click = click;
    },
  };
}

/** Chooses a file in the studio's import input, as the file picker would. */
export function chooseFile(el: ConsultStudio, file: File): void {
  const input = find<HTMLInputElement>(el, 'input[type=file]');
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Deletes the drafts database (between tests). */
export async function clearDrafts(): Promise<void> {
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(DRAFTS_DB);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** The draft record as IndexedDB holds it (read with a connection of the test's own, not the studio's). */
export async function stored(key: string): Promise<DraftRecord | undefined> {
  const db = await openDB(DRAFTS_DB, 1, {
    upgrade(d) {
      d.createObjectStore('drafts', { keyPath: 'key' });
    },
  });
  try {
    return (await db.get('drafts', key)) as DraftRecord | undefined;
  } finally {
    db.close();
  }
}
