/**
 * What the Chromium tests of the studio's panes share: a pane mounted on a document of a config
 * (with what it announced collected), its controls found by the JSON Pointer they edit, the focus
 * inside it, and typing into a control as a person does (select all, delete, type).
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { StudioDocument } from '../src/document.js';
import type { Json, JsonObject } from '../src/pointer.js';
import type { StudioElement } from '../src/studio-element.js';

/** An example config of examples/configs/ (the test server's root is the repo's). */
export async function example(file: string): Promise<JsonObject> {
  return (await (await fetch(`/examples/configs/${file}`)).json()) as JsonObject;
}

/** A pane element on a new document of `value`, in `lang`, in the page; `said` collects its announcements. */
export async function mountPane<T extends StudioElement>(tag: string, value: Json, lang = 'zh-CN'): Promise<{ el: T; doc: StudioDocument; said: string[] }> {
  const doc = new StudioDocument(value);
  const el = document.createElement(tag) as T;
  el.setAttribute('lang', lang);
  el.doc = doc;
  const said: string[] = [];
  el.addEventListener('studio-announce', (e) => said.push((e as CustomEvent<{ message: string }>).detail.message));
  document.body.append(el);
  await el.updateComplete;
  return { el, doc, said };
}

export const root = (el: HTMLElement): ShadowRoot => el.shadowRoot!;

/** The `nth` control that edits `pointer` (its `data-pointer`); throws when there is none. */
export const at = <T extends HTMLElement = HTMLElement>(el: HTMLElement, pointer: string, nth = 0): T => {
  const found = root(el).querySelectorAll<T>(`[data-pointer="${CSS.escape(pointer)}"]`)[nth];
  if (!found) throw new Error(`no control for ${pointer}`);
  return found;
};

/** The focused element inside the pane. */
export const active = (el: HTMLElement): HTMLElement | null => root(el).activeElement as HTMLElement | null;

/** After an edit: the pane's render, a task, and the render that may follow. */
export const settle = async (el: StudioElement): Promise<void> => {
  await el.updateComplete;
  await new Promise((r) => setTimeout(r, 0));
  await el.updateComplete;
};

/** Focuses a control (it must take the focus), clears it unless told not to, types `text`. */
export async function typeInto(el: StudioElement, control: HTMLElement, text: string, clear = true): Promise<void> {
  control.focus();
  expect(active(el)).to.equal(control);
  if (clear) {
    await sendKeys({ press: 'Control+a' });
    await sendKeys({ press: 'Backspace' });
  }
  await sendKeys({ type: text });
  await settle(el);
}
