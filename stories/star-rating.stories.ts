import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { ConsultStarRating } from '../packages/elements/src/star-rating/star-rating.component.js';
import { config } from './support/programme.js';
import { realKeyboard, tabTo } from './support/keyboard.js';
import { element, shadowOf, type StoryArgs } from './support/render.js';

const rating = (canvas: HTMLElement) => canvas.querySelector('consult-star-rating') as ConsultStarRating;
const radios = (canvas: HTMLElement) => [...shadowOf(canvas, 'consult-star-rating').querySelectorAll<HTMLInputElement>('input[type=radio]')];

const meta = {
  title: 'Components/Star rating 满意度评价',
  id: 'components-star-rating',
  component: 'consult-star-rating',
  render: (args: StoryArgs) => element('consult-star-rating', args),
  args: { name: 'satisfaction' },
  parameters: {
    docs: { description: { component: 'A form-associated satisfaction rating: native radios in a fieldset with a legend, a label per star, arrow keys to move.' } },
  },
} satisfies Meta<StoryArgs>;

export default meta;
type Story = StoryObj<StoryArgs>;

/** Nothing chosen yet: five stars with their labels, none checked. */
export const Empty: Story = {
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(radios(canvasElement)).toHaveLength(5));
    expect(radios(canvasElement).some((r) => r.checked)).toBe(false);
  },
};

/** Four stars chosen (满意 / Satisfied). */
export const Chosen: Story = { args: { value: 4 } };

/** The labels of a city's config (`step.evaluation.starLabels`), chosen with the keyboard: Tab into the group, arrows move. */
export const KeyboardChoice: Story = {
  name: 'Chosen with the keyboard',
  render: (args) => element('consult-star-rating', args, { labels: config('wuxi').step.evaluation!.starLabels }),
  play: async ({ canvasElement }) => {
    const el = rating(canvasElement);
    await waitFor(() => expect(radios(canvasElement)).toHaveLength(5));
    const changes: number[] = [];
    el.addEventListener('change', () => changes.push(el.value));
    const keyboard = realKeyboard();
    if (keyboard) {
      // Tab lands on the group's first radio; three arrows move to the fourth star.
      await tabTo(keyboard, radios(canvasElement)[0]!);
      await keyboard.press('{ArrowRight}{ArrowRight}{ArrowRight}');
    } else {
      await userEvent.click(radios(canvasElement)[3]!);
    }
    await waitFor(() => expect(el.value).toBe(4));
    expect(radios(canvasElement)[3]!.checked).toBe(true);
    expect(changes.at(-1)).toBe(4);
    expect(shadowOf(canvasElement, 'consult-star-rating').querySelector('[part=chosen]')!.textContent).toMatch(/满意|Satisfied/);
  },
};

/**
 * `required` in a form: pressing Send without a star keeps the form invalid, and the page shows
 * the rating's own message.
 */
export const RequiredInvalid: Story = {
  name: 'Required, left empty',
  args: { required: true },
  render: (args) => {
    const messages = { 'zh-CN': '发送', en: 'Send' };
    const form = document.createElement('form');
    form.noValidate = true;
    const el = element('consult-star-rating', args);
    const error = document.createElement('p');
    error.id = 'rating-error';
    error.setAttribute('role', 'alert');
    const button = document.createElement('button');
    button.type = 'submit';
    button.textContent = document.documentElement.lang === 'en' ? messages.en : messages['zh-CN'];
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      error.textContent = form.checkValidity() ? '' : el.validationMessage;
    });
    form.append(el, error, button);
    return form;
  },
  play: async ({ canvasElement }) => {
    const el = rating(canvasElement);
    await waitFor(() => expect(radios(canvasElement)).toHaveLength(5));
    await userEvent.click(canvasElement.querySelector('button[type=submit]')!);
    expect(el.validity.valueMissing).toBe(true);
    await waitFor(() => expect(canvasElement.querySelector('#rating-error')!.textContent).not.toBe(''));
    expect(new FormData(canvasElement.querySelector('form')!).get('satisfaction')).toBe(null);
    await userEvent.click(radios(canvasElement)[4]!);
    expect(el.validity.valid).toBe(true);
    expect(new FormData(canvasElement.querySelector('form')!).get('satisfaction')).toBe('5');
  },
};

/** Read-only: the residents' average, read out as "4.3 out of 5, 128 ratings". */
export const ReadOnlyAverage: Story = {
  name: 'Read-only average',
  args: { readonly: true, average: 4.3, count: 128 },
  play: async ({ canvasElement }) => {
    const summary = () => shadowOf(canvasElement, 'consult-star-rating').querySelector('[role=img]');
    await waitFor(() => expect(summary()?.getAttribute('aria-label')).toMatch(/4\.3/));
    expect(summary()!.getAttribute('aria-label')).toMatch(/128/);
  },
};

/** No ratings yet, read-only. */
export const ReadOnlyNone: Story = { name: 'Read-only, no ratings yet', args: { readonly: true } };

/** A ten-point scale with the captions hidden (the labels stay for assistive technology). */
export const TenStarsNoCaptions: Story = { name: 'Ten stars, captions hidden', args: { scale: 10, 'hide-captions': true, value: 7 } };

/** Disabled. */
export const Disabled: Story = { args: { disabled: true, value: 3 } };

/** Large text and targets for older residents (`large-text`). */
export const LargeText: Story = { name: 'Large text', args: { 'large-text': true, value: 5 } };

/** A custom symbol in `slot="symbol"`, cloned per star (never parsed from a string). */
export const CustomSymbol: Story = {
  name: 'Custom symbol',
  args: { value: 2 },
  render: (args) => {
    const el = element('consult-star-rating', args);
    const NS = 'http://www.w3.org/2000/svg';
    const symbol = document.createElementNS(NS, 'svg');
    symbol.setAttribute('slot', 'symbol');
    symbol.setAttribute('viewBox', '0 0 24 24');
    symbol.setAttribute('aria-hidden', 'true');
    const circle = document.createElementNS(NS, 'circle');
    circle.setAttribute('cx', '12');
    circle.setAttribute('cy', '12');
    circle.setAttribute('r', '9');
    symbol.append(circle);
    el.append(symbol);
    return el;
  },
};

/**
 * Windows High Contrast / forced colours: stars use system colours (chosen ones `Highlight`).
 * The story tests run this story a second time with `forced-colors: active` emulated.
 */
export const ForcedColors: Story = {
  name: 'Forced colours',
  tags: ['forced-colors'],
  args: { value: 3 },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(radios(canvasElement)).toHaveLength(5));
    if (!matchMedia('(forced-colors: active)').matches) return; // what follows is what forced colours change
    const labels = [...shadowOf(canvasElement, 'consult-star-rating').querySelectorAll('label')];
    const chosenColour = getComputedStyle(labels[0]!).color;
    const emptyColour = getComputedStyle(labels[4]!).color;
    expect(chosenColour, 'a chosen star is told apart from an empty one by a system colour').not.toBe(emptyColour);
  },
};
