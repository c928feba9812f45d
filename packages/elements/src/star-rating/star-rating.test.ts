/** <consult-star-rating> in real Chromium: form association, keyboard, events, read-only, axe, CSP-safe symbols. */
import { expect } from '@esm-bundle/chai';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import './consult-star-rating.js';
import type { ConsultStarRating } from './star-rating.component.js';
import { expectAccessible } from '../../test/a11y.js';

async function mount(markup: (host: HTMLElement) => void): Promise<HTMLElement> {
  const host = document.createElement('div');
  markup(host);
  document.body.append(host);
  await Promise.all([...host.querySelectorAll('consult-star-rating')].map((el) => (el as ConsultStarRating).updateComplete));
  return host;
}

function rating(options: Partial<ConsultStarRating> & { attrs?: Record<string, string> } = {}): ConsultStarRating {
  const el = document.createElement('consult-star-rating');
  const { attrs, ...props } = options;
  for (const [k, v] of Object.entries(attrs ?? {})) el.setAttribute(k, v);
  Object.assign(el, props);
  return el;
}

const radios = (el: ConsultStarRating) => [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type=radio]')];

afterEach(() => {
  document.body.replaceChildren();
});

describe('<consult-star-rating>', () => {
  it('is a radio group in a fieldset with a legend and a label per star (zh-CN by default)', async () => {
    const host = await mount((h) => h.append(rating({ name: 'stars' })));
    const el = host.querySelector('consult-star-rating')!;
    const legend = el.shadowRoot!.querySelector('fieldset > legend')!;
    expect(legend.textContent).to.equal('您对办理结果满意吗？');
    const inputs = radios(el);
    expect(inputs).to.have.length(5);
    expect(inputs.map((i) => i.labels?.[0]?.textContent?.trim())).to.deep.equal(['非常不满意', '不满意', '一般', '满意', '非常满意']);
    el.setAttribute('lang', 'en');
    await el.updateComplete;
    await new Promise((r) => setTimeout(r));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('legend')!.textContent).to.equal('How satisfied are you?');
    expect(radios(el)[4]!.labels?.[0]?.textContent?.trim()).to.equal('Very satisfied');
  });

  it('puts its value in a plain form’s FormData; required blocks submission until a star is chosen; reset and restore work', async () => {
    const host = await mount((h) => {
      const form = document.createElement('form');
      form.append(rating({ name: 'satisfaction', required: true, attrs: { value: '0' } }));
      h.append(form);
    });
    const form = host.querySelector('form')!;
    const el = host.querySelector('consult-star-rating')!;
    expect(form.checkValidity()).to.equal(false);
    expect(el.validity.valueMissing).to.equal(true);
    expect(el.validationMessage).to.equal('请选择满意程度');
    expect(new FormData(form).get('satisfaction')).to.equal(null);

    radios(el)[3]!.click();
    await el.updateComplete;
    expect(el.value).to.equal(4);
    expect(new FormData(form).get('satisfaction')).to.equal('4');
    expect(form.checkValidity()).to.equal(true);

    form.reset();
    await el.updateComplete;
    expect(el.value).to.equal(0);
    expect(new FormData(form).get('satisfaction')).to.equal(null);

    el.formStateRestoreCallback('2');
    await el.updateComplete;
    expect(new FormData(form).get('satisfaction')).to.equal('2');
    expect(radios(el)[1]!.checked).to.equal(true);
  });

  it('fires input and change on user action only, never on a programmatic set', async () => {
    const host = await mount((h) => h.append(rating({ name: 'stars' })));
    const el = host.querySelector('consult-star-rating')!;
    const seen: string[] = [];
    host.addEventListener('input', (e) => seen.push(`input:${(e.target as Element).localName}`));
    host.addEventListener('change', (e) => seen.push(`change:${(e.target as Element).localName}`));
    el.value = 3;
    await el.updateComplete;
    expect(seen).to.deep.equal([]);
    radios(el)[1]!.click();
    await el.updateComplete;
    expect(seen).to.deep.equal(['input:consult-star-rating', 'change:consult-star-rating']);
    expect(el.value).to.equal(2);
  });

  it('is keyboard operable: Tab into the group, arrow keys move the choice', async () => {
    const host = await mount((h) => {
      const before = document.createElement('button');
      before.textContent = 'before';
      h.append(before, rating({ name: 'stars', value: 3 }));
    });
    const el = host.querySelector('consult-star-rating')!;
    host.querySelector('button')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(radios(el)[2], 'Tab lands on the checked star');
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(el.value).to.equal(4);
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'ArrowLeft' });
    await el.updateComplete;
    expect(el.value).to.equal(2);
    expect(el.shadowRoot!.activeElement).to.equal(radios(el)[1]);
  });

  it('stars are targets of at least 24×24 px', async () => {
    const host = await mount((h) => h.append(rating({ name: 'stars' })));
    const el = host.querySelector('consult-star-rating')!;
    for (const label of el.shadowRoot!.querySelectorAll('label')) {
      const box = label.getBoundingClientRect();
      expect(box.width).to.be.at.least(24);
      expect(box.height).to.be.at.least(24);
    }
  });

  it('uses labels from a config (zh-CN/en pairs) and another scale', async () => {
    const labels = [
      { 'zh-CN': '不满意', en: 'Not satisfied' },
      { 'zh-CN': '基本满意', en: 'Mostly satisfied' },
      { 'zh-CN': '满意', en: 'Satisfied' },
    ];
    const host = await mount((h) => h.append(rating({ name: 'stars', scale: 3, labels, attrs: { lang: 'en' } })));
    const el = host.querySelector('consult-star-rating')!;
    expect(radios(el).map((i) => i.labels?.[0]?.textContent?.trim())).to.deep.equal(['Not satisfied', 'Mostly satisfied', 'Satisfied']);
  });

  it('read-only: shows the average and the count as stars with accessible text', async () => {
    const host = await mount((h) => h.append(rating({ readonly: true, average: 4.26, count: 128, attrs: { lang: 'en' } })));
    const el = host.querySelector('consult-star-rating')!;
    const summary = el.shadowRoot!.querySelector('[role="img"]')!;
    expect(summary.getAttribute('aria-label')).to.equal('4.3 out of 5, 128 rating(s)');
    expect(el.shadowRoot!.querySelectorAll('.full')).to.have.length(4);
    expect(el.shadowRoot!.querySelectorAll('.half')).to.have.length(1);
    expect(radios(el)).to.have.length(0);
    el.setAttribute('lang', 'zh-CN');
    el.count = 0;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label')).to.equal('暂无评价');
  });

  it('read-only with a label: a grade in the host’s words ("3 of 5 stars"), whole stars, no count needed', async () => {
    const host = await mount((h) => h.append(rating({ readonly: true, average: 3, label: '3 of 5 stars', attrs: { lang: 'en' } })));
    const el = host.querySelector('consult-star-rating')!;
    const summary = el.shadowRoot!.querySelector('[role="img"]')!;
    expect(summary.getAttribute('aria-label')).to.equal('3 of 5 stars');
    expect(summary.textContent?.replace(/\s+/g, ' ').trim()).to.equal('3 of 5 stars');
    expect(el.shadowRoot!.querySelectorAll('.full')).to.have.length(3);
    expect(el.shadowRoot!.querySelectorAll('.half, .empty')).to.have.length(2);
    // A zero grade draws no star (it is not "no ratings").
    el.average = 0;
    el.label = '0 of 5 stars';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="img"]')!.getAttribute('aria-label')).to.equal('0 of 5 stars');
    expect(el.shadowRoot!.querySelectorAll('.full')).to.have.length(0);
    await expectAccessible(el, 'grade');
  });

  it('draws custom symbols from a slot by cloning the element, never from a string', async () => {
    const host = await mount((h) => {
      const el = rating({ name: 'stars' });
      const heart = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      heart.setAttribute('slot', 'symbol');
      heart.setAttribute('viewBox', '0 0 24 24');
      heart.setAttribute('data-symbol', 'heart');
      el.append(heart);
      h.append(el);
    });
    const el = host.querySelector('consult-star-rating')!;
    await new Promise((r) => setTimeout(r));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('label [data-symbol="heart"]')).to.have.length(5);
  });

  it('stays visible in forced colours: chosen stars in Highlight, empty ones in CanvasText', async () => {
    const host = await mount((h) => h.append(rating({ name: 'stars', value: 2 })));
    const el = host.querySelector('consult-star-rating')!;
    await emulateMedia({ forcedColors: 'active' });
    try {
      const labels = [...el.shadowRoot!.querySelectorAll('label')];
      const chosen = getComputedStyle(labels[0]!).color;
      const empty = getComputedStyle(labels[4]!).color;
      const probe = document.createElement('span');
      probe.style.color = 'Highlight';
      document.body.append(probe);
      expect(chosen).to.equal(getComputedStyle(probe).color);
      expect(empty).to.not.equal(chosen);
    } finally {
      await emulateMedia({ forcedColors: 'none' });
    }
  });

  it('has no WCAG 2.2 AA violations: empty, chosen, required-invalid, disabled, read-only, large text, en', async () => {
    const host = await mount((h) =>
      h.append(
        rating({ name: 'a' }),
        rating({ name: 'b', value: 4 }),
        rating({ name: 'c', required: true }),
        rating({ name: 'd', disabled: true, value: 2 }),
        rating({ readonly: true, average: 3.5, count: 12 }),
        rating({ name: 'e', largeText: true, attrs: { lang: 'en' } }),
      ),
    );
    for (const el of host.querySelectorAll('consult-star-rating')) await expectAccessible(el);
  });
});
