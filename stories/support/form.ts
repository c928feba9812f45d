/**
 * Driving `<consult-topic-form>` in play functions the way a person does: with the real keyboard
 * in the story tests (type into a field, Space on a radio or box, arrows in a drop-down), with
 * the pointer in the Storybook UI.
 */
import { expect, waitFor } from 'storybook/test';
import type { ConsultTopicForm } from '../../packages/elements/src/topic-form/topic-form.component.js';
import { realKeyboard } from './keyboard.js';
import { squash } from './render.js';

export const formOf = (canvas: HTMLElement) => canvas.querySelector('consult-topic-form') as ConsultTopicForm;
export const formRoot = (canvas: HTMLElement) => formOf(canvas).shadowRoot!;
export const field = <T extends HTMLElement = HTMLInputElement>(canvas: HTMLElement, id: string) => formRoot(canvas).getElementById(id) as T | null;
export const heading = (canvas: HTMLElement) => squash(formRoot(canvas).getElementById('page-title')?.textContent);

/** Waits for the form's first page. */
export async function formReady(canvas: HTMLElement): Promise<void> {
  await waitFor(() => expect(formRoot(canvas)?.getElementById('page-title')).toBeTruthy(), { timeout: 8000 });
}

/** Types `text` into the field `#id`. */
export async function typeInto(canvas: HTMLElement, id: string, text: string): Promise<void> {
  const control = field<HTMLInputElement | HTMLTextAreaElement>(canvas, id);
  if (!control) throw new Error(`#${id} is not on this page (${heading(canvas)})`);
  control.focus();
  const keyboard = realKeyboard();
  if (keyboard) await keyboard.type(text);
  else {
    control.value = text;
    control.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    control.dispatchEvent(new Event('change', { bubbles: true }));
  }
  await formOf(canvas).updateComplete;
  expect(control.value).toBe(text);
}

/** Ticks a radio or a box (`#id`): Space with the keyboard, else a click. */
export async function tick(canvas: HTMLElement, id: string): Promise<void> {
  const control = field(canvas, id);
  if (!control) throw new Error(`#${id} is not on this page (${heading(canvas)})`);
  control.focus();
  const keyboard = realKeyboard();
  if (keyboard) await keyboard.press(' ');
  else control.click();
  await formOf(canvas).updateComplete;
  expect(control.checked).toBe(true);
}

/** Chooses the option `value` in the drop-down `#id`: arrow keys, or a change of value. */
export async function choose(canvas: HTMLElement, id: string, value: string): Promise<void> {
  const select = field<HTMLSelectElement>(canvas, id)!;
  const index = [...select.options].findIndex((o) => o.value === value);
  select.focus();
  const keyboard = realKeyboard();
  if (keyboard) {
    while (select.selectedIndex < index) await keyboard.press('{ArrowDown}');
  } else {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }
  await formOf(canvas).updateComplete;
  expect(select.value).toBe(value);
}

/** Presses the form's main button (Next or Submit): Enter on it with the keyboard, else a click. */
export async function pressSubmit(canvas: HTMLElement): Promise<void> {
  const button = formRoot(canvas).querySelector<HTMLButtonElement>('form button[type=submit]')!;
  button.focus();
  const keyboard = realKeyboard();
  if (keyboard) await keyboard.press('{Enter}');
  else button.click();
  await formOf(canvas).updateComplete;
}

/** Fills the Wuxi example's first page (您想商量的事) and goes on to the second. */
export async function fillWuxiFirstPage(canvas: HTMLElement): Promise<void> {
  await typeInto(canvas, 'f-title', '3号楼加装电梯');
  await typeInto(canvas, 'f-description', '三号楼住了很多老人，上下楼很难，希望社区组织大家商量加装电梯。');
  await choose(canvas, 'f-category', 'lift');
  await typeInto(canvas, 'f-location', '幸福里小区3号楼');
  await typeInto(canvas, 'f-households', '24');
  const first = heading(canvas);
  await pressSubmit(canvas);
  await waitFor(() => expect(heading(canvas)).not.toBe(first), { timeout: 5000 });
}
