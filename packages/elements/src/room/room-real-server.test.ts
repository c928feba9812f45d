/**
 * <consult-room> and <consult-performance-file> against the reference server (packages/server
 * from its sources on PGlite with the Wuxi example programme, started through the studio tests'
 * web-test-runner command; nothing stubbed): the room list and a room page from the server's own
 * `GET …/rooms` and `…/rooms/{room}` (so the element accepts the server's real answers, not only
 * the fixture's), the performance files an admin's token reads, a convener's token (a person no
 * room names: no file), and no token asking to sign in (the server's 401). The programme has no
 * topics yet: every room is at 0 stars, every count 0.
 */
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import './consult-room.js';
import '../performance-file/consult-performance-file.js';
import type { ConsultRoom } from './room.component.js';
import type { ConsultPerformanceFile } from '../performance-file/performance-file.component.js';
import { expectAccessible } from '../../test/a11y.js';

interface Running {
  handle: number;
  endpoint: string;
  tokens: Record<'admin' | 'otherAdmin' | 'convener', string>;
}

const PROGRAMME = 'wuxi-youshi-haoshangliang';
const NOW = '2026-06-01T00:00:00.000Z';
let server: Running;

before(async function () {
  this.timeout(120_000);
  server = (await executeServerCommand('studio-server-start', { programmes: ['wuxi-community.json'] })) as Running;
});

after(async () => {
  if (server) await executeServerCommand('studio-server-stop', { handle: server.handle });
});

afterEach(() => {
  document.body.replaceChildren();
});

const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** Waits (polling each task) until `condition` holds on the element's shadow root; fails with what it shows. */
async function until(el: HTMLElement, condition: (root: ShadowRoot) => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (el.shadowRoot && condition(el.shadowRoot)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what}: the element shows "${text(el.shadowRoot as unknown as Element)}"`);
}

function mount<T extends HTMLElement>(tag: string, attrs: Record<string, string>, props: Record<string, unknown> = {}): T {
  const el = document.createElement(tag) as T;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  Object.assign(el, props);
  document.body.append(el);
  return el;
}

describe('the room page and performance files on the reference server', function () {
  this.timeout(60_000);

  it('lists the programme’s rooms from GET …/rooms and opens one from GET …/rooms/{room}', async () => {
    const el = mount<ConsultRoom>('consult-room', { endpoint: server.endpoint, programme: PROGRAMME, now: NOW, lang: 'en' });
    await until(el, (r) => r.querySelectorAll('tbody tr').length > 0, 'the list');
    const rows = [...el.shadowRoot!.querySelectorAll<HTMLElement>('tbody tr')];
    expect(rows.map((r) => r.dataset.room)).to.deep.equal(['qingmingqiao-shequ', 'qingmingqiao-wuye', 'qingmingqiao-jiedao', 'liangxi-qu']);
    expect(text(rows[0]!.children[3])).to.equal('0');
    await expectAccessible(el, 'list from the server');
    rows[0]!.querySelector<HTMLElement>('.room-link')!.click();
    await until(el, (r) => r.querySelector('[part~="history"] tbody tr') !== null, 'the room');
    expect(text(el.shadowRoot!.querySelector('h2'))).to.equal('Qingmingqiao Community Consultation Room');
    expect(text(el.shadowRoot!.querySelector('#grade-title'))).to.equal('Star grade for 2026');
    // No meeting yet: the plain words say what the first star needs (the Wuxi rubric: 2 sessions).
    expect(text(el.shadowRoot!.querySelector('[part~="plain"] li'))).to.equal('0 session(s) held; 2 needed for 1 star(s).');
    await expectAccessible(el, 'room from the server');
  });

  it('an admin’s token reads every file; a convener no room names gets none; no token is asked to sign in (401)', async () => {
    const admin = mount<ConsultPerformanceFile>('consult-performance-file', { endpoint: server.endpoint, programme: PROGRAMME, now: NOW, lang: 'zh-CN' }, { token: server.tokens.admin });
    await until(admin, (r) => r.querySelectorAll('tbody tr').length > 0, 'everyone’s files');
    const shen = admin.shadowRoot!.querySelector('[data-person="m-qm-02"]')!;
    // The room's name from the public room list; no target met in a year without topics.
    expect([...shen.children].map((c) => text(c))).to.deep.equal(['沈佳（查看档案）', '政协委员', '清名桥社区协商议事室', '0 / 4']);
    await expectAccessible(admin, 'files from the server');

    const convener = mount<ConsultPerformanceFile>('consult-performance-file', { endpoint: server.endpoint, programme: PROGRAMME, now: NOW, lang: 'en' }, { token: server.tokens.convener });
    await until(convener, (r) => r.querySelector('[part~="message"]')?.textContent?.includes('2026') === true, 'a convener without a file');
    expect(text(convener.shadowRoot!.querySelector('[part~="message"]'))).to.equal('No performance file to show for 2026.');

    const refused = mount<ConsultPerformanceFile>('consult-performance-file', { endpoint: server.endpoint, programme: PROGRAMME, lang: 'en' }, { token: 'not-a-token' });
    await until(refused, (r) => r.querySelector('[part~="message"]')?.textContent?.includes('Sign in') === true, 'an unknown token');
  });
});
