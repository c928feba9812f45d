/**
 * <consult-studio>'s drafts in real IndexedDB: every change is written as it happens (so a crash
 * loses nothing), a later studio offers a kept draft that differs from the server's version and
 * restores it (or discards it), and an unchanged draft is not offered.
 */
import { expect } from '@esm-bundle/chai';
import type { JsonObject } from '../src/pointer.js';
import { expectAccessible } from '../../elements/test/a11y.js';
import { button, clearDrafts, editing, exampleText, FakeServer, find, mountStudio, shadow, squash, stored, waitFor } from './shell-helpers.js';

const WUXI = 'wuxi-youshi-haoshangliang';
let wuxiText: string;
let server: FakeServer;

before(async () => {
  wuxiText = await exampleText('wuxi-community');
});

beforeEach(async () => {
  await clearDrafts();
  server = new FakeServer();
  server.add(wuxiText);
});

afterEach(() => {
  document.body.replaceChildren();
});

describe('<consult-studio> drafts', () => {
  it('writes every change to IndexedDB as it happens; after a crash a new studio offers the draft and restores it', async () => {
    const first = await mountStudio({ server, programme: WUXI, lang: 'en' });
    await editing(first);
    first.doc.set('/title/en', 'A lift for Block 3', { merge: '/title/en' });
    first.doc.set('/steps/6/scale', 7);
    await first.drafts.settled();
    // The draft is on disk before anything closes: the record a crash would leave behind.
    const record = await stored(WUXI);
    expect(record, 'the draft record').to.not.equal(undefined);
    expect(JSON.parse(record!.text)).to.deep.equal(first.doc.value);
    expect(record!.baseEtag).to.equal(`"${WUXI}-1"`);
    expect(record!.baseVersion).to.equal(1);
    // The crash: the element is gone without any chance to save more.
    first.remove();

    const second = await mountStudio({ server, programme: WUXI, lang: 'en' });
    await waitFor(() => !!shadow(second).querySelector('[data-action=continue-draft]'), 'the draft offer');
    expect(squash(shadow(second).textContent)).to.contain('This device keeps an unpublished draft of this programme');
    // What the draft changes is shown before choosing.
    const diff = find(second, 'consult-studio-diff');
    await waitFor(() => (diff.shadowRoot?.querySelectorAll('tbody tr').length ?? 0) === 2, 'two differences');
    expect(squash(diff.shadowRoot!.textContent)).to.contain('A lift for Block 3');
    await expectAccessible(second, 'the draft offer');
    find<HTMLButtonElement>(second, '[data-action=continue-draft]').click();
    await editing(second);
    expect(second.doc.get('/title/en')).to.equal('A lift for Block 3');
    expect(second.doc.get('/steps/6/scale')).to.equal(7);
    expect(second.doc.dirty, 'the restored draft is not yet published').to.equal(true);
    expect(second.base?.etag).to.equal(`"${WUXI}-1"`);
  });

  it('discarding the draft edits the server’s version and deletes the draft', async () => {
    const first = await mountStudio({ server, programme: WUXI, lang: 'en' });
    await editing(first);
    first.doc.set('/title/en', 'Mine');
    await first.drafts.settled();
    first.remove();
    const second = await mountStudio({ server, programme: WUXI, lang: 'en' });
    await waitFor(() => !!shadow(second).querySelector('[data-action=discard-draft]'), 'the draft offer');
    button(second, 'Discard the draft').click();
    await editing(second);
    expect(second.doc.get('/title/en')).to.equal((JSON.parse(wuxiText) as { title: JsonObject }).title.en);
    await second.drafts.settled();
    expect(await stored(WUXI)).to.equal(undefined);
  });

  it('a draft the same as the server’s version is not offered', async () => {
    const first = await mountStudio({ server, programme: WUXI });
    await editing(first);
    first.doc.set('/title/en', 'Mine');
    first.doc.undo();
    await first.drafts.settled();
    first.remove();
    const second = await mountStudio({ server, programme: WUXI });
    await editing(second);
    expect(shadow(second).querySelector('[data-action=continue-draft]')).to.equal(null);
  });

  it('a new programme’s draft is kept under new:<id> and offered on the start screen', async () => {
    const first = await mountStudio({ server, lang: 'en' });
    const form = await (async () => {
      await waitFor(() => !!shadow(first).querySelector('form[data-template]'), 'the templates');
      return find<HTMLFormElement>(first, 'form[data-template]');
    })();
    form.querySelector<HTMLInputElement>('input[name=id]')!.value = 'nanchang-room';
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await editing(first);
    first.doc.set('/title/en', 'Nanchang room');
    await first.drafts.settled();
    expect((await stored('new:nanchang-room'))?.text).to.equal(first.doc.text());
    first.remove();
    const second = await mountStudio({ server, lang: 'en' });
    await waitFor(() => !!shadow(second).querySelector('[data-draft="new:nanchang-room"]'), 'the kept draft on the start screen');
    find<HTMLButtonElement>(second, '[data-draft="new:nanchang-room"]').click();
    await editing(second);
    expect(second.doc.get('/title/en')).to.equal('Nanchang room');
    expect(second.base).to.deep.include({ id: 'nanchang-room', isNew: true });
  });

  it('pagehide writes the draft too', async () => {
    const el = await mountStudio({ server, programme: WUXI });
    await editing(el);
    el.doc.set('/title/en', 'Before leaving');
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    await el.drafts.settled();
    expect(JSON.parse((await stored(WUXI))!.text).title.en).to.equal('Before leaving');
  });
});
