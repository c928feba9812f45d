/**
 * Languages load on demand, in real Chromium with the real chunks the dev server serves: a page
 * with every consult-kit tag defined downloads no message until an element is shown, then only the
 * parts that element declares, in its language; switching its language at runtime fetches the
 * other language's parts and re-renders. Its own page (wtr runs each file in one): nothing else
 * here may load a language first, so this file imports neither `MESSAGES` nor the package index.
 */
import { expect } from '@esm-bundle/chai';
import '../all.js';
import { loaded } from './catalogue.js';
import { ALL_PARTS, corePart } from './parts.js';
import type { ConsultStarRating } from '../star-rating/star-rating.component.js';

/** The catalogue modules this page has fetched, as `en/core`, `zh-CN/core`, `messages`. */
function fetchedCatalogue(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => /\/i18n\/((?:en|zh-CN)\/[\w-]+|messages)\.(?:js|ts)\b/.exec(new URL(entry.name).pathname)?.[1])
    .filter((name): name is string => name !== undefined);
}

const legend = (el: ConsultStarRating) => el.shadowRoot!.querySelector('legend')!.textContent!.trim();

describe('the catalogue loads on demand (real chunks)', () => {
  it('defining every tag downloads no message at all', () => {
    expect(customElements.get('consult-workflow')).to.be.a('function');
    expect(fetchedCatalogue()).to.deep.equal([]);
  });

  it('an element in en loads only the en parts it declares, and updateComplete resolves with its text there', async () => {
    const el = document.createElement('consult-star-rating') as ConsultStarRating;
    el.setAttribute('lang', 'en');
    document.body.append(el);
    await el.updateComplete;
    expect(legend(el)).to.equal('How satisfied are you?');

    expect(loaded('en', [corePart])).to.equal(true);
    for (const part of ALL_PARTS) expect(loaded('zh-CN', [part]), `zh-CN ${part.name}`).to.equal(false);
    for (const part of ALL_PARTS.filter((p) => p !== corePart)) expect(loaded('en', [part]), `en ${part.name}`).to.equal(false);
    expect(fetchedCatalogue()).to.deep.equal(['en/core']);
  });

  it('switching its lang at runtime loads the other language, then re-renders in it', async () => {
    const el = document.querySelector('consult-star-rating') as ConsultStarRating;
    el.setAttribute('lang', 'zh-CN');
    expect(el.isUpdatePending, 'at once: the updateComplete read now is the one that waits for zh-CN').to.equal(true);
    await el.updateComplete;
    expect(legend(el)).to.equal('您对办理结果满意吗？');
    expect(loaded('zh-CN', [corePart])).to.equal(true);
    expect(fetchedCatalogue().sort()).to.deep.equal(['en/core', 'zh-CN/core']);

    // Back to en: already loaded, so it renders on the next microtask as Lit always does.
    el.setAttribute('lang', 'en');
    await el.updateComplete;
    expect(legend(el)).to.equal('How satisfied are you?');
    expect(fetchedCatalogue()).to.have.length(2);
    el.remove();
  });

  it('the page language changing reaches elements without a lang of their own', async () => {
    const el = document.createElement('consult-overdue-list');
    document.documentElement.lang = 'en';
    document.body.append(el);
    await (el as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
    expect(fetchedCatalogue()).to.include.members(['en/overdue', 'en/due']);
    expect(fetchedCatalogue()).not.to.include('zh-CN/overdue');

    document.documentElement.lang = 'zh-CN';
    await Promise.resolve();
    await (el as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
    expect(fetchedCatalogue()).to.include.members(['zh-CN/overdue', 'zh-CN/due']);
    expect(fetchedCatalogue(), 'the whole catalogue is never fetched').not.to.include('messages');
    document.documentElement.removeAttribute('lang');
    el.remove();
  });
});
