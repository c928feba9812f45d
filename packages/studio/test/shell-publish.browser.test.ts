/**
 * <consult-studio> publishing against the real reference server (packages/server, on PGlite,
 * started for this file by the wtr plugin in shell-server-plugin.mjs — nothing stubbed):
 *
 * - publish → "Published version 2", the draft deleted, nothing unsaved; the versions pane lists
 *   both versions and shows their difference;
 * - a concurrent publish → the 412 dialog: "Someone published version N meanwhile", Compare
 *   shows theirs against mine, Load theirs keeps my draft (aside on the device, and one undo away);
 * - the server refuses the config (422) → its errors in the errors panel marked as the server's,
 *   the draft kept;
 * - a convener's token (403) → "sign in as an administrator", the sign-in step; no token → the
 *   sign-in step (<consult-sign-in> checks the token with the server), then the publish goes on;
 * - the network down → "Not published; your draft is kept";
 * - a new programme from a template → If-None-Match: * → created as version 1.
 */
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import type { ConsultStudio } from '../src/shell/studio.component.js';
import type { ConsultStudioVersions } from '../src/shell/versions.js';
import { expectAccessible } from '../../elements/test/a11y.js';
import { button, clearDrafts, editing, errorsPanel, find, shadow, squash, stored, waitFor } from './shell-helpers.js';

const WUXI = 'wuxi-youshi-haoshangliang';

interface Running {
  handle: number;
  endpoint: string;
  tokens: { admin: string; otherAdmin: string; convener: string };
}

let server: Running;

before(async () => {
  server = (await executeServerCommand('studio-server-start', { programmes: ['wuxi-community.json'] })) as Running;
});

after(async () => {
  await executeServerCommand('studio-server-stop', { handle: server.handle });
});

beforeEach(async () => {
  await clearDrafts();
});

afterEach(() => {
  document.body.replaceChildren();
});

/** The server's current config of a programme, as someone else would read it. */
async function current(id: string): Promise<{ text: string; etag: string; version: number }> {
  const response = await fetch(`${server.endpoint}/programmes/${id}/config`, { cache: 'no-store' });
  return { text: await response.text(), etag: response.headers.get('ETag')!, version: Number(response.headers.get('Consult-Config-Version')) };
}

/** Someone else publishes a change, with their own token. */
async function publishElsewhere(id: string, change: (config: Record<string, unknown>) => void): Promise<number> {
  const { text, etag } = await current(id);
  const config = JSON.parse(text) as Record<string, unknown>;
  change(config);
  const response = await fetch(`${server.endpoint}/programmes/${id}/config`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${server.tokens.otherAdmin}`, 'Content-Type': 'application/json', 'If-Match': etag },
    body: JSON.stringify(config, null, 2),
  });
  expect(response.status, await response.clone().text()).to.equal(200);
  return ((await response.json()) as { version: number }).version;
}

async function openStudio(token: string | undefined, lang = 'en', programme = WUXI): Promise<ConsultStudio> {
  const el = document.createElement('consult-studio');
  el.setAttribute('lang', lang);
  el.setAttribute('endpoint', server.endpoint);
  el.setAttribute('programme', programme);
  el.token = token;
  document.body.append(el);
  await editing(el);
  return el;
}

const notice = (el: ConsultStudio) => squash(shadow(el).querySelector('[part=notice]')?.textContent);

/** Presses Publish and waits for the answer: a new notice, or a dialog. */
async function publish(el: ConsultStudio): Promise<void> {
  const previous = notice(el);
  find<HTMLButtonElement>(el, '[data-action=publish]').click();
  await waitFor(
    () => !el.shadowRoot!.querySelector<HTMLButtonElement>('[data-action=publish]')?.disabled && ((notice(el) !== '' && notice(el) !== previous) || !!el.shadowRoot!.querySelector('dialog[open]')),
    'the publish to answer',
    15_000,
  );
}

describe('<consult-studio> publishing to the real server', () => {
  it('publishes a new version: says so, deletes the draft, and the versions pane shows both versions and their difference', async () => {
    const before = await current(WUXI);
    const el = await openStudio(server.tokens.admin);
    expect(el.base?.etag).to.equal(before.etag);
    el.doc.set('/title/en', 'Talk it over, Block 3 too', { merge: '/title/en' });
    await el.drafts.settled();
    expect(await stored(WUXI), 'the draft before publishing').to.not.equal(undefined);
    await publish(el);
    const after = await current(WUXI);
    expect(after.version).to.equal(before.version + 1);
    expect(notice(el)).to.contain(`Published version ${after.version}`);
    expect(after.text).to.equal(el.doc.text());
    expect(el.base?.etag).to.equal(after.etag);
    expect(el.doc.dirty).to.equal(false);
    await el.drafts.settled();
    expect(await stored(WUXI), 'the draft after publishing').to.equal(undefined);

    // The versions pane: newest first, and the difference between the two.
    find<HTMLButtonElement>(el, '#tab-versions').click();
    const versions = (await el.loadPane('versions')) as ConsultStudioVersions;
    await waitFor(() => (versions.shadowRoot?.querySelectorAll('tbody tr').length ?? 0) >= 2, 'the list of versions');
    const rows = [...versions.shadowRoot!.querySelectorAll('table[part=table] tbody tr')].map((r) => squash(r.querySelector('th')?.textContent));
    expect(rows.slice(0, 2)).to.deep.equal([`Version ${after.version}`, `Version ${before.version}`]);
    expect(squash(versions.shadowRoot!.querySelector('tbody tr')!.textContent)).to.contain('a-studio-1');
    const from = versions.shadowRoot!.querySelector<HTMLSelectElement>('#from')!;
    from.value = String(before.version);
    from.dispatchEvent(new Event('change'));
    const to = versions.shadowRoot!.querySelector<HTMLSelectElement>('#to')!;
    to.value = String(after.version);
    to.dispatchEvent(new Event('change'));
    button(el, 'Compare', versions.shadowRoot!).click();
    await waitFor(() => !!versions.shadowRoot!.querySelector('consult-studio-diff')?.shadowRoot?.querySelector('tbody tr'), 'the difference');
    const diff = versions.shadowRoot!.querySelector('consult-studio-diff')!.shadowRoot!;
    const lines = [...diff.querySelectorAll('tbody tr')].map((r) => squash(r.textContent));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.contain('Changed').and.contain('title › en').and.contain('/title/en').and.contain('Talk it over, Block 3 too');
    // Keyboard reachable: the table's scroll region takes focus.
    expect(diff.querySelector('[role=region]')!.getAttribute('tabindex')).to.equal('0');
    await expectAccessible(versions, 'versions pane');
  });

  it('a concurrent publish is a 412: the dialog names their version, Compare shows theirs against mine, Load theirs keeps my draft', async () => {
    const el = await openStudio(server.tokens.admin);
    el.doc.set('/description/en', 'My wording of the description');
    const theirVersion = await publishElsewhere(WUXI, (c) => {
      (c.title as Record<string, string>).en = 'Their new title';
    });
    await publish(el);
    const dialog = find<HTMLDialogElement>(el, '#conflict-dialog');
    expect(dialog.open).to.equal(true);
    expect(squash(dialog.querySelector('h2')?.textContent)).to.equal(`Someone published version ${theirVersion} meanwhile`);
    expect(el.doc.get('/description/en'), 'my draft untouched').to.equal('My wording of the description');
    expect(JSON.parse((await stored(WUXI))!.text).description.en, 'my draft still on the device').to.equal('My wording of the description');
    await expectAccessible(dialog, 'conflict dialog');

    button(el, 'Compare', dialog).click();
    await waitFor(() => !!dialog.querySelector('consult-studio-diff')?.shadowRoot?.querySelector('tbody tr'), 'the comparison');
    const lines = [...dialog.querySelector('consult-studio-diff')!.shadowRoot!.querySelectorAll('tbody tr')].map((r) => squash(r.textContent));
    expect(lines.some((l) => l.includes('/title/en') && l.includes('Their new title'))).to.equal(true);
    expect(lines.some((l) => l.includes('/description/en') && l.includes('My wording of the description'))).to.equal(true);

    button(el, 'Load theirs (keep my draft)', dialog).click();
    await waitFor(() => el.doc.get('/title/en') === 'Their new title', 'theirs loaded');
    expect(dialog.open).to.equal(false);
    expect(notice(el)).to.contain(`Loaded version ${theirVersion}`);
    expect(el.base?.version).to.equal(theirVersion);
    expect(el.doc.dirty).to.equal(false);
    await el.drafts.settled();
    expect(JSON.parse((await stored(`kept:${WUXI}`))!.text).description.en, 'my draft kept aside').to.equal('My wording of the description');
    // One undo brings my draft back, now on top of their version: publishing it works.
    el.doc.undo();
    expect(el.doc.get('/description/en')).to.equal('My wording of the description');
    await publish(el);
    expect(notice(el)).to.contain(`Published version ${theirVersion + 1}`);
  });

  it('a config the server refuses (422) shows the server’s errors in the errors panel and keeps the draft', async () => {
    const el = await openStudio(server.tokens.admin);
    el.doc.set('/id', 'another-programme');
    expect(el.doc.errors).to.have.length(0);
    await publish(el);
    expect(notice(el)).to.contain('The server refused this config: 1 problems');
    await find<ConsultStudio>(el, 'consult-studio-errors').updateComplete;
    const row = errorsPanel(el).querySelector<HTMLButtonElement>('button.error')!;
    expect(squash(row.textContent)).to.match(/^Server: \/id /);
    expect(squash(errorsPanel(el).querySelector('h2')?.textContent)).to.equal('1 problems');
    await el.drafts.settled();
    expect(JSON.parse((await stored(WUXI))!.text).id).to.equal('another-programme');
    // The next edit makes the server's answer stale: it goes.
    el.doc.set('/id', WUXI);
    await find<ConsultStudio>(el, 'consult-studio-errors').updateComplete;
    expect(errorsPanel(el).querySelector('button.error')).to.equal(null);
  });

  it('a convener’s token (403) says an administrator must sign in, offers the sign-in, and keeps the draft', async () => {
    const el = await openStudio(server.tokens.convener);
    el.doc.set('/title/en', 'Convener edit');
    await publish(el);
    expect(notice(el)).to.contain('Publishing needs you to sign in as an administrator. Your draft is kept.');
    await waitFor(() => !!shadow(el).querySelector('#sign-in-dialog[open]'), 'the sign-in step');
    await el.drafts.settled();
    expect(JSON.parse((await stored(WUXI))!.text).title.en).to.equal('Convener edit');
    button(el, 'Cancel', find(el, '#sign-in-dialog')).click();
    await el.updateComplete;
    expect(shadow(el).querySelector('#sign-in-dialog[open]')).to.equal(null);
  });

  it('a token the server does not know (401) is forgotten and the sign-in step offered; the draft is kept', async () => {
    const el = await openStudio('tok-nobody-knows-this-one-0000000');
    el.doc.set('/title/en', 'Unknown token edit');
    await publish(el);
    expect(notice(el)).to.contain('Publishing needs you to sign in as an administrator.');
    expect(el.token).to.equal(undefined);
    await waitFor(() => !!shadow(el).querySelector('#sign-in-dialog[open]'), 'the sign-in step');
    expect((await current(WUXI)).text).to.not.contain('Unknown token edit');
    await el.drafts.settled();
    expect(JSON.parse((await stored(WUXI))!.text).title.en).to.equal('Unknown token edit');
  });

  it('without a token, publishing asks to sign in (<consult-sign-in> checks the token with the server), then publishes', async () => {
    const el = await openStudio(undefined);
    el.doc.set('/title/en', 'Signed-in edit');
    find<HTMLButtonElement>(el, '[data-action=publish]').click();
    await waitFor(() => !!shadow(el).querySelector('#sign-in-dialog[open] consult-sign-in'), 'the sign-in step');
    const signIn = find(el, 'consult-sign-in');
    await waitFor(() => !!signIn.shadowRoot?.querySelector('input[name=token]'), 'the token field', 10_000);
    const input = signIn.shadowRoot!.querySelector<HTMLInputElement>('input[name=token]')!;
    input.value = server.tokens.admin;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    signIn.shadowRoot!.querySelector<HTMLFormElement>('form.token-form')!.requestSubmit();
    await waitFor(() => notice(el).includes('Published version'), 'the publish after signing in', 15_000);
    expect((await current(WUXI)).text).to.equal(el.doc.text());
    expect(shadow(el).querySelector('#sign-in-dialog[open]')).to.equal(null);
  });

  it('with the network down: "Not published; your draft is kept", and a retry', async () => {
    const el = await openStudio(server.tokens.admin);
    el.doc.set('/title/en', 'Offline edit');
    el.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    await publish(el);
    expect(notice(el)).to.contain('Not published; your draft is kept');
    await el.drafts.settled();
    expect(JSON.parse((await stored(WUXI))!.text).title.en).to.equal('Offline edit');
    el.fetch = undefined;
    button(el, 'Try again', find(el, '[part=notice]')).click();
    await waitFor(() => notice(el).includes('Published version'), 'the retry', 15_000);
  });

  it('a new programme from a template is created with If-None-Match: * as version 1', async () => {
    const el = document.createElement('consult-studio');
    el.setAttribute('lang', 'zh-CN');
    el.setAttribute('endpoint', server.endpoint);
    el.token = server.tokens.admin;
    document.body.append(el);
    await waitFor(() => !!shadow(el).querySelector(`[data-open="${WUXI}"]`), 'the server’s programmes');
    const form = find<HTMLFormElement>(el, 'form[data-template]');
    form.querySelector<HTMLInputElement>('input[name=id]')!.value = 'chengxi-room';
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await editing(el);
    await publish(el);
    expect(notice(el)).to.contain('已发布第 1 版');
    expect(el.base).to.deep.include({ id: 'chengxi-room', isNew: false, version: 1 });
    expect(el.programme).to.equal('chengxi-room');
    expect((await current('chengxi-room')).text).to.equal(el.doc.text());
    await el.drafts.settled();
    expect(await stored('new:chengxi-room')).to.equal(undefined);
  });
});

