/**
 * The catalogue registry and how ConsultElement waits for it, in real Chromium: parts load once
 * per language, `updateComplete` resolves only after the text is there, an element whose parts are
 * loaded still renders synchronously after a microtask, a chunk that cannot load (offline) leaves
 * the other language on screen and a `consult-error` instead of a blank box, and the parts
 * together are exactly `MESSAGES`.
 */
import { expect } from '@esm-bundle/chai';
import { html } from 'lit';
import { ConsultElement, defineElement } from '../base/consult-element.js';
import { definePart, load, loaded, lookup, settled, type CataloguePart, type Messages } from './catalogue.js';
import { ALL_PARTS, corePart } from './parts.js';
import { MESSAGES } from './messages.js';
import type { Locale } from './locale.js';
import type { MessageKey } from './keys.js';
import type { ConsultErrorEvent } from '../events/consult-events.js';

/** A loader the test resolves (or fails) when it wants, counting its calls. */
function gate(messages: Messages) {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const opened = new Promise<{ messages: Messages }>((resolve, reject) => {
    open = () => resolve({ messages });
    fail = reject;
  });
  const loader = Object.assign(() => (loader.calls++, opened), { calls: 0 });
  return { loader, open: () => open(), fail: (e: Error) => fail(e) };
}

let serial = 0;
/** A fresh part with two gated languages, and keys of its own. */
function gatedPart() {
  const name = `probe${++serial}`;
  const en = gate({ [`${name}.hello`]: 'Hello {who}' });
  const zh = gate({ [`${name}.hello`]: '你好，{who}' });
  const part = definePart(name, { en: en.loader, 'zh-CN': zh.loader });
  return { part, en, zh, key: `${name}.hello` as MessageKey };
}

/** Defines a one-line element that shows `key` from `parts`, and records what scheduleUpdate returned. */
function probeElement(parts: readonly CataloguePart[], key: MessageKey) {
  const tag = `catalogue-probe-${++serial}`;
  class Probe extends ConsultElement {
    static override catalogues = parts;
    scheduled: unknown[] = [];
    protected override scheduleUpdate(): void | Promise<unknown> {
      const result = super.scheduleUpdate();
      this.scheduled.push(result);
      return result;
    }
    protected override render() {
      return html`<p>${this.t(key, { who: 'Li' })}</p>`;
    }
  }
  defineElement(tag, Probe);
  return (lang: Locale) => {
    const el = document.createElement(tag) as Probe;
    el.setAttribute('lang', lang);
    return el;
  };
}

const text = (el: Element) => el.shadowRoot?.querySelector('p')?.textContent ?? '';

afterEach(() => document.body.replaceChildren());

describe('the catalogue registry', () => {
  it('loads a part once per language, however many ask at the same time, and reads it synchronously', async () => {
    const { part, en, zh, key } = gatedPart();
    expect(loaded('en', [part])).to.equal(false);
    const a = load('en', [part]);
    const b = load('en', [part]);
    en.open();
    await Promise.all([a, b]);
    expect(en.loader.calls).to.equal(1);
    expect(zh.loader.calls).to.equal(0);
    expect(loaded('en', [part])).to.equal(true);
    expect(loaded('zh-CN', [part])).to.equal(false);
    expect(lookup('en', key)).to.equal('Hello {who}');
    // zh-CN not loaded: the other language rather than nothing.
    expect(lookup('zh-CN', key)).to.equal('Hello {who}');
    expect(lookup('en', 'nowhere.at.all')).to.equal(undefined);
    await load('en', [part]);
    expect(en.loader.calls).to.equal(1);
  });

  it('remembers a failed load as settled (not asked again by every update) and tries again on the next load', async () => {
    const { part, zh, key } = gatedPart();
    const attempt = load('zh-CN', [part]);
    expect(settled('zh-CN', [part])).to.equal(false);
    zh.fail(new Error('offline'));
    let error: unknown;
    await attempt.catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/could not load the zh-CN messages of “probe\d+”: offline/);
    expect(loaded('zh-CN', [part])).to.equal(false);
    expect(settled('zh-CN', [part])).to.equal(true);
    expect(lookup('zh-CN', key)).to.equal(undefined);
    const again = load('zh-CN', [part]).catch(() => undefined);
    expect(settled('zh-CN', [part]), 'retrying').to.equal(false);
    await again;
    expect(zh.loader.calls).to.equal(2);
  });

  it('together, the parts are exactly MESSAGES: every key in one part, both languages with the same keys', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const modules = await Promise.all(ALL_PARTS.map((part) => part.loaders[locale]()));
      const keys = modules.flatMap((m) => Object.keys(m.messages));
      expect(new Set(keys).size, `${locale}: no key in two parts`).to.equal(keys.length);
      expect(Object.assign({}, ...modules.map((m) => m.messages))).to.deep.equal({ ...MESSAGES[locale] });
    }
    const en = await Promise.all(ALL_PARTS.map((part) => part.loaders.en()));
    const zh = await Promise.all(ALL_PARTS.map((part) => part.loaders['zh-CN']()));
    ALL_PARTS.forEach((part, i) => expect(Object.keys(zh[i]!.messages).sort(), part.name).to.deep.equal(Object.keys(en[i]!.messages).sort()));
  });
});

describe('ConsultElement and its parts', () => {
  it('renders only once its parts are loaded, and updateComplete resolves after that render', async () => {
    const { part, en, key } = gatedPart();
    const el = probeElement([corePart, part], key)('en');
    document.body.append(el);
    let done = false;
    const complete = el.updateComplete.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(done, 'still waiting for the part').to.equal(false);
    expect(el.hasUpdated).to.equal(false);
    en.open();
    await complete;
    expect(text(el)).to.equal('Hello Li');
  });

  it('with its parts loaded, updates stay synchronous after a microtask, as in Lit', async () => {
    const { part, en, key } = gatedPart();
    en.open();
    await load('en', [corePart, part]);
    const el = probeElement([corePart, part], key)('en');
    document.body.append(el);
    await Promise.resolve();
    expect(el.hasUpdated, 'rendered on the first microtask').to.equal(true);
    expect(text(el)).to.equal('Hello Li');
    expect(el.scheduled).to.deep.equal([undefined]);
  });

  it('a language switch at runtime loads that language, keeps the old text meanwhile, then re-renders', async () => {
    const { part, en, zh, key } = gatedPart();
    en.open();
    const el = probeElement([corePart, part], key)('en');
    document.body.append(el);
    await el.updateComplete;
    expect(text(el)).to.equal('Hello Li');
    el.setAttribute('lang', 'zh-CN');
    await new Promise((r) => setTimeout(r, 20));
    expect(text(el), 'not blank while zh-CN loads').to.equal('Hello Li');
    expect(zh.loader.calls).to.equal(1);
    const complete = el.updateComplete;
    zh.open();
    await complete;
    expect(text(el)).to.equal('你好，Li');
  });

  it('a chunk that cannot load (offline): the other language stays, consult-error says why, nothing throws', async () => {
    const part = definePart('unreachable', {
      en: () => Promise.resolve({ messages: { 'unreachable.word': 'required' } }),
      // A real request that fails, as a chunk does offline.
      'zh-CN': () => import(`./no-such-part-${Date.now()}.js`),
    });
    const el = probeElement([part], 'unreachable.word' as MessageKey)('en');
    document.body.append(el);
    await el.updateComplete;
    expect(text(el)).to.equal('required');

    const errors: ConsultErrorEvent[] = [];
    const thrown: unknown[] = [];
    const onError = (e: ErrorEvent | PromiseRejectionEvent) => thrown.push('reason' in e ? e.reason : e.error);
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    el.addEventListener('consult-error', (e) => errors.push(e));
    el.setAttribute('lang', 'zh-CN');
    await Promise.resolve();
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 20));
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onError);

    expect(errors.map((e) => e.detail.code)).to.deep.equal(['messages-failed']);
    expect(errors[0]!.detail.message).to.match(/unreachable/);
    expect(text(el), 'the en text, not a blank box').to.equal('required');
    expect(thrown).to.deep.equal([]);
    // Settled as failed: another update renders at once instead of asking the network again.
    el.requestUpdate();
    await el.updateComplete;
    expect(errors).to.have.length(1);
  });

  it('with no language of a part loadable it shows the key (not a blank box) and reports which part', async () => {
    const part = definePart('nowhere', {
      en: () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')),
      'zh-CN': () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')),
    });
    const errors: string[] = [];
    const make = probeElement([part], 'nowhere.hello' as MessageKey);
    const el = make('en');
    el.addEventListener('consult-error', (e) => errors.push(e.detail.message));
    document.body.append(el);
    await el.updateComplete;
    expect(text(el)).to.equal('nowhere.hello');
    expect(errors).to.have.length(1);
    expect(errors[0]).to.match(/nowhere/);
  });
});
