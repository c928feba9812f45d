/**
 * The lifecycle diagram in Chromium: a drawn state per configured state (research off → none),
 * finals double-bordered, arrows with markers and the events' names, a redraw on every change
 * (and the last good config while there are problems), the text version of states and
 * transitions behind a button, zoom and fit by keyboard, and axe in zh-CN and en.
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { lifecycleGraph, parseWorkflowConfig, type WorkflowConfig } from '@consult-kit/machine';
import { StudioDocument } from '../src/document.js';
import type { JsonObject } from '../src/pointer.js';
import '../src/diagram/consult-studio-diagram.js';
import type { ConsultStudioDiagram } from '../src/diagram/diagram.component.js';
import { expectAccessible } from '../../elements/test/a11y.js';

const raw = async (name = 'wuxi-community'): Promise<JsonObject> => (await (await fetch(`/examples/configs/${name}.json`)).json()) as JsonObject;

const mounted: HTMLElement[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

async function mount(doc: StudioDocument, lang = 'zh-CN'): Promise<ConsultStudioDiagram> {
  const el = document.createElement('consult-studio-diagram');
  el.lang = lang;
  el.doc = doc;
  el.style.width = '700px';
  document.body.append(el);
  mounted.push(el);
  // The fit to width follows the viewport's measured width a frame or two after the first render.
  for (let i = 0; i < 3; i += 1) {
    await el.updateComplete;
    await new Promise((r) => requestAnimationFrame(() => r(null)));
  }
  await el.updateComplete;
  return el;
}

const root = (el: ConsultStudioDiagram) => el.shadowRoot!;
const drawnStates = (el: ConsultStudioDiagram) => [...root(el).querySelectorAll('svg g[data-state]')].map((g) => g.getAttribute('data-state')!);
const stateText = (el: ConsultStudioDiagram, id: string) => root(el).querySelector(`svg g[data-state="${id}"] text`)?.textContent?.trim();
const checked = (json: JsonObject): WorkflowConfig => {
  const r = parseWorkflowConfig(json);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.config;
};

describe('<consult-studio-diagram>', () => {
  it("draws one box per state of the machine's graph, named in the pane's language, finals double-bordered", async () => {
    const config = await raw();
    const doc = new StudioDocument(config);
    const el = await mount(doc);
    const graph = lifecycleGraph(checked(config), 'zh-CN');
    expect(drawnStates(el).sort()).to.deep.equal(graph.nodes.map((n) => n.id).sort());
    expect(stateText(el, 'research')).to.equal(graph.nodes.find((n) => n.id === 'research')!.label);
    expect(stateText(el, 'meeting_inSession_briefing')).to.equal('情况通报');
    for (const final of graph.nodes.filter((n) => n.kind === 'final')) {
      expect(root(el).querySelectorAll(`g[data-state="${final.id}"] rect`), final.id).to.have.length(2);
    }
    // Compound states enclose their states.
    const box = (id: string) => root(el).querySelector(`g[data-state="${id}"] rect`)!.getBoundingClientRect();
    const meeting = box('meeting');
    const briefing = box('meeting_inSession_briefing');
    expect(briefing.left).to.be.at.least(meeting.left);
    expect(briefing.right).to.be.at.most(meeting.right);
    expect(briefing.top).to.be.at.least(meeting.top);
    expect(briefing.bottom).to.be.at.most(meeting.bottom);
    // Arrows: one path per transition, each with the arrow marker; labels are the events' names.
    const edges = root(el).querySelectorAll('svg path.edge[data-from]');
    expect(edges).to.have.length(graph.edges.length);
    for (const e of edges) expect(e.getAttribute('marker-end')).to.equal('url(#arrow)');
    expect(root(el).querySelector('svg marker#arrow')).to.not.equal(null);
    const labels = [...root(el).querySelectorAll('.edge-label text')].map((t) => t.textContent);
    expect(labels).to.include('受理');
    expect(labels).to.include('完成调研');
    // An image with a name and a description.
    const drawing = root(el).querySelector('svg')!;
    expect(drawing.getAttribute('role')).to.equal('img');
    expect(drawing.querySelector('title')!.textContent).to.equal('办理流程图');
  });

  it('a config with research off has no research state', async () => {
    const config = await raw();
    config.steps = (config.steps as JsonObject[]).filter((s) => s.type !== 'research');
    const el = await mount(new StudioDocument(config));
    expect(drawnStates(el)).not.to.include('research');
    expect(drawnStates(el)).to.include('meeting');
  });

  it('redraws on every change, marks the renamed state, and keeps the last good config (said so) while there are problems', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc, 'en');
    const svgBefore = root(el).querySelector('svg');
    const steps = (doc.value as { steps: Array<{ type: string }> }).steps;
    const research = steps.findIndex((s) => s.type === 'research');
    doc.set(`/steps/${research}/label/en`, 'Site visits');
    await el.updateComplete;
    expect(stateText(el, 'research')).to.equal('Site visits');
    expect(el.touched.has('research')).to.equal(true);
    expect(root(el).querySelector('g[data-state="research"]')!.classList.contains('touched')).to.equal(true);
    expect(root(el).querySelector('svg')).to.equal(svgBefore); // the same drawing, updated
    // Research off: its state goes.
    doc.remove(`/steps/${research}`);
    await el.updateComplete;
    expect(drawnStates(el)).not.to.include('research');
    // A fault: the last good drawing stays, with a note.
    doc.set('/level', 'planet');
    await el.updateComplete;
    expect(doc.errors.length).to.be.greaterThan(0);
    expect(drawnStates(el)).not.to.include('research');
    expect(root(el).querySelector('[part=note]')!.textContent).to.match(/^Showing the last config without problems/);
    doc.undo();
    await el.updateComplete;
    expect(root(el).querySelector('[part=note]')).to.equal(null);
  });

  it('the text version, shown by its button, lists the states and every transition (受理 → …)', async () => {
    const config = await raw();
    const doc = new StudioDocument(config);
    const el = await mount(doc);
    const toggle = [...root(el).querySelectorAll('button')].find((b) => b.textContent!.trim() === '显示文字版')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(root(el).querySelector<HTMLElement>('#diagram-text')!.hidden).to.equal(true);
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    const text = root(el).querySelector<HTMLElement>('#diagram-text')!;
    expect(text.hidden).to.equal(false);
    const graph = lifecycleGraph(checked(config), 'zh-CN');
    const rows = [...text.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()));
    expect(rows).to.have.length(graph.edges.length);
    const name = (id: string) => graph.nodes.find((n) => n.id === id)!.label;
    expect(rows).to.deep.include([name('screening'), '受理', name('accepted')]);
    expect(rows.some(([from, , to]) => from === name('research') && to === name('meeting'))).to.equal(true);
    const listed = [...text.querySelectorAll('li[data-state]')].map((li) => li.getAttribute('data-state'));
    expect(listed.sort()).to.deep.equal(graph.nodes.map((n) => n.id).sort());
    expect(text.querySelector('li[data-state="closed"]')!.textContent).to.contain('（终止）');
    expect(toggle.textContent!.trim()).to.equal('隐藏文字版');
  });

  it('fits to the width, zooms in and out by keyboard, and scrolls when larger than the pane', async () => {
    const doc = new StudioDocument(await raw());
    const el = await mount(doc, 'en');
    const viewport = root(el).querySelector<HTMLElement>('[part=viewport]')!;
    const svgWidth = () => root(el).querySelector('svg')!.getBoundingClientRect().width;
    expect(svgWidth()).to.be.at.most(viewport.clientWidth);
    const fitted = el.scale;
    const zoomIn = [...root(el).querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Zoom in')!;
    zoomIn.focus();
    for (let i = 0; i < 4; i += 1) await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.scale).to.be.greaterThan(fitted);
    expect(fitted).to.be.lessThan(1); // the drawing is wider than a 700 px pane at full size
    expect(viewport.scrollWidth).to.be.greaterThan(viewport.clientWidth); // pan by scrolling
    const fit = [...root(el).querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Fit to width')!;
    fit.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.scale).to.equal(fitted);
    expect(fit.getAttribute('aria-pressed')).to.equal('true');
  });

  it('draws every example config (Sichuan, Guangshui) without a throw', async () => {
    for (const name of ['sichuan-courtyard', 'guangshui-frontline']) {
      const config = await raw(name);
      const el = await mount(new StudioDocument(config), 'en');
      expect(drawnStates(el).length, name).to.equal(lifecycleGraph(checked(config), 'en').nodes.length);
      el.remove();
    }
  });

  it('has no axe violations in zh-CN and en, with the text version shown', async () => {
    for (const lang of ['zh-CN', 'en']) {
      const el = await mount(new StudioDocument(await raw()), lang);
      await expectAccessible(el, `diagram (${lang})`);
      el.showText = true;
      await el.updateComplete;
      await expectAccessible(el, `diagram with its text version (${lang})`);
      el.remove();
    }
  });
});
