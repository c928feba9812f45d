// The page script for the studio rows (issue 19): the studio's own preview and diagram panes (their
// dist builds) on one document, and functions the bench calls with page.evaluate.
/* global window, document, performance, requestAnimationFrame, NodeFilter */
import { StudioDocument } from '@consult-kit/studio/dist/document.js';
import '@consult-kit/studio/dist/preview/consult-studio-preview.js';
import '@consult-kit/studio/dist/diagram/consult-studio-diagram.js';

const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

/** All text under a node, through every shadow root. */
function deepText(root) {
  let text = '';
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.nodeType === 3) text += node.data;
    else if (node.shadowRoot) text += deepText(node.shadowRoot);
  }
  return text;
}

/** Waits (a frame at a time) until both panes show `text`; false after 10 s. */
async function shown(preview, diagram, text, inDiagram) {
  const deadline = performance.now() + 10_000;
  for (;;) {
    await preview.updateComplete;
    await diagram.updateComplete;
    if (deepText(preview.shadowRoot).includes(text) && (!inDiagram || deepText(diagram.shadowRoot).includes(text))) return true;
    if (performance.now() > deadline) return false;
    await frame();
  }
}

/** Mounts the preview and the diagram on a document of `config`; resolves when both have drawn. */
window.benchStudioMount = async (config) => {
  const doc = new StudioDocument(config);
  if (doc.errors.length) throw new Error(`the bench config has faults: ${JSON.stringify(doc.errors.slice(0, 3))}`);
  const preview = document.createElement('consult-studio-preview');
  const diagram = document.createElement('consult-studio-diagram');
  preview.doc = doc;
  diagram.doc = doc;
  document.body.append(preview, diagram);
  window.__studio = { doc, preview, diagram };
  const firstLabel = config.form.pages[0].fields[0].label['zh-CN'];
  if (!(await shown(preview, diagram, firstLabel, false))) throw new Error('the preview never showed the form');
  await frame();
  return { fields: config.form.pages.reduce((n, p) => n + p.fields.length, 0) };
};

/**
 * One edit as a person makes it (a field's label, or a step's label, typed), timed from the edit to
 * the frame after both panes show it: the checker, the preview's form and stepper, the diagram.
 */
window.benchStudioEdit = async (kind, i) => {
  const { doc, preview, diagram } = window.__studio;
  const value = `${kind === 'step' ? '协商议事' : '标题'}${i}号`;
  const pointer = kind === 'step' ? `/steps/${doc.value.steps.findIndex((s) => s.type === 'meeting')}/label/zh-CN` : '/form/pages/0/fields/0/label/zh-CN';
  const t0 = performance.now();
  doc.set(pointer, value, { merge: pointer });
  // `doc.set` itself: the checker, and the change event that asks the panes to render.
  const check = performance.now() - t0;
  if (!(await shown(preview, diagram, value, kind === 'step'))) throw new Error(`the panes never showed the edit ${value}`);
  await frame();
  return { ms: performance.now() - t0, check };
};
